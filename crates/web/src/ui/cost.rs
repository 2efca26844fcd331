//! "Vem betalar?": a prescriber answers the agreement's questions and sees
//! who pays, through which channel, and the clause it rests on. Nothing
//! here is personal data (age, setting, product), so the form is a GET.

use super::page::{render, Page};
use crate::extract::{CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ramp_domain::cost::{Decision, DecisionRequest, NeededFact, Outcome, RegionInfo};
use ramp_domain::setting::Setting;
use ramp_domain::Term;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub const KINDS: [&str; 5] = ["device", "accessory", "consumable", "medtech_product", "nutrition"];
pub const NEEDS: [&str; 4] = ["lasting", "during_stay_only", "continues_at_home", "temporary"];

#[derive(Template)]
#[template(path = "cost.html")]
struct CostTemplate {
    page: Page,
    regions: Vec<RegionInfo>,
    settings: Vec<(&'static str, &'static str)>,
    form: BTreeMap<String, String>,
    /// Facts already answered, carried along as hidden fields.
    answered: Vec<(String, String)>,
    needs: Vec<NeededFact>,
    decision: Option<Decision>,
}

impl CostTemplate {
    fn value(&self, name: &str) -> &str {
        self.form.get(name).map(String::as_str).unwrap_or("")
    }

    fn selected(&self, name: &str, value: &str) -> bool {
        self.value(name) == value
    }

    fn question<'a>(&self, n: &'a NeededFact) -> &'a str {
        match self.page.lang {
            Lang::Sv => &n.question.sv,
            Lang::En => &n.question.en,
        }
    }

    /// The deciding agreement's region by name (the code is an internal key).
    fn region_name<'a>(&'a self, d: &'a Decision) -> &'a str {
        self.regions.iter().find(|r| r.code == d.agreement.region).map_or(&d.agreement.region, |r| &r.name)
    }

    fn explanation<'a>(&self, d: &'a Decision) -> &'a str {
        match self.page.lang {
            Lang::Sv => &d.explanation.sv,
            Lang::En => &d.explanation.en,
        }
    }
}

/// The decision input as JSON, from the form's fields; facts come as
/// `fact.<name>` = `yes` | `no`.
fn request_json(form: &BTreeMap<String, String>) -> Value {
    let facts: Map<String, Value> = form
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("fact.").map(|name| (name.to_string(), json!(v == "yes"))))
        .collect();
    let age = form.get("age").map(String::as_str).unwrap_or("").trim();
    let age: Value = age.parse::<u64>().map(Value::from).unwrap_or_else(|_| json!(age));
    json!({
        "region": form.get("region").cloned().unwrap_or_default(),
        "date": form.get("date").cloned().unwrap_or_default(),
        "patient": {"age": age},
        "setting": form.get("setting").cloned().unwrap_or_default(),
        "product": {"iso": form.get("iso").map(|s| s.replace(' ', "")).unwrap_or_default(), "kind": form.get("kind").cloned().unwrap_or_default(), "facts": facts},
        "need": form.get("need").cloned().unwrap_or_default(),
    })
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(mut form): Query<BTreeMap<String, String>>,
) -> Response {
    let agreements = state.agreements.current();
    let mut page = Page::new(lang, "cost.title", Some(&user), &csrf, "cost");
    let submitted = form.contains_key("region");
    form.entry("date".into()).or_insert_with(|| state.app.today().to_string());
    // The region whose agreement decides this installation's orders, so that
    // the answer here is the one an order would get.
    form.entry("region".into()).or_insert_with(|| state.app.config().agreement_region.clone());
    let answered: Vec<(String, String)> =
        form.iter().filter(|(k, _)| k.starts_with("fact.")).map(|(k, v)| (k.clone(), v.clone())).collect();
    let (mut needs, mut decision, mut status) = (vec![], None, StatusCode::OK);
    if submitted {
        let outcome = DecisionRequest::try_from(request_json(&form)).and_then(|req| agreements.decide(&req));
        match outcome {
            Ok(Outcome::Decision(d)) => decision = Some(d),
            Ok(Outcome::Needs(n)) => needs = n,
            Err(e) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                page.add_error(&ramp_app::AppError::from(e));
            }
        }
    }
    let settings =
        Setting::ALL.iter().map(|s| (s.as_str(), if lang == Lang::Sv { s.name_sv() } else { s.name_en() })).collect();
    let t = CostTemplate { page, regions: agreements.regions(), settings, form, answered, needs, decision };
    render(&t, status)
}
