//! `tradescout bench --only soak`: a busy team on loopback. The server runs as its own
//! process (`tradescout serve`), a second process imports an mbox into the same database,
//! and `--connections` clients hit the server for `--seconds` with a mix of inbox and
//! Today pages, briefs, thread lists, pasted inquiries and deal-stage changes, while a probe
//! times `/healthz`. Reported: answers by status, p50/p99 per kind of request, the server's
//! peak RSS, and an integrity check afterwards — every accepted paste stored once, every
//! imported message stored once (a second import adds nothing), every accepted stage change
//! in the deal's history. Any answer ≥ 500 or any integrity failure fails the run.

use super::{write_mbox_from, BenchFigure};
use crate::failure::Failure;
use crate::import::{import_paths, ImportOptions};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use tradescout_core::{tr, Lang};
use tradescout_mail::ParseLimits;

/// Threads stored before the load starts (three messages each).
const SEED_THREADS: usize = 2_000;
/// Messages the concurrent import adds.
const IMPORT_MESSAGES: usize = 30_000;
/// Deals whose stage the clients move.
const DEALS: usize = 200;
/// Large inquiries pasted at once after the load, and the size of each.
const BURST_PASTES: usize = 16;
const BURST_BYTES: usize = 15_000_000;
/// Sequence numbers of the burst's pastes, apart from the load's.
const BURST_SEQ: u64 = 1 << 40;
const CSRF: &str = "soak-csrf";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Inbox,
    Today,
    Brief,
    ApiThreads,
    Paste,
    Stage,
    Health,
}

impl Op {
    fn label(self) -> &'static str {
        match self {
            Op::Inbox => "GET /inbox",
            Op::Today => "GET /today",
            Op::Brief => "GET /threads/{id}",
            Op::ApiThreads => "GET /api/v1/threads",
            Op::Paste => "POST /api/v1/inquiries",
            Op::Stage => "POST /api/v1/deals/{id}/stage",
            Op::Health => "GET /healthz",
        }
    }
}

/// The request mix, by weight out of 20.
fn pick(n: u64) -> Op {
    match n % 20 {
        0..=5 => Op::Inbox,
        6..=7 => Op::Today,
        8..=11 => Op::Brief,
        12..=13 => Op::ApiThreads,
        14..=16 => Op::Paste,
        _ => Op::Stage,
    }
}

#[derive(Default)]
struct Tally {
    /// (op, status) → count; status 0 = no answer (connection error or timeout).
    statuses: BTreeMap<(Op, u16), u64>,
    latencies: BTreeMap<Op, Vec<f64>>,
    /// Accepted pastes: (token, thread id).
    pastes: Vec<(String, i64)>,
    /// Accepted stage changes per deal.
    moves: BTreeMap<String, u64>,
}

impl Tally {
    /// Adds one client's tally to the run's.
    fn merge(&mut self, other: Tally) {
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
        for (k, mut v) in other.latencies {
            self.latencies.entry(k).or_default().append(&mut v);
        }
        let mut pastes = other.pastes;
        self.pastes.append(&mut pastes);
        for (k, v) in other.moves {
            *self.moves.entry(k).or_default() += v;
        }
    }
}

/// Resident and peak resident memory of a process, in MB.
fn rss_of(pid: u32) -> (f64, f64) {
    let pid = pid.to_string();
    (
        super::status_mb(&pid, "VmRSS:"),
        super::status_mb(&pid, "VmHWM:"),
    )
}

fn free_port() -> Result<u16, Failure> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Failure::runtime(format!("127.0.0.1: {e}")))
}

/// Runs the soak on `db` (a fresh SQLite file or an empty PostgreSQL database).
pub async fn bench_soak(
    dir: &Path,
    db: &str,
    connections: usize,
    seconds: u64,
    lang: Lang,
) -> Result<Vec<BenchFigure>, Failure> {
    let runtime = |e: &dyn std::fmt::Display| Failure::runtime(e.to_string());
    let backend = super::backend_name(db);
    let exe = std::env::current_exe().map_err(|e| runtime(&e))?;
    // A fresh database each run: a SQLite file left by an earlier run is removed; a
    // PostgreSQL database must be empty (the generated message ids would be duplicates).
    if let Some(path) = db.strip_prefix("sqlite:") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    // Seed: threads, a manager's session, deals.
    let store = tradescout_store::open(db)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    if store
        .count_messages()
        .await
        .map_err(|e| Failure::store(lang, &e))?
        > 0
    {
        return Err(Failure::input(format!(
            "{db}: the soak needs an empty database (it holds messages already)"
        )));
    }
    let seed = dir.join("soak-seed.mbox");
    write_mbox_from(&seed, 0, SEED_THREADS * 3).map_err(|e| runtime(&e))?;
    let options = ImportOptions {
        me: None,
        batch: 500,
        limits: ParseLimits::default(),
        progress: false,
    };
    import_paths(store.clone(), vec![seed.clone()], options.clone(), lang).await?;
    let hash = tradescout_web::hash_password("soak-password").map_err(|e| runtime(&e))?;
    let manager = store
        .create_user(&tradescout_store::NewUser {
            name: "soak-manager".into(),
            role: tradescout_store::UserRole::Manager,
            password_hash: hash,
            lang: Some("en".into()),
        })
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let secret = "soak-session-manager";
    store
        .create_session(
            &tradescout_web::accounts::digest(secret),
            manager,
            &serde_json::json!({ "csrf": CSRF }),
            "2999-01-01T00:00:00Z",
        )
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let deals = super::generate_deals(DEALS);
    let deal_ids: Vec<String> = deals.iter().map(|d| d.id.to_string()).collect();
    store
        .upsert_deals(&deals, "soak")
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let mut history_before = BTreeMap::new();
    for id in &deal_ids {
        let n = store
            .deal_history(id)
            .await
            .map_err(|e| Failure::store(lang, &e))?
            .len();
        history_before.insert(id.clone(), n);
    }
    let messages_before = store
        .count_messages()
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    drop(store);

    // The server, in its own process, on an empty config.
    let config = dir.join("soak-config.toml");
    std::fs::write(&config, "").map_err(|e| runtime(&e))?;
    let port = free_port()?;
    let addr = format!("127.0.0.1:{port}");
    let child = tokio::process::Command::new(&exe)
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(&config)
        .args(["--lang", "en", "serve", "--bind", &addr])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| runtime(&format!("{}: {e}", exe.display())))?;
    let pid = child.id().unwrap_or(0);
    // `kill_on_drop`: an early return stops the server too.
    let mut server = child;
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| runtime(&e))?;
    let up = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                break;
            }
        }
        if let Ok(Some(status)) = server.try_wait() {
            return Err(runtime(&format!("tradescout serve exited: {status}")));
        }
        if up.elapsed() > Duration::from_secs(30) {
            return Err(runtime(&format!(
                "{addr}: the server did not answer in 30 s"
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The import, in its own process, while the load runs.
    let mbox = dir.join("soak-import.mbox");
    write_mbox_from(&mbox, SEED_THREADS * 3, IMPORT_MESSAGES).map_err(|e| runtime(&e))?;
    let import = tokio::process::Command::new(&exe)
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(&config)
        .args(["--lang", "en", "import", "--quiet", "--format", "json"])
        .arg(&mbox)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| runtime(&e))?;
    let import = tokio::spawn(import.wait_with_output());

    let tally = Arc::new(Mutex::new(Tally::default()));
    let stop_at = Instant::now() + Duration::from_secs(seconds);
    let cookie = format!("tradescout_session={secret}");
    let deal_ids = Arc::new(deal_ids);
    let max_thread = (SEED_THREADS as i64).max(1);
    let mut clients = Vec::with_capacity(connections + 2);
    for c in 0..connections {
        let (client, base, cookie, tally, deal_ids) = (
            client.clone(),
            base.clone(),
            cookie.clone(),
            tally.clone(),
            deal_ids.clone(),
        );
        clients.push(tokio::spawn(async move {
            let mut n = c as u64 * 7;
            let mut local = Tally::default();
            while Instant::now() < stop_at {
                n += 1;
                let op = pick(n.wrapping_mul(0x9E37_79B9));
                let request = match op {
                    Op::Inbox => client.get(format!("{base}/inbox?page={}", 1 + n % 20)),
                    Op::Today => client.get(format!("{base}/today")),
                    Op::Brief => client.get(format!(
                        "{base}/threads/{}",
                        1 + (n as i64 * 31) % max_thread
                    )),
                    Op::ApiThreads => client.get(format!("{base}/api/v1/threads?limit=50")),
                    Op::Paste => client
                        .post(format!("{base}/api/v1/inquiries"))
                        .header("x-csrf-token", CSRF)
                        .header("content-type", "text/plain; charset=utf-8")
                        .body(paste_body(c, n)),
                    Op::Stage => {
                        let id = &deal_ids[(n as usize * 13) % deal_ids.len()];
                        let stage = tradescout_core::Stage::ALL
                            [(n as usize) % tradescout_core::Stage::ALL.len()];
                        client
                            .post(format!("{base}/api/v1/deals/{id}/stage"))
                            .header("x-csrf-token", CSRF)
                            .json(&serde_json::json!({ "stage": stage.as_str(), "note": "soak" }))
                    }
                    Op::Health => client.get(format!("{base}/healthz")),
                };
                let t = Instant::now();
                let answer = request.header("cookie", &cookie).send().await;
                let (status, body) = match answer {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        (status, r.bytes().await.ok())
                    }
                    Err(_) => (0, None),
                };
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                *local.statuses.entry((op, status)).or_default() += 1;
                local.latencies.entry(op).or_default().push(ms);
                if (200..300).contains(&status) {
                    match op {
                        Op::Paste => {
                            let id = body
                                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                                .and_then(|v| v.get("thread_id").and_then(|t| t.as_i64()))
                                .unwrap_or(-1);
                            local.pastes.push((token(c, n), id));
                        }
                        Op::Stage => {
                            let id = &deal_ids[(n as usize * 13) % deal_ids.len()];
                            *local.moves.entry(id.clone()).or_default() += 1;
                        }
                        _ => {}
                    }
                }
            }
            tally.lock().await.merge(local);
        }));
    }
    // The health probe, four times a second, on its own connection.
    {
        let (client, base, tally) = (client.clone(), base.clone(), tally.clone());
        clients.push(tokio::spawn(async move {
            let mut local = Tally::default();
            while Instant::now() < stop_at {
                let t = Instant::now();
                let status = match client.get(format!("{base}/healthz")).send().await {
                    Ok(r) => r.status().as_u16(),
                    Err(_) => 0,
                };
                *local.statuses.entry((Op::Health, status)).or_default() += 1;
                local
                    .latencies
                    .entry(Op::Health)
                    .or_default()
                    .push(t.elapsed().as_secs_f64() * 1000.0);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            tally.lock().await.merge(local);
        }));
    }
    // The server's memory, sampled while the load runs.
    let mut rss_max = 0.0f64;
    while Instant::now() < stop_at {
        rss_max = rss_max.max(rss_of(pid).0);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    for c in clients {
        let _ = c.await;
    }
    let load_secs = seconds as f64;
    let import_output = import
        .await
        .map_err(|e| runtime(&e))?
        .map_err(|e| runtime(&e))?;
    let (rss_now, _) = rss_of(pid);
    // The burst: BURST_PASTES large inquiries at once, as a team pasting long threads would.
    let burst_started = Instant::now();
    let burst = {
        let mut sends = Vec::with_capacity(BURST_PASTES);
        for b in 0..BURST_PASTES {
            let (client, base, cookie) = (client.clone(), base.clone(), cookie.clone());
            sends.push(tokio::spawn(async move {
                let n = BURST_SEQ + b as u64;
                let answer = client
                    .post(format!("{base}/api/v1/inquiries"))
                    .header("x-csrf-token", CSRF)
                    .header("content-type", "text/plain; charset=utf-8")
                    .header("cookie", &cookie)
                    .timeout(Duration::from_secs(120))
                    .body(large_paste_body(b, n))
                    .send()
                    .await;
                match answer {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let id = r
                            .bytes()
                            .await
                            .ok()
                            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                            .and_then(|v| v.get("thread_id").and_then(|t| t.as_i64()))
                            .unwrap_or(-1);
                        (status, token(b, n), id)
                    }
                    Err(_) => (0, token(b, n), -1),
                }
            }));
        }
        let mut burst_rss_max = 0.0f64;
        while sends.iter().any(|s| !s.is_finished()) {
            burst_rss_max = burst_rss_max.max(rss_of(pid).0);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut answers = Vec::with_capacity(sends.len());
        for s in sends {
            answers.push(s.await.map_err(|e| runtime(&e))?);
        }
        (burst_rss_max, answers)
    };
    let burst_secs = burst_started.elapsed().as_secs_f64();
    let (burst_rss_max, burst_answers) = burst;
    {
        let mut tally = tally.lock().await;
        for (status, token, id) in burst_answers {
            *tally.statuses.entry((Op::Paste, status)).or_default() += 1;
            if (200..300).contains(&status) {
                tally.pastes.push((token, id));
            }
        }
    }
    let (_, rss_peak) = rss_of(pid);
    // A minute's rest shows whether memory goes back after the burst (shortened for short runs).
    tokio::time::sleep(Duration::from_secs(seconds.min(60))).await;
    let (rss_rest, _) = rss_of(pid);
    let _ = server.start_kill();
    let _ = server.wait().await;

    // Integrity, read back with a fresh connection.
    let store = tradescout_store::open(db)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let mut problems: Vec<String> = Vec::new();
    let imported: serde_json::Value =
        serde_json::from_slice(&import_output.stdout).unwrap_or_default();
    let import_new = imported.get("new").and_then(|v| v.as_u64()).unwrap_or(0);
    if !import_output.status.success() || import_new != IMPORT_MESSAGES as u64 {
        problems.push(format!(
            "the concurrent import stored {import_new} of {IMPORT_MESSAGES} messages ({}): {}",
            import_output.status,
            String::from_utf8_lossy(&import_output.stderr).trim()
        ));
    }
    let tally = std::mem::take(&mut *tally.lock().await);
    let mut seen = std::collections::HashSet::new();
    for (token, id) in &tally.pastes {
        if !seen.insert(*id) {
            problems.push(format!("paste {token}: thread {id} was returned twice"));
            continue;
        }
        let found = store
            .thread(*id)
            .await
            .map_err(|e| Failure::store(lang, &e))?
            .is_some_and(|t| t.messages.iter().any(|m| m.text.contains(token.as_str())));
        if !found {
            problems.push(format!("paste {token}: thread {id} does not hold it"));
        }
    }
    let messages_after = store
        .count_messages()
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let expected = messages_before + import_new as i64 + tally.pastes.len() as i64;
    if messages_after != expected {
        problems.push(format!(
            "{messages_after} messages stored, {expected} expected ({messages_before} before, {import_new} imported, {} pasted)",
            tally.pastes.len()
        ));
    }
    let again = import_paths(store.clone(), vec![mbox.clone()], options, lang).await?;
    if again.new != 0 {
        problems.push(format!(
            "importing the mbox again stored {} new messages",
            again.new
        ));
    }
    for (id, before) in &history_before {
        let after = store
            .deal_history(id)
            .await
            .map_err(|e| Failure::store(lang, &e))?
            .len();
        let moved = tally.moves.get(id).copied().unwrap_or(0) as usize;
        if after != before + moved {
            problems.push(format!(
                "deal {id}: {after} history entries, {} expected",
                before + moved
            ));
        }
    }
    let _ = std::fs::remove_file(&seed);
    let _ = std::fs::remove_file(&mbox);
    // The run's known session secret must not outlive it.
    let _ = store
        .delete_session(&tradescout_web::accounts::digest(secret))
        .await;

    let mut figures = Vec::new();
    let mut failing = 0u64;
    let mut statuses_line = Vec::new();
    for ((op, status), count) in &tally.statuses {
        if *status >= 500 || *status == 0 {
            failing += count;
        }
        statuses_line.push(format!("{} {}: {count}", op.label(), status));
    }
    for (op, mut times) in tally.latencies {
        times.sort_by(f64::total_cmp);
        let pct = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        let errors: u64 = tally
            .statuses
            .iter()
            .filter(|((o, s), _)| *o == op && (*s >= 500 || *s == 0))
            .map(|(_, c)| c)
            .sum();
        figures.push(BenchFigure {
            name: format!(
                "soak {backend}, {connections} connections: {} p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {errors} errors",
                op.label(),
                pct(0.5),
                pct(0.99),
                pct(1.0)
            ),
            count: times.len() as u64,
            seconds: load_secs,
            per_second: times.len() as f64 / load_secs.max(1e-9),
            peak_rss_mb: rss_peak,
            input_mb: 0.0,
        });
    }
    figures.push(BenchFigure {
        name: format!(
            "soak {backend}: server RSS sampled max {rss_max:.0} MB under load, {rss_now:.0} MB at its end; {BURST_PASTES} pastes of {} MB at once took {burst_secs:.1} s with RSS up to {burst_rss_max:.0} MB; after {} s at rest {rss_rest:.0} MB; answers {}",
            BURST_BYTES / 1_000_000,
            seconds.min(60),
            statuses_line.join(", ")
        ),
        count: tally.statuses.values().sum(),
        seconds: load_secs,
        per_second: tally.statuses.values().sum::<u64>() as f64 / load_secs.max(1e-9),
        peak_rss_mb: rss_peak,
        input_mb: 0.0,
    });
    if failing > 0 || !problems.is_empty() {
        let mut lines = vec![tr(
            lang,
            "bench.soak_failed",
            &[("backend", &backend), ("errors", &failing)],
        )];
        lines.extend(problems.into_iter().take(20));
        for f in &figures {
            lines.push(f.name.clone());
        }
        return Err(Failure::runtime(lines.join("\n")));
    }
    Ok(figures)
}

fn token(client: usize, n: u64) -> String {
    format!("SOAK-{client}-{n}")
}

/// A pasted inquiry that carries its own token, so the check can find it afterwards.
fn paste_body(client: usize, n: u64) -> String {
    format!(
        "From: Buyer {client} <buyer{client}@soak-{n}.example>\nSubject: Inquiry {token}\n\n\
         Dear Sir,\n\nPlease quote {} pcs of 100W LED flood light, CE, FOB Ningbo, reference {token}.\n\
         What is your lead time?\n\nRegards,\nBuyer {client}\n",
        100 + n % 900,
        token = token(client, n)
    )
}

/// A long pasted thread of about [`BURST_BYTES`]: the inquiry with its token, then quoted
/// history lines that vary, so nothing compresses them into one repeated line.
fn large_paste_body(client: usize, n: u64) -> String {
    let mut body = paste_body(client, n);
    let mut line = 0u64;
    while body.len() < BURST_BYTES {
        line += 1;
        body.push_str(&format!(
            "> On day {line} we shipped {} cartons of item {} to warehouse {}; please check the packing list.\n",
            10 + line % 90,
            line.wrapping_mul(2_654_435_761) % 100_000,
            line % 37
        ));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_paste_is_large_carries_its_token_once_and_does_not_repeat_one_line() {
        let body = large_paste_body(3, BURST_SEQ + 3);
        assert!(body.len() >= BURST_BYTES && body.len() < BURST_BYTES + 200);
        assert_eq!(body.matches(&token(3, BURST_SEQ + 3)).count(), 2);
        let lines: std::collections::HashSet<&str> = body.lines().skip(8).take(1000).collect();
        assert_eq!(lines.len(), 1000);
    }
}
