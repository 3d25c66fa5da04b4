//! The user-facing message catalogue: every message exists in `zh-CN` and `en`.
//!
//! Messages live in `data/messages.toml` so translators edit data, not code. Placeholders are
//! written `{name}` and filled by [`Messages::format`].

use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

const CATALOGUE: &str = include_str!("../data/messages.toml");

/// A user-interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Simplified Chinese.
    ZhCn,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// The BCP 47 tag used on the command line and in the config file.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks a language from a POSIX locale string such as `zh_CN.UTF-8` or `en_US`.
    /// Any Chinese locale gives `zh-CN`; everything else English.
    pub fn from_locale(locale: &str) -> Lang {
        let l = locale.trim().to_ascii_lowercase();
        if l.starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Lang {
    type Err = MessagesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "zh-cn" | "zh" | "zh-hans" | "cn" => Ok(Lang::ZhCn),
            "en" | "en-us" | "en-gb" => Ok(Lang::En),
            _ => Err(MessagesError::UnknownLang(s.to_string())),
        }
    }
}

/// Errors of the message catalogue.
#[derive(Debug, thiserror::Error)]
pub enum MessagesError {
    #[error("unknown language `{0}`; expected zh-CN or en")]
    UnknownLang(String),
    #[error("message catalogue data/messages.toml is invalid: {0}")]
    Catalogue(String),
}

#[derive(Debug, Deserialize)]
struct Entry {
    en: String,
    #[serde(rename = "zh-CN")]
    zh_cn: String,
}

/// The loaded catalogue.
#[derive(Debug)]
pub struct Messages {
    entries: HashMap<String, Entry>,
}

impl Messages {
    /// The catalogue shipped with the binary.
    pub fn shipped() -> &'static Messages {
        static SHIPPED: OnceLock<Messages> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            // The catalogue is compiled in and checked by a test, so a parse failure here is a
            // build defect; fall back to an empty catalogue (keys print as themselves).
            Messages::parse(CATALOGUE).unwrap_or(Messages {
                entries: HashMap::new(),
            })
        })
    }

    /// Parses a catalogue in the `messages.toml` format.
    pub fn parse(text: &str) -> Result<Messages, MessagesError> {
        let entries: HashMap<String, Entry> =
            toml::from_str(text).map_err(|e| MessagesError::Catalogue(e.to_string()))?;
        Ok(Messages { entries })
    }

    /// The message `key` in `lang`, or the key itself when it is missing.
    pub fn get<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        match self.entries.get(key) {
            Some(e) => match lang {
                Lang::ZhCn => &e.zh_cn,
                Lang::En => &e.en,
            },
            None => key,
        }
    }

    /// The message `key` in `lang` with `{name}` placeholders filled from `args`.
    pub fn format(&self, lang: Lang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
        let mut out = self.get(lang, key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }

    /// Every key in the catalogue.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
}

/// Shorthand for `Messages::shipped().format(lang, key, args)`.
pub fn tr(lang: Lang, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    Messages::shipped().format(lang, key, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogue_parses_and_every_message_is_bilingual() {
        let m = Messages::parse(CATALOGUE);
        assert!(m.is_ok(), "{:?}", m.err());
        let m = Messages::shipped();
        assert!(m.keys().count() > 10);
        for key in m.keys() {
            assert!(!m.get(Lang::En, key).trim().is_empty(), "{key} has no en");
            assert!(
                !m.get(Lang::ZhCn, key).trim().is_empty(),
                "{key} has no zh-CN"
            );
        }
    }

    #[test]
    fn placeholders_are_filled_in_both_languages() {
        let m = Messages::shipped();
        let en = m.format(
            Lang::En,
            "import.summary",
            &[("new", &3), ("duplicate", &1), ("failed", &0)],
        );
        let zh = m.format(
            Lang::ZhCn,
            "import.summary",
            &[("new", &3), ("duplicate", &1), ("failed", &0)],
        );
        assert!(en.contains('3') && !en.contains("{new}"));
        assert!(zh.contains('3') && !zh.contains("{new}"));
        assert_ne!(en, zh);
    }

    #[test]
    fn languages_parse_from_tags_and_locales() {
        assert_eq!("zh-CN".parse::<Lang>().ok(), Some(Lang::ZhCn));
        assert_eq!("EN".parse::<Lang>().ok(), Some(Lang::En));
        assert!("fr".parse::<Lang>().is_err());
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
    }
}
