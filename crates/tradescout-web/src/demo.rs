//! `tradescout demo`: a realistic workspace a newcomer can open with no network — the
//! bundled multilingual inquiries (every stage, a scam), a catalogue, a year of deal history
//! for two reps, users for each role, every thread analysed and lead-scored, and background
//! checks of the buyers made from bundled websites.
//! Building it twice changes nothing: every step is idempotent.

use crate::{engine, WebError};
use tradescout_coach::Catalogue;
use tradescout_core::{Lang, Outcome, Stage};
use tradescout_insights::Deal;
use tradescout_mail::{parse_message, ParseLimits};
use tradescout_store::{NewMessage, NewUser, Store, ThreadFilter, UserRole};

/// The password of every demo user (printed when the demo starts).
pub const DEMO_PASSWORD: &str = "tradescout-demo";
pub const DEMO_ADMIN: &str = "admin";
pub const DEMO_MANAGER: &str = "manager";
pub const DEMO_REPS: [&str; 2] = ["li.wei", "anna"];
/// The demo seller's own mail domain: its messages are ours, so Today can tell a buyer waiting
/// on us from a buyer silent after our quote.
pub const DEMO_SELLER_DOMAIN: &str = "ningbo-brightstar.cn";
/// Set once the demo's mail is stored (to the day it was dated from).
const DEMO_MAIL_SETTING: &str = "demo.mail_built";

/// Mail files by name, as bundled.
type MailSet = &'static [(&'static str, &'static [u8])];

/// The example inquiries shipped in `examples/inquiries/`.
pub const EXAMPLES: &[(&str, &[u8])] = &[
    (
        "01-floodlight-inquiry.eml",
        include_bytes!("../../../examples/inquiries/01-floodlight-inquiry.eml"),
    ),
    (
        "02-floodlight-quote-reply.eml",
        include_bytes!("../../../examples/inquiries/02-floodlight-quote-reply.eml"),
    ),
    (
        "03-floodlight-negotiation.eml",
        include_bytes!("../../../examples/inquiries/03-floodlight-negotiation.eml"),
    ),
    (
        "04-spanish-solar-inquiry.eml",
        include_bytes!("../../../examples/inquiries/04-spanish-solar-inquiry.eml"),
    ),
    (
        "05-proforma-foxmail-gbk.eml",
        include_bytes!("../../../examples/inquiries/05-proforma-foxmail-gbk.eml"),
    ),
    (
        "06-website-form-html.eml",
        include_bytes!("../../../examples/inquiries/06-website-form-html.eml"),
    ),
    (
        "07-registration-fee-scam.eml",
        include_bytes!("../../../examples/inquiries/07-registration-fee-scam.eml"),
    ),
];

/// The demo's month of mail (`examples/demo/`): 28 threads in ten languages, all five stages,
/// four scam families, buyers silent after a quote. Dates are moved so the newest is
/// yesterday.
pub const DEMO_MAIL: &[(&str, &[u8])] = &[
    (
        "08-solar-caravan-park-au.eml",
        include_bytes!("../../../examples/demo/08-solar-caravan-park-au.eml"),
    ),
    (
        "09-solar-caravan-park-quote.eml",
        include_bytes!("../../../examples/demo/09-solar-caravan-park-quote.eml"),
    ),
    (
        "10-highbay-chennai-rfq.eml",
        include_bytes!("../../../examples/demo/10-highbay-chennai-rfq.eml"),
    ),
    (
        "11-highbay-chennai-quote.eml",
        include_bytes!("../../../examples/demo/11-highbay-chennai-quote.eml"),
    ),
    (
        "12-us-sample-request.eml",
        include_bytes!("../../../examples/demo/12-us-sample-request.eml"),
    ),
    (
        "13-us-samples-shipped.eml",
        include_bytes!("../../../examples/demo/13-us-samples-shipped.eml"),
    ),
    (
        "14-uae-floodlight-rfq.eml",
        include_bytes!("../../../examples/demo/14-uae-floodlight-rfq.eml"),
    ),
    (
        "15-uae-floodlight-quote.eml",
        include_bytes!("../../../examples/demo/15-uae-floodlight-quote.eml"),
    ),
    (
        "16-nigeria-catalogue-request.eml",
        include_bytes!("../../../examples/demo/16-nigeria-catalogue-request.eml"),
    ),
    (
        "17-uk-panels-ukca-packaging.eml",
        include_bytes!("../../../examples/demo/17-uk-panels-ukca-packaging.eml"),
    ),
    (
        "18-scam-card-own-shipper.eml",
        include_bytes!("../../../examples/demo/18-scam-card-own-shipper.eml"),
    ),
    (
        "19-scam-phishing-po.eml",
        include_bytes!("../../../examples/demo/19-scam-phishing-po.eml"),
    ),
    (
        "20-scam-domain-registration-cn.eml",
        include_bytes!("../../../examples/demo/20-scam-domain-registration-cn.eml"),
    ),
    (
        "21-zh-trading-foxmail-gb18030.eml",
        include_bytes!("../../../examples/demo/21-zh-trading-foxmail-gb18030.eml"),
    ),
    (
        "22-my-warehouse-inquiry-zh.eml",
        include_bytes!("../../../examples/demo/22-my-warehouse-inquiry-zh.eml"),
    ),
    (
        "23-my-warehouse-quote-zh.eml",
        include_bytes!("../../../examples/demo/23-my-warehouse-quote-zh.eml"),
    ),
    (
        "24-my-warehouse-negotiation-gmail.eml",
        include_bytes!("../../../examples/demo/24-my-warehouse-negotiation-gmail.eml"),
    ),
    (
        "25-my-warehouse-po-attached.eml",
        include_bytes!("../../../examples/demo/25-my-warehouse-po-attached.eml"),
    ),
    (
        "26-de-shipment-advice-bl-copy.eml",
        include_bytes!("../../../examples/demo/26-de-shipment-advice-bl-copy.eml"),
    ),
    (
        "27-de-complaint-damaged-cartons.eml",
        include_bytes!("../../../examples/demo/27-de-complaint-damaged-cartons.eml"),
    ),
    (
        "28-mx-floodlights-price-nom.eml",
        include_bytes!("../../../examples/demo/28-mx-floodlights-price-nom.eml"),
    ),
    (
        "29-cl-solar-samples-mining-camp.eml",
        include_bytes!("../../../examples/demo/29-cl-solar-samples-mining-camp.eml"),
    ),
    (
        "30-mx-panel-reorder.eml",
        include_bytes!("../../../examples/demo/30-mx-panel-reorder.eml"),
    ),
    (
        "31-at-highbay-warehouse-rfq.eml",
        include_bytes!("../../../examples/demo/31-at-highbay-warehouse-rfq.eml"),
    ),
    (
        "32-fr-floodlights-delivery-deadline.eml",
        include_bytes!("../../../examples/demo/32-fr-floodlights-delivery-deadline.eml"),
    ),
    (
        "33-ma-solar-catalogue-request.eml",
        include_bytes!("../../../examples/demo/33-ma-solar-catalogue-request.eml"),
    ),
    (
        "34-sa-floodlights-saso-saber.eml",
        include_bytes!("../../../examples/demo/34-sa-floodlights-saso-saber.eml"),
    ),
    (
        "35-jo-solar-order-pi-request.eml",
        include_bytes!("../../../examples/demo/35-jo-solar-order-pi-request.eml"),
    ),
    (
        "36-kz-floodlights-panels-eac-moq.eml",
        include_bytes!("../../../examples/demo/36-kz-floodlights-panels-eac-moq.eml"),
    ),
    (
        "37-ru-solar-catalogue-cny.eml",
        include_bytes!("../../../examples/demo/37-ru-solar-catalogue-cny.eml"),
    ),
    (
        "38-br-inmetro-outlook-html.eml",
        include_bytes!("../../../examples/demo/38-br-inmetro-outlook-html.eml"),
    ),
    (
        "39-br-underwater-lights-leaking.eml",
        include_bytes!("../../../examples/demo/39-br-underwater-lights-leaking.eml"),
    ),
    (
        "40-tr-solar-park-tender-rfq.eml",
        include_bytes!("../../../examples/demo/40-tr-solar-park-tender-rfq.eml"),
    ),
    (
        "41-hk-balance-paid-telex-release-big5.eml",
        include_bytes!("../../../examples/demo/41-hk-balance-paid-telex-release-big5.eml"),
    ),
    (
        "42-it-hotel-fountain-lights-inquiry.eml",
        include_bytes!("../../../examples/demo/42-it-hotel-fountain-lights-inquiry.eml"),
    ),
    (
        "43-it-hotel-fountain-quote.eml",
        include_bytes!("../../../examples/demo/43-it-hotel-fountain-quote.eml"),
    ),
    (
        "44-scam-card-payment-questionnaire.eml",
        include_bytes!("../../../examples/demo/44-scam-card-payment-questionnaire.eml"),
    ),
];

const CATALOGUE: &[u8] = include_bytes!("../../../examples/catalogue.csv");

/// What was built, for the welcome message.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub threads: usize,
    pub deals: usize,
    pub products: usize,
    /// Background checks made from the bundled sites.
    pub checks: usize,
}

/// Builds (or tops up) the demo workspace in `store`.
pub async fn build(store: &dyn Store, lang: Lang) -> Result<DemoSummary, WebError> {
    let mut user_ids = Vec::new();
    for (name, role) in [
        (DEMO_ADMIN, UserRole::Admin),
        (DEMO_MANAGER, UserRole::Manager),
        (DEMO_REPS[0], UserRole::Rep),
        (DEMO_REPS[1], UserRole::Rep),
    ] {
        let id = match store.user_by_name(name).await? {
            Some(u) => u.id,
            None => {
                let hash =
                    engine::blocking(|| crate::accounts::hash_password(DEMO_PASSWORD)).await??;
                store
                    .create_user(&NewUser {
                        name: name.to_string(),
                        role,
                        password_hash: hash,
                        lang: Some(
                            if name == DEMO_REPS[0] {
                                "zh-CN"
                            } else {
                                lang.tag()
                            }
                            .to_string(),
                        ),
                    })
                    .await?
            }
        };
        user_ids.push(id);
    }
    let reps = [user_ids[2], user_ids[3]];

    // The mail goes in once: its dates move with the day it is built, so a second build on
    // another day would be new messages to the store, not the same ones.
    let mail_in = store.setting(DEMO_MAIL_SETTING).await?.is_some();
    let today = chrono::Utc::now().date_naive();
    let mut batch = Vec::with_capacity(EXAMPLES.len() + DEMO_MAIL.len());
    // Each set keeps its own spacing of days; the newest of the demo's month is yesterday,
    // the examples' newest three days ago, so Today has follow-ups due.
    let sets: &[(MailSet, i64)] = if mail_in {
        &[]
    } else {
        &[(EXAMPLES, 3), (DEMO_MAIL, 1)]
    };
    for &(set, newest) in sets {
        let shift = days_to(set, today - chrono::Duration::days(newest));
        for (name, raw) in set.iter() {
            let raw = shift_date(raw, shift);
            let parsed = parse_message(&raw, &ParseLimits::default())
                .map_err(|e| WebError::Internal(format!("example {name}: {e}")))?;
            let position = batch.len() as i64 + 1;
            batch.push(NewMessage {
                parsed,
                raw,
                source: format!("example:{name}"),
                position,
            });
        }
    }
    if !batch.is_empty() {
        store.insert_messages(&batch).await?;
        store
            .set_setting(DEMO_MAIL_SETTING, &today.to_string())
            .await?;
    }
    // Threads go to the reps in turn; the newest example goes to the second rep.
    let threads = store
        .list_threads(&ThreadFilter {
            limit: 1000,
            ..Default::default()
        })
        .await?;
    for (i, t) in threads.iter().enumerate() {
        if t.owner_user_id.is_none() {
            store.set_thread_owner(t.id, Some(reps[i % 2])).await?;
        }
    }

    let catalogue = Catalogue::read(CATALOGUE)
        .map_err(|e| WebError::Internal(format!("demo catalogue: {e}")))?;
    store.upsert_catalogue(&catalogue.products).await?;

    let deals = history(chrono::Utc::now().date_naive());
    store.upsert_deals(&deals, "demo").await?;
    store.assign_deal_owners().await?;

    let domains: Vec<String> = vec![DEMO_SELLER_DOMAIN.to_string()];
    let leads = engine::LeadScorer::new(std::time::Duration::from_secs(60));
    engine::analyse_backlog(store, &domains, lang, 10_000, Some(&leads)).await?;
    let checks = background_checks(store, lang).await?;
    Ok(DemoSummary {
        threads: threads.len(),
        deals: deals.len(),
        products: catalogue.products.len(),
        checks,
    })
}

/// Background checks of the demo's buyers, made against the bundled sites (served on
/// loopback for the time it takes) and, for free-mail senders, from the address alone; kept
/// as each thread's report. Threads that already have one are left as they are.
async fn background_checks(store: &dyn Store, lang: Lang) -> Result<usize, WebError> {
    let (addr, server) = crate::demo_sites::serve().await?;
    let bundled = crate::demo_sites::domains();
    let mut options = tradescout_scout::ScoutOptions {
        max_pages: 10,
        network_lookups: false,
        lang,
        ..Default::default()
    };
    // Only the bundled domains resolve, and only to the loopback server above.
    options.fetch.allow_private = true;
    options.fetch.resolve = bundled.iter().map(|d| (d.to_string(), addr)).collect();
    options.fetch.politeness = std::time::Duration::ZERO;
    let threads = store
        .list_threads(&ThreadFilter {
            limit: 1000,
            ..Default::default()
        })
        .await?;
    let mut made = 0;
    for t in &threads {
        let Some(email) = t.buyer_email.as_deref() else {
            continue;
        };
        let Ok(target) = tradescout_scout::target::resolve(email) else {
            continue;
        };
        let offline = target.start_url.is_none()
            || target
                .domain
                .as_deref()
                .is_some_and(|d| bundled.contains(&d));
        if !offline || store.latest_report(t.id).await?.is_some() {
            continue;
        }
        let report = match tradescout_scout::scout(email, &options, None).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!("demo background check of {email}: {e}");
                continue;
            }
        };
        let result =
            serde_json::to_value(&report).map_err(|e| WebError::Internal(e.to_string()))?;
        store
            .save_report(&tradescout_store::NewReport {
                target: email.to_string(),
                thread_id: Some(t.id),
                fit_score: Some(i64::from(report.fit.score)),
                risk_score: Some(i64::from(report.risk.score)),
                result,
            })
            .await?;
        made += 1;
    }
    server.abort();
    Ok(made)
}

/// Whole days from the newest `Date:` of `set` to `target` (0 when none is readable).
fn days_to(set: &[(&str, &[u8])], target: chrono::NaiveDate) -> i64 {
    set.iter()
        .filter_map(|(_, raw)| date_header(raw).map(|(_, _, d)| d.date_naive()))
        .max()
        .map_or(0, |newest| (target - newest).num_days())
}

/// The `Date:` header of a message: where its value starts and ends, and the date.
fn date_header(raw: &[u8]) -> Option<(usize, usize, chrono::DateTime<chrono::FixedOffset>)> {
    let mut at = 0;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        if line == b"\n" || line == b"\r\n" {
            return None; // the headers ended
        }
        if line.len() > 5 && line[..5].eq_ignore_ascii_case(b"date:") {
            let value = std::str::from_utf8(&line[5..]).ok()?;
            let date = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
            let end = at + line.len() - (line.len() - line.trim_ascii_end().len());
            return Some((at + 5, end, date));
        }
        at += line.len();
    }
    None
}

/// `raw` with its `Date:` moved by `days`.
fn shift_date(raw: &[u8], days: i64) -> Vec<u8> {
    match date_header(raw) {
        Some((start, end, date)) if days != 0 => {
            let moved = date + chrono::Duration::days(days);
            let mut out = Vec::with_capacity(raw.len() + 8);
            out.extend_from_slice(&raw[..start]);
            out.push(b' ');
            out.extend_from_slice(moved.to_rfc2822().as_bytes());
            out.extend_from_slice(&raw[end..]);
            out
        }
        _ => raw.to_vec(),
    }
}

/// A year of deal history with known tendencies (referrals and exhibitions convert best,
/// platform leads worst; price is the most common loss reason), deterministic so that a
/// rebuilt demo is the same demo.
pub fn history(today: chrono::NaiveDate) -> Vec<Deal> {
    const SOURCES: &[(&str, f64)] = &[
        ("alibaba", 0.12),
        ("made-in-china", 0.10),
        ("website", 0.22),
        ("exhibition", 0.35),
        ("referral", 0.45),
        ("email", 0.15),
    ];
    const COUNTRIES: &[(&str, f64)] = &[
        ("US", 1.0),
        ("DE", 1.2),
        ("GB", 1.1),
        ("AU", 1.1),
        ("AE", 0.9),
        ("BR", 0.7),
        ("ES", 1.0),
        ("MX", 0.8),
        ("PL", 1.0),
        ("SA", 0.8),
        ("NG", 0.4),
    ];
    const PRODUCTS: &[(&str, f64)] = &[
        ("LED flood light", 9.5),
        ("Solar street light", 38.0),
        ("LED panel light", 6.2),
        ("UFO high bay", 21.0),
        ("LED underwater light", 15.0),
    ];
    const LOSS: &[&str] = &[
        "price",
        "price",
        "price",
        "lead_time",
        "certification",
        "payment_terms",
        "competitor",
        "no_response",
        "no_response",
    ];
    const SALESPEOPLE: &[&str] = &["li.wei", "anna"];
    let mut rng = Rng(0x5eed_cafe_f00d_u64);
    let mut deals = Vec::new();
    for n in 0..1200u32 {
        let days_ago = (rng.next() % 365) as i64;
        let created = today - chrono::Duration::days(days_ago);
        let (source, base) = SOURCES[(rng.next() % SOURCES.len() as u64) as usize];
        let (country, factor) = COUNTRIES[(rng.next() % COUNTRIES.len() as u64) as usize];
        let (product, price) = PRODUCTS[(rng.next() % PRODUCTS.len() as u64) as usize];
        let salesperson = SALESPEOPLE[(rng.next() % 2) as usize];
        let p_win = (base * factor).min(0.9);
        let quantity = (50 + rng.next() % 20 * 50) as f64;
        let open = days_ago < 45 && rng.unit() < 0.6;
        let won = !open && rng.unit() < p_win;
        let stage = if won {
            Stage::Implementation
        } else {
            // Lost and open deals stall along the way, most early.
            let r = rng.unit();
            if r < 0.45 {
                Stage::NeedRecognition
            } else if r < 0.75 {
                Stage::Evaluation
            } else if r < 0.92 {
                Stage::Concerns
            } else {
                Stage::Decision
            }
        };
        let outcome = if open {
            Outcome::Open
        } else if won {
            Outcome::Won
        } else {
            Outcome::Lost
        };
        let closed =
            (!open).then(|| created + chrono::Duration::days(7 + (rng.next() % 60) as i64));
        let closed = closed.map(|c| c.min(today));
        deals.push(Deal {
            id: format!("D-{:04}", n + 1),
            created,
            closed,
            source: (*source).into(),
            country: (*country).into(),
            company: format!("{country} Buyer {}", n % 97 + 1).into(),
            product: (*product).into(),
            salesperson: (*salesperson).into(),
            stage_reached: stage,
            outcome,
            loss_reason: (outcome == Outcome::Lost)
                .then(|| LOSS[(rng.next() % LOSS.len() as u64) as usize].into()),
            amount: won.then(|| (price * quantity * 100.0).round() / 100.0),
            currency: Some("USD".into()),
            quantity: Some(quantity),
            extra: Default::default(),
        });
    }
    deals.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
    deals
}

/// xorshift64*: small, deterministic, good enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_by_whole_days_and_nothing_else_changes() {
        let raw = b"From: a@b.c\r\nDate: Mon, 2 Nov 2026 16:20:00 +0800\r\nSubject: x\r\n\r\nDate: not me\r\n";
        let moved = shift_date(raw, 30);
        let text = String::from_utf8_lossy(&moved);
        assert!(
            text.starts_with("From: a@b.c\r\nDate: Wed, 2 Dec 2026 16:20:00 +0800\r\nSubject: x\r\n\r\nDate: not me"),
            "{text}"
        );
        assert_eq!(shift_date(raw, 0), raw.to_vec());
        assert_eq!(
            shift_date(b"Subject: none\r\n\r\nbody", 5),
            b"Subject: none\r\n\r\nbody".to_vec()
        );
    }

    #[test]
    fn the_demo_mail_is_a_month_ending_yesterday() {
        let today = chrono::NaiveDate::from_ymd_opt(2027, 3, 10).unwrap_or_default();
        let shift = days_to(DEMO_MAIL, today - chrono::Duration::days(1));
        let dates: Vec<chrono::NaiveDate> = DEMO_MAIL
            .iter()
            .filter_map(|(_, raw)| {
                date_header(&shift_date(raw, shift)).map(|(_, _, d)| d.date_naive())
            })
            .collect();
        assert_eq!(
            dates.len(),
            DEMO_MAIL.len(),
            "every demo mail has a readable date"
        );
        assert_eq!(
            dates.iter().max().copied(),
            Some(today - chrono::Duration::days(1))
        );
        let first = dates.iter().min().copied().unwrap_or(today);
        assert!((today - first).num_days() >= 28, "a month of mail: {first}");
    }

    #[test]
    fn the_demo_history_is_a_year_of_mixed_outcomes_and_the_same_every_time() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let a = history(today);
        assert_eq!(a, history(today));
        assert_eq!(a.len(), 1200);
        let won = a.iter().filter(|d| d.outcome == Outcome::Won).count();
        let lost = a.iter().filter(|d| d.outcome == Outcome::Lost).count();
        assert!(won > 100 && lost > 500, "won {won}, lost {lost}");
        assert!(a
            .iter()
            .all(|d| d.created <= today && d.closed.is_none_or(|c| c <= today)));
    }
}
