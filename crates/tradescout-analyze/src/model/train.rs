//! Training the shipped models from a labelled JSONL corpus, and measuring them on the part of
//! it they were not trained on.
//!
//! The split is deterministic: an example is held out when the hash of its text falls in the
//! last fifth, so retraining on the same corpus reproduces the same weights byte for byte.

use super::{text_hash, Model};
use serde::{Deserialize, Serialize};

/// One labelled line of a corpus file.
#[derive(Debug, Clone, Deserialize)]
struct Example {
    text: String,
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    spam: bool,
    /// `hand` for hand-written examples; anything else counts as generated.
    #[serde(default)]
    origin: Option<String>,
}

/// A corpus line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("corpus line {line}: {reason}")]
pub struct CorpusError {
    pub line: usize,
    pub reason: String,
}

/// Models trained on the training part of a corpus, with their measured accuracy.
#[derive(Debug, Clone)]
pub struct TrainedModels {
    /// Buying stage (labels are the five stage names); trained on non-spam examples.
    pub stage: Model,
    /// `spam` / `ham`.
    pub spam: Model,
    pub report: TrainReport,
}

/// Held-out figures for every task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainReport {
    pub stage: TaskReport,
    pub spam: TaskReport,
}

/// Held-out figures for one task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskReport {
    pub task: String,
    pub n_train: usize,
    pub n_test: usize,
    /// Accuracy on the held-out part.
    pub accuracy: f64,
    /// For spam: precision and recall of the `spam` label on the held-out part.
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    /// The same, on the hand-written held-out examples only.
    pub n_test_hand_written: usize,
    pub accuracy_hand_written: Option<f64>,
}

/// True when an example with this text belongs to the held-out fifth.
pub fn is_held_out(text: &str) -> bool {
    text_hash(text) % 5 == 0
}

/// Trains the stage and spam models on the training part of `corpus_jsonl` (JSON lines as
/// described in `corpus/README.md`) and reports their accuracy on the held-out part.
pub fn train_all(corpus_jsonl: &str) -> Result<TrainedModels, CorpusError> {
    let examples = parse(corpus_jsonl)?;
    let train: Vec<&Example> = examples.iter().filter(|e| !is_held_out(&e.text)).collect();
    let stage_train: Vec<(String, String)> = train
        .iter()
        .filter(|e| !e.spam)
        .filter_map(|e| Some((e.text.clone(), e.stage.clone()?)))
        .collect();
    let spam_train: Vec<(String, String)> = train
        .iter()
        .map(|e| (e.text.clone(), spam_label(e.spam)))
        .collect();
    let stage = Model::train(&stage_train);
    let spam = Model::train(&spam_train);
    let mut report = evaluate_examples(&stage, &spam, &examples);
    report.stage.n_train = stage_train.len();
    report.spam.n_train = spam_train.len();
    Ok(TrainedModels {
        stage,
        spam,
        report,
    })
}

/// Measures `stage` and `spam` on the held-out part of `corpus_jsonl`.
pub fn evaluate(
    stage: &Model,
    spam: &Model,
    corpus_jsonl: &str,
) -> Result<TrainReport, CorpusError> {
    Ok(evaluate_examples(stage, spam, &parse(corpus_jsonl)?))
}

fn evaluate_examples(stage: &Model, spam: &Model, examples: &[Example]) -> TrainReport {
    let test: Vec<&Example> = examples.iter().filter(|e| is_held_out(&e.text)).collect();
    let top = |m: &Model, text: &str| m.predict(text).into_iter().next().map(|(l, _)| l);

    let stage_cases: Vec<(bool, bool)> = test
        .iter()
        .filter(|e| !e.spam)
        .filter_map(|e| {
            let want = e.stage.as_deref()?;
            Some((top(stage, &e.text).as_deref() == Some(want), is_hand(e)))
        })
        .collect();
    let spam_cases: Vec<(bool, bool, bool)> = test
        .iter()
        .map(|e| {
            (
                e.spam,
                top(spam, &e.text).as_deref() == Some("spam"),
                is_hand(e),
            )
        })
        .collect();

    let accuracy = |hits: &[bool]| {
        (!hits.is_empty()).then(|| hits.iter().filter(|&&h| h).count() as f64 / hits.len() as f64)
    };
    let stage_all: Vec<bool> = stage_cases.iter().map(|c| c.0).collect();
    let stage_hand: Vec<bool> = stage_cases.iter().filter(|c| c.1).map(|c| c.0).collect();
    let spam_all: Vec<bool> = spam_cases.iter().map(|c| c.0 == c.1).collect();
    let spam_hand: Vec<bool> = spam_cases
        .iter()
        .filter(|c| c.2)
        .map(|c| c.0 == c.1)
        .collect();
    let tp = spam_cases.iter().filter(|c| c.0 && c.1).count() as f64;
    let predicted = spam_cases.iter().filter(|c| c.1).count() as f64;
    let actual = spam_cases.iter().filter(|c| c.0).count() as f64;

    TrainReport {
        stage: TaskReport {
            task: "stage".to_string(),
            n_train: 0,
            n_test: stage_all.len(),
            accuracy: accuracy(&stage_all).unwrap_or(0.0),
            precision: None,
            recall: None,
            n_test_hand_written: stage_hand.len(),
            accuracy_hand_written: accuracy(&stage_hand),
        },
        spam: TaskReport {
            task: "spam".to_string(),
            n_train: 0,
            n_test: spam_all.len(),
            accuracy: accuracy(&spam_all).unwrap_or(0.0),
            precision: (predicted > 0.0).then(|| tp / predicted),
            recall: (actual > 0.0).then(|| tp / actual),
            n_test_hand_written: spam_hand.len(),
            accuracy_hand_written: accuracy(&spam_hand),
        },
    }
}

fn parse(corpus_jsonl: &str) -> Result<Vec<Example>, CorpusError> {
    let mut out = Vec::new();
    for (i, line) in corpus_jsonl.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let e: Example = serde_json::from_str(line).map_err(|e| CorpusError {
            line: i + 1,
            reason: e.to_string(),
        })?;
        if let Some(s) = &e.stage {
            if s.parse::<tradescout_core::Stage>().is_err() {
                return Err(CorpusError {
                    line: i + 1,
                    reason: format!("unknown stage `{s}`"),
                });
            }
        }
        out.push(e);
    }
    Ok(out)
}

fn spam_label(spam: bool) -> String {
    if spam { "spam" } else { "ham" }.to_string()
}

fn is_hand(e: &Example) -> bool {
    e.origin.as_deref() == Some("hand")
}
