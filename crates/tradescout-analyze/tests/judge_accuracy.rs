//! Accuracy of the full judgements (cues + model) on the corpus: the hand-written examples, and
//! separately the part of them the shipped model never saw. Prints the figures; the asserts are
//! floors that catch regressions, not targets.

use serde::Deserialize;
use tradescout_analyze::concerns::judge_concerns;
use tradescout_analyze::model::is_held_out;
use tradescout_analyze::spam::judge_spam;
use tradescout_analyze::stage::judge_stage;
use tradescout_analyze::ThreadInput;
use tradescout_core::Lang;

#[derive(Deserialize)]
struct Example {
    text: String,
    stage: Option<String>,
    #[serde(default)]
    concerns: Vec<String>,
    spam: bool,
    #[serde(default)]
    batch: u8,
}

#[derive(Default, Debug)]
struct Tally {
    stage: (usize, usize),
    concern: (usize, usize),
    spam_tp: usize,
    spam_fp: usize,
    spam_fn: usize,
    n: usize,
}

impl Tally {
    fn add(&mut self, e: &Example, verbose: bool) {
        let t = ThreadInput::single(&e.text);
        self.n += 1;
        let s = judge_spam(&t, Lang::En);
        match (e.spam, s.is_spam) {
            (true, true) => self.spam_tp += 1,
            (false, true) => self.spam_fp += 1,
            (true, false) => self.spam_fn += 1,
            _ => {}
        }
        if verbose && e.spam != s.is_spam {
            println!("SPAM want={} got={:.2} {:?}", e.spam, s.score, e.text);
        }
        if e.spam {
            return;
        }
        if let Some(want) = &e.stage {
            let got = judge_stage(&t);
            self.stage.1 += 1;
            if got.label.as_str() == want {
                self.stage.0 += 1;
            } else if verbose {
                println!(
                    "STAGE want={want} got={} {:?} {:?}",
                    got.label, got.evidence, e.text
                );
            }
        }
        if !e.concerns.is_empty() {
            let got = judge_concerns(&t);
            self.concern.1 += 1;
            let top = got.first().map(|c| c.label.as_str().to_string());
            if top.as_ref().is_some_and(|t| e.concerns.contains(t)) {
                self.concern.0 += 1;
            } else if verbose {
                println!("CONCERN want={:?} got={:?} {:?}", e.concerns, top, e.text);
            }
        }
    }

    fn print(&self, name: &str) {
        let r = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        println!(
            "{name}: n={} stage {:.3} ({}/{}) top-concern {:.3} ({}/{}) spam precision {:.3} recall {:.3}",
            self.n,
            r(self.stage.0, self.stage.1),
            self.stage.0,
            self.stage.1,
            r(self.concern.0, self.concern.1),
            self.concern.0,
            self.concern.1,
            r(self.spam_tp, self.spam_tp + self.spam_fp),
            r(self.spam_tp, self.spam_tp + self.spam_fn),
        );
    }
}

fn examples(name: &str) -> Vec<Example> {
    let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn judgements_on_hand_written_examples_stay_accurate() {
    let verbose = std::env::var_os("JUDGE_VERBOSE").is_some();
    let hand = examples("handwritten.jsonl");
    assert!(hand.len() >= 60);
    let mut all = Tally::default();
    let mut unseen = Tally::default();
    let mut second = Tally::default();
    let mut third = Tally::default();
    for e in &hand {
        all.add(e, verbose);
        if e.batch == 2 {
            second.add(e, false);
        }
        if e.batch == 3 {
            third.add(e, false);
        }
        if is_held_out(&e.text) {
            unseen.add(e, false);
        }
    }
    all.print("hand-written, all");
    unseen.print("hand-written, never trained on");
    second.print("hand-written, second batch");
    third.print("hand-written, third batch");
    let mut generated = Tally::default();
    for e in examples("generated.jsonl")
        .iter()
        .filter(|e| is_held_out(&e.text))
    {
        generated.add(e, std::env::var_os("JUDGE_VERBOSE_GENERATED").is_some());
    }
    generated.print("generated, held out");
    assert!(all.stage.0 as f64 >= 0.75 * all.stage.1 as f64);
    assert!(all.concern.0 as f64 >= 0.7 * all.concern.1 as f64);
    assert!(all.spam_fp <= 1 && all.spam_fn <= 3, "{all:?}");
}
