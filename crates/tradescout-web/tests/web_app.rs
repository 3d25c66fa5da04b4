//! The web app end to end over HTTP, on SQLite and PostgreSQL: authorisation by role (a rep
//! cannot read or change another rep's buyer by API or by URL), CSRF, the sign-in limit,
//! the API contracts, and email HTML shown only sanitised.

mod common;

use common::{client, post_inquiry, sign_in, start, R};
use serde_json::Value;
use tradescout_web::WebConfig;

const INQUIRY: &str = "From: Tom Baker <tom.baker@greenlight-supplies.co.uk>\r\n\
Subject: Inquiry: 100W LED flood light IP65\r\n\
Date: Tue, 4 Mar 2025 09:12:00 +0000\r\n\
Message-ID: <inq-1@greenlight-supplies.co.uk>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\n\
Dear Sir,\r\nWe are an importer in the UK. Please quote 500 pcs 100W LED flood light IP65, \
CE and UKCA, FOB Ningbo, for garden lighting under trees. What is your MOQ and lead time?\r\n\
Best regards,\r\nTom Baker\r\nPurchasing Manager\r\n";

async fn a_rep_cannot_see_or_change_another_reps_buyer(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let c = client()?;
    let id = post_inquiry(&app, "rep1", INQUIRY).await?;
    let get = |who: &'static str, path: String| {
        let c = c.clone();
        let token = app.tokens[who].clone();
        let url = format!("{}{}", app.base, path);
        async move { c.get(url).bearer_auth(token).send().await }
    };
    assert_eq!(
        get("rep1", format!("/api/v1/threads/{id}")).await?.status(),
        200
    );
    assert_eq!(
        get("manager", format!("/api/v1/threads/{id}"))
            .await?
            .status(),
        200
    );
    assert_eq!(
        get("rep2", format!("/api/v1/threads/{id}")).await?.status(),
        404
    );
    let listed: Vec<Value> = get("rep2", "/api/v1/threads".into()).await?.json().await?;
    assert!(listed.iter().all(|t| t["id"].as_i64() != Some(id)));
    let mine: Vec<Value> = get("rep1", "/api/v1/threads".into()).await?.json().await?;
    assert!(mine.iter().any(|t| t["id"].as_i64() == Some(id)));
    // Guessing the page URL, the message frame or a check of that thread: the same 404.
    let rep2 = sign_in(&app, "rep2").await?;
    for path in [
        format!("/threads/{id}"),
        format!("/threads/{id}/messages/1/html"),
    ] {
        let r = c
            .get(format!("{}{path}", app.base))
            .header("cookie", &rep2.cookie)
            .send()
            .await?;
        assert_eq!(r.status(), 404, "{path}");
    }
    let r = c
        .post(format!("{}/api/v1/scout", app.base))
        .bearer_auth(&app.tokens["rep2"])
        .json(&serde_json::json!({"target": "greenlight-supplies.co.uk", "thread_id": id}))
        .send()
        .await?;
    assert_eq!(r.status(), 404);
    // Deals: owned through their salesperson; another rep cannot move one.
    let (deals, _) = tradescout_insights::parse_deals_csv(
        "id,created,source,country,product,salesperson,stage_reached,outcome\n\
          D-1,2026-01-05,website,GB,LED flood light,rep1,evaluation,open\n",
    )?;
    app.store.upsert_deals(&deals, "test").await?;
    app.store.assign_deal_owners().await?;
    let move_by = |who: &'static str| {
        let c = c.clone();
        let token = app.tokens[who].clone();
        let url = format!("{}/api/v1/deals/D-1/stage", app.base);
        async move {
            c.post(url)
                .bearer_auth(token)
                .json(&serde_json::json!({"stage": "decision"}))
                .send()
                .await
        }
    };
    assert_eq!(move_by("rep2").await?.status(), 404);
    let r = c
        .post(format!("{}/deals/D-1/stage", app.base))
        .header("cookie", &rep2.cookie)
        .form(&[("csrf", rep2.csrf.as_str()), ("stage", "decision")])
        .send()
        .await?;
    assert_eq!(r.status(), 404);
    assert_eq!(app.store.deal_history("D-1").await?.len(), 1);
    assert_eq!(move_by("rep1").await?.status(), 200);
    let history = app.store.deal_history("D-1").await?;
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].0, "decision");
    assert_eq!(history[1].2, "rep1");
    Ok(())
}
both_backends!(rep_isolation, a_rep_cannot_see_or_change_another_reps_buyer);

async fn state_changes_need_the_sessions_csrf_token(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let (deals, _) = tradescout_insights::parse_deals_csv(
        "id,created,source,country,product,salesperson,stage_reached,outcome\n\
          D-7,2026-02-01,alibaba,US,UFO high bay,rep1,need_recognition,open\n",
    )?;
    app.store.upsert_deals(&deals, "test").await?;
    app.store.assign_deal_owners().await?;
    let me = sign_in(&app, "rep1").await?;
    let c = client()?;
    let url = format!("{}/deals/D-7/stage", app.base);
    for form in [
        vec![("stage", "evaluation")],
        vec![("csrf", "0000"), ("stage", "evaluation")],
    ] {
        let r = c
            .post(&url)
            .header("cookie", &me.cookie)
            .form(&form)
            .send()
            .await?;
        assert_eq!(r.status(), 403);
    }
    // The right token from another site's page is still refused.
    let r = c
        .post(&url)
        .header("cookie", &me.cookie)
        .header("origin", "https://evil.example")
        .form(&[("csrf", me.csrf.as_str()), ("stage", "evaluation")])
        .send()
        .await?;
    assert_eq!(r.status(), 403);
    assert_eq!(app.store.deal_history("D-7").await?.len(), 1);
    let r = c
        .post(&url)
        .header("cookie", &me.cookie)
        .form(&[("csrf", me.csrf.as_str()), ("stage", "evaluation")])
        .send()
        .await?;
    assert_eq!(r.status(), 303);
    let r = c
        .post(format!("{}/deals/D-7/stage", app.base))
        .header("cookie", &me.cookie)
        .header("x-csrf-token", &me.csrf)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("stage=concerns")
        .send()
        .await?;
    assert_eq!(r.status(), 303);
    assert_eq!(app.store.deal_history("D-7").await?.len(), 3);
    // A pasted inquiry carries the token as its form's first field, never in the address;
    // the rest of the body reaches the handler whole, however long.
    let inbox_page = || async {
        c.get(format!("{}/inbox", app.base))
            .header("cookie", &me.cookie)
            .send()
            .await?
            .text()
            .await
    };
    let page = inbox_page().await?;
    assert!(
        page.contains(r#"<input type="hidden" name="csrf""#),
        "{page}"
    );
    assert!(!page.contains("?csrf="), "{page}");
    // The paste form as a browser sends it: the token first, then the text.
    let form = |token: &str, text: &str| {
        format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n{text}\r\n--XyZ--\r\n"
        )
    };
    let paste = |query: &str, body: String| {
        c.post(format!("{}/inbox{query}", app.base))
            .header("cookie", &me.cookie)
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .body(body)
            .send()
    };
    let inquiry = format!(
        "From: Amani <amani@lights.co.ke>\nSubject: RFQ\n\n{}",
        "We need 500 pcs of 100W flood lights, CIF Mombasa. ".repeat(2_000)
    );
    for (query, token, status) in [
        ("", "0000", 403),
        (format!("?csrf={}", me.csrf).as_str(), "", 403),
        ("", me.csrf.as_str(), 303),
    ] {
        let r = paste(query, form(token, &inquiry)).await?;
        assert_eq!(r.status(), status, "{query} {token}");
    }
    // The stored paste's language is named, not given as its code.
    let inbox = inbox_page().await?;
    assert!(
        inbox.contains("<td>English</td>") || inbox.contains("<td>英语</td>"),
        "{inbox}"
    );
    // An empty paste comes back on the inbox with its reason; a paste that cannot be read
    // keeps what was typed in the box.
    for (text, keeps) in [("   ", ""), ("\u{0}\u{1}\u{2} binary", "binary")] {
        let r = paste("", form(&me.csrf, text)).await?;
        assert_eq!(r.status(), 422, "{text:?}");
        let page = r.text().await?;
        assert!(page.contains(r#"id="paste-error""#), "{page}");
        assert!(page.contains(r#"id="new-inquiry""#), "{page}");
        assert!(page.contains(keeps), "{page}");
    }
    // Signing out ends the session in the store.
    let r = c
        .post(format!("{}/logout", app.base))
        .header("cookie", &me.cookie)
        .form(&[("csrf", me.csrf.as_str())])
        .send()
        .await?;
    assert_eq!(r.status(), 303);
    let r = c
        .get(format!("{}/inbox", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?;
    assert_eq!(r.status(), 303);
    Ok(())
}
both_backends!(csrf, state_changes_need_the_sessions_csrf_token);

async fn sign_in_is_refused_after_five_failures_even_with_the_right_password(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let c = client()?;
    for _ in 0..5 {
        let r = c
            .post(format!("{}/login", app.base))
            .form(&[("name", "manager"), ("password", "guess")])
            .send()
            .await?;
        assert_eq!(r.status(), 401);
    }
    let r = c
        .post(format!("{}/login", app.base))
        .form(&[("name", "manager"), ("password", common::PASSWORD)])
        .send()
        .await?;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("set-cookie").is_none());
    Ok(())
}
both_backends!(
    login_limit,
    sign_in_is_refused_after_five_failures_even_with_the_right_password
);

async fn servers_on_one_database_share_the_sign_in_limit(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let (second, _stop) = common::serve(app.store.clone(), WebConfig::default()).await?;
    let c = client()?;
    let attempt = |base: &str, password: &str| {
        c.post(format!("{base}/login"))
            .form(&[("name", "rep1"), ("password", password)])
            .send()
    };
    // Three wrong guesses on one server and two on the other use up the five tries.
    for base in [&app.base, &second, &app.base, &second, &app.base] {
        assert_eq!(attempt(base, "guess").await?.status(), 401);
    }
    for base in [&app.base, &second] {
        assert_eq!(attempt(base, common::PASSWORD).await?.status(), 429);
    }
    // A colleague at the same address still signs in: the tries count per name and address.
    let r = c
        .post(format!("{second}/login"))
        .form(&[("name", "rep2"), ("password", common::PASSWORD)])
        .send()
        .await?;
    assert_eq!(r.status(), 303);
    // One address guessing many names is stopped too, on either server: 20 tries in all.
    for i in 0..15 {
        let base = if i % 2 == 0 { &app.base } else { &second };
        let r = c
            .post(format!("{base}/login"))
            .form(&[
                ("name", format!("nobody{i}").as_str()),
                ("password", "guess"),
            ])
            .send()
            .await?;
        assert_eq!(r.status(), 401, "try {i}");
    }
    let r = c
        .post(format!("{}/login", app.base))
        .form(&[("name", "manager"), ("password", common::PASSWORD)])
        .send()
        .await?;
    assert_eq!(r.status(), 429);
    Ok(())
}
both_backends!(
    shared_login_limit,
    servers_on_one_database_share_the_sign_in_limit
);

/// Behind a trusted reverse proxy every client comes from the proxy's address: the client is
/// told by `X-Forwarded-For`, so one person's failed tries do not lock out the others; from an
/// untrusted peer the header is ignored.
async fn behind_a_trusted_proxy_one_users_failures_do_not_lock_out_the_team(backend: &str) -> R {
    let loopback: std::net::IpAddr = std::net::Ipv4Addr::LOCALHOST.into();
    let config = WebConfig {
        trusted_proxies: vec![loopback],
        ..WebConfig::default()
    };
    let Some(app) = start(backend, config).await? else {
        return Ok(());
    };
    let c = client()?;
    let attempt = |name: &str, password: &str, client: &str| {
        c.post(format!("{}/login", app.base))
            .header("x-forwarded-for", client)
            .form(&[("name", name), ("password", password)])
            .send()
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("rep1", "guess", "198.51.100.7").await?.status(),
            401
        );
    }
    assert_eq!(
        attempt("rep1", common::PASSWORD, "198.51.100.7")
            .await?
            .status(),
        429
    );
    // The same person from another address, and a colleague through the same proxy, get in.
    assert_eq!(
        attempt("rep1", common::PASSWORD, "198.51.100.8")
            .await?
            .status(),
        303
    );
    assert_eq!(
        attempt("rep2", common::PASSWORD, "203.0.113.20")
            .await?
            .status(),
        303
    );

    // Without the proxy trusted, the header is a claim: changing it does not buy new tries.
    let Some(plain) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    for i in 0..5 {
        let r = c
            .post(format!("{}/login", plain.base))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .form(&[("name", "rep1"), ("password", "guess")])
            .send()
            .await?;
        assert_eq!(r.status(), 401);
    }
    let r = c
        .post(format!("{}/login", plain.base))
        .header("x-forwarded-for", "198.51.100.99")
        .form(&[("name", "rep1"), ("password", common::PASSWORD)])
        .send()
        .await?;
    assert_eq!(r.status(), 429);
    Ok(())
}
both_backends!(
    trusted_proxy_login_limit,
    behind_a_trusted_proxy_one_users_failures_do_not_lock_out_the_team
);

async fn the_api_answers_the_contract_shapes(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let c = client()?;
    assert_eq!(
        c.get(format!("{}/healthz", app.base))
            .send()
            .await?
            .text()
            .await?,
        "ok"
    );
    let r = c.get(format!("{}/api/v1/threads", app.base)).send().await?;
    assert_eq!(r.status(), 401);
    let v: Value = r.json().await?;
    assert_eq!(v["error"], "unauthorized");
    let r = c
        .get(format!("{}/api/v1/threads", app.base))
        .bearer_auth("ts_wrong")
        .send()
        .await?;
    assert_eq!(r.status(), 401);
    let spec: Value = c
        .get(format!("{}/api/v1/openapi.json", app.base))
        .send()
        .await?
        .json()
        .await?;
    assert!(spec["paths"]["/inquiries"]["post"].is_object());
    let analysis: Value = c
        .post(format!("{}/api/v1/analyze", app.base))
        .bearer_auth(&app.tokens["rep1"])
        .body(r#"{"messages":[{"from":"buyer","text":"Please send your price list and MOQ for LED panel lights, we are a distributor in Poland."}]}"#)
        .send()
        .await?
        .json()
        .await?;
    assert!(analysis["stage"]["label"].is_string());
    assert!(analysis["stage"]["evidence"].is_array());
    let r = c
        .post(format!("{}/api/v1/analyze", app.base))
        .bearer_auth(&app.tokens["rep1"])
        .body("   ")
        .send()
        .await?;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await?;
    assert!(
        v["message"].as_str().is_some_and(|m| m.contains("body")),
        "{v}"
    );
    // Nothing was stored by analyze; an inquiry is stored once and listed with its stage.
    assert_eq!(app.store.count_messages().await?, 0);
    let id = post_inquiry(&app, "rep1", INQUIRY).await?;
    let again = post_inquiry(&app, "rep1", INQUIRY).await?;
    assert_eq!(id, again);
    assert_eq!(app.store.count_messages().await?, 1);
    let r = c
        .get(format!("{}/api/v1/threads", app.base))
        .bearer_auth(&app.tokens["rep1"])
        .send()
        .await?;
    assert_eq!(
        r.headers()
            .get("x-total-count")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let list: Vec<Value> = r.json().await?;
    assert_eq!(list[0]["id"].as_i64(), Some(id));
    assert!(list[0]["stage"].is_string());
    let insights: Value = c
        .get(format!("{}/api/v1/insights", app.base))
        .bearer_auth(&app.tokens["manager"])
        .send()
        .await?
        .json()
        .await?;
    assert!(insights["funnel"].is_array());
    let r = c
        .get(format!("{}/api/v1/insights?since=yesterday", app.base))
        .bearer_auth(&app.tokens["manager"])
        .send()
        .await?;
    assert_eq!(r.status(), 400);
    Ok(())
}
both_backends!(api_contract, the_api_answers_the_contract_shapes);

/// Today: an unanswered inquiry is the rep's to reply to, in the contract's shape; another
/// rep does not see it; a manager sees it for the team or by naming the rep.
async fn today_lists_what_needs_the_rep(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let c = client()?;
    let id = post_inquiry(&app, "rep1", INQUIRY).await?;
    let today = |who: &'static str, query: &'static str| {
        let c = c.clone();
        let url = format!("{}/api/v1/today{query}", app.base);
        let token = app.tokens[who].clone();
        async move {
            let r = c.get(url).bearer_auth(token).send().await?;
            let status = r.status().as_u16();
            let v: Value = r.json().await?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((status, v))
        }
    };
    let (status, mine) = today("rep1", "").await?;
    assert_eq!(status, 200);
    let row = mine
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["thread_id"].as_i64() == Some(id)))
        .ok_or_else(|| format!("thread {id} not on Today: {mine}"))?;
    assert_eq!(row["reason"], "new_inquiry", "{row}");
    assert_eq!(row["action"], "reply", "{row}");
    assert!(row["due"].as_str().is_some_and(|d| d.len() == 10), "{row}");
    assert!(row["priority"].as_f64().is_some_and(|p| p > 0.0), "{row}");
    let (_, theirs) = today("rep2", "").await?;
    assert!(
        theirs
            .as_array()
            .is_some_and(|rows| rows.iter().all(|r| r["thread_id"].as_i64() != Some(id))),
        "{theirs}"
    );
    let (_, team) = today("manager", "?rep=rep1").await?;
    assert!(
        team.as_array()
            .is_some_and(|rows| rows.iter().any(|r| r["thread_id"].as_i64() == Some(id))),
        "{team}"
    );
    let (status, _) = today("manager", "?rep=nobody").await?;
    assert_eq!(status, 400);
    // Signing in lands on Today, in the reader's language.
    let me = sign_in(&app, "rep1").await?;
    let page = c
        .get(format!("{}/today", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains(&format!("/threads/{id}")), "{page}");
    assert!(!page.contains("today.reason") && !page.contains("today.action"));
    Ok(())
}
both_backends!(today, today_lists_what_needs_the_rep);

async fn an_analysed_inquiry_is_a_card_on_its_reps_pipeline(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let c = client()?;
    let id = post_inquiry(&app, "rep1", INQUIRY).await?;
    let board = |who: &'static str| {
        let c = c.clone();
        let base = app.base.clone();
        let app = &app;
        async move {
            let me = sign_in(app, who).await?;
            let page = c
                .get(format!("{base}/pipeline"))
                .header("cookie", &me.cookie)
                .send()
                .await?
                .text()
                .await?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(page)
        }
    };
    let mine = board("rep1").await?;
    let card = mine
        .split("<article class=\"deal\"")
        .find(|c| c.contains(&format!("href=\"/threads/{id}\"")))
        .ok_or_else(|| format!("no card for thread {id}: {mine}"))?;
    assert!(card.contains("LED flood light"), "{card}");
    assert!(card.contains("Next:"), "{card}");
    // The mail is dated March 2025: the age counts from it, not from the import.
    assert!(card.contains("days ago"), "{card}");
    assert!(!board("rep2").await?.contains(&format!("/threads/{id}\"")));
    let deals = app
        .store
        .list_deals(&tradescout_store::DealFilter {
            outcome: Some("open".into()),
            limit: 10,
            ..Default::default()
        })
        .await?;
    assert_eq!(
        deals.iter().filter(|d| d.thread_id == Some(id)).count(),
        1,
        "{deals:?}"
    );
    Ok(())
}
both_backends!(
    pipeline_cards,
    an_analysed_inquiry_is_a_card_on_its_reps_pipeline
);

/// A correction on the brief is kept with who made it and shown as such; a value not on
/// offer is refused.
async fn a_correction_on_the_brief_is_kept_and_shown(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let c = client()?;
    let id = post_inquiry(&app, "rep1", INQUIRY).await?;
    let me = sign_in(&app, "rep1").await?;
    for form in [
        vec![("field", "stage"), ("value", "decision")],
        vec![("field", "spam"), ("value", "not_spam")],
        vec![
            ("field", "concerns"),
            ("concern", "price"),
            ("concern", "delivery_time"),
        ],
    ] {
        let mut form = form;
        form.push(("csrf", me.csrf.as_str()));
        let r = c
            .post(format!("{}/threads/{id}/correct", app.base))
            .header("cookie", &me.cookie)
            .form(&form)
            .send()
            .await?;
        assert_eq!(r.status(), 303, "{form:?}");
    }
    let r = c
        .post(format!("{}/threads/{id}/correct", app.base))
        .header("cookie", &me.cookie)
        .form(&[
            ("csrf", me.csrf.as_str()),
            ("field", "stage"),
            ("value", "maybe"),
        ])
        .send()
        .await?;
    assert_eq!(r.status(), 400);
    let kept = app.store.corrections(Some(id)).await?;
    assert_eq!(kept.len(), 3);
    assert_eq!(kept[2].value, "price,delivery_time");
    assert_eq!(kept[0].by.as_deref(), Some("rep1"));
    let brief = c
        .get(format!("{}/threads/{id}", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?;
    assert_eq!(brief.status(), 200);
    let brief = brief.text().await?;
    assert!(brief.contains("corrected by rep1"), "{brief}");
    // Another rep cannot correct a thread they cannot see.
    let other = sign_in(&app, "rep2").await?;
    let r = c
        .post(format!("{}/threads/{id}/correct", app.base))
        .header("cookie", &other.cookie)
        .form(&[
            ("csrf", other.csrf.as_str()),
            ("field", "stage"),
            ("value", "decision"),
        ])
        .send()
        .await?;
    assert_eq!(r.status(), 404);
    Ok(())
}
both_backends!(corrections, a_correction_on_the_brief_is_kept_and_shown);

/// Pasted text with no headers: the signature's address is the buyer's, the subject is the
/// request, and the brief shows the address.
async fn a_headerless_paste_takes_the_signatures_address_and_the_requests_subject(
    backend: &str,
) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let text = "您好，\n\n我们需要 500 个 100W LED 投光灯，IP65，发到迪拜。请报 CIF 价格。\n\n陈志明 采购经理\n华隆贸易有限公司\n邮箱：chen.zm@hualong-trade.ae\n电话：+971 4 555 1234\n";
    let id = post_inquiry(&app, "rep1", text).await?;
    let thread = app.store.thread(id).await?.ok_or("no thread")?;
    let from = thread.messages[0]
        .from
        .as_ref()
        .and_then(|a| a.email.clone())
        .unwrap_or_default();
    assert_eq!(from, "chen.zm@hualong-trade.ae");
    assert!(
        thread.summary.subject.contains("500 ×"),
        "{}",
        thread.summary.subject
    );
    let me = sign_in(&app, "rep1").await?;
    let brief = client()?
        .get(format!("{}/threads/{id}", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?
        .text()
        .await?;
    assert!(brief.contains("chen.zm@hualong-trade.ae"));
    assert!(!brief.contains("buyer.invalid"));
    Ok(())
}
/// An admin changes a role, disables an account (its session stops working and it cannot sign
/// in) and resets a password; nobody disables themselves; a rep cannot do any of it.
async fn an_admin_manages_accounts(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let c = client()?;
    let admin = sign_in(&app, "admin").await?;
    let rep2 = sign_in(&app, "rep2").await?;
    let id_of = |name: &'static str| {
        let store = app.store.clone();
        async move {
            store
                .user_by_name(name)
                .await?
                .map(|u| u.id)
                .ok_or_else(|| format!("no user {name}").into())
        }
    };
    let change = |who: &common::Browser, id: i64, form: Vec<(&'static str, String)>| {
        let mut form = form;
        form.push(("csrf", who.csrf.clone()));
        c.post(format!("{}/settings/users/{id}", app.base))
            .header("cookie", &who.cookie)
            .form(&form)
            .send()
    };
    let rep2_id: i64 = id_of("rep2")
        .await
        .map_err(|e: Box<dyn std::error::Error + Send + Sync>| e)?;
    let admin_id: i64 = id_of("admin")
        .await
        .map_err(|e: Box<dyn std::error::Error + Send + Sync>| e)?;
    // A rep may not.
    let r = change(
        &rep2,
        rep2_id,
        vec![("action", "role".into()), ("role", "admin".into())],
    )
    .await?;
    assert_eq!(r.status(), 403);
    // Nobody disables themselves.
    let r = change(&admin, admin_id, vec![("action", "disable".into())]).await?;
    assert_eq!(r.status(), 400);
    let r = change(
        &admin,
        rep2_id,
        vec![("action", "role".into()), ("role", "manager".into())],
    )
    .await?;
    assert_eq!(r.status(), 303);
    let r = change(&admin, rep2_id, vec![("action", "disable".into())]).await?;
    assert_eq!(r.status(), 303);
    let user = app.store.user(rep2_id).await?.ok_or("gone")?;
    assert!(user.disabled && user.role == tradescout_store::UserRole::Manager);
    let r = c
        .get(format!("{}/inbox", app.base))
        .header("cookie", &rep2.cookie)
        .send()
        .await?;
    assert_ne!(r.status(), 200, "a disabled account's session still works");
    let r = c
        .post(format!("{}/login", app.base))
        .form(&[("name", "rep2"), ("password", common::PASSWORD)])
        .send()
        .await?;
    assert_ne!(r.status(), 303, "a disabled account signed in");
    // Enabled again with a new password: the old one no longer works, the new one does.
    change(&admin, rep2_id, vec![("action", "enable".into())]).await?;
    let r = change(
        &admin,
        rep2_id,
        vec![
            ("action", "password".into()),
            ("password", "a-new-password-42".into()),
        ],
    )
    .await?;
    assert_eq!(r.status(), 303);
    let old = c
        .post(format!("{}/login", app.base))
        .form(&[("name", "rep2"), ("password", common::PASSWORD)])
        .send()
        .await?;
    assert_ne!(old.status(), 303);
    let new = c
        .post(format!("{}/login", app.base))
        .form(&[("name", "rep2"), ("password", "a-new-password-42")])
        .send()
        .await?;
    assert_eq!(new.status(), 303);
    let page = c
        .get(format!("{}/settings", app.base))
        .header("cookie", &admin.cookie)
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains("<thead>") && page.contains("user-table"));
    Ok(())
}
both_backends!(accounts, an_admin_manages_accounts);

both_backends!(
    paste,
    a_headerless_paste_takes_the_signatures_address_and_the_requests_subject
);

async fn pages_render_in_both_languages_and_email_html_is_sanitised(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let evil = "From: Mallory <m@evil.example>\r\nSubject: Order <script>alert(1)</script>\r\n\
        Message-ID: <evil-1@evil.example>\r\nMIME-Version: 1.0\r\n\
        Content-Type: text/html; charset=utf-8\r\n\r\n\
        <p onmouseover=\"steal()\">We need 200 pcs.</p><script>document.title='pwned'</script>\
        <img src=\"https://tracker.evil.example/p.gif\">\r\n";
    let id = post_inquiry(&app, "rep1", evil).await?;
    let me = sign_in(&app, "rep1").await?;
    let c = client()?;
    let page = c
        .get(format!("{}/threads/{id}", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?;
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    let html = page.text().await?;
    assert!(!html.contains("<script>alert(1)"), "subject not escaped");
    assert!(html.contains("&lt;script&gt;"));
    let message = app.store.thread(id).await?.ok_or("thread")?.messages[0].id;
    let frame = c
        .get(format!("{}/threads/{id}/messages/{message}/html", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?;
    assert_eq!(frame.status(), 200);
    let frame_csp = frame
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(frame_csp.starts_with("sandbox"));
    let body = frame.text().await?;
    assert!(body.contains("We need 200 pcs."));
    for bad in ["<script", "onmouseover", "tracker.evil.example"] {
        assert!(!body.contains(bad), "{bad} survived");
    }
    // The viewer's language is kept on their account.
    let en = c
        .get(format!("{}/inbox", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?
        .text()
        .await?;
    assert!(en.contains(">Inbox<"));
    let r = c
        .post(format!("{}/lang", app.base))
        .header("cookie", &me.cookie)
        .form(&[
            ("csrf", me.csrf.as_str()),
            ("lang", "zh-CN"),
            ("back", "//evil.example"),
        ])
        .send()
        .await?;
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/inbox")
    );
    let brief = format!("/threads/{id}");
    for path in common::PAGES.iter().copied().chain([brief.as_str()]) {
        let r = c
            .get(format!("{}{path}", app.base))
            .header("cookie", &me.cookie)
            .send()
            .await?;
        assert_eq!(r.status(), 200, "{path}");
        let zh = r.text().await?;
        assert!(
            zh.contains("询盘") || zh.contains("设置"),
            "{path} not in Chinese"
        );
    }
    Ok(())
}
both_backends!(
    pages,
    pages_render_in_both_languages_and_email_html_is_sanitised
);

async fn a_long_inbox_is_paged_and_each_page_renders(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    for i in 0..55 {
        post_inquiry(
            &app,
            "rep1",
            &format!(
                "Please quote {} pcs LED panel light model P{i}, delivery to Poland.",
                100 + i
            ),
        )
        .await?;
    }
    let me = sign_in(&app, "rep1").await?;
    let c = client()?;
    let first = c
        .get(format!("{}/inbox?q=LED+panel", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?;
    assert_eq!(first.status(), 200);
    let html = first.text().await?;
    assert!(html.contains("1 / 2"), "no pager");
    assert!(
        html.contains("q=LED%20panel"),
        "search lost in the pager link"
    );
    let second = c
        .get(format!("{}/inbox?page=2&q=LED+panel", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?;
    assert_eq!(second.status(), 200);
    assert_eq!(
        second.text().await?.matches("<tr class=\"thread").count(),
        5
    );
    Ok(())
}
both_backends!(paging, a_long_inbox_is_paged_and_each_page_renders);

/// A large catalogue is shown a page at a time, and a search finds rows by any word of their
/// code, name, category or marks across all pages.
async fn a_large_catalogue_is_paged_and_searchable(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    let mut csv = String::from("sku,name,category,certifications\n");
    for i in 0..120 {
        let (name, category) = if i % 3 == 0 {
            ("Electric kettle 1.7L", "appliances")
        } else {
            ("LED flood light 100W", "lighting")
        };
        csv.push_str(&format!("SKU-{i:03},{name} model {i},{category},CE\n"));
    }
    csv.push_str("FL100-65,LED flood light 100W IP65,lighting,CE;UKCA\n");
    let catalogue = tradescout_coach::Catalogue::from_csv(csv.as_bytes())?;
    app.store.upsert_catalogue(&catalogue.products).await?;
    let me = sign_in(&app, "rep1").await?;
    let c = client()?;
    let get = |path: String| {
        let c = c.clone();
        let cookie = me.cookie.clone();
        async move {
            let r = c.get(path).header("cookie", cookie).send().await?;
            assert_eq!(r.status(), 200);
            R::<String>::Ok(r.text().await?)
        }
    };
    let rows = |html: &str| html.matches("<tr><td>").count();
    let first = get(format!("{}/catalogue", app.base)).await?;
    assert_eq!(rows(&first), 50, "one page of rows");
    assert!(first.contains("1 / 3"), "no pager");
    let last = get(format!("{}/catalogue?page=3", app.base)).await?;
    assert_eq!(rows(&last), 21);
    // Past the last page is the last page.
    let beyond = get(format!("{}/catalogue?page=99", app.base)).await?;
    assert_eq!(rows(&beyond), 21);
    let kettles = get(format!("{}/catalogue?q=KETTLE+appliances", app.base)).await?;
    assert_eq!(rows(&kettles), 40);
    assert!(kettles.contains("40 of 121 products match"), "no count");
    let coded = get(format!("{}/catalogue?q=ukca+fl100", app.base)).await?;
    assert_eq!(rows(&coded), 1);
    assert!(coded.contains("FL100-65"));
    let none = get(format!("{}/catalogue?q=solar+panel", app.base)).await?;
    assert_eq!(rows(&none), 0);
    assert!(none.contains("No product matches this search."));
    Ok(())
}
both_backends!(catalogue_paging, a_large_catalogue_is_paged_and_searchable);

/// A chat imported from WhatsApp carries its badge in the inbox; mail does not.
async fn a_whatsapp_thread_has_its_badge_in_the_inbox(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    post_inquiry(
        &app,
        "rep1",
        "From: \"Sarah Jones\" <sarahjones@whatsapp.invalid>\r\nTo: \"Jason Xu\" <jasonxu@seller.invalid>\r\nSubject: WhatsApp: Sarah Jones\r\nDate: Tue, 3 Feb 2026 10:00:00 +0000\r\nMessage-ID: <wa1@whatsapp.invalid>\r\n\r\nHi Jason, can you quote 300 solar street lights 60W?\r\n",
    )
    .await?;
    post_inquiry(&app, "rep1", "Please quote 200 pcs LED panel light 40W.").await?;
    let me = sign_in(&app, "rep1").await?;
    let html = client()?
        .get(format!("{}/inbox", app.base))
        .header("cookie", &me.cookie)
        .send()
        .await?
        .text()
        .await?;
    assert_eq!(html.matches("badge channel").count(), 1, "{html}");
    Ok(())
}
both_backends!(whatsapp_badge, a_whatsapp_thread_has_its_badge_in_the_inbox);

async fn a_new_inquiry_is_lead_scored_from_the_teams_deal_history(backend: &str) -> R {
    let Some(app) = start(backend, WebConfig::default()).await? else {
        return Ok(());
    };
    // Forty closed deals: buyers in GB mostly won, buyers in NG mostly lost.
    let mut csv = String::from(
        "id,created,closed,source,country,product,salesperson,stage_reached,outcome\n",
    );
    for i in 0..40 {
        let (country, outcome) = match i % 4 {
            0 => ("GB", "lost"),
            1..=2 => ("GB", "won"),
            _ => ("NG", "lost"),
        };
        let day = 1 + i % 28;
        csv.push_str(&format!(
            "H-{i},2025-0{m}-{day:02},2025-0{m}-28,email,{country},LED flood light,rep1,evaluation,{outcome}\n",
            m = 1 + i / 10,
        ));
    }
    let (deals, errors) = tradescout_insights::parse_deals_csv(&csv)?;
    assert!(errors.is_empty(), "{errors:?}");
    app.store.upsert_deals(&deals, "test").await?;
    let id = post_inquiry(&app, "rep1", INQUIRY).await?;
    let v: Value = client()?
        .get(format!("{}/api/v1/threads/{id}", app.base))
        .bearer_auth(&app.tokens["rep1"])
        .send()
        .await?
        .json()
        .await?;
    let score = v["thread"]["lead_score"]
        .as_f64()
        .ok_or_else(|| format!("no lead score: {}", v["thread"]))?;
    assert!((0.0..=1.0).contains(&score), "{score}");
    Ok(())
}
both_backends!(
    lead_score,
    a_new_inquiry_is_lead_scored_from_the_teams_deal_history
);
