//! The JSON API under `/api/v1/` (bearer token or session; described by `openapi.json`).
//! Every route filters by what the caller may see; another rep's thread is a 404.

use crate::error::ApiError;
use crate::pages::brief::visible_thread;
use crate::pages::inbox::{filter_of, store_inquiry, InboxQuery};
use crate::pages::insights::{compute, Period};
use crate::pages::pipeline::check_deal;
use crate::session::ApiViewer;
use crate::{engine, AppState, WebError};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tradescout_core::tr;
use tradescout_store::{DealFilter, NewJob};

/// `POST /api/v1/analyze`: a raw message, thread JSON, JSON Lines, mbox or plain text; the
/// `analyze` JSON (an array when the input held several threads). Nothing is stored.
pub async fn analyze(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let lang = viewer.lang;
    let domains = engine::seller_domains(&state.config.seller_domains);
    let analyses = engine::blocking(move || {
        tradescout_intake::read_threads(&body, &domains).map(|intake| {
            intake
                .threads
                .iter()
                .map(|t| tradescout_intake::understand(t, lang))
                .collect::<Vec<_>>()
        })
    })
    .await?
    .map_err(|e| {
        WebError::BadInput(
            lang,
            tr(
                lang,
                "error.bad_input",
                &[
                    ("input", &"body"),
                    ("reason", &tradescout_intake::reason(lang, &e)),
                ],
            ),
        )
    })?;
    let value = if analyses.len() == 1 {
        serde_json::to_value(&analyses[0])
    } else {
        serde_json::to_value(&analyses)
    }
    .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Json(value))
}

/// `POST /api/v1/inquiries`: stores the inquiry as the caller's and analyses it.
pub async fn create_inquiry(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (thread_id, analysis) = store_inquiry(&state, &viewer, &body, "body").await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "thread_id": thread_id, "analysis": analysis })),
    )
        .into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(flatten)]
    inbox: InboxQuery,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    offset: Option<i64>,
}

/// `GET /api/v1/threads`: the threads the caller may see, newest first (a JSON array; the
/// total matching is in `X-Total-Count`).
pub async fn threads(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut filter = filter_of(&viewer, &q.inbox);
    if let Some(limit) = q.limit {
        filter.limit = limit.clamp(1, 1000);
    }
    if let Some(offset) = q.offset {
        filter.offset = offset.max(0);
    }
    let threads = state.store.list_threads(&filter).await?;
    let total = state.store.count_threads(&filter).await?;
    let mut response = Json(threads).into_response();
    if let Ok(v) = HeaderValue::from_str(&total.to_string()) {
        response.headers_mut().insert("x-total-count", v);
    }
    Ok(response)
}

/// `GET /api/v1/threads/{id}`: the thread, its messages, analysis and latest background check.
pub async fn thread(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let detail = visible_thread(&state, &viewer, id).await?;
    let input =
        engine::thread_input(state.store.as_ref(), &detail, &state.config.seller_domains).await?;
    let lang = viewer.lang;
    let analysis = engine::blocking(move || tradescout_intake::understand(&input, lang)).await?;
    let report = state.store.latest_report(id).await?;
    Ok(Json(json!({
        "thread": detail.summary,
        "messages": detail.messages,
        "analysis": analysis,
        "report": report,
    })))
}

#[derive(Debug, Deserialize)]
pub struct ScoutRequest {
    target: String,
    #[serde(default)]
    thread_id: Option<i64>,
}

/// `POST /api/v1/scout` `{"target": …, "thread_id"?: …}`: queues a background check.
pub async fn start_scout(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Json(request): Json<ScoutRequest>,
) -> Result<Response, ApiError> {
    let lang = viewer.lang;
    let target = request.target.trim().to_string();
    if target.is_empty() || target.len() > 500 || target.chars().any(char::is_control) {
        return Err(WebError::BadInput(
            lang,
            tr(
                lang,
                "error.bad_input",
                &[
                    ("input", &"target"),
                    ("reason", &tr(lang, "web.error.bad_target", &[])),
                ],
            ),
        )
        .into());
    }
    if let Some(id) = request.thread_id {
        visible_thread(&state, &viewer, id).await?;
    }
    let job = state
        .store
        .enqueue_job(&NewJob {
            kind: "scout".into(),
            payload: json!({ "target": target, "thread_id": request.thread_id, "lang": lang.tag() }),
            owner_user_id: Some(viewer.user.id),
        })
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "job_id": job, "status": "queued" })),
    )
        .into_response())
}

/// `GET /api/v1/jobs/{id}`.
pub async fn job(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<tradescout_store::Job>, ApiError> {
    match state.store.job(id).await? {
        Some(j) if viewer.may_see(j.owner_user_id) => Ok(Json(j)),
        _ => Err(WebError::NotFound(viewer.lang).into()),
    }
}

/// `?rep=NAME` on Today.
#[derive(Debug, serde::Deserialize)]
pub struct TodayQuery {
    pub rep: Option<String>,
}

/// `GET /api/v1/today[?rep=NAME]`: the threads that need the caller (or, for a manager, the
/// named rep) today, highest priority first.
pub async fn today(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(q): Query<TodayQuery>,
) -> Result<Json<Vec<crate::today::TodayItem>>, ApiError> {
    Ok(Json(
        crate::today::for_viewer(&state, &viewer, q.rep.as_deref()).await?,
    ))
}

/// `GET /api/v1/insights?since=&until=`: the `insights` JSON over the deals the caller may see.
pub async fn insights(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Query(period): Query<Period>,
) -> Result<Json<tradescout_insights::Insights>, ApiError> {
    let (_, insights) = compute(&state, &viewer, &period).await?;
    Ok(Json(insights))
}

/// `GET /api/v1/deals`: the deals the caller may see, newest first.
pub async fn deals(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<tradescout_store::DealRow>>, ApiError> {
    Ok(Json(
        state
            .store
            .list_deals(&DealFilter {
                owner_user_id: viewer.owner_filter(),
                outcome: None,
                limit: 1000,
            })
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct StageChange {
    stage: String,
    #[serde(default)]
    note: Option<String>,
}

/// `POST /api/v1/deals/{id}/stage` `{"stage": …, "note"?: …}`.
pub async fn move_deal(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
    Json(change): Json<StageChange>,
) -> Result<Json<Value>, ApiError> {
    check_deal(&state, &viewer, &id).await?;
    let lang = viewer.lang;
    let stage: tradescout_core::Stage = change.stage.parse().map_err(|_| {
        WebError::BadInput(
            lang,
            tr(lang, "web.error.bad_stage", &[("stage", &change.stage)]),
        )
    })?;
    state
        .store
        .set_deal_stage(&id, stage, &viewer.user.name, change.note.as_deref())
        .await?;
    Ok(Json(json!({ "id": id, "stage": stage.as_str() })))
}
