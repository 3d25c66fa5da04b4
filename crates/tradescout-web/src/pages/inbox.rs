//! The inbox: threads the viewer may see, newest first, with stage, top concern, risk,
//! language, country, fit and lead score; filters, search, and pasting a new inquiry.

use super::page_context;
use crate::session::{PageViewer, Viewer};
use crate::{engine, AppState, WebError};
use axum::extract::{Multipart, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use tradescout_core::analysis::Analysis;
use tradescout_core::labels::{Concern, Stage};
use tradescout_core::tr;
use tradescout_store::ThreadFilter;

const PAGE_SIZE: i64 = 50;
/// Bytes of a refused paste shown again in the box.
const MAX_TYPED: usize = 256 * 1024;

#[derive(Debug, Deserialize, Default)]
pub struct InboxQuery {
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    concern: Option<String>,
    #[serde(default)]
    spam: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<i64>,
}

/// The store filter for a query, limited to what the viewer may see. Unknown labels are
/// ignored rather than matched literally.
pub fn filter_of(viewer: &Viewer, q: &InboxQuery) -> ThreadFilter {
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    ThreadFilter {
        owner_user_id: viewer.owner_filter(),
        stage: q
            .stage
            .as_deref()
            .and_then(|s| s.parse::<Stage>().ok())
            .map(|s| s.as_str().to_string()),
        concern: q
            .concern
            .as_deref()
            .and_then(|s| s.parse::<Concern>().ok())
            .map(|c| c.as_str().to_string()),
        spam: match q.spam.as_deref() {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        },
        search: q
            .q
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(200).collect()),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Query(q): Query<InboxQuery>,
) -> Result<Html<String>, WebError> {
    render(&state, &viewer, &q, None).await
}

/// What a paste that could not be stored shows on the inbox: the reason, and the text as
/// typed, so nothing has to be pasted again.
struct PasteError {
    message: String,
    typed: String,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    q: &InboxQuery,
    paste_error: Option<PasteError>,
) -> Result<Html<String>, WebError> {
    let filter = filter_of(viewer, q);
    let threads = state.store.list_threads(&filter).await?;
    let total = state.store.count_threads(&filter).await?;
    let page = filter.offset / PAGE_SIZE + 1;
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let (paste_error, typed) = match paste_error {
        Some(e) => (Some(e.message), e.typed),
        None => (None, String::new()),
    };
    state.templates.render(
        "inbox.html",
        page_context(
            viewer,
            "inbox",
            context! {
                paste_error => paste_error,
                typed => typed,
                threads => threads,
                total => total,
                page_no => page,
                pages => pages.max(1),
                stages => Stage::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                concerns => Concern::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                q => context! { stage => q.stage.clone(), concern => q.concern.clone(), spam => q.spam.clone(), q => q.q.clone() },
            },
        ),
    )
}

/// A pasted or uploaded inquiry: stored as the viewer's, analysed, then its brief is shown.
pub async fn submit(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let lang = viewer.lang;
    let bad = |reason: String| WebError::BadInput(lang, reason);
    let mut bytes: Vec<u8> = Vec::new();
    let mut name = tr(lang, "web.inbox.pasted", &[]);
    // What was typed in the box (not a file's bytes), shown again if the paste is refused.
    let mut typed = String::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad(tr(lang, "web.error.bad_upload", &[("reason", &e)])))?
    {
        let field_name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = field
            .bytes()
            .await
            .map_err(|e| bad(tr(lang, "web.error.bad_upload", &[("reason", &e)])))?;
        match field_name.as_str() {
            "file" if !data.is_empty() => {
                name = file_name.unwrap_or(name);
                bytes = data.to_vec();
            }
            "text" => {
                if bytes.is_empty() && !data.iter().all(u8::is_ascii_whitespace) {
                    bytes = data.to_vec();
                }
                typed = String::from_utf8_lossy(&data[..data.len().min(MAX_TYPED)]).into_owned();
            }
            _ => {}
        }
    }
    // An empty paste or one that cannot be read comes back on the same page with its reason,
    // and the text as typed kept in the box.
    let outcome = if bytes.iter().all(u8::is_ascii_whitespace) {
        Err(tr(lang, "web.inbox.empty_paste", &[]))
    } else {
        match store_inquiry(&state, &viewer, &bytes, &name).await {
            Ok((id, _)) => Ok(id),
            Err(WebError::BadInput(_, message)) => Err(message),
            Err(e) => return Err(e),
        }
    };
    let outcome = outcome.map_err(|message| PasteError { message, typed });
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/threads/{id}")).into_response()),
        Err(e) => {
            let page = render(&state, &viewer, &InboxQuery::default(), Some(e)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Stores an inquiry for `viewer` and analyses its thread (in the viewer's language); returns
/// the thread id and the analysis.
pub async fn store_inquiry(
    state: &AppState,
    viewer: &Viewer,
    bytes: &[u8],
    name: &str,
) -> Result<(i64, Analysis), WebError> {
    let lang = viewer.lang;
    let messages = engine::inquiry_messages(bytes, "web").map_err(|e| {
        WebError::BadInput(
            lang,
            tr(
                lang,
                "error.bad_input",
                &[
                    ("input", &name),
                    ("reason", &tradescout_intake::reason(lang, &e)),
                ],
            ),
        )
    })?;
    let outcomes = state.store.insert_messages(&messages).await?;
    let Some(thread_id) = outcomes.last().map(|o| o.thread()) else {
        return Err(WebError::BadInput(lang, tr(lang, "input.empty", &[])));
    };
    let store = state.store.as_ref();
    let version = engine::analyzer_version();
    let Some((detail, _, analysis)) =
        engine::analyse(store, thread_id, &state.config.seller_domains, lang).await?
    else {
        return Err(WebError::NotFound(lang));
    };
    if detail.summary.owner_user_id.is_none() {
        store
            .set_thread_owner(thread_id, Some(viewer.user.id))
            .await?;
    }
    engine::save(store, thread_id, &analysis, version).await?;
    if let Some(model) = state.leads.model(store).await? {
        store
            .set_lead_score(thread_id, Some(engine::lead_score(&model, &analysis)))
            .await?;
    }
    Ok((thread_id, analysis))
}
