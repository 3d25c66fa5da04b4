//! Model numbers: after a cue ("model BS-FL100", "SKU: X", "型号：X") or, with a hyphen, on
//! their own ("BS-FL100") — but not specs, containers or certifications written that way.

use super::numbers::{char_at, skip_spaces};
use super::vocab::{Hit, Tag};
use regex::Regex;
use std::sync::OnceLock;

fn bare_model() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?:^|[^A-Za-z0-9\-])([A-Z]{1,6}[0-9]*-[A-Z0-9][A-Z0-9\-]{1,20})(?:[^A-Za-z0-9\-]|$)",
        )
        .ok()
    })
    .as_ref()
}

/// Model numbers: after a cue ("model BS-FL100", "型号：X"), and codes with a hyphen on any
/// line ("BS-FL100"), except specs, containers and certifications written that way.
pub(crate) fn find(body: &str, hits: &[Hit]) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    for (cue_start, end) in hits
        .iter()
        .filter(|h| *h.tag == Tag::ModelCue)
        .map(|h| (h.start, h.end))
    {
        // "Our ref. PO-2025-118" names a document; "model PI-100" a product.
        let reference = body
            .get(cue_start..end)
            .is_some_and(|c| c.to_ascii_lowercase().starts_with("ref"));
        let mut at = skip_spaces(body, end, 2);
        if let Some(c) = char_at(body, at).filter(|c| matches!(c, ':' | '：' | '#' | '.')) {
            at = skip_spaces(body, at + c.len_utf8(), 2);
        }
        let rest = body.get(at..).unwrap_or("");
        let len = rest
            .bytes()
            .take(31)
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.'))
            .count();
        let code = rest[..len].trim_end_matches(['.', ',', '/', '-']);
        let has_digit = code.bytes().any(|b| b.is_ascii_digit());
        if (code.len() >= 2 && has_digit
            || code.len() >= 3 && code.bytes().all(|b| b.is_ascii_uppercase()))
            && !is_common_word(code)
            && !(reference && is_document_number(code))
        {
            out.push((at, at + code.len(), code.to_string()));
        }
    }
    if let Some(re) = bare_model().filter(|_| body.contains('-')) {
        for c in re.captures_iter(body) {
            let Some(m) = c.get(1) else { continue };
            let code = m.as_str().trim_end_matches('-');
            if code.bytes().any(|b| b.is_ascii_digit())
                && !is_spec_like(code)
                && !is_document_number(code)
                && !after_document_word(body, m.start())
                && !out
                    .iter()
                    .any(|(s, e, _)| *s <= m.start() && m.start() < *e)
            {
                out.push((m.start(), m.start() + code.len(), code.to_string()));
            }
        }
    }
    out.sort_by_key(|m| m.0);
    out
}

/// "PO-2025-118", "PI-0931": a document's number — a prefix of `not_model_prefixes` (request
/// data) followed by digits and separators only ("BL-5C" is a battery).
fn is_document_number(code: &str) -> bool {
    let Some((prefix, rest)) = code.split_once(['-', '_', '/', '.']) else {
        return false;
    };
    rest.bytes().any(|b| b.is_ascii_digit())
        && rest
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'/' | b'.'))
        && super::lexicon::request_data()
            .products
            .not_model_prefixes
            .iter()
            .any(|p| p.eq_ignore_ascii_case(prefix))
}

/// Whether the code at `at` follows a document word ("PI BS-2026-0796", "订单号：NB-118",
/// "order no. AB-77"), so it numbers that document, not a product.
fn after_document_word(body: &str, at: usize) -> bool {
    let before = body.get(..at).unwrap_or("");
    let before = before
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '(' | '（'));
    // A number sign between the word and the code: "order no. AB-77", "pedido nº 12", "#".
    let mut numbered = false;
    let mut rest = before;
    loop {
        let t = rest.trim_end_matches(|c: char| c.is_whitespace() || c == '.');
        let stripped = [
            "#", "№", "No", "no", "NO", "Nr", "nr", "nº", "Nº", "n°", "number",
        ]
        .iter()
        .find_map(|m| t.strip_suffix(m));
        match stripped {
            Some(s) => {
                numbered = true;
                rest = s;
            }
            _ => {
                rest = t;
                break;
            }
        }
    }
    let word_start = rest
        .char_indices()
        .rev()
        .take_while(|&(_, c)| !c.is_whitespace() && !matches!(c, ',' | '，' | '(' | '（'))
        .last()
        .map_or(rest.len(), |(i, _)| i);
    let word = rest[word_start..].to_lowercase();
    if word.is_empty() {
        return false;
    }
    let data = &super::lexicon::request_data().products;
    // Han words close on the code without a space ("订单号NB-118" or "的订单 NB-118").
    let names = |w: &String| {
        *w == word
            || (w.chars().next().is_some_and(|c| !c.is_ascii()) && word.ends_with(w.as_str()))
    };
    if data.numbered_document_words.iter().any(names) {
        return numbered;
    }
    data.not_model_prefixes
        .iter()
        .any(|p| p.eq_ignore_ascii_case(&word))
        || data.document_words.iter().any(names)
}

fn is_common_word(code: &str) -> bool {
    matches!(
        code.to_ascii_lowercase().as_str(),
        "is" | "no" | "number" | "and" | "the" | "for" | "please" | "pls"
    )
}

fn is_spec_like(code: &str) -> bool {
    let upper = code.to_ascii_uppercase();
    let unit_end = ["W", "V", "K", "A", "MM", "HZ", "VAC", "VDC", "LM"]
        .iter()
        .any(|u| {
            upper
                .strip_suffix(u)
                .is_some_and(|r| r.ends_with(|c: char| c.is_ascii_digit()))
        });
    [
        "IP", "ISO", "CE-", "SMD", "COB", "AC", "DC", "EN-", "IEC", "GB-", "ROHS", "UL-", "TYPE",
    ]
    .iter()
    .any(|p| upper.starts_with(p))
        || unit_end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(body: &str) -> Vec<String> {
        find(body, &[]).into_iter().map(|m| m.2).collect()
    }

    #[test]
    fn a_code_after_a_document_word_numbers_the_document() {
        assert!(codes("PI BS-2026-0796 的 70% 餘款已電匯").is_empty());
        assert!(codes("Re: order no. AB-2026-77, shipping marks").is_empty());
        assert!(codes("请按订单号NB-2026-118发货").is_empty());
        assert!(codes("Pedido nº PV-2026-118 confirmado").is_empty());
        // "order" as a verb names the goods.
        assert_eq!(
            codes("We want to order FL100-65, 500 pcs."),
            vec!["FL100-65".to_string()]
        );
        assert_eq!(
            codes("请帮我订单 FL100-65 500个"),
            vec!["FL100-65".to_string()]
        );
        // A product code in the same letter is still read.
        assert_eq!(
            codes("PI BS-2026-0796: please add 200 pcs FL100-65"),
            vec!["FL100-65".to_string()]
        );
    }
}
