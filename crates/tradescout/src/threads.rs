//! `tradescout threads [ID]`: what is stored, as threads.

use crate::failure::Failure;
use tradescout_core::{tr, Lang};
use tradescout_mail::split::split_reply;
use tradescout_store::{Store, ThreadFilter};

pub async fn list(store: &dyn Store, limit: i64, json: bool, lang: Lang) -> Result<(), Failure> {
    let threads = store
        .list_threads(&ThreadFilter {
            limit,
            ..Default::default()
        })
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&threads).unwrap_or_default()
        );
        return Ok(());
    }
    if threads.is_empty() {
        println!("{}", tr(lang, "threads.empty", &[]));
        return Ok(());
    }
    println!(
        "{}",
        tr(lang, "threads.header", &[("count", &threads.len())])
    );
    for t in &threads {
        let when = t.last_at.as_deref().unwrap_or("-");
        let line = tr(
            lang,
            "threads.line",
            &[
                ("messages", &t.message_count),
                ("subject", &t.subject),
                ("participants", &t.participants.join(", ")),
            ],
        );
        println!("#{:<5} {}  {}", t.id, &when[..when.len().min(10)], line);
    }
    Ok(())
}

pub async fn show(store: &dyn Store, id: i64, json: bool, lang: Lang) -> Result<(), Failure> {
    let Some(thread) = store
        .thread(id)
        .await
        .map_err(|e| Failure::store(lang, &e))?
    else {
        return Err(Failure::input(tr(
            lang,
            "threads.not_found",
            &[("id", &id)],
        )));
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&thread).unwrap_or_default()
        );
        return Ok(());
    }
    println!("#{} {}", thread.summary.id, thread.summary.subject);
    for m in &thread.messages {
        let from = m.from.as_ref().map(|a| a.display()).unwrap_or_default();
        println!();
        println!("── {} · {}", m.sent_at.as_deref().unwrap_or("-"), from);
        let reply = split_reply(&m.text);
        println!("{}", reply.without_signature());
        if !m.attachments.is_empty() {
            let names: Vec<String> = m
                .attachments
                .iter()
                .map(|a| {
                    format!(
                        "{} ({}, {} B)",
                        a.name.as_deref().unwrap_or("-"),
                        a.content_type,
                        a.size
                    )
                })
                .collect();
            println!("📎 {}", names.join("; "));
        }
    }
    Ok(())
}
