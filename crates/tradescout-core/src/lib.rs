//! Domain types, label sets and the bilingual message catalogue shared by every tradescout crate.
//!
//! This crate does no I/O. Label sets here are contracts: their `snake_case` names are used
//! unchanged in JSON, the database and the UI.

pub mod analysis;
pub mod concepts;
pub mod labels;
pub mod messages;
pub mod phrases;

pub use labels::{BusinessType, Concern, EmailKind, Evidence, Outcome, Stage};
pub use messages::{tr, Lang, Messages, MessagesError};
