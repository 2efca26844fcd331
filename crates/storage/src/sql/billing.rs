//! [`crate::BillingStore`] for [`SqlStorage`], both engines. Instants are compared as bound `DateTime<Utc>` values and
//! civil dates as bound `NaiveDate`s, which both engines order correctly
//! (SQLite stores them as ISO text).

use ramp_domain::figures::{stockholm_midnight_utc, Month};

/// The instants `[start, end)` of a Stockholm calendar month.
pub fn month_instants(m: Month) -> (DateTime<Utc>, DateTime<Utc>) {
    (stockholm_midnight_utc(m.first_day()), stockholm_midnight_utc(m.next().first_day()))
}

/// Invoice numbers: the issue year and a six-digit sequence, e.g. `2026000042`.
pub fn invoice_number(year: i32, n: i64) -> String {
    format!("{year}{n:06}")
}

/// The next number of `year` in the yearly series kept in `counters`
/// (`invoice_counters`, `patient_invoice_counters`), in the invoice's own
/// transaction: a rolled-back invoice gives its number back.
pub(crate) async fn next_in_series(tx: &mut crate::write_tx::WriteTx, counters: &str, year: i32) -> crate::Result<i64> {
    let sql = format!(
        "INSERT INTO {counters} (year, last_number) VALUES ($1, 1) ON CONFLICT (year) \
         DO UPDATE SET last_number = {counters}.last_number + 1 RETURNING last_number"
    );
    db::query(&sql).bind(year).fetch_one(&mut **tx).await?.try_get("last_number")
}

use super::rows::chunk_size;
use crate::db;
use crate::db::{QueryBuilder, Row};
use crate::sql::{stored, SqlStorage};
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ramp_domain::billing::*;
use ramp_domain::charges::{ChargeKind, LostDevice};
use ramp_domain::cost::Payer;
use ramp_domain::money::Ore;
use ramp_domain::time::stockholm_date;
use std::collections::HashMap;

const INVOICE_COLUMNS: &str = "i.id, i.number, i.kind, i.month, i.revision, i.customer_number_id, \
    c.number AS customer_number, c.name AS customer_name, i.principal_id, p.name AS principal_name, \
    i.issue_date, i.due_date, i.total_ore, i.credited_invoice_id, ci.number AS credited_number, \
    cn.number AS credited_by, i.reason, i.created_at, i.run_id \
    FROM invoices i JOIN customer_numbers c ON c.id = i.customer_number_id \
    JOIN principals p ON p.id = i.principal_id \
    LEFT JOIN invoices ci ON ci.id = i.credited_invoice_id \
    LEFT JOIN invoices cn ON cn.credited_invoice_id = i.id AND cn.kind = 'credit_note'";

fn invoice_from(r: &Row) -> Result<InvoiceRow> {
    Ok(InvoiceRow {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        kind: r.try_get("kind")?,
        month: r.try_get("month")?,
        revision: r.try_get("revision")?,
        customer_number_id: r.try_get("customer_number_id")?,
        customer_number: r.try_get("customer_number")?,
        customer_name: r.try_get("customer_name")?,
        principal_id: r.try_get("principal_id")?,
        principal_name: r.try_get("principal_name")?,
        issue_date: r.try_get("issue_date")?,
        due_date: r.try_get("due_date")?,
        total_ore: r.try_get("total_ore")?,
        credited_invoice_id: r.try_get("credited_invoice_id")?,
        credited_number: r.try_get("credited_number")?,
        credited_by: r.try_get("credited_by")?,
        reason: r.try_get("reason")?,
        created_at: r.try_get("created_at")?,
        run_id: r.try_get("run_id")?,
    })
}

fn billing_from(r: &Row) -> Result<Option<PrincipalBilling>> {
    let org: Option<String> = r.try_get("organisation_number")?;
    let Some(organisation_number) = org else { return Ok(None) };
    Ok(Some(PrincipalBilling {
        principal_id: r.try_get("id")?,
        organisation_number,
        vat_number: r.try_get::<Option<String>, _>("vat_number")?.unwrap_or_default(),
        street: r.try_get::<Option<String>, _>("street")?.unwrap_or_default(),
        postal_code: r.try_get::<Option<String>, _>("postal_code")?.unwrap_or_default(),
        city: r.try_get::<Option<String>, _>("city")?.unwrap_or_default(),
        peppol_id: r.try_get("peppol_id")?,
        invoice_email: r.try_get("invoice_email")?,
    }))
}

async fn loan_facts(this: &SqlStorage, m: Month) -> Result<Vec<LoanFact>> {
    let last = m.next().first_day().pred_opt().unwrap_or(m.first_day());
    let mut loans = db::query(
        "SELECT l.id, l.device_id, d.device_number, d.article_id, a.name AS article_name, l.patient_id, \
         l.customer_number_id, l.payer, l.rule_id, a.monthly_rent_ore, l.start_date, l.end_date \
         FROM loans l JOIN devices d ON d.id = l.device_id JOIN articles a ON a.id = d.article_id \
         WHERE a.billing = 'rental' AND a.monthly_rent_ore > 0 AND l.start_date <= $1 \
         AND (l.end_date IS NULL OR l.end_date >= $2) ORDER BY l.id",
    )
    .bind(last)
    .bind(m.first_day())
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(LoanFact {
            loan_id: r.try_get("id")?,
            device_id: r.try_get("device_id")?,
            device_number: r.try_get("device_number")?,
            article_id: r.try_get("article_id")?,
            article_name: r.try_get("article_name")?,
            patient_id: r.try_get("patient_id")?,
            customer_number_id: r.try_get("customer_number_id")?,
            payer: stored(r, "payer")?,
            rule_id: r.try_get("rule_id")?,
            monthly_rent: Ore(r.try_get("monthly_rent_ore")?),
            start: r.try_get("start_date")?,
            end: r.try_get("end_date")?,
            periods: Vec::new(),
        })
    })
    .collect::<Result<Vec<LoanFact>>>()?;
    let mut periods = loan_periods(this, m).await?;
    for loan in &mut loans {
        loan.periods = periods.remove(&loan.loan_id).unwrap_or_default();
    }
    Ok(loans)
}

/// The later payer periods (issue 22) of the loans billed in `m` that begin
/// on or before its last day, per loan in date order.
async fn loan_periods(this: &SqlStorage, m: Month) -> Result<HashMap<i64, Vec<LoanPeriod>>> {
    let last = m.next().first_day().pred_opt().unwrap_or(m.first_day());
    let rows = db::query(
        "SELECT p.loan_id, p.valid_from, p.payer, p.rule_id, p.customer_number_id FROM loan_payer_periods p \
         JOIN loans l ON l.id = p.loan_id WHERE p.valid_from <= $1 AND (l.end_date IS NULL OR l.end_date >= $2) \
         ORDER BY p.loan_id, p.valid_from",
    )
    .bind(last)
    .bind(m.first_day())
    .fetch_all(&this.pool)
    .await?;
    let mut out: HashMap<i64, Vec<LoanPeriod>> = HashMap::new();
    for r in &rows {
        out.entry(r.try_get("loan_id")?).or_default().push(LoanPeriod {
            from: r.try_get("valid_from")?,
            payer: stored(r, "payer")?,
            rule_id: r.try_get("rule_id")?,
            customer_number_id: r.try_get("customer_number_id")?,
        });
    }
    Ok(out)
}

async fn sale_facts(this: &SqlStorage, m: Month) -> Result<Vec<SaleFact>> {
    let (from, to) = month_instants(m);
    let mut out: Vec<SaleFact> = db::query(
        "SELECT ol.id, ol.article_id, a.article_number, a.name, ol.device_id, o.patient_id, \
         ol.customer_number_id, ol.payer, ol.rule_id, ol.quantity, a.purchase_price_ore, ol.delivered_at \
         FROM order_lines ol JOIN orders o ON o.id = ol.order_id JOIN articles a ON a.id = ol.article_id \
         WHERE ol.state = 'delivered' AND a.billing = 'sale' AND ol.delivered_at >= $1 AND ol.delivered_at < $2 \
         ORDER BY ol.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(SaleFact {
            source: SaleSource::OrderLine(r.try_get("id")?),
            article_id: r.try_get("article_id")?,
            article_number: r.try_get("article_number")?,
            article_name: r.try_get("name")?,
            device_id: r.try_get("device_id")?,
            patient_id: r.try_get("patient_id")?,
            customer_number_id: r.try_get("customer_number_id")?,
            payer: stored(r, "payer")?,
            rule_id: r.try_get("rule_id")?,
            quantity: i64::from(r.try_get::<i32, _>("quantity")?),
            unit_price: Ore(r.try_get("purchase_price_ore")?),
            delivered_on: stockholm_date(r.try_get::<DateTime<Utc>, _>("delivered_at")?),
        })
    })
    .collect::<Result<_>>()?;
    let last = m.next().first_day().pred_opt().unwrap_or(m.first_day());
    let surplus = db::query(
        "SELECT s.id, d.article_id, a.article_number, a.name, s.device_id, s.customer_number_id, \
         s.price_ore, s.sold_on FROM surplus_sales s JOIN devices d ON d.id = s.device_id \
         JOIN articles a ON a.id = d.article_id WHERE s.sold_on >= $1 AND s.sold_on <= $2 ORDER BY s.id",
    )
    .bind(m.first_day())
    .bind(last)
    .fetch_all(&this.pool)
    .await?;
    for r in &surplus {
        out.push(SaleFact {
            source: SaleSource::Surplus(r.try_get("id")?),
            article_id: r.try_get("article_id")?,
            article_number: r.try_get("article_number")?,
            article_name: r.try_get("name")?,
            device_id: r.try_get("device_id")?,
            patient_id: None,
            customer_number_id: r.try_get("customer_number_id")?,
            payer: Payer::Municipality,
            rule_id: "surplus_sale".into(),
            quantity: 1,
            unit_price: Ore(r.try_get("price_ore")?),
            delivered_on: r.try_get("sold_on")?,
        });
    }
    Ok(out)
}

async fn work_order_facts(this: &SqlStorage, m: Month) -> Result<Vec<WorkOrderFact>> {
    let (from, to) = month_instants(m);
    let last = m.next().first_day().pred_opt().unwrap_or(m.first_day());
    // The device's holder: its latest loan started by the month's end and not ended before it began.
    db::query(
        "SELECT w.id, w.kind, w.device_id, w.patient_id, w.finished_at, l.customer_number_id, l.payer, l.rule_id, \
         COALESCE((SELECT SUM(e.minutes) FROM work_order_entries e WHERE e.work_order_id = w.id), 0) AS minutes \
         FROM work_orders w JOIN loans l ON l.id = (SELECT l2.id FROM loans l2 WHERE l2.device_id = w.device_id \
         AND l2.start_date <= $3 AND (l2.end_date IS NULL OR l2.end_date >= $4) \
         ORDER BY l2.start_date DESC, l2.id DESC LIMIT 1) \
         WHERE w.status = 'done' AND w.finished_at >= $1 AND w.finished_at < $2 ORDER BY w.id",
    )
    .bind(from)
    .bind(to)
    .bind(last)
    .bind(m.first_day())
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(WorkOrderFact {
            work_order_id: r.try_get("id")?,
            kind: stored(r, "kind")?,
            device_id: r.try_get("device_id")?,
            patient_id: r.try_get("patient_id")?,
            customer_number_id: r.try_get("customer_number_id")?,
            payer: stored(r, "payer")?,
            rule_id: r.try_get("rule_id")?,
            minutes: r.try_get("minutes")?,
            finished_on: stockholm_date(r.try_get::<DateTime<Utc>, _>("finished_at")?),
        })
    })
    .collect()
}

async fn acute_facts(this: &SqlStorage, m: Month) -> Result<Vec<AcuteOrderFact>> {
    let (from, to) = month_instants(m);
    // Once per order: in the month its first acute line was delivered.
    db::query(
        "SELECT o.id, u.customer_number_id, MIN(ol.delivered_at) AS first_delivered \
         FROM order_lines ol JOIN orders o ON o.id = ol.order_id JOIN units u ON u.id = o.unit_id \
         WHERE ol.state = 'delivered' AND ol.lead_time_class = 'acute' AND o.id IN ( \
         SELECT x.order_id FROM order_lines x WHERE x.state = 'delivered' AND x.lead_time_class = 'acute' \
         AND x.delivered_at >= $1 AND x.delivered_at < $2) \
         GROUP BY o.id, u.customer_number_id HAVING MIN(ol.delivered_at) >= $1 ORDER BY o.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(AcuteOrderFact {
            order_id: r.try_get("id")?,
            customer_number_id: r.try_get("customer_number_id")?,
            delivered_on: stockholm_date(r.try_get::<DateTime<Utc>, _>("first_delivered")?),
        })
    })
    .collect()
}

async fn lost_facts(this: &SqlStorage, m: Month) -> Result<Vec<LostFact>> {
    let last = m.next().first_day().pred_opt().unwrap_or(m.first_day());
    db::query(
        "SELECT r.id, r.device_id, d.device_number, d.article_id, a.name, r.patient_id, r.customer_number_id, \
         r.reported_on, a.kind, d.purchase_price_ore, d.purchase_date, a.service_life_months, a.valid_from, a.valid_to, \
         u.kind AS unit_kind \
         FROM lost_reports r JOIN devices d ON d.id = r.device_id JOIN articles a ON a.id = d.article_id \
         JOIN users rb ON rb.id = r.reported_by LEFT JOIN units u ON u.id = COALESCE(rb.unit_id, r.unit_id) \
         WHERE r.reported_on >= $1 AND r.reported_on <= $2 ORDER BY r.id",
    )
    .bind(m.first_day())
    .bind(last)
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        let reported_on: NaiveDate = r.try_get("reported_on")?;
        let valid_from: NaiveDate = r.try_get("valid_from")?;
        let valid_to: Option<NaiveDate> = r.try_get("valid_to")?;
        let kind: String = r.try_get("kind")?;
        Ok(LostFact {
            report_id: r.try_get("id")?,
            device_id: r.try_get("device_id")?,
            device_number: r.try_get("device_number")?,
            article_id: r.try_get("article_id")?,
            article_name: r.try_get("name")?,
            patient_id: r.try_get("patient_id")?,
            customer_number_id: r.try_get("customer_number_id")?,
            reported_on,
            device: LostDevice {
                kind: ChargeKind::of_article_kind(&kind),
                purchase_price: Ore(r.try_get("purchase_price_ore")?),
                purchase_date: r.try_get("purchase_date")?,
                service_life_months: r.try_get::<i32, _>("service_life_months")?.max(0) as u32,
                in_assortment: valid_from <= reported_on && valid_to.is_none_or(|t| t >= reported_on),
            },
            unit_kind: r.try_get("unit_kind")?,
            rules: None,
        })
    })
    .collect()
}

fn price_list(rows: &[BillingPrice]) -> PriceList {
    let mut p = PriceList::default();
    for r in rows {
        if r.code == "acute_delivery_fee" {
            p.acute_delivery_fee = Some(Ore(r.amount_ore));
        } else if let Some(kind) = r.code.strip_prefix("work_order.") {
            p.work_order_hourly.insert(kind.to_string(), Ore(r.amount_ore));
        }
    }
    p
}

#[async_trait]
impl BillingStore for SqlStorage {
    async fn set_principal_billing(&self, rows: &[PrincipalBilling]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for r in rows {
            db::query(
                "UPDATE principals SET organisation_number = $2, vat_number = $3, street = $4, postal_code = $5, \
                 city = $6, peppol_id = $7, invoice_email = $8 WHERE id = $1",
            )
            .bind(r.principal_id)
            .bind(&r.organisation_number)
            .bind(&r.vat_number)
            .bind(&r.street)
            .bind(&r.postal_code)
            .bind(&r.city)
            .bind(&r.peppol_id)
            .bind(&r.invoice_email)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn principal_billing(&self, principal_id: Id) -> Result<Option<PrincipalBilling>> {
        let r = db::query(
            "SELECT id, organisation_number, vat_number, street, postal_code, city, peppol_id, invoice_email \
             FROM principals WHERE id = $1",
        )
        .bind(principal_id)
        .fetch_optional(&self.pool)
        .await?;
        match r {
            Some(r) => billing_from(&r),
            None => Ok(None),
        }
    }

    async fn set_billing_price(&self, p: &BillingPrice) -> Result<()> {
        let _turn = self.dialect.write_turn().await;
        db::query(
            "INSERT INTO billing_prices (code, amount_ore, unit, description) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET amount_ore = excluded.amount_ore, unit = excluded.unit, \
             description = excluded.description",
        )
        .bind(&p.code)
        .bind(p.amount_ore)
        .bind(&p.unit)
        .bind(&p.description)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn billing_prices(&self) -> Result<Vec<BillingPrice>> {
        db::query("SELECT code, amount_ore, unit, description FROM billing_prices ORDER BY code")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(BillingPrice {
                    code: r.try_get("code")?,
                    amount_ore: r.try_get("amount_ore")?,
                    unit: r.try_get("unit")?,
                    description: r.try_get("description")?,
                })
            })
            .collect()
    }

    async fn billing_facts(&self, m: Month) -> Result<Facts> {
        let accounts = db::query(
            "SELECT c.id, c.number, p.kind FROM customer_numbers c JOIN principals p ON p.id = c.principal_id \
             ORDER BY c.number",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut f = Facts::empty(m);
        for r in &accounts {
            let id: Id = r.try_get("id")?;
            let kind: String = r.try_get("kind")?;
            if kind == "municipality" {
                f.municipal_accounts.insert(id);
            } else if f.region_customer_number.is_none() {
                f.region_customer_number = Some(id);
            }
            f.account_numbers.insert(id, r.try_get("number")?);
        }
        f.prices = price_list(&self.billing_prices().await?);
        f.loans = loan_facts(self, m).await?;
        f.sales = sale_facts(self, m).await?;
        f.work_orders = work_order_facts(self, m).await?;
        f.acute_orders = acute_facts(self, m).await?;
        f.lost = lost_facts(self, m).await?;
        Ok(f)
    }

    async fn accounts(&self) -> Result<Vec<Account>> {
        db::query("SELECT id, number, name, principal_id FROM customer_numbers ORDER BY number")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Account {
                    customer_number_id: r.try_get("id")?,
                    number: r.try_get("number")?,
                    name: r.try_get("name")?,
                    principal_id: r.try_get("principal_id")?,
                })
            })
            .collect()
    }

    async fn start_invoice_run(
        &self,
        month: &str,
        user: Id,
        at: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<Id> {
        super::invoice_write::start_run(self, month, user, at, stale_before).await
    }

    async fn mark_invoice_run(&self, run_id: Id, state: &str, at: DateTime<Utc>) -> Result<()> {
        super::invoice_write::mark_run(self, run_id, state, at).await
    }

    async fn create_invoices(&self, invoices: &[NewInvoice]) -> Result<Vec<(Id, String)>> {
        super::invoice_write::create_invoices(self, invoices).await
    }

    async fn month_invoice_states(&self, month: &str) -> Result<Vec<MonthInvoiceState>> {
        db::query(
            "SELECT i.customer_number_id, i.revision, \
             EXISTS (SELECT 1 FROM invoices c WHERE c.credited_invoice_id = i.id) AS credited \
             FROM invoices i WHERE i.kind = 'invoice' AND i.month = $1 AND i.revision = \
             (SELECT MAX(j.revision) FROM invoices j WHERE j.kind = 'invoice' AND j.month = i.month \
             AND j.customer_number_id = i.customer_number_id)",
        )
        .bind(month)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(MonthInvoiceState {
                customer_number_id: r.try_get("customer_number_id")?,
                revision: r.try_get("revision")?,
                credited: r.try_get("credited")?,
            })
        })
        .collect()
    }

    async fn create_invoice(&self, inv: &NewInvoice) -> Result<(Id, String)> {
        let mut tx = self.dialect.begin().await?;
        let year = inv.issue_date.year();
        let n = next_in_series(&mut tx, "invoice_counters", year).await?;
        let number = invoice_number(year, n);
        let total: i64 = inv.lines.iter().map(|l| l.amount_ore).sum();
        let id: Id = db::query(
            "INSERT INTO invoices (number, kind, month, revision, customer_number_id, principal_id, issue_date, \
             due_date, total_ore, credited_invoice_id, reason, created_by, created_at, run_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(&number)
        .bind(&inv.kind)
        .bind(&inv.month)
        .bind(inv.revision)
        .bind(inv.customer_number_id)
        .bind(inv.principal_id)
        .bind(inv.issue_date)
        .bind(inv.due_date)
        .bind(total)
        .bind(inv.credited_invoice_id)
        .bind(&inv.reason)
        .bind(inv.created_by)
        .bind(inv.created_at)
        .bind(inv.run_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let numbered: Vec<(i32, &NewInvoiceLine)> = (1..).zip(inv.lines.iter()).collect();
        for chunk in numbered.chunks(chunk_size(self, 17)) {
            QueryBuilder::new(
                "INSERT INTO invoice_lines (invoice_id, invoice_kind, revision, line_no, kind, source_key, device_id, \
                 article_id, patient_id, description, quantity, unit_price_ore, amount_ore, period_from, period_to, \
                 computation, credited_line_id) ",
            )
            .push_values(chunk, |mut b, (no, l)| {
                b.push_bind(id)
                    .push_bind(&inv.kind)
                    .push_bind(inv.revision)
                    .push_bind(*no)
                    .push_bind(&l.kind)
                    .push_bind(&l.source_key)
                    .push_bind(l.device_id)
                    .push_bind(l.article_id)
                    .push_bind(l.patient_id)
                    .push_bind(&l.description)
                    .push_bind(l.quantity)
                    .push_bind(l.unit_price_ore)
                    .push_bind(l.amount_ore)
                    .push_bind(l.period_from)
                    .push_bind(l.period_to)
                    .push_bind(&l.computation)
                    .push_bind(l.credited_line_id);
            })
            .build()
            .execute(&mut *tx)
            .await?;
        }
        let event = |invoice: Id, kind: &'static str| {
            db::query(
                "INSERT INTO invoice_events (invoice_id, occurred_at, kind, actor_user_id, note) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(invoice)
            .bind(inv.created_at)
            .bind(kind)
            .bind(inv.created_by)
            .bind(&inv.reason)
        };
        event(id, "created").execute(&mut *tx).await?;
        if let Some(credited) = inv.credited_invoice_id {
            event(credited, "credited").execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok((id, number))
    }

    async fn invoices(&self, f: &InvoiceFilter) -> Result<Vec<InvoiceRow>> {
        let mut b = QueryBuilder::new(format!("SELECT {INVOICE_COLUMNS} WHERE 1 = 1"));
        if let Some(m) = &f.month {
            b.push(" AND i.month = ").push_bind(m.clone());
        }
        if let Some(c) = &f.customer_number {
            b.push(" AND c.number = ").push_bind(c.clone());
        }
        b.push(" ORDER BY i.month DESC, c.number, i.id LIMIT ").push_bind(f.limit);
        b.build().fetch_all(&self.pool).await?.iter().map(invoice_from).collect()
    }

    async fn invoice_by_number(&self, number: &str) -> Result<Option<InvoiceRow>> {
        db::query(format!("SELECT {INVOICE_COLUMNS} WHERE i.number = $1"))
            .bind(number)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| invoice_from(&r))
            .transpose()
    }

    async fn invoice_lines(&self, invoice_id: Id) -> Result<Vec<InvoiceLineRow>> {
        db::query(
            "SELECT id, line_no, kind, source_key, device_id, article_id, patient_id, description, quantity, \
             unit_price_ore, amount_ore, period_from, period_to, computation, credited_line_id \
             FROM invoice_lines WHERE invoice_id = $1 ORDER BY line_no",
        )
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(InvoiceLineRow {
                id: r.try_get("id")?,
                line_no: r.try_get("line_no")?,
                kind: r.try_get("kind")?,
                source_key: r.try_get("source_key")?,
                device_id: r.try_get("device_id")?,
                article_id: r.try_get("article_id")?,
                patient_id: r.try_get("patient_id")?,
                description: r.try_get("description")?,
                quantity: r.try_get("quantity")?,
                unit_price_ore: r.try_get("unit_price_ore")?,
                amount_ore: r.try_get("amount_ore")?,
                period_from: r.try_get("period_from")?,
                period_to: r.try_get("period_to")?,
                computation: r.try_get("computation")?,
                credited_line_id: r.try_get("credited_line_id")?,
            })
        })
        .collect()
    }
}
