//! [`crate::ConsultStore`] for [`SqlStorage`], both engines.
//!
//! Races are decided by row locks taken with a first write and by checks
//! made in a *later* statement (on PostgreSQL a statement that waited for a
//! lock re-checks only the locked row; the next statement sees what the
//! other transaction committed): booking locks the activity, then the
//! slot; a sale locks the article row, then counts stock and demand.

/// Columns of a slot with its consultant, location and booking in force.
pub const SLOT_COLUMNS: &str = "s.id AS slot_id, s.consultant_id, u.display_name AS consultant_name, \
    u.username AS consultant_username, s.location_id, l.name AS location, s.service_code, s.starts_at, s.ends_at, \
    s.withdrawn_at, b.consultation_id AS booked_consultation_id";

/// The joins [`SLOT_COLUMNS`] reads from (`s` is the slot).
pub const SLOT_JOINS: &str = "JOIN users u ON u.id = s.consultant_id \
    JOIN consultation_locations l ON l.id = s.location_id \
    LEFT JOIN consultation_bookings b ON b.slot_id = s.id AND b.cancelled_at IS NULL";

/// A surplus sale with its device, article, buyer and customer number.
pub const SALE_SQL: &str = "SELECT ss.id, ss.device_id, d.device_number, a.article_number, a.name AS article_name, \
    ss.buyer_principal_id, p.name AS buyer_name, cn.number AS customer_number, ss.purchase_price_ore, ss.price_ore, \
    ss.sold_by, ss.sold_at, ss.sold_on, ss.delivered_on, ss.complaint_deadline, ss.spare_parts_until \
    FROM surplus_sales ss JOIN devices d ON d.id = ss.device_id JOIN articles a ON a.id = d.article_id \
    JOIN principals p ON p.id = ss.buyer_principal_id JOIN customer_numbers cn ON cn.id = ss.customer_number_id";

/// Devices (`d`) that may be sold: on a central warehouse shelf, not
/// specially adapted (their CE marking is void) and not blocked (a safety
/// notice's open recall, an unsigned adaptation: `sql_supply::NOT_BLOCKED`).
/// Add conditions with `AND`.
pub fn central_stock_from() -> String {
    format!(
        "FROM devices d JOIN warehouses w ON w.id = d.warehouse_id \
         WHERE d.state = 'in_stock' AND w.kind = 'central' AND NOT d.special_adapted AND {}",
        crate::sql::supply::NOT_BLOCKED
    )
}

/// Demand: order lines (`l`) not cancelled, of orders (`o`) placed since `$2`.
pub const DEMAND_FROM: &str = "FROM order_lines l JOIN orders o ON o.id = l.order_id \
    WHERE l.state <> 'cancelled' AND o.created_at >= $2";

use crate::db;
use crate::db::{QueryBuilder, Row};
use crate::sql::parse_stored;
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::consult::ConsultationEventKind;
use ramp_domain::Term;

fn slot_from(r: &Row) -> Result<Slot> {
    Ok(Slot {
        id: r.try_get("slot_id")?,
        consultant_id: r.try_get("consultant_id")?,
        consultant_name: r.try_get("consultant_name")?,
        consultant_username: r.try_get("consultant_username")?,
        location_id: r.try_get("location_id")?,
        location: r.try_get("location")?,
        service_code: r.try_get("service_code")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        withdrawn_at: r.try_get("withdrawn_at")?,
        booked_consultation_id: r.try_get("booked_consultation_id")?,
    })
}

fn booking_from(r: &Row) -> Result<Booking> {
    Ok(Booking {
        id: r.try_get("booking_id")?,
        consultation_id: r.try_get("bk_consultation_id")?,
        slot: slot_from(r)?,
        booked_by: r.try_get("booked_by")?,
        booked_at: r.try_get("booked_at")?,
        cancelled_by: r.try_get("cancelled_by")?,
        cancelled_at: r.try_get("cancelled_at")?,
    })
}

fn summary_from(r: &Row) -> Result<ConsultationSummary> {
    Ok(ConsultationSummary {
        id: r.try_get("id")?,
        service_code: r.try_get("service_code")?,
        status: parse_stored("status", &r.try_get::<String, _>("status")?)?,
        created_at: r.try_get("created_at")?,
        booking_deadline: r.try_get("booking_deadline")?,
        slot_starts_at: r.try_get("slot_starts_at")?,
        location: r.try_get("location")?,
    })
}

fn sale_from(r: &Row) -> Result<SurplusSale> {
    let delivered_on: Option<NaiveDate> = r.try_get("delivered_on")?;
    Ok(SurplusSale {
        id: r.try_get("id")?,
        device_id: r.try_get("device_id")?,
        device_number: r.try_get("device_number")?,
        article_number: r.try_get("article_number")?,
        article_name: r.try_get("article_name")?,
        buyer_principal_id: r.try_get("buyer_principal_id")?,
        buyer_name: r.try_get("buyer_name")?,
        customer_number: r.try_get("customer_number")?,
        purchase_price_ore: r.try_get("purchase_price_ore")?,
        price_ore: r.try_get("price_ore")?,
        sold_by: r.try_get("sold_by")?,
        sold_at: r.try_get("sold_at")?,
        sold_on: r.try_get("sold_on")?,
        delivered_on,
        // Stored provisionally at the sale; it holds from delivery.
        complaint_deadline: delivered_on.map(|_| r.try_get("complaint_deadline")).transpose()?,
        spare_parts_until: r.try_get("spare_parts_until")?,
        complaints: vec![],
    })
}

const SUMMARY_SQL: &str = "SELECT c.id, c.service_code, c.status, c.created_at, c.booking_deadline, \
    s.starts_at AS slot_starts_at, l.name AS location FROM consultations c \
    LEFT JOIN consultation_bookings b ON b.consultation_id = c.id AND b.cancelled_at IS NULL \
    LEFT JOIN consultation_slots s ON s.id = b.slot_id \
    LEFT JOIN consultation_locations l ON l.id = s.location_id ";

async fn consultation_event(
    conn: &mut db::Connection,
    consultation_id: Id,
    at: DateTime<Utc>,
    kind: ConsultationEventKind,
    booking_id: Option<Id>,
    actor: Option<Id>,
) -> Result<()> {
    db::query(
        "INSERT INTO consultation_events (consultation_id, occurred_at, kind, booking_id, actor_user_id) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(consultation_id)
    .bind(at)
    .bind(kind.as_str())
    .bind(booking_id)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn enqueue(
    conn: &mut db::Connection,
    consultation_id: Id,
    at: DateTime<Utc>,
    messages: &[NewMessage],
) -> Result<()> {
    for m in messages {
        db::query(
            "INSERT INTO outbox (recipient, subject, body, created_at, consultation_id) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&m.recipient)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(at)
        .bind(consultation_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl SqlStorage {
    async fn bookings_where(&self, clause: &str, id: Id) -> Result<Vec<Booking>> {
        let sql = format!(
            "SELECT bk.id AS booking_id, bk.consultation_id AS bk_consultation_id, bk.booked_by, bk.booked_at, \
             bk.cancelled_by, bk.cancelled_at, {SLOT_COLUMNS} FROM consultation_bookings bk \
             JOIN consultation_slots s ON s.id = bk.slot_id {SLOT_JOINS} WHERE {clause} ORDER BY bk.id DESC"
        );
        db::query(&sql).bind(id).fetch_all(&self.pool).await?.iter().map(booking_from).collect()
    }

    async fn consultation_events(&self, id: Id) -> Result<Vec<ConsultationEvent>> {
        db::query(
            "SELECT occurred_at, kind, booking_id, actor_user_id FROM consultation_events \
             WHERE consultation_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ConsultationEvent {
                occurred_at: r.try_get("occurred_at")?,
                kind: parse_stored("kind", &r.try_get::<String, _>("kind")?)?,
                booking_id: r.try_get("booking_id")?,
                actor_user_id: r.try_get("actor_user_id")?,
            })
        })
        .collect()
    }

    async fn complaints(&self, sale_id: Id) -> Result<Vec<SurplusComplaint>> {
        db::query(
            "SELECT id, registered_by, registered_at, registered_on, description FROM surplus_complaints \
             WHERE sale_id = $1 ORDER BY id",
        )
        .bind(sale_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(SurplusComplaint {
                id: r.try_get("id")?,
                registered_by: r.try_get("registered_by")?,
                registered_at: r.try_get("registered_at")?,
                registered_on: r.try_get("registered_on")?,
                description: r.try_get("description")?,
            })
        })
        .collect()
    }
}

#[async_trait]
impl ConsultStore for SqlStorage {
    async fn consultation_services(&self) -> Result<Vec<ConsultationService>> {
        db::query("SELECT code, name_sv, name_en FROM consultation_services ORDER BY name_sv")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(ConsultationService {
                    code: r.try_get("code")?,
                    name_sv: r.try_get("name_sv")?,
                    name_en: r.try_get("name_en")?,
                })
            })
            .collect()
    }

    async fn consultation_locations(&self) -> Result<Vec<ConsultationLocation>> {
        db::query("SELECT id, name FROM consultation_locations ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(ConsultationLocation { id: r.try_get("id")?, name: r.try_get("name")? }))
            .collect()
    }

    async fn publish_slot(&self, s: &NewSlot) -> Result<Slot> {
        let mut tx = self.dialect.begin().await?;
        db::query("INSERT INTO consultation_locations (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(&s.location)
            .execute(&mut *tx)
            .await?;
        let location: Id = db::query("SELECT id FROM consultation_locations WHERE name = $1")
            .bind(&s.location)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        let id: Id = db::query(
            "INSERT INTO consultation_slots (consultant_id, location_id, service_code, starts_at, ends_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(s.consultant_id).bind(location).bind(&s.service_code).bind(s.starts_at).bind(s.ends_at).bind(s.at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        self.slot(id).await?.ok_or_else(|| StorageError::NotFound(format!("slot {id}")))
    }

    async fn slot(&self, id: Id) -> Result<Option<Slot>> {
        let sql = format!("SELECT {SLOT_COLUMNS} FROM consultation_slots s {SLOT_JOINS} WHERE s.id = $1");
        db::query(&sql).bind(id).fetch_optional(&self.pool).await?.map(|r| slot_from(&r)).transpose()
    }

    async fn slots(&self, q: &SlotQuery) -> Result<Vec<Slot>> {
        let mut b =
            QueryBuilder::new(format!("SELECT {SLOT_COLUMNS} FROM consultation_slots s {SLOT_JOINS} WHERE 1 = 1"));
        if let Some(from) = q.from {
            b.push(" AND s.starts_at >= ").push_bind(from);
        }
        if let Some(to) = q.to {
            b.push(" AND s.starts_at < ").push_bind(to);
        }
        if let Some(code) = &q.service_code {
            b.push(" AND s.service_code = ").push_bind(code.clone());
        }
        if let Some(loc) = q.location_id {
            b.push(" AND s.location_id = ").push_bind(loc);
        }
        if let Some(c) = q.consultant_id {
            b.push(" AND s.consultant_id = ").push_bind(c);
        }
        if q.free_only {
            b.push(" AND s.withdrawn_at IS NULL AND b.id IS NULL");
        }
        b.push(" ORDER BY s.starts_at, s.id LIMIT ").push_bind(q.limit);
        b.build().fetch_all(&self.pool).await?.iter().map(slot_from).collect()
    }

    async fn withdraw_slot(&self, slot_id: Id, consultant_id: Id, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        let locked = db::query(
            "UPDATE consultation_slots SET withdrawn_at = $1 WHERE id = $2 AND consultant_id = $3 \
             AND withdrawn_at IS NULL RETURNING id",
        )
        .bind(at)
        .bind(slot_id)
        .bind(consultant_id)
        .fetch_optional(&mut *tx)
        .await?;
        if locked.is_none() {
            return Err(StorageError::StateMismatch(format!("slot {slot_id} is not an open slot of this consultant")));
        }
        // A later statement: sees a booking committed while we waited for the row.
        let booked: i64 =
            db::query("SELECT COUNT(*) AS n FROM consultation_bookings WHERE slot_id = $1 AND cancelled_at IS NULL")
                .bind(slot_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        if booked > 0 {
            return Err(StorageError::StateMismatch(format!("slot {slot_id} is booked")));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn create_consultation(&self, c: &NewConsultation) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let id: Id = db::query(
            "INSERT INTO consultations (patient_id, prescriber_id, unit_id, service_code, question, status, \
             created_at, booking_deadline) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7) RETURNING id",
        )
        .bind(c.patient_id)
        .bind(c.prescriber_id)
        .bind(c.unit_id)
        .bind(&c.service_code)
        .bind(&c.question)
        .bind(c.at)
        .bind(c.booking_deadline)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        consultation_event(&mut tx, id, c.at, ConsultationEventKind::Created, None, Some(c.prescriber_id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn consultation(&self, id: Id) -> Result<Option<Consultation>> {
        let row = db::query(
            "SELECT c.id, c.patient_id, c.prescriber_id, u.display_name AS prescriber_name, \
             u.username AS prescriber_username, c.unit_id, c.service_code, c.question, c.status, c.created_at, \
             c.booking_deadline, c.closed_at FROM consultations c JOIN users u ON u.id = c.prescriber_id \
             WHERE c.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Consultation {
            id,
            patient_id: r.try_get("patient_id")?,
            prescriber_id: r.try_get("prescriber_id")?,
            prescriber_name: r.try_get("prescriber_name")?,
            prescriber_username: r.try_get("prescriber_username")?,
            unit_id: r.try_get("unit_id")?,
            service_code: r.try_get("service_code")?,
            question: r.try_get("question")?,
            status: parse_stored("status", &r.try_get::<String, _>("status")?)?,
            created_at: r.try_get("created_at")?,
            booking_deadline: r.try_get("booking_deadline")?,
            closed_at: r.try_get("closed_at")?,
            bookings: self.bookings_where("bk.consultation_id = $1", id).await?,
            events: self.consultation_events(id).await?,
        }))
    }

    async fn consultations_by_prescriber(&self, user_id: Id, limit: i64) -> Result<Vec<ConsultationSummary>> {
        let sql = format!("{SUMMARY_SQL} WHERE c.prescriber_id = $1 ORDER BY c.id DESC LIMIT $2");
        db::query(&sql).bind(user_id).bind(limit).fetch_all(&self.pool).await?.iter().map(summary_from).collect()
    }

    async fn consultations_for_consultant(&self, user_id: Id, limit: i64) -> Result<Vec<ConsultationSummary>> {
        let sql = format!("{SUMMARY_SQL} WHERE s.consultant_id = $1 ORDER BY s.starts_at, c.id LIMIT $2");
        db::query(&sql).bind(user_id).bind(limit).fetch_all(&self.pool).await?.iter().map(summary_from).collect()
    }

    async fn close_unbooked_consultations(&self, now: DateTime<Utc>) -> Result<u64> {
        let mut tx = self.dialect.begin().await?;
        let closed = db::query(
            "UPDATE consultations SET status = 'closed_unbooked', closed_at = $1 \
             WHERE status = 'open' AND booking_deadline <= $1 RETURNING id, booking_deadline",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        for r in &closed {
            // The event is dated at the deadline: that is when the rule closed it.
            let at: DateTime<Utc> = r.try_get("booking_deadline")?;
            consultation_event(&mut tx, r.try_get("id")?, at, ConsultationEventKind::ClosedUnbooked, None, None)
                .await?;
        }
        tx.commit().await?;
        Ok(closed.len() as u64)
    }

    async fn book_slot(&self, b: &NewBooking) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let claimed = if b.replace {
            db::query(
                "UPDATE consultations SET status = 'booked' WHERE id = $1 AND status = 'booked' RETURNING service_code",
            )
            .bind(b.consultation_id)
            .fetch_optional(&mut *tx)
            .await?
        } else {
            db::query(
                "UPDATE consultations SET status = 'booked' WHERE id = $1 AND status = 'open' AND booking_deadline > $2 \
                 RETURNING service_code",
            )
            .bind(b.consultation_id)
            .bind(b.at)
            .fetch_optional(&mut *tx)
            .await?
        };
        let Some(c) = claimed else {
            return Err(StorageError::StateMismatch(format!(
                "consultation {} cannot be {} now",
                b.consultation_id,
                if b.replace { "rebooked" } else { "booked" }
            )));
        };
        let service: String = c.try_get("service_code")?;
        if b.replace {
            let old = db::query(
                "UPDATE consultation_bookings SET cancelled_at = $1, cancelled_by = $2 \
                 WHERE consultation_id = $3 AND cancelled_at IS NULL RETURNING slot_id",
            )
            .bind(b.at)
            .bind(b.actor_user_id)
            .bind(b.consultation_id)
            .fetch_optional(&mut *tx)
            .await?;
            let old_slot: Option<Id> = old.map(|r| r.try_get("slot_id")).transpose()?;
            if old_slot.is_none_or(|s| s == b.slot_id) {
                return Err(StorageError::StateMismatch("the new slot is the one booked already".into()));
            }
        }
        // Lock the slot row: a concurrent withdrawal or booking of it waits for us.
        let slot = db::query(
            "UPDATE consultation_slots SET withdrawn_at = NULL WHERE id = $1 AND withdrawn_at IS NULL \
             AND service_code = $2 AND starts_at > $3 RETURNING id",
        )
        .bind(b.slot_id)
        .bind(&service)
        .bind(b.at)
        .fetch_optional(&mut *tx)
        .await?;
        if slot.is_none() {
            return Err(StorageError::StateMismatch(format!("slot {} cannot be booked", b.slot_id)));
        }
        let booking: Id = db::query(
            "INSERT INTO consultation_bookings (consultation_id, slot_id, booked_by, booked_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(b.consultation_id)
        .bind(b.slot_id)
        .bind(b.actor_user_id)
        .bind(b.at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let kind = if b.replace { ConsultationEventKind::Rebooked } else { ConsultationEventKind::Booked };
        consultation_event(&mut tx, b.consultation_id, b.at, kind, Some(booking), Some(b.actor_user_id)).await?;
        enqueue(&mut tx, b.consultation_id, b.at, &b.messages).await?;
        tx.commit().await?;
        Ok(booking)
    }

    async fn cancel_booking(&self, c: &BookingCancellation) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let reopened = db::query(
            "UPDATE consultations SET status = 'open', booking_deadline = $1 WHERE id = $2 AND status = 'booked'",
        )
        .bind(c.new_deadline)
        .bind(c.consultation_id)
        .execute(&mut *tx)
        .await?;
        if reopened.rows_affected() == 0 {
            return Err(StorageError::StateMismatch(format!("consultation {} is not booked", c.consultation_id)));
        }
        let booking: Id = db::query(
            "UPDATE consultation_bookings SET cancelled_at = $1, cancelled_by = $2 \
             WHERE consultation_id = $3 AND cancelled_at IS NULL RETURNING id",
        )
        .bind(c.at)
        .bind(c.actor_user_id)
        .bind(c.consultation_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        consultation_event(
            &mut tx,
            c.consultation_id,
            c.at,
            ConsultationEventKind::Cancelled,
            Some(booking),
            Some(c.actor_user_id),
        )
        .await?;
        enqueue(&mut tx, c.consultation_id, c.at, &c.messages).await?;
        tx.commit().await?;
        Ok(booking)
    }

    async fn booking(&self, id: Id) -> Result<Option<Booking>> {
        Ok(self.bookings_where("bk.id = $1", id).await?.pop())
    }

    async fn outbox_for_consultation(&self, consultation_id: Id) -> Result<Vec<OutboxMessage>> {
        db::query(
            "SELECT id, recipient, subject, body, created_at, sent_at, consultation_id FROM outbox \
             WHERE consultation_id = $1 ORDER BY id",
        )
        .bind(consultation_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(OutboxMessage {
                id: r.try_get("id")?,
                recipient: r.try_get("recipient")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
                sent_at: r.try_get("sent_at")?,
                consultation_id: r.try_get("consultation_id")?,
            })
        })
        .collect()
    }

    async fn set_spare_parts_until(&self, article_id: Id, until: Option<NaiveDate>) -> Result<()> {
        let done = db::query("UPDATE articles SET spare_parts_until = $1 WHERE id = $2")
            .bind(until)
            .bind(article_id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StorageError::NotFound(format!("article {article_id}")));
        }
        Ok(())
    }

    async fn spare_parts_until(&self, article_id: Id) -> Result<Option<NaiveDate>> {
        let row = db::query("SELECT spare_parts_until FROM articles WHERE id = $1")
            .bind(article_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("spare_parts_until")).transpose()?.flatten())
    }

    async fn surplus_articles(&self, today: NaiveDate, demand_since: DateTime<Utc>) -> Result<Vec<SurplusArticle>> {
        let stock_from = central_stock_from();
        let sql = format!(
            "SELECT a.id, a.article_number, a.name, a.iso_code, a.valid_to, a.spare_parts_until, \
             st.n AS in_stock, COALESCE(dm.n, 0) AS demand FROM articles a \
             JOIN (SELECT d.article_id, COUNT(*) AS n {stock_from} GROUP BY d.article_id) st \
             ON st.article_id = a.id \
             LEFT JOIN (SELECT l.article_id, SUM(l.quantity) AS n {DEMAND_FROM} GROUP BY l.article_id) dm \
             ON dm.article_id = a.id \
             WHERE a.valid_to < $1 AND st.n > COALESCE(dm.n, 0) ORDER BY a.article_number LIMIT 500"
        );
        let rows = db::query(&sql).bind(today).bind(demand_since).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let article_id: Id = r.try_get("id")?;
            let devices = db::query(format!(
                "SELECT d.id, d.device_number, d.purchase_date, d.purchase_price_ore, w.name AS warehouse_name \
                 {stock_from} AND d.article_id = $1 ORDER BY d.purchase_date, d.id LIMIT 200"
            ))
            .bind(article_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|d| {
                Ok(SurplusDevice {
                    device_id: d.try_get("id")?,
                    device_number: d.try_get("device_number")?,
                    purchase_date: d.try_get("purchase_date")?,
                    purchase_price_ore: d.try_get("purchase_price_ore")?,
                    warehouse_name: d.try_get("warehouse_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
            out.push(SurplusArticle {
                article_id,
                article_number: r.try_get("article_number")?,
                article_name: r.try_get("name")?,
                iso_code: r.try_get("iso_code")?,
                valid_to: r.try_get("valid_to")?,
                spare_parts_until: r.try_get("spare_parts_until")?,
                in_stock: r.try_get("in_stock")?,
                demand: r.try_get("demand")?,
                devices,
            });
        }
        Ok(out)
    }

    async fn sell_surplus_device(&self, s: &NewSurplusSale) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        // Lock the article row: sales of its devices happen one at a time.
        let article = db::query(
            "UPDATE articles SET spare_parts_until = spare_parts_until \
             WHERE id = (SELECT article_id FROM devices WHERE id = $1) AND valid_to < $2 \
             AND spare_parts_until >= $3 RETURNING id, spare_parts_until",
        )
        .bind(s.device_id)
        .bind(s.on)
        .bind(s.spare_parts_needed_until)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(article) = article else {
            return Err(StorageError::StateMismatch(
                "the article is not of earlier assortment, or its spare parts do not last".into(),
            ));
        };
        let article_id: Id = article.try_get("id")?;
        let spare_parts_until: NaiveDate = article.try_get("spare_parts_until")?;
        let stock: i64 = db::query(format!("SELECT COUNT(*) AS n {} AND d.article_id = $1", central_stock_from()))
            .bind(article_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        let demand: i64 =
            db::query(format!("SELECT COALESCE(SUM(l.quantity), 0) AS n {DEMAND_FROM} AND l.article_id = $1"))
                .bind(article_id)
                .bind(s.demand_since)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        if stock <= demand {
            return Err(StorageError::StateMismatch(format!("no surplus: {stock} in stock, demand {demand}")));
        }
        let sale = db::query(format!(
            "INSERT INTO surplus_sales (device_id, buyer_principal_id, customer_number_id, purchase_price_ore, price_ore, \
             sold_by, sold_at, sold_on, complaint_deadline, spare_parts_until) \
             SELECT d.id, $2, $3, d.purchase_price_ore, $4, $5, $6, $7, $8, $9 {} AND d.id = $1 \
             AND EXISTS (SELECT 1 FROM principals b WHERE b.id = $2 AND b.basic_equipment_since <= $7) RETURNING id",
            central_stock_from()
        ))
        .bind(s.device_id).bind(s.buyer_principal_id).bind(s.customer_number_id).bind(s.price_ore).bind(s.sold_by)
        // complaint_deadline (NOT NULL since 0005) is provisional until delivery sets it.
        .bind(s.at).bind(s.on).bind(s.on).bind(spare_parts_until)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(sale) = sale else {
            return Err(StorageError::StateMismatch(format!(
                "device {} is not on a central shelf, or is blocked or adapted, or the buyer has no basic-equipment agreement",
                s.device_id
            )));
        };
        db::query(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, warehouse_id, note) \
             SELECT id, $2, 'sold', state, 'sold', $3, warehouse_id, $4 FROM devices WHERE id = $1",
        )
        .bind(s.device_id).bind(s.at).bind(s.sold_by).bind(&s.note)
        .execute(&mut *tx)
        .await?;
        let moved = db::query(
            "UPDATE devices SET state = 'sold', warehouse_id = NULL, reserved_until = NULL, reserved_by = NULL, \
             state_since = $2 WHERE id = $1 AND state = 'in_stock'",
        )
        .bind(s.device_id)
        .bind(s.at)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Err(StorageError::StateMismatch(format!("device {} left stock meanwhile", s.device_id)));
        }
        tx.commit().await?;
        Ok(sale.try_get("id")?)
    }

    async fn surplus_sale(&self, id: Id) -> Result<Option<SurplusSale>> {
        let sql = format!("{SALE_SQL} WHERE ss.id = $1");
        let Some(r) = db::query(&sql).bind(id).fetch_optional(&self.pool).await? else { return Ok(None) };
        let mut sale = sale_from(&r)?;
        sale.complaints = self.complaints(id).await?;
        Ok(Some(sale))
    }

    async fn surplus_sales(&self, limit: i64) -> Result<Vec<SurplusSale>> {
        let sql = format!("{SALE_SQL} ORDER BY ss.id DESC LIMIT $1");
        let rows = db::query(&sql).bind(limit).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut sale = sale_from(&r)?;
            sale.complaints = self.complaints(sale.id).await?;
            out.push(sale);
        }
        Ok(out)
    }

    async fn deliver_surplus_sale(&self, d: &SurplusDelivery) -> Result<()> {
        let done = db::query(
            "UPDATE surplus_sales SET delivered_on = $2, delivered_by = $3, complaint_deadline = $4 \
             WHERE id = $1 AND delivered_on IS NULL",
        )
        .bind(d.sale_id)
        .bind(d.on)
        .bind(d.delivered_by)
        .bind(d.complaint_deadline)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StorageError::StateMismatch(format!("sale {} is delivered already or unknown", d.sale_id)));
        }
        Ok(())
    }

    async fn register_surplus_complaint(&self, c: &NewSurplusComplaint) -> Result<Id> {
        let mut tx = self.dialect.begin().await?;
        let row = db::query(
            "INSERT INTO surplus_complaints (sale_id, registered_by, registered_at, registered_on, description) \
             SELECT id, $2, $3, $4, $5 FROM surplus_sales WHERE id = $1 AND delivered_on IS NOT NULL \
             AND complaint_deadline >= $4 RETURNING id",
        )
        .bind(c.sale_id)
        .bind(c.registered_by)
        .bind(c.at)
        .bind(c.on)
        .bind(&c.description)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StorageError::StateMismatch(format!(
                "sale {} is not delivered or past its complaint deadline",
                c.sale_id
            )));
        };
        db::query(
            "INSERT INTO device_events (device_id, occurred_at, kind, from_state, to_state, actor_user_id, note) \
             SELECT d.id, $2, 'complaint_registered', d.state, d.state, $3, $4 FROM devices d \
             JOIN surplus_sales ss ON ss.device_id = d.id WHERE ss.id = $1",
        )
        .bind(c.sale_id)
        .bind(c.at)
        .bind(c.registered_by)
        .bind(&c.description)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row.try_get("id")?)
    }
}
