//! `ramp token add`, `list` and `revoke` as an operator runs them, on
//! both engines (PostgreSQL when `RAMP_TEST_POSTGRES_URL` names a cluster):
//! a live token is listed without its secret, a revoked one as revoked and
//! refused by the server; revoking it again is bad input.

use crate::support::*;
use std::process::Output;

fn ramp(url: &str, args: &[&str]) -> Output {
    std::process::Command::new(RAMP)
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("ramp runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_ramp_token_revoke_stops_a_token_at_once() {
    let url = format!("sqlite:{}", test_dir().join(format!("{}.db", unique_name())).display());
    ramp_token_revoke_stops_a_token_at_once(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_ramp_token_revoke_stops_a_token_at_once() {
    let Some(db) = PgDatabase::create("token test").await else { return };
    ramp_token_revoke_stops_a_token_at_once(&db.url).await;
    db.drop().await;
}

async fn ramp_token_revoke_stops_a_token_at_once(url: &str) {
    let server = Server::start(url).await;
    let token = stdout(&ramp(url, &["token", "add", "--username", "forskrivare", "--name", "Journalkoppling"]));
    let token = token.trim();
    let me = || server.client.get(format!("{}/api/v1/me", server.base)).bearer_auth(token).send();

    let listed = stdout(&ramp(url, &["token", "list", "--username", "forskrivare"]));
    let line = listed.lines().find(|l| l.contains("Journalkoppling")).expect("the token is listed");
    assert!(line.ends_with("\tlive") && !listed.contains(token), "never the secret: {listed}");
    let id = line.split('\t').next().unwrap();
    assert_eq!(stdout(&ramp(url, &["token", "revoke", id])).trim(), format!("token {id} revoked"));

    // Not used before: the server has not cached it (a cached token stops within 30 seconds).
    assert_eq!(me().await.expect("me").status(), 401, "the server refuses the revoked token");
    let listed = stdout(&ramp(url, &["token", "list", "--username", "forskrivare"]));
    assert!(listed.lines().any(|l| l.starts_with(&format!("{id}\t")) && l.contains("\trevoked ")), "{listed}");
    let again = ramp(url, &["token", "revoke", id]);
    assert_eq!(again.status.code(), Some(2), "bad input");
    assert!(String::from_utf8_lossy(&again.stderr).contains(&format!("no live API token {id}")));
}
