//! The tertial report (issue 22, seed 003's "tertialrapport") as JSON and
//! as an XLSX workbook with one sheet per part: quality ("Kvalitet"),
//! economy ("Ekonomi") and development ("Utveckling"). Numbers are number
//! cells (counts, percentages with two decimals, kronor), so a reader sums
//! them in Excel; an empty cell where there is nothing to measure.

use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::xlsx::{self, Cell, Xlsx};
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use ramp_app::tertial::{self as uc, TertialReport};
use ramp_domain::money::Ore;
use ramp_domain::tertial::{reliability_name_sv, Share};
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TertialParams {
    /// The calendar year, e.g. `2026` (default: the year of the last complete tertial).
    pub year: Option<String>,
    /// `1` (January–April), `2` (May–August) or `3` (September–December); default: the last complete tertial.
    pub tertial: Option<String>,
    /// A principal's code (`region`, or a municipality's, e.g. `0186`): quality and development
    /// count the deliveries and orders of its units, economy is its own; replacement answers and
    /// consultations stay the whole region's.
    pub principal: Option<String>,
}

/// How many of how many.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareDto {
    pub part: i64,
    pub whole: i64,
    /// `part / whole` in percent, two decimals (half up); null when `whole` is 0.
    pub percent: Option<f64>,
}

impl From<Share> for ShareDto {
    fn from(s: Share) -> Self {
        ShareDto { part: s.part, whole: s.whole, percent: s.percent().map(|p| p.as_f64()) }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClassReliabilityDto {
    /// `stock_4`, `stock_7`, `order_17` or `acute`.
    pub lead_time_class: String,
    /// On time (`part`) of delivered (`whole`) order lines.
    pub share: ShareDto,
    pub target_percent: f64,
    /// Compared as exact fractions; null when nothing was delivered.
    pub meets_target: Option<bool>,
}

/// The quality part of one agreement area.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaQualityDto {
    /// The product areas' agreement area: `cooperation` ("Samarbetsavtal"), `overenskommelsen` or `digital`.
    pub agreement: String,
    /// Order lines delivered in the tertial (Stockholm dates).
    pub delivered: i64,
    pub reliability: Vec<ClassReliabilityDto>,
    /// Deliveries of a reconditioned device of all device deliveries.
    pub reuse: ShareDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrincipalEconomyDto {
    pub principal: String,
    pub name: String,
    /// Invoiced in the tertial's complete months.
    pub actual_ore: i64,
    /// Four twelfths of the year's budget.
    pub budget_ore: Option<i64>,
    pub year_actual_ore: i64,
    pub year_budget_ore: Option<i64>,
    pub forecast_ore: Option<i64>,
    /// Forecast − year's budget: positive is an overrun.
    pub deviation_ore: Option<i64>,
}

/// The economy part of one agreement area: its principals and their sum.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaEconomyDto {
    pub agreement: String,
    pub total: PrincipalEconomyDto,
    pub principals: Vec<PrincipalEconomyDto>,
}

/// This tertial against the one before.
#[derive(Debug, Serialize, ToSchema)]
pub struct DevelopmentDto {
    pub reuse: ShareDto,
    pub reuse_before: ShareDto,
    pub acceptance: ShareDto,
    pub acceptance_before: ShareDto,
    /// Orders placed through 1177 of all orders placed, this tertial and the one before.
    pub digital_orders_percent: Option<f64>,
    pub digital_orders_percent_before: Option<f64>,
    pub orders: i64,
    pub orders_via_1177: i64,
    pub consultations_booked: i64,
    pub consultations_booked_before: i64,
}

/// The tertial report.
#[derive(Debug, Serialize, ToSchema)]
pub struct TertialDto {
    pub year: i32,
    pub tertial: u32,
    /// First and last month, `YYYY-MM`.
    pub from: String,
    pub to: String,
    /// Months of the year complete when the report was made.
    pub complete_months: u32,
    pub quality: Vec<AreaQualityDto>,
    /// Replacement acceptance, the whole region (answers carry no payer).
    pub acceptance: ShareDto,
    pub economy: Vec<AreaEconomyDto>,
    pub development: DevelopmentDto,
    /// The principal's code the report is narrowed to; null: every principal.
    pub principal: Option<String>,
}

fn ore(o: Option<Ore>) -> Option<i64> {
    o.map(|v| v.0)
}

impl From<&TertialReport> for TertialDto {
    fn from(r: &TertialReport) -> Self {
        let range = r.tertial.range();
        let d = &r.development;
        TertialDto {
            year: r.tertial.year(),
            tertial: r.tertial.number(),
            from: range.from.to_string(),
            to: range.to.to_string(),
            complete_months: r.complete_months,
            principal: r.principal.as_ref().map(|p| p.code.clone()),
            quality: r
                .quality
                .iter()
                .map(|q| AreaQualityDto {
                    agreement: q.agreement.as_str().into(),
                    delivered: q.delivered,
                    reliability: q
                        .reliability
                        .iter()
                        .map(|c| ClassReliabilityDto {
                            lead_time_class: c.class.as_str().into(),
                            share: c.share.into(),
                            target_percent: c.target.as_f64(),
                            meets_target: c.meets_target(),
                        })
                        .collect(),
                    reuse: q.reuse.into(),
                })
                .collect(),
            acceptance: r.acceptance.into(),
            economy: r
                .economy
                .iter()
                .map(|a| AreaEconomyDto {
                    agreement: a.agreement.as_str().into(),
                    total: PrincipalEconomyDto {
                        principal: a.agreement.as_str().into(),
                        name: a.agreement.name_sv().into(),
                        actual_ore: a.total.actual.0,
                        budget_ore: ore(a.total.budget),
                        year_actual_ore: a.total.year_actual.0,
                        year_budget_ore: ore(a.total.year_budget),
                        forecast_ore: ore(a.total.forecast),
                        deviation_ore: ore(a.total.deviation),
                    },
                    principals: a
                        .principals
                        .iter()
                        .map(|p| PrincipalEconomyDto {
                            principal: p.principal.code.clone(),
                            name: p.principal.name.clone(),
                            actual_ore: p.economy.actual.0,
                            budget_ore: ore(p.economy.budget),
                            year_actual_ore: p.economy.year.actual.0,
                            year_budget_ore: ore(p.economy.year.budget),
                            forecast_ore: ore(p.economy.year.forecast),
                            deviation_ore: ore(p.economy.year.deviation),
                        })
                        .collect(),
                })
                .collect(),
            development: DevelopmentDto {
                reuse: d.reuse.into(),
                reuse_before: d.reuse_before.into(),
                acceptance: d.acceptance.into(),
                acceptance_before: d.acceptance_before.into(),
                digital_orders_percent: d.digital.percent().map(|p| p.as_f64()),
                digital_orders_percent_before: d.digital_before.percent().map(|p| p.as_f64()),
                orders: d.digital.whole,
                orders_via_1177: d.digital.part,
                consultations_booked: d.consultations,
                consultations_booked_before: d.consultations_before,
            },
        }
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn count(n: i64) -> Cell {
    Cell::Number(n as f64)
}

fn pct(s: Share) -> Cell {
    s.percent().map_or_else(|| text(""), |p| Cell::Number(p.as_f64()))
}

fn money(o: Option<Ore>) -> Cell {
    o.map_or_else(|| text(""), |v| xlsx::kronor(v.0))
}

fn yes_no(b: Option<bool>) -> Cell {
    text(match b {
        Some(true) => "Ja",
        Some(false) => "Nej",
        None => "",
    })
}

/// The sheet's first rows: what it is and for which months.
fn heading(r: &TertialReport, part: &str) -> Vec<Vec<Cell>> {
    let range = r.tertial.range();
    vec![
        vec![text(&format!("Tertialrapport {} – {part}", r.tertial.label_sv()))],
        vec![text("Period"), text(&format!("{}–{}", range.from, range.to))],
        vec![],
    ]
}

/// "Kvalitet": per area, delivered lines, reliability per class against its target, reuse; acceptance for the region.
pub(crate) fn quality_sheet(r: &TertialReport) -> Vec<Vec<Cell>> {
    let mut rows = heading(r, "Kvalitet");
    rows.push(["Avtalsområde", "Nyckeltal", "Antal", "Varav", "Andel (%)", "Mål (%)", "Målet nått"].map(text).to_vec());
    for q in &r.quality {
        let area = q.agreement.name_sv();
        rows.push(vec![text(area), text("Levererade orderrader"), count(q.delivered)]);
        for c in &q.reliability {
            rows.push(vec![
                text(area),
                text(reliability_name_sv(c.class)),
                count(c.share.whole),
                count(c.share.part),
                pct(c.share),
                Cell::Number(c.target.as_f64()),
                yes_no(c.meets_target()),
            ]);
        }
        rows.push(vec![
            text(area),
            text("Återanvändningsgrad"),
            count(q.reuse.whole),
            count(q.reuse.part),
            pct(q.reuse),
        ]);
    }
    rows.push(vec![
        text("Hela regionen"),
        text("Accepterade ersättningsförslag"),
        count(r.acceptance.whole),
        count(r.acceptance.part),
        pct(r.acceptance),
    ]);
    rows
}

/// "Ekonomi": per area, each principal and the area's sum.
pub(crate) fn economy_sheet(r: &TertialReport) -> Vec<Vec<Cell>> {
    let mut rows = heading(r, "Ekonomi");
    rows.push(
        [
            "Avtalsområde",
            "Huvudman",
            "Utfall tertial (kr)",
            "Budget tertial (kr)",
            "Utfall året hittills (kr)",
            "Budget året (kr)",
            "Prognos året (kr)",
            "Avvikelse (kr)",
        ]
        .map(text)
        .to_vec(),
    );
    for a in &r.economy {
        let area = a.agreement.name_sv();
        for p in &a.principals {
            let e = &p.economy;
            rows.push(vec![
                text(area),
                text(&p.principal.name),
                xlsx::kronor(e.actual.0),
                money(e.budget),
                xlsx::kronor(e.year.actual.0),
                money(e.year.budget),
                money(e.year.forecast),
                money(e.year.deviation),
            ]);
        }
        let t = &a.total;
        rows.push(vec![
            text(area),
            text("Summa"),
            xlsx::kronor(t.actual.0),
            money(t.budget),
            xlsx::kronor(t.year_actual.0),
            money(t.year_budget),
            money(t.forecast),
            money(t.deviation),
        ]);
    }
    rows
}

/// "Utveckling": this tertial against the one before.
pub(crate) fn development_sheet(r: &TertialReport) -> Vec<Vec<Cell>> {
    let d = &r.development;
    let mut rows = heading(r, "Utveckling");
    rows.push(vec![
        text("Nyckeltal"),
        text("Denna tertial"),
        text(&format!("Föregående {}", r.tertial.prev().label_sv())),
    ]);
    rows.push(vec![text("Återanvändningsgrad (%)"), pct(d.reuse), pct(d.reuse_before)]);
    rows.push(vec![text("Leveranser av individer"), count(d.reuse.whole), count(d.reuse_before.whole)]);
    rows.push(vec![text("Varav rekonditionerade"), count(d.reuse.part), count(d.reuse_before.part)]);
    rows.push(vec![text("Acceptans ersättningsförslag (%)"), pct(d.acceptance), pct(d.acceptance_before)]);
    rows.push(vec![text("Besvarade förslag"), count(d.acceptance.whole), count(d.acceptance_before.whole)]);
    rows.push(vec![text("Varav accepterade"), count(d.acceptance.part), count(d.acceptance_before.part)]);
    rows.push(vec![text("Andel digitala beställningar via 1177 (%)"), pct(d.digital), pct(d.digital_before)]);
    rows.push(vec![text("Beställningar"), count(d.digital.whole), count(d.digital_before.whole)]);
    rows.push(vec![text("Varav via 1177"), count(d.digital.part), count(d.digital_before.part)]);
    rows.push(vec![text("Bokade konsultationer"), count(d.consultations), count(d.consultations_before)]);
    rows
}

async fn report(state: &AppState, user: &ramp_app::model::User, p: &TertialParams) -> Result<TertialReport, ApiError> {
    let principal = ramp_app::figures::principal_filter(&state.app, p.principal.as_deref()).await?;
    Ok(uc::tertial_report(&state.app, user, p.year.as_deref(), p.tertial.as_deref(), principal).await?)
}

/// The tertial report: quality, economy and development per agreement area.
///
/// Quality: order lines delivered in the tertial's Stockholm months per agreement area (the
/// articles' product area's: "Samarbetsavtal", "Överenskommelsen", digital devices), delivery reliability per
/// lead-time class against its target (compared exactly), reuse rate; replacement acceptance for
/// the whole region. Economy: invoiced cost per principal in the tertial against four twelfths of
/// the year's budget, and the year's forecast. Development: reuse, acceptance and consultations
/// booked against the tertial before.
#[utoipa::path(get, path = "/api/v1/reports/tertial", tag = "figures", params(TertialParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "the three parts", body = TertialDto),
    (status = 403, description = "not HMC staff, finance or admin (code role_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_year (field year), invalid_tertial (field tertial) or unknown_principal (field principal)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn tertial(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<TertialParams>,
) -> Result<Json<TertialDto>, ApiError> {
    Ok(Json(TertialDto::from(&report(&state, &user, &p).await?)))
}

/// The tertial report as an XLSX workbook: sheets "Kvalitet", "Ekonomi" and "Utveckling".
#[utoipa::path(get, path = "/api/v1/reports/tertial.xlsx", tag = "figures", params(TertialParams), security(("token" = []), ("session" = [])), responses(
    (status = 200, description = "three sheets; counts, percentages and kronor as numbers", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (status = 403, description = "not HMC staff, finance or admin (code role_required)", body = crate::error::Problem, content_type = "application/problem+json"),
    (status = 422, description = "invalid_year (field year), invalid_tertial (field tertial) or unknown_principal (field principal)", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn tertial_xlsx(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<TertialParams>,
) -> Result<Xlsx, ApiError> {
    let r = report(&state, &user, &p).await?;
    let narrowed = r.principal.as_ref().map_or(String::new(), |p| format!("-{}", p.code));
    let mut book = Xlsx::new(format!("tertialrapport-{}-t{}{narrowed}.xlsx", r.tertial.year(), r.tertial.number()));
    book.cells("Kvalitet", quality_sheet(&r));
    book.cells("Ekonomi", economy_sheet(&r));
    book.cells("Utveckling", development_sheet(&r));
    Ok(book)
}
