//! The invoice run as a background job (issue 19): the run form's two
//! buttons, the run's page and its progress, Swedish first.

pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    ("runs.title", "Fakturakörning", "Invoice run"),
    ("runs.preliminary", "Preliminär fakturakörning", "Preliminary invoice run"),
    ("runs.final", "Fakturakörning", "Invoice run"),
    ("runs.preliminary_submit", "Preliminär körning (sparar ingenting)", "Preliminary run (saves nothing)"),
    ("runs.final_submit", "Fakturera månaden", "Invoice the month"),
    ("runs.hint", "En preliminär körning visar vad som skulle faktureras per huvudman och kundnummer utan att spara något. Fakturera skapar fakturorna; en avbruten körning lämnar bara hela fakturor och kan köras igen.", "A preliminary run shows what would be invoiced per principal and customer number without saving anything. Invoice creates the invoices; a cancelled run leaves whole invoices only and can be run again."),
    ("runs.reading", "Läser månadens underlag och beräknar fakturorna …", "Reading the month's facts and computing the invoices …"),
    ("runs.writing", "Skapar fakturor …", "Creating invoices …"),
    ("runs.cancelling", "Avbryter efter pågående omgång fakturor …", "Cancelling after the current batch of invoices …"),
    ("runs.finished", "Klar: fakturorna är skapade.", "Done: the invoices are created."),
    ("runs.finished_preliminary", "Klar: preliminär körning, ingenting är sparat.", "Done: preliminary run, nothing saved."),
    ("runs.cancelled", "Avbruten: fakturorna som hann skapas är hela och står kvar; kör månaden igen för resten.", "Cancelled: the invoices created are whole and stand; run the month again for the rest."),
    ("runs.failed", "Körningen kunde inte genomföras.", "The run could not be completed."),
    ("runs.progress", "Skapade fakturor", "Invoices created"),
    ("runs.cancel", "Avbryt körningen", "Cancel the run"),
    ("runs.refresh", "Uppdatera", "Refresh"),
    ("runs.would_create", "Fakturor som skulle skapas", "Invoices that would be created"),
    ("runs.lines", "Rader", "Lines"),
    ("runs.show_invoices", "Visa månadens fakturor", "Show the month's invoices"),
    ("runs.per_principal", "Per huvudman", "Per principal"),
    ("runs.per_customer", "Per kundnummer", "Per customer number"),
    ("billing.xlsx", "Ladda ner fakturaspecifikationen (XLSX)", "Download the invoice specification (XLSX)"),
];
