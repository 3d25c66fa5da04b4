//! Phone numbers in a page's text, written the national way: a number is taken when a phone
//! label stands close before it (in any language of `data/phone_labels.toml`), when it starts
//! with `+`, or when it opens with an area code in brackets ("(21) 2222-3333"). A number labelled
//! only as a fax, before or after it, is not taken. Lists share their area code ("8 (495)
//! 123-45-67, 123-45-68"), numbers may be split over two lines, several may stand on one line
//! apart by "/", "," or a new bracketed area code, and "033233 / 80361" is one number (area
//! code / subscriber). Extensions ("ext 1010") are dropped. The numbers come out raw with their
//! spaces collapsed; `report` reads them with the site's country.

use regex::Regex;
use serde::Deserialize;
use std::sync::OnceLock;

const LABELS: &str = include_str!("../data/phone_labels.toml");

/// How far (in characters) before a number its label may stand.
const LABEL_REACH: usize = 40;
/// Words that may stand between a label and its number ("Call us on", "Telefon Zentrale"); more
/// is prose that merely mentions phones ("our phones are manned around the clock, dial …").
const LABEL_GAP_WORDS: usize = 4;
/// How far (in characters) after a number a fax label may stand and still be its own.
const TRAILING_REACH: usize = 24;
/// Digits a number has at least and at most (trunk prefixes and country codes included).
const MIN_DIGITS: usize = 6;
const MAX_DIGITS: usize = 17;
/// A number whose first part (up to a line break) already has this many digits is complete:
/// the next line is another number, not its end.
const COMPLETE_DIGITS: usize = 7;
/// A run of digits and phone punctuation longer than this is a table of figures, not phones;
/// it is left unread so a page of numbers costs no more than its length.
const MAX_RUN_CHARS: usize = 300;
/// Digits of a list's next number written in one block without spaces, at least: a whole local
/// number ("72583336"), not a postal code.
const MIN_LOCAL_BLOCK: usize = 7;
/// Digits a list's next number may share with its head: a trunk prefix and an area code.
const MAX_SHARED_DIGITS: usize = 5;

#[derive(Deserialize)]
struct LabelFile {
    phone: Vec<String>,
    fax: Vec<String>,
    extension: Vec<String>,
}

struct Labels {
    phone: Vec<String>,
    fax: Vec<String>,
    /// An extension word and the digits after it.
    extension: Option<Regex>,
}

fn labels() -> &'static Labels {
    static L: OnceLock<Labels> = OnceLock::new();
    L.get_or_init(|| match toml::from_str::<LabelFile>(LABELS) {
        Ok(f) => {
            let words: Vec<String> = f.extension.iter().map(|w| regex::escape(w)).collect();
            // Only after a number: "Telefon-Durchwahl: 0711 …" opens a number of its own.
            let extension = Regex::new(&format!(
                r"(?i)\d[\s,;(\[\-–]*((?:{})\.?\s*[:.]?\s*\d{{1,6}})",
                words.join("|")
            ))
            .ok();
            Labels {
                phone: f.phone,
                fax: f.fax,
                extension,
            }
        }
        // The shipped file is checked by a test; a broken one finds no labelled numbers.
        Err(_) => Labels {
            phone: Vec::new(),
            fax: Vec::new(),
            extension: None,
        },
    })
}

/// Whether a phone label stands close before the number at the end of `context` (lower case);
/// a word that is a fax label ("telefax", "télécopie") is none, though "tel" starts it.
fn has_phone_label(l: &Labels, context: &str) -> bool {
    has_label(&l.phone, &l.fax, context)
}

fn has_fax_label(l: &Labels, context: &str) -> bool {
    has_label(&l.fax, &[], context)
}

/// Whether a label of `list` starts a word in `context` (lower case) and stands close enough
/// to the number at the context's end: a few words, no sentence ending between them. A match
/// that is the start of a longer word of `other` ("tel" in "telefax") does not count.
fn has_label(list: &[String], other: &[String], context: &str) -> bool {
    list.iter().any(|label| {
        context.match_indices(label.as_str()).any(|(at, _)| {
            let word = &context[at..];
            context[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
                && !other
                    .iter()
                    .any(|o| o.len() > label.len() && word.starts_with(o.as_str()))
                && close_to_number(&context[at + label.len()..])
        })
    })
}

/// What stands between a label and its number: the rest of the label's word, then at most
/// `LABEL_GAP_WORDS` words and no full stop after a word of four letters or more.
fn close_to_number(between: &str) -> bool {
    let rest = between.trim_start_matches(char::is_alphabetic);
    let words: Vec<&str> = rest
        .split(|c: char| !c.is_alphabetic() && c != '.' && c != '!' && c != '?')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let sentence_ends = words.iter().any(|w| {
        let letters = w.trim_end_matches(['.', '!', '?']);
        letters.len() < w.len() && letters.chars().count() >= 4
    });
    words.len() <= LABEL_GAP_WORDS && !sentence_ends
}

/// The text with every extension ("ext 1010", "доб. 12") overwritten by `#`, byte for byte,
/// so its digits neither join the number before nor pass for a number of their own.
fn without_extensions(text: &str, l: &Labels) -> String {
    let Some(re) = &l.extension else {
        return text.to_string();
    };
    let mut bytes = text.as_bytes().to_vec();
    for c in re.captures_iter(text) {
        if let Some(m) = c.get(1) {
            bytes[m.start()..m.end()].fill(b'#');
        }
    }
    // Only whole characters were overwritten, with ASCII; the text stays UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// Whether a fax label follows the number right after it (`after` is the text after it): in
/// brackets ("(факс)", "(fax)"), or not followed by a number of its own. "…, Fax: 040 …"
/// labels the next number instead.
fn fax_after(after: &str, l: &Labels) -> bool {
    let head: String = after.chars().take(TRAILING_REACH).collect();
    let lower = head.to_lowercase();
    let opened = lower.trim_start();
    let bracketed = opened.starts_with(['(', '[']);
    let rest = opened.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '(' | '[' | '-' | '–' | ',' | '·' | '|')
    });
    let Some(label) = l.fax.iter().find(|f| rest.starts_with(f.as_str())) else {
        return false;
    };
    let after_label = &rest[label.len()..];
    // "Fax:" cut off by the reach still opens a number of its own.
    let own_number = after_label
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit() || matches!(c, ':' | '：' | '.' | '+' | '('))
        || opens_own_number(after_label);
    bracketed || !own_number
}

/// Whether what follows a fax label is its own number: the rest of the label's word
/// ("Faxnummer"), separators and at most two short words ("No:", "number", "-Nr.:"), then a
/// number. Counted over the few characters `fax_after` looks at.
fn opens_own_number(after_label: &str) -> bool {
    let rest = after_label.trim_start_matches(char::is_alphabetic);
    let mut words = 0;
    let mut word_letters = 0;
    for c in rest.chars() {
        if c.is_ascii_digit() || c == '+' || c == '(' {
            return true;
        }
        if c.is_alphabetic() {
            word_letters += 1;
            if word_letters == 1 {
                words += 1;
            }
            if words > 2 || word_letters > 7 {
                return false;
            }
        } else if c.is_whitespace() || matches!(c, ':' | '：' | '.' | '-' | '#' | '№' | '°') {
            word_letters = 0;
        } else {
            return false;
        }
    }
    false
}

/// Whether `lower` (lower case) opens with a phone or fax label ("điện thoại: …").
pub(crate) fn starts_with_label(lower: &str) -> bool {
    let l = labels();
    l.phone
        .iter()
        .chain(&l.fax)
        .any(|w| lower.starts_with(w.as_str()))
}

/// Whether a tel: link's text says it is a fax ("+7 (495) 123-45-67 (факс)").
pub(crate) fn says_fax(text: &str) -> bool {
    let l = labels();
    let lower = text.to_lowercase();
    has_fax_label(l, &lower) && !has_phone_label(l, &lower)
}

/// Whether the text just before a tel: link labels it a fax ("Fax: <a href=tel:…>"): the
/// text since the last number before it holds a fax label and no phone label.
pub(crate) fn fax_before(text: &str) -> bool {
    let since_number = text
        .rsplit(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or(text);
    let context = label_context(since_number);
    let l = labels();
    has_fax_label(l, &context) && !has_phone_label(l, &context)
}

/// Text before a number as labels are matched in it: lower case, whitespace runs (a line
/// break between tags among them) made one space, no space before a colon ("P : 0216 …",
/// "Tél :"), and a space at the end.
fn label_context(text: &str) -> String {
    text.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" :", ":")
        + " "
}

/// A run of characters that may form one or more phone numbers.
struct Run {
    start: usize,
    end: usize,
}

fn is_run_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ' ' | '\t' | '.' | '-' | '(' | ')' | '/' | '\u{a0}' | '–')
}

/// The runs of digits and phone punctuation in `text`, each starting at `+`, `(` or a digit
/// and ending at a digit; one line break inside is kept for now (a number split over lines).
fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let opens = c.is_ascii_digit()
            || (c == '+' || c == '(')
                && chars
                    .get(i + 1)
                    .is_some_and(|&(_, n)| n.is_ascii_digit() || n == '(');
        // A run may start right after letters ("TEL03-1234-5678", "联系电话13800138000",
        // "DE123456789"): what stands before it decides below whether it is a phone.
        if !opens {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut last_digit = if c.is_ascii_digit() { Some(i) } else { None };
        let mut breaks = 0;
        while j < chars.len() {
            let c = chars[j].1;
            if c == '\n' {
                breaks += 1;
                if breaks > 1 {
                    break;
                }
            } else if c == '+' && j > i && chars[j - 1].1 == '(' {
                // "(+49) 40 …"
            } else if !is_run_char(c) {
                break;
            }
            if c.is_ascii_digit() {
                last_digit = Some(j);
            }
            j += 1;
        }
        if let Some(last) = last_digit {
            let end = chars[last].0 + chars[last].1.len_utf8();
            out.push(Run { start: at, end });
            i = last + 1;
        } else {
            i = j.max(i + 1);
        }
    }
    out
}

fn digits(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).count()
}

/// The numbers one run holds: split at " / " (unless it parts an area code from its number,
/// "033233 / 80361"), at a line break or a run of spaces after a complete number, and where a
/// complete number is followed by one that opens with "(" or "+" ("(0261) 7439637 (0261) 7439671").
fn pieces(run: &str) -> Vec<String> {
    let mut slashed: Vec<String> = Vec::new();
    for part in run
        .split(" / ")
        .flat_map(|p| p.split("/ "))
        .flat_map(split_whole_numbers)
    {
        match slashed.last_mut() {
            Some(area) if is_area_code(area) && !part.trim_start().starts_with(['0', '+']) => {
                area.push(' ');
                area.push_str(part.trim());
            }
            _ => slashed.push(part.trim().to_string()),
        }
    }
    let mut out = Vec::new();
    for part in &slashed {
        let mut from = 0;
        for cut in cuts(part) {
            out.push(part[from..cut].trim());
            from = cut;
        }
        out.push(part[from..].trim());
    }
    out.retain(|p| !p.is_empty());
    out.into_iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// "(601)4070324/4070241": a slash without spaces parts two numbers when the parts on both
/// sides are whole numbers; "12/03/2024" and "033233/80361" stay one piece.
fn split_whole_numbers(part: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut cut_at = Vec::new();
    let segments: Vec<(usize, &str)> = part
        .match_indices('/')
        .map(|(i, _)| i)
        .chain(std::iter::once(part.len()))
        .scan(0, |from, end| {
            let seg = (*from, &part[*from..end]);
            *from = end + 1;
            Some(seg)
        })
        .collect();
    for pair in segments.windows(2) {
        let ((_, left), (right_at, right)) = (pair[0], pair[1]);
        if digits(left) >= COMPLETE_DIGITS && digits(right) >= COMPLETE_DIGITS {
            cut_at.push(right_at);
        }
    }
    for at in cut_at {
        out.push(&part[start..at - 1]);
        start = at;
    }
    out.push(&part[start..]);
    out
}

/// "033233", "0172", "(0261)": a trunk zero and an area code, nothing else.
fn is_area_code(p: &str) -> bool {
    let p = p.trim();
    let inner = p
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(p);
    inner.starts_with('0')
        && (3..=6).contains(&inner.len())
        && inner.chars().all(|c| c.is_ascii_digit())
}

/// Where a run holding complete numbers goes on to the next one: a line break, two spaces or
/// more, or a space before "(" or "+", once a complete number stands since the last cut. One
/// pass with running digit counts, so a long run of figures costs its length.
fn cuts(run: &str) -> Vec<usize> {
    let total = digits(run);
    let mut out = Vec::new();
    let (mut since_cut, mut seen) = (0, 0);
    let mut chars = run.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_ascii_digit() {
            since_cut += 1;
            seen += 1;
            continue;
        }
        if !c.is_whitespace() || since_cut < COMPLETE_DIGITS {
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        let opens = next.is_some_and(|n| n == '(' || n == '+');
        let wide = next.is_some_and(char::is_whitespace) && total - seen >= COMPLETE_DIGITS;
        if c == '\n' || opens || wide {
            out.push(at);
            since_cut = 0;
        }
    }
    out
}

/// The digits of `head` before the group the list's next number replaces: "8 (495) 123-45-67"
/// followed by "123-45-68" shares "8495". Only a whole group boundary counts, so
/// "971561888019 / 6456479" shares nothing. The shared part is at most an area code, and the
/// tail's groups are the head's last groups ("80331" after "089 123 45 678" is a postal code)
/// or one block of a whole local number.
fn shared_prefix(head: &str, tail: &str) -> Option<String> {
    let total = digits(head);
    let keep = total
        .checked_sub(digits(tail))
        .filter(|k| (1..=MAX_SHARED_DIGITS).contains(k))?;
    let groups = |s: &str| -> Vec<usize> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .map(str::len)
            .collect()
    };
    let (head_groups, tail_groups) = (groups(head), groups(tail));
    // A local number written in one block ("+52 55 7258 3335 / 72583336") replaces the head's
    // last groups whole; a block that short is a postal code or a fragment.
    let one_local_block = tail_groups.len() == 1 && tail_groups[0] >= MIN_LOCAL_BLOCK;
    if !head_groups.ends_with(&tail_groups) && !one_local_block {
        return None;
    }
    let mut seen = 0;
    let mut previous: Option<char> = None;
    for c in head.chars() {
        if c.is_ascii_digit() {
            if seen == keep && previous.is_some_and(|p| !p.is_ascii_digit()) {
                let mut prefix: String = head.starts_with('+').then_some('+').into_iter().collect();
                prefix.extend(head.chars().filter(char::is_ascii_digit).take(keep));
                return Some(prefix);
            }
            seen += 1;
        }
        previous = Some(c);
    }
    None
}

/// A date ("12.03.2024", "2024-03-12"), a span of years ("2019 - 2024") or a postal
/// code with a house number is no phone number.
fn looks_like_date_or_years(p: &str) -> bool {
    let groups: Vec<&str> = p
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let year = |g: &str| g.len() == 4 && (g.starts_with("19") || g.starts_with("20"));
    match groups.as_slice() {
        [a, b] => year(a) && year(b),
        [a, b, c] => {
            (year(a) && b.len() <= 2 && c.len() <= 2) || (a.len() <= 2 && b.len() <= 2 && year(c))
        }
        _ => false,
    }
}

/// "(21) 2222-3333", "(0212) 555.12.34", "(+49) 40 …", "(84.8) 3815 5319" (country code and
/// area code): an area code in brackets opens it.
fn area_code_shape(p: &str) -> bool {
    let Some(rest) = p.strip_prefix('(') else {
        return false;
    };
    let Some((code, local)) = rest.split_once(')') else {
        return false;
    };
    let code = code.trim_start_matches('+');
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let area = (1..=5).contains(&code.len()) && all_digits(code)
        || code.split_once(['.', '-']).is_some_and(|(cc, a)| {
            cc.len() <= 3 && a.len() <= 4 && all_digits(cc) && all_digits(a)
        });
    area && digits(local) >= 6
}

/// The phone numbers written in `text`, raw with spaces collapsed, in order.
pub fn find(text: &str) -> Vec<String> {
    let l = labels();
    let text = without_extensions(text, l);
    let text = text.as_str();
    let mut out: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut previous_end = 0;
    // The number a list continues ("8 (495) 123-45-67, 123-45-68") and whether it was taken.
    let mut list_head: Option<(String, bool)> = None;
    for run in runs(text) {
        let gap = &text[previous_end..run.start];
        // The label is what stands since the previous number, at most LABEL_REACH characters.
        let from = gap
            .char_indices()
            .rev()
            .nth(LABEL_REACH - 1)
            .map_or(0, |(at, _)| at);
        let context = label_context(&gap[from..]);
        let phone_label = has_phone_label(l, &context);
        let fax_label = has_fax_label(l, &context);
        // Only a separator since the previous number: this run continues its list.
        let continues = list_head.is_some()
            && gap.chars().count() <= 5
            && gap
                .trim()
                .trim_matches(|c: char| matches!(c, ',' | ';' | '/' | '|' | '、' | '，'))
                .trim()
                .is_empty()
            || list_head.is_some()
                && [
                    "or", "and", "и", "или", "y", "o", "et", "ou", "oder", "und", "e", "或",
                ]
                .contains(&gap.trim().trim_matches(',').trim());
        previous_end = run.end;
        let raw = &text[run.start..run.end];
        if raw.len() > MAX_RUN_CHARS {
            list_head = None;
            continue;
        }
        let fax_follows = fax_after(&text[run.end..], l);
        let all = pieces(raw);
        let last = all.len().saturating_sub(1);
        for (k, piece) in all.into_iter().enumerate() {
            let n = digits(&piece);
            let head = if k > 0 || continues {
                list_head.clone()
            } else {
                None
            };
            let take = match &head {
                Some((_, taken)) => *taken,
                // A label says phone, or nothing says fax and the number's own shape does.
                None => {
                    phone_label || !fax_label && (piece.starts_with('+') || area_code_shape(&piece))
                }
            };
            let take = take && !(k == last && fax_follows);
            if n > MAX_DIGITS || looks_like_date_or_years(&piece) {
                continue;
            }
            // A shorter number in a list shares the head's area code; one that starts with
            // a trunk zero has its own. A short tail that shares no whole group of the head
            // ("971561888019 / 6456479") is a fragment: it is left.
            let number = match &head {
                Some((h, _)) if !piece.starts_with(['+', '(', '0']) && n < digits(h) => {
                    match shared_prefix(h, &piece) {
                        Some(prefix) => format!(
                            "{prefix}{}",
                            piece
                                .chars()
                                .filter(char::is_ascii_digit)
                                .collect::<String>()
                        ),
                        None => continue,
                    }
                }
                _ => piece,
            };
            if digits(&number) < MIN_DIGITS {
                continue;
            }
            if head.is_none() {
                list_head = Some((number.clone(), take));
            }
            if take && seen.insert(number.clone()) {
                out.push(number);
            }
        }
        if !phone_label && !fax_label && list_head.as_ref().is_some_and(|(_, t)| !t) {
            list_head = None;
        }
    }
    out
}

#[cfg(test)]
mod tests;
