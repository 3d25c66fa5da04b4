//! A whole check against a realistic fixture company site on loopback: JSON-LD on the home
//! page, an about page, a contact page with an obfuscated address, a page robots.txt forbids,
//! a sitemap listing a page linked from nowhere else, and an RDAP fixture server.

mod common;
use common::{serve, Reply, Site};
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
