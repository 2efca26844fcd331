//! More fixed data for the ordering tests, loaded on top of [`crate::fixture`]
//! (kept apart so the foundation tests' exact counts stay as they are):
//! replacement groups (an ordinary and a fixed one), an accessory, a
//! consumable, an article needing a competence nobody in the fixture has,
//! the last few rollators of an article for the race test, patients in
//! ordinary housing with care relationships, a unit orderer, and devices
//! out with a patient for pickup, fault and lost reports; and a technician
//! (`tekniker`) for the workshop tests.

use crate::fixture::{date, t};
use crate::*;
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::device::DeviceState;
use ramp_domain::ids::{IsoCode, PersonalId};
use ramp_domain::role::Role;
use ramp_domain::setting::Setting;

/// Ids and numbers of the ordering fixture's rows.
pub struct OrderingFixture {
    /// Sven Svensson, 19390303-1239: ordinary housing in Stockholm, care relationship with Vårdcentralen Solna.
    pub sven: Id,
    pub sven_pnr: &'static str,
    /// Karin Lind, 19450505-2342: ordinary housing on Lidingö, care relationship with Hemtjänst Lidingö (lars).
    pub karin: Id,
    pub karin_pnr: &'static str,
    /// `bestallare`: unit orderer at Hemtjänst Lidingö (which has a buffer store).
    pub unit_orderer: Id,
    /// exactly this many in central stock, no replacement group.
    pub race_article: &'static str,
    pub race_stock: usize,
    /// Out with Sven: a rollator (pickup, fault) and a wheelchair (lost).
    pub sven_rollator: &'static str,
    pub sven_wheelchair: &'static str,
    pub stockholm_customer_number: Id,
}

#[allow(clippy::too_many_arguments)] // a catalog row, read positionally
fn article(
    id: Id,
    number: &str,
    iso: &str,
    name: &str,
    price_sek: i64,
    kind: ArticleKind,
    billing: Billing,
    area: &str,
) -> Article {
    Article {
        id,
        article_number: number.into(),
        iso_code: IsoCode::parse(iso).expect("fixture ISO code"),
        gtin: None,
        name: name.into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: price_sek * 100,
        monthly_rent_ore: if billing == Billing::Rental { price_sek * 100 / 60 } else { 0 },
        kind,
        billing,
        lead_time_class: LeadTimeClass::Stock7,
        service_life_months: 96,
        reconditionable: billing == Billing::Rental,
        product_area: area.into(),
        valid_from: date(2020, 1, 1),
        valid_to: None,
    }
}

fn stock(id: Id, number: &str, article: Id, bought: (i32, u32, u32)) -> Device {
    Device {
        id,
        device_number: number.into(),
        article_id: article,
        serial: Some(format!("SN-{number}")),
        purchase_date: date(bought.0, bought.1, bought.2),
        purchase_price_ore: 500_000,
        state: DeviceState::InStock,
        warehouse_id: Some(1),
        patient_id: None,
        unit_id: None,
        state_since: t(2025, 1, 1),
    }
}

/// Loads the ordering fixture; [`crate::fixture::load`] must have run first.
pub async fn load(s: &dyn Storage) -> Result<OrderingFixture> {
    s.insert_customer_numbers(&[CustomerNumber {
        id: 3,
        number: "200001".into(),
        principal_id: 2,
        name: "Stockholms stad, äldreförvaltningen".into(),
    }])
    .await?;
    s.insert_product_areas(&[
        ProductArea {
            code: "lifts".into(),
            name_sv: "Lyftar".into(),
            name_en: "Lifts".into(),
            required_competence: Some("lifts".into()),
            drug_adjacent: false,
            digital: false,
        },
        ProductArea {
            code: "incontinence".into(),
            name_sv: "Inkontinens".into(),
            name_en: "Incontinence".into(),
            required_competence: None,
            drug_adjacent: false,
            digital: false,
        },
    ])
    .await?;
    let orderer = s.user_by_username("anna").await?.and_then(|u| u.password_hash).unwrap_or_default();
    let staff = |id, username: &str, name: &str, principal, unit, role| User {
        id,
        username: username.into(),
        display_name: name.into(),
        password_hash: Some(orderer.clone()),
        principal_id: principal,
        unit_id: unit,
        active: true,
        created_at: t(2024, 1, 1),
        last_login_at: None,
        roles: vec![role],
        competences: vec![],
        hsa_id: None,
    };
    s.insert_users(&[
        staff(5, "bestallare", "Berit Beställare", 3, Some(2), Role::UnitOrderer),
        staff(6, "tekniker", "Tore Tekniker", 1, None, Role::Technician),
    ])
    .await?;
    use ArticleKind::*;
    use Billing::*;
    s.insert_articles(&[
        article(10, "W-190", "122203", "Rullstol Manuell Bas", 8000, MainDevice, Rental, "mobility"),
        article(11, "S-300", "093303", "Duschstol Hög", 1800, MainDevice, Rental, "mobility"),
        article(12, "S-290", "093303", "Duschstol Standard", 1600, MainDevice, Rental, "mobility"),
        article(13, "W-201", "122406", "Rullstolsbord Komfort", 900, Accessory, Rental, "mobility"),
        article(14, "K-600", "093006", "Inkontinensskydd Natt", 4, Consumable, Sale, "incontinence"),
        article(15, "R-200", "120606", "Rollator Lätt", 2800, MainDevice, Rental, "mobility"),
        article(16, "L-500", "121203", "Mobillyft Viking", 35000, MainDevice, Rental, "lifts"),
    ])
    .await?;
    s.insert_replacement_groups(&[
        ReplacementGroup {
            id: 2,
            code: "RG-RULL".into(),
            name: "Manuella rullstolar".into(),
            fixed: false,
            members: vec![10, 2],
        },
        ReplacementGroup {
            id: 3,
            code: "FG-DUSCH".into(),
            name: "Duschstolar".into(),
            fixed: true,
            members: vec![12, 11],
        },
    ])
    .await?;
    s.insert_accessory_fits(&[(13, 2)]).await?;
    let patient = |id, pnr: &str, given: &str, family: &str, municipality| {
        let pid = PersonalId::parse(pnr, date(2026, 1, 1)).expect("fixture personnummer");
        Patient {
            id,
            birth_date: pid.birth_date(),
            personal_id: pid,
            given_name: given.into(),
            family_name: family.into(),
            municipality_id: municipality,
            created_at: t(2024, 1, 1),
        }
    };
    s.insert_patients(&[
        patient(3, "19390303-1239", "Sven", "Svensson", 2),
        patient(4, "19450505-2342", "Karin", "Lind", 3),
    ])
    .await?;
    s.insert_patient_settings(&[
        PatientSetting { patient_id: 3, setting: Setting::Ordinary, valid_from: date(1939, 3, 3), valid_to: None },
        PatientSetting { patient_id: 4, setting: Setting::Ordinary, valid_from: date(1945, 5, 5), valid_to: None },
    ])
    .await?;
    s.insert_care_relationships(&[
        CareRelationship { patient_id: 3, unit_id: 1, valid_from: date(2025, 1, 1), valid_to: None },
        CareRelationship { patient_id: 4, unit_id: 2, valid_from: date(2025, 1, 1), valid_to: None },
    ])
    .await?;
    let mut devices = vec![
        stock(10, "D-0010", 2, (2025, 1, 10)),
        stock(11, "D-0011", 2, (2025, 2, 10)),
        stock(12, "D-0012", 10, (2022, 5, 1)),
        stock(13, "D-0013", 12, (2021, 4, 1)),
        stock(14, "D-0014", 11, (2024, 4, 1)),
        stock(15, "D-0015", 13, (2024, 6, 1)),
        stock(16, "D-0016", 16, (2024, 6, 1)),
    ];
    let race_stock = 5;
    for i in 0..race_stock {
        devices.push(stock(20 + i as Id, &format!("D-002{i}"), 15, (2024, 1, 1 + i as u32)));
    }
    let lent = |id, number: &str, article| Device {
        state: DeviceState::WithPatient,
        warehouse_id: None,
        patient_id: Some(3),
        ..stock(id, number, article, (2023, 9, 1))
    };
    devices.push(lent(40, "D-0040", 1));
    devices.push(lent(41, "D-0041", 2));
    s.insert_devices(&devices).await?;
    let loan = |device| Loan {
        device_id: device,
        patient_id: Some(3),
        unit_id: None,
        customer_number_id: 1,
        payer: ramp_domain::cost::Payer::Region,
        rule_id: "ordinary.region_prescription".into(),
        agreement_version: "2021-01-01".into(),
        start_date: date(2025, 3, 1),
        end_date: None,
    };
    s.insert_loans(&[loan(40), loan(41)]).await?;
    s.finish_bulk_load().await?;
    Ok(OrderingFixture {
        sven: 3,
        sven_pnr: "19390303-1239",
        karin: 4,
        karin_pnr: "19450505-2342",
        unit_orderer: 5,
        race_article: "R-200",
        race_stock,
        sven_rollator: "D-0040",
        sven_wheelchair: "D-0041",
        stockholm_customer_number: 3,
    })
}
