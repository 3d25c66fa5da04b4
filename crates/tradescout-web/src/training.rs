//! Retraining the judgement models on the team's corrections: one service for
//! `tradescout train --from-store` and the administrator's button on the settings page.
//!
//! Each corrected thread is one example: the corrected fields as corrected (the newest
//! correction of each), the others as the models in use judge them. The newest 30% of the
//! corrected threads (by their latest correction) are held out; the new models count as
//! better only when they judge those no worse than the models in use.

use std::collections::BTreeMap;
use std::path::Path;
use tradescout_analyze::model::train::{
    measure, train_models_held_out, CorpusLine, TaskReport, TrainOptionsSet,
};
use tradescout_analyze::model::{
    fingerprint, fingerprint_of, models, replace, shipped_bytes, Models,
};
use tradescout_core::Lang;
use tradescout_store::{Store, StoreError};

/// Share of the corrected threads, the newest, held out to judge the retrained models.
pub const HELD_OUT_SHARE: f64 = 0.3;
/// The model files, in the order `Models` holds them.
pub const MODEL_FILES: [&str; 3] = ["stage.bin", "spam.bin", "concerns.bin"];

/// The corrected threads as training lines, oldest correction first.
pub struct Corrected {
    lines: Vec<CorpusLine>,
}

impl Corrected {
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// What a retrain gave.
pub struct Retrain {
    pub corrected: usize,
    pub held_out: usize,
    /// The models in use, on the held-out threads.
    pub before: TaskReport,
    /// The retrained models, on the same threads.
    pub after: TaskReport,
    /// Whether the retrained models judge the held-out threads no worse (never with nothing
    /// held out).
    pub better: bool,
    pub models: Models,
}

/// The corrected threads as stored: each thread's raw messages, when it was last corrected
/// and the newest correction of each field.
pub struct CorrectedRaw {
    threads: Vec<RawThread>,
}

/// One corrected thread as stored.
struct RawThread {
    id: i64,
    /// When it was last corrected.
    at: String,
    /// The newest correction of each field.
    fields: BTreeMap<String, String>,
    messages: Vec<Vec<u8>>,
}

/// Reads every corrected thread's messages and corrections from the store (I/O only).
pub async fn corrected_raw(store: &dyn Store) -> Result<CorrectedRaw, StoreError> {
    let all = store.corrections(None).await?;
    // Newest correction of each field, and when each thread was last corrected.
    let mut by_thread: BTreeMap<i64, (String, BTreeMap<String, String>)> = BTreeMap::new();
    for c in all {
        let entry = by_thread.entry(c.thread_id).or_default();
        if c.at > entry.0 {
            entry.0.clone_from(&c.at);
        }
        entry.1.insert(c.field, c.value);
    }
    let mut threads = Vec::new();
    for (thread_id, (at, fields)) in by_thread {
        let Some(detail) = store.thread(thread_id).await? else {
            continue;
        };
        let mut raws = Vec::new();
        for m in &detail.messages {
            if let Some(raw) = store.message_raw(m.id).await? {
                raws.push(raw);
            }
        }
        threads.push(RawThread {
            id: thread_id,
            at,
            fields,
            messages: raws,
        });
    }
    Ok(CorrectedRaw { threads })
}

/// Turns the corrected threads into training lines: the corrected fields as corrected, the
/// rest as the models in use judge them (CPU-bound: parsing and analysis).
pub fn corrected_lines(raw: CorrectedRaw, seller_domains: &[String], lang: Lang) -> Corrected {
    let mut domains = seller_domains.to_vec();
    domains.push("seller.invalid".into());
    let mut examples: Vec<(String, CorpusLine)> = Vec::new();
    for RawThread {
        id: thread_id,
        at,
        fields,
        messages: raws,
    } in raw.threads
    {
        let parsed: Vec<tradescout_mail::Message> = raws
            .iter()
            .filter_map(|raw| {
                tradescout_mail::parse_message(raw, &tradescout_mail::ParseLimits::for_reading())
                    .ok()
            })
            .collect();
        let refs: Vec<&tradescout_mail::Message> = parsed.iter().collect();
        let input = tradescout_intake::thread_from_messages(&refs, &domains);
        let judged = tradescout_analyze::analyze(&input, lang);
        let stage = fields
            .get("stage")
            .and_then(|s| s.parse().ok())
            .or(Some(judged.stage.label));
        let concerns = match fields.get("concerns") {
            Some(list) => list.split(',').filter_map(|c| c.parse().ok()).collect(),
            None => judged.concerns.iter().map(|c| c.label).collect(),
        };
        let spam = match fields.get("spam").map(String::as_str) {
            Some("spam") => true,
            Some("not_spam") => false,
            _ => judged.spam.is_spam,
        };
        let text = input
            .messages
            .iter()
            .map(|m| {
                let who = if m.role == Some(tradescout_analyze::Role::Seller) {
                    "seller"
                } else {
                    "buyer"
                };
                format!("From: {who}\n{}", m.text)
            })
            .collect::<Vec<_>>()
            .join("\n");
        examples.push((
            at,
            CorpusLine {
                id: Some(format!("thread-{thread_id}")),
                source: format!("thread-{thread_id}"),
                text,
                language: judged.language.clone(),
                stage,
                concerns,
                spam,
                family: None,
            },
        ));
    }
    // Oldest corrections first; the newest are held out.
    examples.sort_by(|a, b| a.0.cmp(&b.0));
    Corrected {
        lines: examples.into_iter().map(|(_, l)| l).collect(),
    }
}

/// [`corrected_raw`] then [`corrected_lines`], for callers that may block (the CLI).
pub async fn corrected_threads(
    store: &dyn Store,
    seller_domains: &[String],
    lang: Lang,
) -> Result<Corrected, StoreError> {
    Ok(corrected_lines(
        corrected_raw(store).await?,
        seller_domains,
        lang,
    ))
}

/// The models in use (installed, replaced or shipped).
pub fn current_models() -> Result<Models, tradescout_analyze::model::ModelError> {
    match models() {
        Some(m) => Ok(Models::clone(&m)),
        None => {
            let [s, p, c] = shipped_bytes();
            Models::from_bytes(s, p, c)
        }
    }
}

/// Retrains `current` on the corrected threads, holding out the newest, and compares (CPU-bound:
/// call it off the async runtime).
pub fn retrain(corrected: &Corrected, current: &Models) -> Retrain {
    let n = corrected.lines.len();
    let n_held = if n >= 2 {
        ((n as f64 * HELD_OUT_SHARE).ceil() as usize).clamp(1, n - 1)
    } else {
        0
    };
    let held: Vec<bool> = (0..n).map(|i| i >= n - n_held).collect();
    let trained = train_models_held_out(
        &corrected.lines,
        &held,
        true,
        current,
        &[],
        &TrainOptionsSet::default(),
    );
    let held_lines: Vec<CorpusLine> = corrected
        .lines
        .iter()
        .zip(&held)
        .filter(|(_, &h)| h)
        .map(|(l, _)| l.clone())
        .collect();
    let before = measure(current, &held_lines);
    let after = trained.report.held_out;
    // With nothing held out nothing can be judged: the models in use stay.
    let better = n_held > 0 && score(&after) + 1e-9 >= score(&before);
    Retrain {
        corrected: n,
        held_out: n_held,
        before,
        after,
        better,
        models: trained.models,
    }
}

/// What "better" means when keeping a model: stage accuracy plus top-concern accuracy plus
/// the spam F1.
pub fn score(t: &TaskReport) -> f64 {
    let p = t.spam_precision.unwrap_or(1.0);
    let r = t.spam_recall.unwrap_or(1.0);
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    t.stage_accuracy.unwrap_or(0.0) + t.top_concern_accuracy.unwrap_or(0.0) + f1
}

/// The three model files in `dir`, when all are there, readable and made for this build.
pub fn load_models(dir: &Path) -> Option<Models> {
    let read = |name: &str| std::fs::read(dir.join(name)).ok();
    let (s, p, c) = (
        read(MODEL_FILES[0])?,
        read(MODEL_FILES[1])?,
        read(MODEL_FILES[2])?,
    );
    Models::from_bytes(&s, &p, &c)
        .ok()
        .filter(Models::fits_this_build)
}

/// What tells one save of the model files from the next: each file's modification time and,
/// where the system has one, its file number (every save renames new files into place, so
/// the number changes even when the clock's resolution does not show it).
pub type SavedStamp = Vec<(Option<std::time::SystemTime>, u64)>;

#[cfg(unix)]
fn file_id(m: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> u64 {
    0
}

/// Follows models saved by another process (a second server on the same data directory, or
/// `tradescout train`): when the files in `dir` changed since `seen` (modification times and
/// file numbers), they are read and, if they differ from the models in use, put in use.
/// Returns whether they were. A set this build cannot use is left alone until the files
/// change again.
pub fn follow_saved_models(dir: &Path, seen: &mut Option<SavedStamp>) -> bool {
    let stamp = saved_stamp(dir);
    if stamp.is_empty() || seen.as_ref() == Some(&stamp) {
        return false;
    }
    let saved = load_models(dir);
    // A save under way renames its three files one by one: read again at the next look.
    if saved_stamp(dir) != stamp {
        return false;
    }
    *seen = Some(stamp);
    // Not all three there, or made for another build: looked at again when they change.
    let Some(saved) = saved else {
        return false;
    };
    fingerprint_of(&saved) != fingerprint() && replace(saved)
}

fn saved_stamp(dir: &Path) -> SavedStamp {
    MODEL_FILES
        .iter()
        .filter_map(|n| std::fs::metadata(dir.join(n)).ok())
        .map(|m| (m.modified().ok(), file_id(&m)))
        .collect()
}

/// Writes the three model files into `dir` (created if missing); the error names the file.
/// Each file is written beside its final name and renamed over it only when all three are
/// written, so a failure (a full disk) never leaves a mixed or truncated set behind.
pub fn save_models(
    models: &Models,
    dir: &Path,
) -> Result<(), (std::path::PathBuf, std::io::Error)> {
    let bytes = [
        models.stage.to_bytes(),
        models.spam.to_bytes(),
        models.concerns.to_bytes(),
    ];
    std::fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
    let mut written = Vec::new();
    for (name, b) in MODEL_FILES.iter().zip(bytes) {
        let tmp = dir.join(format!("{name}.new"));
        let result = std::fs::File::create(&tmp).and_then(|mut f| {
            use std::io::Write;
            f.write_all(&b)?;
            f.sync_all()
        });
        if let Err(e) = result {
            for t in written.iter().chain(std::iter::once(&tmp)) {
                let _ = std::fs::remove_file(t);
            }
            return Err((tmp, e));
        }
        written.push(tmp);
    }
    for (tmp, name) in written.iter().zip(MODEL_FILES) {
        let path = dir.join(name);
        std::fs::rename(tmp, &path).map_err(|e| (path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_models_read_back_and_leave_no_temporary_files() {
        let dir = std::env::temp_dir().join(format!("ts-models-{}", std::process::id()));
        let Ok(models) = current_models() else {
            panic!("the shipped models load");
        };
        assert!(save_models(&models, &dir).is_ok());
        assert!(load_models(&dir).is_some());
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert!(names.iter().all(|n| !n.ends_with(".new")), "{names:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
