//! Reading and checking the record files: one function per group of files, each row checked and
//! every problem reported with its file, line and field.

use super::*;

mod courses;
mod employers;
mod people;
mod places;

use courses::parse_courses;
use employers::parse_employers;
use people::parse_people;
use places::parse_places;

/// Everything read from the files, checked.
pub(super) struct Parsed {
    pub(super) comuni: Vec<(ComuneCode, String, String, f64, f64)>,
    pub(super) crosswalk: Vec<(String, String)>,
    pub(super) companies: Vec<Company>,
    pub(super) vacancies: Vec<Vacancy>,
    pub(super) seekers: Vec<(JobSeeker, PersonalData)>,
    pub(super) courses: Vec<Course>,
    pub(super) unchecked: u64,
}

/// Reads and checks every file given, in dependency order: places, then employers (companies,
/// vacancies, requirements), people (job seekers, competences, work history) and courses.
pub(super) fn parse_all(
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
    parse_places(files, &mut parsed, problems)?;
    parse_employers(
        files,
        known_skill,
        existing_companies,
        &mut parsed,
        problems,
    )?;
    parse_people(files, known_skill, &mut parsed, problems)?;
    parse_courses(files, known_skill, &mut parsed, problems)?;
    Ok(parsed)
}
