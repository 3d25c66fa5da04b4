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

/// An admin's change to one account: `action` is `role` (with `role`), `disable`, `enable` or
/// `password` (with `password`).
#[derive(Deserialize)]
pub struct UserChangeForm {
    action: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

/// Changes a user's role, disables or enables them, or resets their password (admins only;
/// nobody can disable or demote their own account, so a workspace keeps an admin).
pub async fn change_user(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<UserChangeForm>,
) -> Result<Response, WebError> {
    let lang = viewer.lang;
    if !matches!(viewer.user.role, UserRole::Admin) {
        return Err(WebError::Forbidden(lang));
    }
    let own = id == viewer.user.id;
    let mut change = tradescout_store::UserChange::default();
    match form.action.as_str() {
        "role" => {
            let role: UserRole = form.role.parse().map_err(|_| {
                WebError::BadInput(lang, tr(lang, "user.bad_role", &[("role", &form.role)]))
            })?;
            if own && role != UserRole::Admin {
                return Err(WebError::BadInput(
                    lang,
                    tr(lang, "web.users.not_yourself", &[]),
                ));
            }
            change.role = Some(role);
        }
        "disable" if own => {
            return Err(WebError::BadInput(
                lang,
                tr(lang, "web.users.not_yourself", &[]),
            ));
        }
        "disable" => change.disabled = Some(true),
        "enable" => change.disabled = Some(false),
        "password" => {
            if form.password.chars().count() < 10 {
                return Err(WebError::BadInput(
                    lang,
                    tr(lang, "user.password_short", &[]),
                ));
            }
            let password = form.password;
            let hash = crate::engine::blocking(move || crate::accounts::hash_password(&password))
                .await??;
            change.password_hash = Some(hash);
        }
        _ => return Err(WebError::BadInput(lang, tr(lang, "web.correct.bad", &[]))),
    }
    if !state.store.update_user(id, &change).await? {
        return Err(WebError::NotFound(lang));
    }
    Ok(Redirect::to("/settings#users").into_response())
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
