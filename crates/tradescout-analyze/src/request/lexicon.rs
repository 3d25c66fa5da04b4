//! The request vocabulary (`data/request.toml`), parsed once, and the phrase matcher every
//! lexicon of this crate's extractors uses.

use super::text::{glues, is_whole_word};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use tradescout_core::phrases::{find_iter, PhraseTrie, Start};

pub(crate) const REQUEST_TOML: &str = include_str!("../../data/request.toml");

#[derive(Debug, Deserialize, Default)]
pub(crate) struct RequestData {
    #[serde(default)]
    pub units: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub units_cjk: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub unit_compounds: UnitCompounds,
    #[serde(default)]
    pub size_measures: SizeMeasures,
    #[serde(default)]
    pub currencies: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub certification: Vec<CertificationEntry>,
    #[serde(default)]
    pub payment: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub incoterms: IncotermData,
    #[serde(default)]
    pub products: ProductData,
    #[serde(default)]
    pub specs: SpecData,
    #[serde(default)]
    pub months: BTreeMap<String, Vec<String>>,
    /// Abbreviated month names that may stand alone as a month ("by Dec."): those that are no
    /// word of their own in a buyer language ("mar" is the sea, "sept" is seven).
    #[serde(default)]
    pub month_alone_abbreviations: Vec<String>,
    #[serde(default)]
    pub deadline: DeadlineData,
    #[serde(default)]
    pub price: PriceData,
    #[serde(default)]
    pub numbers: NumberData,
    #[serde(default)]
    pub classifiers: ClassifierData,
    #[serde(default)]
    pub table: TableData,
    #[serde(default)]
    pub destination: DestinationData,
    #[serde(default)]
    pub quantity: QuantityData,
    #[serde(default)]
    pub quoted_history: QuotedHistoryData,
}

/// How a quote header that was not split off ends ("On … wrote:"); see `[quoted_history]`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct QuotedHistoryData {
    #[serde(default)]
    pub wrote: Vec<String>,
}

/// Words that label a count ("Quantity: 500", "数量：500") and qualifiers between the label and
/// the number ("approx.", "约"); see `[quantity]` in `data/request.toml`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct QuantityData {
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub qualifiers: Vec<String>,
}

/// The words that tell where the goods go; see `[destination]` in `data/request.toml`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct DestinationData {
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub label_fillers: Vec<String>,
    #[serde(default)]
    pub labels_cjk: Vec<String>,
    #[serde(default)]
    pub label_fillers_cjk: Vec<String>,
    #[serde(default)]
    pub sending: Vec<SendingWords>,
    #[serde(default)]
    pub sending_cjk: Vec<String>,
    #[serde(default)]
    pub port_words: Vec<String>,
    #[serde(default)]
    pub in_place: Vec<String>,
    #[serde(default)]
    pub in_place_cjk: Vec<String>,
    #[serde(default)]
    pub in_place_before_city: Vec<String>,
    #[serde(default)]
    pub not_ports: Vec<String>,
}

/// One language's verbs of sending and the words after them: "ship (them) to", "envío a".
#[derive(Debug, Deserialize, Default)]
pub(crate) struct SendingWords {
    #[serde(default)]
    pub verbs: Vec<String>,
    #[serde(default)]
    pub objects: Vec<String>,
    #[serde(default)]
    pub auxiliaries: Vec<String>,
    #[serde(default)]
    pub prepositions: Vec<String>,
    /// The place may follow the preposition without a space (Arabic "لدبي").
    #[serde(default)]
    pub glued: bool,
    /// Words that may stand between the preposition and the place ("ميناء", port).
    #[serde(default)]
    pub before_place: Vec<String>,
}

/// Column titles of order tables; see `[table]` in `data/request.toml`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct TableData {
    #[serde(default)]
    pub name: Vec<String>,
    /// Titles of a specification column, the description when no column is titled as one.
    #[serde(default)]
    pub specification: Vec<String>,
    #[serde(default)]
    pub item: Vec<String>,
    /// Titles of a size or colour column: with no description column, the goods are named
    /// by the line above the table and each row is one variant ("Size | Quantity").
    #[serde(default)]
    pub variant: Vec<String>,
    #[serde(default)]
    pub quantity: Vec<String>,
    #[serde(default)]
    pub unit: Vec<String>,
    #[serde(default)]
    pub unit_aliases: BTreeMap<String, String>,
    #[serde(default)]
    pub totals: Vec<String>,
    /// Titles of price columns, which a header of lined-up columns may also carry.
    #[serde(default)]
    pub price: Vec<String>,
    #[serde(default)]
    pub not_line_labels: Vec<String>,
    /// Garment sizes that label a list line on their own ("S: 200 pcs").
    #[serde(default)]
    pub sizes: Vec<String>,
}

/// Chinese classifiers that count nothing in some uses; see `[classifiers]`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct ClassifierData {
    #[serde(default)]
    pub not_units: Vec<String>,
}

/// Measures that give the size of each piece, not how many are ordered; see `[size_measures]`
/// in `data/request.toml`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct SizeMeasures {
    #[serde(default)]
    pub units: Vec<String>,
    /// Weights and volumes that, after a count of packs, size each pack.
    #[serde(default)]
    pub packed_units: Vec<String>,
    /// Units that count packs ("bags", "cartons", "containers").
    #[serde(default)]
    pub packs: Vec<String>,
    /// Links between a count of packs and the size of each ("of", "x").
    #[serde(default)]
    pub pack_links: Vec<String>,
    #[serde(default)]
    pub after_product: Vec<String>,
    #[serde(default)]
    pub before_capacity: Vec<String>,
}

/// Numbers written as words; see `[numbers]` in `data/request.toml`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct NumberData {
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub only_before_scale: Vec<String>,
    #[serde(default)]
    pub alone_scales: Vec<String>,
    #[serde(default)]
    pub kind_words: Vec<String>,
    /// Words after "mil" that make it a film thickness ("4 mil bags"), not a thousand.
    #[serde(default)]
    pub mil_thickness: Vec<String>,
    #[serde(default)]
    pub words: BTreeMap<String, f64>,
    #[serde(default)]
    pub scales: BTreeMap<String, f64>,
    #[serde(default)]
    pub cjk_digits: BTreeMap<String, f64>,
    #[serde(default)]
    pub cjk_scales: BTreeMap<String, f64>,
    /// Joins inside a number written as one word ("fünfundzwanzig").
    #[serde(default)]
    pub compound_links: Vec<String>,
    /// Number words that occur only inside such a word ("ein" in "einhundert").
    #[serde(default)]
    pub compound_parts: BTreeMap<String, f64>,
}

/// Words that say whose a price is; see `[price]` in `data/request.toml`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct PriceData {
    #[serde(default)]
    pub target: Vec<String>,
    #[serde(default)]
    pub budget: Vec<String>,
    #[serde(default)]
    pub total: Vec<String>,
    /// Money magnitudes after an amount ("milhão", "万") and their factors.
    #[serde(default)]
    pub scales: BTreeMap<String, f64>,
    /// From this amount up a plain amount is a total, per currency (`default` for others).
    #[serde(default)]
    pub total_at_least: BTreeMap<String, f64>,
    #[serde(default)]
    pub counter: Vec<String>,
    #[serde(default)]
    pub seller_quoted: Vec<String>,
}

/// Deadline cue words by what follows them; see `[deadline]` in `data/request.toml`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct DeadlineData {
    #[serde(default)]
    pub date: Vec<String>,
    /// Weekday names that may stand between a cue and its date ("le mercredi 28 février").
    #[serde(default)]
    pub weekdays: Vec<String>,
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub during: Vec<String>,
    #[serde(default)]
    pub within: Vec<String>,
    #[serde(default)]
    pub asap: Vec<String>,
    #[serde(default)]
    pub chinese_new_year: BTreeMap<String, String>,
    #[serde(default)]
    pub chinese_new_year_words: Vec<String>,
    #[serde(default)]
    pub span_units: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub span_units_cjk: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub span_classifiers_cjk: Vec<String>,
    #[serde(default)]
    pub span_closers_cjk: Vec<String>,
    #[serde(default)]
    pub span_payment_cjk: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct CertificationEntry {
    pub name: String,
    pub aliases: Vec<String>,
    #[serde(default)]
    pub exact_case: bool,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct IncotermData {
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

/// Singular English unit words that, before a noun, name a kind of product or its size.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct UnitCompounds {
    #[serde(default)]
    pub pieces: Vec<String>,
    #[serde(default)]
    pub size: Vec<String>,
    /// Words after the unit that keep it a unit ("bag of rice").
    #[serde(default)]
    pub links: Vec<String>,
    /// Unit words that, right after a product word, end its name ("pillow cases", "tea bags").
    #[serde(default)]
    pub tails: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct ProductData {
    #[serde(default)]
    pub heads: Vec<String>,
    #[serde(default)]
    pub name_stop_codes: Vec<String>,
    #[serde(default)]
    pub not_model_prefixes: Vec<String>,
    /// Words right before a code that make it a document's number ("PI BS-2026-0796").
    #[serde(default)]
    pub document_words: Vec<String>,
    /// Document words that count only with a number sign after them ("order no. AB-77").
    #[serde(default)]
    pub numbered_document_words: Vec<String>,
    /// Words before a product word that make it the packing ("packed in gunny bags").
    #[serde(default)]
    pub packing_cues: Vec<String>,
    /// Words before a product word that make it a part of the product before it ("with
    /// 1.5 m cable").
    #[serde(default)]
    pub accessory_cues: Vec<String>,
    /// Words that put a sentence in the past: the products in it were bought before
    /// ("last year the spike lights we bought rusted"), not asked for now.
    #[serde(default)]
    pub past_cues: Vec<String>,
    /// Words that give a reason: products named after them are the cause, not the order.
    #[serde(default)]
    pub reason_cues: Vec<String>,
    /// Words linking a product word to the one naming its purpose: one order line.
    #[serde(default)]
    pub purpose_links: Vec<String>,
    /// Words before a unit that make it the unit of a price ("per pc", "je Stück").
    #[serde(default)]
    pub per_words: Vec<String>,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub model_cues: Vec<String>,
    #[serde(default)]
    pub stop: Vec<String>,
    /// Words after a count that make it rough ("30 or so mugs", "200 o más sillas").
    #[serde(default)]
    pub rough_count_tails: Vec<String>,
    /// Piece words after which capitalised words name the goods, as German writes them
    /// ("14 Stk. PCR Analysegeräte").
    #[serde(default)]
    pub named_after_pieces: Vec<String>,
    /// Words after a count and its unit that introduce what is counted ("120 tons of …").
    #[serde(default)]
    pub counted_links: Vec<String>,
    /// Articles and determiners skipped at the start of what is counted ("of the …").
    #[serde(default)]
    pub counted_skip: Vec<String>,
    /// Words that name no product on their own ("the same goods", "the highest grade").
    #[serde(default)]
    pub counted_generic: Vec<String>,
    /// Chinese words that end what a classifier counts ("500辆自行车的报价": 的).
    #[serde(default)]
    pub counted_stop_cjk: Vec<String>,
    /// A particle after what a Chinese classifier counts that, closing the clause, makes the
    /// count describe another product ("台式洗碗机，6套餐具的": for six place settings).
    #[serde(default)]
    pub counted_attribute_cjk: Vec<String>,
    /// A brand mark that ends a brand before the product ("飞鸽牌自行车": 牌).
    #[serde(default)]
    pub brand_marks_cjk: Vec<String>,
    /// Japanese particles between the goods and their count ("LEDパネルライトを500台").
    #[serde(default)]
    pub japanese_count_particles: Vec<String>,
    /// Japanese runs before a count that name no goods ("数量は300個").
    #[serde(default)]
    pub japanese_not_names: Vec<String>,
    /// Words a bare number counts that are no goods ("30 days", "5 years", "20 people").
    #[serde(default)]
    pub not_counted: Vec<String>,
    /// Words after which the product's name follows when no product word is known
    /// ("a quotation for", "interested in", "the consignment of").
    #[serde(default)]
    pub name_after: Vec<String>,
    /// Words that follow the product's name ("… you shipped", "… must be replaced").
    #[serde(default)]
    pub name_before: Vec<String>,
    /// Phrases right after a product word that belong to its name: how it is powered
    /// ("уличных светильников на солнечных батареях", "lampadaires à énergie solaire").
    #[serde(default)]
    pub name_tails: Vec<String>,
    /// Words that link a Romance noun complement to a product word ("chaises de terrasse").
    #[serde(default)]
    pub complement_links: Vec<String>,
    /// Words after such a link that start no complement ("sillas de calidad", "… de nuestro").
    #[serde(default)]
    pub complement_not: Vec<String>,
    /// Words after a product word that make it a place ("cement plant", "paper mill").
    #[serde(default)]
    pub place_words: Vec<String>,
    /// Words after a place word that make it the maker's ("factory price", "factory direct").
    #[serde(default)]
    pub place_not_after: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct SpecData {
    #[serde(default)]
    pub thread_count: Vec<String>,
    #[serde(default)]
    pub materials: Vec<String>,
    #[serde(default)]
    pub colors: Vec<String>,
    #[serde(default)]
    pub plugs: BTreeMap<String, String>,
    /// Unit words after a number, by the spec they give; see `[specs.units]`.
    #[serde(default)]
    pub units: SpecUnits,
}

/// The unit words of the numeric specs (lower case), by spec.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct SpecUnits {
    #[serde(default)]
    pub power_w: Vec<String>,
    #[serde(default)]
    pub power_kw: Vec<String>,
    #[serde(default)]
    pub voltage: Vec<String>,
    #[serde(default)]
    pub lumens: Vec<String>,
    #[serde(default)]
    pub beam_angle: Vec<String>,
    #[serde(default)]
    pub frequency_hz: Vec<String>,
    /// Unit word → the unit written in the value ("литр" → "L", "mah" → "mAh").
    #[serde(default)]
    pub capacity: BTreeMap<String, String>,
    #[serde(default)]
    pub gsm: Vec<String>,
    /// Unit word → millimetres per unit.
    #[serde(default)]
    pub length_mm: BTreeMap<String, f64>,
    /// Unit word after the last side of a size → the unit written in the value.
    #[serde(default)]
    pub size: BTreeMap<String, String>,
    #[serde(default)]
    pub years: Vec<String>,
    /// Words near a count of years that make it a warranty.
    #[serde(default)]
    pub warranty_cues: Vec<String>,
}

/// The parsed `data/request.toml`; empty (nothing is found) if it failed to parse, which a
/// unit test rules out.
pub(crate) const NOT_PRODUCTS_TOML: &str = include_str!("../../data/not_products.toml");

/// Words that look like products but are packing, accessories, specs, places or document
/// headings (`data/not_products.toml`).
#[derive(Debug, Deserialize, Default)]
pub(crate) struct NotProducts {
    #[serde(default)]
    pub packing: Vec<String>,
    #[serde(default)]
    pub accessories: Vec<String>,
    #[serde(default)]
    pub specs: Vec<String>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub headings: Vec<String>,
}

impl NotProducts {
    pub(crate) fn all(&self) -> impl Iterator<Item = &String> {
        self.packing
            .iter()
            .chain(&self.accessories)
            .chain(&self.specs)
            .chain(&self.places)
            .chain(&self.headings)
    }
}

pub(crate) fn not_products() -> &'static NotProducts {
    static DATA: OnceLock<NotProducts> = OnceLock::new();
    DATA.get_or_init(|| toml::from_str(NOT_PRODUCTS_TOML).unwrap_or_default())
}

pub(crate) fn request_data() -> &'static RequestData {
    static DATA: OnceLock<RequestData> = OnceLock::new();
    DATA.get_or_init(|| toml::from_str(REQUEST_TOML).unwrap_or_default())
}

/// A set of phrases, each standing for one or more values, found as whole words,
/// case-insensitively unless a phrase asks for its exact case. Phrases equal up to case share
/// one entry, so "BIS" (a certification, exact) and "bis" (German "until") are both seen where
/// either is written.
pub(crate) struct PhraseSet<V> {
    trie: PhraseTrie,
    /// Per phrase id: (exact spelling required, value).
    values: Vec<Vec<(Option<String>, V)>>,
}

impl<V: Clone> PhraseSet<V> {
    /// `entries`: (phrase, value, exact case).
    pub(crate) fn new(entries: impl IntoIterator<Item = (String, V, bool)>) -> Self {
        let mut trie = PhraseTrie::builder();
        let mut values: Vec<Vec<(Option<String>, V)>> = Vec::new();
        for (phrase, value, exact) in entries {
            let phrase = phrase.trim();
            if phrase.is_empty() {
                continue;
            }
            let exact = exact.then(|| phrase.to_string());
            let id = values.len() as u32;
            let slot = match trie.insert(phrase, id) {
                Some(existing) => existing as usize,
                None => {
                    values.push(Vec::new());
                    id as usize
                }
            };
            if let Some(v) = values.get_mut(slot) {
                v.push((exact, value));
            }
        }
        PhraseSet {
            trie: trie.build(),
            values,
        }
    }

    /// Whether the phrase `id`, found at `start..end` of `text`, stands as a whole word and
    /// one of its values takes that spelling.
    fn fits(&self, text: &str, id: u32, start: usize, end: usize) -> bool {
        let found = text.get(start..end).unwrap_or("");
        is_whole_word(text, start, end)
            && self.values.get(id as usize).is_some_and(|vs| {
                vs.iter()
                    .any(|(exact, _)| exact.as_deref().is_none_or(|x| x == found))
            })
    }

    fn values_for<'s, 'f>(
        &'s self,
        id: u32,
        found: &'f str,
    ) -> impl Iterator<Item = &'s V> + use<'s, 'f, V> {
        self.values
            .get(id as usize)
            .into_iter()
            .flatten()
            .filter(move |(exact, _)| exact.as_deref().is_none_or(|x| x == found))
            .map(|(_, v)| v)
    }

    /// Whole-word matches in `text`, leftmost-longest, as (start, end, value); a match that
    /// stands for several values yields each.
    pub(crate) fn find_iter<'s, 't>(
        &'s self,
        text: &'t str,
    ) -> impl Iterator<Item = (usize, usize, &'s V)> + use<'s, 't, V> {
        let found = find_iter(
            text,
            [(&self.trie, Start::NotInsideWord)],
            glues,
            |_, id, s, e| self.fits(text, id, s, e),
        );
        found.flat_map(move |(s, e, _, id)| {
            self.values_for(id, text.get(s..e).unwrap_or(""))
                .map(move |v| (s, e, v))
        })
    }

    /// The first value of the longest match that starts exactly at `at`, if any.
    pub(crate) fn match_at<'a>(&'a self, text: &'a str, at: usize) -> Option<(usize, &'a V)> {
        let (id, end) = self
            .trie
            .longest_at(text, at, |id, end| self.fits(text, id, at, end))?;
        let v = self.values_for(id, text.get(at..end)?).next()?;
        Some((end, v))
    }
}

/// The regex alternation of `phrases`, longest first, escaped; a space in a phrase stands for
/// any one whitespace character ("port of discharge" across a line break).
pub(crate) fn alternation<'a>(phrases: impl IntoIterator<Item = &'a String>) -> String {
    let mut list: Vec<&String> = phrases
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect();
    list.sort_by_key(|p| std::cmp::Reverse(p.len()));
    list.dedup();
    list.iter()
        .map(|p| regex::escape(p.trim()).replace(' ', r"\s"))
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_products_data_parses() {
        let data: Result<NotProducts, _> = toml::from_str(NOT_PRODUCTS_TOML);
        let data = data.unwrap_or_else(|e| panic!("data/not_products.toml: {e}"));
        assert!(data.packing.iter().any(|w| w == "gunny bag"));
        assert!(data.headings.iter().any(|w| w == "termo de referência"));
    }

    #[test]
    fn request_data_parses_and_is_complete() {
        let data: Result<RequestData, _> = toml::from_str(REQUEST_TOML);
        let data = data.unwrap_or_else(|e| panic!("data/request.toml: {e}"));
        assert!(data.units.contains_key("pcs") && data.units.contains_key("40HQ"));
        assert!(data.currencies.contains_key("USD"));
        assert!(data.certification.iter().any(|c| c.name == "CE"));
        assert_eq!(data.incoterms.codes.len(), 11);
        assert!(!data.products.heads.is_empty());
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let set = PhraseSet::new([
            ("ce".to_string(), 1, false),
            ("германия".to_string(), 2, false),
        ]);
        let hits: Vec<_> = set
            .find_iter("price CE Германия")
            .map(|(_, _, v)| *v)
            .collect();
        assert_eq!(hits, vec![1, 2]);
    }
}
