//! Hostile and broken input: every case gives a message or a clear error, never a panic, and
//! memory stays bounded.

use tradescout_mail::mbox::MboxReader;
use tradescout_mail::{parse_message, MailError, ParseLimits};

fn limits() -> ParseLimits {
    ParseLimits::default()
}

#[test]
fn truncated_multipart_still_yields_the_text_that_arrived() {
    let raw = b"From: b@x.com\r\nSubject: cut\r\nContent-Type: multipart/mixed; boundary=ZZ\r\n\r\n--ZZ\r\nContent-Type: text/plain\r\n\r\nPlease quote 200 sets\r\n--ZZ\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x";
    let m = parse_message(raw, &limits());
    let m = m.unwrap_or_else(|e| panic!("{e}"));
    assert!(m.text.contains("Please quote 200 sets"));
}

#[test]
fn a_wrong_or_unknown_charset_label_does_not_lose_the_message() {
    let raw = b"From: b@x.com\r\nSubject: =?x-unknown-cs?B?aGVsbG8=?=\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\nPlease quote\r\n";
    let m = parse_message(raw, &limits()).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.text.contains("Please quote"));
    // GBK bytes declared as UTF-8: decoded lossily, still readable where ASCII.
    let mut raw = b"From: b@x.com\r\nSubject: s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFOB Ningbo ".to_vec();
    raw.extend_from_slice(&[0xc4, 0xfa, 0xba, 0xc3]);
    let m = parse_message(&raw, &limits()).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.text.starts_with("FOB Ningbo"));
}

#[test]
fn a_50_mb_body_is_parsed_with_its_text_capped() {
    let mut raw = b"From: b@x.com\r\nSubject: huge\r\nContent-Type: text/plain\r\n\r\n".to_vec();
    let line = b"Please quote 500 pcs of 100W LED flood lights IP65, FOB Ningbo, thanks.\r\n";
    while raw.len() < 50 * 1024 * 1024 {
        raw.extend_from_slice(line);
    }
    let m = parse_message(&raw, &limits()).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.text_truncated);
    assert!(m.text.len() <= limits().max_text_bytes);
    assert_eq!(m.size, raw.len());
}

#[test]
fn a_message_over_the_size_limit_is_refused_by_size() {
    let raw = vec![b'a'; 2048];
    let small = ParseLimits {
        max_message_bytes: 1024,
        ..limits()
    };
    let err = parse_message(&raw, &small).err();
    assert!(matches!(
        err,
        Some(MailError::TooLarge {
            size: 2048,
            limit: 1024
        })
    ));
}

#[test]
fn deeply_nested_multiparts_do_not_overflow_the_stack() {
    let depth = 5_000;
    let mut raw = String::from("From: b@x.com\r\nSubject: nest\r\n");
    for i in 0..depth {
        raw.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
        ));
    }
    raw.push_str("Content-Type: text/plain\r\n\r\ndeep text\r\n");
    for i in (0..depth).rev() {
        raw.push_str(&format!("--b{i}--\r\n"));
    }
    // Either parsed (text found or not) or refused; never a crash.
    let _ = parse_message(raw.as_bytes(), &limits());
}

#[test]
fn binary_garbage_and_nul_bytes_give_an_error_or_clean_text() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in [0usize, 1, 7, 100, 4096, 100_000] {
        let mut raw = Vec::with_capacity(len);
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            raw.push((seed >> 24) as u8);
        }
        if let Ok(m) = parse_message(&raw, &limits()) {
            assert!(!m.text.contains('\0'));
        }
    }
    let raw = b"From: b@x.com\r\nSubject: nul\0here\r\n\r\nbody\0with nul\r\n";
    let m = parse_message(raw, &limits()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!m.text.contains('\0'));
    assert!(!m.subject.contains('\0'));
}

#[test]
fn empty_and_headerless_input_are_refused_with_a_reason() {
    for raw in [
        &b""[..],
        b"   \r\n\r\n",
        b"just some words without any header\r\n",
    ] {
        let err = parse_message(raw, &limits())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("not an e-mail message"), "{err:?} for {raw:?}");
    }
}

#[test]
fn an_mbox_with_a_damaged_message_still_delivers_the_others() {
    let mut data = b"From a Mon Mar  3 10:00:00 2025\nSubject: ok 1\n\none\n\n".to_vec();
    data.extend_from_slice(b"From b Mon Mar  3 10:00:00 2025\n\x00\x01\x02garbage\xff\xfe\n\n");
    data.extend_from_slice(b"From c Mon Mar  3 10:00:00 2025\nSubject: ok 3\n\nthree\n");
    let results: Vec<_> = MboxReader::new(&data[..], 1 << 20)
        .map(|r| {
            r.map_err(|e| e.to_string())
                .and_then(|e| parse_message(&e.raw, &limits()).map_err(|e| e.to_string()))
        })
        .collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok());
    assert!(results[1].is_err());
    assert!(results[2]
        .as_ref()
        .map(|m| m.subject == "ok 3")
        .unwrap_or(false));
}
