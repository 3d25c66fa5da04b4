//! The country a page's content points to when it names none on an address line, from cues
//! of `data/country_cues.toml`: a national tax or registration number ("P.IVA: 03864200989",
//! "ИНН 6166101244"), a place word only one country writes on its addresses ("TP HCM",
//! "Quận"), and a postal code of one country's shape ("25040 Corte Franca (BS)") — the last
//! two only on an address line.

use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const CUES: &str = include_str!("../data/country_cues.toml");

/// How far (in characters) after a tax-id label its number must start.
const TAX_ID_REACH: usize = 8;
/// Digits a tax or registration number has at least.
const TAX_ID_DIGITS: usize = 6;
/// Words that may stand between a tax-id label and its number ("NIP nr 525…", "ИНН № …").
const NUMBER_WORDS: [&str; 4] = ["no", "nr", "n°", "№"];

#[derive(Debug, Default, Deserialize)]
struct CueFile {
    address_words: Vec<String>,
    places: BTreeMap<String, Vec<String>>,
    tax_ids: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    tax_id_patterns: BTreeMap<String, Vec<String>>,
    postal_codes: BTreeMap<String, Vec<String>>,
}

struct Cues {
    address_words: Vec<String>,
    /// (lower-case word, country), for places and tax-id labels.
    places: Vec<(String, String)>,
    tax_ids: Vec<(String, String)>,
    tax_id_patterns: Vec<(Regex, String)>,
    postal_codes: Vec<(Regex, String)>,
}

/// The kind of a cue: a country gets one vote per kind however many of its labels stand
/// on the page (ИНН, ОГРН and КПП are one).
#[derive(Clone, Copy, PartialEq, Eq)]
enum CueKind {
    TaxId,
    Place,
    PostalCode,
}

fn cues() -> &'static Cues {
    static C: OnceLock<Cues> = OnceLock::new();
    C.get_or_init(|| {
        // The file ships inside the binary; a unit test pins that it parses.
        let file: CueFile = toml::from_str(CUES).unwrap_or_default();
        let pairs = |table: &BTreeMap<String, Vec<String>>| {
            table
                .iter()
                .flat_map(|(code, words)| {
                    words.iter().map(move |w| (w.to_lowercase(), code.clone()))
                })
                .collect::<Vec<_>>()
        };
        let patterns = |table: &BTreeMap<String, Vec<String>>| {
            table
                .iter()
                .flat_map(|(code, patterns)| {
                    patterns
                        .iter()
                        .filter_map(move |p| Regex::new(p).ok().map(|re| (re, code.clone())))
                })
                .collect::<Vec<_>>()
        };
        Cues {
            address_words: file
                .address_words
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            places: pairs(&file.places),
            tax_ids: pairs(&file.tax_ids),
            tax_id_patterns: patterns(&file.tax_id_patterns),
            postal_codes: patterns(&file.postal_codes),
        }
    })
}

/// The words that open a postal address, lower case.
pub(crate) fn address_words() -> &'static [String] {
    &cues().address_words
}

/// The country most cues on the page point to (ISO code), one vote per kind of cue; ties go
/// to the country whose cue is read first.
pub fn content_country(text: &str) -> Option<String> {
    let c = cues();
    let lower = text.to_lowercase();
    // (where in the lower-case text, country, kind)
    let mut found: Vec<(usize, &str, CueKind)> = Vec::new();
    for (label, code) in &c.tax_ids {
        if let Some(end) =
            word_matches(&lower, label).find(|&end| tax_number_follows(&lower[end..]))
        {
            found.push((end - label.len(), code, CueKind::TaxId));
        }
    }
    for (re, code) in &c.tax_id_patterns {
        if let Some(m) = re.find(&lower) {
            found.push((m.start(), code, CueKind::TaxId));
        }
    }
    let mut cursor = 0;
    for line in crate::country::address_lines(text) {
        let line = line.to_lowercase();
        let base = lower
            .get(cursor..)
            .and_then(|rest| rest.find(&line))
            .map_or(cursor, |at| cursor + at);
        cursor = base + line.len();
        for (word, code) in &c.places {
            if let Some(end) = word_matches(&line, word).next() {
                found.push((base + end - word.len(), code, CueKind::Place));
            }
        }
        for (re, code) in &c.postal_codes {
            if let Some(m) = re.find(&line) {
                found.push((base + m.start(), code, CueKind::PostalCode));
            }
        }
    }
    found.sort_by_key(|(at, _, _)| *at);
    // Countries in the order their first cue is read, with their votes.
    let mut votes: Vec<(&str, usize)> = Vec::new();
    let mut counted: Vec<(&str, CueKind)> = Vec::new();
    for (_, code, kind) in found {
        if counted.contains(&(code, kind)) {
            continue;
        }
        counted.push((code, kind));
        match votes.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => votes.push((code, 1)),
        }
    }
    let best = votes.iter().map(|(_, n)| *n).max()?;
    votes
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(c, _)| c.to_string())
}

/// Whether `line` (lower case) holds a place word of a country other than `code`: then a
/// country's name on it is part of a place name ("Quận Thủ Đức, TP HCM" names a district of
/// Ho Chi Minh City, not Germany, "Đức" in Vietnamese).
pub(crate) fn names_another_countrys_place(line: &str, code: &str) -> bool {
    cues()
        .places
        .iter()
        .any(|(word, c)| c != code && word_matches(line, word).next().is_some())
}

/// The ends of the places where `word` stands as a word of its own in `text` (a word that
/// ends in a letter must not run on into more letters: "nip" is not "nipple").
fn word_matches<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let ends_in_letter = word.chars().next_back().is_some_and(char::is_alphabetic);
    text.match_indices(word).filter_map(move |(at, w)| {
        let end = at + w.len();
        let starts = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let ends = !ends_in_letter
            || text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphabetic());
        (starts && ends).then_some(end)
    })
}

/// Whether a registration number stands right after a label: separators alone (spaces,
/// ":", ".", "-", "№", "No", "nr"), then a run of digits, single spaces, dots, dashes or
/// slashes inside it, with at least `TAX_ID_DIGITS` digits ("P.IVA: 03864200989",
/// "NIP: 525-000-12-34", "CNPJ: 12.345.678/0001-90").
fn tax_number_follows(after: &str) -> bool {
    let mut rest = after;
    let mut skipped = 0;
    loop {
        let trimmed = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '：' | '.' | '-' | '№' | '#')
        });
        skipped += rest.len() - trimmed.len();
        rest = trimmed;
        let word = NUMBER_WORDS.iter().find(|w| {
            rest.starts_with(*w)
                && !rest[w.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic)
        });
        match word {
            Some(w) => {
                skipped += w.len();
                rest = &rest[w.len()..];
            }
            None => break,
        }
    }
    if skipped > TAX_ID_REACH * 2 || !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut count = 0;
    let mut after_separator = false;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            count += 1;
            after_separator = false;
        } else if matches!(c, ' ' | '.' | '-' | '/') && !after_separator {
            after_separator = true;
        } else {
            break;
        }
    }
    count >= TAX_ID_DIGITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cue_file_parses_and_every_pattern_compiles() {
        let file: CueFile = toml::from_str(CUES).unwrap_or_else(|e| panic!("{e}"));
        assert!(file.address_words.len() > 10 && file.tax_ids.len() > 10);
        for (code, patterns) in file.postal_codes.iter().chain(&file.tax_id_patterns) {
            for p in patterns {
                assert!(Regex::new(p).is_ok(), "{code}: {p}");
            }
        }
        let all = file.places.keys().chain(file.tax_ids.keys());
        assert!(all
            .into_iter()
            .all(|c| c.len() == 2 && c == &c.to_uppercase()));
    }

    #[test]
    fn tax_ids_with_their_number_name_the_country() {
        for (text, want) in [
            ("Sede legale: Via Roma 1 - CF e P.IVA: 01234567890", "IT"),
            ("ООО «Светлый дом» ИНН 7701234567 ОГРН 1027700123456", "RU"),
            ("NIP: 525-000-12-34, REGON 012345678", "PL"),
            ("GSTIN: 27AAACR5055K1Z7", "IN"),
            ("CNPJ: 12.345.678/0001-90", "BR"),
            ("RFC: GCV120101AB1", "MX"),
            ("ABN 12 345 678 901", "AU"),
            ("MST: 0301234567", "VN"),
            ("Mã số thuế: 0301234567", "VN"),
            ("USt-IdNr.: DE123456789", "DE"),
        ] {
            assert_eq!(content_country(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn a_label_without_its_number_or_inside_a_word_says_nothing() {
        for text in [
            "Prices include IVA.",
            "Podaj NIP, a wystawimy fakturę.",
            "Ask for our RFC process",
            "Snippet 1234567",
            "Our ABN is available on request",
        ] {
            assert_eq!(content_country(text), None, "{text}");
        }
    }

    #[test]
    fn a_tax_id_needs_its_number_right_after_separators() {
        // Letters, spaces and dots used to pass for the number.
        assert_eq!(content_country("NIP na fakturze. Tel 1234567"), None);
        assert_eq!(content_country("P.IVA e codice a.b.c. 12345678"), None);
        assert_eq!(content_country("ИНН: 7701234567").as_deref(), Some("RU"));
        assert_eq!(
            content_country("NIP nr 525-000-12-34").as_deref(),
            Some("PL")
        );
        assert_eq!(content_country("ИНН № 7701234567").as_deref(), Some("RU"));
    }

    #[test]
    fn trade_words_that_look_like_tax_labels_say_nothing() {
        for text in [
            "Prices CIF Hamburg 2024, order 1234567 pcs",
            "CIF 12345678 EUR",
            "RFC 2616 compliant, order 123456",
            "Bank: ABN AMRO, IBAN NL91 ABNA 0417 1643 00",
        ] {
            assert_eq!(content_country(text), None, "{text}");
        }
        assert_eq!(content_country("CIF: B12345678").as_deref(), Some("ES"));
        assert_eq!(content_country("C.I.F. A-28123456").as_deref(), Some("ES"));
    }

    #[test]
    fn votes_count_one_per_kind_and_ties_go_to_the_cue_read_first() {
        // Three Russian labels are one vote; the Italian address gives IT a place and a
        // postal code.
        let text = "ИНН 7701234567 ОГРН 1027700123456 КПП 770101001\nSede operativa\nVia Roma 1\n24067 Sarnico (BG), Italia";
        assert_eq!(content_country(text).as_deref(), Some("IT"));
        // One cue each: the first read wins, not the first in the alphabet.
        assert_eq!(
            content_country("NIP: 5250001234\nP.IVA: 01234567890").as_deref(),
            Some("PL")
        );
        assert_eq!(
            content_country("P.IVA: 01234567890\nNIP: 5250001234").as_deref(),
            Some("IT")
        );
    }

    #[test]
    fn local_place_words_and_postal_codes_count_on_address_lines_only() {
        let vn = "Địa chỉ: 27/13 đường số 5, Phường Hiệp Bình Chánh, Quận Thủ Đức, TP HCM";
        assert_eq!(content_country(vn).as_deref(), Some("VN"));
        let it = "Sede operativa\nVia Garibaldi, 12\n24067 Sarnico (BG)";
        assert_eq!(content_country(it).as_deref(), Some("IT"));
        assert!(names_another_countrys_place(
            "phường hiệp bình chánh, quận thủ đức, tp hcm",
            "DE"
        ));
        // The same words in running text are no address.
        assert_eq!(
            content_country("Chúng tôi giao hàng đến mọi quận của thành phố."),
            None
        );
    }
}
