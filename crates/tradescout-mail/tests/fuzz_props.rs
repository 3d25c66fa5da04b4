//! Property-based fuzzing of everything that reads strangers' bytes: MIME parsing, the mbox
//! reader, header sniffing, bare-body decoding and reply/history splitting. Each must return
//! (a value or an error) for any input, never panic, and keep its size bounds.

use proptest::prelude::*;
use tradescout_mail::mbox::MboxReader;
use tradescout_mail::parse::{decode_bare_text, looks_like_message};
use tradescout_mail::split::{split_history, split_reply};
use tradescout_mail::{parse_message, ParseLimits};

/// Pieces real messages are made of, so mutations reach deep into the parsers.
const FRAGMENTS: &[&str] = &[
    "From: a@b.com\r\n",
    "Subject: =?utf-8?B?5oql5Lu3?=\r\n",
    "Subject: =?gbk?Q?=C4=FA=BA=C3?=\r\n",
    "Content-Type: multipart/mixed; boundary=XX\r\n",
    "Content-Type: text/html; charset=big5\r\n",
    "Content-Transfer-Encoding: base64\r\n",
    "Content-Transfer-Encoding: quoted-printable\r\n",
    "\r\n",
    "--XX\r\n",
    "--XX--\r\n",
    "=E4=BD=A0=\r\n",
    "5L2g5aW9\r\n",
    "<p>hi<br>",
    "&amp;&#x4e2d;",
    "From sender Mon Mar  3 10:00:00 2025\n",
    ">From quoted\n",
    "> quoted line\n",
    "On Mon, Mar 3, 2025 at 10:15 AM John <j@x.com> wrote:\n",
    "-----Original Message-----\n",
    "发件人: 张三\n发送时间: 2025年3月3日 10:15\n",
    "------------------ 原始邮件 ------------------\n",
    "Best regards,\nTom\n",
    "-- \n",
    "Sent from my iPhone\n",
    "\0",
    "\u{feff}",
    "\r",
    "\t",
];

fn message_like() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(FRAGMENTS).prop_map(|s| s.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..40),
            "[a-zA-Z0-9 :;=<>@.\\-]{0,60}\r?\n".prop_map(String::into_bytes),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_bytes_never_panics_and_respects_limits(raw in message_like()) {
        let limits = ParseLimits { max_message_bytes: 1 << 20, max_text_bytes: 256, html_reply: true };
        if let Ok(m) = parse_message(&raw, &limits) {
            prop_assert!(m.text.len() <= 256);
            prop_assert!(!m.text.contains('\0'));
            prop_assert_eq!(m.size, raw.len());
        }
        let _ = looks_like_message(&raw);
        let _ = decode_bare_text(&raw);
    }

    #[test]
    fn the_mbox_reader_never_panics_and_never_returns_more_than_the_limit(raw in message_like()) {
        for entry in MboxReader::new(&raw[..], 512).flatten() {
            prop_assert!(entry.raw.len() <= 512);
            prop_assert!(entry.position >= 1);
        }
    }

    #[test]
    fn splitting_any_text_never_panics_and_keeps_only_input_lines(raw in message_like()) {
        let text = String::from_utf8_lossy(&raw).into_owned();
        let reply = split_reply(&text);
        for line in reply.text.lines() {
            prop_assert!(text.contains(line.trim()), "line {:?} not in input", line);
        }
        let _ = reply.without_signature();
        let _ = split_history(&text);
    }
}
