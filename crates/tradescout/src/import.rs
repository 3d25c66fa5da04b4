//! `tradescout import`: stream messages from files and folders into the store.
//!
//! One thread reads and parses (holding at most a few batches), the async side stores each
//! batch in one transaction. A killed import leaves only whole batches behind, and running it
//! again skips what is stored (content hash), so every message ends up stored exactly once.

use crate::failure::{mail_reason, Failure};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tradescout_core::{tr, Lang};
use tradescout_mail::source::{discover, RawMessages};
use tradescout_mail::{parse_message, ParseLimits};
use tradescout_store::{NewMessage, Store};

/// A message that could not be imported.
#[derive(Debug, Clone, Serialize)]
pub struct FailedItem {
    pub source: String,
    pub position: usize,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub new: u64,
    pub duplicate: u64,
    pub failed: Vec<FailedItem>,
}

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub batch: usize,
    pub limits: ParseLimits,
    pub progress: bool,
    /// The seller's name in WhatsApp chats (`--me`).
    pub me: Option<String>,
}

/// Bytes of raw mail held in one batch, so a folder of huge messages stays bounded.
const MAX_BATCH_BYTES: usize = 32 * 1024 * 1024;

enum Chunk {
    Batch(Vec<NewMessage>),
    Failed(FailedItem),
}

/// Imports every message under `paths` into `store`.
pub async fn import_paths(
    store: Arc<dyn Store>,
    paths: Vec<PathBuf>,
    options: ImportOptions,
    lang: Lang,
) -> Result<ImportReport, Failure> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk>(4);
    let limits = options.limits;
    let batch_size = options.batch.clamp(1, 10_000);
    let me = options.me.clone();
    let reader = std::thread::spawn(move || {
        read_and_parse(paths, limits, batch_size, me.as_deref(), lang, tx)
    });

    let bar = if options.progress {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {pos} ({per_sec}, {elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(tr(lang, "import.progress", &[]));
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };

    let mut report = ImportReport::default();
    while let Some(chunk) = rx.recv().await {
        match chunk {
            Chunk::Failed(item) => {
                bar.inc(1);
                report.failed.push(item);
            }
            Chunk::Batch(batch) => {
                bar.inc(batch.len() as u64);
                store_batch(store.as_ref(), batch, &mut report, lang).await?;
            }
        }
    }
    bar.finish_and_clear();
    // The reader ends when its input does; a panic there is a defect worth reporting.
    if reader.join().is_err() {
        return Err(Failure::runtime(
            "the mail reader stopped unexpectedly".into(),
        ));
    }
    Ok(report)
}

async fn store_batch(
    store: &dyn Store,
    batch: Vec<NewMessage>,
    report: &mut ImportReport,
    lang: Lang,
) -> Result<(), Failure> {
    match store.insert_messages(&batch).await {
        Ok(outcomes) => {
            count(report, &outcomes);
            Ok(())
        }
        Err(batch_err) => {
            // Find the message the database refused; store the others.
            let mut any_ok = false;
            for m in batch {
                match store.insert_messages(std::slice::from_ref(&m)).await {
                    Ok(outcomes) => {
                        any_ok = true;
                        count(report, &outcomes);
                    }
                    Err(e) => report.failed.push(FailedItem {
                        source: m.source.clone(),
                        position: m.position as usize,
                        reason: tr(lang, "error.store", &[("reason", &e)]),
                    }),
                }
            }
            if any_ok {
                Ok(())
            } else {
                Err(Failure::store(lang, &batch_err))
            }
        }
    }
}

fn count(report: &mut ImportReport, outcomes: &[tradescout_store::InsertOutcome]) {
    let (new, duplicate) = tally(outcomes);
    report.new += new;
    report.duplicate += duplicate;
}

/// (new, already stored) among the outcomes of a stored batch.
pub fn tally(outcomes: &[tradescout_store::InsertOutcome]) -> (u64, u64) {
    let new = outcomes.iter().filter(|o| o.is_new()).count() as u64;
    (new, outcomes.len() as u64 - new)
}

impl FailedItem {
    /// One line for stderr: the source, the message's position and the reason.
    pub fn describe(&self, lang: Lang) -> String {
        tr(
            lang,
            "import.failed_item",
            &[
                ("source", &self.source),
                ("position", &self.position),
                ("reason", &self.reason),
            ],
        )
    }
}

fn read_and_parse(
    paths: Vec<PathBuf>,
    limits: ParseLimits,
    batch_size: usize,
    me: Option<&str>,
    lang: Lang,
    tx: tokio::sync::mpsc::Sender<Chunk>,
) {
    // WhatsApp exports named on the command line are chats; everything else is mail.
    let (chats, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .into_iter()
        .partition(|p| p.is_file() && crate::chat_import::is_chat(p));
    for chat in &chats {
        let (messages, failed) = crate::chat_import::chat_messages(chat, me, &limits, lang);
        for item in failed {
            if tx.blocking_send(Chunk::Failed(item)).is_err() {
                return;
            }
        }
        for part in messages.chunks(batch_size.max(1)) {
            if tx.blocking_send(Chunk::Batch(part.to_vec())).is_err() {
                return;
            }
        }
    }
    if paths.is_empty() {
        return;
    }
    let (sources, errors) = discover(&paths);
    for (path, e) in errors {
        let item = FailedItem {
            source: path.display().to_string(),
            position: 0,
            reason: mail_reason(lang, &e),
        };
        if tx.blocking_send(Chunk::Failed(item)).is_err() {
            return;
        }
    }
    let mut batch: Vec<NewMessage> = Vec::with_capacity(batch_size);
    let mut batch_bytes = 0usize;
    for item in RawMessages::new(sources, limits.max_message_bytes) {
        let source = item.source.display().to_string();
        let parsed = item
            .raw
            .and_then(|raw| parse_message(&raw, &limits).map(|parsed| (raw, parsed)));
        match parsed {
            Ok((raw, parsed)) => {
                batch_bytes += raw.len();
                batch.push(NewMessage {
                    parsed,
                    raw,
                    source,
                    position: item.position as i64,
                });
                if batch.len() >= batch_size || batch_bytes >= MAX_BATCH_BYTES {
                    batch_bytes = 0;
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                    if tx.blocking_send(Chunk::Batch(full)).is_err() {
                        return;
                    }
                }
            }
            Err(e) => {
                let failed = FailedItem {
                    source,
                    position: item.position,
                    reason: mail_reason(lang, &e),
                };
                if tx.blocking_send(Chunk::Failed(failed)).is_err() {
                    return;
                }
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.blocking_send(Chunk::Batch(batch));
    }
}

/// Prints the report as text (stdout: the counts; stderr: each failure) or JSON.
pub fn print_report(report: &ImportReport, json: bool, lang: Lang) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(report).unwrap_or_default()
        );
        return;
    }
    for f in &report.failed {
        eprintln!("{}", f.describe(lang));
    }
    println!(
        "{}",
        tr(
            lang,
            "import.summary",
            &[
                ("new", &report.new),
                ("duplicate", &report.duplicate),
                ("failed", &report.failed.len())
            ]
        )
    );
}
