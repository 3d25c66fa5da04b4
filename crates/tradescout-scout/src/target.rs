//! What the user asked about: an email address, a domain or a URL, and what kind of mailbox
//! an address belongs to (company, free or disposable, from the shipped lists).

use crate::error::ScoutError;
use reqwest::Url;
use std::collections::HashSet;
use std::sync::OnceLock;
use tradescout_core::EmailKind;

const FREE_MAIL: &str = include_str!("../data/free_mail.txt");
const DISPOSABLE_MAIL: &str = include_str!("../data/disposable_mail.txt");

/// A resolved target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The email address, when the target was one.
    pub email: Option<String>,
    /// The domain the email or URL belongs to (lower case, without `www.`).
    pub domain: Option<String>,
    /// Where to start crawling; `None` for free and disposable mail. Bare domains start on
    /// http (sites redirect to https themselves); the crawler falls back to https.
    pub start_url: Option<Url>,
    pub email_kind: EmailKind,
}

/// Resolves an email address, a domain or a URL.
pub fn resolve(target: &str) -> Result<Target, ScoutError> {
    let t = target.trim().trim_start_matches("mailto:");
    let bad = || ScoutError::BadTarget {
        target: target.to_string(),
    };
    if let Some((local, host)) = t.rsplit_once('@') {
        if local.is_empty() || local.contains(char::is_whitespace) || !looks_like_domain(host) {
            return Err(bad());
        }
        let domain = bare_domain(host);
        let kind = mail_kind(&domain);
        let start_url = match kind {
            EmailKind::Company => Url::parse(&format!("http://{domain}/")).ok(),
            _ => None,
        };
        return Ok(Target {
            email: Some(t.to_ascii_lowercase()),
            domain: Some(domain),
            start_url,
            email_kind: kind,
        });
    }
    if t.starts_with("http://") || t.starts_with("https://") {
        let url = Url::parse(t).map_err(|_| bad())?;
        let domain = url.host_str().map(bare_domain);
        return Ok(Target {
            email: None,
            domain,
            start_url: Some(url),
            email_kind: EmailKind::Unknown,
        });
    }
    if looks_like_domain(t) {
        let host = t.trim_end_matches('/');
        return Ok(Target {
            email: None,
            domain: Some(bare_domain(host)),
            start_url: Url::parse(&format!("http://{host}/")).ok(),
            email_kind: EmailKind::Unknown,
        });
    }
    Err(bad())
}

impl Target {
    /// A company name for which no website was found.
    pub fn unresolved() -> Target {
        Target {
            email: None,
            domain: None,
            start_url: None,
            email_kind: EmailKind::Unknown,
        }
    }
}

/// Whether the text reads as a company name (letters and spaces, no `@`, no scheme).
pub fn looks_like_name(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && !s.contains('@') && !s.contains("://") && s.chars().any(char::is_alphabetic)
}

/// The mailbox kind of a domain.
pub fn mail_kind(domain: &str) -> EmailKind {
    let d = bare_domain(domain);
    if list(DISPOSABLE_MAIL, &DISPOSABLE).contains(d.as_str()) {
        EmailKind::Disposable
    } else if list(FREE_MAIL, &FREE).contains(d.as_str()) {
        EmailKind::Free
    } else {
        EmailKind::Company
    }
}

static FREE: OnceLock<HashSet<String>> = OnceLock::new();
static DISPOSABLE: OnceLock<HashSet<String>> = OnceLock::new();

fn list<'a>(text: &str, cell: &'a OnceLock<HashSet<String>>) -> &'a HashSet<String> {
    cell.get_or_init(|| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_ascii_lowercase)
            .collect()
    })
}

fn looks_like_domain(s: &str) -> bool {
    let s = s.trim_end_matches('/');
    s.contains('.')
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == ':')
}

/// Lower case, without a trailing dot, port or leading `www.`.
pub fn bare_domain(host: &str) -> String {
    let h = host.trim().trim_end_matches('.').to_lowercase();
    let h = h.split(':').next().unwrap_or("").to_string();
    h.strip_prefix("www.").map(str::to_string).unwrap_or(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_email_resolves_to_its_domain_and_site() {
        let t = resolve("Anna.Lee@Shop.Example").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.domain.as_deref(), Some("shop.example"));
        assert_eq!(t.email_kind, EmailKind::Company);
        assert_eq!(
            t.start_url.map(|u| u.to_string()).as_deref(),
            Some("http://shop.example/")
        );
    }

    #[test]
    fn free_and_disposable_mail_are_not_crawled() {
        let t = resolve("buyer123@gmail.com").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.email_kind, EmailKind::Free);
        assert!(t.start_url.is_none());
        let t = resolve("x@mailinator.com").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.email_kind, EmailKind::Disposable);
    }

    #[test]
    fn domains_and_urls_resolve_and_nonsense_is_refused() {
        let t = resolve("www.acme-trading.de").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.domain.as_deref(), Some("acme-trading.de"));
        let t = resolve("http://shop.example:8080/about").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.domain.as_deref(), Some("shop.example"));
        assert!(resolve("just words").is_err());
    }
}
