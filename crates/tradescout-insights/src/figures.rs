//! The figures of `tradescout insights` (CONTRACTS.md): funnel, win rate, breakdowns by
//! source, country, product and salesperson, cycle days, loss reasons, decomposition and the
//! lead score's measured quality.

use crate::deal::Deal;
use crate::decomposition::{decompose, halves, last_two_quarters, Decomposition};
use crate::lead_score::LeadScoreReport;
use crate::stats::percentile;
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use tradescout_core::{Outcome, Stage};

/// Which deals and periods to look at.
#[derive(Debug, Clone, Copy)]
pub struct InsightsOptions {
    /// Only deals created on or after this date; also the start of the decomposition.
    pub since: Option<NaiveDate>,
    /// Only deals created on or before this date; also the end of the decomposition.
    pub until: Option<NaiveDate>,
    /// Today, for the default decomposition periods.
    pub today: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelStep {
    pub stage: Stage,
    /// Deals whose `stage_reached` is this stage or a later one.
    pub count: u64,
    /// The next stage's count ÷ this one's (`null` for the last stage or an empty stage).
    pub conversion_to_next: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub key: String,
    /// Every deal.
    pub leads: u64,
    pub won: u64,
    pub lost: u64,
    /// won ÷ (won + lost); `null` with no closed deal.
    pub win_rate: Option<f64>,
    /// Sum of the won deals' amounts.
    pub revenue: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CycleDays {
    pub median: Option<f64>,
    pub p90: Option<f64>,
    /// Closed deals measured.
    pub n: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossReason {
    pub reason: String,
    pub count: u64,
    /// count ÷ lost deals.
    pub share: f64,
}

/// Everything `insights` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    pub deals: u64,
    pub funnel: Vec<FunnelStep>,
    pub win_rate: Option<f64>,
    pub by_source: Vec<Breakdown>,
    pub by_country: Vec<Breakdown>,
    pub by_product: Vec<Breakdown>,
    pub by_salesperson: Vec<Breakdown>,
    pub cycle_days: CycleDays,
    pub loss_reasons: Vec<LossReason>,
    pub decomposition: Decomposition,
    pub lead_score: LeadScoreReport,
    /// The attribute values that most separate won from lost deals.
    pub drivers: Vec<crate::drivers::Driver>,
    /// Currencies seen among won amounts; more than one means revenue mixes currencies.
    pub currencies: Vec<String>,
}

/// Computes every figure over `deals`.
pub fn insights(all: &[Deal], options: &InsightsOptions) -> Insights {
    let deals: Vec<&Deal> = all
        .iter()
        .filter(|d| {
            options.since.is_none_or(|s| d.created >= s)
                && options.until.is_none_or(|u| d.created <= u)
        })
        .collect();
    let (since, until) = match (options.since, options.until) {
        (Some(s), Some(u)) => (s, u),
        (Some(s), None) => (s, deals.iter().map(|d| d.created).max().unwrap_or(s)),
        (None, Some(u)) => (deals.iter().map(|d| d.created).min().unwrap_or(u), u),
        (None, None) => last_two_quarters(options.today),
    };
    let (from, to) = halves(since, until);
    let won = deals.iter().filter(|d| d.outcome == Outcome::Won).count() as f64;
    let lost = deals.iter().filter(|d| d.outcome == Outcome::Lost).count() as f64;
    let currencies: std::collections::BTreeSet<&str> = deals
        .iter()
        .filter(|d| d.outcome == Outcome::Won)
        .filter_map(|d| d.currency.as_deref())
        .collect();
    // The lead score is the costliest figure; it trains on the second core meanwhile.
    std::thread::scope(|scope| {
        let lead_score = scope.spawn(|| crate::lead_score::train_lead_score_refs(&deals).report);
        let drivers = scope.spawn(|| crate::drivers::drivers(&deals));
        let funnel = funnel(&deals);
        let [by_source, by_country, by_product, by_salesperson] = breakdowns(&deals);
        let cycle_days = cycle_days(&deals);
        let loss_reasons = loss_reasons(&deals);
        let decomposition = decompose(&deals, from, to);
        // A panic in either is a bug in this crate; it is passed on, not hidden.
        Insights {
            deals: deals.len() as u64,
            funnel,
            win_rate: ratio(won, won + lost),
            by_source,
            by_country,
            by_product,
            by_salesperson,
            cycle_days,
            loss_reasons,
            decomposition,
            lead_score: lead_score
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            drivers: drivers
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            currencies: currencies.into_iter().map(str::to_string).collect(),
        }
    })
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// Counts by stage reached or later; they never grow down the funnel.
pub fn funnel(deals: &[&Deal]) -> Vec<FunnelStep> {
    let mut at = [0u64; 5];
    for d in deals {
        at[d.stage_reached.index()] += 1;
    }
    let mut counts = [0u64; 5];
    let mut running = 0;
    for i in (0..5).rev() {
        running += at[i];
        counts[i] = running;
    }
    Stage::ALL
        .iter()
        .enumerate()
        .map(|(i, stage)| FunnelStep {
            stage: *stage,
            count: counts[i],
            conversion_to_next: if i + 1 < counts.len() {
                ratio(counts[i + 1] as f64, counts[i] as f64)
            } else {
                None
            },
        })
        .collect()
}

/// Leads, wins and revenue by source, country, product and salesperson, in that order. One
/// pass for all four: reading a million deals is bound by memory, not arithmetic.
fn breakdowns(deals: &[&Deal]) -> [Vec<Breakdown>; 4] {
    let mut groups: [HashMap<&str, Breakdown>; 4] = Default::default();
    for d in deals {
        let keys = [&d.source, &d.country, &d.product, &d.salesperson];
        for (group, key) in groups.iter_mut().zip(keys) {
            let g = group.entry(&**key).or_insert_with(|| Breakdown {
                key: key.to_string(),
                leads: 0,
                won: 0,
                lost: 0,
                win_rate: None,
                revenue: 0.0,
            });
            g.leads += 1;
            match d.outcome {
                Outcome::Won => {
                    g.won += 1;
                    g.revenue += d.amount.unwrap_or(0.0);
                }
                Outcome::Lost => g.lost += 1,
                Outcome::Open => {}
            }
        }
    }
    groups.map(|group| {
        let mut out: Vec<Breakdown> = group
            .into_values()
            .map(|mut g| {
                g.win_rate = ratio(g.won as f64, (g.won + g.lost) as f64);
                g
            })
            .collect();
        out.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.key.cmp(&b.key)));
        out
    })
}

fn cycle_days(deals: &[&Deal]) -> CycleDays {
    let mut days: Vec<f64> = deals
        .iter()
        .filter(|d| d.outcome != Outcome::Open)
        .filter_map(|d| d.closed.map(|c| (c - d.created).num_days() as f64))
        .collect();
    CycleDays {
        n: days.len() as u64,
        median: percentile(&mut days, 50.0),
        p90: percentile(&mut days, 90.0),
    }
}

fn loss_reasons(deals: &[&Deal]) -> Vec<LossReason> {
    let mut exact: HashMap<&str, u64> = HashMap::default();
    let mut lost = 0u64;
    for d in deals.iter().filter(|d| d.outcome == Outcome::Lost) {
        lost += 1;
        *exact
            .entry(d.loss_reason.as_deref().map(str::trim).unwrap_or("unknown"))
            .or_default() += 1;
    }
    // Reasons differing only in case are one reason, shown as first written most often.
    let mut merged: HashMap<String, (String, u64, u64)> = HashMap::default();
    for (reason, count) in exact {
        let e = merged
            .entry(reason.to_lowercase())
            .or_insert_with(|| (reason.to_string(), 0, 0));
        e.1 += count;
        if count > e.2 {
            e.0 = reason.to_string();
            e.2 = count;
        }
    }
    let total = lost as f64;
    let mut out: Vec<LossReason> = merged
        .into_values()
        .map(|(reason, count, _)| LossReason {
            reason,
            count,
            share: count as f64 / total,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    out
}
