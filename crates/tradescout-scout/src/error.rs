//! The one error type of the scout crate; every message names the URL or target and the problem.

use thiserror::Error;

/// Why a target or a page could not be checked.
#[derive(Debug, Error)]
pub enum ScoutError {
    #[error("{target:?} is not an email address, a domain or a URL")]
    BadTarget { target: String },
    #[error("{url} was not fetched: {reason}")]
    Refused { url: String, reason: String },
    #[error("{url} is disallowed by robots.txt")]
    Robots { url: String },
    #[error("{url} redirects more than {max} times")]
    TooManyRedirects { url: String, max: usize },
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url} has content type {content_type:?}, not HTML or text")]
    ContentType { url: String, content_type: String },
    #[error("{url} timed out")]
    Timeout { url: String },
    #[error("{url} could not be fetched: {reason}")]
    Request { url: String, reason: String },
}
