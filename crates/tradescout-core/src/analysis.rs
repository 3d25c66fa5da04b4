//! The analysis of an inquiry or thread, exactly as the `analyze --format json` contract
//! (CONTRACTS.md) spells it. Fields may be added; none of the contract's may be renamed or
//! dropped. Kept here so every judgement crate can read it without depending on another.

use crate::{Concern, Stage};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

/// Numbers print as integers when whole (`500`, not `500.0`).
pub fn whole_as_int<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

fn opt_whole_as_int<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => whole_as_int(v, s),
        None => s.serialize_none(),
    }
}

/// The full understanding of one inquiry or thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// ISO 639-1 code of the buyer's language, `null` when it cannot be told.
    pub language: Option<String>,
    pub buyer: Buyer,
    pub request: Request,
    pub stage: StageJudgement,
    /// Ranked, most important first; empty when the buyer expresses none.
    pub concerns: Vec<ConcernJudgement>,
    pub spam: Spam,
    pub next_actions: Vec<Action>,
    pub questions: Vec<Question>,
}

/// Who is asking. Each field says in `sources` where it was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Buyer {
    pub name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub domain: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub title: Option<String>,
    /// Field name → where it came from (`header`, `signature`, `text`, `phone prefix`, `ccTLD`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, String>,
}

/// What the buyer asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Request {
    pub products: Vec<Product>,
    /// A unit (or lot) price the buyer names: a target, a counter-offer, a plain price.
    pub target_price: Option<Price>,
    /// A total the buyer names for the whole purchase (a budget, an estimated or awarded
    /// value), which is no unit price.
    #[serde(default)]
    pub budget: Option<Price>,
    /// Incoterms 2020 code (`FOB`, `CIF`, `EXW`, `DDP`, …).
    pub incoterm: Option<String>,
    pub destination: Option<Destination>,
    /// Normalised: `T/T`, `L/C`, `D/P`, `D/A`, `O/A`, `PayPal`, `Western Union`, `Trade Assurance`,
    /// or a deposit split such as `30% T/T deposit, 70% before shipment`.
    pub payment_terms: Option<String>,
    pub certifications: Vec<String>,
    /// ISO 8601 date, or the words when no date can be fixed (`end of April`).
    pub deadline: Option<String>,
}

/// One product asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Product {
    pub name: String,
    pub model: Option<String>,
    #[serde(serialize_with = "opt_whole_as_int")]
    pub quantity: Option<f64>,
    /// `pcs`, `sets`, `units`, `cartons`, `pallets`, `20GP`, `40GP`, `40HQ`, `tons`, `m`, `kg`, …
    pub unit: Option<String>,
    /// Spec name → value: `ip_rating` ("IP68"), `power_w` (100), `voltage` ("220-240V"),
    /// `cct_k` (4000), `lumens` (12000), `size`, `material`, `color`, …
    pub specs: BTreeMap<String, serde_json::Value>,
}

/// An amount of money: a target price or a budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Price {
    #[serde(serialize_with = "whole_as_int")]
    pub amount: f64,
    /// ISO 4217.
    pub currency: String,
    /// The unit the price is for (`pcs`, `set`, …), when stated.
    pub per: Option<String>,
}

/// Where the goods go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Destination {
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub port: Option<String>,
}

/// The buying stage with how sure we are and the words that show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageJudgement {
    pub label: Stage,
    /// 0–1.
    pub confidence: f64,
    pub evidence: Vec<String>,
    /// True when the thread is spam: the label is kept for reference only and is not a
    /// judgement to act on.
    #[serde(default)]
    pub suppressed: bool,
    /// True when the confidence is too low to act on without reading the thread.
    #[serde(default)]
    pub unsure: bool,
}

/// One concern with its weight and the words that show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcernJudgement {
    pub label: Concern,
    /// 0–1.
    pub score: f64,
    pub evidence: Vec<String>,
}

/// Spam or scam verdict with reasons (each quoting what caused it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Spam {
    pub is_spam: bool,
    /// 0–1.
    pub score: f64,
    pub reasons: Vec<String>,
}

/// A next step for the seller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub text: String,
    pub why: String,
}

/// A SPIN question for the seller to ask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// `situation`, `problem`, `implication` or `need_payoff`.
    pub kind: String,
    pub text: String,
    pub why: String,
}
