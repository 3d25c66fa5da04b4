//! Country names as the lists write them ("Iran (Islamic Republic of)", "Korea, North") to
//! ISO 3166-1 alpha-2 codes, from `data/countries.csv`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/countries.csv");

/// The ISO 3166-1 alpha-2 code (upper case) for a country name, alpha-3 or alpha-2 code.
///
/// ```
/// use tradescout_sanctions::country_code;
/// assert_eq!(country_code("Korea, North").as_deref(), Some("KP"));
/// assert_eq!(country_code("ir").as_deref(), Some("IR"));
/// assert_eq!(country_code("Atlantis"), None);
/// ```
pub fn country_code(name: &str) -> Option<String> {
    let key = key_of(name);
    if key.is_empty() {
        return None;
    }
    let table = table();
    if let Some(code) = table.names.get(&key) {
        return Some(code.clone());
    }
    let upper = key.to_ascii_uppercase();
    if upper.len() == 2 && table.codes.contains(&upper) {
        return Some(upper);
    }
    // "Iran (Islamic Republic of)": try the part before the bracket.
    let head = name.split(['(', '[']).next().unwrap_or(name);
    if head.len() < name.len() {
        return table.names.get(&key_of(head)).cloned();
    }
    None
}

struct Table {
    names: HashMap<String, String>,
    codes: HashSet<String>,
}

fn table() -> &'static Table {
    static TABLE_CELL: OnceLock<Table> = OnceLock::new();
    TABLE_CELL.get_or_init(|| {
        let mut names = HashMap::new();
        let mut codes = HashSet::new();
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(TABLE.as_bytes());
        for row in reader.records().flatten() {
            if let (Some(code), Some(name)) = (row.get(0), row.get(1)) {
                names.insert(key_of(name), code.to_string());
                codes.insert(code.to_string());
            }
        }
        Table { names, codes }
    })
}

/// ASCII lower case, letters and digits only, one space between words, no leading "the".
fn key_of(name: &str) -> String {
    let folded: String = any_ascii::any_ascii(name)
        .to_ascii_lowercase()
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<&str> = folded.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn list_spellings_map_to_codes() {
        for (name, code) in [
            ("Iran (Islamic Republic of)", "IR"),
            ("Russian Federation", "RU"),
            ("Russia", "RU"),
            ("Democratic People's Republic of Korea", "KP"),
            ("Syrian Arab Republic", "SY"),
            ("Burma", "MM"),
            ("United Arab Emirates", "AE"),
            ("Türkiye", "TR"),
            ("Cote d'Ivoire", "CI"),
            ("Côte d'Ivoire", "CI"),
            ("the Netherlands", "NL"),
            ("IRQ", "IQ"),
        ] {
            assert_eq!(country_code(name).as_deref(), Some(code), "{name}");
        }
    }
}
