//! The team server: PostgreSQL, shared by several `tradescout serve` processes.

use crate::model::*;
use crate::{Result, Store, StoreError};
use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Row};
use std::str::FromStr;
use std::time::Duration;

type Db = sqlx::Postgres;

/// Write transactions: PostgreSQL's row locks let writers wait on their own.
const BEGIN_WRITE: &str = "BEGIN";

// Compiled once per backend on purpose: the shared SQL, type-checked against this `Db`.
#[allow(clippy::duplicate_mod)]
#[path = "queries/mod.rs"]
mod queries;

#[path = "postgres_bulk.rs"]
mod bulk;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_inbox.sql")),
    (3, include_str!("../migrations/postgres/0003_search.sql")),
    (
        4,
        include_str!("../migrations/postgres/0004_login_failures.sql"),
    ),
    (
        5,
        include_str!("../migrations/postgres/0005_corrections.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/0006_inquiry_deals.sql"),
    ),
];

/// The conditions and bound values (placeholders from `$first`) that find threads holding
/// every search word, one per word, written as the expression the trigram index of migration
/// 3 covers (the planner intersects the index scans).
fn search_words(words: &[&str], first: usize) -> Vec<(String, String)> {
    words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            (
                format!(
                    "LOWER(subject || ' ' || participants || ' ' || COALESCE(company, '')) LIKE ${} ESCAPE '\\'",
                    first + i
                ),
                queries::like_pattern(word),
            )
        })
        .collect()
}

/// The PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: Pool<Db>,
    /// One connection of its own for health checks, so `/healthz` answers while every pooled
    /// connection is busy.
    health: Pool<Db>,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://…`) and migrates it.
    pub async fn open(url: &str) -> Result<PgStore> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::BadUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?
            .application_name("tradescout");
        let health = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .idle_timeout(Some(Duration::from_secs(600)))
            .connect_lazy_with(options.clone());
        // A connection keeps the buffers of the largest message it ever carried (a 15 MB
        // inquiry leaves ~30 MB behind): connections are replaced once a minute and closed when
        // idle, so a burst of large bodies does not stay in memory.
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(30))
            .max_lifetime(Some(Duration::from_secs(60)))
            .idle_timeout(Some(Duration::from_secs(20)))
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                url: redact(url),
                source,
            })?;
        let store = PgStore { pool, health };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)")
            .execute(&self.pool)
            .await
            .map_err(|source| StoreError::Migration { version: 0, source })?;
        let current: i64 =
            sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
                .fetch_one(&self.pool)
                .await
                .and_then(|r| r.try_get("v"))
                .map_err(|source| StoreError::Migration { version: 0, source })?;
        let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
        if current > known {
            return Err(StoreError::SchemaTooNew {
                found: current,
                known,
            });
        }
        for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            let err = |source| StoreError::Migration {
                version: *version,
                source,
            };
            let mut tx = self.pool.begin_with(BEGIN_WRITE).await.map_err(err)?;
            // Several servers may start at once: one migrates, the others wait and skip.
            sqlx::query("SELECT pg_advisory_xact_lock(7261843)")
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            let done: Option<i64> =
                sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(err)?
                    .map(|r| r.try_get("version"))
                    .transpose()
                    .map_err(err)?;
            if done.is_some() {
                continue;
            }
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(err)?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(version)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(err)?;
            tx.commit().await.map_err(err)?;
        }
        Ok(())
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.health)
            .await
            .map(|_| ())
            .map_err(|source| StoreError::Query {
                what: "ping",
                source,
            })
    }

    async fn insert_messages(&self, batch: &[NewMessage]) -> Result<Vec<InsertOutcome>> {
        queries::insert_messages(&self.pool, batch).await
    }

    async fn count_messages(&self) -> Result<i64> {
        queries::count_messages(&self.pool).await
    }

    async fn list_threads(&self, filter: &ThreadFilter) -> Result<Vec<ThreadSummary>> {
        queries::list_threads(&self.pool, filter).await
    }

    async fn thread(&self, id: i64) -> Result<Option<ThreadDetail>> {
        queries::thread(&self.pool, id).await
    }

    async fn message_raw(&self, id: i64) -> Result<Option<Vec<u8>>> {
        queries::message_raw(&self.pool, id).await
    }

    async fn imap_state(&self, account: &str, mailbox: &str) -> Result<Option<ImapState>> {
        queries::imap_state(&self.pool, account, mailbox).await
    }

    async fn set_imap_state(&self, account: &str, mailbox: &str, state: ImapState) -> Result<()> {
        queries::set_imap_state(&self.pool, account, mailbox, state).await
    }

    async fn upsert_deals(
        &self,
        deals: &[tradescout_insights::Deal],
        changed_by: &str,
    ) -> Result<(u64, u64)> {
        queries::upsert_deals(&self.pool, deals, changed_by).await
    }

    async fn load_deals(&self) -> Result<Vec<tradescout_insights::Deal>> {
        bulk::load_deals(&self.pool).await
    }

    async fn set_deal_stage(
        &self,
        id: &str,
        stage: tradescout_core::Stage,
        changed_by: &str,
        note: Option<&str>,
    ) -> Result<bool> {
        queries::set_deal_stage(&self.pool, id, stage, changed_by, note).await
    }

    async fn close_deal(&self, id: &str, close: &DealClose) -> Result<bool> {
        queries::close_deal(&self.pool, id, close).await
    }

    async fn deal_history(
        &self,
        id: &str,
    ) -> Result<Vec<(String, String, String, Option<String>)>> {
        queries::deal_history(&self.pool, id).await
    }

    async fn add_correction(&self, c: &NewCorrection) -> Result<i64> {
        queries::add_correction(&self.pool, c).await
    }

    async fn corrections(&self, thread_id: Option<i64>) -> Result<Vec<Correction>> {
        queries::corrections(&self.pool, thread_id).await
    }

    async fn record_llm_usage(&self, usage: &LlmUsage) -> Result<()> {
        queries::record_llm_usage(&self.pool, usage).await
    }

    async fn count_deals(&self) -> Result<u64> {
        queries::count_deals(&self.pool).await
    }

    async fn llm_tokens_since(&self, since: &str) -> Result<i64> {
        queries::llm_tokens_since(&self.pool, since).await
    }

    async fn enqueue_job(&self, job: &NewJob) -> Result<i64> {
        queries::enqueue_job(&self.pool, job).await
    }

    async fn claim_job(&self, worker: &str) -> Result<Option<Job>> {
        // SKIP LOCKED lets any number of workers share the queue without waiting on each other.
        let now = now();
        let row = sqlx::query(&format!(
            "UPDATE jobs SET status = 'running', locked_by = $1, locked_at = $2, attempts = attempts + 1, updated_at = $2 \
             WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND run_after <= $2 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING {}",
            queries::JOB_COLUMNS
        ))
        .bind(worker)
        .bind(&now)
        .fetch_optional(&self.pool)
        .await
        .map_err(|source| StoreError::Query { what: "claim job", source })?;
        row.as_ref().map(queries::job_from_row).transpose()
    }

    async fn finish_job(&self, id: i64, outcome: JobOutcome) -> Result<()> {
        queries::finish_job(&self.pool, id, outcome).await
    }

    async fn job(&self, id: i64) -> Result<Option<Job>> {
        queries::job(&self.pool, id).await
    }

    async fn create_user(&self, user: &NewUser) -> Result<i64> {
        queries::create_user(&self.pool, user).await
    }
    async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        queries::user_by_name(&self.pool, name).await
    }
    async fn user(&self, id: i64) -> Result<Option<User>> {
        queries::user(&self.pool, id).await
    }
    async fn list_users(&self) -> Result<Vec<User>> {
        queries::list_users(&self.pool).await
    }
    async fn set_user_lang(&self, id: i64, lang: &str) -> Result<()> {
        queries::set_user_lang(&self.pool, id, lang).await
    }
    async fn update_user(&self, id: i64, change: &UserChange) -> Result<bool> {
        queries::update_user(&self.pool, id, change).await
    }
    async fn add_api_token(&self, user_id: i64, token_hash: &str, label: &str) -> Result<i64> {
        queries::add_api_token(&self.pool, user_id, token_hash, label).await
    }
    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        queries::user_by_token(&self.pool, token_hash).await
    }
    async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        data: &serde_json::Value,
        expires_at: &str,
    ) -> Result<()> {
        queries::create_session(&self.pool, id_hash, user_id, data, expires_at).await
    }
    async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>> {
        queries::session(&self.pool, id_hash).await
    }
    async fn delete_session(&self, id_hash: &str) -> Result<()> {
        queries::delete_session(&self.pool, id_hash).await
    }
    async fn set_thread_owner(&self, thread_id: i64, owner: Option<i64>) -> Result<()> {
        queries::set_thread_owner(&self.pool, thread_id, owner).await
    }
    async fn save_analysis(&self, thread_id: i64, analysis: &ThreadAnalysis) -> Result<()> {
        queries::save_analysis(&self.pool, thread_id, analysis).await
    }

    async fn save_analyses(&self, batch: &[AnalysedThread]) -> Result<()> {
        queries::save_analyses(&self.pool, batch).await
    }
    async fn latest_analysis(&self, thread_id: i64) -> Result<Option<serde_json::Value>> {
        queries::latest_analysis(&self.pool, thread_id).await
    }
    async fn unanalysed_threads(&self, limit: i64, version: &str) -> Result<Vec<i64>> {
        queries::unanalysed_threads(&self.pool, limit, version).await
    }
    async fn count_threads(&self, filter: &ThreadFilter) -> Result<i64> {
        queries::count_threads(&self.pool, filter).await
    }
    async fn set_lead_score(&self, thread_id: i64, score: Option<f64>) -> Result<()> {
        queries::set_lead_score(&self.pool, thread_id, score).await
    }
    async fn save_report(&self, report: &NewReport) -> Result<i64> {
        queries::save_report(&self.pool, report).await
    }
    async fn latest_report(&self, thread_id: i64) -> Result<Option<StoredReport>> {
        queries::latest_report(&self.pool, thread_id).await
    }
    async fn upsert_catalogue(
        &self,
        products: &[tradescout_coach::CatalogueProduct],
    ) -> Result<(u64, u64)> {
        queries::upsert_catalogue(&self.pool, products).await
    }
    async fn catalogue(&self) -> Result<Vec<tradescout_coach::CatalogueProduct>> {
        queries::catalogue(&self.pool).await
    }
    async fn catalogue_version(&self) -> Result<String> {
        queries::catalogue_version(&self.pool).await
    }
    async fn list_deals(&self, filter: &DealFilter) -> Result<Vec<DealRow>> {
        queries::list_deals(&self.pool, filter).await
    }
    async fn deal_owner(&self, id: &str) -> Result<Option<Option<i64>>> {
        queries::deal_owner(&self.pool, id).await
    }
    async fn assign_deal_owners(&self) -> Result<u64> {
        queries::assign_deal_owners(&self.pool).await
    }
    async fn setting(&self, key: &str) -> Result<Option<String>> {
        queries::setting(&self.pool, key).await
    }
    async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        queries::set_setting(&self.pool, key, value).await
    }

    async fn login_failures(&self, key: &str, since: i64) -> Result<i64> {
        queries::login_failures(&self.pool, key, since).await
    }

    async fn record_login_failure(
        &self,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> Result<()> {
        queries::record_login_failure(&self.pool, keys, at, forget_before).await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        queries::clear_login_failures(&self.pool, key).await
    }
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
