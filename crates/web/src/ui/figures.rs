//! "Nyckeltal": the figures the council follows, for HMC staff, as charts
//! with a table of the same numbers beside each, and CSV downloads (the
//! API's `.csv` endpoints, which accept the session cookie for GET).

pub(crate) mod chart;
pub(crate) mod tertial;

use super::page::{error_page, render, Page};
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
use ramp_app::ErrorKind;
use ramp_domain::figures::{
    reliability_label_en, reliability_label_sv, AgeBucket, Month, Percent, ReliabilityRow, ShareCell,
};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "figures.html")]
struct FiguresTemplate {
    page: Page,
    from: String,
    to: String,
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
}

#[derive(Deserialize)]
pub struct FigureParams {
    from: Option<String>,
    to: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    Query(p): Query<FigureParams>,
) -> Response {
    let mut page = Page::new(lang, "figures.title", Some(&user), &csrf, "figures");
    let (from, to) = (p.from.unwrap_or_default(), p.to.unwrap_or_default());
    let range = match ramp_app::figures::month_range(&state.app, Some(&from), Some(&to)) {
        Ok(r) => r,
        Err(e) => {
            page.add_error(&e);
            return render(&FiguresTemplate { page, from, to, figures: None }, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    match ramp_app::figures::overview(&state.app, &user, range).await {
        Ok(o) => {
            let (from, to) = (range.from.to_string(), range.to.to_string());
            let figures = Some(View::new(lang, o, format!("from={from}&to={to}")));
            render(&FiguresTemplate { page, from, to, figures }, StatusCode::OK)
        }
        Err(e) if e.kind == ErrorKind::Invalid => {
            page.add_error(&e);
            render(&FiguresTemplate { page, from, to, figures: None }, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => error_page(lang, e),
    }
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
        View {
            o,
            query,
            reliability_chart,
            reuse_chart,
            acceptance_chart,
            purchased_chart,
            work_order_chart,
            notice_chart,
        }
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
}
