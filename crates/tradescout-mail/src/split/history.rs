//! Recovering the earlier messages a forwarded or pasted thread carries in its body: each
//! quote header opens one earlier message, whose sender, date, subject and recipients are
//! read from the header and whose own new text is split like a reply.

use super::date::parse_date;
use super::lines::{dequote, find_email, is_blank, is_quoted, split_lines};
use super::patterns::HeaderField;
use super::quote_header::{header_at, key_line, HeaderKind, HeaderMatch};
use super::reply;
use super::EarlierMessage;

/// Most nested messages recovered from one body; deeper history is dropped.
const MAX_DEPTH: usize = 64;

/// Earlier messages in `body`, oldest first.
pub(crate) fn split(body: &str) -> Vec<EarlierMessage> {
    let mut newest_first = Vec::new();
    let mut current = body.to_owned();
    let mut skip_own = true;
    while newest_first.len() < MAX_DEPTH {
        let lines = split_lines(&current);
        let Some(h) = first_header(&lines, skip_own) else {
            break;
        };
        skip_own = false;
        let meta = meta_of(&lines, &h);
        let inner = inner_body(&lines, &h);
        let text = reply::split(&inner, &[]).text;
        newest_first.push(EarlierMessage {
            date_parsed: meta.date.as_deref().and_then(parse_date),
            from: meta.from,
            date: meta.date,
            subject: meta.subject,
            to: meta.to,
            text,
        });
        if inner.len() >= current.len() {
            break;
        }
        current = inner;
    }
    newest_first.reverse();
    newest_first
}

/// The first quote header of a body, skipping a header block that opens the body itself.
fn first_header<'a>(lines: &[&'a str], skip_own: bool) -> Option<HeaderMatch<'a>> {
    let mut i = 0;
    if skip_own {
        if let Some(first) = lines.iter().position(|l| !is_blank(l)) {
            if let Some(h) = header_at(lines, first) {
                i = if h.kind == HeaderKind::Block {
                    first + h.len
                } else {
                    return Some(h);
                };
            }
        }
    }
    while i < lines.len() {
        if !is_blank(lines[i]) && !is_quoted(lines[i]) {
            if let Some(h) = header_at(lines, i) {
                return Some(h);
            }
        } else if is_quoted(lines[i]) {
            // A bare `>` block with no header above it: its own history starts inside.
            return Some(HeaderMatch {
                start: i,
                len: 0,
                kind: HeaderKind::Wrote,
                prefix: None,
                first: lines[i],
            });
        }
        i += 1;
    }
    None
}

/// The body of the message a header opens: the `>` block below it with one level of
/// quoting removed, or everything below it.
fn inner_body(lines: &[&str], h: &HeaderMatch<'_>) -> String {
    let after = h.start + h.len;
    let next = (after..lines.len()).find(|&j| !is_blank(lines[j]));
    let mut out = String::new();
    match next {
        Some(j) if is_quoted(lines[j]) => {
            for l in &lines[j..] {
                if !is_blank(l) && !is_quoted(l) {
                    break;
                }
                out.push_str(dequote(l));
                out.push('\n');
            }
        }
        Some(j) => {
            for l in &lines[j..] {
                out.push_str(l);
                out.push('\n');
            }
        }
        None => {}
    }
    out
}

#[derive(Default)]
struct Meta {
    from: Option<String>,
    date: Option<String>,
    subject: Option<String>,
    to: Option<String>,
}

fn meta_of(lines: &[&str], h: &HeaderMatch<'_>) -> Meta {
    let span = &lines[h.start..(h.start + h.len).min(lines.len())];
    match h.kind {
        HeaderKind::Block | HeaderKind::Separator => block_meta(span),
        HeaderKind::Wrote => {
            let mut joined = h.first.trim().to_owned();
            for l in span.iter().skip(1) {
                joined.push(' ');
                joined.push_str(l.trim());
            }
            wrote_meta(&joined)
        }
    }
}

fn block_meta(span: &[&str]) -> Meta {
    let mut meta = Meta::default();
    let mut last: Option<HeaderField> = None;
    for l in span {
        if let Some((field, value)) = key_line(l) {
            let slot = match field {
                HeaderField::From => &mut meta.from,
                HeaderField::Date => &mut meta.date,
                HeaderField::To => &mut meta.to,
                HeaderField::Subject => &mut meta.subject,
                HeaderField::Cc => {
                    last = None;
                    continue;
                }
            };
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.to_owned());
            }
            last = Some(field);
        } else if let (Some(field), false) = (last, is_blank(l)) {
            let slot = match field {
                HeaderField::From => &mut meta.from,
                HeaderField::Subject => &mut meta.subject,
                HeaderField::To => &mut meta.to,
                _ => continue,
            };
            if let Some(v) = slot {
                v.push(' ');
                v.push_str(l.trim());
            }
        }
    }
    meta.from = meta.from.map(|f| tidy_address(&f));
    meta
}

/// "Name [mailto:a@b.c]" → "Name <a@b.c>"; stray `*` from bold headers removed.
fn tidy_address(s: &str) -> String {
    let s = s.trim().trim_matches('*').trim();
    if let Some(p) = s.find("[mailto:") {
        let name = s[..p].trim();
        let addr = s[p + 8..].trim_end_matches(']').trim();
        return if name.is_empty() {
            addr.to_owned()
        } else {
            format!("{name} <{addr}>")
        };
    }
    s.to_owned()
}

/// Sender and date of an "On <date>, <person> wrote:" line, in any of its word orders.
fn wrote_meta(joined: &str) -> Meta {
    let t = joined
        .trim()
        .trim_start_matches(['-', '*', ' '])
        .trim_end_matches(['-', '*', ' '])
        .trim_end_matches([':', '：', ' ']);
    let lower = t.to_lowercase();
    let (before, after) = match phrase_span(&lower).filter(|_| lower.len() == t.len()) {
        Some((s, e)) => (&t[..s], t[e..].trim()),
        None => (t, ""),
    };
    let mut meta = Meta::default();
    if !after.is_empty() {
        meta.from = Some(clean_name(after));
        let d = strip_opener(before);
        meta.date = non_empty(d);
        return meta;
    }
    let s = strip_opener(before);
    let (date, from) = split_date_from(s);
    meta.date = non_empty(date);
    meta.from = non_empty(&clean_name(from));
    meta
}

fn phrase_span(lower: &str) -> Option<(usize, usize)> {
    let ac = super::patterns::patterns().wrote.as_ref()?;
    ac.find_iter(lower).last().map(|m| (m.start(), m.end()))
}

fn non_empty(s: &str) -> Option<String> {
    let t = s
        .trim()
        .trim_matches([',', '，', '、', ' '])
        .trim_end_matches(" at")
        .trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn strip_opener(s: &str) -> &str {
    let t = s.trim();
    let lower = t.to_lowercase();
    for o in &super::patterns::patterns().openers {
        if lower.starts_with(o.as_str()) && lower.len() == t.len() {
            let rest = &t[o.len()..];
            if rest.starts_with([' ', ',', '，']) || o.chars().count() == 1 && !o.is_ascii() {
                return rest.trim_start_matches([' ', ',', '，']);
            }
        }
    }
    t
}

/// Splits "Mon, Mar 3, 2025 at 10:15 AM John <j@x.com>" into date and sender; also handles
/// the sender-first order of Chinese Gmail ("John <j@x.com> 于2025年3月3日 10:15").
fn split_date_from(s: &str) -> (&str, &str) {
    let s = s.trim();
    if let Some((es, ee)) = find_email(s) {
        let open = s[..es].rfind('<').filter(|&p| s[p..es].trim() == "<");
        let name_end = open.unwrap_or(es);
        let addr_end = if s[ee..].starts_with('>') { ee + 1 } else { ee };
        let tail = s[addr_end..].trim();
        if tail.bytes().any(|b| b.is_ascii_digit()) {
            let date = tail
                .trim_start_matches(['于', '於', ',', ' '])
                .trim_start_matches("on ")
                .trim();
            return (date, &s[..addr_end]);
        }
        let name_start = name_boundary(&s[..name_end]);
        return (&s[..name_start], &s[name_start..addr_end]);
    }
    match s.rfind([',', '，']) {
        Some(p) => {
            let sep = s[p..].chars().next().map_or(1, char::len_utf8);
            (&s[..p], &s[p + sep..])
        }
        None => (s, ""),
    }
}

/// Where the sender's name begins in "<date> <name>": after the last comma, time or AM/PM.
fn name_boundary(s: &str) -> usize {
    let mut boundary = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, ',' | '，' | '、') {
            boundary = i + c.len_utf8();
        }
    }
    let mut pos = 0;
    for tok in s.split_inclusive(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、')) {
        let end = pos + tok.len();
        let word = tok.trim().trim_end_matches([',', '，', '、']);
        let upper = word.to_ascii_uppercase();
        let is_date_word = word.bytes().any(|b| b.is_ascii_digit())
            || matches!(
                upper.as_str(),
                "AM" | "PM" | "A.M." | "P.M." | "UTC" | "GMT" | "AT"
            )
            || (word.len() <= 4 && word.len() >= 3 && word.bytes().all(|b| b.is_ascii_uppercase()));
        if is_date_word && end > boundary {
            boundary = end;
        }
        pos = end;
    }
    boundary.min(s.len())
}

fn clean_name(s: &str) -> String {
    let t = s.trim().trim_matches([',', '，', ' ']);
    if let Some(p) = t.find('<') {
        let name = t[..p].trim().trim_matches(['"', '\'', '“', '”']).trim();
        let addr = t[p..].trim();
        if name.is_empty() {
            return addr.trim_matches(['<', '>']).to_owned();
        }
        return format!("{name} {addr}");
    }
    t.trim_matches(['"', '\'', '“', '”']).to_owned()
}
