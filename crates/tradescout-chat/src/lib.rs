//! Reading WhatsApp chat exports for tradescout.
//!
//! Buyers talk to exporters on WhatsApp as much as by e-mail. WhatsApp's "Export chat" writes
//! the conversation as a text file (Android: `WhatsApp Chat with Ana.txt`, inside a `.zip` on
//! recent versions; iOS: `_chat.txt` inside a `.zip`). This crate reads that text into
//! [`ChatMessage`]s: who wrote, when, what, and which files were attached.
//!
//! The file has no fixed format: every line starts with a date and time written the way the
//! exporting phone writes dates, in its language and clock style. The parser therefore reads the
//! *shape* of a line rather than one pattern:
//!
//! ```text
//! 12/31/25, 9:41 PM - Ana López: text          Android, US English
//! 31/12/2025, 21:41 - Ana: text                Android, most of the world
//! 31.12.25, 21:41 - Ana: text                  Android, German, Russian…
//! 2025/12/31 下午9:41 - 李明: text              Android, Chinese
//! [31/12/2025, 21:41:07] Ana López: text       iOS
//! ```
//!
//! The reading runs as a pipeline, one module a stage, each rule written on the function that
//! applies it: `clean` removes invisible direction marks, `stamp` reads the date and time that
//! start a line, `order` decides day-first or month-first once for the whole file, [`parse`]
//! groups lines into messages and system lines, `content` finds the sender, attachments and
//! WhatsApp's own notes, and [`id`] gives each message an id that survives importing twice.
//! The words WhatsApp writes itself, in each app language, are data: `data/whatsapp.toml`.
//!
//! Everything here reads text written by strangers: parsing never panics, memory is bounded by
//! [`Limits`], and a line that cannot be read is reported in [`Chat::problems`] with its line
//! number while parsing goes on.

#[cfg(feature = "zip")]
pub mod archive;
pub mod chat;
mod clean;
mod content;
pub mod error;
pub mod id;
mod order;
pub mod parse;
mod phrases;
mod stamp;

#[cfg(feature = "zip")]
pub use archive::{chat_text_from_zip, parse_zip, parse_zip_with};
pub use chat::{participants, Chat, ChatMessage, ChatProblem, DateOrder, ProblemKind};
pub use error::ChatError;
pub use id::{message_id, message_ids};
pub use parse::{parse, parse_bytes, parse_with, Limits};

/// Checks that the shipped phrase file (`data/whatsapp.toml`) reads; for tests and start-up checks.
pub fn check_phrases() -> Result<(), String> {
    phrases::check_shipped()
}
