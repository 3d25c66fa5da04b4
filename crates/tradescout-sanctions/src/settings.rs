//! Matching settings, read from `data/matching.toml` (shipped) or a file of the same shape.

use crate::error::SanctionsError;
use serde::Deserialize;
use std::sync::OnceLock;

const SHIPPED: &str = include_str!("../data/matching.toml");

/// How names are compared; see `data/matching.toml` for what each number does.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MatchSettings {
    pub threshold: f64,
    pub token_floor: f64,
    pub initial_similarity: f64,
    pub abjad_similarity: f64,
    pub country_match_bonus: f64,
    pub country_mismatch_penalty: f64,
    pub partial_name_min_coverage: f64,
    pub partial_name_factor: f64,
    pub particle_weight: f64,
    pub weak_word_weight: f64,
    /// Weight of a generic business word kept in a short name.
    #[serde(default = "default_generic_word_weight")]
    pub generic_word_weight: f64,
    pub max_tokens: usize,
    pub legal_forms: Vec<String>,
    /// Business words dropped like legal forms only while two other words remain.
    #[serde(default)]
    pub generic_forms: Vec<String>,
    pub particles: Vec<String>,
    pub weak_words: Vec<String>,
    /// Given names and surnames too common for a person hit on them alone to be a match.
    #[serde(default)]
    pub common_names: Vec<String>,
    /// Spellings of one name in different romanisations ("kim", "gim"): each group is read as
    /// its first spelling on both sides.
    #[serde(default)]
    pub name_variants: Vec<Vec<String>>,
    /// Two words of the same consonant outline ("hossein", "husain") are at least this alike.
    #[serde(default = "default_same_outline_similarity")]
    pub same_outline_similarity: f64,
    /// Share of the edit-distance similarity in a word pair's figure when the outlines differ
    /// (the rest is Jaro-Winkler); 0 leaves Jaro-Winkler alone.
    #[serde(default)]
    pub edit_weight: f64,
}

fn default_same_outline_similarity() -> f64 {
    0.95
}

fn default_generic_word_weight() -> f64 {
    0.25
}

impl MatchSettings {
    /// Reads settings from TOML text shaped like the shipped `data/matching.toml`.
    pub fn from_toml_str(text: &str) -> Result<MatchSettings, SanctionsError> {
        let s: MatchSettings =
            toml::from_str(text).map_err(|e| SanctionsError::Settings(e.to_string()))?;
        s.check()?;
        Ok(s)
    }

    /// The shipped settings.
    pub fn shipped() -> Result<MatchSettings, SanctionsError> {
        MatchSettings::from_toml_str(SHIPPED)
    }

    fn check(&self) -> Result<(), SanctionsError> {
        let unit = [
            ("threshold", self.threshold),
            ("token_floor", self.token_floor),
            ("initial_similarity", self.initial_similarity),
            ("abjad_similarity", self.abjad_similarity),
            ("country_match_bonus", self.country_match_bonus),
            ("country_mismatch_penalty", self.country_mismatch_penalty),
            ("partial_name_min_coverage", self.partial_name_min_coverage),
            ("partial_name_factor", self.partial_name_factor),
            ("particle_weight", self.particle_weight),
            ("weak_word_weight", self.weak_word_weight),
            ("generic_word_weight", self.generic_word_weight),
            ("same_outline_similarity", self.same_outline_similarity),
            ("edit_weight", self.edit_weight),
        ];
        for (key, v) in unit {
            if !(0.0..=1.0).contains(&v) {
                return Err(SanctionsError::Settings(format!(
                    "{key} = {v} is outside 0..1"
                )));
            }
        }
        if self.particle_weight <= 0.0 || self.weak_word_weight <= 0.0 {
            return Err(SanctionsError::Settings(
                "particle_weight and weak_word_weight must be above 0".into(),
            ));
        }
        if self.max_tokens == 0 {
            return Err(SanctionsError::Settings(
                "max_tokens must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// The shipped settings, read once.
pub(crate) fn shipped_settings() -> &'static MatchSettings {
    static SETTINGS: OnceLock<MatchSettings> = OnceLock::new();
    SETTINGS.get_or_init(MatchSettings::default)
}

impl Default for MatchSettings {
    /// The shipped settings (tested to parse); bare numbers if they somehow do not.
    fn default() -> Self {
        MatchSettings::shipped().unwrap_or(MatchSettings {
            threshold: 0.88,
            token_floor: 0.8,
            initial_similarity: 0.8,
            abjad_similarity: 0.95,
            country_match_bonus: 0.02,
            country_mismatch_penalty: 0.06,
            partial_name_min_coverage: 0.5,
            partial_name_factor: 0.9,
            particle_weight: 0.3,
            weak_word_weight: 0.5,
            generic_word_weight: 0.25,
            max_tokens: 16,
            legal_forms: Vec::new(),
            generic_forms: Vec::new(),
            particles: Vec::new(),
            weak_words: Vec::new(),
            common_names: Vec::new(),
            name_variants: Vec::new(),
            same_outline_similarity: 0.95,
            edit_weight: 0.0,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_settings_parse_and_hold_the_documented_threshold() {
        let s = MatchSettings::shipped().unwrap();
        assert_eq!(s.threshold, 0.88);
        assert!(s.legal_forms.iter().any(|f| f == "有限公司"));
    }

    #[test]
    fn a_threshold_outside_zero_to_one_is_refused_by_name() {
        let text = SHIPPED.replace("threshold = 0.88", "threshold = 1.5");
        let err = MatchSettings::from_toml_str(&text).unwrap_err().to_string();
        assert!(err.contains("threshold"), "{err}");
    }
}
