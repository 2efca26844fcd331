//! Impact simulation over the stored lending history (issue 3: "replays the
//! order lines of that period (from the database) under the proposal").

use chrono::NaiveDate;
use ramp_domain::cost::{Agreement, AgreementSet};
use ramp_testkit::TestApp;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Stockholm's agreement with rollators (12 06) taken off the SÄBO list from 2024-01-01.
fn proposal() -> Agreement {
    let (_, text) = AgreementSet::builtin_files().iter().find(|(p, _)| p.contains("stockholm")).unwrap();
    let text = text.replace("effective_from = 2021-01-01", "effective_from = 2024-01-01");
    let changed = text.replace(r#""12 03", "12 06", "12 31""#, r#""12 03", "12 31""#);
    assert_ne!(changed, text);
    Agreement::parse("stockholm/2024-01-01.toml", &changed).unwrap()
}

async fn a_proposal_is_replayed_over_the_periods_lending_history_per_municipality(app: TestApp) {
    // The fixture: Tolvan, in SÄBO since 2024-01-01, got a 2,500 kr rollator on 2024-02-01 (Stockholms stad).
    let r = ramp_app::impact::simulate(
        app.storage.as_ref(),
        &AgreementSet::builtin(),
        &proposal(),
        d(2024, 1, 1),
        d(2024, 12, 31),
    )
    .await
    .unwrap();
    assert_eq!((r.lines, r.changed_lines, r.undecided_lines), (1, 1, 0));
    assert_eq!(r.per_payer["municipality"].delta(), -250_000);
    assert_eq!(r.per_payer["region"].delta(), 250_000);
    assert_eq!(r.per_municipality["Stockholms stad"].current, 250_000);

    let empty = ramp_app::impact::simulate(
        app.storage.as_ref(),
        &AgreementSet::builtin(),
        &proposal(),
        d(2025, 1, 1),
        d(2025, 12, 31),
    )
    .await
    .unwrap();
    assert_eq!(empty.lines, 0);
    let bad = ramp_app::impact::simulate(
        app.storage.as_ref(),
        &AgreementSet::builtin(),
        &proposal(),
        d(2025, 1, 1),
        d(2024, 1, 1),
    )
    .await;
    assert_eq!(bad.unwrap_err().field.as_deref(), Some("to"));
}

ramp_testkit::on_both_engines!(a_proposal_is_replayed_over_the_periods_lending_history_per_municipality);
