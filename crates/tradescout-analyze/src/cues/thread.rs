//! A thread read once for every judgement: the cues of its newest buyer and seller messages,
//! each weighted by how recent it is.

use super::{clip, scan, CueKind, CueMatch, MAX_SCAN_BYTES};
use crate::input::{Role, ThreadInput};
use std::sync::OnceLock;

/// Only this many of the buyer's newest messages are read; older ones add little.
pub const MAX_BUYER_MESSAGES: usize = 4;
/// Only this many of the seller's newest messages are read.
pub const MAX_SELLER_MESSAGES: usize = 3;
const BUYER_RECENCY: [f32; MAX_BUYER_MESSAGES] = [1.0, 0.4, 0.2, 0.1];
const SELLER_RECENCY: [f32; MAX_SELLER_MESSAGES] = [1.0, 0.5, 0.25];

/// One message of a thread with the cues found in it.
#[derive(Debug, Clone)]
pub struct ScannedMessage {
    /// The subject line (when there is one) and the text, as scanned; spans refer to this.
    pub text: String,
    /// Written by the seller (otherwise by the buyer, or unknown).
    pub seller: bool,
    /// 1 for the author's newest message, less for older ones.
    pub recency: f32,
    /// Index of the message in the thread.
    pub index: usize,
    pub cues: Vec<CueMatch>,
}

/// A thread read once for all judgements: the cues of its recent messages and the model
/// features of the newest buyer message. Build it once and pass it to
/// [`crate::stage::judge_stage_in`], [`crate::concerns::judge_concerns_in`] and
/// [`crate::spam::judge_spam_in`] to avoid scanning the same text three times.
#[derive(Debug, Clone)]
pub struct ScannedThread<'a> {
    pub thread: &'a ThreadInput,
    /// Newest first within each role.
    pub messages: Vec<ScannedMessage>,
    /// The model features of the thread, computed on first use.
    features: OnceLock<Vec<crate::model::linear::Feature>>,
    /// The scam-family scores of the newest buyer message, computed on first use.
    newest_families: OnceLock<Vec<crate::families::FamilyScore>>,
}

impl<'a> ScannedThread<'a> {
    /// Scans `thread`.
    pub fn new(thread: &'a ThreadInput) -> ScannedThread<'a> {
        ScannedThread {
            thread,
            messages: scan_thread(thread),
            features: OnceLock::new(),
            newest_families: OnceLock::new(),
        }
    }

    /// The buyer's messages, newest first.
    pub fn buyer(&self) -> impl Iterator<Item = &ScannedMessage> {
        self.messages.iter().filter(|m| !m.seller)
    }

    /// The scam-family scores of `msg`: read once for the newest buyer message (the features
    /// and the spam reasons both need them).
    pub fn families_of(
        &self,
        msg: &ScannedMessage,
    ) -> std::borrow::Cow<'_, [crate::families::FamilyScore]> {
        let newest = self.buyer().next().map(|m| m.index);
        if newest == Some(msg.index) {
            std::borrow::Cow::Borrowed(
                self.newest_families
                    .get_or_init(|| crate::families::score(&msg.text)),
            )
        } else {
            std::borrow::Cow::Owned(crate::families::score(&msg.text))
        }
    }

    /// The features every model reads (see [`crate::model::thread_features`]).
    pub fn features(&self) -> &[crate::model::linear::Feature] {
        self.features
            .get_or_init(|| crate::model::thread_features(self))
    }
}

#[derive(serde::Deserialize, Default)]
struct Bumps {
    #[serde(default)]
    bumps: Vec<String>,
    #[serde(default)]
    courtesies: Vec<String>,
}

fn bump_data() -> &'static Bumps {
    static DATA: OnceLock<Bumps> = OnceLock::new();
    DATA.get_or_init(|| {
        let mut data: Bumps = toml::from_str(BUMPS_TOML).unwrap_or_default();
        data.courtesies = data.courtesies.iter().map(|c| bump_key(c)).collect();
        data
    })
}

/// Whole messages that only bump a thread (`data/bumps.toml`), folded as [`bump_key`] folds.
fn bumps() -> &'static std::collections::HashSet<String> {
    static SET: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| bump_data().bumps.iter().map(|b| bump_key(b)).collect())
}

/// Whether a buyer's message only thanks or signs off ("Danke dennoch", "Thanks, I'll get
/// back to you", "谢谢"): it opens with a courtesy of `data/bumps.toml`, is short, asks
/// nothing, counts nothing and holds no stage or concern word. The stage is then read from
/// the buyer's message before it.
fn only_courtesy(text: &str, cues: &[CueMatch]) -> bool {
    if text.len() > 60 || text.contains(['?', '？']) || text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let key = bump_key(text);
    !key.is_empty()
        && bump_data()
            .courtesies
            .iter()
            .any(|c| key.starts_with(c.as_str()))
        && !cues
            .iter()
            .any(|c| matches!(c.kind, CueKind::Stage(_) | CueKind::Concern(_)))
}

const BUMPS_TOML: &str = include_str!("../../data/bumps.toml");

/// A message lower-cased without spaces and punctuation: "Any update??" is "anyupdate".
fn bump_key(text: &str) -> String {
    text.chars()
        .filter(|c| tradescout_core::phrases::is_alphanumeric(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a message says nothing of its own: no letter at all ("?", "+1", "!!!"), or a whole
/// message from the bump list ("up", "any update?", "顶", "同问", "还有不"). "买授权" and "已付款"
/// are three letters that speak.
fn says_nothing(text: &str) -> bool {
    if text.len() > 80 {
        return false;
    }
    let key = bump_key(text);
    !text.chars().any(tradescout_core::phrases::is_alphabetic) || bumps().contains(&key)
}

/// A message that only bumps, with no subject of its own.
fn is_bump(m: &crate::input::InputMessage) -> bool {
    says_nothing(&m.text) && m.subject.as_deref().is_none_or(|s| s.trim().is_empty())
}

/// Scans the newest buyer and seller messages of a thread, newest first within each role.
pub fn scan_thread(thread: &ThreadInput) -> Vec<ScannedMessage> {
    let mut out = Vec::new();
    let (mut buyers, mut sellers) = (0, 0);
    for (index, m) in thread.messages.iter().enumerate().rev() {
        let seller = m.role == Some(Role::Seller);
        // A buyer's bump ("?", "+1", "还有不", "up") right after their own message says
        // nothing of its own: the message it bumps is the newest that speaks.
        if !seller && buyers == 0 && is_bump(m) {
            let before = index.checked_sub(1).and_then(|i| thread.messages.get(i));
            if before.is_some_and(|b| b.role != Some(Role::Seller) && !says_nothing(&b.text)) {
                continue;
            }
        }
        let recency = if seller {
            sellers += 1;
            SELLER_RECENCY.get(sellers - 1)
        } else {
            buyers += 1;
            BUYER_RECENCY.get(buyers - 1)
        };
        let Some(&recency) = recency else {
            continue;
        };
        let body = clip(&m.text, MAX_SCAN_BYTES);
        let mut text = String::with_capacity(body.len() + 80);
        if let Some(subject) = m
            .subject
            .as_deref()
            .map(|s| clip(s.trim(), 500))
            .filter(|s| !s.is_empty())
        {
            text.push_str(subject);
            text.push('\n');
        }
        text.push_str(body);
        let mut cues = scan(&text);
        // Stage and concern words in the closing and signature ("Qualitätsmanagement",
        // "Rheintal Etiketten AG") are no part of what the buyer asks; scam signs there are.
        // Read in the body only: a subject "Thanks" closes nothing.
        let body_at = text.len() - body.len();
        if let Some(sig) = text
            .get(body_at..)
            .and_then(|b| crate::buyer::closing_start(b, m.signature.as_deref()))
            .map(|s| s + body_at)
        {
            cues.retain(|c| {
                c.start < sig || !matches!(c.kind, CueKind::Stage(_) | CueKind::Concern(_))
            });
        }
        // The newest buyer message only thanks the seller: the one before it decides.
        if !seller && buyers == 1 && only_courtesy(body, &cues) {
            let earlier = thread.messages[..index]
                .iter()
                .any(|b| b.role != Some(Role::Seller) && !says_nothing(&b.text));
            if earlier {
                buyers = 0;
                continue;
            }
        }
        out.push(ScannedMessage {
            text,
            seller,
            recency,
            index,
            cues,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::InputMessage;

    fn msg(role: Role, text: &str) -> InputMessage {
        InputMessage::by(role, text)
    }

    fn newest_buyer(messages: Vec<InputMessage>) -> String {
        let thread = ThreadInput { messages };
        let scanned = ScannedThread::new(&thread);
        let newest = scanned.buyer().next().map(|m| m.text.clone());
        newest.unwrap_or_default()
    }

    #[test]
    fn the_bump_list_parses() {
        let data: Result<toml::Value, _> = toml::from_str(BUMPS_TOML);
        assert!(data.is_ok(), "data/bumps.toml: {:?}", data.err());
        assert!(bumps().len() > 20 && bumps().contains("anyupdate"));
    }

    #[test]
    fn a_thanks_that_asks_nothing_is_not_the_message_to_read() {
        let asked = "Hast du noch zwei fertig bestückte Platinen? Was kosten sie?";
        let no_stock = "Leider habe ich keine mehr.";
        let price = "Ja, 45 Euro.";
        // (the seller's answer, the buyer's last words, the message read)
        for (answer, last, read) in [
            (no_stock, "Danke dennoch", asked),
            (no_stock, "Thanks anyway, I'll get back to you.", asked),
            (no_stock, "谢谢", asked),
            // A thanks that orders, asks or counts is read.
            (
                price,
                "Thanks, please send the PI.",
                "Thanks, please send the PI.",
            ),
            (
                price,
                "Danke, wann kommt die Lieferung?",
                "Danke, wann kommt die Lieferung?",
            ),
            (price, "谢谢，我们要500个", "谢谢，我们要500个"),
        ] {
            let newest = newest_buyer(vec![
                msg(Role::Buyer, asked),
                msg(Role::Seller, answer),
                msg(Role::Buyer, last),
            ]);
            assert_eq!(newest, read, "{last}");
        }
        // Alone, it is still the message.
        assert_eq!(newest_buyer(vec![msg(Role::Buyer, "Thanks")]), "Thanks");
    }

    #[test]
    fn a_bump_after_the_buyers_own_message_is_not_the_newest() {
        let asked = "出一个bundle价格，多台机器用";
        for bump in ["还有不", "?", "+1", "up", "顶", "Any update??", "同问"] {
            let got = newest_buyer(vec![msg(Role::Buyer, asked), msg(Role::Buyer, bump)]);
            assert_eq!(got, asked, "{bump}");
        }
        // A short answer to the seller is the buyer's word, and a real message is read.
        let got = newest_buyer(vec![
            msg(Role::Buyer, asked),
            msg(Role::Seller, "PI attached, please check."),
            msg(Role::Buyer, "OK"),
        ]);
        assert_eq!(got, "OK");
        let got = newest_buyer(vec![
            msg(Role::Buyer, asked),
            msg(Role::Buyer, "还有货吗？"),
        ]);
        assert_eq!(got, "还有货吗？");
        // Three Chinese characters can say everything.
        for short in ["已付款", "漏发", "下单了", "买授权"] {
            let got = newest_buyer(vec![msg(Role::Buyer, "我要10台"), msg(Role::Buyer, short)]);
            assert_eq!(got, short);
        }
        // A lone bump is all there is.
        assert_eq!(newest_buyer(vec![msg(Role::Buyer, "?")]), "?");
    }
}
