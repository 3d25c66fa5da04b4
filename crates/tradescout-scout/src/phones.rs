//! Phone numbers in a page's text, written the national way: a number is taken when a phone
//! label stands before it (in any language of `data/phone_labels.toml`), when it starts with
//! `+`, or when it opens with an area code in brackets ("(21) 2222-3333"). A number labelled
//! only as a fax is not taken. Lists share their area code ("8 (495) 123-45-67, 123-45-68"),
//! numbers may be split over two lines, and several may stand on one line apart by "/" or ",".
//! The numbers come out raw; `report` reads them with the site's country.

use serde::Deserialize;
use std::sync::OnceLock;

const LABELS: &str = include_str!("../data/phone_labels.toml");

/// How far (in characters) before a number its label may stand.
const LABEL_REACH: usize = 40;
/// Digits a number has at least and at most (trunk prefixes and country codes included).
const MIN_DIGITS: usize = 6;
const MAX_DIGITS: usize = 17;
/// A number whose first part (up to a line break) already has this many digits is complete:
/// the next line is another number, not its end.
const COMPLETE_DIGITS: usize = 7;

#[derive(Deserialize)]
struct LabelFile {
    phone: Vec<String>,
    fax: Vec<String>,
}

struct Labels {
    phone: Vec<String>,
    fax: Vec<String>,
}

fn labels() -> &'static Labels {
    static L: OnceLock<Labels> = OnceLock::new();
    L.get_or_init(|| match toml::from_str::<LabelFile>(LABELS) {
        Ok(f) => Labels {
            phone: f.phone,
            fax: f.fax,
        },
        // The shipped file is checked by a test; a broken one finds no labelled numbers.
        Err(_) => Labels {
            phone: Vec::new(),
            fax: Vec::new(),
        },
    })
}

/// Whether a label of `list` starts a word in `context` (lower case).
fn has_label(list: &[String], context: &str) -> bool {
    list.iter().any(|label| {
        context.match_indices(label.as_str()).any(|(at, _)| {
            context[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
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

/// The numbers one run holds: split at " / ", at a line break after a complete number, at a
/// run of spaces between two complete numbers.
fn pieces(run: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in run.split(" / ").flat_map(|p| p.split("/ ")) {
        let mut rest = part;
        while let Some(nl) = rest.find('\n') {
            let (head, tail) = rest.split_at(nl);
            if digits(head) >= COMPLETE_DIGITS {
                out.push(head.trim());
                rest = &tail[1..];
            } else {
                break;
            }
        }
        out.push(rest.trim());
    }
    out.retain(|p| !p.is_empty());
    out
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

/// "(21) 2222-3333", "(0212) 555.12.34", "(+49) 40 …": an area code in brackets opens it.
fn area_code_shape(p: &str) -> bool {
    let Some(rest) = p.strip_prefix('(') else {
        return false;
    };
    let Some((code, local)) = rest.split_once(')') else {
        return false;
    };
    let code = code.trim_start_matches('+');
    (1..=5).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit()) && digits(local) >= 6
}

/// The phone numbers written in `text`, raw, in order.
pub fn find(text: &str) -> Vec<String> {
    let l = labels();
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
        let context = gap[from..].to_lowercase();
        let phone_label = has_label(&l.phone, &context);
        let fax_label = has_label(&l.fax, &context);
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
        for (k, piece) in pieces(raw).into_iter().enumerate() {
            let n = digits(piece);
            let head = if k > 0 || continues {
                list_head.clone()
            } else {
                None
            };
            let take = match &head {
                Some((_, taken)) => *taken,
                // A label says phone, or nothing says fax and the number's own shape does.
                None => {
                    phone_label || !fax_label && (piece.starts_with('+') || area_code_shape(piece))
                }
            };
            if n > MAX_DIGITS || looks_like_date_or_years(piece) {
                continue;
            }
            // A shorter number in a list shares the head's area code; one that starts with
            // a trunk zero has its own.
            let number = match &head {
                Some((h, _))
                    if !piece.starts_with(['+', '(', '0'])
                        && (1..=5).contains(&digits(h).saturating_sub(n)) =>
                {
                    let keep = digits(h) - n;
                    let mut prefix: String =
                        h.starts_with('+').then_some('+').into_iter().collect();
                    prefix.extend(h.chars().filter(char::is_ascii_digit).take(keep));
                    format!(
                        "{prefix}{}",
                        piece
                            .chars()
                            .filter(char::is_ascii_digit)
                            .collect::<String>()
                    )
                }
                _ => piece.to_string(),
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
mod tests {
    use super::*;

    #[test]
    fn the_label_file_parses_and_has_both_lists() {
        let f: LabelFile = toml::from_str(LABELS).unwrap_or_else(|e| panic!("{e}"));
        assert!(f.phone.len() > 100 && f.fax.len() > 10);
        assert!(f.phone.iter().chain(&f.fax).all(|l| l == &l.to_lowercase()));
    }

    #[test]
    fn labelled_numbers_in_many_languages_are_found_and_faxes_are_not() {
        for (text, want) in [
            ("Teléfonos: (0212) 555.12.34", vec!["(0212) 555.12.34"]),
            ("Telefones: (21) 2222-3333", vec!["(21) 2222-3333"]),
            ("ĐT: 0912 345 678", vec!["0912 345 678"]),
            ("Điện thoại: 028 3823 4567", vec!["028 3823 4567"]),
            ("Call us on 13 22 54", vec!["13 22 54"]),
            ("الرقم الموحد: 9200 12345", vec!["9200 12345"]),
            ("Toll free 1800 123 4567", vec!["1800 123 4567"]),
            ("Tel./Fax: 040 123 456", vec!["040 123 456"]),
            ("Fax: 040 123 457", vec![]),
            ("Tel: 040 123 456, Fax: 040 123 457", vec!["040 123 456"]),
            (
                "电话：0755-2345 6789 传真：0755-2345 6780",
                vec!["0755-2345 6789"],
            ),
            ("Факс: 8 (495) 123-45-60", vec![]),
            ("联系电话13800138000", vec!["13800138000"]),
            ("TEL03-1234-5678", vec!["03-1234-5678"]),
            ("Tel+49 40 7813 4420", vec!["+49 40 7813 4420"]),
        ] {
            assert_eq!(find(text), want, "{text}");
        }
    }

    #[test]
    fn lists_share_their_area_code_and_split_numbers_are_joined() {
        assert_eq!(
            find("Тел.: 8 (495) 123-45-67, 123-45-68, 123-45-69"),
            vec!["8 (495) 123-45-67", "84951234568", "84951234569"]
        );
        assert_eq!(
            find("Telefon: +49 (0) 40\n123 456-0"),
            vec!["+49 (0) 40\n123 456-0"]
        );
        assert_eq!(
            find("Tel: 020 445 2210 / 0733 556 210"),
            vec!["020 445 2210", "0733 556 210"]
        );
        assert_eq!(
            find("Telefon:\n040 123456\n040 654321"),
            vec!["040 123456", "040 654321"]
        );
    }

    #[test]
    fn numbers_that_are_no_phones_are_left() {
        for text in [
            "Hotel 1234567 Berlin",
            "Postfach 12 34 56, 20095 Hamburg",
            "USt-IdNr.: DE123456789",
            "Öffnungszeiten 2019 - 2024",
            "Stand: 12.03.2024",
            "IBAN DE12 3456 7890 1234 5678 90",
            "Fax: +49 40 7813 4411",
            "Fax(040) 123456",
            "ISO 9001(2015) zertifiziert, Größe M(38)",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
        // Unlabelled, a "+" or an area code in brackets still says phone.
        assert_eq!(find("(11) 3229-4410"), vec!["(11) 3229-4410"]);
        assert_eq!(find("+49 40 7813 4420"), vec!["+49 40 7813 4420"]);
    }
}
