//! One coaching pass over an analysed inquiry: the need behind the request, flags, SPIN
//! questions, next actions, catalogue matches and a proposal — the `coach` JSON contract.

use crate::catalogue::Catalogue;
use crate::flags::{flags, Flag};
use crate::knowledge::Knowledge;
use crate::matching::{self, Match};
use crate::need::need_of;
use crate::proposal::proposal;
use serde::Serialize;
use tradescout_core::analysis::{Action, Analysis, Question, StageJudgement};
use tradescout_core::Lang;

/// What `coach` needs besides the analysis.
#[derive(Debug, Clone, Copy)]
pub struct CoachInput<'a> {
    pub analysis: &'a Analysis,
    /// The buyer's own words (all their messages), where the place of use is read from.
    pub buyer_text: &'a str,
    pub catalogue: Option<&'a Catalogue>,
    /// Days since 1970-01-01, to weigh lead times against a dated deadline.
    pub today: Option<i64>,
    /// The seller's language: flags, questions, actions, matches.
    pub lang: Lang,
    /// The proposal's language.
    pub reply_lang: Lang,
}

/// The `coach --format json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coaching {
    pub stage: StageJudgement,
    pub flags: Vec<Flag>,
    pub questions: Vec<Question>,
    pub next_actions: Vec<Action>,
    pub matches: Vec<Match>,
    pub proposal: String,
}

/// Coaches the seller on one analysed inquiry.
pub fn coach(input: CoachInput<'_>) -> Coaching {
    let k = Knowledge::shipped();
    let a = input.analysis;
    let need = need_of(a, input.buyer_text, k);
    let matches = match input.catalogue {
        Some(c) => matching::matches(a, &need, c, k, input.today, input.lang),
        None => Vec::new(),
    };
    // The proposal's reasons are in the reply language, so match again only when it differs.
    let reply_matches = match input.catalogue {
        Some(c) if input.reply_lang != input.lang => {
            matching::matches(a, &need, c, k, input.today, input.reply_lang)
        }
        _ => matches.clone(),
    };
    Coaching {
        stage: a.stage.clone(),
        flags: flags(a, &need, input.catalogue, k, input.lang),
        questions: crate::questions(a, input.lang),
        next_actions: crate::next_actions(a, input.lang),
        proposal: proposal(
            a,
            &need,
            &reply_matches,
            input.catalogue,
            k,
            input.reply_lang,
        ),
        matches,
    }
}
