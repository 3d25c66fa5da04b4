//! Understanding one inquiry or thread: the buyer's language, who the buyer is, what exactly
//! they ask for, which buying stage they are in, what worries them now, and whether it is
//! spam or a scam — every judgement with the words that caused it.
//!
//! Pure functions over text: no I/O. Lexicons and model weights are data files compiled in.

pub mod buyer;
pub mod concerns;
pub mod cues;
pub mod families;
pub mod input;
pub mod language;
pub mod model;
pub mod pipeline;
pub mod request;
pub mod spam;
pub mod stage;
pub mod types;

pub use input::{InputMessage, Role, ThreadInput};
pub use pipeline::analyze;
pub use types::*;
