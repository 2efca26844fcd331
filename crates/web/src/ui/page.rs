//! What every page shares: language, title, the user, the CSRF token,
//! which menu item is current; form errors; and the HTML error page (the
//! one place an `AppError` becomes HTML).

use crate::error::{log_internal, status_of};
use crate::i18n::Lang;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use ramp_app::model::User;
use ramp_app::{AppError, ErrorKind};
use ramp_domain::role::Role;
use ramp_domain::Term;

pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
    pub nav: &'static str,
    pub is_hmc: bool,
    /// May order for patients (shows the "Beställ" buttons).
    pub is_prescriber: bool,
    /// Orders basic equipment and buffer stock for a unit.
    pub is_unit_orderer: bool,
    /// Works the warehouse desk (receiving, picking, returns).
    pub is_warehouse: bool,
    /// Sees the work-order queue and safety notices (the centre's operative staff).
    pub is_workshop: bool,
    /// Invoices for the centre (finance staff).
    pub is_finance: bool,
    /// Administers users, units, principals and the catalog.
    pub is_admin: bool,
    /// Reviews the audit log (audit reviewers).
    pub is_auditor: bool,
    /// Sees the alarm list of digital devices (care staff at a unit, the centre's staff).
    pub may_see_alarms: bool,
    /// Errors of the submitted form: (field, message).
    pub errors: Vec<(String, String)>,
    /// On a patient page read under emergency access: when it ends (the
    /// banner every such page shows).
    pub emergency_until: Option<chrono::DateTime<chrono::Utc>>,
}

impl Page {
    pub fn new(lang: Lang, title_key: &str, user: Option<&User>, csrf: &str, nav: &'static str) -> Self {
        Self {
            lang,
            title: lang.t(title_key).to_string(),
            user: user.map(|u| u.display_name.clone()),
            csrf: csrf.to_string(),
            nav,
            is_hmc: user.is_some_and(|u| u.is_hmc()),
            is_prescriber: user.is_some_and(|u| u.has_role(ramp_domain::role::Role::Prescriber)),
            is_unit_orderer: user.is_some_and(|u| u.has_role(ramp_domain::role::Role::UnitOrderer)),
            is_warehouse: user.is_some_and(|u| u.has_role(Role::Warehouse) || u.has_role(Role::Admin)),
            is_workshop: user.is_some_and(|u| {
                [Role::Technician, Role::Warehouse, Role::CustomerService, Role::Consultant, Role::Admin]
                    .iter()
                    .any(|r| u.has_role(*r))
            }),
            is_finance: user.is_some_and(|u| u.has_role(Role::Finance)),
            is_admin: user.is_some_and(ramp_app::admin::is_admin),
            is_auditor: user.is_some_and(ramp_app::audit_review::may_review),
            may_see_alarms: user.is_some_and(ramp_app::digital::may_list_alarms),
            errors: vec![],
            emergency_until: None,
        }
    }

    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The message for `field`, if the form had an error there.
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// Records an error, in this page's language, under its field (or `form`).
    pub fn add_error(&mut self, e: &AppError) {
        let field = e.field.clone().unwrap_or_else(|| "form".into());
        self.errors.push((field, message(self.lang, e)));
    }

    pub fn current(&self, nav: &str) -> &'static str {
        if self.nav == nav {
            "page"
        } else {
            "false"
        }
    }
}

/// An error's text in the user's language.
pub fn message(lang: Lang, e: &AppError) -> String {
    if e.kind == ErrorKind::Internal {
        return lang.error("internal").unwrap_or("internal error").to_string();
    }
    let worded = e.field.as_deref().and_then(|f| lang.error(&format!("{}@{f}", e.code)));
    let text = worded.or_else(|| lang.error(e.code)).map(str::to_string).unwrap_or_else(|| e.message.clone());
    let text = match e.details.as_ref().and_then(|d| d.get("item")).and_then(|v| v.as_str()) {
        Some(item) => text.replace("{item}", item),
        None => text,
    };
    match e.retry_after() {
        Some(seconds) => text.replace("{retry_after}", &seconds.to_string()),
        None => text,
    }
}

/// Renders a template, or a plain 500 if rendering fails (a bug).
pub fn render(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    page: Page,
    message: String,
}

/// The HTML answer for an error outside a form.
pub fn error_page(lang: Lang, e: AppError) -> Response {
    let status = status_of(e.kind);
    error_page_with_status(lang, e, status)
}

/// The HTML error page with a status other than the kind's (e.g. 400 for
/// a login answer that does not belong to the login started).
pub fn error_page_with_status(lang: Lang, e: AppError, status: StatusCode) -> Response {
    match e.kind {
        ErrorKind::Internal => log_internal(&e),
        ErrorKind::Unavailable => crate::error::log_unavailable(&e),
        _ => {}
    }
    let page = Page::new(lang, "error.title", None, "", "");
    let message = message(lang, &e);
    render(&ErrorTemplate { page, message }, status)
}

/// What stays as it is in a query value or path segment we build: RFC 3986's
/// unreserved characters and `/` (so a `next` path stays readable).
const URL_KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

/// Percent-encodes a query value (UTF-8, upper-case hex).
pub fn url_encode(s: &str) -> String {
    utf8_percent_encode(s, URL_KEEP).to_string()
}

/// Formats öre as Swedish kronor.
pub fn sek(ore: &i64) -> String {
    ramp_domain::money::Ore(*ore).format_sv()
}

/// Display helpers the templates call, in the page's language.
impl Page {
    pub fn sek(&self, ore: &i64) -> String {
        sek(ore)
    }

    pub fn datetime(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        ramp_domain::time::stockholm(*at).format("%Y-%m-%d %H:%M").to_string()
    }

    pub fn iso(&self, code: &str) -> String {
        ramp_domain::ids::IsoCode::parse(code).map(|c| c.display()).unwrap_or_else(|_| code.to_string())
    }

    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        d.format("%Y-%m-%d").to_string()
    }

    pub fn order_status(&self, s: &ramp_domain::order::OrderStatus) -> &'static str {
        match self.lang {
            Lang::Sv => s.name_sv(),
            Lang::En => s.name_en(),
        }
    }

    pub fn substitution(&self, s: &ramp_domain::order::Substitution) -> &'static str {
        self.t(&format!("order.sub.{}", s.as_str()))
    }

    /// The decision's explanation in the page's language.
    pub fn explanation<'a>(&self, sv: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    pub fn payer(&self, payer: &ramp_domain::cost::Payer) -> &'static str {
        self.t(&format!("payer.{}", payer.as_str()))
    }

    pub fn access(&self, reason: &ramp_app::model::AccessReason) -> &'static str {
        self.t(&format!("access.{}", reason.as_str()))
    }

    pub fn setting(&self, s: &ramp_domain::setting::Setting) -> &'static str {
        match self.lang {
            Lang::Sv => s.name_sv(),
            Lang::En => s.name_en(),
        }
    }

    pub fn state(&self, s: &ramp_domain::device::DeviceState) -> &'static str {
        match self.lang {
            Lang::Sv => s.name_sv(),
            Lang::En => s.as_str(),
        }
    }

    pub fn kind(&self, k: &ramp_domain::article::ArticleKind) -> &'static str {
        match self.lang {
            Lang::Sv => k.name_sv(),
            Lang::En => k.name_en(),
        }
    }

    pub fn lead_time(&self, l: &ramp_domain::article::LeadTimeClass) -> &'static str {
        match self.lang {
            Lang::Sv => l.name_sv(),
            Lang::En => l.name_en(),
        }
    }

    pub fn event(&self, e: &ramp_domain::device::DeviceEventKind) -> &'static str {
        use ramp_domain::device::DeviceEventKind as E;
        if self.lang == Lang::En {
            return e.as_str();
        }
        match e {
            E::Received => "Inleverans",
            E::Reserved => "Reserverad",
            E::ReservationReleased => "Reservation släppt",
            E::ReservationExpired => "Reservationen gick ut",
            E::Ordered => "Beställd",
            E::PickupOrdered => "Hämtorder registrerad",
            E::PickupUndone => "Hämtorder ångrad",
            E::FaultReported => "Felanmäld",
            E::Inspected => "Inspekterad",
            E::RecallOrdered => "Säkerhetsmeddelande: åtgärd beställd",
            E::RecallHandled => "Säkerhetsmeddelande: åtgärdad",
            E::AdaptationDocumented => "Specialanpassning dokumenterad",
            E::AdaptationSigned => "Specialanpassning godkänd och signerad",
            E::Delivered => "Utlämnad",
            E::Returned => "Återlämnad",
            E::Reconditioned => "Rekonditionerad",
            E::Repaired => "Reparerad",
            E::Moved => "Flyttad",
            E::Scrapped => "Kasserad",
            E::ReportedLost => "Anmäld förkommen",
            E::Sold => "Såld som grundutrustning",
            E::ComplaintRegistered => "Reklamation registrerad",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unavailable() -> AppError {
        AppError::unavailable(std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device"))
    }

    #[test]
    fn an_unavailable_database_is_a_503_page_saying_in_swedish_that_nothing_was_saved() {
        let page = error_page(Lang::Sv, unavailable());
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        let text = message(Lang::Sv, &unavailable());
        assert!(text.contains("Inget har sparats"), "{text}");
    }

    #[test]
    fn an_unavailable_database_is_a_503_problem_with_retry_after() {
        let resp = crate::error::ApiError(unavailable()).into_response();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(resp.headers()[axum::http::header::RETRY_AFTER], "5");
        assert_eq!(resp.headers()[axum::http::header::CONTENT_TYPE], "application/problem+json");
    }

    #[test]
    fn url_encode_keeps_unreserved_characters_and_slashes() {
        assert_eq!(super::url_encode("/orders?id=1&x=å b"), "/orders%3Fid%3D1%26x%3D%C3%A5%20b");
        assert_eq!(super::url_encode("D-0010_a.b~c"), "D-0010_a.b~c");
    }
}
