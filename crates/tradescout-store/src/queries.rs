// The SQL both backends share. This file is compiled twice, as `sqlite::queries` and
// `postgres::queries`, against the `Db` type of the including module, so each copy is
// type-checked for its engine. Placeholders are `$N`, which both engines accept.

use super::Db;
use crate::model::*;
use crate::{Result, StoreError};
use sqlx::{Pool, Row, Transaction};
use tradescout_mail::subject::normalise_subject;
use tradescout_mail::{Address, Attachment};

fn q(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { what, source }
}

/// Most references followed when placing a message (a hostile header can list thousands).
const MAX_REFS: usize = 64;
/// Earlier messages with the same subject looked at for the subject fallback.
const SUBJECT_CANDIDATES: i64 = 20;

pub(crate) async fn insert_messages(
    pool: &Pool<Db>,
    batch: &[NewMessage],
) -> Result<Vec<InsertOutcome>> {
    let mut tx = pool.begin().await.map_err(q("begin import batch"))?;
    let mut out = Vec::with_capacity(batch.len());
    for m in batch {
        out.push(insert_one(&mut tx, m).await?);
    }
    tx.commit().await.map_err(q("commit import batch"))?;
    Ok(out)
}

async fn insert_one(tx: &mut Transaction<'static, Db>, m: &NewMessage) -> Result<InsertOutcome> {
    let p = &m.parsed;
    if let Some(row) = sqlx::query("SELECT id, thread_id FROM messages WHERE content_hash = $1")
        .bind(&p.content_hash)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("look up content hash"))?
    {
        return Ok(InsertOutcome::Duplicate {
            message: row.try_get("id").map_err(q("read message id"))?,
            thread: row.try_get("thread_id").map_err(q("read thread id"))?,
        });
    }
    let normalized = normalise_subject(&p.subject);
    let participants = participant_key(p);
    let sent_at = p.date.map(|d| {
        d.with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    });
    let now = now();

    let thread = match find_thread(tx, m, &normalized).await? {
        Some(t) => t,
        None => sqlx::query(
            "INSERT INTO threads (subject, normalized_subject, participants, message_count, first_at, last_at, created_at) \
             VALUES ($1, $2, '', 0, $3, $3, $4) RETURNING id",
        )
        .bind(&p.subject)
        .bind(&normalized)
        .bind(&sent_at)
        .bind(&now)
        .fetch_one(&mut **tx)
        .await
        .map_err(q("create thread"))?
        .try_get("id")
        .map_err(q("read thread id"))?,
    };

    let to_json = serde_json::to_string(&p.to).unwrap_or_else(|_| "[]".into());
    let cc_json = serde_json::to_string(&p.cc).unwrap_or_else(|_| "[]".into());
    let attachments_json = serde_json::to_string(&p.attachments).unwrap_or_else(|_| "[]".into());
    let from = p.from.clone().unwrap_or_default();
    let message: i64 = sqlx::query(
        "INSERT INTO messages (thread_id, content_hash, message_id, in_reply_to, subject, normalized_subject, \
         from_name, from_email, participants, to_json, cc_json, sent_at, body_text, from_html, attachments_json, \
         size, raw, source, source_position, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
    )
    .bind(thread)
    .bind(&p.content_hash)
    .bind(&p.message_id)
    .bind(p.in_reply_to.first())
    .bind(&p.subject)
    .bind(&normalized)
    .bind(&from.name)
    .bind(&from.email)
    .bind(&participants)
    .bind(&to_json)
    .bind(&cc_json)
    .bind(&sent_at)
    .bind(&p.text)
    .bind(i64::from(p.from_html))
    .bind(&attachments_json)
    .bind(m.raw.len() as i64)
    .bind(&m.raw)
    .bind(&m.source)
    .bind(m.position)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await
    .map_err(q("store message"))?
    .try_get("id")
    .map_err(q("read message id"))?;

    let mut refs: Vec<&String> = p.in_reply_to.iter().chain(p.references.iter()).collect();
    refs.sort();
    refs.dedup();
    for r in refs.into_iter().take(MAX_REFS) {
        sqlx::query("INSERT INTO message_refs (message_pk, ref_id) VALUES ($1, $2)")
            .bind(message)
            .bind(r)
            .execute(&mut **tx)
            .await
            .map_err(q("store message references"))?;
    }
    update_thread(tx, thread, &participants, sent_at.as_deref()).await?;
    Ok(InsertOutcome::New { message, thread })
}

/// ` a@x b@y ` — every address on the message, sorted, space-delimited on both ends so a
/// substring test for ` addr ` is exact.
fn participant_key(p: &tradescout_mail::Message) -> String {
    let list = tradescout_mail::thread::participants(p);
    if list.is_empty() {
        String::new()
    } else {
        format!(" {} ", list.join(" "))
    }
}

async fn find_thread(
    tx: &mut Transaction<'static, Db>,
    m: &NewMessage,
    normalized: &str,
) -> Result<Option<i64>> {
    let p = &m.parsed;
    // 1. A parent we already have (In-Reply-To first, then References newest first).
    let parents = p
        .in_reply_to
        .iter()
        .chain(p.references.iter().rev())
        .take(MAX_REFS);
    for id in parents.chain(p.message_id.iter()) {
        if let Some(row) =
            sqlx::query("SELECT thread_id FROM messages WHERE message_id = $1 LIMIT 1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await
                .map_err(q("find parent message"))?
        {
            return Ok(Some(row.try_get("thread_id").map_err(q("read thread id"))?));
        }
    }
    // 2. A reply that arrived before this, its parent.
    if let Some(id) = &p.message_id {
        if let Some(row) = sqlx::query(
            "SELECT m.thread_id FROM message_refs r JOIN messages m ON m.id = r.message_pk WHERE r.ref_id = $1 LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("find earlier reply"))?
        {
            return Ok(Some(row.try_get("thread_id").map_err(q("read thread id"))?));
        }
    }
    // 3. Same subject between the same people (platform and web-form mail has no references).
    if normalized.chars().count() < 3 {
        return Ok(None);
    }
    let Some(sender) = p.from.as_ref().and_then(|f| f.email.as_deref()) else {
        return Ok(None);
    };
    let mine = participant_key(p);
    let rows = sqlx::query(
        "SELECT thread_id, from_email, participants FROM messages WHERE normalized_subject = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(normalized)
    .bind(SUBJECT_CANDIDATES)
    .fetch_all(&mut **tx)
    .await
    .map_err(q("find thread by subject"))?;
    for row in rows {
        let their_sender: Option<String> = row.try_get("from_email").map_err(q("read sender"))?;
        let theirs: String = row
            .try_get("participants")
            .map_err(q("read participants"))?;
        let Some(their_sender) = their_sender else {
            continue;
        };
        if theirs.contains(&format!(" {sender} ")) && mine.contains(&format!(" {their_sender} ")) {
            return Ok(Some(row.try_get("thread_id").map_err(q("read thread id"))?));
        }
    }
    Ok(None)
}

async fn update_thread(
    tx: &mut Transaction<'static, Db>,
    thread: i64,
    participants: &str,
    sent_at: Option<&str>,
) -> Result<()> {
    let row = sqlx::query("SELECT participants, first_at, last_at FROM threads WHERE id = $1")
        .bind(thread)
        .fetch_one(&mut **tx)
        .await
        .map_err(q("read thread"))?;
    let mut known: String = row
        .try_get("participants")
        .map_err(q("read participants"))?;
    for addr in participants.split_whitespace() {
        if !known.contains(&format!(" {addr} ")) {
            if known.is_empty() {
                known.push(' ');
            }
            known.push_str(addr);
            known.push(' ');
        }
    }
    let first: Option<String> = row.try_get("first_at").map_err(q("read first_at"))?;
    let last: Option<String> = row.try_get("last_at").map_err(q("read last_at"))?;
    let first = match (first, sent_at) {
        (Some(f), Some(s)) => Some(if s < f.as_str() { s.to_string() } else { f }),
        (f, s) => f.or(s.map(str::to_string)),
    };
    let last = match (last, sent_at) {
        (Some(l), Some(s)) => Some(if s > l.as_str() { s.to_string() } else { l }),
        (l, s) => l.or(s.map(str::to_string)),
    };
    sqlx::query("UPDATE threads SET participants = $1, first_at = $2, last_at = $3, message_count = message_count + 1 WHERE id = $4")
        .bind(&known)
        .bind(&first)
        .bind(&last)
        .bind(thread)
        .execute(&mut **tx)
        .await
        .map_err(q("update thread"))?;
    Ok(())
}

pub(crate) async fn count_messages(pool: &Pool<Db>) -> Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM messages")
        .fetch_one(pool)
        .await
        .map_err(q("count messages"))?
        .try_get("n")
        .map_err(q("count messages"))
}

const THREAD_COLUMNS: &str =
    "id, subject, message_count, participants, first_at, last_at, owner_user_id";

fn thread_summary(row: &<Db as sqlx::Database>::Row) -> Result<ThreadSummary> {
    let participants: String = row.try_get("participants").map_err(q("read thread"))?;
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
    })
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
    let rows = match filter.owner_user_id {
        Some(owner) => sqlx::query(&format!(
            "SELECT {THREAD_COLUMNS} FROM threads WHERE owner_user_id = $1 ORDER BY last_at DESC, id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(owner)
        .bind(limit)
        .bind(filter.offset.max(0))
        .fetch_all(pool)
        .await,
        None => sqlx::query(&format!(
            "SELECT {THREAD_COLUMNS} FROM threads ORDER BY last_at DESC, id DESC LIMIT $1 OFFSET $2"
        ))
        .bind(limit)
        .bind(filter.offset.max(0))
        .fetch_all(pool)
        .await,
    }
    .map_err(q("list threads"))?;
    rows.iter().map(thread_summary).collect()
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
    let row = sqlx::query("SELECT raw FROM messages WHERE id = $1")
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
