//! A tiny, fully known data set for tests: one region, two municipalities,
//! a few units, users, patients, articles and devices. Every id and value
//! is fixed so tests can assert exact answers.

use crate::*;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::device::{DeviceEventKind, DeviceState};
use ramp_domain::ids::{IsoCode, PersonalId};
use ramp_domain::role::Role;
use ramp_domain::setting::Setting;

/// Ids of the fixture's rows, named for what they are.
pub struct Fixture {
    pub region: Id,
    pub stockholm: Id,
    pub lidingo: Id,
    pub vardcentral: Id,
    pub hemtjanst: Id,
    pub central_warehouse: Id,
    pub buffer_store: Id,
    pub prescriber: Id,
    pub other_prescriber: Id,
    pub warehouse_user: Id,
    pub admin: Id,
    pub tolvan: Id,
    pub tolvan_pnr: PersonalId,
    pub other_patient: Id,
    pub rollator: Id,
    pub wheelchair: Id,
    pub lent_device_number: &'static str,
    pub stock_device_ids: Vec<Id>,
}

pub const PASSWORD: &str = "demo-lösen-2026";

pub fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).single().expect("valid instant")
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[allow(clippy::too_many_arguments)] // a table row, read positionally
fn user(
    id: Id,
    username: &str,
    name: &str,
    hash: &str,
    principal: Id,
    unit: Option<Id>,
    roles: Vec<Role>,
    comps: &[&str],
) -> User {
    User {
        id,
        username: username.into(),
        display_name: name.into(),
        password_hash: Some(hash.into()),
        principal_id: principal,
        unit_id: unit,
        active: true,
        created_at: t(2024, 1, 1),
        last_login_at: None,
        roles,
        competences: comps.iter().map(|c| c.to_string()).collect(),
        hsa_id: Some(format!("SE2321000016-U{id}")),
    }
}

fn article(id: Id, number: &str, iso: &str, name: &str, price_sek: i64, kind: ArticleKind) -> Article {
    Article {
        id,
        article_number: number.into(),
        iso_code: IsoCode::parse(iso).expect("fixture ISO code"),
        gtin: None,
        name: name.into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: price_sek * 100,
        monthly_rent_ore: price_sek * 100 / 60,
        kind,
        billing: Billing::Rental,
        lead_time_class: LeadTimeClass::Stock7,
        service_life_months: 96,
        reconditionable: true,
        product_area: "mobility".into(),
        valid_from: date(2022, 1, 1),
        valid_to: None,
    }
}

fn device(id: Id, number: &str, article: Id, state: DeviceState, warehouse: Option<Id>, patient: Option<Id>) -> Device {
    Device {
        id,
        device_number: number.into(),
        article_id: article,
        serial: Some(format!("SN-{number}")),
        purchase_date: date(2023, 3, 1),
        purchase_price_ore: 250_000,
        state,
        warehouse_id: warehouse,
        patient_id: patient,
        unit_id: None,
        state_since: t(2024, 2, 1),
    }
}

/// Loads the fixture. `password_hash` is the hash of [`PASSWORD`], given
/// by the caller because hashing belongs to the app layer.
pub async fn load(s: &dyn Storage, password_hash: &str) -> Result<Fixture> {
    let p = |id, code: &str, name: &str, kind: &str| Principal {
        id,
        code: code.into(),
        name: name.into(),
        kind: kind.into(),
        municipality_code: (kind == "municipality").then(|| code.into()),
        // Lidingö has an agreement on basic equipment (it buys surplus); Stockholm has not.
        basic_equipment_since: (code == "0186").then(|| NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date")),
    };
    s.insert_principals(&[
        p(1, "region", "Region Stockholm", "region"),
        p(2, "0180", "Stockholms stad", "municipality"),
        p(3, "0186", "Lidingö stad", "municipality"),
    ])
    .await?;
    let party = |id, org: &str, street: &str, postal: &str, city: &str| PrincipalBilling {
        principal_id: id,
        organisation_number: org.into(),
        vat_number: ramp_domain::billing::vat_number(org),
        street: street.into(),
        postal_code: postal.into(),
        city: city.into(),
        peppol_id: Some(format!("0007:{org}")),
        invoice_email: Some("faktura@example.se".into()),
    };
    s.set_principal_billing(&[
        party(1, "2321000016", "Hälso- och sjukvårdsförvaltningen, Box 6909", "10239", "Stockholm"),
        party(2, "2120000142", "Stadshuset, Hantverkargatan 1", "10535", "Stockholm"),
        party(3, "2120000183", "Stadshuset, Stockholmsvägen 50", "18182", "Lidingö"),
    ])
    .await?;
    let cn = |id, number: &str, principal, name: &str| CustomerNumber {
        id,
        number: number.into(),
        principal_id: principal,
        name: name.into(),
    };
    s.insert_customer_numbers(&[cn(1, "100001", 1, "Vårdcentralen Solna"), cn(2, "300001", 3, "Hemtjänst Lidingö")])
        .await?;
    s.insert_units(&[
        Unit {
            id: 1,
            principal_id: 1,
            hsa_id: "SE2321000016-0001".into(),
            name: "Vårdcentralen Solna".into(),
            kind: "primary_care".into(),
            customer_number_id: 1,
        },
        Unit {
            id: 2,
            principal_id: 3,
            hsa_id: "SE2120000000-0002".into(),
            name: "Hemtjänst Lidingö".into(),
            kind: "home_care".into(),
            customer_number_id: 2,
        },
    ])
    .await?;
    s.insert_warehouses(&[
        Warehouse {
            id: 1,
            code: "HMC-C".into(),
            name: "Centrallager Hjälpmedelscentralen".into(),
            kind: "central".into(),
            unit_id: None,
        },
        Warehouse {
            id: 2,
            code: "BUF-LID".into(),
            name: "Buffertförråd Lidingö".into(),
            kind: "buffer".into(),
            unit_id: Some(2),
        },
    ])
    .await?;
    s.insert_product_areas(&[ProductArea {
        code: "mobility".into(),
        name_sv: "Förflyttning".into(),
        name_en: "Mobility".into(),
        required_competence: Some("mobility".into()),
        drug_adjacent: false,
        digital: false,
    }])
    .await?;
    s.insert_users(&[
        user(1, "anna", "Anna Arbetsterapeut", password_hash, 1, Some(1), vec![Role::Prescriber], &["mobility"]),
        user(2, "lars", "Lars Sjukgymnast", password_hash, 3, Some(2), vec![Role::Prescriber], &["mobility"]),
        user(3, "lager", "Lena Lager", password_hash, 1, None, vec![Role::Warehouse], &[]),
        user(4, "admin", "Ada Admin", password_hash, 1, None, vec![Role::Admin], &[]),
    ])
    .await?;
    let tolvan_pnr = PersonalId::parse("19121212-1212", date(2026, 1, 1)).expect("fixture personnummer");
    let other_pnr = PersonalId::parse("19400101-0000", date(2026, 1, 1)).expect("fixture personnummer");
    let patient = |id, pnr: &PersonalId, given: &str, family: &str, municipality| Patient {
        id,
        personal_id: pnr.clone(),
        birth_date: pnr.birth_date(),
        given_name: given.into(),
        family_name: family.into(),
        municipality_id: municipality,
        created_at: t(2024, 1, 1),
    };
    s.insert_patients(&[
        patient(1, &tolvan_pnr, "Tolvan", "Tolvansson", 2),
        patient(2, &other_pnr, "Greta", "Andersson", 3),
    ])
    .await?;
    s.insert_patient_settings(&[
        PatientSetting {
            patient_id: 1,
            setting: Setting::Ordinary,
            valid_from: date(2000, 1, 1),
            valid_to: Some(date(2023, 12, 31)),
        },
        PatientSetting { patient_id: 1, setting: Setting::Saebo, valid_from: date(2024, 1, 1), valid_to: None },
        PatientSetting { patient_id: 2, setting: Setting::Ordinary, valid_from: date(2000, 1, 1), valid_to: None },
    ])
    .await?;
    s.insert_care_relationships(&[
        CareRelationship { patient_id: 1, unit_id: 1, valid_from: date(2024, 1, 1), valid_to: None },
        CareRelationship {
            patient_id: 2,
            unit_id: 2,
            valid_from: date(2020, 1, 1),
            valid_to: Some(date(2021, 12, 31)),
        },
    ])
    .await?;
    s.insert_suppliers(&[Supplier { id: 1, name: "Etac Sverige AB".into() }]).await?;
    s.insert_articles(&[
        article(1, "R-100", "120606", "Rollator Gåstöd Classic", 2500, ArticleKind::MainDevice),
        article(2, "W-200", "122203", "Rullstol Manuell Komfort", 9000, ArticleKind::MainDevice),
        article(3, "R-101", "120606", "Rollatorkorg Ärtgrön", 300, ArticleKind::Accessory),
    ])
    .await?;
    s.insert_replacement_groups(&[ReplacementGroup {
        id: 1,
        code: "RG-ROLL".into(),
        name: "Rollatorer standard".into(),
        fixed: false,
        members: vec![1],
    }])
    .await?;
    s.insert_devices(&[
        device(1, "D-0001", 1, DeviceState::WithPatient, None, Some(1)),
        device(2, "D-0002", 1, DeviceState::InStock, Some(1), None),
        device(3, "D-0003", 1, DeviceState::InStock, Some(1), None),
        device(4, "D-0004", 2, DeviceState::InStock, Some(2), None),
    ])
    .await?;
    s.insert_loans(&[Loan {
        device_id: 1,
        patient_id: Some(1),
        unit_id: None,
        customer_number_id: 1,
        payer: ramp_domain::cost::Payer::Region,
        rule_id: "stockholm.ordinary.region".into(),
        agreement_version: "2021-01-01".into(),
        start_date: date(2024, 2, 1),
        end_date: None,
    }])
    .await?;
    let ev = |id, kind, from: Option<DeviceState>, to, at, patient, warehouse| DeviceEvent {
        id,
        device_id: 1,
        occurred_at: at,
        kind,
        from_state: from,
        to_state: to,
        actor_user_id: Some(3),
        patient_id: patient,
        warehouse_id: warehouse,
        note: None,
    };
    s.insert_device_events(&[
        ev(1, DeviceEventKind::Received, None, DeviceState::InStock, t(2023, 3, 1), None, Some(1)),
        ev(
            2,
            DeviceEventKind::Delivered,
            Some(DeviceState::InStock),
            DeviceState::WithPatient,
            t(2024, 2, 1),
            Some(1),
            None,
        ),
    ])
    .await?;
    s.finish_bulk_load().await?;
    Ok(Fixture {
        region: 1,
        stockholm: 2,
        lidingo: 3,
        vardcentral: 1,
        hemtjanst: 2,
        central_warehouse: 1,
        buffer_store: 2,
        prescriber: 1,
        other_prescriber: 2,
        warehouse_user: 3,
        admin: 4,
        tolvan: 1,
        tolvan_pnr,
        other_patient: 2,
        rollator: 1,
        wheelchair: 2,
        lent_device_number: "D-0001",
        stock_device_ids: vec![2, 3],
    })
}
