//! Fixed data for the digital-device tests (issue 21), loaded on top of
//! [`crate::fixture`]: the product area `digital`, a blood-pressure
//! monitor and a medication dispenser lent to Tolvan (whose care unit is
//! Vårdcentralen Solna, unit 1, so alarms are routed there), and a monitor
//! in central stock, which cannot report.

use crate::fixture::{date, t};
use crate::*;
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::device::DeviceState;
use ramp_domain::ids::IsoCode;

/// Numbers of the digital fixture's devices.
pub struct DigitalFixture {
    /// A blood-pressure monitor lent to Tolvan.
    pub monitor: &'static str,
    /// A medication dispenser lent to Tolvan.
    pub dispenser: &'static str,
    /// A blood-pressure monitor in central stock.
    pub stock_monitor: &'static str,
}

fn article(id: Id, number: &str, iso: &str, name: &str) -> Article {
    Article {
        id,
        article_number: number.into(),
        iso_code: IsoCode::parse(iso).expect("fixture ISO code"),
        gtin: None,
        name: name.into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: 150_000,
        monthly_rent_ore: 2_500,
        kind: ArticleKind::MainDevice,
        billing: Billing::Rental,
        lead_time_class: LeadTimeClass::Stock7,
        service_life_months: 60,
        reconditionable: true,
        product_area: "digital".into(),
        valid_from: date(2022, 1, 1),
        valid_to: None,
    }
}

fn device(id: Id, number: &str, article: Id, lent: bool) -> Device {
    Device {
        id,
        device_number: number.into(),
        article_id: article,
        serial: Some(format!("SN-{number}")),
        purchase_date: date(2024, 3, 1),
        purchase_price_ore: 150_000,
        state: if lent { DeviceState::WithPatient } else { DeviceState::InStock },
        warehouse_id: (!lent).then_some(1),
        patient_id: lent.then_some(1),
        unit_id: None,
        state_since: t(2025, 5, 1),
    }
}

/// Loads the digital fixture (after [`crate::fixture::load`]).
pub async fn load(s: &dyn Storage) -> Result<DigitalFixture> {
    s.insert_product_areas(&[ProductArea {
        code: "digital".into(),
        name_sv: "Digitala hjälpmedel".into(),
        name_en: "Digital assistive devices".into(),
        required_competence: None,
        drug_adjacent: false,
        agreement_area: ramp_domain::figures::Agreement::Digital,
    }])
    .await?;
    s.insert_articles(&[
        article(20, "BT-300", "042403", "Blodtrycksmätare digital Vega"),
        article(21, "LD-400", "041904", "Läkemedelsdispenser Nova"),
    ])
    .await?;
    s.insert_devices(&[
        device(20, "DIG-0001", 20, true),
        device(21, "DIG-0002", 21, true),
        device(22, "DIG-0003", 20, false),
    ])
    .await?;
    let loan = |device_id| Loan {
        device_id,
        patient_id: Some(1),
        unit_id: None,
        customer_number_id: 1,
        payer: ramp_domain::cost::Payer::Region,
        rule_id: "stockholm.ordinary.region".into(),
        agreement_version: "2021-01-01".into(),
        start_date: date(2025, 5, 1),
        end_date: None,
    };
    s.insert_loans(&[loan(20), loan(21)]).await?;
    s.finish_bulk_load().await?;
    Ok(DigitalFixture { monitor: "DIG-0001", dispenser: "DIG-0002", stock_monitor: "DIG-0003" })
}

/// Sara, a nurse at Vårdcentralen Solna (unit 1, Tolvan's care unit): she
/// handles the unit's alarms but does not prescribe. Id 30.
pub async fn load_nurse(s: &dyn Storage, password_hash: &str) -> Result<Id> {
    let sara = User {
        id: 30,
        username: "sara".into(),
        display_name: "Sara Sjuksköterska".into(),
        password_hash: Some(password_hash.into()),
        principal_id: 1,
        unit_id: Some(1),
        active: true,
        created_at: t(2024, 1, 1),
        last_login_at: None,
        roles: vec![ramp_domain::role::Role::PersonalOrdererHealth],
        competences: vec![],
        hsa_id: Some("SE2321000016-U30".into()),
    };
    s.insert_users(&[sara]).await?;
    s.finish_bulk_load().await?;
    Ok(30)
}
