//! `tradescout screen NAME`: load the configured sanctions lists, screen one name, print the
//! hits as JSON or text.

use crate::cli::{ScreenArgs, TextOrJson};
use crate::config::SanctionsConfig;
use crate::failure::Failure;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tradescout_core::{tr, Lang};
use tradescout_sanctions::{
    country_code, load_path, Hit, ListSummary, MatchSettings, SanctionsError, ScreenOptions,
    Screener,
};

/// The JSON report (CONTRACTS.md: `screened_lists`, `hits` [{`name`, `list`, `score`, `entry_id`}]).
#[derive(Serialize)]
struct Report<'a> {
    name: &'a str,
    country: Option<String>,
    threshold: f64,
    screened_lists: &'a [ListSummary],
    hits: Vec<Hit>,
}

pub fn run(args: &ScreenArgs, config: &SanctionsConfig, lang: Lang) -> Result<(), Failure> {
    let paths: &[PathBuf] = if args.sanctions.is_empty() {
        &config.lists
    } else {
        &args.sanctions
    };
    if paths.is_empty() {
        return Err(Failure::input(tr(lang, "screen.no_lists", &[])));
    }
    let settings = MatchSettings::default();
    let threshold = args
        .threshold
        .or(config.threshold)
        .unwrap_or(settings.threshold);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(Failure::input(tr(
            lang,
            "screen.bad_threshold",
            &[("threshold", &threshold)],
        )));
    }
    let country =
        match args.country.as_deref() {
            Some(c) => Some(country_code(c).ok_or_else(|| {
                Failure::input(tr(lang, "screen.bad_country", &[("country", &c)]))
            })?),
            None => None,
        };
    let mut lists = Vec::with_capacity(paths.len());
    for path in paths {
        let list = load_path(path).map_err(|e| Failure::input(load_error(lang, path, &e)))?;
        for warning in &list.warnings {
            eprintln!(
                "tradescout: {}",
                tr(
                    lang,
                    "screen.list_warning",
                    &[("list", &list.source), ("warning", warning)]
                )
            );
        }
        lists.push(list);
    }
    let screener = Screener::new(lists, settings);
    let options = ScreenOptions {
        country: country.clone(),
        threshold: Some(threshold),
        limit: args.limit,
    };
    let mut hits = screener.screen(&args.name, &options);
    for hit in &mut hits {
        hit.score = (hit.score * 1000.0).round() / 1000.0;
    }
    match args.format {
        TextOrJson::Json => {
            let report = Report {
                name: &args.name,
                country,
                threshold,
                screened_lists: screener.lists(),
                hits,
            };
            let json = serde_json::to_string_pretty(&report)
                .map_err(|e| Failure::runtime(e.to_string()))?;
            println!("{json}");
        }
        TextOrJson::Text => print!(
            "{}",
            render_text(&args.name, screener.lists(), &hits, threshold, lang)
        ),
    }
    Ok(())
}

fn render_text(
    name: &str,
    lists: &[ListSummary],
    hits: &[Hit],
    threshold: f64,
    lang: Lang,
) -> String {
    let lists = lists
        .iter()
        .map(|l| {
            tr(
                lang,
                "screen.list_entry",
                &[("list", &l.name), ("entries", &l.entries)],
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = tr(
        lang,
        "screen.summary",
        &[("name", &name), ("lists", &lists)],
    );
    out.push('\n');
    if hits.is_empty() {
        out.push_str(&tr(lang, "screen.no_hits", &[("threshold", &threshold)]));
        out.push('\n');
        return out;
    }
    out.push_str(&tr(lang, "screen.hits", &[("count", &hits.len())]));
    out.push('\n');
    for hit in hits {
        let score = format!("{:.2}", hit.score);
        out.push_str("  ");
        out.push_str(&tr(
            lang,
            "screen.hit",
            &[
                ("score", &score),
                ("name", &hit.name),
                ("list", &hit.list),
                ("entry_id", &hit.entry_id),
            ],
        ));
        out.push('\n');
        if hit.primary_name != hit.name {
            out.push_str("        ");
            out.push_str(&tr(
                lang,
                "screen.hit_primary",
                &[("name", &hit.primary_name)],
            ));
            out.push('\n');
        }
        if !hit.countries.is_empty() {
            out.push_str("        ");
            out.push_str(&tr(
                lang,
                "screen.hit_countries",
                &[("countries", &hit.countries.join(", "))],
            ));
            out.push('\n');
        }
    }
    out
}

/// A list that could not be loaded, in the user's language, naming the file.
fn load_error(lang: Lang, path: &Path, e: &SanctionsError) -> String {
    let input = path.display();
    match e {
        SanctionsError::Io { source, .. } => tr(
            lang,
            "error.read_input",
            &[("input", &input), ("reason", source)],
        ),
        SanctionsError::UnknownFormat { .. } => {
            tr(lang, "screen.unknown_format", &[("input", &input)])
        }
        SanctionsError::OfacCompanion { .. } => {
            tr(lang, "screen.ofac_companion", &[("input", &input)])
        }
        other => tr(
            lang,
            "error.bad_input",
            &[("input", &input), ("reason", other)],
        ),
    }
}
