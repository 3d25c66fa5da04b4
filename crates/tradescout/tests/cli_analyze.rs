//! `tradescout analyze` end to end: every input form of the contract, the JSON field names,
//! Markdown in both languages, and hostile input.

mod common;
use common::*;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/inquiries");

fn analyze_stdin(input: &str) -> serde_json::Value {
    let out = run_stdin(&["analyze", "-"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    json(&out)
}

#[test]
fn plain_text_gives_every_contract_field() {
    let a = analyze_stdin("Hello, please quote 500 pcs 100W LED flood light IP65, CE, FOB Ningbo. Target price USD 12.5/pc.\nThanks, Tom");
    for key in [
        "language",
        "buyer",
        "request",
        "stage",
        "concerns",
        "spam",
        "next_actions",
        "questions",
    ] {
        assert!(a.get(key).is_some(), "missing {key}: {a}");
    }
    for key in [
        "name", "email", "company", "domain", "country", "phone", "title",
    ] {
        assert!(a["buyer"].get(key).is_some(), "missing buyer.{key}");
    }
    for key in [
        "products",
        "target_price",
        "incoterm",
        "destination",
        "payment_terms",
        "certifications",
        "deadline",
    ] {
        assert!(a["request"].get(key).is_some(), "missing request.{key}");
    }
    assert_eq!(a["language"], "en");
    assert_eq!(a["stage"]["label"], "evaluation");
    assert!(a["stage"]["evidence"]
        .as_array()
        .is_some_and(|e| !e.is_empty()));
    assert_eq!(a["request"]["products"][0]["quantity"], 500);
    assert_eq!(a["request"]["products"][0]["specs"]["ip_rating"], "IP65");
    assert_eq!(a["request"]["incoterm"], "FOB");
    assert_eq!(a["request"]["target_price"]["currency"], "USD");
    assert_eq!(a["spam"]["is_spam"], false);
    for c in a["concerns"].as_array().cloned().unwrap_or_default() {
        assert!(
            !c["evidence"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .is_empty(),
            "concern without evidence: {c}"
        );
    }
}

#[test]
fn thread_json_reads_roles_and_the_newest_buyer_message_weighs_most() {
    let thread = r#"{"messages":[
        {"from":"buyer","text":"Hi, we are interested in your solar street lights, please send catalog."},
        {"from":"seller","text":"Dear friend, catalog attached. SL-60 is USD 45 FOB Ningbo, MOQ 100 pcs."},
        {"from":"buyer","text":"45 is too high, another supplier offers 39. Can you do 40 for 300 pcs with 30% deposit?"}]}"#;
    let a = analyze_stdin(thread);
    assert_eq!(a["stage"]["label"], "concerns", "{}", a["stage"]);
    let labels: Vec<String> = a["concerns"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| c["label"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(labels.contains(&"price".to_string()), "{labels:?}");
}

#[test]
fn an_eml_with_quoted_history_is_a_thread_with_the_right_buyer() {
    let out = run(&[
        "analyze",
        &format!("{EXAMPLES}/03-floodlight-negotiation.eml"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = json(&out);
    assert_eq!(a["buyer"]["email"], "tom.baker@greenlight-supplies.co.uk");
    assert_eq!(a["buyer"]["country"], "GB");
    assert_eq!(a["stage"]["label"], "concerns");
}

#[test]
fn a_scam_is_flagged_with_reasons_quoting_it_and_the_coach_says_verify_first() {
    let out = run(&[
        "analyze",
        &format!("{EXAMPLES}/07-registration-fee-scam.eml"),
    ]);
    let a = json(&out);
    assert_eq!(a["spam"]["is_spam"], true);
    let reasons = a["spam"]["reasons"].to_string();
    assert!(reasons.contains("registration fee"), "{reasons}");
    assert!(a["questions"].as_array().is_some_and(|q| q.is_empty()));
    assert!(a["next_actions"][0]["text"]
        .as_str()
        .unwrap_or("")
        .contains("Verify"));
}

#[test]
fn an_mbox_gives_one_json_line_per_thread() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mbox = dir.path().join("in.mbox");
    write_mbox(&mbox, 6);
    let out = run(&["analyze", &mbox.to_string_lossy()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout)?.lines().collect();
    assert_eq!(lines.len(), 2, "two threads of three messages");
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l)?;
        assert!(v["stage"]["label"].is_string());
    }
    Ok(())
}

#[test]
fn markdown_comes_in_the_sellers_language() {
    let out = run(&[
        "--lang",
        "zh-CN",
        "analyze",
        &format!("{EXAMPLES}/01-floodlight-inquiry.eml"),
        "--format",
        "md",
    ]);
    let md = stdout(&out);
    assert!(md.contains("采购阶段") && md.contains("建议提问"), "{md}");
}

#[test]
fn empty_input_is_bad_input_and_garbage_still_gets_an_answer() {
    let empty = run_stdin(&["analyze"], b"   \n");
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("empty"));
    let mut garbage = Vec::new();
    let mut x: u32 = 7;
    for _ in 0..200_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        garbage.push((x >> 16) as u8);
    }
    let out = run_stdin(&["analyze"], &garbage);
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 2),
        "{}",
        stderr(&out)
    );
    let long_line = "price ".repeat(1_000_000);
    let out = run_stdin(&["analyze"], long_line.as_bytes());
    assert!(out.status.success());
}

#[test]
fn a_bad_json_line_is_named() {
    let out = run_stdin(&["analyze"], b"{\"text\":\"hi\"}\n{not json\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
}

#[test]
fn train_writes_models_and_reports_held_out_accuracy() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let extra = dir.path().join("mine.jsonl");
    std::fs::write(&extra, "{\"text\": \"Pls send PI for 2x40HQ, deposit ready\", \"lang\": \"en\", \"stage\": \"decision\", \"concerns\": [], \"spam\": false}\n")?;
    let out_dir = dir.path().join("models");
    let out = run(&[
        "train",
        &extra.to_string_lossy(),
        "--out",
        &out_dir.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r = json(&out);
    assert!(r["report"]["stage"]["accuracy"]
        .as_f64()
        .is_some_and(|a| a > 0.5));
    assert!(out_dir.join("stage.bin").exists() && out_dir.join("spam.bin").exists());
    Ok(())
}
