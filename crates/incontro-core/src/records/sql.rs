//! SQL of companies, vacancies, job seekers, courses and reference tables.

use std::collections::HashMap;

use crate::store::db::{params, Db, OptionalExtension, Row};
use chrono::NaiveDate;

use crate::model::{
    Citizenship, CodiceFiscale, Company, Competence, ComuneCode, Course, EducationLevel, EntityId,
    Evidence, GolPath, JobSeeker, Level, Modality, OccupationCode, OccupationUri, PartitaIva,
    PastJob, PersonalData, Requirement, Sex, Site, SkillUri, Vacancy, Weight, WorkConditions,
};
use crate::{Error, Result};

fn corrupt(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::Internal(format!("stored {what} is unreadable: {detail}"))
}

fn date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|error| corrupt("date", error))
}

fn optional_date(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.as_deref().map(date).transpose()
}

/// What one write changed, as the matching state needs to know it (table `data_change`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// One vacancy, by id (created, replaced, validated, closed).
    Vacancy(String),
    /// One job seeker, by id.
    JobSeeker(String),
    /// One course, by id.
    Course(String),
    /// Anything else the state is built from (an import, comuni, the crosswalk): rebuild.
    Everything,
}

/// Journal rows older than this many revisions are pruned (a state further behind rebuilds).
pub const CHANGE_JOURNAL_REVISIONS: i64 = 10_000;

/// Increments the data revision and records what changed (call inside every write transaction
/// that changes matching data; `changes` empty: nothing the matching state holds).
pub fn bump_revision(connection: &Db<'_>, changes: &[Change]) -> Result<i64> {
    connection.execute(
        "UPDATE data_revision SET revision = revision + 1 WHERE id = 1",
        params![],
    )?;
    let revision = revision(connection)?;
    let mut insert = connection
        .prepare_cached("INSERT INTO data_change (revision, kind, id) VALUES (?1, ?2, ?3)")?;
    if changes.is_empty() {
        insert.execute(params![revision, "none", ""])?;
    }
    for change in changes {
        let (kind, id) = match change {
            Change::Vacancy(id) => ("vacancy", id.as_str()),
            Change::JobSeeker(id) => ("job_seeker", id.as_str()),
            Change::Course(id) => ("course", id.as_str()),
            Change::Everything => ("all", ""),
        };
        insert.execute(params![revision, kind, id])?;
    }
    connection.execute(
        "DELETE FROM data_change WHERE revision <= ?1",
        params![revision - CHANGE_JOURNAL_REVISIONS],
    )?;
    Ok(revision)
}

/// The changes after revision `from` up to the current revision: `(current, changes)`, the
/// changes `None` when the journal cannot tell (a revision without rows: pruned, or written
/// before the journal existed) or one of them was [`Change::Everything`].
pub fn changes_since(connection: &Db<'_>, from: i64) -> Result<(i64, Option<Vec<Change>>)> {
    let current = revision(connection)?;
    if current <= from {
        return Ok((current, Some(Vec::new())));
    }
    let mut statement = connection.prepare_cached(
        "SELECT revision, kind, id FROM data_change WHERE revision > ?1 AND revision <= ?2 \
         ORDER BY revision, rowid",
    )?;
    let mut rows = statement.query(params![from, current])?;
    let mut changes = Vec::new();
    let mut revisions = 0i64;
    let mut last = from;
    while let Some(row) = rows.next()? {
        let revision: i64 = row.get(0)?;
        let kind: String = row.get(1)?;
        let id: String = row.get(2)?;
        if revision != last {
            revisions += 1;
            last = revision;
        }
        changes.push(match kind.as_str() {
            "vacancy" => Change::Vacancy(id),
            "job_seeker" => Change::JobSeeker(id),
            "course" => Change::Course(id),
            "none" => continue,
            _ => return Ok((current, None)),
        });
    }
    if revisions != current - from {
        return Ok((current, None));
    }
    Ok((current, Some(changes)))
}

/// The ids of the vacancies whose first open day is after `after` and on or before `until`.
pub fn vacancies_opening(
    connection: &Db<'_>,
    after: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<String>> {
    let mut statement = connection
        .prepare_cached("SELECT id FROM vacancy WHERE opens > ?1 AND opens <= ?2 ORDER BY id")?;
    let ids = statement
        .query_map(
            params![
                after.format("%Y-%m-%d").to_string(),
                until.format("%Y-%m-%d").to_string()
            ],
            |row| row.get(0),
        )?
        .collect::<crate::Result<Vec<String>>>()?;
    Ok(ids)
}

/// One course.
pub fn get_course(connection: &Db<'_>, id: &str) -> Result<Option<Course>> {
    Ok(load_courses_where(connection, Some(id))?.into_iter().next())
}

/// The current data revision.
pub fn revision(connection: &Db<'_>) -> Result<i64> {
    connection.query_row(
        "SELECT revision FROM data_revision WHERE id = 1",
        params![],
        |row| row.get(0),
    )
}

/// Inserts or replaces a company and its sites.
pub fn upsert_company(connection: &Db<'_>, company: &Company) -> Result<()> {
    connection.execute(
        "INSERT INTO company (id, name, codice_fiscale, partita_iva, ateco, offers_tirocini)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, codice_fiscale = excluded.codice_fiscale,
           partita_iva = excluded.partita_iva, ateco = excluded.ateco, offers_tirocini = excluded.offers_tirocini",
        params![
            company.id.as_str(),
            company.name,
            company.codice_fiscale.as_str(),
            company.partita_iva.as_ref().map(PartitaIva::as_str),
            company.ateco,
            company.offers_tirocini,
        ],
    )?;
    connection.execute(
        "DELETE FROM company_site WHERE company_id = ?1",
        [company.id.as_str()],
    )?;
    for site in &company.sites {
        connection.execute(
            "INSERT INTO company_site (company_id, comune, address) VALUES (?1, ?2, ?3) ON CONFLICT (company_id, comune) DO UPDATE SET address = excluded.address",
            params![company.id.as_str(), site.comune.as_str(), site.address],
        )?;
    }
    Ok(())
}

fn company_from_row(connection: &Db<'_>, row: &Row<'_>) -> Result<Company> {
    let id: String = row.get(0)?;
    let codice_fiscale: String = row.get(2)?;
    let partita_iva: Option<String> = row.get(3)?;
    let mut statement = connection.prepare_cached(
        "SELECT comune, address FROM company_site WHERE company_id = ?1 ORDER BY comune",
    )?;
    let sites = statement
        .query_map([&id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
        })?
        .map(|site| {
            let (comune, address) = site?;
            Ok(Site {
                comune: ComuneCode::parse(&comune)?,
                address,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Company {
        id: EntityId::parse(&id)?,
        name: row.get(1)?,
        codice_fiscale: CodiceFiscale::parse(&codice_fiscale)?,
        partita_iva: partita_iva.as_deref().map(PartitaIva::parse).transpose()?,
        ateco: row.get(4)?,
        offers_tirocini: row.get(5)?,
        sites,
    })
}

const COMPANY_COLUMNS: &str = "id, name, codice_fiscale, partita_iva, ateco, offers_tirocini";

/// One company.
pub fn get_company(connection: &Db<'_>, id: &str) -> Result<Option<Company>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {COMPANY_COLUMNS} FROM company WHERE id = ?1"
    ))?;
    let mut rows = statement.query([id])?;
    match rows.next()? {
        Some(row) => Ok(Some(company_from_row(connection, &row)?)),
        None => Ok(None),
    }
}

/// Companies ordered by id.
pub fn list_companies(connection: &Db<'_>, limit: usize, offset: usize) -> Result<Vec<Company>> {
    let mut statement = connection.prepare(&format!(
        "SELECT {COMPANY_COLUMNS} FROM company ORDER BY id LIMIT ?1 OFFSET ?2"
    ))?;
    let mut rows = statement.query(params![limit as i64, offset as i64])?;
    let mut companies = Vec::new();
    while let Some(row) = rows.next()? {
        companies.push(company_from_row(connection, &row)?);
    }
    Ok(companies)
}

/// Inserts or replaces a vacancy and its whole competence breakdown.
pub fn upsert_vacancy(connection: &Db<'_>, vacancy: &Vacancy) -> Result<()> {
    let json = |value: &dyn erased::Json| value.to_json();
    connection.execute(
        "INSERT INTO vacancy (id, company_id, title, description, occupation_uri, comune, placement, positions,
           opens, closes, source, status, weekly_hours)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(id) DO UPDATE SET company_id = excluded.company_id, title = excluded.title,
           description = excluded.description, occupation_uri = excluded.occupation_uri, comune = excluded.comune,
           placement = excluded.placement, positions = excluded.positions, opens = excluded.opens,
           closes = excluded.closes, source = excluded.source, status = excluded.status,
           weekly_hours = excluded.weekly_hours",
        params![
            vacancy.id.as_str(),
            vacancy.company_id.as_str(),
            vacancy.title,
            vacancy.description,
            vacancy.occupation.as_ref().map(OccupationUri::as_str),
            vacancy.comune.as_str(),
            json(&vacancy.placement)?,
            vacancy.positions,
            vacancy.opens.to_string(),
            vacancy.closes.map(|day| day.to_string()),
            json(&vacancy.source)?,
            json(&vacancy.status)?,
            vacancy.weekly_hours,
        ],
    )?;
    connection.execute(
        "DELETE FROM vacancy_requirement WHERE vacancy_id = ?1",
        [vacancy.id.as_str()],
    )?;
    let mut statement = connection.prepare_cached(
        "INSERT INTO vacancy_requirement (vacancy_id, skill_uri, level, essential, weight)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (vacancy_id, skill_uri) DO UPDATE SET level = excluded.level, essential = excluded.essential, weight = excluded.weight",
    )?;
    for requirement in &vacancy.requirements {
        statement.execute(params![
            vacancy.id.as_str(),
            requirement.skill.as_str(),
            requirement.level.get(),
            requirement.essential,
            requirement.weight.get(),
        ])?;
    }
    Ok(())
}

mod erased {
    /// Serializes a stored JSON column.
    pub trait Json {
        fn to_json(&self) -> crate::Result<String>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> crate::Result<String> {
            serde_json::to_string(self).map_err(|error| crate::Error::Internal(error.to_string()))
        }
    }
}

const VACANCY_COLUMNS: &str =
    "id, company_id, title, description, occupation_uri, comune, placement, positions, opens, closes, source, status, weekly_hours";

fn vacancy_from_row(row: &Row<'_>) -> Result<Vacancy> {
    let parse_json = |index: usize, what: &str| -> Result<serde_json::Value> {
        let text: String = row.get(index)?;
        serde_json::from_str(&text).map_err(|error| corrupt(what, error))
    };
    let occupation: Option<String> = row.get(4)?;
    Ok(Vacancy {
        id: EntityId::parse(&row.get::<_, String>(0)?)?,
        company_id: EntityId::parse(&row.get::<_, String>(1)?)?,
        title: row.get(2)?,
        description: row.get(3)?,
        occupation: occupation
            .as_deref()
            .map(OccupationUri::parse)
            .transpose()?,
        comune: ComuneCode::parse(&row.get::<_, String>(5)?)?,
        placement: serde_json::from_value(parse_json(6, "placement")?)
            .map_err(|e| corrupt("placement", e))?,
        positions: row.get(7)?,
        opens: date(&row.get::<_, String>(8)?)?,
        closes: optional_date(row.get(9)?)?,
        source: serde_json::from_value(parse_json(10, "source")?)
            .map_err(|e| corrupt("source", e))?,
        status: serde_json::from_value(parse_json(11, "status")?)
            .map_err(|e| corrupt("status", e))?,
        weekly_hours: row.get(12)?,
        requirements: Vec::new(),
    })
}

fn requirements_by_vacancy(
    connection: &Db<'_>,
    only: Option<&str>,
) -> Result<HashMap<String, Vec<Requirement>>> {
    let sql = match only {
        Some(_) => "SELECT vacancy_id, skill_uri, level, essential, weight FROM vacancy_requirement WHERE vacancy_id = ?1 ORDER BY skill_uri",
        None => "SELECT vacancy_id, skill_uri, level, essential, weight FROM vacancy_requirement ORDER BY vacancy_id, skill_uri",
    };
    let mut statement = connection.prepare_cached(sql)?;
    let mut rows = match only {
        Some(id) => statement.query([id])?,
        None => statement.query(params![])?,
    };
    let mut map: HashMap<String, Vec<Requirement>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let vacancy: String = row.get(0)?;
        let requirement = Requirement {
            skill: SkillUri::parse(&row.get::<_, String>(1)?)?,
            level: Level::new(row.get(2)?)?,
            essential: row.get(3)?,
            weight: Weight::new(row.get::<_, f64>(4)? as f32)?,
        };
        map.entry(vacancy).or_default().push(requirement);
    }
    Ok(map)
}

/// One vacancy with its requirements.
pub fn get_vacancy(connection: &Db<'_>, id: &str) -> Result<Option<Vacancy>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {VACANCY_COLUMNS} FROM vacancy WHERE id = ?1"
    ))?;
    let vacancy = statement
        .query_row([id], |row| Ok(vacancy_from_row(row)))
        .optional()?
        .transpose()?;
    let Some(mut vacancy) = vacancy else {
        return Ok(None);
    };
    vacancy.requirements = requirements_by_vacancy(connection, Some(id))?
        .remove(id)
        .unwrap_or_default();
    Ok(Some(vacancy))
}

/// Every vacancy (optionally of one company), with requirements, ordered by id.
pub fn load_vacancies(connection: &Db<'_>, company: Option<&str>) -> Result<Vec<Vacancy>> {
    let mut requirements = requirements_by_vacancy(connection, None)?;
    let sql = match company {
        Some(_) => {
            format!("SELECT {VACANCY_COLUMNS} FROM vacancy WHERE company_id = ?1 ORDER BY id")
        }
        None => format!("SELECT {VACANCY_COLUMNS} FROM vacancy ORDER BY id"),
    };
    let mut statement = connection.prepare(&sql)?;
    let mut rows = match company {
        Some(id) => statement.query([id])?,
        None => statement.query(params![])?,
    };
    let mut vacancies = Vec::new();
    while let Some(row) = rows.next()? {
        let mut vacancy = vacancy_from_row(&row)?;
        vacancy.requirements = requirements.remove(vacancy.id.as_str()).unwrap_or_default();
        vacancies.push(vacancy);
    }
    Ok(vacancies)
}

/// Inserts or replaces a job seeker (analytical record, competences, work history) and, when
/// given, their personal data.
pub fn upsert_job_seeker(
    connection: &Db<'_>,
    seeker: &JobSeeker,
    personal: Option<&PersonalData>,
) -> Result<()> {
    connection.execute(
        "INSERT INTO job_seeker (id, birth_year, sex, comune, education, available_from, accepts_tirocinio, disability,
           contract_types, min_weekly_hours, max_weekly_hours, max_distance_km, citizenship)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(id) DO UPDATE SET birth_year = excluded.birth_year, sex = excluded.sex, comune = excluded.comune,
           education = excluded.education, available_from = excluded.available_from,
           accepts_tirocinio = excluded.accepts_tirocinio, disability = excluded.disability,
           contract_types = excluded.contract_types, min_weekly_hours = excluded.min_weekly_hours,
           max_weekly_hours = excluded.max_weekly_hours, max_distance_km = excluded.max_distance_km,
           citizenship = excluded.citizenship",
        params![
            seeker.id.as_str(),
            seeker.birth_year,
            seeker.sex.as_str(),
            seeker.comune.as_str(),
            serde_json::to_value(seeker.education).ok().and_then(|v| v.as_str().map(str::to_string)),
            seeker.available_from.map(|day| day.to_string()),
            seeker.accepts_tirocinio,
            seeker.disability,
            serde_json::to_string(&seeker.conditions.contract_types)
                .map_err(|error| crate::Error::Internal(error.to_string()))?,
            seeker.conditions.min_weekly_hours,
            seeker.conditions.max_weekly_hours,
            seeker.conditions.max_distance_km,
            seeker.citizenship.map(Citizenship::as_str),
        ],
    )?;
    connection.execute(
        "DELETE FROM competence WHERE job_seeker_id = ?1",
        [seeker.id.as_str()],
    )?;
    connection.execute(
        "DELETE FROM work_history WHERE job_seeker_id = ?1",
        [seeker.id.as_str()],
    )?;
    let mut competence = connection.prepare_cached(
        "INSERT INTO competence (job_seeker_id, skill_uri, level, evidence, since, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (job_seeker_id, skill_uri, evidence) DO UPDATE SET level = excluded.level, since = excluded.since, note = excluded.note",
    )?;
    for item in &seeker.competences {
        competence.execute(params![
            seeker.id.as_str(),
            item.skill.as_str(),
            item.level.get(),
            item.evidence.as_str(),
            item.since.map(|day| day.to_string()),
            item.note,
        ])?;
    }
    let mut history = connection.prepare_cached(
        "INSERT INTO work_history (job_seeker_id, position, scheme, code, start, \"end\", employer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, job) in seeker.work_history.iter().enumerate() {
        let (scheme, code) = match &job.occupation {
            OccupationCode::Esco(uri) => ("esco", uri.as_str().to_string()),
            OccupationCode::Isco08(code) => ("isco08", code.clone()),
            OccupationCode::Cp2011(code) => ("cp2011", code.clone()),
        };
        history.execute(params![
            seeker.id.as_str(),
            position as i64,
            scheme,
            code,
            job.start.to_string(),
            job.end.map(|day| day.to_string()),
            job.employer,
        ])?;
    }
    if let Some(personal) = personal {
        connection.execute(
            "INSERT INTO person_pii (job_seeker_id, codice_fiscale, first_name, last_name, mobile, email)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(job_seeker_id) DO UPDATE SET codice_fiscale = excluded.codice_fiscale,
               first_name = excluded.first_name, last_name = excluded.last_name, mobile = excluded.mobile,
               email = excluded.email",
            params![
                seeker.id.as_str(),
                personal.codice_fiscale.as_str(),
                personal.first_name,
                personal.last_name,
                personal.mobile,
                personal.email,
            ],
        )?;
    }
    Ok(())
}

const SEEKER_COLUMNS: &str =
    "id, birth_year, sex, comune, education, available_from, accepts_tirocinio, disability, contract_types, min_weekly_hours, max_weekly_hours, max_distance_km, citizenship";

fn seeker_from_row(row: &Row<'_>) -> Result<JobSeeker> {
    Ok(JobSeeker {
        id: EntityId::parse(&row.get::<_, String>(0)?)?,
        birth_year: row.get(1)?,
        sex: Sex::parse(&row.get::<_, String>(2)?)?,
        comune: ComuneCode::parse(&row.get::<_, String>(3)?)?,
        education: EducationLevel::parse(&row.get::<_, String>(4)?)?,
        available_from: optional_date(row.get(5)?)?,
        accepts_tirocinio: row.get(6)?,
        disability: row.get(7)?,
        conditions: WorkConditions {
            contract_types: serde_json::from_str(&row.get::<_, String>(8)?)
                .map_err(|error| corrupt("contract_types", error))?,
            min_weekly_hours: row.get(9)?,
            max_weekly_hours: row.get(10)?,
            max_distance_km: row.get(11)?,
        },
        citizenship: row
            .get::<_, Option<String>>(12)?
            .map(|raw| Citizenship::parse(&raw))
            .transpose()?,
        competences: Vec::new(),
        work_history: Vec::new(),
    })
}

fn competence_from_row(row: &Row<'_>) -> Result<(String, Competence)> {
    Ok((
        row.get(0)?,
        Competence {
            skill: SkillUri::parse(&row.get::<_, String>(1)?)?,
            level: Level::new(row.get(2)?)?,
            evidence: Evidence::parse(&row.get::<_, String>(3)?)?,
            since: optional_date(row.get(4)?)?,
            note: row.get(5)?,
        },
    ))
}

fn job_from_row(row: &Row<'_>) -> Result<(String, PastJob)> {
    let scheme: String = row.get(1)?;
    let code: String = row.get(2)?;
    let occupation = match scheme.as_str() {
        "esco" => OccupationCode::Esco(OccupationUri::parse(&code)?),
        "isco08" => OccupationCode::Isco08(code),
        "cp2011" => OccupationCode::Cp2011(code),
        other => return Err(corrupt("occupation scheme", other)),
    };
    Ok((
        row.get(0)?,
        PastJob {
            occupation,
            start: date(&row.get::<_, String>(3)?)?,
            end: optional_date(row.get(4)?)?,
            employer: row.get(5)?,
        },
    ))
}

/// One job seeker with competences and work history (no personal data).
pub fn get_job_seeker(connection: &Db<'_>, id: &str) -> Result<Option<JobSeeker>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {SEEKER_COLUMNS} FROM job_seeker WHERE id = ?1"
    ))?;
    let Some(mut seeker) = statement
        .query_row([id], |row| Ok(seeker_from_row(row)))
        .optional()?
        .transpose()?
    else {
        return Ok(None);
    };
    let mut statement = connection.prepare_cached(
        "SELECT job_seeker_id, skill_uri, level, evidence, since, note FROM competence WHERE job_seeker_id = ?1 ORDER BY skill_uri",
    )?;
    let mut rows = statement.query([id])?;
    while let Some(row) = rows.next()? {
        seeker.competences.push(competence_from_row(&row)?.1);
    }
    let mut statement = connection.prepare_cached(
        "SELECT job_seeker_id, scheme, code, start, \"end\", employer FROM work_history WHERE job_seeker_id = ?1 ORDER BY position",
    )?;
    let mut rows = statement.query([id])?;
    while let Some(row) = rows.next()? {
        seeker.work_history.push(job_from_row(&row)?.1);
    }
    Ok(Some(seeker))
}

/// Every job seeker with competences and work history, ordered by id.
pub fn load_job_seekers(connection: &Db<'_>) -> Result<Vec<JobSeeker>> {
    let mut competences: HashMap<String, Vec<Competence>> = HashMap::new();
    let mut statement = connection
        .prepare("SELECT job_seeker_id, skill_uri, level, evidence, since, note FROM competence ORDER BY job_seeker_id, skill_uri")?;
    let mut rows = statement.query(params![])?;
    while let Some(row) = rows.next()? {
        let (id, competence) = competence_from_row(&row)?;
        competences.entry(id).or_default().push(competence);
    }
    let mut history: HashMap<String, Vec<PastJob>> = HashMap::new();
    let mut statement = connection
        .prepare("SELECT job_seeker_id, scheme, code, start, \"end\", employer FROM work_history ORDER BY job_seeker_id, position")?;
    let mut rows = statement.query(params![])?;
    while let Some(row) = rows.next()? {
        let (id, job) = job_from_row(&row)?;
        history.entry(id).or_default().push(job);
    }
    let mut statement = connection.prepare(&format!(
        "SELECT {SEEKER_COLUMNS} FROM job_seeker ORDER BY id"
    ))?;
    let mut rows = statement.query(params![])?;
    let mut seekers = Vec::new();
    while let Some(row) = rows.next()? {
        let mut seeker = seeker_from_row(&row)?;
        seeker.competences = competences.remove(seeker.id.as_str()).unwrap_or_default();
        seeker.work_history = history.remove(seeker.id.as_str()).unwrap_or_default();
        seekers.push(seeker);
    }
    Ok(seekers)
}

/// Personal data of a job seeker.
pub fn get_personal_data(connection: &Db<'_>, id: &str) -> Result<Option<PersonalData>> {
    let mut statement = connection.prepare_cached(
        "SELECT codice_fiscale, first_name, last_name, mobile, email FROM person_pii WHERE job_seeker_id = ?1",
    )?;
    let found = statement
        .query_row([id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .optional()?;
    let Some((cf, first_name, last_name, mobile, email)) = found else {
        return Ok(None);
    };
    Ok(Some(PersonalData {
        codice_fiscale: CodiceFiscale::parse(&cf)?,
        first_name,
        last_name,
        mobile,
        email,
    }))
}

/// The job seeker id of a codice fiscale.
pub fn find_job_seeker_by_cf(connection: &Db<'_>, cf: &CodiceFiscale) -> Result<Option<String>> {
    connection
        .query_row(
            "SELECT job_seeker_id FROM person_pii WHERE codice_fiscale = ?1",
            [cf.as_str()],
            |row| row.get(0),
        )
        .optional()
}

/// Job seekers whose name contains `text` (case-insensitive), as `(id, first, last)`.
pub fn find_job_seekers_by_name(
    connection: &Db<'_>,
    text: &str,
    limit: usize,
) -> Result<Vec<(String, String, String)>> {
    let pattern = format!("%{}%", text.replace(['%', '_'], ""));
    let mut statement = connection.prepare_cached(
        "SELECT job_seeker_id, first_name, last_name FROM person_pii
         WHERE (first_name || ' ' || last_name) LIKE ?1 OR (last_name || ' ' || first_name) LIKE ?1
         ORDER BY last_name, first_name LIMIT ?2",
    )?;
    let rows = statement.query_map(params![pattern, limit as i64], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })?;
    rows.collect::<crate::Result<Vec<_>>>()
}

/// Inserts or replaces a course and the competences it teaches.
pub fn upsert_course(connection: &Db<'_>, course: &Course) -> Result<()> {
    connection.execute(
        "INSERT INTO course (id, title, provider, hours, start, \"end\", modality, comune, seats, cost_eur, certification, gol_path)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title, provider = excluded.provider, hours = excluded.hours,
           start = excluded.start, \"end\" = excluded.\"end\", modality = excluded.modality, comune = excluded.comune,
           seats = excluded.seats, cost_eur = excluded.cost_eur, certification = excluded.certification,
           gol_path = excluded.gol_path",
        params![
            course.id.as_str(),
            course.title,
            course.provider,
            course.hours,
            course.start.to_string(),
            course.end.to_string(),
            course.modality.as_str(),
            course.comune.as_ref().map(ComuneCode::as_str),
            course.seats,
            course.cost_eur,
            course.certification,
            course.gol_path.map(GolPath::as_str),
        ],
    )?;
    connection.execute(
        "DELETE FROM course_skill WHERE course_id = ?1",
        [course.id.as_str()],
    )?;
    let mut statement = connection.prepare_cached(
        "INSERT INTO course_skill (course_id, skill_uri, level) VALUES (?1, ?2, ?3) ON CONFLICT (course_id, skill_uri) DO UPDATE SET level = excluded.level",
    )?;
    for (skill, level) in &course.teaches {
        statement.execute(params![course.id.as_str(), skill.as_str(), level.get()])?;
    }
    Ok(())
}

/// Every course with what it teaches, ordered by id.
pub fn load_courses(connection: &Db<'_>) -> Result<Vec<Course>> {
    load_courses_where(connection, None)
}

/// Every course, or the one with id `only`, by id.
fn load_courses_where(connection: &Db<'_>, only: Option<&str>) -> Result<Vec<Course>> {
    let mut teaches: HashMap<String, Vec<(SkillUri, Level)>> = HashMap::new();
    let mut statement = connection.prepare_cached(
        "SELECT course_id, skill_uri, level FROM course_skill \
         WHERE CAST(?1 AS TEXT) IS NULL OR course_id = ?1 ORDER BY course_id, skill_uri",
    )?;
    let mut rows = statement.query(params![only])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        teaches.entry(id).or_default().push((
            SkillUri::parse(&row.get::<_, String>(1)?)?,
            Level::new(row.get(2)?)?,
        ));
    }
    let mut statement = connection.prepare_cached(
        "SELECT id, title, provider, hours, start, \"end\", modality, comune, seats, cost_eur, certification, gol_path
         FROM course WHERE CAST(?1 AS TEXT) IS NULL OR id = ?1 ORDER BY id",
    )?;
    let mut rows = statement.query(params![only])?;
    let mut courses = Vec::new();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let comune: Option<String> = row.get(7)?;
        let gol: Option<String> = row.get(11)?;
        courses.push(Course {
            teaches: teaches.remove(&id).unwrap_or_default(),
            id: EntityId::parse(&id)?,
            title: row.get(1)?,
            provider: row.get(2)?,
            hours: row.get(3)?,
            start: date(&row.get::<_, String>(4)?)?,
            end: date(&row.get::<_, String>(5)?)?,
            modality: Modality::parse(&row.get::<_, String>(6)?)?,
            comune: comune.as_deref().map(ComuneCode::parse).transpose()?,
            seats: row.get(8)?,
            cost_eur: row.get(9)?,
            certification: row.get(10)?,
            gol_path: gol.as_deref().map(GolPath::parse).transpose()?,
        });
    }
    Ok(courses)
}

/// Inserts or updates a comune (its ISTAT code, if stored, stays).
pub fn upsert_comune(
    connection: &Db<'_>,
    code: &ComuneCode,
    name: &str,
    province: &str,
    lat: f64,
    lon: f64,
) -> Result<()> {
    connection.execute(
        "INSERT INTO comune (code, name, province, lat, lon) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(code) DO UPDATE SET name = excluded.name, province = excluded.province,
           lat = excluded.lat, lon = excluded.lon",
        params![code.as_str(), name, province, lat, lon],
    )?;
    Ok(())
}

/// Coordinates of every comune.
pub fn load_coordinates(connection: &Db<'_>) -> Result<HashMap<ComuneCode, (f64, f64)>> {
    let mut statement = connection
        .prepare("SELECT code, lat, lon FROM comune WHERE lat IS NOT NULL AND lon IS NOT NULL")?;
    let mut rows = statement.query(params![])?;
    let mut map = HashMap::new();
    while let Some(row) = rows.next()? {
        map.insert(
            ComuneCode::parse(&row.get::<_, String>(0)?)?,
            (row.get(1)?, row.get(2)?),
        );
    }
    Ok(map)
}

/// Names of every comune.
pub fn load_comune_names(connection: &Db<'_>) -> Result<HashMap<String, String>> {
    let mut statement = connection.prepare("SELECT code, name FROM comune")?;
    let rows = statement.query_map(params![], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect::<crate::Result<HashMap<_, _>>>()
}

/// Adds a CP2011 → ISCO-08 link.
pub fn upsert_crosswalk(connection: &Db<'_>, cp2011: &str, isco08: &str) -> Result<()> {
    connection.execute(
        "INSERT OR IGNORE INTO cp2011_isco (cp2011, isco08) VALUES (?1, ?2)",
        params![cp2011, isco08],
    )?;
    Ok(())
}

/// The crosswalk as CP2011 → first ISCO-08 code.
pub fn load_crosswalk(connection: &Db<'_>) -> Result<HashMap<String, String>> {
    let mut statement =
        connection.prepare("SELECT cp2011, min(isco08) FROM cp2011_isco GROUP BY cp2011")?;
    let rows = statement.query_map(params![], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect::<crate::Result<HashMap<_, _>>>()
}

/// Row counts of the entity tables.
pub fn counts(connection: &Db<'_>) -> Result<Vec<(&'static str, i64)>> {
    let tables = [
        ("companies", "company"),
        ("vacancies", "vacancy"),
        ("vacancy_requirements", "vacancy_requirement"),
        ("job_seekers", "job_seeker"),
        ("competences", "competence"),
        ("past_jobs", "work_history"),
        ("courses", "course"),
        ("comuni", "comune"),
    ];
    let mut result = Vec::new();
    for (name, table) in tables {
        let count: i64 =
            connection.query_row(&format!("SELECT count(*) FROM {table}"), params![], |row| {
                row.get(0)
            })?;
        result.push((name, count));
    }
    Ok(result)
}
