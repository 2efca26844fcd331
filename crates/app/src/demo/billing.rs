//! Invoice data for the demo's principals (organisation number, address,
//! PEPPOL id) and the centre's price list. Derived from the principal rows,
//! so the same seed gives the same data.

use ramp_domain::billing::{organisation_number, vat_number};
use ramp_model::{BillingPrice, Principal, PrincipalBilling};

/// The region's real organisation number; municipalities get a fictional
/// valid one from their municipality code (`21200` + code + check digit).
pub fn principal_billing(p: &Principal) -> PrincipalBilling {
    let code = p.municipality_code.clone().unwrap_or_default();
    let (org, street, postal_code, city) = if p.kind == "region" {
        (
            "2321000131".to_string(),
            "Regionens hus, Östergatan 1".to_string(),
            "46280".to_string(),
            "Vänersborg".to_string(),
        )
    } else {
        let nine = format!("21200{:0>4}", code.chars().take(4).collect::<String>());
        let org = organisation_number(&nine).unwrap_or_else(|| "2120000000".into());
        (org, "Kommunhuset, Storgatan 1".to_string(), format!("{:0<5}", code), p.name.replace(" kommun", ""))
    };
    PrincipalBilling {
        principal_id: p.id,
        vat_number: vat_number(&org),
        peppol_id: Some(format!("0007:{org}")),
        invoice_email: Some(format!("faktura@{}.example.se", p.code)),
        organisation_number: org,
        street,
        postal_code,
        city,
    }
}

/// The centre's price list in the demo: an acute delivery fee and hourly
/// rates for repairs and special adaptations (other work is included in the rent).
pub fn prices() -> Vec<BillingPrice> {
    let p = |code: &str, kr: i64, unit: &str, description: &str| BillingPrice {
        code: code.into(),
        amount_ore: kr * 100,
        unit: unit.into(),
        description: description.into(),
    };
    vec![
        p("acute_delivery_fee", 450, "each", "Akut leverans"),
        p("work_order.repair", 650, "hour", "Reparation (debiterbar)"),
        p("work_order.special_adaptation", 700, "hour", "Specialanpassning"),
    ]
}
