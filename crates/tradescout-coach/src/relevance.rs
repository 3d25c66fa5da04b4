//! How well a catalogue product's words answer a requested product's: token overlap after
//! folding synonyms across English, Chinese and Spanish into one canonical word.

use crate::catalogue::CatalogueProduct;
use crate::knowledge::Knowledge;
use std::collections::BTreeSet;
use tradescout_core::analysis::Product;

/// Words that carry no product meaning.
const STOP: &[&str] = &[
    "for", "and", "with", "the", "of", "pcs", "new", "type", "high", "quality",
];

/// Share (0–1) of the requested product's words found in the catalogue product's name,
/// category or description.
pub fn relevance(request: &Product, product: &CatalogueProduct) -> f64 {
    let want = tokens(&request.name);
    if want.is_empty() {
        return 0.0;
    }
    let mut text = product.name.clone();
    for extra in [&product.category, &product.description]
        .into_iter()
        .flatten()
    {
        text.push(' ');
        text.push_str(extra);
    }
    let have = tokens(&text);
    want.intersection(&have).count() as f64 / want.len() as f64
}

/// Canonical tokens of `text`: synonyms folded, lower case, numbers kept with units
/// (`100w`), Chinese runs left after folding split into characters.
pub fn tokens(text: &str) -> BTreeSet<String> {
    let mut folded = format!(" {} ", text.to_lowercase());
    for (variant, canon) in &Knowledge::shipped().synonyms {
        if variant.is_ascii() {
            // Whole-word replacement only, so `lamp` does not eat into `clamp`.
            let mut out = String::with_capacity(folded.len());
            let mut rest = folded.as_str();
            while let Some(i) = rest.find(variant.as_str()) {
                let before = rest[..i].chars().next_back();
                let after = rest[i + variant.len()..].chars().next();
                let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
                out.push_str(&rest[..i]);
                if edge(before) && edge(after) {
                    out.push_str(&format!(" {canon} "));
                } else {
                    out.push_str(variant);
                }
                rest = &rest[i + variant.len()..];
            }
            out.push_str(rest);
            folded = out;
        } else if folded.contains(variant.as_str()) {
            folded = folded.replace(variant.as_str(), &format!(" {canon} "));
        }
    }
    let mut out = BTreeSet::new();
    for word in folded.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let word = word.trim_matches('-');
        if word.is_empty() || STOP.contains(&word) {
            continue;
        }
        if word.is_ascii() {
            out.insert(word.to_string());
        } else {
            for c in word.chars().filter(|c| c.is_alphanumeric()) {
                out.insert(c.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(name: &str) -> CatalogueProduct {
        CatalogueProduct {
            sku: "X".into(),
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn chinese_and_english_names_of_a_floodlight_match() {
        let req = Product {
            name: "LED flood light".into(),
            ..Default::default()
        };
        assert!(relevance(&req, &product("LED投光灯 100W")) >= 0.99);
        assert!(relevance(&req, &product("LED floodlight")) >= 0.99);
        assert!(relevance(&req, &product("Office chair")) < 0.01);
    }

    #[test]
    fn synonyms_replace_whole_words_only() {
        assert!(tokens("clamp").contains("clamp"));
        assert!(tokens("street lamp").contains("streetlight"));
    }
}
