//! Hostile input: garbage, truncated and oversized files load or fail cleanly, and matching any
//! string never panics and stays within 0–1.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use tradescout_sanctions::{
    load_bytes, load_ofac, load_un_xml, name_similarity, MatchSettings, SanctionsList,
    ScreenOptions, Screener,
};

const UN: &str = include_str!("fixtures/un_consolidated.xml");

#[test]
fn binary_garbage_is_an_unknown_format_error() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(load_bytes("random.bin", &garbage).is_err());
    assert!(load_bytes("empty.csv", b"").is_err());
}

#[test]
fn truncated_xml_at_every_tenth_byte_never_panics_and_keeps_whole_entries() {
    let bytes = UN.as_bytes();
    let mut last = 0;
    for cut in (200..bytes.len()).step_by(10) {
        if let Ok(list) = load_bytes("un.xml", &bytes[..cut]) {
            assert!(list.entries.len() >= last.min(list.entries.len()));
            last = list.entries.len();
            for e in &list.entries {
                assert!(!e.name.is_empty() && !e.id.is_empty());
            }
        }
    }
    let whole = load_un_xml(bytes, "un.xml").unwrap();
    assert_eq!(whole.entries.len(), 10);
}

#[test]
fn xml_that_is_not_the_un_list_is_refused() {
    assert!(load_un_xml(&b"<rss><channel/></rss>"[..], "feed.xml").is_err());
}

#[test]
fn a_huge_line_is_clipped_not_fatal() {
    let long = "A".repeat(2_000_000);
    let sdn = format!("1,\"{long}\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n2,\"SMALL NAME\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n");
    let list = load_ofac(sdn.as_bytes(), Some(long.as_bytes()), Some(b"\0\0\0,,,\n"));
    assert_eq!(list.entries.len(), 2);
    assert!(list.entries[0].name.chars().count() <= 512);
    let screener = Screener::new(vec![list], MatchSettings::default());
    assert!(!screener
        .screen("Small Name", &ScreenOptions::default())
        .is_empty());
    let _ = screener.screen(&long, &ScreenOptions::default());
}

#[test]
fn csv_with_broken_quotes_and_invalid_utf8_loads_the_good_rows() {
    let mut csv = b"id,schema,name,aliases,countries,dataset\n".to_vec();
    csv.extend_from_slice(b"a1,Person,\"Broken \"quote,,,\n");
    csv.extend_from_slice(b"a2,Company,M\xfcller Handels GmbH,,de,Test\n");
    csv.extend_from_slice(b"a3,Company,Good Name,,xx;;de,Test\n");
    let list = load_bytes("t.csv", &csv).unwrap();
    assert!(list.entries.iter().any(|e| e.name == "Müller Handels GmbH"));
    let good = list.entries.iter().find(|e| e.id == "a3").unwrap();
    assert_eq!(good.countries, ["DE"]);
}

#[test]
fn an_empty_screener_returns_no_hits() {
    let s = Screener::new(vec![SanctionsList::default()], MatchSettings::default());
    assert!(s.screen("anything", &ScreenOptions::default()).is_empty());
    assert!(s.screen("", &ScreenOptions::default()).is_empty());
}

fn small_screener() -> &'static Screener {
    static S: std::sync::OnceLock<Screener> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        let list = load_un_xml(UN.as_bytes(), "un.xml").unwrap_or_default();
        Screener::new(vec![list], MatchSettings::default())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn similarity_of_any_two_strings_is_between_zero_and_one(a in "\\PC{0,40}", b in "\\PC{0,40}") {
        let s = name_similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&s), "{s}");
    }

    #[test]
    fn similarity_is_one_for_a_name_and_itself(a in "[A-Za-z]{2,10}( [A-Za-z]{2,10}){0,3}") {
        let s = name_similarity(&a, &a);
        prop_assert!(s == 1.0 || s == 0.0, "{s}");
    }

    #[test]
    fn screening_any_string_never_panics_and_scores_stay_in_range(q in "\\PC{0,60}", cc in "[A-Z]{0,3}") {
        let hits = small_screener().screen(&q, &ScreenOptions {
            country: Some(cc),
            threshold: Some(0.3),
            limit: 50,
        });
        for h in hits {
            prop_assert!((0.0..=1.0).contains(&h.score));
        }
    }
}
