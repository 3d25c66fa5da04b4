//! `tradescout catalog`: store the seller's product catalogue (CSV or XLSX) the way the web
//! app's upload does — added or updated by SKU, bad rows named by row and column and the rest
//! kept —, list what is stored, and hand `coach` the stored catalogue when no `--catalog FILE`
//! is named.

use crate::cli::{CatalogCommand, TextOrJson};
use crate::failure::Failure;
use serde::Serialize;
use std::path::Path;
use tradescout_coach::{Catalogue, CatalogueProduct, RowProblem};
use tradescout_core::{tr, Lang};
use tradescout_store::Store;

pub async fn run(store: &dyn Store, command: &CatalogCommand, lang: Lang) -> Result<(), Failure> {
    match command {
        CatalogCommand::Import { file, format } => import(store, file, *format, lang).await,
        CatalogCommand::List { format, limit } => list(store, *format, *limit, lang).await,
    }
}

/// What `catalog import --format json` prints.
#[derive(Debug, Serialize)]
struct ImportReport {
    /// Products stored from the file (added + updated).
    stored: u64,
    added: u64,
    updated: u64,
    failed: Vec<FailedRow>,
}

/// A row left out, as a spreadsheet numbers it (the header is row 1).
#[derive(Debug, Serialize)]
struct FailedRow {
    row: usize,
    /// The column's header; `null` when the row as a whole could not be read.
    column: Option<String>,
    reason: String,
}

/// Reads and parses a catalogue file (CSV or XLSX); a file that cannot be read or parsed is
/// bad input, named. Rows with problems are in the catalogue's `rejected`.
pub fn read_file(path: &Path, lang: Lang) -> Result<Catalogue, Failure> {
    let input = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::input(tr(
            lang,
            "error.read_input",
            &[("input", &input), ("reason", &e)],
        ))
    })?;
    Catalogue::read(&bytes).map_err(|e| {
        Failure::input(tr(
            lang,
            "coach.catalog_error",
            &[("input", &input), ("reason", &e.describe(lang))],
        ))
    })
}

async fn import(
    store: &dyn Store,
    file: &Path,
    format: TextOrJson,
    lang: Lang,
) -> Result<(), Failure> {
    let input = file.display().to_string();
    // Parsing 10,000 rows is CPU work; keep it off the async workers.
    let path = file.to_path_buf();
    let catalogue = tokio::task::spawn_blocking(move || read_file(&path, lang))
        .await
        .map_err(|e| Failure::runtime(e.to_string()))??;
    let failed: Vec<FailedRow> = catalogue
        .rejected
        .iter()
        .map(|r| FailedRow {
            row: r.row,
            column: r.column.clone(),
            reason: row_reason(lang, &r.problem),
        })
        .collect();
    if catalogue.products.is_empty() {
        return Err(Failure::input(tr(
            lang,
            "catalog.nothing_read",
            &[("input", &input), ("failed", &failed.len())],
        )));
    }
    let (added, updated) = store
        .upsert_catalogue(&catalogue.products)
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let report = ImportReport {
        stored: added + updated,
        added,
        updated,
        failed,
    };
    if format == TextOrJson::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
        return Ok(());
    }
    for f in &report.failed {
        eprintln!(
            "tradescout: {}",
            tr(
                lang,
                "coach.catalog_row",
                &[
                    ("input", &input),
                    ("row", &f.row),
                    ("column", &f.column.as_deref().unwrap_or("—")),
                    ("reason", &f.reason),
                ],
            )
        );
    }
    println!(
        "{}",
        tr(
            lang,
            "catalog.import_summary",
            &[
                ("input", &input),
                ("stored", &report.stored),
                ("added", &report.added),
                ("updated", &report.updated),
                ("failed", &report.failed.len()),
            ],
        )
    );
    Ok(())
}

/// What `catalog list --format json` prints.
#[derive(Debug, Serialize)]
struct ListReport<'a> {
    count: usize,
    products: &'a [CatalogueProduct],
}

async fn list(
    store: &dyn Store,
    format: TextOrJson,
    limit: Option<usize>,
    lang: Lang,
) -> Result<(), Failure> {
    let products = store
        .catalogue()
        .await
        .map_err(|e| Failure::store(lang, &e))?;
    let shown = &products[..limit.unwrap_or(usize::MAX).min(products.len())];
    if format == TextOrJson::Json {
        let report = ListReport {
            count: products.len(),
            products: shown,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
        return Ok(());
    }
    if products.is_empty() {
        println!("{}", tr(lang, "catalog.list_empty", &[]));
        return Ok(());
    }
    println!("{}", tr(lang, "catalog.list_head", &[]));
    for p in shown {
        println!("{}", line(p));
    }
    println!(
        "{}",
        tr(
            lang,
            "catalog.list_count",
            &[("shown", &shown.len()), ("count", &products.len())],
        )
    );
    Ok(())
}

/// A cell a spreadsheet would run as a formula (`=cmd|…`, `+`, `-`, `@`, or a leading tab or
/// carriage return) is printed as text: a leading apostrophe, as spreadsheets themselves write.
pub(crate) fn spreadsheet_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// One product as a tab-separated line: SKU, name, category, price, MOQ, lead time, marks.
fn line(p: &CatalogueProduct) -> String {
    let dash = || "—".to_string();
    let number = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_else(dash);
    let price = match (p.price, &p.currency) {
        (Some(x), Some(c)) => format!("{x} {c}"),
        (x, _) => number(x),
    };
    let cell = |s: &str| spreadsheet_safe(&s.replace(['\t', '\n', '\r'], " "));
    [
        cell(&p.sku),
        cell(&p.name),
        p.category.as_deref().map(cell).unwrap_or_else(dash),
        price,
        number(p.moq),
        number(p.lead_time_days),
        if p.certifications.is_empty() {
            dash()
        } else {
            cell(&p.certifications.join(";"))
        },
    ]
    .join("\t")
}

/// Why a row was left out, in the user's language.
pub fn row_reason(lang: Lang, problem: &RowProblem) -> String {
    match problem {
        RowProblem::Empty => tr(lang, "coach.catalog_empty", &[]),
        RowProblem::NotANumber(v) => tr(lang, "coach.catalog_not_number", &[("value", v)]),
        RowProblem::Unreadable(r) => r.clone(),
    }
}

/// The stored catalogue for `coach` when no `--catalog FILE` is named: `None` when nothing is
/// stored, or when no database was named and the default one does not exist yet (coaching
/// must not create a database as a side effect).
pub fn stored(db_url: Option<&str>, lang: Lang) -> Result<Option<Catalogue>, Failure> {
    let url = match db_url {
        Some(url) => url.to_string(),
        None => {
            if !crate::config::data_dir().join("tradescout.sqlite").exists() {
                return Ok(None);
            }
            crate::config::default_db_url()
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::runtime(e.to_string()))?;
    let products = runtime
        .block_on(async {
            let store = tradescout_store::open(&url).await?;
            store.catalogue().await
        })
        .map_err(|e| Failure::store(lang, &e))?;
    Ok((!products.is_empty()).then(|| Catalogue::from_products(products)))
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formula_cells_are_printed_as_text() {
        assert_eq!(
            spreadsheet_safe("=cmd|' /C calc'!A0"),
            "'=cmd|' /C calc'!A0"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("LED flood light"), "LED flood light");
    }
}
