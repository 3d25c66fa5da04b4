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
    /// Only threads whose latest analysis put them at this stage (a stage label).
    pub stage: Option<String>,
    /// Only threads whose top concern is this (a concern label).
    pub concern: Option<String>,
    /// Only spam (`Some(true)`) or only not spam (`Some(false)`).
    pub spam: Option<bool>,
    /// Words that must appear in the subject, participants, company or buyer address
    /// (case-insensitive).
    pub search: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A thread in a list, with what its latest analysis and background check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: i64,
    pub subject: String,
    pub message_count: i64,
    pub participants: Vec<String>,
    pub first_at: Option<String>,
    pub last_at: Option<String>,
    pub owner_user_id: Option<i64>,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub top_concern: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub buyer_email: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub is_spam: bool,
    #[serde(default)]
    pub fit_score: Option<i64>,
    #[serde(default)]
    pub risk_score: Option<i64>,
    #[serde(default)]
    pub lead_score: Option<f64>,
    /// The address of whoever wrote the thread's newest message (buyer or seller).
    #[serde(default)]
    pub last_from: Option<String>,
    /// Where the thread came from when it is not mail: `whatsapp` for an imported chat.
    #[serde(default)]
    pub channel: Option<String>,
}

/// One thread's analysis to keep, with its lead score when one was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysedThread {
    pub thread_id: i64,
    pub analysis: ThreadAnalysis,
    /// Written with the analysis; `None` leaves the thread's stored score as it is.
    pub lead_score: Option<f64>,
}

/// The latest analysis of a thread, with the fields the inbox lists.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadAnalysis {
    pub analyzer_version: String,
    pub stage: String,
    pub stage_confidence: f64,
    pub top_concern: Option<String>,
    pub language: Option<String>,
    pub country: Option<String>,
    pub buyer_email: Option<String>,
    pub company: Option<String>,
    pub is_spam: bool,
    pub spam_score: f64,
    /// The whole analysis (the `analyze` JSON).
    pub result: serde_json::Value,
    /// The deal this inquiry opens on the pipeline; `None` for spam (an open deal that
    /// analysis made and nobody touched is then removed).
    pub deal: Option<ThreadDeal>,
}

/// What an analysed inquiry puts on its pipeline card (deal id `thread-{id}`). Facts already
/// on the deal are kept; its stage follows the analysis until a person moves or closes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ThreadDeal {
    pub product: Option<String>,
    pub quantity: Option<f64>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
}

/// Who the stage history names when analysis, not a person, set a deal's stage.
pub const ANALYSIS_AUTHOR: &str = "(analysis)";

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Everything, including users and settings.
    Admin,
    /// The whole team's buyers, deals and insights.
    Manager,
    /// Only their own buyers and deals.
    Rep,
}

impl UserRole {
    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Admin => "admin",
            UserRole::Manager => "manager",
            UserRole::Rep => "rep",
        }
    }

    /// Whether this role sees every thread and deal, not only its own.
    pub fn sees_team(self) -> bool {
        !matches!(self, UserRole::Rep)
    }
}

impl std::str::FromStr for UserRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(UserRole::Admin),
            "manager" => Ok(UserRole::Manager),
            "rep" => Ok(UserRole::Rep),
            other => Err(format!("`{other}` is not a role (admin, manager, rep)")),
        }
    }
}

/// A person who can sign in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: UserRole,
    /// `zh-CN` or `en`; the server default when `None`.
    pub lang: Option<String>,
    pub disabled: bool,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: String,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub role: UserRole,
    /// A PHC string (argon2id).
    pub password_hash: String,
    pub lang: Option<String>,
}

/// An admin's change to an account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChange {
    pub role: Option<UserRole>,
    pub disabled: Option<bool>,
    /// A new password's hash (argon2id PHC string).
    pub password_hash: Option<String>,
}

/// A signed-in browser session: who, and the session's own data (its CSRF token).
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: User,
    pub data: serde_json::Value,
    pub expires_at: String,
}

/// A background-check report to keep.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub target: String,
    pub thread_id: Option<i64>,
    pub fit_score: Option<i64>,
    pub risk_score: Option<i64>,
    pub result: serde_json::Value,
}

/// A kept background-check report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredReport {
    pub id: i64,
    pub target: String,
    pub thread_id: Option<i64>,
    pub fit_score: Option<i64>,
    pub risk_score: Option<i64>,
    pub result: serde_json::Value,
    pub created_at: String,
}

/// Which deals to list.
#[derive(Debug, Clone, Default)]
pub struct DealFilter {
    /// Only deals owned by this user.
    pub owner_user_id: Option<i64>,
    /// Only `open`, `won` or `lost` deals.
    pub outcome: Option<String>,
    pub limit: i64,
}

/// A deal as the pipeline board shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealRow {
    /// The deal's id (`external_id`).
    pub id: String,
    pub company: Option<String>,
    pub country: Option<String>,
    pub source: Option<String>,
    pub product: Option<String>,
    pub salesperson: Option<String>,
    pub owner_user_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub created: String,
    pub closed: Option<String>,
    pub stage: String,
    pub outcome: String,
    pub loss_reason: Option<String>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
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
/// What a person corrected on a thread: `field` is `stage` (a stage label), `concerns`
/// (concern labels, comma-separated, possibly empty) or `spam` (`spam` / `not_spam`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCorrection {
    pub thread_id: i64,
    pub field: String,
    pub value: String,
    pub user_id: Option<i64>,
}

/// A stored correction, with who made it (their name, when they still exist) and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub id: i64,
    pub thread_id: i64,
    pub field: String,
    pub value: String,
    pub by: Option<String>,
    pub at: String,
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
