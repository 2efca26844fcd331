//! The generator without a database: deterministic, consistent with the
//! schema's constraints and the device lifecycle, and holding what the
//! README promises (Tolvan, rollators in stock, the named logins).

use super::generator::{Batch, Generator};
use super::patients::TOLVAN;
use super::*;
use chrono::NaiveDate;
use ramp_domain::device::DeviceState;
use ramp_domain::work_order::{WorkOrderKind, WorkOrderStatus};
use ramp_domain::Term;
use ramp_model::{Device, DeviceEvent, Loan};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn digest(scale: Scale, seed: u64, today: NaiveDate) -> String {
    let mut h = Sha256::new();
    for (batch, _) in Generator::new(scale, seed, "$argon2id$test", today) {
        h.update(format!("{batch:?}").as_bytes());
    }
    format!("{:x}", h.finalize())
}

#[test]
fn the_same_seed_scale_and_day_give_identical_rows() {
    assert_eq!(digest(Scale::Small, 1, today()), digest(Scale::Small, 1, today()));
}

#[test]
fn another_seed_or_day_gives_other_rows() {
    let base = digest(Scale::Small, 1, today());
    assert_ne!(base, digest(Scale::Small, 2, today()));
    assert_ne!(base, digest(Scale::Small, 1, today().succ_opt().unwrap()));
}

/// Everything the small scale generates, collected.
#[derive(Default)]
struct All {
    users: Vec<ramp_model::User>,
    articles: Vec<ramp_model::Article>,
    patients: Vec<ramp_model::Patient>,
    relationships: Vec<ramp_model::CareRelationship>,
    warehouses: Vec<ramp_model::Warehouse>,
    devices: Vec<Device>,
    loans: Vec<Loan>,
    events: Vec<DeviceEvent>,
    groups: Vec<ramp_model::ReplacementGroup>,
    history: ramp_model::OrderHistory,
}

fn small() -> All {
    let mut all = All::default();
    for (batch, _) in Generator::new(Scale::Small, 1, "h", today()) {
        match batch {
            Batch::Users(r) => all.users.extend(r),
            Batch::Articles(r) => all.articles.extend(r),
            Batch::Warehouses(r) => all.warehouses.extend(r),
            Batch::Patients(r) => {
                all.patients.extend(r.patients);
                all.relationships.extend(r.relationships);
            }
            Batch::Devices(r) => {
                all.devices.extend(r.devices);
                all.loans.extend(r.loans);
                all.events.extend(r.events);
                all.history.orders.extend(r.history.orders);
                all.history.lines.extend(r.history.lines);
                all.history.events.extend(r.history.events);
                all.history.answers.extend(r.history.answers);
                all.history.work_orders.extend(r.history.work_orders);
            }
            Batch::ReplacementGroups(r) => all.groups.extend(r),
            _ => {}
        }
    }
    all
}

#[test]
fn the_small_scale_has_the_promised_size() {
    let all = small();
    assert_eq!(all.articles.len(), 300);
    assert_eq!(all.patients.len(), 1_200);
    assert!((1_600..2_600).contains(&all.devices.len()), "{}", all.devices.len());
    let out = all.devices.iter().filter(|d| d.state == DeviceState::WithPatient).count();
    let share = out as f64 / all.devices.len() as f64;
    assert!((0.65..0.75).contains(&share), "{share}");
}

#[test]
fn every_device_history_follows_the_lifecycle_and_ends_in_its_state() {
    let all = small();
    let mut by_device: HashMap<i64, Vec<&DeviceEvent>> = HashMap::new();
    for e in &all.events {
        by_device.entry(e.device_id).or_default().push(e);
        assert!(e.occurred_at.date_naive() < today(), "{e:?}");
    }
    for d in &all.devices {
        let events = &by_device[&d.id];
        assert_eq!(events[0].from_state, None);
        for w in events.windows(2) {
            assert_eq!(w[0].to_state, w[1].from_state.unwrap(), "device {}", d.id);
            assert!(w[0].occurred_at < w[1].occurred_at, "device {}: {:?}", d.id, w);
            assert_eq!(w[0].to_state.after(w[1].kind), Some(w[1].to_state), "device {}", d.id);
        }
        let last = events.last().unwrap();
        assert_eq!(last.to_state, d.state, "device {}", d.id);
        assert_eq!(last.occurred_at, d.state_since);
        assert!(d.purchase_date <= events[0].occurred_at.date_naive());
    }
}

#[test]
fn devices_satisfy_the_schema_constraints_and_have_one_open_loan_when_lent() {
    let all = small();
    let mut open: HashMap<i64, usize> = HashMap::new();
    for l in &all.loans {
        assert!(l.end_date.is_none_or(|e| e >= l.start_date), "{l:?}");
        assert!(["region", "municipality", "patient"].contains(&l.payer.as_str()), "{l:?}");
        if l.end_date.is_none() {
            *open.entry(l.device_id).or_default() += 1;
        }
    }
    let patients = all.patients.len() as i64;
    for d in &all.devices {
        let stocked = matches!(d.state, DeviceState::InStock | DeviceState::Reserved | DeviceState::InWorkshop);
        assert_eq!(stocked, d.warehouse_id.is_some(), "{d:?}");
        assert_eq!(d.state == DeviceState::WithPatient, d.patient_id.is_some(), "{d:?}");
        assert!(d.unit_id.is_none());
        let expected = usize::from(d.state == DeviceState::WithPatient);
        assert_eq!(open.get(&d.id).copied().unwrap_or(0), expected, "{d:?}");
        assert!(d.patient_id.is_none_or(|p| (1..=patients).contains(&p)));
    }
    assert!(all.loans.iter().all(|l| l.patient_id.is_some_and(|p| (1..=patients).contains(&p))));
    let numbers: HashSet<&str> = all.devices.iter().map(|d| d.device_number.as_str()).collect();
    assert_eq!(numbers.len(), all.devices.len());
}

#[test]
fn tolvan_holds_a_rollator_a_wheelchair_and_a_bed_with_histories_and_forskrivare_may_open_her() {
    let all = small();
    let tolvan = &all.patients[0];
    assert_eq!((tolvan.id, tolvan.personal_id.display().as_str()), (TOLVAN, DEMO_PATIENT));
    let article = |id: i64| all.articles.iter().find(|a| a.id == id).unwrap();
    let held: Vec<&Device> = all.devices.iter().filter(|d| d.patient_id == Some(TOLVAN)).collect();
    let isos: Vec<&str> = held.iter().map(|d| article(d.article_id).iso_code.as_str()).collect();
    for iso in ["120606", "122203", "181210"] {
        assert!(isos.contains(&iso), "{isos:?}");
    }
    for d in &held {
        assert!(all.events.iter().filter(|e| e.device_id == d.id).count() >= 5, "{d:?}");
    }
    let forskrivare = all.users.iter().find(|u| u.username == "forskrivare").unwrap();
    assert!(all
        .relationships
        .iter()
        .any(|r| r.patient_id == TOLVAN && Some(r.unit_id) == forskrivare.unit_id && r.valid_to.is_none()));
    let payers: HashSet<&str> = all
        .loans
        .iter()
        .filter(|l| l.patient_id == Some(TOLVAN) && l.end_date.is_none())
        .map(|l| l.payer.as_str())
        .collect();
    assert_eq!(payers, HashSet::from(["region", "municipality"]));
}

#[test]
fn rollators_are_found_by_name_and_some_are_in_stock_in_a_central_warehouse() {
    let all = small();
    let rollators: HashSet<i64> =
        all.articles.iter().filter(|a| a.name.to_lowercase().contains("rollator")).map(|a| a.id).collect();
    assert!(rollators.len() >= 3);
    let central: HashSet<i64> = all.warehouses.iter().filter(|w| w.kind == "central").map(|w| w.id).collect();
    let on_shelf = all
        .devices
        .iter()
        .filter(|d| d.state == DeviceState::InStock && rollators.contains(&d.article_id))
        .filter(|d| d.warehouse_id.is_some_and(|w| central.contains(&w)))
        .count();
    assert!(on_shelf >= 10, "{on_shelf}");
}

#[test]
fn every_named_login_exists_with_the_demo_hash() {
    let all = small();
    for login in demo_logins() {
        let user = all.users.iter().find(|u| u.username == login.username).expect("named user generated");
        assert_eq!(user.password_hash.as_deref(), Some("h"));
        assert_eq!(login.password, DEMO_PASSWORD);
    }
    let names: HashSet<&str> = all.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names.len(), all.users.len());
}

/// Generates a whole scale without a database and prints how long it took.
fn time_generation(scale: Scale) {
    let started = std::time::Instant::now();
    let (mut rows, mut devices) = (0usize, 0usize);
    for (batch, _) in Generator::new(scale, 1, "h", today()) {
        rows += match batch {
            Batch::Devices(r) => {
                devices += r.devices.len();
                let h = &r.history;
                r.devices.len()
                    + r.loans.len()
                    + r.events.len()
                    + h.orders.len()
                    + h.lines.len()
                    + h.events.len()
                    + h.answers.len()
                    + h.work_orders.len()
            }
            Batch::Patients(r) => r.patients.len() + r.settings.len() + r.relationships.len(),
            Batch::Articles(r) => r.len(),
            _ => 0,
        };
    }
    println!("{scale}: {rows} rows ({devices} devices) generated in {:?}", started.elapsed());
}

#[test]
#[ignore = "times generation at region scale; run in release with --nocapture"]
fn time_region_generation() {
    time_generation(Scale::Region);
}

#[test]
#[ignore = "times generation at national scale; run in release with --nocapture"]
fn time_national_generation() {
    time_generation(Scale::National);
}

#[test]
fn no_loan_begins_before_its_patient_was_born() {
    let all = small();
    let born: HashMap<i64, NaiveDate> = all.patients.iter().map(|p| (p.id, p.birth_date)).collect();
    let early = all.loans.iter().filter(|l| l.start_date < born[&l.patient_id.unwrap()]).count();
    assert!(early * 100 <= all.loans.len(), "{early} of {}", all.loans.len());
}

#[test]
fn a_year_of_deliveries_has_its_orders_with_promised_dates_and_a_few_percent_late() {
    use ramp_domain::calendar::promised_date;
    use ramp_domain::time::stockholm_date;
    let all = small();
    let h = &all.history;
    let year_ago = today() - chrono::Duration::days(365);
    let delivered: Vec<&DeviceEvent> = all
        .events
        .iter()
        .filter(|e| e.kind == ramp_domain::device::DeviceEventKind::Delivered && e.occurred_at.date_naive() >= year_ago)
        .collect();
    assert_eq!(h.lines.len(), delivered.len(), "one order line per delivery of the last year");
    assert_eq!(h.orders.len(), h.lines.len());
    assert!(h.lines.len() > 150, "{}", h.lines.len());
    let at: HashMap<(i64, chrono::DateTime<chrono::Utc>), ()> =
        delivered.iter().map(|e| ((e.device_id, e.occurred_at), ())).collect();
    let orders: HashMap<i64, &ramp_model::HistoryOrder> = h.orders.iter().map(|o| (o.id, o)).collect();
    let users: HashSet<i64> = all.users.iter().map(|u| u.id).collect();
    let mut late = 0;
    for l in &h.lines {
        let o = orders[&l.order_id];
        let d = l.delivered_at.unwrap();
        assert!(at.contains_key(&(l.device_id.unwrap(), d)), "the line's delivery is the device's delivered event");
        assert!(o.created_at < d, "{o:?}");
        assert_eq!(promised_date(stockholm_date(o.created_at), l.lead_time_class), l.promised_date, "{l:?}");
        assert!(users.contains(&o.created_by));
        late += usize::from(stockholm_date(d) > l.promised_date);
    }
    let share = late as f64 / h.lines.len() as f64;
    assert!((0.002..0.08).contains(&share), "late share {share}");
    assert_eq!(h.events.len(), 2 * h.orders.len(), "registered and delivered");
}

#[test]
fn replacement_answers_agree_with_the_groups_and_the_lines() {
    use ramp_domain::order::Substitution;
    let all = small();
    let member: HashMap<i64, (i64, bool, usize)> = all
        .groups
        .iter()
        .flat_map(|g| g.members.iter().enumerate().map(move |(rank, a)| (*a, (g.id, g.fixed, rank))))
        .collect();
    let h = &all.history;
    assert!(!h.answers.is_empty());
    for a in &h.answers {
        let (g, fixed, proposed_rank) = member[&a.proposed_article_id];
        let (g2, _, requested_rank) = member[&a.requested_article_id];
        assert_eq!((g, a.group_id), (g2, g2), "one group");
        assert!(proposed_rank < requested_rank, "an older article is proposed: {a:?}");
        assert_eq!(fixed, a.answer == Substitution::Automatic, "{a:?}");
    }
    let substituted = h.lines.iter().filter(|l| l.substitution != Substitution::None).count();
    assert_eq!(substituted, h.answers.len());
}

#[test]
fn open_work_orders_are_on_devices_in_the_workshop_or_out_with_a_patient() {
    let all = small();
    let state: HashMap<i64, DeviceState> = all.devices.iter().map(|d| (d.id, d.state)).collect();
    let wos = &all.history.work_orders;
    assert!(wos.iter().any(|w| w.kind == WorkOrderKind::Reconditioning) && wos.iter().any(|w| w.patient_id.is_some()));
    for w in wos {
        let s = state[&w.device_id.unwrap()];
        assert_eq!(w.status, WorkOrderStatus::Open);
        match w.patient_id {
            Some(_) => assert_eq!(s, DeviceState::WithPatient),
            None => assert_eq!(s, DeviceState::InWorkshop),
        }
        assert!(w.created_at.date_naive() < today());
    }
    let workshop = all.devices.iter().filter(|d| d.state == DeviceState::InWorkshop).count();
    assert_eq!(wos.iter().filter(|w| w.patient_id.is_none()).count(), workshop);
}

#[test]
fn digital_devices_of_every_kind_are_lent_to_patients_at_the_small_scale() {
    // Issue 21: blood-pressure monitors, scales, medication dispensers and
    // pulse oximeters (area "digital") lent to patients, so the digital
    // platform has devices to list and credentials to issue at every scale.
    let all = small();
    let digital: std::collections::HashMap<i64, String> = all
        .articles
        .iter()
        .filter(|a| a.product_area == "digital")
        .map(|a| (a.id, a.iso_code.as_str().chars().take(6).collect()))
        .collect();
    let lent: Vec<&String> = all
        .devices
        .iter()
        .filter(|d| d.state == DeviceState::WithPatient)
        .filter_map(|d| digital.get(&d.article_id))
        .collect();
    assert!(lent.len() >= 20, "{} digital devices lent", lent.len());
    for iso in ["041904", "042403", "042415", "042418"] {
        assert!(lent.iter().any(|c| c.as_str() == iso), "no lent device of {iso}");
    }
}
