//! Multilingual cue lexicons: the words and phrases that signal a buying stage, a concern, a
//! kind of spam or scam, or what the seller already did — each with a weight.
//!
//! The lexicons live in `data/cues/<lang>.toml` (one file per language, editable by domain
//! experts) and are compiled once into two phrase tries (cues that start at a word start, and the others). Matching is
//! case-insensitive; Latin, Cyrillic, Greek and Arabic cues must stand on word boundaries
//! (a `*` at either end of a cue lifts that check, for stems such as `certific*`), while
//! Chinese, Japanese, Korean and Thai cues match as substrings.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;
use tradescout_core::phrases::{find_all, PhraseTrie, Start};
use tradescout_core::{Concern, Stage};

mod thread;

pub use thread::{
    scan_thread, ScannedMessage, ScannedThread, MAX_BUYER_MESSAGES, MAX_SELLER_MESSAGES,
};

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
    ("nl", include_str!("../data/cues/nl.toml")),
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
    /// Short acronyms written in capitals in the lexicon ("CE", "UL") must be capitals in the
    /// text too, or "ce" in French prose would read as a certification.
    capitals: bool,
}

/// Cues that must start at a word start, and those that may start anywhere (Chinese,
/// Japanese, Korean and Thai cues; stems written `*xyz`). Ids index `patterns`.
struct Lexicon {
    bounded: PhraseTrie,
    free: PhraseTrie,
    patterns: Vec<Pattern>,
}

/// Finds every cue in `text` (the first [`MAX_SCAN_BYTES`]), leftmost-longest, in order.
pub fn scan(text: &str) -> Vec<CueMatch> {
    let text = clip(text, MAX_SCAN_BYTES);
    let lex = lexicon();
    let folded = fold(text);
    let tries = [
        (&lex.bounded, Start::AfterNonWord),
        (&lex.free, Start::Anywhere),
    ];
    let found = find_all(
        &folded,
        tries,
        |c| is_word_char(Some(c)),
        |_, pi, start, end| {
            let Some(p) = lex.patterns.get(pi as usize) else {
                return false;
            };
            if p.right_boundary && is_word_char(folded[end..].chars().next()) {
                return false;
            }
            !p.capitals || text[start..end].bytes().all(|b| b.is_ascii_uppercase())
        },
    );
    let mut out = Vec::with_capacity(found.len() + 8);
    for (start, end, _, pi) in found {
        if let Some(p) = lex.patterns.get(pi as usize) {
            for &(kind, weight) in p.signals.iter().filter(|(_, w)| *w > 0.0) {
                out.push(CueMatch {
                    kind,
                    weight,
                    start,
                    end,
                });
            }
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
    let (from, to, clipped_left, clipped_right) = snippet_bounds(text, start, end);
    let mut s = String::with_capacity(to - from + 8);
    if clipped_left {
        s.push('…');
    }
    for (n, part) in text[from..to].split_whitespace().enumerate() {
        if n > 0 {
            s.push(' ');
        }
        s.push_str(part);
    }
    if clipped_right {
        s.push('…');
    }
    s
}

/// The byte range [`snippet`] quotes for a span, and whether it was cut short on either side.
pub fn snippet_bounds(text: &str, start: usize, end: usize) -> (usize, usize, bool, bool) {
    const SIDE: usize = 60;
    let start = floor_boundary(text, start.min(text.len()));
    let end = floor_boundary(text, end.clamp(start, text.len()));
    let mut from = start;
    let mut clipped_left = false;
    for (n, (i, c)) in text[..start].char_indices().rev().enumerate() {
        if ends_sentence(text, i, c) {
            break;
        }
        if n >= SIDE {
            clipped_left = true;
            break;
        }
        from = i;
    }
    let mut to = end;
    let mut clipped_right = false;
    for (n, (i, c)) in text[end..].char_indices().enumerate() {
        if n >= SIDE {
            clipped_right = true;
            break;
        }
        to = end + i + c.len_utf8();
        if ends_sentence(text, end + i, c) {
            break;
        }
    }
    (from, to, clipped_left, clipped_right)
}

/// A sentence end at byte `i` — but not the point of a decimal number ("USD 12.50").
fn ends_sentence(text: &str, i: usize, c: char) -> bool {
    if !is_sentence_end(c) {
        return false;
    }
    if c == '.' || c == ',' {
        let next = text[i + c.len_utf8()..].chars().next();
        let prev = text[..i].chars().next_back();
        if next.is_some_and(|n| n.is_ascii_digit()) && prev.is_some_and(|p| p.is_ascii_digit()) {
            return false;
        }
    }
    true
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
    tradescout_core::phrases::fold(text)
}

/// True for scripts written without spaces between words.
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x0E00..=0x0E7F | 0xFF66..=0xFF9F)
}

fn is_word_char(c: Option<char>) -> bool {
    match c {
        Some(c) if c.is_ascii() => c.is_ascii_alphabetic(),
        Some(c) => {
            !is_unspaced_script(c)
                && tradescout_core::phrases::is_alphanumeric(c)
                && tradescout_core::phrases::is_alphabetic(c)
        }
        None => false,
    }
}

fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '\n' | '。' | '！' | '？' | '；' | ';' | '؟'
    )
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
            let raw = cue.trim_matches('*').trim();
            let capitals = raw.len() <= 4 && raw.bytes().all(|b| b.is_ascii_uppercase());
            let bare = fold(raw);
            if bare.is_empty() {
                continue;
            }
            let unspaced = bare.chars().next().is_some_and(is_unspaced_script);
            let p = by_cue.entry(bare).or_insert(Pattern {
                signals: Vec::new(),
                left_boundary: left && !unspaced,
                right_boundary: right && !unspaced,
                capitals,
            });
            p.capitals &= capitals;
            match p.signals.iter_mut().find(|(k, _)| *k == kind) {
                Some(s) => s.1 = s.1.max(weight),
                None => p.signals.push((kind, weight)),
            }
        }
    }
    inherit_shorter_cues(&mut by_cue);
    let mut bounded = PhraseTrie::builder();
    let mut free = PhraseTrie::builder();
    let mut patterns = Vec::with_capacity(by_cue.len());
    for (cue, p) in by_cue {
        let id = patterns.len() as u32;
        if p.left_boundary {
            bounded.insert(&cue, id);
        } else {
            free.insert(&cue, id);
        }
        patterns.push(p);
    }
    Lexicon {
        bounded: bounded.build(),
        free: free.build(),
        patterns,
    }
}

/// Leftmost-longest matching reports only the longest cue at a place, so a long cue
/// ("price for") would hide what a shorter cue inside it signals (`concern.price` from "price").
/// Each cue therefore also carries the concern, spam and hint signals of the cues inside it,
/// unless it names that signal itself (weight 0 switches one off).
fn inherit_shorter_cues(by_cue: &mut BTreeMap<String, Pattern>) {
    let mut extra: Vec<(String, Vec<(CueKind, f32)>)> = Vec::new();
    for (cue, p) in by_cue.iter() {
        let mut found: Vec<(CueKind, f32)> = Vec::new();
        for inner in inner_cues(cue) {
            let Some(q) = by_cue.get(inner) else {
                continue;
            };
            for &(kind, w) in &q.signals {
                let inheritable = matches!(
                    kind,
                    CueKind::Concern(_) | CueKind::Spam(_) | CueKind::Hint(_)
                );
                let own = p.signals.iter().any(|(k, _)| *k == kind);
                if inheritable && !own {
                    match found.iter_mut().find(|(k, _)| *k == kind) {
                        Some(f) => f.1 = f.1.max(w),
                        None => found.push((kind, w)),
                    }
                }
            }
        }
        if !found.is_empty() {
            extra.push((cue.clone(), found));
        }
    }
    for (cue, found) in extra {
        if let Some(p) = by_cue.get_mut(&cue) {
            p.signals.extend(found);
        }
    }
}

/// The shorter cues a cue may contain: runs of whole words, or for unspaced scripts every
/// run of characters.
fn inner_cues(cue: &str) -> Vec<&str> {
    let mut out = Vec::new();
    if cue.chars().next().is_some_and(is_unspaced_script) {
        let idx: Vec<usize> = cue
            .char_indices()
            .map(|(i, _)| i)
            .chain([cue.len()])
            .collect();
        for a in 0..idx.len() {
            for b in a + 1..idx.len() {
                if b - a < idx.len() - 1 {
                    out.push(&cue[idx[a]..idx[b]]);
                }
            }
        }
    } else {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(cue.match_indices(' ').map(|(i, _)| i + 1))
            .collect();
        let ends: Vec<usize> = cue
            .match_indices(' ')
            .map(|(i, _)| i)
            .chain([cue.len()])
            .collect();
        for &a in &starts {
            for &b in &ends {
                if b > a && (a, b) != (0, cue.len()) {
                    out.push(&cue[a..b]);
                }
            }
        }
    }
    out
}

type Section = BTreeMap<String, BTreeMap<String, f64>>;

fn parse_lexicon(lang: &str, src: &str) -> Result<Vec<(String, CueKind, f32)>, LexiconError> {
    let err = |reason: String| LexiconError {
        lang: lang.to_string(),
        reason,
    };
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
                // A stem mark is read only at an end; inside it would be a literal `*`
                // that no text holds, and the cue would silently never match.
                if cue.trim_matches('*').contains('*') {
                    return Err(err(format!(
                        "{cue:?}: `*` marks a stem only at the start or end of a phrase"
                    )));
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
        "spam" => SpamKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .map(CueKind::Spam),
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
        let cert = CueKind::Concern(Concern::Certification);
        assert!(kinds("Do you have CE?").contains(&cert));
        assert!(!kinds("ce produit est bon").contains(&cert));
    }

    #[test]
    fn snippet_is_the_sentence_and_safe_on_multibyte_text() {
        let t = "Hello. Please send your best price for 500 pcs. Thanks";
        let i = t.find("best").unwrap_or(0);
        assert_eq!(
            snippet(t, i, i + 10),
            "Please send your best price for 500 pcs."
        );
        let zh = "你好".repeat(100);
        for i in 0..zh.len() {
            let _ = snippet(&zh, i, i + 1);
        }
    }
}
