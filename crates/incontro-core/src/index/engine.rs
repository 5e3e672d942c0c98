//! The engine's search calls: skill type-ahead and vacancy search, kept in step with the store.

use std::sync::{Arc, Mutex};

use super::{SkillHit, SkillLabelIndex, VacancyIndex, VacancyQuery};
use crate::taxonomy::Taxonomy;
use crate::{Engine, Result};

/// The engine's search indexes, built lazily.
#[derive(Debug, Default)]
pub struct SearchCache {
    skills: Mutex<Option<(Arc<Taxonomy>, Arc<SkillLabelIndex>)>>,
    vacancies: Mutex<Option<VacancyIndex>>,
}

/// **Search**: full-text search over skills and vacancies (tantivy).
impl Engine {
    /// Type-ahead over skill labels in every imported language, with typo tolerance.
    pub fn skill_search(&self, text: &str, language: &str, limit: usize) -> Result<Vec<SkillHit>> {
        let taxonomy = self.taxonomy()?;
        let index = {
            let mut cached = self
                .search
                .skills
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match cached.as_ref() {
                Some((built_from, index)) if Arc::ptr_eq(built_from, &taxonomy) => {
                    Arc::clone(index)
                }
                _ => {
                    let index = Arc::new(SkillLabelIndex::build(&taxonomy)?);
                    *cached = Some((Arc::clone(&taxonomy), Arc::clone(&index)));
                    index
                }
            }
        };
        index.search(&taxonomy, text, language, limit.clamp(1, 100))
    }

    /// Searches the vacancy index (rebuilt from the store first when it is behind).
    pub fn search_vacancies(&self, query: &VacancyQuery) -> Result<(Vec<String>, usize)> {
        let revision = self.data_revision()?;
        let mut cached = self
            .search
            .vacancies
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cached.is_none() {
            let dir = self
                .data_dir()
                .map(|dir| dir.join("index").join("vacancies"));
            *cached = Some(VacancyIndex::open_or_create(dir.as_deref())?);
        }
        let Some(index) = cached.as_mut() else {
            return Ok((Vec::new(), 0));
        };
        if index.revision() != revision {
            let vacancies = self.list_vacancies(None)?;
            let coordinates = self.comuni_coordinates()?;
            index.rebuild(&vacancies, &coordinates, revision)?;
            tracing::info!(
                vacancies = vacancies.len(),
                revision,
                "vacancy index rebuilt"
            );
        }
        index.search(query)
    }

    /// Brings the vacancy index in step after a committed vacancy write (called by the writers).
    pub(crate) fn index_vacancy_after_commit(&self, vacancy: &crate::model::Vacancy) -> Result<()> {
        let mut cached = self
            .search
            .vacancies
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(index) = cached.as_mut() else {
            return Ok(()); // built lazily on the next search
        };
        let revision = self.data_revision()?;
        if index.revision() + 1 == revision {
            let coordinates = self.comuni_coordinates()?;
            index.upsert(vacancy, &coordinates, revision)?;
        }
        Ok(())
    }
}
