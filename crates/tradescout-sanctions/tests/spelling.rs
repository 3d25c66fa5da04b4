//! Screening names written the way people write them against the list's spelling: other
//! romanisations, repeated words, the Arabic article joined, a typo inside a legal form — and
//! names that only begin like a listed one, which must not hit.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;
use tradescout_sanctions::{load_path, MatchSettings, Screener};

fn screener() -> &'static Screener {
    static S: OnceLock<Screener> = OnceLock::new();
    S.get_or_init(|| {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ofac_spelling/sdn.csv");
        Screener::new(vec![load_path(&path).unwrap()], MatchSettings::default())
    })
}

#[track_caller]
fn assert_hit(query: &str, entry_id: &str) {
    common::assert_hit_in(screener(), query, entry_id);
}

#[track_caller]
fn assert_no_hit(query: &str) {
    common::assert_no_hit_in(screener(), query);
}

#[test]
fn korean_surnames_hit_in_either_romanisation() {
    assert_hit("Gim Chol Ung", "8101");
    assert_hit("Chol-Ung Kim", "8101");
    assert_hit("Rhee Song Hyok", "8102");
    assert_hit("Song-Hyok Lee", "8102");
}

#[test]
fn a_repeated_surname_is_paired_twice() {
    assert_hit("Gomez Gomez Lucia", "8103");
    assert_hit("Lucia Gomez Gomez", "8103");
}

#[test]
fn the_arabic_article_may_be_joined_to_the_name() {
    assert_hit("Nabil Karim Alsafadi", "8104");
    assert_hit("Nabil Karim Al Safadi", "8104");
}

#[test]
fn a_typo_inside_a_legal_form_does_not_hide_the_name() {
    assert_hit("Vostok Resources Closed Jiint Stock Company", "8105");
    assert_hit("Vostok Resources Closed Joint Stock Compnay", "8105");
}

#[test]
fn transliterated_given_names_and_surnames_hit() {
    assert_hit("Tariq Mahmood Azeez", "8107");
    assert_hit("Yousef Abdullah Hussein", "8108");
    assert_hit("Alexander Alexandrov", "8109");
    assert_hit("Abdul Rida Shahrani", "8111");
}

#[test]
fn surnames_that_only_begin_alike_do_not_hit() {
    assert_no_hit("Pavel Karpenko");
    assert_no_hit("Tariq Azimov");
    // Two consonants shared after the vowels go ("new era": n, r) is not the name "Niru".
    assert_no_hit("New Era Trading");
}
