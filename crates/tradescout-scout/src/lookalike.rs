//! Domains that pose as a famous brand while not being one of its own: look-alike characters
//! (`rnicrosoft`, `amaz0n`, Cyrillic `аррӏе`), a letter or two off (`micorsoft`), or the brand
//! joined with other words (`philips-lighting-trade`). Brands, their domains and the word
//! lists live in `data/brands.toml`.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::OnceLock;

const BRANDS: &str = include_str!("../data/brands.toml");

/// How a domain imitates a brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Imitation {
    /// Look-alike characters: `0` for `o`, `rn` for `m`, Cyrillic for Latin…
    Homoglyph,
    /// A letter or two added, dropped, changed or swapped.
    Typo,
    /// The brand name itself, with words such as "supply", "official" or "login" beside it.
    BrandPlusWords,
}

/// A domain that imitates a brand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lookalike {
    pub domain: String,
    pub brand: String,
    pub imitation: Imitation,
    /// The part of the domain that imitates the brand.
    pub label: String,
    /// The brand as it appears in its own domains.
    pub brand_label: String,
    /// Some of the brand's own domains.
    pub official: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct BrandFile {
    fillers: Vec<String>,
    bait_words: Vec<String>,
    not_typos: Vec<String>,
    two_level_suffixes: Vec<String>,
    brand: Vec<Brand>,
}

#[derive(Debug, Deserialize)]
struct Brand {
    name: String,
    labels: Vec<String>,
    domains: Vec<String>,
    #[serde(default)]
    common_word: bool,
}

struct Table {
    brands: Vec<Brand>,
    /// Skeletons of the filler and bait words.
    fillers: HashSet<String>,
    bait: HashSet<String>,
    not_typos: HashSet<String>,
    suffixes: HashSet<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file ships inside the binary; a unit test pins that it parses.
        let file: BrandFile = toml::from_str(BRANDS).unwrap_or_default();
        let skeletons = |words: &[String]| words.iter().map(|w| skeleton(w)).collect();
        Table {
            fillers: skeletons(&file.fillers),
            bait: skeletons(&file.bait_words),
            not_typos: file.not_typos.into_iter().collect(),
            suffixes: file.two_level_suffixes.into_iter().collect(),
            brands: file.brand,
        }
    })
}

/// The brand `domain` imitates, if any. The brand's own domains and their subdomains never
/// count, and neither does a brand name that merely sits inside another word
/// (`pineapple-foods.com`, `masonry-supplies.co.uk`).
pub fn check(domain: &str) -> Option<Lookalike> {
    let t = table();
    let domain = unicode_domain(domain);
    let owned_by_a_brand = t.brands.iter().any(|b| {
        b.domains
            .iter()
            .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
    });
    if owned_by_a_brand {
        return None;
    }
    let (subdomains, label) = registrable_label(&domain, &t.suffixes)?;
    let tokens: Vec<&str> = label.split('-').filter(|s| !s.is_empty()).collect();
    for brand in &t.brands {
        for brand_label in &brand.labels {
            if let Some((imitation, part)) =
                imitation_of(t, brand, brand_label, &tokens, &subdomains)
            {
                return Some(Lookalike {
                    domain: domain.clone(),
                    brand: brand.name.clone(),
                    imitation,
                    label: part,
                    brand_label: brand_label.clone(),
                    official: brand.domains.iter().take(3).cloned().collect(),
                });
            }
        }
    }
    None
}

/// How the registrable label's `tokens` (split at hyphens) or a subdomain imitate one label
/// of a brand.
fn imitation_of(
    t: &Table,
    brand: &Brand,
    brand_label: &str,
    tokens: &[&str],
    subdomains: &[&str],
) -> Option<(Imitation, String)> {
    let target = skeleton(brand_label);
    // Short names are often a real company's initials, so they need bait words beside them.
    let plain = brand.common_word || brand_label.chars().count() <= 4;
    let words = if plain { &t.bait } else { &t.fillers };
    let disguised = |raw: &str| {
        raw != brand_label
            && brand_label.chars().count() >= 4
            && (raw.chars().any(|c| c.is_ascii_digit() || !c.is_ascii())
                || brand_label.chars().count() >= 6)
    };
    for (i, token) in tokens.iter().enumerate() {
        if skeleton(token) != target {
            continue;
        }
        if disguised(token) {
            return Some((Imitation::Homoglyph, token.to_string()));
        }
        let beside_words = tokens
            .iter()
            .enumerate()
            .any(|(j, other)| j != i && words.contains(&skeleton(other)));
        if *token == brand_label && beside_words {
            return Some((Imitation::BrandPlusWords, tokens.join("-")));
        }
    }
    let joined: String = tokens.concat();
    let joined_skeleton = skeleton(&joined);
    if joined_skeleton != target {
        let rest = joined_skeleton
            .strip_prefix(target.as_str())
            .or_else(|| joined_skeleton.strip_suffix(target.as_str()));
        if rest.is_some_and(|r| splits_into(r, words)) {
            if joined.contains(brand_label) {
                return Some((Imitation::BrandPlusWords, tokens.join("-")));
            }
            if disguised(&joined) {
                return Some((Imitation::Homoglyph, tokens.join("-")));
            }
        }
    }
    if !plain && brand_label.chars().count() >= 6 {
        let most = if brand_label.chars().count() >= 10 {
            2
        } else {
            1
        };
        let candidates = tokens
            .iter()
            .copied()
            .chain((tokens.len() > 1).then_some(joined.as_str()));
        for candidate in candidates {
            let s = skeleton(candidate);
            if candidate.chars().count() >= 5
                && s != target
                && !t.not_typos.contains(candidate)
                && edit_distance(&s, &target) <= most
            {
                return Some((Imitation::Typo, candidate.to_string()));
            }
        }
    }
    if !plain {
        // "microsoft.account-verify.com": the brand as a subdomain of somebody else's domain.
        if let Some(sub) = subdomains.iter().find(|s| skeleton(s) == target) {
            return Some((Imitation::BrandPlusWords, sub.to_string()));
        }
    }
    None
}

/// Whether `rest` is made only of `words` ("sourcingltd" → sourcing + ltd).
fn splits_into(rest: &str, words: &HashSet<String>) -> bool {
    let chars: Vec<char> = rest.chars().collect();
    let n = chars.len();
    let mut reachable = vec![false; n + 1];
    reachable[0] = true;
    for start in 0..n {
        if !reachable[start] {
            continue;
        }
        for end in start + 1..=n {
            let piece: String = chars[start..end].iter().collect();
            if words.contains(&piece) {
                reachable[end] = true;
            }
        }
    }
    n > 0 && reachable[n]
}

/// The label a domain is registered under and the labels in front of it:
/// `shop.amaz0n-sourcing.com.cn` → (["shop"], "amaz0n-sourcing").
fn registrable_label<'a>(
    domain: &'a str,
    two_level: &HashSet<String>,
) -> Option<(Vec<&'a str>, &'a str)> {
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 {
        return None;
    }
    let n = labels.len();
    let suffix_len = if n >= 3 && two_level.contains(&labels[n - 2..].join(".")) {
        2
    } else {
        1
    };
    let at = n - suffix_len - 1;
    let subdomains = labels[..at]
        .iter()
        .copied()
        .filter(|l| *l != "www")
        .collect();
    Some((subdomains, labels[at]))
}

/// What a label looks like to a reader: characters that are easily mistaken for one another
/// become one character (`0`→`o`, `1`/`i`→`l`, `rn`→`m`, Cyrillic `а`→`a`…).
fn skeleton(label: &str) -> String {
    let lower = label.to_lowercase().replace("rn", "m").replace("vv", "w");
    lower
        .chars()
        .map(|c| match c {
            '0' | 'ο' | 'о' | 'ó' | 'ò' | 'ö' | 'ô' | 'õ' | 'ø' => 'o',
            '1' | 'i' | '!' | '|' | 'í' | 'ì' | 'ï' | 'î' | 'ı' | 'і' | 'ӏ' | 'ι' => 'l',
            '3' | 'е' | 'ε' | 'é' | 'è' | 'ë' | 'ê' => 'e',
            '4' | '@' | 'а' | 'α' | 'á' | 'à' | 'ä' | 'â' | 'å' | 'ã' => 'a',
            '5' | '$' | 'ѕ' => 's',
            '7' | 'τ' => 't',
            'р' | 'ρ' => 'p',
            'с' | 'ç' => 'c',
            'х' | 'χ' => 'x',
            'у' | 'ý' => 'y',
            'ј' => 'j',
            'ԁ' => 'd',
            'һ' => 'h',
            'к' | 'κ' => 'k',
            'ν' => 'v',
            'ո' | 'ñ' => 'n',
            'ս' | 'υ' | 'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ԝ' => 'w',
            other => other,
        })
        .collect::<String>()
        .replace("rn", "m")
}

/// Edits (insert, delete, replace, swap two neighbours) between two strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Lower case, without `www.` and a trailing dot, with `xn--` labels decoded, so that
/// internationalised look-alikes are compared by the characters a reader sees.
fn unicode_domain(domain: &str) -> String {
    let d = crate::target::bare_domain(domain);
    d.split('.')
        .map(|l| {
            l.strip_prefix("xn--")
                .and_then(punycode_decode)
                .unwrap_or_else(|| l.to_string())
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// RFC 3492 Punycode decoding of one label (without its `xn--`).
fn punycode_decode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let (basic, extended) = match input.rfind('-') {
        Some(i) => (&input[..i], &input[i + 1..]),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (128u32, 0u32, 72u32);
    let mut digits = extended.bytes().peekable();
    while digits.peek().is_some() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let digit = match digits.next()? {
                c @ b'a'..=b'z' => u32::from(c - b'a'),
                c @ b'A'..=b'Z' => u32::from(c - b'A'),
                c @ b'0'..=b'9' => u32::from(c - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                TMIN
            } else if k >= bias + TMAX {
                TMAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = u32::try_from(output.len()).ok()? + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        output.insert(usize::try_from(i).ok()?, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = delta / if first { 700 } else { 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(domain: &str) -> Lookalike {
        check(domain).unwrap_or_else(|| panic!("{domain} should be flagged"))
    }

    #[test]
    fn shipped_brand_list_parses_and_every_brand_has_labels_and_domains() {
        let file: BrandFile = toml::from_str(BRANDS).unwrap_or_else(|e| panic!("{e}"));
        assert!(file.brand.len() >= 100);
        for b in &file.brand {
            assert!(!b.labels.is_empty() && !b.domains.is_empty(), "{}", b.name);
            for l in &b.labels {
                assert!(!l.contains('-') && *l == l.to_lowercase(), "{l}");
            }
        }
    }

    #[test]
    fn look_alike_characters_are_flagged_with_the_brand() {
        for (domain, brand) in [
            ("rnicrosoft-supply.com", "Microsoft"),
            ("amaz0n-sourcing.net", "Amazon"),
            ("paypa1.com", "PayPal"),
            ("g00gle-docs.com", "Google"),
            ("app1e.com", "Apple"),
            ("xn--80ak6aa92e.com", "Apple"),
            ("alibabа.com", "Alibaba"),
            ("arnazon.de", "Amazon"),
        ] {
            let l = hit(domain);
            assert_eq!(l.brand, brand, "{domain}");
            assert_eq!(l.imitation, Imitation::Homoglyph, "{domain}");
        }
    }

    #[test]
    fn brand_joined_with_trade_words_is_flagged() {
        for (domain, brand) in [
            ("philips-lighting-trade.com", "Philips"),
            ("siemens-procurement.net", "Siemens"),
            ("alibabasourcing.com", "Alibaba"),
            ("dhl-express-delivery.com", "DHL"),
            ("apple-support-center.com", "Apple"),
            ("official-huawei-store.com.cn", "Huawei"),
            ("microsoft.account-verify.com", "Microsoft"),
            ("bosch-purchasing.co.uk", "Bosch"),
        ] {
            let l = hit(domain);
            assert_eq!(l.brand, brand, "{domain}");
            assert_eq!(l.imitation, Imitation::BrandPlusWords, "{domain}");
        }
    }

    #[test]
    fn a_letter_or_two_off_a_long_brand_is_a_typo() {
        for (domain, brand) in [
            ("micorsoft.com", "Microsoft"),
            ("samsong-electronics.com", "Samsung"),
            ("panasonik.com", "Panasonic"),
            ("hikvison.net", "Hikvision"),
            ("samsvng.com", "Samsung"),
        ] {
            let l = hit(domain);
            assert_eq!(l.brand, brand, "{domain}");
            assert_eq!(l.imitation, Imitation::Typo, "{domain}");
        }
    }

    #[test]
    fn brands_own_domains_and_their_subdomains_are_not_flagged() {
        for domain in [
            "microsoft.com",
            "support.microsoft.com",
            "www.amazon.co.uk",
            "philips.com.cn",
            "lighting.philips.com",
            "dhl.de",
            "gmail.com",
            "hotmail.com",
            "tp-link.com",
            "coca-cola.com",
        ] {
            assert_eq!(check(domain), None, "{domain}");
        }
    }

    #[test]
    fn words_that_merely_contain_a_brand_and_initials_are_not_flagged() {
        for domain in [
            "pineapple-foods.com",
            "masonry-supplies.co.uk",
            "eggshell-crafts.com",
            "shell-eggs-farm.com",
            "modelling-studio.de",
            "intelligent-lighting.com",
            "philipsburg-hardware.com",
            "amazonia-trading.com.br",
            "apple-trading.com",
            "jd-trading.com",
            "hm-textiles.de",
            "deli-foods.com",
            "green-energy.cn",
            "cannon-industries.com",
            "samsun-export.com.tr",
            "philipp-gmbh.de",
            "philip-and-sons.co.uk",
            "channel-trading.com",
            "finance-group.com",
            "ups-and-downs.com",
            "siemens.energy",
            "nordlicht.example",
            "shop.example",
            "localhost",
        ] {
            assert_eq!(check(domain), None, "{domain}");
        }
    }

    #[test]
    fn punycode_labels_decode_to_what_a_reader_sees() {
        assert_eq!(punycode_decode("mnchen-3ya").as_deref(), Some("münchen"));
        assert_eq!(punycode_decode("80ak6aa92e").as_deref(), Some("аррӏе"));
        assert_eq!(punycode_decode("!!"), None);
    }
}
