//! Records: companies, vacancies, job seekers and courses — the engine calls and the importers.
//!
//! Every write is one transaction and bumps the data revision, so the matching state and the
//! search indexes know they are behind. Personal data is written and read only by the calls that
//! name it ([`Engine::get_personal_data`], [`Engine::find_job_seeker_by_cf`]).
//!
//! What it does NOT do: scoring or SQL (the store's `entities` module).

mod checks;
mod demo_dates;
mod desk_edits;
pub(crate) mod sql;
pub use demo_dates::DEMO_ANCHOR;
mod import;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

pub use import::{ImportOptions, ImportReport, RecordFiles, RECORD_FILE_NAMES};

use crate::model::{
    CodiceFiscale, Company, ComuneCode, Course, EntityId, JobSeeker, PersonalData, Vacancy,
    VacancyStatus,
};
use crate::{Engine, Error, ErrorCode, Result};

/// Row counts per entity.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EntityCounts(pub std::collections::BTreeMap<String, i64>);

/// The demo dataset's folder: `INCONTRO_DEMO_DIR`, else the crate's `data/` (in the repository a
/// link to the top-level `data/`; in the published package the files themselves).
pub fn demo_dir() -> PathBuf {
    match std::env::var_os("INCONTRO_DEMO_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
    }
}

/// How long a replica on a shared database reuses the data revision it read (unless it wrote
/// meanwhile): the most another replica's write waits to be seen by this one's queries.
pub const REVISION_REUSE: std::time::Duration = std::time::Duration::from_millis(100);

/// The data revision last read on a shared database: when, and this process's write count then.
#[derive(Debug)]
pub(crate) struct RevisionCache {
    last: std::sync::Mutex<Option<(std::time::Instant, u64, i64)>>,
    reuse: std::sync::Mutex<std::time::Duration>,
}

impl Default for RevisionCache {
    fn default() -> Self {
        RevisionCache {
            last: Default::default(),
            reuse: std::sync::Mutex::new(REVISION_REUSE),
        }
    }
}

impl RevisionCache {
    fn fresh(&self, writes: u64) -> Option<i64> {
        let reuse = *self.reuse.lock().unwrap_or_else(|p| p.into_inner());
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        match *last {
            Some((at, seen_writes, revision)) if seen_writes == writes && at.elapsed() < reuse => {
                Some(revision)
            }
            _ => None,
        }
    }

    fn keep(&self, writes: u64, revision: i64) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((std::time::Instant::now(), writes, revision));
    }
}

/// **Records**: companies, vacancies, people and courses — checked writes and reads, the demo data.
impl Engine {
    /// How long, on a shared database, the data revision read is reused (default
    /// [`REVISION_REUSE`]; zero reads it for every query). The service's `revision_reuse_ms`.
    pub fn set_revision_reuse(&self, reuse: std::time::Duration) {
        *self
            .revision
            .reuse
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = reuse;
    }

    /// The current data revision (bumped by every write to matching data).
    ///
    /// On a shared database (PostgreSQL) the revision read is reused for
    /// [`REVISION_REUSE`] unless this process wrote since: a write of this replica is seen by its
    /// next query, another replica's within that time (docs/deploy.md). On SQLite it is read
    /// every time (a local read).
    pub fn data_revision(&self) -> Result<i64> {
        if !self.is_shared_database() {
            return self.store().read_only(sql::revision);
        }
        let writes = self.store().local_writes();
        if let Some(revision) = self.revision.fresh(writes) {
            return Ok(revision);
        }
        let revision = self.store().read_only(sql::revision)?;
        self.revision.keep(writes, revision);
        Ok(revision)
    }

    /// Creates or replaces a company.
    pub fn put_company(&self, company: &Company) -> Result<()> {
        self.write_company(company, false)
    }

    /// Creates a company; 409 `company_exists` when the id is taken. The check and the insert
    /// are one transaction, so of two simultaneous creates of one id exactly one succeeds.
    pub fn insert_company(&self, company: &Company) -> Result<()> {
        self.write_company(company, true)
    }

    fn write_company(&self, company: &Company, must_be_new: bool) -> Result<()> {
        self.store().write(|tx| {
            if must_be_new && sql::get_company(tx, company.id.as_str())?.is_some() {
                return Err(Error::conflict(
                    ErrorCode::CompanyExists,
                    format!("company {} already exists", company.id),
                ));
            }
            sql::upsert_company(tx, company)?;
            sql::bump_revision(tx, &[])?;
            Ok(())
        })?;
        self.match_state_after_write();
        Ok(())
    }

    /// One company.
    pub fn get_company(&self, id: &EntityId) -> Result<Company> {
        self.store()
            .read(|c| sql::get_company(c, id.as_str()))?
            .ok_or_else(|| Error::not_found(ErrorCode::CompanyNotFound, "company", id.as_str()))
    }

    /// Companies by id, paged.
    pub fn list_companies(&self, limit: usize, offset: usize) -> Result<Vec<Company>> {
        self.store().read(|c| sql::list_companies(c, limit, offset))
    }

    /// Creates or replaces a vacancy with its competence breakdown; its company must exist.
    pub fn put_vacancy(&self, vacancy: &Vacancy) -> Result<()> {
        self.write_vacancy(vacancy, false)
    }

    /// Creates a vacancy; 409 `vacancy_exists` when the id is taken (check and insert in one
    /// transaction, like [`Engine::insert_company`]).
    pub fn insert_vacancy(&self, vacancy: &Vacancy) -> Result<()> {
        self.write_vacancy(vacancy, true)
    }

    fn write_vacancy(&self, vacancy: &Vacancy, must_be_new: bool) -> Result<()> {
        checks::check_vacancy(&*self.taxonomy()?, vacancy)?;
        self.store().write(|tx| {
            if must_be_new && sql::get_vacancy(tx, vacancy.id.as_str())?.is_some() {
                return Err(Error::conflict(
                    ErrorCode::VacancyExists,
                    format!("vacancy {} already exists", vacancy.id),
                ));
            }
            if sql::get_company(tx, vacancy.company_id.as_str())?.is_none() {
                return Err(Error::not_found(
                    ErrorCode::CompanyNotFound,
                    "company",
                    vacancy.company_id.as_str(),
                ));
            }
            sql::upsert_vacancy(tx, vacancy)?;
            sql::bump_revision(tx, &[sql::Change::Vacancy(vacancy.id.to_string())])?;
            Ok(())
        })?;
        self.match_state_after_write();
        self.index_vacancy_after_commit(vacancy)
    }

    /// One vacancy.
    pub fn get_vacancy(&self, id: &EntityId) -> Result<Vacancy> {
        self.store()
            .read(|c| sql::get_vacancy(c, id.as_str()))?
            .ok_or_else(|| Error::not_found(ErrorCode::VacancyNotFound, "vacancy", id.as_str()))
    }

    /// All vacancies (of one company, if given).
    pub fn list_vacancies(&self, company: Option<&EntityId>) -> Result<Vec<Vacancy>> {
        self.store()
            .read(|c| sql::load_vacancies(c, company.map(EntityId::as_str)))
    }

    /// Vacancies open on `day`.
    pub fn list_open_vacancies(&self, day: NaiveDate) -> Result<Vec<Vacancy>> {
        Ok(self
            .list_vacancies(None)?
            .into_iter()
            .filter(|vacancy| vacancy.is_open_on(day))
            .collect())
    }

    /// Vacancies that may be offered on `day`: validated, open, with competences
    /// ([`Vacancy::is_offerable_on`]).
    pub fn list_offerable_vacancies(&self, day: NaiveDate) -> Result<Vec<Vacancy>> {
        Ok(self
            .list_vacancies(None)?
            .into_iter()
            .filter(|vacancy| vacancy.is_offerable_on(day))
            .collect())
    }

    /// Replaces a vacancy's competence breakdown (a validated vacancy goes back to draft).
    pub fn set_requirements(
        &self,
        id: &EntityId,
        requirements: Vec<crate::model::Requirement>,
    ) -> Result<Vacancy> {
        checks::check_skills(
            &*self.taxonomy()?,
            &format!("vacancy {id}"),
            requirements.iter().map(|requirement| &requirement.skill),
        )?;
        self.store()
            .write(|tx| {
                let mut vacancy = sql::get_vacancy(tx, id.as_str())?.ok_or_else(|| {
                    Error::not_found(ErrorCode::VacancyNotFound, "vacancy", id.as_str())
                })?;
                if matches!(vacancy.status, VacancyStatus::Closed) {
                    return Err(Error::conflict(
                        ErrorCode::VacancyClosed,
                        "a closed vacancy cannot change",
                    ));
                }
                let mut seen = std::collections::HashSet::new();
                for requirement in &requirements {
                    if !seen.insert(requirement.skill.clone()) {
                        return Err(Error::invalid(
                            ErrorCode::DuplicateSkill,
                            format!("skill {} appears twice", requirement.skill),
                        ));
                    }
                }
                vacancy.requirements = requirements;
                vacancy.status = VacancyStatus::Draft;
                sql::upsert_vacancy(tx, &vacancy)?;
                sql::bump_revision(tx, &[sql::Change::Vacancy(vacancy.id.to_string())])?;
                Ok(vacancy)
            })
            .and_then(|vacancy| {
                self.match_state_after_write();
                self.index_vacancy_after_commit(&vacancy).map(|()| vacancy)
            })
    }

    /// Draft → validated by a named validator on a date.
    pub fn validate_vacancy(
        &self,
        id: &EntityId,
        validator: &str,
        on: NaiveDate,
    ) -> Result<Vacancy> {
        let validator = validator.trim();
        if validator.is_empty() || validator.len() > 200 {
            return Err(Error::invalid(
                ErrorCode::InvalidValidator,
                "validator name must be 1-200 characters",
            ));
        }
        self.store()
            .write(|tx| {
                let mut vacancy = sql::get_vacancy(tx, id.as_str())?.ok_or_else(|| {
                    Error::not_found(ErrorCode::VacancyNotFound, "vacancy", id.as_str())
                })?;
                match vacancy.status {
                    VacancyStatus::Draft => {}
                    VacancyStatus::Validated { .. } => {
                        return Err(Error::conflict(
                            ErrorCode::VacancyAlreadyValidated,
                            "vacancy is already validated",
                        ))
                    }
                    VacancyStatus::Closed => {
                        return Err(Error::conflict(
                            ErrorCode::VacancyClosed,
                            "vacancy is closed",
                        ))
                    }
                }
                if vacancy.requirements.is_empty() {
                    return Err(Error::conflict(
                        ErrorCode::VacancyWithoutCompetences,
                        format!(
                            "vacancy {} has no competences: add at least one before validating it",
                            vacancy.id
                        ),
                    ));
                }
                vacancy.status = VacancyStatus::Validated {
                    by: validator.to_string(),
                    on,
                };
                sql::upsert_vacancy(tx, &vacancy)?;
                sql::bump_revision(tx, &[sql::Change::Vacancy(vacancy.id.to_string())])?;
                Ok(vacancy)
            })
            .and_then(|vacancy| {
                self.match_state_after_write();
                self.index_vacancy_after_commit(&vacancy).map(|()| vacancy)
            })
    }

    /// Creates or replaces a job seeker; personal data is written when given.
    pub fn put_job_seeker(
        &self,
        seeker: &JobSeeker,
        personal: Option<&PersonalData>,
    ) -> Result<()> {
        checks::check_job_seeker(&*self.taxonomy()?, seeker)?;
        self.store().write(|tx| {
            if let Some(personal) = personal {
                if let Some(owner) = sql::find_job_seeker_by_cf(tx, &personal.codice_fiscale)? {
                    if owner != seeker.id.as_str() {
                        return Err(Error::conflict(
                            ErrorCode::DuplicateCodiceFiscale,
                            "codice fiscale belongs to another job seeker",
                        ));
                    }
                }
            }
            sql::upsert_job_seeker(tx, seeker, personal)?;
            sql::bump_revision(tx, &[sql::Change::JobSeeker(seeker.id.to_string())])?;
            Ok(())
        })?;
        self.match_state_after_write();
        Ok(())
    }

    /// Creates or replaces many job seekers (analytical records only) in one transaction.
    pub fn put_job_seekers(&self, seekers: &[JobSeeker]) -> Result<()> {
        let taxonomy = self.taxonomy()?;
        for seeker in seekers {
            checks::check_job_seeker(&taxonomy, seeker)?;
        }
        self.store().write(|tx| {
            let mut changes = Vec::with_capacity(seekers.len());
            for seeker in seekers {
                sql::upsert_job_seeker(tx, seeker, None)?;
                changes.push(sql::Change::JobSeeker(seeker.id.to_string()));
            }
            sql::bump_revision(tx, &changes)?;
            Ok(())
        })?;
        self.match_state_after_write();
        Ok(())
    }

    /// A job seeker's analytical record (no personal data).
    pub fn get_job_seeker(&self, id: &EntityId) -> Result<JobSeeker> {
        self.store()
            .read(|c| sql::get_job_seeker(c, id.as_str()))?
            .ok_or_else(|| {
                Error::not_found(ErrorCode::JobSeekerNotFound, "job seeker", id.as_str())
            })
    }

    /// Every job seeker (analytical records).
    pub fn all_job_seekers(&self) -> Result<Vec<JobSeeker>> {
        self.store().read(sql::load_job_seekers)
    }

    /// A job seeker's personal data (callers audit this read).
    pub fn get_personal_data(&self, id: &EntityId) -> Result<PersonalData> {
        self.store()
            .read(|c| sql::get_personal_data(c, id.as_str()))?
            .ok_or_else(|| {
                Error::not_found(ErrorCode::JobSeekerNotFound, "job seeker", id.as_str())
            })
    }

    /// The job seeker with this codice fiscale.
    pub fn find_job_seeker_by_cf(&self, cf: &CodiceFiscale) -> Result<EntityId> {
        let id = self
            .store()
            .read(|c| sql::find_job_seeker_by_cf(c, cf))?
            .ok_or_else(|| {
                Error::not_found(
                    ErrorCode::JobSeekerNotFound,
                    "job seeker",
                    "(codice fiscale)",
                )
            })?;
        EntityId::parse(&id)
    }

    /// Job seekers whose name contains `text`: `(id, first name, last name)`.
    pub fn find_job_seekers_by_name(
        &self,
        text: &str,
        limit: usize,
    ) -> Result<Vec<(String, String, String)>> {
        if text.trim().len() < 2 {
            return Err(Error::invalid(
                ErrorCode::QueryTooShort,
                "type at least 2 characters",
            ));
        }
        self.store()
            .read(|c| sql::find_job_seekers_by_name(c, text.trim(), limit.min(100)))
    }

    /// Creates or replaces a course.
    pub fn put_course(&self, course: &Course) -> Result<()> {
        checks::check_course(&*self.taxonomy()?, course)?;
        self.store().write(|tx| {
            sql::upsert_course(tx, course)?;
            sql::bump_revision(tx, &[sql::Change::Course(course.id.to_string())])?;
            Ok(())
        })?;
        self.match_state_after_write();
        Ok(())
    }

    /// Every course.
    pub fn list_courses(&self) -> Result<Vec<Course>> {
        self.store().read(sql::load_courses)
    }

    /// Coordinates of the imported comuni.
    pub fn comuni_coordinates(&self) -> Result<HashMap<ComuneCode, (f64, f64)>> {
        self.store().read(sql::load_coordinates)
    }

    /// Names of the imported comuni by code.
    pub fn comuni_names(&self) -> Result<HashMap<String, String>> {
        self.store().read(sql::load_comune_names)
    }

    /// The CP2011 → ISCO-08 crosswalk.
    pub fn cp2011_crosswalk(&self) -> Result<HashMap<String, String>> {
        self.store().read(sql::load_crosswalk)
    }

    /// Row counts per entity.
    pub fn entity_counts(&self) -> Result<EntityCounts> {
        let counts = self.store().read(sql::counts)?;
        Ok(EntityCounts(
            counts
                .into_iter()
                .map(|(name, count)| (name.to_string(), count))
                .collect(),
        ))
    }

    /// Imports the demo dataset: its ESCO subset with Italian labels (`data/esco-demo`), then the
    /// records in `data/demo`. Idempotent. On a store that already holds a taxonomy (say the
    /// official release) the subset is merged in: it adds what is missing and never replaces
    /// the stored relations or labels.
    pub fn import_demo(&self, progress: &dyn crate::Progress) -> Result<ImportReport> {
        let dir = demo_dir();
        let merge = self.taxonomy_stats()?.skills > 0;
        self.import_esco(
            &[dir.join("esco-v1.1.1-it-demo")],
            &crate::taxonomy::EscoImportOptions {
                merge,
                ..Default::default()
            },
            progress,
        )?;
        // Dated relative to today (see `demo_dates`): the same story on any day.
        let shift = demo_dates::demo_shift_days(self.today());
        let shifted = tempfile::tempdir().map_err(|error| Error::io("temporary folder", error))?;
        demo_dates::copy_shifted(&dir.join("demo"), shifted.path(), shift)?;
        let mut report = self.import_records(
            &RecordFiles::in_dir(shifted.path()),
            &ImportOptions::default(),
        )?;
        // The comuni's ISTAT codes (`data/comuni.csv`, the demo's subset of ISTAT's list).
        let comuni = dir.join("comuni.csv");
        if comuni.is_file() {
            self.import_comuni(&comuni, None)?;
        }
        // Outreach (Cob23, Milan): comuni, COB code tables, notices and contacts.
        if dir.join("demo").join("outreach_cob.csv").is_file() {
            self.import_outreach_demo(&dir.join("demo"), &mut report, progress)?;
        }
        Ok(report)
    }

    /// True when nothing has been stored yet (no taxonomy, no records).
    pub fn is_empty(&self) -> Result<bool> {
        let counts = self.entity_counts()?;
        let taxonomy = self.taxonomy_stats()?;
        Ok(counts.0.values().all(|&count| count == 0) && taxonomy.skills == 0)
    }
}
