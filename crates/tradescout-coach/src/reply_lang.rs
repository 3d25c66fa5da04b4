//! The languages coach text can be written in: the two of the user interface (zh-CN, en)
//! and, for the buyer-facing proposal, buyer languages with templates of their own (es).
//! Spanish templates live in `data/proposal_es.toml`; a key they lack falls back to English.

use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;
use tradescout_core::{tr, Lang};

const SPANISH: &str = include_str!("../data/proposal_es.toml");

/// A language for coach text: the proposal's (`--reply-lang`), or the seller's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplyLang {
    /// Simplified Chinese.
    ZhCn,
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl ReplyLang {
    /// Every language a proposal can be written in.
    pub const ALL: &'static [ReplyLang] = &[ReplyLang::ZhCn, ReplyLang::En, ReplyLang::Es];

    /// Reads a language tag: `zh-CN`, `zh`, `en`, `en-GB`, `es`, `es-MX`, `es_ES`…
    pub fn parse(tag: &str) -> Option<ReplyLang> {
        let t = tag.trim().to_ascii_lowercase().replace('_', "-");
        let primary = t.split('-').next().unwrap_or("");
        match primary {
            "zh" | "cn" => Some(ReplyLang::ZhCn),
            "en" => Some(ReplyLang::En),
            "es" => Some(ReplyLang::Es),
            _ => None,
        }
    }

    /// The proposal language for a buyer writing in `language` (ISO 639-1, as the analysis
    /// reports it): theirs where a template exists, English otherwise.
    pub fn for_buyer(language: Option<&str>) -> ReplyLang {
        language.and_then(ReplyLang::parse).unwrap_or(ReplyLang::En)
    }

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            ReplyLang::ZhCn => "zh-CN",
            ReplyLang::En => "en",
            ReplyLang::Es => "es",
        }
    }
}

impl From<Lang> for ReplyLang {
    fn from(lang: Lang) -> ReplyLang {
        match lang {
            Lang::ZhCn => ReplyLang::ZhCn,
            Lang::En => ReplyLang::En,
        }
    }
}

impl fmt::Display for ReplyLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// The message `key` in `lang` with `{name}` placeholders filled: the shared catalogue for
/// zh-CN and en, the Spanish templates for es (English where they lack the key).
pub fn say(lang: ReplyLang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    match lang {
        ReplyLang::ZhCn => tr(Lang::ZhCn, key, args),
        ReplyLang::En => tr(Lang::En, key, args),
        ReplyLang::Es => match spanish().get(key) {
            Some(template) => {
                let mut out = template.clone();
                for (name, value) in args {
                    out = out.replace(&format!("{{{name}}}"), &value.to_string());
                }
                out
            }
            None => tr(Lang::En, key, args),
        },
    }
}

#[derive(Deserialize)]
struct Entry {
    es: String,
}

/// Key → Spanish template (empty if the data file were broken; a test guards that).
fn spanish() -> &'static HashMap<String, String> {
    static ES: OnceLock<HashMap<String, String>> = OnceLock::new();
    ES.get_or_init(|| {
        toml::from_str::<HashMap<String, Entry>>(SPANISH)
            .map(|m| m.into_iter().map(|(k, e)| (k, e.es)).collect())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_buyer_languages_pick_a_template_or_english() {
        assert_eq!(ReplyLang::parse("es-MX"), Some(ReplyLang::Es));
        assert_eq!(ReplyLang::parse("zh_CN"), Some(ReplyLang::ZhCn));
        assert_eq!(ReplyLang::parse("fr"), None);
        assert_eq!(ReplyLang::for_buyer(Some("es")), ReplyLang::Es);
        assert_eq!(ReplyLang::for_buyer(Some("de")), ReplyLang::En);
        assert_eq!(ReplyLang::for_buyer(None), ReplyLang::En);
    }

    #[test]
    fn spanish_templates_parse_and_cover_every_proposal_and_fit_message() {
        let parsed = toml::from_str::<HashMap<String, Entry>>(SPANISH);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
        let shipped = tradescout_core::Messages::shipped();
        let needed: Vec<&str> = shipped
            .keys()
            .filter(|k| k.starts_with("coach.proposal.") || k.starts_with("coach.fit."))
            .collect();
        assert!(needed.len() > 20, "{needed:?}");
        for key in needed {
            let es = spanish().get(key);
            assert!(
                es.is_some_and(|t| !t.trim().is_empty()),
                "{key} has no Spanish"
            );
            // Same placeholders as the English text, so no figure is dropped.
            let holes = |t: &str| {
                let mut v: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|s| s.split('}').next().map(str::to_string))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(
                holes(es.map(String::as_str).unwrap_or_default()),
                holes(shipped.get(Lang::En, key)),
                "{key}"
            );
        }
        let text = say(
            ReplyLang::Es,
            "coach.fit.moq",
            &[("moq", &100), ("qty", &500)],
        );
        assert!(text.contains("100") && text.contains("500"), "{text}");
    }
}
