//! Ids that make importing a chat twice store nothing twice.
//!
//! An export carries no message ids, so an id is made from what the export does carry: the
//! chat, the sender, the minute (or second) and the text. Exporting the same chat again later
//! gives the same ids for the messages both exports hold, so a store can skip what it has.

use crate::chat::{Chat, ChatMessage};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A stable id for one message: hex SHA-256 over `chat_key`, sender, time, text and the number
/// of attachments.
///
/// `chat_key` names the chat for the caller (the buyer's number, the chat's title), so the same
/// "ok" in two chats gets two ids. The number of attachments counts, not their names, because
/// one export names a photo `IMG-20251231-WA0012.jpg` and an export without media writes
/// `<Media omitted>` for it. Two messages with the same sender, minute and text (two "ok" in a
/// minute) get the same id here; [`message_ids`] tells them apart.
pub fn message_id(chat_key: &str, m: &ChatMessage) -> String {
    let mut h = Sha256::new();
    for part in [
        "whatsapp",
        chat_key,
        &m.sender,
        &m.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        &m.text,
        &m.attachments.len().to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize())
}

/// Ids for every message of a chat, in order: [`message_id`], except that the second and later
/// messages with the same id get one made from that id and their count (`#2`, `#3`), so that
/// repeated messages are all kept and a second import still matches each to itself.
pub fn message_ids(chat_key: &str, chat: &Chat) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    chat.messages
        .iter()
        .map(|m| {
            let id = message_id(chat_key, m);
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                id
            } else {
                let mut h = Sha256::new();
                h.update(id.as_bytes());
                h.update(format!("#{n}").as_bytes());
                hex(&h.finalize())
            }
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    const CHAT: &str = "\
31/12/2025, 21:41 - Ana: ok
31/12/2025, 21:41 - Ana: ok
31/12/2025, 21:42 - Li Wei: 3.20 USD FOB Ningbo
";

    #[test]
    fn the_same_export_gives_the_same_ids() {
        let (Ok(a), Ok(b)) = (parse(CHAT), parse(CHAT)) else {
            panic!("fixture does not parse");
        };
        assert_eq!(message_ids("buyer-ana", &a), message_ids("buyer-ana", &b));
        assert_eq!(message_id("k", &a.messages[2]).len(), 64);
    }

    #[test]
    fn repeated_messages_keep_distinct_ids() {
        let Ok(chat) = parse(CHAT) else {
            panic!("fixture does not parse");
        };
        let ids = message_ids("buyer-ana", &chat);
        assert_eq!(ids[0], message_id("buyer-ana", &chat.messages[0]));
        assert_ne!(ids[0], ids[1]);
        assert_eq!(
            message_id("buyer-ana", &chat.messages[0]),
            message_id("buyer-ana", &chat.messages[1])
        );
    }

    #[test]
    fn chat_sender_time_and_text_all_count() {
        let Ok(chat) = parse(CHAT) else {
            panic!("fixture does not parse");
        };
        let m = &chat.messages[2];
        let base = message_id("k", m);
        assert_ne!(base, message_id("other chat", m));
        let mut other = m.clone();
        other.sender = "Ana".into();
        assert_ne!(base, message_id("k", &other));
        let mut other = m.clone();
        other.text.push('!');
        assert_ne!(base, message_id("k", &other));
        let mut other = m.clone();
        other.at += chrono::Duration::minutes(1);
        assert_ne!(base, message_id("k", &other));
    }

    #[test]
    fn attachment_names_do_not_count_only_their_number() {
        let Ok(chat) = parse(CHAT) else {
            panic!("fixture does not parse");
        };
        let mut a = chat.messages[2].clone();
        a.attachments = vec!["media".into()];
        let mut b = a.clone();
        b.attachments = vec!["IMG-20251231-WA0012.jpg".into()];
        assert_eq!(message_id("k", &a), message_id("k", &b));
        assert_ne!(message_id("k", &a), message_id("k", &chat.messages[2]));
    }
}
