//! Line-level helpers shared by the splitters: cutting a body into lines and telling quoted,
//! empty and address-bearing lines apart without allocating.

/// The lines of `body`, split on `\n` with a trailing `\r` removed. Slices of `body`.
pub(crate) fn split_lines(body: &str) -> Vec<&str> {
    body.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Whether the line is empty or only whitespace (non-breaking spaces included).
pub(crate) fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || c == '\u{a0}')
}

/// Whether the line is `>`-quoted ("> text", ">> text", "  > text").
pub(crate) fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// The line with one level of `>` quoting removed ("> > a" becomes "> a").
pub(crate) fn dequote(line: &str) -> &str {
    let t = line.trim_start();
    match t.strip_prefix('>') {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
        None => line,
    }
}

/// Whether `s` holds something shaped like an email address (`x@y.z`).
pub(crate) fn has_email(s: &str) -> bool {
    find_email(s).is_some()
}

/// Byte range of the first email address in `s`.
pub(crate) fn find_email(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(off) = s.get(from..).and_then(|t| t.find('@')) {
        let at = from + off;
        let is_local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b);
        let is_domain = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
        let mut start = at;
        while start > 0 && is_local(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &bytes[at + 1..end];
        if start < at && domain.contains(&b'.') && domain.first() != Some(&b'.') {
            return Some((start, end));
        }
        from = at + 1;
    }
    None
}

/// Byte range of the last email address in `s`.
pub(crate) fn find_last_email(s: &str) -> Option<(usize, usize)> {
    let mut found = None;
    let mut from = 0;
    while let Some((a, b)) = s.get(from..).and_then(find_email) {
        found = Some((from + a, from + b));
        from += b;
    }
    found
}

/// Whether `s` holds a clock time such as "10:15" or "21.21".
pub(crate) fn has_time(s: &str) -> bool {
    let b = s.as_bytes();
    (1..b.len().saturating_sub(2)).any(|i| {
        (b[i] == b':' || b[i] == b'.')
            && b[i - 1].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_digit())
    })
}

/// Whether `s` holds a four-digit year-like number (1900–2099).
pub(crate) fn has_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        (w[0] == b'1' && w[1] == b'9' || w[0] == b'2' && w[1] == b'0')
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
    })
}

/// Whether `s` holds any ASCII digit.
pub(crate) fn has_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
}

/// Number of whitespace-separated words.
pub(crate) fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}
