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
    for (start, end, kinds) in lex.intros.find_iter(body) {
        // "we currently buy from Philips Lighting B.V.": a seller, not the writer's company.
        let bought_from = body
            .get(..start)
            .unwrap_or("")
            .split_whitespace()
            .next_back()
            .is_some_and(|w| contains_lower(&lex.bought_from_before, w));
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
        if kinds & INTRO_COMPANY != 0 && !company_done && !bought_from {
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

/// The company the buyer names as its own anywhere in running text, when no introduction
/// phrase led to it: on a line that speaks of the writer (`self_words`), a quoted name after a
/// form written first ("ООО «СветТорг»"), a capitalised run ending in a legal form ("la société
/// Lumière Import SARL", "Yıldız Dış Ticaret A.Ş."), or a Han run ending in one
/// ("我们是深圳华强贸易有限公司") — never one right after words for the reader's company.
pub(super) fn company_mention(lex: &Lexicon, body: &str) -> Option<String> {
    let body = capped(body, 8 * 1024);
    for line in body.lines().take(60) {
        if line.len() < 6 || !speaks_of_writer(lex, line) {
            continue;
        }
        if let Some(c) = quoted_company(lex, line)
            .or_else(|| formed_company(lex, line))
            .or_else(|| cjk_company(lex, line))
        {
            return Some(c);
        }
    }
    None
}

/// The words of `text` (letters, digits and apostrophes), from either end.
fn words_of(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|c: char| !(tradescout_core::phrases::is_alphanumeric(c) || c == '\''))
        .filter(|w| !w.is_empty())
}

/// Whether `line` holds a word for the writer ("we", "notre", "我们").
fn speaks_of_writer(lex: &Lexicon, line: &str) -> bool {
    lex.self_words_cjk.iter().any(|w| line.contains(w.as_str()))
        || words_of(line).any(|w| contains_lower(&lex.self_words, w))
}

/// Whether a company starting at `at` on `line` is the writer's own: a word for the writer
/// stands at most `own_company_window` words before it, with no word for someone else's
/// company between ("our supplier, Osram GmbH", "we buy from …"), and no word for the
/// reader's company right before it.
fn writers_own(lex: &Lexicon, line: &str, at: usize) -> bool {
    if after_your_words(lex, line, at) {
        return false;
    }
    let before = line.get(..at).unwrap_or("");
    for w in words_of(before).rev().take(lex.own_company_window) {
        if contains_lower(&lex.not_own_between, w) {
            return false;
        }
        if contains_lower(&lex.self_words, w) {
            return true;
        }
    }
    false
}

/// Whether the words right before `at` on `line` name the reader's company ("your company",
/// "贵公司").
fn after_your_words(lex: &Lexicon, line: &str, at: usize) -> bool {
    let before = line.get(..at).unwrap_or("");
    // The last six characters, for Han words matched anywhere.
    let tail_start = before.char_indices().rev().nth(5).map_or(0, |(i, _)| i);
    let tail = before.get(tail_start..).unwrap_or("");
    if lex.your_words_cjk.iter().any(|w| tail.contains(w.as_str())) {
        return true;
    }
    words_of(before)
        .rev()
        .take(3)
        .any(|w| contains_lower(&lex.your_words, w))
}

/// "ООО «СветТорг»", "ТОВ \"Світло Плюс\"": a form written first, then a quoted name.
fn quoted_company(lex: &Lexicon, line: &str) -> Option<String> {
    for (open, close) in &lex.name_quotes {
        let mut from = 0;
        while let Some(i) = line.get(from..).and_then(|r| r.find(open.as_str())) {
            let q = from + i;
            from = q + open.len();
            let before = line.get(..q)?.trim_end();
            let form_start = before
                .rfind(|c: char| c.is_whitespace() || c == '(')
                .map_or(0, |i| i + 1);
            let form = before.get(form_start..)?;
            if !contains_lower(&lex.quoted_forms, form) || !writers_own(lex, line, form_start) {
                continue;
            }
            let rest = line.get(from..)?;
            let Some(end) = rest.find(close.as_str()) else {
                continue;
            };
            let name = rest.get(..end)?.trim();
            let letters = name
                .chars()
                .filter(|c| tradescout_core::phrases::is_alphabetic(*c))
                .count();
            if (2..=60).contains(&letters) {
                return Some(format!("{form} {open}{name}{close}"));
            }
        }
    }
    None
}

/// A capitalised run ending in a legal form, on the same line: "la société Lumière Import
/// SARL", "wir, die Müller Haustechnik GmbH".
fn formed_company(lex: &Lexicon, line: &str) -> Option<String> {
    let words: Vec<(usize, &str)> = line
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
        .collect();
    // A short form must be written as one ("AS", "Ltd", "S.A."), not as a word ("as", "sa"),
    // and a line all in capitals tells forms from words by nothing.
    let shouting = !line.chars().any(char::is_lowercase);
    let is_form = |bare: &str| {
        let no_point = bare.trim_end_matches('.');
        let short_word = no_point.chars().count() <= 3
            && !no_point.contains('.')
            && (!no_point.chars().any(char::is_uppercase) || shouting);
        (contains_lower(&lex.company_suffixes, bare)
            || contains_lower(&lex.company_suffixes, no_point))
            && !bare.eq_ignore_ascii_case("company")
            && bare.chars().count() >= 2
            && !short_word
    };
    for (i, (_, w)) in words.iter().enumerate().skip(1) {
        let bare = w.trim_end_matches([',', ';', ':', '!', '?', ')']);
        if !is_form(bare) {
            continue;
        }
        // Walk back over capitalised words (and forms already passed: "Ltd. Şti.").
        let mut first = i;
        while first > 0 {
            let (_, prev) = words[first - 1];
            let starts_upper = prev
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&');
            // "Edward P. Hollis": an initial's point ends no clause.
            let initial = prev.len() == 2 && prev.ends_with('.');
            let ends_clause = prev.ends_with([',', ';', ':', '!', '?', '.'])
                && !initial
                && !contains_lower(&lex.company_suffixes, prev.trim_end_matches(','));
            if !starts_upper || ends_clause || i - first >= 6 {
                break;
            }
            first -= 1;
        }
        if first == i {
            continue;
        }
        let start = skip_article(line, words[first].0);
        if !writers_own(lex, line, start) {
            continue;
        }
        // Forms come in runs: "Co., Ltd.", "Ltd. Şti.".
        let mut last = (words[i].0, bare);
        for (at, next) in words.iter().skip(i + 1).take(2) {
            let next_bare = next.trim_end_matches([',', ';', ':', '!', '?', ')']);
            if !is_form(next_bare) {
                break;
            }
            last = (*at, next_bare);
            if next.ends_with([';', ':', '!', '?', ')']) {
                break;
            }
        }
        let end = last.0 + last.1.len();
        let Some(candidate) = line.get(start..end) else {
            continue;
        };
        if let Some(c) = company_in(lex, candidate) {
            if country_in(&c, false).is_none() {
                return Some(c);
            }
        }
    }
    None
}

/// "我们是深圳华强贸易有限公司", "本公司广州明亮照明有限公司": a Han run that ends in a legal form,
/// reaching back to the word that introduces it.
fn cjk_company(lex: &Lexicon, line: &str) -> Option<String> {
    for ending in &lex.form_endings_cjk {
        let mut from = 0;
        while let Some(i) = line.get(from..).and_then(|r| r.find(ending.as_str())) {
            let end = from + i + ending.len();
            from = end;
            let before = line.get(..end - ending.len())?;
            // The longest ending only: "有限公司" already covers its "公司".
            if lex.form_endings_cjk.iter().any(|e| {
                e.len() > ending.len() && line.get(..end).is_some_and(|l| l.ends_with(e.as_str()))
            }) {
                continue;
            }
            let mut start = before.len();
            let mut chars = 0;
            for (j, c) in before.char_indices().rev() {
                let upto = before.get(..j + c.len_utf8()).unwrap_or("");
                let stop = lex
                    .cjk_name_stops
                    .iter()
                    .any(|s| upto.ends_with(s.as_str()))
                    || !(crate::request::text::is_cjk(c) || c.is_ascii_alphanumeric());
                if stop || chars >= 20 {
                    break;
                }
                start = j;
                chars += 1;
            }
            let introduced = lex
                .cjk_company_intros
                .iter()
                .any(|w| line.get(..start).is_some_and(|b| b.ends_with(w.as_str())));
            // "华为技术有限公司的供应商": a company before 的 is someone else's.
            let possessed = line.get(end..).is_some_and(|r| r.starts_with('的'));
            if chars < 2 || !introduced || possessed || after_your_words(lex, line, start) {
                continue;
            }
            if let Some(name) = line.get(start..end) {
                return Some(name.to_string());
            }
        }
    }
    None
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
            let ok = tradescout_core::phrases::is_alphanumeric(c)
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
