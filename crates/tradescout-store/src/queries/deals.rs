//! Deals and their stage history.

use super::{q, Db};
use crate::model::now;
use crate::{Result, StoreError};
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
    let mut tx = pool.begin().await.map_err(q("begin deal import"))?;
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
        for d in chunk {
            let extra = serde_json::to_string(&d.extra).unwrap_or_else(|_| "{}".into());
            let values = (
                d.created.to_string(),
                d.closed.map(|c| c.to_string()),
                d.stage_reached.as_str(),
                d.outcome.as_str(),
            );
            let stage_changed;
            let id: i64 = match known.get(&d.id) {
                Some((id, stage)) => {
                    stage_changed = stage != d.stage_reached.as_str();
                    sqlx::query(
                        "UPDATE deals SET company = $1, country = $2, source = $3, product = $4, salesperson = $5, created = $6, \
                         closed = $7, stage = $8, outcome = $9, loss_reason = $10, amount = $11, currency = $12, quantity = $13, \
                         extra_json = $14 WHERE id = $15",
                    )
                    .bind(&d.company)
                    .bind(&d.country)
                    .bind(&d.source)
                    .bind(&d.product)
                    .bind(&d.salesperson)
                    .bind(&values.0)
                    .bind(&values.1)
                    .bind(values.2)
                    .bind(values.3)
                    .bind(&d.loss_reason)
                    .bind(d.amount)
                    .bind(&d.currency)
                    .bind(d.quantity)
                    .bind(&extra)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(q("update deal"))?;
                    updated += 1;
                    *id
                }
                None => {
                    stage_changed = true;
                    added += 1;
                    sqlx::query(
                        "INSERT INTO deals (external_id, company, country, source, product, salesperson, created, closed, stage, \
                         outcome, loss_reason, amount, currency, quantity, extra_json) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                    )
                    .bind(&d.id)
                    .bind(&d.company)
                    .bind(&d.country)
                    .bind(&d.source)
                    .bind(&d.product)
                    .bind(&d.salesperson)
                    .bind(&values.0)
                    .bind(&values.1)
                    .bind(values.2)
                    .bind(values.3)
                    .bind(&d.loss_reason)
                    .bind(d.amount)
                    .bind(&d.currency)
                    .bind(d.quantity)
                    .bind(&extra)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(q("add deal"))?
                    .try_get("id")
                    .map_err(q("read deal id"))?
                }
            };
            if stage_changed {
                sqlx::query("INSERT INTO deal_stage_history (deal_id, stage, changed_at, changed_by) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(values.2)
                    .bind(&now)
                    .bind(changed_by)
                    .execute(&mut *tx)
                    .await
                    .map_err(q("record deal stage"))?;
            }
        }
    }
    tx.commit().await.map_err(q("commit deal import"))?;
    Ok((added, updated))
}

pub(crate) async fn load_deals(pool: &Pool<Db>) -> Result<Vec<Deal>> {
    let rows = sqlx::query(
        "SELECT external_id, id, company, country, source, product, salesperson, created, closed, stage, outcome, \
         loss_reason, amount, currency, quantity, extra_json FROM deals ORDER BY created, id",
    )
    .fetch_all(pool)
    .await
    .map_err(q("load deals"))?;
    let corrupt = |reason: String| StoreError::Corrupt {
        what: "deals",
        reason,
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let ext: Option<String> = r.try_get("external_id").map_err(q("read deal"))?;
        let id: i64 = r.try_get("id").map_err(q("read deal"))?;
        let created: String = r.try_get("created").map_err(q("read deal"))?;
        let closed: Option<String> = r.try_get("closed").map_err(q("read deal"))?;
        let stage: String = r.try_get("stage").map_err(q("read deal"))?;
        let outcome: String = r.try_get("outcome").map_err(q("read deal"))?;
        let extra: String = r.try_get("extra_json").map_err(q("read deal"))?;
        let text = |c: &str| -> Result<String> {
            Ok(r.try_get::<Option<String>, _>(c)
                .map_err(q("read deal"))?
                .unwrap_or_default())
        };
        out.push(Deal {
            id: ext.unwrap_or_else(|| id.to_string()),
            created: tradescout_insights::deal::parse_date(&created)
                .ok_or_else(|| corrupt(format!("created `{created}`")))?,
            closed: closed
                .as_deref()
                .and_then(tradescout_insights::deal::parse_date),
            source: text("source")?,
            country: text("country")?,
            company: text("company")?,
            product: text("product")?,
            salesperson: text("salesperson")?,
            stage_reached: stage
                .parse()
                .map_err(|e: tradescout_core::labels::UnknownLabel| corrupt(e.to_string()))?,
            outcome: outcome
                .parse()
                .map_err(|e: tradescout_core::labels::UnknownLabel| corrupt(e.to_string()))?,
            loss_reason: r.try_get("loss_reason").map_err(q("read deal"))?,
            amount: r.try_get("amount").map_err(q("read deal"))?,
            currency: r.try_get("currency").map_err(q("read deal"))?,
            quantity: r.try_get("quantity").map_err(q("read deal"))?,
            extra: serde_json::from_str(&extra).unwrap_or_default(),
        });
    }
    Ok(out)
}
