//! A small HTTP/1.1 fixture server on 127.0.0.1 for the fetcher and crawl tests: fixed
//! responses per path or answers computed from the request, optionally after a delay, and a
//! log of the paths asked for.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One canned response.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn html(body: &str) -> Reply {
        Reply::typed("text/html; charset=utf-8", body.as_bytes().to_vec())
    }
    pub fn typed(content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }
    pub fn redirect(location: &str) -> Reply {
        Reply {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }
}

/// A running fixture site.
pub struct Site {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Site {
    /// Paths requested so far.
    pub fn requested(&self) -> Vec<String> {
        self.requests
            .lock()
            .map(|r| r.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }
}

/// Serves `routes` (path → reply; anything else is 404) until the test process ends.
pub fn serve(routes: Vec<(&str, Reply)>) -> Site {
    let routes: HashMap<String, Reply> = routes
        .into_iter()
        .map(|(p, r)| (p.to_string(), r))
        .collect();
    serve_fn(move |path, _head| routes.get(path).cloned().unwrap_or_else(not_found))
}

/// Serves what `answer(path, request head)` replies, so a fixture can look at the headers
/// it was sent (an API key, say) and answer like the real service.
pub fn serve_fn(answer: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> Site {
    serve_slow(Duration::ZERO, answer)
}

/// Like [`serve_fn`], answering every request only after `delay`.
pub fn serve_slow(
    delay: Duration,
    answer: impl Fn(&str, &str) -> Reply + Send + Sync + 'static,
) -> Site {
    let listener =
        TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind fixture: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("no local address: {e}"));
    let answer = Arc::new(answer);
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = answer.clone();
            let log = log.clone();
            thread::spawn(move || handle(stream, delay, answer.as_ref(), &log));
        }
    });
    Site { addr, requests }
}

pub fn not_found() -> Reply {
    Reply {
        status: 404,
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: b"not found".to_vec(),
    }
}

fn handle(
    mut stream: TcpStream,
    delay: Duration,
    answer: &(dyn Fn(&str, &str) -> Reply + Send + Sync),
    log: &Mutex<Vec<String>>,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.first() == Some(&0x16) {
            return; // a TLS handshake: this fixture speaks plain HTTP only
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    if let Ok(mut l) = log.lock() {
        l.push(path.clone());
    }
    let reply = answer(&path, &head);
    if !delay.is_zero() {
        thread::sleep(delay);
    }
    let mut out = format!("HTTP/1.1 {} X\r\n", reply.status);
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&reply.body);
}

/// A whole background check of `domain`, its requests sent to `site` on loopback, with no DNS
/// or RDAP lookups.
pub async fn scout_site(domain: &str, site: &Site, max_pages: usize) -> tradescout_scout::Report {
    let options = tradescout_scout::ScoutOptions {
        max_pages,
        total_timeout: Duration::from_secs(30),
        fetch: tradescout_scout::fetch::FetchSettings {
            allow_private: true,
            resolve: vec![(
                domain.to_string(),
                SocketAddr::from(([127, 0, 0, 1], site.addr.port())),
            )],
            ..tradescout_scout::fetch::FetchSettings::default()
        },
        network_lookups: false,
        ..tradescout_scout::ScoutOptions::default()
    };
    tradescout_scout::scout(&format!("http://{domain}/"), &options, None)
        .await
        .unwrap_or_else(|e| panic!("{domain}: {e}"))
}
