//! [`crate::OrderStore`] for [`SqlStorage`], both engines. Row mappers
//! shared with the other aggregates are in [`super::rows`].

/// Column list of a cart item with its article (aliases keep the article's own names free).
pub const CART_COLUMNS: &str = "c.id AS cart_id, c.user_id, c.target, c.patient_id AS cart_patient_id, \
    c.unit_id AS cart_unit_id, c.requested_article_id, ra.article_number AS requested_article_number, \
    ra.name AS requested_article_name, c.substitution, c.device_id, dv.device_number, c.quantity, c.need, c.facts, \
    c.created_at AS cart_created_at, c.reserved_until";

/// The oldest available device of an article in central stock:
/// on the shelf, or reserved in a cart whose reservation ran out
/// before `now`. One walk of `devices_pickable_idx` (migration
/// 0010), whose condition [`PICKABLE`] is repeated here so both
/// engines' planners may use it: the article's devices in
/// purchase order that are on the shelf or in a cart, passing
/// over the carts' running reservations (few). Devices ordered
/// and waiting for delivery (reserved with no end) are not in the
/// index, so the pick costs the same however many orders wait.
/// The walk's conditions are its index's, so PostgreSQL's generic
/// plan is as good as a custom one and the prepared pick is not
/// planned again per order.
/// `lock` is the dialect's row-lock clause (see `reserve_oldest`).
pub fn oldest_available(now: &str, article: &str, lock: &str) -> String {
    format!(
        "SELECT d.id FROM devices d JOIN warehouses w ON w.id = d.warehouse_id \
         WHERE d.article_id = {article} AND {PICKABLE} AND (d.state = 'in_stock' OR d.reserved_until <= {now}) \
         AND w.kind = 'central' AND {} ORDER BY d.purchase_date, d.id LIMIT 1{lock}",
        crate::sql::supply::NOT_BLOCKED
    )
}

/// The condition of `devices_pickable_idx`, word for word (SQLite
/// uses a partial index only for a query that repeats it).
pub const PICKABLE: &str = "(d.state = 'in_stock' OR (d.state = 'reserved' AND d.reserved_until IS NOT NULL))";

/// Whether no two lines of `d` reserve a device of the same article. A
/// single statement sees one snapshot, so two picks of one article in it
/// would find the same device; such an order goes statement by statement.
pub fn one_pick_per_article(d: &crate::NewDirectOrder) -> bool {
    let mut seen = std::collections::HashSet::new();
    d.lines.iter().filter(|l| l.individual).all(|l| seen.insert(l.line.article_id))
}

use super::rows::{article_from, customer_number_from, patient_from};
use crate::db;
use crate::db::{QueryBuilder, Row};
use crate::sql::order_plan::{bind_line, bind_order, line_sql, order_sql, Key, Placeholders};
use crate::sql::supply::NOT_BLOCKED;
use crate::sql::SqlStorage;
use crate::sql::{parse_stored, stored, stored_opt, ARTICLE_COLUMNS};
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ramp_domain::cost::Need;
use ramp_domain::Term;
use std::sync::OnceLock;

/// The order's id in the single statement, made by its `ord` part.
const ORDER_ID: &str = "(SELECT id FROM ord)";
use ramp_domain::order::{OrderStatus, Substitution};

fn cart_item_from(r: &Row) -> Result<CartItem> {
    Ok(CartItem {
        id: r.try_get("cart_id")?,
        user_id: r.try_get("user_id")?,
        target: parse_stored("target", &r.try_get::<String, _>("target")?)?,
        patient_id: r.try_get("cart_patient_id")?,
        unit_id: r.try_get("cart_unit_id")?,
        article: article_from(r)?,
        requested_article_id: r.try_get("requested_article_id")?,
        requested_article_number: r.try_get("requested_article_number")?,
        requested_article_name: r.try_get("requested_article_name")?,
        substitution: parse_stored("substitution", &r.try_get::<String, _>("substitution")?)?,
        device_id: r.try_get("device_id")?,
        device_number: r.try_get("device_number")?,
        quantity: r.try_get("quantity")?,
        need: stored_opt(r, "need")?,
        facts: r.try_get("facts")?,
        created_at: r.try_get("cart_created_at")?,
        reserved_until: r.try_get("reserved_until")?,
    })
}

/// The delivery details of an order, as `o`.
const DELIVERY_COLUMNS: &str = "o.place_of_use, o.delivery_address, o.delivery_contact_name, \
    o.delivery_contact_phone, o.delivery_method, o.urgency, o.delivery_note";

fn delivery_from(r: &Row) -> Result<ramp_domain::shipping::Delivery> {
    Ok(ramp_domain::shipping::Delivery {
        address: r.try_get("delivery_address")?,
        contact_name: r.try_get("delivery_contact_name")?,
        contact_phone: r.try_get("delivery_contact_phone")?,
        method: stored(r, "delivery_method")?,
        urgency: stored(r, "urgency")?,
        note: r.try_get("delivery_note")?,
    })
}

pub(super) fn summary_from(r: &Row) -> Result<OrderSummary> {
    Ok(OrderSummary {
        id: r.try_get("id")?,
        target: parse_stored("target", &r.try_get::<String, _>("target")?)?,
        patient_id: r.try_get("patient_id")?,
        unit_name: r.try_get("unit_name")?,
        status: parse_stored("status", &r.try_get::<String, _>("status")?)?,
        created_at: r.try_get("created_at")?,
        lines: r.try_get("line_count")?,
        first_article: r.try_get("first_article")?,
        urgency: stored(r, "urgency")?,
        delivery_method: stored(r, "delivery_method")?,
    })
}

pub(super) const SUMMARY_SQL: &str =
    "SELECT o.id, o.target, o.patient_id, u.name AS unit_name, o.status, o.created_at, \
    o.urgency, o.delivery_method, \
    (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) AS line_count, \
    COALESCE((SELECT a.name FROM order_lines l JOIN articles a ON a.id = l.article_id \
      WHERE l.order_id = o.id ORDER BY l.line_no LIMIT 1), '') AS first_article \
    FROM orders o JOIN units u ON u.id = o.unit_id ";

/// One device event row, written inside the caller's transaction.
#[allow(clippy::too_many_arguments)] // an event row, positionally
async fn event(
    conn: &mut db::Connection,
    device_id: Id,
    at: DateTime<Utc>,
    kind: &str,
    from: &str,
    to: &str,
    actor: Option<Id>,
    patient_id: Option<Id>,
    warehouse_id: Option<Id>,
) -> Result<()> {
    db::query(
        "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(device_id).bind(at).bind(kind).bind(from).bind(to).bind(actor).bind(patient_id).bind(warehouse_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What `reserve_oldest` reserves: a device of `article_id` for
/// `user_id` at `at`, held until `until` (a cart) or, with
/// `None`, until delivery (an order placed directly).
struct Reserve {
    article_id: Id,
    user_id: Id,
    at: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

/// The statement text of `sql` alone (its placeholders from `$1`),
/// made once.
fn alone(cell: &'static OnceLock<String>, sql: fn(&mut Placeholders) -> String) -> &'static str {
    cell.get_or_init(|| sql(&mut Placeholders::default()))
}

/// The conditional UPDATE reserving the oldest available device
/// (parameters: until, user, at, article; see `bind_reserve`).
fn reserve_sql(p: &mut Placeholders, lock: &str) -> String {
    let (until, user, at, article) = (p.fresh(), p.fresh(), p.fresh(), p.fresh());
    format!(
        "UPDATE devices SET state = 'reserved', reserved_until = {until}, reserved_by = {user}, state_since = {at} \
         WHERE id = ({}) \
         AND (state = 'in_stock' OR (state = 'reserved' AND reserved_until <= {at})) \
         RETURNING id, warehouse_id, device_number",
        oldest_available(&at, &article, lock)
    )
}

fn bind_reserve<'q>(q: db::Query<'q>, w: &Reserve) -> db::Query<'q> {
    q.bind(w.until).bind(w.user_id).bind(w.at).bind(w.article_id)
}

/// Reserves the oldest available device of an article in central
/// stock; the first statement is the conditional UPDATE (a write).
/// `skip_locked` is the dialect's clause for passing over rows
/// other transactions are reserving right now (PostgreSQL); a
/// round that finds nothing that way tries again waiting for
/// those locks, so the last devices are still found.
async fn reserve_oldest(
    conn: &mut db::Connection,
    want: &Reserve,
    skip_locked: &str,
) -> Result<Option<(Id, Option<Id>, String)>> {
    let (skipping, waiting) =
        (reserve_sql(&mut Placeholders::default(), skip_locked), reserve_sql(&mut Placeholders::default(), ""));
    let exists = format!("SELECT COUNT(*) AS n FROM ({}) x", oldest_available("$1", "$2", ""));
    // Under PostgreSQL a concurrent winner makes the conditional
    // update match nothing; try again while anything is left.
    // Each failed round means another transaction got a device.
    for round in 0..100_000 {
        let sql = if round == 0 && !skip_locked.is_empty() { &skipping } else { &waiting };
        let row = bind_reserve(db::query(sql), want).fetch_optional(&mut *conn).await?;
        if let Some(r) = row {
            return Ok(Some((r.try_get("id")?, r.try_get("warehouse_id")?, r.try_get("device_number")?)));
        }
        if round == 0 && !skip_locked.is_empty() {
            continue;
        }
        let n: i64 =
            db::query(&exists).bind(want.at).bind(want.article_id).fetch_one(&mut *conn).await?.try_get("n")?;
        if n == 0 {
            return Ok(None);
        }
    }
    Err(StorageError::StateMismatch("gave up reserving after too many concurrent attempts".into()))
}

/// An audit row, written inside the caller's transaction.
async fn audit_row(conn: &mut db::Connection, e: &NewAuditEntry) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    bind_audit(db::query(alone(&SQL, audit_sql)), e).execute(&mut *conn).await?;
    Ok(())
}

/// The unit is the user's unit at the time, read in the same statement.
fn audit_sql(p: &mut Placeholders) -> String {
    let values: Vec<String> = (0..7).map(|_| p.fresh()).collect();
    format!(
        "INSERT INTO audit_log (occurred_at, user_id, patient_id, action, reason, detail, request_id, unit_id) \
         VALUES ({}, (SELECT unit_id FROM users WHERE id = {}))",
        values.join(", "),
        values[1]
    )
}

fn bind_audit<'q>(q: db::Query<'q>, e: &'q NewAuditEntry) -> db::Query<'q> {
    q.bind(e.occurred_at)
        .bind(e.user_id)
        .bind(e.patient_id)
        .bind(&e.action)
        .bind(e.reason.as_str())
        .bind(&e.detail)
        .bind(&e.request_id)
}

/// Taking over a reservation that ran out: its cart item goes,
/// and the device's history says so.
async fn take_over_stale(
    conn: &mut db::Connection,
    device: Id,
    at: DateTime<Utc>,
    warehouse: Option<Id>,
) -> Result<()> {
    let stale = db::query("DELETE FROM cart_items WHERE device_id = $1 RETURNING id")
        .bind(device)
        .fetch_optional(&mut *conn)
        .await?;
    if stale.is_some() {
        event(conn, device, at, "reservation_expired", "reserved", "in_stock", None, None, warehouse).await?;
    }
    Ok(())
}

/// The order row; a reused idempotency key fails here, first.
async fn insert_order(conn: &mut db::Connection, o: &NewOrder) -> Result<Id> {
    static SQL: OnceLock<String> = OnceLock::new();
    bind_order(db::query(alone(&SQL, order_sql)), o).fetch_one(&mut *conn).await?.try_get("id")
}

async fn insert_line(
    conn: &mut db::Connection,
    order_id: Id,
    line_no: i32,
    l: &NewOrderLine,
    device: Option<Id>,
) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = alone(&SQL, |p| line_sql(p, &Key::Bind(None), &Key::Bind(None)));
    bind_line(db::query(sql), &Key::Bind(Some(order_id)), line_no, &Key::Bind(device), l).execute(&mut *conn).await?;
    Ok(())
}

async fn registered_event(conn: &mut db::Connection, order_id: Id, o: &NewOrder) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    let sql = alone(&SQL, |p| registered_sql(p, &Key::Bind(None)));
    bind_registered(db::query(sql), &Key::Bind(Some(order_id)), o).execute(&mut *conn).await?;
    Ok(())
}

/// The order's first event; `order` bound or named (see [`Key`]).
fn registered_sql(p: &mut Placeholders, order: &Key<'_>) -> String {
    let (order, at, user) = (order.sql(p), p.fresh(), p.fresh());
    format!(
        "INSERT INTO order_events (order_id, occurred_at, from_status, to_status, actor_user_id) \
         VALUES ({order}, {at}, NULL, 'registered', {user})"
    )
}

fn bind_registered<'q>(q: db::Query<'q>, order: &Key<'_>, o: &NewOrder) -> db::Query<'q> {
    order.bind(q).bind(o.at).bind(o.created_by)
}

async fn replacement_answer(
    conn: &mut db::Connection,
    at: DateTime<Utc>,
    user_id: Id,
    a: &NewReplacementAnswer,
) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    bind_answer(db::query(alone(&SQL, answer_sql)), at, user_id, a).execute(&mut *conn).await?;
    Ok(())
}

fn answer_sql(p: &mut Placeholders) -> String {
    let values: Vec<String> = (0..8).map(|_| p.fresh()).collect();
    format!(
        "INSERT INTO replacement_answers (occurred_at, user_id, group_id, requested_article_id, proposed_article_id, answer, \
         decline_reason, decline_note) VALUES ({})",
        values.join(", ")
    )
}

fn bind_answer<'q>(q: db::Query<'q>, at: DateTime<Utc>, user_id: Id, a: &NewReplacementAnswer) -> db::Query<'q> {
    q.bind(at)
        .bind(user_id)
        .bind(a.group_id)
        .bind(a.requested_article_id)
        .bind(a.proposed_article_id)
        .bind(a.answer.as_str())
        .bind(a.decline.as_ref().map(|d| d.reason.as_str()))
        .bind(a.decline.as_ref().and_then(|d| d.note.clone()))
}

/// A device reserved for an order at once: its `reserved` and
/// `ordered` events, as the cart path writes them, in one statement.
async fn reserved_and_ordered(
    conn: &mut db::Connection,
    device: Id,
    o: &NewOrder,
    warehouse: Option<Id>,
) -> Result<()> {
    static SQL: OnceLock<String> = OnceLock::new();
    bind_reserved_and_ordered(db::query(alone(&SQL, reserved_and_ordered_sql)), device, o, warehouse)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Parameters: device, at, user, patient, warehouse.
fn reserved_and_ordered_sql(p: &mut Placeholders) -> String {
    let (device, at, user, patient, warehouse) = (p.fresh(), p.fresh(), p.fresh(), p.fresh(), p.fresh());
    format!(
        "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id) \
         VALUES ({device}, {at}, 'reserved', 'in_stock', 'reserved', {user}, {patient}, {warehouse}), \
         ({device}, {at}, 'ordered', 'reserved', 'reserved', {user}, {patient}, {warehouse})"
    )
}

fn bind_reserved_and_ordered<'q>(q: db::Query<'q>, device: Id, o: &NewOrder, warehouse: Option<Id>) -> db::Query<'q> {
    q.bind(device).bind(o.at).bind(o.created_by).bind(o.patient_id).bind(warehouse)
}

fn id_list<'a>(b: &mut QueryBuilder<'a>, ids: &'a [Id]) {
    b.push("(");
    let mut sep = b.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    sep.push_unseparated(")");
}

/// A device event for a stale reservation's cart item, if there
/// is one (`take_over_stale` in a batch: parameters device, at, warehouse).
fn stale_event_sql(p: &mut Placeholders) -> String {
    let (device, at, warehouse) = (p.fresh(), p.fresh(), p.fresh());
    format!(
        "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id) \
         SELECT {device}, {at}, 'reservation_expired', 'reserved', 'in_stock', NULL, NULL, {warehouse} \
         WHERE EXISTS (SELECT 1 FROM cart_items WHERE device_id = {device})"
    )
}

/// The stale cart item of a device; `device` bound or named (see [`Key`]).
fn stale_cart_sql(p: &mut Placeholders, device: &Key<'_>) -> String {
    format!("DELETE FROM cart_items WHERE device_id = {}", device.sql(p))
}

/// The two batches of `place_direct_order_batched`; `None` when a
/// line found no device (the transaction is still open then).
async fn direct_batches(
    tx: &mut crate::batch::BatchTx,
    d: &NewDirectOrder,
    lock: &str,
) -> Result<Option<DirectPlacement>> {
    let o = &d.order;
    let picks: Vec<(usize, Reserve)> = d
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.individual)
        .map(|(i, l)| (i, Reserve { article_id: l.line.article_id, user_id: o.created_by, at: o.at, until: None }))
        .collect();
    let mut first = crate::batch::Batch::default();
    let mut p = Placeholders::default();
    first.push("BEGIN");
    if o.audit.is_some() {
        first.push(&audit_sql(&mut p));
    }
    first.push(&order_sql(&mut p));
    for _ in &picks {
        first.push(&reserve_sql(&mut p, lock));
    }
    let mut q = db::query(first.text());
    if let Some(a) = &o.audit {
        q = bind_audit(q, a);
    }
    q = bind_order(q, o);
    for (_, w) in &picks {
        q = bind_reserve(q, w);
    }
    let rows = q.fetch_all(tx.conn()).await?;
    if rows.len() != 1 + picks.len() {
        return Ok(None);
    }
    let order_id: Id = rows[0].try_get("id")?;
    let mut devices: Vec<Option<(ReservedDevice, Option<Id>)>> = vec![None; d.lines.len()];
    for ((i, _), r) in picks.iter().zip(&rows[1..]) {
        let device = ReservedDevice { id: r.try_get("id")?, device_number: r.try_get("device_number")? };
        devices[*i] = Some((device, r.try_get("warehouse_id")?));
    }
    let mut second = crate::batch::Batch::default();
    let mut p = Placeholders::default();
    let bound = Key::Bind(None);
    for (l, device) in d.lines.iter().zip(&devices) {
        if device.is_some() {
            second.push(&stale_event_sql(&mut p));
            second.push(&stale_cart_sql(&mut p, &bound));
            second.push(&reserved_and_ordered_sql(&mut p));
        }
        second.push(&line_sql(&mut p, &bound, &bound));
        if l.answer.is_some() {
            second.push(&answer_sql(&mut p));
        }
    }
    second.push(&registered_sql(&mut p, &bound));
    second.push("COMMIT");
    let order = Key::Bind(Some(order_id));
    let mut q = db::query(second.text());
    for (i, (l, device)) in d.lines.iter().zip(&devices).enumerate() {
        if let Some((dv, warehouse)) = device {
            q = q.bind(dv.id).bind(o.at).bind(*warehouse);
            q = q.bind(dv.id);
            q = bind_reserved_and_ordered(q, dv.id, o, *warehouse);
        }
        let device = Key::Bind(device.as_ref().map(|(dv, _)| dv.id));
        q = bind_line(q, &order, i as i32 + 1, &device, &l.line);
        if let Some(a) = &l.answer {
            q = bind_answer(q, o.at, o.created_by, a);
        }
    }
    q = bind_registered(q, &order, o);
    q.execute(tx.conn()).await?;
    let devices = devices.into_iter().map(|d| d.map(|(dv, _)| dv)).collect();
    Ok(Some(DirectPlacement::Placed { order_id, devices }))
}

/// A picked device's events in one INSERT, in their order (the
/// expiry of a stale cart reservation first, if it had one);
/// `pick` names the statement part that picked it. Parameters:
/// at, user, patient.
fn picked_events_sql(p: &mut Placeholders, pick: &str) -> String {
    let (at, user, patient) = (p.fresh(), p.fresh(), p.fresh());
    format!(
        "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id) \
         SELECT p.id, {at}, e.kind, e.from_state, e.to_state, e.actor, e.patient, p.warehouse_id FROM {pick} p CROSS JOIN (VALUES \
         (0, 'reservation_expired', 'reserved', 'in_stock', CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)), \
         (1, 'reserved', 'in_stock', 'reserved', {user}, {patient}), (2, 'ordered', 'reserved', 'reserved', {user}, {patient})) \
         AS e (seq, kind, from_state, to_state, actor, patient) \
         WHERE e.seq > 0 OR EXISTS (SELECT 1 FROM cart_items c WHERE c.device_id = p.id) ORDER BY e.seq"
    )
}

/// The SQL naming the device part `pick` of the single statement took.
fn pick_of(pick: usize) -> String {
    format!("(SELECT id FROM pick_{pick})")
}

/// How a line of the single statement gets its device: named from its
/// pick, or bound (NULL, a quantity).
fn device_key(pick: &Option<String>) -> Key<'_> {
    match pick {
        Some(sql) => Key::Sql(sql),
        None => Key::Bind(None),
    }
}

/// One part of the single-statement order (`direct_statement`).
enum Part<'a> {
    Audit(&'a NewAuditEntry),
    Order,
    Pick(usize, Reserve),
    Stale(usize),
    Events(usize),
    Line(usize, &'a NewDirectLine, Option<usize>),
    Answer(&'a NewReplacementAnswer),
    Registered,
}

/// The parts of `d` in statement order; `None` when two lines
/// reserve the same article (each part sees the statement's one
/// snapshot, so both would pick the same device).
fn direct_parts(d: &NewDirectOrder) -> Option<Vec<Part<'_>>> {
    let o = &d.order;
    let mut parts = Vec::new();
    if let Some(a) = &o.audit {
        parts.push(Part::Audit(a));
    }
    parts.push(Part::Order);
    if !crate::sql::orders::one_pick_per_article(d) {
        return None;
    }
    let mut picks = 0;
    for (i, l) in d.lines.iter().enumerate() {
        let mut pick = None;
        if l.individual {
            let want = Reserve { article_id: l.line.article_id, user_id: o.created_by, at: o.at, until: None };
            parts.extend([Part::Pick(picks, want), Part::Stale(picks), Part::Events(picks)]);
            pick = Some(picks);
            picks += 1;
        }
        parts.push(Part::Line(i, l, pick));
        if let Some(a) = &l.answer {
            parts.push(Part::Answer(a));
        }
    }
    parts.push(Part::Registered);
    Some(parts)
}

/// The statement of `direct_parts`: each part a data-modifying
/// `WITH` item written with the statement path's own SQL, the
/// order's id and each picked device taken from the parts that
/// make them. The final SELECT divides by zero for a line that
/// found no device, which undoes the whole statement.
fn direct_statement_sql(parts: &[Part<'_>], lock: &str) -> (String, usize) {
    let order = Key::Sql(ORDER_ID);
    let mut items = Vec::with_capacity(parts.len());
    let mut p = Placeholders::default();
    let mut picks = 0;
    for (k, part) in parts.iter().enumerate() {
        let (name, sql) = match part {
            Part::Audit(_) => ("audit".into(), audit_sql(&mut p)),
            Part::Order => ("ord".into(), order_sql(&mut p)),
            Part::Pick(i, _) => {
                picks += 1;
                (format!("pick_{i}"), reserve_sql(&mut p, lock))
            }
            Part::Stale(i) => (format!("stale_{i}"), stale_cart_sql(&mut p, &Key::Sql(&pick_of(*i)))),
            Part::Events(i) => (format!("events_{i}"), picked_events_sql(&mut p, &format!("pick_{i}"))),
            Part::Line(_, _, pick) => {
                let pick = pick.map(pick_of);
                (format!("line_{k}"), line_sql(&mut p, &order, &device_key(&pick)))
            }
            Part::Answer(_) => (format!("answer_{k}"), answer_sql(&mut p)),
            Part::Registered => ("registered".into(), registered_sql(&mut p, &order)),
        };
        items.push(format!("{name} AS ({sql})"));
    }
    let mut select = String::from("SELECT (SELECT id FROM ord) AS order_id");
    let mut from = String::from(" FROM (SELECT 1) AS one");
    for p in 0..picks {
        select.push_str(&format!(
            ", p{p}.id AS device_{p}, p{p}.device_number AS number_{p}, 1 / (CASE WHEN p{p}.id IS NULL THEN 0 ELSE 1 END) AS found_{p}"
        ));
        from.push_str(&format!(" LEFT JOIN pick_{p} p{p} ON TRUE"));
    }
    (format!("WITH {} {select}{from}", items.join(", ")), picks)
}

/// `place_direct_order` as one statement (PostgreSQL): one
/// round trip and no transaction of its own instead of 4 + 5
/// per line. `None` when it does not apply or a line found no
/// device; the statement path then does the work (and says
/// which line), as nothing of this one was kept.
async fn direct_statement(pool: &db::Pool, d: &NewDirectOrder, lock: &str) -> Result<Option<DirectPlacement>> {
    let Some(parts) = direct_parts(d) else {
        return Ok(None);
    };
    let o = &d.order;
    let (sql, picks) = direct_statement_sql(&parts, lock);
    let mut q = db::query(&sql);
    for part in &parts {
        q = match part {
            Part::Audit(a) => bind_audit(q, a),
            Part::Order => bind_order(q, o),
            Part::Pick(_, w) => bind_reserve(q, w),
            Part::Stale(_) => q,
            Part::Events(_) => q.bind(o.at).bind(o.created_by).bind(o.patient_id),
            Part::Line(i, l, pick) => {
                let pick = pick.map(pick_of);
                bind_line(q, &Key::Sql(ORDER_ID), *i as i32 + 1, &device_key(&pick), &l.line)
            }
            Part::Answer(a) => bind_answer(q, o.at, o.created_by, a),
            Part::Registered => bind_registered(q, &Key::Sql(ORDER_ID), o),
        };
    }
    let row = match q.fetch_one(pool).await {
        Ok(row) => row,
        Err(e) if db::error_code(&e).as_deref() == Some("22012") => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut found = Vec::with_capacity(picks);
    for p in 0..picks {
        found.push(ReservedDevice {
            id: row.try_get(format!("device_{p}").as_str())?,
            device_number: row.try_get(format!("number_{p}").as_str())?,
        });
    }
    let mut found = found.into_iter();
    let devices = d.lines.iter().map(|l| if l.individual { found.next() } else { None }).collect();
    Ok(Some(DirectPlacement::Placed { order_id: row.try_get("order_id")?, devices }))
}

impl SqlStorage {
    /// `place_direct_order` in two batches of statements
    /// ([`crate::batch`]): the audit row, the order (a reused
    /// idempotency key fails here, first) and one pick per device;
    /// then per line the stale cart item, the device's events, the
    /// line and any replacement answer, and the order's event. The
    /// same rows as `place_direct_order_now`, in 4 round trips
    /// whatever the number of lines instead of 4 + 5 per line. A
    /// line without a device rolls back and leaves it to
    /// `place_direct_order_now` to say which line it was. `tx` is the
    /// dialect's: SQLite's writer connection, in turn.
    pub async fn place_direct_order_batched(
        &self,
        mut tx: crate::batch::BatchTx,
        d: &NewDirectOrder,
    ) -> Result<DirectPlacement> {
        match direct_batches(&mut tx, d, self.dialect.skip_locked()).await {
            Ok(Some(placed)) => {
                tx.finish();
                Ok(placed)
            }
            Ok(None) => {
                tx.abort().await;
                self.place_direct_order_now(d).await
            }
            Err(e) => {
                tx.abort().await;
                Err(e)
            }
        }
    }

    /// `place_direct_order` on its own (PostgreSQL): one statement,
    /// or, where that does not apply or a line found no device,
    /// the statement path, which says which line it was.
    pub async fn place_direct_order_alone(&self, d: &NewDirectOrder) -> Result<DirectPlacement> {
        match direct_statement(&self.pool, d, self.dialect.skip_locked()).await? {
            Some(placed) => Ok(placed),
            None => self.place_direct_order_now(d).await,
        }
    }

    /// `place_direct_order`'s transaction, run where the dialect
    /// runs its write transactions ([`crate::Dialect::place_direct`]).
    pub(crate) async fn place_direct_order_now(&self, d: &NewDirectOrder) -> Result<DirectPlacement> {
        let o = &d.order;
        let mut tx = self.dialect.begin().await?;
        if let Some(a) = &o.audit {
            audit_row(&mut tx, a).await?;
        }
        let order_id = insert_order(&mut tx, o).await?;
        let mut devices = Vec::with_capacity(d.lines.len());
        for (i, l) in d.lines.iter().enumerate() {
            let mut device = None;
            if l.individual {
                let want = Reserve { article_id: l.line.article_id, user_id: o.created_by, at: o.at, until: None };
                let Some((id, warehouse, number)) = reserve_oldest(&mut tx, &want, self.dialect.skip_locked()).await?
                else {
                    tx.rollback().await?;
                    return Ok(DirectPlacement::Unavailable { line: i });
                };
                take_over_stale(&mut tx, id, o.at, warehouse).await?;
                reserved_and_ordered(&mut tx, id, o, warehouse).await?;
                device = Some(ReservedDevice { id, device_number: number });
            }
            insert_line(&mut tx, order_id, i as i32 + 1, &l.line, device.as_ref().map(|r| r.id)).await?;
            if let Some(a) = &l.answer {
                replacement_answer(&mut tx, o.at, o.created_by, a).await?;
            }
            devices.push(device);
        }
        registered_event(&mut tx, order_id, o).await?;
        tx.commit().await?;
        Ok(DirectPlacement::Placed { order_id, devices })
    }

    async fn cart_item_by_id(&self, id: Id) -> Result<Option<CartItem>> {
        let sql = format!(
            "SELECT {CART_COLUMNS}, {ARTICLE_COLUMNS} FROM cart_items c JOIN articles a ON a.id = c.article_id \
             JOIN suppliers s ON s.id = a.supplier_id JOIN articles ra ON ra.id = c.requested_article_id \
             LEFT JOIN devices dv ON dv.id = c.device_id WHERE c.id = $1"
        );
        db::query(&sql).bind(id).fetch_optional(&self.pool).await?.map(|r| cart_item_from(&r)).transpose()
    }

    async fn replacement_group_read(&self, article_id: Id) -> Result<Option<ReplacementGroup>> {
        let Some(g) = db::query(
            "SELECT g.id, g.code, g.name, g.fixed FROM replacement_groups g \
             JOIN replacement_group_members m ON m.group_id = g.id WHERE m.article_id = $1",
        )
        .bind(article_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let id: Id = g.try_get("id")?;
        let members =
            db::query("SELECT article_id FROM replacement_group_members WHERE group_id = $1 ORDER BY age_rank")
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get::<Id, _>("article_id"))
                .collect::<Result<Vec<_>>>()?;
        Ok(Some(ReplacementGroup {
            id,
            code: g.try_get("code")?,
            name: g.try_get("name")?,
            fixed: g.try_get("fixed")?,
            members,
        }))
    }

    async fn order_lines(&self, order_id: Id) -> Result<Vec<OrderLine>> {
        db::query(
            "SELECT l.line_no, l.article_id, a.article_number, a.name AS article_name, \
             ra.article_number AS requested_article_number, l.substitution, l.device_id, dv.device_number, \
             l.quantity, l.need, l.payer, l.customer_number_id, cn.number AS customer_number, l.rule_id, \
             l.agreement_version, l.explanation_sv, l.explanation_en, l.trust_prescription, l.lead_time_class, \
             l.promised_date, l.state, l.delivered_at \
             FROM order_lines l JOIN articles a ON a.id = l.article_id JOIN articles ra ON ra.id = l.requested_article_id \
             LEFT JOIN devices dv ON dv.id = l.device_id JOIN customer_numbers cn ON cn.id = l.customer_number_id \
             WHERE l.order_id = $1 ORDER BY l.line_no",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(OrderLine {
                line_no: r.try_get("line_no")?,
                article_id: r.try_get("article_id")?,
                article_number: r.try_get("article_number")?,
                article_name: r.try_get("article_name")?,
                requested_article_number: r.try_get("requested_article_number")?,
                substitution: parse_stored("substitution", &r.try_get::<String, _>("substitution")?)?,
                device_id: r.try_get("device_id")?,
                device_number: r.try_get("device_number")?,
                quantity: r.try_get("quantity")?,
                need: stored_opt(r, "need")?,
                payer: stored(r, "payer")?,
                customer_number_id: r.try_get("customer_number_id")?,
                customer_number: r.try_get("customer_number")?,
                rule_id: r.try_get("rule_id")?,
                agreement_version: r.try_get("agreement_version")?,
                explanation_sv: r.try_get("explanation_sv")?,
                explanation_en: r.try_get("explanation_en")?,
                trust_prescription: r.try_get("trust_prescription")?,
                lead_time_class: parse_stored("lead_time_class", &r.try_get::<String, _>("lead_time_class")?)?,
                promised_date: r.try_get("promised_date")?,
                state: stored(r, "state")?,
                delivered_at: r.try_get("delivered_at")?,
            })
        })
        .collect()
    }

    async fn order_events(&self, order_id: Id) -> Result<Vec<OrderEvent>> {
        db::query(
            "SELECT occurred_at, from_status, to_status, actor_user_id, note FROM order_events WHERE order_id = $1 ORDER BY id",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let from: Option<String> = r.try_get("from_status")?;
            Ok(OrderEvent {
                occurred_at: r.try_get("occurred_at")?,
                from_status: from.map(|s| parse_stored("from_status", &s)).transpose()?,
                to_status: parse_stored("to_status", &r.try_get::<String, _>("to_status")?)?,
                actor_user_id: r.try_get("actor_user_id")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
    }

    async fn order_where(&self, clause: &str, a: Id, key: Option<&str>) -> Result<Option<Order>> {
        let sql = format!(
            "SELECT o.id, o.target, o.patient_id, o.unit_id, u.name AS unit_name, o.created_by, o.status, o.goal, \
             o.evaluation_date, o.end_date, o.request_hash, o.received_by, o.created_at, o.updated_at, \
             {DELIVERY_COLUMNS} FROM orders o JOIN units u ON u.id = o.unit_id WHERE {clause}"
        );
        let mut q = db::query(&sql).bind(a);
        if let Some(k) = key {
            q = q.bind(k);
        }
        let Some(r) = q.fetch_optional(&self.pool).await? else { return Ok(None) };
        let id: Id = r.try_get("id")?;
        Ok(Some(Order {
            id,
            target: parse_stored("target", &r.try_get::<String, _>("target")?)?,
            patient_id: r.try_get("patient_id")?,
            unit_id: r.try_get("unit_id")?,
            unit_name: r.try_get("unit_name")?,
            created_by: r.try_get("created_by")?,
            status: parse_stored("status", &r.try_get::<String, _>("status")?)?,
            goal: r.try_get("goal")?,
            evaluation_date: r.try_get("evaluation_date")?,
            end_date: r.try_get("end_date")?,
            request_hash: r.try_get("request_hash")?,
            received_by: r.try_get("received_by")?,
            place_of_use: stored_opt(&r, "place_of_use")?,
            delivery: delivery_from(&r)?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
            lines: self.order_lines(id).await?,
            events: self.order_events(id).await?,
        }))
    }

    async fn summaries(&self, clause: &str, a: Id, limit: i64) -> Result<Vec<OrderSummary>> {
        let sql = format!("{SUMMARY_SQL} WHERE {clause} ORDER BY o.id DESC LIMIT $2");
        db::query(&sql).bind(a).bind(limit).fetch_all(&self.pool).await?.iter().map(summary_from).collect()
    }
}

#[async_trait]
impl OrderStore for SqlStorage {
    async fn insert_accessory_fits(&self, rows: &[(Id, Id)]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for chunk in rows.chunks(super::rows::chunk_size(self, 2)) {
            QueryBuilder::new("INSERT INTO accessory_fits (accessory_article_id, main_article_id) ")
                .push_values(chunk, |mut b, (acc, main)| {
                    b.push_bind(*acc).push_bind(*main);
                })
                .build()
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn accessory_fits(&self, accessory_ids: &[Id]) -> Result<Vec<(Id, Id)>> {
        if accessory_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = QueryBuilder::new(
            "SELECT accessory_article_id, main_article_id FROM accessory_fits WHERE accessory_article_id IN ",
        );
        id_list(&mut b, accessory_ids);
        b.build()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("accessory_article_id")?, r.try_get("main_article_id")?)))
            .collect()
    }

    async fn replacement_group_of(&self, article_id: Id) -> Result<Option<ReplacementGroup>> {
        let seen = match self.cache.get(|r| r.groups_by_article.get(&article_id).cloned()) {
            Ok(hit) => return Ok(hit),
            Err(seen) => seen,
        };
        let group = self.replacement_group_read(article_id).await?;
        self.cache.put(seen, |r| {
            r.groups_by_article.insert(article_id, group.clone());
        });
        Ok(group)
    }

    async fn central_stock(&self, article_ids: &[Id], now: DateTime<Utc>) -> Result<Vec<(Id, i64)>> {
        if article_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = QueryBuilder::new(
            "SELECT d.article_id, COUNT(*) AS n FROM devices d JOIN warehouses w ON w.id = d.warehouse_id \
             WHERE w.kind = 'central' AND (d.state = 'in_stock' OR (d.state = 'reserved' AND d.reserved_until <= ",
        );
        b.push_bind(now).push(format!(")) AND {NOT_BLOCKED} AND d.article_id IN "));
        id_list(&mut b, article_ids);
        b.push(" GROUP BY d.article_id");
        b.build().fetch_all(&self.pool).await?.iter().map(|r| Ok((r.try_get("article_id")?, r.try_get("n")?))).collect()
    }

    async fn articles_by_ids(&self, ids: &[Id]) -> Result<Vec<Article>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = QueryBuilder::new(format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id WHERE a.id IN "
        ));
        id_list(&mut b, ids);
        b.build().fetch_all(&self.pool).await?.iter().map(article_from).collect()
    }

    async fn alternatives(&self, article_id: Id, limit: i64, now: DateTime<Utc>) -> Result<Vec<ArticleHit>> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS}, x.n AS in_stock FROM (\
               SELECT d.article_id, COUNT(*) AS n FROM devices d JOIN warehouses w ON w.id = d.warehouse_id \
               WHERE w.kind = 'central' AND d.state IN ('in_stock', 'reserved') \
               AND (d.state = 'in_stock' OR d.reserved_until <= $3) AND d.article_id <> $1 AND {NOT_BLOCKED} \
               AND d.article_id IN (\
                 SELECT m2.article_id FROM replacement_group_members m1 \
                 JOIN replacement_group_members m2 ON m2.group_id = m1.group_id WHERE m1.article_id = $1 \
                 UNION SELECT a2.id FROM articles a1 JOIN articles a2 ON a2.iso_code = a1.iso_code WHERE a1.id = $1) \
               GROUP BY d.article_id) x \
             JOIN articles a ON a.id = x.article_id JOIN suppliers s ON s.id = a.supplier_id \
             ORDER BY x.n DESC, a.article_number LIMIT $2"
        );
        db::query(&sql)
            .bind(article_id)
            .bind(limit)
            .bind(now)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(ArticleHit { article: article_from(r)?, in_stock: r.try_get("in_stock")? }))
            .collect()
    }

    async fn customer_number_of_principal(&self, principal_id: Id) -> Result<Option<Id>> {
        let seen = match self.cache.get(|r| r.customer_number_of_principal.get(&principal_id).copied()) {
            Ok(hit) => return Ok(hit),
            Err(seen) => seen,
        };
        let r = db::query("SELECT id FROM customer_numbers WHERE principal_id = $1 ORDER BY number LIMIT 1")
            .bind(principal_id)
            .fetch_optional(&self.pool)
            .await?;
        let id: Option<Id> = r.map(|r| r.try_get("id")).transpose()?;
        self.cache.put(seen, |r| {
            r.customer_number_of_principal.insert(principal_id, id);
        });
        Ok(id)
    }

    async fn customer_number(&self, id: Id) -> Result<Option<CustomerNumber>> {
        let seen = match self.cache.get(|r| r.customer_numbers.get(&id).cloned()) {
            Ok(hit) => return Ok(hit),
            Err(seen) => seen,
        };
        let number = db::query("SELECT id, number, principal_id, name FROM customer_numbers WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(customer_number_from)
            .transpose()?;
        self.cache.put(seen, |r| {
            r.customer_numbers.insert(id, number.clone());
        });
        Ok(number)
    }

    async fn patient_by_id(&self, id: Id) -> Result<Option<Patient>> {
        db::query(
            "SELECT id, personal_id, birth_date, given_name, family_name, municipality_id, created_at FROM patients WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| patient_from(&r))
        .transpose()
    }

    async fn buffer_warehouse_of_unit(&self, unit_id: Id) -> Result<Option<Id>> {
        let r = db::query("SELECT id FROM warehouses WHERE unit_id = $1 AND kind = 'buffer' ORDER BY id LIMIT 1")
            .bind(unit_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.map(|r| r.try_get("id")).transpose()?)
    }

    async fn expire_reservations(&self, now: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.dialect.begin().await?;
        let expired = db::query(
            "UPDATE devices SET state = 'in_stock', reserved_until = NULL, reserved_by = NULL, state_since = $1 \
             WHERE state = 'reserved' AND reserved_until IS NOT NULL AND reserved_until <= $1 RETURNING id, warehouse_id",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        for r in &expired {
            let id: Id = r.try_get("id")?;
            event(
                &mut tx,
                id,
                now,
                "reservation_expired",
                "reserved",
                "in_stock",
                None,
                None,
                r.try_get("warehouse_id")?,
            )
            .await?;
            db::query("DELETE FROM cart_items WHERE device_id = $1").bind(id).execute(&mut *tx).await?;
        }
        db::query("DELETE FROM cart_items WHERE device_id IS NULL AND reserved_until <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(expired.len() as u64)
    }

    async fn add_to_cart(&self, item: &NewCartItem) -> Result<Option<CartItem>> {
        let mut tx = self.dialect.begin().await?;
        if let Some(a) = &item.audit {
            audit_row(&mut tx, a).await?;
        }
        let mut device_id = None;
        if item.individual {
            let want =
                Reserve { article_id: item.article_id, user_id: item.user_id, at: item.at, until: Some(item.until) };
            let Some((id, warehouse, _)) = reserve_oldest(&mut tx, &want, self.dialect.skip_locked()).await? else {
                tx.rollback().await?;
                return Ok(None);
            };
            take_over_stale(&mut tx, id, item.at, warehouse).await?;
            event(
                &mut tx,
                id,
                item.at,
                "reserved",
                "in_stock",
                "reserved",
                Some(item.user_id),
                item.patient_id,
                warehouse,
            )
            .await?;
            device_id = Some(id);
        }
        let cart_id: Id = db::query(
            "INSERT INTO cart_items (user_id, target, patient_id, unit_id, article_id, requested_article_id, substitution, \
             device_id, quantity, need, facts, created_at, reserved_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(item.user_id).bind(item.target.as_str()).bind(item.patient_id).bind(item.unit_id)
        .bind(item.article_id).bind(item.requested_article_id).bind(item.substitution.as_str())
        .bind(device_id).bind(item.quantity).bind(item.need.map(Need::as_str)).bind(&item.facts).bind(item.at).bind(item.until)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        if let Some(a) = &item.answer {
            replacement_answer(&mut tx, item.at, item.user_id, a).await?;
        }
        tx.commit().await?;
        self.cart_item_by_id(cart_id).await
    }

    async fn cart_items(&self, user_id: Id, now: DateTime<Utc>) -> Result<Vec<CartItem>> {
        let sql = format!(
            "SELECT {CART_COLUMNS}, {ARTICLE_COLUMNS} FROM cart_items c JOIN articles a ON a.id = c.article_id \
             JOIN suppliers s ON s.id = a.supplier_id JOIN articles ra ON ra.id = c.requested_article_id \
             LEFT JOIN devices dv ON dv.id = c.device_id WHERE c.user_id = $1 AND c.reserved_until > $2 ORDER BY c.id"
        );
        db::query(&sql).bind(user_id).bind(now).fetch_all(&self.pool).await?.iter().map(cart_item_from).collect()
    }

    async fn remove_cart_item(&self, user_id: Id, item_id: Id, at: DateTime<Utc>) -> Result<bool> {
        let mut tx = self.dialect.begin().await?;
        let Some(r) = db::query("DELETE FROM cart_items WHERE id = $1 AND user_id = $2 RETURNING device_id")
            .bind(item_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            tx.rollback().await?;
            return Ok(false);
        };
        if let Some(device) = r.try_get::<Option<Id>, _>("device_id")? {
            let released = db::query(
                "UPDATE devices SET state = 'in_stock', reserved_until = NULL, reserved_by = NULL, state_since = $1 \
                 WHERE id = $2 AND state = 'reserved' AND reserved_by = $3 RETURNING warehouse_id",
            )
            .bind(at)
            .bind(device)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(w) = released {
                event(
                    &mut tx,
                    device,
                    at,
                    "reservation_released",
                    "reserved",
                    "in_stock",
                    Some(user_id),
                    None,
                    w.try_get("warehouse_id")?,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn place_order(&self, o: &NewOrder) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        if let Some(a) = &o.audit {
            audit_row(&mut tx, a).await?;
        }
        let order_id = insert_order(&mut tx, o).await?;
        for (i, l) in o.lines.iter().enumerate() {
            let gone = db::query("DELETE FROM cart_items WHERE id = $1 AND user_id = $2")
                .bind(l.cart_item_id)
                .bind(o.created_by)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone != 1 {
                return Err(StorageError::StateMismatch(format!(
                    "cart item {} is no longer in the cart",
                    l.cart_item_id
                )));
            }
            if let Some(device) = l.device_id {
                let held = db::query(
                    "UPDATE devices SET reserved_until = NULL WHERE id = $1 AND state = 'reserved' \
                     AND reserved_by = $2 AND reserved_until > $3 RETURNING warehouse_id",
                )
                .bind(device)
                .bind(o.created_by)
                .bind(o.at)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(w) = held else {
                    return Err(StorageError::StateMismatch(format!("the reservation of device {device} has expired")));
                };
                event(
                    &mut tx,
                    device,
                    o.at,
                    "ordered",
                    "reserved",
                    "reserved",
                    Some(o.created_by),
                    o.patient_id,
                    w.try_get("warehouse_id")?,
                )
                .await?;
            }
            insert_line(&mut tx, order_id, i as i32 + 1, l, l.device_id).await?;
        }
        registered_event(&mut tx, order_id, o).await?;
        tx.commit().await?;
        Ok(order_id)
    }

    async fn place_direct_order(&self, d: &NewDirectOrder) -> Result<DirectPlacement> {
        self.dialect.place_direct(self, d).await
    }

    async fn order(&self, id: Id) -> Result<Option<Order>> {
        self.order_where("o.id = $1", id, None).await
    }

    async fn order_by_idempotency_key(&self, user_id: Id, key: &str) -> Result<Option<Order>> {
        self.order_where("o.created_by = $1 AND o.idempotency_key = $2", user_id, Some(key)).await
    }

    async fn orders_for_patient(&self, patient_id: Id, limit: i64) -> Result<Vec<OrderSummary>> {
        self.summaries("o.patient_id = $1", patient_id, limit).await
    }

    async fn orders_by_user(&self, user_id: Id, limit: i64) -> Result<Vec<OrderSummary>> {
        self.summaries("o.created_by = $1", user_id, limit).await
    }

    async fn orders_by_status(&self, status: OrderStatus, limit: i64) -> Result<Vec<OrderSummary>> {
        let sql = format!("{SUMMARY_SQL} WHERE o.status = $1 ORDER BY o.id LIMIT $2");
        db::query(&sql)
            .bind(status.as_str())
            .bind(limit)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(summary_from)
            .collect()
    }

    async fn order_page(&self, q: &OrderPageQuery) -> Result<OrderPage> {
        self.order_page_of(q).await
    }

    async fn register_pickup(&self, p: &NewPickupOrder) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "INSERT INTO pickup_orders (device_id, patient_id, unit_id, registered_by, registered_at, registered_on, \
             rent_end_date, deregistration_due, status, note) \
             SELECT id, patient_id, unit_id, $2, $3, $4, $5, $6, 'open', $7 FROM devices \
             WHERE id = $1 AND state IN ('with_patient', 'with_unit') RETURNING id",
        )
        .bind(p.device_id)
        .bind(p.registered_by)
        .bind(p.at)
        .bind(p.on)
        .bind(p.rent_end_date)
        .bind(p.deregistration_due)
        .bind(&p.note)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StorageError::StateMismatch(format!(
                "device {} is not out with a patient or unit",
                p.device_id
            )));
        };
        db::query(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, note) \
             SELECT id, $2, 'pickup_ordered', state, state, $3, patient_id, $4 FROM devices WHERE id = $1",
        )
        .bind(p.device_id).bind(p.at).bind(p.registered_by).bind(&p.note)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }

    async fn open_pickup_order(&self, device_id: Id) -> Result<Option<PickupOrder>> {
        db::query(
            "SELECT id, device_id, patient_id, unit_id, registered_by, registered_at, registered_on, rent_end_date, \
             deregistration_due, status, note FROM pickup_orders WHERE device_id = $1 AND status = 'open'",
        )
        .bind(device_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| {
            Ok(PickupOrder {
                id: r.try_get("id")?,
                device_id: r.try_get("device_id")?,
                patient_id: r.try_get("patient_id")?,
                unit_id: r.try_get("unit_id")?,
                registered_by: r.try_get("registered_by")?,
                registered_at: r.try_get("registered_at")?,
                registered_on: r.try_get("registered_on")?,
                rent_end_date: r.try_get("rent_end_date")?,
                deregistration_due: r.try_get("deregistration_due")?,
                status: stored(&r, "status")?,
                note: r.try_get("note")?,
            })
        })
        .transpose()
    }

    async fn undo_pickup(&self, u: &PickupUndo) -> Result<bool> {
        self.cancel_pickup(u).await
    }

    async fn report_fault(&self, f: &NewFaultReport) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "INSERT INTO work_orders (kind, device_id, patient_id, status, description, created_by, created_at) \
             SELECT 'repair', id, patient_id, 'open', $2, $3, $4 FROM devices \
             WHERE id = $1 AND state IN ('with_patient', 'with_unit', 'in_stock') RETURNING id",
        )
        .bind(f.device_id)
        .bind(&f.description)
        .bind(f.reported_by)
        .bind(f.at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StorageError::StateMismatch(format!(
                "device {} cannot take a fault report in its state",
                f.device_id
            )));
        };
        db::query(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, warehouse_id, note) \
             SELECT id, $2, 'fault_reported', state, state, $3, patient_id, warehouse_id, $4 FROM devices WHERE id = $1",
        )
        .bind(f.device_id).bind(f.at).bind(f.reported_by).bind(&f.description)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }

    async fn work_orders_for_device(&self, device_id: Id) -> Result<Vec<WorkOrder>> {
        db::query(
            "SELECT id, kind, device_id, patient_id, status, description, created_by, created_at FROM work_orders \
             WHERE device_id = $1 ORDER BY id",
        )
        .bind(device_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(WorkOrder {
                id: r.try_get("id")?,
                kind: stored(r, "kind")?,
                device_id: r.try_get("device_id")?,
                patient_id: r.try_get("patient_id")?,
                status: stored(r, "status")?,
                description: r.try_get("description")?,
                created_by: r.try_get("created_by")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
    }

    async fn report_lost(&self, l: &NewLostReport) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "INSERT INTO lost_reports (device_id, patient_id, unit_id, customer_number_id, reported_by, reported_at, reported_on, circumstances) \
             SELECT d.id, d.patient_id, d.unit_id, l.customer_number_id, $2, $3, $4, $5 FROM devices d \
             JOIN loans l ON l.device_id = d.id AND l.end_date IS NULL \
             WHERE d.id = $1 AND d.state IN ('with_patient', 'with_unit') RETURNING id",
        )
        .bind(l.device_id).bind(l.reported_by).bind(l.at).bind(l.on).bind(&l.circumstances)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StorageError::StateMismatch(format!(
                "device {} is not out with a patient or unit",
                l.device_id
            )));
        };
        db::query(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, patient_id, note) \
             SELECT id, $2, 'reported_lost', state, 'lost', $3, patient_id, $4 FROM devices WHERE id = $1",
        )
        .bind(l.device_id).bind(l.at).bind(l.reported_by).bind(&l.circumstances)
        .execute(&mut *tx)
        .await?;
        db::query("UPDATE loans SET end_date = $2 WHERE device_id = $1 AND end_date IS NULL")
            .bind(l.device_id)
            .bind(l.on)
            .execute(&mut *tx)
            .await?;
        db::query("UPDATE pickup_orders SET status = 'cancelled' WHERE device_id = $1 AND status = 'open'")
            .bind(l.device_id)
            .execute(&mut *tx)
            .await?;
        db::query(
            "UPDATE devices SET state = 'lost', patient_id = NULL, unit_id = NULL, warehouse_id = NULL, state_since = $2 WHERE id = $1",
        )
        .bind(l.device_id).bind(l.at).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }

    async fn replacement_figures(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<ReplacementFigures> {
        let mut f = ReplacementFigures::default();
        let rows = db::query(
            "SELECT answer, COUNT(*) AS n FROM replacement_answers WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY answer",
        )
        .bind(from).bind(to)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let n: i64 = r.try_get("n")?;
            match parse_stored::<Substitution>("answer", &r.try_get::<String, _>("answer")?)? {
                Substitution::Automatic => f.automatic = n,
                Substitution::Accepted => f.accepted = n,
                Substitution::Declined => f.declined = n,
                Substitution::None => {}
            }
        }
        Ok(f)
    }

    async fn notifications(&self, user_id: Id, limit: i64) -> Result<Vec<Notification>> {
        self.inbox(user_id, limit).await
    }

    async fn unread_notifications(&self, user_id: Id) -> Result<i64> {
        self.unread_count(user_id).await
    }

    async fn mark_notification_read(&self, user_id: Id, id: Id, at: DateTime<Utc>) -> Result<bool> {
        self.mark_read(user_id, id, at).await
    }
}
