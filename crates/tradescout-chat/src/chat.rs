//! What a parsed export is: messages, the count of system lines skipped, and the lines that
//! could not be read.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

/// One message of a chat, as its sender wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// The 1-based line of the export where the message starts.
    pub line: usize,
    /// When it was sent, in the exporting phone's local time (exports carry no time zone).
    pub at: NaiveDateTime,
    /// The name the exporting phone shows for the sender: a contact name, the sender's own
    /// profile name, or a phone number such as `+86 138 0013 8000`.
    pub sender: String,
    /// The text, lines joined with `\n`, without WhatsApp's attachment placeholders and
    /// "edited" mark, and without the invisible direction marks the export adds.
    pub text: String,
    /// Files sent with the message: the file name when the export names it
    /// (`IMG-20251231-WA0012.jpg`, `00000012-PHOTO-2025-12-31-21-41-07.jpg`), otherwise the kind
    /// of file left out of the export (`media`, `image`, `video`, `audio`, `sticker`, `gif`,
    /// `document`, `contact`).
    pub attachments: Vec<String>,
    /// WhatsApp marked the message as edited after it was sent.
    pub edited: bool,
}

/// A whole export, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chat {
    /// Messages in file order (which is sending order, except that WhatsApp writes some system
    /// notices out of order).
    pub messages: Vec<ChatMessage>,
    /// Lines WhatsApp wrote itself and that were skipped: the encryption notice, group events
    /// ("Ana created group …", "Ana added Li"), deleted messages, missed calls.
    pub system: usize,
    /// Lines that look like the start of a message but cannot be read, and what was cut to
    /// stay within [`crate::Limits`]; in line order, at most `Limits::max_problems` of them.
    pub problems: Vec<ChatProblem>,
    /// Problems found beyond `Limits::max_problems` and not listed.
    pub problems_omitted: usize,
    /// The file writes the day before the month (`31/12/2025`); `false` for month first
    /// (`12/31/25`) and for year-first dates (`2025/12/31`).
    pub day_first: bool,
    /// What `day_first` was decided from; [`DateOrder::Default`] means it is a guess.
    pub date_order: DateOrder,
}

/// What the day/month order of a file was decided from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// A date's first number is above 12, so the first number is the day.
    FirstAbove12,
    /// A date's second number is above 12, so the second number is the day.
    SecondAbove12,
    /// No number is above 12, but only one reading keeps the messages in date order.
    Chronology,
    /// Nothing told the order apart: day first, as most of the world writes dates.
    Default,
    /// Every date starts with a four-digit year (`2025/12/31`), which is always year, month, day.
    YearFirst,
}

impl DateOrder {
    /// The order was guessed rather than read from the dates.
    pub fn is_guess(self) -> bool {
        self == DateOrder::Default
    }
}

/// A line that could not be read, or something cut to stay within the limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatProblem {
    /// The 1-based line it concerns.
    pub line: usize,
    pub kind: ProblemKind,
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// The line starts like a message but its date does not exist (`31/02/2025`, month 13).
    /// The line and the lines continuing it are left out.
    ImpossibleDate {
        /// The date and time as written.
        stamp: String,
        /// The order the file was read in.
        day_first: bool,
    },
    /// The line starts like a message but its time does not exist (`25:10`, `13:05 PM`).
    /// The line and the lines continuing it are left out.
    ImpossibleTime { stamp: String },
    /// Text before the first line with a date; it belongs to no message and is left out.
    TextBeforeFirstMessage {
        /// How many non-blank lines.
        lines: usize,
    },
    /// The line was longer than `Limits::max_line_bytes`; the rest of it is left out.
    LineCut { bytes: usize, kept: usize },
    /// The message grew past `Limits::max_message_bytes`; its remaining lines are left out.
    MessageCut { kept: usize },
    /// `Limits::max_messages` messages were read; this line and everything after it is left out.
    TooManyMessages { limit: usize },
}

impl fmt::Display for ChatProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match &self.kind {
            ProblemKind::ImpossibleDate { stamp, day_first } => write!(
                f,
                "the date in {stamp:?} does not exist (read {} first); the message is left out",
                if *day_first { "day" } else { "month" }
            ),
            ProblemKind::ImpossibleTime { stamp } => write!(
                f,
                "the time in {stamp:?} does not exist; the message is left out"
            ),
            ProblemKind::TextBeforeFirstMessage { lines } => write!(
                f,
                "{lines} line(s) before the first dated line belong to no message and are left out"
            ),
            ProblemKind::LineCut { bytes, kept } => write!(
                f,
                "the line is {bytes} bytes long; only the first {kept} bytes are kept"
            ),
            ProblemKind::MessageCut { kept } => write!(
                f,
                "the message is longer than the limit; only the first {kept} bytes are kept"
            ),
            ProblemKind::TooManyMessages { limit } => write!(
                f,
                "{limit} messages read, the limit; this line and the rest of the file are left out"
            ),
        }
    }
}

/// Everyone who wrote at least one message, in the order they first wrote.
///
/// The chat itself (the group name iOS writes group events under) is not a participant, and
/// neither is anyone who only appears in system lines.
pub fn participants(chat: &Chat) -> Vec<String> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for m in &chat.messages {
        if seen.insert(m.sender.as_str()) {
            out.push(m.sender.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn message(sender: &str, line: usize) -> ChatMessage {
        ChatMessage {
            line,
            at: NaiveDate::from_ymd_opt(2025, 3, 4)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default(),
            sender: sender.to_string(),
            text: "hi".to_string(),
            attachments: Vec::new(),
            edited: false,
        }
    }

    #[test]
    fn participants_are_distinct_in_order_of_first_message() {
        let chat = Chat {
            messages: vec![message("Li", 1), message("Ana", 2), message("Li", 3)],
            system: 0,
            problems: Vec::new(),
            problems_omitted: 0,
            day_first: true,
            date_order: DateOrder::Default,
        };
        assert_eq!(participants(&chat), vec!["Li", "Ana"]);
    }

    #[test]
    fn problems_say_line_and_what_is_wrong() {
        let p = ChatProblem {
            line: 7,
            kind: ProblemKind::ImpossibleDate {
                stamp: "31/02/2025, 10:00".into(),
                day_first: true,
            },
        };
        assert_eq!(
            p.to_string(),
            "line 7: the date in \"31/02/2025, 10:00\" does not exist (read day first); the message is left out"
        );
    }
}
