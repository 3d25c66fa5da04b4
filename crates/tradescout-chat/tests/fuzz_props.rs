//! Property-based fuzzing: whatever the bytes, reading returns a chat or an error, never panics,
//! and keeps its bounds.

use proptest::prelude::*;
use tradescout_chat::{message_ids, parse_bytes, parse_with, participants, Limits};

/// Pieces exports are made of, so random mixes reach deep into the reader.
const FRAGMENTS: &[&str] = &[
    "31/12/2025, 21:41 - ",
    "12/31/25, 9:41\u{202F}PM - ",
    "[31/12/2025, 21:41:07] ",
    "[2025/12/31 下午9:41:07] ",
    "٣١\u{200F}/١٢\u{200F}/٢٠٢٥، ٩:٤١ م - ",
    "31.12.25, 21:41 - ",
    "31/02/2025, 25:99 - ",
    "2025. 12. 31. 오후 9:41 - ",
    "Ana López: ",
    "~\u{202F}Li: ",
    ": ",
    "\u{200E}",
    "\u{200F}",
    "\u{FEFF}",
    "<Media omitted>",
    "image omitted",
    "<attached: 00000012-PHOTO-2025-12-31-21-41-07.jpg>",
    "IMG-20251231-WA0012.jpg (file attached)",
    "<This message was edited>",
    "This message was deleted",
    "Messages and calls are end-to-end encrypted",
    "Ana created group \"PO: 1\"",
    "«",
    "\"",
    "<",
    ">",
    "\n",
    "\r\n",
    "\r",
    "PK\u{3}\u{4}",
];

fn export_like() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(FRAGMENTS).prop_map(|s| s.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..24),
            "[a-zA-Z0-9 :/.,\\-\\[\\]]{0,40}\n?".prop_map(String::into_bytes),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_bytes(&bytes);
    }

    #[test]
    fn export_like_input_never_panics_and_keeps_its_bounds(bytes in export_like()) {
        let limits = Limits {
            max_messages: 5,
            max_line_bytes: 80,
            max_message_bytes: 120,
            max_problems: 3,
            max_file_bytes: 1 << 16,
        };
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(chat) = parse_with(&text, &limits) {
            prop_assert!(chat.messages.len() <= 5);
            prop_assert!(chat.problems.len() <= 3);
            for m in &chat.messages {
                prop_assert!(m.text.len() <= 120);
                prop_assert!(!m.sender.is_empty());
                prop_assert!(m.sender.chars().count() <= 60);
                prop_assert!(m.line >= 1);
            }
            prop_assert!(chat.problems.windows(2).all(|w| w[0].line <= w[1].line));
            let _ = participants(&chat);
            prop_assert_eq!(message_ids("k", &chat).len(), chat.messages.len());
        }
        let _ = parse_bytes(&bytes);
    }
}
