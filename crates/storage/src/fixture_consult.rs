//! Fixed data for the consultation and surplus-sale tests, loaded on top
//! of [`crate::fixture`] (and, where a test needs orders, also
//! [`crate::fixture_ordering`]; the ids here do not collide with its own):
//! two consultants, a municipal orderer at Lidingö, and articles of
//! earlier assortment with devices in central stock — one whose spare
//! parts last, one whose spare parts end too soon, and the older member of
//! a fixed replacement group so that ordering the newer one makes demand.

use crate::fixture::{date, t};
use crate::*;
use chrono::NaiveDate;
use ramp_domain::article::{ArticleKind, Billing, LeadTimeClass};
use ramp_domain::device::DeviceState;
use ramp_domain::ids::IsoCode;
use ramp_domain::role::Role;

/// Ids and numbers of the consultation fixture's rows.
pub struct ConsultFixture {
    /// `konsulent`: Karl Konsulent, HMC consultant.
    pub consultant: Id,
    /// `konsulent2`: Kerstin Konsulent, HMC consultant.
    pub other_consultant: Id,
    /// `kommun`: Kim Kommun, unit orderer at Hemtjänst Lidingö (Lidingö stad).
    pub municipal_user: Id,
    /// earlier assortment (ended 2025-06-30), spare parts until 2029,
    /// four devices in central stock, the older member of fixed group FG-ROLL-OLD.
    pub surplus_article: &'static str,
    pub surplus_devices: [&'static str; 4],
    /// Of [`Self::surplus_devices`]: the first, bought for 2 500,05 kr.
    pub odd_price_device: &'static str,
    /// in assortment; ordering it hands out R-050 (fixed group).
    pub newer_article: &'static str,
    /// W-090: earlier assortment, spare parts only until 2026-12-01.
    pub short_parts_article: &'static str,
    pub short_parts_device: &'static str,
    /// A device of R-050 in Lidingö's buffer store: not offered.
    pub buffer_device: &'static str,
    /// Lidingö stad's municipality code.
    pub lidingo_code: &'static str,
}

fn article(id: Id, number: &str, name: &str, valid_to: Option<NaiveDate>) -> Article {
    Article {
        id,
        article_number: number.into(),
        iso_code: IsoCode::parse("120606").expect("fixture ISO code"),
        gtin: None,
        name: name.into(),
        supplier_id: 1,
        supplier_name: "Etac Sverige AB".into(),
        purchase_price_ore: 250_000,
        monthly_rent_ore: 4_000,
        kind: ArticleKind::MainDevice,
        billing: Billing::Rental,
        lead_time_class: LeadTimeClass::Stock7,
        service_life_months: 96,
        reconditionable: true,
        product_area: "mobility".into(),
        valid_from: date(2015, 1, 1),
        valid_to,
    }
}

fn device(id: Id, number: &str, article: Id, price_ore: i64, warehouse: Id) -> Device {
    Device {
        id,
        device_number: number.into(),
        article_id: article,
        serial: Some(format!("SN-{number}")),
        purchase_date: date(2019, 3, 1 + (id % 20) as u32),
        purchase_price_ore: price_ore,
        state: DeviceState::InStock,
        warehouse_id: Some(warehouse),
        patient_id: None,
        unit_id: None,
        state_since: t(2025, 8, 1),
    }
}

/// Loads the fixture; [`crate::fixture::load`] must have run first.
pub async fn load(s: &dyn Storage) -> Result<ConsultFixture> {
    let hash = s.user_by_username("anna").await?.and_then(|u| u.password_hash);
    let user = |id, username: &str, name: &str, principal, unit, role| User {
        id,
        username: username.into(),
        display_name: name.into(),
        password_hash: hash.clone(),
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
        user(20, "konsulent", "Karl Konsulent", 1, None, Role::Consultant),
        user(21, "konsulent2", "Kerstin Konsulent", 1, None, Role::Consultant),
        user(22, "kommun", "Kim Kommun", 3, Some(2), Role::UnitOrderer),
    ])
    .await?;
    s.insert_articles(&[
        article(30, "R-050", "Rollator Klassiker (utgången)", Some(date(2025, 6, 30))),
        article(31, "W-090", "Rullstol Bas (utgången)", Some(date(2024, 12, 31))),
        article(32, "R-060", "Rollator Klassiker II", None),
    ])
    .await?;
    s.set_spare_parts_until(30, Some(date(2029, 12, 31))).await?;
    s.set_spare_parts_until(31, Some(date(2026, 12, 1))).await?;
    s.insert_replacement_groups(&[ReplacementGroup {
        id: 10,
        code: "FG-ROLL-OLD".into(),
        name: "Rollatorer klassiska".into(),
        fixed: true,
        members: vec![30, 32],
    }])
    .await?;
    s.insert_devices(&[
        device(60, "D-0060", 30, 250_005, 1),
        device(61, "D-0061", 30, 250_000, 1),
        device(62, "D-0062", 30, 250_000, 1),
        device(63, "D-0063", 30, 250_000, 1),
        device(64, "D-0064", 31, 800_000, 1),
        device(65, "D-0065", 31, 800_000, 1),
        device(66, "D-0066", 30, 250_000, 2),
    ])
    .await?;
    s.finish_bulk_load().await?;
    Ok(ConsultFixture {
        consultant: 20,
        other_consultant: 21,
        municipal_user: 22,
        surplus_article: "R-050",
        surplus_devices: ["D-0060", "D-0061", "D-0062", "D-0063"],
        odd_price_device: "D-0060",
        newer_article: "R-060",
        short_parts_article: "W-090",
        short_parts_device: "D-0064",
        buffer_device: "D-0066",
        lidingo_code: "0186",
    })
}
