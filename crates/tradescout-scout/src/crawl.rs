//! The crawl plan: the home page, the sitemap, then the same-site pages whose path or link text
//! suggests company facts (about, contact, products, impressum, 关于我们, о компании…), up to
//! the page budget.

use crate::error::ScoutError;
use crate::extract::{extract, PageFacts};
use crate::fetch::{Accept, Fetcher, Page};
use crate::CheckError;
use futures::stream::{self, StreamExt};
use regex::Regex;
use reqwest::Url;
use std::collections::HashSet;
use std::sync::OnceLock;
use tokio::time::Instant;

const CRAWL_WORDS: &str = include_str!("../data/crawl_words.toml");

/// Words in a path or link text that mark a page worth fetching, most telling first
/// (`data/crawl_words.toml`).
fn fact_words() -> &'static [String] {
    &crawl_words().fact_words
}

#[derive(serde::Deserialize, Default)]
struct CrawlWords {
    fact_words: Vec<String>,
    #[serde(default)]
    guess_paths: Vec<String>,
}

fn crawl_words() -> &'static CrawlWords {
    static WORDS: OnceLock<CrawlWords> = OnceLock::new();
    // The file ships inside the binary; a unit test pins that it parses.
    WORDS.get_or_init(|| toml::from_str::<CrawlWords>(CRAWL_WORDS).unwrap_or_default())
}

/// Whether a link ranked by [`ranked_links`] is a contact page (the contact words come first
/// in `fact_words`, up to the legal notices).
fn is_contact_rank(rank: usize) -> bool {
    let contact_words = fact_words()
        .iter()
        .position(|w| w == "impressum")
        .unwrap_or(0);
    rank < contact_words
}

/// What the crawl produced.
#[derive(Debug, Default)]
pub struct Crawl {
    pub pages: Vec<PageFacts>,
    pub errors: Vec<CheckError>,
}

/// Crawls from `start`; `deadline` bounds the whole crawl.
pub async fn crawl(fetcher: &Fetcher, start: &Url, max_pages: usize, deadline: Instant) -> Crawl {
    let mut out = Crawl::default();
    if max_pages == 0 {
        return out;
    }
    let home = match fetch_home(fetcher, start, deadline).await {
        Ok(page) => page,
        Err(e) => {
            out.errors.push(CheckError::new("website", &e.to_string()));
            return out;
        }
    };
    let mut first = facts_of(&home);
    let mut home = home;
    // A home page that only forwards by `<meta http-equiv="refresh">` (to /es/, /en/…): the
    // page it names is the real home page. One hop, on the same site only.
    if let Some(target) = first
        .refresh
        .clone()
        .filter(|t| same_site(&home.url, t) && key(t) != key(&home.url))
    {
        if let Ok(Ok(page)) =
            tokio::time::timeout_at(deadline, fetcher.fetch(&target, Accept::Page)).await
        {
            if same_site(&home.url, &page.url) {
                first = facts_of(&page);
                home = page;
            }
        }
    }
    let site = home.url.clone();
    let mut seen: HashSet<String> = HashSet::from([key(start), key(&site)]);
    let mut candidates = ranked_links(&site, &first.links, &seen);
    out.pages.push(first);

    let mut sitemap = site.clone();
    sitemap.set_path("/sitemap.xml");
    sitemap.set_query(None);
    if let Ok(Ok(page)) =
        tokio::time::timeout_at(deadline, fetcher.fetch(&sitemap, Accept::Sitemap)).await
    {
        let locs: Vec<(Url, String)> = sitemap_locs(&page.text)
            .into_iter()
            .map(|u| (u, String::new()))
            .collect();
        merge(&mut candidates, ranked_links(&site, &locs, &seen));
    }

    // No contact page linked anywhere (a menu built by script): the usual names are tried,
    // and one that is not there is no error.
    let mut guessed: HashSet<String> = HashSet::new();
    if !candidates.iter().any(|(r, _)| is_contact_rank(*r)) {
        for path in &crawl_words().guess_paths {
            let mut u = site.clone();
            u.set_path(path);
            u.set_query(None);
            if !seen.contains(&key(&u)) && guessed.insert(key(&u)) {
                candidates.insert(0, (0, u));
            }
        }
    }

    while out.pages.len() < max_pages && !candidates.is_empty() {
        let take = (max_pages - out.pages.len()).min(candidates.len());
        let batch: Vec<Url> = candidates.drain(..take).map(|(_, u)| u).collect();
        for u in &batch {
            seen.insert(key(u));
        }
        let results: Vec<(Url, Result<Page, ScoutError>)> = stream::iter(batch)
            .map(|u| async move {
                let r = match tokio::time::timeout_at(deadline, fetcher.fetch(&u, Accept::Page))
                    .await
                {
                    Ok(r) => r,
                    Err(_) => Err(ScoutError::Timeout { url: u.to_string() }),
                };
                (u, r)
            })
            .buffered(4)
            .collect()
            .await;
        for (u, r) in results {
            match r {
                Ok(page) if same_site(&site, &page.url) => {
                    seen.insert(key(&page.url));
                    let facts = facts_of(&page);
                    merge(&mut candidates, ranked_links(&site, &facts.links, &seen));
                    out.pages.push(facts);
                }
                Ok(page) => out.errors.push(CheckError::new(
                    u.as_str(),
                    &format!("redirects off the site to {}", page.url),
                )),
                Err(_) if guessed.contains(&key(&u)) => {}
                Err(e) => out.errors.push(CheckError::new(u.as_str(), &e.to_string())),
            }
        }
        if Instant::now() >= deadline {
            out.errors
                .push(CheckError::new("website", "the total time budget ran out"));
            break;
        }
    }
    out
}

/// The home page; when the first scheme cannot be reached, the other one is tried.
async fn fetch_home(fetcher: &Fetcher, start: &Url, deadline: Instant) -> Result<Page, ScoutError> {
    let attempt = |u: Url| async move {
        match tokio::time::timeout_at(deadline, fetcher.fetch(&u, Accept::Page)).await {
            Ok(r) => r,
            Err(_) => Err(ScoutError::Timeout { url: u.to_string() }),
        }
    };
    match attempt(start.clone()).await {
        Err(ScoutError::Request { .. } | ScoutError::Timeout { .. }) if start.port().is_none() => {
            let mut other = start.clone();
            let scheme = if start.scheme() == "https" {
                "http"
            } else {
                "https"
            };
            if other.set_scheme(scheme).is_err() {
                return attempt(start.clone()).await;
            }
            attempt(other).await
        }
        other => other,
    }
}

fn facts_of(page: &Page) -> PageFacts {
    let html = !page.content_type.starts_with("text/plain");
    extract(&page.url, &page.text, html)
}

fn key(u: &Url) -> String {
    let mut u = u.clone();
    u.set_fragment(None);
    let host = u
        .host_str()
        .unwrap_or("")
        .trim_start_matches("www.")
        .to_string();
    format!(
        "{host}{}?{}",
        u.path().trim_end_matches('/'),
        u.query().unwrap_or("")
    )
}

fn same_site(site: &Url, u: &Url) -> bool {
    let h = |u: &Url| {
        u.host_str()
            .unwrap_or("")
            .trim_start_matches("www.")
            .to_ascii_lowercase()
    };
    h(site) == h(u)
}

/// Same-site links that look like fact pages, best first.
fn ranked_links(site: &Url, links: &[(Url, String)], seen: &HashSet<String>) -> Vec<(usize, Url)> {
    /// An entry page ("Bienvenido … Descubre más", a language picker) links to a few pages
    /// at most: they are the site, whatever their names, and are followed after fact pages.
    const ENTRY_LINKS: usize = 3;
    let mut out: Vec<(usize, Url)> = Vec::new();
    let mut others: Vec<Url> = Vec::new();
    // Keys already taken: a page may hold thousands of links, so no pairwise comparison.
    let mut taken: HashSet<String> = HashSet::new();
    for (u, text) in links {
        if !same_site(site, u) {
            continue;
        }
        let k = key(u);
        if seen.contains(&k) || !taken.insert(k) {
            continue;
        }
        let path = percent_decode(u.path()).to_lowercase();
        let text = text.to_lowercase();
        if let Some(rank) = fact_words()
            .iter()
            .position(|w| path.contains(w.as_str()) || text.contains(w.as_str()))
        {
            out.push((rank, on_site_origin(site, u)));
        } else if others.len() <= ENTRY_LINKS {
            others.push(on_site_origin(site, u));
        }
    }
    if out.len() + others.len() <= ENTRY_LINKS {
        let last = fact_words().len();
        out.extend(others.into_iter().map(|u| (last, u)));
    }
    out.sort_by_key(|(r, _)| *r);
    out
}

/// A same-site link fetched the way the home page was: its scheme, host and port. Pages
/// link to "https://www.acme.example/contact" while the home page answered on
/// "http://acme.example/" (a site copy served for testing, a site without TLS); the real
/// site redirects where it wants anyway.
fn on_site_origin(site: &Url, u: &Url) -> Url {
    let mut moved = u.clone();
    let ok = moved.set_scheme(site.scheme()).is_ok()
        && moved.set_host(site.host_str()).is_ok()
        && moved.set_port(site.port()).is_ok();
    if ok {
        moved
    } else {
        u.clone()
    }
}

fn merge(into: &mut Vec<(usize, Url)>, more: Vec<(usize, Url)>) {
    let mut taken: HashSet<String> = into.iter().map(|(_, u)| key(u)).collect();
    for (r, u) in more {
        if taken.insert(key(&u)) {
            into.push((r, u));
        }
    }
    into.sort_by_key(|(r, _)| *r);
}

fn sitemap_locs(xml: &str) -> Vec<Url> {
    static LOC: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = LOC
        .get_or_init(|| Regex::new(r"<loc>\s*([^<\s]+)\s*</loc>").ok())
        .as_ref()
    else {
        return Vec::new();
    };
    re.captures_iter(xml)
        .filter_map(|c| Url::parse(&c[1].replace("&amp;", "&")).ok())
        .take(500)
        .collect()
}

/// `%XX` escapes decoded byte by byte; a `%` without two hex digits after it stays as written
/// (the text is the page's, so "tel:%€" must not split a character).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |k: usize| bytes.get(i + k).and_then(|b| (*b as char).to_digit(16));
            if let (Some(hi), Some(lo)) = (hex(1), hex(2)) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percent_before_a_multibyte_character_or_a_sign_is_kept_as_written() {
        assert_eq!(percent_decode("%2B49%2040"), "+49 40");
        assert_eq!(percent_decode("%€"), "%€");
        assert_eq!(percent_decode("%1é"), "%1é");
        assert_eq!(percent_decode("%+1"), "%+1");
        assert_eq!(percent_decode("50%"), "50%");
    }

    #[test]
    fn contact_and_about_pages_in_any_language_rank_before_products_and_blogs_are_skipped() {
        let words = fact_words();
        assert!(words.len() > 40);
        let rank = |w: &str| words.iter().position(|x| x == w);
        assert!(rank("kontakt") < rank("about") && rank("关于我们") < rank("products"));
        let site = Url::parse("http://acme.example/").unwrap_or_else(|e| panic!("{e}"));
        let links: Vec<(Url, String)> = ["/products/lamp", "/kontakt", "/blog/news", "/关于我们"]
            .iter()
            .map(|p| {
                (
                    site.join(p).unwrap_or_else(|e| panic!("{e}")),
                    String::new(),
                )
            })
            .collect();
        let ranked: Vec<String> = ranked_links(&site, &links, &HashSet::new())
            .into_iter()
            .map(|(_, u)| percent_decode(u.path()))
            .collect();
        assert_eq!(ranked, ["/kontakt", "/关于我们", "/products/lamp"]);
    }

    #[test]
    fn an_entry_page_with_few_links_leads_to_them_whatever_their_names() {
        let site = Url::parse("http://acme.example/").unwrap_or_else(|e| panic!("{e}"));
        let link = |p: &str| {
            (
                site.join(p).unwrap_or_else(|e| panic!("{e}")),
                "Descubre más".to_string(),
            )
        };
        let ranked = |links: &[(Url, String)]| -> Vec<String> {
            ranked_links(&site, links, &HashSet::new())
                .into_iter()
                .map(|(_, u)| u.path().to_string())
                .collect()
        };
        assert_eq!(ranked(&[link("/home.html")]), ["/home.html"]);
        assert_eq!(
            ranked(&[link("/contacto.html"), link("/es/")]),
            ["/contacto.html", "/es/"]
        );
        // The same link many times over is one candidate.
        let repeated: Vec<(Url, String)> = (0..20_000)
            .map(|i| link(if i % 2 == 0 { "/kontakt" } else { "/x" }))
            .collect();
        assert_eq!(ranked(&repeated), ["/kontakt", "/x"]);
        // A page with many links: only the fact pages among them.
        let many: Vec<(Url, String)> = ["/a", "/b", "/c", "/d", "/contact"]
            .iter()
            .map(|p| link(p))
            .collect();
        assert_eq!(ranked(&many), ["/contact"]);
    }
}
