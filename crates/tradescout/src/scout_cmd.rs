//! `tradescout scout TARGET`: background check of a buyer — site facts, mail domain, RDAP,
//! sanctions, fit and risk — printed as JSON or Markdown.

use crate::cli::{CheckNetworkArgs, JsonOrMd, ScoutArgs};
use crate::config::Config;
use crate::failure::Failure;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tradescout_core::{tr, Lang};
use tradescout_sanctions::{load_path, MatchSettings, Screener};
use tradescout_scout::{markdown, scout, FetchSettings, ScoutError, ScoutOptions};

pub fn run(args: &ScoutArgs, config: &Config, lang: Lang) -> Result<(), Failure> {
    let options = scout_options(
        config,
        &args.net,
        args.max_pages,
        Duration::from_secs(args.timeout.unwrap_or(10).max(1)),
        lang,
    )?;
    let screener = screener(args, config, lang)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::runtime(e.to_string()))?;
    let report = runtime
        .block_on(scout(&args.target, &options, screener.as_ref()))
        .map_err(|e| match e {
            ScoutError::BadTarget { .. }
                if !options.search.is_configured()
                    && tradescout_scout::target::looks_like_name(&args.target) =>
            {
                Failure::input(tr(
                    lang,
                    "scout.no_search_provider",
                    &[("target", &args.target)],
                ))
            }
            ScoutError::BadTarget { .. } => Failure::input(tr(
                lang,
                "error.bad_input",
                &[("input", &args.target), ("reason", &e)],
            )),
            other => Failure::runtime(other.to_string()),
        })?;
    match args.format {
        JsonOrMd::Json => {
            let json = serde_json::to_string_pretty(&report)
                .map_err(|e| Failure::runtime(e.to_string()))?;
            println!("{json}");
        }
        JsonOrMd::Md => print!("{}", markdown(&report, lang)),
    }
    Ok(())
}

/// How a background check runs: the config's profile and search, the network flags, at most
/// `max_pages` pages, `request_timeout` per request and six times that in all.
pub fn scout_options(
    config: &Config,
    net: &CheckNetworkArgs,
    max_pages: usize,
    request_timeout: Duration,
    lang: Lang,
) -> Result<ScoutOptions, Failure> {
    let mut resolve = Vec::new();
    for item in &net.resolve {
        resolve.push(parse_resolve(item).ok_or_else(|| {
            Failure::input(tr(
                lang,
                "error.bad_input",
                &[("input", &item), ("reason", &"expected DOMAIN=IP:PORT")],
            ))
        })?);
    }
    Ok(ScoutOptions {
        max_pages,
        total_timeout: request_timeout * 6,
        fetch: FetchSettings {
            allow_private: net.allow_private,
            resolve,
            request_timeout,
            ..FetchSettings::default()
        },
        rdap_base: net.rdap_base.clone(),
        network_lookups: !net.no_network_lookups,
        icp: config.icp.clone(),
        search: config.search.clone(),
        lang,
    })
}

/// The sanctions lists from `--sanctions`, else the config; none means no screening.
fn screener(args: &ScoutArgs, config: &Config, lang: Lang) -> Result<Option<Screener>, Failure> {
    let paths: &[PathBuf] = if args.sanctions.is_empty() {
        &config.sanctions.lists
    } else {
        &args.sanctions
    };
    load_screener(paths, config, lang)
}

/// A screener over the list files at `paths`; none means no screening.
pub fn load_screener(
    paths: &[PathBuf],
    config: &Config,
    lang: Lang,
) -> Result<Option<Screener>, Failure> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut lists = Vec::with_capacity(paths.len());
    for path in paths {
        let list = load_path(path).map_err(|e| {
            Failure::input(tr(
                lang,
                "error.bad_input",
                &[("input", &path.display()), ("reason", &e)],
            ))
        })?;
        lists.push(list);
    }
    let mut settings = MatchSettings::default();
    if let Some(t) = config.sanctions.threshold {
        settings.threshold = t;
    }
    Ok(Some(Screener::new(lists, settings)))
}

/// `DOMAIN=IP:PORT` (IPv6 as `[::1]:PORT`).
fn parse_resolve(item: &str) -> Option<(String, SocketAddr)> {
    let (domain, addr) = item.split_once('=')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    if domain.is_empty() {
        return None;
    }
    Some((domain, addr.trim().parse().ok()?))
}
