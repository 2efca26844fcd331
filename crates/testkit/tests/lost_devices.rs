//! Lost devices under the demo region's agreement (issue 22): the charge
//! rules are agreement data — the version in force on the day of the report,
//! and within it the first rule set whose unit kinds include the reporting
//! unit's. Seed 004: "Start i mars 2024", "Primärvård och SU ingår i
//! pilotprojektet".

use crate::billing::{amounts_of, at, d, lend, lidingo_invoice, run, setup, LIFT, OLD_LIFT, SLING};
use ramp_testkit::TestApp;
use serde_json::json;

/// Seed 004, "Pilotprojekt – förkomna hjälpmedel": "Start i mars 2024",
/// "Primärvård och SU ingår i pilotprojektet" — a primary-care unit's loss
/// in October 2026 is charged by the pilot's "Debiterbart värde".
async fn lost_devices_are_charged_by_the_seed_rules_end_to_end(app: TestApp) {
    // Arrange: five devices out with Tolvan, reported lost on 12 October 2026.
    let token = setup(&app).await;
    let devices = [
        // "Restvärdet": 12 000 kr bought 10 May 2024, 29 of 60 months used → 12 000 × 31 / 60 = 6 200 kr.
        lend(&app, 410, LIFT, 1_200_000, d(2024, 5, 10), d(2024, 6, 1)).await,
        // "dock lägst 20% av inköpspriset": written down since 2024 → 2 400 kr.
        lend(&app, 411, LIFT, 1_200_000, d(2019, 1, 1), d(2019, 2, 1)).await,
        // "För tillbehör: 50% av inköpspris": 3 000 kr → 1 500 kr.
        lend(&app, 412, SLING, 300_000, d(2025, 1, 1), d(2025, 2, 1)).await,
        // "Understiger det debiterbara värdet 1000 kr": 50 % of 1 500 kr = 750 kr → nothing.
        lend(&app, 413, SLING, 150_000, d(2025, 1, 1), d(2025, 2, 1)).await,
        // "ska vara i sortiment": the article left the assortment at the end of 2025 → nothing.
        lend(&app, 414, OLD_LIFT, 5_000_000, d(2025, 1, 1), d(2025, 2, 1)).await,
    ];
    app.clock.set(at(2026, 10, 12));
    let anna = app.token_for("anna").await;
    for device in &devices {
        let resp = app
            .post_json(
                &anna,
                &format!("/api/v1/devices/{device}/lost-report"),
                &json!({ "circumstances": "Glömd på resa" }),
            )
            .await;
        assert_eq!(resp.status(), 201, "{device}");
    }
    app.clock.set(at(2026, 11, 23));

    // Act
    run(&app, &token, "2026-10").await;

    // Assert
    let oct = lidingo_invoice(&app, &token, "2026-10").await;
    assert_eq!(amounts_of(&oct, "lost_device"), vec![620_000, 240_000, 150_000]);
    let lines = oct["lines"].as_array().unwrap();
    let residual = lines.iter().find(|l| l["amount_ore"] == 620_000).unwrap();
    assert!(residual["computation"]
        .as_str()
        .unwrap()
        .contains("12\u{a0}000,00\u{a0}kr × 31 / 60 = 6\u{a0}200,00\u{a0}kr"));
    assert!(residual["source_key"].as_str().unwrap().starts_with("lost:report:"));
    assert_eq!(oct["total_ore"], 1_010_000);
}

/// Before the pilot (version 2021-01-01): "För tillbehör: 50% av inköpspris
/// (Som idag)", and a main device without residual value was not charged
/// ("Debitering ska kunna ske även om ett hjälpmedel saknar restvärde" is the
/// pilot's new principle); no 1 000 kr limit and no assortment condition yet.
async fn a_loss_reported_before_the_pilot_is_charged_by_the_rules_then_in_force(app: TestApp) {
    // Arrange: the same kinds of devices, reported lost on 12 February 2024.
    let token = setup(&app).await;
    let devices = [
        // Written down since 2024 under the pilot's floor; before it: no residual value, nothing.
        lend(&app, 411, LIFT, 1_200_000, d(2018, 1, 1), d(2018, 2, 1)).await,
        // 50 % of 1 500 kr = 750 kr: charged, no lower limit before the pilot.
        lend(&app, 413, SLING, 150_000, d(2023, 1, 1), d(2023, 2, 1)).await,
        // Out of the assortment from 2026 — still in it in 2024 — 50 000 kr bought 1 January 2023:
        // 13 of 60 months used, 47 left → 50 000 × 47 / 60 = 39 166,67 kr.
        lend(&app, 414, OLD_LIFT, 5_000_000, d(2023, 1, 1), d(2023, 2, 1)).await,
    ];
    app.clock.set(at(2024, 2, 12));
    let anna = app.token_for("anna").await;
    for device in &devices {
        let body = json!({ "circumstances": "Glömd på resa" });
        let resp = app.post_json(&anna, &format!("/api/v1/devices/{device}/lost-report"), &body).await;
        assert_eq!(resp.status(), 201, "{device}");
    }
    app.clock.set(at(2024, 3, 20));

    // Act
    run(&app, &token, "2024-02").await;

    // Assert
    let feb = lidingo_invoice(&app, &token, "2024-02").await;
    assert_eq!(amounts_of(&feb, "lost_device"), vec![75_000, 3_916_667]);
    let computation = feb["lines"].as_array().unwrap().iter().find(|l| l["amount_ore"] == 75_000).unwrap()
        ["computation"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(computation.contains("lost_device.standard"), "{computation}");
    assert!(!computation.contains("pilotprojekt"), "{computation}");
}

ramp_testkit::on_both_engines!(
    with ramp_testkit::spawn_app_in_demo_region;
    lost_devices_are_charged_by_the_seed_rules_end_to_end,
    a_loss_reported_before_the_pilot_is_charged_by_the_rules_then_in_force,
);
