//! The checks every write path runs, the importer's rules for one entity: `put_vacancy`,
//! `insert_vacancy`, `set_requirements`, `put_job_seeker(s)` and `put_course` refuse what
//! `import records` refuses (duplicate or unknown skills, impossible numbers and dates), with the
//! same error codes whether the entity comes from a file, the API or an embedding program.
//! See: issue 19 (put_vacancy accepted a duplicate skill and a skill the taxonomy did not know).

use std::collections::HashSet;

use crate::model::{
    Course, JobSeeker, PlacementType, SkillUri, Vacancy, VacancySource, VacancyStatus,
};
use crate::taxonomy::Taxonomy;
use crate::{Error, ErrorCode, Result};

/// Every skill known to the taxonomy, once each (an empty taxonomy checks nothing, as the
/// importer does before ESCO is imported).
pub(crate) fn check_skills<'a>(
    taxonomy: &Taxonomy,
    what: &str,
    skills: impl IntoIterator<Item = &'a SkillUri>,
) -> Result<()> {
    let mut seen = HashSet::new();
    for skill in skills {
        if !seen.insert(skill.as_str()) {
            return Err(Error::invalid(
                ErrorCode::DuplicateSkill,
                format!("{what}: skill {skill} appears twice"),
            ));
        }
        if taxonomy.skill_count() > 0 && taxonomy.skill_idx(skill.as_str()).is_none() {
            return Err(Error::invalid(
                ErrorCode::UnknownSkill,
                format!("{what}: skill {skill} is not in the imported taxonomy"),
            ));
        }
    }
    Ok(())
}

/// A vacancy as the importer would accept it.
pub(crate) fn check_vacancy(taxonomy: &Taxonomy, vacancy: &Vacancy) -> Result<()> {
    let what = format!("vacancy {}", vacancy.id);
    if vacancy.title.trim().is_empty() {
        return Err(Error::invalid(
            ErrorCode::InvalidVacancy,
            format!("{what}: title is empty"),
        ));
    }
    match &vacancy.placement {
        PlacementType::Contract { contract_type } => {
            let code = contract_type.as_bytes();
            if code.len() != 7 || code[1] != b'.' {
                return Err(Error::invalid(
                    ErrorCode::InvalidContractType,
                    format!("{what}: a contract needs a COB contract type like A.02.00"),
                ));
            }
        }
        PlacementType::Tirocinio { months, .. } => {
            if !(1..=24).contains(months) {
                return Err(Error::invalid(
                    ErrorCode::InvalidTirocinio,
                    format!("{what}: a tirocinio lasts 1 to 24 months, got {months}"),
                ));
            }
        }
    }
    if vacancy.positions == 0 {
        return Err(Error::invalid(
            ErrorCode::InvalidPositions,
            format!("{what}: positions must be a positive number"),
        ));
    }
    if vacancy.closes.is_some_and(|closes| closes < vacancy.opens) {
        return Err(Error::invalid(
            ErrorCode::InvalidDates,
            format!("{what}: closes before it opens"),
        ));
    }
    if let VacancySource::Agency { name } = &vacancy.source {
        if name.trim().is_empty() {
            return Err(Error::invalid(
                ErrorCode::InvalidSource,
                format!("{what}: an agency vacancy needs the agency's name"),
            ));
        }
    }
    if let VacancyStatus::Validated { by, .. } = &vacancy.status {
        if by.trim().is_empty() {
            return Err(Error::invalid(
                ErrorCode::InvalidStatus,
                format!("{what}: a validated vacancy needs the validator's name"),
            ));
        }
    }
    check_skills(
        taxonomy,
        &what,
        vacancy
            .requirements
            .iter()
            .map(|requirement| &requirement.skill),
    )
}

/// A job seeker's competences as the importer would accept them.
pub(crate) fn check_job_seeker(taxonomy: &Taxonomy, seeker: &JobSeeker) -> Result<()> {
    check_skills(
        taxonomy,
        &format!("job seeker {}", seeker.id),
        seeker
            .competences
            .iter()
            .map(|competence| &competence.skill),
    )
}

/// A course as the importer would accept it.
pub(crate) fn check_course(taxonomy: &Taxonomy, course: &Course) -> Result<()> {
    let what = format!("course {}", course.id);
    if course.hours == 0 {
        return Err(Error::invalid(
            ErrorCode::InvalidHours,
            format!("{what}: hours must be a positive number"),
        ));
    }
    if course.end < course.start {
        return Err(Error::invalid(
            ErrorCode::InvalidDates,
            format!("{what}: ends before it starts"),
        ));
    }
    check_skills(
        taxonomy,
        &what,
        course.teaches.iter().map(|(skill, _)| skill),
    )
}
