//! The proposal draft in Markdown, covering the five product levels of PRODUCT.md: the core
//! benefit for the buyer's application, the actual products, what the buyer will receive,
//! the added service and what comes next. Every figure comes from the catalogue or the thread.

use crate::catalogue::{Catalogue, CatalogueProduct};
use crate::knowledge::Knowledge;
use crate::matching::Match;
use crate::need::Need;
use crate::reply_lang::{say as tr, ReplyLang};
use crate::specs::value_text;
use std::fmt::Write;
use tradescout_core::analysis::Analysis;

/// Products shown in the proposal.
const SHOWN: usize = 3;

/// The proposal for `analysis`, built on `need` and the best `matches`.
pub fn proposal(
    analysis: &Analysis,
    need: &Need<'_>,
    matches: &[Match],
    catalogue: Option<&Catalogue>,
    k: &Knowledge,
    lang: ReplyLang,
) -> String {
    let product = analysis
        .request
        .products
        .first()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let mut md = String::new();
    let line = |md: &mut String, s: String| {
        let _ = writeln!(md, "{s}");
    };
    line(
        &mut md,
        tr(lang, "coach.proposal.title", &[("product", &product)]),
    );
    line(&mut md, String::new());

    // Core: the benefit for their application.
    line(&mut md, tr(lang, "coach.proposal.core", &[]));
    line(&mut md, String::new());
    match (&need.site, need.min_ip()) {
        (Some(site), Some(min)) => line(
            &mut md,
            tr(
                lang,
                "coach.proposal.core_site",
                &[
                    ("env", &site.environment.label.get_in(lang)),
                    ("need", &min),
                    ("protection", &k.describe_ip(min, lang)),
                ],
            ),
        ),
        _ => line(
            &mut md,
            tr(lang, "coach.proposal.core_plain", &[("product", &product)]),
        ),
    }
    let marks: Vec<String> = need.required.iter().flat_map(|r| r.marks.clone()).collect();
    if let (Some(country), false) = (&need.country, marks.is_empty()) {
        let name = need
            .mains
            .map(|m| m.name_in(lang).to_string())
            .unwrap_or_else(|| country.clone());
        line(&mut md, String::new());
        line(
            &mut md,
            tr(
                lang,
                "coach.proposal.core_market",
                &[("country", &name), ("marks", &marks.join(", "))],
            ),
        );
    }
    line(&mut md, String::new());

    // Actual: the products, with catalogue values only.
    line(&mut md, tr(lang, "coach.proposal.actual", &[]));
    line(&mut md, String::new());
    // Never a product with more gaps than the best one: a 200 W light is no alternative to the
    // 100 W asked when the 100 W one fits.
    let fewest_gaps = matches
        .iter()
        .filter(|m| !m.disqualified || matches.iter().all(|x| x.disqualified))
        .map(|m| m.gaps.len())
        .min()
        .unwrap_or(0);
    let shown: Vec<(&Match, &CatalogueProduct)> = matches
        .iter()
        .filter(|m| !m.disqualified || matches.iter().all(|x| x.disqualified))
        .filter(|m| m.gaps.len() <= fewest_gaps)
        .filter_map(|m| {
            let p = m.product(catalogue?)?;
            Some((m, p))
        })
        .take(SHOWN)
        .collect();
    if shown.is_empty() {
        line(&mut md, tr(lang, "coach.proposal.no_match", &[]));
    } else {
        line(&mut md, tr(lang, "coach.proposal.table_head", &[]));
        line(&mut md, "|---|---|---|---|---|---|---|".into());
        for (_, p) in &shown {
            line(&mut md, row(p));
        }
        line(&mut md, String::new());
        for (m, _) in &shown {
            // Why each product fits, then what still stands between it and the buyer, on the
            // same card.
            for (said, key, arg) in [
                (&m.fits, "coach.proposal.why", "reasons"),
                (&m.gaps, "coach.proposal.caveat", "gaps"),
            ] {
                if !said.is_empty() {
                    let text = said.join(" ");
                    let args: [(&str, &dyn std::fmt::Display); 2] = [("sku", &m.sku), (arg, &text)];
                    line(&mut md, format!("- {}", tr(lang, key, &args)));
                }
            }
        }
    }
    line(&mut md, String::new());

    // Expected: what exactly they will receive.
    line(&mut md, tr(lang, "coach.proposal.expected", &[]));
    line(&mut md, String::new());
    if let Some((_, p)) = shown.first() {
        // The quantity asked for this product (the request line naming its code), else the
        // quantity of the only line asked; otherwise the line names no quantity rather than
        // another product's.
        let asked = &analysis.request.products;
        let sku = p.sku.to_ascii_uppercase();
        let qty = asked
            .iter()
            .find(|r| {
                r.model
                    .as_deref()
                    .is_some_and(|m| m.to_ascii_uppercase() == sku)
            })
            .or_else(|| {
                // The line asking for this product's power ("800 × 30 W and 400 × 50 W").
                let watts = p.watts()?;
                asked.iter().filter(|r| r.quantity.is_some()).find(|r| {
                    r.specs
                        .get("power_w")
                        .and_then(|v| crate::specs::parse_watts(&crate::specs::value_text(v)))
                        .is_some_and(|w| (w - watts).abs() <= w * 0.2)
                })
            })
            .or_else(|| {
                // The only line that names a quantity.
                let mut counted = asked.iter().filter(|r| r.quantity.is_some());
                let first = counted.next()?;
                counted.next().is_none().then_some(first)
            })
            .and_then(|r| {
                let q = r.quantity?;
                let q = if q.fract() == 0.0 && q.abs() < 1e15 {
                    format!("{}", q as i64)
                } else {
                    format!("{q}")
                };
                Some(match r.unit.as_deref() {
                    Some(u) if !matches!(u, "pcs" | "units" | "sets") => format!("{q} {u}"),
                    _ => q,
                })
            });
        let certs = if p.certifications.is_empty() {
            "—".into()
        } else {
            p.certifications.join(", ")
        };
        line(
            &mut md,
            format!(
                "- {}",
                match &qty {
                    Some(qty) => tr(
                        lang,
                        "coach.proposal.expected_goods",
                        &[("qty", qty), ("sku", &p.sku), ("certs", &certs)]
                    ),
                    None => tr(
                        lang,
                        "coach.proposal.expected_goods_no_qty",
                        &[("sku", &p.sku), ("certs", &certs)]
                    ),
                }
            ),
        );
    }
    if let Some(t) = analysis
        .request
        .incoterm
        .as_deref()
        .and_then(|c| k.incoterm(c))
    {
        line(
            &mut md,
            format!(
                "- {}",
                tr(
                    lang,
                    "coach.proposal.expected_term",
                    &[
                        ("incoterm", &t.code),
                        ("risk", &t.risk_passes_in(lang)),
                        ("carriage", &party(&t.carriage, lang))
                    ],
                )
            ),
        );
    }
    line(&mut md, String::new());

    // Augmented and potential.
    line(&mut md, tr(lang, "coach.proposal.augmented", &[]));
    line(&mut md, String::new());
    line(&mut md, tr(lang, "coach.proposal.augmented_items", &[]));
    line(&mut md, String::new());
    line(&mut md, tr(lang, "coach.proposal.potential", &[]));
    line(&mut md, String::new());
    let others = other_categories(catalogue, &shown);
    if others.is_empty() {
        line(&mut md, tr(lang, "coach.proposal.potential_plain", &[]));
    } else {
        line(
            &mut md,
            tr(
                lang,
                "coach.proposal.potential_items",
                &[("others", &others.join(", "))],
            ),
        );
    }
    md
}

/// `buyer` or `seller` (as incoterms.toml names who pays) in `lang`.
fn party(who: &str, lang: ReplyLang) -> String {
    match who {
        "buyer" => tr(lang, "coach.proposal.party_buyer", &[]),
        "seller" => tr(lang, "coach.proposal.party_seller", &[]),
        other => other.to_string(),
    }
}

/// One table row of catalogue values (`—` where the catalogue has none).
fn row(p: &CatalogueProduct) -> String {
    let dash = || "—".to_string();
    let specs: Vec<String> = p
        .specs
        .iter()
        .map(|(k, v)| format!("{k}: {}", value_text(v)))
        .collect();
    let price = match (p.price, &p.currency) {
        (Some(x), Some(c)) => format!("{x} {c}"),
        (Some(x), None) => format!("{x}"),
        _ => dash(),
    };
    let cell = |s: String| s.replace('|', "/");
    format!(
        "| {} | {} | {} | {} | {} | {} | {} |",
        cell(p.sku.clone()),
        cell(p.name.clone()),
        cell(if specs.is_empty() {
            dash()
        } else {
            specs.join("; ")
        }),
        cell(if p.certifications.is_empty() {
            dash()
        } else {
            p.certifications.join(", ")
        }),
        price,
        p.moq.map(|m| m.to_string()).unwrap_or_else(dash),
        p.lead_time_days.map(|d| d.to_string()).unwrap_or_else(dash),
    )
}

/// Categories of the catalogue other than those of the products shown (at most three).
fn other_categories(
    catalogue: Option<&Catalogue>,
    shown: &[(&Match, &CatalogueProduct)],
) -> Vec<String> {
    let Some(c) = catalogue else {
        return Vec::new();
    };
    let mine: Vec<&str> = shown
        .iter()
        .filter_map(|(_, p)| p.category.as_deref())
        .collect();
    c.row_index()
        .categories()
        .iter()
        .filter(|cat| !mine.contains(&cat.as_str()))
        .take(3)
        .cloned()
        .collect()
}
