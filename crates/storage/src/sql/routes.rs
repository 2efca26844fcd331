//! [`crate::RouteStore`] for [`SqlStorage`], both engines: unit routes and
//! addresses, the devices waiting along each route, and the scanner's
//! lookup of a device's open order.

use crate::db::{self, Row};
use crate::sql::SqlStorage;
use crate::*;
use async_trait::async_trait;

/// Open pickup orders with the unit that holds the device, or — for a
/// patient's device — the unit of the order that delivered it, whose route
/// passes the patient, and that order's own address.
const PENDING_PICKUPS: &str = "WITH last_delivery AS ( \
     SELECT p.id AS pickup_id, (SELECT ol.order_id FROM order_lines ol WHERE ol.device_id = p.device_id \
     AND ol.state = 'delivered' ORDER BY ol.id DESC LIMIT 1) AS order_id \
     FROM pickup_orders p WHERE p.status = 'open') \
     SELECT p.id, d.device_number, a.name AS article_name, p.registered_on, p.rent_end_date, p.patient_id, p.note, \
     u.name AS unit_name, u.delivery_route AS route, \
     CASE WHEN p.unit_id IS NOT NULL THEN ua.street || ', ' || ua.postal_code || ' ' || ua.city \
     ELSE o.delivery_address END AS address \
     FROM pickup_orders p JOIN devices d ON d.id = p.device_id JOIN articles a ON a.id = d.article_id \
     JOIN last_delivery ld ON ld.pickup_id = p.id LEFT JOIN orders o ON o.id = ld.order_id \
     LEFT JOIN units u ON u.id = COALESCE(p.unit_id, o.unit_id) LEFT JOIN unit_addresses ua ON ua.unit_id = u.id \
     WHERE p.status = 'open' \
     ORDER BY u.delivery_route IS NULL, u.delivery_route, p.rent_end_date, p.id";

fn pending_pickup(r: &Row) -> Result<PendingPickup> {
    let patient_id: Option<Id> = r.try_get("patient_id")?;
    Ok(PendingPickup {
        id: r.try_get("id")?,
        device_number: r.try_get("device_number")?,
        article_name: r.try_get("article_name")?,
        registered_on: r.try_get("registered_on")?,
        rent_end_date: r.try_get("rent_end_date")?,
        unit_name: r.try_get("unit_name")?,
        route: r.try_get("route")?,
        address: r.try_get("address")?,
        at_patient: patient_id.is_some(),
        patient_id,
        note: r.try_get("note")?,
    })
}

#[async_trait]
impl RouteStore for SqlStorage {
    async fn set_unit_deliveries(&self, rows: &[(Id, UnitDelivery)]) -> Result<()> {
        let mut tx = self.dialect.begin().await?;
        for (unit_id, d) in rows {
            db::query("UPDATE units SET delivery_route = $1 WHERE id = $2")
                .bind(d.route.as_deref())
                .bind(*unit_id)
                .execute(&mut *tx)
                .await?;
            db::query("DELETE FROM unit_addresses WHERE unit_id = $1").bind(*unit_id).execute(&mut *tx).await?;
            if let Some(a) = &d.address {
                db::query("INSERT INTO unit_addresses (unit_id, street, postal_code, city) VALUES ($1, $2, $3, $4)")
                    .bind(*unit_id)
                    .bind(&a.street)
                    .bind(&a.postal_code)
                    .bind(&a.city)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        self.cache.invalidate();
        Ok(())
    }

    async fn unit_address(&self, unit_id: Id) -> Result<Option<UnitAddress>> {
        let row = db::query("SELECT unit_id, street, postal_code, city FROM unit_addresses WHERE unit_id = $1")
            .bind(unit_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(UnitAddress {
                unit_id: r.try_get("unit_id")?,
                street: r.try_get("street")?,
                postal_code: r.try_get("postal_code")?,
                city: r.try_get("city")?,
            })
        })
        .transpose()
    }

    async fn pending_pickups(&self) -> Result<Vec<PendingPickup>> {
        db::query(PENDING_PICKUPS).fetch_all(&self.pool).await?.iter().map(pending_pickup).collect()
    }

    async fn open_order_of_device(&self, device_number: &str) -> Result<Option<Id>> {
        let row = db::query(
            "SELECT l.order_id FROM order_lines l JOIN devices d ON d.id = l.device_id \
             WHERE d.device_number = $1 AND l.state = 'open'",
        )
        .bind(device_number)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("order_id")).transpose()?)
    }
}
