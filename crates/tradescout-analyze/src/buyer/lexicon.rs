//! The buyer vocabulary (`data/buyer.toml`), parsed once.

use super::running_text::intro_set;
use crate::request::lexicon::PhraseSet;
use crate::request::text::FastSet;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Deserialize, Default)]
pub(super) struct BuyerFile {
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    company_suffixes: Vec<String>,
    #[serde(default)]
    company_words: Vec<String>,
    #[serde(default)]
    company_prefixes: Vec<String>,
    #[serde(default)]
    closings: Vec<String>,
    #[serde(default)]
    labels: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    platform_domains: Vec<String>,
    #[serde(default)]
    robot_locals: Vec<String>,
    #[serde(default)]
    freemail: Vec<String>,
    #[serde(default)]
    intros: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    courtesy: Vec<String>,
    #[serde(default)]
    greets_name: Vec<String>,
    #[serde(default)]
    company_endings_cjk: Vec<String>,
    #[serde(default)]
    departments: Vec<String>,
    #[serde(default)]
    name_particles: Vec<String>,
    #[serde(default)]
    generic_names: Vec<String>,
    #[serde(default)]
    public_bodies: Vec<String>,
    #[serde(default)]
    public_body_endings: Vec<String>,
    #[serde(default)]
    self_words: Vec<String>,
    #[serde(default)]
    your_words: Vec<String>,
    #[serde(default)]
    name_quotes: Vec<(String, String)>,
    #[serde(default)]
    quoted_forms: Vec<String>,
    #[serde(default)]
    form_endings_cjk: Vec<String>,
    #[serde(default)]
    cjk_name_stops: Vec<String>,
    #[serde(default)]
    cjk_company_intros: Vec<String>,
    #[serde(default)]
    not_own_between: Vec<String>,
    #[serde(default)]
    own_company_window: usize,
    #[serde(default)]
    bought_from_before: Vec<String>,
}

pub(super) struct Lexicon {
    pub(super) titles: PhraseSet<()>,
    pub(super) company_suffixes: FastSet<String>,
    pub(super) company_words: FastSet<String>,
    /// Words that open a company's name in languages that put the form first ("شركة …",
    /// "ООО …", "PT …"), and forms written as abbreviations anywhere ("ذ.م.م").
    pub(super) company_prefixes: Vec<String>,
    pub(super) closings: FastSet<String>,
    /// Label (lowercase) → field.
    pub(super) labels: BTreeMap<String, String>,
    pub(super) platform_domains: Vec<String>,
    pub(super) robot_locals: Vec<String>,
    pub(super) freemail: FastSet<String>,
    /// Introducing phrase → the facts it may introduce (`INTRO_*` bits).
    pub(super) intros: PhraseSet<u8>,
    /// Words a pleasantry is made of ("thanks a lot", "good morning, sir").
    pub(super) courtesy: FastSet<String>,
    /// Courtesy words a name may follow ("Mr", "Dear", "morning").
    pub(super) greets_name: FastSet<String>,
    /// How a Chinese or Japanese trade name ends without its legal form ("…贸易", "…商行").
    pub(super) company_endings_cjk: Vec<String>,
    /// Words of a department line ("Purchasing Department", "采购部"), no company.
    pub(super) departments: Vec<String>,
    /// Small words a trade name may hold in lower case ("Muebles del Sur").
    pub(super) name_particles: FastSet<String>,
    /// Words of a mailbox's display name that name no person ("Sales Team", "Info").
    pub(super) generic_names: FastSet<String>,
    /// Words that open a public buyer's name ("municipalidad", "universität"), lower case.
    pub(super) public_bodies: Vec<String>,
    /// Words that end a public buyer's name in languages that put them last ("Düzce
    /// Belediyesi", "厦门大学"), lower case.
    pub(super) public_body_endings: Vec<String>,
    /// Words of a line that speaks of the writer ("we", "nous", "我们"), lower case.
    pub(super) self_words: FastSet<String>,
    /// Words for the reader's company right before a name ("your", "贵"), lower case.
    pub(super) your_words: FastSet<String>,
    /// Han and kana words among `self_words` and `your_words`, matched anywhere on a line.
    pub(super) self_words_cjk: Vec<String>,
    pub(super) your_words_cjk: Vec<String>,
    /// Opening and closing marks a quoted company name stands in.
    pub(super) name_quotes: Vec<(String, String)>,
    /// Forms written before a quoted name ("ооо"), lower case.
    pub(super) quoted_forms: FastSet<String>,
    /// Han endings of a legal form, longest first.
    pub(super) form_endings_cjk: Vec<String>,
    pub(super) cjk_name_stops: Vec<String>,
    /// Han words that introduce the writer's company right before its name ("是", "本公司").
    pub(super) cjk_company_intros: Vec<String>,
    /// Words between the writer's word and a company that make it someone else's, lower case.
    pub(super) not_own_between: FastSet<String>,
    /// How many words after the writer's word a company of the writer's may stand.
    pub(super) own_company_window: usize,
    /// Verbs right before an introduction that make the company after it a seller, lower case.
    pub(super) bought_from_before: FastSet<String>,
}

pub(super) const BUYER_TOML: &str = include_str!("../../data/buyer.toml");

pub(super) fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| {
        let f: BuyerFile = toml::from_str(BUYER_TOML).unwrap_or_default();
        let lower = |v: Vec<String>| {
            v.into_iter()
                .map(|s| s.to_lowercase())
                .collect::<FastSet<_>>()
        };
        Lexicon {
            titles: PhraseSet::new(f.titles.into_iter().map(|t| (t, (), false))),
            company_suffixes: lower(f.company_suffixes),
            company_words: lower(f.company_words),
            company_prefixes: f
                .company_prefixes
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            closings: lower(f.closings),
            labels: f
                .labels
                .into_iter()
                .flat_map(|(field, ls)| {
                    ls.into_iter()
                        .map(move |l| (l.to_lowercase(), field.clone()))
                })
                .collect(),
            platform_domains: f.platform_domains,
            robot_locals: f.robot_locals,
            freemail: lower(f.freemail),
            intros: intro_set(&f.intros),
            courtesy: lower(f.courtesy),
            greets_name: lower(f.greets_name),
            company_endings_cjk: f.company_endings_cjk,
            departments: f.departments.iter().map(|s| s.to_lowercase()).collect(),
            name_particles: lower(f.name_particles),
            generic_names: lower(f.generic_names),
            public_bodies: f.public_bodies.iter().map(|s| s.to_lowercase()).collect(),
            public_body_endings: f
                .public_body_endings
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            self_words_cjk: cjk_only(&f.self_words),
            your_words_cjk: cjk_only(&f.your_words),
            self_words: lower(f.self_words),
            your_words: lower(f.your_words),
            name_quotes: f
                .name_quotes
                .into_iter()
                .filter(|(open, close)| !open.is_empty() && !close.is_empty())
                .collect(),
            quoted_forms: lower(f.quoted_forms),
            form_endings_cjk: {
                let mut v = f.form_endings_cjk;
                v.retain(|e| !e.is_empty());
                v.sort_by_key(|e| std::cmp::Reverse(e.len()));
                v
            },
            cjk_name_stops: f.cjk_name_stops,
            cjk_company_intros: f.cjk_company_intros,
            not_own_between: lower(f.not_own_between),
            own_company_window: f.own_company_window.max(1),
            bought_from_before: lower(f.bought_from_before),
        }
    })
}

/// The words of `words` written in Han or kana (matched anywhere, not as whole words).
fn cjk_only(words: &[String]) -> Vec<String> {
    words
        .iter()
        .filter(|w| w.chars().any(crate::request::text::is_cjk))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buyer_data_parses() {
        let f: Result<BuyerFile, _> = toml::from_str(BUYER_TOML);
        let f = f.unwrap_or_else(|e| panic!("data/buyer.toml: {e}"));
        assert!(!f.titles.is_empty() && !f.closings.is_empty() && f.labels.contains_key("phone"));
    }
}
