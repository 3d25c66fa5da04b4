//! Splitting one message body: which lines are the sender's new text and where the quoted
//! history begins. The signature is cut from the new text by `signature`.

use super::lines::{is_blank, is_quoted, split_lines};
use super::quote_header::{header_at, HeaderKind};
use super::signature::{is_certain_mobile, signature_start};
use super::Reply;

/// The new-text lines of a body and the byte offset where its quoted history begins.
pub(crate) struct Scan<'a> {
    pub kept: Vec<&'a str>,
    pub quote_start: Option<usize>,
}

/// Splits `body` into a [`Reply`]; `sender` as [`super::signature::sender_words`] gives it.
pub(crate) fn split(body: &str, sender: &[String]) -> Reply {
    let scan = scan(body);
    let kept = without_trailing_rules(trim_blank_lines(&scan.kept));
    let text = kept.join("\n");
    let signature = signature_start(kept, sender).map(|s| kept[s..].join("\n"));
    let quoted = scan
        .quote_start
        .and_then(|off| body.get(off..))
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned);
    Reply {
        text,
        signature,
        quoted,
    }
}

/// Marks the lines of `body` as new text or quoted history.
///
/// A header ("On … wrote:", "From: … Sent: …", "-----Original Message-----") followed by
/// `>`-quoted lines removes only the header and those lines, so text written below or
/// between quotes stays; a header followed by unquoted text removes everything below it.
pub(crate) fn scan(body: &str) -> Scan<'_> {
    let lines = split_lines(body);
    let mut starts = Vec::with_capacity(lines.len());
    let mut off = 0;
    for raw in body.split('\n') {
        starts.push(off);
        off += raw.len() + 1;
    }
    let n = lines.len();
    let mut kept = Vec::with_capacity(n);
    let mut quote_start: Option<usize> = None;
    let mut i = skip_own_header(&lines);
    let mut removed_prev = false;
    while i < n {
        let line = lines[i];
        if is_blank(line) {
            if !removed_prev {
                kept.push(line);
            }
            i += 1;
            continue;
        }
        if is_quoted(line) || broken_quoted_link(&lines, i) || wrapped_quote_line(&lines, i) {
            quote_start.get_or_insert(starts[i]);
            removed_prev = true;
            i += 1;
            continue;
        }
        if let Some(h) = header_at(&lines, i) {
            if let Some(prefix) = h.prefix {
                kept.push(prefix);
            }
            let first_off = starts[i] + (h.first.as_ptr() as usize - line.as_ptr() as usize);
            quote_start.get_or_insert(first_off);
            let after = i + h.len;
            let next = (after..n).find(|&j| !is_blank(lines[j]));
            if next.is_some_and(|j| is_quoted(lines[j])) {
                removed_prev = true;
                i = after;
                continue;
            }
            break;
        }
        kept.push(line);
        removed_prev = false;
        // "Sent from my iPhone" ends what the sender wrote: unquoted text below it is the
        // message answered, whose header the phone's client left out.
        if is_certain_mobile(line) {
            let next = (i + 1..n).find(|&j| !is_blank(lines[j]));
            if let Some(j) = next.filter(|&j| !is_quoted(lines[j])) {
                quote_start.get_or_insert(starts[j]);
                break;
            }
        }
        i += 1;
    }
    Scan { kept, quote_start }
}

/// Index of the first line after a header block that opens the body itself (a pasted
/// message that starts with its own "From:/Sent:/To:" lines); 0 when there is none.
fn skip_own_header(lines: &[&str]) -> usize {
    let Some(first) = lines.iter().position(|l| !is_blank(l)) else {
        return 0;
    };
    match header_at(lines, first) {
        Some(h) if h.kind == HeaderKind::Block => first + h.len,
        _ => 0,
    }
}

/// A link wrapped out of a quote ("> see (http://x/a" / "b=1)" / "> more"): still quoted.
fn broken_quoted_link(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim();
    i > 0
        && !line.contains(char::is_whitespace)
        && is_quoted(lines[i - 1])
        && lines[i - 1].contains("http")
        && lines.get(i + 1).is_some_and(|l| is_quoted(l))
}

/// A quoted line the sender's client wrapped without re-quoting the rest ("> … with the 120°" /
/// "lens, and …" / ">"): it starts in lower case or with a bracket and sits between quoted
/// lines, while an inline answer starts a sentence of its own.
fn wrapped_quote_line(lines: &[&str], i: usize) -> bool {
    if i == 0 || !is_quoted(lines[i - 1]) || !lines.get(i + 1).is_some_and(|l| is_quoted(l)) {
        return false;
    }
    let prev = lines[i - 1].trim_start().trim_start_matches('>').trim();
    match lines[i].trim().chars().next() {
        Some('(' | '<' | '[') => true,
        Some(c) if c.is_lowercase() => !prev.is_empty() && !prev.ends_with(['.', '?', '!', ':']),
        _ => false,
    }
}

/// `lines` without the rules and marks left at their end ("====" above a removed header,
/// a row of "~~~~~" or "####", Gmail's "ᐧ" tracker mark), which say nothing once what they
/// separated is gone. A smiley, "???" or a one-character line stays.
fn without_trailing_rules<'s, 'a>(lines: &'s [&'a str]) -> &'s [&'a str] {
    let mut end = lines.len();
    while end > 0 {
        let line = lines[end - 1].trim();
        let mut chars = line.chars();
        let rule = match chars.next() {
            Some('\u{1427}') => line.chars().count() == 1,
            Some(c) if matches!(c, '-' | '_' | '=' | '*' | '~' | '#' | '+' | '.') => {
                line.chars().count() >= 2 && line.chars().all(|x| x == c)
            }
            _ => false,
        };
        if !rule && !is_blank(line) {
            break;
        }
        end -= 1;
    }
    &lines[..end]
}

/// `lines` without leading and trailing blank lines.
pub(crate) fn trim_blank_lines<'s, 'a>(lines: &'s [&'a str]) -> &'s [&'a str] {
    let start = lines
        .iter()
        .position(|l| !is_blank(l))
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !is_blank(l))
        .map_or(start, |e| e + 1);
    &lines[start..end.max(start)]
}
