//! Settings: users (admins add them), the ideal customer profile, sanctions lists and the AI
//! endpoint as configured, and the viewer's own language.

use super::page_context;
use crate::session::PageViewer;
use crate::{training, AppState, WebError};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use tradescout_core::{tr, Lang};
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
                retrain => last_retrain(&state).await,
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

/// Where the outcome of the last retrain is kept (the store's settings).
const RETRAIN_KEY: &str = "models.last_retrain";

/// The last retrain as the settings page shows it; `None` before the first (or when the
/// stored record is unreadable).
async fn last_retrain(state: &AppState) -> Option<serde_json::Value> {
    let text = state.store.setting(RETRAIN_KEY).await.ok().flatten()?;
    let record: serde_json::Value = serde_json::from_str(&text).ok()?;
    // A record this build cannot show (written by another version) is left out.
    let known = record
        .get("outcome")
        .and_then(|o| o.as_str())
        .is_some_and(|o| OUTCOMES.contains(&o));
    known.then_some(record)
}

/// One model's figures on the held-out corrected threads, as percentages.
fn figures(t: &tradescout_analyze::model::TaskReport) -> serde_json::Value {
    let pct = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 10.0);
    serde_json::json!({
        "stage": pct(t.stage_accuracy),
        "concern": pct(t.top_concern_accuracy),
        "spam_precision": pct(t.spam_precision),
        "spam_recall": pct(t.spam_recall),
    })
}

/// Only one retrain runs at a time; the guard belongs to the retrain's own task, so a
/// browser that gives up waiting does not let a second one start beside it.
fn retraining() -> std::sync::Arc<tokio::sync::Mutex<()>> {
    static LOCK: std::sync::OnceLock<std::sync::Arc<tokio::sync::Mutex<()>>> =
        std::sync::OnceLock::new();
    LOCK.get_or_init(Default::default).clone()
}

/// The outcomes the settings page can show.
const OUTCOMES: [&str; 5] = [
    "installed",
    "kept_old",
    "too_few",
    "no_corrections",
    "refused",
];

/// The administrator's retrain button: retrains the models in use on the team's corrections
/// (the service `train --from-store` runs), keeps them only when they judge the newest
/// corrected threads no worse, then uses them at once and saves them for the next start.
/// The outcome is recorded and shown on the settings page.
pub async fn retrain(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
) -> Result<Response, WebError> {
    let lang = viewer.lang;
    if !matches!(viewer.user.role, UserRole::Admin) {
        return Err(WebError::Forbidden(lang));
    }
    let Ok(guard) = retraining().try_lock_owned() else {
        return Err(WebError::BadInput(lang, tr(lang, "web.retrain.busy", &[])));
    };
    let by = viewer.user.name.clone();
    let task = tokio::spawn(async move {
        let _guard = guard;
        let record = run_retrain(&state, &by, lang).await?;
        state
            .store
            .set_setting(RETRAIN_KEY, &record.to_string())
            .await?;
        Ok::<(), WebError>(())
    });
    task.await
        .map_err(|e| WebError::Internal(format!("retrain task: {e}")))??;
    Ok(Redirect::to("/settings#models").into_response())
}

async fn run_retrain(
    state: &AppState,
    by: &str,
    lang: Lang,
) -> Result<serde_json::Value, WebError> {
    let raw = training::corrected_raw(state.store.as_ref()).await?;
    let domains = state.config.seller_domains.clone();
    let corrected =
        crate::engine::blocking(move || training::corrected_lines(raw, &domains, lang)).await?;
    let at = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    if corrected.is_empty() {
        return Ok(
            serde_json::json!({ "at": at, "by": by, "outcome": "no_corrections",
            "corrected": 0, "held_out": 0 }),
        );
    }
    let current = training::current_models().map_err(|e| WebError::Internal(e.to_string()))?;
    let outcome = crate::engine::blocking(move || training::retrain(&corrected, &current)).await?;
    let mut saved_to = None;
    let key = if outcome.held_out == 0 {
        "too_few"
    } else if !outcome.better {
        "kept_old"
    } else if !outcome.models.fits_this_build() {
        "refused"
    } else {
        if let Some(dir) = &state.config.models_dir {
            training::save_models(&outcome.models, dir)
                .map_err(|(path, e)| WebError::Internal(format!("{}: {e}", path.display())))?;
            saved_to = Some(dir.display().to_string());
        }
        if tradescout_analyze::model::replace(outcome.models.clone()) {
            "installed"
        } else {
            "refused"
        }
    };
    Ok(serde_json::json!({
        "at": at,
        "by": by,
        "outcome": key,
        "corrected": outcome.corrected,
        "held_out": outcome.held_out,
        "before": figures(&outcome.before),
        "after": figures(&outcome.after),
        "saved_to": saved_to,
    }))
}
