//! How the binary fails: exit status 2 for bad input or usage, 1 for run-time failures, with
//! a message in the user's language that names the input and the problem.

use std::fmt;
use tradescout_core::{tr, Lang};
use tradescout_mail::{MailError, NotMessage};

/// A failure to report to the user.
#[derive(Debug)]
pub struct Failure {
    pub exit_code: u8,
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl Failure {
    /// Bad input or usage (exit 2).
    pub fn input(message: String) -> Failure {
        Failure {
            exit_code: 2,
            message,
        }
    }
    /// Network, database or other run-time failure (exit 1).
    pub fn runtime(message: String) -> Failure {
        Failure {
            exit_code: 1,
            message,
        }
    }
    /// A database failure.
    pub fn store(lang: Lang, e: &tradescout_store::StoreError) -> Failure {
        let reason = e.to_string();
        match e {
            tradescout_store::StoreError::BadUrl { .. } => Failure::input(reason),
            _ => Failure::runtime(tr(lang, "error.store", &[("reason", &reason)])),
        }
    }
}

/// A mail reading error, in the user's language.
pub fn mail_reason(lang: Lang, e: &MailError) -> String {
    match (lang, e) {
        (_, MailError::TooLarge { size, limit }) => {
            tr(lang, "mail.too_large", &[("size", size), ("limit", limit)])
        }
        (_, MailError::NotAMessage(kind)) => tr(
            lang,
            match kind {
                NotMessage::Empty => "mail.empty",
                NotMessage::NoHeaders => "mail.no_headers",
                NotMessage::Unreadable => "mail.unreadable",
                NotMessage::NotMbox => "mail.not_mbox",
            },
            &[],
        ),
        (_, MailError::Io { path, source }) => tr(
            lang,
            "error.read_input",
            &[("input", &path.display()), ("reason", source)],
        ),
        (_, other) => other.to_string(),
    }
}
