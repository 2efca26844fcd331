//! Region Stockholm, the 2021 agreement: one test per rule, each citing the
//! sentence (seeds/000 unless said otherwise) it rests on.

use crate::support::stockholm;

conformance! {
    /// Regionens särskilda kostnadsansvar.
    devices_for_patients_under_18_are_paid_by_the_region_even_in_saebo:
        "Förskrivna hjälpmedel till personer under 18 år",
        stockholm("saebo", "120606", "device").age(12)
        => "special.under_18", Region, RegionPrescription, true;

    consumables_for_patients_under_18_are_the_regions_but_not_trust_prescribed:
        "Förbrukningshjälpmedel kan inte förtroendeförskrivas",
        stockholm("lss_housing", "093006", "consumable").age(17).fact("region_cost_listed", false).fact("pharmaceutical_benefit", false).fact("diabetes_self_test", false)
        => "special.under_18.consumables", Region, RegionPrescription, false;

    hearing_aids_are_paid_by_the_region_at_all_ages:
        "Hörsel- och synhjälpmedel, ortopedtekniska samt kosmetiska hjälpmedel för alla åldrar",
        stockholm("saebo", "220606", "device")
        => "special.hearing", Region, RegionPrescription, true;

    vision_aids_are_paid_by_the_region_at_all_ages:
        "Hörsel- och synhjälpmedel, ortopedtekniska samt kosmetiska hjälpmedel för alla åldrar",
        stockholm("day_care", "220303", "device").need("during_stay_only")
        => "special.vision", Region, RegionPrescription, true;

    orthopedic_aids_follow_from_iso_class_06_and_are_the_regions:
        "Hörsel- och synhjälpmedel, ortopedtekniska samt kosmetiska hjälpmedel för alla åldrar",
        stockholm("saebo", "061206", "device")
        => "special.orthopedic", Region, RegionPrescription, true;

    a_wig_stated_as_cosmetic_is_paid_by_the_region:
        "Hörsel- och synhjälpmedel, ortopedtekniska samt kosmetiska hjälpmedel för alla åldrar",
        stockholm("saebo", "090303", "device").fact("cosmetic", true)
        => "special.cosmetic", Region, RegionPrescription, true;

    hearing_aid_batteries_are_the_regions_but_not_trust_prescribed:
        "Förbrukningshjälpmedel kan inte förtroendeförskrivas",
        stockholm("saebo", "220618", "consumable").fact("pharmaceutical_benefit", false).fact("diabetes_self_test", false)
        => "special.hearing_vision.consumables", Region, RegionPrescription, false;

    diabetes_test_material_is_the_regions_and_may_be_trust_prescribed:
        "förutom testmaterial för diabetes",
        stockholm("saebo", "042412", "consumable").fact("diabetes_self_test", true).fact("pharmaceutical_benefit", false)
        => "special.diabetes_self_test", Region, RegionPrescription, true;

    /// Issue 22: the pharmacy rule used to win, refusing trust-prescription.
    diabetes_test_material_in_the_pharmaceutical_benefit_may_still_be_trust_prescribed:
        "Förbrukningshjälpmedel kan inte förtroendeförskrivas - förutom testmaterial för diabetes",
        stockholm("saebo", "042412", "consumable").fact("diabetes_self_test", true).fact("pharmaceutical_benefit", true)
        => "special.diabetes_self_test", Region, RegionPrescription, true;

    /// Issue 22: an unknown pharmacy status used to be asked about first.
    diabetes_test_material_is_decided_without_asking_about_the_pharmaceutical_benefit:
        "Testmaterial vid självtest av diabetes",
        stockholm("lss_housing", "042412", "consumable").fact("diabetes_self_test", true)
        => "special.diabetes_self_test", Region, RegionPrescription, true;

    /// Issue 22: ISO 06 30 is both classes; the orthopaedic rule used to answer.
    a_breast_prosthesis_is_decided_as_a_cosmetic_aid:
        "Hörsel- och synhjälpmedel, ortopedtekniska samt kosmetiska hjälpmedel för alla åldrar",
        stockholm("saebo", "063018", "device")
        => "special.cosmetic", Region, RegionPrescription, true;

    /// Issue 22: nutrition has no ISO 9999 code; it used to be refused for the lack of one.
    nutrition_without_an_iso_code_in_lss_housing_is_the_regions:
        "Näringsprodukter till boende inom LSS bekostas av regionen och förskrivs via Beställningsportalen.",
        stockholm("lss_housing", "", "nutrition")
        => "nutrition.lss_housing", Region, RegionPrescription, false;

    nutrition_without_an_iso_code_in_saebo_is_the_municipalitys:
        "Kommunfinansierad verksamhet bekostar näring till boende på SÄBO och beställer detta via egna avtalade leverantörer.",
        stockholm("saebo", "", "nutrition")
        => "nutrition.saebo", Municipality, MunicipalProcurement, false;

    pharmaceutical_benefit_products_go_through_the_pharmacy_at_the_regions_expense:
        "Produkter som ingår i läkemedelsförmånen och som förskrivs med hjälpmedelskort via apotek",
        stockholm("saebo", "091806", "consumable").fact("pharmaceutical_benefit", true).fact("diabetes_self_test", false)
        => "special.pharmaceutical_benefit", Region, PharmacyDeviceCard, false;

    special_adapted_devices_are_paid_by_the_region:
        "Specialanpassade hjälpmedel",
        stockholm("saebo", "181210", "device").fact("special_adapted", true)
        => "special_adaptation", Region, RegionPrescription, true;

    /// Kombination av förskrivna hjälpmedel och arbetstekniska tillbehör.
    carer_controlled_powered_wheelchair_in_saebo_is_paid_by_the_municipality:
        "Då blir hela hjälpmedlet kommunens kostnadsansvar.",
        stockholm("saebo", "122306", "device").fact("carer_controlled", true).fact("special_adapted", false)
        => "combination.carer_controlled_powered_wheelchair", Municipality, MunicipalProcurement, false;

    special_adapted_powered_wheelchair_is_the_regions_even_with_carer_control:
        "Om elrullstolen är specialanpassad bekostar regionen hjälpmedel även om den förses med en vårdarstyrning.",
        stockholm("saebo", "122306", "device").fact("carer_controlled", true).fact("special_adapted", true)
        => "special_adaptation.carer_controlled_wheelchair", Region, RegionPrescription, true;

    powered_wheelchair_without_carer_control_in_saebo_is_the_regions:
        "Hjälpmedel som bekostas av regionen förskrivs enligt regelverket i Hjälpmedelsguiden",
        stockholm("saebo", "122306", "device").fact("carer_controlled", false)
        => "housing.region_prescription", Region, RegionPrescription, true;

    carer_control_rule_also_holds_in_social_psychiatry_housing:
        "Då blir hela hjälpmedlet kommunens kostnadsansvar.",
        stockholm("socialpsychiatry_housing", "122306", "device").age(40).fact("carer_controlled", true).fact("special_adapted", false)
        => "combination.carer_controlled_powered_wheelchair", Municipality, MunicipalProcurement, false;

    /// Kommunens kostnadsansvar.
    devices_used_at_daily_activity_are_the_municipalitys:
        "Hjälpmedel som används vid daglig verksamhet enligt LSS",
        stockholm("daily_activity", "181209", "device").age(30).need("during_stay_only").fact("special_adapted", false)
        => "daily_activity.used_at_the_activity", Municipality, MunicipalProcurement, false;

    devices_used_at_day_care_are_the_municipalitys:
        "Hjälpmedel som används vid dagverksamhet för äldre",
        stockholm("day_care", "120606", "device").need("during_stay_only").fact("special_adapted", false)
        => "day_care.used_at_the_activity", Municipality, MunicipalProcurement, false;

    personally_prescribed_devices_may_follow_the_patient_to_day_care:
        "Personligt förskrivna hjälpmedel på regionens bekostnad kan tas med och användas vid dessa verksamheter.",
        stockholm("day_care", "120606", "device").need("lasting")
        => "activities.personal_device_follows_the_patient", Region, RegionPrescription, true;

    devices_needed_only_during_a_short_term_stay_are_the_municipalitys:
        "Hjälpmedel som endast behövs vid vistelse på korttids kan inte förskrivas på regionens bekostnad.",
        stockholm("short_term_stay", "120606", "device").need("during_stay_only").fact("special_adapted", false)
        => "short_term_stay.only_during_the_stay", Municipality, MunicipalProcurement, false;

    devices_for_continued_use_at_home_may_be_trust_prescribed_at_the_regions_expense:
        "för fortsatt användning i eget boende kan förtroendeförskrivas på regionens bekostnad.",
        stockholm("short_term_stay", "120606", "device").need("continues_at_home")
        => "short_term_stay.continued_use_at_home", Region, RegionPrescription, true;

    /// Issue 22: the priority between under 18 (900) and short-term stays (500),
    /// from the agreement's structure: the region's special responsibility is
    /// listed apart from, and as an exception to, "Kommunens kostnadsansvar:
    /// Hjälpmedel som används vid korttidsboende".
    a_child_on_a_short_term_stay_gets_a_device_needed_only_there_at_the_regions_expense:
        "Förskrivna hjälpmedel till personer under 18 år",
        stockholm("short_term_stay", "120606", "device").age(12).need("during_stay_only").fact("special_adapted", false)
        => "special.under_18", Region, RegionPrescription, true;

    an_adult_on_a_short_term_stay_does_not_get_the_same_device_at_the_regions_expense:
        "Hjälpmedel som endast behövs vid vistelse på korttids kan inte förskrivas på regionens bekostnad.",
        stockholm("short_term_stay", "120606", "device").age(18).need("during_stay_only").fact("special_adapted", false)
        => "short_term_stay.only_during_the_stay", Municipality, MunicipalProcurement, false;

    short_term_prescription_is_not_used_for_brief_needs_during_a_short_term_stay:
        "Då står den kommunfinansierade verksamheten för kostnaden.",
        stockholm("short_term_stay", "122203", "device").need("temporary").fact("special_adapted", false)
        => "short_term_stay.temporary_need", Municipality, MunicipalProcurement, false;

    /// Bilaga 4, socialpsykiatriskt boende.
    social_psychiatry_housing_pays_for_lifts:
        "Boendet bekostar arbetstekniska hjälpmedel som lyftar, skötbord och drivaggregat till manuell rullstol.",
        stockholm("socialpsychiatry_housing", "123603", "device").age(45).fact("special_adapted", false)
        => "socialpsychiatry.lifts_and_drive_units", Municipality, MunicipalProcurement, false;

    social_psychiatry_housing_pays_for_drive_units_for_manual_wheelchairs:
        "Boendet bekostar arbetstekniska hjälpmedel som lyftar, skötbord och drivaggregat till manuell rullstol.",
        stockholm("socialpsychiatry_housing", "122409", "accessory").age(45).fact("special_adapted", false)
        => "socialpsychiatry.lifts_and_drive_units", Municipality, MunicipalProcurement, false;

    social_psychiatry_housing_pays_for_a_changing_table_stated_as_work_technical:
        "Boendet bekostar arbetstekniska hjälpmedel som lyftar, skötbord och drivaggregat till manuell rullstol.",
        stockholm("socialpsychiatry_housing", "093312", "device").age(45).fact("work_technical", true).fact("special_adapted", false)
        => "socialpsychiatry.work_technical_aids", Municipality, MunicipalProcurement, false;

    the_region_pays_personally_prescribed_devices_in_social_psychiatry_housing:
        "Regionen bekostar personligt förskrivna hjälpmedel.",
        stockholm("socialpsychiatry_housing", "120606", "device").age(45).fact("work_technical", false)
        => "socialpsychiatry.personally_prescribed", Region, RegionPrescription, true;

    /// Ersättning för näringsprodukter.
    nutrition_in_lss_housing_is_the_regions_via_the_ordering_portal:
        "Näringsprodukter till boende inom LSS bekostas av regionen och förskrivs via Beställningsportalen.",
        stockholm("lss_housing", "040303", "nutrition").age(30)
        => "nutrition.lss_housing", Region, RegionPrescription, false;

    nutrition_in_saebo_is_the_municipalitys_via_its_own_suppliers:
        "Kommunfinansierad verksamhet bekostar näring till boende på SÄBO och beställer detta via egna avtalade leverantörer.",
        stockholm("saebo", "040303", "nutrition")
        => "nutrition.saebo", Municipality, MunicipalProcurement, false;

    /// Bilaga 2, förbrukningshjälpmedel.
    consumables_the_region_pays_are_prescribed_but_not_trust_prescribed:
        "Förbrukningshjälpmedel som är regionens kostnadsansvar förskrivs enligt regelverket i Hjälpmedelsguiden",
        stockholm("saebo", "092406", "consumable").fact("region_cost_listed", true).fact("pharmaceutical_benefit", false).fact("diabetes_self_test", false)
        => "bilaga2.region_consumables", Region, RegionPrescription, false;

    consumables_the_municipality_pays_are_ordered_from_its_own_suppliers:
        "Förbrukningshjälpmedel som bekostas av kommunfinansierad verksamhet beställs från egna avtalade leverantörer",
        stockholm("saebo", "093006", "consumable").fact("region_cost_listed", false).fact("pharmaceutical_benefit", false).fact("diabetes_self_test", false)
        => "bilaga2.municipal_consumables", Municipality, MunicipalProcurement, false;

    /// Bilaga 3, medicintekniska produkter.
    region_paid_medtech_products_are_bought_by_the_municipality_and_reinvoiced:
        "beställs via kommunfinansierades egna avtal och efterfaktureras regionen",
        stockholm("saebo", "043306", "medtech_product").fact("region_cost_listed", true)
        => "bilaga3.region_medtech_reinvoiced", Region, MunicipalPurchaseReinvoicedToRegion, false;

    municipal_medtech_products_are_bought_through_its_own_contracts_and_never_prescribed:
        "Produkterna kan inte förskrivas personligt.",
        stockholm("saebo", "043306", "medtech_product").fact("region_cost_listed", false)
        => "bilaga3.municipal_medtech", Municipality, MunicipalProcurement, false;

    /// Bilaga 1 as published by Hjälpmedel Stockholm.
    a_rollator_in_saebo_cannot_be_prescribed_at_the_regions_expense:
        "12 06",
        stockholm("saebo", "120606", "device").fact("special_adapted", false)
        => "bilaga1.not_at_region_expense", Municipality, MunicipalProcurement, false;

    a_lift_in_saebo_is_the_residences:
        "12 36 - Personlyftar",
        stockholm("saebo", "123603", "device").fact("special_adapted", false)
        => "bilaga1.not_at_region_expense", Municipality, MunicipalProcurement, false;

    a_transport_wheelchair_in_saebo_is_the_residences:
        "Transportrullstol är boendets ansvar.",
        stockholm("saebo", "122218", "device").fact("special_adapted", false)
        => "bilaga1.transport_wheelchair", Municipality, MunicipalProcurement, false;

    a_pressure_cushion_for_a_prescribed_wheelchair_is_the_regions:
        "Till förskriven rullstol kan antidecubitusdynor förskrivas på Region Stockholms bekostnad.",
        stockholm("saebo", "043303", "accessory").fact("accessory_to_prescribed_wheelchair", true)
        => "bilaga1.pressure_cushion_for_prescribed_wheelchair", Region, RegionPrescription, true;

    a_drive_unit_mainly_operated_by_staff_is_the_residences:
        "Boendet bekostar drivaggregat om det huvudsakligen framförs av personal.",
        stockholm("saebo", "122409", "accessory").fact("staff_operated", true).fact("frequently_stays_with_relatives", false).fact("special_adapted", false)
        => "bilaga1.drive_unit_operated_by_staff", Municipality, MunicipalProcurement, false;

    a_drive_unit_for_a_patient_often_staying_with_relatives_is_the_regions:
        "Drivaggregat förskrivs även till patienter i särskilt boende om patienten frekvent bor hos närstående.",
        stockholm("saebo", "122409", "accessory").fact("staff_operated", true).fact("frequently_stays_with_relatives", true)
        => "bilaga1.drive_unit_patient_stays_with_relatives", Region, RegionPrescription, true;

    belts_for_a_wheelchair_the_residence_bought_are_the_residences:
        "Bekostas av boendet till egeninköpta rullstolar.",
        stockholm("saebo", "122430", "accessory").fact("bought_by_residence", true).fact("special_adapted", false)
        => "bilaga1.belts_for_residence_wheelchairs", Municipality, MunicipalProcurement, false;

    weight_cuffs_became_the_patients_own_responsibility_in_november_2020:
        "Viktmanschetter. Egenansvar från 1 november 2020.",
        stockholm("saebo", "044818", "device").fact("special_adapted", false)
        => "own_responsibility.from_2020_11_01", Patient, PatientPurchase, false;

    car_adaptation_is_the_patients_own_responsibility:
        "Bilanpassning. Egenansvar från 1 november 2020.",
        stockholm("ordinary", "121203", "device").age(50).fact("special_adapted", false)
        => "own_responsibility.from_2020_11_01", Patient, PatientPurchase, false;

    a_bed_in_saebo_is_the_residences_reconstructed:
        "ansvarar för att bekosta grundutrustning i verksamheten",
        stockholm("saebo", "181210", "device").fact("special_adapted", false)
        => "bilaga1.premises_reconstructed", Municipality, MunicipalProcurement, false;

    /// Outside the agreement: ordinary housing follows Hjälpmedelsguiden.
    a_rollator_in_ordinary_housing_is_the_regions:
        "Denna riktlinje gäller oavsett driftsform",
        stockholm("ordinary", "120606", "device")
        => "ordinary.region_prescription", Region, RegionPrescription, true;
}

#[test]
fn a_powered_wheelchair_in_saebo_without_facts_asks_about_carer_control_and_special_adaptation() {
    let needs = stockholm("saebo", "122306", "device").needs();
    assert_eq!(needs, ["special_adapted", "carer_controlled"]);
}

#[test]
fn a_rollator_in_saebo_asks_only_whether_it_is_special_adapted() {
    // Bilaga 1 puts rollators on the residence, unless specially adapted.
    assert_eq!(stockholm("saebo", "120606", "device").needs(), ["special_adapted"]);
}

#[test]
fn a_question_that_cannot_change_the_answer_is_not_asked() {
    // In ordinary housing the region pays whether or not the rollator is
    // specially adapted, so the engine answers without asking.
    let d = stockholm("ordinary", "120606", "device").decision();
    assert_eq!(d.rule, "ordinary.region_prescription");
}

#[test]
fn the_decision_names_the_agreement_version_it_rests_on() {
    let d = stockholm("saebo", "220606", "device").decision();
    assert_eq!((d.agreement.region.as_str(), d.agreement.version.as_str()), ("stockholm", "2021-01-01"));
}
