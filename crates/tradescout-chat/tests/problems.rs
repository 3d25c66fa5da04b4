//! Input that is broken, hostile or not an export at all: unreadable lines are reported with
//! their line number and reading goes on; limits cut and say so; only text that is no export
//! at all is an error.

use tradescout_chat::{parse, parse_bytes, parse_with, Chat, ChatError, Limits, ProblemKind};

fn read(text: &str) -> Chat {
    match parse(text) {
        Ok(chat) => chat,
        Err(e) => panic!("{e}"),
    }
}

fn read_with(text: &str, limits: &Limits) -> Chat {
    match parse_with(text, limits) {
        Ok(chat) => chat,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn an_impossible_date_is_a_problem_and_reading_goes_on() {
    let chat = read(
        "28/02/2025, 10:00 - Ana: Deposit received\n\
         31/02/2025, 10:05 - Ana: this date does not exist\n\
         and neither does this line's message\n\
         01/03/2025, 09:00 - Li Wei: Production starts Monday\n",
    );
    assert_eq!(chat.messages.len(), 2);
    assert_eq!(chat.messages[0].text, "Deposit received");
    assert_eq!(chat.messages[1].line, 4);
    assert_eq!(chat.problems.len(), 1);
    assert_eq!(chat.problems[0].line, 2);
    assert_eq!(
        chat.problems[0].kind,
        ProblemKind::ImpossibleDate {
            stamp: "31/02/2025, 10:05".into(),
            day_first: true
        }
    );
    assert!(chat.problems[0].to_string().starts_with("line 2: "));
}

#[test]
fn an_impossible_time_is_a_problem() {
    let chat = read(
        "14/03/2025, 25:10 - Ana: late\n14/03/2025, 13:05 PM - Ana: odd\n14/03/2025, 11:00 - Ana: ok\n",
    );
    assert_eq!(chat.messages.len(), 1);
    let lines: Vec<usize> = chat.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 2]);
    assert!(matches!(
        chat.problems[0].kind,
        ProblemKind::ImpossibleTime { .. }
    ));
}

#[test]
fn month_thirteen_in_a_month_first_file_is_a_problem() {
    // Two stamps say month first (second number above 12); the pasted-in day-first line then
    // has month 25 and cannot be read.
    let chat =
        read("1/13/26, 9:00 AM - Ana: a\n1/14/26, 9:00 AM - Ana: b\n25/1/26, 9:00 AM - Ana: c\n");
    assert!(!chat.day_first);
    assert_eq!(chat.messages.len(), 2);
    assert_eq!(chat.problems.len(), 1);
    assert_eq!(chat.problems[0].line, 3);
}

#[test]
fn text_before_the_first_dated_line_is_reported_once() {
    let chat = read("Chat with Ana\nexported for the QC file\n\n12/03/2025, 10:00 - Ana: hello\n");
    assert_eq!(chat.messages.len(), 1);
    assert_eq!(chat.problems.len(), 1);
    assert_eq!(chat.problems[0].line, 1);
    assert_eq!(
        chat.problems[0].kind,
        ProblemKind::TextBeforeFirstMessage { lines: 2 }
    );
}

#[test]
fn continuation_lines_after_a_system_line_are_skipped_with_it() {
    let chat = read(
        "12/03/2025, 10:00 - Ana changed the group description\n\
         stray line\n\
         12/03/2025, 10:01 - Ana: real message\n",
    );
    assert_eq!(chat.system, 1);
    assert_eq!(chat.messages.len(), 1);
    assert_eq!(chat.messages[0].text, "real message");
}

#[test]
fn empty_and_foreign_text_are_errors_that_say_what_was_expected() {
    assert!(matches!(parse(""), Err(ChatError::Empty)));
    assert!(matches!(parse(" \n\t\n"), Err(ChatError::Empty)));
    assert!(matches!(parse("\u{FEFF}"), Err(ChatError::Empty)));
    let err = parse("From: buyer@example.com\nSubject: RFQ\n\nPlease quote 500 pcs");
    let Err(e @ ChatError::NotAnExport { .. }) = err else {
        panic!("expected NotAnExport, got {err:?}");
    };
    let message = e.to_string();
    assert!(message.contains("From: buyer@example.com"), "{message}");
    assert!(
        message.contains("31/12/2025, 21:41 - Name: text"),
        "{message}"
    );
}

#[test]
fn a_file_of_only_impossible_stamps_reads_with_problems_not_an_error() {
    let chat = read("32/13/2025, 10:00 - Ana: x\n");
    assert!(chat.messages.is_empty());
    assert_eq!(chat.problems.len(), 1);
}

#[test]
fn too_many_messages_stop_the_reading_and_say_where() {
    let text: String = (0..10)
        .map(|i| format!("14/03/2025, 10:{i:02} - Ana: message {i}\n"))
        .collect();
    let limits = Limits {
        max_messages: 4,
        ..Limits::default()
    };
    let chat = read_with(&text, &limits);
    assert_eq!(chat.messages.len(), 4);
    assert_eq!(chat.problems.len(), 1);
    assert_eq!(chat.problems[0].line, 5);
    assert_eq!(
        chat.problems[0].kind,
        ProblemKind::TooManyMessages { limit: 4 }
    );
}

#[test]
fn long_lines_and_long_messages_are_cut_and_reported() {
    let limits = Limits {
        max_line_bytes: 64,
        max_message_bytes: 100,
        ..Limits::default()
    };
    let long_line = format!("14/03/2025, 10:00 - Ana: {}", "价".repeat(40));
    let text = format!("{long_line}\nsecond line\n{}\nfourth\n", "x".repeat(60));
    let chat = read_with(&text, &limits);
    let m = &chat.messages[0];
    assert!(m.text.len() <= 100, "{}", m.text.len());
    assert!(m.text.ends_with("second line"), "{}", m.text);
    let kinds: Vec<&ProblemKind> = chat.problems.iter().map(|p| &p.kind).collect();
    assert!(
        matches!(kinds[0], ProblemKind::LineCut { bytes, kept } if *bytes == long_line.len() && *kept <= 64)
    );
    assert!(matches!(kinds[1], ProblemKind::MessageCut { .. }));
    assert_eq!(chat.problems.len(), 2);
}

#[test]
fn problems_beyond_the_limit_are_only_counted() {
    let text: String = (0..50)
        .map(|i| format!("30/02/2025, 10:{i:02} - Ana: bad {i}\n"))
        .collect();
    let limits = Limits {
        max_problems: 10,
        ..Limits::default()
    };
    let chat = read_with(&text, &limits);
    assert_eq!(chat.problems.len(), 10);
    assert_eq!(chat.problems_omitted, 40);
}

#[test]
fn bytes_that_are_not_utf8_are_read_with_replacements() {
    let mut bytes = b"14/03/2025, 10:00 - Ana: price ".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b" USD\n");
    let Ok(chat) = parse_bytes(&bytes) else {
        panic!("does not parse");
    };
    assert_eq!(chat.messages[0].text, "price \u{FFFD}\u{FFFD} USD");
}

#[test]
fn a_name_holding_colon_space_is_cut_at_the_first_one() {
    // WhatsApp gives no way to tell "Ana: Sales" from "Ana" writing "Sales: …"; the first ": "
    // ends the name, and text holding ": " is kept whole.
    let chat = read("14/03/2025, 10:00 - Ana: Sales: MOQ: 500 pcs\n");
    assert_eq!(chat.messages[0].sender, "Ana");
    assert_eq!(chat.messages[0].text, "Sales: MOQ: 500 pcs");
}

#[test]
fn a_line_that_only_resembles_a_stamp_continues_the_message() {
    let chat = read(
        "14/03/2025, 10:00 - Ana: Delivery dates:\n\
         15/04/2025 first batch\n\
         2025/05/01 second batch\n",
    );
    assert_eq!(chat.messages.len(), 1);
    assert_eq!(
        chat.messages[0].text,
        "Delivery dates:\n15/04/2025 first batch\n2025/05/01 second batch"
    );
}
