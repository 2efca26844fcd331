//! Administration over the API (issue 17): bootstrap of an empty
//! database, principals, units, users, API tokens and articles; only
//! administrators, every refusal recorded; every change listed with the
//! row before and after; the inactivity job on the fixed clock.

use chrono::Duration;
use ramp_app::admin::{self, Bootstrap};
use ramp_app::{App, AppConfig, FixedClock};
use ramp_storage::fixture::PASSWORD;
use ramp_testkit::{fresh_storage, problem, test_now, Engine, TestApp};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{json, Value};
use std::sync::Arc;

async fn put_json(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.client.put(app.url(path)).bearer_auth(token).json(body).send().await.expect("request")
}

async fn created(resp: reqwest::Response) -> i64 {
    assert_eq!(resp.status(), 201, "{:?}", resp.text().await);
    let body: Value = resp.json().await.unwrap();
    body["id"].as_i64().unwrap()
}

/// The admin changes of one entity, newest first.
async fn changes(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let page: Value = app.get(token, &format!("/api/v1/admin/changes?{query}")).await.json().await.unwrap();
    page["changes"].as_array().cloned().unwrap_or_default()
}

async fn log_in(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    let body = json!({ "username": username, "password": password });
    app.client.post(app.url("/api/v1/session")).json(&body).send().await.unwrap()
}

fn session_cookie(resp: &reqwest::Response) -> String {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ramp_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .expect("a session cookie")
}

async fn me_with_cookie(app: &TestApp, cookie: &str) -> u16 {
    app.client.get(app.url("/api/v1/me")).header(COOKIE, cookie).send().await.unwrap().status().as_u16()
}

fn bootstrap_input(name: &str) -> Bootstrap {
    Bootstrap {
        region_code: "region".into(),
        region_name: "Region Gävleborg".into(),
        username: "ada".into(),
        display_name: name.into(),
        password: "första-lösenordet".into(),
        hsa_id: Some("SE2321000016-ADA1".into()),
    }
}

async fn bootstrapping_an_empty_database_twice_creates_the_region_and_administrator_once(engine: Engine) {
    let storage = fresh_storage(engine).await;
    let app = App::new(storage.clone(), Arc::new(FixedClock::new(test_now())), AppConfig::default());

    let first = admin::bootstrap(&app, &bootstrap_input("Ada Admin")).await.expect("first run");
    assert!(first.principal_created && first.admin_created && first.product_areas_created > 0, "{first:?}");
    let counts = storage.counts().await.unwrap();
    assert_eq!((counts.principals, counts.users), (1, 1));
    let ada = storage.user_by_username("ada").await.unwrap().expect("the administrator");
    assert_eq!(ada.roles, vec![ramp_domain::role::Role::Admin]);
    let by_card = storage.user_by_hsa_id("SE2321000016-ADA1").await.unwrap().expect("found by HSA id");
    assert_eq!(by_card.id, ada.id, "the administrator can log in with SITHS through the IdP");
    ramp_app::auth::login(&app, "ada", "första-lösenordet", None).await.expect("the administrator logs in");

    let again = admin::bootstrap(&app, &bootstrap_input("Ada Admin")).await.expect("second run");
    assert!(!again.principal_created && !again.admin_created && again.product_areas_created == 0, "{again:?}");
    assert_eq!(storage.counts().await.unwrap().users, 1, "nothing created twice");

    let e = admin::bootstrap(&app, &bootstrap_input("Ada Adminsson")).await.expect_err("another name");
    assert_eq!((e.code, e.field.as_deref()), ("bootstrap_conflict", Some("name")));
    let e = admin::bootstrap(&app, &Bootstrap { region_name: "Region Dalarna".into(), ..bootstrap_input("Ada Admin") })
        .await
        .expect_err("another region name");
    assert_eq!(e.field.as_deref(), Some("region_name"));
    let e = admin::bootstrap(&app, &Bootstrap { password: "ett-annat-lösen".into(), ..bootstrap_input("Ada Admin") })
        .await
        .expect_err("another password");
    assert_eq!(e.field.as_deref(), Some("password"));

    let q = ramp_app::model::ChangeQuery { limit: 100, ..Default::default() };
    let rows = storage.admin_changes(&q).await.unwrap();
    assert!(rows.iter().all(|c| c.actor_user_id.is_none() && c.action == "bootstrap"), "{rows:?}");
    assert!(rows
        .iter()
        .any(|c| c.entity == ramp_domain::admin::AdminEntity::User && c.after.as_deref().unwrap().contains("\"ada\"")));
}

mod bootstrap {
    use ramp_testkit::Engine;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_bootstrapping_an_empty_database_twice_creates_the_region_and_administrator_once() {
        super::bootstrapping_an_empty_database_twice_creates_the_region_and_administrator_once(Engine::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_bootstrapping_an_empty_database_twice_creates_the_region_and_administrator_once() {
        super::bootstrapping_an_empty_database_twice_creates_the_region_and_administrator_once(Engine::Postgres).await
    }
}

async fn an_administrator_creates_and_edits_a_principal_its_customer_number_and_a_unit(app: TestApp) {
    let admin = app.token_for("admin").await;
    let body = json!({ "code": "0187", "name": "Vaxholms stad", "kind": "municipality" });
    let principal = created(app.post_json(&admin, "/api/v1/admin/principals", &body).await).await;
    let number = json!({ "number": "400001", "name": "Hemtjänst Vaxholm" });
    let path = format!("/api/v1/admin/principals/{principal}/customer-numbers");
    let customer_number = created(app.post_json(&admin, &path, &number).await).await;
    let resp =
        put_json(&app, &admin, &format!("/api/v1/admin/principals/{principal}"), &json!({"name": "Vaxholm"})).await;
    assert_eq!(resp.status(), 204);
    let resp = put_json(
        &app,
        &admin,
        &format!("/api/v1/admin/customer-numbers/{customer_number}"),
        &json!({"name": "Hemtjänsten i Vaxholm"}),
    )
    .await;
    assert_eq!(resp.status(), 204);
    let list: Value = app.get(&admin, "/api/v1/admin/principals").await.json().await.unwrap();
    let vaxholm = list.as_array().unwrap().iter().find(|p| p["code"] == "0187").expect("listed").clone();
    assert_eq!(vaxholm["name"], "Vaxholm");
    assert_eq!(vaxholm["customer_numbers"][0]["name"], "Hemtjänsten i Vaxholm");

    let unit = json!({ "principal_id": principal, "hsa_id": "se2120001234-0001", "name": "Hemtjänst Vaxholm",
        "kind": "home_care", "customer_number_id": customer_number });
    let unit = created(app.post_json(&admin, "/api/v1/admin/units", &unit).await).await;
    let edit = json!({ "name": "Hemtjänst Vaxholm norra", "kind": "home_care", "customer_number_id": customer_number });
    assert_eq!(put_json(&app, &admin, &format!("/api/v1/admin/units/{unit}"), &edit).await.status(), 204);
    let resp = app.post_json(&admin, &format!("/api/v1/admin/units/{unit}/deactivate"), &json!({})).await;
    assert_eq!(resp.status(), 204);
    let units: Value =
        app.get(&admin, &format!("/api/v1/admin/units?principal_id={principal}")).await.json().await.unwrap();
    assert_eq!(units[0]["hsa_id"], "SE2120001234-0001", "HSA ids are stored upper-cased");
    assert_eq!(
        (units[0]["name"].as_str(), units[0]["active"].as_bool()),
        (Some("Hemtjänst Vaxholm norra"), Some(false))
    );
    let resp = app.post_json(&admin, &format!("/api/v1/admin/units/{unit}/reactivate"), &json!({})).await;
    assert_eq!(resp.status(), 204);

    let rows = changes(&app, &admin, &format!("entity=unit&entity_id={unit}")).await;
    let actions: Vec<&str> = rows.iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["reactivate", "deactivate", "edit", "create"]);
    assert_eq!(rows[1]["before"]["active"], true);
    assert_eq!(rows[1]["after"]["active"], false);
    assert_eq!(rows[2]["before"]["name"], "Hemtjänst Vaxholm");
    assert_eq!(rows[2]["after"]["name"], "Hemtjänst Vaxholm norra");
    assert_eq!(rows[3]["before"], Value::Null);
    assert_eq!(rows[3]["actor_username"], "admin");
}

async fn an_administrator_creates_a_user_who_logs_in_with_the_roles_unit_and_competences_given(app: TestApp) {
    let admin = app.token_for("admin").await;
    let body = json!({ "username": "bo.ot", "display_name": "Bo Arbetsterapeut", "password": "bos-lösenord-1",
        "principal_id": app.fixture.region, "unit_id": app.fixture.vardcentral, "roles": ["prescriber"],
        "competences": [{ "competence": "mobility", "valid_from": "2026-01-01", "valid_to": "2027-12-31" }] });
    let id = created(app.post_json(&admin, "/api/v1/admin/users", &body).await).await;
    let login = log_in(&app, "bo.ot", "bos-lösenord-1").await;
    assert_eq!(login.status(), 200);
    let me: Value = login.json().await.unwrap();
    assert_eq!((me["roles"].clone(), me["unit_id"].as_i64()), (json!(["prescriber"]), Some(app.fixture.vardcentral)));

    let roles = json!({ "roles": ["prescriber", "unit_orderer"] });
    assert_eq!(put_json(&app, &admin, &format!("/api/v1/admin/users/{id}/roles"), &roles).await.status(), 204);
    let unit = json!({ "unit_id": null });
    assert_eq!(put_json(&app, &admin, &format!("/api/v1/admin/users/{id}/unit"), &unit).await.status(), 204);
    let comps = json!({ "competences": [{ "competence": "mobility", "valid_to": "2026-12-31" }] });
    assert_eq!(put_json(&app, &admin, &format!("/api/v1/admin/users/{id}/competences"), &comps).await.status(), 204);
    let user: Value = app.get(&admin, &format!("/api/v1/admin/users/{id}")).await.json().await.unwrap();
    assert_eq!(user["roles"], json!(["prescriber", "unit_orderer"]));
    assert_eq!(user["unit_id"], Value::Null);
    assert_eq!(
        user["competences"],
        json!([{ "competence": "mobility", "valid_from": null, "valid_to": "2026-12-31" }])
    );
    assert_eq!(user["has_password"], true);
    assert_eq!(user["hsa_id"], Value::Null);

    let card = json!({ "username": "cia.ssk", "display_name": "Cia Sjuksköterska", "hsa_id": "SE2321000016-CIA1",
        "principal_id": app.fixture.region, "roles": ["prescriber"] });
    let cia = created(app.post_json(&admin, "/api/v1/admin/users", &card).await).await;
    let cia: Value = app.get(&admin, &format!("/api/v1/admin/users/{cia}")).await.json().await.unwrap();
    assert_eq!((cia["hsa_id"].as_str(), cia["has_password"].as_bool()), (Some("SE2321000016-CIA1"), Some(false)));
    let twin = json!({ "username": "cia.tvilling", "display_name": "Cia Tvilling", "hsa_id": "SE2321000016-CIA1",
        "principal_id": app.fixture.region, "roles": ["prescriber"] });
    let p = problem(app.post_json(&admin, "/api/v1/admin/users", &twin).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("hsa_id_taken"), Some("hsa_id")));

    let found: Value = app.get(&admin, "/api/v1/admin/users?q=ARBETSTERAPEUT&active=true").await.json().await.unwrap();
    let names: Vec<&str> = found.as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["anna", "bo.ot"], "Cia is a nurse, not an occupational therapist");

    let rows = changes(&app, &admin, &format!("entity=user&entity_id={id}")).await;
    let actions: Vec<&str> = rows.iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["set_competences", "set_unit", "set_roles", "create"]);
    assert_eq!(rows[2]["before"]["roles"], json!(["prescriber"]));
    assert_eq!(rows[2]["after"]["roles"], json!(["prescriber", "unit_orderer"]));
    assert!(!rows[3]["after"].to_string().contains("argon2"), "no password hash in the record");
}

async fn a_deactivated_user_cannot_log_in_and_their_sessions_and_tokens_stop_working_until_reactivated(app: TestApp) {
    let admin = app.token_for("admin").await;
    let anna_token = app.token_for("anna").await;
    let cookie = session_cookie(&log_in(&app, "anna", PASSWORD).await);
    assert_eq!(app.get(&anna_token, "/api/v1/me").await.status(), 200, "the token is cached now");
    assert_eq!(me_with_cookie(&app, &cookie).await, 200);

    let anna = app.fixture.prescriber;
    let resp = app.post_json(&admin, &format!("/api/v1/admin/users/{anna}/deactivate"), &json!({})).await;
    assert_eq!(resp.status(), 204);
    assert_eq!(app.get(&anna_token, "/api/v1/me").await.status(), 401, "the token stops at once");
    assert_eq!(me_with_cookie(&app, &cookie).await, 401, "the session is ended");
    assert_eq!(problem(log_in(&app, "anna", PASSWORD).await).await["code"], "invalid_credentials");

    let resp = app.post_json(&admin, &format!("/api/v1/admin/users/{anna}/reactivate"), &json!({})).await;
    assert_eq!(resp.status(), 204);
    assert_eq!(log_in(&app, "anna", PASSWORD).await.status(), 200);
    assert_eq!(me_with_cookie(&app, &cookie).await, 401, "the old session stays ended");
    assert_eq!(app.get(&anna_token, "/api/v1/me").await.status(), 200, "the token works again");

    let me = app.fixture.admin;
    let p = problem(app.post_json(&admin, &format!("/api/v1/admin/users/{me}/deactivate"), &json!({})).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("cannot_deactivate_self"), Some("id")));
    let rows = changes(&app, &admin, &format!("entity=user&entity_id={anna}")).await;
    assert_eq!((rows[0]["action"].as_str(), rows[0]["after"]["active"].as_bool()), (Some("reactivate"), Some(true)));
    assert_eq!((rows[1]["action"].as_str(), rows[1]["after"]["active"].as_bool()), (Some("deactivate"), Some(false)));
}

async fn an_administrator_lists_and_revokes_another_users_api_token(app: TestApp) {
    let admin = app.token_for("admin").await;
    let lars_token = app.token_for("lars").await;
    assert_eq!(app.get(&lars_token, "/api/v1/me").await.status(), 200);
    let lars = app.fixture.other_prescriber;
    let list: Value = app.get(&admin, &format!("/api/v1/admin/tokens?user_id={lars}")).await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0].get("token_hash").is_none(), "never the hash");
    let id = list[0]["id"].as_i64().unwrap();
    let resp = app.post_json(&admin, &format!("/api/v1/admin/tokens/{id}/revoke"), &json!({})).await;
    assert_eq!(resp.status(), 204);
    assert_eq!(app.get(&lars_token, "/api/v1/me").await.status(), 401, "revoked at once");
    let open: Value = app.get(&admin, &format!("/api/v1/admin/tokens?user_id={lars}")).await.json().await.unwrap();
    assert_eq!(open, json!([]));
    let all: Value = app
        .get(&admin, &format!("/api/v1/admin/tokens?user_id={lars}&include_revoked=true"))
        .await
        .json()
        .await
        .unwrap();
    assert!(all[0]["revoked_at"].is_string(), "{all}");
    let p = problem(app.post_json(&admin, "/api/v1/admin/tokens/999999/revoke", &json!({})).await).await;
    assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(404), Some("token_not_found")));
    let rows = changes(&app, &admin, "entity=api_token").await;
    assert_eq!(rows[0]["before"]["revoked_at"], Value::Null);
    assert!(rows[0]["after"]["revoked_at"].is_string());
}

fn article(number: &str) -> Value {
    json!({ "article_number": number, "iso_code": "12 06 06", "name": "Rollator Lätt", "supplier": "Ny Leverantör AB",
        "purchase_price_ore": 180_000, "monthly_rent_ore": 3_000, "kind": "main_device", "billing": "rental",
        "lead_time_class": "stock_7", "service_life_months": 96, "reconditionable": true, "product_area": "mobility",
        "valid_from": "2026-01-01" })
}

async fn an_administrator_creates_edits_and_retires_a_catalog_article(app: TestApp) {
    let admin = app.token_for("admin").await;
    created(app.post_json(&admin, "/api/v1/admin/articles", &article("r-900")).await).await;
    let hits: Value = app.get(&admin, "/api/v1/articles?q=rollator%20l%C3%A4tt").await.json().await.unwrap();
    let hit = hits.as_array().unwrap().iter().find(|h| h["article_number"] == "R-900").expect("searchable").clone();
    assert_eq!((hit["supplier"].as_str(), hit["iso_code"].as_str()), (Some("Ny Leverantör AB"), Some("120606")));

    let mut edited = article("ignored");
    edited["name"] = json!("Rollator Lätt II");
    assert_eq!(put_json(&app, &admin, "/api/v1/admin/articles/R-900", &edited).await.status(), 204);
    let retire = json!({ "valid_to": "2026-11-30" });
    assert_eq!(app.post_json(&admin, "/api/v1/admin/articles/R-900/retire", &retire).await.status(), 204);
    let hits: Value = app.get(&admin, "/api/v1/articles?q=R-900").await.json().await.unwrap();
    assert_eq!(
        (hits[0]["name"].as_str(), hits[0]["valid_to"].as_str()),
        (Some("Rollator Lätt II"), Some("2026-11-30"))
    );

    let rows = changes(&app, &admin, "entity=article").await;
    let actions: Vec<&str> = rows.iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["retire", "edit", "create"]);
    assert_eq!(
        (rows[0]["before"]["valid_to"].clone(), rows[0]["after"]["valid_to"].clone()),
        (Value::Null, json!("2026-11-30"))
    );
    assert_eq!(rows[1]["before"]["name"], "Rollator Lätt");
}

async fn a_non_administrator_is_refused_every_admin_operation_and_each_refusal_is_recorded(app: TestApp) {
    let anna = app.token_for("anna").await;
    let gets = [
        "/api/v1/admin/principals",
        "/api/v1/admin/units",
        "/api/v1/admin/users",
        "/api/v1/admin/users/1",
        "/api/v1/admin/tokens",
        "/api/v1/admin/changes",
    ];
    for path in gets {
        let p = problem(app.get(&anna, path).await).await;
        assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("role_required")), "{path}");
    }
    let posts = [
        ("/api/v1/admin/principals", json!({"code": "0187", "name": "Vaxholms stad", "kind": "municipality"})),
        ("/api/v1/admin/principals/1/customer-numbers", json!({"number": "1", "name": "x"})),
        (
            "/api/v1/admin/units",
            json!({"principal_id": 1, "hsa_id": "SE2321000016-9999", "name": "x", "kind": "primary_care", "customer_number_id": 1}),
        ),
        ("/api/v1/admin/units/1/deactivate", json!({})),
        ("/api/v1/admin/units/1/reactivate", json!({})),
        (
            "/api/v1/admin/users",
            json!({"username": "eve", "display_name": "Eve", "principal_id": 1, "roles": ["admin"]}),
        ),
        ("/api/v1/admin/users/2/deactivate", json!({})),
        ("/api/v1/admin/users/2/reactivate", json!({})),
        ("/api/v1/admin/tokens/1/revoke", json!({})),
        ("/api/v1/admin/articles", article("X-1")),
        ("/api/v1/admin/articles/R-100/retire", json!({"valid_to": "2026-12-31"})),
    ];
    for (path, body) in &posts {
        let p = problem(app.post_json(&anna, path, body).await).await;
        assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("role_required")), "{path}");
    }
    let puts = [
        ("/api/v1/admin/principals/1", json!({"name": "x"})),
        ("/api/v1/admin/customer-numbers/1", json!({"name": "x"})),
        ("/api/v1/admin/units/1", json!({"name": "x", "kind": "primary_care", "customer_number_id": 1})),
        ("/api/v1/admin/users/1/roles", json!({"roles": ["admin"]})),
        ("/api/v1/admin/users/1/unit", json!({"unit_id": null})),
        ("/api/v1/admin/users/1/competences", json!({"competences": []})),
        ("/api/v1/admin/articles/R-100", article("R-100")),
    ];
    for (path, body) in &puts {
        let p = problem(put_json(&app, &anna, path, body).await).await;
        assert_eq!((p["status"].as_i64(), p["code"].as_str()), (Some(403), Some("role_required")), "{path}");
    }
    let admin = app.token_for("admin").await;
    let anna_id = app.fixture.prescriber;
    let refused = changes(&app, &admin, &format!("outcome=refused&actor_user_id={anna_id}&limit=100")).await;
    assert_eq!(refused.len(), gets.len() + posts.len() + puts.len(), "every refusal recorded");
    assert!(refused.iter().any(|c| c["entity"] == "user" && c["action"] == "set_roles" && c["entity_id"] == 1));
    let me: Value = app.get(&anna, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["roles"], json!(["prescriber"]), "nothing changed");
}

async fn a_product_areas_agreement_area_applies_to_deliveries_from_the_change_and_is_logged(app: TestApp) {
    // Seed 003: "Samarbetsavtal för försörjning av personliga hjälpmedel, Överenskommelse för
    // hjälpmedel vid medicinsk behandling och digitala hjälpmedel".
    use crate::figures::{line, place};
    use chrono::TimeZone;
    use ramp_domain::article::LeadTimeClass::Stock7;
    ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture");
    let (admin, anna, lager) =
        (app.token_for("admin").await, app.token_for("anna").await, app.token_for("lager").await);
    let at = |m, d| chrono::Utc.with_ymd_and_hms(2026, m, d, 9, 0, 0).unwrap();
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    // K-600 (incontinence) delivered in September under the cooperation agreement.
    place(&app, line("municipality", Stock7, day(9, 10), at(9, 10))).await;
    let areas: Value = app.get(&admin, "/api/v1/admin/product-areas").await.json().await.unwrap();
    let incontinence = areas.as_array().unwrap().iter().find(|a| a["code"] == "incontinence").unwrap().clone();
    assert_eq!(
        (incontinence["agreement_area"].as_str(), incontinence["drug_adjacent"].as_bool()),
        (Some("cooperation"), Some(false))
    );

    // Act: the area moves to medical treatment; refusals first.
    let body = json!({"agreement_area": "overenskommelsen", "drug_adjacent": true});
    let bad = put_json(
        &app,
        &admin,
        "/api/v1/admin/product-areas/incontinence",
        &json!({"agreement_area": "medical", "drug_adjacent": false}),
    )
    .await;
    let unknown = put_json(&app, &admin, "/api/v1/admin/product-areas/nowhere", &body).await;
    let refused = put_json(&app, &anna, "/api/v1/admin/product-areas/incontinence", &body).await;
    let done = put_json(&app, &admin, "/api/v1/admin/product-areas/incontinence", &body).await;
    place(&app, line("municipality", Stock7, day(10, 12), at(10, 12))).await;

    // Assert
    assert_eq!(bad.status(), 422);
    assert_eq!(problem(bad).await["field"], "agreement_area");
    assert_eq!(unknown.status(), 404);
    assert_eq!(refused.status(), 403);
    assert_eq!(done.status(), 204);
    let t: Value =
        app.get(&lager, "/api/v1/figures/delivery-reliability?from=2026-09&to=2026-10").await.json().await.unwrap();
    let cells = |row: usize| -> Vec<i64> {
        t["rows"][row]["cells"].as_array().unwrap().iter().map(|c| c["delivered"].as_i64().unwrap()).collect()
    };
    assert_eq!(cells(0), [1, 0], "September's delivery keeps the cooperation agreement");
    assert_eq!(cells(1), [0, 1], "October's is counted under Överenskommelsen");
    let rows = changes(&app, &admin, "entity=product_area&outcome=done").await;
    assert_eq!(rows.len(), 1, "one change done: {rows:?}");
    assert_eq!(
        (rows[0]["before"]["agreement_area"].as_str(), rows[0]["before"]["drug_adjacent"].as_bool()),
        (Some("cooperation"), Some(false))
    );
    assert_eq!(
        (rows[0]["after"]["agreement_area"].as_str(), rows[0]["after"]["drug_adjacent"].as_bool()),
        (Some("overenskommelsen"), Some(true))
    );
}

async fn bad_input_is_refused_naming_the_field(app: TestApp) {
    let admin = app.token_for("admin").await;
    let region = app.fixture.region;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/api/v1/admin/principals",
            json!({"code": "0187", "name": "Vaxholm", "kind": "county"}),
            "kind",
            "invalid_principal_kind",
        ),
        (
            "/api/v1/admin/principals",
            json!({"code": "187", "name": "Vaxholm", "kind": "municipality"}),
            "code",
            "invalid_municipality_code",
        ),
        (
            "/api/v1/admin/principals",
            json!({"code": "0186", "name": "Lidingö", "kind": "municipality"}),
            "code",
            "code_taken",
        ),
        (
            "/api/v1/admin/principals/1/customer-numbers",
            json!({"number": "100001", "name": "Dubblett"}),
            "number",
            "customer_number_taken",
        ),
        (
            "/api/v1/admin/units",
            json!({"principal_id": region, "hsa_id": "SE123", "name": "x", "kind": "primary_care", "customer_number_id": 1}),
            "hsa_id",
            "invalid_hsa_id",
        ),
        (
            "/api/v1/admin/units",
            json!({"principal_id": region, "hsa_id": "SE2321000016-0001", "name": "x", "kind": "primary_care", "customer_number_id": 1}),
            "hsa_id",
            "hsa_id_taken",
        ),
        (
            "/api/v1/admin/units",
            json!({"principal_id": region, "hsa_id": "SE2321000016-0009", "name": "x", "kind": "moon_base", "customer_number_id": 1}),
            "kind",
            "invalid_unit_kind",
        ),
        (
            "/api/v1/admin/units",
            json!({"principal_id": region, "hsa_id": "SE2321000016-0009", "name": "x", "kind": "primary_care", "customer_number_id": 2}),
            "customer_number_id",
            "customer_number_of_other_principal",
        ),
        (
            "/api/v1/admin/users",
            json!({"username": "Bo Ot", "display_name": "Bo", "principal_id": region, "roles": ["prescriber"]}),
            "username",
            "invalid_username",
        ),
        (
            "/api/v1/admin/users",
            json!({"username": "anna", "display_name": "Anna", "principal_id": region, "roles": ["prescriber"]}),
            "username",
            "username_taken",
        ),
        (
            "/api/v1/admin/users",
            json!({"username": "bo", "display_name": "Bo", "password": "kort", "principal_id": region, "roles": ["prescriber"]}),
            "password",
            "password_too_short",
        ),
        (
            "/api/v1/admin/users",
            json!({"username": "bo", "display_name": "Bo", "principal_id": region, "roles": ["pilot"]}),
            "roles",
            "invalid_role",
        ),
        (
            "/api/v1/admin/users",
            json!({"username": "bo", "display_name": "Bo", "principal_id": region, "unit_id": 2, "roles": ["prescriber"]}),
            "unit_id",
            "unit_of_other_principal",
        ),
        (
            "/api/v1/admin/users",
            json!({"username": "bo", "display_name": "Bo", "principal_id": region, "roles": ["prescriber"],
            "competences": [{"competence": "mobility", "valid_from": "2026-13-01"}]}),
            "competences[0].valid_from",
            "invalid_date",
        ),
        (
            "/api/v1/admin/users",
            json!({"username": "bo", "display_name": "Bo", "principal_id": region, "roles": ["prescriber"],
            "competences": [{"competence": "flying"}]}),
            "competences[0].competence",
            "unknown_competence",
        ),
        (
            "/api/v1/admin/users",
            json!({"username": "bo", "display_name": "Bo", "principal_id": region, "roles": ["prescriber"],
            "competences": [{"competence": "mobility", "valid_from": "2026-06-01", "valid_to": "2026-01-01"}]}),
            "competences[0].valid_to",
            "after_to",
        ),
    ];
    for (path, body, field, code) in cases {
        let p = problem(app.post_json(&admin, path, &body).await).await;
        assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some(field), Some(code)), "{path} {body}: {p}");
    }
    for (change, field, code) in [
        (json!({"iso_code": "12"}), "iso_code", "invalid_iso_code"),
        (json!({"article_number": "R-100"}), "article_number", "article_number_taken"),
        (json!({"purchase_price_ore": -1}), "purchase_price_ore", "invalid_amount"),
        (json!({"purchase_price_ore": 9_000_000_000_000_000_000i64}), "purchase_price_ore", "invalid_amount"),
        (json!({"gtin": "7310000000001"}), "gtin", "invalid_gtin"),
        (json!({"product_area": "space"}), "product_area", "unknown_product_area"),
        (json!({"kind": "chair"}), "kind", "invalid_kind"),
        (json!({"valid_to": "2025-12-31"}), "valid_to", "after_to"),
        (json!({"valid_from": "0000-01-01"}), "valid_from", "invalid_date"),
    ] {
        let mut body = article("R-901");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let p = problem(app.post_json(&admin, "/api/v1/admin/articles", &body).await).await;
        assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some(field), Some(code)), "{change}: {p}");
    }
    let p =
        problem(app.post_json(&admin, "/api/v1/admin/articles/R-100/retire", &json!({"valid_to": "2020-01-01"})).await)
            .await;
    assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some("valid_to"), Some("after_to")));
    let p = problem(app.get(&admin, "/api/v1/admin/changes?entity=device").await).await;
    assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some("entity"), Some("invalid_entity")));
    let me = app.fixture.admin;
    let p = problem(
        put_json(&app, &admin, &format!("/api/v1/admin/users/{me}/roles"), &json!({"roles": ["finance"]})).await,
    )
    .await;
    assert_eq!((p["field"].as_str(), p["code"].as_str()), (Some("roles"), Some("cannot_remove_own_admin")));
    assert_eq!(changes(&app, &admin, "outcome=done").await, Vec::<Value>::new(), "nothing refused was written");
}

async fn accounts_unused_for_twelve_months_are_deactivated_by_the_job_on_the_fixed_clock(app: TestApp) {
    // The fixture's accounts were created 2024-01-01 and never used; anna logs in today.
    let cookie = session_cookie(&log_in(&app, "anna", PASSWORD).await);
    app.clock.advance(Duration::days(364));
    let first = admin::deactivate_inactive_users(&app.app).await.unwrap();
    let f = &app.fixture;
    assert_eq!(first, vec![f.other_prescriber, f.warehouse_user, f.admin], "all but anna");
    assert_eq!(
        admin::deactivate_inactive_users(&app.app).await.unwrap(),
        Vec::<i64>::new(),
        "a second run does nothing"
    );
    assert_eq!(me_with_cookie(&app, &cookie).await, 401, "anna's session ran out after 10 hours anyway");

    app.clock.advance(Duration::days(2));
    assert_eq!(admin::deactivate_inactive_users(&app.app).await.unwrap(), vec![f.prescriber]);
    assert_eq!(problem(log_in(&app, "anna", PASSWORD).await).await["code"], "invalid_credentials");

    let q = ramp_app::model::ChangeQuery { limit: 100, ..Default::default() };
    let rows = app.storage.admin_changes(&q).await.unwrap();
    assert_eq!(rows.len(), 4, "one row per deactivation");
    for row in &rows {
        assert_eq!((row.action.as_str(), row.actor_user_id), ("deactivate_inactive", None));
        let before: Value = serde_json::from_str(row.before.as_deref().unwrap()).unwrap();
        let after: Value = serde_json::from_str(row.after.as_deref().unwrap()).unwrap();
        assert_eq!((before["active"].as_bool(), after["active"].as_bool()), (Some(true), Some(false)));
    }
}

async fn a_prescriber_whose_competence_period_has_ended_may_not_order_in_its_product_area(app: TestApp) {
    let f = ramp_storage::fixture_ordering::load(app.storage.as_ref()).await.expect("ordering fixture");
    let admin = app.token_for("admin").await;
    let anna = app.token_for("anna").await;
    let anna_id = app.fixture.prescriber;
    let ended = json!({ "competences": [{ "competence": "mobility", "valid_to": "2026-11-22" }] });
    let path = format!("/api/v1/admin/users/{anna_id}/competences");
    assert_eq!(put_json(&app, &admin, &path, &ended).await.status(), 204);
    let line = json!({ "personal_id": f.sven_pnr, "article_number": "R-200" });
    let p = problem(app.post_json(&anna, "/api/v1/cart/items", &line).await).await;
    assert_eq!((p["code"].as_str(), p["field"].as_str()), (Some("competence_required"), Some("article_number")));
    let renewed = json!({ "competences": [{ "competence": "mobility", "valid_from": "2026-11-23" }] });
    assert_eq!(put_json(&app, &admin, &path, &renewed).await.status(), 204);
    assert_eq!(app.post_json(&anna, "/api/v1/cart/items", &line).await.status(), 201);
}

async fn the_change_list_pages_newest_first_by_cursor(app: TestApp) {
    let admin = app.token_for("admin").await;
    for name in ["Ett", "Två", "Tre"] {
        let resp = put_json(&app, &admin, "/api/v1/admin/principals/2", &json!({ "name": name })).await;
        assert_eq!(resp.status(), 204);
    }
    let page: Value = app.get(&admin, "/api/v1/admin/changes?entity=principal&limit=2").await.json().await.unwrap();
    let names: Vec<&str> =
        page["changes"].as_array().unwrap().iter().map(|c| c["after"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Tre", "Två"]);
    let next = page["next_before"].as_i64().expect("a next page");
    let page: Value = app
        .get(&admin, &format!("/api/v1/admin/changes?entity=principal&limit=2&before={next}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["changes"][0]["before"]["name"], "Stockholms stad");
    assert_eq!(page["changes"][0]["after"]["name"], "Ett");
    let today: Value =
        app.get(&admin, "/api/v1/admin/changes?from=2026-11-23&to=2026-11-23").await.json().await.unwrap();
    assert_eq!(today["changes"].as_array().unwrap().len(), 3);
    let later: Value = app.get(&admin, "/api/v1/admin/changes?from=2026-11-24").await.json().await.unwrap();
    assert_eq!(later["changes"], json!([]));
}

ramp_testkit::on_both_engines!(
    an_administrator_creates_and_edits_a_principal_its_customer_number_and_a_unit,
    an_administrator_creates_a_user_who_logs_in_with_the_roles_unit_and_competences_given,
    a_deactivated_user_cannot_log_in_and_their_sessions_and_tokens_stop_working_until_reactivated,
    an_administrator_lists_and_revokes_another_users_api_token,
    an_administrator_creates_edits_and_retires_a_catalog_article,
    a_non_administrator_is_refused_every_admin_operation_and_each_refusal_is_recorded,
    bad_input_is_refused_naming_the_field,
    accounts_unused_for_twelve_months_are_deactivated_by_the_job_on_the_fixed_clock,
    a_prescriber_whose_competence_period_has_ended_may_not_order_in_its_product_area,
    the_change_list_pages_newest_first_by_cursor,
    a_product_areas_agreement_area_applies_to_deliveries_from_the_change_and_is_logged,
);
