//! Turning an export into messages: the entry points and the line-by-line reading.

use crate::chat::{Chat, ChatMessage, ChatProblem, DateOrder, ProblemKind};
use crate::clean::clean_line;
use crate::content::{read_text, split_sender, Text};
use crate::error::{first_line, ChatError};
use crate::order;
use crate::phrases::{phrases, Phrases};
use crate::stamp::{read_header, Impossible};
use chrono::NaiveDateTime;

/// Bounds on what one export may cost; whatever is cut is reported in [`Chat::problems`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Messages kept; reading stops at the first message past it.
    pub max_messages: usize,
    /// Bytes kept of one line (WhatsApp itself allows about 65,000 characters a message).
    pub max_line_bytes: usize,
    /// Bytes kept of one message's text, all its lines together.
    pub max_message_bytes: usize,
    /// Problems listed; more are only counted.
    pub max_problems: usize,
    /// Bytes read from the chat file inside a zip archive.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_messages: 200_000,
            max_line_bytes: 64 * 1024,
            max_message_bytes: 256 * 1024,
            max_problems: 1_000,
            max_file_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Reads a WhatsApp chat export (the text file) with the default [`Limits`].
///
/// Fails only when the text is not an export at all (empty, or no line starts with a date and
/// time); anything less is a [`ChatProblem`] and reading goes on.
pub fn parse(text: &str) -> Result<Chat, ChatError> {
    parse_with(text, &Limits::default())
}

/// Reads an export handed over as bytes: a zip archive as WhatsApp shares it, or the text
/// file. Text that is not valid UTF-8 (exports always are) is read with the bad bytes replaced.
pub fn parse_bytes(bytes: &[u8]) -> Result<Chat, ChatError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        #[cfg(feature = "zip")]
        return crate::archive::parse_zip_with(bytes, &Limits::default());
        #[cfg(not(feature = "zip"))]
        return Err(ChatError::Zip {
            reason: "this build reads no zip archives; unpack the archive and give the .txt file"
                .into(),
        });
    }
    parse(&String::from_utf8_lossy(bytes))
}

/// Reads a WhatsApp chat export with the given limits.
///
/// Rules for lines (those for the stamp, the sender and the text are in the modules that read
/// them):
/// 1. A line starting with a date and time starts a new message or a system line; any other line
///    continues the message before it (multi-line messages), and lines before the first dated
///    line belong to nothing and are reported.
/// 2. The day/month order is decided once for the whole file before any line is read.
/// 3. A dated line with an impossible date or time is a problem; it and its continuation lines
///    are left out, and reading goes on.
/// 4. A dated line without `Sender: ` is a system line, as is a message whose whole text is one
///    of WhatsApp's notes (deleted message, missed call).
/// 5. On iOS the chat's first line is the encryption notice, written with a left-to-right mark
///    before the text and attributed to the chat: a contact's name in a one-to-one chat, the
///    group's name in a group. It is a system line whatever its language. When that name wrote
///    nothing else but such marked lines, and no files (group events like "‎Ana added Li"), it
///    is the group, not a person, and all its lines are system lines.
pub fn parse_with(text: &str, limits: &Limits) -> Result<Chat, ChatError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ChatError::Empty);
    }
    let phrases = phrases();

    let mut stamps = Vec::new();
    for raw in text.lines() {
        if stamps.len() >= limits.max_messages.max(1) {
            break;
        }
        let line = clean_line(cut_to(raw, limits.max_line_bytes));
        if let Some(h) = read_header(&line.text, &phrases.clock) {
            stamps.push(h.stamp);
        }
    }
    if stamps.is_empty() {
        return Err(ChatError::NotAnExport {
            first_line: first_line(text),
        });
    }
    let (day_first, date_order) = order::decide(&stamps);
    drop(stamps);

    let mut reader = Reader::new(limits, phrases, day_first, date_order);
    for (i, raw) in text.lines().enumerate() {
        if !reader.line(i + 1, raw) {
            break;
        }
    }
    Ok(reader.finish())
}

/// The longest start of `s` within `max` bytes, on a character boundary.
fn cut_to(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// A message being read, before its text is judged.
struct Draft {
    line: usize,
    at: NaiveDateTime,
    sender: String,
    text: String,
    cut: bool,
    /// Its text starts with a left-to-right mark (WhatsApp wrote it, on iOS).
    marked: bool,
    bracketed: bool,
    /// It is the file's first dated line.
    first: bool,
}

/// What lines without a date continue.
enum Current {
    /// Nothing yet: text before the first dated line.
    Start,
    /// A system line or an unreadable line; continuation lines go with it.
    Skipped,
    Message(Draft),
}

struct Reader<'a> {
    limits: &'a Limits,
    phrases: &'a Phrases,
    day_first: bool,
    date_order: DateOrder,
    messages: Vec<ChatMessage>,
    /// For each message: its text starts with a left-to-right mark on an iOS line.
    marked: Vec<bool>,
    system: usize,
    problems: Vec<ChatProblem>,
    problems_omitted: usize,
    current: Current,
    lines_before_first: usize,
    seen_dated_line: bool,
    /// The name the chat's first line (the iOS encryption notice) was written under.
    chat_name: Option<String>,
}

impl<'a> Reader<'a> {
    fn new(
        limits: &'a Limits,
        phrases: &'a Phrases,
        day_first: bool,
        date_order: DateOrder,
    ) -> Self {
        Reader {
            limits,
            phrases,
            day_first,
            date_order,
            messages: Vec::new(),
            marked: Vec::new(),
            system: 0,
            problems: Vec::new(),
            problems_omitted: 0,
            current: Current::Start,
            lines_before_first: 0,
            seen_dated_line: false,
            chat_name: None,
        }
    }

    /// Reads one line; `false` once no more lines may be read.
    fn line(&mut self, number: usize, raw: &str) -> bool {
        let kept = cut_to(raw, self.limits.max_line_bytes);
        if kept.len() < raw.len() {
            self.problem(
                number,
                ProblemKind::LineCut {
                    bytes: raw.len(),
                    kept: kept.len(),
                },
            );
        }
        let line = clean_line(kept);
        let Some(header) = read_header(&line.text, &self.phrases.clock) else {
            self.continuation(&line.text);
            return true;
        };

        self.close();
        let first = !self.seen_dated_line;
        self.seen_dated_line = true;
        if first && self.lines_before_first > 0 {
            let lines = self.lines_before_first;
            self.problem(1, ProblemKind::TextBeforeFirstMessage { lines });
        }
        self.current = Current::Skipped;

        let at = match header.stamp.date_time(self.day_first) {
            Ok(at) => at,
            Err(Impossible::Date) => {
                let kind = ProblemKind::ImpossibleDate {
                    stamp: header.stamp_text.to_string(),
                    day_first: self.day_first,
                };
                self.problem(number, kind);
                return true;
            }
            Err(Impossible::Time) => {
                let kind = ProblemKind::ImpossibleTime {
                    stamp: header.stamp_text.to_string(),
                };
                self.problem(number, kind);
                return true;
            }
        };
        let Some((sender, text_at)) = split_sender(header.rest, self.phrases) else {
            self.system += 1;
            return true;
        };
        if self.messages.len() >= self.limits.max_messages {
            let limit = self.limits.max_messages;
            self.problem(number, ProblemKind::TooManyMessages { limit });
            return false;
        }
        let start = header.rest_at + text_at;
        let mut draft = Draft {
            line: number,
            at,
            sender: sender.to_string(),
            text: line.text.get(start..).unwrap_or("").to_string(),
            cut: false,
            marked: line.lrm_before(start),
            bracketed: header.bracketed,
            first,
        };
        if draft.text.len() > self.limits.max_message_bytes {
            let kept = cut_to(&draft.text, self.limits.max_message_bytes).len();
            draft.text.truncate(kept);
            draft.cut = true;
            self.problem(number, ProblemKind::MessageCut { kept });
        }
        self.current = Current::Message(draft);
        true
    }

    fn continuation(&mut self, text: &str) {
        let max = self.limits.max_message_bytes;
        let mut cut_at = None;
        match &mut self.current {
            Current::Start => {
                if !text.trim().is_empty() {
                    self.lines_before_first += 1;
                }
            }
            Current::Skipped => {}
            Current::Message(d) if d.cut => {}
            Current::Message(d) => {
                if d.text.len() + 1 + text.len() <= max {
                    d.text.push('\n');
                    d.text.push_str(text);
                } else {
                    d.cut = true;
                    cut_at = Some((d.line, d.text.len()));
                }
            }
        }
        if let Some((line, kept)) = cut_at {
            self.problem(line, ProblemKind::MessageCut { kept });
        }
    }

    /// Judges the message being read, if any, and keeps it or counts it as a system line.
    fn close(&mut self) {
        let Current::Message(d) = std::mem::replace(&mut self.current, Current::Skipped) else {
            return;
        };
        let text = read_text(&d.text, self.phrases);
        let chat_notice = d.first && d.bracketed && d.marked && !has_attachments(&text);
        if chat_notice {
            self.system += 1;
            self.chat_name = Some(d.sender);
            return;
        }
        match text {
            Text::Note => self.system += 1,
            Text::Message {
                text,
                attachments,
                edited,
            } => {
                self.marked.push(d.bracketed && d.marked);
                self.messages.push(ChatMessage {
                    line: d.line,
                    at: d.at,
                    sender: d.sender,
                    text,
                    attachments,
                    edited,
                });
            }
        }
    }

    fn problem(&mut self, line: usize, kind: ProblemKind) {
        if self.problems.len() < self.limits.max_problems {
            self.problems.push(ChatProblem { line, kind });
        } else {
            self.problems_omitted += 1;
        }
    }

    fn finish(mut self) -> Chat {
        self.close();
        if let Some(name) = self.chat_name.take() {
            let mut theirs = self
                .messages
                .iter()
                .zip(&self.marked)
                .filter(|(m, _)| m.sender == name)
                .peekable();
            let only_events = theirs.peek().is_some()
                && theirs.all(|(m, marked)| *marked && m.attachments.is_empty());
            if only_events {
                let before = self.messages.len();
                self.messages.retain(|m| m.sender != name);
                self.system += before - self.messages.len();
            }
        }
        self.problems.sort_by_key(|p| p.line);
        Chat {
            messages: self.messages,
            system: self.system,
            problems: self.problems,
            problems_omitted: self.problems_omitted,
            day_first: self.day_first,
            date_order: self.date_order,
        }
    }
}

fn has_attachments(text: &Text) -> bool {
    matches!(text, Text::Message { attachments, .. } if !attachments.is_empty())
}
