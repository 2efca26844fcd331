//! The cart: adding reserves the device (the oldest in central stock, after
//! the replacement chain has had its say); a reservation runs out by
//! itself after `AppConfig::reservation_ttl`. The cart lives in the
//! database, so it survives a page reload and a server restart.

use super::decision::{decide, LineDecision};
use super::recipient::{resolve, Recipient};
use super::refusal::{Alternative, Refusal, RefusalReason};
use crate::error::{AppError, Result};
use crate::App;
use ramp_domain::cost::{Need, NeededFact};
use ramp_domain::order::{OrderTarget, ReplacementAnswer, Substitution};
use ramp_domain::product::ReplacementDecline;
use ramp_model::{Article, ArticleHit, CartItem, Id, NewCartItem, NewReplacementAnswer, User};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// One line to put in the cart (or to preview).
#[derive(Debug, Clone, Default)]
pub struct LineRequest {
    pub target: Option<OrderTarget>,
    pub personal_id: Option<String>,
    pub unit_id: Option<Id>,
    pub article_number: String,
    pub quantity: Option<i32>,
    pub need: Option<Need>,
    pub facts: BTreeMap<String, bool>,
    pub replacement: Option<ReplacementAnswer>,
    /// Why the proposal is declined (with `replacement: decline` only).
    pub replacement_decline: Option<ReplacementDecline>,
}

/// The replacement chain's proposal: an older equivalent article in stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub group_code: String,
    pub group_name: String,
    /// A fixed group substitutes without asking.
    pub fixed: bool,
    pub article_number: String,
    pub article_name: String,
    pub in_stock: i64,
}

/// What ordering a line would mean, before anything is reserved.
#[derive(Debug, Clone, Serialize)]
pub struct LinePreview {
    pub requested: Article,
    pub proposal: Option<Proposal>,
    /// The article that goes out given the answer (or the automatic substitution).
    pub article: Article,
    pub substitution: Substitution,
    pub in_stock: i64,
    pub decision: Option<LineDecision>,
    /// Facts the agreement needs answered before it can decide.
    pub needs: Vec<NeededFact>,
    /// Whom the line is for (a patient line), shown with the preview.
    pub patient: Option<crate::patients::PatientInView>,
}

/// A cart item as shown: with who pays, and whether it needs a second look.
#[derive(Debug, Clone, Serialize)]
pub struct CartLine {
    pub item: CartItem,
    pub decision: Option<LineDecision>,
    /// An accessory of a main device that was substituted: check that it still fits.
    pub needs_review: bool,
    /// The patient's name, for a patient line.
    pub patient_name: Option<String>,
    /// The patient's personal identity number, for the order form (posted back, never in a URL).
    #[serde(skip)]
    pub personal_id: Option<ramp_domain::ids::PersonalId>,
    /// The patient's setting today: the order form's default place of use.
    pub setting: Option<ramp_domain::setting::Setting>,
}

struct Prepared {
    recipient: Recipient,
    preview: LinePreview,
    group_answer: Option<NewReplacementAnswer>,
}

pub(super) fn validate(req: &LineRequest) -> Result<()> {
    let n = req.article_number.trim();
    if n.is_empty() || n.len() > 40 {
        return Err(AppError::invalid("article_number", "required", "enter an article number"));
    }
    if req.replacement_decline.is_some() && req.replacement != Some(ReplacementAnswer::Decline) {
        return Err(AppError::invalid(
            "replacement_decline",
            "only_when_declining",
            "a decline reason is given only with replacement: decline",
        ));
    }
    if let Some(q) = req.quantity {
        if !(1..=999).contains(&q) {
            return Err(AppError::invalid(
                "quantity",
                "invalid_quantity",
                "the quantity is a whole number from 1 to 999",
            ));
        }
    }
    Ok(())
}

async fn proposal_for(app: &App, requested: &Article) -> Result<Option<(Proposal, Article, Id)>> {
    if !requested.kind.is_individual() {
        return Ok(None);
    }
    let Some(group) = app.storage.replacement_group_of(requested.id).await? else { return Ok(None) };
    let stock: BTreeMap<Id, i64> =
        app.storage.central_stock(&group.members, app.clock.now()).await?.into_iter().collect();
    // Members are oldest first; only an older one than the requested is proposed.
    let older = group.members.iter().take_while(|id| **id != requested.id);
    let Some(&oldest) = older.into_iter().find(|id| stock.get(id).copied().unwrap_or(0) > 0) else { return Ok(None) };
    let article = app.storage.articles_by_ids(&[oldest]).await?.pop().ok_or_else(|| {
        AppError::internal("replacement group member missing", ramp_model::StorageError::NotFound(oldest.to_string()))
    })?;
    let proposal = Proposal {
        group_code: group.code.clone(),
        group_name: group.name.clone(),
        fixed: group.fixed,
        article_number: article.article_number.clone(),
        article_name: article.name.clone(),
        in_stock: stock[&oldest],
    };
    Ok(Some((proposal, article, group.id)))
}

/// The product area's competence, registered for the user and valid
/// today (its period is set by an administrator; a cheap check of the
/// loaded user first, the period only when the user has the competence).
async fn check_competence(app: &App, user: &User, article: &Article) -> Result<()> {
    let areas = app.storage.product_areas().await?;
    let Some(area) = areas.iter().find(|a| a.code == article.product_area) else { return Ok(()) };
    let held = match &area.required_competence {
        Some(c) if user.competences.contains(c) => app.storage.competence_valid_on(user.id, c, app.today()).await?,
        _ => false,
    };
    match &area.required_competence {
        Some(c) if !held => Err(AppError::forbidden(
            "competence_required",
            format!(
                "prescribing in the product area '{}' requires the competence '{c}' (the regional prescriber training); \
                 it is not registered for you",
                area.name_en
            ),
        )
        .with_field("article_number")
        .with_refusal(Refusal::new(RefusalReason::CompetenceRequired { competence: c.clone() }))),
        _ => Ok(()),
    }
}

/// Resolves the recipient and works out the line. The recipient's audit
/// row is left pending when this succeeds, and written when it fails.
async fn prepare(app: &App, user: &User, req: &LineRequest, action: &str, rid: Option<&str>) -> Result<Prepared> {
    validate(req)?;
    let target = req.target.unwrap_or(OrderTarget::Patient);
    let recipient = resolve(app, user, target, req.personal_id.as_deref(), req.unit_id, action, rid).await?;
    let line = prepare_line(app, user, req, &recipient).await;
    let (preview, group_answer) = recipient.audited_on_error(app, line).await?;
    Ok(Prepared { recipient, preview, group_answer })
}

/// The proposal, the article that goes out and the cost decision of a
/// line. The stock count is left at 0: only a preview shows it (adding
/// reserves a device instead of counting).
pub(super) async fn prepare_line(
    app: &App,
    user: &User,
    req: &LineRequest,
    recipient: &Recipient,
) -> Result<(LinePreview, Option<NewReplacementAnswer>)> {
    let target = recipient.target;
    let number = req.article_number.trim();
    let requested = app.storage.article_by_number(number).await?.ok_or_else(|| {
        AppError::not_found(Some("article_number"), "article_not_found", format!("no article {number}"))
    })?;
    if requested.valid_to.is_some_and(|to| to < app.today()) {
        return Err(AppError::invalid("article_number", "not_in_assortment", "the article has left the assortment"));
    }
    if target == OrderTarget::Patient {
        check_competence(app, user, &requested).await?;
    }
    let proposal = proposal_for(app, &requested).await?;
    let (article, substitution, group_answer) = match (&proposal, req.replacement) {
        (None, _) => (requested.clone(), Substitution::None, None),
        (Some((p, older, group)), answer) => {
            let (article, s) = match (p.fixed, answer) {
                (true, _) => (older.clone(), Substitution::Automatic),
                (false, Some(ReplacementAnswer::Accept)) => (older.clone(), Substitution::Accepted),
                (false, Some(ReplacementAnswer::Decline)) => (requested.clone(), Substitution::Declined),
                (false, None) => (older.clone(), Substitution::None),
            };
            let answer = NewReplacementAnswer {
                group_id: *group,
                requested_article_id: requested.id,
                proposed_article_id: older.id,
                answer: s,
                decline: req.replacement_decline.clone().filter(|_| s == Substitution::Declined),
            };
            (article, s, Some(answer))
        }
    };
    let need = req.need.unwrap_or(Need::Lasting);
    let (decision, needs) = match decide(app, user, recipient, &article, need, &req.facts).await? {
        Ok(d) => (Some(d), vec![]),
        Err(needs) => (None, needs),
    };
    let preview = LinePreview {
        requested,
        proposal: proposal.map(|p| p.0),
        article,
        substitution,
        in_stock: 0,
        decision,
        needs,
        patient: None,
    };
    Ok((preview, group_answer))
}

/// Shows what ordering a line would mean: the replacement proposal, who
/// pays and why, or the questions the agreement asks. Reserves nothing.
pub async fn preview_line(app: &App, user: &User, req: &LineRequest, request_id: Option<&str>) -> Result<LinePreview> {
    let Prepared { recipient, mut preview, .. } = prepare(app, user, req, "order.prepare", request_id).await?;
    recipient.write_audit(app).await?;
    preview.patient = recipient.in_view();
    let stock = app.storage.central_stock(&[preview.article.id], app.clock.now()).await?;
    preview.in_stock = stock.first().map_or(0, |x| x.1);
    Ok(preview)
}

pub(super) fn needs_error(needs: &[NeededFact]) -> AppError {
    let first = needs.first().map(|n| n.fact.clone()).unwrap_or_default();
    let question = needs.first().map(|n| n.question.en.clone()).unwrap_or_default();
    AppError::invalid(
        format!("facts.{first}"),
        "facts_needed",
        format!("the agreement needs an answer first: {question}"),
    )
    .with_refusal(Refusal::new(RefusalReason::FactsNeeded { needs: needs.to_vec() }))
}

pub(super) async fn no_longer_available(app: &App, article: &Article) -> Result<AppError> {
    let alternatives: Vec<ArticleHit> = app.storage.alternatives(article.id, 5, app.clock.now()).await?;
    let alternatives = alternatives
        .into_iter()
        .map(|h| Alternative { article_number: h.article.article_number, name: h.article.name, in_stock: h.in_stock })
        .collect();
    Ok(AppError::conflict(
        "no_longer_available",
        format!("no {} ({}) is left in stock; see the alternatives", article.name, article.article_number),
    )
    .with_field("article_number")
    .with_refusal(Refusal::new(RefusalReason::NoLongerAvailable { alternatives })))
}

/// Adds a line to the user's cart and reserves its device. Refuses with a
/// clear code: `replacement_answer_required` (with the proposal),
/// `facts_needed`, `competence_required`, `trust_prescription_not_allowed`,
/// `not_orderable_here`, `no_longer_available` (with alternatives).
pub async fn add_to_cart(app: &App, user: &User, req: &LineRequest, request_id: Option<&str>) -> Result<CartLine> {
    let p = prepare(app, user, req, "cart.add", request_id).await?;
    let reserved = reserve(app, user, req, &p).await;
    let (added, decision) = p.recipient.audited_on_error(app, reserved).await?;
    // Only an accessory can need review (its main device was substituted),
    // so only then is the rest of the cart read.
    let needs_review = if added.article.kind == ramp_domain::article::ArticleKind::Accessory {
        let items = app.storage.cart_items(user.id, app.clock.now()).await?;
        review_flags(app, &items).await?.contains(&added.id)
    } else {
        false
    };
    let patient_name = p.recipient.patient.as_ref().map(|p| format!("{} {}", p.given_name, p.family_name));
    let personal_id = p.recipient.patient.as_ref().map(|p| p.personal_id.clone());
    let setting = p.recipient.setting;
    Ok(CartLine { item: added, decision: Some(decision), needs_review, patient_name, personal_id, setting })
}

/// The refusals that come before reserving a line: an unanswered
/// replacement proposal, questions the agreement still asks, a quantity
/// other than one for a device. The line's decision, and whether it is a
/// device tracked one by one.
pub(super) fn check_ready(preview: &LinePreview, req: &LineRequest) -> Result<(LineDecision, bool)> {
    if let (Some(proposal), Substitution::None) = (&preview.proposal, preview.substitution) {
        return Err(AppError::conflict(
            "replacement_answer_required",
            format!(
                "an older equivalent, {} ({}), is in stock: accept or decline it",
                proposal.article_name, proposal.article_number
            ),
        )
        .with_field("replacement")
        .with_refusal(Refusal::new(RefusalReason::ReplacementAnswerRequired { proposal: proposal.clone() })));
    }
    let Some(decision) = preview.decision.clone() else { return Err(needs_error(&preview.needs)) };
    let individual = preview.article.kind.is_individual();
    if individual && req.quantity.is_some_and(|q| q != 1) {
        return Err(AppError::invalid("quantity", "one_device_per_line", "a device is ordered one per line"));
    }
    Ok((decision, individual))
}

/// The refusals that come before reserving, then the reservation itself,
/// with the recipient's audit row in the same transaction.
async fn reserve(app: &App, user: &User, req: &LineRequest, p: &Prepared) -> Result<(CartItem, LineDecision)> {
    let preview = &p.preview;
    let (decision, individual) = check_ready(preview, req)?;
    let now = app.clock.now();
    let item = NewCartItem {
        user_id: user.id,
        target: p.recipient.target,
        patient_id: p.recipient.patient_id(),
        unit_id: p.recipient.held_unit_id(),
        article_id: preview.article.id,
        requested_article_id: preview.requested.id,
        substitution: preview.substitution,
        individual,
        quantity: req.quantity.unwrap_or(1),
        need: (p.recipient.target == OrderTarget::Patient).then(|| req.need.unwrap_or(Need::Lasting)),
        facts: serde_json::to_string(&req.facts).unwrap_or_else(|_| "{}".into()),
        at: now,
        until: now + app.config.reservation_ttl,
        answer: p.group_answer.clone(),
        audit: p.recipient.audit.clone(),
    };
    let Some(added) = app.storage.add_to_cart(&item).await? else {
        return Err(no_longer_available(app, &preview.article).await?);
    };
    Ok((added, decision))
}

/// Accessories in the cart whose main device was substituted by an article they do not fit.
async fn review_flags(app: &App, items: &[CartItem]) -> Result<HashSet<Id>> {
    let accessories: Vec<Id> = items
        .iter()
        .filter(|i| i.article.kind == ramp_domain::article::ArticleKind::Accessory)
        .map(|i| i.article.id)
        .collect();
    let fits = app.storage.accessory_fits(&accessories).await?;
    let substituted: Vec<&CartItem> =
        items.iter().filter(|i| matches!(i.substitution, Substitution::Automatic | Substitution::Accepted)).collect();
    let mut flagged = HashSet::new();
    for acc in items.iter().filter(|i| accessories.contains(&i.article.id)) {
        let mains: Vec<Id> = fits.iter().filter(|(a, _)| *a == acc.article.id).map(|(_, m)| *m).collect();
        if substituted.iter().any(|m| {
            m.patient_id == acc.patient_id
                && m.unit_id == acc.unit_id
                && mains.contains(&m.requested_article_id)
                && !mains.contains(&m.article.id)
        }) {
            flagged.insert(acc.id);
        }
    }
    Ok(flagged)
}

/// The user's cart, oldest line first; expired reservations are gone.
pub async fn cart(app: &App, user: &User) -> Result<Vec<CartLine>> {
    let now = app.clock.now();
    app.storage.expire_reservations(now).await?;
    let items = app.storage.cart_items(user.id, now).await?;
    let flagged = review_flags(app, &items).await?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let recipient = recipient_of(app, user, &item).await?;
        let patient = recipient.as_ref().and_then(|r| r.patient.as_ref());
        let patient_name = patient.map(|p| format!("{} {}", p.given_name, p.family_name));
        let personal_id = patient.map(|p| p.personal_id.clone());
        let setting = recipient.as_ref().and_then(|r| r.setting);
        let decision = match &recipient {
            Some(r) => line_decision(app, user, r, &item).await,
            None => None,
        };
        out.push(CartLine {
            needs_review: flagged.contains(&item.id),
            item,
            decision,
            patient_name,
            personal_id,
            setting,
        });
    }
    Ok(out)
}

/// Whom a stored cart item is for (without a new audit row: the user put
/// it there under one). `None` when the patient or unit is gone.
async fn recipient_of(app: &App, user: &User, item: &CartItem) -> Result<Option<Recipient>> {
    let unit_id = match item.target {
        OrderTarget::Patient => user.unit_id,
        _ => item.unit_id,
    };
    let Some(unit) = (match unit_id {
        Some(u) => app.storage.unit(u).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    let (patient, setting) = match item.patient_id {
        Some(pid) => match app.storage.patient_by_id(pid).await? {
            Some(p) => {
                let settings = app.storage.patient_settings(pid).await?;
                (Some(p), crate::patients::setting_on(&settings, app.today()))
            }
            None => return Ok(None),
        },
        None => (None, None),
    };
    Ok(Some(Recipient { target: item.target, patient, setting, unit, audit: None }))
}

/// The decision for a stored cart item, or `None` when it cannot be made now.
pub(crate) async fn line_decision(app: &App, user: &User, r: &Recipient, item: &CartItem) -> Option<LineDecision> {
    let need = item.need.unwrap_or(Need::Lasting);
    let facts: BTreeMap<String, bool> = serde_json::from_str(&item.facts).unwrap_or_default();
    decide(app, user, r, &item.article, need, &facts).await.ok().and_then(|d| d.ok())
}

/// Removes a line from the user's cart and returns its device to stock.
pub async fn remove_from_cart(app: &App, user: &User, item_id: Id) -> Result<()> {
    if app.storage.remove_cart_item(user.id, item_id, app.clock.now()).await? {
        Ok(())
    } else {
        Err(AppError::not_found(Some("id"), "cart_item_not_found", format!("no cart item {item_id} in your cart")))
    }
}
