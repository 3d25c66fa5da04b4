//! A phrase trie: finds which of many phrases (cue words, product words, titles) start at a
//! place in a text, case-insensitively.
//!
//! Every lexicon of the analysis is a few thousand to a few tens of thousands of phrases that
//! must stand at word starts. A trie walked only from the places a phrase may start is built
//! in a few milliseconds (a full Aho-Corasick automaton over the same phrases took hundreds,
//! paid by every command at start-up) and reads a text about as fast, since most places are
//! skipped and a walk stops at the first character no phrase continues with.
//!
//! Phrases and text are folded alike ([`fold_char`]): lower case where that keeps the
//! character's length in bytes, so positions found in a folded walk are positions in the
//! original text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const HANT_HANS: &str = include_str!("../data/hant_hans.txt");

/// Traditional → simplified Chinese characters (`data/hant_hans.txt`), both of one length in
/// UTF-8, so folding keeps byte offsets.
fn hant_hans() -> &'static HashMap<u64, char, BuildHasherDefault<EdgeHasher>> {
    static MAP: OnceLock<HashMap<u64, char, BuildHasherDefault<EdgeHasher>>> = OnceLock::new();
    MAP.get_or_init(|| {
        HANT_HANS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut chars = l.chars();
                let (t, tab, s) = (chars.next()?, chars.next()?, chars.next()?);
                (tab == '\t' && t.len_utf8() == s.len_utf8()).then_some((u64::from(t), s))
            })
            .collect()
    })
}

/// Lower case of one character when it has the same UTF-8 length, a traditional Chinese
/// character as its simplified form; the character otherwise.
#[inline]
pub fn fold_char(c: char) -> char {
    let n = c as u32;
    match n {
        0..=0x7F => c.to_ascii_lowercase(),
        // Latin-1 capitals (not ×), Cyrillic capitals: a fixed offset.
        0xC0..=0xDE if n != 0xD7 => char::from_u32(n + 0x20).unwrap_or(c),
        0x410..=0x42F => char::from_u32(n + 0x20).unwrap_or(c),
        0x400..=0x40F => char::from_u32(n + 0x50).unwrap_or(c),
        0xDF..=0xFF | 0x430..=0x45F => c,
        0x3400..=0x9FFF => hant_hans().get(&u64::from(c)).copied().unwrap_or(c),
        // Kana and Hangul have no case.
        0x3040..=0x33FF | 0xAC00..=0xD7AF => c,
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        }
    }
}

/// Whether `c` is a letter or digit, quickly for the common scripts.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    let n = c as u32;
    match n {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xC0..=0x24F => n != 0xD7 && n != 0xF7,
        0x400..=0x481 | 0x48A..=0x52F => true,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => true,
        _ => c.is_alphanumeric(),
    }
}

/// `char::is_alphabetic`, without the table search for the scripts inquiries are mostly
/// written in (Latin, Cyrillic, Chinese): the same answer for every character.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    let n = c as u32;
    match n {
        0..=0x7F => c.is_ascii_alphabetic(),
        0xC0..=0x24F => n != 0xD7 && n != 0xF7,
        0x400..=0x481 | 0x48A..=0x52F => true,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF => true,
        _ => c.is_alphabetic(),
    }
}

/// The first character of `c.to_lowercase()`, without the table search for Latin-1,
/// Cyrillic and Chinese: the same answer for every character.
#[inline]
pub fn lower_first(c: char) -> char {
    let n = c as u32;
    match n {
        0..=0x7F => c.to_ascii_lowercase(),
        0xC0..=0xDE if n != 0xD7 => char::from_u32(n + 0x20).unwrap_or(c),
        0xD7 | 0xDF..=0xFF | 0x430..=0x45F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF => c,
        0x410..=0x42F => char::from_u32(n + 0x20).unwrap_or(c),
        0x400..=0x40F => char::from_u32(n + 0x50).unwrap_or(c),
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// The character a trie compares: [`fold_char`], and typographic apostrophes (’ ‘ ʼ) as `'`,
/// a no-break space as a space — the forms mail clients and word processors put where
/// people typed the plain ones ("you’re", "l’offre", Outlook's "free\u{a0}samples"). The trie
/// walks characters and reports ends in the original text, so lengths may differ here.
#[inline]
pub fn fold_key(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
        '\u{00A0}' | '\u{202F}' => ' ',
        _ => fold_char(c),
    }
}

/// `text` folded character by character ([`fold_char`]); byte offsets are unchanged.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().map(fold_char).collect()
}

/// Multiplicative hash for the trie's `u64` edge keys.
#[derive(Default, Clone, Copy)]
struct EdgeHasher(u64);

impl Hasher for EdgeHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    /// A folded multiply: both the low bits (the table's bucket) and the high bits (its tag)
    /// depend on every bit of the key. A plain multiply would leave the low bits to the
    /// character alone and pile every node's edges for one character into one bucket run.
    #[inline]
    fn write_u64(&mut self, n: u64) {
        let full = u128::from(self.0 ^ n) * 0x9E37_79B9_7F4A_7C15_u128;
        self.0 = (full as u64) ^ ((full >> 64) as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Collects phrases; [`PhraseTrieBuilder::build`] lays them out for reading.
#[derive(Debug, Clone)]
pub struct PhraseTrieBuilder {
    /// (node << 21 | character) → child node. Node 0 is the root.
    edges: HashMap<u64, u32, BuildHasherDefault<EdgeHasher>>,
    /// Per node: id + 1 of the phrase ending there, 0 for none.
    ends: Vec<u32>,
    len: usize,
}

#[inline]
fn edge(node: u32, c: char) -> u64 {
    (u64::from(node) << 21) | u64::from(c)
}

impl Default for PhraseTrieBuilder {
    fn default() -> Self {
        PhraseTrieBuilder {
            edges: HashMap::default(),
            ends: vec![0],
            len: 0,
        }
    }
}

impl PhraseTrieBuilder {
    /// Adds a phrase (folded here) with its id; returns the id already held by an equal
    /// phrase, which is then kept. An empty phrase is not added.
    pub fn insert(&mut self, phrase: &str, id: u32) -> Option<u32> {
        if phrase.is_empty() || id == u32::MAX {
            return None;
        }
        let mut node = 0u32;
        for c in phrase.chars().map(fold_key) {
            let next = self.ends.len() as u32;
            node = *self.edges.entry(edge(node, c)).or_insert(next);
            if node == next {
                self.ends.push(0);
            }
        }
        let slot = self.ends.get_mut(node as usize)?;
        if *slot != 0 {
            return Some(*slot - 1);
        }
        *slot = id + 1;
        self.len += 1;
        None
    }

    /// The trie laid out breadth first, each node's children side by side and sorted, so the
    /// upper levels every walk passes through sit together in a few cache lines.
    pub fn build(self) -> PhraseTrie {
        let n = self.ends.len();
        // Children per node, by counting.
        let mut count = vec![0u32; n + 1];
        for &k in self.edges.keys() {
            if let Some(c) = count.get_mut((k >> 21) as usize) {
                *c += 1;
            }
        }
        let mut start = vec![0u32; n + 1];
        for i in 0..n {
            start[i + 1] = start[i] + count[i];
        }
        let mut fill = start.clone();
        let mut by_parent = vec![(0u32, 0u32); self.edges.len()];
        for (&k, &child) in &self.edges {
            let parent = (k >> 21) as usize;
            let c = (k & 0x1F_FFFF) as u32;
            if let Some(slot) = fill.get_mut(parent) {
                if let Some(e) = by_parent.get_mut(*slot as usize) {
                    *e = (c, child);
                }
                *slot += 1;
            }
        }
        // Breadth-first renumbering.
        let mut order: Vec<u32> = Vec::with_capacity(n);
        let mut new_id = vec![0u32; n];
        order.push(0);
        let mut head = 0;
        while let Some(&old) = order.get(head) {
            head += 1;
            let (a, b) = (
                start[old as usize] as usize,
                start[old as usize + 1] as usize,
            );
            let kids = &mut by_parent[a..b];
            kids.sort_unstable_by_key(|&(c, _)| c);
            for &(_, child) in kids.iter() {
                new_id[child as usize] = order.len() as u32;
                order.push(child);
            }
        }
        let mut nodes = Vec::with_capacity(order.len());
        let mut chars = Vec::with_capacity(by_parent.len());
        let mut targets = Vec::with_capacity(by_parent.len());
        for &old in &order {
            let (a, b) = (
                start[old as usize] as usize,
                start[old as usize + 1] as usize,
            );
            nodes.push(Node {
                first: chars.len() as u32,
                count: (b - a) as u32,
                end: self.ends.get(old as usize).copied().unwrap_or(0),
            });
            for &(c, child) in &by_parent[a..b] {
                chars.push(c);
                targets.push(new_id[child as usize]);
            }
        }
        let mut ascii_root = [0u32; 128];
        let mut other_root = HashMap::default();
        if let Some(root) = nodes.first() {
            for i in root.first as usize..(root.first + root.count) as usize {
                if let (Some(&c), Some(&t)) = (chars.get(i), targets.get(i)) {
                    match ascii_root.get_mut(c as usize) {
                        Some(slot) => *slot = t,
                        None => {
                            other_root.insert(u64::from(c), t);
                        }
                    }
                }
            }
        }
        PhraseTrie {
            nodes,
            chars,
            targets,
            ascii_root,
            other_root,
            len: self.len,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Index of the first child in `chars`/`targets`.
    first: u32,
    count: u32,
    /// Id + 1 of the phrase ending here, 0 for none.
    end: u32,
}

/// Phrases by their folded characters, each with a caller's id; built by
/// [`PhraseTrieBuilder`].
#[derive(Debug, Clone)]
pub struct PhraseTrie {
    nodes: Vec<Node>,
    /// Children's characters and nodes, per node side by side, sorted by character.
    chars: Vec<u32>,
    targets: Vec<u32>,
    /// The root's child for each ASCII character (0: none; the root is no one's child).
    ascii_root: [u32; 128],
    /// The root's other children: a Chinese lexicon's root has thousands, too many to search.
    other_root: HashMap<u64, u32, BuildHasherDefault<EdgeHasher>>,
    len: usize,
}

impl Default for PhraseTrie {
    fn default() -> Self {
        PhraseTrieBuilder::default().build()
    }
}

impl PhraseTrie {
    pub fn builder() -> PhraseTrieBuilder {
        PhraseTrieBuilder::default()
    }

    /// A trie of `phrases`, each phrase's id its position (a repeated phrase keeps the first).
    pub fn of<'a>(phrases: impl IntoIterator<Item = &'a str>) -> PhraseTrie {
        let mut b = PhraseTrie::builder();
        for (i, p) in phrases.into_iter().enumerate() {
            b.insert(p, i as u32);
        }
        b.build()
    }

    /// Number of distinct phrases.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn child(&self, node: u32, c: char) -> Option<u32> {
        if node == 0 {
            if c.is_ascii() {
                return self.ascii_root.get(c as usize).copied().filter(|&t| t != 0);
            }
            return self.other_root.get(&u64::from(c)).copied();
        }
        let n = self.nodes.get(node as usize)?;
        let (a, b) = (n.first as usize, (n.first + n.count) as usize);
        let chars = self.chars.get(a..b)?;
        let c = c as u32;
        let i = if chars.len() <= 8 {
            chars.iter().position(|&x| x == c)?
        } else {
            chars.binary_search(&c).ok()?
        };
        self.targets.get(a + i).copied()
    }

    #[inline]
    fn end_of(&self, node: u32) -> Option<u32> {
        self.nodes
            .get(node as usize)
            .and_then(|n| n.end.checked_sub(1))
    }

    /// The id of exactly this phrase, if present.
    pub fn get(&self, phrase: &str) -> Option<u32> {
        let mut node = 0u32;
        for c in phrase.chars().map(fold_key) {
            node = self.child(node, c)?;
        }
        self.end_of(node)
    }

    /// Calls `f(id, end)` for every phrase that starts at byte `at` of `text`, shortest first.
    pub fn each_at(&self, text: &str, at: usize, mut f: impl FnMut(u32, usize)) {
        let Some(rest) = text.get(at..) else {
            return;
        };
        let mut node = 0u32;
        for (i, c) in rest.char_indices() {
            match self.child(node, fold_key(c)) {
                Some(n) => node = n,
                None => return,
            }
            if let Some(id) = self.end_of(node) {
                f(id, at + i + c.len_utf8());
            }
        }
    }

    /// The longest phrase starting at byte `at` that `accept(id, end)` takes, as (id, end).
    /// `accept` is asked about every phrase found there, shortest first.
    pub fn longest_at(
        &self,
        text: &str,
        at: usize,
        mut accept: impl FnMut(u32, usize) -> bool,
    ) -> Option<(u32, usize)> {
        let mut best = None;
        self.each_at(text, at, |id, end| {
            if accept(id, end) {
                best = Some((id, end));
            }
        });
        best
    }

    /// Whether some phrase starts with this character (folded): a cheap test before a walk.
    #[inline]
    pub fn starts_with_char(&self, c: char) -> bool {
        self.child(0, fold_key(c)).is_some()
    }
}

/// Where a trie's phrases may start, given whether the characters before and at a place are
/// "inside a word" by the caller's measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Anywhere (scripts written without spaces, stems).
    Anywhere,
    /// Not right after a word character.
    AfterNonWord,
    /// Not between two word characters (a phrase that begins with a sign may follow a word).
    NotInsideWord,
}

/// Leftmost-longest, non-overlapping matches of the phrases of `tries` in `text`, as
/// (start, end, trie index, id). `inner(c)` says whether `c` is a word character for the
/// [`Start`] rules; `accept(trie, id, start, end)` decides each candidate (word ends, exact
/// case), and a refused phrase leaves the place to shorter ones. Lazy: taking the first match
/// reads only up to it.
pub fn find_iter<'a, 't, const N: usize, I, A>(
    text: &'t str,
    tries: [(&'a PhraseTrie, Start); N],
    inner: I,
    accept: A,
) -> FindIter<'a, 't, N, I, A>
where
    I: Fn(char) -> bool,
    A: FnMut(usize, u32, usize, usize) -> bool,
{
    FindIter {
        text,
        chars: text.char_indices(),
        tries,
        inner,
        accept,
        prev_inner: false,
        resume: 0,
    }
}

/// As [`find_iter`], collected.
pub fn find_all<const N: usize, I, A>(
    text: &str,
    tries: [(&PhraseTrie, Start); N],
    inner: I,
    accept: A,
) -> Vec<(usize, usize, usize, u32)>
where
    I: Fn(char) -> bool,
    A: FnMut(usize, u32, usize, usize) -> bool,
{
    find_iter(text, tries, inner, accept).collect()
}

/// The iterator of [`find_iter`].
pub struct FindIter<'a, 't, const N: usize, I, A> {
    text: &'t str,
    chars: std::str::CharIndices<'t>,
    tries: [(&'a PhraseTrie, Start); N],
    inner: I,
    accept: A,
    prev_inner: bool,
    resume: usize,
}

impl<const N: usize, I, A> Iterator for FindIter<'_, '_, N, I, A>
where
    I: Fn(char) -> bool,
    A: FnMut(usize, u32, usize, usize) -> bool,
{
    type Item = (usize, usize, usize, u32);

    fn next(&mut self) -> Option<Self::Item> {
        for (at, c) in self.chars.by_ref() {
            let this_inner = (self.inner)(c);
            let prev_inner = std::mem::replace(&mut self.prev_inner, this_inner);
            if at < self.resume {
                continue;
            }
            let mut best: Option<(usize, usize, u32)> = None;
            for (t, (trie, start)) in self.tries.iter().enumerate() {
                let may = match start {
                    Start::Anywhere => true,
                    Start::AfterNonWord => !prev_inner,
                    Start::NotInsideWord => !(prev_inner && this_inner),
                };
                if !may || !trie.starts_with_char(c) {
                    continue;
                }
                let accept = &mut self.accept;
                if let Some((id, end)) =
                    trie.longest_at(self.text, at, |id, end| accept(t, id, at, end))
                {
                    if best.is_none_or(|b| end > b.0) {
                        best = Some((end, t, id));
                    }
                }
            }
            if let Some((end, t, id)) = best {
                self.resume = end;
                return Some((at, end, t, id));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fast_alphabetic_and_lower_agree_with_the_standard_library() {
        for n in 0..0x11_0000u32 {
            if let Some(c) = char::from_u32(n) {
                assert_eq!(super::is_alphabetic(c), c.is_alphabetic(), "{n:#x}");
                let lower = c.to_lowercase().next().unwrap_or(c);
                assert_eq!(super::lower_first(c), lower, "{n:#x}");
                // Callers rely on İ being the only character lower-cased into two.
                assert!(c.to_lowercase().count() == 1 || c == '\u{130}', "{n:#x}");
            }
        }
    }

    use super::*;

    fn trie(phrases: &[&str]) -> PhraseTrie {
        PhraseTrie::of(phrases.iter().copied())
    }

    #[test]
    fn finds_the_longest_phrase_at_word_starts_case_insensitively() {
        let t = trie(&["price", "price list", "list", "Прайс"]);
        let text = "Send the PRICE LIST and a прайс; no pricelist.";
        let found = find_all(
            text,
            [(&t, Start::AfterNonWord)],
            is_alphanumeric,
            |_, _, _, end| !text[end..].starts_with(char::is_alphanumeric),
        );
        let words: Vec<&str> = found.iter().map(|&(s, e, _, _)| &text[s..e]).collect();
        assert_eq!(words, ["PRICE LIST", "прайс"]);
    }

    #[test]
    fn typographic_apostrophes_and_no_break_spaces_match_the_plain_ones() {
        let t = trie(&["you're on the market", "l'offre", "free samples"]);
        let text = "Glad you\u{2019}re on the market; l\u{2019}offre; free\u{a0}samples.";
        let found = find_all(
            text,
            [(&t, Start::AfterNonWord)],
            is_alphanumeric,
            |_, _, _, _| true,
        );
        let words: Vec<&str> = found.iter().map(|&(s, e, _, _)| &text[s..e]).collect();
        assert_eq!(
            words,
            [
                "you\u{2019}re on the market",
                "l\u{2019}offre",
                "free\u{a0}samples"
            ]
        );
    }

    #[test]
    fn a_refused_longer_phrase_leaves_the_place_to_a_shorter_one() {
        let t = trie(&["flood", "flood lights"]);
        let text = "flood lightset";
        let found = find_all(
            text,
            [(&t, Start::AfterNonWord)],
            is_alphanumeric,
            |_, _, _, end| !text[end..].starts_with(char::is_alphanumeric),
        );
        assert_eq!(found, vec![(0, 5, 0, 0)]);
    }

    #[test]
    fn phrases_without_word_starts_match_inside_runs() {
        let t = trie(&["价格", "价格表"]);
        let text = "请发价格表和价格";
        let found = find_all(
            text,
            [(&t, Start::Anywhere)],
            is_alphanumeric,
            |_, _, _, _| true,
        );
        let words: Vec<&str> = found.iter().map(|&(s, e, _, _)| &text[s..e]).collect();
        assert_eq!(words, ["价格表", "价格"]);
    }

    #[test]
    fn the_first_id_of_a_phrase_is_kept() {
        let mut b = PhraseTrie::builder();
        assert_eq!(b.insert("Kettle", 3), None);
        assert_eq!(b.insert("kettle", 7), Some(3));
        assert_eq!(b.insert("", 1), None);
        let t = b.build();
        assert_eq!(t.get("KETTLE"), Some(3));
        assert_eq!(t.get("kettl"), None);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn folding_keeps_byte_offsets() {
        let text = "ÄÖÜ İstanbul ΣΟΦΙΑ";
        assert_eq!(fold(text).len(), text.len());
        assert_eq!(fold("ÄÖÜ"), "äöü");
        for c in [
            'À', 'Ø', 'Þ', 'Ё', 'Ѐ', 'А', 'Я', 'Ā', 'Σ', 'Ա', 'Ｆ', '×', 'ß', 'ÿ', 'я',
        ] {
            let mut l = c.to_lowercase();
            let expected = match (l.next(), l.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            };
            assert_eq!(fold_char(c), expected, "{c}");
        }
        for c in ['é', 'ß', 'Ж', 'ї', '中', '한', 'Ā', 'ك'] {
            assert!(is_alphanumeric(c), "{c}");
        }
        for c in ['×', '÷', '。', ' ', '-', '҂'] {
            assert!(!is_alphanumeric(c), "{c}");
        }
    }

    #[test]
    fn traditional_chinese_reads_as_simplified() {
        let t = trie(&["报价", "信用证", "装运"]);
        let text = "請報價，信用證開出後裝運";
        let found = find_all(
            text,
            [(&t, Start::Anywhere)],
            is_alphanumeric,
            |_, _, _, _| true,
        );
        let words: Vec<&str> = found.iter().map(|&(s, e, _, _)| &text[s..e]).collect();
        assert_eq!(words, ["報價", "信用證", "裝運"]);
        assert_eq!(fold("報價單").len(), "報價單".len());
        assert!(hant_hans().len() > 500);
    }

    #[test]
    fn every_end_is_reported_at_a_place() {
        let t = trie(&["a", "ab", "abc"]);
        let mut ends = Vec::new();
        t.each_at("xabcd", 1, |id, end| ends.push((id, end)));
        assert_eq!(ends, vec![(0, 2), (1, 3), (2, 4)]);
    }
}
