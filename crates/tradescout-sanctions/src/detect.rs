//! Which list a file is, from its first bytes (the file name only breaks ties), and loading
//! a file together with the OFAC companion files beside it.

use crate::entry::SanctionsList;
use crate::error::SanctionsError;
use crate::{ofac, opensanctions, text, un_xml};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// How much of a file is looked at to tell its format.
const HEAD_BYTES: usize = 8 * 1024;

/// The list formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// OFAC `sdn.csv`.
    OfacSdn,
    /// OFAC `alt.csv` (aliases), read together with `sdn.csv`.
    OfacAlt,
    /// OFAC `add.csv` (addresses), read together with `sdn.csv`.
    OfacAdd,
    /// The UN Security Council consolidated list XML.
    UnXml,
    /// OpenSanctions `targets.simple.csv`.
    OpenSanctions,
}

/// Tells the format from the start of the content; `file_name` only decides between OFAC
/// files whose first row could be either.
pub fn detect_format(file_name: &str, head: &[u8]) -> Option<ListFormat> {
    let head = &head[..head.len().min(HEAD_BYTES)];
    let text = text::decode(head);
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        let is_un = [
            "<CONSOLIDATED_LIST",
            "<INDIVIDUALS",
            "<ENTITIES",
            "<INDIVIDUAL>",
        ]
        .iter()
        .any(|tag| trimmed.contains(tag));
        return is_un.then_some(ListFormat::UnXml);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(trimmed.as_bytes());
    let first = reader.byte_records().next()?.ok()?;
    let cell = |i: usize| text::field(first.get(i)).unwrap_or_default();
    if cell(0).eq_ignore_ascii_case("id")
        && (0..first.len()).any(|i| cell(i).eq_ignore_ascii_case("schema"))
        && (0..first.len()).any(|i| cell(i).eq_ignore_ascii_case("name"))
    {
        return Some(ListFormat::OpenSanctions);
    }
    if cell(0).is_empty() || !cell(0).bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let name = file_name.to_ascii_lowercase();
    let stem = Path::new(&name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    match (first.len(), stem.as_str()) {
        (n, _) if n >= 12 => Some(ListFormat::OfacSdn),
        (5 | 6, "alt") => Some(ListFormat::OfacAlt),
        (5 | 6, "add") => Some(ListFormat::OfacAdd),
        (5, _) => Some(ListFormat::OfacAlt),
        (6, _) => Some(ListFormat::OfacAdd),
        _ => None,
    }
}

/// Loads a list handed over as bytes. An OFAC `sdn.csv` read this way has no aliases or
/// addresses; use [`crate::load_ofac`] to give `alt.csv` and `add.csv` too.
pub fn load_bytes(file_name: &str, bytes: &[u8]) -> Result<SanctionsList, SanctionsError> {
    let mut list = match detect_format(file_name, bytes) {
        Some(ListFormat::OfacSdn) => {
            let mut list = ofac::load_ofac(bytes, None, None);
            list.warnings
                .push("alt.csv and add.csv were not given: no aliases or countries".into());
            list
        }
        Some(ListFormat::UnXml) => un_xml::load_un_xml(bytes, file_name)?,
        Some(ListFormat::OpenSanctions) => opensanctions::load_opensanctions(bytes, file_name)?,
        Some(kind @ (ListFormat::OfacAlt | ListFormat::OfacAdd)) => {
            return Err(companion(file_name, kind))
        }
        None => {
            return Err(SanctionsError::UnknownFormat {
                input: file_name.to_string(),
            })
        }
    };
    list.source = file_name.to_string();
    Ok(list)
}

/// Loads the list file at `path`; for an OFAC `sdn.csv`, also the `alt.csv` and `add.csv`
/// in the same folder when they are there (a warning says so when they are not).
pub fn load_path(path: &Path) -> Result<SanctionsList, SanctionsError> {
    let shown = path.display().to_string();
    let io = |source| SanctionsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut file)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rest = head.as_slice().chain(file);
    let mut list = match detect_format(&file_name, &head) {
        Some(ListFormat::OfacSdn) => {
            let mut sdn = Vec::new();
            BufReader::new(rest).read_to_end(&mut sdn).map_err(io)?;
            let alt = read_companion(path, "alt.csv")?;
            let add = read_companion(path, "add.csv")?;
            let mut list = ofac::load_ofac(&sdn, alt.as_deref(), add.as_deref());
            for (name, found) in [("alt.csv", &alt), ("add.csv", &add)] {
                if found.is_none() {
                    list.warnings
                        .push(format!("{name} not found beside {shown}: left out"));
                }
            }
            list
        }
        Some(ListFormat::UnXml) => un_xml::load_un_xml(BufReader::new(rest), &shown)?,
        Some(ListFormat::OpenSanctions) => opensanctions::load_opensanctions(rest, &shown)?,
        Some(kind @ (ListFormat::OfacAlt | ListFormat::OfacAdd)) => {
            return Err(companion(&shown, kind))
        }
        None => return Err(SanctionsError::UnknownFormat { input: shown }),
    };
    list.source = shown;
    Ok(list)
}

fn companion(input: &str, kind: ListFormat) -> SanctionsError {
    SanctionsError::OfacCompanion {
        input: input.to_string(),
        kind: if kind == ListFormat::OfacAlt {
            "alt.csv (aliases)"
        } else {
            "add.csv (addresses)"
        },
    }
}

/// The bytes of `wanted` (any letter case) in the folder of `sdn`, if there is one.
fn read_companion(sdn: &Path, wanted: &str) -> Result<Option<Vec<u8>>, SanctionsError> {
    let dir = match sdn.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(listing) = std::fs::read_dir(&dir) else {
        return Ok(None);
    };
    for item in listing.flatten() {
        if item
            .file_name()
            .to_string_lossy()
            .eq_ignore_ascii_case(wanted)
        {
            let path = item.path();
            return std::fs::read(&path)
                .map(Some)
                .map_err(|source| SanctionsError::Io { path, source });
        }
    }
    Ok(None)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_from_content() {
        let sdn = b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
        assert_eq!(detect_format("x.csv", sdn), Some(ListFormat::OfacSdn));
        assert_eq!(
            detect_format("ALT.CSV", b"36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \n"),
            Some(ListFormat::OfacAlt)
        );
        assert_eq!(
            detect_format(
                "x",
                b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>"
            ),
            Some(ListFormat::UnXml)
        );
        assert_eq!(
            detect_format("t.csv", b"id,schema,name,aliases\n"),
            Some(ListFormat::OpenSanctions)
        );
        assert_eq!(detect_format("x.csv", b"name,email\nBob,b@x\n"), None);
        assert_eq!(detect_format("x.xml", b"<html><body/></html>"), None);
    }
}
