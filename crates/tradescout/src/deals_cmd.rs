//! `tradescout deals …` and `tradescout insights`.

use crate::cli::{InsightsArgs, JsonOrMd, TextOrJson};
use crate::failure::Failure;
use serde::Serialize;
use std::path::Path;
use tradescout_core::{tr, Lang};
use tradescout_insights::charts::all_charts;
use tradescout_insights::{convert, insights, parse_deals_csv, InsightsOptions, Rates, RowError};
use tradescout_store::Store;

#[derive(Serialize)]
struct ImportReport {
    new: u64,
    updated: u64,
    failed: Vec<RowError>,
}

pub async fn import(
    store: &dyn Store,
    file: &Path,
    format: TextOrJson,
    lang: Lang,
) -> Result<(), Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Failure::input(tr(
            lang,
            "error.read_input",
            &[("input", &file.display()), ("reason", &e)],
        ))
    })?;
    let (deals, failed) = parse_deals_csv(&text).map_err(|e| {
        Failure::input(tr(
            lang,
            "error.bad_input",
            &[("input", &file.display()), ("reason", &e)],
        ))
    })?;
    let (new, updated) = store
        .upsert_deals(&deals, "import")
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let report = ImportReport {
        new,
        updated,
        failed,
    };
    if format == TextOrJson::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        for f in &report.failed {
            eprintln!(
                "{}",
                tr(
                    lang,
                    "deals.bad_row",
                    &[
                        ("file", &file.display()),
                        ("row", &f.row),
                        ("column", &f.column.as_deref().unwrap_or("-")),
                        ("reason", &f.reason)
                    ]
                )
            );
        }
        println!(
            "{}",
            tr(
                lang,
                "deals.summary",
                &[
                    ("new", &report.new),
                    ("updated", &report.updated),
                    ("failed", &report.failed.len())
                ]
            )
        );
    }
    if report.new + report.updated == 0 && !report.failed.is_empty() {
        return Err(Failure::input(tr(
            lang,
            "import.nothing_read",
            &[("failed", &report.failed.len())],
        )));
    }
    Ok(())
}

pub async fn list(
    store: &dyn Store,
    format: TextOrJson,
    limit: usize,
    lang: Lang,
) -> Result<(), Failure> {
    let all = store
        .load_deals()
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    // Open deals get the lead score learned from the closed ones, with its reasons.
    let model = tradescout_insights::train_lead_score(&all).model;
    let mut deals: Vec<&tradescout_insights::Deal> = all.iter().rev().take(limit).collect();
    deals.sort_by_key(|d| std::cmp::Reverse(d.created));
    let scored: Vec<serde_json::Value> = deals
        .iter()
        .map(|d| {
            let score = (d.outcome == tradescout_core::Outcome::Open)
                .then(|| model.as_ref().map(|m| m.score(d)))
                .flatten()
                .map(|(p, because)| serde_json::json!({"probability": (p * 1000.0).round() / 1000.0, "because": because}));
            let mut v = serde_json::to_value(d).unwrap_or_default();
            if let Some(obj) = v.as_object_mut() {
                obj.insert("lead_score".into(), score.unwrap_or(serde_json::Value::Null));
            }
            v
        })
        .collect();
    if format == TextOrJson::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&scored).unwrap_or_default()
        );
        return Ok(());
    }
    for (d, v) in deals.iter().zip(&scored) {
        let amount = d
            .amount
            .map(|a| format!("{a} {}", d.currency.as_deref().unwrap_or("")))
            .unwrap_or_default();
        let score = v["lead_score"]["probability"]
            .as_f64()
            .map(|p| {
                let because: Vec<String> = v["lead_score"]["because"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x[0].as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                format!(
                    "  {}: {:.0}% ({})",
                    tr(lang, "insights.lead_score", &[]),
                    p * 100.0,
                    because.join(", ")
                )
            })
            .unwrap_or_default();
        println!(
            "{:<10} {}  {:<16} {:<5} {:<14} {:<5} {}{score}",
            d.id,
            d.created,
            tr(lang, &format!("stage.{}", d.stage_reached), &[]),
            d.outcome,
            d.company,
            d.country,
            amount.trim()
        );
    }
    Ok(())
}

pub async fn report(store: &dyn Store, args: &InsightsArgs, lang: Lang) -> Result<(), Failure> {
    let date = |flag: &str, v: &Option<String>| -> Result<Option<chrono::NaiveDate>, Failure> {
        match v {
            None => Ok(None),
            Some(s) => tradescout_insights::deal::parse_date(s)
                .map(Some)
                .ok_or_else(|| {
                    Failure::input(tr(
                        lang,
                        "insights.bad_date",
                        &[("flag", &flag), ("value", s)],
                    ))
                }),
        }
    };
    let options = InsightsOptions {
        since: date("--since", &args.since)?,
        until: date("--until", &args.until)?,
        today: chrono::Utc::now().date_naive(),
    };
    let rates = match &args.rates {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::input(tr(
                    lang,
                    "error.read_input",
                    &[("input", &path.display()), ("reason", &e)],
                ))
            })?;
            Some(Rates::parse(&text, &args.base).map_err(|e| {
                Failure::input(tr(
                    lang,
                    "error.bad_input",
                    &[("input", &path.display()), ("reason", &e)],
                ))
            })?)
        }
    };
    let mut deals = store
        .load_deals()
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let conversion = convert(&mut deals, rates.as_ref());
    let figures = insights(&deals, &options);
    if let Some(dir) = &args.charts {
        let write_err = |e: std::io::Error| {
            Failure::runtime(tr(
                lang,
                "error.read_input",
                &[("input", &dir.display()), ("reason", &e)],
            ))
        };
        std::fs::create_dir_all(dir).map_err(write_err)?;
        let charts = all_charts(&figures, &deals, lang);
        for (name, svg) in &charts {
            std::fs::write(dir.join(name), svg).map_err(write_err)?;
        }
        eprintln!(
            "{}",
            tr(
                lang,
                "insights.charts_written",
                &[("count", &charts.len()), ("dir", &dir.display())]
            )
        );
    }
    match args.format {
        JsonOrMd::Json => {
            let mut value = serde_json::to_value(&figures).unwrap_or_default();
            if let Some(obj) = value.as_object_mut() {
                obj.insert(
                    "conversion".into(),
                    serde_json::to_value(&conversion).unwrap_or_default(),
                );
            }
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
        }
        JsonOrMd::Md => print!("{}", crate::insights_md::markdown(&figures, lang)),
    }
    Ok(())
}

fn who(by: Option<&str>) -> String {
    by.map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "cli".into())
}

pub async fn set_stage(
    store: &dyn Store,
    id: &str,
    stage: &str,
    by: Option<&str>,
    note: Option<&str>,
    lang: Lang,
) -> Result<(), Failure> {
    let stage: tradescout_core::Stage = stage
        .parse()
        .map_err(|e: tradescout_core::labels::UnknownLabel| Failure::input(e.to_string()))?;
    if !store
        .set_deal_stage(id, stage, &who(by), note)
        .await
        .map_err(|e| Failure::store(lang, &e))?
    {
        return Err(Failure::input(tr(lang, "deals.not_found", &[("id", &id)])));
    }
    println!(
        "{}",
        tr(
            lang,
            "deals.stage_set",
            &[
                ("id", &id),
                ("stage", &tr(lang, &format!("stage.{stage}"), &[]))
            ]
        )
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn close(
    store: &dyn Store,
    id: &str,
    outcome: &str,
    reason: Option<String>,
    date: Option<String>,
    amount: Option<f64>,
    currency: Option<String>,
    quantity: Option<f64>,
    by: Option<&str>,
    lang: Lang,
) -> Result<(), Failure> {
    let outcome: tradescout_core::Outcome = outcome
        .parse()
        .map_err(|e: tradescout_core::labels::UnknownLabel| Failure::input(e.to_string()))?;
    if outcome == tradescout_core::Outcome::Open {
        return Err(Failure::input(tr(lang, "deals.close_open", &[])));
    }
    let closed = match date {
        Some(d) => tradescout_insights::deal::parse_date(&d).ok_or_else(|| {
            Failure::input(tr(
                lang,
                "insights.bad_date",
                &[("flag", &"--date"), ("value", &d)],
            ))
        })?,
        None => chrono::Utc::now().date_naive(),
    };
    let close = tradescout_store::DealClose {
        outcome,
        loss_reason: reason.filter(|_| outcome == tradescout_core::Outcome::Lost),
        closed: closed.to_string(),
        amount,
        currency: currency.map(|c| c.to_uppercase()),
        quantity,
        changed_by: who(by),
    };
    if !store
        .close_deal(id, &close)
        .await
        .map_err(|e| Failure::store(lang, &e))?
    {
        return Err(Failure::input(tr(lang, "deals.not_found", &[("id", &id)])));
    }
    println!(
        "{}",
        tr(lang, "deals.closed", &[("id", &id), ("outcome", &outcome)])
    );
    Ok(())
}

pub async fn history(store: &dyn Store, id: &str, lang: Lang) -> Result<(), Failure> {
    let rows = store
        .deal_history(id)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    if rows.is_empty() {
        return Err(Failure::input(tr(lang, "deals.not_found", &[("id", &id)])));
    }
    for (stage, at, by, note) in rows {
        println!(
            "{at}  {:<16} {by}{}",
            tr(lang, &format!("stage.{stage}"), &[]),
            note.map(|n| format!("  — {n}")).unwrap_or_default()
        );
    }
    Ok(())
}
