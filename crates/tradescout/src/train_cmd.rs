//! `tradescout train`: retrain the stage and spam models on the shipped corpus plus the
//! seller's own corrected examples, report held-out accuracy, and save the weights where
//! `analyze` picks them up.

use crate::cli::{TextOrJson, TrainArgs};
use crate::failure::Failure;
use std::path::{Path, PathBuf};
use tradescout_analyze::model::{install, train_all, Model};
use tradescout_core::{tr, Lang};

/// The corpus the shipped weights were trained on.
const SHIPPED_CORPUS: &[&str] = &[
    include_str!("../../tradescout-analyze/corpus/generated.jsonl"),
    include_str!("../../tradescout-analyze/corpus/handwritten.jsonl"),
];

const STAGE_FILE: &str = "stage.bin";
const SPAM_FILE: &str = "spam.bin";

/// Where trained models live by default.
pub fn models_dir() -> PathBuf {
    crate::config::data_dir().join("models")
}

pub fn run(args: &TrainArgs, lang: Lang) -> Result<(), Failure> {
    let mut corpus = SHIPPED_CORPUS.join("\n");
    for path in &args.corpus {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::input(tr(
                lang,
                "error.read_input",
                &[("input", &path.display()), ("reason", &e)],
            ))
        })?;
        corpus.push('\n');
        corpus.push_str(&text);
    }
    let trained = train_all(&corpus).map_err(|e| {
        Failure::input(tr(
            lang,
            "train.bad_corpus",
            &[("line", &e.line), ("reason", &e.reason)],
        ))
    })?;
    let dir = args.out.clone().unwrap_or_else(models_dir);
    let write = |name: &str, bytes: Vec<u8>| {
        std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(dir.join(name), bytes))
            .map_err(|e| {
                Failure::runtime(tr(
                    lang,
                    "error.read_input",
                    &[("input", &dir.join(name).display()), ("reason", &e)],
                ))
            })
    };
    write(STAGE_FILE, trained.stage.to_bytes())?;
    write(SPAM_FILE, trained.spam.to_bytes())?;
    let r = &trained.report;
    if args.format == TextOrJson::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "models": dir, "report": r }))
                .unwrap_or_default()
        );
    } else {
        for t in [&r.stage, &r.spam] {
            println!(
                "{}",
                tr(
                    lang,
                    "train.task",
                    &[
                        ("task", &t.task),
                        ("accuracy", &format!("{:.3}", t.accuracy)),
                        ("n_train", &t.n_train),
                        ("n_test", &t.n_test)
                    ]
                )
            );
        }
        let key = if args.out.is_some() {
            "train.saved_elsewhere"
        } else {
            "train.saved"
        };
        println!("{}", tr(lang, key, &[("dir", &dir.display())]));
    }
    Ok(())
}

/// Uses models trained with `tradescout train` (in the data directory) instead of the shipped
/// ones, when both files are there and readable. Returns whether they were installed.
pub fn install_trained(dir: &Path) -> bool {
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .ok()
            .and_then(|b| Model::from_bytes(&b).ok())
    };
    match (read(STAGE_FILE), read(SPAM_FILE)) {
        (Some(stage), Some(spam)) => install(stage, spam),
        _ => false,
    }
}
