//! The one error type of this crate.

use std::path::PathBuf;

/// Why a list could not be loaded or the settings not read.
#[derive(Debug, thiserror::Error)]
pub enum SanctionsError {
    /// The file could not be opened or read.
    #[error("cannot read sanctions list {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The content is none of the supported list formats.
    #[error(
        "{input} is not a known sanctions list (expected OFAC sdn.csv, the UN consolidated list XML \
         or OpenSanctions targets.simple.csv)"
    )]
    UnknownFormat { input: String },
    /// An OFAC companion file was given where `sdn.csv` is needed.
    #[error("{input} is an OFAC {kind} file; give the sdn.csv beside it instead")]
    OfacCompanion { input: String, kind: &'static str },
    /// The format was recognised but the content is unusable as a whole.
    #[error("{input}: {reason}")]
    Malformed { input: String, reason: String },
    /// The matching settings file is invalid.
    #[error("invalid matching settings: {0}")]
    Settings(String),
}
