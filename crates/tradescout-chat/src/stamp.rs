//! Reading the date and time that start a message line.
//!
//! Every export line that starts a message or a system note begins with a stamp, written the
//! way the exporting phone writes dates and times:
//!
//! - Android: `DATE[,] [connector] TIME - ` — `12/31/25, 9:41 PM - `, `31.12.25, 21:41 - `,
//!   `2025/12/31 下午9:41 - `, `31/12/2025 à 21:41 - `.
//! - iOS: `[DATE[,] TIME] ` — `[31/12/2025, 21:41:07] `, `[12/31/25, 9:41:07 PM] `.
//!
//! The rules, in reading order (marks already removed, odd spaces already plain):
//!
//! 1. An optional `[` (iOS).
//! 2. The date: three numbers joined by the same `/`, `.` or `-`, spaces allowed after the
//!    joiner (Korean `2025. 12. 31.`), a trailing `.` allowed after a dotted date. A first
//!    number of four digits is a year and the date is year, month, day; otherwise the first two
//!    numbers have one or two digits and the year two or four. Arabic-Indic and Persian digits
//!    count like 0–9.
//! 3. A comma (`,` or Arabic `،`) and/or spaces, then optionally a connector word (`à`, `klo`).
//! 4. The time: `H:MM` or `H:MM:SS` (`.` also joins, as Finnish `21.41`), with an AM/PM word
//!    before it (`下午9:41`, `오후 9:41`) or after it (`9:41 PM`, `9:41 p. m.`, `9:41 م`).
//! 5. iOS: `]` then a space. Android: spaces, a dash (`-`, `–` or `—`), then a space or the end.
//!
//! A line that fits this shape is a stamped line even when its numbers are impossible
//! (`31/02/2025`, `25:10`); [`Stamp::date_time`] says which part is wrong. Which of the first two
//! numbers is the day is decided for the whole file (see `order`), so a stamp keeps the numbers
//! as written.

use crate::phrases::Clock;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The date and time of a stamped line, numbers as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// The three date numbers, left to right.
    pub fields: [u32; 3],
    /// The first number has four digits: year, month, day.
    pub year_first: bool,
    /// The year has two digits (`25` for 2025).
    pub short_year: bool,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub meridiem: Option<Meridiem>,
}

/// An AM/PM word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meridiem {
    Am,
    Pm,
    /// Chinese 中午, the hours around noon: 11 and 12 as they are, 1 and 2 after noon.
    Noon,
}

/// What part of a stamp does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Impossible {
    Date,
    Time,
}

/// A stamped line, split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header<'a> {
    pub stamp: Stamp,
    /// Written `[…]` (iOS).
    pub bracketed: bool,
    /// The date and time as written, for problem reports.
    pub stamp_text: &'a str,
    /// Everything after the stamp and its separator: `Sender: text`, or a system note.
    pub rest: &'a str,
    /// Byte offset of `rest` in the line.
    pub rest_at: usize,
}

impl Stamp {
    /// The numbers read as year, month, day.
    pub fn ymd(&self, day_first: bool) -> (u32, u32, u32) {
        let [a, b, c] = self.fields;
        let (y, m, d) = if self.year_first {
            (a, b, c)
        } else if day_first {
            (c, b, a)
        } else {
            (c, a, b)
        };
        (if self.short_year { 2000 + y } else { y }, m, d)
    }

    /// The hour on a 24-hour clock, if the hour fits its AM/PM word.
    pub fn hour24(&self) -> Option<u32> {
        match (self.meridiem, self.hour) {
            (None, h) if h < 24 => Some(h),
            (Some(Meridiem::Am), h) if h <= 12 => Some(h % 12),
            (Some(Meridiem::Pm), h) if h <= 12 => Some(h % 12 + 12),
            (Some(Meridiem::Noon), h @ (11 | 12)) => Some(h),
            (Some(Meridiem::Noon), h) if h <= 2 => Some(h + 12),
            _ => None,
        }
    }

    /// The moment, with the day and month order of the file.
    pub fn date_time(&self, day_first: bool) -> Result<NaiveDateTime, Impossible> {
        let (y, m, d) = self.ymd(day_first);
        let date = i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
            .ok_or(Impossible::Date)?;
        let time = self
            .hour24()
            .and_then(|h| NaiveTime::from_hms_opt(h, self.minute, self.second))
            .ok_or(Impossible::Time)?;
        Ok(date.and_time(time))
    }
}

/// Reads the stamp at the start of `line`, or `None` when the line does not start with one.
pub(crate) fn read_header<'a>(line: &'a str, clock: &Clock) -> Option<Header<'a>> {
    let mut c = Cursor { s: line, i: 0 };
    c.spaces();
    let bracketed = c.eat('[');
    c.spaces();
    let stamp_start = c.i;

    let (a, a_digits) = c.number(4)?;
    let sep = c.peek().filter(|ch| matches!(ch, '/' | '.' | '-'))?;
    c.bump();
    c.spaces();
    let (b, b_digits) = c.number(2)?;
    if !c.eat(sep) {
        return None;
    }
    c.spaces();
    let (y, y_digits) = c.number(4)?;
    let year_first = a_digits == 4;
    let fits = if year_first {
        y_digits <= 2
    } else {
        a_digits <= 2 && (y_digits == 2 || y_digits == 4)
    };
    if !fits || b_digits == 0 {
        return None;
    }
    if sep == '.' {
        c.eat('.');
    }

    let comma = c.eat(',') || c.eat('،');
    let gap = c.spaces();
    if !comma && gap == 0 {
        return None;
    }
    let mark = c.i;
    if clock.connectors.iter().any(|w| c.eat_word(w)) && c.spaces() == 0 {
        c.i = mark;
    }

    let before = c.meridiem(clock);
    if before.is_some() {
        c.spaces();
    }
    let (hour, _) = c.number(2)?;
    let tsep = c.peek().filter(|ch| matches!(ch, ':' | '.'))?;
    c.bump();
    let (minute, m_digits) = c.number(2)?;
    if m_digits != 2 {
        return None;
    }
    let mut second = 0;
    let mark = c.i;
    if c.eat(tsep) {
        match c.number(2) {
            Some((s, 2)) => second = s,
            _ => c.i = mark,
        }
    }
    let mark = c.i;
    c.spaces();
    let after = if before.is_none() {
        c.meridiem(clock)
    } else {
        None
    };
    if after.is_none() {
        c.i = mark;
    }
    let stamp_text = line.get(stamp_start..c.i).unwrap_or("").trim_end();

    if bracketed {
        c.spaces();
        if !c.eat(']') {
            return None;
        }
        c.spaces();
    } else {
        if c.spaces() == 0 {
            return None;
        }
        if !(c.eat('-') || c.eat('–') || c.eat('—')) {
            return None;
        }
        if c.spaces() == 0 && !c.at_end() {
            return None;
        }
    }

    Some(Header {
        stamp: Stamp {
            fields: [a, b, y],
            year_first,
            short_year: !year_first && y_digits == 2,
            hour,
            minute,
            second,
            meridiem: before.or(after),
        },
        bracketed,
        stamp_text,
        rest: line.get(c.i..).unwrap_or(""),
        rest_at: c.i,
    })
}

/// A position in a line; `i` is always on a character boundary.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn tail(&self) -> &str {
        self.s.get(self.i..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.tail().chars().next()
    }

    fn at_end(&self) -> bool {
        self.tail().is_empty()
    }

    fn bump(&mut self) {
        if let Some(ch) = self.peek() {
            self.i += ch.len_utf8();
        }
    }

    fn eat(&mut self, want: char) -> bool {
        if self.peek() == Some(want) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Skips spaces and tabs; how many.
    fn spaces(&mut self) -> usize {
        let mut n = 0;
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
            n += 1;
        }
        n
    }

    /// Reads 1 to `max` digits; their value and how many there were. More than `max` digits is
    /// not a date or time number.
    fn number(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.i;
        let mut value: u32 = 0;
        let mut n = 0;
        while let Some(d) = self.peek().and_then(digit) {
            n += 1;
            if n > max {
                self.i = start;
                return None;
            }
            value = value * 10 + d;
            self.bump();
        }
        (n > 0).then_some((value, n))
    }

    /// Eats `word` (letter case ignored) when it stands alone: not followed by a letter.
    fn eat_word(&mut self, word: &str) -> bool {
        let tail = self.tail();
        let Some(head) = tail.get(..word.len()) else {
            return false;
        };
        let same = head.eq_ignore_ascii_case(word)
            || head
                .chars()
                .flat_map(char::to_lowercase)
                .eq(word.chars().flat_map(char::to_lowercase));
        if !same {
            return false;
        }
        let next = tail.get(word.len()..).and_then(|t| t.chars().next());
        let ends_in_letter = word.chars().last().is_some_and(char::is_alphabetic);
        if ends_in_letter && next.is_some_and(char::is_alphabetic) {
            return false;
        }
        self.i += word.len();
        true
    }

    fn meridiem(&mut self, clock: &Clock) -> Option<Meridiem> {
        let first = self.peek()?.to_lowercase().next()?;
        // The longest word that fits wins, across all three lists: "p. m." over "p.m" and "pm".
        let mut best: Option<(usize, Meridiem)> = None;
        for (words, m) in [
            (&clock.am, Meridiem::Am),
            (&clock.pm, Meridiem::Pm),
            (&clock.noon, Meridiem::Noon),
        ] {
            for w in words {
                if w.chars().next().and_then(|c| c.to_lowercase().next()) != Some(first) {
                    continue;
                }
                let mark = self.i;
                if self.eat_word(w) {
                    let len = self.i - mark;
                    self.i = mark;
                    if best.is_none_or(|(l, _)| len > l) {
                        best = Some((len, m));
                    }
                }
            }
        }
        let (len, m) = best?;
        self.i += len;
        Some(m)
    }
}

/// The value of a decimal digit: ASCII, Arabic-Indic (٠–٩) or Persian (۰–۹).
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phrases::phrases;

    fn header(line: &str) -> Option<Header<'_>> {
        read_header(line, &phrases().clock)
    }

    fn at(line: &str, day_first: bool) -> String {
        header(line)
            .and_then(|h| h.stamp.date_time(day_first).ok())
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn android_us_twelve_hour_with_narrow_space_is_read() {
        let h = header("12/31/25, 9:41 PM - Ana López: hi");
        assert!(h.is_some_and(|h| h.rest == "Ana López: hi" && !h.bracketed));
        assert_eq!(
            at("12/31/25, 9:41 PM - Ana: hi", false),
            "2025-12-31 21:41:00"
        );
        assert_eq!(
            at("1/2/25, 12:05 AM - Ana: hi", false),
            "2025-01-02 00:05:00"
        );
        assert_eq!(
            at("1/2/25, 12:05 PM - Ana: hi", false),
            "2025-01-02 12:05:00"
        );
    }

    #[test]
    fn android_day_first_shapes_are_read() {
        for line in [
            "31/12/2025, 21:41 - Ana: x",
            "31.12.25, 21:41 - Ana: x",
            "31/12/2025 21:41 - Ana: x",
            "31-12-2025 21:41 - Ana: x",
            "31/12/2025 à 21:41 - Ana: x",
            "31.12.2025 klo 21.41 - Ana: x",
            "31/12/2025, 9:41 p. m. - Ana: x",
            "31/12/2025, 9:41 pm - Ana: x",
            "31/12/2025, 21:41:00 - Ana: x",
        ] {
            assert_eq!(at(line, true), "2025-12-31 21:41:00", "{line}");
        }
    }

    #[test]
    fn year_first_and_east_asian_words_are_read() {
        assert_eq!(
            at("2025/12/31 21:41 - 李明: x", true),
            "2025-12-31 21:41:00"
        );
        assert_eq!(
            at("2025/12/31 下午9:41 - 李明: x", true),
            "2025-12-31 21:41:00"
        );
        assert_eq!(
            at("2025/12/31 上午12:10 - 李明: x", true),
            "2025-12-31 00:10:00"
        );
        assert_eq!(
            at("2025/12/31 中午12:10 - 李明: x", true),
            "2025-12-31 12:10:00"
        );
        assert_eq!(
            at("2025/12/31 中午1:10 - 李明: x", true),
            "2025-12-31 13:10:00"
        );
        assert_eq!(
            at("2025/12/31 午後9:41 - 田中: x", true),
            "2025-12-31 21:41:00"
        );
        assert_eq!(
            at("2025. 12. 31. 오후 9:41 - 김: x", true),
            "2025-12-31 21:41:00"
        );
    }

    #[test]
    fn arabic_digits_comma_and_meridiem_are_read() {
        assert_eq!(
            at("٣١/١٢/٢٠٢٥، ٩:٤١ م - سالم: x", true),
            "2025-12-31 21:41:00"
        );
        assert_eq!(
            at("31/12/2025، 9:41 ص - سالم: x", true),
            "2025-12-31 09:41:00"
        );
    }

    #[test]
    fn ios_brackets_and_seconds_are_read() {
        let h = header("[31/12/2025, 21:41:07] Ana López: text");
        assert!(h.is_some_and(|h| h.bracketed && h.rest == "Ana López: text"));
        assert_eq!(
            at("[12/31/25, 9:41:07 PM] Ana: x", false),
            "2025-12-31 21:41:07"
        );
        assert_eq!(
            at("[2025/12/31 下午9:41:07] 李: x", true),
            "2025-12-31 21:41:07"
        );
        assert_eq!(
            header("[31/12/2025, 21:41:07] Ana: t").map(|h| h.stamp_text),
            Some("31/12/2025, 21:41:07")
        );
    }

    #[test]
    fn lines_that_only_resemble_a_stamp_are_not_stamped() {
        for line in [
            "31/12/2025 delivery is fine",
            "12/31/25 9:41 PM Ana: no dash",
            "Price 31.12: 5 USD",
            "2025/12/31 21:41 Ana: no dash",
            "[31/12/2025, 21:41:07 Ana: no bracket",
            "123/12/2025, 21:41 - three-digit day",
            "31/12/202, 21:41 - three-digit year",
            "31/12/2025, 21:4 - one-digit minute",
            "31/12-2025, 21:41 - mixed joiners",
            "31/12/2025,21:41-x",
            "",
            "-",
        ] {
            assert!(header(line).is_none(), "{line}");
        }
    }

    #[test]
    fn impossible_numbers_keep_the_shape_and_fail_the_reading() {
        let h = header("31/02/2025, 10:00 - Ana: x");
        assert!(h.is_some());
        assert_eq!(
            h.map(|h| h.stamp.date_time(true)),
            Some(Err(Impossible::Date))
        );
        let h = header("12/01/2025, 25:10 - Ana: x");
        assert_eq!(
            h.map(|h| h.stamp.date_time(true)),
            Some(Err(Impossible::Time))
        );
        let h = header("12/01/2025, 13:05 PM - Ana: x");
        assert_eq!(
            h.map(|h| h.stamp.date_time(true)),
            Some(Err(Impossible::Time))
        );
    }

    #[test]
    fn a_dash_at_the_end_leaves_nothing_after_it() {
        assert!(header("31/12/2025, 21:41 -").is_some_and(|h| h.rest.is_empty()));
    }
}
