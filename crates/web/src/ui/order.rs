//! Ordering a device for a patient: choose an article (from the patient's
//! overview or the catalog), preview it — the replacement chain's
//! proposal, the agreement's questions, who pays and why — and put it in
//! the cart. The personal identity number travels in POST bodies only.

use super::page::{message, render, Page};
use super::product::CompareView;
use crate::extract::{CsrfForm, CsrfToken, RequestId, UiUser};
use crate::i18n::Lang;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ramp_app::model::{ArticleHit, User};
use ramp_app::orders::{LinePreview, LineRequest, RefusalReason};
use ramp_app::{AppError, ErrorKind};
use ramp_domain::cost::Need;
use ramp_domain::order::{ReplacementAnswer, Substitution};
use ramp_domain::product::{DeclineReason, ReplacementDecline};
use ramp_domain::Term;
use std::collections::BTreeMap;

/// The needs a prescriber chooses between, in the order shown.
pub const NEEDS: [Need; 4] = [Need::Lasting, Need::Temporary, Need::DuringStayOnly, Need::ContinuesAtHome];

fn log_if_internal(e: &AppError) {
    if e.kind == ErrorKind::Internal {
        crate::error::log_internal(e);
    }
}

// ---- choosing an article for the open patient ----

#[derive(Template)]
#[template(path = "order_articles.html")]
struct ArticlesTemplate {
    page: Page,
    personal_id: String,
    /// The patient ordered for, in the header (wrong-patient risk).
    patient: Option<ramp_app::patients::PatientInView>,
    q: String,
    searched: bool,
    hits: Vec<ArticleHit>,
}

#[derive(serde::Deserialize)]
pub struct ArticlesForm {
    #[serde(default)]
    personal_id: String,
    #[serde(default)]
    q: String,
}

/// Searches the catalog on behalf of the open patient; every hit gets a
/// "Beställ" button that posts the patient along.
pub async fn articles(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(f): CsrfForm<ArticlesForm>,
) -> Response {
    let page = Page::new(lang, "order.choose_title", Some(&user), &csrf, "patient");
    let patient = match ramp_app::patients::patient_in_view(
        &state.app,
        &user,
        &f.personal_id,
        "order.choose",
        Some(&rid),
    )
    .await
    {
        Ok(p) => Some(p),
        Err(e) => return super::page::error_page(lang, e),
    };
    let mut t = ArticlesTemplate { page, personal_id: f.personal_id, patient, q: f.q, searched: false, hits: vec![] };
    let result = ramp_app::catalog::search(&state.app, &user, &t.q, 50).await;
    let status = match result {
        Ok(hits) => {
            t.searched = true;
            t.hits = hits;
            StatusCode::OK
        }
        Err(e) => {
            log_if_internal(&e);
            t.page.add_error(&e);
            crate::error::status_of(e.kind)
        }
    };
    render(&t, status)
}

// ---- the preview ----

/// The line form as posted: fixed fields plus `fact.<name>` = yes | no.
#[derive(Debug)]
struct LineForm {
    personal_id: String,
    article_number: String,
    /// Lasting unless the form names another.
    need: Need,
    /// For articles not tracked one by one (consumables).
    quantity: String,
    replacement: Option<ReplacementAnswer>,
    /// Why the proposal is declined (a `DeclineReason`), and a free-text note.
    decline_reason: String,
    decline_note: String,
    facts: BTreeMap<String, bool>,
}

impl LineForm {
    fn parse(pairs: Vec<(String, String)>) -> LineForm {
        let mut f = LineForm {
            personal_id: String::new(),
            article_number: String::new(),
            need: Need::Lasting,
            quantity: String::new(),
            replacement: None,
            decline_reason: String::new(),
            decline_note: String::new(),
            facts: BTreeMap::new(),
        };
        let mut change_answer = false;
        for (k, v) in pairs {
            match k.as_str() {
                "personal_id" => f.personal_id = v,
                "article_number" => f.article_number = v,
                "need" => f.need = Need::parse(&v).unwrap_or(Need::Lasting),
                "quantity" => f.quantity = v,
                "replacement" => f.replacement = ReplacementAnswer::parse(&v).ok(),
                "decline_reason" => f.decline_reason = v,
                "decline_note" => f.decline_note = v,
                "change_answer" => change_answer = true,
                _ => {
                    if let Some(fact) = k.strip_prefix("fact.") {
                        if v == "yes" || v == "no" {
                            f.facts.insert(fact.to_string(), v == "yes");
                        }
                    }
                }
            }
        }
        if change_answer {
            f.replacement = None;
        }
        f
    }

    /// The decline reason, which the form requires when the proposal is
    /// declined (the API leaves it optional); `None` otherwise.
    fn decline(&self) -> Result<Option<ReplacementDecline>, AppError> {
        if self.replacement != Some(ReplacementAnswer::Decline) {
            return Ok(None);
        }
        Ok(Some(ReplacementDecline::parse(&self.decline_reason, Some(&self.decline_note))?))
    }

    fn request(&self) -> LineRequest {
        LineRequest {
            replacement_decline: self.decline().ok().flatten(),
            personal_id: Some(self.personal_id.clone()),
            article_number: self.article_number.clone(),
            need: Some(self.need),
            // Anything but a whole number is refused by the use-case as `invalid_quantity`.
            quantity: match self.quantity.trim() {
                "" => None,
                q => Some(q.parse().unwrap_or(0)),
            },
            facts: self.facts.clone(),
            replacement: self.replacement,
            ..LineRequest::default()
        }
    }
}

/// An alternative offered when the article ran out.
pub struct Alternative {
    pub article_number: String,
    pub name: String,
    pub in_stock: i64,
}

/// A refusal shown beside the part of the page it concerns.
pub struct Refusal {
    /// Where it is shown: `patient`, `article`, `replacement`, `quantity`, `facts` or `form`.
    pub slot: &'static str,
    pub message: String,
    /// The agreement's own words, when the refusal rests on a rule.
    pub explanation: Option<String>,
    pub rule: Option<String>,
    pub alternatives: Option<Vec<Alternative>>,
}

fn slot_of(field: Option<&str>) -> &'static str {
    match field {
        Some("personal_id") => "patient",
        Some("article_number") => "article",
        Some("quantity") => "quantity",
        Some(f) if f.starts_with("replacement") => "replacement",
        Some(f) if f.starts_with("facts.") => "facts",
        _ => "form",
    }
}

fn refusal(lang: Lang, e: &AppError) -> Refusal {
    let reason = e.refusal.as_ref().map(|r| &r.reason);
    let (rule, explanation) = match reason {
        // The agreement's wording is Swedish; in English the detail message carries it.
        Some(RefusalReason::Rule { rule, explanation_sv }) => {
            let explanation = if lang == Lang::Sv { explanation_sv.clone() } else { e.message.clone() };
            (Some(rule.clone()), Some(explanation))
        }
        _ => (None, None),
    };
    let alternatives = match reason {
        Some(RefusalReason::NoLongerAvailable { alternatives }) => Some(
            alternatives
                .iter()
                .map(|a| Alternative {
                    article_number: a.article_number.clone(),
                    name: a.name.clone(),
                    in_stock: a.in_stock,
                })
                .collect(),
        ),
        _ => None,
    };
    Refusal { slot: slot_of(e.field.as_deref()), message: message(lang, e), explanation, rule, alternatives }
}

#[derive(Template)]
#[template(path = "order_preview.html")]
struct PreviewTemplate {
    page: Page,
    form: LineForm,
    /// No patient yet (came from the catalog): ask for one.
    ask_patient: bool,
    preview: Option<LinePreview>,
    refusal: Option<Refusal>,
    /// The article asked for and the proposed one side by side.
    compare: Option<CompareView>,
}

impl PreviewTemplate {
    /// The decline reasons to choose from: value, name.
    fn decline_reasons(&self) -> Vec<(&'static str, &'static str)> {
        DeclineReason::ALL
            .iter()
            .map(|r| (r.as_str(), if self.page.lang == Lang::Sv { r.name_sv() } else { r.name_en() }))
            .collect()
    }

    /// The chosen reason's name, once the proposal is declined.
    fn decline_chosen(&self) -> Option<&'static str> {
        let r = DeclineReason::parse(&self.form.decline_reason).ok()?;
        Some(if self.page.lang == Lang::Sv { r.name_sv() } else { r.name_en() })
    }

    fn refused_at(&self, slot: &str) -> Option<&Refusal> {
        self.refusal.as_ref().filter(|r| r.slot == slot)
    }

    /// Facts already answered, carried along as hidden fields.
    fn answered(&self) -> Vec<(String, &'static str)> {
        self.form.facts.iter().map(|(k, v)| (format!("fact.{k}"), if *v { "yes" } else { "no" })).collect()
    }

    fn quantity(&self) -> &str {
        match self.form.quantity.trim() {
            "" => "1",
            q => q,
        }
    }

    fn need_selected(&self, need: &Need) -> bool {
        self.form.need == *need
    }

    fn answer(&self) -> &'static str {
        self.form.replacement.map(ReplacementAnswer::as_str).unwrap_or("")
    }

    /// Waiting for an answer to an ordinary group's proposal.
    fn pending(&self, p: &LinePreview) -> bool {
        p.proposal.as_ref().is_some_and(|pr| !pr.fixed) && p.substitution == Substitution::None
    }

    fn question<'a>(&self, n: &'a ramp_domain::cost::NeededFact) -> &'a str {
        match self.page.lang {
            Lang::Sv => &n.question.sv,
            Lang::En => &n.question.en,
        }
    }
}

async fn preview_page(
    state: &AppState,
    lang: Lang,
    csrf: &str,
    user: &User,
    rid: &str,
    form: LineForm,
    refused: Option<AppError>,
) -> Response {
    let page = Page::new(lang, "order.preview_title", Some(user), csrf, "patient");
    let ask_patient = form.personal_id.trim().is_empty();
    let mut t = PreviewTemplate { page, form, ask_patient, preview: None, refusal: None, compare: None };
    let mut status = StatusCode::OK;
    // A decline without a (valid) reason is asked again, with the reason's error.
    let decline_error = t.form.decline().err();
    if decline_error.is_some() {
        t.form.replacement = None;
    }
    let refused = refused.or(decline_error);
    if let Some(e) = &refused {
        log_if_internal(e);
        status = crate::error::status_of(e.kind);
        t.refusal = Some(refusal(lang, e));
    }
    if !ask_patient {
        match ramp_app::orders::preview_line(&state.app, user, &t.form.request(), Some(rid)).await {
            Ok(p) => {
                t.page.title = format!("{} – {}", lang.t("order.preview_title"), p.requested.name);
                t.compare = proposal_compare(state, &t.page, &p).await;
                t.preview = Some(p);
            }
            Err(e) if refused.is_none() => {
                log_if_internal(&e);
                status = crate::error::status_of(e.kind);
                t.refusal = Some(refusal(lang, &e));
            }
            Err(_) => {}
        }
    }
    render(&t, status)
}

/// The article asked for and the proposed replacement side by side, when
/// there is a proposal (a failure to read them only leaves the table out).
async fn proposal_compare(state: &AppState, page: &Page, p: &LinePreview) -> Option<CompareView> {
    let proposal = p.proposal.as_ref()?;
    let numbers = [p.requested.article_number.as_str(), proposal.article_number.as_str()];
    let cmp = ramp_app::product::compare_numbers(&state.app, &numbers).await.ok()?;
    let requested = p.requested.id;
    Some(CompareView::new(page, "proposal-compare", "product.compare.proposal_caption", &cmp, |id| {
        Some(if id == requested { "product.compare.requested" } else { "product.compare.proposed" })
    }))
}

/// Shows what ordering the article would mean (reserves nothing).
pub async fn preview(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let form = LineForm::parse(pairs);
    preview_page(&state, lang, &csrf, &user, &rid, form, None).await
}

/// The ordering pages are POST pages; a GET (a reload, the language switch) starts over at the patient.
pub async fn preview_again() -> Response {
    Redirect::to("/patient").into_response()
}

/// Puts the line in the cart (reserving its device) and shows the cart.
pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    CsrfToken(csrf): CsrfToken,
    UiUser(user): UiUser,
    RequestId(rid): RequestId,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let form = LineForm::parse(pairs);
    let added = match form.decline() {
        Ok(_) => ramp_app::orders::add_to_cart(&state.app, &user, &form.request(), Some(&rid)).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match added {
        Ok(()) => Redirect::to("/cart").into_response(),
        Err(e) => preview_page(&state, lang, &csrf, &user, &rid, form, Some(e)).await,
    }
}
