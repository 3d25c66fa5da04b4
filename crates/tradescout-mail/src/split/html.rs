//! HTML replies split on their structure: the quoted part of an HTML message is an element the
//! sender's mail client marked (Gmail's `gmail_quote`, Outlook's `divRplyFwdMsg` and its
//! `border-top` separator, Apple Mail's `blockquote type=cite`, Thunderbird's
//! `moz-cite-prefix`, Yahoo's `yahoo_quoted`, QQ Mail and Foxmail's `原始邮件` block…). The
//! text before the first such element is the new part, written out with its line breaks,
//! list items and table cells kept apart; the plain-text rules then find its signature.
//!
//! A `blockquote` that no client marked is the earlier message quoted and is left out, with
//! what follows it kept (answers below a quote, a disclaimer); one the writer introduces ("Our
//! spec:") is kept. A message forwarded with nothing written above it is the message.

use super::patterns::HeaderField;
use scraper::{ElementRef, Html, Node};

/// Characters of HTML read at most; a bigger body is cut there (mail bodies are far smaller).
const MAX_HTML: usize = 4 * 1024 * 1024;

/// The text of an HTML body up to the first quote marker of a known mail client.
pub fn html_new_text(html: &str) -> String {
    let mut end = html.len().min(MAX_HTML);
    while end > 0 && !html.is_char_boundary(end) {
        end -= 1;
    }
    let doc = Html::parse_document(&html[..end]);
    let mut out = String::new();
    walk(doc.root_element(), &mut out, &mut 0);
    tidy(&out)
}

/// Whether `el` starts the quoted history.
fn is_quote_marker(el: &ElementRef<'_>) -> bool {
    let e = el.value();
    let name = e.name();
    let class = e.attr("class").unwrap_or("").to_ascii_lowercase();
    let id = e.attr("id").unwrap_or("").to_ascii_lowercase();
    let has_class = |c: &str| class.split_whitespace().any(|x| x == c);
    // Gmail's quote is a `div.gmail_quote` holding the attribution; a bare
    // `blockquote.gmail_quote` with no attribution before it is text the writer quotes.
    if (has_class("gmail_quote") && name != "blockquote")
        || has_class("gmail_attr")
        || has_class("moz-cite-prefix")
        || has_class("yahoo_quoted")
        || has_class("outlookmessageheader")
        || has_class("protonmail_quote")
        || has_class("zmail_extra")
        || has_class("ntes-mailmaster-quote")
        || id == "divrplyfwdmsg"
        || id == "appendonsend"
        || id == "mail-editor-reference-message-container"
        || id.starts_with("reply-content")
        || id == "isforwardcontent"
        || id == "isreplycontent"
        || id == "origbody"
        || id == "qm_con_body"
        || id == "zwchr"
    {
        return true;
    }
    if name == "blockquote" {
        let t = e.attr("type").unwrap_or("").to_ascii_lowercase();
        return t == "cite";
    }
    if name == "hr" && id == "stopspelling" {
        return true;
    }
    if name == "div" || name == "p" {
        // Outlook's separator: a div whose top border opens the quoted header block.
        let style = e
            .attr("style")
            .unwrap_or("")
            .to_ascii_lowercase()
            .replace(' ', "");
        if style.contains("border-top:solid#e1e1e1") || style.contains("border-top:solid#b5c4df") {
            return true;
        }
        // QQ Mail, Foxmail, NetEase and Alibaba Mail: a short block saying "original message".
        let text: String = el.text().collect::<String>();
        let t = text.trim();
        if t.chars().count() <= 60
            && (t.contains("原始邮件") || t.contains("原始郵件") || t.contains("Original Message"))
            && t.contains("---")
        {
            return true;
        }
    }
    false
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "tr"
            | "table"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
    )
}

/// Writes the text of `el` to `out`; returns `true` once a quote marker was met (then
/// nothing more is written, anywhere).
fn walk(el: ElementRef<'_>, out: &mut String, depth: &mut usize) -> bool {
    *depth += 1;
    if *depth > 400 {
        *depth -= 1;
        return false;
    }
    let stop = walk_children(el, out, depth);
    *depth -= 1;
    stop
}

fn walk_children(el: ElementRef<'_>, out: &mut String, depth: &mut usize) -> bool {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(&t.replace(['\r', '\n'], " ")),
            Node::Element(e) => {
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                let name = e.name();
                if matches!(name, "script" | "style" | "head" | "title" | "meta") {
                    continue;
                }
                if is_quote_marker(&child_el) || (name == "hr" && opens_header_block(&child_el)) {
                    // A message forwarded with nothing written above it is the message.
                    if !(out.trim().is_empty() && is_forwarded(&child_el)) {
                        return true;
                    }
                } else if name == "blockquote"
                    && e.attr("class").is_none()
                    && !introduced(out)
                    && !blockquote_follows(&child_el)
                {
                    // The last plain blockquote, not introduced by the writer ("Our
                    // spec:"), is the earlier message quoted: left out, and what follows it
                    // (an answer below the quote, a disclaimer) is still the writer's.
                    line_break(out);
                    continue;
                }
                if name == "br" {
                    out.push('\n');
                    continue;
                }
                if name == "td" || name == "th" {
                    out.push('\t');
                }
                let block = is_block(name);
                if block {
                    line_break(out);
                }
                if name == "li" {
                    out.push_str("- ");
                }
                if walk(child_el, out, depth) {
                    return true;
                }
                if block {
                    line_break(out);
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether the writer introduced what follows: the text so far ends with a colon ("Our
/// spec:", "您要求的规格：").
fn introduced(out: &str) -> bool {
    let text = out.trim_end();
    if !text.ends_with([':', '：']) {
        return false;
    }
    // An attribution ("On 3 Mar 2025, Lily wrote:") introduces the history, not a quote of
    // the writer's own.
    let lines: Vec<&str> = text.lines().rev().take(3).collect::<Vec<_>>();
    let lines: Vec<&str> = lines.into_iter().rev().collect();
    !(0..lines.len()).any(|i| super::quote_header::header_at(&lines, i).is_some())
}

/// Whether another blockquote comes after `node` in the document (then `node` is a quote
/// the writer answers below, not the history). Looks at a bounded number of nodes; past the
/// bound it answers yes, which keeps the text.
fn blockquote_follows(el: &ElementRef<'_>) -> bool {
    const BUDGET: usize = 5_000;
    let mut seen = 0;
    let mut at = Some(**el);
    while let Some(n) = at {
        for sibling in n.next_siblings() {
            for d in sibling.descendants() {
                seen += 1;
                if seen > BUDGET {
                    return true;
                }
                if matches!(d.value(), Node::Element(e) if e.name() == "blockquote") {
                    return true;
                }
            }
        }
        at = n.parent();
    }
    false
}

/// Whether a quote block holds a forwarded message ("---------- Forwarded message ---------",
/// "Begin forwarded message:", "转发邮件"), read from its first text.
fn is_forwarded(el: &ElementRef<'_>) -> bool {
    let first: String = el
        .text()
        .filter(|t| !t.trim().is_empty())
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    let t = first
        .trim_start()
        .trim_start_matches(['-', ' '])
        .to_lowercase();
    t.starts_with("forwarded message")
        || t.starts_with("begin forwarded message")
        || t.starts_with("转发邮件")
        || t.starts_with("轉寄郵件")
        || t.starts_with("mensaje reenviado")
        || t.starts_with("message transféré")
        || t.starts_with("weitergeleitete nachricht")
}

/// Whether the text right after a rule opens the header block of a quoted message: at least
/// two different "Key: value" fields (From, Date, To, Subject… in any language the splitter
/// knows), one of them From or Date, among its first text pieces. One field alone ("Date:" in
/// an order form) is not enough. Reads a bounded amount: a few siblings, a few pieces.
fn opens_header_block(hr: &ElementRef<'_>) -> bool {
    const MAX_SIBLINGS: usize = 4;
    const MAX_PIECES: usize = 12;
    let mut pieces = 0;
    let mut fields: Vec<HeaderField> = Vec::new();
    let mut field_of = |t: &str| {
        if let Some((field, _)) = super::quote_header::key_line(t) {
            if !fields.contains(&field) {
                fields.push(field);
            }
        }
    };
    for sibling in hr.next_siblings().take(MAX_SIBLINGS) {
        match sibling.value() {
            Node::Text(t) if !t.trim().is_empty() => {
                field_of(t);
                pieces += 1;
            }
            Node::Element(_) => {
                if let Some(el) = ElementRef::wrap(sibling) {
                    for t in el.text().filter(|t| !t.trim().is_empty()).take(MAX_PIECES) {
                        field_of(t);
                        pieces += 1;
                        if pieces >= MAX_PIECES {
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
        if pieces >= MAX_PIECES {
            break;
        }
    }
    fields.len() >= 2
        && fields
            .iter()
            .any(|f| matches!(f, HeaderField::From | HeaderField::Date))
}

/// Ends the current line, unless the text already stands at the start of one.
fn line_break(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Lines trimmed, runs of blank lines folded to one, no-break spaces made plain.
fn tidy(s: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in s.replace('\u{a0}', " ").lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_opening_a_header_block_is_a_quote_and_other_rules_are_not() {
        let quoted = "Reply<div><hr/><div><font><b>From: bob@example.com</b> <b>Date: Thu, 24 Mar 2016 08:07:12 -0700</b></font></div><div>Quoted message</div></div>";
        assert_eq!(html_new_text(quoted), "Reply");
        let chinese =
            "好的，下周发货。<hr><p>发件人：Lily</p><p>发送时间：2025年3月4日</p><p>旧邮件</p>";
        assert_eq!(html_new_text(chinese), "好的，下周发货。");
        let plain = "<p>Section one</p><hr><p>Section two: the price list</p>";
        assert_eq!(
            html_new_text(plain),
            "Section one\nSection two: the price list"
        );
        // One field under a rule is part of the message (an order form's date).
        let form = "<p>Order 2291</p><hr><p>Date: 4 March 2025</p><p>500 pcs flood light</p>";
        assert_eq!(
            html_new_text(form),
            "Order 2291\nDate: 4 March 2025\n500 pcs flood light"
        );
        // Many rules: each looks at a few siblings only.
        let rules = "<hr>".repeat(50_000);
        assert_eq!(html_new_text(&format!("<p>Hi</p>{rules}")), "Hi");
    }

    #[test]
    fn each_clients_quote_is_cut_and_the_new_text_kept_with_its_lines() {
        let cases = [
            // Gmail
            (
                r#"<div dir="ltr">Yes, please ship on Friday.<div><br></div><div>Tom</div><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Mar 3, 2025 at 10:00 AM Lily &lt;lily@x.cn&gt; wrote:<br></div><blockquote class="gmail_quote">Goods are ready.</blockquote></div></div>"#,
                "Yes, please ship on Friday.\n\nTom",
            ),
            // Outlook desktop
            (
                r#"<html><body><div class="WordSection1"><p class="MsoNormal">Please confirm the PI.<o:p></o:p></p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p><b>From:</b> Lily</p></div></div><p>old text</p></div></body></html>"#,
                "Please confirm the PI.",
            ),
            // Outlook on the web
            (
                r#"<div>OK for 500 pcs.</div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> Lily</div><div>old</div>"#,
                "OK for 500 pcs.",
            ),
            // Apple Mail
            (
                r#"<html><body>Sample received, thanks.<br><div><br><blockquote type="cite"><div>On 3 Mar 2025, at 10:00, Lily wrote:</div><div>Sample sent.</div></blockquote></div></body></html>"#,
                "Sample received, thanks.",
            ),
            // Thunderbird
            (
                r#"<p>Deposit paid today.</p><div class="moz-cite-prefix">On 03/03/2025 10:00, Lily wrote:<br></div><blockquote type="cite">PI attached</blockquote>"#,
                "Deposit paid today.",
            ),
            // Yahoo
            (
                r#"<div class="ydp1"><div>Price too high.</div></div><div id="yahoo_quoted_123" class="yahoo_quoted"><div>On Monday, Lily wrote:</div></div>"#,
                "Price too high.",
            ),
            // QQ Mail / Foxmail
            (
                r#"<div>好的，我们下周付款。</div><div><br></div><div style="font-size:12px;padding:2px 0">------------------&nbsp;原始邮件&nbsp;------------------</div><div><b>发件人:</b> Lily</div><div>报价如下</div>"#,
                "好的，我们下周付款。",
            ),
        ];
        for (html, want) in cases {
            assert_eq!(html_new_text(html), want, "{html}");
        }
    }

    #[test]
    fn the_buyers_own_blockquote_lists_and_table_cells_stay_apart() {
        let html = r#"<div>Our spec:</div><blockquote>IP65, 100W</blockquote><ul><li>500 pcs</li><li>CIF Lagos</li></ul><table><tr><td>FL100</td><td>500</td></tr></table>"#;
        assert_eq!(
            html_new_text(html),
            "Our spec:\nIP65, 100W\n- 500 pcs\n- CIF Lagos\nFL100 500"
        );
    }

    #[test]
    fn an_unmarked_quote_is_left_out_and_what_follows_it_kept() {
        let html = r#"<div>We accept the price, please send the PI.</div><blockquote>Our best offer is USD 12.50 FOB Ningbo.</blockquote><div>Ahmed</div>"#;
        assert_eq!(
            html_new_text(html),
            "We accept the price, please send the PI.\nAhmed"
        );
        // A bare gmail_quote blockquote with no attribution before it is the writer's text.
        // A quote answered below, with the history after it, stays.
        let answered = r#"Price ok<blockquote>Lead time 30 days</blockquote>Fine too<div>On 3 Mar 2025, Lily wrote:</div><blockquote>old</blockquote>"#;
        assert_eq!(
            html_new_text(answered),
            "Price ok\nLead time 30 days\nFine too\nOn 3 Mar 2025, Lily wrote:"
        );
        let bare = r#"Please check<blockquote class="gmail_quote"><div>IP66, 5 years warranty</div></blockquote>"#;
        assert_eq!(html_new_text(bare), "Please check\nIP66, 5 years warranty");
    }

    #[test]
    fn a_forwarded_message_with_nothing_above_it_is_the_message() {
        let html = r#"<div dir="ltr"><br><div class="gmail_quote">---------- Forwarded message ---------<br>From: Carlos &lt;carlos@x.mx&gt;<br>Subject: RFQ<br><br><div dir="ltr">Need 300 street lights</div></div></div>"#;
        let text = html_new_text(html);
        assert!(text.starts_with("---------- Forwarded message"), "{text}");
        assert!(text.ends_with("Need 300 street lights"), "{text}");
        // With a line of its own above it, the forwarded part is the history.
        let with_note = html.replacen("<br>", "FYI, see below<br>", 1);
        assert_eq!(html_new_text(&with_note), "FYI, see below");
    }

    #[test]
    fn broken_and_deep_html_never_panics() {
        let deep = "<div>".repeat(5000) + "text";
        assert!(html_new_text(&deep).contains("text") || html_new_text(&deep).is_empty());
        assert_eq!(html_new_text("<<<>>>"), "<<<>>>");
        assert_eq!(html_new_text(""), "");
    }
}
