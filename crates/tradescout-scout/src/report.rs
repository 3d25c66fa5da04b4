//! The background-check report (CONTRACTS.md `scout`): site facts merged across pages, each
//! kept with the page it came from, and the Markdown rendering.

use crate::extract::PageFacts;
use crate::rdap::DomainInfo;
use crate::score::{Fit, Risk};
use crate::CheckError;
use serde::Serialize;
use std::collections::BTreeMap;
use tradescout_core::{tr, BusinessType, EmailKind, Lang};
use tradescout_sanctions::{Hit, ListSummary};

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub target: String,
    pub domain: Option<String>,
    pub email_kind: EmailKind,
    pub company: Company,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub social: Vec<String>,
    pub products: Vec<String>,
    pub mail: Mail,
    pub domain_info: DomainInfo,
    pub sanctions: Sanctions,
    pub fit: Fit,
    pub risk: Risk,
    pub pages_fetched: usize,
    pub elapsed_ms: u64,
    pub errors: Vec<CheckError>,
    /// Where each fact was found.
    pub evidence: Vec<FactEvidence>,
    /// The pages that were read.
    pub pages: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Company {
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub address: Option<String>,
    /// Year founded.
    pub founded: Option<i32>,
    pub business_type: BusinessType,
    pub size_hint: Option<String>,
}

impl Default for Company {
    fn default() -> Self {
        Company {
            name: None,
            country: None,
            address: None,
            founded: None,
            business_type: BusinessType::Unknown,
            size_hint: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Mail {
    pub mx: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Sanctions {
    pub screened_lists: Vec<ListSummary>,
    pub hits: Vec<Hit>,
}

/// One fact and the page URL it came from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FactEvidence {
    pub field: String,
    pub value: String,
    pub url: String,
}

/// Site facts merged over all pages, home page first.
#[derive(Debug, Default)]
pub struct SiteFacts {
    pub company: Company,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub phone_countries: Vec<String>,
    pub social: Vec<String>,
    pub products: Vec<String>,
    pub employees: Option<u32>,
    pub evidence: Vec<FactEvidence>,
}

/// Merges page facts; `tld_country` is the country of the domain's ccTLD, if any.
pub fn merge(pages: &[PageFacts], tld_country: Option<&str>) -> SiteFacts {
    let mut s = SiteFacts::default();
    let mut ev = |field: &str, value: &str, url: &str| {
        s.evidence.push(FactEvidence {
            field: field.into(),
            value: value.into(),
            url: url.into(),
        })
    };
    let first = |f: &dyn Fn(&PageFacts) -> Option<String>| {
        pages.iter().find_map(|p| f(p).map(|v| (v, p.url.clone())))
    };
    // A legal name that shares a word with the domain ("Hansen Haustechnik GmbH" on
    // hansen-haustechnik.de) before the first one found, which may be a processor's named in
    // a privacy notice or a supplier's.
    let domain = pages
        .first()
        .and_then(|p| reqwest::Url::parse(&p.url).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    let legal = first(&|p| {
        p.legal_name
            .clone()
            .and_then(usable_name)
            .filter(|n| shares_word_with_domain(n, &domain))
    })
    .or_else(|| first(&|p| p.legal_name.clone().and_then(usable_name)));
    let name = first(&|p| p.org_names.first().cloned().and_then(usable_name))
        .or(legal)
        .or_else(|| first(&|p| p.site_name.clone().and_then(usable_name)))
        // The home page's title; a home page that only forwards (a language picker, a script
        // redirect) has none, and the next page's title speaks for the site.
        .or_else(|| {
            pages
                .iter()
                .find(|p| p.title.is_some())
                .and_then(|p| Some((title_name(p.title.as_deref()?, &domain)?, p.url.clone())))
        })
        // "© 2019 Distritec." on distritec.com.co: a holder without a legal form, when its
        // name is the domain's and the site names itself nowhere else.
        .or_else(|| {
            first(&|p| {
                p.copyright_holder
                    .clone()
                    .and_then(usable_name)
                    .filter(|n| shares_word_with_domain(n, &domain))
            })
        });
    if let Some((n, url)) = &name {
        ev("company.name", n, url);
    }
    // Structured data first, then a country named with the address; the language tag's
    // region is the last resort (after phones and the domain ending).
    let country = first(&|p| {
        p.country
            .as_deref()
            .and_then(tradescout_sanctions::country_code)
    })
    // A site on a ccTLD that also gives an address in that country (a Peruvian company with
    // an office in Florida) is of that country, whichever address comes first.
    .or_else(|| {
        let tld = tld_country?;
        first(&|p| {
            p.address_countries
                .iter()
                .any(|c| c == tld)
                .then(|| tld.to_string())
        })
    })
    .or_else(|| first(&|p| p.address_countries.first().cloned()))
    // A tax id, a local place word or postal code: the country without its name, only for a
    // domain without a country of its own (one such cue must not outvote a ccTLD).
    .or_else(|| {
        tld_country
            .is_none()
            .then(|| first(&|p| p.content_country.clone()))
            .flatten()
    });
    if let Some((c, url)) = &country {
        ev("company.country", c, url);
    }
    let lang_region = first(&|p| p.lang_region.clone());
    let address = first(&|p| p.address.clone()).or_else(|| first(&|p| p.address_text.clone()));
    if let Some((a, url)) = &address {
        ev("company.address", a, url);
    }
    let founded = first(&|p| p.founded.map(|y| y.to_string()));
    if let Some((y, url)) = &founded {
        ev("company.founded", y, url);
    }
    let size = first(&|p| p.size_hints.first().cloned());
    if let Some((z, url)) = &size {
        ev("company.size_hint", z, url);
    }
    let lang_country = first(&|p| p.lang_country.clone());
    // National numbers are read with the company's country; when nothing else says it, the
    // country most of the site's international numbers ("+84 …") belong to, then the one
    // country of the page's language.
    let hint = country
        .as_ref()
        .map(|(c, _)| c.clone())
        .or_else(|| tld_country.map(str::to_string))
        .or_else(|| lang_region.as_ref().map(|(c, _)| c.clone()))
        .or_else(|| international_country(pages))
        .or_else(|| lang_country.as_ref().map(|(c, _)| c.clone()));
    // Per type and cue, the most points one page gave and that page: words repeated in the
    // header or footer of every page (a cart link, "importer of…") count once for the site.
    let mut business: BTreeMap<BusinessType, BTreeMap<String, (u32, String)>> = BTreeMap::new();
    for p in pages {
        for e in &p.emails {
            if !s.emails.contains(e) && e.contains('@') {
                s.emails.push(e.clone());
                ev("emails", e, &p.url);
            }
        }
        for raw in &p.phones {
            if let Some((e164, region)) = to_e164(raw, hint.as_deref()) {
                if !s.phones.contains(&e164) {
                    ev("phones", &e164, &p.url);
                    s.phones.push(e164);
                    if let Some(r) = region {
                        if !s.phone_countries.contains(&r) {
                            s.phone_countries.push(r);
                        }
                    }
                }
            }
        }
        for x in &p.social {
            if !s.social.contains(x) {
                s.social.push(x.clone());
                ev("social", x, &p.url);
            }
        }
        for x in &p.products {
            if !s.products.contains(x) && s.products.len() < 30 {
                s.products.push(x.clone());
                ev("products", x, &p.url);
            }
        }
        for (kind, cues) in &p.business {
            let kind_cues = business.entry(*kind).or_default();
            for (cue, points) in cues {
                let best = kind_cues.entry(cue.clone()).or_insert((0, p.url.clone()));
                if *points > best.0 {
                    *best = (*points, p.url.clone());
                }
            }
        }
    }
    let best = business
        .iter()
        .map(|(kind, cues)| (kind, cues.values().map(|(p, _)| p).sum::<u32>(), cues))
        .filter(|(_, points, _)| *points >= 2)
        .max_by(|a, b| a.1.cmp(&b.1).then(tie_rank(*b.0).cmp(&tie_rank(*a.0))));
    let business_type = match best {
        Some((kind, _, cues)) => {
            let mut cues: Vec<(&String, &(u32, String))> = cues.iter().collect();
            cues.sort_by_key(|(_, (points, _))| std::cmp::Reverse(*points));
            for (cue, (_, url)) in cues.into_iter().take(5) {
                ev(
                    "company.business_type",
                    &format!("{}: {cue}", kind.as_str()),
                    url,
                );
            }
            *kind
        }
        None => BusinessType::Unknown,
    };
    let country = country
        .map(|(c, _)| c)
        .or_else(|| s.phone_countries.first().cloned())
        .or_else(|| tld_country.map(str::to_string))
        .or_else(|| lang_region.map(|(c, _)| c))
        .or_else(|| lang_country.map(|(c, _)| c));
    s.employees = size.as_ref().and_then(|(z, _)| employees_of(z));
    s.company = Company {
        name: name.map(|(n, _)| n),
        country,
        address: address.map(|(a, _)| a),
        founded: founded.and_then(|(y, _)| y.parse().ok()),
        business_type,
        size_hint: size.map(|(z, _)| z),
    };
    s
}

/// Which of two business types with equal points a site is: what a company makes or whose
/// goods it brings in says more than the shop on its site (a soy-sauce maker with an online
/// shop is a manufacturer), and a shop more than the hospitals or universities it names.
fn tie_rank(t: BusinessType) -> u8 {
    match t {
        BusinessType::Manufacturer => 0,
        BusinessType::BrandOwner => 1,
        BusinessType::Importer => 2,
        BusinessType::Distributor => 3,
        BusinessType::Wholesaler => 4,
        BusinessType::TradingCompany => 5,
        BusinessType::Agent => 6,
        BusinessType::Contractor => 7,
        BusinessType::Retailer => 8,
        BusinessType::Service => 9,
        BusinessType::EndUser => 10,
        BusinessType::Unknown => 11,
    }
}

/// The country most of the site's numbers written with "+" belong to.
fn international_country(pages: &[PageFacts]) -> Option<String> {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for raw in pages.iter().flat_map(|p| &p.phones) {
        if raw.trim_start().starts_with('+') || international_in_brackets(raw).is_some() {
            if let Some((_, Some(region))) = to_e164(raw, None) {
                *count.entry(region).or_default() += 1;
            }
        }
    }
    count
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(c, _)| c)
}

/// Whether a word of `name` (three letters or more) is part of the domain's name.
fn shares_word_with_domain(name: &str, domain: &str) -> bool {
    domain_overlap(name, domain) > 0
}

/// The length of the longest word of `name` (three letters or more, not a legal-form or
/// filler word) that is part of the domain's name; 0 when none is.
fn domain_overlap(name: &str, domain: &str) -> usize {
    let label = domain.trim_start_matches("www.");
    let label: String = label
        .rsplit_once('.')
        .map_or(label, |(rest, _)| rest)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if label.is_empty() {
        return 0;
    }
    name.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3)
        .filter(|w| {
            ![
                "the", "and", "ltd", "llc", "inc", "gmbh", "limited", "group",
            ]
            .contains(&w.as_str())
        })
        .filter(|w| label.contains(w.as_str()))
        .map(|w| w.len())
        .max()
        .unwrap_or(0)
}

/// A phone number in E.164 and the country it belongs to, when it is a valid number.
fn to_e164(raw: &str, country: Option<&str>) -> Option<(String, Option<String>)> {
    // "(84.8) 3815 5319": a country code and an area code in brackets, without "+".
    let bracketed = international_in_brackets(raw);
    let raw = bracketed.as_deref().unwrap_or(raw);
    // "0086 754 …" dials abroad with the international prefix 00; "+02 2240 4344" puts a
    // plus before the national trunk zero, which no country code begins with.
    let trimmed = raw.trim_start();
    let rewritten = match (trimmed.strip_prefix("00"), trimmed.strip_prefix("+0")) {
        (Some(rest), _) if rest.starts_with(|c: char| ('1'..='9').contains(&c)) => {
            Some(format!("+{rest}"))
        }
        (_, Some(rest)) => Some(format!("0{rest}")),
        _ => None,
    };
    let raw = rewritten.as_deref().unwrap_or(raw);
    // "+49 (0) 40 …": the trunk zero in brackets is not dialled from abroad.
    let without_trunk = raw.replacen("(0)", "", 1);
    let raw = if raw.trim_start().starts_with('+') {
        without_trunk.as_str()
    } else {
        raw
    };
    let cleaned: String = raw
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    let mut hint = country.and_then(|c| c.parse::<phonenumber::country::Id>().ok());
    if hint.is_none() && !cleaned.starts_with('+') {
        // "(713) 802-4410" is written this way only in North America.
        if !north_american_format(raw) {
            return None;
        }
        hint = Some(phonenumber::country::Id::US);
    }
    // "8 (812) 309-44-21", "+7 800 350-61-94": Russian numbers whose area code begins with 8
    // (St Petersburg, Kazan, Rostov, toll-free 800…). The phone library strips that 8 as if it
    // were the trunk prefix and then finds the number too short, so these are read here: ten
    // digits after the country code 7 or the trunk 8.
    let russian_8 = match (
        country,
        cleaned.strip_prefix("+7"),
        cleaned.strip_prefix('8'),
    ) {
        (_, Some(national), _) if national.len() == 10 => Some(national),
        (Some("RU" | "KZ"), None, Some(national)) if national.len() == 10 => Some(national),
        // "tel:8632185659": the ten national digits without the trunk 8.
        (Some("RU" | "KZ"), None, Some(_)) if cleaned.len() == 10 => Some(cleaned.as_str()),
        _ => None,
    };
    if let Some(national) = russian_8.filter(|n| n.starts_with('8')) {
        return Some((format!("+7{national}"), Some("RU".to_string())));
    }
    let parsed = phonenumber::parse(hint, raw)
        .ok()
        .filter(phonenumber::is_valid)
        // Mexican mobiles are still linked as +52 1 55…: the 1 was dropped in 2019.
        .or_else(|| {
            let rest = cleaned.strip_prefix("+521").filter(|r| r.len() == 10)?;
            phonenumber::parse(None, format!("+52{rest}"))
                .ok()
                .filter(phonenumber::is_valid)
        })
        // Mexico's long-distance prefix 01 went in 2019, but old pages still write
        // "01 (33) 3657 9297" and link "tel:+52013336579297".
        .or_else(|| {
            let rest = cleaned.strip_prefix("+5201").or_else(|| {
                (country == Some("MX"))
                    .then(|| cleaned.strip_prefix("01"))
                    .flatten()
            })?;
            (rest.len() == 10)
                .then(|| phonenumber::parse(None, format!("+52{rest}")).ok())
                .flatten()
                .filter(phonenumber::is_valid)
        })
        // "tel:8632185659" on a Russian site: the national number without its trunk prefix,
        // which the parser would take the leading 8 of for one.
        .or_else(|| {
            let code = hint
                .and_then(|id| phonenumber::metadata::DATABASE.by_id(id.as_ref()))?
                .country_code();
            (!cleaned.starts_with('+'))
                .then(|| phonenumber::parse(None, format!("+{code}{cleaned}")).ok())
                .flatten()
                .filter(phonenumber::is_valid)
        })?;
    let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
    Some((e164, region_of(&parsed)))
}

/// The country a number belongs to; for a code several countries share whose number the
/// library does not place (+39 for Italy and the Vatican), the code's main country.
fn region_of(number: &phonenumber::PhoneNumber) -> Option<String> {
    number
        .country()
        .id()
        .map(|id| id.as_ref().to_string())
        .or_else(|| {
            let code = number.code().value();
            phonenumber::metadata::DATABASE
                .region(&code)
                .and_then(|r| r.first().map(|s| s.to_string()))
        })
}

/// "(84.8) 3815 5319", "(84-511) 3561 561", "(84.0710) 6258 539" as "+84 8 3815 5319": a
/// known country code and an area code (its trunk zero dropped) in brackets.
fn international_in_brackets(raw: &str) -> Option<String> {
    let rest = raw.trim().strip_prefix('(')?;
    let (code, local) = rest.split_once(')')?;
    let (cc, area) = code.split_once(['.', '-'])?;
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !all_digits(cc) || !all_digits(area) || cc.len() > 3 || area.len() > 5 {
        return None;
    }
    let cc_value: u16 = cc.parse().ok()?;
    phonenumber::metadata::DATABASE.region(&cc_value)?;
    Some(format!(
        "+{cc} {} {}",
        area.trim_start_matches('0'),
        local.trim()
    ))
}

/// "(713) 802-4410", "713-802-4410", "713.802.4410": ten digits in North America's 3-3-4
/// grouping (an optional leading 1), which no other numbering plan writes this way. Spaced
/// "335 612 4478" is not taken: Italian mobiles look the same.
fn north_american_format(raw: &str) -> bool {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"^\s*(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\d{3}-\d{3}-\d{4}|\d{3}\.\d{3}\.\d{4})\s*$").ok()
    })
    .as_ref()
    .is_some_and(|re| re.is_match(raw))
}

const PAGE_NAMES: &str = include_str!("../data/page_names.toml");

/// Page names and greetings (`data/page_names.toml`): "Home | Acme GmbH", an og:site_name of
/// "Main page" and "Welcome to Acme Ltd." name no company as written.
#[derive(Debug, Default, serde::Deserialize)]
struct PageNames {
    generic: Vec<String>,
    welcome: Vec<String>,
}

fn page_names() -> &'static PageNames {
    static NAMES: std::sync::OnceLock<PageNames> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| toml::from_str(PAGE_NAMES).unwrap_or_default())
}

/// `name` without a greeting before it.
fn without_welcome(name: &str) -> &str {
    let name = name.trim();
    let welcome = &page_names().welcome;
    if welcome.iter().any(|w| name.to_lowercase() == w.trim_end()) {
        return "";
    }
    welcome
        .iter()
        .find_map(|w| {
            name.get(..w.len())
                .filter(|head| head.to_lowercase() == **w)
                .map(|_| name[w.len()..].trim())
        })
        .unwrap_or(name)
}

/// Whether `name` is a page's name ("Home", "Main page") rather than anyone's.
fn is_generic_page_name(name: &str) -> bool {
    let name = name.trim().to_lowercase();
    page_names().generic.contains(&name)
}

/// A name read from a page's markup, cleaned of a greeting; none when it is a page's name.
fn usable_name(name: String) -> Option<String> {
    let cleaned = without_doubled_first_word(without_welcome(without_page_name(&name)));
    if cleaned.is_empty() || is_generic_page_name(cleaned) {
        None
    } else if cleaned.len() == name.len() {
        Some(name)
    } else {
        Some(cleaned.to_string())
    }
}

/// "Contacto - IFACOMEX SRL", "会社概要｜有限会社タナカ建材": a name joined to a page's name by a
/// separator, without the page's name (only when the page's name is one of two parts).
fn without_page_name(name: &str) -> &str {
    let parts: Vec<&str> = name
        .split(" - ")
        .flat_map(|p| p.split(['|', '｜', '–', '—']))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [a, b] if is_generic_page_name(a) && !is_generic_page_name(b) => b,
        [a, b] if is_generic_page_name(b) && !is_generic_page_name(a) => a,
        _ => name,
    }
}

/// "PT PT Asiatek Indo Makmur", as a site's own markup may write it, without the legal-form
/// abbreviation written twice (an abbreviation: up to four capitals; "Bora Bora" is a name).
fn without_doubled_first_word(name: &str) -> &str {
    let mut words = name.split_whitespace();
    let abbreviation =
        |w: &str| w.chars().count() <= 4 && w.chars().all(|c| c.is_uppercase() || c == '.');
    match (words.next(), words.next()) {
        (Some(a), Some(b)) if a == b && abbreviation(a) && words.next().is_some() => {
            name.trim_start()[a.len()..].trim_start()
        }
        _ => name,
    }
}

/// The company part of a `<title>` such as "Acme GmbH | Kitchenware importer".
fn title_name(title: &str, domain: &str) -> Option<String> {
    // A hyphen splits only when spaced, so "Hapag-Lloyd" stays whole; Chinese titles
    // separate with "_".
    let title = title.replace(" - ", "|").replace('_', "|");
    let parts: Vec<&str> = title
        .split(['|', '–', '—', '·', ':', '｜', '：', '・', '丨'])
        .map(str::trim)
        .map(without_welcome)
        .filter(|p| !p.is_empty())
        .collect();
    let legal = [
        "gmbh",
        "ltd",
        "llc",
        "inc",
        "s.a",
        "srl",
        "b.v",
        "co.",
        "limited",
        "corp",
        "ag",
        "oy",
        "ab",
        "有限公司",
        "株式会社",
        "有限会社",
        "合同会社",
        "주식회사",
    ];
    let parts: Vec<&str> = parts
        .into_iter()
        .filter(|p| !is_generic_page_name(p))
        .collect();
    parts
        .iter()
        .find(|p| {
            let l = p.to_lowercase();
            legal.iter().any(|w| {
                l.split_whitespace()
                    .any(|t| t.trim_end_matches(['.', ',']) == w.trim_end_matches('.'))
                    || (!w.is_ascii() && l.contains(w))
            })
        })
        // SEO titles lead with keywords ("China Sourcing Agent | … | Harbourline"): the part
        // that shares the domain's words is the company's.
        .or_else(|| {
            parts
                .iter()
                .map(|p| (domain_overlap(p, domain), p))
                .filter(|(overlap, _)| *overlap > 0)
                .max_by_key(|(overlap, _)| *overlap)
                .map(|(_, p)| p)
        })
        .or(parts.first())
        .map(|p| p.to_string())
}

fn employees_of(hint: &str) -> Option<u32> {
    let l = hint.to_lowercase();
    if ![
        "employee",
        "staff",
        "worker",
        "people",
        "mitarbeiter",
        "empleados",
        "сотрудник",
        "员工",
    ]
    .iter()
    .any(|w| l.contains(w))
    {
        return None;
    }
    let digits: String = l
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The country of a country-code top-level domain (`.de` → `DE`, `.uk` → `GB`).
pub fn tld_country(domain: &str) -> Option<String> {
    let tld = domain.rsplit('.').next()?.to_ascii_uppercase();
    let generic = ["CO", "IO", "ME", "TV", "AI", "FM", "LY", "CC", "WS", "EU"];
    if tld.len() != 2 || generic.contains(&tld.as_str()) {
        return None;
    }
    Some(if tld == "UK" { "GB".into() } else { tld })
}

/// The report as Markdown in the user's language.
pub fn markdown(r: &Report, lang: Lang) -> String {
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let mut o = format!(
        "# {}\n\n",
        tr(lang, "scout.md.title", &[("target", &r.target)])
    );
    o.push_str(&format!("## {}\n\n", tr(lang, "scout.md.company", &[])));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.name", &[]),
        dash(&r.company.name)
    ));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.country", &[]),
        dash(&r.company.country)
    ));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.address", &[]),
        dash(&r.company.address)
    ));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.founded", &[]),
        dash(&r.company.founded.map(|y| y.to_string()))
    ));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.business_type", &[]),
        tr(
            lang,
            &format!("business_type.{}", r.company.business_type.as_str()),
            &[]
        )
    ));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.size", &[]),
        dash(&r.company.size_hint)
    ));
    if !r.products.is_empty() {
        o.push_str(&format!(
            "- {}: {}\n",
            tr(lang, "scout.md.field.products", &[]),
            r.products.join(", ")
        ));
    }
    o.push_str(&format!("\n## {}\n\n", tr(lang, "scout.md.contacts", &[])));
    for x in r.emails.iter().chain(&r.phones).chain(&r.social) {
        o.push_str(&format!("- {x}\n"));
    }
    o.push_str(&format!("\n## {}\n\n", tr(lang, "scout.md.domain", &[])));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.domain", &[]),
        dash(&r.domain)
    ));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.mailbox", &[]),
        r.email_kind.as_str()
    ));
    o.push_str(&format!(
        "- MX: {}\n",
        dash(&r.mail.mx.map(|m| m.to_string()))
    ));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.registered", &[]),
        dash(&r.domain_info.created)
    ));
    o.push_str(&format!(
        "- {}: {}\n",
        tr(lang, "scout.md.field.registrar", &[]),
        dash(&r.domain_info.registrar)
    ));
    o.push_str(&format!(
        "\n## {}\n\n",
        tr(lang, "scout.md.fit", &[("score", &r.fit.score)])
    ));
    for x in &r.fit.reasons {
        o.push_str(&format!("- {x}\n"));
    }
    o.push_str(&format!(
        "\n## {}\n\n",
        tr(lang, "scout.md.risk", &[("score", &r.risk.score)])
    ));
    for x in &r.risk.flags {
        o.push_str(&format!("- {x}\n"));
    }
    for h in &r.sanctions.hits {
        o.push_str(&format!(
            "- {} ({}, {}, {:.2})\n",
            h.name, h.list, h.entry_id, h.score
        ));
    }
    if !r.errors.is_empty() {
        o.push_str(&format!("\n## {}\n\n", tr(lang, "scout.md.errors", &[])));
        for e in &r.errors {
            o.push_str(&format!("- {}: {}\n", e.what, e.reason));
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_cue_names_the_country_of_a_generic_domain_but_not_over_a_cctld() {
        let page = PageFacts {
            url: "https://weld.example/".into(),
            content_country: Some("IT".into()),
            phones: vec!["030 1234567".into()],
            ..PageFacts::default()
        };
        assert_eq!(
            merge(std::slice::from_ref(&page), None)
                .company
                .country
                .as_deref(),
            Some("IT")
        );
        let on_de = merge(std::slice::from_ref(&page), Some("DE"));
        assert_eq!(on_de.company.country.as_deref(), Some("DE"));
        assert_eq!(on_de.phones, vec!["+49301234567".to_string()]);
        // An address line naming another country still wins over the ccTLD.
        let addressed = PageFacts {
            address_countries: vec!["AT".into()],
            ..page
        };
        assert_eq!(
            merge(std::slice::from_ref(&addressed), Some("DE"))
                .company
                .country
                .as_deref(),
            Some("AT")
        );
        // Unless an address on the site is in the ccTLD's country too, after the other one.
        let two_offices = PageFacts {
            address_countries: vec!["US".into(), "PE".into()],
            ..addressed
        };
        let on_pe = merge(std::slice::from_ref(&two_offices), Some("PE"));
        assert_eq!(on_pe.company.country.as_deref(), Some("PE"));
        assert_eq!(
            merge(&[two_offices], None).company.country.as_deref(),
            Some("US")
        );
    }

    #[test]
    fn the_page_names_file_parses() {
        let names: PageNames = toml::from_str(PAGE_NAMES).unwrap_or_default();
        assert!(names.generic.iter().any(|g| g == "main page"));
        assert!(names.welcome.iter().any(|w| w == "welcome to "));
    }

    #[test]
    fn a_greeting_or_a_pages_own_name_is_no_company_name() {
        assert_eq!(
            usable_name("Welcome to Goradia Steels Ltd.".into()).as_deref(),
            Some("Goradia Steels Ltd.")
        );
        assert_eq!(usable_name("Main page".into()), None);
        assert_eq!(usable_name("Startseite".into()), None);
        assert_eq!(usable_name("Welcome to ".into()), None);
        assert_eq!(
            usable_name("Welcome Home Furniture LLC".into()).as_deref(),
            Some("Welcome Home Furniture LLC")
        );
    }

    #[test]
    fn a_cart_link_on_every_page_counts_once_against_the_sites_own_words() {
        let page = |path: &str, body: &str| {
            let url = reqwest::Url::parse(&format!("https://lumo.example{path}"))
                .unwrap_or_else(|e| panic!("{e}"));
            crate::extract::extract(
                &url,
                &format!(r#"<header><a href="/cart">Cart (0)</a></header>{body}"#),
                true,
            )
        };
        let mut pages: Vec<PageFacts> = (0..6)
            .map(|i| page(&format!("/products/{i}"), "<h2>LED panel 60x60</h2>"))
            .collect();
        pages.push(page(
            "/about",
            "<p>Lumo is the exclusive distributor of Nordic lighting brands in Poland.</p>",
        ));
        let site = merge(&pages, Some("PL"));
        assert_eq!(site.company.business_type, BusinessType::Distributor);
    }

    #[test]
    fn title_gives_the_company_part_not_the_page_or_greeting() {
        let title_name_ = |t: &str| title_name(t, "");
        assert_eq!(
            title_name(
                "China Sourcing Agent in Hong Kong | Product Sourcing & QC | Harbourline",
                "www.harbourlinesourcing.com"
            )
            .as_deref(),
            Some("Harbourline")
        );
        assert_eq!(
            title_name_("Home | Hapag-Lloyd Trading GmbH").as_deref(),
            Some("Hapag-Lloyd Trading GmbH")
        );
        assert_eq!(
            title_name_("Welcome to Sunrise Lighting - LED panels").as_deref(),
            Some("Sunrise Lighting")
        );
        assert_eq!(
            title_name_("深圳市光明照明科技有限公司_LED工矿灯_投光灯").as_deref(),
            Some("深圳市光明照明科技有限公司")
        );
        assert_eq!(
            title_name_("サービス内容（ワイヤーフレーム）｜有限会社タナカ建材").as_deref(),
            Some("有限会社タナカ建材")
        );
        assert_eq!(
            usable_name("Contacto - IFACOMEX SRL".to_string()).as_deref(),
            Some("IFACOMEX SRL")
        );
    }

    #[test]
    fn national_numbers_and_bracketed_trunk_zeros_become_e164() {
        let e164 = |raw: &str, hint: &str| to_e164(raw, Some(hint)).map(|(n, _)| n);
        assert_eq!(
            e164("+49 (0) 7031 76 54-0", "DE").as_deref(),
            Some("+49703176540")
        );
        assert_eq!(
            e164("8 (495) 123-45-67", "RU").as_deref(),
            Some("+74951234567")
        );
        assert_eq!(
            e164("0755-2345 6789", "CN").as_deref(),
            Some("+8675523456789")
        );
        // Area codes that begin with 8 after the trunk 8: St Petersburg, toll-free.
        assert_eq!(
            e164("8 (812) 309-44-21", "RU").as_deref(),
            Some("+78123094421")
        );
        assert_eq!(e164("88003506194", "RU").as_deref(), Some("+78003506194"));
        assert_eq!(
            e164("+5215541873390", "MX").as_deref(),
            Some("+525541873390")
        );
    }

    #[test]
    fn a_north_american_number_is_read_without_a_country_hint_and_others_are_not() {
        let bare = |raw: &str| to_e164(raw, None).map(|(n, _)| n);
        assert_eq!(bare("(713) 802-4410").as_deref(), Some("+17138024410"));
        assert_eq!(bare("713-802-4410").as_deref(), Some("+17138024410"));
        assert_eq!(
            bare("335 612 4478"),
            None,
            "an Italian mobile, not a US number"
        );
        assert_eq!(bare("040 7813 4425"), None);
    }

    #[test]
    fn the_international_prefix_00_and_a_plus_before_the_trunk_zero_are_read() {
        let read = |raw: &str, hint: Option<&str>| to_e164(raw, hint).map(|(n, _)| n);
        assert_eq!(
            read("008675488321177", None).as_deref(),
            Some("+8675488321177")
        );
        assert_eq!(
            read("0049 40 1234567", Some("CN")).as_deref(),
            Some("+49401234567")
        );
        // "+02 22404344" on a Cairo company's page: 02 is Cairo's area code with its trunk 0.
        assert_eq!(
            read("+02 22404344", Some("EG")).as_deref(),
            Some("+20222404344")
        );
        assert_eq!(read("+02 22404344", None), None);
        // Mexico's old long-distance prefix 01, linked and written.
        assert_eq!(
            read("+52013336579297", None).as_deref(),
            Some("+523336579297")
        );
        assert_eq!(
            read("01 (33) 3657 9297", Some("MX")).as_deref(),
            Some("+523336579297")
        );
        // A national number that starts with 00… stays unread without a country code after it.
        assert_eq!(read("0012345", None), None);
    }

    #[test]
    fn a_maker_with_an_online_shop_is_a_manufacturer_on_equal_points() {
        let mut page = PageFacts {
            url: "https://deksomboon.example/".into(),
            ..PageFacts::default()
        };
        page.business
            .entry(BusinessType::Retailer)
            .or_default()
            .insert("shopping cart".into(), 4);
        page.business
            .entry(BusinessType::Manufacturer)
            .or_default()
            .insert("โรงงาน".into(), 4);
        let site = merge(std::slice::from_ref(&page), Some("TH"));
        assert_eq!(site.company.business_type, BusinessType::Manufacturer);
        page.business
            .entry(BusinessType::Retailer)
            .or_default()
            .insert("ส่งฟรี".into(), 1);
        let site = merge(&[page], Some("TH"));
        assert_eq!(site.company.business_type, BusinessType::Retailer);
    }

    #[test]
    fn a_copyright_holder_named_like_the_domain_is_the_company() {
        let page = |url: &str| PageFacts {
            url: url.into(),
            copyright_holder: Some("Distritec".into()),
            title: Some("Document".into()),
            ..PageFacts::default()
        };
        let on_own = merge(&[page("https://distritec.com.co/")], Some("CO"));
        assert_eq!(on_own.company.name.as_deref(), Some("Distritec"));
        // The web agency's or a parent's name is not taken, nor an editor's default title.
        let elsewhere = merge(&[page("https://deksomboon.com/")], None);
        assert_eq!(elsewhere.company.name, None);
    }

    #[test]
    fn a_first_word_written_twice_is_kept_once() {
        assert_eq!(
            usable_name("PT PT Asiatek Indo Makmur".into()).as_deref(),
            Some("PT Asiatek Indo Makmur")
        );
        assert_eq!(
            usable_name("ООО ООО Светторг".into()).as_deref(),
            Some("ООО Светторг")
        );
        assert_eq!(
            usable_name("Bora Bora Travel".into()).as_deref(),
            Some("Bora Bora Travel")
        );
        assert_eq!(usable_name("PT PT".into()).as_deref(), Some("PT PT"));
    }

    #[test]
    fn a_legal_name_sharing_the_domains_words_is_preferred() {
        assert!(shares_word_with_domain(
            "Hansen Haustechnik GmbH",
            "www.hansen-haustechnik.de"
        ));
        assert!(!shares_word_with_domain(
            "Google Ireland Limited",
            "www.hansen-haustechnik.de"
        ));
        // Legal-form and filler words do not count.
        assert!(!shares_word_with_domain(
            "Acme Group Limited",
            "limitedgroup.com"
        ));
    }
}
