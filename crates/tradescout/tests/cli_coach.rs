//! `tradescout coach`: need-versus-expectation flags, catalogue matches and the proposal,
//! end to end through the binary.

mod common;

use common::{json, run, run_stdin, stderr};
use serde_json::Value;

const EN: &str = "tests/fixtures/coach/catalogue_en.csv";
const ZH: &str = "tests/fixtures/coach/catalogue_zh.csv";

/// The seed's case: IP68 asked, the lights stand under trees in a garden in Australia.
const IP68_UNDER_TREES: &str = "Hello, we need 500 pcs LED flood light 100W IP68 for our garden \
project, the lights will stand under trees. Shipping to Sydney, Australia. Target price USD 12.5. \
Please quote CIF.";

fn coach(text: &str, extra: &[&str]) -> Value {
    let mut args = vec!["coach", "-"];
    args.extend_from_slice(extra);
    let out = run_stdin(&args, text.as_bytes());
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    json(&out)
}

fn flag_texts(v: &Value, kind: &str) -> Vec<String> {
    v["flags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["kind"] == kind)
        .filter_map(|f| f["text"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn ip68_under_trees_recommends_the_ip65_product_and_says_why() {
    let v = coach(IP68_UNDER_TREES, &["--catalog", EN]);
    let over = flag_texts(&v, "over_spec");
    assert_eq!(over.len(), 1, "{v:#}");
    assert!(
        over[0].contains("IP65") && over[0].contains("under trees"),
        "{}",
        over[0]
    );
    assert!(over[0].contains("28% cheaper"), "{}", over[0]);
    assert_eq!(v["matches"][0]["sku"], "FL100-65", "{v:#}");
    let ip68 = v["matches"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["sku"] == "FL100-68"))
        .unwrap_or_else(|| panic!("FL100-68 not matched: {v:#}"));
    assert!(ip68["over_spec"][0]
        .as_str()
        .is_some_and(|s| s.contains("IP65")));
    let proposal = v["proposal"].as_str().unwrap_or_default();
    assert!(
        proposal.contains("FL100-65") && proposal.contains("9.5 USD"),
        "{proposal}"
    );
    assert!(
        !proposal.contains("FL100-44"),
        "under-spec product proposed: {proposal}"
    );
    assert!(v["stage"]["label"].is_string() && v["questions"].is_array());
}

#[test]
fn ip44_for_a_fountain_is_flagged_under_spec() {
    let text = "We need 200 pcs LED underwater light 12W IP44 for a fountain in our hotel. \
                Destination Dubai, UAE.";
    let v = coach(text, &["--catalog", ZH]);
    let under = flag_texts(&v, "under_spec");
    assert!(
        under
            .iter()
            .any(|t| t.contains("IP44") && t.contains("IP68")),
        "{v:#}"
    );
    assert!(v["matches"][0]["sku"]
        .as_str()
        .is_some_and(|s| s.starts_with("UW")));
}

#[test]
fn an_australian_buyer_without_rcm_gets_the_gap_named_even_without_a_catalogue() {
    let v = coach(IP68_UNDER_TREES, &[]);
    assert!(
        flag_texts(&v, "compliance")
            .iter()
            .any(|t| t.contains("RCM")),
        "{v:#}"
    );
    assert_eq!(v["matches"], serde_json::json!([]));
    let v = coach(IP68_UNDER_TREES, &["--catalog", EN]);
    let us = v["matches"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["sku"] == "FL100-US"))
        .unwrap_or_else(|| panic!("{v:#}"));
    assert!(us["gaps"].to_string().contains("RCM"), "{us:#}");
}

#[test]
fn a_110v_product_to_germany_is_a_voltage_mismatch() {
    let text = "Please quote 300 pcs LED flood light 100W, 110V. Shipping to Hamburg, Germany.";
    let v = coach(text, &["--catalog", EN]);
    assert!(
        flag_texts(&v, "voltage").iter().any(|t| t.contains("110V")),
        "{v:#}"
    );
    let us = v["matches"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["sku"] == "FL100-US"))
        .unwrap_or_else(|| panic!("{v:#}"));
    assert!(us["gaps"].to_string().contains("110V"), "{us:#}");
    assert_ne!(v["matches"][0]["sku"], "FL100-US");
}

#[test]
fn bad_catalogue_rows_are_named_by_row_and_column_and_the_rest_kept() {
    let out = run_stdin(
        &["coach", "-", "--catalog", ZH],
        b"LED underwater light for a pool, 100 pcs",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("row 5, column 价格"), "{err}");
    assert!(err.contains("row 6, column 型号"), "{err}");
    assert!(!json(&out)["matches"].to_string().contains("FL-50"));
}

#[test]
fn a_catalogue_without_a_name_column_is_bad_input() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("c.csv");
    std::fs::write(&path, "sku,price\nA,1\n").unwrap_or_else(|e| panic!("{e}"));
    let p = path.display().to_string();
    let out = run(&["coach", "-", "--catalog", &p]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("name"), "{}", stderr(&out));
}

#[test]
fn the_proposal_follows_reply_lang_and_markdown_shows_flags() {
    let v = coach(
        IP68_UNDER_TREES,
        &["--catalog", EN, "--reply-lang", "zh-CN"],
    );
    let proposal = v["proposal"].as_str().unwrap_or_default();
    assert!(proposal.contains("推荐产品"), "{proposal}");
    let out = run_stdin(
        &["coach", "-", "--catalog", EN, "--format", "md"],
        IP68_UNDER_TREES.as_bytes(),
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("over_spec") && md.contains("# Proposal"),
        "{md}"
    );
}

#[test]
fn a_us_buyer_of_230v_goods_gets_the_mismatch_named() {
    let text = "Hi, we need 200 pcs LED flood light 100W 220-240V for a warehouse in Houston, USA. Please quote FOB.";
    let v = coach(text, &["--catalog", EN]);
    let voltage = flag_texts(&v, "voltage");
    assert!(
        voltage
            .iter()
            .any(|t| t.contains("230") || t.contains("220") || t.contains("120")),
        "{v:#}"
    );
}

#[test]
fn a_buyer_placing_an_order_gets_no_situation_questions() {
    let text = "We confirm the order of 500 pcs FL100-65 at USD 11.20. Please send the proforma invoice, deposit will be paid tomorrow.";
    let v = coach(text, &["--catalog", EN]);
    assert_eq!(v["stage"]["label"], "decision", "{v:#}");
    let kinds: Vec<String> = v["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| q["kind"].as_str().map(str::to_string))
        .collect();
    assert!(!kinds.contains(&"situation".to_string()), "{kinds:?}");
}
