//! A reply draft relayed to the browser while the model writes it, as server-sent events:
//! `chunk` (a JSON string of new text), then `done` (the whole draft, its unsupported claims
//! and usage) or `error` (a message, and whether the text shown so far must be discarded).
//!
//! Text passes a [`StreamGuard`] first, so a model talked into repeating the key or the
//! endpoint is cut off before any of it reaches the page.

use crate::ai::{prompt_chars, public_message, Ai, DraftPlan, Reservation};
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tradescout_core::Lang;
use tradescout_llm::prompt::new_nonce;
use tradescout_llm::{
    draft_messages, unsupported_claims, Completion, LlmError, StreamGuard, Usage,
};
use tradescout_store::Store;

/// Tokens a reply draft may use.
pub const DRAFT_TOKENS: u32 = 900;

/// Starts the call in the background and answers with its event stream. The call runs to its
/// end even if the browser goes away, so its usage is always kept.
pub fn start(
    ai: Arc<Ai>,
    reservation: Reservation,
    store: Arc<dyn Store>,
    plan: DraftPlan,
    lang: Lang,
) -> Response {
    let (tx, mut rx) = unbounded_channel::<String>();
    tokio::spawn(async move {
        run(ai, store, plan, lang, tx).await;
        // The draft's room in the budget is given back once its usage is recorded.
        drop(reservation);
    });
    let body = futures::stream::poll_fn(move |cx| {
        rx.poll_recv(cx).map(|event| event.map(Ok::<_, Infallible>))
    });
    event_stream(Body::from_stream(body))
}

fn event_stream(body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/event-stream; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            // Proxies such as nginx would otherwise hold the events back.
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        body,
    )
        .into_response()
}

/// An event stream holding only the reason no call was made (such as a spent budget), so the
/// page shows it where the draft would have been.
pub fn refuse(e: &LlmError, lang: Lang) -> Response {
    let (tx, mut rx) = unbounded_channel::<String>();
    send_error(&tx, e, lang, false);
    drop(tx);
    let body = futures::stream::poll_fn(move |cx| {
        rx.poll_recv(cx).map(|event| event.map(Ok::<_, Infallible>))
    });
    event_stream(Body::from_stream(body))
}

async fn run(
    ai: Arc<Ai>,
    store: Arc<dyn Store>,
    plan: DraftPlan,
    lang: Lang,
    tx: UnboundedSender<String>,
) {
    let messages = draft_messages(&plan.facts, &new_nonce());
    let mut guard = StreamGuard::new(ai.client.config());
    let mut cut_off = false;
    let result = ai
        .client
        .chat_stream(&messages, DRAFT_TOKENS, |piece| {
            if cut_off {
                return;
            }
            match guard.push(piece) {
                Ok(text) if !text.is_empty() => send(&tx, "chunk", &json!(text)),
                Ok(_) => {}
                Err(e) => {
                    cut_off = true;
                    send_error(&tx, &e, lang, true);
                }
            }
        })
        .await;
    let completion = match result {
        Ok(c) => c,
        Err(e) => {
            // A stream that broke off still cost what it sent, and what arrived clean is shown.
            if !guard.content().is_empty() {
                let partial = Completion {
                    content: guard.content().to_string(),
                    usage: Usage::default(),
                    latency_ms: 0,
                    attempts: 1,
                };
                ai.record(store.as_ref(), "draft", &partial, prompt_chars(&messages))
                    .await;
            }
            if !cut_off {
                if let Ok(rest) = guard.finish() {
                    if !rest.is_empty() {
                        send(&tx, "chunk", &json!(rest));
                    }
                }
                send_error(&tx, &e, lang, false);
            }
            return;
        }
    };
    ai.record(
        store.as_ref(),
        "draft",
        &completion,
        prompt_chars(&messages),
    )
    .await;
    if cut_off {
        return;
    }
    match guard.finish() {
        Ok(rest) => {
            if !rest.is_empty() {
                send(&tx, "chunk", &json!(rest));
            }
            let sources: Vec<&str> = plan.sources.iter().map(String::as_str).collect();
            let unsupported = unsupported_claims(&completion.content, &sources, lang);
            send(
                &tx,
                "done",
                &json!({
                    "draft": completion.content.trim(),
                    "language": plan.facts.reply_language,
                    "unsupported": unsupported,
                    "usage": completion.usage,
                }),
            );
        }
        Err(e) => send_error(&tx, &e, lang, true),
    }
}

fn send_error(tx: &UnboundedSender<String>, e: &LlmError, lang: Lang, discard: bool) {
    let message = public_message(e, lang);
    send(
        tx,
        "error",
        &json!({ "message": message, "discard": discard }),
    );
}

/// One event; JSON data never holds a raw line break, so one `data:` line suffices.
fn send(tx: &UnboundedSender<String>, event: &str, data: &serde_json::Value) {
    // A closed channel means the browser left; the call still finishes for its usage.
    let _ = tx.send(format!("event: {event}\ndata: {data}\n\n"));
}
