//! One ESCO CSV file read row by row: its columns found by name, malformed rows reported as
//! problems, progress reported by bytes.

use super::*;
use crate::input::{CheckedReader, TextOptions};
use crate::ErrorCode;

/// The column positions of a file, found by header name.
pub(super) struct Columns {
    positions: Vec<Option<usize>>,
}

impl Columns {
    pub(super) fn find(
        headers: &StringRecord,
        file: &EscoFile,
        required: &[&str],
        optional: &[&str],
    ) -> Result<Self> {
        let position = |name: &str| headers.iter().position(|header| header.trim() == name);
        let mut positions = Vec::with_capacity(required.len() + optional.len());
        for name in required {
            let Some(found) = position(name) else {
                return Err(Error::invalid(
                    ErrorCode::EscoBadHeader,
                    format!(
                        "{}:1: missing column `{name}` (header: {})",
                        file.display,
                        // An excerpt only: a wrong file's "header" may be megabytes long.
                        crate::input::excerpt(&headers.iter().collect::<Vec<_>>().join(","))
                    ),
                ));
            };
            positions.push(Some(found));
        }
        for name in optional {
            positions.push(position(name));
        }
        Ok(Columns { positions })
    }

    /// The trimmed value of column number `column` (in the order required then optional).
    pub(super) fn get<'r>(&self, record: &'r StringRecord, column: usize) -> &'r str {
        self.positions[column]
            .and_then(|position| record.get(position))
            .map_or("", str::trim)
    }
}

/// Streams the records of one CSV file, reporting malformed rows as problems.
pub(super) struct CsvRows<'a> {
    reader: csv::Reader<CheckedReader<std::io::BufReader<&'a mut dyn Read>>>,
    record: StringRecord,
    columns: Columns,
    display: &'a str,
    progress: &'a dyn Progress,
    reported_bytes: u64,
    since_report: u32,
    /// How many fields the header has; rows must have as many unless `short_rows_allowed`.
    width: usize,
    short_rows_allowed: bool,
}

impl<'a> CsvRows<'a> {
    pub(super) fn open(
        file: &'a EscoFile,
        stream: &'a mut dyn Read,
        required: &[&str],
        optional: &[&str],
        progress: &'a dyn Progress,
    ) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(CheckedReader::new(
                std::io::BufReader::with_capacity(1 << 16, stream),
                TextOptions::default(),
            ));
        let headers = reader.headers().map_err(|error| {
            if let Some(problem) = crate::input::csv_text_error(&error) {
                return Error::InvalidInput {
                    problems: vec![problem.problem(&file.display)],
                };
            }
            Error::invalid(
                ErrorCode::EscoBadHeader,
                format!("{}:1: cannot read the header: {error}", file.display),
            )
        })?;
        let width = headers.len();
        let columns = Columns::find(headers, file, required, optional)?;
        Ok(CsvRows {
            reader,
            record: StringRecord::new(),
            columns,
            display: &file.display,
            progress,
            reported_bytes: 0,
            since_report: 0,
            width,
            short_rows_allowed: false,
        })
    }

    /// Reads the next well-formed record; `false` at the end of the file.
    pub(super) fn next(&mut self, problems: &mut Problems) -> Result<bool> {
        loop {
            self.since_report += 1;
            if self.since_report >= 4096 {
                self.report_progress();
            }
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {
                    let fields = self.record.len();
                    if fields == self.width || (self.short_rows_allowed && fields < self.width) {
                        return Ok(true);
                    }
                    problems.push(
                        self.display,
                        self.line(),
                        None,
                        format!(
                            "malformed csv: found {fields} fields, the header has {}",
                            self.width
                        ),
                    );
                }
                Ok(false) => {
                    self.report_progress();
                    return Ok(false);
                }
                Err(error) => {
                    if let Some(problem) = crate::input::csv_text_error(&error) {
                        return Err(Error::InvalidInput {
                            problems: vec![problem.problem(self.display)],
                        });
                    }
                    if let csv::ErrorKind::Io(io_error) = error.kind() {
                        return Err(Error::invalid(
                            ErrorCode::EscoUnreadable,
                            format!("{}: cannot read: {io_error}", self.display),
                        ));
                    }
                    let line = error.position().map_or(0, |position| position.line());
                    problems.push(self.display, line, None, format!("malformed csv: {error}"));
                }
            }
        }
    }

    /// Accepts rows with fewer fields than the header (missing fields read as empty).
    pub(super) fn allow_short_rows(&mut self) {
        self.short_rows_allowed = true;
    }

    pub(super) fn report_progress(&mut self) {
        let bytes = self.reader.position().byte();
        self.progress
            .advance(bytes.saturating_sub(self.reported_bytes));
        self.reported_bytes = bytes;
        self.since_report = 0;
    }

    /// The line where the current record starts (1-based, counting the header).
    pub(super) fn line(&self) -> u64 {
        self.record.position().map_or(0, |position| position.line())
    }

    /// The trimmed value of column number `column` (required columns first, then optional).
    pub(super) fn get(&self, column: usize) -> &str {
        if column >= self.columns.positions.len() {
            return "";
        }
        self.columns.get(&self.record, column)
    }
}
