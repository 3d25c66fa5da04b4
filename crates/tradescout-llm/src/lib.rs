//! Optional AI drafting through any OpenAI-compatible chat-completions endpoint (DeepSeek,
//! Qwen/DashScope, OpenAI, Ollama, vLLM…). Everything else in tradescout works without it.
//!
//! The model only writes prose from facts we give it: the inquiry is passed as delimited data,
//! never as instructions, and every price, quantity, lead time or certificate in the draft is
//! checked against the thread and the catalogue afterwards.

pub mod brief;
pub mod client;
pub mod config;
pub mod guard;
pub mod prompt;

pub use brief::{read_stage_opinion, stage_messages, summary_messages, StageOpinion};
pub use client::{ChatMessage, Client, Completion, Usage};
pub use config::LlmConfig;
pub use guard::{leaks_configuration, unsupported_claims, StreamGuard, Unsupported};
pub use prompt::{analysis_facts, draft_messages, DraftFacts};

/// What can go wrong talking to the endpoint. Messages name the endpoint and the problem.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("no AI endpoint is configured (set TRADESCOUT_LLM_BASE_URL and TRADESCOUT_LLM_MODEL, or [llm] in the config file)")]
    NotConfigured,
    #[error("AI endpoint {url} could not be reached: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("AI endpoint {url} answered HTTP {status}: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("AI endpoint {url} sent an answer that is not a chat completion: {reason}")]
    BadAnswer { url: String, reason: String },
    #[error("the monthly AI token budget of {budget} is spent ({used} used)")]
    BudgetSpent { budget: u64, used: u64 },
    #[error("the AI answer repeated configuration or prompt text and was withheld")]
    Leaked,
}
