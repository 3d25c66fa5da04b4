//! The buyer's buying stage, read from the whole thread.
//!
//! Lexicon cues decide where they are clear: the newest buyer message weighs most, earlier
//! ones give context, and the seller's messages tell what was already offered (a quotation
//! sent moves the buyer to evaluation or concerns, a proforma invoice to decision, a bill of
//! lading to implementation). The shipped naive Bayes model speaks where the cues are silent
//! or weak. Evidence quotes the words that decided.

use crate::cues::{snippet, CueKind, CueMatch, Hint, ScannedMessage, ScannedThread, SellerAct};
use crate::input::ThreadInput;
use crate::model::thread_features::after_number;
use crate::model::Models;
use crate::types::StageJudgement;
use tradescout_core::Stage;

/// A quantity with a unit ("500 pcs") is a concrete request: evaluation.
const QUANTITY_WEIGHT: f32 = 0.7;
const MAX_EVIDENCE: usize = 3;
/// Cues lighter than this are not quoted as evidence (a greeting, a "thanks").
const MIN_EVIDENCE_WEIGHT: f32 = 0.3;
/// Below this confidence the stage is marked unsure.
pub const UNSURE_BELOW: f64 = 0.5;
const EARLY_PRIOR: [f32; 5] = [0.3, 0.2, 0.0, 0.0, 0.0];

/// Judges the buying stage of a thread (or of a single inquiry).
pub fn judge_stage(thread: &ThreadInput) -> StageJudgement {
    judge_stage_in(&ScannedThread::new(thread))
}

/// [`judge_stage`] on a thread already scanned.
pub fn judge_stage_in(scanned: &ScannedThread) -> StageJudgement {
    judge_stage_with(scanned, crate::model::models().as_deref())
}

/// [`judge_stage_in`] with the given models (`None`: the cue votes alone decide).
pub fn judge_stage_with(scanned: &ScannedThread, models: Option<&Models>) -> StageJudgement {
    // Most mail that arrives is a first contact: a nudge toward the early stages decides only
    // when neither cues nor the model say anything clear ("hi", "call me").
    let mut votes = Votes {
        score: EARLY_PRIOR,
        ..Votes::default()
    };
    for (i, msg) in scanned.messages.iter().enumerate() {
        if msg.seller {
            seller_votes(i, msg, &mut votes);
        } else {
            buyer_votes(i, msg, &mut votes);
        }
    }
    let cue_total: f32 = votes.score.iter().sum::<f32>() - EARLY_PRIOR.iter().sum::<f32>();

    // The model reads the cues as features and has learned how much each counts: it decides.
    let probs = models.map(|m| m.stage.probabilities(scanned.features()));
    let (best, confidence) = match &probs {
        Some(p) => {
            let best = (0..p.len().min(5))
                .max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a)))
                .unwrap_or(0);
            (best, p.get(best).copied().unwrap_or(0.0))
        }
        None => {
            let mut order: Vec<usize> = (0..Stage::ALL.len()).collect();
            order.sort_by(|&a, &b| votes.score[b].total_cmp(&votes.score[a]).then(a.cmp(&b)));
            let (best, second) = (order[0], order[1]);
            let c = vote_confidence(votes.score[best], votes.score[second], cue_total, false);
            (best, c)
        }
    };
    let mut best = best;
    let mut confidence = confidence;
    let mut evidence: Vec<String> = Vec::new();
    // A reply that says nothing of its own ("thanks, received") stands where the seller's last
    // act put the deal: a proforma invoice sent means the order is being placed, goods shipped
    // mean the order is being carried out.
    if let Some((floor, quote)) = seller_floor(scanned) {
        // Only a sure model may read the reply as further along than the seller's act.
        if best < floor.index() || (best > floor.index() && confidence < 0.85) {
            best = floor.index();
            confidence = confidence.max(0.6);
            evidence.push(quote);
        }
    }
    let label = Stage::ALL
        .get(best)
        .copied()
        .unwrap_or(Stage::NeedRecognition);

    let mut support = std::mem::take(&mut votes.support[best]);
    // Words of the newest buyer message first (they decide), heaviest first.
    let newest_buyer = scanned.buyer().next().map(|m| m.index);
    support.sort_by(|a, b| {
        let own = |s: &Support| scanned.messages.get(s.message).map(|m| m.index) == newest_buyer;
        own(b).cmp(&own(a)).then(b.weight.total_cmp(&a.weight))
    });
    for s in support.iter().filter(|s| s.weight >= MIN_EVIDENCE_WEIGHT) {
        if evidence.len() >= MAX_EVIDENCE {
            break;
        }
        let Some(msg) = scanned.messages.get(s.message) else {
            continue;
        };
        let quote = snippet(&msg.text, s.start, s.end);
        if !quote.is_empty() && !evidence.contains(&quote) {
            evidence.push(quote);
        }
    }
    if evidence.is_empty() {
        let newest = scanned.buyer().next();
        if let (Some(m), Some(msg)) = (models, newest) {
            evidence.extend(crate::model::deciding_sentence(&m.stage, best, &msg.text));
        }
    }
    let defaulted = evidence.is_empty();
    if defaulted {
        evidence.push(telling_sentence(
            scanned.buyer().next().or(scanned.messages.first()),
        ));
    }
    if defaulted {
        confidence = confidence.min(0.45);
    }
    // No reading of words is certain: a stated 1.0 would promise more than any test shows.
    let confidence = ((confidence * 100.0).round() / 100.0).min(0.99);
    StageJudgement {
        label,
        confidence,
        evidence,
        suppressed: false,
        unsure: confidence < UNSURE_BELOW,
    }
}

/// The stage the seller's newest act sets when the buyer's newest message, written after it,
/// carries no stage cue of its own: (stage, the seller's words).
fn seller_floor(scanned: &ScannedThread) -> Option<(Stage, String)> {
    let newest = scanned.buyer().next()?;
    let own: f32 = newest
        .cues
        .iter()
        .filter(|c| matches!(c.kind, CueKind::Stage(_)))
        .map(|c| c.weight)
        .sum();
    if own >= 0.5 {
        return None;
    }
    let seller = scanned
        .messages
        .iter()
        .filter(|m| m.seller && m.index < newest.index)
        .max_by_key(|m| m.index)?;
    let mut floor: Option<(Stage, &CueMatch)> = None;
    for c in &seller.cues {
        let stage = match c.kind {
            CueKind::Seller(SellerAct::PiSent) => Stage::Decision,
            CueKind::Seller(SellerAct::Shipped) => Stage::Implementation,
            _ => continue,
        };
        if floor.is_none_or(|(s, _)| stage.index() > s.index()) {
            floor = Some((stage, c));
        }
    }
    floor.map(|(s, c)| (s, snippet(&seller.text, c.start, c.end)))
}

/// A cue that voted, kept as a span so that only the quotes shown are ever cut.
struct Support {
    weight: f32,
    message: usize,
    start: usize,
    end: usize,
}

#[derive(Default)]
struct Votes {
    score: [f32; 5],
    support: [Vec<Support>; 5],
}

impl Votes {
    fn add(&mut self, stage: Stage, weight: f32, message: usize, m: &CueMatch) {
        let i = stage_index(stage);
        self.score[i] += weight;
        self.support[i].push(Support {
            weight,
            message,
            start: m.start,
            end: m.end,
        });
    }
}

fn buyer_votes(index: usize, msg: &ScannedMessage, votes: &mut Votes) {
    let mut quantity_seen = false;
    for m in &msg.cues {
        match m.kind {
            CueKind::Stage(stage) => votes.add(stage, m.weight * msg.recency, index, m),
            CueKind::Hint(Hint::Unit) if !quantity_seen && after_number(&msg.text, m.start) => {
                quantity_seen = true;
                votes.add(Stage::Evaluation, QUANTITY_WEIGHT * msg.recency, index, m);
            }
            _ => {}
        }
    }
}

/// What the seller already did moves the buyer's stage forward.
fn seller_votes(index: usize, msg: &ScannedMessage, votes: &mut Votes) {
    for m in &msg.cues {
        let CueKind::Seller(act) = m.kind else {
            continue;
        };
        let w = m.weight.min(2.0) * msg.recency;
        match act {
            SellerAct::QuoteSent => {
                votes.add(Stage::Evaluation, 0.25 * w, index, m);
                votes.add(Stage::Concerns, 0.3 * w, index, m);
            }
            SellerAct::SamplesSent => votes.add(Stage::Evaluation, 0.35 * w, index, m),
            SellerAct::PiSent => votes.add(Stage::Decision, 0.55 * w, index, m),
            SellerAct::Shipped => votes.add(Stage::Implementation, 0.7 * w, index, m),
        }
    }
}

/// Calibrated on the corpus: a clear cue margin gives high confidence; the model alone,
/// or nothing at all, gives little.
fn vote_confidence(top: f32, runner_up: f32, cue_total: f32, defaulted: bool) -> f64 {
    let margin = (top - runner_up).max(0.0);
    let share = top / (top + runner_up + 0.3);
    let mut c = 0.25 + 0.45 * (1.0 - (-margin).exp()) + 0.3 * (share - 0.5).max(0.0) * 2.0;
    if cue_total < 0.5 {
        c = c.min(0.6);
    }
    if defaulted {
        c = c.min(0.45);
    }
    f64::from((c * 100.0).round() / 100.0).clamp(0.2, 0.97)
}

/// The most telling short sentence of a message, for evidence when no cue spoke: the first
/// sentence with at least three words, cut to about 120 characters.
fn telling_sentence(msg: Option<&ScannedMessage>) -> String {
    let Some(msg) = msg else {
        return "(empty thread)".to_string();
    };
    let sentences = msg
        .text
        .split(['.', '!', '?', '\n', '。', '！', '？'])
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let pick = sentences
        .clone()
        .find(|s| {
            s.split_whitespace().count() >= 3 || s.chars().any(crate::cues::is_unspaced_script)
        })
        .or_else(|| sentences.clone().next());
    match pick {
        Some(s) => {
            let mut out: String = s.chars().take(120).collect();
            if s.chars().nth(120).is_some() {
                out.push('…');
            }
            out
        }
        None => "(empty message)".to_string(),
    }
}

fn stage_index(stage: Stage) -> usize {
    Stage::ALL.iter().position(|&s| s == stage).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{InputMessage, Role};

    fn msg(role: Role, text: &str) -> InputMessage {
        InputMessage::by(role, text)
    }

    #[test]
    fn catalogue_request_is_need_recognition() {
        let j = judge_stage(&ThreadInput::single(
            "Hello, we are interested in your products. Please send your catalog and price list.",
        ));
        assert_eq!(j.label, Stage::NeedRecognition);
        assert!(!j.evidence.is_empty());
    }

    #[test]
    fn quantity_and_specs_are_evaluation() {
        let j = judge_stage(&ThreadInput::single(
            "Please quote 500pcs 100W LED flood light IP65, 5000K.",
        ));
        assert_eq!(j.label, Stage::Evaluation);
    }

    #[test]
    fn haggling_after_a_quotation_is_concerns() {
        let t = ThreadInput {
            messages: vec![
                msg(Role::Buyer, "Please quote 1000 pcs solar street light 60W."),
                msg(
                    Role::Seller,
                    "Dear Tom, please find our quotation attached. Unit price USD 38.5 FOB Ningbo.",
                ),
                msg(
                    Role::Buyer,
                    "Your price is too high, another supplier offered us USD 33. Can you reduce?",
                ),
            ],
        };
        assert_eq!(judge_stage(&t).label, Stage::Concerns);
    }

    #[test]
    fn proforma_request_is_decision_and_damage_claim_is_implementation() {
        let d = judge_stage(&ThreadInput::single(
            "OK, we go ahead. Please send PI for 2x40HQ, we will pay 30% deposit.",
        ));
        assert_eq!(d.label, Stage::Decision);
        let i = judge_stage(&ThreadInput::single(
            "We received the goods but 30 cartons are damaged. We need compensation.",
        ));
        assert_eq!(i.label, Stage::Implementation);
    }

    #[test]
    fn what_the_seller_already_sent_moves_the_stage() {
        let pi = ThreadInput {
            messages: vec![
                msg(
                    Role::Seller,
                    "Dear Ana, PI attached, our bank details are on page 2.",
                ),
                msg(Role::Buyer, "Thanks, received. Will arrange it this week."),
            ],
        };
        assert_eq!(judge_stage(&pi).label, Stage::Decision);
        let shipped = ThreadInput {
            messages: vec![
                msg(Role::Seller, "Goods have been shipped today, B/L attached."),
                msg(Role::Buyer, "Thank you Lily."),
            ],
        };
        assert_eq!(judge_stage(&shipped).label, Stage::Implementation);
    }

    #[test]
    fn asking_how_to_buy_a_named_item_is_evaluation_and_paying_for_an_offer_is_decision() {
        for text in [
            "想跟你買板子，是否可販售？若可以加我QQ",
            "Hi, I'm looking to purchase 120 licenses for now, if we could work something out.",
            "Хочу купить две платы в сборе, как купить?",
            "Vorrei acquistare due schede, come posso acquistare?",
        ] {
            assert_eq!(
                judge_stage(&ThreadInput::single(text)).label,
                Stage::Evaluation,
                "{text}"
            );
        }
        let offer = ThreadInput {
            messages: vec![
                msg(Role::Buyer, "Don't suppose you have any boards left?"),
                msg(Role::Seller, "I do have one left if you still need one."),
                msg(
                    Role::Buyer,
                    "Fantastic. Let me know how much and your paypal address and I'll send the money over.",
                ),
            ],
        };
        assert_eq!(judge_stage(&offer).label, Stage::Decision);
    }

    #[test]
    fn empty_thread_still_has_evidence() {
        let j = judge_stage(&ThreadInput::default());
        assert!(!j.evidence.is_empty());
        assert!(j.confidence <= 0.45);
    }
}
