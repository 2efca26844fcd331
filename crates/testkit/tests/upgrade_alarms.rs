//! Migration 0032 (issue 21) on a database that already holds alarms: on
//! SQLite `alarms` is rebuilt (a CHECK constraint cannot be altered there),
//! on PostgreSQL its check is replaced. The alarms must come through with
//! their ids and columns, the indexes and foreign keys must still hold, a
//! silent-device alarm (no measurement) is now allowed, and a second one
//! for the same device that is not closed is refused.

use crate::upgrade::migrations_through;
use ramp_storage::{db, SqlStorage, Storage};
use ramp_storage_postgres::PostgresStorage;
use ramp_storage_sqlite::SqliteStorage;
use ramp_testkit::{fresh_url, Engine};

const BEFORE: i64 = 30;

const ROWS: &[&str] = &[
    "INSERT INTO principals (id, code, name, kind) VALUES (1, 'region', 'Region', 'region')",
    "INSERT INTO customer_numbers (id, number, principal_id, name) VALUES (1, 'K1', 1, 'Region')",
    "INSERT INTO units (id, principal_id, hsa_id, name, kind, customer_number_id) VALUES (1, 1, 'H1', 'Vårdcentralen', 'primary_care', 1)",
    "INSERT INTO suppliers (id, name) VALUES (1, 'Etac Sverige AB')",
    "INSERT INTO product_areas (code, name_sv, name_en, drug_adjacent, agreement_area) VALUES ('digital', 'Digitala', 'Digital', FALSE, 'digital')",
    "INSERT INTO articles (id, article_number, iso_code, name, search_text, supplier_id, purchase_price_ore, kind, billing, lead_time_class, service_life_months, reconditionable, product_area, valid_from) VALUES (20, 'BT-300', '042403', 'Blodtrycksmätare', 'blodtrycksmätare bt-300', 1, 100, 'main_device', 'rental', 'stock_7', 60, TRUE, 'digital', '2020-01-01')",
    "INSERT INTO users (id, username, display_name, principal_id, created_at) VALUES (1, 'anna', 'Anna', 1, '2026-01-01T00:00:00+00:00')",
    "INSERT INTO patients (id, personal_id, id_kind, birth_date, given_name, family_name, municipality_id, created_at) VALUES (1, '191212121212', 'personnummer', '1912-12-12', 'Tolvan', 'Tolvansson', 1, '2026-01-01T00:00:00+00:00')",
    "INSERT INTO devices (id, device_number, article_id, purchase_date, purchase_price_ore, state, patient_id, state_since) VALUES (20, 'DIG-0001', 20, '2024-01-01', 100, 'with_patient', 1, '2025-01-01T00:00:00+00:00')",
    "INSERT INTO measurements (id, device_id, patient_id, client_id, kind, measured_at, received_at, channel, values_json) VALUES (5, 20, 1, 'a', 'blood_pressure', '2026-11-23T08:55:00+00:00', '2026-11-23T09:00:00+00:00', 'http', '{\"systolic\":185}'), (6, 20, 1, 'b', 'blood_pressure', '2026-11-23T09:55:00+00:00', '2026-11-23T10:00:00+00:00', 'http', '{\"systolic\":190}')",
    "INSERT INTO alarms (id, patient_id, device_id, measurement_id, unit_id, reason, detail, state, raised_at, acknowledged_at, acknowledged_by, acknowledgement_note) VALUES (7, 1, 20, 5, 1, 'threshold', 'systolic 185 ≥ 180', 'acknowledged', '2026-11-23T09:00:00+00:00', '2026-11-23T09:10:00+00:00', 1, 'Ringt'), (8, 1, 20, 6, 1, 'threshold', 'systolic 190 ≥ 180', 'open', '2026-11-23T10:00:00+00:00', NULL, NULL, NULL)",
];

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
    .expect("migrate through 0030");
    let _ = std::fs::remove_dir_all(&dir);
    for sql in ROWS {
        db::query(*sql).execute(storage.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }
    storage
}

const SILENT: &str = "INSERT INTO alarms (patient_id, device_id, unit_id, reason, detail, state, raised_at) \
    VALUES (1, 20, 1, 'silent', 'silent 168 h', 'open', '2026-12-01T10:00:00+00:00')";

async fn an_upgrade_keeps_the_alarms_and_allows_one_silent_alarm_per_device(engine: Engine) {
    let s = old_database(engine).await;

    Storage::migrate(&s).await.expect("upgrade to the current schema");

    let rows =
        db::query("SELECT id, state, acknowledgement_note FROM alarms ORDER BY id").fetch_all(s.pool()).await.unwrap();
    let kept: Vec<(i64, String, Option<String>)> = rows
        .iter()
        .map(|r| (r.try_get("id").unwrap(), r.try_get("state").unwrap(), r.try_get("acknowledgement_note").unwrap()))
        .collect();
    assert_eq!(kept, [(7, "acknowledged".into(), Some("Ringt".into())), (8, "open".into(), None)]);
    db::query(SILENT).execute(s.pool()).await.expect("a silent alarm is allowed now");
    assert!(db::query(SILENT).execute(s.pool()).await.is_err(), "one silent alarm per device that is not closed");
    let orphan = "INSERT INTO alarms (patient_id, device_id, unit_id, reason, detail, state, raised_at, \
        acknowledged_at, closed_at) VALUES (99, 20, 1, 'silent', 'x', 'closed', '2026-12-01T10:00:00+00:00', \
        '2026-12-01T10:00:00+00:00', '2026-12-01T10:00:00+00:00')";
    assert!(db::query(orphan).execute(s.pool()).await.is_err(), "the foreign keys still hold");
    let fine = orphan.replace("(99,", "(1,");
    db::query(&fine).execute(s.pool()).await.expect("a closed silent alarm beside the open one");
    let twice =
        "INSERT INTO alarms (patient_id, device_id, measurement_id, unit_id, reason, detail, state, raised_at) \
        VALUES (1, 20, 5, 1, 'threshold', 'x', 'open', '2026-12-01T10:00:00+00:00')";
    assert!(db::query(twice).execute(s.pool()).await.is_err(), "one alarm per measurement still");
    if engine == Engine::Sqlite {
        let names =
            db::query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'alarms' ORDER BY name")
                .fetch_all(s.pool())
                .await
                .unwrap();
        let names: Vec<String> = names.iter().map(|r| r.try_get("name").unwrap()).collect();
        for index in ["alarms_one_silent", "alarms_open_idx", "alarms_patient_idx", "alarms_unit_idx"] {
            assert!(names.iter().any(|n| n == index), "{index} in {names:?}");
        }
    }
}

#[tokio::test]
async fn sqlite_an_upgrade_keeps_the_alarms_and_allows_one_silent_alarm_per_device() {
    an_upgrade_keeps_the_alarms_and_allows_one_silent_alarm_per_device(Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_an_upgrade_keeps_the_alarms_and_allows_one_silent_alarm_per_device() {
    an_upgrade_keeps_the_alarms_and_allows_one_silent_alarm_per_device(Engine::Postgres).await;
}
