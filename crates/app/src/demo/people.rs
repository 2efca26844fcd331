//! Users: the named demo accounts first (ids 1–8, the same at every scale),
//! then the assistive-device centre's staff, then the portal's prescribers
//! and orderers at their units.

use super::geography::GOTEBORG;
use super::names::{ascii_fold, FAMILY, FEMALE_YOUNG, MALE_YOUNG};
use super::organisations::{hsa_local, Org, UnitKind, REGION};
use super::rng::{stream, Rng};
use super::DemoLogin;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ramp_domain::role::Role;
use ramp_model::{Id, User};

/// One named demo account: username, display name, role, where, competences, why.
struct Named {
    username: &'static str,
    display_name: &'static str,
    role: Role,
    place: Place,
    competences: &'static [&'static str],
    description: &'static str,
}

/// Where a named account works.
#[derive(Clone, Copy)]
enum Place {
    /// The assistive-device centre (region, no unit).
    Hmc,
    /// The first unit of this kind in Göteborg.
    Goteborg(UnitKind),
}

const PRESCRIBER_AREAS: &[&str] = &[
    "mobility",
    "wheelchairs",
    "lifts",
    "beds",
    "hygiene",
    "communication",
    "cognition",
    "incontinence",
    "medical",
    "nutrition",
    "daily_living",
];

const NAMED: &[Named] = &[
    Named {
        username: "forskrivare",
        display_name: "Karin Lindqvist, arbetsterapeut",
        role: Role::Prescriber,
        place: Place::Goteborg(UnitKind::PrimaryCare),
        competences: PRESCRIBER_AREAS,
        description: "Arbetsterapeut på Närhälsan Majorna vårdcentral (regionen). Har vårdrelation med \
                      Tolvan Tolvansson, 19121212-1212, som bor på SÄBO och har rollator, rullstol, säng och madrass.",
    },
    Named {
        username: "forskrivare2",
        display_name: "Johan Berg, fysioterapeut",
        role: Role::Prescriber,
        place: Place::Goteborg(UnitKind::HomeHealthCare),
        competences: &["mobility", "wheelchairs", "lifts", "beds", "hygiene"],
        description: "Fysioterapeut i Göteborgs Stads rehab och hemsjukvård (kommunen); också vårdrelation med Tolvan.",
    },
    Named {
        username: "bestallare",
        display_name: "Maria Svensson, enhetschef",
        role: Role::UnitOrderer,
        place: Place::Goteborg(UnitKind::Saebo),
        competences: &[],
        description: "Beställer grundutrustning och buffertförråd för Tolvans SÄBO i Göteborg.",
    },
    Named {
        username: "kundtjanst",
        display_name: "Sara Holm, kundtjänst",
        role: Role::CustomerService,
        place: Place::Hmc,
        competences: &[],
        description: "Kundtjänst på Hjälpmedelscentralen.",
    },
    Named {
        username: "lager",
        display_name: "Ahmed Hassan, lager",
        role: Role::Warehouse,
        place: Place::Hmc,
        competences: &[],
        description: "Lagerpersonal: lagersaldo per lager, mottagning, plock och retur.",
    },
    Named {
        username: "tekniker",
        display_name: "Per Nilsson, tekniker",
        role: Role::Technician,
        place: Place::Hmc,
        competences: &[],
        description: "Tekniker: rekonditionering, reparation och arbetsordrar.",
    },
    Named {
        username: "ekonomi",
        display_name: "Eva Lundgren, ekonomi",
        role: Role::Finance,
        place: Place::Hmc,
        competences: &[],
        description: "Ekonomi: hyror, fakturering och kostnader per huvudman.",
    },
    Named {
        username: "admin",
        display_name: "Ada Admin, systemförvaltare",
        role: Role::Admin,
        place: Place::Hmc,
        competences: &[],
        description: "Administratör: användare, roller och sortiment.",
    },
];

/// The named demo accounts, the same at every scale, all with password [`super::DEMO_PASSWORD`].
pub fn demo_logins() -> Vec<DemoLogin> {
    NAMED
        .iter()
        .map(|n| DemoLogin {
            username: n.username.into(),
            password: super::DEMO_PASSWORD.into(),
            role_sv: n.role.name_sv().into(),
            description: n.description.into(),
        })
        .collect()
}

/// Ids of HMC staff by role, for the actors of device events.
pub struct Staff {
    pub warehouse: Vec<Id>,
    pub technicians: Vec<Id>,
    pub customer_service: Vec<Id>,
}

/// HMC roles and how many of every 70 staff have them.
const HMC_MIX: &[(Role, u32)] = &[
    (Role::CustomerService, 12),
    (Role::Warehouse, 22),
    (Role::Technician, 20),
    (Role::Consultant, 9),
    (Role::Finance, 4),
    (Role::Admin, 3),
];

/// Portal professions: title, role, competences, unit kinds they work at, weight.
struct Profession {
    title: &'static str,
    role: Role,
    competences: &'static [&'static str],
    units: &'static [UnitKind],
    weight: u32,
}

const PROFESSIONS: &[Profession] = &[
    Profession {
        title: "arbetsterapeut",
        role: Role::Prescriber,
        competences: &["mobility", "wheelchairs", "lifts", "beds", "hygiene", "cognition", "daily_living"],
        units: &[UnitKind::PrimaryCare, UnitKind::HomeHealthCare, UnitKind::HospitalWard, UnitKind::Habilitation],
        weight: 28,
    },
    Profession {
        title: "fysioterapeut",
        role: Role::Prescriber,
        competences: &["mobility", "wheelchairs", "lifts", "beds", "orthopedics"],
        units: &[UnitKind::PrimaryCare, UnitKind::HomeHealthCare, UnitKind::HospitalWard, UnitKind::Habilitation],
        weight: 22,
    },
    Profession {
        title: "sjuksköterska",
        role: Role::Prescriber,
        competences: &["incontinence", "medical", "nutrition", "beds"],
        units: &[UnitKind::PrimaryCare, UnitKind::HomeHealthCare, UnitKind::HospitalWard],
        weight: 16,
    },
    Profession {
        title: "logoped",
        role: Role::Prescriber,
        competences: &["communication", "cognition"],
        units: &[UnitKind::Habilitation, UnitKind::HospitalWard],
        weight: 2,
    },
    Profession {
        title: "audionom",
        role: Role::Prescriber,
        competences: &["hearing"],
        units: &[UnitKind::HearingClinic],
        weight: 2,
    },
    Profession {
        title: "synpedagog",
        role: Role::Prescriber,
        competences: &["vision"],
        units: &[UnitKind::VisionClinic],
        weight: 1,
    },
    Profession {
        title: "enhetschef",
        role: Role::UnitOrderer,
        competences: &[],
        units: &[
            UnitKind::Saebo,
            UnitKind::HomeCare,
            UnitKind::LssHousing,
            UnitKind::ShortTermStay,
            UnitKind::DailyActivity,
        ],
        weight: 19,
    },
    Profession {
        title: "biståndshandläggare",
        role: Role::PersonalOrdererSocial,
        competences: &[],
        units: &[UnitKind::HomeCare, UnitKind::LssHousing],
        weight: 6,
    },
    Profession {
        title: "undersköterska",
        role: Role::PersonalOrdererHealth,
        competences: &[],
        units: &[UnitKind::HomeHealthCare, UnitKind::PrimaryCare],
        weight: 4,
    },
];

/// The named users (ids 1..=8).
pub fn named_users(org: &Org, password_hash: &str, today: NaiveDate) -> Vec<User> {
    NAMED
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (principal, unit) = match n.place {
                Place::Hmc => (REGION, None),
                Place::Goteborg(kind) => {
                    let unit = org.units_at(GOTEBORG, kind)[0];
                    (org.unit(unit).principal_id, Some(unit))
                }
            };
            let id = i as Id + 1;
            let hsa_id = person_hsa_id(org, unit, id);
            let u = user(
                id,
                n.username.into(),
                n.display_name.into(),
                password_hash,
                principal,
                unit,
                n.role,
                n.competences,
                at(today, 400),
            );
            User { hsa_id: Some(hsa_id), last_login_at: Some(at(today, 1)), ..u }
        })
        .collect()
}

/// A person's HSA id, issued by the organisation of their unit (the
/// region for the centre's staff): `SE2321000131-P1` style, the `P`
/// keeping people apart from the units' local parts.
fn person_hsa_id(org: &Org, unit: Option<Id>, id: Id) -> String {
    let issuer = match unit {
        Some(u) => org.unit(u).hsa_id.split_once('-').map_or(REGION_HSA_PREFIX, |(p, _)| p).to_string(),
        None => REGION_HSA_PREFIX.to_string(),
    };
    format!("{issuer}-P{}", hsa_local(id))
}

/// The demo region's (Västra Götaland's) HSA prefix.
const REGION_HSA_PREFIX: &str = "SE2321000131";

/// HMC staff with ids `first..`, `count` of them.
pub fn hmc_users(seed: u64, first: Id, count: usize, password_hash: &str, today: NaiveDate) -> (Vec<User>, Staff) {
    let mut staff = Staff { warehouse: vec![5], technicians: vec![6], customer_service: vec![4] };
    let weights: Vec<u32> = HMC_MIX.iter().map(|(_, w)| *w).collect();
    let users = (0..count)
        .map(|i| {
            let id = first + i as Id;
            let mut rng = Rng::derive(seed, stream::USER, id as u64);
            let role = HMC_MIX[rng.weighted(&weights)].0;
            match role {
                Role::Warehouse => staff.warehouse.push(id),
                Role::Technician => staff.technicians.push(id),
                Role::CustomerService => staff.customer_service.push(id),
                _ => {}
            }
            let (given, family) = person(&mut rng);
            let title = role.name_sv().to_lowercase();
            let created = at(today, 30 + rng.below(3_000) as i64);
            let u = user(
                id,
                username(&given, &family, id),
                format!("{given} {family}, {title}"),
                password_hash,
                REGION,
                None,
                role,
                &[],
                created,
            );
            let last_login_at = Some(recent_login(today, id, created));
            User { hsa_id: Some(format!("{REGION_HSA_PREFIX}-P{}", hsa_local(id))), last_login_at, ..u }
        })
        .collect();
    (users, staff)
}

/// Portal users with ids `first..`, `count` of them, at the organisation's units.
pub fn portal_users(seed: u64, org: &Org, first: Id, count: usize, password_hash: &str, today: NaiveDate) -> Vec<User> {
    let weights: Vec<u32> = PROFESSIONS.iter().map(|p| p.weight).collect();
    (0..count)
        .map(|i| {
            let id = first + i as Id;
            let mut rng = Rng::derive(seed, stream::USER, id as u64);
            let p = &PROFESSIONS[rng.weighted(&weights)];
            let kind = *rng.pick(p.units);
            let units = org.units_of(kind);
            let unit = if units.is_empty() { org.units_of(UnitKind::PrimaryCare)[0] } else { *rng.pick(units) };
            let (given, family) = person(&mut rng);
            let created = at(today, 30 + rng.below(3_000) as i64);
            let principal = org.unit(unit).principal_id;
            let name = format!("{given} {family}, {}", p.title);
            let u = user(
                id,
                username(&given, &family, id),
                name,
                password_hash,
                principal,
                Some(unit),
                p.role,
                p.competences,
                created,
            );
            let last_login_at = Some(recent_login(today, id, created));
            User { hsa_id: Some(person_hsa_id(org, Some(unit), id)), last_login_at, ..u }
        })
        .collect()
}

fn person(rng: &mut Rng) -> (String, String) {
    let given = if rng.chance(0.8) { rng.pick(FEMALE_YOUNG) } else { rng.pick(MALE_YOUNG) };
    (given.to_string(), rng.pick(FAMILY).to_string())
}

/// `karin.lindqvist.1234`: the id makes it unique and keeps it apart from
/// the named accounts, which have no dots.
fn username(given: &str, family: &str, id: Id) -> String {
    format!("{}.{}.{id}", ascii_fold(given), ascii_fold(family))
}

#[allow(clippy::too_many_arguments)]
fn user(
    id: Id,
    username: String,
    display_name: String,
    password_hash: &str,
    principal_id: Id,
    unit_id: Option<Id>,
    role: Role,
    competences: &[&str],
    created_at: DateTime<Utc>,
) -> User {
    User {
        id,
        username,
        display_name,
        password_hash: Some(password_hash.into()),
        principal_id,
        unit_id,
        active: true,
        created_at,
        last_login_at: None,
        roles: vec![role],
        competences: competences.iter().map(|c| c.to_string()).collect(),
        hsa_id: None,
    }
}

/// 08:00 UTC `days` before `today`.
/// A login within the last two months (never before the account was
/// made): the demo's staff work here now, so the 12-month inactivity
/// job leaves them active. Taken from the id, not the random source, so
/// the rest of the demo data stays as it was.
fn recent_login(today: NaiveDate, id: Id, created: DateTime<Utc>) -> DateTime<Utc> {
    at(today, id % 60).max(created)
}

fn at(today: NaiveDate, days: i64) -> DateTime<Utc> {
    let d = today - chrono::Duration::days(days);
    Utc.from_utc_datetime(&d.and_hms_opt(8, 0, 0).expect("valid time"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::divisions::product_areas;
    use crate::demo::organisations::{build, municipality_principal};
    use crate::demo::scale::Scale;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn usernames_and_hsa_ids_are_unique_and_never_collide_with_the_named_accounts() {
        let org = build(1, &Scale::Small.params());
        let mut all = named_users(&org, "h", today());
        let (hmc, staff) = hmc_users(1, 9, 100, "h", today());
        all.extend(hmc);
        all.extend(portal_users(1, &org, 109, 2_000, "h", today()));
        let mut names = std::collections::HashSet::new();
        assert!(all.iter().all(|u| names.insert(u.username.clone())));
        let mut hsa_ids = std::collections::HashSet::new();
        for u in &all {
            let hsa_id = u.hsa_id.as_deref().expect("every demo user has an HSA id");
            assert_eq!(ramp_domain::ids::HsaId::parse(hsa_id).unwrap().as_str(), hsa_id);
            assert!(hsa_ids.insert(hsa_id.to_string()), "HSA id {hsa_id} given twice");
        }
        assert!(!staff.technicians.is_empty() && !staff.warehouse.is_empty());
        let known: Vec<String> = product_areas().into_iter().map(|a| a.code).collect();
        assert!(all.iter().flat_map(|u| &u.competences).all(|c| known.contains(c)));
    }

    #[test]
    fn the_named_prescribers_work_in_goteborg() {
        let org = build(1, &Scale::Small.params());
        let users = named_users(&org, "h", today());
        assert_eq!(users[0].username, "forskrivare");
        assert_eq!(org.unit(users[0].unit_id.unwrap()).name, "Närhälsan Majorna vårdcentral");
        assert_eq!(users[1].principal_id, municipality_principal(GOTEBORG));
        assert_eq!(demo_logins().len(), 8);
    }
}
