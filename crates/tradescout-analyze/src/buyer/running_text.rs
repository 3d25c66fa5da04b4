//! Facts the buyer states in running text: "My name is …", "I am the purchasing manager",
//! "we are … Ltd", "based in Kenya" — the phrases of `[intros]` in `data/buyer.toml`.

use super::lexicon::Lexicon;
use super::line_kinds::{company_in, country_in, name_shape, title_in};
use super::Found;
use crate::request::lexicon::PhraseSet;
use crate::request::places::places;
use crate::request::text::{capped, contains_lower};
use std::collections::BTreeMap;

/// "My name is …", "I am the purchasing manager of …", "we are … company", "from Nigeria":
/// the phrases of `[intros]` found in one pass, each read by what it introduces.
pub(super) fn read_running_text(lex: &Lexicon, body: &str, found: &mut Found) {
    let body = capped(body, 16 * 1024);
    let mut company_done = false;
    let mut country_done = false;
    for (_, end, kinds) in lex.intros.find_iter(body) {
        let mut at = crate::request::places::skip_spaces(body, end);
        if body
            .get(at..)
            .is_some_and(|r| r.starts_with(':') || r.starts_with('：'))
        {
            at = crate::request::places::skip_spaces(
                body,
                at + body[at..].chars().next().map_or(1, char::len_utf8),
            );
        }
        if kinds & INTRO_NAME != 0 && found.buyer.name.is_none() {
            if let Some(name) = capitalised_run(body, at, 3, false) {
                if title_in(lex, name).is_none()
                    && company_in(lex, name).is_none()
                    && name_shape(name)
                {
                    found.set("name", name.to_string(), "text");
                }
            }
        }
        if kinds & INTRO_TITLE != 0 && found.buyer.title.is_none() {
            let at = skip_article(body, at);
            if let Some((title_end, _)) = lex.titles.match_at(body, at) {
                if let Some(t) = body.get(at..title_end) {
                    found.set("title", t.to_string(), "text");
                }
            }
        }
        if kinds & INTRO_COMPANY != 0 && !company_done {
            let at = skip_article(body, at);
            if let Some(run) = capitalised_run(body, at, 6, true) {
                let candidate = up_to_company_form(lex, run);
                let rest = body.get(at + candidate.len()..).unwrap_or("").trim_start();
                let followed_by_company = rest
                    .get(..7)
                    .is_some_and(|r| r.eq_ignore_ascii_case("company"))
                    || rest.starts_with("Co.");
                if let Some(company) = company_in(lex, candidate) {
                    found.set("company", company, "text");
                    company_done = true;
                    // "ABC Imports Pty Ltd, Australia"
                    if let Some(after) = rest.strip_prefix(',') {
                        let after = after.trim_start();
                        let offset = body.len() - after.len();
                        if let Some((place, _)) = places()
                            .place_at(body, offset)
                            .filter(|(p, _)| p.port.is_none())
                        {
                            found.set_country(&place.country, "text");
                            country_done = true;
                        }
                    }
                } else if followed_by_company
                    && candidate.chars().count() >= 2
                    && country_in(candidate, false).is_none()
                {
                    found.set("company", candidate.to_string(), "text");
                    company_done = true;
                }
            }
        }
        if kinds & INTRO_COUNTRY != 0 && !country_done {
            if let Some((place, _)) = places().place_at(body, at) {
                if place.country != "CN" {
                    found.set_country(&place.country, "text");
                    country_done = true;
                }
            }
        }
    }
}

pub(super) fn skip_article(text: &str, at: usize) -> usize {
    for article in ["the ", "a ", "an ", "el ", "la ", "o ", "der ", "die "] {
        if text
            .get(at..at + article.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(article))
        {
            return at + article.len();
        }
    }
    at
}

/// Up to `max` words at `at` that start with a capital (or digit, for companies), joined by
/// single spaces: "Carlos Ruiz", "Lagos Power Solutions".
pub(super) fn capitalised_run(text: &str, at: usize, max: usize, company: bool) -> Option<&str> {
    let rest = capped(text.get(at..)?, 120);
    let mut end = 0;
    let mut words = 0;
    let mut it = rest.char_indices().peekable();
    while words < max {
        let Some(&(start, first)) = it.peek() else {
            break;
        };
        if !(first.is_uppercase() || (company && (first.is_ascii_digit() || first == '&'))) {
            break;
        }
        let mut word_end = start;
        while let Some(&(i, c)) = it.peek() {
            let ok = c.is_alphanumeric()
                || (company && "&.'-".contains(c))
                || (!company && "'-".contains(c));
            if !ok {
                break;
            }
            word_end = i + c.len_utf8();
            it.next();
        }
        if word_end == start {
            break;
        }
        end = word_end;
        words += 1;
        match it.peek() {
            Some(&(_, ' ')) => {
                it.next();
            }
            _ => break,
        }
    }
    (end > 0).then(|| rest[..end].trim_end())
}

/// "Iluminaciones Ruiz S.A. We are…" → "Iluminaciones Ruiz S.A.": a run of capitalised words
/// ends after its company form.
pub(super) fn up_to_company_form<'a>(lex: &Lexicon, s: &'a str) -> &'a str {
    let mut end = 0;
    let mut form_end = None;
    for (i, token) in s.split_whitespace().enumerate() {
        let Some(pos) = s.get(end..).and_then(|r| r.find(token)) else {
            break;
        };
        end += pos + token.len();
        let is_form = i > 0 && contains_lower(&lex.company_suffixes, token.trim_end_matches(','));
        match (is_form, form_end) {
            // Forms come in runs: "Pty Ltd", "Co., Ltd.".
            (true, _) if !token.ends_with(',') || form_end.is_none() => form_end = Some(end),
            (true, _) => return s.get(..end).unwrap_or(s).trim_end_matches(','),
            (false, Some(e)) => return s.get(..e).unwrap_or(s).trim_end_matches(','),
            (false, None) => {}
        }
        if form_end.is_some() && token.ends_with(',') {
            return s.get(..end).unwrap_or(s).trim_end_matches(',');
        }
        if !is_form && token.ends_with(['.', ',', ';', '!', '?']) {
            return s
                .get(..end)
                .unwrap_or(s)
                .trim_end_matches(['.', ',', ';', '!', '?']);
        }
    }
    match form_end {
        Some(e) => s.get(..e).unwrap_or(s).trim_end_matches(','),
        None => s.trim().trim_end_matches(['.', ',']),
    }
}

pub(super) const INTRO_NAME: u8 = 1;

pub(super) const INTRO_TITLE: u8 = 2;

pub(super) const INTRO_COMPANY: u8 = 4;

pub(super) const INTRO_COUNTRY: u8 = 8;

pub(super) fn intro_set(intros: &BTreeMap<String, Vec<String>>) -> PhraseSet<u8> {
    let mut kinds: BTreeMap<String, u8> = BTreeMap::new();
    for (kind, phrases) in intros {
        let bit = match kind.as_str() {
            "name" => INTRO_NAME,
            "title" => INTRO_TITLE,
            "company" => INTRO_COMPANY,
            "country" => INTRO_COUNTRY,
            _ => continue,
        };
        for p in phrases {
            *kinds.entry(p.to_lowercase()).or_insert(0) |= bit;
        }
    }
    PhraseSet::new(kinds.into_iter().map(|(p, k)| (p, k, false)))
}
