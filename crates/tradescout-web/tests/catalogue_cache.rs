//! The catalogue is prepared for matching once per stored version and shared by every brief.

mod common;

use common::R;
use std::sync::Arc;
use tradescout_coach::Catalogue;
use tradescout_web::engine::CatalogueCache;

const FIRST: &[u8] = b"sku,name,price,currency\nFL100,LED flood light 100W,9.5,USD\n";
const MORE: &[u8] = b"sku,name,price,currency\nHB150,UFO high bay 150W,21,USD\n";
const CHANGED: &[u8] = b"sku,name,price,currency\nFL100,LED flood light 100W IP66,9.9,USD\n";

async fn one_preparation_per_version(backend: &str) -> R {
    let Some((store, _dir)) = common::store(backend).await? else {
        return Ok(());
    };
    let cache = CatalogueCache::default();
    let empty = cache.get(store.as_ref()).await?;
    assert!(empty.products.is_empty());
    store
        .upsert_catalogue(&Catalogue::read(FIRST)?.products)
        .await?;
    let first = cache.get(store.as_ref()).await?;
    assert_eq!(first.products.len(), 1);
    assert!(
        Arc::ptr_eq(&first, &cache.get(store.as_ref()).await?),
        "the same version is prepared once"
    );
    store
        .upsert_catalogue(&Catalogue::read(MORE)?.products)
        .await?;
    let more = cache.get(store.as_ref()).await?;
    assert_eq!(more.products.len(), 2, "a product added is seen");
    // An edit of a known product (same count, same ids, the same second) is seen too.
    store
        .upsert_catalogue(&Catalogue::read(CHANGED)?.products)
        .await?;
    let changed = cache.get(store.as_ref()).await?;
    assert!(!Arc::ptr_eq(&more, &changed));
    assert!(changed
        .products
        .iter()
        .any(|p| p.name == "LED flood light 100W IP66"));
    Ok(())
}

#[tokio::test]
async fn sqlite() -> R {
    one_preparation_per_version("sqlite").await
}

#[tokio::test]
async fn postgres() -> R {
    one_preparation_per_version("postgres").await
}
