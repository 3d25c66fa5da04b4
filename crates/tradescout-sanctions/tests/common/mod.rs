//! Assertions shared by the screening tests, each against the test file's own lists.

use tradescout_sanctions::{ScreenOptions, Screener};

/// `query` hits list entry `entry_id`.
#[track_caller]
pub fn assert_hit_in(screener: &Screener, query: &str, entry_id: &str) {
    let hits = screener.screen(query, &ScreenOptions::default());
    assert!(
        hits.iter().any(|h| h.entry_id == entry_id),
        "{query:?} should hit {entry_id}, got {hits:#?}"
    );
}

/// `query` hits nothing.
#[track_caller]
pub fn assert_no_hit_in(screener: &Screener, query: &str) {
    let hits = screener.screen(query, &ScreenOptions::default());
    assert!(hits.is_empty(), "{query:?} should not hit, got {hits:#?}");
}
