//! Server-rendered pages. Each handler extracts, calls the engine or the store, renders.

pub mod ai;
pub mod brief;
pub mod catalogue;
pub mod inbox;
pub mod insights;
pub mod pipeline;
pub mod settings;
pub mod today;

use crate::accounts::verify_password;
use crate::session::{self, request_lang, PageViewer, Viewer, LANG_COOKIE};
use crate::{AppState, WebError};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::{context, Value};
use serde::Deserialize;
use std::net::SocketAddr;
use tradescout_core::{tr, Lang};

/// What every page's layout needs, merged with the page's own values.
pub fn page_context(viewer: &Viewer, page: &str, own: Value) -> Value {
    let base = context! {
        lang => viewer.lang.tag(),
        other_lang => match viewer.lang { Lang::ZhCn => "en", Lang::En => "zh-CN" },
        user => context! { name => viewer.user.name.clone(), role => viewer.user.role.as_str(),
                           manages => viewer.user.role.sees_team(),
                           admin => matches!(viewer.user.role, tradescout_store::UserRole::Admin) },
        csrf => viewer.csrf.clone().unwrap_or_default(),
        page => page,
    };
    context! { ..own, ..base }
}

/// The start page is Today: what needs doing first.
pub async fn home(PageViewer(_): PageViewer) -> Redirect {
    Redirect::to("/today")
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!("health check: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "store unreachable").into_response()
        }
    }
}

pub async fn not_found(State(state): State<AppState>, headers: HeaderMap) -> WebError {
    WebError::NotFound(request_lang(&headers, state.config.default_lang))
}

/// A real hash to check unknown names against, made once.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| crate::accounts::hash_password("no such user").unwrap_or_default())
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
}

pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Html<String>, WebError> {
    let lang = request_lang(&headers, state.config.default_lang);
    login_page(&state, lang, None)
}

fn login_page(
    state: &AppState,
    lang: Lang,
    error: Option<String>,
) -> Result<Html<String>, WebError> {
    state.templates.render(
        "login.html",
        context! {
            lang => lang.tag(),
            other_lang => match lang { Lang::ZhCn => "en", Lang::En => "zh-CN" },
            error => error,
        },
    )
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = request_lang(&headers, state.config.default_lang);
    let name = form.name.trim().to_string();
    let client =
        crate::security::client_address(peer.ip(), &headers, &state.config.trusted_proxies);
    let keys = crate::security::LoginKeys::new(&name, client);
    if state.limiter.blocked(state.store.as_ref(), &keys).await? {
        let mut page = login_page(
            &state,
            lang,
            Some(tr(lang, "web.error.too_many_attempts", &[])),
        )?
        .into_response();
        *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(page);
    }
    let user = state.store.user_by_name(&name).await?;
    let password = form.password;
    let verified = match user {
        Some(u) if !u.disabled => {
            let hash = u.password_hash.clone();
            let ok = crate::engine::blocking(move || verify_password(&hash, &password)).await?;
            ok.then_some(u)
        }
        _ => {
            // The same work for an unknown name, so timing does not tell names apart.
            let _ = crate::engine::blocking(move || verify_password(dummy_hash(), &password)).await;
            None
        }
    };
    let Some(user) = verified else {
        state.limiter.failed(state.store.as_ref(), &keys).await?;
        let mut page =
            login_page(&state, lang, Some(tr(lang, "web.login.failed", &[])))?.into_response();
        *page.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(page);
    };
    state.limiter.succeeded(state.store.as_ref(), &keys).await?;
    let cookie = session::start(&state, &user).await?;
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/today")).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let cookie = session::end(&state, &headers).await?;
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    back: Option<String>,
}

/// Switches the language: kept on the user when signed in, in a cookie otherwise.
pub async fn set_lang(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LangForm>,
) -> Result<Response, WebError> {
    let fallback = request_lang(&headers, state.config.default_lang);
    let lang: Lang = form
        .lang
        .parse()
        .map_err(|_| WebError::BadInput(fallback, tr(fallback, "web.error.bad_lang", &[])))?;
    if let Some(v) = session::viewer(&headers, &state).await? {
        state.store.set_user_lang(v.user.id, lang.tag()).await?;
    }
    // Only our own paths: no open redirect.
    let back = form
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .unwrap_or_else(|| "/inbox".into());
    Ok((
        [(
            header::SET_COOKIE,
            format!(
                "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
                lang.tag()
            ),
        )],
        Redirect::to(&back),
    )
        .into_response())
}
