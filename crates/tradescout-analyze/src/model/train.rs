//! Training the models from labelled corpus lines and measuring the full judgements honestly.
//!
//! Lines are grouped by their `source` (a page, a book, a site, or one of our own writing
//! batches); a fifth of the sources — chosen by a hash of the source, never line by line — is
//! held out, so no source is on both sides. The held-out part calibrates the confidence
//! (temperature) and gives the report; the shipped weights are then trained on every line.
//! External sets (real mail read from outside the repo) are measured, never trained on.

use super::linear::{Example, Linear, Output, Target, TrainOptions};
use super::thread_features::{thread_features, BITS, LAYOUT, N_DENSE};
use super::{text_hash, Models};
use crate::cues::ScannedThread;
use crate::input::{InputMessage, Role, ThreadInput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tradescout_core::{Concern, Lang, Stage};

/// One labelled line of a corpus file, in the shared format
/// `{"id","source","text","language","stage","concerns","spam","family"}` (the older
/// `lang` / `origin` / `kind` keys are read too).
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusLine {
    pub id: Option<String>,
    /// What the split groups by.
    pub source: String,
    pub text: String,
    pub language: Option<String>,
    pub stage: Option<Stage>,
    pub concerns: Vec<Concern>,
    pub spam: bool,
    pub family: Option<String>,
}

#[derive(Deserialize)]
struct RawLine {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    source: Option<String>,
    text: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    concerns: Vec<String>,
    #[serde(default)]
    spam: bool,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    batch: Option<u32>,
}

/// A corpus line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} line {line}: {reason}")]
pub struct CorpusError {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// A label correction keyed by corpus id (`corpus/corrections.jsonl`).
#[derive(Debug, Clone, Deserialize)]
pub struct Correction {
    pub id: String,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub concerns: Option<Vec<String>>,
    #[serde(default)]
    pub spam: Option<bool>,
    pub reason: String,
}

/// Reads JSON lines; `file` names the input in errors. Blank lines are skipped.
pub fn parse_corpus(file: &str, jsonl: &str) -> Result<Vec<CorpusLine>, CorpusError> {
    let mut out = Vec::new();
    for (i, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |reason: String| CorpusError {
            file: file.to_string(),
            line: i + 1,
            reason,
        };
        let raw: RawLine = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        let stage = match raw.stage.as_deref() {
            None | Some("") => None,
            Some(s) => Some(s.parse::<Stage>().map_err(|e| err(e.to_string()))?),
        };
        let concerns = raw
            .concerns
            .iter()
            .map(|c| c.parse::<Concern>().map_err(|e| err(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        if raw.text.trim().is_empty() {
            return Err(err("empty text".into()));
        }
        let source = raw.source.unwrap_or_else(|| {
            let origin = raw.origin.as_deref().unwrap_or("user");
            match (origin, raw.batch, raw.kind.as_deref()) {
                ("hand", Some(b), _) => format!("hand/batch{b}"),
                ("generated", _, Some(k)) => format!("generated/{k}"),
                (o, _, _) => format!("{file}/{o}"),
            }
        });
        out.push(CorpusLine {
            id: raw.id,
            source,
            text: raw.text,
            language: raw.language.or(raw.lang),
            stage,
            concerns,
            spam: raw.spam,
            family: raw.family,
        });
    }
    Ok(out)
}

/// Applies label corrections by id; returns how many lines changed.
pub fn apply_corrections(lines: &mut [CorpusLine], corrections: &[Correction]) -> usize {
    let mut changed = 0;
    for c in corrections {
        for l in lines.iter_mut().filter(|l| l.id.as_deref() == Some(&c.id)) {
            if let Some(s) = c.stage.as_deref().and_then(|s| s.parse::<Stage>().ok()) {
                l.stage = Some(s);
            }
            if let Some(cs) = &c.concerns {
                l.concerns = cs.iter().filter_map(|x| x.parse().ok()).collect();
            }
            if let Some(s) = c.spam {
                l.spam = s;
            }
            changed += 1;
        }
    }
    changed
}

/// Reads corrections (JSON lines).
pub fn parse_corrections(file: &str, jsonl: &str) -> Result<Vec<Correction>, CorpusError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| CorpusError {
                file: file.to_string(),
                line: i + 1,
                reason: e.to_string(),
            })
        })
        .collect()
}

/// A corpus text as a thread: blocks that start with a line `From: buyer` or `From: seller`
/// are turns, oldest first; a text without such lines is one buyer message.
pub fn thread_of(text: &str) -> ThreadInput {
    let mut messages: Vec<InputMessage> = Vec::new();
    let mut current: Option<(Role, String)> = None;
    for line in text.lines() {
        let t = line.trim();
        let role = match t.to_ascii_lowercase().as_str() {
            "from: buyer" => Some(Role::Buyer),
            "from: seller" => Some(Role::Seller),
            _ => None,
        };
        match role {
            Some(r) => {
                if let Some((role, body)) = current.take() {
                    push_turn(&mut messages, role, body);
                }
                current = Some((r, String::new()));
            }
            None => {
                let (_, body) = current.get_or_insert_with(|| (Role::Buyer, String::new()));
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    if let Some((role, body)) = current {
        push_turn(&mut messages, role, body);
    }
    ThreadInput { messages }
}

fn push_turn(messages: &mut Vec<InputMessage>, role: Role, body: String) {
    let text = body.trim().to_string();
    if text.is_empty() {
        return;
    }
    messages.push(InputMessage {
        role: Some(role),
        text,
        ..Default::default()
    });
}

/// Training settings for the three models.
#[derive(Debug, Clone, Copy, Default)]
pub struct TrainOptionsSet {
    pub stage: TrainOptions,
    pub spam: TrainOptions,
    pub concerns: TrainOptions,
}

/// A line read once: its features and labels.
struct Prepared {
    features: Vec<(u32, f32)>,
    stage: Option<usize>,
    concerns: Vec<bool>,
    spam: bool,
    /// Lines generated from templates count less than written ones.
    weight: f32,
}

fn prepare(line: &CorpusLine) -> Prepared {
    let thread = thread_of(&line.text);
    let scanned = ScannedThread::new(&thread);
    Prepared {
        features: thread_features(&scanned),
        stage: line.stage.map(Stage::index),
        concerns: Concern::ALL
            .iter()
            .map(|c| line.concerns.contains(c))
            .collect(),
        spam: line.spam,
        weight: if line.source.starts_with("generated") {
            0.25
        } else {
            1.0
        },
    }
}

fn stage_labels() -> Vec<String> {
    Stage::ALL.iter().map(|s| s.as_str().to_string()).collect()
}

fn concern_labels() -> Vec<String> {
    Concern::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect()
}

/// Empty models of this build's shape.
pub fn empty_models() -> Models {
    let d = N_DENSE as u16;
    Models {
        stage: Linear::zeros(stage_labels(), Output::Softmax, BITS, d, LAYOUT),
        spam: Linear::zeros(vec!["spam".into()], Output::Sigmoid, BITS, d, LAYOUT),
        concerns: Linear::zeros(concern_labels(), Output::Sigmoid, BITS, d, LAYOUT),
    }
}

fn examples(prepared: &[Prepared]) -> (Vec<Example>, Vec<Example>, Vec<Example>) {
    // Stages balanced by inverse frequency, so the rarer stages are not drowned.
    let mut per_stage = [0f32; 5];
    for p in prepared.iter().filter(|p| !p.spam) {
        if let Some(s) = p.stage {
            per_stage[s] += p.weight;
        }
    }
    let total: f32 = per_stage.iter().sum::<f32>().max(1.0);
    let stage: Vec<Example> = prepared
        .iter()
        .filter(|p| !p.spam)
        .filter_map(|p| {
            let s = p.stage?;
            Some(Example {
                features: p.features.clone(),
                target: Target::One(s),
                weight: p.weight * total / (5.0 * per_stage[s].max(1.0)),
            })
        })
        .collect();
    let n_spam: f32 = prepared.iter().filter(|p| p.spam).map(|p| p.weight).sum();
    let n_ham: f32 = prepared.iter().filter(|p| !p.spam).map(|p| p.weight).sum();
    let spam: Vec<Example> = prepared
        .iter()
        .map(|p| {
            // Half-way to balanced: spam is a minority of what arrives, and a short genuine
            // "send your catalogue" must not read as spam.
            let share = if p.spam { n_spam } else { n_ham };
            let balance = ((n_spam + n_ham) / (2.0 * share.max(1.0))).sqrt();
            Example {
                features: p.features.clone(),
                target: Target::Many(vec![p.spam]),
                weight: p.weight * balance,
            }
        })
        .collect();
    let concerns: Vec<Example> = prepared
        .iter()
        .filter(|p| !p.spam)
        .map(|p| Example {
            features: p.features.clone(),
            target: Target::Many(p.concerns.clone()),
            weight: p.weight,
        })
        .collect();
    (stage, spam, concerns)
}

fn fit(start: &Models, prepared: &[Prepared], opts: &TrainOptionsSet) -> Models {
    let (stage_ex, spam_ex, concern_ex) = examples(prepared);
    let mut m = start.clone();
    m.stage.fit(&stage_ex, opts.stage);
    m.spam.fit(&spam_ex, opts.spam);
    m.concerns.fit(&concern_ex, opts.concerns);
    m
}

fn calibrate(models: &mut Models, prepared: &[Prepared]) {
    let (stage_ex, spam_ex, concern_ex) = examples(prepared);
    models.stage.calibrate(&stage_ex);
    models.spam.calibrate(&spam_ex);
    models.concerns.calibrate(&concern_ex);
}

/// With fewer spam lines than this, retraining leaves the spam model as it was.
const MIN_SPAM_LINES: usize = 20;
/// Fewer held-out lines than this do not recalibrate the confidence.
const MIN_CALIBRATION_LINES: usize = 30;

/// True when lines of `source` belong to the held-out fifth.
pub fn is_held_out_source(source: &str) -> bool {
    text_hash(source) % 5 == 0
}

/// Models trained on a corpus, with what was measured.
#[derive(Debug, Clone)]
pub struct TrainedModels {
    pub models: Models,
    pub report: TrainReport,
}

/// Figures of the full judgements (cues, families and models together).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct TaskReport {
    pub n: usize,
    /// Buying stage over genuine lines.
    pub n_stage: usize,
    pub stage_accuracy: Option<f64>,
    /// Per true stage: (right, total).
    pub per_stage: BTreeMap<String, (usize, usize)>,
    /// Per language: stage (right, total), top concern (right, total), spam caught / spam.
    pub per_language: BTreeMap<String, LanguageFigures>,
    /// `confusion[truth][predicted]`.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// The first concern given is one of the line's first two (lines with concerns).
    pub n_concern: usize,
    pub top_concern_accuracy: Option<f64>,
    pub spam_precision: Option<f64>,
    pub spam_recall: Option<f64>,
    pub spam_false_positives: usize,
    /// Stated stage confidence against how often the stage was right.
    pub reliability: Vec<Reliability>,
    /// The first lines judged wrong: (id or text start, what was wanted, what was given).
    pub misses: Vec<(String, String, String)>,
}

const MAX_MISSES: usize = 300;

/// Per-language figures.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct LanguageFigures {
    pub stage: (usize, usize),
    pub top_concern: (usize, usize),
    pub spam_caught: (usize, usize),
    pub false_spam: usize,
}

/// One confidence bin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    pub from: f64,
    pub to: f64,
    pub n: usize,
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// What training measured.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct TrainReport {
    pub n_train_lines: usize,
    pub n_held_out_lines: usize,
    pub held_out_sources: Vec<String>,
    /// True when the corpus had too few sources to split by source (a user's corrections).
    pub split_by_line: bool,
    /// The model trained without the held-out sources, judged on them.
    pub held_out: TaskReport,
    /// The final model judged on each external set (never trained on), by name.
    pub external: BTreeMap<String, TaskReport>,
}

/// Judges `lines` with `models` and tallies the figures.
pub fn measure(models: &Models, lines: &[CorpusLine]) -> TaskReport {
    let mut r = TaskReport::default();
    let (mut tp, mut fp, mut fnn) = (0usize, 0usize, 0usize);
    let mut bins: Vec<(f64, bool)> = Vec::new();
    for line in lines {
        let thread = thread_of(&line.text);
        let scanned = ScannedThread::new(&thread);
        let spam = crate::spam::judge_spam_with(&scanned, Lang::En, Some(models));
        let lang = line.language.clone().unwrap_or_else(|| "?".into());
        let name = line
            .id
            .clone()
            .unwrap_or_else(|| line.text.chars().take(60).collect());
        let mut miss = |want: String, got: String| {
            if r.misses.len() < MAX_MISSES {
                r.misses.push((name.clone(), want, got));
            }
        };
        if line.spam != spam.is_spam {
            miss(
                format!("spam={}", line.spam),
                format!("spam={:.2} {:?}", spam.score, spam.reasons.first()),
            );
        }
        let lf = r.per_language.entry(lang).or_default();
        r.n += 1;
        match (line.spam, spam.is_spam) {
            (true, true) => {
                tp += 1;
                lf.spam_caught.0 += 1;
            }
            (false, true) => {
                fp += 1;
                lf.false_spam += 1;
            }
            (true, false) => fnn += 1,
            _ => {}
        }
        if line.spam {
            lf.spam_caught.1 += 1;
            continue;
        }
        if let Some(want) = line.stage {
            let got = crate::stage::judge_stage_with(&scanned, Some(models));
            let ok = got.label == want;
            if !ok {
                miss(
                    want.as_str().into(),
                    format!("{} {:?}", got.label, got.evidence),
                );
            }
            r.n_stage += 1;
            lf.stage.1 += 1;
            lf.stage.0 += usize::from(ok);
            let e = r.per_stage.entry(want.as_str().into()).or_default();
            e.0 += usize::from(ok);
            e.1 += 1;
            *r.confusion
                .entry(want.as_str().into())
                .or_default()
                .entry(got.label.as_str().into())
                .or_default() += 1;
            bins.push((got.confidence, ok));
        }
        if !line.concerns.is_empty() {
            let got = crate::concerns::judge_concerns_with(&scanned, Some(models));
            let ok = got
                .first()
                .is_some_and(|c| line.concerns.iter().take(2).any(|w| *w == c.label));
            r.n_concern += 1;
            lf.top_concern.1 += 1;
            lf.top_concern.0 += usize::from(ok);
        }
    }
    let right: usize = r.per_stage.values().map(|v| v.0).sum();
    let concern_right: usize = r.per_language.values().map(|v| v.top_concern.0).sum();
    r.stage_accuracy = ratio(right, r.n_stage);
    r.top_concern_accuracy = ratio(concern_right, r.n_concern);
    r.spam_precision = ratio(tp, tp + fp);
    r.spam_recall = ratio(tp, tp + fnn);
    r.spam_false_positives = fp;
    for (from, to) in [
        (0.0, 0.4),
        (0.4, 0.55),
        (0.55, 0.7),
        (0.7, 0.85),
        (0.85, 1.01),
    ] {
        let inside: Vec<&(f64, bool)> =
            bins.iter().filter(|(c, _)| *c >= from && *c < to).collect();
        if inside.is_empty() {
            continue;
        }
        let n = inside.len();
        r.reliability.push(Reliability {
            from,
            to: to.min(1.0),
            n,
            mean_confidence: inside.iter().map(|(c, _)| c).sum::<f64>() / n as f64,
            accuracy: inside.iter().filter(|(_, ok)| *ok).count() as f64 / n as f64,
        });
    }
    r
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Trains the shipped-shape models on `corpus` (starting from `start`, or from zeros),
/// measures them on the held-out sources and on each external set.
pub fn train_models(
    corpus: &[CorpusLine],
    start: Option<&Models>,
    external: &[(String, Vec<CorpusLine>)],
    opts: &TrainOptionsSet,
) -> TrainedModels {
    let zero = empty_models();
    let start = start.unwrap_or(&zero);
    // Split by source; a user's few corrections come from one or two sources, so with fewer
    // than five sources each line is its own group.
    let mut sources: Vec<&str> = corpus.iter().map(|l| l.source.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    let by_line = sources.len() < 5;
    let held: Vec<bool> = corpus
        .iter()
        .map(|l| {
            if by_line {
                is_held_out_source(&l.text)
            } else {
                is_held_out_source(&l.source)
            }
        })
        .collect();
    train_models_held_out(corpus, &held, by_line, start, external, opts)
}

/// As [`train_models`], with the held-out lines chosen by the caller (`held[i]` for
/// `corpus[i]`): a workspace's corrections are held out by time, the newest last.
pub fn train_models_held_out(
    corpus: &[CorpusLine],
    held: &[bool],
    by_line: bool,
    start: &Models,
    external: &[(String, Vec<CorpusLine>)],
    opts: &TrainOptionsSet,
) -> TrainedModels {
    let prepared: Vec<Prepared> = corpus.iter().map(prepare).collect();
    let (train_part, test_part): (Vec<&Prepared>, Vec<&Prepared>) = {
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (p, &h) in prepared.iter().zip(held) {
            if h {
                b.push(p);
            } else {
                a.push(p);
            }
        }
        (a, b)
    };
    let own = |v: &[&Prepared]| -> Vec<Prepared> {
        v.iter()
            .map(|p| Prepared {
                features: p.features.clone(),
                stage: p.stage,
                concerns: p.concerns.clone(),
                spam: p.spam,
                weight: p.weight,
            })
            .collect()
    };
    let train_part = own(&train_part);
    let test_part = own(&test_part);
    let mut partial = fit(start, &train_part, opts);
    calibrate(&mut partial, &test_part);
    let held_lines: Vec<CorpusLine> = corpus
        .iter()
        .zip(held)
        .filter(|(_, &h)| h)
        .map(|(l, _)| l.clone())
        .collect();
    let mut held_sources: Vec<String> = held_lines.iter().map(|l| l.source.clone()).collect();
    held_sources.sort();
    held_sources.dedup();
    let held_out = measure(&partial, &held_lines);

    let mut models = fit(start, &prepared, opts);
    // A user's corrections with few spam lines would teach the spam model only "not spam":
    // it stays as it was.
    let spam_lines = prepared.iter().filter(|p| p.spam).count();
    if spam_lines < MIN_SPAM_LINES && start.spam.bias().iter().any(|&b| b != 0.0) {
        models.spam = start.spam.clone();
    }
    // A temperature fitted on a handful of held-out lines is noise: then the starting
    // models' calibration stays.
    let from = if test_part.len() >= MIN_CALIBRATION_LINES {
        &partial
    } else {
        start
    };
    models.stage.set_temperature(from.stage.temperature());
    models.spam.set_temperature(from.spam.temperature());
    models.concerns.set_temperature(from.concerns.temperature());
    let external = external
        .iter()
        .map(|(name, lines)| (name.clone(), measure(&models, lines)))
        .collect();
    TrainedModels {
        models,
        report: TrainReport {
            n_train_lines: train_part.len(),
            n_held_out_lines: held_lines.len(),
            held_out_sources: held_sources,
            split_by_line: by_line,
            held_out,
            external,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_split_on_from_lines() {
        let t = thread_of("From: buyer\nPlease quote 500 pcs.\nFrom: seller\nUSD 3.2 FOB.\nFrom: buyer\nToo high.");
        assert_eq!(t.messages.len(), 3);
        assert_eq!(t.messages[1].role, Some(Role::Seller));
        assert_eq!(t.messages[2].text, "Too high.");
        let single = thread_of("Dear Sir,\nsend catalogue");
        assert_eq!(single.messages.len(), 1);
        assert_eq!(single.messages[0].role, Some(Role::Buyer));
    }

    #[test]
    fn bad_lines_are_named() {
        let e = parse_corpus("x.jsonl", "{\"text\":\"hi\",\"stage\":\"nope\"}\n");
        assert!(matches!(e, Err(CorpusError { line: 1, .. })));
        let e = parse_corpus("x.jsonl", "\n{oops\n");
        assert!(matches!(e, Err(CorpusError { line: 2, .. })));
        let ok = parse_corpus(
            "x.jsonl",
            "{\"text\":\"hi\",\"lang\":\"en\",\"stage\":\"evaluation\",\"origin\":\"hand\",\"batch\":2}",
        );
        assert!(ok.is_ok_and(|v| v[0].source == "hand/batch2"));
    }

    #[test]
    fn corrections_change_labels_by_id() {
        let mut lines = parse_corpus(
            "x",
            "{\"id\":\"a\",\"text\":\"We enclose our order.\",\"stage\":\"evaluation\"}",
        )
        .unwrap_or_default();
        let c = parse_corrections(
            "c",
            "{\"id\":\"a\",\"stage\":\"decision\",\"reason\":\"an order\"}",
        )
        .unwrap_or_default();
        assert_eq!(apply_corrections(&mut lines, &c), 1);
        assert_eq!(lines[0].stage, Some(Stage::Decision));
    }
}
