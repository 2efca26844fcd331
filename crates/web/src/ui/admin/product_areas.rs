//! Product areas: per area, the agreement area its deliveries are followed
//! up under and whether it is drug-adjacent (counted in the costly-treatment
//! application). One form per area; its fields carry the area's code so
//! that every id on the page is unique.

use super::widgets::*;
use super::{caller, failed, Done};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::ui::page::{error_page, render, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::admin as uc;
use ramp_app::model::User;
use ramp_app::AppError;
use ramp_domain::figures::Agreement;
use ramp_domain::Term;

/// One area's form.
pub struct AreaRow {
    code: String,
    name: String,
    /// (value, label, selected)
    options: Vec<(String, String, bool)>,
    drug_adjacent: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_product_areas.html")]
struct AreasTemplate {
    page: Page,
    notice: Option<&'static str>,
    rows: Vec<AreaRow>,
}

fn area_name(lang: Lang, a: Agreement) -> String {
    match lang {
        Lang::Sv => format!("{} ({})", a.name_sv(), description_sv(a)),
        Lang::En => format!("{} ({})", a.name_en(), description_en(a)),
    }
}

fn description_sv(a: Agreement) -> &'static str {
    match a {
        Agreement::Cooperation => "personliga hjälpmedel",
        Agreement::Overenskommelsen => "hjälpmedel vid medicinsk behandling",
        Agreement::Digital => "digitala hjälpmedel",
    }
}

fn description_en(a: Agreement) -> &'static str {
    match a {
        Agreement::Cooperation => "personal assistive devices",
        Agreement::Overenskommelsen => "devices for medical treatment",
        Agreement::Digital => "digital assistive devices",
    }
}

/// The page; after a refused save, `failed_with` is the error, the form and the area it was for.
async fn page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    notice: Option<&'static str>,
    failed_with: Option<(AppError, &Pairs, &str)>,
) -> Response {
    let areas = match uc::list_product_areas(&state.app, caller(user, rid)).await {
        Ok(a) => a,
        Err(e) => return error_page(lang, e),
    };
    let mut page = Page::new(lang, "admin.product_areas", Some(user), csrf, "admin");
    let empty = Pairs::new();
    let (status, f, failed_code) = match failed_with {
        Some((e, f, code)) => (failed(&mut page, &e), f, code.to_string()),
        None => (StatusCode::OK, &empty, String::new()),
    };
    let rows = areas
        .into_iter()
        .map(|a| {
            let mine = a.code == failed_code;
            let chosen =
                if mine { one(f, &format!("agreement_area_{}", a.code)) } else { a.agreement_area.as_str().into() };
            let drug_adjacent =
                if mine { !one(f, &format!("drug_adjacent_{}", a.code)).is_empty() } else { a.drug_adjacent };
            let options = Agreement::ALL
                .iter()
                .map(|x| (x.as_str().to_string(), area_name(lang, *x), x.as_str() == chosen))
                .collect();
            let name = if lang == Lang::Sv { a.name_sv.clone() } else { a.name_en.clone() };
            let error = page.error_for(&format!("agreement_area_{}", a.code)).map(str::to_string);
            AreaRow { code: a.code, name, options, drug_adjacent, error }
        })
        .collect();
    let notice = if status == StatusCode::OK { notice } else { None };
    render(&AreasTemplate { page, notice, rows }, status)
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Query(done): Query<Done>,
) -> Response {
    page(&state, lang, &csrf, &user, &rid, done.notice(lang), None).await
}

/// Saves one area's form.
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<Pairs>,
) -> Response {
    let input = uc::ProductAreaInput {
        agreement_area: one(&f, &format!("agreement_area_{code}")),
        drug_adjacent: !one(&f, &format!("drug_adjacent_{code}")).is_empty(),
    };
    match uc::edit_product_area(&state.app, caller(&user, &rid), &code, &input).await {
        Ok(()) => Redirect::to("/admin/product-areas?done=1").into_response(),
        Err(e) => {
            let e = if e.field.as_deref() == Some("agreement_area") {
                e.with_field(format!("agreement_area_{code}"))
            } else {
                e
            };
            page(&state, lang, &csrf, &user, &rid, None, Some((e, &f, &code))).await
        }
    }
}
