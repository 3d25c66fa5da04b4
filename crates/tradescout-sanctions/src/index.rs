//! The screener: every name and alias of the loaded lists normalised once and indexed by word,
//! by word trigram, by consonant skeleton and by first letter and length, so one name is
//! scored only against the few list names that could reach the threshold.

use crate::countries::country_code;
use crate::entry::{Entry, EntryKind, SanctionsList};
use crate::normalize::{Normalizer, Token};
use crate::settings::MatchSettings;
use crate::similarity::{
    combine, consonants, score_tokens, token_similarity, vowelless, LetterCounts, WordShape,
};
use crate::text::clip;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

/// Candidate names scored exactly per screening, at most; the best-covered are kept.
const MAX_CANDIDATES: usize = 5_000;
/// How far under the threshold a quick score may be and still be scored in full (joining
/// split list words can raise a score by about this much).
const QUICK_SLACK: f64 = 0.12;
/// Words this short are also looked up by first letter and length (trigrams say little).
const SHORT_WORD: usize = 4;

/// One list as screened: what the report's `screened_lists` shows.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListSummary {
    pub name: String,
    pub source: String,
    pub entries: usize,
    pub skipped: usize,
    pub warnings: Vec<String>,
}

/// What to screen with.
#[derive(Debug, Clone)]
pub struct ScreenOptions {
    /// ISO 3166-1 alpha-2 code (or a country name) of the screened party.
    pub country: Option<String>,
    /// Overrides the settings' threshold.
    pub threshold: Option<f64>,
    /// Most hits returned, best first.
    pub limit: usize,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            country: None,
            threshold: None,
            limit: 20,
        }
    }
}

/// How far a hit can be trusted.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HitStatus {
    /// The name is alike enough, and nothing says it is a different party.
    Match,
    /// Alike in name only, where the name alone says little (see `reason`).
    Possible,
}

/// Why a hit is only possible.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PossibleReason {
    /// A person whose every name is very common ("Maria Lopez", "Hassan Khan"), with no
    /// second fact (the screened party's country among the entry's) to tell them apart.
    CommonName,
}

/// A list entry whose name or alias is alike enough to the screened name.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// The list name or alias that matched.
    pub name: String,
    /// `ofac_sdn`, `un_consolidated` or the OpenSanctions dataset.
    pub list: String,
    /// 0–1, after the country adjustment.
    pub score: f64,
    pub entry_id: String,
    /// The entry's primary name (the same as `name` when that matched).
    pub primary_name: String,
    pub kind: EntryKind,
    pub countries: Vec<String>,
    pub programs: Vec<String>,
    pub status: HitStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<PossibleReason>,
}

/// Lists indexed for screening. Build once, screen many names; shareable across threads.
#[derive(Debug)]
pub struct Screener {
    settings: MatchSettings,
    normalizer: Normalizer,
    lists: Vec<ListSummary>,
    entries: Vec<Entry>,
    names: Vec<NameRecord>,
    words: Vec<Word>,
    /// The text of every word, one after another; word `i` is
    /// `word_text[word_starts[i]..word_starts[i + 1]]`.
    word_text: String,
    word_starts: Vec<u32>,
    /// Each word's [`WordShape`], by word number.
    shapes: Vec<WordShape>,
    word_ids: HashMap<Box<str>, u32>,
    trigrams: HashMap<[u8; 3], Vec<u32>>,
    skeletons: HashMap<Box<str>, Vec<u32>>,
    /// (first byte, length) → words, for short words.
    by_start: HashMap<(u8, usize), Vec<u32>>,
}

#[derive(Debug)]
struct NameRecord {
    entry: u32,
    /// 0 for the primary name, n for the n-th alias.
    which: u32,
    words: Box<[u32]>,
}

/// A name in a word's postings, with what the quick score needs of it: read in order from
/// the postings, not looked up at random in the name table (which does not fit in cache).
#[derive(Debug, Clone, Copy)]
struct Posting {
    name: u32,
    /// The summed weight of the name's words.
    weight: f32,
    /// The entry is a person (see [`Screener::is_person`]).
    person: bool,
}

/// A list name reached through one lookup word.
struct Found {
    name: u32,
    lookup: u16,
    person: bool,
    word: u32,
    sim: f32,
    /// The list word's weight.
    word_weight: f32,
    /// The list name's weight.
    name_weight: f32,
}

#[derive(Debug)]
struct Word {
    weight: f64,
    names: Vec<Posting>,
}

impl Screener {
    /// Indexes every name and alias of `lists`.
    pub fn new(lists: Vec<SanctionsList>, settings: MatchSettings) -> Screener {
        let normalizer = Normalizer::new(&settings);
        let mut s = Screener {
            settings,
            normalizer,
            lists: Vec::new(),
            entries: Vec::new(),
            names: Vec::new(),
            words: Vec::new(),
            word_text: String::new(),
            word_starts: vec![0],
            shapes: Vec::new(),
            word_ids: HashMap::new(),
            trigrams: HashMap::new(),
            skeletons: HashMap::new(),
            by_start: HashMap::new(),
        };
        for list in lists {
            s.lists.push(ListSummary {
                name: list.name,
                source: list.source,
                entries: list.entries.len(),
                skipped: list.skipped,
                warnings: list.warnings,
            });
            for entry in list.entries {
                s.add_entry(entry);
            }
        }
        s
    }

    /// The lists screened against, with their entry counts.
    pub fn lists(&self) -> &[ListSummary] {
        &self.lists
    }

    /// All entries of all lists.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn add_entry(&mut self, entry: Entry) {
        let Ok(entry_no) = u32::try_from(self.entries.len()) else {
            return;
        };
        let mut seen: Vec<Vec<u32>> = Vec::new();
        for (which, name) in entry.names().enumerate() {
            let tokens = self.normalizer.tokens(name);
            if tokens.is_empty() {
                continue;
            }
            let ids: Vec<u32> = tokens.iter().filter_map(|t| self.word_id(t)).collect();
            if ids.is_empty() || seen.contains(&ids) {
                continue;
            }
            let Ok(name_no) = u32::try_from(self.names.len()) else {
                return;
            };
            let posting = Posting {
                name: name_no,
                weight: tokens.iter().map(|t| t.weight).sum::<f64>() as f32,
                person: entry.kind == EntryKind::Person,
            };
            for &id in &ids {
                let postings = &mut self.words[id as usize].names;
                if postings.last().map(|p| p.name) != Some(name_no) {
                    postings.push(posting);
                }
            }
            self.names.push(NameRecord {
                entry: entry_no,
                which: u32::try_from(which).unwrap_or(u32::MAX),
                words: ids.clone().into_boxed_slice(),
            });
            seen.push(ids);
        }
        self.entries.push(entry);
    }

    fn word_id(&mut self, token: &Token) -> Option<u32> {
        if let Some(&id) = self.word_ids.get(token.text.as_str()) {
            return Some(id);
        }
        let id = u32::try_from(self.words.len()).ok()?;
        let end = u32::try_from(self.word_text.len() + token.text.len()).ok()?;
        let text: Box<str> = token.text.as_str().into();
        for key in trigrams(&text) {
            self.trigrams.entry(key).or_default().push(id);
        }
        let skeleton = consonants(&text);
        if skeleton.len() >= 2 {
            self.skeletons
                .entry(skeleton.into_boxed_str())
                .or_default()
                .push(id);
        }
        if let Some(&first) = text.as_bytes().first() {
            if text.len() <= SHORT_WORD + 1 {
                self.by_start
                    .entry((first, text.len()))
                    .or_default()
                    .push(id);
            }
        }
        self.shapes.push(WordShape::new(&text));
        self.word_text.push_str(&text);
        self.word_starts.push(end);
        self.word_ids.insert(text, id);
        self.words.push(Word {
            weight: token.weight,
            names: Vec::new(),
        });
        Some(id)
    }

    /// The text of indexed word `id`.
    fn word(&self, id: u32) -> &str {
        let id = id as usize;
        match (self.word_starts.get(id), self.word_starts.get(id + 1)) {
            (Some(&from), Some(&to)) => self.word_text.get(from as usize..to as usize),
            _ => None,
        }
        .unwrap_or("")
    }

    /// Screens one name: the entries whose name or an alias scores at or above the threshold,
    /// one hit per entry (its best name), best first.
    pub fn screen(&self, name: &str, options: &ScreenOptions) -> Vec<Hit> {
        let query = self.normalizer.tokens(&clip(name));
        if query.is_empty() || self.names.is_empty() {
            return Vec::new();
        }
        let threshold = options
            .threshold
            .unwrap_or(self.settings.threshold)
            .clamp(0.0, 1.0);
        let country = options.country.as_deref().and_then(country_code);
        let candidates = self.candidates(&query, threshold);
        let mut best: HashMap<u32, (f64, u32)> = HashMap::new();
        for name_no in candidates {
            let record = &self.names[name_no as usize];
            let tokens: Vec<Token> = record
                .words
                .iter()
                .map(|&w| Token {
                    text: self.word(w).to_string(),
                    weight: self.words[w as usize].weight,
                })
                .collect();
            let raw = score_tokens(
                &query,
                &tokens,
                &self.settings,
                self.is_person(record.entry),
            );
            let score = self.adjust_for_country(raw, record.entry, country.as_deref());
            if score < threshold {
                continue;
            }
            let slot = best.entry(record.entry).or_insert((score, name_no));
            if score > slot.0 {
                *slot = (score, name_no);
            }
        }
        // A person's name made only of very common names needs a second fact.
        let full: Vec<&Token> = query.iter().filter(|t| t.weight >= 1.0).collect();
        let common =
            !full.is_empty() && full.iter().all(|t| self.normalizer.is_common_name(&t.text));
        let mut hits: Vec<Hit> = best
            .into_values()
            .map(|(score, name_no)| {
                let mut hit = self.hit(score, name_no);
                let second_fact = country
                    .as_deref()
                    .is_some_and(|c| hit.countries.iter().any(|x| x == c));
                if common && hit.kind == EntryKind::Person && !second_fact {
                    hit.status = HitStatus::Possible;
                    hit.reason = Some(PossibleReason::CommonName);
                }
                hit
            })
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.list.cmp(&b.list))
                .then_with(|| a.entry_id.cmp(&b.entry_id))
        });
        hits.truncate(options.limit);
        hits
    }

    /// People's names may match in part (a missing patronymic); companies' names may not.
    fn is_person(&self, entry: u32) -> bool {
        self.entries
            .get(entry as usize)
            .is_some_and(|e| e.kind == EntryKind::Person)
    }

    fn adjust_for_country(&self, score: f64, entry: u32, country: Option<&str>) -> f64 {
        let (Some(country), Some(entry)) = (country, self.entries.get(entry as usize)) else {
            return score;
        };
        if entry.countries.is_empty() {
            score
        } else if entry.countries.iter().any(|c| c == country) {
            (score + self.settings.country_match_bonus).min(1.0)
        } else {
            (score - self.settings.country_mismatch_penalty).max(0.0)
        }
    }

    fn hit(&self, score: f64, name_no: u32) -> Hit {
        let record = &self.names[name_no as usize];
        let entry = &self.entries[record.entry as usize];
        let name = entry
            .names()
            .nth(record.which as usize)
            .unwrap_or(&entry.name)
            .to_string();
        Hit {
            name,
            list: entry.list.clone(),
            score,
            entry_id: entry.id.clone(),
            primary_name: entry.name.clone(),
            kind: entry.kind,
            countries: entry.countries.clone(),
            programs: entry.programs.clone(),
            status: HitStatus::Match,
            reason: None,
        }
    }

    /// Names that may reach `threshold`, from a quick score: query and list words paired
    /// through the similarities found in the index, without re-comparing any text. Only names
    /// whose quick score comes near the threshold are scored in full (which also joins split
    /// words on the list side).
    fn candidates(&self, query: &[Token], threshold: f64) -> Vec<u32> {
        // Each lookup is a query word, or two neighbours joined ("hua wei" → "huawei").
        let mut lookups: Vec<(String, usize, usize)> = query
            .iter()
            .enumerate()
            .map(|(i, t)| (t.text.clone(), i, i))
            .collect();
        for i in 0..query.len().saturating_sub(1) {
            lookups.push((format!("{}{}", query[i].text, query[i + 1].text), i, i + 1));
        }
        // The Arabic article written joined ("alolabi") is its own word on the list
        // ("AL-OLABI"): the rest is looked up too (the full score joins them again).
        for (i, t) in query.iter().enumerate() {
            let rest = t
                .text
                .strip_prefix("al")
                .or_else(|| t.text.strip_prefix("el"));
            if let Some(rest) = rest.filter(|r| r.len() >= 3) {
                lookups.push((rest.to_string(), i, i));
            }
        }
        let mut found: Vec<Found> = Vec::new();
        for (k, (word, _, _)) in lookups.iter().enumerate() {
            let k = u16::try_from(k).unwrap_or(u16::MAX);
            for (w, sim) in self.alike_words(word) {
                let word = &self.words[w as usize];
                let word_weight = word.weight as f32;
                found.extend(word.names.iter().map(|p| Found {
                    name: p.name,
                    lookup: k,
                    person: p.person,
                    word: w,
                    sim: sim as f32,
                    word_weight,
                    name_weight: p.weight,
                }));
            }
        }
        found.sort_unstable_by(|a, b| a.name.cmp(&b.name).then(b.sim.total_cmp(&a.sim)));
        let query_weight: f64 = query.iter().map(|t| t.weight).sum();
        let needed = threshold - self.settings.country_match_bonus - QUICK_SLACK;
        let mut q_used = vec![false; query.len()];
        let mut w_used: Vec<u32> = Vec::new();
        let mut scored: Vec<(u32, f64)> = Vec::new();
        for group in found.chunk_by(|a, b| a.name == b.name) {
            let name = group[0].name;
            q_used.iter_mut().for_each(|u| *u = false);
            w_used.clear();
            let (mut matched_q, mut matched_c, mut full_words) = (0.0, 0.0, 0);
            let mut merged_away = 0.0;
            for f in group {
                let Some((_, from, to)) = lookups.get(f.lookup as usize) else {
                    continue;
                };
                let (from, to) = (*from, *to);
                if q_used[from..=to].iter().any(|u| *u) {
                    continue;
                }
                // A list word pairs once for each time the name holds it ("gomez gomez").
                let uses = w_used.iter().filter(|&&w| w == f.word).count();
                if uses > 0 && uses >= self.occurrences(name, f.word) {
                    continue;
                }
                q_used[from..=to].iter_mut().for_each(|u| *u = true);
                w_used.push(f.word);
                let sim = f64::from(f.sim);
                let wq = query[from..=to]
                    .iter()
                    .map(|t| t.weight)
                    .fold(0.0, f64::max);
                merged_away += query[from..=to].iter().map(|t| t.weight).sum::<f64>() - wq;
                let wc = f64::from(f.word_weight);
                matched_q += sim * wq;
                matched_c += sim * wc;
                if wq >= 1.0 && wc >= 1.0 {
                    full_words += 1;
                }
            }
            if !group[0].person {
                full_words = 0;
            }
            let quick = combine(
                matched_q,
                matched_c,
                query_weight - merged_away,
                f64::from(group[0].name_weight),
                full_words,
                &self.settings,
            );
            if quick >= needed {
                scored.push((name, quick));
            }
        }
        if scored.len() > MAX_CANDIDATES {
            scored.sort_by(|a, b| b.1.total_cmp(&a.1));
            scored.truncate(MAX_CANDIDATES);
        }
        scored.into_iter().map(|(name, _)| name).collect()
    }

    /// How many times list name `name` holds word `word`.
    fn occurrences(&self, name: u32, word: u32) -> usize {
        self.names
            .get(name as usize)
            .map_or(0, |n| n.words.iter().filter(|&&w| w == word).count())
    }

    /// Indexed words alike to `word` (at or above the token floor), with their similarity.
    fn alike_words(&self, word: &str) -> Vec<(u32, f64)> {
        let mut pool: Vec<u32> = Vec::new();
        if let Some(&id) = self.word_ids.get(word) {
            pool.push(id);
        }
        let skeleton = consonants(word);
        // Words of the same outline (their ids ascending, as indexed) may be transliterations,
        // which score above what the
        // letter bounds below say: they are never rejected by those.
        let mut same_outline: &[u32] = &[];
        if skeleton.len() >= 2 {
            if let Some(ids) = self.skeletons.get(skeleton.as_str()) {
                pool.extend_from_slice(ids);
                same_outline = ids;
            }
        }
        // One letter more than the short words themselves: "azeez" reaches "aziz", whose
        // outline is one letter and whose trigrams it barely shares.
        if word.len() <= SHORT_WORD + 1 {
            if let Some(&first) = word.as_bytes().first() {
                for len in word.len().saturating_sub(1)..=word.len() + 1 {
                    if let Some(ids) = self.by_start.get(&(first, len)) {
                        pool.extend_from_slice(ids);
                    }
                }
            }
        }
        self.trigram_neighbours(word, &mut pool);
        pool.sort_unstable();
        pool.dedup();
        let letters = LetterCounts::new(word);
        let word_vowelless = vowelless(word);
        let plain = word.len() >= 2 && !word_vowelless;
        let floor = self.settings.token_floor;
        pool.into_iter()
            .filter_map(|id| {
                let shape = self.shapes.get(id as usize).copied().unwrap_or_default();
                let len = usize::from(shape.len);
                // Jaro-Winkler cannot reach the floor across a much longer word.
                // (Vowelless transliterations are shorter: they are compared by consonants.)
                let near = len.abs_diff(word.len()) <= 3.max(word.len().min(len) / 2);
                if !near && !word_vowelless && !shape.vowelless {
                    return None;
                }
                if same_outline.binary_search(&id).is_ok() {
                    let sim = token_similarity(word, self.word(id), &self.settings);
                    return (sim >= self.settings.token_floor).then_some((id, sim));
                }
                // Nor with too few letters in common, where Jaro-Winkler alone decides: both
                // words of two or more letters, with vowels. The shape says so without reading
                // the word; the word's letter counts say so more often.
                let jaro_alone = plain && len >= 2 && !shape.vowelless;
                if jaro_alone && letters.shape_bound(&shape) < floor {
                    return None;
                }
                let other = self.word(id);
                if jaro_alone && letters.jaro_winkler_bound(word, other) < floor {
                    return None;
                }
                let sim = token_similarity(word, other, &self.settings);
                (sim >= self.settings.token_floor).then_some((id, sim))
            })
            .collect()
    }

    /// Adds the words sharing enough trigrams with `word` to `pool`.
    fn trigram_neighbours(&self, word: &str, pool: &mut Vec<u32>) {
        // Trigrams shared by a large part of the vocabulary ("$al", "ing") say little and cost
        // much; they are left out, and the share needed is taken of the rest.
        let common = (self.words.len() / 20).max(1_000);
        let keys: Vec<&Vec<u32>> = trigrams(word)
            .filter_map(|key| self.trigrams.get(&key))
            .filter(|ids| ids.len() <= common)
            .collect();
        if keys.is_empty() {
            return;
        }
        let needed = if word.len() <= SHORT_WORD {
            keys.len().min(2)
        } else {
            (keys.len() * 3).div_ceil(10).max(2)
        };
        thread_local! {
            static COUNTS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        COUNTS.with(|counts| {
            let mut counts = counts.borrow_mut();
            if counts.len() < self.words.len() {
                counts.resize(self.words.len(), 0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for ids in keys {
                for &id in ids {
                    let c = &mut counts[id as usize];
                    if *c == 0 {
                        touched.push(id);
                    }
                    *c = c.saturating_add(1);
                }
            }
            for id in touched {
                let c = &mut counts[id as usize];
                if usize::from(*c) >= needed {
                    pool.push(id);
                }
                *c = 0;
            }
        });
    }
}

/// The trigrams of a word padded with `$` at both ends ("ali" → `$al`, `ali`, `li$`).
fn trigrams(word: &str) -> impl Iterator<Item = [u8; 3]> + '_ {
    let bytes = word.as_bytes();
    let n = bytes.len();
    let at = move |i: usize| -> u8 {
        if i == 0 || i > n {
            b'$'
        } else {
            bytes[i - 1]
        }
    };
    (0..n).map(move |i| [at(i), at(i + 1), at(i + 2)])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn trigrams_are_padded() {
        let t: Vec<[u8; 3]> = trigrams("ali").collect();
        assert_eq!(t, [*b"$al", *b"ali", *b"li$"]);
        assert_eq!(trigrams("a").collect::<Vec<_>>(), [*b"$a$"]);
        assert_eq!(trigrams("").count(), 0);
    }
}
