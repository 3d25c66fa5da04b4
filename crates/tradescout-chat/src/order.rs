//! Deciding, once per file, whether dates are written day first or month first.
//!
//! `03/04/2025` is the 3rd of April in most of the world and March 4th in the United States,
//! and the export does not say which. A phone writes every date of a file the same way, so the
//! order is decided from all the stamps of the file together, never line by line:
//!
//! 1. A first number above 12 can only be a day: day first. A second number above 12 can only be
//!    a day: month first. When both occur (two exports pasted together), the more frequent wins
//!    and the other lines become problems (their month would be above 12).
//! 2. When no number is above 12, the order under which the messages run forward in time wins:
//!    exports are written oldest first, so the wrong reading jumps back and forth between
//!    months.
//! 3. Otherwise day first, the way most of the world writes dates — recorded as a guess. AM/PM
//!    does not mean month first: India, Australia and others write `31/12/25, 9:41 pm`.
//!
//! Year-first dates (`2025/12/31`) need no decision.

use crate::chat::DateOrder;
use crate::stamp::Stamp;

/// Day first or not, and what that was decided from.
pub(crate) fn decide(stamps: &[Stamp]) -> (bool, DateOrder) {
    let ambiguous: Vec<&Stamp> = stamps.iter().filter(|s| !s.year_first).collect();
    if ambiguous.is_empty() {
        return (false, DateOrder::YearFirst);
    }
    let day_at = |n: u32| (13..=31).contains(&n);
    let first = ambiguous
        .iter()
        .filter(|s| day_at(s.fields[0]) && s.fields[1] <= 12)
        .count();
    let second = ambiguous
        .iter()
        .filter(|s| day_at(s.fields[1]) && s.fields[0] <= 12)
        .count();
    if first > 0 || second > 0 {
        return if first >= second {
            (true, DateOrder::FirstAbove12)
        } else {
            (false, DateOrder::SecondAbove12)
        };
    }
    let back_day_first = steps_back(&ambiguous, true);
    let back_month_first = steps_back(&ambiguous, false);
    match back_day_first.cmp(&back_month_first) {
        std::cmp::Ordering::Less => (true, DateOrder::Chronology),
        std::cmp::Ordering::Greater => (false, DateOrder::Chronology),
        std::cmp::Ordering::Equal => (true, DateOrder::Default),
    }
}

/// How often the next stamp is earlier than the one before, reading the dates one way.
/// Time of day counts too, but the same in both readings, so only dates tell them apart.
fn steps_back(stamps: &[&Stamp], day_first: bool) -> usize {
    let key = |s: &Stamp| {
        let (y, m, d) = s.ymd(day_first);
        (y, m, d, s.hour24().unwrap_or(0), s.minute, s.second)
    };
    stamps.windows(2).filter(|w| key(w[1]) < key(w[0])).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(a: u32, b: u32, y: u32) -> Stamp {
        Stamp {
            fields: [a, b, y],
            year_first: false,
            short_year: true,
            hour: 10,
            minute: 0,
            second: 0,
            meridiem: None,
        }
    }

    #[test]
    fn a_first_number_above_twelve_means_day_first() {
        let s = [stamp(3, 4, 25), stamp(13, 4, 25)];
        assert_eq!(decide(&s), (true, DateOrder::FirstAbove12));
    }

    #[test]
    fn a_second_number_above_twelve_means_month_first() {
        let s = [stamp(3, 4, 25), stamp(4, 13, 25)];
        assert_eq!(decide(&s), (false, DateOrder::SecondAbove12));
    }

    #[test]
    fn the_more_frequent_evidence_wins_when_both_occur() {
        let s = [stamp(4, 13, 25), stamp(4, 14, 25), stamp(15, 4, 25)];
        assert_eq!(decide(&s), (false, DateOrder::SecondAbove12));
    }

    #[test]
    fn chronology_settles_small_numbers() {
        // 1/2, 1/3, 2/1 runs forward only month first (Jan 2, Jan 3, Feb 1).
        let s = [stamp(1, 2, 25), stamp(1, 3, 25), stamp(2, 1, 25)];
        assert_eq!(decide(&s), (false, DateOrder::Chronology));
        // 2/1, 3/1, 1/2 runs forward only day first.
        let s = [stamp(2, 1, 25), stamp(3, 1, 25), stamp(1, 2, 25)];
        assert_eq!(decide(&s), (true, DateOrder::Chronology));
    }

    #[test]
    fn nothing_to_go_by_means_day_first_as_a_guess() {
        let s = [stamp(5, 5, 25), stamp(5, 5, 25)];
        assert_eq!(decide(&s), (true, DateOrder::Default));
        assert!(DateOrder::Default.is_guess());
    }

    #[test]
    fn year_first_files_need_no_decision() {
        let mut s = stamp(2025, 12, 31);
        s.year_first = true;
        assert_eq!(decide(&[s]), (false, DateOrder::YearFirst));
    }
}
