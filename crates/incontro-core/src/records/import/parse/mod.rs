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
    /// Job seekers with their personal data (`None` for a stored person that only a
    /// competences or work history file named: their personal data stays as stored).
    pub(super) seekers: Vec<(JobSeeker, Option<PersonalData>)>,
    pub(super) courses: Vec<Course>,
    pub(super) unchecked: u64,
    pub(super) back_to_draft: Vec<String>,
}

/// The stored records a file may refer to when its parent file is not given: a
/// `requirements.csv` alone for stored vacancies, `competences.csv` or `work_history.csv` alone
/// for stored job seekers, `course_skills.csv` alone for stored courses. A file replaces, for
/// each record it names, that record's whole list of its kind (every competence, every past
/// job, every requirement, every skill taught); records it does not name keep theirs.
pub(in crate::records) struct Stored<'a> {
    pub(in crate::records) vacancy: &'a dyn Fn(&str) -> Result<Option<Vacancy>>,
    pub(in crate::records) seeker: &'a dyn Fn(&str) -> Result<Option<JobSeeker>>,
    pub(in crate::records) courses: &'a dyn Fn() -> Result<Vec<Course>>,
}

/// Reads and checks every file given, in dependency order: places, then employers (companies,
/// vacancies, requirements), people (job seekers, competences, work history) and courses.
pub(super) fn parse_all(
    files: &RecordFiles,
    known_skill: &dyn Fn(&str) -> Option<bool>,
    existing_companies: &HashSet<String>,
    stored: &Stored<'_>,
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
        back_to_draft: Vec::new(),
    };
    parse_places(files, &mut parsed, problems)?;
    parse_employers(
        files,
        known_skill,
        existing_companies,
        stored,
        &mut parsed,
        problems,
    )?;
    parse_people(files, known_skill, stored, &mut parsed, problems)?;
    parse_courses(files, known_skill, stored, &mut parsed, problems)?;
    Ok(parsed)
}
