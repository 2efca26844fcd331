//! The storage contract of the audit-log review (`AuditStore`): filters,
//! keyset paging, the unit written with each row, and the emergency-access
//! sign-off. Run on every engine like [`crate::contract`].

use crate::fixture::{self, t, Fixture};
use crate::*;
use ramp_domain::access::EmergencyCategory;
use ramp_domain::audit::{AuditOutcome, Verdict};
use std::sync::Arc;

/// Names of every audit-review contract test; the test binary instantiates each per engine.
#[macro_export]
macro_rules! for_each_audit_contract_test {
    ($m:ident) => {
        $m!(
            audit_rows_name_the_unit_their_user_acted_for,
            audit_review_filters_combine_and_pages_newest_first_without_gaps_or_repeats,
            an_emergency_access_is_signed_off_once_together_with_its_audit_row
        );
    };
}

async fn fixture(s: &dyn Storage) -> Fixture {
    fixture::load(s, "$argon2id$fixture").await.expect("fixture loads")
}

fn entry(
    at: chrono::DateTime<chrono::Utc>,
    user: Id,
    patient: Option<Id>,
    action: &str,
    reason: AccessReason,
) -> NewAuditEntry {
    NewAuditEntry {
        occurred_at: at,
        user_id: user,
        patient_id: patient,
        action: action.into(),
        reason,
        detail: None,
        request_id: None,
    }
}

async fn all_pages(s: &dyn Storage, q: &AuditQuery, page: i64) -> Vec<Id> {
    let mut q = AuditQuery { limit: page, ..q.clone() };
    let mut ids = vec![];
    loop {
        let rows = s.search_audit(&q).await.unwrap();
        ids.extend(rows.iter().map(|r| r.entry.id));
        match rows.last() {
            Some(last) if rows.len() as i64 == page => {
                q.after = Some(Keyset { at: last.entry.occurred_at, id: last.entry.id })
            }
            _ => return ids,
        }
    }
}

pub async fn audit_rows_name_the_unit_their_user_acted_for(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let prescriber = s
        .append_audit(&entry(
            t(2025, 3, 1),
            f.prescriber,
            Some(f.tolvan),
            "patient.overview",
            AccessReason::CareRelationship,
        ))
        .await
        .unwrap();
    let warehouse = s
        .append_audit(&entry(t(2025, 3, 2), f.warehouse_user, Some(f.tolvan), "device.card", AccessReason::HmcRole))
        .await
        .unwrap();
    let rows = s.search_audit(&AuditQuery { limit: 10, ..Default::default() }).await.unwrap();
    let by_id = |id| rows.iter().find(|r| r.entry.id == id).expect("row");
    assert_eq!(by_id(prescriber).unit_id, Some(f.vardcentral));
    assert_eq!(by_id(prescriber).unit_name.as_deref(), Some("Vårdcentralen Solna"));
    assert_eq!(by_id(prescriber).username, "anna");
    assert_eq!(by_id(prescriber).patient.as_ref().map(|p| p.given_name.as_str()), Some("Tolvan"));
    assert_eq!(by_id(warehouse).unit_id, None, "HMC staff belong to no unit");
}

/// A row the test wrote, as the filters see it.
struct Written {
    id: Id,
    at: chrono::DateTime<chrono::Utc>,
    user: Id,
    patient: Option<Id>,
    reason: AccessReason,
    refused: bool,
}

/// Which written rows a query should find.
type Keep<'a> = Box<dyn Fn(&Written) -> bool + 'a>;

pub async fn audit_review_filters_combine_and_pages_newest_first_without_gaps_or_repeats(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    use AccessReason::{CareRelationship, EmergencyAccess, HmcRole};
    let users = [f.prescriber, f.other_prescriber, f.warehouse_user];
    let patients = [Some(f.tolvan), Some(f.other_patient), None];
    let reasons = [CareRelationship, EmergencyAccess, HmcRole, AccessReason::None];
    let mut written = vec![];
    for i in 0..40u32 {
        // Four rows share each instant, so the id breaks ties.
        let at = t(2025, 1, 1) + chrono::Duration::minutes((i / 4) as i64);
        let (user, patient, reason) = (users[i as usize % 3], patients[i as usize % 3], reasons[i as usize % 4]);
        let action = if reason == AccessReason::None { "patient.overview.refused" } else { "patient.overview" };
        let id = s.append_audit(&entry(at, user, patient, action, reason)).await.unwrap();
        written.push(Written { id, at, user, patient, reason, refused: action.ends_with(".refused") });
    }
    written.sort_by_key(|w| std::cmp::Reverse((w.at, w.id)));
    let everything = AuditQuery::default();
    assert_eq!(all_pages(&*s, &everything, 7).await, written.iter().map(|w| w.id).collect::<Vec<_>>());

    let from = t(2025, 1, 1) + chrono::Duration::minutes(2);
    let until = t(2025, 1, 1) + chrono::Duration::minutes(8);
    let cases: Vec<(AuditQuery, Keep<'_>)> = vec![
        (AuditQuery { patient_id: Some(f.tolvan), ..Default::default() }, Box::new(|w| w.patient == Some(f.tolvan))),
        (
            AuditQuery { user_id: Some(f.other_prescriber), ..Default::default() },
            Box::new(|w| w.user == f.other_prescriber),
        ),
        (AuditQuery { unit_id: Some(f.vardcentral), ..Default::default() }, Box::new(|w| w.user == f.prescriber)),
        (
            AuditQuery { from: Some(from), until: Some(until), ..Default::default() },
            Box::new(move |w| w.at >= from && w.at < until),
        ),
        (AuditQuery { reason: Some(EmergencyAccess), ..Default::default() }, Box::new(|w| w.reason == EmergencyAccess)),
        (AuditQuery { outcome: Some(AuditOutcome::Refused), ..Default::default() }, Box::new(|w| w.refused)),
        (AuditQuery { outcome: Some(AuditOutcome::Granted), ..Default::default() }, Box::new(|w| !w.refused)),
        (
            AuditQuery {
                user_id: Some(f.prescriber),
                from: Some(from),
                outcome: Some(AuditOutcome::Granted),
                ..Default::default()
            },
            Box::new(move |w| w.user == f.prescriber && w.at >= from && !w.refused),
        ),
    ];
    for (q, keep) in &cases {
        let expected: Vec<Id> = written.iter().filter(|w| keep(w)).map(|w| w.id).collect();
        assert!(!expected.is_empty(), "{q:?} selects something");
        assert_eq!(all_pages(&*s, q, 3).await, expected, "{q:?}");
    }
}

pub async fn an_emergency_access_is_signed_off_once_together_with_its_audit_row(s: Arc<dyn Storage>) {
    let f = fixture(&*s).await;
    let access = NewEmergencyAccess {
        user_id: f.other_prescriber,
        patient_id: f.tolvan,
        category: EmergencyCategory::UrgentCare,
        reason: "akut fallrisk, patienten kan inte svara".into(),
        at: t(2025, 2, 1),
        expires: t(2025, 2, 1) + chrono::Duration::hours(4),
    };
    s.grant_emergency_access(&access).await.unwrap();
    let declared = entry(
        t(2025, 2, 1),
        f.other_prescriber,
        Some(f.tolvan),
        "patient.emergency_access_declared",
        AccessReason::EmergencyAccess,
    );
    s.append_audit(&declared).await.unwrap();
    for minutes in [5, 65] {
        let read = entry(
            t(2025, 2, 1) + chrono::Duration::minutes(minutes),
            f.other_prescriber,
            Some(f.tolvan),
            "patient.overview",
            AccessReason::EmergencyAccess,
        );
        s.append_audit(&read).await.unwrap();
    }
    let after_expiry =
        entry(t(2025, 2, 2), f.other_prescriber, Some(f.tolvan), "patient.overview", AccessReason::EmergencyAccess);
    s.append_audit(&after_expiry).await.unwrap();

    let open =
        s.emergency_access_review(&EmergencyQuery { unreviewed_only: true, after: None, limit: 10 }).await.unwrap();
    assert_eq!(open.len(), 1);
    let access = &open[0];
    assert_eq!(
        (access.uses, access.category, access.reason.as_str(), access.patient.given_name.as_str()),
        (2, EmergencyCategory::UrgentCare, "akut fallrisk, patienten kan inte svara", "Tolvan")
    );
    assert_eq!(access.review, None);

    let review = NewEmergencyReview {
        emergency_access_id: access.id,
        reviewed_by: f.admin,
        reviewed_at: t(2025, 2, 3),
        verdict: Verdict::Justified,
        comment: "Akut vård, rimligt.".into(),
    };
    let audit = entry(t(2025, 2, 3), f.admin, Some(f.tolvan), "audit.emergency_access_signed_off", AccessReason::None);
    assert!(s.review_emergency_access(&review, &audit).await.unwrap());
    assert!(!s.review_emergency_access(&review, &audit).await.unwrap(), "signed off once");

    assert!(s
        .emergency_access_review(&EmergencyQuery { unreviewed_only: true, after: None, limit: 10 })
        .await
        .unwrap()
        .is_empty());
    let signed = s.emergency_access(access.id).await.unwrap().expect("access");
    let r = signed.review.expect("review");
    assert_eq!(
        (r.reviewed_by, r.verdict, r.comment.as_str(), r.reviewed_at),
        (f.admin, Verdict::Justified, "Akut vård, rimligt.", t(2025, 2, 3))
    );
    assert_eq!(r.reviewer_name, "Ada Admin");
    let logged = s.search_audit(&AuditQuery { user_id: Some(f.admin), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(logged.iter().filter(|r| r.entry.action == "audit.emergency_access_signed_off").count(), 1);
}
