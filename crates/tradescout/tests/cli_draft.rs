//! `tradescout draft` against an OpenAI-compatible server started by the test: the request
//! carries our analysis and keeps the inquiry as delimited data; invented prices and
//! certificates in the answer are flagged; without an endpoint the command says so.

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/inquiries");

/// The server's base URL and the request body it received.
type Served = (String, Arc<Mutex<String>>);

/// Serves one chat completion; returns the base URL and the request body it received.
fn one_shot_server(answer: &'static str) -> Result<Served, Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/v1", listener.local_addr()?);
    let seen = Arc::new(Mutex::new(String::new()));
    let seen2 = seen.clone();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            loop {
                let Ok(n) = s.read(&mut chunk) else { return };
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some(i) = text.find("\r\n\r\n") {
                    let len = text[..i]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if buf.len() >= i + 4 + len {
                        if let Ok(mut g) = seen2.lock() {
                            *g = String::from_utf8_lossy(&buf[i + 4..]).to_string();
                        }
                        break;
                    }
                }
            }
            let body = serde_json::json!({
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 321, "completion_tokens": 45}
            })
            .to_string();
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    Ok((url, seen))
}

#[test]
fn without_an_endpoint_draft_exits_2_and_says_how_to_configure_one() {
    let out = bin()
        .env_remove("TRADESCOUT_LLM_BASE_URL")
        .env_remove("TRADESCOUT_LLM_MODEL")
        .args(["draft", "-"])
        .output();
    let out = out.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("TRADESCOUT_LLM_BASE_URL"));
}

#[test]
fn a_draft_flags_invented_prices_and_certificates_and_keeps_the_inquiry_as_data(
) -> Result<(), Box<dyn std::error::Error>> {
    let (url, seen) = one_shot_server("Dear Tom,\n\nThank you. For 500 pcs our price is USD 12.50, or USD 3.15 with UL approval.\nWhere will the lights be installed?")?;
    let dir = tempfile::tempdir()?;
    let out = bin()
        .env("TRADESCOUT_LLM_BASE_URL", &url)
        .env("TRADESCOUT_LLM_MODEL", "test-model")
        .env("TRADESCOUT_LLM_API_KEY", "sk-test-key")
        .args([
            "--db",
            &db_url(dir.path()),
            "draft",
            &format!("{EXAMPLES}/01-floodlight-inquiry.eml"),
        ])
        .output()?;
    assert!(out.status.success(), "{}", stderr(&out));
    let d = json(&out);
    assert!(d["draft"].as_str().unwrap_or("").starts_with("Dear Tom"));
    assert_eq!(d["language"], "en");
    let flagged: Vec<String> = d["unsupported"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|u| u["text"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        flagged.contains(&"USD 3.15".to_string()) && flagged.contains(&"UL".to_string()),
        "{flagged:?}"
    );
    assert!(
        !flagged
            .iter()
            .any(|f| f.contains("12.50") || f.contains("500 pcs")),
        "{flagged:?}"
    );
    assert_eq!(d["usage"]["prompt_tokens"], 321);
    let request: serde_json::Value =
        serde_json::from_str(&seen.lock().map(|g| g.clone()).unwrap_or_default())?;
    assert_eq!(request["model"], "test-model");
    let system = request["messages"][0]["content"].as_str().unwrap_or("");
    let user = request["messages"][1]["content"].as_str().unwrap_or("");
    assert!(system.contains("data") && !system.contains("Please quote"));
    assert!(user.contains("<<<INQUIRY-") && user.contains("Please quote 500 pcs"));
    assert!(!user.contains("sk-test-key") && !system.contains("sk-test-key"));
    Ok(())
}

#[test]
fn a_draft_may_quote_the_stored_catalogue_and_offers_its_matching_products(
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = db_url(dir.path());
    let catalogue = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/coach/catalogue_en.csv"
    );
    let out = bin()
        .args(["--db", &db, "catalog", "import", catalogue])
        .output()?;
    assert!(out.status.success(), "{}", stderr(&out));
    let (url, seen) = one_shot_server("Dear Tom,\n\nOur FL100-65 is USD 9.50 per piece, MOQ 100 pcs, lead time 15 days, with CE and RCM. A special run would be USD 7.77.")?;
    let out = bin()
        .env("TRADESCOUT_LLM_BASE_URL", &url)
        .env("TRADESCOUT_LLM_MODEL", "test-model")
        .args([
            "--db",
            &db,
            "draft",
            &format!("{EXAMPLES}/01-floodlight-inquiry.eml"),
        ])
        .output()?;
    assert!(out.status.success(), "{}", stderr(&out));
    let d = json(&out);
    let flagged: Vec<String> = d["unsupported"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|u| u["text"].as_str().unwrap_or("").to_string())
        .collect();
    // Catalogue values are supported; only the invented price is not.
    assert!(flagged.iter().any(|f| f.contains("7.77")), "{flagged:?}");
    assert!(
        !flagged
            .iter()
            .any(|f| f.contains("9.50") || f.contains("15 days") || f == "RCM" || f == "CE"),
        "{flagged:?}"
    );
    let request: serde_json::Value =
        serde_json::from_str(&seen.lock().map(|g| g.clone()).unwrap_or_default())?;
    let user = request["messages"][1]["content"].as_str().unwrap_or("");
    assert!(
        user.contains("FL100-65"),
        "no matched product offered: {user}"
    );
    Ok(())
}
