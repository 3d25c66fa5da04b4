//! Where a site says the company is, when no structured data says it: a country named in or
//! just after an address ("71063 Sindelfingen / Deutschland", "地址：中国广东省…",
//! "Адрес: 123456, Россия, г. Москва"), else a trade city on such a line ("20457 Hamburg"),
//! and the region of the page's language tag (`<html lang="de-DE">`).

use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

// One country list for the whole workspace, kept by the analyze crate (names in the languages
// buyers write in, and trade cities).
const COUNTRIES: &str = include_str!("../../tradescout-analyze/data/countries.toml");

/// Lines after an address cue or postal code that may still name the country.
const ADDRESS_WINDOW: usize = 3;

#[derive(Debug, Default, Deserialize)]
struct CountriesFile {
    names: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    ports: BTreeMap<String, String>,
}

struct Finder {
    countries: Matcher,
    cities: Matcher,
    address_cue: Regex,
    postal_code: Regex,
    /// A street name ("Calle 50", "Mercedesstraße 12", "ул. Строителей"), on a line with a digit.
    street: Regex,
    /// "Stafford, TX 77477": a US state and ZIP code, which most American sites write
    /// instead of the country's name.
    us_state_zip: Regex,
    /// "Mississauga, ON L5T 2N7": a Canadian province and postal code.
    ca_province_postal: Regex,
}

/// Lower-case names → country code, found on word boundaries (or anywhere, for scripts
/// written without spaces).
struct Matcher {
    spaced: Option<Regex>,
    unspaced: Option<Regex>,
    code_of: HashMap<String, String>,
}

impl Matcher {
    fn new(pairs: Vec<(String, String)>) -> Matcher {
        let mut code_of = HashMap::new();
        let (mut spaced, mut unspaced) = (Vec::new(), Vec::new());
        for (name, code) in pairs {
            let name = name.to_lowercase();
            if name.chars().count() < 3 && name.is_ascii() {
                continue; // "uk", "us": too often other things on an address line
            }
            let written_without_spaces = name.chars().any(|c| {
                matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{0600}'..='\u{06ff}')
            });
            if written_without_spaces {
                unspaced.push(regex::escape(&name));
            } else {
                spaced.push(regex::escape(&name));
            }
            code_of.insert(name, code);
        }
        // Longest first, so "south africa" wins over "africa".
        let build = |mut alts: Vec<String>, bounded: bool| {
            alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
            let body = alts.join("|");
            let pattern = if bounded {
                format!(r"\b(?:{body})\b")
            } else {
                format!("(?:{body})")
            };
            (!alts.is_empty())
                .then(|| Regex::new(&pattern).ok())
                .flatten()
        };
        Matcher {
            spaced: build(spaced, true),
            unspaced: build(unspaced, false),
            code_of,
        }
    }

    /// Every name in `lower`, in order: (start, end, country code).
    fn find_all(&self, lower: &str) -> Vec<(usize, usize, String)> {
        let mut out: Vec<(usize, usize, String)> = [&self.spaced, &self.unspaced]
            .into_iter()
            .flatten()
            .flat_map(|re| re.find_iter(lower))
            .filter_map(|m| {
                let code = self.code_of.get(m.as_str())?;
                Some((m.start(), m.end(), code.clone()))
            })
            .collect();
        out.sort_by_key(|(start, _, _)| *start);
        out
    }

    fn find(&self, lower: &str) -> Option<String> {
        [&self.spaced, &self.unspaced]
            .into_iter()
            .flatten()
            .filter_map(|re| re.find(lower))
            .min_by_key(|m| m.start())
            .and_then(|m| self.code_of.get(m.as_str()).cloned())
    }
}

fn finder() -> &'static Finder {
    static FINDER: OnceLock<Finder> = OnceLock::new();
    FINDER.get_or_init(|| {
        // The file ships inside the binary; a unit test pins that it parses.
        let file: CountriesFile = toml::from_str(COUNTRIES).unwrap_or_default();
        // Names under [ambiguous] stay out: on an address line "Georgia" is mostly the US state.
        let countries = file
            .names
            .iter()
            .flat_map(|(code, names)| names.iter().map(move |n| (n.clone(), code.clone())))
            .collect();
        let cities = file.ports.into_iter().collect();
        let re = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("built-in pattern {s}: {e}"));
        Finder {
            countries: Matcher::new(countries),
            cities: Matcher::new(cities),
            address_cue: re(&address_cue_pattern()),
            // "20457", "D-20457", Poland's "81-350", Portugal's "1000-001", Brazil's "01310-100".
            postal_code: re(
                r"(?i)(?:^|[\s,(])(?:[a-z]{1,2}-)?(\d{2}-\d{3}|\d{4,5}-\d{3}|\d{4,6})(?:$|[\s,)])",
            ),
            us_state_zip: re(
                r"(?i),\s*(?:al|ak|az|ar|ca|co|ct|de|dc|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy)\.?\s+\d{5}(?:-\d{4})?(?:$|[^\d-])",
            ),
            ca_province_postal: re(
                r"(?i),\s*(?:on|qc|bc|ab|mb|sk|ns|nb|nl|pe|yt|nt|nu)\.?\s+[a-z]\d[a-z]\s?\d[a-z]\d(?:$|[^\w])",
            ),
            street: re(
                r"(?i)(?:^|[\s,])(?:street|st\.|road|rd\.|avenue|ave\.|boulevard|blvd\.?|lane|drive|dr\.|parkway|pkwy\.?|highway|hwy\.?|suite|calle|carrera|avenida|av\.|avda\.|plaza|paseo|rua|rue|viale|piazza|corso|ulica|ul\.|ул\.|улица|проспект|шоссе)(?:$|[\s,.])|\p{L}(?:straße|strasse|str\.|gasse|allee|damm|platz)(?:$|[\s,.\d])",
            ),
        }
    })
}

/// The address cue: a word of `data/country_cues.toml` (whole words, or anywhere for scripts
/// written without spaces), or the abbreviation "Add:".
fn address_cue_pattern() -> String {
    let words = crate::country_cues::address_words();
    let (mut spaced, mut unspaced): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for w in words {
        if w.chars()
            .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}'))
        {
            unspaced.push(regex::escape(w));
        } else {
            spaced.push(regex::escape(w));
        }
    }
    let mut alternatives = vec![r"\badd\s*[:：]".to_string()];
    if !spaced.is_empty() {
        alternatives.push(format!(r"\b(?:{})\b", spaced.join("|")));
    }
    alternatives.extend(unspaced);
    format!("(?i){}", alternatives.join("|"))
}

/// Every country the addresses on this page name (ISO codes, in order, each once): a
/// company with offices in Lima and Florida names both.
pub fn address_countries(text: &str) -> Vec<String> {
    let f = finder();
    let candidates = address_lines(text);
    let candidates = || candidates.iter().map(String::as_str);
    let mut named: Vec<String> = Vec::new();
    for l in candidates() {
        let lower = l.to_lowercase();
        for (_, end, c) in f.countries.find_all(&lower) {
            if !crate::country_cues::names_another_countrys_place(&lower, &c)
                && !starts_vietnamese_place_name(l, &lower, end)
                && !named.contains(&c)
            {
                named.push(c);
            }
        }
    }
    // No address block: a short line that is only a place and its country ("Riydah, Kingdom
    // Saudi Arabia", "Casablanca, Maroc"), as a contact card writes it.
    if named.is_empty() {
        for l in text.lines().map(str::trim) {
            // Only short lines without digits are cards; the rest is not lower-cased at all.
            if !l.contains(',')
                || l.split_whitespace().count() > 6
                || l.bytes().any(|b| b.is_ascii_digit())
            {
                continue;
            }
            let lower = l.to_lowercase();
            let Some((_, country)) = lower.rsplit_once(',') else {
                continue;
            };
            let country = country.trim();
            for (start, end, c) in f.countries.find_all(country) {
                if end == country.len()
                    && country[..start].split_whitespace().count() <= 1
                    && !named.contains(&c)
                {
                    named.push(c);
                }
            }
        }
    }
    // Then a US state with its ZIP code or a Canadian province with its postal code, then a
    // trade city: weaker, so after every country written out.
    let coded = text.lines().map(str::to_lowercase).filter_map(|l| {
        if f.us_state_zip.is_match(&l) {
            Some("US".to_string())
        } else if f.ca_province_postal.is_match(&l) {
            Some("CA".to_string())
        } else {
            None
        }
    });
    // Every city of a line, the last first: an address goes from the building to the city, so
    // "Santiago de Surco, Lima" is a district of Lima, not Chile's capital, and "Doha Tower, 4
    // El-Galaa Street, Cairo" is in Cairo.
    let by_city = candidates().flat_map(|l| {
        f.cities
            .find_all(&l.to_lowercase())
            .into_iter()
            .rev()
            .map(|(_, _, c)| c)
    });
    for c in coded.chain(by_city) {
        if !named.contains(&c) {
            named.push(c);
        }
    }
    named
}

/// Whether the country name ending at `end` of `lower` (the line `line` in lower case) opens
/// a Vietnamese place name: directly followed by another capitalised Vietnamese word ("Đức
/// Thắng", "Đức Trọng"), which is no label ("Việt Nam Điện thoại: …" names the country).
fn starts_vietnamese_place_name(line: &str, lower: &str, end: usize) -> bool {
    // Lower-casing kept every character one character, so positions carry over.
    if line.chars().count() != lower.chars().count() {
        return false;
    }
    let at = lower[..end].chars().count();
    let after: String = line.chars().skip(at).collect();
    let Some(next) = after.strip_prefix(' ') else {
        return false;
    };
    let word: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
    let next_lower = next.to_lowercase();
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().any(is_vietnamese_letter)
        && !next[word.len()..].starts_with([':', '：'])
        && !crate::phones::starts_with_label(&next_lower)
        && !crate::country_cues::address_words()
            .iter()
            .any(|w| next_lower.starts_with(w.as_str()))
}

/// A letter only Vietnamese writes among the Latin scripts: "đ", "ơ", "ư", "ă" or a vowel with
/// a tone mark of its own block ("ứ", "ọ", "ệ").
fn is_vietnamese_letter(c: char) -> bool {
    matches!(
        c,
        'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'ă' | 'Ă' | '\u{1ea0}'..='\u{1ef9}'
    )
}

/// The lines of `text` (trimmed, as written) on or just after an address cue or a postal code.
pub(crate) fn address_lines(text: &str) -> Vec<String> {
    let f = finder();
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let mut near_address = vec![false; lines.len()];
    let mut last: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if is_address_line(f, line) {
            last = Some(i);
        }
        near_address[i] =
            last.is_some_and(|a| i - a <= ADDRESS_WINDOW) && line.chars().count() <= 160;
    }
    lines
        .into_iter()
        .zip(near_address)
        .filter(|(_, near)| *near)
        .map(|(l, _)| l)
        .collect()
}

/// The postal address a page writes out, as one line: the words after an address cue
/// ("Dirección: …", "地址：…", or the lines under an "Anschrift" heading), or the street line,
/// the postal-code line and a country line after it, as an Impressum sets them.
pub fn address_text(text: &str) -> Option<String> {
    let f = finder();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let short_plain = |l: &str| l.chars().count() <= 80 && !is_phone_or_id(&l.to_lowercase());
    for (i, line) in lines.iter().enumerate() {
        if !is_address_line(f, line) {
            continue;
        }
        let joined = if let Some(cue) = f.address_cue.find(line) {
            let rest = line[cue.end()..].trim_start_matches(|c: char| {
                c == ':' || c == '：' || c == '-' || c.is_whitespace()
            });
            // "Adres biura:", "Адрес офиса и склада:": a heading, the address on the lines below.
            let heading = rest.ends_with([':', '：']) && !rest.chars().any(|c| c.is_ascii_digit());
            if rest.is_empty() || heading {
                lines[i + 1..]
                    .iter()
                    .take(3)
                    .take_while(|l| short_plain(l))
                    .map(|l| l.trim_end_matches([',', ';']))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                rest.to_string()
            }
        } else {
            let starts_with_street = is_street(f, line);
            let mut parts = Vec::new();
            if let Some(street) = i
                .checked_sub(1)
                .map(|j| lines[j])
                .filter(|l| !starts_with_street && short_plain(l))
                .filter(|l| l.chars().any(|c| c.is_ascii_digit()))
            {
                parts.push(street);
            }
            parts.push(line);
            // After a street line its postal-code line, then a line naming the country.
            for next in lines[i + 1..].iter().take(2) {
                let lower = next.to_lowercase();
                if next.chars().count() <= 60 && f.countries.find(&lower).is_some() {
                    parts.push(next);
                    break;
                }
                if starts_with_street
                    && parts.len() == 1
                    && short_plain(next)
                    && has_postal_code(f, &lower)
                {
                    parts.push(next);
                    continue;
                }
                break;
            }
            parts
                .iter()
                .map(|p| p.trim_end_matches([',', ';']))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let joined = joined.split_whitespace().collect::<Vec<_>>().join(" ");
        if joined.chars().count() >= 8
            && joined.chars().any(|c| c.is_ascii_digit() || !c.is_ascii())
        {
            return Some(joined);
        }
    }
    None
}

fn is_street(f: &Finder, line: &str) -> bool {
    // A sentence that mentions a street ("38 rooms on a quiet mews off Marylebone High
    // Street.") is not an address line.
    line.chars().count() <= 80
        && line.split_whitespace().count() <= 12
        && line.chars().any(|c| c.is_ascii_digit())
        && f.street.is_match(&line.to_lowercase())
}

/// A phone, mail or register line; ten digits or more read as a phone number too (addresses
/// have fewer).
fn is_phone_or_id(lower: &str) -> bool {
    [
        "tel", "fax", "phone", "mobile", "whatsapp", "handy", "móvil", "+", "тел", "моб", "电话",
        "手机", "微信", "传真", "ust", "hrb", "hra", "vat", "inn", "register", "gericht", "e-mail",
        "email", "@",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || lower.chars().filter(char::is_ascii_digit).count() >= 10
}

/// An address cue, a street, or a postal code in a city's shape (`line` as written): opening
/// the line or after a comma or dash, the city's name after it ("20095 Hamburg",
/// "198095, Санкт-Петербург"). Any other number ("DN 50-150 Flansch") is no address.
fn is_address_line(f: &Finder, line: &str) -> bool {
    if line.chars().count() > 160 {
        return false;
    }
    let lower = line.to_lowercase();
    if f.address_cue.is_match(&lower) || (is_street(f, &lower) && !is_phone_or_id(&lower)) {
        return true;
    }
    !is_phone_or_id(&lower)
        && postal_codes(f, line).any(|(start, end)| city_shape(line, start, end))
}

/// Whether the postal code at `start..end` of `line` opens it (after a country prefix such as
/// "D-") or follows a comma or dash, and a capitalised name ("Hamburg"), an abbreviated one
/// ("г. Москва") or a name in a script without capitals follows it.
fn city_shape(line: &str, start: usize, end: usize) -> bool {
    let before = &line[..start];
    let before = before.strip_suffix('-').map_or(before, |b| {
        b.trim_end_matches(|c: char| c.is_ascii_alphabetic())
    });
    let opens = before
        .trim_end()
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, ',' | '-' | '–' | '|' | '·'));
    let after = line[end..].trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    let abbreviation: String = after.chars().take_while(|c| c.is_lowercase()).collect();
    let after = match after[abbreviation.len()..].strip_prefix('.') {
        Some(rest) if (1..=3).contains(&abbreviation.chars().count()) => rest.trim_start(),
        _ => after,
    };
    let named = after
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_alphabetic() && !c.is_lowercase());
    opens && named && after.len() < line.len()
}

/// A number that may be a postal code: not a year, and not an area or a head count
/// ("Magazyn 6000 m²", "Склад 2500 м²", "120 employees").
fn has_postal_code(f: &Finder, line: &str) -> bool {
    postal_codes(f, line).next().is_some()
}

/// Where the numbers of `line` that may be postal codes stand (byte ranges of the digits).
fn postal_codes<'a>(f: &'a Finder, line: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    f.postal_code.captures_iter(line).filter_map(move |c| {
        let m = c.get(1)?;
        let digits = m.as_str();
        let after = line[m.end()..].trim_start().to_lowercase();
        let measure = [
            "m²",
            "м²",
            "m2",
            "м2",
            "sq",
            "square",
            "кв",
            "平方",
            "mq",
            "employees",
            "staff",
            "сотрудник",
            "pcs",
            "units",
        ]
        .iter()
        .any(|u| after.starts_with(u));
        // "ISO 9001", "ISO 14001": a standard's number.
        let standard = line[..m.start()].trim_end().to_lowercase().ends_with("iso");
        let year = digits.len() == 4 && (digits.starts_with("19") || digits.starts_with("20"));
        (!measure && !standard && !year).then_some((m.start(), m.end()))
    })
}

/// The region of a language tag (`de-DE` → `DE`); English tags are left out, since site
/// builders default to `en-US` whatever the company's country.
pub fn lang_region(tag: &str) -> Option<String> {
    let mut parts = tag.trim().split(['-', '_']);
    let lang = parts.next()?.to_ascii_lowercase();
    let region = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))?;
    (lang != "en").then(|| region.to_ascii_uppercase())
}

const LANGUAGE_COUNTRY: &str = include_str!("../data/language_country.toml");

#[derive(Deserialize)]
struct LanguageCountryFile {
    languages: BTreeMap<String, String>,
}

/// The country of a page's language when that language is the main one of a single country
/// (`vi` → `VN`, `ja` → `JP`; `data/language_country.toml`); none for `en`, `es`, `fr`….
pub fn language_country(tag: &str) -> Option<String> {
    static MAP: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        toml::from_str::<LanguageCountryFile>(LANGUAGE_COUNTRY)
            .map(|f| f.languages)
            .unwrap_or_default()
    });
    let lang = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    map.get(&lang).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first country the addresses on a page name.
    fn address_country(text: &str) -> Option<String> {
        address_countries(text).into_iter().next()
    }

    #[test]
    fn shared_country_list_parses() {
        let file: CountriesFile = toml::from_str(COUNTRIES).unwrap_or_else(|e| panic!("{e}"));
        assert!(file.names.len() > 80 && !file.ports.is_empty());
    }

    #[test]
    fn country_after_a_postal_code_or_address_cue_is_found_in_any_language() {
        let impressum = "Krämer Leuchten GmbH & Co. KG\nMercedesstraße 12\n71063 Sindelfingen\nDeutschland\nTelefon: +49 7031 76540";
        assert_eq!(address_country(impressum).as_deref(), Some("DE"));
        let zh = "联系我们\n地址：中国广东省深圳市宝安区光明路88号";
        assert_eq!(address_country(zh).as_deref(), Some("CN"));
        let ru = "Контакты\nАдрес: 123456, Россия, г. Москва, ул. Строителей, д. 5";
        assert_eq!(address_country(ru).as_deref(), Some("RU"));
        let es = "Dirección: Calle de la Industria 23, 28823 Coslada (Madrid), España";
        assert_eq!(address_country(es).as_deref(), Some("ES"));
        // A contact card's place and country alone.
        let card = "Contact Us\nRiydah, Kingdom Saudi Arabia\nSun to Thus 9am to 4 pm";
        assert_eq!(address_country(card).as_deref(), Some("SA"));
        // Not a sentence that lists markets.
        let prose = "We export to Poland, Germany, France, Spain and many other places, Italy";
        assert_eq!(address_country(prose), None);
    }

    #[test]
    fn a_number_without_a_city_after_it_makes_no_address_line() {
        let text = "Anschrift\nHafenstraße 5\n20095 Hamburg (DE)\n\nProdukte\nKugelhahn\nDN 50-150 Flansch\nPN 16";
        assert!(address_lines(text).iter().any(|l| l.contains("Hamburg")));
        assert!(address_lines("Kugelhahn DN 50-150 Flansch").is_empty());
        assert_eq!(address_lines("D-20095 Hamburg").len(), 1);
        assert_eq!(address_lines("198095, Санкт-Петербург").len(), 1);
        assert_eq!(address_lines("123456, г. Москва").len(), 1);
        assert_eq!(crate::country_cues::content_country(text), None);
        assert_eq!(
            crate::country_cues::content_country("Kugelhahn\nDN 50-150 Flansch"),
            None
        );
    }

    #[test]
    fn a_country_name_inside_a_vietnamese_place_name_is_skipped_and_the_line_read_on() {
        let vn = "Địa chỉ: 12 Nguyễn Văn Linh, Đức Thắng, Bắc Từ Liêm, Hà Nội, Việt Nam";
        assert_eq!(address_country(vn).as_deref(), Some("VN"));
        let hcm = "Địa chỉ: 27/13 đường số 5, Quận Thủ Đức, TP HCM, Việt Nam";
        assert_eq!(address_country(hcm).as_deref(), Some("VN"));
        assert_eq!(
            address_country("Địa chỉ: Thị trấn Liên Nghĩa, Đức Trọng, Lâm Đồng"),
            None
        );
        assert_eq!(
            address_country("Adresse: 12 Hauptstraße, 10115 Berlin, Deutschland").as_deref(),
            Some("DE")
        );
    }

    #[test]
    fn floor_areas_and_sentences_about_a_street_are_not_addresses() {
        assert_eq!(
            address_text("O firmie\nMagazyn 6000 m²\nPonad 40 pracowników"),
            None
        );
        assert_eq!(address_text("Склад 2500 м²"), None);
        assert_eq!(address_text("2019, ISO 9001 certification obtained"), None);
        assert_eq!(
            address_text(
                "38 rooms and an all-day restaurant on a quiet mews off Marylebone High Street."
            ),
            None
        );
        assert_eq!(
            address_text("ul. Portowa 14\n81-350 Gdynia").as_deref(),
            Some("ul. Portowa 14, 81-350 Gdynia")
        );
        assert_eq!(
            address_text("Warehouse\n7420 Mesa Dr.\nStafford, TX 77477").as_deref(),
            Some("7420 Mesa Dr., Stafford, TX 77477")
        );
        assert_eq!(
            address_text(
                "Адрес офиса и склада:\n198095, Санкт-Петербург,\nул. Маршала Говорова, д. 35"
            )
            .as_deref(),
            Some("198095, Санкт-Петербург, ул. Маршала Говорова, д. 35")
        );
    }

    #[test]
    fn a_us_state_and_zip_or_a_canadian_postal_code_gives_the_country() {
        let us = "Visit our warehouse\n7420 Mesa Dr.\nStafford, TX 77477\nMon-Fri 8-5";
        assert_eq!(address_country(us).as_deref(), Some("US"));
        assert_eq!(
            address_country("Suite 200, Portland, OR 97201-1234").as_deref(),
            Some("US")
        );
        let ca = "Head office\n6750 Millcreek Dr, Mississauga, ON L5N 2W6";
        assert_eq!(address_country(ca).as_deref(), Some("CA"));
        // A Brazilian CEP after a state that shares a US state's letters is not a ZIP.
        let br = "Endereço: Av. Presidente Vargas 100, Belém, PA 66017-000, Brasil";
        assert_eq!(address_country(br).as_deref(), Some("BR"));
        assert_eq!(address_country("Rua X 10, Belém, PA 66017-000"), None);
    }

    #[test]
    fn address_is_taken_after_its_cue_or_around_its_postal_code() {
        let impressum = "Angaben gemäß § 5 TMG\nKrämer Leuchten GmbH & Co. KG\nMercedesstraße 12\n71063 Sindelfingen\nDeutschland\nTelefon: +49 7031 76540\nRegistergericht: Amtsgericht Stuttgart, HRA 723456";
        assert_eq!(
            address_text(impressum).as_deref(),
            Some("Mercedesstraße 12, 71063 Sindelfingen, Deutschland")
        );
        let es = "Teléfono: 91 654 32 10\nDirección: Calle de la Industria 23, 28823 Coslada (Madrid), España";
        assert_eq!(
            address_text(es).as_deref(),
            Some("Calle de la Industria 23, 28823 Coslada (Madrid), España")
        );
        let heading = "Anschrift\nHafenstraße 5\n20457 Hamburg\nTel. 040 123456";
        assert_eq!(
            address_text(heading).as_deref(),
            Some("Hafenstraße 5, 20457 Hamburg")
        );
        let colombia = "Importandinas S.A.S.\nCalle 50 # 52-30, Oficina 701\nMedellín, Antioquia, Colombia\nTeléfono: +57 604 444 5566";
        assert_eq!(
            address_text(colombia).as_deref(),
            Some("Calle 50 # 52-30, Oficina 701, Medellín, Antioquia, Colombia")
        );
        assert_eq!(address_country(colombia).as_deref(), Some("CO"));
        assert_eq!(address_text("Since 2003 we ship to 40 countries."), None);
    }

    #[test]
    fn countries_in_running_text_phone_lines_and_years_do_not_count() {
        let text = "Founded in 2003, we export to Germany, France and Spain.\nTel: +49 40 123456\nWe ship to Austria.";
        assert_eq!(address_country(text), None);
    }

    #[test]
    fn every_office_country_is_listed_and_an_arabic_abd_is_no_usa() {
        let two = "Oficina Perú: Av. Javier Prado Este 4200, Lima, Perú\nOficina USA: 100 Main St., Pembroke Pines, Florida";
        assert_eq!(
            address_countries(two),
            vec!["PE".to_string(), "US".to_string()]
        );
        // A city alone names its country too, after a ZIP code's.
        let by_city = "Dirección: Jiron Cumbibira 42, Santiago de Surco, Lima.\nDirección: 20851 Johnson St, Pembroke Pines, FL 33029.";
        assert_eq!(
            address_countries(by_city),
            vec!["US".to_string(), "PE".to_string(), "CL".to_string()]
        );
        // A building named after a city is not the city.
        let tower = "Address: Doha Tower, 4 El-Galaa Street, Tahrir, Cairo 11221";
        assert_eq!(address_country(tower).as_deref(), Some("EG"));
        let cairo = "Address: 10 Refqi Wasef St. from Abd el Aziz Fahmy - Heliopolis";
        assert_ne!(address_country(cairo).as_deref(), Some("US"));
    }

    #[test]
    fn a_trade_city_on_an_address_line_gives_its_country() {
        assert_eq!(
            address_country("Hafenstraße 5\n20457 Hamburg").as_deref(),
            Some("DE")
        );
    }

    #[test]
    fn a_language_of_one_country_names_it_and_others_do_not() {
        let file: LanguageCountryFile =
            toml::from_str(LANGUAGE_COUNTRY).unwrap_or_else(|e| panic!("{e}"));
        assert!(file.languages.len() > 40);
        assert_eq!(language_country("vi").as_deref(), Some("VN"));
        assert_eq!(language_country("ja-JP").as_deref(), Some("JP"));
        assert_eq!(language_country("es"), None);
        assert_eq!(language_country("en-GB"), None);
    }

    #[test]
    fn language_tag_region_counts_except_for_english() {
        assert_eq!(lang_region("de-DE").as_deref(), Some("DE"));
        assert_eq!(lang_region("zh_CN").as_deref(), Some("CN"));
        assert_eq!(lang_region("en-US"), None);
        assert_eq!(lang_region("ru"), None);
    }
}
