//! The team web app: server-rendered pages (zh-CN and en) and the JSON API, with accounts,
//! roles, sessions and CSRF protection. Stateless: sessions and background-check jobs live
//! in the store, so several servers can share one PostgreSQL.
//!
//! Handlers extract, call the domain ([`engine`]) and render; errors become responses in one
//! place ([`error`]).

pub mod accounts;
mod ai;
mod api;
mod assets;
pub mod demo;
mod demo_sites;
mod draft_stream;
pub mod engine;
mod error;
mod markdown;
mod openapi;
mod pages;
mod security;
mod session;
mod templates;
pub mod today;
pub mod training;
pub mod worker;

pub use accounts::{hash_password, new_api_token, verify_password};
pub use ai::{plan_of as draft_plan_of, DraftPlan};
pub use error::WebError;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use tradescout_core::Lang;
use tradescout_sanctions::Screener;
use tradescout_scout::ScoutOptions;
use tradescout_store::Store;

/// How the web app runs.
#[derive(Clone)]
pub struct WebConfig {
    /// Language for people who have not chosen one.
    pub default_lang: Lang,
    /// The seller's own mail domains (who is the seller in a thread).
    pub seller_domains: Vec<String>,
    /// Mark cookies `Secure` (serve over HTTPS, or behind a TLS proxy).
    pub secure_cookies: bool,
    /// How background checks run (the language is set per check).
    pub scout: ScoutOptions,
    /// Sanctions lists to screen against; none means no screening.
    pub screener: Option<Arc<Screener>>,
    /// Whether an AI endpoint is configured (shown in settings).
    pub ai_endpoint: Option<String>,
    /// The AI endpoint for drafts, report summaries and stage second opinions; with `None`
    /// the brief shows no AI controls and no call is ever made.
    pub llm: Option<tradescout_llm::LlmConfig>,
    /// Hours a sign-in lasts.
    pub session_hours: i64,
    /// Run background checks and analyse new mail in this server (off for web-only nodes
    /// and for measuring page speed alone).
    pub background_work: bool,
    /// Failed sign-ins allowed per name from one address in `login_window_secs` (a name, or an
    /// address, as a whole gets four times as many).
    pub login_attempts: usize,
    pub login_window_secs: u64,
    /// Where models retrained on the team's corrections are saved (the data directory's
    /// `models/`, which every command loads at start); `None`: used until the server stops.
    pub models_dir: Option<std::path::PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (config `web.trusted_proxies`);
    /// from any other peer the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            default_lang: Lang::En,
            seller_domains: Vec::new(),
            secure_cookies: false,
            scout: ScoutOptions::default(),
            screener: None,
            ai_endpoint: None,
            llm: None,
            session_hours: 12,
            background_work: true,
            login_attempts: 5,
            login_window_secs: 15 * 60,
            models_dir: None,
            trusted_proxies: Vec::new(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<WebConfig>,
    templates: Arc<templates::Templates>,
    limiter: Arc<security::LoginLimiter>,
    ai: Option<Arc<ai::Ai>>,
    /// The lead-score model, retrained from the deal history every quarter of an hour.
    pub leads: Arc<engine::LeadScorer>,
    /// The stored catalogue prepared for matching, rebuilt when it changes.
    pub catalogues: Arc<engine::CatalogueCache>,
    /// Large request bodies in flight, bounded.
    pub body_budget: Arc<security::BodyBudget>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Result<AppState, WebError> {
        let limiter = security::LoginLimiter::new(config.login_attempts, config.login_window_secs);
        let ai = config.llm.clone().map(ai::Ai::new).transpose()?;
        Ok(AppState {
            store,
            ai: ai.map(Arc::new),
            templates: Arc::new(templates::Templates::load()?),
            config: Arc::new(config),
            limiter: Arc::new(limiter),
            leads: Arc::new(engine::LeadScorer::new(std::time::Duration::from_secs(
                15 * 60,
            ))),
            catalogues: Arc::new(engine::CatalogueCache::default()),
            body_budget: Arc::new(security::BodyBudget::new(BODY_BUDGET_MIB)),
        })
    }
}

/// Largest request body: an uploaded inquiry or catalogue.
pub(crate) const MAX_BODY: usize = 16 * 1024 * 1024;
/// MiB of large request bodies worked on at once (see `security::BodyBudget`).
const BODY_BUDGET_MIB: u32 = 32;

/// Every page and API route.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/analyze", post(api::analyze))
        .route("/inquiries", post(api::create_inquiry))
        .route("/threads", get(api::threads))
        .route("/threads/{id}", get(api::thread))
        .route("/scout", post(api::start_scout))
        .route("/jobs/{id}", get(api::job))
        .route("/insights", get(api::insights))
        .route("/today", get(api::today))
        .route("/deals", get(api::deals))
        .route("/deals/{id}/stage", post(api::move_deal));
    Router::new()
        .route("/", get(pages::home))
        .route("/healthz", get(pages::healthz))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang", post(pages::set_lang))
        .route("/today", get(pages::today::page))
        .route("/inbox", get(pages::inbox::page).post(pages::inbox::submit))
        .route("/threads/{id}", get(pages::brief::page))
        .route("/threads/{id}/scout", post(pages::brief::start_scout))
        .route("/threads/{id}/correct", post(pages::brief::correct))
        .route("/threads/{id}/draft", post(pages::ai::draft))
        .route(
            "/threads/{id}/background-summary",
            post(pages::ai::background_summary),
        )
        .route(
            "/threads/{id}/stage-opinion",
            post(pages::ai::stage_opinion),
        )
        .route(
            "/threads/{id}/messages/{message}/html",
            get(pages::brief::message_html),
        )
        .route("/jobs/{id}/progress", get(pages::brief::job_progress))
        .route("/pipeline", get(pages::pipeline::page))
        .route("/deals/{id}/stage", post(pages::pipeline::move_deal))
        .route("/deals/{id}/close", post(pages::pipeline::close_deal))
        .route("/insights", get(pages::insights::page))
        .route("/insights/charts/{name}", get(pages::insights::chart))
        .route(
            "/catalogue",
            get(pages::catalogue::page).post(pages::catalogue::upload),
        )
        .route("/settings", get(pages::settings::page))
        .route("/settings/users", post(pages::settings::add_user))
        .route("/settings/users/{id}", post(pages::settings::change_user))
        .route("/settings/profile", post(pages::settings::save_profile))
        .route("/settings/retrain", post(pages::settings::retrain))
        .route("/static/{file}", get(assets::serve))
        .nest("/api/v1", api)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::csrf_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::body_budget,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// Serves the app on `listener` until `shutdown` resolves, with a background worker unless
/// the config turns it off.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let worker = state
        .config
        .background_work
        .then(|| tokio::spawn(worker::run(state.clone(), worker::name())));
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    if let Some(w) = worker {
        w.abort();
    }
    result
}
