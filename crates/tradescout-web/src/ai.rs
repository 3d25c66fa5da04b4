//! The web app's calls to the optional AI endpoint: what each prompt is given (our analysis,
//! the catalogue, the stored report), the monthly token budget checked before every call,
//! usage kept after it, and the short summaries cached per report.
//!
//! Nothing here runs without an endpoint: [`crate::AppState`] holds an [`Ai`] only when one
//! is configured.

use crate::{engine, WebError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tradescout_analyze::{Role, ThreadInput};
use tradescout_coach::{CatalogueProduct, Coaching};
use tradescout_core::analysis::Analysis;
use tradescout_core::{tr, Lang};
use tradescout_llm::prompt::new_nonce;
use tradescout_llm::{
    analysis_facts, leaks_configuration, read_stage_opinion, stage_messages, summary_messages,
    unsupported_claims, Client, Completion, DraftFacts, LlmConfig, LlmError, StageOpinion,
    Unsupported,
};
use tradescout_store::{LlmUsage, Store, StoredReport, ThreadDetail};

/// Products offered to the model in a draft prompt, best match first.
const PROMPT_PRODUCTS: usize = 5;
/// Tokens a summary and a stage opinion may use.
const SUMMARY_TOKENS: u32 = 300;
const STAGE_TOKENS: u32 = 200;
/// Longest report text put in a summary prompt.
const REPORT_CHARS: usize = 16_000;
/// Summaries kept in memory (per server) before the cache starts over.
const CACHED_SUMMARIES: usize = 512;

/// The configured endpoint and what is remembered of its answers.
pub struct Ai {
    pub client: Client,
    summaries: Mutex<HashMap<(i64, Lang), ReportSummary>>,
    /// Tokens the calls now running on this server may still spend (their answer limits):
    /// counted against the budget, so calls started together cannot all pass the check and
    /// overshoot it.
    in_flight: Arc<AtomicU64>,
}

/// Room kept in the budget for one running call; given back when dropped, by which time
/// the call's real usage has been recorded.
#[derive(Debug)]
pub struct Reservation {
    in_flight: Arc<AtomicU64>,
    tokens: u64,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.in_flight.fetch_sub(self.tokens, Ordering::SeqCst);
    }
}

/// A background-check report told in a few sentences, with any claim the report lacks.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportSummary {
    pub text: String,
    pub unsupported: Vec<Unsupported>,
}

impl Ai {
    pub fn new(config: LlmConfig) -> Result<Ai, WebError> {
        let client = Client::new(config).map_err(|e| WebError::Internal(e.to_string()))?;
        Ok(Ai {
            client,
            summaries: Mutex::new(HashMap::new()),
            in_flight: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Room for a call that may answer with up to `max_tokens`, or the refusal when this
    /// month's tokens are spent: those recorded, plus what the calls still running may use.
    /// Keep the reservation until the call's usage is recorded.
    pub async fn check_budget(
        &self,
        store: &dyn Store,
        max_tokens: u32,
    ) -> Result<Result<Reservation, LlmError>, WebError> {
        let tokens = u64::from(max_tokens);
        let prior = self.in_flight.fetch_add(tokens, Ordering::SeqCst);
        let reservation = Reservation {
            in_flight: self.in_flight.clone(),
            tokens,
        };
        if self.client.config().monthly_token_budget.is_none() {
            return Ok(Ok(reservation));
        }
        let month_start = chrono::Utc::now().format("%Y-%m-01T00:00:00Z").to_string();
        let used = u64::try_from(store.llm_tokens_since(&month_start).await?).unwrap_or(0);
        Ok(self
            .client
            .config()
            .check_budget(used.saturating_add(prior))
            .map(|()| reservation))
    }

    /// Keeps what a call cost. Streams often carry no usage; then it is estimated from the
    /// text (about four characters a token) so the budget still fills.
    pub async fn record(
        &self,
        store: &dyn Store,
        purpose: &str,
        completion: &Completion,
        prompt_chars: usize,
    ) {
        let mut usage = completion.usage;
        if usage.prompt_tokens == 0 && usage.completion_tokens == 0 {
            usage.prompt_tokens = tokens_of(prompt_chars);
            usage.completion_tokens = tokens_of(completion.content.chars().count());
        }
        let kept = store
            .record_llm_usage(&LlmUsage {
                model: self.client.config().model.clone(),
                purpose: purpose.to_string(),
                prompt_tokens: i64::try_from(usage.prompt_tokens).unwrap_or(i64::MAX),
                completion_tokens: i64::try_from(usage.completion_tokens).unwrap_or(i64::MAX),
                latency_ms: i64::try_from(completion.latency_ms).unwrap_or(i64::MAX),
            })
            .await;
        if let Err(e) = kept {
            tracing::error!("AI usage of a {purpose} call was not kept: {e}");
        }
    }

    /// A summary of `report` in `lang`, asked once per report and language.
    pub async fn summary(
        &self,
        store: &dyn Store,
        report: &StoredReport,
        lang: Lang,
    ) -> Result<Result<ReportSummary, LlmError>, WebError> {
        if let Some(s) = self.cached(report.id, lang) {
            return Ok(Ok(s));
        }
        let _reservation = match self.check_budget(store, SUMMARY_TOKENS).await? {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let text = report_text(report);
        let messages = summary_messages(&text, lang.tag(), &new_nonce());
        let completion = match self.client.chat(&messages, SUMMARY_TOKENS).await {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        self.record(store, "summary", &completion, prompt_chars(&messages))
            .await;
        if leaks_configuration(&completion.content, self.client.config()) {
            return Ok(Err(LlmError::Leaked));
        }
        let summary = ReportSummary {
            text: completion.content.trim().to_string(),
            unsupported: unsupported_claims(&completion.content, &[&text], lang),
        };
        if let Ok(mut cache) = self.summaries.lock() {
            if cache.len() >= CACHED_SUMMARIES {
                cache.clear();
            }
            cache.insert((report.id, lang), summary.clone());
        }
        Ok(Ok(summary))
    }

    /// The model's view of the buying stage of `thread`, read strictly.
    pub async fn stage_opinion(
        &self,
        store: &dyn Store,
        thread: &str,
    ) -> Result<Result<StageOpinion, LlmError>, WebError> {
        let _reservation = match self.check_budget(store, STAGE_TOKENS).await? {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let messages = stage_messages(thread, &new_nonce());
        let completion = match self.client.chat(&messages, STAGE_TOKENS).await {
            Ok(c) => c,
            Err(e) => return Ok(Err(e)),
        };
        self.record(
            store,
            "second_opinion",
            &completion,
            prompt_chars(&messages),
        )
        .await;
        if leaks_configuration(&completion.content, self.client.config()) {
            return Ok(Err(LlmError::Leaked));
        }
        Ok(Ok(read_stage_opinion(&completion.content, thread)))
    }

    fn cached(&self, report: i64, lang: Lang) -> Option<ReportSummary> {
        self.summaries.lock().ok()?.get(&(report, lang)).cloned()
    }
}

/// About four characters make a token in the languages our buyers write.
fn tokens_of(chars: usize) -> u64 {
    u64::try_from(chars / 4).unwrap_or(u64::MAX)
}

/// Characters sent in `messages`, for estimating usage.
pub fn prompt_chars(messages: &[tradescout_llm::ChatMessage]) -> usize {
    messages.iter().map(|m| m.content.chars().count()).sum()
}

/// What a person may read about a failed call: the cause, never the endpoint's answer body
/// (it may echo the request); the whole error goes to the log.
pub fn public_message(e: &LlmError, lang: Lang) -> String {
    tracing::warn!("AI call failed: {e}");
    match e {
        LlmError::NotConfigured => tr(lang, "draft.not_configured", &[]),
        LlmError::BudgetSpent { budget, used } => {
            tr(lang, "draft.budget", &[("budget", budget), ("used", used)])
        }
        LlmError::Leaked => tr(lang, "draft.leak", &[]),
        LlmError::Status { status, .. } => tr(
            lang,
            "draft.failed",
            &[(
                "reason",
                &tr(lang, "web.ai.http_status", &[("status", status)]),
            )],
        ),
        LlmError::Unreachable { .. } => tr(
            lang,
            "draft.failed",
            &[("reason", &tr(lang, "web.ai.unreachable", &[]))],
        ),
        LlmError::BadAnswer { .. } => tr(
            lang,
            "draft.failed",
            &[("reason", &tr(lang, "web.ai.bad_answer", &[]))],
        ),
    }
}

/// The thread as the prompts carry it: each message marked as the buyer's or ours.
pub fn thread_text(input: &ThreadInput) -> String {
    input
        .messages
        .iter()
        .map(|m| {
            let who = match m.role {
                Some(Role::Seller) => "SELLER",
                _ => "BUYER",
            };
            format!("[{who}] {}", m.text.trim())
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A draft's prompt and the sources its claims are checked against.
pub struct DraftPlan {
    /// The thread is spam or a scam: no reply is drafted for it.
    pub is_spam: bool,
    pub facts: DraftFacts,
    /// The thread, our facts and the whole catalogue.
    pub sources: Vec<String>,
}

/// A stored thread's draft plan: analysed and coached against the stored catalogue as the
/// brief shows it.
pub async fn draft_plan(
    store: &dyn Store,
    catalogues: &engine::CatalogueCache,
    detail: &ThreadDetail,
    seller_domains: &[String],
    lang: Lang,
) -> Result<DraftPlan, WebError> {
    let input = engine::thread_input(store, detail, seller_domains).await?;
    let (input, analysis) = engine::blocking(move || {
        let a = tradescout_intake::understand(&input, lang);
        (input, a)
    })
    .await?;
    // One catalogue for the coaching and the claim check, whatever is uploaded meanwhile.
    let catalogue = catalogues.get(store).await?;
    let coaching =
        engine::coaching(catalogue.clone(), input.clone(), analysis.clone(), lang).await?;
    Ok(plan_of(&input, &analysis, &coaching, &catalogue.products))
}

/// What the model may use for a reply: our analysis, the coach's questions and the matched
/// products with their catalogue values.
pub fn plan_of(
    input: &ThreadInput,
    analysis: &Analysis,
    coaching: &Coaching,
    catalogue: &[CatalogueProduct],
) -> DraftPlan {
    let thread = thread_text(input);
    let facts = analysis_facts(analysis);
    let offered: Vec<String> = coaching
        .matches
        .iter()
        .take(PROMPT_PRODUCTS)
        .filter_map(|m| catalogue.iter().find(|p| p.sku == m.sku))
        .map(catalogue_line)
        .collect();
    let sources = vec![
        thread.clone(),
        facts.join("\n"),
        catalogue
            .iter()
            .map(catalogue_line)
            .collect::<Vec<_>>()
            .join("\n"),
    ];
    DraftPlan {
        is_spam: analysis.spam.is_spam,
        facts: DraftFacts {
            reply_language: analysis.language.clone().unwrap_or_else(|| "en".into()),
            facts,
            questions: coaching.questions.iter().map(|q| q.text.clone()).collect(),
            catalogue: offered,
            thread,
        },
        sources,
    }
}

/// One product with the values a reply may quote.
fn catalogue_line(p: &CatalogueProduct) -> String {
    let mut line = format!("{} {}", p.sku, p.name);
    if let Some(price) = p.price {
        line.push_str(&format!(
            "; price {price} {} per piece",
            p.currency.as_deref().unwrap_or("")
        ));
    }
    if let Some(moq) = p.moq {
        line.push_str(&format!("; MOQ {moq} pcs"));
    }
    if let Some(days) = p.lead_time_days {
        line.push_str(&format!("; lead time {days} days"));
    }
    if !p.certifications.is_empty() {
        line.push_str(&format!("; certificates {}", p.certifications.join(", ")));
    }
    line
}

/// The stored report as the summary prompt carries it, cut to a bounded length.
fn report_text(report: &StoredReport) -> String {
    let text = serde_json::to_string_pretty(&report.result).unwrap_or_default();
    text.chars().take(REPORT_CHARS).collect()
}
