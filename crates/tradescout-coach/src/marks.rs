//! Market access marks as catalogues and buyers write them (`CE认证`, `UL Listed`, `cULus`,
//! `RCM/SAA`), folded to the names `data/knowledge/markets.toml` uses, so a certified product
//! is recognised as certified whatever the spelling.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const MARKS: &str = include_str!("../data/knowledge/marks.toml");

#[derive(Debug, Default, Deserialize)]
struct MarkFile {
    #[serde(default)]
    factory: Vec<String>,
    decorations: Vec<String>,
    mark: Vec<Mark>,
}

#[derive(Debug, Deserialize)]
struct Mark {
    name: String,
    aliases: Vec<String>,
}

#[derive(Debug, Default)]
struct Table {
    /// Factory and management certifications (ISO 9001, BSCI), lower case.
    factory: Vec<String>,
    /// Lower case; Chinese ones are cut out wherever they occur, others as whole words.
    decorations: Vec<String>,
    /// Lower-case name or alias → the marks it stands for.
    index: HashMap<String, Vec<String>>,
}

/// The marks one written certification stands for: `CE认证` → `[CE]`, `cULus Listed` →
/// `[UL, cUL]`; one the table does not know comes back as written (trimmed).
pub fn canonical_marks(written: &str) -> Vec<String> {
    let raw = written.trim();
    if raw.is_empty() {
        return Vec::new();
    }
    let t = table();
    let lower = raw.to_lowercase();
    if let Some(marks) = t.index.get(&lower) {
        return marks.clone();
    }
    let mut cut = lower;
    for d in t.decorations.iter().filter(|d| !d.is_ascii()) {
        cut = cut.replace(d.as_str(), " ");
    }
    let key = cut
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '(' | ')' | '（' | '）'))
        .filter(|w| !w.is_empty() && !t.decorations.iter().any(|d| d == w))
        .collect::<Vec<_>>()
        .join(" ");
    match t.index.get(key.trim_matches('-')) {
        Some(marks) => marks.clone(),
        None => vec![raw.to_string()],
    }
}

/// Whether `mark` certifies a factory or its management (ISO 9001, BSCI) rather than a
/// product.
pub fn is_factory_mark(mark: &str) -> bool {
    let lower = mark.trim().to_lowercase();
    table().factory.contains(&lower)
}

/// A list of written marks folded, in the order first written, without repeats.
pub fn canonical_list<S: AsRef<str>>(written: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for mark in written.iter().flat_map(|w| canonical_marks(w.as_ref())) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&mark)) {
            out.push(mark);
        }
    }
    out
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        // A broken data file leaves marks as written; a test guards the shipped one.
        let file: MarkFile = toml::from_str(MARKS).unwrap_or_default();
        let mut index: HashMap<String, Vec<String>> = HashMap::new();
        for m in &file.mark {
            for key in std::iter::once(&m.name).chain(&m.aliases) {
                let marks = index.entry(key.to_lowercase()).or_default();
                if !marks.contains(&m.name) {
                    marks.push(m.name.clone());
                }
            }
        }
        Table {
            factory: file.factory.iter().map(|d| d.to_lowercase()).collect(),
            decorations: file.decorations.iter().map(|d| d.to_lowercase()).collect(),
            index,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_parses() {
        let file = toml::from_str::<MarkFile>(MARKS);
        assert!(file.is_ok(), "{:?}", file.err());
    }

    #[test]
    fn marks_written_the_chinese_way_or_with_decorations_are_folded() {
        let cases: [(&str, &[&str]); 12] = [
            ("CE认证", &["CE"]),
            ("RCM 认证", &["RCM"]),
            ("SAA证书", &["SAA"]),
            ("UL Listed", &["UL"]),
            ("ETL listed", &["ETL"]),
            ("cULus", &["UL", "cUL"]),
            ("ROHS2", &["RoHS"]),
            ("ErP Directive", &["ErP"]),
            ("CE Marking", &["CE"]),
            ("G mark", &["G-Mark"]),
            ("3C认证", &["CCC"]),
            ("ISO9001", &["ISO9001"]),
        ];
        for (written, want) in cases {
            assert_eq!(canonical_marks(written), want, "{written}");
        }
        assert_eq!(
            canonical_list(&["CE认证", "CE", "ROHS", "c-UL"]),
            ["CE", "RoHS", "cUL"]
        );
    }
}
