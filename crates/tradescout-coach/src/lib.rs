//! Coaching the seller: which SPIN questions uncover what we do not know yet about the buyer's
//! real need, and what to do next to move the deal forward at the buyer's stage.
//!
//! It also matches the buyer's real need — not only what they asked for — against the
//! seller's catalogue ([`Catalogue`]), flags over- and under-specification, missing market
//! marks and supply mismatches, and drafts a proposal ([`coach`]).
//!
//! Question and action banks and the domain knowledge (IP codes, market marks, mains supply,
//! Incoterms, synonyms) are data files under `data/`, in zh-CN and en, so sales managers can
//! edit them without touching code. The crate does no I/O: it receives file contents.

pub mod actions;
pub mod bank;
pub mod catalogue;
pub mod coaching;
pub mod concept_match;
pub mod flags;
pub mod gaps;
pub mod knowledge;
pub mod marks;
pub mod matching;
pub mod materials;
pub mod measures;
pub mod need;
pub mod proposal;
pub mod questions;
pub mod relevance;
pub mod reply_lang;
pub mod row_index;
pub mod specs;
pub mod transit;

pub use actions::next_actions;
pub use catalogue::{Catalogue, CatalogueError, CatalogueProduct, RowError, RowProblem};
pub use coaching::{coach, coach_in, CoachInput, Coaching};
pub use flags::Flag;
pub use gaps::{known_gaps, Gap};
pub use knowledge::Knowledge;
pub use matching::{days_from_iso, Match};
pub use questions::{categories_of, questions, questions_for};
pub use reply_lang::ReplyLang;

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
                suppressed: false,
                unsure: false,
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

    /// An evaluation-stage analysis asking for one product with `specs`, going to `country`.
    pub fn request(name: &str, specs: &[(&str, &str)], country: Option<&str>) -> Analysis {
        let mut a = analysis(Stage::Evaluation, &[]);
        a.request.products.push(Product {
            name: name.into(),
            quantity: Some(500.0),
            unit: Some("pcs".into()),
            specs: specs
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                .collect(),
            ..Default::default()
        });
        a.request.destination = country.map(|c| Destination {
            country: Some(c.into()),
            port: None,
        });
        a
    }
}
