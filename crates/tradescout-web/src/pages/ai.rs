//! The brief's optional AI parts: a streamed reply draft, a summary of the background check
//! and a second opinion on the stage. Each is a POST (it spends tokens) behind the CSRF check,
//! for the thread's owner or a manager only, and a 404 when no endpoint is configured.

use super::brief::visible_thread;
use crate::ai::{draft_plan, public_message, thread_text, Ai};
use crate::session::{PageViewer, Viewer};
use crate::{draft_stream, engine, AppState, WebError};
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use minijinja::context;
use std::sync::Arc;
use tradescout_llm::LlmError;
use tradescout_store::ThreadDetail;

/// `POST /threads/{id}/draft`: the reply draft as server-sent events.
pub async fn draft(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (ai, detail) = ai_and_thread(&state, &viewer, id).await?;
    let lang = viewer.lang;
    let plan = draft_plan(
        state.store.as_ref(),
        &state.catalogues,
        &detail,
        &state.config.seller_domains,
        lang,
    )
    .await?;
    // A scam is not a deal: no reply, and no AI budget spent on it.
    if plan.is_spam {
        return Err(WebError::BadInput(
            lang,
            tradescout_core::tr(lang, "web.ai.no_draft_for_spam", &[]),
        ));
    }
    let reservation = match ai
        .check_budget(state.store.as_ref(), draft_stream::DRAFT_TOKENS)
        .await?
    {
        Ok(r) => r,
        Err(e) => return Ok(draft_stream::refuse(&e, lang)),
    };
    Ok(draft_stream::start(
        ai,
        reservation,
        state.store.clone(),
        plan,
        lang,
    ))
}

/// `POST /threads/{id}/background-summary`: the stored report in a few sentences (htmx fragment).
pub async fn background_summary(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let (ai, _) = ai_and_thread(&state, &viewer, id).await?;
    let Some(report) = state.store.latest_report(id).await? else {
        return Err(WebError::NotFound(viewer.lang));
    };
    let (summary, failure) = split(
        ai.summary(state.store.as_ref(), &report, viewer.lang)
            .await?,
        &viewer,
    );
    state.templates.render(
        "ai_summary.html",
        context! { lang => viewer.lang.tag(), summary => summary, failure => failure },
    )
}

/// `POST /threads/{id}/stage-opinion`: the model's stage with its quoted reason, shown beside
/// our own judgement (htmx fragment).
pub async fn stage_opinion(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let (ai, detail) = ai_and_thread(&state, &viewer, id).await?;
    let input =
        engine::thread_input(state.store.as_ref(), &detail, &state.config.seller_domains).await?;
    let opinion = ai
        .stage_opinion(state.store.as_ref(), &thread_text(&input))
        .await?;
    let (opinion, failure) = split(opinion, &viewer);
    state.templates.render(
        "ai_stage.html",
        context! { lang => viewer.lang.tag(), opinion => opinion, failure => failure },
    )
}

/// The endpoint and the thread, or the same 404 for no endpoint and for someone else's thread.
async fn ai_and_thread(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(Arc<Ai>, ThreadDetail), WebError> {
    let ai = state.ai.clone().ok_or(WebError::NotFound(viewer.lang))?;
    Ok((ai, visible_thread(state, viewer, id).await?))
}

/// A call's answer, or the message saying why there is none.
fn split<T>(result: Result<T, LlmError>, viewer: &Viewer) -> (Option<T>, Option<String>) {
    match result {
        Ok(v) => (Some(v), None),
        Err(e) => (None, Some(public_message(&e, viewer.lang))),
    }
}
