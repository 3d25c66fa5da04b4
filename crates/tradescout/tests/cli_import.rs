//! `tradescout import` end to end: mixed folders, idempotence, per-message errors, exit codes,
//! and recovery from kill -9.

mod common;
use common::*;
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn a_mixed_folder_imports_once_and_reports_the_broken_message_by_file_and_position() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mail = dir.path().join("mail");
    std::fs::create_dir_all(mail.join("Maildir/cur"))?;
    std::fs::create_dir_all(mail.join("Maildir/new"))?;
    std::fs::create_dir_all(mail.join("Maildir/tmp"))?;
    std::fs::write(
        mail.join("Maildir/new/1.host"),
        "From: a@b.com\nSubject: md\n\nhello\n",
    )?;
    std::fs::write(
        mail.join("one.eml"),
        "From: a@b.com\nSubject: eml\n\nhello eml\n",
    )?;
    write_mbox(&mail.join("inbox.mbox"), 5);
    // Second message of this mbox is not a message at all.
    std::fs::write(
        mail.join("broken.mbox"),
        "From x Mon Mar  3 10:00:00 2025\nSubject: fine\n\nok\n\nFrom y Mon Mar  3 10:00:00 2025\n\n\nFrom z Mon Mar  3 10:00:00 2025\nSubject: also fine\n\nok\n",
    )?;
    let db = db_url(dir.path());
    let mail_arg = mail.to_string_lossy().into_owned();
    let first = run(&["--db", &db, "import", &mail_arg, "--format", "json"]);
    // One broken message: the rest is stored, the failure is listed, and the run exits 1.
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("1 inputs could not be imported"),
        "{}",
        stderr(&first)
    );
    let report = json(&first);
    assert_eq!(report["new"], 9, "{report}");
    assert_eq!(report["duplicate"], 0);
    let failed = report["failed"].as_array().cloned().unwrap_or_default();
    assert_eq!(failed.len(), 1, "{report}");
    assert!(failed[0]["source"]
        .as_str()
        .unwrap_or_default()
        .ends_with("broken.mbox"));
    assert_eq!(failed[0]["position"], 2);
    assert!(!failed[0]["reason"].as_str().unwrap_or_default().is_empty());

    let again = json(&run(&[
        "--db", &db, "import", &mail_arg, "--format", "json",
    ]));
    assert_eq!(again["new"], 0);
    assert_eq!(again["duplicate"], 9);
    Ok(())
}

#[test]
fn text_output_counts_in_the_chosen_language() -> TestResult {
    let dir = tempfile::tempdir()?;
    write_mbox(&dir.path().join("a.mbox"), 3);
    let db = db_url(dir.path());
    let path = dir.path().join("a.mbox").to_string_lossy().into_owned();
    let en = run(&["--db", &db, "import", &path]);
    assert!(stdout(&en).contains("3 new"), "{}", stdout(&en));
    let zh = run(&["--db", &db, "--lang", "zh-CN", "import", &path]);
    assert!(stdout(&zh).contains("已存在 3 封"), "{}", stdout(&zh));
    Ok(())
}

#[test]
fn a_missing_path_alone_is_bad_input_naming_the_path() -> TestResult {
    let dir = tempfile::tempdir()?;
    let out = run(&["--db", &db_url(dir.path()), "import", "/no/such/inbox.mbox"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/no/such/inbox.mbox"),
        "{}",
        stderr(&out)
    );
    Ok(())
}

#[test]
fn a_bad_database_url_is_a_usage_error() {
    let out = run(&["--db", "mysql://x", "threads"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("mysql://x"));
}

#[test]
fn an_import_killed_midway_and_run_again_stores_every_message_exactly_once() -> TestResult {
    let dir = tempfile::tempdir()?;
    let n = 20_000;
    let mbox = dir.path().join("big.mbox");
    write_mbox(&mbox, n);
    let db = db_url(dir.path());
    let path = mbox.to_string_lossy().into_owned();
    let mut child = bin()
        .args(["--db", &db, "import", &path, "--batch", "200"])
        .spawn()?;
    // Kill it once some batches are committed (or give up waiting and kill anyway).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let stored = runtime.block_on(async {
            match tradescout_store::open(&db).await {
                Ok(s) => s.count_messages().await.unwrap_or(0),
                Err(_) => 0,
            }
        });
        if stored > 0 || Instant::now() > deadline || child.try_wait()?.is_some() {
            break;
        }
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    let again = json(&run(&["--db", &db, "import", &path, "--format", "json"]));
    let new = again["new"].as_u64().unwrap_or_default();
    let dup = again["duplicate"].as_u64().unwrap_or_default();
    assert_eq!(new + dup, n as u64, "{again}");
    let total =
        runtime.block_on(async { tradescout_store::open(&db).await?.count_messages().await })?;
    assert_eq!(total, n as i64);
    Ok(())
}

/// A WhatsApp export imports as one thread, twice without duplicates; a line that cannot be
/// read is reported with its line number while the rest is stored, and the run exits 1.
#[test]
fn a_whatsapp_chat_imports_once_and_names_a_bad_line() -> TestResult {
    let dir = tempfile::tempdir()?;
    let chat = std::fs::read_to_string("../tradescout-chat/tests/fixtures/android_en_gb_24h.txt")?;
    let path = dir.path().join("WhatsApp Chat with Sarah Jones.txt");
    std::fs::write(&path, &chat)?;
    let db = db_url(dir.path());
    let p = path.to_string_lossy().into_owned();
    let first = run(&[
        "--db", &db, "import", &p, "--me", "Jason Xu", "--format", "json",
    ]);
    assert!(first.status.success(), "{}", stderr(&first));
    let report = json(&first);
    let new = report["new"].as_u64().unwrap_or(0);
    assert!(new >= 5, "{report}");
    let again = json(&run(&[
        "--db", &db, "import", &p, "--me", "Jason Xu", "--format", "json",
    ]));
    assert_eq!(again["new"], 0, "{again}");
    assert_eq!(again["duplicate"].as_u64(), Some(new));
    let threads = json(&run(&["--db", &db, "threads", "--format", "json"]));
    let list = threads.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 1, "one chat, one thread: {threads}");
    assert!(list[0]["subject"]
        .as_str()
        .is_some_and(|s| s.starts_with("WhatsApp:")));
    // The inbox shows where it came from.
    assert_eq!(list[0]["channel"], "whatsapp", "{threads}");

    // An impossible date on one line: that line is named, the others are stored.
    let broken = dir.path().join("broken.txt");
    std::fs::write(
        &broken,
        "03/02/2026, 10:00 - Ana López: Hola, necesito 500 lámparas\n31/02/2026, 10:05 - Ana López: ¿precio FOB?\n04/02/2026, 09:00 - Li Wei: Buenos días Ana, le envío la cotización hoy.\n",
    )?;
    let b = broken.to_string_lossy().into_owned();
    let out = run(&[
        "--db", &db, "import", &b, "--me", "Li Wei", "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["new"], 2, "{report}");
    let failed = report["failed"].as_array().cloned().unwrap_or_default();
    assert_eq!(failed.len(), 1, "{report}");
    assert_eq!(failed[0]["position"], 2, "{report}");
    Ok(())
}

/// `train --from-store`: with no corrections it says so; with corrections it reports the
/// held-out figures before and after and keeps the models in use unless the new ones are no
/// worse.
#[test]
fn training_from_the_stores_corrections_reports_and_keeps_the_better_model() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = db_url(dir.path());
    let out_dir = dir.path().join("models");
    let out_arg = out_dir.to_string_lossy().into_owned();
    let none = run(&["--db", &db, "train", "--from-store", "--out", &out_arg]);
    assert!(none.status.success(), "{}", stderr(&none));
    assert!(
        stdout(&none).contains("No corrections"),
        "{}",
        stdout(&none)
    );
    // Three inquiries imported, each corrected as a person would on the brief.
    let mail = dir.path().join("mail");
    std::fs::create_dir_all(&mail)?;
    let bodies = [
        "We hereby place our order for 2,000 pcs as per your PI 2026-031; deposit paid today.",
        "Your price is 15% above the other supplier. Can you do USD 8.20 for 3,000 pcs?",
        "Please send your catalogue and price list, we are a distributor in Kenya.",
    ];
    for (i, body) in bodies.iter().enumerate() {
        std::fs::write(
            mail.join(format!("{i}.eml")),
            format!("From: buyer{i}@example.com\nMessage-ID: <t{i}@example.com>\nSubject: Order {i}\nDate: Mon, 2 Mar 2026 10:0{i}:00 +0000\n\n{body}\n"),
        )?;
    }
    let m = mail.to_string_lossy().into_owned();
    assert!(run(&["--db", &db, "import", &m]).status.success());
    let store = tokio::runtime::Runtime::new()?.block_on(async {
        let store = tradescout_store::open(&db).await?;
        for (thread, stage) in store
            .list_threads(&tradescout_store::ThreadFilter::default())
            .await?
            .iter()
            .zip(["decision", "concerns", "need_recognition"])
        {
            store
                .add_correction(&tradescout_store::NewCorrection {
                    thread_id: thread.id,
                    field: "stage".into(),
                    value: stage.into(),
                    user_id: None,
                })
                .await?;
        }
        Ok::<_, Box<dyn std::error::Error>>(store)
    })?;
    drop(store);
    let out = run(&[
        "--db",
        &db,
        "train",
        "--from-store",
        "--report",
        "--out",
        &out_arg,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["corrected_threads"], 3, "{v}");
    assert_eq!(v["held_out_threads"], 1, "{v}");
    assert!(
        v["before"]["n"].as_u64() == Some(1) && v["after"]["n"].as_u64() == Some(1),
        "{v}"
    );
    // Saved exactly when the new models were judged no worse.
    let saved = v["saved"].as_bool().unwrap_or(false);
    assert_eq!(out_dir.join("stage.bin").exists(), saved, "{v}");
    Ok(())
}
