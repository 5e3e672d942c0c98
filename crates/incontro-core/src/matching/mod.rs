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
//! What it does NOT do: the scoring maths (see [`crate::scoring`]) or SQL (the private `store` module).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use ahash::AHashMap;
use chrono::NaiveDate;

use crate::model::{
    ComuneCode, Course, EntityId, JobSeeker, OccupationCode, PlacementType, UnmetCondition,
    Vacancy, VacancySource, WorkConditions,
};
use crate::profile::{build_profile, InferenceConfig, ProfileEntry};
use crate::scoring::cow::{CowMap, CowVec};
use crate::scoring::{Explanation, MatchOutcome, MatchSet, Mode, Requirement, ScoringConfig};
use crate::taxonomy::Taxonomy;
use crate::{Engine, Error, ErrorCode, Progress, Result};

use filters::{FilterTables, NearFilter, VacancyFilterFacts};

mod engine;
mod filters;
mod incremental;
pub mod neighbours;
mod query;
pub mod reading;
mod shard;
mod sources;
mod workers;

pub use incremental::MatchCache;
pub use query::{CandidateMatch, ComuneScope, MatchQuery, VacancyMatch, MAX_K};
pub use shard::Shard;
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
    /// Its last open day: the day after, the state lets it go without a rebuild.
    closes: Option<NaiveDate>,
}

/// Top-k of positions passing an extra filter: `(k, filter) → (position, score)` best first.
type RankWith<'a> = dyn Fn(usize, &dyn Fn(usize) -> bool) -> Vec<(usize, f32)> + 'a;

/// What a person declared they accept (see [`JobSeeker::unmet_conditions`]).
#[derive(Debug, Clone)]
struct PersonConditions {
    accepts_tirocinio: bool,
    conditions: WorkConditions,
}

/// The presumed competences of one worker (inferred from work history, not assessed):
/// `(skill, source)` sorted by skill, each source string shared by the skills of one past job.
type Presumed = Arc<[(u32, Arc<str>)]>;

fn presumed_list(entries: Vec<(u32, String)>) -> Presumed {
    let mut sources: Vec<Arc<str>> = Vec::new();
    let mut list: Vec<(u32, Arc<str>)> = Vec::with_capacity(entries.len());
    for (skill, source) in entries {
        let shared = match sources.iter().find(|known| ***known == *source) {
            Some(known) => Arc::clone(known),
            None => {
                let fresh: Arc<str> = source.into();
                sources.push(Arc::clone(&fresh));
                fresh
            }
        };
        list.push((skill, shared));
    }
    list.sort_by_key(|entry| entry.0);
    list.dedup_by_key(|entry| entry.0);
    list.into()
}

/// The in-memory matching state, built from the store and then kept up to date object by object
/// (see `matching/incremental.rs` and docs/scoring.md, "Incremental matching state").
///
/// Cloning it is cheap: every part is shared (`Arc`) or copy-on-write ([`CowVec`], [`CowMap`]),
/// so the next state is a clone with the changed objects replaced while queries read this one.
#[derive(Clone)]
pub struct MatchState {
    built_from: i64,
    /// The day it is for: open vacancies and months in past jobs depend on it.
    built_on: NaiveDate,
    taxonomy: Arc<Taxonomy>,
    crosswalk: Arc<HashMap<String, String>>,
    set: MatchSet,
    /// Every skill URI by id: the taxonomy's, then the unknown ones in URI order.
    skill_uris: Arc<Vec<String>>,
    skill_ids: Arc<AHashMap<String, u32>>,
    vacancy_facts: CowVec<Arc<VacancyFacts>>,
    vacancy_position: CowMap<usize>,
    worker_comuni: CowVec<ComuneCode>,
    worker_position: CowMap<usize>,
    coordinates: Arc<HashMap<ComuneCode, (f64, f64)>>,
    unknown_skills: usize,
    filters: FilterTables,
    worker_conditions: CowVec<Arc<PersonConditions>>,
    presumed: CowVec<Presumed>,
    /// Per worker, the competences presumed from their records (`reading`), with their sources.
    read: CowVec<Presumed>,
    /// Reads people's records against the ESCO occupations (built with the taxonomy).
    reader: Arc<reading::RecordReader>,
    /// Per worker, the first day its profile may change (`NaiveDate::MAX`: never).
    worker_refresh: CowVec<NaiveDate>,
    /// The course catalogue by id (the training area interns it).
    courses: Arc<Vec<Course>>,
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

/// Great-circle distance in km.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// A worker's profile as the state holds it, prepared apart from the state (in parallel when
/// the state is built).
struct PreparedWorker {
    interned: Vec<(u32, u8)>,
    presumed: Presumed,
    read: Presumed,
}

/// A write the state cannot apply by itself: it needs a full rebuild.
#[derive(Debug)]
pub(crate) struct NeedsRebuild;

impl MatchState {
    /// Builds the state from vacancies, job seekers and reference tables. Every vacancy given
    /// with competences enters (the engine gives those offerable on `today`).
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
        let reader = Arc::new(reading::RecordReader::new(&taxonomy)?);
        let inference = InferenceConfig::new(today);
        let resolve = |code: &OccupationCode| resolve_occupation(&taxonomy, crosswalk, code);
        let profiles: Vec<Vec<ProfileEntry>> = job_seekers
            .iter()
            .map(|seeker| {
                build_profile(
                    &seeker.competences,
                    &seeker.work_history,
                    &resolve,
                    &inference,
                )
            })
            .collect();
        // Skills the taxonomy does not know get ids after its own, in URI order: the order of
        // a vacancy's requirements (and so of its sums) is then the same in every build.
        let mut unknown: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        let uris = vacancies
            .iter()
            .flat_map(|vacancy| vacancy.requirements.iter().map(|r| r.skill.as_str()))
            .chain(profiles.iter().flatten().map(|entry| entry.skill.as_str()));
        for uri in uris {
            if taxonomy.skill_idx(uri).is_none() {
                unknown.insert(uri);
            }
        }
        let unknown_skills = unknown.len();
        let mut skill_uris: Vec<String> = (0..taxonomy.skill_count() as u32)
            .map(|skill| taxonomy.skill_uri(skill).to_string())
            .collect();
        skill_uris.extend(unknown.into_iter().map(str::to_string));
        let skill_ids = skill_uris
            .iter()
            .enumerate()
            .map(|(index, uri)| (uri.clone(), index as u32))
            .collect();
        let mut state = MatchState {
            built_from,
            built_on: today,
            taxonomy: Arc::clone(&taxonomy),
            crosswalk: Arc::new(crosswalk.clone()),
            set: MatchSet::with_graph(graph),
            skill_uris: Arc::new(skill_uris),
            skill_ids: Arc::new(skill_ids),
            vacancy_facts: CowVec::new(),
            vacancy_position: CowMap::new(),
            worker_comuni: CowVec::new(),
            worker_position: CowMap::new(),
            coordinates: Arc::new(coordinates),
            unknown_skills,
            filters: FilterTables::default(),
            worker_conditions: CowVec::new(),
            presumed: CowVec::new(),
            read: CowVec::new(),
            reader,
            worker_refresh: CowVec::new(),
            courses: Arc::new(Vec::new()),
        };
        for vacancy in vacancies {
            // A vacancy with no competences is never offered and never breaks a query (a draft
            // being written, or one whose last competence was removed). See: issue 14
            if vacancy.requirements.is_empty() {
                continue;
            }
            if state.put_vacancy(vacancy).is_err() {
                return Err(Error::Internal(format!(
                    "vacancy {}: a skill was not interned",
                    vacancy.id
                )));
            }
        }
        // Reading the records costs ~50 µs a person on the full ESCO release: in parallel.
        let prepared: Vec<std::result::Result<PreparedWorker, NeedsRebuild>> = {
            use rayon::prelude::*;
            profiles
                .par_iter()
                .map(|profile| state.prepare_worker(profile))
                .collect()
        };
        for (seeker, prepared) in job_seekers.iter().zip(prepared) {
            if prepared
                .and_then(|prepared| state.apply_worker(seeker, prepared))
                .is_err()
            {
                return Err(Error::Internal(format!(
                    "job seeker {}: a skill was not interned",
                    seeker.id
                )));
            }
        }
        Ok(state)
    }

    /// The same state with the course catalogue `courses` (the engine's states hold the store's).
    pub fn with_courses(mut self, mut courses: Vec<Course>) -> Self {
        courses.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        self.courses = Arc::new(courses);
        self
    }

    /// Adds or replaces `vacancy` (with competences) at its position; `Err` when one of its
    /// skills has no id yet (nothing changed then).
    fn put_vacancy(&mut self, vacancy: &Vacancy) -> std::result::Result<(), NeedsRebuild> {
        let mut requirements = Vec::with_capacity(vacancy.requirements.len());
        for requirement in &vacancy.requirements {
            let skill = *self
                .skill_ids
                .get(requirement.skill.as_str())
                .ok_or(NeedsRebuild)?;
            let requirement = Requirement::with_weight(
                skill,
                requirement.level.get(),
                requirement.essential,
                requirement.weight.get(),
            )
            .map_err(|_| NeedsRebuild)?;
            requirements.push(requirement);
        }
        let contract_type = match &vacancy.placement {
            PlacementType::Contract { contract_type } => {
                Some(self.filters.contract_type(contract_type))
            }
            _ => None,
        };
        let filter_facts = VacancyFilterFacts {
            tirocinio: vacancy.placement.is_tirocinio(),
            contract_type,
            public: matches!(vacancy.source, VacancySource::Public),
            comune: self.filters.comune(&vacancy.comune, &self.coordinates),
        };
        let facts = Arc::new(VacancyFacts {
            title: vacancy.title.clone(),
            company_id: vacancy.company_id.as_str().to_string(),
            comune: vacancy.comune.clone(),
            placement: vacancy.placement.clone(),
            source: vacancy.source.clone(),
            weekly_hours: vacancy.weekly_hours,
            closes: vacancy.closes,
        });
        match self.vacancy_position.get(vacancy.id.as_str()) {
            Some(&position) => {
                self.set
                    .replace_vacancy(position, requirements)
                    .map_err(|_| NeedsRebuild)?;
                self.filters.vacancies.set(position, filter_facts);
                self.vacancy_facts.set(position, facts);
            }
            None => {
                let position = self
                    .set
                    .add_vacancy(vacancy.id.as_str(), requirements)
                    .map_err(|_| NeedsRebuild)?;
                self.vacancy_position.insert(vacancy.id.as_str(), position);
                self.filters.vacancies.push(filter_facts);
                self.vacancy_facts.push(facts);
            }
        }
        Ok(())
    }

    /// Removes the vacancy `id` if held (the last vacancy takes its position).
    fn remove_vacancy(&mut self, id: &str) {
        let Some(position) = self.vacancy_position.remove(id) else {
            return;
        };
        if self.set.remove_vacancy(position).is_some() {
            let moved = self.set.vacancy_id(position).to_string();
            self.vacancy_position.insert(&moved, position);
        }
        self.filters.vacancies.swap_remove(position);
        self.vacancy_facts.swap_remove(position);
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
            let list = &self.presumed[worker];
            item.presumed_from = list
                .binary_search_by_key(&held, |entry| entry.0)
                .ok()
                .map(|index| list[index].1.to_string());
            let read = &self.read[worker];
            item.read_from = read
                .binary_search_by_key(&held, |entry| entry.0)
                .ok()
                .map(|index| read[index].1.to_string());
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

/// Read access for the training area (`crate::training`), which builds on the same state.
impl MatchState {
    /// The course catalogue, by id.
    pub(crate) fn courses(&self) -> &Arc<Vec<Course>> {
        &self.courses
    }

    /// Worker positions in id order (a fresh build's order), for reports whose output or sums
    /// follow the order of the people: positions move when the state follows writes.
    pub(crate) fn workers_by_id(&self) -> Vec<usize> {
        let mut positions: Vec<usize> = (0..self.set.worker_count()).collect();
        positions.sort_by(|&a, &b| self.set.worker_id(a).cmp(self.set.worker_id(b)));
        positions
    }

    /// Vacancy positions in id order (see [`MatchState::workers_by_id`]).
    pub(crate) fn vacancies_by_id(&self) -> Vec<usize> {
        let mut positions: Vec<usize> = (0..self.set.vacancy_count()).collect();
        positions.sort_by(|&a, &b| self.set.vacancy_id(a).cmp(self.set.vacancy_id(b)));
        positions
    }

    /// True when `other` has the same skill ids (the same interned skill table).
    pub(crate) fn same_skill_table(&self, other: &MatchState) -> bool {
        Arc::ptr_eq(&self.skill_ids, &other.skill_ids)
    }

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
