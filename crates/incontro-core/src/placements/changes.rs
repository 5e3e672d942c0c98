//! Correcting or withdrawing a recorded proposal or placement (issue 15): the desk fixes the
//! type, the proposed courses or the note, or withdraws a record made by mistake. What the record
//! was, who changed it, when and why is kept (`placement_change`); a withdrawn record no longer
//! counts anywhere (the person's list, the fairness oversight figures).

use chrono::NaiveDate;

use super::{clean_note, Placement, PlacementMode};
use crate::model::EntityId;
use crate::placements::sql::changes as sql;
use crate::{Engine, Error, Result};

/// A correction of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementCorrection {
    /// Contract or tirocinio.
    pub placement_type: PlacementMode,
    /// The proposed courses (each must exist).
    pub course_ids: Vec<String>,
    /// The note (at most 500 characters).
    pub note: Option<String>,
}

fn before_json(record: &Placement) -> String {
    serde_json::json!({
        "vacancy_id": record.vacancy_id,
        "kind": record.kind.as_str(),
        "placement_type": record.placement_type.as_str(),
        "course_ids": record.course_ids,
        "note": record.note,
        "recorded_by": record.recorded_by,
        "recorded_on": record.recorded_on.to_string(),
    })
    .to_string()
}

/// **Placements**: correcting and withdrawing proposals and placements (audited).
impl Engine {
    fn person_record(&self, person: &EntityId, record_id: i64) -> Result<Placement> {
        self.placements_for_person(person)?
            .into_iter()
            .find(|record| record.id == record_id)
            .ok_or_else(|| {
                Error::not_found(
                    crate::ErrorCode::PlacementNotFound,
                    "placement",
                    record_id.to_string(),
                )
            })
    }

    /// Corrects a record of `person`; returns it as stored.
    pub fn correct_placement(
        &self,
        person: &EntityId,
        record_id: i64,
        correction: &PlacementCorrection,
        by: &str,
        day: NaiveDate,
    ) -> Result<Placement> {
        let before = self.person_record(person, record_id)?;
        let note = clean_note(correction.note.as_deref())?;
        let mut courses: Vec<String> = Vec::new();
        for course in &correction.course_ids {
            let course = course.trim();
            if !course.is_empty() && !courses.iter().any(|c| c == course) {
                courses.push(course.to_string());
            }
        }
        let known: std::collections::HashSet<String> = self
            .list_courses()?
            .into_iter()
            .map(|course| course.id.as_str().to_string())
            .collect();
        if let Some(unknown) = courses.iter().find(|course| !known.contains(*course)) {
            return Err(Error::not_found(
                crate::ErrorCode::CourseNotFound,
                "course",
                unknown.clone(),
            ));
        }
        let courses_json = serde_json::to_string(&courses)
            .map_err(|error| Error::Internal(format!("course ids: {error}")))?;
        self.store().write(|tx| {
            sql::insert_change(
                tx,
                &sql::Change {
                    record_id,
                    person: person.as_str(),
                    action: "corrected",
                    before: &before_json(&before),
                    by,
                    day,
                    reason: None,
                },
            )?;
            sql::update_record(
                tx,
                record_id,
                correction.placement_type.as_str(),
                &courses_json,
                note.as_deref(),
            )?;
            Ok(())
        })?;
        self.person_record(person, record_id)
    }

    /// Withdraws a record of `person` (a proposal made by mistake, a placement that did not
    /// happen), with the reason.
    pub fn withdraw_placement(
        &self,
        person: &EntityId,
        record_id: i64,
        by: &str,
        day: NaiveDate,
        reason: Option<&str>,
    ) -> Result<()> {
        let before = self.person_record(person, record_id)?;
        let reason = clean_note(reason)?;
        self.store().write(|tx| {
            sql::insert_change(
                tx,
                &sql::Change {
                    record_id,
                    person: person.as_str(),
                    action: "withdrawn",
                    before: &before_json(&before),
                    by,
                    day,
                    reason: reason.as_deref(),
                },
            )?;
            sql::delete_record(tx, record_id)?;
            Ok(())
        })
    }

    /// How many of the person's records were withdrawn.
    pub fn withdrawn_placements(&self, person: &EntityId) -> Result<u64> {
        self.store()
            .read(|c| sql::withdrawn_count(c, person.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{NewPlacement, PlacementKind};
    use super::*;

    #[test]
    fn a_proposal_is_corrected_then_withdrawn_and_its_past_is_kept() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).unwrap();
        engine.import_demo(&crate::NoProgress).unwrap();
        let person = EntityId::parse("JS0001").unwrap();
        let vacancy = EntityId::parse("V001").unwrap();
        let day = crate::records::DEMO_ANCHOR;
        let stored = engine
            .record_placement(
                &NewPlacement {
                    job_seeker_id: person.clone(),
                    vacancy_id: vacancy,
                    kind: PlacementKind::Proposal,
                    placement_type: PlacementMode::Contract,
                    course_ids: Vec::new(),
                    note: Some("prima nota".into()),
                    recorded_by: "desk".into(),
                },
                day,
            )
            .unwrap();
        let course = engine.list_courses().unwrap()[0].id.as_str().to_string();
        let corrected = engine
            .correct_placement(
                &person,
                stored.id,
                &PlacementCorrection {
                    placement_type: PlacementMode::Tirocinio,
                    course_ids: vec![course.clone(), course.clone()],
                    note: Some("nota corretta".into()),
                },
                "desk",
                day,
            )
            .unwrap();
        assert_eq!(corrected.placement_type, PlacementMode::Tirocinio);
        assert_eq!(corrected.course_ids, vec![course]);
        assert_eq!(corrected.note.as_deref(), Some("nota corretta"));
        let unknown = engine
            .correct_placement(
                &person,
                stored.id,
                &PlacementCorrection {
                    placement_type: PlacementMode::Contract,
                    course_ids: vec!["NOPE".into()],
                    note: None,
                },
                "desk",
                day,
            )
            .unwrap_err();
        assert_eq!(unknown.code(), "course_not_found");
        // Another person's record is not found through this one.
        let other = EntityId::parse("JS0002").unwrap();
        assert_eq!(
            engine
                .withdraw_placement(&other, stored.id, "desk", day, None)
                .unwrap_err()
                .code(),
            "placement_not_found"
        );
        engine
            .withdraw_placement(&person, stored.id, "desk", day, Some("per errore"))
            .unwrap();
        assert!(engine.placements_for_person(&person).unwrap().is_empty());
        assert_eq!(engine.withdrawn_placements(&person).unwrap(), 1);
    }
}
