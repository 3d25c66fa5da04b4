//! The chat-completions client: JSON in and out, retries with backoff on 429 and 5xx,
//! timeouts, and streaming (server-sent events) for the web app.

use crate::config::LlmConfig;
use crate::LlmError;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// `system`, `user` or `assistant`.
    pub role: String,
    pub content: String,
}

/// Tokens a call used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// A finished answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    pub content: String,
    pub usage: Usage,
    pub latency_ms: u64,
    /// Attempts it took (1 without retries).
    pub attempts: u32,
}

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    messages: &'a [ChatMessage],
    temperature: f32,
    max_tokens: u32,
    stream: bool,
}

#[derive(Deserialize)]
struct Response {
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: Option<ChatMessage>,
    #[serde(default)]
    delta: Option<Delta>,
}

#[derive(Deserialize, Default)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Deserialize)]
struct StreamChunk {
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Usage>,
}

/// Longest wait honoured from a Retry-After header.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(20);
/// Largest answer body read.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// A client for one endpoint.
pub struct Client {
    config: LlmConfig,
    http: reqwest::Client,
}

impl Client {
    pub fn new(config: LlmConfig) -> Result<Client, LlmError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("tradescout/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| LlmError::Unreachable {
                url: config.base_url.clone(),
                reason: e.to_string(),
            })?;
        Ok(Client { config, http })
    }

    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    fn url(&self) -> String {
        format!("{}/chat/completions", self.config.base_url)
    }

    /// Sends `messages` and waits for the whole answer.
    pub async fn chat(
        &self,
        messages: &[ChatMessage],
        max_tokens: u32,
    ) -> Result<Completion, LlmError> {
        let started = Instant::now();
        let body = Request {
            model: &self.config.model,
            messages,
            temperature: 0.3,
            max_tokens,
            stream: false,
        };
        let (response, attempts) = self.send(&body).await?;
        let bytes = read_capped(response, &self.url()).await?;
        let parsed: Response = serde_json::from_slice(&bytes).map_err(|e| LlmError::BadAnswer {
            url: self.url(),
            reason: e.to_string(),
        })?;
        let content = parsed
            .choices
            .into_iter()
            .find_map(|c| c.message.map(|m| m.content))
            .ok_or_else(|| LlmError::BadAnswer {
                url: self.url(),
                reason: "no choices[].message".into(),
            })?;
        Ok(Completion {
            content,
            usage: parsed.usage.unwrap_or_default(),
            latency_ms: started.elapsed().as_millis() as u64,
            attempts,
        })
    }

    /// Sends `messages` asking for a streamed answer; `on_delta` gets each piece of text as it
    /// arrives. A stream that breaks off is an error (the pieces already delivered stay
    /// delivered); one that ends without `[DONE]` but with content is accepted.
    pub async fn chat_stream(
        &self,
        messages: &[ChatMessage],
        max_tokens: u32,
        mut on_delta: impl FnMut(&str),
    ) -> Result<Completion, LlmError> {
        let started = Instant::now();
        let body = Request {
            model: &self.config.model,
            messages,
            temperature: 0.3,
            max_tokens,
            stream: true,
        };
        let (response, attempts) = self.send(&body).await?;
        let mut stream = response.bytes_stream();
        let mut buffer: Vec<u8> = Vec::new();
        let mut content = String::new();
        let mut usage = Usage::default();
        let mut done = false;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| LlmError::Unreachable {
                url: self.url(),
                reason: format!("the stream broke off: {e}"),
            })?;
            buffer.extend_from_slice(&chunk);
            if buffer.len() > MAX_BODY {
                return Err(LlmError::BadAnswer {
                    url: self.url(),
                    reason: "stream line too long".into(),
                });
            }
            while let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                let Some(data) = line.trim().strip_prefix("data:") else {
                    continue;
                };
                let data = data.trim();
                if data == "[DONE]" {
                    done = true;
                    break;
                }
                let parsed: StreamChunk =
                    serde_json::from_str(data).map_err(|e| LlmError::BadAnswer {
                        url: self.url(),
                        reason: format!("bad stream event: {e}"),
                    })?;
                if let Some(u) = parsed.usage {
                    usage = u;
                }
                for c in parsed.choices {
                    if let Some(piece) = c
                        .delta
                        .and_then(|d| d.content)
                        .or(c.message.map(|m| m.content))
                    {
                        content.push_str(&piece);
                        on_delta(&piece);
                    }
                }
                if content.len() > MAX_BODY {
                    return Err(LlmError::BadAnswer {
                        url: self.url(),
                        reason: "answer too long".into(),
                    });
                }
            }
            if done {
                break;
            }
        }
        if !done && content.is_empty() {
            return Err(LlmError::BadAnswer {
                url: self.url(),
                reason: "the stream ended without any content".into(),
            });
        }
        Ok(Completion {
            content,
            usage,
            latency_ms: started.elapsed().as_millis() as u64,
            attempts,
        })
    }

    /// Posts `body`, retrying 429 and 5xx answers and connection failures with backoff.
    async fn send(&self, body: &Request<'_>) -> Result<(reqwest::Response, u32), LlmError> {
        let url = self.url();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let mut request = self.http.post(&url).json(body);
            if let Some(key) = &self.config.api_key {
                request = request.bearer_auth(key);
            }
            let retry_wait = match request.send().await {
                Ok(response) if response.status().is_success() => return Ok((response, attempt)),
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER));
                    let retryable = status == 429 || (500..600).contains(&status);
                    if !retryable || attempt > self.config.max_retries {
                        let bytes = read_capped(response, &url).await.unwrap_or_default();
                        let text: String =
                            String::from_utf8_lossy(&bytes).chars().take(300).collect();
                        return Err(LlmError::Status {
                            url,
                            status,
                            body: text,
                        });
                    }
                    retry_after.unwrap_or_else(|| backoff(attempt))
                }
                Err(e) => {
                    if attempt > self.config.max_retries {
                        return Err(LlmError::Unreachable {
                            url,
                            reason: e.to_string(),
                        });
                    }
                    backoff(attempt)
                }
            };
            tracing::info!(attempt, ?retry_wait, "retrying AI endpoint");
            tokio::time::sleep(retry_wait).await;
        }
    }
}

/// 0.5 s, 1 s, 2 s, … capped at 8 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500u64.saturating_mul(1u64 << attempt.saturating_sub(1).min(4)))
        .min(Duration::from_secs(8))
}

async fn read_capped(response: reqwest::Response, url: &str) -> Result<Vec<u8>, LlmError> {
    let mut out = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| LlmError::Unreachable {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        out.extend_from_slice(&chunk);
        if out.len() > MAX_BODY {
            return Err(LlmError::BadAnswer {
                url: url.to_string(),
                reason: "answer larger than 4 MB".into(),
            });
        }
    }
    Ok(out)
}
