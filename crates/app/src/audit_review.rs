//! The audit-log review ("logggranskning", Patientdatalagen 4 kap. 3 §):
//! who read which patient's data, when, on what ground and with what
//! outcome, filtered and paged; a patient's own log extract
//! ("loggutdrag"); and the list of emergency accesses that a reviewer
//! signs off. Only the audit reviewer role may do any of it, and every
//! review is itself written to the audit log.

use crate::access::audit;
use crate::error::{AppError, Result};
use crate::patients::find_patient;
use crate::App;
use chrono::{DateTime, NaiveDate, Utc};
use ramp_domain::audit::{AuditOutcome, Verdict};
use ramp_domain::figures::stockholm_midnight_utc;
use ramp_domain::Term;
use ramp_model::{
    AccessReason, AuditEntry, AuditQuery, AuditRecord, EmergencyAccessRecord, EmergencyQuery, Id, Keyset,
    NewAuditEntry, NewEmergencyReview, Patient, Unit, User,
};

/// Rows on a page when the caller does not say.
pub const DEFAULT_PAGE: i64 = 50;
/// The most rows on one page.
pub const MAX_PAGE: i64 = 200;
/// The most rows in one log extract; a longer history is cut to a period.
pub const MAX_EXTRACT: usize = 10_000;

/// Why a row deserves the reviewer's eye.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// The patient's data was read without a care relationship (an HMC
    /// role, or no recorded ground at all).
    NoCareRelationship,
    /// Declared, or read under, an emergency access.
    EmergencyAccess,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::NoCareRelationship => "no_care_relationship",
            Flag::EmergencyAccess => "emergency_access",
        }
    }
}

/// The flags of a logged action. A reviewer's own reads of the log are
/// their duty, not a read of patient data, and carry none.
pub fn flags_of(e: &AuditEntry) -> Vec<Flag> {
    let mut flags = vec![];
    if e.reason == AccessReason::EmergencyAccess {
        flags.push(Flag::EmergencyAccess);
    } else if e.patient_id.is_some()
        && e.reason != AccessReason::CareRelationship
        && AuditOutcome::of_action(&e.action) == AuditOutcome::Granted
        && !e.action.starts_with("audit.")
    {
        flags.push(Flag::NoCareRelationship);
    }
    flags
}

/// One row of a review: the record, its outcome and its flags.
#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub record: AuditRecord,
    pub outcome: AuditOutcome,
    pub flags: Vec<Flag>,
}

impl From<AuditRecord> for ReviewRow {
    fn from(record: AuditRecord) -> Self {
        Self { outcome: AuditOutcome::of_action(&record.entry.action), flags: flags_of(&record.entry), record }
    }
}

/// What a reviewer filters by, as typed; every field optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub personal_id: Option<String>,
    /// The user's username.
    pub user: Option<String>,
    /// The unit's HSA id.
    pub unit: Option<String>,
    /// First day, `YYYY-MM-DD` (Swedish time), inclusive.
    pub from: Option<String>,
    /// Last day, inclusive.
    pub to: Option<String>,
    /// `care_relationship`, `emergency_access`, `hmc_role` or `none`.
    pub legal_ground: Option<String>,
    /// `granted` or `refused`.
    pub outcome: Option<String>,
    /// Where the previous page ended (its `next`).
    pub after: Option<String>,
    pub limit: Option<i64>,
}

/// One page of a review, newest first.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub rows: Vec<ReviewRow>,
    /// Where the next page begins; `None` on the last page.
    pub next: Option<String>,
}

/// A patient's log extract ("loggutdrag"): every logged access to their
/// data in the period, newest first.
#[derive(Debug, Clone)]
pub struct LogExtract {
    pub patient: Patient,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub made_at: DateTime<Utc>,
    pub made_by: String,
    pub rows: Vec<ReviewRow>,
    /// More than [`MAX_EXTRACT`] rows: the extract holds the newest.
    pub truncated: bool,
}

/// One page of the emergency-access review list.
#[derive(Debug, Clone)]
pub struct EmergencyPage {
    pub accesses: Vec<EmergencyAccessRecord>,
    pub next: Option<String>,
}

fn require_reviewer(user: &User) -> Result<()> {
    if user.roles.iter().any(|r| r.reviews_audit_log()) {
        Ok(())
    } else {
        Err(AppError::forbidden("role_required", "the audit log is reviewed by audit reviewers (role audit_reviewer)"))
    }
}

/// Whether `user` may review the audit log (shows the menu item).
pub fn may_review(user: &User) -> bool {
    require_reviewer(user).is_ok()
}

/// A place in a list as a client carries it: `<microseconds since 1970>_<id>`.
pub fn cursor(k: Keyset) -> String {
    format!("{}_{}", k.at.timestamp_micros(), k.id)
}

fn parse_cursor(s: &str) -> Result<Keyset> {
    let bad = || AppError::invalid("after", "invalid_cursor", "use the `next` value of the previous page");
    let (micros, id) = s.trim().split_once('_').ok_or_else(bad)?;
    let at = DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok(Keyset { at, id: id.parse().map_err(|_| bad())? })
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The period as instants: from the start of `from` to the end of `to`.
fn period(from: Option<&str>, to: Option<&str>) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let from = crate::dates::parse_optional_date("from", from, "2026-01-01")?;
    let to = crate::dates::parse_optional_date("to", to, "2026-12-31")?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(AppError::invalid("from", "after_to", "the first day is after the last day"));
        }
    }
    Ok((from, to))
}

fn instants(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    (from.map(stockholm_midnight_utc), to.and_then(|t| t.succ_opt()).map(stockholm_midnight_utc))
}

fn legal_ground(s: &str) -> Result<AccessReason> {
    [AccessReason::CareRelationship, AccessReason::EmergencyAccess, AccessReason::HmcRole, AccessReason::None]
        .into_iter()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| {
            AppError::invalid(
                "legal_ground",
                "invalid_legal_ground",
                "expected one of: care_relationship, emergency_access, hmc_role, none",
            )
        })
}

fn limit(l: Option<i64>) -> Result<i64> {
    match l {
        None => Ok(DEFAULT_PAGE),
        Some(l) if (1..=MAX_PAGE).contains(&l) => Ok(l),
        Some(_) => Err(AppError::invalid("limit", "invalid_limit", format!("give 1 to {MAX_PAGE} rows a page"))),
    }
}

/// The filters as typed, read into a query, and what the audit row of the
/// review says about them (no personal identity number: the patient is
/// the row's own column).
async fn query(app: &App, f: &AuditFilter) -> Result<(AuditQuery, String)> {
    let mut q = AuditQuery { limit: limit(f.limit)?, ..Default::default() };
    let mut said = vec![];
    if let Some(pid) = blank(&f.personal_id) {
        q.patient_id = Some(find_patient(app, pid).await?.id);
    }
    if let Some(name) = blank(&f.user) {
        let user = app.storage.user_by_username(name).await?;
        q.user_id = Some(user.ok_or_else(|| AppError::not_found(Some("user"), "user_not_found", "no such user"))?.id);
        said.push(format!("user={name}"));
    }
    if let Some(hsa) = blank(&f.unit) {
        let units = app.storage.audit_units().await?;
        let unit = units.iter().find(|u| u.hsa_id == hsa);
        q.unit_id = Some(unit.ok_or_else(|| AppError::not_found(Some("unit"), "unit_not_found", "no such unit"))?.id);
        said.push(format!("unit={hsa}"));
    }
    let (from, to) = period(blank(&f.from), blank(&f.to))?;
    (q.from, q.until) = instants(from, to);
    said.extend(from.map(|d| format!("from={d}")));
    said.extend(to.map(|d| format!("to={d}")));
    if let Some(g) = blank(&f.legal_ground) {
        q.reason = Some(legal_ground(g)?);
        said.push(format!("legal_ground={g}"));
    }
    if let Some(o) = blank(&f.outcome) {
        q.outcome = Some(AuditOutcome::parse(o)?);
        said.push(format!("outcome={o}"));
    }
    if let Some(a) = blank(&f.after) {
        q.after = Some(parse_cursor(a)?);
        said.push("next_page".into());
    }
    Ok((q, said.join(" ")))
}

/// One page of the audit log, filtered; writes the review's own audit row.
pub async fn search(app: &App, user: &User, filter: &AuditFilter, request_id: Option<&str>) -> Result<AuditPage> {
    require_reviewer(user)?;
    let (q, said) = query(app, filter).await?;
    let mut records = app.storage.search_audit(&AuditQuery { limit: q.limit + 1, ..q.clone() }).await?;
    let more = records.len() as i64 > q.limit;
    records.truncate(q.limit as usize);
    let next =
        more.then(|| records.last().map(|r| cursor(Keyset { at: r.entry.occurred_at, id: r.entry.id }))).flatten();
    let detail = (!said.is_empty()).then_some(said);
    audit(app, user, q.patient_id, "audit.search", AccessReason::None, detail, request_id).await?;
    Ok(AuditPage { rows: records.into_iter().map(ReviewRow::from).collect(), next })
}

/// A patient's log extract for the period (all of it when none is given),
/// for the patient; writes its own audit row.
pub async fn log_extract(
    app: &App,
    user: &User,
    personal_id: &str,
    from: Option<&str>,
    to: Option<&str>,
    request_id: Option<&str>,
) -> Result<LogExtract> {
    require_reviewer(user)?;
    let patient = find_patient(app, personal_id).await?;
    let (from, to) =
        period(from.map(str::trim).filter(|v| !v.is_empty()), to.map(str::trim).filter(|v| !v.is_empty()))?;
    let (since, until) = instants(from, to);
    let mut q = AuditQuery { patient_id: Some(patient.id), from: since, until, limit: 1_000, ..Default::default() };
    let mut rows: Vec<ReviewRow> = vec![];
    let truncated = loop {
        let page = app.storage.search_audit(&q).await?;
        let full = page.len() as i64 == q.limit;
        q.after = page.last().map(|r| Keyset { at: r.entry.occurred_at, id: r.entry.id });
        rows.extend(page.into_iter().map(ReviewRow::from));
        if rows.len() > MAX_EXTRACT {
            rows.truncate(MAX_EXTRACT);
            break true;
        }
        if !full {
            break false;
        }
    };
    let detail = [from.map(|d| format!("from={d}")), to.map(|d| format!("to={d}"))].into_iter().flatten();
    let detail = detail.collect::<Vec<_>>().join(" ");
    let detail = (!detail.is_empty()).then_some(detail);
    audit(app, user, Some(patient.id), "audit.log_extract", AccessReason::None, detail, request_id).await?;
    Ok(LogExtract { patient, from, to, made_at: app.clock.now(), made_by: user.display_name.clone(), rows, truncated })
}

/// The emergency accesses, newest first: those not yet signed off, or
/// all; writes the review's own audit row.
pub async fn emergency_accesses(
    app: &App,
    user: &User,
    unreviewed_only: bool,
    after: Option<&str>,
    request_id: Option<&str>,
) -> Result<EmergencyPage> {
    require_reviewer(user)?;
    let after = after.map(str::trim).filter(|a| !a.is_empty()).map(parse_cursor).transpose()?;
    let q = EmergencyQuery { unreviewed_only, after, limit: DEFAULT_PAGE + 1 };
    let mut accesses = app.storage.emergency_access_review(&q).await?;
    let more = accesses.len() as i64 > DEFAULT_PAGE;
    accesses.truncate(DEFAULT_PAGE as usize);
    let next = more.then(|| accesses.last().map(|e| cursor(Keyset { at: e.granted_at, id: e.id }))).flatten();
    let detail = if unreviewed_only { "unreviewed" } else { "all" };
    audit(app, user, None, "audit.emergency_accesses", AccessReason::None, Some(detail.into()), request_id).await?;
    Ok(EmergencyPage { accesses, next })
}

/// Signs off an emergency access with a verdict and a comment, once; the
/// sign-off and its audit row are written together. Nobody signs off
/// their own emergency access.
pub async fn sign_off(
    app: &App,
    user: &User,
    id: Id,
    verdict: &str,
    comment: &str,
    request_id: Option<&str>,
) -> Result<EmergencyAccessRecord> {
    require_reviewer(user)?;
    let verdict = Verdict::parse(verdict.trim())?;
    let comment = comment.trim();
    if !(3..=1_000).contains(&comment.chars().count()) {
        return Err(AppError::invalid(
            "comment",
            "comment_required",
            "say what the review found (3 to 1,000 characters)",
        ));
    }
    let access =
        app.storage.emergency_access(id).await?.ok_or_else(|| {
            AppError::not_found(None, "emergency_access_not_found", "there is no such emergency access")
        })?;
    if access.user_id == user.id {
        return Err(AppError::forbidden("own_emergency_access", "nobody signs off their own emergency access"));
    }
    let now = app.clock.now();
    let review = NewEmergencyReview {
        emergency_access_id: id,
        reviewed_by: user.id,
        reviewed_at: now,
        verdict,
        comment: comment.to_string(),
    };
    let entry = NewAuditEntry {
        occurred_at: now,
        user_id: user.id,
        patient_id: Some(access.patient_id),
        action: "audit.emergency_access_signed_off".into(),
        reason: AccessReason::None,
        detail: Some(format!("emergency_access={id} verdict={}", verdict.as_str())),
        request_id: request_id.map(str::to_string),
    };
    if !app.storage.review_emergency_access(&review, &entry).await? {
        return Err(AppError::conflict("already_signed_off", "the emergency access is already signed off"));
    }
    app.storage
        .emergency_access(id)
        .await?
        .ok_or_else(|| AppError::not_found(None, "emergency_access_not_found", "there is no such emergency access"))
}

/// The units the review can filter by, by name.
pub async fn units(app: &App, user: &User) -> Result<Vec<Unit>> {
    require_reviewer(user)?;
    Ok(app.storage.audit_units().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(reason: AccessReason, action: &str, patient: Option<Id>) -> AuditEntry {
        AuditEntry {
            id: 1,
            occurred_at: DateTime::from_timestamp(0, 0).unwrap(),
            user_id: 1,
            patient_id: patient,
            action: action.into(),
            reason,
            detail: None,
            request_id: None,
        }
    }

    #[test]
    fn reads_without_a_care_relationship_and_every_emergency_access_are_flagged() {
        use AccessReason::*;
        let cases = [
            (CareRelationship, "patient.overview", Some(1), vec![]),
            (HmcRole, "device.card", Some(1), vec![Flag::NoCareRelationship]),
            (AccessReason::None, "order.read", Some(1), vec![Flag::NoCareRelationship]),
            (EmergencyAccess, "patient.emergency_access_declared", Some(1), vec![Flag::EmergencyAccess]),
            (EmergencyAccess, "patient.overview", Some(1), vec![Flag::EmergencyAccess]),
            (AccessReason::None, "patient.overview.refused", Some(1), vec![]),
            (AccessReason::None, "audit.log_extract", Some(1), vec![]),
            (HmcRole, "stock.read", Option::None, vec![]),
        ];
        for (reason, action, patient, flags) in cases {
            assert_eq!(flags_of(&entry(reason, action, patient)), flags, "{action} {reason:?}");
        }
    }

    #[test]
    fn a_cursor_reads_back_as_the_place_it_was_made_from() {
        let k = Keyset { at: DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap(), id: 42 };
        assert_eq!(parse_cursor(&cursor(k)).unwrap(), k);
        for bad in ["", "x", "12", "12_x", "x_12"] {
            let e = parse_cursor(bad).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), ("invalid_cursor", Some("after")), "{bad:?}");
        }
    }

    #[test]
    fn a_period_runs_from_stockholm_midnight_to_the_next_midnight_after_its_last_day() {
        let (from, to) = period(Some("2026-03-01"), Some("2026-03-31")).unwrap();
        let (since, until) = instants(from, to);
        assert_eq!(since.unwrap().to_rfc3339(), "2026-02-28T23:00:00+00:00");
        assert_eq!(until.unwrap().to_rfc3339(), "2026-03-31T22:00:00+00:00", "summer time began on 29 March");
        let e = period(Some("2026-04-01"), Some("2026-03-01")).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), ("after_to", Some("from")));
    }
}
