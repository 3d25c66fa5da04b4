//! Names to comparable tokens: Unicode NFKC, lower case, transliteration to ASCII, punctuation
//! and legal-form words removed, particles and generic words weighed down.

use crate::settings::{shipped_settings, MatchSettings};
use any_ascii::any_ascii_char;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// One word of a normalised name with the weight it carries in scoring.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub text: String,
    pub weight: f64,
}

/// Turns names into tokens, following one set of [`MatchSettings`].
#[derive(Debug, Clone)]
pub(crate) struct Normalizer {
    /// Chinese, Japanese and Korean legal forms, removed as substrings (no spaces to split on).
    cjk_forms: Vec<String>,
    legal_words: HashSet<String>,
    /// Legal words long enough to be recognised misspelled ("tradng"), by first letter.
    long_legal_words: Vec<String>,
    /// Multi-word legal forms, longest first.
    legal_phrases: Vec<Vec<String>>,
    /// Business words ("trading", "company") dropped only while two other words remain.
    generic_words: HashSet<String>,
    long_generic_words: Vec<String>,
    generic_phrases: Vec<Vec<String>>,
    generic_word_weight: f64,
    /// Given names and surnames too common to tell a person by ("maria", "khan").
    common_names: HashSet<String>,
    particles: HashSet<String>,
    weak_words: HashSet<String>,
    particle_weight: f64,
    weak_word_weight: f64,
    max_tokens: usize,
    /// A romanisation variant → the spelling its group is read as ("gim" → "kim").
    variants: HashMap<String, String>,
}

/// The tokens of `name` under the shipped settings: what the matcher compares.
///
/// ```
/// assert_eq!(
///     tradescout_sanctions::normalize_name("Mohammed Al-Rashid Trading L.L.C."),
///     ["mohammed", "al", "rashid"]
/// );
/// ```
pub fn normalize_name(name: &str) -> Vec<String> {
    default_normalizer()
        .tokens(name)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// The normaliser of the shipped settings, built once.
pub(crate) fn default_normalizer() -> &'static Normalizer {
    static DEFAULT: OnceLock<Normalizer> = OnceLock::new();
    DEFAULT.get_or_init(|| Normalizer::new(shipped_settings()))
}

impl Normalizer {
    pub fn new(settings: &MatchSettings) -> Normalizer {
        // Chinese, Japanese and Korean legal forms are cut out as substrings, not words.
        let (cjk_forms, legal_forms): (Vec<String>, Vec<String>) = settings
            .legal_forms
            .iter()
            .map(|f| nfkc_lower(f))
            .partition(|f| f.chars().any(is_cjk));
        let mut cjk_forms = cjk_forms;
        cjk_forms.sort_by_key(|f| std::cmp::Reverse(f.chars().count()));
        let (legal_words, legal_phrases) = words_and_phrases(&legal_forms);
        let long_legal_words = long_words(&legal_words);
        let (generic_words, generic_phrases) = words_and_phrases(&settings.generic_forms);
        let long_generic_words = long_words(&generic_words);
        let words = |list: &[String]| -> HashSet<String> {
            list.iter()
                .flat_map(|w| {
                    fold_to_ascii(&nfkc_lower(w))
                        .split_ascii_whitespace()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        // Common names are compared with tokens, which are read in their group's spelling:
        // "park" is "pak" once read, and must stay common.
        let variants = variant_map(&settings.name_variants);
        let common_names = words(&settings.common_names)
            .into_iter()
            .map(|w| variants.get(&w).cloned().unwrap_or(w))
            .collect();
        Normalizer {
            cjk_forms,
            legal_words,
            long_legal_words,
            legal_phrases,
            generic_words,
            long_generic_words,
            generic_phrases,
            generic_word_weight: settings.generic_word_weight,
            common_names,
            particles: words(&settings.particles),
            weak_words: words(&settings.weak_words),
            particle_weight: settings.particle_weight,
            weak_word_weight: settings.weak_word_weight,
            max_tokens: settings.max_tokens.max(1),
            variants,
        }
    }

    /// The weighed tokens of one name. Legal forms are dropped unless nothing else is left.
    pub fn tokens(&self, name: &str) -> Vec<Token> {
        let mut text = nfkc_lower(name);
        for form in &self.cjk_forms {
            if text.contains(form.as_str()) {
                let rest = text.replace(form.as_str(), " ");
                if rest.chars().any(char::is_alphanumeric) {
                    text = rest;
                }
            }
        }
        let ascii = fold_to_ascii(&text);
        let words: Vec<&str> = ascii.split_ascii_whitespace().collect();
        // Generic business words go too while two other words remain; otherwise they stay,
        // weighed weak, so one word alone is never all that is compared.
        let mut kept = self.without_legal_forms(&words, true);
        if kept.len() < 2 {
            kept = self.without_legal_forms(&words, false);
        }
        if kept.is_empty() {
            kept = words;
        }
        kept.truncate(self.max_tokens);
        kept.into_iter()
            .map(|w| {
                let w = self.variants.get(w).map_or(w, String::as_str);
                Token {
                    text: w.to_string(),
                    weight: self.weight_of(w),
                }
            })
            .collect()
    }

    /// Whether `word` (a token) is a very common given name or surname.
    pub fn is_common_name(&self, word: &str) -> bool {
        self.common_names.contains(word)
    }

    /// The weight a word carries.
    pub fn weight_of(&self, word: &str) -> f64 {
        if self.particles.contains(word) {
            self.particle_weight
        } else if self.generic_words.contains(word) || is_misspelt(word, &self.long_generic_words) {
            self.generic_word_weight
        } else if self.weak_words.contains(word) {
            self.weak_word_weight
        } else {
            1.0
        }
    }

    fn without_legal_forms<'a>(&self, words: &[&'a str], generic: bool) -> Vec<&'a str> {
        let mut kept = Vec::with_capacity(words.len());
        let mut i = 0;
        let generic_phrases = if generic {
            self.generic_phrases.as_slice()
        } else {
            &[]
        };
        'outer: while i < words.len() {
            for phrase in self.legal_phrases.iter().chain(generic_phrases) {
                let end = i + phrase.len();
                if end <= words.len() && phrase_at(&words[i..end], phrase) {
                    i = end;
                    continue 'outer;
                }
            }
            let generic_word = generic
                && (self.generic_words.contains(words[i])
                    || is_misspelt(words[i], &self.long_generic_words));
            if !generic_word
                && !self.legal_words.contains(words[i])
                && !self.is_misspelt_legal_word(words[i])
            {
                kept.push(words[i]);
            }
            i += 1;
        }
        kept
    }
}

impl Normalizer {
    /// "corporatoin": a long legal word with a slip of the keyboard.
    fn is_misspelt_legal_word(&self, word: &str) -> bool {
        is_misspelt(word, &self.long_legal_words)
    }
}

/// Whether `words` are the legal phrase `phrase`, one word of it allowed a slip of the keyboard
/// ("closed jiint stock company"), so that a typo does not leave the whole form in the name.
fn phrase_at(words: &[&str], phrase: &[String]) -> bool {
    let mut slips = 0;
    for (word, form) in words.iter().zip(phrase) {
        if *word == form {
            continue;
        }
        slips += 1;
        if slips > 1 || word.len() < 4 || form.len() < 4 || !one_edit_apart(word, form) {
            return false;
        }
    }
    true
}

/// Whether two words differ by one letter changed, added, dropped, or two neighbours swapped.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    match (a.len(), b.len()) {
        (0, 1) | (1, 0) | (1, 1) => true,
        (2, 2) => a[0] == b[1] && a[1] == b[0],
        _ => false,
    }
}

/// Each spelling of each group → the group's first spelling, all normalised like a name.
fn variant_map(groups: &[Vec<String>]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for group in groups {
        let mut spellings = group
            .iter()
            .map(|g| fold_to_ascii(&nfkc_lower(g)).trim().to_string())
            .filter(|g| !g.is_empty() && !g.contains(' '));
        let Some(first) = spellings.next() else {
            continue;
        };
        for other in spellings {
            map.entry(other).or_insert_with(|| first.clone());
        }
    }
    map
}

/// One-word forms and multi-word phrases (longest first) of a list of forms, each normalised
/// like a name.
fn words_and_phrases(forms: &[String]) -> (HashSet<String>, Vec<Vec<String>>) {
    let mut words = HashSet::new();
    let mut phrases = Vec::new();
    for form in forms {
        let split: Vec<String> = fold_to_ascii(&nfkc_lower(form))
            .split_ascii_whitespace()
            .map(str::to_string)
            .collect();
        match split.len() {
            0 => {}
            1 => words.extend(split),
            _ => phrases.push(split),
        }
    }
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    (words, phrases)
}

/// The words long enough to be recognised with a slip, sorted.
fn long_words(words: &HashSet<String>) -> Vec<String> {
    let mut long: Vec<String> = words
        .iter()
        .filter(|w| w.len() >= MISSPELT_LEGAL_MIN_LEN)
        .cloned()
        .collect();
    long.sort();
    long
}

/// Whether `word` is one of the long words of `list` with a slip of the keyboard ("tradng").
fn is_misspelt(word: &str, list: &[String]) -> bool {
    if word.len() < MISSPELT_LEGAL_MIN_LEN {
        return false;
    }
    let first = word.as_bytes().first();
    list.iter().any(|legal| {
        legal.as_bytes().first() == first
            && legal.len().abs_diff(word.len()) <= 1
            && crate::similarity::jaro_winkler(legal, word) >= MISSPELT_LEGAL_SIMILARITY
    })
}

/// Legal words this long or longer are also recognised with one slip.
const MISSPELT_LEGAL_MIN_LEN: usize = 6;
/// How alike (Jaro-Winkler) a word must be to a legal word to count as one.
const MISSPELT_LEGAL_SIMILARITY: f64 = 0.94;

fn nfkc_lower(s: &str) -> String {
    s.nfkc().collect::<String>().to_lowercase()
}

/// Transliterates to lower-case ASCII letters, digits and spaces. Dots and apostrophes vanish
/// ("S.A." → "sa", "O'Neil" → "oneil"); other punctuation separates words. Each Chinese
/// character becomes its own pinyin syllable, and the Arabic article "ال" its own word "al".
pub(crate) fn fold_to_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    let mut after_letter = false;
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            push_ascii(&mut out, c);
            after_letter = c.is_ascii_alphanumeric();
            continue;
        }
        if c == '\u{0627}' && !after_letter && chars.peek() == Some(&'\u{0644}') {
            chars.next();
            out.push_str(" al ");
            after_letter = false;
            continue;
        }
        let ascii = any_ascii_char(c);
        if is_cjk(c) {
            out.push(' ');
            ascii.chars().for_each(|a| push_ascii(&mut out, a));
            out.push(' ');
            after_letter = false;
        } else {
            ascii.chars().for_each(|a| push_ascii(&mut out, a));
            after_letter = c.is_alphanumeric();
        }
    }
    out
}

fn push_ascii(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c.to_ascii_lowercase());
    } else if c == '.' || c == '\'' || c == '`' {
        // joined: "S.A." is "sa"
    } else {
        out.push(' ');
    }
}

/// Han, kana and Hangul: scripts written without spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        normalize_name(s)
    }

    #[test]
    fn legal_forms_punctuation_and_case_are_removed() {
        assert_eq!(
            toks("GREENLIGHT SUPPLIES, LTD."),
            ["greenlight", "supplies"]
        );
        assert_eq!(toks("Petro-Star S.A."), ["petro", "star"]);
        assert_eq!(toks("Sp. z o.o. Kowalski"), ["kowalski"]);
        assert_eq!(toks("Ocean Link Co., Ltd"), ["ocean", "link"]);
    }

    #[test]
    fn cyrillic_is_transliterated_and_ooo_dropped() {
        assert_eq!(toks("ООО «Ромашка»"), ["romashka"]);
        assert_eq!(toks("Иванов Сергей"), ["ivanov", "sergey"]);
    }

    #[test]
    fn chinese_legal_form_is_dropped_and_each_character_is_a_syllable() {
        assert_eq!(toks("华为技术有限公司"), ["hua", "wei", "ji", "shu"]);
    }

    #[test]
    fn arabic_article_becomes_its_own_word() {
        let t = toks("محمد الرشيد");
        assert_eq!(t[0], "mhmd");
        assert_eq!(t[1], "al");
    }

    #[test]
    fn a_misspelt_long_legal_word_is_dropped_but_a_real_word_is_not() {
        assert_eq!(toks("Koryo Mining Corporatoin"), ["koryo", "mining"]);
        // A business word ("tradng" for trading) stays when one word would be left.
        assert_eq!(toks("Koryo Tradng Corporatoin"), ["koryo", "tradng"]);
        assert_eq!(toks("Koryo United Tradng Corp"), ["koryo", "united"]);
        assert_eq!(
            toks("Baltic Training Centre"),
            ["baltic", "training", "centre"]
        );
    }

    #[test]
    fn latin_american_legal_forms_go_with_and_without_dots() {
        assert_eq!(
            toks("Inversiones del Sur, S.A. de C.V."),
            ["inversiones", "del", "sur"]
        );
        assert_eq!(
            toks("Inversiones del Sur s a de c v"),
            ["inversiones", "del", "sur"]
        );
        assert_eq!(toks("Comercial Andina Ltda."), ["comercial", "andina"]);
        assert_eq!(
            toks("Servicios Petroleros C.A."),
            ["servicios", "petroleros"]
        );
    }

    #[test]
    fn business_words_go_only_while_two_other_words_remain() {
        assert_eq!(toks("Gulf Star Trading Co"), ["gulf", "star"]);
        assert_eq!(
            toks("Caribbean Trading Company"),
            ["caribbean", "trading", "company"]
        );
        assert_eq!(toks("Global Trading LLC"), ["global", "trading"]);
        assert_eq!(
            toks("Volganeft Trading Company"),
            ["volganeft", "trading", "company"]
        );
    }

    #[test]
    fn a_name_made_only_of_legal_words_is_kept_whole() {
        assert_eq!(toks("Trading Company"), ["trading", "company"]);
    }

    #[test]
    fn a_legal_phrase_with_one_slip_is_still_dropped() {
        assert_eq!(
            toks("Vtb Registrar Closed Jiint Stock Company"),
            ["vtb", "registrar"]
        );
        assert_eq!(toks("limited liability compayn tekhnopark"), ["tekhnopark"]);
        // Two slips in one phrase are not a legal form any more.
        assert!(toks("closed jiint stokc company bravo").contains(&"jiint".to_string()));
    }

    #[test]
    fn one_edit_apart_counts_one_change_only() {
        assert!(one_edit_apart("joint", "jiint"));
        assert!(one_edit_apart("company", "compayn"));
        assert!(one_edit_apart("stock", "stocks"));
        assert!(!one_edit_apart("stock", "stack1"));
        assert!(!one_edit_apart("company", "cmopayn"));
    }

    #[test]
    fn a_common_name_stays_common_in_its_groups_spelling() {
        let n = default_normalizer();
        let tokens = n.tokens("Park Lee");
        assert!(
            tokens.iter().all(|t| n.is_common_name(&t.text)),
            "{tokens:?}"
        );
    }

    #[test]
    fn romanisation_variants_are_read_as_one_spelling() {
        assert_eq!(toks("Gim Kwang Hyok"), toks("KIM, Kwang Hyok"));
        assert_eq!(toks("Rhee Je-Son"), toks("RI, Je Son"));
    }

    #[test]
    fn fullwidth_and_diacritics_fold() {
        assert_eq!(
            toks("ＡＢＣ Société Générale"),
            ["abc", "societe", "generale"]
        );
    }
}
