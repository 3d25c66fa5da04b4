//! Text plumbing shared by the extractors: bounded scanning, the buyer's own lines, word
//! boundaries that work for Latin and CJK alike, and numbers as buyers write them.

use crate::input::InputMessage;

/// Only the first 64 KB of a message are read: inquiries are far shorter, and a pasted
/// 10 MB log must not cost more than a normal message.
pub(crate) const MAX_SCAN: usize = 64 * 1024;

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
pub(crate) fn capped(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The part of a message its sender wrote: capped, cut before quoted history that was not
/// split off ("On … wrote:", "-----Original Message-----").
pub(crate) fn own_text(msg: &InputMessage) -> &str {
    let text = capped(&msg.text, MAX_SCAN);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if starts_quoted_history(line.trim()) {
            return &text[..offset];
        }
        offset += line.len();
    }
    text
}

fn starts_quoted_history(line: &str) -> bool {
    if line.len() > 300 {
        return false;
    }
    let lower_start = line.trim_start_matches(['-', '_', ' ']);
    if line.starts_with("-----") && lower_start.len() < line.len() {
        let l = lower_start.as_bytes();
        if l.len() >= 8
            && (l[..8].eq_ignore_ascii_case(b"original")
                || l[..8].eq_ignore_ascii_case(b"forwarde"))
        {
            return true;
        }
    }
    if line.len() >= 20 && line.bytes().all(|b| b == b'_') {
        return true;
    }
    super::lexicon::request_data()
        .quoted_history
        .wrote
        .iter()
        .any(|w| line.ends_with(w.as_str()))
}

/// A letter, digit or CJK character: what a word is made of.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    tradescout_core::phrases::is_alphanumeric(c) || c == '_'
}

/// CJK scripts write without spaces, so word boundaries do not apply to them.
#[inline]
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF)
}

/// A character that glues to a neighbouring one: a word character that is not CJK.
#[inline]
pub(crate) fn glues(c: char) -> bool {
    !is_cjk(c) && is_word_char(c)
}

/// Whether `text[start..end]` stands as a whole word: no word character glued to either end,
/// except where the match or its neighbour is CJK.
pub(crate) fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let (Some(head), Some(tail)) = (text.get(start..end), text.get(..start)) else {
        return false;
    };
    let first = head.chars().next();
    let last = head.chars().next_back();
    let before = tail.chars().next_back();
    let after = text.get(end..).and_then(|s| s.chars().next());
    let glued = |inner: Option<char>, outer: Option<char>| match (inner, outer) {
        (Some(i), Some(o)) => glues(i) && glues(o),
        _ => false,
    };
    !glued(first, before) && !glued(last, after)
}

/// A number as buyers write it: `1,000`, `1.000` (thousands), `1 000`, `12.5`, `12,5`,
/// `1.200,50`. A lone separator followed by exactly three digits groups thousands; otherwise
/// it is the decimal point. Reads without allocating.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    let b = s.as_bytes();
    let is_sep = |c: u8| matches!(c, b',' | b'.' | b' ' | b'\'');
    if !b[0].is_ascii_digit() || !b[b.len() - 1].is_ascii_digit() {
        return None;
    }
    // Group lengths and separators, without allocating.
    let mut groups = 0usize;
    let mut first_len = 0usize;
    let mut all_three = true;
    let mut last_sep = None;
    let mut distinct_seps = 0u8;
    let mut run = 0usize;
    for &c in b {
        if c.is_ascii_digit() {
            run += 1;
            continue;
        }
        if !is_sep(c) || run == 0 {
            return None;
        }
        if groups == 0 {
            first_len = run;
        } else if run != 3 {
            all_three = false;
        }
        if last_sep.is_some_and(|l: u8| l != c) {
            distinct_seps += 1;
        }
        last_sep = Some(c);
        groups += 1;
        run = 0;
    }
    let last_len = run;
    let mut int_part: f64 = 0.0;
    let mut frac_part: f64 = 0.0;
    let mut frac_scale: f64 = 1.0;
    let decimal_at = if groups == 0 {
        None
    } else if distinct_seps > 0 {
        b.iter().rposition(|c| !c.is_ascii_digit())
    } else if first_len <= 3 && all_three && last_len == 3 {
        None
    } else if groups == 1 {
        b.iter().rposition(|c| !c.is_ascii_digit())
    } else {
        return None;
    };
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_digit() {
            continue;
        }
        let d = f64::from(c - b'0');
        if decimal_at.is_some_and(|at| i > at) {
            frac_scale /= 10.0;
            frac_part += d * frac_scale;
        } else {
            int_part = int_part * 10.0 + d;
        }
    }
    let v = int_part + frac_part;
    v.is_finite().then_some(v)
}

/// A `HashMap` with a fast non-cryptographic hash, for lexicon look-ups on hot paths.
pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<FxHasher>>;

/// The Fx hash (as used by rustc): fast for short keys; lexicons are not attacker-chosen keys
/// in a way that matters for a per-message map lookup.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.hash = (self.hash.rotate_left(5) ^ u64::from_le_bytes(buf))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Looks `word` up lowercased, without allocating for short ASCII words.
pub(crate) fn get_lower<'m, V>(map: &'m FastMap<String, V>, word: &str) -> Option<&'m V> {
    let mut buf = [0u8; 48];
    if word.is_ascii() && word.len() <= buf.len() {
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        return std::str::from_utf8(lower).ok().and_then(|k| map.get(k));
    }
    map.get(&word.to_lowercase())
}

/// Whether a set holds `word` lowercased, without allocating for short ASCII words.
pub(crate) fn contains_lower(set: &FastSet<String>, word: &str) -> bool {
    let mut buf = [0u8; 48];
    if word.is_ascii() && word.len() <= buf.len() {
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        return std::str::from_utf8(lower).is_ok_and(|k| set.contains(k));
    }
    set.contains(&word.to_lowercase())
}

/// The message date as (year, month, day) when it can be read: ISO 8601 or RFC 2822.
pub(crate) fn message_date(msg: &InputMessage) -> Option<(i32, u32, u32)> {
    let d = msg.date.as_deref()?.trim();
    let b = d.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let y = d.get(0..4)?.parse().ok()?;
        let m = d.get(5..7)?.parse().ok()?;
        let day = d.get(8..10)?.parse().ok()?;
        return valid_date(y, m, day);
    }
    // RFC 2822: "Mon, 3 Mar 2025 10:00:00 +0000"
    let mut parts = d.split([' ', ',']).filter(|p| !p.is_empty());
    let mut day = None;
    let mut month = None;
    for p in parts.by_ref() {
        if let Ok(n) = p.parse::<u32>() {
            if day.is_none() && n <= 31 {
                day = Some(n);
                continue;
            }
            if let (Some(dd), Some(mm)) = (day, month) {
                return valid_date(n as i32, mm, dd);
            }
        } else if month.is_none() && day.is_some() {
            month = english_month(p);
        }
    }
    None
}

pub(crate) fn valid_date(y: i32, m: u32, d: u32) -> Option<(i32, u32, u32)> {
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
        .then_some((y, m, d))
}

pub(crate) fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn english_month(p: &str) -> Option<u32> {
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let p = p.get(0..3)?;
    M.iter()
        .position(|m| m.eq_ignore_ascii_case(p))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_thousands_and_decimals() {
        assert_eq!(parse_number("1,000"), Some(1000.0));
        assert_eq!(parse_number("1.000"), Some(1000.0));
        assert_eq!(parse_number("10 000"), Some(10000.0));
        assert_eq!(parse_number("12.5"), Some(12.5));
        assert_eq!(parse_number("3,20"), Some(3.2));
        assert_eq!(parse_number("1,234,567"), Some(1234567.0));
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number("1.200,50"), Some(1200.5));
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn capping_respects_char_boundaries() {
        let s = "价格价格";
        assert_eq!(capped(s, 4), "价");
        assert_eq!(capped(s, 100), s);
    }

    #[test]
    fn quoted_history_is_cut() {
        let msg = InputMessage {
            text: "Please quote 500 pcs.\n\nOn Mon, 3 Mar 2025, Sales <s@f.cn> wrote:\n> our price is USD 5".into(),
            ..Default::default()
        };
        assert_eq!(own_text(&msg).trim(), "Please quote 500 pcs.");
    }

    #[test]
    fn whole_words_ignore_cjk_neighbours() {
        assert!(!is_whole_word("price", 3, 5));
        assert!(is_whole_word("CE, RoHS", 0, 2));
        assert!(is_whole_word("需要CE认证", 6, 8));
    }

    #[test]
    fn message_dates_in_iso_and_rfc2822() {
        let m = |d: &str| InputMessage {
            date: Some(d.into()),
            ..Default::default()
        };
        assert_eq!(message_date(&m("2025-03-03T10:00:00Z")), Some((2025, 3, 3)));
        assert_eq!(
            message_date(&m("Mon, 3 Mar 2025 10:00:00 +0000")),
            Some((2025, 3, 3))
        );
        assert_eq!(message_date(&m("soon")), None);
    }
}
