//! The signature block: where it starts, and the name, title, company, country and phone
//! lines in it.

use super::contacts::phone_regex;
use super::lexicon::{lexicon, Lexicon};
use super::line_kinds::{company_in, country_in, name_shape, names_department, title_in};
use super::Found;
use crate::request::text::contains_lower;

/// Splits a message into body and signature: the given signature when the text ends with it,
/// else the lines after the last closing ("Best regards", "Saludos", "此致"), else a short
/// trailing block with a phone, address or company in it.
pub fn split_signature<'a>(text: &'a str, signature: Option<&'a str>) -> (&'a str, &'a str) {
    if let Some(sig) = signature.map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(pos) = text.rfind(sig) {
            return (text.get(..pos).unwrap_or(text), sig);
        }
    }
    let lex = lexicon();
    let (closing, last_blank) = closing_and_last_blank(lex, text);
    if let Some(range) = closing {
        return (
            text.get(..range.start).unwrap_or(text),
            text.get(range.end..).unwrap_or(""),
        );
    }
    if let Some(start) = last_blank {
        let tail = text.get(start..).unwrap_or("");
        let lines: Vec<&str> = tail.lines().filter(|l| !l.trim().is_empty()).collect();
        let short =
            !lines.is_empty() && lines.len() <= 8 && lines.iter().all(|l| l.chars().count() <= 70);
        if short && lines.iter().any(|l| looks_like_signature_line(lex, l)) {
            return (text.get(..start).unwrap_or(text), tail);
        }
    }
    (text, "")
}

/// Where the signature starts when a closing line ("Best regards", "Mit freundlichen Grüßen",
/// "此致") or the given signature marks it: the closing and the lines after it are no part of
/// what the buyer asks (a company called "… Etiketten AG" raises no packaging concern). A
/// short trailing block without a closing is not cut here, since a one-line inquiry may look
/// the same.
pub fn closing_start(text: &str, signature: Option<&str>) -> Option<usize> {
    if let Some(sig) = signature.map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(pos) = text.rfind(sig) {
            return Some(pos);
        }
    }
    let range = closing_and_last_blank(lexicon(), text).0?;
    // A "Thanks!" that opens the message closes nothing.
    if text.get(..range.start)?.trim().is_empty() {
        return None;
    }
    // What follows must read as a signature, not as more of the letter: no question, no
    // sentence ("Thanks.\n\nWhat is the MOQ for 500 pcs?").
    let sentence = |l: &str| {
        let l = l.trim();
        l.ends_with(['?', '？'])
            || (l.split_whitespace().count() >= 7 && l.ends_with(['.', '!', '。', '！']))
    };
    if text.get(range.end..)?.lines().any(sentence) {
        return None;
    }
    Some(range.start)
}

/// The last closing line followed by a signature-like block, and where the last blank line
/// ends.
fn closing_and_last_blank(
    lex: &Lexicon,
    text: &str,
) -> (Option<std::ops::Range<usize>>, Option<usize>) {
    let mut offset = 0;
    let mut closing_end = None;
    let mut last_blank = None;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        if bare(line).is_empty() {
            last_blank = Some(offset);
        } else if is_closing(lex, line) {
            closing_end = Some(offset - line.len()..offset);
        }
    }
    // What follows a closing is a signature only when it looks like one: a few short lines.
    // A "Vielen Dank." or "Thanks!" early in a letter is no closing of it.
    let signature_like = |tail: &str| {
        let lines: Vec<&str> = tail.lines().filter(|l| !l.trim().is_empty()).collect();
        lines.len() <= 10 && lines.iter().all(|l| l.chars().count() <= 100)
    };
    let closing = closing_end.filter(|r| signature_like(text.get(r.end..).unwrap_or("")));
    (closing, last_blank)
}

pub(super) fn looks_like_signature_line(lex: &Lexicon, line: &str) -> bool {
    line.contains('@')
        || phone_regex().is_some_and(|re| re.is_match(line))
        || company_in(lex, line).is_some()
        || lex.titles.find_iter(line).next().is_some()
}

/// Name on the first line that reads as one; title, company, address lines after it. Parts of
/// a line separated by "|" or " - " are read apart ("John Smith | Purchasing Manager").
pub(super) fn read_signature(lex: &Lexicon, signature: &str, found: &mut Found) {
    let mut name_seen = false;
    // A person's name was read on an earlier line: the trade name may follow it.
    let mut named = false;
    let mut trade_name: Option<String> = None;
    for line in signature
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(12)
    {
        if line.contains('@') && !line.contains(' ') || line.to_ascii_lowercase().contains("http") {
            continue;
        }
        // The closing itself ("Best regards,") when the block was cut before it; a name may
        // follow it on the same line ("Best regards, John Smith").
        let line = match strip_closing(lex, line) {
            Some("") => continue,
            Some(rest) => rest,
            None => line,
        };
        if line.split_once([':', '：']).is_some_and(|(l, _)| {
            l.len() <= 40 && lex.labels.contains_key(l.trim().to_lowercase().as_str())
        }) {
            continue; // labelled lines were read already
        }
        for part in line
            .split(['|', '/', '–'])
            .flat_map(|p| p.split(" - "))
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            if let Some(company) = company_in(lex, part) {
                found.set("company", company, "signature");
                continue;
            }
            if let Some((name, title)) = name_and_title(lex, part) {
                if !name_seen {
                    found.set("name", name.to_string(), "signature");
                    name_seen = true;
                }
                found.set("title", title.to_string(), "signature");
                continue;
            }
            if let Some(title) = title_in(lex, part) {
                found.set("title", title, "signature");
                continue;
            }
            if !name_seen
                && name_shape(part)
                && !contains_lower(&lex.closings, part.trim_end_matches([',', '!', '.']))
            {
                found.set("name", part.to_string(), "signature");
                name_seen = true;
                continue;
            }
            if let Some(code) = country_in(part, true) {
                let address_like = part.contains(',') || part.bytes().any(|b| b.is_ascii_digit());
                found.set_country(&code, if address_like { "address" } else { "signature" });
                continue;
            }
            let own_name = found
                .buyer
                .name
                .as_deref()
                .is_some_and(|n| shares_a_word(n, part));
            if named && trade_name.is_none() && !own_name && is_trade_name(lex, part) {
                trade_name = Some(part.to_string());
            }
        }
        named = named || found.buyer.name.is_some();
        name_seen = true;
    }
    // Kept aside: a legal name in the text or an older message comes first.
    if found.trade_name.is_none() {
        found.trade_name = trade_name;
    }
}

/// Whether two lines share a word ("Linda" and "Linda Wang").
fn shares_a_word(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c))
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
    };
    let a = words(a);
    words(b).iter().any(|w| a.contains(w))
}

/// A line under the name that reads as a trade name though it carries no legal form: words in
/// capitals ("SPORTS ISLE"), two to five capitalised words ("Muebles del Sur", "Reisewelt
/// Finsterwalde": a second name under the person's is the firm's), or Chinese ending as trade
/// names do ("广州市恒信贸易"); never a department, a title, a place, a phone or address line.
fn is_trade_name(lex: &Lexicon, part: &str) -> bool {
    let part = part.trim().trim_end_matches([',', '.', ';']);
    let n = part.chars().count();
    if !(3..=60).contains(&n)
        || part.bytes().any(|b| b.is_ascii_digit())
        || part.contains(['@', ':', '+', '(', ')'])
        || part.to_lowercase().contains("www.")
        || title_in(lex, part).is_some()
        || contains_lower(&lex.closings, part)
    {
        return false;
    }
    if part.chars().any(crate::request::text::is_cjk) {
        // A trade name's ending decides: "…五金批发部" is a firm, "采购部" a department.
        return part.chars().all(crate::request::text::is_cjk)
            && (4..=20).contains(&n)
            && lex
                .company_endings_cjk
                .iter()
                .any(|e| part.ends_with(e.as_str()));
    }
    if names_department(lex, &part.to_lowercase()) {
        return false;
    }
    let words: Vec<&str> = part.split_whitespace().collect();
    let letters: Vec<char> = part
        .chars()
        .filter(|c| tradescout_core::phrases::is_alphabetic(*c))
        .collect();
    let all_caps = letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase());
    let capitalised = (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            lex.name_particles.contains(&w.to_lowercase())
                || w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c == '&')
        });
    (all_caps && (2..=6).contains(&words.len())) || capitalised
}

/// What follows a closing at the start of `line` ("Best regards" → "", "Saludos, Ana" →
/// "Ana"); `None` when the line does not start with a closing.
fn strip_closing<'a>(lex: &Lexicon, line: &'a str) -> Option<&'a str> {
    if is_closing(lex, line) {
        return Some("");
    }
    let (head, rest) = line.split_once([',', '，'])?;
    (head.len() <= 40 && is_closing(lex, head)).then(|| rest.trim())
}

/// A line without its surrounding spaces and trailing signs ("Best regards," → "Best regards").
fn bare(line: &str) -> &str {
    line.trim()
        .trim_end_matches([',', '!', '.', '，', '！', ':'])
        .trim()
}

/// Whether a line is a closing alone ("Best regards,", "此致", "Mit freundlichen Grüßen").
fn is_closing(lex: &Lexicon, line: &str) -> bool {
    let b = bare(line);
    b.len() <= 40 && contains_lower(&lex.closings, b)
}

/// A name and a title on one line: "陈志明 采购经理", "采购部 李娜", "John Smith, Purchasing
/// Manager". The name must be two to four Han characters or at least two capitalised words, so
/// "Senior Buyer" stays a title.
fn name_and_title<'a>(lex: &Lexicon, part: &'a str) -> Option<(&'a str, &'a str)> {
    let (start, end, _) = lex.titles.find_iter(part).next()?;
    let clean = |s: &'a str| s.trim().trim_matches([',', '，', '、', ';']).trim();
    let is_name = |s: &str| {
        let latin_words = s.split_whitespace().count();
        name_shape(s)
            && lex.titles.find_iter(s).next().is_none()
            && (s.chars().any(crate::request::text::is_cjk) || latin_words >= 2)
    };
    let before = clean(part.get(..start)?);
    if !before.is_empty() && is_name(before) {
        return Some((before, clean(part.get(start..)?)));
    }
    let after = clean(part.get(end..)?);
    if !after.is_empty() && is_name(after) {
        return Some((after, clean(part.get(..end)?)));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company_of(signature: &str) -> Option<String> {
        let mut found = Found::default();
        read_signature(lexicon(), signature, &mut found);
        found.finish().company
    }

    #[test]
    fn a_trade_name_under_the_person_is_the_company() {
        for (sig, want) in [
            (
                "Mark Ellison\nPurchasing Manager\nSPORTS ISLE\n12 Harbour Road",
                "SPORTS ISLE",
            ),
            (
                "Laura Gómez\nCompras\nMuebles del Sur\nSevilla",
                "Muebles del Sur",
            ),
            ("王丽\n广州市恒信贸易\n电话 020-88886666", "广州市恒信贸易"),
        ] {
            assert_eq!(company_of(sig).as_deref(), Some(want), "{sig}");
        }
        // A department, a place or a second title under the name is no company.
        assert_eq!(
            company_of("王强\n义乌市恒信五金批发部").as_deref(),
            Some("义乌市恒信五金批发部")
        );
        for sig in [
            "Linda\nLinda Wang",
            "Tom Baker\nGlobal Sourcing Team",
            "Tom Baker\nCONFIDENTIAL",
            "Tom Baker\nWWW.EXAMPLE.COM",
            "John Smith\nPurchasing Department\nHong Kong",
            "John Smith\nSan Francisco, CA",
            "李娜\n采购部",
            "Anna Rossi\nUfficio Acquisti",
        ] {
            assert_eq!(company_of(sig), None, "{sig}");
        }
    }

    #[test]
    fn an_early_thanks_line_does_not_cut_the_letter() {
        let text = "Vielen Dank.\nWir benötigen 800 Stück Wasserkocher 1,7 l mit GS-Zeichen, Lieferung nach Hamburg bis Ende März, bitte mit Angabe der Lieferzeit und der Zahlungsbedingungen für eine erste Bestellung.\nKlaus Becker";
        let (body, signature) = split_signature(text, None);
        assert!(body.contains("Wasserkocher"), "{body:?} | {signature:?}");
        let (body, signature) = split_signature(
            "Please quote 500 pcs.\n\nBest regards,\nJohn Smith\nABC Inc.",
            None,
        );
        assert_eq!(
            (body.trim(), signature.trim()),
            ("Please quote 500 pcs.", "John Smith\nABC Inc.")
        );
    }

    #[test]
    fn a_name_and_a_title_on_one_line_are_told_apart() {
        let lex = lexicon();
        assert_eq!(
            name_and_title(lex, "陈志明 采购经理"),
            Some(("陈志明", "采购经理"))
        );
        assert_eq!(
            name_and_title(lex, "采购经理 李娜"),
            Some(("李娜", "采购经理"))
        );
        assert_eq!(
            name_and_title(lex, "John Smith, Purchasing Manager"),
            Some(("John Smith", "Purchasing Manager"))
        );
        assert_eq!(name_and_title(lex, "Senior Purchasing Manager"), None);
        assert_eq!(name_and_title(lex, "Purchasing Manager"), None);
    }
}
