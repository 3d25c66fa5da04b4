//! The safe fetcher against fixture servers on loopback: redirect limits, redirects and DNS
//! answers into private space, the body cap, content types and robots.txt.

mod common;
use common::{serve, Reply};
use reqwest::Url;
use tradescout_scout::fetch::{Accept, FetchSettings, Fetcher};
use tradescout_scout::ScoutError;

fn fetcher(allow_private: bool, port: u16) -> Fetcher {
    let settings = FetchSettings {
        allow_private,
        resolve: vec![(
            "shop.example".to_string(),
            std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        )],
        ..FetchSettings::default()
    };
    Fetcher::new(settings).unwrap_or_else(|e| panic!("{e}"))
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn chain(len: usize) -> Vec<(String, Reply)> {
    let mut routes: Vec<(String, Reply)> = (1..=len)
        .map(|i| {
            (
                format!("/r{len}-{i}"),
                Reply::redirect(&format!("/r{len}-{}", i - 1)),
            )
        })
        .collect();
    routes.push((format!("/r{len}-0"), Reply::html("<title>end</title>")));
    routes
}

#[tokio::test]
async fn five_redirects_are_followed_and_six_are_refused() {
    let routes: Vec<(String, Reply)> = chain(5).into_iter().chain(chain(6)).collect();
    let site = serve(
        routes
            .iter()
            .map(|(p, r)| (p.as_str(), r.clone()))
            .collect(),
    );
    let f = fetcher(false, site.addr.port());
    let page = f
        .fetch(&url("http://shop.example/r5-5"), Accept::Page)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.url.path(), "/r5-0");
    let err = f
        .fetch(&url("http://shop.example/r6-6"), Accept::Page)
        .await;
    assert!(
        matches!(err, Err(ScoutError::TooManyRedirects { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn redirect_to_loopback_literal_is_refused_unless_private_is_allowed() {
    let site = serve(vec![("/", Reply::html("<p>home</p>"))]);
    let port = site.addr.port();
    let target = format!("http://127.0.0.1:{port}/");
    let hop = serve(vec![("/go", Reply::redirect(&target))]);
    let f = fetcher(false, hop.addr.port());
    let err = f.fetch(&url("http://shop.example/go"), Accept::Page).await;
    assert!(matches!(err, Err(ScoutError::Refused { .. })), "{err:?}");
    assert!(
        site.requested().is_empty(),
        "the private address was contacted"
    );
    let allowed = fetcher(true, hop.addr.port());
    let page = allowed
        .fetch(&url("http://shop.example/go"), Accept::Page)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(page.text.contains("home"));
}

#[tokio::test]
async fn dns_answer_in_private_space_and_encoded_literals_are_refused() {
    let site = serve(vec![("/", Reply::html("<p>home</p>"))]);
    let f = fetcher(false, site.addr.port());
    let port = site.addr.port();
    for u in [
        format!("http://localhost:{port}/"),
        format!("http://2130706433:{port}/"),
        format!("http://0177.0.0.1:{port}/"),
        format!("http://0x7f.1:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
    ] {
        let r = f.fetch(&url(&u), Accept::Page).await;
        assert!(r.is_err(), "{u} was fetched");
    }
    assert!(site.requested().is_empty(), "{:?}", site.requested());
}

#[tokio::test]
async fn five_megabyte_page_is_cut_at_two_megabytes() {
    let big = "<p>".to_string() + &"x".repeat(5 * 1024 * 1024);
    let site = serve(vec![("/big", Reply::html(&big))]);
    let f = fetcher(false, site.addr.port());
    let page = f
        .fetch(&url("http://shop.example/big"), Accept::Page)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(page.truncated);
    assert!(page.text.len() <= 2 * 1024 * 1024);
}

#[tokio::test]
async fn non_html_content_is_skipped_and_robots_disallow_is_obeyed() {
    let site = serve(vec![
        (
            "/robots.txt",
            Reply::typed("text/plain", b"User-agent: *\nDisallow: /secret\n".to_vec()),
        ),
        (
            "/catalog.pdf",
            Reply::typed("application/pdf", b"%PDF-1.4".to_vec()),
        ),
        ("/secret", Reply::html("<p>secret</p>")),
    ]);
    let f = fetcher(false, site.addr.port());
    let r = f
        .fetch(&url("http://shop.example/catalog.pdf"), Accept::Page)
        .await;
    assert!(matches!(r, Err(ScoutError::ContentType { .. })), "{r:?}");
    let r = f
        .fetch(&url("http://shop.example/secret"), Accept::Page)
        .await;
    assert!(matches!(r, Err(ScoutError::Robots { .. })), "{r:?}");
    assert!(!site.requested().contains(&"/secret".to_string()));
}

#[tokio::test]
async fn gbk_page_is_decoded_from_its_content_type() {
    let (gbk, _, _) = encoding_rs::GBK.encode("<h1>关于我们</h1>");
    let site = serve(vec![(
        "/",
        Reply::typed("text/html; charset=gbk", gbk.into_owned()),
    )]);
    let f = fetcher(false, site.addr.port());
    let page = f
        .fetch(&url("http://shop.example/"), Accept::Page)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(page.text.contains("关于我们"));
}

#[tokio::test]
async fn crawl_delay_from_robots_spaces_requests_to_one_host() {
    let site = serve(vec![
        (
            "/robots.txt",
            Reply::typed("text/plain", b"User-agent: *\nCrawl-delay: 1\n".to_vec()),
        ),
        ("/a", Reply::html("<p>a</p>")),
        ("/b", Reply::html("<p>b</p>")),
    ]);
    let f = fetcher(false, site.addr.port());
    let started = std::time::Instant::now();
    for path in ["/a", "/b"] {
        f.fetch(&url(&format!("http://shop.example{path}")), Accept::Page)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(started.elapsed() >= std::time::Duration::from_millis(950));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn first_page_after_robots_txt_waits_the_crawl_delay() {
    let site = serve(vec![
        (
            "/robots.txt",
            Reply::typed("text/plain", b"User-agent: *\nCrawl-delay: 1\n".to_vec()),
        ),
        ("/a", Reply::html("<p>a</p>")),
    ]);
    let f = fetcher(false, site.addr.port());
    let started = std::time::Instant::now();
    f.fetch(&url("http://shop.example/a"), Accept::Page)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(site.requested(), ["/robots.txt", "/a"]);
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn four_requests_run_at_once_on_one_host_spaced_by_the_politeness_delay() {
    // Every answer takes 300 ms: eight pages one after another would take 2.4 s; four at a
    // time, started 50 ms apart, take about two rounds.
    let slow = common::serve_slow(std::time::Duration::from_millis(300), |path, _| {
        if path.starts_with("/p") {
            Reply::html("<p>page</p>")
        } else {
            common::not_found()
        }
    });
    let f = std::sync::Arc::new(fetcher(false, slow.addr.port()));
    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            f.fetch(&url(&format!("http://shop.example/p{i}")), Accept::Page)
                .await
                .map(|_| ())
        }));
    }
    for t in tasks {
        let r = t.await.unwrap_or_else(|e| panic!("{e}"));
        assert!(r.is_ok(), "{r:?}");
    }
    let took = started.elapsed();
    // robots.txt (300 ms) first, then two rounds of four (2 × 300 ms) plus the spacing.
    assert!(took < std::time::Duration::from_millis(1700), "{took:?}");
    assert!(took >= std::time::Duration::from_millis(900), "{took:?}");
}

#[tokio::test]
async fn requests_carry_the_tradescout_user_agent() {
    assert!(tradescout_scout::USER_AGENT.starts_with("tradescout/"));
    assert!(tradescout_scout::USER_AGENT.contains("(+https://github.com/tradescout/tradescout)"));
}

/// `copies` gzip members of one MiB of zeros each, concatenated (RFC 1952 allows several
/// members; a decoder must read them all). 1,024 copies is a 1 GiB bomb in about 1 MB.
fn gzip_bomb(copies: usize) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![0u8; 1 << 20])
        .unwrap_or_else(|e| panic!("{e}"));
    let member = enc.finish().unwrap_or_else(|e| panic!("{e}"));
    member.repeat(copies)
}

#[tokio::test]
async fn one_gigabyte_gzip_bomb_is_cut_at_the_cap() {
    let bomb = gzip_bomb(1024);
    assert!(
        bomb.len() < 4 << 20,
        "the bomb itself is small: {}",
        bomb.len()
    );
    let mut reply = Reply::typed("text/html", bomb);
    reply
        .headers
        .push(("Content-Encoding".into(), "gzip".into()));
    let site = serve(vec![("/bomb", reply)]);
    let f = fetcher(false, site.addr.port());
    let page = f
        .fetch(&url("http://shop.example/bomb"), Accept::Page)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(page.truncated);
    assert_eq!(page.text.len(), 2 * 1024 * 1024);
}

#[tokio::test]
async fn gzip_and_deflate_pages_are_decoded() {
    use std::io::Write;
    let html = "<html><title>Acme Trading GmbH</title><p>Importeur für LED-Leuchten</p></html>";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(html.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(html.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    raw.write_all(html.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let encoded = |body: Vec<u8>, encoding: &str| {
        let mut r = Reply::typed("text/html; charset=utf-8", body);
        r.headers.push(("Content-Encoding".into(), encoding.into()));
        r
    };
    let site = serve(vec![
        ("/gz", encoded(gz.finish().unwrap_or_default(), "gzip")),
        (
            "/zlib",
            encoded(zlib.finish().unwrap_or_default(), "deflate"),
        ),
        ("/raw", encoded(raw.finish().unwrap_or_default(), "deflate")),
        ("/cut", encoded(b"\x1f\x8b\x08\x00garbage".to_vec(), "gzip")),
        ("/br", encoded(b"whatever".to_vec(), "br")),
    ]);
    let f = fetcher(false, site.addr.port());
    for path in ["/gz", "/zlib", "/raw"] {
        let page = f
            .fetch(&url(&format!("http://shop.example{path}")), Accept::Page)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(page.text, html, "{path}");
        assert!(!page.truncated, "{path}");
    }
    for path in ["/cut", "/br"] {
        let err = f
            .fetch(&url(&format!("http://shop.example{path}")), Accept::Page)
            .await;
        assert!(
            matches!(err, Err(ScoutError::Request { .. })),
            "{path}: {err:?}"
        );
    }
}

#[tokio::test]
async fn slow_drip_server_times_out() {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                let _ = std::io::Read::read(&mut stream, &mut buf);
                let head =
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                // One byte every 200 ms: never idle long, never done.
                for _ in 0..600 {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                    if stream.write_all(b"x").is_err() {
                        return;
                    }
                }
            });
        }
    });
    let settings = FetchSettings {
        resolve: vec![(
            "drip.example".to_string(),
            std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        )],
        request_timeout: std::time::Duration::from_secs(1),
        ..FetchSettings::default()
    };
    let f = Fetcher::new(settings).unwrap_or_else(|e| panic!("{e}"));
    let err = f.fetch(&url("http://drip.example/"), Accept::Page).await;
    assert!(matches!(err, Err(ScoutError::Timeout { .. })), "{err:?}");
}
