//! [`crate::InteropStore`] for [`SqlStorage`], both engines: the rows the
//! FHIR interface maps to `DeviceRequest`, `DeviceDispense`, `ChargeItem`
//! and `DeviceDefinition`. Plain reads; nothing here writes.

use super::rows::article_from;
use crate::db::{self, QueryBuilder};
use crate::sql::{like_escape, stored, SqlStorage, ARTICLE_COLUMNS};
use crate::*;
use async_trait::async_trait;

const REQUEST_LINES: &str = "SELECT ol.id AS line_id, o.id AS order_id, ol.line_no, o.patient_id, o.status, ol.state, \
     a.id AS article_id, a.article_number, a.name AS article_name, ol.quantity, o.goal, us.display_name, \
     un.name AS unit_name, o.created_at, ol.promised_date, ol.delivered_at, d.device_number \
     FROM order_lines ol JOIN orders o ON o.id = ol.order_id JOIN articles a ON a.id = ol.article_id \
     JOIN users us ON us.id = o.created_by JOIN units un ON un.id = o.unit_id \
     LEFT JOIN devices d ON d.id = ol.device_id WHERE o.target = 'patient'";

const CHARGE_LINES: &str = "SELECT il.id AS line_id, il.patient_id, i.number, il.line_no, il.kind, il.description, \
     il.quantity, il.unit_price_ore, il.amount_ore, il.period_from, il.period_to, i.created_at, d.device_number, \
     EXISTS (SELECT 1 FROM invoice_lines c WHERE c.credited_line_id = il.id) AS credited \
     FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id LEFT JOIN devices d ON d.id = il.device_id \
     WHERE il.invoice_kind = 'invoice' AND il.patient_id IS NOT NULL";

fn request_line(r: &db::Row) -> Result<RequestLine> {
    Ok(RequestLine {
        line_id: r.try_get("line_id")?,
        order_id: r.try_get("order_id")?,
        line_no: r.try_get("line_no")?,
        patient_id: r.try_get("patient_id")?,
        order_status: stored(r, "status")?,
        line_state: r.try_get("state")?,
        article_id: r.try_get("article_id")?,
        article_number: r.try_get("article_number")?,
        article_name: r.try_get("article_name")?,
        quantity: r.try_get("quantity")?,
        goal: r.try_get("goal")?,
        orderer_name: r.try_get("display_name")?,
        unit_name: r.try_get("unit_name")?,
        placed_at: r.try_get("created_at")?,
        promised_date: r.try_get("promised_date")?,
        delivered_at: r.try_get("delivered_at")?,
        device_number: r.try_get("device_number")?,
    })
}

fn charge_line(r: &db::Row) -> Result<ChargeLine> {
    Ok(ChargeLine {
        line_id: r.try_get("line_id")?,
        patient_id: r.try_get("patient_id")?,
        invoice_number: r.try_get("number")?,
        line_no: r.try_get("line_no")?,
        kind: r.try_get("kind")?,
        description: r.try_get("description")?,
        quantity: r.try_get("quantity")?,
        unit_price_ore: r.try_get("unit_price_ore")?,
        amount_ore: r.try_get("amount_ore")?,
        period_from: r.try_get("period_from")?,
        period_to: r.try_get("period_to")?,
        issued_at: r.try_get("created_at")?,
        device_number: r.try_get("device_number")?,
        credited: r.try_get("credited")?,
    })
}

/// `base` narrowed to a patient and/or one line (alias `alias`), oldest first.
fn narrowed<'a>(base: &str, alias: &str, patient: (&str, Option<Id>), line_id: Option<Id>) -> QueryBuilder<'a> {
    let mut b = QueryBuilder::new(base);
    if let Some(p) = patient.1 {
        b.push(format!(" AND {} = ", patient.0)).push_bind(p);
    }
    if let Some(id) = line_id {
        b.push(format!(" AND {alias}.id = ")).push_bind(id);
    }
    b.push(format!(" ORDER BY {alias}.id"));
    b
}

/// The article filter's conditions, appended to a query over `articles a`.
fn push_article_filter(b: &mut QueryBuilder<'_>, f: &ArticleFilter) {
    if let Some(id) = f.id {
        b.push(" AND a.id = ").push_bind(id);
    }
    if let Some(n) = &f.article_number {
        b.push(" AND a.article_number = ").push_bind(n.clone());
    }
    if let Some(g) = &f.gtin {
        b.push(" AND a.gtin = ").push_bind(g.clone());
    }
    if let Some(p) = &f.iso_prefix {
        b.push(" AND a.iso_code LIKE ").push_bind(format!("{}%", like_escape(p))).push(" ESCAPE '\\'");
    }
}

#[async_trait]
impl InteropStore for SqlStorage {
    async fn request_lines(&self, patient_id: Option<Id>, line_id: Option<Id>) -> Result<Vec<RequestLine>> {
        let mut b = narrowed(REQUEST_LINES, "ol", ("o.patient_id", patient_id), line_id);
        b.build().fetch_all(&self.pool).await?.iter().map(request_line).collect()
    }

    async fn charge_lines(&self, patient_id: Option<Id>, line_id: Option<Id>) -> Result<Vec<ChargeLine>> {
        let mut b = narrowed(CHARGE_LINES, "il", ("il.patient_id", patient_id), line_id);
        b.build().fetch_all(&self.pool).await?.iter().map(charge_line).collect()
    }

    async fn article_page(&self, filter: &ArticleFilter) -> Result<(Vec<Article>, i64)> {
        let mut count = QueryBuilder::new("SELECT COUNT(*) AS n FROM articles a WHERE 1 = 1");
        push_article_filter(&mut count, filter);
        let total: i64 = count.build().fetch_one(&self.pool).await?.try_get("n")?;
        let mut b = QueryBuilder::new(format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles a JOIN suppliers s ON s.id = a.supplier_id WHERE 1 = 1"
        ));
        push_article_filter(&mut b, filter);
        b.push(" ORDER BY a.article_number LIMIT ").push_bind(filter.limit.clamp(1, 500));
        b.push(" OFFSET ").push_bind(filter.offset.max(0));
        let rows = b.build().fetch_all(&self.pool).await?;
        Ok((rows.iter().map(article_from).collect::<Result<_>>()?, total))
    }
}
