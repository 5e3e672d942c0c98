//! COB notices: parsing CSV and JSON-lines files with UniLav or regional column names, checking
//! every row, and importing them idempotently.
//!
//! The header mapping is chosen once per file from [`COLUMNS`]: the official UniLav element names
//! (`CodiceComunicazione`, `DataInizio`, `CodCausa` …) and the regional/SIL column names
//! (`CODICE_COMUNICAZIONE_REG`, `DT_INIZIO_RAPPORTO`, `CODMVCESSAZIONE` …), compared
//! case-insensitively. Unknown columns are ignored and listed in the report.
//!
//! Checks, each reported as `file:line: field: message` (never echoing a codice fiscale): codice
//! fiscale checksums, required fields per event, codes unknown to (or not valid on the date in) the
//! versioned code tables, dates out of order, duplicate `CodiceComunicazione` within the file, a
//! proroga/trasformazione/cessazione with no hiring for its rapporto (worker, employer, start) in
//! the store or the file, and a rettifica or annullamento pointing to no notice. A file with
//! problems changes nothing unless `skip_invalid` is set.
//!
//! Streaming: one thread parses and checks while the caller's thread writes batches through one
//! prepared statement in one transaction, and hands each written batch back to be freed and
//! reused where its strings were allocated. Into a store without notices the transaction is a bulk
//! load (the store's `write_bulk`). Memory is bounded by the batch channel plus two sets
//! of 64-bit hashes (notice codes, rapporto keys: 16 bytes per notice before set overhead).

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::codes::{CodeEffect, CodeScheme, CodeStatus, CodeTables};
use crate::model::{CodiceFiscale, Sex};
use crate::outreach::sql;
use crate::store::db::Db;
use crate::{Engine, Error, ErrorCode, InputProblem, Problems, Progress, Result};

mod columns;
mod keys;
mod row;

pub use columns::COLUMNS;
use columns::{canonical, field_for_column, Field, HeaderMap, FIELD_COUNT};
pub(crate) use keys::{code_hash, file_name, rapporto_hash, HashSet64};
pub use keys::{from_days, parse_date, to_days};
use row::RowParser;

/// The Ministry communication type (`TipoComunicazione`, `01`–`09`). What each code does
/// (an event of its own, a rettifica, an annullamento, the regularisation of an urgenza) is read
/// from the `TipoComunicazione` code table ([`super::codes::CodeEffect`]), never decided here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RecordKind(u8);

impl RecordKind {
    /// `01`, the ordinary notice.
    pub const ORDINARIA: RecordKind = RecordKind(1);
    /// `03`, the rettifica in the shipped tables.
    pub const RETTIFICA: RecordKind = RecordKind(3);
    /// `04`, the annullamento in the shipped tables.
    pub const ANNULLAMENTO: RecordKind = RecordKind(4);

    /// The stored number (the code's value).
    pub fn as_i64(self) -> i64 {
        i64::from(self.0)
    }
    /// From the stored number.
    pub fn from_i64(value: i64) -> Option<Self> {
        u8::try_from(value)
            .ok()
            .filter(|value| (1..=99).contains(value))
            .map(RecordKind)
    }
    /// The two-digit code (`"03"`), as in the code table.
    pub fn code(self) -> &'static str {
        // Every two-digit code, so that the check of millions of rows formats nothing.
        const CODES: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
        let at = 2 * usize::from(self.0.min(99));
        &CODES[at..at + 2]
    }
    fn parse(raw: &str) -> Option<Self> {
        if raw.is_empty() || raw.len() > 2 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        raw.parse::<i64>().ok().and_then(Self::from_i64)
    }
}

/// The event a notice reports (regional 3-letter type, `TipoEvento`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EventType {
    /// `ASS` assunzione (hiring): opens a rapporto.
    Assunzione,
    /// `URG` urgenza: a hiring sent with the urgent procedure (start and worker only); opens a
    /// rapporto that the later full notice regularises.
    Urgenza,
    /// `PRO` proroga (extension): moves the planned end to `DataFineProroga`.
    Proroga,
    /// `TRS` trasformazione: what it does is the `CodTrasformazione`'s effect.
    Trasformazione,
    /// `TRD` trasferimento or distacco: the worker moves to another workplace or is seconded;
    /// the rapporto and its end date go on.
    TrasferimentoDistacco,
    /// `VAR` variazione datore: the employer's name changes or the business is transferred; the
    /// rapporto goes on with the employer of the notice.
    Variazione,
    /// `CES` cessazione (termination).
    Cessazione,
}

impl EventType {
    /// The stored number (1 ASS, 2 PRO, 3 TRS, 4 CES, 5 URG, 6 VAR, 7 TRD).
    pub fn as_i64(self) -> i64 {
        match self {
            EventType::Assunzione => 1,
            EventType::Proroga => 2,
            EventType::Trasformazione => 3,
            EventType::Cessazione => 4,
            EventType::Urgenza => 5,
            EventType::Variazione => 6,
            EventType::TrasferimentoDistacco => 7,
        }
    }
    /// From the stored number.
    pub fn from_i64(value: i64) -> Option<Self> {
        match value {
            1 => Some(EventType::Assunzione),
            2 => Some(EventType::Proroga),
            3 => Some(EventType::Trasformazione),
            4 => Some(EventType::Cessazione),
            5 => Some(EventType::Urgenza),
            6 => Some(EventType::Variazione),
            7 => Some(EventType::TrasferimentoDistacco),
            _ => None,
        }
    }
    /// `ASS`, `URG`, `PRO`, `TRS`, `TRD`, `VAR` or `CES`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Assunzione => "ASS",
            EventType::Urgenza => "URG",
            EventType::Proroga => "PRO",
            EventType::Trasformazione => "TRS",
            EventType::TrasferimentoDistacco => "TRD",
            EventType::Variazione => "VAR",
            EventType::Cessazione => "CES",
        }
    }
    /// True for the events that open a rapporto (ASS, URG).
    pub fn is_hiring(self) -> bool {
        matches!(self, EventType::Assunzione | EventType::Urgenza)
    }
    fn parse(raw: &str) -> Option<Self> {
        match raw.to_ascii_uppercase().as_str() {
            "ASS" => Some(EventType::Assunzione),
            "URG" => Some(EventType::Urgenza),
            "PRO" => Some(EventType::Proroga),
            "TRS" => Some(EventType::Trasformazione),
            "TRD" => Some(EventType::TrasferimentoDistacco),
            "VAR" => Some(EventType::Variazione),
            "CES" => Some(EventType::Cessazione),
            _ => None,
        }
    }
}

/// One checked COB notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// `CodiceComunicazione`.
    pub code: String,
    /// `CodiceComunicazionePrecedente`: the notice a rettifica, annullamento or regularisation
    /// replaces, or the earlier notice of the same rapporto that a proroga, trasformazione,
    /// cessazione … continues.
    pub previous: Option<String>,
    /// `TipoComunicazione`.
    pub kind: RecordKind,
    /// ASS/URG/PRO/TRS/TRD/VAR/CES.
    pub event: EventType,
    /// `DataInvio`.
    pub sent: NaiveDate,
    /// The worker's `CodFiscale`.
    pub worker: CodiceFiscale,
    /// `Sesso`.
    pub sex: Option<Sex>,
    /// `DataNascita`.
    pub birth: Option<NaiveDate>,
    /// `ComuneDomicilio` (codice catastale).
    pub domicile: Option<String>,
    /// The employer's `CodFiscale`.
    pub employer: CodiceFiscale,
    /// `DataInizio` of the rapporto.
    pub start: NaiveDate,
    /// `DataFine` (fixed-term contracts).
    pub planned_end: Option<NaiveDate>,
    /// `DataFineProroga`.
    pub extension_end: Option<NaiveDate>,
    /// `DataTrasformazione`.
    pub transformation_date: Option<NaiveDate>,
    /// `CodTrasformazione`.
    pub transformation: Option<String>,
    /// `DataCessazione`.
    pub termination_date: Option<NaiveDate>,
    /// `CodCausa`.
    pub termination_reason: Option<String>,
    /// `TipologiaContrattuale`.
    pub contract_type: Option<String>,
    /// `QualificaProfessionaleIstat` (CP2011 with the Ministry's 6th segment).
    pub qualifica: Option<String>,
    /// `Settore` (ATECO 2007).
    pub sector: Option<String>,
    /// `ComuneSedeLavoro` (codice catastale).
    pub workplace: Option<String>,
}

impl Notice {
    /// The date the event takes effect (hiring start, transformation, transfer, termination;
    /// sending date for an extension).
    pub fn effective_date(&self) -> NaiveDate {
        match self.event {
            EventType::Assunzione | EventType::Urgenza => self.start,
            EventType::Proroga => self.sent.max(self.start),
            EventType::Trasformazione
            | EventType::TrasferimentoDistacco
            | EventType::Variazione => self.transformation_date.unwrap_or(self.sent),
            EventType::Cessazione => self.termination_date.unwrap_or(self.sent),
        }
    }
}

/// Options of a COB import.
#[derive(Debug, Clone, Copy, Default)]
pub struct CobImportOptions {
    /// Import the valid notices and report the others, instead of importing nothing.
    pub skip_invalid: bool,
    /// How the file is read (encoding, longest line).
    pub text: crate::input::TextOptions,
    /// Today, for the check that no notice was sent in the future (None = the engine's today).
    pub today: Option<NaiveDate>,
}

/// What a COB import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CobImportReport {
    /// Data rows read.
    pub rows: u64,
    /// Notices newly stored.
    pub inserted: u64,
    /// Notices whose `CodiceComunicazione` was already stored (idempotent re-import).
    pub already_present: u64,
    /// Problems of the skipped rows (with `skip_invalid`; capped).
    pub skipped: Vec<InputProblem>,
    /// How many rows were skipped in all.
    pub skipped_rows: u64,
    /// Columns that map to no notice field.
    pub ignored_columns: Vec<String>,
    /// Notices of a rapporto whose hiring is in neither the store nor the file (normal in a period
    /// extract: the rapporto's start is known only from `DataInizio`).
    pub without_hiring: u64,
    /// Rettifiche, annullamenti and regularisations whose target is in neither the store nor the
    /// file (a notice from before the extract; the rettifica stands as the current version).
    pub unresolved_references: u64,
    /// Campaign placements newly confirmed by the imported hiring notices.
    pub placements_confirmed: u64,
    /// Wall time.
    #[serde(skip)]
    pub elapsed: Duration,
}

/// File format of a COB file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CobFormat {
    /// Comma- or semicolon-separated values with a header line.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

impl CobFormat {
    /// Guesses the format from the file extension (`.jsonl`, `.ndjson`, `.json` → JSON lines).
    pub fn from_path(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl" | "ndjson" | "json") => CobFormat::JsonLines,
            _ => CobFormat::Csv,
        }
    }
}

/// A pending reference check, resolved at the end of the file (the target may come later).
struct Pending {
    /// Hash of the rapporto key (hiring) or of the notice code (reference).
    target: u64,
    /// Hash of the earlier notice this one continues, if any.
    previous: u64,
    reference: bool,
}

/// What the parsing thread hands back.
struct ParseOutcome {
    rows: u64,
    problems: Problems,
    invalid_rows: u64,
    without_hiring: u64,
    unresolved_references: u64,
    ignored_columns: Vec<String>,
    /// The new notices per worker, for the summaries (when they are current).
    histories: Option<super::summary::Histories>,
}

const BATCH: usize = 4096;

/// Known codes and rapporto keys of the store and the file so far.
struct Known {
    codes: HashSet64,
    hires: HashSet64,
}

struct Streamer<'a> {
    file: String,
    parser: RowParser<'a>,
    known: Known,
    file_codes: HashSet64,
    pending: Vec<Pending>,
    problems: Problems,
    invalid_rows: u64,
    rows: u64,
    batch: Vec<Notice>,
    sender: mpsc::SyncSender<Vec<Notice>>,
    /// Batches the writer is done with, dropped and reused here: their strings were allocated
    /// by this thread, and freeing them on the writer's thread cost it about 5 % of its time.
    written: mpsc::Receiver<Vec<Notice>>,
    skip_invalid: bool,
    histories: Option<super::summary::Histories>,
}

impl Streamer<'_> {
    fn accept<'r>(&mut self, line: u64, get: impl Fn(Field) -> Option<&'r str>) {
        self.rows += 1;
        let before = self.problems.total;
        let Some(notice) = self.parser.parse(line, get, &mut self.problems) else {
            self.invalid_rows += 1;
            return;
        };
        debug_assert_eq!(before, self.problems.total);
        let hash = code_hash(&notice.code);
        if !self.file_codes.insert(hash) {
            self.problems.push(
                &self.file,
                line,
                Some(canonical(Field::Code)),
                "duplicate notice: an earlier line has the same CodiceComunicazione",
            );
            self.invalid_rows += 1;
            return;
        }
        // A period extract holds cessazioni, proroghe … whose hiring predates it, and
        // rettifiche of notices sent before it: they are kept and counted, never refused.
        let rapporto = rapporto_hash(
            notice.worker.as_str(),
            notice.employer.as_str(),
            notice.start,
        );
        let previous = notice.previous.as_deref().map_or(0, code_hash);
        if notice.event.is_hiring() {
            self.known.hires.insert(rapporto);
        } else if !self.known.hires.contains(&rapporto) {
            self.pending.push(Pending {
                target: rapporto,
                previous,
                reference: false,
            });
        }
        let replaces = matches!(
            self.parser.codes.effect(
                CodeScheme::TipoComunicazione,
                notice.kind.code(),
                notice.sent
            ),
            Some(CodeEffect::Rettifica | CodeEffect::Annullamento | CodeEffect::Regularises)
        );
        if replaces && previous != 0 {
            self.pending.push(Pending {
                target: previous,
                previous: 0,
                reference: true,
            });
        }
        // Without skip_invalid a file with problems writes nothing: stop feeding the writer.
        if self.skip_invalid || self.problems.is_empty() {
            if let Some(histories) = &mut self.histories {
                // Only notices new to the store change a worker's spells.
                if !self.known.codes.contains(&hash) {
                    histories.add(&notice);
                }
            }
            self.batch.push(notice);
            if self.batch.len() >= BATCH {
                let next = match self.written.try_recv() {
                    Ok(mut written) => {
                        written.clear();
                        written
                    }
                    Err(_) => Vec::with_capacity(BATCH),
                };
                let batch = std::mem::replace(&mut self.batch, next);
                let _ = self.sender.send(batch);
            }
        }
    }

    fn finish(mut self, ignored_columns: Vec<String>) -> ParseOutcome {
        if !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            let _ = self.sender.send(batch);
        }
        let mut without_hiring = 0;
        let mut unresolved_references = 0;
        for pending in std::mem::take(&mut self.pending) {
            let known_code =
                |hash: u64| self.known.codes.contains(&hash) || self.file_codes.contains(&hash);
            if pending.reference {
                if !known_code(pending.target) {
                    unresolved_references += 1;
                }
            } else if !self.known.hires.contains(&pending.target)
                && (pending.previous == 0 || !known_code(pending.previous))
            {
                without_hiring += 1;
            }
        }
        ParseOutcome {
            rows: self.rows,
            problems: self.problems,
            invalid_rows: self.invalid_rows,
            without_hiring,
            unresolved_references,
            ignored_columns,
            histories: self.histories,
        }
    }
}

/// Progress is reported every this many bytes.
const PROGRESS_STEP: u64 = 1 << 20;

fn stream_csv(
    input: impl std::io::Read,
    path: &Path,
    text_options: crate::input::TextOptions,
    streamer: &mut Streamer<'_>,
    progress: &dyn Progress,
) -> Result<Vec<String>> {
    // Pick the delimiter from the header line (comma or semicolon, as regional exports use).
    let mut head = BufReader::with_capacity(1 << 20, input);
    let delimiter = {
        let buffer = head.fill_buf().map_err(|source| Error::io(path, source))?;
        let first_line = buffer.split(|&b| b == b'\n').next().unwrap_or_default();
        let semicolons = first_line.iter().filter(|&&b| b == b';').count();
        let commas = first_line.iter().filter(|&&b| b == b',').count();
        if semicolons > commas {
            b';'
        } else {
            b','
        }
    };
    // Every line is checked (length, NUL bytes, encoding) before the csv parser sees it.
    let checked = crate::input::CheckedReader::new(head, text_options);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(checked);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| crate::input::csv_error(&streamer.file, path, error))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let Some(map) = HeaderMap::build(&headers, &streamer.file.clone(), &mut streamer.problems)
    else {
        return Ok(Vec::new());
    };
    let mut record = csv::ByteRecord::new();
    let mut reported = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) if crate::input::csv_text_error(&error).is_some() => {
                // Not text, or a line over the limit: the file cannot be read on.
                return Err(crate::input::csv_error(&streamer.file, path, error));
            }
            Err(error) => {
                let line = error.position().map(|p| p.line()).unwrap_or(0);
                streamer.problems.push(
                    &streamer.file.clone(),
                    line,
                    None,
                    format!("malformed row: {error}"),
                );
                streamer.invalid_rows += 1;
                if matches!(error.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.len() > headers.len() {
            // A row with more fields than the header has columns is misaligned: no field of
            // it can be trusted.
            streamer.rows += 1;
            streamer.invalid_rows += 1;
            let file = streamer.file.clone();
            streamer.problems.push(
                &file,
                line,
                None,
                format!(
                    "{} fields, but the header has {} columns",
                    record.len(),
                    headers.len()
                ),
            );
            continue;
        }
        let columns = map.columns;
        let record_ref = &record;
        let get = |field: Field| -> Option<&str> {
            let index = columns[field as usize]?;
            std::str::from_utf8(record_ref.get(index)?).ok()
        };
        streamer.accept(line, get);
        let byte = record.position().map(|p| p.byte()).unwrap_or(0);
        if byte - reported >= PROGRESS_STEP {
            progress.advance(byte - reported);
            reported = byte;
        }
    }
    Ok(map.ignored)
}

fn stream_json_lines(
    input: impl std::io::Read,
    path: &Path,
    text_options: crate::input::TextOptions,
    streamer: &mut Streamer<'_>,
    progress: &dyn Progress,
) -> Result<Vec<String>> {
    let checked =
        crate::input::CheckedReader::new(BufReader::with_capacity(1 << 20, input), text_options);
    let reader = BufReader::with_capacity(1 << 16, checked);
    let mut ignored: Vec<String> = Vec::new();
    let mut mapping: std::collections::HashMap<String, Option<Field>> = Default::default();
    let mut pending_bytes = 0u64;
    for (index, line_text) in reader.lines().enumerate() {
        let line = index as u64 + 1;
        let text =
            line_text.map_err(|error| crate::input::io_error(&streamer.file, path, error))?;
        pending_bytes += text.len() as u64 + 1;
        if pending_bytes >= PROGRESS_STEP {
            progress.advance(pending_bytes);
            pending_bytes = 0;
        }
        if text.trim().is_empty() {
            continue;
        }
        let object: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(&text) {
            Ok(object) => object,
            Err(error) => {
                streamer.rows += 1;
                streamer.invalid_rows += 1;
                let file = streamer.file.clone();
                streamer.problems.push(
                    &file,
                    line,
                    None,
                    format!("malformed JSON object: {error}"),
                );
                continue;
            }
        };
        let mut values: [Option<String>; FIELD_COUNT] = Default::default();
        let mut conflict = None;
        for (key, value) in &object {
            // The mapping of each key is decided once per file.
            let field = match mapping.get(key) {
                Some(field) => *field,
                None => {
                    let field = field_for_column(key);
                    mapping.insert(key.clone(), field);
                    field
                }
            };
            let Some(field) = field else {
                if !ignored.contains(key) && ignored.len() < 100 {
                    ignored.push(key.clone());
                }
                continue;
            };
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            if values[field as usize].is_some() {
                conflict = Some(field);
            }
            values[field as usize] = Some(text);
        }
        if let Some(field) = conflict {
            streamer.rows += 1;
            streamer.invalid_rows += 1;
            let file = streamer.file.clone();
            streamer.problems.push(
                &file,
                line,
                Some(canonical(field)),
                "two keys give this field: choose one",
            );
            continue;
        }
        streamer.accept(line, |field: Field| values[field as usize].as_deref());
    }
    Ok(ignored)
}

/// Where a COB import reads from: a name for problems, a path for I/O errors, the size when
/// known (for progress), and the bytes.
struct CobInput<'p, R> {
    name: String,
    path: &'p Path,
    size: Option<u64>,
    reader: R,
}

/// **Outreach (Cob23)**: importing COB notices and their code tables.
impl Engine {
    /// The COB code tables in the store; when none is imported yet, the tables shipped in
    /// `data/cob_codes.csv` are imported first.
    pub fn cob_code_tables(&self) -> Result<CodeTables> {
        let entries = self.store().read(sql::load_codes)?;
        // A store filled before the TipoComunicazione table existed gets the shipped one merged in.
        let complete = entries
            .iter()
            .any(|entry| entry.scheme == CodeScheme::TipoComunicazione);
        if complete {
            return Ok(CodeTables::new(entries));
        }
        let shipped = crate::records::demo_dir().join("cob_codes.csv");
        if !shipped.is_file() {
            return Err(Error::invalid(
                ErrorCode::NoCodeTables,
                "no COB code tables imported: run `incontro import cob-codes FILE`",
            ));
        }
        self.import_cob_codes(&shipped)?;
        Ok(CodeTables::new(self.store().read(sql::load_codes)?))
    }

    /// Imports (adds or replaces by scheme, code and start of validity) a code-table CSV file.
    pub fn import_cob_codes(&self, path: &Path) -> Result<usize> {
        let entries = super::codes::read_code_file(path)?;
        self.store().write(|tx| {
            for entry in &entries {
                sql::upsert_code(tx, entry)?;
            }
            Ok(entries.len())
        })
    }

    /// Imports a COB file (CSV, or JSON lines by extension): checked, streamed, idempotent by
    /// `CodiceComunicazione`, in one transaction. With problems nothing is written unless
    /// `options.skip_invalid`.
    pub fn import_cob(
        &self,
        path: &Path,
        options: &CobImportOptions,
        progress: &dyn Progress,
    ) -> Result<CobImportReport> {
        self.import_cob_as(path, CobFormat::from_path(path), options, progress)
    }

    /// [`Engine::import_cob`] with an explicit format.
    pub fn import_cob_as(
        &self,
        path: &Path,
        format: CobFormat,
        options: &CobImportOptions,
        progress: &dyn Progress,
    ) -> Result<CobImportReport> {
        let size = std::fs::metadata(path)
            .map_err(|source| Error::io(path, source))?
            .len();
        let input = crate::input::open_file(path)?;
        self.import_cob_stream(
            CobInput {
                name: file_name(path),
                path,
                size: Some(size),
                reader: input,
            },
            format,
            options,
            progress,
        )
    }

    /// [`Engine::import_cob_as`] from any reader (a web upload, an entry of a regional zip),
    /// named `name` in problems: the same checks, the same single transaction.
    pub fn import_cob_from(
        &self,
        name: &str,
        reader: impl std::io::Read + Send,
        format: CobFormat,
        options: &CobImportOptions,
        progress: &dyn Progress,
    ) -> Result<CobImportReport> {
        self.import_cob_stream(
            CobInput {
                name: name.to_string(),
                path: Path::new(name),
                size: None,
                reader,
            },
            format,
            options,
            progress,
        )
    }

    fn import_cob_stream<R: std::io::Read + Send>(
        &self,
        input: CobInput<'_, R>,
        format: CobFormat,
        options: &CobImportOptions,
        progress: &dyn Progress,
    ) -> Result<CobImportReport> {
        let started = Instant::now();
        let codes = self.cob_code_tables()?;
        let CobInput {
            name: file,
            path,
            size,
            reader: input,
        } = input;
        progress.start("checking stored notices", None);
        let (codes_known, mut hires_known) = self.store().read(sql::load_notice_keys)?;
        // The per-worker summaries are updated with the new notices when they are current,
        // else rebuilt from every notice at the end.
        let rules = super::spells::SpellRules::from_codes(&codes);
        let mut histories = self.store().read(|c| {
            if !super::summary::current(c, &rules)? {
                return Ok(None);
            }
            super::summary::Histories::load(c, rules.clone()).map(Some)
        })?;
        // About 145 bytes per notice: reserving avoids rehashing millions of keys.
        let expected_rows = (size.unwrap_or(0) / 120) as usize;
        hires_known.reserve(expected_rows / 2);
        if let Some(histories) = &mut histories {
            histories.reserve(expected_rows / 5);
        }
        progress.finish();
        let skip_invalid = options.skip_invalid;
        let text = options.text;
        let today = options.today.unwrap_or_else(|| self.today());
        // A store without notices takes the bulk path (each new page written once); the check
        // that counts is the one in the transaction.
        let empty_before = !self.store().read(sql::has_notices)?;
        let run = |tx: &Db<'_>| {
            // A store without notices (checked in the transaction): the summaries are built
            // from this file's notices as they stream, the same as rebuilding them from the
            // stored notices at the end, without reading millions of rows back.
            let empty = !sql::has_notices(tx)?;
            let fresh = histories.is_none() && empty;
            let histories = if fresh {
                let mut empty = super::summary::Histories::empty(rules.clone());
                empty.reserve(expected_rows / 5);
                Some(empty)
            } else {
                histories
            };
            let (sender, receiver) = mpsc::sync_channel::<Vec<Notice>>(8);
            let (done_sender, written) = mpsc::channel::<Vec<Notice>>();
            let codes = &codes;
            let file = &file;
            std::thread::scope(|scope| -> Result<CobImportReport> {
                let parser = scope.spawn(move || -> Result<ParseOutcome> {
                    let mut streamer = Streamer {
                        file: file.clone(),
                        parser: RowParser { file, codes, today },
                        known: Known {
                            codes: codes_known,
                            hires: hires_known,
                        },
                        file_codes: HashSet64::with_capacity_and_hasher(
                            expected_rows,
                            Default::default(),
                        ),
                        pending: Vec::new(),
                        problems: Problems::default(),
                        invalid_rows: 0,
                        rows: 0,
                        batch: Vec::with_capacity(BATCH),
                        sender,
                        written,
                        skip_invalid,
                        histories,
                    };
                    progress.start("importing COB notices", size);
                    let ignored = match format {
                        CobFormat::Csv => stream_csv(input, path, text, &mut streamer, progress),
                        CobFormat::JsonLines => {
                            stream_json_lines(input, path, text, &mut streamer, progress)
                        }
                    };
                    let ignored = match ignored {
                        Ok(ignored) => ignored,
                        Err(error) => {
                            drop(streamer);
                            return Err(error);
                        }
                    };
                    Ok(streamer.finish(ignored))
                });
                // Codes are unique within the file (a duplicate is a problem, never sent).
                let mut inserter = if empty {
                    sql::NoticeInserter::new_codes(tx)?
                } else {
                    sql::NoticeInserter::new(tx)?
                };
                let mut inserted = 0u64;
                let mut already_present = 0u64;
                let mut write_error = None;
                for batch in receiver {
                    if write_error.is_some() {
                        continue;
                    }
                    match inserter.insert_all(&batch) {
                        Ok(new) => {
                            inserted += new;
                            already_present += batch.len() as u64 - new;
                        }
                        Err(error) => write_error = Some(error),
                    }
                    let _ = done_sender.send(batch);
                }
                let outcome = parser
                    .join()
                    .map_err(|_| Error::Internal("the COB parser thread panicked".into()))??;
                progress.finish();
                if let Some(error) = write_error {
                    return Err(error);
                }
                if !outcome.problems.is_empty() && !skip_invalid {
                    return Err(Error::InvalidInput {
                        problems: outcome.problems.list,
                    });
                }
                progress.start("updating the summaries", None);
                // Checked again in the transaction: another import may have run meanwhile.
                let still_current = super::summary::current(tx, &rules)?;
                match outcome.histories {
                    Some(histories) if fresh && histories.notices() == inserted => {
                        crate::outreach::sql::summary::clear_summaries(tx)?;
                        histories.write(tx, false)?;
                    }
                    Some(histories) if histories.notices() == inserted && still_current => {
                        let merge = crate::outreach::sql::summary::has_summaries(tx)?;
                        histories.write(tx, merge)?;
                    }
                    _ => {
                        super::summary::rebuild(tx, &rules)?;
                    }
                }
                progress.finish();
                Ok(CobImportReport {
                    rows: outcome.rows,
                    inserted,
                    already_present,
                    skipped: outcome.problems.list,
                    skipped_rows: outcome.invalid_rows,
                    without_hiring: outcome.without_hiring,
                    unresolved_references: outcome.unresolved_references,
                    ignored_columns: outcome.ignored_columns,
                    placements_confirmed: 0,
                    elapsed: Duration::ZERO,
                })
            })
        };
        let report = if empty_before {
            self.store().write_bulk(run)?
        } else {
            self.store().write(run)?
        };
        let placements_confirmed = if report.inserted > 0 {
            self.after_cob_import()?
        } else {
            0
        };
        Ok(CobImportReport {
            elapsed: started.elapsed(),
            placements_confirmed,
            ..report
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 9).expect("day");
        assert_eq!(parse_date("2024-03-09"), Some(day));
        assert_eq!(parse_date("09/03/2024"), Some(day));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(from_days(to_days(day)), day);
        assert_eq!(
            to_days(NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")),
            0
        );
    }

    #[test]
    fn aliases_map_to_fields() {
        assert_eq!(field_for_column("DT_INIZIO_RAPPORTO"), Some(Field::Start));
        assert_eq!(field_for_column("codicecomunicazione"), Some(Field::Code));
        assert_eq!(
            field_for_column("CODMVCESSAZIONE"),
            Some(Field::TerminationReason)
        );
        assert_eq!(field_for_column("Cognome"), None);
        let mut problems = Problems::default();
        let headers: Vec<String> = ["CodiceComunicazione", "CODICE_COMUNICAZIONE_REG"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(HeaderMap::build(&headers, "f.csv", &mut problems).is_none());
        assert!(problems.list[0].message.contains("choose one"));
    }
}
