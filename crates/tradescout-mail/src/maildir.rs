//! Maildir folders: every file in `cur/` and `new/` is one message (`tmp/` is being written).

use crate::error::MailError;
use std::path::{Path, PathBuf};

/// Whether `dir` looks like a Maildir (has `cur/` and `new/`).
pub fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() && dir.join("new").is_dir()
}

/// The message files of a Maildir, `new/` then `cur/`, each sorted by name so runs are
/// repeatable.
pub fn message_files(dir: &Path) -> Result<Vec<PathBuf>, MailError> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        let path = dir.join(sub);
        let entries = std::fs::read_dir(&path).map_err(|source| MailError::Io {
            path: path.clone(),
            source,
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .map(|n| !n.starts_with('.'))
                    .unwrap_or(true)
            })
            .collect();
        files.sort();
        out.extend(files);
    }
    Ok(out)
}

/// Maildir++ sub-folders (`.Sent`, `.Archive.2024`, …) inside a Maildir.
pub fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .map(|n| n.starts_with('.') && n.len() > 1)
                .unwrap_or(false)
                && is_maildir(p)
        })
        .collect();
    out.sort();
    out
}
