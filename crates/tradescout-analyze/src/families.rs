//! Scam and non-buyer families aimed at exporters (`data/scam_families.toml`): what each looks
//! like, a public source describing it, and the phrases in several languages that give it away.
//!
//! A family is named when the weights of the distinct phrases found in the buyer's text reach
//! its threshold; the score also feeds the spam model as a feature.

use crate::request::lexicon::PhraseSet;
use serde::Deserialize;
use std::sync::OnceLock;

const FAMILIES_TOML: &str = include_str!("../data/scam_families.toml");

/// Texts longer than this are read only up to here.
const MAX_BYTES: usize = 32 * 1024;

/// One family as the data file describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct Family {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub description_en: String,
    pub description_zh: String,
    pub source: String,
    pub threshold: f32,
    #[serde(default)]
    signal: Vec<SignalGroup>,
    /// Phrases that show a genuine buyer where the signals would read a scam (a buyer
    /// demanding delivery of his own order is no fake dunning letter): each found takes its
    /// weight off the family's score.
    #[serde(default)]
    counter: Vec<SignalGroup>,
}

#[derive(Debug, Clone, Deserialize)]
struct SignalGroup {
    weight: f32,
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct FamiliesFile {
    family: Vec<Family>,
}

/// An error in the families data file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("data/scam_families.toml: {0}")]
pub struct FamiliesError(pub String);

struct Compiled {
    families: Vec<Family>,
    /// Phrase → (family index, phrase id, weight).
    set: PhraseSet<(usize, usize, f32)>,
    /// Counter phrase → (family index, phrase id, weight taken off), read in a pass of their
    /// own so a counter never hides a signal it overlaps ("mise en demeure de livrer").
    counters: PhraseSet<(usize, usize, f32)>,
}

fn compile(text: &str) -> Result<Compiled, FamiliesError> {
    let file: FamiliesFile = toml::from_str(text).map_err(|e| FamiliesError(e.to_string()))?;
    let mut entries = Vec::new();
    let mut counters = Vec::new();
    let mut phrase_id = 0usize;
    for (fi, f) in file.family.iter().enumerate() {
        if !(f.threshold > 0.0 && f.threshold.is_finite()) {
            return Err(FamiliesError(format!("family {}: bad threshold", f.id)));
        }
        // Signals add their weight; counters take theirs off, read in a set of their own.
        for (groups, sign, into, what) in [
            (&f.signal, 1.0, &mut entries, "weight"),
            (&f.counter, -1.0, &mut counters, "counter weight"),
        ] {
            for g in groups {
                if !(g.weight > 0.0 && g.weight <= 5.0) {
                    return Err(FamiliesError(format!("family {}: bad {what}", f.id)));
                }
                for p in &g.phrases {
                    into.push((p.to_lowercase(), (fi, phrase_id, sign * g.weight), false));
                    phrase_id += 1;
                }
            }
        }
    }
    Ok(Compiled {
        families: file.family,
        set: PhraseSet::new(entries),
        counters: PhraseSet::new(counters),
    })
}

fn compiled() -> Option<&'static Compiled> {
    static C: OnceLock<Option<Compiled>> = OnceLock::new();
    C.get_or_init(|| compile(FAMILIES_TOML).ok()).as_ref()
}

/// Checks the shipped data file; returns the number of families.
pub fn check_shipped() -> Result<usize, FamiliesError> {
    compile(FAMILIES_TOML).map(|c| c.families.len())
}

/// The shipped families, in file order.
pub fn families() -> &'static [Family] {
    compiled().map_or(&[], |c| c.families.as_slice())
}

/// How strongly one text points to one family.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyScore {
    /// Index into [`families`].
    pub family: usize,
    /// Sum of the weights of the distinct phrases found.
    pub score: f32,
    /// Byte spans of the phrases found, heaviest first.
    pub spans: Vec<(usize, usize)>,
    /// The weights of the phrases found, heaviest first.
    pub weights: Vec<f32>,
    /// The summed weight of the counter phrases found (already taken off `score`).
    pub countered: f32,
}

impl FamilyScore {
    pub fn family(&self) -> Option<&'static Family> {
        families().get(self.family)
    }

    /// True when the family is named: the score reaches the threshold and rests on more than
    /// supporting words — a phrase that alone names the family, two strong ones, or well over
    /// the threshold. ("My shipping agent will pick up from your factory; can we pay the
    /// sample by credit card?" is a buyer, though each part is a sign.)
    pub fn fired(&self) -> bool {
        let Some(f) = self.family() else {
            return false;
        };
        let strong = self.weights.iter().filter(|&&w| w >= 2.0).count();
        let naming = self.weights.first().is_some_and(|&w| w >= 3.0);
        self.score >= f.threshold && (naming || strong >= 2 || self.score >= f.threshold + 1.5)
    }
}

/// Every family with at least one phrase in `text`, strongest (relative to its threshold)
/// first.
pub fn score(text: &str) -> Vec<FamilyScore> {
    let Some(c) = compiled() else {
        return Vec::new();
    };
    let text = crate::cues::clip(text, MAX_BYTES);
    let mut seen: Vec<usize> = Vec::new();
    let mut found: Vec<(usize, f32, usize, usize)> = Vec::new();
    for (s, e, &(fi, pid, w)) in c.set.find_iter(text).chain(c.counters.find_iter(text)) {
        if seen.contains(&pid) {
            continue;
        }
        seen.push(pid);
        found.push((fi, w, s, e));
    }
    let mut out: Vec<FamilyScore> = Vec::new();
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (fi, w, s, e) in found {
        let pos = match out.iter().position(|f| f.family == fi) {
            Some(pos) => pos,
            None => {
                out.push(FamilyScore {
                    family: fi,
                    score: 0.0,
                    spans: Vec::new(),
                    weights: Vec::new(),
                    countered: 0.0,
                });
                out.len() - 1
            }
        };
        let f = &mut out[pos];
        f.score += w;
        if w < 0.0 {
            f.countered -= w;
        } else {
            f.spans.push((s, e));
            f.weights.push(w);
        }
    }
    out.retain(|f| !f.weights.is_empty());
    let rel = |f: &FamilyScore| {
        f.score
            / c.families
                .get(f.family)
                .map_or(1.0, |x| x.threshold.max(0.1))
    };
    out.sort_by(|a, b| rel(b).total_cmp(&rel(a)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_is_valid_and_has_sources() {
        let n = check_shipped().unwrap_or_else(|e| panic!("{e}"));
        assert!(n >= 10, "{n} families");
        for f in families() {
            assert!(f.source.starts_with("http"), "{} has no source", f.id);
            assert!(!f.name_zh.is_empty() && !f.description_zh.is_empty());
            assert!(!f.signal.is_empty(), "{} has no signals", f.id);
        }
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(compile("family = 3").is_err());
        let bad = r#"[[family]]
id = "x"
name_en = "x"
name_zh = "x"
description_en = "x"
description_zh = "x"
source = "https://example.org"
threshold = 0.0
"#;
        assert!(compile(bad).is_err());
    }

    #[test]
    fn a_buyer_with_his_own_forwarder_paying_a_sample_by_card_is_no_family() {
        let text = "FOB Ningbo. My shipping agent will pick up from your factory. Can we pay by credit card for the sample?";
        assert!(
            !score(text).iter().any(FamilyScore::fired),
            "{:?}",
            score(text)
        );
        let scam = "Please charge my credit card for the goods and pay my shipper. Split the total on the cards below.";
        assert!(
            score(scam).iter().any(FamilyScore::fired),
            "{:?}",
            score(scam)
        );
    }

    #[test]
    fn a_buyer_demanding_his_own_delivery_is_no_dunning_letter() {
        let claim = "Objet : mise en demeure de livrer la commande n° 4471. Je n'ai toujours pas reçu les chaises commandées le 3 mars.";
        assert!(
            !score(claim).iter().any(FamilyScore::fired),
            "{:?}",
            score(claim)
        );
        let claim =
            "Objet : mise en demeure. Je n'ai toujours pas reçu les chaises commandées le 3 mars.";
        let fake = score(claim);
        assert!(!fake.iter().any(FamilyScore::fired), "{fake:?}");
        assert!(fake.iter().any(|f| f.countered > 0.0), "{fake:?}");
        let dunning = "Mise en demeure : la facture n° 881 reste impayée. Sans règlement sous 48 heures, notre service contentieux engagera des poursuites.";
        assert!(score(dunning).iter().any(FamilyScore::fired));
    }

    fn fired_ids(text: &str) -> Vec<&'static str> {
        score(text)
            .iter()
            .filter(|f| f.fired())
            .filter_map(|f| f.family().map(|x| x.id.as_str()))
            .collect()
    }

    #[test]
    fn renewal_pressure_factory_and_sourcing_pitches_and_invoice_reminders_name_their_family() {
        for (text, family) in [
            (
                "你好，我是某某网络公司的，你的中文域名过期了，如果不续费就会停止使用。",
                "domain_registration",
            ),
            (
                "A manufacturer of silicone products. Our factory is located in Longgang. We have \
                 500 workers mainly manufacture smart products and we provide one-stop OEM/ODM service.",
                "supplier_pitch",
            ),
            (
                "If you can trust me, I can help you in China to find the right supplier for you \
                 and inspect all the goods you purchased in China.",
                "supplier_pitch",
            ),
            (
                "Dear Sirs, kindly find attached our reminder and copy of the relevant invoices. \
                 Looking forward to receive your prompt payment.",
                "fake_overdue_payment",
            ),
        ] {
            assert!(fired_ids(text).contains(&family), "{family}: {text}");
        }
        // A buyer asking about a domain name for his shop, or about the maker's factory, is not.
        for text in [
            "Where is your factory located? We need 2,000 bottles with our logo.",
            "Our domain has a new shop; please send the price list for the renewal order.",
        ] {
            assert!(fired_ids(text).is_empty(), "{text}: {:?}", fired_ids(text));
        }
    }

    #[test]
    fn a_consumer_renewal_notice_is_no_buyer_but_a_buyer_order_is() {
        let notice = "Dear customer, your subscription has expired. Renew now to restore \
                      protection for your devices. Click here.";
        assert!(fired_ids(notice).contains(&"consumer_spam"), "{notice}");
        let parcel =
            "Wir haben versucht, Ihr Paket zuzustellen. Bitte bestätigen Sie Ihre Adresse.";
        assert!(fired_ids(parcel).contains(&"consumer_spam"));
        // A buyer's congratulations and a deadline are no consumer spam.
        let buyer = "Congratulations on the new factory! Please quote 800 pcs FOB Ningbo, \
                     we need your offer within 24 hours. Dear customer service team, thanks.";
        assert!(!fired_ids(buyer).contains(&"consumer_spam"), "{buyer}");
    }

    #[test]
    fn mailbox_notices_fake_approvals_and_dunning_name_their_family() {
        for (text, family) in [
            (
                "【系统管理员】您好，由于邮箱系统升级，请于三日内点击链接验证您的电子邮件，\
                 逾期未验证的账号将予以关停。",
                "phishing",
            ),
            (
                "Your mailbox has exceeded the storage limit. Log in to your webmail via storage \
                 link below to keep receiving mail.",
                "phishing",
            ),
            (
                "We failed to deliver the package to you because the recipient's address is \
                 incorrect. Please print out the invoice copy attached and collect the package.",
                "phishing",
            ),
            (
                "Sehr geehrte Damen und Herren, die Rückbuchung der Lastschrift zwingt uns, ein \
                 Betreibungsverfahren einzuleiten. Begleichen Sie sofort die beiliegende Rechnung.",
                "fake_overdue_payment",
            ),
            (
                "Due to tax scrutiny we are unable to operate our previous account. Please send a \
                 revised invoice with our subsidiary bank details below.",
                "bank_account_change",
            ),
        ] {
            assert!(fired_ids(text).contains(&family), "{family}: {text}");
        }
        // Buyers write some of those words too: no family.
        for buyer in [
            "您好，我司邮件系统升级，上周的报价单没收到，请把 LED 面板灯 600x600 的报价发到以下邮箱，谢谢。",
            "Please see the revisions in the attachment for the carton artwork of PO 4512.",
            "Attached our PO 4512 for your review/approval.",
            "Our DHL account will collect the package at your factory on Monday.",
            "FedEx failed to deliver the package, it is on customs hold; please send the invoice.",
            "We will hold the payment until you send a revised invoice with the 5% deduction.",
            "Please find the signed proforma invoice attached, the bank slip follows tomorrow.",
        ] {
            assert!(fired_ids(buyer).is_empty(), "{buyer}");
        }
    }

    #[test]
    fn a_phrase_counts_once() {
        let one = score("my shipper will collect. my shipper will collect.");
        let twice = score("my shipper will collect.");
        if let (Some(a), Some(b)) = (one.first(), twice.first()) {
            assert_eq!(a.score, b.score);
        }
    }

    #[test]
    fn a_stranger_wanting_credit_to_market_our_goods_is_the_fake_client_family() {
        let fired = |t: &str| {
            score(t)
                .into_iter()
                .filter(FamilyScore::fired)
                .filter_map(|f| f.family().map(|f| f.id.clone()))
                .collect::<Vec<_>>()
        };
        let scam = "Your products interest us and we intend to market your products through our \
                    large distribution network. We work with payment terms of 30 days by bank \
                    transfer after delivery.";
        assert_eq!(fired(scam), vec!["fake_client_credit".to_string()]);
        // A customer who has paid in advance before asks for credit: no family.
        let buyer =
            "We have paid the last four orders in advance. For the next container we would \
                     like 30 days after B/L; our bank can give you a reference.";
        assert!(fired(buyer).is_empty(), "{:?}", fired(buyer));
    }
}
