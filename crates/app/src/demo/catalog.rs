//! Catalog articles and replacement groups. Article `i` is a pure function
//! of (seed, i, today), so the articles are generated batch by batch while
//! the few facts the device generator needs (which articles are lent out
//! one by one, at what price, valid when) are kept in a compact index.

use super::divisions::{Division, Profile, COLOURS, DIVISIONS, MODELS, SERIES, SUPPLIERS};
use super::rng::{stream, Rng};
use chrono::{Datelike, Months, NaiveDate};
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::ids::IsoCode;
use ramp_model::{Article, Id, ReplacementGroup, Supplier};

/// What the device generator needs to know about a rentable article.
#[derive(Debug, Clone, Copy)]
pub struct ArticleRef {
    pub id: Id,
    pub price_ore: i64,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub reconditionable: bool,
    pub supplier: usize,
    pub lead: LeadTimeClass,
}

/// The rentable, individually tracked articles per division.
pub struct Catalog {
    pub mains: Vec<Vec<ArticleRef>>,
    pub accessories: Vec<Vec<ArticleRef>>,
    iso: Vec<IsoCode>,
}

impl Catalog {
    /// One pass over every article index; keeps only the compact index.
    pub fn build(seed: u64, articles: usize, today: NaiveDate) -> Catalog {
        let iso = DIVISIONS.iter().map(|d| IsoCode::parse(d.iso).expect("valid ISO code")).collect();
        let mut c =
            Catalog { mains: vec![Vec::new(); DIVISIONS.len()], accessories: vec![Vec::new(); DIVISIONS.len()], iso };
        for index in 0..articles {
            let spec = Spec::draw(seed, index, today);
            if spec.billing == Billing::Rental && spec.kind.is_individual() {
                let r = ArticleRef {
                    id: spec.id,
                    price_ore: spec.price_ore,
                    valid_from: spec.valid_from,
                    valid_to: spec.valid_to,
                    reconditionable: spec.reconditionable,
                    supplier: spec.supplier,
                    lead: spec.lead,
                };
                match spec.kind {
                    ArticleKind::Accessory => c.accessories[spec.division].push(r),
                    _ => c.mains[spec.division].push(r),
                }
            }
        }
        c
    }

    /// Article rows `range`, for one insert batch.
    pub fn articles(&self, seed: u64, range: std::ops::Range<usize>, today: NaiveDate) -> Vec<Article> {
        range.map(|i| Spec::draw(seed, i, today).into_article(&self.iso)).collect()
    }

    /// The division's anchor: article `division + 1`, always valid, always rentable.
    pub fn anchor(&self, division: usize) -> ArticleRef {
        self.mains[division][0]
    }
}

/// Articles of the demo catalog by index (article `i` has id `i + 1` and
/// number `100000 + id`), drawn as the demo draws them but without the
/// device generator's index: `ramp bench search` tops a catalog up with
/// indexes past its largest id, so the new articles are as varied as the
/// demo's (product types, sizes, colours, ISO codes, GTINs, suppliers,
/// accessories and spare parts, some no longer valid).
pub fn articles_at(seed: u64, range: std::ops::Range<usize>, today: NaiveDate) -> Vec<Article> {
    let iso: Vec<IsoCode> = DIVISIONS.iter().map(|d| IsoCode::parse(d.iso).expect("valid ISO code")).collect();
    range.map(|i| Spec::draw(seed, i, today).into_article(&iso)).collect()
}

/// The product areas the demo's articles belong to.
pub fn product_area_codes() -> Vec<&'static str> {
    let mut codes: Vec<&str> = DIVISIONS.iter().map(|d| d.area).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

pub fn suppliers() -> Vec<Supplier> {
    SUPPLIERS.iter().enumerate().map(|(i, (name, _))| Supplier { id: i as Id + 1, name: (*name).into() }).collect()
}

/// The drawn facts of one article, before its name is written.
struct Spec {
    id: Id,
    division: usize,
    kind: ArticleKind,
    billing: Billing,
    price_ore: i64,
    lead: LeadTimeClass,
    reconditionable: bool,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    supplier: usize,
    model: usize,
    rng: Rng,
}

impl Spec {
    fn draw(seed: u64, index: usize, today: NaiveDate) -> Spec {
        let mut rng = Rng::derive(seed, stream::ARTICLE, index as u64);
        let anchor = index < DIVISIONS.len();
        let division =
            if anchor { index } else { rng.weighted(&DIVISIONS.iter().map(|d| d.weight).collect::<Vec<_>>()) };
        let div = &DIVISIONS[division];
        let kind = if anchor { main_kind(div.profile) } else { draw_kind(&mut rng, div) };
        let price_ore = draw_price(&mut rng, div, kind) * 100;
        let billing = billing_of(div.profile, kind, price_ore);
        let (valid_from, valid_to) =
            if anchor { (years_before(today, 8), None) } else { draw_validity(&mut rng, today) };
        let model = rng.below(MODELS.len() as u64) as usize;
        Spec {
            id: index as Id + 1,
            division,
            kind,
            billing,
            price_ore,
            lead: draw_lead(&mut rng, div, kind),
            reconditionable: billing == Billing::Rental && div.iso != "220606",
            valid_from,
            valid_to,
            supplier: div.suppliers[model % div.suppliers.len()],
            model,
            rng,
        }
    }

    fn into_article(mut self, iso: &[IsoCode]) -> Article {
        let div = &DIVISIONS[self.division];
        let name = article_name(&mut self.rng, div, self.kind, self.model);
        let gtin = (self.kind != ArticleKind::SparePart && self.rng.chance(0.6)).then(|| gtin13(self.id));
        let service_life_months = match self.kind {
            ArticleKind::MainDevice | ArticleKind::Accessory | ArticleKind::MedtechProduct => div.life_months,
            _ => 0,
        };
        Article {
            id: self.id,
            article_number: format!("{:06}", 100_000 + self.id),
            iso_code: iso[self.division].clone(),
            gtin,
            name,
            supplier_id: self.supplier as Id + 1,
            supplier_name: SUPPLIERS[self.supplier].0.into(),
            purchase_price_ore: self.price_ore,
            // Function rent: the purchase price spread over about four years.
            monthly_rent_ore: if self.billing == Billing::Rental { round_to(self.price_ore / 48, 100) } else { 0 },
            kind: self.kind,
            billing: self.billing,
            lead_time_class: self.lead,
            service_life_months,
            reconditionable: self.reconditionable,
            product_area: div.area.into(),
            valid_from: self.valid_from,
            valid_to: self.valid_to,
        }
    }
}

fn main_kind(profile: Profile) -> ArticleKind {
    match profile {
        Profile::Device | Profile::Small | Profile::Orthosis | Profile::Medtech => ArticleKind::MainDevice,
        Profile::Consumable => ArticleKind::Consumable,
        Profile::Nutrition => ArticleKind::Nutrition,
    }
}

fn draw_kind(rng: &mut Rng, div: &Division) -> ArticleKind {
    if !matches!(div.profile, Profile::Device | Profile::Medtech) {
        return main_kind(div.profile);
    }
    let acc = if div.accessories.is_empty() { 0 } else { 30 };
    let spare = if div.spare_parts.is_empty() { 0 } else { 30 };
    // Medical-technical products sold for use in care, beside the lent devices.
    let medtech = if div.profile == Profile::Medtech { 20 } else { 0 };
    match rng.weighted(&[40, acc, spare, medtech]) {
        0 => ArticleKind::MainDevice,
        1 => ArticleKind::Accessory,
        2 => ArticleKind::SparePart,
        _ => ArticleKind::MedtechProduct,
    }
}

/// Purchase price in SEK: log-uniform in the division's range for main
/// articles; accessories and spare parts cost a fraction of the cheapest main one.
fn draw_price(rng: &mut Rng, div: &Division, kind: ArticleKind) -> i64 {
    let (lo, hi) = (div.price.0 as f64, div.price.1 as f64);
    let sek = match kind {
        ArticleKind::Accessory => lo * (0.05 + 0.45 * rng.unit()),
        ArticleKind::SparePart => lo * (0.02 + 0.18 * rng.unit()),
        _ => lo * (hi / lo).powf(rng.unit()),
    };
    let step = if sek >= 1_000.0 { 10 } else { 1 };
    round_to((sek as i64).max(25), step)
}

fn billing_of(profile: Profile, kind: ArticleKind, price_ore: i64) -> Billing {
    let lent = matches!(profile, Profile::Device | Profile::Medtech);
    match kind {
        ArticleKind::MainDevice if lent => Billing::Rental,
        ArticleKind::Accessory if price_ore >= 100_000 => Billing::Rental,
        _ => Billing::Sale,
    }
}

fn draw_lead(rng: &mut Rng, div: &Division, kind: ArticleKind) -> LeadTimeClass {
    let acute_area = matches!(div.area, "beds" | "lifts");
    let drawn = match (div.profile, kind) {
        (Profile::Consumable | Profile::Nutrition, _) => LeadTimeClass::Stock7,
        (Profile::Orthosis, _) | (_, ArticleKind::SparePart) => {
            if rng.chance(0.7) {
                LeadTimeClass::Order17
            } else {
                LeadTimeClass::Stock7
            }
        }
        _ => match rng.weighted(&[70, 25, if acute_area { 15 } else { 5 }]) {
            0 => LeadTimeClass::Stock7,
            1 => LeadTimeClass::Order17,
            _ => LeadTimeClass::Acute,
        },
    };
    // Seed 003: "Leveranssäkerhet på 4 ledtidsdagar" for the drug-adjacent
    // products (seed 000: "t ex sårvårdsmaterial, VAC-terapi"): the
    // medical-treatment area's products and consumables, not its spare parts.
    // Drawn first all the same, so that the rest of the catalog stays as it was.
    if div.area == "medical" && kind != ArticleKind::SparePart {
        LeadTimeClass::Stock4
    } else {
        drawn
    }
}

/// Assortment validity: agreements start on the first of a month; some
/// have ended (the old assortment still out with patients), some end soon.
fn draw_validity(rng: &mut Rng, today: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
    let start = first_of_month(today) - Months::new(6 + rng.below(138) as u32);
    let end = match rng.weighted(&[77, 15, 8]) {
        0 => None,
        1 => Some(start + Months::new(24 + rng.below(48) as u32)).filter(|d| *d < today),
        _ => Some(first_of_month(today) + Months::new(3 + rng.below(21) as u32)),
    };
    (start, end.map(|d| d.pred_opt().expect("valid date")))
}

fn article_name(rng: &mut Rng, div: &Division, kind: ArticleKind, model: usize) -> String {
    let model_name = format!("{}{}", MODELS[model], rng.pick(SERIES));
    let noun_lc = div.noun.to_lowercase();
    match kind {
        ArticleKind::Accessory => format!("{} till {noun_lc} {model_name}", rng.pick(div.accessories)),
        ArticleKind::SparePart => format!("{}, reservdel till {noun_lc} {model_name}", rng.pick(div.spare_parts)),
        ArticleKind::Nutrition => {
            let what = rng.pick(&["Sondnäring", "Näringsdryck", "Energitillskott", "Förtjockningsmedel"]);
            let taste = rng.pick(&["neutral", "vanilj", "jordgubb", "choklad", "kaffe", "skogsbär"]);
            format!("{what} {model_name}, {taste}, {}", rng.pick(&["200 ml", "500 ml", "1000 ml", "4 x 125 ml"]))
        }
        _ => {
            let mut name = format!("{} {model_name}", div.noun);
            let (label, sizes, unit) = div.size;
            if !sizes.is_empty() && rng.chance(0.7) {
                let s = *rng.pick(sizes);
                if label == "storlek" {
                    name += &format!(", storlek {}", ["XS", "S", "M", "L", "XL", "XXL"][(s as usize - 1) % 6]);
                } else {
                    name += &format!(", {label} {s} {unit}");
                }
            }
            if matches!(div.area, "mobility" | "wheelchairs") && rng.chance(0.25) {
                name += &format!(", {}", rng.pick(COLOURS));
            }
            name
        }
    }
}

/// A GTIN-13 under the Swedish GS1 prefix 735, unique per article, with its check digit.
pub fn gtin13(id: Id) -> String {
    let body = format!("735{:09}", id);
    let sum: u32 =
        body.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn round_to(x: i64, step: i64) -> i64 {
    ((x + step / 2) / step).max(1) * step
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

fn years_before(today: NaiveDate, years: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(today.year() - years, 1, 1).expect("valid date")
}

/// Replacement groups: 2–5 equivalent, currently valid main articles of one
/// division, oldest first (the chain offers the oldest first); every third fixed.
pub fn replacement_groups(seed: u64, catalog: &Catalog, today: NaiveDate) -> Vec<ReplacementGroup> {
    let mut groups = Vec::new();
    for (d, mains) in catalog.mains.iter().enumerate() {
        let mut rng = Rng::derive(seed, stream::GROUP, d as u64);
        let mut pool: Vec<&ArticleRef> = mains.iter().filter(|a| a.valid_to.is_none_or(|t| t > today)).collect();
        shuffle(&mut rng, &mut pool);
        let take = pool.len() * 2 / 5;
        let mut at = 0;
        let mut n = 0;
        while at + 2 <= take {
            let size = (2 + rng.below(4) as usize).min(take - at);
            if size < 2 {
                break;
            }
            let mut members: Vec<&ArticleRef> = pool[at..at + size].to_vec();
            members.sort_by_key(|a| (a.valid_from, a.id));
            at += size;
            n += 1;
            let fixed = n % 3 == 0;
            groups.push(ReplacementGroup {
                id: groups.len() as Id + 1,
                code: format!("EG-{}-{n:03}", DIVISIONS[d].iso),
                name: format!(
                    "{}, {}grupp {n}",
                    DIVISIONS[d].name,
                    if fixed { "fast ersättnings" } else { "ersättnings" }
                ),
                fixed,
                members: members.iter().map(|a| a.id).collect(),
            });
        }
    }
    groups
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i as u64 + 1) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ramp_domain::ids::Gtin;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn articles_are_valid_and_priced_for_their_class() {
        let cat = Catalog::build(7, 3_000, today());
        let rows = cat.articles(7, 0..3_000, today());
        for a in &rows {
            if let Some(g) = &a.gtin {
                Gtin::parse(g).unwrap();
            }
            assert!(a.purchase_price_ore > 0, "{a:?}");
            assert!(a.valid_to.is_none_or(|t| t >= a.valid_from), "{a:?}");
            if a.iso_code.as_str() == "120606" && a.kind == ArticleKind::MainDevice {
                assert!((150_000..=400_000).contains(&a.purchase_price_ore), "{a:?}");
            }
            if a.iso_code.as_str() == "122306" && a.kind == ArticleKind::MainDevice {
                assert!((4_000_000..=12_000_000).contains(&a.purchase_price_ore), "{a:?}");
            }
        }
        assert!(rows[0].name.starts_with("Rollator "), "{}", rows[0].name);
        assert!(rows.iter().filter(|a| a.name.to_lowercase().contains("rollator")).count() > 50);
    }

    #[test]
    fn replacement_groups_hold_2_to_5_articles_of_one_division_oldest_first() {
        let cat = Catalog::build(7, 5_000, today());
        let groups = replacement_groups(7, &cat, today());
        assert!(!groups.is_empty());
        let mut seen = std::collections::HashSet::new();
        for g in &groups {
            assert!((2..=5).contains(&g.members.len()), "{g:?}");
            assert!(g.members.iter().all(|m| seen.insert(*m)), "an article is in one group only");
        }
        assert!(groups.iter().any(|g| g.fixed) && groups.iter().any(|g| !g.fixed));
    }
}
