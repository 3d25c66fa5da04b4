//! What a line or part of one is: a company, a job title, a person's name, or a place that
//! names a country.

use super::lexicon::Lexicon;
use crate::request::places::places;
use crate::request::text::contains_lower;

/// A company named in `s`: `s` itself (up to a comma) when it carries a company form or, short
/// and capitalised, a company word ("Lagos Lighting Solutions").
pub(super) fn company_in(lex: &Lexicon, s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 90 || s.contains('@') || s.contains("http") {
        return None;
    }
    if s.contains("有限公司") || s.contains("株式会社") || s.contains("(주)") {
        return Some(s.to_string());
    }
    let lower = s.to_lowercase();
    if lex
        .company_prefixes
        .iter()
        .any(|p| lower.starts_with(p.as_str()) || (p.contains('.') && lower.contains(p.as_str())))
    {
        return Some(s.trim_end_matches([',', ';', '،']).to_string());
    }
    let tokens: Vec<&str> = s.split_whitespace().take(12).collect();
    let strong = tokens.iter().enumerate().any(|(i, t)| {
        contains_lower(&lex.company_suffixes, norm(t)) && (i > 0 || tokens.len() == 1)
    }) || (tokens.len() >= 2
        && matches!(tokens[0], "PT" | "CV" | "PT." | "OOO" | "ООО" | "ТОО"));
    let strong = strong && !(tokens.len() == 1 && norm(tokens[0]).chars().count() <= 4);
    if strong && tokens.len() <= 10 {
        return Some(s.trim_end_matches([',', ';']).to_string());
    }
    let capitalised = tokens.iter().all(|t| {
        t.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&')
    });
    let weak = tokens
        .iter()
        .any(|t| contains_lower(&lex.company_words, bare(t)));
    if weak && capitalised && (2..=6).contains(&tokens.len()) && title_in(lex, s).is_none() {
        return Some(s.to_string());
    }
    public_body_in(lex, s)
}

/// A public buyer's name standing as a line of its own: a town hall, ministry, university,
/// hospital or school ("MUNICIPALIDAD PROVINCIAL DE CHUQUIBAMBA", "Universität Quakenbrück",
/// "I. Municipalidad de Nueva Esperanza"). The words are capitalised but for short joining
/// words ("Azienda per il Diritto agli Studi"), so a sentence that opens with such a word
/// ("Hospital beds are needed") is none.
pub(super) fn public_body_in(lex: &Lexicon, s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches([',', ';', '.']);
    if s.is_empty()
        || s.chars().count() > 100
        || s.contains(['@', '?', ':', '：'])
        || s.to_ascii_lowercase().contains("http")
    {
        return None;
    }
    let tokens: Vec<&str> = s.split_whitespace().collect();
    if !(1..=12).contains(&tokens.len()) {
        return None;
    }
    let lower = s.to_lowercase();
    // "Departamento de Compras" is a department, not a buyer.
    if names_department(lex, &lower) {
        return None;
    }
    // "I." (Ilustre) before a Chilean municipality.
    let rest = lower
        .strip_prefix("i. ")
        .or_else(|| lower.strip_prefix("ilustre "))
        .unwrap_or(&lower);
    let opens = lex.public_bodies.iter().any(|b| {
        rest.strip_prefix(b.as_str()).is_some_and(|after| {
            after
                .chars()
                .next()
                .is_none_or(|c| !tradescout_core::phrases::is_alphanumeric(c))
        })
    });
    // Scripts without capitals (Arabic, Chinese): a short line with no count in it.
    let uncased = s
        .chars()
        .filter(|c| tradescout_core::phrases::is_alphabetic(*c))
        .all(|c| !c.is_uppercase() && !c.is_lowercase());
    // Turkish, Chinese, Japanese and Korean name the kind of body last ("Düzce Belediyesi",
    // "厦门大学", "宮城刑務所"): a line that ends with one, the ending not all of it.
    let ends = lex.public_body_endings.iter().any(|b| {
        rest.strip_suffix(b.as_str())
            .is_some_and(|before| !before.trim().is_empty())
    });
    if ends
        && uncased
        && !s.bytes().any(|b| b.is_ascii_digit())
        && !s.contains(['，', ',', '。', '、', '！'])
        && s.chars().count() <= 30
    {
        return Some(s.to_string());
    }
    // In scripts with spaces, a name is two words at least ("Hospital" alone is a word).
    if tokens.len() < 2 {
        return None;
    }
    let opens = opens || ends;
    let shaped = if uncased {
        tokens.len() <= 6 && !s.bytes().any(|b| b.is_ascii_digit())
    } else {
        // Every word capitalised but the joining words of a name ("Azienda per il Diritto
        // agli Studi"): "Hospital beds 40 pcs" is an order line.
        tokens.iter().all(|t| {
            let word = t.trim_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c));
            match word.chars().next() {
                Some(c) if c.is_uppercase() || c.is_ascii_digit() => true,
                Some(_) => contains_lower(&lex.name_particles, word),
                None => true,
            }
        })
    };
    (opens && shaped).then(|| s.to_string())
}

/// Whether a lower-case line names a department: a word of `departments` ("Compras,") or one
/// of its phrases ("satın alma").
pub(super) fn names_department(lex: &Lexicon, lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c)))
        .collect();
    lex.departments.iter().any(|d| {
        if d.contains(' ') {
            lower.contains(d.as_str())
        } else {
            words.contains(&d.as_str())
        }
    })
}

pub(super) fn norm(t: &str) -> &str {
    t.trim_matches(|c: char| c == ',' || c == ';' || c == '(' || c == ')')
}

pub(super) fn bare(t: &str) -> &str {
    t.trim_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c))
}

/// A job title in `s`: the whole part when short, else the phrase itself.
pub(super) fn title_in(lex: &Lexicon, s: &str) -> Option<String> {
    let (start, end, _) = lex.titles.find_iter(s).next()?;
    let s_trim = s.trim();
    if s_trim.chars().count() <= 45 && !s_trim.bytes().any(|b| b.is_ascii_digit()) {
        return Some(s_trim.to_string());
    }
    s.get(start..end).map(str::to_string)
}

pub(super) fn looks_like_name(lex: &Lexicon, s: &str) -> bool {
    let s = s.trim();
    name_shape(s)
        && !contains_lower(&lex.closings, s.trim_end_matches([',', '!', '.']))
        && lex.titles.find_iter(s).next().is_none()
}

/// One to four capitalised words of letters, or two to four Han characters.
pub(super) fn name_shape(s: &str) -> bool {
    let s = s.trim();
    let n = s.chars().count();
    if !(2..=40).contains(&n)
        || s.contains(['@', ':', '/', '+'])
        || s.bytes().any(|b| b.is_ascii_digit())
    {
        return false;
    }
    let han = s
        .chars()
        .filter(|c| crate::request::text::is_cjk(*c))
        .count();
    if han > 0 {
        return han == n && (2..=4).contains(&n);
    }
    // Arabic script has no capitals: two to four words of Arabic letters.
    let arabic = s
        .chars()
        .filter(|c| ('\u{0600}'..='\u{06FF}').contains(c))
        .count();
    if arabic > 0 {
        let words = s.split_whitespace().count();
        return (2..=4).contains(&words)
            && s.chars()
                .all(|c| c.is_whitespace() || ('\u{0600}'..='\u{06FF}').contains(&c));
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| tradescout_core::phrases::is_alphabetic(c) || "'-.".contains(c))
        })
        && !words.iter().any(|w| {
            super::lexicon::lexicon()
                .generic_names
                .contains(&w.to_lowercase())
        })
}

/// A country named in `s`; ambiguous names ("Jordan") count when `allow_ambiguous` (address
/// lines, "Country:" fields). Ports and trade cities name their country only in addresses.
pub(super) fn country_in(s: &str, allow_ambiguous: bool) -> Option<String> {
    let mut city = None;
    for (_, _, place) in places().find_iter(s) {
        if place.ambiguous && !allow_ambiguous {
            continue;
        }
        if place.port.is_none() {
            return Some(place.country.clone());
        }
        city = city.or_else(|| Some(place.country.clone()));
    }
    city.filter(|_| allow_ambiguous)
}
