//! The features every linear model reads from a thread: hashed n-grams of the newest buyer
//! message, of the buyer's earlier messages and of the seller's recent messages (each in its
//! own part of the hash space), and dense features from the cue lexicons and the scam
//! families — what the thread *does*: asks for a catalogue, names a quantity, haggles, orders,
//! gives shipping instructions, complains, and what the seller already sent.
//!
//! The dense layout is versioned ([`LAYOUT`]); a model trained on another layout is not used.

use super::featurize;
use super::linear::Feature;
use crate::cues::{CueKind, Hint, ScannedMessage, ScannedThread, SellerAct, SpamKind};
use tradescout_core::Concern;

/// Hash bits of every shipped model.
pub const BITS: u8 = 16;
/// Version of the dense layout below; bump it whenever the layout changes.
pub const LAYOUT: u16 = 2;
/// At most this many scam families have a dense slot.
pub const FAMILY_SLOTS: usize = 16;

const STAGE_NEW: usize = 0;
const STAGE_OLD: usize = STAGE_NEW + 5;
const SELLER: usize = STAGE_OLD + 5;
const QUANTITY: usize = SELLER + 4;
const CONCERN_NEW: usize = QUANTITY + 1;
const CONCERN_OLD: usize = CONCERN_NEW + 12;
const SPAM: usize = CONCERN_OLD + 12;
const PRODUCT: usize = SPAM + 6;
const ASK: usize = PRODUCT + 1;
const BUYER_TURNS: usize = ASK + 1;
const SELLER_TURNS: usize = BUYER_TURNS + 1;
const LENGTH: usize = SELLER_TURNS + 1;
const FAMILY: usize = LENGTH + 1;
const LINKS: usize = FAMILY + FAMILY_SLOTS;
const RISKY_ATTACHMENT: usize = LINKS + 1;
/// The strongest single cue of each stage in the newest buyer message: one "we enclose our
/// order" should not be outweighed by three mentions of a catalogue.
const STAGE_TOP: usize = RISKY_ATTACHMENT + 1;
/// Number of dense features.
pub const N_DENSE: usize = STAGE_TOP + 5;

/// How much the earlier buyer messages and the seller's messages count against the newest
/// buyer message.
const OLDER_SCALE: f32 = 0.4;
const SELLER_SCALE: f32 = 0.35;
/// Bucket remaps that give each part of the thread its own features.
const OLDER_XOR: u32 = 0x5A5A;
const SELLER_XOR: u32 = 0xA5A5;

/// The features of `scanned`.
pub fn thread_features(scanned: &ScannedThread) -> Vec<Feature> {
    let mask = (1u32 << BITS) - 1;
    let mut out: Vec<Feature> = Vec::with_capacity(1024);
    let mut buyers = scanned.buyer();
    let newest = buyers.next();
    let older: Vec<&ScannedMessage> = buyers.collect();
    let sellers: Vec<&ScannedMessage> = scanned
        .messages
        .iter()
        .filter(|m| m.seller)
        .take(2)
        .collect();

    let mut scratch = Vec::new();
    if let Some(m) = newest {
        hashed(&m.text, 0, 1.0, &mut scratch, &mut out);
    }
    if !older.is_empty() {
        let joined = joined(&older);
        hashed(
            &joined,
            OLDER_XOR & mask,
            OLDER_SCALE,
            &mut scratch,
            &mut out,
        );
    }
    if !sellers.is_empty() {
        let joined = joined(&sellers);
        hashed(
            &joined,
            SELLER_XOR & mask,
            SELLER_SCALE,
            &mut scratch,
            &mut out,
        );
    }

    let mut dense = [0f32; N_DENSE];
    if let Some(m) = newest {
        let mut quantity = false;
        for c in &m.cues {
            match c.kind {
                CueKind::Stage(s) => {
                    dense[STAGE_NEW + s.index()] += c.weight;
                    let top = &mut dense[STAGE_TOP + s.index()];
                    *top = top.max(c.weight);
                }
                CueKind::Concern(k) => dense[CONCERN_NEW + concern_index(k)] += c.weight,
                CueKind::Hint(Hint::Product) => dense[PRODUCT] += 1.0,
                CueKind::Hint(Hint::Ask) => dense[ASK] += 1.0,
                CueKind::Hint(Hint::Unit) if !quantity && after_number(&m.text, c.start) => {
                    quantity = true;
                    dense[QUANTITY] = 1.0;
                }
                _ => {}
            }
        }
        dense[LENGTH] = (1.0 + m.text.chars().count() as f32).ln() / 8.0;
        for f in scanned.families_of(m).iter() {
            if let (Some(fam), true) = (f.family(), f.family < FAMILY_SLOTS) {
                // Counter phrases lower a family's score, but never below none: pasting
                // genuine-sounding phrases must not push a scam under zero.
                dense[FAMILY + f.family] = (f.score / fam.threshold.max(0.1)).clamp(0.0, 2.0);
            }
        }
    }
    for m in &older {
        for c in &m.cues {
            match c.kind {
                CueKind::Stage(s) => dense[STAGE_OLD + s.index()] += c.weight * m.recency,
                CueKind::Concern(k) => {
                    dense[CONCERN_OLD + concern_index(k)] += c.weight * m.recency
                }
                _ => {}
            }
        }
    }
    for m in scanned.buyer() {
        for c in &m.cues {
            if let CueKind::Spam(k) = c.kind {
                dense[SPAM + spam_index(k)] += c.weight * m.recency;
            }
        }
        if let Some(input) = scanned.thread.messages.get(m.index) {
            dense[LINKS] += input.links.len().min(3) as f32;
            if input.attachments.iter().any(|a| risky_attachment(a)) {
                dense[RISKY_ATTACHMENT] = 1.0;
            }
        }
    }
    for m in &sellers {
        for c in &m.cues {
            if let CueKind::Seller(act) = c.kind {
                let i = SELLER + seller_index(act);
                dense[i] = dense[i].max(c.weight.min(2.0) * m.recency);
            }
        }
    }
    dense[BUYER_TURNS] = (newest.is_some() as usize + older.len()).min(4) as f32;
    dense[SELLER_TURNS] = sellers.len().min(2) as f32;

    // Scale to about 0–1 so the dense weights train at the pace of the hashed ones.
    for (i, v) in dense.iter_mut().enumerate() {
        let cap = match i {
            STAGE_NEW..=SELLER => 4.0,
            CONCERN_NEW..SPAM => 4.0,
            SPAM..PRODUCT => 6.0,
            PRODUCT | ASK => 3.0,
            BUYER_TURNS => 4.0,
            SELLER_TURNS => 2.0,
            LINKS => 3.0,
            STAGE_TOP.. => 3.0,
            _ => 2.0,
        };
        *v = v.min(cap) / cap;
    }
    let base = 1u32 << BITS;
    out.extend(
        dense
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0.0)
            .map(|(i, &v)| (base + i as u32, v)),
    );
    out
}

/// The texts of `msgs`, each clipped to 4,000 bytes, one after another.
fn joined(msgs: &[&ScannedMessage]) -> String {
    msgs.iter()
        .map(|m| crate::cues::clip(&m.text, 4000))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The hashed features of one sentence or message alone (for finding the sentence that
/// decided a judgement).
pub fn text_features(text: &str) -> Vec<Feature> {
    let mut out = Vec::new();
    hashed(text, 0, 1.0, &mut Vec::new(), &mut out);
    out
}

/// Appends `text`'s n-gram features: (1 + ln count), L2-normalised, times `scale`, with the
/// bucket XOR-ed by `xor`.
fn hashed(text: &str, xor: u32, scale: f32, scratch: &mut Vec<u32>, out: &mut Vec<Feature>) {
    scratch.clear();
    featurize(text, BITS, scratch);
    if scratch.is_empty() {
        return;
    }
    sort_buckets(scratch);
    let start = out.len();
    let mut i = 0;
    while i < scratch.len() {
        let b = scratch[i];
        let mut j = i;
        while j < scratch.len() && scratch[j] == b {
            j += 1;
        }
        out.push((b ^ xor, 1.0 + ((j - i) as f32).ln()));
        i = j;
    }
    let norm: f32 = out[start..].iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for f in &mut out[start..] {
            f.1 *= scale / norm;
        }
    }
}

/// Sorts feature buckets (below 2^16, [`BITS`]): two byte-wise counting passes for the long
/// lists a message gives, the standard sort for the short ones a sentence gives.
fn sort_buckets(v: &mut Vec<u32>) {
    const _: () = assert!(BITS <= 16);
    if v.len() < 128 {
        v.sort_unstable();
        return;
    }
    let mut tmp = vec![0u32; v.len()];
    for shift in [0u32, 8] {
        let mut count = [0usize; 256];
        for &x in v.iter() {
            count[((x >> shift) & 0xFF) as usize] += 1;
        }
        let mut sum = 0;
        for c in count.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        for &x in v.iter() {
            let slot = &mut count[((x >> shift) & 0xFF) as usize];
            tmp[*slot] = x;
            *slot += 1;
        }
        std::mem::swap(v, &mut tmp);
    }
}

fn concern_index(c: Concern) -> usize {
    Concern::ALL.iter().position(|&x| x == c).unwrap_or(0)
}

fn spam_index(k: SpamKind) -> usize {
    match k {
        SpamKind::Phishing => 0,
        SpamKind::AdvanceFee => 1,
        SpamKind::FakeOrder => 2,
        SpamKind::Generic => 3,
        SpamKind::Service => 4,
        SpamKind::MassMail => 5,
    }
}

fn seller_index(a: SellerAct) -> usize {
    match a {
        SellerAct::QuoteSent => 0,
        SellerAct::SamplesSent => 1,
        SellerAct::PiSent => 2,
        SellerAct::Shipped => 3,
    }
}

fn risky_attachment(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    [
        ".html", ".htm", ".shtml", ".zip", ".rar", ".7z", ".iso", ".img", ".exe", ".scr", ".js",
        ".lnk", ".r00", ".gz", ".ace", ".z",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// True when a digit stands right before `at` (spaces, `x` and `*` allowed between).
pub(crate) fn after_number(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    before
        .chars()
        .rev()
        .find(|c| !matches!(c, ' ' | '\u{a0}' | 'x' | 'X' | '*' | '×'))
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '万' | '千' | '百' | 'k' | 'K'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_sort_agrees_with_the_standard_sort() {
        for n in [0usize, 5, 127, 128, 1000, 4000] {
            let mut x: u32 = 12345;
            let v: Vec<u32> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 8) & 0xFFFF
                })
                .collect();
            let mut a = v.clone();
            let mut b = v;
            a.sort_unstable();
            sort_buckets(&mut b);
            assert_eq!(a, b, "{n}");
        }
    }
    use crate::input::{InputMessage, Role, ThreadInput};

    #[test]
    fn parts_of_the_thread_fill_their_own_features() {
        let t = ThreadInput {
            messages: vec![
                InputMessage {
                    role: Some(Role::Seller),
                    text: "PI attached, please arrange the deposit.".into(),
                    ..Default::default()
                },
                InputMessage {
                    role: Some(Role::Buyer),
                    text: "Deposit paid today, please start production of 500 pcs.".into(),
                    ..Default::default()
                },
            ],
        };
        let s = ScannedThread::new(&t);
        let f = thread_features(&s);
        let base = 1u32 << BITS;
        assert!(f.iter().any(|&(i, _)| i == base + QUANTITY as u32));
        assert!(f.iter().any(|&(i, _)| i == base + SELLER_TURNS as u32));
        assert!(f
            .iter()
            .all(|&(i, v)| i < base + N_DENSE as u32 && v.is_finite()));
        // The newest buyer message is L2-normalised to 1.
        let newest: f32 = text_features(&t.messages[1].text)
            .iter()
            .map(|(_, v)| v * v)
            .sum();
        assert!((newest - 1.0).abs() < 1e-3);
    }

    #[test]
    fn empty_thread_has_no_features_but_does_not_fail() {
        let t = ThreadInput::default();
        let f = thread_features(&ScannedThread::new(&t));
        assert!(f.iter().all(|&(i, _)| i >= 1 << BITS));
    }
}
