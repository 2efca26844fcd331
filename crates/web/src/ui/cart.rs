//! The cart ("varukorg"): the user's reserved lines grouped by recipient,
//! each group with its order form. Every rendered form carries a fresh
//! idempotency key, so a double submit places one order.

use super::page::{error_page, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::dates::parse_optional_date;
use ramp_app::model::{Id, User};
use ramp_app::orders::{CartLine, OrderRequest};
use ramp_app::{AppError, ErrorKind};
use ramp_domain::cost::Need;
use ramp_domain::order::OrderTarget;
use ramp_domain::Term;
use serde::Deserialize;

/// The lines for one recipient and the form that orders them.
pub struct CartGroup {
    /// Identifies the group across a submit: `patient-<id>` or `<target>-<unit id>`.
    pub key: String,
    /// Prefix of this group's element ids.
    pub idx: usize,
    pub target: OrderTarget,
    pub patient_name: Option<String>,
    /// Canonical personal identity number, posted back in a hidden field.
    pub personal_id: Option<String>,
    pub unit_id: Option<Id>,
    pub lines: Vec<CartLine>,
    /// A line has a temporary need, so the order needs an end date.
    pub temporary: bool,
    pub idempotency_key: String,
    pub goal: String,
    pub evaluation_date: String,
    pub end_date: String,
    /// The place of use chosen (default: the patient's setting today).
    pub place_of_use: String,
    pub delivery: super::delivery::DeliveryForm,
}

fn group_key(l: &CartLine) -> String {
    match l.item.patient_id {
        Some(p) => format!("patient-{p}"),
        None => format!("{}-{}", l.item.target.as_str(), l.item.unit_id.unwrap_or_default()),
    }
}

fn groups(lines: Vec<CartLine>) -> Vec<CartGroup> {
    let mut out: Vec<CartGroup> = vec![];
    for l in lines {
        let key = group_key(&l);
        let temporary = l.item.need == Some(Need::Temporary);
        match out.iter_mut().find(|g| g.key == key) {
            Some(g) => {
                g.temporary |= temporary;
                g.lines.push(l);
            }
            None => out.push(CartGroup {
                idx: out.len(),
                key,
                target: l.item.target,
                patient_name: l.patient_name.clone(),
                personal_id: l.personal_id.as_ref().map(|p| p.display()),
                unit_id: l.item.unit_id,
                temporary,
                idempotency_key: ramp_app::auth::random_token(),
                goal: String::new(),
                evaluation_date: String::new(),
                end_date: String::new(),
                place_of_use: l.setting.map(|s| s.as_str().to_string()).unwrap_or_default(),
                delivery: super::delivery::DeliveryForm::default(),
                lines: vec![l],
            }),
        }
    }
    out
}

#[derive(Template)]
#[template(path = "cart.html")]
struct CartTemplate {
    page: Page,
    groups: Vec<CartGroup>,
}

impl CartTemplate {
    fn error_for(&self, g: &CartGroup, field: &str) -> Option<&str> {
        self.page.error_for(&format!("g{}-{field}", g.idx))
    }

    fn title(&self, g: &CartGroup) -> String {
        match (g.target, &g.patient_name) {
            (OrderTarget::Patient, Some(name)) => match &g.personal_id {
                Some(pnr) => format!("{}: {name}, {pnr}", self.page.t("cart.for_patient")),
                None => format!("{}: {name}", self.page.t("cart.for_patient")),
            },
            (OrderTarget::Patient, None) => self.page.t("cart.for_patient").to_string(),
            (OrderTarget::Unit, _) => self.page.t("cart.for_unit").to_string(),
            (OrderTarget::Buffer, _) => self.page.t("cart.for_buffer").to_string(),
        }
    }

    fn is_patient(&self, g: &CartGroup) -> bool {
        g.target == OrderTarget::Patient
    }

    fn substituted(&self, l: &CartLine) -> bool {
        l.item.substitution != ramp_domain::order::Substitution::None
    }

    /// The places of use to choose from, as (value, name).
    fn places(&self) -> Vec<(&'static str, &'static str)> {
        ramp_domain::shipping::places_of_use().iter().map(|s| (s.as_str(), self.page.setting(s))).collect()
    }

    fn methods(&self) -> Vec<(&'static str, &'static str)> {
        super::delivery::methods(self.page.lang)
    }

    fn need(&self, need: &Option<Need>) -> &'static str {
        match need {
            Some(n) => self.page.t(&format!("order.need.{n}")),
            None => "–",
        }
    }
}

async fn cart_page(state: &AppState, lang: Lang, csrf: &str, user: &User) -> Result<CartTemplate, AppError> {
    let lines = ramp_app::orders::cart(&state.app, user).await?;
    let page = Page::new(lang, "cart.title", Some(user), csrf, "cart");
    Ok(CartTemplate { page, groups: groups(lines) })
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
) -> Response {
    match cart_page(&state, lang, &csrf, &user).await {
        Ok(t) => render(&t, StatusCode::OK),
        Err(e) => error_page(lang, e),
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    item_id: Id,
}

/// Removes a line; its device goes back to stock.
pub async fn remove(
    State(state): State<AppState>,
    lang: Lang,
    UiUser(user): UiUser,
    CsrfForm(f): CsrfForm<RemoveForm>,
) -> Response {
    match ramp_app::orders::remove_from_cart(&state.app, &user, f.item_id).await {
        Ok(()) => Redirect::to("/cart").into_response(),
        Err(e) => error_page(lang, e),
    }
}

#[derive(Deserialize)]
pub struct PlaceForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    personal_id: String,
    unit_id: Option<Id>,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    evaluation_date: String,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    idempotency_key: String,
    #[serde(default)]
    place_of_use: String,
    #[serde(default)]
    delivery_address_choice: String,
    #[serde(default)]
    delivery_address: String,
    #[serde(default)]
    delivery_contact_name: String,
    #[serde(default)]
    delivery_contact_phone: String,
    #[serde(default)]
    delivery_method: String,
    #[serde(default)]
    delivery_urgency: String,
    #[serde(default)]
    delivery_note: String,
}

impl PlaceForm {
    /// The delivery part of the form, as typed (not flattened: a flattened
    /// form would read `unit_id` as text).
    fn delivery(&self) -> super::delivery::DeliveryForm {
        super::delivery::DeliveryForm {
            address_choice: self.delivery_address_choice.clone(),
            address: self.delivery_address.clone(),
            contact_name: self.delivery_contact_name.clone(),
            contact_phone: self.delivery_contact_phone.clone(),
            method: self.delivery_method.clone(),
            urgency: self.delivery_urgency.clone(),
            note: self.delivery_note.clone(),
        }
    }
}

fn request(f: &PlaceForm) -> Result<OrderRequest, AppError> {
    let target = OrderTarget::parse(&f.target).map_err(AppError::from)?;
    Ok(OrderRequest {
        target: Some(target),
        personal_id: (target == OrderTarget::Patient).then(|| f.personal_id.clone()),
        unit_id: f.unit_id,
        goal: Some(f.goal.clone()).filter(|g| !g.trim().is_empty()),
        evaluation_date: parse_optional_date("evaluation_date", Some(&f.evaluation_date), "2027-02-01")?,
        end_date: parse_optional_date("end_date", Some(&f.end_date), "2027-02-01")?,
        lines: None,
        place_of_use: match f.place_of_use.as_str() {
            "" => None,
            p => Some(super::delivery::parse_place(p)?),
        },
        delivery: Some(f.delivery().to_input()?),
        channel: Some(ramp_domain::order::OrderChannel::Portal),
    })
}

/// Places the order for one group; on success shows the order.
pub async fn place(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<PlaceForm>,
) -> Response {
    let placed = match request(&f) {
        Ok(req) => {
            let key = Some(f.idempotency_key.as_str()).filter(|k| !k.is_empty());
            ramp_app::orders::place_order(&state.app, &user, &req, key, Some(&rid)).await
        }
        Err(e) => Err(e),
    };
    let e = match placed {
        Ok(p) => return Redirect::to(&format!("/orders/{}/confirmation", p.order.id)).into_response(),
        Err(e) => e,
    };
    if e.kind == ErrorKind::Internal {
        return error_page(lang, e);
    }
    let mut t = match cart_page(&state, lang, &csrf, &user).await {
        Ok(t) => t,
        Err(e) => return error_page(lang, e),
    };
    let status = crate::error::status_of(e.kind);
    match t.groups.iter_mut().find(|g| g.key == f.group) {
        Some(g) => {
            // The same key again: nothing was placed with it, and a retry stays one order.
            g.idempotency_key = f.idempotency_key.clone();
            g.goal = f.goal.clone();
            g.evaluation_date = f.evaluation_date.clone();
            g.end_date = f.end_date.clone();
            g.place_of_use = f.place_of_use.clone();
            g.delivery = f.delivery();
            let field = match e.field.as_deref() {
                Some(f @ ("goal" | "evaluation_date" | "end_date" | "place_of_use")) => format!("g{}-{f}", g.idx),
                Some(f) if f.starts_with("delivery.") => format!("g{}-{}", g.idx, f.replace('.', "_")),
                _ => "form".into(),
            };
            let msg = super::page::message(lang, &e);
            t.page.errors.push((field, msg));
        }
        None => t.page.add_error(&e),
    }
    render(&t, status)
}
