//! CSV importers of companies, vacancies, job seekers, courses and reference tables.
//!
//! Columns are documented in `docs/formats.md`. All files of one import are read and checked
//! first — codice fiscale and partita IVA checksums, levels 1–4, dates (`YYYY-MM-DD`), duplicate
//! ids, references to companies, vacancies, job seekers and courses, skill URIs against the
//! imported taxonomy — and every problem is reported with file, line and field. Only then is
//! everything written in one transaction. With problems, nothing is written unless
//! `skip_invalid` is set, in which case the rows with problems (and rows that depend on them) are
//! skipped and reported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::input::TextOptions;
use crate::model::{
    Citizenship, CodiceFiscale, Company, Competence, ComuneCode, Course, EducationLevel, EntityId,
    Evidence, GolPath, JobSeeker, Level, Modality, OccupationCode, OccupationUri, PartitaIva,
    PastJob, PersonalData, PlacementType, Requirement, Sex, Site, SkillUri, Vacancy, VacancySource,
    VacancyStatus, Weight, WorkConditions,
};
use crate::records::sql;
use crate::{Engine, Error, ErrorCode, InputProblem, Problems, Result};

mod parse;

use parse::{parse_all, Parsed};

/// Options of a records import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Import the valid rows and report the others, instead of importing nothing.
    pub skip_invalid: bool,
}

/// What a records import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Rows imported per file kind.
    pub imported: BTreeMap<String, u64>,
    /// Problems of skipped rows (with `skip_invalid`).
    pub skipped: Vec<InputProblem>,
    /// Skill URIs that could not be checked because no taxonomy is imported.
    pub unchecked_uris: u64,
    /// Validated vacancies whose breakdown a `requirements.csv` given without `vacancies.csv`
    /// changed: they went back to draft, to be validated again (as `set_requirements` does).
    pub back_to_draft: Vec<String>,
}

/// The files of one import; any may be absent.
#[derive(Debug, Clone, Default)]
pub struct RecordFiles {
    /// `comuni.csv`.
    pub comuni: Option<PathBuf>,
    /// `cp2011_isco.csv`.
    pub crosswalk: Option<PathBuf>,
    /// `companies.csv`.
    pub companies: Option<PathBuf>,
    /// `vacancies.csv`.
    pub vacancies: Option<PathBuf>,
    /// `requirements.csv`.
    pub requirements: Option<PathBuf>,
    /// `job_seekers.csv`.
    pub job_seekers: Option<PathBuf>,
    /// `competences.csv`.
    pub competences: Option<PathBuf>,
    /// `work_history.csv`.
    pub work_history: Option<PathBuf>,
    /// `courses.csv`.
    pub courses: Option<PathBuf>,
    /// `course_skills.csv`.
    pub course_skills: Option<PathBuf>,
    /// `courses.json` (courses with nested `teaches`).
    pub courses_json: Option<PathBuf>,
    /// How the files are read (encoding, longest line).
    pub text: TextOptions,
    /// The contents of files that arrived as bytes ([`RecordFiles::from_zip`]), by the path
    /// their field names; the others are read from disk.
    pub uploaded: InMemoryFiles,
}

/// File contents held in memory, by path (see [`RecordFiles::from_zip`]).
#[derive(Debug, Clone, Default)]
pub struct InMemoryFiles(BTreeMap<PathBuf, Vec<u8>>);

/// The largest record archive read into memory.
pub const MAX_RECORD_ZIP_BYTES: u64 = 1 << 30;

/// The standard names of the record files, in the order they are read.
pub const RECORD_FILE_NAMES: [&str; 11] = [
    "comuni.csv",
    "cp2011_isco.csv",
    "companies.csv",
    "vacancies.csv",
    "requirements.csv",
    "job_seekers.csv",
    "competences.csv",
    "work_history.csv",
    "courses.csv",
    "course_skills.csv",
    "courses.json",
];

impl RecordFiles {
    /// The files with their standard names that exist in `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        let pick = |name: &str| Some(dir.join(name)).filter(|path| path.is_file());
        RecordFiles {
            comuni: pick("comuni.csv"),
            crosswalk: pick("cp2011_isco.csv"),
            companies: pick("companies.csv"),
            vacancies: pick("vacancies.csv"),
            requirements: pick("requirements.csv"),
            job_seekers: pick("job_seekers.csv"),
            competences: pick("competences.csv"),
            work_history: pick("work_history.csv"),
            courses: pick("courses.csv"),
            course_skills: pick("course_skills.csv"),
            courses_json: pick("courses.json"),
            text: TextOptions::default(),
            uploaded: InMemoryFiles::default(),
        }
    }

    /// The record files of a folder, which must exist and hold at least one of
    /// [`RECORD_FILE_NAMES`]: a missing path (`no_such_folder`), a file (`not_a_folder`) or a
    /// folder with nothing importable (`nothing_to_import`) is an error.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let metadata = std::fs::metadata(dir).map_err(|_| {
            Error::invalid(
                ErrorCode::NoSuchFolder,
                format!("{}: no such folder", dir.display()),
            )
        })?;
        if !metadata.is_dir() {
            return Err(Error::invalid(
                ErrorCode::NotAFolder,
                format!(
                    "{} is a file: give the folder that holds the record files ({})",
                    dir.display(),
                    RECORD_FILE_NAMES.join(", ")
                ),
            ));
        }
        let files = RecordFiles::in_dir(dir);
        if files.is_empty() {
            return Err(nothing_to_import(Some(dir)));
        }
        Ok(files)
    }

    /// The record files of a zip archive read from `reader` (a web upload, a zip entry), named
    /// `name` in problems: entries with the standard names ([`RECORD_FILE_NAMES`]), in any
    /// folder of the archive, are read into memory (at most 1 GiB in all); other entries are
    /// ignored. An archive with two entries of one name, or none importable, is an error.
    pub fn from_zip(name: &str, reader: impl std::io::Read) -> Result<Self> {
        use std::io::Read as _;
        let bad = |error: zip::result::ZipError| {
            Error::invalid(
                ErrorCode::BadRecordZip,
                format!("{name}: not a readable zip file: {error}"),
            )
        };
        let bytes =
            crate::input::read_bounded(name, reader, MAX_RECORD_ZIP_BYTES, "a record archive")?;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
        let mut files = RecordFiles::default();
        let mut left = MAX_RECORD_ZIP_BYTES;
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).map_err(bad)?;
            if entry.is_dir() {
                continue;
            }
            let entry_path = entry.name().map_err(bad)?.to_string();
            let base = entry_path.rsplit('/').next().unwrap_or(&entry_path);
            let Some(slot) = files.slot(base) else {
                continue;
            };
            let path = PathBuf::from(format!("{name}/{entry_path}"));
            if let Some(earlier) = slot.replace(path.clone()) {
                return Err(Error::invalid(
                    ErrorCode::BadRecordZip,
                    format!(
                        "{name}: two record files named {base} ({} and {entry_path})",
                        earlier.display()
                    ),
                ));
            }
            let mut content = Vec::new();
            (&mut entry)
                .take(left + 1)
                .read_to_end(&mut content)
                .map_err(|source| Error::io(&path, source))?;
            if content.len() as u64 > left {
                return Err(Error::TooLarge {
                    message: format!("{name}: record files over {MAX_RECORD_ZIP_BYTES} bytes"),
                });
            }
            left -= content.len() as u64;
            files.uploaded.0.insert(path, content);
        }
        if files.is_empty() {
            return Err(nothing_to_import(Some(Path::new(name))));
        }
        Ok(files)
    }

    /// The field of the standard file name `base`.
    fn slot(&mut self, base: &str) -> Option<&mut Option<PathBuf>> {
        Some(match base {
            "comuni.csv" => &mut self.comuni,
            "cp2011_isco.csv" => &mut self.crosswalk,
            "companies.csv" => &mut self.companies,
            "vacancies.csv" => &mut self.vacancies,
            "requirements.csv" => &mut self.requirements,
            "job_seekers.csv" => &mut self.job_seekers,
            "competences.csv" => &mut self.competences,
            "work_history.csv" => &mut self.work_history,
            "courses.csv" => &mut self.courses,
            "course_skills.csv" => &mut self.course_skills,
            "courses.json" => &mut self.courses_json,
            _ => return None,
        })
    }

    /// The text of the file at `path` (named `name` in problems), from memory when it arrived
    /// as bytes, else from disk, through the same text checks.
    fn read_text(&self, path: &Path, name: &str) -> Result<String> {
        use std::io::Read as _;
        match self.uploaded.0.get(path) {
            Some(bytes) => {
                let mut reader = crate::input::CheckedReader::new(bytes.as_slice(), self.text);
                let mut text = String::new();
                reader
                    .read_to_string(&mut text)
                    .map_err(|error| crate::input::io_error(name, path, error))?;
                Ok(text)
            }
            None => crate::input::read_text(path, name, self.text),
        }
    }

    /// True when no file is given.
    pub fn is_empty(&self) -> bool {
        [
            &self.comuni,
            &self.crosswalk,
            &self.companies,
            &self.vacancies,
            &self.requirements,
            &self.job_seekers,
            &self.competences,
            &self.work_history,
            &self.courses,
            &self.course_skills,
            &self.courses_json,
        ]
        .iter()
        .all(|file| file.is_none())
    }
}

fn nothing_to_import(dir: Option<&Path>) -> Error {
    let place = dir.map_or_else(
        || "no record file given".to_string(),
        |dir| format!("{} holds no record file", dir.display()),
    );
    Error::invalid(
        ErrorCode::NothingToImport,
        format!("{place}: expected any of {}", RECORD_FILE_NAMES.join(", ")),
    )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a CSV file into typed rows `(line, row)`, reporting a wrong header or malformed rows.
///
/// The file is read through [`crate::input::CheckedReader`] (longest line, NUL bytes, encoding):
/// a problem there is an error naming the file and line, whatever `skip_invalid` says.
fn read_rows<T: for<'de> Deserialize<'de>>(
    files: &RecordFiles,
    path: &Path,
    expected: &[&str],
    problems: &mut Problems,
) -> Result<Vec<(u64, T)>> {
    read_rows_with(files, path, expected, &[], problems)
}

/// [`read_rows`] with columns that may be left out (`optional_columns`; their fields are
/// `Option`s in the row type).
fn read_rows_with<T: for<'de> Deserialize<'de>>(
    files: &RecordFiles,
    path: &Path,
    expected: &[&str],
    optional_columns: &[&str],
    problems: &mut Problems,
) -> Result<Vec<(u64, T)>> {
    let name = file_name(path);
    let bytes = files.read_text(path, &name)?.into_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    // File line of a byte offset, counted from the newlines themselves: the csv crate's own
    // line counter differs between LF and CRLF files (it was one too high on LF files).
    // See: issue 4
    let mut counted = (0usize, 1u64);
    let mut line_at = |byte: u64| -> u64 {
        let mut byte = (byte as usize).min(bytes.len());
        // On CRLF files the csv crate places a record at the LF that ends the previous line.
        while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
            byte += 1;
        }
        let (from, line) = counted;
        if byte < from {
            return 1 + memchr::memchr_iter(b'\n', &bytes[..byte]).count() as u64;
        }
        let line = line + memchr::memchr_iter(b'\n', &bytes[from..byte]).count() as u64;
        counted = (byte, line);
        line
    };
    let headers = reader
        .headers()
        .map_err(|error| Error::invalid(ErrorCode::MalformedCsv, format!("{name}: {error}")))?
        .clone();
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|column| !headers.iter().any(|h| h == *column))
        .collect();
    if !missing.is_empty() {
        problems.push(
            &name,
            1,
            None,
            format!("wrong header: missing column(s) {}", missing.join(", ")),
        );
        return Ok(Vec::new());
    }
    let unknown: Vec<&str> = headers
        .iter()
        .filter(|h| !expected.contains(h) && !optional_columns.contains(h))
        .collect();
    if !unknown.is_empty() {
        problems.push(
            &name,
            1,
            None,
            format!("wrong header: unknown column(s) {}", unknown.join(", ")),
        );
        return Ok(Vec::new());
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|p| line_at(p.byte())).unwrap_or(0);
                problems.push(&name, line, None, format!("malformed CSV: {error}"));
                continue;
            }
        };
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        match record.deserialize::<T>(Some(&headers)) {
            Ok(row) => rows.push((line, row)),
            Err(error) => problems.push(&name, line, None, format!("malformed row: {error}")),
        }
    }
    Ok(rows)
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            ErrorCode::InvalidDate,
            format!("date must be YYYY-MM-DD, got {:?}", text.trim()),
        )
    })
}

fn optional(text: &Option<String>) -> Option<&str> {
    text.as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

fn parse_bool(text: &str) -> Result<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "si" | "sì" => Ok(true),
        "false" | "0" | "no" | "" => Ok(false),
        other => Err(Error::invalid(
            ErrorCode::InvalidBoolean,
            format!("expected true/false, got {other:?}"),
        )),
    }
}

/// A row checker: runs field parsers and records the first failure of each field.
struct RowCheck<'p> {
    file: String,
    line: u64,
    problems: &'p mut Problems,
    ok: bool,
}

impl RowCheck<'_> {
    fn field<T>(&mut self, field: &str, value: Result<T>) -> Option<T> {
        match value {
            Ok(value) => Some(value),
            Err(error) => {
                self.problems
                    .push(&self.file, self.line, Some(field), error.to_string());
                self.ok = false;
                None
            }
        }
    }
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.problems
            .push(&self.file, self.line, Some(field), message);
        self.ok = false;
    }
}

/// **Records**: importing record files (CSV or JSON) in one checked transaction.
impl Engine {
    /// Imports the given record files in one transaction (see the module documentation).
    pub fn import_records(
        &self,
        files: &RecordFiles,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        if files.is_empty() {
            return Err(nothing_to_import(None));
        }
        let taxonomy = self.taxonomy()?;
        let known_skill = |uri: &str| -> Option<bool> {
            if taxonomy.skill_count() == 0 {
                None
            } else {
                Some(taxonomy.skill_idx(uri).is_some())
            }
        };
        let existing_companies: HashSet<String> = self.store().read(|c| {
            Ok(sql::list_companies(c, usize::MAX >> 1, 0)?
                .into_iter()
                .map(|c| c.id.to_string())
                .collect())
        })?;
        let mut problems = Problems::default();
        // Files given without their parent file refer to stored records (a
        // `competences.csv` alone for people already in the store, …). See: issue 14
        let stored_vacancy = |id: &str| self.store().read(|c| sql::get_vacancy(c, id));
        let stored_seeker = |id: &str| self.store().read(|c| sql::get_job_seeker(c, id));
        let stored_courses = || self.list_courses();
        let stored = parse::Stored {
            vacancy: &stored_vacancy,
            seeker: &stored_seeker,
            courses: &stored_courses,
        };
        let parsed = parse_all(
            files,
            &known_skill,
            &existing_companies,
            &stored,
            &mut problems,
        )?;
        if !problems.is_empty() && !options.skip_invalid {
            return Err(Error::InvalidInput {
                problems: problems.list,
            });
        }
        let mut report = ImportReport {
            skipped: problems.list,
            unchecked_uris: parsed.unchecked,
            back_to_draft: parsed.back_to_draft.clone(),
            ..Default::default()
        };
        self.store().write(|tx| {
            for (code, name, province, lat, lon) in &parsed.comuni {
                sql::upsert_comune(tx, code, name, province, *lat, *lon)?;
            }
            for (cp, isco) in &parsed.crosswalk {
                sql::upsert_crosswalk(tx, cp, isco)?;
            }
            for company in &parsed.companies {
                sql::upsert_company(tx, company)?;
            }
            for vacancy in &parsed.vacancies {
                sql::upsert_vacancy(tx, vacancy)?;
            }
            for (seeker, personal) in &parsed.seekers {
                if let Some(personal) = personal {
                    if let Some(owner) = sql::find_job_seeker_by_cf(tx, &personal.codice_fiscale)? {
                        if owner != seeker.id.as_str() {
                            return Err(Error::conflict(
                                ErrorCode::DuplicateCodiceFiscale,
                                format!("job seeker {}: codice fiscale already belongs to job seeker {owner}", seeker.id),
                            ));
                        }
                    }
                }
                sql::upsert_job_seeker(tx, seeker, personal.as_ref())?;
            }
            for course in &parsed.courses {
                sql::upsert_course(tx, course)?;
            }
            sql::bump_revision(tx, &import_changes(&parsed))?;
            Ok(())
        })?;
        self.match_state_after_write();
        for (kind, count) in [
            ("comuni", parsed.comuni.len()),
            ("crosswalk", parsed.crosswalk.len()),
            ("companies", parsed.companies.len()),
            ("vacancies", parsed.vacancies.len()),
            ("job_seekers", parsed.seekers.len()),
            ("courses", parsed.courses.len()),
        ] {
            report.imported.insert(kind.to_string(), count as u64);
        }
        Ok(report)
    }
}

/// What an import changed for the matching state: each vacancy, person and course, or
/// everything when comuni or the crosswalk changed (distances and inferred profiles of anyone)
/// or the import is so large that a rebuild is cheaper than the journal.
fn import_changes(parsed: &Parsed) -> Vec<sql::Change> {
    const MAX_JOURNALLED: usize = 20_000;
    let objects = parsed.vacancies.len() + parsed.seekers.len() + parsed.courses.len();
    if !parsed.comuni.is_empty() || !parsed.crosswalk.is_empty() || objects > MAX_JOURNALLED {
        return vec![sql::Change::Everything];
    }
    let vacancies = parsed
        .vacancies
        .iter()
        .map(|vacancy| sql::Change::Vacancy(vacancy.id.to_string()));
    let seekers = parsed
        .seekers
        .iter()
        .map(|(seeker, _)| sql::Change::JobSeeker(seeker.id.to_string()));
    let courses = parsed
        .courses
        .iter()
        .map(|course| sql::Change::Course(course.id.to_string()));
    vacancies.chain(seekers).chain(courses).collect()
}

fn check_skill(
    check: &mut RowCheck<'_>,
    raw: &str,
    known: &dyn Fn(&str) -> Option<bool>,
    unchecked: &mut u64,
) -> Option<SkillUri> {
    let uri = check.field("skill_uri", SkillUri::parse(raw))?;
    match known(uri.as_str()) {
        Some(true) => Some(uri),
        Some(false) => {
            check.fail("skill_uri", format!("unknown ESCO skill {uri}"));
            None
        }
        None => {
            *unchecked += 1;
            Some(uri)
        }
    }
}
