//! `tradescout sync imap` against the real Dovecot that scripts/test starts: incremental,
//! resumable, nothing stored twice; TLS with the test CA.

mod common;
use common::*;
use std::time::Duration;
use tradescout_mail::imap::{ImapClient, ImapConfig, Security};

struct Server {
    host: String,
    tls_port: String,
    plain_port: String,
    user: String,
    password: String,
    ca: String,
}

fn server() -> Option<Server> {
    let get = |k: &str| std::env::var(k).ok();
    match (
        get("TRADESCOUT_TEST_IMAP_HOST"),
        get("TRADESCOUT_TEST_IMAP_TLS_PORT"),
        get("TRADESCOUT_TEST_IMAP_PLAIN_PORT"),
        get("TRADESCOUT_TEST_IMAP_USER"),
        get("TRADESCOUT_TEST_IMAP_PASSWORD"),
        get("TRADESCOUT_TEST_IMAP_CA"),
    ) {
        (Some(host), Some(tls_port), Some(plain_port), Some(user), Some(password), Some(ca)) => {
            Some(Server {
                host,
                tls_port,
                plain_port,
                user,
                password,
                ca,
            })
        }
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "TRADESCOUT_TEST_IMAP_* not set but CI=true: scripts/test must start Dovecot"
            );
            eprintln!("skipped: TRADESCOUT_TEST_IMAP_HOST not set (run scripts/test)");
            None
        }
    }
}

fn append(
    s: &Server,
    mailbox: &str,
    messages: &[String],
) -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let cfg = ImapConfig {
            host: s.host.clone(),
            port: s.plain_port.parse()?,
            user: s.user.clone(),
            password: s.password.clone(),
            security: Security::Plain,
            ca_file: None,
            timeout: Duration::from_secs(20),
        };
        let mut c = ImapClient::connect(&cfg).await?;
        let _ = c.create(mailbox).await;
        for m in messages {
            c.append(mailbox, m.as_bytes()).await?;
        }
        c.logout().await?;
        Ok(())
    })
}

fn msg(mailbox: &str, i: usize) -> String {
    format!(
        "From: buyer{i}@example.com\r\nTo: sales@factory.cn\r\nSubject: Inquiry {i}\r\nMessage-ID: <{mailbox}-{i}@example.com>\r\nDate: Mon, 3 Mar 2025 10:00:00 +0000\r\n\r\nPlease quote item {i}.\r\n"
    )
}

#[test]
fn sync_is_incremental_and_never_stores_a_message_twice() -> Result<(), Box<dyn std::error::Error>>
{
    let Some(s) = server() else { return Ok(()) };
    let dir = tempfile::tempdir()?;
    let db = db_url(dir.path());
    let mailbox = format!("Sync{}", std::process::id());
    append(
        &s,
        &mailbox,
        &(0..5).map(|i| msg(&mailbox, i)).collect::<Vec<_>>(),
    )?;
    let sync = |security: &str, port: &str| {
        let mut cmd = bin();
        cmd.env("TS_TEST_IMAP_PW", &s.password).args([
            "--db",
            &db,
            "sync",
            "imap",
            "--host",
            &s.host,
            "--port",
            port,
            "--user",
            &s.user,
            "--password-env",
            "TS_TEST_IMAP_PW",
            "--mailbox",
            &mailbox,
            security,
            "--ca-file",
            &s.ca,
            "--batch",
            "2",
            "--format",
            "json",
        ]);
        cmd.output()
    };
    let first = sync("--plain", &s.plain_port)?;
    assert!(first.status.success(), "{}", stderr(&first));
    let report = json(&first);
    assert_eq!(report["mailboxes"][0]["new"], 5, "{report}");

    append(
        &s,
        &mailbox,
        &(5..8).map(|i| msg(&mailbox, i)).collect::<Vec<_>>(),
    )?;
    let second = json(&sync("--tls", &s.tls_port)?);
    assert_eq!(second["mailboxes"][0]["new"], 3, "{second}");
    assert_eq!(second["mailboxes"][0]["duplicate"], 0, "{second}");

    let third = json(&sync("--starttls", &s.plain_port)?);
    assert_eq!(third["mailboxes"][0]["new"], 0, "{third}");

    // The same messages synced again from scratch (another account key) are duplicates.
    let mut other = bin();
    other.env("TS_TEST_IMAP_PW", &s.password).args([
        "--db",
        &db,
        "sync",
        "imap",
        "--host",
        "localhost",
        "--port",
        &s.plain_port,
        "--user",
        &s.user,
        "--password-env",
        "TS_TEST_IMAP_PW",
        "--mailbox",
        &mailbox,
        "--plain",
        "--format",
        "json",
    ]);
    let again = json(&other.output()?);
    assert_eq!(again["mailboxes"][0]["new"], 0, "{again}");
    assert_eq!(again["mailboxes"][0]["duplicate"], 8, "{again}");
    Ok(())
}

#[test]
fn a_missing_password_variable_is_bad_input_naming_the_variable() {
    let out = run(&[
        "--db",
        "sqlite::memory:",
        "sync",
        "imap",
        "--host",
        "127.0.0.1",
        "--user",
        "u",
        "--password-env",
        "TS_NO_SUCH_VAR",
        "--plain",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("TS_NO_SUCH_VAR"), "{}", stderr(&out));
}

#[test]
fn a_wrong_password_is_a_runtime_failure_naming_the_host() -> Result<(), Box<dyn std::error::Error>>
{
    let Some(s) = server() else { return Ok(()) };
    let out = bin()
        .env("TS_TEST_IMAP_PW", "wrong-password")
        .args([
            "--db",
            "sqlite::memory:",
            "sync",
            "imap",
            "--host",
            &s.host,
            "--port",
            &s.plain_port,
            "--user",
            &s.user,
            "--password-env",
            "TS_TEST_IMAP_PW",
            "--plain",
        ])
        .output()?;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&s.host), "{}", stderr(&out));
    Ok(())
}
