//! The web app's calls into the domain: turning what a person pastes or uploads into stored
//! messages, analysing stored threads, coaching with the stored catalogue, scoring leads.
//! CPU-bound work runs on the blocking pool, never on the async runtime.

use crate::WebError;
use std::sync::Arc;
use tradescout_analyze::{Role, ThreadInput};
use tradescout_coach::{coach_in, Catalogue, CoachInput, Coaching, ReplyLang};
use tradescout_core::analysis::Analysis;
use tradescout_core::{Lang, Outcome};
use tradescout_insights::lead_score::LeadScoreModel;
use tradescout_insights::Deal;
use tradescout_intake::IntakeError;
use tradescout_mail::mbox::MboxReader;
use tradescout_mail::parse::looks_like_message;
use tradescout_mail::{parse_message, Message, ParseLimits};
use tradescout_store::{
    AnalysedThread, NewMessage, Store, ThreadAnalysis, ThreadDeal, ThreadDetail,
};

/// Messages pasted as thread JSON with `"from": "seller"` are sent from this domain, which
/// is always counted as the seller's.
pub const SELLER_PLACEHOLDER: &str = "seller@seller.invalid";
const BUYER_PLACEHOLDER: &str = "buyer@buyer.invalid";

/// Identifies the analysis that produced a stored result.
pub const ANALYZER_VERSION: &str = concat!("tradescout ", env!("CARGO_PKG_VERSION"));

/// The version stored with each analysis: the analyzer's and a fingerprint of the models in
/// use, so analyses made before a retrain (or by another version) are made again by the
/// background worker.
pub fn analyzer_version() -> String {
    format!(
        "{ANALYZER_VERSION} models {:016x}",
        tradescout_analyze::model::fingerprint()
    )
}

/// The seller's domains, with the placeholder used for pasted seller messages.
pub fn seller_domains(configured: &[String]) -> Vec<String> {
    let mut d = configured.to_vec();
    d.push("seller.invalid".to_string());
    d
}

/// Messages to store from what a person pasted or uploaded: an RFC 5322 message or an mbox
/// as received; thread JSON or plain text become plain-text messages of our own making.
pub fn inquiry_messages(bytes: &[u8], source: &str) -> Result<Vec<NewMessage>, IntakeError> {
    let limits = ParseLimits::default();
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let body = &bytes[start..];
    if body.is_empty() {
        return Err(IntakeError::Empty);
    }
    if body.starts_with(b"From ") {
        let mut out = Vec::new();
        for entry in MboxReader::new(body, limits.max_message_bytes) {
            let entry = entry?;
            if let Ok(parsed) = parse_message(&entry.raw, &limits) {
                out.push(NewMessage {
                    parsed,
                    raw: entry.raw.to_vec(),
                    source: source.to_string(),
                    position: entry.position as i64,
                });
            }
        }
        return if out.is_empty() {
            Err(IntakeError::Empty)
        } else {
            Ok(out)
        };
    }
    if !body.starts_with(b"{") && !body.starts_with(b"[") && looks_like_message(body) {
        let parsed = parse_message(body, &limits)?;
        return Ok(vec![NewMessage {
            parsed,
            raw: body.to_vec(),
            source: source.to_string(),
            position: 1,
        }]);
    }
    // Thread JSON or plain text: read as the analysis reads it, then written out as mail.
    let intake = tradescout_intake::read_threads(body, &[])?;
    let thread = intake
        .threads
        .into_iter()
        .next()
        .ok_or(IntakeError::Empty)?;
    let key = tradescout_mail::hash::content_hash(body);
    let mut out = Vec::new();
    let mut previous: Option<String> = None;
    for (i, m) in thread.messages.iter().enumerate() {
        // Pasted text has no headers: the signature gives the buyer's address and name, the
        // request gives the subject ("500 × LED flood light"), as the CLI reads them.
        let alone = tradescout_analyze::ThreadInput::single(&m.text);
        let from = match (&m.role, &m.from) {
            (_, Some(f)) if !f.trim().is_empty() => clean_header(f),
            (Some(Role::Seller), _) => format!("Seller <{SELLER_PLACEHOLDER}>"),
            _ => {
                let b = tradescout_analyze::buyer::extract_buyer(&alone);
                let name = clean_header(b.name.as_deref().unwrap_or("Buyer")).replace('"', "");
                match b.email.as_deref().map(clean_header) {
                    Some(e) if e.contains('@') && !e.contains(['<', '>', ' ']) => {
                        format!("\"{name}\" <{e}>")
                    }
                    _ => format!("\"{name}\" <{BUYER_PLACEHOLDER}>"),
                }
            }
        };
        let subject = match m.subject.as_deref() {
            Some(s) if !s.trim().is_empty() => clean_header(s),
            _ => subject_of(&alone, &m.text),
        };
        let subject: String = subject.chars().take(120).collect();
        let id = format!(
            "<{}.{}@inquiry.tradescout>",
            &key[..32.min(key.len())],
            i + 1
        );
        let date = m
            .date
            .as_deref()
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.to_rfc2822())
            .unwrap_or_else(|| chrono::Utc::now().to_rfc2822());
        let mut raw =
            format!("From: {from}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: {id}\r\n");
        if let Some(p) = &previous {
            raw.push_str(&format!("In-Reply-To: {p}\r\nReferences: {p}\r\n"));
        }
        raw.push_str(
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: 8bit\r\n\r\n",
        );
        raw.push_str(&m.text);
        raw.push_str("\r\n");
        let raw = raw.into_bytes();
        let parsed = parse_message(&raw, &limits)?;
        out.push(NewMessage {
            parsed,
            raw,
            source: source.to_string(),
            position: i as i64 + 1,
        });
        previous = Some(id);
    }
    Ok(out)
}

/// A subject for a message that has none: its first product with the quantity asked
/// ("500 × LED flood light"), else its first line that is more than a greeting.
fn subject_of(alone: &tradescout_analyze::ThreadInput, text: &str) -> String {
    let request = tradescout_analyze::request::extract_request(alone);
    if let Some(p) = request.products.iter().find(|p| !p.name.trim().is_empty()) {
        let name = clean_header(&p.name);
        return match p.quantity {
            Some(q) if q.fract() == 0.0 && q < 1e12 => format!("{} × {name}", q as i64),
            Some(q) => format!("{q} × {name}"),
            None => name,
        };
    }
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.chars().filter(|c| c.is_alphanumeric()).count() > 12)
        .or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("");
    clean_header(line)
}

/// A header value with no line breaks or control characters (no header injection).
fn clean_header(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A stored thread read back as the analysis reads mail.
pub async fn thread_input(
    store: &dyn Store,
    detail: &ThreadDetail,
    seller_domains: &[String],
) -> Result<ThreadInput, WebError> {
    let raw = raw_messages(store, detail).await?;
    Ok(input_from_raw(&raw, seller_domains))
}

/// The stored bytes of a thread's messages, in thread order.
async fn raw_messages(store: &dyn Store, detail: &ThreadDetail) -> Result<Vec<Vec<u8>>, WebError> {
    let mut raw = Vec::with_capacity(detail.messages.len());
    for m in &detail.messages {
        if let Some(bytes) = store.message_raw(m.id).await? {
            raw.push(bytes);
        }
    }
    Ok(raw)
}

/// The thread as the analyser reads it, from its messages' bytes (CPU-bound: MIME parsing).
/// A message that no longer parses is left out, not fatal to the thread.
fn input_from_raw(raw: &[Vec<u8>], seller_domains: &[String]) -> ThreadInput {
    let parsed: Vec<Message> = raw
        .iter()
        .filter_map(|r| parse_message(r, &ParseLimits::for_reading()).ok())
        .collect();
    let refs: Vec<&Message> = parsed.iter().collect();
    tradescout_intake::thread_from_messages(&refs, &self::seller_domains(seller_domains))
}

/// Runs CPU-bound work off the async runtime.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebError::Internal(format!("analysis task: {e}")))
}

/// Analyses a stored thread in `lang`; `None` when there is no such thread.
pub async fn analyse(
    store: &dyn Store,
    id: i64,
    seller_domains: &[String],
    lang: Lang,
) -> Result<Option<(ThreadDetail, ThreadInput, Analysis)>, WebError> {
    let Some(detail) = store.thread(id).await? else {
        return Ok(None);
    };
    let raw = raw_messages(store, &detail).await?;
    let domains = seller_domains.to_vec();
    let (input, analysis) = blocking(move || {
        let input = input_from_raw(&raw, &domains);
        let a = tradescout_intake::understand(&input, lang);
        (input, a)
    })
    .await?;
    Ok(Some((detail, input, analysis)))
}

/// What is kept of an analysis, with what the inbox lists copied out of it, under a version
/// taken before the analysis ran: if the models were replaced meanwhile, the thread is judged
/// again rather than kept under the new models' name.
fn stored_as(a: &Analysis, analyzer_version: String) -> Result<ThreadAnalysis, WebError> {
    let result = serde_json::to_value(a).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(ThreadAnalysis {
        analyzer_version,
        stage: a.stage.label.as_str().to_string(),
        stage_confidence: a.stage.confidence,
        top_concern: a.concerns.first().map(|c| c.label.as_str().to_string()),
        language: a.language.clone(),
        country: a.buyer.country.clone().or_else(|| {
            a.request
                .destination
                .as_ref()
                .and_then(|d| d.country.clone())
        }),
        buyer_email: a.buyer.email.clone(),
        company: a.buyer.company.clone(),
        is_spam: a.spam.is_spam,
        spam_score: a.spam.score,
        result,
        deal: (!a.spam.is_spam).then(|| deal_of(a)),
    })
}

/// "pc" and "pcs", "set" and "sets": one unit.
fn same_unit(a: &str, b: &str) -> bool {
    let norm = |u: &str| {
        u.trim()
            .trim_end_matches('.')
            .trim_end_matches('s')
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// What the inquiry's pipeline card shows: the first product asked for (with its model), its
/// quantity, and a value when the buyer named a unit price for it.
fn deal_of(a: &Analysis) -> ThreadDeal {
    let products = &a.request.products;
    let main = products
        .iter()
        .find(|p| p.quantity.is_some())
        .or_else(|| products.first());
    let product = main.map(|p| match &p.model {
        Some(m) if !p.name.contains(m.as_str()) => format!("{} {m}", p.name),
        _ => p.name.clone(),
    });
    let quantity = main.and_then(|p| p.quantity);
    let unit = main.and_then(|p| p.unit.as_deref());
    // A price per piece times a count of containers is no value: the units must agree.
    let value = a
        .request
        .target_price
        .as_ref()
        .filter(|price| match (price.per.as_deref(), unit) {
            (Some(per), Some(unit)) => same_unit(per, unit),
            _ => true,
        })
        .zip(quantity)
        .map(|(price, q)| (price.amount * q, price.currency.clone()))
        // Else the total the buyer named for the whole purchase.
        .or_else(|| {
            a.request
                .budget
                .as_ref()
                .map(|b| (b.amount, b.currency.clone()))
        })
        .filter(|(v, _)| v.is_finite() && *v > 0.0);
    ThreadDeal {
        product,
        quantity,
        amount: value.as_ref().map(|(v, _)| (v * 100.0).round() / 100.0),
        currency: value.map(|(_, c)| c),
    }
}

/// Keeps an analysis, with what the inbox lists copied onto the thread, under the analyzer
/// version taken before it ran ([`analyzer_version`]; see `stored_as`).
pub async fn save(
    store: &dyn Store,
    thread_id: i64,
    a: &Analysis,
    version: String,
) -> Result<(), WebError> {
    store
        .save_analysis(thread_id, &stored_as(a, version)?)
        .await?;
    Ok(())
}

/// Threads of the backlog read, analysed and written together: one transaction per batch.
const BACKLOG_BATCH: usize = 200;
/// Threads of a batch in flight at once, so reading one overlaps analysing another.
const BACKLOG_IN_FLIGHT: usize = 8;

/// Analyses and keeps every thread that has none yet (mail imported by the CLI or IMAP),
/// at most `limit`, with a lead score when `leads` has a model; returns how many.
pub async fn analyse_backlog(
    store: &dyn Store,
    seller_domains: &[String],
    lang: Lang,
    limit: i64,
    leads: Option<&LeadScorer>,
) -> Result<usize, WebError> {
    use futures::{StreamExt, TryStreamExt};
    // Taken before any thread of the backlog is analysed (see `stored_as`).
    let version = analyzer_version();
    let ids = store.unanalysed_threads(limit, &version).await?;
    let model = match leads {
        Some(leads) if !ids.is_empty() => leads.model(store).await?,
        _ => None,
    };
    for batch in ids.chunks(BACKLOG_BATCH) {
        let analysed: Vec<AnalysedThread> = futures::stream::iter(batch.iter().copied())
            .map(|id| {
                let model = model.clone();
                let version = version.clone();
                async move {
                    let Some((_, _, a)) = analyse(store, id, seller_domains, lang).await? else {
                        return Ok(None);
                    };
                    Ok::<_, WebError>(Some(AnalysedThread {
                        thread_id: id,
                        analysis: stored_as(&a, version)?,
                        lead_score: model.as_deref().map(|m| lead_score(m, &a)),
                    }))
                }
            })
            .buffered(BACKLOG_IN_FLIGHT)
            .try_filter_map(|t| async move { Ok(t) })
            .try_collect()
            .await?;
        store.save_analyses(&analysed).await?;
    }
    Ok(ids.len())
}

/// The stored catalogue, prepared for matching (marks folded, words and concepts of every
/// product read) once per version and shared by every brief until it changes: with 100,000
/// products the preparation takes a second, the version check a millisecond.
#[derive(Default)]
pub struct CatalogueCache {
    current: tokio::sync::Mutex<Option<(String, Arc<Catalogue>)>>,
}

impl CatalogueCache {
    /// The catalogue as stored now. One caller prepares a new version while the others wait
    /// for it, instead of each preparing its own.
    pub async fn get(&self, store: &dyn Store) -> Result<Arc<Catalogue>, WebError> {
        let mut current = self.current.lock().await;
        // Read under the lock: whoever waited behind a rebuild finds it done.
        let version = store.catalogue_version().await?;
        if let Some((v, c)) = current.as_ref() {
            if *v == version {
                return Ok(c.clone());
            }
        }
        let products = store.catalogue().await?;
        let catalogue = Arc::new(blocking(move || Catalogue::from_products(products)).await?);
        *current = Some((version, catalogue.clone()));
        Ok(catalogue)
    }
}

/// Questions, actions, flags, catalogue matches and a proposal against `catalogue` (the
/// stored one, from [`CatalogueCache::get`]).
pub async fn coaching(
    catalogue: Arc<Catalogue>,
    input: ThreadInput,
    analysis: Analysis,
    lang: Lang,
) -> Result<Coaching, WebError> {
    blocking(move || {
        let text = tradescout_intake::buyer_text(&input);
        // Deadlines count from the day the buyer wrote.
        let today = tradescout_intake::counted_from(&input);
        // The proposal in the buyer's language where a template exists (zh, en, es).
        let reply_lang = ReplyLang::for_buyer(analysis.language.as_deref());
        let request = CoachInput {
            analysis: &analysis,
            buyer_text: &text,
            catalogue: (!catalogue.products.is_empty()).then_some(catalogue.as_ref()),
            today,
            lang,
            reply_lang: lang,
        };
        coach_in(request, reply_lang)
    })
    .await
}

/// The lead-score model trained on the team's deal history, if there is enough of it.
pub async fn lead_model(store: &dyn Store) -> Result<Option<Arc<LeadScoreModel>>, WebError> {
    let deals = store.load_deals().await?;
    let trained = blocking(move || tradescout_insights::train_lead_score(&deals)).await?;
    Ok(trained.model.map(Arc::new))
}

/// The team's lead-score model, shared by a server's requests and its background worker:
/// trained from the deal history when first needed and again once it is older than its
/// time to live, so new deals and outcomes reach the score without a restart.
pub struct LeadScorer {
    ttl: std::time::Duration,
    /// When the model was trained, and the model (`None`: too little history).
    trained: tokio::sync::Mutex<Option<(std::time::Instant, Option<Arc<LeadScoreModel>>)>>,
}

impl LeadScorer {
    pub fn new(ttl: std::time::Duration) -> LeadScorer {
        LeadScorer {
            ttl,
            trained: tokio::sync::Mutex::new(None),
        }
    }

    /// The current model; one caller retrains while the others wait for its result.
    pub async fn model(&self, store: &dyn Store) -> Result<Option<Arc<LeadScoreModel>>, WebError> {
        let mut trained = self.trained.lock().await;
        if let Some((at, model)) = trained.as_ref() {
            // Too little history is looked at again soon: a team's first deals often arrive
            // by import while the server runs.
            let ttl = if model.is_some() {
                self.ttl
            } else {
                self.ttl.min(std::time::Duration::from_secs(60))
            };
            if at.elapsed() < ttl {
                return Ok(model.clone());
            }
        }
        let model = lead_model(store).await?;
        *trained = Some((std::time::Instant::now(), model.clone()));
        Ok(model)
    }

    /// Forgets the model, so the next score retrains (after deals are imported or closed).
    pub async fn forget(&self) {
        *self.trained.lock().await = None;
    }
}

/// A thread's chance of being won, by the team's lead-score model, from what its analysis
/// says (source, country, product, stage reached).
pub fn lead_score(model: &LeadScoreModel, a: &Analysis) -> f64 {
    // A scam is not a deal.
    if a.spam.is_spam {
        return 0.0;
    }
    let today = chrono::Utc::now().date_naive();
    let deal = Deal {
        id: String::new(),
        created: today,
        closed: None,
        source: "email".into(),
        country: a.buyer.country.as_deref().unwrap_or_default().into(),
        company: a.buyer.company.as_deref().unwrap_or_default().into(),
        product: a
            .request
            .products
            .first()
            .map(|p| p.name.as_str())
            .unwrap_or_default()
            .into(),
        salesperson: "".into(),
        stage_reached: a.stage.label,
        outcome: Outcome::Open,
        loss_reason: None,
        amount: None,
        currency: None,
        quantity: a.request.products.first().and_then(|p| p.quantity),
        extra: Default::default(),
    };
    (model.score(&deal).0 * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_json_becomes_a_chain_of_plain_messages_with_roles_kept() -> Result<(), IntakeError> {
        let json = br#"{"messages":[
            {"from":"buyer","text":"Please quote 500 pcs IP65 floodlights.\nFrom: x\r\nBcc: evil"},
            {"from":"seller","text":"USD 12.5 FOB Ningbo."}]}"#;
        let msgs = inquiry_messages(json, "web")?;
        assert_eq!(msgs.len(), 2);
        assert_eq!(
            msgs[1].parsed.in_reply_to,
            vec![msgs[0].parsed.message_id.clone().unwrap_or_default()]
        );
        assert!(msgs[1]
            .parsed
            .from
            .as_ref()
            .and_then(|a| a.email.as_deref())
            .is_some_and(|e| e.ends_with("seller.invalid")));
        // The subject is the request; the body's own header-like lines stay body text.
        assert!(
            msgs[0].parsed.subject.starts_with("500 ×"),
            "{}",
            msgs[0].parsed.subject
        );
        assert!(!msgs[0].parsed.subject.contains("Bcc"));
        let refs: Vec<&Message> = msgs.iter().map(|m| &m.parsed).collect();
        let thread = tradescout_intake::thread_from_messages(&refs, &seller_domains(&[]));
        assert_eq!(thread.messages[0].role, Some(Role::Buyer));
        assert_eq!(thread.messages[1].role, Some(Role::Seller));
        Ok(())
    }

    #[test]
    fn a_pasted_subject_cannot_inject_headers() {
        assert_eq!(clean_header("Hi\r\nBcc: x@y"), "Hi  Bcc: x@y");
    }

    #[test]
    fn empty_input_is_refused() {
        assert!(matches!(
            inquiry_messages(b"  \n ", "web"),
            Err(IntakeError::Empty)
        ));
    }
}
