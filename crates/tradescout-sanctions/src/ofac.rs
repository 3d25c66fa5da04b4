//! OFAC's SDN list as CSV: `sdn.csv` (one entity a row, no header), `alt.csv` (aliases) and
//! `add.csv` (addresses), joined by `ent_num`. "-0-" marks an empty field.

use crate::countries::country_code;
use crate::entry::{Entry, EntryKind, SanctionsList};
use crate::text::field;
use std::collections::HashMap;

/// The list name OFAC SDN hits are reported under.
pub const LIST_NAME: &str = "ofac_sdn";

// sdn.csv columns.
const SDN_ENT_NUM: usize = 0;
const SDN_NAME: usize = 1;
const SDN_TYPE: usize = 2;
const SDN_PROGRAM: usize = 3;
const SDN_VESS_FLAG: usize = 9;
const SDN_REMARKS: usize = 11;
// alt.csv columns: ent_num, alt_num, alt_type, alt_name, alt_remarks.
const ALT_NAME: usize = 3;
// add.csv columns: ent_num, add_num, address, city/state/zip, country, add_remarks.
const ADD_COUNTRY: usize = 4;

/// Reads `sdn.csv`, with aliases from `alt.csv` and countries from `add.csv` when given.
/// Rows that cannot be read are skipped and counted in [`SanctionsList::skipped`].
pub fn load_ofac(sdn: &[u8], alt: Option<&[u8]>, add: Option<&[u8]>) -> SanctionsList {
    let mut list = SanctionsList {
        name: LIST_NAME.to_string(),
        ..Default::default()
    };
    let mut by_num: HashMap<String, usize> = HashMap::new();
    for row in rows(sdn) {
        let Some(row) = row else {
            list.skipped += 1;
            continue;
        };
        let (Some(num), Some(name)) = (ent_num(&row), field(row.get(SDN_NAME))) else {
            list.skipped += 1;
            continue;
        };
        let kind = match field(row.get(SDN_TYPE)) {
            Some(t) => EntryKind::from_label(&t),
            None => EntryKind::Organization,
        };
        let mut entry = Entry {
            id: num.clone(),
            list: LIST_NAME.to_string(),
            kind,
            name,
            programs: field(row.get(SDN_PROGRAM))
                .map(|p| {
                    p.split(['[', ']'])
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            ..Default::default()
        };
        if let Some(code) = field(row.get(SDN_VESS_FLAG)).and_then(|f| country_code(&f)) {
            entry.add_country(&code);
        }
        if let Some(remarks) = field(row.get(SDN_REMARKS)) {
            for code in nationalities_in(&remarks) {
                entry.add_country(&code);
            }
        }
        by_num.insert(num, list.entries.len());
        list.entries.push(entry);
    }
    if let Some(alt) = alt {
        for row in rows(alt) {
            let Some(row) = row else {
                list.skipped += 1;
                continue;
            };
            match (
                ent_num(&row).and_then(|n| by_num.get(&n)),
                field(row.get(ALT_NAME)),
            ) {
                (Some(&i), Some(alias)) => list.entries[i].add_alias(&alias),
                _ => list.skipped += 1,
            }
        }
    }
    if let Some(add) = add {
        for row in rows(add) {
            let Some(row) = row else {
                list.skipped += 1;
                continue;
            };
            let Some(&i) = ent_num(&row).and_then(|n| by_num.get(&n)) else {
                list.skipped += 1;
                continue;
            };
            if let Some(code) = field(row.get(ADD_COUNTRY)).and_then(|c| country_code(&c)) {
                list.entries[i].add_country(&code);
            }
        }
    }
    list
}

/// The CSV rows of one file (`None` for an unreadable row); the end-of-file
/// marker (Ctrl-Z) some OFAC exports end with is ignored.
fn rows(bytes: &[u8]) -> impl Iterator<Item = Option<csv::ByteRecord>> + '_ {
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    reader.into_byte_records().filter_map(|row| match row {
        Ok(row) if is_end_marker(&row) => None,
        Ok(row) => Some(Some(row)),
        Err(_) => Some(None),
    })
}

fn is_end_marker(row: &csv::ByteRecord) -> bool {
    row.len() <= 1
        && row
            .get(0)
            .is_none_or(|f| f.iter().all(|b| *b == 0x1A || b.is_ascii_whitespace()))
}

fn ent_num(row: &csv::ByteRecord) -> Option<String> {
    field(row.get(SDN_ENT_NUM)).filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

/// Countries named in remarks as "nationality Iran;" or "citizen Russia".
fn nationalities_in(remarks: &str) -> Vec<String> {
    let lower = remarks.to_lowercase();
    let mut codes = Vec::new();
    for marker in ["nationality ", "citizen "] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(marker) {
            let start = from + at + marker.len();
            let end = lower[start..]
                .find([';', '.', ','])
                .map_or(lower.len(), |e| start + e);
            if let Some(code) = remarks.get(start..end).and_then(country_code) {
                codes.push(code);
            }
            from = end.max(start);
            if from >= lower.len() {
                break;
            }
        }
    }
    codes
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_countries_join_by_ent_num() {
        let sdn = b"7001,\"AL RASHID, Mohammad\",\"individual\",\"SDGT] [IRGC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1970; nationality Iran.\"\n\x1a\n";
        let alt = b"7001,1,\"aka\",\"AL-RASHEED, Muhammad\",-0- \n9999,2,\"aka\",\"ORPHAN\",-0- \n";
        let add = b"7001,1,-0- ,\"Dubai\",\"United Arab Emirates\",-0- \n";
        let list = load_ofac(sdn, Some(alt), Some(add));
        assert_eq!(list.entries.len(), 1);
        let e = &list.entries[0];
        assert_eq!(e.kind, EntryKind::Person);
        assert_eq!(e.aliases, ["AL-RASHEED, Muhammad"]);
        assert_eq!(e.countries, ["IR", "AE"]);
        assert_eq!(e.programs, ["SDGT", "IRGC"]);
        assert_eq!(list.skipped, 1, "the alias of an unknown ent_num");
    }
}
