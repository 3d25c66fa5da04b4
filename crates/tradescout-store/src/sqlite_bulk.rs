//! Bulk reads of the SQLite file straight through the SQLite library on blocking threads.
//!
//! sqlx hands SQLite rows one at a time from its worker thread to the async side, which costs
//! microseconds per row; packing rows into JSON was the best it could do, at about 5 s for a
//! million deals. Reading the same rows here, with two threads each taking half of the id
//! range, takes a fraction of that. Only reads go this way; every write stays in sqlx.

use crate::raw_deal::RawDeal;
use crate::{Result, StoreError};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use tradescout_insights::deal::Interner;
use tradescout_insights::Deal;

const DEAL_COLUMNS: &str = "external_id, id, company, country, source, product, salesperson, \
     created, closed, stage, outcome, loss_reason, amount, currency, quantity, extra_json";

/// The most of the database file mapped into memory for a bulk read (address space, not
/// memory: the kernel pages it in as read, and SQLite caps it at its compile-time maximum).
const MMAP_BYTES: i64 = 1 << 34;

fn failed(what: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| StoreError::Read {
        what,
        reason: e.to_string(),
    }
}

/// Every deal, oldest first (by created date, then id).
pub(crate) fn load_deals(path: &Path) -> Result<Vec<Deal>> {
    // Read-write without create: a read-only connection cannot open a WAL database whose
    // shared-memory file is missing. Nothing but SELECT runs on it.
    let open = || {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(failed("open for reading deals"))?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(failed("open for reading deals"))?;
        // Pages read straight from the mapped file, not copied through a page cache: the
        // whole table is read once, so caching pages only costs copies.
        conn.pragma_update(None, "mmap_size", MMAP_BYTES)
            .map_err(failed("open for reading deals"))?;
        Ok::<_, StoreError>(conn)
    };
    let conn = open()?;
    let (low, high): (Option<i64>, Option<i64>) = conn
        .query_row("SELECT MIN(id), MAX(id) FROM deals", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(failed("load deals"))?;
    let (Some(low), Some(high)) = (low, high) else {
        return Ok(Vec::new());
    };
    let middle = low + (high - low) / 2;
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| open().and_then(|c| read_range(&c, middle + 1, high)));
        let first = read_range(&conn, low, middle);
        let second = second
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (first, second)
    });
    let mut out = first?;
    out.extend(second?);
    Ok(tradescout_insights::deal::in_created_order(out))
}

fn read_range(conn: &Connection, low: i64, high: i64) -> Result<Vec<Deal>> {
    let mut statement = conn
        .prepare(&format!(
            "SELECT {DEAL_COLUMNS} FROM deals WHERE id BETWEEN ?1 AND ?2"
        ))
        .map_err(failed("load deals"))?;
    let mut rows = statement.query([low, high]).map_err(failed("load deals"))?;
    let mut out = Vec::with_capacity(usize::try_from(high - low + 1).unwrap_or(0).min(1 << 22));
    let mut interner = Interner::new();
    while let Some(row) = rows.next().map_err(failed("load deals"))? {
        let cell = |i: usize| row.get_ref(i).map_err(failed("read deal"));
        let id: i64 = row.get(1).map_err(failed("read deal"))?;
        let raw = RawDeal {
            ext: text(cell(0)?),
            id,
            company: text(cell(2)?),
            country: text(cell(3)?),
            source: text(cell(4)?),
            product: text(cell(5)?),
            salesperson: text(cell(6)?),
            created: text(cell(7)?).unwrap_or_default(),
            closed: text(cell(8)?),
            stage: text(cell(9)?).unwrap_or_default(),
            outcome: text(cell(10)?).unwrap_or_default(),
            loss_reason: text(cell(11)?),
            amount: number(cell(12)?),
            currency: text(cell(13)?),
            quantity: number(cell(14)?),
            extra: text(cell(15)?),
        };
        out.push(
            raw.into_deal(&mut interner)
                .map_err(|reason| StoreError::Corrupt {
                    what: "deals",
                    reason: format!("deal {id}: {reason}"),
                })?,
        );
    }
    Ok(out)
}

fn text(v: ValueRef<'_>) -> Option<&str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

fn number(v: ValueRef<'_>) -> Option<f64> {
    match v {
        ValueRef::Integer(i) => Some(i as f64),
        ValueRef::Real(f) => Some(f),
        ValueRef::Text(t) => std::str::from_utf8(t).ok()?.trim().parse().ok(),
        _ => None,
    }
}
