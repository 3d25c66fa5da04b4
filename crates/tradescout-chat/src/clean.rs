//! Removing what an export adds for display only: invisible direction marks and odd spaces.
//!
//! WhatsApp puts LEFT-TO-RIGHT and RIGHT-TO-LEFT marks (U+200E, U+200F) around dates, names,
//! attachment placeholders and system notes, and writes U+202F (narrow no-break space) before
//! AM/PM and U+00A0 in some languages' notes. None of them changes what the text says, so they
//! are removed (marks) or made plain spaces (spaces) before anything is read. U+200D (zero-width
//! joiner, part of emoji) and U+200C (zero-width non-joiner, part of Persian spelling) are kept.

/// A line with the marks removed, and where a LEFT-TO-RIGHT MARK stood.
///
/// iOS starts the text WhatsApp writes itself ("‎image omitted", "‎Ana added Li") with U+200E;
/// remembering where the marks were lets [`crate::parse`] tell such text from what people typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CleanLine {
    pub text: String,
    /// Byte offsets in `text` where a U+200E was removed (ascending, may repeat).
    pub lrm_at: Vec<usize>,
}

impl CleanLine {
    /// A U+200E stood right before byte `at` of the cleaned text.
    pub fn lrm_before(&self, at: usize) -> bool {
        self.lrm_at.binary_search(&at).is_ok()
    }
}

/// Cleans one line (no `\n` in it).
pub(crate) fn clean_line(raw: &str) -> CleanLine {
    let mut text = String::with_capacity(raw.len());
    let mut lrm_at = Vec::new();
    for c in raw.chars() {
        if c == '\u{200E}' {
            lrm_at.push(text.len());
        } else if is_invisible(c) {
        } else if is_odd_space(c) {
            text.push(' ');
        } else {
            text.push(c);
        }
    }
    CleanLine { text, lrm_at }
}

/// Direction and formatting marks that are never part of what someone wrote.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'                   // zero-width space
            | '\u{200E}'             // left-to-right mark
            | '\u{200F}'             // right-to-left mark
            | '\u{061C}'             // Arabic letter mark
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{FEFF}' // byte-order mark / zero-width no-break space
    )
}

/// Spaces that print like a space and mean one.
fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{2007}' | '\u{2009}' | '\u{200A}' | '\u{202F}' | '\u{3000}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_removed_and_odd_spaces_made_plain() {
        let c = clean_line("\u{200F}31\u{200F}/12\u{200F}/2025, 9:41\u{202F}PM - Ana:\u{00A0}hi");
        assert_eq!(c.text, "31/12/2025, 9:41 PM - Ana: hi");
        assert!(c.lrm_at.is_empty());
    }

    #[test]
    fn the_place_of_a_left_to_right_mark_is_remembered() {
        let c = clean_line("[1/2/25, 10:00:00] Ana: \u{200E}\u{200E}<attached: \u{200E}x.jpg>");
        assert_eq!(c.text, "[1/2/25, 10:00:00] Ana: <attached: x.jpg>");
        let start = c.text.find('<').unwrap_or(0);
        assert!(c.lrm_before(start));
        assert!(!c.lrm_before(0));
    }

    #[test]
    fn emoji_joiners_are_kept() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(clean_line(family).text, family);
        assert_eq!(clean_line("a\u{200F}b\u{202F}c").text, "ab c");
    }
}
