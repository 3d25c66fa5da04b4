//! Recognising the lines that open quoted history: "On … wrote:" lines (wrapped over up to
//! three lines), date-and-address lines, Outlook-style "From:/Sent:/To:/Subject:" blocks in
//! many languages, and separators such as "-----Original Message-----" or forward markers.

use super::lines::{
    find_last_email, has_digit, has_email, has_time, has_year, is_blank, is_quoted,
};
use super::patterns::{is_spaced_script, patterns, HeaderField};

/// Longest text (in bytes) a wrapped "wrote" header may span.
const MAX_HEADER_BYTES: usize = 400;
/// How many lines an Outlook-style header block may span.
const MAX_BLOCK_LINES: usize = 14;

/// What kind of line opened the quoted history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderKind {
    /// "On <date>, <person> wrote:" in any language, or "<date> <person> <addr>:".
    Wrote,
    /// A "From: … Sent: … To: … Subject: …" block.
    Block,
    /// "-----Original Message-----", a forward marker, or a rule, possibly followed by a block.
    Separator,
}

/// A quote header found at line `start`, spanning `len` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeaderMatch<'a> {
    pub start: usize,
    pub len: usize,
    pub kind: HeaderKind,
    /// Reply text written on the same line before the header ("ok On Mon, … wrote:").
    pub prefix: Option<&'a str>,
    /// The part of the first line where the header begins (the whole line unless `prefix`).
    pub first: &'a str,
}

/// The quote header starting at line `i`, if any.
pub(crate) fn header_at<'a>(lines: &[&'a str], i: usize) -> Option<HeaderMatch<'a>> {
    let line = *lines.get(i)?;
    if is_blank(line) || is_quoted(line) {
        return None;
    }
    if let Some(len) = separator_at(lines, i) {
        return Some(HeaderMatch {
            start: i,
            len,
            kind: HeaderKind::Separator,
            prefix: None,
            first: line,
        });
    }
    if let Some(len) = block_at(lines, i) {
        return Some(HeaderMatch {
            start: i,
            len,
            kind: HeaderKind::Block,
            prefix: None,
            first: line,
        });
    }
    wrote_at(lines, i)
}

/// A parsed "Key: value" header line of an Outlook-style block.
pub(crate) fn key_line(line: &str) -> Option<(HeaderField, &str)> {
    let t = line.trim_start().trim_start_matches('*').trim_start();
    let limit = t.char_indices().nth(48).map_or(t.len(), |(n, _)| n);
    let head = &t[..limit];
    let colon = head.find([':', '：'])?;
    let key = t[..colon].trim().trim_matches('*').trim();
    if key.is_empty() || key.chars().count() > 24 {
        return None;
    }
    let keys = &patterns().header_keys;
    let field = if key.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        *keys.get(&key.to_lowercase())?
    } else {
        *keys.get(key)?
    };
    let sep_len = t[colon..].chars().next().map_or(1, char::len_utf8);
    let value = t[colon + sep_len..].trim().trim_start_matches('*').trim();
    Some((field, value))
}

/// Lines of an Outlook-style block starting at `i`: at least two different fields, one of
/// them From or Date/Sent, consecutive (wrapped values allowed).
fn block_at(lines: &[&str], i: usize) -> Option<usize> {
    let (first, _) = key_line(lines[i])?;
    if flattened_block(lines[i], first) {
        return Some(1);
    }
    let mut seen = [false; 5];
    let idx = |f: HeaderField| f as usize;
    seen[idx(first)] = true;
    let mut last_key = i;
    let mut continuation = 0;
    let mut j = i + 1;
    while j < lines.len() && j < i + MAX_BLOCK_LINES {
        let l = lines[j];
        if is_blank(l) {
            break;
        }
        if let Some((f, _)) = key_line(l) {
            seen[idx(f)] = true;
            last_key = j;
            continuation = 0;
        } else {
            continuation += 1;
            if continuation > 2 || is_quoted(l) {
                break;
            }
        }
        j += 1;
    }
    let kinds = seen.iter().filter(|s| **s).count();
    let anchored = seen[idx(HeaderField::From)] || seen[idx(HeaderField::Date)];
    if kinds < 2 || !anchored {
        return None;
    }
    // A wrapped value after the last key line belongs to the block too.
    let mut end = last_key + 1;
    if end < j && end < lines.len() && key_line(lines[end]).is_none() && continuation > 0 {
        let l = lines[end];
        if l.chars().count() < 80 {
            end += 1;
        }
    }
    Some(end - i)
}

/// A whole header block flattened onto one line by a client that dropped the line breaks:
/// "Date: Tue, 4 Mar 2025 09:10 From: lily@x.cn To: John Subject: RE: Quote".
fn flattened_block(line: &str, first: HeaderField) -> bool {
    if !matches!(first, HeaderField::From | HeaderField::Date) || line.len() > 600 {
        return false;
    }
    let keys = &patterns().header_keys;
    let mut seen = [false; 5];
    seen[first as usize] = true;
    let mut from = 0;
    while let Some(off) = line.get(from..).and_then(|t| t.find(": ")) {
        let colon = from + off;
        let before = &line[..colon];
        let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
        if word.len() < before.len() {
            if let Some(f) = keys.get(&word.to_lowercase()) {
                seen[*f as usize] = true;
            }
        }
        from = colon + 2;
    }
    seen[HeaderField::From as usize]
        && seen[HeaderField::Subject as usize]
        && seen.iter().filter(|s| **s).count() >= 3
}

/// Lines of a separator at `i` ("-----Original Message-----", "Begin forwarded message:",
/// "________________" before a block), including a block that follows it.
fn separator_at(lines: &[&str], i: usize) -> Option<usize> {
    // "*-------- Original Message --------*": bold markers around the rule.
    let t = lines[i].trim();
    let t = t
        .strip_prefix('*')
        .and_then(|r| r.strip_suffix('*'))
        .filter(|r| r.starts_with(['-', '_', '=', '—']))
        .unwrap_or(t);
    let first = t.chars().next()?;
    let last = t.chars().last()?;
    let dashy = matches!(first, '-' | '_' | '=' | '—')
        && matches!(last, '-' | '_' | '=' | '—' | ':' | '：');
    if !dashy && !matches!(last, ':' | '：') && !t.starts_with("Begin") {
        return None;
    }
    let p = patterns();
    let mut is_sep = false;
    let only_rule = t.chars().all(|c| matches!(c, '-' | '_' | '=' | '—'));
    if only_rule {
        // A bare rule opens history only when a header block follows it.
        if t.chars().count() < 5 {
            return None;
        }
    } else if dashy {
        let inner = t
            .replace("&nbsp;", " ")
            .trim_matches(|c: char| matches!(c, '-' | '_' | '=' | '—') || c.is_whitespace())
            .trim_end_matches([':', '：'])
            .trim()
            .to_lowercase();
        let inner: String = collapse_spaces(&inner);
        is_sep = p.separator_phrases.contains(&inner) || p.standalone.contains(&inner);
        if !is_sep {
            return None;
        }
    } else if t.len() <= 80 {
        let key = collapse_spaces(&t.trim_end_matches([':', '：']).trim().to_lowercase());
        is_sep = p.standalone.contains(&key);
        if !is_sep {
            return None;
        }
    } else {
        return None;
    }
    // A header block may follow directly or after one blank line.
    let mut j = i + 1;
    if j < lines.len() && is_blank(lines[j]) {
        j += 1;
    }
    if j < lines.len() {
        if let Some(len) = block_at(lines, j) {
            return Some(j + len - i);
        }
        if only_rule {
            // Outlook on the web puts a rule above a block that may lack a second key line.
            if key_line(lines[j]).is_some_and(|(f, _)| f == HeaderField::From) && j == i + 1 {
                return Some(2);
            }
        }
    }
    is_sep.then_some(1)
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A "wrote" header or a date-and-address header starting at line `i`, over 1–3 lines.
fn wrote_at<'a>(lines: &[&'a str], i: usize) -> Option<HeaderMatch<'a>> {
    let line = lines[i];
    if line.len() > MAX_HEADER_BYTES {
        return None;
    }
    for k in 1..=3usize {
        let last_idx = i + k - 1;
        let last = lines.get(last_idx)?.trim_end();
        // A ">:" line is the end of an address the client wrapped ("… <a@b.com" / ">:"), not
        // a quote.
        if k > 1 && (is_blank(last) || (is_quoted(last) && last.trim() != ">:")) {
            return None;
        }
        let end_char = last.chars().last()?;
        let candidate = matches!(end_char, ':' | '：' | '-' | '>')
            || last
                .len()
                .checked_sub(5)
                .and_then(|n| last.get(n..))
                .is_some_and(|tail| tail.eq_ignore_ascii_case("wrote"));
        if candidate {
            let mut joined = String::with_capacity(line.len() + 80);
            for (n, l) in lines[i..=last_idx].iter().enumerate() {
                if n > 0 {
                    joined.push(' ');
                }
                joined.push_str(l.trim());
            }
            if joined.len() > MAX_HEADER_BYTES {
                return None;
            }
            let next_is_quote = lines[last_idx + 1..]
                .iter()
                .find(|l| !is_blank(l))
                .is_some_and(|l| is_quoted(l));
            // "reply text On Wed, … wrote:" on one line.
            if let Some(pos) =
                inline_on(line).filter(|_| !starts_with_opener(&line.trim().to_lowercase()))
            {
                let rest_first = &line[pos..];
                let mut rest = String::from(rest_first.trim());
                for l in &lines[i + 1..=last_idx] {
                    rest.push(' ');
                    rest.push_str(l.trim());
                }
                if is_wrote_header(&rest, next_is_quote, k) {
                    let prefix = line[..pos].trim_end_matches(['-', ' ']).trim_end();
                    return Some(HeaderMatch {
                        start: i,
                        len: k,
                        kind: HeaderKind::Wrote,
                        prefix: (!prefix.trim().is_empty()).then_some(prefix),
                        first: rest_first,
                    });
                }
            }
            if is_wrote_header(&joined, next_is_quote, k) {
                return Some(HeaderMatch {
                    start: i,
                    len: k,
                    kind: HeaderKind::Wrote,
                    prefix: None,
                    first: line,
                });
            }
        }
        // Wrapped headers continue only from a line that does not end a sentence.
        if k == 1 && !plausible_first_line(line) {
            return None;
        }
    }
    None
}

/// Position of an "On " that starts a header in the middle of a line.
fn inline_on(line: &str) -> Option<usize> {
    let pos = line.rfind("On ")?;
    if pos == 0 {
        return None;
    }
    let before = line[..pos].chars().last()?;
    (before == ' ' || before == '-').then_some(pos)
}

/// Whether a line may be the first line of a header wrapped over several lines.
fn plausible_first_line(line: &str) -> bool {
    let t = line.trim();
    // "… schrieb am Fr., 28." wraps after a German day number.
    let day_number = t
        .strip_suffix('.')
        .is_some_and(|r| r.ends_with(|c: char| c.is_ascii_digit()));
    t.len() <= 200 && has_digit(t) && (day_number || !t.ends_with(['.', '?', '!', '。', '？']))
}

/// The rules for a (joined) header line. `lines` is how many lines were joined.
fn is_wrote_header(joined: &str, next_is_quote: bool, lines: usize) -> bool {
    let t = joined
        .trim()
        .trim_start_matches(['-', '*', '_', ' '])
        .trim_end_matches(['-', '*', '_', ' ']);
    if t.is_empty() {
        return false;
    }
    let ends_colon = t.ends_with([':', '：']);
    let body = t.trim_end_matches([':', '：', ' ']);
    let lower = body.to_lowercase();
    let email = has_email(body);
    let time = has_time(body);
    let opener = starts_with_opener(&lower);
    let strong = opener || email || time;
    if strong && (has_digit(body) || email) {
        if let Some(found) = wrote_phrase(&lower) {
            let after = lower[found.1..].trim();
            let at_end = after.is_empty();
            let trailing_dashes = joined.trim_end().ends_with('-');
            if at_end && (ends_colon || trailing_dashes || (opener && (time || email))) {
                return true;
            }
            let words_after = after.split_whitespace().count();
            // "… schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:": abbreviations with a clock time.
            let no_sentence = !after.contains(". ") || has_time(after);
            if ends_colon && (time || email) && words_after <= 8 && no_sentence {
                return true;
            }
        }
    }
    // "---- John Smith wrote ----" (Android clients): a short line between dashes ending in
    // the verb.
    let trimmed = joined.trim();
    if trimmed.starts_with("--") && trimmed.ends_with("--") && body.split_whitespace().count() <= 8
    {
        if let Some((_, end)) = wrote_phrase(&lower) {
            if lower[end..].trim().is_empty() {
                return true;
            }
        }
    }
    // "Le 3 mars 2025 =C3=A0 10:15, Lily <…> a =C3=A9crit :": the verb is mangled (transfer
    // encoding) or in a language we lack, but an opener, a clock time, the closing colon and
    // the quote right below are enough.
    if opener && time && ends_colon && next_is_quote {
        return true;
    }
    // "2014-03-20 8:48 GMT+01:00 Name <addr>:" and "Wednesday, … 3:32 PM from x <addr>:".
    if (ends_colon || (next_is_quote && t.ends_with('>'))) && (time || has_year(body)) {
        if let Some((s, e)) = find_last_email(body) {
            let tail = body[e..].trim_start_matches(['>', ')', ']', ' ']);
            let before = &body[..s];
            let dated_before = has_time(before) || has_year(before);
            if tail.is_empty() && dated_before && (lines > 1 || body.len() < 300) {
                return true;
            }
        }
    }
    false
}

fn starts_with_opener(lower: &str) -> bool {
    patterns().openers.iter().any(|o| {
        lower.starts_with(o.as_str())
            && lower[o.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() || !is_spaced_script(c))
    })
}

/// Byte range of the last "wrote" phrase in `lower` that stands as a word where it must.
fn wrote_phrase(lower: &str) -> Option<(usize, usize)> {
    let p = patterns();
    let ac = p.wrote.as_ref()?;
    let mut found = None;
    for m in ac.find_iter(lower) {
        let needs_word = p
            .wrote_is_word
            .get(m.pattern().as_usize())
            .copied()
            .unwrap_or(true);
        if needs_word {
            let before_ok = lower[..m.start()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric());
            let after_ok = lower[m.end()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !(before_ok && after_ok) {
                continue;
            }
        }
        found = Some((m.start(), m.end()));
    }
    found
}
