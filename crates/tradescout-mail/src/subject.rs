//! Subject normalisation for threading: reply and forward prefixes in many languages removed.

use regex::Regex;
use std::sync::OnceLock;

/// Prefixes that mail clients put before a subject when replying or forwarding.
const PREFIXES: &[&str] = &[
    "re",
    "fw",
    "fwd",
    "aw",
    "wg",
    "rv",
    "enc",
    "sv",
    "vs",
    "vl",
    "antw",
    "doorst",
    "tr",
    "ref",
    "r",
    "odp",
    "pd",
    "res",
    "ynt",
    "ilt",
    "bls",
    "yan",
    "fs",
    "отв",
    "ответ",
    "пересл",
    "на",
    "השב",
    "رد",
    "إعادة توجيه",
    "回复",
    "回覆",
    "答复",
    "答覆",
    "转发",
    "轉寄",
    "转寄",
    "轉發",
];

/// The subject with every leading reply/forward prefix, list tag (`[list]`) and counter
/// (`Re[2]:`, `RE(3)：`) removed, whitespace collapsed and case folded.
pub fn normalise_subject(subject: &str) -> String {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let alts = PREFIXES
            .iter()
            .map(|p| regex::escape(p))
            .collect::<Vec<_>>()
            .join("|");
        Regex::new(&format!(
            r"(?i)^\s*(?:(?:{alts})\s*(?:\[\d+\]|\(\d+\))?\s*[:：]|\[[^\]]{{0,40}}\]|【[^】]{{0,40}}】)\s*"
        ))
        .ok()
    });
    let mut s = subject.trim().to_string();
    if let Some(re) = re {
        loop {
            let next = re.replace(&s, "").into_owned();
            if next == s {
                break;
            }
            s = next;
        }
    }
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::normalise_subject;

    #[test]
    fn reply_and_forward_prefixes_are_removed_in_many_languages() {
        for s in [
            "Re: LED flood light 100W",
            "RE: RE: LED flood light 100W",
            "Fwd: LED flood light 100W",
            "FW: Re: LED flood light 100W",
            "回复: LED flood light 100W",
            "回复：LED flood light 100W",
            "答复: 转发: LED flood light 100W",
            "AW: WG: LED flood light 100W",
            "RV: ENC: LED flood light 100W",
            "SV: LED flood light 100W",
            "Ответ: LED flood light 100W",
            "Re[2]: LED flood light 100W",
            "[Alibaba] Re: LED flood light 100W",
            "  re :  LED   flood light 100W ",
        ] {
            assert_eq!(normalise_subject(s), "led flood light 100w", "{s}");
        }
    }

    #[test]
    fn words_that_merely_start_like_prefixes_are_kept() {
        assert_eq!(
            normalise_subject("Request for quotation"),
            "request for quotation"
        );
        assert_eq!(
            normalise_subject("Reorder: solar lights"),
            "reorder: solar lights"
        );
    }
}
