//! What is analysed: a thread of messages, oldest first, each from the buyer or the seller.

use serde::{Deserialize, Serialize};

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Buyer,
    Seller,
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct InputMessage {
    /// Buyer or seller, when known.
    pub role: Option<Role>,
    /// `Name <addr>`, `addr` or a bare name, as written.
    pub from: Option<String>,
    /// Other addresses on the message (To, Cc), used for context only.
    #[serde(default)]
    pub to: Vec<String>,
    /// ISO 8601 when known.
    pub date: Option<String>,
    pub subject: Option<String>,
    /// The new text of this message (quoted history already removed), signature included.
    pub text: String,
    /// The signature block, when it was split off (also still part of `text`).
    pub signature: Option<String>,
    /// Attachment file names, for scam checks (an `.html` attachment is a phishing sign).
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Links in an HTML body as (visible text, target), for phishing checks.
    #[serde(default)]
    pub links: Vec<(String, String)>,
}

#[cfg(test)]
impl InputMessage {
    /// A message with only its author's role and text, for tests.
    pub(crate) fn by(role: Role, text: &str) -> InputMessage {
        InputMessage {
            role: Some(role),
            text: text.to_string(),
            ..Default::default()
        }
    }
}

/// A thread, oldest message first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ThreadInput {
    pub messages: Vec<InputMessage>,
}

impl ThreadInput {
    /// One message from the buyer.
    pub fn single(text: &str) -> ThreadInput {
        ThreadInput {
            messages: vec![InputMessage {
                role: Some(Role::Buyer),
                text: text.to_string(),
                ..Default::default()
            }],
        }
    }

    /// Messages the buyer wrote, oldest first.
    pub fn buyer_messages(&self) -> impl DoubleEndedIterator<Item = &InputMessage> {
        self.messages
            .iter()
            .filter(|m| m.role != Some(Role::Seller))
    }

    /// Messages the seller wrote, oldest first.
    pub fn seller_messages(&self) -> impl DoubleEndedIterator<Item = &InputMessage> {
        self.messages
            .iter()
            .filter(|m| m.role == Some(Role::Seller))
    }
}
