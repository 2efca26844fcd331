//! Patient-fee invoicing (issues 19 and 22): the finance page's
//! "Patientavgifter" section and the fee statement's invoice column,
//! Swedish first (keys are unique across all tables).

pub(super) const TEXTS: &[(&str, &str, &str)] = &[
    ("patient_invoices.title", "Patientavgifter", "Patient fees"),
    ("patient_invoices.intro", "Fakturera patienternas egenavgifter för en avslutad månad: en faktura per patient med månadens ofakturerade avgifter, förfallodag om 30 dagar. Högkostnadsskyddet (12 månader från första betalda avgiften) och åldersbefrielsen gäller; avgifter inom högkostnadsskyddet står som 0-rader. Förhandsgranska sparar ingenting; en körning skapar aldrig något två gånger.", "Invoice the patients' fees for a month that has ended: one invoice per patient with the month's unbilled fees, due in 30 days. The fee cap (12 months from the first paid fee) and the age exemption apply; fees within the cap appear as 0-lines. A preview saves nothing; a run never creates anything twice."),
    ("patient_invoices.preview", "Förhandsgranska", "Preview"),
    ("patient_invoices.invoice", "Fakturera", "Invoice"),
    ("patient_invoices.previewed", "Förhandsgranskning, ingenting är sparat:", "Preview, nothing saved:"),
    ("patient_invoices.invoiced", "Patientavgifterna är fakturerade för", "The patient fees are invoiced for"),
    ("patient_invoices.caption_preview", "Skulle faktureras för", "Would be invoiced for"),
    ("patient_invoices.caption_run", "Fakturerat för", "Invoiced for"),
    ("patient_invoices.count", "Antal fakturor", "Number of invoices"),
    ("patient_invoices.total", "Summa", "Total"),
    ("patient_invoices.charges", "Antal avgifter på fakturorna", "Fees on the invoices"),
    ("patient_invoices.cap_limited", "Varav begränsat av högkostnadsskydd (avgifter under månaden)", "Of which limited by the fee cap (fees in the month)"),
    ("patient_invoices.cap_relief", "Högkostnadsskyddet sparade patienterna", "What the fee cap spared the patients"),
    ("patient_invoices.already", "Patienter vars månad redan var fakturerad (nya avgifter faktureras nästa månad)", "Patients whose month was already invoiced (new fees are invoiced next month)"),
    ("patient_invoices.csv", "Ladda ner månadens patientfakturor som CSV (Excel)", "Download the month's patient invoices as CSV (Excel)"),
    ("patient_invoices.xlsx", "Ladda ner månadens patientfakturor som XLSX", "Download the month's patient invoices as XLSX"),
    ("fees.invoice", "Faktura", "Invoice"),
    ("fees.invoice.nothing", "Inget att betala", "Nothing to pay"),
    ("fees.invoice.not_yet", "Ej fakturerad ännu", "Not invoiced yet"),
];
