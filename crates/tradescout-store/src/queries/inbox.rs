//! What the web app reads and writes beside the mail itself: analyses, background-check
//! reports, the catalogue and the pipeline board.

use super::{q, Db};
use crate::model::*;
use crate::{Result, StoreError};
use sqlx::{Pool, Row};
use tradescout_coach::CatalogueProduct;

fn corrupt(what: &'static str) -> impl Fn(serde_json::Error) -> StoreError {
    move |e| StoreError::Corrupt {
        what,
        reason: e.to_string(),
    }
}

pub(crate) async fn set_thread_owner(
    pool: &Pool<Db>,
    thread_id: i64,
    owner: Option<i64>,
) -> Result<()> {
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin owner change"))?;
    sqlx::query("UPDATE threads SET owner_user_id = $1 WHERE id = $2")
        .bind(owner)
        .bind(thread_id)
        .execute(&mut *tx)
        .await
        .map_err(q("set thread owner"))?;
    // The inquiry's deal goes with it.
    sqlx::query("UPDATE deals SET owner_user_id = $1 WHERE thread_id = $2 AND source = 'inquiry'")
        .bind(owner)
        .bind(thread_id)
        .execute(&mut *tx)
        .await
        .map_err(q("set the owner of a thread's deal"))?;
    tx.commit().await.map_err(q("commit owner change"))
}

pub(crate) async fn save_analysis(
    pool: &Pool<Db>,
    thread_id: i64,
    a: &ThreadAnalysis,
) -> Result<()> {
    let now = now();
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin analysis"))?;
    save_one(&mut tx, thread_id, a, None, &now).await?;
    tx.commit().await.map_err(q("commit analysis"))
}

/// Every analysis of `batch` in one transaction: all kept, or none.
pub(crate) async fn save_analyses(pool: &Pool<Db>, batch: &[AnalysedThread]) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let now = now();
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin analyses"))?;
    for t in batch {
        save_one(&mut tx, t.thread_id, &t.analysis, t.lead_score, &now).await?;
    }
    tx.commit().await.map_err(q("commit analyses"))
}

async fn save_one(
    conn: &mut <Db as sqlx::Database>::Connection,
    thread_id: i64,
    a: &ThreadAnalysis,
    lead_score: Option<f64>,
    now: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM analyses WHERE thread_id = $1")
        .bind(thread_id)
        .execute(&mut *conn)
        .await
        .map_err(q("replace analysis"))?;
    sqlx::query(
        "INSERT INTO analyses (thread_id, analyzer_version, stage, stage_confidence, spam_score, result_json, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(thread_id)
    .bind(&a.analyzer_version)
    .bind(&a.stage)
    .bind(a.stage_confidence)
    .bind(a.spam_score)
    .bind(a.result.to_string())
    .bind(now)
    .execute(&mut *conn)
    .await
    .map_err(q("save analysis"))?;
    // A lead score given with the analysis is written with it; none leaves the stored one.
    sqlx::query(
        "UPDATE threads SET stage = $1, top_concern = $2, language = $3, country = $4, \
         buyer_email = $5, company = $6, is_spam = $7, lead_score = COALESCE($8, lead_score) \
         WHERE id = $9",
    )
    .bind(&a.stage)
    .bind(&a.top_concern)
    .bind(&a.language)
    .bind(&a.country)
    .bind(&a.buyer_email)
    .bind(&a.company)
    .bind(a.is_spam)
    .bind(lead_score)
    .bind(thread_id)
    .execute(&mut *conn)
    .await
    .map_err(q("copy analysis to thread"))?;
    sync_thread_deal(conn, thread_id, a, now).await
}

/// Keeps the pipeline in step with an analysis: a genuine inquiry has one open deal
/// (`thread-{id}`), created with the facts read from the mail; spam has none. A deal a person
/// has moved or closed is theirs: analysis no longer changes its stage or removes it.
async fn sync_thread_deal(
    conn: &mut <Db as sqlx::Database>::Connection,
    thread_id: i64,
    a: &ThreadAnalysis,
    now: &str,
) -> Result<()> {
    let external = format!("thread-{thread_id}");
    // Lock the deal's row first (a no-op write): a person moving or closing it at this moment
    // commits before the checks below read its history, which on PostgreSQL each statement
    // reads afresh. SQLite runs one writer at a time anyway.
    sqlx::query("UPDATE deals SET stage = stage WHERE external_id = $1")
        .bind(&external)
        .execute(&mut *conn)
        .await
        .map_err(q("lock a thread's deal"))?;
    const UNTOUCHED: &str = "NOT EXISTS (SELECT 1 FROM deal_stage_history h \
         WHERE h.deal_id = deals.id AND h.changed_by <> $2)";
    let Some(deal) = &a.deal else {
        sqlx::query(&format!(
            "DELETE FROM deals WHERE external_id = $1 AND outcome = 'open' AND {UNTOUCHED}"
        ))
        .bind(&external)
        .bind(ANALYSIS_AUTHOR)
        .execute(&mut *conn)
        .await
        .map_err(q("remove the deal of a spam thread"))?;
        return Ok(());
    };
    let existing: Option<i64> = sqlx::query("SELECT id FROM deals WHERE external_id = $1")
        .bind(&external)
        .fetch_optional(&mut *conn)
        .await
        .map_err(q("find a thread's deal"))?
        .map(|r| r.try_get("id"))
        .transpose()
        .map_err(q("find a thread's deal"))?;
    let changed: Option<i64> = match existing {
        None => {
            let row = sqlx::query(
                "INSERT INTO deals (external_id, thread_id, company, country, source, product, \
                 owner_user_id, created, stage, outcome, amount, currency, quantity) \
                 SELECT $1, t.id, $2, $3, 'inquiry', $4, t.owner_user_id, \
                 SUBSTR(COALESCE(t.first_at, t.created_at), 1, 10), $5, 'open', $6, $7, $8 \
                 FROM threads t WHERE t.id = $9 ON CONFLICT (external_id) DO NOTHING RETURNING id",
            )
            .bind(&external)
            .bind(&a.company)
            .bind(&a.country)
            .bind(&deal.product)
            .bind(&a.stage)
            .bind(deal.amount)
            .bind(&deal.currency)
            .bind(deal.quantity)
            .bind(thread_id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(q("open a deal for an inquiry"))?;
            row.map(|r| r.try_get("id"))
                .transpose()
                .map_err(q("open a deal for an inquiry"))?
        }
        Some(id) => {
            sqlx::query(
                "UPDATE deals SET company = COALESCE(company, $1), country = COALESCE(country, $2), \
                 product = COALESCE(product, $3), quantity = COALESCE(quantity, $4), \
                 currency = CASE WHEN amount IS NULL THEN $5 ELSE currency END, \
                 amount = COALESCE(amount, $6) WHERE id = $7 AND outcome = 'open'",
            )
            .bind(&a.company)
            .bind(&a.country)
            .bind(&deal.product)
            .bind(deal.quantity)
            .bind(&deal.currency)
            .bind(deal.amount)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(q("update a thread's deal"))?;
            let moved = sqlx::query(&format!(
                "UPDATE deals SET stage = $1 WHERE id = $3 AND outcome = 'open' AND stage <> $1 \
                 AND {UNTOUCHED}"
            ))
            .bind(&a.stage)
            .bind(ANALYSIS_AUTHOR)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(q("move a thread's deal"))?;
            (moved.rows_affected() > 0).then_some(id)
        }
    };
    if let Some(id) = changed {
        sqlx::query(
            "INSERT INTO deal_stage_history (deal_id, stage, changed_at, changed_by) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&a.stage)
        .bind(now)
        .bind(ANALYSIS_AUTHOR)
        .execute(&mut *conn)
        .await
        .map_err(q("record a thread deal's stage"))?;
    }
    Ok(())
}

pub(crate) async fn latest_analysis(
    pool: &Pool<Db>,
    thread_id: i64,
) -> Result<Option<serde_json::Value>> {
    let row = sqlx::query(
        "SELECT result_json FROM analyses WHERE thread_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(thread_id)
    .fetch_optional(pool)
    .await
    .map_err(q("read analysis"))?;
    let Some(row) = row else { return Ok(None) };
    let json: String = row.try_get("result_json").map_err(q("read analysis"))?;
    serde_json::from_str(&json)
        .map(Some)
        .map_err(corrupt("analyses"))
}

pub(crate) async fn unanalysed_threads(
    pool: &Pool<Db>,
    limit: i64,
    version: &str,
) -> Result<Vec<i64>> {
    sqlx::query(
        "SELECT t.id FROM threads t WHERE NOT EXISTS \
         (SELECT 1 FROM analyses a WHERE a.thread_id = t.id AND a.analyzer_version = $2) \
         ORDER BY t.id LIMIT $1",
    )
    .bind(limit.max(1))
    .bind(version)
    .fetch_all(pool)
    .await
    .map_err(q("find unanalysed threads"))?
    .iter()
    .map(|r| r.try_get("id").map_err(q("read thread id")))
    .collect()
}

pub(crate) async fn set_lead_score(
    pool: &Pool<Db>,
    thread_id: i64,
    score: Option<f64>,
) -> Result<()> {
    sqlx::query("UPDATE threads SET lead_score = $1 WHERE id = $2")
        .bind(score)
        .bind(thread_id)
        .execute(pool)
        .await
        .map_err(q("set lead score"))?;
    Ok(())
}

pub(crate) async fn save_report(pool: &Pool<Db>, r: &NewReport) -> Result<i64> {
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin report"))?;
    let id: i64 = sqlx::query(
        "INSERT INTO reports (target, thread_id, fit_score, risk_score, result_json, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&r.target)
    .bind(r.thread_id)
    .bind(r.fit_score)
    .bind(r.risk_score)
    .bind(r.result.to_string())
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .map_err(q("save report"))?
    .try_get("id")
    .map_err(q("save report"))?;
    if let Some(thread) = r.thread_id {
        sqlx::query("UPDATE threads SET fit_score = $1, risk_score = $2 WHERE id = $3")
            .bind(r.fit_score)
            .bind(r.risk_score)
            .bind(thread)
            .execute(&mut *tx)
            .await
            .map_err(q("copy report to thread"))?;
    }
    tx.commit().await.map_err(q("commit report"))?;
    Ok(id)
}

pub(crate) async fn latest_report(pool: &Pool<Db>, thread_id: i64) -> Result<Option<StoredReport>> {
    let row = sqlx::query(
        "SELECT id, target, thread_id, fit_score, risk_score, result_json, created_at FROM reports \
         WHERE thread_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(thread_id)
    .fetch_optional(pool)
    .await
    .map_err(q("read report"))?;
    let Some(row) = row else { return Ok(None) };
    let json: String = row.try_get("result_json").map_err(q("read report"))?;
    Ok(Some(StoredReport {
        id: row.try_get("id").map_err(q("read report"))?,
        target: row.try_get("target").map_err(q("read report"))?,
        thread_id: row.try_get("thread_id").map_err(q("read report"))?,
        fit_score: row.try_get("fit_score").map_err(q("read report"))?,
        risk_score: row.try_get("risk_score").map_err(q("read report"))?,
        result: serde_json::from_str(&json).map_err(corrupt("reports"))?,
        created_at: row.try_get("created_at").map_err(q("read report"))?,
    }))
}

pub(crate) async fn upsert_catalogue(
    pool: &Pool<Db>,
    products: &[CatalogueProduct],
) -> Result<(u64, u64)> {
    let now = now();
    let mut tx = pool
        .begin_with(super::super::BEGIN_WRITE)
        .await
        .map_err(q("begin catalogue import"))?;
    let (mut added, mut updated) = (0, 0);
    for p in products {
        let known = sqlx::query("SELECT id FROM catalog_products WHERE sku = $1")
            .bind(&p.sku)
            .fetch_optional(&mut *tx)
            .await
            .map_err(q("look up product"))?
            .is_some();
        let specs = serde_json::to_string(&p.specs).map_err(corrupt("catalogue"))?;
        sqlx::query(
            "INSERT INTO catalog_products (sku, name, category, price, currency, moq, lead_time_days, \
             certifications, description, specs_json, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (sku) DO UPDATE SET name = excluded.name, category = excluded.category, \
             price = excluded.price, currency = excluded.currency, moq = excluded.moq, \
             lead_time_days = excluded.lead_time_days, certifications = excluded.certifications, \
             description = excluded.description, specs_json = excluded.specs_json, \
             updated_at = excluded.updated_at",
        )
        .bind(&p.sku)
        .bind(&p.name)
        .bind(&p.category)
        .bind(p.price)
        .bind(&p.currency)
        .bind(p.moq)
        .bind(p.lead_time_days.map(|d| d.round() as i64))
        .bind(p.certifications.join("\n"))
        .bind(&p.description)
        .bind(specs)
        .bind(&now)
        .execute(&mut *tx)
        .await
        .map_err(q("store product"))?;
        if known {
            updated += 1;
        } else {
            added += 1;
        }
    }
    // A new version for every import that stored something, in the same transaction: a
    // cache of the catalogue is good exactly while this stays the same.
    if !products.is_empty() {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ('catalogue_version', '1') \
             ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT)",
        )
        .execute(&mut *tx)
        .await
        .map_err(q("count catalogue version"))?;
    }
    tx.commit().await.map_err(q("commit catalogue import"))?;
    Ok((added, updated))
}

pub(crate) async fn catalogue_version(pool: &Pool<Db>) -> Result<String> {
    let row = sqlx::query("SELECT value FROM settings WHERE key = 'catalogue_version'")
        .fetch_optional(pool)
        .await
        .map_err(q("read catalogue version"))?;
    match row {
        Some(r) => r.try_get("value").map_err(q("read catalogue version")),
        None => Ok("0".to_string()),
    }
}

pub(crate) async fn catalogue(pool: &Pool<Db>) -> Result<Vec<CatalogueProduct>> {
    let rows = sqlx::query(
        "SELECT sku, name, category, price, currency, moq, lead_time_days, certifications, \
         description, specs_json FROM catalog_products ORDER BY sku",
    )
    .fetch_all(pool)
    .await
    .map_err(q("read catalogue"))?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let certs: String = r.try_get("certifications").map_err(q("read product"))?;
        let specs: String = r.try_get("specs_json").map_err(q("read product"))?;
        let lead: Option<i64> = r.try_get("lead_time_days").map_err(q("read product"))?;
        let mut product = CatalogueProduct::default();
        product.sku = r.try_get("sku").map_err(q("read product"))?;
        product.name = r.try_get("name").map_err(q("read product"))?;
        product.category = r.try_get("category").map_err(q("read product"))?;
        product.price = r.try_get("price").map_err(q("read product"))?;
        product.currency = r.try_get("currency").map_err(q("read product"))?;
        product.moq = r.try_get("moq").map_err(q("read product"))?;
        product.lead_time_days = lead.map(|d| d as f64);
        product.certifications = certs
            .lines()
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        product.description = r.try_get("description").map_err(q("read product"))?;
        product.specs = serde_json::from_str(&specs).map_err(corrupt("catalogue"))?;
        out.push(product);
    }
    Ok(out)
}

pub(crate) async fn list_deals(pool: &Pool<Db>, filter: &DealFilter) -> Result<Vec<DealRow>> {
    let mut clauses = Vec::new();
    if filter.owner_user_id.is_some() {
        clauses.push("owner_user_id = $1".to_string());
    }
    if filter.outcome.is_some() {
        clauses.push(format!("outcome = ${}", clauses.len() + 1));
    }
    let limit_at = clauses.len() + 1;
    let sql = format!(
        "SELECT external_id, id, company, country, source, product, salesperson, owner_user_id, thread_id, \
         created, closed, stage, outcome, loss_reason, amount, currency FROM deals {} \
         ORDER BY created DESC, id DESC LIMIT ${limit_at}",
        if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        }
    );
    let mut query = sqlx::query(&sql);
    if let Some(owner) = filter.owner_user_id {
        query = query.bind(owner);
    }
    if let Some(outcome) = &filter.outcome {
        query = query.bind(outcome);
    }
    let limit = if filter.limit <= 0 {
        500
    } else {
        filter.limit.min(10_000)
    };
    let rows = query
        .bind(limit)
        .fetch_all(pool)
        .await
        .map_err(q("list deals"))?;
    let e = || q("read deal");
    rows.iter()
        .map(|r| {
            let ext: Option<String> = r.try_get("external_id").map_err(e())?;
            let id: i64 = r.try_get("id").map_err(e())?;
            Ok(DealRow {
                id: ext.unwrap_or_else(|| id.to_string()),
                company: r.try_get("company").map_err(e())?,
                country: r.try_get("country").map_err(e())?,
                source: r.try_get("source").map_err(e())?,
                product: r.try_get("product").map_err(e())?,
                salesperson: r.try_get("salesperson").map_err(e())?,
                owner_user_id: r.try_get("owner_user_id").map_err(e())?,
                thread_id: r.try_get("thread_id").map_err(e())?,
                created: r.try_get("created").map_err(e())?,
                closed: r.try_get("closed").map_err(e())?,
                stage: r.try_get("stage").map_err(e())?,
                outcome: r.try_get("outcome").map_err(e())?,
                loss_reason: r.try_get("loss_reason").map_err(e())?,
                amount: r.try_get("amount").map_err(e())?,
                currency: r.try_get("currency").map_err(e())?,
            })
        })
        .collect()
}

pub(crate) async fn deal_owner(pool: &Pool<Db>, id: &str) -> Result<Option<Option<i64>>> {
    sqlx::query("SELECT owner_user_id FROM deals WHERE external_id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(q("find deal owner"))?
        .map(|r| r.try_get("owner_user_id").map_err(q("read deal owner")))
        .transpose()
}

pub(crate) async fn assign_deal_owners(pool: &Pool<Db>) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE deals SET owner_user_id = (SELECT u.id FROM users u WHERE u.name = deals.salesperson) \
         WHERE owner_user_id IS NULL AND salesperson IS NOT NULL \
         AND EXISTS (SELECT 1 FROM users u WHERE u.name = deals.salesperson)",
    )
    .execute(pool)
    .await
    .map_err(q("assign deal owners"))?;
    Ok(done.rows_affected())
}
