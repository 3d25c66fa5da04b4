//! `tradescout bench --only scout`: the whole background check of a realistic 20-page
//! company site served on loopback, every request (robots.txt and the sitemap included)
//! answered only after 50 ms, as a distant server would. Issue target: reported in ≤ 2 s with
//! under 100 MB of memory.

use super::{peak_rss_mb, BenchFigure};
use crate::failure::Failure;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tradescout_core::Lang;
use tradescout_scout::{scout, FetchSettings, ScoutOptions};

const DOMAIN: &str = "nordlicht-bench.example";
const LATENCY: Duration = Duration::from_millis(50);

/// The fifteen product pages: slug and name.
const PRODUCTS: &[(&str, &str)] = &[
    ("enamel-casserole-24", "Enamel casserole 24 cm"),
    ("enamel-casserole-28", "Enamel casserole 28 cm"),
    ("cast-iron-skillet", "Cast-iron skillet 26 cm"),
    ("stockpot-8l", "Stainless stockpot 8 l"),
    ("milk-pan", "Enamel milk pan 14 cm"),
    ("roasting-tin", "Enamel roasting tin 38 cm"),
    ("kettle", "Enamel whistling kettle 2 l"),
    ("linen-tea-towels", "Linen tea towels, set of 3"),
    ("oven-gloves", "Quilted oven gloves"),
    ("aprons", "Cotton kitchen apron"),
    ("bread-bin", "Enamel bread bin"),
    ("storage-jars", "Glass storage jars, set of 4"),
    ("cutlery-set", "Cutlery set 24 pieces"),
    ("chopping-boards", "Oak chopping boards"),
    ("tableware", "Stoneware tableware 18 pieces"),
];

pub async fn bench_scout(lang: Lang) -> Result<BenchFigure, Failure> {
    let runtime = |e: &dyn std::fmt::Display| Failure::runtime(format!("bench scout: {e}"));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| runtime(&e))?;
    let addr = listener.local_addr().map_err(|e| runtime(&e))?;
    let server = tokio::spawn(serve(listener));
    let options = ScoutOptions {
        max_pages: 20,
        total_timeout: Duration::from_secs(60),
        fetch: FetchSettings {
            allow_private: true,
            resolve: vec![(DOMAIN.to_string(), addr)],
            ..FetchSettings::default()
        },
        network_lookups: false,
        lang,
        ..ScoutOptions::default()
    };
    let start = Instant::now();
    let report = scout(&format!("einkauf@{DOMAIN}"), &options, None)
        .await
        .map_err(|e| runtime(&e))?;
    let secs = start.elapsed().as_secs_f64();
    server.abort();
    let complete = report.pages_fetched == 20 && report.company.name.is_some();
    if !complete {
        return Err(runtime(&format!(
            "the check read {} of 20 pages (errors: {:?})",
            report.pages_fetched, report.errors
        )));
    }
    Ok(BenchFigure {
        name: format!(
            "scout a 20-page site, 50 ms per request: {} pages, {} emails, {} phones in {:.0} ms",
            report.pages_fetched,
            report.emails.len(),
            report.phones.len(),
            secs * 1000.0
        ),
        count: report.pages_fetched as u64,
        seconds: secs,
        per_second: report.pages_fetched as f64 / secs.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
        input_mb: 0.0,
    })
}

async fn serve(listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(answer(stream));
    }
}

/// One request per connection, answered after [`LATENCY`].
async fn answer(mut stream: TcpStream) {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    tokio::time::sleep(LATENCY).await;
    let (status, content_type, body) = match page(&path) {
        Some((content_type, body)) => ("200 OK", content_type, body),
        None => ("404 Not Found", "text/plain", "not found".to_string()),
    };
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn page(path: &str) -> Option<(&'static str, String)> {
    const HTML: &str = "text/html; charset=utf-8";
    let nav = r#"<nav><a href="/">Home</a> <a href="/ueber-uns">Über uns</a> <a href="/products">Products</a>
<a href="/kontakt">Kontakt</a> <a href="/impressum">Impressum</a> <a href="/cart">Warenkorb</a></nav>"#;
    let wrap = |title: &str, body: &str| {
        format!(
            "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>{title} | Nordlicht Haushaltswaren GmbH</title></head>\
             <body><header>{nav}</header><main>{body}</main><footer>© 1998–2026 Nordlicht Haushaltswaren GmbH · \
             Hafenstraße 5 · 20457 Hamburg · Tel. +49 40 30 12 34 50</footer></body></html>"
        )
    };
    let html = |s: String| Some((HTML, s));
    match path {
        "/robots.txt" => Some((
            "text/plain",
            "User-agent: *\nDisallow: /cart\nSitemap: /sitemap.xml\n".into(),
        )),
        "/sitemap.xml" => {
            let mut xml = String::from("<?xml version=\"1.0\"?><urlset>");
            for p in ["/", "/ueber-uns", "/kontakt", "/impressum", "/products"] {
                xml.push_str(&format!("<url><loc>http://{DOMAIN}{p}</loc></url>"));
            }
            for (slug, _) in PRODUCTS {
                xml.push_str(&format!("<url><loc>http://{DOMAIN}/products/{slug}</loc></url>"));
            }
            xml.push_str("</urlset>");
            Some(("application/xml", xml))
        }
        "/" => html(wrap(
            "Home",
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization",
"name":"Nordlicht Haushaltswaren GmbH","foundingDate":"1998","telephone":"+49 40 30 12 34 50",
"address":{"@type":"PostalAddress","streetAddress":"Hafenstraße 5","postalCode":"20457","addressLocality":"Hamburg","addressCountry":"DE"},
"sameAs":["https://www.linkedin.com/company/nordlicht-hw","https://www.instagram.com/nordlicht.kitchen"]}</script>
<h1>Kitchenware for German and Austrian retail</h1><p>Importer and distributor of enamel cookware since 1998.</p>"#,
        )),
        "/ueber-uns" => html(wrap(
            "Über uns",
            "<h1>Über uns</h1><p>Nordlicht is an importer and distributor of enamel cookware and kitchen \
             textiles for department stores in Germany and Austria. Our 2,500 m² warehouse in Hamburg and \
             our 35 employees ship to more than 400 retailers.</p>",
        )),
        "/kontakt" => html(wrap(
            "Kontakt",
            "<h1>Kontakt</h1><p>Einkauf: einkauf [at] nordlicht-bench [dot] example</p>\
             <p>Tel.: 040 30123451 · Fax: 040 30123459</p>\
             <p><a href=\"mailto:info@nordlicht-bench.example\">info@nordlicht-bench.example</a></p>",
        )),
        "/impressum" => html(wrap(
            "Impressum",
            "<h1>Impressum</h1><p>Nordlicht Haushaltswaren GmbH, Hafenstraße 5, 20457 Hamburg, Deutschland. \
             Geschäftsführer: Anna Berg. Registergericht: Amtsgericht Hamburg, HRB 123456. \
             USt-IdNr.: DE123456789. E-Mail: info@nordlicht-bench.example</p>",
        )),
        "/products" => {
            let mut list = String::from("<h1>Products</h1><ul>");
            for (slug, name) in PRODUCTS {
                list.push_str(&format!("<li><a href=\"/products/{slug}\">{name}</a></li>"));
            }
            list.push_str("</ul>");
            html(wrap("Products", &list))
        }
        _ => {
            let slug = path.strip_prefix("/products/")?;
            let (_, name) = PRODUCTS.iter().find(|(s, _)| *s == slug)?;
            html(wrap(
                name,
                &format!(
                    "<script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"Product\",\"name\":\"{name}\"}}</script>\
                     <h1>{name}</h1><h2>{name}</h2><p>Wholesale only: minimum order 48 pieces per carton. \
                     Ask our purchasing team for trade prices.</p>"
                ),
            ))
        }
    }
}
