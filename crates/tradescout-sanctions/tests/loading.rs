//! Loading the three list formats from the fixture files: entries, aliases, countries, the
//! OFAC companion files, skipped rows and format detection.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use tradescout_sanctions::{load_bytes, load_path, EntryKind, SanctionsError, SanctionsList};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(name: &str) -> SanctionsList {
    load_path(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn ofac_sdn_reads_alt_and_add_beside_it() {
    let list = load("ofac/sdn.csv");
    assert_eq!(list.name, "ofac_sdn");
    assert_eq!(list.entries.len(), 24);
    assert!(list.warnings.is_empty(), "{:?}", list.warnings);
    // The bad row in sdn.csv and the alias of an ent_num not in sdn.csv.
    assert_eq!(list.skipped, 2);
    let rashid = list.entries.iter().find(|e| e.id == "7101").unwrap();
    assert_eq!(rashid.name, "AL RASHID, Mohammad");
    assert_eq!(rashid.kind, EntryKind::Person);
    assert_eq!(
        rashid.aliases,
        ["AL-RASHEED, Muhammad", "RASHID, Mohammed Ahmad"]
    );
    assert_eq!(rashid.countries, ["IR", "AE"]);
    let vessel = list.entries.iter().find(|e| e.id == "7106").unwrap();
    assert_eq!(vessel.kind, EntryKind::Vessel);
    assert_eq!(vessel.countries, ["KP"]);
    let golden = list.entries.iter().find(|e| e.id == "7120").unwrap();
    assert_eq!(golden.countries, ["AE", "IR"]);
    assert_eq!(golden.kind, EntryKind::Organization);
}

#[test]
fn ofac_sdn_alone_loads_with_a_warning_about_missing_companions() {
    let dir = tempfile::tempdir().unwrap();
    let sdn = dir.path().join("sdn.csv");
    std::fs::copy(fixture("ofac/sdn.csv"), &sdn).unwrap();
    let list = load_path(&sdn).unwrap();
    assert_eq!(list.entries.len(), 24);
    assert!(list.entries.iter().all(|e| e.aliases.is_empty()));
    assert_eq!(list.warnings.len(), 2, "{:?}", list.warnings);
    assert!(list.warnings[0].contains("alt.csv"));
}

#[test]
fn un_xml_reads_individuals_and_entities_with_aliases_and_countries() {
    let list = load("un_consolidated.xml");
    assert_eq!(list.name, "un_consolidated");
    assert_eq!(list.entries.len(), 10);
    assert_eq!(list.skipped, 1, "the individual without a name");
    let q = list.entries.iter().find(|e| e.id == "QDi.901").unwrap();
    assert_eq!(q.name, "ABDUL RAHMAN YUSUF AL-QAHTANI");
    assert_eq!(q.aliases.len(), 3);
    assert!(q.aliases.contains(&"عبد الرحمن يوسف القحطاني".to_string()));
    assert_eq!(q.countries, ["SA", "YE"]);
    let koryo = list.entries.iter().find(|e| e.id == "KPe.901").unwrap();
    assert_eq!(koryo.kind, EntryKind::Organization);
    assert_eq!(koryo.countries, ["KP", "CN"]);
    let sahel = list.entries.iter().find(|e| e.id == "MLe.901").unwrap();
    assert_eq!(sahel.name, "SAHEL ARMS & LOGISTICS SARL");
    let noor = list.entries.iter().find(|e| e.id == "QDe.901").unwrap();
    assert_eq!(noor.aliases, ["Mu'assasat al-Nur al-Khayriya"]);
}

#[test]
fn opensanctions_rows_carry_their_dataset_aliases_and_countries() {
    let list = load("targets.simple.csv");
    assert_eq!(list.name, "opensanctions");
    assert_eq!(list.entries.len(), 17);
    assert_eq!(list.skipped, 1);
    let caspian = list.entries.iter().find(|e| e.id == "NK-fx001").unwrap();
    assert_eq!(caspian.list, "EU Financial Sanctions Files (FSF)");
    assert_eq!(caspian.aliases, ["Каспиан Фьюэл Логистикс", "Caspian Fuel"]);
    assert_eq!(caspian.countries, ["RU", "AZ"]);
    let dawn = list.entries.iter().find(|e| e.id == "NK-fx005").unwrap();
    assert_eq!(dawn.kind, EntryKind::Vessel);
}

#[test]
fn the_format_comes_from_the_content_not_the_file_name() {
    let xml = std::fs::read(fixture("un_consolidated.xml")).unwrap();
    let list = load_bytes("download.csv", &xml).unwrap();
    assert_eq!(list.name, "un_consolidated");
    let csv = std::fs::read(fixture("targets.simple.csv")).unwrap();
    assert_eq!(load_bytes("list.xml", &csv).unwrap().name, "opensanctions");
}

#[test]
fn an_unknown_file_is_an_error_naming_it() {
    let err = load_bytes("customers.csv", b"name,email\nAcme,a@acme.test\n").unwrap_err();
    assert!(matches!(err, SanctionsError::UnknownFormat { .. }));
    assert!(err.to_string().contains("customers.csv"), "{err}");
}

#[test]
fn an_ofac_companion_file_given_alone_says_to_give_sdn_csv() {
    let err = load_path(&fixture("ofac/alt.csv")).unwrap_err();
    assert!(matches!(err, SanctionsError::OfacCompanion { .. }));
    assert!(err.to_string().contains("sdn.csv"), "{err}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_the_path() {
    let err = load_path(&fixture("no-such-list.csv")).unwrap_err();
    assert!(err.to_string().contains("no-such-list.csv"), "{err}");
}
