//! "Tertialrapport": the tertial report's three parts (quality, economy,
//! development) per agreement area, each as an SVG chart with a table of
//! the same numbers beside it, the period and each figure's definition, a
//! year/tertial form and the XLSX download (the API's `.xlsx`, which
//! accepts the session cookie for GET).

use super::chart::{Chart, Series};
use crate::extract::{CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::ui::page::{error_page, render, sek, url_encode, Page};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ramp_app::model::{Principal, User};
use ramp_app::tertial::TertialReport;
use ramp_app::ErrorKind;
use ramp_domain::figures::Agreement;
use ramp_domain::money::Ore;
use ramp_domain::tertial::{reliability_name_en, reliability_name_sv, Share};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "figures_tertial.html")]
struct TertialTemplate {
    page: Page,
    year: String,
    tertial: String,
    /// The principal's code chosen ("" for every principal).
    principal: String,
    principals: Vec<Principal>,
    view: Option<View>,
}

/// A table row of text cells, ready for the template.
struct Row {
    cells: Vec<String>,
    /// The row's reliability is below its target.
    below: bool,
}

struct View {
    period: String,
    /// The name of the principal the report is narrowed to.
    principal: Option<String>,
    /// `year=…&tertial=…&principal=…` for the XLSX link.
    query: String,
    complete_months: u32,
    quality_chart: Chart,
    quality: Vec<Row>,
    economy_chart: Chart,
    economy: Vec<Row>,
    development_chart: Chart,
    development: Vec<Row>,
    previous: String,
}

#[derive(Deserialize)]
pub struct TertialParams {
    year: Option<String>,
    tertial: Option<String>,
    principal: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<TertialParams>,
) -> Response {
    let page = Page::new(lang, "tertial.title", Some(&user), &csrf, "figures");
    let principals = match ramp_app::figures::principals(&state.app, &user).await {
        Ok(p) => p,
        Err(e) => return error_page(lang, e),
    };
    let (year, tertial) = (p.year.unwrap_or_default(), p.tertial.unwrap_or_default());
    let principal = p.principal.unwrap_or_default();
    let mut t = TertialTemplate { page, year, tertial, principal, principals, view: None };
    match report(&state, &user, &t).await {
        Ok(r) => {
            (t.year, t.tertial) = (r.tertial.year().to_string(), r.tertial.number().to_string());
            t.view = Some(View::new(lang, &r));
            render(&t, StatusCode::OK)
        }
        Err(e) if e.kind == ErrorKind::Invalid => {
            t.page.add_error(&e);
            render(&t, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => error_page(lang, e),
    }
}

/// The report for the year, tertial and principal as typed.
async fn report(state: &AppState, user: &User, t: &TertialTemplate) -> Result<TertialReport, ramp_app::AppError> {
    let principal = ramp_app::figures::principal_filter(&state.app, Some(t.principal.as_str())).await?;
    ramp_app::tertial::tertial_report(&state.app, user, Some(t.year.as_str()), Some(t.tertial.as_str()), principal)
        .await
}

fn area(lang: Lang, a: Agreement) -> String {
    match lang {
        Lang::Sv => a.name_sv().into(),
        Lang::En => a.name_en().into(),
    }
}

fn pct(lang: Lang, s: Share) -> String {
    match (s.percent(), lang) {
        (None, _) => "–".into(),
        (Some(p), Lang::Sv) => format!("{} %", p.number_sv()),
        (Some(p), Lang::En) => format!("{} %", p.number_en()),
    }
}

fn pct_value(s: Share) -> Option<f64> {
    s.percent().map(|p| p.as_f64())
}

fn kr(o: Option<Ore>) -> String {
    o.map_or_else(|| "–".into(), |v| sek(&v.0))
}

fn row(cells: Vec<String>) -> Row {
    Row { cells, below: false }
}

impl View {
    fn new(lang: Lang, r: &TertialReport) -> View {
        let label = match lang {
            Lang::Sv => r.tertial.label_sv(),
            Lang::En => r.tertial.label_en(),
        };
        let previous = match lang {
            Lang::Sv => r.tertial.prev().label_sv(),
            Lang::En => r.tertial.prev().label_en(),
        };
        View {
            principal: r.principal.as_ref().map(|p| p.name.clone()),
            query: format!(
                "year={}&tertial={}{}",
                r.tertial.year(),
                r.tertial.number(),
                r.principal.as_ref().map_or(String::new(), |p| format!("&principal={}", url_encode(&p.code)))
            ),
            complete_months: r.complete_months,
            quality_chart: quality_chart(lang, r, &label),
            quality: quality_rows(lang, r),
            economy_chart: economy_chart(lang, r, &label),
            economy: economy_rows(lang, r),
            development_chart: development_chart(lang, r, &label, &previous),
            development: development_rows(lang, r),
            period: label,
            previous,
        }
    }
}

fn class_name(lang: Lang, c: ramp_domain::article::LeadTimeClass) -> &'static str {
    match lang {
        Lang::Sv => reliability_name_sv(c),
        Lang::En => reliability_name_en(c),
    }
}

/// Per area: each class's reliability and the reuse rate, in percent.
fn quality_chart(lang: Lang, r: &TertialReport, label: &str) -> Chart {
    let t = |k: &str| lang.t(k);
    let mut categories: Vec<String> = r
        .quality
        .first()
        .map(|q| q.reliability.iter().map(|c| class_name(lang, c.class).to_string()).collect())
        .unwrap_or_default();
    categories.push(t("figures.reuse.rate").into());
    let series: Vec<Series> = r
        .quality
        .iter()
        .map(|q| Series {
            name: area(lang, q.agreement),
            values: q.reliability.iter().map(|c| pct_value(c.share)).chain([pct_value(q.reuse)]).collect(),
        })
        .collect();
    let what = format!("{}, {label}. {}", t("tertial.quality.title"), t("tertial.chart_note"));
    Chart::bars("chart-tertial-quality", what, &categories, &series, false, true)
}

fn quality_rows(lang: Lang, r: &TertialReport) -> Vec<Row> {
    let t = |k: &str| lang.t(k);
    let yes_no = |b: Option<bool>| match b {
        Some(true) => t("tertial.met").to_string(),
        Some(false) => t("figures.below_target").to_string(),
        None => "–".into(),
    };
    let mut rows = Vec::new();
    for q in &r.quality {
        let a = area(lang, q.agreement);
        rows.push(row(vec![
            a.clone(),
            t("tertial.delivered").into(),
            q.delivered.to_string(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
        ]));
        for c in &q.reliability {
            let target = pct(lang, Share { part: c.target.hundredths(), whole: 10_000 });
            rows.push(Row {
                cells: vec![
                    a.clone(),
                    class_name(lang, c.class).into(),
                    c.share.whole.to_string(),
                    c.share.part.to_string(),
                    pct(lang, c.share),
                    target,
                    yes_no(c.meets_target()),
                ],
                below: c.meets_target() == Some(false),
            });
        }
        rows.push(row(vec![
            a,
            t("figures.reuse.rate").into(),
            q.reuse.whole.to_string(),
            q.reuse.part.to_string(),
            pct(lang, q.reuse),
            "".into(),
            "".into(),
        ]));
    }
    rows.push(row(vec![
        t("tertial.whole_region").into(),
        t("figures.acceptance.rate").into(),
        r.acceptance.whole.to_string(),
        r.acceptance.part.to_string(),
        pct(lang, r.acceptance),
        "".into(),
        "".into(),
    ]));
    rows
}

/// Per area: the tertial's cost against its budget, in kronor.
fn economy_chart(lang: Lang, r: &TertialReport, label: &str) -> Chart {
    let t = |k: &str| lang.t(k);
    let categories: Vec<String> = r.economy.iter().map(|a| area(lang, a.agreement)).collect();
    let kronor = |o: Option<Ore>| o.map(|v| v.0 as f64 / 100.0);
    let series = [
        Series {
            name: t("tertial.actual").into(),
            values: r.economy.iter().map(|a| kronor(Some(a.total.actual))).collect(),
        },
        Series { name: t("tertial.budget").into(), values: r.economy.iter().map(|a| kronor(a.total.budget)).collect() },
    ];
    let what = format!("{}, {label} (kr). {}", t("tertial.economy.title"), t("tertial.chart_note"));
    Chart::bars("chart-tertial-economy", what, &categories, &series, false, false)
}

fn economy_rows(lang: Lang, r: &TertialReport) -> Vec<Row> {
    let mut rows = Vec::new();
    for a in &r.economy {
        let name = area(lang, a.agreement);
        for p in &a.principals {
            let e = &p.economy;
            rows.push(row(vec![
                name.clone(),
                p.principal.name.clone(),
                kr(Some(e.actual)),
                kr(e.budget),
                kr(Some(e.year.actual)),
                kr(e.year.budget),
                kr(e.year.forecast),
                kr(e.year.deviation),
            ]));
        }
        let s = &a.total;
        rows.push(row(vec![
            name,
            lang.t("figures.total").into(),
            kr(Some(s.actual)),
            kr(s.budget),
            kr(Some(s.year_actual)),
            kr(s.year_budget),
            kr(s.forecast),
            kr(s.deviation),
        ]));
    }
    rows
}

/// Reuse and acceptance, the tertial before against this one.
fn development_chart(lang: Lang, r: &TertialReport, label: &str, previous: &str) -> Chart {
    let t = |k: &str| lang.t(k);
    let d = &r.development;
    let categories = [
        t("figures.reuse.rate").to_string(),
        t("figures.acceptance.rate").to_string(),
        t("figures.digital.share").to_string(),
    ];
    let series = [
        Series {
            name: previous.into(),
            values: vec![pct_value(d.reuse_before), pct_value(d.acceptance_before), pct_value(d.digital_before)],
        },
        Series { name: label.into(), values: vec![pct_value(d.reuse), pct_value(d.acceptance), pct_value(d.digital)] },
    ];
    let what = format!("{}, {previous} – {label}. {}", t("tertial.development.title"), t("tertial.chart_note"));
    Chart::bars("chart-tertial-development", what, &categories, &series, false, true)
}

fn development_rows(lang: Lang, r: &TertialReport) -> Vec<Row> {
    let t = |k: &str| lang.t(k);
    let d = &r.development;
    let n = |v: i64| v.to_string();
    vec![
        row(vec![t("figures.reuse.rate").into(), pct(lang, d.reuse_before), pct(lang, d.reuse)]),
        row(vec![t("figures.reuse.deliveries").into(), n(d.reuse_before.whole), n(d.reuse.whole)]),
        row(vec![t("figures.reuse.reconditioned").into(), n(d.reuse_before.part), n(d.reuse.part)]),
        row(vec![t("figures.acceptance.rate").into(), pct(lang, d.acceptance_before), pct(lang, d.acceptance)]),
        row(vec![t("tertial.answered").into(), n(d.acceptance_before.whole), n(d.acceptance.whole)]),
        row(vec![t("tertial.accepted").into(), n(d.acceptance_before.part), n(d.acceptance.part)]),
        row(vec![t("figures.digital.share").into(), pct(lang, d.digital_before), pct(lang, d.digital)]),
        row(vec![t("tertial.orders").into(), n(d.digital_before.whole), n(d.digital.whole)]),
        row(vec![t("tertial.orders_1177").into(), n(d.digital_before.part), n(d.digital.part)]),
        row(vec![t("tertial.consultations").into(), n(d.consultations_before), n(d.consultations)]),
    ]
}

impl TertialTemplate {
    fn selected(&self, value: &str) -> bool {
        self.tertial == value
    }

    /// The tertials of the form's select: value and label.
    fn tertials(&self) -> Vec<(String, &'static str)> {
        ["tertial.t1", "tertial.t2", "tertial.t3"]
            .iter()
            .enumerate()
            .map(|(i, k)| ((i + 1).to_string(), self.page.t(k)))
            .collect()
    }
}
