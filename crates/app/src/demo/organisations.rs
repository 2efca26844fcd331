//! The region, its municipalities, their units (each with an HSA id and a
//! customer number) and the warehouses. Small enough to build in memory;
//! the rest of the generator looks units up here by municipality and kind.

use super::geography::{self as geo, MUNICIPALITIES};
use super::rng::{stream, Cumulative, Rng};
use super::scale::Params;
use chrono::NaiveDate;
use ramp_model::{CustomerNumber, Id, Principal, Unit, UnitAddress, UnitDelivery, Warehouse};

/// What a unit does; stored as `units.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    PrimaryCare,
    HospitalWard,
    Habilitation,
    VisionClinic,
    HearingClinic,
    HomeCare,
    HomeHealthCare,
    Saebo,
    LssHousing,
    ShortTermStay,
    DailyActivity,
}

impl UnitKind {
    pub const ALL: [UnitKind; 11] = [
        UnitKind::PrimaryCare,
        UnitKind::HospitalWard,
        UnitKind::Habilitation,
        UnitKind::VisionClinic,
        UnitKind::HearingClinic,
        UnitKind::HomeCare,
        UnitKind::HomeHealthCare,
        UnitKind::Saebo,
        UnitKind::LssHousing,
        UnitKind::ShortTermStay,
        UnitKind::DailyActivity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::PrimaryCare => "primary_care",
            UnitKind::HospitalWard => "hospital_ward",
            UnitKind::Habilitation => "habilitation",
            UnitKind::VisionClinic => "vision_clinic",
            UnitKind::HearingClinic => "hearing_clinic",
            UnitKind::HomeCare => "home_care",
            UnitKind::HomeHealthCare => "home_health_care",
            UnitKind::Saebo => "saebo",
            UnitKind::LssHousing => "lss_housing",
            UnitKind::ShortTermStay => "short_term_stay",
            UnitKind::DailyActivity => "daily_activity",
        }
    }

    pub fn is_regional(self) -> bool {
        matches!(
            self,
            UnitKind::PrimaryCare
                | UnitKind::HospitalWard
                | UnitKind::Habilitation
                | UnitKind::VisionClinic
                | UnitKind::HearingClinic
        )
    }

    fn index(self) -> usize {
        UnitKind::ALL.iter().position(|k| *k == self).expect("listed")
    }

    /// Inhabitants per unit at full density, and the minimum per municipality.
    /// Regional specialist clinics are placed separately.
    fn per_inhabitants(self) -> Option<(u32, usize)> {
        match self {
            UnitKind::PrimaryCare => Some((9_000, 1)),
            UnitKind::HomeCare => Some((10_000, 1)),
            UnitKind::HomeHealthCare => Some((25_000, 1)),
            UnitKind::Saebo => Some((8_000, 1)),
            UnitKind::LssHousing => Some((12_000, 0)),
            UnitKind::ShortTermStay => Some((60_000, 0)),
            UnitKind::DailyActivity => Some((30_000, 0)),
            _ => None,
        }
    }
}

/// The principal id of the region; municipality `i` has id `i + 2`.
pub const REGION: Id = 1;

pub fn municipality_principal(muni: usize) -> Id {
    muni as Id + 2
}

/// Everything about the organisation the other generators need.
pub struct Org {
    pub principals: Vec<Principal>,
    pub customer_numbers: Vec<CustomerNumber>,
    pub units: Vec<Unit>,
    pub warehouses: Vec<Warehouse>,
    /// Every unit's delivery route and address.
    pub deliveries: Vec<(Id, UnitDelivery)>,
    /// Unit ids by municipality and kind (regional units by where they stand).
    by_place: Vec<Vec<Vec<Id>>>,
    /// Unit ids by kind, region-wide.
    by_kind: Vec<Vec<Id>>,
    /// Central warehouse ids, by [`geo::CENTRAL_WAREHOUSES`] index.
    pub central: Vec<Id>,
    /// Buffer-store warehouse ids by the central warehouse that serves them.
    pub buffers_by_hmc: Vec<Vec<Id>>,
    /// Municipalities drawn by population.
    pub population: Cumulative,
}

impl Org {
    pub fn units_at(&self, muni: usize, kind: UnitKind) -> &[Id] {
        &self.by_place[muni][kind.index()]
    }

    pub fn units_of(&self, kind: UnitKind) -> &[Id] {
        &self.by_kind[kind.index()]
    }

    /// A unit of `kind` in the municipality, or anywhere when it has none.
    pub fn unit_near(&self, rng: &mut Rng, muni: usize, kind: UnitKind) -> Option<Id> {
        let here = self.units_at(muni, kind);
        let pool = if here.is_empty() { self.units_of(kind) } else { here };
        (!pool.is_empty()).then(|| *rng.pick(pool))
    }

    /// Every unit has its own customer number with the same id.
    pub fn customer_number_of(&self, unit: Id) -> Id {
        unit
    }

    pub fn unit(&self, id: Id) -> &Unit {
        &self.units[(id - 1) as usize]
    }
}

/// Builds the organisation. Unit ids are dense from 1 in creation order.
pub fn build(seed: u64, params: &Params) -> Org {
    let mut b = Builder::new(seed);
    b.principals();
    b.municipal_units(params);
    b.regional_units(params);
    b.warehouses();
    b.finish()
}

struct Builder {
    rng: Rng,
    org: Org,
    unit_hmc: Vec<usize>,
}

impl Builder {
    fn new(seed: u64) -> Self {
        let n = MUNICIPALITIES.len();
        Builder {
            rng: Rng::derive(seed, stream::ORG, 0),
            org: Org {
                principals: Vec::new(),
                customer_numbers: Vec::new(),
                units: Vec::new(),
                warehouses: Vec::new(),
                deliveries: Vec::new(),
                by_place: vec![vec![Vec::new(); UnitKind::ALL.len()]; n],
                by_kind: vec![Vec::new(); UnitKind::ALL.len()],
                central: Vec::new(),
                buffers_by_hmc: vec![Vec::new(); geo::CENTRAL_WAREHOUSES.len()],
                population: Cumulative::new(MUNICIPALITIES.iter().map(|m| u64::from(m.population))),
            },
            unit_hmc: Vec::new(),
        }
    }

    fn principals(&mut self) {
        self.org.principals.push(Principal {
            id: REGION,
            code: "region".into(),
            name: "Västra Götalandsregionen".into(),
            kind: "region".into(),
            municipality_code: None,
            basic_equipment_since: None,
        });
        for (i, m) in MUNICIPALITIES.iter().enumerate() {
            self.org.principals.push(Principal {
                id: municipality_principal(i),
                code: m.code.into(),
                name: m.name.into(),
                kind: "municipality".into(),
                municipality_code: Some(m.code.into()),
                // Most municipalities have the agreement on basic equipment; every
                // fifth has not, so the surplus sale's rule shows in the demo.
                basic_equipment_since: (i % 5 != 4).then(|| NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date")),
            });
        }
    }

    fn add_unit(&mut self, muni: usize, kind: UnitKind, name: String) -> Id {
        let id = self.org.units.len() as Id + 1;
        let m = &MUNICIPALITIES[muni];
        let (principal, hsa_org, number) = if kind.is_regional() {
            (REGION, "2321000131".to_string(), format!("9{:06}", id))
        } else {
            (municipality_principal(muni), format!("212000{}", m.code), format!("{}{:04}", m.code, id))
        };
        self.org.customer_numbers.push(CustomerNumber { id, number, principal_id: principal, name: name.clone() });
        self.org.units.push(Unit {
            id,
            principal_id: principal,
            hsa_id: format!("SE{hsa_org}-{}", hsa_local(id)),
            name,
            kind: kind.as_str().into(),
            customer_number_id: id,
        });
        self.org.deliveries.push((id, delivery(muni, id)));
        self.org.by_place[muni][kind.index()].push(id);
        self.org.by_kind[kind.index()].push(id);
        self.unit_hmc.push(m.hmc);
        id
    }

    fn municipal_units(&mut self, params: &Params) {
        // Göteborg first so the named demo users' units get low, stable ids.
        let order = std::iter::once(geo::GOTEBORG).chain((0..MUNICIPALITIES.len()).filter(|i| *i != geo::GOTEBORG));
        for muni in order {
            for kind in UnitKind::ALL {
                let Some((per, min)) = kind.per_inhabitants() else { continue };
                let wanted =
                    (f64::from(MUNICIPALITIES[muni].population) / f64::from(per) * params.unit_density).round();
                let n = (wanted as usize).max(min);
                for k in 0..n {
                    let name = self.unit_name(muni, kind, k);
                    self.add_unit(muni, kind, name);
                }
            }
        }
    }

    fn regional_units(&mut self, params: &Params) {
        for (hospital, muni) in geo::HOSPITALS.iter().take(params.hospitals) {
            let wards = if params.unit_density > 0.0 { geo::WARDS.len() } else { 2 };
            for ward in geo::WARDS.iter().take(wards) {
                self.add_unit(*muni, UnitKind::HospitalWard, format!("{hospital}, {ward}"));
            }
        }
        let clinics: &[(UnitKind, &str, &[usize])] = &[
            (
                UnitKind::Habilitation,
                "Habilitering & Hälsa, Barn- och ungdomshabiliteringen",
                &[30, 31, 39, 45, 37, 34, 38, 32, 43, 23],
            ),
            (UnitKind::Habilitation, "Habilitering & Hälsa, Vuxenhabiliteringen", &[30, 39, 45, 37, 34]),
            (UnitKind::VisionClinic, "Syncentralen", &[30, 39, 45, 34]),
            (UnitKind::HearingClinic, "Hörselverksamheten", &[30, 31, 39, 45, 37, 34, 38, 43]),
        ];
        for (kind, prefix, places) in clinics {
            let take = if params.unit_density > 0.0 { places.len() } else { 1 };
            for muni in places.iter().take(take) {
                self.add_unit(*muni, *kind, format!("{prefix} {}", MUNICIPALITIES[*muni].place));
            }
        }
    }

    fn warehouses(&mut self) {
        for (i, (code, name)) in geo::CENTRAL_WAREHOUSES.iter().enumerate() {
            let id = i as Id + 1;
            self.org.warehouses.push(Warehouse {
                id,
                code: (*code).into(),
                name: (*name).into(),
                kind: "central".into(),
                unit_id: None,
            });
            self.org.central.push(id);
        }
        // Every home health care unit and every third SÄBO keeps a buffer store.
        let mut saebo_seen = 0;
        for u in 0..self.org.units.len() {
            let kind = self.org.units[u].kind.clone();
            let keep = match kind.as_str() {
                "home_health_care" => true,
                "saebo" => {
                    saebo_seen += 1;
                    saebo_seen % 3 == 1
                }
                _ => false,
            };
            if keep {
                let unit = &self.org.units[u];
                let id = self.org.warehouses.len() as Id + 1;
                self.org.warehouses.push(Warehouse {
                    id,
                    code: format!("BUF-{}", unit.id),
                    name: format!("Buffertförråd {}", unit.name),
                    kind: "buffer".into(),
                    unit_id: Some(unit.id),
                });
                self.org.buffers_by_hmc[self.unit_hmc[u]].push(id);
            }
        }
    }

    fn unit_name(&mut self, muni: usize, kind: UnitKind, k: usize) -> String {
        let m = &MUNICIPALITIES[muni];
        let place = if muni == geo::GOTEBORG {
            geo::GOTEBORG_DISTRICTS[k % geo::GOTEBORG_DISTRICTS.len()].to_string()
        } else if k == 0 {
            m.place.to_string()
        } else {
            format!("{} {}", m.place, geo::QUARTERS[k % geo::QUARTERS.len()])
        };
        let r = &mut self.rng;
        let house = format!("{}{}", r.pick(HOME_PREFIX), r.pick(HOME_SUFFIX));
        match kind {
            UnitKind::PrimaryCare => match (k, r.below(10)) {
                (0, _) | (_, 0..=5) => format!("Närhälsan {place} vårdcentral"),
                (_, 6..=7) => format!("Capio Vårdcentral {place}"),
                _ => format!("Vårdcentralen {place}"),
            },
            UnitKind::HomeCare => format!("Hemtjänst {place}"),
            UnitKind::HomeHealthCare => format!("Rehab och hemsjukvård {place}"),
            UnitKind::Saebo => format!("Vård- och omsorgsboendet {house}, {}", m.place),
            UnitKind::LssHousing => format!("Gruppbostad {}, {}", r.pick(STREETS), m.place),
            UnitKind::ShortTermStay => format!("Korttidsboendet {house}, {}", m.place),
            UnitKind::DailyActivity => format!("Daglig verksamhet {house}, {}", m.place),
            _ => format!("{} {place}", kind.as_str()),
        }
    }

    fn finish(self) -> Org {
        self.org
    }
}

/// Weekdays a route runs, as a route's name says them.
const WEEKDAYS: &[&str] = &["måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar"];

/// A unit's route and address, from its municipality and id alone (no
/// draw from the generator's random stream, so the rest of the demo stays
/// as it was): one route per municipality and weekday, six in Göteborg.
fn delivery(muni: usize, id: Id) -> UnitDelivery {
    let m = &MUNICIPALITIES[muni];
    let n = id as usize;
    let route = if muni == geo::GOTEBORG {
        format!("Rutt Göteborg {}, {}", n % 6 + 1, WEEKDAYS[n % 6 % WEEKDAYS.len()])
    } else {
        format!("Rutt {}, {}", m.place, WEEKDAYS[muni % WEEKDAYS.len()])
    };
    let postal = 40_000 + (muni * 379 % 9_000) as u32 + (n % 90) as u32;
    let address = UnitAddress {
        unit_id: id,
        street: format!("{} {}", STREETS[n % STREETS.len()], n * 7 % 89 + 1),
        postal_code: format!("{} {:02}", postal / 100, postal % 100),
        city: m.place.to_string(),
    };
    UnitDelivery { route: Some(route), address: Some(address) }
}

/// The local part of an HSA id: base 36, unique per unit, random-looking.
pub(super) fn hsa_local(id: Id) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut x = (id as u64) * 7919 + 50_000;
    let mut out = Vec::new();
    while x > 0 {
        out.push(DIGITS[(x % 36) as usize]);
        x /= 36;
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

const HOME_PREFIX: &[&str] = &[
    "Sol", "Lind", "Ek", "Björk", "Alm", "Tall", "Ros", "Sjö", "Äng", "Gran", "Lönn", "Hassel", "Fur", "Ljung", "Berg",
    "Dal", "Kvarn", "Park", "Strand", "Hag", "Kyrk", "Skog", "Ås", "Lärk", "Vall", "Hav", "Klöver",
];
const HOME_SUFFIX: &[&str] =
    &["gården", "backen", "hagen", "höjden", "liden", "lunden", "ängen", "viken", "hemmet", "vången"];
const STREETS: &[&str] = &[
    "Ekvägen",
    "Björkgatan",
    "Lärkstigen",
    "Storgatan",
    "Skolgatan",
    "Parkvägen",
    "Solrosgatan",
    "Kvarngatan",
    "Ängsvägen",
    "Tallstigen",
    "Kyrkogatan",
    "Villagatan",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::scale::Scale;
    use ramp_domain::ids::HsaId;

    #[test]
    fn every_unit_has_a_valid_unique_hsa_id_and_its_own_customer_number() {
        let org = build(1, &Scale::Region.params());
        let mut seen = std::collections::HashSet::new();
        for u in &org.units {
            HsaId::parse(&u.hsa_id).unwrap();
            assert!(seen.insert(u.hsa_id.clone()));
            assert_eq!(org.customer_numbers[(u.customer_number_id - 1) as usize].principal_id, u.principal_id);
        }
        assert!(org.units.len() > 800, "{}", org.units.len());
        assert!(org.units_of(UnitKind::PrimaryCare).len() > 150);
        assert_eq!(org.warehouses.iter().filter(|w| w.kind == "central").count(), 4);
    }

    #[test]
    fn goteborgs_first_units_are_the_demo_units() {
        let org = build(1, &Scale::Small.params());
        let vc = org.units_at(geo::GOTEBORG, UnitKind::PrimaryCare)[0];
        assert_eq!(org.unit(vc).name, "Närhälsan Majorna vårdcentral");
    }
}
