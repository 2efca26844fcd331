//! Digital device models and their expected reporting interval (issue 21,
//! migration 0034), which the silent-device sweep reads.

use crate::db;
use crate::sql::SqlStorage;
use crate::*;
use chrono::{DateTime, Utc};

pub(super) async fn digital_models(this: &SqlStorage) -> Result<Vec<DigitalModel>> {
    db::query(
        "SELECT a.id, a.article_number, a.name, i.expected_interval_hours, i.set_at \
         FROM articles a JOIN product_areas pa ON pa.code = a.product_area \
         LEFT JOIN digital_model_intervals i ON i.article_id = a.id \
         WHERE pa.agreement_area = 'digital' ORDER BY a.article_number",
    )
    .fetch_all(&this.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(DigitalModel {
            article_id: r.try_get("id")?,
            article_number: r.try_get("article_number")?,
            name: r.try_get("name")?,
            expected_interval_hours: r.try_get("expected_interval_hours")?,
            set_at: r.try_get("set_at")?,
        })
    })
    .collect()
}

pub(super) async fn set_model_interval(
    this: &SqlStorage,
    article_id: Id,
    hours: Option<i64>,
    by: Id,
    at: DateTime<Utc>,
) -> Result<()> {
    let _turn = this.dialect.write_turn().await;
    let Some(hours) = hours else {
        db::query("DELETE FROM digital_model_intervals WHERE article_id = $1")
            .bind(article_id)
            .execute(&this.pool)
            .await?;
        return Ok(());
    };
    db::query(
        "INSERT INTO digital_model_intervals (article_id, expected_interval_hours, set_by, set_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (article_id) DO UPDATE SET \
         expected_interval_hours = excluded.expected_interval_hours, set_by = excluded.set_by, \
         set_at = excluded.set_at",
    )
    .bind(article_id)
    .bind(hours)
    .bind(by)
    .bind(at)
    .execute(&this.pool)
    .await?;
    Ok(())
}
