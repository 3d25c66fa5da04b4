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
        }
    })
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
