//! Whole checks of small realistic company sites in several languages and charsets, served on
//! loopback: a German manufacturer with only an Impressum to go on, a Spanish wholesaler, a
//! Russian wholesaler in windows-1251, a Chinese factory in GBK on a .com domain, and a UK
//! shop with social profiles, OpenGraph and microdata products.

mod common;
use common::{scout_site, serve, Reply, Site};
use tradescout_core::BusinessType;
use tradescout_scout::Report;

async fn check(domain: &str, site: &Site) -> Report {
    scout_site(domain, site, 10).await
}

fn encoded(encoding: &'static encoding_rs::Encoding, label: &str, html: &str) -> Reply {
    let (bytes, _, unmappable) = encoding.encode(html);
    assert!(!unmappable, "the fixture fits {label}");
    Reply::typed(&format!("text/html; charset={label}"), bytes.into_owned())
}

/// A family-run German manufacturer: no structured data, a brand name in the title, the
/// legal name and address only in the Impressum (lines split by <br>), the e-mail written
/// "info(at)…", phones with the trunk zero in brackets.
#[tokio::test]
async fn german_manufacturer_is_read_from_its_impressum() {
    let nav = r#"<nav><a href="/">Startseite</a> <a href="/produkte">Produkte</a> <a href="/ueber-uns">Über uns</a>
        <a href="/kontakt">Kontakt</a> <a href="/impressum">Impressum</a></nav>"#;
    let home = format!(
        r#"<!doctype html><html lang="de-DE"><head><title>Startseite | Krämer Leuchten</title>
        <meta property="og:site_name" content="Krämer Leuchten"></head><body>{nav}
        <h1>LED-Leuchten für Industrie und Gewerbe</h1>
        <p>Seit 1987 entwickeln und fertigen wir in unserem Werk in Sindelfingen LED-Hallenleuchten,
        Feuchtraumleuchten und Sonderanfertigungen. Eigene Fertigung, kurze Lieferzeiten.</p></body></html>"#
    );
    let about = format!(
        r#"<html lang="de-DE"><body>{nav}<h1>Über uns</h1><p>Als Hersteller mit 120 Mitarbeitern liefern wir
        an Großhändler und Elektroinstallateure in ganz Europa.</p></body></html>"#
    );
    let contact = format!(
        r#"<html lang="de-DE"><body>{nav}<h1>Kontakt</h1><p>Vertrieb Inland: vertrieb [at] kraemer-leuchten.de</p>
        <p>Telefon: +49 (0) 7031 76 54-0</p></body></html>"#
    );
    let impressum = format!(
        r#"<html lang="de-DE"><body>{nav}<h1>Impressum</h1><p>Angaben gemäß § 5 TMG</p>
        <p>Krämer Leuchten GmbH &amp; Co. KG<br>Mercedesstraße 12<br>71063 Sindelfingen<br>Deutschland</p>
        <p>Telefon: +49 (0) 7031 76 54-0<br>Telefax: +49 (0) 7031 76 54-99<br>E-Mail: info(at)kraemer-leuchten.de</p>
        <p>Registergericht: Amtsgericht Stuttgart, HRA 723456<br>USt-IdNr.: DE 812 345 678</p></body></html>"#
    );
    let site = serve(vec![
        ("/", Reply::html(&home)),
        ("/ueber-uns", Reply::html(&about)),
        ("/kontakt", Reply::html(&contact)),
        ("/impressum", Reply::html(&impressum)),
    ]);
    let r = check("kraemer-leuchten.com", &site).await;
    assert_eq!(
        r.company.name.as_deref(),
        Some("Krämer Leuchten GmbH & Co. KG"),
        "{:?}",
        r.evidence
    );
    assert_eq!(r.company.country.as_deref(), Some("DE"));
    assert_eq!(
        r.company.address.as_deref(),
        Some("Mercedesstraße 12, 71063 Sindelfingen, Deutschland")
    );
    assert_eq!(r.company.business_type, BusinessType::Manufacturer);
    assert_eq!(r.company.founded, Some(1987));
    for email in ["vertrieb@kraemer-leuchten.de", "info@kraemer-leuchten.de"] {
        assert!(r.emails.contains(&email.to_string()), "{:?}", r.emails);
    }
    assert!(
        r.phones.contains(&"+49703176540".to_string()),
        "{:?}",
        r.phones
    );
}

/// A Spanish wholesaler: legal name in the footer, national phone numbers, WhatsApp link,
/// and navigation that links to "https://www." pages while the copy is served on plain http.
#[tokio::test]
async fn spanish_wholesaler_gives_legal_name_national_phones_and_type() {
    let page = |body: &str| {
        format!(
            r#"<!doctype html><html lang="es"><head><title>Iberluz – Material eléctrico al por mayor</title>
            <meta property="og:site_name" content="Iberluz"></head><body>
            <nav><a href="https://www.iberluz.es/">Inicio</a> <a href="https://www.iberluz.es/quienes-somos">Quiénes somos</a>
            <a href="https://www.iberluz.es/contacto/">Contacto</a></nav>
            {body}<footer>© 2026 Iberluz Distribuciones S.L. · Todos los derechos reservados ·
            <a href="https://wa.me/34612345678">WhatsApp</a></footer></body></html>"#
        )
    };
    let site = serve(vec![
        ("/", Reply::html(&page("<h1>Material eléctrico e iluminación LED para profesionales</h1>"))),
        (
            "/quienes-somos",
            Reply::html(&page(
                "<h1>Quiénes somos</h1><p>Iberluz Distribuciones es una empresa mayorista de material eléctrico \
                 e iluminación fundada en 2003. Vendemos al por mayor exclusivamente a instaladores, tiendas y \
                 constructoras.</p>",
            )),
        ),
        (
            "/contacto/",
            Reply::html(&page(
                "<h1>Contacto</h1><p>Teléfono: 91 654 32 10</p><p>Móvil y WhatsApp: +34 612 345 678</p>\
                 <p>Correo: pedidos@iberluz.es</p>\
                 <p>Dirección: Calle de la Industria 23, 28823 Coslada (Madrid), España</p>",
            )),
        ),
    ]);
    let r = check("iberluz.es", &site).await;
    assert_eq!(
        r.company.name.as_deref(),
        Some("Iberluz Distribuciones S.L.")
    );
    assert_eq!(r.company.country.as_deref(), Some("ES"));
    assert!(r
        .company
        .address
        .as_deref()
        .is_some_and(|a| a.contains("28823 Coslada")));
    assert_eq!(r.company.business_type, BusinessType::Wholesaler);
    assert_eq!(r.company.founded, Some(2003));
    assert!(r.emails.contains(&"pedidos@iberluz.es".to_string()));
    for phone in ["+34916543210", "+34612345678"] {
        assert!(r.phones.contains(&phone.to_string()), "{:?}", r.phones);
    }
    assert!(r.social.iter().any(|s| s.starts_with("https://wa.me/")));
}

/// A Russian wholesaler whose pages are in windows-1251 (declared only in a meta tag), with
/// the legal name in Russian quotes and a number in national form (trunk prefix 8).
#[tokio::test]
async fn russian_windows_1251_site_is_decoded_and_read() {
    let page = |body: &str| {
        format!(
            r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
            <title>СтройТорг — оптовая торговля стройматериалами</title></head><body>
            <nav><a href="/">Главная</a> <a href="/o-kompanii">О компании</a> <a href="/kontakty">Контакты</a>
            <a href="https://vk.com/stroytorg">ВКонтакте</a></nav>{body}
            <footer>© 2008–2026 ООО «СтройТорг». Все права защищены.</footer></body></html>"#
        )
    };
    let reply = |body: &str| {
        let html = page(body);
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(&html);
        assert!(!unmappable);
        Reply::typed("text/html", bytes.into_owned())
    };
    let site = serve(vec![
        ("/", reply("<h1>Стройматериалы оптом</h1>")),
        (
            "/o-kompanii",
            reply(
                "<h1>О компании</h1><p>Компания «СтройТорг» работает с 2008 года. Оптовая торговля \
                 сухими смесями, утеплителем и кровельными материалами для строительных организаций.</p>",
            ),
        ),
        (
            "/kontakty",
            reply(
                "<h1>Контакты</h1><p>Тел.: +7 (495) 123-45-67</p><p>Отдел продаж: тел. 8 (495) 765-43-21</p>\
                 <p>E-mail: info@stroy-torg.ru</p><p>Адрес: 123456, Россия, г. Москва, ул. Строителей, д. 5</p>",
            ),
        ),
    ]);
    let r = check("stroy-torg.ru", &site).await;
    assert_eq!(r.company.name.as_deref(), Some("ООО «СтройТорг»"));
    assert_eq!(r.company.country.as_deref(), Some("RU"));
    assert!(r
        .company
        .address
        .as_deref()
        .is_some_and(|a| a.contains("г. Москва")));
    assert_eq!(r.company.business_type, BusinessType::Wholesaler);
    assert_eq!(r.company.founded, Some(2008));
    assert!(r.emails.contains(&"info@stroy-torg.ru".to_string()));
    for phone in ["+74951234567", "+74957654321"] {
        assert!(r.phones.contains(&phone.to_string()), "{:?}", r.phones);
    }
    assert_eq!(r.social, ["https://vk.com/stroytorg"]);
}

/// A Chinese factory in GBK on a .com domain: only national phone numbers, so the country
/// must come from the address line.
#[tokio::test]
async fn chinese_gbk_factory_on_a_com_domain_gets_its_country_from_the_address() {
    let page = |body: &str| {
        format!(
            r#"<html><head><meta charset="gbk"><title>深圳市光明照明科技有限公司 - LED工矿灯_投光灯_生产厂家</title></head>
            <body><div class="nav"><a href="/">首页</a> <a href="/about.html">关于我们</a>
            <a href="/products.html">产品中心</a> <a href="/contact.html">联系我们</a></div>{body}
            <div class="foot">版权所有 &copy; 2026 深圳市光明照明科技有限公司 粤ICP备12345678号</div></body></html>"#
        )
    };
    let gbk = |body: &str| encoded(encoding_rs::GBK, "gbk", &page(body));
    let site = serve(vec![
        ("/", gbk("<h1>专业LED照明生产厂家</h1>")),
        (
            "/about.html",
            gbk("<h1>关于我们</h1><p>深圳市光明照明科技有限公司成立于2006年，是一家集研发、生产、销售于一体的LED照明工厂，\
                 拥有现代化厂房20000平方米，产品出口欧美、中东等60多个国家和地区。</p>"),
        ),
        (
            "/contact.html",
            gbk("<h1>联系我们</h1><p>电话：0755-2345 6789</p><p>手机/微信：138 2345 6789</p>\
                 <p>邮箱：sales@szguangming.com</p><p>地址：中国广东省深圳市宝安区石岩街道光明路88号</p>"),
        ),
    ]);
    let r = check("szguangming.com", &site).await;
    assert_eq!(
        r.company.name.as_deref(),
        Some("深圳市光明照明科技有限公司")
    );
    assert_eq!(r.company.country.as_deref(), Some("CN"));
    assert_eq!(
        r.company.address.as_deref(),
        Some("中国广东省深圳市宝安区石岩街道光明路88号")
    );
    assert_eq!(r.company.business_type, BusinessType::Manufacturer);
    assert_eq!(r.company.founded, Some(2006));
    assert!(r.emails.contains(&"sales@szguangming.com".to_string()));
    for phone in ["+8675523456789", "+8613823456789"] {
        assert!(r.phones.contains(&phone.to_string()), "{:?}", r.phones);
    }
}

/// A UK shop: the name only in OpenGraph, a basket, products in microdata, profiles on
/// every network we read (and a share button that is not a profile).
#[tokio::test]
async fn uk_shop_gives_opengraph_name_retailer_microdata_products_and_profiles() {
    let home = r#"<!doctype html><html lang="en-GB"><head><title>Home | Kitchen shop</title>
        <meta property="og:site_name" content="Home &amp; Hearth"></head><body>
        <header><a href="/basket">Basket (0)</a> <a href="/products">Shop all</a> <a href="/contact">Contact us</a></header>
        <div itemscope itemtype="https://schema.org/Product"><h3 itemprop="name">Enamel pie dish 26 cm</h3>
          <span itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="18.00"></span>
          <button class="add-to-cart">Add to basket</button></div>
        <div itemscope itemtype="http://schema.org/Product"><meta itemprop="name" content="Linen apron, sage">
          <button class="add-to-cart">Add to basket</button></div>
        <footer>
          <a href="https://www.instagram.com/homeandhearth.uk/">Instagram</a>
          <a href="https://x.com/homeandhearthuk">X</a>
          <a href="https://www.youtube.com/@homeandhearth">YouTube</a>
          <a href="https://www.facebook.com/homeandhearthuk">Facebook</a>
          <a href="https://www.linkedin.com/company/home-and-hearth-ltd">LinkedIn</a>
          <a href="https://www.facebook.com/sharer/sharer.php?u=https://homeandhearth.co.uk">Share</a>
        </footer></body></html>"#;
    let contact = r#"<html><body><h1>Contact us</h1><p>Call us on 0161 234 5678 or email hello@homeandhearth.co.uk.</p>
        <p>Home and Hearth, 12 Market Street, Manchester M1 1AA</p></body></html>"#;
    let site = serve(vec![
        ("/", Reply::html(home)),
        ("/contact", Reply::html(contact)),
    ]);
    let r = check("homeandhearth.co.uk", &site).await;
    assert_eq!(r.company.name.as_deref(), Some("Home & Hearth"));
    assert_eq!(r.company.country.as_deref(), Some("GB"));
    assert_eq!(r.company.business_type, BusinessType::Retailer);
    for product in ["Enamel pie dish 26 cm", "Linen apron, sage"] {
        assert!(
            r.products.contains(&product.to_string()),
            "{:?}",
            r.products
        );
    }
    assert_eq!(r.social.len(), 5, "{:?}", r.social);
    assert!(r.social.iter().all(|s| !s.contains("sharer")));
    assert!(
        r.phones.contains(&"+441612345678".to_string()),
        "{:?}",
        r.phones
    );
    assert!(r.emails.contains(&"hello@homeandhearth.co.uk".to_string()));
}

/// A Chilean hardware store whose menu is built by script: the home page links no contact
/// page, so the usual names are tried; the ones that are not there are no error.
#[tokio::test]
async fn a_contact_page_no_menu_links_is_found_by_its_usual_name() {
    let home = r#"<html lang="es"><head><title>Ferretería Los Andes</title></head><body>
        <div id="menu"></div><h1>Ferretería Los Andes</h1>
        <p>Herramientas y materiales eléctricos para los maestros de Talca.</p>
        <a href="/productos.html">Herramientas</a></body></html>"#;
    let contact = r#"<html><body><h1>Contacto</h1>
        <p>Teléfono +56 9 4412 7730 / +56 71 261 4402</p><p>ventas@ferreterialosandes.cl</p>
        <p>1 Sur 1130, Talca, Región del Maule</p></body></html>"#;
    let site = serve(vec![
        ("/", Reply::html(home)),
        (
            "/productos.html",
            Reply::html("<html><body>Taladros</body></html>"),
        ),
        ("/contacto.html", Reply::html(contact)),
    ]);
    let r = check("ferreterialosandes.cl", &site).await;
    for phone in ["+56944127730", "+56712614402"] {
        assert!(r.phones.contains(&phone.to_string()), "{:?}", r.phones);
    }
    assert!(r
        .emails
        .contains(&"ventas@ferreterialosandes.cl".to_string()));
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}
