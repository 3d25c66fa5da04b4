//! Values going into and out of the store.

use serde::{Deserialize, Serialize};
use tradescout_mail::{Address, Attachment, Message};

/// A message to store: parsed, with its raw bytes and where it came from.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub parsed: Message,
    /// Kept byte-exact.
    pub raw: Vec<u8>,
    /// A file path, `imap://host/mailbox`, `api`, …
    pub source: String,
    /// Position within the source (1-based message number, or IMAP UID).
    pub position: i64,
}

/// What happened to one message of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum InsertOutcome {
    New { message: i64, thread: i64 },
    Duplicate { message: i64, thread: i64 },
}

impl InsertOutcome {
    pub fn thread(&self) -> i64 {
        match self {
            InsertOutcome::New { thread, .. } | InsertOutcome::Duplicate { thread, .. } => *thread,
        }
    }
    pub fn is_new(&self) -> bool {
        matches!(self, InsertOutcome::New { .. })
    }
}

/// Which threads to list.
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter {
    /// Only threads owned by this user.
    pub owner_user_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// A thread in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: i64,
    pub subject: String,
    pub message_count: i64,
    pub participants: Vec<String>,
    pub first_at: Option<String>,
    pub last_at: Option<String>,
    pub owner_user_id: Option<i64>,
}

/// A stored message, without its raw bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMessage {
    pub id: i64,
    pub thread_id: i64,
    pub message_id: Option<String>,
    pub subject: String,
    pub from: Option<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub sent_at: Option<String>,
    pub text: String,
    pub from_html: bool,
    pub attachments: Vec<Attachment>,
    pub size: i64,
    pub content_hash: String,
    pub source: String,
    pub source_position: i64,
}

/// A thread with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadDetail {
    pub summary: ThreadSummary,
    pub messages: Vec<StoredMessage>,
}

/// How far an IMAP mailbox has been synced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImapState {
    pub uidvalidity: u32,
    pub last_uid: u32,
}

/// How a deal ended.
#[derive(Debug, Clone)]
pub struct DealClose {
    pub outcome: tradescout_core::Outcome,
    pub loss_reason: Option<String>,
    /// YYYY-MM-DD; today when not given.
    pub closed: String,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub quantity: Option<f64>,
    pub changed_by: String,
}

/// One AI call, for cost and the monthly budget.
#[derive(Debug, Clone)]
pub struct LlmUsage {
    pub model: String,
    /// `draft`, `summary`, `second_opinion`, …
    pub purpose: String,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub latency_ms: i64,
}

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub owner_user_id: Option<i64>,
}

/// A queued, running or finished job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: String,
    pub owner_user_id: Option<i64>,
    pub attempts: i64,
    pub result: Option<serde_json::Value>,
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// How a job ended.
#[derive(Debug, Clone)]
pub enum JobOutcome {
    Done(serde_json::Value),
    Failed(String),
}

/// Now, as stored: UTC RFC 3339 to the second.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
