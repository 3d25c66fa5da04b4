//! Fetching new messages by UID: list the UIDs above the last one stored with their sizes,
//! plan batches, then fetch each batch's content in one round trip.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use futures::StreamExt;

use super::ImapClient;
use crate::error::MailError;

/// One message as the server stores it, byte for byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMessage {
    pub uid: u32,
    pub raw: Vec<u8>,
}

/// A message that was not fetched, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedMessage {
    pub uid: u32,
    pub reason: SkipReason,
}

/// Why a message was not fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Larger than the caller's limit; `size` is what the server reported or sent.
    TooLarge { size: u64, limit: u64 },
    /// Listed as new, but the server returned no content for it (usually deleted meanwhile).
    Missing,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::TooLarge { size, limit } => {
                write!(
                    f,
                    "message is {size} bytes, over the limit of {limit} bytes"
                )
            }
            SkipReason::Missing => f.write_str("the server returned no content for it"),
        }
    }
}

/// The result of one FETCH round trip. Storing `messages` and `skipped` and then remembering
/// `last_uid` makes the sync resumable: the next run starts with `after_uid = last_uid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchBatch {
    /// In ascending UID order.
    pub messages: Vec<FetchedMessage>,
    pub skipped: Vec<SkippedMessage>,
    /// The highest UID this batch accounts for, fetched or skipped.
    pub last_uid: u32,
}

/// Totals over a whole [`ImapClient::fetch_after`] run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchSummary {
    pub fetched: usize,
    pub skipped: Vec<SkippedMessage>,
    pub batches: usize,
    /// The highest UID accounted for, if there was anything new.
    pub last_uid: Option<u32>,
}

impl ImapClient {
    /// Lists the messages of the selected mailbox with a UID above `after_uid` and plans their
    /// fetch in batches of at most `batch` messages; messages over `max_bytes` are planned as
    /// skipped. Pull the batches with [`NewMessages::next_batch`].
    pub async fn new_messages(
        &mut self,
        after_uid: u32,
        batch: usize,
        max_bytes: u64,
    ) -> Result<NewMessages<'_>, MailError> {
        let mailbox = self.selected_mailbox()?;
        let listed = match after_uid.checked_add(1) {
            Some(first) => self.list_sizes(&mailbox, first).await?,
            None => Vec::new(),
        };
        // `n:*` always matches the highest UID, even when it is below n: keep only newer ones.
        let mut listed: Vec<(u32, Option<u64>)> = listed
            .into_iter()
            .filter(|(uid, _)| *uid > after_uid)
            .collect();
        listed.sort_unstable_by_key(|(uid, _)| *uid);
        listed.dedup_by_key(|(uid, _)| *uid);
        Ok(NewMessages {
            plan: plan_batches(&listed, batch.max(1), max_bytes),
            client: self,
            mailbox,
            max_bytes,
        })
    }

    /// Fetches the messages of the selected mailbox with a UID above `after_uid`, in ascending
    /// UID order and at most `batch` per FETCH round trip, handing each round trip to
    /// `on_batch` before starting the next. Messages are fetched with `BODY.PEEK`, so their
    /// \Seen flag is left alone. An error from `on_batch` stops the fetch and is returned.
    ///
    /// For an async consumer (a database, say), use [`ImapClient::new_messages`] instead.
    pub async fn fetch_after<F>(
        &mut self,
        after_uid: u32,
        batch: usize,
        max_bytes: u64,
        mut on_batch: F,
    ) -> Result<FetchSummary, MailError>
    where
        F: FnMut(FetchBatch) -> Result<(), MailError>,
    {
        let mut new = self.new_messages(after_uid, batch, max_bytes).await?;
        let mut summary = FetchSummary::default();
        while let Some(batch) = new.next_batch().await? {
            summary.fetched += batch.messages.len();
            summary.skipped.extend(batch.skipped.iter().cloned());
            summary.batches += 1;
            summary.last_uid = Some(batch.last_uid);
            on_batch(batch)?;
        }
        Ok(summary)
    }

    /// UIDs from `first` up with their RFC822.SIZE, one round trip, no message content.
    async fn list_sizes(
        &mut self,
        mailbox: &str,
        first: u32,
    ) -> Result<Vec<(u32, Option<u64>)>, MailError> {
        let action = format!("listing new messages in mailbox {mailbox:?}");
        let query = format!("{first}:*");
        let fetches = self
            .peer
            .bounded(&action, self.session.uid_fetch(&query, "(UID RFC822.SIZE)"))
            .await?
            .map_err(|e| {
                self.peer
                    .mailbox_error(mailbox, "cannot list new messages", &e)
            })?;
        let mut fetches = fetches;
        let mut listed = Vec::new();
        while let Some(item) = self.peer.bounded(&action, fetches.next()).await? {
            let fetch = item.map_err(|e| {
                self.peer
                    .mailbox_error(mailbox, "cannot list new messages", &e)
            })?;
            if let Some(uid) = fetch.uid {
                listed.push((uid, fetch.size.map(u64::from)));
            }
        }
        drop(fetches);
        self.drain_unsolicited();
        Ok(listed)
    }

    /// Fetches the content of `uids`, capped at `max_bytes + 1` bytes each so an oversized
    /// message is never held in full even when the server under-reported its size.
    async fn fetch_contents(
        &mut self,
        mailbox: &str,
        uids: &[u32],
        max_bytes: u64,
    ) -> Result<HashMap<u32, Vec<u8>>, MailError> {
        let action = format!("fetching messages from mailbox {mailbox:?}");
        let query = match u32::try_from(max_bytes.saturating_add(1)) {
            Ok(cap) => format!("(UID BODY.PEEK[]<0.{cap}>)"),
            Err(_) => "(UID BODY.PEEK[])".to_string(),
        };
        let set = uid_set(uids);
        let fetches = self
            .peer
            .bounded(&action, self.session.uid_fetch(&set, &query))
            .await?
            .map_err(|e| {
                self.peer
                    .mailbox_error(mailbox, "cannot fetch messages", &e)
            })?;
        let mut fetches = fetches;
        let mut contents = HashMap::with_capacity(uids.len());
        while let Some(item) = self.peer.bounded(&action, fetches.next()).await? {
            let fetch = item.map_err(|e| {
                self.peer
                    .mailbox_error(mailbox, "cannot fetch messages", &e)
            })?;
            // Servers may also send FETCH responses for flag changes; keep only asked-for UIDs.
            if let (Some(uid), Some(body)) = (fetch.uid, fetch.body()) {
                if uids.binary_search(&uid).is_ok() {
                    contents.insert(uid, body.to_vec());
                }
            }
        }
        drop(fetches);
        self.drain_unsolicited();
        Ok(contents)
    }

    /// Unsolicited responses (EXISTS, EXPUNGE…) are not used; empty the bounded channel so it
    /// never holds stale ones.
    fn drain_unsolicited(&mut self) {
        while self.session.unsolicited_responses.try_recv().is_ok() {}
    }
}

/// The planned fetch of new messages, pulled one FETCH round trip at a time.
pub struct NewMessages<'a> {
    client: &'a mut ImapClient,
    mailbox: String,
    plan: VecDeque<PlannedBatch>,
    max_bytes: u64,
}

impl NewMessages<'_> {
    /// Messages still to fetch (not counting those planned as skipped), for progress reports.
    pub fn remaining(&self) -> usize {
        self.plan.iter().map(|b| b.uids.len()).sum()
    }

    /// Fetches the next batch; `None` when all new messages have been handed out.
    pub async fn next_batch(&mut self) -> Result<Option<FetchBatch>, MailError> {
        let Some(planned) = self.plan.pop_front() else {
            return Ok(None);
        };
        let mut contents = if planned.uids.is_empty() {
            HashMap::new()
        } else {
            self.client
                .fetch_contents(&self.mailbox, &planned.uids, self.max_bytes)
                .await?
        };
        let mut batch = FetchBatch {
            messages: Vec::with_capacity(planned.uids.len()),
            skipped: planned.skipped,
            last_uid: planned.last_uid,
        };
        for uid in planned.uids {
            match contents.remove(&uid) {
                Some(raw) if raw.len() as u64 > self.max_bytes => {
                    batch.skipped.push(SkippedMessage {
                        uid,
                        reason: SkipReason::TooLarge {
                            size: raw.len() as u64,
                            limit: self.max_bytes,
                        },
                    })
                }
                Some(raw) => batch.messages.push(FetchedMessage { uid, raw }),
                None => batch.skipped.push(SkippedMessage {
                    uid,
                    reason: SkipReason::Missing,
                }),
            }
        }
        batch.skipped.sort_unstable_by_key(|s| s.uid);
        Ok(Some(batch))
    }
}

impl fmt::Debug for NewMessages<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewMessages")
            .field("mailbox", &self.mailbox)
            .field("batches", &self.plan.len())
            .field("remaining", &self.remaining())
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedBatch {
    uids: Vec<u32>,
    skipped: Vec<SkippedMessage>,
    last_uid: u32,
}

/// Splits UID-sorted `(uid, size)` pairs into batches of at most `batch` messages to fetch.
/// Oversized messages ride along as skipped in the batch where their UID falls, so `last_uid`
/// of each batch covers them and a resumed sync does not list them again.
fn plan_batches(
    listed: &[(u32, Option<u64>)],
    batch: usize,
    max_bytes: u64,
) -> VecDeque<PlannedBatch> {
    let mut plan = VecDeque::new();
    let mut current = PlannedBatch {
        uids: Vec::new(),
        skipped: Vec::new(),
        last_uid: 0,
    };
    for &(uid, size) in listed {
        match size {
            Some(size) if size > max_bytes => current.skipped.push(SkippedMessage {
                uid,
                reason: SkipReason::TooLarge {
                    size,
                    limit: max_bytes,
                },
            }),
            _ => current.uids.push(uid),
        }
        current.last_uid = uid;
        if current.uids.len() >= batch {
            plan.push_back(std::mem::replace(
                &mut current,
                PlannedBatch {
                    uids: Vec::new(),
                    skipped: Vec::new(),
                    last_uid: uid,
                },
            ));
        }
    }
    if !current.uids.is_empty() || !current.skipped.is_empty() {
        plan.push_back(current);
    }
    plan
}

/// An IMAP sequence set for sorted UIDs, with runs collapsed: `1:3,7,9:10`.
fn uid_set(uids: &[u32]) -> String {
    let mut set = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end.wrapping_add(1) {
            i += 1;
            end = uids[i];
        }
        if !set.is_empty() {
            set.push(',');
        }
        if start == end {
            set.push_str(&start.to_string());
        } else {
            set.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_set_collapses_runs_of_consecutive_uids() {
        assert_eq!(uid_set(&[1, 2, 3, 7, 9, 10]), "1:3,7,9:10");
        assert_eq!(uid_set(&[5]), "5");
        assert_eq!(
            uid_set(&[u32::MAX - 1, u32::MAX]),
            format!("{}:{}", u32::MAX - 1, u32::MAX)
        );
    }

    #[test]
    fn plan_splits_into_batches_and_keeps_oversized_messages_as_skipped() {
        let listed = [
            (3, Some(10)),
            (4, Some(500)),
            (5, None),
            (6, Some(10)),
            (8, Some(999)),
        ];
        let plan = plan_batches(&listed, 2, 100);
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[0].uids, vec![3, 5]);
        assert_eq!(plan[0].last_uid, 5);
        assert_eq!(
            plan[0].skipped,
            vec![SkippedMessage {
                uid: 4,
                reason: SkipReason::TooLarge {
                    size: 500,
                    limit: 100
                }
            }]
        );
        assert_eq!(plan[1].uids, vec![6]);
        assert_eq!(plan[1].skipped.len(), 1);
        assert_eq!(plan[1].last_uid, 8);
    }

    #[test]
    fn plan_of_only_oversized_messages_still_advances_last_uid() {
        let plan = plan_batches(&[(9, Some(1000))], 10, 100);
        assert_eq!(plan.len(), 1);
        assert!(plan[0].uids.is_empty());
        assert_eq!(plan[0].last_uid, 9);
    }
}
