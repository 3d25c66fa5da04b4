//! Background work of a server: background checks queued as jobs (claimed safely when many
//! servers share one database) and analysis of mail that arrived by import or IMAP sync.

use crate::engine;
use crate::AppState;
use serde::Deserialize;
use std::time::Duration;
use tradescout_core::Lang;
use tradescout_store::{JobOutcome, NewReport};

/// This worker's name in the job table: host and process.
pub fn name() -> String {
    format!(
        "{}:{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "tradescout".into()),
        std::process::id()
    )
}

/// What a background-check job carries.
#[derive(Debug, Deserialize)]
pub struct ScoutJob {
    pub target: String,
    pub thread_id: Option<i64>,
    pub lang: Option<String>,
}

/// How often a server looks for models another process saved.
const MODEL_CHECK: Duration = Duration::from_secs(30);

/// Runs forever: claims and runs jobs, and analyses new mail when idle; takes up models
/// retrained by another server or by `tradescout train` on the same data directory (the
/// threads they would judge differently are then analysed again).
pub async fn run(state: AppState, worker: String) {
    let mut seen = None;
    let mut checked: Option<std::time::Instant> = None;
    loop {
        if let Some(dir) = state.config.models_dir.as_deref() {
            if checked.is_none_or(|t| t.elapsed() >= MODEL_CHECK) {
                checked = Some(std::time::Instant::now());
                // Reading and decoding the files is blocking work.
                let owned = dir.to_path_buf();
                let before = seen.take();
                let looked = tokio::task::spawn_blocking(move || {
                    let mut seen = before;
                    let changed = crate::training::follow_saved_models(&owned, &mut seen);
                    (changed, seen)
                })
                .await;
                if let Ok((changed, now_seen)) = looked {
                    seen = now_seen;
                    if changed {
                        tracing::info!("models saved in {} are now in use", dir.display());
                    }
                }
            }
        }
        match run_once(&state, &worker).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!("background work failed: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// One round: a job if one is due, else a batch of unanalysed threads. `true` when there
/// was something to do.
pub async fn run_once(state: &AppState, worker: &str) -> Result<bool, crate::WebError> {
    if let Some(job) = state.store.claim_job(worker).await? {
        let outcome = match job.kind.as_str() {
            "scout" => run_scout(state, &job.payload).await,
            other => Err(format!("unknown job kind `{other}`")),
        };
        state
            .store
            .finish_job(
                job.id,
                match outcome {
                    Ok(v) => JobOutcome::Done(v),
                    Err(e) => JobOutcome::Failed(e),
                },
            )
            .await?;
        return Ok(true);
    }
    let done = engine::analyse_backlog(
        state.store.as_ref(),
        &state.config.seller_domains,
        state.config.default_lang,
        50,
        Some(&state.leads),
    )
    .await?;
    Ok(done > 0)
}

async fn run_scout(
    state: &AppState,
    payload: &serde_json::Value,
) -> Result<serde_json::Value, String> {
    let job: ScoutJob =
        serde_json::from_value(payload.clone()).map_err(|e| format!("bad job payload: {e}"))?;
    let mut options = state.config.scout.clone();
    options.lang = job
        .lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(Lang::En);
    let report = tradescout_scout::scout(&job.target, &options, state.config.screener.as_deref())
        .await
        .map_err(|e| e.to_string())?;
    let result = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    let id = state
        .store
        .save_report(&NewReport {
            target: job.target.clone(),
            thread_id: job.thread_id,
            fit_score: Some(i64::from(report.fit.score)),
            risk_score: Some(i64::from(report.risk.score)),
            result: result.clone(),
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(serde_json::json!({ "report_id": id, "report": result }))
}
