//! Streaming mbox reader (mboxo and mboxrd): one message at a time, memory bounded by the
//! per-message limit whatever the file size.

use crate::error::{MailError, NotMessage};
use std::io::BufRead;

/// One message cut out of an mbox.
#[derive(Debug)]
pub struct MboxEntry {
    /// 1-based position of the message in the file.
    pub position: usize,
    /// Byte offset of its `From ` separator line.
    pub offset: u64,
    /// The message bytes, `>From ` escaping undone, the separator and trailing blank line removed.
    pub raw: Vec<u8>,
}

/// Reads messages from an mbox stream.
pub struct MboxReader<R> {
    input: R,
    max_message_bytes: u64,
    position: usize,
    offset: u64,
    line: Vec<u8>,
    /// The separator line of the next message has been read already.
    pending_separator: Option<u64>,
    started: bool,
    done: bool,
}

/// Result of reading one line with a length cap.
enum Line {
    Eof,
    /// The line (with its newline) is in the buffer.
    Whole,
    /// The line was longer than the cap; its bytes were consumed and dropped.
    Overlong(u64),
}

impl<R: BufRead> MboxReader<R> {
    /// A reader that refuses (reports and skips) messages larger than `max_message_bytes`.
    pub fn new(input: R, max_message_bytes: u64) -> Self {
        MboxReader {
            input,
            max_message_bytes,
            position: 0,
            offset: 0,
            line: Vec::with_capacity(1024),
            pending_separator: None,
            started: false,
            done: false,
        }
    }

    fn read_line(&mut self) -> std::io::Result<Line> {
        self.line.clear();
        let cap = self.max_message_bytes.max(1024);
        let mut dropped: u64 = 0;
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok(if dropped > 0 {
                    Line::Overlong(dropped)
                } else if self.line.is_empty() {
                    Line::Eof
                } else {
                    Line::Whole
                });
            }
            let (take, found) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            if dropped > 0 || self.line.len() as u64 + take as u64 > cap {
                dropped += self.line.len() as u64 + take as u64;
                self.line.clear();
            } else {
                self.line.extend_from_slice(&buf[..take]);
            }
            self.input.consume(take);
            self.offset += take as u64;
            if found {
                return Ok(if dropped > 0 {
                    Line::Overlong(dropped)
                } else {
                    Line::Whole
                });
            }
        }
    }
}

fn is_separator(line: &[u8], previous_blank: bool) -> bool {
    if !line.starts_with(b"From ") {
        return false;
    }
    if previous_blank {
        return true;
    }
    // mboxo writers do not always leave a blank line; accept a `From ` line that carries
    // a time of day (`From sender Mon Mar  3 10:15:00 2025`).
    line.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit())
        && line.len() < 200
}

/// Undo `>From ` quoting (mboxrd: one `>` removed from `>+From `; mboxo's `>From ` too).
fn unescape_from(line: &[u8]) -> &[u8] {
    let gts = line.iter().take_while(|b| **b == b'>').count();
    if gts > 0 && line[gts..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = Result<MboxEntry, MailError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        // Find the separator that starts this message.
        let start = match self.pending_separator.take() {
            Some(off) => off,
            None => loop {
                let line_start = self.offset;
                match self.read_line() {
                    Err(e) => {
                        self.done = true;
                        return Some(Err(io_error(e)));
                    }
                    Ok(Line::Eof) => {
                        self.done = true;
                        return None;
                    }
                    Ok(Line::Overlong(_)) => continue,
                    Ok(Line::Whole) => {
                        if is_separator(&self.line, true) {
                            break line_start;
                        }
                        if !self.started && !self.line.iter().all(|b| b.is_ascii_whitespace()) {
                            self.started = true;
                            self.done = true;
                            return Some(Err(MailError::NotAMessage(NotMessage::NotMbox)));
                        }
                    }
                }
            },
        };
        self.started = true;
        self.position += 1;
        let position = self.position;
        let mut raw: Vec<u8> = Vec::new();
        let mut size: u64 = 0;
        let mut oversize = false;
        let mut previous_blank = false;
        loop {
            let line_start = self.offset;
            match self.read_line() {
                Err(e) => {
                    self.done = true;
                    return Some(Err(io_error(e)));
                }
                Ok(Line::Eof) => {
                    self.done = true;
                    break;
                }
                Ok(Line::Overlong(n)) => {
                    size += n;
                    oversize = true;
                    raw = Vec::new();
                    previous_blank = false;
                }
                Ok(Line::Whole) => {
                    if is_separator(&self.line, previous_blank) {
                        self.pending_separator = Some(line_start);
                        break;
                    }
                    previous_blank = self.line == b"\n" || self.line == b"\r\n";
                    size += self.line.len() as u64;
                    if size > self.max_message_bytes {
                        oversize = true;
                        raw = Vec::new();
                    }
                    if !oversize {
                        raw.extend_from_slice(unescape_from(&self.line));
                    }
                }
            }
        }
        if oversize {
            return Some(Err(MailError::TooLarge {
                size,
                limit: self.max_message_bytes,
            }));
        }
        // The blank line before the next separator belongs to the mbox, not the message.
        if raw.ends_with(b"\r\n\r\n") {
            raw.truncate(raw.len() - 2);
        } else if raw.ends_with(b"\n\n") {
            raw.truncate(raw.len() - 1);
        }
        Some(Ok(MboxEntry {
            position,
            offset: start,
            raw,
        }))
    }
}

fn io_error(e: std::io::Error) -> MailError {
    MailError::Io {
        path: "mbox".into(),
        source: e,
    }
}

impl<R> MboxReader<R> {
    /// Position of the last message returned (1-based), for error reports.
    pub fn message_position(&self) -> usize {
        self.position
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(data: &[u8], max: u64) -> Vec<Result<MboxEntry, MailError>> {
        MboxReader::new(data, max).collect()
    }

    #[test]
    fn messages_are_cut_at_from_lines_and_unescaped() {
        let data = b"From a@x Mon Mar  3 10:15:00 2025\nSubject: one\n\n>From here\n>>From there\n\nFrom b@y Mon Mar  3 11:15:00 2025\nSubject: two\n\nbody\n";
        let got = read_all(data, 1 << 20);
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().map(|e| e.raw.clone()).unwrap_or_default();
        assert_eq!(first, b"Subject: one\n\nFrom here\n>From there\n".to_vec());
        let second = got[1].as_ref().map(|e| (e.position, e.raw.clone()));
        assert_eq!(second.ok(), Some((2, b"Subject: two\n\nbody\n".to_vec())));
    }

    #[test]
    fn a_from_word_at_line_start_inside_a_paragraph_does_not_split() {
        let data =
            b"From a@x Mon Mar  3 10:15:00 2025\nSubject: one\n\nWe ship\nFrom Ningbo port\n";
        let got = read_all(data, 1 << 20);
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn oversize_message_is_reported_and_the_next_one_still_read() {
        let mut data = b"From a@x Mon Mar  3 10:15:00 2025\nSubject: big\n\n".to_vec();
        for _ in 0..200 {
            data.extend_from_slice(&[b'x'; 99]);
            data.push(b'\n');
        }
        data.extend_from_slice(b"\nFrom b@y Mon Mar  3 11:15:00 2025\nSubject: small\n\nok\n");
        let got = read_all(&data, 4096);
        assert_eq!(got.len(), 2);
        assert!(matches!(got[0], Err(MailError::TooLarge { .. })));
        assert!(got[1].is_ok());
    }

    #[test]
    fn a_single_huge_line_does_not_grow_memory_past_the_limit() {
        let mut data = b"From a@x Mon Mar  3 10:15:00 2025\nSubject: big\n\n".to_vec();
        data.extend(std::iter::repeat_n(b'y', 100_000));
        data.extend_from_slice(b"\n\nFrom b@y Mon Mar  3 11:15:00 2025\nSubject: small\n\nok\n");
        let got = read_all(&data, 4096);
        assert_eq!(got.len(), 2);
        assert!(got[0].is_err());
        assert!(got[1].is_ok());
    }

    #[test]
    fn non_mbox_input_is_refused_with_a_reason() {
        let got = read_all(b"Subject: hi\n\nbody\n", 1 << 20);
        assert_eq!(got.len(), 1);
        let msg = got[0]
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.contains("From "));
    }

    #[test]
    fn crlf_mbox_is_read() {
        let data = b"From a@x Mon Mar  3 10:15:00 2025\r\nSubject: one\r\n\r\nbody\r\n\r\nFrom b@y Mon Mar  3 10:15:00 2025\r\nSubject: two\r\n\r\nx\r\n";
        let got = read_all(data, 1 << 20);
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().map(|e| e.raw.clone()).unwrap_or_default();
        assert_eq!(first, b"Subject: one\r\n\r\nbody\r\n".to_vec());
    }
}
