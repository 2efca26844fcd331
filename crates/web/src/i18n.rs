//! UI text in Swedish (first) and English. One table, looked up by key;
//! a missing key shows the key itself so it is noticed, never a panic.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }

    pub fn t(self, key: &str) -> &'static str {
        match TEXTS.iter().find(|(k, _, _)| *k == key) {
            Some((_, sv, en)) => match self {
                Lang::Sv => sv,
                Lang::En => en,
            },
            None => "[?]",
        }
    }

    /// The message for an error code, in this language; `None` when only
    /// the English detail exists.
    pub fn error(self, code: &str) -> Option<&'static str> {
        ERRORS.iter().find(|(k, _, _)| *k == code).map(|(_, sv, en)| match self {
            Lang::Sv => *sv,
            Lang::En => *en,
        })
    }
}

const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "Ramp", "Ramp"),
    ("app.tagline", "Hjälpmedel – beställning och försörjning", "Assistive devices – ordering and supply"),
    ("nav.skip", "Hoppa till innehållet", "Skip to content"),
    ("nav.main", "Huvudmeny", "Main menu"),
    ("nav.home", "Start", "Home"),
    ("nav.catalog", "Sortiment", "Catalog"),
    ("nav.patient", "Patient", "Patient"),
    ("nav.stock", "Lager", "Stock"),
    ("nav.cost", "Vem betalar?", "Who pays?"),
    ("nav.logout", "Logga ut", "Log out"),
    ("nav.language", "In English", "På svenska"),
    ("nav.logged_in_as", "Inloggad som", "Logged in as"),
    ("login.title", "Logga in", "Log in"),
    ("login.username", "Användarnamn", "Username"),
    ("login.password", "Lösenord", "Password"),
    ("login.submit", "Logga in", "Log in"),
    ("home.title", "Välkommen", "Welcome"),
    ("home.intro", "Välj vad du vill göra.", "Choose what to do."),
    ("home.catalog", "Sök i sortimentet efter namn, artikelnummer eller ISO-kod.", "Search the catalog by name, article number or ISO code."),
    ("home.patient", "Öppna en patients hjälpmedelsbild med personnummer.", "Open a patient's device overview by personal identity number."),
    ("home.stock", "Se lagersaldo per lager.", "See stock per warehouse."),
    ("catalog.title", "Sortiment", "Catalog"),
    ("catalog.search", "Sök artikel", "Search articles"),
    ("catalog.hint", "Namn, artikelnummer eller ISO-kod, t.ex. rollator eller 12 06 06", "Name, article number or ISO code, e.g. rollator or 12 06 06"),
    ("catalog.submit", "Sök", "Search"),
    ("catalog.results", "Sökresultat", "Search results"),
    ("catalog.none", "Inga artiklar matchar sökningen.", "No articles match the search."),
    ("catalog.count", "träffar", "hits"),
    ("col.article_number", "Artikelnr", "Article no."),
    ("col.name", "Benämning", "Name"),
    ("col.iso", "ISO 9999", "ISO 9999"),
    ("col.kind", "Typ", "Kind"),
    ("col.supplier", "Leverantör", "Supplier"),
    ("col.price", "Inköpspris", "Purchase price"),
    ("col.in_stock", "I lager", "In stock"),
    ("col.reserved", "Reserverade", "Reserved"),
    ("col.device_number", "Individnr", "Device no."),
    ("col.since", "Sedan", "Since"),
    ("col.payer", "Betalare", "Payer"),
    ("col.rule", "Regel", "Rule"),
    ("col.when", "Tidpunkt", "When"),
    ("col.event", "Händelse", "Event"),
    ("col.state", "Status", "State"),
    ("col.note", "Anteckning", "Note"),
    ("patient.title", "Patient", "Patient"),
    ("patient.open", "Öppna patient", "Open patient"),
    ("patient.personal_id", "Personnummer eller samordningsnummer", "Personal identity or coordination number"),
    ("patient.personal_id_hint", "ÅÅÅÅMMDD-NNNN", "YYYYMMDD-NNNN"),
    ("patient.submit", "Öppna", "Open"),
    ("patient.overview", "Hjälpmedelsbild", "Device overview"),
    ("patient.devices_caption", "Hjälpmedel som patienten har", "Devices the patient holds"),
    ("patient.no_devices", "Patienten har inga utlånade hjälpmedel.", "The patient holds no devices."),
    ("patient.age", "Ålder", "Age"),
    ("patient.years", "år", "years"),
    ("patient.setting", "Boendeform", "Setting"),
    ("patient.access", "Åtkomst via", "Access through"),
    ("patient.logged", "Din åtkomst har loggats.", "Your access has been logged."),
    ("access.care_relationship", "vårdrelation", "care relationship"),
    ("access.emergency_access", "nödåtkomst", "emergency access"),
    ("access.hmc_role", "roll vid hjälpmedelscentralen", "assistive-device centre role"),
    ("access.none", "ingen", "none"),
    ("emergency.title", "Nödåtkomst", "Emergency access"),
    ("emergency.explain", "Du har ingen vårdrelation med patienten. Om patientens vård kräver det kan du begära nödåtkomst. Åtkomsten loggas och granskas.", "You have no care relationship with this patient. If the patient's care requires it, you may declare emergency access. The access is logged and reviewed."),
    ("emergency.reason", "Skäl till nödåtkomst", "Reason for emergency access"),
    ("emergency.submit", "Begär nödåtkomst", "Declare emergency access"),
    ("device.title", "Individkort", "Device card"),
    ("device.article", "Artikel", "Article"),
    ("device.serial", "Serienummer", "Serial number"),
    ("device.purchased", "Inköpt", "Purchased"),
    ("device.location", "Plats", "Location"),
    ("device.history", "Historik", "History"),
    ("device.loan", "Utlåning", "Loan"),
    ("stock.title", "Lagersaldo", "Stock"),
    ("stock.warehouse", "Lager", "Warehouse"),
    ("stock.show", "Visa", "Show"),
    ("stock.caption", "Artiklar i lager", "Articles in stock"),
    ("stock.empty", "Lagret är tomt.", "The warehouse is empty."),
    ("cost.title", "Vem betalar?", "Who pays?"),
    ("cost.intro", "Svara på frågorna så visas vem som har kostnadsansvaret enligt överenskommelsen, och varför.", "Answer the questions to see who is responsible for the cost under the agreement, and why."),
    ("cost.region", "Region", "Region"),
    ("cost.date", "Datum för förskrivningen", "Date of prescription"),
    ("cost.age", "Patientens ålder (år)", "Patient's age (years)"),
    ("cost.iso", "ISO-kod (sex siffror)", "ISO code (six digits)"),
    ("cost.iso_hint", "t.ex. 12 06 06 för rollatorer", "e.g. 12 06 06 for rollators"),
    ("cost.kind", "Typ av produkt", "Kind of product"),
    ("cost.kind.device", "Hjälpmedel", "Assistive device"),
    ("cost.kind.accessory", "Tillbehör", "Accessory"),
    ("cost.kind.consumable", "Förbrukningshjälpmedel", "Consumable"),
    ("cost.kind.medtech_product", "Medicinteknisk produkt", "Medical-technical product"),
    ("cost.kind.nutrition", "Näringsprodukt", "Nutrition product"),
    ("cost.need", "Behov", "Need"),
    ("cost.need.lasting", "Varaktigt", "Lasting"),
    ("cost.need.during_stay_only", "Endast under vistelsen", "Only during the stay"),
    ("cost.need.continues_at_home", "Ska följa med hem", "Continues at home"),
    ("cost.need.temporary", "Tillfälligt (högst 6 månader)", "Temporary (at most 6 months)"),
    ("cost.yes", "Ja", "Yes"),
    ("cost.no", "Nej", "No"),
    ("cost.submit", "Visa vem som betalar", "Show who pays"),
    ("cost.answer", "Svar", "Answer"),
    ("cost.more_needed", "Svara på frågan ovan för att få ett svar", "Answer the question above to get an answer"),
    ("cost.channel", "Beställningsväg", "Ordering channel"),
    ("cost.channel.region_prescription", "Förskrivning enligt regionens regelverk", "Prescription under the region's rules"),
    ("cost.channel.municipal_procurement", "Kommunens egen upphandling", "The municipality's own procurement"),
    ("cost.channel.municipal_purchase_reinvoiced_to_region", "Köps av kommunen och efterfaktureras regionen", "Bought by the municipality, re-invoiced to the region"),
    ("cost.channel.pharmacy_device_card", "Hjälpmedelskort via apotek", "Device card at a pharmacy"),
    ("cost.channel.hmc_prescription_invoiced_to_municipality", "Förskrivs via hjälpmedelscentralen, faktureras kommunen", "Prescribed through the centre, invoiced to the municipality"),
    ("cost.channel.patient_purchase", "Patienten köper själv", "The patient buys it"),
    ("cost.trust", "Förtroendeförskrivning tillåten", "Trust-prescription allowed"),
    ("cost.why", "Varför", "Why"),
    ("cost.source", "Källa", "Source"),
    ("error.title", "Något gick fel", "Something went wrong"),
    ("error.back", "Tillbaka till start", "Back to the start page"),
    ("error.summary", "Rätta följande:", "Please correct the following:"),
    ("payer.region", "Regionen", "The region"),
    ("payer.municipality", "Kommunen", "The municipality"),
    ("payer.patient", "Patienten (egenansvar)", "The patient (own responsibility)"),
    ("nav.figures", "Nyckeltal", "Key figures"),
    ("home.figures", "Leveranssäkerhet, återanvändning, ersättningsval och arbetsordrar.", "Delivery reliability, reuse, replacement choices and work orders."),
    ("figures.title", "Nyckeltal", "Key figures"),
    ("figures.intro", "Nyckeltalen som följs upp i hjälpmedelsforum och nämnd. Alla datum räknas i svensk tid.", "The figures followed up by the assistive-device forum and board. All dates are Swedish time."),
    ("figures.month_hint", "Månad skrivs ÅÅÅÅ-MM. Utan val visas de senaste sex hela månaderna.", "Write months as YYYY-MM. Without a choice the last six complete months are shown."),
    ("figures.from", "Från och med månad", "From month"),
    ("figures.to", "Till och med månad", "To month (inclusive)"),
    ("figures.show", "Visa nyckeltal", "Show figures"),
    ("figures.chart_note", "Siffrorna finns i tabellen under diagrammet.", "The numbers are in the table below the chart."),
    ("figures.target", "Mål", "Target"),
    ("figures.acute", "akuta order", "acute orders"),
    ("figures.below_target", "under målet", "below target"),
    ("figures.total", "Totalt", "Total"),
    ("figures.col.delivery_type", "Leveranstyp", "Delivery type"),
    ("figures.col.month", "Månad", "Month"),
    ("figures.col.quarter", "Kvartal", "Quarter"),
    ("figures.col.group", "Fast ersättningsgrupp", "Fixed replacement group"),
    ("figures.col.kind", "Typ av arbetsorder", "Work-order type"),
    ("figures.reliability.title", "Leveranssäkerhet", "Delivery reliability"),
    ("figures.reliability.definition", "Andel orderrader levererade senast utlovat datum, per leveransmånad. En rad räknas till månaden då den levererades och är i tid om leveransdagen (svensk tid) är samma dag som utlovat datum eller tidigare. Kommunen betalar: Samarbetsavtal. Regionen betalar: Överenskommelsen. Rader som patienten själv betalar räknas inte. Mål 98 %, akuta order 100 %.", "Share of order lines delivered by the promised date, per month of delivery. A line counts for the month it was delivered and is on time when the delivery day (Swedish time) is on or before the promised date. Paid by the municipality: the cooperation agreement; by the region: the region–municipality agreement. Lines the patient pays are not counted. Target 98 %, acute orders 100 %."),
    ("figures.reliability.caption", "Leveranssäkerhet per månad", "Delivery reliability per month"),
    ("figures.reliability.csv", "Ladda ner leveranssäkerheten som CSV (Excel)", "Download delivery reliability as CSV (Excel)"),
    ("figures.reuse.title", "Återanvändningsgrad", "Reuse rate"),
    ("figures.reuse.definition", "Andel leveranser av individmärkta hjälpmedel där hjälpmedlet rekonditionerats före leveransen.", "Share of deliveries of individually tracked devices where the device had been reconditioned before the delivery."),
    ("figures.reuse.caption", "Återanvändning per leveransmånad", "Reuse per month of delivery"),
    ("figures.reuse.deliveries", "Leveranser av individer", "Device deliveries"),
    ("figures.reuse.reconditioned", "Varav rekonditionerade", "Of which reconditioned"),
    ("figures.reuse.rate", "Återanvändningsgrad", "Reuse rate"),
    ("figures.reuse.csv", "Ladda ner återanvändningen som CSV (Excel)", "Download reuse as CSV (Excel)"),
    ("figures.acceptance.title", "Ersättningsval", "Replacement choices"),
    ("figures.acceptance.definition", "Andel av beställarna som tackar ja till föreslagen ersättningsartikel: accepterade av accepterade och avböjda förslag. Fasta ersättningsgrupper byter utan att fråga och räknas vid sidan av.", "Share of orderers who accept the proposed replacement article: accepted of accepted and declined proposals. Fixed replacement groups substitute without asking and are counted separately."),
    ("figures.acceptance.caption", "Svar på ersättningsförslag per månad", "Answers to replacement proposals per month"),
    ("figures.acceptance.accepted", "Accepterade", "Accepted"),
    ("figures.acceptance.declined", "Avböjda", "Declined"),
    ("figures.acceptance.automatic", "Automatiska (fast grupp)", "Automatic (fixed group)"),
    ("figures.acceptance.rate", "Acceptansgrad", "Acceptance rate"),
    ("figures.acceptance.csv", "Ladda ner ersättningsvalen som CSV (Excel)", "Download replacement choices as CSV (Excel)"),
    ("figures.purchased.title", "Inköpta och förskrivna per fast ersättningsgrupp", "Purchased and prescribed per fixed replacement group"),
    ("figures.purchased.definition", "Inköpta: individer av gruppens artiklar efter inköpsdatum. Förskrivna: orderrader där den beställda artikeln ingår i gruppen, efter orderdatum. Per kvartal; perioden utvidgas till hela kvartal.", "Purchased: devices of the group's articles by purchase date. Prescribed: order lines whose requested article is in the group, by order date. Per quarter; the period is widened to whole quarters."),
    ("figures.purchased.caption", "Alla fasta ersättningsgrupper per kvartal", "All fixed replacement groups per quarter"),
    ("figures.purchased.group_caption", "Inköpta och förskrivna per grupp och kvartal", "Purchased and prescribed per group and quarter"),
    ("figures.purchased.per_group", "Per ersättningsgrupp", "Per replacement group"),
    ("figures.purchased.purchased", "Inköpta", "Purchased"),
    ("figures.purchased.prescribed", "Förskrivna", "Prescribed"),
    ("figures.purchased.purchased_short", "inköpta", "purchased"),
    ("figures.purchased.prescribed_short", "förskrivna", "prescribed"),
    ("figures.purchased.csv", "Ladda ner inköpta och förskrivna som CSV (Excel)", "Download purchased and prescribed as CSV (Excel)"),
    ("figures.work_orders.title", "Öppna arbetsordrar", "Open work orders"),
    ("figures.work_orders.definition", "Arbetsordrar som är öppna eller pågår, per typ och ålder i dagar sedan de skapades.", "Work orders open or in progress, by type and age in days since they were created."),
    ("figures.work_orders.caption", "Öppna arbetsordrar per typ och ålder, räknat till", "Open work orders by type and age, counted to"),
    ("figures.work_orders.csv", "Ladda ner öppna arbetsordrar som CSV (Excel)", "Download open work orders as CSV (Excel)"),
    ("figures.kind.repair", "Reparation", "Repair"),
    ("figures.kind.maintenance", "Underhåll", "Maintenance"),
    ("figures.kind.reconditioning", "Rekonditionering", "Reconditioning"),
    ("figures.kind.special_adaptation", "Specialanpassning", "Special adaptation"),
    ("figures.kind.recall", "Återkallelse", "Recall"),
    ("figures.kind.consultation", "Konsultation", "Consultation"),
];

const ERRORS: &[(&str, &str, &str)] = &[
    (
        "invalid_personal_id",
        "Personnumret är ogiltigt. Skriv ÅÅÅÅMMDD-NNNN och kontrollera sista siffran.",
        "The personal identity number is invalid. Write YYYYMMDD-NNNN and check the last digit.",
    ),
    (
        "patient_not_found",
        "Det finns ingen patient med det personnumret.",
        "There is no patient with that personal identity number.",
    ),
    (
        "care_relationship_required",
        "Du har ingen vårdrelation med patienten.",
        "You have no care relationship with this patient.",
    ),
    ("invalid_credentials", "Fel användarnamn eller lösenord.", "Wrong username or password."),
    ("required", "Fältet måste fyllas i.", "This field is required."),
    ("query_too_short", "Skriv minst 2 tecken.", "Type at least 2 characters."),
    ("query_too_long", "Söktexten får vara högst 100 tecken.", "The search text is limited to 100 characters."),
    (
        "reason_required",
        "Ange skälet till nödåtkomsten (minst 5 tecken).",
        "State the reason for emergency access (at least 5 characters).",
    ),
    ("device_not_found", "Det finns inget hjälpmedel med det individnumret.", "There is no device with that number."),
    ("role_required", "Din roll ger inte tillgång till sidan.", "Your role does not give access to this page."),
    (
        "csrf_failed",
        "Formuläret har gått ut. Ladda om sidan och försök igen.",
        "The form has expired. Reload the page and try again.",
    ),
    ("warehouse_not_found", "Lagret finns inte.", "No such warehouse."),
    ("page_not_found", "Sidan finns inte.", "There is no such page."),
    (
        "internal",
        "Ett internt fel inträffade. Försök igen senare.",
        "An internal error occurred. Please try again later.",
    ),
    ("invalid_month", "Skriv månaden som ÅÅÅÅ-MM, t.ex. 2024-04.", "Write the month as YYYY-MM, e.g. 2024-04."),
    ("month_range_reversed", "Till-månaden ligger före från-månaden.", "The 'to' month is before the 'from' month."),
    ("month_range_too_long", "Välj högst 36 månader.", "Choose at most 36 months."),
    ("invalid_format", "Välj formatet json eller csv.", "Choose the format json or csv."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_and_a_unique_key() {
        let mut keys = std::collections::HashSet::new();
        for (k, sv, en) in TEXTS {
            assert!(keys.insert(k), "duplicate key {k}");
            assert!(!sv.is_empty() && !en.is_empty(), "{k}");
        }
        assert_eq!(Lang::Sv.t("nav.catalog"), "Sortiment");
        assert_eq!(Lang::En.t("nav.catalog"), "Catalog");
        assert_eq!(Lang::Sv.t("no.such.key"), "[?]");
    }
}
