//! Runs every fixture in `tests/fixtures/replies/`. A fixture is one file of sections:
//!
//! ```text
//! == what: the client style or edge case it exercises
//! == from
//! …who sent it, as a From header names them (section absent: not known)…
//! == body
//! …the message body…
//! == text
//! …expected `Reply::without_signature()`…
//! == signature
//! …expected signature (section absent: no signature expected)…
//! == history
//! from | date | subject | first line of text   (one line per earlier message, oldest first)
//! ```

use std::fs;
use std::path::Path;

use tradescout_mail::split::{split_history, split_reply, split_reply_from};

struct Fixture {
    name: String,
    body: String,
    from: Option<String>,
    text: String,
    signature: Option<String>,
    history: Option<Vec<String>>,
}

fn sections(name: &str, raw: &str) -> Fixture {
    let mut cur: Option<String> = None;
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in raw.split_inclusive('\n') {
        if let Some(h) = line.strip_prefix("== ") {
            let key = h.trim().split(':').next().unwrap_or("").trim().to_owned();
            parts.push((key.clone(), String::new()));
            cur = Some(key);
            continue;
        }
        if cur.is_some() {
            if let Some(last) = parts.last_mut() {
                last.1.push_str(line);
            }
        }
    }
    let get = |k: &str| parts.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let strip_nl = |s: String| s.strip_suffix('\n').map(str::to_owned).unwrap_or(s);
    Fixture {
        name: name.to_owned(),
        body: strip_nl(get("body").unwrap_or_default()),
        from: get("from").map(|s| s.trim().to_owned()),
        text: get("text").unwrap_or_default().trim().to_owned(),
        signature: get("signature").map(|s| s.trim().to_owned()),
        history: get("history").map(|h| {
            h.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_owned())
                .collect()
        }),
    }
}

fn load() -> Vec<Fixture> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/replies");
    let mut names: Vec<_> = fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    names.sort();
    names
        .iter()
        .map(|p| {
            let raw = fs::read_to_string(p).unwrap_or_default();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            sections(&name, &raw)
        })
        .collect()
}

#[test]
fn split_fixtures_give_expected_text_signature_and_history() {
    let fixtures = load();
    assert!(
        fixtures.len() >= 30,
        "expected the fixture suite, found {}",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for f in &fixtures {
        let reply = match &f.from {
            Some(sender) => split_reply_from(&f.body, sender),
            None => split_reply(&f.body),
        };
        if reply.without_signature() != f.text {
            failures.push(format!(
                "{}: text\n--- expected\n{}\n--- got\n{}\n",
                f.name,
                f.text,
                reply.without_signature()
            ));
        }
        if reply.signature.as_deref().map(str::trim) != f.signature.as_deref() {
            failures.push(format!(
                "{}: signature\n--- expected\n{:?}\n--- got\n{:?}\n",
                f.name, f.signature, reply.signature
            ));
        }
        if let Some(expected) = &f.history {
            let got: Vec<String> = split_history(&f.body)
                .iter()
                .map(|m| {
                    format!(
                        "{} | {} | {} | {}",
                        m.from.as_deref().unwrap_or("-"),
                        m.date.as_deref().unwrap_or("-"),
                        m.subject.as_deref().unwrap_or("-"),
                        m.text.lines().next().unwrap_or("-")
                    )
                })
                .collect();
            if &got != expected {
                failures.push(format!(
                    "{}: history\n--- expected\n{}\n--- got\n{}\n",
                    f.name,
                    expected.join("\n"),
                    got.join("\n")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
