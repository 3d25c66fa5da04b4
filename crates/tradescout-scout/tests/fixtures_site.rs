//! A whole check against a realistic fixture company site on loopback: JSON-LD on the home
//! page, an about page, a contact page with an obfuscated address, a page robots.txt forbids,
//! a sitemap listing a page linked from nowhere else, an RDAP fixture server, and the two
//! search providers (SearXNG, Brave Search) that find a site from a company name.

mod common;
use common::{serve, serve_fn, Reply, Site};
use std::net::SocketAddr;
use std::time::Duration;
use tradescout_core::{BusinessType, EmailKind};
use tradescout_scout::fetch::FetchSettings;
use tradescout_scout::{scout, ScoutOptions};

/// The home page: Organization JSON-LD (name, address in DE, phone, founding date, sameAs),
/// navigation to the fact pages and to a page robots.txt disallows.
const HOME: &str = r#"<!doctype html><html><head><title>Nordlicht Haushaltswaren GmbH | Home</title>
<meta property="og:site_name" content="Nordlicht">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization",
 "name":"Nordlicht Haushaltswaren GmbH","foundingDate":"1998",
 "telephone":"+49 40 30 12 34 50",
 "address":{"@type":"PostalAddress","streetAddress":"Hafenstraße 5","postalCode":"20457","addressLocality":"Hamburg","addressCountry":"DE"},
 "sameAs":["https://www.linkedin.com/company/nordlicht-hw"]}</script></head>
<body><nav><a href="/">Home</a> <a href="/ueber-uns">Über uns</a> <a href="/kontakt">Kontakt</a>
<a href="/about-internal">About (staff only)</a> <a href="/products">Products</a>
<a href="https://www.facebook.com/sharer.php?u=x">Share</a></nav>
<h1>Kitchenware for German retail</h1></body></html>"#;

/// The about page: business type and size in the company's own words.
const ABOUT: &str = r#"<html><body><h1>Über uns</h1>
<p>Nordlicht is an importer and distributor of enamel cookware and kitchen textiles for
department stores in Germany and Austria. Our 2,500 m² warehouse in Hamburg and our
35 employees ship to more than 400 retailers.</p></body></html>"#;

/// The contact page: an obfuscated address and a labelled national phone number.
const CONTACT: &str = r#"<html><body><h1>Kontakt</h1>
<p>Einkauf: sales [at] example [dot] com</p><p>Tel.: 040 30123451</p>
<p><a href="mailto:info@shop.example">info@shop.example</a></p></body></html>"#;

const PRODUCTS: &str = r#"<html><body><h2>Enamel casserole 24 cm</h2><h2>Linen tea towels</h2>
<script type="application/ld+json">{"@type":"Product","name":"Enamel casserole 24 cm"}</script></body></html>"#;

const RDAP: &str = r#"{"objectClassName":"domain","ldhName":"shop.example",
 "events":[{"eventAction":"registration","eventDate":"2001-05-04T00:00:00Z"}],
 "entities":[{"roles":["registrar"],"vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Fixture Registrar GmbH"]]]}]}"#;

fn company_site() -> Site {
    serve(vec![
        ("/", Reply::html(HOME)),
        ("/ueber-uns", Reply::html(ABOUT)),
        ("/kontakt", Reply::html(CONTACT)),
        ("/products", Reply::html(PRODUCTS)),
        ("/about-internal", Reply::html("<p>internal</p>")),
        // Linked from nowhere but the sitemap.
        (
            "/impressum",
            Reply::html("<p>Geschäftsführer: A. Berg. HRB 12345 Hamburg</p>"),
        ),
        (
            "/sitemap.xml",
            Reply::typed(
                "application/xml",
                b"<urlset><url><loc>http://shop.example/impressum</loc></url></urlset>".to_vec(),
            ),
        ),
        (
            "/robots.txt",
            Reply::typed(
                "text/plain",
                b"User-agent: *\nDisallow: /about-internal\n".to_vec(),
            ),
        ),
    ])
}

fn options(site: &Site, rdap: Option<&Site>) -> ScoutOptions {
    ScoutOptions {
        max_pages: 10,
        total_timeout: Duration::from_secs(30),
        fetch: FetchSettings {
            allow_private: true,
            resolve: vec![(
                "shop.example".into(),
                SocketAddr::from(([127, 0, 0, 1], site.addr.port())),
            )],
            ..FetchSettings::default()
        },
        rdap_base: rdap.map(|r| format!("http://127.0.0.1:{}", r.addr.port())),
        network_lookups: false,
        ..ScoutOptions::default()
    }
}

#[tokio::test]
async fn company_site_gives_name_country_contacts_type_and_evidence() {
    let site = company_site();
    let rdap = serve(vec![(
        "/domain/shop.example",
        Reply::typed("application/rdap+json", RDAP.as_bytes().to_vec()),
    )]);
    let r = scout("sales@shop.example", &options(&site, Some(&rdap)), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.domain.as_deref(), Some("shop.example"));
    assert_eq!(r.email_kind, EmailKind::Company);
    assert_eq!(
        r.company.name.as_deref(),
        Some("Nordlicht Haushaltswaren GmbH")
    );
    assert_eq!(r.company.country.as_deref(), Some("DE"));
    assert_eq!(r.company.founded, Some(1998));
    assert_eq!(r.company.business_type, BusinessType::Importer);
    assert!(r.company.size_hint.is_some());
    assert!(
        r.emails.contains(&"sales@example.com".to_string()),
        "{:?}",
        r.emails
    );
    assert!(r.emails.contains(&"info@shop.example".to_string()));
    assert!(
        r.phones.contains(&"+494030123450".to_string()),
        "{:?}",
        r.phones
    );
    assert!(
        r.phones.contains(&"+494030123451".to_string()),
        "{:?}",
        r.phones
    );
    assert_eq!(r.social, ["https://www.linkedin.com/company/nordlicht-hw"]);
    assert!(r.products.contains(&"Enamel casserole 24 cm".to_string()));
    assert_eq!(r.domain_info.created.as_deref(), Some("2001-05-04"));
    assert_eq!(
        r.domain_info.registrar.as_deref(),
        Some("Fixture Registrar GmbH")
    );
    assert_eq!(r.mail.mx, None);
    assert_eq!(r.pages_fetched, 5);
    assert!(
        r.pages.iter().any(|p| p.ends_with("/impressum")),
        "{:?}",
        r.pages
    );
    assert!(r.fit.score >= 70, "{:?}", r.fit);
    assert!(r
        .evidence
        .iter()
        .any(|e| e.field == "emails" && e.url.ends_with("/kontakt")));
    assert!(!site.requested().contains(&"/about-internal".to_string()));
    assert!(r.errors.iter().any(|e| e.what.ends_with("/about-internal")));
}

#[tokio::test]
async fn free_mail_is_not_crawled_and_scores_as_risky() {
    let r = scout(
        "buyer.2024@gmail.com",
        &ScoutOptions {
            network_lookups: false,
            ..ScoutOptions::default()
        },
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.email_kind, EmailKind::Free);
    assert_eq!(r.pages_fetched, 0);
    assert!(r.risk.score >= 25);
    assert_eq!(r.domain_info.created, None);
}

#[tokio::test]
async fn unreachable_site_is_reported_in_errors() {
    let site = serve(vec![]);
    let r = scout("http://shop.example/", &options(&site, None), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.pages_fetched, 0);
    assert!(!r.errors.is_empty());
    assert!(r.risk.codes.contains(&"risk.no_site".to_string()));
}

#[tokio::test]
async fn company_name_is_found_through_searxng_and_then_crawled() {
    let site = company_site();
    let searxng = serve(vec![(
        "/search?q=Nordlicht+Haushaltswaren&format=json",
        Reply::typed(
            "application/json",
            br#"{"results":[{"url":"https://www.linkedin.com/company/nordlicht-hw"},
                {"url":"http://shop.example/ueber-uns","title":"Nordlicht"}]}"#
                .to_vec(),
        ),
    )]);
    let mut opts = options(&site, None);
    opts.search.searxng_url = Some(format!("http://127.0.0.1:{}", searxng.addr.port()));
    let r = scout("Nordlicht Haushaltswaren", &opts, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.domain.as_deref(), Some("shop.example"));
    assert_eq!(
        r.company.name.as_deref(),
        Some("Nordlicht Haushaltswaren GmbH")
    );
    assert!(r.pages_fetched >= 3);
}

/// A Brave Search API fixture: answers like the real API when the subscription token is
/// `good-key`, 401 for any other token, and 429 once `quota` requests are used up.
fn brave_server(quota: usize) -> Site {
    let used = std::sync::atomic::AtomicUsize::new(0);
    serve_fn(move |path, head| {
        let head = head.to_ascii_lowercase();
        let json = |status: u16, body: &str| Reply {
            status,
            ..Reply::typed("application/json", body.as_bytes().to_vec())
        };
        if !path.starts_with("/res/v1/web/search?q=")
            || !head.contains("\r\naccept: application/json\r\n")
        {
            return json(
                422,
                r#"{"type":"ErrorResponse","error":{"status":422,"code":"VALIDATION"}}"#,
            );
        }
        if !head.contains("\r\nx-subscription-token: good-key\r\n") {
            return json(
                401,
                r#"{"type":"ErrorResponse","error":{"id":"1b4d","status":401,"code":"SUBSCRIPTION_TOKEN_INVALID","detail":"The provided subscription token is invalid."}}"#,
            );
        }
        if used.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= quota {
            return json(
                429,
                r#"{"type":"ErrorResponse","error":{"status":429,"code":"RATE_LIMITED","detail":"Request rate limit exceeded for plan."}}"#,
            );
        }
        json(
            200,
            r#"{"type":"search","query":{"original":"Nordlicht Haushaltswaren","more_results_available":true},
             "web":{"type":"search","family_friendly":true,"results":[
              {"title":"Nordlicht Haushaltswaren GmbH | LinkedIn","url":"https://de.linkedin.com/company/nordlicht-hw",
               "description":"Nordlicht Haushaltswaren GmbH | 35 Follower auf LinkedIn.","type":"search_result","language":"de"},
              {"title":"Über uns – Nordlicht Haushaltswaren GmbH","url":"http://shop.example/ueber-uns",
               "description":"Importeur und Großhändler für Emaille-Kochgeschirr in Hamburg.","type":"search_result","language":"de"}]}}"#,
        )
    })
}

fn brave_options(site: &Site, brave: &Site, key: &str) -> ScoutOptions {
    let mut opts = options(site, None);
    opts.search.brave_url = Some(format!("http://127.0.0.1:{}", brave.addr.port()));
    opts.search.brave_api_key = Some(key.to_string());
    opts
}

#[tokio::test]
async fn company_name_is_found_through_brave_search_with_the_subscription_token() {
    let site = company_site();
    let brave = brave_server(10);
    let r = scout(
        "Nordlicht Haushaltswaren",
        &brave_options(&site, &brave, "good-key"),
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.domain.as_deref(), Some("shop.example"));
    assert_eq!(
        r.company.name.as_deref(),
        Some("Nordlicht Haushaltswaren GmbH")
    );
    assert!(
        r.errors.iter().all(|e| !e.what.starts_with("search")),
        "{:?}",
        r.errors
    );
    assert_eq!(
        brave.requested(),
        ["/res/v1/web/search?q=Nordlicht+Haushaltswaren"]
    );
}

#[tokio::test]
async fn brave_refusing_the_key_or_the_quota_is_reported_not_a_crash() {
    let site = company_site();
    let brave = brave_server(0);
    for (key, words) in [("wrong-key", "API key"), ("good-key", "rate limit")] {
        let r = scout(
            "Nordlicht Haushaltswaren",
            &brave_options(&site, &brave, key),
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let error = r.errors.iter().find(|e| e.what == "search.brave");
        assert!(
            error.is_some_and(|e| e.reason.contains(words) && !e.reason.contains(key)),
            "{key}: {:?}",
            r.errors
        );
        assert_eq!(r.pages_fetched, 0);
        assert_eq!(r.domain, None);
    }
    assert!(site.requested().is_empty());
}

#[tokio::test]
async fn missing_brave_key_variable_is_named_and_a_failing_searxng_falls_back_to_brave() {
    let site = company_site();
    let mut opts = options(&site, None);
    opts.search.brave_api_key_env = Some("TRADESCOUT_TEST_UNSET_BRAVE_KEY".into());
    let r = scout("Nordlicht Haushaltswaren", &opts, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        r.errors
            .iter()
            .any(|e| e.what == "search.brave"
                && e.reason.contains("TRADESCOUT_TEST_UNSET_BRAVE_KEY")),
        "{:?}",
        r.errors
    );

    let searxng = serve_fn(|_, _| Reply {
        status: 502,
        ..Reply::html("<h1>Bad Gateway</h1>")
    });
    let brave = brave_server(10);
    let mut opts = brave_options(&site, &brave, "good-key");
    opts.search.searxng_url = Some(format!("http://127.0.0.1:{}", searxng.addr.port()));
    let r = scout("Nordlicht Haushaltswaren", &opts, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.domain.as_deref(), Some("shop.example"));
    assert!(
        r.errors
            .iter()
            .any(|e| e.what == "search.searxng" && e.reason.contains("502")),
        "{:?}",
        r.errors
    );
}
