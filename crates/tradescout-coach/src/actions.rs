//! The next best actions for the buyer's stage and top concerns.

use crate::bank::action_bank;
use tradescout_core::analysis::{Action, Analysis};
use tradescout_core::{tr, Lang};

/// Concern-specific actions considered (for the top concerns only).
const TOP_CONCERNS: usize = 2;

/// Next actions: the stage's general ones, then those answering the top concerns. A likely
/// scam gets one action: verify before anything else.
pub fn next_actions(analysis: &Analysis, lang: Lang) -> Vec<Action> {
    if analysis.spam.is_spam {
        return vec![Action {
            text: tr(lang, "coach.verify_first", &[]),
            why: analysis
                .spam
                .reasons
                .first()
                .cloned()
                .unwrap_or_else(|| tr(lang, "coach.verify_first_why", &[])),
        }];
    }
    let stage = analysis.stage.label;
    let mut out: Vec<Action> = Vec::new();
    for concern in analysis.concerns.iter().take(TOP_CONCERNS) {
        // A concern's action applies at any stage where the buyer raises it.
        if let Some(a) = action_bank()
            .iter()
            .find(|a| a.concern == Some(concern.label))
        {
            let why = match concern.evidence.first() {
                Some(e) => format!("{} «{}»", a.why.get(lang), e),
                None => a.why.get(lang).to_string(),
            };
            out.push(Action {
                text: a.text.get(lang).to_string(),
                why,
            });
        }
    }
    for a in action_bank()
        .iter()
        .filter(|a| a.stage == stage && a.concern.is_none())
    {
        out.push(Action {
            text: a.text.get(lang).to_string(),
            why: a.why.get(lang).to_string(),
        });
    }
    out.truncate(3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::analysis;
    use tradescout_core::{Concern, Stage};

    #[test]
    fn a_haggling_buyer_gets_the_price_action_first_with_the_buyers_words() {
        let a = analysis(Stage::Concerns, &[(Concern::Price, "can you do 10.60?")]);
        let actions = next_actions(&a, Lang::En);
        assert!(actions[0].text.contains("price"), "{}", actions[0].text);
        assert!(actions[0].why.contains("can you do 10.60?"));
        assert!(actions.len() <= 3);
    }

    #[test]
    fn every_stage_has_a_next_action_in_both_languages() {
        for stage in Stage::ALL {
            let a = analysis(*stage, &[]);
            assert!(!next_actions(&a, Lang::En).is_empty());
            assert!(!next_actions(&a, Lang::ZhCn).is_empty());
        }
    }
}
