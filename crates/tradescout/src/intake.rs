//! Reading what the user hands `analyze`, `coach` or `draft`, with errors and skipped mbox
//! messages reported in the user's language.

use crate::failure::{mail_reason, Failure};
use crate::import::FailedItem;
use tradescout_analyze::ThreadInput;
use tradescout_core::{tr, Lang};
pub use tradescout_intake::InputKind;

/// Reads the input into threads (one, except for mbox and JSON Lines). A bad message of an
/// mbox is reported on stderr and skipped; the rest is still read.
pub fn read_threads(
    bytes: &[u8],
    name: &str,
    seller_domains: &[String],
    lang: Lang,
) -> Result<(InputKind, Vec<ThreadInput>), Failure> {
    match tradescout_intake::read_threads(bytes, seller_domains) {
        Ok(intake) => {
            for (position, e) in &intake.skipped {
                let item = FailedItem {
                    source: name.to_string(),
                    position: *position,
                    reason: mail_reason(lang, e),
                };
                eprintln!("{}", item.describe(lang));
            }
            Ok((intake.kind, intake.threads))
        }
        Err(e) => Err(Failure::input(tr(
            lang,
            "error.bad_input",
            &[("input", &name), ("reason", &intake_reason(lang, &e))],
        ))),
    }
}

/// Why an input could not be read, in the user's language.
pub use tradescout_intake::reason as intake_reason;
