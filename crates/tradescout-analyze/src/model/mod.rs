//! The learned part of the judgements: three linear models (buying stage, spam, concerns) over
//! the features of [`thread_features`], trained by [`train`] on the labelled corpus in
//! `corpus/` (see its README) and shipped in `data/model/`.
//!
//! The cue lexicons are inputs of the models, not rivals: the models learn how much each kind
//! of cue and each word counts. A user's corrections retrain on top of the shipped weights and
//! are installed with [`install`].

mod features;
pub mod linear;
pub mod thread_features;
pub mod train;

pub use features::{featurize, text_hash, MAX_CHAR_GRAM_CHARS, MAX_FEATURE_CHARS};
pub use linear::{Linear, ModelError, Output};
pub use thread_features::{thread_features, BITS, LAYOUT, N_DENSE};
pub use train::{
    parse_corpus, thread_of, train_models, CorpusError, CorpusLine, Reliability, TaskReport,
    TrainOptionsSet, TrainReport, TrainedModels,
};

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

/// The three models the judgements use.
#[derive(Debug, Clone)]
pub struct Models {
    /// Softmax over the five stage labels.
    pub stage: Linear,
    /// One sigmoid: `spam`.
    pub spam: Linear,
    /// One sigmoid per concern label.
    pub concerns: Linear,
}

impl Models {
    /// True when every model was trained on the feature layout this build computes.
    pub fn fits_this_build(&self) -> bool {
        let shape = [&self.stage, &self.spam, &self.concerns].iter().all(|m| {
            m.bits() == BITS && m.layout() == LAYOUT && usize::from(m.n_dense()) == N_DENSE
        });
        let empty = train::empty_models();
        shape
            && self.stage.labels() == empty.stage.labels()
            && self.spam.labels() == empty.spam.labels()
            && self.concerns.labels() == empty.concerns.labels()
            && self.stage.output() == Output::Softmax
            && self.spam.output() == Output::Sigmoid
            && self.concerns.output() == Output::Sigmoid
    }

    /// Reads the three model files' bytes.
    pub fn from_bytes(stage: &[u8], spam: &[u8], concerns: &[u8]) -> Result<Models, ModelError> {
        Ok(Models {
            stage: Linear::from_bytes(stage)?,
            spam: Linear::from_bytes(spam)?,
            concerns: Linear::from_bytes(concerns)?,
        })
    }
}

static INSTALLED: OnceLock<Option<Models>> = OnceLock::new();

/// Uses `models` instead of the shipped ones for the rest of the process (a user's retrained
/// weights). Only the first call counts, and only before the first judgement; a model set made
/// for another feature layout is refused. Returns whether it was installed.
pub fn install(models: Models) -> bool {
    if !models.fits_this_build() {
        return false;
    }
    INSTALLED.set(Some(models)).is_ok()
}

/// The models one judgement uses: the shipped or installed set, which lives as long as the
/// process, or a set that replaced it, freed once it is replaced again and the last judgement
/// that took it is done.
#[derive(Debug, Clone)]
pub enum ModelsInUse {
    Kept(&'static Models),
    Replaced(Arc<Models>),
}

impl Deref for ModelsInUse {
    type Target = Models;

    fn deref(&self) -> &Models {
        match self {
            ModelsInUse::Kept(m) => m,
            ModelsInUse::Replaced(m) => m,
        }
    }
}

/// Models that replaced the installed ones while the process runs (a server retrained on its
/// team's corrections); `EVER_REPLACED` spares every judgement the lock until then.
static REPLACED: RwLock<Option<Arc<Models>>> = RwLock::new(None);
static EVER_REPLACED: AtomicBool = AtomicBool::new(false);
/// Counts replacements, so a fingerprint computed for one set is not taken for the next.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Uses `models` from now on, in place of whatever is in use, for a long-running process (the
/// web app's retrain button, or a server that sees another one's retrain on disk). Judgements
/// already running keep the set they started with. Refused (returns `false`) for another
/// feature layout.
pub fn replace(models: Models) -> bool {
    if !models.fits_this_build() {
        return false;
    }
    let new = Arc::new(models);
    // The old set is dropped outside the lock (it may be the last holder).
    let _old = match REPLACED.write() {
        Ok(mut slot) => slot.replace(new),
        Err(poisoned) => poisoned.into_inner().replace(new),
    };
    // In this order: whoever reads the new generation also finds the replaced set.
    EVER_REPLACED.store(true, Ordering::Release);
    GENERATION.fetch_add(1, Ordering::AcqRel);
    true
}

/// The models in use: replaced ones, else installed ones, else the shipped ones (`None` only
/// if the shipped files were unreadable, which a test rules out).
pub fn models() -> Option<ModelsInUse> {
    if EVER_REPLACED.load(Ordering::Acquire) {
        let replaced = match REPLACED.read() {
            Ok(slot) => slot.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        if let Some(m) = replaced {
            return Some(ModelsInUse::Replaced(m));
        }
    }
    INSTALLED
        .get_or_init(|| {
            Models::from_bytes(
                include_bytes!("../../data/model/stage.bin"),
                include_bytes!("../../data/model/spam.bin"),
                include_bytes!("../../data/model/concerns.bin"),
            )
            .ok()
            .filter(Models::fits_this_build)
        })
        .as_ref()
        .map(ModelsInUse::Kept)
}

/// A fingerprint of the models in use (FNV-1a over their bytes), so what was judged with
/// other models can be told apart; computed once per model set.
pub fn fingerprint() -> u64 {
    static CACHE: std::sync::Mutex<Option<(u64, u64)>> = std::sync::Mutex::new(None);
    let generation = GENERATION.load(Ordering::Acquire);
    let Some(m) = models() else {
        return 0;
    };
    let mut cache = match CACHE.lock() {
        Ok(c) => c,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some((g, fp)) = *cache {
        if g == generation {
            return fp;
        }
    }
    let h = fingerprint_of(&m);
    // A replacement while this ran: the figure is right for `m` but not kept for the next set.
    if GENERATION.load(Ordering::Acquire) == generation {
        *cache = Some((generation, h));
    }
    h
}

/// FNV-1a over the three models' bytes.
pub fn fingerprint_of(m: &Models) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for bytes in [m.stage.to_bytes(), m.spam.to_bytes(), m.concerns.to_bytes()] {
        for b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The shipped models as bytes, for retraining on top of them.
pub fn shipped_bytes() -> [&'static [u8]; 3] {
    [
        include_bytes!("../../data/model/stage.bin"),
        include_bytes!("../../data/model/spam.bin"),
        include_bytes!("../../data/model/concerns.bin"),
    ]
}

/// The sentence of `text` that pushes `label` of `model` hardest (the words that decided when
/// no cue did), cut to about 160 characters; `None` when the text has no sentence of four
/// letters or more.
pub fn deciding_sentence(model: &Linear, label: usize, text: &str) -> Option<String> {
    let mut best: Option<(f32, &str)> = None;
    for s in crate::cues::clip(text, 8 * 1024)
        .split(['.', '!', '?', '\n', '。', '！', '？', ';', '；'])
        .map(str::trim)
        .filter(|s| {
            s.chars()
                .filter(|c| tradescout_core::phrases::is_alphanumeric(*c))
                .count()
                >= 4
        })
        .filter(|s| !crate::buyer::is_courtesy(s))
        .take(200)
    {
        let push = model.push(&thread_features::text_features(s), label);
        if best.is_none_or(|(b, _)| push > b) {
            best = Some((push, s));
        }
    }
    best.map(|(_, s)| {
        let mut out: String = s.chars().take(160).collect();
        if s.chars().nth(160).is_some() {
            out.push('…');
        }
        out
    })
}
