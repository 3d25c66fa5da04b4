//! Insights: funnel, win rates, cycle time, loss reasons, the four-factor decomposition and
//! the lead-score quality, for a chosen period — over the deals the viewer may see.

use super::page_context;
use crate::session::{PageViewer, Viewer};
use crate::{engine, AppState, WebError};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;
use tradescout_core::tr;
use tradescout_insights::{Deal, Insights, InsightsOptions};

#[derive(Debug, Deserialize, Default)]
pub struct Period {
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
}

/// The deals the viewer may see and the figures over them.
pub async fn compute(
    state: &AppState,
    viewer: &Viewer,
    period: &Period,
) -> Result<(Vec<Deal>, Insights), WebError> {
    let lang = viewer.lang;
    let date = |s: &Option<String>| -> Result<Option<NaiveDate>, WebError> {
        match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => tradescout_insights::deal::parse_date(s)
                .map(Some)
                .ok_or_else(|| {
                    WebError::BadInput(lang, tr(lang, "web.error.bad_date", &[("date", &s)]))
                }),
        }
    };
    let options = InsightsOptions {
        since: date(&period.since)?,
        until: date(&period.until)?,
        today: chrono::Utc::now().date_naive(),
    };
    let mut deals = state.store.load_deals().await?;
    if let Some(owner) = viewer.owner_filter() {
        let mine: std::collections::HashSet<String> = state
            .store
            .list_deals(&tradescout_store::DealFilter {
                owner_user_id: Some(owner),
                outcome: None,
                limit: 10_000,
            })
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect();
        deals.retain(|d| mine.contains(&d.id));
    }
    engine::blocking(move || {
        let i = tradescout_insights::insights(&deals, &options);
        (deals, i)
    })
    .await
}

pub async fn page(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Query(period): Query<Period>,
) -> Result<Html<String>, WebError> {
    let (deals, insights) = compute(&state, &viewer, &period).await?;
    let lang = viewer.lang;
    // The charts come from the same figures, embedded as images (nothing in them can run).
    let (insights, charts) = engine::blocking(move || {
        let charts: Vec<(String, String)> =
            tradescout_insights::charts::all_charts(&insights, &deals, lang)
                .into_iter()
                .map(|(name, svg)| {
                    (
                        name.trim_end_matches(".svg").to_string(),
                        format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg)),
                    )
                })
                .collect();
        (insights, charts)
    })
    .await?;
    state.templates.render(
        "insights.html",
        page_context(
            &viewer,
            "insights",
            context! {
                i => insights,
                since => period.since,
                until => period.until,
                charts => charts,
            },
        ),
    )
}

/// One chart as SVG (served as an image, so nothing in it can run).
pub async fn chart(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(name): Path<String>,
    Query(period): Query<Period>,
) -> Result<Response, WebError> {
    let name = name.trim_end_matches(".svg").to_string();
    let (deals, insights) = compute(&state, &viewer, &period).await?;
    let lang = viewer.lang;
    let svg = engine::blocking(move || {
        tradescout_insights::charts::all_charts(&insights, &deals, lang)
            .into_iter()
            .find(|(n, _)| n.trim_end_matches(".svg") == name)
            .map(|(_, svg)| svg)
    })
    .await?
    .ok_or(WebError::NotFound(lang))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=60"),
        ],
        svg,
    )
        .into_response())
}
