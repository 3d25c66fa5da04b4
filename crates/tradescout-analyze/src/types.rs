//! The analysis types live in `tradescout_core::analysis` so the coach and the web app read
//! them without depending on this crate; re-exported here for convenience.

pub use tradescout_core::analysis::*;
