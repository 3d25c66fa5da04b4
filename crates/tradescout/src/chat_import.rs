//! WhatsApp chat exports as mail: each chat message becomes a small plain-text message of our
//! own making, with an id from the chat's participants, time and text (so importing the same
//! export twice, or a longer export later, stores nothing twice), all in one thread, the
//! seller's messages (`--me NAME`) on the seller's side. Stored, threaded and analysed like mail.

use crate::import::FailedItem;
use std::path::Path;
use tradescout_chat::{participants, Chat, ChatMessage};
use tradescout_core::{tr, Lang};
use tradescout_mail::{parse_message, ParseLimits};
use tradescout_store::NewMessage;

/// Largest chat file read (a year of a busy chat is a few megabytes).
const MAX_CHAT_BYTES: u64 = 256 * 1024 * 1024;

/// Whether `path`, named explicitly, is a WhatsApp export: a `.zip`, or a `.txt` whose text
/// reads as a chat.
pub fn is_chat(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("zip") => true,
        // The head of the file is enough to tell; the whole is read once, when imported.
        Some("txt") => head_lines(path).is_some_and(|b| {
            tradescout_chat::parse_bytes(&b).is_ok_and(|c| !c.messages.is_empty())
        }),
        _ => false,
    }
}

/// The first 64 KB of the file at `path`, cut at its last full line.
fn head_lines(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    const HEAD: usize = 64 * 1024;
    let mut head = Vec::with_capacity(HEAD);
    std::fs::File::open(path)
        .ok()?
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .ok()?;
    if head.len() == HEAD {
        let end = head.iter().rposition(|b| *b == b'\n').unwrap_or(head.len());
        head.truncate(end);
    }
    Some(head)
}

/// The messages of the chat export at `path`, and what could not be read (each with its
/// line).
pub fn chat_messages(
    path: &Path,
    me: Option<&str>,
    limits: &ParseLimits,
    lang: Lang,
) -> (Vec<NewMessage>, Vec<FailedItem>) {
    let source = path.display().to_string();
    let fail = |position: usize, reason: String| FailedItem {
        source: source.clone(),
        position,
        reason,
    };
    let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_CHAT_BYTES);
    let bytes = match std::fs::read(path) {
        Ok(_) if too_big => {
            return (
                Vec::new(),
                vec![fail(
                    0,
                    tr(
                        lang,
                        "import.chat_too_big",
                        &[("mb", &(MAX_CHAT_BYTES >> 20))],
                    ),
                )],
            )
        }
        Ok(b) => b,
        Err(e) => return (Vec::new(), vec![fail(0, e.to_string())]),
    };
    let chat = match tradescout_chat::parse_bytes(&bytes) {
        Ok(c) => c,
        Err(e) => return (Vec::new(), vec![fail(0, e.to_string())]),
    };
    let mut failed: Vec<FailedItem> = chat
        .problems
        .iter()
        .map(|p| fail(p.line, tr(lang, "import.chat_line", &[("problem", &p)])))
        .collect();
    let messages = to_mail(&chat, me, limits, &source, &mut failed, lang);
    (messages, failed)
}

/// A name as the local part of an address: ASCII letters and digits, else a short hash.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() {
                Some(c.to_ascii_lowercase())
            } else if c == ' ' || c == '.' || c == '-' {
                Some('.')
            } else {
                None
            }
        })
        .collect();
    let s = s.trim_matches('.').to_string();
    if s.len() >= 2 {
        s.chars().take(40).collect()
    } else {
        // A name in Chinese or Arabic script, or a phone number's digits only.
        let digits: String = name.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 6 {
            format!("wa{digits}")
        } else {
            format!("wa{:08x}", fnv(name))
        }
    }
}

fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fn is_me(sender: &str, me: Option<&str>) -> bool {
    me.is_some_and(|m| m.trim().eq_ignore_ascii_case(sender.trim()))
}

/// A header value safe to write: no line breaks, no quotes.
fn header_text(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() || c == '"' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn to_mail(
    chat: &Chat,
    me: Option<&str>,
    limits: &ParseLimits,
    source: &str,
    failed: &mut Vec<FailedItem>,
    lang: Lang,
) -> Vec<NewMessage> {
    let mut people = participants(chat);
    people.sort();
    let key = format!("whatsapp:{}", people.join("|"));
    let ids = tradescout_chat::message_ids(&key, chat);
    let buyers: Vec<&String> = people.iter().filter(|p| !is_me(p, me)).collect();
    let subject = format!(
        "WhatsApp: {}",
        header_text(
            &buyers
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    let first = ids.first().cloned().unwrap_or_default();
    let mut out = Vec::with_capacity(chat.messages.len());
    for (m, id) in chat.messages.iter().zip(&ids) {
        let raw = raw_message(m, id, &first, me, &buyers, &subject);
        match parse_message(raw.as_bytes(), limits) {
            Ok(parsed) => out.push(NewMessage {
                parsed,
                raw: raw.into_bytes(),
                source: source.to_string(),
                position: m.line as i64,
            }),
            Err(e) => failed.push(FailedItem {
                source: source.to_string(),
                position: m.line,
                reason: crate::failure::mail_reason(lang, &e),
            }),
        }
    }
    out
}

fn raw_message(
    m: &ChatMessage,
    id: &str,
    first: &str,
    me: Option<&str>,
    buyers: &[&String],
    subject: &str,
) -> String {
    let domain = if is_me(&m.sender, me) {
        "seller.invalid"
    } else {
        "whatsapp.invalid"
    };
    let from = format!(
        "\"{}\" <{}@{domain}>",
        header_text(&m.sender),
        slug(&m.sender)
    );
    let to: Vec<String> = if is_me(&m.sender, me) {
        buyers
            .iter()
            .map(|b| format!("\"{}\" <{}@whatsapp.invalid>", header_text(b), slug(b)))
            .collect()
    } else {
        me.map(|n| format!("\"{}\" <{}@seller.invalid>", header_text(n), slug(n)))
            .into_iter()
            .collect()
    };
    let date = m.at.and_utc().to_rfc2822();
    let mut raw = format!(
        "From: {from}\r\nDate: {date}\r\nSubject: {subject}\r\nMessage-ID: <{id}@whatsapp.invalid>\r\n"
    );
    if !to.is_empty() {
        raw.push_str(&format!("To: {}\r\n", to.join(", ")));
    }
    if id != first {
        raw.push_str(&format!(
            "In-Reply-To: <{first}@whatsapp.invalid>\r\nReferences: <{first}@whatsapp.invalid>\r\n"
        ));
    }
    raw.push_str("X-Tradescout-Channel: whatsapp\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
    raw.push_str(&m.text.replace('\n', "\r\n"));
    for a in &m.attachments {
        raw.push_str(&format!("\r\n[{a}]"));
    }
    raw.push_str("\r\n");
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_addresses_in_any_script() {
        assert_eq!(slug("Ana López"), "ana.lpez");
        assert!(slug("李明").starts_with("wa"));
        assert_eq!(slug("+86 138 0013 8000"), "86.138.0013.8000");
        assert_eq!(header_text("Ana \"boss\"\r\nX"), "Ana  boss   X");
    }
}
