//! The buyer brief: one page per thread — the messages, background check with sources, stage
//! with evidence, concerns, SPIN questions, next actions, catalogue matches and a proposal.

use super::page_context;
use crate::session::{PageViewer, Viewer};
use crate::{engine, AppState, WebError};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use tradescout_mail::parse::html_body;
use tradescout_mail::ParseLimits;
use tradescout_store::{NewJob, ThreadDetail};

/// The thread if the viewer may see it; otherwise the same 404 as for a missing one, so ids
/// cannot be probed.
pub async fn visible_thread(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<ThreadDetail, WebError> {
    match state.store.thread(id).await? {
        Some(t) if viewer.may_see(t.summary.owner_user_id) => Ok(t),
        _ => Err(WebError::NotFound(viewer.lang)),
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let detail = visible_thread(&state, &viewer, id).await?;
    let store = state.store.as_ref();
    let input = engine::thread_input(store, &detail, &state.config.seller_domains).await?;
    let lang = viewer.lang;
    let (input, analysis) = engine::blocking(move || {
        let a = tradescout_intake::understand(&input, lang);
        (input, a)
    })
    .await?;
    let coaching = engine::coaching(
        state.catalogues.get(store).await?,
        input,
        analysis.clone(),
        lang,
    )
    .await?;
    let report = store.latest_report(id).await?;
    let target = scout_target(&analysis);
    // Each correction as the page shows it: its labels apart, its day.
    let corrections: Vec<minijinja::Value> = store
        .corrections(Some(id))
        .await?
        .into_iter()
        .map(|c| {
            let labels: Vec<String> = c
                .value
                .split(',')
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            let day: String = c.at.chars().take(10).collect();
            context! { field => c.field, value => c.value, labels => labels, by => c.by, day => day }
        })
        .collect();
    state.templates.render(
        "brief.html",
        page_context(
            &viewer,
            "inbox",
            context! {
                thread => detail.summary,
                messages => detail.messages,
                analysis => analysis,
                coaching => coaching,
                report => report,
                target => target,
                ai => state.ai.is_some(),
                corrections => corrections,
                stages => tradescout_core::Stage::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                concern_labels => tradescout_core::Concern::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            },
        ),
    )
}

/// Keeps a person's correction of the stage, the concerns or the spam verdict, with who and
/// when, for `train --from-store`; back to the brief.
pub async fn correct(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    visible_thread(&state, &viewer, id).await?;
    let lang = viewer.lang;
    let bad = || WebError::BadInput(lang, tradescout_core::tr(lang, "web.correct.bad", &[]));
    // `field` and `value`; the concerns form sends one `concern` per ticked box.
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let field = get("field");
    let value = get("value");
    let ticked: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "concern")
        .map(|(_, v)| v.as_str())
        .take(20)
        .collect();
    let value = match field.as_str() {
        "stage" => value
            .parse::<tradescout_core::Stage>()
            .map_err(|_| bad())?
            .as_str()
            .to_string(),
        "spam" if matches!(value.as_str(), "spam" | "not_spam") => value.clone(),
        "concerns" => {
            let mut labels = Vec::new();
            for c in &ticked {
                let c = c.parse::<tradescout_core::Concern>().map_err(|_| bad())?;
                if !labels.contains(&c.as_str()) {
                    labels.push(c.as_str());
                }
            }
            labels.join(",")
        }
        _ => return Err(bad()),
    };
    state
        .store
        .add_correction(&tradescout_store::NewCorrection {
            thread_id: id,
            field,
            value,
            user_id: Some(viewer.user.id),
        })
        .await?;
    Ok(Redirect::to(&format!("/threads/{id}#corrections")).into_response())
}

/// What to check for a thread's buyer: their address (its domain unless free mail), else
/// their company's domain.
fn scout_target(a: &tradescout_core::analysis::Analysis) -> Option<String> {
    a.buyer
        .email
        .clone()
        .filter(|e| !e.ends_with(".invalid"))
        .or_else(|| a.buyer.domain.clone())
}

/// Queues a background check of the thread's buyer and shows its progress.
pub async fn start_scout(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let detail = visible_thread(&state, &viewer, id).await?;
    let input =
        engine::thread_input(state.store.as_ref(), &detail, &state.config.seller_domains).await?;
    let lang = viewer.lang;
    let analysis = engine::blocking(move || tradescout_intake::understand(&input, lang)).await?;
    let Some(target) = scout_target(&analysis) else {
        return Err(WebError::BadInput(
            lang,
            tradescout_core::tr(lang, "web.brief.no_target", &[]),
        ));
    };
    let job = state
        .store
        .enqueue_job(&NewJob {
            kind: "scout".into(),
            payload: serde_json::json!({ "target": target, "thread_id": id, "lang": lang.tag() }),
            owner_user_id: Some(viewer.user.id),
        })
        .await?;
    Ok(Redirect::to(&format!("/jobs/{job}/progress")).into_response())
}

/// A job's progress: a small page that refreshes itself (htmx) until the job is done.
pub async fn job_progress(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let job = match state.store.job(id).await? {
        Some(j) if viewer.may_see(j.owner_user_id) => j,
        _ => return Err(WebError::NotFound(viewer.lang)),
    };
    let thread_id = job.payload.get("thread_id").and_then(|v| v.as_i64());
    state.templates.render(
        "job.html",
        page_context(
            &viewer,
            "inbox",
            context! { job => job, thread_id => thread_id },
        ),
    )
}

/// A message's HTML, sanitised, for a sandboxed frame: no scripts, no forms, no remote
/// content; the frame's own policy forbids scripts even if something slipped through.
pub async fn message_html(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    Path((id, message)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let detail = visible_thread(&state, &viewer, id).await?;
    if !detail.messages.iter().any(|m| m.id == message) {
        return Err(WebError::NotFound(viewer.lang));
    }
    let raw = state
        .store
        .message_raw(message)
        .await?
        .ok_or(WebError::NotFound(viewer.lang))?;
    let html =
        engine::blocking(move || html_body(&raw, &ParseLimits::default()).map(|h| sanitise(&h)))
            .await?
            .ok_or(WebError::NotFound(viewer.lang))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
            ),
            (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
        ],
        format!("<!doctype html><meta charset=\"utf-8\"><base target=\"_blank\">{html}"),
    )
        .into_response())
}

/// Email HTML reduced to safe markup: ammonia's allow-list, links that cannot reach back to
/// the opener, and no images from the network (they would tell the sender the mail was read).
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !value.starts_with("data:") {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::sanitise;

    #[test]
    fn scripts_handlers_and_remote_images_are_removed_from_email_html() {
        let dirty = r#"<p onclick="steal()">Hi<script>alert(1)</script></p>
            <img src="https://tracker.example/p.gif"><a href="javascript:alert(1)">x</a>
            <iframe src="https://evil.example"></iframe><a href="https://ok.example">ok</a>"#;
        let clean = sanitise(dirty);
        for bad in [
            "<script",
            "onclick",
            "tracker.example",
            "javascript:",
            "<iframe",
        ] {
            assert!(!clean.contains(bad), "{bad} survived: {clean}");
        }
        assert!(clean.contains("https://ok.example"));
        assert!(clean.contains("noopener"));
    }
}
