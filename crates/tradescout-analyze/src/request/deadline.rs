//! When the buyer needs the goods: an ISO date when one is given or can be fixed from the
//! message date ("before 15 May", "by end of April", "5月15日前"), else the words
//! ("within 30 days", "ASAP", or "end of April" when the year is unknown).

use super::lexicon::{alternation, request_data};
use super::numbers::{char_at, skip_spaces, word_at};
use super::text::{days_in_month, valid_date};
use super::vocab::{Hit, Tag};
use regex::{Captures, Regex};
use std::collections::HashMap;
use std::sync::OnceLock;

struct Patterns {
    date: Option<Regex>,
    chinese: Option<Regex>,
    month_of: HashMap<String, u32>,
}

/// What a deadline cue introduces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cue {
    /// A date follows: "before", "by", "deadline:".
    Date,
    /// A span follows: "within 30 days".
    Within,
    /// No date at all: "ASAP", "urgent".
    Asap,
}

pub(crate) const DATE_CUES: [&str; 31] = [
    "no later than",
    "not later than",
    "at the latest by",
    "before",
    "by",
    "until",
    "till",
    "deadline",
    "latest",
    "delivery date",
    "required date",
    "date required",
    "antes de",
    "antes del",
    "hasta",
    "hasta el",
    "para el",
    "até",
    "avant",
    "avant le",
    "d'ici",
    "d'ici le",
    "d'ici à",
    "bis",
    "bis zum",
    "bis spätestens",
    "spätestens",
    "spätestens bis",
    "до",
    "к",
    "deadline is",
];
pub(crate) const WITHIN_CUES: [&str; 10] = [
    "within",
    "in the next",
    "dentro de",
    "en los próximos",
    "em até",
    "dans les",
    "sous",
    "innerhalb",
    "innerhalb von",
    "в течение",
];
pub(crate) const ASAP_CUES: [&str; 17] = [
    "asap",
    "as soon as possible",
    "urgent",
    "urgently",
    "lo antes posible",
    "lo más pronto posible",
    "o mais rápido possível",
    "o quanto antes",
    "urgente",
    "dès que possible",
    "so schnell wie möglich",
    "schnellstmöglich",
    "срочно",
    "как можно скорее",
    "尽快",
    "越快越好",
    "加急",
];

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let months = &request_data().months;
        let mut month_of = HashMap::new();
        for (n, names) in months {
            if let Ok(n) = n.parse::<u32>() {
                for name in names {
                    month_of.insert(name.to_lowercase(), n);
                }
            }
        }
        let m = alternation(months.values().flatten());
        let re = |s: String| Regex::new(&s).ok();
        Patterns {
            date: re(format!(
                r"(?i)^(?:the\s)?(?:(?P<end>end\sof|ending\sof|finales\sde|final\sde|fin\sde|fim\sde|fin|ende|конца|late)\s(?:the\s)?(?:(?P<endrel>this\smonth|the\smonth|next\smonth|month)|(?P<endm>{m}))|(?P<mid>mid-?|middle\sof|mediados\sde|meados\sde|mi-|mitte)\s?(?P<midm>{m})|(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th|\.|º)?\s?(?:of\s|de\s)?(?P<m1>{m})\.?(?:,?\s(?:de\s)?(?P<y1>20[0-9]{{2}}))?|(?P<m2>{m})\.?\s(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s(?P<y2>20[0-9]{{2}}))?|(?P<iy>20[0-9]{{2}})[-/.](?P<im>[0-9]{{1,2}})[-/.](?P<id>[0-9]{{1,2}})|(?P<nd>[0-9]{{1,2}})[/.](?P<nm>[0-9]{{1,2}})(?:[/.](?P<ny>(?:20)?[0-9]{{2}}))?)(?:[^\p{{L}}\p{{N}}]|$)"
            )),
            chinese: re(r"(?:(?P<y>20[0-9]{2})年)?(?P<m>[0-9]{1,2})月(?:(?P<d>[0-9]{1,2})[日号](?:之)?前|(?P<end>底|末))".to_string()),
            month_of,
        }
    })
}

/// The deadline in `text`, given the message date (year, month, day) when known.
pub(crate) fn deadline(text: &str, hits: &[Hit], today: Option<(i32, u32, u32)>) -> Option<String> {
    let p = patterns();
    let mut words: Option<String> = None;
    let mut within: Option<String> = None;
    let mut asap = false;
    for (end, cue) in hits.iter().filter_map(|h| match h.tag {
        Tag::Deadline(c) => Some((h.end, c)),
        _ => None,
    }) {
        match cue {
            Cue::Date => {
                let mut at = skip_spaces(text, end, 2);
                if let Some(c) = char_at(text, at).filter(|c| *c == ':' || *c == '：') {
                    at = skip_spaces(text, at + c.len_utf8(), 2);
                }
                let rest = super::text::capped(text.get(at..).unwrap_or(""), 60);
                if !rest.starts_with(|c: char| c.is_alphanumeric()) {
                    continue;
                }
                let Some(d) = p.date.as_ref().and_then(|re| re.captures(rest)) else {
                    continue;
                };
                match fix_date(p, &d, today) {
                    Some(iso) => return Some(iso),
                    None if words.is_none() => {
                        let span = d.get(0).map_or("", |m| m.as_str());
                        let span = span
                            .trim_end_matches(|ch: char| !ch.is_alphanumeric())
                            .trim();
                        if !span.is_empty() {
                            words = Some(span.to_string());
                        }
                    }
                    None => {}
                }
            }
            Cue::Within if within.is_none() => within = within_span(text, end),
            Cue::Asap => asap = true,
            Cue::Within => {}
        }
    }
    if text.contains('月') {
        if let Some(c) = p.chinese.as_ref().and_then(|re| re.captures(text)) {
            let month = c.name("m").and_then(|m| m.as_str().parse().ok());
            let year = c.name("y").and_then(|m| m.as_str().parse().ok());
            if let Some(month) = month {
                let day = c.name("d").and_then(|m| m.as_str().parse().ok());
                if let Some(iso) = resolve(year, month, day, today) {
                    return Some(iso);
                }
            }
        }
    }
    words
        .or(within)
        .or_else(|| asap.then(|| "ASAP".to_string()))
}

/// "within 30 days" → "within 30 days"; "dentro de 2 semanas" → "within 2 weeks". Not when
/// it is about paying ("payment within 30 days").
fn within_span(text: &str, cue_end: usize) -> Option<String> {
    let at = skip_spaces(text, cue_end, 2);
    let digits = text
        .get(at..)?
        .bytes()
        .take(4)
        .take_while(u8::is_ascii_digit)
        .count();
    let n: u32 = text.get(at..at + digits)?.parse().ok()?;
    let (unit, _) = word_at(text, skip_spaces(text, at + digits, 1))?;
    let lower = unit.to_lowercase();
    const UNITS: [&str; 20] = [
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "días",
        "dias",
        "semanas",
        "meses",
        "jours",
        "semaines",
        "mois",
        "tagen",
        "wochen",
        "monaten",
        "дней",
        "недели",
        "недель",
        "месяца",
    ];
    if !UNITS.contains(&lower.as_str()) || about_payment(text, cue_end) {
        return None;
    }
    Some(format!("within {n} {}", english_unit(&lower, n)))
}

fn fix_date(p: &Patterns, c: &Captures, today: Option<(i32, u32, u32)>) -> Option<String> {
    let month_named = |name: &str| p.month_of.get(&name.to_lowercase()).copied();
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
    if c.name("end").is_some() {
        if let Some(rel) = c.name("endrel") {
            let (y, m, _) = today?;
            let (y, m) = if rel.as_str().to_lowercase().starts_with("next") {
                next_month(y, m)
            } else {
                (y, m)
            };
            return iso(y, m, days_in_month(y, m));
        }
        let month = month_named(c.name("endm")?.as_str())?;
        return resolve(None, month, None, today);
    }
    if c.name("mid").is_some() {
        let month = month_named(c.name("midm")?.as_str())?;
        return resolve(None, month, Some(15), today);
    }
    if let Some(m) = c.name("m1") {
        return resolve(year("y1"), month_named(m.as_str())?, num("d1"), today);
    }
    if let Some(m) = c.name("m2") {
        return resolve(year("y2"), month_named(m.as_str())?, num("d2"), today);
    }
    if c.name("iy").is_some() {
        return iso(year("iy")?, num("im")?, num("id")?);
    }
    let (a, b) = (num("nd")?, num("nm")?);
    // Day first, as most of the world writes it, unless that cannot be a date.
    let (day, month) = if b > 12 && a <= 12 { (b, a) } else { (a, b) };
    let y = c
        .name("ny")
        .and_then(|m| m.as_str().parse::<i32>().ok())
        .map(|y| if y < 100 { 2000 + y } else { y });
    resolve(y, month, Some(day), today)
}

/// A date from its parts; without a year, the first such date on or after the message date.
/// `day` `None` means the end of the month.
fn resolve(
    year: Option<i32>,
    month: u32,
    day: Option<u32>,
    today: Option<(i32, u32, u32)>,
) -> Option<String> {
    if !(1..=12).contains(&month) {
        return None;
    }
    let y = match (year, today) {
        (Some(y), _) => y,
        (None, Some((ty, tm, td))) => {
            let d = day.unwrap_or(31);
            if (month, d) < (tm, td) {
                ty + 1
            } else {
                ty
            }
        }
        (None, None) => return None,
    };
    iso(y, month, day.unwrap_or_else(|| days_in_month(y, month)))
}

fn iso(y: i32, m: u32, d: u32) -> Option<String> {
    let (y, m, d) = valid_date(y, m, d)?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn next_month(y: i32, m: u32) -> (i32, u32) {
    if m >= 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
    }
}

fn english_unit(u: &str, n: u32) -> &'static str {
    let l = u.to_lowercase();
    let base = if l.starts_with('w') || l.starts_with("sem") || l.starts_with("недел") {
        "week"
    } else if l.starts_with("mo") || l.starts_with("mes") || l.starts_with("месяц") {
        "month"
    } else {
        "day"
    };
    match (base, n == 1) {
        ("week", true) => "week",
        ("week", false) => "weeks",
        ("month", true) => "month",
        ("month", false) => "months",
        (_, true) => "day",
        _ => "days",
    }
}

fn about_payment(text: &str, at: usize) -> bool {
    let mut start = at.saturating_sub(40);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = text.get(start..at).unwrap_or("").to_lowercase();
    before.contains("pay") || before.contains("pago") || before.contains("balance")
}

#[cfg(test)]
mod tests {

    const MARCH_3: Option<(i32, u32, u32)> = Some((2025, 3, 3));

    fn deadline(text: &str, today: Option<(i32, u32, u32)>) -> Option<String> {
        super::deadline(text, &crate::request::vocab::scan(text), today)
    }

    #[test]
    fn dates_fixed_from_the_message_date() {
        assert_eq!(
            deadline("we need them before 15 May", MARCH_3).as_deref(),
            Some("2025-05-15")
        );
        assert_eq!(
            deadline("delivery by end of April", MARCH_3).as_deref(),
            Some("2025-04-30")
        );
        assert_eq!(
            deadline("until May 20th please", MARCH_3).as_deref(),
            Some("2025-05-20")
        );
        assert_eq!(
            deadline("before 10 February", MARCH_3).as_deref(),
            Some("2026-02-10")
        );
        assert_eq!(
            deadline("by the end of this month", MARCH_3).as_deref(),
            Some("2025-03-31")
        );
        assert_eq!(
            deadline("antes del 15 de mayo", MARCH_3).as_deref(),
            Some("2025-05-15")
        );
        assert_eq!(
            deadline("bis Ende April", MARCH_3).as_deref(),
            Some("2025-04-30")
        );
        assert_eq!(
            deadline("до 15 мая", MARCH_3).as_deref(),
            Some("2025-05-15")
        );
        assert_eq!(
            deadline("5月15日前交货", MARCH_3).as_deref(),
            Some("2025-05-15")
        );
        assert_eq!(deadline("4月底", MARCH_3).as_deref(), Some("2025-04-30"));
    }

    #[test]
    fn explicit_years_need_no_message_date() {
        assert_eq!(
            deadline("deadline: 2025-06-30", None).as_deref(),
            Some("2025-06-30")
        );
        assert_eq!(
            deadline("before 15/06/2025", None).as_deref(),
            Some("2025-06-15")
        );
    }

    #[test]
    fn words_when_no_date_can_be_fixed() {
        assert_eq!(
            deadline("by end of April", None).as_deref(),
            Some("end of April")
        );
        assert_eq!(
            deadline("delivery within 30 days", None).as_deref(),
            Some("within 30 days")
        );
        assert_eq!(
            deadline("urgent order, ASAP", None).as_deref(),
            Some("ASAP")
        );
        assert_eq!(deadline("payment within 30 days", None), None);
    }

    #[test]
    fn by_without_a_date_is_not_a_deadline() {
        assert_eq!(deadline("payment by TT, shipping by sea", MARCH_3), None);
    }
}
