//! The product in a real headless Chromium (Debian's `chromium` + `chromium-driver`, found
//! through the variables `scripts/test` sets): sign in, open the inbox and a brief, move a
//! deal, view insights in both languages — with screenshots kept as artifacts — and check
//! that a malicious email's script does not run when its brief is opened.
//! WebDriver is spoken directly over HTTP; no driver crate is needed.

mod common;

use common::R;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tradescout_web::{demo, AppState, WebConfig};

struct Driver {
    child: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    shots: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start(chromedriver: &str, chromium: &str) -> R<Driver> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let mut driver = Driver {
            child,
            base,
            session: String::new(),
            http,
            shots: artifacts_dir()?,
        };
        for _ in 0..100 {
            if let Ok(r) = driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await
            {
                if r.status().is_success() {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--lang=en-US"]
            }
        }}});
        let v: Value = driver
            .http
            .post(format!("{}/session", driver.base))
            .json(&caps)
            .send()
            .await?
            .json()
            .await?;
        driver.session = v["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no WebDriver session: {v}"))?
            .to_string();
        Ok(driver)
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> R<Value> {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await?.json().await?;
        if v["value"].get("error").is_some() {
            return Err(format!("WebDriver {path}: {}", v["value"]).into());
        }
        Ok(v["value"].clone())
    }

    async fn go(&self, url: &str) -> R {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await?;
        Ok(())
    }

    async fn find(&self, css: &str) -> R<String> {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await?;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|id| id.as_str())
            .map(str::to_string)
            .ok_or_else(|| format!("no element {css}").into())
    }

    async fn click(&self, css: &str) -> R {
        let id = self.find(css).await?;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await?;
        Ok(())
    }

    async fn type_into(&self, css: &str, text: &str) -> R {
        let id = self.find(css).await?;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await?;
        Ok(())
    }

    async fn text(&self, css: &str) -> R<String> {
        let id = self.find(css).await?;
        let v = self
            .cmd(reqwest::Method::GET, &format!("/element/{id}/text"), None)
            .await?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    async fn script(&self, js: &str) -> R<Value> {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
        .await
    }

    /// Waits (up to 10 s) until the expression is true: a click that submits a form may
    /// return before the next page has loaded.
    async fn wait_until(&self, js: &str) -> R {
        for _ in 0..100 {
            if let Ok(v) = self.script(&format!("return !!({js})")).await {
                if v.as_bool() == Some(true) {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("timed out waiting for {js}").into())
    }

    async fn screenshot(&self, name: &str) -> R {
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await?;
        let png = decode_base64(v.as_str().unwrap_or(""))?;
        std::fs::write(self.shots.join(format!("{name}.png")), png)?;
        Ok(())
    }
}

fn artifacts_dir() -> R<PathBuf> {
    let dir = std::env::var("TRADESCOUT_ARTIFACTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("tradescout-artifacts"))
        .join("browser");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn decode_base64(s: &str) -> R<Vec<u8>> {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()) {
        let v = T.iter().position(|t| *t == c).ok_or("bad base64")? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok(out)
}

const EVIL: &str = "From: Mallory <buyer@evil-buyer.example>\r\nSubject: Urgent order\r\n\
Message-ID: <evil-browser@evil-buyer.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n\
<p>Please quote 300 pcs.</p><script>window.top.document.title='pwned';alert('pwned')</script>\
<img src=x onerror=\"window.top.document.title='pwned'\">\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_uses_the_app_in_chromium_and_a_malicious_email_stays_inert() -> R {
    let (Ok(chromedriver), Ok(chromium)) = (
        std::env::var("TRADESCOUT_TEST_CHROMEDRIVER"),
        std::env::var("TRADESCOUT_TEST_CHROMIUM"),
    ) else {
        if std::env::var("CI").as_deref() == Ok("true") {
            return Err("TRADESCOUT_TEST_CHROMEDRIVER is not set but CI=true: scripts/test must install chromium".into());
        }
        eprintln!("skipped: TRADESCOUT_TEST_CHROMEDRIVER not set (run scripts/test)");
        return Ok(());
    };
    let Some((store, _dir)) = common::store("sqlite").await? else {
        return Ok(());
    };
    demo::build(store.as_ref(), tradescout_core::Lang::En).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let app = format!("http://{}", listener.local_addr()?);
    let state = AppState::new(store.clone(), WebConfig::default())?;
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(tradescout_web::serve(listener, state, async {
        let _ = stopped.await;
    }));

    let d = Driver::start(&chromedriver, &chromium).await?;
    d.go(&format!("{app}/login")).await?;
    d.type_into("#name", "anna").await?;
    d.type_into("#password", demo::DEMO_PASSWORD).await?;
    d.click("#login-submit").await?;
    d.wait_until("document.querySelector('#whoami')").await?;
    assert!(d.text("#whoami").await?.contains("anna"));
    // Signing in lands on Today.
    let today = d
        .script("return document.querySelectorAll('#today, #today-empty').length")
        .await?;
    assert!(today.as_u64().unwrap_or(0) >= 1, "not on Today: {today}");
    d.screenshot("00-today-en").await?;
    d.go(&format!("{app}/inbox")).await?;
    d.wait_until("document.querySelector('#inbox')").await?;
    let rows = d
        .script("return document.querySelectorAll('#inbox tr.thread').length")
        .await?;
    assert!(rows.as_u64().unwrap_or(0) >= 1, "inbox rows: {rows}");
    d.screenshot("01-inbox-en").await?;

    d.click("#inbox .thread-link").await?;
    d.wait_until("document.querySelector('#brief-title')")
        .await?;
    assert!(!d.text("#brief-title").await?.is_empty());
    assert!(!d.text("#stage").await?.is_empty());
    d.screenshot("02-brief-en").await?;

    // Move a deal with the board's own form.
    let deals = store
        .list_deals(&tradescout_store::DealFilter {
            owner_user_id: store.user_by_name("anna").await?.map(|u| u.id),
            outcome: Some("open".into()),
            limit: 1,
        })
        .await?;
    let deal = deals.first().ok_or("anna has no open deal")?;
    let target = if deal.stage == "decision" {
        "evaluation"
    } else {
        "decision"
    };
    d.go(&format!("{app}/pipeline")).await?;
    d.screenshot("03-pipeline-before").await?;
    d.click(&format!("#deal-{} select option[value={target}]", deal.id))
        .await?;
    d.click(&format!("#deal-{} form.move button", deal.id))
        .await?;
    let mut history = store.deal_history(&deal.id).await?;
    for _ in 0..100 {
        if history.last().map(|h| h.0.as_str()) == Some(target) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        history = store.deal_history(&deal.id).await?;
    }
    assert_eq!(history.last().map(|h| h.0.as_str()), Some(target));
    assert_eq!(history.last().map(|h| h.2.as_str()), Some("anna"));
    d.screenshot("04-pipeline-after").await?;

    d.go(&format!("{app}/insights")).await?;
    assert!(d.text("#summary").await?.contains("Deals"));
    d.screenshot("05-insights-en").await?;
    d.click("#switch-lang").await?;
    d.wait_until("document.documentElement.lang === 'zh-CN'")
        .await?;
    let title = d.script("return document.title").await?;
    assert!(
        title.as_str().is_some_and(|t| t.contains("洞察")),
        "title {title}"
    );
    d.screenshot("06-insights-zh").await?;

    // Paste the malicious email, open its brief and its original HTML.
    d.go(&format!("{app}/inbox")).await?;
    d.type_into("#new-inquiry textarea", EVIL).await?;
    d.click("#new-inquiry button").await?;
    d.wait_until("document.querySelector('#conversation')")
        .await?;
    d.click("#conversation details summary").await?;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let title = d.script("return document.title").await?;
    assert!(
        title.as_str().is_some_and(|t| !t.contains("pwned")),
        "title {title}"
    );
    let alert = d.cmd(reqwest::Method::GET, "/alert/text", None).await;
    assert!(alert.is_err(), "an alert opened: {alert:?}");
    let frame_has_script = d
        .script("var f=document.querySelector('iframe.mail'); try { return f.contentDocument ? f.contentDocument.querySelectorAll('script').length : -1 } catch(e) { return -2 }")
        .await?;
    assert!(
        frame_has_script.as_i64().is_some_and(|n| n <= 0),
        "{frame_has_script}"
    );
    d.screenshot("07-malicious-brief").await?;

    // Every page, in both languages, as the manager (who sees every thread): no message key,
    // no Markdown marker, and on zh pages no English word of the interface.
    d.cmd(reqwest::Method::DELETE, "/cookie", None).await?;
    d.go(&format!("{app}/login")).await?;
    d.type_into("#name", demo::DEMO_MANAGER).await?;
    d.type_into("#password", demo::DEMO_PASSWORD).await?;
    d.click("#login-submit").await?;
    d.wait_until("document.querySelector('#whoami')").await?;
    let threads = store
        .list_threads(&tradescout_store::ThreadFilter {
            limit: 1000,
            ..Default::default()
        })
        .await?;
    let mut pages: Vec<String> = common::PAGES.map(String::from).to_vec();
    pages.extend(threads.iter().map(|t| format!("/threads/{}", t.id)));
    let mut problems: Vec<String> = Vec::new();
    for lang in ["zh-CN", "en"] {
        let now = d.script("return document.documentElement.lang").await?;
        if now.as_str() != Some(lang) {
            d.click("#switch-lang").await?;
            d.wait_until(&format!("document.documentElement.lang === '{lang}'"))
                .await?;
        }
        for page in &pages {
            d.go(&format!("{app}{page}")).await?;
            d.wait_until("document.readyState === 'complete'").await?;
            // An error page in Chinese would pass the word checks: the page must be a 200
            // with the signed-in header.
            let status = d
                .script("var n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : 0")
                .await?;
            let header = d
                .script("return !!document.querySelector('#whoami')")
                .await?;
            if status.as_u64() != Some(200) || header.as_bool() != Some(true) {
                problems.push(format!(
                    "{lang} {page}: status {status}, signed-in header {header}"
                ));
                continue;
            }
            let text = d.script(INTERFACE_TEXT).await?;
            let text = text.as_str().unwrap_or("");
            // Kept beside the screenshots, for a person to read what the check read.
            let name = format!("text-{lang}{}.txt", page.replace('/', "-"));
            std::fs::write(d.shots.join(name), text)?;
            problems.extend(
                interface_problems(text, lang == "zh-CN")
                    .into_iter()
                    .map(|p| format!("{lang} {page}: {p}")),
            );
        }
        d.go(&format!("{app}/today")).await?;
        d.screenshot(&format!("08-today-{lang}")).await?;
        d.go(&format!("{app}/pipeline")).await?;
        d.screenshot(&format!("09-pipeline-{lang}")).await?;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let _ = d.cmd(reqwest::Method::DELETE, "", None).await;
    Ok(())
}

/// The page's visible text without what buyers wrote (mail, quoted evidence, subjects, names,
/// the proposal in the buyer's language) and without form values.
const INTERFACE_TEXT: &str = "var b = document.body.cloneNode(true); \
    b.querySelectorAll('.evidence, .message, .mail, .body, .proposal, .proposal-text, iframe, \
    textarea, input, select, script, style, .buyer-text, .thread-link, .subject, td.who, \
    .deal strong, .deal .small.muted, #closed td:first-child, .reasons, .ai-opinion, pre, code') \
    .forEach(function (e) { e.remove(); }); return b.innerText;";

/// English interface words that must not show on a zh page, and markers of raw keys or
/// Markdown anywhere.
fn interface_problems(text: &str, zh: bool) -> Vec<String> {
    const ENGLISH: &[&str] = &[
        "Inbox",
        "Pipeline",
        "Insights",
        "Settings",
        "Catalogue",
        "Sign out",
        "Today",
        "Stage",
        "Concerns",
        "Next step",
        "Questions to ask",
        "Proposal",
        "Background check",
        "Lead score",
        "Won",
        "Lost",
        "Move",
        "Close",
        "Value not known yet",
        "days ago",
        "opened today",
        "(header)",
        "(signature)",
        "Buyer not named yet",
        "messages",
        "Evidence",
        "Confidence",
        "Risk",
        "Spam",
        "Not spam",
        "Correct",
        "Save",
        "Language",
        "Country",
        "Subject",
        "need_recognition",
        "evaluation",
        "implementation",
        "decision",
        "shipping_logistics",
        "supplier_credibility",
        "payment_terms",
        "delivery_time",
        "warranty_after_sales",
        "no_response",
        "brand_owner",
        "situation",
        "need_payoff",
        "ip_rating",
        "unsure",
    ];
    let mut out = Vec::new();
    if zh && !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        out.push(format!(
            "not in Chinese: {}",
            text.chars().take(200).collect::<String>()
        ));
    }
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("## ") || l.starts_with("# ") || l.contains("|---") || l.contains("**") {
            out.push(format!("Markdown: {l}"));
        }
        for word in l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')) {
            let w = word.trim_matches('.');
            let mut parts = w.split('.');
            let is_key = parts.clone().count() >= 2
                && parts.all(|p| {
                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                })
                && !w.contains("..");
            if is_key
                && [
                    "web.",
                    "report.",
                    "stage.",
                    "spam.",
                    "coach.",
                    "label.",
                    "insights.",
                    "today.",
                    "business_type.",
                    "concern.",
                    "company.",
                    "fact.",
                    "spec.",
                    "scout.",
                ]
                .iter()
                .any(|k| w.starts_with(k))
            {
                out.push(format!("message key: {w}"));
            }
            // An internal value name ("warranty_years", "trading_company").
            let snake = w.contains('_')
                && !w.starts_with('_')
                && !w.ends_with('_')
                && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            // The catalogue's column names are a file format the user types, not interface words.
            if snake && w != "lead_time_days" {
                out.push(format!("internal name: {w}"));
            }
        }
        if zh {
            for e in ENGLISH {
                let hit = l.match_indices(e).any(|(i, _)| {
                    let before = l[..i].chars().next_back();
                    let after = l[i + e.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                if hit {
                    out.push(format!("English \"{e}\": {l}"));
                }
            }
        }
    }
    out
}
