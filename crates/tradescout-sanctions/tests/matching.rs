//! Screening names against the fixture lists: true hits under spelling, script, word order and
//! legal-form changes; look-alike names that must not hit; the country adjustment.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;
use tradescout_sanctions::{
    load_path, Hit, HitStatus, MatchSettings, PossibleReason, ScreenOptions, Screener,
};

fn screener() -> &'static Screener {
    static S: OnceLock<Screener> = OnceLock::new();
    S.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let lists = ["ofac/sdn.csv", "un_consolidated.xml", "targets.simple.csv"]
            .iter()
            .map(|f| load_path(&dir.join(f)).unwrap())
            .collect();
        Screener::new(lists, MatchSettings::default())
    })
}

fn screen(name: &str) -> Vec<Hit> {
    screener().screen(name, &ScreenOptions::default())
}

fn top(name: &str) -> Option<Hit> {
    screen(name).into_iter().next()
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
fn word_order_case_and_legal_forms_do_not_hide_a_listed_name() {
    assert_hit("Mohammed Al-Rashid Trading LLC", "7101");
    assert_hit("mohammad al rashid", "7101");
    assert_hit("Volganeft Trading Company", "7103");
    assert_hit("Dalian Huaxing Precision Machinery Company Limited", "7111");
    assert_hit("Caspian Fuel Logistics, L.L.C.", "NK-fx001");
    assert_hit("Golden Horizon General Trading", "7120");
}

#[test]
fn small_misspellings_still_hit() {
    assert_hit("Sergei Petrov", "7104");
    assert_hit("Youssef Kaddouri", "7112");
    assert_hit("Omar Tikriti", "7121");
    assert_hit("Koryo United Tradng Corp", "KPe.901");
    assert_hit("Aleksander Morozov", "NK-fx002");
}

#[test]
fn cyrillic_arabic_chinese_and_korean_spellings_hit() {
    assert_hit("Петров Сергей Николаевич", "7104");
    assert_hit("ООО Волганефть", "7103");
    assert_hit("Александр Морозов", "NK-fx002");
    assert_hit("محمد الرشيد", "7101");
    assert_hit("大连华星精密机械有限公司", "7111");
    assert_hit("Zhang Wei", "7110");
    assert_hit("김성철", "KPi.901");
    assert_hit("Nguyen Van Thanh", "NK-fx008");
    assert_hit("Nguyễn Văn Thành", "NK-fx008");
}

#[test]
fn an_alias_hit_reports_the_alias_and_the_primary_name() {
    let hit = top("Koryo Unitrade").unwrap();
    assert_eq!(hit.entry_id, "KPe.901");
    assert_eq!(hit.name, "Koryo Unitrade");
    assert_eq!(hit.primary_name, "KORYO UNITED TRADING CORPORATION");
    assert_eq!(hit.list, "un_consolidated");
}

#[test]
fn look_alike_unlisted_names_do_not_hit() {
    assert_no_hit("Greenlight Supplies Ltd");
    assert_no_hit("Golden Harvest Foods");
    assert_no_hit("Ocean Breeze Trading Co");
    assert_no_hit("Baltic Timber Export OOO");
    assert_no_hit("Minsk Dairy Products");
    assert_no_hit("Mohammed Hassan Electronics");
    assert_no_hit("Sergey Ivanov");
    assert_no_hit("Hamburg Logistics GmbH");
    assert_no_hit("Shenzhen Jinlong Furniture");
}

#[test]
fn one_hit_per_entry_best_first_with_scores_in_range() {
    let hits = screen("Al Rashid Mohammad");
    let ids: Vec<&str> = hits.iter().map(|h| h.entry_id.as_str()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.score)));
}

#[test]
fn a_country_that_disagrees_lowers_the_score_but_does_not_drop_a_strong_hit() {
    let plain = top("Mohammad Al Rashid").unwrap();
    let with = |cc: &str| {
        screener()
            .screen(
                "Mohammad Al Rashid",
                &ScreenOptions {
                    country: Some(cc.into()),
                    ..Default::default()
                },
            )
            .into_iter()
            .find(|h| h.entry_id == "7101")
    };
    let agreeing = with("AE").unwrap();
    assert!(agreeing.score >= plain.score);
    let disagreeing = with("BR").unwrap();
    assert!(disagreeing.score < plain.score);
    // A weak match is pushed under the threshold by a disagreeing country.
    let weak = screener().screen(
        "Volganeft Trading",
        &ScreenOptions {
            country: Some("Brazil".into()),
            threshold: Some(0.95),
            ..Default::default()
        },
    );
    assert!(weak.iter().all(|h| h.entry_id != "7103"), "{weak:#?}");
}

#[test]
fn a_lower_threshold_returns_more_hits() {
    let strict = screener().screen(
        "Kim Chol",
        &ScreenOptions {
            threshold: Some(0.99),
            ..Default::default()
        },
    );
    let loose = screener().screen(
        "Kim Chol",
        &ScreenOptions {
            threshold: Some(0.6),
            ..Default::default()
        },
    );
    assert!(loose.len() > strict.len());
}

#[test]
fn every_listed_name_finds_its_own_entry() {
    for entry in screener().entries() {
        for name in entry.names() {
            let hits = screen(name);
            assert!(
                hits.iter().any(|h| h.entry_id == entry.id),
                "{name:?} did not find {}",
                entry.id
            );
        }
    }
}

#[test]
fn business_words_keep_a_short_company_name_from_hitting_a_one_word_entry() {
    let dir = tempfile::tempdir().unwrap();
    let sdn = dir.path().join("sdn.csv");
    std::fs::write(
        &sdn,
        "9001,\"CARIBE\",\"vessel\",\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\
         9002,\"GLOBANTY S.A.S.\",-0- ,\"SDNTK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\
         9003,\"GULF STAR TRADING CO\",-0- ,\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
    )
    .unwrap();
    let s = Screener::new(vec![load_path(&sdn).unwrap()], MatchSettings::default());
    let hits = |q: &str| s.screen(q, &ScreenOptions::default());
    assert!(
        hits("Caribbean Trading Company").is_empty(),
        "{:#?}",
        hits("Caribbean Trading Company")
    );
    assert!(
        hits("Global Trading LLC").is_empty(),
        "{:#?}",
        hits("Global Trading LLC")
    );
    // The entry's own name still hits with or without its business words.
    assert_eq!(
        hits("Caribe").first().map(|h| h.entry_id.as_str()),
        Some("9001")
    );
    assert_eq!(
        hits("Gulf Star LLC").first().map(|h| h.entry_id.as_str()),
        Some("9003")
    );
    assert_eq!(
        hits("Gulf Star Trading Company")
            .first()
            .map(|h| h.entry_id.as_str()),
        Some("9003")
    );
}

#[test]
fn a_person_hit_on_common_names_alone_is_possible_until_a_second_fact_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let sdn = dir.path().join("sdn.csv");
    std::fs::write(
        &sdn,
        "9101,\"KHAN, Hassan\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"nationality Pakistan.\"\n\
         9102,\"ZARGHAMI, Bahram\",\"individual\",\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"nationality Iran.\"\n",
    )
    .unwrap();
    let s = Screener::new(vec![load_path(&sdn).unwrap()], MatchSettings::default());
    let plain = s.screen("Hassan Khan", &ScreenOptions::default());
    assert_eq!(plain[0].entry_id, "9101");
    assert_eq!(plain[0].status, HitStatus::Possible);
    assert_eq!(plain[0].reason, Some(PossibleReason::CommonName));
    let agreeing = s.screen(
        "Hassan Khan",
        &ScreenOptions {
            country: Some("PK".into()),
            ..Default::default()
        },
    );
    assert_eq!(agreeing[0].status, HitStatus::Match);
    // A rarer name is a match on the name alone.
    let rare = s.screen("Bahram Zarghami", &ScreenOptions::default());
    assert_eq!(rare[0].status, HitStatus::Match);
}
