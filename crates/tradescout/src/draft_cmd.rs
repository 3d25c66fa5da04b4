//! `tradescout draft`: a reply draft in the buyer's language from our own analysis, through
//! the configured AI endpoint, with every unsupported number or certificate flagged.

use crate::analyze_cmd::full_analysis;
use crate::cli::{DraftArgs, ReportFormat};
use crate::failure::Failure;
use crate::input::read_input;
use crate::intake::read_threads;
use serde::Serialize;
use std::sync::Arc;
use tradescout_coach::{coach, Catalogue, CoachInput};
use tradescout_core::{tr, Lang};
use tradescout_llm::prompt::new_nonce;
use tradescout_llm::{
    draft_messages, leaks_configuration, unsupported_claims, Client, LlmConfig, Unsupported, Usage,
};
use tradescout_store::{LlmUsage, Store};

#[derive(Serialize)]
struct DraftOutput {
    /// `null` when no reply should be drafted (a scam).
    draft: Option<String>,
    /// Why no draft was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    withheld: Option<String>,
    language: String,
    unsupported: Vec<Unsupported>,
    usage: Usage,
}

pub async fn run(
    store: Arc<dyn Store>,
    args: &DraftArgs,
    config: LlmConfig,
    seller_domains: &[String],
    lang: Lang,
) -> Result<(), Failure> {
    let (name, bytes) = read_input(args.path.as_deref(), lang)?;
    let (_, threads) = read_threads(&bytes, &name, seller_domains, lang)?;
    let Some(thread) = threads.first() else {
        return Err(Failure::input(tr(
            lang,
            "error.bad_input",
            &[("input", &name), ("reason", &tr(lang, "input.empty", &[]))],
        )));
    };
    let analysis = full_analysis(thread, lang);
    let language = args
        .reply_lang
        .clone()
        .or(analysis.language.clone())
        .unwrap_or_else(|| "en".into());
    if analysis.spam.is_spam {
        // A scam is not a deal: no reply is drafted, and no AI call is spent on it.
        let mut why = tr(lang, "report.spam", &[]);
        for r in &analysis.spam.reasons {
            why.push_str("; ");
            why.push_str(r);
        }
        let out = DraftOutput {
            draft: None,
            withheld: Some(why.clone()),
            language,
            unsupported: Vec::new(),
            usage: Usage::default(),
        };
        match args.format {
            ReportFormat::Json => {
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default())
            }
            ReportFormat::Md | ReportFormat::Text => println!("⚠ {why}"),
        }
        return Ok(());
    }
    if let Some(budget) = config.monthly_token_budget {
        let month_start = chrono::Utc::now().format("%Y-%m-01T00:00:00Z").to_string();
        let used = store
            .llm_tokens_since(&month_start)
            .await
            .map_err(|e| Failure::store(lang, &e))?
            .max(0) as u64;
        if used >= budget {
            return Err(Failure::runtime(tr(
                lang,
                "draft.budget",
                &[("budget", &budget), ("used", &used)],
            )));
        }
    }
    // Grounded as the web app's draft is: the coach's questions and matched products from the
    // stored catalogue go into the prompt, and the whole catalogue is a source for the check.
    let products = store
        .catalogue()
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let catalogue = Catalogue::from_products(products.clone());
    let text = tradescout_intake::buyer_text(thread);
    let coaching = coach(CoachInput {
        analysis: &analysis,
        buyer_text: &text,
        catalogue: (!catalogue.products.is_empty()).then_some(&catalogue),
        today: tradescout_intake::counted_from(thread),
        lang,
        reply_lang: lang,
    });
    let mut plan = tradescout_web::draft_plan_of(thread, &analysis, &coaching, &products);
    plan.facts.reply_language = language.clone();
    let facts = plan.facts;
    let client = Client::new(config.clone())
        .map_err(|e| Failure::runtime(tr(lang, "draft.failed", &[("reason", &e)])))?;
    let completion = client
        .chat(&draft_messages(&facts, &new_nonce()), 900)
        .await
        .map_err(|e| Failure::runtime(tr(lang, "draft.failed", &[("reason", &e)])))?;
    let _ = store
        .record_llm_usage(&LlmUsage {
            model: config.model.clone(),
            purpose: "draft".into(),
            prompt_tokens: completion.usage.prompt_tokens as i64,
            completion_tokens: completion.usage.completion_tokens as i64,
            latency_ms: completion.latency_ms as i64,
        })
        .await;
    if leaks_configuration(&completion.content, &config) {
        return Err(Failure::runtime(tr(lang, "draft.leak", &[])));
    }
    let sources: Vec<&str> = plan.sources.iter().map(String::as_str).collect();
    let unsupported = unsupported_claims(&completion.content, &sources, lang);
    let out = DraftOutput {
        draft: Some(completion.content.trim().to_string()),
        withheld: None,
        language,
        unsupported,
        usage: completion.usage,
    };
    match args.format {
        ReportFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default())
        }
        ReportFormat::Md | ReportFormat::Text => {
            println!("{}", out.draft.as_deref().unwrap_or_default());
            if !out.unsupported.is_empty() {
                println!("\n---\n⚠");
                for u in &out.unsupported {
                    println!("- {}: {}", u.text, u.why);
                }
            }
        }
    }
    Ok(())
}
