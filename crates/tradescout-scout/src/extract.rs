//! Facts from one page: schema.org JSON-LD, OpenGraph, the title, emails (also written
//! "name [at] domain [dot] com"), phone candidates, social profiles, year founded, size hints,
//! products, business-type cues and the links to crawl next.

use regex::Regex;
use reqwest::Url;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use tradescout_core::BusinessType;

use crate::structured;

const BUSINESS_CUES: &str = include_str!("../data/business_cues.toml");

/// What one page says about the company.
#[derive(Debug, Default, Clone)]
pub struct PageFacts {
    pub url: String,
    /// Names from JSON-LD Organization-like objects.
    pub org_names: Vec<String>,
    pub site_name: Option<String>,
    pub title: Option<String>,
    /// A legal name from a copyright line ("© 2024 Acme Trading GmbH").
    pub legal_name: Option<String>,
    /// Whoever a copyright line names without a legal form ("© 2019 Distritec."): the company
    /// only where the name shares a word with the domain, which the merge checks.
    pub copyright_holder: Option<String>,
    pub address: Option<String>,
    /// Country as written (a code or a name).
    pub country: Option<String>,
    /// Every country (ISO code) the page's address lines name, in order; the first is the
    /// page's address country.
    pub address_countries: Vec<String>,
    /// A postal address written out in the page's text (structured data goes to `address`).
    pub address_text: Option<String>,
    /// Region of the page's language tag (`de-DE` → `DE`).
    pub lang_region: Option<String>,
    /// Country (ISO code) the page's tax ids, local place words and postal codes point to.
    pub content_country: Option<String>,
    /// The one country of the page's language, when it has one (`vi` → `VN`).
    pub lang_country: Option<String>,
    pub founded: Option<i32>,
    pub emails: Vec<String>,
    /// Raw phone strings, normalised later with the site's country.
    pub phones: Vec<String>,
    pub social: Vec<String>,
    pub products: Vec<String>,
    pub size_hints: Vec<String>,
    /// Per business type, the cue words found on this page and their points.
    pub business: BTreeMap<BusinessType, BTreeMap<String, u32>>,
    /// Same-document links: absolute URL and anchor text.
    pub links: Vec<(Url, String)>,
    /// Where `<meta http-equiv="refresh">` sends the reader, if anywhere.
    pub refresh: Option<Url>,
}

/// Extracts the facts of a page; `html` false means plain text.
pub fn extract(url: &Url, body: &str, html: bool) -> PageFacts {
    let mut facts = PageFacts {
        url: url.to_string(),
        ..Default::default()
    };
    let text = if html {
        let doc = Html::parse_document(body);
        // Blocks about other companies, found once for the links and the text.
        let others = crate::third_party::boxes(&doc);
        from_document(url, &doc, &others, &mut facts);
        let mut text = visible_text(&doc, &others);
        // The site's own one-line summary ("Servicii profesionale de pavaje și amenajări")
        // says what it does as much as its pages.
        if let Some(summary) = select(&doc, r#"meta[name="description"]"#)
            .first()
            .and_then(|m| m.value().attr("content"))
        {
            text.push('\n');
            text.push_str(summary);
            text.push('\n');
        }
        text
    } else {
        body.to_string()
    };
    from_text(&text, &mut facts);
    facts.address_countries = crate::country::address_countries(&text);
    facts.address_text = crate::country::address_text(&text);
    facts.content_country = crate::country_cues::content_country(&text);
    facts
}

pub(crate) fn sel(s: &str) -> Option<Selector> {
    Selector::parse(s).ok()
}

pub(crate) fn select<'a>(doc: &'a Html, s: &str) -> Vec<ElementRef<'a>> {
    sel(s).map(|s| doc.select(&s).collect()).unwrap_or_default()
}

fn from_document(
    url: &Url,
    doc: &Html,
    others: &std::collections::HashSet<ego_tree::NodeId>,
    facts: &mut PageFacts,
) {
    for script in select(doc, r#"script[type="application/ld+json"]"#) {
        let raw: String = script.text().collect();
        if let Ok(value) = serde_json::from_str::<Value>(raw.trim()) {
            structured::json_ld(&value, facts, 0);
        }
    }
    structured::microdata(doc, facts);
    // Numbers beside a phone icon or in an element named for them, with no label word:
    // <li class="phone"><i class="fa fa-phone"></i> 040 123 456</li>; icon sets that name the
    // icon in an attribute (Lucide, Feather, Iconify, Ionicons): <i data-lucide="phone"></i>.
    for el in select(
        doc,
        r#"[class*="phone"], [class*="Phone"], [class*="mobile"], [class*="whatsapp"], [class*="icon-tel"], [data-lucide*="phone"], [data-feather*="phone"], [data-icon*="phone"], ion-icon[name*="call"]"#,
    ) {
        let digits = |t: &str| t.chars().filter(char::is_ascii_digit).count();
        let mut text = clean(&el.text().collect::<String>());
        // The number may sit beside the icon's own wrapper, as in page builders' icon lists:
        // <li><span class="icon"><i class="fa-phone"></i></span><span>(11) 3229-4410</span></li>.
        let mut up = el;
        for _ in 0..3 {
            if digits(&text) >= 7 {
                break;
            }
            let Some(parent) = up.parent().and_then(ElementRef::wrap) else {
                break;
            };
            up = parent;
            text = clean(&parent.text().collect::<String>());
        }
        if text.chars().count() <= 60 {
            for m in patterns().loose_phone.find_iter(&text) {
                if digits(m.as_str()) >= 7 {
                    push_unique(&mut facts.phones, m.as_str().trim().to_string());
                }
            }
        }
    }
    for protected in select(doc, "[data-cfemail]") {
        if let Some(mail) = protected
            .value()
            .attr("data-cfemail")
            .and_then(cloudflare_email)
            .filter(|m| !is_tool_mail(m))
        {
            push_unique(&mut facts.emails, mail);
        }
    }
    facts.refresh = select(doc, "meta[http-equiv]")
        .into_iter()
        .filter(|m| {
            m.value()
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
        })
        .find_map(|m| {
            let content = m.value().attr("content")?;
            // Only a forward ("0; url=/es/"); a page that reloads itself every few minutes
            // is a page in its own right.
            let delay: f64 = content.split([';', ',']).next()?.trim().parse().ok()?;
            if delay > 5.0 {
                return None;
            }
            let (_, target) = content.split_once(['=', ';'])?;
            let target = target
                .trim()
                .trim_start_matches(|c: char| c == ';' || c.is_whitespace());
            let target = target
                .strip_prefix("url=")
                .or_else(|| target.strip_prefix("URL="))
                .unwrap_or(target)
                .trim_matches(['\'', '"', ' ']);
            url.join(target).ok()
        });
    let lang = select(doc, "html[lang]")
        .first()
        .and_then(|h| h.value().attr("lang"))
        .map(str::to_string);
    facts.lang_region = lang.as_deref().and_then(crate::country::lang_region);
    facts.lang_country = lang.as_deref().and_then(crate::country::language_country);
    facts.site_name = select(doc, r#"meta[property="og:site_name"]"#)
        .first()
        .and_then(|m| m.value().attr("content"))
        .map(clean)
        .filter(|s| !s.is_empty());
    facts.title = select(doc, "title")
        .first()
        .map(|t| clean(&t.text().collect::<String>()))
        .filter(|s| !s.is_empty());
    for a in select(doc, "a[href]") {
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        // A partner's or the web agency's address and number are not the company's.
        let elsewhere = a.ancestors().any(|n| others.contains(&n.id()));
        let href = href.trim();
        if elsewhere && (href.starts_with("mailto:") || href.starts_with("tel:")) {
            continue;
        }
        if let Some(mail) = href.strip_prefix("mailto:") {
            let mail = crate::crawl::percent_decode(mail.split('?').next().unwrap_or(""));
            for m in mail.split([',', ';']).map(str::trim) {
                push_unique(&mut facts.emails, m.to_ascii_lowercase());
            }
            continue;
        }
        if let Some((_, hex)) = href.split_once("/cdn-cgi/l/email-protection#") {
            if let Some(mail) = cloudflare_email(hex) {
                push_unique(&mut facts.emails, mail);
            }
            continue;
        }
        if let Some(tel) = href.strip_prefix("tel:") {
            // A link whose text says fax ("+7 (495) 123-45-67 (факс)") dials a fax machine.
            // So does one whose "Fax:" stands just before it, outside the link.
            if !crate::phones::says_fax(&a.text().collect::<String>())
                && !crate::phones::fax_before(&text_before(a, LINK_LABEL_REACH))
            {
                let tel = crate::crawl::percent_decode(tel);
                push_unique(&mut facts.phones, clean(&tel));
            }
            continue;
        }
        let Ok(abs) = url.join(href) else { continue };
        if let Some(number) = whatsapp_number(&abs) {
            push_unique(&mut facts.phones, number);
        }
        if is_social(&abs) {
            push_unique(&mut facts.social, abs.to_string());
        } else if matches!(abs.scheme(), "http" | "https") {
            let mut abs = abs;
            abs.set_fragment(None);
            facts
                .links
                .push((abs, clean(&a.text().collect::<String>())));
        }
    }
    let path = url.path().to_ascii_lowercase();
    if ["product", "catalog", "shop", "collection"]
        .iter()
        .any(|p| path.contains(p))
    {
        for h in select(doc, "h2, h3, .product-title, .product-name") {
            let t = clean(&h.text().collect::<String>());
            if (3..=60).contains(&t.chars().count()) && facts.products.len() < 30 {
                push_unique(&mut facts.products, t);
            }
        }
    }
    let cart = select(
        doc,
        r#"a[href*="cart"], a[href*="checkout"], a[href*="basket"], a[href*="warenkorb"], a[href*="carrito"], a[href*="panier"], form[action*="cart"], button[name="add-to-cart"], [class*="add-to-cart"], [id*="cart"]"#,
    );
    if !cart.is_empty() {
        facts
            .business
            .entry(BusinessType::Retailer)
            .or_default()
            .insert("shopping cart".into(), 3);
    }
}

const SOCIAL_HOSTS: &[&str] = &[
    "linkedin.com",
    "facebook.com",
    "instagram.com",
    "twitter.com",
    "x.com",
    "youtube.com",
    "vk.com",
    "t.me",
    "telegram.me",
    "tiktok.com",
    "wa.me",
    "whatsapp.com",
];

/// A name without the one letter its full stop cut off: "Ojai Alimentos S" of "© Ojai
/// Alimentos S. A. de C. V.".
fn without_trailing_initial(name: &str) -> &str {
    match name.rsplit_once(' ') {
        Some((rest, last)) if last.chars().count() == 1 => rest.trim_end(),
        _ => name,
    }
}

/// An address hidden by Cloudflare's e-mail protection: hex bytes, the first the key the
/// others are XOR-ed with. Sites behind Cloudflare show every address this way.
fn cloudflare_email(hex: &str) -> Option<String> {
    let bytes = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let (key, rest) = bytes.split_first()?;
    let mail = String::from_utf8(rest.iter().map(|b| b ^ key).collect()).ok()?;
    mail.contains('@').then(|| mail.to_ascii_lowercase())
}

/// The phone number of a WhatsApp chat link (`wa.me/4917…`, `api.whatsapp.com/send?phone=…`).
fn whatsapp_number(url: &Url) -> Option<String> {
    let host = url.host_str()?.trim_start_matches("www.");
    let digits: String = match host {
        "wa.me" => url.path().trim_matches('/').to_string(),
        "api.whatsapp.com" | "web.whatsapp.com" => url
            .query_pairs()
            .find(|(k, _)| k == "phone")
            .map(|(_, v)| v.into_owned())?,
        _ => return None,
    };
    let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
    (8..=15)
        .contains(&digits.len())
        .then(|| format!("+{digits}"))
}

/// A profile link on a social network (not a share button).
pub fn is_social(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = host.strip_prefix("m.").unwrap_or(host);
    let on_network = SOCIAL_HOSTS
        .iter()
        .any(|s| host == *s || host.ends_with(&format!(".{s}")));
    let path = url.path().to_ascii_lowercase();
    let share = ["sharer", "/share", "intent/", "/dialog/"]
        .iter()
        .any(|p| path.contains(p));
    on_network && !share && (path.len() > 1 || host == "wa.me")
}

/// How much text (in characters) before a link may hold its label.
const LINK_LABEL_REACH: usize = 40;

/// The text standing just before `el` in the document: its earlier siblings', then its
/// parent's and grandparent's, until `reach` characters are read.
fn text_before(el: ElementRef, reach: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut read = 0;
    let mut node = *el;
    for _ in 0..3 {
        while let Some(prev) = node.prev_sibling() {
            let t: String = prev
                .descendants()
                .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                .collect();
            read += t.chars().count();
            parts.push(t);
            node = prev;
            if read >= reach {
                break;
            }
        }
        if read >= reach {
            break;
        }
        match node.parent() {
            Some(p) => node = p,
            None => break,
        }
    }
    parts.reverse();
    parts.concat()
}

fn visible_text(doc: &Html, others: &std::collections::HashSet<ego_tree::NodeId>) -> String {
    let credits = &crate::third_party::words().credits;
    let mut out = String::new();
    // After a credit that ends its text ("Webdesign:"), the next short text is the agency.
    let mut skip_next = false;
    for node in doc.root_element().descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            others.contains(&a.id())
                || a.value().as_element().is_some_and(|e| {
                    // `noscript` stays: sites put the plain address there for readers without
                    // scripts ("sales [at] example [dot] com").
                    // An icon's drawing carries its font's licence ("Copyright 2024 Fonticons,
                    // Inc."), never the company's words.
                    matches!(e.name(), "script" | "style" | "template" | "svg") || is_consent_box(e)
                })
        });
        if hidden {
            continue;
        }
        let trimmed = text.trim();
        if trimmed.is_empty() {
            out.push_str(text);
            out.push('\n');
            continue;
        }
        // A footer line, counted with each run of spaces as one (HTML indents the lines of one
        // text): "© 2022 Acme LLC - Powered by …" with the credit's name after it.
        let short = trimmed
            .split_whitespace()
            .map(|w| w.chars().count() + 1)
            .sum::<usize>()
            <= 121;
        if std::mem::take(&mut skip_next) && short {
            continue;
        }
        let kept = match short
            .then(|| crate::third_party::credit_at(trimmed, credits))
            .flatten()
        {
            // "© 2024 Acme GmbH | Powered by Shopify": the text before the credit stays.
            Some((at, ends)) => {
                skip_next = ends;
                &trimmed[..at]
            }
            None => text,
        };
        out.push_str(kept);
        out.push('\n');
    }
    out
}

/// A name with a copyright notice in front ("Copyright 2017 Adelco Ltd", "© 2009–2024 Acme
/// GmbH") without it.
fn without_copyright(name: &str) -> &str {
    let mut rest = name.trim();
    loop {
        let lower = rest.to_lowercase();
        let word = ["copyright", "©", "(c)", "&copy;", "by "]
            .iter()
            .find(|w| lower.starts_with(*w))
            .map(|w| w.len());
        let year = rest
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '-' | '–' | ' '))
            .last()
            .map(|(i, c)| i + c.len_utf8())
            .filter(|&n| rest[..n].chars().filter(char::is_ascii_digit).count() >= 4);
        match word.or(year) {
            Some(n) if n < rest.len() => rest = rest[n..].trim_start(),
            _ => return rest,
        }
    }
}

/// A cookie or consent banner: it names the site's third-party processors ("Google Ireland
/// Limited, Gordon House, Dublin") on every page, which would pass for the company's own name
/// and address. Only containers are judged, never `html` or `body`, whose classes often say
/// "cookie-consent-open" while the banner is shown.
fn is_consent_box(e: &scraper::node::Element) -> bool {
    const MARKS: &[&str] = &[
        "cookie",
        "consent",
        "gdpr",
        "cookiebot",
        "onetrust",
        "borlabs",
        "cmplz",
        "cc-window",
        "cc_banner",
        "usercentrics",
        "privacy-banner",
    ];
    if matches!(e.name(), "html" | "body" | "main" | "header" | "footer") {
        return false;
    }
    let id = e.id().unwrap_or("");
    let class = e.attr("class").unwrap_or("");
    // Asked for every ancestor of every text node: compared in place, not lower-cased copies.
    let has = |value: &str, mark: &str| {
        value
            .as_bytes()
            .windows(mark.len())
            .any(|w| w.eq_ignore_ascii_case(mark.as_bytes()))
    };
    [id, class].iter().any(|v| MARKS.iter().any(|m| has(v, m)))
}

/// A company's legal name: capitalised words ending in a legal form (longer forms first, so
/// "GmbH & Co. KG" is not cut at "GmbH"), a Russian form with the name in quotes, or a
/// Chinese company name.
const LEGAL_NAME: &str = r#"[«"„“]?[\p{Lu}][\p{L}\d&.,'()«»"“” -]{1,60}?(?:GmbH & Co\.? KG|\(Pty\) Ltd\.?|Pty\.? Ltd\.?|Ltd\.? Şti\.?|A\.Ş\.|K\.K\.|GmbH|Gmbh|GMBH|UG|e\.K\.|KG|Ltd\.?|LLC|L\.L\.C\.|Inc\.?|S\.A\. de C\.V\.|S\.A\.S\.|S\.A\.|S\.L\.U\.|S\.L\.|SARL|SAS|S\.p\.A\.|SpA|B\.V\.|N\.V\.|AG|Limited|Corp\.?|Corporation|SRL|S\.r\.l\.|Ltda\.?|LLP|PLC|plc|Pvt\.? Ltd\.?|Pte\.? Ltd\.?|Sdn\.? Bhd\.?|A/S|ApS|AB|Oy|s\.r\.o\.|Kft\.?|JSC|OOO|Sp\. z o\.o\.|Pty Ltd|Co\.,? Ltd\.?|FZE|FZCO|FZ-LLC)|(?:ООО|ОАО|ЗАО|ПАО|АО|ИП|ТОО|OOO|OAO|ZAO|PAO|TOO)\s*[«\"„“][^»\"“”]{2,60}[»\"“”]|[\p{Han}]{2,30}(?:有限责任公司|股份有限公司|有限公司)"#;

struct Patterns {
    email: Regex,
    obfuscated: Regex,
    /// "info at acme dot com": only with a spelled-out "dot", since "at" is a common word.
    obfuscated_words: Regex,
    dot: Regex,
    /// Any number-like run, for text already known to hold a phone number.
    loose_phone: Regex,
    copyright: Regex,
    copyright_holder: Regex,
    legal_line: Regex,
    founded: Regex,
    size: Regex,
    cues: CueIndex,
    /// The end of a text that denies what follows: "not a", "kein", "no somos", "non siamo".
    negated: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("built-in pattern {s}: {e}"));
        Patterns {
            email: re(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"),
            obfuscated: re(
                r"(?i)([a-z0-9._%+\-]+)\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*([a-z0-9\-]+(?:\s*(?:[\[\(\{<]\s*dot\s*[\]\)\}>]|\.)\s*[a-z0-9\-]+)+)",
            ),
            obfuscated_words: re(
                r"(?i)\b([a-z0-9._%+\-]+)\s+at\s+([a-z0-9\-]+(?:\s+dot\s+[a-z0-9\-]+)+)\b",
            ),
            dot: re(r"(?i)\s*(?:[\[\(\{<]\s*dot\s*[\]\)\}>]|\.|\sdot\s)\s*"),
            copyright: re(&format!(
                r"(?:©|\(c\)|&copy;|(?i:copyright)|版权所有)\s*[:：]?\s*(?:©\s*)?(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?)?\s*(?:by\s+)?({LEGAL_NAME})(?:$|[^\p{{L}}\d])"
            )),
            // "© 2019 Distritec. All Rights Reserved.", "© ALTAYS BUILDING MATERIAL TRADING
            // 2022 - ALL RIGHTS RESERVED": up to six words, ended by a year, a full stop, a
            // dash, a bar or the end of the line.
            copyright_holder: re(
                r"(?:©|\(c\)|&copy;|(?i:copyright))\s*(?:©\s*)?(?:(?i:copyright)\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*[,:]?\s*(\p{Lu}[\p{L}\d&'’-]*(?:[ ][\p{L}\d&'’-]+){0,5}?)\s*(?:\d{4}|[.|–—]|\s-\s|,|(?i:all\s+rights)|(?m:$))",
            ),
            legal_line: re(&format!(r"^\s*({LEGAL_NAME})\s*$")),
            loose_phone: re(r"\+?\(?\d[\d\s().\-/]{6,20}\d"),
            founded: re(
                r"(?i)(?:\bsince|\bfounded(?:\s+in)?|\bestablished(?:\s+in)?|\best\.|\bgegründet(?:\s+im\s+jahr)?|\bseit|\bdesde|\bfundad[ao]\s+en|\bfundad[ao]\s+em|\bfondée\s+en|\bdepuis|\bfondata\s+nel|成立于|成立於|创立于|创建于|始创于|始建于|\bоснован[аоы]?\s+в|\bс|\bzałożon[aoy]?\s+w|\brok\s+założenia|\bod|\bfondat[ao]\s+nel|\bdal|\bsinds|\bopgericht\s+in|\bstarted(?:\s+in)?|thành\s+lập(?:\s+năm)?|\bkuruluş(?:\s+yılı)?|\bcreated\s+in|\bfondée?\s+en|\bcréée?\s+en)\s*:?\s*((?:18|19|20)\d\d)(?:\s*г|[^\p{Cyrillic}\d]|$)",
            ),
            size: re(
                r"(?i)(\d[\d,.]*\+?\s*(?:employees|staff|workers|people|mitarbeiter|empleados|сотрудников|名员工|员工|square\s+met(?:er|re)s|square\s+feet|sq\.?\s*ft|sqm|m²|m2|平方米)(?:\s+(?:warehouse|factory|showroom))?)",
            ),
            cues: business_cues(),
            negated: re(
                r"(?i)(?:\bnot|\bnor|\bnever|\bkein[e]?|\bnicht|\bno\s+somos|\bno\s+es|\bnon\s+siamo|\bnon|\bnão\s+somos|\bpas)(?:\s+(?:a|an|un|una|uno|ein|eine|um|uma|une|just|only))?\s*$",
            ),
        }
    })
}

/// Every business-type cue of `data/business_cues.toml` in one automaton over lower-case
/// text: a cue written in ASCII counts as whole words, any other as written anywhere (so
/// Chinese, Japanese and stems in other scripts match inside longer words).
struct CueIndex {
    matcher: Option<aho_corasick::AhoCorasick>,
    /// Per pattern: its type, weight, words as written, and whether it is ASCII.
    cues: Vec<(BusinessType, u32, String, bool)>,
}

impl CueIndex {
    /// How many of each type's sections the file has, and the cues that made it in.
    #[cfg(test)]
    fn by_type(&self) -> BTreeMap<BusinessType, usize> {
        let mut out = BTreeMap::new();
        for (kind, ..) in &self.cues {
            *out.entry(*kind).or_default() += 1;
        }
        out
    }
}

fn business_cues() -> CueIndex {
    let table: BTreeMap<String, BTreeMap<String, u32>> =
        toml::from_str(BUSINESS_CUES).unwrap_or_default();
    let mut cues = Vec::new();
    for (kind, words) in table {
        let Ok(kind) = kind.parse::<BusinessType>() else {
            continue;
        };
        for (cue, weight) in words {
            let lower = cue.to_lowercase();
            if !lower.trim().is_empty() {
                let ascii = lower.is_ascii();
                cues.push((kind, weight, lower, ascii));
            }
        }
    }
    let matcher = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(cues.iter().map(|c| c.2.as_str()))
        .ok();
    CueIndex { matcher, cues }
}

/// An address at a site builder's, tracker's or theme maker's domain (`mail_domains` in the
/// third-party data): the template's, not the company's.
fn is_tool_mail(mail: &str) -> bool {
    let mail = mail.to_ascii_lowercase();
    crate::third_party::words()
        .mail_domains
        .iter()
        .any(|d| mail.ends_with(&format!("@{d}")) || mail.ends_with(&format!(".{d}")))
}

fn from_text(text: &str, facts: &mut PageFacts) {
    let p = patterns();
    // Chinese pages often write the full-width "＠".
    let text = &text.replace('＠', "@");
    for m in p.email.find_iter(text) {
        let e = m.as_str().trim_end_matches('.').to_ascii_lowercase();
        let image = [".png", ".jpg", ".gif", ".webp", ".svg"]
            .iter()
            .any(|x| e.ends_with(x));
        let junk = is_tool_mail(&e);
        if !image && !junk {
            push_unique(&mut facts.emails, e);
        }
    }
    if facts.legal_name.is_none() {
        facts.legal_name = p
            .copyright
            .captures(text)
            .or_else(|| {
                // A line that is only a legal name, as in an Impressum's address block; not the
                // web agency's or the shop system's credit.
                text.lines()
                    .filter(|l| {
                        let l = l.to_lowercase();
                        !["powered by", "designed by", "developed by", "hosted by"]
                            .iter()
                            .any(|w| l.contains(w))
                    })
                    .find_map(|l| p.legal_line.captures(l))
            })
            .map(|c| {
                clean(without_copyright(
                    c[1].trim_end_matches([',', ';', ')', '|', ' ']),
                ))
            })
            .filter(|n| !n.is_empty());
    }
    if facts.copyright_holder.is_none() {
        facts.copyright_holder = p
            .copyright_holder
            .captures(text)
            .map(|c| clean(without_trailing_initial(c[1].trim())))
            .filter(|n| n.chars().count() >= 3);
    }
    for c in p
        .obfuscated
        .captures_iter(text)
        .chain(p.obfuscated_words.captures_iter(text))
    {
        let domain = p.dot.replace_all(&c[2], ".");
        push_unique(
            &mut facts.emails,
            format!("{}@{}", &c[1], domain).to_ascii_lowercase(),
        );
    }
    for number in crate::phones::find(text) {
        push_unique(&mut facts.phones, number);
    }
    if facts.founded.is_none() {
        facts.founded = p
            .founded
            .captures(text)
            .and_then(|c| c[1].parse().ok())
            .filter(|y| {
                *y <= chrono::Utc::now()
                    .format("%Y")
                    .to_string()
                    .parse()
                    .unwrap_or(2100)
            });
    }
    for c in p.size.captures_iter(text).take(5) {
        push_unique(&mut facts.size_hints, clean(&c[1]));
    }
    business_cues_in(p, text, facts);
}

/// Business-type cues in `text`, each counted at most three times, none after a denial ("We
/// are a sourcing agent, not a manufacturer" says what they are not).
fn business_cues_in(p: &Patterns, text: &str, facts: &mut PageFacts) {
    let Some(matcher) = &p.cues.matcher else {
        return;
    };
    let lower = text.to_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut counts: BTreeMap<usize, u32> = BTreeMap::new();
    for m in matcher.find_overlapping_iter(&lower) {
        let i = m.pattern().as_usize();
        let Some((_, _, _, ascii)) = p.cues.cues.get(i) else {
            continue;
        };
        let before = lower.get(..m.start()).unwrap_or("");
        if *ascii {
            let after = lower.get(m.end()..).unwrap_or("");
            if before.chars().next_back().is_some_and(word)
                || after.chars().next().is_some_and(word)
            {
                continue;
            }
        }
        let n = counts.entry(i).or_default();
        if *n >= 3 || p.negated.is_match(tail(before, 16)) {
            continue;
        }
        *n += 1;
    }
    for (i, n) in counts {
        if n == 0 {
            continue;
        }
        if let Some((kind, weight, cue, _)) = p.cues.cues.get(i) {
            *facts
                .business
                .entry(*kind)
                .or_default()
                .entry(cue.clone())
                .or_default() += n * weight;
        }
    }
}

/// The last `n` characters of `text` (all of it when shorter).
fn tail(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..]
}

/// Collapses whitespace.
pub fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn push_unique(list: &mut Vec<String>, item: String) {
    if !item.is_empty() && !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tel_link_labelled_fax_just_outside_it_is_no_phone_and_odd_escapes_do_not_panic() {
        let url = Url::parse("https://kessel.example/kontakt").unwrap_or_else(|e| panic!("{e}"));
        let html = r#"<p>Tel: <a href="tel:+494012345">040 12345</a><br>
            <span>Fax:</span> <a href="tel:+494012346">040 12346</a><br>
            Telefax: <a href="tel:+494012347">040 12347</a><br>
            <a href="tel:%€">x</a><a href="tel:%1é">y</a><a href="mailto:%E2%82">z</a></p>"#;
        let f = extract(&url, html, true);
        assert!(
            f.phones.iter().any(|p| p.contains("494012345")),
            "{:?}",
            f.phones
        );
        assert!(!f
            .phones
            .iter()
            .any(|p| p.contains("494012346") || p.contains("494012347")));
    }

    fn page(html: &str) -> PageFacts {
        let url = Url::parse("https://shop.example/about").unwrap_or_else(|e| panic!("{e}"));
        extract(&url, html, true)
    }

    #[test]
    fn json_ld_organisation_gives_name_address_country_founding_and_profiles() {
        let f = page(
            r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"Organization","name":"Nordlicht Haushaltswaren GmbH","foundingDate":"1998-04-01",
             "telephone":"+49 40 1234567","email":"info@nordlicht.example",
             "address":{"@type":"PostalAddress","streetAddress":"Hafenstr. 5","addressLocality":"Hamburg","addressCountry":"DE"},
             "sameAs":["https://www.linkedin.com/company/nordlicht","https://www.facebook.com/nordlicht"]},
            {"@type":"Product","name":"Enamel cookware set"}]}</script>"#,
        );
        assert_eq!(f.org_names, ["Nordlicht Haushaltswaren GmbH"]);
        assert_eq!(f.country.as_deref(), Some("DE"));
        assert_eq!(f.founded, Some(1998));
        assert!(f.address.as_deref().is_some_and(|a| a.contains("Hamburg")));
        assert_eq!(f.social.len(), 2);
        assert_eq!(f.products, ["Enamel cookware set"]);
        assert!(f.emails.contains(&"info@nordlicht.example".to_string()));
    }

    #[test]
    fn the_business_cue_file_parses_whole() {
        let table: BTreeMap<String, BTreeMap<String, u32>> =
            toml::from_str(BUSINESS_CUES).unwrap_or_else(|e| panic!("business_cues.toml: {e}"));
        let cues = business_cues();
        assert!(cues.matcher.is_some(), "the cues build one automaton");
        let by_type = cues.by_type();
        assert_eq!(
            by_type.len(),
            table.len(),
            "every section is a business type"
        );
        for (name, words) in &table {
            let kind: BusinessType = name.parse().unwrap_or_else(|_| panic!("{name}"));
            assert_eq!(
                by_type.get(&kind),
                Some(&words.len()),
                "every cue of {name} is read"
            );
        }
    }

    #[test]
    fn a_number_beside_an_attribute_named_icon_is_a_phone() {
        let f = page(
            r#"<div><span class="flex gap-2"><i data-lucide="phone" width="14"></i> 05 57 99 01 78</span>
            <span><i data-feather="mail"></i> 2024 catalogue, 120 pages</span></div>"#,
        );
        assert!(
            f.phones.iter().any(|p| p.contains("05 57 99 01 78")),
            "{:?}",
            f.phones
        );
        assert_eq!(f.phones.len(), 1, "{:?}", f.phones);
    }

    #[test]
    fn cookie_banners_are_not_the_company_and_fax_numbers_are_not_phones() {
        let f = page(
            r#"<div id="cookie-settings"><table><tr><th>Anbieter</th><td>Google Ireland Limited</td></tr>
            <tr><th>Adresse</th><td>Gordon House, Barrow Street, Dublin 4, Irland</td></tr></table></div>
            <footer><p>© 2025 Hansen Haustechnik</p><p>Tel. +49 40 7813 4420 · Fax +49 40 7813 4411</p>
            <p>Tel./Fax: +49 40 7813 4450</p></footer>"#,
        );
        assert_eq!(f.legal_name, None, "{:?}", f.legal_name);
        assert_eq!(f.address_countries, Vec::<String>::new());
        assert!(
            f.phones.contains(&"+49 40 7813 4420".to_string()),
            "{:?}",
            f.phones
        );
        assert!(
            f.phones.contains(&"+49 40 7813 4450".to_string()),
            "{:?}",
            f.phones
        );
        assert!(
            !f.phones.iter().any(|p| p.contains("4411")),
            "{:?}",
            f.phones
        );
    }

    #[test]
    fn phones_under_other_labels_and_in_icon_lists_are_found() {
        let f = page(
            r#"<p>Telefone: (11) 3229-4410</p><p>tel. kom. 601 223 874</p>
            <p>Ufficio tecnico (cell.): 335 612 4478</p>
            <ul><li><span class="elementor-icon-list-icon"><i class="fas fa-phone-alt"></i></span>
            <span class="elementor-icon-list-text">(21) 2544-7788</span></li></ul>"#,
        );
        for number in [
            "(11) 3229-4410",
            "601 223 874",
            "335 612 4478",
            "(21) 2544-7788",
        ] {
            assert!(
                f.phones.iter().any(|p| p.contains(number)),
                "{number}: {:?}",
                f.phones
            );
        }
    }

    #[test]
    fn what_a_company_says_it_is_not_does_not_count_and_more_labels_and_forms_are_read() {
        let f = page(
            "<p>We are a sourcing agent, not a manufacturer. Factory audits and product sourcing.</p>",
        );
        let points = |kind| f.business.get(&kind).map_or(0, |c| c.values().sum::<u32>());
        let denied = f.business.get(&BusinessType::Manufacturer);
        assert!(
            !denied.is_some_and(|c| c.contains_key("manufacturer")),
            "{:?}",
            f.business
        );
        assert!(
            points(BusinessType::Agent) > points(BusinessType::Manufacturer),
            "{:?}",
            f.business
        );
        let f = page(
            r#"<p>Tel: 020 445 2210 / 0733 556 210</p><p>Mobiel buitendienst: 06 41 22 83 70</p>
            <p>Tél. : 04 78 42 17 35</p><p>Faks: +90 (212) 445 67 90</p>
            <p>Lada sin costo: 800 890 4411</p><noscript>sales [at] riftagri.co.ke</noscript>
            <footer>© 2024 Highveld Hydraulic Supplies (Pty) Ltd</footer><p>Sinds 1987 uw partner.</p>"#,
        );
        for number in [
            "020 445 2210",
            "0733 556 210",
            "06 41 22 83 70",
            "04 78 42 17 35",
            "800 890 4411",
        ] {
            assert!(
                f.phones.iter().any(|p| p == number),
                "{number}: {:?}",
                f.phones
            );
        }
        assert!(
            !f.phones.iter().any(|p| p.contains("445 67 90")),
            "{:?}",
            f.phones
        );
        assert!(
            f.emails.contains(&"sales@riftagri.co.ke".to_string()),
            "{:?}",
            f.emails
        );
        assert_eq!(
            f.legal_name.as_deref(),
            Some("Highveld Hydraulic Supplies (Pty) Ltd")
        );
        assert_eq!(f.founded, Some(1987));
    }

    #[test]
    fn a_meta_refresh_names_the_real_home_page() {
        assert_eq!(
            page(r#"<meta http-equiv="refresh" content="300; url=/">"#).refresh,
            None,
            "a page that reloads itself is no forward"
        );
        let f = page(r#"<meta http-equiv="Refresh" content="0; url=/es/">"#);
        assert_eq!(
            f.refresh.map(|u| u.to_string()).as_deref(),
            Some("https://shop.example/es/")
        );
    }

    #[test]
    fn founding_years_and_business_words_in_polish_and_italian() {
        let f = page("<p>Firma założona w 2009 roku jest importerem i dystrybutorem narzędzi.</p>");
        assert_eq!(f.founded, Some(2009));
        assert!(
            f.business.contains_key(&BusinessType::Importer),
            "{:?}",
            f.business
        );
        let f = page("<p>Od 1998 roku. Bezpośredni import z Azji.</p>");
        assert_eq!(f.founded, Some(1998));
        let f = page("<p>Fondata nel 1987, distributore ufficiale di utensili.</p>");
        assert_eq!(f.founded, Some(1987));
        assert!(
            f.business.contains_key(&BusinessType::Distributor),
            "{:?}",
            f.business
        );
    }

    #[test]
    fn obfuscated_emails_and_labelled_phones_are_found_in_text() {
        let f =
            page("<p>Write to sales [at] example [dot] com or call Tel: +49 (0)40 123 4567.</p>");
        assert!(f.emails.contains(&"sales@example.com".to_string()));
        assert!(!f.phones.is_empty());
    }

    #[test]
    fn cloudflare_protected_percent_encoded_and_spelled_out_addresses_are_read() {
        // "info@acme-trading.example" XOR-ed with 0x42, as Cloudflare writes it.
        let key = 0x42u8;
        let hex: String = std::iter::once(key)
            .chain(b"info@acme-trading.example".iter().map(|b| b ^ key))
            .map(|b| format!("{b:02x}"))
            .collect();
        let f = page(&format!(
            r#"<a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="{hex}">[email&#160;protected]</a>
            <a href="/cdn-cgi/l/email-protection#{hex}">Mail us</a>
            <a href="mailto:sales%40acme-trading.example?subject=Inquiry">sales</a>
            <p>Export: export at acme-trading dot example</p><p>采购：buyer＠acme-trading.example</p>
            <a href="https://wa.me/8613800138000">WhatsApp</a>"#
        ));
        for mail in [
            "info@acme-trading.example",
            "sales@acme-trading.example",
            "export@acme-trading.example",
            "buyer@acme-trading.example",
        ] {
            assert!(
                f.emails.contains(&mail.to_string()),
                "{mail}: {:?}",
                f.emails
            );
        }
        assert_eq!(f.emails.len(), 4, "{:?}", f.emails);
        assert!(f.phones.contains(&"+8613800138000".to_string()));
    }

    #[test]
    fn numbers_beside_a_phone_icon_are_phones_without_a_label() {
        let f = page(
            r#"<ul class="contact"><li class="contact-phone"><i class="fa fa-phone"></i> 040 30 12 34 50</li>
            <li><span class="icon-whatsapp"></span> +49 171 2345678</li><li class="hours">Mo–Fr 08:00–17:00</li></ul>"#,
        );
        assert!(
            f.phones.contains(&"040 30 12 34 50".to_string()),
            "{:?}",
            f.phones
        );
        assert!(
            f.phones.contains(&"+49 171 2345678".to_string()),
            "{:?}",
            f.phones
        );
        assert_eq!(f.phones.len(), 2, "{:?}", f.phones);
    }

    #[test]
    fn business_types_are_read_in_the_buyers_languages() {
        let best = |html: &str| {
            let f = page(html);
            f.business
                .iter()
                .map(|(k, cues)| (cues.values().sum::<u32>(), *k))
                .max()
                .map(|(_, k)| k)
        };
        let cases = [
            ("<p>Distribución y suministro de material eléctrico al mayor en toda Venezuela.</p>", BusinessType::Wholesaler),
            ("<p>Оптово-розничная торговля строительными материалами, Cash &amp; Carry.</p>", BusinessType::Wholesaler),
            ("<p>当社は1952年創業の技術商社です。</p>", BusinessType::TradingCompany),
            ("<p>Distribuiamo in Italia i migliori marchi di illuminazione.</p>", BusinessType::Distributor),
            ("<p>Atacadista de materiais elétricos desde 1998.</p>", BusinessType::Wholesaler),
            ("<p>Toptan satış ve dağıtım.</p>", BusinessType::Wholesaler),
            ("<p>Hurtownia elektryczna — zapraszamy.</p>", BusinessType::Wholesaler),
            ("<p>Wir sind Hersteller von Betonfertigteilen.</p>", BusinessType::Manufacturer),
            ("<p>Se fundó en 1979 como una empresa productora de huevo.</p>", BusinessType::Manufacturer),
            ("<p>Our specialty lies in sourcing and distributing premium brands to restaurants.</p>", BusinessType::Distributor),
            ("<p>We at Sonanish Impex are a global partner in the export import industry.</p>", BusinessType::TradingCompany),
            ("<p>Perusahaan pemasok suku cadang alat berat.</p>", BusinessType::Distributor),
            ("<p>Nairobi's branding company: brand identity and corporate apparel.</p>", BusinessType::Service),
            ("<p>Tak pokrótce można opisać naszą hurtownię. Sklep internetowy z koszykiem.</p>", BusinessType::Wholesaler),
            ("<p>Vi er Norges autoriserte importør av kompakte gravemaskiner.</p>", BusinessType::Importer),
            ("<p>Opero come agente per la provincia di Bergamo.</p>", BusinessType::Agent),
            ("<p>Poctivá mäsovýroba z Považia, rozvoz pre predajne.</p>", BusinessType::Manufacturer),
            ("<p>Velkoobchod s elektroinstalačním materiálem.</p>", BusinessType::Wholesaler),
            ("<p>Ανακύκλωση μετάλλων και απόσυρση οχημάτων στη Θεσσαλονίκη.</p>", BusinessType::Service),
            ("<p>Ipari szerszámok hivatalos forgalmazója.</p>", BusinessType::Distributor),
            ("<p>Somos despachante de aduana con 20 años en Buenos Aires.</p>", BusinessType::Service),
            ("<p>Firmă de amenajări exterioare și montaj pavele în Bihor.</p>", BusinessType::Contractor),
        ];
        for (html, want) in cases {
            assert_eq!(best(html), Some(want), "{html}");
        }
        // Words inside other words and a web agency's footer credit say nothing.
        assert_eq!(
            best("<p>Салон оптики</p><footer>Web design by Pixel</footer>"),
            None
        );
    }

    #[test]
    fn cart_and_wording_give_business_type_cues() {
        let f = page(
            r#"<a href="/cart">Cart</a><p>Importer and distributor of kitchenware since 2005. Our factory is not ours.</p>"#,
        );
        assert!(f.business.contains_key(&BusinessType::Retailer));
        assert!(f.business.contains_key(&BusinessType::Importer));
        assert_eq!(f.founded, Some(2005));
    }

    #[test]
    fn a_copyright_line_without_a_legal_form_gives_its_holder() {
        for (html, want) in [
            (
                "<footer>&copy; 2019 Distritec. All Rights Reserved.</footer>",
                "Distritec",
            ),
            (
                "<footer>© ALTAYS BUILDING MATERIAL TRADING 2022 - ALL RIGHTS RESERVED</footer>",
                "ALTAYS BUILDING MATERIAL TRADING",
            ),
            (
                "<p>Copyright © 2021 Yanwalyun. All Right Reserved.</p>",
                "Yanwalyun",
            ),
            (
                "<p>© Copyright 2020 Imprac | Todos los derechos</p>",
                "Imprac",
            ),
            (
                "<p>© Ojai Alimentos S. A. de C. V. 2020</p>",
                "Ojai Alimentos",
            ),
        ] {
            assert_eq!(page(html).copyright_holder.as_deref(), Some(want), "{html}");
        }
        assert_eq!(page("<p>© 2024</p>").copyright_holder, None);
        // The holder ends with its line when nothing else ends it.
        assert_eq!(
            page("<p>© 2019 Distritec</p><p>Barranquilla, Colombia</p>")
                .copyright_holder
                .as_deref(),
            Some("Distritec")
        );
    }

    #[test]
    fn microdata_and_copyright_lines_give_the_legal_name() {
        let f = page(
            r#"<div itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Sol Distribuciones S.L.</span>
            <span itemprop="telephone">+34 910 000 000</span><meta itemprop="addressCountry" content="ES"></div>
            <footer>© 2009-2024 Sol Distribuciones S.L. All rights reserved.</footer>"#,
        );
        assert_eq!(f.org_names, ["Sol Distribuciones S.L."]);
        assert_eq!(f.country.as_deref(), Some("ES"));
        assert_eq!(f.legal_name.as_deref(), Some("Sol Distribuciones S.L."));
        let quoted = page("<footer><p>© Copyright 2021 «Lichtwerk» Gmbh</p></footer>");
        assert_eq!(quoted.legal_name.as_deref(), Some("«Lichtwerk» Gmbh"));
        assert!(f.phones.contains(&"+34 910 000 000".to_string()));
    }

    #[test]
    fn partners_agencies_and_copyright_words_are_not_the_company() {
        let f = page(
            r#"<main><h1>Kontakt</h1><p>Telefon: 040 7813 4420<br>E-Mail: info@nordlicht.example</p>
            <section><h2>Unsere Partner</h2><p>Elektro Krause GmbH, Tel. +49 30 555 1234,
            <a href="mailto:info@krause.example">info@krause.example</a></p></section></main>
            <footer><p>Copyright 2017 Nordlicht Leuchten GmbH</p>
            <p>Webdesign:</p><p><a href="https://agentur.example">Pixelwerk Agentur GmbH</a></p></footer>"#,
        );
        assert_eq!(f.phones, ["040 7813 4420"], "{:?}", f.phones);
        assert_eq!(f.emails, ["info@nordlicht.example"], "{:?}", f.emails);
        assert_eq!(f.legal_name.as_deref(), Some("Nordlicht Leuchten GmbH"));
        let f = page(r#"<footer><p>Pixelwerk Agentur GmbH</p></footer>"#);
        assert_eq!(f.legal_name.as_deref(), Some("Pixelwerk Agentur GmbH"));
        let f = page(
            r#"<footer><p>Webdesign:</p><p>Pixelwerk Agentur GmbH</p><p>Powered by Shopify Inc.</p></footer>"#,
        );
        assert_eq!(f.legal_name, None);
        // A credit in a text HTML indents over several lines is still cut off.
        let f = page(
            "<footer><p>Copyright © 2022 OOO «Petropipe Oil and Gas» - Powered by OOO\n                                                 «Petropipe Oil and Gas»</p></footer>",
        );
        assert_eq!(f.legal_name.as_deref(), Some("OOO «Petropipe Oil and Gas»"));
        // An icon's licence and a theme maker's address are not the company's.
        let f = page(
            "<svg viewBox=\"0 0 10 10\">!Font Awesome Free by @fontawesome Copyright 2024 Fonticons, Inc.<path d=\"M0 0\"/></svg>\
             <p>Template by Colorlib, support@colorlib.com</p><p>info@majal.example</p>",
        );
        assert_eq!(f.legal_name, None);
        assert_eq!(f.emails, ["info@majal.example"]);
    }
}
