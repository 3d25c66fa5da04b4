//! The four-factor decomposition of the change in sales between two periods:
//! S = T·C·P·Q with T = deals created, C = won ÷ T, P = won amount ÷ won quantity and
//! Q = won quantity ÷ won deals. On the log scale the factors' shares add up exactly to the
//! change: factor = (S_to ÷ S_from − 1) × ln(F_to ÷ F_from) ÷ ln(S_to ÷ S_from).

use crate::deal::Deal;
use chrono::NaiveDate;
use serde::Serialize;
use tradescout_core::Outcome;

/// A period of deal creation dates, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

/// The four factors of one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Factors {
    pub traffic: f64,
    pub conversion: f64,
    pub avg_price: f64,
    pub quantity: f64,
    pub sales: f64,
}

/// Each factor's share of the change in sales.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FactorShares {
    pub traffic: f64,
    pub conversion: f64,
    pub avg_price: f64,
    pub quantity: f64,
}

/// The decomposition between two periods.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decomposition {
    pub from: Period,
    pub to: Period,
    /// S_to ÷ S_from − 1; `None` when either period has no sales to compare.
    pub sales_change: Option<f64>,
    pub factors: Option<FactorShares>,
    pub from_factors: Option<Factors>,
    pub to_factors: Option<Factors>,
    /// Why the change could not be decomposed, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The four factors of the deals created in `period`; `None` when there are no won deals
/// with amount and quantity (a factor would be undefined).
pub fn factors(deals: &[&Deal], period: Period) -> Option<Factors> {
    let mut traffic = 0.0;
    let mut won = 0.0;
    let mut amount = 0.0;
    let mut quantity = 0.0;
    for d in deals.iter().filter(|d| period.contains(d.created)) {
        traffic += 1.0;
        if d.outcome == Outcome::Won {
            won += 1.0;
            amount += d.amount.unwrap_or(0.0);
            quantity += d.quantity.unwrap_or(0.0);
        }
    }
    if traffic == 0.0 || won == 0.0 || amount <= 0.0 || quantity <= 0.0 {
        return None;
    }
    Some(Factors {
        traffic,
        conversion: won / traffic,
        avg_price: amount / quantity,
        quantity: quantity / won,
        sales: amount,
    })
}

/// Decomposes the change in sales from `from` to `to`.
pub fn decompose(deals: &[&Deal], from: Period, to: Period) -> Decomposition {
    let f = factors(deals, from);
    let t = factors(deals, to);
    let (Some(f), Some(t)) = (f, t) else {
        return Decomposition {
            from,
            to,
            sales_change: None,
            factors: None,
            from_factors: f,
            to_factors: t,
            note: Some("a period has no won deals with amount and quantity".into()),
        };
    };
    let change = t.sales / f.sales - 1.0;
    let log_s = (t.sales / f.sales).ln();
    // As S_to → S_from, change ÷ ln(S_to ÷ S_from) → 1: the shares become the log ratios.
    let scale = if log_s.abs() < 1e-12 {
        1.0
    } else {
        change / log_s
    };
    let share = |a: f64, b: f64| scale * (b / a).ln();
    Decomposition {
        from,
        to,
        sales_change: Some(change),
        factors: Some(FactorShares {
            traffic: share(f.traffic, t.traffic),
            conversion: share(f.conversion, t.conversion),
            avg_price: share(f.avg_price, t.avg_price),
            quantity: share(f.quantity, t.quantity),
        }),
        from_factors: Some(f),
        to_factors: Some(t),
        note: None,
    }
}

/// `since`…`until` split into two halves of equal length (the first gets the shorter half
/// when the number of days is odd).
pub fn halves(since: NaiveDate, until: NaiveDate) -> (Period, Period) {
    let days = (until - since).num_days() + 1;
    let mid = since + chrono::Duration::days(days / 2);
    (
        Period {
            start: since,
            end: mid - chrono::Duration::days(1),
        },
        Period {
            start: mid,
            end: until,
        },
    )
}

/// The last two full calendar quarters before `today`.
pub fn last_two_quarters(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let q_start = |y: i32, q: u32| NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1);
    let (y, q) = (today.year(), (today.month() - 1) / 3 + 1);
    // Start of the current quarter, then back two quarters.
    let (y2, q2) = if q > 2 { (y, q - 2) } else { (y - 1, q + 2) };
    let start = q_start(y2, q2).unwrap_or(today);
    let end = q_start(y, q)
        .map(|d| d - chrono::Duration::days(1))
        .unwrap_or(today);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap_or_default()
    }

    #[test]
    fn default_periods_are_the_last_two_full_quarters() {
        assert_eq!(
            last_two_quarters(d("2026-11-25")),
            (d("2026-04-01"), d("2026-09-30"))
        );
        assert_eq!(
            last_two_quarters(d("2026-02-10")),
            (d("2025-07-01"), d("2025-12-31"))
        );
        let (a, b) = halves(d("2026-04-01"), d("2026-09-30"));
        assert_eq!(
            (a.start, a.end, b.start, b.end),
            (
                d("2026-04-01"),
                d("2026-06-30"),
                d("2026-07-01"),
                d("2026-09-30")
            )
        );
    }
}
