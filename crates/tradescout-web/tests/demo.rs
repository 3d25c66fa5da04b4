//! `tradescout demo` builds a workspace that shows the whole product with no network: here,
//! that its background checks come from the bundled buyer websites.

use serde_json::Value;
use std::sync::Arc;
use tradescout_core::Lang;
use tradescout_store::{Store, ThreadFilter};

type R = Result<(), Box<dyn std::error::Error>>;

/// The latest report of the thread whose buyer writes from `email`.
async fn report_of(
    store: &Arc<dyn Store>,
    email: &str,
) -> Result<Value, Box<dyn std::error::Error>> {
    let threads = store.list_threads(&ThreadFilter::default()).await?;
    let thread = threads
        .iter()
        .find(|t| t.buyer_email.as_deref() == Some(email))
        .ok_or_else(|| format!("no demo thread from {email}"))?;
    let report = store
        .latest_report(thread.id)
        .await?
        .ok_or_else(|| format!("no background check for {email}"))?;
    Ok(report.result)
}

#[tokio::test]
async fn the_demo_checks_its_buyers_against_the_bundled_sites_offline() -> R {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite:{}", dir.path().join("demo.sqlite").display());
    let store = tradescout_store::open(&url).await?;
    let summary = tradescout_web::demo::build(store.as_ref(), Lang::En).await?;
    assert!(summary.checks >= 3, "{summary:?}");

    // The UK importer: facts from its pages, each traceable to where it was found.
    let uk = report_of(&store, "tom.baker@greenlight-supplies.co.uk").await?;
    assert_eq!(uk["company"]["country"], "GB", "{uk}");
    assert!(uk["company"]["name"]
        .as_str()
        .is_some_and(|n| n.contains("Greenlight")));
    assert!(uk["pages_fetched"].as_u64().unwrap_or(0) >= 2, "{uk}");
    assert!(uk["phones"].to_string().contains("+441614960732"), "{uk}");

    // The registration-fee scam writes from free mail: nothing to crawl, and it says so.
    let scam = report_of(&store, "purchase.dept2025@gmail.com").await?;
    assert_eq!(scam["email_kind"], "free");
    assert_eq!(scam["pages_fetched"], 0);
    assert!(
        scam["risk"]["score"].as_u64().unwrap_or(0) > uk["risk"]["score"].as_u64().unwrap_or(100)
    );

    // Every thread was analysed by the backlog and scored from the demo's deal history.
    assert!(store
        .unanalysed_threads(10, &tradescout_web::engine::analyzer_version())
        .await?
        .is_empty());
    let threads = store.list_threads(&ThreadFilter::default()).await?;
    assert!(!threads.is_empty());
    for t in &threads {
        assert!(t.stage.is_some(), "thread {} has no stage", t.id);
        assert!(
            t.lead_score.is_some_and(|s| (0.0..=1.0).contains(&s)),
            "thread {}: lead score {:?}",
            t.id,
            t.lead_score
        );
    }

    // Building again adds no second report.
    let again = tradescout_web::demo::build(store.as_ref(), Lang::En).await?;
    assert_eq!(again.checks, 0);
    Ok(())
}

/// Today, on the demo as it is served, lists buyers silent after our quote as follow-ups due,
/// its scams to discard, and new inquiries to answer.
#[tokio::test]
async fn the_demos_today_has_follow_ups_scams_and_new_inquiries() -> R {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite:{}", dir.path().join("demo.sqlite").display());
    let store = tradescout_store::open(&url).await?;
    let summary = tradescout_web::demo::build(store.as_ref(), Lang::En).await?;
    assert!(summary.threads >= 30, "{summary:?}");
    let items = tradescout_web::today::today(
        store.as_ref(),
        None,
        &[tradescout_web::demo::DEMO_SELLER_DOMAIN.to_string()],
        chrono::Utc::now().date_naive(),
        Lang::En,
    )
    .await?;
    let count = |reason: &str, action: &str| {
        items
            .iter()
            .filter(|i| i.reason == reason && i.action == action)
            .count()
    };
    assert!(count("follow_up_due", "follow_up") >= 3, "{items:#?}");
    assert!(count("scam", "discard") >= 4, "{items:#?}");
    assert!(count("new_inquiry", "reply") >= 5, "{items:#?}");
    // A follow-up row says why, in words.
    let follow = items
        .iter()
        .find(|i| i.reason == "follow_up_due")
        .ok_or("no follow-up")?;
    assert!(!follow.reason_text.is_empty() && !follow.action_text.is_empty());
    Ok(())
}
