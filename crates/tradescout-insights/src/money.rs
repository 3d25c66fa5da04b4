//! Amounts in several currencies, converted with a rate table the user supplies (CSV:
//! `currency,rate` = units of the base currency per unit). Never a network call; deals in a
//! currency without a rate are reported, not silently mixed.

use crate::deal::Deal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Conversion rates into one base currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    pub base: String,
    rates: BTreeMap<String, f64>,
}

/// What conversion did.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Conversion {
    pub base: Option<String>,
    /// Deals whose amount could not be converted (no rate for the currency), by currency.
    pub unconverted: BTreeMap<String, u64>,
}

/// Why a rate table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RatesError {
    #[error("rate table line {line}: {reason}")]
    Line { line: usize, reason: String },
}

impl Rates {
    /// Reads `currency,rate` lines (a header line is allowed); `base` gets rate 1.
    pub fn parse(text: &str, base: &str) -> Result<Rates, RatesError> {
        let base = base.trim().to_uppercase();
        let mut rates = BTreeMap::new();
        rates.insert(base.clone(), 1.0);
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split([',', ';', '\t']).map(str::trim);
            let (Some(cur), Some(rate)) = (parts.next(), parts.next()) else {
                return Err(RatesError::Line {
                    line: i + 1,
                    reason: "expected `currency,rate`".into(),
                });
            };
            match rate.parse::<f64>() {
                Ok(r) if r.is_finite() && r > 0.0 => {
                    rates.insert(cur.to_uppercase(), r);
                }
                _ if i == 0 => {} // header
                _ => {
                    return Err(RatesError::Line {
                        line: i + 1,
                        reason: format!("`{rate}` is not a positive number"),
                    })
                }
            }
        }
        Ok(Rates { base, rates })
    }
}

/// Converts every amount into the base currency. Deals without a rate for their currency keep
/// no amount (so they are not summed) and are counted in `unconverted`. Without a rate table,
/// amounts are left as they are and only the mixing is reported.
pub fn convert(deals: &mut [Deal], rates: Option<&Rates>) -> Conversion {
    let mut out = Conversion {
        base: rates.map(|r| r.base.clone()),
        ..Default::default()
    };
    let Some(rates) = rates else { return out };
    let base = crate::deal::Shared::from(rates.base.as_str());
    for d in deals.iter_mut() {
        let Some(amount) = d.amount else { continue };
        let currency = d
            .currency
            .as_deref()
            .unwrap_or(rates.base.as_str())
            .to_string();
        match rates.rates.get(&currency) {
            Some(rate) => {
                d.amount = Some(amount * rate);
                d.currency = Some(base.clone());
            }
            None => {
                *out.unconverted.entry(currency).or_default() += 1;
                d.amount = None;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::parse_deals_csv;

    #[test]
    fn amounts_convert_and_unknown_currencies_are_reported_not_mixed() {
        let (mut deals, _) = parse_deals_csv(
            "id,created,stage_reached,outcome,amount,currency\n1,2025-01-01,decision,won,100,EUR\n2,2025-01-01,decision,won,100,USD\n3,2025-01-01,decision,won,100,BRL\n",
        )
        .unwrap_or_default();
        let rates = Rates::parse("currency,rate\nEUR,1.10\n", "usd");
        let rates = rates.unwrap_or_else(|e| panic!("{e}"));
        let c = convert(&mut deals, Some(&rates));
        assert!((deals[0].amount.unwrap_or(0.0) - 110.0).abs() < 1e-9);
        assert_eq!(deals[1].amount, Some(100.0));
        assert_eq!(deals[2].amount, None);
        assert_eq!(c.unconverted.get("BRL"), Some(&1));
    }

    #[test]
    fn a_bad_rate_line_is_named() {
        let err = Rates::parse("EUR,1.1\nGBP,abc\n", "USD")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("line 2") && err.contains("abc"), "{err}");
    }
}
