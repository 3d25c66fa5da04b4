//! Today: the threads that need the rep today, ranked by what is at stake — new inquiries
//! nobody answered, buyers waiting on us, buyers silent after our reply for longer than the
//! stage allows (follow-up due), and scams to discard. One service for the page and for
//! `GET /api/v1/today`.

use chrono::NaiveDate;
use serde::Serialize;
use tradescout_core::{tr, Lang};
use tradescout_store::{Store, ThreadFilter, ThreadSummary};

/// How many recent threads are weighed (newest first): Today is about what moved lately.
const RECENT: i64 = 500;

/// Days a buyer may stay silent after our reply before a follow-up is due, by stage: the
/// closer to an order, the sooner.
fn follow_up_after(stage: Option<&str>) -> i64 {
    match stage {
        Some("decision") => 2,
        Some("concerns") => 3,
        Some("evaluation") => 4,
        Some("implementation") => 7,
        _ => 5,
    }
}

/// How much a stage weighs in the priority: a buyer about to order comes first.
fn stage_weight(stage: Option<&str>) -> f64 {
    match stage {
        Some("decision") => 1.6,
        Some("concerns") => 1.4,
        Some("evaluation") => 1.2,
        Some("implementation") => 1.0,
        _ => 0.9,
    }
}

/// One row of Today (the `GET /api/v1/today` contract: `thread_id`, `reason`, `action`,
/// `due`, `priority`; the other fields are for the page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TodayItem {
    pub thread_id: i64,
    /// `new_inquiry`, `buyer_waiting`, `follow_up_due` or `scam`.
    pub reason: String,
    /// `reply`, `follow_up` or `discard`.
    pub action: String,
    /// ISO date the action was due.
    pub due: String,
    /// Higher first: lead score × stage × days waiting.
    pub priority: f64,
    pub subject: String,
    pub company: Option<String>,
    pub stage: Option<String>,
    pub days_waiting: i64,
    /// The reason and the next step in the reader's language.
    pub reason_text: String,
    pub action_text: String,
}

/// The Today list of the threads `filter` selects, as of `today`.
pub async fn today(
    store: &dyn Store,
    owner: Option<i64>,
    seller_domains: &[String],
    today: NaiveDate,
    lang: Lang,
) -> Result<Vec<TodayItem>, tradescout_store::StoreError> {
    let threads = store
        .list_threads(&ThreadFilter {
            owner_user_id: owner,
            limit: RECENT,
            ..ThreadFilter::default()
        })
        .await?;
    let mut items: Vec<TodayItem> = threads
        .iter()
        .filter_map(|t| item(t, seller_domains, today, lang))
        .collect();
    items.sort_by(|a, b| {
        b.priority
            .total_cmp(&a.priority)
            .then_with(|| b.thread_id.cmp(&a.thread_id))
    });
    Ok(items)
}

/// Whether `address` is one of the seller's own.
fn from_seller(address: Option<&str>, seller_domains: &[String]) -> bool {
    let Some(domain) = address.and_then(|a| a.rsplit_once('@')).map(|(_, d)| d) else {
        return false;
    };
    let domain = domain.trim_end_matches('>').to_ascii_lowercase();
    seller_domains
        .iter()
        .chain(std::iter::once(&"seller.invalid".to_string()))
        .any(|s| {
            let s = s.trim().to_ascii_lowercase();
            domain == s || domain.ends_with(&format!(".{s}"))
        })
}

fn day_of(ts: Option<&str>) -> Option<NaiveDate> {
    let ts = ts?;
    NaiveDate::parse_from_str(ts.get(..10)?, "%Y-%m-%d").ok()
}

/// What a thread asks of the rep today, if anything.
pub fn item(
    t: &ThreadSummary,
    seller_domains: &[String],
    today: NaiveDate,
    lang: Lang,
) -> Option<TodayItem> {
    let last = day_of(t.last_at.as_deref()).unwrap_or(today);
    let waiting = (today - last).num_days().max(0);
    let stage = t.stage.as_deref();
    let lead = t.lead_score.unwrap_or(50.0).clamp(1.0, 100.0);
    let (reason, action, due, priority) = if t.is_spam {
        // Cleared first thing, but below every real buyer.
        ("scam", "discard", last, 1.0)
    } else if from_seller(t.last_from.as_deref(), seller_domains) {
        let after = follow_up_after(stage);
        if waiting < after {
            return None;
        }
        let due = last + chrono::Duration::days(after);
        let overdue = (waiting - after) as f64;
        (
            "follow_up_due",
            "follow_up",
            due,
            lead * stage_weight(stage) * (1.0 + overdue / 7.0) * 0.8,
        )
    } else if t.message_count <= 1 {
        (
            "new_inquiry",
            "reply",
            last,
            lead * stage_weight(stage) * (1.0 + waiting as f64 / 3.0),
        )
    } else {
        (
            "buyer_waiting",
            "reply",
            last,
            lead * stage_weight(stage) * (1.0 + waiting as f64 / 3.0) * 1.1,
        )
    };
    let days = waiting.to_string();
    let stage_name = stage
        .map(|s| tr(lang, &format!("stage.{s}"), &[]))
        .unwrap_or_default();
    let reason_text = tr(
        lang,
        &format!("today.reason.{reason}"),
        &[("days", &days), ("stage", &stage_name)],
    );
    let action_text = tr(lang, &format!("today.action.{action}.{reason}"), &[]);
    Some(TodayItem {
        thread_id: t.id,
        reason: reason.to_string(),
        action: action.to_string(),
        due: due.to_string(),
        priority: (priority * 10.0).round() / 10.0,
        subject: t.subject.clone(),
        company: t.company.clone(),
        stage: t.stage.clone(),
        days_waiting: waiting,
        reason_text,
        action_text,
    })
}

/// Today for the person asking: their own threads; a manager or admin sees the team's, or one
/// rep's when `rep` names them. A rep naming someone else still sees only their own.
pub async fn for_viewer(
    state: &crate::AppState,
    viewer: &crate::session::Viewer,
    rep: Option<&str>,
) -> Result<Vec<TodayItem>, crate::WebError> {
    let mut owner = viewer.owner_filter();
    if let Some(name) = rep.map(str::trim).filter(|n| !n.is_empty()) {
        if viewer.user.role.sees_team() {
            match state.store.user_by_name(name).await? {
                Some(u) => owner = Some(u.id),
                None => {
                    return Err(crate::WebError::BadInput(
                        viewer.lang,
                        tr(viewer.lang, "web.today.no_such_rep", &[("name", &name)]),
                    ))
                }
            }
        }
    }
    Ok(today(
        state.store.as_ref(),
        owner,
        &state.config.seller_domains,
        chrono::Utc::now().date_naive(),
        viewer.lang,
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(id: i64, last_at: &str, last_from: &str, count: i64, stage: &str) -> ThreadSummary {
        ThreadSummary {
            id,
            subject: format!("RFQ {id}"),
            message_count: count,
            participants: Vec::new(),
            first_at: None,
            last_at: Some(last_at.into()),
            owner_user_id: None,
            stage: Some(stage.into()),
            top_concern: None,
            language: None,
            country: None,
            buyer_email: None,
            company: None,
            is_spam: false,
            fit_score: None,
            risk_score: None,
            lead_score: Some(60.0),
            last_from: Some(last_from.into()),
            channel: None,
        }
    }

    #[test]
    fn who_wrote_last_and_how_long_ago_decide_the_row() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default();
        let sellers = vec!["factory.cn".to_string()];
        let new = item(
            &thread(1, "2026-03-09T08:00:00Z", "tom@buyer.com", 1, "evaluation"),
            &sellers,
            today,
            Lang::En,
        );
        assert_eq!(
            new.map(|i| (i.reason, i.action)),
            Some(("new_inquiry".into(), "reply".into()))
        );
        // We answered two days ago at evaluation: not due yet (four days).
        let quiet = item(
            &thread(
                2,
                "2026-03-08T08:00:00Z",
                "lily@factory.cn",
                3,
                "evaluation",
            ),
            &sellers,
            today,
            Lang::En,
        );
        assert_eq!(quiet, None);
        // Six days of silence after our quote: follow up, due two days ago.
        let due = item(
            &thread(
                3,
                "2026-03-04T08:00:00Z",
                "lily@factory.cn",
                3,
                "evaluation",
            ),
            &sellers,
            today,
            Lang::ZhCn,
        )
        .unwrap_or_else(|| panic!("a follow-up is due"));
        assert_eq!(
            (due.reason.as_str(), due.due.as_str()),
            ("follow_up_due", "2026-03-08")
        );
        assert!(!due.reason_text.contains("today."), "{}", due.reason_text);
        let mut scam = thread(4, "2026-03-10T08:00:00Z", "x@scam.top", 1, "decision");
        scam.is_spam = true;
        let scam = item(&scam, &sellers, today, Lang::En).unwrap_or_else(|| panic!("listed"));
        assert_eq!(scam.action, "discard");
        let waiting = item(
            &thread(5, "2026-03-07T08:00:00Z", "tom@buyer.com", 4, "decision"),
            &sellers,
            today,
            Lang::En,
        )
        .unwrap_or_else(|| panic!("listed"));
        assert!(waiting.priority > scam.priority);
    }
}
