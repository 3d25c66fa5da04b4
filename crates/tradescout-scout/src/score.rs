//! Fit against the seller's ideal customer profile, and risk, each 0–100 with reasons in the
//! user's language (and stable codes beside them).

use crate::lookalike::{Imitation, Lookalike};
use serde::{Deserialize, Serialize};
use tradescout_core::{tr, BusinessType, EmailKind, Lang};

/// The seller's ideal customer profile (config `[icp]`).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Icp {
    /// Business types the seller wants to sell to.
    pub business_types: Vec<BusinessType>,
    /// Business types that are likely competitors.
    pub competitor_types: Vec<BusinessType>,
    /// Target countries (ISO codes); empty means any.
    pub countries: Vec<String>,
    /// Smallest company wanted, in employees; unset means any.
    pub min_employees: Option<u32>,
}

impl Default for Icp {
    fn default() -> Self {
        Icp {
            business_types: vec![
                BusinessType::Importer,
                BusinessType::Distributor,
                BusinessType::Wholesaler,
                BusinessType::BrandOwner,
                BusinessType::TradingCompany,
            ],
            competitor_types: vec![BusinessType::Manufacturer],
            countries: Vec::new(),
            min_employees: None,
        }
    }
}

/// The facts the scores are computed from.
#[derive(Debug, Clone)]
pub struct ScoreInput {
    pub business_type: BusinessType,
    pub country: Option<String>,
    pub employees: Option<u32>,
    pub email_kind: EmailKind,
    pub domain_age_days: Option<i64>,
    pub mx: Option<bool>,
    pub site_reachable: bool,
    pub site_expected: bool,
    pub sanctions_hits: usize,
    /// Countries that the site's phone numbers belong to.
    pub phone_countries: Vec<String>,
    /// The famous brand the domain imitates, if any.
    pub lookalike: Option<Lookalike>,
}

/// `fit` of the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Fit {
    pub score: u8,
    pub reasons: Vec<String>,
    pub codes: Vec<String>,
    /// The reasons in every language of the interface (tag → reasons), so a report made by
    /// one reader reads right for another.
    pub by_lang: std::collections::BTreeMap<String, Vec<String>>,
}

/// `risk` of the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Risk {
    pub score: u8,
    pub flags: Vec<String>,
    pub codes: Vec<String>,
    /// The flags in every language of the interface (tag → flags).
    pub by_lang: std::collections::BTreeMap<String, Vec<String>>,
}

struct Tally {
    score: i32,
    texts: Vec<String>,
    codes: Vec<String>,
    lang: Lang,
}

impl Tally {
    fn add(&mut self, points: i32, code: &str, args: &[(&str, &dyn std::fmt::Display)]) {
        self.add_worded(points, code, code, args);
    }
    /// Like `add`, with the text from message `scout.{key}` where one code has several wordings.
    fn add_worded(
        &mut self,
        points: i32,
        code: &str,
        key: &str,
        args: &[(&str, &dyn std::fmt::Display)],
    ) {
        self.score += points;
        self.texts
            .push(tr(self.lang, &format!("scout.{key}"), args));
        self.codes.push(code.to_string());
    }
    fn clamped(&self) -> u8 {
        self.score.clamp(0, 100) as u8
    }
}

/// How well the buyer fits the profile, worded in `lang` and in every other language.
pub fn fit(input: &ScoreInput, icp: &Icp, lang: Lang) -> Fit {
    let (mut out, by_lang) = in_every_lang(lang, |l| fit_in(input, icp, l), |f| f.reasons);
    out.by_lang = by_lang;
    out
}

/// Signs of risk, worded in `lang` and in every other language.
pub fn risk(input: &ScoreInput, lang: Lang) -> Risk {
    let (mut out, by_lang) = in_every_lang(lang, |l| risk_in(input, l), |r| r.flags);
    out.by_lang = by_lang;
    out
}

/// `judge` in each language of the interface, once each: the judgement in `lang`, and the
/// texts of every language by tag.
fn in_every_lang<T: Clone>(
    lang: Lang,
    judge: impl Fn(Lang) -> T,
    texts: impl Fn(T) -> Vec<String>,
) -> (T, std::collections::BTreeMap<String, Vec<String>>) {
    let mut chosen = None;
    let mut by_lang = std::collections::BTreeMap::new();
    for l in [Lang::En, Lang::ZhCn] {
        let judged = judge(l);
        if l == lang {
            chosen = Some(judged.clone());
        }
        by_lang.insert(l.tag().to_string(), texts(judged));
    }
    (chosen.unwrap_or_else(|| judge(lang)), by_lang)
}

fn fit_in(input: &ScoreInput, icp: &Icp, lang: Lang) -> Fit {
    let mut t = Tally {
        score: 50,
        texts: Vec::new(),
        codes: Vec::new(),
        lang,
    };
    // The type in the reader's words ("贸易公司"), never the internal key.
    let kind = tr(
        lang,
        &format!("business_type.{}", input.business_type.as_str()),
        &[],
    );
    if input.business_type == BusinessType::Unknown {
        t.add(0, "fit.unknown_type", &[]);
    } else if icp.business_types.contains(&input.business_type) {
        t.add(30, "fit.wanted_type", &[("type", &kind)]);
    } else if icp.competitor_types.contains(&input.business_type) {
        t.add(-30, "fit.competitor", &[("type", &kind)]);
    } else {
        t.add(-10, "fit.other_type", &[("type", &kind)]);
    }
    if let Some(country) = &input.country {
        if icp
            .countries
            .iter()
            .any(|c| c.eq_ignore_ascii_case(country))
        {
            t.add(15, "fit.country_in", &[("country", country)]);
        } else if !icp.countries.is_empty() {
            t.add(-15, "fit.country_out", &[("country", country)]);
        }
    }
    if let (Some(min), Some(n)) = (icp.min_employees, input.employees) {
        if n >= min {
            t.add(5, "fit.size_ok", &[("employees", &n)]);
        } else {
            t.add(-10, "fit.size_small", &[("employees", &n), ("min", &min)]);
        }
    }
    if input.site_reachable {
        t.add(5, "fit.site_found", &[]);
    }
    Fit {
        score: t.clamped(),
        reasons: t.texts,
        codes: t.codes,
        by_lang: Default::default(),
    }
}

/// How risky the buyer looks.
fn risk_in(input: &ScoreInput, lang: Lang) -> Risk {
    let mut t = Tally {
        score: 0,
        texts: Vec::new(),
        codes: Vec::new(),
        lang,
    };
    match input.email_kind {
        EmailKind::Free => t.add(25, "risk.free_mail", &[]),
        EmailKind::Disposable => t.add(50, "risk.disposable_mail", &[]),
        _ => {}
    }
    if let Some(days) = input.domain_age_days.filter(|d| *d < 365) {
        t.add(25, "risk.young_domain", &[("days", &days)]);
    }
    if input.mx == Some(false) {
        t.add(20, "risk.no_mx", &[]);
    }
    if input.site_expected && !input.site_reachable {
        t.add(20, "risk.no_site", &[]);
    }
    if input.sanctions_hits > 0 {
        t.add(60, "risk.sanctions", &[("count", &input.sanctions_hits)]);
    }
    if let Some(country) = &input.country {
        if let Some(other) = input
            .phone_countries
            .iter()
            .find(|c| !c.eq_ignore_ascii_case(country))
        {
            t.add(
                10,
                "risk.country_mismatch",
                &[("country", country), ("phone", other)],
            );
        }
    }
    if let Some(l) = &input.lookalike {
        let key = match l.imitation {
            Imitation::Homoglyph => "risk.lookalike_homoglyph",
            Imitation::Typo => "risk.lookalike_typo",
            Imitation::BrandPlusWords => "risk.lookalike_words",
        };
        t.add_worded(
            40,
            "risk.lookalike_brand",
            key,
            &[
                ("domain", &l.domain),
                ("brand", &l.brand),
                ("label", &l.label),
                ("brand_label", &l.brand_label),
                ("official", &l.official.join(", ")),
            ],
        );
    }
    Risk {
        score: t.clamped(),
        flags: t.texts,
        codes: t.codes,
        by_lang: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ScoreInput {
        ScoreInput {
            business_type: BusinessType::Importer,
            country: Some("DE".into()),
            employees: None,
            email_kind: EmailKind::Company,
            domain_age_days: Some(4000),
            mx: Some(true),
            site_reachable: true,
            site_expected: true,
            sanctions_hits: 0,
            phone_countries: vec!["DE".into()],
            lookalike: None,
        }
    }

    #[test]
    fn importers_fit_and_manufacturers_are_flagged_as_competitors() {
        let good = fit(&input(), &Icp::default(), Lang::En);
        let mut maker = input();
        maker.business_type = BusinessType::Manufacturer;
        let bad = fit(&maker, &Icp::default(), Lang::En);
        assert!(good.score > 70 && bad.score < 40, "{good:?} {bad:?}");
        assert!(bad.codes.contains(&"fit.competitor".to_string()));
    }

    #[test]
    fn young_free_mail_buyers_without_mx_are_risky() {
        assert_eq!(risk(&input(), Lang::En).score, 0);
        let mut shady = input();
        shady.email_kind = EmailKind::Free;
        shady.domain_age_days = Some(20);
        shady.mx = Some(false);
        let r = risk(&shady, Lang::ZhCn);
        assert_eq!(r.score, 70);
        assert_eq!(r.flags.len(), 3);
    }

    #[test]
    fn brand_look_alike_domain_is_a_risk_naming_the_brand_in_both_languages() {
        let mut fake = input();
        fake.lookalike = crate::lookalike::check("rnicrosoft-supply.com");
        let en = risk(&fake, Lang::En);
        assert_eq!(en.score, 40);
        assert_eq!(en.codes, ["risk.lookalike_brand"]);
        assert!(
            en.flags[0].contains("Microsoft") && en.flags[0].contains("rnicrosoft"),
            "{en:?}"
        );
        let zh = risk(&fake, Lang::ZhCn);
        assert!(
            zh.flags[0].contains("Microsoft") && zh.flags[0].contains("仿冒"),
            "{zh:?}"
        );
    }
}
