use super::totals::{sek, vat_of};
use super::*;
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn party(name: &str, org: &str) -> Party {
    Party {
        name: name.into(),
        organisation_number: org.into(),
        vat_number: format!("SE{org}01"),
        address: Address {
            street: "Storgatan 1".into(),
            city: "Stockholm".into(),
            postal_code: "111 22".into(),
            country: "SE".into(),
        },
        contact_email: Some("faktura@example.se".into()),
    }
}

fn line(id: &str, quantity: i64, unit_price_ore: i64, vat: VatCategory) -> EInvoiceLine {
    EInvoiceLine {
        id: id.into(),
        name: format!("Rad {id}"),
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

fn exempt(reason: &str) -> VatCategory {
    VatCategory::Exempt { reason: reason.into() }
}

/// Rent for October with a part month, a sale, and an exempt line.
fn invoice() -> EInvoice {
    let mut rent = line("1", 1, 33_333, VatCategory::Standard25);
    rent.unit_code = "MON".into();
    rent.period = Some((d(2026, 10, 12), d(2026, 10, 31)));
    rent.description = Some("Rullator, hyra 12–31 okt".into());
    rent.article_number = Some("123456".into());
    EInvoice {
        kind: DocumentKind::Invoice,
        number: "F2026-0001".into(),
        issue_date: d(2026, 11, 2),
        due_date: d(2026, 12, 2),
        buyer_reference: "K-1001".into(),
        billing_reference: None,
        invoice_period: Some((d(2026, 10, 1), d(2026, 10, 31))),
        seller: party("Hjälpmedelscentralen", "2321000131"),
        buyer: party("Söders vårdcentral & BVC", "5560000001"),
        payment_account: "5050-1055".into(),
        payment_reference: Some("20260001".into()),
        note: None,
        lines: vec![
            rent,
            line("2", 2, 12_345, VatCategory::Standard25),
            line("3", 1, 50_000, exempt("Undantaget från skatteplikt, 3 kap. 4 § ML")),
        ],
    }
}

fn credit_note() -> EInvoice {
    EInvoice {
        kind: DocumentKind::CreditNote,
        number: "K2026-0001".into(),
        billing_reference: Some(("F2026-0001".into(), d(2026, 11, 2))),
        issue_date: d(2026, 11, 20),
        due_date: d(2026, 12, 20),
        lines: vec![line("1", 2, 12_345, VatCategory::Standard25)],
        ..invoice()
    }
}

fn err_field(doc: &EInvoice) -> String {
    to_ubl_xml(doc).expect_err("the document must be rejected").field
}

/// The elements without children and their unescaped text, after checking
/// that `xml` is well-formed: one root, properly nested tags, quoted
/// attributes, and every `&` the start of a known entity.
fn leaves(xml: &str) -> Result<Vec<(String, String)>, String> {
    let body = xml.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").ok_or("no XML declaration")?;
    // Open elements, each with whether it has a child element yet.
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut out = Vec::new();
    let mut text = String::new();
    let mut roots = 0;
    let mut rest = body;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = rest.find('>').ok_or("unterminated tag")?;
            let tag = &rest[1..end];
            rest = &rest[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let (open, has_child) = stack.pop().ok_or("close without open")?;
                if open != name {
                    return Err(format!("</{name}> closes <{open}>"));
                }
                if !has_child {
                    out.push((open, std::mem::take(&mut text)));
                }
            } else {
                let name = check_start_tag(tag)?;
                match stack.last_mut() {
                    Some(parent) => parent.1 = true,
                    None => roots += 1,
                }
                stack.push((name, false));
            }
            text.clear();
        } else {
            let next = rest.find('<').unwrap_or(rest.len());
            let chunk = &rest[..next];
            if stack.is_empty() && !chunk.trim().is_empty() {
                return Err("text outside the root".into());
            }
            text.push_str(&unescape(chunk)?);
            rest = &rest[next..];
        }
    }
    if !stack.is_empty() || roots != 1 {
        return Err(format!("unclosed {stack:?} or {roots} roots"));
    }
    Ok(out)
}

fn check_start_tag(tag: &str) -> Result<String, String> {
    let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
    while !attrs.trim().is_empty() {
        let (_, after) = attrs.split_once("=\"").ok_or("attribute without quoted value")?;
        let (value, after) = after.split_once('"').ok_or("unterminated attribute")?;
        if value.contains('<') {
            return Err("< in an attribute".into());
        }
        unescape(value)?;
        attrs = after;
    }
    Ok(name.to_string())
}

fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').ok_or("& without ;")? + i;
        out.push(match &rest[i + 1..end] {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "#13" => '\r',
            other => return Err(format!("unknown entity &{other};")),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn leaf<'a>(leaves: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    leaves.iter().filter(|(n, _)| n == name).map(|(_, t)| t.as_str()).collect()
}

#[test]
fn an_invoice_is_a_peppol_bis_3_invoice_with_type_code_380_in_sek() {
    let xml = to_ubl_xml(&invoice()).unwrap();

    let l = leaves(&xml).unwrap();
    assert!(xml.contains("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\""));
    assert_eq!(leaf(&l, "cbc:CustomizationID"), [ubl::CUSTOMIZATION_ID]);
    assert_eq!(leaf(&l, "cbc:ProfileID"), [ubl::PROFILE_ID]);
    assert_eq!(leaf(&l, "cbc:InvoiceTypeCode"), ["380"]);
    assert_eq!(leaf(&l, "cbc:DocumentCurrencyCode"), ["SEK"]);
    assert_eq!(leaf(&l, "cbc:BuyerReference"), ["K-1001"]);
    assert_eq!(leaf(&l, "cbc:DueDate"), ["2026-12-02"]);
    assert!(xml.contains("<cbc:EndpointID schemeID=\"0007\">2321000131</cbc:EndpointID>"));
    assert!(xml.contains("<cbc:EndpointID schemeID=\"0007\">5560000001</cbc:EndpointID>"));
}

#[test]
fn vat_is_a_quarter_of_the_standard_lines_rounded_half_up_and_exempt_lines_carry_none() {
    // Standard lines 333.33 + 2 × 123.45 = 580.23 kr; 25 % = 145.0575 kr → 145.06 kr.
    // Exempt line 500.00 kr. Total 1 080.23 + 145.06 = 1 225.29 kr.
    let xml = to_ubl_xml(&invoice()).unwrap();

    let l = leaves(&xml).unwrap();
    assert_eq!(leaf(&l, "cbc:TaxableAmount"), ["580.23", "500.00"]);
    assert_eq!(leaf(&l, "cbc:TaxAmount"), ["145.06", "145.06", "0.00"]);
    assert_eq!(leaf(&l, "cbc:LineExtensionAmount")[0], "1080.23");
    assert_eq!(leaf(&l, "cbc:TaxExclusiveAmount"), ["1080.23"]);
    assert_eq!(leaf(&l, "cbc:TaxInclusiveAmount"), ["1225.29"]);
    assert_eq!(leaf(&l, "cbc:PayableAmount"), ["1225.29"]);
    assert_eq!(leaf(&l, "cbc:TaxExemptionReason"), ["Undantaget från skatteplikt, 3 kap. 4 § ML"]);
}

#[test]
fn exempt_lines_with_different_reasons_share_one_breakdown_listing_each_reason_once() {
    let mut doc = invoice();
    doc.lines.push(line("4", 1, 100, exempt("Skäl B")));
    doc.lines.push(line("5", 1, 100, exempt("Undantaget från skatteplikt, 3 kap. 4 § ML")));

    let l = leaves(&to_ubl_xml(&doc).unwrap()).unwrap();

    assert_eq!(leaf(&l, "cbc:TaxExemptionReason"), ["Undantaget från skatteplikt, 3 kap. 4 § ML; Skäl B"]);
    assert_eq!(leaf(&l, "cbc:TaxableAmount"), ["580.23", "502.00"]);
}

#[test]
fn rent_lines_carry_their_period_and_the_invoice_its_month() {
    let l = leaves(&to_ubl_xml(&invoice()).unwrap()).unwrap();

    assert_eq!(leaf(&l, "cbc:StartDate"), ["2026-10-01", "2026-10-12"]);
    assert_eq!(leaf(&l, "cbc:EndDate"), ["2026-10-31", "2026-10-31"]);
    assert_eq!(leaf(&l, "cbc:InvoicedQuantity").len(), 3);
}

#[test]
fn a_credit_note_is_a_creditnote_381_referencing_the_credited_invoice_with_due_date_in_payment_means() {
    let xml = to_ubl_xml(&credit_note()).unwrap();

    let l = leaves(&xml).unwrap();
    assert!(xml.contains("<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\""));
    assert_eq!(leaf(&l, "cbc:CreditNoteTypeCode"), ["381"]);
    assert_eq!(leaf(&l, "cbc:IssueDate"), ["2026-11-20", "2026-11-02"]);
    assert_eq!(leaf(&l, "cbc:PaymentDueDate"), ["2026-12-20"]);
    assert!(leaf(&l, "cbc:DueDate").is_empty());
    assert_eq!(leaf(&l, "cbc:CreditedQuantity"), ["2"]);
    assert!(
        xml.contains("<cac:BillingReference>\n    <cac:InvoiceDocumentReference>\n      <cbc:ID>F2026-0001</cbc:ID>")
    );
    assert_eq!(leaf(&l, "cbc:PayableAmount"), ["308.63"]);
}

#[test]
fn a_bankgiro_number_is_written_as_digits_with_the_bankgiro_branch_and_an_iban_as_is() {
    let bankgiro = leaves(&to_ubl_xml(&invoice()).unwrap()).unwrap();
    let mut doc = invoice();
    doc.payment_account = "SE45 5000 0000 0583 9825 7466".into();
    let iban = leaves(&to_ubl_xml(&doc).unwrap()).unwrap();

    assert!(bankgiro.contains(&("cbc:ID".into(), "50501055".into())));
    assert!(bankgiro.contains(&("cbc:ID".into(), "SE:BANKGIRO".into())));
    assert!(iban.contains(&("cbc:ID".into(), "SE4550000000058398257466".into())));
    assert!(!iban.contains(&("cbc:ID".into(), "SE:BANKGIRO".into())));
}

#[test]
fn markup_characters_in_names_are_escaped_and_swedish_letters_kept() {
    let mut doc = invoice();
    doc.buyer.name = "Åre kommun <Vård & Omsorg> \"Öst\" 'Ä'".into();

    let xml = to_ubl_xml(&doc).unwrap();

    assert!(xml.contains("Åre kommun &lt;Vård &amp; Omsorg&gt; &quot;Öst&quot; &apos;Ä&apos;"));
    assert!(leaf(&leaves(&xml).unwrap(), "cbc:RegistrationName").contains(&"Åre kommun <Vård & Omsorg> \"Öst\" 'Ä'"));
}

/// A change that makes a valid document invalid.
type Breakage = fn(&mut EInvoice);

#[test]
fn inputs_the_rules_would_reject_are_errors_naming_the_field() {
    let cases: Vec<(&str, Breakage)> = vec![
        ("number", |d| d.number = " ".into()),
        ("buyer_reference", |d| d.buyer_reference = String::new()),
        ("due_date", |d| d.due_date = d.issue_date.pred_opt().unwrap()),
        ("invoice_period", |dd| dd.invoice_period = Some((d(2026, 10, 31), d(2026, 10, 1)))),
        ("lines", |d| d.lines.clear()),
        ("seller.organisation_number", |d| d.seller.organisation_number = "2321000132".into()),
        ("buyer.organisation_number", |d| d.buyer.organisation_number = "556000-0001".into()),
        ("seller.vat_number", |d| d.seller.vat_number = String::new()),
        ("buyer.vat_number", |d| d.buyer.vat_number = "556000000101".into()),
        ("buyer.address.country", |d| d.buyer.address.country = "Sverige".into()),
        ("seller.contact_email", |d| d.seller.contact_email = Some("faktura".into())),
        ("payment_account", |d| d.payment_account = "12".into()),
        ("payment_reference", |d| d.payment_reference = Some(String::new())),
        ("lines[1].line_amount_ore", |d| d.lines[1].line_amount_ore += 1),
        ("lines[1].unit_price_ore", |d| d.lines[1].unit_price_ore = -1),
        ("lines[0].unit_code", |d| d.lines[0].unit_code = "month".into()),
        ("lines[0].period", |dd| dd.lines[0].period = Some((d(2026, 9, 30), d(2026, 10, 31)))),
        ("lines[2].vat.reason", |d| d.lines[2].vat = exempt("")),
        ("lines[2].id", |d| d.lines[2].id = "1".into()),
        ("lines[1].name", |d| d.lines[1].name = "Rad\u{1}".into()),
    ];
    for (field, break_it) in cases {
        let mut doc = invoice();
        break_it(&mut doc);

        assert_eq!(err_field(&doc), field);
    }
}

#[test]
fn a_credit_note_needs_the_credited_invoice_and_positive_lines() {
    let mut unreferenced = credit_note();
    unreferenced.billing_reference = None;
    let mut negative = credit_note();
    negative.lines[0].quantity = -2;
    negative.lines[0].line_amount_ore = -24_690;
    let mut later = credit_note();
    later.billing_reference = Some(("F2026-0001".into(), d(2026, 11, 21)));

    assert_eq!(err_field(&unreferenced), "billing_reference");
    assert_eq!(err_field(&negative), "lines[0].line_amount_ore");
    assert_eq!(err_field(&later), "billing_reference");
}

#[test]
fn an_invoice_may_carry_a_negative_correction_line() {
    let mut doc = invoice();
    doc.lines.push(line("4", -1, 10_000, VatCategory::Standard25));

    let l = leaves(&to_ubl_xml(&doc).unwrap()).unwrap();

    // Standard taxable 580.23 − 100.00 = 480.23 kr; 25 % = 120.0575 → 120.06 kr.
    assert_eq!(leaf(&l, "cbc:TaxableAmount"), ["480.23", "500.00"]);
    assert_eq!(leaf(&l, "cbc:TaxAmount"), ["120.06", "120.06", "0.00"]);
}

#[test]
fn vat_rounds_half_away_from_zero_to_whole_ore() {
    assert_eq!(vat_of(2, 25), Some(1)); // 0.5 öre → 1
    assert_eq!(vat_of(1, 25), Some(0)); // 0.25 öre → 0
    assert_eq!(vat_of(3, 25), Some(1)); // 0.75 öre → 1
    assert_eq!(vat_of(-2, 25), Some(-1));
    assert_eq!(vat_of(58_023, 25), Some(14_506));
}

#[test]
fn ore_are_written_as_sek_with_two_decimals() {
    assert_eq!(sek(123_456), "1234.56");
    assert_eq!(sek(5), "0.05");
    assert_eq!(sek(-5), "-0.05");
    assert_eq!(sek(0), "0.00");
    assert_eq!(sek(-100_000), "-1000.00");
}

#[test]
fn swedish_organisation_numbers_are_checked_by_luhn() {
    assert!(check::luhn_valid("2321000131")); // Region Stockholm
    assert!(check::luhn_valid("5560000001"));
    assert!(!check::luhn_valid("2321000132"));
}

fn any_vat() -> impl Strategy<Value = VatCategory> {
    prop_oneof![Just(VatCategory::Standard25), "[a-zA-Zåäö<>&\"' ]{0,12}".prop_map(|r| exempt(&format!("§{r}")))]
}

fn any_line() -> impl Strategy<Value = (i64, i64, VatCategory, String)> {
    (-3i64..40, 0i64..5_000_000, any_vat(), "[a-zA-ZåäöÅÄÖ<>&\"' ]{0,16}")
}

proptest! {
    #[test]
    fn totals_are_the_sums_of_the_lines_and_the_xml_is_well_formed(
        lines in proptest::collection::vec(any_line(), 1..12),
        buyer in "[a-zA-ZåäöÅÄÖ<>&\"' ]{0,24}",
    ) {
        let mut doc = invoice();
        doc.buyer.name = format!("B{buyer}");
        doc.lines = lines
            .iter()
            .enumerate()
            .map(|(i, (q, p, vat, name))| {
                let mut l = line(&(i + 1).to_string(), *q, *p, vat.clone());
                l.name = format!("L{name}");
                l
            })
            .collect();

        let xml = to_ubl_xml(&doc).unwrap();

        let l = leaves(&xml).map_err(TestCaseError::fail)?;
        let ore = |s: &str| -> i64 { s.replace('.', "").parse().unwrap() };
        let line_sum: i64 = doc.lines.iter().map(|l| l.line_amount_ore).sum();
        let ext = leaf(&l, "cbc:LineExtensionAmount");
        prop_assert_eq!(ore(ext[0]), line_sum);
        prop_assert_eq!(ext[1..].iter().map(|s| ore(s)).sum::<i64>(), line_sum);
        let taxable: i64 = leaf(&l, "cbc:TaxableAmount").iter().map(|s| ore(s)).sum();
        prop_assert_eq!(taxable, line_sum);
        let tax = leaf(&l, "cbc:TaxAmount");
        prop_assert_eq!(ore(tax[0]), tax[1..].iter().map(|s| ore(s)).sum::<i64>());
        prop_assert_eq!(ore(leaf(&l, "cbc:PayableAmount")[0]), line_sum + ore(tax[0]));
        let names = leaf(&l, "cbc:Name");
        prop_assert!(names.contains(&doc.buyer.name.as_str()));
        for line in &doc.lines {
            prop_assert!(names.contains(&line.name.as_str()));
        }
    }

    #[test]
    fn vat_is_within_half_an_ore_of_a_quarter_and_symmetric_in_sign(taxable in -10_000_000_000i64..10_000_000_000) {
        let vat = vat_of(taxable, 25).unwrap();

        prop_assert!((i128::from(vat) * 100 - i128::from(taxable) * 25).abs() <= 50);
        prop_assert_eq!(vat_of(-taxable, 25), Some(-vat));
    }

    #[test]
    fn any_text_is_either_written_as_well_formed_xml_or_rejected_naming_a_field(
        text in any::<String>(),
    ) {
        let mut doc = invoice();
        doc.lines[0].name = text.clone();
        doc.note = Some(text);

        match to_ubl_xml(&doc) {
            Ok(xml) => prop_assert!(leaves(&xml).is_ok()),
            Err(e) => prop_assert!(e.field == "note" || e.field == "lines[0].name"),
        }
    }
}
