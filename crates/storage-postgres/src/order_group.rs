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

use chrono::{DateTime, NaiveDate, Utc};
use ramp_storage::sql::orders::{oldest_available, one_pick_per_article};
use ramp_storage::writer_thread::WriterThread;
use ramp_storage::{DirectPlacement, Id, NewDirectOrder, ReservedDevice, Result, SqlStorage, StorageError};
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
/// order row and a fresh id); `l`: one row per line, in order. The pick
/// walks the lines one by one as the `UPDATE` takes each device, so a
/// later line of the same article skips the device an earlier one took
/// in this statement (PostgreSQL does not lock a row the same command
/// already changed) and takes the next.
fn group_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let pick = oldest_available("l.at", "l.article_id", " FOR UPDATE OF d SKIP LOCKED");
        format!(
            "WITH o AS MATERIALIZED (SELECT t.*, nextval(pg_get_serial_sequence('orders', 'id')::regclass) AS id \
               FROM unnest($1::bool[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], \
                 $9::text[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], $14::date[], $15::date[], $16::text[], $17::text[], \
                 $18::timestamptz[]) WITH ORDINALITY AS t(has_audit, a_at, a_user, a_patient, a_action, a_reason, a_detail, a_request, \
                 target, patient_id, unit_id, created_by, goal, evaluation_date, end_date, idempotency_key, request_hash, at, k)), \
             l AS MATERIALIZED (SELECT * FROM unnest($19::bigint[], $20::int[], $21::bigint[], $22::bigint[], $23::text[], $24::bool[], \
                 $25::int[], $26::text[], $27::text[], $28::bigint[], $29::text[], $30::text[], $31::text[], $32::text[], $33::bool[], \
                 $34::text[], $35::date[], $36::bigint[], $37::bigint[], $38::bigint[], $39::text[], $40::timestamptz[], $41::bigint[], \
                 $42::bigint[]) WITH ORDINALITY AS t(k, line_no, article_id, requested_article_id, substitution, individual, quantity, \
                 need, payer, customer_number_id, rule_id, agreement_version, explanation_sv, explanation_en, trust_prescription, \
                 lead_time_class, promised_date, answer_group_id, answer_requested_id, answer_proposed_id, answer, at, created_by, \
                 patient_id, n)), \
             audit AS (INSERT INTO audit_log (occurred_at, user_id, patient_id, action, reason, detail, request_id) \
               SELECT a_at, a_user, a_patient, a_action, a_reason, a_detail, a_request FROM o WHERE has_audit ORDER BY k), \
             ord AS (INSERT INTO orders (id, target, patient_id, unit_id, created_by, status, goal, evaluation_date, end_date, \
                 idempotency_key, request_hash, created_at, updated_at) \
               SELECT id, target, patient_id, unit_id, created_by, 'registered', goal, evaluation_date, end_date, idempotency_key, \
                 request_hash, at, at FROM o ORDER BY k), \
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
             line AS (INSERT INTO order_lines (order_id, line_no, article_id, requested_article_id, substitution, device_id, quantity, \
                 need, payer, customer_number_id, rule_id, agreement_version, explanation_sv, explanation_en, trust_prescription, \
                 lead_time_class, promised_date, state) \
               SELECT o.id, l.line_no, l.article_id, l.requested_article_id, l.substitution, p.id, l.quantity, l.need, l.payer, \
                 l.customer_number_id, l.rule_id, l.agreement_version, l.explanation_sv, l.explanation_en, l.trust_prescription, \
                 l.lead_time_class, l.promised_date, 'open' \
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

/// The statement's parameters: one array per column, `$1`–`$18` one
/// element per order, `$19`–`$42` one per line (its order's number `k`
/// counting from 1, as `WITH ORDINALITY` numbers the orders).
#[derive(Default)]
struct Columns {
    has_audit: Vec<bool>,
    a_at: Vec<Option<DateTime<Utc>>>,
    a_user: Vec<Option<Id>>,
    a_patient: Vec<Option<Id>>,
    a_action: Vec<Option<String>>,
    a_reason: Vec<Option<String>>,
    a_detail: Vec<Option<String>>,
    a_request: Vec<Option<String>>,
    target: Vec<String>,
    patient_id: Vec<Option<Id>>,
    unit_id: Vec<Id>,
    created_by: Vec<Id>,
    goal: Vec<Option<String>>,
    evaluation_date: Vec<Option<NaiveDate>>,
    end_date: Vec<Option<NaiveDate>>,
    idempotency_key: Vec<Option<String>>,
    request_hash: Vec<Option<String>>,
    at: Vec<DateTime<Utc>>,
    lines: LineColumns,
}

#[derive(Default)]
struct LineColumns {
    k: Vec<i64>,
    line_no: Vec<i32>,
    article_id: Vec<Id>,
    requested_article_id: Vec<Id>,
    substitution: Vec<String>,
    individual: Vec<bool>,
    quantity: Vec<i32>,
    need: Vec<Option<String>>,
    payer: Vec<String>,
    customer_number_id: Vec<Id>,
    rule_id: Vec<String>,
    agreement_version: Vec<String>,
    explanation_sv: Vec<String>,
    explanation_en: Vec<String>,
    trust_prescription: Vec<bool>,
    lead_time_class: Vec<String>,
    promised_date: Vec<NaiveDate>,
    answer_group_id: Vec<Option<Id>>,
    answer_requested_id: Vec<Option<Id>>,
    answer_proposed_id: Vec<Option<Id>>,
    answer: Vec<Option<String>>,
    at: Vec<DateTime<Utc>>,
    created_by: Vec<Id>,
    patient_id: Vec<Option<Id>>,
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

impl Columns {
    fn of(orders: &[&NewDirectOrder]) -> Self {
        let mut c = Columns::default();
        for (k, d) in orders.iter().enumerate() {
            c.push_order(d);
            for (i, l) in d.lines.iter().enumerate() {
                c.lines.push(k as i64 + 1, i as i32 + 1, l, &d.order);
            }
        }
        c
    }

    fn push_order(&mut self, d: &NewDirectOrder) {
        let o = &d.order;
        let a = o.audit.as_ref();
        self.has_audit.push(a.is_some());
        self.a_at.push(a.map(|a| a.occurred_at));
        self.a_user.push(a.map(|a| a.user_id));
        self.a_patient.push(a.and_then(|a| a.patient_id));
        self.a_action.push(a.map(|a| a.action.clone()));
        self.a_reason.push(a.map(|a| a.reason.as_str().to_string()));
        self.a_detail.push(a.and_then(|a| a.detail.clone()));
        self.a_request.push(a.and_then(|a| a.request_id.clone()));
        self.target.push(o.target.as_str().to_string());
        self.patient_id.push(o.patient_id);
        self.unit_id.push(o.unit_id);
        self.created_by.push(o.created_by);
        self.goal.push(o.goal.clone());
        self.evaluation_date.push(o.evaluation_date);
        self.end_date.push(o.end_date);
        self.idempotency_key.push(o.idempotency_key.clone());
        self.request_hash.push(o.request_hash.clone());
        self.at.push(o.at);
    }

    fn bind(self, q: Query<'_>) -> Query<'_> {
        let l = self.lines;
        q.bind(self.has_audit)
            .bind(self.a_at)
            .bind(self.a_user)
            .bind(self.a_patient)
            .bind(self.a_action)
            .bind(self.a_reason)
            .bind(self.a_detail)
            .bind(self.a_request)
            .bind(self.target)
            .bind(self.patient_id)
            .bind(self.unit_id)
            .bind(self.created_by)
            .bind(self.goal)
            .bind(self.evaluation_date)
            .bind(self.end_date)
            .bind(self.idempotency_key)
            .bind(self.request_hash)
            .bind(self.at)
            .bind(l.k)
            .bind(l.line_no)
            .bind(l.article_id)
            .bind(l.requested_article_id)
            .bind(l.substitution)
            .bind(l.individual)
            .bind(l.quantity)
            .bind(l.need)
            .bind(l.payer)
            .bind(l.customer_number_id)
            .bind(l.rule_id)
            .bind(l.agreement_version)
            .bind(l.explanation_sv)
            .bind(l.explanation_en)
            .bind(l.trust_prescription)
            .bind(l.lead_time_class)
            .bind(l.promised_date)
            .bind(l.answer_group_id)
            .bind(l.answer_requested_id)
            .bind(l.answer_proposed_id)
            .bind(l.answer)
            .bind(l.at)
            .bind(l.created_by)
            .bind(l.patient_id)
    }
}

impl LineColumns {
    fn push(&mut self, k: i64, line_no: i32, d: &ramp_storage::NewDirectLine, o: &ramp_storage::NewOrder) {
        let l = &d.line;
        let a = d.answer.as_ref();
        self.k.push(k);
        self.line_no.push(line_no);
        self.article_id.push(l.article_id);
        self.requested_article_id.push(l.requested_article_id);
        self.substitution.push(l.substitution.as_str().to_string());
        self.individual.push(d.individual);
        self.quantity.push(l.quantity);
        self.need.push(l.need.clone());
        self.payer.push(l.payer.clone());
        self.customer_number_id.push(l.customer_number_id);
        self.rule_id.push(l.rule_id.clone());
        self.agreement_version.push(l.agreement_version.clone());
        self.explanation_sv.push(l.explanation_sv.clone());
        self.explanation_en.push(l.explanation_en.clone());
        self.trust_prescription.push(l.trust_prescription);
        self.lead_time_class.push(l.lead_time_class.as_str().to_string());
        self.promised_date.push(l.promised_date);
        self.answer_group_id.push(a.map(|a| a.group_id));
        self.answer_requested_id.push(a.map(|a| a.requested_article_id));
        self.answer_proposed_id.push(a.map(|a| a.proposed_article_id));
        self.answer.push(a.map(|a| a.answer.as_str().to_string()));
        self.at.push(o.at);
        self.created_by.push(o.created_by);
        self.patient_id.push(o.patient_id);
    }
}
