//! The figures the council follows, as JSON or as CSV for Swedish Excel.
//!
//! Every figure answers `GET /api/v1/figures/<name>?from=YYYY-MM&to=YYYY-MM`
//! with JSON, and as CSV with `?format=csv` or at `<name>.csv`. The CSV is
//! what Swedish Excel opens with a double click: UTF-8 with a byte-order
//! mark, `;` between fields, a decimal comma (`95,51`), CRLF line ends,
//! Swedish column names, percentages as plain numbers (no `%`) so they
//! stay numbers, an empty cell where there is nothing to measure.
//!
//! The figures are one table (`Figure`); two generic handlers serve them,
//! and `doc` holds one `#[utoipa::path]` stub per route for the OpenAPI document.

use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::i18n::Lang;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use ramp_app::figures::{
    self as uc, Acceptance, DigitalOrdersFigure, LostDevicesFigure, MonthlyShare, PrescribingFigure,
    PurchasedPrescribed, Reliability, WorkOrderAges,
};
use ramp_app::AppError;
use ramp_domain::figures::channels::ChannelMonth;
use ramp_domain::figures::lost::{LostCount, LostRow};
use ramp_domain::figures::prescribing::{PrescribingMonth, SOON_DAYS};
use ramp_domain::figures::{reliability_label_sv, AgeBucket, MonthRange, NoticeProgress, Percent, ShareCell};
use ramp_domain::order::OrderChannel;
use ramp_domain::Term;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FigureParams {
    /// First month, `YYYY-MM` (default: six months before `to`).
    pub from: Option<String>,
    /// Last month, `YYYY-MM`, at most 36 months after `from` (default: the last complete month).
    pub to: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
    /// A principal's code (`region`, or a municipality's, e.g. `0186`): narrows delivery-reliability,
    /// reuse-rate, replacement-acceptance, digital-orders, lost-devices and cost-effective-prescribing to
    /// that principal (the ordering units', for lost devices the customer numbers', for answers the
    /// prescribers'); the other figures belong to no ordering unit and do not read it.
    pub principal: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParams {
    /// `json` (default) or `csv`.
    #[allow(dead_code)] // documents the query of the figures without a range; they read `FigureParams`
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    Xlsx,
}

fn format_of(s: Option<&str>) -> Result<Format, ApiError> {
    match s.map(str::trim).unwrap_or("") {
        "" | "json" => Ok(Format::Json),
        "csv" => Ok(Format::Csv),
        "xlsx" => Ok(Format::Xlsx),
        other => {
            Err(AppError::invalid("format", "invalid_format", format!("unknown format '{other}' (json, csv or xlsx)"))
                .into())
        }
    }
}

fn range_of(state: &AppState, p: &FigureParams) -> Result<MonthRange, ApiError> {
    Ok(uc::month_range(&state.app, p.from.as_deref(), p.to.as_deref())?)
}

/// The principal asked for (`principal=<code>`), checked to exist.
async fn principal_of(state: &AppState, p: &FigureParams) -> Result<Option<ramp_app::model::Principal>, ApiError> {
    Ok(uc::principal_filter(&state.app, p.principal.as_deref()).await?)
}

fn pct(p: Option<Percent>) -> Option<f64> {
    p.map(Percent::as_f64)
}

/// One month of a share.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShareDto {
    /// `YYYY-MM`.
    pub month: String,
    pub part: i64,
    pub whole: i64,
    /// `part / whole` in percent, two decimals; null when `whole` is 0.
    pub percent: Option<f64>,
}

impl From<&ShareCell> for ShareDto {
    fn from(c: &ShareCell) -> Self {
        ShareDto { month: c.month.to_string(), part: c.part, whole: c.whole, percent: pct(c.percent) }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReliabilityCellDto {
    /// `YYYY-MM`: the Stockholm month of delivery.
    pub month: String,
    /// Lines delivered in the month.
    pub delivered: i64,
    /// Of those, delivered on or before the promised date (Stockholm date).
    pub on_time: i64,
    /// Two decimals; null when nothing was delivered.
    pub percent: Option<f64>,
    pub meets_target: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReliabilityRowDto {
    /// The agreement area of the delivered articles' product area:
    /// `cooperation` ("Samarbetsavtal", personal assistive devices),
    /// `overenskommelsen` ("Överenskommelsen", devices for medical treatment)
    /// or `digital` (digital assistive devices).
    pub agreement: String,
    /// `stock_4`, `stock_7`, `order_17` or `acute`.
    pub lead_time_class: String,
    /// The seed's row label, e.g. "Samarbetsavtal - Leveranssäkerhet 7 dagars sortiment".
    pub label: String,
    /// 98 (acute: 100; the drug-adjacent 4-day assortment: 98).
    pub target_percent: f64,
    pub cells: Vec<ReliabilityCellDto>,
}

/// Delivery reliability per month × agreement area × lead-time class.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReliabilityDto {
    pub from: String,
    pub to: String,
    pub months: Vec<String>,
    pub rows: Vec<ReliabilityRowDto>,
    /// The principal's code the figure is narrowed to (the ordering units'); null: every principal.
    pub principal: Option<String>,
}

impl From<&Reliability> for ReliabilityDto {
    fn from(r: &Reliability) -> Self {
        ReliabilityDto {
            from: r.range.from.to_string(),
            to: r.range.to.to_string(),
            months: r.months.iter().map(ToString::to_string).collect(),
            rows: r
                .rows
                .iter()
                .map(|row| ReliabilityRowDto {
                    agreement: row.agreement.as_str().into(),
                    lead_time_class: row.class.as_str().into(),
                    label: reliability_label_sv(row.agreement, row.class),
                    target_percent: row.target.as_f64(),
                    cells: row
                        .cells
                        .iter()
                        .map(|c| ReliabilityCellDto {
                            month: c.month.to_string(),
                            delivered: c.whole,
                            on_time: c.part,
                            percent: pct(c.percent),
                            meets_target: row.meets_target(c),
                        })
                        .collect(),
                })
                .collect(),
            principal: r.principal.as_ref().map(|p| p.code.clone()),
        }
    }
}

/// Reuse rate: deliveries of a device reconditioned before (`part`) of deliveries of a device (`whole`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReuseDto {
    pub from: String,
    pub to: String,
    pub months: Vec<ShareDto>,
    /// The whole range (`month` is its last month).
    pub total: ShareDto,
    /// The principal's code the figure is narrowed to (the ordering units'); null: every principal.
    pub principal: Option<String>,
}

impl From<&MonthlyShare> for ReuseDto {
    fn from(r: &MonthlyShare) -> Self {
        ReuseDto {
            from: r.range.from.to_string(),
            to: r.range.to.to_string(),
            months: r.months.iter().map(ShareDto::from).collect(),
            total: ShareDto::from(&r.total),
            principal: r.principal.as_ref().map(|p| p.code.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceMonthDto {
    pub month: String,
    pub accepted: i64,
    pub declined: i64,
    /// Fixed groups substitute without asking: counted, not in the share.
    pub automatic: i64,
    /// accepted / (accepted + declined), two decimals; null without answers.
    pub percent: Option<f64>,
}

/// Replacement acceptance per month.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptanceDto {
    pub from: String,
    pub to: String,
    pub months: Vec<AcceptanceMonthDto>,
    pub total: AcceptanceMonthDto,
    /// Declined proposals over the whole range per reason (fixed list
    /// order, then those declined without a reason); reasons nobody gave are left out.
    pub decline_reasons: Vec<DeclineReasonDto>,
    /// The principal's code the figure is narrowed to (the answering prescribers'); null: every principal.
    pub principal: Option<String>,
}

/// How many declined proposals gave one reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeclineReasonDto {
    /// patient_needs | does_not_fit | accessories_do_not_fit | tried_out | environment | other; null: no reason given.
    pub reason: Option<String>,
    pub name_sv: String,
    pub name_en: String,
    pub count: i64,
}

impl From<&Acceptance> for AcceptanceDto {
    fn from(a: &Acceptance) -> Self {
        let m = |x: &ramp_domain::figures::AcceptanceMonth| AcceptanceMonthDto {
            month: x.share.month.to_string(),
            accepted: x.share.part,
            declined: x.declined,
            automatic: x.automatic,
            percent: pct(x.share.percent),
        };
        AcceptanceDto {
            from: a.range.from.to_string(),
            to: a.range.to.to_string(),
            months: a.months.iter().map(m).collect(),
            total: m(&a.total),
            decline_reasons: a
                .decline_reasons
                .iter()
                .map(|(r, n)| DeclineReasonDto {
                    reason: r.map(|r| r.as_str().to_string()),
                    name_sv: r.map_or("Inget skäl angivet", |r| r.name_sv()).into(),
                    name_en: r.map_or("No reason given", |r| r.name_en()).into(),
                    count: *n,
                })
                .collect(),
            principal: a.principal.as_ref().map(|p| p.code.clone()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuarterCellDto {
    /// `YYYY-Qn`.
    pub quarter: String,
    pub purchased: i64,
    pub prescribed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupQuartersDto {
    pub code: String,
    pub name: String,
    pub quarters: Vec<QuarterCellDto>,
    pub purchased: i64,
    pub prescribed: i64,
}

/// Purchased vs prescribed per fixed replacement group per quarter.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchasedPrescribedDto {
    /// The range asked for, widened to whole quarters.
    pub from: String,
    pub to: String,
    pub quarters: Vec<String>,
    /// Groups with purchases or prescriptions in the range, by code.
    pub groups: Vec<GroupQuartersDto>,
    /// All fixed groups together.
    pub totals: Vec<QuarterCellDto>,
}

impl From<&PurchasedPrescribed> for PurchasedPrescribedDto {
    fn from(p: &PurchasedPrescribed) -> Self {
        let cells = |cells: &[ramp_domain::figures::QuarterCell]| {
            p.quarters
                .iter()
                .zip(cells)
                .map(|(q, c)| QuarterCellDto {
                    quarter: q.to_string(),
                    purchased: c.purchased,
                    prescribed: c.prescribed,
                })
                .collect()
        };
        PurchasedPrescribedDto {
            from: p.range.from.to_string(),
            to: p.range.to.to_string(),
            quarters: p.quarters.iter().map(ToString::to_string).collect(),
            groups: p
                .groups
                .iter()
                .map(|g| GroupQuartersDto {
                    code: g.group.code.clone(),
                    name: g.group.name.clone(),
                    quarters: cells(&g.cells),
                    purchased: g.total.purchased,
                    prescribed: g.total.prescribed,
                })
                .collect(),
            totals: cells(&p.totals),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderAgeRowDto {
    /// `repair`, `maintenance`, `reconditioning`, `special_adaptation`, `recall`, `consultation`.
    pub kind: String,
    /// Open or in progress, created 0–7 days ago.
    pub days_0_7: i64,
    pub days_8_30: i64,
    pub days_31_90: i64,
    pub days_over_90: i64,
    pub total: i64,
}

/// Work orders open or in progress, by kind and age in days (Stockholm dates).
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderAgesDto {
    /// The day ages are counted to.
    pub today: String,
    pub rows: Vec<WorkOrderAgeRowDto>,
    pub total: WorkOrderAgeRowDto,
}

impl From<&WorkOrderAges> for WorkOrderAgesDto {
    fn from(w: &WorkOrderAges) -> Self {
        let row = |kind: &str, b: [i64; 4], total| WorkOrderAgeRowDto {
            kind: kind.into(),
            days_0_7: b[0],
            days_8_30: b[1],
            days_31_90: b[2],
            days_over_90: b[3],
            total,
        };
        WorkOrderAgesDto {
            today: w.today.to_string(),
            rows: w.rows.iter().map(|r| row(&r.kind, r.buckets, r.total)).collect(),
            total: row("all", w.totals, w.total),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeProgressDto {
    pub id: i64,
    pub reference: String,
    pub title: String,
    /// The Stockholm date the notice was registered.
    pub registered_on: String,
    /// Devices with a recall work order for the notice.
    pub affected: i64,
    /// Recalls done.
    pub handled: i64,
    /// Recalls open or in progress.
    pub remaining: i64,
    pub cancelled: i64,
    /// handled / affected, two decimals; null when no device was affected.
    pub handled_percent: Option<f64>,
    pub complete: bool,
}

impl From<&NoticeProgress> for NoticeProgressDto {
    fn from(n: &NoticeProgress) -> Self {
        NoticeProgressDto {
            id: n.id,
            reference: n.reference.clone(),
            title: n.title.clone(),
            registered_on: n.registered_on().to_string(),
            affected: n.affected,
            handled: n.handled,
            remaining: n.remaining,
            cancelled: n.cancelled(),
            handled_percent: pct(n.handled_share()),
            complete: n.is_complete(),
        }
    }
}

/// Orders of one channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelCountDto {
    /// portal | api | patient_1177 | hmc_staff
    pub channel: String,
    pub name_sv: String,
    pub name_en: String,
    pub orders: i64,
}

/// One month (or the whole range) of orders per channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelMonthDto {
    /// `YYYY-MM`: the Stockholm month the orders were placed (for the total, the range's last month).
    pub month: String,
    /// Orders placed, every channel.
    pub orders: i64,
    /// Of those, placed by the patient through 1177.
    pub digital: i64,
    /// digital / orders in percent, two decimals; null when no order was placed.
    pub digital_percent: Option<f64>,
    pub channels: Vec<ChannelCountDto>,
}

impl From<&ChannelMonth> for ChannelMonthDto {
    fn from(m: &ChannelMonth) -> Self {
        ChannelMonthDto {
            month: m.month.to_string(),
            orders: m.digital.whole,
            digital: m.digital.part,
            digital_percent: pct(m.digital.percent),
            channels: m
                .per_channel
                .iter()
                .map(|(c, n)| ChannelCountDto {
                    channel: c.as_str().into(),
                    name_sv: c.name_sv().into(),
                    name_en: c.name_en().into(),
                    orders: *n,
                })
                .collect(),
        }
    }
}

/// Share of digital orders: orders per Stockholm month and channel, and the share placed through 1177.
#[derive(Debug, Serialize, ToSchema)]
pub struct DigitalOrdersDto {
    pub from: String,
    pub to: String,
    /// The principal's code the figure is narrowed to (the ordering units'); null: every principal.
    pub principal: Option<String>,
    pub months: Vec<ChannelMonthDto>,
    pub total: ChannelMonthDto,
}

impl From<&DigitalOrdersFigure> for DigitalOrdersDto {
    fn from(d: &DigitalOrdersFigure) -> Self {
        DigitalOrdersDto {
            from: d.range.from.to_string(),
            to: d.range.to.to_string(),
            principal: d.principal.as_ref().map(|p| p.code.clone()),
            months: d.figure.months.iter().map(ChannelMonthDto::from).collect(),
            total: ChannelMonthDto::from(&d.figure.total),
        }
    }
}

/// Lost reports of one group: how many, how many charged, and their values (öre).
#[derive(Debug, Serialize, ToSchema)]
pub struct LostCountDto {
    pub reports: i64,
    /// Of those, with a chargeable value under the pilot's rules.
    pub charged: i64,
    /// What the centre paid for the lost devices.
    pub purchase_value_ore: i64,
    /// The residual value, at least 20 % (accessories 50 %), nothing below 1 000 kr or out of the assortment.
    pub chargeable_value_ore: i64,
}

impl From<&LostCount> for LostCountDto {
    fn from(c: &LostCount) -> Self {
        LostCountDto {
            reports: c.reports,
            charged: c.charged,
            purchase_value_ore: c.purchase_value.0,
            chargeable_value_ore: c.chargeable_value.0,
        }
    }
}

/// One ordering unit (customer number) or ISO 9999 class.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostRowDto {
    /// The customer number, or the two-digit ISO 9999 class.
    pub key: String,
    pub name: String,
    /// The principal the customer number belongs to (null for a class).
    pub principal: Option<String>,
    #[serde(flatten)]
    pub count: LostCountDto,
}

impl From<&LostRow> for LostRowDto {
    fn from(r: &LostRow) -> Self {
        LostRowDto {
            key: r.key.clone(),
            name: r.name.clone(),
            principal: Some(r.principal.clone()).filter(|p| !p.is_empty()),
            count: LostCountDto::from(&r.count),
        }
    }
}

/// One month of lost reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostMonthDto {
    /// `YYYY-MM`: the month of the report date.
    pub month: String,
    #[serde(flatten)]
    pub count: LostCountDto,
}

/// Lost devices per month, per ordering unit and per ISO 9999 class.
#[derive(Debug, Serialize, ToSchema)]
pub struct LostDevicesDto {
    pub from: String,
    pub to: String,
    /// The principal's code the figure is narrowed to (the customer numbers'); null: every principal.
    pub principal: Option<String>,
    pub months: Vec<LostMonthDto>,
    /// Most reports first.
    pub units: Vec<LostRowDto>,
    pub classes: Vec<LostRowDto>,
    pub total: LostCountDto,
}

impl From<&LostDevicesFigure> for LostDevicesDto {
    fn from(l: &LostDevicesFigure) -> Self {
        LostDevicesDto {
            from: l.range.from.to_string(),
            to: l.range.to.to_string(),
            principal: l.principal.as_ref().map(|p| p.code.clone()),
            months: l
                .figure
                .months
                .iter()
                .map(|(m, c)| LostMonthDto { month: m.to_string(), count: LostCountDto::from(c) })
                .collect(),
            units: l.figure.by_unit.iter().map(LostRowDto::from).collect(),
            classes: l.figure.by_class.iter().map(LostRowDto::from).collect(),
            total: LostCountDto::from(&l.figure.total),
        }
    }
}

/// One month of cost-effective prescribing.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrescribingMonthDto {
    /// `YYYY-MM` (for the total, the range's last month).
    pub month: String,
    /// Patient orders (not cancelled) whose evaluation date is in the month.
    pub evaluations_due: i64,
    /// Of those, with the evaluation date passed and a device of the order still lent to the patient.
    pub passed_still_lent: i64,
    /// Patient loans that ended in the month (not by a lost report).
    pub returned: i64,
    /// Of those, ended at most 30 days after they began.
    pub returned_soon: i64,
    /// returned_soon / returned in percent, two decimals; null when nothing was returned.
    pub returned_soon_percent: Option<f64>,
}

impl From<&PrescribingMonth> for PrescribingMonthDto {
    fn from(m: &PrescribingMonth) -> Self {
        PrescribingMonthDto {
            month: m.month.to_string(),
            evaluations_due: m.evaluations_due,
            passed_still_lent: m.passed_still_lent,
            returned: m.returned_soon.whole,
            returned_soon: m.returned_soon.part,
            returned_soon_percent: pct(m.returned_soon.percent),
        }
    }
}

/// Cost-effective prescribing per month: evaluations due, and devices returned soon after delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrescribingDto {
    pub from: String,
    pub to: String,
    /// The principal's code the figure is narrowed to; null: every principal.
    pub principal: Option<String>,
    /// The day "passed" is counted to.
    pub today: String,
    /// A loan that ended at most this many days after it began is returned soon.
    pub soon_days: i64,
    pub months: Vec<PrescribingMonthDto>,
    pub total: PrescribingMonthDto,
}

impl From<&PrescribingFigure> for PrescribingDto {
    fn from(p: &PrescribingFigure) -> Self {
        PrescribingDto {
            from: p.range.from.to_string(),
            to: p.range.to.to_string(),
            principal: p.principal.as_ref().map(|p| p.code.clone()),
            today: p.today.to_string(),
            soon_days: SOON_DAYS,
            months: p.figure.months.iter().map(PrescribingMonthDto::from).collect(),
            total: PrescribingMonthDto::from(&p.figure.total),
        }
    }
}

/// A table for Swedish Excel (see the module documentation): served as CSV,
/// or as XLSX through [`Csv::into_xlsx`].
pub struct Csv {
    rows: Vec<Vec<String>>,
    filename: String,
}

impl Csv {
    pub fn new(filename: String, header: &[&str]) -> Csv {
        let mut csv = Csv { rows: Vec::new(), filename };
        csv.row(header.iter().map(|s| s.to_string()));
        csv
    }

    pub fn row(&mut self, fields: impl IntoIterator<Item = String>) {
        self.rows.push(fields.into_iter().collect());
    }

    /// The CSV text: a field that would run as a formula is neutralised
    /// (`crate::cells`), one with a separator, quote or line break quoted.
    fn text(&self) -> String {
        let mut text = String::from("\u{feff}");
        for row in &self.rows {
            let quoted: Vec<String> = row
                .iter()
                .cloned()
                .map(crate::cells::neutralise)
                .map(|f| if f.contains([';', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f })
                .collect();
            text.push_str(&quoted.join(";"));
            text.push_str("\r\n");
        }
        text
    }

    /// The same table as an XLSX workbook.
    pub fn into_xlsx(self) -> crate::xlsx::Xlsx {
        let filename = match self.filename.strip_suffix(".csv") {
            Some(stem) => format!("{stem}.xlsx"),
            None => format!("{}.xlsx", self.filename),
        };
        let mut book = crate::xlsx::Xlsx::new(filename);
        book.sheet("Data", self.rows);
        book
    }
}

impl IntoResponse for Csv {
    fn into_response(self) -> Response {
        let mut resp = self.text().into_response();
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", self.filename)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        resp
    }
}

/// A percentage cell: `95,51`, or empty when there is nothing to measure.
fn pct_cell(p: Option<Percent>) -> String {
    p.map(Percent::number_sv).unwrap_or_default()
}

fn reliability_csv(r: &Reliability) -> Csv {
    let mut header = vec!["Leveranstyp".to_string(), "Mål".to_string()];
    header.extend(r.months.iter().map(ToString::to_string));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let name = format!("leveranssakerhet-{}-{}{}.csv", r.range.from, r.range.to, suffix(&r.principal));
    let mut csv = Csv::new(name, &header);
    for row in &r.rows {
        let mut fields = vec![reliability_label_sv(row.agreement, row.class), row.target.number_sv()];
        fields.extend(row.cells.iter().map(|c| pct_cell(c.percent)));
        csv.row(fields);
    }
    csv
}

fn reuse_csv(r: &MonthlyShare) -> Csv {
    let mut csv = Csv::new(
        format!("ateranvandning-{}-{}{}.csv", r.range.from, r.range.to, suffix(&r.principal)),
        &["Månad", "Leveranser av individer", "Varav rekonditionerade", "Återanvändningsgrad (%)"],
    );
    for c in &r.months {
        csv.row([c.month.to_string(), c.whole.to_string(), c.part.to_string(), pct_cell(c.percent)]);
    }
    csv.row(["Totalt".into(), r.total.whole.to_string(), r.total.part.to_string(), pct_cell(r.total.percent)]);
    csv
}

fn acceptance_csv(a: &Acceptance) -> Csv {
    let mut csv = Csv::new(
        format!("ersattningsval-{}-{}{}.csv", a.range.from, a.range.to, suffix(&a.principal)),
        &["Månad", "Accepterade", "Avböjda", "Automatiska (fast grupp)", "Acceptansgrad (%)"],
    );
    let mut row = |month: String, m: &ramp_domain::figures::AcceptanceMonth| {
        csv.row([
            month,
            m.share.part.to_string(),
            m.declined.to_string(),
            m.automatic.to_string(),
            pct_cell(m.share.percent),
        ]);
    };
    for m in &a.months {
        row(m.share.month.to_string(), m);
    }
    row("Totalt".into(), &a.total);
    csv
}

fn purchased_csv(p: &PurchasedPrescribed) -> Csv {
    let mut csv = Csv::new(
        format!("inkopta-forskrivna-{}-{}.csv", p.range.from.quarter(), p.range.to.quarter()),
        &["Ersättningsgrupp", "Benämning", "Kvartal", "Inköpta", "Förskrivna"],
    );
    for g in &p.groups {
        for (q, c) in p.quarters.iter().zip(&g.cells) {
            csv.row([
                g.group.code.clone(),
                g.group.name.clone(),
                q.label(),
                c.purchased.to_string(),
                c.prescribed.to_string(),
            ]);
        }
    }
    csv
}

fn work_orders_csv(w: &WorkOrderAges) -> Csv {
    let mut header = vec!["Typ"];
    header.extend(AgeBucket::ALL.iter().map(|b| b.label_sv()));
    header.push("Totalt");
    let mut csv = Csv::new(format!("oppna-arbetsordrar-{}.csv", w.today), &header);
    let mut row = |kind: String, b: [i64; 4], total: i64| {
        let mut fields = vec![kind];
        fields.extend(b.iter().map(ToString::to_string));
        fields.push(total.to_string());
        csv.row(fields);
    };
    for r in &w.rows {
        row(work_order_kind(Lang::Sv, &r.kind), r.buckets, r.total);
    }
    row("Totalt".into(), w.totals, w.total);
    csv
}

fn notices_csv(notices: &[NoticeProgress], today: chrono::NaiveDate) -> Csv {
    let mut csv = Csv::new(
        format!("sakerhetsmeddelanden-{today}.csv"),
        &["Referens", "Rubrik", "Registrerad", "Berörda hjälpmedel", "Åtgärdade", "Kvar", "Makulerade", "Åtgärdat (%)"],
    );
    for n in notices {
        csv.row([
            n.reference.clone(),
            n.title.clone(),
            n.registered_on().to_string(),
            n.affected.to_string(),
            n.handled.to_string(),
            n.remaining.to_string(),
            n.cancelled().to_string(),
            pct_cell(n.handled_share()),
        ]);
    }
    csv
}

/// `-0186` in a file name when a figure is narrowed to a principal: only
/// letters, digits and `-` from the code.
fn suffix(principal: &Option<ramp_app::model::Principal>) -> String {
    principal.as_ref().map_or(String::new(), |p| {
        format!("-{}", p.code.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>())
    })
}

fn digital_orders_csv(d: &DigitalOrdersFigure) -> Csv {
    let mut header = vec!["Månad", "Beställningar"];
    header.extend(OrderChannel::ALL.iter().map(|c| c.name_sv()));
    header.push("Andel digitala via 1177 (%)");
    let mut csv = Csv::new(
        format!("digitala-bestallningar-{}-{}{}.csv", d.range.from, d.range.to, suffix(&d.principal)),
        &header,
    );
    let mut row = |label: String, m: &ChannelMonth| {
        let mut fields = vec![label, m.digital.whole.to_string()];
        fields.extend(m.per_channel.iter().map(|(_, n)| n.to_string()));
        fields.push(pct_cell(m.digital.percent));
        csv.row(fields);
    };
    for m in &d.figure.months {
        row(m.month.to_string(), m);
    }
    row("Totalt".into(), &d.figure.total);
    csv
}

/// One row per ordering unit, then one per ISO class, then the total: the
/// first column says which breakdown a row belongs to.
fn lost_devices_csv(l: &LostDevicesFigure) -> Csv {
    let mut csv = Csv::new(
        format!("forkomna-hjalpmedel-{}-{}{}.csv", l.range.from, l.range.to, suffix(&l.principal)),
        &[
            "Indelning",
            "Kod",
            "Benämning",
            "Huvudman",
            "Anmälda",
            "Debiterbara",
            "Inköpsvärde (kr)",
            "Debiterbart värde (kr)",
        ],
    );
    let mut row = |group: &str, key: String, name: String, principal: String, c: &LostCount| {
        csv.row([
            group.to_string(),
            key,
            name,
            principal,
            c.reports.to_string(),
            c.charged.to_string(),
            super::economy::kr_cell(c.purchase_value.0),
            super::economy::kr_cell(c.chargeable_value.0),
        ]);
    };
    for r in &l.figure.by_unit {
        row("Kundnummer", r.key.clone(), r.name.clone(), r.principal.clone(), &r.count);
    }
    for r in &l.figure.by_class {
        row("ISO-klass", r.key.clone(), r.name.clone(), String::new(), &r.count);
    }
    row("Totalt", String::new(), String::new(), String::new(), &l.figure.total);
    csv
}

fn prescribing_csv(p: &PrescribingFigure) -> Csv {
    let mut csv = Csv::new(
        format!("kostnadseffektiv-forskrivning-{}-{}{}.csv", p.range.from, p.range.to, suffix(&p.principal)),
        &[
            "Månad",
            "Uppföljningar att göra",
            "Datum passerat, hjälpmedlet kvar hos patienten",
            "Återlämnade",
            "Varav inom 30 dagar",
            "Andel inom 30 dagar (%)",
        ],
    );
    let mut row = |label: String, m: &PrescribingMonth| {
        csv.row([
            label,
            m.evaluations_due.to_string(),
            m.passed_still_lent.to_string(),
            m.returned_soon.whole.to_string(),
            m.returned_soon.part.to_string(),
            pct_cell(m.returned_soon.percent),
        ]);
    };
    for m in &p.figure.months {
        row(m.month.to_string(), m);
    }
    row("Totalt".into(), &p.figure.total);
    csv
}

/// A work-order kind's name in `lang`; an unknown kind as stored.
pub(crate) fn work_order_kind(lang: Lang, kind: &str) -> String {
    match lang.t(&format!("figures.kind.{kind}")) {
        "[?]" => kind.to_string(),
        name => name.to_string(),
    }
}

/// The figures, each served at `/api/v1/figures/<slug>` (JSON, or CSV with
/// `?format=csv`) and at `/api/v1/figures/<slug>.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    DeliveryReliability,
    ReuseRate,
    ReplacementAcceptance,
    PurchasedVsPrescribed,
    OpenWorkOrders,
    SafetyNotices,
    DigitalOrders,
    LostDevices,
    CostEffectivePrescribing,
}

impl Figure {
    pub const ALL: [Figure; 9] = [
        Figure::DeliveryReliability,
        Figure::ReuseRate,
        Figure::ReplacementAcceptance,
        Figure::PurchasedVsPrescribed,
        Figure::OpenWorkOrders,
        Figure::SafetyNotices,
        Figure::DigitalOrders,
        Figure::LostDevices,
        Figure::CostEffectivePrescribing,
    ];

    /// The last segment of the figure's path.
    pub fn slug(self) -> &'static str {
        match self {
            Figure::DeliveryReliability => "delivery-reliability",
            Figure::ReuseRate => "reuse-rate",
            Figure::ReplacementAcceptance => "replacement-acceptance",
            Figure::PurchasedVsPrescribed => "purchased-vs-prescribed",
            Figure::OpenWorkOrders => "open-work-orders",
            Figure::SafetyNotices => "safety-notices",
            Figure::DigitalOrders => "digital-orders",
            Figure::LostDevices => "lost-devices",
            Figure::CostEffectivePrescribing => "cost-effective-prescribing",
        }
    }
}

fn answer<T>(format: Format, value: &T, json: impl FnOnce(&T) -> Response, csv: impl FnOnce(&T) -> Csv) -> Response {
    match format {
        Format::Json => json(value),
        Format::Csv => csv(value).into_response(),
        Format::Xlsx => csv(value).into_xlsx().into_response(),
    }
}

/// Computes `figure` and answers in `format`; only the monthly figures read `from` and `to`.
async fn figure_response(
    state: &AppState,
    user: &ApiUser,
    figure: Figure,
    p: &FigureParams,
    format: Format,
) -> Result<Response, ApiError> {
    let (app, user) = (&state.app, &user.0);
    Ok(match figure {
        Figure::DeliveryReliability => {
            let r = uc::delivery_reliability(app, user, range_of(state, p)?, principal_of(state, p).await?).await?;
            answer(format, &r, |r| Json(ReliabilityDto::from(r)).into_response(), reliability_csv)
        }
        Figure::ReuseRate => {
            let r = uc::reuse_rate(app, user, range_of(state, p)?, principal_of(state, p).await?).await?;
            answer(format, &r, |r| Json(ReuseDto::from(r)).into_response(), reuse_csv)
        }
        Figure::ReplacementAcceptance => {
            let a = uc::replacement_acceptance(app, user, range_of(state, p)?, principal_of(state, p).await?).await?;
            answer(format, &a, |a| Json(AcceptanceDto::from(a)).into_response(), acceptance_csv)
        }
        Figure::PurchasedVsPrescribed => {
            let r = uc::purchased_vs_prescribed(app, user, range_of(state, p)?).await?;
            answer(format, &r, |r| Json(PurchasedPrescribedDto::from(r)).into_response(), purchased_csv)
        }
        Figure::OpenWorkOrders => {
            let w = uc::open_work_orders(app, user).await?;
            answer(format, &w, |w| Json(WorkOrderAgesDto::from(w)).into_response(), work_orders_csv)
        }
        Figure::SafetyNotices => {
            let notices = uc::safety_notices(app, user).await?;
            let today = app.today();
            let json = |n: &Vec<NoticeProgress>| {
                Json(n.iter().map(NoticeProgressDto::from).collect::<Vec<_>>()).into_response()
            };
            answer(format, &notices, json, |n| notices_csv(n, today))
        }
        Figure::DigitalOrders => {
            let d = uc::digital_orders(app, user, range_of(state, p)?, principal_of(state, p).await?).await?;
            answer(format, &d, |d| Json(DigitalOrdersDto::from(d)).into_response(), digital_orders_csv)
        }
        Figure::LostDevices => {
            let l = uc::lost_devices(app, user, range_of(state, p)?, principal_of(state, p).await?).await?;
            answer(format, &l, |l| Json(LostDevicesDto::from(l)).into_response(), lost_devices_csv)
        }
        Figure::CostEffectivePrescribing => {
            let (range, principal) = (range_of(state, p)?, principal_of(state, p).await?);
            let r = uc::cost_effective_prescribing(app, user, range, principal).await?;
            answer(format, &r, |r| Json(PrescribingDto::from(r)).into_response(), prescribing_csv)
        }
    })
}

/// `GET /api/v1/figures/<slug>`: JSON, or CSV with `?format=csv`.
async fn json_or_csv(state: AppState, user: ApiUser, p: FigureParams, figure: Figure) -> Result<Response, ApiError> {
    let format = format_of(p.format.as_deref())?;
    figure_response(&state, &user, figure, &p, format).await
}

/// `GET /api/v1/figures/<slug>.csv` and `.xlsx`.
async fn file(
    state: AppState,
    user: ApiUser,
    p: FigureParams,
    figure: Figure,
    format: Format,
) -> Result<Response, ApiError> {
    figure_response(&state, &user, figure, &p, format).await
}

/// The three routes of every figure (JSON, CSV, XLSX).
pub fn routes() -> Router<AppState> {
    Figure::ALL.into_iter().fold(Router::new(), |router, figure| {
        let slug = figure.slug();
        router
            .route(
                &format!("/api/v1/figures/{slug}"),
                get(move |State(s): State<AppState>, u: ApiUser, Query(p): Query<FigureParams>| {
                    json_or_csv(s, u, p, figure)
                }),
            )
            .route(
                &format!("/api/v1/figures/{slug}.csv"),
                get(move |State(s): State<AppState>, u: ApiUser, Query(p): Query<FigureParams>| {
                    file(s, u, p, figure, Format::Csv)
                }),
            )
            .route(
                &format!("/api/v1/figures/{slug}.xlsx"),
                get(move |State(s): State<AppState>, u: ApiUser, Query(p): Query<FigureParams>| {
                    file(s, u, p, figure, Format::Xlsx)
                }),
            )
    })
}

/// The OpenAPI entries of the routes above: documentation only, never called.
#[allow(dead_code)]
pub(crate) mod doc {
    use super::*;

    /// Delivery reliability per month × agreement × lead-time class, against targets.
    ///
    /// A line delivered in month M counts for M (Stockholm time); it is on time when its Stockholm
    /// delivery date is on or before its promised date. Payer municipality: the cooperation agreement
    /// ("Samarbetsavtal"); payer region: "Överenskommelsen"; lines the patient pays are not counted.
    #[utoipa::path(get, path = "/api/v1/figures/delivery-reliability", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the seed's table: six rows, one cell per month", content((ReliabilityDto = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "from, to or format invalid (the field is named)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn delivery_reliability() {}

    /// Delivery reliability as CSV for Swedish Excel (`;`, decimal comma, UTF-8 with BOM).
    #[utoipa::path(get, path = "/api/v1/figures/delivery-reliability.csv", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Leveranstyp;Mål;YYYY-MM;…", body = String, content_type = "text/csv"),
        (status = 422, description = "from or to invalid", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn delivery_reliability_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/delivery-reliability.xlsx", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 422, description = "from or to invalid", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn delivery_reliability_xlsx() {}

    /// Reuse rate per month: the share of device deliveries served by a device reconditioned before the delivery.
    #[utoipa::path(get, path = "/api/v1/figures/reuse-rate", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "per month and in total", content((ReuseDto = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "from, to or format invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn reuse_rate() {}

    /// Reuse rate as CSV.
    #[utoipa::path(get, path = "/api/v1/figures/reuse-rate.csv", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Månad;Leveranser av individer;Varav rekonditionerade;Återanvändningsgrad (%)", body = String, content_type = "text/csv"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn reuse_rate_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/reuse-rate.xlsx", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn reuse_rate_xlsx() {}

    /// Replacement acceptance per month: accepted / (accepted + declined) proposals of ordinary replacement groups.
    #[utoipa::path(get, path = "/api/v1/figures/replacement-acceptance", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "per month and in total", content((AcceptanceDto = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "from, to or format invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn replacement_acceptance() {}

    /// Replacement acceptance as CSV.
    #[utoipa::path(get, path = "/api/v1/figures/replacement-acceptance.csv", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Månad;Accepterade;Avböjda;Automatiska (fast grupp);Acceptansgrad (%)", body = String, content_type = "text/csv"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn replacement_acceptance_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/replacement-acceptance.xlsx", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn replacement_acceptance_xlsx() {}

    /// Purchased vs prescribed per fixed replacement group per quarter (the range widened to whole quarters).
    ///
    /// Purchased: devices of the group's articles by purchase date. Prescribed: order lines (not
    /// cancelled) whose requested article is in the group, by the order's Stockholm date.
    #[utoipa::path(get, path = "/api/v1/figures/purchased-vs-prescribed", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "per group and quarter", content((PurchasedPrescribedDto = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "from, to or format invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn purchased_vs_prescribed() {}

    /// Purchased vs prescribed as CSV, one row per group and quarter.
    #[utoipa::path(get, path = "/api/v1/figures/purchased-vs-prescribed.csv", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Ersättningsgrupp;Benämning;Kvartal;Inköpta;Förskrivna", body = String, content_type = "text/csv"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn purchased_vs_prescribed_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/purchased-vs-prescribed.xlsx", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn purchased_vs_prescribed_xlsx() {}

    /// Work orders open or in progress, by kind and age: 0–7, 8–30, 31–90 and over 90 days.
    #[utoipa::path(get, path = "/api/v1/figures/open-work-orders", tag = "figures", params(FormatParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "one row per kind", content((WorkOrderAgesDto = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "format invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn open_work_orders() {}

    /// Open work orders as CSV.
    #[utoipa::path(get, path = "/api/v1/figures/open-work-orders.csv", tag = "figures", security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Typ;0–7 dagar;8–30 dagar;31–90 dagar;över 90 dagar;Totalt", body = String, content_type = "text/csv"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn open_work_orders_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/open-work-orders.xlsx", tag = "figures", security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn open_work_orders_xlsx() {}

    /// Safety-notice progress: per notice, the devices affected, handled (recall work order done) and remaining.
    #[utoipa::path(get, path = "/api/v1/figures/safety-notices", tag = "figures", params(FormatParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "every notice, newest first", content((Vec<NoticeProgressDto> = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "format invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn safety_notices() {}

    /// Safety-notice progress as CSV.
    #[utoipa::path(get, path = "/api/v1/figures/safety-notices.csv", tag = "figures", security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Referens;Rubrik;Registrerad;Berörda hjälpmedel;Åtgärdade;Kvar;Makulerade;Åtgärdat (%)", body = String, content_type = "text/csv"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn safety_notices_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/safety-notices.xlsx", tag = "figures", security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn safety_notices_xlsx() {}

    /// Share of digital orders per Stockholm month: orders placed per channel (portal, API, the patient
    /// through 1177, the centre's staff) and the share the patients placed through 1177.
    ///
    /// Every order placed in the month counts (cancelled ones too); seed 003: "När det gäller andelen
    /// digitala beställningar via 1177 ses en ökning på totalen från 20 % till 25 %".
    #[utoipa::path(get, path = "/api/v1/figures/digital-orders", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "per month and in total", content((DigitalOrdersDto = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "from, to, format or principal (unknown_principal) invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn digital_orders() {}

    /// Share of digital orders as CSV.
    #[utoipa::path(get, path = "/api/v1/figures/digital-orders.csv", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Månad;Beställningar;<one column per channel>;Andel digitala via 1177 (%)", body = String, content_type = "text/csv"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn digital_orders_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/digital-orders.xlsx", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn digital_orders_xlsx() {}

    /// Lost devices per month, per ordering unit (the customer number the device was lent on) and per
    /// ISO 9999 class: reports, those with a chargeable value, the purchase value and the chargeable value.
    ///
    /// Seed 004 (the lost-device pilot): "För att tydligare kunna återrapportera hur mycket svinn som
    /// rapporteras av olika vårdgivare och till vilket värde". A report counts in the month of its report date.
    #[utoipa::path(get, path = "/api/v1/figures/lost-devices", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "per month, unit and class, and in total", content((LostDevicesDto = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "from, to, format or principal (unknown_principal) invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn lost_devices() {}

    /// Lost devices as CSV: one row per unit, then per ISO class, then the total.
    #[utoipa::path(get, path = "/api/v1/figures/lost-devices.csv", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Indelning;Kod;Benämning;Huvudman;Anmälda;Debiterbara;Inköpsvärde (kr);Debiterbart värde (kr)", body = String, content_type = "text/csv"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn lost_devices_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/lost-devices.xlsx", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn lost_devices_xlsx() {}

    /// Cost-effective prescribing per month: patient orders whose evaluation date falls in the month
    /// (and of those, passed with a device still lent to the patient), and patient loans that ended in
    /// the month, of which at most 30 days after they began ("returned soon after delivery").
    ///
    /// Seed 003: "utvärdera och följa upp förskrivningen, utifrån målet med förskrivningen". Ramp records
    /// no evaluation outcome and no use of a device; loans ended by a lost report are not returns.
    #[utoipa::path(get, path = "/api/v1/figures/cost-effective-prescribing", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "per month and in total", content((PrescribingDto = "application/json"), (String = "text/csv"))),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "from, to, format or principal (unknown_principal) invalid", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn cost_effective_prescribing() {}

    /// Cost-effective prescribing as CSV.
    #[utoipa::path(get, path = "/api/v1/figures/cost-effective-prescribing.csv", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "Månad;Uppföljningar att göra;Datum passerat, hjälpmedlet kvar hos patienten;Återlämnade;Varav inom 30 dagar;Andel inom 30 dagar (%)", body = String, content_type = "text/csv"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn cost_effective_prescribing_csv() {}

    /// The same figure as an XLSX workbook.
    #[utoipa::path(get, path = "/api/v1/figures/cost-effective-prescribing.xlsx", tag = "figures", params(FigureParams), security(("token" = []), ("session" = [])), responses(
        (status = 200, description = "the same table as an XLSX workbook (numbers as numbers)", body = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "not HMC staff, finance or admin", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid_month, month_range_reversed, month_range_too_long (field from or to)", body = crate::error::Problem, content_type = "application/problem+json")))]
    fn cost_effective_prescribing_xlsx() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_separators_or_quotes_are_quoted_and_lines_end_in_crlf() {
        let mut csv = Csv::new("x.csv".into(), &["Månad", "Värde"]);
        csv.row(["a;b".to_string(), "sa \"hej\"".to_string()]);
        assert_eq!(csv.text(), "\u{feff}Månad;Värde\r\n\"a;b\";\"sa \"\"hej\"\"\"\r\n");
    }

    #[test]
    fn csv_fields_that_would_run_as_formulas_are_neutralised_and_numbers_kept() {
        let mut csv = Csv::new("x.csv".into(), &["Rubrik", "Belopp"]);
        csv.row(["=1+2;x".to_string(), "-1234,50".to_string()]);
        assert_eq!(csv.text(), "\u{feff}Rubrik;Belopp\r\n\"'=1+2;x\";-1234,50\r\n");
    }
}
