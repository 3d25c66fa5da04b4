//! A real server on a loopback port over SQLite or PostgreSQL (when `scripts/test` has
//! started one), seeded with one user per role, and a small client that keeps the session
//! cookie by hand.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tradescout_store::{NewUser, Store, UserRole};
use tradescout_web::{AppState, WebConfig};

pub type R<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub const PASSWORD: &str = "correct horse battery";

/// Every page of the app that is not a thread's brief.
pub const PAGES: [&str; 6] = [
    "/today",
    "/inbox",
    "/pipeline",
    "/insights",
    "/catalogue",
    "/settings",
];

pub struct App {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub tokens: std::collections::HashMap<&'static str, String>,
    _dir: Option<tempfile::TempDir>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

static PG_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The store for `backend`, or `None` when PostgreSQL is not available outside CI.
pub async fn store(backend: &str) -> R<Option<(Arc<dyn Store>, Option<tempfile::TempDir>)>> {
    if backend == "sqlite" {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite:{}", dir.path().join("web.sqlite").display());
        return Ok(Some((tradescout_store::open(&url).await?, Some(dir))));
    }
    let Ok(admin_url) = std::env::var("TRADESCOUT_TEST_PG_URL") else {
        if std::env::var("CI").as_deref() == Ok("true") {
            return Err(
                "TRADESCOUT_TEST_PG_URL is not set but CI=true: scripts/test must start PostgreSQL"
                    .into(),
            );
        }
        eprintln!("skipped: TRADESCOUT_TEST_PG_URL not set (run scripts/test)");
        return Ok(None);
    };
    let name = format!(
        "tsweb_{}_{}_{}",
        std::process::id(),
        PG_COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    );
    let admin = sqlx::PgPool::connect(&admin_url).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await?;
    admin.close().await;
    let (base, _) = admin_url
        .rsplit_once('/')
        .ok_or("TRADESCOUT_TEST_PG_URL has no database part")?;
    Ok(Some((
        tradescout_store::open(&format!("{base}/{name}")).await?,
        None,
    )))
}

/// Starts the app with users `admin`, `manager`, `rep1`, `rep2` (password [`PASSWORD`]) and
/// an API token for each.
pub async fn start(backend: &str, config: WebConfig) -> R<Option<App>> {
    let Some((store, dir)) = store(backend).await? else {
        return Ok(None);
    };
    let hash = tradescout_web::hash_password(PASSWORD)?;
    let mut tokens = std::collections::HashMap::new();
    for (name, role) in [
        ("admin", UserRole::Admin),
        ("manager", UserRole::Manager),
        ("rep1", UserRole::Rep),
        ("rep2", UserRole::Rep),
    ] {
        let id = store
            .create_user(&NewUser {
                name: name.into(),
                role,
                password_hash: hash.clone(),
                lang: Some("en".into()),
            })
            .await?;
        let (token, token_hash) = tradescout_web::new_api_token()?;
        store.add_api_token(id, &token_hash, "test").await?;
        tokens.insert(name, token);
    }
    let (base, stop) = serve(store.clone(), config).await?;
    Ok(Some(App {
        base,
        store,
        tokens,
        _dir: dir,
        _stop: stop,
    }))
}

/// Posts an inquiry through the API as `who`: the new thread's id (its analysis is in the
/// answer).
pub async fn post_inquiry(app: &App, who: &str, body: &str) -> R<i64> {
    let r = client()?
        .post(format!("{}/api/v1/inquiries", app.base))
        .bearer_auth(&app.tokens[who])
        .body(body.to_string())
        .send()
        .await?;
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await?;
    assert!(v["analysis"]["stage"]["label"].is_string(), "{v}");
    v["thread_id"].as_i64().ok_or_else(|| "no thread_id".into())
}

/// Serves `store` on a new loopback port: its base URL, and the sender that stops it when
/// dropped. Two of these on one store are two servers of one team.
pub async fn serve(
    store: Arc<dyn Store>,
    config: WebConfig,
) -> R<(String, tokio::sync::oneshot::Sender<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr: SocketAddr = listener.local_addr()?;
    let state = AppState::new(store, config)?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(tradescout_web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    Ok((format!("http://{addr}"), stop))
}

pub fn client() -> R<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// A signed-in browser: its session cookie and CSRF token.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

pub async fn sign_in(app: &App, name: &str) -> R<Browser> {
    let c = client()?;
    let r = c
        .post(format!("{}/login", app.base))
        .form(&[("name", name), ("password", PASSWORD)])
        .send()
        .await?;
    assert_eq!(r.status(), 303, "sign-in of {name}");
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?
        .to_string();
    assert!(r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("HttpOnly") && v.contains("SameSite=Lax")));
    let page = c
        .get(format!("{}/inbox", app.base))
        .header("cookie", &cookie)
        .send()
        .await?
        .text()
        .await?;
    let csrf = page
        .split("data-csrf=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or("no CSRF token on the page")?
        .to_string();
    Ok(Browser { cookie, csrf })
}

/// Runs `$body` against SQLite and PostgreSQL as two tests.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() -> common::R {
                $body("sqlite").await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() -> common::R {
                $body("postgres").await
            }
        }
    };
}
