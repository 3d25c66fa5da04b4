//! Who the buyer is: name, e-mail and domain, company, job title, phone (E.164) and country
//! (ISO alpha-2), each with where it was found in `sources`.
//!
//! Only the buyer's messages are read, newest first (the freshest facts win). Within a message
//! the From header is trusted most (unless it is an inquiry platform's robot), then labelled
//! lines of web forms and notifications ("Name: …", "País: …"), then the signature, then the
//! running text ("My name is …", "we are … from Nigeria"). The country falls back to the phone's
//! calling code, then the e-mail's ccTLD; where the goods go never says where the buyer is.
//! Vocabulary lives in `data/buyer.toml`.

mod contacts;
mod lexicon;
mod line_kinds;
mod running_text;
mod signature;

pub use signature::{closing_start, split_signature};

/// Whether a sentence is only a pleasantry — a greeting, thanks or a closing ("Thanks a lot",
/// "Good morning, Mr. Li", "Best regards") — and so never the words that decide a judgement.
pub fn is_courtesy(sentence: &str) -> bool {
    let lex = lexicon::lexicon();
    let trimmed = sentence
        .trim()
        .trim_end_matches([',', '!', '.', '，', '！', ':', '。'])
        .trim();
    if crate::request::text::contains_lower(&lex.closings, trimmed) {
        return true;
    }
    let mut words = trimmed
        .split(|c: char| !tradescout_core::phrases::is_alphanumeric(c) && c != '\'')
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_none() {
        return false;
    }
    let mut n = 0;
    let mut names = 0;
    // Whether the word before greets or titles someone, so a name may follow ("Good morning,
    // Mr. Liang", "Добрый день, Александр"); "OK, Deal" and "Thanks, Please Proceed" are no
    // greeting and name.
    let mut name_may_follow = false;
    for w in words {
        n += 1;
        let courtesy = crate::request::text::contains_lower(&lex.courtesy, w);
        if courtesy && names == 0 {
            name_may_follow = crate::request::text::contains_lower(&lex.greets_name, w);
            continue;
        }
        // Up to two capitalised words, not capitals throughout ("OK, DEAL").
        let mut chars = w.chars();
        let capitalised = chars.next().is_some_and(char::is_uppercase)
            && chars.clone().next().is_some()
            && chars.all(|c| !c.is_uppercase());
        names += 1;
        if n > 8 || !name_may_follow || !capitalised || names > 2 || w.chars().count() > 14 {
            return false;
        }
    }
    true
}

use crate::input::{InputMessage, ThreadInput};
use crate::request::places::places;
use crate::request::text::{capped, contains_lower, own_text};
use crate::types::Buyer;
use contacts::{emails_in, parse_phone, phones_in};
use lexicon::{lexicon, Lexicon};
use line_kinds::{company_in, country_in, looks_like_name};
use running_text::{company_mention, read_running_text};
use signature::read_signature;
use std::collections::HashSet;

/// The buyer of a thread, as far as the buyer's own messages tell.
pub fn extract_buyer(thread: &ThreadInput) -> Buyer {
    let seller_domains: HashSet<String> = thread
        .seller_messages()
        .filter_map(|m| {
            m.from
                .as_deref()
                .and_then(|f| parse_from(f).1)
                .and_then(|a| domain_of(&a))
        })
        .collect();
    let mut found = Found::default();
    for msg in thread.buyer_messages().rev() {
        read_message(msg, &seller_domains, &mut found);
    }
    found.finish()
}

/// What has been found so far, newest facts first; a field once set is kept.
#[derive(Default)]
struct Found {
    buyer: Buyer,
    /// Country from the text or an address, before the weaker phone and ccTLD evidence.
    explicit_country: Option<(String, &'static str)>,
    phone_country: Option<String>,
    phone_candidates: Vec<(String, &'static str)>,
    header_domain_seen: bool,
    /// A signature line read as a trade name for want of a legal form ("SPORTS ISLE"): the
    /// company only when nothing stronger names one.
    trade_name: Option<String>,
}

impl Found {
    fn set(&mut self, field: &str, value: String, source: &'static str) {
        let value = value
            .trim()
            .trim_matches(|c: char| c == ',' || c == ';' || c == '|')
            .trim()
            .to_string();
        if value.is_empty() || value.chars().count() > 120 {
            return;
        }
        let slot = match field {
            "name" => &mut self.buyer.name,
            "email" => &mut self.buyer.email,
            "company" => &mut self.buyer.company,
            "domain" => &mut self.buyer.domain,
            "title" => &mut self.buyer.title,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(value);
            self.buyer
                .sources
                .insert(field.to_string(), source.to_string());
        }
    }

    fn set_country(&mut self, code: &str, source: &'static str) {
        if self.explicit_country.is_none() {
            self.explicit_country = Some((code.to_string(), source));
        }
    }

    fn finish(mut self) -> Buyer {
        let hint = self
            .explicit_country
            .as_ref()
            .map(|(c, _)| c.clone())
            .or_else(|| {
                self.buyer
                    .domain
                    .as_deref()
                    .and_then(|d| places().country_of_domain(d))
            });
        for (raw, source) in std::mem::take(&mut self.phone_candidates)
            .into_iter()
            .take(4)
        {
            if let Some((e164, country)) = parse_phone(&raw, hint.as_deref()) {
                self.buyer.phone = Some(e164);
                self.buyer.sources.insert("phone".into(), source.into());
                self.phone_country = country;
                break;
            }
        }
        let country = match (self.explicit_country.take(), self.phone_country.take()) {
            (Some((c, source)), _) => Some((c, source)),
            (None, Some(c)) => Some((c, "phone prefix")),
            (None, None) => self
                .buyer
                .domain
                .as_deref()
                .and_then(|d| places().country_of_domain(d))
                .map(|c| (c, "ccTLD"))
                // "Lagos Power Solutions": a company named after its home town.
                .or_else(|| {
                    let company = self.buyer.company.as_deref()?;
                    places()
                        .find_iter(company)
                        .find(|(_, _, p)| !p.ambiguous && p.country != "CN")
                        .map(|(_, _, p)| (p.country.clone(), "company name"))
                }),
        };
        if let Some((c, source)) = country {
            self.buyer.country = Some(c);
            self.buyer.sources.insert("country".into(), source.into());
        }
        if self.buyer.company.is_none() {
            if let Some(name) = self.trade_name.take() {
                self.set("company", name, "signature");
            }
        }
        if self.buyer.company.is_none() {
            if let Some(guess) = self
                .buyer
                .domain
                .as_deref()
                .filter(|_| self.header_domain_seen)
                .and_then(company_from_domain)
            {
                self.buyer.company = Some(guess);
                self.buyer
                    .sources
                    .insert("company".into(), "domain guess".into());
            }
        }
        self.buyer
    }
}

fn read_message(msg: &InputMessage, seller_domains: &HashSet<String>, found: &mut Found) {
    let lex = lexicon();
    if let Some(from) = msg.from.as_deref() {
        read_header(lex, from, found);
    }
    let own = own_text(msg);
    let (body, signature) = split_signature(own, msg.signature.as_deref());
    read_labelled_lines(lex, own, found);
    read_signature(lex, signature, found);
    read_running_text(lex, body, found);
    read_letterhead(lex, own, found);
    if found.buyer.company.is_none() {
        if let Some(company) = company_mention(lex, body) {
            found.set("company", company, "text");
        }
    }
    for (text, source) in [(signature, "signature"), (body, "text")] {
        if found.buyer.email.is_none() {
            if let Some(email) = emails_in(text).find(|e| {
                domain_of(e)
                    .is_some_and(|d| !seller_domains.contains(&d) && !is_platform_domain(lex, &d))
            }) {
                found.set("email", email.to_string(), source);
                if let Some(d) = domain_of(email) {
                    found.set("domain", d, source);
                }
            }
        }
        for phone in phones_in(text) {
            found.phone_candidates.push((phone.to_string(), source));
        }
    }
}

/// `Name <addr>`: a person's display name is the name; a company's is the company. Platform
/// robots (`notification@service.alibaba.com`) say nothing about the buyer.
fn read_header(lex: &Lexicon, from: &str, found: &mut Found) {
    let (display, addr) = parse_from(from);
    if let Some(addr) = &addr {
        let Some(domain) = domain_of(addr) else {
            return;
        };
        let local = addr.split('@').next().unwrap_or("").to_ascii_lowercase();
        if is_platform_domain(lex, &domain) || lex.robot_locals.contains(&local) {
            return;
        }
        found.set("email", addr.clone(), "header");
        found.set("domain", domain, "header");
        found.header_domain_seen = true;
    }
    let Some(display) = display else { return };
    if matches!(
        display.to_ascii_lowercase().as_str(),
        "buyer" | "seller" | "customer"
    ) {
        return;
    }
    if let Some(company) = company_in(lex, &display) {
        found.set("company", company, "header");
    } else if looks_like_name(lex, &display) {
        found.set("name", display, "header");
    }
}

/// ("John Smith", "john@acme.de") from `"John Smith" <john@acme.de>`, or a bare address or name.
fn parse_from(from: &str) -> (Option<String>, Option<String>) {
    let from = capped(from.trim(), 400);
    if let (Some(lt), Some(gt)) = (from.rfind('<'), from.rfind('>')) {
        if lt < gt {
            let addr = from.get(lt + 1..gt).unwrap_or("").trim();
            let name = from
                .get(..lt)
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\''])
                .trim();
            let addr = addr.contains('@').then(|| addr.to_string());
            return (
                (!name.is_empty() && !name.contains('@')).then(|| name.to_string()),
                addr,
            );
        }
    }
    if from.contains('@') && !from.contains(' ') {
        return (None, Some(from.trim_matches(['<', '>']).to_string()));
    }
    ((!from.is_empty()).then(|| from.to_string()), None)
}

fn domain_of(addr: &str) -> Option<String> {
    let d = addr
        .rsplit_once('@')?
        .1
        .trim()
        .trim_end_matches(['>', '.', ',', ';']);
    (d.contains('.') && !d.is_empty()).then(|| d.to_ascii_lowercase())
}

fn is_platform_domain(lex: &Lexicon, domain: &str) -> bool {
    lex.platform_domains
        .iter()
        .any(|p| domain == p || domain.ends_with(&format!(".{p}")))
}

/// "Name: …", "País: …", "电话：…" lines of forms and platform notifications.
fn read_labelled_lines(lex: &Lexicon, text: &str, found: &mut Found) {
    for line in text.lines().take(400) {
        let Some((label, value)) = line.split_once([':', '：']) else {
            continue;
        };
        let label = label
            .trim()
            .trim_start_matches(['*', '-', '•'])
            .trim()
            // "1.1 ENTIDAD CONVOCANTE": the number of a notice's section.
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .trim()
            .to_lowercase();
        let value = value.trim();
        if label.chars().count() > 40 || value.is_empty() {
            continue;
        }
        let Some(field) = lex.labels.get(label.as_str()) else {
            continue;
        };
        match field.as_str() {
            "name" if looks_like_name(lex, value) => found.set("name", value.to_string(), "text"),
            "company" => found.set("company", labelled_company(lex, value).to_string(), "text"),
            "title" => found.set("title", value.to_string(), "text"),
            "email" => {
                if let Some(e) = emails_in(value).next() {
                    if !domain_of(e).is_some_and(|d| is_platform_domain(lex, &d)) {
                        found.set("email", e.to_string(), "text");
                        if let Some(d) = domain_of(e) {
                            found.set("domain", d, "text");
                        }
                    }
                }
            }
            "phone" => found.phone_candidates.push((value.to_string(), "text")),
            "country" | "address" => {
                let source = if field == "address" {
                    "address"
                } else {
                    "text"
                };
                if let Some(code) = country_in(value, true) {
                    found.set_country(&code, source);
                }
            }
            _ => {}
        }
    }
}

/// The public body named on a line of its own at the top of a tender notice or an official
/// letter ("SECRETARIA DE ESTADO DA SAÚDE", "Istituto Comprensivo 5 Carpi"), when nothing
/// else named the buyer's organisation.
fn read_letterhead(lex: &Lexicon, text: &str, found: &mut Found) {
    if found.buyer.company.is_some() {
        return;
    }
    if let Some(body) = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(8)
        .find_map(|l| line_kinds::public_body_in(lex, l))
    {
        found.set("company", body, "letterhead");
    }
}

/// A company named after a label, up to the first comma that does not open its legal form
/// ("Municipalidad Provincial de Sayhua, con domicilio legal en …" → the municipality;
/// "Iluminaciones Ruiz, S.A." stays whole).
fn labelled_company<'a>(lex: &Lexicon, value: &'a str) -> &'a str {
    let mut from = 0;
    while let Some(i) = value[from..].find(", ").map(|i| i + from) {
        let next = value[i + 2..].split_whitespace().next().unwrap_or("");
        if !contains_lower(&lex.company_suffixes, line_kinds::norm(next)) {
            return &value[..i];
        }
        from = i + 2;
    }
    value
}

/// "acme-lighting.com.ng" → "Acme Lighting" (not for free-mail providers).
fn company_from_domain(domain: &str) -> Option<String> {
    let lex = lexicon();
    if lex.freemail.contains(domain) {
        return None;
    }
    let labels: Vec<&str> = domain.trim_start_matches("www.").split('.').collect();
    let sld = [
        "com", "co", "net", "org", "ltd", "gov", "edu", "ac", "or", "ne",
    ];
    let name = match labels.as_slice() {
        [.., name, second, tld] if sld.contains(second) && tld.len() == 2 => *name,
        [.., name, _tld] => *name,
        _ => return None,
    };
    let words: Vec<String> = name
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    (!words.is_empty() && name.len() >= 2).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Role;

    /// A message whose signature block the mail splitter cut off with its closing line.
    fn signed(text: &str, signature: &str) -> Buyer {
        extract_buyer(&ThreadInput {
            messages: vec![InputMessage {
                role: Some(Role::Buyer),
                text: format!("{text}\n\n{signature}"),
                signature: Some(signature.to_string()),
                ..Default::default()
            }],
        })
    }

    #[test]
    fn pleasantries_are_told_from_sentences_that_say_something() {
        for s in [
            "Thanks a lot",
            "Good morning, Mr. Liang",
            "Best regards,",
            "谢谢",
            "Muchas gracias",
            "Vielen Dank!",
            "Спасибо большое",
            "Добрый день, Александр",
        ] {
            assert!(is_courtesy(s), "{s}");
        }
        for s in [
            "Thanks for the samples, the quality is fine",
            "Good morning, please quote 500 pcs",
            "Please ship by May",
            "谢谢报价，价格太高",
            "OK, Deal",
            "Ok Confirmed",
            "Thanks for the PI",
            "Thanks, Please Proceed",
            "OK, DEAL",
        ] {
            assert!(!is_courtesy(s), "{s}");
        }
    }

    #[test]
    fn a_signature_cut_with_its_closing_still_gives_the_name() {
        let cases = [
            (
                "Best regards,\nJohn Smith\nPurchasing Manager\nABC Inc.",
                "John Smith",
                "ABC Inc.",
            ),
            (
                "Mit freundlichen Grüßen\nKlaus Becker\nEinkaufsleiter\nBecker Haustechnik GmbH",
                "Klaus Becker",
                "Becker Haustechnik GmbH",
            ),
            (
                "Cordialement,\nSophie Martin\nResponsable des achats\nDistrilux SARL",
                "Sophie Martin",
                "Distrilux SARL",
            ),
            (
                "С уважением,\nИван Петров\nменеджер по закупкам\nООО «СветТорг»",
                "Иван Петров",
                "ООО «СветТорг»",
            ),
            (
                "Saludos cordiales, Andrés Gómez\nGerente de Compras\nIluminación Andina S.A.S.",
                "Andrés Gómez",
                "Iluminación Andina S.A.S.",
            ),
            (
                "此致\n敬礼\n陈志明 采购经理\n深圳市华美贸易有限公司",
                "陈志明",
                "深圳市华美贸易有限公司",
            ),
        ];
        for (sig, name, company) in cases {
            let b = signed("Please send your offer.", sig);
            assert_eq!(b.name.as_deref(), Some(name), "{sig}");
            assert_eq!(b.company.as_deref(), Some(company), "{sig}");
        }
    }

    fn buyer(from: Option<&str>, text: &str) -> Buyer {
        extract_buyer(&ThreadInput {
            messages: vec![InputMessage {
                role: Some(Role::Buyer),
                from: from.map(str::to_string),
                text: text.into(),
                ..Default::default()
            }],
        })
    }

    #[test]
    fn header_and_signature() {
        let b = buyer(
            Some("\"Hans Müller\" <h.mueller@licht-handel.de>"),
            "Hello,\nplease quote 200 pcs.\n\nMit freundlichen Grüßen\nHans Müller\nEinkaufsleiter\nLicht Handel GmbH\nHafenstraße 12, 20457 Hamburg, Germany\nTel: +49 40 1234567",
        );
        assert_eq!(b.name.as_deref(), Some("Hans Müller"));
        assert_eq!(b.email.as_deref(), Some("h.mueller@licht-handel.de"));
        assert_eq!(b.domain.as_deref(), Some("licht-handel.de"));
        assert_eq!(b.company.as_deref(), Some("Licht Handel GmbH"));
        assert_eq!(b.title.as_deref(), Some("Einkaufsleiter"));
        assert_eq!(b.country.as_deref(), Some("DE"));
        assert_eq!(b.phone.as_deref(), Some("+49401234567"));
        assert_eq!(b.sources.get("name").map(String::as_str), Some("header"));
        assert_eq!(
            b.sources.get("country").map(String::as_str),
            Some("address")
        );
    }

    #[test]
    fn phone_prefix_then_cctld() {
        let b = buyer(
            Some("ops@example.com"),
            "Need price.\nWhatsApp: +234 803 123 4567",
        );
        assert_eq!(b.phone.as_deref(), Some("+2348031234567"));
        assert_eq!(
            (
                b.country.as_deref(),
                b.sources.get("country").map(String::as_str)
            ),
            (Some("NG"), Some("phone prefix"))
        );
        let b = buyer(Some("compras@iluminar.com.br"), "Preciso de preço.");
        assert_eq!(
            (
                b.country.as_deref(),
                b.sources.get("country").map(String::as_str)
            ),
            (Some("BR"), Some("ccTLD"))
        );
        assert_eq!(
            (
                b.company.as_deref(),
                b.sources.get("company").map(String::as_str)
            ),
            (Some("Iluminar"), Some("domain guess"))
        );
    }

    #[test]
    fn platform_notifications_are_read_from_the_body() {
        let b = buyer(
            Some("Alibaba.com <notification@service.alibaba.com>"),
            "You have a new inquiry.\nBuyer: Ahmed Al Mansouri\nCountry/Region: United Arab Emirates\nCompany: Gulf Lights Trading LLC\nProduct: LED Panel Light\nQuantity: 500 Pieces",
        );
        assert_eq!(b.name.as_deref(), Some("Ahmed Al Mansouri"));
        assert_eq!(b.email, None);
        assert_eq!(b.company.as_deref(), Some("Gulf Lights Trading LLC"));
        assert_eq!(b.country.as_deref(), Some("AE"));
    }

    #[test]
    fn a_company_the_writer_names_as_its_own_in_any_language() {
        let cases = [
            ("Bonjour, nous sommes la société Lumière Import SARL basée à Lyon. Merci de nous envoyer vos prix.", "Lumière Import SARL"),
            ("Здравствуйте! Наша компания ООО «СветТорг» интересуется закупкой 1000 светильников.", "ООО «СветТорг»"),
            ("您好，我们是深圳华强贸易有限公司，需要采购500台投影仪。", "深圳华强贸易有限公司"),
            ("本公司广州明亮照明有限公司需要LED灯。", "广州明亮照明有限公司"),
            ("Sehr geehrte Damen und Herren, wir, die Müller Haustechnik GmbH aus Köln, benötigen 200 Wasserkocher.", "Müller Haustechnik GmbH"),
            ("Merhaba, biz Yıldız Dış Ticaret A.Ş. olarak 500 adet LED panel almak istiyoruz.", "Yıldız Dış Ticaret A.Ş."),
            ("Siamo la ditta Rossi Forniture S.r.l. di Milano e cerchiamo 100 sedie.", "Rossi Forniture S.r.l."),
            ("Hello, our firm Ningbo Sunshine Trading Co., Ltd. needs 500 lamps.", "Ningbo Sunshine Trading Co., Ltd."),
            ("Our company Pacific Home Inc. imports furniture.", "Pacific Home Inc."),
            ("Our firm Pacific Home Ltd as a distributor needs 200 sofas.", "Pacific Home Ltd"),
        ];
        for (text, company) in cases {
            assert_eq!(
                buyer(None, text).company.as_deref(),
                Some(company),
                "{text}"
            );
        }
    }

    #[test]
    fn the_readers_company_is_not_the_buyers() {
        for text in [
            "We found your company Shenzhen Bright Lighting Co., Ltd on Alibaba. We need 500 panels.",
            "我们在阿里巴巴看到贵公司深圳明亮照明有限公司的产品，需要报价。",
            "Мы видели ваш ООО «Светлый Мир» на выставке.",
            // A line that does not speak of the writer names no company of the writer's.
            "Shenzhen Bright Lighting Co., Ltd makes panels.",
            // Someone else's company on a line about the writer.
            "Our current supplier, Osram GmbH, raised prices.",
            "We are happy with our supplier Philips Lighting B.V. but need a second source.",
            "We currently buy from Philips Lighting B.V. and need a second source.",
            "We import from Shenzhen Bright Lighting Co., Ltd at the moment.",
            "我们的供应商是深圳明亮照明有限公司，价格太高。",
            "我们是华为技术有限公司的供应商。",
            "Мы закупаем у ООО «Поставщик» уже три года.",
            // Words in capitals are no legal forms.
            "PLEASE QUOTE AS SOON AS POSSIBLE, WE NEED 200 UNITS",
        ] {
            assert_eq!(buyer(None, text).company, None, "{text}");
        }
    }

    #[test]
    fn running_text_introductions() {
        let b = buyer(None, "Hi, my name is Carlos Ruiz, I am the purchasing manager of Iluminaciones Ruiz S.A. We are based in Mexico.");
        assert_eq!(b.name.as_deref(), Some("Carlos Ruiz"));
        assert_eq!(b.title.as_deref(), Some("purchasing manager"));
        assert_eq!(b.company.as_deref(), Some("Iluminaciones Ruiz S.A."));
        assert_eq!(b.country.as_deref(), Some("MX"));
    }

    #[test]
    fn seller_messages_are_ignored() {
        let thread = ThreadInput {
            messages: vec![
                InputMessage { role: Some(Role::Buyer), from: Some("Ana <ana@casa.es>".into()), text: "Hola".into(), ..Default::default() },
                InputMessage {
                    role: Some(Role::Seller),
                    from: Some("Lily <lily@factory.cn>".into()),
                    text: "Best regards\nLily Wang\nSales Manager\nShenzhen Light Co., Ltd.\nTel: +86 755 1234 5678".into(),
                    ..Default::default()
                },
            ],
        };
        let b = extract_buyer(&thread);
        assert_eq!(b.name.as_deref(), Some("Ana"));
        assert_eq!(b.phone, None);
        assert_eq!(b.country.as_deref(), Some("ES"));
    }

    #[test]
    fn the_destination_never_says_where_the_buyer_is() {
        let b = buyer(None, "Need 500 pcs CIF Mombasa");
        assert_eq!(b.country, None);
    }

    #[test]
    fn a_public_buyer_is_named_by_its_letterhead_or_the_notice_label() {
        let cases = [
            (
                "MUNICIPALIDAD PROVINCIAL DE CHUQUIBAMBA\nOFICINA DE PROYECTOS\n\nSe requiere asfalto líquido RC-250, 30 galones.",
                "MUNICIPALIDAD PROVINCIAL DE CHUQUIBAMBA",
            ),
            (
                "Istituto Comprensivo 5 Carpi\nVia Roma, 150 - 41012 Carpi\n\nOggetto: fornitura di 3 targhe in plexiglass.",
                "Istituto Comprensivo 5 Carpi",
            ),
            (
                "Licitación ID: 218-66-LE26\nResponsable de esta licitación: I. MUNICIPALIDAD DE SAN JOSÉ, Unidad de Adquisiciones\n\n1  Parka  32 Unidad",
                "I. MUNICIPALIDAD DE SAN JOSÉ",
            ),
            (
                "1.1 ENTIDAD CONVOCANTE: Municipalidad Provincial de Sayhua, con domicilio legal en Jr. Lima s/n.\n1.2 OBJETO: cemento",
                "Municipalidad Provincial de Sayhua",
            ),
            ("Mandant: Universität Quakenbrück\nAbgabefrist: 08.08.2026", "Universität Quakenbrück"),
            ("Заказчик: Администрация города Тулы\nПредмет: бумага А4", "Администрация города Тулы"),
            ("Company: Iluminaciones Ruiz, S.A.\nWe need 500 lamps.", "Iluminaciones Ruiz, S.A."),
            // Languages that name the kind of body last.
            ("厦门大学\n采购文件\n翔安校区学生公寓单人床 200张", "厦门大学"),
            ("Kartal Belediyesi\nKonu: 400 adet çöp konteyneri alımı", "Kartal Belediyesi"),
            ("宮城刑務所\n調達物品及び数量：事務机 20台", "宮城刑務所"),
        ];
        for (text, company) in cases {
            let b = buyer(None, text);
            assert_eq!(b.company.as_deref(), Some(company), "{text}");
        }
        // A sentence or an order line that opens with such a word names no buyer, nor does
        // a department.
        for text in [
            "Hello,\n\nPlease quote:\n\nHospital beds 40 pcs\nSchool bags 500 pcs",
            "مستشفى الأمل يحتاج إلى 40 سريرا",
            "Ana López\nDepartamento de Compras",
            "Hospital beds are needed for our new wing, 40 units.\nPlease quote.",
            "University project: please quote 20 desks.",
            "Hospital\nWe need 40 beds.",
            "大学\n请报价",
            "我们大学需要200张单人床",
        ] {
            assert_eq!(buyer(None, text).company, None, "{text}");
        }
    }
}
