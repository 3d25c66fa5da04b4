//! Finding a company's website from its name through a SearXNG instance's JSON API.

use crate::error::ScoutError;
use crate::fetch::{Accept, Fetcher};
use reqwest::Url;
use serde::Deserialize;
use serde_json::Value;

/// Hosts that are directories or networks, never the company's own site.
const NOT_A_COMPANY_SITE: &[&str] = &[
    "linkedin.com",
    "facebook.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "youtube.com",
    "wikipedia.org",
    "yelp.com",
    "alibaba.com",
    "made-in-china.com",
    "amazon.com",
    "bloomberg.com",
    "crunchbase.com",
    "dnb.com",
    "kompass.com",
    "opencorporates.com",
    "zoominfo.com",
    "google.com",
    "bing.com",
];

/// Config `[search]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchSettings {
    /// Base URL of a SearXNG instance with the JSON format enabled, e.g.
    /// `http://localhost:8888`.
    pub searxng_url: Option<String>,
}

/// The first result that looks like the company's own site.
pub async fn find_site(
    fetcher: &Fetcher,
    settings: &SearchSettings,
    name: &str,
) -> Result<Option<Url>, ScoutError> {
    let Some(base) = settings.searxng_url.as_deref() else {
        return Ok(None);
    };
    let mut url = Url::parse(&format!("{}/search", base.trim_end_matches('/'))).map_err(|e| {
        ScoutError::Request {
            url: base.to_string(),
            reason: e.to_string(),
        }
    })?;
    url.query_pairs_mut()
        .append_pair("q", name)
        .append_pair("format", "json");
    let page = fetcher.fetch(&url, Accept::Api).await?;
    let json: Value = serde_json::from_str(&page.text).map_err(|e| ScoutError::Request {
        url: url.to_string(),
        reason: format!("not SearXNG JSON: {e}"),
    })?;
    Ok(json
        .get("results")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("url").and_then(Value::as_str))
        .filter_map(|u| Url::parse(u).ok())
        .find(|u| {
            let host = u.host_str().unwrap_or("").to_ascii_lowercase();
            matches!(u.scheme(), "http" | "https")
                && !NOT_A_COMPANY_SITE
                    .iter()
                    .any(|d| host == *d || host.ends_with(&format!(".{d}")))
        })
        .map(|mut u| {
            u.set_path("/");
            u.set_query(None);
            u.set_fragment(None);
            u
        }))
}
