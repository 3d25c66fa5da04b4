//! `tradescout bench`: import throughput and peak memory on generated mboxes of two sizes
//! (memory must stay flat as the mbox grows), reply-splitting throughput on one core, insights
//! over a large deal history, inbox pages served with 100,000 threads stored, and a buyer
//! background check of a slow 20-page site.

mod scout;
mod screen;
mod soak;

use crate::failure::Failure;
use crate::import::{import_paths, ImportOptions};
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tradescout_core::{tr, Lang};
use tradescout_mail::split::split_reply;
use tradescout_mail::ParseLimits;

#[derive(Debug, Serialize)]
pub struct BenchFigure {
    pub name: String,
    pub count: u64,
    pub seconds: f64,
    pub per_second: f64,
    pub peak_rss_mb: f64,
    pub input_mb: f64,
}

pub async fn run(args: &crate::cli::BenchArgs, lang: Lang) -> Result<(), Failure> {
    let temp;
    let dir: PathBuf = match &args.dir {
        Some(d) => {
            std::fs::create_dir_all(d)
                .map_err(|e| Failure::input(format!("{}: {e}", d.display())))?;
            d.clone()
        }
        None => {
            temp = tempdir()?;
            temp.clone()
        }
    };
    let mut figures = Vec::new();
    let wanted = |name: &str| args.only.is_empty() || args.only.iter().any(|o| o == name);
    // Small first: peak RSS is a high-water mark, so the larger run must not raise it much.
    let sizes = [(args.messages / 10).max(1), args.messages.max(1)];
    for (i, n) in sizes.iter().enumerate().filter(|_| wanted("import")) {
        let mbox = dir.join(format!("bench-{n}.mbox"));
        let bytes = write_mbox(&mbox, *n)
            .map_err(|e| Failure::runtime(format!("{}: {e}", mbox.display())))?;
        let db = format!("sqlite:{}", dir.join(format!("bench-{i}.sqlite")).display());
        let store = tradescout_store::open(&db)
            .await
            .map_err(|e| Failure::store(lang, &e))?;
        let options = ImportOptions {
            me: None,
            batch: 500,
            limits: ParseLimits::default(),
            progress: false,
        };
        let start = Instant::now();
        let report = import_paths(store, vec![mbox.clone()], options, lang).await?;
        let secs = start.elapsed().as_secs_f64();
        let _ = std::fs::remove_file(&mbox);
        figures.push(BenchFigure {
            name: format!("import {n} messages (mbox → SQLite)"),
            count: report.new,
            seconds: secs,
            per_second: report.new as f64 / secs.max(1e-9),
            peak_rss_mb: peak_rss_mb(),
            input_mb: bytes as f64 / 1_048_576.0,
        });
    }
    if wanted("split") {
        figures.push(bench_split(args.split_messages));
        figures.push(bench_split_html(args.split_messages / 4));
    }
    if wanted("insights") {
        let db = format!("sqlite:{}", dir.join("bench-deals.sqlite").display());
        figures.extend(bench_insights(&db, args.deals, args.reuse_deals, lang).await?);
        if let Some(pg) = &args.postgres {
            figures.extend(bench_insights(pg, args.deals, args.reuse_deals, lang).await?);
        }
    }
    if wanted("web") {
        let db = format!("sqlite:{}", dir.join("bench-web.sqlite").display());
        figures.extend(bench_web(&dir, &db, args.threads, lang).await?);
        if let Some(pg) = &args.postgres {
            figures.extend(bench_web(&dir, pg, args.threads, lang).await?);
        }
    }
    // Not part of the default run: it takes minutes and needs the full binary.
    if args.only.iter().any(|o| o == "soak") {
        let db = format!("sqlite:{}", dir.join("bench-soak.sqlite").display());
        figures.extend(soak::bench_soak(&dir, &db, args.connections, args.seconds, lang).await?);
        if let Some(pg) = &args.postgres {
            figures.extend(soak::bench_soak(&dir, pg, args.connections, args.seconds, lang).await?);
        }
    }
    if wanted("scout") {
        figures.push(scout::bench_scout(lang).await?);
    }
    if wanted("screen") {
        figures.extend(screen::bench_screen(lang)?);
    }
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    if args.format == crate::cli::TextOrJson::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&figures).unwrap_or_default()
        );
    } else {
        for f in &figures {
            println!(
                "{}",
                tr(
                    lang,
                    "bench.result",
                    &[
                        ("name", &f.name),
                        ("count", &f.count),
                        ("secs", &format!("{:.2}", f.seconds)),
                        ("rate", &format!("{:.0}", f.per_second)),
                        ("rss", &format!("{:.1}", f.peak_rss_mb)),
                    ]
                )
            );
        }
    }
    Ok(())
}

/// Stores `threads` generated threads (three messages each), analyses them all as the
/// server's background worker does, then times inbox pages served over loopback: the first
/// page, a deep page, a stage filter, a search, and a rep's own inbox.
/// `db` is a fresh database (SQLite, or an empty PostgreSQL one given with `--postgres`).
async fn bench_web(
    dir: &Path,
    db: &str,
    threads: usize,
    lang: Lang,
) -> Result<Vec<BenchFigure>, Failure> {
    let runtime = |e: &dyn std::fmt::Display| Failure::runtime(e.to_string());
    let backend = backend_name(db);
    let mbox = dir.join("bench-web.mbox");
    write_mbox(&mbox, threads * 3).map_err(|e| runtime(&e))?;
    let store = tradescout_store::open(db)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let options = ImportOptions {
        me: None,
        batch: 500,
        limits: ParseLimits::default(),
        progress: false,
    };
    import_paths(store.clone(), vec![mbox.clone()], options, lang).await?;
    let _ = std::fs::remove_file(&mbox);
    let mut figures = Vec::new();
    let start = Instant::now();
    let mut analysed = 0u64;
    loop {
        let n = tradescout_web::engine::analyse_backlog(store.as_ref(), &[], lang, 1000, None)
            .await
            .map_err(|e| runtime(&e))?;
        if n == 0 {
            break;
        }
        analysed += n as u64;
    }
    let secs = start.elapsed().as_secs_f64();
    figures.push(BenchFigure {
        name: format!("analyse {analysed} stored threads (background worker, {backend})"),
        count: analysed,
        seconds: secs,
        per_second: analysed as f64 / secs.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
        input_mb: 0.0,
    });
    // A manager sees the whole team; a rep owns every other thread.
    let hash = tradescout_web::hash_password("bench-password").map_err(|e| runtime(&e))?;
    let mut sessions = Vec::new();
    for (name, role) in [
        ("bench-manager", tradescout_store::UserRole::Manager),
        ("bench-rep", tradescout_store::UserRole::Rep),
    ] {
        let id = store
            .create_user(&tradescout_store::NewUser {
                name: name.into(),
                role,
                password_hash: hash.clone(),
                lang: Some("en".into()),
            })
            .await
            .map_err(|e| Failure::store(lang, &e))?;
        let secret = format!("bench-session-{name}");
        store
            .create_session(
                &tradescout_web::accounts::digest(&secret),
                id,
                &serde_json::json!({"csrf": "bench"}),
                "2999-01-01T00:00:00Z",
            )
            .await
            .map_err(|e| Failure::store(lang, &e))?;
        sessions.push((id, secret));
    }
    for id in (1..=threads as i64).step_by(2) {
        store
            .set_thread_owner(id, Some(sessions[1].0))
            .await
            .map_err(|e| Failure::store(lang, &e))?;
    }
    let config = tradescout_web::WebConfig {
        background_work: false,
        ..Default::default()
    };
    let state = tradescout_web::AppState::new(store.clone(), config).map_err(|e| runtime(&e))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| runtime(&e))?;
    let addr = listener.local_addr().map_err(|e| runtime(&e))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(tradescout_web::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let pages = [
        ("inbox, first page (manager)", "/inbox", 0),
        ("inbox, page 1000 (manager)", "/inbox?page=1000", 0),
        (
            "inbox, stage filter (manager)",
            "/inbox?stage=evaluation",
            0,
        ),
        ("inbox, search (manager)", "/inbox?q=inquiry+4242", 0),
        ("inbox, own threads (rep)", "/inbox", 1),
        ("today (manager, the team)", "/today", 0),
        ("today (rep)", "/today", 1),
    ];
    const REQUESTS: usize = 300;
    for (label, path, who) in pages {
        let cookie = format!("tradescout_session={}", sessions[who].1);
        let mut times = Vec::with_capacity(REQUESTS);
        for i in 0..REQUESTS + 20 {
            let t = Instant::now();
            let status = get(addr, path, &cookie).await.map_err(|e| runtime(&e))?;
            if status != 200 {
                return Err(runtime(&format!("{path}: HTTP {status}")));
            }
            // The first requests warm the connection pool and page cache.
            if i >= 20 {
                times.push(t.elapsed().as_secs_f64());
            }
        }
        times.sort_by(f64::total_cmp);
        let pct = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)] * 1000.0;
        let total: f64 = times.iter().sum();
        figures.push(BenchFigure {
            name: format!(
                "{label} with {threads} threads ({backend}): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
                pct(0.5),
                pct(0.95),
                pct(1.0)
            ),
            count: REQUESTS as u64,
            seconds: total,
            per_second: REQUESTS as f64 / total.max(1e-9),
            peak_rss_mb: peak_rss_mb(),
            input_mb: 0.0,
        });
    }
    let _ = stop.send(());
    let _ = server.await;
    Ok(figures)
}

/// One GET over a fresh connection; the status code.
async fn get(addr: std::net::SocketAddr, path: &str, cookie: &str) -> std::io::Result<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let status = response
        .get(9..12)
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(status)
}

/// Stores a generated history of `n` deals, then times loading it, computing every insight
/// and training the lead score. With `reuse`, a database already holding `n` deals or more is
/// not stored to again (storing a million deals takes minutes).
async fn bench_insights(
    db: &str,
    n: usize,
    reuse: bool,
    lang: Lang,
) -> Result<Vec<BenchFigure>, Failure> {
    let backend = if db.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let store = tradescout_store::open(db)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let stored = if reuse {
        store
            .count_deals()
            .await
            .map_err(|e| Failure::store(lang, &e))?
    } else {
        0
    };
    let store_secs = if stored >= n as u64 {
        None
    } else {
        let deals = generate_deals(n);
        let start = Instant::now();
        for chunk in deals.chunks(10_000) {
            store
                .upsert_deals(chunk, "bench")
                .await
                .map_err(|e| Failure::store(lang, &e))?;
        }
        Some(start.elapsed().as_secs_f64())
    };
    let start = Instant::now();
    let loaded = store
        .load_deals()
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let load_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let options = tradescout_insights::InsightsOptions {
        since: tradescout_insights::deal::parse_date("2024-01-01"),
        until: tradescout_insights::deal::parse_date("2025-12-31"),
        today: chrono::Utc::now().date_naive(),
    };
    let figures = tradescout_insights::insights(&loaded, &options);
    let insights_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let score = tradescout_insights::train_lead_score(&loaded);
    let train_secs = start.elapsed().as_secs_f64();
    std::hint::black_box((&figures, &score.report));
    let count = loaded.len() as u64;
    let figure = |name: String, secs: f64| BenchFigure {
        name,
        count,
        seconds: secs,
        per_second: count as f64 / secs.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
        input_mb: 0.0,
    };
    let mut figures = Vec::new();
    if let Some(secs) = store_secs {
        figures.push(figure(format!("store {n} deals ({backend})"), secs));
    }
    figures.extend([
        figure(format!("load {count} deals ({backend})"), load_secs),
        figure(
            format!(
                "all insights over {count} deals (lead score included; AUC {:.3})",
                score.report.auc.unwrap_or(f64::NAN)
            ),
            insights_secs,
        ),
        figure(format!("lead-score training on {count} deals"), train_secs),
    ]);
    Ok(figures)
}

/// A two-year history where referrals and exhibitions win more often than platform leads.
fn generate_deals(n: usize) -> Vec<tradescout_insights::Deal> {
    use tradescout_core::{Outcome, Stage};
    let sources = [
        "alibaba",
        "made-in-china",
        "website",
        "exhibition",
        "referral",
        "email",
    ];
    let win_odds = [0.15, 0.12, 0.22, 0.35, 0.5, 0.18];
    let countries = [
        "US", "GB", "DE", "FR", "ES", "BR", "AE", "SA", "NG", "AU", "IN", "RU",
    ];
    let products = [
        "flood light",
        "street light",
        "panel light",
        "high bay",
        "solar light",
        "strip",
    ];
    let people = ["lily", "tom", "amy", "jack", "ivy"];
    let start = tradescout_insights::deal::parse_date("2024-01-01").unwrap_or_default();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|i| {
            let s = (rnd() * sources.len() as f64) as usize % sources.len();
            let created = start + chrono::Duration::days((rnd() * 730.0) as i64);
            let r = rnd();
            let (outcome, stage) = if r < win_odds[s] {
                (Outcome::Won, Stage::Decision)
            } else if r < 0.8 {
                (Outcome::Lost, Stage::ALL[(rnd() * 3.0) as usize % 3])
            } else {
                (Outcome::Open, Stage::ALL[(rnd() * 4.0) as usize % 4])
            };
            let quantity = (100.0 + rnd() * 5000.0).round();
            tradescout_insights::Deal {
                id: format!("B{i}"),
                created,
                closed: (outcome != Outcome::Open)
                    .then(|| created + chrono::Duration::days(5 + (rnd() * 90.0) as i64)),
                source: sources[s].into(),
                country: countries[i % countries.len()].into(),
                company: format!("Buyer {}", i % 50_000).into(),
                product: products[(i / 7) % products.len()].into(),
                salesperson: people[i % people.len()].into(),
                stage_reached: stage,
                outcome,
                loss_reason: (outcome == Outcome::Lost)
                    .then(|| ["price", "no reply", "lead time", "quality doubts"][i % 4].into()),
                amount: (outcome == Outcome::Won).then_some(quantity * (8.0 + rnd() * 8.0)),
                currency: Some("USD".into()),
                quantity: Some(quantity),
                extra: Default::default(),
            }
        })
        .collect()
}

fn tempdir() -> Result<PathBuf, Failure> {
    let dir = std::env::temp_dir().join(format!("tradescout-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::runtime(format!("{}: {e}", dir.display())))?;
    Ok(dir)
}

fn bench_split(n: usize) -> BenchFigure {
    let bodies: Vec<String> = (0..256).map(|i| body(i, true)).collect();
    time_split("split reply/quote/signature (one core)", &bodies, n, |b| {
        split_reply(b).text.len()
    })
}

/// HTML replies as Gmail, Outlook and QQ Mail/Foxmail send them, cut on their structure and
/// split as `mail reply` does.
fn bench_split_html(n: usize) -> BenchFigure {
    let bodies: Vec<String> = (0..256).map(html_body).collect();
    time_split(
        "split HTML reply (Gmail/Outlook/QQ Mail, one core)",
        &bodies,
        n,
        |b| {
            split_reply(&tradescout_mail::split::html_new_text(b))
                .text
                .len()
        },
    )
}

/// `split` run `n` times over `bodies` in turn, timed on this thread.
fn time_split(
    name: &str,
    bodies: &[String],
    n: usize,
    split: impl Fn(&str) -> usize,
) -> BenchFigure {
    let start = Instant::now();
    let mut kept = 0usize;
    for i in 0..n {
        kept += split(&bodies[i % bodies.len()]);
    }
    let secs = start.elapsed().as_secs_f64();
    std::hint::black_box(kept);
    BenchFigure {
        name: name.into(),
        count: n as u64,
        seconds: secs,
        per_second: n as f64 / secs.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
        input_mb: bodies.iter().map(String::len).sum::<usize>() as f64 / 1_048_576.0,
    }
}

/// An HTML reply with its quoted history, in one of three clients' markup.
fn html_body(i: usize) -> String {
    let p = PRODUCTS[i % PRODUCTS.len()];
    let n = NAMES[i % NAMES.len()];
    let qty = 100 + (i % 50) * 20;
    let price = 10 + i % 30;
    match i % 3 {
        0 => format!(
            "<div dir=\"ltr\"><div>Hi Lily,</div><div><br></div><div>Please quote {qty} pcs of {p}, \
             CE and RoHS, FOB Ningbo. What is your MOQ and lead time?</div><div><br></div>\
             <div>Best regards,<br>{n}<br>Purchasing Manager</div></div><br>\
             <div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Mon, Mar 3, 2025 \
             at 10:{:02} AM Lily Chen &lt;sales@brightstar.cn&gt; wrote:<br></div>\
             <blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex;border-left:1px solid \
             rgb(204,204,204);padding-left:1ex\"><div dir=\"ltr\">Dear {n},<br>Our price is USD {price}.50 \
             per piece FOB Ningbo.<br>Best regards,<br>Lily</div></blockquote></div>",
            i % 60
        ),
        1 => format!(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\
             <style>p.MsoNormal{{margin:0cm;font-size:11pt}}</style></head><body lang=\"EN-GB\">\
             <div class=\"WordSection1\"><p class=\"MsoNormal\">Dear Lily,<o:p></o:p></p>\
             <p class=\"MsoNormal\">We accept USD {price}.50 for {qty} pcs of {p}. Please send the PI; \
             deposit 30% by T/T.<o:p></o:p></p><p class=\"MsoNormal\">Kind regards,<br>{n}<o:p></o:p></p>\
             <div id=\"divRplyFwdMsg\" dir=\"ltr\"><hr style=\"display:inline-block;width:98%\">\
             <font face=\"Calibri\"><b>From:</b> Lily Chen &lt;sales@brightstar.cn&gt;<br><b>Sent:</b> \
             Monday, March 3, 2025 10:{:02} AM<br><b>To:</b> {n}<br><b>Subject:</b> RE: {p}</font></div>\
             <div><p class=\"MsoNormal\">Dear {n}, our best price is USD {price}.90.</p></div></div>\
             </body></html>",
            i % 60
        ),
        _ => format!(
            "<div>Lily 你好，</div><div>{p} 订购 {qty} 件，单价 {price}.50 美元，请安排生产，交期 30 天。</div>\
             <div><br></div><div>{n}</div><div><br></div><div style=\"font-size: 12px;font-family: Arial \
             Narrow;padding:2px 0 2px 0;\">------------------&nbsp;原始邮件&nbsp;------------------</div>\
             <div style=\"font-size: 12px;background:#efefef;padding:8px;\"><div><b>发件人:</b>&nbsp;\
             \"Lily Chen\"&lt;sales@brightstar.cn&gt;;</div><div><b>发送时间:</b>&nbsp;2025年3月3日(星期一) \
             上午10:{:02}</div><div><b>主题:</b>&nbsp;报价 {p}</div></div><div><br></div>\
             <div>您好，{p} 报价 {price}.90 美元/件。</div>",
            i % 60
        ),
    }
}

/// Peak resident set size of this process (Linux), in MB; 0 where unknown.
pub fn peak_rss_mb() -> f64 {
    status_mb("self", "VmHWM:")
}

/// A memory field of `/proc/PID/status` (Linux; `pid` may be `self`), in MB; 0 where unknown.
fn status_mb(pid: &str, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// The database kind of a `--db` URL, for figure names.
fn backend_name(db: &str) -> &'static str {
    if db.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}

const PRODUCTS: &[&str] = &[
    "100W LED flood light",
    "solar street light 60W",
    "LED panel 600x600",
    "high bay 150W",
    "450W solar panel",
    "EV charger 7kW",
    "PVC pipe DN50",
    "stainless steel sink",
    "office chair",
    "bluetooth speaker",
];
const NAMES: &[&str] = &[
    "Tom Baker",
    "Ana García",
    "Ivan Petrov",
    "Karim Haddad",
    "Lucas Silva",
    "Marie Dubois",
];
const DOMAINS: &[&str] = &[
    "greenlight.co.uk",
    "compras.es",
    "stroy-torg.ru",
    "gulfbuild.ae",
    "casa-luz.com.br",
    "batiment.fr",
];

/// A realistic inquiry body; with `quoted`, a signature and an earlier quoted message.
fn body(i: usize, quoted: bool) -> String {
    let p = PRODUCTS[i % PRODUCTS.len()];
    let n = NAMES[i % NAMES.len()];
    let mut s = format!(
        "Hi,\n\nWe are an importer and distributor. Please quote {} pcs of {p}, CE and RoHS, FOB Ningbo.\n\
         What is your MOQ, lead time and payment terms? We can accept T/T 30% deposit.\n\
         Please also tell us the warranty and the packaging (carton size, pcs per carton).\n\n\
         Best regards,\n{n}\nPurchasing Manager\nTel: +44 161 496 {:04}\n",
        100 + (i % 50) * 20,
        i % 10_000
    );
    if quoted {
        s.push_str(&format!(
            "\nOn Mon, 3 Mar 2025 at 10:{:02}, Lily Chen <sales@brightstar.cn> wrote:\n> Dear {n},\n> \
             Thank you for your interest in our {p}.\n> Our price is USD {}.50 per piece FOB Ningbo.\n> \
             Best regards,\n> Lily\n",
            i % 60,
            10 + i % 30
        ));
    }
    s
}

fn write_mbox(path: &Path, n: usize) -> std::io::Result<u64> {
    write_mbox_from(path, 0, n)
}

/// The generated messages `start..start + n` (message ids `m{i}`; three per thread, so
/// `start` should be a multiple of three).
fn write_mbox_from(path: &Path, start: usize, n: usize) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut bytes = 0u64;
    for i in start..start + n {
        let thread = i / 3;
        // One buyer domain per thread, so a reply refers to a message of its own thread.
        let d = DOMAINS[thread % DOMAINS.len()];
        let p = PRODUCTS[thread % PRODUCTS.len()];
        let reply = i % 3 != 0;
        let mut msg = format!(
            "From buyer{thread}@{d} Mon Mar  3 10:00:00 2025\nFrom: Buyer {thread} <buyer{thread}@{d}>\n\
             To: sales@brightstar.cn\nSubject: {}Inquiry {thread}: {p}\nDate: Mon, 3 Mar 2025 {:02}:{:02}:00 +0000\n\
             Message-ID: <m{i}@{d}>\n",
            if reply { "Re: " } else { "" },
            (i / 60) % 24,
            i % 60
        );
        if reply {
            msg.push_str(&format!(
                "In-Reply-To: <m{}@{d}>\nReferences: <m{}@{d}>\n",
                i - 1,
                thread * 3
            ));
        }
        msg.push_str("MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n");
        msg.push_str(&body(i, reply));
        msg.push('\n');
        bytes += msg.len() as u64;
        out.write_all(msg.as_bytes())?;
    }
    out.flush()?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTML bench times real work: each client's body gives its new text without the
    /// quoted offer.
    #[test]
    fn html_bench_bodies_split_into_the_new_text() {
        for i in 0..3 {
            let text = tradescout_mail::split::html_new_text(&html_body(i));
            let reply = split_reply(&text);
            let new = reply.without_signature();
            assert!(!new.is_empty(), "{i}: {text}");
            assert!(!new.contains(".90"), "{i}: the quoted price is in {new:?}");
            assert!(
                !new.contains("wrote:") && !new.contains("原始邮件"),
                "{i}: {new:?}"
            );
        }
    }
}
