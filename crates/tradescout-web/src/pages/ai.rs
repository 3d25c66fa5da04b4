//! The brief's optional AI parts: a streamed reply draft, a summary of the background check
//! and a second opinion on the stage. Each is a POST (it spends tokens) behind the CSRF check,
//! for the thread's owner or a manager only, and a 404 when no endpoint is configured.

use super::brief::visible_thread;
use crate::ai::{draft_plan, prompt_chars, public_message, thread_text, Ai};
use crate::session::{PageViewer, Viewer};
use crate::{draft_stream, engine, AppState, WebError};
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use minijinja::context;
use std::sync::Arc;
use tradescout_llm::prompt::new_nonce;
use tradescout_llm::{leaks_configuration, read_stage_opinion, stage_messages, LlmError};
use tradescout_store::ThreadDetail;

/// Tokens a stage opinion may use.
const STAGE_TOKENS: u32 = 200;

/// `POST /threads/{id}/draft`: the reply draft as server-sent events.
pub async fn draft(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let (ai, detail) = ai_and_thread(&state, &viewer, id).await?;
    let lang = viewer.lang;
    if let Err(e) = ai.check_budget(state.store.as_ref()).await? {
        return Ok(draft_stream::refuse(&e, lang));
    }
    let store = state.store.as_ref();
    let input = engine::thread_input(store, &detail, &state.config.seller_domains).await?;
    let (input, analysis) = engine::blocking(move || {
        let a = tradescout_intake::understand(&input, lang);
        (input, a)
    })
    .await?;
    let plan_input = input.clone();
    let coaching = engine::coaching(store, input, analysis.clone(), lang).await?;
    let catalogue = store.catalogue().await?;
    let plan = draft_plan(&plan_input, &analysis, &coaching, &catalogue);
    Ok(draft_stream::start(ai, state.store.clone(), plan, lang))
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
    let (opinion, failure) = split(ask_stage(&ai, &state, &thread_text(&input)).await?, &viewer);
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

async fn ask_stage(
    ai: &Ai,
    state: &AppState,
    thread: &str,
) -> Result<Result<tradescout_llm::StageOpinion, LlmError>, WebError> {
    if let Err(e) = ai.check_budget(state.store.as_ref()).await? {
        return Ok(Err(e));
    }
    let messages = stage_messages(thread, &new_nonce());
    let completion = match ai.client.chat(&messages, STAGE_TOKENS).await {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    ai.record(
        state.store.as_ref(),
        "second_opinion",
        &completion,
        prompt_chars(&messages),
    )
    .await;
    if leaks_configuration(&completion.content, ai.client.config()) {
        return Ok(Err(LlmError::Leaked));
    }
    Ok(Ok(read_stage_opinion(&completion.content, thread)))
}

/// A call's answer, or the message saying why there is none.
fn split<T>(result: Result<T, LlmError>, viewer: &Viewer) -> (Option<T>, Option<String>) {
    match result {
        Ok(v) => (Some(v), None),
        Err(e) => (None, Some(public_message(&e, viewer.lang))),
    }
}
