//! Scoring catalogue products against the buyer's need: hard fits (protection sufficient
//! for the site, destination marks, supply voltage, MOQ, lead time) and soft ones (price
//! against the target, how well the words match), each explained in a sentence.

use crate::catalogue::{Catalogue, CatalogueProduct};
use crate::flags::{mains_text, plug_type};
use crate::knowledge::Knowledge;
use crate::need::Need;
use crate::relevance::{tokens, word_keys};
use crate::reply_lang::ReplyLang;
use crate::row_index::RowIndex;
use crate::specs::{parse_watts, value_text, IpRating, VoltageRange};
use serde::Serialize;
use std::collections::BTreeSet;
use tradescout_core::analysis::{Analysis, Product};
use tradescout_core::concepts::Concepts;

/// Most matches returned.
pub const MAX_MATCHES: usize = 10;

/// Share of the best relevance a product needs to count as the kind asked for.
pub(crate) const KIND_SHARE: f64 = 0.7;

/// Token relevance given to a row of the concept asked for (it may share no word with a
/// request written in another language).
const CONCEPT_RELEVANCE: f64 = 0.75;

/// One catalogue product scored against the need.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Match {
    pub sku: String,
    pub name: String,
    /// 0–1.
    pub score: f64,
    pub fits: Vec<String>,
    pub gaps: Vec<String>,
    pub over_spec: Vec<String>,
    /// Fails the need outright (protection, supply or a required mark): never recommended
    /// while another product passes.
    #[serde(skip)]
    pub disqualified: bool,
    /// The row of the catalogue it was scored from, so the proposal finds the product without
    /// searching a large catalogue for its code.
    #[serde(skip)]
    pub row: Option<usize>,
}

/// The best [`MAX_MATCHES`] products, best first. `today` is days since 1970-01-01, to
/// weigh lead times against a dated deadline.
pub fn matches(
    analysis: &Analysis,
    need: &Need<'_>,
    catalogue: &Catalogue,
    k: &Knowledge,
    today: Option<i64>,
    lang: impl Into<ReplyLang>,
) -> Vec<Match> {
    let lang = lang.into();
    let fallback = Product::default();
    let requests: Vec<&Product> = if analysis.request.products.is_empty() {
        vec![&fallback]
    } else {
        analysis.request.products.iter().collect()
    };
    // What each line asks, read once: every row of the catalogue is checked against it.
    let asked: Vec<Asked<'_>> = requests.iter().map(|r| Asked::of(r)).collect();
    let buyer_words = word_keys(&need.words);
    let mut words: Vec<Vec<u64>> = requests
        .iter()
        .map(|r| word_keys(&tokens(&r.name)))
        .collect();
    // A product read without a name ("luces LED para piscina IP65" gives specs only) names
    // nothing to compare: the product words of the buyer's text stand in for it.
    let named = words.iter().any(|w| !w.is_empty());
    if !named {
        words = vec![buyer_words.clone(); requests.len()];
    }
    // Concepts first: what kind of product was asked for, in whatever language.
    let vocabulary = Concepts::shipped();
    let wanted = crate::concept_match::wanted_concepts(analysis, need);
    let specific: Vec<usize> = wanted
        .iter()
        .copied()
        .filter(|&w| !vocabulary.is_broad(w))
        .collect();
    // Each request's own specific concepts, so a row is weighed against the line it answers
    // ("alumbrado público 150 W" for the street light, not the "luminaria" line beside it).
    let own: Vec<Vec<usize>> = requests
        .iter()
        .map(|r| {
            vocabulary
                .specific(&r.name)
                .into_iter()
                .filter(|&c| !vocabulary.is_broad(c))
                .collect()
        })
        .collect();
    let index = catalogue.row_index();
    let rows = Rows {
        products: &catalogue.products,
        index: &index,
        asked: &asked,
        own: &own,
        wanted: &wanted,
        specific: &specific,
        codes: &need.codes,
    };
    // With no product word at all ("please send your catalogue") every product may do.
    let mut out = rows.candidates(&words, !named && need.words.is_empty());
    // A name no catalogue word answers (misread, or in a language the synonyms lack): the
    // product words of the buyer's text may still name it; if they do not either, the
    // catalogue has nothing for this request (office chairs from a lighting catalogue).
    if out.is_empty() && named {
        words = vec![buyer_words; requests.len()];
        out = rows.candidates(&words, false);
    }
    // The kind of product asked for comes first: when the catalogue has it, products that
    // share only a word with it ("LED street light" for "LED flood light") are left out, so
    // a floodlight lacking a mark is shown with that gap rather than a street light in its
    // place.
    let best = out.iter().map(|c| c.rel).fold(0.0, f64::max);
    if named && best > 0.0 {
        out.retain(|c| c.rel >= best * KIND_SHARE);
    }
    // Score everything without words first, in one reused match; explain only the products
    // shown.
    let mut scratch = Match::default();
    let mut ranked: Vec<(f64, usize)> = Vec::with_capacity(out.len());
    for (i, c) in out.iter().enumerate() {
        rate(
            &mut scratch,
            analysis,
            c.req,
            c.p,
            c.rel,
            need,
            k,
            today,
            lang,
            false,
        );
        ranked.push((scratch.score, i));
    }
    let order = |a: &(f64, usize), b: &(f64, usize)| {
        out[b.1]
            .coded
            .cmp(&out[a.1].coded)
            .then_with(|| b.0.total_cmp(&a.0))
            .then_with(|| out[a.1].line.cmp(&out[b.1].line))
            .then_with(|| {
                index
                    .sku_rank(out[a.1].row)
                    .cmp(&index.sku_rank(out[b.1].row))
            })
    };
    // Only the best few are shown: pick them, then sort those.
    if ranked.len() > MAX_MATCHES {
        ranked.select_nth_unstable_by(MAX_MATCHES - 1, order);
        ranked.truncate(MAX_MATCHES);
    }
    ranked.sort_by(order);
    ranked
        .iter()
        .take(MAX_MATCHES)
        .map(|(_, i)| {
            let c = &out[*i];
            let mut m = Match {
                row: Some(c.row),
                ..Match::default()
            };
            rate(
                &mut m, analysis, c.req, c.p, c.rel, need, k, today, lang, true,
            );
            m
        })
        .collect()
}

/// The catalogue's rows and what the request asks, to pick the rows that may answer it.
struct Rows<'c, 'a> {
    products: &'c [CatalogueProduct],
    index: &'c RowIndex,
    asked: &'a [Asked<'a>],
    /// Per requested line, its own specific concepts.
    own: &'a [Vec<usize>],
    /// The concepts asked for, and those of them that are not broad.
    wanted: &'a [usize],
    specific: &'a [usize],
    /// The product codes the buyer wrote.
    codes: &'a BTreeSet<String>,
}

impl<'c, 'a> Rows<'c, 'a> {
    /// The rows that answer some requested line (`words`: each line's word keys), with how
    /// well: the share of the line's words the row holds, raised for a row of the line's own
    /// kind. A product code the buyer wrote names its row, whatever the words; a row of
    /// another kind than the one asked for is no match, however many words it shares; a row
    /// of the kind asked for is one, whatever language named it. With `every`, rows that
    /// answer nothing in particular (relevance 0) are kept too.
    ///
    /// Rows are reached through the index: a row sharing no word, no concept and no code with
    /// the request is never read.
    fn candidates(&self, words: &[Vec<u64>], every: bool) -> Vec<Candidate<'c, 'a>> {
        let n = self.products.len();
        // Per row: the best relevance over the lines and that line (the first on a tie; a row
        // no line names has 0 for the first line), and whether any line reached it.
        let mut best = vec![0.0f64; n];
        let mut line = vec![0u32; n];
        let mut seen = vec![every; n];
        let mut counts = vec![0u16; n];
        let mut own_kind = vec![false; n];
        let mut touched: Vec<u32> = Vec::new();
        for (i, (w, own)) in words.iter().zip(self.own).enumerate() {
            touched.clear();
            self.index.count_words(w, &mut counts, &mut touched);
            if !own.is_empty() {
                self.index.rows_answering(own, |r| {
                    if let Some(mark) = own_kind.get_mut(r as usize) {
                        if !*mark && counts.get(r as usize) == Some(&0) {
                            touched.push(r);
                        }
                        *mark = true;
                    }
                });
            }
            for &r in &touched {
                let r = r as usize;
                let mut rel = if w.is_empty() {
                    0.0
                } else {
                    f64::from(counts[r]) / w.len() as f64
                };
                if own_kind[r] {
                    rel = rel.max(CONCEPT_RELEVANCE) + 0.01;
                }
                if rel > best[r] {
                    best[r] = rel;
                    line[r] = i as u32;
                }
                seen[r] = true;
                counts[r] = 0;
                own_kind[r] = false;
            }
        }
        // Rows of the kind asked for (1), or of a kind of it (2).
        let mut kind = vec![0u8; n];
        if !self.wanted.is_empty() {
            let mark = |kind: &mut [u8], r: u32, bit: u8| {
                if let Some(k) = kind.get_mut(r as usize) {
                    *k |= bit;
                }
            };
            self.index
                .rows_answering(self.specific, |r| mark(&mut kind, r, 1));
            self.index
                .rows_of_concepts(|c| self.wanted.contains(&c), |r| mark(&mut kind, r, 1));
            self.index
                .rows_answering(self.wanted, |r| mark(&mut kind, r, 2));
        }
        let mut coded = vec![false; n];
        for code in self.codes {
            for &r in self.index.rows_of_code(code) {
                if let Some(c) = coded.get_mut(r as usize) {
                    *c = true;
                }
            }
        }
        let mut out = Vec::new();
        for (row, p) in self.products.iter().enumerate() {
            if !(seen[row] || coded[row] || kind[row] & 1 != 0) {
                continue;
            }
            let rel = best[row].min(1.0);
            let rel = if coded[row] {
                1.0
            } else if self.wanted.is_empty() || self.index.conceptless(row) {
                rel
            } else if kind[row] & 1 != 0 {
                // The kind asked for, or exactly the broad kind asked for ("sillas de
                // oficina" for an office chair row, though gaming chairs are office chairs
                // too).
                rel.max(CONCEPT_RELEVANCE)
            } else if kind[row] & 2 != 0 {
                rel
            } else {
                -1.0
            };
            if rel > 0.0 || (every && rel >= 0.0) {
                let Some(req) = self.asked.get(line[row] as usize).or(self.asked.first()) else {
                    continue;
                };
                out.push(Candidate {
                    rel,
                    p,
                    req,
                    coded: coded[row],
                    row,
                    line: line[row],
                });
            }
        }
        out
    }
}

impl Match {
    /// The catalogue row this match was scored from.
    pub fn product<'c>(&self, catalogue: &'c Catalogue) -> Option<&'c CatalogueProduct> {
        self.row
            .and_then(|r| catalogue.products.get(r))
            .filter(|p| p.sku == self.sku)
            .or_else(|| catalogue.products.iter().find(|p| p.sku == self.sku))
    }
}

/// A row that may answer the request, with the line it answers best.
struct Candidate<'c, 'a> {
    /// How well its words (or its concept) answer the line, 0–1.
    rel: f64,
    p: &'c CatalogueProduct,
    req: &'a Asked<'a>,
    /// The buyer named its code.
    coded: bool,
    /// Its place in the catalogue.
    row: usize,
    /// The requested line it answers best (the buyer's first line first on a tie).
    line: u32,
}

/// What a requested line asks of every row, read from its specs once per brief.
struct Asked<'a> {
    product: &'a Product,
    /// Capacity, lengths, fabric weight… the line asks for (one per dimension, the first).
    measures: Vec<crate::measures::Measure>,
    /// The size the line asks for, if any.
    size: Option<crate::measures::Size>,
    /// The materials the line asks for.
    materials: Vec<usize>,
    ip: Option<IpRating>,
    watts: Option<f64>,
    /// The plug as written, and its IEC letter.
    plug: Option<(String, String)>,
}

impl<'a> Asked<'a> {
    fn of(product: &'a Product) -> Asked<'a> {
        let spec = |k: &str| product.specs.get(k).map(value_text);
        let mut all = Vec::new();
        crate::measures::in_specs(&product.specs, &mut all);
        crate::measures::in_text(&product.name, &mut all);
        let mut measures: Vec<crate::measures::Measure> = Vec::new();
        for m in all {
            if !measures.iter().any(|x| x.dim == m.dim) {
                measures.push(m);
            }
        }
        let mut sizes = Vec::new();
        if let Some(s) = product.specs.get("size").map(value_text) {
            crate::measures::sizes_in(&s, &mut sizes);
        }
        crate::measures::sizes_in(&product.name, &mut sizes);
        let mut material_text = product.name.clone();
        if let Some(m) = product.specs.get("material").map(value_text) {
            material_text.push(' ');
            material_text.push_str(&m);
        }
        Asked {
            product,
            measures,
            size: sizes.first().copied(),
            materials: crate::materials::in_text(&material_text),
            ip: spec("ip_rating").and_then(|v| IpRating::parse(&v)),
            watts: spec("power_w").and_then(|v| parse_watts(&v)),
            plug: spec("plug").and_then(|v| plug_type(&v).map(|kind| (v, kind))),
        }
    }
}

/// Scores `p` into `m`, which is cleared first. While ranking a hundred thousand products
/// only the score counts: one match is reused, with no copies and no sentences.
#[allow(clippy::too_many_arguments)]
fn rate(
    m: &mut Match,
    analysis: &Analysis,
    req: &Asked<'_>,
    p: &CatalogueProduct,
    relevance: f64,
    need: &Need<'_>,
    k: &Knowledge,
    today: Option<i64>,
    lang: ReplyLang,
    explain: bool,
) {
    m.sku.clear();
    m.name.clear();
    if explain {
        m.sku.push_str(&p.sku);
        m.name.push_str(&p.name);
    }
    m.score = 0.0;
    m.fits.clear();
    m.gaps.clear();
    m.over_spec.clear();
    m.disqualified = false;
    let mut hard = Checks::default();
    ip_check(req, p, need, k, lang, explain, m, &mut hard);
    supply_check(p, need, k, lang, explain, m, &mut hard);
    plug_asked_check(req, p, need, k, lang, explain, m, &mut hard);
    for r in &need.required {
        if !explain {
            if r.satisfied_by(&p.certifications) {
                hard.pass(&mut m.fits, String::new());
            } else {
                hard.fail(&mut m.gaps, String::new());
            }
            continue;
        }
        let missing = r.missing(&p.certifications);
        let marks = r.marks.join(if r.any_of { " / " } else { ", " });
        let market = r.market_in(lang);
        let args: [(&str, &dyn std::fmt::Display); 2] = [("market", &market), ("marks", &marks)];
        let (fit, gap) = if r.by_buyer {
            ("coach.fit.cert_asked", "coach.gap.cert_asked")
        } else {
            ("coach.fit.cert", "coach.gap.cert")
        };
        if missing.is_empty() {
            hard.pass(&mut m.fits, say(explain, lang, fit, &args));
        } else {
            let missing = missing.join(", ");
            let args: [(&str, &dyn std::fmt::Display); 2] =
                [("market", &market), ("marks", &missing)];
            hard.fail(&mut m.gaps, say(explain, lang, gap, &args));
        }
    }
    // Only the checks above rule a product out (market marks, the mains, the plug, the IP
    // need); a spec it does not state never does.
    m.disqualified = hard.failed > 0;
    power_check(req, p, lang, explain, m, &mut hard);
    measure_check(req, p, lang, explain, m, &mut hard);
    material_check(req, p, lang, explain, m, &mut hard);
    size_check(req, p, lang, explain, m, &mut hard);
    if let (Some(moq), Some(qty)) = (p.moq, req.product.quantity) {
        let args: [(&str, &dyn std::fmt::Display); 2] = [("moq", &moq), ("qty", &qty)];
        if moq <= qty {
            hard.pass(&mut m.fits, say(explain, lang, "coach.fit.moq", &args));
        } else {
            hard.fail(&mut m.gaps, say(explain, lang, "coach.gap.moq", &args));
        }
    }
    let deadline = analysis.request.deadline.as_deref();
    if let (Some(days), Some(d), Some(today)) = (p.lead_time_days, deadline, today) {
        if let Some(due) = days_from_iso(d) {
            // Counted from the day the buyer wrote, with the way to the buyer added.
            let left = due - today;
            let total = days + need.transit.map_or(0.0, |leg| f64::from(leg.days));
            let fits = total <= left as f64;
            if explain {
                let text = match &need.transit {
                    Some(leg) => {
                        let mode = crate::reply_lang::say(lang, leg.mode.key(), &[]);
                        let region = leg.route.name_in(lang);
                        let args: [(&str, &dyn std::fmt::Display); 7] = [
                            ("days", &days),
                            ("transit", &leg.days),
                            ("mode", &mode),
                            ("region", &region),
                            ("total", &total),
                            ("deadline", &d),
                            ("left", &left),
                        ];
                        let k = if fits {
                            "coach.fit.lead_transit"
                        } else {
                            "coach.gap.lead_transit"
                        };
                        say(explain, lang, k, &args)
                    }
                    None => {
                        let args: [(&str, &dyn std::fmt::Display); 3] =
                            [("days", &days), ("deadline", &d), ("left", &left)];
                        let k = if fits {
                            "coach.fit.lead"
                        } else {
                            "coach.gap.lead"
                        };
                        say(explain, lang, k, &args)
                    }
                };
                if fits {
                    hard.pass(&mut m.fits, text);
                } else {
                    hard.fail(&mut m.gaps, text);
                }
            } else if fits {
                hard.pass(&mut m.fits, String::new());
            } else {
                hard.fail(&mut m.gaps, String::new());
            }
        }
    }
    let price = price_fit(analysis, p, lang, explain, m);
    let hard_share = if hard.total == 0 {
        0.5
    } else {
        hard.passed as f64 / hard.total as f64
    };
    let over_penalty = 0.08 * m.over_spec.len() as f64;
    m.score = (0.35 * relevance + 0.45 * hard_share + 0.2 * price - over_penalty).clamp(0.0, 1.0);
    if m.disqualified {
        m.score *= 0.6;
    }
    m.score = (m.score * 1000.0).round() / 1000.0;
}

#[derive(Default)]
/// Checks passed and made, in halves: a spec the buyer asks that the row does not state
/// counts half, below a row that states it and fits, above one that states it and does not.
struct Checks {
    passed: usize,
    total: usize,
    failed: usize,
}

impl Checks {
    fn pass(&mut self, fits: &mut Vec<String>, text: String) {
        self.passed += 2;
        self.total += 2;
        fits.push(text);
    }
    fn fail(&mut self, gaps: &mut Vec<String>, text: String) {
        self.total += 2;
        self.failed += 1;
        gaps.push(text);
    }
    fn unknown(&mut self) {
        self.passed += 1;
        self.total += 2;
    }
}

/// Protection against the site's need (or, with no site known, against what was asked).
#[allow(clippy::too_many_arguments)]
fn ip_check(
    req: &Asked<'_>,
    p: &CatalogueProduct,
    need: &Need<'_>,
    k: &Knowledge,
    lang: ReplyLang,
    explain: bool,
    m: &mut Match,
    hard: &mut Checks,
) {
    let asked = req.ip;
    // The place of use holds only rows of the lines it is known for (lighting, solar); a rating
    // the buyer asks for the line holds any product.
    let held_by_site = |p: &CatalogueProduct| {
        let vocabulary = tradescout_core::concepts::Concepts::shipped();
        let held = |line: &str| k.ip_site_categories.iter().any(|c| c == line);
        if !p.concepts.is_empty() {
            return p
                .concepts
                .iter()
                .filter_map(|&c| vocabulary.get(c))
                .any(|c| held(&c.line));
        }
        let text = format!(
            "{} {} {}",
            p.name,
            p.category.as_deref().unwrap_or(""),
            p.description.as_deref().unwrap_or("")
        );
        held(k.category_of(&text))
    };
    // Even a place in the line's own name holds only those rows: "sillas de oficina" names an
    // office, and a chair needs no IP rating there.
    let site = need.site_for(req.product).filter(|_| held_by_site(p));
    let (min, env) = match (site, asked) {
        // A rating the buyer requires for a reason raises the need above the site's.
        (Some(site), Some(asked))
            if need.insists.is_some() && asked.exceeds(site.environment.need()) =>
        {
            (asked, None)
        }
        (Some(site), _) => (
            site.environment.need(),
            Some(site.environment.label.get_in(lang)),
        ),
        (None, Some(asked)) => (asked, None),
        _ => return,
    };
    let have = p.ip_rating();
    let Some(ip) = have else {
        hard.fail(
            &mut m.gaps,
            say(explain, lang, "coach.gap.ip_missing", &[("need", &min)]),
        );
        return;
    };
    let env_text = env.unwrap_or_default();
    let args: [(&str, &dyn std::fmt::Display); 3] =
        [("ip", &ip), ("need", &min), ("env", &env_text)];
    match (ip.covers(min), env.is_some()) {
        (true, true) => hard.pass(&mut m.fits, say(explain, lang, "coach.fit.ip", &args)),
        (true, false) => hard.pass(&mut m.fits, say(explain, lang, "coach.fit.ip_asked", &args)),
        (false, true) => hard.fail(&mut m.gaps, say(explain, lang, "coach.gap.ip", &args)),
        (false, false) => hard.fail(&mut m.gaps, say(explain, lang, "coach.gap.ip_asked", &args)),
    }
    if env.is_some() && ip.exceeds(min) {
        let extra = if explain {
            k.describe_ip(ip, lang)
        } else {
            String::new()
        };
        m.over_spec.push(say(
            explain,
            lang,
            "coach.over.ip",
            &[
                ("ip", &ip),
                ("need", &min),
                ("env", &env_text),
                ("extra", &extra),
            ],
        ));
    }
}

/// Wattage within a fifth of what was asked.
fn power_check(
    req: &Asked<'_>,
    p: &CatalogueProduct,
    lang: ReplyLang,
    explain: bool,
    m: &mut Match,
    hard: &mut Checks,
) {
    let want = req.watts;
    let have = p.watts();
    if want.is_some() && have.is_none() {
        hard.unknown();
    }
    if let (Some(want), Some(have)) = (want, have) {
        let args: [(&str, &dyn std::fmt::Display); 2] = [("have", &have), ("want", &want)];
        if (have - want).abs() <= want * 0.2 {
            hard.pass(&mut m.fits, say(explain, lang, "coach.fit.power", &args));
        } else {
            hard.fail(&mut m.gaps, say(explain, lang, "coach.gap.power", &args));
        }
    }
}

/// Each measure the line asks for (capacity, length, fabric weight, battery voltage, charge)
/// against the row's values of it, when the row states any: the nearest one decides.
fn measure_check(
    req: &Asked<'_>,
    p: &CatalogueProduct,
    lang: ReplyLang,
    explain: bool,
    m: &mut Match,
    hard: &mut Checks,
) {
    for want in &req.measures {
        let nearest = p
            .measures
            .iter()
            .filter(|h| h.dim == want.dim)
            .min_by(|a, b| {
                (a.value - want.value)
                    .abs()
                    .total_cmp(&(b.value - want.value).abs())
            });
        let Some(have) = nearest else {
            hard.unknown();
            continue;
        };
        measured(hard, m, want.fits(have), explain, lang, || {
            (have.text(), want.text())
        });
    }
}

/// The size the line asks for against the sizes the row states: any one that fits does.
fn size_check(
    req: &Asked<'_>,
    p: &CatalogueProduct,
    lang: ReplyLang,
    explain: bool,
    m: &mut Match,
    hard: &mut Checks,
) {
    let Some(want) = req.size else {
        return;
    };
    let Some(first) = p.sizes.first() else {
        hard.unknown();
        return;
    };
    let fit = p.sizes.iter().find(|s| want.fits(s));
    measured(hard, m, fit.is_some(), explain, lang, || {
        (fit.unwrap_or(first).text(), want.text())
    });
}

/// Records a measure or size that fits or not; its sentence ("10 L is not the 1.8 L asked")
/// is written only when explaining, from `texts` (what the row has, what was asked).
fn measured(
    hard: &mut Checks,
    m: &mut Match,
    fits: bool,
    explain: bool,
    lang: ReplyLang,
    texts: impl FnOnce() -> (String, String),
) {
    let text = if explain {
        let (have, want) = texts();
        let args: [(&str, &dyn std::fmt::Display); 2] = [("have", &have), ("want", &want)];
        let key = if fits {
            "coach.fit.measure"
        } else {
            "coach.gap.measure"
        };
        say(explain, lang, key, &args)
    } else {
        String::new()
    };
    if fits {
        hard.pass(&mut m.fits, text);
    } else {
        hard.fail(&mut m.gaps, text);
    }
}

/// Each material the line asks for against those the row names: named → fits; other
/// materials named and not this one → a gap; none named → unknown.
fn material_check(
    req: &Asked<'_>,
    p: &CatalogueProduct,
    lang: ReplyLang,
    explain: bool,
    m: &mut Match,
    hard: &mut Checks,
) {
    let all = crate::materials::materials();
    for &want in &req.materials {
        let want_name = all.get(want).map_or("", |x| x.name_in(lang));
        if p.materials.contains(&want) {
            let args: [(&str, &dyn std::fmt::Display); 1] = [("want", &want_name)];
            hard.pass(&mut m.fits, say(explain, lang, "coach.fit.material", &args));
        } else if p.materials.is_empty() {
            hard.unknown();
        } else if !explain {
            hard.fail(&mut m.gaps, String::new());
        } else {
            let have: Vec<&str> = p
                .materials
                .iter()
                .filter_map(|&i| all.get(i))
                .map(|x| x.name_in(lang))
                .collect();
            let have = have.join(", ");
            let args: [(&str, &dyn std::fmt::Display); 2] = [("have", &have), ("want", &want_name)];
            hard.fail(&mut m.gaps, say(explain, lang, "coach.gap.material", &args));
        }
    }
}

/// Voltage and plug against the destination's mains.
fn supply_check(
    p: &CatalogueProduct,
    need: &Need<'_>,
    k: &Knowledge,
    lang: ReplyLang,
    explain: bool,
    m: &mut Match,
    hard: &mut Checks,
) {
    let Some(mains) = need.mains else {
        return;
    };
    let supply = if explain {
        mains_text(mains)
    } else {
        String::new()
    };
    if let Some(range) = p.voltage() {
        let country = mains.name_in(lang);
        let args: [(&str, &dyn std::fmt::Display); 3] = [
            ("voltage", &range),
            ("country", &country),
            ("mains", &supply),
        ];
        if is_extra_low(range) {
            // Pool lights, LED strips, garden spikes: fed by a driver or transformer, never
            // plugged into the mains, so the country's mains is no reason to reject them.
            m.fits
                .push(say(explain, lang, "coach.fit.voltage_elv", &args));
        } else if mains.voltages.iter().any(|x| range.accepts(*x)) {
            hard.pass(&mut m.fits, say(explain, lang, "coach.fit.voltage", &args));
        } else {
            hard.fail(&mut m.gaps, say(explain, lang, "coach.gap.voltage", &args));
        }
    }
    if let Some(kind) = p.plug_kind() {
        // The words only for the products shown.
        let (plug, plugs, country) = if explain {
            (
                p.plug().unwrap_or_default(),
                mains.plugs.join("/"),
                mains.name_in(lang).to_string(),
            )
        } else {
            Default::default()
        };
        let args: [(&str, &dyn std::fmt::Display); 3] =
            [("plug", &plug), ("country", &country), ("plugs", &plugs)];
        if k.plug_fits(&kind, &mains.plugs) {
            hard.pass(&mut m.fits, say(explain, lang, "coach.fit.plug", &args));
        } else {
            hard.fail(&mut m.gaps, say(explain, lang, "coach.gap.plug", &args));
        }
    }
}

/// The plug the buyer asked for, when no destination's mains says which plugs fit.
#[allow(clippy::too_many_arguments)]
fn plug_asked_check(
    req: &Asked<'_>,
    p: &CatalogueProduct,
    need: &Need<'_>,
    k: &Knowledge,
    lang: ReplyLang,
    explain: bool,
    m: &mut Match,
    hard: &mut Checks,
) {
    if need.mains.is_some() {
        return;
    }
    let (Some(kind), Some((asked, want))) = (p.plug_kind(), &req.plug) else {
        return;
    };
    let have = if explain {
        p.plug().unwrap_or_default()
    } else {
        String::new()
    };
    let args: [(&str, &dyn std::fmt::Display); 2] = [("plug", &have), ("asked", &asked)];
    // "EU plug" is written for types C, E and F alike: either fitting the other will do.
    let fits = k.plug_fits(&kind, std::slice::from_ref(want))
        || k.plug_fits(want, std::slice::from_ref(&kind));
    if fits {
        hard.pass(
            &mut m.fits,
            say(explain, lang, "coach.fit.plug_asked", &args),
        );
    } else {
        hard.fail(
            &mut m.gaps,
            say(explain, lang, "coach.gap.plug_asked", &args),
        );
    }
}

/// Extra-low voltage (at most 50 V, IEC 61140's ELV band): supplied through a driver or
/// transformer rather than from the mains.
pub fn is_extra_low(range: VoltageRange) -> bool {
    range.max <= 50.0
}

/// 1 at or under the target price, falling to 0 at double it; 0.5 when not comparable.
fn price_fit(
    analysis: &Analysis,
    p: &CatalogueProduct,
    lang: ReplyLang,
    explain: bool,
    m: &mut Match,
) -> f64 {
    let (Some(target), Some(price)) = (&analysis.request.target_price, p.price) else {
        return 0.5;
    };
    let currency = p.currency.as_deref().unwrap_or("");
    if !currency.eq_ignore_ascii_case(&target.currency) || target.amount <= 0.0 {
        return 0.5;
    }
    if price <= target.amount {
        m.fits.push(say(
            explain,
            lang,
            "coach.fit.price",
            &[
                ("price", &price),
                ("currency", &currency),
                ("target", &target.amount),
            ],
        ));
        1.0
    } else {
        let pct = ((price / target.amount - 1.0) * 100.0).round();
        m.gaps.push(say(
            explain,
            lang,
            "coach.gap.price",
            &[
                ("price", &price),
                ("currency", &currency),
                ("target", &target.amount),
                ("pct", &pct),
            ],
        ));
        (2.0 - price / target.amount).clamp(0.0, 1.0)
    }
}

/// The message, or nothing while ranking (formatting ten thousand sentences nobody reads
/// would be most of the cost).
fn say(
    explain: bool,
    lang: ReplyLang,
    key: &str,
    args: &[(&str, &dyn std::fmt::Display)],
) -> String {
    if explain {
        crate::reply_lang::say(lang, key, args)
    } else {
        String::new()
    }
}

/// Days since 1970-01-01 of an ISO date (`2026-04-30`, or its first ten characters).
pub fn days_from_iso(s: &str) -> Option<i64> {
    let d = s.get(..10)?;
    let mut parts = d.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let mo: i64 = parts.next()?.parse().ok()?;
    let da: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&da) {
        return None;
    }
    // Days-from-civil (proleptic Gregorian).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + da - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::need::need_of;
    use crate::test_support::request;
    use tradescout_core::Lang;

    const CATALOGUE: &[u8] =
        b"sku,name,price,currency,moq,lead_time_days,certifications,ip_rating,power_w,voltage
FL65,LED flood light 100W,8.9,USD,100,15,CE;RoHS;REACH;ErP;RCM,IP65,100,AC100-277V
FL68,LED flood light 100W,11.5,USD,100,20,CE;RoHS;REACH;ErP;RCM,IP68,100,AC100-277V
FL44,LED flood light 100W,6.0,USD,100,15,CE;RoHS;REACH;ErP;RCM,IP44,100,220-240V
FL110,LED flood light 100W,8.0,USD,100,15,CE;RoHS;REACH;ErP,IP65,100,110V
CH1,Office chair,30,USD,10,30,,,,
";

    /// The matches for a one-line request (`name`, `specs`, destination) and the buyer's words.
    fn matched(
        c: &Catalogue,
        name: &str,
        specs: &[(&str, &str)],
        country: Option<&str>,
        buyer_text: &str,
    ) -> Vec<Match> {
        let k = Knowledge::shipped();
        let a = request(name, specs, country);
        matches(&a, &need_of(&a, buyer_text, k), c, k, None, Lang::En)
    }

    /// The match of `sku`, which must be among `m`.
    fn row<'m>(m: &'m [Match], sku: &str) -> &'m Match {
        m.iter()
            .find(|x| x.sku == sku)
            .unwrap_or_else(|| panic!("no {sku}: {m:#?}"))
    }

    #[test]
    fn under_trees_the_ip65_product_ranks_first_and_ip68_is_explained_as_over_spec() {
        let c = Catalogue::from_csv(CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let m = matched(
            &c,
            "LED flood light",
            &[("ip_rating", "IP68")],
            Some("AU"),
            "under trees in a garden",
        );
        assert_eq!(m[0].sku, "FL65", "{m:#?}");
        assert!(m.iter().all(|x| x.sku != "CH1"));
        let ip68 = row(&m, "FL68");
        assert!(ip68.over_spec[0].contains("IP65"), "{:?}", ip68.over_spec);
        let ip44 = row(&m, "FL44");
        assert!(ip44.gaps.iter().any(|g| g.contains("IP44")));
    }

    #[test]
    fn a_broad_kind_asked_in_another_language_finds_the_row_of_that_kind() {
        let c = Catalogue::from_csv(
            b"sku,name,category,moq\nOC,Ergonomic mesh office chair,furniture,50\nMT,Meeting table 240x120,furniture,10\nKT,Electric kettle 1.7L,appliances,100\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // Office chairs have kinds of their own (gaming chairs): the Spanish words share no
        // word with the row, the kind does.
        let m = matched(
            &c,
            "sillas de oficina",
            &[],
            Some("ES"),
            "Necesitamos 250 sillas de oficina.",
        );
        assert_eq!(m.first().map(|x| x.sku.as_str()), Some("OC"), "{m:#?}");
        assert!(m.iter().all(|x| x.sku != "KT"), "{m:#?}");
        // The office in the chairs' name asks no IP rating of them.
        assert!(
            m[0].gaps.iter().all(|g| !g.contains("IP")),
            "{:?}",
            m[0].gaps
        );
    }

    #[test]
    fn a_plug_named_in_the_catalogue_is_weighed_against_the_market_and_the_ask() {
        let c = Catalogue::from_csv(
            b"sku,name,moq\nKT-EU,Electric kettle 1.7L EU plug,100\nKT-UK,Electric kettle 1.7L UK plug,100\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // Saudi Arabia uses the British plug.
        let m = matched(
            &c,
            "electric kettle",
            &[],
            Some("SA"),
            "electric kettles for Dammam",
        );
        assert_eq!(m.first().map(|x| x.sku.as_str()), Some("KT-UK"), "{m:#?}");
        let eu = row(&m, "KT-EU");
        assert!(
            eu.gaps.iter().any(|g| g.contains("EU plug")),
            "{:?}",
            eu.gaps
        );
        // No destination: the plug the buyer asks for decides.
        let m = matched(
            &c,
            "electric kettle",
            &[("plug", "type G")],
            None,
            "electric kettles, UK plug",
        );
        assert_eq!(m.first().map(|x| x.sku.as_str()), Some("KT-UK"), "{m:#?}");
        let eu = row(&m, "KT-EU");
        assert!(
            eu.gaps.iter().any(|g| g.contains("asks for")),
            "{:?}",
            eu.gaps
        );
        // "EU plug" in the catalogue answers a Europlug (type C) ask.
        let m = matched(
            &c,
            "electric kettle",
            &[("plug", "type C")],
            None,
            "electric kettles, prise européenne",
        );
        assert_eq!(m.first().map(|x| x.sku.as_str()), Some("KT-EU"), "{m:#?}");
    }

    #[test]
    fn the_place_of_the_lights_does_not_hold_a_kettle_to_an_ip_rating() {
        let k = Knowledge::shipped();
        let c = Catalogue::from_csv(
            b"sku,name,category,moq,ip_rating\nKT17,Electric kettle 1.7L,appliances,100,\nFL65,LED flood light 100W,lighting,100,\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let text = "flood lights for the car park outdoors, and kettles for the staff kitchen";
        let kettle = request("kettle", &[], Some("AU"));
        let n = need_of(&kettle, text, k);
        let m = matches(&kettle, &n, &c, k, None, Lang::En);
        let kt = row(&m, "KT17");
        assert!(kt.gaps.iter().all(|g| !g.contains("IP")), "{:?}", kt.gaps);
        // A light with no rating in the catalogue is still held to the car park's.
        let light = request("LED flood light", &[], Some("AU"));
        let n = need_of(&light, text, k);
        let m = matches(&light, &n, &c, k, None, Lang::En);
        let fl = row(&m, "FL65");
        assert!(fl.gaps.iter().any(|g| g.contains("IP")), "{:?}", fl.gaps);
        // A rating the buyer asks for the kettle line itself still holds it.
        let asked = request("kettle", &[("ip_rating", "IP24")], Some("AU"));
        let n = need_of(&asked, text, k);
        let m = matches(&asked, &n, &c, k, None, Lang::En);
        let kt = row(&m, "KT17");
        assert!(kt.gaps.iter().any(|g| g.contains("IP24")), "{:?}", kt.gaps);
    }

    #[test]
    fn a_12v_pool_light_is_not_rejected_for_the_mains_and_a_nameless_request_still_matches() {
        let c = Catalogue::from_csv(
            b"sku,name,certifications,ip_rating,voltage\nUW-12,LED underwater light 12W,CE;RoHS;REACH;ErP,IP68,12V\nFL65,LED flood light,CE;RoHS;REACH;ErP,IP65,220-240V\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // What the analysis reads from "luces LED para piscina IP65": specs, no name.
        let m = matched(
            &c,
            "",
            &[("ip_rating", "IP65")],
            Some("ES"),
            "Necesitamos luces LED para piscina IP65",
        );
        assert_eq!(m.first().map(|x| x.sku.as_str()), Some("UW-12"), "{m:#?}");
        assert!(!m[0].disqualified && m[0].gaps.is_empty(), "{m:#?}");
        assert!(
            m[0].fits
                .iter()
                .any(|f| f.contains("driver or transformer")),
            "{:?}",
            m[0].fits
        );
    }

    #[test]
    fn marks_written_the_chinese_way_count_for_the_market() {
        let k = Knowledge::shipped();
        let c = Catalogue::from_csv(
            "型号,名称,认证,防护等级,电压\nZH-1,LED投光灯 100W,CE认证、RCM认证、SAA证书,IP65,AC100-240V\nZH-2,LED投光灯 100W,cULus Listed,IP65,AC100-277V\n"
                .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.products[0].certifications, ["CE", "RCM", "SAA"]);
        let a = request("LED flood light", &[], Some("AU"));
        let m = matches(&a, &need_of(&a, "", k), &c, k, None, Lang::En);
        let zh1 = m.iter().find(|x| x.sku == "ZH-1");
        assert!(
            zh1.is_some_and(|x| x.gaps.is_empty() && !x.disqualified),
            "{m:#?}"
        );
        let a = request("LED flood light", &[], Some("CA"));
        let m = matches(&a, &need_of(&a, "", k), &c, k, None, Lang::En);
        assert_eq!(m[0].sku, "ZH-2", "cULus counts for Canada: {m:#?}");
    }

    #[test]
    fn the_kind_asked_for_is_shown_with_its_gap_rather_than_another_kind_that_passes() {
        let k = Knowledge::shipped();
        let c = Catalogue::from_csv(
            b"sku,name,certifications,ip_rating\nFL,LED flood light 100W,CE,IP65\nST,LED street light 100W,CE;RCM,IP65\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let a = request("LED flood light", &[], Some("AU"));
        let n = need_of(&a, "", k);
        let m = matches(&a, &n, &c, k, None, Lang::En);
        assert_eq!(m.iter().map(|x| x.sku.as_str()).collect::<Vec<_>>(), ["FL"]);
        assert!(m[0].gaps.iter().any(|g| g.contains("RCM")), "{m:#?}");
        let f = crate::flags::flags(&a, &n, Some(&c), k, Lang::En);
        assert!(
            f.iter()
                .any(|f| f.kind == "compliance" && f.text.contains("None of the matching")),
            "{f:?}"
        );
    }

    #[test]
    fn only_230v_eu_plug_products_for_a_us_buyer_raise_a_voltage_and_a_plug_flag() {
        let k = Knowledge::shipped();
        let csv = "sku,name,voltage,plug\nCS-EU,Circular saw 185mm,220-240V,Type F\n";
        let c = Catalogue::from_csv(csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let a = request("circular saw", &[], Some("US"));
        let n = need_of(&a, "", k);
        let m = matches(&a, &n, &c, k, None, Lang::En);
        let mut f = crate::flags::flags(&a, &n, Some(&c), k, Lang::En);
        crate::flags::matched_supply_flags(&m, &c, &n, Lang::En, &mut f);
        assert!(
            f.iter()
                .any(|f| f.kind == "voltage" && f.text.contains("120V")),
            "{f:?}"
        );
        assert!(f.iter().any(|f| f.kind == "plug"), "{f:?}");
        // A 120 V version among the matches: no flag.
        let csv = "sku,name,voltage,plug\nCS-EU,Circular saw 185mm,220-240V,Type F\nCS-US,Circular saw 185mm 120V,120V,Type B\n";
        let c = Catalogue::from_csv(csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let m = matches(&a, &n, &c, k, None, Lang::En);
        let mut f = Vec::new();
        crate::flags::matched_supply_flags(&m, &c, &n, Lang::En, &mut f);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn a_110v_product_to_germany_has_a_voltage_gap() {
        let k = Knowledge::shipped();
        let c = Catalogue::from_csv(CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let a = request("LED flood light", &[], Some("DE"));
        let m = matches(&a, &need_of(&a, "", k), &c, k, None, Lang::En);
        let p = row(&m, "FL110");
        assert!(
            p.gaps
                .iter()
                .any(|g| g.contains("110V") && g.contains("Germany")),
            "{:?}",
            p.gaps
        );
        assert!(m[0].sku != "FL110");
    }

    #[test]
    fn capacity_size_fabric_weight_and_battery_rank_the_rows_of_one_kind() {
        // Rows listed so that the wrong one would come first on a tie.
        let c = Catalogue::from_csv(
            "sku,name,price,currency,moq,lead_time_days,voltage,description
A-RC10,Commercial rice cooker 10L,39,USD,100,35,220-240V,For canteens
B-RC18,Rice cooker 1.8L,12.4,USD,500,30,220-240V,Keep-warm
A-HT50,Hand towel 50x90 cm 500 GSM,1.5,USD,2000,30,,Cotton terry
B-BT70,Bath towel 70x140 cm 500 GSM,3.2,USD,1000,30,,Cotton terry
C-BT70,Hotel bath towel 70x140 cm 600 GSM,3.9,USD,1000,35,,Hotel white
A-CD12,Cordless drill 12V,13.9,USD,500,30,12V,Compact
B-CD20,Cordless drill 20V brushless,27.5,USD,300,35,20V,Two speeds
"
            .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let top =
            |name: &str, specs: &[(&str, &str)]| matched(&c, name, specs, None, "")[0].sku.clone();
        assert_eq!(top("rice cooker", &[("capacity", "1.8L")]), "B-RC18");
        assert_eq!(
            top("bath towel", &[("size", "70x140cm"), ("gsm", "600")]),
            "C-BT70"
        );
        assert_eq!(top("cordless drill", &[("voltage", "20V")]), "B-CD20");
        let m = matched(&c, "rice cooker", &[("capacity", "1.8L")], None, "");
        assert!(row(&m, "A-RC10")
            .gaps
            .iter()
            .any(|g| g.contains("10 L") && g.contains("1.8 L")));
    }

    #[test]
    fn the_material_asked_in_any_language_ranks_its_row_first() {
        let c = Catalogue::from_csv(
            "sku,name,price,currency,moq,lead_time_days,description
A-GK,Glass kettle 1.7L with blue LED,11.2,USD,500,35,Borosilicate body
B-KE,Electric kettle 1.7L,10.1,USD,500,30,Brushed stainless steel body
"
            .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let m = matched(
            &c,
            "bouilloires électriques",
            &[("material", "inox")],
            None,
            "",
        );
        assert_eq!(m[0].sku, "B-KE");
        assert!(row(&m, "A-GK")
            .gaps
            .iter()
            .any(|g| g.contains("glass") && g.contains("stainless steel")));
    }

    #[test]
    fn a_row_that_states_the_asked_watts_ranks_above_one_that_does_not_and_the_first_line_wins_a_tie(
    ) {
        let c = Catalogue::from_csv(
            "sku,name,price,currency,moq,lead_time_days,power_w
A-FL,LED flood light,8.0,USD,100,15,
B-FL,LED flood light,8.0,USD,100,15,100
"
            .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let m = matched(&c, "LED flood light", &[("power_w", "100")], None, "");
        assert_eq!(m[0].sku, "B-FL");
        // Two lines, each answered by one row equally well: the buyer's first line comes first.
        let c = Catalogue::from_csv(
            "sku,name,price,currency,moq,lead_time_days
A-BL,Blender,20,USD,100,15
B-KE,Kettle,10,USD,100,15
"
            .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let k = Knowledge::shipped();
        let mut a = request("kettle", &[], None);
        let mut second = a.request.products[0].clone();
        second.name = "blender".into();
        a.request.products.push(second);
        let m = matches(&a, &need_of(&a, "", k), &c, k, None, Lang::En);
        assert_eq!(m[0].sku, "B-KE", "{m:#?}");
    }

    #[test]
    fn lead_time_is_weighed_against_a_dated_deadline() {
        assert_eq!(days_from_iso("1970-01-02"), Some(1));
        assert_eq!(days_from_iso("2000-03-01"), Some(11_017));
        let k = Knowledge::shipped();
        let c = Catalogue::from_csv(CATALOGUE).unwrap_or_else(|e| panic!("{e}"));
        let mut a = request("LED flood light", &[], None);
        a.request.deadline = Some("2000-03-18".into());
        let m = matches(
            &a,
            &need_of(&a, "", k),
            &c,
            k,
            days_from_iso("2000-03-01"),
            Lang::En,
        );
        let fl68 = row(&m, "FL68");
        assert!(
            fl68.gaps.iter().any(|g| g.contains("20")),
            "{:?}",
            fl68.gaps
        );
    }
}
