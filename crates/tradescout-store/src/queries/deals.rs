//! Deals and their stage history.

use super::{q, Db};
use crate::model::now;
use crate::Result;
use crate::{Correction, NewCorrection};
use sqlx::{Pool, Row};
use std::collections::HashMap;
use tradescout_insights::Deal;

/// Rows per multi-row statement (15 parameters a row).
const CHUNK: usize = 100;

pub(crate) async fn upsert_deals(
    pool: &Pool<Db>,
    deals: &[Deal],
    changed_by: &str,
) -> Result<(u64, u64)> {
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin deal import"))?;
    let mut added = 0;
    let mut updated = 0;
    let now = now();
    for chunk in deals.chunks(CHUNK) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let statement = format!(
            "SELECT external_id, id, stage FROM deals WHERE external_id IN ({})",
            list.join(", ")
        );
        let mut query = sqlx::query(&statement);
        for d in chunk {
            query = query.bind(&d.id);
        }
        let mut known: HashMap<String, (i64, String)> = HashMap::new();
        for row in query
            .fetch_all(&mut *tx)
            .await
            .map_err(q("look up deals"))?
        {
            let ext: String = row.try_get("external_id").map_err(q("read deal"))?;
            known.insert(
                ext,
                (
                    row.try_get("id").map_err(q("read deal"))?,
                    row.try_get("stage").map_err(q("read deal"))?,
                ),
            );
        }
        let mut history: Vec<(i64, &'static str)> = Vec::new();
        let mut fresh: Vec<&Deal> = Vec::new();
        for d in chunk {
            match known.get(&d.id) {
                Some((id, stage)) => {
                    update_deal(&mut tx, *id, d).await?;
                    updated += 1;
                    if stage != d.stage_reached.as_str() {
                        history.push((*id, d.stage_reached.as_str()));
                    }
                }
                None => fresh.push(d),
            }
        }
        if !fresh.is_empty() {
            let rows: Vec<String> = (0..fresh.len())
                .map(|r| {
                    format!(
                        "({})",
                        (1..=15)
                            .map(|c| format!("${}", r * 15 + c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .collect();
            let statement = format!(
                "INSERT INTO deals (external_id, company, country, source, product, salesperson, created, closed, stage, \
                 outcome, loss_reason, amount, currency, quantity, extra_json) VALUES {}",
                rows.join(", ")
            );
            let mut query = sqlx::query(&statement);
            for d in &fresh {
                query = bind_columns(query.bind(&d.id), d);
            }
            query.execute(&mut *tx).await.map_err(q("add deals"))?;
            added += fresh.len() as u64;
            let list: Vec<String> = (1..=fresh.len()).map(|i| format!("${i}")).collect();
            let statement = format!(
                "SELECT external_id, id FROM deals WHERE external_id IN ({})",
                list.join(", ")
            );
            let mut query = sqlx::query(&statement);
            for d in &fresh {
                query = query.bind(&d.id);
            }
            let mut ids: HashMap<String, i64> = HashMap::new();
            for row in query
                .fetch_all(&mut *tx)
                .await
                .map_err(q("read new deal ids"))?
            {
                ids.insert(
                    row.try_get("external_id").map_err(q("read deal"))?,
                    row.try_get("id").map_err(q("read deal"))?,
                );
            }
            for d in &fresh {
                if let Some(id) = ids.get(&d.id) {
                    history.push((*id, d.stage_reached.as_str()));
                }
            }
        }
        if !history.is_empty() {
            let rows: Vec<String> = (0..history.len())
                .map(|r| {
                    format!(
                        "(${}, ${}, ${}, ${})",
                        r * 4 + 1,
                        r * 4 + 2,
                        r * 4 + 3,
                        r * 4 + 4
                    )
                })
                .collect();
            let statement = format!(
                "INSERT INTO deal_stage_history (deal_id, stage, changed_at, changed_by) VALUES {}",
                rows.join(", ")
            );
            let mut query = sqlx::query(&statement);
            for (id, stage) in &history {
                query = query.bind(*id).bind(*stage).bind(&now).bind(changed_by);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(q("record deal stages"))?;
        }
    }
    tx.commit().await.map_err(q("commit deal import"))?;
    Ok((added, updated))
}

async fn update_deal(tx: &mut sqlx::Transaction<'static, Db>, id: i64, d: &Deal) -> Result<()> {
    let query = sqlx::query(
        "UPDATE deals SET company = $1, country = $2, source = $3, product = $4, salesperson = $5, created = $6, \
         closed = $7, stage = $8, outcome = $9, loss_reason = $10, amount = $11, currency = $12, quantity = $13, \
         extra_json = $14 WHERE id = $15",
    );
    bind_columns(query, d)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(q("update deal"))?;
    Ok(())
}

type DealQuery<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

/// Binds a deal's columns in the order both the INSERT and the UPDATE list them:
/// company, country, source, product, salesperson, created, closed, stage, outcome,
/// loss_reason, amount, currency, quantity, extra_json.
fn bind_columns<'q>(query: DealQuery<'q>, d: &'q Deal) -> DealQuery<'q> {
    query
        .bind(&*d.company)
        .bind(&*d.country)
        .bind(&*d.source)
        .bind(&*d.product)
        .bind(&*d.salesperson)
        .bind(d.created.to_string())
        .bind(d.closed.map(|c| c.to_string()))
        .bind(d.stage_reached.as_str())
        .bind(d.outcome.as_str())
        .bind(d.loss_reason.as_deref())
        .bind(d.amount)
        .bind(d.currency.as_deref())
        .bind(d.quantity)
        .bind(serde_json::to_string(&d.extra).unwrap_or_else(|_| "{}".into()))
}

/// Columns of a packed deal, in order.
pub(crate) const DEAL_JSON_COLUMNS: &str =
    "external_id, id, company, country, source, product, salesperson, created, closed, \
     stage, outcome, loss_reason, amount, currency, quantity, extra_json";

pub(crate) async fn set_deal_stage(
    pool: &Pool<Db>,
    id: &str,
    stage: tradescout_core::Stage,
    changed_by: &str,
    note: Option<&str>,
) -> Result<bool> {
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin stage change"))?;
    let row = sqlx::query("SELECT id FROM deals WHERE external_id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(q("find deal"))?;
    let Some(row) = row else { return Ok(false) };
    let pk: i64 = row.try_get("id").map_err(q("read deal"))?;
    sqlx::query("UPDATE deals SET stage = $1 WHERE id = $2")
        .bind(stage.as_str())
        .bind(pk)
        .execute(&mut *tx)
        .await
        .map_err(q("change deal stage"))?;
    sqlx::query("INSERT INTO deal_stage_history (deal_id, stage, changed_at, changed_by, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(pk)
        .bind(stage.as_str())
        .bind(now())
        .bind(changed_by)
        .bind(note)
        .execute(&mut *tx)
        .await
        .map_err(q("record deal stage"))?;
    tx.commit().await.map_err(q("commit stage change"))?;
    Ok(true)
}

pub(crate) async fn close_deal(
    pool: &Pool<Db>,
    id: &str,
    c: &crate::model::DealClose,
) -> Result<bool> {
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin closing deal"))?;
    let done = sqlx::query(
        "UPDATE deals SET outcome = $1, loss_reason = $2, closed = $3, amount = COALESCE($4, amount), \
         currency = COALESCE($5, currency), quantity = COALESCE($6, quantity) WHERE external_id = $7",
    )
    .bind(c.outcome.as_str())
    .bind(&c.loss_reason)
    .bind(&c.closed)
    .bind(c.amount)
    .bind(&c.currency)
    .bind(c.quantity)
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(q("close deal"))?
    .rows_affected()
        > 0;
    if let Some(reason) = c.loss_reason.as_deref().filter(|r| !r.trim().is_empty()) {
        // The pick list grows with the reasons people actually use.
        sqlx::query("INSERT INTO loss_reasons (label) VALUES ($1) ON CONFLICT (label) DO NOTHING")
            .bind(reason.trim())
            .execute(&mut *tx)
            .await
            .map_err(q("remember loss reason"))?;
    }
    tx.commit().await.map_err(q("commit closing deal"))?;
    Ok(done)
}

pub(crate) async fn deal_history(
    pool: &Pool<Db>,
    id: &str,
) -> Result<Vec<(String, String, String, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT h.stage, h.changed_at, h.changed_by, h.note FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id \
         WHERE d.external_id = $1 ORDER BY h.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(q("read deal history"))?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("stage").map_err(q("read deal history"))?,
                r.try_get("changed_at").map_err(q("read deal history"))?,
                r.try_get("changed_by").map_err(q("read deal history"))?,
                r.try_get("note").map_err(q("read deal history"))?,
            ))
        })
        .collect()
}

pub(crate) async fn add_correction(pool: &Pool<Db>, c: &NewCorrection) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO corrections (thread_id, field, value, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(c.thread_id)
    .bind(&c.field)
    .bind(&c.value)
    .bind(c.user_id)
    .bind(now())
    .fetch_one(pool)
    .await
    .map_err(q("store correction"))?;
    row.try_get("id").map_err(q("store correction"))
}

pub(crate) async fn corrections(
    pool: &Pool<Db>,
    thread_id: Option<i64>,
) -> Result<Vec<Correction>> {
    let sql = "SELECT c.id, c.thread_id, c.field, c.value, u.name AS by_name, c.created_at \
         FROM corrections c LEFT JOIN users u ON u.id = c.user_id \
         WHERE (CAST($1 AS BIGINT) IS NULL OR c.thread_id = CAST($1 AS BIGINT)) ORDER BY c.id";
    let rows = sqlx::query(sql)
        .bind(thread_id)
        .fetch_all(pool)
        .await
        .map_err(q("read corrections"))?;
    rows.iter()
        .map(|r| {
            Ok(Correction {
                id: r.try_get("id").map_err(q("read corrections"))?,
                thread_id: r.try_get("thread_id").map_err(q("read corrections"))?,
                field: r.try_get("field").map_err(q("read corrections"))?,
                value: r.try_get("value").map_err(q("read corrections"))?,
                by: r.try_get("by_name").map_err(q("read corrections"))?,
                at: r.try_get("created_at").map_err(q("read corrections"))?,
            })
        })
        .collect()
}
