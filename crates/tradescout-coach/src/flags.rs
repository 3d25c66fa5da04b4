//! Flags: what the request itself gets wrong against the buyer's need or market — over- and
//! under-specified protection, missing market marks, wrong voltage or plug.

use crate::catalogue::{Catalogue, CatalogueProduct};
use crate::knowledge::Knowledge;
use crate::need::Need;
use crate::relevance::{tokens, word_keys};
use crate::specs::{value_text, IpRating, VoltageRange};
use serde::Serialize;
use std::cell::OnceCell;
use tradescout_core::analysis::{Analysis, Product};
use tradescout_core::{tr, Lang};

/// One flag for the seller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// `over_spec`, `under_spec`, `compliance`, `voltage` or `plug`.
    pub kind: String,
    pub text: String,
}

/// The flags of a request against the need (and, when given, the seller's catalogue).
pub fn flags(
    analysis: &Analysis,
    need: &Need<'_>,
    catalogue: Option<&Catalogue>,
    k: &Knowledge,
    lang: Lang,
) -> Vec<Flag> {
    let mut out = Vec::new();
    let relevant = Relevant::new(&analysis.request.products, catalogue);
    for p in &analysis.request.products {
        ip_flags(p, need, &relevant, k, lang, &mut out);
        supply_flags(p, need, lang, &mut out);
    }
    compliance_flags(analysis, need, &relevant, lang, &mut out);
    out
}

/// The catalogue products of the kind each requested product is (see matching), looked up
/// at most once per product: a catalogue may hold ten thousand.
struct Relevant<'c> {
    catalogue: Option<&'c Catalogue>,
    found: Vec<(&'c str, OnceCell<Vec<&'c CatalogueProduct>>)>,
}

impl<'c> Relevant<'c> {
    fn new(products: &'c [Product], catalogue: Option<&'c Catalogue>) -> Relevant<'c> {
        Relevant {
            catalogue,
            found: products
                .iter()
                .map(|p| (p.name.as_str(), OnceCell::new()))
                .collect(),
        }
    }

    fn to(&self, p: &Product) -> &[&'c CatalogueProduct] {
        let (Some(c), Some((_, cell))) = (
            self.catalogue,
            self.found.iter().find(|(name, _)| *name == p.name),
        ) else {
            return &[];
        };
        cell.get_or_init(|| {
            // The kind asked for, as matching sees it: at least half the words, and close to
            // the best the catalogue has.
            // Only rows sharing a word are read, through the catalogue's index.
            let words = word_keys(&tokens(&p.name));
            let index = c.row_index();
            // A name in another language than the catalogue's ("电水壶" for "Electric
            // kettle" rows) shares no word: the rows of its product concept stand in.
            let by_concept = || {
                let vocabulary = tradescout_core::concepts::Concepts::shipped();
                let specific: Vec<usize> = vocabulary
                    .specific(&p.name)
                    .into_iter()
                    .filter(|&k| !vocabulary.is_broad(k))
                    .collect();
                let mut rows: Vec<u32> = Vec::new();
                index.rows_answering(&specific, |r| rows.push(r));
                rows.sort_unstable();
                rows.dedup();
                rows.iter()
                    .filter_map(|&r| c.products.get(r as usize))
                    .collect::<Vec<_>>()
            };
            if words.is_empty() {
                return by_concept();
            }
            let mut counts = vec![0u16; index.rows()];
            let mut touched = Vec::new();
            index.count_words(&words, &mut counts, &mut touched);
            touched.sort_unstable();
            let rel = |r: u32| f64::from(counts[r as usize]) / words.len() as f64;
            let best = touched.iter().map(|&r| rel(r)).fold(0.0, f64::max);
            let found: Vec<&CatalogueProduct> = touched
                .iter()
                .filter(|&&r| rel(r) >= 0.5 && rel(r) >= best * crate::matching::KIND_SHARE)
                .filter_map(|&r| c.products.get(r as usize))
                .collect();
            if found.is_empty() {
                by_concept()
            } else {
                found
            }
        })
    }
}

fn ip_flags(
    p: &Product,
    need: &Need<'_>,
    relevant: &Relevant<'_>,
    k: &Knowledge,
    lang: Lang,
    out: &mut Vec<Flag>,
) {
    let (Some(asked), Some(site)) = (
        p.specs
            .get("ip_rating")
            .and_then(|v| IpRating::parse(&value_text(v))),
        need.site_for(p),
    ) else {
        return;
    };
    let min = site.environment.need();
    let env = site.environment.label.get(lang);
    // A rating required for a reason ("water got into the last ones", "the tender requires
    // it") stands: it is never called more than the site needs.
    if asked.exceeds(min) && need.insists.is_none() {
        let mut text = tr(
            lang,
            "coach.flag.over_spec",
            &[
                ("asked", &asked),
                ("need", &min),
                ("env", &env),
                ("word", &site.word),
            ],
        );
        if let Some((pct, cheap, dear)) = saving(relevant.to(p), need, asked, min) {
            text.push(' ');
            text.push_str(&tr(
                lang,
                "coach.flag.over_spec_saving",
                &[
                    ("need", &min),
                    ("pct", &pct),
                    ("cheap", &cheap),
                    ("dear", &dear),
                ],
            ));
        }
        out.push(Flag {
            kind: "over_spec".into(),
            text,
        });
    } else if !asked.covers(min) && !asked.exceeds(min) {
        out.push(Flag {
            kind: "under_spec".into(),
            text: tr(
                lang,
                "coach.flag.under_spec",
                &[
                    ("asked", &asked),
                    ("need", &min),
                    ("env", &env),
                    ("word", &site.word),
                    ("protection", &k.describe_ip(min, lang)),
                ],
            ),
        });
    }
}

/// How much cheaper the cheapest relevant product rated exactly for the need is than the
/// cheapest relevant product rated as asked, both sellable at the destination: (percent,
/// cheap SKU, dear SKU).
fn saving(
    relevant: &[&CatalogueProduct],
    market: &Need<'_>,
    asked: IpRating,
    need: IpRating,
) -> Option<(i64, String, String)> {
    let offered: Vec<&CatalogueProduct> = relevant
        .iter()
        .copied()
        .filter(|x| x.price.is_some() && x.ip_rating().is_some() && sellable(x, market))
        .collect();
    let cheapest = |want: &dyn Fn(IpRating) -> bool| -> Option<&CatalogueProduct> {
        offered
            .iter()
            .copied()
            .filter(|x| x.ip_rating().is_some_and(want))
            .filter(|x| x.price.is_some())
            .min_by(|a, b| {
                a.price
                    .partial_cmp(&b.price)
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    };
    let dear = cheapest(&|ip| ip.covers(asked))?;
    let cheap = cheapest(&|ip| ip.covers(need) && !ip.covers(asked))?;
    let (dp, cp) = (dear.price?, cheap.price?);
    if dp <= 0.0 || cp >= dp || dear.currency != cheap.currency {
        return None;
    }
    let pct = ((1.0 - cp / dp) * 100.0).round() as i64;
    Some((pct, cheap.sku.clone(), dear.sku.clone()))
}

/// Whether a product carries the destination's required marks and runs on its mains.
pub fn sellable(x: &CatalogueProduct, need: &Need<'_>) -> bool {
    let marks = need
        .required
        .iter()
        .all(|r| r.satisfied_by(&x.certifications));
    let supply = match (need.mains, x.voltage()) {
        (Some(m), Some(range)) => {
            crate::matching::is_extra_low(range) || m.voltages.iter().any(|mv| range.accepts(*mv))
        }
        _ => true,
    };
    marks && supply
}

fn supply_flags(p: &Product, need: &Need<'_>, lang: Lang, out: &mut Vec<Flag>) {
    let Some(mains) = need.mains.filter(|_| need.country.is_some()) else {
        return;
    };
    if let Some(v) = p.specs.get("voltage").map(value_text) {
        if let Some(range) = VoltageRange::parse(&v) {
            let mismatch = !mains.voltages.iter().any(|m| range.accepts(*m));
            if mismatch && !crate::matching::is_extra_low(range) {
                out.push(Flag {
                    kind: "voltage".into(),
                    text: tr(
                        lang,
                        "coach.flag.voltage",
                        &[
                            ("spec", &v),
                            ("country", &mains.name_in(lang)),
                            ("mains", &mains_text(mains)),
                            ("freq", &mains.frequency),
                        ],
                    ),
                });
            }
        }
    }
    if let Some(plug) = p.specs.get("plug").map(value_text) {
        if let Some(kind) = plug_type(&plug) {
            if !Knowledge::shipped().plug_fits(&kind, &mains.plugs) {
                out.push(Flag {
                    kind: "plug".into(),
                    text: tr(
                        lang,
                        "coach.flag.plug",
                        &[
                            ("plug", &plug),
                            ("country", &mains.name_in(lang)),
                            ("plugs", &mains.plugs.join("/")),
                        ],
                    ),
                });
            }
        }
    }
}

/// When the buyer names no voltage or plug but every match that states one will not work at
/// the destination (230 V products only, for a US buyer), a flag says so: the rep must offer
/// another version or say what it needs, before the buyer finds out.
pub fn matched_supply_flags(
    matches: &[crate::matching::Match],
    catalogue: &Catalogue,
    need: &Need<'_>,
    lang: Lang,
    out: &mut Vec<Flag>,
) {
    let Some(mains) = need.mains.filter(|_| need.country.is_some()) else {
        return;
    };
    let rows: Vec<&CatalogueProduct> = matches
        .iter()
        .filter_map(|m| m.product(catalogue))
        .collect();
    let k = Knowledge::shipped();
    if !out.iter().any(|f| f.kind == "voltage") {
        let stated: Vec<crate::specs::VoltageRange> = rows
            .iter()
            .filter_map(|p| p.voltage())
            .filter(|r| !crate::matching::is_extra_low(*r))
            .collect();
        if !stated.is_empty()
            && stated
                .iter()
                .all(|r| !mains.voltages.iter().any(|m| r.accepts(*m)))
        {
            out.push(Flag {
                kind: "voltage".into(),
                text: tr(
                    lang,
                    "coach.flag.voltage_matched",
                    &[
                        ("country", &mains.name_in(lang)),
                        ("mains", &mains_text(mains)),
                        ("freq", &mains.frequency),
                    ],
                ),
            });
        }
    }
    if !out.iter().any(|f| f.kind == "plug") {
        let stated: Vec<String> = rows.iter().filter_map(|p| p.plug_kind()).collect();
        if !stated.is_empty() && stated.iter().all(|p| !k.plug_fits(p, &mains.plugs)) {
            out.push(Flag {
                kind: "plug".into(),
                text: tr(
                    lang,
                    "coach.flag.plug_matched",
                    &[
                        ("country", &mains.name_in(lang)),
                        ("plugs", &mains.plugs.join("/")),
                    ],
                ),
            });
        }
    }
}

/// `230V` or `127/220V`.
pub fn mains_text(m: &crate::knowledge::Mains) -> String {
    let v: Vec<String> = m.voltages.iter().map(|v| v.to_string()).collect();
    format!("{}V", v.join("/"))
}

/// The IEC plug letter a plug spec names: `type G`, `UK plug`, `EU`, `US`, `AU`, `G`.
pub fn plug_type(text: &str) -> Option<String> {
    let t = text
        .to_ascii_uppercase()
        .replace("PLUG", "")
        .replace("插头", "")
        .replace("TYPE", "");
    // Signs around the word go, letters of any script stay ("英规").
    let t = t
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    let letter = match t {
        "UK" | "BS" | "BS1363" | "英规" | "英标" => "G",
        "EU" | "EURO" | "SCHUKO" | "欧规" | "欧标" | "DE" => "F",
        "US" | "USA" | "NEMA" | "美规" | "美标" => "B",
        "AU" | "AUS" | "SAA" | "澳规" | "澳标" => "I",
        x if x.len() == 1 && x.chars().all(|c| c.is_ascii_uppercase()) => x,
        _ => return None,
    };
    Some(letter.to_string())
}

fn compliance_flags(
    analysis: &Analysis,
    need: &Need<'_>,
    relevant: &Relevant<'_>,
    lang: Lang,
    out: &mut Vec<Flag>,
) {
    let asked = &crate::marks::canonical_list(&analysis.request.certifications);
    // The catalogue products of the kind first asked for (none without a catalogue), and
    // whether none of them carries what a rule requires.
    let kind: &[&CatalogueProduct] = analysis
        .request
        .products
        .first()
        .map(|p| relevant.to(p))
        .unwrap_or_default();
    let none_carry = |req: &crate::need::RequiredMarks| {
        !kind.is_empty() && kind.iter().all(|x| !req.satisfied_by(&x.certifications))
    };
    for req in need.required.iter().filter(|r| r.by_buyer) {
        let marks = req.marks.join(", ");
        let key = if kind.is_empty() {
            "coach.flag.compliance_asked"
        } else if none_carry(req) {
            "coach.flag.compliance_asked_catalogue"
        } else {
            continue;
        };
        out.push(Flag {
            kind: "compliance".into(),
            text: tr(lang, key, &[("marks", &marks)]),
        });
    }
    for req in need.required.iter().filter(|r| !r.by_buyer) {
        let missing = req.missing(asked);
        if missing.is_empty() {
            // The buyer named the market's marks: the catalogue must carry them.
            if none_carry(req) {
                let marks = req.marks.join(if req.any_of { " / " } else { ", " });
                out.push(Flag {
                    kind: "compliance".into(),
                    text: tr(
                        lang,
                        "coach.flag.compliance_asked_catalogue",
                        &[("marks", &marks)],
                    ),
                });
            }
            continue;
        }
        let marks = if req.any_of {
            missing.join(" / ")
        } else {
            missing.join(", ")
        };
        let mut text = tr(
            lang,
            "coach.flag.compliance",
            &[("market", &req.market_in(lang)), ("marks", &marks)],
        );
        if none_carry(req) {
            text.push(' ');
            text.push_str(&tr(
                lang,
                "coach.flag.compliance_catalogue",
                &[("marks", &marks)],
            ));
        }
        out.push(Flag {
            kind: "compliance".into(),
            text,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::need::need_of;
    use crate::test_support::request;

    fn kinds(f: &[Flag]) -> Vec<&str> {
        f.iter().map(|f| f.kind.as_str()).collect()
    }

    #[test]
    fn ip68_under_trees_is_over_spec_with_the_catalogue_saving() {
        let k = Knowledge::shipped();
        let a = request("LED flood light", &[("ip_rating", "IP68")], None);
        let c = Catalogue::from_csv(
            b"sku,name,price,currency,ip_rating\nA65,LED flood light 100W,8,USD,IP65\nA68,LED flood light 100W,10,USD,IP68\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let n = need_of(&a, "they stand under trees in a garden", k);
        let f = flags(&a, &n, Some(&c), k, Lang::En);
        let over = f
            .iter()
            .find(|f| f.kind == "over_spec")
            .unwrap_or_else(|| panic!("{f:?}"));
        assert!(
            over.text.contains("IP65") && over.text.contains("20%"),
            "{}",
            over.text
        );
    }

    #[test]
    fn ip44_for_a_fountain_is_under_spec() {
        let k = Knowledge::shipped();
        let a = request("LED underwater light", &[("ip_rating", "IP44")], None);
        let f = flags(
            &a,
            &need_of(&a, "lights for a fountain", k),
            None,
            k,
            Lang::En,
        );
        assert_eq!(kinds(&f), ["under_spec"]);
        assert!(f[0].text.contains("IP68"), "{}", f[0].text);
    }

    #[test]
    fn a_110v_request_for_germany_and_a_us_plug_for_the_uk_are_flagged() {
        let k = Knowledge::shipped();
        let a = request("LED flood light", &[("voltage", "110V")], Some("DE"));
        let f = flags(&a, &need_of(&a, "", k), None, k, Lang::En);
        assert!(kinds(&f).contains(&"voltage"), "{f:?}");
        let a = request("LED desk lamp", &[("plug", "US plug")], Some("GB"));
        let f = flags(&a, &need_of(&a, "", k), None, k, Lang::ZhCn);
        assert!(kinds(&f).contains(&"plug"), "{f:?}");
    }

    #[test]
    fn a_12v_request_is_not_a_mains_mismatch() {
        let k = Knowledge::shipped();
        let a = request("LED strip", &[("voltage", "12V DC")], Some("DE"));
        let f = flags(&a, &need_of(&a, "", k), None, k, Lang::En);
        assert!(!kinds(&f).contains(&"voltage"), "{f:?}");
    }

    #[test]
    fn a_mark_asked_in_chinese_is_checked_against_the_english_rows_of_that_kind() {
        let k = Knowledge::shipped();
        let c = Catalogue::from_csv(
            b"sku,name,certifications\nKE-SA,Electric kettle 1.7L Gulf,SASO;G-Mark\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut a = request("电水壶", &[], None);
        a.request.certifications = vec!["SASO".into()];
        let f = flags(&a, &need_of(&a, "", k), Some(&c), k, Lang::ZhCn);
        // The kettle row carries SASO: no "quote only a model that carries it" either.
        assert!(!f.iter().any(|f| f.kind == "compliance"), "{f:?}");
        let c = Catalogue::from_csv(b"sku,name,certifications\nKE-EU,Electric kettle 1.7L,CE\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let f = flags(&a, &need_of(&a, "", k), Some(&c), k, Lang::En);
        assert!(
            f.iter()
                .any(|f| f.kind == "compliance" && f.text.contains("none of the matching")),
            "{f:?}"
        );
    }

    #[test]
    fn australia_without_rcm_is_a_compliance_flag() {
        let k = Knowledge::shipped();
        let a = request("LED flood light", &[], Some("AU"));
        let f = flags(&a, &need_of(&a, "", k), None, k, Lang::En);
        assert!(
            f.iter()
                .any(|f| f.kind == "compliance" && f.text.contains("RCM")),
            "{f:?}"
        );
    }

    #[test]
    fn countries_and_markets_are_named_in_the_sellers_language() {
        let k = Knowledge::shipped();
        let a = request("LED flood light", &[("voltage", "110V")], Some("DE"));
        let zh = flags(&a, &need_of(&a, "", k), None, k, Lang::ZhCn);
        let text = |f: &[Flag], kind: &str| {
            f.iter()
                .find(|f| f.kind == kind)
                .map(|f| f.text.clone())
                .unwrap_or_default()
        };
        assert!(text(&zh, "voltage").contains("德国"), "{zh:?}");
        assert!(text(&zh, "compliance").contains("欧盟"), "{zh:?}");
        assert!(
            !text(&zh, "compliance").contains("European Union"),
            "{zh:?}"
        );
        let en = flags(&a, &need_of(&a, "", k), None, k, Lang::En);
        assert!(text(&en, "voltage").contains("Germany"), "{en:?}");
        assert!(text(&en, "compliance").contains("European Union"), "{en:?}");
        let a = request("LED desk lamp", &[("plug", "US plug")], Some("GB"));
        let zh = flags(&a, &need_of(&a, "", k), None, k, Lang::ZhCn);
        assert!(text(&zh, "plug").contains("英国"), "{zh:?}");
    }

    #[test]
    fn every_country_and_market_of_the_data_files_has_its_chinese_and_spanish_name() {
        let k = Knowledge::shipped();
        for m in k.mains.values() {
            assert!(!m.name_zh.is_empty() && !m.name_es.is_empty(), "{m:?}");
        }
        for r in &k.markets {
            assert!(r.name_zh.is_some() && r.name_es.is_some(), "{}", r.name);
        }
    }
}
