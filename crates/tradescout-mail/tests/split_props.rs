//! Properties of the splitter on arbitrary input: it never panics, and the text it returns is
//! made of lines of the input.

mod split_properties {
    use proptest::prelude::*;
    use tradescout_mail::split::{split_history, split_reply};

    /// Bodies built from pieces that trigger the splitter's rules, mixed with arbitrary text.
    fn body() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("On Mon, Mar 3, 2025 at 10:15 AM John <j@x.com> wrote:".to_owned()),
            Just("> quoted line".to_owned()),
            Just(">> nested".to_owned()),
            Just("-----Original Message-----".to_owned()),
            Just("From: a@b.cn".to_owned()),
            Just("Sent: Monday".to_owned()),
            Just("发件人：王芳".to_owned()),
            Just("Best regards,".to_owned()),
            Just("-- ".to_owned()),
            Just("Tel: +86 755 1234 5678".to_owned()),
            Just("Sent from my iPhone".to_owned()),
            Just(String::new()),
            "[a-zA-Z0-9 ,.:<>@-]{0,40}",
            "\\PC{0,30}",
        ];
        prop::collection::vec(piece, 0..30).prop_map(|v| v.join("\n"))
    }

    proptest! {
        #[test]
        fn split_never_panics_and_text_lines_come_from_the_input(b in body()) {
            let r = split_reply(&b);
            for line in r.text.lines() {
                prop_assert!(b.contains(line), "line {:?} not in input", line);
            }
            if let Some(sig) = &r.signature {
                prop_assert!(r.text.ends_with(sig.as_str()));
            }
            let _ = r.without_signature();
            let _ = split_history(&b);
        }

        #[test]
        fn split_never_panics_on_any_string(b in "\\PC{0,300}") {
            let r = split_reply(&b);
            for line in r.text.lines() {
                prop_assert!(b.contains(line));
            }
            let _ = split_history(&b);
        }
    }
}
