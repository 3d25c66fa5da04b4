//! `tradescout mail reply|signature|history`: the new text, the signature or the earlier
//! messages of one message or bare body.

use crate::failure::{mail_reason, Failure};
use crate::input::read_input;
use std::path::Path;
use tradescout_core::Lang;
use tradescout_mail::parse::{decode_bare_text, looks_like_message};
use tradescout_mail::split::{split_history, split_reply, split_reply_from, Reply};
use tradescout_mail::{parse_message, ParseLimits};

/// The body text of the input: the parsed message's text, or the bytes as a bare body.
pub fn body_of(path: Option<&Path>, lang: Lang) -> Result<String, Failure> {
    let (name, bytes) = read_input(path, lang)?;
    if looks_like_message(&bytes) {
        return parse_message(&bytes, &ParseLimits::default())
            .map(|m| m.text)
            .map_err(|e| Failure::input(format!("{name}: {}", mail_reason(lang, &e))));
    }
    Ok(decode_bare_text(&bytes))
}

/// The body to split for `mail reply` and `mail signature`: an HTML body (an `.html` file, or
/// a message whose only body is HTML) is cut on its structure first — at the quote its mail
/// client marked — and written out as text; plain text as it is.
/// Also the sender the message names in its From header, if it is a message.
fn reply_body_of(path: Option<&Path>, lang: Lang) -> Result<(String, Option<String>), Failure> {
    let (name, bytes) = read_input(path, lang)?;
    if looks_like_message(&bytes) {
        let limits = ParseLimits::default();
        let m = parse_message(&bytes, &limits)
            .map_err(|e| Failure::input(format!("{name}: {}", mail_reason(lang, &e))))?;
        let sender = m.from.as_ref().map(|a| a.display());
        if m.from_html {
            if let Some(html) = tradescout_mail::parse::html_body(&bytes, &limits) {
                return Ok((tradescout_mail::split::html_new_text(&html), sender));
            }
        }
        return Ok((m.text, sender));
    }
    let text = decode_bare_text(&bytes);
    let html_file = path
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if html_file || looks_like_html(&text) {
        return Ok((tradescout_mail::split::html_new_text(&text), None));
    }
    Ok((text, None))
}

/// The reply of `path`, read knowing its sender: `--from`, else the message's From header.
fn split_of(path: Option<&Path>, sender: Option<&str>, lang: Lang) -> Result<Reply, Failure> {
    let (body, from_header) = reply_body_of(path, lang)?;
    Ok(match sender.or(from_header.as_deref()) {
        Some(s) => split_reply_from(&body, s),
        None => split_reply(&body),
    })
}

/// Text that opens with an HTML tag and holds block tags, or that closes block tags
/// anywhere ("Reply<div class=\"gmail_quote\">…</div>": a pasted HTML body need not open with a
/// tag).
fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start();
    let lower: String = t
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    // Both an opening and a closing block tag: a stray "</p>" in plain text is not enough.
    let closes_blocks = ["</div>", "</blockquote>", "</p>", "</table>"]
        .iter()
        .any(|tag| lower.contains(tag))
        && ["<div", "<blockquote", "<p>", "<p ", "<table"]
            .iter()
            .any(|tag| lower.contains(tag));
    closes_blocks
        || t.starts_with('<')
            && [
                "<html",
                "<body",
                "<div",
                "<p>",
                "<p ",
                "<br",
                "<table",
                "<blockquote",
            ]
            .iter()
            .any(|tag| lower.contains(tag))
}

pub fn reply(
    path: Option<&Path>,
    no_signature: bool,
    sender: Option<&str>,
    lang: Lang,
) -> Result<(), Failure> {
    let reply = split_of(path, sender, lang)?;
    let text = if no_signature {
        reply.without_signature()
    } else {
        reply.text.trim()
    };
    if !text.is_empty() {
        println!("{text}");
    }
    Ok(())
}

pub fn signature(path: Option<&Path>, sender: Option<&str>, lang: Lang) -> Result<(), Failure> {
    if let Some(sig) = split_of(path, sender, lang)?.signature {
        let sig = sig.trim();
        if !sig.is_empty() {
            println!("{sig}");
        }
    }
    Ok(())
}

pub fn history(path: Option<&Path>, lang: Lang) -> Result<(), Failure> {
    let body = body_of(path, lang)?;
    let earlier = split_history(&body);
    println!(
        "{}",
        serde_json::to_string_pretty(&earlier).unwrap_or_default()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::looks_like_html;

    #[test]
    fn html_bodies_are_told_from_text_even_without_a_leading_tag() {
        assert!(looks_like_html("<div>Hi</div>"));
        assert!(looks_like_html(
            "Reply<div class=\"gmail_quote\">On Mon Bob wrote:<div>Test</div></div>"
        ));
        assert!(!looks_like_html("Price < 5 USD for 500 pcs, MOQ > 100"));
        assert!(!looks_like_html("Please quote <model LS-100>, 500 pcs."));
        assert!(!looks_like_html(
            "Thanks.\n</p> crept in from a web form\n\nBest regards,\nJohn"
        ));
    }
}
