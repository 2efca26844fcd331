//! `ramp backup` while orders are being written, `ramp restore` into a new
//! database, and the invariants on what came back (issue 20, point 3), on
//! both engines: the backup is one consistent moment — every order in it
//! is whole, none is missing that was answered before the backup began,
//! none is there that was placed after it ended.

use crate::crash::keep_ordering;
use crate::support::*;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_backup_taken_while_orders_are_written_restores_whole_and_consistent() {
    let dir = test_dir();
    let name = unique_name();
    let (from, to) = (dir.join(format!("{name}.db")), dir.join(format!("{name}-restored.db")));
    let file = dir.join(format!("{name}.backup"));
    round_trip(&format!("sqlite:{}", from.display()), &format!("sqlite:{}", to.display()), &file).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_backup_taken_while_orders_are_written_restores_whole_and_consistent() {
    let Some(from) = PgDatabase::create("backup test").await else { return };
    let to = PgDatabase::create("backup test").await.expect("the same cluster");
    let file = test_dir().join(format!("{}.backup", unique_name()));
    round_trip(&from.url, &to.url, &file).await;
    from.drop().await;
    to.drop().await;
}

fn ramp(url: &str, args: &[&str]) -> Output {
    std::process::Command::new(RAMP)
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ramp")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

async fn orders(url: &str) -> i64 {
    Db::connect(url).await.number("SELECT COUNT(*) FROM orders").await
}

async fn round_trip(url: &str, restored: &str, file: &std::path::Path) {
    // Arrange: the small demo served, and clients ordering all the time.
    let mut server = Server::start(url).await;
    let session = server.login().await;
    let jobs = orderable_pairs(&server, &session, url).await;
    let placed = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (base, session, placed) = (server.base.clone(), session.clone(), placed.clone());
        let mine: Vec<(String, String)> = jobs.iter().skip(c).step_by(CLIENTS).cloned().collect();
        clients.push(tokio::spawn(async move { keep_ordering(&base, &session, &mine, &placed, deadline).await }));
    }
    while placed.load(Ordering::Relaxed) < 5 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Act: the backup, with orders going on before, during and after it.
    let before = orders(url).await;
    let placed_before = placed.load(Ordering::Relaxed);
    let file_arg = file.to_string_lossy().to_string();
    let backup = tokio::task::spawn_blocking({
        let url = url.to_string();
        let file_arg = file_arg.clone();
        move || ramp(&url, &["backup", "--to", &file_arg])
    })
    .await
    .expect("backup task");
    let after = orders(url).await;
    let placed_during = placed.load(Ordering::Relaxed) - placed_before;
    while placed.load(Ordering::Relaxed) < placed_before + placed_during + 5 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().await;
    futures_join(clients).await;
    assert!(backup.status.success(), "ramp backup: {}", text(&backup));
    assert!(placed.load(Ordering::Relaxed) > placed_before, "orders were written around the backup");

    // Assert: a second backup to the same file is refused; the restore into
    // the new database checks the invariants and holds exactly one moment.
    let again = ramp(url, &["backup", "--to", &file_arg]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(text(&again).contains("to: "), "the error names the flag: {}", text(&again));
    let restore = ramp(restored, &["restore", "--from", &file_arg]);
    assert!(restore.status.success(), "ramp restore: {}", text(&restore));
    assert!(text(&restore).contains("invariants hold"), "{}", text(&restore));
    let got = orders(restored).await;
    eprintln!("{url}: {before} orders before the backup, {after} after it, {got} in the restored database");
    assert!((before..=after).contains(&got), "the backup is one moment between {before} and {after}: {got}");
    check_nothing_half_written(restored, Baseline::of(restored).await).await;

    // A restore into a database that is not empty is refused and changes nothing.
    let twice = ramp(restored, &["restore", "--from", &file_arg]);
    assert_eq!(twice.status.code(), Some(2), "{}", text(&twice));
    assert!(text(&twice).contains("database_url: the target database is not empty"), "{}", text(&twice));
    assert_eq!(orders(restored).await, got);
    let verify = ramp(restored, &["verify"]);
    assert!(verify.status.success() && text(&verify).contains("invariants hold"), "{}", text(&verify));
}
