//! Domain knowledge shipped as data files under `data/knowledge/`: IP codes and the
//! environments that need them, market access marks by destination and category, mains
//! supply by country, Incoterms 2020 and product synonyms.

use crate::bank::Bilingual;
use crate::reply_lang::ReplyLang;
use crate::specs::IpRating;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const IP: &str = include_str!("../data/knowledge/ip.toml");
const MARKETS: &str = include_str!("../data/knowledge/markets.toml");
const MAINS: &str = include_str!("../data/knowledge/mains.csv");
const INCOTERMS: &str = include_str!("../data/knowledge/incoterms.toml");
const SYNONYMS: &str = include_str!("../data/knowledge/synonyms.toml");
const PLUGS: &str = include_str!("../data/knowledge/plugs.toml");

/// What one IP digit protects against.
#[derive(Debug, Clone, Deserialize)]
pub struct IpDigit {
    pub digit: u8,
    #[serde(flatten)]
    pub meaning: Bilingual,
}

/// A place of use and the least IP rating sufficient there.
#[derive(Debug, Clone, Deserialize)]
pub struct Environment {
    pub id: String,
    pub min_ip: String,
    #[serde(flatten)]
    pub label: Bilingual,
    /// Buyer's words that reveal it, lower case.
    pub words: Vec<String>,
}

impl Environment {
    /// The least sufficient rating (IP20 if the data file were wrong; a test guards that).
    pub fn need(&self) -> IpRating {
        IpRating::parse(&self.min_ip).unwrap_or(IpRating { solid: 2, water: 0 })
    }
}

/// Market access marks for one product category in a group of countries.
#[derive(Debug, Clone, Deserialize)]
pub struct MarketRule {
    pub name: String,
    /// The market's name in Chinese and in Spanish.
    #[serde(default)]
    pub name_zh: Option<String>,
    #[serde(default)]
    pub name_es: Option<String>,
    pub countries: Vec<String>,
    pub category: String,
    pub required: Vec<String>,
    /// When true, one of `required` is enough (Canada: cUL or CSA).
    #[serde(default)]
    pub any_of: bool,
    pub expected: Vec<String>,
}

/// Words that put a product in a category.
#[derive(Debug, Clone, Deserialize)]
pub struct CategoryWords {
    pub id: String,
    pub words: Vec<String>,
    /// Product lines of the concept vocabulary in this category (`home_appliances`).
    #[serde(default)]
    pub lines: Vec<String>,
    /// HS headings or subheadings (digits, no dots) in this category, tried before the line:
    /// a power tool (8467) is electrical, a spanner (8204) of the same line is not.
    #[serde(default)]
    pub hs: Vec<String>,
}

/// Mains supply of one country.
#[derive(Debug, Clone, PartialEq)]
pub struct Mains {
    pub country: String,
    pub name: String,
    /// The country's name in Chinese and in Spanish (empty when the data file has none).
    pub name_zh: String,
    pub name_es: String,
    /// Nominal voltages (Brazil and Japan-style countries have more than one).
    pub voltages: Vec<f64>,
    pub frequency: String,
    /// IEC plug type letters.
    pub plugs: Vec<String>,
}

impl Mains {
    /// The country's name in `lang` (English where the data file has no translation).
    pub fn name_in(&self, lang: impl Into<ReplyLang>) -> &str {
        let translated = match lang.into() {
            ReplyLang::ZhCn => &self.name_zh,
            ReplyLang::Es => &self.name_es,
            ReplyLang::En => &self.name,
        };
        if translated.is_empty() {
            &self.name
        } else {
            translated
        }
    }
}

/// One Incoterms 2020 rule.
#[derive(Debug, Clone, Deserialize)]
pub struct Incoterm {
    pub code: String,
    pub risk_passes: String,
    #[serde(default)]
    pub risk_passes_zh: Option<String>,
    #[serde(default)]
    pub risk_passes_es: Option<String>,
    pub carriage: String,
    pub insurance: String,
    pub export_clearance: String,
    pub import_clearance: String,
    pub sea_only: bool,
}

impl Incoterm {
    /// Where the risk passes, in `lang` (English where the data file has no translation).
    pub fn risk_passes_in(&self, lang: ReplyLang) -> &str {
        let translated = match lang {
            ReplyLang::ZhCn => self.risk_passes_zh.as_deref(),
            ReplyLang::Es => self.risk_passes_es.as_deref(),
            ReplyLang::En => None,
        };
        translated.unwrap_or(&self.risk_passes)
    }
}

/// Everything the coach knows about the trade, loaded once.
#[derive(Debug, Default)]
pub struct Knowledge {
    pub solid: Vec<IpDigit>,
    pub water: Vec<IpDigit>,
    pub environments: Vec<Environment>,
    pub markets: Vec<MarketRule>,
    pub categories: Vec<CategoryWords>,
    /// Words that join two marks a buyer takes either of ("ETL or UL", "CE 或 CB"), lower case.
    pub alternatives: Vec<String>,
    pub mains: HashMap<String, Mains>,
    /// Plug type → the socket types it goes into (`plugs.toml`); a type not listed fits its own.
    pub plug_fits: HashMap<String, Vec<String>>,
    /// Words that make a requested IP rating a requirement with a reason (`ip.toml`).
    pub insist: Vec<String>,
    /// Categories whose products a place of use holds to an IP rating (`ip.toml`).
    pub ip_site_categories: Vec<String>,
    pub incoterms: Vec<Incoterm>,
    /// Variant (lower case) → canonical word, longest variants first.
    pub synonyms: Vec<(String, String)>,
    synonym_index: HashMap<String, String>,
}

#[derive(Deserialize)]
struct IpFile {
    solid: Vec<IpDigit>,
    water: Vec<IpDigit>,
    environment: Vec<Environment>,
    #[serde(default)]
    insist: Vec<String>,
    #[serde(default)]
    site_categories: Vec<String>,
}

#[derive(Deserialize)]
struct PlugFile {
    fits: HashMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct MarketFile {
    #[serde(default)]
    alternatives: Vec<String>,
    market: Vec<MarketRule>,
    category: Vec<CategoryWords>,
}

#[derive(Deserialize)]
struct IncotermFile {
    term: Vec<Incoterm>,
}

#[derive(Deserialize)]
struct SynonymFile {
    groups: Vec<Vec<String>>,
}

/// Why a knowledge file cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("data/knowledge/{file}: {reason}")]
pub struct KnowledgeError {
    pub file: &'static str,
    pub reason: String,
}

impl Knowledge {
    /// The shipped knowledge (empty tables if a data file were broken; a test guards that).
    pub fn shipped() -> &'static Knowledge {
        static K: OnceLock<Knowledge> = OnceLock::new();
        K.get_or_init(|| Knowledge::parse().unwrap_or_default())
    }

    /// Parses the shipped data files.
    pub fn parse() -> Result<Knowledge, KnowledgeError> {
        let err = |file: &'static str| {
            move |e: toml::de::Error| KnowledgeError {
                file,
                reason: e.to_string(),
            }
        };
        let ip: IpFile = toml::from_str(IP).map_err(err("ip.toml"))?;
        let markets: MarketFile = toml::from_str(MARKETS).map_err(err("markets.toml"))?;
        let incoterms: IncotermFile = toml::from_str(INCOTERMS).map_err(err("incoterms.toml"))?;
        let synonyms: SynonymFile = toml::from_str(SYNONYMS).map_err(err("synonyms.toml"))?;
        let plugs: PlugFile = toml::from_str(PLUGS).map_err(err("plugs.toml"))?;
        let mut pairs = Vec::new();
        for group in synonyms.groups {
            let Some(canon) = group.first().cloned() else {
                continue;
            };
            for v in group {
                pairs.push((v.to_lowercase(), canon.clone()));
            }
        }
        // Longest variants first, so `flood light` is replaced before `light`.
        pairs.sort_by_key(|(v, _)| std::cmp::Reverse(v.chars().count()));
        Ok(Knowledge {
            solid: ip.solid,
            water: ip.water,
            environments: ip.environment,
            markets: markets.market,
            categories: markets.category,
            alternatives: markets
                .alternatives
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            mains: parse_mains(MAINS)?,
            plug_fits: plugs.fits,
            insist: ip.insist.iter().map(|w| w.to_lowercase()).collect(),
            ip_site_categories: ip.site_categories,
            incoterms: incoterms.term,
            synonym_index: pairs.iter().cloned().collect(),
            synonyms: pairs,
        })
    }

    /// Whether a plug of type `plug` goes into one of `sockets` (CEE 7/7 E/F, Europlug C).
    pub fn plug_fits(&self, plug: &str, sockets: &[String]) -> bool {
        match self.plug_fits.get(plug) {
            Some(fits) => fits.iter().any(|f| sockets.contains(f)),
            None => sockets.iter().any(|s| s == plug),
        }
    }

    /// The market rules for `country` that apply to a product of `category`.
    pub fn rules_for<'a>(
        &'a self,
        country: &'a str,
        category: &'a str,
    ) -> impl Iterator<Item = &'a MarketRule> + 'a {
        self.markets.iter().filter(move |r| {
            r.countries.iter().any(|c| c.eq_ignore_ascii_case(country))
                && (r.category == category || (r.category == "electrical" && category != "other"))
        })
    }

    /// The product category of a text (name, category, description): the first category
    /// whose words occur, `other` when none.
    pub fn category_of(&self, text: &str) -> &str {
        let lower = text.to_lowercase();
        self.categories
            .iter()
            .find(|c| c.words.iter().any(|w| contains_word(&lower, w)))
            .map(|c| c.id.as_str())
            .unwrap_or("other")
    }

    /// The category of product concepts (indexes into the shipped vocabulary): by a concept's
    /// HS code first, then by its line; `None` when no category holds any of them.
    pub fn category_of_concepts(&self, concepts: &[usize]) -> Option<&str> {
        let vocabulary = tradescout_core::concepts::Concepts::shipped();
        let found: Vec<&tradescout_core::concepts::Concept> =
            concepts.iter().filter_map(|&c| vocabulary.get(c)).collect();
        let by_hs = found.iter().find_map(|c| {
            let hs: String = c.hs.chars().filter(char::is_ascii_digit).collect();
            self.categories.iter().find(|cat| {
                cat.hs
                    .iter()
                    .any(|h| !h.is_empty() && hs.starts_with(h.as_str()))
            })
        });
        by_hs
            .or_else(|| {
                found.iter().find_map(|c| {
                    self.categories
                        .iter()
                        .find(|cat| cat.lines.contains(&c.line))
                })
            })
            .map(|c| c.id.as_str())
    }

    /// Whether `word` is the canonical word of a synonym group (a product word).
    pub fn is_canonical(&self, word: &str) -> bool {
        self.synonym_index.get(word).is_some_and(|c| c == word)
    }

    /// The canonical word of a variant (lower case), if it is one.
    pub fn synonym_of(&self, variant: &str) -> Option<&str> {
        self.synonym_index.get(variant).map(String::as_str)
    }

    /// The Incoterms rule with `code`.
    pub fn incoterm(&self, code: &str) -> Option<&Incoterm> {
        self.incoterms
            .iter()
            .find(|t| t.code.eq_ignore_ascii_case(code.trim()))
    }

    /// Meaning of an IP rating's two digits.
    pub fn describe_ip(&self, ip: IpRating, lang: impl Into<ReplyLang>) -> String {
        let lang = lang.into();
        let get = |table: &[IpDigit], d: u8| {
            table
                .iter()
                .find(|x| x.digit == d)
                .map(|x| x.meaning.get_in(lang).to_string())
                .unwrap_or_default()
        };
        format!(
            "{}; {}",
            get(&self.solid, ip.solid),
            get(&self.water, ip.water)
        )
    }
}

/// Whether `word` (lower case) occurs in `text` (lower case) as a whole word or phrase, also
/// with an English or Spanish plural ending (`offices`, `pools`, `luces`… for `office`,
/// `pool`, `luz` is listed apart); words in scripts without spaces (Chinese) match as
/// substrings.
pub fn contains_word(text: &str, word: &str) -> bool {
    find_word(text, word).is_some()
}

/// Where [`contains_word`] finds `word` in `text`: the words as written there (`offices`).
pub fn find_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    if !word.is_ascii() {
        return text.find(word).map(|i| &text[i..i + word.len()]);
    }
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(word).find_map(|(i, _)| {
        let end = i + word.len();
        let rest = &text[end..];
        let plural = if rest.starts_with("es") && boundary(rest[2..].chars().next()) {
            2
        } else if rest.starts_with('s') {
            1
        } else {
            0
        };
        let whole = boundary(text[..i].chars().next_back())
            && boundary(text[end + plural..].chars().next());
        whole.then(|| &text[i..end + plural])
    })
}

fn parse_mains(text: &str) -> Result<HashMap<String, Mains>, KnowledgeError> {
    let err = |reason: String| KnowledgeError {
        file: "mains.csv",
        reason,
    };
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let mut out = HashMap::new();
    for record in reader.records() {
        let r = record.map_err(|e| err(e.to_string()))?;
        let field = |i: usize| r.get(i).unwrap_or("").trim().to_string();
        let voltages = field(2)
            .split('/')
            .map(|v| {
                v.parse::<f64>()
                    .map_err(|_| err(format!("bad voltage `{v}`")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let m = Mains {
            country: field(0),
            name: field(1),
            voltages,
            frequency: field(3),
            plugs: field(4).split(';').map(|p| p.trim().to_string()).collect(),
            name_zh: field(5),
            name_es: field(6),
        };
        out.insert(m.country.clone(), m);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_knowledge_parses_and_is_complete() {
        let k = Knowledge::parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(k.solid.len(), 7);
        assert_eq!(k.water.len(), 9);
        assert!(k
            .environments
            .iter()
            .all(|e| IpRating::parse(&e.min_ip).is_some()));
        assert!(k.environments.iter().all(|e| !e.label.zh_cn.is_empty()));
        assert_eq!(k.incoterms.len(), 11);
        assert_eq!(k.mains["DE"].voltages, [230.0]);
        assert_eq!(k.mains["AU"].plugs, ["I"]);
        assert!(
            !k.insist.is_empty(),
            "ip.toml: insist must come before the first table"
        );
        assert!(k.plug_fits("F", &k.mains["FR"].plugs));
        assert!(!k.plug_fits("G", &k.mains["FR"].plugs));
        assert!(k.plug_fits("I", &k.mains["AU"].plugs));
        assert_eq!(k.incoterm("fob").map(|t| t.sea_only), Some(true));
    }

    #[test]
    fn australia_requires_rcm_for_lighting_and_germany_ce() {
        let k = Knowledge::shipped();
        let au: Vec<_> = k
            .rules_for("AU", "lighting")
            .flat_map(|r| &r.required)
            .collect();
        assert!(au.iter().any(|c| *c == "RCM"), "{au:?}");
        let de: Vec<_> = k
            .rules_for("DE", "lighting")
            .flat_map(|r| &r.required)
            .collect();
        assert!(de.iter().any(|c| *c == "CE"));
        assert_eq!(k.category_of("LED flood light 100W"), "lighting");
        assert_eq!(k.category_of("wooden chair"), "other");
        let vocabulary = tradescout_core::concepts::Concepts::shipped();
        let of = |text: &str| {
            k.category_of_concepts(&vocabulary.specific(text))
                .map(str::to_string)
        };
        // Words in languages the category lists lack, through the concept vocabulary.
        assert_eq!(of("Wasserkocher").as_deref(), Some("electrical"));
        assert_eq!(of("friteuse sans huile").as_deref(), Some("electrical"));
        assert_eq!(of("Winkelschleifer").as_deref(), Some("electrical"));
        assert_eq!(of("прожекторы").as_deref(), Some("lighting"));
        assert_eq!(of("serviettes de bain"), None);
    }

    #[test]
    fn words_match_whole_and_chinese_as_substrings() {
        assert!(contains_word("lights under trees here", "under trees"));
        assert!(!contains_word("poolside", "pool"));
        assert!(contains_word("for our offices", "office"));
        assert!(contains_word("two car washes", "car wash"));
        assert!(!contains_word("parkside", "park"));
        assert!(contains_word("用于花园树下", "树下"));
    }
}
