//! The target price: amount, ISO 4217 currency and the unit it is for — "USD 12.50/pc",
//! "$12.5 per piece", "€3,20/Stück", "12.5美元/个", "target price 10 USD", "R$ 45" — and the
//! budget, a total for the whole purchase ("a budget of EUR 60,000", "R$ 1,4 milhão").

use super::lexicon::request_data;
use super::numbers::{before_lower, char_at, char_before, cjk_prefixes, skip_spaces, word_at, Num};
use super::quantity::unit_at;
use super::text::{get_lower, FastMap};
use crate::types::Price;
use std::sync::OnceLock;

/// Lowercase currency word or symbol → ISO 4217.
fn currencies() -> &'static FastMap<String, String> {
    static MAP: OnceLock<FastMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FastMap::default();
        for (code, words) in &request_data().currencies {
            for w in words {
                map.insert(w.to_lowercase(), code.clone());
            }
        }
        map
    })
}

/// Whether `word` is a money magnitude ("миллиона", "millones"): after a number it is part of
/// the amount, never a product.
pub(crate) fn is_money_scale(word: &str) -> bool {
    get_lower(scales(), word).is_some()
}

/// Lowercase money magnitude word ("milhão", "万") → factor.
fn scales() -> &'static FastMap<String, f64> {
    static MAP: OnceLock<FastMap<String, f64>> = OnceLock::new();
    MAP.get_or_init(|| {
        request_data()
            .price
            .scales
            .iter()
            .map(|(w, f)| (w.to_lowercase(), *f))
            .collect()
    })
}

/// The first letters (lower case) of the money magnitudes.
fn scale_initials() -> &'static Vec<char> {
    static SET: OnceLock<Vec<char>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut v: Vec<char> = scales().keys().filter_map(|w| w.chars().next()).collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// The price the buyer names, preferring one introduced as a target.
#[cfg(test)]
pub(crate) fn target_price(text: &str) -> Option<Price> {
    prices_in(text, &super::numbers::scan(text)).target
}

/// Whose a price is, by the words around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Claim {
    /// The seller's own quotation ("your price of USD 12.50").
    SellersQuote,
    /// A price with no word saying whose.
    Plain,
    /// Introduced as a budget ("our budget is …"): a unit price only with a unit after it.
    Budget,
    /// Introduced as a target.
    Target,
    /// The buyer's counter-offer ("we can accept 10.80").
    Counter,
}

/// The amounts of money a buyer's text names, sorted by what they are.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Prices {
    /// A unit (or lot) price: a counter-offer, a target, a plain price.
    pub target: Option<Price>,
    /// A total for the whole purchase: a budget, "a total of", a large amount with no unit.
    pub budget: Option<Price>,
}

/// The prices among already scanned numbers. The target: a counter-offer first, then a price
/// introduced as a target, then the first plain price; the seller's own quotation only when
/// the buyer names no other price. An amount for the whole purchase — after budget or total
/// words, or a plain amount with no unit at least as large as `[price.total_at_least]` says
/// for its currency — is the budget instead. A money magnitude after the digits counts
/// ("R$ 1,4 milhão", "120万元", "2 mil millones"), and before a magnitude of a million or more
/// one comma with three digits is a decimal comma ("1,734 mld zł").
pub(crate) fn prices_in(text: &str, nums: &[Num]) -> Prices {
    let mut best: Option<(Claim, Price)> = None;
    let mut budget: Option<(bool, Price)> = None;
    // The end of an amount written in parts ("2 миллиона 480 тысяч"), whose later parts are
    // not amounts of their own.
    let mut taken_until = 0;
    for (i, n) in nums.iter().enumerate() {
        if n.start < taken_until {
            continue;
        }
        let Some(mut amount) = n.value.filter(|a| *a > 0.0) else {
            continue;
        };
        if char_before(text, n.start).is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',') {
            continue;
        }
        let mut end = n.end;
        // At most two magnitudes in a row: "2 mil millones" is two billion.
        let mut last_factor = None;
        for step in 0..2 {
            let Some((factor, e)) = scale_after(text, end) else {
                break;
            };
            if step == 0 && factor >= 1e6 {
                amount = decimal_comma(n.raw).unwrap_or(amount);
            }
            amount *= factor;
            end = e;
            last_factor = Some(factor);
        }
        if let Some(factor) = last_factor {
            (amount, end) = parts_after(text, &nums[i + 1..], amount, factor, end);
            taken_until = end;
        }
        let found = currency_before(text, n.start)
            .map(|c| (c, end))
            .or_else(|| currency_after(text, end));
        let Some((currency, end)) = found else {
            continue;
        };
        let before = before_lower(text, n.start, 40);
        let claim = claim_of(text, &before, end);
        let per = per_unit(text, end);
        let price = Price {
            amount,
            currency,
            per,
        };
        if price.per.is_none() && matches!(claim, Claim::Plain | Claim::Budget) {
            let named = claim == Claim::Budget || total_before(&before);
            if named || amount >= total_at_least(&price.currency) {
                // A budget named as such wins over a large amount that only looks like one.
                if budget
                    .as_ref()
                    .is_none_or(|(was_named, _)| named && !was_named)
                {
                    budget = Some((named, price));
                }
                continue;
            }
        }
        if best.as_ref().is_none_or(|(c, _)| claim > *c) {
            best = Some((claim, price));
        }
        if claim == Claim::Counter {
            break;
        }
    }
    Prices {
        target: best.map(|(_, p)| p),
        budget: budget.map(|(_, p)| p),
    }
}

/// "2 миллиона 480 тысяч", "4 millones 136 mil 006.80", "89 mil 910": the smaller parts
/// that follow an amount ending in a magnitude of `factor`, added to it, as (amount, end).
fn parts_after(
    text: &str,
    rest: &[Num],
    mut amount: f64,
    mut factor: f64,
    mut end: usize,
) -> (f64, usize) {
    for next in rest.iter().take(3) {
        if next.start != skip_spaces(text, end, 1) || next.start == end {
            break;
        }
        let Some(value) = next.value.filter(|v| *v >= 0.0 && *v < factor) else {
            break;
        };
        match scale_after(text, next.end) {
            Some((smaller, e)) if smaller < factor && value * smaller < factor => {
                amount += value * smaller;
                end = e;
                factor = smaller;
            }
            Some(_) => break,
            // "89 mil 910 dólares": plain digits only after a thousand, three at most, and
            // only when money or no word follows ("50 mil 200 unidades" is two numbers).
            None if factor == 1000.0
                && next
                    .raw
                    .split(['.', ','])
                    .next()
                    .is_some_and(|d| d.len() <= 3)
                && (currency_after(text, next.end).is_some()
                    || word_at(text, skip_spaces(text, next.end, 1)).is_none()) =>
            {
                amount += value;
                end = next.end;
                break;
            }
            None => break,
        }
    }
    (amount, end)
}

/// "1,4 milhão", "12,7 miliar", "120万", "1,5 млн", "5k": a money magnitude right after the
/// digits, as (factor, end).
fn scale_after(text: &str, end: usize) -> Option<(f64, usize)> {
    let map = scales();
    let pos = skip_spaces(text, end, 1);
    // Most numbers are followed by a unit or a sign: look the word up only when a magnitude
    // starts with its first letter.
    let first = char_at(text, pos)?;
    if !scale_initials().contains(&tradescout_core::phrases::lower_first(first)) {
        return None;
    }
    if char_at(text, pos).is_some_and(super::text::is_cjk) {
        return cjk_prefixes(text, pos, 2).find_map(|(w, e)| map.get(w).map(|f| (*f, e)));
    }
    let (word, e) = word_at(text, pos)?;
    let factor = *get_lower(map, word)?;
    // "Mio." and "млн." end with their point.
    let e = if text.get(e..).is_some_and(|r| r.starts_with('.')) && word.chars().count() <= 4 {
        e + 1
    } else {
        e
    };
    Some((factor, e))
}

/// "1,734" read with its comma as a decimal point (one comma, three digits after it, no
/// point): before "mld" or "million" it is 1.734, not 1734.
fn decimal_comma(raw: &str) -> Option<f64> {
    let (whole, frac) = raw.split_once(',')?;
    if frac.len() != 3 || frac.contains(',') || raw.contains('.') {
        return None;
    }
    format!("{whole}.{frac}").parse().ok()
}

/// How near before an amount total words must stand, in bytes ("total biaya yang digunakan
/// sebanyak Rp 12,7 miliar").
const TOTAL_WORDS_WITHIN: usize = 32;

/// Whether total words ("a total of", "на сумму", "总价") stand as words at the end of
/// `before` (the lower-cased words before an amount), in its clause ("Total 500 pcs, price
/// USD 3.5" is no total price).
fn total_before(before: &str) -> bool {
    let clause = before
        .rsplit(['.', ';', '!', '?', '。', '；', '，', ',', '،'])
        .next()
        .unwrap_or(before);
    let near = clause.len().saturating_sub(TOTAL_WORDS_WITHIN);
    request_data().price.total.iter().any(|w| {
        clause.match_indices(w.as_str()).any(|(i, _)| {
            let end = i + w.len();
            let cjk = w.chars().next().is_some_and(super::text::is_cjk);
            end >= near
                && (cjk
                    || (!clause[..i].ends_with(tradescout_core::phrases::is_alphabetic)
                        && !clause[end..].starts_with(tradescout_core::phrases::is_alphabetic)))
        })
    })
}

/// The smallest plain amount in `currency` that is read as a total.
fn total_at_least(currency: &str) -> f64 {
    let table = &request_data().price.total_at_least;
    table
        .get(currency)
        .or_else(|| table.get("default"))
        .copied()
        .unwrap_or(f64::INFINITY)
}

/// The words before a price (`before`, lower case) and "olursa"-style words right after it
/// say whose it is.
fn claim_of(text: &str, before: &str, end: usize) -> Claim {
    let data = &request_data().price;
    let mut after_end = (end + 24).min(text.len());
    while after_end > end && !text.is_char_boundary(after_end) {
        after_end -= 1;
    }
    let after = text.get(end..after_end).unwrap_or("").to_lowercase();
    let after = after
        .split(['.', ';', '!', '?', '。', '；', '，', ',', '،'])
        .next()
        .unwrap_or("");
    // Only what follows the last sentence or clause break before the price counts.
    let clause = before
        .rsplit(['.', ';', '!', '?', '。', '；', '，', '،'])
        .next()
        .unwrap_or(before);
    let has = |list: &[String], hay: &str| list.iter().any(|w| hay.contains(w.as_str()));
    if has(&data.counter, clause) || has(&data.counter, after) {
        Claim::Counter
    } else if has(&data.seller_quoted, clause) {
        Claim::SellersQuote
    } else if has(&data.target, before) {
        Claim::Target
    } else if has(&data.budget, clause) {
        Claim::Budget
    } else {
        Claim::Plain
    }
}

/// "USD 12.5", "$12.5", "R$ 45", "€3,20": a currency right before the number.
fn currency_before(text: &str, start: usize) -> Option<String> {
    let map = currencies();
    let before = text.get(..start)?;
    let before = before.strip_suffix(' ').unwrap_or(before);
    if before
        .chars()
        .next_back()
        .is_none_or(|c| c.is_ascii_digit() || c.is_whitespace())
    {
        return None;
    }
    // Longest first: "US$" before "$", "R$" before "$".
    let starts: [Option<usize>; 5] = {
        let mut it = before.char_indices().rev().map(|(i, _)| i);
        [it.next(), it.next(), it.next(), it.next(), it.next()]
    };
    for i in starts.iter().rev().flatten() {
        let candidate = before.get(*i..)?;
        let Some(code) = get_lower(map, candidate) else {
            continue;
        };
        // A word currency must start a word: "USD 5" but not "thousand 5".
        let word_like = candidate
            .chars()
            .next()
            .is_some_and(tradescout_core::phrases::is_alphabetic);
        if word_like && char_before(before, *i).is_some_and(tradescout_core::phrases::is_alphabetic)
        {
            continue;
        }
        return Some(code.clone());
    }
    None
}

/// "10 USD", "12.5美元", "500 ₽", "45 dirhams": a currency right after the number.
fn currency_after(text: &str, end: usize) -> Option<(String, usize)> {
    let map = currencies();
    let pos = skip_spaces(text, end, 1);
    if char_at(text, pos).is_some_and(super::text::is_cjk) {
        return cjk_prefixes(text, pos, 3).find_map(|(w, e)| map.get(w).map(|c| (c.clone(), e)));
    }
    let (word, e) = word_at(text, pos)?;
    get_lower(map, word).map(|c| (c.clone(), e))
}

/// "/pc", "per piece", "each", "por unidad", "za шт", "/个": the unit the price is for.
fn per_unit(text: &str, end: usize) -> Option<String> {
    let pos = skip_spaces(text, end, 1);
    let c = char_at(text, pos)?;
    if c == '/' || c == '每' || c == '一' {
        return unit_at(text, pos + c.len_utf8()).map(|(u, _)| u);
    }
    let (word, e) = word_at(text, pos)?;
    match word.to_lowercase().as_str() {
        "per" | "a" | "por" | "pro" | "par" | "за" | "the" => unit_at(text, e).map(|(u, _)| u),
        "each" | "cada" => Some("pcs".to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(text: &str) -> Option<(f64, String, Option<String>)> {
        target_price(text).map(|p| (p.amount, p.currency, p.per))
    }

    fn some(a: f64, c: &str, per: Option<&str>) -> Option<(f64, String, Option<String>)> {
        Some((a, c.to_string(), per.map(str::to_string)))
    }

    #[test]
    fn a_counter_offer_is_the_target_and_the_sellers_quote_is_not() {
        let cases = [
            (
                "Your price of USD 12.50 is too high for us; we can accept USD 10.80.",
                10.8,
            ),
            ("你们报的灯带12.5元/米太高了，最多接受10.8元/米。", 10.8),
            (
                "Ваша цена 18,90 USD за амортизатор высокая. Можем взять по 16,20 USD.",
                16.2,
            ),
            (
                "Verdiğiniz 46 USD fiyat bizim için yüksek, 41 USD olursa siparişi veririz.",
                41.0,
            ),
            (
                "سعركم 9.80 دولار للغلاية مرتفع، ونستطيع أن نقبل 8.60 دولار.",
                8.6,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(price(text).map(|p| p.0), Some(want), "{text}");
        }
        // Only the seller's price named: it is what there is.
        assert_eq!(
            price("Your price of USD 12.50 is fine.").map(|p| p.0),
            Some(12.5)
        );
    }

    #[test]
    fn prices_in_many_writings() {
        assert_eq!(price("USD 12.50/pc"), some(12.5, "USD", Some("pcs")));
        assert_eq!(price("$12.5 per piece"), some(12.5, "USD", Some("pcs")));
        assert_eq!(price("€3,20/Stück"), some(3.2, "EUR", Some("pcs")));
        assert_eq!(price("12.5美元/个"), some(12.5, "USD", Some("pcs")));
        assert_eq!(price("target price 10 USD"), some(10.0, "USD", None));
        assert_eq!(price("R$ 45 cada"), some(45.0, "BRL", Some("pcs")));
        assert_eq!(price("цена 500 руб за шт"), some(500.0, "RUB", Some("pcs")));
        assert_eq!(price("AED 45 per set"), some(45.0, "AED", Some("sets")));
        assert_eq!(price("US$8.9 each"), some(8.9, "USD", Some("pcs")));
        assert_eq!(
            price("Rp 50.000 per unit"),
            some(50000.0, "IDR", Some("units"))
        );
    }

    #[test]
    fn a_cued_target_wins_over_an_earlier_price() {
        assert_eq!(
            price("Last year we paid $15 per pc. Our target price is $11 per pc."),
            some(11.0, "USD", Some("pcs"))
        );
    }

    #[test]
    fn no_currency_no_price() {
        assert_eq!(price("we need 500 pcs of 100W"), None);
        assert_eq!(price("try 500 pcs"), None);
        assert_eq!(price("5 yrs warranty"), None);
    }

    fn both(text: &str) -> (Option<f64>, Option<(f64, String)>) {
        let p = prices_in(text, &crate::request::numbers::scan(text));
        (
            p.target.map(|t| t.amount),
            p.budget.map(|b| (b.amount, b.currency)),
        )
    }

    #[test]
    fn a_total_for_the_purchase_is_a_budget_not_a_target() {
        let budget = |a: f64, c: &str| Some((a, c.to_string()));
        let cases = [
            // Budget words with no unit, total words, a large plain amount.
            ("Our budget is USD 60,000 for the 100 laptops.", None, budget(60000.0, "USD")),
            ("Dafür erreichte die Kommune ein Bescheid in Höhe von knapp 12.000 Euro.", None, budget(12000.0, "EUR")),
            ("Spesa massima dell'operazione di acquisto, Euro 8.000,00.", None, budget(8000.0, "EUR")),
            ("закупка на сумму 1,5 млн руб", None, budget(1_500_000.0, "RUB")),
            ("预算120万元，采购50台投影仪", None, budget(1_200_000.0, "CNY")),
            ("compra de computadores no valor de R$ 1,4 milhão", None, budget(1_400_000.0, "BRL")),
            ("total biaya yang digunakan sebanyak Rp 12,7 miliar", None, budget(12_700_000_000.0, "IDR")),
            // A budget per unit is a target; so is a small plain price.
            ("Our budget is USD 3 per piece.", Some(3.0), None),
            ("Target price USD 12.5/pc for this lot. For the whole year we plan a total of USD 62,500.", Some(12.5), budget(62500.0, "USD")),
            ("Harga per unit laptop adalah Rp 5,8 juta per unit.", Some(5_800_000.0), None),
            ("We can pay 45 USD.", Some(45.0), None),
            // An amount written in parts, its smaller parts not amounts of their own.
            ("стоимость составляет 2 миллиона 480 тысяч рублей", None, budget(2_480_000.0, "RUB")),
            ("pagó un total de 89 mil 910 dólares", None, budget(89_910.0, "USD")),
            ("presupuesto 50 mil dólares, 200 unidades", None, budget(50_000.0, "USD")),
        ];
        for (text, target, want_budget) in cases {
            assert_eq!(both(text), (target, want_budget), "{text}");
        }
        // A decimal comma before a large magnitude, totals that are counts, a budget in another clause,
        // magnitudes in a row.
        assert_eq!(
            both("Zamówienie o wartości 1,734 mld zł"),
            (None, budget(1_734_000_000.0, "PLN"))
        );
        assert_eq!(both("Total 500 pcs, price USD 3.5"), (Some(3.5), None));
        assert_eq!(
            both("This is within budget. Price USD 2.5"),
            (Some(2.5), None)
        );
        assert_eq!(both("Totally USD 3.5 is fine"), (Some(3.5), None));
        assert_eq!(
            both("una inversión de US$ 2 mil millones"),
            (None, budget(2_000_000_000.0, "USD"))
        );
        assert_eq!(both("we can pay $5k"), (Some(5000.0), None));
        // A seller's large quote stays the seller's, and a counter-offer of any size is a target.
        assert_eq!(
            both("Your price of USD 45,000 for the CNC is high."),
            (Some(45000.0), None)
        );
        assert_eq!(both("We can accept USD 41,000."), (Some(41000.0), None));
    }
}
