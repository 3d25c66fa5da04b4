//! Product specifications named in the text: IP rating, power, voltage, colour temperature,
//! lumens, CRI, beam angle, size, material, colour, frequency, plug, capacity and warranty.
//! Keys are those of the analysis contract (`ip_rating`, `power_w`, `voltage`, `cct_k`, …).

use super::lexicon::request_data;
use super::numbers::{self, before_lower, char_at, char_before, skip_spaces, word_at, Num};
use super::vocab::{Hit, Tag};
use serde_json::Value;

/// One spec found at byte offset `at`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spec {
    pub at: usize,
    pub key: &'static str,
    pub value: Value,
}

/// The thread counts a fabric is sold in; a number outside them is no thread count.
pub(crate) const THREAD_COUNTS: std::ops::RangeInclusive<f64> = 50.0..=2000.0;

/// Whether a thread-count word (`[specs] thread_count` in the request data) starts at `at`.
pub(crate) fn is_thread_count(text: &str, at: usize) -> bool {
    let rest: String = text
        .get(at..)
        .unwrap_or("")
        .chars()
        .take(16)
        .collect::<String>()
        .to_lowercase();
    super::lexicon::request_data()
        .specs
        .thread_count
        .iter()
        .any(|w| {
            rest.starts_with(w.as_str())
                && rest[w.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !tradescout_core::phrases::is_alphanumeric(c))
        })
}

/// Every spec in `text`, in order of position (a key may appear more than once).
#[cfg(test)]
pub(crate) fn scan(text: &str) -> Vec<Spec> {
    scan_numbers(text, &numbers::scan(text), &super::vocab::scan(text))
}

/// Specs among already scanned numbers, and the worded ones (material, colour, plug).
pub(crate) fn scan_numbers(text: &str, nums: &[Num], hits: &[Hit]) -> Vec<Spec> {
    let mut out = Vec::new();
    for (i, n) in nums.iter().enumerate() {
        if let Some((key, value)) = numeric_spec(text, nums, i) {
            out.push(Spec {
                at: n.start,
                key,
                value,
            });
        }
    }
    for h in hits {
        if let Tag::Spec(key, v) = h.tag {
            if *key != "plug" || key_plug_context(text, h.start) {
                out.push(Spec {
                    at: h.start,
                    key,
                    value: Value::String(v.clone()),
                });
            }
        }
    }
    out.sort_by_key(|s| s.at);
    out
}

/// The spec number `i` states, read from the word after it (or the letters before it for IP
/// ratings and CRI).
fn numeric_spec(text: &str, nums: &[Num], i: usize) -> Option<(&'static str, Value)> {
    let n = nums.get(i)?;
    let v = n.value?;
    let before = char_before(text, n.start);
    // A letter right before the number makes it part of a code ("IP65", "FL100") — but not a
    // Chinese character, which is written straight on ("电饭煲1.8L", "需要20V").
    let glued_letter = before
        .is_some_and(|c| tradescout_core::phrases::is_alphabetic(c) && !super::text::is_cjk(c));
    let mut buf = [0u8; 16];
    let before_text = numbers::ascii_before(text, n.start, &mut buf);
    let glued_current = before_text.ends_with("ac") || before_text.ends_with("dc");
    if (glued_letter && !glued_current)
        || before_text.ends_with("ip ")
        || before_text.ends_with("ip-")
    {
        return ip_or_cri(text, n, before_text);
    }
    if before.is_some_and(|c| {
        c.is_ascii_digit() || c == '.' || c == ',' || c == '-' || c == '/' || c == '_'
    }) {
        return None; // inside a code or the second half of a range
    }
    if let Some(found) = ip_or_cri(text, n, before_text) {
        return Some(found);
    }
    let after = skip_spaces(text, n.end, 1);
    // Ranges and pairs: "220-240V", "100~277VAC", "50/60Hz".
    if let Some(sep) = char_at(text, after).filter(|c| matches!(c, '-' | '~' | '–' | '/')) {
        let p = skip_spaces(text, after + sep.len_utf8(), 1);
        if let Some(m) = nums.get(i + 1).filter(|m| m.start == p) {
            if let Some((w, e)) =
                word_at(text, m.end).or_else(|| word_at(text, skip_spaces(text, m.end, 1)))
            {
                match w.to_ascii_lowercase().as_str() {
                    "v" | "vac" | "vdc" | "volt" | "volts" => {
                        let hi = m.value?;
                        if v <= 1.0 && hi == 10.0 {
                            // "0-10V" / "1-10V" is a dimming interface, not the supply.
                            return Some(("dimming", Value::String(format!("{}-10V", fmt(v)))));
                        }
                        let range = if hi > v {
                            format!("{}-{}V", fmt(v), fmt(hi))
                        } else {
                            format!("{}/{}V", fmt(v), fmt(hi))
                        };
                        return Some((
                            "voltage",
                            Value::String(with_dc(text, before_text, w, e, range)),
                        ));
                    }
                    "hz" => {
                        return Some((
                            "frequency_hz",
                            Value::String(format!("{}/{}", n.raw, m.raw)),
                        ))
                    }
                    _ => {}
                }
            }
        }
    }
    // Sizes: "600x600mm", "120 x 60 x 75 cm".
    if let Some(size) = size(text, nums, i) {
        return Some(("size", Value::String(size)));
    }
    let (word, end) = word_at(text, after)?;
    let lower = word.to_lowercase();
    // "sábanas de algodón 200 hilos", "300 thread count": the fabric's thread count.
    if THREAD_COUNTS.contains(&v) && is_thread_count(text, after) {
        return Some(("thread_count", num(v)));
    }
    let units = &request_data().specs.units;
    let is = |list: &[String]| list.contains(&lower);
    let spec = if is(&units.power_w) {
        ("power_w", num(v))
    } else if is(&units.power_kw) {
        ("power_w", num(v * 1000.0))
    } else if is(&units.voltage) && v <= 1000.0 {
        (
            "voltage",
            Value::String(with_dc(
                text,
                before_text,
                word,
                end,
                format!("{}V", fmt(v)),
            )),
        )
    } else if lower == "k" && (1500.0..=10000.0).contains(&v) && n.raw.len() == 4 {
        ("cct_k", num(v))
    } else if is(&units.lumens) && char_at(text, end) != Some('/') {
        ("lumens", num(v))
    } else if is(&units.beam_angle) && (1.0..=360.0).contains(&v) {
        if char_at(text, end)
            .is_some_and(|c| c.eq_ignore_ascii_case(&'c') || c.eq_ignore_ascii_case(&'f'))
        {
            return None;
        }
        ("beam_angle", num(v))
    } else if is(&units.frequency_hz) {
        ("frequency_hz", num(v))
    } else if let Some(unit) = units.capacity.get(&lower) {
        ("capacity", Value::String(format!("{}{}", n.raw, unit)))
    } else if is(&units.gsm) {
        ("gsm", num(v))
    } else if let Some(mm) = units.length_mm.get(&lower) {
        // The last side of a size ("50 x 90 cm") is no length of its own.
        let after_times = text
            .get(..n.start)
            .map(str::trim_end)
            .and_then(|b| b.chars().next_back())
            .is_some_and(numbers::is_times);
        if after_times {
            return None;
        }
        ("length_mm", num(v * mm))
    } else if is(&units.years) && (1.0..=30.0).contains(&v) {
        let ahead = text
            .get(end..)
            .map(|r| super::text::capped(r, 24).to_lowercase())
            .unwrap_or_default();
        let behind = before_lower(text, n.start, 40);
        let cue = |s: &str| units.warranty_cues.iter().any(|w| s.contains(w.as_str()));
        if !(cue(&ahead) || cue(&behind)) {
            return None;
        }
        ("warranty_years", num(v))
    } else {
        return None;
    };
    Some(spec)
}

/// "IP65", "IP 65", "IP69K"; "CRI>80", "Ra 90".
fn ip_or_cri(text: &str, n: &Num, before: &str) -> Option<(&'static str, Value)> {
    let b = before.trim_end_matches([' ', '-', '>', '≥', ':', '=']);
    let word_start_ok = |w: &str| {
        b.strip_suffix(w).is_some_and(|r| {
            r.chars()
                .next_back()
                .is_none_or(|c| !tradescout_core::phrases::is_alphabetic(c))
        })
    };
    if word_start_ok("ip")
        && n.raw.len() == 2
        && n.raw.as_bytes()[0] <= b'6'
        && before.len() - b.len() <= 1
    {
        let k = if char_at(text, n.end).is_some_and(|c| c == 'K' || c == 'k') {
            "K"
        } else {
            ""
        };
        if char_at(text, n.end + k.len())
            .is_none_or(|c| !tradescout_core::phrases::is_alphanumeric(c))
        {
            return Some(("ip_rating", Value::String(format!("IP{}{k}", n.raw))));
        }
    }
    if (word_start_ok("cri") || word_start_ok("ra")) && (60.0..=100.0).contains(&n.value?) {
        return Some(("cri", num(n.value?)));
    }
    None
}

fn with_dc(text: &str, before: &str, word: &str, end: usize, mut s: String) -> String {
    let lower = word.to_ascii_lowercase();
    let after_dc =
        word_at(text, skip_spaces(text, end, 1)).is_some_and(|(w, _)| w.eq_ignore_ascii_case("dc"));
    let before_dc = before.trim_end().ends_with("dc");
    if lower == "vdc" || after_dc || before_dc {
        s.push_str(" DC");
    }
    s
}

fn size(text: &str, nums: &[Num], i: usize) -> Option<String> {
    let a = nums.get(i)?;
    let times = |from: usize| {
        let p = skip_spaces(text, from, 1);
        let c = char_at(text, p).filter(|&c| numbers::is_times(c))?;
        Some(skip_spaces(text, p + c.len_utf8(), 1))
    };
    let b = nums.get(i + 1).filter(|b| Some(b.start) == times(a.end))?;
    let c = nums.get(i + 2).filter(|c| Some(c.start) == times(b.end));
    let last = c.unwrap_or(b);
    let unit_pos = skip_spaces(text, last.end, 1);
    let unit = match word_at(text, unit_pos) {
        Some((w, _)) => match request_data().specs.units.size.get(&w.to_lowercase()) {
            Some(unit) => unit.clone(),
            None if char_at(text, last.end)
                .is_some_and(tradescout_core::phrases::is_alphabetic) =>
            {
                return None
            } // "2 x 40HQ"
            None => String::new(),
        },
        None => String::new(),
    };
    if unit.is_empty() && (a.value? < 10.0 || b.value? < 10.0) {
        return None;
    }
    let mut s = format!("{}x{}", a.raw, b.raw);
    if let Some(c) = c {
        s.push('x');
        s.push_str(c.raw);
    }
    s.push_str(&unit);
    Some(s)
}

/// "type G" is a plug only near the word plug/socket (not "type C cable").
fn key_plug_context(text: &str, at: usize) -> bool {
    let Some(rest) = text.get(at..) else {
        return false;
    };
    let lower = rest
        .get(..rest.len().min(24))
        .unwrap_or(rest)
        .to_ascii_lowercase();
    !lower.starts_with("type ") || lower.contains("plug") || lower.contains("socket")
}

fn num(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn specs(text: &str) -> Vec<(&'static str, Value)> {
        scan(text).into_iter().map(|s| (s.key, s.value)).collect()
    }

    #[test]
    fn lighting_specs_are_read_with_contract_keys() {
        let s = specs("100W LED flood light IP65, AC220-240V, 4000K, 130lm/w, 13000lm, CRI>80, 120° beam, 50/60Hz");
        assert!(s.contains(&("power_w", json!(100))));
        assert!(s.contains(&("ip_rating", json!("IP65"))));
        assert!(s.contains(&("voltage", json!("220-240V"))));
        assert!(s.contains(&("cct_k", json!(4000))));
        assert!(s.contains(&("lumens", json!(13000))));
        assert!(s.contains(&("cri", json!(80))));
        assert!(s.contains(&("beam_angle", json!(120))));
        assert!(s.contains(&("frequency_hz", json!("50/60"))));
        assert!(!s.iter().any(|(k, v)| *k == "lumens" && *v == json!(130)));
    }

    #[test]
    fn a_dimming_interface_is_not_the_supply_voltage() {
        assert_eq!(specs("1-10V 调光"), vec![("dimming", json!("1-10V"))]);
        assert_eq!(
            specs("0-10V dimming, AC220-240V"),
            vec![("dimming", json!("0-10V")), ("voltage", json!("220-240V"))]
        );
    }

    #[test]
    fn voltage_forms() {
        assert_eq!(specs("12V DC strip"), vec![("voltage", json!("12V DC"))]);
        assert_eq!(
            specs("input 100-277VAC"),
            vec![("voltage", json!("100-277V"))]
        );
        assert_eq!(specs("24VDC"), vec![("voltage", json!("24V DC"))]);
    }

    #[test]
    fn ip_address_and_model_codes_are_not_specs() {
        assert!(specs("send to my IP address").is_empty());
        assert!(specs("model BS-FL100").is_empty());
    }

    #[test]
    fn units_glued_to_chinese_and_single_lengths() {
        assert!(specs("需要电饭煲1.8L，220V").contains(&("capacity", json!("1.8L"))));
        assert!(specs("需要20V无刷锂电钻").contains(&("voltage", json!("20V"))));
        assert!(specs("Чайник 1,7 л").contains(&("capacity", json!("1,7L"))));
        assert!(specs("towels 600 gsm").contains(&("gsm", json!(600))));
        assert!(specs("болгарки 125 мм").contains(&("length_mm", json!(125))));
        let towel = specs("Handtücher 50 x 90 cm");
        assert!(towel.contains(&("size", json!("50x90cm"))));
        assert!(!towel.iter().any(|(k, _)| *k == "length_mm"), "{towel:?}");
        assert!(specs("دريل شحن 20 فولت").contains(&("voltage", json!("20V"))));
        assert!(specs("منشفة مقاس 70×140 سم").contains(&("size", json!("70x140cm"))));
        // A code is still no spec.
        assert!(!specs("model FL100W").iter().any(|(k, _)| *k == "power_w"));
    }

    #[test]
    fn size_material_colour_plug_capacity_warranty() {
        let s =
            specs("600x600mm panel, aluminium frame, white, UK plug, 10000mAh, 5 years warranty");
        assert!(s.contains(&("size", json!("600x600mm"))));
        assert!(s.contains(&("material", json!("aluminium"))));
        assert!(s.contains(&("color", json!("white"))));
        assert!(s.contains(&("plug", json!("type G"))));
        assert!(s.contains(&("capacity", json!("10000mAh"))));
        assert!(s.contains(&("warranty_years", json!(5))));
        // The plug in the buyers' own words.
        for (text, plug) in [
            ("1000台电饭煲，英标插头", "type G"),
            ("500 غلاية كهربائية بقابس بريطاني", "type G"),
            ("400 czajników z wtyczką EU", "type C"),
            ("licuadoras con enchufe americano", "type A"),
        ] {
            assert!(specs(text).contains(&("plug", json!(plug))), "{text}");
        }
    }

    #[test]
    fn container_counts_are_not_sizes() {
        assert!(!specs("2 x 40HQ").iter().any(|(k, _)| *k == "size"));
    }
}
