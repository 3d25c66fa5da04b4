//! Speed of catalogue import (10,000 rows, CSV) and of coaching one analysed inquiry against
//! a 10,000- and a 100,000-product catalogue. Targets: import < 1 s, coaching < 20 ms for
//! either. The generated rows all share "LED" and "light" with the request and a quarter are
//! of its kind, so the index leaves little out: a worst case for it.

use criterion::{criterion_group, criterion_main, Criterion};
use std::fmt::Write;
use std::hint::black_box;
use tradescout_coach::{coach, Catalogue, CoachInput};
use tradescout_core::analysis::*;
use tradescout_core::{Lang, Stage};

const ROWS: usize = 10_000;

/// A generated catalogue: floodlights, street lights, panels and underwater lights at
/// several IP ratings, wattages and voltages, with certificates.
fn catalogue_csv(rows: usize) -> String {
    let mut s = String::from(
        "sku,name,category,price,currency,moq,lead_time_days,certifications,ip_rating,power_w,voltage,description\n",
    );
    let names = [
        "LED flood light",
        "LED street light",
        "LED panel light",
        "LED underwater light",
    ];
    let ips = ["IP20", "IP44", "IP65", "IP66", "IP67", "IP68"];
    let volts = ["220-240V", "AC100-277V", "110V", "12V"];
    let certs = [
        "CE;RoHS",
        "CE;RoHS;REACH;ErP;RCM",
        "UL;FCC;DLC",
        "CE;RoHS;UKCA",
    ];
    for i in 0..rows {
        let w = 10 * (1 + i % 20);
        let _ = writeln!(
            s,
            "SKU-{i},{} {w}W,lighting,{:.2},USD,{},{},{},{},{w}W,{},Model {i} for projects",
            names[i % 4],
            5.0 + (i % 97) as f64 * 0.37,
            50 * (1 + i % 5),
            10 + i % 30,
            certs[i % 4],
            ips[i % 6],
            volts[i % 4],
        );
    }
    s
}

fn inquiry() -> Analysis {
    let product = Product {
        name: "LED flood light".into(),
        quantity: Some(500.0),
        unit: Some("pcs".into()),
        specs: [
            ("ip_rating".to_string(), serde_json::json!("IP68")),
            ("power_w".into(), serde_json::json!(100)),
        ]
        .into_iter()
        .collect(),
        ..Default::default()
    };
    Analysis {
        language: Some("en".into()),
        buyer: Buyer::default(),
        request: Request {
            products: vec![product],
            target_price: Some(Price {
                amount: 12.5,
                currency: "USD".into(),
                per: None,
            }),
            incoterm: Some("CIF".into()),
            destination: Some(Destination {
                country: Some("AU".into()),
                port: Some("Sydney".into()),
            }),
            ..Default::default()
        },
        stage: StageJudgement {
            label: Stage::Evaluation,
            confidence: 0.8,
            evidence: vec![],
            suppressed: false,
            unsure: false,
        },
        concerns: vec![],
        spam: Spam::default(),
        next_actions: vec![],
        questions: vec![],
    }
}

fn bench(c: &mut Criterion) {
    let csv = catalogue_csv(ROWS);
    c.bench_function("import 10,000-row CSV catalogue", |b| {
        b.iter(|| Catalogue::from_csv(black_box(csv.as_bytes())))
    });
    let Ok(catalogue) = Catalogue::from_csv(csv.as_bytes()) else {
        return;
    };
    let analysis = inquiry();
    let text = "We need 500 pcs LED flood light 100W IP68; they stand under trees in a garden.";
    c.bench_function("coach one inquiry against 10,000 products", |b| {
        b.iter(|| {
            coach(CoachInput {
                analysis: black_box(&analysis),
                buyer_text: text,
                catalogue: Some(&catalogue),
                today: None,
                lang: Lang::En,
                reply_lang: Lang::En,
            })
        })
    });
    // The web app prepares a stored catalogue once per version and shares it; what is left
    // per brief is the matching itself.
    let Ok(large) = Catalogue::from_csv(catalogue_csv(100_000).as_bytes()) else {
        return;
    };
    c.bench_function("coach one inquiry against 100,000 products", |b| {
        b.iter(|| {
            coach(CoachInput {
                analysis: black_box(&analysis),
                buyer_text: text,
                catalogue: Some(&large),
                today: None,
                lang: Lang::En,
                reply_lang: Lang::En,
            })
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
