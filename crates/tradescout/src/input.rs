//! Reading the one input of `mail …` (and later `analyze`, `coach`): a file or standard input,
//! with a size cap, errors naming the input.

use crate::failure::Failure;
use std::io::Read;
use std::path::Path;
use tradescout_core::{tr, Lang};

/// Largest single input read into memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads `path` (or standard input for `None` / `-`).
pub fn read_input(path: Option<&Path>, lang: Lang) -> Result<(String, Vec<u8>), Failure> {
    let stdin_name = tr(lang, "input.stdin", &[]);
    let (name, reader): (String, Box<dyn Read>) = match path {
        None => (stdin_name, Box::new(std::io::stdin().lock())),
        Some(p) if p.as_os_str() == "-" => (stdin_name, Box::new(std::io::stdin().lock())),
        Some(p) => {
            let file = std::fs::File::open(p).map_err(|e| {
                Failure::input(tr(
                    lang,
                    "error.read_input",
                    &[("input", &p.display()), ("reason", &e)],
                ))
            })?;
            (p.display().to_string(), Box::new(file))
        }
    };
    let mut buf = Vec::new();
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| {
            Failure::input(tr(
                lang,
                "error.read_input",
                &[("input", &name), ("reason", &e)],
            ))
        })?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::input(tr(
            lang,
            "error.too_large",
            &[("input", &name), ("limit", &MAX_INPUT_BYTES)],
        )));
    }
    Ok((name, buf))
}
