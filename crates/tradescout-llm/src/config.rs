//! Where the endpoint is and how to talk to it.

use crate::LlmError;
use std::time::Duration;

/// Settings of the OpenAI-compatible endpoint.
///
/// Presets (base URL → model examples):
/// - DeepSeek: `https://api.deepseek.com/v1` → `deepseek-chat`
/// - Qwen (DashScope compatible mode): `https://dashscope.aliyuncs.com/compatible-mode/v1` → `qwen-plus`
/// - OpenAI: `https://api.openai.com/v1` → `gpt-4o-mini`
/// - Ollama: `http://localhost:11434/v1` → `qwen2.5:7b` (no key)
/// - vLLM: `http://localhost:8000/v1` → the served model name
#[derive(Clone)]
pub struct LlmConfig {
    /// Base URL up to and including `/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// Whole-request timeout (a streamed answer may take longer between its first and last token).
    pub timeout: Duration,
    /// Retries on 429 and 5xx answers, with exponential backoff.
    pub max_retries: u32,
    /// Tokens allowed per calendar month; `None` for no limit.
    pub monthly_token_budget: Option<u64>,
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("monthly_token_budget", &self.monthly_token_budget)
            .finish()
    }
}

impl LlmConfig {
    /// From TRADESCOUT_LLM_BASE_URL, TRADESCOUT_LLM_MODEL and TRADESCOUT_LLM_API_KEY, filling
    /// what they leave out from `fallback` (the config file); `None` without a base URL and model.
    pub fn from_env(fallback: Option<&LlmConfig>) -> Option<LlmConfig> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let base_url =
            var("TRADESCOUT_LLM_BASE_URL").or_else(|| fallback.map(|f| f.base_url.clone()))?;
        let model = var("TRADESCOUT_LLM_MODEL").or_else(|| fallback.map(|f| f.model.clone()))?;
        if base_url.trim().is_empty() || model.trim().is_empty() {
            return None;
        }
        Some(LlmConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            model,
            api_key: var("TRADESCOUT_LLM_API_KEY")
                .or_else(|| fallback.and_then(|f| f.api_key.clone())),
            timeout: fallback
                .map(|f| f.timeout)
                .unwrap_or(Duration::from_secs(60)),
            max_retries: fallback.map(|f| f.max_retries).unwrap_or(3),
            monthly_token_budget: fallback.and_then(|f| f.monthly_token_budget),
        })
    }

    /// Whether another call may be made after `used` tokens this month.
    pub fn check_budget(&self, used: u64) -> Result<(), LlmError> {
        match self.monthly_token_budget {
            Some(budget) if used >= budget => Err(LlmError::BudgetSpent { budget, used }),
            _ => Ok(()),
        }
    }
}
