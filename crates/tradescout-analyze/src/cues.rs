//! Multilingual cue lexicons: the words and phrases that signal a buying stage, a concern, a
//! kind of spam or scam, or what the seller already did — each with a weight.
//!
//! The lexicons live in `data/cues/<lang>.toml` (one file per language, editable by domain
//! experts) and are compiled once into a single Aho-Corasick automaton. Matching is
//! case-insensitive; Latin, Cyrillic, Greek and Arabic cues must stand on word boundaries
//! (a `*` at either end of a cue lifts that check, for stems such as `certific*`), while
//! Chinese, Japanese, Korean and Thai cues match as substrings.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;
use tradescout_core::{Concern, Stage};

/// The kinds of spam and scam the lexicons know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SpamKind {
    /// Login, verify, "view the document" wording used by phishing pages.
    Phishing,
    /// The seller is asked to pay a fee (registration, customs, inspection, certificate).
    AdvanceFee,
    /// An urgent or huge order with no product named.
    FakeOrder,
    /// Generic text that fits any supplier ("your products", "your company").
    Generic,
    /// A service seller posing as a buyer (SEO, web design, leads, freight, trade shows).
    Service,
    /// Templated mass-mail wording ("Dear Sir/Madam", "your esteemed company").
    MassMail,
}

impl SpamKind {
    /// The key used in the lexicon files and message catalogue.
    pub fn as_str(self) -> &'static str {
        match self {
            SpamKind::Phishing => "phishing",
            SpamKind::AdvanceFee => "advance_fee",
            SpamKind::FakeOrder => "fake_order",
            SpamKind::Generic => "generic",
            SpamKind::Service => "service",
            SpamKind::MassMail => "mass_mail",
        }
    }

    const ALL: [SpamKind; 6] = [
        SpamKind::Phishing,
        SpamKind::AdvanceFee,
        SpamKind::FakeOrder,
        SpamKind::Generic,
        SpamKind::Service,
        SpamKind::MassMail,
    ];
}

/// What a seller's message shows was already offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SellerAct {
    QuoteSent,
    SamplesSent,
    PiSent,
    Shipped,
}

/// Helper cues used by several judgements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hint {
    /// A product noun (lamp, chair, fabric…): the text is about a concrete product.
    Product,
    /// A quantity unit (pcs, sets, containers…).
    Unit,
    /// A question or demand opener ("what is", "can you", "please advise").
    Ask,
}

/// What a cue signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CueKind {
    Stage(Stage),
    Concern(Concern),
    Spam(SpamKind),
    Seller(SellerAct),
    Hint(Hint),
}

/// One cue found in a text, with its byte span in that text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CueMatch {
    pub kind: CueKind,
    pub weight: f32,
    pub start: usize,
    pub end: usize,
}

/// The shipped lexicons, by language code.
const SOURCES: &[(&str, &str)] = &[
    ("en", include_str!("../data/cues/en.toml")),
    ("zh", include_str!("../data/cues/zh.toml")),
    ("es", include_str!("../data/cues/es.toml")),
    ("pt", include_str!("../data/cues/pt.toml")),
    ("ru", include_str!("../data/cues/ru.toml")),
    ("fr", include_str!("../data/cues/fr.toml")),
    ("de", include_str!("../data/cues/de.toml")),
    ("ar", include_str!("../data/cues/ar.toml")),
    ("tr", include_str!("../data/cues/tr.toml")),
    ("it", include_str!("../data/cues/it.toml")),
    ("pl", include_str!("../data/cues/pl.toml")),
    ("vi", include_str!("../data/cues/vi.toml")),
    ("id", include_str!("../data/cues/id.toml")),
    ("ja", include_str!("../data/cues/ja.toml")),
    ("ko", include_str!("../data/cues/ko.toml")),
];

/// Texts longer than this are scanned only up to here, so cost stays bounded.
pub const MAX_SCAN_BYTES: usize = 64 * 1024;

/// Error in a lexicon file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cue lexicon data/cues/{lang}.toml: {reason}")]
pub struct LexiconError {
    pub lang: String,
    pub reason: String,
}

struct Pattern {
    signals: Vec<(CueKind, f32)>,
    left_boundary: bool,
    right_boundary: bool,
}

struct Lexicon {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
}

/// Finds every cue in `text` (the first [`MAX_SCAN_BYTES`]), leftmost-longest, in order.
pub fn scan(text: &str) -> Vec<CueMatch> {
    let text = clip(text, MAX_SCAN_BYTES);
    let lex = lexicon();
    let Some(ac) = &lex.automaton else {
        return Vec::new();
    };
    let folded = fold(text);
    let mut out = Vec::new();
    for m in ac.find_iter(&folded) {
        let Some(p) = lex.patterns.get(m.pattern().as_usize()) else {
            continue;
        };
        if p.left_boundary && is_word_char(folded[..m.start()].chars().next_back()) {
            continue;
        }
        if p.right_boundary && is_word_char(folded[m.end()..].chars().next()) {
            continue;
        }
        for &(kind, weight) in &p.signals {
            out.push(CueMatch { kind, weight, start: m.start(), end: m.end() });
        }
    }
    out
}

/// Checks that every shipped lexicon parses; the judgements skip a broken file rather than fail.
pub fn check_shipped() -> Result<usize, LexiconError> {
    let mut n = 0;
    for (lang, src) in SOURCES {
        n += parse_lexicon(lang, src)?.len();
    }
    Ok(n)
}

/// The evidence quote for a span: its sentence, or at most about 60 characters either side,
/// cut on character boundaries and trimmed.
pub fn snippet(text: &str, start: usize, end: usize) -> String {
    const SIDE: usize = 60;
    let start = floor_boundary(text, start.min(text.len()));
    let end = floor_boundary(text, end.clamp(start, text.len()));
    let before = &text[..start];
    let mut from = start;
    let mut clipped_left = false;
    for (n, (i, c)) in before.char_indices().rev().enumerate() {
        if is_sentence_end(c) {
            break;
        }
        if n >= SIDE {
            clipped_left = true;
            break;
        }
        from = i;
    }
    let after = &text[end..];
    let mut to = end;
    let mut clipped_right = false;
    for (n, (i, c)) in after.char_indices().enumerate() {
        if n >= SIDE {
            clipped_right = true;
            break;
        }
        to = end + i + c.len_utf8();
        if is_sentence_end(c) {
            break;
        }
    }
    let core = text[from..to].split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s = String::with_capacity(core.len() + 6);
    if clipped_left {
        s.push('…');
    }
    s.push_str(&core);
    if clipped_right {
        s.push('…');
    }
    s
}

/// `text` cut to at most `max` bytes on a character boundary.
pub fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        text
    } else {
        &text[..floor_boundary(text, max)]
    }
}

/// Lower-cases character by character, keeping every character's byte length so that byte
/// offsets in the folded text are offsets in the original.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => out.push(c),
        }
    }
    out
}

/// True for scripts written without spaces between words.
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x0E00..=0x0E7F | 0xFF66..=0xFF9F)
}

fn is_word_char(c: Option<char>) -> bool {
    matches!(c, Some(c) if c.is_alphabetic() && !is_unspaced_script(c))
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\n' | '。' | '！' | '？' | '；' | ';' | '؟')
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(build)
}

fn build() -> Lexicon {
    let mut by_cue: BTreeMap<String, Pattern> = BTreeMap::new();
    for (lang, src) in SOURCES {
        // A broken file is reported by `check_shipped` in the tests; at run time skip it.
        let Ok(entries) = parse_lexicon(lang, src) else {
            continue;
        };
        for (cue, kind, weight) in entries {
            let left = !cue.starts_with('*');
            let right = !cue.ends_with('*');
            let bare = fold(cue.trim_matches('*').trim());
            if bare.is_empty() {
                continue;
            }
            let unspaced = bare.chars().next().is_some_and(is_unspaced_script);
            let p = by_cue.entry(bare).or_insert(Pattern {
                signals: Vec::new(),
                left_boundary: left && !unspaced,
                right_boundary: right && !unspaced,
            });
            if !p.signals.iter().any(|(k, _)| *k == kind) {
                p.signals.push((kind, weight));
            }
        }
    }
    let (needles, patterns): (Vec<String>, Vec<Pattern>) = by_cue.into_iter().unzip();
    let automaton = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&needles)
        .ok();
    Lexicon { automaton, patterns }
}

type Section = BTreeMap<String, BTreeMap<String, f64>>;

fn parse_lexicon(lang: &str, src: &str) -> Result<Vec<(String, CueKind, f32)>, LexiconError> {
    let err = |reason: String| LexiconError { lang: lang.to_string(), reason };
    let doc: BTreeMap<String, Section> = toml::from_str(src).map_err(|e| err(e.to_string()))?;
    let mut out = Vec::new();
    for (group, section) in &doc {
        for (name, cues) in section {
            let kind = cue_kind(group, name)
                .ok_or_else(|| err(format!("unknown section [{group}.{name}]")))?;
            for (cue, weight) in cues {
                if !(0.0..=5.0).contains(weight) {
                    return Err(err(format!("weight of {cue:?} must be within 0–5")));
                }
                out.push((cue.clone(), kind, *weight as f32));
            }
        }
    }
    Ok(out)
}

fn cue_kind(group: &str, name: &str) -> Option<CueKind> {
    match group {
        "stage" => Stage::from_str(name).ok().map(CueKind::Stage),
        "concern" => Concern::from_str(name).ok().map(CueKind::Concern),
        "spam" => SpamKind::ALL.into_iter().find(|k| k.as_str() == name).map(CueKind::Spam),
        "seller" => match name {
            "quote_sent" => Some(SellerAct::QuoteSent),
            "samples_sent" => Some(SellerAct::SamplesSent),
            "pi_sent" => Some(SellerAct::PiSent),
            "shipped" => Some(SellerAct::Shipped),
            _ => None,
        }
        .map(CueKind::Seller),
        "hint" => match name {
            "product" => Some(Hint::Product),
            "unit" => Some(Hint::Unit),
            "ask" => Some(Hint::Ask),
            _ => None,
        }
        .map(CueKind::Hint),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_lexicon_parses() {
        let n = check_shipped();
        assert!(n.is_ok(), "{:?}", n.err());
        assert!(n.unwrap_or(0) > 500);
    }

    #[test]
    fn latin_cues_need_word_boundaries_but_cjk_cues_do_not() {
        let kinds = |t: &str| scan(t).into_iter().map(|m| m.kind).collect::<Vec<_>>();
        assert!(kinds("What is your MOQ?").contains(&CueKind::Concern(Concern::Moq)));
        assert!(!kinds("smoqx").contains(&CueKind::Concern(Concern::Moq)));
        assert!(kinds("请问最小起订量是多少").contains(&CueKind::Concern(Concern::Moq)));
    }

    #[test]
    fn snippet_is_the_sentence_and_safe_on_multibyte_text() {
        let t = "Hello. Please send your best price for 500 pcs. Thanks";
        let i = t.find("best").unwrap_or(0);
        assert_eq!(snippet(t, i, i + 10), "Please send your best price for 500 pcs.");
        let zh = "你好".repeat(100);
        for i in 0..zh.len() {
            let _ = snippet(&zh, i, i + 1);
        }
    }
}
