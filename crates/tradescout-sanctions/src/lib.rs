//! Sanctions screening: loaders for the official lists and a fuzzy name matcher.
//!
//! The pipeline is `load` → [`Screener::new`] (normalise and index every name and alias) →
//! [`Screener::screen`] (score one name against the index). Lists come in as bytes or readers
//! handed over by the caller; [`load_path`] is the one function that opens files, because an
//! OFAC `sdn.csv` needs the `alt.csv` and `add.csv` that sit beside it.
//!
//! Supported formats:
//! - OFAC SDN CSV: `sdn.csv`, with aliases from `alt.csv` and countries from `add.csv`
//!   joined by `ent_num` ([`load_ofac`]);
//! - the UN Security Council consolidated list XML ([`load_un_xml`]);
//! - OpenSanctions `targets.simple.csv` ([`load_opensanctions`]).
//!
//! ```
//! use tradescout_sanctions::{load_bytes, MatchSettings, ScreenOptions, Screener};
//! let csv = "id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,\
//!            phones,emails,dataset,first_seen,last_seen,last_change\n\
//!            x1,Company,Rosneft Trading SA,Роснефть,,ru;ch,,,,,,Test list,,,\n";
//! let list = load_bytes("targets.simple.csv", csv.as_bytes()).unwrap();
//! let screener = Screener::new(vec![list], MatchSettings::default());
//! let hits = screener.screen("ROSNEFT TRADING S.A.", &ScreenOptions::default());
//! assert_eq!(hits[0].entry_id, "x1");
//! ```

mod countries;
mod detect;
mod entry;
mod error;
mod index;
mod normalize;
mod ofac;
mod opensanctions;
mod settings;
mod similarity;
mod text;
mod un_xml;

pub use countries::country_code;
pub use detect::{detect_format, load_bytes, load_path, ListFormat};
pub use entry::{Entry, EntryKind, SanctionsList};
pub use error::SanctionsError;
pub use index::{Hit, HitStatus, ListSummary, PossibleReason, ScreenOptions, Screener};
pub use normalize::normalize_name;
pub use ofac::load_ofac;
pub use opensanctions::load_opensanctions;
pub use settings::MatchSettings;
pub use similarity::name_similarity;
pub use un_xml::load_un_xml;
