//! Each digital device model's expected reporting interval (issue 21): a
//! medication dispenser reports daily, a scale weekly, but a given model
//! may be set up otherwise, so an administrator sets the interval per model
//! (whole hours); a model without one uses its kind's default
//! (`ramp_domain::alarm::expected_interval`). The silent-device sweep
//! (`alarms::raise_silent_due`) reads it.

use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::alarm::MODEL_INTERVAL_HOURS;
use ramp_domain::role::Role;
use ramp_model::{DigitalModel, User};

fn admin_only(user: &User, what: &str) -> Result<()> {
    if user.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::forbidden("admin_required", format!("only an administrator {what}")))
    }
}

/// The digital device models with the interval set for each.
pub async fn digital_models(app: &App, user: &User) -> Result<Vec<DigitalModel>> {
    admin_only(user, "reads the device models' reporting intervals")?;
    Ok(app.storage.digital_models().await?)
}

/// Sets the model's expected reporting interval to `hours` (`None`: back
/// to its kind's default); returns the model as stored.
pub async fn set_model_interval(
    app: &App,
    user: &User,
    article_number: &str,
    hours: Option<i64>,
) -> Result<DigitalModel> {
    admin_only(user, "sets a device model's reporting interval")?;
    if let Some(h) = hours {
        if !MODEL_INTERVAL_HOURS.contains(&h) {
            return Err(AppError::invalid(
                "hours",
                "interval_out_of_range",
                format!(
                    "the interval is whole hours from {} to {} (90 days)",
                    MODEL_INTERVAL_HOURS.start(),
                    MODEL_INTERVAL_HOURS.end()
                ),
            ));
        }
    }
    let find = |models: Vec<DigitalModel>| models.into_iter().find(|m| m.article_number == article_number);
    let not_found = || {
        AppError::not_found(
            Some("article_number"),
            "digital_model_not_found",
            "no digital device model has this article number",
        )
    };
    let model = find(app.storage.digital_models().await?).ok_or_else(not_found)?;
    app.storage.set_model_interval(model.article_id, hours, user.id, app.now()).await?;
    tracing::info!(article_number, hours, "device model reporting interval set");
    // Articles are retired, never deleted; should it be gone anyway, a 404, not a panic.
    find(app.storage.digital_models().await?).ok_or_else(not_found)
}
