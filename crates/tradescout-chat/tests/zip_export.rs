//! Reading the chat out of the zip archive WhatsApp shares (iOS `_chat.txt`, Android
//! `WhatsApp Chat with ….txt`), archives built here in memory.
#![cfg(feature = "zip")]

use std::io::{Cursor, Write};
use tradescout_chat::{chat_text_from_zip, parse_bytes, parse_zip, ChatError, Limits};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

const IOS_CHAT: &str = "[05/03/2025, 14:02:30] Oliver Wright: Welcome Grace.\n\
                        [05/03/2025, 14:10:45] Grace Huang: Cartons 60x40x35 cm\n";
const ANDROID_CHAT: &str = "14/03/2025, 10:00 - Ana López: Can you quote 2,000 pcs?\n\
                            14/03/2025, 10:05 - Li Wei: IMG-20250314-WA0001.jpg (file attached)\n";

/// A zip with the given (name, content) entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in entries {
        if w.start_file(*name, options).is_err() || w.write_all(content).is_err() {
            panic!("cannot write {name} into the test zip");
        }
    }
    match w.finish() {
        Ok(c) => c.into_inner(),
        Err(e) => panic!("cannot finish the test zip: {e}"),
    }
}

#[test]
fn ios_archive_reads_chat_txt_and_ignores_media_and_mac_copies() {
    let bytes = zip_of(&[
        ("00000004-Pallet-plan.xlsx", b"PK not really"),
        ("__MACOSX/._chat.txt", b"\x00\x05\x16\x07 resource fork"),
        ("notes.txt", b"not a chat"),
        ("_chat.txt", IOS_CHAT.as_bytes()),
    ]);
    let Ok(chat) = parse_zip(&bytes) else {
        panic!("archive does not parse");
    };
    assert_eq!(chat.messages.len(), 2);
    assert_eq!(chat.messages[1].sender, "Grace Huang");
    assert_eq!(
        chat_text_from_zip(&bytes, 1 << 20).ok().as_deref(),
        Some(IOS_CHAT)
    );
}

#[test]
fn android_archive_reads_the_txt_that_is_a_chat() {
    let bytes = zip_of(&[
        ("WhatsApp Chat with Ana López.txt", ANDROID_CHAT.as_bytes()),
        (
            "Packing list notes.txt",
            b"carton 1: 20 pcs\ncarton 2: 20 pcs\n",
        ),
        ("IMG-20250314-WA0001.jpg", b"\xff\xd8\xff"),
    ]);
    let Ok(chat) = parse_bytes(&bytes) else {
        panic!("archive does not parse");
    };
    assert_eq!(chat.messages.len(), 2);
    assert_eq!(chat.messages[1].attachments, ["IMG-20250314-WA0001.jpg"]);
}

#[test]
fn an_archive_without_a_chat_names_what_it_holds() {
    let bytes = zip_of(&[("photo.jpg", b"\xff\xd8\xff")]);
    let err = parse_zip(&bytes);
    let Err(ChatError::NoChatInArchive { entries }) = err else {
        panic!("expected NoChatInArchive, got {err:?}");
    };
    assert_eq!(entries, "photo.jpg");
}

#[test]
fn a_broken_archive_is_an_error_not_a_panic() {
    let mut bytes = zip_of(&[("_chat.txt", IOS_CHAT.as_bytes())]);
    bytes.truncate(bytes.len() / 2);
    assert!(matches!(parse_bytes(&bytes), Err(ChatError::Zip { .. })));
    assert!(matches!(
        parse_zip(b"PK\x03\x04garbage"),
        Err(ChatError::Zip { .. })
    ));
}

#[test]
fn a_chat_file_over_the_limit_is_refused_without_reading_it_all() {
    let big = IOS_CHAT.repeat(2_000);
    let bytes = zip_of(&[("_chat.txt", big.as_bytes())]);
    let limits = Limits {
        max_file_bytes: 10_000,
        ..Limits::default()
    };
    let err = tradescout_chat::parse_zip_with(&bytes, &limits);
    assert!(matches!(
        err,
        Err(ChatError::TooLarge { limit: 10_000, .. })
    ));
}
