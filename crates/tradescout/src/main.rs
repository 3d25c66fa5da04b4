//! `tradescout`: the command-line entry point. Thin wiring of the library crates.

mod analyze_cmd;
mod bench;
mod catalog_cmd;
mod chat_import;
mod cli;
mod coach_cmd;
mod config;
mod deals_cmd;
mod draft_cmd;
mod failure;
mod import;
mod input;
mod insights_md;
mod intake;
mod mail_cmd;
mod render;
mod scout_cmd;
mod screen_cmd;
mod serve_cmd;
mod sync;
mod threads;
mod train_cmd;

use clap::Parser;
use cli::{Cli, Command, DealsCommand, MailCommand, SyncCommand, TextOrJson};
use failure::Failure;
use std::io::IsTerminal;
use std::process::ExitCode;
use tradescout_core::{tr, Lang};

/// `tradescout catalog list | head`: when the reader goes away, printing fails with a broken
/// pipe; that ends the run quietly (as other command-line tools do) instead of a panic message.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if text.contains("Broken pipe") || text.contains("os error 32") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    let memory = tradescout_sysmem::return_large_buffers_to_the_system();
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    init_tracing(cli.verbose);
    if memory == tradescout_sysmem::Applied::Refused {
        tracing::warn!("the allocator refused the large-buffer settings; memory after a burst of large pastes may stay high");
    }
    let config = config::Config::load(cli.config.as_deref());
    let lang = resolve_lang(
        cli.lang.as_deref(),
        config.as_ref().ok().and_then(|c| c.lang.as_deref()),
    );
    let result = match config {
        Ok(config) => run(cli, config, lang),
        Err(e) => Err(Failure::input(tr(
            lang,
            "error.config",
            &[("path", &e.path.display()), ("reason", &e.reason)],
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("tradescout: {}", f.message);
            ExitCode::from(f.exit_code)
        }
    }
}

fn init_tracing(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRADESCOUT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// `--lang` / TRADESCOUT_LANG, then the config file, then the locale.
fn resolve_lang(flag: Option<&str>, config: Option<&str>) -> Lang {
    if let Some(l) = flag.or(config).and_then(|s| s.parse().ok()) {
        return l;
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return Lang::from_locale(&v);
            }
        }
    }
    Lang::En
}

fn run(cli: Cli, config: config::Config, lang: Lang) -> Result<(), Failure> {
    if let Some(l) = cli.lang.as_deref() {
        l.parse::<Lang>()
            .map_err(|e| Failure::input(e.to_string()))?;
    }
    let db_url = cli.db.clone().or(config.db.clone());
    let limits = tradescout_mail::ParseLimits {
        max_message_bytes: config.import.max_message_mb.max(1) * 1024 * 1024,
        ..Default::default()
    };
    match cli.command {
        // Commands that need no database.
        Command::Mail(MailCommand::Reply {
            path,
            no_signature,
            sender,
        }) => mail_cmd::reply(path.as_deref(), no_signature, sender.as_deref(), lang),
        Command::Mail(MailCommand::Signature { path, sender }) => {
            mail_cmd::signature(path.as_deref(), sender.as_deref(), lang)
        }
        Command::Mail(MailCommand::History { path }) => mail_cmd::history(path.as_deref(), lang),
        Command::Train(args) if !args.from_store => train_cmd::run(&args, lang),
        Command::Draft(args) => {
            let Some(llm) = config.llm.resolve() else {
                return Err(Failure::input(tr(lang, "draft.not_configured", &[])));
            };
            let mut domains = args.seller_domains.clone();
            domains.extend(config.seller.domains.iter().cloned());
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| Failure::runtime(e.to_string()))?;
            runtime.block_on(async {
                let url = db_url.unwrap_or_else(config::default_db_url);
                let store = tradescout_store::open(&url)
                    .await
                    .map_err(|e| Failure::store(lang, &e))?;
                train_cmd::install_trained(&train_cmd::models_dir());
                draft_cmd::run(store, &args, llm, &domains, lang).await
            })
        }
        Command::Analyze(args) => {
            train_cmd::install_trained(&train_cmd::models_dir());
            let mut domains = args.seller_domains.clone();
            domains.extend(config.seller.domains.iter().cloned());
            analyze_cmd::run(args.path.as_deref(), args.format, &domains, lang)
        }
        Command::Coach(args) => {
            train_cmd::install_trained(&train_cmd::models_dir());
            let mut domains = args.seller_domains.clone();
            domains.extend(config.seller.domains.iter().cloned());
            coach_cmd::run(&args, &domains, db_url.as_deref(), lang)
        }
        Command::Screen(args) => screen_cmd::run(&args, &config.sanctions, lang),
        Command::Scout(args) => scout_cmd::run(&args, &config, lang),
        command => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| Failure::runtime(e.to_string()))?;
            runtime.block_on(run_async(command, db_url, limits, &config, lang))
        }
    }
}

async fn run_async(
    command: Command,
    db_url: Option<String>,
    limits: tradescout_mail::ParseLimits,
    config: &config::Config,
    lang: Lang,
) -> Result<(), Failure> {
    if let Command::Bench(args) = &command {
        return bench::run(args, lang).await;
    }
    let db_url = match (&command, db_url) {
        (_, Some(url)) => url,
        (Command::Demo(_), None) => format!(
            "sqlite:{}",
            config::data_dir().join("demo.sqlite").display()
        ),
        (_, None) => config::default_db_url(),
    };
    let store = tradescout_store::open(&db_url)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    // Models retrained on this workspace's corrections (train --from-store) serve the web app
    // and the next round of training.
    train_cmd::install_trained(&train_cmd::models_dir());
    match command {
        Command::Train(args) => {
            train_cmd::from_store(store.as_ref(), &args, &config.seller.domains, lang).await
        }
        Command::Import(args) => {
            let options = import::ImportOptions {
                batch: args.batch,
                limits,
                progress: !args.quiet && std::io::stderr().is_terminal(),
                me: args.me.clone(),
            };
            let report = import::import_paths(store, args.paths, options, lang).await?;
            import::print_report(&report, args.format == TextOrJson::Json, lang);
            // Nothing readable is bad input (exit 2); some items failing makes the run fail
            // (exit 1) after the rest was stored.
            if !report.failed.is_empty() && report.new + report.duplicate == 0 {
                return Err(Failure::input(tr(
                    lang,
                    "import.nothing_read",
                    &[("failed", &report.failed.len())],
                )));
            }
            if !report.failed.is_empty() {
                return Err(Failure::runtime(tr(
                    lang,
                    "import.some_failed",
                    &[
                        ("failed", &report.failed.len()),
                        ("stored", &(report.new + report.duplicate)),
                    ],
                )));
            }
            Ok(())
        }
        Command::Threads(args) => match args.id {
            Some(id) => {
                threads::show(store.as_ref(), id, args.format == TextOrJson::Json, lang).await
            }
            None => {
                threads::list(
                    store.as_ref(),
                    args.limit,
                    args.format == TextOrJson::Json,
                    lang,
                )
                .await
            }
        },
        Command::Sync(SyncCommand::Imap(args)) => sync::imap(store, &args, limits, lang).await,
        Command::Demo(args) => serve_cmd::demo(store, &db_url, &args, config, lang).await,
        Command::Serve(args) => serve_cmd::serve(store, &db_url, &args, config, lang).await,
        Command::User(command) => serve_cmd::user(store.as_ref(), &command, lang).await,
        Command::Token(command) => serve_cmd::token(store.as_ref(), &command, lang).await,
        Command::Deals(DealsCommand::Import { file, format }) => {
            deals_cmd::import(store.as_ref(), &file, format, lang).await
        }
        Command::Deals(DealsCommand::Stage {
            id,
            stage,
            by,
            note,
        }) => {
            deals_cmd::set_stage(
                store.as_ref(),
                &id,
                &stage,
                by.as_deref(),
                note.as_deref(),
                lang,
            )
            .await
        }
        Command::Deals(DealsCommand::Close {
            id,
            outcome,
            reason,
            date,
            amount,
            currency,
            quantity,
            by,
        }) => {
            deals_cmd::close(
                store.as_ref(),
                &id,
                &outcome,
                reason,
                date,
                amount,
                currency,
                quantity,
                by.as_deref(),
                lang,
            )
            .await
        }
        Command::Deals(DealsCommand::History { id }) => {
            deals_cmd::history(store.as_ref(), &id, lang).await
        }
        Command::Deals(DealsCommand::List { format, limit }) => {
            deals_cmd::list(store.as_ref(), format, limit, lang).await
        }
        Command::Insights(args) => deals_cmd::report(store.as_ref(), &args, lang).await,
        Command::Catalog(command) => catalog_cmd::run(store.as_ref(), &command, lang).await,
        // Handled before a database is opened.
        Command::Mail(_)
        | Command::Screen(_)
        | Command::Scout(_)
        | Command::Bench(_)
        | Command::Analyze(_)
        | Command::Draft(_)
        | Command::Coach(_) => Ok(()),
    }
}
