//! `tradescout serve`, `tradescout demo`, `tradescout user add`, `tradescout token add`:
//! the web app and the accounts it signs in.

use crate::cli::{DemoArgs, ServeArgs, TokenCommand, UserCommand};
use crate::config::Config;
use crate::failure::Failure;
use std::sync::Arc;
use std::time::Duration;
use tradescout_core::{tr, Lang};
use tradescout_store::{NewUser, Store, StoreError, UserRole};
use tradescout_web::{demo, AppState, WebConfig};

pub async fn serve(
    store: Arc<dyn Store>,
    db_url: &str,
    args: &ServeArgs,
    config: &Config,
    lang: Lang,
) -> Result<(), Failure> {
    let web = web_config(args, config, lang)?;
    run_server(store, db_url, &args.bind, web, lang).await
}

pub async fn demo(
    store: Arc<dyn Store>,
    db_url: &str,
    args: &DemoArgs,
    config: &Config,
    lang: Lang,
) -> Result<(), Failure> {
    eprintln!(
        "{}",
        tr(
            lang,
            "run.intro",
            &[("db", &tradescout_store::redact_url(db_url))]
        )
    );
    let summary = demo::build(store.as_ref(), lang)
        .await
        .map_err(|e| Failure::runtime(e.to_string()))?;
    tracing::info!(
        "demo workspace: {} threads, {} deals, {} products, {} background checks",
        summary.threads,
        summary.deals,
        summary.products,
        summary.checks
    );
    crate::threads::list(store.as_ref(), 50, false, lang).await?;
    eprintln!(
        "{}",
        tr(
            lang,
            "web.demo.logins",
            &[
                ("admin", &demo::DEMO_ADMIN),
                ("manager", &demo::DEMO_MANAGER),
                ("reps", &demo::DEMO_REPS.join(", ")),
                ("password", &demo::DEMO_PASSWORD),
            ],
        )
    );
    let mut web = web_config(&args.serve, config, lang)?;
    // The demo works offline: no DNS or RDAP unless asked.
    web.scout.network_lookups = false;
    // Its mail is the demo seller's: what comes from its domain is ours.
    if !web
        .seller_domains
        .iter()
        .any(|d| d == demo::DEMO_SELLER_DOMAIN)
    {
        web.seller_domains
            .push(demo::DEMO_SELLER_DOMAIN.to_string());
    }
    run_server(store, db_url, &args.serve.bind, web, lang).await
}

async fn run_server(
    store: Arc<dyn Store>,
    db_url: &str,
    bind: &str,
    web: WebConfig,
    lang: Lang,
) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| {
        Failure::runtime(tr(
            lang,
            "error.bad_input",
            &[("input", &bind), ("reason", &e)],
        ))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Failure::runtime(e.to_string()))?;
    let state = AppState::new(store, web).map_err(|e| Failure::runtime(e.to_string()))?;
    println!(
        "{}",
        tr(
            lang,
            "web.serve.listening",
            &[
                ("addr", &addr),
                ("db", &tradescout_store::redact_url(db_url))
            ]
        )
    );
    tradescout_web::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| Failure::runtime(e.to_string()))
}

fn web_config(args: &ServeArgs, config: &Config, lang: Lang) -> Result<WebConfig, Failure> {
    let scout =
        crate::scout_cmd::scout_options(config, &args.net, 20, Duration::from_secs(10), lang)?;
    let screener = crate::scout_cmd::load_screener(&config.sanctions.lists, config, lang)?;
    let llm = config.llm.resolve();
    let mut trusted_proxies = Vec::new();
    for entry in &config.web.trusted_proxies {
        let ip = entry.trim().parse().map_err(|_| {
            Failure::input(tr(
                lang,
                "web.serve.bad_proxy",
                &[("value", entry as &dyn std::fmt::Display)],
            ))
        })?;
        trusted_proxies.push(ip);
    }
    Ok(WebConfig {
        default_lang: lang,
        seller_domains: config.seller.domains.clone(),
        secure_cookies: args.secure_cookies,
        scout,
        screener: screener.map(Arc::new),
        ai_endpoint: llm.as_ref().map(|l| l.base_url.clone()),
        llm,
        models_dir: Some(crate::train_cmd::models_dir()),
        trusted_proxies,
        ..WebConfig::default()
    })
}

pub async fn user(store: &dyn Store, command: &UserCommand, lang: Lang) -> Result<(), Failure> {
    match command {
        UserCommand::Add {
            name,
            role,
            password_env,
        } => {
            let role: UserRole = role
                .parse()
                .map_err(|_| Failure::input(tr(lang, "user.bad_role", &[("role", role)])))?;
            let password = std::env::var(password_env).unwrap_or_default();
            if password.is_empty() {
                return Err(Failure::input(tr(
                    lang,
                    "user.password_env",
                    &[("var", password_env)],
                )));
            }
            if password.chars().count() < 10 {
                return Err(Failure::input(tr(lang, "user.password_short", &[])));
            }
            let hash = tradescout_web::hash_password(&password)
                .map_err(|e| Failure::runtime(e.to_string()))?;
            match store
                .create_user(&NewUser {
                    name: name.clone(),
                    role,
                    password_hash: hash,
                    lang: None,
                })
                .await
            {
                Ok(_) => {
                    println!(
                        "{}",
                        tr(
                            lang,
                            "user.added",
                            &[("name", name), ("role", &role.as_str())]
                        )
                    );
                    Ok(())
                }
                Err(StoreError::Conflict { .. }) => {
                    Err(Failure::input(tr(lang, "user.exists", &[("name", name)])))
                }
                Err(e) => Err(Failure::store(lang, &e)),
            }
        }
    }
}

pub async fn token(store: &dyn Store, command: &TokenCommand, lang: Lang) -> Result<(), Failure> {
    match command {
        TokenCommand::Add { name, label } => {
            let user = store
                .user_by_name(name)
                .await
                .map_err(|e| Failure::store(lang, &e))?
                .ok_or_else(|| Failure::input(tr(lang, "token.no_user", &[("name", name)])))?;
            let (token, hash) =
                tradescout_web::new_api_token().map_err(|e| Failure::runtime(e.to_string()))?;
            store
                .add_api_token(user.id, &hash, label.as_deref().unwrap_or(""))
                .await
                .map_err(|e| Failure::store(lang, &e))?;
            eprintln!("{}", tr(lang, "token.added", &[("name", name)]));
            println!("{token}");
            Ok(())
        }
    }
}
