//! Threading a set of messages: by Message-ID / In-Reply-To / References, then by normalised
//! subject between the same people when headers are missing (common with web-form and
//! platform notification mail).

use crate::parse::Message;
use crate::subject::normalise_subject;
use std::collections::HashMap;

/// A thread: indices into the input slice, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub messages: Vec<usize>,
}

/// Groups `messages` into threads. Each thread lists its messages oldest first (by `Date`,
/// then input order); threads are ordered by their first message.
pub fn build_threads(messages: &[Message]) -> Vec<Thread> {
    let mut sets = DisjointSets::new(messages.len());
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, m) in messages.iter().enumerate() {
        if let Some(id) = m.message_id.as_deref() {
            by_id.entry(id).or_insert(i);
        }
    }
    let mut linked = vec![false; messages.len()];
    for (i, m) in messages.iter().enumerate() {
        for parent in m.in_reply_to.iter().chain(m.references.iter()) {
            if let Some(&j) = by_id.get(parent.as_str()) {
                if j != i {
                    sets.union(i, j);
                    linked[i] = true;
                    linked[j] = true;
                }
            }
        }
    }
    // Subject fallback: only for messages the headers did not place, and only between
    // messages that share a participant, so two buyers asking "Inquiry" stay apart.
    let mut by_subject: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, m) in messages.iter().enumerate() {
        let key = normalise_subject(&m.subject);
        if key.chars().count() >= 3 {
            by_subject.entry(key).or_default().push(i);
        }
    }
    for group in by_subject.values() {
        for (a_pos, &a) in group.iter().enumerate() {
            for &b in &group[a_pos + 1..] {
                if (linked[a] && linked[b]) || sets.find(a) == sets.find(b) {
                    continue;
                }
                if share_participant(&messages[a], &messages[b]) {
                    sets.union(a, b);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..messages.len() {
        groups.entry(sets.find(i)).or_default().push(i);
    }
    let mut threads: Vec<Thread> = groups
        .into_values()
        .map(|mut idx| {
            idx.sort_by(|&a, &b| messages[a].date.cmp(&messages[b].date).then(a.cmp(&b)));
            Thread { messages: idx }
        })
        .collect();
    threads.sort_by_key(|t| t.messages.first().copied().unwrap_or(usize::MAX));
    threads
}

/// Lower-cased addresses of everyone on a message.
pub fn participants(m: &Message) -> Vec<String> {
    let mut out: Vec<String> = m
        .from
        .iter()
        .chain(m.reply_to.iter())
        .chain(m.to.iter())
        .chain(m.cc.iter())
        .filter_map(|a| a.email.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Each message's sender is among the other's participants (so a buyer's follow-up and the
/// seller's answer match, but two buyers who both wrote to the seller do not).
fn share_participant(a: &Message, b: &Message) -> bool {
    let sender = |m: &Message| m.from.as_ref().and_then(|f| f.email.clone());
    match (sender(a), sender(b)) {
        (Some(sa), Some(sb)) => participants(b).contains(&sa) && participants(a).contains(&sb),
        (None, None) => true,
        _ => false,
    }
}

struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets {
            parent: (0..n).collect(),
        }
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // Keep the smaller index as root so the thread is named by its first message.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_message, ParseLimits};

    fn msg(raw: &str) -> Message {
        parse_message(raw.as_bytes(), &ParseLimits::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn replies_join_their_parent_by_headers_even_out_of_order() {
        let reply = msg("From: seller@factory.cn\nTo: tom@buyer.co.uk\nMessage-ID: <2@f>\nIn-Reply-To: <1@b>\nSubject: Re: floodlights\nDate: Tue, 4 Mar 2025 09:00:00 +0800\n\nquote attached\n");
        let first = msg("From: tom@buyer.co.uk\nTo: seller@factory.cn\nMessage-ID: <1@b>\nSubject: floodlights\nDate: Mon, 3 Mar 2025 10:00:00 +0000\n\nplease quote\n");
        let other = msg("From: ana@compras.es\nTo: seller@factory.cn\nMessage-ID: <9@c>\nSubject: floodlights\nDate: Mon, 3 Mar 2025 11:00:00 +0000\n\nprecio?\n");
        let threads = build_threads(&[reply, first, other]);
        assert_eq!(threads.len(), 2);
        assert_eq!(threads[0].messages, vec![1, 0], "oldest first");
        assert_eq!(threads[1].messages, vec![2]);
    }

    #[test]
    fn subject_fallback_joins_messages_without_headers_between_the_same_people() {
        let a = msg("From: tom@buyer.co.uk\nTo: s@f.cn\nSubject: Solar street light\nDate: Mon, 3 Mar 2025 10:00:00 +0000\n\nhi\n");
        let b = msg("From: s@f.cn\nTo: tom@buyer.co.uk\nSubject: 回复：Solar street light\nDate: Mon, 3 Mar 2025 12:00:00 +0000\n\nhello\n");
        let c = msg("From: x@other.com\nTo: s@f.cn\nSubject: RE: Solar street light\nDate: Mon, 3 Mar 2025 12:00:00 +0000\n\nhello\n");
        let threads = build_threads(&[a, b, c]);
        assert_eq!(threads.len(), 2);
        assert_eq!(threads[0].messages, vec![0, 1]);
    }
}
