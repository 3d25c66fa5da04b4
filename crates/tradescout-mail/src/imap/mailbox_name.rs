//! Mailbox names on the wire: IMAP4rev1 servers expect modified UTF-7 (RFC 3501 §5.1.3), so a
//! folder shown as "已发送" is sent as "&XfJT0ZAB-".

use crate::error::MailError;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// Encodes a mailbox name as modified UTF-7. Names that are empty or hold control characters
/// are refused, since no server accepts them and they could break the command line.
pub fn encode_mailbox_name(name: &str) -> Result<String, MailError> {
    if name.is_empty() {
        return Err(MailError::MailboxName {
            name: name.to_string(),
            reason: "it is empty".into(),
        });
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(MailError::MailboxName {
            name: name.to_string(),
            reason: format!("it contains the control character {c:?}"),
        });
    }
    let mut out = String::with_capacity(name.len());
    let mut wide: Vec<u16> = Vec::new();
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush_wide(&mut wide, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut units = [0u16; 2];
            wide.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush_wide(&mut wide, &mut out);
    Ok(out)
}

/// Writes a run of non-ASCII characters as `&` + base64 of their UTF-16BE + `-`.
fn flush_wide(wide: &mut Vec<u16>, out: &mut String) {
    if wide.is_empty() {
        return;
    }
    let bytes: Vec<u8> = wide.iter().flat_map(|u| u.to_be_bytes()).collect();
    out.push('&');
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        // 3 bytes give 4 sextets; a shorter final chunk gives one more sextet than it has bytes,
        // and modified base64 drops the padding.
        for i in 0..=chunk.len() {
            let sextet = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(BASE64[sextet as usize]));
        }
    }
    out.push('-');
    wide.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(name: &str) -> String {
        match encode_mailbox_name(name) {
            Ok(s) => s,
            Err(e) => panic!("{name:?} refused: {e}"),
        }
    }

    #[test]
    fn ascii_names_pass_through_unchanged() {
        assert_eq!(enc("INBOX"), "INBOX");
        assert_eq!(enc("Sent Items/2024"), "Sent Items/2024");
    }

    #[test]
    fn ampersand_is_escaped() {
        assert_eq!(enc("R&D"), "R&-D");
    }

    #[test]
    fn non_ascii_names_become_modified_utf7() {
        // Examples from RFC 3501 §5.1.3 and common Chinese and German folder names.
        assert_eq!(
            enc("~peter/mail/台北/日本語"),
            "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
        );
        assert_eq!(enc("已发送"), "&XfJT0ZAB-");
        assert_eq!(enc("Entwürfe"), "Entw&APw-rfe");
        // Outside the BMP: a surrogate pair.
        assert_eq!(enc("📦"), "&2D3c5g-");
    }

    #[test]
    fn empty_and_control_characters_are_refused() {
        assert!(encode_mailbox_name("").is_err());
        assert!(encode_mailbox_name("INBOX\r\nA1 DELETE x").is_err());
    }
}
