//! The question and action banks shipped as data files.

use crate::gaps::Gap;
use serde::Deserialize;
use std::sync::OnceLock;
use tradescout_core::{Concern, Lang, Stage};

const QUESTIONS: &str = include_str!("../data/questions.toml");
const ACTIONS: &str = include_str!("../data/actions.toml");

/// Text in both languages.
#[derive(Debug, Clone, Deserialize)]
pub struct Bilingual {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
}

impl Bilingual {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh_cn,
        }
    }
}

/// One question of the bank.
#[derive(Debug, Clone, Deserialize)]
pub struct BankQuestion {
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
