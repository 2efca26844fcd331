//! The follow-up reports of issue 22 on the figures page (share of digital
//! orders, and the reports after it), Swedish first, and their error
//! messages (looked up after the main table; keys are unique across all).

pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    ("figures.digital.title", "Andel digitala beställningar", "Share of digital orders"),
    ("figures.digital.definition", "Beställningar per månad och kanal: beställningsportalen, annat system (API), patienten själv via 1177 och registrerade av Hjälpmedelscentralen. Andelen digitala är beställningar via 1177 av alla beställningar som lagts under månaden (svensk tid), makulerade medräknade. Beställningar från innan kanalen började registreras räknas som beställningsportalen.", "Orders per month and channel: the ordering portal, another system (API), the patient through 1177, and registered by the assistive-device centre. The digital share is orders through 1177 of all orders placed in the month (Swedish time), cancelled ones included. Orders from before the channel was recorded count as the ordering portal."),
    ("figures.digital.source", "Underlag: ledningsrådet följer i tertialrapporten ”andelen digitala beställningar via 1177”.", "Source: the joint council follows \"the share of digital orders through 1177\" in the tertial report."),
    ("figures.digital.caption", "Beställningar per kanal och månad", "Orders per channel and month"),
    ("figures.digital.orders", "Beställningar", "Orders"),
    ("figures.digital.share", "Andel digitala via 1177", "Digital share via 1177"),
    ("figures.digital.chart_series", "andel av månadens beställningar", "share of the month's orders"),
    ("figures.digital.csv", "Ladda ner beställningar per kanal som CSV (Excel)", "Download orders per channel as CSV (Excel)"),
    ("figures.period", "Period", "Period"),
    ("figures.principal", "Huvudman", "Principal"),
    ("figures.principal_all", "Alla huvudmän", "Every principal"),
    ("figures.principal_hint", "Avgränsar leveranssäkerhet, återanvändning, ersättningsval, andelen digitala beställningar, förkomna hjälpmedel och kostnadseffektiv förskrivning till en huvudman (region eller kommun). Inköp, arbetsordrar och säkerhetsmeddelanden hör inte till någon beställande enhet och visas för alla.", "Narrows delivery reliability, reuse, replacement answers, the share of digital orders, lost devices and cost-effective prescribing to one principal (region or municipality). Purchases, work orders and safety notices belong to no ordering unit and are shown for all."),
    ("figures.lost.title", "Förkomna hjälpmedel per enhet och produktområde", "Lost devices per unit and product category"),
    ("figures.lost.definition", "Anmälda förkomna hjälpmedel per månad för anmälan, per beställande enhet (kundnumret hjälpmedlet var utlånat på) och per ISO 9999-klass. Inköpsvärde: vad hjälpmedlet köptes in för. Debiterbart värde enligt pilotens regler: restvärdet men lägst 20 % av inköpspriset, tillbehör 50 %, ingen debitering under 1 000 kr eller för en artikel som inte längre finns i sortimentet.", "Lost devices reported per month of the report, per ordering unit (the customer number the device was lent on) and per ISO 9999 class. Purchase value: what the device cost. Chargeable value under the pilot's rules: the residual value but at least 20 % of the purchase price, accessories 50 %, nothing below 1,000 kr or for an article no longer in the assortment."),
    ("figures.lost.source", "Underlag: pilotprojektet förkomna hjälpmedel, ”för att tydligare kunna återrapportera hur mycket svinn som rapporteras av olika vårdgivare och till vilket värde”.", "Source: the lost-device pilot, \"to report back more clearly how much loss the different care providers report and at what value\"."),
    ("figures.lost.none", "Inga förkomna hjälpmedel är anmälda under perioden.", "No lost devices were reported in the period."),
    ("figures.lost.class_caption", "Förkomna hjälpmedel per ISO-klass", "Lost devices per ISO class"),
    ("figures.lost.unit_caption", "Förkomna hjälpmedel per beställande enhet, flest först", "Lost devices per ordering unit, most first"),
    ("figures.lost.class", "ISO-klass", "ISO class"),
    ("figures.lost.unit", "Beställande enhet (kundnummer)", "Ordering unit (customer number)"),
    ("figures.lost.principal", "Huvudman", "Principal"),
    ("figures.lost.reports", "Anmälda", "Reported"),
    ("figures.lost.charged", "Med debiterbart värde", "With a chargeable value"),
    ("figures.lost.purchase_value", "Inköpsvärde", "Purchase value"),
    ("figures.lost.chargeable_value", "Debiterbart värde", "Chargeable value"),
    ("figures.prescribing.title", "Kostnadseffektiv förskrivning", "Cost-effective prescribing"),
    ("figures.prescribing.definition", "Uppföljningar att göra: patientbeställningar (ej makulerade) vars uppföljningsdatum infaller under månaden. Datum passerat: av dem, de vars uppföljningsdatum har passerat och där ett hjälpmedel från beställningen fortfarande är utlånat till patienten. Ramp registrerar inte själva uppföljningen eller om hjälpmedlet används, så det är de förskrivningar att följa upp först. Återlämnade: patientlån som avslutats under månaden (förkomna räknas inte); snabbt åter: avslutade högst 30 dagar efter att lånet började.", "Evaluations due: patient orders (not cancelled) whose evaluation date falls in the month. Date passed: of those, the ones whose evaluation date has passed and where a device of the order is still lent to the patient. Ramp records neither the evaluation itself nor whether the device is used, so these are the prescriptions to follow up first. Returned: patient loans ended in the month (lost devices do not count); returned soon: ended at most 30 days after the loan began."),
    ("figures.prescribing.source", "Underlag: handbokens begrepp kostnadseffektiv förskrivning, ”utvärdera och följa upp förskrivningen, utifrån målet med förskrivningen” och ”återta hjälpmedel som inte används”.", "Source: the handbook's concept of cost-effective prescribing, \"evaluate and follow up the prescription against its goal\" and \"take back devices that are not used\"."),
    ("figures.prescribing.caption", "Uppföljningar och snabbt återlämnade hjälpmedel per månad", "Evaluations and devices returned soon, per month"),
    ("figures.prescribing.due", "Uppföljningar att göra", "Evaluations due"),
    ("figures.prescribing.passed", "Datum passerat, hjälpmedlet kvar hos patienten", "Date passed, device still with the patient"),
    ("figures.prescribing.returned", "Återlämnade", "Returned"),
    ("figures.prescribing.returned_soon", "Återlämnade inom 30 dagar", "Returned within 30 days"),
    ("figures.prescribing.share", "Andel inom 30 dagar", "Share within 30 days"),
    ("figures.prescribing.csv", "Ladda ner kostnadseffektiv förskrivning som CSV (Excel)", "Download cost-effective prescribing as CSV (Excel)"),
    ("figures.lost.csv", "Ladda ner förkomna hjälpmedel som CSV (Excel)", "Download lost devices as CSV (Excel)"),
];

pub(super) const ERRORS: &[(&str, &str, &str)] = &[
    ("unknown_principal", "Det finns ingen huvudman med den koden.", "No principal has that code."),
    ("invalid_channel", "Okänd beställningskanal.", "Unknown order channel."),
    (
        "channel_not_allowed",
        "Kanalen kan inte anges här: via API:t anges api eller patient_1177 (endast patientbeställningar).",
        "This channel cannot be given here: through the API say api or patient_1177 (patient orders only).",
    ),
];
