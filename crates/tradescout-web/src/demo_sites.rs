//! The demo's buyer websites (`examples/sites/`), served on loopback while the demo is built so
//! that its background checks find real pages with no network.

use crate::WebError;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

macro_rules! page {
    ($domain:literal, $file:literal) => {
        page!($domain, $file, concat!("/", $file))
    };
    ($domain:literal, $file:literal, $path:expr) => {
        (
            $domain,
            $path,
            include_str!(concat!("../../../examples/sites/", $domain, "/", $file)),
        )
    };
}

/// (domain, path, page) of every bundled page.
pub const PAGES: &[(&str, &str, &str)] = &[
    page!("greenlight-supplies.co.uk", "index.html", "/"),
    page!("greenlight-supplies.co.uk", "about.html"),
    page!("greenlight-supplies.co.uk", "products.html"),
    page!("greenlight-supplies.co.uk", "contact.html"),
    page!("importandinas.com.co", "index.html", "/"),
    page!("importandinas.com.co", "quienes-somos.html"),
    page!("importandinas.com.co", "contacto.html"),
    page!("gulfbuild-trading.ae", "index.html", "/"),
    page!("gulfbuild-trading.ae", "about-us.html"),
    page!("gulfbuild-trading.ae", "contact-us.html"),
];

/// The domains that have a bundled site.
pub fn domains() -> Vec<&'static str> {
    let mut d: Vec<&str> = PAGES.iter().map(|p| p.0).collect();
    d.dedup();
    d
}

/// A server answering for every bundled domain on an ephemeral loopback port, until the
/// returned handle is dropped or aborted.
pub async fn serve() -> Result<(SocketAddr, tokio::task::JoinHandle<()>), WebError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| WebError::Internal(format!("demo sites: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| WebError::Internal(format!("demo sites: {e}")))?;
    let app = axum::Router::new().fallback(answer);
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!("demo sites stopped: {e}");
        }
    });
    Ok((addr, task))
}

async fn answer(request: Request) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| h.split(':').next().unwrap_or(h))
        .unwrap_or("")
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let path = request.uri().path();
    match PAGES.iter().find(|p| p.0 == host && p.1 == path) {
        Some(page) => {
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page.2).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
