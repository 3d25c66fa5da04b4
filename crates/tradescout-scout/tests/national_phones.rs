//! Phone numbers written the national way on small company sites served on loopback: a
//! Vietnamese trading company on a .com domain (the country comes from the page's language),
//! a Russian wholesaler whose list shares one area code, an Australian distributor with a
//! 13 number, a Saudi importer with unified and toll-free numbers, and a Brazilian one with
//! area codes in brackets; sites on .com domains whose country only the content tells (Vietnamese
//! place words, an Italian P.IVA), Russian tel: links without "+", and German "area / number".
//! Faxes are never taken for phones, whether the label stands before or after the number.

mod common;
use common::{scout_site, serve, Reply};
use tradescout_scout::Report;

async fn check(domain: &str, pages: Vec<(&str, String)>) -> Report {
    let site = serve(
        pages
            .iter()
            .map(|(path, html)| (*path, Reply::html(html)))
            .collect(),
    );
    scout_site(domain, &site, 6).await
}

fn assert_phones(r: &Report, want: &[&str]) {
    let mut got = r.phones.clone();
    got.sort();
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "{:?}", r.evidence);
}

#[tokio::test]
async fn a_vietnamese_site_on_a_com_domain_is_read_as_vietnamese() {
    let home = r#"<!doctype html><html lang="vi"><head><title>Công ty TNHH Thương mại Minh Phát</title></head>
        <body><nav><a href="/lien-he">Liên hệ</a></nav>
        <h1>Nhập khẩu và phân phối thiết bị chiếu sáng</h1>
        <p>Chúng tôi nhập khẩu đèn LED và phân phối cho các đại lý trên toàn quốc.</p></body></html>"#;
    let contact = r#"<html lang="vi"><body><h1>Liên hệ</h1>
        <p>Công ty TNHH Thương mại Minh Phát</p>
        <p>ĐT: (028) 3823 4567 - Hotline: 0912 345 678<br>Fax: (028) 3823 4568</p>
        <p>Email: kinhdoanh@minhphat-lighting.com</p></body></html>"#;
    let r = check(
        "minhphat-lighting.com",
        vec![("/", home.to_string()), ("/lien-he", contact.to_string())],
    )
    .await;
    assert_phones(&r, &["+842838234567", "+84912345678"]);
    assert_eq!(r.company.country.as_deref(), Some("VN"), "{:?}", r.evidence);
}

#[tokio::test]
async fn a_russian_list_shares_its_area_code_and_the_fax_is_left() {
    let home = r#"<!doctype html><html lang="ru"><head><title>ООО «СветТорг» — оптовые поставки</title></head>
        <body><nav><a href="/kontakty">Контакты</a></nav><h1>Оптово-розничная торговля светотехникой</h1></body></html>"#;
    let contact = r#"<html lang="ru"><body><h1>Контакты</h1>
        <p>Тел.: 8 (495) 123-45-67, 123-45-68, 123-45-69; факс 8 (495) 123-45-70</p>
        <p>Бесплатный звонок по России: 8 800 555-35-35</p></body></html>"#;
    let r = check(
        "svettorg-opt.com",
        vec![("/", home.to_string()), ("/kontakty", contact.to_string())],
    )
    .await;
    assert_phones(
        &r,
        &[
            "+74951234567",
            "+74951234568",
            "+74951234569",
            "+78005553535",
        ],
    );
}

#[tokio::test]
async fn australian_and_saudi_service_numbers_are_kept() {
    let au = r#"<!doctype html><html lang="en-AU"><head><title>Harbour Electrical Wholesale</title></head>
        <body><h1>Electrical wholesale since 1994</h1>
        <p>Call us on 13 22 54 or visit a branch.</p>
        <p>Head office: Phone (02) 9876 5432 &middot; Fax (02) 9876 5433</p></body></html>"#;
    let r = check("harbourelectrical.com.au", vec![("/", au.to_string())]).await;
    assert_phones(&r, &["+61132254", "+61298765432"]);

    let sa = r#"<!doctype html><html lang="ar"><head><title>شركة الأفق للتجارة</title></head>
        <body><h1>استيراد وتوزيع الأجهزة الكهربائية</h1>
        <p>الرقم الموحد: 9200 12345</p>
        <p>Toll free 800 124 4444</p>
        <p>فاكس: 011 456 7891</p></body></html>"#;
    let r = check("alofoq-trading.com.sa", vec![("/", sa.to_string())]).await;
    assert_phones(&r, &["+966920012345", "+9668001244444"]);
}

#[tokio::test]
async fn brazilian_area_codes_in_brackets_and_shared_lists() {
    let home = r#"<!doctype html><html lang="pt-BR"><head><title>Distribuidora Paulista de Iluminação</title></head>
        <body><h1>Distribuidora de materiais elétricos</h1>
        <ul class="contato"><li>(21) 2222-3333</li></ul>
        <p>Telefones: (11) 3229-4410, 3229-4411 | WhatsApp: (11) 98765-4321</p>
        <p>SAC: 0800 707 1234</p></body></html>"#;
    let r = check("paulista-iluminacao.com.br", vec![("/", home.to_string())]).await;
    assert_phones(
        &r,
        &[
            "+552122223333",
            "+551132294410",
            "+551132294411",
            "+5511987654321",
            "+558007071234",
        ],
    );
}

#[tokio::test]
async fn a_com_site_in_english_markup_is_placed_by_its_vietnamese_address() {
    // `lang="en"` from the theme; only the address and the numbers say Viet Nam.
    let home = r#"<!doctype html><html lang="en"><head><title>Sao Mai Foods</title></head>
        <body><h1>Nhập khẩu và phân phối bột sữa</h1>
        <p>Địa chỉ: 14/3 đường số 9, Phường Linh Tây, Quận Thủ Đức, TP HCM</p>
        <p><i class="fa fa-phone"></i> Hotline: 0908 123 456 Ms. Hoa</p>
        <p>Văn phòng: (84.28) 3724 1188 - Fax: (84.28) 3724 1189</p>
        <a class="hotline" href="tel:0918765432"><img src="/call.gif"></a></body></html>"#;
    let r = check("saomaifoods.com", vec![("/", home.to_string())]).await;
    assert_eq!(r.company.country.as_deref(), Some("VN"), "{:?}", r.evidence);
    assert_phones(&r, &["+84908123456", "+842837241188", "+84918765432"]);
}

#[tokio::test]
async fn an_italian_vat_number_places_a_com_site_and_its_national_numbers_are_read() {
    let home = r#"<!doctype html><html><head><title>Ferramenta Bresciana</title></head>
        <body><h1>Utensili per l'edilizia</h1>
        <p>Contatti: tel. 030 98 76 543</p>
        <footer>Ferramenta Bresciana Srl - Sede legale: Via dei Mille, 8 25100 Brescia (BS) -
        P.IVA 01234567890</footer></body></html>"#;
    let r = check("ferramentabresciana.com", vec![("/", home.to_string())]).await;
    assert_eq!(r.company.country.as_deref(), Some("IT"), "{:?}", r.evidence);
    assert_phones(&r, &["+390309876543"]);
}

#[tokio::test]
async fn russian_tel_links_without_plus_and_a_fax_named_after_its_number() {
    let home = r#"<!doctype html><html lang="ru"><head><title>ООО «ЮгСтрой»</title></head>
        <body><div class="header-phones">
        <a href="tel:8632470011">(863) 247 00 11</a>, <a href="tel:8632470012">247 00 12</a></div>
        <div><a href="tel:+74951112233">+7 (495) 111-22-33 (факс)</a></div>
        <p>ИНН 6164000000</p></body></html>"#;
    let r = check("yugstroy-opt.ru", vec![("/", home.to_string())]).await;
    assert_phones(&r, &["+78632470011", "+78632470012"]);
}

#[tokio::test]
async fn a_german_area_code_before_a_slash_is_part_of_the_number() {
    let impressum = r#"<!doctype html><html lang="de"><head><title>Impressum</title></head>
        <body><h2>Telefon / FAX / E-Mail</h2>
        <p>Telefon: &nbsp;&nbsp;033209 / 71234</p>
        <p>Mobil: &nbsp;&nbsp;&nbsp;0171 / 5552233</p>
        <p>FAX: &nbsp;&nbsp;&nbsp;033209 / 71235</p>
        <p>Öffnungszeiten: Montag - Freitag 07.00 - 17.00 Uhr</p></body></html>"#;
    let r = check("baustoffe-havelland.de", vec![("/", impressum.to_string())]).await;
    assert_phones(&r, &["+493320971234", "+491715552233"]);
}
