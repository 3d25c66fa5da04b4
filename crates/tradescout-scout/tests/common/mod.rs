//! A small HTTP/1.1 fixture server on 127.0.0.1 for the fetcher and crawl tests: fixed
//! responses per path, and a log of the paths asked for.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

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
    let listener =
        TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind fixture: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("no local address: {e}"));
    let routes: Arc<HashMap<String, Reply>> = Arc::new(
        routes
            .into_iter()
            .map(|(p, r)| (p.to_string(), r))
            .collect(),
    );
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            let log = log.clone();
            thread::spawn(move || handle(stream, &routes, &log));
        }
    });
    Site { addr, requests }
}

fn handle(mut stream: TcpStream, routes: &HashMap<String, Reply>, log: &Mutex<Vec<String>>) {
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
    let reply = routes.get(&path).cloned().unwrap_or(Reply {
        status: 404,
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: b"not found".to_vec(),
    });
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
