use super::*;

fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

const INERA_HEADER: [&str; 8] =
    ["Artikelnummer", "Artikelbenämning", "ISO-kod", "GTIN", "Leverantör", "Artikeltyp", "Avtalspris", "Produktnummer"];

#[test]
fn the_inera_export_is_told_by_its_swedish_header_and_extra_columns_are_read_past() {
    let cols = Columns::from_header(&header(&INERA_HEADER)).unwrap();
    assert_eq!(cols.layout, Layout::Inera);
    assert_eq!(cols.of(Field::Supplier), Some((4, "Leverantör")));
    let row = ["R-1", "Rollator Classic", "12 06 06", "7350000000016", "Etac", "Huvudhjälpmedel", "2 500,50", "P-9"];
    let a = parse_row(&cols, 2, &row).unwrap();
    assert_eq!((a.iso_code.as_str(), a.purchase_price_ore), ("120606", Some(250_050)));
    assert_eq!(a.kind, crate::article::ArticleKind::MainDevice);
    assert_eq!(a.monthly_rent_ore, None, "the export has no rent: the catalog's stays");
}

#[test]
fn a_missing_required_column_is_named_in_the_header_row() {
    let errors = Columns::from_header(&header(&["article_number", "name", "iso_code", "kind"])).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].row, errors[0].column_name.as_str(), errors[0].code), (1, "supplier", "missing_column"));
}

#[test]
fn each_bad_cell_is_named_by_row_and_column() {
    let cols =
        Columns::from_header(&header(&["article_number", "name", "iso_code", "gtin", "supplier", "kind"])).unwrap();
    let errors = parse_row(&cols, 7, &["A-1", "", "131313", "7350000000018", "Etac", "rocket"]).unwrap_err();
    let got: Vec<(usize, usize, &str)> = errors.iter().map(|e| (e.row, e.column, e.code)).collect();
    assert_eq!(got, [(7, 2, "required"), (7, 3, "unknown_iso_code"), (7, 6, "invalid_kind"), (7, 4, "invalid_gtin")]);
    assert!(errors[3].to_string().starts_with("row 7, column 4 (gtin):"), "{}", errors[3]);
}

#[test]
fn a_class_code_is_no_article_code_and_amounts_take_swedish_and_english_decimals() {
    let cols = Columns::from_header(&header(&[
        "article_number",
        "name",
        "iso_code",
        "supplier",
        "kind",
        "purchase_price_sek",
    ]))
    .unwrap();
    let e = parse_row(&cols, 2, &["A", "B", "12", "S", "tillbehör", "1,5"]).unwrap_err();
    assert_eq!(e[0].code, "invalid_iso_code");
    let a = parse_row(&cols, 2, &["A", "B", "120606", "S", "Tillbehör", "1234.5"]).unwrap();
    assert_eq!(a.purchase_price_ore, Some(123_450));
    let e = parse_row(&cols, 2, &["A", "B", "120606", "S", "Tillbehör", "12,345"]).unwrap_err();
    assert_eq!(e[0].code, "invalid_amount");
}

#[test]
fn a_second_row_with_the_same_article_number_or_gtin_names_the_first() {
    let cols =
        Columns::from_header(&header(&["article_number", "name", "iso_code", "gtin", "supplier", "kind"])).unwrap();
    let mut seen = Duplicates::default();
    let a = parse_row(&cols, 2, &["A-1", "X", "120606", "7350000000016", "S", "main_device"]).unwrap();
    let b = parse_row(&cols, 5, &["A-1", "Y", "120606", "7350000000016", "S", "main_device"]).unwrap();
    assert!(seen.check(&cols, &a).is_empty());
    let errors = seen.check(&cols, &b);
    assert_eq!(errors.len(), 2);
    assert_eq!(
        (errors[0].row, errors[0].column, errors[0].message.as_str()),
        (5, 1, "article number A-1 is already on row 2")
    );
    assert_eq!(errors[1].column, 4);
}
