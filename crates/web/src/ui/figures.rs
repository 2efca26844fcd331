//! "Nyckeltal": the figures the council follows, for HMC staff, as charts
//! with a table of the same numbers beside each, and CSV downloads (the
//! API's `.csv` endpoints, which accept the session cookie for GET).

pub(crate) mod chart;
pub(crate) mod tertial;

use super::page::{error_page, render, url_encode, Page};
use crate::api::figures::work_order_kind;
use crate::extract::{CsrfToken, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chart::{Chart, Series};
use ramp_app::figures::Overview;
use ramp_app::model::Principal;
use ramp_app::ErrorKind;
use ramp_domain::figures::{
    reliability_label_en, reliability_label_sv, AgeBucket, Month, Percent, ReliabilityRow, ShareCell,
};
use ramp_domain::order::OrderChannel;
use ramp_domain::Term;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresTemplate {
    page: Page,
    from: String,
    to: String,
    /// The principal's code chosen ("" for every principal).
    principal: String,
    principals: Vec<Principal>,
    figures: Option<View>,
}

/// The figures with their charts, ready for the template.
struct View {
    o: Overview,
    /// `from=…&to=…` for the CSV links.
    query: String,
    reliability_chart: Chart,
    reuse_chart: Chart,
    acceptance_chart: Chart,
    purchased_chart: Chart,
    work_order_chart: Chart,
    notice_chart: Chart,
    digital_chart: Chart,
    lost_chart: Chart,
    prescribing_chart: Chart,
}

#[derive(Deserialize)]
pub struct FigureParams {
    from: Option<String>,
    to: Option<String>,
    principal: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<FigureParams>,
) -> Response {
    let page = Page::new(lang, "figures.title", Some(&user), &csrf, "figures");
    let principals = match ramp_app::figures::principals(&state.app, &user).await {
        Ok(list) => list,
        Err(e) => return error_page(lang, e),
    };
    let (from, to, principal) = (p.from.unwrap_or_default(), p.to.unwrap_or_default(), p.principal.unwrap_or_default());
    let mut t = FiguresTemplate { page, from, to, principal, principals, figures: None };
    match figures_for(&state, &user, lang, &t.from, &t.to, &t.principal).await {
        Ok(view) => {
            (t.from, t.to) = (view.o.range.from.to_string(), view.o.range.to.to_string());
            t.figures = Some(view);
            render(&t, StatusCode::OK)
        }
        Err(e) if e.kind == ErrorKind::Invalid => {
            t.page.add_error(&e);
            render(&t, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => error_page(lang, e),
    }
}

/// The figures for the months and principal as typed.
async fn figures_for(
    state: &AppState,
    user: &ramp_app::model::User,
    lang: Lang,
    from: &str,
    to: &str,
    principal: &str,
) -> Result<View, ramp_app::AppError> {
    let range = ramp_app::figures::month_range(&state.app, Some(from), Some(to))?;
    let principal = ramp_app::figures::principal_filter(&state.app, Some(principal)).await?;
    let narrowed = principal.as_ref().map_or(String::new(), |p| format!("&principal={}", url_encode(&p.code)));
    let query = format!("from={}&to={}{narrowed}", range.from, range.to);
    let o = ramp_app::figures::overview(&state.app, user, range, principal).await?;
    Ok(View::new(lang, o, query))
}

fn month_label(lang: Lang, m: &Month) -> String {
    match lang {
        Lang::Sv => m.label_sv(),
        Lang::En => m.label_en(),
    }
}

fn span(lang: Lang, o: &Overview) -> String {
    format!("{}–{}", month_label(lang, &o.range.from), month_label(lang, &o.range.to))
}

fn pct_value(c: &ShareCell) -> Option<f64> {
    c.percent.map(Percent::as_f64)
}

impl View {
    fn new(lang: Lang, o: Overview, query: String) -> View {
        let t = |k: &str| lang.t(k);
        let months: Vec<String> = o.range.months().iter().map(|m| month_label(lang, m)).collect();
        let what = |key: &str| format!("{}, {}. {}", t(key), span(lang, &o), t("figures.chart_note"));

        let reliability_series: Vec<Series> = o
            .reliability
            .rows
            .iter()
            .map(|r| Series { name: row_label(lang, r), values: r.cells.iter().map(pct_value).collect() })
            .collect();
        let reliability_chart = Chart::percent_lines(
            "chart-reliability",
            what("figures.reliability.title"),
            &months,
            &reliability_series,
            &[
                (98.0, format!("{} 98 %", t("figures.target"))),
                (100.0, format!("{} 100 % ({})", t("figures.target"), t("figures.acute"))),
            ],
        );
        let share = |name: &str, cells: Vec<Option<f64>>| vec![Series { name: name.into(), values: cells }];
        let reuse_chart = Chart::bars(
            "chart-reuse",
            what("figures.reuse.title"),
            &months,
            &share(t("figures.reuse.rate"), o.reuse.months.iter().map(pct_value).collect()),
            false,
            true,
        );
        let acceptance_chart = Chart::bars(
            "chart-acceptance",
            what("figures.acceptance.title"),
            &months,
            &share(t("figures.acceptance.rate"), o.acceptance.months.iter().map(|m| pct_value(&m.share)).collect()),
            false,
            true,
        );
        let quarters: Vec<String> = o.purchased.quarters.iter().map(|q| q.label()).collect();
        let count = |v: i64| Some(v as f64);
        let purchased_chart = Chart::bars(
            "chart-purchased",
            format!(
                "{}, {}–{}. {}",
                t("figures.purchased.title"),
                quarters.first().cloned().unwrap_or_default(),
                quarters.last().cloned().unwrap_or_default(),
                t("figures.chart_note")
            ),
            &quarters,
            &[
                Series {
                    name: t("figures.purchased.purchased").into(),
                    values: o.purchased.totals.iter().map(|c| count(c.purchased)).collect(),
                },
                Series {
                    name: t("figures.purchased.prescribed").into(),
                    values: o.purchased.totals.iter().map(|c| count(c.prescribed)).collect(),
                },
            ],
            false,
            false,
        );
        let kinds: Vec<String> = o.work_orders.rows.iter().map(|r| work_order_kind(lang, &r.kind)).collect();
        let work_order_chart = Chart::bars(
            "chart-work-orders",
            format!("{}. {}", t("figures.work_orders.title"), t("figures.chart_note")),
            &kinds,
            &AgeBucket::ALL
                .iter()
                .map(|b| Series {
                    name: age_label(lang, *b).into(),
                    values: o.work_orders.rows.iter().map(|r| count(r.buckets[b.index()])).collect(),
                })
                .collect::<Vec<_>>(),
            true,
            false,
        );
        let notices: Vec<String> = o.safety_notices.iter().map(|n| n.reference.clone()).collect();
        let notice_chart = Chart::bars(
            "chart-notices",
            format!("{}. {}", t("figures.notices.title"), t("figures.chart_note")),
            &notices,
            &[
                Series {
                    name: t("figures.notices.handled").into(),
                    values: o.safety_notices.iter().map(|n| count(n.handled)).collect(),
                },
                Series {
                    name: t("figures.notices.remaining").into(),
                    values: o.safety_notices.iter().map(|n| count(n.remaining)).collect(),
                },
            ],
            true,
            false,
        );
        let digital_chart = digital_chart(lang, &o, &months, what("figures.digital.title"));
        let lost_chart = lost_chart(lang, &o, what("figures.lost.title"));
        let prescribing_chart = prescribing_chart(lang, &o, &months, what("figures.prescribing.title"));
        View {
            o,
            query,
            reliability_chart,
            reuse_chart,
            acceptance_chart,
            purchased_chart,
            work_order_chart,
            notice_chart,
            digital_chart,
            lost_chart,
            prescribing_chart,
        }
    }
}

/// Per month: evaluations due, those passed with the device still lent, and devices returned soon.
fn prescribing_chart(lang: Lang, o: &Overview, months: &[String], label: String) -> Chart {
    let m = &o.prescribing.figure.months;
    let count = |f: fn(&ramp_domain::figures::prescribing::PrescribingMonth) -> i64| {
        m.iter().map(|x| Some(f(x) as f64)).collect::<Vec<_>>()
    };
    let series = [
        Series { name: lang.t("figures.prescribing.due").into(), values: count(|x| x.evaluations_due) },
        Series { name: lang.t("figures.prescribing.passed").into(), values: count(|x| x.passed_still_lent) },
        Series { name: lang.t("figures.prescribing.returned_soon").into(), values: count(|x| x.returned_soon.part) },
    ];
    Chart::bars("chart-prescribing", label, months, &series, false, false)
}

/// Lost reports per ISO class: all reported, and those with a chargeable value.
fn lost_chart(lang: Lang, o: &Overview, label: String) -> Chart {
    let classes = &o.lost_devices.figure.by_class;
    let names: Vec<String> = classes.iter().map(|r| r.key.clone()).collect();
    let series = [
        Series {
            name: lang.t("figures.lost.reports").into(),
            values: classes.iter().map(|r| Some(r.count.reports as f64)).collect(),
        },
        Series {
            name: lang.t("figures.lost.charged").into(),
            values: classes.iter().map(|r| Some(r.count.charged as f64)).collect(),
        },
    ];
    Chart::bars("chart-lost", label, &names, &series, false, false)
}

/// Each channel's share of the month's orders, stacked to 100 %: the 1177
/// share is the first bar from the bottom.
fn digital_chart(lang: Lang, o: &Overview, months: &[String], label: String) -> Chart {
    let series: Vec<Series> = OrderChannel::ALL
        .iter()
        .map(|c| Series {
            name: format!("{}, {}", channel_name(lang, *c), lang.t("figures.digital.chart_series")),
            values: o
                .digital_orders
                .figure
                .months
                .iter()
                .map(|m| Percent::of(m.count(*c), m.digital.whole).map(Percent::as_f64))
                .collect(),
        })
        .collect();
    let mut ordered: Vec<Series> = Vec::with_capacity(series.len());
    let (digital, rest): (Vec<_>, Vec<_>) = OrderChannel::ALL.iter().zip(series).partition(|(c, _)| c.is_digital());
    ordered.extend(digital.into_iter().chain(rest).map(|(_, s)| s));
    Chart::bars("chart-digital", label, months, &ordered, true, true)
}

fn channel_name(lang: Lang, c: OrderChannel) -> &'static str {
    match lang {
        Lang::Sv => c.name_sv(),
        Lang::En => c.name_en(),
    }
}

fn row_label(lang: Lang, r: &ReliabilityRow) -> String {
    match lang {
        Lang::Sv => reliability_label_sv(r.agreement, r.class),
        Lang::En => reliability_label_en(r.agreement, r.class),
    }
}

fn age_label(lang: Lang, b: AgeBucket) -> &'static str {
    match lang {
        Lang::Sv => b.label_sv(),
        Lang::En => b.label_en(),
    }
}

/// Helpers the template calls.
impl FiguresTemplate {
    fn month(&self, m: &Month) -> String {
        month_label(self.page.lang, m)
    }

    fn pct(&self, p: &Option<Percent>) -> String {
        match (p, self.page.lang) {
            (None, _) => "–".into(),
            (Some(p), Lang::Sv) => format!("{} %", p.number_sv()),
            (Some(p), Lang::En) => format!("{} %", p.number_en()),
        }
    }

    /// A decline reason's name; `None` is "no reason given".
    fn decline_reason(&self, r: &Option<ramp_domain::product::DeclineReason>) -> &'static str {
        match (r, self.page.lang) {
            (None, _) => self.page.t("figures.acceptance.reason_none"),
            (Some(r), Lang::Sv) => r.name_sv(),
            (Some(r), Lang::En) => r.name_en(),
        }
    }

    fn target(&self, r: &ReliabilityRow) -> String {
        self.pct(&Some(r.target))
    }

    fn below(&self, r: &ReliabilityRow, c: &ShareCell) -> bool {
        r.meets_target(c) == Some(false)
    }

    fn row_label(&self, r: &ReliabilityRow) -> String {
        row_label(self.page.lang, r)
    }

    fn kind(&self, kind: &str) -> String {
        work_order_kind(self.page.lang, kind)
    }

    fn age(&self, b: &AgeBucket) -> &'static str {
        age_label(self.page.lang, *b)
    }

    fn ages(&self) -> [AgeBucket; 4] {
        AgeBucket::ALL
    }

    fn channel(&self, c: &OrderChannel) -> &'static str {
        channel_name(self.page.lang, *c)
    }

    /// An ISO 9999 class's name in the page's language.
    fn iso_class(&self, class: &str) -> &'static str {
        match self.page.lang {
            Lang::Sv => ramp_domain::figures::lost::iso_class_name_sv(class),
            Lang::En => ramp_domain::figures::lost::iso_class_name_en(class),
        }
    }

    fn kr(&self, ore: &ramp_domain::money::Ore) -> String {
        ore.format_sv()
    }

    /// " Huvudman: Lidingö stad." after a narrowed figure's period; empty otherwise.
    fn narrowed(&self, principal: &Option<Principal>) -> String {
        principal.as_ref().map_or(String::new(), |p| format!(" {}: {}.", self.page.t("figures.principal"), p.name))
    }

    fn channels(&self) -> &'static [OrderChannel] {
        OrderChannel::ALL
    }

    /// "nov 2025–apr 2026": the period beside a figure.
    fn period(&self, range: &ramp_domain::figures::MonthRange) -> String {
        format!("{}–{}", self.month(&range.from), self.month(&range.to))
    }
}
