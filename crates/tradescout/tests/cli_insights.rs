//! `tradescout deals import` and `tradescout insights` end to end.

mod common;
use common::*;

const DEALS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/deals.csv");

#[test]
fn deals_import_keeps_good_rows_names_bad_ones_and_is_idempotent(
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = db_url(dir.path());
    let first = run(&["--db", &db, "deals", "import", DEALS, "--format", "json"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let report = json(&first);
    assert_eq!(report["new"], 10);
    assert_eq!(report["failed"][0]["row"], 12);
    assert_eq!(report["failed"][0]["column"], "outcome");
    let again = json(&run(&[
        "--db", &db, "deals", "import", DEALS, "--format", "json",
    ]));
    assert_eq!(
        (again["new"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(10))
    );
    Ok(())
}

#[test]
fn insights_report_the_contract_figures() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = db_url(dir.path());
    run(&["--db", &db, "deals", "import", DEALS]);
    let out = run(&[
        "--db",
        &db,
        "insights",
        "--since",
        "2025-01-01",
        "--until",
        "2025-06-30",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let i = json(&out);
    assert_eq!(i["funnel"][0]["stage"], "need_recognition");
    assert_eq!(i["funnel"][0]["count"], 10);
    assert_eq!(i["funnel"][1]["conversion_to_next"], 7.0 / 9.0);
    assert_eq!(i["win_rate"], 5.0 / 8.0);
    assert_eq!(i["by_source"][0]["key"], "alibaba");
    assert_eq!(i["by_source"][0]["revenue"], 27000.0);
    assert_eq!(i["cycle_days"]["median"], 30.0);
    assert_eq!(i["loss_reasons"][0]["count"], 2);
    let d = &i["decomposition"];
    let f = &d["factors"];
    let sum: f64 = ["traffic", "conversion", "avg_price", "quantity"]
        .iter()
        .map(|k| f[k].as_f64().unwrap_or(f64::NAN))
        .sum();
    assert!((sum - d["sales_change"].as_f64().unwrap_or(0.0)).abs() < 1e-12);
    assert_eq!(i["lead_score"]["model"], "insufficient_history");
    let charts = dir.path().join("charts");
    let with_charts = run(&[
        "--db",
        &db,
        "insights",
        "--charts",
        &charts.to_string_lossy(),
    ]);
    assert!(with_charts.status.success(), "{}", stderr(&with_charts));
    assert!(std::fs::read_to_string(charts.join("funnel.svg"))?.starts_with("<svg"));
    let md = run(&["--db", &db, "--lang", "zh-CN", "insights", "--format", "md"]);
    assert!(stdout(&md).contains("赢单率"));
    Ok(())
}

#[test]
fn a_bad_date_flag_is_bad_input() {
    let out = run(&[
        "--db",
        "sqlite::memory:",
        "insights",
        "--since",
        "yesterday",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("yesterday"));
}

#[test]
fn a_deal_moves_stage_and_closes_and_its_history_shows_who(
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = db_url(dir.path());
    run(&["--db", &db, "deals", "import", DEALS]);
    let moved = run(&[
        "--db",
        &db,
        "deals",
        "stage",
        "3",
        "concerns",
        "--by",
        "tom",
        "--note",
        "asked for warranty",
    ]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    let closed = run(&[
        "--db",
        &db,
        "deals",
        "close",
        "3",
        "lost",
        "--reason",
        "lead time",
        "--date",
        "2025-03-20",
    ]);
    assert!(closed.status.success(), "{}", stderr(&closed));
    let history = stdout(&run(&["--db", &db, "deals", "history", "3"]));
    assert!(
        history.contains("tom") && history.contains("asked for warranty"),
        "{history}"
    );
    let missing = run(&["--db", &db, "deals", "stage", "404", "decision"]);
    assert_eq!(missing.status.code(), Some(2));
    let bad = run(&["--db", &db, "deals", "stage", "3", "haggling"]);
    assert_eq!(bad.status.code(), Some(2));
    Ok(())
}
