//! The safe fetcher: every address is checked by the SSRF guard (DNS answers, IP literals,
//! every redirect hop), robots.txt is obeyed with its Crawl-delay, each host gets at most
//! four requests at once and a politeness delay, bodies are capped and decoded to text.

use crate::error::ScoutError;
use crate::guard::{is_forbidden, refuse_url};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{header, Client, StatusCode, Url};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// The User-Agent every request carries.
pub const USER_AGENT: &str = concat!(
    "tradescout/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/tradescout/tradescout)"
);
const ROBOTS_AGENT: &str = "tradescout";
const MAX_REDIRECTS: usize = 5;
const PER_HOST_CONCURRENCY: usize = 4;
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(2);

/// How the fetcher behaves.
#[derive(Debug, Clone)]
pub struct FetchSettings {
    /// Permit loopback, private and link-local addresses.
    pub allow_private: bool,
    /// `DOMAIN` → address to connect to instead of asking DNS (the user's own choice, so
    /// these addresses are trusted).
    pub resolve: Vec<(String, SocketAddr)>,
    pub request_timeout: Duration,
    /// Body bytes kept per response.
    pub max_bytes: usize,
    /// Minimum time between two request starts on one host.
    pub politeness: Duration,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            allow_private: false,
            resolve: Vec::new(),
            request_timeout: Duration::from_secs(10),
            max_bytes: 2 * 1024 * 1024,
            politeness: Duration::from_millis(50),
        }
    }
}

/// A fetched document.
#[derive(Debug, Clone)]
pub struct Page {
    /// The final URL after redirects.
    pub url: Url,
    pub content_type: String,
    pub text: String,
    /// The body was longer than the cap and was cut.
    pub truncated: bool,
}

/// What kinds of response a fetch accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// HTML or plain text, robots.txt obeyed.
    Page,
    /// XML (sitemaps), robots.txt obeyed.
    Sitemap,
    /// JSON APIs such as RDAP; robots.txt does not apply.
    Api,
    /// Plain JSON APIs (search providers) that want `Accept: application/json`.
    Json,
    /// robots.txt itself.
    Robots,
}

struct HostSlot {
    permits: Arc<Semaphore>,
    next_start: Instant,
    delay: Duration,
}

/// The fetcher; cheap to share behind an `Arc`.
pub struct Fetcher {
    client: Client,
    settings: FetchSettings,
    robots: tokio::sync::Mutex<HashMap<String, Option<texting_robots::Robot>>>,
    hosts: Mutex<HashMap<String, HostSlot>>,
}

impl Fetcher {
    /// A fetcher with the guarded resolver installed and automatic redirects off.
    pub fn new(settings: FetchSettings) -> Result<Fetcher, ScoutError> {
        let resolver = GuardedResolver {
            overrides: settings
                .resolve
                .iter()
                .map(|(d, a)| (d.to_ascii_lowercase(), *a))
                .collect(),
            allow_private: settings.allow_private,
        };
        let client = Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(resolver))
            .connect_timeout(settings.request_timeout)
            .timeout(settings.request_timeout)
            .no_proxy()
            .build()
            .map_err(|e| ScoutError::Request {
                url: "(client)".into(),
                reason: e.to_string(),
            })?;
        Ok(Fetcher {
            client,
            settings,
            robots: tokio::sync::Mutex::new(HashMap::new()),
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// Fetches `url`, following at most five redirects, each checked again.
    pub async fn fetch(&self, url: &Url, accept: Accept) -> Result<Page, ScoutError> {
        self.fetch_with_headers(url, accept, &[]).await
    }

    /// Like [`Fetcher::fetch`], sending `headers` as well (an API key, say). They go only to
    /// the origin of `url`: a redirect to another host does not get them.
    pub async fn fetch_with_headers(
        &self,
        url: &Url,
        accept: Accept,
        headers: &[(&str, &str)],
    ) -> Result<Page, ScoutError> {
        let mut current = url.clone();
        for _hop in 0..=MAX_REDIRECTS {
            if let Some(reason) = refuse_url(&current, self.settings.allow_private) {
                return Err(ScoutError::Refused {
                    url: current.to_string(),
                    reason,
                });
            }
            if matches!(accept, Accept::Page | Accept::Sitemap)
                && !self.robots_allow(&current).await
            {
                return Err(ScoutError::Robots {
                    url: current.to_string(),
                });
            }
            let same_origin = current.origin() == url.origin();
            let extra = if same_origin { headers } else { &[] };
            match self.one_request(&current, accept, extra).await? {
                Step::Done(page) => return Ok(page),
                Step::Redirect(next) => current = next,
            }
        }
        Err(ScoutError::TooManyRedirects {
            url: url.to_string(),
            max: MAX_REDIRECTS,
        })
    }

    async fn one_request(
        &self,
        url: &Url,
        accept: Accept,
        headers: &[(&str, &str)],
    ) -> Result<Step, ScoutError> {
        let key = host_key(url);
        let permits = self.wait_turn(&key).await;
        let _permit = permits
            .acquire_owned()
            .await
            .map_err(|e| ScoutError::Request {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
        let accept_header = match accept {
            Accept::Page => "text/html,text/plain;q=0.9",
            Accept::Sitemap => "application/xml,text/xml;q=0.9",
            Accept::Api => "application/rdap+json,application/json;q=0.9",
            Accept::Json => "application/json",
            Accept::Robots => "text/plain",
        };
        let mut request = self
            .client
            .get(url.clone())
            .header(header::ACCEPT, accept_header)
            .header(header::ACCEPT_ENCODING, "gzip, deflate");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.map_err(|e| request_error(url, e))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok());
            return match location {
                Some(next) => Ok(Step::Redirect(next)),
                None => Err(ScoutError::Status {
                    url: url.to_string(),
                    status: status.as_u16(),
                }),
            };
        }
        if status != StatusCode::OK {
            return Err(ScoutError::Status {
                url: url.to_string(),
                status: status.as_u16(),
            });
        }
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !content_type_ok(&content_type, accept) {
            return Err(ScoutError::ContentType {
                url: url.to_string(),
                content_type,
            });
        }
        let encoding = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let (bytes, truncated) = self.read_capped(url, response, &encoding).await?;
        let text = decode(&bytes, &content_type);
        Ok(Step::Done(Page {
            url: url.clone(),
            content_type,
            text,
            truncated,
        }))
    }

    /// Reads the body chunk by chunk, decompressing gzip and deflate on the way, and stops
    /// when the decoded text reaches the cap, so neither a huge page nor a compression bomb
    /// costs more than the cap in memory. The compressed bytes read are capped too (a stream
    /// of empty blocks must not run until the timeout at full speed).
    async fn read_capped(
        &self,
        url: &Url,
        mut response: reqwest::Response,
        encoding: &str,
    ) -> Result<(Vec<u8>, bool), ScoutError> {
        let max = self.settings.max_bytes;
        let mut body = Body::new(encoding, max).map_err(|reason| ScoutError::Request {
            url: url.to_string(),
            reason,
        })?;
        let max_wire = max.saturating_mul(8).max(1 << 20);
        let mut wire = 0usize;
        while let Some(chunk) = response.chunk().await.map_err(|e| request_error(url, e))? {
            wire += chunk.len();
            match body.push(&chunk) {
                Ok(false) => {}
                Ok(true) => return Ok((body.finish(), true)),
                Err(reason) => {
                    return Err(ScoutError::Request {
                        url: url.to_string(),
                        reason,
                    })
                }
            }
            if wire > max_wire {
                return Ok((body.finish(), true));
            }
        }
        body.end().map_err(|reason| ScoutError::Request {
            url: url.to_string(),
            reason,
        })?;
        Ok((body.finish(), false))
    }

    /// Waits for this host's next start time and returns its concurrency permits.
    async fn wait_turn(&self, key: &str) -> Arc<Semaphore> {
        let (wait, permits) = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let slot = hosts.entry(key.to_string()).or_insert_with(|| HostSlot {
                permits: Arc::new(Semaphore::new(PER_HOST_CONCURRENCY)),
                next_start: now,
                delay: self.settings.politeness,
            });
            let start = slot.next_start.max(now);
            slot.next_start = start + slot.delay;
            (start - now, slot.permits.clone())
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        permits
    }

    /// Whether robots.txt of the URL's host allows it; fetched once per host. A missing or
    /// unreadable robots.txt allows everything.
    async fn robots_allow(&self, url: &Url) -> bool {
        let key = host_key(url);
        let mut robots = self.robots.lock().await;
        if !robots.contains_key(&key) {
            let mut robots_url = url.clone();
            robots_url.set_path("/robots.txt");
            robots_url.set_query(None);
            robots_url.set_fragment(None);
            let parsed = match Box::pin(self.fetch(&robots_url, Accept::Robots)).await {
                Ok(page) => texting_robots::Robot::new(ROBOTS_AGENT, page.text.as_bytes()).ok(),
                Err(_) => None,
            };
            if let Some(delay) = parsed.as_ref().and_then(|r| r.delay) {
                let delay = Duration::from_secs_f32(delay.max(0.0)).min(MAX_CRAWL_DELAY);
                let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(slot) = hosts.get_mut(&key) {
                    // The robots.txt request itself already counts: the next one waits the
                    // Crawl-delay from its start, not the shorter default.
                    let last_start = slot.next_start.checked_sub(slot.delay);
                    slot.delay = slot.delay.max(delay);
                    if let Some(last) = last_start {
                        slot.next_start = slot.next_start.max(last + slot.delay);
                    }
                }
            }
            robots.insert(key.clone(), parsed);
        }
        match robots.get(&key) {
            Some(Some(robot)) => robot.allowed(url.as_str()),
            _ => true,
        }
    }
}

enum Step {
    Done(Page),
    Redirect(Url),
}

/// A `Write` sink that keeps at most `max` bytes and then refuses more.
struct Capped {
    buf: Vec<u8>,
    max: usize,
    full: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = self.max - self.buf.len();
        if room == 0 && !data.is_empty() {
            self.full = true;
            return Err(std::io::Error::new(
                std::io::ErrorKind::WriteZero,
                "body cap reached",
            ));
        }
        let n = room.min(data.len());
        self.buf.extend_from_slice(&data[..n]);
        if n < data.len() {
            self.full = true;
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The body as it arrives: stored as is, or decompressed into the capped buffer.
enum Body {
    Identity(Capped),
    Gzip(flate2::write::MultiGzDecoder<Capped>),
    /// `deflate` is zlib-wrapped by the standard and raw by some servers; which one is
    /// decided on the first byte.
    Deflate(Option<DeflateKind>, Capped),
}

enum DeflateKind {
    Zlib(flate2::write::ZlibDecoder<Capped>),
    Raw(flate2::write::DeflateDecoder<Capped>),
}

impl Body {
    fn new(encoding: &str, max: usize) -> Result<Body, String> {
        let sink = Capped {
            buf: Vec::new(),
            max,
            full: false,
        };
        match encoding {
            "" | "identity" => Ok(Body::Identity(sink)),
            "gzip" | "x-gzip" => Ok(Body::Gzip(flate2::write::MultiGzDecoder::new(sink))),
            "deflate" => Ok(Body::Deflate(None, sink)),
            other => Err(format!("unsupported Content-Encoding {other:?}")),
        }
    }

    /// Feeds bytes; `Ok(true)` once the cap is reached.
    fn push(&mut self, data: &[u8]) -> Result<bool, String> {
        use std::io::Write;
        let result = match self {
            Body::Identity(sink) => {
                let n = sink.write(data).unwrap_or(0);
                return Ok(n < data.len() || sink.full);
            }
            Body::Gzip(d) => d.write_all(data),
            Body::Deflate(kind, sink) => {
                if kind.is_none() {
                    if data.is_empty() {
                        return Ok(false);
                    }
                    let fresh = Capped {
                        buf: Vec::new(),
                        max: sink.max,
                        full: false,
                    };
                    // A zlib header starts with CM = 8 and a window size in the high nibble.
                    *kind = Some(if data[0] & 0x0f == 8 && data[0] >> 4 <= 7 {
                        DeflateKind::Zlib(flate2::write::ZlibDecoder::new(fresh))
                    } else {
                        DeflateKind::Raw(flate2::write::DeflateDecoder::new(fresh))
                    });
                }
                match kind {
                    Some(DeflateKind::Zlib(d)) => d.write_all(data),
                    Some(DeflateKind::Raw(d)) => d.write_all(data),
                    None => Ok(()),
                }
            }
        };
        match result {
            Ok(()) => Ok(self.full()),
            Err(_) if self.full() => Ok(true),
            Err(e) => Err(format!("cannot decompress the body: {e}")),
        }
    }

    /// The body is complete: a cut compressed stream is an error.
    fn end(&mut self) -> Result<(), String> {
        let result = match self {
            Body::Identity(_) | Body::Deflate(None, _) => Ok(()),
            Body::Gzip(d) => d.try_finish(),
            Body::Deflate(Some(DeflateKind::Zlib(d)), _) => d.try_finish(),
            Body::Deflate(Some(DeflateKind::Raw(d)), _) => d.try_finish(),
        };
        match result {
            Err(e) if !self.full() => Err(format!("cannot decompress the body: {e}")),
            _ => Ok(()),
        }
    }

    fn full(&self) -> bool {
        match self {
            Body::Identity(s) | Body::Deflate(None, s) => s.full,
            Body::Gzip(d) => d.get_ref().full,
            Body::Deflate(Some(DeflateKind::Zlib(d)), _) => d.get_ref().full,
            Body::Deflate(Some(DeflateKind::Raw(d)), _) => d.get_ref().full,
        }
    }

    fn finish(mut self) -> Vec<u8> {
        let sink = match &mut self {
            Body::Identity(s) | Body::Deflate(None, s) => s,
            Body::Gzip(d) => d.get_mut(),
            Body::Deflate(Some(DeflateKind::Zlib(d)), _) => d.get_mut(),
            Body::Deflate(Some(DeflateKind::Raw(d)), _) => d.get_mut(),
        };
        std::mem::take(&mut sink.buf)
    }
}

fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn request_error(url: &Url, e: reqwest::Error) -> ScoutError {
    if e.is_timeout() {
        return ScoutError::Timeout {
            url: url.to_string(),
        };
    }
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reason = format!("{reason}: {s}");
        source = s.source();
    }
    ScoutError::Request {
        url: url.to_string(),
        reason,
    }
}

fn content_type_ok(content_type: &str, accept: Accept) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim();
    match accept {
        // No Content-Type at all (some small servers): read it as a page.
        Accept::Page => matches!(
            mime,
            "text/html" | "text/plain" | "application/xhtml+xml" | ""
        ),
        Accept::Sitemap => mime.ends_with("xml") || mime == "text/plain",
        Accept::Api | Accept::Json => mime.ends_with("json"),
        Accept::Robots => mime == "text/plain" || mime.is_empty(),
    }
}

/// Decodes a body: the Content-Type charset, else a `<meta charset>` in the first 8 KB, else
/// a BOM, else UTF-8 (with replacement characters for bad bytes).
pub fn decode(bytes: &[u8], content_type: &str) -> String {
    let label = charset_param(content_type).or_else(|| meta_charset(bytes));
    let encoding = label
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .or_else(|| encoding_rs::Encoding::for_bom(bytes).map(|(e, _)| e))
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type
        .split(';')
        .skip(1)
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
}

fn meta_charset(bytes: &[u8]) -> Option<String> {
    // Inline styles and scripts sometimes push the tag past the first kilobytes.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let rest = head[at..].trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_string())
}

/// Applies `--resolve` overrides and otherwise asks the system resolver, refusing any answer
/// that contains a non-public address (so DNS cannot point us inside the network).
struct GuardedResolver {
    overrides: HashMap<String, SocketAddr>,
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        if let Some(addr) = self.overrides.get(&host).copied() {
            return Box::pin(async move { Ok(Box::new(std::iter::once(addr)) as Addrs) });
        }
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private {
                if let Some(bad) = addrs.iter().find(|a| is_forbidden(a.ip())) {
                    let msg = format!("{host} resolves to non-public address {}", bad.ip());
                    return Err(Box::new(std::io::Error::other(msg)) as _);
                }
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_comes_from_the_header_then_the_meta_tag() {
        let (gbk, _, _) = encoding_rs::GBK.encode("关于我们");
        assert_eq!(decode(&gbk, "text/html; charset=GBK"), "关于我们");
        let mut page = b"<meta charset=\"windows-1251\"><p>".to_vec();
        let (ru, _, _) = encoding_rs::WINDOWS_1251.encode("о компании");
        page.extend_from_slice(&ru);
        assert!(decode(&page, "text/html").contains("о компании"));
    }
}
