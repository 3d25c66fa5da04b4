//! E-mail addresses and phone numbers, the latter normalised to E.164 with the calling code's
//! country.

use crate::request::text::capped;
use regex::Regex;
use std::sync::OnceLock;

pub(super) fn emails_in(text: &str) -> impl Iterator<Item = &str> {
    email_regex()
        .into_iter()
        .flat_map(move |re| re.find_iter(text))
        .map(|m| m.as_str())
}

pub(super) fn email_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})*\.[A-Za-z]{2,24}").ok()).as_ref()
}

/// Phone-like runs on lines that say they are phones ("Tel", "WhatsApp", "M:") or start with "+".
pub(super) fn phones_in(text: &str) -> impl Iterator<Item = &str> {
    text.lines().take(200).filter_map(|line| {
        if line.bytes().filter(u8::is_ascii_digit).count() < 7 {
            return None;
        }
        let lower = capped(line, 200).to_lowercase();
        let cued = [
            "tel",
            "phone",
            "mob",
            "cell",
            "whatsapp",
            "wechat",
            "viber",
            "m:",
            "t:",
            "p:",
            "ph:",
            "teléfono",
            "telefone",
            "телефон",
            "тел",
            "电话",
            "手机",
            "هاتف",
            "جوال",
        ]
        .iter()
        .any(|c| lower.contains(c));
        let m = phone_regex()?.find(line)?;
        (cued || m.as_str().starts_with('+')).then(|| m.as_str())
    })
}

pub(super) fn phone_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?:\+|00)?\(?[0-9][0-9\x20\-().]{5,20}[0-9]").ok())
        .as_ref()
}

/// E.164 and the calling code's country, for international numbers ("+44 …", "0044 …") or
/// national ones with a country hint. Read from phonenumber's metadata directly: its full
/// parser costs tens of microseconds a number.
pub(super) fn parse_phone(raw: &str, hint: Option<&str>) -> Option<(String, Option<String>)> {
    let m = phone_regex()?.find(raw)?;
    let s = m.as_str();
    let mut digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if !(7..=17).contains(&digits.len()) {
        return None;
    }
    let db = &*phonenumber::metadata::DATABASE;
    let international = s.starts_with('+') || s.starts_with("00");
    if international {
        if s.starts_with("00") {
            digits.drain(..2);
        }
        for len in 1..=3 {
            let (code, national) = (digits.get(..len)?, digits.get(len..)?);
            let Some(regions) = code.parse::<u16>().ok().and_then(|c| db.by_code(&c)) else {
                continue;
            };
            // "+44 (0)20 …": the trunk zero written after the calling code.
            let national = national
                .strip_prefix('0')
                .filter(|n| s.contains("(0)") && !n.is_empty())
                .unwrap_or(national);
            let fits = |m: &&&phonenumber::Metadata| m.descriptors().general().is_match(national);
            let region = regions
                .iter()
                .filter(fits)
                .max_by_key(|m| m.is_main_country_for_code())
                .or_else(|| {
                    regions.iter().find(|m| {
                        m.descriptors()
                            .general()
                            .possible_length()
                            .contains(&(national.len() as u16))
                    })
                })?;
            return Some((format!("+{code}{national}"), Some(region.id().to_string())));
        }
        return None;
    }
    let region = db.by_id(hint?)?;
    let prefix = region.national_prefix().unwrap_or("");
    let national = if prefix.is_empty() {
        digits.as_str()
    } else {
        digits.strip_prefix(prefix).unwrap_or(&digits)
    };
    if !region.descriptors().general().is_match(national) {
        return None;
    }
    Some((
        format!("+{}{national}", region.country_code()),
        Some(region.id().to_string()),
    ))
}
