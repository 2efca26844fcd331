//! Upgrading a database that already holds data. Most migrations only add;
//! 0026 (issue 22) rebuilds `articles` on SQLite (a CHECK constraint cannot
//! be altered there) and rebuilds `delivery_slots` on both engines from the
//! delivered order lines. A database migrated through 0025 and filled with
//! a delivered, a late and an open line is upgraded, and what was there must
//! come through: the articles with their ids and search index, the foreign
//! keys still enforced, the counts now split by agreement area and principal,
//! and the triggers counting the next delivery.

use ramp_storage::{db, ArticleQuery, SqlStorage, Storage};
use ramp_storage_postgres::PostgresStorage;
use ramp_storage_sqlite::SqliteStorage;
use ramp_testkit::{fresh_url, Engine};
use std::path::{Path, PathBuf};

/// The last migration before the one under test.
const BEFORE: i64 = 25;

/// Two principals and their units, two articles in areas of different
/// agreement areas, and three lines: delivered on time (the region's unit),
/// delivered late (Lidingö's unit, a municipality pays), still open.
const ROWS: &[&str] = &[
    "INSERT INTO principals (id, code, name, kind) VALUES (1, 'region', 'Region', 'region'), (2, '0186', 'Lidingö stad', 'municipality')",
    "INSERT INTO customer_numbers (id, number, principal_id, name) VALUES (1, 'K1', 1, 'Region'), (2, 'K2', 2, 'Lidingö')",
    "INSERT INTO units (id, principal_id, hsa_id, name, kind, customer_number_id) VALUES (1, 1, 'H1', 'Vårdcentralen', 'primary_care', 1), (2, 2, 'H2', 'Hemtjänst', 'home_care', 2)",
    "INSERT INTO suppliers (id, name) VALUES (1, 'Etac Sverige AB')",
    "INSERT INTO product_areas (code, name_sv, name_en, drug_adjacent) VALUES ('mobility', 'Förflyttning', 'Mobility', FALSE), ('medical', 'Medicinsk behandling', 'Medical treatment', TRUE)",
    "INSERT INTO articles (id, article_number, iso_code, name, search_text, supplier_id, purchase_price_ore, kind, billing, lead_time_class, service_life_months, reconditionable, product_area, valid_from) VALUES (7, 'K-100', '093006', 'Inkontinensskydd', 'inkontinensskydd k-100', 1, 100, 'consumable', 'sale', 'stock_7', 0, FALSE, 'mobility', '2020-01-01'), (9, 'K-700', '043303', 'Sårvårdsförband', 'sårvårdsförband k-700', 1, 100, 'consumable', 'sale', 'stock_7', 0, FALSE, 'medical', '2020-01-01')",
    "INSERT INTO users (id, username, display_name, principal_id, created_at) VALUES (1, 'lager', 'Lager', 1, '2026-01-01T00:00:00+00:00')",
    "INSERT INTO orders (id, target, unit_id, created_by, status, created_at, updated_at) VALUES (1, 'unit', 1, 1, 'registered', '2026-10-01T09:00:00+00:00', '2026-10-01T09:00:00+00:00'), (2, 'unit', 2, 1, 'delivered', '2026-10-01T09:00:00+00:00', '2026-10-01T09:00:00+00:00')",
    "INSERT INTO order_lines (id, order_id, line_no, article_id, requested_article_id, substitution, quantity, payer, customer_number_id, rule_id, agreement_version, explanation_sv, explanation_en, trust_prescription, lead_time_class, promised_date, state, delivered_at) VALUES (1, 1, 1, 7, 7, 'none', 1, 'region', 1, 'r', '2021-01-01', 'x', 'x', FALSE, 'stock_7', '2026-10-08', 'delivered', '2026-10-07T09:00:00+00:00'), (2, 2, 1, 9, 9, 'none', 1, 'municipality', 2, 'r', '2021-01-01', 'x', 'x', FALSE, 'stock_7', '2026-10-08', 'delivered', '2026-10-09T09:00:00+00:00'), (3, 1, 2, 9, 9, 'none', 1, 'region', 1, 'r', '2021-01-01', 'x', 'x', FALSE, 'stock_7', '2026-10-08', 'open', NULL)",
];

fn migrations(engine: Engine) -> PathBuf {
    let tree = match engine {
        Engine::Sqlite => "../storage-sqlite/migrations",
        Engine::Postgres => "../storage-postgres/migrations",
    };
    Path::new(env!("CARGO_MANIFEST_DIR")).join(tree)
}

/// A copy of the engine's migrations through `last`, for a migrator that stops there.
pub(crate) fn migrations_through(engine: Engine, last: i64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ramp-upgrade-{}-{engine:?}-{last}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the migration copy");
    for entry in std::fs::read_dir(migrations(engine)).expect("read migrations") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let version: i64 = name.split('_').next().and_then(|v| v.parse().ok()).unwrap_or(i64::MAX);
        if version <= last {
            std::fs::copy(&path, dir.join(&name)).expect("copy a migration");
        }
    }
    dir
}

/// A database of `engine` migrated through [`BEFORE`] and filled with [`ROWS`].
async fn old_database(engine: Engine) -> SqlStorage {
    let url = fresh_url(engine).await;
    let storage = match engine {
        Engine::Sqlite => SqliteStorage::connect(&url).await.expect("open sqlite"),
        Engine::Postgres => PostgresStorage::connect(&url, 2).await.expect("connect postgres"),
    };
    let dir = migrations_through(engine, BEFORE);
    let old = sqlx::migrate::Migrator::new(dir.as_path()).await.expect("the old migrations");
    match storage.pool() {
        db::Pool::Sqlite(p) => old.run(p).await,
        db::Pool::Postgres(p) => old.run(p).await,
    }
    .expect("migrate through 0025");
    let _ = std::fs::remove_dir_all(&dir);
    for sql in ROWS {
        db::query(*sql).execute(storage.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }
    storage
}

/// `delivery_slots` as (payer, area, principal id, lines, on time by the day).
async fn slots(s: &SqlStorage) -> Vec<(String, String, i64, i64, i64)> {
    let sql = "SELECT payer, area, principal_id, lines, from_day FROM delivery_slots ORDER BY utc_day, payer";
    let rows = db::query(sql).fetch_all(s.pool()).await.expect("read slots");
    rows.iter()
        .map(|r| {
            (
                r.try_get("payer").unwrap(),
                r.try_get("area").unwrap(),
                r.try_get("principal_id").unwrap(),
                r.try_get("lines").unwrap(),
                r.try_get("from_day").unwrap(),
            )
        })
        .collect()
}

async fn an_upgrade_keeps_the_articles_and_recounts_deliveries_by_area_and_principal(engine: Engine) {
    // Arrange
    let s = old_database(engine).await;

    // Act
    Storage::migrate(&s).await.expect("upgrade to the current schema");

    // Assert: the product areas got their agreement area from drug_adjacent …
    let areas =
        db::query("SELECT code, agreement_area FROM product_areas ORDER BY code").fetch_all(s.pool()).await.unwrap();
    let areas: Vec<(String, String)> =
        areas.iter().map(|r| (r.try_get("code").unwrap(), r.try_get("agreement_area").unwrap())).collect();
    assert_eq!(areas, [("medical".into(), "overenskommelsen".into()), ("mobility".into(), "cooperation".into())]);
    // … the counts were rebuilt from the delivered lines: the area is the article's, not the payer's …
    let expected = vec![
        ("region".to_string(), "cooperation".to_string(), 1, 1, 1),
        ("municipality".to_string(), "overenskommelsen".to_string(), 2, 1, 0),
    ];
    assert_eq!(slots(&s).await, expected);
    // … the articles kept their ids and rows, the search index still finds them …
    let ids = db::query("SELECT id FROM articles ORDER BY id").fetch_all(s.pool()).await.unwrap();
    assert_eq!(ids.iter().map(|r| r.try_get::<i64, _>("id").unwrap()).collect::<Vec<_>>(), [7, 9]);
    let query = ArticleQuery { words: vec!["sårvård".into()], iso_prefix: None, limit: 10 };
    let found = Storage::search_articles(&s, &query).await.expect("search");
    assert_eq!(found.iter().map(|h| h.article.id).collect::<Vec<_>>(), [9]);
    // … the foreign keys still hold (a referenced article cannot go) and the new class is allowed …
    let mut tx = s.dialect().begin().await.expect("begin");
    let refused = db::query("DELETE FROM articles WHERE id = 9").execute(&mut *tx).await;
    assert!(refused.is_err(), "order lines refer to K-700");
    drop(tx);
    let mut tx = s.dialect().begin().await.expect("begin");
    db::query("UPDATE articles SET lead_time_class = 'stock_4' WHERE id = 9").execute(&mut *tx).await.expect("stock_4");
    // … and the triggers count the next delivery in its area and principal (its order picked, then
    // delivered: migration 0033 refuses a line delivered with its order still registered, 0051 a line
    // not picked).
    for status in ["picked", "delivered"] {
        db::query("UPDATE orders SET status = $1 WHERE id = 1").bind(status).execute(&mut *tx).await.expect(status);
    }
    db::query("UPDATE order_lines SET picked_at = $1 WHERE id = 3")
        .bind(chrono::DateTime::parse_from_rfc3339("2026-10-09T09:00:00+00:00").unwrap().to_utc())
        .execute(&mut *tx)
        .await
        .expect("pick the open line");
    db::query("UPDATE order_lines SET state = 'delivered', delivered_at = $1 WHERE id = 3")
        .bind(chrono::DateTime::parse_from_rfc3339("2026-10-10T09:00:00+00:00").unwrap().to_utc())
        .execute(&mut *tx)
        .await
        .expect("deliver the open line");
    tx.commit().await.expect("commit");
    let after = slots(&s).await;
    assert_eq!(after.len(), 3);
    assert_eq!(after[2], ("region".into(), "overenskommelsen".into(), 1, 1, 0));
    // The orders placed before migration 0040 were counted per channel by its backfill.
    let kept: i64 = db::query("SELECT COUNT(*) AS n FROM order_channel_slots")
        .fetch_one(s.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert!(kept > 0, "the old orders are counted");
    // (The hand-made old orders have no events; only the kept counts are checked here:
    // migrations 0040 and 0041.)
    let violations = Storage::invariant_violations(&s).await.unwrap();
    assert!(!violations.iter().any(|(what, _)| what.contains("kept count")), "{violations:?}");
}

#[tokio::test]
async fn sqlite_an_upgrade_keeps_the_articles_and_recounts_deliveries_by_area_and_principal() {
    an_upgrade_keeps_the_articles_and_recounts_deliveries_by_area_and_principal(Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_an_upgrade_keeps_the_articles_and_recounts_deliveries_by_area_and_principal() {
    an_upgrade_keeps_the_articles_and_recounts_deliveries_by_area_and_principal(Engine::Postgres).await;
}
