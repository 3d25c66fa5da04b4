//! Reading mail for tradescout: RFC 5322/MIME messages in any charset, mbox (mboxo/mboxrd),
//! Maildir and folders of those, threading, splitting the new text of a message from its
//! quoted history and signature, and IMAP sync.
//!
//! Everything here reads bytes written by strangers: parsing never panics, every size is
//! capped, and errors name the input and the problem.

pub mod error;
pub mod hash;
#[cfg(feature = "imap")]
pub mod imap;
pub mod maildir;
pub mod mbox;
pub mod parse;
pub mod source;
pub mod split;
pub mod subject;
pub mod thread;

pub use error::{MailError, NotMessage};
pub use parse::{parse_message, Address, Attachment, Message, ParseLimits};
