//! Best-effort parsing of the dates written in quote headers ("Mon, Mar 3, 2025 at 10:15 AM",
//! "2025-03-03 10:15:00", "3 Mar 2025, at 10:15", "Monday, March 3, 2025 10:15 AM GMT+8").
//! A date written without a zone is read as UTC.

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use regex::Regex;

const FORMATS: &[&str] = &[
    "%b %d %Y %I:%M %p",
    "%b %d %Y %I:%M:%S %p",
    "%B %d %Y %I:%M %p",
    "%B %d %Y %I:%M:%S %p",
    "%b %d %Y %H:%M",
    "%B %d %Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%d %B %Y %H:%M:%S",
    "%d %b %Y %I:%M %p",
    "%d %B %Y %I:%M %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %I:%M %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %I:%M %p",
];

const WEEKDAYS: &[&str] = &[
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
];

/// Parses a date as written in a quote header; `None` when no known shape fits.
pub(crate) fn parse_date(written: &str) -> Option<DateTime<FixedOffset>> {
    let s = written.trim();
    if s.is_empty() || s.len() > 120 {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    let (rest, offset) = take_offset(s);
    let cleaned = normalise(rest);
    let offset = offset.or_else(|| FixedOffset::east_opt(0))?;
    FORMATS.iter().find_map(|f| {
        NaiveDateTime::parse_from_str(&cleaned, f)
            .ok()
            .and_then(|n| n.and_local_timezone(offset).single())
    })
}

fn offset_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:\(?(?:GMT|UTC)\s*([+-])(\d{1,2})(?::?(\d{2}))?\)?|\s([+-])(\d{2})(\d{2}))\s*(?:\([A-Za-z ]{1,40}\))?\s*$").ok()
    })
    .as_ref()
}

/// Splits a trailing zone ("GMT+8", "+0800", "(GMT+01:00)") off the date.
fn take_offset(s: &str) -> (&str, Option<FixedOffset>) {
    let Some(caps) = offset_re().and_then(|re| re.captures(s)) else {
        return (s, None);
    };
    let (sign, h, m) = if caps.get(1).is_some() {
        (caps.get(1), caps.get(2), caps.get(3))
    } else {
        (caps.get(4), caps.get(5), caps.get(6))
    };
    let hours: i32 = h.and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
    let mins: i32 = m.and_then(|m| m.as_str().parse().ok()).unwrap_or(0);
    let neg = sign.is_some_and(|m| m.as_str() == "-");
    let secs = (hours * 3600 + mins * 60) * if neg { -1 } else { 1 };
    let start = caps.get(0).map_or(s.len(), |m| m.start());
    (&s[..start], FixedOffset::east_opt(secs))
}

/// Drops weekdays, commas, "at"/"um"/"à" and Chinese weekday and half-day words.
fn normalise(s: &str) -> String {
    let s = s
        .replace(['，', ','], " ")
        .replace("上午", " AM ")
        .replace("下午", " PM ")
        .replace('日', "日 ");
    let mut out = Vec::new();
    for tok in s.split_whitespace() {
        let lower = tok.trim_end_matches('.').to_lowercase();
        if WEEKDAYS.contains(&lower.as_str())
            || matches!(
                lower.as_str(),
                "at" | "um" | "à" | "a" | "las" | "kl" | "alle"
            )
            || lower.starts_with('周')
            || lower.starts_with("星期")
            || lower.starts_with('週')
        {
            continue;
        }
        out.push(tok.trim_end_matches(['(', ')']).to_string());
    }
    // "10:15AM" → "10:15 AM"
    let joined = out.join(" ");
    let joined = joined.replace("AM", " AM").replace("PM", " PM");
    let joined = joined.replace("am", " am").replace("pm", " pm");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}
