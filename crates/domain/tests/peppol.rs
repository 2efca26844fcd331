//! Documents written by `ramp_domain::einvoice` pass the official PEPPOL BIS
//! Billing 3 rules (EN 16931 + PEPPOL schematron), checked by
//! `scripts/peppol-validate` (Saxon-HE from PyPI, installed by
//! `scripts/peppol-venv`; `scripts/test` exports `RAMP_PEPPOL_PYTHON`).
//! One validator run checks a whole batch: compiling the rules costs about a
//! second, a document a few hundredths.

use chrono::NaiveDate;
use ramp_domain::einvoice::{to_ubl_xml, Address, DocumentKind, EInvoice, EInvoiceLine, Party, VatCategory};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn party(name: &str, org: &str, city: &str) -> Party {
    Party {
        name: name.into(),
        organisation_number: org.into(),
        vat_number: format!("SE{org}01"),
        address: Address {
            street: "Hälsovägen 7".into(),
            city: city.into(),
            postal_code: "141 57".into(),
            country: "SE".into(),
        },
        contact_email: Some("faktura@example.se".into()),
    }
}

fn line(id: usize, name: &str, quantity: i64, unit_price_ore: i64, vat: VatCategory) -> EInvoiceLine {
    EInvoiceLine {
        id: id.to_string(),
        name: name.into(),
        description: None,
        article_number: None,
        quantity,
        unit_code: "EA".into(),
        unit_price_ore,
        line_amount_ore: quantity * unit_price_ore,
        period: None,
        vat,
    }
}

/// A month's rent for one device, part month or whole.
fn rent(id: usize, device: &str, from: NaiveDate, to: NaiveDate, amount_ore: i64) -> EInvoiceLine {
    EInvoiceLine {
        description: Some(format!("Funktionshyra {from} – {to}")),
        article_number: Some(format!("ART-{id:04}")),
        unit_code: "MON".into(),
        period: Some((from, to)),
        ..line(id, device, 1, amount_ore, VatCategory::Standard25)
    }
}

fn exempt(reason: &str) -> VatCategory {
    VatCategory::Exempt { reason: reason.into() }
}

/// October's invoice to a municipality: rent (a part month from the 12th and
/// a whole month), a sale, and an exempt line; names with å, ä, ö and `&`.
fn rent_invoice() -> EInvoice {
    EInvoice {
        kind: DocumentKind::Invoice,
        number: "F2026-10-0001".into(),
        issue_date: d(2026, 11, 2),
        due_date: d(2026, 12, 2),
        buyer_reference: "K-2120000142".into(),
        billing_reference: None,
        invoice_period: Some((d(2026, 10, 1), d(2026, 10, 31))),
        seller: party("Hjälpmedelscentralen, Region Stockholm", "2321000131", "Stockholm"),
        buyer: party("Stockholms stad, Äldreförvaltningen & Hemtjänst <Söder>", "2120000142", "Stockholm"),
        payment_account: "5050-1055".into(),
        payment_reference: Some("2026100001".into()),
        note: Some("Frågor om fakturan: \"Kundtjänst\" 08-123 45 67 & hjalpmedel@example.se".into()),
        lines: vec![
            rent(1, "Rullator Äventyr 's'", d(2026, 10, 12), d(2026, 10, 31), 12_903),
            rent(2, "Säng & madrass", d(2026, 10, 1), d(2026, 10, 31), 45_000),
            line(3, "Gånghjälpmedel, sälj", 3, 19_950, VatCategory::Standard25),
            line(4, "Utprovning", 1, 80_000, exempt("Undantaget från skatteplikt enligt 10 kap. 9 § ML (sjukvård)")),
        ],
    }
}

/// The credit note correcting the rent of the first line.
fn credit_note() -> EInvoice {
    EInvoice {
        kind: DocumentKind::CreditNote,
        number: "K2026-11-0001".into(),
        issue_date: d(2026, 11, 20),
        due_date: d(2026, 12, 20),
        billing_reference: Some(("F2026-10-0001".into(), d(2026, 11, 2))),
        note: Some("Kreditering: hyra debiterad efter återlämning".into()),
        lines: vec![rent(1, "Rullator Äventyr 's'", d(2026, 10, 12), d(2026, 10, 31), 12_903)],
        ..rent_invoice()
    }
}

/// To the region: only exempt lines, two reasons, IBAN, buyer without VAT
/// number or e-mail, no invoice period.
fn exempt_invoice() -> EInvoice {
    let mut buyer = party("Region Stockholm, Hälso- och sjukvårdsförvaltningen", "2321000016", "Solna");
    buyer.vat_number = String::new();
    buyer.contact_email = None;
    EInvoice {
        number: "F2026-10-0002".into(),
        buyer_reference: "K-2321000016".into(),
        invoice_period: None,
        buyer,
        payment_account: "SE45 5000 0000 0583 9825 7466".into(),
        payment_reference: None,
        note: None,
        lines: vec![
            line(1, "Vidarefakturering: rullstol", 1, 1_234_567, exempt("Vidarefakturering enligt avtal")),
            line(2, "Förkommet hjälpmedel", 1, 250_001, exempt("Skadestånd, utanför momsens tillämpningsområde")),
        ],
        ..rent_invoice()
    }
}

/// Many lines whose VAT only rounds right in total, and a negative correction.
fn many_lines_invoice() -> EInvoice {
    let mut lines: Vec<EInvoiceLine> = (1..=60)
        .map(|i| {
            let day = 1 + (i as u32 % 28);
            rent(i, &format!("Hjälpmedel nr {i}"), d(2026, 10, day), d(2026, 10, 31), 1_001 + 37 * i as i64)
        })
        .collect();
    lines.push(line(61, "Korrigering tidigare debitering", -1, 5_003, VatCategory::Standard25));
    EInvoice { number: "F2026-10-0003".into(), lines, ..rent_invoice() }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Writes each document to this test's own directory and returns the paths.
fn write(dir: &str, docs: &[(&str, String)]) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    docs.iter()
        .map(|(name, xml)| {
            let path = dir.join(format!("{name}.xml"));
            std::fs::write(&path, xml).unwrap();
            path
        })
        .collect()
}

fn validate(args: &[PathBuf]) -> Output {
    let out = Command::new(repo_root().join("scripts/peppol-validate"))
        .args(args)
        .output()
        .expect("scripts/peppol-validate runs");
    assert_ne!(
        out.status.code(),
        Some(3),
        "the validator is not installed or the rules are missing (run scripts/peppol-venv): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn report(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn generated_invoices_and_credit_notes_pass_the_official_peppol_bis_3_rules() {
    let docs: Vec<(&str, String)> = [
        ("rent-invoice", rent_invoice()),
        ("credit-note", credit_note()),
        ("exempt-invoice", exempt_invoice()),
        ("many-lines-invoice", many_lines_invoice()),
    ]
    .into_iter()
    .map(|(name, doc)| (name, to_ubl_xml(&doc).unwrap()))
    .collect();
    let files = write("peppol-valid", &docs);

    let out = validate(&files);

    assert_eq!(out.status.code(), Some(0), "{}", report(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches(": ok (").count(), files.len(), "{}", report(&out));
    assert!(!stdout.contains("warning"), "not even a warning: {}", report(&out));
}

/// `xml` with `from` (which must occur) replaced once by `to`.
fn tamper(xml: &str, from: &str, to: &str) -> String {
    assert!(xml.contains(from), "{from} not in {xml}");
    xml.replacen(from, to, 1)
}

#[test]
fn tampered_documents_fail_naming_the_rule_they_break() {
    let xml = to_ubl_xml(&rent_invoice()).unwrap();
    let amount = |sek: &str| format!("<cbc:LineExtensionAmount currencyID=\"SEK\">{sek}</cbc:LineExtensionAmount>");
    let price = |sek: &str| format!("<cbc:PriceAmount currencyID=\"SEK\">{sek}</cbc:PriceAmount>");
    let seller_id = |nr: &str| format!("<cbc:CompanyID schemeID=\"0007\">{nr}</cbc:CompanyID>");
    // (file, document, a rule id it must fail): the sum of lines one öre off
    // (an EN 16931 total); a unit price that is not the line amount (PEPPOL,
    // rule-level variables and a schema function); the seller's check digit
    // (PEPPOL's Luhn function for scheme 0007).
    let cases = [
        ("total", tamper(&xml, &amount("1977.53"), &amount("1977.54")), "BR-CO-10"),
        ("price", tamper(&xml, &price("129.03"), &price("129.13")), "PEPPOL-EN16931-R120"),
        ("orgnr", tamper(&xml, &seller_id("2321000131"), &seller_id("2321000132")), "PEPPOL-COMMON-R049"),
    ];
    let mut docs = vec![("honest", xml.clone())];
    docs.extend(cases.iter().map(|(name, doc, _)| (*name, doc.clone())));
    let files = write("peppol-tampered", &docs);

    let out = validate(&files);

    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{}", report(&out));
    assert!(stdout.contains("honest.xml: ok"), "{}", report(&out));
    for (name, _, rule) in cases {
        let section = stdout.split(&format!("{name}.xml: ")).nth(1).unwrap_or_default();
        let section = section.split("\n/").next().unwrap_or_default();
        assert!(section.starts_with("FAIL"), "{name}: {}", report(&out));
        assert!(section.contains(rule), "{name} must fail {rule}: {}", report(&out));
    }
}

#[test]
fn the_validator_passes_the_official_examples() {
    let out = validate(&["--official-examples".into()]);

    assert_eq!(out.status.code(), Some(0), "{}", report(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("base-creditnote-correction.xml: ok"), "{}", report(&out));
}

#[test]
fn without_the_rules_the_validator_says_where_it_looked_and_exits_3() {
    let out = Command::new(repo_root().join("scripts/peppol-validate"))
        .arg("any.xml")
        .env("RAMP_PEPPOL_RULES", "/nonexistent/peppol-rules")
        .output()
        .expect("scripts/peppol-validate runs");

    assert_eq!(out.status.code(), Some(3), "{}", report(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not found in: /nonexistent/peppol-rules"),
        "{}",
        report(&out)
    );
}
