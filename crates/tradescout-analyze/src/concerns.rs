//! What the buyer cares about now: the twelve concern labels, ranked, each with the words that
//! show it. The newest buyer message weighs most; a question or demand about a topic ("what is
//! your MOQ?") counts fully, a plain mention inside a list of specs counts less.

use crate::cues::{
    snippet, snippet_bounds, CueKind, CueMatch, Hint, ScannedMessage, ScannedThread,
};
use crate::input::ThreadInput;
use crate::types::ConcernJudgement;
use tradescout_core::Concern;

/// A concern below this score is not reported.
const MIN_SCORE: f64 = 0.3;
/// When nothing reaches [`MIN_SCORE`], the best concern the buyer's words name is reported
/// from this score on.
const WEAK_MIN: f64 = 0.15;
/// How much a plain mention counts against a question or demand.
const MENTION_FACTOR: f32 = 0.6;
/// The topic a question opens with ("what is your MOQ for the custom logo?") counts this much
/// more than the other topics in the same sentence.
const TOPIC_FACTOR: f32 = 1.4;
/// How far (in bytes) after an asking phrase its topic may start.
const TOPIC_REACH: usize = 24;
/// Converts summed cue weight into a 0–1 score.
const SCALE: f32 = 0.8;
const MAX_EVIDENCE: usize = 2;
/// The words must raise a concern's log-odds at least this much above its prior for the
/// model alone to report it ("nice to meet you" nudges price a little; that is no concern).
const MIN_MODEL_PUSH: f32 = 0.6;
/// A concern no cue word supports needs a newest buyer message of at least this many words
/// (twice as many characters in Chinese or Japanese).
const MODEL_ONLY_WORDS: usize = 8;
/// A concern no cue word supports is reported from this model probability on.
const MODEL_ONLY_MIN: f64 = 0.4;
/// What the cue words alone are worth when the model does not see the concern: a complaint
/// in textbook English ("inferior finish … grant us a discount") is rare in what it learnt.
const CUE_ALONE: f64 = 0.9;
/// How much the concern model counts against the cues.
const MODEL_SHARE: f64 = 0.5;

/// Judges the concerns of a thread, most important first; empty when none is expressed.
pub fn judge_concerns(thread: &ThreadInput) -> Vec<ConcernJudgement> {
    judge_concerns_in(&ScannedThread::new(thread))
}

/// [`judge_concerns`] on a thread already scanned.
pub fn judge_concerns_in(scanned: &ScannedThread) -> Vec<ConcernJudgement> {
    judge_concerns_with(scanned, crate::model::models().as_deref())
}

/// [`judge_concerns_in`] with the given models (`None`: cues only).
pub fn judge_concerns_with(
    scanned: &ScannedThread,
    models: Option<&crate::model::Models>,
) -> Vec<ConcernJudgement> {
    // A concern the model finds mostly through its prior (a greeting pushes little) is none.
    let probs: Option<Vec<f64>> = models.map(|m| {
        let f = scanned.features();
        let pushed = m.concerns.scores(f);
        m.concerns
            .probabilities_of(&pushed)
            .into_iter()
            .zip(pushed.iter().zip(m.concerns.bias()))
            .map(|(p, (s, b))| if s - b > MIN_MODEL_PUSH { p } else { 0.0 })
            .collect()
    });
    let mut raw = [0f32; 12];
    // Per concern: (contribution, message, cue) — quotes are cut only for the few shown.
    let mut support: [Vec<(f32, &ScannedMessage, &CueMatch)>; 12] = Default::default();
    for msg in scanned.buyer() {
        if !msg
            .cues
            .iter()
            .any(|m| matches!(m.kind, CueKind::Concern(_)))
        {
            continue;
        }
        let sentences = Sentences::of(msg);
        for m in &msg.cues {
            let CueKind::Concern(concern) = m.kind else {
                continue;
            };
            let factor = if !sentences.asked(m.start) {
                MENTION_FACTOR
            } else if sentences.topic(m.start) {
                TOPIC_FACTOR
            } else {
                1.0
            };
            let w = m.weight * factor * msg.recency;
            let i = concern_index(concern);
            raw[i] += w;
            support[i].push((w, msg, m));
        }
    }
    let substantial = scanned.buyer().next().is_some_and(|m| {
        let words = m.text.split_whitespace().count();
        let unspaced = m
            .text
            .chars()
            .filter(|&c| crate::cues::is_unspaced_script(c))
            .count();
        words >= MODEL_ONLY_WORDS || unspaced >= 2 * MODEL_ONLY_WORDS
    });
    let scores: Vec<f64> = (0..Concern::ALL.len())
        .map(|i| {
            let cue = f64::from(1.0 - (-raw[i] * SCALE).exp());
            // The model has read the cues too; cue words the model does not weigh can only
            // add to it, never take away.
            match probs.as_ref().and_then(|p| p.get(i)) {
                Some(&p) => p
                    .max(MODEL_SHARE * p + (1.0 - MODEL_SHARE) * cue)
                    .max(CUE_ALONE * cue),
                None => cue,
            }
        })
        .collect();
    // When no concern reaches the bar, the best one the buyer's own words name is still
    // shown, with its low score: "Kindly quote 2,500 pcs" asks about price and nothing else.
    let cued: Vec<bool> = support.iter().map(|s| !s.is_empty()).collect();
    let reaches: Vec<bool> = (0..scores.len())
        .map(|i| scores[i] >= if cued[i] { MIN_SCORE } else { MODEL_ONLY_MIN })
        .collect();
    let weak_best = if (0..scores.len()).any(|i| reaches[i] && (substantial || cued[i])) {
        None
    } else {
        (0..scores.len())
            .filter(|&i| cued[i] && scores[i] >= WEAK_MIN)
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
    };
    let mut out: Vec<ConcernJudgement> = Concern::ALL
        .iter()
        .enumerate()
        .filter_map(|(i, &label)| {
            let score = scores[i];
            // Without a cue word the model alone must be fairly sure: its evidence is then
            // only the sentence that weighed most.
            // A few words with no cue ("Hello, nice to meet you") say no concern at all.
            if !cued[i] && !substantial {
                return None;
            }
            if !reaches[i] && weak_best != Some(i) {
                return None;
            }
            let mut s = std::mem::take(&mut support[i]);
            s.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut evidence: Vec<String> = Vec::new();
            // Cues inside a sentence already quoted are skipped before any text is cut.
            let mut quoted: Vec<(*const ScannedMessage, usize, usize)> = Vec::new();
            for (_, msg, m) in s {
                if evidence.len() >= MAX_EVIDENCE {
                    break;
                }
                let here = std::ptr::from_ref(msg);
                if quoted
                    .iter()
                    .any(|&(p, from, to)| p == here && m.start >= from && m.end <= to)
                {
                    continue;
                }
                let (from, to, _, _) = snippet_bounds(&msg.text, m.start, m.end);
                quoted.push((here, from, to));
                let quote = snippet(&msg.text, m.start, m.end);
                if !evidence.contains(&quote) {
                    evidence.push(quote);
                }
            }
            if evidence.is_empty() {
                let newest = scanned.buyer().next();
                let said = models.zip(newest).and_then(|(m, msg)| {
                    crate::model::deciding_sentence(&m.concerns, i, &msg.text)
                });
                evidence.extend(said);
            }
            if evidence.is_empty() {
                return None;
            }
            Some(ConcernJudgement {
                label,
                score: (score * 100.0).round() / 100.0,
                evidence,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

/// The sentences of a message, and which of them ask or demand something: a question mark,
/// or an asking phrase ("what is", "can you", "please advise").
struct Sentences {
    /// Byte offset just past each sentence end, in order.
    ends: Vec<usize>,
    asked: Vec<bool>,
    /// Start of the first concern cue right after each asking phrase: the question's topic.
    topics: Vec<usize>,
}

impl Sentences {
    fn of(msg: &ScannedMessage) -> Sentences {
        let mut ends = Vec::new();
        let mut asked = Vec::new();
        let mut question = false;
        for (i, c) in msg.text.char_indices() {
            if matches!(c, '?' | '？' | '؟') {
                question = true;
            }
            if matches!(
                c,
                '.' | '!' | '?' | '\n' | '。' | '！' | '？' | ';' | '；' | '؟'
            ) {
                ends.push(i + c.len_utf8());
                asked.push(question);
                question = false;
            }
        }
        ends.push(msg.text.len());
        asked.push(question);
        let mut sentences = Sentences {
            ends,
            asked,
            topics: Vec::new(),
        };
        for (k, c) in msg.cues.iter().enumerate() {
            if c.kind != CueKind::Hint(Hint::Ask) {
                continue;
            }
            let i = sentences.index(c.start);
            if let Some(a) = sentences.asked.get_mut(i) {
                *a = true;
            }
            // Cues come in text order; the first concern within reach, in the same sentence.
            let topic = msg.cues.iter().skip(k + 1).find(|t| {
                matches!(t.kind, CueKind::Concern(_)) && t.start >= c.end
                    || t.start > c.end + TOPIC_REACH
            });
            if let Some(t) = topic.filter(|t| {
                matches!(t.kind, CueKind::Concern(_))
                    && t.start <= c.end + TOPIC_REACH
                    && sentences.index(t.start) == i
            }) {
                sentences.topics.push(t.start);
            }
        }
        sentences.topics.sort_unstable();
        sentences.topics.dedup();
        sentences
    }

    fn index(&self, at: usize) -> usize {
        self.ends.partition_point(|&end| end <= at)
    }

    /// True when a concern cue starting at byte `at` is what a question asks about.
    fn topic(&self, at: usize) -> bool {
        self.topics.binary_search(&at).is_ok()
    }

    /// True when the sentence holding byte `at` asks or demands.
    fn asked(&self, at: usize) -> bool {
        self.asked.get(self.index(at)).copied().unwrap_or(false)
    }
}

fn concern_index(c: Concern) -> usize {
    Concern::ALL.iter().position(|&x| x == c).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<Concern> {
        judge_concerns(&ThreadInput::single(text))
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn an_order_that_never_came_is_a_delivery_concern_and_a_plea_to_lower_a_price_a_price_one() {
        for (text, want) in [
            (
                "It's been more than 30 days since my order. No response on the email. \
                 I want to know what happened to my order!",
                Concern::DeliveryTime,
            ),
            (
                "Daniel, você poderia abaixar um pouco o preço do plugin? É muito difícil para mim.",
                Concern::Price,
            ),
            (
                "How can I order both boards without paying postage twice? Could you ship them in one package?",
                Concern::ShippingLogistics,
            ),
        ] {
            assert_eq!(labels(text).first(), Some(&want), "{text}");
        }
    }

    #[test]
    fn a_question_about_moq_is_the_top_concern() {
        assert_eq!(
            labels("Hi, what is your MOQ for the 600x600 panel?").first(),
            Some(&Concern::Moq)
        );
    }

    #[test]
    fn a_quote_request_alone_is_a_price_concern_that_any_question_outranks() {
        let c = judge_concerns(&ThreadInput::single(
            "Please quote 200 sets of office chairs, model C-12.",
        ));
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].label, Concern::Price);
        assert_eq!(
            labels("Please quote 200 sets of office chairs, model C-12. What is your MOQ?").first(),
            Some(&Concern::Moq)
        );
    }

    #[test]
    fn textbook_complaints_name_what_went_wrong() {
        for (text, want) in [
            (
                "The dried mushrooms you shipped to us fall well short of the standard \
                 laid down in the contract.",
                Concern::Quality,
            ),
            (
                "We regret to say that 46 bags had burst on arrival and the cement is lost.",
                Concern::Packaging,
            ),
            (
                "The goods we ordered six weeks ago have not yet been delivered.",
                Concern::DeliveryTime,
            ),
            (
                "Your prices are on the high side and out of line with the market.",
                Concern::Price,
            ),
        ] {
            assert_eq!(labels(text).first(), Some(&want), "{text}");
        }
    }

    #[test]
    fn haggling_is_a_price_concern_with_evidence() {
        let c = judge_concerns(&ThreadInput::single(
            "Too expensive. Our target price is USD 4.2, can you give a discount?",
        ));
        assert_eq!(c.first().map(|c| c.label), Some(Concern::Price));
        assert!(c[0]
            .evidence
            .iter()
            .any(|e| e.contains("discount") || e.contains("target price")));
    }

    #[test]
    fn nothing_expressed_gives_no_concerns() {
        assert!(labels("Hello, nice to meet you.").is_empty());
    }

    #[test]
    fn words_of_the_signature_raise_no_concern() {
        let text = "Hallo Jonas,\n\nanbei eine weitere Bestellung der Klebebänder. Darf ich Dich \
                    bitten, uns einen möglichst tiefen Preis zu bestätigen?\n\nFreundliche Grüsse\n\
                    Andrea Keller\nLeiterin Einkauf\nQualitätsmanagement\nRheintal Etiketten AG";
        let got = labels(text);
        assert_eq!(got.first(), Some(&Concern::Price), "{got:?}");
        assert!(!got.contains(&Concern::Packaging), "{got:?}");
    }

    #[test]
    fn a_thanks_that_opens_the_message_cuts_nothing() {
        let got = labels("Hi,\n\nThanks.\n\nWhat is the MOQ and price for 500 pcs?");
        assert!(got.contains(&Concern::Moq), "{got:?}");
    }
}
