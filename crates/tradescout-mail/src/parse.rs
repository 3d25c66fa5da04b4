//! RFC 5322/MIME messages into [`Message`]: headers decoded (encoded words, any charset),
//! the readable body text (text/plain, or HTML turned into text), attachments listed.

use crate::error::{MailError, NotMessage};
use crate::hash::content_hash;
use chrono::{DateTime, FixedOffset};
use mail_parser::{MessageParser, MimeHeaders};
use serde::{Deserialize, Serialize};

/// Bounds on what one message may cost to read.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    /// Messages larger than this are refused (the raw bytes are not parsed at all).
    pub max_message_bytes: u64,
    /// The readable body text kept for analysis is cut at this many bytes.
    pub max_text_bytes: usize,
    /// Also cut an HTML body at the quote its mail client marked ([`Message::html_new_text`]):
    /// for reading a message, not for storing one (it costs a second parse of the HTML).
    pub html_reply: bool,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_message_bytes: 64 * 1024 * 1024,
            max_text_bytes: 512 * 1024,
            html_reply: false,
        }
    }
}

impl ParseLimits {
    /// The default limits, with HTML bodies also cut at their quote: for messages that are
    /// read (analysed), not only stored.
    pub fn for_reading() -> Self {
        ParseLimits {
            html_reply: true,
            ..ParseLimits::default()
        }
    }
}

/// A mailbox: display name and address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    pub name: Option<String>,
    pub email: Option<String>,
}

impl Address {
    /// `Name <addr>`, or whichever part is known.
    pub fn display(&self) -> String {
        match (&self.name, &self.email) {
            (Some(n), Some(e)) => format!("{n} <{e}>"),
            (Some(n), None) => n.clone(),
            (None, Some(e)) => e.clone(),
            (None, None) => String::new(),
        }
    }
}

/// An attachment, listed but never opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: Option<String>,
    pub content_type: String,
    pub size: usize,
}

/// One parsed e-mail message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: String,
    pub from: Option<Address>,
    pub reply_to: Option<Address>,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub date: Option<DateTime<FixedOffset>>,
    /// The readable body: the text part, or the HTML part converted to text.
    pub text: String,
    /// The body text came from HTML.
    pub from_html: bool,
    /// The body text was cut at [`ParseLimits::max_text_bytes`].
    pub text_truncated: bool,
    pub attachments: Vec<Attachment>,
    /// Links of the HTML body as (visible text, target), for phishing checks.
    #[serde(default)]
    pub links: Vec<(String, String)>,
    /// For a body read from HTML: its new part, cut at the quote its mail client marked
    /// (Outlook's `divRplyFwdMsg`, Gmail's `gmail_quote`, …) — `None` when nothing was cut or
    /// when [`ParseLimits::html_reply`] was off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_new_text: Option<String>,
    /// See [`crate::hash::content_hash`].
    pub content_hash: String,
    /// Size of the raw message in bytes.
    pub size: usize,
}

/// Parses one raw message. Fails only on input that is not a message at all (no header) or
/// that is over the size limit; damaged MIME is read as far as it goes.
/// The first HTML body of a message exactly as the sender wrote it (unsafe to show as is),
/// or `None` when the message has no HTML part or cannot be read.
pub fn html_body(raw: &[u8], limits: &ParseLimits) -> Option<String> {
    if raw.len() as u64 > limits.max_message_bytes {
        return None;
    }
    let parsed = MessageParser::default().parse(raw)?;
    let has_html = parsed.html_body.iter().any(|i| {
        parsed
            .part(*i)
            .is_some_and(|p| matches!(p.body, mail_parser::PartType::Html(_)))
    });
    if !has_html {
        return None;
    }
    parsed.body_html(0).map(|h| h.into_owned())
}

pub fn parse_message(raw: &[u8], limits: &ParseLimits) -> Result<Message, MailError> {
    if raw.len() as u64 > limits.max_message_bytes {
        return Err(MailError::TooLarge {
            size: raw.len() as u64,
            limit: limits.max_message_bytes,
        });
    }
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(MailError::NotAMessage(NotMessage::Empty));
    }
    let parsed = MessageParser::default()
        .parse(raw)
        .ok_or(MailError::NotAMessage(NotMessage::Unreadable))?;
    if parsed.headers().is_empty() {
        return Err(MailError::NotAMessage(NotMessage::NoHeaders));
    }

    let (text, from_html) = body_text(&parsed);
    let (text, text_truncated) = truncate_text(text, limits.max_text_bytes);
    let html_new_text = (from_html && limits.html_reply)
        .then(|| parsed.body_html(0))
        .flatten()
        .map(|h| crate::split::html_new_text(&h))
        .filter(|t| !t.trim().is_empty() && t.trim().len() + 16 < text.trim().len());
    let attachments = parsed
        .attachments()
        .map(|part| Attachment {
            name: part.attachment_name().map(clean_header_text),
            content_type: part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".to_string())
                .to_ascii_lowercase(),
            size: part.len(),
        })
        .collect();

    Ok(Message {
        message_id: parsed.message_id().map(clean_id).filter(|s| !s.is_empty()),
        in_reply_to: id_list(parsed.in_reply_to()),
        references: id_list(parsed.references()),
        subject: parsed.subject().map(clean_header_text).unwrap_or_default(),
        from: parsed.from().and_then(|a| a.first()).map(to_address),
        reply_to: parsed.reply_to().and_then(|a| a.first()).map(to_address),
        to: parsed
            .to()
            .map(|a| a.iter().map(to_address).collect())
            .unwrap_or_default(),
        cc: parsed
            .cc()
            .map(|a| a.iter().map(to_address).collect())
            .unwrap_or_default(),
        date: parsed
            .date()
            .and_then(|d| DateTime::parse_from_rfc3339(&d.to_rfc3339()).ok()),
        text,
        from_html,
        text_truncated,
        attachments,
        links: parsed
            .body_html(0)
            .map(|h| html_links(&h))
            .unwrap_or_default(),
        html_new_text,
        content_hash: content_hash(raw),
        size: raw.len(),
    })
}

/// Most links read from one HTML body.
const MAX_LINKS: usize = 200;

/// `<a href="target">text</a>` pairs of an HTML body, text with tags removed.
pub fn html_links(html: &str) -> Vec<(String, String)> {
    // Links past the first megabyte are not worth the time on hostile input.
    let mut cut = html.len().min(1 << 20);
    while !html.is_char_boundary(cut) {
        cut -= 1;
    }
    let html = &html[..cut];
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            regex::Regex::new(
                r#"(?is)<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>(.*?)</a\s*>"#,
            )
            .ok()
        })
        .as_ref()
    else {
        return Vec::new();
    };
    static TAGS: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let tags = TAGS.get_or_init(|| regex::Regex::new(r"<[^>]*>").ok());
    re.captures_iter(html)
        .take(MAX_LINKS)
        .filter_map(|c| {
            let target: String = c
                .get(1)
                .or(c.get(2))
                .or(c.get(3))?
                .as_str()
                .trim()
                .chars()
                .take(2000)
                .collect();
            let inner: String = c
                .get(4)
                .map(|m| m.as_str())
                .unwrap_or_default()
                .chars()
                .take(2000)
                .collect();
            let text = match tags {
                Some(t) => t.replace_all(&inner, " ").into_owned(),
                None => inner,
            };
            let text = text
                .replace("&amp;", "&")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            Some((text, target.replace("&amp;", "&")))
        })
        .collect()
}

fn body_text(parsed: &mail_parser::Message<'_>) -> (String, bool) {
    if parsed.text_body_count() > 0 {
        let mut out = String::new();
        let mut from_html = false;
        for (i, id) in parsed.text_body.iter().enumerate() {
            let is_html = parsed
                .part(*id)
                .map(|p| matches!(p.body, mail_parser::PartType::Html(_)))
                .unwrap_or(false);
            if let Some(t) = parsed.body_text(i) {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&t);
                from_html |= is_html;
            }
        }
        return (normalise_text(&out), from_html);
    }
    if let Some(t) = parsed.body_text(0) {
        return (normalise_text(&t), parsed.html_body_count() > 0);
    }
    (String::new(), false)
}

/// CRLF to LF, no NUL bytes, no runs of more than two blank lines.
fn normalise_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r').replace('\0', "");
        let line = line.replace('\u{a0}', " ");
        if line.trim().is_empty() {
            blank_run += 1;
            if blank_run > 2 {
                continue;
            }
            out.push('\n');
        } else {
            blank_run = 0;
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out.trim_matches('\n').to_string()
}

fn truncate_text(mut text: String, max: usize) -> (String, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    (text, true)
}

fn to_address(a: &mail_parser::Addr<'_>) -> Address {
    Address {
        name: a
            .name()
            .map(clean_header_text)
            .map(|n| n.trim_matches(|c| c == '"' || c == '\'').trim().to_string())
            .filter(|n| !n.is_empty()),
        email: a
            .address()
            .map(|e| e.trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty()),
    }
}

fn id_list(value: &mail_parser::HeaderValue<'_>) -> Vec<String> {
    match value {
        mail_parser::HeaderValue::Text(t) => split_ids(t),
        mail_parser::HeaderValue::TextList(list) => {
            list.iter().flat_map(|t| split_ids(t)).collect()
        }
        _ => Vec::new(),
    }
}

fn split_ids(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .map(clean_id)
        .filter(|s| !s.is_empty())
        .collect()
}

fn clean_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

fn clean_header_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Header names that only a real message header block carries; one of them must be present
/// before bytes are read as a message rather than as a bare body.
const KNOWN_HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "received",
    "return-path",
    "mime-version",
    "content-type",
    "delivered-to",
    "reply-to",
    "in-reply-to",
    "references",
    "sender",
    "x-mailer",
    "user-agent",
    "content-transfer-encoding",
];

/// Whether `bytes` start with an RFC 5322 header block (so they are a message, not a bare
/// body that happens to contain a colon).
pub fn looks_like_message(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let mut known = false;
    let mut lines = 0;
    for line in head.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return known && lines > 0;
        }
        lines += 1;
        if line[0] == b' ' || line[0] == b'\t' {
            if lines == 1 {
                return false;
            }
            continue;
        }
        // The mbox separator may precede the headers.
        if lines == 1 && line.starts_with(b"From ") {
            continue;
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            return false;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|b| b.is_ascii_graphic()) {
            return false;
        }
        known |= KNOWN_HEADERS
            .iter()
            .any(|k| k.as_bytes().eq_ignore_ascii_case(name));
    }
    known && lines > 0
}

/// Text of a bare body in an unknown charset: UTF-8 if valid, else GB18030 (the usual
/// charset of Chinese mail) if it decodes cleanly, else windows-1252. A BOM is removed.
pub fn decode_bare_text(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return normalise_text(&text);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return normalise_text(s);
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if !had_errors {
        return normalise_text(&text);
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    normalise_text(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_blocks_are_told_from_bodies_with_colons() {
        assert!(looks_like_message(b"From: a@b.c\nSubject: x\n\nbody"));
        assert!(looks_like_message(
            b"Received: from x\n\tby y\nSubject: x\r\n\r\nbody"
        ));
        assert!(!looks_like_message(b"Dear Sir: please quote\n\nThanks"));
        assert!(!looks_like_message(b"Price: 12 USD\nQty: 500\n\nthanks"));
        assert!(!looks_like_message(b"hello"));
    }

    #[test]
    fn html_links_are_read_with_their_visible_text() {
        let html = r#"<p>Please <a class="btn" href="http://login-secure.top/view?id=1">View Order <b>PO#77</b></a> and <a href='https://x.com'>x.com</a></p>"#;
        let links = html_links(html);
        assert_eq!(links.len(), 2);
        assert_eq!(
            links[0],
            (
                "View Order PO#77".to_string(),
                "http://login-secure.top/view?id=1".to_string()
            )
        );
        assert_eq!(links[1].1, "https://x.com");
    }

    #[test]
    fn bare_bodies_in_gbk_are_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("您好，请报价");
        assert_eq!(decode_bare_text(&gbk), "您好，请报价");
        assert_eq!(decode_bare_text("héllo".as_bytes()), "héllo");
    }
}
