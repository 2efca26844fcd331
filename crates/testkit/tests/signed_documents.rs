//! Issue 19: "signing with re-authentication" — what the prescriber signed
//! is what stands. The application has no way to change a signed
//! adaptation document; migration 0048's trigger refuses it on both engines
//! whatever path a write takes, while an unsigned document may still be
//! corrected. Written straight to the database, past the storage interface.

use chrono::NaiveDate;
use ramp_domain::work_order::WorkOrderKind;
use ramp_storage::{
    db, fixture, fixture_ordering, AdaptationSignature, NewAdaptationDocument, NewWorkOrder, SqlStorage, Storage,
    SupplyStore,
};
use ramp_storage_postgres::PostgresStorage;
use ramp_storage_sqlite::SqliteStorage;
use ramp_testkit::{fresh_url, test_now, Engine};

async fn storage(engine: Engine) -> SqlStorage {
    let url = fresh_url(engine).await;
    let s = match engine {
        Engine::Sqlite => SqliteStorage::connect(&url).await.expect("open sqlite"),
        Engine::Postgres => PostgresStorage::connect(&url, 2).await.expect("connect postgres"),
    };
    Storage::migrate(&s).await.expect("migrate");
    s
}

async fn a_signed_adaptation_document_refuses_every_change_past_the_application(engine: Engine) {
    let s = storage(engine).await;
    let f = fixture::load(&s, "not-a-login").await.expect("fixture");
    fixture_ordering::load(&s).await.expect("ordering fixture");
    let device_id = f.stock_device_ids[0];
    let work = NewWorkOrder {
        kind: WorkOrderKind::SpecialAdaptation,
        device_id: Some(device_id),
        description: "Sänkt sitthöjd".into(),
        created_by: f.admin,
        at: test_now(),
    };
    let work_order_id = s.create_work_order(&work).await.expect("work order");
    let sha256 = "ab".repeat(32);
    let document = |public_id: &str| NewAdaptationDocument {
        public_id: public_id.into(),
        work_order_id,
        device_id,
        title: "Specialanpassning".into(),
        content: "Sitthöjd 42 cm".into(),
        sha256: sha256.clone(),
        uploaded_by: f.admin,
        at: test_now(),
        valid_until: NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
        fields: None,
    };
    let signed = s.attach_adaptation(&document(&"a".repeat(32))).await.expect("attach");
    let open = s.attach_adaptation(&document(&"b".repeat(32))).await.expect("attach a second");
    let signature = AdaptationSignature {
        document_id: signed,
        sha256: sha256.clone(),
        signed_by: f.prescriber,
        at: test_now(),
        on: test_now().date_naive(),
        via: "password".into(),
    };
    s.sign_adaptation(&signature).await.expect("sign");

    for sql in [
        "UPDATE adaptation_documents SET content = 'Sitthöjd 48 cm' WHERE id = $1",
        "UPDATE adaptation_documents SET signed_at = NULL, signed_by = NULL WHERE id = $1",
        "UPDATE adaptation_documents SET sha256 = 'cd' WHERE id = $1",
    ] {
        let refused = db::query(sql).bind(signed).execute(s.pool()).await;
        let e = format!("{:?}", refused.expect_err(sql));
        assert!(e.contains("adaptation_document_signed"), "{sql}: refused by the trigger, not by chance: {e}");
    }
    let row = db::query("SELECT content, signed_at FROM adaptation_documents WHERE id = $1")
        .bind(signed)
        .fetch_one(s.pool())
        .await
        .expect("read back");
    assert_eq!(row.try_get::<String, _>("content").unwrap(), "Sitthöjd 42 cm", "nothing half-written");
    db::query("UPDATE adaptation_documents SET content = 'Sitthöjd 44 cm' WHERE id = $1")
        .bind(open)
        .execute(s.pool())
        .await
        .expect("an unsigned document may still be corrected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_signed_adaptation_document_refuses_every_change_past_the_application() {
    a_signed_adaptation_document_refuses_every_change_past_the_application(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_signed_adaptation_document_refuses_every_change_past_the_application() {
    a_signed_adaptation_document_refuses_every_change_past_the_application(Engine::Postgres).await;
}
