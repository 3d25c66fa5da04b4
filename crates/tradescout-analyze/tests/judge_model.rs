//! The shipped model weights are exactly what the shipped corpus trains, and their held-out
//! accuracy is reported. Regenerate the weights after editing the corpus with
//! `cargo test -p tradescout-analyze --release --test judge_model -- --ignored`.

use tradescout_analyze::model::{self, train_all, Model};

fn corpus() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
    let mut all = String::new();
    for name in ["generated.jsonl", "handwritten.jsonl"] {
        let text = std::fs::read_to_string(format!("{dir}/{name}"));
        assert!(text.is_ok(), "cannot read corpus/{name}");
        all.push_str(&text.unwrap_or_default());
        all.push('\n');
    }
    all
}

#[test]
fn shipped_weights_are_what_the_corpus_trains() {
    let trained = train_all(&corpus());
    assert!(trained.is_ok(), "{:?}", trained.err());
    let Ok(t) = trained else { return };
    let shipped_stage = include_bytes!("../data/model/stage.bin");
    let shipped_spam = include_bytes!("../data/model/spam.bin");
    assert!(
        t.stage.to_bytes() == shipped_stage.as_slice(),
        "stage weights drifted from the corpus; regenerate them"
    );
    assert!(
        t.spam.to_bytes() == shipped_spam.as_slice(),
        "spam weights drifted from the corpus; regenerate them"
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&t.report).unwrap_or_default()
    );
    assert!(t.report.stage.accuracy > 0.8, "{:?}", t.report.stage);
    assert!(t.report.spam.accuracy > 0.9, "{:?}", t.report.spam);
}

#[test]
fn shipped_models_load_fast() {
    let start = std::time::Instant::now();
    let stage = Model::from_bytes(include_bytes!("../data/model/stage.bin"));
    let spam = Model::from_bytes(include_bytes!("../data/model/spam.bin"));
    let took = start.elapsed();
    assert!(stage.is_ok() && spam.is_ok());
    // Generous for unoptimised test builds; release loads in a few milliseconds.
    assert!(took.as_millis() < 500, "loading took {took:?}");
    assert!(model::shipped_stage().is_some() && model::shipped_spam().is_some());
}

#[test]
#[ignore = "writes data/model/*.bin; run after editing the corpus"]
fn write_shipped_weights() {
    let trained = train_all(&corpus());
    assert!(trained.is_ok(), "{:?}", trained.err());
    let Ok(t) = trained else { return };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/model");
    assert!(std::fs::write(format!("{dir}/stage.bin"), t.stage.to_bytes()).is_ok());
    assert!(std::fs::write(format!("{dir}/spam.bin"), t.spam.to_bytes()).is_ok());
    println!(
        "{}",
        serde_json::to_string_pretty(&t.report).unwrap_or_default()
    );
}
