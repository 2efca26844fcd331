//! Reading an import file: CSV (`;`, `,` or tab, told by the header line;
//! UTF-8 with or without BOM, else Windows-1252 as older Swedish exports
//! are) or XLSX (the first sheet). Each row is parsed as it is read, so a
//! 500,000-row CSV never sits in memory as text.

use crate::error::{AppError, Result};
use ramp_domain::catalog_import::{parse_row, Columns, Duplicates, ImportedArticle, RowError};
use std::path::Path;

/// At most this many errors are kept: the report is for a person to read.
pub const MAX_ERRORS: usize = 1_000;

/// A file read and checked row by row.
#[derive(Debug)]
pub struct Parsed {
    pub columns: Option<Columns>,
    pub articles: Vec<ImportedArticle>,
    pub errors: Vec<RowError>,
    /// Errors found beyond [`MAX_ERRORS`].
    pub errors_not_shown: usize,
    pub rows: usize,
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::invalid("file", "unreadable_file", format!("{}: {e}", path.display()))
}

/// Feeds rows to the parser: header first, then data rows from 2.
struct Sink<'p> {
    parsed: Parsed,
    seen: Duplicates,
    progress: &'p (dyn Fn(usize) + Send + Sync),
}

impl Sink<'_> {
    fn push_errors(&mut self, errors: Vec<RowError>) {
        for e in errors {
            if self.parsed.errors.len() < MAX_ERRORS {
                self.parsed.errors.push(e);
            } else {
                self.parsed.errors_not_shown += 1;
            }
        }
    }

    fn header(&mut self, cells: &[String]) {
        match Columns::from_header(cells) {
            Ok(c) => self.parsed.columns = Some(c),
            Err(e) => self.push_errors(e),
        }
    }

    fn row(&mut self, row: usize, cells: &[&str]) {
        self.parsed.rows += 1;
        if row.is_multiple_of(10_000) {
            (self.progress)(self.parsed.rows);
        }
        let Some(cols) = &self.parsed.columns else { return };
        if cells.iter().all(|c| c.trim().is_empty()) {
            return; // a blank line at the end of a sheet
        }
        match parse_row(cols, row, cells) {
            Ok(a) => {
                let dup = self.seen.check(cols, &a);
                if dup.is_empty() {
                    self.parsed.articles.push(a);
                } else {
                    self.push_errors(dup);
                }
            }
            Err(e) => self.push_errors(e),
        }
    }
}

fn utf8_or_windows_1252(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => encoding_rs::WINDOWS_1252.decode(e.as_bytes()).0.into_owned(),
    }
}

fn delimiter(first_line: &str) -> u8 {
    [b';', b'\t', b','].into_iter().max_by_key(|d| first_line.bytes().filter(|b| b == d).count()).unwrap_or(b';')
}

fn read_csv(path: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let text = utf8_or_windows_1252(std::fs::read(path).map_err(|e| file_error(path, e))?);
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(first))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut row = 0;
    while reader.read_record(&mut record).map_err(|e| file_error(path, e))? {
        row += 1;
        if row == 1 {
            sink.header(&record.iter().map(str::to_string).collect::<Vec<_>>());
        } else {
            sink.row(row, &record.iter().collect::<Vec<_>>());
        }
    }
    Ok(())
}

fn cell_text(c: &calamine::Data) -> String {
    match c {
        calamine::Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn read_xlsx(path: &Path, sink: &mut Sink<'_>) -> Result<()> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|e| file_error(path, e))?;
    let sheet = book.worksheet_range_at(0).ok_or_else(|| file_error(path, "the workbook has no sheet"))?;
    let range = sheet.map_err(|e| file_error(path, e))?;
    // Row numbers as the spreadsheet shows them, even when the used range starts lower.
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    for (i, cells) in range.rows().enumerate() {
        let texts: Vec<String> = cells.iter().map(cell_text).collect();
        let row = first_row + i + 1;
        if i == 0 {
            sink.header(&texts);
        } else {
            sink.row(row, &texts.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
    Ok(())
}

/// Reads and checks a CSV or XLSX file (by its extension).
pub fn read_file(path: &Path, progress: &(dyn Fn(usize) + Send + Sync)) -> Result<Parsed> {
    let parsed = Parsed { columns: None, articles: Vec::new(), errors: Vec::new(), errors_not_shown: 0, rows: 0 };
    let mut sink = Sink { parsed, seen: Duplicates::default(), progress };
    let xlsx = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx {
        read_xlsx(path, &mut sink)?;
    } else {
        read_csv(path, &mut sink)?;
    }
    if sink.parsed.columns.is_none() && sink.parsed.errors.is_empty() {
        sink.parsed.errors.push(RowError::new(1, 0, "", "empty_file", "the file has no header row"));
    }
    (progress)(sink.parsed.rows);
    Ok(sink.parsed)
}
