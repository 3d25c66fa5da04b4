//! How long goods take from a Chinese port to the buyer: typical sea, air, express, rail and
//! road days by destination region (`data/transit.toml`, with its sources), plus handling at
//! both ends and inland days to landlocked countries. The coach adds these to the production
//! lead time before comparing with the buyer's deadline.

use crate::reply_lang::ReplyLang;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const TRANSIT: &str = include_str!("../data/transit.toml");

/// How the goods travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sea,
    Air,
    Express,
    Rail,
    Road,
}

impl Mode {
    /// The message key naming the mode (`coach.transit.sea`, …).
    pub fn key(self) -> &'static str {
        match self {
            Mode::Sea => "coach.transit.sea",
            Mode::Air => "coach.transit.air",
            Mode::Express => "coach.transit.express",
            Mode::Rail => "coach.transit.rail",
            Mode::Road => "coach.transit.road",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct RouteName {
    en: String,
    #[serde(rename = "zh-CN")]
    zh_cn: String,
}

/// One destination region and its typical days.
#[derive(Debug, Clone, Deserialize)]
pub struct Route {
    pub region: String,
    name: RouteName,
    #[serde(default)]
    pub countries: Vec<String>,
    pub sea_days: Option<u32>,
    pub air_days: Option<u32>,
    pub express_days: Option<u32>,
    pub rail_days: Option<u32>,
    pub road_days: Option<u32>,
    pub inland_days: Option<u32>,
    pub destination_handling_days: Option<u32>,
}

impl Route {
    /// The region's name in `lang` (English for Spanish).
    pub fn name_in(&self, lang: ReplyLang) -> &str {
        match lang {
            ReplyLang::ZhCn => &self.name.zh_cn,
            _ => &self.name.en,
        }
    }

    fn days(&self, mode: Mode) -> Option<u32> {
        match mode {
            Mode::Sea => self.sea_days,
            Mode::Air => self.air_days,
            Mode::Express => self.express_days,
            Mode::Rail => self.rail_days,
            Mode::Road => self.road_days,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Defaults {
    origin_handling_days: u32,
    destination_handling_days: u32,
}

#[derive(Debug, Default, Deserialize)]
struct ModeWords {
    #[serde(default)]
    air: Vec<String>,
    #[serde(default)]
    express: Vec<String>,
    #[serde(default)]
    rail: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct TransitFile {
    defaults: Defaults,
    route: Vec<Route>,
    #[serde(default)]
    destination_ports: HashMap<String, String>,
    #[serde(default)]
    mode_words: ModeWords,
}

/// The transit table.
#[derive(Debug, Default)]
pub struct Transit {
    file: TransitFile,
    /// Lower-case port or city name → route index.
    ports: HashMap<String, usize>,
    /// ISO alpha-2 → route index.
    countries: HashMap<String, usize>,
}

/// The way to one buyer: the route, how the goods go, and the days from the factory gate to
/// the buyer's door (handling at both ends and inland days included).
#[derive(Debug, Clone, Copy)]
pub struct Leg<'t> {
    pub route: &'t Route,
    pub mode: Mode,
    pub days: u32,
}

impl Transit {
    /// The shipped table (empty if the data file were broken; a test guards that).
    pub fn shipped() -> &'static Transit {
        static T: OnceLock<Transit> = OnceLock::new();
        T.get_or_init(|| Transit::parse(TRANSIT).unwrap_or_default())
    }

    fn parse(text: &str) -> Result<Transit, toml::de::Error> {
        let file: TransitFile = toml::from_str(text)?;
        let mut countries = HashMap::new();
        for (i, r) in file.route.iter().enumerate() {
            for c in &r.countries {
                countries.entry(c.to_ascii_uppercase()).or_insert(i);
            }
        }
        let ports = file
            .destination_ports
            .iter()
            .filter_map(|(port, region)| {
                let i = file.route.iter().position(|r| &r.region == region)?;
                Some((port.to_lowercase(), i))
            })
            .collect();
        Ok(Transit {
            file,
            ports,
            countries,
        })
    }

    /// The route to a destination port (when the table knows it), else to the country.
    pub fn route(&self, country: Option<&str>, port: Option<&str>) -> Option<&Route> {
        let by_port = port.and_then(|p| self.ports.get(&p.trim().to_lowercase()));
        let by_country = || country.and_then(|c| self.countries.get(&c.to_ascii_uppercase()));
        by_port
            .or_else(by_country)
            .and_then(|&i| self.file.route.get(i))
    }

    /// How the buyer's words say the goods go ("by air", "DHL", "China–Europe rail"), if they
    /// do.
    pub fn mode_in(&self, text: &str) -> Option<Mode> {
        let lower = text.to_lowercase();
        let said = |words: &[String]| {
            words
                .iter()
                .any(|w| crate::knowledge::contains_word(&lower, w))
        };
        let w = &self.file.mode_words;
        if said(&w.express) {
            Some(Mode::Express)
        } else if said(&w.air) {
            Some(Mode::Air)
        } else if said(&w.rail) {
            Some(Mode::Rail)
        } else {
            None
        }
    }

    /// The leg to `route` by `wanted` (when the route has it), else by sea, rail or road,
    /// whichever the route has first.
    pub fn leg<'t>(&self, route: &'t Route, wanted: Option<Mode>) -> Option<Leg<'t>> {
        let mode = wanted.filter(|m| route.days(*m).is_some()).or_else(|| {
            [Mode::Sea, Mode::Rail, Mode::Road]
                .into_iter()
                .find(|m| route.days(*m).is_some())
        })?;
        let transit = route.days(mode)?;
        let d = &self.file.defaults;
        let handling = match mode {
            // A courier delivers door to door, customs included.
            Mode::Express => 0,
            _ => {
                d.origin_handling_days
                    + route
                        .destination_handling_days
                        .unwrap_or(d.destination_handling_days)
            }
        };
        let inland = match mode {
            Mode::Sea => route.inland_days.unwrap_or(0),
            _ => 0,
        };
        Some(Leg {
            route,
            mode,
            days: transit + handling + inland,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_parses_and_covers_the_markets() {
        let t = Transit::parse(TRANSIT).unwrap_or_else(|e| panic!("transit.toml: {e}"));
        assert!(t.file.route.len() > 30);
        for c in [
            "US", "DE", "NG", "AU", "BR", "AE", "RU", "KZ", "UG", "GB", "MX",
        ] {
            let route = t.route(Some(c), None);
            assert!(route.is_some(), "{c} has no route");
            assert!(
                route.and_then(|r| t.leg(r, None)).is_some(),
                "{c} has no way there"
            );
        }
        let routes_named = t.file.destination_ports.len();
        assert_eq!(
            t.ports.len(),
            routes_named,
            "a port names a route that is not there"
        );
    }

    #[test]
    fn a_port_picks_its_coast_and_handling_is_added() {
        let t = Transit::shipped();
        let west = t.route(Some("US"), Some("Los Angeles"));
        let east = t.route(Some("US"), Some("New York"));
        let (Some(west), Some(east)) = (west, east) else {
            panic!("US ports missing");
        };
        let (Some(w), Some(e)) = (t.leg(west, None), t.leg(east, None)) else {
            panic!("no sea leg");
        };
        assert!(e.days > w.days, "east coast {} vs west {}", e.days, w.days);
        assert!(w.days > west.sea_days.unwrap_or(0), "handling is added");
        assert_eq!(
            t.mode_in("please ship by air, it is urgent"),
            Some(Mode::Air)
        );
        assert_eq!(t.mode_in("send the samples by DHL"), Some(Mode::Express));
        let air = t.leg(west, Some(Mode::Air)).map(|l| l.mode);
        assert_eq!(air, Some(Mode::Air));
    }
}
