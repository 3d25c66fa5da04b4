//! Buyer background checks: resolve the target (email, domain, URL), crawl the buyer's site
//! politely and safely, extract facts with the page each came from, look up the mail domain
//! (MX, RDAP), screen the company against sanctions lists, and score fit and risk.

pub mod country;
pub mod country_cues;
pub mod crawl;
pub mod error;
pub mod extract;
pub mod fetch;
pub mod guard;
pub mod lookalike;
pub mod mx;
mod phones;
pub mod rdap;
pub mod report;
pub mod score;
pub mod search;
mod structured;
pub mod target;
mod third_party;

pub use error::ScoutError;
pub use fetch::{FetchSettings, Fetcher, USER_AGENT};
pub use report::{markdown, Report};
pub use score::Icp;
pub use search::SearchSettings;

use serde::Serialize;
use std::time::Duration;
use tradescout_core::{EmailKind, Lang};
use tradescout_sanctions::{ScreenOptions, Screener};

/// What could not be checked, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CheckError {
    pub what: String,
    pub reason: String,
}

impl CheckError {
    pub fn new(what: &str, reason: &str) -> CheckError {
        CheckError {
            what: what.to_string(),
            reason: reason.to_string(),
        }
    }
}

/// How to run a check.
#[derive(Debug, Clone)]
pub struct ScoutOptions {
    pub max_pages: usize,
    /// Budget for the whole check.
    pub total_timeout: Duration,
    pub fetch: FetchSettings,
    /// RDAP server to ask instead of the bootstrap table.
    pub rdap_base: Option<String>,
    /// Ask DNS (MX) and RDAP.
    pub network_lookups: bool,
    pub icp: Icp,
    /// Where company names are looked up.
    pub search: SearchSettings,
    pub lang: Lang,
}

impl Default for ScoutOptions {
    fn default() -> Self {
        ScoutOptions {
            max_pages: 20,
            total_timeout: Duration::from_secs(60),
            fetch: FetchSettings::default(),
            rdap_base: None,
            network_lookups: true,
            icp: Icp::default(),
            search: SearchSettings::default(),
            lang: Lang::En,
        }
    }
}

/// Runs the background check of `target`. Fails only when the target is not an email, a
/// domain or a URL; everything that could not be checked goes to `errors`.
pub async fn scout(
    target: &str,
    options: &ScoutOptions,
    screener: Option<&Screener>,
) -> Result<Report, ScoutError> {
    let started = std::time::Instant::now();
    let deadline = tokio::time::Instant::now() + options.total_timeout;
    let fetcher = Fetcher::new(options.fetch.clone())?;
    let mut errors = Vec::new();
    let resolved = match target::resolve(target) {
        Ok(t) => t,
        Err(_) if options.search.is_configured() && target::looks_like_name(target) => {
            let (found, search_errors) = search::find_site(&fetcher, &options.search, target).await;
            errors.extend(search_errors);
            match found {
                Some(url) => target::resolve(url.as_str())?,
                None => {
                    errors.push(CheckError::new("search", "no company website was found"));
                    target::Target::unresolved()
                }
            }
        }
        Err(e) => return Err(e),
    };

    let crawl_fut = async {
        match &resolved.start_url {
            Some(url) => crawl::crawl(&fetcher, url, options.max_pages, deadline).await,
            None => crawl::Crawl::default(),
        }
    };
    let lookups_fut = async {
        let Some(domain) = resolved.domain.as_deref() else {
            return (None, None, Vec::new());
        };
        let mut errs = Vec::new();
        let rdap_wanted = options.network_lookups || options.rdap_base.is_some();
        let registrable_is_mailbox =
            matches!(resolved.email_kind, EmailKind::Free | EmailKind::Disposable);
        let info = if rdap_wanted && !registrable_is_mailbox {
            let f = rdap::lookup(&fetcher, options.rdap_base.as_deref(), domain);
            match tokio::time::timeout_at(deadline, f).await {
                Ok(Ok(info)) => Some(info),
                Ok(Err(e)) => {
                    errs.push(CheckError::new("domain_info", &e.to_string()));
                    None
                }
                Err(_) => {
                    errs.push(CheckError::new("domain_info", "RDAP timed out"));
                    None
                }
            }
        } else {
            None
        };
        let mx = if options.network_lookups {
            match tokio::time::timeout_at(deadline, mx::has_mx(domain)).await {
                Ok(Ok(v)) => Some(v),
                Ok(Err(reason)) => {
                    errs.push(CheckError::new("mail.mx", &reason));
                    None
                }
                Err(_) => {
                    errs.push(CheckError::new("mail.mx", "MX lookup timed out"));
                    None
                }
            }
        } else {
            None
        };
        (info, mx, errs)
    };
    let (crawled, (info, mx, lookup_errors)) = futures::join!(crawl_fut, lookups_fut);
    errors.extend(crawled.errors);
    errors.extend(lookup_errors);
    let info = info.unwrap_or_default();

    let tld = resolved.domain.as_deref().and_then(report::tld_country);
    let site = report::merge(&crawled.pages, tld.as_deref());

    let mut sanctions = report::Sanctions::default();
    if let Some(screener) = screener {
        sanctions.screened_lists = screener.lists().to_vec();
        let names = site
            .company
            .name
            .iter()
            .chain(info.registrant.iter())
            .cloned()
            .collect::<Vec<_>>();
        let screen = ScreenOptions {
            country: site.company.country.clone(),
            threshold: None,
            limit: 10,
        };
        for name in names {
            for mut hit in screener.screen(&name, &screen) {
                hit.score = (hit.score * 1000.0).round() / 1000.0;
                if !sanctions
                    .hits
                    .iter()
                    .any(|h| h.entry_id == hit.entry_id && h.list == hit.list)
                {
                    sanctions.hits.push(hit);
                }
            }
        }
    }

    let input = score::ScoreInput {
        business_type: site.company.business_type,
        country: site.company.country.clone(),
        employees: site.employees,
        email_kind: resolved.email_kind,
        domain_age_days: info.age_days,
        mx,
        site_reachable: !crawled.pages.is_empty(),
        site_expected: resolved.start_url.is_some(),
        // A hit on a very common person's name alone is shown, not counted as a risk.
        sanctions_hits: sanctions
            .hits
            .iter()
            .filter(|h| h.status == tradescout_sanctions::HitStatus::Match)
            .count(),
        phone_countries: site.phone_countries.clone(),
        // Free-mail and disposable domains are known providers, not imitations.
        lookalike: resolved
            .domain
            .as_deref()
            .filter(|_| matches!(resolved.email_kind, EmailKind::Company | EmailKind::Unknown))
            .and_then(lookalike::check),
    };
    Ok(Report {
        target: target.to_string(),
        domain: resolved.domain.clone(),
        email_kind: resolved.email_kind,
        fit: score::fit(&input, &options.icp, options.lang),
        risk: score::risk(&input, options.lang),
        company: site.company,
        emails: site.emails,
        phones: site.phones,
        social: site.social,
        products: site.products,
        mail: report::Mail { mx },
        domain_info: info,
        sanctions,
        pages_fetched: crawled.pages.len(),
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        errors,
        evidence: site.evidence,
        pages: crawled.pages.iter().map(|p| p.url.clone()).collect(),
    })
}
