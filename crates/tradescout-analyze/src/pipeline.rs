//! The whole analysis of one thread, from its parts.

use crate::cues::ScannedThread;
use crate::input::ThreadInput;
use crate::{buyer, concerns, language, request, spam, stage};
use tradescout_core::analysis::Analysis;
use tradescout_core::Lang;

/// Language, buyer, request, stage, concerns and spam of `thread`. `lang` is the language of
/// the seller reading the result (for reasons and explanations); `next_actions` and
/// `questions` are left empty for the coach to fill.
pub fn analyze(thread: &ThreadInput, lang: Lang) -> Analysis {
    let language = thread
        .buyer_messages()
        .rev()
        .find_map(|m| language::detect_language(body_without_signature(m)))
        .map(str::to_string);
    // Read the thread once for all three judgements, and take the models once: a retrain
    // that replaces them meanwhile does not mix two sets in one analysis.
    let scanned = ScannedThread::new(thread);
    let in_use = crate::model::models();
    let models = in_use.as_deref();
    let mut stage = stage::judge_stage_with(&scanned, models);
    stage.confidence = round3(stage.confidence);
    let mut concerns = concerns::judge_concerns_with(&scanned, models);
    for c in &mut concerns {
        c.score = round3(c.score);
    }
    let mut spam = spam::judge_spam_with(&scanned, lang, models);
    spam.score = round3(spam.score);
    let mut request = request::extract_request(thread);
    if spam.is_spam {
        // A scam is not a deal: its stage is kept for reference only, and the fees and
        // contract values it names are no buyer's target price.
        stage.suppressed = true;
        request.target_price = None;
        request.budget = None;
    }
    Analysis {
        language,
        buyer: buyer::extract_buyer(thread),
        request,
        stage,
        concerns,
        spam,
        next_actions: Vec::new(),
        questions: Vec::new(),
    }
}

/// Scores are estimates: three decimals say all they can (and `0.86`, not `0.8600000143`).
fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The message text with its signature block cut off (a Chinese company name in an English
/// buyer's signature should not decide the language).
fn body_without_signature(m: &crate::input::InputMessage) -> &str {
    match &m.signature {
        Some(sig) if !sig.is_empty() && m.text.ends_with(sig.as_str()) => {
            let body = &m.text[..m.text.len() - sig.len()];
            if body.trim().is_empty() {
                &m.text
            } else {
                body
            }
        }
        _ => &m.text,
    }
}
