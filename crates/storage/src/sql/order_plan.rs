//! What placing an order writes into `orders` and `order_lines`, said
//! once: a table of the columns of each row, every column with how its
//! value is taken from [`NewOrder`] or [`NewOrderLine`]. Every way an
//! order reaches the database builds its column list, its placeholders
//! and its arguments from these tables: the cart's `place_order`, a
//! direct order statement by statement, in two batches (SQLite) and as
//! one statement (`sql/orders.rs`), and PostgreSQL's order group, which
//! sends one array per column (`storage-postgres/src/order_group.rs`).
//!
//! Adding a column to `order_lines`: the field on [`NewOrderLine`], a
//! row in [`LINE_COLUMNS`], the read in `order_lines` (`sql/orders.rs`)
//! if it is read back, and the migration in both trees.

use crate::db;
use crate::{Id, NewOrder, NewOrderLine};
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::cost::Need;
use ramp_domain::setting::Setting;
use ramp_domain::Term;

/// How a column's value is taken from a row of type `T`. The variant is
/// the column's SQL type; every value may be NULL, so one array type per
/// SQL type serves (PostgreSQL's `unnest`).
pub enum Get<T> {
    BigInt(fn(&T) -> Option<i64>),
    Int(fn(&T) -> Option<i32>),
    Bool(fn(&T) -> Option<bool>),
    Text(for<'a> fn(&'a T) -> Option<&'a str>),
    Date(fn(&T) -> Option<NaiveDate>),
    Instant(fn(&T) -> Option<DateTime<Utc>>),
}

/// A column of a row an order writes.
pub struct Column<T> {
    pub name: &'static str,
    pub get: Get<T>,
}

const fn col<T>(name: &'static str, get: Get<T>) -> Column<T> {
    Column { name, get }
}

/// The columns of `orders` taken from the [`NewOrder`] (besides `id`,
/// which the database or the statement draws, and [`ORDER_FIXED`]).
pub const ORDER_COLUMNS: &[Column<NewOrder>] = &[
    col("target", Get::Text(|o| Some(o.target.as_str()))),
    col("patient_id", Get::BigInt(|o| o.patient_id)),
    col("unit_id", Get::BigInt(|o| Some(o.unit_id))),
    col("created_by", Get::BigInt(|o| Some(o.created_by))),
    col("goal", Get::Text(|o| o.goal.as_deref())),
    col("evaluation_date", Get::Date(|o| o.evaluation_date)),
    col("end_date", Get::Date(|o| o.end_date)),
    col("idempotency_key", Get::Text(|o| o.idempotency_key.as_deref())),
    col("request_hash", Get::Text(|o| o.request_hash.as_deref())),
    col("place_of_use", Get::Text(|o| o.place_of_use.map(Setting::as_str))),
    col("delivery_address", Get::Text(|o| o.delivery.address.as_deref())),
    col("delivery_contact_name", Get::Text(|o| o.delivery.contact_name.as_deref())),
    col("delivery_contact_phone", Get::Text(|o| o.delivery.contact_phone.as_deref())),
    col("delivery_method", Get::Text(|o| Some(o.delivery.method.as_str()))),
    col("urgency", Get::Text(|o| Some(o.delivery.urgency.as_str()))),
    col("delivery_note", Get::Text(|o| o.delivery.note.as_deref())),
    col("channel", Get::Text(|o| Some(o.channel.as_str()))),
    col("created_at", Get::Instant(|o| Some(o.at))),
    col("updated_at", Get::Instant(|o| Some(o.at))),
];

/// The columns of `orders` every new order gets the same value in (SQL).
pub const ORDER_FIXED: &[(&str, &str)] = &[("status", "'registered'")];

/// The columns of `order_lines` taken from the [`NewOrderLine`], besides
/// [`LINE_KEYS`] and [`LINE_FIXED`].
pub const LINE_COLUMNS: &[Column<NewOrderLine>] = &[
    col("article_id", Get::BigInt(|l| Some(l.article_id))),
    col("requested_article_id", Get::BigInt(|l| Some(l.requested_article_id))),
    col("substitution", Get::Text(|l| Some(l.substitution.as_str()))),
    col("quantity", Get::Int(|l| Some(l.quantity))),
    col("need", Get::Text(|l| l.need.map(Need::as_str))),
    col("payer", Get::Text(|l| Some(l.payer.as_str()))),
    col("customer_number_id", Get::BigInt(|l| Some(l.customer_number_id))),
    col("rule_id", Get::Text(|l| Some(l.rule_id.as_str()))),
    col("agreement_version", Get::Text(|l| Some(l.agreement_version.as_str()))),
    col("explanation_sv", Get::Text(|l| Some(l.explanation_sv.as_str()))),
    col("explanation_en", Get::Text(|l| Some(l.explanation_en.as_str()))),
    col("trust_prescription", Get::Bool(|l| Some(l.trust_prescription))),
    col("lead_time_class", Get::Text(|l| Some(l.lead_time_class.as_str()))),
    col("promised_date", Get::Date(|l| Some(l.promised_date))),
];

/// The columns of `order_lines` each write path supplies itself: the
/// order's id and the device are made in the same transaction (or the
/// same statement), the line number is the line's place in the order.
pub const LINE_KEYS: [&str; 3] = ["order_id", "line_no", "device_id"];

/// The columns of `order_lines` every new line gets the same value in (SQL).
pub const LINE_FIXED: &[(&str, &str)] = &[("state", "'open'")];

/// Hands out `$N` placeholders one after another, across the statements
/// of a batch or the parts of one statement.
#[derive(Debug, Default, Clone)]
pub struct Placeholders(usize);

impl Placeholders {
    /// The next `$N`.
    pub fn fresh(&mut self) -> String {
        self.0 += 1;
        format!("${}", self.0)
    }

    /// How many were handed out.
    pub fn used(&self) -> usize {
        self.0
    }
}

/// A value a statement takes from elsewhere: bound as an argument, or
/// SQL naming another part of the same statement (`(SELECT id FROM ord)`).
#[derive(Debug, Clone, Copy)]
pub enum Key<'s> {
    Bind(Option<Id>),
    Sql(&'s str),
}

impl Key<'_> {
    pub fn sql(&self, p: &mut Placeholders) -> String {
        match self {
            Key::Bind(_) => p.fresh(),
            Key::Sql(s) => (*s).to_string(),
        }
    }

    pub fn bind<'q>(&self, q: db::Query<'q>) -> db::Query<'q> {
        match self {
            Key::Bind(v) => q.bind(*v),
            Key::Sql(_) => q,
        }
    }
}

/// `a, b, c`: the names of `columns`, after `keys` and before the fixed ones.
pub fn names<T>(keys: &[&str], columns: &[Column<T>], fixed: &[(&str, &str)]) -> String {
    let all: Vec<&str> =
        keys.iter().copied().chain(columns.iter().map(|c| c.name)).chain(fixed.iter().map(|(n, _)| *n)).collect();
    all.join(", ")
}

/// Binds the value of every column in `columns` for `row`, in order.
fn bind_columns<'q, T>(mut q: db::Query<'q>, columns: &[Column<T>], row: &'q T) -> db::Query<'q> {
    for c in columns {
        q = match &c.get {
            Get::BigInt(f) => q.bind(f(row)),
            Get::Int(f) => q.bind(f(row)),
            Get::Bool(f) => q.bind(f(row)),
            Get::Text(f) => q.bind(f(row)),
            Get::Date(f) => q.bind(f(row)),
            Get::Instant(f) => q.bind(f(row)),
        };
    }
    q
}

/// The order's INSERT, `RETURNING id`; a reused idempotency key fails here.
pub fn order_sql(p: &mut Placeholders) -> String {
    let values: Vec<String> =
        ORDER_COLUMNS.iter().map(|_| p.fresh()).chain(ORDER_FIXED.iter().map(|(_, v)| v.to_string())).collect();
    format!(
        "INSERT INTO orders ({}) VALUES ({}) RETURNING id",
        names(&[], ORDER_COLUMNS, ORDER_FIXED),
        values.join(", ")
    )
}

/// The arguments of [`order_sql`].
pub fn bind_order<'q>(q: db::Query<'q>, o: &'q NewOrder) -> db::Query<'q> {
    bind_columns(q, ORDER_COLUMNS, o)
}

/// A line's INSERT: `order` and `device` bound or named (see [`Key`]).
pub fn line_sql(p: &mut Placeholders, order: &Key<'_>, device: &Key<'_>) -> String {
    let mut values = vec![order.sql(p), p.fresh(), device.sql(p)];
    values.extend(LINE_COLUMNS.iter().map(|_| p.fresh()));
    values.extend(LINE_FIXED.iter().map(|(_, v)| v.to_string()));
    format!("INSERT INTO order_lines ({}) VALUES ({})", names(&LINE_KEYS, LINE_COLUMNS, LINE_FIXED), values.join(", "))
}

/// The arguments of [`line_sql`].
pub fn bind_line<'q>(
    q: db::Query<'q>,
    order: &Key<'_>,
    line_no: i32,
    device: &Key<'_>,
    l: &'q NewOrderLine,
) -> db::Query<'q> {
    let q = device.bind(order.bind(q).bind(line_no));
    bind_columns(q, LINE_COLUMNS, l)
}

/// One array per column, for PostgreSQL's `unnest` (the order group).
pub enum Array<'a> {
    BigInt(Vec<Option<i64>>),
    Int(Vec<Option<i32>>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<&'a str>>),
    Date(Vec<Option<NaiveDate>>),
    Instant(Vec<Option<DateTime<Utc>>>),
}

impl<'a> Array<'a> {
    /// The values of `column` for `rows`, each row taken from an item by `row`.
    pub fn of<I, T: 'a>(column: &Column<T>, items: &[I], row: impl Fn(&I) -> &'a T) -> Self {
        let rows = items.iter().map(row);
        match &column.get {
            Get::BigInt(f) => Array::BigInt(rows.map(f).collect()),
            Get::Int(f) => Array::Int(rows.map(f).collect()),
            Get::Bool(f) => Array::Bool(rows.map(f).collect()),
            Get::Text(f) => Array::Text(rows.map(|r| f(r)).collect()),
            Get::Date(f) => Array::Date(rows.map(f).collect()),
            Get::Instant(f) => Array::Instant(rows.map(f).collect()),
        }
    }

    /// Its PostgreSQL type.
    pub fn pg_type(&self) -> &'static str {
        match self {
            Array::BigInt(_) => "bigint[]",
            Array::Int(_) => "int[]",
            Array::Bool(_) => "bool[]",
            Array::Text(_) => "text[]",
            Array::Date(_) => "date[]",
            Array::Instant(_) => "timestamptz[]",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_insert_numbers_only_the_values_it_binds() {
        let mut p = Placeholders::default();
        p.fresh();
        let sql = line_sql(&mut p, &Key::Sql("(SELECT id FROM ord)"), &Key::Bind(None));
        assert!(sql.starts_with(
            "INSERT INTO order_lines (order_id, line_no, device_id, article_id, requested_article_id, substitution, "
        ));
        assert!(sql.contains("VALUES ((SELECT id FROM ord), $2, $3, $4, "));
        assert!(sql.ends_with(&format!("${}, 'open')", 3 + LINE_COLUMNS.len())));
        assert_eq!(p.used(), 3 + LINE_COLUMNS.len());
    }

    #[test]
    fn an_order_insert_lists_every_column_once() {
        let sql = order_sql(&mut Placeholders::default());
        let n = ORDER_COLUMNS.len();
        assert!(sql.contains(&format!("${n}, 'registered') RETURNING id")), "{sql}");
        let mut seen = std::collections::HashSet::new();
        assert!(ORDER_COLUMNS.iter().all(|c| seen.insert(c.name)));
        let mut seen = std::collections::HashSet::new();
        assert!(LINE_KEYS.iter().copied().chain(LINE_COLUMNS.iter().map(|c| c.name)).all(|c| seen.insert(c)));
    }
}
