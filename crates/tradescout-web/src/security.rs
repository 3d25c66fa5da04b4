//! Defences every response and every state-changing request gets: strict security headers,
//! the CSRF check for cookie-authenticated requests, and the sign-in rate limit.

use crate::accounts::same;
use crate::session::{bearer, cookie, request_lang, viewer, SESSION_COOKIE};
use crate::{AppState, WebError};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use tradescout_store::{Store, StoreError};

/// The policy of every page: our own scripts and styles only, no inline script, no plugins,
/// no framing by others.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; frame-src 'self'; connect-src 'self'; form-action 'self'; \
    base-uri 'none'; frame-ancestors 'none'";

/// Bytes of request body one permit of [`BodyBudget`] stands for.
pub const BODY_PERMIT: u64 = 1024 * 1024;

/// How much large request body the server works on at once: a request whose body is 1 MiB or
/// more holds a permit per MiB while it is read and handled, so a burst of big pastes waits
/// its turn instead of multiplying the memory they take.
pub struct BodyBudget {
    permits: tokio::sync::Semaphore,
    total: u32,
}

impl BodyBudget {
    pub fn new(mib: u32) -> BodyBudget {
        BodyBudget {
            permits: tokio::sync::Semaphore::new(mib as usize),
            total: mib,
        }
    }

    /// Permits a body of `bytes` needs (none under 1 MiB; never more than there are).
    pub fn permits_for(&self, bytes: u64) -> u32 {
        if bytes < BODY_PERMIT {
            return 0;
        }
        (bytes.div_ceil(BODY_PERMIT)).min(u64::from(self.total)) as u32
    }
}

/// Holds a request with a large body until the body budget has room for it.
pub async fn body_budget(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // A streamed body of unknown length may be as large as the body limit allows.
    let bytes = match declared {
        Some(n) => n,
        None if request.headers().contains_key(header::TRANSFER_ENCODING) => crate::MAX_BODY as u64,
        None => 0,
    };
    let budget = &state.body_budget;
    let need = budget.permits_for(bytes);
    if need == 0 {
        return next.run(request).await;
    }
    // The semaphore is never closed, so the permits always come; held until the answer.
    let _held = budget.permits.acquire_many(need).await.ok();
    next.run(request).await
}

pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_CSP),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Largest form body the CSRF check reads.
const MAX_FORM: usize = 2 * 1024 * 1024;

/// A state-changing request carried by the session cookie must prove it came from our own
/// page: the session's token in `X-CSRF-Token` or in the form field `csrf` (the first field
/// of a multipart upload), never in the address. Bearer-token calls carry no ambient
/// authority and pass.
pub async fn csrf_guard(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || bearer(request.headers()).is_some()
    {
        return next.run(request).await;
    }
    let lang = request_lang(request.headers(), state.config.default_lang);
    if !same_origin(&request) {
        return WebError::Csrf(lang).into_response();
    }
    if cookie(request.headers(), SESSION_COOKIE).is_none() {
        // Nothing ambient to abuse; the handler decides (sign-in, or 401).
        return next.run(request).await;
    }
    let expected = match viewer(request.headers(), &state).await {
        Ok(Some(v)) => {
            let csrf = v.csrf.clone();
            // Handlers take the viewer from here instead of looking the session up again.
            request.extensions_mut().insert(v);
            csrf
        }
        Ok(None) => return next.run(request).await,
        Err(e) => return e.into_response(),
    };
    let Some(expected) = expected else {
        return WebError::Csrf(lang).into_response();
    };
    let header_token = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if header_token.is_some_and(|t| same(&t, &expected)) {
        return next.run(request).await;
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        // The token is the form's first field; only the start of the body is read for it,
        // then the body goes on to the handler whole, however large the upload.
        let Some(boundary) = multipart_boundary(&content_type) else {
            return WebError::Csrf(lang).into_response();
        };
        let (parts, body) = request.into_parts();
        let mut stream = body.into_data_stream();
        let mut head: Vec<u8> = Vec::new();
        let token = loop {
            if let Some(t) = first_part_value(&head, &boundary, "csrf") {
                break t;
            }
            if head.len() >= MAX_MULTIPART_HEAD {
                break None;
            }
            match stream.next().await {
                Some(Ok(chunk)) => head.extend_from_slice(&chunk),
                _ => break None,
            }
        };
        if !token.is_some_and(|t| same(&t, &expected)) {
            // Read on to a bound before refusing, so a client still sending gets the answer
            // instead of a connection closed under it; past the bound it is closed.
            let mut drained = head.len();
            while drained < MAX_FORM {
                match stream.next().await {
                    Some(Ok(chunk)) => drained += chunk.len(),
                    _ => break,
                }
            }
            return WebError::Csrf(lang).into_response();
        }
        let rest = futures::stream::iter([Ok::<_, axum::Error>(axum::body::Bytes::from(head))])
            .chain(stream);
        return next
            .run(Request::from_parts(parts, Body::from_stream(rest)))
            .await;
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return WebError::Csrf(lang).into_response();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM).await else {
        return WebError::BadInput(lang, tradescout_core::tr(lang, "web.error.too_large", &[]))
            .into_response();
    };
    if !field(&bytes, "csrf").is_some_and(|t| same(&t, &expected)) {
        return WebError::Csrf(lang).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// How much of a multipart body is read for its first field, the token.
const MAX_MULTIPART_HEAD: usize = 16 * 1024;

/// The boundary of a `multipart/form-data` content type. The caller lower-cases the header,
/// so the body is searched lower-cased too.
fn multipart_boundary(content_type: &str) -> Option<String> {
    let b = content_type
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()?
        .trim_matches('"');
    (!b.is_empty() && b.len() <= 200).then(|| b.to_string())
}

/// `Some(value)` when the first part of a multipart body is the field `name` and is complete
/// in `head`; `Some(None)` when the first part is complete and is another field (or the body
/// is not multipart as announced); `None` while more bytes are needed.
fn first_part_value(head: &[u8], boundary: &str, name: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}");
    let lower = head.to_ascii_lowercase();
    let start = find(&lower, opening.as_bytes())?;
    let after = start + opening.len();
    let headers_end = find(&lower[after..], b"\r\n\r\n")? + after;
    let headers = std::str::from_utf8(&head[after..headers_end]).ok();
    let named = headers.is_some_and(|h| {
        h.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("content-disposition:")
                && l.split(';').any(|p| p.trim() == format!("name=\"{name}\""))
        })
    });
    let value_start = headers_end + 4;
    let closing = format!("\r\n--{boundary}");
    let value_end = find(&lower[value_start..], closing.as_bytes())? + value_start;
    if !named {
        return Some(None);
    }
    Some(
        std::str::from_utf8(&head[value_start..value_end])
            .ok()
            .map(|v| v.trim().to_string()),
    )
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A browser's `Origin` (when sent) must be this server: stops cross-site sign-in and posts.
fn same_origin(request: &Request) -> bool {
    let Some(origin) = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    origin != "null" && origin_host.eq_ignore_ascii_case(host)
}

/// The first value of `name` in a urlencoded body or query.
fn field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = form_pairs(body);
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    body.split(|b| *b == b'&')
        .filter_map(|pair| {
            let mut it = pair.splitn(2, |b| *b == b'=');
            let k = decode(it.next()?)?;
            let v = decode(it.next().unwrap_or(b""))?;
            Some((k, v))
        })
        .collect()
}

fn decode(part: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(part.len());
    let mut i = 0;
    while i < part.len() {
        match part[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = part.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Failed sign-ins within a window, counted in the store: every server on the same database
/// sees the same tries, so running several servers does not multiply a guesser's chances.
///
/// The tries are counted per account name and client address together, so one person's typos
/// do not lock out the colleagues who reach the server through the same proxy or office
/// address. Wider counts stop the other guessers: one address trying many names, and many
/// addresses trying one name, get [`WIDE_FACTOR`] times the tries.
pub struct LoginLimiter {
    max: i64,
    window_secs: i64,
}

/// How many times the tries of one name from one address a whole address or a whole name has.
pub const WIDE_FACTOR: i64 = 4;

/// The counters one sign-in attempt touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginKeys {
    /// This name from this address.
    pub pair: String,
    /// This name from anywhere.
    pub name: String,
    /// Any name from this address.
    pub address: String,
}

impl LoginKeys {
    pub fn new(name: &str, client: std::net::IpAddr) -> LoginKeys {
        // A name typed into the form is stored as a counter key: no longer than any real one.
        let name: String = name.trim().to_lowercase().chars().take(200).collect();
        LoginKeys {
            pair: format!("pair:{name}@{client}"),
            name: format!("name:{name}"),
            address: format!("ip:{client}"),
        }
    }
}

/// The client's address: the connection's, or — when the connection comes from a trusted
/// proxy — the nearest address in `X-Forwarded-For` that is not itself a trusted proxy. A
/// header that does not parse is ignored; an untrusted peer's header is never read.
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    // A dual-stack listener sees IPv4 peers as "::ffff:10.0.0.2".
    let peer = peer.to_canonical();
    if !trusted.iter().any(|t| t.to_canonical() == peer) {
        return peer;
    }
    let mut chain: Vec<std::net::IpAddr> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for part in text.split(',').take(64) {
            match part.trim().parse() {
                Ok(ip) => chain.push(std::net::IpAddr::to_canonical(&ip)),
                Err(_) => return peer,
            }
        }
    }
    chain
        .iter()
        .rev()
        .find(|ip| !trusted.iter().any(|t| t.to_canonical() == **ip))
        .or(chain.first())
        .copied()
        .unwrap_or(peer)
}

impl LoginLimiter {
    pub fn new(max: usize, window_secs: u64) -> LoginLimiter {
        LoginLimiter {
            max: i64::try_from(max.max(1)).unwrap_or(i64::MAX),
            window_secs: i64::try_from(window_secs.max(1)).unwrap_or(i64::MAX),
        }
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    /// Whether this name from this address has used up its tries within the window, or the
    /// name or the address as a whole has.
    pub async fn blocked(&self, store: &dyn Store, keys: &LoginKeys) -> Result<bool, StoreError> {
        let since = Self::now().saturating_sub(self.window_secs);
        let wide = self.max.saturating_mul(WIDE_FACTOR);
        for (key, max) in [
            (&keys.pair, self.max),
            (&keys.name, wide),
            (&keys.address, wide),
        ] {
            if store.login_failures(key, since).await? >= max {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub async fn failed(&self, store: &dyn Store, keys: &LoginKeys) -> Result<(), StoreError> {
        let now = Self::now();
        let all = [keys.pair.clone(), keys.name.clone(), keys.address.clone()];
        store
            .record_login_failure(&all, now, now.saturating_sub(self.window_secs))
            .await
    }

    /// A right password forgets this name's failures from this address; what others tried
    /// against the name, or from the address, still counts.
    pub async fn succeeded(&self, store: &dyn Store, keys: &LoginKeys) -> Result<(), StoreError> {
        store.clear_login_failures(&keys.pair).await
    }
}

#[cfg(test)]
mod budget_tests {
    use super::*;

    #[test]
    fn large_bodies_take_a_permit_per_mib_and_small_ones_none() {
        let b = BodyBudget::new(64);
        assert_eq!(b.permits_for(0), 0);
        assert_eq!(b.permits_for(BODY_PERMIT - 1), 0);
        assert_eq!(b.permits_for(BODY_PERMIT), 1);
        assert_eq!(b.permits_for(15 * BODY_PERMIT + 1), 16);
        // Never more than the whole budget, so one huge body cannot wait for ever.
        assert_eq!(b.permits_for(u64::MAX), 64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_first_multipart_field_only() {
        let body = b"--AbC\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok123\r\n--AbC\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n--AbC--";
        assert_eq!(
            first_part_value(body, "abc", "csrf"),
            Some(Some("tok123".to_string()))
        );
        // Not complete yet: more bytes are needed.
        assert_eq!(first_part_value(&body[..40], "abc", "csrf"), None);
        // Another field first: no token.
        let other = b"--AbC\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n--AbC--";
        assert_eq!(first_part_value(other, "abc", "csrf"), Some(None));
        assert_eq!(
            multipart_boundary("multipart/form-data; boundary=\"abc\""),
            Some("abc".to_string())
        );
        assert_eq!(multipart_boundary("multipart/form-data"), None);
    }

    #[test]
    fn form_fields_are_decoded() {
        assert_eq!(
            field(b"a=1&csrf=ab%2Bc+d", "csrf").as_deref(),
            Some("ab+c d")
        );
        assert_eq!(field(b"csrf=%zz", "csrf"), None);
        assert_eq!(field(b"csrf=%4", "csrf"), None);
        assert_eq!(field(b"x=1", "csrf"), None);
    }

    #[tokio::test]
    async fn the_limiter_blocks_after_the_allowed_failures_and_forgets_on_success(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let store = tradescout_store::open("sqlite::memory:").await?;
        let s = store.as_ref();
        let l = LoginLimiter::new(3, 60);
        let ip = |s: &str| s.parse::<std::net::IpAddr>();
        let ann = LoginKeys::new("Ann", ip("1.2.3.4")?);
        for _ in 0..3 {
            assert!(!l.blocked(s, &ann).await?);
            l.failed(s, &ann).await?;
        }
        assert!(l.blocked(s, &ann).await?);
        // A huge name is counted under its first 200 characters.
        let long = LoginKeys::new(&"x".repeat(100_000), ip("1.2.3.4")?);
        assert!(long.name.len() < 300, "{}", long.name.len());
        // A colleague behind the same address, and Ann from another one, still get in.
        let bob_same_address = LoginKeys::new("bob", ip("1.2.3.4")?);
        assert!(!l.blocked(s, &bob_same_address).await?);
        assert!(!l.blocked(s, &LoginKeys::new("ann", ip("5.6.7.8")?)).await?);
        // One address trying many names is stopped at four times the tries.
        for n in 0..9 {
            l.failed(s, &LoginKeys::new(&format!("user{n}"), ip("1.2.3.4")?))
                .await?;
        }
        assert!(l.blocked(s, &bob_same_address).await?);
        l.succeeded(s, &ann).await?;
        assert_eq!(s.login_failures(&ann.pair, 0).await?, 0);
        // Failures older than the window no longer count, and are deleted as new ones come.
        let old = chrono::Utc::now().timestamp() - 120;
        s.record_login_failure(&["name:bob".to_string()], old, old - 60)
            .await?;
        assert_eq!(s.login_failures("name:bob", old - 1).await?, 1);
        l.failed(s, &LoginKeys::new("carl", ip("9.9.9.9")?)).await?;
        assert_eq!(s.login_failures("name:bob", 0).await?, 0);
        Ok(())
    }

    #[test]
    fn the_client_address_is_read_from_a_trusted_proxy_only() {
        use axum::http::{HeaderMap, HeaderValue};
        let ip = |s: &str| {
            s.parse::<std::net::IpAddr>()
                .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]))
        };
        let proxy = ip("10.0.0.2");
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.7, 203.0.113.9, 10.0.0.3"),
        );
        // From a trusted proxy: the nearest address that is not a trusted proxy.
        assert_eq!(
            client_address(proxy, &h, &[proxy, ip("10.0.0.3")]),
            ip("203.0.113.9")
        );
        // From anyone else the header is a claim, not a fact.
        assert_eq!(
            client_address(ip("192.0.2.1"), &h, &[proxy]),
            ip("192.0.2.1")
        );
        // A header that does not parse is ignored.
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("unknown, 203.0.113.9"),
        );
        assert_eq!(client_address(proxy, &h, &[proxy]), proxy);
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
        // The proxy seen through a dual-stack socket is still the proxy.
        h.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert_eq!(
            client_address(ip("::ffff:10.0.0.2"), &h, &[proxy]),
            ip("203.0.113.9")
        );
    }
}
