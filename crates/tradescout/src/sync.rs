//! `tradescout sync imap`: incremental, resumable IMAP sync into the store.
//!
//! The position (UIDVALIDITY, last UID) is saved after every stored batch, so a sync that is
//! interrupted resumes where it stopped; a message fetched twice is recognised by its content
//! hash and not stored again.

use crate::cli::{ImapArgs, TextOrJson};
use crate::failure::{mail_reason, Failure};
use crate::import::FailedItem;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tradescout_core::{tr, Lang};
use tradescout_mail::imap::{ImapClient, ImapConfig, Security, SkipReason};
use tradescout_mail::{parse_message, MailError, ParseLimits};
use tradescout_store::{ImapState, NewMessage, Store};

/// What a sync did to one mailbox.
#[derive(Debug, Serialize)]
pub struct MailboxReport {
    pub mailbox: String,
    pub uidvalidity: u32,
    pub new: u64,
    pub duplicate: u64,
    pub failed: Vec<FailedItem>,
    pub last_uid: u32,
}

pub async fn imap(
    store: Arc<dyn Store>,
    args: &ImapArgs,
    limits: ParseLimits,
    lang: Lang,
) -> Result<(), Failure> {
    let password = std::env::var(&args.password_env).map_err(|_| {
        Failure::input(tr(
            lang,
            "error.password_env",
            &[("var", &args.password_env)],
        ))
    })?;
    let security = if args.plain {
        Security::Plain
    } else if args.starttls {
        Security::StartTls
    } else {
        Security::Tls
    };
    let port = args
        .port
        .unwrap_or(if security == Security::Tls { 993 } else { 143 });
    let config = ImapConfig {
        host: args.host.clone(),
        port,
        user: args.user.clone(),
        password,
        security,
        ca_file: args.ca_file.clone(),
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let imap_failure = |e: MailError| {
        Failure::runtime(tr(
            lang,
            "error.imap",
            &[("host", &format!("{}:{port}", args.host)), ("reason", &e)],
        ))
    };
    let mut client = ImapClient::connect(&config).await.map_err(imap_failure)?;
    let account = format!("{}@{}", args.user, args.host);
    let mut reports = Vec::new();
    for mailbox in &args.mailboxes {
        let report = sync_mailbox(
            &mut client,
            store.as_ref(),
            &account,
            mailbox,
            args,
            limits,
            lang,
        )
        .await
        .map_err(|e| match e {
            SyncError::Imap(e) => imap_failure(e),
            SyncError::Store(f) => f,
        })?;
        if args.format == TextOrJson::Text {
            for f in &report.failed {
                eprintln!("{}", f.describe(lang));
            }
            println!(
                "{}",
                tr(
                    lang,
                    "sync.summary",
                    &[
                        ("mailbox", &report.mailbox),
                        ("new", &report.new),
                        ("duplicate", &report.duplicate),
                        ("failed", &report.failed.len()),
                        ("uid", &report.last_uid),
                    ]
                )
            );
        }
        reports.push(report);
    }
    let _ = client.logout().await;
    if args.format == TextOrJson::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "mailboxes": reports }))
                .unwrap_or_default()
        );
    }
    Ok(())
}

enum SyncError {
    Imap(MailError),
    Store(Failure),
}

impl From<MailError> for SyncError {
    fn from(e: MailError) -> Self {
        SyncError::Imap(e)
    }
}

async fn sync_mailbox(
    client: &mut ImapClient,
    store: &dyn Store,
    account: &str,
    mailbox: &str,
    args: &ImapArgs,
    limits: ParseLimits,
    lang: Lang,
) -> Result<MailboxReport, SyncError> {
    let store_failure =
        |e: tradescout_store::StoreError| SyncError::Store(Failure::store(lang, &e));
    let status = client.select(mailbox).await?;
    let saved = store
        .imap_state(account, mailbox)
        .await
        .map_err(store_failure)?;
    let after = match saved {
        Some(s) if s.uidvalidity == status.uidvalidity => s.last_uid,
        Some(s) => {
            // The server renumbered the mailbox: old UIDs mean nothing now. Fetch everything;
            // content hashes keep what is stored from being stored twice.
            eprintln!(
                "{}",
                tr(
                    lang,
                    "sync.uidvalidity_changed",
                    &[
                        ("mailbox", &mailbox),
                        ("old", &s.uidvalidity),
                        ("new", &status.uidvalidity)
                    ]
                )
            );
            0
        }
        None => 0,
    };
    let source = format!("imap://{}/{}", args.host, mailbox);
    let mut report = MailboxReport {
        mailbox: mailbox.to_string(),
        uidvalidity: status.uidvalidity,
        new: 0,
        duplicate: 0,
        failed: Vec::new(),
        last_uid: after,
    };
    let mut pending = client
        .new_messages(after, args.batch.clamp(1, 5_000), limits.max_message_bytes)
        .await?;
    while let Some(batch) = pending.next_batch().await? {
        let mut to_store = Vec::with_capacity(batch.messages.len());
        for m in batch.messages {
            match parse_message(&m.raw, &limits) {
                Ok(parsed) => to_store.push(NewMessage {
                    parsed,
                    raw: m.raw,
                    source: source.clone(),
                    position: i64::from(m.uid),
                }),
                Err(e) => report.failed.push(FailedItem {
                    source: source.clone(),
                    position: m.uid as usize,
                    reason: mail_reason(lang, &e),
                }),
            }
        }
        for s in batch.skipped {
            let reason = match s.reason {
                SkipReason::TooLarge { size, limit } => tr(
                    lang,
                    "mail.too_large",
                    &[("size", &size), ("limit", &limit)],
                ),
                SkipReason::Missing => tr(lang, "sync.missing", &[]),
            };
            report.failed.push(FailedItem {
                source: source.clone(),
                position: s.uid as usize,
                reason,
            });
        }
        if !to_store.is_empty() {
            let outcomes = store
                .insert_messages(&to_store)
                .await
                .map_err(store_failure)?;
            let (new, duplicate) = crate::import::tally(&outcomes);
            report.new += new;
            report.duplicate += duplicate;
        }
        store
            .set_imap_state(
                account,
                mailbox,
                ImapState {
                    uidvalidity: status.uidvalidity,
                    last_uid: batch.last_uid,
                },
            )
            .await
            .map_err(store_failure)?;
        report.last_uid = batch.last_uid;
    }
    Ok(report)
}
