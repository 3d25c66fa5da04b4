//! `tradescout demo`: a demo workspace built from the bundled example inquiries.

use crate::failure::{mail_reason, Failure};
use std::sync::Arc;
use tradescout_core::{tr, Lang};
use tradescout_mail::{parse_message, ParseLimits};
use tradescout_store::{NewMessage, Store};

/// The example inquiries shipped in `examples/inquiries/`.
pub const EXAMPLES: &[(&str, &[u8])] = &[
    (
        "01-floodlight-inquiry.eml",
        include_bytes!("../../../examples/inquiries/01-floodlight-inquiry.eml"),
    ),
    (
        "02-floodlight-quote-reply.eml",
        include_bytes!("../../../examples/inquiries/02-floodlight-quote-reply.eml"),
    ),
    (
        "03-floodlight-negotiation.eml",
        include_bytes!("../../../examples/inquiries/03-floodlight-negotiation.eml"),
    ),
    (
        "04-spanish-solar-inquiry.eml",
        include_bytes!("../../../examples/inquiries/04-spanish-solar-inquiry.eml"),
    ),
    (
        "05-proforma-foxmail-gbk.eml",
        include_bytes!("../../../examples/inquiries/05-proforma-foxmail-gbk.eml"),
    ),
    (
        "06-website-form-html.eml",
        include_bytes!("../../../examples/inquiries/06-website-form-html.eml"),
    ),
    (
        "07-registration-fee-scam.eml",
        include_bytes!("../../../examples/inquiries/07-registration-fee-scam.eml"),
    ),
];

/// Stores the examples (idempotently) and returns how many were new.
pub async fn load_examples(store: &Arc<dyn Store>, lang: Lang) -> Result<u64, Failure> {
    let mut batch = Vec::with_capacity(EXAMPLES.len());
    for (i, (name, raw)) in EXAMPLES.iter().enumerate() {
        let parsed = parse_message(raw, &ParseLimits::default())
            .map_err(|e| Failure::runtime(format!("example {name}: {}", mail_reason(lang, &e))))?;
        batch.push(NewMessage {
            parsed,
            raw: raw.to_vec(),
            source: format!("example:{name}"),
            position: i as i64 + 1,
        });
    }
    let outcomes = store
        .insert_messages(&batch)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    Ok(outcomes.iter().filter(|o| o.is_new()).count() as u64)
}

pub async fn run(store: Arc<dyn Store>, db_url: &str, lang: Lang) -> Result<(), Failure> {
    eprintln!("{}", tr(lang, "run.intro", &[("db", &db_url)]));
    load_examples(&store, lang).await?;
    crate::threads::list(store.as_ref(), 50, false, lang).await?;
    println!();
    print_analyses(store.as_ref(), lang).await?;
    eprintln!();
    eprintln!("{}", tr(lang, "demo.next", &[("db", &db_url)]));
    Ok(())
}

/// Each stored thread's buying stage, top concerns and spam verdict, one line each.
async fn print_analyses(store: &dyn Store, lang: Lang) -> Result<(), Failure> {
    let threads = store
        .list_threads(&tradescout_store::ThreadFilter {
            limit: 50,
            ..Default::default()
        })
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    for t in threads {
        let Some(detail) = store
            .thread(t.id)
            .await
            .map_err(|e| Failure::store(lang, &e))?
        else {
            continue;
        };
        let mut parsed = Vec::new();
        for m in &detail.messages {
            if let Some(raw) = store
                .message_raw(m.id)
                .await
                .map_err(|e| Failure::store(lang, &e))?
            {
                if let Ok(p) = parse_message(&raw, &ParseLimits::default()) {
                    parsed.push(p);
                }
            }
        }
        let refs: Vec<&tradescout_mail::Message> = parsed.iter().collect();
        let input = crate::intake::thread_from_messages(&refs, &[]);
        let a = crate::analyze_cmd::full_analysis(&input, lang);
        let concerns: Vec<String> = a
            .concerns
            .iter()
            .take(3)
            .map(|c| tr(lang, &format!("concern.{}", c.label), &[]))
            .collect();
        let spam = if a.spam.is_spam {
            format!(" · ⚠ {}", tr(lang, "report.spam", &[]))
        } else {
            String::new()
        };
        println!(
            "#{:<5} {}: {} ({:.0}%){}{}",
            t.id,
            tr(lang, "report.stage", &[]),
            tr(lang, &format!("stage.{}", a.stage.label), &[]),
            a.stage.confidence * 100.0,
            if concerns.is_empty() {
                String::new()
            } else {
                format!(" · {}", concerns.join(", "))
            },
            spam
        );
    }
    Ok(())
}
