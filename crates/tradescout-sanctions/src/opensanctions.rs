//! OpenSanctions `targets.simple.csv`: one target a row, with a header naming the columns.

use crate::countries::country_code;
use crate::entry::{Entry, EntryKind, SanctionsList};
use crate::error::SanctionsError;
use crate::text::{clip, field};
use std::io::Read;

/// The name the file is summarised under; hits carry each row's own dataset.
pub const LIST_NAME: &str = "opensanctions";

/// Reads an OpenSanctions simple CSV (columns found by header name, so added or reordered
/// columns are fine). Rows without an id or a name are skipped and counted. `input` names the
/// source in messages.
pub fn load_opensanctions<R: Read>(
    source: R,
    input: &str,
) -> Result<SanctionsList, SanctionsError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(source);
    let header = reader
        .byte_headers()
        .map_err(|e| SanctionsError::Malformed {
            input: input.to_string(),
            reason: e.to_string(),
        })?
        .clone();
    let column = |name: &str| {
        header.iter().position(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case(name)
        })
    };
    let (Some(id_col), Some(name_col)) = (column("id"), column("name")) else {
        return Err(SanctionsError::UnknownFormat {
            input: input.to_string(),
        });
    };
    let schema_col = column("schema");
    let aliases_col = column("aliases");
    let countries_col = column("countries");
    let sanctions_col = column("sanctions");
    let dataset_col = column("dataset");
    let mut list = SanctionsList {
        name: LIST_NAME.to_string(),
        ..Default::default()
    };
    let mut row = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) if e.is_io_error() => {
                list.warnings.push(format!("{input}: reading stopped: {e}"));
                break;
            }
            Err(_) => {
                list.skipped += 1;
                continue;
            }
        }
        let get = |col: Option<usize>| field(col.and_then(|c| row.get(c)));
        let (Some(id), Some(name)) = (get(Some(id_col)), get(Some(name_col))) else {
            list.skipped += 1;
            continue;
        };
        let mut entry = Entry {
            id,
            list: get(dataset_col)
                .map(|d| split(&d).collect::<Vec<_>>().join("; "))
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| LIST_NAME.to_string()),
            kind: get(schema_col)
                .map(|s| EntryKind::from_label(&s))
                .unwrap_or_default(),
            name,
            programs: get(sanctions_col)
                .map(|s| split(&s).map(|p| clip(&p)).collect())
                .unwrap_or_default(),
            ..Default::default()
        };
        if let Some(aliases) = get(aliases_col) {
            for alias in split(&aliases) {
                entry.add_alias(&alias);
            }
        }
        if let Some(countries) = get(countries_col) {
            for code in split(&countries).filter_map(|c| country_code(&c)) {
                entry.add_country(&code);
            }
        }
        list.entries.push(entry);
    }
    Ok(list)
}

/// The ";"-separated parts of a cell, trimmed, empty ones left out.
fn split(cell: &str) -> impl Iterator<Item = String> + '_ {
    cell.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn aliases_countries_and_dataset_are_read() {
        let csv = "id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,dataset,first_seen,last_seen,last_change\n\
                   os-1,Company,Volga Petro OOO,Волга Петро;Volga-Petro,,ru;kz,,,EU 833/2014,,,EU Financial Sanctions,,,\n\
                   os-2,Person,,,,,,,,,,x,,,\n";
        let list = load_opensanctions(csv.as_bytes(), "t.csv").unwrap();
        assert_eq!(list.entries.len(), 1);
        assert_eq!(list.skipped, 1);
        let e = &list.entries[0];
        assert_eq!(e.aliases, ["Волга Петро", "Volga-Petro"]);
        assert_eq!(e.countries, ["RU", "KZ"]);
        assert_eq!(e.list, "EU Financial Sanctions");
        assert_eq!(e.kind, EntryKind::Organization);
    }
}
