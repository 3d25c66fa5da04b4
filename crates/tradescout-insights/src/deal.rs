//! Deals and the deal-history CSV format (CONTRACTS.md): one deal a row; bad rows are
//! reported by row number and column, the others kept.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use tradescout_core::{Outcome, Stage};

/// Hands out one [`Shared`] per distinct text, so a million deals from a few dozen sources,
/// countries and salespeople hold a few dozen strings, not millions. Loaders keep one per
/// thread. Only short texts are kept (long ones are seldom repeated), and at most
/// [`Interner::MAX_KEPT`] of them, so a column of unique values cannot grow it without bound.
#[derive(Debug, Default)]
pub struct Interner {
    kept: FxHashMap<Shared, ()>,
    empty: Option<Shared>,
}

impl Interner {
    /// Distinct texts kept at most; later new ones are allocated as they come.
    pub const MAX_KEPT: usize = 100_000;
    /// Longer texts are not kept.
    const MAX_LEN: usize = 64;

    pub fn new() -> Interner {
        Interner::default()
    }

    /// The shared copy of `text`.
    pub fn get(&mut self, text: &str) -> Shared {
        if text.is_empty() {
            return self.empty.get_or_insert_with(|| Arc::from("")).clone();
        }
        if let Some((kept, ())) = self.kept.get_key_value(text) {
            return kept.clone();
        }
        let shared: Shared = Arc::from(text);
        if text.len() <= Self::MAX_LEN && self.kept.len() < Self::MAX_KEPT {
            self.kept.insert(shared.clone(), ());
        }
        shared
    }
}

/// Text shared by many deals (a source, a country, a salesperson…): one allocation per
/// distinct value when a loader interns them (see [`Interner`]), and a cheap clone.
pub type Shared = Arc<str>;

/// One deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deal {
    pub id: String,
    pub created: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub source: Shared,
    pub country: Shared,
    pub company: Shared,
    pub product: Shared,
    pub salesperson: Shared,
    pub stage_reached: Stage,
    pub outcome: Outcome,
    pub loss_reason: Option<Shared>,
    pub amount: Option<f64>,
    pub currency: Option<Shared>,
    pub quantity: Option<f64>,
    /// Unknown extra columns, kept as features for the lead score.
    pub extra: BTreeMap<String, String>,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    /// 1-based line number in the file (the header is line 1).
    pub row: usize,
    pub column: Option<String>,
    pub reason: String,
}

/// The file as a whole is unusable.
#[derive(Debug, thiserror::Error)]
pub enum DealsCsvError {
    #[error("the deal history has no header row")]
    NoHeader,
    #[error("the deal history lacks the required column(s): {0}")]
    MissingColumns(String),
    #[error("the deal history is not valid CSV: {0}")]
    Csv(String),
}

const REQUIRED: &[&str] = &["id", "created", "stage_reached", "outcome"];
const KNOWN: &[&str] = &[
    "id",
    "created",
    "closed",
    "source",
    "country",
    "company",
    "product",
    "salesperson",
    "stage_reached",
    "outcome",
    "loss_reason",
    "amount",
    "currency",
    "quantity",
];

/// Parses a deal history. Returns the good deals and an error for each bad row.
pub fn parse_deals_csv(text: &str) -> Result<(Vec<Deal>, Vec<RowError>), DealsCsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| DealsCsvError::Csv(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if headers.iter().all(|h| h.is_empty()) {
        return Err(DealsCsvError::NoHeader);
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !headers.iter().any(|h| h == r))
        .collect();
    if !missing.is_empty() {
        return Err(DealsCsvError::MissingColumns(missing.join(", ")));
    }
    let mut deals = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    row,
                    column: None,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        match parse_row(&Row {
            headers: &headers,
            record: &record,
        }) {
            Ok(d) => deals.push(d),
            Err((column, reason)) => errors.push(RowError {
                row,
                column: Some(column.to_string()),
                reason,
            }),
        }
    }
    Ok((deals, errors))
}

type RowResult<T> = Result<T, (&'static str, String)>;

/// One record with its file's headers.
struct Row<'a> {
    headers: &'a [String],
    record: &'a csv::StringRecord,
}

impl<'a> Row<'a> {
    fn get(&self, name: &str) -> &'a str {
        self.headers
            .iter()
            .position(|h| h == name)
            .and_then(|c| self.record.get(c))
            .map(str::trim)
            .unwrap_or("")
    }
}

fn parse_row(r: &Row<'_>) -> RowResult<Deal> {
    let get = |name: &str| r.get(name);
    let (headers, record) = (r.headers, r.record);
    let id = get("id");
    if id.is_empty() {
        return Err(("id", "empty".into()));
    }
    let created = parse_date(get("created")).ok_or((
        "created",
        format!("`{}` is not a date (YYYY-MM-DD)", get("created")),
    ))?;
    let closed = match get("closed") {
        "" => None,
        s => Some(parse_date(s).ok_or(("closed", format!("`{s}` is not a date (YYYY-MM-DD)")))?),
    };
    if closed.is_some_and(|c| c < created) {
        return Err(("closed", "is before created".into()));
    }
    let stage_reached = get("stage_reached")
        .parse::<Stage>()
        .map_err(|e| ("stage_reached", e.to_string()))?;
    let outcome = get("outcome")
        .parse::<Outcome>()
        .map_err(|e| ("outcome", e.to_string()))?;
    let number = |name: &'static str| -> RowResult<Option<f64>> {
        match get(name) {
            "" => Ok(None),
            s => s
                .replace([',', ' '], "")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(Some)
                .ok_or((name, format!("`{s}` is not a non-negative number"))),
        }
    };
    let text = |name: &str| get(name).to_string();
    let shared = |name: &str| Shared::from(get(name));
    let extra = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty() && !KNOWN.contains(&h.as_str()))
        .filter_map(|(i, h)| record.get(i).map(|v| (h.clone(), v.trim().to_string())))
        .collect();
    Ok(Deal {
        id: id.to_string(),
        created,
        closed,
        source: text("source").to_lowercase().into(),
        country: text("country").to_uppercase().into(),
        company: shared("company"),
        product: shared("product"),
        salesperson: shared("salesperson"),
        stage_reached,
        outcome,
        loss_reason: Some(shared("loss_reason")).filter(|s| !s.is_empty()),
        amount: number("amount")?,
        currency: Some(text("currency").to_uppercase())
            .filter(|s| !s.is_empty())
            .map(Shared::from),
        quantity: number("quantity")?,
        extra,
    })
}

/// `YYYY-MM-DD`, also with `/` or `.`, or an ISO timestamp (the date part).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head = s.get(..10).unwrap_or(s);
    // A timestamp's time must be a time: "2025-01-01T25:61:00Z" is no date either.
    if let Some(rest) = s.get(10..).filter(|r| !r.is_empty()) {
        if !valid_time_suffix(rest) {
            return None;
        }
    }
    // ISO dates, which every stored deal has, without the format machinery: loading a
    // million deals parses two million dates.
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *head.as_bytes() {
        let digits = [y1, y2, y3, y4, m1, m2, d1, d2];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |ds: &[u8]| {
                ds.iter()
                    .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
            };
            let year = i32::try_from(n(&digits[..4])).ok()?;
            return NaiveDate::from_ymd_opt(year, n(&digits[4..6]), n(&digits[6..]));
        }
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(head, f).ok())
}

/// "T10:30", " 10:30:00", "T10:30:00.123Z", "T10:30:00+08:00": hours below 24, minutes and
/// seconds below 60.
fn valid_time_suffix(rest: &str) -> bool {
    let Some(t) = rest.strip_prefix(['T', 't', ' ']) else {
        return false;
    };
    let b = t.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit())
            .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let (Some(h), Some(m)) = (two(0), two(3)) else {
        return false;
    };
    if b.get(2) != Some(&b':') || h > 23 || m > 59 {
        return false;
    }
    if b.get(5) == Some(&b':') {
        match two(6) {
            Some(sec) if sec <= 60 => {}
            _ => return false,
        }
    }
    true
}

/// `deals` ordered by created date, then id: the order every figure and the lead score's time
/// split expect. Sorts small keys and moves each deal once, instead of moving whole deals
/// through every pass of a merge sort.
pub fn in_created_order(deals: Vec<Deal>) -> Vec<Deal> {
    // The id's first 16 bytes, compared as one number, order ids as text compares them; the
    // whole ids are read only when those are equal.
    let prefix = |id: &str| {
        let mut bytes = [0u8; 16];
        let n = id.len().min(16);
        bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
        u128::from_be_bytes(bytes)
    };
    let mut keys: Vec<(NaiveDate, u128, usize)> = deals
        .iter()
        .enumerate()
        .map(|(i, d)| (d.created, prefix(&d.id), i))
        .collect();
    keys.sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| deals[a.2].id.cmp(&deals[b.2].id))
            .then(a.2.cmp(&b.2))
    });
    let mut slots: Vec<Option<Deal>> = deals.into_iter().map(Some).collect();
    keys.into_iter()
        .filter_map(|(_, _, i)| slots[i].take())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "id,created,closed,source,country,company,product,salesperson,stage_reached,outcome,loss_reason,amount,currency,quantity,fit\n\
        1,2025-01-05,2025-02-01,alibaba,gb,Greenlight,flood light,Lily,decision,won,,12000,USD,1000,80\n\
        2,2025-01-07,,website,DE,Licht GmbH,panel,Tom,evaluation,open,,,,,40\n\
        3,2025-13-01,,website,DE,Bad Date,panel,Tom,evaluation,open,,,,,\n\
        4,2025-01-09,2025-01-20,email,FR,X,panel,Tom,concerns,lost,price too high,,,,10\n\
        5,2025-01-10,,email,FR,Y,panel,Tom,haggling,open,,,,,\n";

    #[test]
    fn good_rows_are_kept_and_bad_rows_named_by_row_and_column() {
        let (deals, errors) = parse_deals_csv(CSV).unwrap_or_default();
        assert_eq!(deals.len(), 3);
        assert_eq!(errors.len(), 2);
        assert_eq!(
            (errors[0].row, errors[0].column.as_deref()),
            (4, Some("created"))
        );
        assert_eq!(
            (errors[1].row, errors[1].column.as_deref()),
            (6, Some("stage_reached"))
        );
        assert_eq!(&*deals[0].country, "GB");
        assert_eq!(deals[0].extra.get("fit").map(String::as_str), Some("80"));
        assert_eq!(deals[2].loss_reason.as_deref(), Some("price too high"));
    }

    #[test]
    fn a_file_without_required_columns_is_refused_naming_them() {
        let err = parse_deals_csv("id,created\n1,2025-01-01\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("stage_reached") && err.contains("outcome"),
            "{err}"
        );
    }

    #[test]
    fn an_impossible_time_makes_the_timestamp_no_date() {
        assert_eq!(parse_date("2025-01-01T25:61:00Z"), None);
        assert_eq!(parse_date("2025-01-01T10:61"), None);
        assert_eq!(parse_date("2025-01-01 garbage"), None);
        assert_eq!(
            parse_date("2025-01-01T23:59:59.5+08:00"),
            NaiveDate::from_ymd_opt(2025, 1, 1)
        );
        assert_eq!(
            parse_date("2025-01-01 08:15"),
            NaiveDate::from_ymd_opt(2025, 1, 1)
        );
    }

    #[test]
    fn dates_parse_in_iso_and_the_other_written_forms_and_impossible_ones_are_refused() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 7);
        assert_eq!(parse_date("2025-03-07"), day);
        assert_eq!(parse_date(" 2025-03-07T10:00:00Z"), day);
        assert_eq!(parse_date("2025/03/07"), day);
        assert_eq!(parse_date("2025.03.07"), day);
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("2025-0a-01"), None);
        assert_eq!(parse_date("１２３４-01-01"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn the_interner_shares_one_copy_per_text_and_keeps_long_texts_out() {
        let mut interner = Interner::new();
        let (a, b) = (interner.get("alibaba"), interner.get("alibaba"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "alibaba");
        assert!(Arc::ptr_eq(&interner.get(""), &interner.get("")));
        let long = "x".repeat(Interner::MAX_LEN + 1);
        let (c, d) = (interner.get(&long), interner.get(&long));
        assert_eq!(c, d);
        assert!(!Arc::ptr_eq(&c, &d), "long texts are not kept");
        assert_eq!(interner.kept.len(), 1);
    }

    #[test]
    fn deals_are_put_in_created_order_with_ties_broken_by_id() {
        let (deals, _) = parse_deals_csv(
            "id,created,source,stage_reached,outcome\n\
             b,2025-01-02,x,need_recognition,open\n\
             deal-2025-0001-second,2025-01-02,x,need_recognition,open\n\
             deal-2025-0001-first,2025-01-02,x,need_recognition,open\n\
             c,2025-01-01,x,need_recognition,open\n\
             a,2025-01-02,x,need_recognition,open\n\
             d,2024-12-31,x,need_recognition,open\n",
        )
        .unwrap_or_default();
        let ids: Vec<String> = in_created_order(deals).into_iter().map(|d| d.id).collect();
        assert_eq!(
            ids,
            [
                "d",
                "c",
                "a",
                "b",
                "deal-2025-0001-first",
                "deal-2025-0001-second"
            ]
        );
        assert!(in_created_order(Vec::new()).is_empty());
    }
}
