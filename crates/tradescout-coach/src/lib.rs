//! Coaching the seller: which SPIN questions uncover what we do not know yet about the buyer's
//! real need, and what to do next to move the deal forward at the buyer's stage.
//!
//! Question and action banks are data files (`data/questions.toml`, `data/actions.toml`) in
//! zh-CN and en, so sales managers can edit them without touching code.

pub mod actions;
pub mod bank;
pub mod gaps;
pub mod questions;

pub use actions::next_actions;
pub use gaps::{known_gaps, Gap};
pub use questions::questions;

#[cfg(test)]
mod test_support {
    use tradescout_core::analysis::*;
    use tradescout_core::{Concern, Stage};

    /// An analysis at `stage` with the given concerns (and their evidence), nothing else known.
    pub fn analysis(stage: Stage, concerns: &[(Concern, &str)]) -> Analysis {
        Analysis {
            language: Some("en".into()),
            buyer: Buyer::default(),
            request: Request::default(),
            stage: StageJudgement {
                label: stage,
                confidence: 0.8,
                evidence: vec![],
            },
            concerns: concerns
                .iter()
                .map(|(c, e)| ConcernJudgement {
                    label: *c,
                    score: 0.9,
                    evidence: vec![e.to_string()],
                })
                .collect(),
            spam: Spam::default(),
            next_actions: vec![],
            questions: vec![],
        }
    }
}
