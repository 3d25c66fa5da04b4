//! `tradescout coach`: SPIN questions, next actions, catalogue matches against the buyer's
//! real need, flags and a proposal for one inquiry or thread (or each thread of an mbox).

use crate::analyze_cmd::full_analysis;
use crate::cli::{CoachArgs, JsonOrMd};
use crate::failure::Failure;
use crate::input::read_input;
use crate::intake::{read_threads, InputKind};
use std::fmt::Write;
use std::path::Path;
use tradescout_coach::{coach_in, Catalogue, CoachInput, Coaching, ReplyLang};
use tradescout_core::{tr, Lang};

pub fn run(
    args: &CoachArgs,
    seller_domains: &[String],
    db_url: Option<&str>,
    lang: Lang,
) -> Result<(), Failure> {
    // `None` means: the buyer's language, decided per thread.
    let reply_lang =
        match args.reply_lang.as_deref() {
            Some(l) if l.trim().eq_ignore_ascii_case("buyer") => None,
            Some(l) => Some(ReplyLang::parse(l).ok_or_else(|| {
                Failure::input(tr(lang, "coach.bad_reply_lang", &[("value", &l)]))
            })?),
            None => Some(ReplyLang::from(lang)),
        };
    let catalogue = match &args.catalog {
        Some(path) => Some(load_catalogue(path, lang)?),
        None => crate::catalog_cmd::stored(db_url, lang)?,
    };
    let (name, bytes) = read_input(args.path.as_deref(), lang)?;
    let (kind, threads) = read_threads(&bytes, &name, seller_domains, lang)?;
    let many = matches!(kind, InputKind::Mbox | InputKind::JsonLines);
    for (i, thread) in threads.iter().enumerate() {
        let analysis = full_analysis(thread, lang);
        let text = tradescout_intake::buyer_text(thread);
        // Deadlines count from the day the buyer wrote.
        let today = tradescout_intake::counted_from(thread);
        let reply_lang =
            reply_lang.unwrap_or_else(|| ReplyLang::for_buyer(analysis.language.as_deref()));
        let input = CoachInput {
            analysis: &analysis,
            buyer_text: &text,
            catalogue: catalogue.as_ref(),
            today,
            lang,
            reply_lang: lang,
        };
        let coaching = coach_in(input, reply_lang);
        match args.format {
            JsonOrMd::Json if many => {
                println!("{}", serde_json::to_string(&coaching).unwrap_or_default())
            }
            JsonOrMd::Json => {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&coaching).unwrap_or_default()
                )
            }
            JsonOrMd::Md => {
                if i > 0 {
                    println!("\n---\n");
                }
                print!("{}", markdown(&coaching, lang));
            }
        }
    }
    Ok(())
}

/// Reads the catalogue, reporting skipped rows on stderr; an unreadable file is bad input.
fn load_catalogue(path: &Path, lang: Lang) -> Result<Catalogue, Failure> {
    let input = path.display().to_string();
    let catalogue = crate::catalog_cmd::read_file(path, lang)?;
    for bad in &catalogue.rejected {
        let column = bad.column.clone().unwrap_or_else(|| "—".into());
        let reason = crate::catalog_cmd::row_reason(lang, &bad.problem);
        eprintln!(
            "tradescout: {}",
            tr(
                lang,
                "coach.catalog_row",
                &[
                    ("input", &input),
                    ("row", &bad.row),
                    ("column", &column),
                    ("reason", &reason),
                ],
            )
        );
    }
    Ok(catalogue)
}

/// The seller's view: stage, flags, questions, actions, matches, then the proposal.
fn markdown(c: &Coaching, lang: Lang) -> String {
    let mut md = String::new();
    if c.spam.is_spam {
        // The warning first; a scam gets no stage, matches or proposal.
        let _ = writeln!(md, "**⚠ {}**\n", tr(lang, "report.spam", &[]));
        for r in &c.spam.reasons {
            let _ = writeln!(md, "- {r}");
        }
        md.push('\n');
    } else {
        let _ = writeln!(
            md,
            "{}\n",
            tr(
                lang,
                "coach.md.stage",
                &[
                    ("stage", &c.stage.label),
                    ("confidence", &format!("{:.2}", c.stage.confidence)),
                ],
            )
        );
    }
    if !c.flags.is_empty() {
        let _ = writeln!(md, "{}\n", tr(lang, "coach.md.flags", &[]));
        for f in &c.flags {
            let _ = writeln!(md, "- **{}**: {}", f.kind, f.text);
        }
        md.push('\n');
    }
    if !c.questions.is_empty() {
        let _ = writeln!(md, "{}\n", tr(lang, "coach.md.questions", &[]));
        for q in &c.questions {
            let _ = writeln!(md, "- *{}* {} — {}", q.kind, q.text, q.why);
        }
        md.push('\n');
    }
    if !c.next_actions.is_empty() {
        let _ = writeln!(md, "{}\n", tr(lang, "coach.md.actions", &[]));
        for a in &c.next_actions {
            let _ = writeln!(md, "- {} — {}", a.text, a.why);
        }
        md.push('\n');
    }
    if !c.matches.is_empty() {
        let _ = writeln!(md, "{}\n", tr(lang, "coach.md.matches", &[]));
        for m in &c.matches {
            let _ = writeln!(md, "- **{}** {} ({:.2})", m.sku, m.name, m.score);
            for s in m
                .fits
                .iter()
                .map(|s| ("+", s))
                .chain(m.gaps.iter().map(|s| ("−", s)))
                .chain(m.over_spec.iter().map(|s| ("!", s)))
            {
                let _ = writeln!(md, "  - {} {}", s.0, s.1);
            }
        }
        md.push('\n');
    }
    if !c.proposal.is_empty() {
        md.push_str("---\n\n");
        md.push_str(&c.proposal);
    }
    md
}
