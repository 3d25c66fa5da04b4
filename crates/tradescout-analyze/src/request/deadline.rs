//! When the buyer needs the goods: an ISO date when one is given or can be fixed from the
//! message date ("before 15 May", "by end of April", "5月15日前"), else the words
//! ("within 30 days", "ASAP", or "end of April" when the year is unknown).

use super::lexicon::{alternation, request_data};
use super::numbers::{char_at, char_before, skip_spaces, word_at};
use super::text::{days_in_month, valid_date};
use super::vocab::{Hit, Tag};
use regex::{Captures, Regex};
use std::collections::HashMap;
use std::sync::OnceLock;

struct Patterns {
    date: Option<Regex>,
    chinese: Option<Regex>,
    /// A full date written anywhere in the text ("your offer of May 20, 2027", "2027年5月20日").
    written: Option<Regex>,
    /// A span of time in Chinese ("7个工作日内", "30天以内").
    chinese_span: Option<Regex>,
    month_of: HashMap<String, u32>,
}

/// What a deadline cue introduces (the word lists are `[deadline]` in `data/request.toml`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cue {
    /// A date follows: "by", "deadline:"; a month alone means its end.
    Date,
    /// A date follows, strictly before: "before June" is 31 May.
    Before,
    /// A month follows: "during September" is its last day.
    During,
    /// A span follows: "within 30 days".
    Within,
    /// No date at all: "ASAP", "urgent".
    Asap,
    /// Chinese New Year: "before CNY", "春节前".
    NewYear,
}

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
        // A month alone ("during September") only by a name that is not an abbreviation
        // ("mar" is also the sea in Spanish), or by one the data lets stand alone ("by Dec.").
        let alone = &request_data().month_alone_abbreviations;
        let whole = alternation(months.values().flat_map(|names| {
            let full = names.first().map(String::as_str).unwrap_or("");
            names.iter().filter(move |n| {
                n.as_str() == full || !full.starts_with(n.as_str()) || alone.contains(n)
            })
        }));
        let re = |s: String| Regex::new(&s).ok();
        Patterns {
            date: re(format!(
                r"(?i)^(?:the\s|la\s|a\s|à\s|al\s)?(?:(?P<end>end\sof|ending\sof|finales\sdel|finales\sde|final\sdel|final\sde|fin\sdel|fin\sde|fim\sdo|fim\sde|fine\sdel|fine|fin|ende|конца|late)\s(?:the\s)?(?:(?P<endrel>this\smonth|the\smonth|next\smonth|month|(?:del\s|este\s|do\s|du\s|des\s|dieses\s|di\s)?(?:próximo\s|proximo\s|prossimo\s|nächsten\s)?(?:mes|mês|mois|monats|mese|месяца)(?:\sprochain|\sque\sviene|\ssiguiente)?|следующего\sмесяца|этого\sмесяца|текущего\sмесяца)|(?P<endm>{m}))|(?P<mid>mid-?|middle\sof|mediados\sde|meados\sde|mi-|mitte)\s?(?P<midm>{m})|(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th|\.|º)?\s?(?:of\s|de\s)?(?P<m1>{m})\.?(?:,?\s(?:de\s)?(?P<y1>20[0-9]{{2}}))?|(?P<m2>{m})\.?\s(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s(?P<y2>20[0-9]{{2}}))?|(?P<iy>20[0-9]{{2}})[-/.](?P<im>[0-9]{{1,2}})[-/.](?P<id>[0-9]{{1,2}})|(?P<nd>[0-9]{{1,2}})(?P<sep>[/.\-])(?P<nm>[0-9]{{1,2}})(?:[/.\-](?P<ny>(?:20)?[0-9]{{2}}))?|(?P<kw>(?:kw|cw|wk|week|semana|semaine|settimana|woche|неделя|неделе|hafta)\.?\s?(?P<kwn>[0-9]{{1,2}}))|(?P<endyear>(?:the\s)?(?:end\sof\s(?:the\s|this\s)?year|year[\s-]end|fin\sde\s(?:l'|este\s)?año|fim\sdo\sano|fin\sd'ann[ée]e|jahresende|ende\sdes\sjahres|fine\sanno|конца\sгода))|(?:(?:the\s)?(?:month\sof\s)?|de\s|del\smes\sde\s|laufe\s(?:des|von)\s)?(?P<mo>{whole})(?:\s(?P<moy>20[0-9]{{2}}))?)(?:[^\p{{L}}\p{{N}}]|$)"
            )),
            // "7月底", "6月中旬", "5月15日前"; "7月前" (the end of June); "7月装运", "7月份交货"
            // (shipped or delivered during July).
            chinese: re(r"(?:(?:(?P<y>20[0-9]{2})|(?P<era>令和|平成)\s?(?P<ey>[0-9]{1,2}|元))\s?年\s?)?(?P<m>[0-9]{1,2})\s?月\s?(?:(?P<d>[0-9]{1,2})\s?[日号]\s?(?:之前|以前|前|まで)|(?P<end>底|末|中旬|上旬|下旬)|(?P<before>之前|以前|前)|份?\s?(?:内|內)?\s?(?P<ship>装运|裝運|装船|裝船|登轮|登輪|交货|交貨|出货|出貨|发货|發貨|到货|到貨|付运|付運))|(?P<rel>下个?月|本月|这个?月|今年|年)(?P<relend>底|末)".to_string()),
            written: re(format!(
                r"(?i)(?:^|[^\p{{L}}\p{{N}}])(?:(?P<m2>{m})\.?\s(?P<d2>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s(?P<y2>20[0-9]{{2}})|(?P<d1>[0-9]{{1,2}})(?:st|nd|rd|th|\.|º)?\s(?:of\s|de\s)?(?P<m1>{m})\.?,?\s(?:de\s)?(?P<y1>20[0-9]{{2}})|(?P<iy>20[0-9]{{2}})-(?P<im>[0-9]{{1,2}})-(?P<id>[0-9]{{1,2}}))(?:[^\p{{L}}\p{{N}}]|$)|(?P<cy>20[0-9]{{2}})\s?年\s?(?P<cm>[0-9]{{1,2}})\s?月\s?(?P<cd>[0-9]{{1,2}})\s?[日号]"
            )),
            chinese_span: {
                let dl = &request_data().deadline;
                re(format!(
                    r"(?P<n>[0-9]{{1,3}})\s?(?:{})?\s?(?P<u>{})\s?(?:{})",
                    alternation(&dl.span_classifiers_cjk),
                    alternation(dl.span_units_cjk.values().flatten()),
                    alternation(&dl.span_closers_cjk),
                ))
            },
            month_of,
        }
    })
}

/// The deadline in `text`, given the message date (year, month, day) when known: the first
/// cue that fixes a date wins; else the words ("end of April" with no year, "within 30 days"
/// with no message date), else "ASAP".
pub(crate) fn deadline(text: &str, hits: &[Hit], today: Option<(i32, u32, u32)>) -> Option<String> {
    let p = patterns();
    // Without a message date, the earliest full date the letter itself writes ("your offer of
    // May 20, 2027") places a month named alone ("shipped in July"): the letter was written on
    // or after it. Spans ("within 30 days") still need the message's own date.
    // Looked for only when a date needs its year.
    let written = std::cell::OnceCell::new();
    let anchor = || today.or_else(|| *written.get_or_init(|| written_date(p, text)));
    let mut words: Option<String> = None;
    let mut within: Option<String> = None;
    let mut asap = false;
    for (start, end, cue) in hits.iter().filter_map(|h| match h.tag {
        Tag::Deadline(c) => Some((h.start, h.end, *c)),
        _ => None,
    }) {
        match cue {
            Cue::Date | Cue::Before | Cue::During => {
                let mut at = skip_spaces(text, end, 2);
                // "Deadline: …", "Срок поставки — …".
                if let Some(c) =
                    char_at(text, at).filter(|c| matches!(c, ':' | '：' | '—' | '–' | '-'))
                {
                    at = skip_spaces(text, at + c.len_utf8(), 2);
                    // A form's label on its own line: "Angebotsabgabe bis :\n07.04.2017".
                    if let Some(nl) = text.get(at..).and_then(|r| r.strip_prefix('\n')) {
                        at = text.len() - nl.len();
                        at = skip_spaces(text, at, 2);
                    }
                }
                // "au plus tard le mercredi 28 février": the weekday before the date.
                if let Some((w, w_end)) = word_at(text, at).filter(|(w, _)| w.len() >= 5) {
                    let w = w.to_lowercase();
                    if request_data().deadline.weekdays.contains(&w) {
                        let after = if char_at(text, w_end) == Some(',') {
                            w_end + 1
                        } else {
                            w_end
                        };
                        at = skip_spaces(text, after, 2);
                    }
                }
                let rest = super::text::capped(text.get(at..).unwrap_or(""), 60);
                if !rest.starts_with(|c: char| tradescout_core::phrases::is_alphanumeric(c)) {
                    continue;
                }
                let Some(d) = p.date.as_ref().and_then(|re| re.captures(rest)) else {
                    // "в течение 30 дней", "entro 45 giorni": the word also opens a span.
                    if within.is_none() {
                        within = within_span(text, end, today);
                    }
                    continue;
                };
                if d.name("mo").is_some() && cue == Cue::Date && !month_alone_ok(text, start) {
                    continue;
                }
                // "the shipment in March was damaged": a month past, not a deadline.
                if cue == Cue::During {
                    let date_end = at + d.get(0).map_or(0, |m| m.end());
                    let next = text
                        .get(date_end..)
                        .and_then(|r| r.split_whitespace().next())
                        .unwrap_or("")
                        .to_lowercase();
                    if ["was", "were", "had", "arrived", "came", "went"].contains(&next.as_str()) {
                        continue;
                    }
                }
                // "entrega 5-7 días": a range; day-month with hyphens only with its year.
                if d.name("sep").is_some_and(|m| m.as_str() == "-") && d.name("ny").is_none() {
                    continue;
                }
                // "Lieferung 2.5 Tonnen": a number with its unit, not the 2nd of May.
                if d.name("nd").is_some() && d.name("ny").is_none() {
                    let digits_end = d.name("nm").map_or(0, |m| m.end());
                    if super::quantity::unit_at(text, at + digits_end).is_some() {
                        continue;
                    }
                }
                match fix_date(p, &d, today, anchor(), cue == Cue::Before) {
                    Some(iso) => return Some(iso),
                    None if words.is_none() => {
                        let span = d.get(0).map_or("", |m| m.as_str());
                        let span = span
                            .trim_end_matches(|ch: char| {
                                !tradescout_core::phrases::is_alphanumeric(ch)
                            })
                            .trim();
                        if !span.is_empty() {
                            words = Some(span.to_string());
                        }
                    }
                    None => {}
                }
            }
            Cue::Within if within.is_none() => within = within_span(text, end, today),
            Cue::NewYear => {
                if let Some(iso) = before_new_year(text, start, end, today) {
                    return Some(iso);
                }
            }
            Cue::Asap => asap = true,
            Cue::Within => {}
        }
    }
    if text.contains('月') || text.contains('年') {
        if let Some(iso) = chinese(p, text, today, &anchor) {
            return Some(iso);
        }
    }
    if within.is_none() && (text.contains('内') || text.contains('內')) {
        within = chinese_span(p, text, today);
    }
    let dated = within.as_ref().is_some_and(|w| w.starts_with("20"));
    if dated {
        return within;
    }
    words
        .or(within)
        .or_else(|| asap.then(|| "ASAP".to_string()))
}

/// A month alone after a plain "by"/"until" is a deadline only near a delivery word, so "by
/// May we will decide" is not one: the cue is "deadline"/"delivery date", or the sentence
/// speaks of delivery or shipment.
fn month_alone_ok(text: &str, cue_start: usize) -> bool {
    let mut from = cue_start.saturating_sub(60);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text.get(from..cue_start).unwrap_or("").to_lowercase();
    let cue = text
        .get(cue_start..)
        .unwrap_or("")
        .chars()
        .take(12)
        .collect::<String>()
        .to_lowercase();
    cue.starts_with("deadline")
        || cue.starts_with("delivery")
        || cue.starts_with("latest")
        || [
            "deliver",
            "ship",
            "arriv",
            "need",
            "goods",
            "entreg",
            "livr",
            "liefer",
            "consegn",
            "постав",
            "отгруз",
            "envi",
            "embarq",
            "spedi",
            "تسليم",
            "شحن",
        ]
        .iter()
        .any(|w| before.contains(w))
}

/// "before Chinese New Year", "春节前": the day before the next Chinese New Year after the
/// message date.
fn before_new_year(
    text: &str,
    start: usize,
    end: usize,
    today: Option<(i32, u32, u32)>,
) -> Option<String> {
    let (ty, tm, td) = today?;
    let mut from = start.saturating_sub(24);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text.get(from..start).unwrap_or("").to_lowercase();
    let after: String = text.get(end..).unwrap_or("").chars().take(3).collect();
    let said_before = [
        "before", "antes", "avant", "vor ", "prima", "до ", "قبل", "by ",
    ]
    .iter()
    .any(|w| before.contains(w))
        || after.starts_with('前')
        || after.starts_with("之前")
        || after.starts_with("以前");
    if !said_before {
        return None;
    }
    let table = &request_data().deadline.chinese_new_year;
    [ty, ty + 1].into_iter().find_map(|y| {
        let day = table.get(&y.to_string())?;
        let (y2, m2, d2) = parse_iso(day)?;
        ((m2, d2) > (tm, td) || y2 > ty).then(|| add_days((y2, m2, d2), -1))?
    })
}

fn parse_iso(s: &str) -> Option<(i32, u32, u32)> {
    let y = s.get(0..4)?.parse().ok()?;
    let m = s.get(5..7)?.parse().ok()?;
    let d = s.get(8..10)?.parse().ok()?;
    valid_date(y, m, d)
}

/// Chinese dates: "2027 年 1 月 20 日之前", "5月15日前", "4月底", "6月中旬", "下月底", "年底".
fn chinese(
    p: &Patterns,
    text: &str,
    today: Option<(i32, u32, u32)>,
    anchor: &dyn Fn() -> Option<(i32, u32, u32)>,
) -> Option<String> {
    let re = p.chinese.as_ref()?;
    // The first telling match: "3月发货的灯" (the lamps shipped in March) is past, and "7月前往"
    // is a visit, not a date; a shipment month gives way to a dated one later in the text.
    let mut ship: Option<Captures> = None;
    let mut chosen: Option<Captures> = None;
    for c in re.captures_iter(text).take(20) {
        let after = c
            .get(0)
            .and_then(|m| text.get(m.end()..))
            .and_then(|r| r.chars().next());
        if c.name("before").is_some() && matches!(after, Some('往' | '期' | '后' | '後')) {
            continue;
        }
        // "令和7年9月1日から令和11年2月28日まで": the end of a period (a lease, a contract),
        // not a date the goods are due.
        let from_before = c
            .get(0)
            .and_then(|m| text.get(..m.start()))
            .is_some_and(|b| b.trim_end().ends_with("から"));
        if from_before {
            continue;
        }
        if c.name("ship").is_some() {
            if after != Some('的') && ship.is_none() {
                ship = Some(c);
            }
            continue;
        }
        chosen = Some(c);
        break;
    }
    let c = chosen.or(ship)?;
    if let Some(rel) = c.name("rel") {
        let (y, m, _) = today?;
        let rel = rel.as_str();
        let (y, m) = if rel.starts_with('下') {
            next_month(y, m)
        } else if rel.starts_with('年') || rel.starts_with("今年") {
            (y, 12)
        } else {
            (y, m)
        };
        return iso(y, m, days_in_month(y, m));
    }
    let month = c.name("m")?.as_str().parse().ok()?;
    // Japanese notices count years by era: 令和4年 is 2022, 平成30年 is 2018, 元年 the first.
    let era_year = c.name("era").and_then(|era| {
        let n: i32 = match c.name("ey")?.as_str() {
            "元" => 1,
            digits => digits.parse().ok()?,
        };
        Some(if era.as_str() == "令和" { 2018 } else { 1988 } + n)
    });
    let year = c
        .name("y")
        .and_then(|m| m.as_str().parse().ok())
        .or(era_year);
    let day = match c.name("end").map(|e| e.as_str()) {
        Some("上旬") => Some(10),
        Some("中旬") => Some(20),
        _ => c.name("d").and_then(|m| m.as_str().parse().ok()),
    };
    let today = anchor();
    if c.name("before").is_some() {
        // "7月前": before July, the last day of June.
        let end = resolve(year, month, Some(1), today)?;
        let (y, m, d) = parse_iso(&end)?;
        return add_days((y, m, d), -1);
    }
    resolve(year, month, day, today)
}

/// The earliest full date (day, month and year) written in `text`.
fn written_date(p: &Patterns, text: &str) -> Option<(i32, u32, u32)> {
    let re = p.written.as_ref()?;
    let month_named = |name: &str| p.month_of.get(&name.to_lowercase()).copied();
    let text = super::text::capped(text, 4000);
    re.captures_iter(text)
        .take(20)
        .filter_map(|c| {
            let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
            let year = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
            let (y, m, d) = if let Some(m) = c.name("m2") {
                (year("y2")?, month_named(m.as_str())?, num("d2")?)
            } else if let Some(m) = c.name("m1") {
                (year("y1")?, month_named(m.as_str())?, num("d1")?)
            } else if c.name("iy").is_some() {
                (year("iy")?, num("im")?, num("id")?)
            } else {
                (year("cy")?, num("cm")?, num("cd")?)
            };
            valid_date(y, m, d)
        })
        .min()
}

/// "within 30 days" → the date 30 days after the message, or the words ("within 30 days")
/// when the message has no date; "dentro de 2 semanas" → two weeks. Not when it is about
/// paying ("payment within 30 days").
fn within_span(text: &str, cue_end: usize, today: Option<(i32, u32, u32)>) -> Option<String> {
    // "Срок поставки — 16 дней", "Plazo de entrega: 3 días hábiles".
    let mut at = skip_spaces(text, cue_end, 2);
    while let Some(c) = char_at(text, at).filter(|c| matches!(c, ':' | '：' | '-' | '–' | '—'))
    {
        at = skip_spaces(text, at + c.len_utf8(), 2);
    }
    let digits = text
        .get(at..)?
        .bytes()
        .take(4)
        .take_while(u8::is_ascii_digit)
        .count();
    // "within three months", "entro tre mesi": a count written as a word.
    let (n, after) = if digits > 0 {
        (text.get(at..at + digits)?.parse::<u32>().ok()?, at + digits)
    } else {
        let (word, end) = word_at(text, at)?;
        let v = super::numbers::word_value(&word.to_lowercase())?;
        (
            ((1.0..=366.0).contains(&v) && v.fract() == 0.0).then_some(v as u32)?,
            end,
        )
    };
    let unit = span_unit(text, skip_spaces(text, after, 1))?;
    if about_payment(text, cue_end) {
        return None;
    }
    span_from(n, unit, today)
}

/// What a span of `n` units after the message date comes to: the date when the message date
/// is known, else the words ("within 30 days"). Working days skip Saturdays and Sundays.
fn span_from(n: u32, unit: SpanUnit, today: Option<(i32, u32, u32)>) -> Option<String> {
    let Some(today) = today else {
        let word = match (unit, n == 1) {
            (SpanUnit::Day, true) => "day",
            (SpanUnit::Day, false) => "days",
            (SpanUnit::Workday, true) => "working day",
            (SpanUnit::Workday, false) => "working days",
            (SpanUnit::Week, true) => "week",
            (SpanUnit::Week, false) => "weeks",
            (SpanUnit::Month, true) => "month",
            (SpanUnit::Month, false) => "months",
        };
        return Some(format!("within {n} {word}"));
    };
    let days = match unit {
        SpanUnit::Day => i64::from(n),
        SpanUnit::Week => i64::from(n) * 7,
        SpanUnit::Month => {
            let (y, m, d) = today;
            let total = i64::from(m) - 1 + i64::from(n);
            let (y, m) = (y + (total / 12) as i32, (total % 12) as u32 + 1);
            return iso(y, m, d.min(days_in_month(y, m)));
        }
        SpanUnit::Workday => {
            let start = days_from_civil(today);
            let (mut day, mut left) = (start, i64::from(n));
            while left > 0 {
                day += 1;
                // 1970-01-01 was a Thursday: 0 Thursday … 2 Saturday, 3 Sunday.
                if !matches!(day.rem_euclid(7), 2 | 3) {
                    left -= 1;
                }
            }
            day - start
        }
    };
    add_days(today, days)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum SpanUnit {
    Day,
    Workday,
    Week,
    Month,
}

/// A span unit by its key in the data (`day`, `workday`, `week`, `month`).
fn span_kind(key: &str) -> Option<SpanUnit> {
    match key {
        "day" => Some(SpanUnit::Day),
        "workday" => Some(SpanUnit::Workday),
        "week" => Some(SpanUnit::Week),
        "month" => Some(SpanUnit::Month),
        _ => None,
    }
}

/// The unit of time of a span at `at`: the longest of `[deadline.span_units]` that the next
/// one to three words spell ("days", "working days", "календарных дней").
fn span_unit(text: &str, at: usize) -> Option<SpanUnit> {
    let units = &request_data().deadline.span_units;
    let mut words = Vec::new();
    let mut pos = at;
    for _ in 0..3 {
        let Some((w, end)) = word_at(text, pos) else {
            break;
        };
        words.push(w.to_lowercase());
        pos = skip_spaces(text, end, 1);
    }
    for take in (1..=words.len()).rev() {
        let phrase = words[..take].join(" ");
        for (unit, names) in units {
            if names.contains(&phrase) {
                return span_kind(unit);
            }
        }
    }
    None
}

/// "7个工作日内", "30天内", "3个月内交货": a span in Chinese, which puts "within" after it.
fn chinese_span(p: &Patterns, text: &str, today: Option<(i32, u32, u32)>) -> Option<String> {
    let re = p.chinese_span.as_ref()?;
    // Not a payment term ("货到后30天内付款"), not the tail of a longer number.
    let c = re.captures_iter(text).find(|c| {
        let (Some(all), Some(n)) = (c.get(0), c.name("n")) else {
            return false;
        };
        let after: String = text
            .get(all.end()..)
            .unwrap_or("")
            .chars()
            .take(4)
            .collect();
        let paid = request_data()
            .deadline
            .span_payment_cjk
            .iter()
            .any(|w| after.starts_with(w.as_str()));
        !paid && !char_before(text, n.start()).is_some_and(|ch| ch.is_ascii_digit())
    })?;
    let n: u32 = c.name("n")?.as_str().parse().ok()?;
    let found = c.name("u")?.as_str();
    let (kind, _) = request_data()
        .deadline
        .span_units_cjk
        .iter()
        .find(|(_, names)| names.iter().any(|w| w == found))?;
    span_from(n, span_kind(kind)?, today)
}

/// The ISO date `days` after `date`.
fn add_days(date: (i32, u32, u32), days: i64) -> Option<String> {
    let (y, m, d) = civil_from_days(days_from_civil(date) + days);
    iso(y, m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil((y, m, d): (i32, u32, u32)) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

/// `today` is the message date, for the forms relative to it ("week 12", "end of next month");
/// `anchor` only places a month or day written without a year (the message date, else a date
/// the letter writes).
fn fix_date(
    p: &Patterns,
    c: &Captures,
    today: Option<(i32, u32, u32)>,
    anchor: Option<(i32, u32, u32)>,
    strictly_before: bool,
) -> Option<String> {
    let month_named = |name: &str| p.month_of.get(&name.to_lowercase()).copied();
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
    if let Some(week) = c.name("kwn").and_then(|w| w.as_str().parse::<u32>().ok()) {
        // "before week 20" is the end of week 19.
        let week = if strictly_before {
            week.checked_sub(1)?
        } else {
            week
        };
        return week_end(week, today?);
    }
    if c.name("endyear").is_some() {
        let (y, _, _) = today?;
        return iso(y, 12, 31);
    }
    if let Some(m) = c.name("mo") {
        let month = month_named(m.as_str())?;
        let end = resolve(year("moy"), month, None, anchor)?;
        if !strictly_before {
            return Some(end);
        }
        // "before June": the last day of May.
        let (y, _, _) = parse_iso(&end)?;
        return add_days((y, month, 1), -1);
    }
    if c.name("end").is_some() {
        if let Some(rel) = c.name("endrel") {
            let (y, m, _) = today?;
            let rel = rel.as_str().to_lowercase();
            let next = [
                "next",
                "próximo",
                "proximo",
                "prossimo",
                "nächsten",
                "prochain",
                "que viene",
                "siguiente",
                "следующего",
            ]
            .iter()
            .any(|w| rel.contains(w));
            let (y, m) = if next { next_month(y, m) } else { (y, m) };
            return iso(y, m, days_in_month(y, m));
        }
        let month = month_named(c.name("endm")?.as_str())?;
        return resolve(None, month, None, anchor);
    }
    if c.name("mid").is_some() {
        let month = month_named(c.name("midm")?.as_str())?;
        return resolve(None, month, Some(15), anchor);
    }
    if let Some(m) = c.name("m1") {
        return resolve(year("y1"), month_named(m.as_str())?, num("d1"), anchor);
    }
    if let Some(m) = c.name("m2") {
        return resolve(year("y2"), month_named(m.as_str())?, num("d2"), anchor);
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
    resolve(y, month, Some(day), anchor)
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

/// The Sunday of ISO week `week` ("KW 12", "week 12"): this year's, or next year's once this
/// year's has passed.
fn week_end(week: u32, today: (i32, u32, u32)) -> Option<String> {
    if !(1..=53).contains(&week) {
        return None;
    }
    let now = days_from_civil(today);
    for year in [today.0, today.0 + 1] {
        let jan4 = days_from_civil((year, 1, 4));
        // Monday = 0 … Sunday = 6; 1970-01-01 was a Thursday.
        let weekday = (jan4 + 3).rem_euclid(7);
        let sunday = jan4 - weekday + 7 * (i64::from(week) - 1) + 6;
        if sunday >= now {
            let (y, m, d) = civil_from_days(sunday);
            return iso(y, m, d);
        }
    }
    None
}

fn next_month(y: i32, m: u32) -> (i32, u32) {
    if m >= 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
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
    fn spans_in_words_working_days_and_after_a_label() {
        // 3 March 2025 is a Monday.
        for (text, want) in [
            (
                "The goods must arrive within three months of our order.",
                "2025-06-03",
            ),
            ("Consegna entro tre mesi dall'ordine.", "2025-06-03"),
            ("请在7个工作日内发货。", "2025-03-12"),
            ("30天内交货", "2025-04-02"),
            ("Plazo de entrega: 3 días hábiles.", "2025-03-06"),
            ("Срок поставки — 16 календарных дней.", "2025-03-19"),
            ("Delivery within 10 business days, please.", "2025-03-17"),
            ("Lieferzeit - 4 Wochen", "2025-03-31"),
        ] {
            assert_eq!(deadline(text, MARCH_3).as_deref(), Some(want), "{text}");
        }
        assert_eq!(
            deadline("Delivery within 10 working days.", None).as_deref(),
            Some("within 10 working days")
        );
        // Payment terms are no deadline.
        assert_eq!(
            deadline("Payment within 30 days of invoice.", MARCH_3),
            None
        );
    }

    #[test]
    fn closing_dates_of_offers_in_forms_and_letters() {
        for (text, want) in [
            ("Angebotsabgabe bis :\n07.04.2027\nDokumente", "2027-04-07"),
            (
                "Fecha de cierre de recepción de la oferta: 07-06-2027 12:47:00",
                "2027-06-07",
            ),
            (
                "Les offres parviendront au plus tard le mercredi 28 avril 2027 à 10h.",
                "2027-04-28",
            ),
            ("Срок подачи заявок — 22.12.2027", "2027-12-22"),
            (
                "Please send your quote by Friday, 12 March 2027.",
                "2027-03-12",
            ),
        ] {
            assert_eq!(deadline(text, MARCH_3).as_deref(), Some(want), "{text}");
        }
        // A range of days with a hyphen is no date.
        assert_eq!(
            deadline("Tiempo de entrega 5-7 días", MARCH_3).as_deref(),
            None
        );
    }

    #[test]
    fn japanese_dates_count_years_by_era() {
        // "納期 令和4年8月16日まで": the fourth year of Reiwa is 2022.
        assert_eq!(
            deadline("納期 令和4年8月16日まで", Some((2022, 5, 27))),
            Some("2022-08-16".to_string())
        );
        assert_eq!(
            deadline("平成30年3月31日までに納入", Some((2018, 1, 10))),
            Some("2018-03-31".to_string())
        );
        // The end of a contract period is no delivery date.
        assert_eq!(
            deadline(
                "契約期間 令和7年9月1日から令和11年2月28日まで",
                Some((2025, 5, 20))
            ),
            None
        );
    }

    #[test]
    fn a_month_of_shipment_is_a_deadline() {
        assert_eq!(
            deadline("The goods should be shipped in July, please.", MARCH_3).as_deref(),
            Some("2025-07-31")
        );
        assert_eq!(
            deadline("全部货物应于7月装运。", MARCH_3).as_deref(),
            Some("2025-07-31")
        );
        assert_eq!(
            deadline("请在7月前交货。", MARCH_3).as_deref(),
            Some("2025-06-30")
        );
        assert_eq!(
            deadline("Livraison en juin, s'il vous plaît.", MARCH_3).as_deref(),
            Some("2025-06-30")
        );
        assert_eq!(
            deadline("Lieferung spätestens am 31. Januar 2026.", MARCH_3).as_deref(),
            Some("2026-01-31")
        );
        // A place or a packing after the words is no date.
        assert_eq!(
            deadline("delivery in Hamburg, shipped in cartons", MARCH_3),
            None
        );
    }

    #[test]
    fn past_months_and_visits_are_not_deadlines() {
        // A month the goods were shipped in, then the date they are needed by.
        assert_eq!(
            deadline(
                "3月发货的灯有问题，请在5月15日前补发。",
                Some((2025, 4, 10))
            )
            .as_deref(),
            Some("2025-05-15")
        );
        assert_eq!(deadline("我们计划7月前往贵厂考察。", MARCH_3), None);
        assert_eq!(
            deadline(
                "The shipment in March was damaged, please replace.",
                MARCH_3
            ),
            None
        );
        // A founding year does not place the month; only a 20xx date the letter writes does.
        assert_eq!(
            deadline(
                "Founded 3 June 1998. The order should be shipped in July.",
                None
            )
            .as_deref(),
            Some("July")
        );
        // Forms relative to the message date stay words without one.
        assert_eq!(
            deadline(
                "Further to your offer of 20 May 2027, delivery by end of next month.",
                None
            )
            .as_deref(),
            Some("end of next month")
        );
    }

    #[test]
    fn a_date_the_letter_writes_places_the_month() {
        // No message date: the offer's date says which July.
        let text = "Your offer of May 20, 2027 suits us. The order should be shipped in July.";
        assert_eq!(deadline(text, None).as_deref(), Some("2027-07-31"));
        assert_eq!(
            deadline("贵方2027年5月20日的报价收悉。全部货物应于7月登轮。", None).as_deref(),
            Some("2027-07-31")
        );
        // Without any date the month stays words.
        assert_eq!(
            deadline("The order should be shipped in July.", None).as_deref(),
            Some("July")
        );
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
    fn every_language_and_relative_forms() {
        let sept_2 = Some((2026, 9, 2));
        let cases = [
            ("交期最好在 2027 年 1 月 20 日之前", MARCH_3, "2027-01-20"),
            ("请下月底前发货", MARCH_3, "2025-04-30"),
            ("entrega antes de fin de mes", MARCH_3, "2025-03-31"),
            ("entrega a finales del próximo mes", MARCH_3, "2025-04-30"),
            (
                "livraison avant la fin du mois prochain",
                MARCH_3,
                "2025-04-30",
            ),
            ("Lieferung bis Ende nächsten Monats", MARCH_3, "2025-04-30"),
            ("consegna entro fine mese", MARCH_3, "2025-03-31"),
            ("поставка до конца следующего месяца", MARCH_3, "2025-04-30"),
            ("Lieferung bis 15.4.", MARCH_3, "2025-04-15"),
            ("Liefertermin: KW 12", MARCH_3, "2025-03-23"),
            ("delivery by week 2", MARCH_3, "2026-01-11"),
            ("entrega antes de la semana 20", MARCH_3, "2025-05-11"),
            ("6月中旬交货", MARCH_3, "2025-06-20"),
            ("春节前到货", Some((2026, 11, 20)), "2027-02-05"),
            (
                "we need them before Chinese New Year",
                Some((2026, 11, 20)),
                "2027-02-05",
            ),
            ("delivery during September please", MARCH_3, "2025-09-30"),
            ("Lieferung im Laufe des Septembers", MARCH_3, "2025-09-30"),
            ("delivery within 30 days", MARCH_3, "2025-04-02"),
            ("в течение 2 недель", MARCH_3, "2025-03-17"),
            ("entro il 30 settembre", MARCH_3, "2025-09-30"),
            ("livraison avant juin", MARCH_3, "2025-05-31"),
            ("entrega antes del 15 de junio", MARCH_3, "2025-06-15"),
            (
                "we must receive the goods by the end of the year",
                MARCH_3,
                "2025-12-31",
            ),
            ("التسليم قبل 15 مايو", MARCH_3, "2025-05-15"),
            ("spätestens bis 30.09.2026", sept_2, "2026-09-30"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter_map(|(text, today, want)| {
                let got = deadline(text, *today);
                (got.as_deref() != Some(*want)).then(|| format!("{text}: {got:?}, want {want}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn a_quantity_after_a_delivery_word_is_no_date() {
        assert_eq!(deadline("Lieferung 2.5 Tonnen pro Monat", MARCH_3), None);
        assert_eq!(deadline("entrega 1.5 toneladas", MARCH_3), None);
    }

    #[test]
    fn a_month_alone_needs_a_delivery_word() {
        assert_eq!(
            deadline("by May we will decide on the supplier", MARCH_3),
            None
        );
        assert_eq!(deadline("envío por mar a Valencia", MARCH_3), None);
        // An abbreviation that is no word of its own may stand alone.
        assert_eq!(
            deadline("We need to buy 9 workstations by Dec.", MARCH_3).as_deref(),
            Some("2025-12-31")
        );
        assert_eq!(
            deadline("Nous livrons sept palettes par semaine", MARCH_3),
            None
        );
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
