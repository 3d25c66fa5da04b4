//! Bytes to text as the lists deliver it: UTF-8, or Windows-1252/Latin-1 for older exports.

use std::borrow::Cow;

/// Longest name or alias kept; list names are far shorter, so anything longer is damage.
pub(crate) const MAX_NAME_CHARS: usize = 512;

/// UTF-8 when valid (a byte-order mark dropped), otherwise each byte as its Latin-1 character.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| b as char).collect()),
    }
}

/// A trimmed field, or `None` when empty or OFAC's "-0-" placeholder.
pub(crate) fn field(bytes: Option<&[u8]>) -> Option<String> {
    let text = decode(bytes?);
    let text = text.trim();
    if text.is_empty() || text == "-0-" {
        return None;
    }
    Some(clip(text))
}

/// At most [`MAX_NAME_CHARS`] characters.
pub(crate) fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_NAME_CHARS) {
        Some((end, _)) => text[..end].to_string(),
        None => text.to_string(),
    }
}
