//! Messages in every charset a buyer's or a Chinese mail client uses, in headers (encoded
//! words) and bodies (8bit, quoted-printable, base64), and HTML-only bodies.

use tradescout_mail::{parse_message, Message, ParseLimits};

fn b64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn qp(data: &[u8]) -> String {
    let mut out = String::new();
    for b in data {
        match b {
            b'\n' => out.push('\n'),
            b' ' | b'!'..=b'<' | b'>'..=b'~' => out.push(*b as char),
            _ => out.push_str(&format!("={b:02X}")),
        }
    }
    out
}

fn encode(charset: &str, text: &str) -> Vec<u8> {
    let enc = encoding_rs::Encoding::for_label(charset.as_bytes())
        .unwrap_or_else(|| panic!("no encoding {charset}"));
    let (bytes, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "{text} is not representable in {charset}");
    bytes.into_owned()
}

fn parse(raw: &[u8]) -> Message {
    parse_message(raw, &ParseLimits::default()).unwrap_or_else(|e| panic!("does not parse: {e}"))
}

/// (charset label, subject, body) — each text in a script the charset carries.
const CASES: &[(&str, &str, &str)] = &[
    (
        "utf-8",
        "询价：LED 投光灯",
        "您好，请报价 500 个 100W 投光灯，FOB 宁波。",
    ),
    (
        "gb2312",
        "询价：太阳能路灯",
        "您好，请报价太阳能路灯，谢谢。",
    ),
    ("gbk", "回复：报价单", "附件是报价单，请查收。顺祝商祺"),
    ("gb18030", "订单确认", "请确认订单，定金已付。𠀀"),
    ("big5", "詢價：LED燈具", "您好，請報價，謝謝。"),
    (
        "shift_jis",
        "見積依頼：LEDライト",
        "お世話になっております。見積をお願いします。",
    ),
    (
        "euc-kr",
        "견적 요청: LED 조명",
        "안녕하세요. 견적 부탁드립니다.",
    ),
    (
        "koi8-r",
        "Запрос цены: светильники",
        "Здравствуйте, пришлите цену на 500 шт.",
    ),
    (
        "windows-1251",
        "Запрос: прожекторы",
        "Добрый день! Нужна цена FOB Нинбо.",
    ),
    (
        "windows-1252",
        "Demande de prix – projecteurs",
        "Bonjour, merci de nous envoyer le prix € HT.",
    ),
    (
        "iso-8859-1",
        "Cotización",
        "Estimados señores, necesitamos cotización.",
    ),
    (
        "iso-8859-2",
        "Zapytanie ofertowe",
        "Dzień dobry, prosimy o ofertę - źródło światła.",
    ),
    ("iso-8859-5", "Запрос", "Добрый день, цена?"),
    ("iso-8859-7", "Προσφορά", "Καλημέρα, παρακαλώ στείλτε τιμή."),
    (
        "iso-8859-9",
        "Fiyat teklifi",
        "Merhaba, fiyat teklifi rica ediyoruz. Saygılarımla",
    ),
    (
        "iso-8859-15",
        "Angebot",
        "Guten Tag, bitte Preis in € nennen. Grüße",
    ),
];

#[test]
fn base64_bodies_and_b_encoded_subjects_decode_in_every_charset() {
    for (charset, subject, body) in CASES {
        let raw = format!(
            "From: buyer@example.com\r\nSubject: =?{charset}?B?{}?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"{charset}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            b64(&encode(charset, subject)),
            b64(&encode(charset, body)),
        );
        let m = parse(raw.as_bytes());
        assert_eq!(m.subject, *subject, "{charset} subject");
        assert_eq!(m.text, *body, "{charset} body");
    }
}

#[test]
fn quoted_printable_bodies_and_q_encoded_names_decode_in_every_charset() {
    for (charset, subject, body) in CASES {
        let name_q: String = qp(&encode(charset, subject))
            .replace(' ', "_")
            .replace('?', "=3F");
        let raw = format!(
            "From: =?{charset}?Q?{name_q}?= <buyer@example.com>\r\nSubject: x\r\nContent-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}\r\n",
            qp(&encode(charset, body)),
        );
        let m = parse(raw.as_bytes());
        assert_eq!(m.text, *body, "{charset} body");
        let name = m.from.and_then(|f| f.name).unwrap_or_default();
        assert_eq!(name, *subject, "{charset} display name");
    }
}

#[test]
fn eight_bit_bodies_decode_by_their_declared_charset() {
    for (charset, _, body) in CASES {
        let mut raw = format!("From: b@x.com\r\nSubject: s\r\nContent-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").into_bytes();
        raw.extend(encode(charset, body));
        assert_eq!(parse(&raw).text, *body, "{charset}");
    }
}

#[test]
fn html_only_bodies_become_readable_text() {
    let raw = b"From: form@site.com\r\nSubject: contact\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><style>p{color:red}</style></head><body><p>Please send <b>catalog</b> &amp; price list.</p><br><p>Karim</p></body></html>\r\n";
    let m = parse(raw);
    assert!(m.from_html);
    assert!(
        m.text.contains("Please send catalog & price list."),
        "{}",
        m.text
    );
    assert!(m.text.contains("Karim"));
    assert!(!m.text.contains('<'));
    assert!(!m.text.contains("color:red"));
}

#[test]
fn attachments_are_listed_with_name_type_and_size_but_not_read_as_text() {
    let raw = "From: b@x.com\r\nSubject: drawing\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nSee drawing.\r\n--XX\r\nContent-Type: application/pdf; name=\"=?utf-8?B?5Zu+57q4LnBkZg==?=\"\r\nContent-Disposition: attachment; filename=\"=?utf-8?B?5Zu+57q4LnBkZg==?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--XX--\r\n";
    let m = parse(raw.as_bytes());
    assert_eq!(m.text, "See drawing.");
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].name.as_deref(), Some("图纸.pdf"));
    assert_eq!(m.attachments[0].content_type, "application/pdf");
    assert_eq!(m.attachments[0].size, 9);
}

#[test]
fn threading_headers_and_addresses_are_read() {
    let raw = b"From: \"Baker, Tom\" <Tom.Baker@GreenLight.co.uk>\r\nTo: a@x.cn, \"B\" <b@x.cn>\r\nCc: c@x.cn\r\nMessage-ID: <abc@mail>\r\nIn-Reply-To: <p1@mail>\r\nReferences: <p0@mail>\r\n <p1@mail>\r\nDate: Mon, 3 Mar 2025 10:12:00 +0800\r\nSubject: Re: quote\r\n\r\nok\r\n";
    let m = parse(raw);
    assert_eq!(m.message_id.as_deref(), Some("abc@mail"));
    assert_eq!(m.in_reply_to, vec!["p1@mail"]);
    assert_eq!(m.references, vec!["p0@mail", "p1@mail"]);
    let from = m.from.unwrap_or_default();
    assert_eq!(from.email.as_deref(), Some("tom.baker@greenlight.co.uk"));
    assert_eq!(from.name.as_deref(), Some("Baker, Tom"));
    assert_eq!(m.to.len(), 2);
    assert_eq!(m.cc.len(), 1);
    assert_eq!(
        m.date.map(|d| d.to_rfc3339()),
        Some("2025-03-03T10:12:00+08:00".to_string())
    );
}
