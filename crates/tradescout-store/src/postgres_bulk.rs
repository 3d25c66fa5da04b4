//! Bulk reads from PostgreSQL with `COPY … TO STDOUT`: the server streams its text format,
//! which is far cheaper for it to write and for us to read than rows one at a time or rows
//! packed as JSON (about 12 s for a million deals). In that format a row is one line, fields are
//! separated by tabs, NULL is `\N`, and a backslash escapes tab, newline and itself, so the
//! stream can be cut into blocks of whole rows without a parser and read as it arrives.

use crate::raw_deal::RawDeal;
use crate::{Result, StoreError};
use futures::StreamExt;
use sqlx::postgres::PgPoolCopyExt;
use sqlx::PgPool;
use std::borrow::Cow;
use tradescout_insights::deal::Interner;
use tradescout_insights::Deal;

use super::queries::DEAL_JSON_COLUMNS;

/// Bytes gathered from the copy stream before a block of whole lines goes to the parser.
const BLOCK_BYTES: usize = 4 << 20;

/// Every deal, oldest first (by created date, then id). The server writes the rows while a
/// second thread parses the blocks already received, so the read costs about what the server
/// takes to write them, not that plus the parsing.
pub(crate) async fn load_deals(pool: &PgPool) -> Result<Vec<Deal>> {
    let statement = format!("COPY (SELECT {DEAL_JSON_COLUMNS} FROM deals) TO STDOUT");
    let failed = |e: sqlx::Error| StoreError::Query {
        what: "load deals",
        source: e,
    };
    let mut stream = pool.copy_out_raw(&statement).await.map_err(failed)?;
    let (blocks, mut received) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let parser = tokio::task::spawn_blocking(move || {
        let mut interner = Interner::new();
        let mut out = Vec::new();
        while let Some(block) = received.blocking_recv() {
            parse(&block, &mut interner, &mut out)?;
        }
        Ok::<_, StoreError>(tradescout_insights::deal::in_created_order(out))
    });
    let mut pending: Vec<u8> = Vec::with_capacity(BLOCK_BYTES * 2);
    let mut parser_stopped = false;
    while let Some(chunk) = stream.next().await {
        pending.extend_from_slice(&chunk.map_err(failed)?);
        let Some(block) = take_block(&mut pending, BLOCK_BYTES) else {
            continue;
        };
        if blocks.send(block).await.is_err() {
            // The parser stopped on an error; it is reported below.
            parser_stopped = true;
            break;
        }
    }
    if !parser_stopped && !pending.is_empty() {
        // The parser's own error, if any, is what the join below reports.
        let _ = blocks.send(pending).await;
    }
    drop(blocks);
    parser.await.map_err(|e| StoreError::Read {
        what: "load deals",
        reason: e.to_string(),
    })?
}

/// Once `pending` holds `at_least` bytes, the whole lines at its start; the part of a line
/// after them stays in `pending`. No row spans two lines in this format.
fn take_block(pending: &mut Vec<u8>, at_least: usize) -> Option<Vec<u8>> {
    if pending.len() < at_least {
        return None;
    }
    let end = pending.iter().rposition(|b| *b == b'\n')?;
    let rest = pending.split_off(end + 1);
    Some(std::mem::replace(pending, rest))
}

/// Parses the whole lines of `text` onto `out`.
fn parse(text: &[u8], interner: &mut Interner, out: &mut Vec<Deal>) -> Result<()> {
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "deals",
        reason,
    };
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
            raw.into_deal(interner)
                .map_err(|e| corrupt(format!("deal {id}: {e}")))?,
        );
    }
    Ok(())
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
    use super::{field, take_block};
    use std::borrow::Cow;

    #[test]
    fn blocks_are_cut_at_line_ends_and_keep_the_partial_line_for_later() {
        let mut pending = b"a\tb\nc\td\ne\t".to_vec();
        assert_eq!(take_block(&mut pending, 100), None, "not enough yet");
        assert_eq!(
            take_block(&mut pending, 4).as_deref(),
            Some(&b"a\tb\nc\td\n"[..])
        );
        assert_eq!(pending, b"e\t");
        assert_eq!(take_block(&mut pending, 1), None, "no whole line");
        pending.extend_from_slice(b"f\n");
        assert_eq!(take_block(&mut pending, 1).as_deref(), Some(&b"e\tf\n"[..]));
        assert!(pending.is_empty());
    }

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
