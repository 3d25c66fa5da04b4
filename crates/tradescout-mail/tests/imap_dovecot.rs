//! The IMAP client against a real Dovecot, started by `scripts/test` (scripts/lib/services.sh),
//! which exports TRADESCOUT_TEST_IMAP_{HOST,TLS_PORT,PLAIN_PORT,USER,PASSWORD,CA}.
//! Without them these tests print that they were skipped, and fail when CI=true.
#![cfg(feature = "imap")]

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tradescout_mail::imap::{FetchBatch, ImapClient, ImapConfig, Security, SkipReason};
use tradescout_mail::MailError;

struct TestServer {
    host: String,
    tls_port: u16,
    plain_port: u16,
    user: String,
    password: String,
    ca: PathBuf,
}

/// The Dovecot from the environment, or `None` (after saying so) when it is not set up.
fn test_server() -> Option<TestServer> {
    let Ok(host) = std::env::var("TRADESCOUT_TEST_IMAP_HOST") else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "TRADESCOUT_TEST_IMAP_HOST not set and CI=true: run the tests with scripts/test"
            );
        }
        println!("skipped: TRADESCOUT_TEST_IMAP_HOST not set (run scripts/test)");
        return None;
    };
    Some(TestServer {
        host,
        tls_port: port_var("TRADESCOUT_TEST_IMAP_TLS_PORT"),
        plain_port: port_var("TRADESCOUT_TEST_IMAP_PLAIN_PORT"),
        user: var("TRADESCOUT_TEST_IMAP_USER"),
        password: var("TRADESCOUT_TEST_IMAP_PASSWORD"),
        ca: PathBuf::from(var("TRADESCOUT_TEST_IMAP_CA")),
    })
}

fn var(name: &str) -> String {
    match std::env::var(name) {
        Ok(v) => v,
        Err(_) => panic!("TRADESCOUT_TEST_IMAP_HOST is set but {name} is not"),
    }
}

fn port_var(name: &str) -> u16 {
    let value = var(name);
    match value.parse() {
        Ok(port) => port,
        Err(_) => panic!("{name}={value:?} is not a port number"),
    }
}

impl TestServer {
    fn config(&self, security: Security) -> ImapConfig {
        let (port, ca_file) = match security {
            Security::Tls => (self.tls_port, Some(self.ca.clone())),
            Security::StartTls => (self.plain_port, Some(self.ca.clone())),
            Security::Plain => (self.plain_port, None),
        };
        ImapConfig {
            host: self.host.clone(),
            port,
            user: self.user.clone(),
            password: self.password.clone(),
            security,
            ca_file,
            timeout: Duration::from_secs(10),
        }
    }
}

/// A mailbox name no other test run uses.
fn unique_mailbox(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

/// A small buyer inquiry with CRLF line ends (as IMAP stores them, so the fetched bytes must
/// match exactly) and an 8-bit UTF-8 body, as many Chinese mail clients send.
fn inquiry(n: usize) -> Vec<u8> {
    format!(
        "From: Buyer {n} <buyer{n}@example.com>\r\n\
         To: sales@example.cn\r\n\
         Subject: Inquiry {n}: LED panel lights, 600x600\r\n\
         Message-ID: <inquiry-{n}@example.com>\r\n\
         Date: Mon, 4 Mar 2024 10:0{d}:00 +0000\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\
         \r\n\
         Please quote 2000 pcs FOB Ningbo. 请报价，谢谢。 ({n})\r\n",
        d = n % 10
    )
    .into_bytes()
}

/// Everything fetched by one `fetch_after` run, batch by batch.
async fn fetch_all(
    client: &mut ImapClient,
    after_uid: u32,
    batch: usize,
) -> Result<Vec<FetchBatch>, MailError> {
    let mut batches = Vec::new();
    client
        .fetch_after(after_uid, batch, 1 << 20, |b| {
            batches.push(b);
            Ok(())
        })
        .await?;
    Ok(batches)
}

/// Create, append 3, fetch them all; append 2, fetch only those; then nothing is new.
async fn incremental_sync(security: Security) -> Result<(), MailError> {
    let Some(server) = test_server() else {
        return Ok(());
    };
    let mut client = ImapClient::connect(&server.config(security)).await?;
    let mailbox = unique_mailbox(&format!("sync-{security:?}"));
    client.create(&mailbox).await?;
    for n in 1..=3 {
        client.append(&mailbox, &inquiry(n)).await?;
    }
    let status = client.select(&mailbox).await?;
    assert!(
        status.uidvalidity > 0,
        "UIDVALIDITY must be set: {status:?}"
    );
    assert_eq!(status.exists, 3);

    // Batches of 2: two round trips, the second holding the third message.
    let batches = fetch_all(&mut client, 0, 2).await?;
    let sizes: Vec<usize> = batches.iter().map(|b| b.messages.len()).collect();
    assert_eq!(sizes, vec![2, 1]);
    let first: Vec<_> = batches.into_iter().flat_map(|b| b.messages).collect();
    let uids: Vec<u32> = first.iter().map(|m| m.uid).collect();
    assert!(
        uids.windows(2).all(|w| w[0] < w[1]),
        "UIDs not ascending: {uids:?}"
    );
    for (n, message) in (1..=3).zip(&first) {
        assert_eq!(
            message.raw,
            inquiry(n),
            "message {n} differs from what was appended"
        );
    }
    let last = uids[2];

    for n in 4..=5 {
        client.append(&mailbox, &inquiry(n)).await?;
    }
    // Re-select so the server reports the new messages; a sync does this on every run.
    client.select(&mailbox).await?;
    let second: Vec<_> = fetch_all(&mut client, last, 50)
        .await?
        .into_iter()
        .flat_map(|b| b.messages)
        .collect();
    assert_eq!(second.len(), 2, "expected only the 2 new messages");
    assert!(second.iter().all(|m| m.uid > last));
    assert_eq!(second[0].raw, inquiry(4));
    assert_eq!(second[1].raw, inquiry(5));

    // Dovecot answers `n:*` with the last message even when n is past it; that must not count.
    let newest = second[1].uid;
    let summary = client
        .fetch_after(newest, 50, 1 << 20, |b| {
            panic!("nothing is newer than UID {newest}, got batch {b:?}")
        })
        .await?;
    assert_eq!(summary.fetched, 0);
    assert_eq!(summary.last_uid, None);

    client.logout().await
}

#[tokio::test]
async fn implicit_tls_sync_fetches_only_new_messages_in_uid_order() -> Result<(), MailError> {
    incremental_sync(Security::Tls).await
}

#[tokio::test]
async fn starttls_sync_fetches_only_new_messages_in_uid_order() -> Result<(), MailError> {
    incremental_sync(Security::StartTls).await
}

#[tokio::test]
async fn plain_sync_fetches_only_new_messages_in_uid_order() -> Result<(), MailError> {
    incremental_sync(Security::Plain).await
}

#[tokio::test]
async fn oversized_messages_are_reported_not_fetched() -> Result<(), MailError> {
    let Some(server) = test_server() else {
        return Ok(());
    };
    let mut client = ImapClient::connect(&server.config(Security::Plain)).await?;
    let mailbox = unique_mailbox("oversized");
    client.create(&mailbox).await?;
    let mut big = inquiry(2);
    big.extend(std::iter::repeat_n(b'x', 4000));
    big.extend_from_slice(b"\r\n");
    client.append(&mailbox, &inquiry(1)).await?;
    client.append(&mailbox, &big).await?;
    client.append(&mailbox, &inquiry(3)).await?;
    client.select(&mailbox).await?;

    let mut new = client.new_messages(0, 10, 2000).await?;
    assert_eq!(new.remaining(), 2);
    let Some(batch) = new.next_batch().await? else {
        panic!("expected one batch");
    };
    assert!(new.next_batch().await?.is_none());
    assert_eq!(batch.messages.len(), 2);
    assert_eq!(batch.messages[0].raw, inquiry(1));
    assert_eq!(batch.messages[1].raw, inquiry(3));
    assert_eq!(batch.skipped.len(), 1);
    assert!(matches!(
        batch.skipped[0].reason,
        SkipReason::TooLarge { limit: 2000, .. }
    ));
    // The skipped message is accounted for, so resuming from last_uid does not list it again.
    assert_eq!(batch.last_uid, batch.messages[1].uid);
    client.logout().await
}

#[tokio::test]
async fn non_ascii_mailbox_names_work_through_modified_utf7() -> Result<(), MailError> {
    let Some(server) = test_server() else {
        return Ok(());
    };
    let mut client = ImapClient::connect(&server.config(Security::Plain)).await?;
    let mailbox = unique_mailbox("询盘 & Anfragen");
    client.create(&mailbox).await?;
    client.append(&mailbox, &inquiry(7)).await?;
    let status = client.select(&mailbox).await?;
    assert_eq!(status.exists, 1);
    let batches = fetch_all(&mut client, 0, 10).await?;
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].messages[0].raw, inquiry(7));
    client.logout().await
}

#[tokio::test]
async fn wrong_password_is_refused_with_an_error_naming_the_host() {
    let Some(server) = test_server() else {
        return;
    };
    let mut cfg = server.config(Security::Tls);
    cfg.password = "not-the-password".into();
    match ImapClient::connect(&cfg).await {
        Ok(_) => panic!("login with a wrong password succeeded"),
        Err(e) => {
            assert!(
                matches!(e, MailError::ImapLogin { .. }),
                "unexpected error: {e}"
            );
            let message = e.to_string();
            assert!(
                message.contains(&server.host),
                "host missing from: {message}"
            );
            assert!(
                !message.contains("not-the-password"),
                "password leaked: {message}"
            );
            eprintln!("refused as expected: {message}");
        }
    }
}

#[tokio::test]
async fn untrusted_certificate_fails_tls_with_a_clear_message() {
    let Some(server) = test_server() else {
        return;
    };
    for security in [Security::Tls, Security::StartTls] {
        let mut cfg = server.config(security);
        cfg.ca_file = None;
        match ImapClient::connect(&cfg).await {
            Ok(_) => panic!("{security:?}: a certificate from an unknown CA was accepted"),
            Err(e) => {
                assert!(matches!(e, MailError::ImapTls { .. }), "{security:?}: {e}");
                let message = e.to_string();
                assert!(
                    message.contains(&server.host),
                    "host missing from: {message}"
                );
                assert!(
                    message.contains("not signed by a trusted CA"),
                    "unclear: {message}"
                );
                eprintln!("refused as expected: {message}");
            }
        }
    }
}

#[tokio::test]
async fn certificate_is_checked_against_a_host_name_too() -> Result<(), MailError> {
    let Some(server) = test_server() else {
        return Ok(());
    };
    // The test certificate names DNS:localhost and IP:127.0.0.1; both must verify.
    let mut cfg = server.config(Security::Tls);
    cfg.host = "localhost".into();
    let mut client = ImapClient::connect(&cfg).await?;
    client.select("INBOX").await?;
    client.logout().await
}

// The two tests below need no Dovecot: a local listener plays a server that never speaks.

#[tokio::test]
async fn silent_server_times_out_with_an_error_naming_the_step() -> Result<(), std::io::Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let hold = tokio::spawn(async move {
        // Accept and keep the connection open without sending a greeting.
        let conn = listener.accept().await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(conn);
    });
    let cfg = ImapConfig {
        host: "127.0.0.1".into(),
        port,
        user: "nobody".into(),
        password: "secret".into(),
        security: Security::Plain,
        ca_file: None,
        timeout: Duration::from_millis(300),
    };
    match ImapClient::connect(&cfg).await {
        Ok(_) => panic!("a server that never greets was accepted"),
        Err(e) => {
            let message = e.to_string();
            assert!(
                matches!(e, MailError::ImapTimeout { .. }),
                "unexpected error: {message}"
            );
            assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
            assert!(message.contains("greeting"), "{message}");
        }
    }
    hold.abort();
    Ok(())
}

#[tokio::test]
async fn refused_connection_names_the_server() -> Result<(), std::io::Error> {
    // Bind then drop a listener to get a port nobody listens on.
    let port = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await?
        .local_addr()?
        .port();
    let cfg = ImapConfig {
        host: "127.0.0.1".into(),
        port,
        user: "nobody".into(),
        password: "secret".into(),
        security: Security::Tls,
        ca_file: None,
        timeout: Duration::from_secs(5),
    };
    match ImapClient::connect(&cfg).await {
        Ok(_) => panic!("connected to a closed port"),
        Err(e) => {
            let message = e.to_string();
            assert!(
                matches!(e, MailError::ImapConnect { .. }),
                "unexpected error: {message}"
            );
            assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
        }
    }
    Ok(())
}
