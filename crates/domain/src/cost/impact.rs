//! Impact simulation: replay past order lines under a proposed agreement
//! and total the cost that moves between principals. The seeds describe a
//! revision whose effect ("+600,000 SEK per year for all municipalities")
//! had to be estimated by hand; this computes it from the history.

use super::{Agreement, AgreementSet, DecisionRequest, Kind, Need, Outcome, Patient, Payer, Product};
use crate::ids::IsoCode;
use crate::money::Ore;
use crate::setting::Setting;
use crate::FieldError;
use crate::Term;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// One past order line, as the simulation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    pub date: NaiveDate,
    pub age: u32,
    pub setting: Setting,
    pub iso: IsoCode,
    pub kind: Kind,
    /// The patient's home municipality (name), who pays when the payer is the municipality.
    pub municipality: String,
    /// What the line cost.
    pub cost: Ore,
}

/// Totals before and after, in öre.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub current: i64,
    pub proposal: i64,
}

impl Shift {
    pub fn delta(&self) -> i64 {
        self.proposal - self.current
    }
}

/// The result of a simulation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImpactReport {
    pub lines: usize,
    /// Lines whose payer differs under the proposal.
    pub changed_lines: usize,
    /// Lines no rule decided (outside the agreement's scope), left out of the totals.
    pub undecided_lines: usize,
    /// Per payer: region, municipality, patient.
    pub per_payer: BTreeMap<String, Shift>,
    /// The municipalities' share, per municipality.
    pub per_municipality: BTreeMap<String, Shift>,
}

/// Decides one line. Facts the agreement asks about are taken as "no"
/// (the common case; stated in the report); the result is `None` when
/// the line is outside the agreement.
fn payer_of(set: &AgreementSet, region: &str, date: NaiveDate, line: &HistoryLine) -> Option<Payer> {
    let mut req = DecisionRequest {
        region: region.to_string(),
        date,
        patient: Patient::Age(line.age),
        setting: line.setting,
        product: Product { iso: Some(line.iso.clone()), kind: line.kind, facts: BTreeMap::new() },
        need: Need::Lasting,
    };
    for _ in 0..8 {
        match set.decide(&req) {
            Ok(Outcome::Decision(d)) => return Some(d.payer),
            Ok(Outcome::Needs(needs)) => {
                for n in needs {
                    req.product.facts.insert(n.fact, false);
                }
            }
            Err(_) => return None,
        }
    }
    None
}

fn add(map: &mut BTreeMap<String, Shift>, key: &str, current: Option<i64>, proposal: Option<i64>) {
    let e = map.entry(key.to_string()).or_default();
    e.current += current.unwrap_or(0);
    e.proposal += proposal.unwrap_or(0);
}

/// Replays `lines` under the agreements in force (`current`) and under
/// `proposal` (as if in force from its date), for the proposal's region.
pub fn impact(current: &AgreementSet, proposal: &Agreement, lines: &[HistoryLine]) -> Result<ImpactReport, FieldError> {
    let region = proposal.region();
    let proposed = AgreementSet::from_agreements(vec![proposal.clone()])
        .map_err(|e| FieldError::new("proposal", "invalid_agreement", e.to_string()))?;
    let mut report = ImpactReport { lines: lines.len(), ..Default::default() };
    for line in lines {
        let before = payer_of(current, region, line.date, line);
        let after = payer_of(&proposed, region, line.date.max(proposal.effective_from()), line);
        let (Some(before), Some(after)) = (before, after) else {
            report.undecided_lines += 1;
            continue;
        };
        if before != after {
            report.changed_lines += 1;
        }
        let cost = line.cost.0;
        add(&mut report.per_payer, before.as_str(), Some(cost), None);
        add(&mut report.per_payer, after.as_str(), None, Some(cost));
        let m = |p: Payer| (p == Payer::Municipality).then_some(cost);
        if before == Payer::Municipality || after == Payer::Municipality {
            add(&mut report.per_municipality, &line.municipality, m(before), m(after));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(age: u32, setting: Setting, iso: &str, cost_sek: i64) -> HistoryLine {
        HistoryLine {
            date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            age,
            setting,
            iso: IsoCode::parse(iso).unwrap(),
            kind: Kind::Device,
            municipality: "Lidingö stad".into(),
            cost: Ore::from_sek(cost_sek),
        }
    }

    fn stockholm_text() -> &'static str {
        AgreementSet::builtin_files().iter().find(|(p, _)| p.contains("stockholm")).map(|(_, t)| *t).unwrap()
    }

    /// A proposal: from 2024-01-01, rollators (12 06) leave the SÄBO list.
    fn proposal_without_rollators_on_the_saebo_list() -> Agreement {
        let text = stockholm_text().replace("effective_from = 2021-01-01", "effective_from = 2024-01-01");
        let changed = text.replace(r#""12 03", "12 06", "12 31""#, r#""12 03", "12 31""#);
        assert_ne!(changed, text, "fixture edit did not apply");
        Agreement::parse("stockholm/2024-01-01.toml", &changed).unwrap()
    }

    #[test]
    fn the_current_agreement_as_its_own_proposal_shifts_nothing() {
        let lines = vec![line(85, Setting::Saebo, "120606", 3000), line(40, Setting::Ordinary, "122203", 9000)];
        let current = AgreementSet::builtin();
        let same = current.in_force("stockholm", NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).unwrap().clone();
        let r = impact(&current, &same, &lines).unwrap();
        assert_eq!((r.lines, r.changed_lines, r.undecided_lines), (2, 0, 0));
        assert!(r.per_payer.values().all(|s| s.delta() == 0));
        assert_eq!(r.per_payer.values().map(|s| s.current).sum::<i64>(), 1_200_000);
    }

    #[test]
    fn taking_rollators_off_the_saebo_list_moves_their_cost_from_the_municipality_to_the_region() {
        let lines = vec![
            line(85, Setting::Saebo, "120606", 3000),
            line(90, Setting::Saebo, "120606", 2000),
            line(40, Setting::Ordinary, "122203", 9000),
        ];
        let r = impact(&AgreementSet::builtin(), &proposal_without_rollators_on_the_saebo_list(), &lines).unwrap();
        assert_eq!(r.changed_lines, 2);
        assert_eq!(r.per_payer["municipality"], Shift { current: 500_000, proposal: 0 });
        assert_eq!(r.per_payer["region"], Shift { current: 900_000, proposal: 1_400_000 });
        assert_eq!(r.per_municipality["Lidingö stad"].delta(), -500_000);
    }
}
