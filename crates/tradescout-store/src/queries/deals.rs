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
                query = query
                    .bind(&d.id)
                    .bind(&d.company)
                    .bind(&d.country)
                    .bind(&d.source)
                    .bind(&d.product)
                    .bind(&d.salesperson)
                    .bind(d.created.to_string())
                    .bind(d.closed.map(|c| c.to_string()))
                    .bind(d.stage_reached.as_str())
                    .bind(d.outcome.as_str())
                    .bind(&d.loss_reason)
                    .bind(d.amount)
                    .bind(&d.currency)
                    .bind(d.quantity)
                    .bind(serde_json::to_string(&d.extra).unwrap_or_else(|_| "{}".into()));
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
    .bind(d.created.to_string())
    .bind(d.closed.map(|c| c.to_string()))
    .bind(d.stage_reached.as_str())
    .bind(d.outcome.as_str())
    .bind(&d.loss_reason)
    .bind(d.amount)
    .bind(&d.currency)
    .bind(d.quantity)
    .bind(serde_json::to_string(&d.extra).unwrap_or_else(|_| "{}".into()))
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(q("update deal"))?;
    Ok(())
}

pub(crate) async fn load_deals(pool: &Pool<Db>) -> Result<Vec<Deal>> {
    let rows = sqlx::query(
        "SELECT external_id, id, company, country, source, product, salesperson, created, closed, stage, outcome, \
         loss_reason, amount, currency, quantity, extra_json FROM deals",
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
            extra: if extra == "{}" {
                Default::default()
            } else {
                serde_json::from_str(&extra).unwrap_or_default()
            },
        });
    }
    // Sorted here: cheaper than making the database sort a million rows.
    out.sort_by(|a, b| a.created.cmp(&b.created).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}
