//! Products asked for, with model, quantity, unit and specs. A product is anchored on a product
//! word ("flood light", "投光灯", "reflector"), a labelled line ("Product: …") or a model number;
//! the quantities, models and specs around it are assigned to the nearest anchor on the same
//! line, or to the product whose section (the lines after it) they sit in.

use super::lexicon::request_data;
use super::models;
use super::numbers::{char_at, is_times, skip_spaces, Num};
use super::quantity::{self, Quantity};
use super::specs::{self, Spec};
use super::table;
use super::text::{contains_lower, is_cjk, FastSet};
use super::vocab::{self, Hit, Tag};
use crate::types::Product;
use serde_json::Value;
use std::sync::OnceLock;

/// The products of one message; a single unnamed one when the message gives a quantity or
/// specs but names no product.
#[derive(Debug, Default)]
pub(crate) struct ProductScan {
    pub products: Vec<Product>,
}

struct Lexicon {
    stop: FastSet<String>,
    not_modifiers: FastSet<String>,
    labels: FastSet<String>,
    /// Count units ("pcs", "Stück"): a name does not reach back past a quantity.
    count_units: FastSet<String>,
    /// "per", "je", "за": a unit after one of these is a price's unit.
    per_words: FastSet<String>,
    packing: CueSet,
    /// The packing cues that label a line ("packing:", "包装：").
    packing_labels: Vec<String>,
    accessory: CueSet,
    past: CueSet,
    reason: CueSet,
    purpose: FastSet<String>,
    counted_links: FastSet<String>,
    counted_skip: FastSet<String>,
    counted_generic: FastSet<String>,
    counted_stop_cjk: Vec<String>,
    counted_attribute_cjk: Vec<String>,
    brand_marks_cjk: Vec<String>,
    japanese_count_particles: Vec<String>,
    japanese_not_names: Vec<String>,
    not_counted: FastSet<String>,
    /// Unit words that end a product's name when right after it ("pillow cases").
    tails: FastSet<String>,
    /// Phrases right after a product word that belong to its name ("… на солнечных батареях").
    name_tails: Vec<String>,
    complement_links: FastSet<String>,
    complement_not: FastSet<String>,
    name_after: CueSet,
    name_before: CueSet,
    place_words: FastSet<String>,
    place_not_after: FastSet<String>,
    /// Words after a number that make it a kind ("three phase motors").
    kind_words: FastSet<String>,
    /// Trade-term and currency codes in capitals ("CFR", "USD"): a name ends before one.
    trade_codes: FastSet<String>,
    /// Words after a count that make it rough ("30 or so mugs").
    rough_count_tails: Vec<String>,
    /// Piece words after which capitalised words name the goods ("14 Stk. PCR Analysegeräte").
    named_after_pieces: Vec<String>,
}

fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| {
        let data = request_data();
        let not_modifiers = data
            .certification
            .iter()
            .flat_map(|c| c.aliases.iter().map(|a| a.to_lowercase()))
            .chain(
                data.specs
                    .colors
                    .iter()
                    .filter(|c| !c.contains(' '))
                    .map(|c| c.to_lowercase()),
            )
            .chain(data.units.values().flatten().map(|u| u.to_lowercase()))
            .chain(["mm", "cm", "sq", "sqmm", "inch", "ft", "x", "w", "v", "k"].map(String::from))
            .collect();
        let lower = |v: &Vec<String>| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        Lexicon {
            count_units: data
                .units
                .iter()
                .filter(|(k, _)| {
                    matches!(
                        k.as_str(),
                        "pcs" | "sets" | "units" | "cartons" | "boxes" | "pairs"
                    )
                })
                .flat_map(|(_, v)| v)
                .map(|u| u.to_lowercase())
                .collect(),
            per_words: lower(&data.products.per_words).into_iter().collect(),
            packing: CueSet::new(&data.products.packing_cues),
            packing_labels: data
                .products
                .packing_cues
                .iter()
                .filter(|c| c.ends_with([':', '：']))
                .map(|c| c.to_lowercase())
                .collect(),
            accessory: CueSet::new(&data.products.accessory_cues),
            past: CueSet::new(&data.products.past_cues),
            reason: CueSet::new(&data.products.reason_cues),
            purpose: lower(&data.products.purpose_links).into_iter().collect(),
            counted_links: lower(&data.products.counted_links).into_iter().collect(),
            counted_skip: lower(&data.products.counted_skip).into_iter().collect(),
            counted_generic: lower(&data.products.counted_generic).into_iter().collect(),
            counted_stop_cjk: data.products.counted_stop_cjk.clone(),
            counted_attribute_cjk: data.products.counted_attribute_cjk.clone(),
            brand_marks_cjk: data.products.brand_marks_cjk.clone(),
            japanese_count_particles: data.products.japanese_count_particles.clone(),
            japanese_not_names: data.products.japanese_not_names.clone(),
            not_counted: lower(&data.products.not_counted).into_iter().collect(),
            tails: lower(&data.unit_compounds.tails).into_iter().collect(),
            name_tails: lower(&data.products.name_tails),
            complement_links: lower(&data.products.complement_links).into_iter().collect(),
            complement_not: lower(&data.products.complement_not).into_iter().collect(),
            name_after: CueSet::new(&data.products.name_after),
            name_before: CueSet::new(&data.products.name_before),
            place_words: lower(&data.products.place_words).into_iter().collect(),
            place_not_after: lower(&data.products.place_not_after).into_iter().collect(),
            trade_codes: data.products.name_stop_codes.iter().cloned().collect(),
            rough_count_tails: lower(&data.products.rough_count_tails),
            named_after_pieces: lower(&data.products.named_after_pieces),
            kind_words: lower(&data.numbers.kind_words).into_iter().collect(),
            stop: data
                .products
                .stop
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            not_modifiers,
            labels: data
                .products
                .labels
                .iter()
                .map(|l| l.to_lowercase())
                .collect(),
        }
    })
}

/// Characters that end a sentence (or a line, which ends one too).
const SENTENCE_STOPS: [char; 7] = ['.', '!', '?', '\n', '。', '！', '？'];

/// Most product anchors read from one message.
const MAX_ANCHORS: usize = 50;

enum Item {
    Model(String),
    Quantity(Quantity),
    Spec(Spec),
}

#[derive(Debug)]
struct Anchor {
    start: usize,
    end: usize,
    line: usize,
    product: Product,
    /// A bare count right before the name ("1200 lampes LED"): pieces, when nothing else says.
    implied: Option<f64>,
    /// Not an order line: packing, a part of the product before it, or bought in the past.
    /// Kept while items are assigned, so its quantity ("1.5 m cable") goes nowhere else.
    not_ordered: Option<NotOrdered>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum NotOrdered {
    Packing,
    Accessory,
    Past,
    Place,
}

/// The products named in `body`; `subject` names them when the body does not.
#[cfg(test)]
pub(crate) fn extract(body: &str, subject: Option<&str>) -> ProductScan {
    extract_with(
        body,
        subject,
        &super::numbers::scan(body),
        &vocab::scan(body),
    )
}

/// As `extract`, with the body's numbers already scanned.
pub(crate) fn extract_with(
    body: &str,
    subject: Option<&str>,
    nums: &[super::numbers::Num],
    hits: &[Hit],
) -> ProductScan {
    let lex = lexicon();
    let line_starts = line_starts(body);
    let line_of = |pos: usize| line_starts.partition_point(|&s| s <= pos).saturating_sub(1);

    let mut anchors = anchors(lex, body, &line_of, hits);
    let mut models = models::find(body, hits);
    // Rows of an order table are read by their columns; nothing on those lines is assigned
    // to the words around the table.
    let mut tables = table::tables(body);
    let spans: Vec<(usize, usize)> = tables.iter().map(|t| t.lines).collect();
    let in_table = |pos: usize| {
        let line = line_of(pos);
        spans.iter().any(|&(a, b)| (a..=b).contains(&line))
    };
    let mut models_in_tables = Vec::new();
    if !tables.is_empty() {
        anchors.retain(|a| !in_table(a.start));
        let (inside, outside) = models.into_iter().partition(|m| in_table(m.0));
        models_in_tables = inside;
        models = outside;
    }
    if anchors.is_empty() {
        for (start, end, model) in &models {
            if !anchors
                .iter()
                .any(|a| a.product.model.as_deref() == Some(model.as_str()))
            {
                let product = Product {
                    name: model.clone(),
                    model: Some(model.clone()),
                    ..Default::default()
                };
                anchors.push(Anchor {
                    start: *start,
                    end: *end,
                    line: line_of(*start),
                    product,
                    implied: None,
                    not_ordered: None,
                });
            }
        }
    }
    // Counts may be written as words ("twelve faulty machines", "一千二百件"); specs not.
    let counts = vocab::counts(body, nums, hits);
    let mut quantities = quantity::scan_numbers(body, &counts);
    quantities.retain(|q| !size_of_each(body, q, hits));
    let mut specs = specs::scan_numbers(body, nums, hits);
    times_counts(body, nums, &specs, &mut quantities);
    if !tables.is_empty() {
        quantities.retain(|q| !in_table(q.at));
        // A row's specs and model are its own ("电热水壶 | 1.7L | 500 | 台").
        for s in specs.iter().filter(|s| in_table(s.at)) {
            if let Some(p) = row_at(&mut tables, line_of(s.at)) {
                p.specs
                    .entry(s.key.to_string())
                    .or_insert_with(|| s.value.clone());
            }
        }
        for (start, _, model) in models_in_tables.iter() {
            if let Some(p) = row_at(&mut tables, line_of(*start)) {
                p.model.get_or_insert_with(|| model.clone());
            }
        }
        specs.retain(|s| !in_table(s.at));
    }
    if anchors.is_empty() {
        // No product word: list lines closed by a count still name their products.
        closing_counts(lex, body, &line_starts, &quantities, &mut anchors);
    }
    counted_phrases(lex, body, &line_of, &quantities, &mut anchors);
    quoted_counts(lex, body, &line_of, &counts, &mut anchors);
    // Only packing, parts or places named so far ("Packing: … gunny bag cover"): the order
    // lines are still to be found.
    let nothing_ordered = |anchors: &[Anchor]| {
        anchors.iter().all(|a| {
            matches!(
                a.not_ordered,
                Some(NotOrdered::Packing | NotOrdered::Accessory | NotOrdered::Place)
            )
        })
    };
    if nothing_ordered(&anchors) && body.chars().any(is_kana) {
        japanese_counts(lex, body, &line_of, &quantities, &mut anchors);
    }
    if nothing_ordered(&anchors) && !subject_names_product(lex, subject) {
        // No product word, not even in the subject: "40 chaises de terrasse", "600
        // pillowcases" — a whole number before a word that is no unit, date or measure of time
        // counts that thing in pieces.
        bare_counts(lex, body, &line_of, &counts, &mut anchors);
    }
    if nothing_ordered(&anchors) {
        // Nothing counted either: the words around "a quotation for …", "the … you shipped"
        // still name what the letter is about.
        cued_names(lex, body, &line_of, &mut anchors);
    }
    anchors.retain(|a| !in_table(a.start));
    anchors.truncate(MAX_ANCHORS);
    let rows: Vec<Product> = tables.into_iter().flat_map(|t| t.products).collect();
    // "materials (rebar, wire and cement)" above the table names its rows, not more lines.
    if !rows.is_empty() {
        let row_names: Vec<String> = rows.iter().map(|r| r.name.to_lowercase()).collect();
        anchors.retain(|a| {
            let name = a.product.name.to_lowercase();
            a.product.quantity.is_some() || !row_names.iter().any(|r| has_words(r, &name))
        });
    }
    if anchors.is_empty() {
        if !rows.is_empty() {
            return ProductScan {
                products: merge(rows.into_iter()),
            };
        }
        return headless(lex, subject, quantities, specs);
    }
    // A line where something precedes the first product word lists items before their products.
    let positions = models
        .iter()
        .map(|m| m.0)
        .chain(quantities.iter().map(|q| q.at))
        .chain(specs.iter().map(|s| s.at));
    let mut leading_lines = FastSet::default();
    for pos in positions {
        let line = line_of(pos);
        if anchors
            .iter()
            .find(|a| a.line == line)
            .is_some_and(|a| pos < a.start)
        {
            leading_lines.insert(line);
        }
    }
    let owner = |pos: usize| {
        let line = line_of(pos);
        owner(&anchors, body, pos, line, leading_lines.contains(&line))
    };
    let mut assigned: Vec<(usize, Item)> = Vec::new();
    let mut owned: Vec<(usize, &Quantity)> = Vec::new();
    let mut owned_specs: Vec<(usize, &Spec)> = Vec::new();
    for q in &quantities {
        owned.extend(owner(q.at).map(|i| (i, q)));
    }
    for s in &specs {
        owned_specs.extend(owner(s.at).map(|i| (i, s)));
    }
    let variants = variant_lines(lex, body, &line_starts, &anchors, &owned, &owned_specs);
    for (start, _, model) in &models {
        assigned.extend(owner(*start).map(|i| (i, Item::Model(model.clone()))));
    }
    for q in &quantities {
        assigned.extend(owner(q.at).map(|i| (i, Item::Quantity(q.clone()))));
    }
    for s in specs.iter().cloned() {
        assigned.extend(owner(s.at).map(|i| (i, Item::Spec(s))));
    }
    for (i, item) in assigned {
        let Some(anchor) = anchors.get_mut(i) else {
            continue;
        };
        match item {
            Item::Model(m) => {
                anchor.product.model.get_or_insert(m);
            }
            Item::Quantity(q) => set_quantity(&mut anchor.product, &q),
            Item::Spec(s) => {
                anchor
                    .product
                    .specs
                    .entry(s.key.to_string())
                    .or_insert(s.value);
            }
        }
    }
    // Counts an order line of a variant holds are not read again by `closing_counts`
    // ("Large: 2,400 dozen" is no product "Large").
    let variant_counts: FastSet<usize> = variants
        .iter()
        .flat_map(|(_, lines)| lines.iter().map(|l| l.count.at))
        .collect();
    // "800 x 30W and 400 x 50W flood lights": one product word, an order line per variant.
    for (i, lines) in variants.into_iter().rev() {
        let Some(anchor) = anchors.get_mut(i) else {
            continue;
        };
        let mut copies = Vec::with_capacity(lines.len());
        for line in lines {
            let mut product = anchor.product.clone();
            product.quantity = Some(line.count.amount);
            product.unit = line.count.unit.clone();
            if let Some((key, value)) = line.spec {
                product.specs.insert(key.to_string(), value);
            }
            if let Some(label) = line.label {
                product.name = format!("{} ({label})", product.name);
            }
            copies.push(product);
        }
        let mut copies = copies.into_iter();
        if let Some(first) = copies.next() {
            anchor.product = first;
        }
        let (start, end, line) = (anchor.start, anchor.end, anchor.line);
        let rest: Vec<Anchor> = copies
            .map(|product| Anchor {
                start,
                end,
                line,
                product,
                implied: None,
                not_ordered: None,
            })
            .collect();
        anchors.splice(i + 1..i + 1, rest);
    }
    // "Прожектор 100 Вт, кабель 1 м — 1 500 шт.": a product word measured in metres after
    // another product on its line is a part of it.
    for i in 1..anchors.len() {
        let metres = matches!(anchors[i].product.unit.as_deref(), Some("m"));
        // Variants of one product word share its start: "LED strip 12V 500 m, 24V 300 m".
        let variant = anchors[i - 1].start == anchors[i].start;
        if metres
            && !variant
            && anchors[i - 1].line == anchors[i].line
            && anchors[i - 1].not_ordered.is_none()
        {
            anchors[i].not_ordered = Some(NotOrdered::Accessory);
            anchors[i].product.quantity = None;
            anchors[i].product.unit = None;
        }
    }
    let free: Vec<Quantity> = quantities
        .iter()
        .filter(|q| !variant_counts.contains(&q.at))
        .cloned()
        .collect();
    closing_counts(lex, body, &line_starts, &free, &mut anchors);
    for a in &mut anchors {
        if let (None, Some(n)) = (a.product.quantity, a.implied) {
            a.product.quantity = Some(n);
            a.product.unit = Some("pcs".to_string());
        }
    }
    // A count that fell to a word that is no order line ("…from the cement bags, 120 pcs")
    // belongs to the order line before it that has none.
    for i in 0..anchors.len() {
        if anchors[i].not_ordered.is_none() || anchors[i].product.quantity.is_none() {
            continue;
        }
        let counted = anchors[i]
            .product
            .unit
            .as_deref()
            .is_some_and(|u| matches!(u, "pcs" | "sets" | "units" | "pairs"));
        let target = anchors[..i]
            .iter()
            .rposition(|a| a.not_ordered.is_none() && a.product.quantity.is_none());
        if let (true, Some(t)) = (counted, target) {
            let (q, u) = (anchors[i].product.quantity, anchors[i].product.unit.clone());
            anchors[t].product.quantity = q;
            anchors[t].product.unit = u;
        }
    }
    // What was bought before counts only when nothing else is asked for ("the same 500 flood
    // lights we bought last year").
    let only_past = anchors
        .iter()
        .all(|a| matches!(a.not_ordered, Some(NotOrdered::Past)));
    ProductScan {
        products: merge(
            rows.into_iter().chain(
                anchors
                    .into_iter()
                    .filter(|a| match a.not_ordered {
                        None => true,
                        Some(NotOrdered::Past) => only_past,
                        Some(_) => false,
                    })
                    .map(|a| a.product),
            ),
        ),
    }
}

/// Spec keys a count is joined to by a times sign ("800 x 30W"): not capacity, since
/// "250ml x 24" is a pack.
const TIMES_KEYS: [&str; 4] = ["power_w", "voltage", "cct_k", "lumens"];

/// Spec keys that tell variants of one product apart in an order ("800 × 30W and 400 × 50W").
const VARIANT_KEYS: [&str; 5] = ["power_w", "capacity", "voltage", "cct_k", "lumens"];

/// Smallest count read as an order line of a variant ("20 x 50W").
const MIN_VARIANT_COUNT: f64 = 20.0;

/// Farthest a count may sit from the spec it goes with ("400 pcs of the 50W"), in bytes.
const VARIANT_REACH: usize = 24;

/// "800 x 30W", "30W x 800", "30W × 800": a whole number joined by a times sign to a
/// spec that tells variants apart counts pieces of that variant. Dimensions ("600 x 600 mm")
/// are no count, since size is not such a spec.
fn times_counts(body: &str, nums: &[Num], specs: &[Spec], quantities: &mut Vec<Quantity>) {
    // Capacity is left out: "250ml x 24" is a pack, not 24 bottles ordered.
    let variant_at = |pos: usize| {
        specs
            .iter()
            .any(|s| s.at == pos && TIMES_KEYS.contains(&s.key))
    };
    let mut found = Vec::new();
    for (i, n) in nums.iter().enumerate() {
        // "2 x 2.0Ah batteries", "4 x 10W chips": a small multiple is a part of the product.
        let Some(amount) = whole_count(n, MIN_VARIANT_COUNT) else {
            continue;
        };
        if variant_at(n.start) || quantities.iter().any(|q| q.at == n.start) {
            continue;
        }
        let before = body.get(..n.start).unwrap_or("").trim_end();
        // The count first: "800 x 30W"; not a factor of a product ("1200 x 600 x 40W",
        // "(50 x 2W)").
        let factor = before.ends_with(|c: char| is_times(c) || c == '(');
        let after = skip_spaces(body, n.end, 2);
        let forward = !factor
            && char_at(body, after)
                .filter(|&c| is_times(c))
                .is_some_and(|c| {
                    let next = skip_spaces(body, after + c.len_utf8(), 2);
                    nums.get(i + 1).is_some_and(|m| m.start == next) && variant_at(next)
                });
        // The spec first: "30W x 800", not followed by a unit of its own (that is a quantity
        // already) or by another number ("30W x 800 x 600 mm").
        let backward = i > 0 && {
            let times = before.chars().next_back().filter(|&c| is_times(c));
            times.is_some_and(|c| {
                let head = before[..before.len() - c.len_utf8()].trim_end();
                nums.get(i - 1).is_some_and(|m| {
                    variant_at(m.start)
                        && body.get(m.end..head.len()).is_some_and(|unit| {
                            unit.chars().all(tradescout_core::phrases::is_alphabetic)
                        })
                })
            }) && ends_an_order_line(body, after)
        };
        if forward || backward {
            found.push(Quantity {
                at: n.start,
                amount,
                unit: Some("pcs".to_string()),
            });
        }
    }
    if !found.is_empty() {
        quantities.extend(found);
        quantities.sort_by_key(|q| q.at);
    }
}

/// One variant's order line: its count, and what tells it apart — a spec value ("30W") or
/// the label its list line starts with ("Large 2,400 dozen", "大号 2400打").
struct VariantLine<'q> {
    count: &'q Quantity,
    spec: Option<(&'static str, Value)>,
    label: Option<String>,
}

/// Most words of a list line's label before its count ("Notebook II: 20 Geräte").
const MAX_LABEL_WORDS: usize = 4;

/// Whether `hay` holds `needle` as whole words ("lamp" not in "clamp"); anywhere for
/// scripts written without spaces.
fn has_words(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle)
        .any(|(i, m)| super::text::is_whole_word(hay, i, i + m.len()))
}

/// The product of the table row on `line`, if a table has one there.
fn row_at(tables: &mut [table::Table], line: usize) -> Option<&mut Product> {
    tables.iter_mut().find_map(|t| {
        let i = t.row_lines.iter().position(|&l| l == line)?;
        t.products.get_mut(i)
    })
}

/// Whether what follows a count at `at` ends its order line: the end, a separator or a
/// joining word ("30W x 800, 50W x 400", "… x 800 and …"), not a pack ("x 24 cans/carton",
/// "x 24/ctn") or another factor.
fn ends_an_order_line(body: &str, at: usize) -> bool {
    match char_at(body, at) {
        None => true,
        Some(c) if tradescout_core::phrases::is_alphabetic(c) => {
            let word = super::numbers::word_at(body, at).map_or("", |(w, _)| w);
            last_separator(&format!(" {} ", word.to_lowercase())).is_some()
        }
        Some(c) => !(c == '/' || c.is_ascii_digit() || is_times(c)),
    }
}

/// Order lines of one product word that differ by a spec or a list label: for each anchor
/// owning two or more counts, either as many values of one variant spec, each beside its
/// count ("800 × 30W and 400 × 50W"), or each count on a list line of its own below the
/// anchor, after a short label ("shirts as follows: / Large 2,400 dozen / Medium …").
fn variant_lines<'q>(
    lex: &Lexicon,
    body: &str,
    line_starts: &[usize],
    anchors: &[Anchor],
    owned: &[(usize, &'q Quantity)],
    owned_specs: &[(usize, &Spec)],
) -> Vec<(usize, Vec<VariantLine<'q>>)> {
    let line_of = |pos: usize| line_starts.partition_point(|&s| s <= pos).saturating_sub(1);
    let mut out = Vec::new();
    for (i, anchor) in anchors.iter().enumerate() {
        if anchor.not_ordered.is_some() {
            continue;
        }
        let counts: Vec<&Quantity> = owned
            .iter()
            .filter(|(a, _)| *a == i)
            .map(|(_, q)| *q)
            .collect();
        if counts.len() < 2 {
            continue;
        }
        let by_spec = VARIANT_KEYS.iter().find_map(|&key| {
            let values: Vec<&Spec> = owned_specs
                .iter()
                .filter(|(a, s)| *a == i && s.key == key)
                .map(|(_, s)| *s)
                .collect();
            if values.len() != counts.len() {
                return None;
            }
            let distinct = values.iter().skip(1).any(|s| s.value != values[0].value);
            // In order, each count beside its value: "800 × 30W, 400 × 50W".
            let paired = counts
                .iter()
                .zip(&values)
                .all(|(q, s)| q.at.abs_diff(s.at) <= VARIANT_REACH);
            (distinct && paired).then(|| {
                counts
                    .iter()
                    .zip(&values)
                    .map(|(q, s)| VariantLine {
                        count: q,
                        spec: Some((key, s.value.clone())),
                        label: None,
                    })
                    .collect::<Vec<_>>()
            })
        });
        let lines = by_spec.or_else(|| {
            let mut seen = FastSet::default();
            let mut lines = Vec::new();
            for q in &counts {
                let line = line_of(q.at);
                let fresh = line > anchor.line
                    && seen.insert(line)
                    && !anchors.iter().any(|a| a.line == line);
                if !fresh {
                    return None;
                }
                let start = line_starts.get(line).copied()?;
                match list_label(body, start, q.at)? {
                    // "Total 4,400 dozen" sums the lines above it.
                    // "Sample: 2 pcs each size", "MOQ 500": a count about the order, no line.
                    label
                        if (list_item_name(lex, &label).is_none() && !is_size(&label))
                            || request_data()
                                .table
                                .not_line_labels
                                .contains(&label.to_lowercase()) => {}
                    label => lines.push(VariantLine {
                        count: q,
                        spec: None,
                        label: Some(label),
                    }),
                }
            }
            (lines.len() >= 2).then_some(lines)
        });
        if let Some(lines) = lines {
            out.push((i, lines));
        }
    }
    out
}

/// Whether `label` is a garment size ("S", "XL", "2XL"): a variant line of its own.
fn is_size(label: &str) -> bool {
    let label = label.to_lowercase();
    request_data().table.sizes.contains(&label)
}

/// The short label a list line starts with before its count at `at` ("Large", "大号",
/// "Notebook II"), without list markers and separators; `None` when there is none or it
/// is no label (a sentence, a number).
fn list_label(body: &str, line_start: usize, at: usize) -> Option<String> {
    let lead = strip_list_marker(body.get(line_start..at)?.trim());
    let label = lead
        .trim_end_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c))
        .trim_start_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c));
    let words = label.split_whitespace().count();
    // Letters, digits and spaces only: "Large", "Notebook II", "大号"; not "Total: 5,000".
    let plain = label.chars().all(|c| {
        tradescout_core::phrases::is_alphabetic(c) || c.is_ascii_digit() || c.is_whitespace()
    });
    let letters = label.chars().any(tradescout_core::phrases::is_alphabetic);
    ((1..=MAX_LABEL_WORDS).contains(&words) && plain && letters).then(|| label.to_string())
}

/// Whether the subject has a product word of its own (then it names the order, not a bare
/// count in the body).
fn subject_names_product(lex: &Lexicon, subject: Option<&str>) -> bool {
    subject.is_some_and(|s| {
        let one_line = |_: usize| 0;
        !anchors(lex, s, &one_line, &vocab::scan(s)).is_empty()
    })
}

/// No product word in the body: the subject may name one; otherwise an unnamed product
/// carries what was asked ("500 pcs, IP65"), so quantity and specs are not lost.
fn headless(
    lex: &Lexicon,
    subject: Option<&str>,
    quantities: Vec<Quantity>,
    specs: Vec<Spec>,
) -> ProductScan {
    let name = subject.and_then(|s| {
        let one_line = |_: usize| 0;
        anchors(lex, s, &one_line, &vocab::scan(s))
            .into_iter()
            .next()
            .map(|a| a.product.name)
    });
    if name.is_none() && quantities.is_empty() && specs.is_empty() {
        return ProductScan::default();
    }
    let mut product = Product {
        name: name.unwrap_or_default(),
        ..Default::default()
    };
    if let Some(q) = quantities.first() {
        set_quantity(&mut product, q);
    }
    for s in specs {
        product.specs.entry(s.key.to_string()).or_insert(s.value);
    }
    ProductScan {
        products: vec![product],
    }
}

fn set_quantity(p: &mut Product, q: &Quantity) {
    if p.quantity.is_none() {
        p.quantity = Some(q.amount);
        p.unit = q.unit.clone();
    } else if p.unit.is_none() && q.unit.is_some() && p.quantity == Some(q.amount) {
        p.unit = q.unit.clone();
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    v
}

/// Product anchors: labelled product lines, then product words on the other lines.
fn anchors(
    lex: &Lexicon,
    body: &str,
    line_of: &dyn Fn(usize) -> usize,
    hits: &[Hit],
) -> Vec<Anchor> {
    let mut out: Vec<Anchor> = Vec::new();
    let mut labelled_lines = Vec::new();
    // Whether the text is Japanese: read once, and only if a name in CJK script asks.
    let kana = std::cell::OnceCell::new();
    let japanese = || *kana.get_or_init(|| body.chars().any(is_kana));
    let mut offset = 0;
    for raw_line in body.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let Some(colon) = raw_line.find([':', '：']) else {
            continue;
        };
        let label = raw_line[..colon]
            .trim()
            .trim_start_matches(['*', '-', '•'])
            .trim();
        if label.len() > 30 || !contains_lower(&lex.labels, label) {
            continue;
        }
        let sep_len = raw_line[colon..].chars().next().map_or(1, char::len_utf8);
        let value = raw_line[colon + sep_len..].trim_end();
        let lead = value.len() - value.trim_start().len();
        let name = clean_label_value(value);
        if name.chars().count() < 2 || name.chars().count() > 80 {
            continue;
        }
        let start = line_start + colon + sep_len + lead;
        labelled_lines.push(line_of(start));
        let product = Product {
            name,
            ..Default::default()
        };
        out.push(Anchor {
            start,
            end: start + value.trim_start().len(),
            line: line_of(start),
            product,
            implied: None,
            not_ordered: None,
        });
    }
    for (start, end, singular) in hits.iter().filter_map(|h| match h.tag {
        Tag::Head { singular } => Some((h.start, h.end, singular)),
        _ => None,
    }) {
        let line = line_of(start);
        // "200 hilos" is a thread count, not thread.
        let after_count = body.get(..start).map(str::trim_end).is_some_and(|b| {
            let digits = b.len() - b.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            b.get(b.len() - digits..)
                .and_then(|d| d.parse::<f64>().ok())
                .is_some_and(|v| specs::THREAD_COUNTS.contains(&v))
        });
        if labelled_lines.contains(&line)
            || is_quoted_line(body, start)
            || is_price_unit(lex, body, start, end)
            || (after_count && specs::is_thread_count(body, start))
            || out.last().is_some_and(|a| a.start == start)
        {
            continue; // one anchor per place, though a word may be listed twice
        }
        let (name, implied) = product_name(lex, body, (start, end), singular.as_deref(), &japanese);
        let previous = out.last().filter(|a| a.line == line);
        let previous_end = previous.map(|a| a.end);
        // "with 2 batteries + charger": a part listed after a part is one too.
        let chained = previous.is_some_and(|p| {
            p.not_ordered == Some(NotOrdered::Accessory)
                && body.get(p.end..start).is_some_and(|gap| {
                    let g = gap.trim().to_lowercase();
                    [
                        "+", "&", ",", "and", "y", "et", "und", "e", "и", "和", "、", "/",
                    ]
                    .contains(&g.as_str())
                })
        });
        let not_ordered = if chained {
            Some(NotOrdered::Accessory)
        } else if labels_a_number(body, end) {
            // "Telefon: +49 89 1234567", "Móvil: 600 123 456": a contact label, not a phone.
            Some(NotOrdered::Place)
        } else if names_a_place(lex, body, end) {
            // "for our cement plant", "a textile factory": where the goods go, not an order line.
            Some(NotOrdered::Place)
        } else if closes_on_attribute(lex, body, end) {
            // "台式洗碗机？8套餐具的，": what the product before it holds.
            Some(NotOrdered::Accessory)
        } else {
            not_ordered(lex, body, start, previous_end)
        };
        out.push(Anchor {
            start,
            end,
            line,
            product: Product {
                name,
                ..Default::default()
            },
            implied,
            not_ordered,
        });
        if out.len() >= MAX_ANCHORS {
            break;
        }
    }
    out.sort_by_key(|a| a.start);
    // "болгарки (УШМ) 125 мм", "rotary hammer (SDS drill) 26 mm": a second name in brackets
    // right after a product is that product's other name; what follows belongs to the first.
    let mut kept: Vec<Anchor> = Vec::with_capacity(out.len());
    for a in out {
        let alias = kept.last().is_some_and(|prev| {
            prev.not_ordered.is_none()
                && body
                    .get(prev.end..a.start)
                    .is_some_and(|gap| gap.trim() == "(")
                && body
                    .get(a.end..)
                    .is_some_and(|rest| rest.trim_start().starts_with(')'))
        });
        if !alias {
            kept.push(a);
        }
    }
    join_purposes(lex, body, kept)
}

/// A product word that is the unit of a price ("USD 12.50/pc", "per pc"): the Italian "pc" (a
/// computer) is not asked for there, though "20 pc portatili" asks for computers.
fn is_price_unit(lex: &Lexicon, body: &str, start: usize, end: usize) -> bool {
    let Some(word) = body.get(start..end) else {
        return false;
    };
    if !lex.count_units.contains(&word.to_lowercase()) {
        return false;
    }
    let before = body.get(..start).unwrap_or("").trim_end();
    // "per pc?" prices a piece; "offerta per PC portatili" (Italian "for") asks for computers:
    // after a word like "per" the unit must end the phrase.
    let ends_phrase = body
        .get(end..)
        .and_then(|rest| rest.trim_start_matches([' ', '\t']).chars().next())
        .is_none_or(|c| !tradescout_core::phrases::is_alphabetic(c));
    before.ends_with('/')
        || ends_phrase
            && before
                .rsplit(|c: char| !tradescout_core::phrases::is_alphanumeric(c))
                .next()
                .is_some_and(|w| lex.per_words.contains(&w.to_lowercase()))
}

/// A count closing a list line after a dash or colon is the order quantity of the line's first
/// product, whatever counts its specs hold: "2) Cordless drill 20V with 2 batteries and
/// charger: 600 sets", "纯棉四件套 1.8m床 —— 1200套", "غلاية كهربائية 1.7 لتر: 5000 قطعة". A list
/// line with such a count and no product word is an order line named by its own words.
///
/// A list run on one line ("тумбы - 10 шт, шкафы - 5 шт, стулья - 40 шт") is read the same way
/// item by item: when two or more counts on a line each close their comma-separated item after
/// a dash or colon, each item is a list line of its own.
fn closing_counts(
    lex: &Lexicon,
    body: &str,
    line_starts: &[usize],
    quantities: &[Quantity],
    anchors: &mut Vec<Anchor>,
) {
    const ITEM_SEPARATORS: [char; 4] = [',', ';', '，', '；'];
    // An item also starts after the line's label ("Просим предложение: тумбы - 10 шт, …").
    const ITEM_STARTS: [char; 6] = [',', ';', '，', '；', ':', '：'];
    struct Closing<'q> {
        q: &'q Quantity,
        line: usize,
        /// Where the line, or the item of an inline list, starts.
        start: usize,
        /// Where the count's own comma item starts, were the line an inline list.
        item_start: usize,
        lead_end: usize,
        inline: bool,
    }
    let mut closing: Vec<Closing> = Vec::new();
    for q in quantities {
        let line = line_starts
            .partition_point(|&s| s <= q.at)
            .saturating_sub(1);
        let start = line_starts.get(line).copied().unwrap_or(0);
        let end = line_starts.get(line + 1).map_or(body.len(), |e| e - 1);
        let (Some(before), Some(after)) = (body.get(start..q.at), body.get(q.at..end)) else {
            continue;
        };
        // "…, 300 кг яблук": a count followed by what it counts closes nothing.
        if counted_name(lex, body, q.at).is_some() {
            continue;
        }
        let lead = before.trim_end();
        let Some(sep) = lead.chars().next_back().filter(|&c| {
            matches!(
                c,
                '-' | '—' | '–' | ':' | '：' | '=' | '×' | '*' | '→' | '，' | ','
            )
        }) else {
            continue;
        };
        // An item starts after the comma before it, or after the line's label ("Просим
        // предоставить предложение: тумбы - 10 шт, …").
        let item_start = lead[..lead.len() - sep.len_utf8()]
            .rfind(ITEM_STARTS)
            .map_or(start, |i| {
                start + i + lead[i..].chars().next().map_or(1, char::len_utf8)
            });
        let item_end = after.find(ITEM_SEPARATORS).map_or(end, |i| q.at + i);
        let closes_item =
            !matches!(sep, ',' | '，') && body.get(q.at..item_end).is_some_and(closes_line);
        let inline = if closes_line(after) {
            false
        } else if closes_item {
            true
        } else {
            continue;
        };
        closing.push(Closing {
            q,
            line,
            start: if inline { item_start } else { start },
            item_start,
            lead_end: start + lead.len(),
            inline,
        });
    }
    // An inline list needs two items at least; the last item closes the line too. A lone
    // count closing its comma item only ("sample - 2 pcs, bulk order later") closes nothing.
    let mut lone = vec![false; closing.len()];
    for i in 0..closing.len() {
        let line = closing[i].line;
        let items = closing.iter().filter(|c| c.line == line).count();
        let any_inline = closing.iter().any(|c| c.line == line && c.inline);
        if items >= 2 && any_inline {
            let c = &mut closing[i];
            c.start = c.item_start;
            c.inline = true;
        } else if closing[i].inline {
            lone[i] = true;
        }
    }
    let mut flags = lone.into_iter();
    closing.retain(|_| !flags.next().unwrap_or(false));
    for c in closing {
        let (q, line) = (c.q, c.line);
        // Variants of one product word already hold their own counts ("30 Вт — 800 шт.,
        // 50 Вт — 400 шт."): the copies of one anchor share its start.
        let variants = anchors
            .windows(2)
            .any(|w| w[0].line == line && w[0].start == w[1].start);
        if variants {
            continue;
        }
        let in_item = |a: &Anchor| {
            a.line == line && a.not_ordered.is_none() && a.start < q.at && a.start >= c.start
        };
        let ordered = if c.inline {
            anchors.iter_mut().find(|a| in_item(a))
        } else {
            anchors
                .iter_mut()
                .find(|a| a.line == line && a.not_ordered.is_none() && a.start < q.at)
        };
        if let Some(a) = ordered {
            a.product.quantity = Some(q.amount);
            a.product.unit.clone_from(&q.unit);
            continue;
        }
        let named_on_line = if c.inline {
            anchors
                .iter()
                .any(|a| a.line == line && a.start >= c.start && a.start < q.at)
        } else {
            anchors.iter().any(|a| a.line == line)
        };
        if named_on_line || q.unit.is_none() {
            continue;
        }
        let Some(lead) = body.get(c.start..c.lead_end) else {
            continue;
        };
        let name = list_item_name(
            lex,
            lead.trim_end_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c)),
        );
        if let Some(name) = name {
            let at = c.start + lead.len() - lead.trim_start().len();
            let pos = anchors.partition_point(|a| a.start < at);
            anchors.insert(
                pos,
                Anchor {
                    start: at,
                    end: q.at,
                    line,
                    product: Product {
                        name,
                        quantity: Some(q.amount),
                        unit: q.unit.clone(),
                        ..Default::default()
                    },
                    implied: None,
                    not_ordered: None,
                },
            );
        }
    }
}

/// Whether what follows a quantity's start is only its number and unit, up to the end of the
/// line (a closing bracket note such as "（4个花色各300套）" allowed).
/// "120 metric tons of white poster paper", "60 packets of A4 copier paper": a count with its
/// unit followed by "of" names what it counts, when no product word does (paper, glassware and
/// citric acid are in no vocabulary). The name runs to the first stop word, sign or number.
fn counted_phrases(
    lex: &Lexicon,
    body: &str,
    line_of: &dyn Fn(usize) -> usize,
    quantities: &[Quantity],
    anchors: &mut Vec<Anchor>,
) {
    for q in quantities {
        if q.unit
            .as_deref()
            .is_none_or(|u| u.starts_with("20") || u.starts_with("40"))
        {
            continue;
        }
        let Some((name_start, name_end, name)) = counted_name(lex, body, q.at) else {
            continue;
        };
        // "5000 bags of coffee": a product word that is only the unit ("bags") gives way to
        // what it counts — once what it counts is in.
        let mut unit_words: Vec<Anchor> = Vec::new();
        let mut i = 0;
        while i < anchors.len() {
            if anchors[i].start >= q.at && anchors[i].end <= name_start {
                unit_words.push(anchors.remove(i));
            } else {
                i += 1;
            }
        }
        let len = anchors.len();
        let product = Product {
            name,
            quantity: Some(q.amount),
            unit: q.unit.clone(),
            ..Default::default()
        };
        let more = add_named(
            (lex, body, line_of),
            anchors,
            q.at,
            (name_start, name_end),
            product,
        );
        let counted_inside = anchors.iter().any(|a| {
            a.start >= name_start
                && a.end <= name_end
                && a.product.quantity == Some(q.amount)
                && a.product.unit == q.unit
        });
        if anchors.len() == len && !counted_inside {
            // Nothing was added: the unit's product word stays.
            for a in unit_words {
                let pos = anchors.partition_point(|b| b.start < a.start);
                anchors.insert(pos, a);
            }
        }
        if !more {
            break;
        }
    }
}

/// Adds the anchor of a name read around a count or a cue. `at` is where the count or the
/// name starts: its line, and the clause checked for past purchases ("Last year we bought 20
/// tons of poster paper" orders none). Nothing is added where an anchor already covers
/// `at..end`; `false` once the message has its most anchors.
fn add_named(
    (lex, body, line_of): (&Lexicon, &str, &dyn Fn(usize) -> usize),
    anchors: &mut Vec<Anchor>,
    at: usize,
    (start, end): (usize, usize),
    product: Product,
) -> bool {
    if anchors.len() >= MAX_ANCHORS {
        return false;
    }
    if anchors.iter().any(|a| a.start < end && a.end > at) {
        // "2000 bags of 25 kg rice": the product word inside what the count names takes the
        // count, when nothing else gave it one.
        if let Some(a) = anchors.iter_mut().find(|a| {
            a.start >= start && a.end <= end && a.product.quantity.is_none() && a.implied.is_none()
        }) {
            if product.quantity.is_some() {
                a.product.quantity = product.quantity;
                a.product.unit = product.unit;
            }
        }
        return true;
    }
    let pos = anchors.partition_point(|a| a.start < start);
    anchors.insert(
        pos,
        Anchor {
            start,
            end,
            line: line_of(at),
            product,
            implied: None,
            not_ordered: not_ordered(lex, body, at, None),
        },
    );
    true
}

/// "30 'Clearsound' transistor receivers": a whole number right before a quoted name counts
/// that product in pieces, though no unit or product word says so.
fn quoted_counts(
    lex: &Lexicon,
    body: &str,
    line_of: &dyn Fn(usize) -> usize,
    nums: &[super::numbers::Num],
    anchors: &mut Vec<Anchor>,
) {
    for n in nums {
        let Some(amount) = whole_count(n, 1.0) else {
            continue;
        };
        let at = super::numbers::skip_spaces(body, n.end, 1);
        if at == n.end
            || !body
                .get(at..)
                .is_some_and(|r| r.starts_with(['\'', '"', '‘', '“', '«']))
        {
            continue;
        }
        let Some((start, end, name)) = phrase_after(lex, body, at) else {
            continue;
        };
        if !add_pieces(
            (lex, body, line_of),
            anchors,
            n.start,
            (start, end, name),
            amount,
        ) {
            break;
        }
    }
}

/// The value of a whole number from `min` up to ten million (a count of pieces), else `None`.
fn whole_count(n: &super::numbers::Num, min: f64) -> Option<f64> {
    n.value
        .filter(|v| *v >= min && v.fract() == 0.0 && *v < 1.0e7)
}

/// Adds the product named at `start..end`, counted by the number at `at` in pieces (see
/// [`add_named`]; `false` once the message has its most anchors).
fn add_pieces(
    ctx: (&Lexicon, &str, &dyn Fn(usize) -> usize),
    anchors: &mut Vec<Anchor>,
    at: usize,
    (start, end, name): (usize, usize, String),
    amount: f64,
) -> bool {
    let product = Product {
        name,
        quantity: Some(amount),
        unit: Some("pcs".to_string()),
        ..Default::default()
    };
    add_named(ctx, anchors, at, (start, end), product)
}

/// "Le 3 mars, j'ai passé commande de 40 chaises de terrasse": when no other rule named a
/// product, a whole number followed by a word that is no unit, month, stop word or measure of
/// time, money or people (`not_counted`) names what it counts, in pieces. At most three.
fn bare_counts(
    lex: &Lexicon,
    body: &str,
    line_of: &dyn Fn(usize) -> usize,
    nums: &[super::numbers::Num],
    anchors: &mut Vec<Anchor>,
) {
    let mut added = 0;
    for n in nums {
        let Some(amount) = whole_count(n, 2.0) else {
            continue;
        };
        // Years, numbers glued to letters or signs ("n°2417", "A4", "$300"), and numbers
        // after a label or abbreviation ("No. 527", "Tel: 0161…"); a list marker at the
        // line's start ("- 40 chairs", "1. 40 chairs") is no label.
        let before = body.get(..n.start).unwrap_or_default();
        let line_head = before.rsplit('\n').next().unwrap_or_default().trim();
        let list_marker = line_head.is_empty()
            || matches!(line_head, "-" | "*" | "•" | "·")
            || (line_head.ends_with(['.', ')'])
                && line_head[..line_head.len() - 1]
                    .bytes()
                    .all(|b| b.is_ascii_digit()));
        let glued = before.chars().next_back().is_some_and(|c| {
            tradescout_core::phrases::is_alphanumeric(c) || "#°№$€£¥/-.".contains(c)
        }) || (!list_marker
            && before
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '.' | ':' | '：' | '/' | '-')));
        let year = n.raw.len() == 4
            && n.raw.bytes().all(|b| b.is_ascii_digit())
            && (1900.0..=2100.0).contains(&amount);
        // "03238 Finsterwalde": a count never starts with a zero; that is a postcode.
        let postcode = n.raw.len() > 1 && n.raw.starts_with('0');
        // "your offer of May 11 covering …": a day after its month.
        let day = before
            .trim_end()
            .rsplit(|c: char| !tradescout_core::phrases::is_alphabetic(c))
            .next()
            .is_some_and(is_month);
        if glued || year || postcode || day {
            continue;
        }
        let mut at = super::numbers::skip_spaces(body, n.end, 1);
        if at == n.end || quantity::unit_at(body, at).is_some() {
            continue;
        }
        // "300 ألف جهاز لابتوب": a scale word multiplies the count; a unit after it is the
        // quantity reader's.
        let mut amount = amount;
        if let Some((factor, end)) = quantity::scale_word_at(body, at) {
            amount *= factor;
            at = super::numbers::skip_spaces(body, end, 1);
            if amount >= 1.0e9 || quantity::unit_at(body, at).is_some() {
                continue;
            }
        }
        let Some((word, _)) = super::numbers::word_at(body, at) else {
            continue;
        };
        if !word.starts_with(tradescout_core::phrases::is_alphabetic)
            || super::text::is_cjk(word.chars().next().unwrap_or(' '))
            || contains_lower(&lex.stop, word)
            || contains_lower(&lex.counted_skip, word)
            || contains_lower(&lex.counted_generic, word)
            || contains_lower(&lex.not_counted, word)
            || is_month(word)
            // Short magnitudes are also words ("300 bin liners", "4 mil bags").
            || (word.chars().count() >= 4 && super::price::is_money_scale(word))
        {
            continue;
        }
        let Some((start, end, name)) = phrase_after(lex, body, at) else {
            continue;
        };
        // "23 Harbour Road": a street word anywhere makes it an address.
        if name.split(' ').any(|w| contains_lower(&lex.not_counted, w)) {
            continue;
        }
        if !add_pieces(
            (lex, body, line_of),
            anchors,
            n.start,
            (start, end, name),
            amount,
        ) {
            break;
        }
        added += 1;
        if added >= 3 {
            break;
        }
    }
}

/// Whether quantity `q` is the size of each piece: a measure right after a product word and a
/// linking word ("papeleras de 120 litros", "bags of 25 kg"), or right before a capacity word
/// ("400 litre kapasiteli"). `[size_measures]` in the request data.
fn size_of_each(body: &str, q: &Quantity, hits: &[Hit]) -> bool {
    let data = &request_data().size_measures;
    if packed_size(body, q) {
        return true;
    }
    if !q
        .unit
        .as_deref()
        .is_some_and(|u| data.units.iter().any(|m| m == u))
    {
        return false;
    }
    let digits = digits_len(body.get(q.at..).unwrap_or(""));
    let after_unit = quantity::unit_at(body, q.at + digits).map(|(_, end)| end);
    let capacity = after_unit
        .and_then(|end| super::numbers::word_at(body, skip_spaces(body, end, 1)))
        .is_some_and(|(w, _)| data.before_capacity.contains(&w.to_lowercase()));
    if capacity {
        return true;
    }
    // The word before the number links it to a product word right before that.
    let before = body.get(..q.at).unwrap_or("").trim_end();
    let Some(link_start) = before.rfind(char::is_whitespace).map(|i| i + 1) else {
        return false;
    };
    let link = before.get(link_start..).unwrap_or("");
    if !data.after_product.contains(&link.to_lowercase()) {
        return false;
    }
    let head_end = before.get(..link_start).unwrap_or("").trim_end().len();
    hits.iter()
        .any(|h| matches!(h.tag, Tag::Head { .. }) && h.end == head_end)
}

/// "2000 bags of 25 kg rice", "20 containers of 50kg bags": a weight or volume after a count
/// of packs and a link sizes each pack (`packed_units`, `packs`, `pack_links` in
/// `[size_measures]`).
fn packed_size(body: &str, q: &Quantity) -> bool {
    let data = &request_data().size_measures;
    if !q
        .unit
        .as_deref()
        .is_some_and(|u| data.packed_units.iter().any(|m| m == u))
    {
        return false;
    }
    let before = body.get(..q.at).unwrap_or("").trim_end();
    let Some(link_start) = before.rfind(char::is_whitespace).map(|i| i + 1) else {
        return false;
    };
    let link = before.get(link_start..).unwrap_or("");
    if !data.pack_links.iter().any(|l| l.eq_ignore_ascii_case(link)) {
        return false;
    }
    let head = before.get(..link_start).unwrap_or("").trim_end();
    let Some(unit_start) = head.rfind(char::is_whitespace).map(|i| i + 1) else {
        return false;
    };
    let count = head.get(..unit_start).unwrap_or("").trim_end();
    let count_word = count.rsplit(char::is_whitespace).next().unwrap_or("");
    if count_word.is_empty()
        || !count_word
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'.'))
    {
        return false;
    }
    quantity::unit_at(body, unit_start)
        .is_some_and(|(u, end)| end == head.len() && data.packs.contains(&u))
}

/// Past the size of each pack after a count of packs and its link: "25 kg " in "2000 bags of
/// 25 kg rice", "50kg bags of " in "20 containers of 50kg bags of cement". `at` itself when
/// no size follows.
fn past_pack_size(lex: &Lexicon, body: &str, at: usize) -> usize {
    let data = &request_data().size_measures;
    let from = skip_spaces(body, at, 2);
    let rest = body.get(from..).unwrap_or("");
    let digits = digits_len(rest);
    if digits == 0 {
        return at;
    }
    let Some((unit, end)) = quantity::unit_at(body, from + digits) else {
        return at;
    };
    if !data.packed_units.contains(&unit) {
        return at;
    }
    let next = skip_spaces(body, end, 2);
    // "50kg bags of cement": the pack word and its link belong to the size too.
    if let Some((pack, pack_end)) = quantity::unit_at(body, next) {
        if data.packs.contains(&pack) {
            let link_at = skip_spaces(body, pack_end, 2);
            if let Some((link, link_end)) = super::numbers::word_at(body, link_at) {
                if contains_lower(&lex.counted_links, link) {
                    return link_end;
                }
            }
            return pack_end;
        }
    }
    next
}

/// The length of the digits (with their separators) that `text` starts with.
fn digits_len(text: &str) -> usize {
    text.find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | '\'')))
        .unwrap_or(text.len())
}

/// Whether `word` is a month's name in any language of the request data, also with a case
/// ending after an apostrophe ("Mart'ta", "Ocak'tan").
fn is_month(word: &str) -> bool {
    let word = word.split(['\'', '’']).next().unwrap_or(word);
    static MONTHS: std::sync::OnceLock<FastSet<String>> = std::sync::OnceLock::new();
    MONTHS
        .get_or_init(|| {
            super::lexicon::request_data()
                .months
                .values()
                .flatten()
                .map(|m| m.to_lowercase())
                .collect()
        })
        .contains(&word.to_lowercase())
}

/// The words counted by the quantity at `at`: after its number, its unit and a linking word.
fn counted_name(lex: &Lexicon, body: &str, at: usize) -> Option<(usize, usize, String)> {
    let rest = body.get(at..)?;
    let number_len = if rest.starts_with(|c: char| c.is_ascii_digit()) {
        digits_len(rest)
    } else {
        // A number written as words: "Thirty metric tons", "one hundred and fifty bags".
        spelled_len(rest)
    };
    let (unit, unit_end) = quantity::unit_at(body, at + number_len)?;
    if body
        .get(unit_end..)
        .and_then(|r| r.chars().next())
        .is_some_and(super::text::is_cjk)
    {
        return cjk_counted(lex, body, unit_end);
    }
    // German writes pieces the way other units are written: "14 Stk. PCR Analysegeräte",
    // "50 Stück T-Shirts"; the abbreviation's full stop ends no sentence.
    let german_pieces = body
        .get(at + number_len..unit_end)
        .map(|u| u.trim().to_lowercase())
        .is_some_and(|u| lex.named_after_pieces.contains(&u));
    let unit_end = if german_pieces && body.get(unit_end..).is_some_and(|r| r.starts_with(". ")) {
        unit_end + 1
    } else {
        unit_end
    };
    let link_at = super::numbers::skip_spaces(body, unit_end, 2);
    let (link, link_end) = super::numbers::word_at(body, link_at)?;
    if contains_lower(&lex.counted_links, link) {
        return phrase_after(lex, body, past_pack_size(lex, body, link_end));
    }
    // "6 Flaschen Madeira", "20 Säcke Weizenmehl": languages that count without a link;
    // a capitalised word right after a measure (not a new sentence) starts the name. After
    // plain pieces the words are the product's own ("2000 pcs USB charger"), read by the
    // vocabulary.
    if link_at > unit_end
        && (german_pieces || !matches!(unit.as_str(), "pcs" | "units" | "sets" | "pairs"))
        && link.starts_with(char::is_uppercase)
        // Codes ("CIF", "FOB", "USD", "MT") and months ("May 15") are no names.
        && (!link.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
            || german_pieces && !lex.trade_codes.contains(link))
        && !is_month(link)
        && !contains_lower(&lex.stop, link)
        && !contains_lower(&lex.counted_generic, link)
    {
        // Only the capitalised words: "6 Flaschen Try Madeira verschaffen" counts Try Madeira.
        let (start, _, name) = phrase_after(lex, body, link_at)?;
        let kept: Vec<&str> = name
            .split(' ')
            .take_while(|w| w.starts_with(char::is_uppercase))
            .collect();
        let last = kept.last()?;
        let end = body.get(start..)?.find(last)? + start + last.len();
        return Some((start, end, kept.join(" ")));
    }
    // "150 кг помідор", "500 кг муки", "20 т цемента": Russian and Ukrainian count with the
    // noun right after the unit, in the genitive, without a link word.
    let cyrillic_noun = link
        .chars()
        .next()
        .is_some_and(|c| ('\u{0430}'..='\u{045F}').contains(&c));
    if link_at > unit_end
        && cyrillic_noun
        && !matches!(unit.as_str(), "pcs" | "units" | "sets" | "pairs")
        && !contains_lower(&lex.stop, link)
        && !contains_lower(&lex.counted_generic, link)
    {
        return phrase_after(lex, body, link_at);
    }
    // "1000 karton mie instan", "500 thùng nước giải khát": Indonesian, Malay and Vietnamese
    // count packs with the goods right after the unit. Only after packs: after pieces the
    // words are the product's own, read by the vocabulary.
    let packs = &request_data().size_measures.packs;
    if link_at > unit_end
        && packs.contains(&unit)
        && link.starts_with(char::is_lowercase)
        && link
            .chars()
            .all(|c| tradescout_core::phrases::is_alphabetic(c) || c == '-')
        && !contains_lower(&lex.stop, link)
        && !contains_lower(&lex.counted_generic, link)
        && !contains_lower(&lex.not_counted, link)
        && !contains_lower(&lex.counted_skip, link)
        && !contains_lower(&lex.per_words, link)
        && !is_month(link)
    {
        if let Some(found) = phrase_after(lex, body, link_at) {
            return Some(found);
        }
    }
    // "200 sacs d'huile", "dell'olio": an elided link glued to the name.
    let (head, _) = link.split_once(['\'', '’'])?;
    let mark = link.get(head.len()..)?.chars().next()?;
    if !contains_lower(&lex.counted_links, &format!("{head}'")) {
        return None;
    }
    phrase_after(lex, body, link_at + head.len() + mark.len_utf8())
}

/// The length of the number words (with their spaces, hyphens and links) that `text` starts
/// with, up to the unit after them.
fn spelled_len(text: &str) -> usize {
    let mut end = 0;
    let mut pos = 0;
    while let Some((word, word_end)) = super::numbers::word_at(text, pos) {
        let lower = word.to_lowercase();
        let data = &super::lexicon::request_data().numbers;
        let number = super::numbers::number_word(word).is_some()
            || data.cjk_digits.contains_key(&lower)
            || data.cjk_scales.contains_key(&lower);
        if number {
            end = word_end;
        } else if !data.links.contains(&lower) {
            break;
        }
        pos = word_end;
        while text.get(pos..).is_some_and(|r| r.starts_with([' ', '-'])) {
            pos += 1;
        }
    }
    end
}

/// Whether the words ending at `end` are followed by an attribute particle that closes the
/// clause ("台式洗碗机？8套餐具的，"): they describe a product named before them.
fn closes_on_attribute(lex: &Lexicon, body: &str, end: usize) -> bool {
    let tail = body.get(end..).unwrap_or("");
    lex.counted_attribute_cjk.iter().any(|p| {
        tail.strip_prefix(p.as_str()).is_some_and(|after| {
            after.trim_start().chars().next().is_none_or(|c| {
                matches!(
                    c,
                    '，' | '。' | '、' | '？' | '！' | '；' | ',' | '.' | '?' | '!' | ';' | '\n'
                )
            })
        })
    })
}

/// "500辆飞鸽牌自行车": what a Chinese classifier counts follows it directly, up to a stop word
/// or sign (`counted_stop_cjk`); a brand before its mark (`brand_marks_cjk`) is left out.
fn cjk_counted(lex: &Lexicon, body: &str, from: usize) -> Option<(usize, usize, String)> {
    cjk_counted_run(lex, body, from, true)
}

/// [`cjk_counted`]; `attribute` lets a run that ends on an attribute particle ("800套标准的学生
/// 课桌椅", "500个圆形的LED面板灯") give way to the head after the particle, once.
fn cjk_counted_run(
    lex: &Lexicon,
    body: &str,
    from: usize,
    attribute: bool,
) -> Option<(usize, usize, String)> {
    let rest = body.get(from..)?;
    // Stops are compared folded (traditional as simplified); folding keeps byte offsets.
    let window_end = rest.char_indices().nth(16).map_or(rest.len(), |(i, _)| i);
    let folded = tradescout_core::phrases::fold(rest.get(..window_end)?);
    let mut end = 0;
    for (i, c) in rest.char_indices().take(12) {
        let kana = matches!(c as u32, 0x3040..=0x30FF);
        let stop = folded.get(i..).is_some_and(|r| {
            lex.counted_stop_cjk
                .iter()
                .any(|w| r.starts_with(w.as_str()))
        });
        if !super::text::is_cjk(c) || kana || stop {
            break;
        }
        end = i + c.len_utf8();
    }
    let run = rest.get(..end)?;
    // "200セット見積もり": in Japanese the words after a count are the sentence's.
    if lex
        .japanese_not_names
        .iter()
        .any(|w| run.starts_with(w.as_str()))
    {
        return None;
    }
    // "6套餐具的。": the count closes on an attribute particle, so it describes the product
    // named before it and orders nothing.
    if closes_on_attribute(lex, body, from + end) {
        return None;
    }
    let particle = lex
        .counted_attribute_cjk
        .iter()
        .find(|p| rest.get(end..).is_some_and(|r| r.starts_with(p.as_str())));
    if let (true, Some(p)) = (attribute, particle) {
        // The words before the particle describe; the product is named after it, maybe
        // starting with Latin letters ("LED面板灯", "T恤").
        let head_from = from + end + p.len();
        let after = body.get(head_from..).unwrap_or("");
        let latin = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(after.len());
        if latin <= 12 {
            if let Some((_, head_end, name)) = cjk_counted_run(lex, body, head_from + latin, false)
            {
                let prefix = after.get(..latin).unwrap_or("");
                if prefix.len() + name.chars().count() >= 2 {
                    return Some((head_from, head_end, format!("{prefix}{name}")));
                }
            }
        }
    }
    let start = lex
        .brand_marks_cjk
        .iter()
        .filter_map(|m| run.find(m.as_str()).map(|i| i + m.len()))
        .max()
        .unwrap_or(0);
    let name = run.get(start..)?;
    // After a particle one character may follow Latin letters ("T恤"); the caller checks.
    let least = if attribute { 2 } else { 1 };
    (name.chars().count() >= least).then(|| (from + start, from + end, name.to_string()))
}

fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF)
}

/// The run of katakana, kanji and Latin letters (with digits and hyphens) that `text` ends
/// with, less a sentence word glued to its front ("注文LEDライト" is "LEDライト"): the part of a
/// Japanese compound before where the caller stands.
fn japanese_compound_end<'t>(lex: &Lexicon, text: &'t str) -> &'t str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|&(_, c)| {
            matches!(c as u32, 0x30A0..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
                || c.is_ascii_alphanumeric()
                || c == '-'
        })
        .last()
        .map_or(text.len(), |(i, _)| i);
    let mut run = &text[start..];
    for w in &lex.japanese_not_names {
        if let Some(rest) = run.strip_prefix(w.as_str()) {
            run = rest;
        }
    }
    run
}

/// Japanese names the goods before their count: "LEDパネルライトを500台", "シリコンケース
/// 300個", "ソーラー街路灯：200セット". The name is the run of katakana, kanji and Latin letters
/// right before a particle, a space or a colon before the count (or glued to it when the name
/// holds katakana); hiragana, signs and line ends close it. A run the data lists as no goods ("数量は300個") names nothing.
fn japanese_counts(
    lex: &Lexicon,
    body: &str,
    line_of: &dyn Fn(usize) -> usize,
    quantities: &[Quantity],
    anchors: &mut Vec<Anchor>,
) {
    for q in quantities
        .iter()
        .filter(|q| q.unit.is_some())
        .take(MAX_ANCHORS)
    {
        let Some(before) = body.get(..q.at) else {
            continue;
        };
        let mut head = before.trim_end_matches([' ', '\u{3000}', ':', '：']);
        if let Some(p) = lex
            .japanese_count_particles
            .iter()
            .find(|p| head.ends_with(p.as_str()))
        {
            head = &head[..head.len() - p.len()];
        } else if head.len() == before.len()
            && !japanese_compound_end(lex, head)
                .chars()
                .any(|c| matches!(c as u32, 0x30A0..=0x30FF))
        {
            // Glued to the count with nothing between: Chinese order, read elsewhere — unless
            // the name holds katakana, which only Japanese writes ("電子カルテノート2台").
            continue;
        }
        let name = japanese_compound_end(lex, head);
        let name_start = head.len() - name.len();
        let letters = name.chars().filter(|c| !c.is_ascii_digit()).count();
        if letters < 2
            || name.starts_with(|c: char| c.is_ascii_digit())
            || lex
                .japanese_not_names
                .iter()
                .any(|w| name.ends_with(w.as_str()))
        {
            continue;
        }
        if anchors.iter().any(|a| a.start == name_start) {
            continue;
        }
        let pos = anchors.partition_point(|a| a.start < name_start);
        anchors.insert(
            pos,
            Anchor {
                start: name_start,
                end: q.at,
                line: line_of(name_start),
                product: Product {
                    name: name.to_string(),
                    quantity: Some(q.amount),
                    unit: q.unit.clone(),
                    ..Default::default()
                },
                implied: None,
                not_ordered: None,
            },
        );
    }
}

/// Names after "a quotation for", "interested in", "the consignment of" and before "you
/// shipped", "must be replaced" (`name_after` / `name_before` in the request data).
fn cued_names(
    lex: &Lexicon,
    body: &str,
    line_of: &dyn Fn(usize) -> usize,
    anchors: &mut Vec<Anchor>,
) {
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for (_, end) in lex.name_after.spans_in(body) {
        let Some(first) = phrase_after(lex, body, end) else {
            continue;
        };
        // "Re: Green Tea Extract and Porcelain Tea Set": a second name joined by "and" on the
        // same line is a second product.
        let second = and_then_name(body, first.1).and_then(|at| phrase_after(lex, body, at));
        found.push(first);
        found.extend(second);
    }
    for (start, _) in lex.name_before.spans_in(body) {
        found.extend(phrase_before(lex, body, start));
    }
    found.sort_by_key(|f| f.0);
    for (start, end, name) in found {
        let product = Product {
            name,
            ..Default::default()
        };
        if !add_named((lex, body, line_of), anchors, start, (start, end), product) {
            break;
        }
    }
}

/// Where a second name starts after the name ending at `end`: past " and " or " & " on the
/// same line, when a capital letter follows (a title's second item, not a clause).
fn and_then_name(body: &str, end: usize) -> Option<usize> {
    let rest = body.get(end..)?;
    let after = ["and ", "& ", "y ", "et ", "und ", "e "]
        .iter()
        .find_map(|link| rest.strip_prefix(' ')?.strip_prefix(link))?;
    after
        .starts_with(|c: char| c.is_uppercase())
        .then(|| body.len() - after.len())
}

/// The name that ends at `to`, read back to the start of its clause ("the dried mushroom" in
/// "The dried mushroom you shipped"), with the same rules as [`phrase_after`].
fn phrase_before(lex: &Lexicon, body: &str, to: usize) -> Option<(usize, usize, String)> {
    // At most four words are kept: a short look back is enough and bounds the work.
    let mut from = to.saturating_sub(200);
    while !body.is_char_boundary(from) {
        from -= 1;
    }
    let head = body.get(..to)?;
    let clause_start = from
        + after_last(
            head.get(from..)?,
            &['.', '!', '?', ';', ':', ',', '\n', '(', ')', '。', '，'],
        );
    let clause = head.get(clause_start..)?;
    let mut words: Vec<(usize, &str)> = Vec::new();
    for (i, token) in clause.split_whitespace().rev().map(|t| {
        let i = t.as_ptr() as usize - clause.as_ptr() as usize;
        (clause_start + i, t)
    }) {
        let word = token.trim_matches(|c: char| matches!(c, '\'' | '"' | '‘' | '’' | '“' | '”'));
        if word.is_empty()
            || contains_lower(&lex.counted_skip, word)
            || contains_lower(&lex.stop, word)
            || !word.starts_with(tradescout_core::phrases::is_alphabetic)
            || !word
                .chars()
                .all(|c| tradescout_core::phrases::is_alphabetic(c) || c == '-')
        {
            break;
        }
        words.push((i, word));
        if words.len() >= 4 {
            break;
        }
    }
    words.reverse();
    let (start, _) = *words.first()?;
    let (last_at, last) = *words.last()?;
    let names: Vec<&str> = words.iter().map(|(_, w)| *w).collect();
    // The last word is the noun: "the last shipment" names no product.
    let generic = names
        .last()
        .is_none_or(|w| contains_lower(&lex.counted_generic, w));
    let letters: usize = names.iter().map(|w| w.chars().count()).sum();
    if generic || letters < 3 {
        return None;
    }
    Some((start, last_at + last.len(), names.join(" ")))
}

/// The name that starts at `from`: its words up to the first stop word, sign, number or line
/// end (at most five; leading articles skipped; one inner linking word, "harina de trigo").
/// `None` when no word is left or the words name nothing ("the same goods").
fn phrase_after(lex: &Lexicon, body: &str, from: usize) -> Option<(usize, usize, String)> {
    let mut start = None;
    let mut end = from;
    let mut words: Vec<&str> = Vec::new();
    let mut pending_link: Option<&str> = None;
    let tail = body.get(from..)?;
    let mut offset = from;
    for raw in tail.split_inclusive(char::is_whitespace) {
        let token_at = offset;
        offset += raw.len();
        let token = raw.trim_end();
        if token.is_empty() {
            continue;
        }
        let word = token.trim_matches(|c: char| matches!(c, '\'' | '"' | '‘' | '’' | '“' | '”'));
        let closes = word.ends_with([',', ';', ':', '.', '!', '?', '(', ')']);
        let word = word.trim_end_matches([',', ';', ':', '.', '!', '?', '(', ')']);
        // A number ends the name; one cannot start it ("price for 2x40HQ").
        let leading_digit = words.is_empty() && word.starts_with(|c: char| c.is_ascii_digit());
        if word.is_empty() || word.bytes().all(|b| b.is_ascii_digit()) || leading_digit {
            break;
        }
        let lower_skip = words.is_empty() && contains_lower(&lex.counted_skip, word);
        // "harina de trigo", "papier de soie": a linking word inside the name, once.
        let inner_link = !words.is_empty()
            && pending_link.is_none()
            && !closes
            && contains_lower(&lex.counted_links, word);
        if inner_link {
            pending_link = Some(word);
            continue;
        }
        if !lower_skip {
            if contains_lower(&lex.stop, word)
                || !word.chars().any(tradescout_core::phrases::is_alphabetic)
                || lex.trade_codes.contains(word)
            {
                break;
            }
            start.get_or_insert(token_at);
            if let Some(link) = pending_link.take() {
                words.push(link);
            }
            words.push(word);
            end = token_at + token.len();
        }
        if closes || words.len() >= 5 || raw.contains('\n') {
            break;
        }
    }
    let letters = words
        .iter()
        .map(|w| {
            w.chars()
                .filter(|c| tradescout_core::phrases::is_alphabetic(*c))
                .count()
        })
        .sum::<usize>();
    let generic = words
        .iter()
        .all(|w| contains_lower(&lex.counted_generic, w) || contains_lower(&lex.stop, w))
        || words
            .first()
            .is_some_and(|w| !w.starts_with(tradescout_core::phrases::is_alphanumeric));
    if words.is_empty() || letters < 3 || generic {
        return None;
    }
    Some((start?, end, words.join(" ")))
}

fn closes_line(after: &str) -> bool {
    let mut rest = after
        .trim_end()
        .trim_end_matches(['.', ';', '；', '。', ',']);
    if let Some(open) = rest.rfind(['(', '（']) {
        if rest.ends_with([')', '）']) {
            rest = rest[..open].trim_end();
        }
    }
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    (1..=3).contains(&tokens.len()) && rest.chars().count() <= 24
}

/// The words of a list line before its closing count, as a product name: list marker and
/// specs with digits dropped ("18吋 軟骨雨刷" → "軟骨雨刷", "- Stapelturm aus Buche" kept).
fn list_item_name(lex: &Lexicon, text: &str) -> Option<String> {
    let text = strip_list_marker(text);
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !w.bytes().any(|b| b.is_ascii_digit()))
        .take(6)
        .collect();
    let name = words.join(" ");
    let letters = name
        .chars()
        .filter(|c| tradescout_core::phrases::is_alphabetic(*c))
        .count();
    // A product label ("Item:") or a total ("Total – 1500 pcs", "合计") names no product.
    let label = words.first().is_some_and(|w| {
        let w = w.trim_end_matches([':', '：']).to_lowercase();
        contains_lower(&lex.labels, &w) || request_data().table.totals.contains(&w)
    });
    // "30 Вт — 800 шт.": every word is a short unit after a number, a measure of the
    // product named above, not a product.
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let has_digit = |w: &str| w.bytes().any(|b| b.is_ascii_digit());
    let measure = tokens.iter().enumerate().all(|(i, w)| {
        has_digit(w)
            || (i > 0 && w.chars().count() <= 3 && tokens.get(i - 1).is_some_and(|p| has_digit(p)))
    });
    (letters >= 2 && name.chars().count() <= 60 && !label && !measure).then_some(name)
}

/// "1) ", "2. ", "- ", "• ", "a) " at the start of a list line.
fn strip_list_marker(text: &str) -> &str {
    let t = text.trim_start();
    let t = t.trim_start_matches(['-', '•', '*', '·', '–', '—', '▪', '●']);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let t = if digits > 0 && digits <= 2 {
        match t.as_bytes().get(digits) {
            Some(b')' | b'.') => &t[digits + 1..],
            _ => t,
        }
    } else {
        t
    };
    let t = t
        .strip_prefix("）")
        .or_else(|| t.strip_prefix('、'))
        .unwrap_or(t);
    t.trim_start()
}

/// "luminarias para alumbrado público": a product word and the one naming its purpose, joined
/// by "para"/"for" and nothing else, are one order line named by both.
fn join_purposes(lex: &Lexicon, body: &str, anchors: Vec<Anchor>) -> Vec<Anchor> {
    let mut out: Vec<Anchor> = Vec::with_capacity(anchors.len());
    for a in anchors {
        if let Some(prev) = out.last_mut() {
            let gap = body.get(prev.end..a.start).unwrap_or("");
            let link = gap.trim().to_lowercase();
            if prev.line == a.line
                && gap.starts_with(' ')
                && gap.ends_with(' ')
                && contains_lower(&lex.purpose, &link)
                && a.implied.is_none()
            {
                prev.product.name =
                    format!("{} {} {}", prev.product.name, gap.trim(), a.product.name);
                prev.end = a.end;
                continue;
            }
        }
        out.push(a);
    }
    out
}

/// Whether the product word at `start` names no order line: the packing ("packed in gunny
/// bags"), a part of the product before it on the line ("with 1.5 m cable", unless a new count
/// comes between), or something bought before (a sentence in the past).
/// Whether the word after a product word makes it a place ("cement plant", "paper mill",
/// "水泥厂"): `place_words` in the request data.
fn names_a_place(lex: &Lexicon, body: &str, end: usize) -> bool {
    let rest = body.get(end..).unwrap_or("");
    if rest.starts_with(|c: char| is_cjk(c)) {
        // "水泥厂" is a place; "工矿灯厂家", "厂价" are the maker and its price.
        return lex.place_words.iter().any(|w| {
            rest.strip_prefix(w.as_str())
                .is_some_and(|after| !after.starts_with(['家', '商', '价', '價']))
        });
    }
    if !rest.starts_with([' ', '-']) {
        return false;
    }
    let word_at = |text: &str| -> (usize, usize) {
        let start = text
            .find(tradescout_core::phrases::is_alphanumeric)
            .unwrap_or(text.len());
        let len = text[start..]
            .find(|c: char| !tradescout_core::phrases::is_alphanumeric(c))
            .unwrap_or(text.len() - start);
        (start, start + len)
    };
    let (a, b) = word_at(rest);
    let next = &rest[a..b];
    if !contains_lower(&lex.place_words, next) {
        return false;
    }
    // "flood light factory price", "high bay warehouse lights": the maker's price and a kind
    // of product, not a place. A place ends its phrase or is followed by another place.
    let tail = &rest[b..];
    let (c, d) = word_at(tail);
    let after = &tail[c..d];
    let gap = &tail[..c];
    after.is_empty()
        || !gap.trim().is_empty()
        || contains_lower(&lex.place_words, after)
        || (contains_lower(&lex.stop, after) && !contains_lower(&lex.place_not_after, after))
}

/// Whether the word ending at `end` labels a phone number: a colon, then a line of digits,
/// spaces and signs only, with at least seven digits.
fn labels_a_number(body: &str, end: usize) -> bool {
    let rest = body.get(end..).unwrap_or("");
    let Some(after) = rest.strip_prefix([':', '：']) else {
        return false;
    };
    let line = after.lines().next().unwrap_or("").trim();
    let digits = line.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && line
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | '/'))
}

/// The byte after the last of `stops` in `text` (0 when none): a clause or sentence start.
fn after_last(text: &str, stops: &[char]) -> usize {
    text.char_indices()
        .rev()
        .find(|(_, c)| stops.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn not_ordered(
    lex: &Lexicon,
    body: &str,
    start: usize,
    previous_end: Option<usize>,
) -> Option<NotOrdered> {
    let clause_start = after_last(
        body.get(..start).unwrap_or(""),
        &[',', ';', '.', '\n', '，', '；', '。', '('],
    );
    let clause = body.get(clause_start..start).unwrap_or("").to_lowercase();
    if lex.packing.any_in(&clause) {
        return Some(NotOrdered::Packing);
    }
    // A line labelled "Packing:" is about packing to its end ("Packing: in strong bales, with
    // gunny bag cover").
    let line_start = body
        .get(..start)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_head = body
        .get(line_start..start)
        .unwrap_or("")
        .trim_start()
        .to_lowercase();
    if lex
        .packing_labels
        .iter()
        .any(|l| line_head.starts_with(l.as_str()))
    {
        return Some(NotOrdered::Packing);
    }
    if let Some(prev) = previous_end.filter(|p| *p <= start) {
        let between = body.get(prev..start).unwrap_or("").to_lowercase();
        let cue = lex.accessory.last_end_in(&between);
        if let Some(after_cue) = cue {
            let rest = between.get(after_cue..).unwrap_or("");
            // "… with EU plug and 300 kettles": a count of its own right before the goods
            // (or a count unit after the cue) starts a new order line.
            let words: Vec<&str> = rest.split_whitespace().collect();
            let counted_here = words.len() >= 2
                && words[words.len() - 1].bytes().any(|b| b.is_ascii_digit())
                && words[words.len() - 1]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'\''))
                && {
                    // Only after "and" or a comma: "with 2 batteries" is still an accessory.
                    let link = words[words.len() - 2];
                    link.ends_with(',')
                        || [
                            "and", "e", "et", "y", "und", "и", "و", "&", "plus", "i", "ve",
                        ]
                        .contains(&link.to_lowercase().as_str())
                };
            let new_count = counted_here
                || rest.split_whitespace().any(|w| {
                    contains_lower(
                        &lex.count_units,
                        w.trim_matches(|c: char| !tradescout_core::phrases::is_alphabetic(c)),
                    )
                });
            if !new_count {
                return Some(NotOrdered::Accessory);
            }
        }
    }
    let sentence_start = after_last(body.get(..start).unwrap_or(""), &SENTENCE_STOPS);
    let sentence_end = body
        .get(start..)
        .and_then(|s| s.find(SENTENCE_STOPS))
        .map_or(body.len(), |i| start + i);
    let lead_in = body.get(sentence_start..start).unwrap_or("").to_lowercase();
    if lex.reason.any_in(&lead_in) {
        return Some(NotOrdered::Past);
    }
    let sentence = body
        .get(sentence_start..sentence_end)
        .unwrap_or("")
        .to_lowercase();
    lex.past.any_in(&sentence).then_some(NotOrdered::Past)
}

/// Cue words found as whole words in lower-case text (Han cues anywhere), by one trie.
struct CueSet {
    trie: tradescout_core::phrases::PhraseTrie,
    /// Per cue id: a Han cue, or one ending in a colon or full stop (no word end needed).
    loose_end: Vec<bool>,
    cjk: Vec<bool>,
}

impl CueSet {
    fn new(cues: &[String]) -> CueSet {
        let mut trie = tradescout_core::phrases::PhraseTrie::builder();
        let mut loose_end = Vec::new();
        let mut cjk = Vec::new();
        for c in cues {
            let id = loose_end.len() as u32;
            if trie.insert(c, id).is_none() && !c.is_empty() {
                let han = c.chars().next().is_some_and(is_cjk);
                loose_end.push(c.ends_with([':', '：', '.']) || han);
                cjk.push(han);
            }
        }
        CueSet {
            trie: trie.build(),
            loose_end,
            cjk,
        }
    }

    /// The spans of the cues standing as whole words in `text`, overlapping ones included.
    fn spans_in(&self, text: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        self.visit(text, |span| {
            spans.push(span);
            true
        });
        spans
    }

    /// Calls `f` with each cue's span, in order of its start, while `f` returns true.
    fn visit(&self, text: &str, mut f: impl FnMut((usize, usize)) -> bool) {
        let mut prev: Option<char> = None;
        for (at, c) in text.char_indices() {
            let after_word = prev.is_some_and(tradescout_core::phrases::is_alphanumeric);
            prev = Some(c);
            if !self.trie.starts_with_char(c) {
                continue;
            }
            let mut more = true;
            self.trie.each_at(text, at, |id, end| {
                let i = id as usize;
                let before_ok = !after_word || self.cjk.get(i).copied().unwrap_or(false);
                let after_ok = self.loose_end.get(i).copied().unwrap_or(false)
                    || text
                        .get(end..)
                        .and_then(|t| t.chars().next())
                        .is_none_or(|c| !tradescout_core::phrases::is_alphanumeric(c));
                if more && before_ok && after_ok {
                    more = f((at, end));
                }
            });
            if !more {
                return;
            }
        }
    }

    /// Whether any cue stands in `text` (the first one ends the search).
    fn any_in(&self, text: &str) -> bool {
        let mut found = false;
        self.visit(text, |_| {
            found = true;
            false
        });
        found
    }

    /// Where the last cue in `text` ends.
    fn last_end_in(&self, text: &str) -> Option<usize> {
        self.spans_in(text).into_iter().map(|(_, end)| end).max()
    }
}

fn is_quoted_line(body: &str, at: usize) -> bool {
    let start = body
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    body.get(start..at)
        .is_some_and(|l| l.trim_start().starts_with('>'))
}

/// "LED Flood Light, 100W" → "LED Flood Light": the value up to the first comma or semicolon.
fn clean_label_value(v: &str) -> String {
    let v = v.split([',', ';', '，', '|']).next().unwrap_or("").trim();
    v.trim_end_matches(['.', ':']).trim().to_string()
}

/// The head with the words before it that describe it ("waterproof LED flood light"),
/// skipping numbers and specs, stopping at function words and punctuation; plurals we added
/// read singular. CJK heads take an adjacent acronym ("LED投光灯"); a Latin head may take
/// one after it ("reflectores LED").
/// `japanese` says whether the text is Japanese (has kana anywhere); asked only for a name
/// that starts in CJK script.
fn product_name(
    lex: &Lexicon,
    body: &str,
    (start, end): (usize, usize),
    singular: Option<&str>,
    japanese: &dyn Fn() -> bool,
) -> (String, Option<f64>) {
    let matched = body.get(start..end).unwrap_or("");
    let head_text = match singular {
        Some(s) => matched.get(..s.len()).unwrap_or(matched).to_string(),
        None => matched.to_string(),
    };
    let line_start = body
        .get(..start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let before = body.get(line_start..start).unwrap_or("");
    let first_is_cjk = head_text.chars().next().is_some_and(is_cjk);
    if first_is_cjk && japanese() {
        // Japanese writes compounds as one run of katakana, kanji and Latin letters, set apart
        // by hiragana particles: "ソーラー街路灯" is the whole name, not its last word.
        let prefix = japanese_compound_end(lex, before);
        return (format!("{prefix}{head_text}"), None);
    }
    if first_is_cjk {
        let acronym = before
            .trim_end()
            .rsplit(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or("");
        let name = if is_acronym(acronym) && before.ends_with(acronym) {
            format!("{acronym}{head_text}")
        } else {
            head_text
        };
        return (name, None);
    }
    let mut words: Vec<&str> = Vec::new();
    let mut skipped = 0;
    let head_text = with_tail(lex, body, end, head_text);
    if !before.ends_with(|c: char| c.is_whitespace() || c == '-') && !before.is_empty() {
        return (with_trailing_acronym(body, end, head_text), None);
    }
    // "30 or so mugs", "200 o más sillas": a rough count reads as the count.
    let before = lex
        .rough_count_tails
        .iter()
        .find_map(|t| {
            let b = before.trim_end();
            let cut = b.len().checked_sub(t.len())?;
            let (head, tail) = (b.get(..cut)?, b.get(cut..)?);
            (tail.to_lowercase() == *t
                && head.ends_with(char::is_whitespace)
                && head.trim_end().ends_with(|c: char| c.is_ascii_digit()))
            .then_some(head)
        })
        .unwrap_or(before);
    let mut implied = None;
    // A count stands between the name and what came before: "für unser Sortiment 1.200
    // Stück Wasserkocher" names "Wasserkocher", not "Sortiment Wasserkocher".
    let mut past_count = false;
    let mut tokens = before.split_whitespace().rev().peekable();
    while let Some(token) = tokens.next() {
        // "30 (trinta) motocicletas": the count spelled out again in brackets.
        if words.is_empty() && skipped == 0 {
            let inner = token.strip_prefix('(').and_then(|t| t.strip_suffix(')'));
            if inner.is_some_and(|w| super::numbers::number_word(w).is_some()) {
                continue;
            }
        }
        if token.ends_with([',', ';', ':', '.', '!', '?', '(', ')', '，', '：'])
            || token.contains(['/', '(', ')', '"'])
        {
            break;
        }
        if token.len() > 40 || contains_lower(&lex.stop, token) {
            break;
        }
        // "twelve faulty sewing machines", "one hundred chairs", "dois fogões": a count written
        // as words — not "three phase motors" (a kind) nor "4 mil bags" (a thickness).
        let kind = words
            .last()
            .is_some_and(|w| contains_lower(&lex.kind_words, w));
        if let (Some(w), false) = (super::numbers::number_word(token), kind) {
            let mut group = vec![(0, 0, w)];
            while let Some(more) = tokens.peek().and_then(|t| super::numbers::number_word(t)) {
                group.push((0, 0, more));
                tokens.next();
            }
            group.reverse();
            let after_digit = tokens
                .peek()
                .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
            let value = super::numbers::latin_value(&group).filter(|v| *v >= 2.0);
            // "120 mil pruebas", "300 thousand chairs", "300 ألف جهاز": digits, then one scale
            // word multiply — not "4 mil bags", a film thickness.
            let scale =
                group.len() == 1 && matches!(w.kind, super::numbers::WordKind::Scale { .. });
            let thickness = token.eq_ignore_ascii_case("mil")
                && (token == "MIL"
                    || quantity::mil_is_thickness_before(
                        words.last().copied().unwrap_or(head_text.as_str()),
                    ));
            let digits = tokens
                .peek()
                .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| super::text::parse_number(t));
            if let (true, false, Some(d), 0, None) = (scale, thickness, digits, skipped, implied) {
                tokens.next();
                implied = Some(d * w.value).filter(|n| *n < 1.0e9);
                past_count = true;
                skipped += 1;
                continue;
            }
            match value {
                Some(v) if !after_digit && skipped == 0 && implied.is_none() => {
                    implied = Some(v);
                    past_count = true;
                    skipped += 1;
                    continue;
                }
                Some(_) => break,
                None if group.len() > 1 => break,
                None => {}
            }
        }
        if token.bytes().any(|c| c.is_ascii_digit()) || contains_lower(&lex.not_modifiers, token) {
            if skipped == 0
                && implied.is_none()
                && token
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'.' | b'\''))
            {
                // "2 000 serviettes": thousands set apart by a space, as French and Russian
                // write them.
                let grouped = tokens
                    .peek()
                    .filter(|g| {
                        token.len() == 3
                            && token.bytes().all(|b| b.is_ascii_digit())
                            && (1..=3).contains(&g.len())
                            && g.bytes().all(|b| b.is_ascii_digit())
                    })
                    .map(|g| format!("{g}{token}"));
                implied = super::text::parse_number(grouped.as_deref().unwrap_or(token))
                    .filter(|n| *n >= 1.0 && *n < 1.0e7 && n.fract() == 0.0);
            }
            skipped += 1;
            if skipped > 2 {
                break;
            }
            let bare = token.trim_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c));
            past_count |= bare
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
                || contains_lower(&lex.count_units, bare);
            continue;
        }
        // "报价 500个 LED投光灯": Chinese words before a name that starts in Latin letters are
        // the sentence, not the name.
        if past_count || token.chars().any(is_cjk) {
            break;
        }
        if !token
            .chars()
            .all(|c| tradescout_core::phrases::is_alphabetic(c) || c == '-' || c == '&')
            || !token.chars().any(tradescout_core::phrases::is_alphabetic)
        {
            break;
        }
        skipped = 0;
        words.push(token);
        if words.len() >= 3 {
            break;
        }
    }
    if words.is_empty() {
        return (with_trailing_acronym(body, end, head_text), implied);
    }
    words.reverse();
    let mut name = words.join(" ");
    // "Mini-Motor", "Whisky-Gläser": a word ending in a hyphen joins the next without a space.
    if !name.ends_with('-') {
        name.push(' ');
    }
    name.push_str(&head_text);
    (name, implied)
}

/// "pillow cases", "tea bags": a unit word right after the product word, not followed by
/// "of" or a number, belongs to the name.
fn with_tail(lex: &Lexicon, body: &str, end: usize, head_text: String) -> String {
    let Some(rest) = body.get(end..).and_then(|r| r.strip_prefix(' ')) else {
        return head_text;
    };
    // "… на солнечных батареях": how the goods are powered is part of their name.
    let window: String = rest.chars().take(40).collect::<String>().to_lowercase();
    if let Some(tail) = lex.name_tails.iter().find(|t| {
        window.starts_with(t.as_str())
            && window[t.len()..]
                .chars()
                .next()
                .is_none_or(|c| !tradescout_core::phrases::is_alphanumeric(c))
    }) {
        let n = tail.chars().count();
        let original: String = rest.chars().take(n).collect();
        return format!("{head_text} {original}");
    }
    if let Some(complement) = complement(lex, rest) {
        return format!("{head_text} {complement}");
    }
    let mut words = rest.split(' ');
    let word = words.next().unwrap_or("");
    let bare = word.trim_end_matches([',', ';', '.', ':', '!', '?', ')']);
    if bare.is_empty() || !contains_lower(&lex.tails, bare) {
        return head_text;
    }
    let closed = bare.len() < word.len();
    let next = words.next().unwrap_or("").to_lowercase();
    let continues =
        !closed && (next == "of" || next == "de" || next.starts_with(|c: char| c.is_ascii_digit()));
    if continues {
        return head_text;
    }
    format!("{head_text} {bare}")
}

/// "de terrasse" in "chaises de terrasse", "d'extérieur" in "lampes d'extérieur": a linking
/// word and one lower-case noun of three letters or more, no number, determiner, time or
/// quality word.
fn complement<'b>(lex: &Lexicon, rest: &'b str) -> Option<&'b str> {
    let noun_ok = |w: &str| {
        w.chars().count() >= 3
            && w.chars().all(tradescout_core::phrases::is_alphabetic)
            && w.chars().next().is_some_and(char::is_lowercase)
            && !lex.complement_not.contains(w)
    };
    let bare = |w: &'b str| w.trim_end_matches([',', ';', '.', ':', '!', '?', ')']);
    let mut words = rest.split(' ');
    let first = words.next()?;
    // Elided: "d'extérieur".
    if let Some(i) = first.find(['\'', '’']) {
        let link = &first[..i + first[i..].chars().next()?.len_utf8()];
        let noun = bare(&first[link.len()..]);
        let whole = link.len() + noun.len();
        return (lex.complement_links.contains(link.to_lowercase().as_str()) && noun_ok(noun))
            .then(|| &rest[..whole]);
    }
    if !lex.complement_links.contains(first.to_lowercase().as_str()) {
        return None;
    }
    let noun = bare(words.next()?);
    noun_ok(noun).then(|| &rest[..first.len() + 1 + noun.len()])
}

fn with_trailing_acronym(body: &str, end: usize, head_text: String) -> String {
    let rest = body.get(end..).unwrap_or("");
    let Some(rest) = rest.strip_prefix(' ') else {
        return head_text;
    };
    let word = rest
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    if is_acronym(word) {
        format!("{head_text} {word}")
    } else {
        head_text
    }
}

fn is_acronym(w: &str) -> bool {
    matches!(
        w,
        "LED"
            | "COB"
            | "SMD"
            | "RGB"
            | "RGBW"
            | "PIR"
            | "UV"
            | "USB"
            | "DMX"
            | "DALI"
            | "AC"
            | "DC"
            | "PV"
            | "EV"
    )
}

/// Which anchor an item at `pos` on `line` belongs to. On a line with anchors: an item between
/// two products goes to the earlier one if a clause separator (",", "and", "，") follows it
/// before the later product, else by the line's style — items leading their product ("500 pcs
/// flood lights") or trailing it ("flood lights 500 pcs"). On other lines: the product of the
/// section the item is in.
fn owner(anchors: &[Anchor], body: &str, pos: usize, line: usize, leading: bool) -> Option<usize> {
    // Anchors are sorted by position, so those of one line are contiguous.
    let first = anchors.partition_point(|a| a.line < line);
    let past = anchors.partition_point(|a| a.line <= line);
    if first == past {
        return if first > 0 {
            // A product named in a question ("what is the warranty on the panel?") heads no
            // section: a sentence on a later line counts something else ("there are about 600
            // pcs more next year"), while a short line ("Qty: 500", "500 pcs") still belongs.
            let prev = &anchors[first - 1];
            (!(asked_about(body, prev.end) && is_prose_line(body, pos))).then_some(first - 1)
        } else if anchors.is_empty() {
            None
        } else {
            Some(0)
        };
    }
    if pos < anchors[first].start {
        return Some(first);
    }
    for i in first..past - 1 {
        let (a, b) = (&anchors[i], &anchors[i + 1]);
        if pos < a.end {
            return Some(i);
        }
        if pos < b.start {
            let gap = body.get(a.end..b.start).unwrap_or("");
            return Some(match last_separator(gap) {
                Some(sep) if pos < a.end + sep => i,
                Some(_) => i + 1,
                None if leading => i + 1,
                None => i,
            });
        }
    }
    Some(past - 1)
}

/// Whether the sentence holding `at` is a question (its first stop after `at` is "?").
fn asked_about(body: &str, at: usize) -> bool {
    let rest = body.get(at..).unwrap_or("");
    rest.find(SENTENCE_STOPS)
        .and_then(|i| rest.get(i..))
        .is_some_and(|stop| stop.starts_with(['?', '？']))
}

/// Whether the line holding `at` is a sentence of six words or more, not a label line.
fn is_prose_line(body: &str, at: usize) -> bool {
    let start = body
        .get(..at)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = body
        .get(start..)
        .and_then(|l| l.split('\n').next())
        .unwrap_or("");
    let head = line.split([':', '：']).next().unwrap_or("");
    line.split_whitespace().count() >= 6 && head.len() == line.len()
}

fn last_separator(gap: &str) -> Option<usize> {
    [
        ",", ";", " and ", " & ", " y ", " e ", " et ", " und ", " и ", "和", "、", "，", "；",
        " plus ", " also ", ". ", "! ", "? ", "。", "！", "？",
    ]
    .iter()
    .filter_map(|sep| gap.rfind(sep))
    .max()
}

/// One product per name (case-insensitive) and model; later mentions fill what is missing.
fn merge(products: impl Iterator<Item = Product>) -> Vec<Product> {
    let mut out: Vec<Product> = Vec::new();
    // A name with no letter or digit left ("14 Stk." before a word no reader took) names
    // nothing.
    let products = products.filter(|p| {
        p.name
            .chars()
            .any(|c| c.is_ascii_digit() || tradescout_core::phrases::is_alphabetic(c))
    });
    for p in products {
        let same = out.iter_mut().find(|o| {
            // The subject's "2,000 pairs of gloves" and the body's are one order line.
            let conflicting = (o.quantity.is_some()
                && p.quantity.is_some()
                && (o.quantity != p.quantity || o.unit != p.unit))
                || o.specs
                    .iter()
                    .any(|(k, v)| p.specs.get(k).is_some_and(|pv| pv != v))
                || (o.model.is_some() && p.model.is_some() && o.model != p.model);
            !conflicting
                && (o.name.eq_ignore_ascii_case(&p.name)
                    || (o.model.is_some() && o.model == p.model))
        });
        match same {
            Some(o) => {
                // One model named in passing, then counted under its own name ("your UW-12
                // and FL100-68 lights … 40 fari subacquei UW-12"): the order line names it.
                if o.quantity.is_none() && p.quantity.is_some() {
                    o.name.clone_from(&p.name);
                }
                if o.model.is_none() {
                    o.model = p.model;
                }
                if o.quantity.is_none() {
                    o.quantity = p.quantity;
                    o.unit = p.unit;
                }
                for (k, v) in p.specs {
                    o.specs.entry(k).or_insert(v);
                }
            }
            None => out.push(p),
        }
    }
    // A generic "light(s)" next to a specific light says nothing more.
    if out.len() > 1 {
        out.retain(|p| {
            !(p.name.eq_ignore_ascii_case("light") && p.quantity.is_none() && p.specs.is_empty())
        });
    }
    // "Attendee Shirts:" above a table of "Attendee Shirts Men M × 40", "gloves" next to "2,000
    // pairs of sheep leather gloves": a bare name another counted line already holds is that
    // line, not one more product.
    if out.len() > 1 {
        let bare = |p: &Product| p.quantity.is_none() && p.specs.is_empty() && p.model.is_none();
        let held: Vec<bool> = out
            .iter()
            .map(|p| {
                bare(p)
                    && out
                        .iter()
                        .any(|o| o.quantity.is_some() && holds_name(&o.name, &p.name))
            })
            .collect();
        let mut held = held.into_iter();
        out.retain(|_| !held.next().unwrap_or(false));
    }
    // "180 bags had burst" in a claim about flour: a unit word counted in itself is the
    // packing of the other goods, when there are other goods.
    if out.len() > 1 {
        let packing = |p: &Product| {
            p.unit.is_some()
                && quantity::unit_at(&p.name, 0)
                    .is_some_and(|(u, end)| end == p.name.len() && Some(u) == p.unit)
        };
        if out.iter().any(|p| !packing(p)) {
            out.retain(|p| !packing(p));
        }
    }
    // "What is the warranty on the battery?" next to 240 solar street lights: a part of a
    // counted product (`parts` in the concepts data), named without a count or model of its
    // own, is no order line.
    if out.len() > 1 {
        let concepts = tradescout_core::concepts::Concepts::shipped();
        let wholes: Vec<usize> = out
            .iter()
            .filter(|p| p.quantity.is_some())
            .flat_map(|p| concepts.specific(&p.name.to_lowercase()))
            .collect();
        if !wholes.is_empty() {
            out.retain(|p| {
                if p.quantity.is_some() || p.model.is_some() {
                    return true;
                }
                let kinds = concepts.specific(&p.name.to_lowercase());
                kinds.is_empty()
                    || !kinds
                        .iter()
                        .all(|&k| wholes.iter().any(|&w| concepts.is_part_of(k, w)))
            });
        }
    }
    out
}

/// Whether the name `whole` holds every word of `part` (plural or singular), or, in a script
/// written without spaces, `part` itself.
fn holds_name(whole: &str, part: &str) -> bool {
    if whole.len() <= part.len() {
        return false;
    }
    if part.chars().any(is_cjk) {
        return whole.contains(part);
    }
    let words = |s: &str| -> Vec<String> {
        // Single letters say nothing ("t" of "t-shirt").
        s.split(|c: char| !tradescout_core::phrases::is_alphanumeric(c))
            .filter(|w| w.chars().count() >= 2)
            .map(|w| {
                let w = w.to_lowercase();
                match w.strip_suffix('s') {
                    Some(stem) if stem.chars().count() >= 3 => stem.to_string(),
                    _ => w,
                }
            })
            .collect()
    };
    let (whole, part) = (words(whole), words(part));
    !part.is_empty() && part.iter().all(|w| whole.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(body: &str) -> Vec<String> {
        extract(body, None)
            .products
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    /// One order line as `counted` gives it.
    fn line(name: &str, quantity: f64, unit: &str) -> (String, Option<f64>, Option<String>) {
        (name.to_string(), Some(quantity), Some(unit.to_string()))
    }

    fn counted(body: &str) -> Vec<(String, Option<f64>, Option<String>)> {
        extract(body, None)
            .products
            .into_iter()
            .map(|p| (p.name, p.quantity, p.unit))
            .collect()
    }

    #[test]
    fn a_product_asked_about_heads_no_later_count() {
        let body = "We need 240 pcs 60W all-in-one solar street lights, 4000K.\n\
                    What is the warranty for the battery and the panel?\n\
                    If we win the tender, there are about 600 pcs more in the 2027 program.";
        let got = counted(body);
        assert!(got.iter().all(|(_, q, _)| *q != Some(600.0)), "{got:?}");
        // A short count line under a question still counts the goods asked about.
        let body = "Could you quote your 100W flood light?\nQty: 500 pcs";
        assert_eq!(counted(body)[0].1, Some(500.0), "{:?}", counted(body));
    }

    #[test]
    fn a_part_asked_about_is_no_order_line() {
        let got = counted(
            "We need 240 pcs 60W solar street lights with LiFePO4 battery.\n\
             How long is the warranty on the battery?",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        // Counted on its own, the part is ordered.
        let got = counted("We need 240 pcs solar street lights and 50 pcs spare batteries.");
        assert_eq!(got.len(), 2, "{got:?}");
        // Without the whole, a battery is the goods.
        assert_eq!(
            counted("Please quote 20 pcs lithium battery 12V 100Ah.").len(),
            1
        );
    }

    #[test]
    fn size_lines_rough_counts_german_pieces_and_litres() {
        // Garment sizes alone label variant lines under the goods.
        let got = counted("T-shirts with our logo:\nS: 200 pcs\nM: 300 pcs\nXL: 100 pcs");
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1].1, Some(300.0));
        // "30 or so mugs" counts the mugs.
        let got = counted("We need 100 pens, 30 or so mugs, 100 stickers.");
        assert!(
            got.iter().any(|(n, q, _)| n == "mug" && *q == Some(30.0)),
            "{got:?}"
        );
        // German names the goods after "Stk.", capitals and all.
        let got = counted("Anschaffung von 14 Stk. PCR Analysegeräten.");
        assert_eq!(got[0].0, "PCR Analysegeräten", "{got:?}");
        // Litres written "л" count milk; a kettle's litres stay its capacity.
        let got = counted("Нужно:\n1. Молоко – 3000 л.\n2. Масло сливочное – 500 кг.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].1, Some(3000.0));
        let got = counted("Электрочайник 1,7 л – 500 шт.");
        assert_eq!(got[0].1, Some(500.0), "{got:?}");
        // A canvas bag is one word, not canvas and a bag.
        assert_eq!(counted("T恤 （180件）\n帆布包（180件）").len(), 2);
    }

    #[test]
    fn a_place_of_use_is_no_product() {
        let got = counted(
            "Antalya'da bir belediyenin park ve bisiklet yolu aydınlatma ihalesine teklif \
             hazırlıyoruz.\n240 adet 60W hepsi bir arada solar sokak armatürü",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, Some(240.0));
    }

    #[test]
    fn counts_without_a_linking_word_name_what_follows() {
        let one = |name: &str, q: f64, unit: &str| {
            vec![(name.to_string(), Some(q), Some(unit.to_string()))]
        };
        // Chinese: the classifier is followed by the goods; a brand before 牌 is left out.
        assert_eq!(
            counted("请报500辆飞鸽牌自行车CFR新加坡的最低价，五月装运。"),
            one("自行车", 500.0, "units")
        );
        assert_eq!(
            counted("我们急于想知道我方8000辆巨人牌自行车订货的发运消息。"),
            one("自行车", 8000.0, "units")
        );
        // Bare counts before the goods, with thousands grouped the European way.
        assert_eq!(
            counted("Ci servono 1.000 frullatori da 600 W."),
            one("frullatori", 1000.0, "pcs")
        );
        assert_eq!(
            counted("Merci de nous coter 2 000 serviettes de bain."),
            one("serviettes de bain", 2000.0, "pcs")
        );
        // An accessory of the first line does not swallow the next line's goods.
        assert_eq!(
            counted("Ci servono 1.000 frullatori con spina italiana e 300 bollitori elettrici.")
                .len(),
            2
        );
        // How the goods are powered is part of their name.
        assert_eq!(
            counted("Просим предложение на 150 уличных светильников на солнечных батареях.")[0].0,
            "уличных светильников на солнечных батареях"
        );
        // A count right after an accessory word is the accessory's.
        assert_eq!(
            counted("200 solar street lights with 2 batteries").len(),
            1,
            "{:?}",
            counted("200 solar street lights with 2 batteries")
        );
        // A unit word right after the goods is part of their name.
        assert_eq!(
            counted("Please quote 500 dozen pillow cases."),
            one("pillow cases", 500.0, "dozen")
        );
        // Classifiers beyond pieces and sets, in either script.
        assert_eq!(
            counted("請報價500輛自行車。"),
            one("自行車", 500.0, "units")
        );
        assert_eq!(
            counted("我们订购2000打衬衫。"),
            one("衬衫", 2000.0, "dozen")
        );
        assert_eq!(
            counted("请报300盒一次性手套的价格。"),
            one("一次性手套", 300.0, "boxes")
        );
        assert_eq!(counted("需要300平方米地板。"), one("地板", 300.0, "m2"));
        // German counts without "of"; an indefinite article after an elided link is skipped.
        assert_eq!(
            counted("Könnten Sie mir 6 Flaschen Try Madeira verschaffen?"),
            one("Try Madeira", 6.0, "bottles")
        );
        assert_eq!(
            counted("J'ai besoin de 14 yards d'un cachemire noir dans le genre de l'échantillon."),
            one("cachemire noir", 14.0, "yards")
        );
        // A bare count names what it counts when nothing else does; time, money, dates,
        // labels and addresses are no goods.
        assert_eq!(
            counted("Le 3 mars, j'ai passé commande de 40 chaises de terrasse, pour 2 960 euros."),
            one("chaises de terrasse", 40.0, "pcs")
        );
        for none in [
            "We have been in business for 20 years and have 15 shops.",
            "Please settle invoice No. 527 dated 3 May.",
            "Robinson & Co., 10 West 23d St., New York.",
            "Vi ringraziamo della vostra del 26 corrente.",
        ] {
            assert_eq!(counted(none), vec![], "{none}");
        }
        // What follows a count but is no product: qualifiers, codes, modifiers, addresses.
        for (text, wrong) in [
            ("我们订购500件以上有优惠吗", "以上"),
            ("Please ship 500 MT CIF Jeddah.", "CIF"),
            ("20 containers FOB Ningbo please.", "FOB"),
            ("We need 5000 bags of different colours.", "different"),
            ("Unit 4, 23 Harbour Road, Hull", "Harbour"),
            ("We placed 3 orders last year.", "orders"),
        ] {
            let got = counted(text);
            assert!(!got.iter().any(|p| p.0.contains(wrong)), "{text}: {got:?}");
        }
        assert_eq!(
            counted("- 40 chaises de terrasse"),
            one("chaises de terrasse", 40.0, "pcs")
        );
        // A new sentence after the unit names nothing.
        let bare = counted("We need 20 cartons. Please ship soon.");
        assert!(bare.iter().all(|p| p.0.is_empty()), "{bare:?}");
    }

    #[test]
    fn counts_written_as_words() {
        let c = |b: &str| {
            counted(b)
                .into_iter()
                .map(|(n, q, u)| (n, q, u.unwrap_or_default()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            c("We confirm the order: Thirty metric tons of Bitter Apricot Kernels CFR Qingdao."),
            vec![("Bitter Apricot Kernels".into(), Some(30.0), "tons".into())]
        );
        assert_eq!(
            c("We hereby lodge a claim for the twelve faulty sewing machines."),
            vec![("faulty sewing machine".into(), Some(12.0), "pcs".into())]
        );
        assert_eq!(
            c("Comprei neste estabelecimento dois fogões que não acendem."),
            vec![("fogões".into(), Some(2.0), "pcs".into())]
        );
        assert_eq!(
            c("Necesitamos dos mil piezas de reflectores LED."),
            vec![("reflectores LED".into(), Some(2000.0), "pcs".into())]
        );
        // Hundreds agree with a feminine noun in Spanish and Portuguese.
        assert_eq!(
            c("Queremos adquirir trescientas papeleras de acero."),
            vec![("papeleras de acero".into(), Some(300.0), "pcs".into())]
        );
        // A scale word after the digits multiplies a bare count.
        assert_eq!(
            c("ستشتري الوزارة 300 ألف جهاز لابتوب للطلاب."),
            vec![("جهاز لابتوب".into(), Some(300_000.0), "pcs".into())]
        );
        // Vietnamese hours and days are no goods.
        assert!(c("Hạn nộp trước 16 giờ ngày 20.")
            .iter()
            .all(|p| !p.0.contains("giờ")));
        // Money after a scale word is no goods.
        assert!(c("ميزانية المشروع 300 ألف دولار فقط.").is_empty());
        // German and Italian write a number as one word.
        assert_eq!(
            c("Wir benötigen zweihundertfünfzig Wasserkocher aus Edelstahl."),
            vec![("Wasserkocher".into(), Some(250.0), "pcs".into())]
        );
        assert_eq!(
            c("Ci servono duemilacinquecento lampade da tavolo."),
            vec![("lampade da tavolo".into(), Some(2500.0), "pcs".into())]
        );
        assert_eq!(
            c("Please send one hundred and fifty cartons of paper cups."),
            vec![("paper cup".into(), Some(150.0), "cartons".into())]
        );
        assert_eq!(
            c("三月十二日我方订购了一千二百件四十二号男式衬衫。"),
            vec![("衬衫".into(), Some(1200.0), "pcs".into())]
        );
        assert_eq!(
            c("我们需要三个月内交货，订购两万个LED灯"),
            vec![("LED灯".into(), Some(20000.0), "pcs".into())]
        );
        // "dos" is "of the" in Portuguese, "siete" "you are" in Italian, "4 mil" a thickness,
        // "once" an English word.
        assert_eq!(
            c("Once LED lights arrive, we will pay the balance."),
            vec![("LED light".into(), None, String::new())]
        );
        assert_eq!(
            c("O preço dos fogões está alto."),
            vec![("fogões".into(), None, String::new())]
        );
        assert_eq!(
            c("We need 4 mil plastic bags, 500 pcs."),
            vec![("plastic bag".into(), Some(500.0), "pcs".into())]
        );
        // Two numbers joined by "and" are two numbers, not a sum; a larger one before a
        // smaller one is one number.
        // Place values decide what joins; kinds, thicknesses and vague amounts count nothing.
        assert_eq!(
            c("We need 300 three phase motors.\nAlso 4 mil plastic bags, 200 pcs."),
            vec![
                ("three phase motor".into(), Some(300.0), "pcs".into()),
                ("plastic bag".into(), Some(200.0), "pcs".into())
            ]
        );
        assert_eq!(
            c("Please quote one hundred sewing machines."),
            vec![("sewing machine".into(), Some(100.0), "pcs".into())]
        );
        assert_eq!(
            c("我们每月采购几千件衬衫"),
            vec![("衬衫".into(), None, String::new())]
        );
        let values = |t: &str| {
            vocab::counts(t, &[], &vocab::scan(t))
                .iter()
                .filter_map(|n| n.value)
                .collect::<Vec<_>>()
        };
        assert_eq!(values("two and three"), vec![2.0, 3.0]);
        assert_eq!(values("two thousand five hundred"), vec![2500.0]);
        assert_eq!(values("treinta y cinco, soixante-dix"), vec![35.0, 70.0]);
        assert_eq!(values("一千零五十件, 三万五千个"), vec![1050.0, 35000.0]);
        assert_eq!(
            values("five and two, two twenty"),
            vec![5.0, 2.0, 2.0, 20.0]
        );
        assert_eq!(
            values("dos mil cuatrocientos, cento e oitenta"),
            vec![2400.0, 180.0]
        );
        assert_eq!(
            values("dix-sept, quatre-vingt-dix, две тысячи четыреста"),
            vec![17.0, 90.0, 2400.0]
        );
        // "fifty cents" is fifty, not 5000.
        assert_eq!(
            values("twenty-foot, fifty cents, 上千件, 让三个点"),
            vec![50.0]
        );
    }

    #[test]
    fn packing_lines_and_burst_bags_are_no_order_lines() {
        assert_eq!(
            names(
                "600 pillowcases, Pattern No. 18\nPacking: in strong bales, with gunny bag cover."
            ),
            vec!["pillowcases"]
        );
        assert_eq!(
            counted("The 200 tons of flour arrived, but 180 bags had burst."),
            vec![("flour".into(), Some(200.0), Some("tons".into()))]
        );
        // A day after its month counts nothing.
        assert_eq!(
            counted("Many thanks for your offer of May 11 covering the above goods."),
            vec![]
        );
        // The subject's count and the body's are one line.
        assert_eq!(
            counted("Order for 2,000 pairs of leather gloves\nPlease dispatch 2,000 pairs of leather gloves."),
            vec![("leather gloves".into(), Some(2000.0), Some("pairs".into()))]
        );
    }

    #[test]
    fn two_names_in_a_title_are_two_products() {
        assert_eq!(
            names("Dear Mr. Wang,\nSubject: Green Tea Extract and Porcelain Tea Set\nYour prices are too high."),
            vec!["Green Tea Extract", "Porcelain Tea Set"]
        );
    }

    #[test]
    fn a_hyphenated_modifier_keeps_its_hyphen() {
        assert_eq!(
            names("Customers ask about your new product, the Mini-Motor."),
            vec!["Mini-Motor"]
        );
    }

    #[test]
    fn a_count_of_something_names_it_when_no_product_word_does() {
        let one = |name: &str, q: f64, unit: &str| {
            vec![(name.to_string(), Some(q), Some(unit.to_string()))]
        };
        assert_eq!(
            counted(
                "Could you quote for roughly 120 metric tons of white poster paper, good quality?"
            ),
            one("white poster paper", 120.0, "tons")
        );
        assert_eq!(
            counted("Our order enclosed (No. R172) covers 60 packets of A4 copier paper."),
            one("A4 copier paper", 60.0, "packs")
        );
        assert_eq!(
            counted("We enclose our order for 1,000 dozen of the 'White Tiger' ties."),
            one("White Tiger ties", 1000.0, "dozen")
        );
        assert_eq!(
            counted("Necesitamos 200 sacos de harina de trigo para Lima."),
            one("harina de trigo", 200.0, "bags")
        );
        assert_eq!(
            counted("Enclosed please find our Order No. B4637 covering 30 'Clearsound' transistor receivers."),
            one("Clearsound transistor receivers", 30.0, "pcs")
        );
        assert_eq!(
            counted("Nous commandons 200 fûts d'huile de colza."),
            one("huile de colza", 200.0, "drums")
        );
        assert_eq!(
            counted("Ci servono 40 fusti di olio lubrificante."),
            one("olio lubrificante", 40.0, "drums")
        );
        // What is counted must be named: "the same goods", "each colour" name nothing.
        assert!(counted("Please send 5 containers of the same goods.")
            .iter()
            .all(|(n, _, _)| n.is_empty()));
        assert!(counted("MOQ is 500 pcs of each colour.")
            .iter()
            .all(|(n, _, _)| n.is_empty()));
        // A product word still wins: the count goes to it, no second line appears.
        assert_eq!(
            counted("Please quote 800 pcs of 30W flood light.")
                .into_iter()
                .map(|p| p.0)
                .collect::<Vec<_>>(),
            vec!["flood light".to_string()]
        );
    }

    #[test]
    fn words_around_a_cue_name_a_product_no_vocabulary_knows() {
        assert_eq!(
            names("The dried mushroom you shipped falls short of the contract."),
            ["dried mushroom"]
        );
        assert_eq!(
            names("Re: Enquiry for bamboo charcoal briquettes"),
            ["bamboo charcoal briquettes"]
        );
        assert_eq!(
            names("Somos importadores y estamos interesados en harina de trigo."),
            ["harina de trigo"]
        );
        assert_eq!(
            names("Wir sind interessiert an Korkplatten für Pinnwände."),
            ["Korkplatten"]
        );
        // What names nothing stays unnamed.
        assert!(names("The goods you shipped arrived damaged.").is_empty());
        assert!(names("Dear Sir,\nToday we received the container.").is_empty());
        assert!(names("The last shipment we received was short.").is_empty());
        assert!(names("We are an import/export company interested in your offer.").is_empty());
        assert!(names("Estamos interesados en sus productos.").is_empty());
        assert!(names("We are interested in establishing business relations.").is_empty());
    }

    #[test]
    fn a_product_word_naming_a_place_is_no_order_line() {
        assert_eq!(
            names("We need 200 pcs 150W LED high bay for our cement plant warehouse, very dusty."),
            ["LED high bay"]
        );
        assert_eq!(names("我们水泥厂需要200个工矿灯"), ["工矿灯"]);
        // The maker's price and a kind of product are no places.
        assert_eq!(
            names("Please send your flood light factory price."),
            ["flood light"]
        );
        assert_eq!(names("请报工矿灯厂家价格"), ["工矿灯"]);
        // A contact label names no product.
        assert_eq!(
            names("Wir benötigen 300 LED-Strahler 50W.\nTelefon: +49 89 1234567"),
            ["LED-Strahler"]
        );
        // A project still orders what it names.
        assert_eq!(
            names("For our street light project we need 500 pcs."),
            ["street light"]
        );
    }

    #[test]
    fn packing_parts_and_past_purchases_are_not_order_lines() {
        let p = extract(
            "Please quote 800 pcs of 30W flood light and 400 pcs of 50W flood light, with 1.5 m \
             cable, packed in gunny bag.\nLast year the spike light we bought from another \
             supplier got water inside.",
            None,
        )
        .products;
        let got: Vec<(String, Option<f64>)> =
            p.iter().map(|p| (p.name.clone(), p.quantity)).collect();
        assert_eq!(
            got,
            vec![
                ("flood light".to_string(), Some(800.0)),
                ("flood light".to_string(), Some(400.0))
            ]
        );
    }

    #[test]
    fn a_reorder_of_what_was_bought_before_is_still_the_order() {
        assert_eq!(
            names("We bought 500 flood lights from you last year and want the same again."),
            vec!["flood light"]
        );
    }

    fn lines(text: &str) -> Vec<(String, Option<f64>, Option<Value>)> {
        extract(text, None)
            .products
            .into_iter()
            .map(|p| {
                let w = p.specs.get("power_w").cloned();
                (p.name, p.quantity, w)
            })
            .collect()
    }

    #[test]
    fn each_variant_of_one_product_is_an_order_line_with_its_count() {
        let want = |name: &str| {
            vec![
                (name.to_string(), Some(800.0), Some(json!(30))),
                (name.to_string(), Some(400.0), Some(json!(50))),
            ]
        };
        for (text, name) in [
            (
                "Please quote 800 x 30W and 400 x 50W LED flood lights, IP65.",
                "LED flood light",
            ),
            (
                "Please quote LED flood light 30W x 800, 50W x 400.",
                "LED flood light",
            ),
            (
                "We need 800 pcs 30W and 400 pcs 50W LED flood lights.",
                "LED flood light",
            ),
            (
                "您好，LED投光灯 30W 800只，50W 400只，请报价。",
                "LED投光灯",
            ),
            (
                "Нужны прожекторы: 30 Вт — 800 шт., 50 Вт — 400 шт.",
                "прожекторы",
            ),
            (
                "Нужны прожекторы:\n30 Вт — 800 шт.\n50 Вт — 400 шт.",
                "прожекторы",
            ),
        ] {
            assert_eq!(lines(text), want(name), "{text}");
        }
    }

    #[test]
    fn a_list_of_labelled_counts_under_one_product_is_one_line_each() {
        let got = counted(
            "We would like to order the following shirts, various colours:\n\n\
             Large 2,400 dozen\nMedium 3,600 dozen\nSmall 2,000 dozen\n\nPlease confirm.",
        );
        let want = [("Large", 2400.0), ("Medium", 3600.0), ("Small", 2000.0)]
            .map(|(l, n)| (format!("shirt ({l})"), Some(n), Some("dozen".to_string())));
        assert_eq!(got, want);
        let got = counted("我方拟选购衬衫如下:\n\n大号 2400打\n中号 3600打\n小号 2000打\n");
        let want = [("大号", 2400.0), ("中号", 3600.0), ("小号", 2000.0)]
            .map(|(l, n)| (format!("衬衫 ({l})"), Some(n), Some("dozen".to_string())));
        assert_eq!(got, want);
        // A separator after the label is read the same.
        let got = counted("Shirts as follows:\nLarge: 2,400 dozen\nMedium - 3,600 dozen");
        assert_eq!(
            got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(),
            ["Shirt (Large)", "Shirt (Medium)"]
        );
        // Variants measured in metres are kept.
        let got = counted("LED strip:\nWarm white 500 m\nCool white 300 m");
        assert_eq!(got.len(), 2, "{got:?}");
        // A total below the lines is no line of its own.
        let got =
            counted("Shirts as follows:\nLarge 2,400 dozen\nSmall 2,000 dozen\nTotal 4,400 dozen");
        assert_eq!(got.len(), 2, "{got:?}");
        // A sample count below the labelled lines is no line of its own.
        let got = counted("Shirts as follows:\nLarge 2,400 dozen\nSmall 2,000 dozen\nSample 2 pcs");
        assert_eq!(got.len(), 2, "{got:?}");
        // The order line's own count with a sample count below it stays one line.
        assert_eq!(
            counted("Please quote LED panel light 500 pcs\nSample 2 pcs first"),
            vec![(
                "LED panel light".to_string(),
                Some(500.0),
                Some("pcs".to_string())
            )]
        );
    }

    #[test]
    fn table_rows_are_order_lines_and_the_text_around_keeps_its_own() {
        let p = extract(
            "序号 | 产品名称 | 规格 | 数量 | 单位\n1 | 电热水壶 | 1.7L 1500W | 500 | 台",
            None,
        )
        .products;
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].specs.get("power_w"), Some(&json!(1500)));
        let got = counted(
            "We need building materials (rebar, wire and cement) for a school project:\n\n\
             Description | Unit | Quantity\nRebar 12 mm | pcs | 800\nBinding wire No. 16 | kg \
             | 750\nPortland cement 50 kg | bags | 1,100\n\nAlso 50 LED flood lights, please.",
        );
        assert_eq!(
            got,
            vec![
                (
                    "Rebar 12 mm".to_string(),
                    Some(800.0),
                    Some("pcs".to_string())
                ),
                (
                    "Binding wire No. 16".to_string(),
                    Some(750.0),
                    Some("kg".to_string())
                ),
                (
                    "Portland cement 50 kg".to_string(),
                    Some(1100.0),
                    Some("bags".to_string())
                ),
                (
                    "LED flood light".to_string(),
                    Some(50.0),
                    Some("pcs".to_string())
                ),
            ]
        );
    }

    #[test]
    fn a_postcode_is_no_count() {
        let got = counted(
            "Please quote 200 nylon trolleys.\nReisewelt\nBahnhofstr. 4\n03238 Finsterwalde",
        );
        assert_eq!(
            got,
            vec![(
                "nylon trolleys".to_string(),
                Some(200.0),
                Some("pcs".to_string())
            )]
        );
    }

    #[test]
    fn a_count_spelled_again_in_brackets_still_counts() {
        assert_eq!(
            counted("fornecimento de 30 (trinta) motocicletas modelo TRAIL"),
            vec![(
                "motocicletas".to_string(),
                Some(30.0),
                Some("pcs".to_string())
            )]
        );
        assert_eq!(
            counted("Please quote 20 (twenty) forklifts."),
            vec![("forklift".to_string(), Some(20.0), Some("pcs".to_string()))]
        );
    }

    #[test]
    fn sizes_and_small_multiples_are_no_variant_counts() {
        assert_eq!(
            lines("LED panel light 600 x 600 mm 40W, 500 pcs"),
            vec![("LED panel light".to_string(), Some(500.0), Some(json!(40)))]
        );
        // A pack ("250ml x 24 cans") and the parts of one product ("50 x 2W") are no lines.
        let got = counted("Energy drink 250ml x 24 cans/carton, 2,000 cartons");
        assert_eq!(
            got.iter()
                .map(|g| (g.1, g.2.as_deref()))
                .collect::<Vec<_>>(),
            [(Some(2000.0), Some("cartons"))]
        );
        assert_eq!(
            lines("LED flood light 100W (50 x 2W chips), 500 pcs"),
            vec![("LED flood light".to_string(), Some(500.0), Some(json!(100)))]
        );
        assert_eq!(
            lines("Cordless drill with 2 x 50W lamps - 600 sets"),
            vec![("Cordless drill".to_string(), Some(600.0), Some(json!(50)))]
        );
    }

    #[test]
    fn a_list_line_names_its_product_but_a_total_names_none() {
        let p = extract(
            "1) 18吋 軟骨雨刷 —— 3,000支\n2) 22吋 軟骨雨刷 —— 2,000支\nTotal - 5,000 pcs\n",
            None,
        )
        .products;
        let got: Vec<(String, Option<f64>)> =
            p.iter().map(|p| (p.name.clone(), p.quantity)).collect();
        assert_eq!(
            got,
            vec![
                ("軟骨雨刷".to_string(), Some(3000.0)),
                ("軟骨雨刷".to_string(), Some(2000.0))
            ]
        );
    }

    #[test]
    fn a_name_stops_at_the_count_before_it() {
        assert_eq!(
            names("wir suchen für unser Sortiment 1.200 Stück Wasserkocher 1,7 l aus Edelstahl sowie 600 Stück Toaster."),
            vec!["Wasserkocher", "Toaster"]
        );
    }

    #[test]
    fn names_keep_modifiers_and_drop_specs_and_quantities() {
        assert_eq!(
            names("We need 500 pcs of 100W LED flood lights IP65"),
            vec!["LED flood light"]
        );
        assert_eq!(
            names("Please quote waterproof solar street lights"),
            vec!["waterproof solar street light"]
        );
        assert_eq!(names("需要500个LED投光灯"), vec!["LED投光灯"]);
        assert_eq!(
            names("Necesitamos reflectores LED de 100W"),
            vec!["reflectores LED"]
        );
    }

    #[test]
    fn quantities_and_specs_go_to_their_product() {
        let scan = extract(
            "1. 100W LED flood light IP65, 500 pcs\n2. 50W LED panel light, 300 pcs",
            None,
        );
        let p = &scan.products;
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].quantity, p[0].unit.as_deref()),
            (Some(500.0), Some("pcs"))
        );
        assert_eq!(p[0].specs.get("power_w"), Some(&json!(100)));
        assert_eq!(p[0].specs.get("ip_rating"), Some(&json!("IP65")));
        assert_eq!(
            (p[1].quantity, p[1].specs.get("power_w")),
            (Some(300.0), Some(&json!(50)))
        );
    }

    #[test]
    fn leading_quantities_on_a_shared_line() {
        let scan = extract("Need 500 pcs flood lights and 200 pcs street lights", None);
        let q: Vec<_> = scan.products.iter().map(|p| p.quantity).collect();
        assert_eq!(q, vec![Some(500.0), Some(200.0)]);
    }

    #[test]
    fn labelled_lines_and_sections() {
        let scan = extract(
            "Product: LED Street Light\nModel: ST-150\nPower: 150W\nQuantity: 200 sets",
            None,
        );
        let p = &scan.products[0];
        assert_eq!(p.name, "LED Street Light");
        assert_eq!(p.model.as_deref(), Some("ST-150"));
        assert_eq!((p.quantity, p.unit.as_deref()), (Some(200.0), Some("sets")));
        assert_eq!(p.specs.get("power_w"), Some(&json!(150)));
    }

    #[test]
    fn a_model_alone_makes_a_product() {
        let scan = extract("Please quote model BS-FL100, 1000pcs", None);
        let p = &scan.products[0];
        assert_eq!(
            (p.name.as_str(), p.model.as_deref(), p.quantity),
            ("BS-FL100", Some("BS-FL100"), Some(1000.0))
        );
        assert_eq!(
            names("请报价 500个 LED投光灯 100W，发到迪拜。"),
            vec!["LED投光灯"]
        );
        // A thread count is a spec of the sheets, not an order of thread.
        let scan = extract(
            "Estamos interesados en 3.000 juegos de sábanas de algodón 200 hilos.",
            None,
        );
        assert_eq!(scan.products.len(), 1, "{:?}", scan.products);
        assert_eq!(
            scan.products[0].specs.get("thread_count"),
            Some(&json!(200)),
            "{:?}",
            scan.products
        );
        // A document's number is no model.
        let scan = extract(
            "Our ref. PO-2025-118: 300 units solar street light 60W, see PI-0931.",
            None,
        );
        assert_eq!(scan.products[0].model, None, "{:?}", scan.products);
        // After a model cue, or with letters after the prefix, it is a model.
        for (text, model) in [
            ("Please quote model PI-100 panel lights, 200 pcs.", "PI-100"),
            ("We need 500 pcs BL-5C batteries.", "BL-5C"),
        ] {
            let scan = extract(text, None);
            assert_eq!(
                scan.products.first().and_then(|p| p.model.as_deref()),
                Some(model),
                "{text}"
            );
        }
    }

    #[test]
    fn the_subject_names_the_product_when_the_body_does_not() {
        let scan = extract(
            "Hi, price for 2x40HQ?",
            Some("Inquiry about LED panel lights"),
        );
        let p = &scan.products[0];
        assert_eq!(
            (p.name.as_str(), p.quantity, p.unit.as_deref()),
            ("LED panel light", Some(2.0), Some("40HQ"))
        );
    }

    #[test]
    fn a_list_run_on_one_line_gives_each_item_its_count() {
        assert_eq!(
            counted("Просим предоставить коммерческое предложение на поставку: тумбы - 10 шт, шкафы - 5 шт, стулья - 40 шт."),
            vec![line("тумбы", 10.0, "pcs"), line("шкафы", 5.0, "pcs"), line("стулья", 40.0, "pcs")]
        );
        assert_eq!(
            counted("Please quote: chairs - 40 pcs, cabinets - 10 pcs."),
            vec![line("chair", 40.0, "pcs"), line("cabinet", 10.0, "pcs")]
        );
        assert_eq!(
            counted("Pedido: tornillos - 500 kg, arandelas - 200 kg; bisagras - 300 unidades"),
            vec![
                line("tornillos", 500.0, "kg"),
                line("arandelas", 200.0, "kg"),
                line("bisagras", 300.0, "units")
            ]
        );
        // One product with its specs before the count stays one line.
        assert_eq!(
            counted("Please quote: flood light 100W, IP65, CE: 500 pcs"),
            vec![line("flood light", 500.0, "pcs")]
        );
    }

    #[test]
    fn a_kind_with_kinds_under_it_is_still_ordered_but_a_trade_is_not() {
        // "silla" is the parent of "silla de oficina" yet a buyer orders chairs as such.
        assert_eq!(names("Favor cotizar sillas."), vec!["sillas"]);
        assert_eq!(
            names("Favor cotizar 40 sillas para el comedor."),
            vec!["sillas"]
        );
        assert_eq!(names("Нужны стулья для столовой"), vec!["стулья"]);
        assert_eq!(
            names("Wir brauchen Stühle und Tische."),
            vec!["Stühle", "Tische"]
        );
        // "muebles" names the buyer's trade.
        assert!(names("Somos importadores de muebles en Lima.").is_empty());
    }

    #[test]
    fn a_romance_complement_belongs_to_the_name() {
        assert_eq!(
            names("Necesitamos zapatos de seguridad."),
            vec!["zapatos de seguridad"]
        );
        assert_eq!(
            names("Nous cherchons des lampes d'extérieur."),
            vec!["lampe d'extérieur"]
        );
        // Quality, time and determiners start no complement.
        assert_eq!(names("Necesitamos zapatos de calidad."), vec!["zapatos"]);
        assert_eq!(
            names("Necesitamos sillas de nuestro proveedor."),
            vec!["sillas"]
        );
        // A material after "de" is a spec, not a second product ("malla" is also wire mesh).
        assert_eq!(
            names("Buscamos 250 sillas de oficina ergonómicas, respaldo alto de malla."),
            vec!["sillas de oficina"]
        );
    }

    #[test]
    fn a_cyrillic_noun_right_after_its_unit_is_what_is_counted() {
        assert_eq!(
            counted("Планується придбати 150 кг помідор, 600 кг капусти, 300 кг яблук."),
            vec![
                line("помідор", 150.0, "kg"),
                line("капусти", 600.0, "kg"),
                line("яблук", 300.0, "kg")
            ]
        );
        assert_eq!(
            counted("Нужно 500 кг муки в мешках."),
            vec![line("муки", 500.0, "kg")]
        );
    }

    #[test]
    fn what_the_review_found_stays_fixed() {
        // English "do" links no complement.
        assert_eq!(
            names("Which flood lights do you sell?"),
            vec!["flood light"]
        );
        // A lone count closing its comma item is no order line of its own.
        assert!(!names("Minimum order - 500 pcs, please confirm.")
            .contains(&"Minimum order".to_string()));
        // After pieces, a Cyrillic word is no product ("белые" = white).
        assert_eq!(
            counted("Тумбы - 10 шт белые"),
            vec![line("Тумбы", 10.0, "pcs")]
        );
    }

    #[test]
    fn mil_after_digits_is_a_thousand_unless_a_film_thickness_follows() {
        assert_eq!(
            counted("Necesitamos 2 mil cajas de cartón."),
            vec![line("cajas de cartón", 2000.0, "cartons")]
        );
        assert_eq!(
            counted("Precisamos de 10 mil camisetas de algodão."),
            vec![line("camisetas de algodão", 10000.0, "pcs")]
        );
        assert_eq!(
            counted("We need 30,000 pcs 4 mil poly bags."),
            vec![line("poly bag", 30000.0, "pcs")]
        );
        for text in [
            "Please quote 6 mil nitrile gloves.",
            "We need 50 MIL-SPEC connectors.",
        ] {
            assert!(
                counted(text)
                    .iter()
                    .all(|(_, q, _)| q.is_none_or(|q| q < 1000.0)),
                "{text}: {:?}",
                counted(text)
            );
        }
    }

    #[test]
    fn a_money_magnitude_after_a_count_is_no_product() {
        let found = names("Закупка 17 аппаратов ИВЛ, цена одного 2 миллиона 480 тысяч рублей.");
        assert!(!found.iter().any(|n| n.contains("миллион")), "{found:?}");
    }

    #[test]
    fn a_chinese_attribute_before_de_gives_way_to_the_head_after_it() {
        assert_eq!(
            counted("拟采购800套标准的学生课桌椅。"),
            vec![line("学生课桌椅", 800.0, "sets")]
        );
        assert_eq!(
            counted("我们需要500个圆形的LED面板灯。"),
            vec![line("LED面板灯", 500.0, "pcs")]
        );
        assert_eq!(
            counted("采购1000件纯棉的T恤"),
            vec![line("T恤", 1000.0, "pcs")]
        );
        // A count that closes on the particle still describes the product before it.
        assert_eq!(
            counted("台式洗碗机？8套餐具的，"),
            vec![line("台式洗碗机", 8.0, "sets")]
        );
    }

    #[test]
    fn the_size_of_each_pack_is_not_the_count() {
        assert_eq!(
            counted("We need 2000 bags of 25 kg rice, CIF Lagos."),
            vec![line("rice", 2000.0, "bags")]
        );
        assert_eq!(
            counted("Please quote 20 containers of 50kg bags of cement"),
            vec![line("cement", 20.0, "containers")]
        );
        assert_eq!(
            counted("2000 bags of 25 kg parboiled grain, CIF Lagos."),
            vec![line("parboiled grain", 2000.0, "bags")]
        );
        // A weight counted on its own stays the quantity.
        assert_eq!(
            counted("Cotización de 500 kg de arroz"),
            vec![line("arroz", 500.0, "kg")]
        );
    }

    #[test]
    fn packs_counted_without_a_link_name_what_follows() {
        assert_eq!(
            counted("Kami butuh 1000 karton mie instan untuk bulan depan."),
            vec![line("mie instan", 1000.0, "cartons")]
        );
        assert_eq!(
            counted("Chúng tôi cần 500 thùng nước giải khát."),
            vec![line("nước giải khát", 500.0, "cartons")]
        );
        // "per month" names nothing: the count stays without a name.
        assert_eq!(
            counted("Please send 200 cartons per month from May."),
            vec![line("", 200.0, "cartons")]
        );
    }

    #[test]
    fn a_bare_name_that_a_counted_line_holds_is_that_line() {
        assert_eq!(
            counted("Team Shirts:\n\nSize | Quantity\n--- | ---\nMen M | 40\nWomen S | 12"),
            vec![
                line("Team Shirts Men M", 40.0, "pcs"),
                line("Team Shirts Women S", 12.0, "pcs")
            ]
        );
        assert_eq!(
            counted("Subject: gloves\n\nPlease dispatch 2,000 pairs of sheep leather gloves."),
            vec![line("sheep leather gloves", 2000.0, "pairs")]
        );
        assert_eq!(
            counted("Order t-shirts\n\nStaff Shirts:\n\nSize | Qty\n--- | ---\nM | 40"),
            vec![line("Staff Shirts M", 40.0, "pcs")]
        );
    }

    #[test]
    fn japanese_names_before_a_particle_and_a_counter() {
        assert_eq!(
            counted("シリコンスマホケースを500個お願いします。"),
            vec![line("シリコンスマホケース", 500.0, "pcs")]
        );
        assert_eq!(
            counted("注文：LEDパネルライト 500台、納期は3月末"),
            vec![line("LEDパネルライト", 500.0, "units")]
        );
        assert_eq!(
            counted("ソーラー街路灯を200セット見積もりしてください"),
            vec![line("ソーラー街路灯", 200.0, "sets")]
        );
        // Glued to the count: katakana says it is Japanese, not Chinese order.
        assert_eq!(
            counted("電子カルテノート2台を新規見積もり"),
            vec![line("電子カルテノート", 2.0, "units")]
        );
    }

    #[test]
    fn a_turkish_month_with_its_case_ending_is_a_date() {
        let found =
            names("60 çocuk oyun grubu ve 10 fitness aleti daha alıyoruz. İhale 27 Mart'ta.");
        assert_eq!(found, vec!["çocuk oyun grubu", "fitness aleti"]);
    }

    #[test]
    fn a_measure_of_each_piece_is_its_size_not_the_count() {
        assert_eq!(
            counted("la adquisición de trescientas papeleras de 120 litros acordes al modelo"),
            vec![line("papeleras", 300.0, "pcs")]
        );
        assert_eq!(
            counted("400 litre kapasiteli 820 adet çöp konteyneri alınacak"),
            vec![line("çöp konteyneri", 820.0, "pcs")]
        );
        assert_eq!(
            counted("Please quote 300 waste bins of 240 liters."),
            vec![line("waste bins", 300.0, "pcs")]
        );
        // An amount of goods stays one: no product word before the link, or a length.
        assert_eq!(
            counted("Cotización de 500 kg de arroz, por favor."),
            vec![line("arroz", 500.0, "kg")]
        );
        assert_eq!(
            counted("Necesitamos cable eléctrico de 500 m."),
            vec![line("cable eléctrico", 500.0, "m")]
        );
    }
}
