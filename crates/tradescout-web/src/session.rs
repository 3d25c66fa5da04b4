//! Who is asking: a browser session (cookie) or an API token (bearer), and in which language
//! they read. Session ids and tokens are looked up by their digest.

use crate::accounts::{digest, new_secret};
use crate::error::ApiError;
use crate::{AppState, WebError};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use tradescout_core::Lang;
use tradescout_store::User;

pub const SESSION_COOKIE: &str = "tradescout_session";
pub const LANG_COOKIE: &str = "tradescout_lang";

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub lang: Lang,
    /// The session's CSRF token; `None` for API-token callers.
    pub csrf: Option<String>,
}

impl Viewer {
    /// The owner to filter lists by: `None` (everyone's) for admins and managers.
    pub fn owner_filter(&self) -> Option<i64> {
        if self.user.role.sees_team() {
            None
        } else {
            Some(self.user.id)
        }
    }

    /// Whether this person may see or change something owned by `owner`.
    pub fn may_see(&self, owner: Option<i64>) -> bool {
        self.user.role.sees_team() || owner == Some(self.user.id)
    }
}

/// The value of cookie `name`.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The language for someone not signed in: their cookie, then their browser, then the default.
pub fn request_lang(headers: &HeaderMap, default: Lang) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|v| v.parse().ok()) {
        return lang;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match accept
        .split(',')
        .next()
        .map(|l| l.trim().to_ascii_lowercase())
    {
        Some(l) if l.starts_with("zh") => Lang::ZhCn,
        Some(l) if l.starts_with("en") => Lang::En,
        _ => default,
    }
}

/// The signed-in person behind a request, if any.
pub async fn viewer(headers: &HeaderMap, state: &AppState) -> Result<Option<Viewer>, WebError> {
    let lang_of = |user: &User| {
        user.lang
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(|| request_lang(headers, state.config.default_lang))
    };
    if let Some(token) = bearer(headers) {
        let Some(user) = state.store.user_by_token(&digest(token)).await? else {
            return Ok(None);
        };
        return Ok(Some(Viewer {
            lang: lang_of(&user),
            user,
            csrf: None,
        }));
    }
    let Some(secret) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(session) = state.store.session(&digest(secret)).await? else {
        return Ok(None);
    };
    let csrf = session
        .data
        .get("csrf")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    Ok(Some(Viewer {
        lang: lang_of(&session.user),
        user: session.user,
        csrf,
    }))
}

/// The bearer token of an `Authorization` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Starts a session for `user`; returns the `Set-Cookie` value.
pub async fn start(state: &AppState, user: &User) -> Result<String, WebError> {
    let secret = new_secret()?;
    let csrf = new_secret()?;
    let hours = state.config.session_hours.max(1);
    let expires = (chrono::Utc::now() + chrono::Duration::hours(hours))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    state
        .store
        .create_session(
            &digest(&secret),
            user.id,
            &serde_json::json!({ "csrf": csrf }),
            &expires,
        )
        .await?;
    Ok(session_cookie(
        &secret,
        hours * 3600,
        state.config.secure_cookies,
    ))
}

/// Ends the session of this request (if any); returns the `Set-Cookie` value that clears it.
pub async fn end(state: &AppState, headers: &HeaderMap) -> Result<String, WebError> {
    if let Some(secret) = cookie(headers, SESSION_COOKIE) {
        state.store.delete_session(&digest(secret)).await?;
    }
    Ok(session_cookie("", 0, state.config.secure_cookies))
}

fn session_cookie(value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// A page's viewer: not signed in means a redirect to the sign-in page.
pub struct PageViewer(pub Viewer);

impl FromRequestParts<AppState> for PageViewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(v) = parts.extensions.get::<Viewer>() {
            return Ok(PageViewer(v.clone()));
        }
        match viewer(&parts.headers, state).await {
            Ok(Some(v)) => Ok(PageViewer(v)),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// An API caller: not signed in means 401 JSON.
pub struct ApiViewer(pub Viewer);

impl FromRequestParts<AppState> for ApiViewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(v) = parts.extensions.get::<Viewer>() {
            return Ok(ApiViewer(v.clone()));
        }
        match viewer(&parts.headers, state).await? {
            Some(v) => Ok(ApiViewer(v)),
            None => Err(ApiError(WebError::Unauthorized(request_lang(
                &parts.headers,
                state.config.default_lang,
            )))),
        }
    }
}
