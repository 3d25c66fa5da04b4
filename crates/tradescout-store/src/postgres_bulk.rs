//! Bulk reads from PostgreSQL with `COPY … TO STDOUT`: the server streams its text format,
//! which is far cheaper for it to write and for us to read than rows one at a time or rows
//! packed as JSON (about 12 s for a million deals). In that format a row is one line, fields are
//! separated by tabs, NULL is `\N`, and a backslash escapes tab, newline and itself, so rows
//! can be split without a parser and read on two threads.

use crate::raw_deal::RawDeal;
use crate::{Result, StoreError};
use futures::StreamExt;
use sqlx::postgres::PgPoolCopyExt;
use sqlx::PgPool;
use std::borrow::Cow;
use tradescout_insights::deal::Interner;
use tradescout_insights::Deal;

use super::queries::DEAL_JSON_COLUMNS;

/// Every deal, oldest first (by created date, then id).
pub(crate) async fn load_deals(pool: &PgPool) -> Result<Vec<Deal>> {
    let statement = format!("COPY (SELECT {DEAL_JSON_COLUMNS} FROM deals) TO STDOUT");
    let failed = |e: sqlx::Error| StoreError::Query {
        what: "load deals",
        source: e,
    };
    let mut stream = pool.copy_out_raw(&statement).await.map_err(failed)?;
    let mut text = Vec::new();
    while let Some(chunk) = stream.next().await {
        text.extend_from_slice(&chunk.map_err(failed)?);
    }
    tokio::task::spawn_blocking(move || {
        // Halves split at a line end: no row spans two lines in this format.
        let middle = text[text.len() / 2..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| text.len() / 2 + i + 1);
        let (first, second) = text.split_at(middle);
        let (first, second) = std::thread::scope(|scope| {
            let second = scope.spawn(|| parse(second));
            let first = parse(first);
            (
                first,
                second
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            )
        });
        let mut out = first?;
        out.extend(second?);
        Ok(tradescout_insights::deal::in_created_order(out))
    })
    .await
    .map_err(|e| StoreError::Read {
        what: "load deals",
        reason: e.to_string(),
    })?
}

fn parse(text: &[u8]) -> Result<Vec<Deal>> {
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "deals",
        reason,
    };
    let mut out = Vec::new();
    let mut interner = Interner::new();
    for line in text.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let mut fields: [Option<Cow<'_, str>>; 16] = Default::default();
        let mut n = 0;
        for raw in line.split(|b| *b == b'\t') {
            let Some(slot) = fields.get_mut(n) else {
                return Err(corrupt(format!("a copied deal has more than {n} fields")));
            };
            *slot = field(raw).map_err(|e| corrupt(format!("copied deal: {e}")))?;
            n += 1;
        }
        if n != fields.len() {
            return Err(corrupt(format!(
                "a copied deal has {n} fields, not {}",
                fields.len()
            )));
        }
        let [ext, id, company, country, source, product, salesperson, created, closed, stage, outcome, loss_reason, amount, currency, quantity, extra] =
            &fields;
        let id: i64 = id
            .as_deref()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| corrupt("a copied deal has no id".to_string()))?;
        let number = |v: &Option<Cow<'_, str>>| v.as_deref().and_then(|v| v.parse::<f64>().ok());
        let raw = RawDeal {
            ext: ext.as_deref(),
            id,
            company: company.as_deref(),
            country: country.as_deref(),
            source: source.as_deref(),
            product: product.as_deref(),
            salesperson: salesperson.as_deref(),
            created: created.as_deref().unwrap_or_default(),
            closed: closed.as_deref(),
            stage: stage.as_deref().unwrap_or_default(),
            outcome: outcome.as_deref().unwrap_or_default(),
            loss_reason: loss_reason.as_deref(),
            amount: number(amount),
            currency: currency.as_deref(),
            quantity: number(quantity),
            extra: extra.as_deref(),
        };
        out.push(
            raw.into_deal(&mut interner)
                .map_err(|e| corrupt(format!("deal {id}: {e}")))?,
        );
    }
    Ok(out)
}

/// One field of the text format: `None` for NULL, else the text with escapes undone
/// (borrowed from the copied bytes unless there was an escape).
fn field(raw: &[u8]) -> std::result::Result<Option<Cow<'_, str>>, String> {
    if raw == b"\\N" {
        return Ok(None);
    }
    if !raw.contains(&b'\\') {
        return std::str::from_utf8(raw)
            .map(|t| Some(Cow::Borrowed(t)))
            .map_err(|e| format!("not UTF-8: {e}"));
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        out.push(match bytes.next() {
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'b') => 0x08,
            Some(b'f') => 0x0c,
            Some(b'v') => 0x0b,
            Some(&other) => other,
            None => return Err("a field ends in a lone backslash".into()),
        });
    }
    String::from_utf8(out)
        .map(|t| Some(Cow::Owned(t)))
        .map_err(|e| format!("not UTF-8: {e}"))
}

#[cfg(test)]
mod tests {
    use super::field;
    use std::borrow::Cow;

    #[test]
    fn text_format_fields_are_unescaped_and_null_is_told_from_the_text_backslash_n() {
        fn text(t: &str) -> Result<Option<Cow<'_, str>>, String> {
            Ok(Some(Cow::Borrowed(t)))
        }
        assert_eq!(field(b"\\N"), Ok(None));
        assert_eq!(field(b"\\\\N"), text("\\N"));
        assert_eq!(field(b"a\\tb\\nc"), text("a\tb\nc"));
        assert_eq!(field(b""), text(""));
        assert!(matches!(field(b"plain"), Ok(Some(Cow::Borrowed("plain")))));
        assert!(field(b"bad\\").is_err());
        assert!(field(&[0xff]).is_err());
    }
}
