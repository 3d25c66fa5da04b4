//! `tradescout screen NAME`: load the configured sanctions lists, screen one name, print the
//! hits as JSON or text. `tradescout screen --file NAMES` screens a batch against lists loaded
//! and indexed once, one JSON line per name.

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
    if let Some(file) = &args.file {
        return run_batch(file, &screener, country, threshold, args.limit, lang);
    }
    let Some(name) = args.name.as_deref() else {
        return Err(Failure::input(tr(lang, "screen.empty_name", &[])));
    };
    let options = ScreenOptions {
        country: country.clone(),
        threshold: Some(threshold),
        limit: args.limit,
    };
    let mut hits = screener.screen(name, &options);
    for hit in &mut hits {
        hit.score = (hit.score * 1000.0).round() / 1000.0;
    }
    match args.format {
        TextOrJson::Json => {
            let report = Report {
                name,
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
            render_text(name, screener.lists(), &hits, threshold, lang)
        ),
    }
    Ok(())
}

/// The largest names file read.
const MAX_NAMES_FILE: u64 = 64 * 1024 * 1024;

/// One line of a batch's output: the single report's fields for that name, or why the line
/// was not screened.
#[derive(Serialize)]
struct BatchLine<'a> {
    line: usize,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    threshold: f64,
    screened_lists: &'a [ListSummary],
    hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// A name to screen from a batch file, with its line and the country column as written.
struct BatchName {
    line: usize,
    name: String,
    country: Option<String>,
}

/// The names of a batch file: one a line, or a CSV (comma, semicolon or tab) whose first row
/// names a `name` column and optionally a `country` column.
fn read_names(text: &str) -> Result<Vec<BatchName>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .find(|&d| first.as_bytes().contains(&d));
    let header = |d: u8| -> Option<(usize, Option<usize>)> {
        let cells: Vec<String> = first
            .split(d as char)
            .map(|c| c.trim().trim_matches('"').to_lowercase())
            .collect();
        let is = |c: &String, words: &[&str]| words.contains(&c.as_str());
        let name = cells.iter().position(|c| {
            is(
                c,
                &[
                    "name",
                    "names",
                    "company",
                    "company name",
                    "entity",
                    "party",
                    "名称",
                    "名字",
                    "公司名称",
                    "公司",
                ],
            )
        })?;
        let country = cells.iter().position(|c| {
            is(
                c,
                &[
                    "country",
                    "country code",
                    "nationality",
                    "国家",
                    "国家/地区",
                ],
            )
        });
        Some((name, country))
    };
    let Some((d, (name_col, country_col))) = delimiter.and_then(|d| header(d).map(|h| (d, h)))
    else {
        // "name,country" without a header: the part after the last comma is the country
        // when it names one ("Acme Trading LLC,AE"); "Acme, Inc." stays one name.
        return Ok(text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                let l = l.trim();
                let split = l
                    .rsplit_once([',', '\t', ';'])
                    .map(|(n, c)| (n.trim().trim_matches('"'), c.trim().trim_matches('"')))
                    .filter(|(n, c)| !n.is_empty() && names_a_country(c));
                match split {
                    Some((name, country)) => BatchName {
                        line: i + 1,
                        name: name.to_string(),
                        country: Some(country.to_string()),
                    },
                    None => BatchName {
                        line: i + 1,
                        name: l.trim_matches('"').to_string(),
                        country: None,
                    },
                }
            })
            .collect());
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(d)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let name = record.get(name_col).unwrap_or("").trim().to_string();
        if name.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let country = country_col
            .and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        out.push(BatchName {
            line,
            name,
            country,
        });
    }
    Ok(out)
}

/// Whether the last field of a headerless line names a country: a country's name, or a
/// two-letter code in capitals that is not also a legal form ("Acme, Co." is Acme Company,
/// not Colombia; "Foo, SA" is a société anonyme, not Saudi Arabia).
fn names_a_country(field: &str) -> bool {
    const LEGAL_FORM_CODES: &[&str] = &[
        "CO", "SA", "AG", "SE", "AS", "SL", "KG", "AB", "OY", "NV", "BV", "LP", "PT", "CV", "SC",
        "AO", "SP",
    ];
    let code = field.len() == 2 && field.bytes().all(|b| b.is_ascii_uppercase());
    let name = field.chars().count() > 3 && !field.ends_with('.');
    ((code && !LEGAL_FORM_CODES.contains(&field)) || name) && country_code(field).is_some()
}

/// Screens every name of `file`, printing one JSON line each; lines that cannot be screened
/// (no name, an unknown country) get a line with `error`, and the run then exits non-zero.
fn run_batch(
    file: &Path,
    screener: &Screener,
    default_country: Option<String>,
    threshold: f64,
    limit: usize,
    lang: Lang,
) -> Result<(), Failure> {
    use std::io::{Read, Write};
    let input = file.display();
    let read_error = |e: &dyn std::fmt::Display| {
        tr(
            lang,
            "error.read_input",
            &[("input", &input), ("reason", e)],
        )
    };
    let mut bytes = Vec::new();
    let read = if file == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_NAMES_FILE + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX_NAMES_FILE + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| Failure::input(read_error(&e)))?;
    if bytes.len() as u64 > MAX_NAMES_FILE {
        return Err(Failure::input(tr(
            lang,
            "screen.names_too_large",
            &[
                ("input", &input),
                ("limit", &(MAX_NAMES_FILE / 1024 / 1024)),
            ],
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| Failure::input(read_error(&e)))?;
    let names = read_names(&text).map_err(|reason| {
        Failure::input(tr(
            lang,
            "screen.bad_names_file",
            &[("input", &input), ("reason", &reason)],
        ))
    })?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut with_hits, mut failed) = (0usize, 0usize);
    for n in &names {
        let country: Result<Option<String>, String> = if n.name.is_empty() {
            Err(tr(lang, "screen.empty_name", &[]))
        } else {
            match n.country.as_deref() {
                Some(c) => country_code(c)
                    .map(Some)
                    .ok_or_else(|| tr(lang, "screen.bad_country", &[("country", &c)])),
                None => Ok(default_country.clone()),
            }
        };
        let line = match country {
            Ok(country) => {
                let options = ScreenOptions {
                    country: country.clone(),
                    threshold: Some(threshold),
                    limit,
                };
                let mut hits = screener.screen(&n.name, &options);
                for hit in &mut hits {
                    hit.score = (hit.score * 1000.0).round() / 1000.0;
                }
                with_hits += usize::from(!hits.is_empty());
                BatchLine {
                    line: n.line,
                    name: &n.name,
                    country,
                    threshold,
                    screened_lists: screener.lists(),
                    hits,
                    error: None,
                }
            }
            Err(reason) => {
                failed += 1;
                eprintln!(
                    "tradescout: {}",
                    tr(
                        lang,
                        "screen.line_error",
                        &[("input", &input), ("line", &n.line), ("reason", &reason)]
                    )
                );
                BatchLine {
                    line: n.line,
                    name: &n.name,
                    country: None,
                    threshold,
                    screened_lists: screener.lists(),
                    hits: Vec::new(),
                    error: Some(reason),
                }
            }
        };
        let json = serde_json::to_string(&line).map_err(|e| Failure::runtime(e.to_string()))?;
        // A closed pipe (`| head`) ends the batch quietly.
        if writeln!(out, "{json}").is_err() {
            return Ok(());
        }
    }
    if out.flush().is_err() {
        return Ok(());
    }
    let summary = tr(
        lang,
        "screen.batch_done",
        &[
            ("count", &(names.len() - failed)),
            ("hits", &with_hits),
            ("failed", &failed),
        ],
    );
    if failed > 0 {
        return Err(Failure::input(summary));
    }
    eprintln!("tradescout: {summary}");
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
        if hit.reason == Some(tradescout_sanctions::PossibleReason::CommonName) {
            out.push_str("        ");
            out.push_str(&tr(lang, "screen.hit_common_name", &[]));
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
