//! The one error type of this crate; every message names the input and the problem.

/// What a WhatsApp export looks like, for error messages.
const EXPECTED: &str = "expected lines such as `31/12/2025, 21:41 - Name: text` (Android) or \
                        `[31/12/2025, 21:41:07] Name: text` (iOS)";

/// Why a text (or archive) could not be read as a WhatsApp chat export at all.
///
/// A chat that reads but has unreadable lines is not an error: those lines are listed in
/// [`crate::Chat::problems`].
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// Nothing but whitespace.
    #[error("the chat export is empty; {}", EXPECTED)]
    Empty,
    /// Not one line starts with a date and time followed by ` - ` or `]`.
    #[error(
        "not a WhatsApp chat export: no line starts with a date and time; {}; its first line is {first_line:?}",
        EXPECTED
    )]
    NotAnExport {
        /// The first non-blank line, cut to 80 characters.
        first_line: String,
    },
    /// The bytes look like a zip archive but it cannot be read.
    #[error("cannot read the zip archive: {reason}")]
    Zip { reason: String },
    /// The zip archive holds no text file that reads as a chat.
    #[error(
        "the zip archive holds no WhatsApp chat: expected `_chat.txt` (iOS) or one `.txt` file \
         (Android); it holds {entries}"
    )]
    NoChatInArchive {
        /// The first few entry names, comma-separated.
        entries: String,
    },
    /// The chat file inside the archive is larger than the limit.
    #[error("{name} in the zip archive is over the limit of {limit} bytes")]
    TooLarge { name: String, limit: u64 },
}

/// The first non-blank line of `text`, cut to 80 characters, for [`ChatError::NotAnExport`].
pub(crate) fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(80)
        .collect()
}
