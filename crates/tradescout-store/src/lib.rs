//! Where tradescout keeps everything: the [`Store`] trait and its SQLite (default, embedded)
//! and PostgreSQL (shared team server) implementations, with their migrations.
//!
//! Both backends run the same SQL (`src/queries.rs`, compiled once per backend) except where
//! the engines differ: connection set-up, migrations locking and job claiming.

mod model;
mod postgres;
mod raw_deal;
mod sqlite;
mod sqlite_bulk;

pub use model::*;
pub use postgres::{redact as redact_url, PgStore};
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
    #[error("{what} already exists: {reason}")]
    Conflict { what: &'static str, reason: String },
    #[error("database read failed ({what}): {reason}")]
    Read { what: &'static str, reason: String },
    #[error("stored data is damaged ({what}): {reason}")]
    Corrupt { what: &'static str, reason: String },
}

impl StoreError {
    /// The database was too busy to answer in time (SQLite's lock after its busy timeout,
    /// every pooled connection taken, a PostgreSQL lock or serialization conflict): the request
    /// may simply be tried again.
    pub fn is_busy(&self) -> bool {
        let source = match self {
            StoreError::Query { source, .. } | StoreError::Open { source, .. } => source,
            _ => return false,
        };
        match source {
            sqlx::Error::PoolTimedOut => true,
            sqlx::Error::Database(db) => matches!(
                db.code().as_deref(),
                // SQLite BUSY, LOCKED (and their extended codes); PostgreSQL serialization
                // failure, deadlock, lock not available.
                Some("5" | "6" | "261" | "262" | "517" | "40001" | "40P01" | "55P03")
            ),
            _ => false,
        }
    }
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

    /// Keeps a person's correction of a thread's stage, concerns or spam verdict.
    async fn add_correction(&self, correction: &NewCorrection) -> Result<i64>;

    /// Corrections, oldest first: of one thread, or of every thread (`None`), with the
    /// name of who made each.
    async fn corrections(&self, thread_id: Option<i64>) -> Result<Vec<Correction>>;

    /// Every deal, oldest first.
    async fn load_deals(&self) -> Result<Vec<tradescout_insights::Deal>>;

    /// How many deals are stored.
    async fn count_deals(&self) -> Result<u64>;

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

    // --- people, sessions, API tokens ---

    /// Creates a user; a taken name is a [`StoreError::Conflict`].
    async fn create_user(&self, user: &NewUser) -> Result<i64>;
    async fn user_by_name(&self, name: &str) -> Result<Option<User>>;
    async fn user(&self, id: i64) -> Result<Option<User>>;
    async fn list_users(&self) -> Result<Vec<User>>;
    async fn set_user_lang(&self, id: i64, lang: &str) -> Result<()>;
    /// Changes what an admin may change of an account; `None` leaves a field as it is. A
    /// disabled account can no longer sign in, and its sessions and tokens stop working.
    async fn update_user(&self, id: i64, change: &UserChange) -> Result<bool>;
    /// Keeps an API token's hash (never the token).
    async fn add_api_token(&self, user_id: i64, token_hash: &str, label: &str) -> Result<i64>;
    /// The enabled user a token hash belongs to, noting that it was used.
    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>>;
    async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        data: &serde_json::Value,
        expires_at: &str,
    ) -> Result<()>;
    /// The unexpired session of an enabled user.
    async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>>;
    async fn delete_session(&self, id_hash: &str) -> Result<()>;

    // --- inbox ---

    async fn set_thread_owner(&self, thread_id: i64, owner: Option<i64>) -> Result<()>;
    /// Keeps a thread's analysis and copies its stage, concern, language, country and spam
    /// verdict onto the thread for the inbox.
    async fn save_analysis(&self, thread_id: i64, analysis: &ThreadAnalysis) -> Result<()>;
    /// Keeps a batch of analyses (and their lead scores) in one transaction: a mailbox's
    /// backlog is written in a few commits, not one per thread.
    async fn save_analyses(&self, batch: &[AnalysedThread]) -> Result<()>;
    /// The latest analysis JSON of a thread.
    async fn latest_analysis(&self, thread_id: i64) -> Result<Option<serde_json::Value>>;
    /// Ids of threads that have no analysis by `version` yet (none at all, or one made by
    /// another analyzer or other models), oldest first.
    async fn unanalysed_threads(&self, limit: i64, version: &str) -> Result<Vec<i64>>;
    /// Number of threads the filter matches (ignoring its limit and offset).
    async fn count_threads(&self, filter: &ThreadFilter) -> Result<i64>;
    /// Sets a thread's lead score (probability of winning, 0–1).
    async fn set_lead_score(&self, thread_id: i64, score: Option<f64>) -> Result<()>;

    // --- background checks ---

    /// Keeps a report; with a thread, copies its fit and risk scores onto the thread.
    async fn save_report(&self, report: &NewReport) -> Result<i64>;
    /// The newest report made for a thread.
    async fn latest_report(&self, thread_id: i64) -> Result<Option<StoredReport>>;

    // --- catalogue ---

    /// Adds or updates products by SKU; returns (added, updated).
    async fn upsert_catalogue(
        &self,
        products: &[tradescout_coach::CatalogueProduct],
    ) -> Result<(u64, u64)>;
    /// Every stored product, by SKU.
    async fn catalogue(&self) -> Result<Vec<tradescout_coach::CatalogueProduct>>;
    /// Counts the catalogue imports that stored something (products added or updated): a
    /// cache of the catalogue is good while this stays the same.
    async fn catalogue_version(&self) -> Result<String>;

    // --- deals for the pipeline board ---

    async fn list_deals(&self, filter: &DealFilter) -> Result<Vec<DealRow>>;
    /// Who owns a deal: `None` when there is no such deal.
    async fn deal_owner(&self, id: &str) -> Result<Option<Option<i64>>>;
    /// Gives each unowned deal to the user named as its salesperson; returns how many.
    async fn assign_deal_owners(&self) -> Result<u64>;

    // --- settings ---

    async fn setting(&self, key: &str) -> Result<Option<String>>;
    async fn set_setting(&self, key: &str, value: &str) -> Result<()>;

    // --- sign-in limits, shared by every server on the database ---

    /// Failed sign-ins recorded under `key` at or after `since` (Unix seconds).
    async fn login_failures(&self, key: &str, since: i64) -> Result<i64>;
    /// Records a failed sign-in under each of `keys` at `at`, and forgets every failure
    /// older than `forget_before`, so the table holds one window's failures at most.
    async fn record_login_failure(
        &self,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> Result<()>;
    /// Forgets the failures under `key` (after a successful sign-in).
    async fn clear_login_failures(&self, key: &str) -> Result<()>;
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
