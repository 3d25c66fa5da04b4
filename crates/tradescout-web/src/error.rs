//! Every failure of a request becomes a response here: an HTML page for people, JSON for the
//! API. Messages are in the viewer's language; internal details go to the log, not the page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tradescout_core::{tr, Lang};
use tradescout_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound(Lang),
    #[error("forbidden")]
    Forbidden(Lang),
    #[error("not signed in")]
    Unauthorized(Lang),
    #[error("bad input: {1}")]
    BadInput(Lang, String),
    #[error("too many failed sign-ins")]
    TooManyAttempts(Lang),
    #[error("the form is stale or forged (CSRF token missing or wrong)")]
    Csrf(Lang),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
    #[error("{0}")]
    Internal(String),
}

impl WebError {
    fn parts(&self) -> (StatusCode, &'static str, String) {
        let msg = |lang: Lang, key: &str| tr(lang, key, &[]);
        match self {
            WebError::NotFound(l) => (
                StatusCode::NOT_FOUND,
                "not_found",
                msg(*l, "web.error.not_found"),
            ),
            WebError::Forbidden(l) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                msg(*l, "web.error.forbidden"),
            ),
            WebError::Unauthorized(l) => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                msg(*l, "web.error.unauthorized"),
            ),
            WebError::BadInput(_, m) => (StatusCode::BAD_REQUEST, "bad_input", m.clone()),
            WebError::TooManyAttempts(l) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                msg(*l, "web.error.too_many_attempts"),
            ),
            WebError::Csrf(l) => (StatusCode::FORBIDDEN, "csrf", msg(*l, "web.error.csrf")),
            WebError::Store(e) if e.is_busy() => {
                tracing::warn!("database busy: {e}");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    format!(
                        "{} / {}",
                        tr(Lang::ZhCn, "web.error.busy", &[]),
                        tr(Lang::En, "web.error.busy", &[])
                    ),
                )
            }
            WebError::Store(_) | WebError::Template(_) | WebError::Internal(_) => {
                tracing::error!("request failed: {self}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    format!(
                        "{} / {}",
                        tr(Lang::ZhCn, "web.error.internal", &[]),
                        tr(Lang::En, "web.error.internal", &[])
                    ),
                )
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, _, message) = self.parts();
        let body = format!(
            "<!doctype html><meta charset=\"utf-8\"><link rel=\"stylesheet\" href=\"/static/app.css\">\
             <title>{code}</title><main class=\"error\"><h1>{code}</h1><p>{msg}</p><p><a href=\"/inbox\">←</a></p></main>",
            code = status.as_u16(),
            msg = escape(&message)
        );
        let mut response = (
            status,
            [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response();
        retry_later(status, &mut response);
        response
    }
}

/// A busy database answers 503 with `Retry-After`, so clients and proxies try again instead
/// of reporting a failure.
fn retry_later(status: StatusCode, response: &mut Response) {
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("2"),
        );
    }
}

/// The same failure as JSON: `{"error": code, "message": text}`.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.0.parts();
        let mut response = (
            status,
            axum::Json(serde_json::json!({ "error": code, "message": message })),
        )
            .into_response();
        retry_later(status, &mut response);
        response
    }
}

/// HTML-escapes text for the few places that build markup by hand.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
