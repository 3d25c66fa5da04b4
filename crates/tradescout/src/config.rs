//! Settings: a typed TOML file with documented defaults (see `config.example.toml`),
//! overridden by flags and environment variables.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Database URL; default `sqlite:` + a file in the data directory.
    pub db: Option<String>,
    /// `zh-CN` or `en`; default from the locale.
    pub lang: Option<String>,
    pub import: ImportConfig,
    pub seller: SellerConfig,
    pub web: WebSection,
    pub sanctions: SanctionsConfig,
    pub llm: LlmSection,
    /// The ideal customer profile that `scout` scores fit against.
    pub icp: tradescout_scout::Icp,
    /// Where `scout` looks up company names.
    pub search: tradescout_scout::SearchSettings,
}

/// The optional AI endpoint (environment variables TRADESCOUT_LLM_* take precedence).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LlmSection {
    /// Base URL up to `/v1`, e.g. `https://api.deepseek.com/v1`.
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Name of the environment variable that holds the API key (keys stay out of files).
    pub api_key_env: Option<String>,
    pub timeout_secs: u64,
    pub max_retries: u32,
    /// Tokens allowed per calendar month; no AI call is made once they are spent.
    pub monthly_token_budget: Option<u64>,
}

impl Default for LlmSection {
    fn default() -> Self {
        LlmSection {
            base_url: None,
            model: None,
            api_key_env: None,
            timeout_secs: 60,
            max_retries: 3,
            monthly_token_budget: None,
        }
    }
}

impl LlmSection {
    /// The endpoint from the environment and this section, if one is configured.
    pub fn resolve(&self) -> Option<tradescout_llm::LlmConfig> {
        let base = tradescout_llm::LlmConfig {
            base_url: self.base_url.clone().unwrap_or_default(),
            model: self.model.clone().unwrap_or_default(),
            api_key: self
                .api_key_env
                .as_ref()
                .and_then(|v| std::env::var(v).ok()),
            timeout: std::time::Duration::from_secs(self.timeout_secs.max(1)),
            max_retries: self.max_retries,
            monthly_token_budget: self.monthly_token_budget,
        };
        tradescout_llm::LlmConfig::from_env(Some(&base))
    }
}

/// Sanctions lists for `screen` (and `scout`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SanctionsConfig {
    /// List files: OFAC `sdn.csv` (with `alt.csv` and `add.csv` beside it), the UN consolidated
    /// XML, OpenSanctions `targets.simple.csv`. `--sanctions` replaces them.
    pub lists: Vec<PathBuf>,
    /// Hits at or above this score (0–1) are reported; default 0.88.
    pub threshold: Option<f64>,
}

/// The seller's own company.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SellerConfig {
    /// Mail domains of the seller's company: messages from them are the seller's side.
    pub domains: Vec<String>,
}

/// The team web app (`serve`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebSection {
    /// Addresses of reverse proxies in front of the server: only from these is
    /// `X-Forwarded-For` read to tell clients apart (the sign-in limit counts per name and
    /// client address).
    pub trusted_proxies: Vec<String>,
}

/// Limits for reading mail.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportConfig {
    /// Messages larger than this (MB) are reported and skipped.
    pub max_message_mb: u64,
}

impl Default for ImportConfig {
    fn default() -> Self {
        ImportConfig { max_message_mb: 64 }
    }
}

/// Why the configuration could not be loaded.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub reason: String,
}

impl Config {
    /// Loads `explicit` (which must exist), or the default file if there is one.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match default_config_path() {
                Some(p) if p.exists() => p,
                _ => return Ok(Config::default()),
            },
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        toml::from_str(&text).map_err(|e| ConfigError {
            path,
            reason: e.to_string(),
        })
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("org", "tradescout", "tradescout")
}

/// `config.toml` in the user's config directory.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The user's data directory (where the default SQLite file lives).
pub fn data_dir() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".tradescout"))
}

/// `sqlite:` + `tradescout.sqlite` in the data directory.
pub fn default_db_url() -> String {
    format!("sqlite:{}", data_dir().join("tradescout.sqlite").display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_file_parses() {
        let text = include_str!("../../../config.example.toml");
        let cfg: Result<Config, _> = toml::from_str(text);
        assert!(cfg.is_ok(), "{:?}", cfg.err());
    }

    #[test]
    fn trusted_proxies_are_read_from_the_web_section() {
        let cfg: Result<Config, _> = toml::from_str("[web]\ntrusted_proxies = [\"10.0.0.2\"]");
        assert_eq!(
            cfg.map(|c| c.web.trusted_proxies).ok(),
            Some(vec!["10.0.0.2".to_string()])
        );
    }

    #[test]
    fn unknown_keys_are_refused_with_their_name() {
        let err = toml::from_str::<Config>("databse = 'x'")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("databse"), "{err}");
    }
}
