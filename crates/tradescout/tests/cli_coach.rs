//! `tradescout coach`: need-versus-expectation flags, catalogue matches and the proposal,
//! end to end through the binary.

mod common;

use common::{db_url, json, run, run_stdin, stderr, stdout};
use serde_json::Value;

const EN: &str = "tests/fixtures/coach/catalogue_en.csv";
const ZH: &str = "tests/fixtures/coach/catalogue_zh.csv";
/// Chinese headers in an XLSX workbook: rows 2, 3 and 6 good, row 4 has price 待定, row 5 no
/// SKU. Made with Python's zipfile (inline strings, numbers as numbers), as exporters' tools do.
const ZH_XLSX: &str = "tests/fixtures/coach/catalogue_zh.xlsx";

/// The seed's case: IP68 asked, the lights stand under trees in a garden in Australia.
const IP68_UNDER_TREES: &str = "Hello, we need 500 pcs LED flood light 100W IP68 for our garden \
project, the lights will stand under trees. Shipping to Sydney, Australia. Target price USD 12.5. \
Please quote CIF.";

/// Coaches `text` against an empty database of its own, so a catalogue stored on this machine
/// never leaks into a test.
fn coach(text: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = db_url(dir.path());
    let mut args = vec!["coach", "-", "--db", &db];
    args.extend_from_slice(extra);
    let out = run_stdin(&args, text.as_bytes());
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    json(&out)
}

fn flag_texts(v: &Value, kind: &str) -> Vec<String> {
    v["flags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["kind"] == kind)
        .filter_map(|f| f["text"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn ip68_under_trees_recommends_the_ip65_product_and_says_why() {
    let v = coach(IP68_UNDER_TREES, &["--catalog", EN]);
    let over = flag_texts(&v, "over_spec");
    assert_eq!(over.len(), 1, "{v:#}");
    assert!(
        over[0].contains("IP65") && over[0].contains("under trees"),
        "{}",
        over[0]
    );
    assert!(over[0].contains("28% cheaper"), "{}", over[0]);
    assert_eq!(v["matches"][0]["sku"], "FL100-65", "{v:#}");
    let ip68 = v["matches"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["sku"] == "FL100-68"))
        .unwrap_or_else(|| panic!("FL100-68 not matched: {v:#}"));
    assert!(ip68["over_spec"][0]
        .as_str()
        .is_some_and(|s| s.contains("IP65")));
    let proposal = v["proposal"].as_str().unwrap_or_default();
    assert!(
        proposal.contains("FL100-65") && proposal.contains("9.5 USD"),
        "{proposal}"
    );
    assert!(
        !proposal.contains("FL100-44"),
        "under-spec product proposed: {proposal}"
    );
    assert!(v["stage"]["label"].is_string() && v["questions"].is_array());
}

#[test]
fn ip44_for_a_fountain_is_flagged_under_spec() {
    let text = "We need 200 pcs LED underwater light 12W IP44 for a fountain in our hotel. \
                Destination Dubai, UAE.";
    let v = coach(text, &["--catalog", ZH]);
    let under = flag_texts(&v, "under_spec");
    assert!(
        under
            .iter()
            .any(|t| t.contains("IP44") && t.contains("IP68")),
        "{v:#}"
    );
    assert!(v["matches"][0]["sku"]
        .as_str()
        .is_some_and(|s| s.starts_with("UW")));
}

#[test]
fn an_australian_buyer_without_rcm_gets_the_gap_named_even_without_a_catalogue() {
    let v = coach(IP68_UNDER_TREES, &[]);
    assert!(
        flag_texts(&v, "compliance")
            .iter()
            .any(|t| t.contains("RCM")),
        "{v:#}"
    );
    assert_eq!(v["matches"], serde_json::json!([]));
    let v = coach(IP68_UNDER_TREES, &["--catalog", EN]);
    let us = v["matches"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["sku"] == "FL100-US"))
        .unwrap_or_else(|| panic!("{v:#}"));
    assert!(us["gaps"].to_string().contains("RCM"), "{us:#}");
}

#[test]
fn a_110v_product_to_germany_is_a_voltage_mismatch() {
    let text = "Please quote 300 pcs LED flood light 100W, 110V. Shipping to Hamburg, Germany.";
    let v = coach(text, &["--catalog", EN]);
    assert!(
        flag_texts(&v, "voltage").iter().any(|t| t.contains("110V")),
        "{v:#}"
    );
    let us = v["matches"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["sku"] == "FL100-US"))
        .unwrap_or_else(|| panic!("{v:#}"));
    assert!(us["gaps"].to_string().contains("110V"), "{us:#}");
    assert_ne!(v["matches"][0]["sku"], "FL100-US");
}

#[test]
fn bad_catalogue_rows_are_named_by_row_and_column_and_the_rest_kept() {
    let out = run_stdin(
        &["coach", "-", "--catalog", ZH],
        b"LED underwater light for a pool, 100 pcs",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("row 5, column 价格"), "{err}");
    assert!(err.contains("row 6, column 型号"), "{err}");
    assert!(!json(&out)["matches"].to_string().contains("FL-50"));
}

#[test]
fn a_catalogue_without_a_name_column_is_bad_input() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("c.csv");
    std::fs::write(&path, "sku,price\nA,1\n").unwrap_or_else(|e| panic!("{e}"));
    let p = path.display().to_string();
    let out = run(&["coach", "-", "--catalog", &p]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("name"), "{}", stderr(&out));
}

#[test]
fn the_proposal_follows_reply_lang_and_markdown_shows_flags() {
    let v = coach(
        IP68_UNDER_TREES,
        &["--catalog", EN, "--reply-lang", "zh-CN"],
    );
    let proposal = v["proposal"].as_str().unwrap_or_default();
    assert!(proposal.contains("推荐产品"), "{proposal}");
    let out = run_stdin(
        &["coach", "-", "--catalog", EN, "--format", "md"],
        IP68_UNDER_TREES.as_bytes(),
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("over_spec") && md.contains("# Proposal"),
        "{md}"
    );
}

#[test]
fn a_us_buyer_of_230v_goods_gets_the_mismatch_named() {
    let text = "Hi, we need 200 pcs LED flood light 100W 220-240V for a warehouse in Houston, USA. Please quote FOB.";
    let v = coach(text, &["--catalog", EN]);
    let voltage = flag_texts(&v, "voltage");
    assert!(
        voltage
            .iter()
            .any(|t| t.contains("230") || t.contains("220") || t.contains("120")),
        "{v:#}"
    );
}

#[test]
fn a_buyer_placing_an_order_gets_no_situation_questions() {
    let text = "We confirm the order of 500 pcs FL100-65 at USD 11.20. Please send the proforma invoice, deposit will be paid tomorrow.";
    let v = coach(text, &["--catalog", EN]);
    assert_eq!(v["stage"]["label"], "decision", "{v:#}");
    let kinds: Vec<String> = v["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| q["kind"].as_str().map(str::to_string))
        .collect();
    assert!(!kinds.contains(&"situation".to_string()), "{kinds:?}");
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    v[field]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            x.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| x.to_string())
        })
        .collect()
}

#[test]
fn catalog_import_of_a_chinese_header_xlsx_stores_the_good_rows_and_names_the_bad_ones() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = db_url(dir.path());
    let out = run(&[
        "catalog", "import", ZH_XLSX, "--db", &db, "--format", "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["stored"], 3, "{v:#}");
    let failed: Vec<(u64, String)> = v["failed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let col = f["column"].as_str().unwrap_or_default().to_string();
            (f["row"].as_u64().unwrap_or_default(), col)
        })
        .collect();
    assert_eq!(failed, [(4, "价格".to_string()), (5, "型号".to_string())]);
    assert!(v["failed"][0]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("待定")));

    // Importing again updates by SKU; the text report names bad rows on stderr.
    let out = run(&["catalog", "import", ZH_XLSX, "--db", &db, "--lang", "zh-CN"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("更新 3 个"), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("第 4 行，价格 列"),
        "{}",
        stderr(&out)
    );

    let out = run(&["catalog", "list", "--db", &db, "--format", "json"]);
    let v = json(&out);
    assert_eq!(v["count"], 3, "{v:#}");
    let out = run(&["catalog", "list", "--db", &db]);
    assert!(
        stdout(&out).contains("FL-65-100\tLED投光灯 100W\t照明\t9.2 USD"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn coach_without_catalog_uses_the_stored_catalogue_and_catalog_file_still_wins() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = db_url(dir.path());
    let out = run(&["catalog", "import", ZH_XLSX, "--db", &db]);
    assert!(out.status.success(), "{}", stderr(&out));

    let out = run_stdin(&["coach", "-", "--db", &db], IP68_UNDER_TREES.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["matches"][0]["sku"], "FL-65-100", "{v:#}");
    assert!(
        strings(&v["matches"][0], "fits").join(" ").contains("RCM"),
        "{v:#}"
    );
    let over = flag_texts(&v, "over_spec");
    assert!(
        over.iter()
            .any(|t| t.contains("IP65") && t.contains("28% cheaper")),
        "{v:#}"
    );
    assert!(
        !v["matches"].to_string().contains("SC-01"),
        "a chair matched a floodlight"
    );

    // `--catalog FILE` is read instead of the stored catalogue.
    let out = run_stdin(
        &["coach", "-", "--db", &db, "--catalog", EN],
        IP68_UNDER_TREES.as_bytes(),
    );
    let v = json(&out);
    assert_eq!(v["matches"][0]["sku"], "FL100-65", "{v:#}");
    assert!(!v["matches"].to_string().contains("FL-65-100"));
}

#[test]
fn a_catalogue_file_without_any_good_row_is_bad_input_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = db_url(dir.path());
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, "sku,name,price\n,LED lamp,1\nA2,LED lamp,n/a\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let p = path.display().to_string();
    let out = run(&["catalog", "import", &p, "--db", &db]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bad.csv") && stderr(&out).contains("2 rows"),
        "{}",
        stderr(&out)
    );
    let out = run(&["catalog", "import", "no-such-file.xlsx", "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-such-file.xlsx"),
        "{}",
        stderr(&out)
    );
    let v = json(&run(&["catalog", "list", "--db", &db, "--format", "json"]));
    assert_eq!(v["count"], 0);
}

/// A Spanish-speaking buyer: garden lights under trees, going to Spain.
const SPANISH_INQUIRY: &str = "Hola, necesitamos 500 focos LED de 100W IP68 para el jardín de \
un hotel, bajo los árboles. Envío a Valencia, España. Por favor cotice CIF.";

#[test]
fn reply_lang_es_and_a_spanish_buyer_get_the_spanish_proposal() {
    let v = coach(IP68_UNDER_TREES, &["--catalog", EN, "--reply-lang", "es"]);
    let p = v["proposal"].as_str().unwrap_or_default();
    assert!(
        p.contains("## Productos recomendados") && p.contains("Por qué FL100-65"),
        "{p}"
    );
    assert!(p.contains("un jardín bajo árboles"), "{p}");
    // The seller's notes stay in the seller's language.
    assert!(
        flag_texts(&v, "over_spec")[0].contains("is enough"),
        "{v:#}"
    );

    let v = coach(SPANISH_INQUIRY, &["--catalog", EN, "--reply-lang", "buyer"]);
    let p = v["proposal"].as_str().unwrap_or_default();
    assert!(p.contains("## Lo que usted necesita"), "{p}");
    let v = coach(SPANISH_INQUIRY, &["--catalog", EN]);
    let p = v["proposal"].as_str().unwrap_or_default();
    assert!(
        p.contains("## What you need"),
        "the default stays the seller's language: {p}"
    );
}

#[test]
fn an_unknown_reply_lang_is_bad_input_named_in_the_users_language() {
    let out = run_stdin(
        &["coach", "-", "--reply-lang", "klingon", "--lang", "zh-CN"],
        b"LED flood light 100 pcs",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("klingon") && stderr(&out).contains("不支持"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_furniture_inquiry_gets_furniture_questions_at_most_five_with_why() {
    let text = "Hello, we are a furniture importer in Chile. Please send prices for office chairs.";
    let v = coach(text, &[]);
    let q = v["questions"].as_array().cloned().unwrap_or_default();
    assert!(!q.is_empty() && q.len() <= 5, "{v:#}");
    assert!(q
        .iter()
        .all(|q| q["why"].as_str().is_some_and(|w| !w.is_empty())));
    assert!(
        q.iter().any(|q| q["text"]
            .as_str()
            .is_some_and(|t| t.contains("40HQ") || t.contains("homes, offices"))),
        "{v:#}"
    );
}

#[test]
fn a_buyer_in_perth_or_writing_fa_dao_xini_gets_the_australian_marks_and_mains_named() {
    for text in [
        "Hi, we need 300 pcs LED flood light 100W IP68 for the garden of a hotel in Perth, \
         Australia. CIF please.",
        "您好，我们需要200个LED投光灯100W IP68，用于花园树下，发到悉尼。",
    ] {
        let v = coach(text, &["--catalog", EN]);
        assert!(
            flag_texts(&v, "compliance")
                .iter()
                .any(|t| t.contains("RCM")),
            "{text}: {v:#}"
        );
        assert_eq!(v["matches"][0]["sku"], "FL100-65", "{text}: {v:#}");
        let us = v["matches"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["sku"] == "FL100-US"))
            .unwrap_or_else(|| panic!("{v:#}"));
        let gaps = us["gaps"].to_string();
        assert!(gaps.contains("RCM") && gaps.contains("110V"), "{us:#}");
    }
}

#[test]
fn a_spanish_pool_inquiry_without_a_product_name_is_under_spec_and_gets_the_pool_light() {
    let text = "Necesitamos luces LED para piscina IP65, 100 unidades, envío a Lima, Perú.";
    let v = coach(text, &["--catalog", EN]);
    assert!(
        flag_texts(&v, "under_spec")
            .iter()
            .any(|t| t.contains("IP65") && t.contains("IP68") && t.contains("piscina")),
        "{v:#}"
    );
    // A 12 V pool light runs from a transformer: the mains of Peru is no reason to reject it.
    assert_eq!(v["matches"][0]["sku"], "UW-12", "{v:#}");
    assert_eq!(v["matches"][0]["gaps"], serde_json::json!([]), "{v:#}");
}

#[test]
fn a_french_garden_inquiry_and_an_office_panel_for_riyadh_get_the_right_flags() {
    let text = "Bonjour, nous cherchons 200 projecteurs LED 100W IP68 pour un jardin sous les \
                arbres, livraison en France.";
    let v = coach(text, &["--catalog", EN]);
    assert!(
        flag_texts(&v, "over_spec")
            .iter()
            .any(|t| t.contains("IP65") && t.contains("sous les arbres")),
        "{v:#}"
    );
    assert!(
        flag_texts(&v, "compliance")
            .iter()
            .any(|t| t.contains("CE")),
        "{v:#}"
    );
    assert_eq!(v["matches"][0]["sku"], "FL100-65", "{v:#}");

    let text = "Hello, we are looking for 1000 pcs LED panel light 40W IP65 for our offices in \
                Riyadh, Saudi Arabia.";
    let v = coach(text, &["--catalog", EN]);
    let over = flag_texts(&v, "over_spec");
    assert!(
        over.iter()
            .any(|t| t.contains("IP20") && t.contains("offices")),
        "{v:#}"
    );
    let compliance = flag_texts(&v, "compliance").join(" ");
    assert!(
        compliance.contains("SASO") && compliance.contains("G-Mark"),
        "{v:#}"
    );
}

#[test]
fn products_the_catalogue_does_not_carry_get_no_stray_matches_and_their_own_questions() {
    let text = "Hello, we need 2 x 40HQ of office chairs and sofas for hotels in Germany.";
    let v = coach(text, &["--catalog", EN]);
    assert_eq!(v["matches"], serde_json::json!([]), "{v:#}");
    assert!(
        flag_texts(&v, "compliance").is_empty(),
        "a chair needs no CE: {v:#}"
    );

    // Read as a product without a name: the buyer's words say it is not a light.
    let text =
        "Please quote 3000 pcs TWS bluetooth earbuds with our logo, shipping to Chicago, USA.";
    let v = coach(text, &["--catalog", EN]);
    assert_eq!(v["matches"], serde_json::json!([]), "{v:#}");
    assert!(
        flag_texts(&v, "compliance")
            .iter()
            .any(|t| t.contains("FCC")),
        "{v:#}"
    );
    assert!(v["questions"].to_string().contains("return rate"), "{v:#}");

    let text = "We confirm the order for 2000 m2 porcelain tiles 600x600, please send the PI, \
                deposit next week.";
    let v = coach(text, &["--catalog", EN]);
    assert_eq!(v["stage"]["label"], "decision", "{v:#}");
    assert_eq!(v["matches"], serde_json::json!([]), "{v:#}");
    let questions = v["questions"].as_array().cloned().unwrap_or_default();
    assert!(questions.iter().all(|q| q["kind"] != "situation"), "{v:#}");
    assert!(
        questions
            .iter()
            .all(|q| !q["text"].as_str().unwrap_or_default().contains("fixture")),
        "no lighting questions about tiles: {v:#}"
    );
}

/// A 31-product catalogue of lighting, solar street lights, kettles and blenders for five
/// markets, furniture and textiles.
const CAT31: &str = "tests/fixtures/coach/catalogue_31.csv";

/// Requests in ten languages against [`CAT31`]: (id, text, the product that must come first or
/// none when the catalogue has nothing of the kind, flag kinds that must be raised).
#[allow(clippy::type_complexity)]
const REQUESTS: &[(&str, &str, Option<&str>, &[&str])] = &[
    ("de-kettle", "Guten Tag,\nwir benötigen 2.000 Wasserkocher 1,7 l für den deutschen Markt, Lieferung nach Hamburg. Bitte Angebot FOB Ningbo.\nMit freundlichen Grüßen\nJonas Keller", Some("KT17-EU"), &[]),
    ("zh-kettle-au", "你好，我们是澳大利亚的进口商，需要电热水壶 1000 个，1.7升，发到悉尼。请报价。", Some("KT17-AU"), &[]),
    ("fr-towels", "Bonjour,\nNous cherchons 5 000 serviettes de bain en coton pour nos hôtels à Lyon. Merci de nous envoyer votre meilleur prix.\nCordialement", Some("TW-BATH70"), &[]),
    ("de-bedding", "Hallo, wir suchen 800 Sets Bettwäsche aus Baumwolle, Größe 200x200, Lieferung nach München.", Some("BD-SET-Q"), &[]),
    ("ru-flood", "Здравствуйте! Нужны прожекторы светодиодные 100 Вт, 300 штук, IP65, доставка в Москву. Пришлите цену.", Some("FL100-65"), &[]),
    ("es-street", "Buenas tardes, somos una empresa de Bogotá. Necesitamos luminarias para alumbrado público, 150W, 200 unidades, para una avenida. Favor cotizar CIF Buenaventura.", Some("SL150-AC"), &[]),
    ("ar-carpark", "السلام عليكم، نحتاج إلى 300 كشاف إضاءة LED بقدرة 200 واط لموقف سيارات في الرياض، مع شهادة SASO. الرجاء إرسال السعر.", Some("FL200-65"), &[]),
    ("en-solar-panel", "Hi, we need 200 pcs of 450W solar panels for a rooftop project in Nairobi. Please quote.", None, &[]),
    ("en-aircon", "Dear sir, please quote 50 units split air conditioner 12000 BTU, 220V, for Lagos.", None, &[]),
    ("en-code", "Please send PI for 500 x FL100-65 and 200 x TP36-65. Delivery to Durban.", Some("FL100-65"), &[]),
    ("en-warehouse-ip65", "We require IP65 high bay lights for our warehouse because of the dust from the cement bags, 120 pcs 150W. Shipping to Jakarta.", Some("HB150-65"), &[]),
    ("en-cement", "Need 80 pcs 150W high bay for a cement plant in Dar es Salaam.", Some("HB150-65"), &[]),
    ("en-fountain", "Please quote 40 pcs of 20W LED lights for our fountain in the city square, Doha.", Some("FL20-68"), &[]),
    ("en-30w", "We need 600 pcs 30W LED flood light for a sports yard in Perth, Australia.", Some("FL30-65"), &[]),
    ("en-water-in", "Last year the flood lights we bought got water inside after the first rains. We need 300 pcs 100W flood light IP67 or better for a facade in Manila.", Some("FL100-68"), &[]),
    ("zh-ip68-trees", "你好，我们需要500个100W LED投光灯，IP68，用于花园项目，灯装在树下。发到悉尼，澳大利亚。目标价12.5美元，请报CIF价。", Some("FL100-65"), &["over_spec"]),
    ("en-uk-kettle", "Hello, we are a UK retailer and need 1000 electric kettles 1.7L for our stores in Manchester.", Some("KT17-UK"), &[]),
    ("fr-120v", "Bonjour, nous souhaitons 500 bouilloires électriques 1,7 L, 120V, livraison à Marseille, France.", Some("KT17-EU"), &["voltage"]),
    ("en-malaysia-sirim", "Hi, need 1000 pcs 50W flood light with SIRIM certificate for Kuala Lumpur.", Some("FL50-65"), &["compliance"]),
    ("pt-inmetro", "Olá, precisamos de 500 refletores LED 100W com certificação INMETRO, entrega em Santos, Brasil.", Some("FL100-65"), &["compliance"]),
    ("en-chair", "We are looking for 300 ergonomic office chairs with mesh back for a new office in Dubai.", Some("CH-OF01"), &[]),
    ("es-blender", "Hola, buscamos 600 licuadoras de 600W para México, 127V. ¿Precio FOB?", Some("BL600-US"), &[]),
    ("it-tshirt", "Buongiorno, cerchiamo 3.000 t-shirt in cotone 180 g per un evento a Milano.", Some("TS-CT180"), &[]),
    ("tr-curtain", "Merhaba, İstanbul için 1.000 adet karartma perde fiyatı alabilir miyim?", Some("CU-BL-M"), &[]),
    ("en-garden", "Need 1,000 garden spike lights for lawns, 12V, shipping to Auckland.", Some("LS-SP01"), &[]),
    ("zh-warehouse", "你好，我们仓库需要150W工矿灯100个，仓库粉尘很大，必须IP65。发到越南胡志明。", Some("HB150-65"), &[]),
];

#[test]
fn requests_in_ten_languages_get_the_right_product_and_flags() {
    let mut wrong = Vec::new();
    for (id, text, top, kinds) in REQUESTS {
        let v = coach(text, &["--catalog", CAT31]);
        let got = v["matches"][0]["sku"].as_str();
        let flags: Vec<&str> = v["flags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["kind"].as_str())
            .collect();
        let missing: Vec<&&str> = kinds.iter().filter(|k| !flags.contains(k)).collect();
        if got != *top || !missing.is_empty() {
            wrong.push(format!(
                "{id}: first {got:?}, want {top:?}; flags {flags:?}, missing {missing:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_product_not_made_is_named_and_not_matched() {
    let v = coach(
        "Hi, we need 200 pcs of 450W solar panels for a rooftop project in Nairobi. Please quote.",
        &["--catalog", CAT31],
    );
    assert!(
        v["matches"].as_array().is_some_and(|m| m.is_empty()),
        "{v:#}"
    );
    assert_eq!(v["not_in_catalogue"][0]["concept"], "pv_module", "{v:#}");
}

#[test]
fn a_rating_required_for_a_reason_is_never_called_too_much() {
    let v = coach(
        "We require IP65 high bay lights for our warehouse because of the dust from the cement \
         bags, 120 pcs 150W. Shipping to Jakarta.",
        &["--catalog", CAT31],
    );
    assert!(flag_texts(&v, "over_spec").is_empty(), "{v:#}");
    assert_eq!(v["matches"][0]["sku"], "HB150-65", "{v:#}");
    let indoor = v["matches"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["sku"] == "HB150-20"));
    assert!(
        indoor.is_none_or(|m| m["gaps"].as_array().is_some_and(|g| !g.is_empty())),
        "the IP20 high bay must show its gap: {v:#}"
    );
}

#[test]
fn a_deadline_counts_from_the_mail_and_allows_for_the_voyage() {
    let mail = "From: Adebayo Okonkwo <a.okonkwo@brightwaypower.com.ng>\n\
Date: Tue, 10 Mar 2026 09:47:12 +0100\n\
Subject: RFQ flood lights\n\n\
Dear Sir,\n\nWe need 500 pcs LED flood light 100W IP65 for a road project in Lagos. Goods must \
arrive before 20 April. Please quote CIF Lagos.\n\nRegards,\nAdebayo Okonkwo\n";
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("rfq.eml");
    std::fs::write(&path, mail).unwrap_or_else(|e| panic!("{e}"));
    let db = db_url(dir.path());
    let path = path.to_string_lossy().to_string();
    let out = run(&["coach", &path, "--db", &db, "--catalog", CAT31]);
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    let v = json(&out);
    let top = &v["matches"][0];
    assert_eq!(top["sku"], "FL100-65", "{v:#}");
    let lead = top["gaps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g.as_str())
        .find(|g| g.contains("2026-04-20"))
        .unwrap_or_else(|| panic!("no lead-time gap: {v:#}"));
    // 41 days from the mail of 10 March, not from the day the test runs; sea days added.
    assert!(
        lead.contains("41 days after the inquiry") && lead.contains("by sea"),
        "{lead}"
    );
}
