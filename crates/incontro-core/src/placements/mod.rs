//! Proposals and placements recorded by the desk for one person and one vacancy (issue 7).
//!
//! A **proposal** says the desk put the person forward for the vacancy; a **placement** says the
//! person was placed in it (contract or tirocinio), optionally after the given courses. The
//! engine checks that the person, the vacancy and every course exist, that a placement is for a
//! vacancy open on the day, and refuses an identical proposal twice (`proposal_exists`). The
//! free-text note (at most [`MAX_NOTE_CHARS`] characters) is personal data: it is stored, never
//! logged nor put in error messages.

pub(crate) mod sql;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fairness::oversight::PairRank;
use crate::model::EntityId;
use crate::{Engine, Error, ErrorCode, Result};

mod changes;
pub use changes::PlacementCorrection;

/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// What was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementKind {
    /// The person was proposed for the vacancy.
    Proposal,
    /// The person was placed in the vacancy.
    Placement,
}

impl PlacementKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementKind::Proposal => "proposal",
            PlacementKind::Placement => "placement",
        }
    }
    /// Parses `proposal` or `placement`.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim() {
            "proposal" => Ok(PlacementKind::Proposal),
            "placement" => Ok(PlacementKind::Placement),
            _ => Err(Error::invalid(
                ErrorCode::InvalidPlacementKind,
                "kind must be proposal or placement",
            )),
        }
    }
}

/// The form of the placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementMode {
    /// An employment contract.
    Contract,
    /// A tirocinio extracurriculare.
    Tirocinio,
}

impl PlacementMode {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementMode::Contract => "contract",
            PlacementMode::Tirocinio => "tirocinio",
        }
    }
    /// Parses `contract` or `tirocinio`.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim() {
            "contract" => Ok(PlacementMode::Contract),
            "tirocinio" => Ok(PlacementMode::Tirocinio),
            _ => Err(Error::invalid(
                ErrorCode::InvalidPlacementType,
                "placement type must be contract or tirocinio",
            )),
        }
    }
}

/// A proposal or placement to record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewPlacement {
    /// The person.
    pub job_seeker_id: EntityId,
    /// The vacancy.
    pub vacancy_id: EntityId,
    /// Proposal or placement.
    pub kind: PlacementKind,
    /// Contract or tirocinio.
    pub placement_type: PlacementMode,
    /// Courses taken on the way (each must exist).
    #[serde(default)]
    pub course_ids: Vec<String>,
    /// Free text, at most [`MAX_NOTE_CHARS`] characters (personal data).
    #[serde(default)]
    pub note: Option<String>,
    /// Who recorded it (the key's label).
    pub recorded_by: String,
}

/// A stored proposal or placement.
#[derive(Debug, Clone, Serialize)]
pub struct Placement {
    /// Record number.
    pub id: i64,
    /// The person.
    pub job_seeker_id: String,
    /// The vacancy.
    pub vacancy_id: String,
    /// The vacancy's title (none when the vacancy was removed since).
    pub vacancy_title: Option<String>,
    /// Proposal or placement.
    pub kind: PlacementKind,
    /// Contract or tirocinio.
    pub placement_type: PlacementMode,
    /// Courses taken on the way.
    pub course_ids: Vec<String>,
    /// The note.
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_on: NaiveDate,
    /// Where the pair stood in the rankings when it was recorded (human oversight, issue 18);
    /// `None` for records made before ranks were kept.
    pub rank_when_recorded: Option<PairRank>,
}

/// Trims a note: `None` when empty, an error (without the text) when longer than
/// [`MAX_NOTE_CHARS`] characters.
pub fn clean_note(note: Option<&str>) -> Result<Option<String>> {
    let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::invalid(
            ErrorCode::NoteTooLong,
            format!("a note has at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    Ok(Some(note.to_string()))
}

/// **Placements**: proposals and placements recorded by the desk.
impl Engine {
    /// Records a proposal or a placement made on `today`; returns the stored record.
    pub fn record_placement(&self, record: &NewPlacement, today: NaiveDate) -> Result<Placement> {
        let note = clean_note(record.note.as_deref())?;
        if record.recorded_by.trim().is_empty() {
            return Err(Error::invalid(
                ErrorCode::InvalidRecordedBy,
                "say who records the placement",
            ));
        }
        self.get_job_seeker(&record.job_seeker_id)?;
        let vacancy = self.get_vacancy(&record.vacancy_id)?;
        if record.kind == PlacementKind::Placement && !vacancy.is_open_on(today) {
            return Err(Error::conflict(
                ErrorCode::VacancyNotOpen,
                format!("vacancy {} is not open", record.vacancy_id.as_str()),
            ));
        }
        let mut courses: Vec<String> = Vec::new();
        for course in &record.course_ids {
            let course = course.trim();
            if course.is_empty() || courses.iter().any(|c| c == course) {
                continue;
            }
            courses.push(course.to_string());
        }
        // Human oversight: where staff's choice stood in the rankings at this moment.
        let rank = self.pair_rank(&record.job_seeker_id, &record.vacancy_id)?;
        let stored = NewPlacement {
            note,
            course_ids: courses,
            ..record.clone()
        };
        let id = self.store().write(|tx| {
            for course in &stored.course_ids {
                if !sql::course_exists(tx, course)? {
                    return Err(Error::not_found(
                        ErrorCode::CourseNotFound,
                        "course",
                        course.clone(),
                    ));
                }
            }
            if stored.kind == PlacementKind::Proposal
                && sql::proposal_exists(
                    tx,
                    stored.job_seeker_id.as_str(),
                    stored.vacancy_id.as_str(),
                    stored.placement_type,
                )?
            {
                return Err(Error::conflict(
                    ErrorCode::ProposalExists,
                    "this proposal is already recorded",
                ));
            }
            sql::insert(tx, &stored, today, &rank)
        })?;
        Ok(Placement {
            id,
            job_seeker_id: stored.job_seeker_id.as_str().to_string(),
            vacancy_id: stored.vacancy_id.as_str().to_string(),
            vacancy_title: Some(vacancy.title),
            kind: stored.kind,
            placement_type: stored.placement_type,
            course_ids: stored.course_ids,
            note: stored.note,
            recorded_by: stored.recorded_by,
            recorded_on: today,
            rank_when_recorded: Some(rank),
        })
    }

    /// The person's recorded proposals and placements, newest first.
    pub fn placements_for_person(&self, id: &EntityId) -> Result<Vec<Placement>> {
        self.get_job_seeker(id)?;
        self.store().read(|c| sql::for_person(c, id.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn demo() -> (Engine, EntityId, EntityId, NaiveDate) {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        engine.import_demo(&crate::NoProgress).expect("demo");
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("day");
        let person = engine.all_job_seekers().expect("people")[0].id.clone();
        let vacancy = engine
            .list_vacancies(None)
            .expect("vacancies")
            .into_iter()
            .find(|v| v.is_open_on(today))
            .expect("an open vacancy")
            .id;
        (engine, person, vacancy, today)
    }

    fn proposal(person: &EntityId, vacancy: &EntityId) -> NewPlacement {
        NewPlacement {
            job_seeker_id: person.clone(),
            vacancy_id: vacancy.clone(),
            kind: PlacementKind::Proposal,
            placement_type: PlacementMode::Contract,
            course_ids: Vec::new(),
            note: Some("  called back on Monday ".into()),
            recorded_by: "desk_1".into(),
        }
    }

    #[test]
    fn records_and_lists_and_refuses_a_duplicate_proposal() {
        let (engine, person, vacancy, today) = demo();
        let stored = engine
            .record_placement(&proposal(&person, &vacancy), today)
            .expect("record");
        assert_eq!(stored.note.as_deref(), Some("called back on Monday"));
        let error = engine
            .record_placement(&proposal(&person, &vacancy), today)
            .expect_err("duplicate");
        assert_eq!(error.code(), "proposal_exists");
        let mut tirocinio = proposal(&person, &vacancy);
        tirocinio.placement_type = PlacementMode::Tirocinio;
        engine
            .record_placement(&tirocinio, today)
            .expect("other type");
        let mut placed = proposal(&person, &vacancy);
        placed.kind = PlacementKind::Placement;
        engine.record_placement(&placed, today).expect("placement");
        let list = engine.placements_for_person(&person).expect("list");
        assert_eq!(list.len(), 3);
        assert_eq!(list[0].kind, PlacementKind::Placement);
        assert!(list[0].vacancy_title.is_some());
        assert_eq!(list[2].recorded_on, today);
    }

    #[test]
    fn refuses_unknown_person_vacancy_course_and_long_note() {
        let (engine, person, vacancy, today) = demo();
        let unknown = EntityId::parse("nobody-here").expect("id");
        let error = engine
            .record_placement(&proposal(&unknown, &vacancy), today)
            .expect_err("person");
        assert_eq!(error.code(), "job_seeker_not_found");
        assert_eq!(error.kind(), ErrorKind::NotFound);
        let error = engine
            .record_placement(&proposal(&person, &unknown), today)
            .expect_err("vacancy");
        assert_eq!(error.code(), "vacancy_not_found");
        let mut with_course = proposal(&person, &vacancy);
        with_course.course_ids = vec!["no-such-course".into()];
        let error = engine
            .record_placement(&with_course, today)
            .expect_err("course");
        assert_eq!(error.code(), "course_not_found");
        let mut long = proposal(&person, &vacancy);
        long.note = Some("x".repeat(MAX_NOTE_CHARS + 1));
        let error = engine.record_placement(&long, today).expect_err("note");
        assert_eq!(error.code(), "note_too_long");
        assert!(!error.to_string().contains("xxxx"));
        assert!(engine
            .placements_for_person(&person)
            .expect("list")
            .is_empty());
    }

    #[test]
    fn a_placement_needs_an_open_vacancy_but_a_proposal_does_not() {
        let (engine, person, vacancy, _) = demo();
        let before = engine.get_vacancy(&vacancy).expect("v").opens - chrono::Duration::days(1);
        let mut placed = proposal(&person, &vacancy);
        placed.kind = PlacementKind::Placement;
        let error = engine
            .record_placement(&placed, before)
            .expect_err("not open yet");
        assert_eq!(error.code(), "vacancy_not_open");
        engine
            .record_placement(&proposal(&person, &vacancy), before)
            .expect("a proposal before opening");
    }
}
