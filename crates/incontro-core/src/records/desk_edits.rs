//! What desk staff change on a person after an interview (issue 15): a competence assessed at
//! the interview (level and note; it replaces what was declared or presumed), and the person's
//! own conditions (tirocinio, contract types, weekly hours, distance).

use chrono::NaiveDate;

use crate::model::{Competence, EntityId, Evidence, JobSeeker, Level, SkillUri, WorkConditions};
use crate::outreach::codes::{CodeScheme, CodeStatus};
use crate::placements::clean_note;
use crate::{Engine, Error, Result};

/// **Desk**: a person's assessed competences, interview notes and conditions as the desk edits them.
impl Engine {
    /// Records `skill` at `level` as assessed on `day` with an optional interview note (at most
    /// 500 characters): it replaces the person's explicit competence of that skill, and, being
    /// explicit, any presumed one.
    pub fn assess_competence(
        &self,
        id: &EntityId,
        skill: &SkillUri,
        level: Level,
        note: Option<&str>,
        day: NaiveDate,
    ) -> Result<JobSeeker> {
        let note = clean_note(note)?;
        let taxonomy = self.taxonomy()?;
        if taxonomy.skill_idx(skill.as_str()).is_none() {
            return Err(Error::invalid(
                crate::ErrorCode::UnknownSkill,
                "no such skill in the taxonomy",
            ));
        }
        drop(taxonomy);
        let mut seeker = self.get_job_seeker(id)?;
        seeker
            .competences
            .retain(|competence| &competence.skill != skill);
        seeker.competences.push(Competence {
            skill: skill.clone(),
            level,
            evidence: Evidence::Assessed,
            since: Some(day),
            note,
        });
        self.put_job_seeker(&seeker, None)?;
        Ok(seeker)
    }

    /// Replaces the person's conditions: tirocinio, COB contract types (known codes only),
    /// weekly hours (1–80, the fewest not above the most) and maximum distance (1–1000 km).
    pub fn set_conditions(
        &self,
        id: &EntityId,
        accepts_tirocinio: bool,
        conditions: WorkConditions,
    ) -> Result<JobSeeker> {
        let today = self.today();
        let tables = self.cob_code_tables()?;
        for code in &conditions.contract_types {
            if tables.check(CodeScheme::TipologiaContrattuale, code, today) == CodeStatus::Unknown {
                return Err(Error::invalid(
                    crate::ErrorCode::UnknownContractType,
                    format!(
                        "{:?} is not a COB contract type",
                        crate::input::excerpt(code)
                    ),
                ));
            }
        }
        for hours in [conditions.min_weekly_hours, conditions.max_weekly_hours]
            .into_iter()
            .flatten()
        {
            if !(1..=80).contains(&hours) {
                return Err(Error::invalid(
                    crate::ErrorCode::InvalidWeeklyHours,
                    "weekly hours are 1 to 80",
                ));
            }
        }
        if let (Some(min), Some(max)) = (conditions.min_weekly_hours, conditions.max_weekly_hours) {
            if min > max {
                return Err(Error::invalid(
                    crate::ErrorCode::InvalidWeeklyHours,
                    "the fewest weekly hours are above the most",
                ));
            }
        }
        if conditions
            .max_distance_km
            .is_some_and(|km| !(1..=1000).contains(&km))
        {
            return Err(Error::invalid(
                crate::ErrorCode::InvalidDistance,
                "the maximum distance is 1 to 1000 km",
            ));
        }
        let mut seeker = self.get_job_seeker(id)?;
        seeker.accepts_tirocinio = accepts_tirocinio;
        seeker.conditions = conditions;
        self.put_job_seeker(&seeker, None)?;
        Ok(seeker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (Engine, EntityId) {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).unwrap();
        engine.import_demo(&crate::NoProgress).unwrap();
        (engine, EntityId::parse("JS0001").unwrap())
    }

    #[test]
    fn an_assessed_competence_replaces_the_declared_one_with_its_note() {
        let (engine, id) = demo();
        let before = engine.get_job_seeker(&id).unwrap();
        let skill = before.competences[0].skill.clone();
        let day = crate::records::DEMO_ANCHOR;
        let after = engine
            .assess_competence(
                &id,
                &skill,
                Level::new(4).unwrap(),
                Some(" prova pratica "),
                day,
            )
            .unwrap();
        let of_skill: Vec<&Competence> = after
            .competences
            .iter()
            .filter(|competence| competence.skill == skill)
            .collect();
        assert_eq!(of_skill.len(), 1);
        assert_eq!(of_skill[0].level.get(), 4);
        assert_eq!(of_skill[0].evidence, Evidence::Assessed);
        assert_eq!(of_skill[0].note.as_deref(), Some("prova pratica"));
        let profile = engine.person_profile(&id).unwrap();
        let entry = profile.iter().find(|entry| entry.skill == skill).unwrap();
        assert_eq!(
            entry.provenance_it(),
            "valutata al colloquio — prova pratica"
        );
        let long = "x".repeat(501);
        assert_eq!(
            engine
                .assess_competence(&id, &skill, Level::BASE, Some(&long), day)
                .unwrap_err()
                .code(),
            "note_too_long"
        );
    }

    #[test]
    fn conditions_are_checked_before_they_are_stored() {
        let (engine, id) = demo();
        let conditions = WorkConditions {
            contract_types: vec!["A.01.00".into(), "A.02.00".into()],
            min_weekly_hours: Some(20),
            max_weekly_hours: Some(38),
            max_distance_km: Some(25),
        };
        let stored = engine
            .set_conditions(&id, true, conditions.clone())
            .unwrap();
        assert!(stored.accepts_tirocinio);
        assert_eq!(engine.get_job_seeker(&id).unwrap().conditions, conditions);
        let wrong = |conditions: WorkConditions| {
            engine
                .set_conditions(&id, false, conditions)
                .unwrap_err()
                .code()
        };
        assert_eq!(
            wrong(WorkConditions {
                contract_types: vec!["Z.99.99".into()],
                ..WorkConditions::default()
            }),
            "unknown_contract_type"
        );
        assert_eq!(
            wrong(WorkConditions {
                min_weekly_hours: Some(30),
                max_weekly_hours: Some(20),
                ..WorkConditions::default()
            }),
            "invalid_weekly_hours"
        );
        assert_eq!(
            wrong(WorkConditions {
                max_distance_km: Some(0),
                ..WorkConditions::default()
            }),
            "invalid_distance"
        );
        // Nothing changed by the refused ones.
        assert!(engine.get_job_seeker(&id).unwrap().accepts_tirocinio);
    }
}
