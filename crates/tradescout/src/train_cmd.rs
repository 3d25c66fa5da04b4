//! `tradescout train`: retrain the stage, spam and concern models on labelled corpus files —
//! starting from the shipped weights (a seller's corrections), or from zeros with
//! `--from-scratch` (how the shipped weights are made from the repo's corpus) — measure them on
//! the held-out sources and on `--measure` sets, and save them where `analyze` picks them up.

use crate::cli::{TextOrJson, TrainArgs};
use crate::failure::Failure;
use std::path::{Path, PathBuf};
use tradescout_analyze::model::train::{
    apply_corrections, measure, parse_corpus, parse_corrections, train_models, CorpusLine,
    TaskReport, TrainOptionsSet,
};
use tradescout_analyze::model::{install, models, shipped_bytes, Models};
use tradescout_core::{tr, Lang};
use tradescout_web::training;

/// Where trained models live by default.
pub fn models_dir() -> PathBuf {
    crate::config::data_dir().join("models")
}

fn read(path: &Path, lang: Lang) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::input(tr(
            lang,
            "error.read_input",
            &[("input", &path.display()), ("reason", &e)],
        ))
    })
}

fn lines_of(paths: &[PathBuf], lang: Lang) -> Result<Vec<CorpusLine>, Failure> {
    let mut out = Vec::new();
    for path in paths {
        let text = read(path, lang)?;
        let name = path.display().to_string();
        let lines = parse_corpus(&name, &text).map_err(|e| {
            Failure::input(tr(
                lang,
                "train.bad_corpus",
                &[("file", &e.file), ("line", &e.line), ("reason", &e.reason)],
            ))
        })?;
        out.extend(lines);
    }
    Ok(out)
}

pub fn run(args: &TrainArgs, lang: Lang) -> Result<(), Failure> {
    if args.corpus.is_empty() {
        return Err(Failure::input(tr(lang, "train.no_corpus", &[])));
    }
    let mut corpus = lines_of(&args.corpus, lang)?;
    let mut external: Vec<(String, Vec<CorpusLine>)> = Vec::new();
    for path in &args.measure {
        let lines = lines_of(std::slice::from_ref(path), lang)?;
        external.push((path.display().to_string(), lines));
    }
    for path in &args.corrections {
        let text = read(path, lang)?;
        let fixes = parse_corrections(&path.display().to_string(), &text).map_err(|e| {
            Failure::input(tr(
                lang,
                "train.bad_corpus",
                &[("file", &e.file), ("line", &e.line), ("reason", &e.reason)],
            ))
        })?;
        apply_corrections(&mut corpus, &fixes);
        for (_, lines) in &mut external {
            apply_corrections(lines, &fixes);
        }
    }
    let start: Option<Models> = if args.from_scratch {
        None
    } else {
        let [s, p, c] = shipped_bytes();
        Models::from_bytes(s, p, c).ok()
    };
    let trained = train_models(
        &corpus,
        start.as_ref(),
        &external,
        &TrainOptionsSet::default(),
    );
    let r = &trained.report;

    // Before and after, on the same held-out lines and external sets.
    let held: Vec<CorpusLine> = corpus
        .iter()
        .filter(|l| {
            if r.split_by_line {
                tradescout_analyze::model::train::is_held_out_source(&l.text)
            } else {
                r.held_out_sources.contains(&l.source)
            }
        })
        .cloned()
        .collect();
    let before: Option<(TaskReport, Vec<(String, TaskReport)>)> = (args.report
        && !args.from_scratch)
        .then(models)
        .flatten()
        .map(|m| {
            (
                measure(&m, &held),
                external
                    .iter()
                    .map(|(n, l)| (n.clone(), measure(&m, l)))
                    .collect(),
            )
        });
    // Keep the better model: the model trained without the held-out lines must judge them no
    // worse than the models in use do.
    let better = match &before {
        Some((b, _)) => training::score(&r.held_out) + 1e-9 >= training::score(b),
        None => true,
    };

    let dir = args.out.clone().unwrap_or_else(models_dir);
    if better {
        save(&trained.models, &dir, lang)?;
    }

    if args.format == TextOrJson::Json {
        let json = serde_json::json!({
            "models": dir,
            "saved": better,
            "report": r,
            "before": before.as_ref().map(|(b, ext)| serde_json::json!({"held_out": b, "external": ext})),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return Ok(());
    }
    println!(
        "{}",
        tr(
            lang,
            "train.split",
            &[
                ("train", &r.n_train_lines),
                ("held", &r.n_held_out_lines),
                ("sources", &r.held_out_sources.len()),
            ]
        )
    );
    print_task(lang, &tr(lang, "train.held_out", &[]), &r.held_out);
    for (name, t) in &r.external {
        print_task(lang, name, t);
    }
    if let Some((b, ext)) = &before {
        print_task(lang, &tr(lang, "train.before_held_out", &[]), b);
        for (name, t) in ext {
            print_task(
                lang,
                &format!("{name} ({})", tr(lang, "train.before", &[])),
                t,
            );
        }
    }
    let key = match (better, args.out.is_some()) {
        (false, _) => "train.kept_old",
        (true, true) => "train.saved_elsewhere",
        (true, false) => "train.saved",
    };
    println!("{}", tr(lang, key, &[("dir", &dir.display())]));
    Ok(())
}

/// Writes the three model files into `dir` (created when missing).
fn save(models: &Models, dir: &Path, lang: Lang) -> Result<(), Failure> {
    training::save_models(models, dir).map_err(|(path, e)| {
        Failure::runtime(tr(
            lang,
            "error.write_output",
            &[("output", &path.display()), ("reason", &e)],
        ))
    })
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn print_task(lang: Lang, name: &str, t: &TaskReport) {
    println!(
        "{}",
        tr(
            lang,
            "train.figures",
            &[
                ("name", &name),
                ("n", &t.n),
                ("stage", &pct(t.stage_accuracy)),
                ("n_stage", &t.n_stage),
                ("concern", &pct(t.top_concern_accuracy)),
                ("n_concern", &t.n_concern),
                ("precision", &pct(t.spam_precision)),
                ("recall", &pct(t.spam_recall)),
            ]
        )
    );
    for (stage, (ok, n)) in &t.per_stage {
        println!("    {stage:<18} {ok:>4}/{n:<4}");
    }
    for (language, f) in &t.per_language {
        println!(
            "    {language:<4} {} {}/{}  {} {}/{}  {} {}/{}  {} {}",
            tr(lang, "train.col_stage", &[]),
            f.stage.0,
            f.stage.1,
            tr(lang, "train.col_concern", &[]),
            f.top_concern.0,
            f.top_concern.1,
            tr(lang, "train.col_spam", &[]),
            f.spam_caught.0,
            f.spam_caught.1,
            tr(lang, "train.col_false_spam", &[]),
            f.false_spam
        );
    }
    if !t.confusion.is_empty() {
        println!("    {}", tr(lang, "train.confusion", &[]));
        for (truth, row) in &t.confusion {
            let cells: Vec<String> = row.iter().map(|(g, n)| format!("{g}={n}")).collect();
            println!("      {truth:<18} {}", cells.join(" "));
        }
    }
    if !t.reliability.is_empty() {
        println!("    {}", tr(lang, "train.reliability", &[]));
        for b in &t.reliability {
            println!(
                "      {:.2}–{:.2}  n={:<4} {:.2} → {:.2}",
                b.from, b.to, b.n, b.mean_confidence, b.accuracy
            );
        }
    }
}

/// Uses models trained with `tradescout train` (in the data directory) instead of the shipped
/// ones, when all three files are there, readable and made for this build. Returns whether
/// they were installed.
pub fn install_trained(dir: &Path) -> bool {
    training::load_models(dir).is_some_and(install)
}

/// `tradescout train --from-store`: retrains the models in use on the threads people
/// corrected in the web app (the service the web app's retrain button also runs: see
/// `tradescout_web::training`). The newest 30% of the corrected threads are held out; the new
/// models are kept only when they judge those no worse than the models in use.
pub async fn from_store(
    store: &dyn tradescout_store::Store,
    args: &TrainArgs,
    seller_domains: &[String],
    lang: Lang,
) -> Result<(), Failure> {
    let corrected = training::corrected_threads(store, seller_domains, lang)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    if corrected.is_empty() {
        println!("{}", tr(lang, "train.no_corrections", &[]));
        return Ok(());
    }
    let current = training::current_models().map_err(|e| Failure::runtime(e.to_string()))?;
    let training::Retrain {
        corrected: n,
        held_out: n_held,
        before,
        after,
        better,
        models: trained,
    } = training::retrain(&corrected, &current);
    let after = &after;
    let dir = args.out.clone().unwrap_or_else(models_dir);
    if better {
        save(&trained, &dir, lang)?;
    }
    if args.format == TextOrJson::Json {
        let json = serde_json::json!({
            "corrected_threads": n,
            "held_out_threads": n_held,
            "saved": better,
            "models": dir,
            "before": before,
            "after": after,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return Ok(());
    }
    println!(
        "{}",
        tr(
            lang,
            "train.from_store",
            &[("threads", &n), ("held", &n_held)]
        )
    );
    if args.report {
        print_task(lang, &tr(lang, "train.before_held_out", &[]), &before);
        print_task(lang, &tr(lang, "train.held_out", &[]), after);
    }
    let key = match (better, n_held) {
        (_, 0) => "train.too_few_corrections",
        (false, _) => "train.kept_old",
        (true, _) => "train.saved",
    };
    println!("{}", tr(lang, key, &[("dir", &dir.display())]));
    Ok(())
}
