//! The Today page: the service in `crate::today`, as a table with a link to each brief; a
//! manager may pick one rep.

use super::page_context;
use crate::session::PageViewer;
use crate::{AppState, WebError};
use axum::extract::{Query, State};
use axum::response::Html;
use minijinja::context;

pub async fn page(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Query(q): Query<crate::api::TodayQuery>,
) -> Result<Html<String>, WebError> {
    let rep = q.rep.as_deref().filter(|r| !r.trim().is_empty());
    let items = crate::today::for_viewer(&state, &viewer, rep).await?;
    let reps: Vec<String> = if viewer.user.role.sees_team() {
        state
            .store
            .list_users()
            .await?
            .into_iter()
            .filter(|u| !u.disabled)
            .map(|u| u.name)
            .collect()
    } else {
        Vec::new()
    };
    state.templates.render(
        "today.html",
        page_context(
            &viewer,
            "today",
            context! {
                items => items,
                reps => reps,
                rep => rep.unwrap_or(""),
            },
        ),
    )
}
