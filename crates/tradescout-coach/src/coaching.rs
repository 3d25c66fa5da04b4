//! One coaching pass over an analysed inquiry: the need behind the request, flags, SPIN
//! questions, next actions, catalogue matches and a proposal — the `coach` JSON contract.

use crate::catalogue::Catalogue;
use crate::flags::{flags, Flag};
use crate::knowledge::Knowledge;
use crate::matching::{self, Match};
use crate::need::{need_of, product_text};
use crate::proposal::proposal;
use crate::questions::{categories_of, questions_for};
use crate::reply_lang::ReplyLang;
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
    /// The day deadlines are counted from (days since 1970-01-01): the day the buyer wrote,
    /// so an inquiry read weeks later is judged as it stood; lead time plus the way to the
    /// buyer is weighed against the days left from it.
    pub today: Option<i64>,
    /// The seller's language: flags, questions, actions, matches.
    pub lang: Lang,
    /// The proposal's language ([`coach_in`] takes any [`ReplyLang`] instead).
    pub reply_lang: Lang,
}

/// The `coach --format json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coaching {
    /// The spam verdict: when it says spam, nothing below is advice on a deal.
    pub spam: tradescout_core::analysis::Spam,
    pub stage: StageJudgement,
    pub flags: Vec<Flag>,
    pub questions: Vec<Question>,
    pub next_actions: Vec<Action>,
    pub matches: Vec<Match>,
    /// What the buyer asked for that the catalogue does not carry, with the nearest product
    /// of the same line when there is one.
    pub not_in_catalogue: Vec<crate::concept_match::NotCarried>,
    /// Product codes the buyer wrote that no catalogue row carries, with the row whose code is
    /// closest.
    pub codes_not_in_catalogue: Vec<crate::concept_match::CodeNotCarried>,
    /// Markdown; empty (written as `null`) when there is nothing to propose, as for a scam.
    #[serde(serialize_with = "empty_as_null")]
    pub proposal: String,
}

fn empty_as_null<S: serde::Serializer>(s: &str, ser: S) -> Result<S::Ok, S::Error> {
    if s.is_empty() {
        ser.serialize_none()
    } else {
        ser.serialize_str(s)
    }
}

/// Coaches the seller on one analysed inquiry, the proposal in `input.reply_lang`.
pub fn coach(input: CoachInput<'_>) -> Coaching {
    coach_in(input, ReplyLang::from(input.reply_lang))
}

/// Coaches the seller on one analysed inquiry, the proposal in `reply_lang` (which may be a
/// buyer language the user interface does not have, such as Spanish).
pub fn coach_in(input: CoachInput<'_>, reply_lang: ReplyLang) -> Coaching {
    let k = Knowledge::shipped();
    let a = input.analysis;
    if a.spam.is_spam {
        // A scam is not a deal: no matches, flags or proposal — only the warning's actions.
        let mut stage = a.stage.clone();
        stage.suppressed = true;
        return Coaching {
            spam: a.spam.clone(),
            stage,
            flags: Vec::new(),
            questions: questions_for(a, &[], input.lang),
            next_actions: crate::next_actions(a, input.lang),
            matches: Vec::new(),
            not_in_catalogue: Vec::new(),
            codes_not_in_catalogue: Vec::new(),
            proposal: String::new(),
        };
    }
    let need = need_of(a, input.buyer_text, k);
    let matches = match input.catalogue {
        Some(c) => matching::matches(a, &need, c, k, input.today, input.lang),
        None => Vec::new(),
    };
    // The proposal's reasons are in the reply language, so match again only when it differs.
    let reply_matches = match input.catalogue {
        Some(c) if reply_lang != ReplyLang::from(input.lang) => {
            matching::matches(a, &need, c, k, input.today, reply_lang)
        }
        _ => matches.clone(),
    };
    let categories = question_categories(&input, &matches);
    let not_in_catalogue = match input.catalogue {
        Some(c) => crate::concept_match::not_carried(
            &crate::concept_match::wanted_concepts(a, &need),
            &c.products,
            input.lang.tag(),
        ),
        None => Vec::new(),
    };
    let codes_not_in_catalogue = match input.catalogue {
        Some(c) => crate::concept_match::codes_not_carried(a, &c.products),
        None => Vec::new(),
    };
    let mut next_actions = crate::next_actions(a, input.lang);
    // Codes go to the front in reverse, so they read in the buyer's order; the products not
    // carried then go in front of them.
    for n in codes_not_in_catalogue.iter().rev() {
        let keys = (
            "coach.code_not_carried",
            "coach.code_not_carried_nearest",
            "coach.code_not_carried_why",
        );
        next_actions.insert(
            0,
            not_carried_action(input.lang, keys, ("code", &n.code), n.nearest.as_deref()),
        );
    }
    for n in &not_in_catalogue {
        let keys = (
            "coach.not_carried",
            "coach.not_carried_nearest",
            "coach.not_carried_why",
        );
        next_actions.insert(
            0,
            not_carried_action(input.lang, keys, ("product", &n.name), n.nearest.as_deref()),
        );
    }
    let mut all_flags = flags(a, &need, input.catalogue, k, input.lang);
    if let Some(c) = input.catalogue {
        crate::flags::matched_supply_flags(&matches, c, &need, input.lang, &mut all_flags);
    }
    Coaching {
        spam: a.spam.clone(),
        stage: a.stage.clone(),
        flags: all_flags,
        questions: questions_for(a, &categories, input.lang),
        next_actions,
        proposal: proposal(a, &need, &reply_matches, input.catalogue, k, reply_lang),
        matches,
        not_in_catalogue,
        codes_not_in_catalogue,
    }
}

/// The action for something asked that the catalogue lacks: `keys` are the message without a
/// nearest product, the one with it, and the reason; `what` is the placeholder and its value.
fn not_carried_action(
    lang: Lang,
    (plain, with_nearest, why): (&str, &str, &str),
    (name, value): (&str, &str),
    nearest: Option<&str>,
) -> Action {
    let (key, nearest) = match nearest {
        Some(p) => (with_nearest, p),
        None => (plain, ""),
    };
    Action {
        text: tradescout_core::tr(lang, key, &[(name, &value), ("nearest", &nearest)]),
        why: tradescout_core::tr(lang, why, &[(name, &value)]),
    }
}

/// The product categories the questions are chosen for: the requested products'; when they
/// carry no telling word ("IP65, 100 unidades"), the best-matching catalogue product's, else
/// the buyer's words'.
fn question_categories(input: &CoachInput<'_>, matches: &[Match]) -> Vec<&'static str> {
    let texts: Vec<String> = input
        .analysis
        .request
        .products
        .iter()
        .map(product_text)
        .collect();
    let from_request = categories_of(texts.iter().map(String::as_str));
    if !from_request.is_empty() {
        return from_request;
    }
    let best = matches
        .iter()
        .find(|m| !m.disqualified)
        .or(matches.first())
        .and_then(|m| m.product(input.catalogue?));
    if let Some(p) = best {
        let text = format!("{} {}", p.category.as_deref().unwrap_or(""), p.name);
        let from_catalogue = categories_of([text.as_str()]);
        if !from_catalogue.is_empty() {
            return from_catalogue;
        }
    }
    categories_of([input.buyer_text])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::request;

    const CATALOGUE: &[u8] = b"sku,name,category,price,currency,moq,certifications,ip_rating
FL65,LED flood light 100W,lighting,8.9,USD,100,CE;RoHS;REACH;ErP,IP65
FL68,LED flood light 100W,lighting,11.5,USD,100,CE;RoHS;REACH;ErP,IP68
K-7788,Model K-7788,\xe5\xae\xb6\xe5\x85\xb7,35,USD,20,,
";

    fn input<'a>(a: &'a Analysis, text: &'a str, c: &'a Catalogue) -> CoachInput<'a> {
        CoachInput {
            analysis: a,
            buyer_text: text,
            catalogue: Some(c),
            today: None,
            lang: Lang::ZhCn,
            reply_lang: Lang::ZhCn,
        }
    }

    #[test]
    fn a_spanish_proposal_is_written_in_spanish_with_the_reasons_while_the_seller_reads_chinese() {
        let c = Catalogue::from_csv(CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let mut a = request("LED flood light", &[("ip_rating", "IP68")], Some("ES"));
        a.request.incoterm = Some("CIF".into());
        let text = "Necesitamos focos LED para el jardín, bajo los árboles.";
        let out = coach_in(input(&a, text, &c), ReplyLang::Es);
        let p = &out.proposal;
        for want in [
            "# Propuesta",
            "## Lo que usted necesita",
            "jardín bajo árboles",
            "## Productos recomendados",
            "Por qué FL65",
            "es suficiente para",
            "## Lo que recibirá",
            "el vendedor paga el flete",
            "## Servicios añadidos",
            "## Próximos pasos",
        ] {
            assert!(p.contains(want), "no «{want}» in:\n{p}");
        }
        assert!(!p.contains("What you need") && !p.contains("推荐"), "{p}");
        // Seller-facing parts stay in the seller's language.
        assert!(
            out.flags.iter().any(|f| f.text.contains("买家")),
            "{:?}",
            out.flags
        );
        assert!(out.matches[0].fits.iter().any(|f| f.contains("满足")));
    }

    #[test]
    fn coach_keeps_the_reply_lang_of_its_input() {
        let c = Catalogue::from_csv(CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let mut a = request("LED flood light", &[], None);
        a.request.incoterm = Some("FOB".into());
        let out = coach(input(&a, "", &c));
        assert!(out.proposal.contains("推荐产品"), "{}", out.proposal);
        assert!(out.proposal.contains("买方"), "{}", out.proposal);
    }

    #[test]
    fn the_matched_catalogue_category_chooses_the_category_questions() {
        let c = Catalogue::from_csv(CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let a = request("K-7788", &[], None);
        let mut i = input(&a, "please quote K-7788", &c);
        i.lang = Lang::En;
        let out = coach(i);
        assert_eq!(out.matches.first().map(|m| m.sku.as_str()), Some("K-7788"));
        assert!(
            out.questions
                .iter()
                .any(|q| q.text.contains("homes, offices, hotels")),
            "{:#?}",
            out.questions
        );
        assert!(out.questions.len() <= crate::questions::MAX_QUESTIONS);
    }
}
