//! Quantities with their unit: "500pcs", "1,000 pieces", "1.000 unidades", "5k pcs",
//! "2 x 40HQ", "40HQ*2", "500个", "1万个", "Qty: 300". A number is a quantity only next to a
//! unit or after a quantity label, so phones, years and model numbers are not read as one.

use super::lexicon::request_data;
use super::numbers::{before_lower, char_at, char_before, cjk_prefixes, skip_spaces, word_at, Num};
use super::text::{get_lower, FastMap};
use std::sync::OnceLock;

/// One quantity found at byte offset `at`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quantity {
    pub at: usize,
    pub amount: f64,
    /// Canonical unit (`pcs`, `40HQ`, …); `None` after a bare "Qty: 300".
    pub unit: Option<String>,
}

/// Lowercase unit word → canonical unit.
pub(crate) fn units() -> &'static FastMap<String, String> {
    static UNITS: OnceLock<FastMap<String, String>> = OnceLock::new();
    UNITS.get_or_init(|| {
        let data = request_data();
        let mut map = FastMap::default();
        for (canon, words) in data.units.iter().chain(data.units_cjk.iter()) {
            for w in words {
                map.insert(w.to_lowercase(), canon.clone());
            }
        }
        map
    })
}

/// The canonical unit of the word at `pos` (after up to two spaces), with its end.
pub(crate) fn unit_at(text: &str, pos: usize) -> Option<(String, usize)> {
    let pos = skip_spaces(text, pos, 2);
    let map = units();
    if char_at(text, pos).is_some_and(super::text::is_cjk) {
        // Folded, so traditional script reads too ("500個").
        let unit = cjk_prefixes(text, pos, 3).find_map(|(w, end)| {
            map.get(tradescout_core::phrases::fold(w).as_str())
                .map(|u| (u.clone(), end))
        })?;
        // "3个月" is a span of time: checked only where a classifier was found.
        let ahead: String = text.get(pos..).unwrap_or("").chars().take(4).collect();
        let ahead = tradescout_core::phrases::fold(&ahead);
        let not_units = &request_data().classifiers.not_units;
        return (!not_units.iter().any(|n| ahead.starts_with(n.as_str()))).then_some(unit);
    }
    let (word, end) = word_at(text, pos)?;
    if let Some(unit) = get_lower(map, word).or_else(|| get_lower(map, word.trim_end_matches('.')))
    {
        return Some((unit.clone(), end));
    }
    // Two-word units: "metric tons", "square meters".
    let next = skip_spaces(text, end, 1);
    if next > end {
        if let Some((second, end2)) = word_at(text, next) {
            let two = format!("{word} {second}");
            if let Some(unit) = get_lower(map, &two) {
                return Some((unit.clone(), end2));
            }
        }
    }
    // "Piece/Pieces", as platforms write it
    let (first, _) = word.split_once('/')?;
    get_lower(map, first).map(|u| (u.clone(), pos + first.len()))
}

/// Every quantity in `text`, in order of position.
#[cfg(test)]
pub(crate) fn scan(text: &str) -> Vec<Quantity> {
    scan_numbers(text, &super::numbers::scan(text))
}

/// Quantities among already scanned numbers.
pub(crate) fn scan_numbers(text: &str, nums: &[Num]) -> Vec<Quantity> {
    let mut found: Vec<Quantity> = Vec::new();
    let mut skip_until = 0;
    for (i, n) in nums.iter().enumerate() {
        if n.start < skip_until {
            continue;
        }
        if let Some((count, unit, at, end)) = container(text, nums, i) {
            push(&mut found, text, at, count, Some(unit));
            skip_until = end;
            continue;
        }
        let Some(mut amount) = n.value else { continue };
        let glued = char_before(text, n.start).is_some_and(|c| {
            (tradescout_core::phrases::is_alphanumeric(c) && !super::text::is_cjk(c))
                || "+-_#/.,".contains(c)
        });
        if glued || n.raw.bytes().filter(u8::is_ascii_digit).count() > 9 {
            continue;
        }
        let mut pos = skip_spaces(text, n.end, 3);
        if let Some(m @ ('k' | 'K' | '万' | '千')) = char_at(text, pos) {
            let after = pos + m.len_utf8();
            // "5k pcs", "1万个": a multiplier only before a unit (not "4000K").
            if unit_at(text, after).is_some() || m == '万' || m == '千' {
                amount *= if m == '万' { 10000.0 } else { 1000.0 };
                pos = after;
            }
        }
        // "300 thousand pcs", "300 ألف جهاز": a scale word between the digits and the unit
        // multiplies.
        if let Some((factor, after)) = scale_word_at(text, pos) {
            let next = skip_spaces(text, after, 1);
            if unit_at(text, next).is_some() {
                amount *= factor;
                pos = next;
            }
        }
        if char_at(text, pos) == Some('-') {
            pos += 1;
        }
        if let Some((unit, unit_end)) = unit_at(text, pos) {
            // "200 yard lights", "500 bottle openers", "5 gallon buckets": a singular unit word
            // before a noun names a kind of product (counted in pieces) or its size.
            let unit = match compound(text, pos, unit_end) {
                Some(Compound::Pieces) => "pcs".to_string(),
                Some(Compound::Size) => continue,
                None => unit,
            };
            // "electric kettle 1.7 L": a small volume is the product's capacity, not an order.
            let capacity = unit == "liters" && amount < 50.0;
            if !unit.starts_with("20") && !unit.starts_with("40") && !capacity {
                push(&mut found, text, n.start, amount, Some(unit));
            }
            continue;
        }
        if labelled(text, n.start) {
            push(&mut found, text, n.start, amount, None);
        }
    }
    found
}

/// A number word of a thousand or more at `pos` ("thousand", "тысяч", "ألف", "mil"), as
/// (factor, end). Not "mil" before a thickness word ("4 mil bags").
pub(crate) fn scale_word_at(text: &str, pos: usize) -> Option<(f64, usize)> {
    let (word, end) = super::numbers::word_at(text, pos)?;
    if word.eq_ignore_ascii_case("mil") {
        // "MIL-SPEC", "4 mil, clear": a mark or sign right after it is no count.
        let glued = text
            .get(end..)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| !c.is_whitespace());
        let next = super::numbers::word_at(text, skip_spaces(text, end, 1)).map(|(w, _)| w);
        if word == "MIL" || glued || next.is_none_or(mil_is_thickness_before) {
            return None;
        }
    }
    let n = super::numbers::number_word(word)?;
    matches!(n.kind, super::numbers::WordKind::Scale { .. })
        .then_some(n.value)
        .filter(|v| *v >= 1000.0)
        .map(|v| (v, end))
}

/// Whether `next`, the word right after "mil", makes it a film thickness ("4 mil bags").
pub(crate) fn mil_is_thickness_before(next: &str) -> bool {
    let next = next.split_whitespace().next().unwrap_or("");
    let next = next.trim_end_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c));
    request_data()
        .numbers
        .mil_thickness
        .iter()
        .any(|w| w.eq_ignore_ascii_case(next))
}

enum Compound {
    Pieces,
    Size,
}

/// "500 bottle openers", "5 gallon buckets": a singular English unit word before a noun
/// (`[unit_compounds]` in the request data) names a kind of product, counted in pieces, or
/// its size.
fn compound(text: &str, pos: usize, unit_end: usize) -> Option<Compound> {
    let word = text
        .get(skip_spaces(text, pos, 2)..unit_end)?
        .to_ascii_lowercase();
    let data = &request_data().unit_compounds;
    let kind = if data.pieces.contains(&word) {
        Compound::Pieces
    } else if data.size.contains(&word) {
        Compound::Size
    } else {
        return None;
    };
    let next_at = skip_spaces(text, unit_end, 1);
    if next_at == unit_end {
        return None;
    }
    let (next, _) = word_at(text, next_at)?;
    let next = next.to_lowercase();
    (next.chars().all(tradescout_core::phrases::is_alphabetic) && !data.links.contains(&next))
        .then_some(kind)
}

/// "Quantity: 300", "Qty 300", "数量：800" — a label right before the number.
fn labelled(text: &str, at: usize) -> bool {
    let Some(prev) = text
        .get(..at)
        .map(str::trim_end)
        .and_then(|b| b.chars().next_back())
    else {
        return false;
    };
    if !(tradescout_core::phrases::is_alphabetic(prev)
        || prev == ':'
        || prev == '：'
        || prev == '='
        || prev == '.')
    {
        return false;
    }
    let before = before_lower(text, at, 40);
    let trimmed = before.trim_end_matches([' ', ':', '：', '=', '\t']);
    let words = &request_data().quantity;
    // Qualifiers are taken off in the order the data lists them.
    let trimmed = words.qualifiers.iter().fold(trimmed, |t, w| {
        t.strip_suffix(w.as_str())
            .map(|t| t.trim_end_matches([' ', ':', '：']))
            .unwrap_or(t)
    });
    words.labels.iter().any(|l| {
        trimmed.ends_with(l.as_str())
            && trimmed[..trimmed.len() - l.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !tradescout_core::phrases::is_alphabetic(c))
    })
}

/// A container with its count at number `i`: "2 x 40HQ", "40HQ*3", "one 40ft container" →
/// (count, unit, where, end).
fn container(text: &str, nums: &[Num], i: usize) -> Option<(f64, String, usize, usize)> {
    let n = nums.get(i)?;
    if n.raw.len() <= 2 {
        if let Some(next) = nums.get(i + 1) {
            let between = text.get(n.end..next.start)?.trim();
            if matches!(between, "x" | "X" | "*" | "×") {
                if let Some((unit, end)) = designation(text, next) {
                    return Some((n.value?, unit, n.start, end));
                }
            }
        }
    }
    let (unit, end) = designation(text, n)?;
    let after = skip_spaces(text, end, 1);
    let times_after = char_at(text, after)
        .filter(|&c| super::numbers::is_times(c))
        .and_then(|c| {
            let p = skip_spaces(text, after + c.len_utf8(), 1);
            nums.iter()
                .find(|m| m.start == p && m.raw.len() <= 2)
                .and_then(|m| m.value.map(|v| (v, m.end)))
        });
    if let Some((count, e)) = times_after {
        return Some((count, unit, n.start, e));
    }
    let before = before_lower(text, n.start, 12);
    let word = before
        .trim_end()
        .rsplit(|c: char| !tradescout_core::phrases::is_alphabetic(c))
        .next()
        .unwrap_or("");
    let count = match word {
        "a" | "an" | "one" | "full" => 1.0,
        _ => super::numbers::word_value(word)?,
    };
    Some((count, unit, n.start, end))
}

/// "40HQ", "40' HC", "20ft", "40 high cube container" at number `n`: the unit and its end.
fn designation(text: &str, n: &Num) -> Option<(String, usize)> {
    let size = match n.raw {
        "20" => "20",
        "40" | "45" => "40",
        _ => return None,
    };
    if char_before(text, n.start).is_some_and(|c| c.is_ascii_alphanumeric() && c != 'x' && c != 'X')
    {
        return None;
    }
    let mut pos = n.end;
    let rest = text.get(pos..)?;
    for mark in ["'", "’", "′", "ft", " ft", "feet", " feet", "foot", " foot"] {
        if rest
            .get(..mark.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(mark))
            && rest
                .get(mark.len()..)
                .and_then(|r| r.chars().next())
                .is_none_or(|c| {
                    !tradescout_core::phrases::is_alphabetic(c) || mark == "'" || mark == "’"
                })
        {
            pos += mark.len();
            break;
        }
    }
    let marked = pos > n.end;
    let (word, mut end) = word_at(text, skip_spaces(text, pos, 1)).unwrap_or(("", pos));
    let kind = match word.to_ascii_lowercase().as_str() {
        "gp" | "dc" | "fcl" | "dv" | "container" | "containers" | "cntr" => "GP",
        "hq" | "hc" => "HQ",
        "high"
            if text
                .get(end..)
                .is_some_and(|r| r.get(..5).is_some_and(|c| c.eq_ignore_ascii_case(" cube"))) =>
        {
            end += 5;
            "HQ"
        }
        _ if marked => {
            end = pos;
            "GP"
        }
        _ => return None,
    };
    if let Some((w, e)) = word_at(text, skip_spaces(text, end, 1)) {
        if w.eq_ignore_ascii_case("container") || w.eq_ignore_ascii_case("containers") {
            end = e;
        }
    }
    Some((
        if size == "20" {
            "20GP".to_string()
        } else {
            format!("40{kind}")
        },
        end,
    ))
}

/// Keeps plausible quantities once: not a minimum order the buyer asks about.
fn push(found: &mut Vec<Quantity>, text: &str, at: usize, amount: f64, unit: Option<String>) {
    if !(amount > 0.0 && amount < 1.0e9)
        || found.iter().any(|q| q.at == at)
        || asks_about_moq(text, at)
    {
        return;
    }
    found.push(Quantity { at, amount, unit });
}

fn asks_about_moq(text: &str, at: usize) -> bool {
    let before = before_lower(text, at, 24);
    before.contains("moq")
        || before.contains("minimum order")
        || before.contains("起订")
        || before.contains("pedido mínimo")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<(f64, Option<String>)> {
        scan(text).into_iter().map(|q| (q.amount, q.unit)).collect()
    }

    fn one(amount: f64, unit: &str) -> Vec<(f64, Option<String>)> {
        vec![(amount, Some(unit.to_string()))]
    }

    #[test]
    fn numbers_with_units_in_many_spellings() {
        assert_eq!(q("we need 500pcs"), one(500.0, "pcs"));
        assert_eq!(q("1,000 pieces please"), one(1000.0, "pcs"));
        assert_eq!(q("1.000 unidades"), one(1000.0, "units"));
        assert_eq!(q("5k pcs"), one(5000.0, "pcs"));
        assert_eq!(q("300 sets"), one(300.0, "sets"));
        assert_eq!(q("20 cartons"), one(20.0, "cartons"));
        assert_eq!(q("25 MT"), one(25.0, "tons"));
        assert_eq!(q("1.5 tons"), one(1.5, "tons"));
        assert_eq!(q("5000 meters of cable"), one(5000.0, "m"));
        assert_eq!(q("200 Stück"), one(200.0, "pcs"));
        assert_eq!(q("нужно 300 шт"), one(300.0, "pcs"));
        assert_eq!(q("10 000 pcs"), one(10000.0, "pcs"));
        assert_eq!(q("500-pcs"), one(500.0, "pcs"));
        // A scale word between the digits and the unit.
        assert_eq!(
            q("We need 300 thousand pcs of masks"),
            one(300_000.0, "pcs")
        );
        assert_eq!(q("10,000 pcs of 4 mil bags"), one(10_000.0, "pcs"));
    }

    #[test]
    fn packs_and_measures_and_the_products_named_after_them() {
        assert_eq!(q("120 metric tons of poster paper"), one(120.0, "tons"));
        assert_eq!(q("60 packets of copier paper"), one(60.0, "packs"));
        assert_eq!(q("40 drums lubricating oil"), one(40.0, "drums"));
        assert_eq!(q("20 bags of rice"), one(20.0, "bags"));
        // A singular unit word before a noun is part of the product's name or its size.
        assert_eq!(q("500 bottle openers"), one(500.0, "pcs"));
        assert_eq!(q("200 yard lights"), Vec::new());
        assert_eq!(q("300 pcs 5 gallon buckets"), one(300.0, "pcs"));
    }

    #[test]
    fn containers_with_and_without_multipliers() {
        assert_eq!(q("2 x 40HQ"), one(2.0, "40HQ"));
        assert_eq!(q("1x20GP"), one(1.0, "20GP"));
        assert_eq!(q("40HQ*3"), one(3.0, "40HQ"));
        assert_eq!(q("one 40ft container"), one(1.0, "40GP"));
        assert_eq!(q("3 x 40' HC"), one(3.0, "40HQ"));
        assert_eq!(q("a 40 high cube container"), one(1.0, "40HQ"));
    }

    #[test]
    fn cjk_measure_words() {
        assert_eq!(q("需要500个投光灯"), one(500.0, "pcs"));
        assert_eq!(q("采购1万个"), one(10000.0, "pcs"));
        assert_eq!(q("20台"), one(20.0, "units"));
        assert_eq!(q("100套"), one(100.0, "sets"));
    }

    #[test]
    fn labels_give_quantities_without_units() {
        assert_eq!(q("Quantity: 300"), vec![(300.0, None)]);
        assert_eq!(q("Qty: 300 pcs"), one(300.0, "pcs"));
        assert_eq!(q("数量：800"), vec![(800.0, None)]);
    }

    #[test]
    fn phones_years_models_and_specs_are_not_quantities() {
        assert!(q("Tel: +86 138 0013 8000").is_empty());
        assert!(q("in 2025 we plan to expand").is_empty());
        assert!(q("model BS-FL100, 100W 4000K IP65 220V").is_empty());
        assert!(q("what is your MOQ? 500 pcs?").is_empty());
        assert!(q("600x600mm panel").is_empty());
        assert!(q("price for 40HQ").is_empty());
    }
}
