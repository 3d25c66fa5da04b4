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

/// How a number word combines with its neighbours (see `[numbers]` in the request data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum WordKind {
    /// "two", "veinte": adds its value.
    Plain,
    /// "dos", "due": a number only right before a scale word ("dos mil").
    BeforeScale,
    /// "hundred", "mil": multiplies what came before; `alone` when it counts by itself
    /// ("mille pezzi").
    Scale { alone: bool },
    /// "三", "两": a Chinese digit.
    CjkDigit,
    /// "十", "千", "万": a Chinese scale.
    CjkScale,
}

/// A number word of the request data with its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NumberWord {
    pub value: f64,
    pub kind: WordKind,
}

/// Longest word read as a number written as one word.
const MAX_COMPOUND_BYTES: usize = 64;
/// Most words of one text tried as numbers written as one word.
const MAX_COMPOUND_TRIES: usize = 2000;

/// Most a number written as words may be worth: a longer run of digits is no count.
const MAX_SPELLED: f64 = 1.0e9;

/// The whole numbers written as words among `words` (number words found in `text`, in order):
/// adjacent words on one line, joined by spaces, a hyphen or a link word (`links`, lower-case),
/// make one number where their place values allow it ("one hundred and fifty", "treinta y
/// cinco", "dix-sept" — not "five and two" or "two twenty"). Kept: groups worth 2 or more, not
/// right after a digit ("4 mil bags" is a thickness), not glued by a hyphen to a word
/// ("three-phase") nor followed by a kind word ("three phase motors"); a Chinese group only
/// when it starts with a digit (or 十), is not vague ("几千", "上千") and stands right before a
/// classifier ("一千二百件", not "三月" or "一些").
pub(crate) fn spelled<'a>(
    text: &'a str,
    words: &[(usize, usize, NumberWord)],
    links: &[String],
) -> Vec<Num<'a>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let cjk = is_cjk_kind(words[i].2.kind);
        let mut j = i + 1;
        while j < words.len() && is_cjk_kind(words[j].2.kind) == cjk {
            let gap = text.get(words[j - 1].1..words[j].0).unwrap_or("x");
            let (prev, next) = (words[j - 1].2, words[j].2);
            let joined = if cjk {
                gap.is_empty()
            } else {
                let g = gap.trim_matches([' ', '\t', '\u{a0}']);
                let linked =
                    g.is_empty() || g == "-" || links.iter().any(|l| g.eq_ignore_ascii_case(l));
                linked && place_fits(prev, next)
            };
            if !joined {
                break;
            }
            j += 1;
        }
        let group = &words[i..j];
        i = j;
        let (start, end) = (group[0].0, group[group.len() - 1].1);
        let before = text.get(..start).unwrap_or("");
        let after_digit = before
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit());
        let value = if cjk {
            cjk_value(group, before)
        } else {
            latin_value(group).filter(|_| !names_a_kind(text, end))
        };
        let Some(value) = value.filter(|v| *v >= 2.0 && *v <= MAX_SPELLED && !after_digit) else {
            continue;
        };
        if cjk && super::quantity::unit_at(text, end).is_none() {
            continue;
        }
        out.push(Num {
            start,
            end,
            raw: text.get(start..end).unwrap_or(""),
            value: Some(value),
        });
    }
    out
}

/// Whether number word `next` continues the number that `prev` ends: after a scale comes
/// something smaller ("hundred and fifty", "mil quinientos"), after tens a unit or teen
/// ("twenty-five", "soixante-dix", "dix-sept"), before a scale anything ("two hundred").
fn place_fits(prev: NumberWord, next: NumberWord) -> bool {
    let scale = |w: NumberWord| matches!(w.kind, WordKind::Scale { .. });
    if scale(next) {
        return !scale(prev) || next.value > prev.value;
    }
    if scale(prev) {
        return next.value < prev.value;
    }
    if prev.value >= 100.0 {
        // "doscientos cincuenta"
        return next.value < 100.0;
    }
    let tens = prev.value >= 10.0 && prev.value < 100.0 && prev.value % 10.0 == 0.0;
    tens && next.value < 20.0
}

/// Whether the number ending at `end` is part of a kind, not a count: glued by a hyphen to a
/// word that is no number ("three-phase", "twenty-foot"), or followed by a kind word ("three
/// phase motors"; `kind_words` in the request data).
pub(crate) fn names_a_kind(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    if rest.starts_with('-') && rest[1..].starts_with(tradescout_core::phrases::is_alphabetic) {
        return true;
    }
    let next = rest.trim_start_matches([' ', '\u{a0}']);
    let word: String = next
        .chars()
        .take_while(|c| tradescout_core::phrases::is_alphabetic(*c))
        .collect::<String>()
        .to_lowercase();
    !word.is_empty()
        && super::lexicon::request_data()
            .numbers
            .kind_words
            .contains(&word)
}

fn is_cjk_kind(k: WordKind) -> bool {
    matches!(k, WordKind::CjkDigit | WordKind::CjkScale)
}

/// "one hundred and fifty" → 150, "two thousand five hundred" → 2500; `None` for a group that
/// is no count ("due" alone, "cent" alone).
pub(crate) fn latin_value(group: &[(usize, usize, NumberWord)]) -> Option<f64> {
    if let [(_, _, w)] = group {
        if matches!(w.kind, WordKind::Scale { alone: false }) {
            return None;
        }
    }
    let (mut total, mut current) = (0.0, 0.0);
    for (k, (_, _, w)) in group.iter().enumerate() {
        match w.kind {
            WordKind::BeforeScale
                if !group
                    .get(k + 1)
                    .is_some_and(|n| matches!(n.2.kind, WordKind::Scale { .. })) =>
            {
                return None;
            }
            WordKind::Scale { .. } => {
                current = f64::max(current, 1.0) * w.value;
                if w.value >= 1000.0 {
                    total += current;
                    current = 0.0;
                }
            }
            _ => current += w.value,
        }
    }
    Some(total + current)
}

/// "一千二百" → 1200, "两万" → 20000, "十二" → 12, "一千零五十" → 1050; `None` for a vague
/// amount ("几千", "数百", "上千": a scale first, or a vague word right `before`).
fn cjk_value(group: &[(usize, usize, NumberWord)], before: &str) -> Option<f64> {
    let first = group.first()?.2;
    let starts_with_ten = first.kind == WordKind::CjkScale && first.value == 10.0;
    if first.kind == WordKind::CjkScale && !starts_with_ten {
        return None;
    }
    if before.ends_with(['几', '幾', '数', '數', '上', '成', '好', '近', '多']) {
        return None;
    }
    let (mut total, mut section) = (0.0, 0.0);
    let mut digit: Option<f64> = None;
    for (_, _, w) in group {
        match w.kind {
            WordKind::CjkScale if w.value >= 10000.0 => {
                section += digit.take().unwrap_or(0.0);
                total += f64::max(section, 1.0) * w.value;
                section = 0.0;
            }
            WordKind::CjkScale => section += digit.take().unwrap_or(1.0) * w.value,
            _ => digit = Some(digit.map_or(w.value, |d| d * 10.0 + w.value)),
        }
        if total + section + digit.unwrap_or(0.0) > MAX_SPELLED {
            return None;
        }
    }
    Some(total + section + digit.unwrap_or(0.0))
}

/// The numbers of `digits` and `spelled` together, in order of position.
pub(crate) fn merged<'a>(digits: &[Num<'a>], spelled: Vec<Num<'a>>) -> Vec<Num<'a>> {
    let mut all: Vec<Num<'a>> = digits.iter().copied().chain(spelled).collect();
    all.sort_by_key(|n| n.start);
    all
}

/// Numbers written as one word, as German and Italian do ("zweihundertfünfzig",
/// "fünfundzwanzig", "duemilacinquecento"): each word of `text` made only of number words —
/// with a scale among them or a compound link ("und") joining them — as one plain number word
/// over the word's span. At most [`MAX_NUMBERS`] are read.
pub(crate) fn compounds(text: &str) -> Vec<(usize, usize, NumberWord)> {
    let mut out = Vec::new();
    let mut start = None;
    // Words tried, found or not: a text of a hundred thousand crafted words costs no more than
    // an inquiry's few.
    let mut tried = 0;
    let ends = text
        .char_indices()
        .map(|(i, c)| (i, tradescout_core::phrases::is_alphabetic(c)))
        .chain(std::iter::once((text.len(), false)));
    for (i, alpha) in ends {
        match (alpha, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                let word = &text[s..i];
                if out.len() >= MAX_NUMBERS || tried >= MAX_COMPOUND_TRIES || word.len() < 7 {
                    continue;
                }
                tried += 1;
                if let Some(w) = compound_word(word) {
                    out.push((s, i, w));
                }
            }
            _ => {}
        }
    }
    out
}

/// The value of `word` (lower case) read as number words written together, if it is made of
/// at least two of them with a scale among them or a link between them.
fn compound_value(word: &str) -> Option<f64> {
    let data = &super::lexicon::request_data().numbers;
    let part = |w: &str| {
        listed_number_word(w).or_else(|| {
            data.compound_parts.get(w).map(|&value| NumberWord {
                value,
                kind: WordKind::Plain,
            })
        })
    };
    // Longest parts first, backtracking: "fünfundzwanzig" is fünf + und + zwanzig. `budget`
    // bounds the parts tried, whatever the word.
    fn split<'w>(
        rest: &'w str,
        parts: &mut Vec<NumberWord>,
        linked: &mut bool,
        budget: &mut usize,
        part: &dyn Fn(&str) -> Option<NumberWord>,
        links: &[String],
    ) -> bool {
        if rest.is_empty() {
            return true;
        }
        if parts.len() > 12 || *budget == 0 {
            return false;
        }
        *budget -= 1;
        // No number word is longer than 16 bytes ("quatrocentos" is 12).
        let cuts: Vec<usize> = rest
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take_while(|&cut| cut <= 16)
            .collect();
        for &cut in cuts.iter().rev() {
            let head = &rest[..cut];
            if let Some(w) = part(head) {
                parts.push(w);
                if split(&rest[cut..], parts, linked, budget, part, links) {
                    return true;
                }
                parts.pop();
            } else if !parts.is_empty() && links.iter().any(|l| l == head) {
                let was = *linked;
                *linked = true;
                if split(&rest[cut..], parts, linked, budget, part, links) {
                    return true;
                }
                *linked = was;
            }
        }
        false
    }
    let mut parts = Vec::new();
    let mut linked = false;
    let mut budget = 100;
    if !split(
        word,
        &mut parts,
        &mut linked,
        &mut budget,
        &part,
        &data.compound_links,
    ) {
        return None;
    }
    let scaled = parts
        .iter()
        .any(|w| matches!(w.kind, WordKind::Scale { .. }));
    if parts.len() < 2 || !(scaled || linked) {
        return None;
    }
    let group: Vec<(usize, usize, NumberWord)> = parts.into_iter().map(|w| (0, 0, w)).collect();
    latin_value(&group).filter(|v| v.fract() == 0.0)
}

/// The number words of the request data written with letters (not Chinese numerals), each
/// with how it combines; the phrase matcher and [`number_word`] read the same list.
pub(crate) fn latin_number_words() -> impl Iterator<Item = (&'static str, NumberWord)> {
    let data = &super::lexicon::request_data().numbers;
    let plain = data.words.iter().map(|(w, v)| {
        let kind = if data.only_before_scale.contains(w) {
            WordKind::BeforeScale
        } else {
            WordKind::Plain
        };
        (w.as_str(), NumberWord { value: *v, kind })
    });
    let scales = data.scales.iter().map(|(w, v)| {
        let kind = WordKind::Scale {
            alone: data.alone_scales.contains(w),
        };
        (w.as_str(), NumberWord { value: *v, kind })
    });
    plain.chain(scales)
}

/// The number word `word` is, if any (any case): its value and how it combines.
pub(crate) fn number_word(word: &str) -> Option<NumberWord> {
    listed_number_word(word).or_else(|| compound_word(word))
}

/// The number word `word` is among those listed in the data (any case).
fn listed_number_word(word: &str) -> Option<NumberWord> {
    static WORDS: std::sync::OnceLock<super::text::FastMap<String, NumberWord>> =
        std::sync::OnceLock::new();
    let map = WORDS.get_or_init(|| {
        latin_number_words()
            .map(|(w, n)| (w.to_lowercase(), n))
            .collect()
    });
    super::text::get_lower(map, word).copied()
}

/// Whether `word` begins with a number word or a compound part (any case): what every number
/// written as one word does, and a walk of a few characters that rejects most words at once.
fn starts_with_number_part(word: &str) -> bool {
    static FIRST: std::sync::OnceLock<tradescout_core::phrases::PhraseTrie> =
        std::sync::OnceLock::new();
    let trie = FIRST.get_or_init(|| {
        let data = &super::lexicon::request_data().numbers;
        tradescout_core::phrases::PhraseTrie::of(
            latin_number_words()
                .map(|(w, _)| w)
                .chain(data.compound_parts.keys().map(String::as_str)),
        )
    });
    let mut found = false;
    trie.each_at(word, 0, |_, _| found = true);
    found
}

/// `word` read as a number written as one word ("zweihundertfünfzig"), as a plain number word.
fn compound_word(word: &str) -> Option<NumberWord> {
    // "neunhundertneunundneunzigtausendneunhundertneunundneunzig" is 57 bytes: longer words
    // are no numbers, and a stranger's 10,000-letter word is not searched.
    if !(7..=MAX_COMPOUND_BYTES).contains(&word.len())
        || !word.chars().all(tradescout_core::phrases::is_alphabetic)
        || !starts_with_number_part(word)
    {
        return None;
    }
    let data = &super::lexicon::request_data().numbers;
    let lower = word.to_lowercase();
    let telling = data
        .compound_links
        .iter()
        .any(|l| lower.contains(l.as_str()))
        || data.scales.keys().any(|k| lower.contains(k.as_str()));
    if !telling {
        return None;
    }
    compound_value(&lower).map(|value| NumberWord {
        value,
        kind: WordKind::Plain,
    })
}

/// The value of one number word standing alone ("twelve", "dois"), if it counts alone: not a
/// word that needs a scale after it ("dos"), nor a scale that never counts alone ("hundred").
pub(crate) fn word_value(word: &str) -> Option<f64> {
    number_word(word)
        .filter(|n| matches!(n.kind, WordKind::Plain | WordKind::Scale { alone: true }))
        .map(|n| n.value)
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
    if is_cjk(first) || !(tradescout_core::phrases::is_alphabetic(first)) {
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
        if tradescout_core::phrases::is_alphabetic(c) && !is_cjk(c) || c == '²' {
            end = i + c.len_utf8();
        } else if (c == '.' || c == '\'' || c == '/') && end == i {
            // inner punctuation only when a letter follows: "sq.m", "no's", "m/t"
            if rest[i + 1..]
                .chars()
                .next()
                .is_some_and(|n| tradescout_core::phrases::is_alphabetic(n) && !is_cjk(n))
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

/// A times sign as buyers type it between factors: "2 x 40HQ", "800×30W", "40HQ*2".
pub(crate) fn is_times(c: char) -> bool {
    matches!(c, 'x' | 'X' | '×' | '*')
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
    fn numbers_written_as_one_word_are_read_whole() {
        let value = |w: &str| compound_value(&w.to_lowercase());
        assert_eq!(value("zweihundert"), Some(200.0));
        assert_eq!(value("zweihundertfünfzig"), Some(250.0));
        assert_eq!(value("fünfundzwanzig"), Some(25.0));
        assert_eq!(value("dreitausendfünfhundert"), Some(3500.0));
        assert_eq!(value("einhundert"), Some(100.0));
        assert_eq!(value("duemila"), Some(2000.0));
        assert_eq!(value("duemilacinquecento"), Some(2500.0));
        assert_eq!(value("millecinquecento"), Some(1500.0));
        // Words that only begin like numbers, or numbers side by side without a scale or link.
        assert_eq!(value("dreieck"), None);
        assert_eq!(value("einheit"), None);
        assert_eq!(value("tretre"), None);
        assert_eq!(value("hundertschaft"), None);
        // Long or crafted words end quickly and read as nothing.
        // Longer than any number: refused before the search.
        assert_eq!(compound_word(&"hundert".repeat(2000)), None);
        // Within the length, a word of thirteen parts or more reads as nothing, and the search
        // behind that answer is bounded.
        assert_eq!(compound_word(&"ein".repeat(21)), None);
        assert_eq!(
            compound_word("neunhundertneunundneunzigtausendneunhundertneunundneunzig")
                .map(|w| w.value),
            Some(999_999.0)
        );
        let found: Vec<f64> =
            compounds("Wir benötigen zweihundertfünfzig Stück und Einheiten, bitte.")
                .iter()
                .map(|w| w.2.value)
                .collect();
        assert_eq!(found, [250.0]);
    }

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
