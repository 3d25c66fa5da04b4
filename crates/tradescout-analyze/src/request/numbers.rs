//! The numbers of a text and what stands right before and after them. Quantities, specs and
//! prices are all a number with a word next to it, so one byte scan finds them all, and each
//! reader only looks at a few bytes around each number.

use super::text::{is_cjk, parse_number};

/// A number as written, with its byte span.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num<'a> {
    pub start: usize,
    pub end: usize,
    pub raw: &'a str,
    /// `None` when the digits do not form one number ("1.2.3").
    pub value: Option<f64>,
}

/// At most this many numbers are read from one text: an inquiry has a few dozen.
const MAX_NUMBERS: usize = 400;

/// Every run of digits (with thousands and decimal separators) in `text`.
pub(crate) fn scan(text: &str) -> Vec<Num<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() < MAX_NUMBERS {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        // Separators continue the number when digits follow: "1,000", "12.5", "10 000".
        loop {
            if i + 1 >= b.len() || i - start > 24 {
                break;
            }
            let sep = b[i];
            let digits_after = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let ok = match sep {
                b',' | b'.' => digits_after > 0,
                b' ' => {
                    digits_after == 3
                        && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
                        && i - start <= 3
                }
                _ => false,
            };
            if !ok {
                break;
            }
            i += 1 + digits_after;
        }
        let raw = text.get(start..i).unwrap_or("");
        out.push(Num {
            start,
            end: i,
            raw,
            value: parse_number(raw),
        });
    }
    out
}

/// `pos` moved past at most `max` spaces (ASCII or no-break).
pub(crate) fn skip_spaces(text: &str, mut pos: usize, max: usize) -> usize {
    let mut n = 0;
    while n < max {
        match text.get(pos..).and_then(|s| s.chars().next()) {
            Some(c @ (' ' | '\u{a0}' | '\t')) => {
                pos += c.len_utf8();
                n += 1;
            }
            _ => break,
        }
    }
    pos
}

/// The word starting at `pos`: a run of letters (with inner `.`, `'`, `/`), a single CJK
/// character, or a single symbol such as `€`, `$`, `°`. Returns it with its end.
pub(crate) fn word_at(text: &str, pos: usize) -> Option<(&str, usize)> {
    let rest = text.get(pos..)?;
    let first = rest.chars().next()?;
    if is_cjk(first) || !(first.is_alphabetic()) {
        if first.is_whitespace() || first.is_ascii_digit() {
            return None;
        }
        return Some((&rest[..first.len_utf8()], pos + first.len_utf8()));
    }
    let mut end = 0;
    for (i, c) in rest.char_indices() {
        if i > 24 {
            break;
        }
        if c.is_alphabetic() && !is_cjk(c) || c == '²' {
            end = i + c.len_utf8();
        } else if (c == '.' || c == '\'' || c == '/') && end == i {
            // inner punctuation only when a letter follows: "sq.m", "no's", "m/t"
            if rest[i + 1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_alphabetic() && !is_cjk(n))
            {
                continue;
            }
            break;
        } else {
            break;
        }
    }
    (end > 0).then(|| (&rest[..end], pos + end))
}

/// Up to `max` chars of CJK text starting at `pos`, for measure words and currencies
/// ("个", "公斤", "美元").
pub(crate) fn cjk_prefixes(
    text: &str,
    pos: usize,
    max: usize,
) -> impl Iterator<Item = (&str, usize)> {
    let rest = text.get(pos..).unwrap_or("");
    let ends: Vec<usize> = rest
        .char_indices()
        .take(max)
        .take_while(|(_, c)| is_cjk(*c))
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    ends.into_iter().rev().map(move |e| (&rest[..e], pos + e))
}

/// The char right before `pos`, if any.
pub(crate) fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

/// The char at `pos`, if any.
pub(crate) fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// The ASCII letters and marks right before `pos` (at most `buf.len()` bytes, stopping at a
/// line break or non-ASCII char), lowercased into `buf` — no allocation.
pub(crate) fn ascii_before<'b>(text: &str, pos: usize, buf: &'b mut [u8; 16]) -> &'b str {
    let bytes = text.as_bytes();
    let mut start = pos.min(bytes.len());
    while start > 0
        && pos - start < buf.len()
        && bytes[start - 1].is_ascii()
        && bytes[start - 1] != b'\n'
    {
        start -= 1;
    }
    let src = &bytes[start..pos.min(bytes.len())];
    let out = &mut buf[..src.len()];
    out.copy_from_slice(src);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).unwrap_or("")
}

/// Up to `n` bytes before `pos` on the same line, lowercased.
pub(crate) fn before_lower(text: &str, pos: usize, n: usize) -> String {
    let mut start = pos.saturating_sub(n);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let s = text.get(start..pos).unwrap_or("");
    let s = s.rsplit('\n').next().unwrap_or(s);
    s.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_separators() {
        let nums: Vec<_> = scan("500pcs, 1,000 pcs, 12.5, 10 000 units, IP65, +86 1380")
            .iter()
            .map(|n| n.raw)
            .collect();
        assert_eq!(
            nums,
            vec!["500", "1,000", "12.5", "10 000", "65", "86", "1380"]
        );
    }

    #[test]
    fn words_and_symbols_after_numbers() {
        assert_eq!(word_at("pcs. more", 0), Some(("pcs", 3)));
        assert_eq!(word_at("sq.m of", 0), Some(("sq.m", 4)));
        assert_eq!(word_at("€ 5", 0), Some(("€", 3)));
        assert_eq!(word_at("个灯", 0), Some(("个", 3)));
        assert_eq!(word_at(" x", 0), None);
    }
}
