//! What follows the stamp: who wrote, and what of the text is theirs.
//!
//! After the stamp a line holds either `Sender: text` or a note WhatsApp wrote itself
//! ("Ana created group “Order 2025”", "Messages and calls are end-to-end encrypted…"). A
//! message's text may in turn be WhatsApp's stand-in for a file ("<Media omitted>",
//! "IMG-20251231-WA0012.jpg (file attached)") or for no message at all ("This message was
//! deleted"). The rules are on [`split_sender`] and [`read_text`]; the words they know are in
//! `data/whatsapp.toml`.

use crate::phrases::{fold, Phrases};

/// Names longer than this are not names: the line is a note that happens to hold ": ".
pub const MAX_SENDER_CHARS: usize = 60;

/// Splits `Sender: text`; `None` when the line is a note WhatsApp wrote itself.
///
/// Rules, in order:
/// 1. A line whose text starts with one of WhatsApp's notices (the encryption notice in any
///    listed language) is a note, even when the notice holds ": " (Arabic does).
/// 2. The sender is everything up to the first ": " — so a name holding ": " is cut there, and
///    text holding ": " is safe. A line ending in ":" is a sender with an empty first line.
/// 3. No ": ", an empty name, or a name longer than [`MAX_SENDER_CHARS`] characters: a note.
/// 4. A name with an odd number of quotation marks was cut inside quoted text — a group event
///    quoting a subject such as `Ana changed the subject to "PO: 500 pcs"` — so it is a note.
/// 5. The `~` iOS puts before the names of people not in the phone's contacts is dropped.
///
/// Returns the sender and the byte offset in `rest` where the text starts.
pub fn split_sender<'a>(rest: &'a str, phrases: &Phrases) -> Option<(&'a str, usize)> {
    if starts_with_notice(rest, phrases) {
        return None;
    }
    let (name_end, text_at) = match rest.find(": ") {
        Some(k) => (k, k + 2),
        None => {
            let trimmed = rest.trim_end();
            let k = trimmed.strip_suffix(':')?.len();
            (k, trimmed.len())
        }
    };
    let raw_name = rest.get(..name_end)?;
    if raw_name.chars().count() > MAX_SENDER_CHARS || !quotes_balanced(raw_name) {
        return None;
    }
    let name = raw_name.trim().trim_start_matches('~').trim_start();
    if name.is_empty() {
        return None;
    }
    Some((name, text_at))
}

/// Only as much of the text as the longest notice is compared, so long lines cost no more.
fn starts_with_notice(text: &str, phrases: &Phrases) -> bool {
    let end = text
        .char_indices()
        .nth(phrases.notice_chars)
        .map_or(text.len(), |(i, _)| i);
    let start = fold(text.get(..end).unwrap_or(""));
    phrases
        .notices
        .iter()
        .any(|n| start.starts_with(n.as_str()))
}

/// Quotation marks come in pairs in a real name; an odd count means the cut fell inside quotes.
fn quotes_balanced(name: &str) -> bool {
    let straight = name.chars().filter(|c| *c == '"').count();
    let curly = name
        .chars()
        .filter(|c| matches!(c, '“' | '”' | '„' | '«' | '»' | '「' | '」' | '『' | '』'))
        .count();
    straight % 2 == 0 && curly % 2 == 0
}

/// A message's text, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// What the sender wrote and sent.
    Message {
        text: String,
        attachments: Vec<String>,
        edited: bool,
    },
    /// WhatsApp's stand-in for no message (deleted, missed call) or one of its notices.
    Note,
}

/// Reads the text of a message (lines joined with `\n`, marks already removed).
///
/// Rules, in order:
/// 1. The mark WhatsApp appends to an edited message (`<This message was edited>`) is removed
///    from the end of the last line and recorded.
/// 2. A one-line text that is one of WhatsApp's notes ("This message was deleted", "Missed
///    voice call") or that starts with one of its notices is [`Text::Note`].
/// 3. Each line that stands for a file is taken out of the text and becomes an attachment:
///    - a line listed as a left-out file ("<Media omitted>", "image omitted", "Bild
///      weggelassen") → its kind (`media`, `image`, …);
///    - a line ending `<label: name.ext>` (iOS, any language: `<attached: …>`, `<附件：…>`) → the
///      file name; text before it is kept unless it is WhatsApp's document summary
///      (`Quote.pdf • 3 pages`);
///    - `name.ext (file attached)` with a listed label, or with any short label when the name is
///      WhatsApp's own (`IMG-20251231-WA0012.jpg`, `PTT-…`, `DOC-…`) → the file name;
///    - a one-line text wholly in angle brackets, with a space or a non-Latin letter and no
///      colon (`<Mídia oculta>`, `<省略影音内容>`) → `media`: WhatsApp's placeholder in a
///      wording not listed yet.
/// 4. The rest, trimmed, is the text; captions stay as text.
pub fn read_text(text: &str, phrases: &Phrases) -> Text {
    let mut lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let mut edited = false;
    if let Some(last) = lines.last_mut() {
        if let Some(kept) = strip_edited(last, phrases) {
            *last = kept;
            edited = true;
        }
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }

    let first = lines.first().copied().unwrap_or("");
    if starts_with_notice(first, phrases) {
        return Text::Note;
    }
    if lines.len() == 1 && phrases.notes.contains(&fold(first)) {
        return Text::Note;
    }

    let only_line = lines.len() == 1;
    let mut attachments = Vec::new();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    for line in lines {
        match attachment(line, only_line, phrases) {
            Some((file, before)) => {
                attachments.push(file);
                if let Some(b) = before {
                    kept.push(b);
                }
            }
            None => kept.push(line),
        }
    }
    Text::Message {
        text: kept.join("\n").trim().to_string(),
        attachments,
        edited,
    }
}

/// The line without a trailing "edited" mark, or `None` when it has none.
fn strip_edited<'a>(line: &'a str, phrases: &Phrases) -> Option<&'a str> {
    let t = line.trim_end();
    let open = t.strip_suffix('>')?.rfind('<')?;
    let inner = t.get(open + 1..t.len() - 1)?;
    phrases
        .edited
        .contains(&fold(inner))
        .then(|| t.get(..open).unwrap_or("").trim_end())
}

/// The file a line stands for, and text before it to keep.
fn attachment<'a>(
    line: &'a str,
    only_line: bool,
    phrases: &Phrases,
) -> Option<(String, Option<&'a str>)> {
    let t = line.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(kind) = phrases.omitted.get(&fold(t)) {
        return Some((kind.clone(), None));
    }
    if let Some((before, name)) = labelled_file(t) {
        let keep = (!before.is_empty() && !before.contains('•')).then_some(before);
        return Some((name.to_string(), keep));
    }
    if let Some(name) = file_attached(t, phrases) {
        return Some((name.to_string(), None));
    }
    if only_line && unlisted_placeholder(t) {
        return Some(("media".to_string(), None));
    }
    None
}

/// `… <label: name.ext>` → (text before, file name).
fn labelled_file(t: &str) -> Option<(&str, &str)> {
    let body = t.strip_suffix('>')?;
    let open = body.rfind('<')?;
    let inside = body.get(open + 1..)?;
    let colon = inside.find([':', '：'])?;
    let label = inside.get(..colon)?.trim();
    let sep_len = inside.get(colon..)?.chars().next()?.len_utf8();
    let name = inside.get(colon + sep_len..)?.trim();
    let label_chars = label.chars().count();
    if label_chars == 0 || label_chars > 30 || !looks_like_file(name) {
        return None;
    }
    Some((body.get(..open)?.trim(), name))
}

/// `name.ext (file attached)` → file name.
fn file_attached<'a>(t: &'a str, phrases: &Phrases) -> Option<&'a str> {
    let body = t.strip_suffix(')')?;
    let open = body.rfind(" (")?;
    let name = body.get(..open)?.trim();
    let label = body.get(open + 2..)?.trim();
    if !looks_like_file(name) {
        return None;
    }
    let listed = phrases.attached.contains(&fold(label));
    let ours = whatsapp_file_name(name) && (1..=30).contains(&label.chars().count());
    (listed || ours).then_some(name)
}

/// A one-line `<…>` that can only be a placeholder (see [`read_text`]).
fn unlisted_placeholder(t: &str) -> bool {
    let Some(inner) = t.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.trim();
    let n = inner.chars().count();
    (3..=40).contains(&n)
        && !inner.contains([':', '：', '<', '>'])
        && inner.chars().any(char::is_alphabetic)
        && inner.chars().any(|c| c == ' ' || !c.is_ascii())
}

/// A file name: a name, a dot and an extension of 1 to 5 letters or digits.
fn looks_like_file(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    !stem.trim().is_empty()
        && name.len() <= 255
        && (1..=5).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// WhatsApp's Android names for received files: `IMG-20251231-WA0012.jpg`, `PTT-…`, `DOC-…`.
fn whatsapp_file_name(name: &str) -> bool {
    let Some((kind, rest)) = name.split_once('-') else {
        return false;
    };
    let Some((date, rest)) = rest.split_once('-') else {
        return false;
    };
    let Some((number, _ext)) = rest.strip_prefix("WA").and_then(|r| r.split_once('.')) else {
        return false;
    };
    matches!(kind, "IMG" | "VID" | "AUD" | "PTT" | "STK" | "DOC")
        && date.len() == 8
        && date.bytes().all(|b| b.is_ascii_digit())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phrases::phrases;

    fn sender(rest: &str) -> Option<&str> {
        split_sender(rest, phrases()).map(|(s, _)| s)
    }

    fn read(text: &str) -> Text {
        read_text(text, phrases())
    }

    fn message(text: &str, attachments: &[&str], edited: bool) -> Text {
        Text::Message {
            text: text.to_string(),
            attachments: attachments.iter().map(|a| a.to_string()).collect(),
            edited,
        }
    }

    #[test]
    fn the_sender_ends_at_the_first_colon_space() {
        assert_eq!(sender("Ana López: Price: 3.20 USD"), Some("Ana López"));
        assert_eq!(
            split_sender("Ana: Price: 3.20", phrases()).map(|(_, at)| at),
            Some(5)
        );
        assert_eq!(
            sender("+86 138 0013 8000: hello"),
            Some("+86 138 0013 8000")
        );
        assert_eq!(sender("~ Li Wei: hello"), Some("Li Wei"));
        assert_eq!(sender("Ana:"), Some("Ana"));
    }

    #[test]
    fn lines_without_a_name_are_notes() {
        assert_eq!(sender("Ana created group \"LED order\""), None);
        assert_eq!(sender("You added Li Wei"), None);
        assert_eq!(sender(": empty name"), None);
        let long = format!("{}: x", "a".repeat(MAX_SENDER_CHARS + 1));
        assert_eq!(sender(&long), None);
    }

    #[test]
    fn a_colon_inside_a_quoted_subject_is_not_a_name() {
        assert_eq!(sender("Ana changed the subject to \"PO: 500 pcs\""), None);
        assert_eq!(sender("Ana hat den Betreff zu „PO: 500“ geändert"), None);
        assert_eq!(sender("Ana changed the subject to “PO: 500”"), None);
        assert_eq!(sender("Ana \"AL\" López: hi"), Some("Ana \"AL\" López"));
    }

    #[test]
    fn notices_are_notes_even_with_a_colon() {
        assert_eq!(
            sender("الرسائل والمكالمات مشفرة تماماً بين الطرفين: لا أحد خارج هذه الدردشة"),
            None
        );
        assert_eq!(
            sender("Messages and calls are end-to-end encrypted. No one outside: x"),
            None
        );
    }

    #[test]
    fn placeholders_become_attachments() {
        assert_eq!(read("<Media omitted>"), message("", &["media"], false));
        assert_eq!(read("image omitted"), message("", &["image"], false));
        assert_eq!(read("Bild weggelassen"), message("", &["image"], false));
        assert_eq!(
            read("<attached: 00000012-PHOTO-2025-12-31-21-41-07.jpg>"),
            message("", &["00000012-PHOTO-2025-12-31-21-41-07.jpg"], false)
        );
        assert_eq!(
            read("<附件：00000013-报价单.pdf>"),
            message("", &["00000013-报价单.pdf"], false)
        );
        assert_eq!(
            read("IMG-20251231-WA0012.jpg (file attached)\nNew carton design"),
            message("New carton design", &["IMG-20251231-WA0012.jpg"], false)
        );
        assert_eq!(
            read("IMG-20251231-WA0012.jpg (Datei hinzugefügt)"),
            message("", &["IMG-20251231-WA0012.jpg"], false)
        );
        assert_eq!(
            read("Quotation LED-2025.pdf (fichier joint)"),
            message("", &["Quotation LED-2025.pdf"], false)
        );
        assert_eq!(
            read("Quote.pdf • 3 pages <attached: 00000015-Quote.pdf>"),
            message("", &["00000015-Quote.pdf"], false)
        );
    }

    #[test]
    fn an_unlisted_placeholder_in_brackets_is_media() {
        assert_eq!(read("<Mídia não incluída>"), message("", &["media"], false));
        assert_eq!(read("<html>"), message("<html>", &[], false));
        assert_eq!(
            read("<Media omitted-ish>\nsecond line"),
            message("<Media omitted-ish>\nsecond line", &[], false)
        );
    }

    #[test]
    fn text_that_only_resembles_a_file_stays_text() {
        assert_eq!(
            read("see the spec.pdf (sent yesterday)"),
            message("see the spec.pdf (sent yesterday)", &[], false)
        );
        assert_eq!(
            read("MOQ <500 pcs: ok>"),
            message("MOQ <500 pcs: ok>", &[], false)
        );
    }

    #[test]
    fn deleted_messages_and_missed_calls_are_notes() {
        assert_eq!(read("This message was deleted"), Text::Note);
        assert_eq!(read("You deleted this message."), Text::Note);
        assert_eq!(read("Se eliminó este mensaje."), Text::Note);
        assert_eq!(read("Missed voice call"), Text::Note);
        assert_eq!(
            read("This message was deleted by mistake, resending"),
            message("This message was deleted by mistake, resending", &[], false)
        );
    }

    #[test]
    fn the_edited_mark_is_removed_and_recorded() {
        assert_eq!(
            read("Price is 3.10 USD <This message was edited>"),
            message("Price is 3.10 USD", &[], true)
        );
        assert_eq!(
            read("Preis 3,10 USD\nab 500 Stück <Diese Nachricht wurde bearbeitet.>"),
            message("Preis 3,10 USD\nab 500 Stück", &[], true)
        );
    }

    #[test]
    fn whatsapp_file_names_are_recognised() {
        assert!(whatsapp_file_name("IMG-20251231-WA0012.jpg"));
        assert!(whatsapp_file_name("PTT-20251231-WA0003.opus"));
        assert!(!whatsapp_file_name("IMG-2025-WA0012.jpg"));
        assert!(!whatsapp_file_name("XYZ-20251231-WA0012.jpg"));
    }
}
