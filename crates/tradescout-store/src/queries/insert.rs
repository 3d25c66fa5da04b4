//! Storing a batch of messages in one transaction, each placed in a thread.
//!
//! Every step works on the whole batch with a handful of statements (look-ups with `IN (…)`,
//! multi-row inserts, one multi-row thread update), because a statement's round trip costs
//! far more than the row it writes. Placement is planned in memory first, then written.

use super::{q, Db};
use crate::model::*;
use crate::Result;
use sqlx::{Pool, Row, Transaction};
use std::collections::{BTreeSet, HashMap};
use tradescout_mail::subject::normalise_subject;

/// Most references followed when placing a message (a hostile header can list thousands).
const MAX_REFS: usize = 64;
/// Earlier messages with the same subject looked at for the subject fallback.
const SUBJECT_CANDIDATES: i64 = 20;
/// Keys per `IN (…)` list, well under both engines' parameter limits.
const IN_CHUNK: usize = 400;
/// Rows per multi-row INSERT or UPDATE.
const ROW_CHUNK: usize = 100;

type Tx = Transaction<'static, Db>;

/// A thread already stored, or the n-th thread this batch creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ThreadRef {
    Stored(i64),
    New(usize),
}

/// A message of this batch that will be stored.
struct Planned<'a> {
    m: &'a NewMessage,
    normalized: String,
    participants: String,
    sent_at: Option<String>,
    thread: ThreadRef,
    refs: Vec<&'a String>,
}

/// What happens to each input message.
enum Plan {
    Stored { message: i64, thread: i64 },
    Insert(usize),
    SameAs(usize),
}

/// A message the subject fallback may join.
struct Candidate {
    sender: Option<String>,
    participants: String,
    thread: ThreadRef,
}

struct NewThread<'a> {
    subject: &'a str,
    normalized: String,
    origin_hash: &'a str,
}

pub(crate) async fn insert_messages(
    pool: &Pool<Db>,
    batch: &[NewMessage],
) -> Result<Vec<InsertOutcome>> {
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin import batch"))?;
    let known = Known::fetch(&mut tx, batch).await?;
    let (plans, rows, new_threads) = plan(batch, known);

    let new_ids = create_threads(&mut tx, &new_threads).await?;
    let resolve = |t: ThreadRef| match t {
        ThreadRef::Stored(id) => id,
        ThreadRef::New(n) => new_ids[n],
    };
    let now = now();
    let message_ids = insert_rows(&mut tx, &rows, &resolve, &now).await?;
    update_threads(&mut tx, &rows, &resolve).await?;
    tx.commit().await.map_err(q("commit import batch"))?;

    Ok(plans
        .into_iter()
        .map(|p| match p {
            Plan::Stored { message, thread } => InsertOutcome::Duplicate { message, thread },
            Plan::Insert(i) => InsertOutcome::New {
                message: message_ids[i],
                thread: resolve(rows[i].thread),
            },
            Plan::SameAs(i) => InsertOutcome::Duplicate {
                message: message_ids[i],
                thread: resolve(rows[i].thread),
            },
        })
        .collect())
}

/// What the database already holds that this batch needs to know.
struct Known {
    by_hash: HashMap<String, (i64, i64)>,
    thread_of_id: HashMap<String, i64>,
    thread_of_ref: HashMap<String, i64>,
    by_subject: HashMap<String, Vec<Candidate>>,
}

impl Known {
    async fn fetch(tx: &mut Tx, batch: &[NewMessage]) -> Result<Known> {
        let hashes: Vec<&str> = batch
            .iter()
            .map(|m| m.parsed.content_hash.as_str())
            .collect();
        let by_hash = pairs(
            tx,
            "SELECT content_hash AS k, id AS a, thread_id AS b FROM messages WHERE content_hash IN",
            &hashes,
        )
        .await?;
        let mut ids: Vec<&str> = Vec::new();
        for m in batch {
            ids.extend(references(m).into_iter().map(String::as_str));
            ids.extend(m.parsed.message_id.as_deref());
        }
        let thread_of_id = pairs(
            tx,
            "SELECT message_id AS k, id AS a, thread_id AS b FROM messages WHERE message_id IN",
            &ids,
        )
        .await?;
        let own: Vec<&str> = batch
            .iter()
            .filter_map(|m| m.parsed.message_id.as_deref())
            .collect();
        let thread_of_ref = pairs(
            tx,
            "SELECT r.ref_id AS k, m.id AS a, m.thread_id AS b FROM message_refs r JOIN messages m ON m.id = r.message_pk WHERE r.ref_id IN",
            &own,
        )
        .await?;
        let subjects: Vec<String> = batch
            .iter()
            .map(|m| normalise_subject(&m.parsed.subject))
            .filter(|s| s.chars().count() >= 3)
            .collect();
        let by_subject = subject_candidates(tx, &subjects).await?;
        Ok(Known {
            by_hash,
            thread_of_id: thread_of_id.into_iter().map(|(k, (_, t))| (k, t)).collect(),
            thread_of_ref: thread_of_ref
                .into_iter()
                .map(|(k, (_, t))| (k, t))
                .collect(),
            by_subject,
        })
    }
}

/// Places every message in memory: duplicate, or stored in an existing or a new thread.
fn plan(batch: &[NewMessage], known: Known) -> (Vec<Plan>, Vec<Planned<'_>>, Vec<NewThread<'_>>) {
    let Known {
        by_hash,
        thread_of_id,
        thread_of_ref,
        mut by_subject,
    } = known;
    let mut thread_of_id: HashMap<String, ThreadRef> = thread_of_id
        .into_iter()
        .map(|(k, t)| (k, ThreadRef::Stored(t)))
        .collect();
    let mut thread_of_ref: HashMap<String, ThreadRef> = thread_of_ref
        .into_iter()
        .map(|(k, t)| (k, ThreadRef::Stored(t)))
        .collect();
    let mut in_batch: HashMap<&str, usize> = HashMap::new();
    let mut plans = Vec::with_capacity(batch.len());
    let mut rows: Vec<Planned<'_>> = Vec::with_capacity(batch.len());
    let mut new_threads: Vec<NewThread<'_>> = Vec::new();

    for m in batch {
        let p = &m.parsed;
        if let Some(&(message, thread)) = by_hash.get(&p.content_hash) {
            plans.push(Plan::Stored { message, thread });
            continue;
        }
        if let Some(&i) = in_batch.get(p.content_hash.as_str()) {
            plans.push(Plan::SameAs(i));
            continue;
        }
        let normalized = normalise_subject(&p.subject);
        let participants = participant_key(p);
        let sender = p.from.as_ref().and_then(|f| f.email.clone());
        let refs = references(m);
        let thread = refs
            .iter()
            .copied()
            .chain(p.message_id.iter())
            .find_map(|id| thread_of_id.get(id).copied())
            .or_else(|| {
                p.message_id
                    .as_ref()
                    .and_then(|id| thread_of_ref.get(id).copied())
            })
            .or_else(|| same_subject(&by_subject, &normalized, sender.as_deref(), &participants))
            .unwrap_or_else(|| {
                new_threads.push(NewThread {
                    subject: &p.subject,
                    normalized: normalized.clone(),
                    origin_hash: &p.content_hash,
                });
                ThreadRef::New(new_threads.len() - 1)
            });
        for r in &refs {
            thread_of_ref.entry((*r).clone()).or_insert(thread);
        }
        if let Some(id) = &p.message_id {
            thread_of_id.entry(id.clone()).or_insert(thread);
        }
        if normalized.chars().count() >= 3 {
            // Newest first, like the stored candidates.
            by_subject.entry(normalized.clone()).or_default().insert(
                0,
                Candidate {
                    sender: sender.clone(),
                    participants: participants.clone(),
                    thread,
                },
            );
        }
        in_batch.insert(&p.content_hash, rows.len());
        plans.push(Plan::Insert(rows.len()));
        rows.push(Planned {
            m,
            normalized,
            participants,
            sent_at: p.date.map(|d| {
                d.with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            }),
            thread,
            refs,
        });
    }
    (plans, rows, new_threads)
}

/// In-Reply-To first, then References newest first, de-duplicated and capped.
fn references(m: &NewMessage) -> Vec<&String> {
    let p = &m.parsed;
    let mut out: Vec<&String> = Vec::new();
    for r in p.in_reply_to.iter().chain(p.references.iter().rev()) {
        if out.len() >= MAX_REFS {
            break;
        }
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
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

/// The subject rule of `tradescout_mail::thread`: each sender is among the other's participants.
fn same_subject(
    by_subject: &HashMap<String, Vec<Candidate>>,
    normalized: &str,
    sender: Option<&str>,
    mine: &str,
) -> Option<ThreadRef> {
    let sender = sender?;
    by_subject.get(normalized)?.iter().find_map(|c| {
        let theirs = c.sender.as_deref()?;
        (c.participants.contains(&format!(" {sender} ")) && mine.contains(&format!(" {theirs} ")))
            .then_some(c.thread)
    })
}

fn placeholders(rows: usize, per_row: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=per_row)
                .map(|c| format!("${}", r * per_row + c))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `key → (a, b)` for every row of `sql ($1, $2, …)` over `keys`, queried in chunks.
async fn pairs(tx: &mut Tx, sql: &str, keys: &[&str]) -> Result<HashMap<String, (i64, i64)>> {
    let mut unique: Vec<&str> = keys.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut out = HashMap::new();
    for chunk in unique.chunks(IN_CHUNK) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let statement = format!("{sql} ({})", list.join(", "));
        let mut query = sqlx::query(&statement);
        for k in chunk {
            query = query.bind(*k);
        }
        for row in query
            .fetch_all(&mut **tx)
            .await
            .map_err(q("look up stored messages"))?
        {
            let k: String = row.try_get("k").map_err(q("read key"))?;
            let a: i64 = row.try_get("a").map_err(q("read id"))?;
            let b: i64 = row.try_get("b").map_err(q("read thread id"))?;
            out.entry(k).or_insert((a, b));
        }
    }
    Ok(out)
}

/// The newest stored messages of each subject, for the subject fallback.
async fn subject_candidates(
    tx: &mut Tx,
    subjects: &[String],
) -> Result<HashMap<String, Vec<Candidate>>> {
    let mut unique: Vec<&str> = subjects.iter().map(String::as_str).collect();
    unique.sort_unstable();
    unique.dedup();
    let mut out: HashMap<String, Vec<Candidate>> = HashMap::new();
    for chunk in unique.chunks(IN_CHUNK) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let statement = format!(
            "SELECT normalized_subject, thread_id, from_email, participants FROM (\
               SELECT normalized_subject, thread_id, from_email, participants, \
                      ROW_NUMBER() OVER (PARTITION BY normalized_subject ORDER BY id DESC) AS rn \
               FROM messages WHERE normalized_subject IN ({})) ranked \
             WHERE rn <= {SUBJECT_CANDIDATES} ORDER BY normalized_subject, rn",
            list.join(", ")
        );
        let mut query = sqlx::query(&statement);
        for s in chunk {
            query = query.bind(*s);
        }
        for row in query
            .fetch_all(&mut **tx)
            .await
            .map_err(q("find threads by subject"))?
        {
            let subject: String = row
                .try_get("normalized_subject")
                .map_err(q("read subject"))?;
            out.entry(subject).or_default().push(Candidate {
                sender: row.try_get("from_email").map_err(q("read sender"))?,
                participants: row
                    .try_get("participants")
                    .map_err(q("read participants"))?,
                thread: ThreadRef::Stored(row.try_get("thread_id").map_err(q("read thread id"))?),
            });
        }
    }
    Ok(out)
}

/// Creates the batch's new threads; their ids, in order.
async fn create_threads(tx: &mut Tx, threads: &[NewThread<'_>]) -> Result<Vec<i64>> {
    for chunk in threads.chunks(ROW_CHUNK) {
        let statement = format!(
            "INSERT INTO threads (subject, normalized_subject, origin_hash, created_at) VALUES {}",
            placeholders(chunk.len(), 4)
        );
        let now = now();
        let mut query = sqlx::query(&statement);
        for t in chunk {
            query = query
                .bind(t.subject)
                .bind(&t.normalized)
                .bind(t.origin_hash)
                .bind(now.clone());
        }
        query
            .execute(&mut **tx)
            .await
            .map_err(q("create threads"))?;
    }
    let hashes: Vec<&str> = threads.iter().map(|t| t.origin_hash).collect();
    // Only this transaction's new threads have no messages yet.
    let ids = pairs(tx, "SELECT origin_hash AS k, id AS a, id AS b FROM threads WHERE message_count = 0 AND origin_hash IN", &hashes).await?;
    threads
        .iter()
        .map(|t| {
            ids.get(t.origin_hash)
                .map(|(id, _)| *id)
                .ok_or(crate::StoreError::Corrupt {
                    what: "threads",
                    reason: format!(
                        "the thread created for message {} was not found",
                        t.origin_hash
                    ),
                })
        })
        .collect()
}

/// Inserts messages, raw bytes and references; the new message ids, in row order.
async fn insert_rows(
    tx: &mut Tx,
    rows: &[Planned<'_>],
    resolve: &impl Fn(ThreadRef) -> i64,
    now: &str,
) -> Result<Vec<i64>> {
    for chunk in rows.chunks(ROW_CHUNK) {
        let statement = format!(
            "INSERT INTO messages (thread_id, content_hash, message_id, in_reply_to, subject, normalized_subject, \
             from_name, from_email, participants, to_json, cc_json, sent_at, body_text, from_html, attachments_json, \
             size, source, source_position, imported_at) VALUES {}",
            placeholders(chunk.len(), 19)
        );
        let mut query = sqlx::query(&statement);
        for r in chunk {
            let p = &r.m.parsed;
            let from = p.from.clone().unwrap_or_default();
            query = query
                .bind(resolve(r.thread))
                .bind(&p.content_hash)
                .bind(&p.message_id)
                .bind(p.in_reply_to.first())
                .bind(&p.subject)
                .bind(&r.normalized)
                .bind(from.name)
                .bind(from.email)
                .bind(&r.participants)
                .bind(serde_json::to_string(&p.to).unwrap_or_else(|_| "[]".into()))
                .bind(serde_json::to_string(&p.cc).unwrap_or_else(|_| "[]".into()))
                .bind(&r.sent_at)
                .bind(&p.text)
                .bind(i64::from(p.from_html))
                .bind(serde_json::to_string(&p.attachments).unwrap_or_else(|_| "[]".into()))
                .bind(r.m.raw.len() as i64)
                .bind(&r.m.source)
                .bind(r.m.position)
                .bind(now);
        }
        query
            .execute(&mut **tx)
            .await
            .map_err(q("store messages"))?;
    }
    let hashes: Vec<&str> = rows
        .iter()
        .map(|r| r.m.parsed.content_hash.as_str())
        .collect();
    let ids = pairs(
        tx,
        "SELECT content_hash AS k, id AS a, thread_id AS b FROM messages WHERE content_hash IN",
        &hashes,
    )
    .await?;
    let message_ids: Vec<i64> = rows
        .iter()
        .map(|r| {
            ids.get(&r.m.parsed.content_hash)
                .map(|(id, _)| *id)
                .ok_or(crate::StoreError::Corrupt {
                    what: "messages",
                    reason: format!(
                        "message {} was not found after storing it",
                        r.m.parsed.content_hash
                    ),
                })
        })
        .collect::<Result<_>>()?;

    let raws: Vec<(i64, &[u8])> = rows
        .iter()
        .zip(&message_ids)
        .map(|(r, id)| (*id, r.m.raw.as_slice()))
        .collect();
    for chunk in raws.chunks(ROW_CHUNK) {
        let statement = format!(
            "INSERT INTO message_raw (message_pk, raw) VALUES {}",
            placeholders(chunk.len(), 2)
        );
        let mut query = sqlx::query(&statement);
        for (id, raw) in chunk {
            query = query.bind(*id).bind(*raw);
        }
        query
            .execute(&mut **tx)
            .await
            .map_err(q("store raw messages"))?;
    }
    let refs: Vec<(i64, &str)> = rows
        .iter()
        .zip(&message_ids)
        .flat_map(|(r, id)| r.refs.iter().map(move |x| (*id, x.as_str())))
        .collect();
    for chunk in refs.chunks(IN_CHUNK) {
        let statement = format!(
            "INSERT INTO message_refs (message_pk, ref_id) VALUES {}",
            placeholders(chunk.len(), 2)
        );
        let mut query = sqlx::query(&statement);
        for (id, r) in chunk {
            query = query.bind(*id).bind(*r);
        }
        query
            .execute(&mut **tx)
            .await
            .map_err(q("store message references"))?;
    }
    Ok(message_ids)
}

/// `(id, participants, first_at, last_at, added messages)` for one thread.
type ThreadUpdate = (i64, String, Option<String>, Option<String>, i64);

/// What a batch changes on one thread.
#[derive(Default)]
struct ThreadDelta {
    count: i64,
    first: Option<String>,
    last: Option<String>,
    participants: BTreeSet<String>,
}

/// Adds the batch's messages to their threads' counters, dates and participants.
async fn update_threads(
    tx: &mut Tx,
    rows: &[Planned<'_>],
    resolve: &impl Fn(ThreadRef) -> i64,
) -> Result<()> {
    let mut deltas: HashMap<i64, ThreadDelta> = HashMap::new();
    for r in rows {
        let d = deltas.entry(resolve(r.thread)).or_default();
        d.count += 1;
        d.participants
            .extend(r.participants.split_whitespace().map(str::to_string));
        if let Some(s) = &r.sent_at {
            if d.first.as_ref().is_none_or(|f| s < f) {
                d.first = Some(s.clone());
            }
            if d.last.as_ref().is_none_or(|l| s > l) {
                d.last = Some(s.clone());
            }
        }
    }
    let ids: Vec<i64> = deltas.keys().copied().collect();
    let mut updates: Vec<ThreadUpdate> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let statement = format!(
            "SELECT id, participants, first_at, last_at FROM threads WHERE id IN ({})",
            list.join(", ")
        );
        let mut query = sqlx::query(&statement);
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query
            .fetch_all(&mut **tx)
            .await
            .map_err(q("read threads"))?
        {
            let id: i64 = row.try_get("id").map_err(q("read thread"))?;
            let Some(delta) = deltas.remove(&id) else {
                continue;
            };
            let known: String = row
                .try_get("participants")
                .map_err(q("read participants"))?;
            let mut all: BTreeSet<String> = known.split_whitespace().map(str::to_string).collect();
            all.extend(delta.participants);
            let participants = if all.is_empty() {
                String::new()
            } else {
                format!(" {} ", all.into_iter().collect::<Vec<_>>().join(" "))
            };
            let first: Option<String> = row.try_get("first_at").map_err(q("read first_at"))?;
            let last: Option<String> = row.try_get("last_at").map_err(q("read last_at"))?;
            let first = [first, delta.first].into_iter().flatten().min();
            let last = [last, delta.last].into_iter().flatten().max();
            updates.push((id, participants, first, last, delta.count));
        }
    }
    for chunk in updates.chunks(ROW_CHUNK) {
        let statement = format!(
            "UPDATE threads SET participants = v.column2, first_at = v.column3, last_at = v.column4, \
             message_count = threads.message_count + v.column5 FROM (VALUES {}) AS v WHERE threads.id = v.column1",
            placeholders(chunk.len(), 5)
        );
        let mut query = sqlx::query(&statement);
        for (id, participants, first, last, count) in chunk {
            query = query
                .bind(*id)
                .bind(participants)
                .bind(first)
                .bind(last)
                .bind(*count);
        }
        query
            .execute(&mut **tx)
            .await
            .map_err(q("update threads"))?;
    }
    Ok(())
}
