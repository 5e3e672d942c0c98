//! [`MatchSet`]: vacancies and workers in memory, with inverted indexes for top-k queries.

use std::cmp::Ordering;
use std::sync::Arc;

use super::cow::CowVec;
use super::explain::{explain, Explanation};
use super::kernel::score;
#[cfg(test)]
use super::postings::PRUNED_LISTS;
use super::postings::{self, VacancyPostings, WorkerPostings};
use super::{Requirement, ScoringConfig, SkillGraph};
use crate::{Error, ErrorCode, Result};

/// An in-memory set of vacancies and workers over interned skills.
///
/// Vacancies and workers are addressed by position (the order they were added). Queries walk the
/// posting lists skill → requirements and skill → workers of the skills that can earn credit (in
/// default mode with a graph, also the skills related to the query's) and accumulate each
/// candidate's sums in dense per-thread arrays (`scoring/postings.rs`); the scores are
/// bit-identical to the reference kernel [`super::score`], which the `*_reference` twins use on
/// every candidate. Results are ordered by score descending, then id ascending (then position).
///
/// A set changes in place object by object ([`MatchSet::replace_vacancy`],
/// [`MatchSet::remove_vacancy`] and the worker twins) and is cheap to clone: its arrays and posting
/// lists are copy-on-write (`scoring/cow.rs`), so the engine builds the next state as a clone with
/// one object changed while queries read the current one. Positions stay dense: a removal moves
/// the last object into the hole. The scores of a vacancy or worker do not depend on positions or
/// on the order of the posting lists, so a set changed step by step ranks exactly as a set built
/// afresh from the same objects (ties by id; positions break ties only between equal ids).
#[derive(Debug, Default, Clone)]
pub struct MatchSet {
    graph: Option<Arc<SkillGraph>>,
    vacancy_ids: CowVec<Arc<str>>,
    vacancy_requirements: CowVec<Arc<[Requirement]>>,
    worker_ids: CowVec<Arc<str>>,
    worker_profiles: CowVec<Arc<[(u32, u8)]>>,
    vacancy_postings: VacancyPostings,
    worker_postings: WorkerPostings,
}

/// Score descending, then id ascending, then position ascending (what a stable sort of the
/// candidates in position order by score and id gives).
fn by_score_then_id<'a>(
    ids: &'a CowVec<Arc<str>>,
) -> impl Fn(&(usize, f32), &(usize, f32)) -> Ordering + 'a {
    move |a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| ids[a.0].cmp(&ids[b.0]))
            .then_with(|| a.0.cmp(&b.0))
    }
}

impl MatchSet {
    /// An empty set without related-skill graph.
    pub fn new() -> Self {
        MatchSet::default()
    }

    /// An empty set that uses `graph` for related credit and specificity in default mode.
    pub fn with_graph(graph: Arc<SkillGraph>) -> Self {
        MatchSet {
            graph: Some(graph),
            ..MatchSet::default()
        }
    }

    /// The graph, if any.
    pub fn graph(&self) -> Option<&SkillGraph> {
        self.graph.as_deref()
    }

    /// Sorts `requirements` by skill and checks them: not empty, no repeated skill.
    fn checked_requirements(id: &str, requirements: Vec<Requirement>) -> Result<Vec<Requirement>> {
        let mut requirements = requirements;
        requirements.sort_by_key(|r| r.skill);
        if requirements.is_empty() {
            return Err(Error::invalid(
                ErrorCode::EmptyRequirements,
                format!("vacancy {id} has no requirements"),
            ));
        }
        if let Some(pair) = requirements.windows(2).find(|w| w[0].skill == w[1].skill) {
            return Err(Error::invalid(
                ErrorCode::DuplicateRequirement,
                format!("vacancy {id} requires skill {} twice", pair[0].skill),
            ));
        }
        Ok(requirements)
    }

    /// Sorts `profile` by skill and checks it: no repeated skill, levels 1..=4.
    fn checked_profile(id: &str, profile: Vec<(u32, u8)>) -> Result<Vec<(u32, u8)>> {
        let mut profile = profile;
        profile.sort_unstable();
        if let Some(pair) = profile.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::invalid(
                ErrorCode::DuplicateCompetence,
                format!("worker {id} holds skill {} twice", pair[0].0),
            ));
        }
        if let Some(&(skill, level)) = profile.iter().find(|(_, level)| !(1..=4).contains(level)) {
            return Err(Error::invalid(
                ErrorCode::InvalidLevel,
                format!("worker {id}: level {level} of skill {skill} is outside 1..=4"),
            ));
        }
        Ok(profile)
    }

    /// Adds a vacancy; its requirements are sorted by skill. Fails on a repeated skill or an
    /// empty list. Returns its position.
    pub fn add_vacancy(
        &mut self,
        id: impl Into<String>,
        requirements: Vec<Requirement>,
    ) -> Result<usize> {
        let id: String = id.into();
        let requirements = Self::checked_requirements(&id, requirements)?;
        let position = self.vacancy_ids.len();
        self.vacancy_postings
            .add(position, &requirements, self.graph.as_deref());
        self.vacancy_ids.push(id.into());
        self.vacancy_requirements.push(requirements.into());
        Ok(position)
    }

    /// Replaces the requirements of the vacancy at `position` (same checks as
    /// [`MatchSet::add_vacancy`]; on error nothing changes).
    pub fn replace_vacancy(
        &mut self,
        position: usize,
        requirements: Vec<Requirement>,
    ) -> Result<()> {
        let id = self.vacancy_ids[position].clone();
        let requirements = Self::checked_requirements(&id, requirements)?;
        let old = self.vacancy_requirements[position].clone();
        self.vacancy_postings.remove_postings(position, &old);
        self.vacancy_postings
            .add(position, &requirements, self.graph.as_deref());
        self.vacancy_requirements.set(position, requirements.into());
        Ok(())
    }

    /// Removes the vacancy at `position`; the last vacancy takes its place. Returns the
    /// position the moved vacancy had (`None`: it was the last one).
    pub fn remove_vacancy(&mut self, position: usize) -> Option<usize> {
        let last = self.vacancy_ids.len() - 1;
        let old = self.vacancy_requirements[position].clone();
        self.vacancy_postings.remove_postings(position, &old);
        let last_requirements = self.vacancy_requirements[last].clone();
        self.vacancy_postings
            .swap_remove(position, &last_requirements);
        self.vacancy_ids.swap_remove(position);
        self.vacancy_requirements.swap_remove(position);
        (position != last).then_some(last)
    }

    /// Adds a worker; the profile is sorted by skill. Fails on a repeated skill or a level
    /// outside 1..=4. Returns its position.
    pub fn add_worker(&mut self, id: impl Into<String>, profile: Vec<(u32, u8)>) -> Result<usize> {
        let id: String = id.into();
        let profile = Self::checked_profile(&id, profile)?;
        let position = self.worker_ids.len();
        self.worker_postings.add(position, &profile);
        self.worker_ids.push(id.into());
        self.worker_profiles.push(profile.into());
        Ok(position)
    }

    /// Replaces the profile of the worker at `position` (same checks as
    /// [`MatchSet::add_worker`]; on error nothing changes).
    pub fn replace_worker(&mut self, position: usize, profile: Vec<(u32, u8)>) -> Result<()> {
        let id = self.worker_ids[position].clone();
        let profile = Self::checked_profile(&id, profile)?;
        let old = self.worker_profiles[position].clone();
        self.worker_postings.remove(position, &old);
        self.worker_postings.add(position, &profile);
        self.worker_profiles.set(position, profile.into());
        Ok(())
    }

    /// Removes the worker at `position`; the last worker takes its place. Returns the position
    /// the moved worker had (`None`: it was the last one).
    pub fn remove_worker(&mut self, position: usize) -> Option<usize> {
        let last = self.worker_ids.len() - 1;
        let old = self.worker_profiles[position].clone();
        self.worker_postings.remove(position, &old);
        if position != last {
            let moved = self.worker_profiles[last].clone();
            self.worker_postings.renumber(last, position, &moved);
        }
        self.worker_ids.swap_remove(position);
        self.worker_profiles.swap_remove(position);
        (position != last).then_some(last)
    }

    /// Number of vacancies.
    pub fn vacancy_count(&self) -> usize {
        self.vacancy_ids.len()
    }

    /// Number of workers.
    pub fn worker_count(&self) -> usize {
        self.worker_ids.len()
    }

    /// The id of the vacancy at `position`.
    pub fn vacancy_id(&self, position: usize) -> &str {
        &self.vacancy_ids[position]
    }

    /// The id of the worker at `position`.
    pub fn worker_id(&self, position: usize) -> &str {
        &self.worker_ids[position]
    }

    /// The sorted requirements of the vacancy at `position`.
    pub fn vacancy_requirements(&self, position: usize) -> &[Requirement] {
        &self.vacancy_requirements[position]
    }

    /// The sorted profile of the worker at `position`.
    pub fn worker_profile(&self, position: usize) -> &[(u32, u8)] {
        &self.worker_profiles[position]
    }

    /// Skills whose holders could earn credit: the given ones plus, when related credit is on,
    /// their neighbours in the graph.
    fn reachable_skills(
        &self,
        skills: impl Iterator<Item = u32>,
        config: &ScoringConfig,
    ) -> Vec<u32> {
        let mut reachable = Vec::new();
        for skill in skills {
            reachable.push(skill);
            if let Some(graph) = self.graph.as_deref().filter(|_| config.uses_related()) {
                reachable.extend(graph.related_to(skill).iter().map(|&(other, _, _)| other));
            }
        }
        reachable.sort_unstable();
        reachable.dedup();
        reachable
    }

    fn candidates<I: Iterator<Item = u32>>(
        skills: &[u32],
        postings: impl Fn(u32) -> I,
    ) -> Vec<u32> {
        let mut candidates: Vec<u32> = skills.iter().flat_map(|&skill| postings(skill)).collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// The `k` best vacancies for a profile (sorted by skill) among those `filter` accepts, as
    /// `(vacancy position, score)`, best first; only scores > 0 and ≥ `config.min_score`.
    ///
    /// Accumulates over the posting lists (see the type's doc); same results as
    /// [`MatchSet::top_vacancies_for_worker_reference`]. `filter` must be a pure function of the
    /// position: it is asked only about candidates whose score could enter the top `k`.
    pub fn top_vacancies_for_worker(
        &self,
        profile: &[(u32, u8)],
        k: usize,
        config: &ScoringConfig,
        filter: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        if !profile.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            // Not a profile in the documented form: the reference defines what it means.
            return self.top_vacancies_for_worker_reference(profile, k, config, filter);
        }
        let order = by_score_then_id(&self.vacancy_ids);
        if k <= postings::PRUNED_MAX_K {
            return postings::top_vacancies_pruned(
                &self.vacancy_postings,
                &self.vacancy_requirements,
                self.graph(),
                profile,
                k,
                config,
                filter,
                &order,
            );
        }
        postings::top_vacancies(
            &self.vacancy_postings,
            self.graph(),
            profile,
            k,
            config,
            filter,
            &order,
        )
    }

    /// [`MatchSet::top_vacancies_for_worker`] always through the accumulator, every posting of
    /// every reachable skill added up (what a large `k` uses; the tests compare the paths).
    pub fn top_vacancies_for_worker_accumulated(
        &self,
        profile: &[(u32, u8)],
        k: usize,
        config: &ScoringConfig,
        filter: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        if !profile.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            return self.top_vacancies_for_worker_reference(profile, k, config, filter);
        }
        let order = by_score_then_id(&self.vacancy_ids);
        postings::top_vacancies(
            &self.vacancy_postings,
            self.graph(),
            profile,
            k,
            config,
            filter,
            &order,
        )
    }

    /// [`MatchSet::top_vacancies_for_worker`] always through the pruned path (MaxScore), whatever
    /// `k` (the tests compare the paths).
    pub fn top_vacancies_for_worker_pruned(
        &self,
        profile: &[(u32, u8)],
        k: usize,
        config: &ScoringConfig,
        filter: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        if !profile.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            return self.top_vacancies_for_worker_reference(profile, k, config, filter);
        }
        let order = by_score_then_id(&self.vacancy_ids);
        postings::top_vacancies_pruned(
            &self.vacancy_postings,
            &self.vacancy_requirements,
            self.graph(),
            profile,
            k,
            config,
            filter,
            &order,
        )
    }

    /// The reference twin of [`MatchSet::top_vacancies_for_worker`]: every vacancy sharing a
    /// (related) skill is scored with the reference kernel [`super::score`], then all are sorted.
    /// Slower; kept as the definition the fast path is tested against.
    pub fn top_vacancies_for_worker_reference(
        &self,
        profile: &[(u32, u8)],
        k: usize,
        config: &ScoringConfig,
        filter: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        let skills = self.reachable_skills(profile.iter().map(|&(skill, _)| skill), config);
        let candidates = Self::candidates(&skills, |skill| {
            self.vacancy_postings.vacancies_requiring(skill)
        });
        let mut scored: Vec<(usize, f32)> = candidates
            .into_iter()
            .map(|position| position as usize)
            .filter(|&position| filter(position))
            .map(|position| {
                let requirements = &self.vacancy_requirements[position];
                (position, score(profile, requirements, config, self.graph()))
            })
            .filter(|&(_, value)| value > 0.0 && value >= config.min_score)
            .collect();
        scored.sort_by(by_score_then_id(&self.vacancy_ids));
        scored.truncate(k);
        scored
    }

    /// The `k` best workers for the vacancy at `vacancy_position` among those `filter` accepts
    /// (worker positions), best first, ties by worker id.
    ///
    /// Accumulates over the posting lists; same results as
    /// [`MatchSet::top_workers_for_vacancy_reference`]. `filter` must be a pure function of the
    /// position: it is asked only about candidates whose score could enter the top `k`.
    pub fn top_workers_for_vacancy(
        &self,
        vacancy_position: usize,
        k: usize,
        config: &ScoringConfig,
        filter: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        let Some(requirements) = self.vacancy_requirements.get(vacancy_position) else {
            return Vec::new();
        };
        let requirements: &[Requirement] = requirements;
        let order = by_score_then_id(&self.worker_ids);
        postings::top_workers(
            &self.worker_postings,
            self.worker_ids.len(),
            self.graph(),
            requirements,
            k,
            config,
            filter,
            &order,
        )
    }

    /// The reference twin of [`MatchSet::top_workers_for_vacancy`]: every worker holding a
    /// (related) skill is scored with the reference kernel, then all are sorted.
    pub fn top_workers_for_vacancy_reference(
        &self,
        vacancy_position: usize,
        k: usize,
        config: &ScoringConfig,
        filter: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        let Some(requirements) = self.vacancy_requirements.get(vacancy_position) else {
            return Vec::new();
        };
        let requirements: &[Requirement] = requirements;
        let skills = self.reachable_skills(requirements.iter().map(|r| r.skill), config);
        let candidates =
            Self::candidates(&skills, |skill| self.worker_postings.workers_holding(skill));
        let mut scored: Vec<(usize, f32)> = candidates
            .into_iter()
            .map(|position| position as usize)
            .filter(|&position| filter(position))
            .map(|position| {
                let profile = &self.worker_profiles[position];
                (position, score(profile, requirements, config, self.graph()))
            })
            .filter(|&(_, value)| value > 0.0 && value >= config.min_score)
            .collect();
        scored.sort_by(by_score_then_id(&self.worker_ids));
        scored.truncate(k);
        scored
    }

    /// Explains the score of `profile` against the vacancy at `vacancy_position`; `graph` gives
    /// related credit (pass the set's own [`MatchSet::graph`] to agree with the top-k calls).
    pub fn explain(
        &self,
        profile: &[(u32, u8)],
        vacancy_position: usize,
        config: &ScoringConfig,
        graph: Option<&SkillGraph>,
        labels: &dyn Fn(u32) -> String,
    ) -> Result<Explanation> {
        let Some(requirements) = self.vacancy_requirements.get(vacancy_position) else {
            return Err(Error::not_found(
                ErrorCode::VacancyNotFound,
                "vacancy",
                vacancy_position.to_string(),
            ));
        };
        Ok(explain(profile, &requirements[..], config, graph, labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::{parallel, Mode};
    use proptest::prelude::*;

    fn req(skill: u32, level: u8, essential: bool) -> Requirement {
        Requirement::new(skill, level, essential).unwrap()
    }

    #[test]
    fn top_k_orders_by_score_then_id() {
        let mut set = MatchSet::new();
        set.add_vacancy("b", vec![req(1, 1, true)]).unwrap();
        set.add_vacancy("a", vec![req(1, 1, true)]).unwrap();
        set.add_vacancy("c", vec![req(1, 1, true), req(2, 1, true)])
            .unwrap();
        set.add_vacancy("d", vec![req(3, 1, true)]).unwrap();
        let top = set.top_vacancies_for_worker(&[(1, 2)], 10, &ScoringConfig::exact(), &|_| true);
        let ids: Vec<&str> = top.iter().map(|&(p, _)| set.vacancy_id(p)).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let filtered =
            set.top_vacancies_for_worker(&[(1, 2)], 1, &ScoringConfig::exact(), &|p| p != 1);
        assert_eq!(filtered, vec![(0, 1.0)]);
    }

    #[test]
    fn top_workers_for_a_vacancy() {
        let mut set = MatchSet::new();
        set.add_worker("w2", vec![(1, 1)]).unwrap();
        set.add_worker("w1", vec![(1, 4), (2, 4)]).unwrap();
        let vacancy = set.add_vacancy("v", vec![req(1, 2, true)]).unwrap();
        let top = set.top_workers_for_vacancy(vacancy, 5, &ScoringConfig::exact(), &|_| true);
        assert_eq!(top, vec![(1, 1.0), (0, 0.5)]);
    }

    #[test]
    fn bad_input_is_rejected() {
        let mut set = MatchSet::new();
        assert_eq!(
            set.add_vacancy("v", vec![]).unwrap_err().code(),
            "empty_requirements"
        );
        assert_eq!(
            set.add_vacancy("v", vec![req(1, 1, true), req(1, 2, false)])
                .unwrap_err()
                .code(),
            "duplicate_requirement"
        );
        assert_eq!(
            set.add_worker("w", vec![(1, 5)]).unwrap_err().code(),
            "invalid_level"
        );
        assert!(set
            .explain(&[], 3, &ScoringConfig::exact(), None, &|s| s.to_string())
            .is_err());
    }

    fn arb_profile() -> impl Strategy<Value = Vec<(u32, u8)>> {
        proptest::collection::btree_map(0u32..24, 1u8..=4, 0..8)
            .prop_map(|map| map.into_iter().collect())
    }

    fn arb_requirements() -> impl Strategy<Value = Vec<Requirement>> {
        proptest::collection::btree_map(0u32..24, (1u8..=4, any::<bool>()), 1..8).prop_map(|map| {
            map.into_iter()
                .map(|(skill, (level, essential))| req(skill, level, essential))
                .collect()
        })
    }

    fn graph() -> SkillGraph {
        use crate::scoring::Specificity::*;
        let broader: Vec<(u32, u32)> = (0..20).map(|s| (s, 20 + s % 4)).collect();
        let reuse = (0..24)
            .map(|s| {
                [
                    Transversal,
                    CrossSector,
                    SectorSpecific,
                    OccupationSpecific,
                    Unknown,
                ][s % 5]
            })
            .collect();
        SkillGraph::new(24, &broader, &[(1, 7), (3, 11), (5, 6)], reuse).unwrap()
    }

    fn configs() -> Vec<ScoringConfig> {
        vec![
            ScoringConfig::exact(),
            ScoringConfig::default(),
            ScoringConfig {
                specificity: false,
                essential_factor: false,
                ..ScoringConfig::default()
            },
        ]
    }

    /// A graph over 40 skills with broader concepts, siblings and skill–skill relations, and
    /// every reuse level; `weighted` gives each relation a closeness below 1.
    fn wide_graph(weighted: bool) -> SkillGraph {
        use crate::scoring::Specificity::*;
        let broader: Vec<(u32, u32)> = (0..40u32)
            .filter(|s| s % 5 != 0)
            .map(|s| (s, s - s % 5))
            .collect();
        let related: Vec<(u32, u32)> = (0..39u32).step_by(3).map(|s| (s, (s + 7) % 40)).collect();
        let reuse = (0..40)
            .map(|s| {
                [
                    Transversal,
                    CrossSector,
                    SectorSpecific,
                    OccupationSpecific,
                    Unknown,
                ][s % 5]
            })
            .collect();
        let closeness = if weighted {
            crate::scoring::Closeness {
                related: 0.7,
                parent_child: 0.45,
                siblings: 1.5,
            }
        } else {
            crate::scoring::Closeness::FLAT
        };
        SkillGraph::with_closeness(40, &broader, &related, reuse, &closeness).unwrap()
    }

    fn arb_weighted_requirements() -> impl Strategy<Value = Vec<Requirement>> {
        proptest::collection::btree_map(
            0u32..44,
            (
                1u8..=4,
                any::<bool>(),
                prop_oneof![Just(1.0f32), 0.1f32..3.0],
            ),
            1..9,
        )
        .prop_map(|map| {
            map.into_iter()
                .map(|(skill, (level, essential, weight))| {
                    Requirement::with_weight(skill, level, essential, weight).unwrap()
                })
                .collect()
        })
    }

    fn arb_config() -> impl Strategy<Value = ScoringConfig> {
        (
            any::<bool>(),
            prop_oneof![Just(0.25f32), Just(0.0), Just(1.0), 0.0f32..=1.0],
            any::<bool>(),
            any::<bool>(),
            prop_oneof![Just(0.0f32), 0.0f32..0.8],
        )
            .prop_map(
                |(exact, related_discount, specificity, essential_factor, min_score)| {
                    ScoringConfig {
                        mode: if exact { Mode::Exact } else { Mode::Default },
                        related_discount,
                        specificity,
                        essential_factor,
                        min_score,
                    }
                },
            )
    }

    fn bits(ranked: &[(usize, f32)]) -> Vec<(usize, u32)> {
        ranked.iter().map(|&(p, s)| (p, s.to_bits())).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        /// The accumulator path gives the reference's results bit for bit, in both directions:
        /// same positions, same scores, same order on ties (ids repeat on purpose), with and
        /// without a graph, under filters, small and large k.
        #[test]
        fn accumulator_equals_reference(
            vacancies in proptest::collection::vec(arb_weighted_requirements(), 1..60),
            workers in proptest::collection::vec(
                proptest::collection::btree_map(0u32..44, 1u8..=4, 0..10), 1..40),
            config in arb_config(),
            k in prop_oneof![1usize..8, 60usize..80],
            modulus in 2usize..6,
            with_graph in any::<bool>(),
            weighted in any::<bool>(),
        ) {
            let mut set = if with_graph {
                MatchSet::with_graph(Arc::new(wide_graph(weighted)))
            } else {
                MatchSet::new()
            };
            for (i, requirements) in vacancies.into_iter().enumerate() {
                set.add_vacancy(format!("v{:02}", (i * 7) % 23), requirements).unwrap();
            }
            for (i, profile) in workers.into_iter().enumerate() {
                set.add_worker(format!("w{:02}", (i * 5) % 17), profile.into_iter().collect()).unwrap();
            }
            let filter = |position: usize| position % modulus != 1;
            for worker in 0..set.worker_count() {
                let profile = set.worker_profile(worker);
                for filter in [&filter as &dyn Fn(usize) -> bool, &|_| true] {
                    let fast = set.top_vacancies_for_worker(profile, k, &config, filter);
                    let reference = set.top_vacancies_for_worker_reference(profile, k, &config, filter);
                    prop_assert_eq!(bits(&fast), bits(&reference));
                    let pruned = set.top_vacancies_for_worker_pruned(profile, k, &config, filter);
                    prop_assert_eq!(bits(&pruned), bits(&reference));
                    let accumulated = set.top_vacancies_for_worker_accumulated(profile, k, &config, filter);
                    prop_assert_eq!(bits(&accumulated), bits(&reference));
                }
            }
            for vacancy in 0..set.vacancy_count() {
                for filter in [&filter as &dyn Fn(usize) -> bool, &|_| true] {
                    let fast = set.top_workers_for_vacancy(vacancy, k, &config, filter);
                    let reference = set.top_workers_for_vacancy_reference(vacancy, k, &config, filter);
                    prop_assert_eq!(bits(&fast), bits(&reference));
                }
            }
        }
    }

    /// A larger set than the property test's, where the k-th score rises high enough for the
    /// pruned path to skip posting lists: it still ranks exactly as the reference (positions,
    /// score bits, ties by id), with and without graph, filter and `min_score`, and it does skip.
    #[test]
    fn pruned_path_skips_lists_and_equals_reference() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(20);
        for with_graph in [false, true] {
            let mut set = if with_graph {
                MatchSet::with_graph(Arc::new(wide_graph(true)))
            } else {
                MatchSet::new()
            };
            for i in 0..600 {
                let count = rng.random_range(1..12);
                let mut skills: Vec<u32> = (0..count).map(|_| rng.random_range(0..44)).collect();
                if i % 9 == 0 {
                    // Repeated requirement sets under repeated ids: ties broken by id, then position.
                    skills = vec![2, 3, 5];
                }
                skills.sort_unstable();
                skills.dedup();
                let requirements = skills
                    .iter()
                    .map(|&skill| {
                        let weight = if i % 9 == 0 {
                            1.0
                        } else {
                            rng.random_range(0.2f32..3.0)
                        };
                        Requirement::with_weight(
                            skill,
                            1 + (skill % 4) as u8,
                            skill % 3 != 0,
                            weight,
                        )
                        .unwrap()
                    })
                    .collect();
                set.add_vacancy(format!("v{:03}", (i * 7) % 450), requirements)
                    .unwrap();
            }
            PRUNED_LISTS.with(|skipped| skipped.set(0));
            for person in 0..40u32 {
                let mut profile: Vec<(u32, u8)> = (0..rng.random_range(1..15))
                    .map(|_| (rng.random_range(0..44), rng.random_range(1..=4)))
                    .collect();
                if person % 5 == 0 {
                    profile = vec![(2, 4), (3, 4), (5, 4)];
                }
                profile.sort_unstable();
                profile.dedup_by_key(|entry| entry.0);
                let with_minimum = ScoringConfig {
                    min_score: 0.4,
                    ..ScoringConfig::default()
                };
                for config in configs().into_iter().chain([with_minimum]) {
                    for k in [1, 3, 10, 64] {
                        let filter = |position: usize| position % 7 != 3;
                        for filter in [&filter as &dyn Fn(usize) -> bool, &|_| true] {
                            let pruned =
                                set.top_vacancies_for_worker_pruned(&profile, k, &config, filter);
                            let reference = set
                                .top_vacancies_for_worker_reference(&profile, k, &config, filter);
                            assert_eq!(
                                bits(&pruned),
                                bits(&reference),
                                "{profile:?} {config:?} k={k}"
                            );
                        }
                    }
                }
            }
            let skipped = PRUNED_LISTS.with(|skipped| skipped.get());
            assert!(
                skipped > 200,
                "the pruned path skipped only {skipped} lists"
            );
        }
    }

    #[derive(Debug, Clone)]
    enum SetOp {
        PutVacancy(u8, Vec<Requirement>),
        RemoveVacancy(u8),
        PutWorker(u8, Vec<(u32, u8)>),
        RemoveWorker(u8),
    }

    fn arb_set_op() -> impl Strategy<Value = SetOp> {
        prop_oneof![
            4 => (0u8..30, arb_weighted_requirements()).prop_map(|(id, r)| SetOp::PutVacancy(id, r)),
            2 => (0u8..30).prop_map(SetOp::RemoveVacancy),
            3 => (0u8..20, proptest::collection::btree_map(0u32..44, 1u8..=4, 0..10))
                .prop_map(|(id, p)| SetOp::PutWorker(id, p.into_iter().collect())),
            1 => (0u8..20).prop_map(SetOp::RemoveWorker),
        ]
    }

    /// `(id, score bits)` of a ranking.
    fn named(ranked: &[(usize, f32)], id: impl Fn(usize) -> String) -> Vec<(String, u32)> {
        ranked.iter().map(|&(p, s)| (id(p), s.to_bits())).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        /// A set changed object by object (add, replace, remove: the last object moves into the
        /// hole) ranks exactly as a set built afresh from the surviving objects in another order:
        /// same ids, same scores bit for bit, both directions, under a filter; and its accumulator
        /// still equals its reference.
        #[test]
        fn incremental_set_equals_fresh_build(
            ops in proptest::collection::vec(arb_set_op(), 1..80),
            config in arb_config(),
            k in prop_oneof![1usize..6, 70usize..80],
            weighted in any::<bool>(),
        ) {
            let graph = Arc::new(wide_graph(weighted));
            let mut set = MatchSet::with_graph(Arc::clone(&graph));
            let mut vacancies: std::collections::BTreeMap<String, Vec<Requirement>> = Default::default();
            let mut workers: std::collections::BTreeMap<String, Vec<(u32, u8)>> = Default::default();
            let mut vacancy_at: std::collections::HashMap<String, usize> = Default::default();
            let mut worker_at: std::collections::HashMap<String, usize> = Default::default();
            for op in ops {
                match op {
                    SetOp::PutVacancy(id, requirements) => {
                        let id = format!("v{id:02}");
                        match vacancy_at.get(&id) {
                            Some(&position) => set.replace_vacancy(position, requirements.clone()).unwrap(),
                            None => {
                                let position = set.add_vacancy(id.clone(), requirements.clone()).unwrap();
                                vacancy_at.insert(id.clone(), position);
                            }
                        }
                        vacancies.insert(id, requirements);
                    }
                    SetOp::RemoveVacancy(id) => {
                        let id = format!("v{id:02}");
                        if let Some(position) = vacancy_at.remove(&id) {
                            if set.remove_vacancy(position).is_some() {
                                vacancy_at.insert(set.vacancy_id(position).to_string(), position);
                            }
                            vacancies.remove(&id);
                        }
                    }
                    SetOp::PutWorker(id, profile) => {
                        let id = format!("w{id:02}");
                        match worker_at.get(&id) {
                            Some(&position) => set.replace_worker(position, profile.clone()).unwrap(),
                            None => {
                                let position = set.add_worker(id.clone(), profile.clone()).unwrap();
                                worker_at.insert(id.clone(), position);
                            }
                        }
                        workers.insert(id, profile);
                    }
                    SetOp::RemoveWorker(id) => {
                        let id = format!("w{id:02}");
                        if let Some(position) = worker_at.remove(&id) {
                            if set.remove_worker(position).is_some() {
                                worker_at.insert(set.worker_id(position).to_string(), position);
                            }
                            workers.remove(&id);
                        }
                    }
                }
            }
            prop_assert_eq!(set.vacancy_count(), vacancies.len());
            prop_assert_eq!(set.worker_count(), workers.len());
            // Built afresh, in reverse id order (other positions, other posting-list order).
            let mut fresh = MatchSet::with_graph(graph);
            for (id, requirements) in vacancies.iter().rev() {
                fresh.add_vacancy(id.clone(), requirements.clone()).unwrap();
            }
            for (id, profile) in workers.iter().rev() {
                fresh.add_worker(id.clone(), profile.clone()).unwrap();
            }
            let keep = |id: &str| !id.ends_with('3') && !id.ends_with('7');
            for (id, profile) in &workers {
                let profile: Vec<(u32, u8)> = profile.iter().copied().collect::<std::collections::BTreeMap<_, _>>().into_iter().collect();
                let changed = set.top_vacancies_for_worker(&profile, k, &config, &|p| keep(set.vacancy_id(p)));
                let rebuilt = fresh.top_vacancies_for_worker(&profile, k, &config, &|p| keep(fresh.vacancy_id(p)));
                let reference = set.top_vacancies_for_worker_reference(&profile, k, &config, &|p| keep(set.vacancy_id(p)));
                prop_assert_eq!(bits(&changed), bits(&reference), "worker {}", id);
                prop_assert_eq!(
                    named(&changed, |p| set.vacancy_id(p).to_string()),
                    named(&rebuilt, |p| fresh.vacancy_id(p).to_string())
                );
                let position = worker_at[id];
                prop_assert_eq!(set.worker_profile(position), &profile[..]);
            }
            for id in vacancies.keys() {
                let (mine, theirs) = (vacancy_at[id], (0..fresh.vacancy_count()).find(|&p| fresh.vacancy_id(p) == id).unwrap());
                let changed = set.top_workers_for_vacancy(mine, k, &config, &|p| keep(set.worker_id(p)));
                let rebuilt = fresh.top_workers_for_vacancy(theirs, k, &config, &|p| keep(fresh.worker_id(p)));
                let reference = set.top_workers_for_vacancy_reference(mine, k, &config, &|p| keep(set.worker_id(p)));
                prop_assert_eq!(bits(&changed), bits(&reference));
                prop_assert_eq!(
                    named(&changed, |p| set.worker_id(p).to_string()),
                    named(&rebuilt, |p| fresh.worker_id(p).to_string())
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn scores_are_in_unit_interval(profile in arb_profile(), requirements in arb_requirements()) {
            let graph = graph();
            for config in configs() {
                let value = score(&profile, &requirements, &config, Some(&graph));
                prop_assert!((0.0..=1.0).contains(&value), "{value}");
            }
        }

        #[test]
        fn adding_a_competence_never_lowers_a_score(
            profile in arb_profile(),
            requirements in arb_requirements(),
            skill in 0u32..24,
            level in 1u8..=4,
        ) {
            prop_assume!(profile.iter().all(|&(held, _)| held != skill));
            let mut larger = profile.clone();
            larger.push((skill, level));
            larger.sort_unstable();
            let graph = graph();
            for config in configs() {
                let before = score(&profile, &requirements, &config, Some(&graph));
                let after = score(&larger, &requirements, &config, Some(&graph));
                prop_assert!(after + 1e-6 >= before, "{before} > {after}");
            }
        }

        #[test]
        fn exact_never_exceeds_default_without_weightings(
            profile in arb_profile(),
            requirements in arb_requirements(),
        ) {
            let graph = graph();
            let default = ScoringConfig { specificity: false, essential_factor: false, ..ScoringConfig::default() };
            let exact = score(&profile, &requirements, &ScoringConfig::exact(), Some(&graph));
            let related = score(&profile, &requirements, &default, Some(&graph));
            prop_assert!(exact <= related + 1e-6, "{exact} > {related}");
        }

        #[test]
        fn essential_factor_never_raises_a_score(
            profile in arb_profile(),
            requirements in arb_requirements(),
        ) {
            let graph = graph();
            let with = score(&profile, &requirements, &ScoringConfig::default(), Some(&graph));
            let without = ScoringConfig { essential_factor: false, ..ScoringConfig::default() };
            prop_assert!(with <= score(&profile, &requirements, &without, Some(&graph)) + 1e-6);
        }

        #[test]
        fn parallel_equals_sequential_and_order_is_stable(
            workers in proptest::collection::vec(arb_profile(), 1..20),
            vacancies in proptest::collection::vec(arb_requirements(), 1..30),
        ) {
            let mut set = MatchSet::with_graph(Arc::new(graph()));
            for (i, requirements) in vacancies.into_iter().enumerate() {
                set.add_vacancy(format!("v{:03}", 100 - i), requirements).unwrap();
            }
            for (i, profile) in workers.into_iter().enumerate() {
                set.add_worker(format!("w{i:03}"), profile).unwrap();
            }
            for config in configs() {
                let parallel = parallel::top_vacancies_for_all_workers(&set, 5, &config);
                let sequential = parallel::top_vacancies_for_all_workers_sequential(&set, 5, &config);
                prop_assert_eq!(&parallel, &sequential);
                for top in &parallel {
                    for pair in top.windows(2) {
                        let (a, b) = (pair[0], pair[1]);
                        prop_assert!(a.1 > b.1 || (a.1 == b.1 && set.vacancy_id(a.0) < set.vacancy_id(b.0)));
                    }
                }
            }
        }
    }
}
