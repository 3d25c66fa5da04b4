//! Reading the chat out of the zip archive WhatsApp shares.
//!
//! iOS shares `Chat name.zip` holding `_chat.txt` (and the media, when included); recent Android
//! versions share a zip holding `WhatsApp Chat with Ana.txt` (name in the phone's language). The
//! chat is `_chat.txt` when present, otherwise the `.txt` entry that reads as a chat with the
//! most messages (an export with media may also hold `.txt` files people sent). macOS adds
//! `__MACOSX/` copies when it re-zips a folder; those are skipped.

use crate::chat::Chat;
use crate::error::ChatError;
use crate::parse::{parse_with, Limits};
use std::io::{Cursor, Read};

/// At most this many `.txt` entries are tried.
const MAX_CANDIDATES: usize = 16;

/// Reads the chat inside a zip archive with the default [`Limits`].
pub fn parse_zip(bytes: &[u8]) -> Result<Chat, ChatError> {
    parse_zip_with(bytes, &Limits::default())
}

/// Reads the chat inside a zip archive; the chat file may be at most `limits.max_file_bytes`.
pub fn parse_zip_with(bytes: &[u8], limits: &Limits) -> Result<Chat, ChatError> {
    let mut archive = open(bytes)?;
    let candidates = candidates(&archive);
    if candidates.is_empty() {
        return Err(no_chat(&archive));
    }
    let mut best: Option<Chat> = None;
    let mut last_error = None;
    for (index, name) in candidates {
        let text = read_entry(&mut archive, index, &name, limits.max_file_bytes)?;
        match parse_with(&text, limits) {
            Ok(chat) if name_is_ios_chat(&name) => return Ok(chat),
            Ok(chat) => {
                if best
                    .as_ref()
                    .is_none_or(|b| chat.messages.len() > b.messages.len())
                {
                    best = Some(chat);
                }
            }
            Err(e) => last_error = Some(e),
        }
    }
    match (best, last_error) {
        (Some(chat), _) => Ok(chat),
        (None, Some(e)) => Err(e),
        (None, None) => Err(no_chat(&archive)),
    }
}

/// The text of the chat file inside a zip archive (the entry [`parse_zip`] would read first),
/// at most `max_bytes` long.
pub fn chat_text_from_zip(bytes: &[u8], max_bytes: u64) -> Result<String, ChatError> {
    let mut archive = open(bytes)?;
    let Some((index, name)) = candidates(&archive).into_iter().next() else {
        return Err(no_chat(&archive));
    };
    read_entry(&mut archive, index, &name, max_bytes)
}

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Archive<'_>, ChatError> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ChatError::Zip {
        reason: e.to_string(),
    })
}

/// `.txt` entries, `_chat.txt` first; at most [`MAX_CANDIDATES`].
fn candidates(archive: &Archive<'_>) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|i| archive.name_for_index(i).map(|n| (i, n.to_string())))
        .filter(|(_, n)| {
            let file = n.rsplit('/').next().unwrap_or(n);
            !n.starts_with("__MACOSX/")
                && !file.starts_with("._")
                && file.to_ascii_lowercase().ends_with(".txt")
        })
        .collect();
    out.sort_by_key(|(i, n)| (!name_is_ios_chat(n), *i));
    out.truncate(MAX_CANDIDATES);
    out
}

fn name_is_ios_chat(name: &str) -> bool {
    name.rsplit('/').next() == Some("_chat.txt")
}

fn read_entry(
    archive: &mut Archive<'_>,
    index: usize,
    name: &str,
    max_bytes: u64,
) -> Result<String, ChatError> {
    let entry = archive.by_index(index).map_err(|e| ChatError::Zip {
        reason: format!("{name}: {e}"),
    })?;
    let mut bytes = Vec::new();
    entry
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ChatError::Zip {
            reason: format!("{name}: {e}"),
        })?;
    if bytes.len() as u64 > max_bytes {
        return Err(ChatError::TooLarge {
            name: name.to_string(),
            limit: max_bytes,
        });
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn no_chat(archive: &Archive<'_>) -> ChatError {
    let names: Vec<&str> = (0..archive.len().min(5))
        .filter_map(|i| archive.name_for_index(i))
        .collect();
    let mut entries = if names.is_empty() {
        "no files".to_string()
    } else {
        names.join(", ")
    };
    if archive.len() > names.len() {
        entries.push_str(&format!(" and {} more", archive.len() - names.len()));
    }
    ChatError::NoChatInArchive { entries }
}
