//! Where tradescout keeps everything: the [`Store`] trait and its SQLite (default, embedded)
//! and PostgreSQL (shared team server) implementations, with their migrations.
//!
//! Both backends run the same SQL (`src/queries.rs`, compiled once per backend) except where
//! the engines differ: connection set-up, migrations locking and job claiming.

mod model;
mod postgres;
mod sqlite;

pub use model::*;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use std::sync::Arc;

/// What can go wrong in the store. Messages name the database and the problem.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL `{url}` is not usable: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot open database {url}: {source}")]
    Open {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("migration {version} failed: {source}")]
    Migration {
        version: i64,
        #[source]
        source: sqlx::Error,
    },
    #[error("the database has schema version {found}, newer than this tradescout knows ({known}); upgrade tradescout")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("database query failed ({what}): {source}")]
    Query {
        what: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("stored data is damaged ({what}): {reason}")]
    Corrupt { what: &'static str, reason: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything tradescout stores. Implemented by [`SqliteStore`] and [`PgStore`].
#[async_trait]
pub trait Store: Send + Sync {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Answers once the database can be queried.
    async fn ping(&self) -> Result<()>;

    /// Stores a batch of messages in one transaction, each placed in a thread. A message whose
    /// content hash is already stored is reported as a duplicate and not stored again.
    async fn insert_messages(&self, batch: &[NewMessage]) -> Result<Vec<InsertOutcome>>;

    /// Number of stored messages.
    async fn count_messages(&self) -> Result<i64>;

    /// Threads, most recently active first.
    async fn list_threads(&self, filter: &ThreadFilter) -> Result<Vec<ThreadSummary>>;

    /// One thread with its messages, oldest first; `None` when there is no such thread.
    async fn thread(&self, id: i64) -> Result<Option<ThreadDetail>>;

    /// The raw bytes of a stored message, exactly as received.
    async fn message_raw(&self, id: i64) -> Result<Option<Vec<u8>>>;

    /// IMAP sync position of a mailbox.
    async fn imap_state(&self, account: &str, mailbox: &str) -> Result<Option<ImapState>>;

    /// Records the IMAP sync position of a mailbox.
    async fn set_imap_state(&self, account: &str, mailbox: &str, state: ImapState) -> Result<()>;

    /// Stores deals by their id (`external_id`): new ones are added with a first stage-history
    /// entry, known ones updated. Returns (added, updated).
    async fn upsert_deals(
        &self,
        deals: &[tradescout_insights::Deal],
        changed_by: &str,
    ) -> Result<(u64, u64)>;

    /// Moves a deal (by its id) to `stage`, recording who changed it; `false` if there is no
    /// such deal.
    async fn set_deal_stage(
        &self,
        id: &str,
        stage: tradescout_core::Stage,
        changed_by: &str,
        note: Option<&str>,
    ) -> Result<bool>;

    /// Closes a deal as won or lost (with a loss reason), optionally with its final amount,
    /// currency and quantity; `false` if there is no such deal.
    async fn close_deal(&self, id: &str, close: &DealClose) -> Result<bool>;

    /// The stage history of a deal, oldest first: (stage, changed_at, changed_by, note).
    async fn deal_history(&self, id: &str)
        -> Result<Vec<(String, String, String, Option<String>)>>;

    /// Every deal, oldest first.
    async fn load_deals(&self) -> Result<Vec<tradescout_insights::Deal>>;

    /// Records one AI call's tokens and latency.
    async fn record_llm_usage(&self, usage: &LlmUsage) -> Result<()>;

    /// Tokens (prompt + completion) used by AI calls at or after `since` (RFC 3339).
    async fn llm_tokens_since(&self, since: &str) -> Result<i64>;

    /// Queues a background job; returns its id.
    async fn enqueue_job(&self, job: &NewJob) -> Result<i64>;

    /// Claims the oldest due job for `worker`, if any. Safe with many workers.
    async fn claim_job(&self, worker: &str) -> Result<Option<Job>>;

    /// Marks a claimed job done with its result, or failed with the error.
    async fn finish_job(&self, id: i64, outcome: JobOutcome) -> Result<()>;

    /// One job by id.
    async fn job(&self, id: i64) -> Result<Option<Job>>;
}

/// Opens the store named by `url` (`sqlite:PATH`, `sqlite::memory:`, `postgres://…`) and
/// brings its schema up to date.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::open(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else {
        Err(StoreError::BadUrl {
            url: url.to_string(),
            reason: "expected sqlite:PATH or postgres://USER@HOST/DB".into(),
        })
    }
}
