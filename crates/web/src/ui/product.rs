//! The product page (`/catalog/articles/{id}`): picture, facts, technical
//! data, handbook text, prescribing requirements, the replacement group's
//! equivalents side by side and, with a patient in view, who would pay.
//! The page is a GET without a patient; with one it is a POST, so the
//! personal identity number travels in the body, never in the URL. The
//! comparison table ([`CompareView`], `product_compare.html`) is shared
//! with the order preview's replacement proposal.

use super::page::{message, render, Page};
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use ramp_app::orders::PayerAnswer;
use ramp_app::product::{Compared, Comparison, PatientRef, ProductPage};
use ramp_domain::article::Billing;
use ramp_domain::product::TechRow;
use ramp_domain::setting::Setting;
use ramp_domain::Term;

/// One article's column in a comparison.
pub struct ColumnView {
    pub name: String,
    pub article_number: String,
    pub href: String,
    /// A short note under the name ("denna artikel", "föreslagen"), if any.
    pub mark: Option<&'static str>,
}

/// One row of a comparison: its label and one cell per column.
pub struct RowView {
    pub label: String,
    pub cells: Vec<String>,
}

/// Articles side by side: name, article number, price, rent, stock, lead
/// time, then each technical property any of them states, aligned.
pub struct CompareView {
    pub id: &'static str,
    pub caption: &'static str,
    pub columns: Vec<ColumnView>,
    pub rows: Vec<RowView>,
}

fn label(lang: Lang, sv: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Sv {
        sv
    } else {
        en
    }
}

/// A technical property's name with its unit ("Max brukarvikt (kg)").
fn tech_label(lang: Lang, key: ramp_domain::product::TechKey) -> String {
    let name = label(lang, key.name_sv(), key.name_en());
    match key.unit() {
        Some(unit) => format!("{name} ({unit})"),
        None => name.to_string(),
    }
}

fn rent(page: &Page, a: &ramp_app::model::Article) -> String {
    if a.billing == Billing::Rental {
        page.sek(&a.monthly_rent_ore)
    } else {
        "–".into()
    }
}

impl CompareView {
    /// The table for `cmp`; `mark` names the column notes (by article id).
    pub fn new(
        page: &Page,
        id: &'static str,
        caption: &'static str,
        cmp: &Comparison,
        mark: impl Fn(i64) -> Option<&'static str>,
    ) -> CompareView {
        let lang = page.lang;
        let columns = cmp
            .articles
            .iter()
            .map(|c| ColumnView {
                name: c.article.name.clone(),
                article_number: c.article.article_number.clone(),
                href: format!("/catalog/articles/{}", c.article.id),
                mark: mark(c.article.id).map(|k| page.t(k)),
            })
            .collect();
        let row = |label: String, cell: &dyn Fn(&Compared) -> String| RowView {
            label,
            cells: cmp.articles.iter().map(cell).collect(),
        };
        let mut rows = vec![
            row(page.t("col.price").into(), &|c: &Compared| page.sek(&c.article.purchase_price_ore)),
            row(page.t("product.rent").into(), &|c: &Compared| rent(page, &c.article)),
            row(page.t("col.in_stock").into(), &|c: &Compared| c.in_stock.to_string()),
            row(page.t("product.lead").into(), &|c: &Compared| page.lead_time(&c.article.lead_time_class).to_string()),
        ];
        for key in &cmp.keys {
            rows.push(row(tech_label(lang, *key), &|c: &Compared| c.value(*key).unwrap_or("–").to_string()));
        }
        CompareView { id, caption, columns, rows }
    }
}

/// The payer part of the page, in the page's language.
pub enum PayerView {
    Decided { payer: &'static str, why: String, rule: String },
    Needs { questions: Vec<String> },
    Refused { message: String },
}

fn payer_view(page: &Page, answer: &PayerAnswer) -> PayerView {
    let lang = page.lang;
    match answer {
        PayerAnswer::Decided { decision } => PayerView::Decided {
            payer: page.payer(&decision.payer),
            why: label_owned(lang, &decision.explanation_sv, &decision.explanation_en),
            rule: decision.rule.clone(),
        },
        PayerAnswer::NeedsAnswers { needs } => PayerView::Needs {
            questions: needs.iter().map(|n| label_owned(lang, &n.question.sv, &n.question.en)).collect(),
        },
        PayerAnswer::Refused { code, message: detail, explanation_sv } => {
            let e = ramp_app::AppError::invalid("article_number", code, detail.clone());
            let mut text = message(lang, &e);
            if let (Lang::Sv, Some(sv)) = (lang, explanation_sv) {
                text = format!("{text} {sv}");
            }
            PayerView::Refused { message: text }
        }
    }
}

fn label_owned(lang: Lang, sv: &str, en: &str) -> String {
    if lang == Lang::Sv {
        sv.to_string()
    } else {
        en.to_string()
    }
}

#[derive(Template)]
#[template(path = "product.html")]
struct ProductTemplate {
    page: Page,
    p: ProductPage,
    /// The posted personal identity number, carried to the order step.
    personal_id: String,
    image_alt: Option<String>,
    area: String,
    /// Rent per month or sale, in words.
    billing: String,
    requirement: String,
    requirement_you: Option<&'static str>,
    group_intro: String,
    equivalents: Option<CompareView>,
    technical: Vec<(String, String)>,
    payer: Option<PayerView>,
    places: Vec<(Setting, &'static str)>,
    place: Option<Setting>,
}

impl ProductTemplate {
    fn place_selected(&self, s: &Setting) -> bool {
        self.place == Some(*s)
    }

    /// The lead-time class in words.
    fn lead_text(&self) -> &'static str {
        self.page.t(&format!("product.lead.{}", self.p.article.lead_time_class.as_str()))
    }

    /// The patient in view, for the header.
    fn patient(&self) -> Option<&ramp_app::patients::PatientInView> {
        self.p.for_patient.as_ref().map(|f| &f.patient)
    }
}

fn technical(lang: Lang, rows: &[TechRow]) -> Vec<(String, String)> {
    rows.iter()
        .map(|r| {
            let value = match r.key.unit() {
                Some(unit) => format!("{} {unit}", r.value),
                None => r.value.clone(),
            };
            (label(lang, r.key.name_sv(), r.key.name_en()).to_string(), value)
        })
        .collect()
}

fn template(page: Page, p: ProductPage, personal_id: String) -> ProductTemplate {
    let lang = page.lang;
    let req = &p.requirement;
    let area = label_owned(lang, &req.area_sv, &req.area_en);
    let requirement = match req.competence {
        Some(_) => page.t("product.requirement.competence"),
        None => page.t("product.requirement.none"),
    }
    .replace("{area}", &area);
    let requirement_you = match (req.is_prescriber, req.held) {
        (false, _) => Some("product.requirement.no_role"),
        (true, true) if req.competence.is_some() => Some("product.requirement.held"),
        (true, false) => Some("product.requirement.missing"),
        _ => None,
    };
    let group_intro = match &p.group {
        Some(g) => page
            .t(if g.fixed { "product.group.fixed" } else { "product.group.intro" })
            .replace("{group}", &format!("{} {}", g.code, g.name)),
        None => page.t("product.group.none").to_string(),
    };
    let this = p.article.id;
    let equivalents = p.group.as_ref().map(|_| {
        CompareView::new(&page, "equivalents", "product.compare.caption", &p.equivalents, |id| {
            (id == this).then_some("product.compare.this")
        })
    });
    let image_alt = p.image.as_ref().map(|i| label_owned(lang, &i.alt_sv, &i.alt_en));
    let payer = p.for_patient.as_ref().map(|f| payer_view(&page, &f.payer));
    let place = p.for_patient.as_ref().and_then(|f| f.place_of_use);
    let places = Setting::ALL.iter().map(|s| (*s, page.setting(s))).collect();
    let b = p.article.billing;
    let billing = match b {
        Billing::Rental => format!("{}: {}", label(lang, b.name_sv(), b.name_en()), rent(&page, &p.article)),
        Billing::Sale => label(lang, b.name_sv(), b.name_en()).to_string(),
    };
    ProductTemplate {
        technical: technical(lang, &p.technical_data),
        page,
        p,
        personal_id,
        image_alt,
        area,
        billing,
        requirement,
        requirement_you,
        group_intro,
        equivalents,
        payer,
        places,
        place,
    }
}

async fn show(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &ramp_app::model::User,
    rid: &str,
    id: i64,
    patient: Option<PatientRef>,
) -> Response {
    let page = Page::new(lang, "product.title", Some(user), csrf, "catalog");
    match ramp_app::product::product_page(&state.app, user, id, patient.as_ref(), Some(rid)).await {
        Ok(p) => {
            let mut page = page;
            page.title = format!("{} – {}", p.article.name, lang.t("product.title"));
            let personal_id = patient.map(|p| p.personal_id).unwrap_or_default();
            render(&template(page, p, personal_id), StatusCode::OK)
        }
        Err(e) => super::page::error_page(lang, e),
    }
}

/// The product page without a patient.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
) -> Response {
    match id.parse::<i64>() {
        Ok(id) => show(&state, lang, &csrf, &user, &rid, id, None).await,
        Err(_) => super::page::error_page(lang, not_found()),
    }
}

fn not_found() -> ramp_app::AppError {
    ramp_app::AppError::not_found(Some("id"), "article_not_found", "no such article")
}

/// The patient posted along from the order journey.
#[derive(serde::Deserialize)]
pub struct PatientForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    place_of_use: String,
}

/// The product page for the patient in view (posted): who would pay.
pub async fn for_patient(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<PatientForm>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else { return super::page::error_page(lang, not_found()) };
    let place_of_use = match f.place_of_use.trim() {
        "" => None,
        s => match Setting::parse(s) {
            Ok(s) => Some(s),
            Err(e) => return super::page::error_page(lang, e.at("place_of_use").into()),
        },
    };
    let patient = (!f.personal_id.trim().is_empty()).then_some(PatientRef { personal_id: f.personal_id, place_of_use });
    show(&state, lang, &csrf, &user, &rid, id, patient).await
}

/// A product type's picture, served by Ramp itself (`{iso_code}.svg`).
pub async fn image(State(state): State<AppState>, lang: Lang, Path(file): Path<String>) -> Response {
    let Some(code) = file.strip_suffix(".svg") else {
        return super::page::error_page(lang, not_found());
    };
    match ramp_app::product::product_image(&state.app, code).await {
        Ok(img) => {
            ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, max-age=3600")], img.svg)
                .into_response()
        }
        Err(e) => super::page::error_page(lang, e),
    }
}
