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
fn train_starts_from_the_shipped_models_and_reports_before_and_after(
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let extra = dir.path().join("mine.jsonl");
    let lines = [
        ("Pls send PI for 2x40HQ, deposit ready", "decision"),
        (
            "We transferred the 30% deposit this morning, slip attached",
            "decision",
        ),
        (
            "Containers arrived in Mombasa, 4 cartons crushed, need replacement",
            "implementation",
        ),
        (
            "Please print our logo on the cartons and ship by the vessel on the 8th",
            "implementation",
        ),
        (
            "Your price is 12% above the other factory, can you match 3.10?",
            "concerns",
        ),
        (
            "We can only do 30% deposit and balance against B/L copy",
            "concerns",
        ),
        (
            "Quote 800 pcs 50W flood light IP66, 4000K, CIF Durban",
            "evaluation",
        ),
        (
            "Can you send two samples of the 1.7L kettle with UK plug?",
            "evaluation",
        ),
        (
            "We are a hardware chain in Lima, please send your catalogue",
            "need_recognition",
        ),
        (
            "Interested in your solar lights, do you have a price list?",
            "need_recognition",
        ),
    ];
    let mut text = String::new();
    for (i, (t, stage)) in lines.iter().enumerate() {
        text.push_str(&format!(
            "{{\"id\": \"u{i}\", \"text\": \"{t}\", \"language\": \"en\", \"stage\": \"{stage}\", \"concerns\": [], \"spam\": false}}\n"
        ));
    }
    std::fs::write(&extra, text)?;
    let out_dir = dir.path().join("models");
    let out = run(&[
        "train",
        &extra.to_string_lossy(),
        "--report",
        "--out",
        &out_dir.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r = json(&out);
    assert!(
        r["report"]["n_held_out_lines"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "{r}"
    );
    assert!(r["report"]["held_out"]["stage_accuracy"].is_number(), "{r}");
    assert!(r["before"]["held_out"]["stage_accuracy"].is_number(), "{r}");
    let saved = r["saved"].as_bool();
    assert!(saved.is_some(), "{r}");
    for f in ["stage.bin", "spam.bin", "concerns.bin"] {
        assert_eq!(out_dir.join(f).exists(), saved == Some(true), "{f}");
    }
    // A corpus line with an unknown label is bad input, named by file and line.
    std::fs::write(&extra, "{\"text\": \"hi\", \"stage\": \"ordering\"}\n")?;
    let out = run(&[
        "train",
        &extra.to_string_lossy(),
        "--out",
        &out_dir.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
    Ok(())
}

#[test]
fn binary_input_is_refused_with_exit_2() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("inquiry.pdf");
    std::fs::write(
        &file,
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>",
    )?;
    let out = run(&["analyze", &file.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("inquiry.pdf") && stderr(&out).contains("PDF"),
        "{}",
        stderr(&out)
    );
    let out = run_stdin(&["analyze"], b"\x00\x01\x02\x03garbage\x00\x00");
    assert_eq!(out.status.code(), Some(2));
    Ok(())
}

#[test]
fn a_scam_is_not_a_deal() {
    let scam = b"Hello,\nWe want 300 units of your flood lights. I will pay by credit card and my shipper will collect the goods from your factory. Please charge the card for the goods and pay my shipping agent the freight of USD 1,850 by Western Union.\nRegards, Mike";
    let out = run_stdin(&["analyze", "--format", "json"], scam);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = json(&out);
    assert_eq!(a["spam"]["is_spam"], true, "{a}");
    assert_eq!(a["stage"]["suppressed"], true, "{a}");
    assert!(a["request"]["target_price"].is_null(), "{a}");
    let reasons = a["spam"]["reasons"].to_string();
    assert!(reasons.contains("shipper"), "{reasons}");
    let out = run_stdin(&["coach", "--format", "json"], scam);
    let c = json(&out);
    assert_eq!(c["matches"].as_array().map(Vec::len), Some(0), "{c}");
    assert!(c["proposal"].is_null(), "{c}");
    let out = run_stdin(&["--lang", "en", "analyze", "--format", "md"], scam);
    let md = String::from_utf8_lossy(&out.stdout).to_string();
    let warning = md.find("spam").unwrap_or(usize::MAX);
    assert!(warning < md.find("Buyer").unwrap_or(0), "{md}");
}
