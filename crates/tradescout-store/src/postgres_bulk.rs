//! Bulk reads from PostgreSQL with `COPY … TO STDOUT`: the server streams its text format,
//! which is far cheaper for it to write and for us to read than rows one at a time or rows
//! packed as JSON (about 12 s for a million deals). In that format a row is one line, fields are
//! separated by tabs, NULL is `\N`, and a backslash escapes tab, newline and itself, so rows
//! can be split without a parser and read on two threads.

use crate::{Result, StoreError};
use futures::StreamExt;
use sqlx::postgres::PgPoolCopyExt;
use sqlx::PgPool;
use tradescout_insights::Deal;

// The packed-row conversion both load paths share.
use super::queries::deals::{deal_from_packed, Packed};
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
    for line in text.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let mut fields = [
            None, None, None, None, None, None, None, None, None, None, None, None, None, None,
            None, None,
        ];
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
            fields;
        let id: i64 = id
            .as_deref()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| corrupt("a copied deal has no id".to_string()))?;
        let number = |v: Option<String>| v.and_then(|v| v.parse::<f64>().ok());
        let packed: Packed = (
            ext,
            id,
            company,
            country,
            source,
            product,
            salesperson,
            created.unwrap_or_default(),
            closed,
            stage.unwrap_or_default(),
            outcome.unwrap_or_default(),
            loss_reason,
            number(amount),
            currency,
            number(quantity),
            extra,
        );
        out.push(deal_from_packed(packed).map_err(|e| corrupt(format!("deal {id}: {e}")))?);
    }
    Ok(out)
}

/// One field of the text format: `None` for NULL, else the text with escapes undone.
fn field(raw: &[u8]) -> std::result::Result<Option<String>, String> {
    if raw == b"\\N" {
        return Ok(None);
    }
    let text = if raw.contains(&b'\\') {
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
        out
    } else {
        raw.to_vec()
    };
    String::from_utf8(text)
        .map(Some)
        .map_err(|e| format!("not UTF-8: {e}"))
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn text_format_fields_are_unescaped_and_null_is_told_from_the_text_backslash_n() {
        assert_eq!(field(b"\\N"), Ok(None));
        assert_eq!(field(b"\\\\N"), Ok(Some("\\N".to_string())));
        assert_eq!(field(b"a\\tb\\nc"), Ok(Some("a\tb\nc".to_string())));
        assert_eq!(field(b""), Ok(Some(String::new())));
        assert!(field(b"bad\\").is_err());
        assert!(field(&[0xff]).is_err());
    }
}
