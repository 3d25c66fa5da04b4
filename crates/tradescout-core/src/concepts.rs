//! Product concepts (`data/concepts.toml`): one kind of product each — an electric kettle, a
//! flood light, a bath towel — with the words buyers use for it in at least ten languages, its
//! product line and its HS subheading. Requests and catalogue rows map to concepts, so a
//! "Wasserkocher" request finds the "electric kettle" row and a solar-panel request finds that
//! a lighting catalogue has none.
//!
//! Words match case-insensitively; words in scripts written with spaces must stand on word
//! boundaries, Chinese and Japanese words match inside a run of characters.

use crate::phrases::{find_all, is_alphanumeric, PhraseTrie, Start};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const CONCEPTS_TOML: &str = include_str!("../data/concepts.toml");
/// Texts longer than this are read only up to here.
const MAX_BYTES: usize = 64 * 1024;

/// One product concept.
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    pub id: String,
    /// The product line (`lighting`, `home_appliances`, …).
    pub line: String,
    /// HS 2022 subheading, dotted (`8516.71`).
    pub hs: String,
    /// A broader concept, when there is one.
    pub parent: Option<String>,
    /// Words by language code; the first is the name shown.
    pub words: BTreeMap<String, Vec<String>>,
    /// The words name a trade or range ("lighting", "furniture"), not a thing one orders.
    pub trade: bool,
    /// Concepts that are parts of this one as it is sold (a solar street light's battery and
    /// solar panel): asked about next to it, they are no order of their own.
    pub parts: Vec<String>,
}

impl Concept {
    /// The concept's name in `lang` (ISO 639-1; `zh-CN` reads as `zh`), else in English.
    pub fn name(&self, lang: &str) -> &str {
        let code = lang.split(['-', '_']).next().unwrap_or(lang);
        self.words
            .get(code)
            .or_else(|| self.words.get("en"))
            .and_then(|w| w.first())
            .map_or(self.id.as_str(), String::as_str)
    }
}

#[derive(Deserialize)]
struct File {
    concept: Vec<toml::Table>,
}

/// An error in the concepts data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("data/concepts.toml: {0}")]
pub struct ConceptsError(pub String);

/// The compiled vocabulary.
pub struct Concepts {
    concepts: Vec<Concept>,
    index: BTreeMap<String, usize>,
    /// Per concept: some other concept names it as its parent.
    broad: Vec<bool>,
    /// Per concept: its parent's index, resolved once.
    parents: Vec<Option<usize>>,
    /// Words in scripts written with spaces (found at word starts only), and the others.
    bounded: PhraseTrie,
    free: PhraseTrie,
}

/// A concept found in a text, at `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub concept: usize,
    pub start: usize,
    pub end: usize,
}

fn unspaced(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

impl Concepts {
    /// Parses a concepts file.
    pub fn parse(text: &str) -> Result<Concepts, ConceptsError> {
        let file: File = toml::from_str(text).map_err(|e| ConceptsError(e.to_string()))?;
        let mut concepts = Vec::with_capacity(file.concept.len());
        for t in file.concept {
            let get = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let id = get("id").ok_or_else(|| ConceptsError("a concept has no id".into()))?;
            let line = get("line").ok_or_else(|| ConceptsError(format!("{id}: no line")))?;
            let hs = get("hs").unwrap_or_default();
            let parent = get("parent");
            let trade = t.get("trade").and_then(|v| v.as_bool()).unwrap_or(false);
            let parts = t
                .get("parts")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let mut words = BTreeMap::new();
            for (k, v) in &t {
                if let Some(list) = v.as_array().filter(|_| k.len() == 2) {
                    let list: Vec<String> = list
                        .iter()
                        .filter_map(|x| x.as_str())
                        .map(|x| x.trim().to_lowercase())
                        .filter(|x| !x.is_empty())
                        .collect();
                    words.insert(k.clone(), list);
                }
            }
            concepts.push(Concept {
                id,
                line,
                hs,
                parent,
                words,
                trade,
                parts,
            });
        }
        let mut index = BTreeMap::new();
        for (i, c) in concepts.iter().enumerate() {
            if index.insert(c.id.clone(), i).is_some() {
                return Err(ConceptsError(format!("{}: id used twice", c.id)));
            }
        }
        for c in &concepts {
            if let Some(p) = &c.parent {
                if !index.contains_key(p) {
                    return Err(ConceptsError(format!("{}: unknown parent {p}", c.id)));
                }
            }
            if let Some(p) = c.parts.iter().find(|p| !index.contains_key(p.as_str())) {
                return Err(ConceptsError(format!("{}: unknown part {p}", c.id)));
            }
        }
        let mut bounded = PhraseTrie::builder();
        let mut free = PhraseTrie::builder();
        for (i, c) in concepts.iter().enumerate() {
            for w in c.words.values().flatten() {
                // A word two concepts share stays with the first.
                if w.chars().any(unspaced) {
                    free.insert(w, i as u32);
                } else {
                    bounded.insert(w, i as u32);
                }
            }
        }
        let mut broad = vec![false; concepts.len()];
        for c in &concepts {
            if let Some(p) = c.parent.as_ref().and_then(|p| index.get(p)) {
                if let Some(b) = broad.get_mut(*p) {
                    *b = true;
                }
            }
        }
        let parents = concepts
            .iter()
            .map(|c| c.parent.as_ref().and_then(|p| index.get(p).copied()))
            .collect();
        Ok(Concepts {
            concepts,
            index,
            broad,
            parents,
            bounded: bounded.build(),
            free: free.build(),
        })
    }

    /// The shipped vocabulary (empty if the data file were unreadable, which a test rules out).
    pub fn shipped() -> &'static Concepts {
        static C: OnceLock<Concepts> = OnceLock::new();
        C.get_or_init(|| {
            Concepts::parse(CONCEPTS_TOML).unwrap_or(Concepts {
                concepts: Vec::new(),
                index: BTreeMap::new(),
                broad: Vec::new(),
                parents: Vec::new(),
                bounded: PhraseTrie::default(),
                free: PhraseTrie::default(),
            })
        })
    }

    pub fn all(&self) -> &[Concept] {
        &self.concepts
    }

    pub fn get(&self, i: usize) -> Option<&Concept> {
        self.concepts.get(i)
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The concept and its ancestors, nearest first.
    pub fn lineage(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        out.extend(self.ancestors(i));
        out
    }

    /// True when `i` is `kind` or descends from it ("flood light" is a kind of "lighting").
    /// Asks no allocation: matching asks it for every row of a large catalogue.
    pub fn is_a(&self, i: usize, kind: usize) -> bool {
        i == kind || self.ancestors(i).any(|a| a == kind)
    }

    /// The ancestors of `i`, nearest first; a cycle in the data ends the walk (at most eight).
    fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let mut at = i;
        let mut seen = 0;
        std::iter::from_fn(move || {
            let p = self.parents.get(at).copied().flatten()?;
            if p == i || seen >= 8 {
                return None;
            }
            seen += 1;
            at = p;
            Some(p)
        })
    }

    /// True when `part` is (a kind of) a part of `whole` or of one of its ancestors: the
    /// battery of a solar street light, the LiFePO4 battery of any solar light.
    pub fn is_part_of(&self, part: usize, whole: usize) -> bool {
        self.lineage(whole).into_iter().any(|w| {
            self.concepts.get(w).is_some_and(|c| {
                c.parts
                    .iter()
                    .filter_map(|p| self.by_id(p))
                    .any(|p| self.is_a(part, p))
            })
        })
    }

    /// True when `i` is a broad concept: the parent of another one.
    pub fn is_broad(&self, i: usize) -> bool {
        self.broad.get(i).copied().unwrap_or(false)
    }

    /// True when `i` names a trade or range ("lighting", "furniture") rather than a thing one
    /// orders (`trade = true` in the data).
    pub fn is_trade(&self, i: usize) -> bool {
        self.concepts.get(i).is_some_and(|c| c.trade)
    }

    /// Every concept word in `text`, leftmost-longest, in order.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut end = text.len().min(MAX_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let text = &text[..end];
        let tries = [
            (&self.bounded, Start::AfterNonWord),
            (&self.free, Start::Anywhere),
        ];
        let inner = |c: char| is_alphanumeric(c) && !unspaced(c);
        find_all(text, tries, inner, |t, _, start, end| {
            t == 1 || whole_word(text, start, end)
        })
        .into_iter()
        .map(|(start, end, _, concept)| Found {
            concept: concept as usize,
            start,
            end,
        })
        .collect()
    }

    /// The most specific concepts named in `text` (a concept whose descendant is also named is
    /// dropped: "LED flood light" is a flood light, not lighting in general).
    pub fn specific(&self, text: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self.find(text).iter().map(|f| f.concept).collect();
        found.sort_unstable();
        found.dedup();
        let keep: Vec<usize> = found
            .iter()
            .copied()
            .filter(|&c| !found.iter().any(|&o| o != c && self.is_a(o, c)))
            .collect();
        keep
    }

    /// The concept of an HS code (a catalogue's `hs_code` column): the concept whose
    /// subheading shares the most leading digits, at least six.
    pub fn by_hs(&self, hs: &str) -> Option<usize> {
        let digits: String = hs.chars().filter(char::is_ascii_digit).collect();
        if digits.len() < 6 {
            return None;
        }
        self.concepts
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                let d: String = c.hs.chars().filter(char::is_ascii_digit).collect();
                d.len() >= 6 && digits.starts_with(&d[..6])
            })
            .min_by_key(|(i, _)| self.is_broad(*i))
            .map(|(i, _)| i)
    }
}

fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let inner = |c: Option<char>| c.is_some_and(|c| is_alphanumeric(c) && !unspaced(c));
    // Korean glues its particles to the noun ("투광등을", "가로등의"): a word ending in
    // Hangul may be followed by more Hangul.
    let hangul = |c: char| matches!(c as u32, 0xAC00..=0xD7A3);
    let particle = text[..end].chars().next_back().is_some_and(hangul) && after.is_some_and(hangul);
    !inner(before) && (particle || !inner(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hold_for_the_children_of_the_whole() {
        let c = Concepts::shipped();
        let id = |s: &str| c.by_id(s).unwrap_or(usize::MAX);
        // A solar street light is a solar light, which is sold with its battery and panel.
        assert!(c.is_part_of(id("lithium_battery"), id("solar_street_light")));
        assert!(c.is_part_of(id("pv_module"), id("solar_street_light")));
        assert!(!c.is_part_of(id("lithium_battery"), id("flood_light")));
        assert!(!c.is_part_of(id("solar_street_light"), id("lithium_battery")));
        // An unknown part is an error in the data.
        let bad = "[[concept]]\nid = \"a\"\nline = \"x\"\nparts = [\"nope\"]\nen = [\"a\"]\n";
        assert!(Concepts::parse(bad).is_err());
    }

    #[test]
    fn shipped_vocabulary_parses_and_covers_fifteen_languages() {
        let c = Concepts::parse(CONCEPTS_TOML);
        assert!(c.is_ok(), "{:?}", c.err());
        let c = Concepts::shipped();
        assert!(c.all().len() >= 100, "{}", c.all().len());
        for k in c.all() {
            for lang in [
                "en", "zh", "es", "pt", "fr", "de", "ru", "ar", "tr", "it", "uk", "pl", "vi", "ja",
                "ko",
            ] {
                assert!(
                    k.words.get(lang).is_some_and(|w| !w.is_empty()),
                    "{} has no {lang} words",
                    k.id
                );
            }
        }
    }

    #[test]
    fn requests_in_many_languages_name_the_same_concept() {
        let c = Concepts::shipped();
        let kettle = c.by_id("electric_kettle");
        assert!(kettle.is_some());
        for text in [
            "Wir suchen 2000 Wasserkocher mit GS",
            "请报价电热水壶 1.7L，5000个",
            "Cotización de hervidor eléctrico 1.7 L",
            "Нужны электрочайники, 3000 шт",
            "Потрібні електрочайники, 3000 шт",
            "Potrzebujemy 400 czajników elektrycznych 1,7 l",
            "Cần báo giá 500 ấm đun nước điện 1,7 lít",
        ] {
            assert!(
                c.specific(text).iter().any(|&k| Some(k) == kettle),
                "{text}: {:?}",
                c.specific(text)
            );
        }
    }

    #[test]
    fn japanese_and_korean_requests_name_their_products() {
        let c = Concepts::shipped();
        assert_eq!(ids(c, "LED投光器を500台お見積りください"), ["flood_light"]);
        assert_eq!(ids(c, "가로등 300개 견적 부탁드립니다"), ["street_light"]);
        assert_eq!(ids(c, "電気ケトルを1000個"), ["electric_kettle"]);
    }

    /// The ids of the most specific concepts `text` names.
    fn ids(c: &Concepts, text: &str) -> Vec<String> {
        c.specific(text)
            .iter()
            .map(|&i| c.all()[i].id.clone())
            .collect()
    }

    #[test]
    fn a_korean_word_takes_its_particle() {
        let c = Concepts::parse(
            "[[concept]]\nid = \"flood_light\"\nline = \"lighting\"\nko = [\"투광등\"]\nen = [\"flood light\"]\n",
        )
        .map_err(|e| e.to_string());
        let Ok(c) = c else {
            panic!("the test vocabulary does not parse");
        };
        assert_eq!(c.specific("LED 투광등을 500개 주문하고 싶습니다"), vec![0]);
        assert_eq!(c.specific("floodlights"), Vec::<usize>::new());
    }

    #[test]
    fn words_stand_on_word_boundaries() {
        let c = Concepts::shipped();
        // "lamp" inside "clamp" is no lamp.
        let lighting = c.by_id("lighting_general");
        assert!(!c
            .specific("a pipe clamp")
            .iter()
            .any(|&k| Some(k) == lighting));
    }

    #[test]
    fn a_socket_wrench_set_is_a_tool_set_not_a_wall_socket() {
        let c = Concepts::shipped();
        let ids = |t: &str| ids(c, t);
        assert_eq!(
            ids("Socket wrench set 108 pcs"),
            vec!["tool_set".to_string()]
        );
        assert_eq!(
            ids("набор торцевых головок 94 предмета"),
            vec!["tool_set".to_string()]
        );
        assert_eq!(ids("wall socket 16A"), vec!["socket".to_string()]);
        // Trade words are marked as such; a kind with kinds under it is not.
        let trade = |id: &str| {
            c.all()
                .iter()
                .position(|x| x.id == id)
                .is_some_and(|i| c.is_trade(i))
        };
        assert!(trade("furniture_general") && trade("lighting_general"));
        assert!(!trade("chair") && !trade("door"));
        // Food is a line of its own; "fruits and vegetables" name the trade, not an order line.
        assert!(trade("produce_general") && !trade("fresh_fruit"));
        assert_eq!(ids("harina de trigo 000"), vec!["wheat_flour".to_string()]);
        assert_eq!(ids("50 т сахара"), vec!["sugar".to_string()]);
    }
}
