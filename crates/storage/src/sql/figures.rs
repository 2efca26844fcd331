//! [`crate::FiguresStore`] for [`SqlStorage`], both engines.
//!
//! The figures that would otherwise group a year of rows on every request
//! read counts that triggers keep as the rows are written, in the same
//! transaction, on both engines: `delivery_slots` (deliveries, migrations
//! 0006/0026), `order_channel_slots` (0040), `loan_returns` (0041),
//! `answer_slots` (0042), `device_purchases` (0043) and `prescribed_slots`
//! (0044). An instant's slot is its UTC day and hour slot (`'00'` before
//! 22:00, `'22'`, `'23'`), so that a Stockholm day — which begins at 22:00
//! or 23:00 UTC — is whole slots. The invariants compare each with the rows
//! it counts (`invariants.rs`); `docs/SCALING.md` has the figures.

/// The slot key (`utc_day || utc_hour`) of the slot an instant begins:
/// exact for the instants the figures bound their ranges with, Stockholm
/// midnights (22:00 or 23:00 UTC), where a slot begins.
fn slot_key(at: DateTime<Utc>) -> String {
    let hour = at.format("%H").to_string();
    format!("{}{}", at.format("%Y-%m-%d"), if hour.as_str() >= "22" { hour.as_str() } else { "00" })
}

use super::bulk::insert_rows;
use crate::db;
use crate::sql::SqlStorage;
use crate::sql::{parse_stored, stored};
use crate::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::charges::ChargeKind;
use ramp_domain::figures::channels::ChannelGroup;
use ramp_domain::figures::lost::LostReportFact;
use ramp_domain::figures::prescribing::{EvaluationDay, ReturnDay};
use ramp_domain::figures::{
    AgeBucket, AnswerGroup, DeliveryGroup, FixedGroup, GroupMonthCount, GroupSlotCount, Month, NoticeProgress,
    WorkOrderAgeCount,
};
use ramp_domain::money::Ore;
use ramp_domain::Term;

#[async_trait]
impl FiguresStore for SqlStorage {
    async fn delivery_groups(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<DeliveryGroup>> {
        db::query(
            "SELECT s.utc_day, s.utc_hour, s.payer, s.lead_time_class, s.area, p.code AS principal, s.lines, s.from_day, \
             s.after_day, s.device_lines, s.reconditioned \
             FROM delivery_slots s JOIN principals p ON p.id = s.principal_id WHERE s.utc_day >= $1 AND s.utc_day <= $2",
        )
        .bind(from.date_naive().to_string())
        .bind(to.date_naive().to_string())
        .fetch_all(self.reports())
        .await?
        .iter()
        .map(|r| {
            Ok(DeliveryGroup {
                payer: stored(r, "payer")?,
                class: parse_stored("lead_time_class", &r.try_get::<String, _>("lead_time_class")?)?,
                area: stored(r, "area")?,
                principal: r.try_get("principal")?,
                slot: slot_from(&r.try_get::<String, _>("utc_day")?, &r.try_get::<String, _>("utc_hour")?)?,
                lines: r.try_get("lines")?,
                promised_from_day: r.try_get("from_day")?,
                promised_after_day: r.try_get("after_day")?,
                device_lines: r.try_get("device_lines")?,
                reconditioned: r.try_get("reconditioned")?,
            })
        })
        .collect()
    }

    async fn consultations_booked(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<i64> {
        let row = db::query(
            "SELECT COUNT(*) AS n FROM consultation_bookings \
             WHERE booked_at >= $1 AND booked_at < $2 AND cancelled_at IS NULL",
        )
        .bind(from)
        .bind(to)
        .fetch_one(self.reports())
        .await?;
        Ok(row.try_get("n")?)
    }

    async fn answer_groups(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<AnswerGroup>> {
        // Counted as answers are given (migration 0042); `from` and `to`
        // are Stockholm midnights, where slots begin (see `slot_key`).
        let sql = "SELECT utc_day, utc_hour, answer, principal_id, answers AS n FROM answer_slots \
             WHERE utc_day || utc_hour >= $1 AND utc_day || utc_hour < $2";
        db::query(sql)
            .bind(slot_key(from))
            .bind(slot_key(to))
            .fetch_all(self.reports())
            .await?
            .iter()
            .map(|r| {
                Ok(AnswerGroup {
                    slot: slot_from(&r.try_get::<String, _>("utc_day")?, &r.try_get::<String, _>("utc_hour")?)?,
                    answer: parse_stored("answer", &r.try_get::<String, _>("answer")?)?,
                    principal_id: r.try_get("principal_id")?,
                    count: r.try_get("n")?,
                })
            })
            .collect()
    }

    async fn decline_reasons(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        principal_id: Option<Id>,
    ) -> Result<Vec<(Option<ramp_domain::product::DeclineReason>, i64)>> {
        db::query(
            "SELECT a.decline_reason, COUNT(*) AS n FROM replacement_answers a JOIN users u ON u.id = a.user_id \
             WHERE a.answer = 'declined' AND a.occurred_at >= $1 AND a.occurred_at < $2 \
             AND ($3 = 0 OR u.principal_id = $3) GROUP BY a.decline_reason",
        )
        .bind(from)
        .bind(to)
        .bind(principal_id.unwrap_or(0))
        .fetch_all(self.reports())
        .await?
        .iter()
        .map(|r| Ok((crate::sql::stored_opt(r, "decline_reason")?, r.try_get("n")?)))
        .collect()
    }

    async fn fixed_groups(&self) -> Result<Vec<FixedGroup>> {
        db::query("SELECT id, code, name FROM replacement_groups WHERE fixed = $1 ORDER BY code")
            .bind(true)
            .fetch_all(self.reports())
            .await?
            .iter()
            .map(|r| Ok(FixedGroup { id: r.try_get("id")?, code: r.try_get("code")?, name: r.try_get("name")? }))
            .collect()
    }

    async fn purchased_per_fixed_group(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<GroupMonthCount>> {
        db::query(
            // Devices counted per article and month as they are registered (migration 0043).
            "SELECT m.group_id, p.month, CAST(SUM(p.devices) AS BIGINT) AS n \
             FROM replacement_groups g JOIN replacement_group_members m ON m.group_id = g.id \
             JOIN device_purchases p ON p.article_id = m.article_id \
             WHERE g.fixed = $1 AND p.month >= $2 AND p.month < $3 GROUP BY 1, 2",
        )
        .bind(true)
        .bind(from.format("%Y-%m").to_string())
        .bind(to.format("%Y-%m").to_string())
        .fetch_all(self.reports())
        .await?
        .iter()
        .map(|r| {
            let month: String = r.try_get("month")?;
            Ok(GroupMonthCount {
                group_id: r.try_get("group_id")?,
                month: Month::parse("month", &month).map_err(StorageError::corrupt)?,
                count: r.try_get("n")?,
            })
        })
        .collect()
    }

    async fn prescribed_per_fixed_group(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<GroupSlotCount>> {
        // Lines counted per requested article and day slot as they are
        // written (migration 0044); the groups' current members joined here.
        let sql = "SELECT m.group_id, p.utc_day, p.utc_hour, CAST(SUM(p.lines) AS BIGINT) AS n \
             FROM replacement_groups g JOIN replacement_group_members m ON m.group_id = g.id \
             JOIN prescribed_slots p ON p.article_id = m.article_id \
             WHERE g.fixed = $1 AND p.utc_day || p.utc_hour >= $2 AND p.utc_day || p.utc_hour < $3 \
             GROUP BY 1, 2, 3";
        db::query(sql)
            .bind(true)
            .bind(slot_key(from))
            .bind(slot_key(to))
            .fetch_all(self.reports())
            .await?
            .iter()
            .map(|r| {
                Ok(GroupSlotCount {
                    group_id: r.try_get("group_id")?,
                    slot: slot_from(&r.try_get::<String, _>("utc_day")?, &r.try_get::<String, _>("utc_hour")?)?,
                    count: r.try_get("n")?,
                })
            })
            .collect()
    }

    async fn open_work_order_ages(&self, starts: [DateTime<Utc>; 3]) -> Result<Vec<WorkOrderAgeCount>> {
        db::query(
            "SELECT kind, CASE WHEN created_at >= $1 THEN 0 WHEN created_at >= $2 THEN 1 \
             WHEN created_at >= $3 THEN 2 ELSE 3 END AS bucket, COUNT(*) AS n \
             FROM work_orders WHERE status IN ('open', 'in_progress') GROUP BY 1, 2",
        )
        .bind(starts[0])
        .bind(starts[1])
        .bind(starts[2])
        .fetch_all(self.reports())
        .await?
        .iter()
        .map(|r| {
            let bucket: i32 = r.try_get("bucket")?;
            Ok(WorkOrderAgeCount {
                kind: r.try_get("kind")?,
                bucket: *AgeBucket::ALL
                    .get(bucket as usize)
                    .ok_or_else(|| StorageError::corrupt(format!("age bucket {bucket}")))?,
                count: r.try_get("n")?,
            })
        })
        .collect()
    }

    async fn safety_notice_progress(&self) -> Result<Vec<NoticeProgress>> {
        db::query(
            "SELECT n.id, n.reference, n.title, n.registered_at, COUNT(w.id) AS affected, \
             COALESCE(SUM(CASE WHEN w.status = 'done' THEN 1 ELSE 0 END), 0) AS handled, \
             COALESCE(SUM(CASE WHEN w.status IN ('open', 'in_progress') THEN 1 ELSE 0 END), 0) AS remaining \
             FROM safety_notices n LEFT JOIN work_orders w ON w.safety_notice_id = n.id \
             GROUP BY n.id, n.reference, n.title, n.registered_at ORDER BY n.registered_at DESC, n.id DESC",
        )
        .fetch_all(self.reports())
        .await?
        .iter()
        .map(|r| {
            Ok(NoticeProgress {
                id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                title: r.try_get("title")?,
                registered_at: r.try_get("registered_at")?,
                affected: r.try_get("affected")?,
                handled: r.try_get("handled")?,
                remaining: r.try_get("remaining")?,
            })
        })
        .collect()
    }

    async fn lost_report_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<LostReportFact>> {
        db::query(
            "SELECT r.reported_on, c.number, c.name AS customer_name, p.code, p.name AS principal_name, a.iso_code, \
             a.kind, d.purchase_price_ore, d.purchase_date, a.service_life_months, a.valid_from, a.valid_to, \
             u.kind AS unit_kind \
             FROM lost_reports r JOIN devices d ON d.id = r.device_id JOIN articles a ON a.id = d.article_id \
             JOIN users rb ON rb.id = r.reported_by LEFT JOIN units u ON u.id = COALESCE(rb.unit_id, r.unit_id) \
             JOIN customer_numbers c ON c.id = r.customer_number_id JOIN principals p ON p.id = c.principal_id \
             WHERE r.reported_on >= $1 AND r.reported_on < $2 ORDER BY r.id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.reports())
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(LostReportFact {
                reported_on: r.try_get("reported_on")?,
                customer_number: r.try_get("number")?,
                customer_name: r.try_get("customer_name")?,
                principal_code: r.try_get("code")?,
                principal_name: r.try_get("principal_name")?,
                iso_code: r.try_get("iso_code")?,
                kind: ChargeKind::of_article_kind(&kind),
                purchase_price: Ore(r.try_get("purchase_price_ore")?),
                purchase_date: r.try_get("purchase_date")?,
                service_life_months: r.try_get::<i32, _>("service_life_months")?.max(0) as u32,
                valid_from: r.try_get("valid_from")?,
                valid_to: r.try_get("valid_to")?,
                unit_kind: r.try_get("unit_kind")?,
                rules: None,
            })
        })
        .collect()
    }

    async fn evaluation_days(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<EvaluationDay>> {
        db::query(
            "SELECT o.evaluation_date, p.code, COUNT(*) AS due, \
             COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM order_lines l JOIN loans n ON n.device_id = l.device_id \
             WHERE l.order_id = o.id AND n.end_date IS NULL AND n.patient_id = o.patient_id) THEN 1 ELSE 0 END), 0) \
             AS still_lent \
             FROM orders o JOIN units u ON u.id = o.unit_id JOIN principals p ON p.id = u.principal_id \
             WHERE o.target = 'patient' AND o.status <> 'cancelled' \
             AND o.evaluation_date >= $1 AND o.evaluation_date < $2 GROUP BY o.evaluation_date, p.code",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.reports())
        .await?
        .iter()
        .map(|r| {
            Ok(EvaluationDay {
                date: r.try_get("evaluation_date")?,
                principal: r.try_get("code")?,
                due: r.try_get("due")?,
                still_lent: r.try_get("still_lent")?,
            })
        })
        .collect()
    }

    async fn returned_loans(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ReturnDay>> {
        // Kept as loans end (migration 0041): one row per day and principal.
        db::query(
            "SELECT r.end_date, p.code, r.returned, r.returned_soon FROM loan_returns r \
             JOIN principals p ON p.id = r.principal_id WHERE r.end_date >= $1 AND r.end_date < $2 AND r.returned > 0",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.reports())
        .await?
        .iter()
        .map(|r| {
            Ok(ReturnDay {
                end: r.try_get("end_date")?,
                principal: r.try_get("code")?,
                returned: r.try_get("returned")?,
                returned_soon: r.try_get("returned_soon")?,
            })
        })
        .collect()
    }

    async fn orders_per_channel(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ChannelGroup>> {
        // The counts kept as orders are placed (migration 0040), by the
        // slots the range covers: `from` and `to` are the UTC instants of
        // Stockholm midnights, whose UTC slots are whole (see
        // `delivery_groups`).
        let (from_slot, to_slot) = (slot_key(from), slot_key(to));
        let sql = "SELECT s.utc_day, s.utc_hour, s.channel, p.code, s.orders AS n FROM order_channel_slots s \
             JOIN principals p ON p.id = s.principal_id \
             WHERE s.utc_day || s.utc_hour >= $1 AND s.utc_day || s.utc_hour < $2";
        db::query(sql)
            .bind(from_slot)
            .bind(to_slot)
            .fetch_all(self.reports())
            .await?
            .iter()
            .map(|r| {
                Ok(ChannelGroup {
                    slot: slot_from(&r.try_get::<String, _>("utc_day")?, &r.try_get::<String, _>("utc_hour")?)?,
                    channel: stored(r, "channel")?,
                    principal: r.try_get("code")?,
                    orders: r.try_get("n")?,
                })
            })
            .collect()
    }

    async fn insert_order_history(&self, h: &OrderHistory) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        insert_rows(
            &mut tx,
            self,
            "orders",
            &[
                "id",
                "target",
                "patient_id",
                "unit_id",
                "created_by",
                "status",
                "goal",
                "received_by",
                "channel",
                "created_at",
                "updated_at",
            ],
            &h.orders,
            |b, r| {
                b.push(r.id)
                    .push(r.target.as_str())
                    .push(r.patient_id)
                    .push(r.unit_id)
                    .push(r.created_by)
                    .push(r.status.as_str())
                    .push(&r.goal)
                    .push(&r.received_by)
                    .push(r.channel.as_str())
                    .push(r.created_at)
                    .push(r.updated_at);
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            self,
            "order_lines",
            &[
                "id",
                "order_id",
                "line_no",
                "article_id",
                "requested_article_id",
                "substitution",
                "device_id",
                "quantity",
                "payer",
                "customer_number_id",
                "rule_id",
                "agreement_version",
                "explanation_sv",
                "explanation_en",
                "trust_prescription",
                "lead_time_class",
                "promised_date",
                "state",
                "delivered_at",
            ],
            &h.lines,
            |b, r| {
                b.push(r.id)
                    .push(r.order_id)
                    .push(r.line_no)
                    .push(r.article_id)
                    .push(r.requested_article_id)
                    .push(r.substitution.as_str())
                    .push(r.device_id)
                    .push(r.quantity)
                    .push(r.payer.as_str())
                    .push(r.customer_number_id)
                    .push(&r.rule_id)
                    .push(&r.agreement_version)
                    .push(&r.explanation_sv)
                    .push(&r.explanation_en)
                    .push(r.trust_prescription)
                    .push(r.lead_time_class.as_str())
                    .push(r.promised_date)
                    .push(r.state.as_str())
                    .push(r.delivered_at);
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            self,
            "order_events",
            &["id", "order_id", "occurred_at", "from_status", "to_status", "actor_user_id", "note"],
            &h.events,
            |b, r| {
                b.push(r.id)
                    .push(r.order_id)
                    .push(r.occurred_at)
                    .push(r.from_status.map(|s| s.as_str()))
                    .push(r.to_status.as_str())
                    .push(r.actor_user_id)
                    .push(&r.note);
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            self,
            "replacement_answers",
            &[
                "id",
                "occurred_at",
                "user_id",
                "group_id",
                "requested_article_id",
                "proposed_article_id",
                "answer",
                "decline_reason",
            ],
            &h.answers,
            |b, r| {
                b.push(r.id)
                    .push(r.occurred_at)
                    .push(r.user_id)
                    .push(r.group_id)
                    .push(r.requested_article_id)
                    .push(r.proposed_article_id)
                    .push(r.answer.as_str())
                    .push(r.decline_reason.map(|d| d.as_str()));
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            self,
            "work_orders",
            &[
                "id",
                "kind",
                "device_id",
                "patient_id",
                "status",
                "description",
                "created_by",
                "created_at",
                "safety_notice_id",
            ],
            &h.work_orders,
            |b, r| {
                b.push(r.id)
                    .push(r.kind.as_str())
                    .push(r.device_id)
                    .push(r.patient_id)
                    .push(r.status.as_str())
                    .push(&r.description)
                    .push(r.created_by)
                    .push(r.created_at)
                    .push(r.safety_notice_id);
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
