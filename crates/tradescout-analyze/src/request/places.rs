//! Countries (by name in many languages, by ccTLD) and ports or trade cities, from
//! `data/countries.toml`. Shared by the destination and the buyer's country.

use super::lexicon::PhraseSet;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub(crate) const COUNTRIES_TOML: &str = include_str!("../../data/countries.toml");

#[derive(Debug, Deserialize, Default)]
pub(crate) struct CountriesFile {
    #[serde(default)]
    names: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    ambiguous: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    cctld: CcTld,
    #[serde(default)]
    ports: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, Default)]
struct CcTld {
    #[serde(default)]
    generic: Vec<String>,
    #[serde(default)]
    exceptions: BTreeMap<String, String>,
}

/// A place a text names.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Place {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The port or city, canonical spelling; `None` when the country itself was named.
    pub port: Option<String>,
    /// A country name that is also a common word or first name ("Jordan").
    pub ambiguous: bool,
}

pub(crate) struct Places {
    pub(crate) names: PhraseSet<Place>,
    generic_tlds: Vec<String>,
    tld_exceptions: BTreeMap<String, String>,
}

pub(crate) fn places() -> &'static Places {
    static PLACES: OnceLock<Places> = OnceLock::new();
    PLACES.get_or_init(|| {
        let file: CountriesFile = toml::from_str(COUNTRIES_TOML).unwrap_or_default();
        let mut entries = Vec::new();
        for (code, names) in &file.names {
            for n in names {
                entries.push((
                    n.clone(),
                    Place {
                        country: code.clone(),
                        port: None,
                        ambiguous: false,
                    },
                    false,
                ));
            }
        }
        for (code, names) in &file.ambiguous {
            for n in names {
                entries.push((
                    n.clone(),
                    Place {
                        country: code.clone(),
                        port: None,
                        ambiguous: true,
                    },
                    false,
                ));
            }
        }
        for (port, code) in &file.ports {
            entries.push((
                port.clone(),
                Place {
                    country: code.clone(),
                    port: Some(port.clone()),
                    ambiguous: false,
                },
                false,
            ));
        }
        Places {
            names: PhraseSet::new(entries),
            generic_tlds: file.cctld.generic,
            tld_exceptions: file.cctld.exceptions,
        }
    })
}

impl Places {
    /// The country a domain's ccTLD stands for (`shop.com.br` → BR); `None` for generic TLDs.
    pub(crate) fn country_of_domain(&self, domain: &str) -> Option<String> {
        let tld = domain
            .trim_end_matches('.')
            .rsplit('.')
            .next()?
            .to_ascii_lowercase();
        if let Some(code) = self.tld_exceptions.get(&tld) {
            return Some(code.clone());
        }
        if tld.len() != 2
            || !tld.bytes().all(|b| b.is_ascii_lowercase())
            || self.generic_tlds.contains(&tld)
        {
            return None;
        }
        Some(tld.to_ascii_uppercase())
    }

    /// The place named right at `at` in `text` (after spaces, "the", "port of"), with the
    /// byte offset where its name ends.
    pub(crate) fn place_at(&self, text: &str, at: usize) -> Option<(Place, usize)> {
        let mut at = skip_spaces(text, at);
        for filler in [
            "the ",
            "port of ",
            "puerto de ",
            "porto de ",
            "port de ",
            "hafen ",
            "порт ",
        ] {
            if text
                .get(at..at + filler.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(filler))
            {
                at = skip_spaces(text, at + filler.len());
            }
        }
        let (end, place) = self.names.match_at(text, at)?;
        Some((place.clone(), end))
    }

    /// Every unambiguous country or port named anywhere in `text`.
    pub(crate) fn find_iter<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize, &'a Place)> + 'a {
        self.names.find_iter(text)
    }
}

pub(crate) fn skip_spaces(text: &str, mut at: usize) -> usize {
    while let Some(c) = text.get(at..).and_then(|s| s.chars().next()) {
        if c == ' ' || c == '\t' || c == '\u{a0}' {
            at += c.len_utf8();
        } else {
            break;
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_data_parses() {
        let file: Result<CountriesFile, _> = toml::from_str(COUNTRIES_TOML);
        let file = file.unwrap_or_else(|e| panic!("data/countries.toml: {e}"));
        assert!(file.names.len() > 80);
        assert!(file.ports.contains_key("Hamburg"));
        for code in file.names.keys().chain(file.ports.values()) {
            assert!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "bad code {code}"
            );
        }
    }

    #[test]
    fn cctld_reads_country_but_not_generic() {
        let p = places();
        assert_eq!(p.country_of_domain("shop.com.br").as_deref(), Some("BR"));
        assert_eq!(p.country_of_domain("acme.co.uk").as_deref(), Some("GB"));
        assert_eq!(p.country_of_domain("acme.com"), None);
        assert_eq!(p.country_of_domain("startup.io"), None);
    }

    #[test]
    fn places_in_several_languages() {
        let p = places();
        let found: Vec<_> = p
            .find_iter("Lieferung nach Deutschland, CIF Hamburg, Германия")
            .map(|(_, _, pl)| pl.country.clone())
            .collect();
        assert_eq!(found, vec!["DE", "DE", "DE"]);
        assert_eq!(
            p.place_at("to the port of Lagos", 3).map(|(pl, _)| pl.port),
            Some(Some("Lagos".to_string()))
        );
    }
}
