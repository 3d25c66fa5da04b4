//! One behaviour suite, run against both backends: SQLite always, PostgreSQL when
//! `scripts/test` has started one (TRADESCOUT_TEST_PG_URL).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tradescout_mail::{parse_message, ParseLimits};
use tradescout_store::*;

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

struct Db {
    store: Arc<dyn Store>,
    url: String,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Result<Option<Db>, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite:{}", dir.path().join("t.sqlite").display());
    Ok(Some(Db {
        store: open(&url).await?,
        url,
        _dir: Some(dir),
    }))
}

static PG_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh PostgreSQL database per test, so tests can run in parallel.
async fn postgres() -> Result<Option<Db>, Box<dyn std::error::Error>> {
    let Ok(admin_url) = std::env::var("TRADESCOUT_TEST_PG_URL") else {
        if std::env::var("CI").as_deref() == Ok("true") {
            return Err(
                "TRADESCOUT_TEST_PG_URL is not set but CI=true: scripts/test must start PostgreSQL"
                    .into(),
            );
        }
        eprintln!("skipped: TRADESCOUT_TEST_PG_URL not set (run scripts/test)");
        return Ok(None);
    };
    let name = format!(
        "ts_{}_{}_{}",
        std::process::id(),
        PG_COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    );
    let admin = sqlx::PgPool::connect(&admin_url).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await?;
    admin.close().await;
    let (base, _) = admin_url
        .rsplit_once('/')
        .ok_or("TRADESCOUT_TEST_PG_URL has no database part")?;
    let url = format!("{base}/{name}");
    Ok(Some(Db {
        store: open(&url).await?,
        url,
        _dir: None,
    }))
}

fn message(raw: &str, source: &str, position: i64) -> NewMessage {
    let raw = raw.replace('\n', "\r\n").into_bytes();
    let parsed = parse_message(&raw, &ParseLimits::default())
        .unwrap_or_else(|e| panic!("fixture does not parse: {e}"));
    NewMessage {
        parsed,
        raw,
        source: source.into(),
        position,
    }
}

const INQUIRY: &str = "From: Tom Baker <tom@greenlight.co.uk>\nTo: sales@ningbo-lighting.cn\nMessage-ID: <inq-1@greenlight.co.uk>\nSubject: Inquiry: 100W LED flood light IP65\nDate: Mon, 3 Mar 2025 10:00:00 +0000\n\nPlease quote 500 pcs 100W floodlights, FOB Ningbo.\n";
const QUOTE: &str = "From: Lily <sales@ningbo-lighting.cn>\nTo: tom@greenlight.co.uk\nMessage-ID: <q-1@ningbo-lighting.cn>\nIn-Reply-To: <inq-1@greenlight.co.uk>\nReferences: <inq-1@greenlight.co.uk>\nSubject: Re: Inquiry: 100W LED flood light IP65\nDate: Tue, 4 Mar 2025 09:00:00 +0800\n\nDear Tom, USD 12.50/pc FOB Ningbo.\n";
const FOLLOW_UP: &str = "From: Tom Baker <tom@greenlight.co.uk>\nTo: sales@ningbo-lighting.cn\nMessage-ID: <inq-2@greenlight.co.uk>\nIn-Reply-To: <q-1@ningbo-lighting.cn>\nReferences: <inq-1@greenlight.co.uk> <q-1@ningbo-lighting.cn>\nSubject: RE: Re: Inquiry: 100W LED flood light IP65\nDate: Wed, 5 Mar 2025 11:00:00 +0000\n\nCan you do 11.80 for 1000 pcs?\n";
const OTHER_BUYER: &str = "From: Ana <ana@compras.es>\nTo: sales@ningbo-lighting.cn\nMessage-ID: <x-9@compras.es>\nSubject: Inquiry: 100W LED flood light IP65\nDate: Thu, 6 Mar 2025 08:00:00 +0100\n\nPrecio por favor.\n";

async fn a_message_is_stored_once_whatever_the_batch(db: Db) -> TestResult {
    let s = &db.store;
    let first = s
        .insert_messages(&[message(INQUIRY, "a.mbox", 1), message(INQUIRY, "a.mbox", 2)])
        .await?;
    assert!(first[0].is_new());
    assert!(
        !first[1].is_new(),
        "same content in one batch is a duplicate"
    );
    let again = s.insert_messages(&[message(INQUIRY, "b.eml", 1)]).await?;
    assert!(!again[0].is_new());
    assert_eq!(again[0].thread(), first[0].thread());
    assert_eq!(s.count_messages().await?, 1);
    Ok(())
}

async fn raw_bytes_come_back_byte_exact(db: Db) -> TestResult {
    let mut raw = b"From: x@buyer.ru\r\nSubject: =?koi8-r?B?8NLJ18XU?=\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n".to_vec();
    raw.extend_from_slice(&[0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, b'\r', b'\n', 0x00, 0xff]);
    let parsed = parse_message(&raw, &ParseLimits::default())?;
    let out = db
        .store
        .insert_messages(&[NewMessage {
            parsed,
            raw: raw.clone(),
            source: "x".into(),
            position: 1,
        }])
        .await?;
    let InsertOutcome::New { message, .. } = out[0] else {
        panic!("not new")
    };
    assert_eq!(db.store.message_raw(message).await?, Some(raw));
    assert_eq!(db.store.message_raw(message + 1000).await?, None);
    Ok(())
}

async fn replies_join_their_thread_in_any_arrival_order(db: Db) -> TestResult {
    let s = &db.store;
    // The follow-up arrives first, then the quote, then the original inquiry.
    let a = s.insert_messages(&[message(FOLLOW_UP, "m", 1)]).await?;
    let b = s.insert_messages(&[message(QUOTE, "m", 2)]).await?;
    let c = s
        .insert_messages(&[message(INQUIRY, "m", 3), message(OTHER_BUYER, "m", 4)])
        .await?;
    assert_eq!(a[0].thread(), b[0].thread());
    assert_eq!(b[0].thread(), c[0].thread());
    assert_ne!(
        c[1].thread(),
        c[0].thread(),
        "another buyer with the same subject is another thread"
    );
    let detail = s.thread(a[0].thread()).await?.ok_or("thread missing")?;
    assert_eq!(detail.summary.message_count, 3);
    let order: Vec<_> = detail
        .messages
        .iter()
        .map(|m| m.message_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        order,
        [
            "inq-1@greenlight.co.uk",
            "q-1@ningbo-lighting.cn",
            "inq-2@greenlight.co.uk"
        ]
    );
    assert_eq!(
        detail.summary.first_at.as_deref(),
        Some("2025-03-03T10:00:00Z")
    );
    assert_eq!(
        detail.summary.last_at.as_deref(),
        Some("2025-03-05T11:00:00Z")
    );
    assert!(detail
        .summary
        .participants
        .contains(&"tom@greenlight.co.uk".to_string()));
    Ok(())
}

async fn a_reply_and_its_parent_in_one_batch_share_a_thread_in_either_order(db: Db) -> TestResult {
    let s = &db.store;
    let out = s
        .insert_messages(&[
            message(FOLLOW_UP, "m", 1),
            message(QUOTE, "m", 2),
            message(INQUIRY, "m", 3),
        ])
        .await?;
    assert_eq!(out.iter().filter(|o| o.is_new()).count(), 3);
    assert_eq!(out[0].thread(), out[1].thread());
    assert_eq!(out[1].thread(), out[2].thread());
    let list = s.list_threads(&ThreadFilter::default()).await?;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].message_count, 3);
    Ok(())
}

async fn subject_fallback_threads_platform_mail_without_references(db: Db) -> TestResult {
    let s = &db.store;
    let q = "From: buyer@outlook.com\nTo: me@factory.cn\nSubject: Solar street light 60W\nDate: Mon, 3 Mar 2025 10:00:00 +0000\n\nprice?\n";
    let r = "From: me@factory.cn\nTo: buyer@outlook.com\nSubject: 回复：Solar street light 60W\nDate: Mon, 3 Mar 2025 12:00:00 +0000\n\nUSD 45\n";
    let out = s
        .insert_messages(&[message(q, "m", 1), message(r, "m", 2)])
        .await?;
    assert_eq!(out[0].thread(), out[1].thread());
    Ok(())
}

async fn threads_are_listed_newest_first_and_missing_ones_are_none(db: Db) -> TestResult {
    let s = &db.store;
    s.insert_messages(&[message(INQUIRY, "m", 1), message(OTHER_BUYER, "m", 2)])
        .await?;
    let list = s.list_threads(&ThreadFilter::default()).await?;
    assert_eq!(list.len(), 2);
    assert!(list[0].last_at >= list[1].last_at);
    assert!(s.thread(999_999).await?.is_none());
    let mine = s
        .list_threads(&ThreadFilter {
            owner_user_id: Some(42),
            ..Default::default()
        })
        .await?;
    assert!(mine.is_empty());
    Ok(())
}

/// The ids of the threads a search finds, smallest first.
async fn search(s: &Arc<dyn Store>, words: &str) -> Result<Vec<i64>, Box<dyn std::error::Error>> {
    let filter = ThreadFilter {
        search: Some(words.to_string()),
        ..Default::default()
    };
    let mut ids: Vec<i64> = s
        .list_threads(&filter)
        .await?
        .iter()
        .map(|t| t.id)
        .collect();
    ids.sort();
    assert_eq!(
        s.count_threads(&filter).await?,
        ids.len() as i64,
        "count and list disagree for {words:?}"
    );
    Ok(ids)
}

/// An analysis of the Spanish buyer's thread that names their company.
fn spanish_buyer_at(company: &str) -> ThreadAnalysis {
    ThreadAnalysis {
        analyzer_version: "t".into(),
        stage: "evaluation".into(),
        stage_confidence: 0.5,
        top_concern: None,
        language: Some("es".into()),
        country: Some("ES".into()),
        buyer_email: Some("ana@compras.es".into()),
        company: Some(company.into()),
        is_spam: false,
        spam_score: 0.0,
        result: serde_json::json!({}),
        deal: None,
    }
}

async fn inbox_search_finds_words_in_subject_participants_and_company_in_any_case(
    db: Db,
) -> TestResult {
    let s = &db.store;
    let out = s
        .insert_messages(&[message(INQUIRY, "m", 1), message(OTHER_BUYER, "m", 2)])
        .await?;
    let (uk, es) = (out[0].thread(), out[1].thread());
    s.save_analysis(es, &spanish_buyer_at("Iluminación Müller S.L."))
        .await?;
    // Subject words in another case; a word both threads share; both words must match.
    assert_eq!(search(s, "FLOOD").await?, vec![uk, es]);
    assert_eq!(search(s, "flood compras").await?, vec![es]);
    // An address fragment, punctuation included.
    assert_eq!(search(s, "tom@greenlight").await?, vec![uk]);
    // The company set by the analysis, non-ASCII, in another case.
    assert_eq!(search(s, "iluminación müller").await?, vec![es]);
    // Words shorter than three characters still search (by scanning).
    assert_eq!(search(s, "UK").await?, vec![uk]);
    // LIKE and phrase syntax in a word is literal text, not a pattern or an operator.
    assert!(search(s, "100%").await?.is_empty());
    assert!(search(s, "\"flood\" OR *").await?.is_empty());
    assert!(search(s, "nothing-like-this").await?.is_empty());
    // A later analysis that names another company replaces the searched text.
    let renamed = spanish_buyer_at("Compras Norte S.A.");
    s.save_analysis(es, &renamed).await?;
    s.save_analysis(es, &renamed).await?;
    assert!(search(s, "müller").await?.is_empty());
    assert_eq!(search(s, "norte").await?, vec![es]);
    Ok(())
}

async fn a_batch_of_analyses_is_kept_with_lead_scores_and_replaces_earlier_ones(
    db: Db,
) -> TestResult {
    let s = &db.store;
    let out = s
        .insert_messages(&[message(INQUIRY, "m", 1), message(OTHER_BUYER, "m", 2)])
        .await?;
    let (uk, es) = (out[0].thread(), out[1].thread());
    assert_eq!(s.unanalysed_threads(10, "t").await?, vec![uk, es]);
    s.set_lead_score(uk, Some(0.25)).await?;
    let batch = |es_score| {
        vec![
            AnalysedThread {
                thread_id: uk,
                analysis: spanish_buyer_at("First Ltd"),
                lead_score: None,
            },
            AnalysedThread {
                thread_id: es,
                analysis: spanish_buyer_at("Iluminación Müller S.L."),
                lead_score: es_score,
            },
        ]
    };
    s.save_analyses(&batch(Some(0.75))).await?;
    s.save_analyses(&batch(None)).await?;
    s.save_analyses(&[]).await?;
    assert!(s.unanalysed_threads(10, "t").await?.is_empty());
    // Analyses made by another version (other models) are due again.
    assert_eq!(s.unanalysed_threads(10, "t2").await?, vec![uk, es]);
    let listed = s.list_threads(&ThreadFilter::default()).await?;
    let get = |id| listed.iter().find(|t| t.id == id);
    let (uk_row, es_row) = (get(uk).ok_or("uk listed")?, get(es).ok_or("es listed")?);
    // No score given leaves the stored one; a given score is kept through a later batch.
    assert_eq!(uk_row.lead_score, Some(0.25));
    assert_eq!(es_row.lead_score, Some(0.75));
    assert_eq!(es_row.company.as_deref(), Some("Iluminación Müller S.L."));
    assert_eq!(es_row.stage.as_deref(), Some("evaluation"));
    assert!(s.latest_analysis(uk).await?.is_some());
    assert_eq!(search(s, "first").await?, vec![uk]);
    Ok(())
}

async fn an_analysed_inquiry_opens_one_deal_that_follows_it_until_a_person_moves_it(
    db: Db,
) -> TestResult {
    let s = &db.store;
    let out = s
        .insert_messages(&[message(INQUIRY, "m", 1), message(OTHER_BUYER, "m", 2)])
        .await?;
    let (uk, es) = (out[0].thread(), out[1].thread());
    let genuine = |stage: &str| ThreadAnalysis {
        stage: stage.into(),
        deal: Some(ThreadDeal {
            product: Some("LED flood light 100W".into()),
            quantity: Some(500.0),
            amount: Some(5750.0),
            currency: Some("USD".into()),
        }),
        ..spanish_buyer_at("Iluminación Müller S.L.")
    };
    let open = |s: Arc<dyn Store>| async move {
        s.list_deals(&DealFilter {
            outcome: Some("open".into()),
            limit: 100,
            ..Default::default()
        })
        .await
    };
    s.save_analysis(es, &genuine("evaluation")).await?;
    s.save_analysis(es, &genuine("evaluation")).await?;
    let deals = open(s.clone()).await?;
    assert_eq!(
        deals.len(),
        1,
        "one deal per thread, however often analysed"
    );
    let deal = &deals[0];
    assert_eq!(deal.id, format!("thread-{es}"));
    assert_eq!(deal.thread_id, Some(es));
    assert_eq!(deal.company.as_deref(), Some("Iluminación Müller S.L."));
    assert_eq!(deal.product.as_deref(), Some("LED flood light 100W"));
    assert_eq!(
        (deal.amount, deal.currency.as_deref()),
        (Some(5750.0), Some("USD"))
    );
    assert_eq!(deal.source.as_deref(), Some("inquiry"));
    assert_eq!(deal.stage, "evaluation");

    // Analysis moves it while nobody has; the history says so.
    s.save_analysis(es, &genuine("concerns")).await?;
    assert_eq!(open(s.clone()).await?[0].stage, "concerns");
    let history = s.deal_history(&deal.id).await?;
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|h| h.2 == ANALYSIS_AUTHOR));

    // A person moves it: later analyses no longer do, and spam no longer removes it.
    s.set_deal_stage(&deal.id, tradescout_core::Stage::Decision, "lily", None)
        .await?;
    s.save_analysis(es, &genuine("evaluation")).await?;
    assert_eq!(open(s.clone()).await?[0].stage, "decision");
    let spam = ThreadAnalysis {
        is_spam: true,
        deal: None,
        ..genuine("need_recognition")
    };
    s.save_analysis(es, &spam).await?;
    assert_eq!(open(s.clone()).await?.len(), 1);

    // Spam never opens a deal, and removes one that only analysis made.
    s.save_analysis(uk, &genuine("evaluation")).await?;
    assert_eq!(open(s.clone()).await?.len(), 2);
    s.save_analysis(uk, &spam).await?;
    let left = open(s.clone()).await?;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].thread_id, Some(es));

    // The deal goes with its thread to a new owner.
    let owner = s
        .create_user(&NewUser {
            name: "anna".into(),
            role: UserRole::Rep,
            password_hash: "x".into(),
            lang: None,
        })
        .await?;
    s.set_thread_owner(es, Some(owner)).await?;
    assert_eq!(
        s.deal_owner(&format!("thread-{es}")).await?,
        Some(Some(owner))
    );
    Ok(())
}

async fn imap_state_is_upserted(db: Db) -> TestResult {
    let s = &db.store;
    assert_eq!(s.imap_state("u@h", "INBOX").await?, None);
    s.set_imap_state(
        "u@h",
        "INBOX",
        ImapState {
            uidvalidity: 7,
            last_uid: 10,
        },
    )
    .await?;
    s.set_imap_state(
        "u@h",
        "INBOX",
        ImapState {
            uidvalidity: 7,
            last_uid: u32::MAX,
        },
    )
    .await?;
    assert_eq!(
        s.imap_state("u@h", "INBOX").await?,
        Some(ImapState {
            uidvalidity: 7,
            last_uid: u32::MAX
        })
    );
    assert_eq!(s.imap_state("u@h", "Sent").await?, None);
    Ok(())
}

async fn a_job_is_claimed_by_one_worker_only(db: Db) -> TestResult {
    let s = &db.store;
    let id = s
        .enqueue_job(&NewJob {
            kind: "scout".into(),
            payload: serde_json::json!({"target": "greenlight.co.uk"}),
            owner_user_id: None,
        })
        .await?;
    let claimed = s.claim_job("w1").await?.ok_or("nothing claimed")?;
    assert_eq!(claimed.id, id);
    assert_eq!(claimed.status, "running");
    assert_eq!(claimed.attempts, 1);
    assert!(s.claim_job("w2").await?.is_none());
    s.finish_job(id, JobOutcome::Done(serde_json::json!({"ok": true})))
        .await?;
    let job = s.job(id).await?.ok_or("job missing")?;
    assert_eq!(job.status, "done");
    assert_eq!(job.result, Some(serde_json::json!({"ok": true})));
    Ok(())
}

async fn deals_are_upserted_by_id_and_load_back_unchanged(db: Db) -> TestResult {
    let csv = "id,created,closed,source,country,company,product,salesperson,stage_reached,outcome,loss_reason,amount,currency,quantity,fit\n\
               D1,2025-01-05,2025-02-01,alibaba,GB,Greenlight,flood light,lily,decision,won,,12000.5,USD,1000,80\n\
               D2,2025-01-07,,website,DE,Licht GmbH,panel,tom,evaluation,open,,,,,\n";
    let (deals, errors) = tradescout_insights::parse_deals_csv(csv)?;
    assert!(errors.is_empty());
    assert_eq!(db.store.count_deals().await?, 0);
    assert_eq!(db.store.upsert_deals(&deals, "import").await?, (2, 0));
    let mut changed = deals.clone();
    changed[1].stage_reached = tradescout_core::Stage::Concerns;
    assert_eq!(db.store.upsert_deals(&changed, "import").await?, (0, 2));
    assert_eq!(db.store.count_deals().await?, 2, "updated, not added again");
    let loaded = db.store.load_deals().await?;
    assert_eq!(loaded, changed);
    Ok(())
}

async fn deals_with_awkward_text_load_back_exactly_and_oldest_first(db: Db) -> TestResult {
    // Commas, quotes, a line break, the text NULL is written as in bulk copies, an empty
    // extra value, non-ASCII; and rows stored newest first.
    let csv = "id,created,closed,source,country,company,product,salesperson,stage_reached,outcome,loss_reason,amount,currency,quantity,note\n\
               Z9,2025-03-02,2025-03-09,email,CN,\"Acme, \"\"Best\"\" Ltd\",\"flood\nlight\",王丽,decision,lost,\"\\N\",,,,\"a,b\"\n\
               A1,2025-03-01,,website,,,,,need_recognition,open,,,,,\n\
               B2,2025-03-02,,alibaba,DE,Müller GmbH,panel,tom,evaluation,open,,0.5,EUR,3,\n";
    let (mut deals, errors) = tradescout_insights::parse_deals_csv(csv)?;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(deals.len(), 3);
    db.store.upsert_deals(&deals, "import").await?;
    let loaded = db.store.load_deals().await?;
    deals.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
    assert_eq!(loaded, deals);
    Ok(())
}

async fn a_deal_moves_through_stages_with_history_and_closes_with_a_reason(db: Db) -> TestResult {
    let csv = "id,created,stage_reached,outcome\nD9,2025-03-01,evaluation,open\n";
    let (deals, _) = tradescout_insights::parse_deals_csv(csv)?;
    db.store.upsert_deals(&deals, "import").await?;
    assert!(
        db.store
            .set_deal_stage(
                "D9",
                tradescout_core::Stage::Concerns,
                "lily",
                Some("asked for warranty")
            )
            .await?
    );
    assert!(
        !db.store
            .set_deal_stage("nope", tradescout_core::Stage::Concerns, "lily", None)
            .await?
    );
    let close = DealClose {
        outcome: tradescout_core::Outcome::Lost,
        loss_reason: Some("price too high".into()),
        closed: "2025-04-01".into(),
        amount: None,
        currency: None,
        quantity: None,
        changed_by: "lily".into(),
    };
    assert!(db.store.close_deal("D9", &close).await?);
    let history = db.store.deal_history("D9").await?;
    let stages: Vec<&str> = history.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(stages, ["evaluation", "concerns"]);
    assert_eq!(history[1].2, "lily");
    let loaded = db.store.load_deals().await?;
    assert_eq!(loaded[0].outcome, tradescout_core::Outcome::Lost);
    assert_eq!(loaded[0].loss_reason.as_deref(), Some("price too high"));
    Ok(())
}

async fn ai_usage_adds_up_since_a_date(db: Db) -> TestResult {
    let u = LlmUsage {
        model: "m".into(),
        purpose: "draft".into(),
        prompt_tokens: 100,
        completion_tokens: 20,
        latency_ms: 800,
    };
    db.store.record_llm_usage(&u).await?;
    db.store.record_llm_usage(&u).await?;
    assert_eq!(
        db.store.llm_tokens_since("2000-01-01T00:00:00Z").await?,
        240
    );
    assert_eq!(db.store.llm_tokens_since("2999-01-01T00:00:00Z").await?, 0);
    Ok(())
}

async fn reopening_a_migrated_database_keeps_its_data(db: Db) -> TestResult {
    db.store
        .insert_messages(&[message(INQUIRY, "m", 1)])
        .await?;
    let again = open(&db.url).await?;
    assert_eq!(again.count_messages().await?, 1);
    Ok(())
}

/// Many writers at once, through two stores on one database (the server and an import run
/// side by side): every write waits its turn and lands, none fails with "database is locked".
async fn concurrent_writers_wait_instead_of_failing(db: Db) -> TestResult {
    let mut csv = String::from("id,created,stage_reached,outcome\n");
    for i in 0..30 {
        csv.push_str(&format!("C{i},2025-03-01,evaluation,open\n"));
    }
    let (deals, _) = tradescout_insights::parse_deals_csv(&csv)?;
    db.store.upsert_deals(&deals, "import").await?;
    let second = open(&db.url).await?;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..30 {
        let store = if i % 2 == 0 {
            db.store.clone()
        } else {
            second.clone()
        };
        tasks.spawn(async move {
            store
                .set_deal_stage(
                    &format!("C{i}"),
                    tradescout_core::Stage::Concerns,
                    "lily",
                    None,
                )
                .await
                .map(|_| ())
        });
    }
    for i in 0..8 {
        let store = if i % 2 == 0 {
            second.clone()
        } else {
            db.store.clone()
        };
        tasks.spawn(async move {
            let raw = format!(
                "From: buyer{i}@example.com\nMessage-ID: <c-{i}@example.com>\nSubject: RFQ {i}\n\nPlease quote {i}00 pcs.\n"
            );
            store
                .insert_messages(&[message(&raw, "concurrent", i)])
                .await
                .map(|_| ())
        });
    }
    let mut failures = Vec::new();
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done? {
            failures.push(e.to_string());
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(db.store.count_messages().await?, 8);
    let moved = db
        .store
        .load_deals()
        .await?
        .iter()
        .filter(|d| d.stage_reached == tradescout_core::Stage::Concerns)
        .count();
    assert_eq!(moved, 30);
    Ok(())
}

/// A correction is kept with who made it and when, per thread and all together.
async fn corrections_are_kept_with_who_and_when(db: Db) -> TestResult {
    db.store
        .insert_messages(&[message(INQUIRY, "t", 0)])
        .await?;
    let thread = db
        .store
        .list_threads(&ThreadFilter::default())
        .await?
        .first()
        .map(|t| t.id)
        .ok_or("no thread")?;
    let lily = db
        .store
        .create_user(&NewUser {
            name: "lily".into(),
            role: UserRole::Rep,
            password_hash: "x".into(),
            lang: None,
        })
        .await?;
    for (field, value) in [
        ("stage", "concerns"),
        ("spam", "not_spam"),
        ("stage", "decision"),
    ] {
        db.store
            .add_correction(&NewCorrection {
                thread_id: thread,
                field: field.into(),
                value: value.into(),
                user_id: Some(lily),
            })
            .await?;
    }
    let mine = db.store.corrections(Some(thread)).await?;
    assert_eq!(mine.len(), 3);
    assert_eq!(mine[2].value, "decision");
    assert_eq!(mine[0].by.as_deref(), Some("lily"));
    assert!(!mine[0].at.is_empty());
    assert_eq!(db.store.corrections(None).await?.len(), 3);
    assert!(db.store.corrections(Some(thread + 1000)).await?.is_empty());
    Ok(())
}

macro_rules! suite {
    ($($case:ident),+ $(,)?) => {
        mod sqlite_backend {
            $(#[tokio::test] async fn $case() -> super::TestResult {
                match super::sqlite().await? { Some(db) => super::$case(db).await, None => Ok(()) }
            })+
        }
        mod postgres_backend {
            $(#[tokio::test] async fn $case() -> super::TestResult {
                match super::postgres().await? { Some(db) => super::$case(db).await, None => Ok(()) }
            })+
        }
    };
}

suite!(
    a_message_is_stored_once_whatever_the_batch,
    raw_bytes_come_back_byte_exact,
    replies_join_their_thread_in_any_arrival_order,
    subject_fallback_threads_platform_mail_without_references,
    a_reply_and_its_parent_in_one_batch_share_a_thread_in_either_order,
    threads_are_listed_newest_first_and_missing_ones_are_none,
    imap_state_is_upserted,
    a_job_is_claimed_by_one_worker_only,
    reopening_a_migrated_database_keeps_its_data,
    deals_are_upserted_by_id_and_load_back_unchanged,
    deals_with_awkward_text_load_back_exactly_and_oldest_first,
    ai_usage_adds_up_since_a_date,
    a_deal_moves_through_stages_with_history_and_closes_with_a_reason,
    inbox_search_finds_words_in_subject_participants_and_company_in_any_case,
    a_batch_of_analyses_is_kept_with_lead_scores_and_replaces_earlier_ones,
    concurrent_writers_wait_instead_of_failing,
    corrections_are_kept_with_who_and_when,
    an_analysed_inquiry_opens_one_deal_that_follows_it_until_a_person_moves_it,
);
