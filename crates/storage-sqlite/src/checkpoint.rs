//! WAL checkpoints beside the writer, not inside its commits.
//!
//! SQLite copies the write-ahead log back into the database file (and
//! syncs it) when a commit finds the log past `wal_autocheckpoint` pages,
//! on the committing connection: the one writer then holds the database
//! for the copy, and every other writer waits (under `ramp bench orders`
//! 8 % of the writer's time, fsync included). Here a connection of its own
//! runs a PASSIVE checkpoint a few times a second, which copies what no
//! reader still needs without blocking the writer. The writer keeps a high
//! `wal_autocheckpoint` as the backstop, should this connection fail.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::sync::Weak;
use std::time::Duration;

/// How often the log is checkpointed.
const EVERY: Duration = Duration::from_millis(250);

/// The writer's own threshold, in pages (4 KiB): ten times SQLite's
/// default, reached only if the checkpointer is not keeping up.
pub const WRITER_AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// Checkpoints the database of `options` every [`EVERY`] while `alive`
/// can be upgraded (the storage exists).
pub async fn run(options: SqliteConnectOptions, alive: Weak<()>) {
    let Ok(mut conn) = options.connect().await else {
        return;
    };
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if alive.upgrade().is_none() {
            break;
        }
        // A failed round (the file busy in another process) is tried again next time.
        let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut conn).await;
    }
    let _ = conn.close().await;
}
