//! One test per export format: each fixture under `tests/fixtures/` (see its README) is read and
//! its messages, senders, times, multi-line texts, attachments and skipped system lines checked.

use chrono::NaiveDateTime;
use tradescout_chat::{parse, participants, Chat, ChatMessage, DateOrder};

fn fixture(name: &str) -> Chat {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match parse(&text) {
        Ok(chat) => chat,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|e| panic!("bad time {s:?} in the test: {e}"))
}

/// The message that starts on `line`.
fn on_line(chat: &Chat, line: usize) -> &ChatMessage {
    chat.messages
        .iter()
        .find(|m| m.line == line)
        .unwrap_or_else(|| panic!("no message starts on line {line}"))
}

/// Checks what every fixture must get right; returns the chat for the specific checks.
fn check(name: &str, messages: usize, system: usize, senders: &[&str], order: DateOrder) -> Chat {
    let chat = fixture(name);
    assert_eq!(chat.messages.len(), messages, "{name}: messages");
    assert_eq!(chat.system, system, "{name}: system lines");
    assert_eq!(participants(&chat), senders, "{name}: senders");
    assert_eq!(chat.date_order, order, "{name}: date order");
    assert!(chat.problems.is_empty(), "{name}: {:?}", chat.problems);
    for m in &chat.messages {
        let marks = ['\u{200E}', '\u{200F}', '\u{202F}', '\u{00A0}'];
        assert!(
            !m.text.contains(marks) && !m.sender.contains(marks),
            "{name} line {}: marks left in {m:?}",
            m.line
        );
    }
    chat
}

#[test]
fn android_us_english_reads_month_first_twelve_hour() {
    let chat = check(
        "android_en_us.txt",
        9,
        3,
        &["Mike Turner", "Lily Chen"],
        DateOrder::SecondAbove12,
    );
    assert!(!chat.day_first);
    let m = on_line(&chat, 3);
    assert_eq!(m.at, at("2026-01-12 09:05:00"));
    assert_eq!(
        m.text,
        "We need solar path lights for spring, 2,000 pcs.\nWarm white 3000K, IP65, stainless stake.\nTarget price: under $4.20 FOB"
    );
    assert_eq!(on_line(&chat, 7).attachments, ["media"]);
    assert_eq!(on_line(&chat, 7).text, "");
    assert_eq!(on_line(&chat, 9).at, at("2026-01-13 20:47:00"));
    assert_eq!(on_line(&chat, 14).at, at("2026-01-15 00:10:00"));
    assert_eq!(on_line(&chat, 13).at, at("2026-01-14 12:30:00"));
    // Line 10 "This message was deleted" and line 12 "Missed voice call" are not messages.
    assert!(chat.messages.iter().all(|m| m.line != 10 && m.line != 12));
}

#[test]
fn android_british_english_reads_a_group_with_media() {
    let chat = check(
        "android_en_gb_24h.txt",
        8,
        4,
        &["Sarah Jones", "Jason Xu", "Tom Baker"],
        DateOrder::FirstAbove12,
    );
    assert!(chat.day_first);
    // The subject change quoting "Hartley Home: PO 2026" is a group event, not a message.
    assert_eq!(chat.messages[0].line, 5);
    assert_eq!(
        on_line(&chat, 6).text,
        "Payment terms: 30% deposit, 70% against copy of B/L"
    );
    assert_eq!(on_line(&chat, 8).attachments, ["Hartley_PI-2026-014.pdf"]);
    let photo = on_line(&chat, 9);
    assert_eq!(photo.attachments, ["IMG-20260115-WA0003.jpg"]);
    assert_eq!(
        photo.text,
        "Handle on the blue mug is off-centre on 3 of 20 samples, please check the mould"
    );
    let edited = on_line(&chat, 11);
    assert!(edited.edited);
    assert_eq!(edited.text, "AQL 2.5 for the main order please");
    let long = on_line(&chat, 12);
    assert_eq!(long.at, at("2026-01-16 14:20:00"));
    assert_eq!(
        long.text,
        "Mould fixed, new photos Monday.\nProduction starts 20/01, loading 28/02.\n\nPort of loading: Shenzhen Yantian"
    );
    assert_eq!(
        on_line(&chat, 16).text,
        "location: https://maps.google.com/?q=22.58,114.27"
    );
}

#[test]
fn android_indian_english_is_day_first_from_chronology() {
    let chat = check(
        "android_en_in.txt",
        5,
        1,
        &["Rohit Mehta", "Cindy Xu"],
        DateOrder::Chronology,
    );
    assert!(chat.day_first);
    assert_eq!(on_line(&chat, 4).at, at("2026-01-05 18:15:00"));
    assert_eq!(on_line(&chat, 6).at, at("2026-02-02 16:45:00"));
}

#[test]
fn android_german_reads_dotted_dates() {
    let chat = check(
        "android_de.txt",
        7,
        2,
        &["Klaus Becker", "Kevin Wu"],
        DateOrder::FirstAbove12,
    );
    let list = on_line(&chat, 3);
    assert_eq!(list.at, at("2025-02-13 08:17:00"));
    assert_eq!(
        list.text,
        "Anforderungen:\n- CE und GS-Zeichen\n- 2 Akkus 2,0 Ah, Ladegerät mit EU-Stecker\n- Koffer mit unserem Logo"
    );
    assert_eq!(on_line(&chat, 8).attachments, ["media"]);
    let price = on_line(&chat, 9);
    assert!(price.edited);
    assert_eq!(
        price.text,
        "Modell KW-1820: 21,50 EUR FOB Shanghai bei 1.000 Stück"
    );
    assert_eq!(on_line(&chat, 12).at, at("2025-03-03 10:12:00"));
}

#[test]
fn android_chinese_reads_year_first_with_am_pm_words() {
    let chat = check(
        "android_zh.txt",
        7,
        2,
        &["陈志明", "王磊"],
        DateOrder::YearFirst,
    );
    assert_eq!(on_line(&chat, 2).at, at("2025-11-03 09:02:00"));
    let question = on_line(&chat, 6);
    assert_eq!(question.at, at("2025-11-03 12:30:00"));
    assert_eq!(
        question.text,
        "一个 20 尺柜能装多少？\n另外需要马来西亚 SIRIM 认证吗？"
    );
    assert_eq!(on_line(&chat, 4).attachments, ["media"]);
    assert_eq!(on_line(&chat, 5).attachments, ["media"]);
    assert_eq!(on_line(&chat, 10).at, at("2025-11-04 20:05:00"));
    assert!(on_line(&chat, 10).text.contains("付款方式：30% 定金"));
}

#[test]
fn android_russian_skips_a_group_created_with_a_colon_in_its_name() {
    let chat = check(
        "android_ru.txt",
        6,
        4,
        &["Дмитрий Соколов", "Anna Zhao"],
        DateOrder::FirstAbove12,
    );
    let first = &chat.messages[0];
    assert_eq!(first.line, 4);
    assert_eq!(first.at, at("2025-04-14 10:10:00"));
    assert_eq!(
        first.text,
        "Добрый день, Анна! Нам нужны трубы PPR PN20, диаметры 20, 25 и 32 мм.\nОбъём: 2 контейнера 40HQ в квартал."
    );
    assert_eq!(on_line(&chat, 8).attachments, ["media"]);
    assert!(on_line(&chat, 9).text.starts_with("Цена: 20 мм"));
}

#[test]
fn android_spanish_reads_a_m_and_p_m_with_no_break_spaces() {
    let chat = check(
        "android_es.txt",
        6,
        3,
        &["Alejandro Ramírez", "Jenny Zhou"],
        DateOrder::FirstAbove12,
    );
    assert_eq!(on_line(&chat, 2).at, at("2025-05-20 09:41:00"));
    assert_eq!(on_line(&chat, 5).at, at("2025-05-20 21:58:00"));
    assert_eq!(
        on_line(&chat, 3).text,
        "Buscamos sillas de oficina ergonómicas, modelo con soporte lumbar.\nCantidad: 300 piezas para empezar."
    );
    assert_eq!(on_line(&chat, 6).attachments, ["media"]);
    assert_eq!(on_line(&chat, 9).at, at("2025-05-21 12:06:00"));
}

#[test]
fn android_brazilian_portuguese_guesses_day_first() {
    let chat = check(
        "android_pt_br.txt",
        6,
        2,
        &["Rafael Oliveira", "Amy Lin"],
        DateOrder::Default,
    );
    assert!(chat.day_first);
    assert!(chat.date_order.is_guess());
    assert_eq!(on_line(&chat, 11).at, at("2026-02-04 09:10:00"));
    assert_eq!(
        on_line(&chat, 3).text,
        "Precisamos de painéis LED 60x60, 40 W, 4000 K.\n\nCertificação INMETRO é obrigatória aqui no Brasil."
    );
    let photo = on_line(&chat, 7);
    assert_eq!(photo.attachments, ["IMG-20260203-WA0007.jpg"]);
    assert_eq!(photo.text, "Certificado INMETRO do modelo PL-6060");
    assert_eq!(on_line(&chat, 9).attachments, ["media"]);
}

#[test]
fn android_french_reads_the_connector_a() {
    let chat = check(
        "android_fr.txt",
        6,
        3,
        &["Sophie Martin", "Tony Huang"],
        DateOrder::FirstAbove12,
    );
    assert_eq!(on_line(&chat, 3).at, at("2025-09-18 10:04:00"));
    assert_eq!(
        on_line(&chat, 3).text,
        "Nous cherchons du linge de lit en percale de coton, 200 fils :\n- housses de couette 240x260\n- taies 65x65\nCertification OEKO-TEX obligatoire !"
    );
    assert_eq!(on_line(&chat, 8).attachments, ["media"]);
    assert_eq!(
        on_line(&chat, 9).text,
        "Prix : 11,20 USD la parure FOB Shanghai, minimum 500 parures par coloris"
    );
}

#[test]
fn android_arabic_reads_arabic_digits_and_right_to_left_marks() {
    let chat = check(
        "android_ar.txt",
        6,
        2,
        &["سالم العتيبي", "Frank Li"],
        DateOrder::FirstAbove12,
    );
    assert_eq!(on_line(&chat, 2).at, at("2025-10-28 09:10:00"));
    assert_eq!(
        on_line(&chat, 3).text,
        "المطلوب:\n- شهادة سابر (SABER)\n- ضمان 25 سنة"
    );
    assert_eq!(
        on_line(&chat, 6).text,
        "Wa alaikum salam Mr. Salem, 550W mono PERC: 0.118 USD/W FOB Ningbo"
    );
    assert_eq!(on_line(&chat, 7).attachments, ["media"]);
    assert_eq!(on_line(&chat, 9).at, at("2025-10-28 16:21:00"));
    assert_eq!(on_line(&chat, 10).at, at("2025-10-29 20:05:00"));
}

#[test]
fn ios_english_reads_brackets_seconds_and_marked_placeholders() {
    let chat = check(
        "ios_en.txt",
        8,
        2,
        &["Emily Carter", "Leo Zhang"],
        DateOrder::SecondAbove12,
    );
    assert!(!chat.day_first);
    assert_eq!(chat.messages[0].line, 2);
    assert_eq!(chat.messages[0].at, at("2026-02-03 10:14:02"));
    assert_eq!(on_line(&chat, 4).attachments, ["image"]);
    assert_eq!(on_line(&chat, 5).attachments, ["image"]);
    let quote = on_line(&chat, 6);
    assert_eq!(quote.attachments, ["00000009-Quotation_BB-300.pdf"]);
    assert_eq!(quote.text, "");
    let long = on_line(&chat, 8);
    assert_eq!(long.at, at("2026-02-03 16:02:55"));
    assert_eq!(
        long.text,
        "Thanks. For 1,500 sets we need our logo laser-engraved.\nPackaging: color box, UPC labels.\nCan you do DDP Columbus?"
    );
    assert_eq!(
        on_line(&chat, 11).attachments,
        ["00000012-PHOTO-2026-02-14-09-05-40.jpg"]
    );
    let edited = on_line(&chat, 12);
    assert!(edited.edited);
    assert_eq!(
        edited.text,
        "Engraving sample above. DDP Columbus: $6.85/set"
    );
}

#[test]
fn ios_group_events_under_the_group_name_are_system_lines() {
    let chat = check(
        "ios_en_gb_group.txt",
        5,
        5,
        &["Oliver Wright", "Priya Shah", "Grace Huang"],
        DateOrder::FirstAbove12,
    );
    assert!(chat
        .messages
        .iter()
        .all(|m| m.sender != "Greenleaf Sourcing"));
    assert_eq!(
        on_line(&chat, 5).text,
        "Hello Grace, we need the pallet spec before booking: 120x100 cm, max 1.8 m high"
    );
    assert_eq!(
        on_line(&chat, 6).text,
        "Noted. Cartons 60x40x35 cm, 30 per pallet\nGross weight 14.5 kg per carton"
    );
    assert_eq!(on_line(&chat, 8).attachments, ["00000004-Pallet-plan.xlsx"]);
    assert_eq!(on_line(&chat, 11).at, at("2025-03-18 09:03:27"));
}

#[test]
fn ios_chinese_reads_year_first_with_am_pm_words_and_full_width_colon() {
    let chat = check("ios_zh.txt", 6, 2, &["刘芳", "张伟"], DateOrder::YearFirst);
    assert_eq!(on_line(&chat, 2).at, at("2026-01-08 15:02:11"));
    assert_eq!(on_line(&chat, 4).attachments, ["image"]);
    assert_eq!(
        on_line(&chat, 5).attachments,
        ["00000021-PHOTO-2026-01-08-15-15-20.jpg"]
    );
    assert_eq!(
        on_line(&chat, 6).text,
        "价格多少？需要 DDP 迪拜\n交货期：春节前能出货吗？"
    );
    assert_eq!(on_line(&chat, 9).at, at("2026-01-09 10:01:30"));
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_read_the_same() {
    let path = format!(
        "{}/tests/fixtures/android_en_gb_24h.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let windows = format!("\u{FEFF}{}", text.replace('\n', "\r\n"));
    let (Ok(a), Ok(b)) = (parse(&text), parse(&windows)) else {
        panic!("fixture does not parse");
    };
    assert_eq!(a, b);
}
