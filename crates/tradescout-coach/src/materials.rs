//! Materials by what they are (`data/knowledge/materials.toml`): the stainless steel asked for
//! in any buyer language against the materials a catalogue row names.

use crate::reply_lang::ReplyLang;
use serde::Deserialize;
use std::sync::OnceLock;

const MATERIALS: &str = include_str!("../data/knowledge/materials.toml");

#[derive(Debug, Deserialize)]
struct File {
    #[serde(default)]
    material: Vec<Material>,
}

/// One material and the words that name it.
#[derive(Debug, Deserialize)]
pub struct Material {
    pub en: String,
    pub zh: String,
    #[serde(default)]
    pub es: Option<String>,
    words: Vec<String>,
}

impl Material {
    /// The name shown in `lang` (English where no other is kept).
    pub fn name_in(&self, lang: ReplyLang) -> &str {
        match lang {
            ReplyLang::ZhCn => &self.zh,
            ReplyLang::Es => self.es.as_deref().unwrap_or(&self.en),
            ReplyLang::En => &self.en,
        }
    }
}

/// The materials of the shipped data (empty if it cannot be read; a test checks it can).
pub fn materials() -> &'static [Material] {
    static ALL: OnceLock<Vec<Material>> = OnceLock::new();
    ALL.get_or_init(|| {
        toml::from_str::<File>(MATERIALS)
            .map(|f| f.material)
            .unwrap_or_default()
    })
}

/// Longest text read for materials.
const MAX_TEXT: usize = 2_000;

/// The materials `text` names (indexes into [`materials`]), each once, in data order. A
/// material named only inside a longer one's words ("leather" in "PU leather") is not named.
pub fn in_text(text: &str) -> Vec<usize> {
    let lower = crate::measures::capped(text, MAX_TEXT).to_lowercase();
    let mut found: Vec<(usize, &str)> = Vec::new();
    for (i, m) in materials().iter().enumerate() {
        if let Some(w) = m
            .words
            .iter()
            .filter(|w| crate::knowledge::contains_word(&lower, w))
            .max_by_key(|w| w.len())
        {
            found.push((i, w.as_str()));
        }
    }
    let kept: Vec<usize> = found
        .iter()
        .filter(|(_, w)| {
            !found
                .iter()
                .any(|(_, other)| other.len() > w.len() && other.contains(*w))
        })
        .map(|(i, _)| *i)
        .collect();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        in_text(text)
            .into_iter()
            .map(|i| materials()[i].en.clone())
            .collect()
    }

    #[test]
    fn the_data_reads() {
        let file: Result<File, _> = toml::from_str(MATERIALS);
        let file = file.unwrap_or_else(|e| panic!("data/knowledge/materials.toml: {e}"));
        assert!(file.material.len() >= 10);
    }

    #[test]
    fn materials_in_the_buyer_languages() {
        assert_eq!(names("bouilloire en inox"), vec!["stainless steel"]);
        assert_eq!(names("Edelstahl Wasserkocher"), vec!["stainless steel"]);
        assert_eq!(names("不锈钢电水壶"), vec!["stainless steel"]);
        assert_eq!(names("Glass kettle 1.7L with blue LED"), vec!["glass"]);
        assert_eq!(names("Executive chair PU leather"), vec!["PU leather"]);
        assert!(names("Electric kettle 1.7L").is_empty());
    }
}
