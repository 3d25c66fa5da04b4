//! How well a catalogue product's words answer a requested product's: token overlap after
//! folding synonyms across English, Chinese and Spanish into one canonical word.

use crate::catalogue::CatalogueProduct;
use crate::knowledge::Knowledge;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Words that carry no product meaning.
const STOP: &[&str] = &[
    "for", "and", "with", "the", "of", "pcs", "new", "type", "high", "quality",
];

/// Share (0–1) of the requested product's words (`want`, from [`tokens`] of its name) found
/// in the catalogue product's name, category or description.
pub fn relevance(want: &BTreeSet<String>, product: &CatalogueProduct) -> f64 {
    relevance_of_keys(&word_keys(want), product)
}

/// [`relevance`] for words already turned into keys by [`word_keys`]: what matching asks of
/// every row of a catalogue, so the request's words are hashed once, not once per row.
pub fn relevance_of_keys(want: &[u64], product: &CatalogueProduct) -> f64 {
    if want.is_empty() {
        return 0.0;
    }
    let have = product_keys(product);
    want.iter()
        .filter(|w| have.binary_search(w).is_ok())
        .count() as f64
        / want.len() as f64
}

/// The keys of canonical words, sorted: a row keeps these instead of the words, so that
/// comparing a request with 100,000 rows compares integers, not strings. Two words share a
/// key with a chance of about one in 2^64 per pair (FNV-1a).
pub fn word_keys(words: &BTreeSet<String>) -> Vec<u64> {
    let mut keys: Vec<u64> = words.iter().map(|w| word_key(w)).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn word_key(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The product's word keys as prepared on import, or computed now for a row that was not.
pub fn product_keys(product: &CatalogueProduct) -> Cow<'_, [u64]> {
    if product.words.is_empty() {
        Cow::Owned(word_keys(&product_words(product)))
    } else {
        Cow::Borrowed(&product.words)
    }
}

/// Canonical words of a catalogue product's name, category and description.
pub fn product_words(product: &CatalogueProduct) -> BTreeSet<String> {
    let mut text = product.name.clone();
    for extra in [&product.category, &product.description]
        .into_iter()
        .flatten()
    {
        text.push(' ');
        text.push_str(extra);
    }
    tokens(&text)
}

/// Canonical tokens of `text`: synonyms folded (phrases of up to three words; Chinese
/// variants as substrings), lower case, numbers kept with units (`100w`), Chinese runs left
/// after folding split into characters.
pub fn tokens(text: &str) -> BTreeSet<String> {
    let k = Knowledge::shipped();
    let mut lower = text.to_lowercase();
    if !lower.is_ascii() {
        for (variant, canon) in k.synonyms.iter().filter(|(v, _)| !v.is_ascii()) {
            if lower.contains(variant.as_str()) {
                lower = lower.replace(variant.as_str(), &format!(" {canon} "));
            }
        }
    }
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < words.len() {
        let mut matched = false;
        for n in (1..=3.min(words.len() - i)).rev() {
            let phrase = words[i..i + n].join(" ");
            if let Some(canon) = k.synonym_of(&phrase) {
                out.insert(canon.to_string());
                i += n;
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        let word = words[i];
        i += 1;
        if STOP.contains(&word) {
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
    use crate::catalogue::CatalogueProduct;

    fn product(name: &str) -> CatalogueProduct {
        CatalogueProduct {
            sku: "X".into(),
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn chinese_and_english_names_of_a_floodlight_match() {
        let req = tokens("LED flood light");
        assert!(relevance(&req, &product("LED投光灯 100W")) >= 0.99);
        assert!(relevance(&req, &product("LED floodlight")) >= 0.99);
        assert!(relevance(&req, &product("Office chair")) < 0.01);
    }

    #[test]
    fn keys_count_the_same_words_as_the_words() {
        for (name, asked) in [
            ("LED flood light 100W", "LED street light 100W"),
            ("Stainless steel electric kettle 1.7L", "kettle 1.7l glass"),
            ("Office chair", "LED flood light"),
        ] {
            let mut row = product(name);
            let words = product_words(&row);
            row.words = word_keys(&words);
            let want = tokens(asked);
            let shared = want.intersection(&words).count() as f64 / want.len() as f64;
            assert!(
                (relevance(&want, &row) - shared).abs() < 1e-9,
                "{name} / {asked}"
            );
            assert!((relevance_of_keys(&word_keys(&want), &row) - shared).abs() < 1e-9);
        }
        let row = product("LED flood light");
        assert!(relevance(&tokens("LED flood light"), &row) > 0.99);
        assert_eq!(relevance_of_keys(&[], &row), 0.0);
        assert_ne!(word_key("light"), word_key("lights"));
    }

    #[test]
    fn synonyms_replace_whole_words_only() {
        assert!(tokens("clamp").contains("clamp"));
        assert!(tokens("street lamp").contains("streetlight"));
    }
}
