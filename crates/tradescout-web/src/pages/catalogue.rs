//! The catalogue: upload CSV or XLSX (rows with problems named by row and column, the rest
//! kept), and the stored products.

use super::page_context;
use crate::session::PageViewer;
use crate::{AppState, WebError};
use axum::extract::{Multipart, State};
use axum::response::Html;
use minijinja::{context, Value};
use tradescout_coach::{Catalogue, RowProblem};
use tradescout_core::{tr, Lang};

pub async fn page(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
) -> Result<Html<String>, WebError> {
    render(&state, &viewer, Value::UNDEFINED).await
}

async fn render(
    state: &AppState,
    viewer: &crate::session::Viewer,
    result: Value,
) -> Result<Html<String>, WebError> {
    let products = state.store.catalogue().await?;
    state.templates.render(
        "catalogue.html",
        page_context(
            viewer,
            "catalogue",
            context! { products => products, result => result },
        ),
    )
}

pub async fn upload(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    mut form: Multipart,
) -> Result<Html<String>, WebError> {
    let lang = viewer.lang;
    if !viewer.user.role.sees_team() {
        return Err(WebError::Forbidden(lang));
    }
    let bad = |reason: String| WebError::BadInput(lang, reason);
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad(tr(lang, "web.error.bad_upload", &[("reason", &e)])))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("catalogue").to_string();
            let data = field
                .bytes()
                .await
                .map_err(|e| bad(tr(lang, "web.error.bad_upload", &[("reason", &e)])))?;
            file = Some((name, data.to_vec()));
        }
    }
    let Some((name, bytes)) = file else {
        return Err(bad(tr(lang, "input.empty", &[])));
    };
    let catalogue = crate::engine::blocking(move || Catalogue::read(&bytes))
        .await?
        .map_err(|e| {
            bad(tr(
                lang,
                "coach.catalog_error",
                &[("input", &name), ("reason", &e.describe(lang))],
            ))
        })?;
    let (added, updated) = state.store.upsert_catalogue(&catalogue.products).await?;
    let rejected: Vec<Value> = catalogue
        .rejected
        .iter()
        .map(|r| {
            context! {
                row => r.row,
                column => r.column.clone().unwrap_or_else(|| "—".into()),
                reason => problem(lang, &r.problem),
            }
        })
        .collect();
    render(
        &state,
        &viewer,
        context! { added => added, updated => updated, rejected => rejected, file => name },
    )
    .await
}

fn problem(lang: Lang, p: &RowProblem) -> String {
    match p {
        RowProblem::Empty => tr(lang, "coach.catalog_empty", &[]),
        RowProblem::NotANumber(v) => tr(lang, "coach.catalog_not_number", &[("value", v)]),
        RowProblem::Unreadable(r) => r.clone(),
    }
}
