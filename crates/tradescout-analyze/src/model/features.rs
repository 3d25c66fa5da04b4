//! Hashed text features shared by every model: word unigrams and bigrams plus character
//! 3- and 4-grams. Chinese, Japanese and Korean characters count as one-character words, so
//! their "word bigrams" are character bigrams. Digits all read as `0`, so "500pcs" and
//! "300pcs" share features.

use crate::cues::is_unspaced_script;

/// Only the first this many characters of a text give word features, so cost stays bounded.
pub const MAX_FEATURE_CHARS: usize = 2000;
/// Character n-grams are taken from the opening of the text only: it carries the request, and
/// n-grams are the most numerous features.
pub const MAX_CHAR_GRAM_CHARS: usize = 400;

const SEP: u32 = ' ' as u32;
const SEED_WORD: u64 = 0x9E37_79B9_7F4A_7C15;
const SEED_BIGRAM: u64 = 0xC2B2_AE3D_27D4_EB4F;
const SEED_CHAR3: u64 = 0x1656_67B1_9E37_79F9;
const SEED_CHAR4: u64 = 0x27D4_EB2F_1656_67C5;
const PRIME: u64 = 0x0000_0100_0000_01B3;

/// Appends the bucket of every feature of `text` to `out` (repeated as often as it occurs).
pub fn featurize(text: &str, bits: u8, out: &mut Vec<u32>) {
    let codes = normalize(text);
    let shift = 64 - u32::from(bits.clamp(8, 24));
    let grams = codes.len().min(MAX_CHAR_GRAM_CHARS + 2);
    out.reserve(codes.len() / 2 + 2 * grams);
    let bucket = |h: u64| (finish(h) >> shift) as u32;

    // Words and word bigrams.
    let mut prev_word = 0u64;
    let mut have_prev = false;
    let mut word = SEED_WORD;
    let mut in_word = false;
    let mut push_word = |w: u64, out: &mut Vec<u32>| {
        out.push(bucket(w));
        if have_prev {
            out.push(bucket((prev_word ^ SEED_BIGRAM).wrapping_mul(PRIME) ^ w));
        }
        prev_word = w;
        have_prev = true;
    };
    for &c in &codes {
        let unspaced = c >= 0x0E00 && char::from_u32(c).is_some_and(is_unspaced_script);
        if c == SEP || unspaced {
            if in_word {
                push_word(word, out);
                word = SEED_WORD;
                in_word = false;
            }
            if unspaced {
                push_word((SEED_WORD ^ u64::from(c)).wrapping_mul(PRIME), out);
            }
        } else {
            word = (word ^ u64::from(c)).wrapping_mul(PRIME);
            in_word = true;
        }
    }
    if in_word {
        push_word(word, out);
    }

    // Character 3- and 4-grams over the normalised opening (separators included). Code points
    // fit in 21 bits, so three of them pack exactly into one word; the 4-gram folds in a fourth.
    const MASK63: u64 = (1 << 63) - 1;
    let mut packed = 0u64;
    for (i, &c) in codes[..grams].iter().enumerate() {
        let prev = packed;
        packed = ((packed << 21) | u64::from(c)) & MASK63;
        if i >= 2 {
            out.push(bucket(packed ^ SEED_CHAR3));
        }
        if i >= 3 {
            out.push(bucket(prev.wrapping_mul(PRIME) ^ u64::from(c) ^ SEED_CHAR4));
        }
    }
}

/// Lower-cased code points, digits as `0`, every run of other characters as one space,
/// with a space at both ends.
fn normalize(text: &str) -> Vec<u32> {
    let mut codes = Vec::with_capacity(text.len().min(MAX_FEATURE_CHARS) + 2);
    codes.push(SEP);
    for c in text.chars().take(MAX_FEATURE_CHARS) {
        let code = if c.is_ascii() {
            match c {
                '0'..='9' => u32::from(b'0'),
                'a'..='z' => c as u32,
                'A'..='Z' => c.to_ascii_lowercase() as u32,
                _ => SEP,
            }
        } else if matches!(c as u32, 0xC0..=0x24F | 0x400..=0x481 | 0x48A..=0x52F) {
            // Latin and Cyrillic letters (no digits there): the answer below, without its
            // three table searches.
            if matches!(c, '\u{D7}' | '\u{F7}') {
                SEP
            } else {
                tradescout_core::phrases::lower_first(c) as u32
            }
        } else if c.is_numeric() {
            u32::from(b'0')
        } else if matches!(c as u32, 0x3400..=0x9FFF) {
            // Traditional Chinese reads as simplified.
            tradescout_core::phrases::fold_char(c) as u32
        } else if tradescout_core::phrases::is_alphanumeric(c) {
            c.to_lowercase().next().unwrap_or(c) as u32
        } else {
            SEP
        };
        if code == SEP && codes.last() == Some(&SEP) {
            continue;
        }
        codes.push(code);
    }
    if codes.last() != Some(&SEP) {
        codes.push(SEP);
    }
    codes
}

/// Multiplicative hashing: the high bits of the product, taken by the caller's shift, mix every
/// input bit.
fn finish(z: u64) -> u64 {
    (z ^ (z >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A stable 64-bit hash of a text (FNV-1a), used to split a corpus deterministically.
pub fn text_hash(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_deterministic_and_bounded() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        featurize("Please quote 500pcs LED panel 600x600", 18, &mut a);
        featurize("please QUOTE 300pcs led panel 600x600!!", 18, &mut b);
        assert_eq!(a, b);
        assert!(a.iter().all(|&x| x < (1 << 18)));
        let mut big = Vec::new();
        featurize(&"x".repeat(1_000_000), 18, &mut big);
        assert!(big.len() < MAX_FEATURE_CHARS + 2 * MAX_CHAR_GRAM_CHARS + 10);
    }

    #[test]
    fn cjk_characters_become_words() {
        let mut f = Vec::new();
        featurize("报价", 18, &mut f);
        // two words, one bigram, then char grams over " 报价 "
        assert_eq!(f.len(), 3 + 2 + 1);
    }
}
