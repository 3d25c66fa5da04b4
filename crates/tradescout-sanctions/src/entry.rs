//! What a loaded list holds: entries with their names, aliases and countries.

use serde::Serialize;

/// What kind of party an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Person,
    Organization,
    Vessel,
    Aircraft,
    #[default]
    Unknown,
}

impl EntryKind {
    /// From the type words the lists use (`individual`, `Person`, `Company`, `vessel`, …).
    pub fn from_label(label: &str) -> EntryKind {
        match label.trim().to_ascii_lowercase().as_str() {
            "individual" | "person" => EntryKind::Person,
            "entity" | "organization" | "company" | "legalentity" | "publicbody" => {
                EntryKind::Organization
            }
            "vessel" => EntryKind::Vessel,
            "aircraft" | "airplane" => EntryKind::Aircraft,
            _ => EntryKind::Unknown,
        }
    }
}

/// One listed party.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Entry {
    /// The list's own identifier (OFAC `ent_num`, UN reference number, OpenSanctions id).
    pub id: String,
    /// The list the entry is reported under: `ofac_sdn`, `un_consolidated` or the
    /// OpenSanctions dataset name.
    pub list: String,
    pub kind: EntryKind,
    /// The primary name as the list writes it.
    pub name: String,
    /// Other names: aliases, spellings, names in the original script.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of nationalities and addresses, upper case, no repeats.
    pub countries: Vec<String>,
    /// Sanctions programmes or regimes, as the list names them.
    pub programs: Vec<String>,
}

impl Entry {
    /// The primary name, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Adds a country code once.
    pub(crate) fn add_country(&mut self, code: &str) {
        if !self.countries.iter().any(|c| c == code) {
            self.countries.push(code.to_string());
        }
    }

    /// Adds an alias unless it is empty or already a name of the entry.
    pub(crate) fn add_alias(&mut self, alias: &str) {
        let alias = alias.trim();
        if alias.is_empty() || self.names().any(|n| n == alias) {
            return;
        }
        self.aliases.push(alias.to_string());
    }
}

/// A loaded list.
#[derive(Debug, Clone, Default)]
pub struct SanctionsList {
    /// `ofac_sdn`, `un_consolidated` or `opensanctions`.
    pub name: String,
    /// Where it came from (a file name), for messages.
    pub source: String,
    pub entries: Vec<Entry>,
    /// Rows or elements that could not be read and were left out.
    pub skipped: usize,
    /// Problems worth telling the user (a truncated file, a missing `alt.csv`).
    pub warnings: Vec<String>,
}
