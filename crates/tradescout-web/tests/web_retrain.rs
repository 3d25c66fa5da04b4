//! The administrator's retrain button on the settings page. In its own test binary: a retrain
//! that is kept replaces the models for the whole process.

mod common;

use common::{client, post_inquiry, sign_in, start, R};
use tradescout_web::WebConfig;

fn inquiry(n: usize, body: &str) -> String {
    format!(
        "From: Buyer {n} <buyer{n}@importer{n}.example>\r\nSubject: Order {n}\r\n\
         Date: Tue, {} Mar 2025 09:12:00 +0000\r\nMessage-ID: <retrain-{n}@importer{n}.example>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        1 + n % 27
    )
}

const BODIES: [&str; 4] = [
    "Dear Sir, we enclose our order No. 4471 for 800 pcs of 50W flood lights at USD 9.20 FOB Ningbo. Please send the proforma invoice.",
    "Hello, the 40 cartons arrived yesterday but 6 lamps have broken glass. Please replace them in the next shipment.",
    "Hi, please quote 300 pcs of 100W high bay lights, CE, CIF Hamburg, and tell us your MOQ.",
    "Your price is 12% above the offer we have from another factory. Can you do better on the 200W model?",
];

async fn retrain_button(backend: &str) -> R {
    let dir = tempfile::tempdir()?;
    // No background worker: it would re-judge the threads due after a retrain while the
    // test looks at them.
    let config = WebConfig {
        models_dir: Some(dir.path().join("models")),
        background_work: false,
        ..WebConfig::default()
    };
    let Some(app) = start(backend, config).await? else {
        return Ok(());
    };
    let c = client()?;
    let admin = sign_in(&app, "admin").await?;
    let press = |who: &common::Browser| {
        c.post(format!("{}/settings/retrain", app.base))
            .header("cookie", &who.cookie)
            .form(&[("csrf", who.csrf.as_str())])
            .send()
    };
    let settings = || async {
        let page = c
            .get(format!("{}/settings", app.base))
            .header("cookie", &admin.cookie)
            .send()
            .await?;
        assert_eq!(page.status(), 200);
        R::Ok(page.text().await?)
    };
    // Before any correction: the button says there is nothing to learn from.
    assert!(!settings().await?.contains("retrain-outcome"));
    assert_eq!(press(&admin).await?.status(), 303);
    let page = settings().await?;
    assert!(page.contains("Nobody has corrected a thread yet"), "{page}");
    // A rep may not press it.
    let rep = sign_in(&app, "rep1").await?;
    assert_eq!(press(&rep).await?.status(), 403);
    // Corrections on eight threads, then a retrain: the outcome and both sets of figures.
    let me = sign_in(&app, "rep1").await?;
    let stages = ["decision", "implementation", "evaluation", "concerns"];
    for n in 0..8 {
        let id = post_inquiry(&app, "rep1", &inquiry(n, BODIES[n % 4])).await?;
        let r = c
            .post(format!("{}/threads/{id}/correct", app.base))
            .header("cookie", &me.cookie)
            .form(&[
                ("csrf", me.csrf.as_str()),
                ("field", "stage"),
                ("value", stages[n % 4]),
            ])
            .send()
            .await?;
        assert_eq!(r.status(), 303);
    }
    let in_use = tradescout_analyze::model::fingerprint();

    assert_eq!(press(&admin).await?.status(), 303);
    let page = settings().await?;
    assert!(page.contains("8 corrected threads, 3 held out"), "{page}");
    assert!(page.contains("retrain-figures"), "{page}");
    let installed = page.contains("are now in use");
    assert!(
        installed || page.contains("the models in use were kept"),
        "{page}"
    );
    // A kept retrain is in use at once and saved where the next start loads it; a refused
    // one is neither.
    let saved = dir.path().join("models").join("stage.bin").exists();
    assert_eq!(saved, installed);
    let now_in_use = tradescout_analyze::model::fingerprint();
    assert_eq!(now_in_use != in_use, installed);
    // Threads judged by the models that were replaced are due for the background worker again.
    let due = app
        .store
        .unanalysed_threads(100, &tradescout_web::engine::analyzer_version())
        .await?;
    assert_eq!(due.len() >= 8, installed, "{due:?}");
    // The page reads in Chinese too.
    let zh = c
        .post(format!("{}/settings/profile", app.base))
        .header("cookie", &admin.cookie)
        .form(&[("csrf", admin.csrf.as_str()), ("lang", "zh-CN")])
        .send()
        .await?;
    assert_eq!(zh.status(), 303);
    let page = settings().await?;
    assert!(page.contains("更正会话 8 个，留作检验 3 个"), "{page}");
    assert!(page.contains("用您的更正训练的模型"), "{page}");
    follows_models_saved_elsewhere(&dir.path().join("models"))?;
    Ok(())
}

/// A server takes up models another process saved in its models directory (once), and not
/// the ones it saved and uses itself.
fn follows_models_saved_elsewhere(models_dir: &std::path::Path) -> R {
    use tradescout_analyze::model::{fingerprint, fingerprint_of, models, Models};
    use tradescout_web::training::{follow_saved_models, save_models};
    let current = models().ok_or("no models in use")?;
    let in_use: Models = (*current).clone();
    let save =
        |m: &Models| save_models(m, models_dir).map_err(|(p, e)| format!("{}: {e}", p.display()));
    save(&in_use)?;
    let mut seen = None;
    assert!(!follow_saved_models(models_dir, &mut seen));
    // Another process saves other weights (here: the same, calibrated a little differently).
    let mut other = in_use.clone();
    other
        .stage
        .set_temperature(other.stage.temperature() * 1.05);
    save(&other)?;
    assert!(follow_saved_models(models_dir, &mut seen));
    assert_eq!(fingerprint(), fingerprint_of(&other));
    assert!(!follow_saved_models(models_dir, &mut seen));
    // Files this build cannot read are left alone.
    std::fs::write(models_dir.join("stage.bin"), b"not a model")?;
    assert!(!follow_saved_models(models_dir, &mut seen));
    assert_eq!(fingerprint(), fingerprint_of(&other));
    // Back to what was in use, for whatever runs next in this process.
    save(&in_use)?;
    assert!(follow_saved_models(models_dir, &mut seen));
    assert_eq!(fingerprint(), fingerprint_of(&in_use));
    Ok(())
}

/// One test for both backends: only one retrain runs at a time in a process, so two tests
/// pressing the button at once would see "busy".
#[tokio::test]
async fn the_retrain_button_learns_from_corrections() -> R {
    retrain_button("sqlite").await?;
    retrain_button("postgres").await
}
