//! Every word list of the request found in one pass: product words, model-number cues,
//! certifications, Incoterms, payment methods, worded specs and deadline cues. One matcher over
//! the text costs about what each list alone would.

use super::deadline::Cue;
use super::lexicon::{request_data, PhraseSet};
use super::numbers::{Num, NumberWord, WordKind};
use std::sync::OnceLock;

/// What a matched phrase stands for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tag {
    /// A product word; `singular` when the match is a plural the lexicon added.
    Head {
        singular: Option<String>,
    },
    ModelCue,
    Certification(String),
    Incoterm(String),
    Payment(String),
    /// A worded spec: key (`material`, `color`, `plug`) and canonical value.
    Spec(&'static str, String),
    Deadline(Cue),
    /// A number written as a word ("twelve", "mil", "千").
    Number(NumberWord),
    /// Packing, an accessory, a spec, a place or a document heading that holds a product word
    /// ("gunny bag", "TERMO DE REFERÊNCIA"): as the longer match, it keeps the product word
    /// inside it from naming an order line.
    NotProduct,
}

/// One phrase found at `start..end`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit<'a> {
    pub start: usize,
    pub end: usize,
    pub tag: &'a Tag,
}

/// All phrases of the request vocabulary in `text`, in order.
pub(crate) fn scan(text: &str) -> Vec<Hit<'static>> {
    set()
        .find_iter(text)
        .take(4000)
        .map(|(start, end, tag)| Hit { start, end, tag })
        .collect()
}

fn set() -> &'static PhraseSet<Tag> {
    static SET: OnceLock<PhraseSet<Tag>> = OnceLock::new();
    SET.get_or_init(|| {
        let data = request_data();
        let mut entries: Vec<(String, Tag, bool)> = Vec::new();
        for h in &data.products.heads {
            entries.push((h.clone(), Tag::Head { singular: None }, false));
            if h.is_ascii()
                && h.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
                && !h.ends_with('s')
            {
                let plural = if h.ends_with('x') || h.ends_with("ch") || h.ends_with("sh") {
                    "es"
                } else {
                    "s"
                };
                entries.push((
                    format!("{h}{plural}"),
                    Tag::Head {
                        singular: Some(h.clone()),
                    },
                    false,
                ));
            }
        }
        // Every word of the product concepts, in every buyer language, names a product too —
        // except the words the request vocabulary already reads as a spec (materials, colours).
        let specs_words: std::collections::HashSet<String> = data
            .specs
            .materials
            .iter()
            .chain(&data.specs.colors)
            .map(|w| w.to_lowercase())
            .collect();
        // Every head in the forms the matcher already reads (with the plurals added above).
        let known: std::collections::HashSet<String> = data
            .products
            .heads
            .iter()
            .flat_map(|h| {
                let h = h.to_lowercase();
                [format!("{h}es"), format!("{h}s"), h]
            })
            .collect();
        let vocabulary = tradescout_core::concepts::Concepts::shipped();
        for (i, concept) in vocabulary.all().iter().enumerate() {
            // Trade words ("lighting", "machinery") name no order line: "a lighting
            // wholesaler" orders no "lighting". A broad concept one orders as such
            // ("sillas", "стулья", "puertas") does.
            if vocabulary.is_trade(i) {
                continue;
            }
            for w in concept.words.values().flatten() {
                // "led flood light" would hide the head "flood light" in "LED flood lights"
                // (a longer match that is not a whole word blocks the shorter one), and
                // "pvc pipes" the singular the head "pipe" gives.
                let ends_in_head = w
                    .match_indices(' ')
                    .any(|(i, _)| known.contains(&w[i + 1..]));
                if !specs_words.contains(w) && !known.contains(w) && !ends_in_head {
                    entries.push((w.clone(), Tag::Head { singular: None }, false));
                }
            }
        }
        // Not-product phrases, except those the vocabulary names as products on their own
        // (a buyer of "drivers" orders drivers): they count only where they are the longer
        // phrase around a product word.
        let product_words: std::collections::HashSet<String> =
            entries.iter().map(|(w, _, _)| w.to_lowercase()).collect();
        for w in super::lexicon::not_products().all() {
            if !product_words.contains(&w.to_lowercase()) {
                entries.push((w.clone(), Tag::NotProduct, false));
            }
        }
        entries.extend(
            data.products
                .model_cues
                .iter()
                .map(|c| (c.clone(), Tag::ModelCue, false)),
        );
        for c in &data.certification {
            entries.extend(
                c.aliases
                    .iter()
                    .map(|a| (a.clone(), Tag::Certification(c.name.clone()), c.exact_case)),
            );
        }
        // "FAS" and "DAT" are words in some languages; only their capitals count.
        let exact = |s: &str| matches!(s, "FAS" | "DAT");
        let terms = &data.incoterms;
        entries.extend(
            terms
                .codes
                .iter()
                .map(|c| (c.clone(), Tag::Incoterm(c.clone()), exact(c))),
        );
        entries.extend(
            terms
                .aliases
                .iter()
                .map(|(a, c)| (a.clone(), Tag::Incoterm(c.clone()), exact(a))),
        );
        for (name, phrases) in &data.payment {
            for p in phrases {
                // "TT", "LC", "COD" count in capitals only.
                let exact = matches!(p.as_str(), "tt" | "lc" | "cod");
                entries.push((
                    if exact { p.to_uppercase() } else { p.clone() },
                    Tag::Payment(name.clone()),
                    exact,
                ));
            }
        }
        let specs = &data.specs;
        entries.extend(
            specs
                .materials
                .iter()
                .map(|w| (w.clone(), Tag::Spec("material", w.clone()), false)),
        );
        entries.extend(
            specs
                .colors
                .iter()
                .map(|w| (w.clone(), Tag::Spec("color", w.clone()), false)),
        );
        entries.extend(
            specs
                .plugs
                .iter()
                .map(|(k, v)| (k.clone(), Tag::Spec("plug", v.clone()), false)),
        );
        entries.extend((b'A'..=b'N').map(|c| {
            let t = format!("type {}", c as char);
            (t.clone(), Tag::Spec("plug", t), false)
        }));
        // One class per phrase, the most telling first: a word listed twice ("в течение" both
        // during a month and within a span) is read by the richer cue, which tries both.
        let dl = &data.deadline;
        let mut seen = std::collections::HashSet::new();
        for (words, cue) in [
            (&dl.before, Cue::Before),
            (&dl.date, Cue::Date),
            (&dl.during, Cue::During),
            (&dl.within, Cue::Within),
            (&dl.asap, Cue::Asap),
            (&dl.chinese_new_year_words, Cue::NewYear),
        ] {
            for w in words {
                if seen.insert(w.to_lowercase()) {
                    entries.push((w.clone(), Tag::Deadline(cue), false));
                }
            }
        }
        let numbers = &data.numbers;
        for (words, cjk_scale) in [(&numbers.cjk_digits, false), (&numbers.cjk_scales, true)] {
            entries.extend(words.iter().map(|(w, v)| {
                let kind = if cjk_scale {
                    WordKind::CjkScale
                } else {
                    WordKind::CjkDigit
                };
                (
                    w.clone(),
                    Tag::Number(NumberWord { value: *v, kind }),
                    false,
                )
            }));
        }
        entries.extend(
            super::numbers::latin_number_words()
                .map(|(w, n)| (w.to_string(), Tag::Number(n), false)),
        );
        PhraseSet::new(entries)
    })
}

/// The counts of `text`: its numbers in digits with those written as words ("Thirty metric
/// tons", "一千二百件"), in order. Specs, prices and dates read digits only.
pub(crate) fn counts<'a>(text: &'a str, digits: &[Num<'a>], hits: &[Hit]) -> Vec<Num<'a>> {
    let joined = super::numbers::compounds(text);
    let mut words: Vec<(usize, usize, NumberWord)> = hits
        .iter()
        .filter_map(|h| match h.tag {
            Tag::Number(w) => Some((h.start, h.end, *w)),
            _ => None,
        })
        // A number word inside one written as one word is part of that one.
        .filter(|(s, e, _)| !joined.iter().any(|(js, je, _)| js <= s && e <= je))
        .collect();
    if !joined.is_empty() {
        words.extend(joined);
        words.sort_by_key(|w| w.0);
    }
    if words.is_empty() {
        return digits.to_vec();
    }
    let spelled = super::numbers::spelled(text, &words, &request_data().numbers.links);
    super::numbers::merged(digits, spelled)
}
