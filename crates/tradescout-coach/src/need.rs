//! The buyer's need behind the request: where the goods will be used (read off the buyer's
//! own words), the least sufficient protection there, and what the destination market
//! requires of the product (marks, mains supply, plugs).

use crate::knowledge::{contains_word, find_word, Environment, Knowledge, Mains};
use crate::relevance::tokens;
use crate::specs::{value_text, IpRating};
use std::collections::BTreeSet;
use tradescout_core::analysis::{Analysis, Product};

/// An environment the buyer's words reveal.
#[derive(Debug, Clone)]
pub struct Site<'k> {
    pub environment: &'k Environment,
    /// The buyer's word that revealed it.
    pub word: String,
}

/// Marks one market requires.
#[derive(Debug, Clone, PartialEq)]
pub struct RequiredMarks {
    pub market: String,
    /// The market's name in Chinese and in Spanish, when the data file gives them.
    pub market_zh: Option<String>,
    pub market_es: Option<String>,
    pub marks: Vec<String>,
    /// One of `marks` is enough.
    pub any_of: bool,
    /// The buyer named these marks (SIRIM, INMETRO): required because they asked, whatever
    /// the market's own rules say.
    pub by_buyer: bool,
}

impl RequiredMarks {
    /// The market's name in `lang` (English where the data file has no translation).
    pub fn market_in(&self, lang: impl Into<crate::ReplyLang>) -> &str {
        let translated = match lang.into() {
            crate::ReplyLang::ZhCn => self.market_zh.as_deref(),
            crate::ReplyLang::Es => self.market_es.as_deref(),
            crate::ReplyLang::En => None,
        };
        translated.unwrap_or(&self.market)
    }

    /// Whether `have` satisfies these marks (as [`RequiredMarks::missing`] is empty), without
    /// allocating: matching asks it for every catalogue product.
    /// `have` is a catalogue product's marks, already folded and trimmed on import.
    pub fn satisfied_by(&self, have: &[String]) -> bool {
        let has = |m: &String| have.iter().any(|h| h.eq_ignore_ascii_case(m));
        if self.any_of {
            self.marks.iter().any(has)
        } else {
            self.marks.iter().all(has)
        }
    }

    /// Whether `have` satisfies these marks; returns the missing ones.
    pub fn missing(&self, have: &[String]) -> Vec<String> {
        let has = |m: &String| have.iter().any(|h| h.trim().eq_ignore_ascii_case(m));
        if self.any_of {
            if self.marks.iter().any(has) {
                Vec::new()
            } else {
                self.marks.clone()
            }
        } else {
            self.marks.iter().filter(|m| !has(m)).cloned().collect()
        }
    }
}

/// What the buyer needs, as far as we can tell.
#[derive(Debug, Clone)]
pub struct Need<'k> {
    /// The most demanding site found in the buyer's words, if any.
    pub site: Option<Site<'k>>,
    /// Requested products whose own name names a place of use ("underwater light",
    /// "garden spike light", "路灯"), by name: that place, not the buyer's most demanding one,
    /// is where they go.
    pub product_sites: Vec<(String, Site<'k>)>,
    /// ISO 3166-1 alpha-2 of where the goods go.
    pub country: Option<String>,
    pub mains: Option<&'k Mains>,
    /// `lighting`, `wireless`, `electrical` or `other`.
    pub category: String,
    pub required: Vec<RequiredMarks>,
    pub expected: Vec<String>,
    /// Product words of the buyer's text (canonical words of synonyms.toml: floodlight,
    /// underwater, led…), to find products when the request names none the catalogue knows.
    pub words: BTreeSet<String>,
    /// The product concepts the buyer's text names (most specific only).
    pub concepts: Vec<usize>,
    /// Product codes the buyer wrote (`FL100-65`), upper case.
    pub codes: BTreeSet<String>,
    /// The buyer's word that makes their protection rating a requirement with a reason
    /// ("required", "water got in", "必须"), if any.
    pub insists: Option<String>,
    /// How the goods reach the buyer and in how many days (handling included), when the
    /// destination is known.
    pub transit: Option<crate::transit::Leg<'static>>,
}

impl<'k> Need<'k> {
    /// The least sufficient IP rating for the site.
    pub fn min_ip(&self) -> Option<IpRating> {
        self.site.as_ref().map(|s| s.environment.need())
    }

    /// Where a requested product will be used: the place its own name names, else the
    /// buyer's.
    pub fn site_for(&self, product: &Product) -> Option<&Site<'k>> {
        self.product_sites
            .iter()
            .find(|(name, _)| *name == product.name)
            .map(|(_, site)| site)
            .or(self.site.as_ref())
    }
}

/// At most this many marks are looked at for alternatives, and this many mentions of each.
const MAX_ALTERNATIVE_MARKS: usize = 16;
const MAX_MENTIONS: usize = 8;

/// The marks of `named` the buyer joins with an "or" word in `text` ("ETL or UL", "CE 或 CB"),
/// as groups of which any one will do, and the marks that stand alone. "UL or ETL for the US,
/// CE or UKCA for the UK" gives two groups.
fn alternatives(named: &[String], text: &str, words: &[String]) -> (Vec<Vec<String>>, Vec<String>) {
    let lower = text.to_lowercase();
    let marks: Vec<String> = named
        .iter()
        .take(MAX_ALTERNATIVE_MARKS)
        .map(|m| m.to_lowercase())
        .collect();
    // Where each mark is mentioned: (start, end, mark).
    let mut mentions: Vec<(usize, usize, usize)> = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        if m.is_empty() {
            continue;
        }
        for (at, _) in lower.match_indices(m.as_str()).take(MAX_MENTIONS) {
            let end = at + m.len();
            let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
            if bounded(lower[..at].chars().next_back()) && bounded(lower[end..].chars().next()) {
                mentions.push((at, end, i));
            }
        }
    }
    mentions.sort_unstable();
    // Group of each mark, joined when two mentions next to each other have only a joining word
    // between them.
    let mut group: Vec<usize> = (0..marks.len()).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = group.get(i) {
            if p == i {
                break;
            }
            i = p;
        }
        i
    }
    let mut joined = vec![false; marks.len()];
    for pair in mentions.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.2 == b.2 || b.0 < a.1 {
            continue;
        }
        let gap = lower[a.1..b.0].trim();
        if words.iter().any(|w| w == gap) {
            let (ra, rb) = (root(&mut group, a.2), root(&mut group, b.2));
            if let Some(slot) = group.get_mut(ra) {
                *slot = rb;
            }
            for j in [a.2, b.2] {
                if let Some(f) = joined.get_mut(j) {
                    *f = true;
                }
            }
        }
    }
    let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
    let mut alone = Vec::new();
    for (i, m) in named.iter().enumerate() {
        if !joined.get(i).copied().unwrap_or(false) {
            alone.push(m.clone());
            continue;
        }
        let r = root(&mut group, i);
        match groups.iter_mut().find(|(g, _)| *g == r) {
            Some((_, list)) => list.push(m.clone()),
            None => groups.push((r, vec![m.clone()])),
        }
    }
    (groups.into_iter().map(|(_, g)| g).collect(), alone)
}

/// Works out the need from the analysis and the buyer's own text.
pub fn need_of<'k>(analysis: &Analysis, buyer_text: &str, k: &'k Knowledge) -> Need<'k> {
    let site = site_of(buyer_text, k);
    let country = analysis
        .request
        .destination
        .as_ref()
        .and_then(|d| d.country.clone())
        .or_else(|| analysis.buyer.country.clone())
        .map(|c| c.to_ascii_uppercase());
    // A product name read badly ("nous cherchons projecteur") may carry no category word;
    // the buyer's whole text then decides.
    // Category words first; else the product's concept in any buyer language (its HS code or
    // line), first of the requested line, then of the buyer's whole text.
    let vocabulary = tradescout_core::concepts::Concepts::shipped();
    let by_concept = |text: &str| k.category_of_concepts(&vocabulary.specific(text));
    let first = analysis.request.products.first();
    let category = match first {
        Some(p) if k.category_of(&product_text(p)) != "other" => k.category_of(&product_text(p)),
        _ => first
            .and_then(|p| by_concept(&p.name))
            .or_else(|| Some(k.category_of(buyer_text)).filter(|c| *c != "other"))
            .or_else(|| by_concept(buyer_text))
            .unwrap_or("other"),
    }
    .to_string();
    let mut required = Vec::new();
    let mut expected = Vec::new();
    if let Some(c) = &country {
        for rule in k.rules_for(c, &category) {
            if !rule.required.is_empty() {
                required.push(RequiredMarks {
                    market: rule.name.clone(),
                    market_zh: rule.name_zh.clone(),
                    market_es: rule.name_es.clone(),
                    marks: rule.required.clone(),
                    any_of: rule.any_of,
                    by_buyer: false,
                });
            }
            expected.extend(rule.expected.iter().cloned());
        }
    }
    // Marks the buyer names are checked like the market's: each product must carry them.
    let named: Vec<String> = crate::marks::canonical_list(&analysis.request.certifications)
        .into_iter()
        .filter(|m| !crate::marks::is_factory_mark(m))
        .filter(|m| {
            !required.iter().any(|r: &RequiredMarks| {
                !r.any_of && r.marks.iter().any(|x| x.eq_ignore_ascii_case(m))
            })
        })
        .collect();
    // Marks named as alternatives ("ETL or UL listed") are one requirement either meets.
    let (groups, named) = alternatives(&named, buyer_text, &k.alternatives);
    let sets = groups
        .into_iter()
        .map(|g| (g, true))
        .chain(std::iter::once((named, false)));
    for (marks, any_of) in sets {
        if !marks.is_empty() {
            required.push(RequiredMarks {
                market: String::new(),
                market_zh: None,
                market_es: None,
                marks,
                any_of,
                by_buyer: true,
            });
        }
    }
    let country_for_transit = country.clone();
    let product_sites = analysis
        .request
        .products
        .iter()
        .filter_map(|p| Some((p.name.clone(), site_of(&p.name, k)?)))
        .collect();
    Need {
        site,
        product_sites,
        mains: country.as_deref().and_then(|c| k.mains.get(c)),
        country,
        category,
        required,
        expected,
        words: product_words(buyer_text, k),
        concepts: tradescout_core::concepts::Concepts::shipped().specific(buyer_text),
        codes: crate::concept_match::codes_in(buyer_text),
        insists: insists(buyer_text, k),
        transit: transit_of(analysis, country_for_transit.as_deref(), buyer_text),
    }
}

/// The words of `text` that name products: canonical synonyms (floodlight, underwater, led…)
/// and the product-category words of the question bank (earbuds, sofa, 瓷砖…).
fn product_words(text: &str, k: &Knowledge) -> BTreeSet<String> {
    let mut words: BTreeSet<String> = tokens(text)
        .into_iter()
        .filter(|w| k.is_canonical(w))
        .collect();
    let lower = text.to_lowercase();
    for category in &crate::bank::category_bank().category {
        for w in category.words.iter().filter(|w| contains_word(&lower, w)) {
            words.extend(tokens(w));
        }
    }
    words
}

/// The way to the buyer: by the destination port or country, by the mode the buyer's words
/// name (air, courier, rail), else by sea.
fn transit_of(
    analysis: &Analysis,
    country: Option<&str>,
    buyer_text: &str,
) -> Option<crate::transit::Leg<'static>> {
    let t = crate::transit::Transit::shipped();
    let port = analysis
        .request
        .destination
        .as_ref()
        .and_then(|d| d.port.as_deref());
    let route = t.route(country, port)?;
    t.leg(route, t.mode_in(buyer_text))
}

/// The word that makes the buyer's rating a requirement with a reason.
fn insists(text: &str, k: &Knowledge) -> Option<String> {
    let lower = text.to_lowercase();
    k.insist
        .iter()
        .find_map(|w| find_word(&lower, w))
        .map(str::to_string)
}

/// The most demanding environment named in `text`, with the word that named it.
fn site_of<'k>(text: &str, k: &'k Knowledge) -> Option<Site<'k>> {
    let lower = text.to_lowercase();
    let mut best: Option<Site<'k>> = None;
    for env in &k.environments {
        let Some(word) = env.words.iter().find_map(|w| find_word(&lower, w)) else {
            continue;
        };
        let need = env.need();
        let better = match &best {
            None => true,
            Some(b) => {
                let cur = b.environment.need();
                (need.water, need.solid) > (cur.water, cur.solid)
            }
        };
        if better {
            best = Some(Site {
                environment: env,
                word: word.to_string(),
            });
        }
    }
    best
}

/// Name, model and spec values of a requested product, for category and relevance.
pub fn product_text(p: &Product) -> String {
    let mut s = p.name.clone();
    if let Some(m) = &p.model {
        s.push(' ');
        s.push_str(m);
    }
    for v in p.specs.values() {
        s.push(' ');
        s.push_str(&value_text(v));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::request;

    #[test]
    fn marks_joined_by_or_are_one_requirement_either_meets() {
        // The shipped joining words.
        let words = &Knowledge::shipped().alternatives;
        let named: Vec<String> = ["ETL", "UL", "FCC"].iter().map(|w| w.to_string()).collect();
        let (groups, rest) = alternatives(&named, "ETL or UL listed, with FCC", words);
        assert_eq!(groups, vec![vec!["ETL".to_string(), "UL".to_string()]]);
        assert_eq!(rest, vec!["FCC".to_string()]);
        let (groups, _) = alternatives(&named, "需要UL或ETL认证", words);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].len(), 2);
        let (groups, rest) = alternatives(&named, "CE/RoHS, ETL and UL", words);
        assert!(groups.is_empty());
        assert_eq!(rest.len(), 3);
        // Two pairs stay two requirements.
        let four: Vec<String> = ["UL", "ETL", "CE", "UKCA"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let (groups, rest) =
            alternatives(&four, "UL or ETL for the US, CE or UKCA for the UK", words);
        assert_eq!(groups.len(), 2, "{groups:?}");
        assert!(rest.is_empty());
    }

    #[test]
    fn under_trees_in_a_garden_needs_ip65_and_a_fountain_ip68() {
        let k = Knowledge::shipped();
        let a = request("LED flood light", &[("ip_rating", "IP68")], None);
        let n = need_of(&a, "lights will stand under trees in our garden", k);
        assert_eq!(n.min_ip().map(|i| i.to_string()).as_deref(), Some("IP65"));
        let n = need_of(&a, "for the fountain in the square, outdoor", k);
        assert_eq!(n.min_ip().map(|i| i.to_string()).as_deref(), Some("IP68"));
        assert_eq!(n.site.map(|s| s.word).as_deref(), Some("fountain"));
        let n = need_of(&a, "panel lights for our offices", k);
        assert_eq!(n.site.map(|s| s.word).as_deref(), Some("offices"));
    }

    #[test]
    fn a_product_named_for_its_place_keeps_it_next_to_a_pool() {
        let k = Knowledge::shipped();
        let mut a = request("garden spike light", &[("ip_rating", "IP65")], None);
        a.request.products.push(Product {
            name: "LED underwater light".into(),
            ..Default::default()
        });
        let n = need_of(&a, "spike lights for the garden and lights for the pool", k);
        let ip = |p: &Product| n.site_for(p).map(|s| s.environment.need().to_string());
        assert_eq!(ip(&a.request.products[0]).as_deref(), Some("IP65"));
        assert_eq!(ip(&a.request.products[1]).as_deref(), Some("IP68"));
    }

    #[test]
    fn marks_the_buyer_names_are_required_but_not_factory_audits() {
        let k = Knowledge::shipped();
        let mut a = request("LED flood light", &[], None);
        a.request.certifications = vec!["SIRIM".into(), "ISO 9001".into()];
        let n = need_of(&a, "", k);
        let by_buyer: Vec<&RequiredMarks> = n.required.iter().filter(|r| r.by_buyer).collect();
        assert_eq!(by_buyer.len(), 1);
        assert_eq!(by_buyer[0].marks, vec!["SIRIM".to_string()]);
    }

    #[test]
    fn an_australian_destination_requires_rcm() {
        let k = Knowledge::shipped();
        let a = request("LED flood light", &[], Some("AU"));
        let n = need_of(&a, "", k);
        assert_eq!(n.category, "lighting");
        assert!(n
            .required
            .iter()
            .any(|r| r.marks.contains(&"RCM".to_string())));
        assert_eq!(n.mains.map(|m| m.voltages.clone()), Some(vec![230.0]));
        let canada = RequiredMarks {
            market: "Canada".into(),
            market_zh: None,
            market_es: None,
            marks: vec!["cUL".into(), "CSA".into()],
            any_of: true,
            by_buyer: false,
        };
        assert!(canada.missing(&["CSA".into()]).is_empty());
        for (product, country, mark) in [
            ("hybrid solar inverter 5kW", "DE", "CE"),
            ("逆变器", "AU", "RCM"),
            ("inversor solar", "ES", "CE"),
        ] {
            let a = request(product, &[], Some(country));
            let n = need_of(&a, "", k);
            assert!(
                n.required.iter().any(|r| r.marks.iter().any(|m| m == mark)),
                "{product} to {country}: {:?}",
                n.required
            );
        }
        let a = request("office chair", &[], Some("DE"));
        assert!(
            need_of(&a, "", k).required.is_empty(),
            "a chair needs no CE"
        );
    }
}
