//! The UN Security Council consolidated list (XML), read as a stream of events so memory
//! stays bounded by one entry however large the file.

use crate::countries::country_code;
use crate::entry::{Entry, EntryKind, SanctionsList};
use crate::error::SanctionsError;
use crate::text::clip;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::io::BufRead;

/// The list name UN hits are reported under.
pub const LIST_NAME: &str = "un_consolidated";

/// Text kept of one element; longer text is damage, not data.
const MAX_TEXT_BYTES: usize = 64 * 1024;
/// Elements nested deeper than this are ignored (the real list nests four deep).
const MAX_DEPTH: usize = 64;

/// Reads the UN consolidated list XML. `input` names the source in messages. Entries cut
/// short by a truncated or broken file are skipped and counted, and a warning says where
/// reading stopped; a file with no list elements at all is an error.
pub fn load_un_xml<R: BufRead>(source: R, input: &str) -> Result<SanctionsList, SanctionsError> {
    let mut reader = Reader::from_reader(source);
    let mut list = SanctionsList {
        name: LIST_NAME.to_string(),
        ..Default::default()
    };
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut text = String::new();
    let mut current: Option<Builder> = None;
    let mut saw_root = false;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                if current.take().is_some() {
                    list.skipped += 1;
                }
                list.warnings.push(format!(
                    "{input}: XML error at byte {}: {e}; reading stopped there",
                    reader.error_position()
                ));
                break;
            }
        };
        match event {
            Event::Start(start) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    buf.clear();
                    continue;
                }
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                match name.as_str() {
                    "CONSOLIDATED_LIST" | "INDIVIDUALS" | "ENTITIES" => saw_root = true,
                    "INDIVIDUAL" | "ENTITY" => {
                        saw_root = true;
                        if current.is_some() {
                            list.skipped += 1;
                        }
                        current = Some(Builder::new(&name));
                    }
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::End(_) => {
                if depth > MAX_DEPTH {
                    depth -= 1;
                    buf.clear();
                    continue;
                }
                depth = depth.saturating_sub(1);
                let Some(name) = path.pop() else {
                    buf.clear();
                    continue;
                };
                let parent = path.last().map(String::as_str).unwrap_or("");
                if name == "INDIVIDUAL" || name == "ENTITY" {
                    match current.take().and_then(Builder::finish) {
                        Some(entry) => list.entries.push(entry),
                        None => list.skipped += 1,
                    }
                } else if let Some(b) = current.as_mut() {
                    b.field(&name, parent, text.trim());
                }
                text.clear();
            }
            Event::Text(t) => push_text(&mut text, &String::from_utf8_lossy(&t)),
            Event::CData(t) => push_text(&mut text, &String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = resolved {
                    push_text(&mut text, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => {
                if current.take().is_some() {
                    list.skipped += 1;
                }
                if !path.is_empty() {
                    list.warnings.push(format!(
                        "{input}: the file ends inside <{}>: it looks truncated",
                        path.last().map(String::as_str).unwrap_or("?")
                    ));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    if !saw_root {
        return Err(SanctionsError::UnknownFormat {
            input: input.to_string(),
        });
    }
    Ok(list)
}

fn push_text(text: &mut String, more: &str) {
    if text.len() + more.len() <= MAX_TEXT_BYTES {
        text.push_str(more);
    }
}

/// One INDIVIDUAL or ENTITY being read.
struct Builder {
    kind: EntryKind,
    data_id: Option<String>,
    reference: Option<String>,
    name_parts: [Option<String>; 4],
    aliases: Vec<String>,
    countries: Vec<String>,
    programs: Vec<String>,
}

impl Builder {
    fn new(element: &str) -> Builder {
        Builder {
            kind: if element == "INDIVIDUAL" {
                EntryKind::Person
            } else {
                EntryKind::Organization
            },
            data_id: None,
            reference: None,
            name_parts: Default::default(),
            aliases: Vec::new(),
            countries: Vec::new(),
            programs: Vec::new(),
        }
    }

    fn field(&mut self, name: &str, parent: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let value = clip(value);
        match (name, parent) {
            ("DATAID", "INDIVIDUAL" | "ENTITY") => self.data_id = Some(value),
            ("REFERENCE_NUMBER", "INDIVIDUAL" | "ENTITY") => self.reference = Some(value),
            ("FIRST_NAME", _) => self.name_parts[0] = Some(value),
            ("SECOND_NAME", _) => self.name_parts[1] = Some(value),
            ("THIRD_NAME", _) => self.name_parts[2] = Some(value),
            ("FOURTH_NAME", _) => self.name_parts[3] = Some(value),
            ("NAME_ORIGINAL_SCRIPT", _) => self.aliases.push(value),
            ("ALIAS_NAME", "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS") => self.aliases.push(value),
            ("VALUE", "NATIONALITY") | ("COUNTRY", "INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS") => {
                if let Some(code) = country_code(&value) {
                    if !self.countries.contains(&code) {
                        self.countries.push(code);
                    }
                }
            }
            ("UN_LIST_TYPE", _) => self.programs.push(value),
            _ => {}
        }
    }

    fn finish(self) -> Option<Entry> {
        let name = self
            .name_parts
            .iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        let id = self.reference.or(self.data_id)?;
        if name.trim().is_empty() {
            return None;
        }
        let mut entry = Entry {
            id,
            list: LIST_NAME.to_string(),
            kind: self.kind,
            name,
            countries: self.countries,
            programs: self.programs,
            ..Default::default()
        };
        for alias in &self.aliases {
            entry.add_alias(alias);
        }
        Some(entry)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const ONE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2025-01-01T00:00:00">
 <INDIVIDUALS>
  <INDIVIDUAL>
   <DATAID>100</DATAID><FIRST_NAME>ABDUL</FIRST_NAME><SECOND_NAME>KARIM</SECOND_NAME>
   <THIRD_NAME/><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.900</REFERENCE_NUMBER>
   <NAME_ORIGINAL_SCRIPT>عبد الكريم</NAME_ORIGINAL_SCRIPT>
   <NATIONALITY><VALUE>Yemen</VALUE></NATIONALITY>
   <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abd al-Karim &amp; Co&#46;</ALIAS_NAME></INDIVIDUAL_ALIAS>
   <INDIVIDUAL_ADDRESS><COUNTRY>Saudi Arabia</COUNTRY></INDIVIDUAL_ADDRESS>
  </INDIVIDUAL>
 </INDIVIDUALS>
</CONSOLIDATED_LIST>"#;

    #[test]
    fn an_individual_gets_its_names_aliases_and_countries() {
        let list = load_un_xml(ONE.as_bytes(), "un.xml").unwrap();
        assert_eq!(list.entries.len(), 1);
        let e = &list.entries[0];
        assert_eq!(e.id, "QDi.900");
        assert_eq!(e.name, "ABDUL KARIM");
        assert_eq!(e.aliases, ["عبد الكريم", "Abd al-Karim & Co."]);
        assert_eq!(e.countries, ["YE", "SA"]);
        assert_eq!(e.programs, ["Al-Qaida"]);
    }

    #[test]
    fn a_truncated_file_keeps_whole_entries_and_warns() {
        let cut = &ONE[..ONE.find("<INDIVIDUAL_ADDRESS>").unwrap()];
        let list = load_un_xml(cut.as_bytes(), "un.xml").unwrap();
        assert!(list.entries.is_empty());
        assert_eq!(list.skipped, 1);
        assert!(
            list.warnings[0].contains("truncated"),
            "{:?}",
            list.warnings
        );
    }
}
