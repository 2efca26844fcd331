//! The storage contract: one suite, run against every engine by the test
//! binary in `crates/testkit/tests`. Each function is one test; it gets a
//! fresh, migrated, empty database.

use crate::fixture::{self, date, t, Fixture};
use crate::*;
use ramp_domain::access::EmergencyCategory;
use ramp_domain::device::{DeviceEventKind, DeviceState};
use ramp_domain::role::Role;
use std::sync::Arc;

pub use crate::contract_audit::*;

/// Names of every contract test; the test binary instantiates each per engine.
#[macro_export]
macro_rules! for_each_contract_test {
    ($m:ident) => {
        $m!(
            migrating_twice_is_harmless,
            loaded_rows_read_back_unchanged,
            a_username_exists_only_once,
            an_hsa_id_finds_its_one_user,
            sessions_expire_and_can_be_deleted,
            api_tokens_identify_their_user,
            the_device_overview_lists_held_devices_with_payer_and_since,
            care_relationships_are_checked_against_the_date,
            emergency_access_lasts_until_it_expires,
            failed_logins_are_counted_per_subject_and_forgotten_after_a_quiet_day,
            api_tokens_are_listed_to_their_owner_and_revoked_once,
            audit_rows_are_appended_and_read_newest_first,
            catalog_search_matches_name_number_and_iso_code_in_any_case,
            a_device_change_applies_only_from_the_expected_state_with_its_event,
            racing_reservations_of_one_device_let_exactly_one_win,
            a_device_can_never_have_two_open_loans,
            a_lent_device_must_name_its_patient,
            stock_is_counted_per_warehouse_and_article,
            ids_continue_after_a_bulk_load,
            the_device_card_shows_article_loan_and_full_history,
            lending_history_lists_loans_started_in_the_period_with_the_setting_then,
            rows_loaded_after_they_were_first_read_are_seen_at_once,
            a_unit_of_work_writes_all_on_commit_and_nothing_when_dropped_or_failed,
            an_admin_change_and_its_record_are_committed_together_or_not_at_all,
            an_account_used_since_the_cutoff_is_not_deactivated_as_inactive,
            article_details_and_product_pictures_read_back_and_are_replaced_whole,
            bulk_loaded_text_nulls_and_times_read_back_exactly
        );
    };
}

async fn fixture(s: &dyn Storage) -> Fixture {
    fixture::load(s, "$argon2id$fixture").await.expect("fixture loads")
}

pub async fn migrating_twice_is_harmless(s: Arc<dyn Storage>) {
    s.migrate().await.expect("second migration is a no-op");
    assert_eq!(s.counts().await.unwrap(), Counts::default());
}

pub async fn loaded_rows_read_back_unchanged(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let anna = s.user_by_username("anna").await.unwrap().expect("anna exists");
    assert_eq!(anna.id, f.prescriber);
    assert_eq!(anna.roles, vec![Role::Prescriber]);
    assert_eq!(anna.competences, vec!["mobility".to_string()]);
    assert_eq!(anna.password_hash.as_deref(), Some("$argon2id$fixture"));
    let patient = s.patient_by_personal_id(&f.tolvan_pnr).await.unwrap().expect("tolvan exists");
    assert_eq!(patient.given_name, "Tolvan");
    assert_eq!(patient.birth_date, date(1912, 12, 12));
    let settings = s.patient_settings(f.tolvan).await.unwrap();
    assert_eq!(settings.len(), 2);
    assert_eq!(settings[1].valid_from, date(2024, 1, 1));
    let article = s.article_by_number("R-100").await.unwrap().expect("article");
    assert_eq!(article.iso_code.as_str(), "120606");
    assert_eq!(article.purchase_price_ore, 250_000);
    assert_eq!(article.supplier_name, "Etac Sverige AB");
    let counts = s.counts().await.unwrap();
    assert_eq!((counts.principals, counts.users, counts.patients, counts.articles, counts.devices), (3, 4, 2, 3, 4));
    assert_eq!(s.principal_by_code("0186").await.unwrap().unwrap().name, "Lidingö stad");
    assert_eq!(s.warehouses().await.unwrap().len(), 2);
}

/// PostgreSQL loads in bulk with `COPY`'s text format, where a tab, a
/// newline, a backslash or `\N` in a value would end a field, a row or
/// become NULL unless escaped; SQLite binds. Both must read back exactly.
pub async fn bulk_loaded_text_nulls_and_times_read_back_exactly(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let awkward = "Tab\there, back\\slash \\N, new\nline\r\n and \"quotes\" ÅÄÖ";
    s.insert_suppliers(&[Supplier { id: 77, name: awkward.into() }]).await.unwrap();
    let mut article = s.article_by_number("R-100").await.unwrap().unwrap();
    article.id = 77;
    article.article_number = "R-\\N".into();
    article.supplier_id = 77;
    article.gtin = Some("\\N".into());
    article.valid_to = Some(date(2031, 12, 31));
    s.insert_articles(&[article]).await.unwrap();
    let device = s.device_card(f.lent_device_number).await.unwrap().unwrap().device;
    let at = t(2025, 3, 4) + chrono::Duration::microseconds(123_456);
    let event = DeviceEvent {
        id: 9_001,
        device_id: device.id,
        occurred_at: at,
        kind: DeviceEventKind::Inspected,
        from_state: Some(DeviceState::WithPatient),
        to_state: DeviceState::WithPatient,
        actor_user_id: None,
        patient_id: None,
        warehouse_id: None,
        note: Some(awkward.into()),
    };
    s.insert_device_events(&[event]).await.unwrap();
    s.finish_bulk_load().await.unwrap();

    let read = s.article_by_number("R-\\N").await.unwrap().expect("the article with a backslash in its number");
    assert_eq!(read.supplier_name, awkward);
    assert_eq!(read.gtin.as_deref(), Some("\\N"), "a value spelled like COPY's NULL stays a value");
    assert_eq!(read.valid_to, Some(date(2031, 12, 31)));
    let card = s.device_card(f.lent_device_number).await.unwrap().unwrap();
    let loaded = card.events.iter().find(|e| e.id == 9_001).expect("the loaded event");
    assert_eq!(loaded.note.as_deref(), Some(awkward));
    assert_eq!(loaded.occurred_at, at, "microseconds survive");
    assert_eq!(loaded.actor_user_id, None);
}

pub async fn a_username_exists_only_once(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let new = NewUser {
        username: "anna".into(),
        display_name: "Another Anna".into(),
        password_hash: None,
        principal_id: f.region,
        unit_id: None,
        roles: vec![Role::Finance],
        competences: vec![],
        created_at: t(2025, 1, 1),
        hsa_id: None,
    };
    let err = s.create_user(&new).await.unwrap_err();
    assert!(err.is_conflict_on("users_username_key", "users.username"), "{err}");
    // Nothing half-written: the role of the refused user was not stored.
    assert_eq!(s.counts().await.unwrap().users, 4);
}

pub async fn an_hsa_id_finds_its_one_user(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let anna = s.user_by_username("anna").await.unwrap().unwrap();
    let hsa_id = anna.hsa_id.clone().expect("the fixture gives anna an HSA id");
    assert_eq!(s.user_by_hsa_id(&hsa_id).await.unwrap().map(|u| u.id), Some(f.prescriber));
    assert!(s.user_by_hsa_id("SE2321000016-NOBODY").await.unwrap().is_none());
    let new = |username: &str, hsa_id: Option<&str>| NewUser {
        username: username.into(),
        display_name: "Ny Användare".into(),
        password_hash: None,
        principal_id: f.region,
        unit_id: None,
        roles: vec![Role::Finance],
        competences: vec![],
        created_at: t(2025, 1, 1),
        hsa_id: hsa_id.map(str::to_string),
    };
    let err = s.create_user(&new("kopia", Some(&hsa_id))).await.unwrap_err();
    assert!(err.is_conflict_on("users_hsa_id_key", "users.hsa_id"), "{err}");
    // Accounts without an HSA id never clash with each other.
    s.create_user(&new("lokal1", None)).await.unwrap();
    s.create_user(&new("lokal2", None)).await.unwrap();
    let id = s.create_user(&new("ny", Some("SE2321000016-NY1"))).await.unwrap();
    assert_eq!(s.user_by_hsa_id("SE2321000016-NY1").await.unwrap().map(|u| u.id), Some(id));
}

pub async fn sessions_expire_and_can_be_deleted(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    s.create_session("h1", f.prescriber, t(2025, 1, 1), t(2025, 1, 2)).await.unwrap();
    assert_eq!(s.session_user("h1", t(2025, 1, 1)).await.unwrap().unwrap().id, f.prescriber);
    assert!(s.session_user("h1", t(2025, 1, 3)).await.unwrap().is_none(), "expired");
    s.delete_session("h1").await.unwrap();
    assert!(s.session_user("h1", t(2025, 1, 1)).await.unwrap().is_none(), "deleted");
}

pub async fn api_tokens_identify_their_user(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    s.create_api_token(f.admin, "integration", "tokhash", t(2025, 1, 1)).await.unwrap();
    assert_eq!(s.api_token_user("tokhash").await.unwrap().unwrap().username, "admin");
    assert!(s.api_token_user("other").await.unwrap().is_none());
}

pub async fn the_device_overview_lists_held_devices_with_payer_and_since(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let held = s.held_devices(f.tolvan, today).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].device_number, "D-0001");
    assert_eq!(held[0].article_name, "Rollator Gåstöd Classic");
    assert_eq!(held[0].since, date(2024, 2, 1));
    assert_eq!(held[0].payer, ramp_domain::cost::Payer::Region);
    assert!(s.held_devices(f.other_patient, today).await.unwrap().is_empty());
}

pub async fn care_relationships_are_checked_against_the_date(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    assert!(s.has_care_relationship(f.tolvan, f.vardcentral, date(2025, 6, 1)).await.unwrap());
    assert!(!s.has_care_relationship(f.tolvan, f.vardcentral, date(2023, 6, 1)).await.unwrap(), "before it began");
    assert!(!s.has_care_relationship(f.tolvan, f.hemtjanst, date(2025, 6, 1)).await.unwrap(), "other unit");
    assert!(
        s.has_care_relationship(f.other_patient, f.hemtjanst, date(2021, 12, 31)).await.unwrap(),
        "last day counts"
    );
    assert!(!s.has_care_relationship(f.other_patient, f.hemtjanst, date(2022, 1, 1)).await.unwrap(), "ended");
}

pub async fn emergency_access_lasts_until_it_expires(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    assert!(!s.has_emergency_access(f.other_prescriber, f.tolvan, t(2025, 1, 1)).await.unwrap());
    let access = NewEmergencyAccess {
        user_id: f.other_prescriber,
        patient_id: f.tolvan,
        category: EmergencyCategory::UrgentCare,
        reason: "akut vård, patienten medvetslös".into(),
        at: t(2025, 1, 1),
        expires: t(2025, 1, 2),
    };
    let id = s.grant_emergency_access(&access).await.unwrap();
    assert!(s.has_emergency_access(f.other_prescriber, f.tolvan, t(2025, 1, 1)).await.unwrap());
    assert_eq!(
        s.emergency_access_until(f.other_prescriber, f.tolvan, t(2025, 1, 1)).await.unwrap(),
        Some(t(2025, 1, 2))
    );
    assert!(!s.has_emergency_access(f.other_prescriber, f.tolvan, t(2025, 1, 3)).await.unwrap());
    assert_eq!(s.emergency_access_until(f.other_prescriber, f.tolvan, t(2025, 1, 3)).await.unwrap(), None);
    assert!(!s.has_emergency_access(f.prescriber, f.tolvan, t(2025, 1, 1)).await.unwrap(), "granted per user");
    let listed = s.emergency_access(id).await.unwrap().expect("listed for review");
    assert_eq!(
        (listed.username.as_str(), listed.category, listed.reason.as_str()),
        ("lars", access.category, access.reason.as_str())
    );
    assert_eq!((listed.granted_at, listed.expires_at), (access.at, access.expires));
}

pub async fn failed_logins_are_counted_per_subject_and_forgotten_after_a_quiet_day(s: Arc<dyn Storage>) {
    let forget = |at: chrono::DateTime<chrono::Utc>| at - chrono::Duration::hours(24);
    assert_eq!(s.login_failures("account:anna").await.unwrap(), None);
    for n in 1..=3 {
        assert_eq!(s.record_login_failure("account:anna", t(2025, 1, 1), forget(t(2025, 1, 1))).await.unwrap(), n);
    }
    assert_eq!(s.record_login_failure("address:10.0.0.1", t(2025, 1, 1), forget(t(2025, 1, 1))).await.unwrap(), 1);
    let anna = s.login_failures("account:anna").await.unwrap().unwrap();
    assert_eq!((anna.failures, anna.last_failure_at), (3, t(2025, 1, 1)));
    assert_eq!(s.record_login_failure("account:anna", t(2025, 1, 3), forget(t(2025, 1, 3))).await.unwrap(), 1);
    assert_eq!(s.login_failures("address:10.0.0.1").await.unwrap(), None, "stale rows are removed");
    s.clear_login_failures("account:anna").await.unwrap();
    assert_eq!(s.login_failures("account:anna").await.unwrap(), None);
}

pub async fn api_tokens_are_listed_to_their_owner_and_revoked_once(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let first = s.create_api_token(f.prescriber, "kassa", "hash-1", t(2025, 1, 1)).await.unwrap();
    let second = s.create_api_token(f.prescriber, "lager", "hash-2", t(2025, 1, 2)).await.unwrap();
    s.create_api_token(f.other_prescriber, "annan", "hash-3", t(2025, 1, 2)).await.unwrap();
    let listed = s.api_tokens_of_user(f.prescriber).await.unwrap();
    assert_eq!(
        listed.iter().map(|t| (t.id, t.name.as_str())).collect::<Vec<_>>(),
        [(second, "lager"), (first, "kassa")]
    );
    assert_eq!(s.revoke_api_token(first, Some(f.other_prescriber), t(2025, 1, 3)).await.unwrap(), None, "not theirs");
    assert_eq!(s.revoke_api_token(first, Some(f.prescriber), t(2025, 1, 3)).await.unwrap().as_deref(), Some("hash-1"));
    assert_eq!(s.revoke_api_token(first, None, t(2025, 1, 4)).await.unwrap(), None, "revoked once");
    assert!(s.api_token_user("hash-1").await.unwrap().is_none());
    assert!(s.revoke_api_token_by_hash("hash-2", t(2025, 1, 4)).await.unwrap());
    assert!(!s.revoke_api_token_by_hash("hash-2", t(2025, 1, 5)).await.unwrap());
    assert!(s.api_token_user("hash-2").await.unwrap().is_none());
    assert!(s.api_token_user("hash-3").await.unwrap().is_some());
    let revoked = s.api_tokens_of_user(f.prescriber).await.unwrap();
    assert_eq!(revoked.iter().map(|t| t.revoked_at).collect::<Vec<_>>(), [Some(t(2025, 1, 4)), Some(t(2025, 1, 3))]);
}

pub async fn audit_rows_are_appended_and_read_newest_first(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    for (i, reason) in [AccessReason::CareRelationship, AccessReason::EmergencyAccess].into_iter().enumerate() {
        s.append_audit(&NewAuditEntry {
            occurred_at: t(2025, 1, 1 + i as u32),
            user_id: f.prescriber,
            patient_id: Some(f.tolvan),
            action: "patient.overview".into(),
            reason,
            detail: Some(format!("read {i}")),
            request_id: Some(format!("req-{i}")),
        })
        .await
        .unwrap();
    }
    let rows = s.audit_for_patient(f.tolvan, 10).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].reason, AccessReason::EmergencyAccess);
    assert_eq!(rows[0].occurred_at, t(2025, 1, 2));
    assert_eq!(rows[1].request_id.as_deref(), Some("req-0"));
    assert_eq!(s.audit_recent(1).await.unwrap().len(), 1);
    assert!(s.audit_for_patient(f.other_patient, 10).await.unwrap().is_empty());
}

fn words(q: &str) -> ArticleQuery {
    ArticleQuery { words: q.split_whitespace().map(str::to_string).collect(), iso_prefix: None, limit: 50 }
}

pub async fn catalog_search_matches_name_number_and_iso_code_in_any_case(s: Arc<dyn Storage>) {
    fixture(&*s).await;
    let names = |hits: Vec<ArticleHit>| hits.into_iter().map(|h| h.article.article_number).collect::<Vec<_>>();
    assert_eq!(names(s.search_articles(&words("rOLLATOR")).await.unwrap()), vec!["R-100", "R-101"]);
    assert_eq!(names(s.search_articles(&words("ÄRTGRÖN")).await.unwrap()), vec!["R-101"], "Swedish letters fold case");
    assert_eq!(names(s.search_articles(&words("w-200")).await.unwrap()), vec!["W-200"]);
    assert_eq!(
        names(s.search_articles(&words("rollator classic")).await.unwrap()),
        vec!["R-100"],
        "all words must match"
    );
    assert!(s.search_articles(&words("100%")).await.unwrap().is_empty(), "wildcards match literally");
    let iso = ArticleQuery { words: vec![], iso_prefix: Some("1222".into()), limit: 50 };
    let hits = s.search_articles(&iso).await.unwrap();
    assert_eq!(names(hits.clone()), vec!["W-200"]);
    assert_eq!(hits[0].in_stock, 1);
}

fn reserve(device_id: Id, at: chrono::DateTime<chrono::Utc>) -> DeviceChange {
    DeviceChange {
        device_id,
        expected: DeviceState::InStock,
        event: DeviceEventKind::Reserved,
        to: DeviceState::Reserved,
        at,
        actor_user_id: Some(1),
        warehouse_id: Some(1),
        patient_id: None,
        unit_id: None,
        note: None,
    }
}

pub async fn a_device_change_applies_only_from_the_expected_state_with_its_event(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let id = f.stock_device_ids[0];
    s.apply_device_change(&reserve(id, t(2025, 1, 1))).await.unwrap();
    let err = s.apply_device_change(&reserve(id, t(2025, 1, 2))).await.unwrap_err();
    assert!(matches!(err, StorageError::StateMismatch(_)), "{err}");
    let card = s.device_card("D-0002").await.unwrap().unwrap();
    assert_eq!(card.device.state, DeviceState::Reserved);
    assert_eq!(card.events.len(), 1, "the refused change wrote no event");
    assert_eq!(card.events[0].kind, DeviceEventKind::Reserved);
    assert_eq!(card.events[0].from_state, Some(DeviceState::InStock));
    let missing = s.apply_device_change(&reserve(9999, t(2025, 1, 1))).await.unwrap_err();
    assert!(matches!(missing, StorageError::NotFound(_)), "{missing}");
}

pub async fn racing_reservations_of_one_device_let_exactly_one_win(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let id = f.stock_device_ids[1];
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.apply_device_change(&reserve(id, t(2025, 1, 1) + chrono::Duration::seconds(i))).await
            })
        })
        .collect();
    let mut wins = 0;
    for task in tasks {
        match task.await.expect("task ran") {
            Ok(()) => wins += 1,
            Err(StorageError::StateMismatch(_)) => {}
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(wins, 1);
    let card = s.device_card("D-0003").await.unwrap().unwrap();
    assert_eq!(card.events.len(), 1);
}

pub async fn a_device_can_never_have_two_open_loans(s: Arc<dyn Storage>) {
    fixture(&*s).await;
    let second = Loan {
        device_id: 1,
        patient_id: Some(2),
        unit_id: None,
        customer_number_id: 1,
        payer: ramp_domain::cost::Payer::Region,
        rule_id: "x".into(),
        agreement_version: "2021-01-01".into(),
        start_date: date(2025, 1, 1),
        end_date: None,
    };
    let err = s.insert_loans(std::slice::from_ref(&second)).await.unwrap_err();
    assert!(err.is_conflict_on("loans_one_open_per_device", "loans.device_id"), "{err}");
    // A closed loan of the same device is history and is allowed.
    s.insert_loans(&[Loan { end_date: Some(date(2025, 2, 1)), ..second }]).await.unwrap();
}

pub async fn a_lent_device_must_name_its_patient(s: Arc<dyn Storage>) {
    fixture(&*s).await;
    let mut change = reserve(2, t(2025, 1, 1));
    change.to = DeviceState::WithPatient;
    change.event = DeviceEventKind::Delivered;
    change.warehouse_id = None;
    let err = s.apply_device_change(&change).await.unwrap_err();
    assert!(matches!(err, StorageError::Conflict { .. }), "{err}");
    let card = s.device_card("D-0002").await.unwrap().unwrap();
    assert_eq!(card.device.state, DeviceState::InStock, "nothing half-written");
    assert!(card.events.is_empty());
}

pub async fn stock_is_counted_per_warehouse_and_article(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    s.apply_device_change(&reserve(f.stock_device_ids[0], t(2025, 1, 1))).await.unwrap();
    let central = s.stock(f.central_warehouse).await.unwrap();
    assert_eq!(central.len(), 1);
    assert_eq!((central[0].article_number.as_str(), central[0].in_stock, central[0].reserved), ("R-100", 1, 1));
    let buffer = s.stock(f.buffer_store).await.unwrap();
    assert_eq!((buffer[0].article_number.as_str(), buffer[0].in_stock), ("W-200", 1));
}

pub async fn ids_continue_after_a_bulk_load(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let id = s
        .create_user(&NewUser {
            username: "nils".into(),
            display_name: "Nils Ny".into(),
            password_hash: None,
            principal_id: f.region,
            unit_id: Some(f.vardcentral),
            roles: vec![Role::Prescriber, Role::UnitOrderer],
            competences: vec!["mobility".into()],
            created_at: t(2025, 1, 1),
            hsa_id: None,
        })
        .await
        .unwrap();
    assert!(id > f.admin);
    let nils = s.user_by_id(id).await.unwrap().unwrap();
    assert_eq!(nils.roles, vec![Role::Prescriber, Role::UnitOrderer]);
    let audit = s
        .append_audit(&NewAuditEntry {
            occurred_at: t(2025, 1, 1),
            user_id: id,
            patient_id: None,
            action: "login".into(),
            reason: AccessReason::None,
            detail: None,
            request_id: None,
        })
        .await
        .unwrap();
    assert!(audit >= 1);
}

pub async fn the_device_card_shows_article_loan_and_full_history(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let card = s.device_card(f.lent_device_number).await.unwrap().unwrap();
    assert_eq!(card.article.name, "Rollator Gåstöd Classic");
    assert_eq!(card.device.state, DeviceState::WithPatient);
    assert_eq!(card.loan.as_ref().unwrap().patient_id, Some(f.tolvan));
    let kinds: Vec<_> = card.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![DeviceEventKind::Received, DeviceEventKind::Delivered]);
    assert!(s.device_card("NO-SUCH").await.unwrap().is_none());
}

pub async fn lending_history_lists_loans_started_in_the_period_with_the_setting_then(s: Arc<dyn Storage>) {
    fixture(&*s).await;
    let rows = s.lending_history(date(2024, 1, 1), date(2024, 12, 31)).await.unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!((r.start_date, r.birth_date), (date(2024, 2, 1), date(1912, 12, 12)));
    assert_eq!(r.setting, Some(ramp_domain::setting::Setting::Saebo), "Tolvan lived in SÄBO from 2024-01-01");
    assert_eq!(
        (r.iso_code.as_str(), r.municipality.as_str(), r.purchase_price_ore),
        ("120606", "Stockholms stad", 250_000)
    );
    assert!(s.lending_history(date(2025, 1, 1), date(2025, 12, 31)).await.unwrap().is_empty());
}

/// Principals, product areas, units, replacement groups and invoicing
/// accounts are served from the storage's cache once read; a load must
/// still be visible to the very next read.
pub async fn rows_loaded_after_they_were_first_read_are_seen_at_once(s: Arc<dyn Storage>) {
    // Arrange: every cached lookup read once (and so cached).
    let f = fixture(&*s).await;
    assert_eq!(s.principals().await.unwrap().len(), 3);
    let areas = s.product_areas().await.unwrap().len();
    assert_eq!(s.unit(900).await.unwrap(), None);
    assert_eq!(s.replacement_group_of(f.wheelchair).await.unwrap(), None);
    assert_eq!(s.customer_number_of_principal(4).await.unwrap(), None);

    // Act: a load adds to each of them.
    let principal = Principal {
        id: 4,
        code: "0187".into(),
        name: "Vaxholms stad".into(),
        kind: "municipality".into(),
        municipality_code: Some("0187".into()),
        basic_equipment_since: None,
    };
    s.insert_principals(std::slice::from_ref(&principal)).await.unwrap();
    let number = CustomerNumber { id: 40, number: "400001".into(), principal_id: 4, name: "Vaxholm".into() };
    s.insert_customer_numbers(&[number]).await.unwrap();
    let unit = Unit {
        id: 900,
        principal_id: 4,
        hsa_id: "SE0187-900".into(),
        name: "Hemtjänst Vaxholm".into(),
        kind: "home_care".into(),
        customer_number_id: 40,
    };
    s.insert_units(std::slice::from_ref(&unit)).await.unwrap();
    let area = ProductArea {
        code: "vision".into(),
        name_sv: "Syn".into(),
        name_en: "Vision".into(),
        required_competence: Some("vision".into()),
        drug_adjacent: false,
        agreement_area: ramp_domain::figures::Agreement::Cooperation,
    };
    s.insert_product_areas(std::slice::from_ref(&area)).await.unwrap();
    let group = ReplacementGroup {
        id: 70,
        code: "RG-70".into(),
        name: "Rullstolar".into(),
        fixed: false,
        members: vec![f.wheelchair],
    };
    s.insert_replacement_groups(std::slice::from_ref(&group)).await.unwrap();

    // Assert
    assert!(s.principals().await.unwrap().contains(&principal));
    assert_eq!(s.customer_number_of_principal(4).await.unwrap(), Some(40));
    assert_eq!(s.unit(900).await.unwrap(), Some(unit));
    let now = s.product_areas().await.unwrap();
    assert_eq!(now.len(), areas + 1);
    assert!(now.contains(&area));
    assert_eq!(s.replacement_group_of(f.wheelchair).await.unwrap(), Some(group));
}

/// The delivery of device `id` to Tolvan as a unit of work of three
/// writes: the reservation ended, the event, the loan.
async fn deliver_in(uow: &mut dyn UnitOfWork, f: &Fixture, id: Id) -> Result<()> {
    let at = t(2025, 1, 3);
    let holder = Holder { patient_id: Some(f.tolvan), unit_id: None, warehouse_id: None };
    let end = ReservationEnd { device_id: id, to: DeviceState::WithPatient, at, holder: Some(holder) };
    assert_eq!(uow.end_reservation(&end).await?, Some(None), "reserved, and no warehouse afterwards");
    let event = NewDeviceEvent {
        device_id: id,
        at,
        kind: DeviceEventKind::Delivered,
        from: DeviceState::Reserved,
        to: DeviceState::WithPatient,
        actor_user_id: Some(f.warehouse_user),
        patient_id: Some(f.tolvan),
        warehouse_id: None,
    };
    uow.add_device_event(&event).await?;
    let loan = Loan {
        device_id: id,
        patient_id: Some(f.tolvan),
        unit_id: None,
        customer_number_id: 1,
        payer: ramp_domain::cost::Payer::Region,
        rule_id: "r".into(),
        agreement_version: "2021-01-01".into(),
        start_date: date(2025, 1, 3),
        end_date: None,
    };
    uow.open_loan(&loan).await
}

pub async fn a_unit_of_work_writes_all_on_commit_and_nothing_when_dropped_or_failed(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let id = f.stock_device_ids[0];
    s.apply_device_change(&reserve(id, t(2025, 1, 1))).await.unwrap();
    let untouched = |card: DeviceCard| {
        assert_eq!(card.device.state, DeviceState::Reserved);
        assert_eq!(card.events.len(), 1, "only the reservation");
        assert!(card.loan.is_none());
    };

    let mut dropped = s.unit_of_work().await.unwrap();
    deliver_in(dropped.as_mut(), &f, id).await.unwrap();
    drop(dropped);
    untouched(s.device_card("D-0002").await.unwrap().unwrap());

    // A second open loan of the device fails inside the unit; the caller
    // returns with `?` and the first two writes go with it.
    let open = s.device_card(f.lent_device_number).await.unwrap().unwrap().loan.expect("D-0001 is lent");
    let mut failed = s.unit_of_work().await.unwrap();
    deliver_in(failed.as_mut(), &f, id).await.unwrap();
    let err = failed.open_loan(&open).await.expect_err("D-0001 already has an open loan");
    assert!(err.is_conflict_on("loans_one_open_per_device", "loans.device_id"), "{err}");
    drop(failed);
    untouched(s.device_card("D-0002").await.unwrap().unwrap());

    let mut committed = s.unit_of_work().await.unwrap();
    deliver_in(committed.as_mut(), &f, id).await.unwrap();
    committed.commit().await.unwrap();
    let card = s.device_card("D-0002").await.unwrap().unwrap();
    assert_eq!(card.device.state, DeviceState::WithPatient);
    assert_eq!(card.device.patient_id, Some(f.tolvan));
    assert_eq!(card.events.len(), 2);
    assert_eq!(card.loan.map(|l| l.patient_id), Some(Some(f.tolvan)));

    let mut late = s.unit_of_work().await.unwrap();
    let end = ReservationEnd { device_id: id, to: DeviceState::InStock, at: t(2025, 1, 5), holder: None };
    assert_eq!(late.end_reservation(&end).await.unwrap(), None, "no longer reserved: nothing matched");
}

fn admin_record(entity_id: Id, action: &str) -> NewAdminChange {
    NewAdminChange {
        occurred_at: t(2026, 1, 1),
        actor_user_id: None,
        entity: ramp_domain::admin::AdminEntity::Unit,
        entity_id: Some(entity_id),
        action: action.into(),
        outcome: ramp_domain::admin::AdminOutcome::Done,
        before: Some("{\"active\":true}".into()),
        after: Some("{\"active\":false}".into()),
        request_id: None,
    }
}

pub async fn an_admin_change_and_its_record_are_committed_together_or_not_at_all(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let all = ChangeQuery { limit: 10, ..Default::default() };
    let mut dropped = s.admin_work().await.unwrap();
    assert!(dropped.set_unit_active(f.vardcentral, false).await.unwrap());
    dropped.record(&admin_record(f.vardcentral, "deactivate")).await.unwrap();
    drop(dropped);
    assert!(s.unit_records(None).await.unwrap().iter().all(|u| u.active), "nothing when dropped");
    assert!(s.admin_changes(&all).await.unwrap().is_empty());

    let mut work = s.admin_work().await.unwrap();
    assert!(work.set_unit_active(f.vardcentral, false).await.unwrap());
    assert!(!work.set_unit_active(f.vardcentral, false).await.unwrap(), "already so: nothing matched");
    work.record(&admin_record(f.vardcentral, "deactivate")).await.unwrap();
    work.commit().await.unwrap();
    let units = s.unit_records(Some(f.region)).await.unwrap();
    assert!(!units.iter().find(|u| u.id == f.vardcentral).unwrap().active);
    let rows = s.admin_changes(&all).await.unwrap();
    assert_eq!((rows.len(), rows[0].after.as_deref()), (1, Some("{\"active\":false}")));
}

pub async fn an_account_used_since_the_cutoff_is_not_deactivated_as_inactive(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let cutoff = t(2025, 6, 1);
    s.record_login(f.prescriber, t(2025, 7, 1)).await.unwrap();
    let inactive = s.inactive_user_ids(cutoff).await.unwrap();
    assert_eq!(inactive, vec![f.other_prescriber, f.warehouse_user, f.admin], "created 2024, never logged in");
    // A login between the listing and the update keeps the account.
    s.record_login(f.admin, t(2025, 8, 1)).await.unwrap();
    let mut work = s.admin_work().await.unwrap();
    assert!(work.deactivate_if_unused_since(f.other_prescriber, cutoff).await.unwrap());
    assert!(!work.deactivate_if_unused_since(f.admin, cutoff).await.unwrap());
    assert!(!work.deactivate_if_unused_since(f.prescriber, cutoff).await.unwrap());
    work.commit().await.unwrap();
    assert_eq!(s.inactive_user_ids(cutoff).await.unwrap(), vec![f.warehouse_user]);
    assert!(!s.user_by_id(f.other_prescriber).await.unwrap().unwrap().active);
}

pub async fn article_details_and_product_pictures_read_back_and_are_replaced_whole(s: Arc<dyn Storage>) {
    use ramp_domain::product::{TechKey, TechRow};
    let f = fixture(&*s).await;
    let rollator = s.article_by_number("R-100").await.unwrap().expect("article").id;
    let row = |key, value: &str| TechRow { key, value: value.into() };
    let details = ArticleDetails {
        article_id: rollator,
        technical_data: vec![row(TechKey::MaxUserWeightKg, "150"), row(TechKey::SeatHeightCm, "48–58")],
        handbook_text: Some("Rollator för inomhus- och utomhusbruk.".into()),
    };
    s.insert_article_details(std::slice::from_ref(&details)).await.unwrap();
    assert_eq!(s.article_details(&[rollator, f.wheelchair]).await.unwrap(), vec![details.clone()]);
    let replaced = ArticleDetails { technical_data: vec![row(TechKey::WidthCm, "62")], handbook_text: None, ..details };
    s.insert_article_details(std::slice::from_ref(&replaced)).await.unwrap();
    assert_eq!(s.article_details(&[rollator]).await.unwrap(), vec![replaced]);

    let image = ProductImage {
        iso_code: "120606".into(),
        svg: "<svg xmlns='http://www.w3.org/2000/svg'/>".into(),
        alt_sv: "Bild av en rollator".into(),
        alt_en: "Picture of a rollator".into(),
    };
    s.insert_product_images(std::slice::from_ref(&image)).await.unwrap();
    assert_eq!(s.product_image("120606").await.unwrap(), Some(image));
    assert_eq!(s.product_image("122203").await.unwrap(), None);
    let with = s.product_types_with_image(&["120606".into(), "122203".into()]).await.unwrap();
    assert_eq!(with, vec!["120606".to_string()]);
}
