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

use crate::model::{
    CodiceFiscale, Company, Competence, ComuneCode, Course, EducationLevel, EntityId, Evidence,
    GolPath, JobSeeker, Level, Modality, OccupationCode, OccupationUri, PartitaIva, PastJob,
    PersonalData, PlacementType, Requirement, Sex, Site, SkillUri, Vacancy, VacancySource,
    VacancyStatus, Weight,
};
use crate::store::entities as sql;
use crate::{Engine, Error, InputProblem, Problems, Result};

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
}

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
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a CSV file into typed rows `(line, row)`, reporting a wrong header or malformed rows.
fn read_rows<T: for<'de> Deserialize<'de>>(
    path: &Path,
    expected: &[&str],
    problems: &mut Problems,
) -> Result<Vec<(u64, T)>> {
    let name = file_name(path);
    let bytes = std::fs::read(path).map_err(|source| Error::io(path, source))?;
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
        .map_err(|error| Error::invalid("malformed_csv", format!("{name}: {error}")))?
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
    let unknown: Vec<&str> = headers.iter().filter(|h| !expected.contains(h)).collect();
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
            "invalid_date",
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
            "invalid_boolean",
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

#[derive(Deserialize)]
struct ComuneRow {
    code: String,
    name: String,
    province: String,
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct CrosswalkRow {
    cp2011: String,
    isco08: String,
}

#[derive(Deserialize)]
struct CompanyRow {
    id: String,
    name: String,
    codice_fiscale: String,
    partita_iva: Option<String>,
    ateco: Option<String>,
    offers_tirocini: String,
    comuni: String,
}

#[derive(Deserialize)]
struct VacancyRow {
    id: String,
    company_id: String,
    title: String,
    description: String,
    occupation_uri: Option<String>,
    comune: String,
    placement: String,
    contract_type: Option<String>,
    tirocinio_months: Option<String>,
    tirocinio_indemnity_eur: Option<String>,
    positions: String,
    opens: String,
    closes: Option<String>,
    source: String,
    agency: Option<String>,
    status: String,
    validated_by: Option<String>,
    validated_on: Option<String>,
}

#[derive(Deserialize)]
struct RequirementRow {
    vacancy_id: String,
    skill_uri: String,
    level: String,
    essential: String,
    weight: Option<String>,
}

#[derive(Deserialize)]
struct SeekerRow {
    id: String,
    codice_fiscale: String,
    first_name: String,
    last_name: String,
    mobile: Option<String>,
    email: Option<String>,
    birth_year: String,
    sex: String,
    comune: String,
    education: String,
    available_from: Option<String>,
    accepts_tirocinio: String,
    disability: String,
}

#[derive(Deserialize)]
struct CompetenceRow {
    job_seeker_id: String,
    skill_uri: String,
    level: String,
    evidence: String,
    since: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct PastJobRow {
    job_seeker_id: String,
    scheme: String,
    code: String,
    start: String,
    end: Option<String>,
    employer: Option<String>,
}

#[derive(Deserialize)]
struct CourseRow {
    id: String,
    title: String,
    provider: String,
    hours: String,
    start: String,
    end: String,
    modality: String,
    comune: Option<String>,
    seats: String,
    cost_eur: String,
    certification: Option<String>,
    gol_path: Option<String>,
}

#[derive(Deserialize)]
struct CourseSkillRow {
    course_id: String,
    skill_uri: String,
    level: String,
}

/// A course in `courses.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseJson {
    id: String,
    title: String,
    provider: String,
    hours: u16,
    start: String,
    end: String,
    modality: String,
    comune: Option<String>,
    seats: u32,
    cost_eur: u32,
    certification: Option<String>,
    gol_path: Option<String>,
    teaches: Vec<CourseSkillJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseSkillJson {
    skill_uri: String,
    level: u8,
}

struct Parsed {
    comuni: Vec<(ComuneCode, String, String, f64, f64)>,
    crosswalk: Vec<(String, String)>,
    companies: Vec<Company>,
    vacancies: Vec<Vacancy>,
    seekers: Vec<(JobSeeker, PersonalData)>,
    courses: Vec<Course>,
    unchecked: u64,
}

impl Engine {
    /// Imports the given record files in one transaction (see the module documentation).
    pub fn import_records(
        &self,
        files: &RecordFiles,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
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
        let parsed = parse_all(files, &known_skill, &existing_companies, &mut problems)?;
        if !problems.is_empty() && !options.skip_invalid {
            return Err(Error::InvalidInput {
                problems: problems.list,
            });
        }
        let mut report = ImportReport {
            skipped: problems.list,
            unchecked_uris: parsed.unchecked,
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
                if let Some(owner) = sql::find_job_seeker_by_cf(tx, &personal.codice_fiscale)? {
                    if owner != seeker.id.as_str() {
                        return Err(Error::conflict(
                            "duplicate_codice_fiscale",
                            format!("job seeker {}: codice fiscale already belongs to job seeker {owner}", seeker.id),
                        ));
                    }
                }
                sql::upsert_job_seeker(tx, seeker, Some(personal))?;
            }
            for course in &parsed.courses {
                sql::upsert_course(tx, course)?;
            }
            sql::bump_revision(tx)?;
            Ok(())
        })?;
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

fn parse_all(
    files: &RecordFiles,
    known_skill: &dyn Fn(&str) -> Option<bool>,
    existing_companies: &HashSet<String>,
    problems: &mut Problems,
) -> Result<Parsed> {
    let mut parsed = Parsed {
        comuni: Vec::new(),
        crosswalk: Vec::new(),
        companies: Vec::new(),
        vacancies: Vec::new(),
        seekers: Vec::new(),
        courses: Vec::new(),
        unchecked: 0,
    };
    if let Some(path) = &files.comuni {
        let file = file_name(path);
        let mut seen = HashSet::new();
        for (line, row) in
            read_rows::<ComuneRow>(path, &["code", "name", "province", "lat", "lon"], problems)?
        {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let code = check.field("code", ComuneCode::parse(&row.code));
            if !(-90.0..=90.0).contains(&row.lat) || !(-180.0..=180.0).contains(&row.lon) {
                check.fail("lat", "coordinates out of range");
            }
            if let Some(code) = code {
                if !seen.insert(code.clone()) {
                    check.fail("code", format!("duplicate comune {}", code.as_str()));
                } else if check.ok {
                    parsed
                        .comuni
                        .push((code, row.name, row.province, row.lat, row.lon));
                }
            }
        }
    }
    if let Some(path) = &files.crosswalk {
        let file = file_name(path);
        for (line, row) in read_rows::<CrosswalkRow>(path, &["cp2011", "isco08"], problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let cp_ok = row.cp2011.split('.').count() >= 5
                && row
                    .cp2011
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if !cp_ok {
                check.fail(
                    "cp2011",
                    format!("CP2011 code must look like 5.1.2.2.0, got {:?}", row.cp2011),
                );
            }
            if row.isco08.len() != 4 || !row.isco08.bytes().all(|b| b.is_ascii_digit()) {
                check.fail(
                    "isco08",
                    format!(
                        "ISCO-08 unit group must have 4 digits, got {:?}",
                        row.isco08
                    ),
                );
            }
            if check.ok {
                parsed.crosswalk.push((row.cp2011, row.isco08));
            }
        }
    }
    let mut company_ids: HashSet<String> = existing_companies.clone();
    if let Some(path) = &files.companies {
        let file = file_name(path);
        let mut seen = HashSet::new();
        let columns = [
            "id",
            "name",
            "codice_fiscale",
            "partita_iva",
            "ateco",
            "offers_tirocini",
            "comuni",
        ];
        for (line, row) in read_rows::<CompanyRow>(path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let id = check.field("id", EntityId::parse(&row.id));
            let cf = check.field("codice_fiscale", CodiceFiscale::parse(&row.codice_fiscale));
            let piva = optional(&row.partita_iva)
                .map(|p| check.field("partita_iva", PartitaIva::parse(p)));
            let tirocini = check.field("offers_tirocini", parse_bool(&row.offers_tirocini));
            let mut sites = Vec::new();
            for code in row
                .comuni
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                if let Some(comune) = check.field("comuni", ComuneCode::parse(code)) {
                    sites.push(Site {
                        comune,
                        address: None,
                    });
                }
            }
            if row.name.trim().is_empty() {
                check.fail("name", "name is empty");
            }
            if let Some(id) = &id {
                if !seen.insert(id.clone()) {
                    check.fail("id", format!("duplicate company id {id}"));
                }
            }
            if let (true, Some(id), Some(cf), Some(tirocini)) = (check.ok, id, cf, tirocini) {
                company_ids.insert(id.to_string());
                parsed.companies.push(Company {
                    id,
                    name: row.name,
                    codice_fiscale: cf,
                    partita_iva: piva.flatten(),
                    ateco: optional(&row.ateco).map(str::to_string),
                    offers_tirocini: tirocini,
                    sites,
                });
            }
        }
    }
    let mut vacancy_index: HashMap<String, usize> = HashMap::new();
    if let Some(path) = &files.vacancies {
        let file = file_name(path);
        let columns = [
            "id",
            "company_id",
            "title",
            "description",
            "occupation_uri",
            "comune",
            "placement",
            "contract_type",
            "tirocinio_months",
            "tirocinio_indemnity_eur",
            "positions",
            "opens",
            "closes",
            "source",
            "agency",
            "status",
            "validated_by",
            "validated_on",
        ];
        for (line, row) in read_rows::<VacancyRow>(path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let id = check.field("id", EntityId::parse(&row.id));
            let company = check.field("company_id", EntityId::parse(&row.company_id));
            if let Some(company) = &company {
                if !company_ids.contains(company.as_str()) {
                    check.fail("company_id", format!("unknown company {company}"));
                }
            }
            let occupation = optional(&row.occupation_uri)
                .and_then(|uri| check.field("occupation_uri", OccupationUri::parse(uri)));
            let comune = check.field("comune", ComuneCode::parse(&row.comune));
            let placement = match row.placement.trim() {
                "contract" => match optional(&row.contract_type) {
                    Some(code) if code.len() == 7 && code.as_bytes()[1] == b'.' => {
                        Some(PlacementType::Contract {
                            contract_type: code.to_string(),
                        })
                    }
                    _ => {
                        check.fail(
                            "contract_type",
                            "a contract needs a COB contract type like A.02.00",
                        );
                        None
                    }
                },
                "tirocinio" => {
                    let months = optional(&row.tirocinio_months).and_then(|m| m.parse::<u8>().ok());
                    let indemnity =
                        optional(&row.tirocinio_indemnity_eur).and_then(|m| m.parse::<u32>().ok());
                    match (months, indemnity) {
                        (Some(months), Some(monthly_indemnity_eur))
                            if (1..=24).contains(&months) =>
                        {
                            Some(PlacementType::Tirocinio {
                                months,
                                monthly_indemnity_eur,
                            })
                        }
                        _ => {
                            check.fail(
                                "tirocinio_months",
                                "a tirocinio needs months (1-24) and a monthly indemnity in euro",
                            );
                            None
                        }
                    }
                }
                other => {
                    check.fail(
                        "placement",
                        format!("placement must be contract or tirocinio, got {other:?}"),
                    );
                    None
                }
            };
            let positions = match row.positions.trim().parse::<u16>() {
                Ok(count) if count > 0 => Some(count),
                _ => {
                    check.fail(
                        "positions",
                        format!(
                            "positions must be a positive number, got {:?}",
                            row.positions
                        ),
                    );
                    None
                }
            };
            let opens = check.field("opens", parse_date(&row.opens));
            let closes = optional(&row.closes).and_then(|d| check.field("closes", parse_date(d)));
            if let (Some(opens), Some(closes)) = (opens, closes) {
                if closes < opens {
                    check.fail("closes", "closes before it opens");
                }
            }
            let source = match row.source.trim() {
                "public" => Some(VacancySource::Public),
                "agency" => match optional(&row.agency) {
                    Some(name) => Some(VacancySource::Agency {
                        name: name.to_string(),
                    }),
                    None => {
                        check.fail("agency", "an agency vacancy needs the agency's name");
                        None
                    }
                },
                other => {
                    check.fail(
                        "source",
                        format!("source must be public or agency, got {other:?}"),
                    );
                    None
                }
            };
            let status = match row.status.trim() {
                "draft" => Some(VacancyStatus::Draft),
                "closed" => Some(VacancyStatus::Closed),
                "validated" => match (optional(&row.validated_by), optional(&row.validated_on)) {
                    (Some(by), Some(on)) => check.field("validated_on", parse_date(on)).map(|on| {
                        VacancyStatus::Validated {
                            by: by.to_string(),
                            on,
                        }
                    }),
                    _ => {
                        check.fail(
                            "validated_by",
                            "a validated vacancy needs validated_by and validated_on",
                        );
                        None
                    }
                },
                other => {
                    check.fail(
                        "status",
                        format!("status must be draft, validated or closed, got {other:?}"),
                    );
                    None
                }
            };
            if let Some(id) = &id {
                if vacancy_index.contains_key(id.as_str()) {
                    check.fail("id", format!("duplicate vacancy id {id}"));
                }
            }
            if let (
                true,
                Some(id),
                Some(company_id),
                Some(comune),
                Some(placement),
                Some(positions),
                Some(opens),
                Some(source),
                Some(status),
            ) = (
                check.ok, id, company, comune, placement, positions, opens, source, status,
            ) {
                vacancy_index.insert(id.to_string(), parsed.vacancies.len());
                parsed.vacancies.push(Vacancy {
                    id,
                    company_id,
                    title: row.title,
                    description: row.description,
                    occupation,
                    comune,
                    placement,
                    positions,
                    opens,
                    closes,
                    source,
                    status,
                    requirements: Vec::new(),
                });
            }
        }
    }
    if let Some(path) = &files.requirements {
        let file = file_name(path);
        let mut seen = HashSet::new();
        for (line, row) in read_rows::<RequirementRow>(
            path,
            &["vacancy_id", "skill_uri", "level", "essential", "weight"],
            problems,
        )? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let position = vacancy_index.get(row.vacancy_id.trim()).copied();
            if position.is_none() {
                check.fail(
                    "vacancy_id",
                    format!(
                        "unknown vacancy {} (not in the vacancies file)",
                        row.vacancy_id.trim()
                    ),
                );
            }
            let skill = check_skill(
                &mut check,
                &row.skill_uri,
                known_skill,
                &mut parsed.unchecked,
            );
            let level = check.field("level", Level::parse(&row.level));
            let essential = check.field("essential", parse_bool(&row.essential));
            let weight = match optional(&row.weight) {
                Some(text) => match text.parse::<f32>() {
                    Ok(value) => check.field("weight", Weight::new(value)),
                    Err(_) => {
                        check.fail("weight", format!("weight must be a number, got {text:?}"));
                        None
                    }
                },
                None => Some(Weight::ESSENTIAL),
            };
            if let Some(skill) = &skill {
                if !seen.insert((row.vacancy_id.trim().to_string(), skill.clone())) {
                    check.fail("skill_uri", "duplicate requirement for this vacancy");
                }
            }
            if let (true, Some(position), Some(skill), Some(level), Some(essential), Some(weight)) =
                (check.ok, position, skill, level, essential, weight)
            {
                parsed.vacancies[position].requirements.push(Requirement {
                    skill,
                    level,
                    essential,
                    weight,
                });
            }
        }
    }
    let mut seeker_index: HashMap<String, usize> = HashMap::new();
    if let Some(path) = &files.job_seekers {
        let file = file_name(path);
        let mut seen_cf = HashSet::new();
        let columns = [
            "id",
            "codice_fiscale",
            "first_name",
            "last_name",
            "mobile",
            "email",
            "birth_year",
            "sex",
            "comune",
            "education",
            "available_from",
            "accepts_tirocinio",
            "disability",
        ];
        for (line, row) in read_rows::<SeekerRow>(path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let id = check.field("id", EntityId::parse(&row.id));
            let cf = check.field("codice_fiscale", CodiceFiscale::parse(&row.codice_fiscale));
            if let Some(cf) = &cf {
                if !cf.is_personal() {
                    check.fail(
                        "codice_fiscale",
                        "a person's codice fiscale has 16 characters",
                    );
                } else if !seen_cf.insert(cf.clone()) {
                    check.fail("codice_fiscale", "duplicate codice fiscale");
                }
            }
            let birth_year = match row.birth_year.trim().parse::<u16>() {
                Ok(year) if (1900..=2015).contains(&year) => Some(year),
                _ => {
                    check.fail(
                        "birth_year",
                        format!("birth year must be 1900-2015, got {:?}", row.birth_year),
                    );
                    None
                }
            };
            let sex = check.field("sex", Sex::parse(&row.sex));
            let comune = check.field("comune", ComuneCode::parse(&row.comune));
            let education = check.field("education", EducationLevel::parse(&row.education));
            let available = optional(&row.available_from)
                .and_then(|d| check.field("available_from", parse_date(d)));
            let tirocinio = check.field("accepts_tirocinio", parse_bool(&row.accepts_tirocinio));
            let disability = check.field("disability", parse_bool(&row.disability));
            if row.first_name.trim().is_empty() || row.last_name.trim().is_empty() {
                check.fail("first_name", "names must not be empty");
            }
            if let Some(mobile) = optional(&row.mobile) {
                let digits: String = mobile.chars().filter(|c| !c.is_whitespace()).collect();
                let digits = digits.strip_prefix("+39").unwrap_or(&digits);
                if !(9..=11).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    check.fail("mobile", "mobile must be 9-11 digits, optionally with +39");
                }
            }
            if let Some(id) = &id {
                if seeker_index.contains_key(id.as_str()) {
                    check.fail("id", format!("duplicate job seeker id {id}"));
                }
            }
            if let (
                true,
                Some(id),
                Some(cf),
                Some(birth_year),
                Some(sex),
                Some(comune),
                Some(education),
                Some(accepts_tirocinio),
                Some(disability),
            ) = (
                check.ok, id, cf, birth_year, sex, comune, education, tirocinio, disability,
            ) {
                seeker_index.insert(id.to_string(), parsed.seekers.len());
                parsed.seekers.push((
                    JobSeeker {
                        id,
                        birth_year,
                        sex,
                        comune,
                        education,
                        available_from: available,
                        accepts_tirocinio,
                        disability,
                        competences: Vec::new(),
                        work_history: Vec::new(),
                    },
                    PersonalData {
                        codice_fiscale: cf,
                        first_name: row.first_name,
                        last_name: row.last_name,
                        mobile: optional(&row.mobile).map(str::to_string),
                        email: optional(&row.email).map(str::to_string),
                    },
                ));
            }
        }
    }
    if let Some(path) = &files.competences {
        let file = file_name(path);
        let mut seen = HashSet::new();
        let columns = [
            "job_seeker_id",
            "skill_uri",
            "level",
            "evidence",
            "since",
            "note",
        ];
        for (line, row) in read_rows::<CompetenceRow>(path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let position = seeker_index.get(row.job_seeker_id.trim()).copied();
            if position.is_none() {
                check.fail(
                    "job_seeker_id",
                    format!("unknown job seeker {}", row.job_seeker_id.trim()),
                );
            }
            let skill = check_skill(
                &mut check,
                &row.skill_uri,
                known_skill,
                &mut parsed.unchecked,
            );
            let level = check.field("level", Level::parse(&row.level));
            let evidence = check.field("evidence", Evidence::parse(&row.evidence));
            let since = optional(&row.since).and_then(|d| check.field("since", parse_date(d)));
            if let (Some(skill), Some(evidence)) = (&skill, evidence) {
                if !seen.insert((
                    row.job_seeker_id.trim().to_string(),
                    skill.clone(),
                    evidence.as_str(),
                )) {
                    check.fail(
                        "skill_uri",
                        "duplicate competence (same skill and evidence)",
                    );
                }
            }
            if let (true, Some(position), Some(skill), Some(level), Some(evidence)) =
                (check.ok, position, skill, level, evidence)
            {
                parsed.seekers[position].0.competences.push(Competence {
                    skill,
                    level,
                    evidence,
                    since,
                    note: optional(&row.note).map(str::to_string),
                });
            }
        }
    }
    if let Some(path) = &files.work_history {
        let file = file_name(path);
        let columns = [
            "job_seeker_id",
            "scheme",
            "code",
            "start",
            "end",
            "employer",
        ];
        for (line, row) in read_rows::<PastJobRow>(path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let position = seeker_index.get(row.job_seeker_id.trim()).copied();
            if position.is_none() {
                check.fail(
                    "job_seeker_id",
                    format!("unknown job seeker {}", row.job_seeker_id.trim()),
                );
            }
            let code = row.code.trim().to_string();
            let occupation = match row.scheme.trim() {
                "esco" => check
                    .field("code", OccupationUri::parse(&code))
                    .map(OccupationCode::Esco),
                "isco08"
                    if (1..=4).contains(&code.len())
                        && code.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Some(OccupationCode::Isco08(code))
                }
                "cp2011" if code.split('.').count() >= 5 => Some(OccupationCode::Cp2011(code)),
                other => {
                    check.fail("code", format!("scheme {other:?} with code {code:?}: expected esco URI, isco08 (1-4 digits) or cp2011 (d.d.d.d.d)"));
                    None
                }
            };
            let start = check.field("start", parse_date(&row.start));
            let end = optional(&row.end).and_then(|d| check.field("end", parse_date(d)));
            if let (Some(start), Some(end)) = (start, end) {
                if end < start {
                    check.fail("end", "job ends before it starts");
                }
            }
            if let (true, Some(position), Some(occupation), Some(start)) =
                (check.ok, position, occupation, start)
            {
                parsed.seekers[position].0.work_history.push(PastJob {
                    occupation,
                    start,
                    end,
                    employer: optional(&row.employer).map(str::to_string),
                });
            }
        }
    }
    let mut course_index: HashMap<String, usize> = HashMap::new();
    if let Some(path) = &files.courses {
        let file = file_name(path);
        let columns = [
            "id",
            "title",
            "provider",
            "hours",
            "start",
            "end",
            "modality",
            "comune",
            "seats",
            "cost_eur",
            "certification",
            "gol_path",
        ];
        for (line, row) in read_rows::<CourseRow>(path, &columns, problems)? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let course = CourseJson {
                id: row.id,
                title: row.title,
                provider: row.provider,
                hours: match row.hours.trim().parse() {
                    Ok(hours) => hours,
                    Err(_) => {
                        check.fail(
                            "hours",
                            format!("hours must be a number, got {:?}", row.hours),
                        );
                        0
                    }
                },
                start: row.start,
                end: row.end,
                modality: row.modality,
                comune: row.comune,
                seats: row.seats.trim().parse().unwrap_or_else(|_| {
                    check.fail("seats", "seats must be a number");
                    0
                }),
                cost_eur: row.cost_eur.trim().parse().unwrap_or_else(|_| {
                    check.fail("cost_eur", "cost must be a whole number of euro");
                    0
                }),
                certification: row.certification,
                gol_path: row.gol_path,
                teaches: Vec::new(),
            };
            if let Some(course) =
                course_from(&mut check, course, known_skill, &mut parsed.unchecked)
            {
                if course_index.contains_key(course.id.as_str()) {
                    check.fail("id", format!("duplicate course id {}", course.id));
                } else if check.ok {
                    course_index.insert(course.id.to_string(), parsed.courses.len());
                    parsed.courses.push(course);
                }
            }
        }
    }
    if let Some(path) = &files.course_skills {
        let file = file_name(path);
        for (line, row) in
            read_rows::<CourseSkillRow>(path, &["course_id", "skill_uri", "level"], problems)?
        {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let position = course_index.get(row.course_id.trim()).copied();
            if position.is_none() {
                check.fail(
                    "course_id",
                    format!("unknown course {}", row.course_id.trim()),
                );
            }
            let skill = check_skill(
                &mut check,
                &row.skill_uri,
                known_skill,
                &mut parsed.unchecked,
            );
            let level = check.field("level", Level::parse(&row.level));
            if let (true, Some(position), Some(skill), Some(level)) =
                (check.ok, position, skill, level)
            {
                let teaches = &mut parsed.courses[position].teaches;
                if teaches.iter().any(|(existing, _)| existing == &skill) {
                    check.fail("skill_uri", "duplicate skill for this course");
                } else {
                    teaches.push((skill, level));
                }
            }
        }
    }
    if let Some(path) = &files.courses_json {
        let file = file_name(path);
        let text = std::fs::read_to_string(path).map_err(|source| Error::io(path, source))?;
        match serde_json::from_str::<Vec<CourseJson>>(&text) {
            Err(error) => problems.push(
                &file,
                error.line() as u64,
                None,
                format!("malformed JSON: {error}"),
            ),
            Ok(courses) => {
                for (index, course) in courses.into_iter().enumerate() {
                    let mut check = RowCheck {
                        file: format!("{file}[{index}]"),
                        line: 0,
                        problems,
                        ok: true,
                    };
                    if let Some(course) =
                        course_from(&mut check, course, known_skill, &mut parsed.unchecked)
                    {
                        if course_index.contains_key(course.id.as_str()) {
                            check.fail("id", format!("duplicate course id {}", course.id));
                        } else if check.ok {
                            course_index.insert(course.id.to_string(), parsed.courses.len());
                            parsed.courses.push(course);
                        }
                    }
                }
            }
        }
    }
    Ok(parsed)
}

fn course_from(
    check: &mut RowCheck<'_>,
    raw: CourseJson,
    known_skill: &dyn Fn(&str) -> Option<bool>,
    unchecked: &mut u64,
) -> Option<Course> {
    let id = check.field("id", EntityId::parse(&raw.id));
    let start = check.field("start", parse_date(&raw.start));
    let end = check.field("end", parse_date(&raw.end));
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            check.fail("end", "course ends before it starts");
        }
    }
    if raw.hours == 0 {
        check.fail("hours", "hours must be positive");
    }
    let modality = check.field("modality", Modality::parse(&raw.modality));
    let comune = optional(&raw.comune).and_then(|c| check.field("comune", ComuneCode::parse(c)));
    if matches!(modality, Some(Modality::InPresence | Modality::Blended)) && comune.is_none() {
        check.fail("comune", "an in-presence or blended course needs a comune");
    }
    let gol_path = optional(&raw.gol_path).and_then(|g| check.field("gol_path", GolPath::parse(g)));
    let mut teaches = Vec::new();
    for skill in &raw.teaches {
        let uri = check_skill(check, &skill.skill_uri, known_skill, unchecked);
        let level = check.field("level", Level::new(skill.level));
        if let (Some(uri), Some(level)) = (uri, level) {
            teaches.push((uri, level));
        }
    }
    let (Some(id), Some(start), Some(end), Some(modality)) = (id, start, end, modality) else {
        return None;
    };
    if !check.ok {
        return None;
    }
    Some(Course {
        id,
        title: raw.title,
        provider: raw.provider,
        hours: raw.hours,
        start,
        end,
        modality,
        comune,
        seats: raw.seats,
        cost_eur: raw.cost_eur,
        certification: optional(&raw.certification).map(str::to_string),
        gol_path,
        teaches,
    })
}
