//! Region Sörmland: the ISO-class split between qualified aids (region) and
//! simpler aids (municipalities), and children's aids up to the calendar year
//! they turn 19. Quotes are from Region Sörmland's public page "Kostnadsansvar
//! för hjälpmedel i Sörmland".

use crate::support::sormland;

conformance! {
    communication_aids_are_qualified_and_paid_by_the_region:
        "22 Hjälpmedel för kommunikation och information",
        sormland("222103")
        => "qualified.classes", Region, RegionPrescription, false;

    training_aids_are_qualified_and_paid_by_the_region:
        "05 Hjälpmedel för träning av färdigheter och förmågor",
        sormland("053306")
        => "qualified.classes", Region, RegionPrescription, false;

    powered_wheelchairs_are_qualified_in_every_housing_form:
        "Regionen har kostnadsansvar för kvalificerade hjälpmedel: i alla boendeformer",
        sormland("122306").setting("saebo").age(88)
        => "qualified.classes", Region, RegionPrescription, false;

    an_active_manual_wheelchair_is_qualified:
        "endast aktiva manuella rullstolar, eldrivna rullstolar, stårullstolar, rygg- och sittsystem",
        sormland("122203").fact("qualified_mobility", true)
        => "qualified.active_wheelchairs_and_seating", Region, RegionPrescription, false;

    environmental_control_is_qualified:
        "24 Hjälpmedel för hantering och transport av produkter - endast omgivningskontroll",
        sormland("241303")
        => "qualified.environmental_control", Region, RegionPrescription, false;

    a_rollator_is_a_simpler_aid_paid_by_the_municipality:
        "12 Hjälpmedel vi förflyttning - exkl. aktiva manuella rullstolar",
        sormland("120606")
        => "simpler.classes", Municipality, HmcPrescriptionInvoicedToMunicipality, false;

    a_standard_manual_wheelchair_is_a_simpler_aid:
        "Kommunerna har kostnadsansvar för enklare hjälpmedel: i alla boendeformer",
        sormland("122203").setting("lss_housing").fact("qualified_mobility", false)
        => "simpler.classes", Municipality, HmcPrescriptionInvoicedToMunicipality, false;

    a_shower_chair_is_a_simpler_aid:
        "09 Hjälpmedel för personlig vård och skydd",
        sormland("093303").setting("saebo").age(90)
        => "simpler.classes", Municipality, HmcPrescriptionInvoicedToMunicipality, false;

    a_reacher_is_a_simpler_aid_when_it_is_not_environmental_control:
        "exkl. omgivningskontroll",
        sormland("242103").fact("environmental_control", false)
        => "simpler.classes", Municipality, HmcPrescriptionInvoicedToMunicipality, false;

    a_childs_simple_aid_is_paid_by_the_region:
        "enklare samt kvalificerade individuella hjälpmedel för barn tom det kalenderår de fyller 19 år",
        sormland("120606").age(10)
        => "children.until_the_year_they_turn_19", Region, RegionPrescription, false;

    an_aid_in_the_calendar_year_the_patient_turns_19_is_still_the_regions:
        "tom det kalenderår de fyller 19 år",
        sormland("120606").on("2024-12-31").born("2005-12-31")
        => "children.until_the_year_they_turn_19", Region, RegionPrescription, false;

    an_aid_in_the_year_after_the_patient_turns_19_is_the_municipalitys:
        "Kommunerna har kostnadsansvar för enklare hjälpmedel",
        sormland("120606").on("2025-01-01").born("2005-12-31")
        => "simpler.classes", Municipality, HmcPrescriptionInvoicedToMunicipality, false;
}

#[test]
fn a_patient_aged_19_given_without_birth_date_is_asked_for_the_birth_date() {
    // 19 years old may be this year (region) or last year (municipality).
    assert_eq!(sormland("120606").age(19).needs(), ["birth_date"]);
}

#[test]
fn a_patient_aged_18_is_within_the_childrens_rule_whatever_the_birthday() {
    assert_eq!(sormland("120606").age(18).decision().rule, "children.until_the_year_they_turn_19");
}

#[test]
fn a_manual_wheelchair_asks_whether_it_is_active_standing_or_a_seating_system() {
    assert_eq!(sormland("122203").needs(), ["qualified_mobility"]);
}

#[test]
fn consumables_are_outside_the_sormland_agreement() {
    let err = crate::support::shipped().decide(&sormland("093006").kind("consumable").request()).unwrap_err();
    assert_eq!((err.field.as_str(), err.code), ("product.kind", "not_covered"));
}

#[test]
fn an_iso_class_the_sormland_agreement_does_not_name_is_not_covered() {
    let err = crate::support::shipped().decide(&sormland("061206").request()).unwrap_err();
    assert_eq!((err.field.as_str(), err.code), ("product.iso", "not_covered"));
}
