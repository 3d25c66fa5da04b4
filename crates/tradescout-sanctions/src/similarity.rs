//! Scoring two names: Jaro-Winkler per word, words paired regardless of order, words split or
//! joined differently ("Hua Wei" / "Huawei") merged first, weighed Dice over the two names.

use crate::normalize::{default_normalizer, Token};
use crate::settings::{shipped_settings, MatchSettings};

/// How alike two names are under the shipped settings, from 0 to 1.
///
/// ```
/// use tradescout_sanctions::name_similarity;
/// assert!(name_similarity("Mohammed Al-Rashid Trading LLC", "AL RASHID, Mohammad") > 0.9);
/// assert!(name_similarity("Greenlight Supplies Ltd", "Green Light Energy") < 0.7);
/// ```
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let n = default_normalizer();
    score_tokens(&n.tokens(a), &n.tokens(b), shipped_settings(), true)
}

/// Words that joined would equal a word on the other side are at most this much apart.
const MERGE_SIMILARITY: f64 = 0.93;

/// The score of two token lists: the weighed similarity of the paired words over the weight of
/// all words on both sides, so unpaired words on either side lower it — unless `partial` allows
/// one name to be a part of the other (people's names, where middle names and patronymics come
/// and go; see `partial_name_*` in `data/matching.toml`).
pub(crate) fn score_tokens(q: &[Token], c: &[Token], s: &MatchSettings, partial: bool) -> f64 {
    if q.is_empty() || c.is_empty() {
        return 0.0;
    }
    let (q, c) = merge_split_words(q, c, s);
    let total: f64 = q.iter().chain(c.iter()).map(|t| t.weight).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let mut pairs = Vec::with_capacity(q.len() * c.len());
    for (i, a) in q.iter().enumerate() {
        for (j, b) in c.iter().enumerate() {
            let sim = token_similarity(&a.text, &b.text, s);
            if sim >= s.token_floor {
                pairs.push((sim, i, j));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut q_used = vec![false; q.len()];
    let mut c_used = vec![false; c.len()];
    let (mut matched_q, mut matched_c, mut full_words) = (0.0, 0.0, 0);
    for (sim, i, j) in pairs {
        if !q_used[i] && !c_used[j] {
            q_used[i] = true;
            c_used[j] = true;
            matched_q += sim * q[i].weight;
            matched_c += sim * c[j].weight;
            if q[i].weight >= 1.0 && c[j].weight >= 1.0 {
                full_words += 1;
            }
        }
    }
    let weight_q: f64 = q.iter().map(|t| t.weight).sum();
    let full_words = if partial { full_words } else { 0 };
    combine(
        matched_q,
        matched_c,
        weight_q,
        total - weight_q,
        full_words,
        s,
    )
}

/// The name score from its parts: `matched_*` the similarity-weighed paired words of each side,
/// `weight_*` the weight of all words of each side, `full_words` the pairs of two full words
/// (0 turns the partial-name rule off).
pub(crate) fn combine(
    matched_q: f64,
    matched_c: f64,
    weight_q: f64,
    weight_c: f64,
    full_words: usize,
    s: &MatchSettings,
) -> f64 {
    let total = weight_q + weight_c;
    if total <= 0.0 {
        return 0.0;
    }
    let mut score = (matched_q + matched_c) / total;
    if full_words >= 2 && weight_q > 0.0 && weight_c > 0.0 {
        let (cov_q, cov_c) = (matched_q / weight_q, matched_c / weight_c);
        let (high, low) = (cov_q.max(cov_c), cov_q.min(cov_c));
        if low >= s.partial_name_min_coverage {
            let partial = high * (s.partial_name_factor + (1.0 - s.partial_name_factor) * low);
            score = score.max(partial);
        }
    }
    if score.is_finite() {
        score.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// How alike two words are, from 0 to 1.
pub(crate) fn token_similarity(a: &str, b: &str, s: &MatchSettings) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.len() == 1 || b.len() == 1 {
        let (short, long) = if a.len() == 1 { (a, b) } else { (b, a) };
        return if long.starts_with(short) {
            s.initial_similarity
        } else {
            0.0
        };
    }
    let mut sim = strsim::jaro_winkler(a, b);
    if vowelless(a) || vowelless(b) {
        let (ka, kb) = (consonants(a), consonants(b));
        if ka.len() >= 2 && kb.len() >= 2 {
            sim = sim.max(strsim::jaro_winkler(&ka, &kb) * s.abjad_similarity);
        }
    }
    sim.clamp(0.0, 1.0)
}

/// A word without a, e, i, o or u: most likely Arabic, Persian or Hebrew transliterated.
pub(crate) fn vowelless(word: &str) -> bool {
    !word
        .bytes()
        .any(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u'))
}

/// The consonant skeleton of a word: vowels and the half-vowels y and w dropped, doubled
/// letters made single ("mohammed" → "mhmd", Arabic "rshyd" → "rshd").
pub(crate) fn consonants(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = '\0';
    for c in word.chars() {
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w') || c == last {
            continue;
        }
        out.push(c);
        last = c;
    }
    out
}

/// Joins neighbouring words on either side when together they are a word of the other side.
fn merge_split_words(q: &[Token], c: &[Token], s: &MatchSettings) -> (Vec<Token>, Vec<Token>) {
    let mut q = q.to_vec();
    let mut c = c.to_vec();
    for _ in 0..4 {
        let a = merge_once(&mut q, &c, s);
        let b = merge_once(&mut c, &q, s);
        if !a && !b {
            break;
        }
    }
    (q, c)
}

fn merge_once(side: &mut Vec<Token>, other: &[Token], s: &MatchSettings) -> bool {
    for i in 0..side.len().saturating_sub(1) {
        let (left, right) = (&side[i], &side[i + 1]);
        if other
            .iter()
            .any(|o| o.text == left.text || o.text == right.text)
        {
            continue;
        }
        let joined_len = left.text.len() + right.text.len();
        let mut joined = String::with_capacity(joined_len);
        joined.push_str(&left.text);
        joined.push_str(&right.text);
        let fits = other.iter().any(|o| {
            o.text.len().abs_diff(joined_len) <= 2
                && o.text.as_bytes().first() == joined.as_bytes().first()
                && token_similarity(&joined, &o.text, s) >= MERGE_SIMILARITY
        });
        if fits {
            let weight = left.weight.max(right.weight);
            side[i] = Token {
                text: joined,
                weight,
            };
            side.remove(i + 1);
            return true;
        }
    }
    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn word_order_case_and_legal_forms_do_not_matter() {
        let s = name_similarity("Mohammed Al-Rashid Trading LLC", "AL RASHID, Mohammad");
        assert!(s > 0.93, "{s}");
    }

    #[test]
    fn a_shared_word_alone_is_not_a_match() {
        let s = name_similarity("Greenlight Supplies Ltd", "Green Light Energy");
        assert!(s < 0.7, "{s}");
    }

    #[test]
    fn split_pinyin_matches_joined_pinyin() {
        let s = name_similarity("Hua Wei", "HUAWEI");
        assert!(s > 0.95, "{s}");
    }

    #[test]
    fn vowelless_arabic_transliteration_matches_the_latin_spelling() {
        let s = name_similarity("محمد الرشيد", "Mohammed Al Rashid");
        assert!(s > 0.88, "{s}");
    }

    #[test]
    fn identical_names_score_one_and_empty_names_zero() {
        assert_eq!(name_similarity("Rosneft", "ROSNEFT"), 1.0);
        assert_eq!(name_similarity("", "Rosneft"), 0.0);
        assert_eq!(name_similarity("...", "---"), 0.0);
    }

    #[test]
    fn consonant_skeleton_drops_vowels_and_doubles() {
        assert_eq!(consonants("mohammed"), "mhmd");
        assert_eq!(consonants("rshyd"), "rshd");
    }
}
