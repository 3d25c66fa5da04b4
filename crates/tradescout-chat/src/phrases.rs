//! The words WhatsApp writes itself, loaded once from `data/whatsapp.toml`.
//!
//! All phrases are compared in lower case, with a trailing full stop dropped, so the file can
//! list each phrase once as the app writes it.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

const SOURCE: &str = include_str!("../data/whatsapp.toml");

/// Words around the time of day.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// Before-noon markers, longest first (so `a. m.` is tried before `a.m`).
    pub am: Vec<String>,
    /// After-noon markers, longest first.
    pub pm: Vec<String>,
    /// Markers for the hours around noon (Chinese 中午).
    pub noon: Vec<String>,
    /// Words between date and time, longest first.
    pub connectors: Vec<String>,
}

/// Everything the parser knows about WhatsApp's own wording.
#[derive(Debug, Default)]
pub(crate) struct Phrases {
    pub clock: Clock,
    /// Starts of WhatsApp's notices (folded).
    pub notices: Vec<String>,
    /// The length of the longest notice, in characters.
    pub notice_chars: usize,
    /// Whole texts that stand for no message (folded).
    pub notes: Vec<String>,
    /// The "edited" mark without brackets (folded).
    pub edited: Vec<String>,
    /// The words in "name.jpg (file attached)" (folded).
    pub attached: Vec<String>,
    /// Whole lines standing for a left-out file (folded) → kind of file.
    pub omitted: HashMap<String, String>,
}

/// Lower case, trimmed, one trailing full stop (Latin or CJK) dropped.
pub(crate) fn fold(s: &str) -> String {
    let t = s.trim();
    let t = t
        .strip_suffix('.')
        .or_else(|| t.strip_suffix('。'))
        .unwrap_or(t);
    t.trim_end().to_lowercase()
}

/// The shipped phrases; an unreadable file (caught by the tests) gives empty lists.
pub(crate) fn phrases() -> &'static Phrases {
    static PHRASES: OnceLock<Phrases> = OnceLock::new();
    PHRASES.get_or_init(|| load(SOURCE).unwrap_or_default())
}

/// Reads the shipped file, saying what is wrong with it.
pub(crate) fn check_shipped() -> Result<(), String> {
    let p = load(SOURCE)?;
    if p.clock.am.is_empty() || p.clock.pm.is_empty() {
        return Err("data/whatsapp.toml: [clock] needs am and pm words".into());
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    clock: ClockFile,
    lang: BTreeMap<String, LangFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockFile {
    am: Vec<String>,
    pm: Vec<String>,
    #[serde(default)]
    noon: Vec<String>,
    #[serde(default)]
    connectors: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LangFile {
    #[serde(default)]
    notices: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    edited: Vec<String>,
    #[serde(default)]
    attached: Vec<String>,
    #[serde(default)]
    omitted: BTreeMap<String, String>,
}

const KINDS: &[&str] = &[
    "media", "image", "video", "audio", "sticker", "gif", "document", "contact",
];

fn load(src: &str) -> Result<Phrases, String> {
    let file: File = toml::from_str(src).map_err(|e| format!("data/whatsapp.toml: {e}"))?;
    let mut p = Phrases {
        clock: Clock {
            am: longest_first(file.clock.am),
            pm: longest_first(file.clock.pm),
            noon: longest_first(file.clock.noon),
            connectors: longest_first(file.clock.connectors),
        },
        ..Phrases::default()
    };
    for (lang, l) in file.lang {
        for (list, out) in [
            (l.notices, &mut p.notices),
            (l.notes, &mut p.notes),
            (l.edited, &mut p.edited),
            (l.attached, &mut p.attached),
        ] {
            for phrase in list {
                let f = fold(&phrase);
                if f.is_empty() {
                    return Err(format!("data/whatsapp.toml [lang.{lang}]: an empty phrase"));
                }
                out.push(f);
            }
        }
        for (phrase, kind) in l.omitted {
            if !KINDS.contains(&kind.as_str()) {
                return Err(format!(
                    "data/whatsapp.toml [lang.{lang}.omitted]: {phrase:?} has kind {kind:?}, \
                     expected one of {KINDS:?}"
                ));
            }
            p.omitted.insert(fold(&phrase), kind);
        }
    }
    p.notice_chars = p
        .notices
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0);
    Ok(p)
}

fn longest_first(mut words: Vec<String>) -> Vec<String> {
    words.retain(|w| !w.trim().is_empty());
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_phrases_read() {
        assert_eq!(check_shipped(), Ok(()));
        let p = phrases();
        assert!(p
            .omitted
            .get("<media omitted>")
            .is_some_and(|k| k == "media"));
        assert!(p.notes.iter().any(|n| n == "this message was deleted"));
    }

    #[test]
    fn folding_drops_case_and_one_full_stop() {
        assert_eq!(
            fold(" Se eliminó este mensaje. "),
            "se eliminó este mensaje"
        );
        assert_eq!(fold("此消息已删除。"), "此消息已删除");
    }

    #[test]
    fn unknown_kinds_are_refused() {
        let bad = "[clock]\nam=[\"AM\"]\npm=[\"PM\"]\n[lang.xx.omitted]\n\"x\" = \"photo\"\n";
        assert!(load(bad).is_err_and(|e| e.contains("photo")));
    }
}
