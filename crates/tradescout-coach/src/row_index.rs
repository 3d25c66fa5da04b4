//! Which catalogue rows hold each word and each product concept, built once per catalogue.
//!
//! Matching a request against a large catalogue reads the lists of the request's few words and
//! concepts instead of every row: with 100,000 rows most of them share no word with the request
//! and are never touched, and the rows that are get counted in dense arrays that stream
//! through the cache.

use crate::catalogue::CatalogueProduct;
use crate::relevance::product_keys;
use std::collections::HashMap;
use tradescout_core::concepts::Concepts;

/// The rows of each word key and concept of a catalogue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowIndex {
    /// How many rows it was built from.
    rows: usize,
    /// Word key → the rows whose words hold it, ascending.
    words: HashMap<u64, Vec<u32>>,
    /// Concept → the rows that name it, ascending; in order of first appearance.
    concepts: Vec<(usize, Vec<u32>)>,
    /// Per row: it names no concept.
    conceptless: Vec<bool>,
    /// Code (trimmed, upper case) → its rows.
    skus: HashMap<String, Vec<u32>>,
    /// Per row: its place among the rows ordered by code (equal codes, equal places).
    sku_rank: Vec<u32>,
    /// The rows' categories, each once, in the order they first appear.
    categories: Vec<String>,
}

impl RowIndex {
    /// Builds the index of `products`, their word keys and concepts as prepared on import (or
    /// computed here for a row that was not).
    pub fn build(products: &[CatalogueProduct]) -> RowIndex {
        let mut words: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut concepts: Vec<(usize, Vec<u32>)> = Vec::new();
        let mut at: HashMap<usize, usize> = HashMap::new();
        let mut conceptless = Vec::with_capacity(products.len());
        let mut skus: HashMap<String, Vec<u32>> = HashMap::new();
        for (row, p) in products.iter().enumerate() {
            let row = row as u32;
            for &k in product_keys(p).iter() {
                words.entry(k).or_default().push(row);
            }
            for &c in &p.concepts {
                let slot = *at.entry(c).or_insert_with(|| {
                    concepts.push((c, Vec::new()));
                    concepts.len() - 1
                });
                if let Some((_, rows)) = concepts.get_mut(slot) {
                    if rows.last() != Some(&row) {
                        rows.push(row);
                    }
                }
            }
            conceptless.push(p.concepts.is_empty());
            skus.entry(sku_key(&p.sku)).or_default().push(row);
        }
        let mut by_sku: Vec<u32> = (0..products.len() as u32).collect();
        by_sku.sort_by(|&a, &b| products[a as usize].sku.cmp(&products[b as usize].sku));
        let mut sku_rank = vec![0u32; products.len()];
        let mut place = 0u32;
        for (i, &r) in by_sku.iter().enumerate() {
            if i > 0 && products[by_sku[i - 1] as usize].sku != products[r as usize].sku {
                place = i as u32;
            }
            sku_rank[r as usize] = place;
        }
        let mut categories: Vec<String> = Vec::new();
        let mut known = std::collections::HashSet::new();
        for c in products.iter().filter_map(|p| p.category.as_deref()) {
            if known.insert(c) {
                categories.push(c.to_string());
            }
        }
        RowIndex {
            rows: products.len(),
            words,
            concepts,
            conceptless,
            skus,
            sku_rank,
            categories,
        }
    }

    /// The row's place in code order: comparing places compares codes.
    pub fn sku_rank(&self, row: usize) -> u32 {
        self.sku_rank.get(row).copied().unwrap_or(u32::MAX)
    }

    /// The rows' categories, each once, in the order they first appear.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// The rows whose code is `code` (trimmed, upper case, as [`sku_key`] makes it).
    pub fn rows_of_code(&self, code: &str) -> &[u32] {
        self.skus.get(code).map_or(&[], Vec::as_slice)
    }

    /// How many rows the index covers.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// True when the row names no concept.
    pub fn conceptless(&self, row: usize) -> bool {
        self.conceptless.get(row).copied().unwrap_or(true)
    }

    /// Adds one to `counts[row]` for every key of `want` the row holds, and lists in
    /// `touched` each row seen for the first time (its count was 0). `counts` has a slot per
    /// row; a row's count over `want.len()` is [`crate::relevance::relevance_of_keys`].
    pub fn count_words(&self, want: &[u64], counts: &mut [u16], touched: &mut Vec<u32>) {
        for key in want {
            for &row in self.words.get(key).map_or(&[][..], Vec::as_slice) {
                if let Some(n) = counts.get_mut(row as usize) {
                    if *n == 0 {
                        touched.push(row);
                    }
                    *n = n.saturating_add(1);
                }
            }
        }
    }

    /// Calls `each` with every row naming a concept for which `holds` is true.
    pub fn rows_of_concepts(&self, holds: impl Fn(usize) -> bool, mut each: impl FnMut(u32)) {
        for (c, rows) in &self.concepts {
            if holds(*c) {
                rows.iter().for_each(|&r| each(r));
            }
        }
    }

    /// Rows naming a kind of one of `want` ([`crate::concept_match::answers`]).
    pub fn rows_answering(&self, want: &[usize], each: impl FnMut(u32)) {
        if want.is_empty() {
            return;
        }
        let c = Concepts::shipped();
        self.rows_of_concepts(|h| want.iter().any(|&w| c.is_a(h, w)), each);
    }
}

/// A code as the buyer's codes are compared: trimmed, upper case.
pub fn sku_key(sku: &str) -> String {
    sku.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::relevance::{relevance_of_keys, tokens, word_keys};

    fn catalogue() -> Catalogue {
        Catalogue::from_csv(
            b"sku,name\nA,LED flood light 100W\nB,LED street light\nC,Office chair\nD,Electric kettle 1.7L\nE,Solar flood light\n",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn counts_agree_with_relevance_row_by_row() {
        let c = catalogue();
        let index = RowIndex::build(&c.products);
        assert_eq!(index.rows(), 5);
        for request in ["LED flood light", "office chair", "kettle", "garden lamp"] {
            let want = word_keys(&tokens(request));
            let mut counts = vec![0u16; index.rows()];
            let mut touched = Vec::new();
            index.count_words(&want, &mut counts, &mut touched);
            for (row, p) in c.products.iter().enumerate() {
                let by_index = f64::from(counts[row]) / want.len().max(1) as f64;
                assert!(
                    (by_index - relevance_of_keys(&want, p)).abs() < 1e-9,
                    "{request} / {}",
                    p.name
                );
                assert_eq!(counts[row] > 0, touched.contains(&(row as u32)));
            }
        }
    }

    #[test]
    fn rows_answering_a_broad_concept_are_its_kinds() {
        let c = catalogue();
        let index = RowIndex::build(&c.products);
        let vocabulary = Concepts::shipped();
        let want: Vec<usize> = vocabulary.specific("flood light");
        assert!(!want.is_empty());
        let mut rows = Vec::new();
        index.rows_answering(&want, |r| rows.push(r));
        rows.sort_unstable();
        rows.dedup();
        let expected: Vec<u32> = c
            .products
            .iter()
            .enumerate()
            .filter(|(_, p)| crate::concept_match::answers(&want, &p.concepts))
            .map(|(i, _)| i as u32)
            .collect();
        assert_eq!(rows, expected);
        assert!(rows.contains(&0), "{rows:?}");
        assert!(!index.conceptless(0));
    }

    #[test]
    fn code_order_and_categories_are_kept_once() {
        let c = Catalogue::from_csv(
            b"sku,name,category\nB2,Flood light,lighting\nA1,Chair,furniture\nB2,Flood light 2,lighting\nC3,Kettle,appliances\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let index = RowIndex::build(&c.products);
        let ranks: Vec<u32> = (0..4).map(|r| index.sku_rank(r)).collect();
        assert_eq!(ranks, [1, 0, 1, 3]);
        assert_eq!(index.categories(), ["lighting", "furniture", "appliances"]);
    }

    #[test]
    fn codes_are_found_trimmed_and_in_upper_case() {
        let c = Catalogue::from_csv(b"sku,name\n fl100-65 ,Flood light\nX,Chair\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let index = RowIndex::build(&c.products);
        assert_eq!(index.rows_of_code(&sku_key("FL100-65")), &[0]);
        assert!(index.rows_of_code("FL100").is_empty());
    }
}
