//! How the binary fails: exit status 2 for bad input or usage, 1 for run-time failures, with
//! a message in the user's language that names the input and the problem.

use std::fmt;
use tradescout_core::{tr, Lang};

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

pub use tradescout_intake::mail_reason;
