//! `tradescout analyze`: understand one inquiry or thread (or every thread of an mbox or
//! JSON Lines input) and print the analysis.

use crate::cli::ReportFormat;
use crate::failure::Failure;
use crate::input::read_input;
use crate::intake::{read_threads, InputKind};
use crate::render::{analysis_markdown, analysis_text};
use std::path::Path;
use tradescout_analyze::ThreadInput;
use tradescout_core::analysis::Analysis;
use tradescout_core::Lang;

/// The analysis with the coach's next actions and questions.
pub fn full_analysis(thread: &ThreadInput, lang: Lang) -> Analysis {
    tradescout_intake::understand(thread, lang)
}

pub fn run(
    path: Option<&Path>,
    format: ReportFormat,
    seller_domains: &[String],
    lang: Lang,
) -> Result<(), Failure> {
    let (name, bytes) = read_input(path, lang)?;
    let (kind, threads) = read_threads(&bytes, &name, seller_domains, lang)?;
    let many = matches!(kind, InputKind::Mbox | InputKind::JsonLines);
    for (i, thread) in threads.iter().enumerate() {
        let a = full_analysis(thread, lang);
        match format {
            ReportFormat::Json if many => {
                println!("{}", serde_json::to_string(&a).unwrap_or_default())
            }
            ReportFormat::Json => {
                println!("{}", serde_json::to_string_pretty(&a).unwrap_or_default())
            }
            ReportFormat::Md | ReportFormat::Text => {
                if i > 0 {
                    println!("\n---\n");
                }
                let out = if format == ReportFormat::Md {
                    analysis_markdown(&a, lang)
                } else {
                    analysis_text(&a, lang)
                };
                print!("{out}");
            }
        }
    }
    Ok(())
}
