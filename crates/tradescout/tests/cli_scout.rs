//! `tradescout scout`: the JSON contract fields against a fixture company site and an RDAP
//! fixture served on loopback (`--allow-private --resolve --rdap-base --no-network-lookups`).

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;

/// Serves fixed `(path, content type, body)` routes on 127.0.0.1; returns the port.
fn serve(routes: Vec<(&'static str, &'static str, String)>) -> u16 {
    let listener =
        TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("cannot bind fixture: {e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("no address: {e}"))
        .port();
    thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
                if buf.first() == Some(&0x16) {
                    break;
                }
            }
            let head = String::from_utf8_lossy(&buf).into_owned();
            let path = head.split_whitespace().nth(1).unwrap_or("/");
            let (status, ctype, body) = match routes.iter().find(|(p, _, _)| *p == path) {
                Some((_, c, b)) => ("200 OK", *c, b.clone()),
                None => ("404 Not Found", "text/plain", "not found".to_string()),
            };
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    port
}

/// A retailer: JSON-LD Store in the UK, a cart, a contact page with an obfuscated address.
fn shop() -> u16 {
    let home = r#"<html><head><title>Brightside Home Ltd</title>
<script type="application/ld+json">{"@type":"Store","name":"Brightside Home Ltd",
"address":{"@type":"PostalAddress","addressLocality":"Leeds","addressCountry":"GB"},
"telephone":"+44 113 496 0000","sameAs":["https://www.instagram.com/brightsidehome"]}</script></head>
<body><a href="/cart">Basket</a> <a href="/contact-us">Contact us</a>
<button class="add-to-cart">Add to cart</button><p>Free shipping on orders over £50. Checkout in seconds.</p></body></html>"#;
    let contact =
        "<html><body><p>Trade enquiries: buying [at] brightside [dot] example</p></body></html>";
    serve(vec![
        ("/", "text/html; charset=utf-8", home.to_string()),
        ("/contact-us", "text/html", contact.to_string()),
    ])
}

fn rdap() -> u16 {
    let body = r#"{"events":[{"eventAction":"registration","eventDate":"2015-09-01T12:00:00Z"}],
"entities":[{"roles":["registrar"],"vcardArray":["vcard",[["fn",{},"text","Fixture Registrar Ltd"]]]}]}"#;
    serve(vec![(
        "/domain/shop.example",
        "application/rdap+json",
        body.to_string(),
    )])
}

#[test]
fn json_report_has_the_contract_fields_for_a_fixture_shop() {
    let port = shop();
    let rdap_port = rdap();
    let resolve = format!("shop.example=127.0.0.1:{port}");
    let rdap_base = format!("http://127.0.0.1:{rdap_port}");
    let out = run(&[
        "scout",
        "orders@shop.example",
        "--format",
        "json",
        "--allow-private",
        "--resolve",
        &resolve,
        "--rdap-base",
        &rdap_base,
        "--no-network-lookups",
        "--timeout",
        "5",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["target"], "orders@shop.example");
    assert_eq!(v["domain"], "shop.example");
    assert_eq!(v["email_kind"], "company");
    assert_eq!(v["company"]["name"], "Brightside Home Ltd");
    assert_eq!(v["company"]["country"], "GB");
    assert_eq!(v["company"]["business_type"], "retailer");
    for key in ["address", "founded", "size_hint"] {
        assert!(v["company"].get(key).is_some(), "company.{key} missing");
    }
    let emails = v["emails"].as_array().cloned().unwrap_or_default();
    assert!(
        emails.iter().any(|e| e == "buying@brightside.example"),
        "{emails:?}"
    );
    assert_eq!(v["phones"][0], "+441134960000");
    assert_eq!(v["social"][0], "https://www.instagram.com/brightsidehome");
    assert!(v["mail"]["mx"].is_null());
    assert_eq!(v["domain_info"]["created"], "2015-09-01");
    assert_eq!(v["domain_info"]["registrar"], "Fixture Registrar Ltd");
    assert!(v["domain_info"]["age_days"].as_i64().unwrap_or(0) > 3000);
    assert!(v["sanctions"]["screened_lists"].is_array());
    assert!(v["sanctions"]["hits"].is_array());
    assert!(v["fit"]["score"].is_u64() && v["fit"]["reasons"].is_array());
    assert!(v["risk"]["score"].is_u64() && v["risk"]["flags"].is_array());
    assert_eq!(v["pages_fetched"], 2);
    assert!(v["elapsed_ms"].is_u64());
    assert!(v["errors"].is_array());
    assert!(v["products"].is_array());
}

#[test]
fn markdown_report_and_bad_target_exit_codes() {
    let out = run(&["scout", "not a target", "--no-network-lookups"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&[
        "scout",
        "someone@gmail.com",
        "--format",
        "md",
        "--no-network-lookups",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("free mailbox"), "{}", stdout(&out));
}

#[test]
fn company_name_from_the_site_is_screened_against_the_given_lists() {
    let home = r#"<html><head><script type="application/ld+json">{"@type":"Organization",
"name":"Caspian Fuel Logistics LLC","address":{"addressCountry":"AZ"}}</script></head>
<body><p>Wholesale fuel trading.</p></body></html>"#;
    let port = serve(vec![("/", "text/html", home.to_string())]);
    let resolve = format!("fuel.example=127.0.0.1:{port}");
    let list = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tradescout-sanctions/tests/fixtures/targets.simple.csv"
    );
    let out = run(&[
        "scout",
        "http://fuel.example/",
        "--allow-private",
        "--resolve",
        &resolve,
        "--no-network-lookups",
        "--sanctions",
        list,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["company"]["name"], "Caspian Fuel Logistics LLC");
    assert_eq!(
        v["sanctions"]["screened_lists"].as_array().map(Vec::len),
        Some(1)
    );
    let hits = v["sanctions"]["hits"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(hits.iter().any(|h| h["entry_id"] == "NK-fx001"), "{hits:?}");
    for key in ["name", "list", "score", "entry_id"] {
        assert!(hits[0].get(key).is_some(), "hit.{key} missing");
    }
    assert!(v["risk"]["score"].as_u64().unwrap_or(0) >= 60);
}
