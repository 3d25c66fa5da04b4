//! A lead score learned from the seller's own history: L2-regularised logistic regression
//! (C = 1, intercept not penalised) over what is known when a lead arrives — source, country,
//! product, salesperson, quantity and the extra columns — fitted with L-BFGS, and measured on
//! the latest 20 % of closed deals (a split by time, as it will be used).

use crate::deal::Deal;
use crate::stats::auc;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use tradescout_core::Outcome;

/// Fewest closed deals for a score worth showing.
pub const MIN_CLOSED: usize = 30;
/// Share of the closed deals, the latest ones, held out for measuring.
const TEST_SHARE: f64 = 0.2;
/// A category value needs this many training deals to get its own weight.
const MIN_VALUE_COUNT: usize = 2;

/// How well the score works, as `insights` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadScoreReport {
    /// `logistic_regression`, or `insufficient_history`.
    pub model: String,
    /// ROC AUC on the held-out (latest) deals; `null` when not measurable.
    pub auc: Option<f64>,
    pub n_train: u64,
    pub n_test: u64,
    /// The attributes that most raise or lower the odds of winning, strongest first.
    pub top_attributes: Vec<(String, f64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A trained model and its report.
#[derive(Debug, Clone)]
pub struct LeadScore {
    pub model: Option<LeadScoreModel>,
    pub report: LeadScoreReport,
}

/// The fitted weights over named features.
#[derive(Debug, Clone)]
pub struct LeadScoreModel {
    features: Features,
    weights: Vec<f64>,
    bias: f64,
}

impl LeadScoreModel {
    /// Probability of winning `deal`, with the attributes that contributed most.
    pub fn score(&self, deal: &Deal) -> (f64, Vec<(String, f64)>) {
        let x = self.features.encode(deal);
        let z = self.bias + x.iter().map(|(i, v)| self.weights[*i] * v).sum::<f64>();
        let mut parts: Vec<(String, f64)> = x
            .iter()
            .map(|(i, v)| (self.features.names[*i].clone(), self.weights[*i] * v))
            .filter(|(_, c)| c.abs() > 1e-9)
            .collect();
        parts.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        parts.truncate(3);
        (sigmoid(z), parts)
    }
}

/// Most recent closed deals used: older history adds little and would only cost time.
pub const MAX_CLOSED: usize = 200_000;

/// Trains on the older 80 % of closed deals and measures on the latest 20 %.
pub fn train_lead_score(deals: &[Deal]) -> LeadScore {
    let refs: Vec<&Deal> = deals.iter().collect();
    train_lead_score_refs(&refs)
}

/// [`train_lead_score`] over borrowed deals (the latest [`MAX_CLOSED`] closed ones are used).
pub fn train_lead_score_refs(deals: &[&Deal]) -> LeadScore {
    let mut closed: Vec<&Deal> = deals
        .iter()
        .copied()
        .filter(|d| d.outcome != Outcome::Open)
        .collect();
    // The store loads deals in this order already; checking is one pass, sorting is many.
    let order = |a: &&Deal, b: &&Deal| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id));
    if !closed.is_sorted_by(|a, b| order(a, b).is_le()) {
        closed.sort_by(order);
    }
    if closed.len() > MAX_CLOSED {
        closed.drain(..closed.len() - MAX_CLOSED);
    }
    let n_test = ((closed.len() as f64) * TEST_SHARE).round() as usize;
    let (train, test) = closed.split_at(closed.len() - n_test);
    let insufficient = |note: &str| LeadScore {
        model: None,
        report: LeadScoreReport {
            model: "insufficient_history".into(),
            auc: None,
            n_train: train.len() as u64,
            n_test: test.len() as u64,
            top_attributes: Vec::new(),
            note: Some(note.into()),
        },
    };
    if closed.len() < MIN_CLOSED {
        return insufficient("fewer than 30 won or lost deals: the score would be guesswork");
    }
    let won = |d: &&Deal| d.outcome == Outcome::Won;
    if !train.iter().any(won) || train.iter().all(won) {
        return insufficient("the training deals are all won or all lost");
    }
    let features = Features::learn(train);
    let rows: Vec<Vec<(usize, f64)>> = train.iter().map(|d| features.encode(d)).collect();
    let labels: Vec<f64> = train
        .iter()
        .map(|d| if won(d) { 1.0 } else { 0.0 })
        .collect();
    let (weights, bias) = fit(&rows, &labels, features.names.len());
    let model = LeadScoreModel {
        features,
        weights,
        bias,
    };
    let scores: Vec<f64> = test.iter().map(|d| model.score(d).0).collect();
    let truth: Vec<bool> = test.iter().map(won).collect();
    let mut top: Vec<(String, f64)> = model
        .features
        .names
        .iter()
        .cloned()
        .zip(model.weights.iter().copied())
        .collect();
    top.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    top.truncate(10);
    LeadScore {
        report: LeadScoreReport {
            model: "logistic_regression".into(),
            auc: auc(&scores, &truth),
            n_train: train.len() as u64,
            n_test: test.len() as u64,
            top_attributes: top,
            note: None,
        },
        model: Some(model),
    }
}

/// One-hot categories and standardised numbers, learned from the training deals.
#[derive(Debug, Clone)]
struct Features {
    names: Vec<String>,
    /// Column → lower-cased value → feature index.
    categories: FxHashMap<String, FxHashMap<String, usize>>,
    /// Numeric column → (feature index, mean, standard deviation).
    numeric: BTreeMap<String, (usize, f64, f64)>,
}

impl Features {
    fn learn(train: &[&Deal]) -> Features {
        let mut counts: FxHashMap<(&str, Cow<'_, str>), usize> = FxHashMap::default();
        let mut numbers: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let mut non_numeric: BTreeMap<String, bool> = BTreeMap::new();
        for d in train {
            for (col, value) in categorical(d) {
                *counts.entry((col, value)).or_default() += 1;
            }
            for (col, value) in &d.extra {
                match value.parse::<f64>() {
                    Ok(v) if v.is_finite() => numbers.entry(col.clone()).or_default().push(v),
                    _ if value.is_empty() => {}
                    _ => {
                        non_numeric.insert(col.clone(), true);
                    }
                }
            }
            numbers
                .entry("log_quantity".into())
                .or_default()
                .push(d.quantity.unwrap_or(0.0).ln_1p());
        }
        let mut names = Vec::new();
        let mut categories: FxHashMap<String, FxHashMap<String, usize>> = FxHashMap::default();
        let mut keys: Vec<(&str, Cow<'_, str>)> = counts
            .into_iter()
            .filter(|(_, c)| *c >= MIN_VALUE_COUNT)
            .map(|(k, _)| k)
            .collect();
        keys.sort();
        for (col, value) in keys {
            names.push(format!("{col}={value}"));
            categories
                .entry(col.to_string())
                .or_default()
                .insert(value.into_owned(), names.len() - 1);
        }
        let mut numeric = BTreeMap::new();
        for (col, values) in numbers {
            if non_numeric.contains_key(&col) || values.len() < 2 {
                continue;
            }
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64;
            let sd = var.sqrt();
            if sd > 0.0 {
                numeric.insert(col.clone(), (names.len(), mean, sd));
                names.push(col);
            }
        }
        Features {
            names,
            categories,
            numeric,
        }
    }

    fn encode(&self, d: &Deal) -> Vec<(usize, f64)> {
        let mut x: Vec<(usize, f64)> = categorical(d)
            .filter_map(|(col, value)| {
                self.categories
                    .get(col)
                    .and_then(|values| values.get(value.as_ref()))
                    .map(|i| (*i, 1.0))
            })
            .collect();
        for (col, (i, mean, sd)) in &self.numeric {
            let value = if col == "log_quantity" {
                Some(d.quantity.unwrap_or(0.0).ln_1p())
            } else {
                d.extra
                    .get(col)
                    .and_then(|v| v.parse::<f64>().ok())
                    .filter(|v| v.is_finite())
            };
            if let Some(v) = value {
                x.push((*i, (v - mean) / sd));
            }
        }
        x
    }
}

/// The categorical attributes of a deal as (column, lower-cased value); a value already in
/// lower case is borrowed, not copied.
fn categorical(d: &Deal) -> impl Iterator<Item = (&str, Cow<'_, str>)> + '_ {
    [
        ("source", &d.source),
        ("country", &d.country),
        ("product", &d.product),
        ("salesperson", &d.salesperson),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k, lower(v)))
    .chain(
        d.extra
            .iter()
            .filter(|(_, v)| !v.is_empty() && v.parse::<f64>().is_err())
            .map(|(k, v)| (k.as_str(), lower(v))),
    )
}

fn lower(v: &str) -> Cow<'_, str> {
    if v.chars().any(char::is_uppercase) {
        Cow::Owned(v.to_lowercase())
    } else {
        Cow::Borrowed(v)
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Σ log-loss + ½‖w‖² and its gradient; parameter `dim` is the bias.
fn loss_and_gradient(
    rows: &[Vec<(usize, f64)>],
    labels: &[f64],
    params: &[f64],
    grad: &mut [f64],
) -> f64 {
    let dim = params.len() - 1;
    grad.iter_mut().for_each(|g| *g = 0.0);
    let mut loss = 0.0;
    for (x, y) in rows.iter().zip(labels) {
        let z = params[dim] + x.iter().map(|(i, v)| params[*i] * v).sum::<f64>();
        // log(1 + e^z) − y·z, computed stably.
        loss += if z > 0.0 {
            z + (-z).exp().ln_1p()
        } else {
            z.exp().ln_1p()
        } - y * z;
        let r = sigmoid(z) - y;
        for (i, v) in x {
            grad[*i] += r * v;
        }
        grad[dim] += r;
    }
    for i in 0..dim {
        loss += 0.5 * params[i] * params[i];
        grad[i] += params[i];
    }
    loss
}

/// L-BFGS with a backtracking (Armijo) line search.
fn fit(rows: &[Vec<(usize, f64)>], labels: &[f64], dim: usize) -> (Vec<f64>, f64) {
    const MEMORY: usize = 8;
    const MAX_ITER: usize = 200;
    let n = dim + 1;
    let mut x = vec![0.0; n];
    let mut g = vec![0.0; n];
    let mut f = loss_and_gradient(rows, labels, &x, &mut g);
    let mut history: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::new();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    for _ in 0..MAX_ITER {
        // Two-loop recursion: d = −H·g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(history.len());
        for (s, y, rho) in history.iter().rev() {
            let a = rho * dot(s, &q);
            q.iter_mut().zip(y).for_each(|(qi, yi)| *qi -= a * yi);
            alphas.push(a);
        }
        if let Some((s, y, _)) = history.last() {
            let gamma = dot(s, y) / dot(y, y).max(1e-300);
            q.iter_mut().for_each(|qi| *qi *= gamma);
        }
        for ((s, y, rho), a) in history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &q);
            q.iter_mut().zip(s).for_each(|(qi, si)| *qi += si * (a - b));
        }
        let d: Vec<f64> = q.iter().map(|v| -v).collect();
        let slope = dot(&g, &d);
        if slope >= 0.0 {
            history.clear();
            continue;
        }
        let mut step = 1.0;
        let mut new_x;
        let mut new_g = vec![0.0; n];
        let mut new_f;
        loop {
            new_x = x
                .iter()
                .zip(&d)
                .map(|(xi, di)| xi + step * di)
                .collect::<Vec<_>>();
            new_f = loss_and_gradient(rows, labels, &new_x, &mut new_g);
            if new_f <= f + 1e-4 * step * slope || step < 1e-10 {
                break;
            }
            step *= 0.5;
        }
        let s: Vec<f64> = new_x.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = new_g.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        let converged = (f - new_f).abs() <= 1e-9 * f.abs().max(1.0);
        x = new_x;
        g = new_g;
        f = new_f;
        if sy > 1e-12 {
            history.push((s, y, 1.0 / sy));
            if history.len() > MEMORY {
                history.remove(0);
            }
        }
        if converged || g.iter().map(|v| v.abs()).fold(0.0, f64::max) < 1e-6 {
            break;
        }
    }
    let bias = x[dim];
    x.truncate(dim);
    (x, bias)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::parse_date;
    use tradescout_core::Stage;

    fn deal(i: usize, source: &str, won: bool) -> Deal {
        Deal {
            id: i.to_string(),
            created: parse_date("2025-01-01").unwrap_or_default()
                + chrono::Duration::days(i as i64),
            closed: None,
            source: source.into(),
            country: "GB".into(),
            company: "".into(),
            product: "light".into(),
            salesperson: "lily".into(),
            stage_reached: Stage::Evaluation,
            outcome: if won { Outcome::Won } else { Outcome::Lost },
            loss_reason: None,
            amount: None,
            currency: None,
            quantity: Some(100.0),
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn a_source_that_wins_more_scores_higher_and_the_auc_shows_it() {
        // Referrals win 4 in 5, Alibaba 1 in 5, alternating over time.
        let deals: Vec<Deal> = (0..100)
            .map(|i| {
                if i % 2 == 0 {
                    deal(i, "referral", i % 10 != 0)
                } else {
                    deal(i, "alibaba", i % 10 == 1)
                }
            })
            .collect();
        let ls = train_lead_score(&deals);
        assert_eq!(ls.report.model, "logistic_regression");
        assert_eq!((ls.report.n_train, ls.report.n_test), (80, 20));
        assert!(ls.report.auc.unwrap_or(0.0) > 0.7, "{:?}", ls.report);
        let model = ls.model.unwrap_or_else(|| panic!("no model"));
        assert!(
            model.score(&deal(0, "referral", true)).0 > model.score(&deal(0, "alibaba", true)).0
        );
    }

    #[test]
    fn too_little_history_says_so_instead_of_scoring() {
        let deals: Vec<Deal> = (0..10).map(|i| deal(i, "x", i % 2 == 0)).collect();
        let ls = train_lead_score(&deals);
        assert_eq!(ls.report.model, "insufficient_history");
        assert!(ls.model.is_none() && ls.report.note.is_some());
    }

    #[test]
    fn the_fit_matches_the_closed_form_of_a_single_binary_feature() {
        // One feature present in 50 deals (40 won) and absent in 50 (10 won). With the L2
        // penalty on w only, the optimum satisfies the two score equations; check them.
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for i in 0..100 {
            rows.push(if i < 50 { vec![(0, 1.0)] } else { vec![] });
            labels.push(if i < 40 || (50..60).contains(&i) {
                1.0
            } else {
                0.0
            });
        }
        let (w, b) = fit(&rows, &labels, 1);
        let p1 = sigmoid(w[0] + b);
        let p0 = sigmoid(b);
        // ∂/∂b: Σ(p − y) = 0 ; ∂/∂w: Σ_{x=1}(p − y) + w = 0
        assert!((50.0 * p1 + 50.0 * p0 - 50.0).abs() < 1e-4, "{p1} {p0}");
        assert!((50.0 * p1 - 40.0 + w[0]).abs() < 1e-4, "{w:?}");
    }
}
