//! Concept-first matching: a request and a catalogue row are compared by the product concepts
//! they name (tradescout-core's multilingual vocabulary) before any spec is weighed, so a
//! "Wasserkocher" request finds the "electric kettle" row, a towel request never gets a
//! blender, and a solar-panel request to a lighting catalogue gets "not in your catalogue".

use crate::catalogue::CatalogueProduct;
use serde::Serialize;
use std::collections::BTreeSet;
use tradescout_core::concepts::Concepts;

/// The concepts a catalogue row names in its name, category and description; from its
/// `hs_code` column when the words name none.
pub(crate) fn product_concepts(p: &CatalogueProduct) -> Vec<usize> {
    let c = Concepts::shipped();
    let mut text = p.name.clone();
    for extra in [&p.category, &p.description].into_iter().flatten() {
        text.push_str(" \n ");
        text.push_str(extra);
    }
    let from_words = c.specific(&text);
    if !from_words.is_empty() {
        return from_words;
    }
    p.specs
        .get("hs_code")
        .and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .and_then(|hs| c.by_hs(&hs))
        .into_iter()
        .collect()
}

/// The concepts the request names: its products' names; when those name only broad kinds
/// ("luces LED"), the kinds the buyer's whole text names ("… para piscina": a pool light).
pub(crate) fn wanted_concepts(
    a: &tradescout_core::analysis::Analysis,
    need: &crate::need::Need<'_>,
) -> Vec<usize> {
    let c = Concepts::shipped();
    let mut wanted: Vec<usize> = a
        .request
        .products
        .iter()
        .flat_map(|p| c.specific(&p.name))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.iter().all(|&w| c.is_broad(w)) && !need.concepts.is_empty() {
        wanted.clone_from(&need.concepts);
    }
    wanted
}

/// True when a row naming `have` answers a request naming `want`: the same concept, or a
/// kind of a concept asked for broadly ("lights" → a flood light).
pub(crate) fn answers(want: &[usize], have: &[usize]) -> bool {
    let c = Concepts::shipped();
    want.iter().any(|&w| have.iter().any(|&h| c.is_a(h, w)))
}

/// Product codes the buyer wrote: tokens with letters and digits (`TP36-65`, `FL100-65`),
/// upper-cased.
pub(crate) fn codes_in(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')))
        .map(|t| t.trim_matches(|c: char| matches!(c, '-' | '_' | '/' | '.')))
        .filter(|t| {
            (3..=32).contains(&t.len())
                && t.bytes().any(|b| b.is_ascii_digit())
                && t.bytes().any(|b| b.is_ascii_alphabetic())
        })
        .map(str::to_ascii_uppercase)
        .take(200)
        .collect()
}

/// A product the buyer asked for that the catalogue does not carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotCarried {
    /// The concept id (`solar_panel`).
    pub concept: String,
    /// Its name in the seller's language.
    pub name: String,
    /// The product line (`solar_storage`).
    pub line: String,
    /// The catalogue's nearest product: same line, else none.
    pub nearest: Option<String>,
}

/// The concepts in `want` that no row of `products` answers, when the catalogue's rows name
/// concepts at all (a catalogue the vocabulary cannot read says nothing either way).
pub(crate) fn not_carried(
    want: &[usize],
    products: &[CatalogueProduct],
    lang: &str,
) -> Vec<NotCarried> {
    let c = Concepts::shipped();
    if !products.iter().any(|p| !p.concepts.is_empty()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for &w in want {
        if products.iter().any(|p| answers(&[w], &p.concepts)) {
            continue;
        }
        let Some(concept) = c.get(w) else { continue };
        let nearest = products
            .iter()
            .find(|p| {
                p.concepts
                    .iter()
                    .any(|&h| c.get(h).is_some_and(|x| x.line == concept.line))
            })
            .map(|p| format!("{} {}", p.sku, p.name));
        out.push(NotCarried {
            concept: concept.id.clone(),
            name: concept.name(lang).to_string(),
            line: concept.line.clone(),
            nearest,
        });
    }
    out
}

/// A product code the buyer wrote that no catalogue row carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeNotCarried {
    /// The code as the buyer wrote it (`TP36-65`).
    pub code: String,
    /// The catalogue row whose code shares the longest beginning with it ("TP36-50 Tri-proof
    /// light 50W"), when one shares at least three letters and digits.
    pub nearest: Option<String>,
}

/// Letters and digits of a code, upper-cased: "tp36-65" and "TP 36/65" are one code.
fn code_key(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The model codes of the request (read with a model cue or as a model number) that no row's
/// SKU answers, when the catalogue has rows.
pub(crate) fn codes_not_carried(
    a: &tradescout_core::analysis::Analysis,
    products: &[CatalogueProduct],
) -> Vec<CodeNotCarried> {
    let models: Vec<&str> = a
        .request
        .products
        .iter()
        .filter_map(|p| p.model.as_deref())
        .collect();
    // Most requests name no model: the rows' codes are read only for one that does.
    if products.is_empty() || models.is_empty() {
        return Vec::new();
    }
    let skus: Vec<(String, &CatalogueProduct)> =
        products.iter().map(|p| (code_key(&p.sku), p)).collect();
    let mut out: Vec<CodeNotCarried> = Vec::new();
    for code in models {
        let key = code_key(code);
        // A code has letters and digits ("Our ref: 20250318" is no product code).
        let coded =
            key.bytes().any(|b| b.is_ascii_digit()) && key.bytes().any(|b| b.is_ascii_alphabetic());
        if key.len() < 3
            || !coded
            || skus.iter().any(|(s, _)| *s == key)
            || out.iter().any(|o| code_key(&o.code) == key)
        {
            continue;
        }
        // The shared beginning must reach a digit: "LED…" alone says nothing.
        let shared = |s: &str| {
            let n = s
                .bytes()
                .zip(key.bytes())
                .take_while(|(x, y)| x == y)
                .count();
            if key.bytes().take(n).any(|b| b.is_ascii_digit()) {
                n
            } else {
                0
            }
        };
        let nearest = skus
            .iter()
            .map(|(s, p)| (shared(s), *p))
            .filter(|(n, _)| *n >= 3)
            .max_by_key(|(n, _)| *n)
            .map(|(_, p)| format!("{} {}", p.sku, p.name));
        out.push(CodeNotCarried {
            code: code.to_string(),
            nearest,
        });
        if out.len() >= MAX_CODES_NOT_CARRIED {
            break;
        }
    }
    out
}

/// At most this many codes are reported: a pasted competitor price list must not flood the
/// next actions.
const MAX_CODES_NOT_CARRIED: usize = 5;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::request;
    use crate::{coach, Catalogue, CoachInput};
    use tradescout_core::Lang;

    const CATALOGUE: &[u8] = "sku,name,category,price,currency,moq
KT17-UK,Electric kettle 1.7 L stainless steel,home appliances,9.8,USD,500
BL600,Countertop blender 600 W,home appliances,14.5,USD,300
TW70,Cotton bath towel 70x140,textiles,2.1,USD,1000
FL100-65,LED flood light 100W,lighting,11.5,USD,100
SS60,Solar street light 60W,lighting,48,USD,50
"
    .as_bytes();

    fn coach_on(product: &str, text: &str) -> crate::Coaching {
        let c = Catalogue::from_csv(CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let a = request(product, &[], None);
        coach(CoachInput {
            analysis: &a,
            buyer_text: text,
            catalogue: Some(&c),
            today: None,
            lang: Lang::En,
            reply_lang: Lang::En,
        })
    }

    #[test]
    fn a_request_in_another_language_finds_the_row_of_its_kind() {
        for (product, text, sku) in [
            (
                "Wasserkocher",
                "Wir suchen 2000 Wasserkocher mit GS-Zeichen",
                "KT17-UK",
            ),
            ("电热水壶", "请报价电热水壶 5000 个", "KT17-UK"),
            (
                "serviettes de bain",
                "Prix pour 3000 serviettes de bain",
                "TW70",
            ),
            ("прожекторы", "Нужны прожекторы 200 шт", "FL100-65"),
        ] {
            let out = coach_on(product, text);
            assert_eq!(
                out.matches.first().map(|m| m.sku.as_str()),
                Some(sku),
                "{text}: {:?}",
                out.matches.iter().map(|m| &m.sku).collect::<Vec<_>>()
            );
            // Never a product of another kind beside it (no blender for towels).
            assert!(out.matches.iter().all(|m| m.sku == sku), "{text}");
        }
    }

    #[test]
    fn what_the_catalogue_lacks_is_said_with_the_nearest_line() {
        let out = coach_on("solar panel", "Please quote 200 solar panels 450W");
        assert!(out.matches.is_empty(), "{:?}", out.matches);
        let n = out.not_in_catalogue.first();
        assert_eq!(n.map(|n| n.line.as_str()), Some("solar_storage"), "{n:?}");
        assert!(
            out.next_actions
                .first()
                .is_some_and(|a| a.text.contains("Not in your catalogue")),
            "{:?}",
            out.next_actions
        );
        let ac = coach_on("air conditioner", "We need 50 air conditioners 18000 BTU");
        assert!(ac.matches.is_empty() && !ac.not_in_catalogue.is_empty());
    }

    #[test]
    fn a_code_the_catalogue_lacks_is_said_with_the_closest_code() {
        let c = Catalogue::from_csv(CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let mut a = request("LED flood light", &[], None);
        a.request.products[0].model = Some("FL100-66".into());
        let mut second = a.request.products[0].clone();
        second.model = Some("XZ-9".into());
        a.request.products.push(second);
        let mut known = a.request.products[0].clone();
        known.model = Some("fl 100/65".into());
        a.request.products.push(known);
        let out = codes_not_carried(&a, &c.products);
        assert_eq!(
            out,
            vec![
                CodeNotCarried {
                    code: "FL100-66".into(),
                    nearest: Some("FL100-65 LED flood light 100W".into())
                },
                CodeNotCarried {
                    code: "XZ-9".into(),
                    nearest: None
                },
            ]
        );
        // A reference number is no code; a shared "LED" is no closeness.
        let mut b = request("LED flood light", &[], None);
        b.request.products[0].model = Some("20250318".into());
        let mut led = b.request.products[0].clone();
        led.model = Some("LED-900X".into());
        b.request.products.push(led);
        assert_eq!(
            codes_not_carried(&b, &c.products),
            vec![CodeNotCarried {
                code: "LED-900X".into(),
                nearest: None
            }]
        );
        // No catalogue rows: nothing is said either way.
        assert!(codes_not_carried(&a, &[]).is_empty());
    }

    #[test]
    fn a_product_code_names_its_row_first() {
        let out = coach_on(
            "LED flood light",
            "Please send PI for 500 × FL100-65 and 20 SS60.",
        );
        assert_eq!(
            out.matches.first().map(|m| m.sku.as_str()),
            Some("FL100-65")
        );
    }

    #[test]
    fn codes_are_letters_with_digits() {
        let c = codes_in("Please send 500 × FL100-65 and 200 pcs TP36-65, 100W, IP65.");
        assert!(c.contains("FL100-65") && c.contains("TP36-65"));
        assert!(!c.contains("500"));
    }
}
