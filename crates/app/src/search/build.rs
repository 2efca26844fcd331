//! Reading the catalog into the index: all of it, or the changed articles.

use super::Labels;
use crate::error::Result;
use crate::App;
use ramp_model::{Id, IndexedArticle};
use ramp_search::{GroupRef, SearchDoc};
use std::collections::HashMap;

/// Articles read per query while building.
const BATCH: i64 = 5_000;

fn doc(a: IndexedArticle, labels: &mut Labels) -> SearchDoc {
    labels.suppliers.insert(a.article.supplier_id, a.article.supplier_name.clone());
    let group = a.group.map(|g| {
        labels.groups.insert(g.id, (g.code.clone(), g.name.clone()));
        GroupRef { id: g.id, code: g.code, name: g.name }
    });
    let area_name = labels.areas.get(&a.article.product_area).map(|(sv, _)| sv.clone()).unwrap_or_default();
    SearchDoc { article: a.article, group, area_name }
}

async fn area_names(app: &App) -> Result<HashMap<String, (String, String)>> {
    Ok(app.storage.product_areas().await?.into_iter().map(|a| (a.code, (a.name_sv, a.name_en))).collect())
}

/// Reads every article, in id order and in batches, into a fresh index.
pub(super) async fn rebuild(app: &App) -> Result<()> {
    let started = std::time::Instant::now();
    let search = &app.search;
    let mut labels = Labels { areas: area_names(app).await?, ..Labels::default() };
    search.index.clear()?;
    let mut after: Id = 0;
    loop {
        let rows = app.storage.articles_for_index(after, BATCH).await?;
        let Some(last) = rows.last() else { break };
        after = last.article.id;
        let docs: Vec<SearchDoc> = rows.into_iter().map(|a| doc(a, &mut labels)).collect();
        search.index.add(&docs)?;
    }
    search.index.commit()?;
    search.index.merge_segments()?;
    *search.labels.write().expect("lock") = std::sync::Arc::new(labels);
    refresh_stock(app).await?;
    tracing::info!(
        articles = search.index.len(),
        segments = search.index.segments(),
        ms = started.elapsed().as_millis() as u64,
        "search index built"
    );
    Ok(())
}

/// Re-reads the given articles and replaces them in the index; ids no
/// longer in the database are removed.
pub(super) async fn apply(app: &App, ids: &[Id]) -> Result<()> {
    let rows = app.storage.articles_for_index_by_ids(ids).await?;
    let gone: Vec<Id> = ids.iter().copied().filter(|id| !rows.iter().any(|r| r.article.id == *id)).collect();
    let mut labels = Labels::clone(&app.search.labels());
    labels.areas = area_names(app).await?;
    let docs: Vec<SearchDoc> = rows.into_iter().map(|a| doc(a, &mut labels)).collect();
    app.search.index.upsert(&docs, &gone)?;
    *app.search.labels.write().expect("lock") = std::sync::Arc::new(labels);
    Ok(())
}

/// Reads how many devices of each article are in stock now (the snapshot).
pub(super) async fn refresh_stock(app: &App) -> Result<()> {
    let now = app.clock.now();
    let counts = app.storage.in_stock_counts().await?;
    app.search.index.set_stock(counts);
    *app.search.stock_at.write().expect("lock") = Some(now);
    Ok(())
}
