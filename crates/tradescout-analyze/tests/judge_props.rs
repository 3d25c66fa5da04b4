//! Hostile input never makes a judgement panic, and every judgement keeps its contract:
//! scores within 0–1, stage evidence never empty.

use proptest::prelude::*;
use tradescout_analyze::concerns::judge_concerns;
use tradescout_analyze::cues::{scan, snippet};
use tradescout_analyze::spam::judge_spam;
use tradescout_analyze::stage::judge_stage;
use tradescout_analyze::{InputMessage, Role, ThreadInput};
use tradescout_core::Lang;

fn message() -> impl Strategy<Value = InputMessage> {
    (
        proptest::option::of(prop_oneof![Just(Role::Buyer), Just(Role::Seller)]),
        ".{0,400}",
        proptest::option::of(".{0,60}"),
        proptest::collection::vec(".{0,30}", 0..3),
        proptest::collection::vec((".{0,40}", ".{0,60}"), 0..3),
    )
        .prop_map(|(role, text, subject, attachments, links)| InputMessage {
            role,
            text,
            subject,
            attachments,
            links,
            ..Default::default()
        })
}

fn check(t: &ThreadInput) {
    let s = judge_stage(t);
    assert!((0.0..=1.0).contains(&s.confidence));
    assert!(!s.evidence.is_empty());
    for c in judge_concerns(t) {
        assert!((0.0..=1.0).contains(&c.score) && !c.evidence.is_empty());
    }
    for lang in [Lang::En, Lang::ZhCn] {
        let spam = judge_spam(t, lang);
        assert!((0.0..=1.0).contains(&spam.score));
        assert_eq!(
            spam.is_spam,
            spam.score >= tradescout_analyze::spam::SPAM_THRESHOLD
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn judgements_never_panic_on_arbitrary_threads(messages in proptest::collection::vec(message(), 0..6)) {
        check(&ThreadInput { messages });
    }

    #[test]
    fn snippets_are_safe_for_any_span(text in ".{0,200}", a in 0usize..400, b in 0usize..400) {
        let _ = snippet(&text, a, b);
        for m in scan(&text) {
            prop_assert!(m.start <= m.end && m.end <= text.len());
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
}

#[test]
fn huge_and_binary_inputs_finish_quickly() {
    let big = "Please quote 500 pcs LED panel, what is your MOQ? ".repeat(200_000); // ~10 MB
    let one_line = "x".repeat(5 * 1024 * 1024);
    let binary: String = (0u32..200_000)
        .filter_map(|i| char::from_u32(i % 0x11000))
        .collect();
    let mixed =
        "Здравствуйте 你好 مرحبا こんにちは 안녕하세요 Γειά σου שלום नमस्ते สวัสดี İıŞğ ".repeat(5000);
    for text in [big, one_line, binary, mixed, String::new()] {
        let start = std::time::Instant::now();
        let mut t = ThreadInput::single(&text);
        t.messages.push(InputMessage {
            role: Some(Role::Seller),
            text: text.clone(),
            ..Default::default()
        });
        check(&t);
        assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    }
}
