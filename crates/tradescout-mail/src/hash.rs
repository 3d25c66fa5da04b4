//! The content hash that makes import idempotent.
//!
//! Mail clients and mbox writers add bookkeeping headers (`Status:`, `X-Mozilla-Status:`, …) to
//! a message they have seen; the same message read from an mbox and from a Maildir must still
//! hash the same, so those headers and line-ending differences are left out.

use sha2::{Digest, Sha256};

/// Header names (lower case) that mail stores rewrite and that therefore do not count.
const VOLATILE_HEADERS: &[&str] = &[
    "status",
    "x-status",
    "x-mozilla-status",
    "x-mozilla-status2",
    "x-mozilla-keys",
    "x-uid",
    "x-keywords",
    "x-imap",
    "x-imapbase",
    "lines",
    "content-length",
    "x-evolution",
    "delivered-to",
    "x-original-to",
];

/// Hex SHA-256 over the message with volatile headers removed and CRLF read as LF.
pub fn content_hash(raw: &[u8]) -> String {
    let mut hasher = Sha256::new();
    let mut in_headers = true;
    let mut skipping = false;
    for line in raw.split_inclusive(|b| *b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if in_headers {
            if body.is_empty() {
                in_headers = false;
                skipping = false;
            } else if body[0] == b' ' || body[0] == b'\t' {
                if skipping {
                    continue;
                }
            } else {
                skipping = is_volatile(body);
                if skipping {
                    continue;
                }
            }
        }
        hasher.update(body);
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn is_volatile(header_line: &[u8]) -> bool {
    let Some(colon) = header_line.iter().position(|b| *b == b':') else {
        return false;
    };
    let name = &header_line[..colon];
    VOLATILE_HEADERS
        .iter()
        .any(|v| v.as_bytes().eq_ignore_ascii_case(name.trim_ascii()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ignores_status_headers_and_line_endings() {
        let a = b"From: a@b.c\nSubject: hi\n\nbody\n";
        let b =
            b"From: a@b.c\r\nStatus: RO\r\nX-Mozilla-Status: 0001\r\nSubject: hi\r\n\r\nbody\r\n";
        assert_eq!(content_hash(a), content_hash(b));
    }

    #[test]
    fn hash_changes_when_the_body_changes() {
        let a = b"From: a@b.c\n\nbody one\n";
        let b = b"From: a@b.c\n\nbody two\n";
        assert_ne!(content_hash(a), content_hash(b));
        assert_eq!(content_hash(a).len(), 64);
    }

    #[test]
    fn status_lines_in_the_body_still_count() {
        let a = b"From: a@b.c\n\nStatus: shipped\n";
        let b = b"From: a@b.c\n\nStatus: pending\n";
        assert_ne!(content_hash(a), content_hash(b));
    }
}
