//! Parts of a page about other companies — partners, dealers, clients, the web agency — whose
//! names, e-mails and phones must not be credited to the company (`data/third_party.toml`).

use ego_tree::NodeId;
use scraper::{ElementRef, Html};
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::OnceLock;

const WORDS: &str = include_str!("../data/third_party.toml");

/// A heading longer than this is a sentence, not a block's title.
const HEADING_MAX_CHARS: usize = 40;

#[derive(Deserialize, Default)]
pub(crate) struct Words {
    pub box_marks: Vec<String>,
    pub headings: Vec<String>,
    pub credits: Vec<String>,
    /// Mail domains of site builders, trackers and theme makers: their addresses on a page
    /// are no contact of the company.
    #[serde(default)]
    pub mail_domains: Vec<String>,
}

pub(crate) fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    // The shipped file is checked by a test; a broken one hides nothing.
    W.get_or_init(|| toml::from_str(WORDS).unwrap_or_default())
}

/// The containers of `doc` that speak of other companies: a class or id that says so
/// (`partner-logos`, `site-credit`) or a heading of their own that does ("Our partners",
/// "Unsere Händler", "合作伙伴").
pub(crate) fn boxes(doc: &Html) -> HashSet<NodeId> {
    let w = words();
    let mut out = HashSet::new();
    for node in doc.root_element().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let e = el.value();
        if !matches!(
            e.name(),
            "section" | "div" | "aside" | "ul" | "ol" | "li" | "article" | "table" | "p"
        ) {
            continue;
        }
        let marked = [e.id().unwrap_or(""), e.attr("class").unwrap_or("")]
            .iter()
            .any(|v| {
                let v = v.to_ascii_lowercase();
                w.box_marks.iter().any(|m| v.contains(m.as_str()))
            });
        if marked || own_heading_says_others(el, &w.headings) {
            out.insert(node.id());
        }
    }
    out
}

/// Whether `el` opens with a heading of its own that speaks of other companies. Only a
/// heading that is `el`'s first element child counts: a row whose first column is headed
/// "Partners" is not itself a partners block (its next column may be the company's contact).
fn own_heading_says_others(el: ElementRef, headings: &[String]) -> bool {
    el.children()
        .filter_map(ElementRef::wrap)
        .next()
        .filter(|h| matches!(h.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
        .is_some_and(|h| {
            let text: String = h.text().collect::<String>().trim().to_lowercase();
            text.chars().count() <= HEADING_MAX_CHARS
                && headings.iter().any(|w| {
                    text == *w
                        || text
                            .strip_prefix(w.as_str())
                            .is_some_and(|rest| rest.starts_with([' ', ':', '&', '/', '-']))
                })
        })
}

/// Where a web credit ("Powered by", "Diseño web:") starts in `text`, and whether it ends
/// the text (the agency's name is then the next text).
pub(crate) fn credit_at(text: &str, credits: &[String]) -> Option<(usize, bool)> {
    let lower_at = |i: usize| text[i..].to_lowercase();
    text.char_indices()
        .filter(|&(i, _)| {
            text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .find_map(|(i, _)| {
            let rest = lower_at(i);
            let credit = credits.iter().find(|c| {
                rest.strip_prefix(c.as_str()).is_some_and(|after| {
                    after
                        .chars()
                        .next()
                        .is_none_or(|ch| !ch.is_alphanumeric() || !c.is_ascii())
                })
            })?;
            let after = rest[credit.len()..].trim_matches(|c: char| {
                c.is_whitespace() || matches!(c, ':' | '-' | '–' | '|' | '：')
            });
            Some((i, after.is_empty()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_file_parses_whole() {
        let w: Words = toml::from_str(WORDS).unwrap_or_else(|e| panic!("{e}"));
        assert!(w.box_marks.len() > 10 && w.headings.len() > 40 && w.credits.len() > 30);
        for v in w.box_marks.iter().chain(&w.headings).chain(&w.credits) {
            assert_eq!(v, &v.to_lowercase(), "{v}");
        }
    }

    #[test]
    fn credits_are_found_where_they_start() {
        let c = &words().credits;
        assert_eq!(
            credit_at("© 2024 Acme GmbH | Powered by Shopify", c),
            Some((20, false))
        );
        assert_eq!(credit_at("Webdesign:", c), Some((0, true)));
        assert_eq!(credit_at("Diseño web -", c), Some((0, true)));
        assert_eq!(credit_at("网站建设：", c), Some((0, true)));
        assert_eq!(credit_at("Wir fertigen Leuchten seit 1987", c), None);
    }

    #[test]
    fn blocks_about_partners_and_marked_credits_are_found() {
        let doc = Html::parse_document(
            r#"<body><section><h2>Unsere Partner</h2><p>Licht GmbH, Tel. 040 123</p></section>
            <section><h2>Kontakt</h2><p>Tel. 040 999</p></section>
            <div class="row"><div class="col"><h4>Partners</h4><p>Licht AG</p></div>
            <div class="col"><h4>Contact</h4><p>Tel. 040 777</p></div></div>
            <div class="footer-site-credit">Agentur X</div></body>"#,
        );
        let found = boxes(&doc);
        let texts: Vec<String> = found
            .iter()
            .filter_map(|id| doc.tree.get(*id))
            .filter_map(ElementRef::wrap)
            .map(|e| e.text().collect::<String>())
            .collect();
        assert!(texts.iter().any(|t| t.contains("Licht GmbH")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("Agentur X")), "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("040 999")), "{texts:?}");
        // The row holding a partners column and the contact column is not itself hidden.
        assert!(!texts.iter().any(|t| t.contains("040 777")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("Licht AG")), "{texts:?}");
    }
}
