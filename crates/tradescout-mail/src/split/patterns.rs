//! The pattern data of `data/split.toml`, parsed once and indexed for fast lookups.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

/// The data file, compiled in so the splitter needs no files at run time.
pub const SPLIT_TOML: &str = include_str!("../../data/split.toml");

/// The field an Outlook-style header line carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderField {
    From,
    Date,
    To,
    Cc,
    Subject,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SplitData {
    pub quote_header: QuoteHeaderData,
    pub separators: SeparatorData,
    pub header_keys: HeaderKeyData,
    pub signature: SignatureData,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuoteHeaderData {
    pub openers: Vec<String>,
    pub wrote: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SeparatorData {
    pub phrases: Vec<String>,
    pub standalone: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeaderKeyData {
    pub from: Vec<String>,
    pub date: Vec<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignatureData {
    pub signoffs: Vec<String>,
    pub thanks: Vec<String>,
    pub mobile: Vec<String>,
    /// Footers of `mobile` that never start a sentence ("sent from my", not "sent via").
    #[serde(default)]
    pub mobile_certain: Vec<String>,
    /// Phone-sent footers that name the device first ("iPhoneから送信", "iPhone에서 보냄").
    #[serde(default)]
    pub mobile_endings: Vec<String>,
    pub contact_prefixes: Vec<String>,
    pub titles: Vec<String>,
    pub disclaimer: Vec<String>,
    /// Mailbox names of a role, not a person ("sales@", "info@"): no word of a signature.
    #[serde(default)]
    pub role_mailboxes: Vec<String>,
    /// Particles of personal names ("van", "del", "bin"): words of any message too.
    #[serde(default)]
    pub name_particles: Vec<String>,
}

/// Parses the data file; an error names the problem. Used by the tests of the data file.
pub fn parse_split_data() -> Result<(), String> {
    toml::from_str::<SplitData>(SPLIT_TOML)
        .map(|_| ())
        .map_err(|e| format!("data/split.toml: {e}"))
}

/// Indexed pattern data.
pub(crate) struct Patterns {
    pub openers: Vec<String>,
    /// "wrote" phrases, lowercase, searched in a lowercased candidate line.
    pub wrote: Option<AhoCorasick>,
    /// Per pattern of `wrote`: whether it must stand alone as a word.
    pub wrote_is_word: Vec<bool>,
    pub separator_phrases: HashSet<String>,
    pub standalone: HashSet<String>,
    pub header_keys: HashMap<String, HeaderField>,
    pub signoffs: HashSet<String>,
    pub thanks: HashSet<String>,
    pub mobile: Vec<String>,
    pub mobile_certain: Vec<String>,
    pub mobile_endings: Vec<String>,
    pub contact_prefixes: HashSet<String>,
    pub role_mailboxes: HashSet<String>,
    pub name_particles: HashSet<String>,
    pub titles: Option<AhoCorasick>,
    pub disclaimer: Option<AhoCorasick>,
}

/// The patterns, built on first use. A broken data file yields empty lists rather than a panic;
/// the data-file test catches that before release.
pub(crate) fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| build(toml::from_str::<SplitData>(SPLIT_TOML).unwrap_or_default()))
}

fn lower_all(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| s.trim().to_lowercase().replace('\u{307}', ""))
        .filter(|s| !s.is_empty())
        .collect()
}

fn build(data: SplitData) -> Patterns {
    let wrote = lower_all(&data.quote_header.wrote);
    let wrote_is_word = wrote
        .iter()
        .map(|w| w.chars().next().is_some_and(is_spaced_script))
        .collect();
    let wrote_ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&wrote)
        .ok();

    let mut header_keys = HashMap::new();
    let keys = &data.header_keys;
    for (list, field) in [
        (&keys.from, HeaderField::From),
        (&keys.date, HeaderField::Date),
        (&keys.to, HeaderField::To),
        (&keys.cc, HeaderField::Cc),
        (&keys.subject, HeaderField::Subject),
    ] {
        for k in lower_all(list) {
            header_keys.entry(k).or_insert(field);
        }
    }

    let sig = &data.signature;
    let titles = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(lower_all(&sig.titles))
        .ok();

    let disclaimer = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(lower_all(&sig.disclaimer))
        .ok();

    Patterns {
        openers: lower_all(&data.quote_header.openers),
        wrote: wrote_ac,
        wrote_is_word,
        separator_phrases: lower_all(&data.separators.phrases).into_iter().collect(),
        standalone: lower_all(&data.separators.standalone).into_iter().collect(),
        header_keys,
        signoffs: lower_all(&sig.signoffs).into_iter().collect(),
        thanks: lower_all(&sig.thanks).into_iter().collect(),
        mobile: lower_all(&sig.mobile),
        mobile_certain: lower_all(&sig.mobile_certain),
        mobile_endings: lower_all(&sig.mobile_endings),
        contact_prefixes: lower_all(&sig.contact_prefixes).into_iter().collect(),
        role_mailboxes: lower_all(&sig.role_mailboxes).into_iter().collect(),
        name_particles: lower_all(&sig.name_particles).into_iter().collect(),
        titles,
        disclaimer,
    }
}

/// Scripts that separate words with spaces, so a phrase must not touch letters around it.
pub(crate) fn is_spaced_script(c: char) -> bool {
    c.is_alphabetic() && !is_cjk_or_arabic(c)
}

fn is_cjk_or_arabic(c: char) -> bool {
    matches!(c as u32,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x3040..=0x30FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}
