//! The bias report over the store: builds the ranked lists from the matching state, then hands
//! them to the pure figures of [`super`].

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{fairness_rows, FairnessReport, GroupFacts, OversightFigures, Rankings};
use crate::matching::{MatchState, MAX_K};
use crate::model::ComuneCode;
use crate::placements::sql;
use crate::scoring::ScoringConfig;
use crate::{Engine, Error, ErrorCode, Result};

/// The area and list length of a bias report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FairnessQuery {
    /// The comuni of the area: people living there and open vacancies located there (empty:
    /// everyone and every open vacancy).
    #[serde(default)]
    pub comuni: Vec<ComuneCode>,
    /// Length of each ranked list (the top k).
    pub k: usize,
}

impl Default for FairnessQuery {
    fn default() -> Self {
        FairnessQuery {
            comuni: Vec::new(),
            k: 10,
        }
    }
}

/// The ranked lists of the area under one scoring, as staff see them: only pairs that meet the
/// person's own conditions (tirocinio, contract types, hours, distance), as the matching calls
/// offer by default.
fn rankings(
    state: &MatchState,
    workers: &[usize],
    vacancies: &[usize],
    k: usize,
    config: &ScoringConfig,
) -> Rankings {
    let set = state.match_set();
    let person_of: HashMap<usize, usize> = workers
        .iter()
        .enumerate()
        .map(|(person, &worker)| (worker, person))
        .collect();
    let in_area_vacancy: HashSet<usize> = vacancies.iter().copied().collect();
    let candidates = vacancies
        .iter()
        .map(|&vacancy| {
            set.top_workers_for_vacancy(vacancy, k, config, &|worker| {
                person_of.contains_key(&worker) && state.suits(worker, vacancy)
            })
            .into_iter()
            .map(|(worker, _)| person_of[&worker])
            .collect()
        })
        .collect();
    let vacancy_scores = workers
        .iter()
        .map(|&worker| {
            set.top_vacancies_for_worker(set.worker_profile(worker), k, config, &|vacancy| {
                in_area_vacancy.contains(&vacancy) && state.suits(worker, vacancy)
            })
            .into_iter()
            .map(|(_, score)| score)
            .collect()
        })
        .collect();
    Rankings {
        candidates,
        vacancy_scores,
    }
}

/// **Fairness**: bias figures of rankings and outcomes.
impl Engine {
    /// The bias report of an area (see [`crate::fairness`] and docs/fairness.md): exposure, top-k
    /// rates and mean scores by sex, age band, citizenship and disability, on the scores staff see
    /// and on competences only, with the override rates of the recorded proposals and placements
    /// of the area's people.
    pub fn fairness_report(&self, query: &FairnessQuery) -> Result<FairnessReport> {
        if query.k == 0 || query.k > MAX_K {
            return Err(Error::invalid(
                ErrorCode::InvalidK,
                format!("k must be 1 to {MAX_K}, got {}", query.k),
            ));
        }
        let today = self.today();
        let revision = self.data_revision()?;
        let state = self.match_state()?;
        let set = state.match_set();
        let area: HashSet<&str> = query.comuni.iter().map(ComuneCode::as_str).collect();
        let in_area = |comune: &ComuneCode| area.is_empty() || area.contains(comune.as_str());
        let facts_of: HashMap<String, GroupFacts> = self
            .all_job_seekers()?
            .into_iter()
            .map(|seeker| {
                (
                    seeker.id.as_str().to_string(),
                    GroupFacts {
                        sex: seeker.sex,
                        birth_year: seeker.birth_year,
                        citizenship: seeker.citizenship,
                        disability: seeker.disability,
                    },
                )
            })
            .collect();
        let mut workers = Vec::new();
        let mut people = Vec::new();
        for worker in state.workers_by_id() {
            if !in_area(state.worker_comune(worker)) {
                continue;
            }
            let Some(facts) = facts_of.get(set.worker_id(worker)) else {
                continue;
            };
            workers.push(worker);
            people.push(facts.clone());
        }
        let vacancies: Vec<usize> = state
            .vacancies_by_id()
            .into_iter()
            .filter(|&vacancy| in_area(state.vacancy_comune(vacancy)))
            .collect();
        let served = rankings(
            &state,
            &workers,
            &vacancies,
            query.k,
            &ScoringConfig::default(),
        );
        let competences_only = rankings(
            &state,
            &workers,
            &vacancies,
            query.k,
            &ScoringConfig::exact(),
        );
        let area_people: HashSet<&str> = workers.iter().map(|&w| set.worker_id(w)).collect();
        let records = self.store().read(sql::ranked_records)?;
        let oversight = OversightFigures::count(
            records
                .iter()
                .filter(|(person, _, _)| area.is_empty() || area_people.contains(person.as_str()))
                .map(|(_, is_placement, rank)| (*is_placement, rank)),
        );
        Ok(FairnessReport {
            day: today,
            data_revision: revision,
            area: query
                .comuni
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            k: query.k,
            people: people.len(),
            vacancies: vacancies.len(),
            rows: fairness_rows(&people, today, &served, &competences_only),
            oversight,
        })
    }
}
