//! Settings: users (admins add them), the ideal customer profile, sanctions lists and the AI
//! endpoint as configured, and the viewer's own language.

use super::page_context;
use crate::session::PageViewer;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use tradescout_core::tr;
use tradescout_store::{NewUser, StoreError, UserRole};

pub async fn page(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
) -> Result<Html<String>, WebError> {
    let users = if matches!(viewer.user.role, UserRole::Admin) {
        state.store.list_users().await?
    } else {
        Vec::new()
    };
    let config = &state.config;
    state.templates.render(
        "settings.html",
        page_context(
            &viewer,
            "settings",
            context! {
                users => users,
                icp => serde_json::to_value(&config.scout.icp).unwrap_or_default(),
                sanctions => config.screener.as_ref().map(|s| s.entries().len()),
                ai_endpoint => config.ai_endpoint.clone(),
                seller_domains => config.seller_domains.clone(),
                backend => state.store.backend(),
            },
        ),
    )
}

#[derive(Deserialize)]
pub struct NewUserForm {
    name: String,
    role: String,
    password: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Form(form): Form<NewUserForm>,
) -> Result<Response, WebError> {
    let lang = viewer.lang;
    if !matches!(viewer.user.role, UserRole::Admin) {
        return Err(WebError::Forbidden(lang));
    }
    let name = form.name.trim().to_string();
    let role: UserRole = form.role.parse().map_err(|_| {
        WebError::BadInput(lang, tr(lang, "user.bad_role", &[("role", &form.role)]))
    })?;
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(WebError::BadInput(
            lang,
            tr(lang, "web.error.bad_name", &[]),
        ));
    }
    if form.password.chars().count() < 10 {
        return Err(WebError::BadInput(
            lang,
            tr(lang, "user.password_short", &[]),
        ));
    }
    let password = form.password;
    let hash = crate::engine::blocking(move || crate::accounts::hash_password(&password)).await??;
    match state
        .store
        .create_user(&NewUser {
            name,
            role,
            password_hash: hash,
            lang: None,
        })
        .await
    {
        Ok(_) => Ok(Redirect::to("/settings").into_response()),
        Err(StoreError::Conflict { reason, .. }) => Err(WebError::BadInput(lang, reason)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ProfileForm {
    lang: String,
}

pub async fn save_profile(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Form(form): Form<ProfileForm>,
) -> Result<Response, WebError> {
    let lang: tradescout_core::Lang = form
        .lang
        .parse()
        .map_err(|_| WebError::BadInput(viewer.lang, tr(viewer.lang, "web.error.bad_lang", &[])))?;
    state
        .store
        .set_user_lang(viewer.user.id, lang.tag())
        .await?;
    Ok(Redirect::to("/settings").into_response())
}
