//! Helpers for running the `tradescout` binary in tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tradescout"));
    c.env_remove("TRADESCOUT_DB")
        .env_remove("TRADESCOUT_CONFIG")
        .env("TRADESCOUT_LANG", "en");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run tradescout: {e}"))
}

pub fn run_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run tradescout: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("tradescout did not finish: {e}"))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            stdout(o),
            stderr(o)
        )
    })
}

pub fn db_url(dir: &Path) -> String {
    format!("sqlite:{}", dir.join("t.sqlite").display())
}

/// An mbox of `n` distinct messages, three to a thread.
pub fn write_mbox(path: &Path, n: usize) {
    let mut out = String::new();
    for i in 0..n {
        let t = i / 3;
        out.push_str(&format!(
            "From buyer{t}@example.com Mon Mar  3 10:00:00 2025\nFrom: buyer{t}@example.com\nTo: sales@factory.cn\nSubject: Inquiry {t}\nMessage-ID: <m{i}@example.com>\nDate: Mon, 3 Mar 2025 10:{:02}:00 +0000\n\nPlease quote item {i}.\n>From the catalogue, page {i}.\n\n",
            i % 60
        ));
    }
    std::fs::write(path, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
