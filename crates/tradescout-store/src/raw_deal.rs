//! A stored deal's columns as a bulk loader reads them, and the one way they become a
//! [`Deal`], whichever backend and path they came through.

use tradescout_insights::deal::Interner;
use tradescout_insights::Deal;

/// One stored deal's columns as read, borrowed from whatever the rows were read into: what
/// every bulk loader (SQLite, PostgreSQL's COPY, packed JSON) turns into a [`Deal`].
pub(crate) struct RawDeal<'a> {
    pub ext: Option<&'a str>,
    pub id: i64,
    pub company: Option<&'a str>,
    pub country: Option<&'a str>,
    pub source: Option<&'a str>,
    pub product: Option<&'a str>,
    pub salesperson: Option<&'a str>,
    pub created: &'a str,
    pub closed: Option<&'a str>,
    pub stage: &'a str,
    pub outcome: &'a str,
    pub loss_reason: Option<&'a str>,
    pub amount: Option<f64>,
    pub currency: Option<&'a str>,
    pub quantity: Option<f64>,
    pub extra: Option<&'a str>,
}

impl RawDeal<'_> {
    /// The deal, its repeated texts shared through `interner`; an error names what is wrong.
    pub(crate) fn into_deal(self, interner: &mut Interner) -> std::result::Result<Deal, String> {
        let mut shared = |v: Option<&str>| interner.get(v.unwrap_or(""));
        let extra = self.extra.unwrap_or("");
        Ok(Deal {
            id: self.ext.map_or_else(|| self.id.to_string(), str::to_string),
            company: shared(self.company),
            country: shared(self.country),
            source: shared(self.source),
            product: shared(self.product),
            salesperson: shared(self.salesperson),
            loss_reason: self.loss_reason.map(|v| shared(Some(v))),
            currency: self.currency.map(|v| shared(Some(v))),
            created: tradescout_insights::deal::parse_date(self.created)
                .ok_or_else(|| format!("created `{}`", self.created))?,
            closed: self.closed.and_then(tradescout_insights::deal::parse_date),
            stage_reached: self
                .stage
                .parse()
                .map_err(|e: tradescout_core::labels::UnknownLabel| e.to_string())?,
            outcome: self
                .outcome
                .parse()
                .map_err(|e: tradescout_core::labels::UnknownLabel| e.to_string())?,
            amount: self.amount,
            quantity: self.quantity,
            extra: if extra.is_empty() || extra == "{}" {
                Default::default()
            } else {
                serde_json::from_str(extra).map_err(|e| format!("extra columns: {e}"))?
            },
        })
    }
}
