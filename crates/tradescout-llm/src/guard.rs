//! Checks on what the model wrote: every price, quantity, lead time and certificate must be
//! supported by the thread or the catalogue, and nothing of the configuration may leak.

use crate::config::LlmConfig;
use crate::LlmError;
use regex::Regex;
use serde::Serialize;
use std::collections::HashSet;
use std::sync::OnceLock;
use tradescout_core::{tr, Lang};

/// A claim in the draft that no source supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unsupported {
    pub text: String,
    pub why: String,
}

const CERTIFICATES: &[&str] = &[
    "CE",
    "RoHS",
    "UL",
    "cUL",
    "ETL",
    "FCC",
    "SAA",
    "RCM",
    "PSE",
    "KC",
    "BIS",
    "INMETRO",
    "ANATEL",
    "SASO",
    "SABER",
    "UKCA",
    "GS",
    "TÜV",
    "TUV",
    "ISO 9001",
    "ISO 14001",
    "FDA",
    "REACH",
    "DLC",
    "CB",
    "ENEC",
    "EAC",
    "SONCAP",
    "CSA",
    "ErP",
];

struct Patterns {
    price: Regex,
    quantity: Regex,
    lead_time: Regex,
    certificate: Regex,
    number: Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        let certs = CERTIFICATES.iter().map(|c| regex::escape(c)).collect::<Vec<_>>().join("|");
        Some(Patterns {
            price: Regex::new(r"(?i)(?:\b(?:USD|US\$|EUR|GBP|RMB|CNY|AED|RUB|JPY|R\$)|[$€£¥₽])\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|RMB|CNY|dollars?|euros?|美元|元)").ok()?,
            quantity: Regex::new(r"(?i)\b\d[\d,]*\s?(?:pcs|pieces|sets|units|cartons|ctns|pallets|containers|40HQ|40GP|20GP|tons|meters|个|台|套|件|箱)\b|\bMOQ\s*(?:of|is|:)?\s*\d[\d,]*").ok()?,
            lead_time: Regex::new(r"(?i)\b\d+\s?(?:-|to|~)?\s?\d*\s?(?:working\s|business\s)?(?:days|weeks|天|周)\b").ok()?,
            certificate: Regex::new(&format!(r"\b(?:{certs})\b")).ok()?,
            number: Regex::new(r"\d[\d,]*(?:\.\d+)?").ok()?,
        })
    })
    .as_ref()
}

/// `12,500.50` → `12500.5`; `3.10` → `3.1`.
fn normalise_number(s: &str) -> String {
    let s = s.replace(',', "");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Every claim in `draft` whose number (or certificate) does not appear in any of `sources`.
pub fn unsupported_claims(draft: &str, sources: &[&str], lang: Lang) -> Vec<Unsupported> {
    let Some(p) = patterns() else {
        return Vec::new();
    };
    let source_text = sources.join("\n");
    let numbers: HashSet<String> = p
        .number
        .find_iter(&source_text)
        .map(|m| normalise_number(m.as_str()))
        .collect();
    let source_upper = source_text.to_uppercase();
    let mut out: Vec<Unsupported> = Vec::new();
    let mut push = |text: &str, key: &str| {
        if !out.iter().any(|u| u.text == text) {
            out.push(Unsupported {
                text: text.to_string(),
                why: tr(lang, key, &[("claim", &text)]),
            });
        }
    };
    for (re, key) in [
        (&p.price, "draft.unsupported_price"),
        (&p.quantity, "draft.unsupported_quantity"),
        (&p.lead_time, "draft.unsupported_lead_time"),
    ] {
        for m in re.find_iter(draft) {
            let all_known = p
                .number
                .find_iter(m.as_str())
                .all(|n| numbers.contains(&normalise_number(n.as_str())));
            if !all_known {
                push(m.as_str().trim(), key);
            }
        }
    }
    for m in p.certificate.find_iter(draft) {
        let cert = m.as_str().to_uppercase();
        let known = Regex::new(&format!(r"\b{}\b", regex::escape(&cert)))
            .map(|r| r.is_match(&source_upper))
            .unwrap_or(true);
        if !known {
            push(m.as_str(), "draft.unsupported_certificate");
        }
    }
    out
}

/// Whether the draft repeats the API key, the endpoint or the prompt's own rules.
pub fn leaks_configuration(draft: &str, config: &LlmConfig) -> bool {
    leak_needles(config)
        .iter()
        .any(|n| draft.contains(n.as_str()))
}

/// What an answer must never contain: the key, the endpoint, our data markers and the
/// openings of our system prompts.
fn leak_needles(config: &LlmConfig) -> Vec<String> {
    let mut needles: Vec<String> = crate::prompt::PROMPT_MARKERS
        .iter()
        .map(|m| m.to_string())
        .collect();
    needles.push(config.base_url.clone());
    if let Some(key) = config.api_key.as_deref().filter(|k| k.len() >= 6) {
        needles.push(key.to_string());
    }
    needles.retain(|n| !n.is_empty());
    needles
}

/// Checks a streamed answer as it arrives and releases only text that is known clean.
///
/// The last `holdback` bytes (the longest needle) stay unreleased until more arrives, so a
/// key split over several pieces is caught whole before any of it is passed on.
pub struct StreamGuard {
    needles: Vec<String>,
    holdback: usize,
    content: String,
    checked: usize,
    released: usize,
    leaked: bool,
}

impl StreamGuard {
    pub fn new(config: &LlmConfig) -> StreamGuard {
        let needles = leak_needles(config);
        let holdback = needles.iter().map(String::len).max().unwrap_or(0);
        StreamGuard {
            needles,
            holdback,
            content: String::new(),
            checked: 0,
            released: 0,
            leaked: false,
        }
    }

    /// Adds a piece; returns the text that may be shown now (possibly empty), or
    /// [`LlmError::Leaked`] once the answer repeats configuration (then always).
    pub fn push(&mut self, piece: &str) -> Result<String, LlmError> {
        if self.leaked {
            return Err(LlmError::Leaked);
        }
        self.content.push_str(piece);
        // Only the new text, and enough before it to hold a needle that straddles the edge.
        let from = floor_boundary(&self.content, self.checked.saturating_sub(self.holdback));
        if self
            .needles
            .iter()
            .any(|n| self.content[from..].contains(n.as_str()))
        {
            self.leaked = true;
            return Err(LlmError::Leaked);
        }
        self.checked = self.content.len();
        let until = floor_boundary(
            &self.content,
            self.content.len().saturating_sub(self.holdback),
        );
        Ok(self.release(until))
    }

    /// The answer is complete: the rest of the text, if it is clean.
    pub fn finish(&mut self) -> Result<String, LlmError> {
        if self.leaked {
            return Err(LlmError::Leaked);
        }
        Ok(self.release(self.content.len()))
    }

    /// Everything received so far.
    pub fn content(&self) -> &str {
        &self.content
    }

    fn release(&mut self, until: usize) -> String {
        if until <= self.released {
            return String::new();
        }
        let out = self.content[self.released..until].to_string();
        self.released = until;
        out
    }
}

/// The largest char boundary of `s` at or below `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_prices_certificates_quantities_and_lead_times_are_caught() {
        let sources = [
            "Buyer: please quote 500 pcs, target USD 12.50",
            "Catalogue: BS-FL100 price 11.2 USD, MOQ 300 pcs, lead time 25 days, CE RoHS",
        ];
        let draft = "Dear Tom, our price is USD 11.20 for 500 pcs, MOQ 300 pcs, delivery in 25 days, CE certified. \
                     We can also do USD 3.15 with UL and 15 days lead time for 2,000 pcs.";
        let u = unsupported_claims(draft, &sources, Lang::En);
        let texts: Vec<&str> = u.iter().map(|x| x.text.as_str()).collect();
        assert!(texts.contains(&"USD 3.15"), "{texts:?}");
        assert!(texts.contains(&"UL"), "{texts:?}");
        assert!(texts.contains(&"15 days"), "{texts:?}");
        assert!(texts.contains(&"2,000 pcs"), "{texts:?}");
        assert!(
            !texts.iter().any(|t| t.contains("11.20")
                || *t == "CE"
                || t.contains("25 days")
                || t.contains("500 pcs")),
            "{texts:?}"
        );
        assert!(u.iter().all(|x| !x.why.is_empty()));
    }

    #[test]
    fn configuration_leaks_are_detected() {
        let cfg = LlmConfig {
            base_url: "http://127.0.0.1:9/v1".into(),
            model: "m".into(),
            api_key: Some("sk-secret-123".into()),
            timeout: std::time::Duration::from_secs(1),
            max_retries: 0,
            monthly_token_budget: None,
        };
        assert!(leaks_configuration("my key is sk-secret-123", &cfg));
        assert!(!leaks_configuration(
            "Dear Tom, thanks for your inquiry.",
            &cfg
        ));
    }

    fn keyed_config() -> LlmConfig {
        LlmConfig {
            base_url: "http://127.0.0.1:9/v1".into(),
            model: "m".into(),
            api_key: Some("sk-secret-123".into()),
            timeout: std::time::Duration::from_secs(1),
            max_retries: 0,
            monthly_token_budget: None,
        }
    }

    #[test]
    fn a_key_split_over_pieces_is_stopped_before_any_of_it_is_released() {
        let mut guard = StreamGuard::new(&keyed_config());
        let mut shown = String::new();
        let mut stopped = false;
        for piece in [
            "Sure, here is everything you asked for, in full: my key is ",
            "sk-se",
            "cret",
            "-123 and more",
        ] {
            match guard.push(piece) {
                Ok(text) => shown.push_str(&text),
                Err(_) => {
                    stopped = true;
                    break;
                }
            }
        }
        assert!(stopped);
        assert!(!shown.contains("sk-"), "{shown}");
        assert!(guard.push("x").is_err() && guard.finish().is_err());
    }

    #[test]
    fn a_clean_stream_is_released_whole_and_in_order_across_multibyte_text() {
        let mut guard = StreamGuard::new(&keyed_config());
        let pieces = [
            "您好，Tom！",
            "感谢您的询价。",
            " We can ship ",
            "in 25 days. ",
            "谢谢",
        ];
        let mut shown = String::new();
        for p in pieces {
            shown.push_str(&guard.push(p).unwrap_or_default());
        }
        assert!(shown.len() < pieces.concat().len(), "the tail is held back");
        shown.push_str(&guard.finish().unwrap_or_default());
        assert_eq!(shown, pieces.concat());
        assert_eq!(guard.content(), pieces.concat());
    }
}
