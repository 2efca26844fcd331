//! The whole data set as a stream of insert batches, in foreign-key order.
//! Pure: no database, no clock; `load` only inserts what this yields, and
//! the tests hash it. Memory stays bounded by one batch plus the compact
//! indexes (organisation, rentable articles, taken personal ids).

use super::catalog::{self, Catalog};
use super::devices::{self, Ctx, DeviceRows, Ids};
use super::divisions::product_areas;
use super::orders::{GroupIndex, Prescribers};
use super::organisations::{self, Org};
use super::patients::{self, IdRegistry, PatientRows};
use super::people::{self, Staff};
use super::scale::{Params, Scale};
use chrono::NaiveDate;
use ramp_model::{
    Article, CustomerNumber, Id, Principal, ProductArea, ReplacementGroup, Supplier, Unit, User, Warehouse,
};

/// One insert call's worth of rows.
#[derive(Debug)]
pub enum Batch {
    Principals(Vec<Principal>),
    CustomerNumbers(Vec<CustomerNumber>),
    Units(Vec<Unit>, Vec<(Id, ramp_model::UnitDelivery)>),
    Warehouses(Vec<Warehouse>),
    ProductAreas(Vec<ProductArea>),
    Suppliers(Vec<Supplier>),
    Users(Vec<User>),
    Articles(Vec<Article>),
    ReplacementGroups(Vec<ReplacementGroup>),
    Patients(PatientRows),
    Devices(DeviceRows),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Principals,
    CustomerNumbers,
    Units,
    Warehouses,
    ProductAreas,
    Suppliers,
    Users,
    Articles,
    Groups,
    Patients,
    PatientDevices,
    Fleet,
    Done,
}

/// Yields `(batch, progress line)` until the data set is complete.
pub struct Generator {
    seed: u64,
    today: NaiveDate,
    params: Params,
    password_hash: String,
    phase: Phase,
    org: Org,
    staff: Option<Staff>,
    catalog: Option<Catalog>,
    registry: Option<IdRegistry>,
    groups: Option<GroupIndex>,
    prescribers: Option<Prescribers>,
    /// Next row index of the phase's driving table.
    cursor: usize,
    ids: Ids,
    with_patients: usize,
    fleet_total: usize,
}

impl Generator {
    pub fn new(scale: Scale, seed: u64, password_hash: &str, today: NaiveDate) -> Self {
        let params = scale.params();
        Generator {
            seed,
            today,
            params,
            password_hash: password_hash.into(),
            phase: Phase::Principals,
            org: organisations::build(seed, &params),
            staff: None,
            catalog: None,
            registry: None,
            groups: None,
            prescribers: None,
            cursor: 0,
            ids: Ids::first(),
            with_patients: 0,
            fleet_total: 0,
        }
    }

    fn advance(&mut self, next: Phase) {
        self.phase = next;
        self.cursor = 0;
    }

    fn users(&mut self) -> Vec<User> {
        let (hash, today, p) = (self.password_hash.clone(), self.today, self.params);
        let mut users = people::named_users(&self.org, &hash, today);
        let first_hmc = users.len() as Id + 1;
        let (hmc, staff) = people::hmc_users(self.seed, first_hmc, p.hmc_users, &hash, today);
        users.extend(hmc);
        let first_portal = users.len() as Id + 1;
        users.extend(people::portal_users(self.seed, &self.org, first_portal, p.portal_users, &hash, today));
        self.staff = Some(staff);
        self.prescribers = Some(Prescribers::new(&users));
        users
    }

    fn articles(&mut self) -> (Batch, String) {
        let total = self.params.articles;
        let catalog = self.catalog.get_or_insert_with(|| Catalog::build(self.seed, total, self.today));
        let end = (self.cursor + self.params.batch).min(total);
        let rows = catalog.articles(self.seed, self.cursor..end, self.today);
        self.cursor = end;
        if end == total {
            self.advance(Phase::Groups);
        }
        (Batch::Articles(rows), format!("articles {end}/{total}"))
    }

    fn patients(&mut self) -> (Batch, String) {
        let total = self.params.patients;
        let registry = self.registry.get_or_insert_with(|| IdRegistry::new(self.today));
        let end = (self.cursor + self.params.batch).min(total);
        let rows = patients::patient_rows(
            self.seed,
            &self.org,
            (self.cursor as Id + 1)..(end as Id + 1),
            self.today,
            registry,
        );
        self.cursor = end;
        if end == total {
            self.registry = None;
            self.advance(Phase::PatientDevices);
        }
        (Batch::Patients(rows), format!("patients {end}/{total}"))
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            seed: self.seed,
            today: self.today,
            org: &self.org,
            catalog: self.catalog.as_ref().expect("articles come before devices"),
            staff: self.staff.as_ref().expect("users come before devices"),
            patients: self.params.patients,
            groups: self.groups.as_ref().expect("groups come before devices"),
            prescribers: self.prescribers.as_ref().expect("users come before devices"),
        }
    }

    fn patient_devices(&mut self) -> (Batch, String) {
        let total = self.params.patients;
        let end = (self.cursor + self.params.batch).min(total);
        let mut ids = self.ids;
        let mut rows = DeviceRows::default();
        let ctx = self.ctx();
        for id in (self.cursor as Id + 1)..(end as Id + 1) {
            let p = patients::profile(self.seed, &self.org, id, self.today);
            devices::for_patient(&ctx, &p, &mut ids, &mut rows);
        }
        self.ids = ids;
        self.with_patients += rows.devices.len();
        self.cursor = end;
        if end == total {
            // About 70 % of the fleet is out with patients; the rest is in
            // stock, in the workshop, scrapped or lost.
            self.fleet_total = self.with_patients * 3 / 7;
            self.advance(Phase::Fleet);
        }
        let line = format!("devices with patients {} (patients {end}/{total})", self.with_patients);
        (Batch::Devices(rows), line)
    }

    fn fleet(&mut self) -> (Batch, String) {
        let total = self.fleet_total;
        let end = (self.cursor + self.params.batch).min(total);
        let mut ids = self.ids;
        let mut rows = DeviceRows::default();
        let ctx = self.ctx();
        for index in self.cursor..end {
            devices::fleet(&ctx, index, &mut ids, &mut rows);
        }
        self.ids = ids;
        self.cursor = end;
        if end == total {
            self.advance(Phase::Done);
        }
        let line =
            format!("devices {}/{} (events {})", self.with_patients + end, self.with_patients + total, ids.event - 1);
        (Batch::Devices(rows), line)
    }
}

impl Iterator for Generator {
    type Item = (Batch, String);

    fn next(&mut self) -> Option<(Batch, String)> {
        let item = match self.phase {
            Phase::Principals => {
                self.advance(Phase::CustomerNumbers);
                let rows = self.org.principals.clone();
                let line = format!("principals {}", rows.len());
                (Batch::Principals(rows), line)
            }
            Phase::CustomerNumbers => {
                self.advance(Phase::Units);
                let rows = self.org.customer_numbers.clone();
                let line = format!("customer numbers {}", rows.len());
                (Batch::CustomerNumbers(rows), line)
            }
            Phase::Units => {
                self.advance(Phase::Warehouses);
                let rows = self.org.units.clone();
                let line = format!("units {}", rows.len());
                (Batch::Units(rows, self.org.deliveries.clone()), line)
            }
            Phase::Warehouses => {
                self.advance(Phase::ProductAreas);
                let rows = self.org.warehouses.clone();
                let line = format!("warehouses {}", rows.len());
                (Batch::Warehouses(rows), line)
            }
            Phase::ProductAreas => {
                self.advance(Phase::Suppliers);
                let rows = product_areas();
                let line = format!("product areas {}", rows.len());
                (Batch::ProductAreas(rows), line)
            }
            Phase::Suppliers => {
                self.advance(Phase::Users);
                let rows = catalog::suppliers();
                let line = format!("suppliers {}", rows.len());
                (Batch::Suppliers(rows), line)
            }
            Phase::Users => {
                self.advance(Phase::Articles);
                let rows = self.users();
                let line = format!("users {}", rows.len());
                (Batch::Users(rows), line)
            }
            Phase::Articles => self.articles(),
            Phase::Groups => {
                self.advance(Phase::Patients);
                let catalog = self.catalog.as_ref().expect("articles come before groups");
                let rows = catalog::replacement_groups(self.seed, catalog, self.today);
                self.groups = Some(GroupIndex::new(&rows));
                let line = format!("replacement groups {}", rows.len());
                (Batch::ReplacementGroups(rows), line)
            }
            Phase::Patients => self.patients(),
            Phase::PatientDevices => self.patient_devices(),
            Phase::Fleet if self.fleet_total == 0 => {
                self.advance(Phase::Done);
                return None;
            }
            Phase::Fleet => self.fleet(),
            Phase::Done => return None,
        };
        Some(item)
    }
}
