//! Buyer and request extraction on realistic inquiries: direct e-mails, platform notifications,
//! website forms and chat-style one-liners, in the languages exporters receive them in.

use proptest::prelude::*;
use serde_json::json;
use tradescout_analyze::buyer::extract_buyer;
use tradescout_analyze::language::detect_language;
use tradescout_analyze::request::extract_request;
use tradescout_analyze::{Buyer, InputMessage, Request, Role, ThreadInput};

fn mail(from: &str, date: &str, text: &str) -> ThreadInput {
    ThreadInput {
        messages: vec![InputMessage {
            role: Some(Role::Buyer),
            from: Some(from.to_string()),
            date: (!date.is_empty()).then(|| date.to_string()),
            text: text.to_string(),
            ..Default::default()
        }],
    }
}

fn both(t: &ThreadInput) -> (Buyer, Request) {
    (extract_buyer(t), extract_request(t))
}

fn src<'a>(b: &'a Buyer, field: &str) -> Option<&'a str> {
    b.sources.get(field).map(String::as_str)
}

// 1. Direct English e-mail from a UK wholesaler: every request field at once.
#[test]
fn uk_wholesaler_full_rfq() {
    let t = mail(
        "James Carter <james.carter@brightlite.co.uk>",
        "2025-03-03T09:12:00Z",
        "Dear Sir/Madam,\n\nWe are BrightLite Distribution Ltd, a lighting wholesaler in the UK. Please quote 500 pcs of 100W LED flood lights, IP65, 4000K, 220-240V, CE and RoHS certified, UKCA marking required.\nOur target price is USD 12.50/pc, CIF Felixstowe. Payment: 30% T/T deposit, 70% against B/L copy.\nWe need the goods before 15 May.\n\nBest regards,\nJames Carter\nPurchasing Manager\nBrightLite Distribution Ltd\nUnit 4, Riverside Park, Leeds LS1 4AB, United Kingdom\nTel: +44 113 496 0000",
    );
    let (b, r) = both(&t);
    assert_eq!(b.name.as_deref(), Some("James Carter"));
    assert_eq!(b.email.as_deref(), Some("james.carter@brightlite.co.uk"));
    assert_eq!(b.domain.as_deref(), Some("brightlite.co.uk"));
    assert_eq!(b.company.as_deref(), Some("BrightLite Distribution Ltd"));
    assert_eq!(b.title.as_deref(), Some("Purchasing Manager"));
    assert_eq!(b.country.as_deref(), Some("GB"));
    assert_eq!(b.phone.as_deref(), Some("+441134960000"));
    let p = &r.products[0];
    assert_eq!(p.name, "LED flood light");
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(500.0), Some("pcs")));
    assert_eq!(p.specs.get("power_w"), Some(&json!(100)));
    assert_eq!(p.specs.get("ip_rating"), Some(&json!("IP65")));
    assert_eq!(p.specs.get("cct_k"), Some(&json!(4000)));
    assert_eq!(p.specs.get("voltage"), Some(&json!("220-240V")));
    let price = r
        .target_price
        .as_ref()
        .map(|p| (p.amount, p.currency.as_str(), p.per.as_deref()));
    assert_eq!(price, Some((12.5, "USD", Some("pcs"))));
    assert_eq!(r.incoterm.as_deref(), Some("CIF"));
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("GB"), Some("Felixstowe"))));
    assert_eq!(
        r.payment_terms.as_deref(),
        Some("30% T/T deposit, 70% against B/L copy")
    );
    assert_eq!(r.certifications, vec!["CE", "RoHS", "UKCA"]);
    assert_eq!(r.deadline.as_deref(), Some("2025-05-15"));
}

// 2. Alibaba notification: the From header is the platform; the buyer is in the body.
#[test]
fn alibaba_notification_fields() {
    let t = mail(
        "Alibaba.com <notification@service.alibaba.com>",
        "2025-04-10",
        "New inquiry from Alibaba.com\n\nProduct Name: Solar Street Light 200W\nPurchase Quantity: 300 Piece/Pieces\nBuyer: Kwame Mensah\nCountry/Region: Ghana\n\nMessage:\nHello, I need price for 300 pieces solar street light 200W with pole, delivery to Tema port. Please send catalog.\n\nTrade Assurance protects your orders. Learn more.",
    );
    let (b, r) = both(&t);
    assert_eq!(b.name.as_deref(), Some("Kwame Mensah"));
    assert_eq!(b.email, None);
    assert_eq!(b.country.as_deref(), Some("GH"));
    assert_eq!(r.products[0].name, "Solar Street Light 200W");
    assert_eq!(
        (r.products[0].quantity, r.products[0].unit.as_deref()),
        (Some(300.0), Some("pcs"))
    );
    assert_eq!(r.products[0].specs.get("power_w"), Some(&json!(200)));
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("GH"), Some("Tema"))));
    assert_eq!(r.payment_terms, None);
}

// 3. Chat-style one-liner: nothing to extract but the language.
#[test]
fn one_liner_price_question() {
    let t = ThreadInput::single("Hi, price?");
    let (b, r) = both(&t);
    assert_eq!(detect_language("Hi, price?"), Some("en"));
    assert_eq!(b, Buyer::default());
    assert!(r.products.is_empty());
    assert_eq!(r.target_price, None);
    assert!(r.certifications.is_empty());
}

// 4. WhatsApp-style: container quantity, CNF to an African port, phone in the text.
#[test]
fn whatsapp_container_order_to_lagos() {
    let t = ThreadInput::single("hello dear, need 2 x 40HQ of LED bulbs 9W B22, CNF Apapa Lagos. my whatsapp +234 803 555 0142");
    let (b, r) = both(&t);
    assert_eq!(b.phone.as_deref(), Some("+2348035550142"));
    assert_eq!(
        (b.country.as_deref(), src(&b, "country")),
        (Some("NG"), Some("phone prefix"))
    );
    let p = &r.products[0];
    assert_eq!(p.name, "LED bulb");
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(2.0), Some("40HQ")));
    assert_eq!(p.specs.get("power_w"), Some(&json!(9)));
    assert_eq!(r.incoterm.as_deref(), Some("CFR"));
    assert_eq!(
        r.destination.as_ref().and_then(|d| d.country.as_deref()),
        Some("NG")
    );
}

// 5. Spanish buyer from Mexico: European number format, unidades, FOB, deposit split.
#[test]
fn mexican_buyer_in_spanish() {
    let t = mail(
        "Luis Hernández <compras@ilumimex.com.mx>",
        "2025-02-20",
        "Buenos días,\n\nSomos una empresa importadora de México. Necesitamos cotización de 1.000 unidades de paneles LED 60x60 cm 40W, 6500K, precio FOB Ningbo. Forma de pago: 30% anticipo y 70% antes del embarque.\nNecesitamos la mercancía antes del 30 de abril.\n\nSaludos cordiales\nLuis Hernández\nGerente de Compras\nIlumimex S.A. de C.V.\nTel: +52 55 1234 5678",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("es"));
    assert_eq!(b.name.as_deref(), Some("Luis Hernández"));
    assert_eq!(b.title.as_deref(), Some("Gerente de Compras"));
    assert_eq!(b.company.as_deref(), Some("Ilumimex S.A. de C.V."));
    assert_eq!(b.country.as_deref(), Some("MX"));
    assert_eq!(b.phone.as_deref(), Some("+525512345678"));
    let p = &r.products[0];
    assert_eq!(
        (p.quantity, p.unit.as_deref()),
        (Some(1000.0), Some("units"))
    );
    assert_eq!(p.specs.get("power_w"), Some(&json!(40)));
    assert_eq!(p.specs.get("cct_k"), Some(&json!(6500)));
    assert_eq!(p.specs.get("size"), Some(&json!("60x60cm")));
    assert_eq!(r.incoterm.as_deref(), Some("FOB"));
    assert_eq!(r.destination, None);
    assert_eq!(
        r.payment_terms.as_deref(),
        Some("30% deposit, 70% before shipment")
    );
    assert_eq!(r.deadline.as_deref(), Some("2025-04-30"));
}

// 6. Brazilian buyer in Portuguese: R$ price, INMETRO, ccTLD country.
#[test]
fn brazilian_buyer_in_portuguese() {
    let t = mail(
        "Fernanda Souza <fernanda@luzdosul.com.br>",
        "2025-05-02",
        "Olá, boa tarde!\nPrecisamos de 2000 peças de refletor LED 50W IP66 bivolt com certificação INMETRO. Preço alvo R$ 45 por peça, CIF Santos.\nAtenciosamente,\nFernanda Souza\nCompradora\nLuz do Sul Comércio Ltda",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("pt"));
    assert_eq!(b.company.as_deref(), Some("Luz do Sul Comércio Ltda"));
    assert_eq!(b.title.as_deref(), Some("Compradora"));
    assert_eq!(
        (b.country.as_deref(), src(&b, "country")),
        (Some("BR"), Some("ccTLD"))
    );
    let p = &r.products[0];
    assert_eq!(p.name, "refletor LED");
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(2000.0), Some("pcs")));
    assert_eq!(p.specs.get("ip_rating"), Some(&json!("IP66")));
    let price = r
        .target_price
        .as_ref()
        .map(|p| (p.amount, p.currency.as_str(), p.per.as_deref()));
    assert_eq!(price, Some((45.0, "BRL", Some("pcs"))));
    assert_eq!(r.certifications, vec!["INMETRO"]);
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("BR"), Some("Santos"))));
}

// 7. Russian buyer: штук, рубли, EAC, Cyrillic signature with company form ООО.
#[test]
fn russian_buyer_in_russian() {
    let t = mail(
        "Иван Петров <ivan@svet-torg.ru>",
        "2025-03-10",
        "Здравствуйте!\nНужна цена на светильники LED 36W, 3000 штук, с сертификатом EAC. Доставка в Москву до 15 мая.\n\nС уважением,\nИван Петров\nМенеджер по закупкам\nООО Свет-Торг\nТел.: +7 495 123-45-67",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("ru"));
    assert_eq!(b.name.as_deref(), Some("Иван Петров"));
    assert_eq!(b.title.as_deref(), Some("Менеджер по закупкам"));
    assert_eq!(b.company.as_deref(), Some("ООО Свет-Торг"));
    assert_eq!(b.phone.as_deref(), Some("+74951234567"));
    assert_eq!(b.country.as_deref(), Some("RU"));
    let p = &r.products[0];
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(3000.0), Some("pcs")));
    assert_eq!(p.specs.get("power_w"), Some(&json!(36)));
    assert_eq!(r.certifications, vec!["EAC"]);
    assert_eq!(r.deadline.as_deref(), Some("2025-05-15"));
}

// 8. Chinese buyer writing Chinese: 个, 美元/个, 电汇, 5月底.
#[test]
fn chinese_text_inquiry() {
    let t = mail(
        "王磊 <wanglei@hk-lights.com.hk>",
        "2025-03-03",
        "您好，我们需要500个100W LED投光灯，IP65，目标价12.5美元/个，付款方式：电汇，需要CE认证，5月底前交货。\n谢谢\n王磊\n采购经理\n香港明辉贸易有限公司",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("zh"));
    assert_eq!(b.name.as_deref(), Some("王磊"));
    assert_eq!(b.title.as_deref(), Some("采购经理"));
    assert_eq!(b.company.as_deref(), Some("香港明辉贸易有限公司"));
    assert_eq!(b.country.as_deref(), Some("HK"));
    let p = &r.products[0];
    assert_eq!(p.name, "LED投光灯");
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(500.0), Some("pcs")));
    assert_eq!(p.specs.get("ip_rating"), Some(&json!("IP65")));
    let price = r
        .target_price
        .as_ref()
        .map(|p| (p.amount, p.currency.as_str(), p.per.as_deref()));
    assert_eq!(price, Some((12.5, "USD", Some("pcs"))));
    assert_eq!(r.payment_terms.as_deref(), Some("T/T"));
    assert_eq!(r.certifications, vec!["CE"]);
    assert_eq!(r.deadline.as_deref(), Some("2025-05-31"));
}

// 9. German buyer: Stück, €3,20/Stück, DDP, Lieferung nach, GS and TÜV.
#[test]
fn german_buyer_in_german() {
    let t = mail(
        "Katrin Weber <k.weber@elektro-weber.de>",
        "2025-06-01",
        "Sehr geehrte Damen und Herren,\nwir benötigen ein Angebot für 800 Stück LED Panel 62x62 cm, 36W, 4000K, CRI>90, mit GS und TÜV Zertifikat. Zielpreis €3,20/Stück, DDP Lieferung nach Deutschland.\nMit freundlichen Grüßen\nKatrin Weber\nEinkäuferin\nElektro Weber GmbH & Co. KG",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("de"));
    assert_eq!(b.title.as_deref(), Some("Einkäuferin"));
    assert_eq!(b.company.as_deref(), Some("Elektro Weber GmbH & Co. KG"));
    assert_eq!(b.country.as_deref(), Some("DE"));
    let p = &r.products[0];
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(800.0), Some("pcs")));
    assert_eq!(p.specs.get("cri"), Some(&json!(90)));
    let price = r
        .target_price
        .as_ref()
        .map(|p| (p.amount, p.currency.as_str(), p.per.as_deref()));
    assert_eq!(price, Some((3.2, "EUR", Some("pcs"))));
    assert_eq!(r.incoterm.as_deref(), Some("DDP"));
    assert_eq!(
        r.destination.as_ref().and_then(|d| d.country.as_deref()),
        Some("DE")
    );
    assert_eq!(r.certifications, vec!["GS", "TÜV"]);
}

// 10. French buyer from Morocco: "ce" the French word is not CE.
#[test]
fn french_buyer_ce_word_is_not_a_certification() {
    let t = mail(
        "Youssef Benali <y.benali@maroclux.ma>",
        "2025-01-15",
        "Bonjour,\nNous sommes une société de distribution basée au Maroc. Pour ce projet nous avons besoin de 1200 lampes LED E27 12W, livraison à Casablanca. Quel est votre prix ?\nCordialement,\nYoussef Benali\nResponsable achats\nMarocLux SARL",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("fr"));
    assert_eq!(b.title.as_deref(), Some("Responsable achats"));
    assert_eq!(b.company.as_deref(), Some("MarocLux SARL"));
    assert_eq!(b.country.as_deref(), Some("MA"));
    assert!(r.certifications.is_empty());
    let p = &r.products[0];
    assert_eq!(
        (p.quantity, p.unit.as_deref()),
        (Some(1200.0), None.or(p.unit.as_deref()))
    );
    assert_eq!(p.specs.get("power_w"), Some(&json!(12)));
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("MA"), Some("Casablanca"))));
}

// 11. Arabic buyer from Saudi Arabia: SASO, AED price, Arabic script language.
#[test]
fn arabic_buyer_with_saso() {
    let t = mail(
        "Faisal <faisal@alnoor-trading.sa>",
        "2025-02-01",
        "السلام عليكم\nنحتاج عرض سعر لـ 1000 قطعة كشاف LED 150W مع شهادة SASO\nشكرا\nFaisal Al-Harbi\nAl Noor Trading Est.\nRiyadh, Saudi Arabia\nMobile: +966 50 123 4567",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("ar"));
    assert_eq!(b.phone.as_deref(), Some("+966501234567"));
    assert_eq!(
        (b.country.as_deref(), src(&b, "country")),
        (Some("SA"), Some("address"))
    );
    assert_eq!(r.certifications, vec!["SASO"]);
}

// 12. Website form: labelled fields, a national phone number read with the country.
#[test]
fn website_form_with_national_phone() {
    let t = mail(
        "WordPress <wordpress@tradescout-demo.com>",
        "2025-03-03",
        "Name: Priya Sharma\nEmail: priya@sharmaelectricals.in\nPhone: 098765 43210\nCountry: India\nCompany: Sharma Electricals Pvt Ltd\nMessage: Please send price for 5000 meters of 2.5 sq mm copper cable, BIS certified.",
    );
    let (b, r) = both(&t);
    assert_eq!(b.name.as_deref(), Some("Priya Sharma"));
    assert_eq!(b.email.as_deref(), Some("priya@sharmaelectricals.in"));
    assert_eq!(b.domain.as_deref(), Some("sharmaelectricals.in"));
    assert_eq!(b.company.as_deref(), Some("Sharma Electricals Pvt Ltd"));
    assert_eq!(b.country.as_deref(), Some("IN"));
    assert_eq!(b.phone.as_deref(), Some("+919876543210"));
    let p = &r.products[0];
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(5000.0), Some("m")));
    assert_eq!(p.specs.get("material"), Some(&json!("copper")));
    assert_eq!(r.certifications, vec!["BIS"]);
}

// 13. Chinese signature under an English body: language English, name from the signature.
#[test]
fn english_body_chinese_signature() {
    let t = mail(
        "sourcing@gd-buyers.com",
        "",
        "Hello,\nWe are looking for 300 sets of solar inverter 5kW for our project in Kenya. Please send your best FOB price and lead time.\n\nRegards\n陈志明\n采购主管\n广州环球采购有限公司",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("en"));
    assert_eq!(b.name.as_deref(), Some("陈志明"));
    assert_eq!(b.company.as_deref(), Some("广州环球采购有限公司"));
    assert_eq!(b.title.as_deref(), Some("采购主管"));
    let p = &r.products[0];
    assert_eq!(p.name, "solar inverter");
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(300.0), Some("sets")));
    assert_eq!(p.specs.get("power_w"), Some(&json!(5000)));
}

// 14. Spanish signature under an English body: language stays English.
#[test]
fn english_body_spanish_signature_language() {
    let text = "Hi, please quote 100 units of 150W LED high bay lights, 5 years warranty, delivery to Callao port.\nThanks\nJuan Pérez\nJefe de Compras\nIluminaciones Andinas S.A.C.\nLima, Perú";
    assert_eq!(detect_language(text), Some("en"));
    let (b, r) = both(&ThreadInput::single(text));
    assert_eq!(b.company.as_deref(), Some("Iluminaciones Andinas S.A.C."));
    assert_eq!(b.country.as_deref(), Some("PE"));
    assert_eq!(r.products[0].specs.get("warranty_years"), Some(&json!(5)));
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("PE"), Some("Callao"))));
}

// 15. Several products on numbered lines, each with its own quantity and specs.
#[test]
fn numbered_product_list() {
    let t = ThreadInput::single(
        "Dear supplier,\nPlease quote the following:\n1. LED street light 100W, IP66, 200 pcs\n2. LED street light 150W, IP66, 150 pcs\n3. Solar flood light 60W, 500 pcs\nFOB Shenzhen. Thanks",
    );
    let r = extract_request(&t);
    assert_eq!(r.products.len(), 3, "{:?}", r.products);
    let got: Vec<_> = r
        .products
        .iter()
        .map(|p| (p.quantity, p.specs.get("power_w").cloned()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(200.0), Some(json!(100))),
            (Some(150.0), Some(json!(150))),
            (Some(500.0), Some(json!(60)))
        ]
    );
    assert_eq!(r.incoterm.as_deref(), Some("FOB"));
    assert_eq!(r.destination, None);
}

// 16. A model number and an SKU; phone numbers and years never become quantities.
#[test]
fn model_numbers_and_no_false_quantities() {
    let t = ThreadInput::single(
        "Hi, we bought model BS-FL100 from you in 2023. Now we need 1,000 pcs again. Call me on +1 415 555 0134.\nRegards, Mike",
    );
    let r = extract_request(&t);
    let p = &r.products[0];
    assert_eq!(p.model.as_deref(), Some("BS-FL100"));
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(1000.0), Some("pcs")));
}

// 17. "5k pcs", "IP address" is not an IP rating.
#[test]
fn thousands_shorthand_and_ip_address() {
    let r = extract_request(&ThreadInput::single(
        "Need 5k pcs of LED tube T8 18W. Our IP address changed, please resend the link.",
    ));
    let p = &r.products[0];
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(5000.0), Some("pcs")));
    assert_eq!(p.specs.get("ip_rating"), None);
    assert_eq!(p.specs.get("power_w"), Some(&json!(18)));
}

// 18. Payment by L/C at sight; destination in a label.
#[test]
fn lc_at_sight_and_destination_label() {
    let r = extract_request(&ThreadInput::single(
        "Product: Galvanized steel pipe\nQuantity: 25 MT\nDestination port: Mombasa\nPayment: L/C at sight",
    ));
    assert_eq!(r.products[0].name, "Galvanized steel pipe");
    assert_eq!(
        (r.products[0].quantity, r.products[0].unit.as_deref()),
        (Some(25.0), Some("tons"))
    );
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("KE"), Some("Mombasa"))));
    assert_eq!(r.payment_terms.as_deref(), Some("L/C at sight"));
}

// 19. Deadline words when no message date is known; ASAP.
#[test]
fn deadline_words_without_date() {
    let r = extract_request(&ThreadInput::single(
        "We need 200 pcs LED downlight by end of April.",
    ));
    assert_eq!(r.deadline.as_deref(), Some("end of April"));
    let r = extract_request(&ThreadInput::single("Urgent!! need 50 pcs LED panel ASAP"));
    assert_eq!(r.deadline.as_deref(), Some("ASAP"));
    let r = extract_request(&ThreadInput::single(
        "Can you deliver 300 sets within 30 days?",
    ));
    assert_eq!(r.deadline.as_deref(), Some("within 30 days"));
}

// 20. A thread: the newest buyer message overrides quantity and Incoterm; the seller's own
// signature and terms are ignored.
#[test]
fn thread_newest_buyer_values_win() {
    let t = ThreadInput {
        messages: vec![
            InputMessage {
                role: Some(Role::Buyer),
                from: Some("Olivia Brown <olivia@sunhome.com.au>".into()),
                date: Some("2025-03-01".into()),
                text: "Hi, we need 500 pcs of 10W LED downlights with SAA, FOB price please.\nCheers\nOlivia Brown\nProcurement Manager\nSunHome Pty Ltd".into(),
                ..Default::default()
            },
            InputMessage {
                role: Some(Role::Seller),
                from: Some("Lily <lily@ledfactory.cn>".into()),
                text: "Dear Olivia, our price is USD 2.10/pc FOB Ningbo, payment 30% deposit. Our products have CE, RoHS, UL.\nBest regards\nLily\nSales Manager\nNingbo LED Factory Co., Ltd.\nTel: +86 574 8888 8888".into(),
                ..Default::default()
            },
            InputMessage {
                role: Some(Role::Buyer),
                from: Some("Olivia Brown <olivia@sunhome.com.au>".into()),
                date: Some("2025-03-05".into()),
                text: "Thanks Lily. Please revise for 1500 pcs, CIF Sydney. Our target is USD 1.80 per piece.".into(),
                ..Default::default()
            },
        ],
    };
    let (b, r) = both(&t);
    assert_eq!(b.company.as_deref(), Some("SunHome Pty Ltd"));
    assert_eq!(b.title.as_deref(), Some("Procurement Manager"));
    assert_eq!(b.country.as_deref(), Some("AU"));
    assert_eq!(b.phone, None);
    let p = &r.products[0];
    assert_eq!(p.name, "LED downlight");
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(1500.0), Some("pcs")));
    assert_eq!(r.incoterm.as_deref(), Some("CIF"));
    let price = r
        .target_price
        .as_ref()
        .map(|p| (p.amount, p.currency.as_str(), p.per.as_deref()));
    assert_eq!(price, Some((1.8, "USD", Some("pcs"))));
    assert_eq!(r.certifications, vec!["SAA"]);
    assert_eq!(r.payment_terms, None);
}

// 21. Quoted seller history inside a buyer reply is not read.
#[test]
fn quoted_history_in_reply_is_ignored() {
    let t = mail(
        "Tom <tom@gardenpro.nl>",
        "2025-04-01",
        "OK, we take 400 pcs.\n\nOn Mon, 31 Mar 2025, Sales <sales@factory.cn> wrote:\n> Our MOQ is 1000 pcs, CE RoHS, T/T 100% in advance.\n> Tel: +86 755 8888 0000",
    );
    let (b, r) = both(&t);
    assert_eq!(r.certifications, Vec::<String>::new());
    assert_eq!(r.payment_terms, None);
    assert_eq!(r.products[0].quantity, Some(400.0));
    assert_eq!(b.phone, None);
    assert_eq!(
        (b.country.as_deref(), src(&b, "country")),
        (Some("NL"), Some("ccTLD"))
    );
}

// 22. Turkish buyer: adet, Mersin.
#[test]
fn turkish_buyer() {
    let t = mail(
        "Mehmet Yılmaz <mehmet@isikaydinlatma.com.tr>",
        "",
        "Merhaba,\n1500 adet LED şerit 12V, IP20 için fiyat teklifi rica ediyoruz. CIF Mersin.\nSaygılarımla\nMehmet Yılmaz\nSatın Alma Müdürü\nIşık Aydınlatma Ltd. Şti.",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("tr"));
    assert_eq!(b.title.as_deref(), Some("Satın Alma Müdürü"));
    assert_eq!(b.country.as_deref(), Some("TR"));
    assert_eq!(r.products.first().and_then(|p| p.quantity), Some(1500.0));
    assert_eq!(
        r.products.first().and_then(|p| p.unit.as_deref()),
        Some("pcs")
    );
    assert_eq!(
        r.products
            .first()
            .and_then(|p| p.specs.get("voltage").cloned()),
        Some(json!("12V"))
    );
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("TR"), Some("Mersin"))));
}

// 23. Italian buyer.
#[test]
fn italian_buyer() {
    let t = ThreadInput::single(
        "Buongiorno, siamo un'azienda italiana e abbiamo bisogno di un preventivo per 600 pezzi di proiettori LED 30W IP65. Consegna a Genova.\nCordiali saluti\nMarco Rossi\nResponsabile acquisti\nLuce Italia S.r.l.",
    );
    let (b, r) = both(&t);
    assert_eq!(detect_language(&t.messages[0].text), Some("it"));
    assert_eq!(b.company.as_deref(), Some("Luce Italia S.r.l."));
    assert_eq!(b.name.as_deref(), Some("Marco Rossi"));
    assert_eq!(r.products.first().and_then(|p| p.quantity), Some(600.0));
    assert_eq!(
        r.products
            .first()
            .and_then(|p| p.specs.get("ip_rating").cloned()),
        Some(json!("IP65"))
    );
}

// 24. Dutch, Polish, Vietnamese, Indonesian: language only.
#[test]
fn more_latin_languages() {
    assert_eq!(detect_language("Goedemiddag, wij zijn een groothandel uit Nederland en willen graag een offerte voor 500 stuks LED panelen."), Some("nl"));
    assert_eq!(
        detect_language(
            "Dzień dobry, prosimy o ofertę na 300 sztuk naświetlaczy LED 50W z certyfikatem CE."
        ),
        Some("pl")
    );
    assert_eq!(
        detect_language("Xin chào, công ty chúng tôi cần báo giá 1000 cái đèn LED âm trần."),
        Some("vi")
    );
    assert_eq!(
        detect_language(
            "Selamat siang, kami perlu penawaran harga untuk 200 unit lampu jalan tenaga surya."
        ),
        Some("id")
    );
}

// 25. Japanese and Korean inquiries with PSE and KC.
#[test]
fn japanese_and_korean_certifications() {
    let ja = "お世話になっております。LED電球を1000個、PSE認証付きで見積もりをお願いします。";
    assert_eq!(detect_language(ja), Some("ja"));
    assert_eq!(
        extract_request(&ThreadInput::single(ja)).certifications,
        vec!["PSE"]
    );
    let ko = "안녕하세요. LED 투광등 500개 KC 인증 포함 견적 부탁드립니다.";
    assert_eq!(detect_language(ko), Some("ko"));
    assert_eq!(
        extract_request(&ThreadInput::single(ko)).certifications,
        vec!["KC"]
    );
}

// 26. Ukrainian is told from Russian by its letters.
#[test]
fn ukrainian_inquiry() {
    let t = "Доброго дня! Потрібна ціна на 200 штук світильників LED 18W, доставка до Одеси.";
    assert_eq!(detect_language(t), Some("uk"));
}

// 27. Certifications: aliases, no duplicates, no false hits in ordinary words.
#[test]
fn certification_aliases_and_false_friends() {
    let r = extract_request(&ThreadInput::single(
        "Products must be CE/RoHS, cULus and ETL listed, DLC premium, ISO 9001 factory. The price must reach our budget. CE again.",
    ));
    assert_eq!(
        r.certifications,
        vec!["CE", "RoHS", "cUL", "ETL", "DLC", "ISO 9001"]
    );
}

// 28. Nigerian buyer with SONCAP, "ship to Lagos".
#[test]
fn nigerian_buyer_soncap() {
    let t = mail(
        "Chinedu Okafor <chinedu.okafor@gmail.com>",
        "",
        "Good day, I am Chinedu Okafor from Lagos Power Solutions. We need 100 units of 5KVA generator with SONCAP certificate, ship to Lagos. Payment by T/T.\nThanks",
    );
    let (b, r) = both(&t);
    assert_eq!(b.name.as_deref(), Some("Chinedu Okafor"));
    assert_eq!(b.company.as_deref(), Some("Lagos Power Solutions"));
    assert_eq!(b.domain.as_deref(), Some("gmail.com"));
    assert_eq!(r.products[0].name, "generator");
    assert_eq!(
        (r.products[0].quantity, r.products[0].unit.as_deref()),
        (Some(100.0), Some("units"))
    );
    assert_eq!(r.certifications, vec!["SONCAP"]);
    assert_eq!(r.payment_terms.as_deref(), Some("T/T"));
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("NG"), Some("Lagos"))));
    assert_eq!(b.country.as_deref(), Some("NG"));
}

// 29. Free mail gives no company guess; country from text "we are from".
#[test]
fn free_mail_no_company_guess() {
    let t = mail(
        "ali.hassan@yahoo.com",
        "",
        "Hello, we are from Pakistan, need 20 pcs of water pump 1HP. Thanks",
    );
    let b = extract_buyer(&t);
    assert_eq!(b.company, None);
    assert_eq!(
        (b.country.as_deref(), src(&b, "country")),
        (Some("PK"), Some("text"))
    );
    assert_eq!(b.email.as_deref(), Some("ali.hassan@yahoo.com"));
}

// 30. Company guessed from a business domain, marked as a guess.
#[test]
fn company_domain_guess_is_marked() {
    let b = extract_buyer(&mail(
        "info@nordic-led-supply.se",
        "",
        "Please send catalogue and price list.",
    ));
    assert_eq!(b.company.as_deref(), Some("Nordic Led Supply"));
    assert_eq!(src(&b, "company"), Some("domain guess"));
    assert_eq!(b.country.as_deref(), Some("SE"));
    assert_eq!(b.name, None);
}

// 31. Target price written after the amount in dollars, per set; C&F.
#[test]
fn price_in_words_per_set() {
    let r = extract_request(&ThreadInput::single(
        "We can accept 85 dollars per set for 200 sets of garden furniture, C&F Jebel Ali.",
    ));
    let price = r
        .target_price
        .as_ref()
        .map(|p| (p.amount, p.currency.as_str(), p.per.as_deref()));
    assert_eq!(price, Some((85.0, "USD", Some("sets"))));
    assert_eq!(r.incoterm.as_deref(), Some("CFR"));
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("AE"), Some("Jebel Ali"))));
}

// 32. Russian rouble sign and DDU → DAP.
#[test]
fn rouble_price_and_ddu() {
    let r = extract_request(&ThreadInput::single(
        "Цена 450 ₽ за шт, условия DDU Москва, 1000 шт светильников",
    ));
    let price = r
        .target_price
        .as_ref()
        .map(|p| (p.amount, p.currency.as_str(), p.per.as_deref()));
    assert_eq!(price, Some((450.0, "RUB", Some("pcs"))));
    assert_eq!(r.incoterm.as_deref(), Some("DAP"));
}

// 33. Plug type, frequency, capacity and colour for consumer electronics.
#[test]
fn consumer_electronics_specs() {
    let r = extract_request(&ThreadInput::single(
        "Need 3000 pcs power bank 10000mAh, black color, and 2000 pcs USB charger with UK plug, 50/60Hz, 5V DC.",
    ));
    assert_eq!(r.products.len(), 2, "{:?}", r.products);
    assert_eq!(
        r.products[0].specs.get("capacity"),
        Some(&json!("10000mAh"))
    );
    assert_eq!(r.products[0].specs.get("color"), Some(&json!("black")));
    assert_eq!(r.products[1].specs.get("plug"), Some(&json!("type G")));
    assert_eq!(r.products[1].specs.get("voltage"), Some(&json!("5V DC")));
    assert_eq!(r.products[1].quantity, Some(2000.0));
}

// 34. Material and size for furniture; quantity in cartons.
#[test]
fn furniture_material_size_cartons() {
    let r = extract_request(&ThreadInput::single(
        "Quotation for 120 cartons of stainless steel table 120x60x75cm please.",
    ));
    let p = &r.products[0];
    assert_eq!(
        (p.quantity, p.unit.as_deref()),
        (Some(120.0), Some("cartons"))
    );
    assert_eq!(p.specs.get("material"), Some(&json!("stainless steel")));
    assert_eq!(p.specs.get("size"), Some(&json!("120x60x75cm")));
}

// 35. Deadline on a numeric date and an RFC 2822 message date.
#[test]
fn deadline_numeric_and_rfc2822_date() {
    let t = mail(
        "a@b.de",
        "Mon, 3 Mar 2025 10:00:00 +0100",
        "Need 100 pcs, delivery no later than 20/04/2025.",
    );
    assert_eq!(extract_request(&t).deadline.as_deref(), Some("2025-04-20"));
    let t = mail(
        "a@b.de",
        "Mon, 3 Mar 2025 10:00:00 +0100",
        "Need 100 pcs LED panel until end of next month.",
    );
    assert_eq!(extract_request(&t).deadline.as_deref(), Some("2025-04-30"));
}

// 36. Made-in-China style notification with a company e-mail in the body.
#[test]
fn made_in_china_notification() {
    let t = mail(
        "Made-in-China.com <service@made-in-china.com>",
        "",
        "Inquiry Details\nSubject: LED Tube Light\nContact: Sarah Johnson\nE-mail: sarah@greenbuild.us\nTel: +1 (312) 555-0199\nCountry: United States\n\nHi, please quote 10,000 pcs T8 LED tube 4ft 18W, ETL listed, DLC. Ship to Los Angeles.",
    );
    let (b, r) = both(&t);
    assert_eq!(b.name.as_deref(), Some("Sarah Johnson"));
    assert_eq!(b.email.as_deref(), Some("sarah@greenbuild.us"));
    assert_eq!(b.domain.as_deref(), Some("greenbuild.us"));
    assert_eq!(b.phone.as_deref(), Some("+13125550199"));
    assert_eq!(b.country.as_deref(), Some("US"));
    assert_eq!(
        (r.products[0].quantity, r.products[0].unit.as_deref()),
        (Some(10000.0), Some("pcs"))
    );
    assert_eq!(r.certifications, vec!["ETL", "DLC"]);
    let dest = r
        .destination
        .as_ref()
        .map(|d| (d.country.as_deref(), d.port.as_deref()));
    assert_eq!(dest, Some((Some("US"), Some("Los Angeles"))));
}

// 37. Title in running text, Chinese buyer's company from "we are".
#[test]
fn title_and_company_from_running_text() {
    let b = extract_buyer(&ThreadInput::single(
        "Hello, this is Ahmed, I am the procurement manager. We are Falcon Electric LLC in Dubai. Need price for cables.",
    ));
    assert_eq!(b.name.as_deref(), Some("Ahmed"));
    assert_eq!(b.title.as_deref(), Some("procurement manager"));
    assert_eq!(b.company.as_deref(), Some("Falcon Electric LLC"));
}

// 38. Seller's domain in a buyer message is not the buyer's e-mail.
#[test]
fn seller_address_in_buyer_text_is_skipped() {
    let t = ThreadInput {
        messages: vec![
            InputMessage {
                role: Some(Role::Seller),
                from: Some("Amy <amy@bestlight.cn>".into()),
                text: "Hi".into(),
                ..Default::default()
            },
            InputMessage {
                role: Some(Role::Buyer),
                from: None,
                text: "Please copy amy@bestlight.cn. My email is pedro@iluminacion.cl".into(),
                ..Default::default()
            },
        ],
    };
    let b = extract_buyer(&t);
    assert_eq!(b.email.as_deref(), Some("pedro@iluminacion.cl"));
    assert_eq!(b.country.as_deref(), Some("CL"));
}

// 39. Chinese measure words: 台, 套, 万.
#[test]
fn chinese_quantities() {
    let r = extract_request(&ThreadInput::single("我们要采购20台逆变器，发往迪拜"));
    assert_eq!(r.products[0].name, "逆变器");
    assert_eq!(
        (r.products[0].quantity, r.products[0].unit.as_deref()),
        (Some(20.0), Some("units"))
    );
    let r = extract_request(&ThreadInput::single("面板灯1万个，信用证付款"));
    assert_eq!(
        (r.products[0].quantity, r.products[0].unit.as_deref()),
        (Some(10000.0), Some("pcs"))
    );
    assert_eq!(r.payment_terms.as_deref(), Some("L/C"));
}

// 40. Warranty, lumens, beam angle and CRI in an LED high bay spec sheet request.
#[test]
fn high_bay_spec_sheet() {
    let r = extract_request(&ThreadInput::single(
        "Looking for 200W UFO high bay, 30000lm, 150lm/W, CRI 80, beam angle 90°, 100-277V, 5 year warranty, 1x20GP.",
    ));
    let p = &r.products[0];
    assert_eq!(p.specs.get("lumens"), Some(&json!(30000)));
    assert_eq!(p.specs.get("cri"), Some(&json!(80)));
    assert_eq!(p.specs.get("beam_angle"), Some(&json!(90)));
    assert_eq!(p.specs.get("voltage"), Some(&json!("100-277V")));
    assert_eq!(p.specs.get("warranty_years"), Some(&json!(5)));
    assert_eq!((p.quantity, p.unit.as_deref()), (Some(1.0), Some("20GP")));
}

// 41. Trade Assurance named by the buyer as the way to pay.
#[test]
fn trade_assurance_when_buyer_asks_for_it() {
    let r = extract_request(&ThreadInput::single(
        "Can I pay via Trade Assurance? 100 pcs LED strip 5m",
    ));
    assert_eq!(r.payment_terms.as_deref(), Some("Trade Assurance"));
}

// 42. Empty and whitespace threads give empty results.
#[test]
fn empty_inputs() {
    let empty = ThreadInput::default();
    assert_eq!(extract_buyer(&empty), Buyer::default());
    assert_eq!(extract_request(&empty), Request::default());
    assert_eq!(
        extract_request(&ThreadInput::single("   \n\n ")),
        Request::default()
    );
    assert_eq!(detect_language(""), None);
}

// 43. A 5 MB single line and 10 MB of lines finish and stay bounded.
#[test]
fn huge_inputs_are_bounded() {
    let line = "need 500 pcs LED flood light IP65 CE ".repeat(5 * 1024 * 1024 / 38);
    let start = std::time::Instant::now();
    let t = ThreadInput::single(&line);
    let _ = (
        extract_buyer(&t),
        extract_request(&t),
        detect_language(&line),
    );
    let many = "Tel: +44 20 7946 0000 price USD 5 CIF Hamburg\n".repeat(10 * 1024 * 1024 / 46);
    let t = ThreadInput::single(&many);
    let _ = (
        extract_buyer(&t),
        extract_request(&t),
        detect_language(&many),
    );
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
}

// 44. Company and country introduced in running text; a product modifier that is a
// certification word is not part of the name.
#[test]
fn company_and_country_from_our_company_line() {
    let t = ThreadInput::single(
        "Hello. Our company: ABC Imports Pty Ltd, Australia. We need SAA approved LED downlights 10W 3000K, 5000 pcs.",
    );
    let (b, r) = both(&t);
    assert_eq!(b.company.as_deref(), Some("ABC Imports Pty Ltd"));
    assert_eq!(b.country.as_deref(), Some("AU"));
    assert_eq!(r.products[0].name, "LED downlight");
}

// 45. One container, PVC pipes, a deposit with the balance given only in words.
#[test]
fn container_of_pipes_with_worded_balance() {
    let r = extract_request(&ThreadInput::single(
        "Need 1*40HQ of PVC pipes 110mm, FOB Qingdao, payment 30% advance balance against BL copy.",
    ));
    let p = &r.products[0];
    assert_eq!(
        (p.name.as_str(), p.quantity, p.unit.as_deref()),
        ("PVC pipe", Some(1.0), Some("40HQ"))
    );
    assert_eq!(
        r.payment_terms.as_deref(),
        Some("30% deposit, 70% against B/L copy")
    );
    assert_eq!(r.destination, None);
}

// 46. Spanish website form: national mobile number read with the form's country.
#[test]
fn colombian_form_in_spanish() {
    let t = mail(
        "Web Form <noreply@ledfactory.com>",
        "2025-03-03",
        "Nombre: Andrés Gómez\nPaís: Colombia\nTeléfono: 300 123 4567\nCorreo: andres@iluminar.co\nMensaje: Necesito cotización de 500 lámparas LED de 18W, entrega en Bogotá antes del 30 de abril.",
    );
    let (b, r) = both(&t);
    assert_eq!(b.name.as_deref(), Some("Andrés Gómez"));
    assert_eq!(b.email.as_deref(), Some("andres@iluminar.co"));
    assert_eq!(b.phone.as_deref(), Some("+573001234567"));
    assert_eq!(b.country.as_deref(), Some("CO"));
    assert_eq!(
        (r.products[0].quantity, r.products[0].unit.as_deref()),
        (Some(500.0), Some("pcs"))
    );
    assert_eq!(r.deadline.as_deref(), Some("2025-04-30"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn extraction_never_panics(text in "\\PC{0,400}", from in "\\PC{0,60}", date in "\\PC{0,30}") {
        let t = ThreadInput {
            messages: vec![InputMessage {
                role: Some(Role::Buyer),
                from: Some(from),
                date: Some(date),
                text: text.clone(),
                signature: Some(text.chars().rev().take(20).collect()),
                ..Default::default()
            }],
        };
        let _ = (extract_buyer(&t), extract_request(&t), detect_language(&text));
    }

    #[test]
    fn extraction_never_panics_on_inquiry_like_text(
        parts in proptest::collection::vec(prop_oneof![
            Just("500 pcs "), Just("1.000,5 "), Just("USD "), Just("$"), Just("€3,20/"), Just("IP6"), Just("5 "), Just("K "),
            Just("x 40HQ "), Just("CIF "), Just("Hamburg"), Just("Tel: +"), Just("86 "), Just("00"), Just("月"), Just("前"),
            Just("before 31 "), Just("February"), Just("\n"), Just("Best regards\n"), Just("Ltd"), Just("灯"), Just("个"), Just("型号："),
            Just("model "), Just("BS-"), Just("%"), Just(" deposit "), Just("é"), Just("ı"), Just("Ї"),
        ], 0..60)
    ) {
        let text: String = parts.concat();
        let t = mail("X <x@y.z>", "2025-02-29", &text);
        let _ = (extract_buyer(&t), extract_request(&t), detect_language(&text));
    }
}

// A tender notice's heading holds a product word of another language ("termo" is a vacuum
// flask in Spanish); the not-product phrases keep it from becoming an order line, while the
// notice's own goods still are.
#[test]
fn notice_heading_is_no_product() {
    let t = mail(
        "Compras <compras@prefeitura.example.gov.br>",
        "2026-03-02T10:00:00Z",
        "TERMO DE REFERÊNCIA\n\n1. DO OBJETO\nAquisição de 40 ventiladores de teto para as escolas municipais, conforme especificações abaixo.\n\nPrazo de entrega: 30 dias.",
    );
    let r = extract_request(&t);
    let names: Vec<String> = r.products.iter().map(|p| p.name.to_lowercase()).collect();
    assert!(!names.iter().any(|n| n.contains("termo")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("ventilador")), "{names:?}");
}

// "8套餐具的" says what the dishwasher holds (eight place settings); it orders no tableware.
// A plain count of tableware is still an order line.
#[test]
fn a_chinese_count_closing_on_de_describes_the_product_before_it() {
    let t = mail(
        "采购部 <buy@example.ae>",
        "2026-03-02T10:00:00Z",
        "您好，贵司有没有台式洗碗机？8套餐具的，出口中东，想要300台。",
    );
    let r = extract_request(&t);
    let names: Vec<&str> = r.products.iter().map(|p| p.name.as_str()).collect();
    assert!(!names.iter().any(|n| n.contains("餐具")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("洗碗机")), "{names:?}");
    let t = mail("采购部 <buy@example.ae>", "", "我们需要200套餐具，请报价。");
    let r = extract_request(&t);
    assert!(
        r.products.iter().any(|p| p.name.contains("餐具")),
        "{:?}",
        r.products
    );
}

// A product's other name in brackets ("УШМ", the trade abbreviation of an angle grinder) is no
// second order line: the size, power and count after it belong to the product.
#[test]
fn a_second_name_in_brackets_is_the_same_product() {
    let t = mail(
        "Иван <zakupki@example.ru>",
        "",
        "Добрый день. Нужны болгарки (УШМ) 125 мм, 1000 Вт, 600 штук. Доставка в Екатеринбург.",
    );
    let r = extract_request(&t);
    assert_eq!(r.products.len(), 1, "{:?}", r.products);
    assert_eq!(r.products[0].quantity, Some(600.0), "{:?}", r.products);
    assert_eq!(r.products[0].specs.get("length_mm"), Some(&json!(125)));
}
