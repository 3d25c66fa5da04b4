//! The question and action banks shipped as data files.

use crate::gaps::Gap;
use crate::knowledge::CategoryWords;
use crate::reply_lang::ReplyLang;
use serde::Deserialize;
use std::sync::OnceLock;
use tradescout_core::{Concern, Lang, Stage};

const QUESTIONS: &str = include_str!("../data/questions.toml");
const ACTIONS: &str = include_str!("../data/actions.toml");
const CATEGORY_QUESTIONS: &str = include_str!("../data/category_questions.toml");

/// Text in both languages of the user interface, and optionally in Spanish for the
/// buyer-facing proposal.
#[derive(Debug, Clone, Deserialize)]
pub struct Bilingual {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    #[serde(default)]
    pub es: Option<String>,
}

impl Bilingual {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh_cn,
        }
    }

    /// The text in `lang`; English where there is no Spanish.
    pub fn get_in(&self, lang: ReplyLang) -> &str {
        match lang {
            ReplyLang::En => &self.en,
            ReplyLang::ZhCn => &self.zh_cn,
            ReplyLang::Es => self.es.as_deref().unwrap_or(&self.en),
        }
    }
}

/// One question of the bank.
#[derive(Debug, Clone, Deserialize)]
pub struct BankQuestion {
    /// The product category it is for (`category_questions.toml`); `None` for generic ones.
    #[serde(default)]
    pub category: Option<String>,
    /// `situation`, `problem`, `implication`, `need_payoff`.
    pub kind: String,
    /// The gap the question uncovers.
    pub gap: Gap,
    /// Stages at which it is worth asking.
    pub stages: Vec<Stage>,
    pub text: Bilingual,
    pub why: Bilingual,
}

/// One next action of the bank.
#[derive(Debug, Clone, Deserialize)]
pub struct BankAction {
    /// The stage it moves forward.
    pub stage: Stage,
    /// Only when the buyer shows this concern.
    pub concern: Option<Concern>,
    pub text: Bilingual,
    pub why: Bilingual,
}

#[derive(Debug, Deserialize)]
struct QuestionFile {
    question: Vec<BankQuestion>,
}

/// The per-category questions and the words that put a product in each category.
#[derive(Debug, Default, Deserialize)]
pub struct CategoryBank {
    pub category: Vec<CategoryWords>,
    pub question: Vec<BankQuestion>,
}

#[derive(Debug, Deserialize)]
struct ActionFile {
    action: Vec<BankAction>,
}

/// The shipped question bank (empty if the data file were broken; a test guards that).
pub fn question_bank() -> &'static [BankQuestion] {
    static BANK: OnceLock<Vec<BankQuestion>> = OnceLock::new();
    BANK.get_or_init(|| {
        toml::from_str::<QuestionFile>(QUESTIONS)
            .map(|f| f.question)
            .unwrap_or_default()
    })
}

/// The shipped per-category question bank.
pub fn category_bank() -> &'static CategoryBank {
    static BANK: OnceLock<CategoryBank> = OnceLock::new();
    BANK.get_or_init(|| toml::from_str(CATEGORY_QUESTIONS).unwrap_or_default())
}

/// The shipped action bank.
pub fn action_bank() -> &'static [BankAction] {
    static BANK: OnceLock<Vec<BankAction>> = OnceLock::new();
    BANK.get_or_init(|| {
        toml::from_str::<ActionFile>(ACTIONS)
            .map(|f| f.action)
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_banks_parse_and_are_bilingual() {
        let q = toml::from_str::<QuestionFile>(QUESTIONS);
        assert!(q.is_ok(), "{:?}", q.err());
        let a = toml::from_str::<ActionFile>(ACTIONS);
        assert!(a.is_ok(), "{:?}", a.err());
        for q in question_bank() {
            assert!(
                !q.text.en.is_empty()
                    && !q.text.zh_cn.is_empty()
                    && !q.why.en.is_empty()
                    && !q.why.zh_cn.is_empty()
            );
            assert!(
                ["situation", "problem", "implication", "need_payoff"].contains(&q.kind.as_str()),
                "{}",
                q.kind
            );
        }
        let c = toml::from_str::<CategoryBank>(CATEGORY_QUESTIONS);
        assert!(c.is_ok(), "{:?}", c.err());
        let c = category_bank();
        for id in [
            "lighting",
            "solar_storage",
            "furniture",
            "textiles_apparel",
            "machinery",
            "consumer_electronics",
            "packaging",
            "building_materials",
        ] {
            assert!(c.category.iter().any(|w| w.id == id), "no words for {id}");
            assert!(
                c.question.iter().any(|q| q.category.as_deref() == Some(id)),
                "no questions for {id}"
            );
        }
        for q in &c.question {
            let known = q
                .category
                .as_deref()
                .is_some_and(|id| c.category.iter().any(|w| w.id == id));
            assert!(known, "{:?} has no known category", q.text.en);
            assert!(!q.text.zh_cn.is_empty() && !q.why.en.is_empty() && !q.why.zh_cn.is_empty());
        }
        for stage in Stage::ALL {
            assert!(
                action_bank()
                    .iter()
                    .any(|a| a.stage == *stage && a.concern.is_none()),
                "no action for {stage}"
            );
        }
    }
}
