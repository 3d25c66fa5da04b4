// The SQL both backends share. This file is compiled twice, as `sqlite::queries` and
// `postgres::queries`, against the `Db` type of the including module, so each copy is
// type-checked for its engine. Placeholders are `$N`, which both engines accept.

pub(crate) mod deals;
mod inbox;
mod insert;
mod people;

use super::Db;
use crate::model::*;
use crate::{Result, StoreError};
use sqlx::{Pool, Row};
use tradescout_mail::{Address, Attachment};

pub(crate) use deals::{
    add_correction, close_deal, corrections, deal_history, set_deal_stage, upsert_deals,
    DEAL_JSON_COLUMNS,
};
pub(crate) use inbox::*;
pub(crate) use insert::insert_messages;
pub(crate) use people::*;

fn q(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { what, source }
}

pub(crate) async fn count_messages(pool: &Pool<Db>) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM messages")
        .fetch_one(pool)
        .await
        .map_err(q("count messages"))?
        .try_get("n")
        .map_err(q("count messages"))
}

const THREAD_COLUMNS: &str = "id, subject, message_count, participants, first_at, last_at, \
     owner_user_id, stage, top_concern, language, country, buyer_email, company, is_spam, \
     fit_score, risk_score, lead_score, \
     (SELECT m.from_email FROM messages m WHERE m.thread_id = threads.id \
      ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) AS last_from";

/// The thread row's own columns, without the last sender (a subquery per row).
const THREAD_ROW_COLUMNS: &str = "id, subject, message_count, participants, first_at, last_at, \
     owner_user_id, stage, top_concern, language, country, buyer_email, company, is_spam, \
     fit_score, risk_score, lead_score";

fn thread_summary(row: &<Db as sqlx::Database>::Row) -> Result<ThreadSummary> {
    let participants: String = row.try_get("participants").map_err(q("read thread"))?;
    // Chat imports write their senders at this reserved domain (`chat_import` in the CLI).
    let channel = participants
        .split_whitespace()
        .any(|p| p.ends_with("@whatsapp.invalid"))
        .then(|| "whatsapp".to_string());
    Ok(ThreadSummary {
        id: row.try_get("id").map_err(q("read thread"))?,
        subject: row.try_get("subject").map_err(q("read thread"))?,
        message_count: row.try_get("message_count").map_err(q("read thread"))?,
        participants: participants
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        first_at: row.try_get("first_at").map_err(q("read thread"))?,
        last_at: row.try_get("last_at").map_err(q("read thread"))?,
        owner_user_id: row.try_get("owner_user_id").map_err(q("read thread"))?,
        stage: row.try_get("stage").map_err(q("read thread"))?,
        top_concern: row.try_get("top_concern").map_err(q("read thread"))?,
        language: row.try_get("language").map_err(q("read thread"))?,
        country: row.try_get("country").map_err(q("read thread"))?,
        buyer_email: row.try_get("buyer_email").map_err(q("read thread"))?,
        company: row.try_get("company").map_err(q("read thread"))?,
        is_spam: row.try_get("is_spam").map_err(q("read thread"))?,
        fit_score: row.try_get("fit_score").map_err(q("read thread"))?,
        risk_score: row.try_get("risk_score").map_err(q("read thread"))?,
        lead_score: row.try_get("lead_score").map_err(q("read thread"))?,
        last_from: row.try_get("last_from").map_err(q("read thread"))?,
        channel,
    })
}

/// The WHERE clause of a thread filter and the values to bind, in order.
fn thread_where(filter: &ThreadFilter) -> (String, Vec<FilterValue>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut values = Vec::new();
    if let Some(owner) = filter.owner_user_id {
        values.push(FilterValue::Int(owner));
        clauses.push(format!("owner_user_id = ${}", values.len()));
    }
    if let Some(stage) = &filter.stage {
        values.push(FilterValue::Text(stage.clone()));
        clauses.push(format!("stage = ${}", values.len()));
    }
    if let Some(concern) = &filter.concern {
        values.push(FilterValue::Text(concern.clone()));
        clauses.push(format!("top_concern = ${}", values.len()));
    }
    if let Some(spam) = filter.spam {
        values.push(FilterValue::Bool(spam));
        clauses.push(format!("is_spam = ${}", values.len()));
    }
    let words: Vec<&str> = filter
        .search
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .take(8)
        .collect();
    for (clause, value) in super::search_words(&words, values.len() + 1) {
        values.push(FilterValue::Text(value));
        clauses.push(clause);
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, values)
}

/// `%word%` for LIKE, lower-cased, with LIKE's own characters escaped by a backslash.
pub(crate) fn like_pattern(word: &str) -> String {
    let escaped = word
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

enum FilterValue {
    Int(i64),
    Text(String),
    Bool(bool),
}

fn bind_filter<'q>(
    mut query: sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>,
    values: &'q [FilterValue],
) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>> {
    for v in values {
        query = match v {
            FilterValue::Int(i) => query.bind(*i),
            FilterValue::Text(t) => query.bind(t.as_str()),
            FilterValue::Bool(b) => query.bind(*b),
        };
    }
    query
}

pub(crate) async fn list_threads(
    pool: &Pool<Db>,
    filter: &ThreadFilter,
) -> Result<Vec<ThreadSummary>> {
    let limit = if filter.limit <= 0 {
        100
    } else {
        filter.limit.min(10_000)
    };
    let (clause, values) = thread_where(filter);
    let n = values.len();
    // The page is chosen first and the last sender looked up for its rows only: PostgreSQL
    // otherwise runs that subquery for every row it sorts or skips (345 ms for page 1,000 of
    // 100,000 threads).
    let sql = format!(
        "SELECT page.*, (SELECT m.from_email FROM messages m WHERE m.thread_id = page.id \
         ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) AS last_from \
         FROM (SELECT {THREAD_ROW_COLUMNS} FROM threads {clause} \
         ORDER BY last_at DESC, id DESC LIMIT ${} OFFSET ${}) AS page \
         ORDER BY page.last_at DESC, page.id DESC",
        n + 1,
        n + 2
    );
    let rows = bind_filter(sqlx::query(&sql), &values)
        .bind(limit)
        .bind(filter.offset.max(0))
        .fetch_all(pool)
        .await
        .map_err(q("list threads"))?;
    rows.iter().map(thread_summary).collect()
}

pub(crate) async fn count_threads(pool: &Pool<Db>, filter: &ThreadFilter) -> Result<i64> {
    let (clause, values) = thread_where(filter);
    let sql = format!("SELECT COUNT(*) AS n FROM threads {clause}");
    bind_filter(sqlx::query(&sql), &values)
        .fetch_one(pool)
        .await
        .map_err(q("count threads"))?
        .try_get("n")
        .map_err(q("count threads"))
}

pub(crate) async fn thread(pool: &Pool<Db>, id: i64) -> Result<Option<ThreadDetail>> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {THREAD_COLUMNS} FROM threads WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(q("read thread"))?
    else {
        return Ok(None);
    };
    let summary = thread_summary(&row)?;
    let rows = sqlx::query(
        "SELECT id, thread_id, message_id, subject, from_name, from_email, to_json, cc_json, sent_at, body_text, \
         from_html, attachments_json, size, content_hash, source, source_position \
         FROM messages WHERE thread_id = $1 ORDER BY sent_at IS NULL, sent_at, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(q("read thread messages"))?;
    let mut messages = Vec::with_capacity(rows.len());
    for r in rows {
        let from_name: Option<String> = r.try_get("from_name").map_err(q("read message"))?;
        let from_email: Option<String> = r.try_get("from_email").map_err(q("read message"))?;
        let from_html: i64 = r.try_get("from_html").map_err(q("read message"))?;
        messages.push(StoredMessage {
            id: r.try_get("id").map_err(q("read message"))?,
            thread_id: r.try_get("thread_id").map_err(q("read message"))?,
            message_id: r.try_get("message_id").map_err(q("read message"))?,
            subject: r.try_get("subject").map_err(q("read message"))?,
            from: (from_name.is_some() || from_email.is_some()).then_some(Address {
                name: from_name,
                email: from_email,
            }),
            to: json_column::<Vec<Address>>(&r, "to_json")?,
            cc: json_column::<Vec<Address>>(&r, "cc_json")?,
            sent_at: r.try_get("sent_at").map_err(q("read message"))?,
            text: r.try_get("body_text").map_err(q("read message"))?,
            from_html: from_html != 0,
            attachments: json_column::<Vec<Attachment>>(&r, "attachments_json")?,
            size: r.try_get("size").map_err(q("read message"))?,
            content_hash: r.try_get("content_hash").map_err(q("read message"))?,
            source: r.try_get("source").map_err(q("read message"))?,
            source_position: r.try_get("source_position").map_err(q("read message"))?,
        });
    }
    Ok(Some(ThreadDetail { summary, messages }))
}

fn json_column<T: serde::de::DeserializeOwned>(
    row: &<Db as sqlx::Database>::Row,
    column: &'static str,
) -> Result<T> {
    let text: String = row.try_get(column).map_err(q("read message"))?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
        what: column,
        reason: e.to_string(),
    })
}

pub(crate) async fn message_raw(pool: &Pool<Db>, id: i64) -> Result<Option<Vec<u8>>> {
    let row = sqlx::query("SELECT raw FROM message_raw WHERE message_pk = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(q("read raw message"))?;
    match row {
        Some(r) => Ok(Some(r.try_get("raw").map_err(q("read raw message"))?)),
        None => Ok(None),
    }
}

pub(crate) async fn imap_state(
    pool: &Pool<Db>,
    account: &str,
    mailbox: &str,
) -> Result<Option<ImapState>> {
    let row = sqlx::query(
        "SELECT uidvalidity, last_uid FROM imap_state WHERE account = $1 AND mailbox = $2",
    )
    .bind(account)
    .bind(mailbox)
    .fetch_optional(pool)
    .await
    .map_err(q("read IMAP state"))?;
    let Some(r) = row else { return Ok(None) };
    let uidvalidity: i64 = r.try_get("uidvalidity").map_err(q("read IMAP state"))?;
    let last_uid: i64 = r.try_get("last_uid").map_err(q("read IMAP state"))?;
    let bad = |reason: String| StoreError::Corrupt {
        what: "imap_state",
        reason,
    };
    Ok(Some(ImapState {
        uidvalidity: u32::try_from(uidvalidity).map_err(|e| bad(e.to_string()))?,
        last_uid: u32::try_from(last_uid).map_err(|e| bad(e.to_string()))?,
    }))
}

pub(crate) async fn set_imap_state(
    pool: &Pool<Db>,
    account: &str,
    mailbox: &str,
    state: ImapState,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO imap_state (account, mailbox, uidvalidity, last_uid, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (account, mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, updated_at = excluded.updated_at",
    )
    .bind(account)
    .bind(mailbox)
    .bind(i64::from(state.uidvalidity))
    .bind(i64::from(state.last_uid))
    .bind(now())
    .execute(pool)
    .await
    .map_err(q("write IMAP state"))?;
    Ok(())
}

pub(crate) async fn enqueue_job(pool: &Pool<Db>, job: &NewJob) -> Result<i64> {
    let now = now();
    sqlx::query(
        "INSERT INTO jobs (kind, payload, status, owner_user_id, attempts, run_after, created_at, updated_at) \
         VALUES ($1, $2, 'queued', $3, 0, $4, $4, $4) RETURNING id",
    )
    .bind(&job.kind)
    .bind(job.payload.to_string())
    .bind(job.owner_user_id)
    .bind(&now)
    .fetch_one(pool)
    .await
    .map_err(q("queue job"))?
    .try_get("id")
    .map_err(q("queue job"))
}

pub(crate) const JOB_COLUMNS: &str =
    "id, kind, payload, status, owner_user_id, attempts, result, error, created_at, updated_at";

pub(crate) fn job_from_row(r: &<Db as sqlx::Database>::Row) -> Result<Job> {
    let payload: String = r.try_get("payload").map_err(q("read job"))?;
    let result: Option<String> = r.try_get("result").map_err(q("read job"))?;
    let parse = |s: &str| {
        serde_json::from_str(s).map_err(|e| StoreError::Corrupt {
            what: "jobs",
            reason: e.to_string(),
        })
    };
    Ok(Job {
        id: r.try_get("id").map_err(q("read job"))?,
        kind: r.try_get("kind").map_err(q("read job"))?,
        payload: parse(&payload)?,
        status: r.try_get("status").map_err(q("read job"))?,
        owner_user_id: r.try_get("owner_user_id").map_err(q("read job"))?,
        attempts: r.try_get("attempts").map_err(q("read job"))?,
        result: result.as_deref().map(parse).transpose()?,
        error: r.try_get("error").map_err(q("read job"))?,
        created_at: r.try_get("created_at").map_err(q("read job"))?,
        updated_at: r.try_get("updated_at").map_err(q("read job"))?,
    })
}

pub(crate) async fn finish_job(pool: &Pool<Db>, id: i64, outcome: JobOutcome) -> Result<()> {
    let (status, result, error) = match outcome {
        JobOutcome::Done(v) => ("done", Some(v.to_string()), None),
        JobOutcome::Failed(e) => ("failed", None, Some(e)),
    };
    sqlx::query("UPDATE jobs SET status = $1, result = $2, error = $3, locked_by = NULL, updated_at = $4 WHERE id = $5")
        .bind(status)
        .bind(result)
        .bind(error)
        .bind(now())
        .bind(id)
        .execute(pool)
        .await
        .map_err(q("finish job"))?;
    Ok(())
}

pub(crate) async fn job(pool: &Pool<Db>, id: i64) -> Result<Option<Job>> {
    let row = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(q("read job"))?;
    row.as_ref().map(job_from_row).transpose()
}

pub(crate) async fn record_llm_usage(pool: &Pool<Db>, u: &LlmUsage) -> Result<()> {
    sqlx::query(
        "INSERT INTO llm_usage (at, model, purpose, prompt_tokens, completion_tokens, latency_ms) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now())
    .bind(&u.model)
    .bind(&u.purpose)
    .bind(u.prompt_tokens)
    .bind(u.completion_tokens)
    .bind(u.latency_ms)
    .execute(pool)
    .await
    .map_err(q("record AI usage"))?;
    Ok(())
}

pub(crate) async fn count_deals(pool: &Pool<Db>) -> Result<u64> {
    let row = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM deals")
        .fetch_one(pool)
        .await
        .map_err(q("count deals"))?;
    let n: i64 = row.try_get("n").map_err(q("count deals"))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub(crate) async fn llm_tokens_since(pool: &Pool<Db>, since: &str) -> Result<i64> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS BIGINT) AS n FROM llm_usage WHERE at >= $1",
    )
    .bind(since)
    .fetch_one(pool)
    .await
    .map_err(q("sum AI usage"))?;
    row.try_get("n").map_err(q("sum AI usage"))
}
