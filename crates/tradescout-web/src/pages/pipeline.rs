//! The pipeline board: open deals by buying stage, moved by a person (every change kept
//! with who and when), closed as won or lost with a loss reason.

use super::page_context;
use crate::session::{PageViewer, Viewer};
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use tradescout_core::labels::{Outcome, Stage};
use tradescout_core::tr;
use tradescout_store::{DealClose, DealFilter, DealRow};

/// Loss reasons offered on the board; free text is kept beside the pick.
pub const LOSS_REASONS: &[&str] = &[
    "price",
    "lead_time",
    "quality",
    "certification",
    "payment_terms",
    "competitor",
    "no_response",
    "project_cancelled",
    "other",
];

/// Cards drawn per column; the rest are counted ("and 40 more"), newest first.
const CARDS_PER_COLUMN: usize = 40;

/// One card on the board: the deal and what the rep reads at a glance.
#[derive(serde::Serialize)]
struct Card<'a> {
    #[serde(flatten)]
    deal: &'a DealRow,
    /// Days since the deal was opened (`None` when its date is unreadable).
    age_days: Option<i64>,
}

impl<'a> Card<'a> {
    fn of(deal: &'a DealRow, today: chrono::NaiveDate) -> Card<'a> {
        let created = deal
            .created
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        Card {
            deal,
            age_days: created.map(|c| (today - c).num_days().max(0)),
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
) -> Result<Html<String>, WebError> {
    let open = state
        .store
        .list_deals(&DealFilter {
            owner_user_id: viewer.owner_filter(),
            outcome: Some("open".into()),
            limit: 1000,
        })
        .await?;
    let closed = state
        .store
        .list_deals(&DealFilter {
            owner_user_id: viewer.owner_filter(),
            outcome: None,
            limit: 60,
        })
        .await?
        .into_iter()
        .filter(|d| d.outcome != "open")
        .take(20)
        .collect::<Vec<_>>();
    let today = chrono::Utc::now().date_naive();
    let columns: Vec<minijinja::Value> = Stage::ALL
        .iter()
        .map(|s| {
            let all: Vec<&DealRow> = open.iter().filter(|d| d.stage == s.as_str()).collect();
            let cards: Vec<Card> = all
                .iter()
                .take(CARDS_PER_COLUMN)
                .map(|d| Card::of(d, today))
                .collect();
            context! {
                stage => s.as_str(),
                count => all.len(),
                more => all.len().saturating_sub(CARDS_PER_COLUMN),
                deals => cards,
            }
        })
        .collect();
    state.templates.render(
        "pipeline.html",
        page_context(
            &viewer,
            "pipeline",
            context! {
                columns => columns,
                closed => closed,
                stages => Stage::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                loss_reasons => LOSS_REASONS,
            },
        ),
    )
}

/// The deal if the viewer may change it; otherwise 404, as for a missing one.
pub async fn check_deal(state: &AppState, viewer: &Viewer, id: &str) -> Result<(), WebError> {
    match state.store.deal_owner(id).await? {
        Some(owner) if viewer.may_see(owner) => Ok(()),
        _ => Err(WebError::NotFound(viewer.lang)),
    }
}

#[derive(Deserialize)]
pub struct StageForm {
    stage: String,
    #[serde(default)]
    note: Option<String>,
}

pub async fn move_deal(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<StageForm>,
) -> Result<Response, WebError> {
    check_deal(&state, &viewer, &id).await?;
    let stage: Stage = form.stage.parse().map_err(|_| {
        WebError::BadInput(
            viewer.lang,
            tr(
                viewer.lang,
                "web.error.bad_stage",
                &[("stage", &form.stage)],
            ),
        )
    })?;
    let note = form.note.filter(|n| !n.trim().is_empty());
    state
        .store
        .set_deal_stage(&id, stage, &viewer.user.name, note.as_deref())
        .await?;
    Ok(back_to_board(&headers))
}

#[derive(Deserialize)]
pub struct CloseForm {
    outcome: String,
    #[serde(default)]
    loss_reason: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

pub async fn close_deal(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CloseForm>,
) -> Result<Response, WebError> {
    check_deal(&state, &viewer, &id).await?;
    let lang = viewer.lang;
    let outcome: Outcome = form
        .outcome
        .parse()
        .ok()
        .filter(|o| *o != Outcome::Open)
        .ok_or_else(|| WebError::BadInput(lang, tr(lang, "web.error.bad_outcome", &[])))?;
    let reason = match (outcome, form.loss_reason.as_deref(), form.note.as_deref()) {
        (Outcome::Lost, pick, note) => {
            let pick = pick.filter(|p| LOSS_REASONS.contains(p)).unwrap_or("other");
            Some(match note.map(str::trim).filter(|n| !n.is_empty()) {
                Some(n) => format!("{pick}: {n}"),
                None => pick.to_string(),
            })
        }
        _ => None,
    };
    state
        .store
        .close_deal(
            &id,
            &DealClose {
                outcome,
                loss_reason: reason,
                closed: chrono::Utc::now().date_naive().to_string(),
                amount: None,
                currency: None,
                quantity: None,
                changed_by: viewer.user.name.clone(),
            },
        )
        .await?;
    // A new outcome is new evidence for the lead score.
    state.leads.forget().await;
    Ok(back_to_board(&headers))
}

/// htmx requests get an empty answer and a client redirect; plain forms a normal redirect.
fn back_to_board(headers: &HeaderMap) -> Response {
    if headers.contains_key("hx-request") {
        ([("HX-Redirect", "/pipeline")], "").into_response()
    } else {
        Redirect::to("/pipeline").into_response()
    }
}
