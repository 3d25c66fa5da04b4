//! Win/loss drivers: the attribute values that most separate won from lost deals, with their
//! effect sizes, so a manager sees *why* deals are won and lost.

use crate::deal::Deal;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use tradescout_core::Outcome;

/// Fewest closed deals with a value before it is reported.
const MIN_SUPPORT: usize = 5;
/// Drivers reported.
const TOP: usize = 10;

/// One attribute value and how it moves the win rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Driver {
    /// `source`, `country`, `product`, `salesperson` or an extra column.
    pub attribute: String,
    pub value: String,
    /// Closed deals with this value.
    pub deals: u64,
    /// Win rate with this value.
    pub win_rate: f64,
    /// Win rate of the other closed deals.
    pub win_rate_others: f64,
    /// `win_rate − win_rate_others`, in probability points.
    pub effect: f64,
    /// The effect divided by its standard error (a z-score); |z| > 2 is unlikely to be chance.
    pub z: f64,
}

/// The strongest drivers, by |z|.
pub fn drivers(deals: &[&Deal]) -> Vec<Driver> {
    let mut n = 0.0;
    let mut total_won = 0.0;
    // Grouped by the exact text first (no allocation per deal), merged case-insensitively after.
    let mut exact: HashMap<(&str, &str), (f64, f64)> = HashMap::default();
    for d in deals.iter().filter(|d| d.outcome != Outcome::Open) {
        n += 1.0;
        let won = if d.outcome == Outcome::Won { 1.0 } else { 0.0 };
        total_won += won;
        for (attribute, value) in attributes(d) {
            let g = exact.entry((attribute, value)).or_default();
            g.0 += 1.0;
            g.1 += won;
        }
    }
    let mut groups: HashMap<(String, String), (f64, f64)> = HashMap::default();
    for ((attribute, value), (count, won)) in exact {
        let g = groups
            .entry((attribute.to_string(), value.to_lowercase()))
            .or_default();
        g.0 += count;
        g.1 += won;
    }
    let mut out: Vec<Driver> = groups
        .into_iter()
        .filter(|(_, (count, _))| *count as usize >= MIN_SUPPORT && *count < n)
        .map(|((attribute, value), (count, won))| {
            let rate = won / count;
            let others = (total_won - won) / (n - count);
            // Pooled two-proportion standard error.
            let p = total_won / n;
            let se = (p * (1.0 - p) * (1.0 / count + 1.0 / (n - count))).sqrt();
            let effect = rate - others;
            Driver {
                attribute,
                value,
                deals: count as u64,
                win_rate: rate,
                win_rate_others: others,
                effect,
                z: if se > 0.0 { effect / se } else { 0.0 },
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.z.abs()
            .total_cmp(&a.z.abs())
            .then_with(|| b.effect.total_cmp(&a.effect))
            .then_with(|| a.value.cmp(&b.value))
    });
    out.truncate(TOP);
    out
}

fn attributes(d: &Deal) -> impl Iterator<Item = (&str, &str)> {
    [
        ("source", &*d.source),
        ("country", &*d.country),
        ("product", &*d.product),
        ("salesperson", &*d.salesperson),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .chain(
        d.extra
            .iter()
            .filter(|(_, v)| !v.is_empty() && v.parse::<f64>().is_err())
            .map(|(k, v)| (k.as_str(), v.as_str())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::parse_deals_csv;

    #[test]
    fn a_source_that_wins_more_is_the_top_driver_with_its_effect() {
        let mut csv = String::from(
            "id,created,closed,source,country,company,product,salesperson,stage_reached,outcome\n",
        );
        for i in 0..20 {
            let (source, outcome) = if i < 10 {
                ("referral", if i < 8 { "won" } else { "lost" })
            } else {
                ("alibaba", if i < 12 { "won" } else { "lost" })
            };
            csv.push_str(&format!(
                "{i},2025-01-01,2025-02-01,{source},GB,c,p,s,evaluation,{outcome}\n"
            ));
        }
        let (deals, _) = parse_deals_csv(&csv).unwrap_or_default();
        let refs: Vec<&Deal> = deals.iter().collect();
        let d = drivers(&refs);
        assert_eq!(
            (d[0].attribute.as_str(), d[0].value.as_str()),
            ("source", "referral")
        );
        assert!((d[0].effect - 0.6).abs() < 1e-12);
        assert!(d[0].z > 2.0);
    }
}
