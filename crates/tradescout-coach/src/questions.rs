//! Choosing the SPIN questions: for the gaps in what we know, at the buyer's stage, in the
//! words of the product's category where the category bank has a question for the gap.

use crate::bank::{category_bank, question_bank, BankQuestion};
use crate::gaps::known_gaps;
use crate::knowledge::contains_word;
use crate::need::product_text;
use tradescout_core::analysis::{Analysis, Question};
use tradescout_core::{Lang, Stage};

/// Most questions suggested at once: a buyer answers two or three, not ten.
pub const MAX_QUESTIONS: usize = 5;

/// At most [`MAX_QUESTIONS`] questions for the gaps of `analysis`, most important first, for
/// the categories of the requested products. A buyer placing an order gets no situation
/// questions.
pub fn questions(analysis: &Analysis, lang: Lang) -> Vec<Question> {
    let texts: Vec<String> = analysis.request.products.iter().map(product_text).collect();
    let categories = categories_of(texts.iter().map(String::as_str));
    questions_for(analysis, &categories, lang)
}

/// As [`questions`], for the given product `categories` (ids of `category_questions.toml`,
/// most relevant first): for each gap, the category's question when it has one, else the
/// generic one.
pub fn questions_for(analysis: &Analysis, categories: &[&str], lang: Lang) -> Vec<Question> {
    if analysis.spam.is_spam {
        return Vec::new();
    }
    let stage = analysis.stage.label;
    let fits = |q: &&BankQuestion| {
        q.stages.contains(&stage)
            && !(stage >= Stage::Decision
                && q.kind == "situation"
                && stage != Stage::Implementation)
    };
    let mut out = Vec::new();
    for gap in known_gaps(analysis) {
        let for_category = category_bank()
            .question
            .iter()
            .filter(|q| q.gap == gap)
            .filter(fits)
            .filter_map(|q| {
                let rank = categories
                    .iter()
                    .position(|c| q.category.as_deref() == Some(*c))?;
                Some((rank, q))
            })
            .min_by_key(|(rank, q)| (*rank, kind_rank(&q.kind, stage)))
            .map(|(_, q)| q);
        let generic = || {
            question_bank()
                .iter()
                .filter(|q| q.gap == gap)
                .filter(fits)
                .min_by_key(|q| kind_rank(&q.kind, stage))
        };
        if let Some(q) = for_category.or_else(generic) {
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

/// The product categories of `texts` (product names, catalogue categories), most relevant
/// first: for each text, the categories with the most word hits (ties all count).
pub fn categories_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for text in texts {
        let lower = text.to_lowercase();
        let hits: Vec<(usize, &'static str)> = category_bank()
            .category
            .iter()
            .map(|c| {
                let n = c.words.iter().filter(|w| contains_word(&lower, w)).count();
                (n, c.id.as_str())
            })
            .collect();
        let best = hits.iter().map(|(n, _)| *n).max().unwrap_or(0);
        for (n, id) in hits {
            if best > 0 && n == best && !out.contains(&id) {
                out.push(id);
            }
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
    use crate::test_support::{analysis, request};

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
    fn a_solar_request_gets_the_system_sizing_question_instead_of_the_generic_one() {
        let a = request("LiFePO4 lithium battery 10kWh", &[], None);
        let q = questions(&a, Lang::En);
        assert!(q.len() <= MAX_QUESTIONS && q.iter().all(|x| !x.why.is_empty()));
        assert!(
            q.iter().any(|x| x.text.contains("on-grid, off-grid")),
            "{q:#?}"
        );
        assert!(
            q.iter().all(|x| !x.text.contains("Where and how")),
            "{q:#?}"
        );
    }

    #[test]
    fn each_category_is_recognised_in_english_chinese_and_spanish() {
        let cases = [
            ("LED flood light 100W", "lighting"),
            ("投光灯", "lighting"),
            ("solar panel 450W", "solar_storage"),
            ("储能锂电池", "solar_storage"),
            ("inversor fotovoltaico", "solar_storage"),
            ("office chair", "furniture"),
            ("办公椅", "furniture"),
            ("sillas de comedor", "furniture"),
            ("cotton t-shirt 180gsm", "textiles_apparel"),
            ("纯棉T恤", "textiles_apparel"),
            ("camisetas de algodón", "textiles_apparel"),
            ("CNC lathe", "machinery"),
            ("注塑机", "machinery"),
            ("máquina de envasado", "machinery"),
            ("TWS earbuds", "consumer_electronics"),
            ("蓝牙耳机", "consumer_electronics"),
            ("auriculares bluetooth", "consumer_electronics"),
            ("corrugated box", "packaging"),
            ("彩盒包装", "packaging"),
            ("bolsas de papel", "packaging"),
            ("porcelain tile 600x600", "building_materials"),
            ("瓷砖", "building_materials"),
            ("porcelanato", "building_materials"),
        ];
        for (text, want) in cases {
            assert_eq!(categories_of([text]).first(), Some(&want), "{text}");
        }
        assert_eq!(categories_of(["LED desk lamp"]), ["lighting"]);
        assert!(categories_of(["please send your price list"]).is_empty());
    }

    #[test]
    fn category_questions_respect_the_stage_and_the_limit() {
        for category in category_bank().category.iter().map(|c| c.id.as_str()) {
            for stage in Stage::ALL {
                let a = analysis(*stage, &[]);
                let q = questions_for(&a, &[category], Lang::ZhCn);
                assert!(q.len() <= MAX_QUESTIONS, "{category} {stage}");
                assert!(q.iter().all(|x| !x.why.is_empty()));
                if *stage == Stage::Decision {
                    assert!(
                        q.iter().all(|x| x.kind != "situation"),
                        "{category}: {q:#?}"
                    );
                }
            }
        }
        let a = analysis(Stage::Evaluation, &[]);
        let q = questions_for(&a, &["furniture"], Lang::En);
        assert!(q.iter().any(|x| x.text.contains("40HQ")), "{q:#?}");
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
