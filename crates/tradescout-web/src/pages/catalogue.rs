//! The catalogue: upload CSV or XLSX (rows with problems named by row and column, the rest
//! kept), and the stored products.

use super::page_context;
use crate::session::PageViewer;
use crate::{AppState, WebError};
use axum::extract::{Multipart, Query, State};
use axum::response::Html;
use minijinja::{context, Value};
use serde::Deserialize;
use tradescout_coach::{Catalogue, CatalogueProduct, RowProblem};
use tradescout_core::{tr, Lang};

/// Rows shown on one page of the catalogue.
const PAGE_SIZE: usize = 50;

/// What the catalogue page was asked for: a search and a page.
#[derive(Debug, Deserialize, Default)]
pub struct CatalogueQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<usize>,
}

pub async fn page(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Query(q): Query<CatalogueQuery>,
) -> Result<Html<String>, WebError> {
    render(&state, &viewer, &q, Value::UNDEFINED).await
}

/// One page of the stored catalogue's rows that answer a search, and how many answer it.
pub struct CataloguePage {
    pub products: Vec<CatalogueProduct>,
    /// Rows answering the search, and rows in the catalogue.
    pub found: usize,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
}

/// The rows of `catalogue` answering `query` (every word, any field, any case), page `page`
/// (from 1; past the last, the last).
pub fn catalogue_page(catalogue: &Catalogue, query: &str, page: usize) -> CataloguePage {
    let found: Vec<&CatalogueProduct> = catalogue.search(query).collect();
    let pages = found.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    CataloguePage {
        products: found
            .iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|p| (*p).clone())
            .collect(),
        found: found.len(),
        total: catalogue.products.len(),
        page,
        pages,
    }
}

async fn render(
    state: &AppState,
    viewer: &crate::session::Viewer,
    q: &CatalogueQuery,
    result: Value,
) -> Result<Html<String>, WebError> {
    let catalogue = state.catalogues.get(state.store.as_ref()).await?;
    let query: String =
        q.q.as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .take(200)
            .collect();
    let page = q.page.unwrap_or(1);
    // A search reads every row: off the async runtime.
    let shown = {
        let query = query.clone();
        crate::engine::blocking(move || catalogue_page(&catalogue, &query, page)).await?
    };
    state.templates.render(
        "catalogue.html",
        page_context(
            viewer,
            "catalogue",
            context! {
                products => shown.products,
                found => shown.found,
                total => shown.total,
                page_no => shown.page,
                pages => shown.pages,
                q => query,
                result => result,
            },
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
        &CatalogueQuery::default(),
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
