//! Unit tests of `phones`: which numbers a page's text gives, and which it does not.

use super::*;

#[test]
fn the_label_file_parses_and_has_both_lists() {
    let f: LabelFile = toml::from_str(LABELS).unwrap_or_else(|e| panic!("{e}"));
    assert!(f.phone.len() > 100 && f.fax.len() > 10);
    assert!(f.phone.iter().chain(&f.fax).all(|l| l == &l.to_lowercase()));
}

#[test]
fn labelled_numbers_in_many_languages_are_found_and_faxes_are_not() {
    for (text, want) in [
        ("Teléfonos: (0212) 555.12.34", vec!["(0212) 555.12.34"]),
        ("Telefones: (21) 2222-3333", vec!["(21) 2222-3333"]),
        ("ĐT: 0912 345 678", vec!["0912 345 678"]),
        ("Điện thoại: 028 3823 4567", vec!["028 3823 4567"]),
        ("Call us on 13 22 54", vec!["13 22 54"]),
        ("الرقم الموحد: 9200 12345", vec!["9200 12345"]),
        ("Toll free 1800 123 4567", vec!["1800 123 4567"]),
        ("Tel./Fax: 040 123 456", vec!["040 123 456"]),
        ("Fax: 040 123 457", vec![]),
        ("Tel: 040 123 456, Fax: 040 123 457", vec!["040 123 456"]),
        (
            "电话：0755-2345 6789 传真：0755-2345 6780",
            vec!["0755-2345 6789"],
        ),
        ("Факс: 8 (495) 123-45-60", vec![]),
        ("联系电话13800138000", vec!["13800138000"]),
        ("TEL03-1234-5678", vec!["03-1234-5678"]),
        ("Tel+49 40 7813 4420", vec!["+49 40 7813 4420"]),
    ] {
        assert_eq!(find(text), want, "{text}");
    }
}

#[test]
fn lists_share_their_area_code_and_split_numbers_are_joined() {
    assert_eq!(
        find("Тел.: 8 (495) 123-45-67, 123-45-68, 123-45-69"),
        vec!["8 (495) 123-45-67", "84951234568", "84951234569"]
    );
    assert_eq!(
        find("Telefon: +49 (0) 40\n123 456-0"),
        vec!["+49 (0) 40 123 456-0"]
    );
    assert_eq!(
        find("Tel: 020 445 2210 / 0733 556 210"),
        vec!["020 445 2210", "0733 556 210"]
    );
    assert_eq!(
        find("Telefon:\n040 123456\n040 654321"),
        vec!["040 123456", "040 654321"]
    );
}

#[test]
fn numbers_that_are_no_phones_are_left() {
    for text in [
        "Hotel 1234567 Berlin",
        "Postfach 12 34 56, 20095 Hamburg",
        "USt-IdNr.: DE123456789",
        "Öffnungszeiten 2019 - 2024",
        "Stand: 12.03.2024",
        "IBAN DE12 3456 7890 1234 5678 90",
        "Fax: +49 40 7813 4411",
        "Fax(040) 123456",
        "ISO 9001(2015) zertifiziert, Größe M(38)",
    ] {
        assert!(find(text).is_empty(), "{text}: {:?}", find(text));
    }
    // Unlabelled, a "+" or an area code in brackets still says phone.
    assert_eq!(find("(11) 3229-4410"), vec!["(11) 3229-4410"]);
    assert_eq!(find("+49 40 7813 4420"), vec!["+49 40 7813 4420"]);
}

#[test]
fn numbers_split_by_markup_come_out_whole_and_spaced_labels_count() {
    // "<font>+48</font>&nbsp;12 429 15 39": one text node per tag, non-breaking spaces.
    assert_eq!(
        find("tel.\u{a0}\u{a0}\n+48\n\u{a0}12 429 15 39\n"),
        vec!["+48 12 429 15 39"]
    );
    assert_eq!(find("P \n: 0216 321 0319"), vec!["0216 321 0319"]);
    assert_eq!(find("Tél : 04 78 42 17 35"), vec!["04 78 42 17 35"]);
}

#[test]
fn several_bracketed_numbers_on_one_line_are_apart() {
    assert_eq!(
        find("Teléfonos: +58(0261) 7439637 (0261) 7439671"),
        vec!["+58(0261) 7439637", "(0261) 7439671"]
    );
    assert_eq!(
        find("(0416) 6158364 (0416)6158354"),
        vec!["(0416) 6158364", "(0416)6158354"]
    );
    assert_eq!(
        find("Điện thoại: (84.8) 3815 5319 - Fax: (84.8) 3815 5320"),
        vec!["(84.8) 3815 5319"]
    );
}

#[test]
fn an_area_code_before_a_slash_belongs_to_the_number_after_it() {
    assert_eq!(find("Telefon: 033233 / 80361"), vec!["033233 80361"]);
    assert_eq!(find("Mobil: 0172 / 9084092"), vec!["0172 9084092"]);
    // Two whole numbers stay two.
    assert_eq!(
        find("Tel: 020 445 2210 / 0733 556 210"),
        vec!["020 445 2210", "0733 556 210"]
    );
}

#[test]
fn a_list_shares_only_a_whole_group_of_its_head() {
    assert_eq!(
        find("(863) 218 56 59 , 218 56 63"),
        vec!["(863) 218 56 59", "8632185663"]
    );
    // The head's digits have no group the tail could replace: the tail is a fragment.
    assert_eq!(find("Tel - 971561888019 / 6456479"), vec!["971561888019"]);
    // Two whole numbers parted by a bare slash are two numbers; a date is no number.
    assert_eq!(
        find("Tel: (601)4070324/4070241 / 3158812106"),
        vec!["(601)4070324", "6014070241", "3158812106"]
    );
    // A whole local number in one block shares the country and area code.
    assert_eq!(
        find("Tel.: +52 55 7258 3335 / 72583336 / 50851274"),
        vec!["+52 55 7258 3335", "+525572583336", "+525550851274"]
    );
}

#[test]
fn extensions_are_dropped() {
    assert_eq!(
        find("Teléfono: 390 6666 EXT 1010\n390 6666 EXT 1011"),
        vec!["390 6666"]
    );
    assert_eq!(
        find("Тел.: 8 (863) 218-56-59 доб. 123"),
        vec!["8 (863) 218-56-59"]
    );
}

#[test]
fn a_fax_label_after_the_number_drops_it_but_not_the_next_numbers_label() {
    assert_eq!(
        find("+7 (499) 684-00-16 (справочный)\n+7 (495) 240-58-85 (факс)"),
        vec!["+7 (499) 684-00-16"]
    );
    // A fax number on the next line has its own label.
    assert_eq!(
        find("Mobil: 0172 / 9084092\n\n            \nFAX: \u{a0}\u{a0}\u{a0}\u{a0}033233 / 746287"),
        vec!["0172 9084092"]
    );
    assert_eq!(find("Tel. 040 123 456 - Fax"), Vec::<String>::new());
    assert_eq!(
        find("Tel: 040 123 456, Fax: 040 123 457"),
        vec!["040 123 456"]
    );
    assert!(says_fax("+7 (495) 240-58-85 (факс)"));
    assert!(!says_fax("Tel./Fax +49 40 123"));
}

#[test]
fn prose_that_mentions_phones_is_no_label() {
    assert!(
        find("Our phones are manned around the clock. Dial 0097150-6456479 any time").is_empty()
    );
    assert_eq!(find("Call us on 13 22 54"), vec!["13 22 54"]);
}

#[test]
fn a_long_paragraph_of_figures_is_no_list_of_phones() {
    // "1 2 3 … 200000": one run of digits and spaces, 1.3 MB, is a table of figures, not
    // phones. (The old cut search recounted every digit before each space: this input did
    // not finish.)
    let figures: Vec<String> = (1..200_000).map(|n| n.to_string()).collect();
    let text = format!("Tel: {}", figures.join(" "));
    assert!(find(&text).is_empty());
    // Cuts in a long run with many numbers are found in one pass.
    let spaced = "040 1234567  040 7654321  ".repeat(2000);
    assert_eq!(cuts(&spaced).len(), 3999);
}

#[test]
fn a_fax_label_with_its_own_number_belongs_to_that_number() {
    for text in [
        "Tel: +44 20 1234 5678 Fax No: +44 20 1234 5679",
        "Tel: +44 20 1234 5678 Fax number +44 20 1234 5679",
        "Tel: +44 20 1234 5678 Fax-Nr.: +44 20 1234 5679",
        "Tel: +44 20 1234 5678 Faxnummer: +44 20 1234 5679",
    ] {
        assert_eq!(find(text), vec!["+44 20 1234 5678"], "{text}");
    }
}

#[test]
fn telefax_and_telecopie_are_fax_labels_not_phone_labels() {
    assert!(find("Telefax: 040 123 457").is_empty());
    assert!(find("Télécopie : 04 78 42 17 36").is_empty());
    assert!(says_fax("Telefax +49 40 123457"));
    assert!(fax_before("Tel: +49 40 123456 Fax: "));
    assert!(!fax_before("Tel./Fax: "));
    assert!(!fax_before("Fax: +49 40 123457 Tel: "));
}

#[test]
fn a_postal_code_after_a_number_does_not_join_its_list() {
    assert_eq!(
        find("Tel. 089 123 45 678, 80331 München"),
        vec!["089 123 45 678"]
    );
}

#[test]
fn an_extension_word_before_a_number_is_a_label_not_an_extension() {
    assert_eq!(
        find("Telefon-Durchwahl: 0711 12345-67"),
        vec!["0711 12345-67"]
    );
    assert_eq!(find("Tel: 0711 12345 ext. 12"), vec!["0711 12345"]);
}
