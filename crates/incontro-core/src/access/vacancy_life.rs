//! The end of a vacancy's life (issue 15): staff close a vacancy of their office, and the
//! validators' queue lists the drafts waiting for validation.

use super::{Action, Principal};
use crate::model::{EntityId, Vacancy, VacancyStatus};
use crate::{Engine, Error, Result};

/// **Records**: the life of a vacancy (validation, closing) with its rules.
impl Engine {
    /// Closes a vacancy of the caller's office: it is no longer offered, to anyone. Closing a
    /// closed vacancy is 409 `vacancy_closed`.
    pub fn close_vacancy(&self, principal: &Principal, id: &EntityId) -> Result<Vacancy> {
        let existing = self.vacancy_for(principal, Action::WriteVacancy, id)?;
        if matches!(existing.status, VacancyStatus::Closed) {
            return Err(Error::conflict(
                crate::ErrorCode::VacancyClosed,
                "the vacancy is already closed",
            ));
        }
        let closed = Vacancy {
            status: VacancyStatus::Closed,
            ..existing
        };
        self.put_vacancy(&closed)?;
        Ok(closed)
    }

    /// The drafts of the caller's office waiting for validation, oldest opening first, with how
    /// many competences each has (a draft without any cannot be validated yet).
    pub fn drafts_to_validate(&self, principal: &Principal) -> Result<Vec<Vacancy>> {
        principal.authorize(Action::ReadVacancy)?;
        let mut drafts: Vec<Vacancy> = self
            .list_vacancies(None)?
            .into_iter()
            .filter(|vacancy| matches!(vacancy.status, VacancyStatus::Draft))
            .filter(|vacancy| {
                self.office_of_comune(&vacancy.comune)
                    .is_ok_and(|office| principal.may_see_office(office.as_deref()))
            })
            .collect();
        drafts.sort_by(|a, b| a.opens.cmp(&b.opens).then(a.id.cmp(&b.id)));
        Ok(drafts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    fn principal(role: Role, office: Option<&str>) -> Principal {
        Principal {
            key_id: "key_test".into(),
            role,
            office: office.map(str::to_string),
            label: "test".into(),
        }
    }

    #[test]
    fn desk_closes_a_vacancy_once_and_drafts_queue_by_office() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).unwrap();
        engine.import_demo(&crate::NoProgress).unwrap();
        let desk = principal(Role::Desk, Some("LU"));
        let id = EntityId::parse("V001").unwrap();
        let closed = engine.close_vacancy(&desk, &id).unwrap();
        assert!(matches!(closed.status, VacancyStatus::Closed));
        assert!(matches!(
            engine.get_vacancy(&id).unwrap().status,
            VacancyStatus::Closed
        ));
        assert_eq!(
            engine.close_vacancy(&desk, &id).unwrap_err().code(),
            "vacancy_closed"
        );
        // Another office may not close it; an analyst may not at all.
        let milan = principal(Role::Desk, Some("MI"));
        assert!(engine
            .close_vacancy(&milan, &EntityId::parse("V002").unwrap())
            .is_err());
        assert!(engine
            .close_vacancy(
                &principal(Role::Analyst, None),
                &EntityId::parse("V002").unwrap()
            )
            .is_err());
        let validator = principal(Role::Validator, Some("LU"));
        let drafts = engine.drafts_to_validate(&validator).unwrap();
        assert!(drafts.iter().any(|vacancy| vacancy.id.as_str() == "V006"));
        assert!(drafts
            .iter()
            .all(|vacancy| matches!(vacancy.status, VacancyStatus::Draft)));
        assert!(engine
            .drafts_to_validate(&principal(Role::Validator, Some("MI")))
            .unwrap()
            .is_empty());
    }
}
