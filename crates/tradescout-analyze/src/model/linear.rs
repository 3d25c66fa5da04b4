//! A linear classifier (logistic regression) over sparse features: hashed word and character
//! n-grams plus a few dense features read from the cue lexicons. One model serves a
//! single-label task (softmax over the labels: the buying stage) or a multi-label one (one
//! sigmoid per label: spam, the concerns).
//!
//! Trained by AdaGrad on the logistic loss with L2 regularisation, in a fixed order, so the
//! same examples give the same bytes. A model can start from another one's weights (a user's
//! corrections on top of the shipped model).
//!
//! File format: magic `TSLR`, a version byte, the output kind, hash bits, the dense-feature
//! count and layout version, the labels, temperature and biases; then the dense weights as
//! `f32` and the hashed weights as `i8` with one scale per label (the hashed part is most of
//! the file, and eight bits keep the ranking of every real example we measured).

/// How the label scores become probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Exactly one label is right: softmax.
    Softmax,
    /// Each label is a yes/no question of its own: one sigmoid per label.
    Sigmoid,
}

/// One feature: index (hashed buckets first, then dense features) and value.
pub type Feature = (u32, f32);

/// A trained linear model.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    labels: Vec<String>,
    output: Output,
    bits: u8,
    n_dense: u16,
    layout: u16,
    /// Scores are divided by this before the softmax or sigmoid (fitted on held-out data).
    temperature: f32,
    bias: Vec<f32>,
    /// `[feature * n_labels + label]`. In a model read from bytes the hashed part stays zero
    /// (never touched) and `packed` holds it.
    weights: Vec<f32>,
    /// The hashed weights as stored, `i8` times the label's scale: a quarter of the memory,
    /// so scoring a stream of mail keeps them in cache. Empty while training.
    packed: Vec<i8>,
    scales: Vec<f32>,
}

/// Why model bytes could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model file is invalid at byte {offset}: {reason}")]
pub struct ModelError {
    pub offset: usize,
    pub reason: &'static str,
}

/// What a training example should give.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The index of the one right label (softmax models).
    One(usize),
    /// For each label, whether it applies (sigmoid models).
    Many(Vec<bool>),
}

/// One training example.
#[derive(Debug, Clone)]
pub struct Example {
    pub features: Vec<Feature>,
    pub target: Target,
    /// How much the example counts (class balance, trusted sources).
    pub weight: f32,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        // Chosen on the held-out sources (learning rate 0.1–0.8, 6–24 epochs, L2 2e-5–2e-4
        // all within two points of each other).
        TrainOptions {
            epochs: 12,
            learning_rate: 0.1,
            l2: 2e-4,
            seed: 0x7AD3_5C0D,
        }
    }
}

const MAGIC: &[u8; 4] = b"TSLR";
const VERSION: u8 = 1;

impl Linear {
    /// A model with all weights zero.
    pub fn zeros(labels: Vec<String>, output: Output, bits: u8, n_dense: u16, layout: u16) -> Self {
        let bits = bits.clamp(8, 24);
        let n = labels.len();
        let rows = (1usize << bits) + usize::from(n_dense);
        Linear {
            bias: vec![0.0; n],
            weights: vec![0.0; rows * n],
            labels,
            output,
            bits,
            n_dense,
            layout,
            temperature: 1.0,
            packed: Vec::new(),
            scales: Vec::new(),
        }
    }

    /// Unpacks stored weights into `f32`, before training changes them.
    fn thaw(&mut self) {
        if self.packed.is_empty() {
            return;
        }
        let n = self.labels.len().max(1);
        for (i, (&q, w)) in self.packed.iter().zip(self.weights.iter_mut()).enumerate() {
            *w = f32::from(q) * self.scales[i % n];
        }
        self.packed = Vec::new();
        self.scales = Vec::new();
    }

    /// The weights of feature row `i`, into `row` (one per label).
    #[inline]
    fn row_into(&self, i: usize, row: &mut [f32]) -> bool {
        let n = row.len();
        let hashed_rows = 1usize << self.bits;
        if i < hashed_rows && !self.packed.is_empty() {
            let Some(q) = self.packed.get(i * n..i * n + n) else {
                return false;
            };
            for ((w, &q), &s) in row.iter_mut().zip(q).zip(&self.scales) {
                *w = f32::from(q) * s;
            }
            return true;
        }
        match self.weights.get(i * n..i * n + n) {
            Some(w) => {
                row.copy_from_slice(w);
                true
            }
            None => false,
        }
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn output(&self) -> Output {
        self.output
    }

    pub fn bits(&self) -> u8 {
        self.bits
    }

    pub fn n_dense(&self) -> u16 {
        self.n_dense
    }

    /// The version of the dense-feature layout the model was trained with.
    pub fn layout(&self) -> u16 {
        self.layout
    }

    /// The bias (intercept) of each label.
    pub fn bias(&self) -> &[f32] {
        &self.bias
    }

    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    pub fn set_temperature(&mut self, t: f32) {
        self.temperature = t.clamp(0.05, 20.0);
    }

    fn rows(&self) -> usize {
        (1usize << self.bits) + usize::from(self.n_dense)
    }

    /// The raw score of every label.
    pub fn scores(&self, features: &[Feature]) -> Vec<f32> {
        let n = self.labels.len();
        let hashed_rows = 1usize << self.bits;
        let mut s = self.bias.clone();
        // Stored weights are summed as stored and scaled once per label at the end.
        let mut packed_sum = vec![0f32; n];
        for &(i, v) in features {
            let i = i as usize;
            if i < hashed_rows && !self.packed.is_empty() {
                if let Some(q) = self.packed.get(i * n..i * n + n) {
                    for (acc, &q) in packed_sum.iter_mut().zip(q) {
                        *acc += f32::from(q) * v;
                    }
                }
            } else if let Some(w) = self.weights.get(i * n..i * n + n) {
                for (acc, w) in s.iter_mut().zip(w) {
                    *acc += w * v;
                }
            }
        }
        for ((acc, sum), scale) in s.iter_mut().zip(&packed_sum).zip(&self.scales) {
            *acc += sum * scale;
        }
        s
    }

    /// Label probabilities, in the order of [`Linear::labels`].
    pub fn probabilities(&self, features: &[Feature]) -> Vec<f64> {
        let s = self.scores(features);
        self.squash(&s, self.temperature)
    }

    /// Probabilities from scores already computed by [`Linear::scores`].
    pub fn probabilities_of(&self, scores: &[f32]) -> Vec<f64> {
        self.squash(scores, self.temperature)
    }

    fn squash(&self, scores: &[f32], temperature: f32) -> Vec<f64> {
        match self.output {
            Output::Softmax => softmax(scores, temperature),
            Output::Sigmoid => scores
                .iter()
                .map(|&s| sigmoid(f64::from(s / temperature)))
                .collect(),
        }
    }

    /// How much `features` push `label` up against the other labels (softmax) or up at all
    /// (sigmoid): the measure used to pick the sentence that decided.
    pub fn push(&self, features: &[Feature], label: usize) -> f32 {
        let n = self.labels.len();
        let mut total = 0.0;
        let mut row = vec![0f32; n];
        for &(i, v) in features {
            if !self.row_into(i as usize, &mut row) {
                continue;
            }
            let own = row.get(label).copied().unwrap_or(0.0);
            let rest = match self.output {
                Output::Softmax if n > 1 => (row.iter().sum::<f32>() - own) / (n - 1) as f32,
                _ => 0.0,
            };
            total += (own - rest) * v;
        }
        total
    }

    /// Trains the model on `examples`, starting from its current weights (zeros for a new
    /// model, the shipped weights for a user's corrections).
    pub fn fit(&mut self, examples: &[Example], opts: TrainOptions) {
        let model = self;
        model.thaw();
        model.temperature = 1.0;
        let n = model.labels.len();
        if n == 0 || examples.is_empty() {
            return;
        }
        // A new model starts from the labels' prior odds, so a text with few features (a
        // greeting) reads as the prior says, not as an even chance.
        if model.bias.iter().all(|&b| b == 0.0) && model.weights.iter().all(|&w| w == 0.0) {
            let total: f32 = examples.iter().map(|e| e.weight).sum::<f32>().max(1e-6);
            for (j, b) in model.bias.iter_mut().enumerate() {
                let pos: f32 = examples
                    .iter()
                    .filter(|e| match &e.target {
                        Target::One(t) => *t == j,
                        Target::Many(v) => v.get(j).copied().unwrap_or(false),
                    })
                    .map(|e| e.weight)
                    .sum();
                let prior = ((pos + 0.5) / (total + 1.0)).clamp(1e-4, 1.0 - 1e-4);
                *b = match model.output {
                    Output::Softmax => prior.ln(),
                    Output::Sigmoid => (prior / (1.0 - prior)).ln(),
                };
            }
        }
        let rows = model.rows();
        let mut g_w = vec![0f32; rows * n];
        let mut g_b = vec![0f32; n];
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = opts.seed | 1;
        let mut grad = vec![0f32; n];
        for epoch in 0..opts.epochs {
            // Fisher–Yates with xorshift: a fixed, seeded order per epoch.
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            let lr = opts.learning_rate / (1.0 + 0.1 * epoch as f32);
            for &k in &order {
                let ex = &examples[k];
                let s = model.scores(&ex.features);
                let p = model.squash(&s, 1.0);
                for (j, g) in grad.iter_mut().enumerate() {
                    let y = match &ex.target {
                        Target::One(t) => f32::from(u8::from(*t == j)),
                        Target::Many(v) => f32::from(u8::from(v.get(j).copied().unwrap_or(false))),
                    };
                    *g = (p[j] as f32 - y) * ex.weight;
                }
                for (j, &g) in grad.iter().enumerate() {
                    g_b[j] += g * g;
                    model.bias[j] -= lr * g / (g_b[j].sqrt() + 1e-6);
                }
                for &(i, v) in &ex.features {
                    let base = i as usize * n;
                    if base + n > model.weights.len() {
                        continue;
                    }
                    for (j, &g) in grad.iter().enumerate() {
                        let w = &mut model.weights[base + j];
                        let gw = g * v + opts.l2 * *w;
                        g_w[base + j] += gw * gw;
                        *w -= lr * gw / (g_w[base + j].sqrt() + 1e-6);
                    }
                }
            }
        }
    }

    /// Fits the temperature that minimises the log-loss on `examples` (held-out data), so
    /// that a stated confidence of 0.8 is right about 80% of the time.
    pub fn calibrate(&mut self, examples: &[Example]) {
        if examples.is_empty() {
            return;
        }
        let scored: Vec<(Vec<f32>, &Target)> = examples
            .iter()
            .map(|e| (self.scores(&e.features), &e.target))
            .collect();
        let mut best = (f64::INFINITY, 1.0f32);
        let mut t = 0.25f32;
        while t <= 6.0 {
            let mut loss = 0.0;
            for (s, target) in &scored {
                let p = self.squash(s, t);
                loss += match target {
                    Target::One(k) => -p.get(*k).copied().unwrap_or(1e-9).max(1e-9).ln(),
                    Target::Many(v) => p
                        .iter()
                        .zip(v)
                        .map(|(&p, &y)| {
                            let q = if y { p } else { 1.0 - p };
                            -q.max(1e-9).ln()
                        })
                        .sum(),
                };
            }
            if loss < best.0 {
                best = (loss, t);
            }
            t += 0.05;
        }
        self.temperature = best.1;
    }

    /// The model as bytes (see the module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        if !self.packed.is_empty() {
            let mut thawed = self.clone();
            thawed.thaw();
            return thawed.to_bytes();
        }
        let n = self.labels.len();
        let hashed = (1usize << self.bits) * n;
        let mut out = Vec::with_capacity(hashed + 1024);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(match self.output {
            Output::Softmax => 0,
            Output::Sigmoid => 1,
        });
        out.push(self.bits);
        out.extend_from_slice(&self.n_dense.to_le_bytes());
        out.extend_from_slice(&self.layout.to_le_bytes());
        out.push(n as u8);
        for l in &self.labels {
            let b = l.as_bytes();
            out.push(b.len().min(255) as u8);
            out.extend_from_slice(&b[..b.len().min(255)]);
        }
        out.extend_from_slice(&self.temperature.to_le_bytes());
        for b in &self.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        for w in &self.weights[hashed..] {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let scales: Vec<f32> = (0..n)
            .map(|j| {
                let max = self.weights[..hashed]
                    .iter()
                    .skip(j)
                    .step_by(n.max(1))
                    .fold(0f32, |m, w| m.max(w.abs()));
                if max > 0.0 {
                    max / 127.0
                } else {
                    1.0
                }
            })
            .collect();
        for s in &scales {
            out.extend_from_slice(&s.to_le_bytes());
        }
        for (i, w) in self.weights[..hashed].iter().enumerate() {
            let q = (w / scales[i % n]).round().clamp(-127.0, 127.0) as i8;
            out.push(q as u8);
        }
        out
    }

    /// Reads a model written by [`Linear::to_bytes`]; never panics on bad bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Linear, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return Err(r.err("not a tradescout linear model"));
        }
        if r.byte()? != VERSION {
            return Err(r.err("unknown model version"));
        }
        let output = match r.byte()? {
            0 => Output::Softmax,
            1 => Output::Sigmoid,
            _ => return Err(r.err("unknown output kind")),
        };
        let bits = r.byte()?;
        if !(8..=24).contains(&bits) {
            return Err(r.err("hash bits out of range"));
        }
        let n_dense = r.u16()?;
        let layout = r.u16()?;
        let n = usize::from(r.byte()?);
        if n == 0 {
            return Err(r.err("no labels"));
        }
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let len = usize::from(r.byte()?);
            let s = std::str::from_utf8(r.take(len)?).map_err(|_| r.err("label is not UTF-8"))?;
            labels.push(s.to_string());
        }
        let temperature = r.f32()?;
        if !temperature.is_finite() || temperature <= 0.0 {
            return Err(r.err("bad temperature"));
        }
        let hashed = (1usize << bits) * n;
        let dense = usize::from(n_dense) * n;
        // The rest of the file must be exactly biases, dense weights, scales and hashed
        // weights: checked before anything is allocated, so a damaged file cannot ask for
        // gigabytes.
        let need = 4 * n + 4 * dense + 4 * n + hashed;
        if bytes.len().saturating_sub(r.at) != need {
            return Err(r.err("file length does not match its header"));
        }
        let bias = (0..n).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        // The hashed part of `weights` stays zero and untouched: `packed` holds it.
        let mut weights = vec![0f32; hashed + dense];
        for w in weights[hashed..].iter_mut() {
            *w = r.f32()?;
        }
        let scales = (0..n).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        let packed: Vec<i8> = r.take(hashed)?.iter().map(|&q| q as i8).collect();
        if r.at != bytes.len() {
            return Err(r.err("trailing bytes"));
        }
        if weights[hashed..]
            .iter()
            .chain(&bias)
            .chain(&scales)
            .any(|w| !w.is_finite())
        {
            return Err(r.err("weight is not a finite number"));
        }
        Ok(Linear {
            labels,
            output,
            bits,
            n_dense,
            layout,
            temperature,
            bias,
            weights,
            packed,
            scales,
        })
    }
}

fn softmax(scores: &[f32], temperature: f32) -> Vec<f64> {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f64> = scores
        .iter()
        .map(|&s| f64::from((s - max) / temperature).exp())
        .collect();
    let sum: f64 = e.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    e.into_iter().map(|x| x / sum).collect()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn err(&self, reason: &'static str) -> ModelError {
        ModelError {
            offset: self.at,
            reason,
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .at
            .checked_add(len)
            .ok_or(self.err("length overflow"))?;
        let s = self
            .bytes
            .get(self.at..end)
            .ok_or(self.err("file ends early"))?;
        self.at = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, ModelError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn f32(&mut self) -> Result<f32, ModelError> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(features: Vec<Feature>, t: usize) -> Example {
        Example {
            features,
            target: Target::One(t),
            weight: 1.0,
        }
    }

    #[test]
    fn learns_a_separable_toy_task_and_round_trips() {
        let data: Vec<Example> = (0..40)
            .map(|i| {
                if i % 2 == 0 {
                    ex(vec![(3, 1.0), (256, 0.5)], 0)
                } else {
                    ex(vec![(7, 1.0), (256, 0.5)], 1)
                }
            })
            .collect();
        let labels = vec!["a".to_string(), "b".to_string()];
        let mut m = Linear::zeros(labels, Output::Softmax, 8, 2, 1);
        m.fit(&data, TrainOptions::default());
        let pa = m.probabilities(&[(3, 1.0)]);
        let pb = m.probabilities(&[(7, 1.0)]);
        assert!(pa[0] > 0.8 && pb[1] > 0.8, "{pa:?} {pb:?}");
        let again = Linear::from_bytes(&m.to_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let qa = again.probabilities(&[(3, 1.0)]);
        assert!((qa[0] - pa[0]).abs() < 0.02);
        assert_eq!(again.labels(), m.labels());
        assert!(m.push(&[(3, 1.0)], 0) > 0.0);
    }

    #[test]
    fn corrupt_bytes_are_an_error_not_a_panic() {
        let m = Linear::zeros(vec!["x".into()], Output::Sigmoid, 8, 1, 1);
        let bytes = m.to_bytes();
        for cut in 0..bytes.len() {
            assert!(Linear::from_bytes(&bytes[..cut]).is_err());
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(Linear::from_bytes(&extra).is_err());
        assert!(Linear::from_bytes(b"TSNB\x01").is_err());
    }

    #[test]
    fn training_is_deterministic() {
        let data: Vec<Example> = (0..30)
            .map(|i| ex(vec![((i % 5) as u32, 1.0)], (i % 3) as usize))
            .collect();
        let labels = vec!["a".into(), "b".into(), "c".into()];
        let mut a = Linear::zeros(labels.clone(), Output::Softmax, 8, 0, 1);
        a.fit(&data, TrainOptions::default());
        let mut b = Linear::zeros(labels, Output::Softmax, 8, 0, 1);
        b.fit(&data, TrainOptions::default());
        assert_eq!(a.to_bytes(), b.to_bytes());
    }
}
