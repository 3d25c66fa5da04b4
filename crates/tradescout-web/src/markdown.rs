//! The coach's proposal as HTML. The proposal is Markdown that tradescout itself writes, in a
//! small subset — `#`/`##`/`###` headings, `- ` items, `|` tables with a `|---|` rule, plain
//! paragraphs — so it is rendered here from that subset: every piece of text is escaped first,
//! nothing the buyer wrote can become markup, and no Markdown marker reaches the page.

use crate::error::escape;

/// `markdown` as HTML (escaped text in headings, lists, tables and paragraphs).
pub fn proposal_html(markdown: &str) -> String {
    let mut out = String::new();
    let mut list = false;
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let flush_para = |out: &mut String, para: &mut Vec<String>| {
        if !para.is_empty() {
            out.push_str("<p>");
            out.push_str(&para.join(" "));
            out.push_str("</p>\n");
            para.clear();
        }
    };
    let flush_table = |out: &mut String, table: &mut Vec<Vec<String>>| {
        if table.is_empty() {
            return;
        }
        out.push_str("<table class=\"list\">");
        for (i, row) in table.iter().enumerate() {
            let cell = if i == 0 { "th" } else { "td" };
            out.push_str("<tr>");
            for c in row {
                out.push_str(&format!("<{cell}>{c}</{cell}>"));
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>\n");
        table.clear();
    };
    for raw in markdown.lines() {
        let line = raw.trim();
        let is_item = line.starts_with("- ");
        let is_row = line.starts_with('|') && line.ends_with('|') && line.len() > 1;
        if !is_item && list {
            out.push_str("</ul>\n");
            list = false;
        }
        if !is_row {
            flush_table(&mut out, &mut table);
        }
        if line.is_empty() {
            flush_para(&mut out, &mut para);
            continue;
        }
        if let Some((level, text)) = heading(line) {
            flush_para(&mut out, &mut para);
            // The page's own card title is h2: proposal headings sit below it.
            let h = (level + 2).min(6);
            out.push_str(&format!("<h{h}>{}</h{h}>\n", inline(text)));
        } else if is_item {
            flush_para(&mut out, &mut para);
            if !list {
                out.push_str("<ul>\n");
                list = true;
            }
            out.push_str(&format!("<li>{}</li>\n", inline(&line[2..])));
        } else if is_row {
            flush_para(&mut out, &mut para);
            let cells: Vec<&str> = line[1..line.len() - 1].split('|').map(str::trim).collect();
            let rule = cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')));
            if !rule {
                table.push(cells.iter().map(|c| inline(c)).collect());
            }
        } else {
            para.push(inline(line));
        }
    }
    if list {
        out.push_str("</ul>\n");
    }
    flush_table(&mut out, &mut table);
    flush_para(&mut out, &mut para);
    out
}

/// `markdown` as plain text to paste into an e-mail: headings as lines, table rows as cells
/// joined by " — ", the table rule and bold markers dropped.
pub fn proposal_text(markdown: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for raw in markdown.lines() {
        let line = raw.trim();
        if let Some((_, text)) = heading(line) {
            out.push(text.replace("**", ""));
        } else if line.starts_with('|') && line.ends_with('|') && line.len() > 1 {
            let cells: Vec<&str> = line[1..line.len() - 1].split('|').map(str::trim).collect();
            if cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
            {
                continue;
            }
            out.push(cells.join(" — ").replace("**", ""));
        } else {
            out.push(line.replace("**", ""));
        }
    }
    out.join("\n").trim().to_string()
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    if (1..=3).contains(&level) && line[level..].starts_with(' ') {
        Some((level, line[level..].trim()))
    } else {
        None
    }
}

/// Escaped text with `**bold**` as `<strong>`.
fn inline(text: &str) -> String {
    let escaped = escape(text);
    let mut out = String::new();
    let mut open = false;
    let mut rest = escaped.as_str();
    while let Some(i) = rest.find("**") {
        out.push_str(&rest[..i]);
        out.push_str(if open { "</strong>" } else { "<strong>" });
        open = !open;
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    if open {
        out.push_str("</strong>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proposals_subset_becomes_html_and_no_marker_is_left() {
        let md = "# Proposal: LED flood light\n\n## What you need\n\nFor the garden, **IP65** is right.\n\n| SKU | Product |\n|---|---|\n| FL100-65 | LED <b>flood</b> |\n\n- 500 × FL100-65\n- Samples";
        let html = proposal_html(md);
        for marker in ["# ", "##", "|---", "**"] {
            assert!(!html.contains(marker), "{marker} in {html}");
        }
        assert!(
            html.contains("<h3>Proposal: LED flood light</h3>"),
            "{html}"
        );
        assert!(html.contains("<strong>IP65</strong>"));
        assert!(html.contains("<th>SKU</th>") && html.contains("<td>FL100-65</td>"));
        assert!(
            html.contains("&lt;b&gt;flood&lt;/b&gt;"),
            "text stays text: {html}"
        );
        assert!(html.contains("<li>500 × FL100-65</li>"));
        let text = proposal_text(md);
        for marker in ["# ", "##", "|---", "**", "| "] {
            assert!(!text.contains(marker), "{marker} in {text}");
        }
        assert!(text.contains("FL100-65 — LED <b>flood</b>"), "{text}");
    }
}
