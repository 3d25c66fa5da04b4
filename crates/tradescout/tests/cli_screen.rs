//! `tradescout screen NAME`: JSON and text reports against the sanctions crate's fixture lists,
//! lists from the config file, and the errors for no list, an unknown file and a bad country.

#![allow(clippy::unwrap_used)]

mod common;
use common::*;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tradescout-sanctions/tests/fixtures"
);

fn lists() -> Vec<String> {
    ["ofac/sdn.csv", "un_consolidated.xml", "targets.simple.csv"]
        .iter()
        .flat_map(|f| ["--sanctions".to_string(), format!("{FIXTURES}/{f}")])
        .collect()
}

fn screen(extra: &[&str]) -> std::process::Output {
    let lists = lists();
    let mut args: Vec<&str> = vec!["screen"];
    args.extend_from_slice(extra);
    args.extend(lists.iter().map(String::as_str));
    run(&args)
}

#[test]
fn json_report_names_the_screened_lists_and_the_hit_with_its_contract_fields() {
    let out = screen(&[
        "Mohammed Al-Rashid Trading LLC",
        "--country",
        "AE",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["name"], "Mohammed Al-Rashid Trading LLC");
    assert_eq!(v["country"], "AE");
    let lists = v["screened_lists"].as_array().unwrap();
    let names: Vec<&str> = lists.iter().filter_map(|l| l["name"].as_str()).collect();
    assert_eq!(names, ["ofac_sdn", "un_consolidated", "opensanctions"]);
    assert_eq!(lists[0]["entries"], 24);
    let hit = &v["hits"][0];
    assert_eq!(hit["entry_id"], "7101");
    assert_eq!(hit["list"], "ofac_sdn");
    assert_eq!(hit["name"], "AL RASHID, Mohammad");
    let score = hit["score"].as_f64().unwrap();
    assert!((0.88..=1.0).contains(&score), "{score}");
}

#[test]
fn a_cyrillic_name_hits_and_an_unlisted_look_alike_does_not() {
    let hit = json(&screen(&["Александр Морозов", "--format", "json"]));
    assert_eq!(hit["hits"][0]["entry_id"], "NK-fx002");
    let miss = json(&screen(&["Greenlight Supplies Ltd", "--format", "json"]));
    assert_eq!(miss["hits"].as_array().map(Vec::len), Some(0));
}

#[test]
fn text_report_lists_the_hit_and_its_list() {
    let out = screen(&["Koryo Unitrade"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Koryo Unitrade"), "{text}");
    assert!(text.contains("un_consolidated KPe.901"), "{text}");
    assert!(text.contains("KORYO UNITED TRADING CORPORATION"), "{text}");
}

#[test]
fn lists_come_from_the_config_file_when_no_flag_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[sanctions]\nlists = [\"{FIXTURES}/un_consolidated.xml\"]\n"),
    )
    .unwrap();
    let out = bin()
        .args(["--config"])
        .arg(&config)
        .args(["screen", "Kim Song Chol", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["screened_lists"][0]["name"], "un_consolidated");
    assert_eq!(v["hits"][0]["entry_id"], "KPi.901");
}

#[test]
fn no_list_at_all_is_bad_usage_saying_where_to_get_the_lists_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("empty.toml");
    std::fs::write(&config, "").unwrap();
    let out = bin()
        .arg("--config")
        .arg(&config)
        .args(["screen", "Acme"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for needle in [
        "sdn.csv",
        "alt.csv",
        "add.csv",
        "consolidated.xml",
        "targets.simple.csv",
        "--sanctions",
    ] {
        assert!(err.contains(needle), "{needle} missing: {err}");
    }
    let zh = bin()
        .arg("--config")
        .arg(&config)
        .args(["--lang", "zh-CN", "screen", "Acme"])
        .output()
        .unwrap();
    assert_eq!(zh.status.code(), Some(2));
    assert!(stderr(&zh).contains("制裁名单"), "{}", stderr(&zh));
}

#[test]
fn a_file_that_is_no_list_is_bad_input_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("customers.csv");
    std::fs::write(&path, "name,email\nAcme,a@acme.test\n").unwrap();
    let out = run(&["screen", "Acme", "--sanctions", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("customers.csv"), "{}", stderr(&out));
}

#[test]
fn an_unknown_country_is_bad_input() {
    let out = screen(&["Acme", "--country", "Atlantis"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Atlantis"), "{}", stderr(&out));
}

fn lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_batch_of_names_gives_one_json_line_each_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("buyers.txt");
    std::fs::write(
        &path,
        "\u{feff}Mohammed Al-Rashid Trading LLC\n\nGreenlight Supplies Ltd\nАлександр Морозов\n",
    )
    .unwrap();
    let out = screen(&["--file", &path.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["line"], 1);
    assert_eq!(got[0]["hits"][0]["entry_id"], "7101");
    assert_eq!(got[1]["line"], 3);
    assert_eq!(got[1]["hits"].as_array().map(Vec::len), Some(0));
    assert_eq!(got[2]["hits"][0]["entry_id"], "NK-fx002");
    assert!(
        stderr(&out).contains("screened 3 names, 2 with possible matches, 0 lines not screened"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_csv_batch_reads_its_country_column_and_a_bad_line_fails_the_run_not_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("buyers.csv");
    std::fs::write(
        &path,
        "Company;Country\n\"Acme, Inc.\";US\nMohammed Al-Rashid Trading LLC;AE\nNobody Ltd;Atlantis\n;DE\n",
    )
    .unwrap();
    let out = screen(&["--file", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 4, "{}", stdout(&out));
    assert_eq!(got[0]["name"], "Acme, Inc.");
    assert_eq!(got[0]["country"], "US");
    assert_eq!(got[1]["country"], "AE");
    assert_eq!(got[1]["hits"][0]["entry_id"], "7101");
    assert!(got[2]["error"].as_str().unwrap().contains("Atlantis"));
    assert!(got[3]["error"].is_string());
    let err = stderr(&out);
    assert!(
        err.contains("buyers.csv") && err.contains("line 4"),
        "{err}"
    );
}

#[test]
fn a_name_and_a_file_together_are_refused() {
    let out = screen(&["Acme", "--file", "names.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_batch_reads_stdin_and_name_country_lines_without_a_header() {
    let lists = lists();
    let mut args: Vec<&str> = vec!["screen", "--file", "-"];
    args.extend(lists.iter().map(String::as_str));
    let out = run_stdin(
        &args,
        "Mohammed Al-Rashid Trading LLC,AE\nAcme, Inc.\nGreenlight Supplies Ltd,Brazil\nAcme, Co.\nFoo, SA\n"
            .as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 5);
    assert_eq!(got[0]["country"], "AE");
    // Legal forms are not read as country codes.
    assert_eq!(got[3]["name"], "Acme, Co.");
    assert_eq!(got[4]["name"], "Foo, SA");
    assert!(got[3].get("country").is_none() && got[4].get("country").is_none());
    assert_eq!(got[0]["hits"][0]["entry_id"], "7101");
    assert_eq!(got[0]["screened_lists"].as_array().map(Vec::len), Some(3));
    assert_eq!(got[1]["name"], "Acme, Inc.");
    assert!(got[1].get("country").is_none());
    assert_eq!(got[2]["country"], "BR");
}
