//! Every insights figure pinned on a small hand-computed history, plus properties: the
//! decomposition adds up exactly, and funnel counts never grow down the funnel.

use proptest::prelude::*;
use tradescout_insights::deal::parse_date;
use tradescout_insights::*;

/// Ten deals, two periods (Q1 and Q2 2025). Hand-computed figures in the tests below.
const HISTORY: &str = "\
id,created,closed,source,country,company,product,salesperson,stage_reached,outcome,loss_reason,amount,currency,quantity
1,2025-01-10,2025-02-09,alibaba,GB,A,flood light,lily,decision,won,,10000,USD,1000
2,2025-01-20,2025-03-01,alibaba,GB,B,flood light,lily,concerns,lost,price too high,,,
3,2025-02-05,,website,DE,C,panel,tom,evaluation,open,,,,
4,2025-02-15,2025-02-25,website,DE,D,panel,tom,need_recognition,lost,no reply,,,
5,2025-03-01,2025-04-10,exhibition,FR,E,flood light,lily,implementation,won,,6000,USD,500
6,2025-04-05,2025-05-05,alibaba,GB,F,flood light,lily,decision,won,,9000,USD,1000
7,2025-04-15,2025-05-25,alibaba,ES,G,panel,tom,decision,won,,8000,USD,800
8,2025-05-01,2025-05-11,website,ES,H,panel,tom,concerns,lost,Price too high,,,
9,2025-05-20,,referral,US,I,flood light,lily,evaluation,open,,,,
10,2025-06-10,2025-07-10,referral,US,J,flood light,lily,decision,won,,12000,USD,1500
";

fn deals() -> Vec<Deal> {
    let (deals, errors) = parse_deals_csv(HISTORY).unwrap_or_default();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(deals.len(), 10);
    deals
}

fn opts(since: &str, until: &str) -> InsightsOptions {
    InsightsOptions {
        since: parse_date(since),
        until: parse_date(until),
        today: parse_date("2026-11-25").unwrap_or_default(),
    }
}

#[test]
fn funnel_counts_deals_at_or_past_each_stage_and_converts_between_them() {
    let i = insights(&deals(), &opts("2025-01-01", "2025-06-30"));
    let counts: Vec<u64> = i.funnel.iter().map(|f| f.count).collect();
    assert_eq!(counts, vec![10, 9, 7, 5, 1]);
    assert_eq!(i.funnel[0].conversion_to_next, Some(0.9));
    assert_eq!(i.funnel[3].conversion_to_next, Some(0.2));
    assert_eq!(i.funnel[4].conversion_to_next, None);
}

#[test]
fn win_rate_excludes_open_deals_and_breakdowns_sum_won_revenue() {
    let i = insights(&deals(), &opts("2025-01-01", "2025-06-30"));
    assert_eq!(i.win_rate, Some(5.0 / 8.0));
    let alibaba = i.by_source.iter().find(|b| b.key == "alibaba").cloned();
    let alibaba = alibaba.unwrap_or_else(|| panic!("no alibaba"));
    assert_eq!(
        (alibaba.leads, alibaba.won, alibaba.revenue),
        (4, 3, 27000.0)
    );
    assert_eq!(alibaba.win_rate, Some(0.75));
    assert_eq!(i.by_source[0].key, "alibaba", "most leads first");
    let tom = i
        .by_salesperson
        .iter()
        .find(|b| b.key == "tom")
        .map(|b| (b.leads, b.won, b.revenue));
    assert_eq!(tom, Some((4, 1, 8000.0)));
}

#[test]
fn cycle_days_and_loss_reasons_are_over_closed_and_lost_deals() {
    let i = insights(&deals(), &opts("2025-01-01", "2025-06-30"));
    // Closed: 30, 40, 10, 40, 30, 40, 10, 30 days → sorted 10,10,30,30,30,40,40,40.
    assert_eq!(i.cycle_days.n, 8);
    assert_eq!(i.cycle_days.median, Some(30.0));
    assert!((i.cycle_days.p90.unwrap_or(0.0) - 40.0).abs() < 1e-9);
    assert_eq!(i.loss_reasons[0].reason.to_lowercase(), "price too high");
    assert_eq!(i.loss_reasons[0].count, 2);
    assert!((i.loss_reasons[0].share - 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn decomposition_splits_the_period_in_halves_and_explains_the_change() {
    let i = insights(&deals(), &opts("2025-01-01", "2025-06-30"));
    let d = &i.decomposition;
    assert_eq!(d.from.end, parse_date("2025-03-31").unwrap_or_default());
    assert_eq!(d.to.start, parse_date("2025-04-01").unwrap_or_default());
    // Q1: T=5, won 2 (16000 USD, 1500 pcs). Q2: T=5, won 3 (29000 USD, 3300 pcs).
    let change = d.sales_change.unwrap_or(f64::NAN);
    assert!((change - (29000.0 / 16000.0 - 1.0)).abs() < 1e-12);
    let f = d.factors.unwrap_or_else(|| panic!("no factors"));
    assert!((f.traffic).abs() < 1e-12, "same number of leads");
    assert!((f.traffic + f.conversion + f.avg_price + f.quantity - change).abs() < 1e-12);
    assert!(f.conversion > 0.0 && f.avg_price < 0.0 && f.quantity > 0.0);
}

fn arb_deals() -> impl Strategy<Value = Vec<Deal>> {
    prop::collection::vec(
        (0u32..360, 0usize..5, 0u8..3, 1u32..100_000, 1u32..5_000),
        1..60,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (day, stage, outcome, amount, qty))| {
                let created = parse_date("2025-01-01").unwrap_or_default()
                    + chrono::Duration::days(i64::from(day));
                Deal {
                    id: i.to_string(),
                    created,
                    closed: (outcome != 2).then_some(created + chrono::Duration::days(10)),
                    source: ["a", "b"][i % 2].into(),
                    country: "GB".into(),
                    company: "".into(),
                    product: "p".into(),
                    salesperson: "s".into(),
                    stage_reached: tradescout_core::Stage::ALL[stage],
                    outcome: [
                        tradescout_core::Outcome::Won,
                        tradescout_core::Outcome::Lost,
                        tradescout_core::Outcome::Open,
                    ][outcome as usize],
                    loss_reason: None,
                    amount: Some(f64::from(amount)),
                    currency: Some("USD".into()),
                    quantity: Some(f64::from(qty)),
                    extra: Default::default(),
                }
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn the_four_factors_add_up_exactly_to_the_change(deals in arb_deals()) {
        let i = insights(&deals, &opts("2025-01-01", "2025-12-26"));
        if let (Some(change), Some(f)) = (i.decomposition.sales_change, i.decomposition.factors) {
            let sum = f.traffic + f.conversion + f.avg_price + f.quantity;
            prop_assert!((sum - change).abs() <= 1e-9 * change.abs().max(1.0), "{} vs {}", sum, change);
        }
    }

    #[test]
    fn funnel_counts_never_grow_down_the_funnel(deals in arb_deals()) {
        let i = insights(&deals, &opts("2025-01-01", "2025-12-31"));
        for w in i.funnel.windows(2) {
            prop_assert!(w[1].count <= w[0].count);
        }
        prop_assert_eq!(i.funnel[0].count, i.deals);
    }
}
