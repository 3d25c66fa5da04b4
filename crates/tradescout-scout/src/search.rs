//! Finding a company's website from its name through a search provider: a SearXNG instance's
//! JSON API, the Brave Search API, or both (SearXNG is asked first).

use crate::error::ScoutError;
use crate::fetch::{Accept, Fetcher};
use crate::CheckError;
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

/// The public Brave Search API.
pub const BRAVE_DEFAULT_URL: &str = "https://api.search.brave.com";

/// Config `[search]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchSettings {
    /// Base URL of a SearXNG instance with the JSON format enabled, e.g.
    /// `http://localhost:8888`.
    pub searxng_url: Option<String>,
    /// Name of the environment variable that holds the Brave Search API key; setting it
    /// turns Brave Search on.
    pub brave_api_key_env: Option<String>,
    /// Base URL of the Brave Search API (default [`BRAVE_DEFAULT_URL`]).
    pub brave_url: Option<String>,
    /// The Brave key itself, for callers that do not keep it in the environment; never read
    /// from the config file, so a key cannot end up in a file that gets shared.
    #[serde(skip)]
    pub brave_api_key: Option<String>,
}

impl SearchSettings {
    /// Whether any search provider is configured.
    pub fn is_configured(&self) -> bool {
        self.searxng_url.is_some() || self.brave_enabled()
    }

    fn brave_enabled(&self) -> bool {
        self.brave_api_key.is_some() || self.brave_api_key_env.is_some()
    }

    /// The Brave key: given directly, else read from the named environment variable.
    fn brave_key(&self) -> Result<String, String> {
        if let Some(key) = self
            .brave_api_key
            .as_deref()
            .filter(|k| !k.trim().is_empty())
        {
            return Ok(key.trim().to_string());
        }
        let var = self.brave_api_key_env.as_deref().unwrap_or("");
        match std::env::var(var) {
            Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_string()),
            _ => Err(format!(
                "the Brave Search API key is missing: environment variable {var} is not set"
            )),
        }
    }
}

/// Asks each configured provider in turn for `name`; the first company site found wins. What
/// a provider could not answer is returned beside it, named `search.searxng` or
/// `search.brave`, so a broken provider never hides the other one.
pub async fn find_site(
    fetcher: &Fetcher,
    settings: &SearchSettings,
    name: &str,
) -> (Option<Url>, Vec<CheckError>) {
    let mut errors = Vec::new();
    if let Some(base) = settings.searxng_url.as_deref() {
        match searxng(fetcher, base, name).await {
            Ok(Some(url)) => return (Some(url), errors),
            Ok(None) => {}
            Err(e) => errors.push(CheckError::new("search.searxng", &e.to_string())),
        }
    }
    if settings.brave_enabled() {
        let base = settings.brave_url.as_deref().unwrap_or(BRAVE_DEFAULT_URL);
        let found = match settings.brave_key() {
            Ok(key) => brave(fetcher, base, &key, name)
                .await
                .map_err(|e| brave_reason(&e)),
            Err(reason) => Err(reason),
        };
        match found {
            Ok(Some(url)) => return (Some(url), errors),
            Ok(None) => {}
            Err(reason) => errors.push(CheckError::new("search.brave", &reason)),
        }
    }
    (None, errors)
}

async fn searxng(fetcher: &Fetcher, base: &str, name: &str) -> Result<Option<Url>, ScoutError> {
    let mut url = endpoint(base, "/search")?;
    url.query_pairs_mut()
        .append_pair("q", name)
        .append_pair("format", "json");
    let page = fetcher.fetch(&url, Accept::Api).await?;
    let json: Value = serde_json::from_str(&page.text).map_err(|e| ScoutError::Request {
        url: url.to_string(),
        reason: format!("not SearXNG JSON: {e}"),
    })?;
    let urls = json
        .get("results")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("url").and_then(Value::as_str));
    Ok(first_company_site(urls))
}

/// Brave answers `{"web":{"results":[{"title","url","description"}]}}`.
async fn brave(
    fetcher: &Fetcher,
    base: &str,
    key: &str,
    name: &str,
) -> Result<Option<Url>, ScoutError> {
    let mut url = endpoint(base, "/res/v1/web/search")?;
    url.query_pairs_mut().append_pair("q", name);
    let page = fetcher
        .fetch_with_headers(&url, Accept::Json, &[("X-Subscription-Token", key)])
        .await?;
    let json: Value = serde_json::from_str(&page.text).map_err(|e| ScoutError::Request {
        url: url.to_string(),
        reason: format!("not Brave Search JSON: {e}"),
    })?;
    let urls = json
        .pointer("/web/results")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("url").and_then(Value::as_str));
    Ok(first_company_site(urls))
}

/// Brave's refusals in words a user can act on.
fn brave_reason(e: &ScoutError) -> String {
    match e {
        ScoutError::Status { status: 401, .. } | ScoutError::Status { status: 403, .. } => {
            format!("Brave Search refused the API key ({e})")
        }
        ScoutError::Status { status: 429, .. } => {
            format!("Brave Search rate limit or monthly quota reached ({e})")
        }
        other => other.to_string(),
    }
}

fn endpoint(base: &str, path: &str) -> Result<Url, ScoutError> {
    Url::parse(&format!("{}{path}", base.trim_end_matches('/'))).map_err(|e| ScoutError::Request {
        url: base.to_string(),
        reason: e.to_string(),
    })
}

/// The home page of the first result that is neither a directory nor a social network.
fn first_company_site<'a>(urls: impl Iterator<Item = &'a str>) -> Option<Url> {
    urls.filter_map(|u| Url::parse(u).ok())
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
        })
}
