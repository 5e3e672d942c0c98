//! [`MatchSet`]: vacancies and workers in memory, with inverted indexes for top-k queries.

use std::cmp::Ordering;
use std::sync::Arc;

use super::explain::{explain, Explanation};
use super::kernel::score;
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
#[derive(Debug, Default, Clone)]
pub struct MatchSet {
    graph: Option<Arc<SkillGraph>>,
    vacancy_ids: Vec<String>,
    vacancy_requirements: Vec<Vec<Requirement>>,
    worker_ids: Vec<String>,
    worker_profiles: Vec<Vec<(u32, u8)>>,
    vacancy_postings: VacancyPostings,
    worker_postings: WorkerPostings,
}

/// Score descending, then id ascending, then position ascending (what a stable sort of the
/// candidates in position order by score and id gives).
fn by_score_then_id<'a>(
    ids: &'a [String],
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

    /// Adds a vacancy; its requirements are sorted by skill. Fails on a repeated skill or an
    /// empty list. Returns its position.
    pub fn add_vacancy(
        &mut self,
        id: impl Into<String>,
        requirements: Vec<Requirement>,
    ) -> Result<usize> {
        let id = id.into();
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
        let position = self.vacancy_ids.len();
        self.vacancy_postings
            .add(position, &requirements, self.graph.as_deref());
        self.vacancy_ids.push(id);
        self.vacancy_requirements.push(requirements);
        Ok(position)
    }

    /// Adds a worker; the profile is sorted by skill. Fails on a repeated skill or a level
    /// outside 1..=4. Returns its position.
    pub fn add_worker(&mut self, id: impl Into<String>, profile: Vec<(u32, u8)>) -> Result<usize> {
        let id = id.into();
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
        let position = self.worker_ids.len();
        self.worker_postings.add(position, &profile);
        self.worker_ids.push(id);
        self.worker_profiles.push(profile);
        Ok(position)
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
        Ok(explain(profile, requirements, config, graph, labels))
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
