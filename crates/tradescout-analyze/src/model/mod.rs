//! A small, exact multinomial naive Bayes classifier over hashed word and character n-grams,
//! for what the cue lexicons cannot decide — and the weights shipped for the buying stage and
//! spam, trained on `corpus/*.jsonl` (see `corpus/README.md`).
//!
//! The file format is a 4-byte magic `TSNB`, a version byte, then the label names, per-label
//! document counts and the sparse per-bucket feature counts (varints). Log-probabilities are
//! derived on load, so a file is compact and loading is a single pass.

mod features;
mod train;

pub use features::{featurize, text_hash, MAX_CHAR_GRAM_CHARS, MAX_FEATURE_CHARS};
pub use train::{
    evaluate, is_held_out, train_all, CorpusError, TaskReport, TrainReport, TrainedModels,
};

use std::sync::OnceLock;

/// Hash space: 2^16 buckets — small enough for the shipped tables to stay in cache.
pub const DEFAULT_BITS: u8 = 16;
/// Additive smoothing.
const ALPHA: f32 = 0.1;
/// Buckets seen fewer times than this in training are dropped (they carry noise, not signal).
const MIN_BUCKET_COUNT: u32 = 2;
const MAGIC: &[u8; 4] = b"TSNB";
const VERSION: u8 = 1;

/// A trained classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    labels: Vec<String>,
    bits: u8,
    doc_counts: Vec<u32>,
    /// (bucket, count per label), sorted by bucket.
    sparse: Vec<(u32, Vec<u32>)>,
    log_prior: Vec<f32>,
    /// log P(unseen bucket | label).
    unseen: Vec<f32>,
    /// Dense `[bucket * n_labels + label]`: log P(bucket | label) − unseen[label].
    table: Vec<f32>,
}

/// Why model bytes could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model file is invalid at byte {offset}: {reason}")]
pub struct ModelError {
    pub offset: usize,
    pub reason: &'static str,
}

impl Model {
    /// Trains on (text, label) pairs. Deterministic: the same examples give the same bytes.
    pub fn train(examples: &[(String, String)]) -> Model {
        Model::train_with_bits(examples, DEFAULT_BITS)
    }

    /// Trains with a chosen hash space (`bits` within 8–24).
    pub fn train_with_bits(examples: &[(String, String)], bits: u8) -> Model {
        let bits = bits.clamp(8, 24);
        let mut labels: Vec<String> = examples.iter().map(|(_, l)| l.clone()).collect();
        labels.sort();
        labels.dedup();
        let n = labels.len();
        let mut counts = vec![0u32; (1usize << bits) * n];
        let mut doc_counts = vec![0u32; n];
        let mut feats = Vec::new();
        for (text, label) in examples {
            let Ok(li) = labels.binary_search(label) else {
                continue;
            };
            doc_counts[li] += 1;
            feats.clear();
            featurize(text, bits, &mut feats);
            for &b in &feats {
                if let Some(c) = counts.get_mut(b as usize * n + li) {
                    *c = c.saturating_add(1);
                }
            }
        }
        let sparse = counts
            .chunks(n.max(1))
            .enumerate()
            .filter(|(_, row)| row.iter().sum::<u32>() >= MIN_BUCKET_COUNT)
            .map(|(b, row)| (b as u32, row.to_vec()))
            .collect();
        Model::from_parts(labels, bits, doc_counts, sparse)
    }

    fn from_parts(
        labels: Vec<String>,
        bits: u8,
        doc_counts: Vec<u32>,
        sparse: Vec<(u32, Vec<u32>)>,
    ) -> Model {
        let n = labels.len();
        let docs: f32 = doc_counts.iter().map(|&d| d as f32).sum::<f32>().max(1.0);
        let log_prior = doc_counts
            .iter()
            .map(|&d| ((d as f32 + 1.0) / (docs + n as f32)).ln())
            .collect();
        let vocab = sparse.len().max(1) as f32;
        let mut totals = vec![0f32; n];
        for (_, row) in &sparse {
            for (t, &c) in totals.iter_mut().zip(row) {
                *t += c as f32;
            }
        }
        let denom: Vec<f32> = totals.iter().map(|t| t + ALPHA * vocab).collect();
        let unseen: Vec<f32> = denom.iter().map(|d| (ALPHA / d).ln()).collect();
        let mut table = vec![0f32; (1usize << bits) * n];
        for (b, row) in &sparse {
            for (li, &c) in row.iter().enumerate() {
                if let Some(slot) = table.get_mut(*b as usize * n + li) {
                    *slot = ((c as f32 + ALPHA) / denom[li]).ln() - unseen[li];
                }
            }
        }
        Model {
            labels,
            bits,
            doc_counts,
            sparse,
            log_prior,
            unseen,
            table,
        }
    }

    /// The labels, in the order [`Model::probabilities`] uses.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The hash space the model was trained with.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// Label probabilities for `text`, most likely first.
    pub fn predict(&self, text: &str) -> Vec<(String, f64)> {
        let mut feats = Vec::new();
        featurize(text, self.bits, &mut feats);
        let mut out: Vec<(String, f64)> = self
            .labels
            .iter()
            .cloned()
            .zip(self.probabilities(&feats))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }

    /// Label probabilities (in [`Model::labels`] order) for features made by [`featurize`]
    /// with this model's `bits`. Naive Bayes is over-confident on long texts, so log-scores are
    /// tempered by the square root of the feature count before the softmax.
    pub fn probabilities(&self, feats: &[u32]) -> Vec<f64> {
        let n = self.labels.len();
        if n == 0 {
            return Vec::new();
        }
        let mut scores: Vec<f32> = (0..n)
            .map(|li| self.log_prior[li] + feats.len() as f32 * self.unseen[li])
            .collect();
        for &b in feats {
            if let Some(row) = self.table.get(b as usize * n..b as usize * n + n) {
                for (s, w) in scores.iter_mut().zip(row) {
                    *s += w;
                }
            }
        }
        tempered_softmax(&scores, feats.len())
    }

    /// The compact file form.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.sparse.len() * (2 + self.labels.len()));
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(self.bits);
        put_varint(&mut out, self.labels.len() as u64);
        for l in &self.labels {
            put_varint(&mut out, l.len() as u64);
            out.extend_from_slice(l.as_bytes());
        }
        for &d in &self.doc_counts {
            put_varint(&mut out, u64::from(d));
        }
        put_varint(&mut out, self.sparse.len() as u64);
        let mut last = 0u32;
        for (b, row) in &self.sparse {
            put_varint(&mut out, u64::from(b - last));
            last = *b;
            for &c in row {
                put_varint(&mut out, u64::from(c));
            }
        }
        out
    }

    /// Reads the form written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(4)? != MAGIC {
            return Err(r.err("not a tradescout model (magic bytes differ)"));
        }
        if r.byte()? != VERSION {
            return Err(r.err("unsupported model version"));
        }
        let bits = r.byte()?;
        if !(8..=24).contains(&bits) {
            return Err(r.err("hash bits out of range"));
        }
        let n = r.varint()? as usize;
        if n == 0 || n > 64 {
            return Err(r.err("label count out of range"));
        }
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.varint()? as usize;
            let s = std::str::from_utf8(r.take(len)?).map_err(|_| r.err("label is not UTF-8"))?;
            labels.push(s.to_string());
        }
        let doc_counts = (0..n)
            .map(|_| r.varint().map(|v| v as u32))
            .collect::<Result<Vec<_>, _>>()?;
        let entries = r.varint()? as usize;
        if entries > 1usize << bits {
            return Err(r.err("more buckets than the hash space"));
        }
        let mut sparse = Vec::with_capacity(entries);
        let mut bucket = 0u64;
        for i in 0..entries {
            let delta = r.varint()?;
            if i > 0 && delta == 0 {
                return Err(r.err("buckets not strictly increasing"));
            }
            bucket += delta;
            if bucket >= 1u64 << bits {
                return Err(r.err("bucket outside the hash space"));
            }
            let row = (0..n)
                .map(|_| r.varint().map(|v| v as u32))
                .collect::<Result<Vec<_>, _>>()?;
            sparse.push((bucket as u32, row));
        }
        if r.pos != bytes.len() {
            return Err(r.err("trailing bytes"));
        }
        Ok(Model::from_parts(labels, bits, doc_counts, sparse))
    }
}

/// Naive Bayes is over-confident on long texts: log-scores are divided by the square root of
/// the feature count before the softmax.
fn tempered_softmax(scores: &[f32], n_feats: usize) -> Vec<f64> {
    let temperature = (n_feats as f32).sqrt().max(1.0);
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f64> = scores
        .iter()
        .map(|s| f64::from(((s - max) / temperature).exp()))
        .collect();
    let sum: f64 = exp.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    exp.into_iter().map(|e| e / sum).collect()
}

/// Several models over the same hash space scored in one pass: one table row per bucket holds
/// every model's weights, so each feature costs one memory access instead of one per model.
#[derive(Debug, Clone)]
pub struct FusedModels {
    bits: u8,
    stride: usize,
    /// Per model: (offset in a row, label count, log priors, log P(unseen)).
    parts: Vec<(usize, usize, Vec<f32>, Vec<f32>)>,
    table: Vec<f32>,
}

impl FusedModels {
    /// Fuses `models`; `None` when they use different hash spaces.
    pub fn new(models: &[&Model]) -> Option<FusedModels> {
        let bits = models.first()?.bits;
        if models.iter().any(|m| m.bits != bits) {
            return None;
        }
        let width: usize = models.iter().map(|m| m.labels.len()).sum();
        let stride = width.next_multiple_of(4);
        let mut table = vec![0f32; (1usize << bits) * stride];
        let mut parts = Vec::new();
        let mut offset = 0;
        for m in models {
            let n = m.labels.len();
            for (b, row) in m.table.chunks(n.max(1)).enumerate() {
                if let Some(dst) = table.get_mut(b * stride + offset..b * stride + offset + n) {
                    dst.copy_from_slice(row);
                }
            }
            parts.push((offset, n, m.log_prior.clone(), m.unseen.clone()));
            offset += n;
        }
        Some(FusedModels {
            bits,
            stride,
            parts,
            table,
        })
    }

    /// The hash space of the fused models.
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// Each model's probabilities (in its label order), in the order the models were fused.
    pub fn probabilities(&self, feats: &[u32]) -> Vec<Vec<f64>> {
        let mut sums = vec![0f32; self.stride];
        for &b in feats {
            let at = b as usize * self.stride;
            if let Some(row) = self.table.get(at..at + self.stride) {
                for (s, w) in sums.iter_mut().zip(row) {
                    *s += w;
                }
            }
        }
        let n = feats.len() as f32;
        self.parts
            .iter()
            .map(|(offset, len, prior, unseen)| {
                let scores: Vec<f32> = (0..*len)
                    .map(|i| prior[i] + n * unseen[i] + sums[offset + i])
                    .collect();
                tempered_softmax(&scores, feats.len())
            })
            .collect()
    }
}

static STAGE: OnceLock<Option<Model>> = OnceLock::new();
static SPAM: OnceLock<Option<Model>> = OnceLock::new();
static FUSED: OnceLock<Option<FusedModels>> = OnceLock::new();

/// Replaces the shipped weights with models the seller trained (`tradescout train`) for the
/// rest of the process. Must be called before the first judgement; returns false (and changes
/// nothing) when models are already in use or the two use different hash spaces.
pub fn install(stage: Model, spam: Model) -> bool {
    let Some(fused) = FusedModels::new(&[&stage, &spam]) else {
        return false;
    };
    if STAGE.get().is_some() || SPAM.get().is_some() || FUSED.get().is_some() {
        return false;
    }
    STAGE.set(Some(stage)).is_ok() && SPAM.set(Some(spam)).is_ok() && FUSED.set(Some(fused)).is_ok()
}

/// The stage and spam models in use, fused, in that order.
pub fn shipped_fused() -> Option<&'static FusedModels> {
    FUSED
        .get_or_init(|| FusedModels::new(&[shipped_stage()?, shipped_spam()?]))
        .as_ref()
}

/// The buying-stage model in use (labels are `tradescout_core::Stage` names): the shipped
/// weights unless [`install`] replaced them.
pub fn shipped_stage() -> Option<&'static Model> {
    STAGE
        .get_or_init(|| Model::from_bytes(include_bytes!("../../data/model/stage.bin")).ok())
        .as_ref()
}

/// The spam model in use (labels `ham` and `spam`): the shipped weights unless [`install`]
/// replaced them.
pub fn shipped_spam() -> Option<&'static Model> {
    SPAM.get_or_init(|| Model::from_bytes(include_bytes!("../../data/model/spam.bin")).ok())
        .as_ref()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7F) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn err(&self, reason: &'static str) -> ModelError {
        ModelError {
            offset: self.pos,
            reason,
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(len).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| self.err("unexpected end of file"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }

    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.err("varint too long"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<(String, String)> {
        let mut ex = Vec::new();
        for i in 0..20 {
            ex.push((
                format!("please send catalog and price list {i}"),
                "need".to_string(),
            ));
            ex.push((
                format!("po attached, please send proforma invoice {i}"),
                "decision".to_string(),
            ));
        }
        ex
    }

    #[test]
    fn trained_model_separates_toy_labels_and_round_trips_through_bytes() {
        let m = Model::train(&toy());
        assert_eq!(m.predict("send your catalog")[0].0, "need");
        assert_eq!(m.predict("our PO is attached")[0].0, "decision");
        let back = Model::from_bytes(&m.to_bytes());
        assert_eq!(back.as_ref().ok(), Some(&m));
    }

    #[test]
    fn corrupt_bytes_are_an_error_not_a_panic() {
        let bytes = Model::train(&toy()).to_bytes();
        for cut in 0..bytes.len() {
            assert!(Model::from_bytes(&bytes[..cut]).is_err());
        }
        assert!(Model::from_bytes(b"TSNB\x01\x12\xff\xff\xff").is_err());
    }
}
