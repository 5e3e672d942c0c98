//! Matching over the store: the engine-level calls desk staff and validators use.
//!
//! This module joins the pieces: it loads the open vacancies and the job seekers from the store,
//! builds each person's competence profile (explicit competences plus those inferred from work
//! history, see [`crate::profile`]), interns skills with the taxonomy's indexes, builds the
//! related-skill graph from the ESCO hierarchy and skill–skill relations, and keeps the resulting
//! [`MatchSet`] in memory until the store changes. Queries then run in memory:
//!
//! - [`Engine::vacancies_for_person`]: top-k vacancies for a job seeker, with filters (distance
//!   from a comune, contract or tirocinio, contract type, public or agency source, open on a day)
//!   and paging, each with its explanation;
//! - [`Engine::candidates_for_vacancy`]: the reverse, top-k job seekers for a vacancy;
//! - [`Engine::match_all`]: the nightly batch over the whole pool, written as CSV.
//!
//! What it does NOT do: the scoring maths (see [`crate::scoring`]) or SQL (see [`crate::store`]).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use chrono::NaiveDate;

use crate::model::{
    ComuneCode, EntityId, JobSeeker, OccupationCode, PlacementType, UnmetCondition, Vacancy,
    VacancySource, WorkConditions,
};
use crate::profile::{build_profile, InferenceConfig, ProfileEntry};
use crate::scoring::{Explanation, MatchOutcome, MatchSet, Mode, Requirement, ScoringConfig};
use crate::taxonomy::Taxonomy;
use crate::{Engine, Error, ErrorCode, Progress, Result};

use filters::{FilterTables, NearFilter, VacancyFilterFacts};

mod filters;
pub mod neighbours;
mod query;
mod sources;

pub use query::{CandidateMatch, ComuneScope, MatchQuery, VacancyMatch, MAX_K};
pub use sources::{
    resolve_occupation, skill_graph, skill_graph_for, skill_graph_with, GraphOptions,
    GROUP_SIBLINGS_UP_TO,
};

/// What the in-memory state knows of a vacancy beyond its requirements.
#[derive(Debug, Clone)]
struct VacancyFacts {
    title: String,
    company_id: String,
    comune: ComuneCode,
    placement: PlacementType,
    source: VacancySource,
    weekly_hours: Option<u8>,
}

/// Top-k of positions passing an extra filter: `(k, filter) → (position, score)` best first.
type RankWith<'a> = dyn Fn(usize, &dyn Fn(usize) -> bool) -> Vec<(usize, f32)> + 'a;

/// What a person declared they accept (see [`JobSeeker::unmet_conditions`]).
#[derive(Debug, Clone)]
struct PersonConditions {
    accepts_tirocinio: bool,
    conditions: WorkConditions,
}

/// The presumed competences of the workers (inferred from work history, not assessed):
/// per worker `(skill, source)` sorted by skill, the sources interned once.
#[derive(Debug, Default)]
struct Presumed {
    by_worker: Vec<Vec<(u32, u32)>>,
    sources: Vec<String>,
    source_ids: AHashMap<String, u32>,
}

impl Presumed {
    fn add_worker(&mut self, entries: Vec<(u32, String)>) {
        let mut list: Vec<(u32, u32)> = Vec::with_capacity(entries.len());
        for (skill, source) in entries {
            let next = self.sources.len() as u32;
            let id = *self.source_ids.entry(source.clone()).or_insert(next);
            if id == next {
                self.sources.push(source);
            }
            list.push((skill, id));
        }
        list.sort_unstable();
        list.dedup_by_key(|entry| entry.0);
        self.by_worker.push(list);
    }

    fn source(&self, worker: usize, skill: u32) -> Option<&str> {
        let list = self.by_worker.get(worker)?;
        let index = list.binary_search_by_key(&skill, |entry| entry.0).ok()?;
        Some(&self.sources[list[index].1 as usize])
    }
}

/// The in-memory matching state, built from the store.
pub struct MatchState {
    built_from: i64,
    /// The day it was built for: open vacancies and months in past jobs depend on it.
    built_on: NaiveDate,
    taxonomy: Arc<Taxonomy>,
    set: MatchSet,
    skill_uris: Vec<String>,
    skill_ids: AHashMap<String, u32>,
    vacancy_facts: Vec<VacancyFacts>,
    vacancy_position: AHashMap<String, usize>,
    worker_comuni: Vec<ComuneCode>,
    worker_position: AHashMap<String, usize>,
    coordinates: HashMap<ComuneCode, (f64, f64)>,
    unknown_skills: usize,
    filters: FilterTables,
    worker_conditions: Vec<PersonConditions>,
    presumed: Presumed,
}

impl std::fmt::Debug for MatchState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchState")
            .field("vacancies", &self.set.vacancy_count())
            .field("workers", &self.set.worker_count())
            .field("skills", &self.skill_uris.len())
            .finish()
    }
}

/// The engine's cached [`MatchState`].
#[derive(Debug, Default)]
pub struct MatchCache(Mutex<Option<Arc<MatchState>>>);

/// Great-circle distance in km.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

struct Interner<'t> {
    taxonomy: &'t Taxonomy,
    extra: AHashMap<String, u32>,
    extra_uris: Vec<String>,
}

impl Interner<'_> {
    fn id(&mut self, uri: &str) -> u32 {
        if let Some(index) = self.taxonomy.skill_idx(uri) {
            return index;
        }
        if let Some(&index) = self.extra.get(uri) {
            return index;
        }
        let index = (self.taxonomy.skill_count() + self.extra_uris.len()) as u32;
        self.extra.insert(uri.to_string(), index);
        self.extra_uris.push(uri.to_string());
        index
    }
}

impl MatchState {
    /// Builds the state from vacancies, job seekers and reference tables.
    pub fn build(
        taxonomy: Arc<Taxonomy>,
        vacancies: &[Vacancy],
        job_seekers: &[JobSeeker],
        coordinates: HashMap<ComuneCode, (f64, f64)>,
        crosswalk: &HashMap<String, String>,
        today: NaiveDate,
        built_from: i64,
    ) -> Result<Self> {
        let graph = Arc::new(skill_graph(&taxonomy)?);
        let mut set = MatchSet::with_graph(graph);
        let mut interner = Interner {
            taxonomy: &taxonomy,
            extra: AHashMap::new(),
            extra_uris: Vec::new(),
        };
        let mut vacancy_facts = Vec::with_capacity(vacancies.len());
        let mut vacancy_position = AHashMap::with_capacity(vacancies.len());
        let mut filters = FilterTables::default();
        for vacancy in vacancies {
            // A vacancy with no competences is never offered and never breaks a query (a draft
            // being written, or one whose last competence was removed). See: issue 14
            if vacancy.requirements.is_empty() {
                continue;
            }
            let mut requirements = Vec::with_capacity(vacancy.requirements.len());
            for requirement in &vacancy.requirements {
                let skill = interner.id(requirement.skill.as_str());
                requirements.push(Requirement::with_weight(
                    skill,
                    requirement.level.get(),
                    requirement.essential,
                    requirement.weight.get(),
                )?);
            }
            let position = set.add_vacancy(vacancy.id.as_str(), requirements)?;
            vacancy_position.insert(vacancy.id.as_str().to_string(), position);
            let contract_type = match &vacancy.placement {
                PlacementType::Contract { contract_type } => {
                    Some(filters.contract_type(contract_type))
                }
                _ => None,
            };
            let facts = VacancyFilterFacts {
                tirocinio: vacancy.placement.is_tirocinio(),
                contract_type,
                public: matches!(vacancy.source, VacancySource::Public),
                comune: filters.comune(&vacancy.comune, &coordinates),
            };
            filters.vacancies.push(facts);
            vacancy_facts.push(VacancyFacts {
                title: vacancy.title.clone(),
                company_id: vacancy.company_id.as_str().to_string(),
                comune: vacancy.comune.clone(),
                placement: vacancy.placement.clone(),
                source: vacancy.source.clone(),
                weekly_hours: vacancy.weekly_hours,
            });
        }
        let inference = InferenceConfig::new(today);
        let resolve = |code: &OccupationCode| resolve_occupation(&taxonomy, crosswalk, code);
        let mut worker_comuni = Vec::with_capacity(job_seekers.len());
        let mut worker_position = AHashMap::with_capacity(job_seekers.len());
        let mut worker_conditions = Vec::with_capacity(job_seekers.len());
        let mut presumed = Presumed::default();
        for seeker in job_seekers {
            let profile = build_profile(
                &seeker.competences,
                &seeker.work_history,
                &resolve,
                &inference,
            );
            let mut interned: Vec<(u32, u8)> = profile
                .iter()
                .map(|entry| (interner.id(entry.skill.as_str()), entry.level.get()))
                .collect();
            interned.sort_unstable();
            interned.dedup_by_key(|entry| entry.0);
            presumed.add_worker(
                profile
                    .iter()
                    .filter(|entry| entry.presumed)
                    .map(|entry| (interner.id(entry.skill.as_str()), entry.source.clone()))
                    .collect(),
            );
            worker_conditions.push(PersonConditions {
                accepts_tirocinio: seeker.accepts_tirocinio,
                conditions: seeker.conditions.clone(),
            });
            let position = set.add_worker(seeker.id.as_str(), interned)?;
            worker_position.insert(seeker.id.as_str().to_string(), position);
            let comune = filters.comune(&seeker.comune, &coordinates);
            filters.worker_comuni.push(comune);
            worker_comuni.push(seeker.comune.clone());
        }
        let unknown_skills = interner.extra_uris.len();
        let mut skill_uris: Vec<String> = (0..taxonomy.skill_count() as u32)
            .map(|skill| taxonomy.skill_uri(skill).to_string())
            .collect();
        skill_uris.extend(interner.extra_uris);
        let skill_ids = skill_uris
            .iter()
            .enumerate()
            .map(|(index, uri)| (uri.clone(), index as u32))
            .collect();
        Ok(MatchState {
            built_from,
            built_on: today,
            taxonomy,
            set,
            skill_uris,
            skill_ids,
            vacancy_facts,
            vacancy_position,
            worker_comuni,
            worker_position,
            coordinates,
            unknown_skills,
            filters,
            worker_conditions,
            presumed,
        })
    }

    /// The conditions of worker `worker` that vacancy `vacancy` does not meet (empty: it suits).
    fn unmet_conditions(&self, worker: usize, vacancy: usize) -> Vec<UnmetCondition> {
        let person = &self.worker_conditions[worker];
        let facts = &self.vacancy_facts[vacancy];
        let distance = if person.conditions.max_distance_km.is_some() {
            self.distance(&self.worker_comuni[worker], &facts.comune)
        } else {
            None
        };
        crate::model::unmet_conditions(
            person.accepts_tirocinio,
            &person.conditions,
            &facts.placement,
            facts.weekly_hours,
            distance,
        )
    }

    /// True when vacancy `vacancy` meets every condition of worker `worker`.
    pub(crate) fn suits(&self, worker: usize, vacancy: usize) -> bool {
        self.unmet_conditions(worker, vacancy).is_empty()
    }

    /// Marks the requirement lines whose credit comes from a presumed competence of `worker`.
    fn mark_presumed(&self, worker: usize, explanation: &mut Explanation) {
        for item in &mut explanation.items {
            let held = match &item.outcome {
                MatchOutcome::Exact { .. } => item.skill,
                MatchOutcome::Related { via_skill, .. } => *via_skill,
                MatchOutcome::Missing => continue,
            };
            item.presumed_from = self.presumed.source(worker, held).map(str::to_string);
        }
    }

    /// Ranks by `filter` and, when `unsuitable` is given and the suitable results are fewer
    /// than `wanted`, fills up with those `unsuitable` accepts: suitable first, then the rest.
    fn rank_suitable_first(
        wanted: usize,
        rank: &RankWith<'_>,
        suitable: &dyn Fn(usize) -> bool,
        include_unsuitable: bool,
    ) -> Vec<(usize, f32)> {
        let mut ranked = rank(wanted, suitable);
        if include_unsuitable && ranked.len() < wanted {
            let rest = rank(wanted - ranked.len(), &|candidate| !suitable(candidate));
            ranked.extend(rest);
        }
        ranked
    }

    /// Vacancies and workers held.
    pub fn counts(&self) -> (usize, usize) {
        (self.set.vacancy_count(), self.set.worker_count())
    }

    /// Skills of the vacancies and profiles that the taxonomy does not know.
    pub fn unknown_skills(&self) -> usize {
        self.unknown_skills
    }

    fn label(&self, skill: u32, language: &str) -> String {
        if (skill as usize) < self.taxonomy.skill_count() {
            if let Some(label) = self.taxonomy.preferred_label(skill, language) {
                return label.to_string();
            }
        }
        self.skill_uris
            .get(skill as usize)
            .cloned()
            .unwrap_or_default()
    }

    fn distance(&self, a: &ComuneCode, b: &ComuneCode) -> Option<f64> {
        Some(haversine_km(
            *self.coordinates.get(a)?,
            *self.coordinates.get(b)?,
        ))
    }

    fn vacancy_passes(
        &self,
        position: usize,
        query: &MatchQuery,
        origin: Option<&ComuneCode>,
    ) -> bool {
        let facts = &self.vacancy_facts[position];
        if let Some(want_tirocinio) = query.tirocinio {
            if facts.placement.is_tirocinio() != want_tirocinio {
                return false;
            }
        }
        if let Some(wanted) = &query.contract_type {
            match &facts.placement {
                PlacementType::Contract { contract_type } if contract_type == wanted => {}
                _ => return false,
            }
        }
        if let Some(want_public) = query.public_source {
            if matches!(facts.source, VacancySource::Public) != want_public {
                return false;
            }
        }
        if let Some((centre, km)) = &query.near {
            let centre = origin.unwrap_or(centre);
            match self.distance(centre, &facts.comune) {
                Some(distance) if distance <= *km => {}
                _ => return false,
            }
        }
        if let Some(scope) = &query.scope {
            if !scope.contains(&facts.comune) {
                return false;
            }
        }
        true
    }

    /// For each interned comune, whether it is in `scope` (`None`: no scope, all pass).
    fn comuni_in_scope(&self, scope: Option<&ComuneScope>) -> Option<Vec<bool>> {
        let scope = scope?;
        let mut inside = vec![false; self.filters.comune_coordinates.len()];
        for comune in scope.comuni() {
            if let Some(&index) = self.filters.comuni.get(comune) {
                inside[index as usize] = true;
            }
        }
        Some(inside)
    }

    /// The query's vacancy filter over the interned tables: the same answers as
    /// [`MatchState::vacancy_passes`], with the distance computed once per comune.
    fn vacancy_filter<'q>(&'q self, query: &'q MatchQuery) -> impl Fn(usize) -> bool + 'q {
        // A contract type no open vacancy has: no contract passes.
        let wanted_contract = query
            .contract_type
            .as_ref()
            .map(|wanted| self.filters.contract_types.get(wanted).copied());
        let near = NearFilter::new(&self.filters, &self.coordinates, query.near.as_ref());
        let in_scope = self.comuni_in_scope(query.scope.as_ref());
        move |position: usize| {
            let facts = &self.filters.vacancies[position];
            if let Some(in_scope) = &in_scope {
                if !in_scope[facts.comune as usize] {
                    return false;
                }
            }
            if let Some(want_tirocinio) = query.tirocinio {
                if facts.tirocinio != want_tirocinio {
                    return false;
                }
            }
            if let Some(wanted) = wanted_contract {
                if wanted.is_none() || facts.contract_type != wanted {
                    return false;
                }
            }
            if let Some(want_public) = query.public_source {
                if facts.public != want_public {
                    return false;
                }
            }
            match &near {
                Some(near) => near.within(facts.comune),
                None => true,
            }
        }
    }

    /// Top vacancies for a profile given as `(skill URI, level)` (the core of
    /// [`Engine::vacancies_for_person`], usable without a stored person: no conditions apply).
    pub fn vacancies_for_profile(
        &self,
        profile: &[(u32, u8)],
        home: Option<&ComuneCode>,
        query: &MatchQuery,
        language: &str,
    ) -> Result<Vec<VacancyMatch>> {
        self.vacancies_for(profile, None, home, query, language)
    }

    /// Top vacancies for a profile; with `worker`, the person's own conditions apply (those
    /// that fail them are left out, or listed last and marked with
    /// [`MatchQuery::include_unsuitable`]) and presumed competences are marked.
    fn vacancies_for(
        &self,
        profile: &[(u32, u8)],
        worker: Option<usize>,
        home: Option<&ComuneCode>,
        query: &MatchQuery,
        language: &str,
    ) -> Result<Vec<VacancyMatch>> {
        query.check()?;
        let config = query.scoring();
        let filter = self.vacancy_filter(query);
        let rank = |k: usize, extra: &dyn Fn(usize) -> bool| {
            self.set
                .top_vacancies_for_worker(profile, k, &config, &|position| {
                    filter(position) && extra(position)
                })
        };
        let suitable = |position: usize| worker.is_none_or(|w| self.suits(w, position));
        let ranked = Self::rank_suitable_first(
            query.offset + query.k,
            &rank,
            &suitable,
            query.include_unsuitable && worker.is_some(),
        );
        let labels = |skill: u32| self.label(skill, language);
        let mut results = Vec::new();
        for (rank, (position, score)) in ranked.into_iter().enumerate().skip(query.offset) {
            let facts = &self.vacancy_facts[position];
            let mut explanation =
                self.set
                    .explain(profile, position, &config, self.set.graph(), &labels)?;
            if let Some(worker) = worker {
                self.mark_presumed(worker, &mut explanation);
            }
            results.push(VacancyMatch {
                rank: rank + 1,
                vacancy_id: self.set.vacancy_id(position).to_string(),
                title: facts.title.clone(),
                company_id: facts.company_id.clone(),
                comune: facts.comune.as_str().to_string(),
                distance_km: home.and_then(|home| self.distance(home, &facts.comune)),
                placement: facts.placement.clone(),
                source: facts.source.clone(),
                score,
                explanation,
                unmet_conditions: worker
                    .map(|worker| self.unmet_conditions(worker, position))
                    .unwrap_or_default(),
            });
        }
        Ok(results)
    }

    /// The ranking of [`MatchState::vacancies_for_profile`] (vacancy id and score, best first,
    /// after `offset`) computed the slow way: every filter checked on every candidate through the
    /// store's facts, every candidate scored with the reference kernel. For tests and benches
    /// that check the fast path against it.
    pub fn vacancies_for_profile_reference(
        &self,
        profile: &[(u32, u8)],
        query: &MatchQuery,
    ) -> Result<Vec<(String, f32)>> {
        query.check()?;
        let config = query.scoring();
        let origin = query.near.as_ref().map(|(centre, _)| centre);
        let filter = |position: usize| self.vacancy_passes(position, query, origin);
        let ranked = self.set.top_vacancies_for_worker_reference(
            profile,
            query.offset + query.k,
            &config,
            &filter,
        );
        Ok(ranked
            .into_iter()
            .skip(query.offset)
            .map(|(position, score)| (self.set.vacancy_id(position).to_string(), score))
            .collect())
    }

    /// Interns a profile of skill URIs (unknown ones are dropped: no vacancy requires them).
    pub fn intern_profile(&self, entries: &[ProfileEntry]) -> Vec<(u32, u8)> {
        let mut profile: Vec<(u32, u8)> = entries
            .iter()
            .filter_map(|entry| {
                self.skill_ids
                    .get(entry.skill.as_str())
                    .map(|&id| (id, entry.level.get()))
            })
            .collect();
        profile.sort_unstable();
        profile.dedup_by_key(|entry| entry.0);
        profile
    }
}

/// A distance filter needs the centre's coordinates: without them it would silently match
/// nothing. See: issue 19.
fn check_near(state: &MatchState, query: &MatchQuery) -> Result<()> {
    match &query.near {
        Some((centre, _)) if !state.coordinates.contains_key(centre) => Err(Error::invalid(
            ErrorCode::UnknownComune,
            format!(
                "no coordinates for comune {}: import the comuni list (comuni.csv, see \
                 docs/formats.md) to filter by distance",
                centre.as_str()
            ),
        )),
        _ => Ok(()),
    }
}

impl Engine {
    /// The in-memory matching state, rebuilt when the store has changed since it was built.
    pub fn match_state(&self) -> Result<Arc<MatchState>> {
        let revision = self.data_revision()?;
        let today = self.today();
        let mut cached = self
            .match_cache
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(state) = cached.as_ref() {
            // Rebuilt when the data changed or the day did (a vacancy closing at midnight).
            if state.built_from == revision && state.built_on == today {
                return Ok(Arc::clone(state));
            }
        }
        let taxonomy = self.taxonomy()?;
        let vacancies = self.list_offerable_vacancies(today)?;
        let job_seekers = self.all_job_seekers()?;
        let coordinates = self.comuni_coordinates()?;
        let crosswalk = self.cp2011_crosswalk()?;
        let state = Arc::new(MatchState::build(
            taxonomy,
            &vacancies,
            &job_seekers,
            coordinates,
            &crosswalk,
            today,
            revision,
        )?);
        tracing::info!(
            vacancies = vacancies.len(),
            job_seekers = job_seekers.len(),
            unknown_skills = state.unknown_skills,
            "matching state rebuilt"
        );
        *cached = Some(Arc::clone(&state));
        Ok(state)
    }

    /// A job seeker's competence profile with evidence (explicit plus inferred from work history).
    pub fn person_profile(&self, id: &EntityId) -> Result<Vec<ProfileEntry>> {
        let seeker = self.get_job_seeker(id)?;
        let taxonomy = self.taxonomy()?;
        let crosswalk = self.cp2011_crosswalk()?;
        let resolve = |code: &OccupationCode| resolve_occupation(&taxonomy, &crosswalk, code);
        let today = self.today();
        Ok(build_profile(
            &seeker.competences,
            &seeker.work_history,
            &resolve,
            &InferenceConfig::new(today),
        ))
    }

    /// The best open vacancies for a job seeker, with explanations (labels in `language`).
    pub fn vacancies_for_person(
        &self,
        id: &EntityId,
        query: &MatchQuery,
        language: &str,
    ) -> Result<Vec<VacancyMatch>> {
        query.check()?;
        let state = self.match_state()?;
        let Some(&position) = state.worker_position.get(id.as_str()) else {
            return Err(Error::not_found(
                ErrorCode::JobSeekerNotFound,
                "job seeker",
                id.as_str(),
            ));
        };
        let home = state.worker_comuni[position].clone();
        let mut query = query.clone();
        if let Some((_, km)) = &query.near {
            // "near" without an explicit centre means near the person's home.
            query.near = Some((
                query
                    .near
                    .as_ref()
                    .map(|(c, _)| c.clone())
                    .unwrap_or(home.clone()),
                *km,
            ));
        }
        self.check_language(language)?;
        check_near(&state, &query)?;
        let profile = state.set.worker_profile(position).to_vec();
        state.vacancies_for(&profile, Some(position), Some(&home), &query, language)
    }

    /// The best candidates for an open vacancy, with explanations.
    pub fn candidates_for_vacancy(
        &self,
        id: &EntityId,
        query: &MatchQuery,
        language: &str,
    ) -> Result<Vec<CandidateMatch>> {
        query.check()?;
        let state = self.match_state()?;
        let Some(&position) = state.vacancy_position.get(id.as_str()) else {
            return Err(Error::not_found(
                ErrorCode::VacancyNotFound,
                "open vacancy",
                id.as_str(),
            ));
        };
        self.check_language(language)?;
        check_near(&state, query)?;
        let config = query.scoring();
        let workplace = state.vacancy_facts[position].comune.clone();
        let near = NearFilter::new(&state.filters, &state.coordinates, query.near.as_ref());
        let in_scope = state.comuni_in_scope(query.scope.as_ref());
        let filter = |worker: usize| {
            let comune = state.filters.worker_comuni[worker];
            if let Some(in_scope) = &in_scope {
                if !in_scope[comune as usize] {
                    return false;
                }
            }
            match &near {
                Some(near) => near.within(comune),
                None => true,
            }
        };
        // The vacancy is offered only to people whose own conditions it meets (the others last
        // and marked with `include_unsuitable`).
        let rank = |k: usize, extra: &dyn Fn(usize) -> bool| {
            state
                .set
                .top_workers_for_vacancy(position, k, &config, &|worker| {
                    filter(worker) && extra(worker)
                })
        };
        let suitable = |worker: usize| state.suits(worker, position);
        let ranked = MatchState::rank_suitable_first(
            query.offset + query.k,
            &rank,
            &suitable,
            query.include_unsuitable,
        );
        let labels = |skill: u32| state.label(skill, language);
        let mut results = Vec::new();
        for (rank, (worker, score)) in ranked.into_iter().enumerate().skip(query.offset) {
            let profile = state.set.worker_profile(worker);
            let mut explanation =
                state
                    .set
                    .explain(profile, position, &config, state.set.graph(), &labels)?;
            state.mark_presumed(worker, &mut explanation);
            results.push(CandidateMatch {
                rank: rank + 1,
                job_seeker_id: state.set.worker_id(worker).to_string(),
                comune: state.worker_comuni[worker].as_str().to_string(),
                distance_km: state.distance(&workplace, &state.worker_comuni[worker]),
                score,
                explanation,
                unmet_conditions: state.unmet_conditions(worker, position),
            });
        }
        Ok(results)
    }

    /// Explains one person–vacancy pair.
    pub fn explain_match(
        &self,
        person: &EntityId,
        vacancy: &EntityId,
        exact: bool,
        language: &str,
    ) -> Result<Explanation> {
        self.check_language(language)?;
        let state = self.match_state()?;
        let Some(&worker) = state.worker_position.get(person.as_str()) else {
            return Err(Error::not_found(
                ErrorCode::JobSeekerNotFound,
                "job seeker",
                person.as_str(),
            ));
        };
        let Some(&position) = state.vacancy_position.get(vacancy.as_str()) else {
            return Err(Error::not_found(
                ErrorCode::VacancyNotFound,
                "open vacancy",
                vacancy.as_str(),
            ));
        };
        let config = if exact {
            ScoringConfig::exact()
        } else {
            ScoringConfig::default()
        };
        let labels = |skill: u32| state.label(skill, language);
        let mut explanation = state.set.explain(
            state.set.worker_profile(worker),
            position,
            &config,
            state.set.graph(),
            &labels,
        )?;
        state.mark_presumed(worker, &mut explanation);
        Ok(explanation)
    }

    /// Matches every job seeker against every open vacancy and writes
    /// `worker_id,rank,vacancy_id,score` to `out` (the nightly batch, `incontro match --all`).
    pub fn match_all(
        &self,
        k: usize,
        exact: bool,
        out: &Path,
        progress: &dyn Progress,
    ) -> Result<usize> {
        if k == 0 || k > MAX_K {
            return Err(Error::invalid(
                ErrorCode::InvalidK,
                format!("k must be 1 to {MAX_K}"),
            ));
        }
        let state = self.match_state()?;
        let config = if exact {
            ScoringConfig {
                mode: Mode::Exact,
                ..ScoringConfig::exact()
            }
        } else {
            ScoringConfig::default()
        };
        let workers: Vec<usize> = (0..state.set.worker_count()).collect();
        progress.start("matching", Some(workers.len() as u64));
        let results = crate::scoring::parallel::map_with_scratch(
            &workers,
            || (),
            |_, &worker| {
                let ranked = state.set.top_vacancies_for_worker(
                    state.set.worker_profile(worker),
                    k,
                    &config,
                    &|_| true,
                );
                progress.advance(1);
                ranked
            },
        );
        progress.finish();
        let mut writer = crate::output::OutputFile::create(out)?;
        let mut rows = 0;
        let io = |source| Error::io(out, source);
        writeln!(writer, "worker_id,rank,vacancy_id,score").map_err(io)?;
        for (worker, ranked) in workers.iter().zip(results) {
            for (rank, (position, score)) in ranked.into_iter().enumerate() {
                writeln!(
                    writer,
                    "{},{},{},{:.6}",
                    state.set.worker_id(*worker),
                    rank + 1,
                    state.set.vacancy_id(position),
                    score
                )
                .map_err(io)?;
                rows += 1;
            }
        }
        writer.commit()?;
        Ok(rows)
    }
}

/// Read access for the training area (`crate::training`), which builds on the same state.
impl MatchState {
    pub(crate) fn match_set(&self) -> &MatchSet {
        &self.set
    }

    pub(crate) fn skill_id(&self, uri: &str) -> Option<u32> {
        self.skill_ids.get(uri).copied()
    }

    pub(crate) fn skill_uri(&self, skill: u32) -> &str {
        self.skill_uris
            .get(skill as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    pub(crate) fn skill_count_interned(&self) -> usize {
        self.skill_uris.len()
    }

    pub(crate) fn skill_label(&self, skill: u32, language: &str) -> String {
        self.label(skill, language)
    }

    pub(crate) fn worker_index(&self, id: &str) -> Option<usize> {
        self.worker_position.get(id).copied()
    }

    pub(crate) fn vacancy_index(&self, id: &str) -> Option<usize> {
        self.vacancy_position.get(id).copied()
    }

    pub(crate) fn worker_comune(&self, worker: usize) -> &ComuneCode {
        &self.worker_comuni[worker]
    }

    pub(crate) fn vacancy_title(&self, vacancy: usize) -> &str {
        &self.vacancy_facts[vacancy].title
    }

    pub(crate) fn vacancy_comune(&self, vacancy: usize) -> &ComuneCode {
        &self.vacancy_facts[vacancy].comune
    }

    pub(crate) fn vacancy_placement(&self, vacancy: usize) -> &PlacementType {
        &self.vacancy_facts[vacancy].placement
    }

    pub(crate) fn distance_km(&self, a: &ComuneCode, b: &ComuneCode) -> Option<f64> {
        self.distance(a, b)
    }
}

#[cfg(test)]
mod tests;
