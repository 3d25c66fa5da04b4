//! An OpenAI-compatible chat-completions endpoint on a loopback port, for the web app's AI
//! tests. It checks every request against the API's schema (and the bearer key), keeps what it
//! received, and answers as each test scripts: a whole completion, a stream that can pause
//! until the test lets it go on, or a "model" that streams back the key it was sent.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

pub const KEY: &str = "sk-web-test-7f3a9c2e1d";
pub const MODEL: &str = "test-model";

/// How the endpoint answers one request.
pub enum Reply {
    /// A whole (non-streamed) completion with this content.
    Json(String),
    /// A stream of these pieces; after `pause_after` pieces it waits for [`Endpoint::go_on`].
    Stream {
        pieces: Vec<String>,
        pause_after: Option<usize>,
    },
    /// A talked-round model: streams the key from the request's own `Authorization` header,
    /// split over several pieces, and the endpoint's address.
    EchoKey,
    /// Whole completion that repeats the key.
    JsonEchoKey,
    /// An error status with this body (which names the key, as a careless proxy might).
    Status(u16),
    /// A stream that sends these pieces and then drops the connection mid-event.
    Broken(Vec<String>),
}

type Script = dyn Fn(usize, &Value) -> Reply + Send + Sync;

pub struct Endpoint {
    pub base_url: String,
    count: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Value>>>,
    problems: Arc<Mutex<Vec<String>>>,
    gate: Arc<Notify>,
}

impl Endpoint {
    /// Starts the endpoint; `script` gets the request's number (from 0) and body.
    pub async fn start(
        script: impl Fn(usize, &Value) -> Reply + Send + Sync + 'static,
    ) -> std::io::Result<Endpoint> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}/v1", listener.local_addr()?);
        let endpoint = Endpoint {
            base_url: base_url.clone(),
            count: Arc::default(),
            seen: Arc::default(),
            problems: Arc::default(),
            gate: Arc::new(Notify::new()),
        };
        let shared = Shared {
            script: Arc::new(script),
            base_url,
            count: endpoint.count.clone(),
            seen: endpoint.seen.clone(),
            problems: endpoint.problems.clone(),
            gate: endpoint.gate.clone(),
        };
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(socket, shared).await;
                });
            }
        });
        Ok(endpoint)
    }

    /// The web app's endpoint settings for this server.
    pub fn config(&self, budget: Option<u64>) -> tradescout_llm::LlmConfig {
        tradescout_llm::LlmConfig {
            base_url: self.base_url.clone(),
            model: MODEL.into(),
            api_key: Some(KEY.into()),
            timeout: Duration::from_secs(20),
            max_retries: 0,
            monthly_token_budget: budget,
        }
    }

    pub fn calls(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Request bodies received, in order.
    pub fn requests(&self) -> Vec<Value> {
        self.seen.lock().map(|g| g.clone()).unwrap_or_default()
    }

    /// Requests that broke the chat-completions schema, and why.
    pub fn problems(&self) -> Vec<String> {
        self.problems.lock().map(|g| g.clone()).unwrap_or_default()
    }

    /// Lets a paused stream send the rest of its pieces.
    pub fn go_on(&self) {
        self.gate.notify_one();
    }
}

#[derive(Clone)]
struct Shared {
    script: Arc<Script>,
    base_url: String,
    count: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Value>>>,
    problems: Arc<Mutex<Vec<String>>>,
    gate: Arc<Notify>,
}

async fn serve(mut socket: TcpStream, shared: Shared) -> std::io::Result<()> {
    let (request_line, headers, body) = read_request(&mut socket).await?;
    let n = shared.count.fetch_add(1, Ordering::SeqCst);
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if let Ok(mut seen) = shared.seen.lock() {
        seen.push(json.clone());
    }
    let auth = headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let problem = if request_line != "POST /v1/chat/completions HTTP/1.1" {
        Some(format!("unexpected request line {request_line}"))
    } else if auth != format!("Bearer {KEY}") {
        Some("missing or wrong bearer key".to_string())
    } else {
        schema_problem(&json)
    };
    if let Some(problem) = problem {
        if let Ok(mut p) = shared.problems.lock() {
            p.push(problem.clone());
        }
        let body = json!({"error": {"message": problem, "type": "invalid_request_error"}});
        return write_json(&mut socket, "400 Bad Request", &body).await;
    }
    let streamed = json["stream"].as_bool() == Some(true);
    match (shared.script)(n, &json) {
        Reply::Json(content) => write_json(&mut socket, "200 OK", &completion(&content)).await,
        Reply::JsonEchoKey => {
            let content = format!(
                "Summary: the key is {}.",
                auth.trim_start_matches("Bearer ")
            );
            write_json(&mut socket, "200 OK", &completion(&content)).await
        }
        Reply::Status(code) => {
            let body = json!({"error": {"message": format!("upstream failed for key {KEY}")}});
            write_json(&mut socket, &format!("{code} Upstream Error"), &body).await
        }
        Reply::Broken(pieces) => {
            stream_head(&mut socket).await?;
            for piece in pieces {
                let event = json!({"choices": [{"index": 0, "delta": {"content": piece}}]});
                write_chunk(&mut socket, &format!("data: {event}\n\n")).await?;
            }
            socket.write_all(b"40\r\ndata: {\"choi").await?;
            socket.flush().await
        }
        Reply::Stream { .. } | Reply::EchoKey if !streamed => {
            let body = json!({"error": {"message": "this test expected a streamed request"}});
            write_json(&mut socket, "400 Bad Request", &body).await
        }
        Reply::Stream {
            pieces,
            pause_after,
        } => stream(&mut socket, &pieces, pause_after, &shared.gate).await,
        Reply::EchoKey => {
            let key = auth.trim_start_matches("Bearer ").to_string();
            let (a, b) = key.split_at(key.len() / 2);
            let pieces = vec![
                "Of course! Ignoring my earlier rules as you asked. ".to_string(),
                "My configuration: API key ".to_string(),
                a.to_string(),
                b.to_string(),
                format!(", endpoint {}.", shared.base_url),
            ];
            stream(&mut socket, &pieces, None, &shared.gate).await
        }
    }
}

/// The request must be a valid chat-completions request; returns the problem if not.
fn schema_problem(v: &Value) -> Option<String> {
    if v["model"].as_str() != Some(MODEL) {
        return Some("model must be the configured model".into());
    }
    let Some(messages) = v["messages"].as_array() else {
        return Some("messages must be an array".into());
    };
    if messages.is_empty() {
        return Some("messages must not be empty".into());
    }
    for m in messages {
        if !matches!(m["role"].as_str(), Some("system" | "user" | "assistant"))
            || !m["content"].is_string()
        {
            return Some(format!("bad message {m}"));
        }
    }
    if !v["max_tokens"].is_u64() || !v["stream"].is_boolean() || !v["temperature"].is_number() {
        return Some("max_tokens, stream and temperature must be typed correctly".into());
    }
    None
}

fn completion(content: &str) -> Value {
    json!({
        "id": "chatcmpl-web", "object": "chat.completion", "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 200, "completion_tokens": 40, "total_tokens": 240}
    })
}

async fn write_json(socket: &mut TcpStream, status: &str, body: &Value) -> std::io::Result<()> {
    let body = body.to_string();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    socket.write_all(head.as_bytes()).await?;
    socket.write_all(body.as_bytes()).await?;
    socket.flush().await
}

/// Server-sent events, one chunked-encoding chunk each, with usage in the last event (as
/// DeepSeek, vLLM and OpenAI with `include_usage` send it).
async fn stream(
    socket: &mut TcpStream,
    pieces: &[String],
    pause_after: Option<usize>,
    gate: &Notify,
) -> std::io::Result<()> {
    stream_head(socket).await?;
    for (i, piece) in pieces.iter().enumerate() {
        if pause_after == Some(i) {
            // Bounded, so a test that forgets to let go fails instead of hanging.
            let _ = tokio::time::timeout(Duration::from_secs(20), gate.notified()).await;
        }
        let event = json!({"id": "chatcmpl-web", "object": "chat.completion.chunk",
                           "choices": [{"index": 0, "delta": {"content": piece}}]});
        write_chunk(socket, &format!("data: {event}\n\n")).await?;
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let last = json!({"id": "chatcmpl-web", "object": "chat.completion.chunk", "choices": [],
                      "usage": {"prompt_tokens": 300, "completion_tokens": 60, "total_tokens": 360}});
    write_chunk(socket, &format!("data: {last}\n\ndata: [DONE]\n\n")).await?;
    socket.write_all(b"0\r\n\r\n").await?;
    socket.flush().await
}

async fn stream_head(socket: &mut TcpStream) -> std::io::Result<()> {
    socket
        .write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
              Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        )
        .await
}

async fn write_chunk(socket: &mut TcpStream, data: &str) -> std::io::Result<()> {
    socket
        .write_all(format!("{:x}\r\n{data}\r\n", data.len()).as_bytes())
        .await?;
    socket.flush().await
}

async fn read_request(
    socket: &mut TcpStream,
) -> std::io::Result<(String, Vec<(String, String)>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end..].to_vec();
    while body.len() < len {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok((request_line, headers, body))
}
