//! Cost decisions per second on the shipped agreements, in process, against a
//! bare lookup over the same inputs (a `HashMap` from the request's setting,
//! ISO code and kind to a precomputed answer) in the same run.
//!
//! `cargo bench -p ramp-domain --bench cost` runs criterion on the three, then
//! prints decisions per second for each and the ratio to the bare lookup.

use chrono::NaiveDate;
use criterion::{Criterion, Throughput};
use ramp_domain::cost::{AgreementSet, DecisionRequest, Kind, Need, Patient, Product};
use ramp_domain::ids::IsoCode;
use ramp_domain::setting::Setting;
use ramp_domain::Term;
use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Weighted choices: where assistive devices are mostly prescribed.
const SETTINGS: &[(Setting, u32)] = &[
    (Setting::Saebo, 40),
    (Setting::Ordinary, 25),
    (Setting::LssHousing, 10),
    (Setting::ShortTermStay, 10),
    (Setting::DayCare, 5),
    (Setting::DailyActivity, 5),
    (Setting::SocialpsychiatryHousing, 5),
];
const KINDS: &[(Kind, u32)] = &[
    (Kind::Device, 60),
    (Kind::Accessory, 20),
    (Kind::Consumable, 12),
    (Kind::MedtechProduct, 4),
    (Kind::Nutrition, 4),
];
const ISO: &[&str] = &[
    "120606", "120606", "120606", "122203", "122306", "122218", "122409", "123603", "123621", "181210", "043303",
    "043306", "091203", "093303", "093006", "091806", "220606", "220303", "222103", "061206", "241303", "242103",
];
const FACTS: &[&str] =
    &["special_adapted", "carer_controlled", "staff_operated", "region_cost_listed", "pharmaceutical_benefit"];

/// A small deterministic generator, so every run measures the same mix.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    fn pick<T: Copy>(&mut self, weighted: &[(T, u32)]) -> T {
        let total: u32 = weighted.iter().map(|(_, w)| w).sum();
        let mut n = self.next() % total;
        for &(v, w) in weighted {
            if n < w {
                return v;
            }
            n -= w;
        }
        weighted[0].0
    }
}

fn request(rng: &mut Lcg) -> DecisionRequest {
    let region = if rng.next().is_multiple_of(5) { "sormland" } else { "stockholm" };
    let date =
        NaiveDate::from_ymd_opt(2021 + (rng.next() % 5) as i32, 1 + rng.next() % 12, 1 + rng.next() % 28).unwrap();
    let patient = match rng.next() % 10 {
        0 => Patient::Age(rng.next() % 18),
        1 => Patient::BirthDate(NaiveDate::from_ymd_opt(1930 + (rng.next() % 60) as i32, 3, 2).unwrap()),
        _ => Patient::Age(65 + rng.next() % 35),
    };
    let mut facts = BTreeMap::new();
    for name in FACTS {
        if !rng.next().is_multiple_of(3) {
            facts.insert(name.to_string(), rng.next().is_multiple_of(4));
        }
    }
    let iso = IsoCode::parse(ISO[rng.next() as usize % ISO.len()]).unwrap();
    let product = Product { iso: Some(iso), kind: rng.pick(KINDS), facts };
    let need = Need::ALL[rng.next() as usize % Need::ALL.len()];
    DecisionRequest { region: region.into(), date, patient, setting: rng.pick(SETTINGS), product, need }
}

/// 4,096 valid requests (those the agreements cover), a realistic mix of
/// decisions and questions.
fn workload(set: &AgreementSet) -> Vec<DecisionRequest> {
    let mut rng = Lcg(0x5eed);
    std::iter::repeat_with(|| request(&mut rng)).filter(|r| set.decide(r).is_ok()).take(4096).collect()
}

type Key<'a> = (Setting, &'a str, Kind);

/// The ceiling: the same inputs looked up in a table of precomputed answers.
fn lookup_table<'a>(set: &AgreementSet, reqs: &'a [DecisionRequest]) -> HashMap<Key<'a>, bool> {
    let answer = |r: &DecisionRequest| set.decide_ref(r).map(|o| o.rule().is_some()).unwrap_or(false);
    reqs.iter().map(|r| ((r.setting, iso_of(r), r.product.kind), answer(r))).collect()
}

fn criterion_benches(c: &mut Criterion, set: &AgreementSet, reqs: &[DecisionRequest]) {
    let table = lookup_table(set, reqs);
    let mut g = c.benchmark_group("cost");
    g.throughput(Throughput::Elements(reqs.len() as u64));
    g.bench_function("bare_lookup", |b| b.iter(|| bare_lookup(&table, reqs)));
    g.bench_function("decide_ref", |b| b.iter(|| decide_ref(set, reqs)));
    g.bench_function("decide", |b| b.iter(|| decide(set, reqs)));
    g.finish();
}

fn bare_lookup(table: &HashMap<Key<'_>, bool>, reqs: &[DecisionRequest]) -> usize {
    reqs.iter().filter(|r| table.get(&(r.setting, black_box(iso_of(r)), r.product.kind)) == Some(&true)).count()
}

fn decide_ref(set: &AgreementSet, reqs: &[DecisionRequest]) -> usize {
    reqs.iter().filter(|r| set.decide_ref(black_box(r)).is_ok_and(|o| o.rule().is_some())).count()
}

fn decide(set: &AgreementSet, reqs: &[DecisionRequest]) -> usize {
    reqs.iter().filter(|r| set.decide(black_box(r)).is_ok_and(|o| o.decision().is_some())).count()
}

/// Runs `f` over the workload for about a second; returns items per second.
fn rate(reqs: usize, mut f: impl FnMut() -> usize) -> f64 {
    let (start, mut rounds) = (Instant::now(), 0u64);
    while start.elapsed() < Duration::from_secs(1) {
        black_box(f());
        rounds += 1;
    }
    (rounds * reqs as u64) as f64 / start.elapsed().as_secs_f64()
}

fn summary(set: &AgreementSet, reqs: &[DecisionRequest]) {
    let table = lookup_table(set, reqs);
    let bare = rate(reqs.len(), || bare_lookup(&table, reqs));
    let by_ref = rate(reqs.len(), || decide_ref(set, reqs));
    let owned = rate(reqs.len(), || decide(set, reqs));
    let decided = reqs.iter().filter(|r| set.decide_ref(r).is_ok_and(|o| o.rule().is_some())).count();
    println!("\ncost decisions, one core, {} requests ({decided} decisions, the rest questions):", reqs.len());
    println!("  bare lookup (HashMap, same inputs): {:>12.0} /s", bare);
    println!("  decide_ref (borrowed outcome):      {:>12.0} /s  ({:.2} of the bare lookup)", by_ref, by_ref / bare);
    println!("  decide (owned outcome):             {:>12.0} /s  ({:.2} of the bare lookup)", owned, owned / bare);
    println!("  target: 1,000,000 decisions per second per core: {}", if owned > 1e6 { "met" } else { "NOT met" });
}

fn main() {
    let set = AgreementSet::builtin();
    let reqs = workload(&set);
    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c, &set, &reqs);
    c.final_summary();
    if std::env::args().any(|a| a == "--bench") {
        summary(&set, &reqs);
    }
}

/// The request's ISO code (every generated request has one).
fn iso_of(r: &DecisionRequest) -> &str {
    r.product.iso.as_ref().map_or("", |c| c.as_str())
}
