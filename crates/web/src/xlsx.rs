//! A minimal XLSX writer: worksheets of text and number cells, in a
//! stored (uncompressed) ZIP with CRC-32. An Office Open XML workbook needs
//! only five small parts; writing them here keeps a heavy spreadsheet crate
//! (and its compression stack) out of the dependency tree.

/// A cell of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// Written as a number Excel sums, e.g. kronor with two decimals.
    Number(f64),
}

/// Kronor from öre as a number cell (exact: öre / 100 has two decimals).
pub fn kronor(ore: i64) -> Cell {
    Cell::Number(ore as f64 / 100.0)
}

/// The workbook bytes of one sheet named `sheet` (at most 31 characters).
pub fn workbook(sheet: &str, rows: &[Vec<Cell>]) -> Vec<u8> {
    book(&[(sheet.to_string(), rows.to_vec())])
}

/// The workbook bytes of several sheets, in order (a report with one sheet
/// per part, e.g. the tertial report's quality, economy and development).
pub fn book(sheets: &[(String, Vec<Vec<Cell>>)]) -> Vec<u8> {
    let n = sheets.len().max(1);
    let overrides: String = (1..=n)
        .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#))
        .collect();
    let names: String = sheets
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let name: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
            format!(r#"<sheet name="{}" sheetId="{}" r:id="rId{}"/>"#, escape(&name), i + 1, i + 2)
        })
        .collect();
    let rels: String = (1..=n)
        .map(|i| format!(r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#, i + 1))
        .collect();
    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), CONTENT_TYPES.replace("{sheets}", &overrides)),
        ("_rels/.rels".into(), ROOT_RELS.to_string()),
        ("xl/workbook.xml".into(), WORKBOOK.replace("{sheets}", &names)),
        ("xl/_rels/workbook.xml.rels".into(), WORKBOOK_RELS.replace("{sheets}", &rels)),
        ("xl/styles.xml".into(), STYLES.to_string()),
    ];
    for (i, (_, rows)) in sheets.iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), sheet_xml(rows)));
    }
    let mut zip = ZipWriter::default();
    for (name, text) in &parts {
        zip.add(name, text.as_bytes());
    }
    zip.finish()
}

/// An XLSX download: the sheets and the file name it is saved under.
pub struct Xlsx {
    filename: String,
    sheets: Vec<(String, Vec<Vec<Cell>>)>,
}

impl Xlsx {
    pub fn new(filename: String) -> Xlsx {
        Xlsx { filename, sheets: Vec::new() }
    }

    /// Adds a sheet of text cells; a cell that is a number we wrote
    /// (`95,51`, `-1234,50`) becomes a number Excel sums.
    pub fn sheet(&mut self, name: &str, rows: Vec<Vec<String>>) {
        let cells = rows
            .into_iter()
            .map(|row| {
                row.into_iter().map(|t| crate::cells::number(&t).map(Cell::Number).unwrap_or(Cell::Text(t))).collect()
            })
            .collect();
        self.sheets.push((name.to_string(), cells));
    }

    /// Adds a sheet of typed cells.
    pub fn cells(&mut self, name: &str, rows: Vec<Vec<Cell>>) {
        self.sheets.push((name.to_string(), rows));
    }

    pub fn bytes(&self) -> Vec<u8> {
        book(&self.sheets)
    }
}

impl axum::response::IntoResponse for Xlsx {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{header, HeaderValue};
        let mut resp = self.bytes().into_response();
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", self.filename)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        resp
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{sheets}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>"#;

/// The styles part is relationship rId1; the sheets are rId2….
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>{sheets}</Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs></styleSheet>"#;

fn sheet_xml(rows: &[Vec<Cell>]) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        x.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            match cell {
                // An empty cell is no cell: Excel and readers see it as empty, not as "".
                Cell::Text(t) if t.is_empty() => {}
                Cell::Text(t) => {
                    // Inline strings are never evaluated; the quote prefix keeps them text when edited.
                    let style = if crate::cells::looks_like_formula(t) { " s=\"1\"" } else { "" };
                    let space = if t.starts_with(char::is_whitespace) { " xml:space=\"preserve\"" } else { "" };
                    x.push_str(&format!(
                        "<c r=\"{at}\"{style} t=\"inlineStr\"><is><t{space}>{}</t></is></c>",
                        escape(t)
                    ))
                }
                Cell::Number(n) if n.is_finite() => x.push_str(&format!("<c r=\"{at}\"><v>{n}</v></c>")),
                Cell::Number(_) => {}
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// `A`, …, `Z`, `AA`, … for a 0-based column.
fn column_name(mut c: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII")
}

/// XML text escaping; control characters XML 1.0 forbids are dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as ZIP needs.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A ZIP archive of stored entries (method 0), written in one pass.
#[derive(Default)]
struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
}

/// 1 Jan 1980 00:00, the DOS epoch: the parts carry no meaningful time.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;

impl ZipWriter {
    fn add(&mut self, name: &str, data: &[u8]) {
        let (crc, size, offset) = (crc32(data), data.len() as u32, self.out.len() as u32);
        let name_len = name.len() as u16;
        // Local file header.
        put32(&mut self.out, 0x0403_4b50);
        for v in [20u16, 0, 0, DOS_TIME, DOS_DATE] {
            put16(&mut self.out, v);
        }
        for v in [crc, size, size] {
            put32(&mut self.out, v);
        }
        put16(&mut self.out, name_len);
        put16(&mut self.out, 0);
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(data);
        // Central directory entry.
        put32(&mut self.central, 0x0201_4b50);
        for v in [20u16, 20, 0, 0, DOS_TIME, DOS_DATE] {
            put16(&mut self.central, v);
        }
        for v in [crc, size, size] {
            put32(&mut self.central, v);
        }
        for v in [name_len, 0, 0, 0, 0] {
            put16(&mut self.central, v);
        }
        put32(&mut self.central, 0);
        put32(&mut self.central, offset);
        self.central.extend_from_slice(name.as_bytes());
        self.entries += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let (cd_offset, cd_size) = (self.out.len() as u32, self.central.len() as u32);
        self.out.append(&mut self.central);
        put32(&mut self.out, 0x0605_4b50);
        for v in [0u16, 0, self.entries, self.entries] {
            put16(&mut self.out, v);
        }
        put32(&mut self.out, cd_size);
        put32(&mut self.out, cd_offset);
        put16(&mut self.out, 0);
        self.out
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_published_check_value() {
        // The CRC-32 check value of "123456789" is CBF43926.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn columns_are_named_like_excel_names_them() {
        assert_eq!([column_name(0), column_name(25), column_name(26), column_name(27 + 25)], ["A", "Z", "AA", "BA"]);
    }

    fn sample() -> Vec<u8> {
        workbook(
            "Kostnader 2026",
            &[
                vec![Cell::Text("Huvudman".into()), Cell::Text("Utfall (kr)".into())],
                vec![Cell::Text("Region Stockholm & <Solna>".into()), kronor(123_450)],
            ],
        )
    }

    #[test]
    fn text_that_looks_like_a_formula_is_marked_with_the_quote_prefix_style() {
        let sheet = sheet_xml(&[vec![Cell::Text("=1+2".into()), Cell::Text("Solna".into()), kronor(-500)]]);
        assert!(sheet.contains(r#"<c r="A1" s="1" t="inlineStr"><is><t>=1+2</t></is></c>"#), "{sheet}");
        assert!(sheet.contains(r#"<c r="B1" t="inlineStr"><is><t>Solna</t></is></c>"#), "{sheet}");
        assert!(sheet.contains(r#"<c r="C1"><v>-5</v></c>"#), "{sheet}");
        assert!(STYLES.contains(r#"<cellXfs count="2">"#) && STYLES.contains(r#"quotePrefix="1""#));
    }

    #[test]
    fn the_workbook_is_a_zip_whose_end_record_lists_every_part() {
        let bytes = sample();
        assert_eq!(&bytes[..4], &[0x50, 0x4b, 0x03, 0x04]);
        let end = &bytes[bytes.len() - 22..];
        assert_eq!(&end[..4], &[0x50, 0x4b, 0x05, 0x06]);
        assert_eq!(u16::from_le_bytes([end[10], end[11]]), 6);
        let cd_offset = u32::from_le_bytes([end[16], end[17], end[18], end[19]]) as usize;
        assert_eq!(&bytes[cd_offset..cd_offset + 4], &[0x50, 0x4b, 0x01, 0x02]);
    }

    /// Python's `zipfile` checks every CRC and reads the sheet back; the test
    /// machine and CI have python3 (scripts/test runs it elsewhere too).
    #[test]
    fn python_zipfile_opens_the_workbook_checks_its_crcs_and_reads_the_cells() {
        let dir = std::env::temp_dir().join(format!("ramp-xlsx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("test.xlsx");
        std::fs::write(&path, sample()).unwrap();
        let script = "import sys, zipfile\n\
            z = zipfile.ZipFile(sys.argv[1])\n\
            assert z.testzip() is None\n\
            names = sorted(z.namelist())\n\
            sheet = z.read('xl/worksheets/sheet1.xml').decode()\n\
            assert 'Region Stockholm &amp; &lt;Solna&gt;' in sheet, sheet\n\
            assert '<v>1234.5</v>' in sheet, sheet\n\
            print(','.join(names))\n";
        let out =
            std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3 runs");
        std::fs::remove_dir_all(&dir).ok();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "[Content_Types].xml,_rels/.rels,xl/_rels/workbook.xml.rels,xl/styles.xml,xl/workbook.xml,xl/worksheets/sheet1.xml"
        );
    }

    #[test]
    fn a_book_of_two_sheets_names_both_and_python_reads_the_second() {
        let mut book = Xlsx::new("rapport.xlsx".into());
        book.sheet("Kvalitet", vec![vec!["Andel".into()], vec!["95,51".into()]]);
        book.sheet("Ekonomi", vec![vec!["Belopp".into()], vec!["-1234,50".into(), "=1+2".into()]]);
        let dir = std::env::temp_dir().join(format!("ramp-xlsx-book-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("book.xlsx");
        std::fs::write(&path, book.bytes()).unwrap();
        let script = "import sys, zipfile\n\
            z = zipfile.ZipFile(sys.argv[1])\n\
            assert z.testzip() is None\n\
            wb = z.read('xl/workbook.xml').decode()\n\
            assert 'name=\"Kvalitet\" sheetId=\"1\"' in wb and 'name=\"Ekonomi\" sheetId=\"2\"' in wb, wb\n\
            s1 = z.read('xl/worksheets/sheet1.xml').decode()\n\
            s2 = z.read('xl/worksheets/sheet2.xml').decode()\n\
            assert '<v>95.51</v>' in s1, s1\n\
            assert '<v>-1234.5</v>' in s2 and 's=\"1\" t=\"inlineStr\"><is><t>=1+2</t>' in s2, s2\n\
            assert 'sheet2.xml' in z.read('[Content_Types].xml').decode()\n";
        let out =
            std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("python3 runs");
        std::fs::remove_dir_all(&dir).ok();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}
