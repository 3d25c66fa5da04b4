//! Splitting a message body into the new text, the signature and the quoted history; and
//! recovering the earlier messages that a forwarded or pasted thread carries in its body.
//!
//! Everything here is a pure function over `&str`: no I/O, no panics on any input, and work
//! linear in the size of the body. The words it looks for (localised header names, "wrote"
//! phrases, sign-offs, phone footers) live in `data/split.toml`.
//!
//! ```
//! use tradescout_mail::split::{split_reply, split_history};
//!
//! let body = "Please quote 500 pcs of the 100W flood light.\n\nBest regards,\nJohn\n\n\
//!             On Mon, Mar 3, 2025 at 10:15 AM Lily <lily@example.cn> wrote:\n\
//!             > Dear John, our MOQ is 300 pcs.\n";
//! let reply = split_reply(body);
//! assert_eq!(reply.without_signature(), "Please quote 500 pcs of the 100W flood light.");
//! assert_eq!(reply.signature.as_deref(), Some("Best regards,\nJohn"));
//! let history = split_history(body);
//! assert_eq!(history[0].text, "Dear John, our MOQ is 300 pcs.");
//! ```

mod date;
mod history;
mod html;
mod lines;
mod patterns;
mod quote_header;
mod reply;
mod signature;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

pub use html::html_new_text;
pub use patterns::{parse_split_data, SPLIT_TOML};

/// One message body split into what the sender wrote this time and what it quotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// The new text, signature included, quoted history removed. Every line of it is a line
    /// (or the start of a line) of the body.
    pub text: String,
    /// The sender's signature block: the end of `text`, from the sign-off or delimiter on.
    pub signature: Option<String>,
    /// The quoted history, from its first header or quoted line to the end of the body.
    pub quoted: Option<String>,
}

impl Reply {
    /// The new text with the signature removed, trimmed.
    pub fn without_signature(&self) -> &str {
        match &self.signature {
            Some(sig) => self
                .text
                .strip_suffix(sig.as_str())
                .unwrap_or(&self.text)
                .trim(),
            None => self.text.trim(),
        }
    }
}

/// One earlier message of a thread carried inside a body (quoted, forwarded or pasted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierMessage {
    /// The sender as written in the header ("John <j@x.com>").
    pub from: Option<String>,
    /// The date as written in the header.
    pub date: Option<String>,
    /// `date` read as a timestamp when its shape is known; dates without a zone read as UTC.
    pub date_parsed: Option<DateTime<FixedOffset>>,
    pub subject: Option<String>,
    pub to: Option<String>,
    /// That message's own new text, its own quoted history removed.
    pub text: String,
}

/// Splits a body into new text, signature and quoted history.
pub fn split_reply(body: &str) -> Reply {
    reply::split(body, &[])
}

/// [`split_reply`] knowing who sent the body ("John Doe <john.doe@example.com>", a name or an
/// address): a closing block that names the sender is a signature even without a sign-off
/// ("Stavros Xxxxxx / via mobile").
pub fn split_reply_from(body: &str, sender: &str) -> Reply {
    reply::split(body, &signature::sender_words(sender))
}

/// The earlier messages found in a body, oldest first; the newest (top) message is not
/// included.
pub fn split_history(body: &str) -> Vec<EarlierMessage> {
    history::split(body)
}
