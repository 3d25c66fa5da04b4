//! Importing a chat twice stores nothing twice: the same messages get the same ids, whether
//! read from the same file again or from a later export of the same chat.

use tradescout_chat::{message_ids, parse};

const FIRST_EXPORT: &str = "\
14/03/2025, 10:00 - Ana López: Can you quote 2,000 pcs?
14/03/2025, 10:02 - Li Wei: ok
14/03/2025, 10:02 - Li Wei: ok
14/03/2025, 10:05 - Li Wei: <Media omitted>
";

#[test]
fn a_later_export_repeats_the_ids_of_the_messages_both_hold() {
    let later = format!("{FIRST_EXPORT}15/03/2025, 09:00 - Ana López: Thanks, PI please\n");
    let (Ok(first), Ok(later)) = (parse(FIRST_EXPORT), parse(&later)) else {
        panic!("fixture does not parse");
    };
    let first_ids = message_ids("ana-lopez", &first);
    let later_ids = message_ids("ana-lopez", &later);
    assert_eq!(first_ids.len(), 4);
    assert_eq!(later_ids.len(), 5);
    assert_eq!(first_ids[..], later_ids[..4]);
}

#[test]
fn ids_are_distinct_within_a_chat_even_for_repeated_texts() {
    let Ok(chat) = parse(FIRST_EXPORT) else {
        panic!("fixture does not parse");
    };
    let mut ids = message_ids("ana-lopez", &chat);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}

#[test]
fn an_export_with_media_matches_one_without() {
    let with_media =
        FIRST_EXPORT.replace("<Media omitted>", "IMG-20250314-WA0001.jpg (file attached)");
    let (Ok(a), Ok(b)) = (parse(FIRST_EXPORT), parse(&with_media)) else {
        panic!("fixture does not parse");
    };
    assert_eq!(message_ids("k", &a), message_ids("k", &b));
}
