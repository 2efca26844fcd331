//! Patients: who they are (a pure function of seed and patient id, so the
//! device generator can ask again later), their personal identity numbers
//! (unique, Luhn-valid, some samordningsnummer), their settings over time
//! and their care relationships.
//!
//! Patient 1 is always Tolvan Tolvansson, 19121212-1212: in ordinary
//! housing until 400 days before `today`, in SÄBO since, with care
//! relationships to the named demo prescribers' units.

use super::geography::GOTEBORG;
use super::names::{FAMILY, FEMALE_OLD, FEMALE_YOUNG, MALE_OLD, MALE_YOUNG};
use super::organisations::{municipality_principal, Org, UnitKind};
use super::rng::{stream, Rng};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use ramp_domain::ids::PersonalId;
use ramp_domain::setting::Setting;
use ramp_model::{CareRelationship, Id, Patient, PatientSetting};

pub const TOLVAN: Id = 1;
pub const TOLVAN_PNR: &str = "191212121212";
/// Days before `today` that Tolvan moved into SÄBO.
pub const TOLVAN_SAEBO_DAYS: i64 = 400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeGroup {
    Elderly,
    Adult,
    Child,
}

/// What the other generators need to know about a patient.
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: Id,
    pub muni: usize,
    pub birth: NaiveDate,
    pub group: AgeGroup,
    pub setting: Setting,
    /// When the current setting began (birth for lifelong ordinary housing).
    pub since: NaiveDate,
    /// A past short-term stay (from, to), for some in ordinary housing.
    pub past_stay: Option<(NaiveDate, NaiveDate)>,
    /// The regional unit responsible (vårdcentral, or habilitation for children).
    pub regional: Id,
    pub regional_since: NaiveDate,
    /// An earlier vårdcentral (unit, from, to).
    pub previous_regional: Option<(Id, NaiveDate, NaiveDate)>,
    /// The municipal unit responsible, if any (SÄBO, LSS housing, home health care...).
    pub municipal: Option<Id>,
    pub municipal_since: NaiveDate,
    /// How many devices the patient holds now.
    pub holdings: usize,
}

impl Profile {
    pub fn municipality_principal(&self) -> Id {
        municipality_principal(self.muni)
    }
}

/// The patient's profile: a pure function of (seed, id, today).
pub fn profile(seed: u64, org: &Org, id: Id, today: NaiveDate) -> Profile {
    if id == TOLVAN {
        return tolvan(org, today);
    }
    let mut r = Rng::derive(seed, stream::PATIENT, id as u64);
    let muni = org.population.sample(&mut r);
    let group = [AgeGroup::Elderly, AgeGroup::Adult, AgeGroup::Child][r.weighted(&[82, 12, 6])];
    let age = match group {
        AgeGroup::Elderly => {
            let spread: f64 = (0..4).map(|_| r.unit()).sum::<f64>() - 2.0;
            (83.0 + spread * 12.0).round().clamp(65.0, 104.0) as i64
        }
        AgeGroup::Adult => r.range(18, 64),
        AgeGroup::Child => r.range(1, 17),
    };
    let birth = today - Duration::days(age * 365 + age / 4 + r.range(1, 364));
    let (setting, since) = draw_setting(&mut r, group, birth, today);
    let past_stay = (setting == Setting::Ordinary && group == AgeGroup::Elderly && r.chance(0.15)).then(|| {
        let from = today - Duration::days(r.range(90, 1_500));
        (from, from + Duration::days(r.range(7, 60)))
    });
    let regional_kind = if group == AgeGroup::Child { UnitKind::Habilitation } else { UnitKind::PrimaryCare };
    let regional = org.unit_near(&mut r, muni, regional_kind).expect("the region has primary care");
    let regional_since = later(birth, today - Duration::days(r.range(60, 5_000)));
    let previous_regional = r.chance(0.25).then(|| {
        let unit = org.unit_near(&mut r, muni, UnitKind::PrimaryCare).expect("primary care exists");
        let from = later(birth, regional_since - Duration::days(r.range(400, 4_000)));
        (unit, from, regional_since.pred_opt().expect("valid date"))
    });
    let municipal = municipal_unit(&mut r, org, muni, group, setting);
    let municipal_since =
        if setting == Setting::Ordinary { later(birth, today - Duration::days(r.range(30, 3_000))) } else { since };
    let holdings = [0, 1, 2, 3, 4, 6][r.weighted(&[36, 40, 14, 6, 3, 1])];
    Profile {
        id,
        muni,
        birth,
        group,
        setting,
        since,
        past_stay,
        regional,
        regional_since,
        previous_regional: previous_regional.filter(|p| p.1 < p.2),
        municipal,
        municipal_since,
        holdings,
    }
}

fn draw_setting(r: &mut Rng, group: AgeGroup, birth: NaiveDate, today: NaiveDate) -> (Setting, NaiveDate) {
    use Setting::*;
    let (choices, weights): (&[Setting], &[u32]) = match group {
        AgeGroup::Elderly => (&[Ordinary, Saebo, ShortTermStay, DayCare], &[74, 18, 3, 5]),
        AgeGroup::Adult => (&[Ordinary, LssHousing, SocialpsychiatryHousing, DailyActivity], &[72, 12, 5, 11]),
        AgeGroup::Child => (&[Ordinary, ShortTermStay], &[97, 3]),
    };
    let setting = choices[r.weighted(weights)];
    let since = match setting {
        Ordinary => birth,
        ShortTermStay => today - Duration::days(r.range(5, 60)),
        _ => later(birth + Duration::days(18 * 365), today - Duration::days(r.range(20, 3_000))),
    };
    (setting, since.min(today - Duration::days(1)))
}

fn municipal_unit(r: &mut Rng, org: &Org, muni: usize, group: AgeGroup, setting: Setting) -> Option<Id> {
    let kind = match setting {
        Setting::Saebo => UnitKind::Saebo,
        Setting::LssHousing | Setting::SocialpsychiatryHousing => UnitKind::LssHousing,
        Setting::ShortTermStay => UnitKind::ShortTermStay,
        Setting::DailyActivity => UnitKind::DailyActivity,
        Setting::DayCare => UnitKind::HomeCare,
        Setting::Ordinary if group == AgeGroup::Elderly && r.chance(0.4) => UnitKind::HomeHealthCare,
        Setting::Ordinary => return None,
    };
    org.unit_near(r, muni, kind).or_else(|| org.unit_near(r, muni, UnitKind::HomeHealthCare))
}

fn tolvan(org: &Org, today: NaiveDate) -> Profile {
    let saebo_since = today - Duration::days(TOLVAN_SAEBO_DAYS);
    Profile {
        id: TOLVAN,
        muni: GOTEBORG,
        birth: NaiveDate::from_ymd_opt(1912, 12, 12).expect("valid date"),
        group: AgeGroup::Elderly,
        setting: Setting::Saebo,
        since: saebo_since,
        past_stay: None,
        regional: org.units_at(GOTEBORG, UnitKind::PrimaryCare)[0],
        regional_since: today - Duration::days(11 * 365),
        previous_regional: None,
        municipal: Some(org.units_at(GOTEBORG, UnitKind::Saebo)[0]),
        municipal_since: saebo_since,
        holdings: 0,
    }
}

fn later(a: NaiveDate, b: NaiveDate) -> NaiveDate {
    a.max(b)
}

/// The rows of a batch of patients.
#[derive(Debug, Default)]
pub struct PatientRows {
    pub patients: Vec<Patient>,
    pub settings: Vec<PatientSetting>,
    pub relationships: Vec<CareRelationship>,
}

/// Remembers which personal identity numbers are taken, so that every
/// patient gets a unique one. One bit per (day since 1900, kind, serial):
/// about 12 MB, whatever the scale.
pub struct IdRegistry {
    bits: Vec<u64>,
}

const EPOCH_YEAR: i32 = 1900;

impl IdRegistry {
    pub fn new(today: NaiveDate) -> Self {
        let days = (today - epoch()).num_days() as usize + 1;
        let mut reg = IdRegistry { bits: vec![0; (days * 2000).div_ceil(64)] };
        reg.take(NaiveDate::from_ymd_opt(1912, 12, 12).expect("valid date"), false, 121);
        reg
    }

    fn slot(date: NaiveDate, coordination: bool, serial: u32) -> usize {
        (date - epoch()).num_days() as usize * 2000 + usize::from(coordination) * 1000 + serial as usize
    }

    fn take(&mut self, date: NaiveDate, coordination: bool, serial: u32) -> bool {
        let s = Self::slot(date, coordination, serial);
        let (word, bit) = (s / 64, 1u64 << (s % 64));
        let free = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        free
    }

    /// A free serial with the right gender digit, starting from a random one.
    fn allocate(&mut self, r: &mut Rng, date: NaiveDate, coordination: bool, female: bool) -> u32 {
        let start = r.below(500) as u32 * 2 + u32::from(!female);
        for k in 0..500 {
            let serial = (start + 2 * k) % 1000;
            if self.take(date, coordination, serial) {
                return serial;
            }
        }
        panic!("more than 500 people born on {date} of one gender");
    }
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(EPOCH_YEAR, 1, 1).expect("valid date")
}

/// `YYYYMMDDNNNC` with the Luhn check digit over `YYMMDDNNN`; samordningsnummer add 60 to the day.
pub fn personal_id_digits(date: NaiveDate, coordination: bool, serial: u32) -> String {
    let day = date.day() + if coordination { 60 } else { 0 };
    let body = format!("{:04}{:02}{:02}{:03}", date.year(), date.month(), day, serial);
    let sum: u32 = body[2..]
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let v = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            v / 10 + v % 10
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Rows for patients `ids`, in order. The registry must have seen every
/// earlier patient, so batches are generated in order.
pub fn patient_rows(
    seed: u64,
    org: &Org,
    ids: std::ops::Range<Id>,
    today: NaiveDate,
    reg: &mut IdRegistry,
) -> PatientRows {
    let mut rows = PatientRows::default();
    for id in ids {
        let p = profile(seed, org, id, today);
        let mut r = Rng::derive(seed, stream::PATIENT, (id as u64) | (1 << 40));
        let (given, family, digits) = if id == TOLVAN {
            ("Tolvan".to_string(), "Tolvansson".to_string(), TOLVAN_PNR.to_string())
        } else {
            let female = r.chance(if p.group == AgeGroup::Elderly { 0.6 } else { 0.5 });
            let coordination = p.group != AgeGroup::Elderly && r.chance(0.03);
            let serial = reg.allocate(&mut r, p.birth, coordination, female);
            let (given, family) = name(&mut r, &p, female);
            (given, family, personal_id_digits(p.birth, coordination, serial))
        };
        let personal_id = PersonalId::parse(&digits, today).expect("generated personal ids are valid");
        rows.patients.push(Patient {
            id,
            personal_id,
            birth_date: p.birth,
            given_name: given,
            family_name: family,
            municipality_id: p.municipality_principal(),
            created_at: noon(p.regional_since.min(p.municipal_since).max(p.birth)),
        });
        settings(&p, today, &mut rows.settings);
        relationships(org, &p, today, &mut rows.relationships);
    }
    rows
}

fn name(r: &mut Rng, p: &Profile, female: bool) -> (String, String) {
    let old = p.group == AgeGroup::Elderly;
    let list = match (female, old) {
        (true, true) => FEMALE_OLD,
        (false, true) => MALE_OLD,
        (true, false) => FEMALE_YOUNG,
        (false, false) => MALE_YOUNG,
    };
    let mut given = r.pick(list).to_string();
    if old && r.chance(0.2) {
        given = format!("{given} {}", r.pick(list));
    }
    (given, r.pick(FAMILY).to_string())
}

fn settings(p: &Profile, today: NaiveDate, out: &mut Vec<PatientSetting>) {
    let row = |setting, from: NaiveDate, to: Option<NaiveDate>| PatientSetting {
        patient_id: p.id,
        setting,
        valid_from: from,
        valid_to: to,
    };
    let day_before = |d: NaiveDate| d.pred_opt().expect("valid date");
    match (p.setting, p.past_stay) {
        (Setting::Ordinary, Some((from, to))) if from > p.birth && to < today => {
            out.push(row(Setting::Ordinary, p.birth, Some(day_before(from))));
            out.push(row(Setting::ShortTermStay, from, Some(to)));
            out.push(row(Setting::Ordinary, to.succ_opt().expect("valid date"), None));
        }
        (Setting::Ordinary, _) => out.push(row(Setting::Ordinary, p.birth, None)),
        (current, _) => {
            if p.since > p.birth {
                out.push(row(Setting::Ordinary, p.birth, Some(day_before(p.since))));
            }
            out.push(row(current, p.since, None));
        }
    }
}

fn relationships(org: &Org, p: &Profile, today: NaiveDate, out: &mut Vec<CareRelationship>) {
    let row = |unit_id, from, to| CareRelationship { patient_id: p.id, unit_id, valid_from: from, valid_to: to };
    if let Some((unit, from, to)) = p.previous_regional {
        out.push(row(unit, from, Some(to)));
    }
    out.push(row(p.regional, p.regional_since, None));
    if let Some(unit) = p.municipal {
        out.push(row(unit, p.municipal_since, None));
    }
    if p.id == TOLVAN {
        let rehab = org.units_at(GOTEBORG, UnitKind::HomeHealthCare)[0];
        out.push(row(rehab, today - Duration::days(1_500), None));
    }
}

fn noon(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).expect("valid time"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::organisations::build;
    use crate::demo::scale::Scale;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn the_check_digit_matches_the_known_test_person() {
        let d = NaiveDate::from_ymd_opt(1912, 12, 12).unwrap();
        assert_eq!(personal_id_digits(d, false, 121), TOLVAN_PNR);
    }

    #[test]
    fn personal_ids_are_unique_and_valid_and_ages_skew_old() {
        let org = build(3, &Scale::Small.params());
        let mut reg = IdRegistry::new(today());
        let rows = patient_rows(3, &org, 1..20_001, today(), &mut reg);
        let mut seen = std::collections::HashSet::new();
        assert!(rows.patients.iter().all(|p| seen.insert(p.personal_id.clone())));
        let old = rows.patients.iter().filter(|p| today().year() - p.birth_date.year() >= 65).count();
        assert!(old > 15_000, "{old}");
        assert!(rows
            .patients
            .iter()
            .any(|p| p.personal_id.kind() == ramp_domain::ids::PersonalIdKind::Samordningsnummer));
        assert_eq!(rows.patients[0].personal_id.display(), "19121212-1212");
    }

    #[test]
    fn settings_do_not_overlap_and_tolvan_lives_in_saebo_now() {
        let org = build(3, &Scale::Small.params());
        let mut reg = IdRegistry::new(today());
        let rows = patient_rows(3, &org, 1..2_001, today(), &mut reg);
        for w in rows.settings.windows(2) {
            if w[0].patient_id == w[1].patient_id {
                assert_eq!(w[0].valid_to.unwrap().succ_opt().unwrap(), w[1].valid_from, "{w:?}");
            }
        }
        let tolvan: Vec<_> = rows.settings.iter().filter(|s| s.patient_id == TOLVAN).collect();
        assert_eq!(tolvan.last().unwrap().setting, Setting::Saebo);
        assert_eq!(tolvan[0].setting, Setting::Ordinary);
        assert!(rows.relationships.iter().all(|r| r.valid_to.is_none_or(|t| t >= r.valid_from)));
    }
}
