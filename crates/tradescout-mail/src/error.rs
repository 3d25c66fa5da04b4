//! The one error type of this crate; every message names the input and the problem.

use std::path::PathBuf;
use std::time::Duration;

/// What went wrong while reading mail.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("message is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("not an e-mail message: {0}")]
    NotAMessage(NotMessage),
    #[error("IMAP: {0}")]
    Imap(String),
    #[error("cannot connect to IMAP server {server}: {reason}")]
    ImapConnect { server: String, reason: String },
    #[error("TLS with IMAP server {server} failed: {reason}")]
    ImapTls { server: String, reason: String },
    #[error("IMAP server {server} refused the login of {user:?}: {reason}")]
    ImapLogin {
        server: String,
        user: String,
        reason: String,
    },
    #[error("IMAP server {server} did not answer within {after:?} while {action}")]
    ImapTimeout {
        server: String,
        action: String,
        after: Duration,
    },
    #[error("IMAP server {server}, mailbox {mailbox:?}: {reason}")]
    ImapMailbox {
        server: String,
        mailbox: String,
        reason: String,
    },
    #[error("IMAP server {server}: {reason}")]
    ImapServer { server: String, reason: String },
    #[error("invalid IMAP mailbox name {name:?}: {reason}")]
    MailboxName { name: String, reason: String },
    #[error("cannot use CA certificates from {path}: {reason}")]
    CaFile { path: PathBuf, reason: String },
}

/// Why some bytes are not an e-mail message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotMessage {
    /// Nothing but whitespace.
    Empty,
    /// No `Name: value` header lines before the body.
    NoHeaders,
    /// The MIME structure could not be read at all.
    Unreadable,
    /// A file given as an mbox does not start with a `From ` line.
    NotMbox,
}

impl std::fmt::Display for NotMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotMessage::Empty => "it is empty",
            NotMessage::NoHeaders => "it has no header lines (`Name: value`) before the body",
            NotMessage::Unreadable => "no header or body could be read",
            NotMessage::NotMbox => "it is not an mbox file: it does not start with a `From ` line",
        })
    }
}
