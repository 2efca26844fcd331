//! Issue 3: "Editing an agreement file needs no code change and no restart
//! of `ramp serve` (reload on change or on a signal, refusing a broken file)."

use ramp_app::agreements::Agreements;
use ramp_domain::cost::AgreementSet;
use ramp_testkit::{spawn_app_with, Engine, TestApp};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

fn agreements_dir(engine: Engine) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ramp-reload-{}-{engine:?}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in AgreementSet::builtin_files() {
        let relative = path.trim_start_matches("agreements/");
        let target = dir.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
    dir
}

async fn payer(app: &TestApp, token: &str) -> String {
    let input = json!({"region": "stockholm", "date": "2026-11-23", "patient": {"age": 85}, "setting": "saebo",
        "product": {"iso": "120606", "kind": "device", "facts": {"special_adapted": false}}, "need": "lasting"});
    let d: Value = app.post_json(token, "/api/v1/cost-responsibility/decisions", &input).await.json().await.unwrap();
    d["payer"].as_str().unwrap_or_else(|| panic!("no payer: {d}")).to_string()
}

async fn wait_for_payer(app: &TestApp, token: &str, expected: &str) {
    for _ in 0..50 {
        if payer(app, token).await == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the payer never became {expected}");
}

fn write(dir: &Path, relative: &str, text: &str) {
    std::fs::write(dir.join(relative), text).unwrap();
}

async fn an_edited_agreement_takes_effect_without_a_restart_and_a_broken_one_is_refused(engine: Engine) {
    let dir = agreements_dir(engine);
    let store = Arc::new(Agreements::from_dir(dir.clone()).unwrap());
    store.clone().spawn_watcher(Duration::from_millis(100));
    let app = spawn_app_with(engine, store).await;
    let token = app.token_for("anna").await;
    assert_eq!(payer(&app, &token).await, "municipality", "rollators are on the SÄBO list (Bilaga 1)");

    // A new version from 2026-01-01 takes rollators (12 06) off the SÄBO list.
    let (_, text) = AgreementSet::builtin_files().iter().find(|(p, _)| p.contains("stockholm")).unwrap();
    let next = text.replace("effective_from = 2021-01-01", "effective_from = 2026-01-01");
    let next = next.replace(r#""12 03", "12 06", "12 31""#, r#""12 03", "12 31""#);
    write(&dir, "stockholm/2026-01-01.toml", &next);
    wait_for_payer(&app, &token, "region").await;

    // A broken edit is refused; the version in force stays.
    write(&dir, "stockholm/2026-01-01.toml", "region = \"stockholm\"\neffective_from = 2026-01-01\n[[rule]\n");
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(payer(&app, &token).await, "region");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_edited_agreement_takes_effect_without_a_restart_and_a_broken_one_is_refused() {
    an_edited_agreement_takes_effect_without_a_restart_and_a_broken_one_is_refused(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_an_edited_agreement_takes_effect_without_a_restart_and_a_broken_one_is_refused() {
    an_edited_agreement_takes_effect_without_a_restart_and_a_broken_one_is_refused(Engine::Postgres).await
}
