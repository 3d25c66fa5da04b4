//! Speed of the full analysis (language, buyer, request, stage, concerns, spam) of single
//! inquiries on one core, model loading, and how the cost grows with input size.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use tradescout_analyze::{analyze, ThreadInput};
use tradescout_core::Lang;

/// Typical single inquiries, about 0.2–1 KB each.
const INQUIRIES: &[&str] = &[
    "Hi, please quote 500 pcs 100W LED flood light IP65, CE, FOB Ningbo. Target price USD 12.5/pc. We need them by end of April.\n\nBest regards,\nTom Baker\nPurchasing Manager\nGreenlight Supplies Ltd\nTel: +44 161 496 0123",
    "Estimados, somos importadores en Bogotá. Necesitamos cotización de 2000 paneles solares 450W, CIF Buenaventura. ¿Cuál es su MOQ y plazo de entrega? Saludos, Andrés",
    "您好，请报价 300 套太阳能路灯 60W，需要 CE 和 RoHS 认证，付款方式 30% 定金，70% 见提单副本。谢谢！",
    "Dear supplier, we want to place a big order of all your products urgently. Kindly view the purchase order here: http://docs-viewer-secure.top/login and pay the registration fee of USD 350 first.",
    "Hello, 45 is too high, another supplier offers 39. Can you do 40 for 300 pcs with 30% deposit? We also need 3 years warranty and UKCA. Please confirm lead time, we must ship before 15 May.",
    "Здравствуйте! Интересуют светодиодные прожекторы 150 Вт, IP66, 1000 шт, поставка в Москву. Пришлите прайс и сертификаты EAC. С уважением, Иван Петров, +7 495 123 45 67",
];

fn single_inquiries(c: &mut Criterion) {
    let threads: Vec<ThreadInput> = INQUIRIES.iter().map(|t| ThreadInput::single(t)).collect();
    // Warm the lazily loaded lexicons and models so the loop measures analysis only.
    let _ = analyze(&threads[0], Lang::En);
    let bytes: usize = INQUIRIES.iter().map(|t| t.len()).sum();
    let mut group = c.benchmark_group("analyze");
    group.throughput(Throughput::Elements(threads.len() as u64));
    group.bench_function(
        format!("{} inquiries ({bytes} bytes)", threads.len()),
        |b| {
            b.iter(|| {
                for t in &threads {
                    black_box(analyze(black_box(t), Lang::En));
                }
            })
        },
    );
    group.finish();
}

fn model_load(c: &mut Criterion) {
    let [stage, spam, concerns] = tradescout_analyze::model::shipped_bytes();
    c.bench_function("load stage, spam and concern models", |b| {
        b.iter(|| {
            black_box(
                tradescout_analyze::model::Models::from_bytes(
                    black_box(stage),
                    black_box(spam),
                    black_box(concerns),
                )
                .ok(),
            );
        })
    });
}

fn input_size(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze by size");
    for kb in [1usize, 8, 64, 512] {
        let mut text = String::new();
        while text.len() < kb * 1024 {
            text.push_str(INQUIRIES[text.len() % INQUIRIES.len()]);
            text.push('\n');
        }
        let thread = ThreadInput::single(&text);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{kb} KB")),
            &thread,
            |b, t| b.iter(|| black_box(analyze(black_box(t), Lang::En))),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = single_inquiries, model_load, input_size
}
criterion_main!(benches);
