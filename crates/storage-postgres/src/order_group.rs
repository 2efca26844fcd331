//! Direct orders placed together on PostgreSQL: the orders that arrive
//! while others are being written go into the database as one statement.
//!
//! Why: an order placed directly is one `WITH` statement of eight writes
//! (see `direct_statement`). Measured under `ramp bench orders`, much of
//! PostgreSQL's time went to what every statement costs whatever its rows
//! are: starting the executor for the plan, opening and locking six tables
//! and their indexes, compiling their `CHECK` constraints, the round trip,
//! the pool's ping and the commit. Here the orders waiting at one moment
//! are written by one statement over arrays (`unnest`), whose plan does not
//! grow with the number of orders, so those costs are paid once per group.
//!
//! What does not change: each order gets the same rows, events and audit
//! entry as alone; a device is still picked oldest first with `FOR UPDATE
//! SKIP LOCKED` and taken by a conditional `UPDATE`, so the database still
//! decides who gets it. The statement is one transaction: if anything in
//! it fails (a line found no device, an idempotency key already used, a
//! deadlock) PostgreSQL undoes all of it, and every order of the group is
//! placed again on its own (`place_direct_order_alone`), which gives each
//! its own answer. An error that is not the database's answer (the
//! connection broke) is everyone's answer, as it would be alone: whether
//! the commit happened is not known, so nothing is written twice.
//!
//! No timer: a group is whatever queued while the last one was written
//! (at most [`MAX_GROUP`]). One group is written at a time: with two at
//! once the groups were a third the size and each order cost 25–40 % more
//! CPU (measured under `ramp bench orders`, 16 clients). The group is
//! written by a task on a thread of its own, not by any request's task, so
//! a client that goes away does not stop a group other orders are in.

use ramp_domain::Term;
use ramp_storage::sql::order_plan::{
    names, Array, Placeholders, LINE_COLUMNS, LINE_FIXED, LINE_KEYS, ORDER_COLUMNS, ORDER_FIXED,
};
use ramp_storage::sql::orders::{oldest_available, one_pick_per_article};
use ramp_storage::writer_thread::WriterThread;
use ramp_storage::{
    DirectPlacement, Id, NewAuditEntry, NewDirectLine, NewDirectOrder, NewOrder, NewReplacementAnswer, ReservedDevice,
    Result, SqlStorage, StorageError,
};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres, Row};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// Groups written at the same time (see the module documentation).
const RUNNERS: usize = 1;
/// The most orders in one statement.
const MAX_GROUP: usize = 32;

/// The queue of orders waiting for a statement, and the connections the
/// groups are written on.
pub struct OrderGroup {
    state: Mutex<State>,
    /// `RUNNERS` connections of their own, opened when first used, with
    /// `plan_cache_mode = force_generic_plan`: the statement's one plan
    /// fits every group (its arrays' lengths change nothing in it), but
    /// PostgreSQL would otherwise plan it anew for each group, as a plan
    /// for the actual lengths always looks cheaper to it (measured: 16 %
    /// of PostgreSQL's time in the planner).
    pool: PgPool,
    /// Where the runners run: a thread and runtime of their own, as for
    /// SQLite's writer ([`WriterThread`]), so that a group's answer is
    /// taken and the next group sent at once, not after the HTTP work
    /// queued in the server's runtime.
    thread: WriterThread,
}

impl OrderGroup {
    /// The queue, its thread, and a pool that connects when first used.
    pub fn start(options: PgConnectOptions) -> Result<Self> {
        let options = options.options([("plan_cache_mode", "force_generic_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(RUNNERS as u32)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .connect_lazy_with(options);
        Ok(Self { state: Mutex::default(), pool, thread: WriterThread::start("ramp-order-group")? })
    }

    /// The groups' connections.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    running: usize,
}

struct Job {
    order: NewDirectOrder,
    reply: oneshot::Sender<Result<DirectPlacement>>,
}

/// Places `order`: alone when it cannot share a statement, otherwise in
/// the next group written.
pub async fn place(storage: &SqlStorage, group: &Arc<OrderGroup>, order: NewDirectOrder) -> Result<DirectPlacement> {
    if !one_pick_per_article(&order) {
        return storage.place_direct_order_alone(&order).await;
    }
    let (reply, answer) = oneshot::channel();
    let start = {
        let mut state = group.state.lock().expect("order group lock");
        state.queue.push_back(Job { order, reply });
        let start = state.running < RUNNERS;
        if start {
            state.running += 1;
        }
        start
    };
    if start {
        let runner = Runner { storage: storage.clone(), group: group.clone(), armed: true };
        group.thread.spawn(runner.run());
    }
    answer.await.map_err(|_| gone())?
}

fn gone() -> StorageError {
    StorageError::Database(sqlx::Error::Protocol("the order group stopped before answering".into()).into())
}

/// Writes groups while orders are waiting. Leaving, it gives its place
/// back under the same lock that saw the queue empty, so an order queued
/// meanwhile always finds a runner or starts one; if its task is dropped
/// (the runtime stops), `Drop` gives the place back.
struct Runner {
    storage: SqlStorage,
    group: Arc<OrderGroup>,
    armed: bool,
}

impl Runner {
    /// Keeps one connection from group to group: given back to the pool
    /// after each, sqlx would first ping it (a round trip between one
    /// group and the next, when PostgreSQL would otherwise be busy).
    async fn run(mut self) {
        let mut conn = None;
        loop {
            let jobs: Vec<Job> = {
                let mut state = self.group.state.lock().expect("order group lock");
                if state.queue.is_empty() {
                    state.running -= 1;
                    self.armed = false;
                    return;
                }
                let n = state.queue.len().min(MAX_GROUP);
                state.queue.drain(..n).collect()
            };
            write(&self.storage, &self.group, &mut conn, jobs).await;
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        if self.armed {
            if let Ok(mut state) = self.group.state.lock() {
                state.running -= 1;
            }
        }
    }
}

/// Writes one group on `conn` (taken from the group's pool when there is
/// none) and answers each of its orders. A connection that failed other
/// than by the database's answer is given back, for the pool to test.
async fn write(storage: &SqlStorage, group: &OrderGroup, conn: &mut Option<PoolConnection<Postgres>>, jobs: Vec<Job>) {
    if jobs.len() == 1 {
        let job = jobs.into_iter().next().expect("one job");
        let _ = job.reply.send(storage.place_direct_order_alone(&job.order).await);
        return;
    }
    let orders: Vec<&NewDirectOrder> = jobs.iter().map(|j| &j.order).collect();
    let result = match conn {
        Some(c) => together(c, &orders).await,
        None => match group.pool.acquire().await {
            Ok(c) => together(conn.insert(c), &orders).await,
            Err(e) => Err(e),
        },
    };
    if !matches!(result, Ok(_) | Err(sqlx::Error::Database(_))) {
        *conn = None;
    }
    match result {
        Ok(placed) => {
            for (job, placed) in jobs.into_iter().zip(placed) {
                let _ = job.reply.send(Ok(placed));
            }
        }
        Err(sqlx::Error::Database(_)) => {
            for job in jobs {
                let _ = job.reply.send(storage.place_direct_order_alone(&job.order).await);
            }
        }
        Err(e) => {
            let message = format!("the grouped order statement failed: {e}");
            // A lost connection or a server restarting is the same for
            // every order of the group: each is answered 503, not 500.
            let unavailable = ramp_storage::db::storage_error(e).is_unavailable();
            for job in jobs {
                let cause = Box::new(sqlx::Error::Protocol(message.clone()));
                let error = if unavailable { StorageError::Unavailable(cause) } else { StorageError::Database(cause) };
                let _ = job.reply.send(Err(error));
            }
        }
    }
}

/// One statement for `orders` (see the module documentation). Answers one
/// placement per order, in order; a line that found no device divides by
/// zero in the final `SELECT`, which undoes the whole statement.
pub(crate) async fn together(
    conn: &mut PgConnection,
    orders: &[&NewDirectOrder],
) -> std::result::Result<Vec<DirectPlacement>, sqlx::Error> {
    let cols = Columns::of(orders);
    let rows = cols.bind(sqlx::query(group_sql())).fetch_all(conn).await?;
    let mut placed: Vec<(Option<Id>, Vec<Option<ReservedDevice>>)> =
        orders.iter().map(|o| (None, Vec::with_capacity(o.lines.len()))).collect();
    for row in &rows {
        let k: i64 = row.try_get("k")?;
        let slot = &mut placed[(k - 1) as usize];
        slot.0 = Some(row.try_get("order_id")?);
        let device: Option<Id> = row.try_get("device_id")?;
        let number: Option<String> = row.try_get("device_number")?;
        slot.1.push(device.zip(number).map(|(id, device_number)| ReservedDevice { id, device_number }));
    }
    placed
        .into_iter()
        .map(|(order_id, devices)| {
            let order_id =
                order_id.ok_or_else(|| sqlx::Error::Protocol("a grouped order came back without its id".into()))?;
            Ok(DirectPlacement::Placed { order_id, devices })
        })
        .collect()
}

/// The group statement. `o`: one row per order (its audit entry, its
/// order row and a fresh id); `l`: one row per line, in order. The
/// columns of `orders` and `order_lines` and their arrays come from the
/// tables in `ramp_storage::sql::order_plan`. The pick walks the lines
/// one by one as the `UPDATE` takes each device, so a later line of the
/// same article skips the device an earlier one took in this statement
/// (PostgreSQL does not lock a row the same command already changed) and
/// takes the next.
fn group_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let shape = Columns::of(&[]);
        let mut p = Placeholders::default();
        let o = unnest(&shape.orders, &mut p, "k");
        let l = unnest(&shape.lines, &mut p, "n");
        let pick = oldest_available("l.at", "l.article_id", " FOR UPDATE OF d SKIP LOCKED");
        let order_names = names(&["id"], ORDER_COLUMNS, ORDER_FIXED);
        let order_values = list(["id"].into_iter().chain(ORDER_COLUMNS.iter().map(|c| c.name)), ORDER_FIXED, "");
        let line_names = names(&LINE_KEYS, LINE_COLUMNS, LINE_FIXED);
        let line_values =
            list(["o.id", "l.line_no", "p.id"].into_iter().chain(LINE_COLUMNS.iter().map(|c| c.name)), LINE_FIXED, "l.");
        format!(
            "WITH o AS MATERIALIZED (SELECT t.*, nextval(pg_get_serial_sequence('orders', 'id')::regclass) AS id \
               FROM {o}), \
             l AS MATERIALIZED (SELECT * FROM {l}), \
             audit AS (INSERT INTO audit_log (occurred_at, user_id, patient_id, action, reason, detail, request_id, unit_id) \
               SELECT a_at, a_user, a_patient, a_action, a_reason, a_detail, a_request, \
                 (SELECT u.unit_id FROM users u WHERE u.id = a_user) FROM o WHERE has_audit ORDER BY k), \
             ord AS (INSERT INTO orders ({order_names}) SELECT {order_values} FROM o ORDER BY k), \
             pick AS (UPDATE devices t SET state = 'reserved', reserved_until = NULL, reserved_by = c.created_by, state_since = c.at \
               FROM (SELECT l.n, l.k, l.at, l.created_by, l.patient_id, ({pick}) AS device_id FROM l WHERE l.individual OFFSET 0) c \
               WHERE t.id = c.device_id AND (t.state = 'in_stock' OR (t.state = 'reserved' AND t.reserved_until <= c.at)) \
               RETURNING c.n, c.at, c.created_by, c.patient_id, t.id, t.warehouse_id, t.device_number), \
             stale AS (DELETE FROM cart_items WHERE device_id IN (SELECT id FROM pick)), \
             events AS (INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id) \
               SELECT p.id, p.at, e.kind, e.from_state, e.to_state, CASE WHEN e.seq > 0 THEN p.created_by END, \
                 CASE WHEN e.seq > 0 THEN p.patient_id END, p.warehouse_id \
               FROM pick p CROSS JOIN (VALUES (0, 'reservation_expired', 'reserved', 'in_stock'), (1, 'reserved', 'in_stock', 'reserved'), \
                 (2, 'ordered', 'reserved', 'reserved')) AS e (seq, kind, from_state, to_state) \
               WHERE e.seq > 0 OR EXISTS (SELECT 1 FROM cart_items ci WHERE ci.device_id = p.id) ORDER BY p.n, e.seq), \
             line AS (INSERT INTO order_lines ({line_names}) SELECT {line_values} \
               FROM l JOIN o ON o.k = l.k LEFT JOIN pick p ON p.n = l.n ORDER BY l.n), \
             answer AS (INSERT INTO replacement_answers (occurred_at, user_id, group_id, requested_article_id, proposed_article_id, answer) \
               SELECT l.at, l.created_by, l.answer_group_id, l.answer_requested_id, l.answer_proposed_id, l.answer FROM l \
               WHERE l.answer IS NOT NULL ORDER BY l.n), \
             registered AS (INSERT INTO order_events (order_id, occurred_at, from_status, to_status, actor_user_id) \
               SELECT id, at, NULL, 'registered', created_by FROM o ORDER BY k) \
             SELECT l.k, o.id AS order_id, p.id AS device_id, p.device_number, \
               1 / (CASE WHEN l.individual AND p.id IS NULL THEN 0 ELSE 1 END) AS found \
             FROM l JOIN o ON o.k = l.k LEFT JOIN pick p ON p.n = l.n ORDER BY l.n"
        )
    })
}

/// `unnest($1::bigint[], …) WITH ORDINALITY AS t(name, …, ordinal)`.
fn unnest(columns: &[(&str, Array<'_>)], p: &mut Placeholders, ordinal: &str) -> String {
    let arrays: Vec<String> = columns.iter().map(|(_, a)| format!("{}::{}", p.fresh(), a.pg_type())).collect();
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).chain([ordinal]).collect();
    format!("unnest({}) WITH ORDINALITY AS t({})", arrays.join(", "), names.join(", "))
}

/// `a, b, 'fixed'`: the values of an INSERT … SELECT, the columns' with
/// `prefix` unless they already name their table.
fn list<'a>(columns: impl Iterator<Item = &'a str>, fixed: &[(&str, &str)], prefix: &str) -> String {
    let values: Vec<String> = columns
        .map(|c| if c.contains('.') { c.to_string() } else { format!("{prefix}{c}") })
        .chain(fixed.iter().map(|(_, v)| v.to_string()))
        .collect();
    values.join(", ")
}

/// The statement's parameters: one array per column, named as `unnest`
/// names them: in `orders`, one element per order; in `lines`, one per
/// line (its order's number `k` counting from 1, as `WITH ORDINALITY`
/// numbers the orders). Besides the order's and the line's own columns
/// (the tables), the audit entry, the replacement answer, and what a
/// line's pick and events take from its order.
struct Columns<'a> {
    orders: Vec<(&'static str, Array<'a>)>,
    lines: Vec<(&'static str, Array<'a>)>,
}

/// A line of the group: its order's number, its number, the line and its order.
type GroupLine<'a> = (i64, i32, &'a NewDirectLine, &'a NewOrder);

impl<'a> Columns<'a> {
    fn of(orders: &[&'a NewDirectOrder]) -> Self {
        let audit: Vec<Option<&NewAuditEntry>> = orders.iter().map(|d| d.order.audit.as_ref()).collect();
        let mut o = vec![
            ("has_audit", Array::Bool(audit.iter().map(|a| Some(a.is_some())).collect())),
            ("a_at", Array::Instant(audit.iter().map(|a| a.map(|a| a.occurred_at)).collect())),
            ("a_user", Array::BigInt(audit.iter().map(|a| a.map(|a| a.user_id)).collect())),
            ("a_patient", Array::BigInt(audit.iter().map(|a| a.and_then(|a| a.patient_id)).collect())),
            ("a_action", Array::Text(audit.iter().map(|a| a.map(|a| a.action.as_str())).collect())),
            ("a_reason", Array::Text(audit.iter().map(|a| a.map(|a| a.reason.as_str())).collect())),
            ("a_detail", Array::Text(audit.iter().map(|a| a.and_then(|a| a.detail.as_deref())).collect())),
            ("a_request", Array::Text(audit.iter().map(|a| a.and_then(|a| a.request_id.as_deref())).collect())),
            ("at", Array::Instant(orders.iter().map(|d| Some(d.order.at)).collect())),
        ];
        o.extend(ORDER_COLUMNS.iter().map(|c| (c.name, Array::of(c, orders, |d| &d.order))));
        let lines: Vec<GroupLine<'a>> = orders
            .iter()
            .enumerate()
            .flat_map(|(k, d)| d.lines.iter().enumerate().map(move |(i, l)| (k as i64 + 1, i as i32 + 1, l, &d.order)))
            .collect();
        let answer: Vec<Option<&NewReplacementAnswer>> = lines.iter().map(|l| l.2.answer.as_ref()).collect();
        let mut l = vec![
            ("k", Array::BigInt(lines.iter().map(|l| Some(l.0)).collect())),
            ("line_no", Array::Int(lines.iter().map(|l| Some(l.1)).collect())),
            ("individual", Array::Bool(lines.iter().map(|l| Some(l.2.individual)).collect())),
            ("answer_group_id", Array::BigInt(answer.iter().map(|a| a.map(|a| a.group_id)).collect())),
            ("answer_requested_id", Array::BigInt(answer.iter().map(|a| a.map(|a| a.requested_article_id)).collect())),
            ("answer_proposed_id", Array::BigInt(answer.iter().map(|a| a.map(|a| a.proposed_article_id)).collect())),
            ("answer", Array::Text(answer.iter().map(|a| a.map(|a| a.answer.as_str())).collect())),
            ("at", Array::Instant(lines.iter().map(|l| Some(l.3.at)).collect())),
            ("created_by", Array::BigInt(lines.iter().map(|l| Some(l.3.created_by)).collect())),
            ("patient_id", Array::BigInt(lines.iter().map(|l| l.3.patient_id).collect())),
        ];
        l.extend(LINE_COLUMNS.iter().map(|c| (c.name, Array::of(c, &lines, |l| &l.2.line))));
        Columns { orders: o, lines: l }
    }

    fn bind<'q>(self, mut q: Query<'q>) -> Query<'q>
    where
        'a: 'q,
    {
        for (_, a) in self.orders.into_iter().chain(self.lines) {
            q = match a {
                Array::BigInt(v) => q.bind(v),
                Array::Int(v) => q.bind(v),
                Array::Bool(v) => q.bind(v),
                Array::Text(v) => q.bind(v),
                Array::Date(v) => q.bind(v),
                Array::Instant(v) => q.bind(v),
            };
        }
        q
    }
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_of_the_group_has_one_name() {
        let shape = Columns::of(&[]);
        for (side, columns) in [("o", &shape.orders), ("l", &shape.lines)] {
            let mut seen = std::collections::HashSet::new();
            for (name, _) in columns {
                assert!(seen.insert(*name), "{side}.{name} twice");
            }
        }
        assert_eq!(group_sql().matches("::").count(), shape.orders.len() + shape.lines.len() + 1);
    }
}
