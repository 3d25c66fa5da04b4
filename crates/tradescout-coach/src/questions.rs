//! Choosing the SPIN questions: for the gaps in what we know, at the buyer's stage.

use crate::bank::question_bank;
use crate::gaps::known_gaps;
use tradescout_core::analysis::{Analysis, Question};
use tradescout_core::{Lang, Stage};

/// Most questions suggested at once: a buyer answers two or three, not ten.
pub const MAX_QUESTIONS: usize = 5;

/// At most [`MAX_QUESTIONS`] questions for the gaps of `analysis`, most important first.
/// A buyer placing an order gets no situation questions.
pub fn questions(analysis: &Analysis, lang: Lang) -> Vec<Question> {
    if analysis.spam.is_spam {
        return Vec::new();
    }
    let stage = analysis.stage.label;
    let mut out = Vec::new();
    for gap in known_gaps(analysis) {
        let best = question_bank()
            .iter()
            .filter(|q| q.gap == gap && q.stages.contains(&stage))
            .filter(|q| {
                !(stage >= Stage::Decision
                    && q.kind == "situation"
                    && stage != Stage::Implementation)
            })
            .min_by_key(|q| kind_rank(&q.kind, stage));
        if let Some(q) = best {
            if out.iter().any(|o: &Question| o.text == q.text.get(lang)) {
                continue;
            }
            out.push(Question {
                kind: q.kind.clone(),
                text: q.text.get(lang).to_string(),
                why: q.why.get(lang).to_string(),
            });
        }
        if out.len() >= MAX_QUESTIONS {
            break;
        }
    }
    out
}

/// SPIN moves from situation to need-payoff as the buyer moves through the cycle.
fn kind_rank(kind: &str, stage: Stage) -> usize {
    let order: &[&str] = match stage {
        Stage::NeedRecognition => &["situation", "problem", "implication", "need_payoff"],
        Stage::Evaluation => &["problem", "situation", "implication", "need_payoff"],
        Stage::Concerns => &["implication", "need_payoff", "problem", "situation"],
        Stage::Decision => &["need_payoff", "implication", "problem", "situation"],
        Stage::Implementation => &["situation", "need_payoff", "problem", "implication"],
    };
    order.iter().position(|k| *k == kind).unwrap_or(order.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::analysis;

    #[test]
    fn a_vague_first_inquiry_gets_situation_questions_about_the_application_first() {
        let a = analysis(Stage::NeedRecognition, &[]);
        let q = questions(&a, Lang::En);
        assert!(!q.is_empty() && q.len() <= MAX_QUESTIONS);
        assert_eq!(q[0].kind, "situation");
        assert!(q[0].text.contains("used"), "{}", q[0].text);
        assert!(q.iter().all(|x| !x.why.is_empty()));
    }

    #[test]
    fn a_buyer_placing_an_order_gets_no_situation_questions() {
        let a = analysis(Stage::Decision, &[]);
        assert!(questions(&a, Lang::En)
            .iter()
            .all(|q| q.kind != "situation"));
    }

    #[test]
    fn questions_come_in_the_sellers_language() {
        let a = analysis(Stage::Evaluation, &[]);
        let zh = questions(&a, Lang::ZhCn);
        assert!(zh.iter().all(|q| q
            .text
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))));
    }
}
