//! The target price: amount, ISO 4217 currency and the unit it is for — "USD 12.50/pc",
//! "$12.5 per piece", "€3,20/Stück", "12.5美元/个", "target price 10 USD", "R$ 45".

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

/// The price the buyer names, preferring one introduced as a target or budget.
#[cfg(test)]
pub(crate) fn target_price(text: &str) -> Option<Price> {
    target_price_in(text, &super::numbers::scan(text))
}

/// Whose a price is, by the words around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Claim {
    /// The seller's own quotation ("your price of USD 12.50").
    SellersQuote,
    /// A price with no word saying whose.
    Plain,
    /// Introduced as a target or budget.
    Target,
    /// The buyer's counter-offer ("we can accept 10.80").
    Counter,
}

/// The target price among already scanned numbers: a counter-offer first, then a price
/// introduced as a target, then the first plain price; the seller's own quotation only when
/// the buyer names no other price.
pub(crate) fn target_price_in(text: &str, nums: &[Num]) -> Option<Price> {
    let mut best: Option<(Claim, Price)> = None;
    for n in nums {
        let Some(amount) = n.value.filter(|a| *a > 0.0) else {
            continue;
        };
        if char_before(text, n.start).is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',') {
            continue;
        }
        let found = currency_before(text, n.start)
            .map(|c| (c, n.end))
            .or_else(|| currency_after(text, n.end));
        let Some((currency, end)) = found else {
            continue;
        };
        let claim = claim_of(text, n.start, end);
        let price = Price {
            amount,
            currency,
            per: per_unit(text, end),
        };
        if best.as_ref().is_none_or(|(c, _)| claim > *c) {
            best = Some((claim, price));
        }
        if claim == Claim::Counter {
            break;
        }
    }
    best.map(|(_, p)| p)
}

/// The words before a price (and "olursa"-style words right after it) say whose it is.
fn claim_of(text: &str, start: usize, end: usize) -> Claim {
    let data = &request_data().price;
    let before = before_lower(text, start, 40);
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
        .unwrap_or(&before);
    let has = |list: &[String], hay: &str| list.iter().any(|w| hay.contains(w.as_str()));
    if has(&data.counter, clause) || has(&data.counter, after) {
        Claim::Counter
    } else if has(&data.seller_quoted, clause) {
        Claim::SellersQuote
    } else if has(&data.target, &before) {
        Claim::Target
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
        let word_like = candidate.chars().next().is_some_and(char::is_alphabetic);
        if word_like && char_before(before, *i).is_some_and(char::is_alphabetic) {
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
}
