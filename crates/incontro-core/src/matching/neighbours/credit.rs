//! The evaluation's experimental scorer: how a held competence earns related credit under a
//! [`CreditRule`], and the ranking it gives.

use std::sync::Arc;

use crate::scoring::{Requirement, ScoringConfig, SkillGraph, LEVEL_CREDIT};
use crate::Result;

use super::{EvalSplit, NeighbourEvalData, NeighbourEvalReport};

/// How a held competence earns related credit for the requirements of one vacancy, in the
/// evaluation's experimental scorer ([`NeighbourEvalData::evaluate_rule`]). Only
/// [`CreditRule::PerRequirement`] is what the engine's scorers compute; the others are
/// experiments measured in docs/scoring.md ("Credit rules tried").
#[derive(Debug, Clone)]
pub enum CreditRule {
    /// The engine's rule: each requirement takes the best of its exact credit and the credit of
    /// its best related held competence (one competence may serve several requirements).
    PerRequirement,
    /// A held competence stands in for at most one requirement of a vacancy, and only for a
    /// requirement whose exact skill is missing or held short: a greedy maximum-weight
    /// assignment, heaviest `weight × credit` first. With `spare_only`, a competence the vacancy
    /// itself requires stands in for nothing.
    OneUse {
        /// Only competences the vacancy does not require may stand in.
        spare_only: bool,
    },
    /// [`CreditRule::PerRequirement`], except that a competence the vacancy itself requires earns
    /// no related credit there.
    NotWhenRequired,
    /// Related credit times the vacancy's exact coverage (`Σ weight × exact credit / Σ weight`):
    /// a neighbour counts in a vacancy in proportion to how much of it the person meets exactly.
    ExactGated,
    /// Related credit times how well the required skill fits the rest of the profile: the
    /// largest share of the person's competences that one ESCO occupation listing the required
    /// skill also lists (`skill_occupations[skill]` = the occupations listing it).
    ///
    /// With `sharpness` p > 0 the share is taken relative to the occupation that lists most of
    /// the person's competences, to the power p: 1 for a skill of the best-fitting occupation,
    /// little for one of an occupation the person fits less.
    Coherent {
        /// For each skill, the ESCO occupations listing it (essential or optional), sorted.
        skill_occupations: Arc<Vec<Vec<u32>>>,
        /// 0: the share of the person's competences; p > 0: relative to the best occupation, to
        /// the power p.
        sharpness: f32,
    },
    /// A bound, not a rule: a recorded neighbour earns related credit for exactly the competence
    /// it replaced, and nothing else does (perfect knowledge of what each record stands for).
    Oracle,
}

impl NeighbourEvalData {
    /// Exact mode with the engine's scorer and default mode (`graph`, `default`) with the
    /// experimental scorer under `rule`, over `split`. With [`CreditRule::PerRequirement`] the
    /// figures equal [`NeighbourEvalData::evaluate`]'s (a test checks it). Errs as
    /// [`NeighbourEvalData::evaluate`] does.
    pub fn evaluate_rule(
        &self,
        graph: Arc<SkillGraph>,
        default: &ScoringConfig,
        rule: &CreditRule,
        split: EvalSplit,
    ) -> Result<NeighbourEvalReport> {
        let counts = self.neighbour_counts(&graph, split);
        let set = self.match_set(Arc::clone(&graph))?;
        let exact = ScoringConfig::exact();
        let mut by_skill: Vec<Vec<u32>> = vec![Vec::new(); graph.skill_count()];
        for (position, requirements) in self.vacancies.iter().enumerate() {
            for requirement in requirements {
                if let Some(list) = by_skill.get_mut(requirement.skill as usize) {
                    list.push(position as u32);
                }
            }
        }
        let mut id_order: Vec<usize> = (0..self.vacancies.len()).collect();
        id_order.sort_by(|&a, &b| self.vacancy_ids[a].cmp(&self.vacancy_ids[b]));
        let mut id_rank = vec![0u32; self.vacancies.len()];
        for (rank, &position) in id_order.iter().enumerate() {
            id_rank[position] = rank as u32;
        }
        let context = RuleContext {
            graph: &graph,
            config: default,
            rule,
            by_skill: &by_skill,
            id_rank: &id_rank,
        };
        let chosen: Vec<usize> = (0..self.people.len())
            .filter(|&person| self.in_split(person, split))
            .collect();
        let scores: Vec<[f64; 4]> = crate::scoring::parallel::map_with_scratch(
            &chosen,
            || RuleScratch::new(graph.skill_count()),
            |scratch, &person| {
                let (occupation, clean, perturbed) = &self.people[person];
                let replacements = &self.replaced[person];
                let exact_rank = |profile: &[(u32, u8)]| {
                    let ranked = set.top_vacancies_for_worker(profile, 10, &exact, &|_| true);
                    self.ndcg(ranked.iter().map(|&(vacancy, _)| vacancy), *occupation)
                };
                let clean_ranked = self.rule_top(clean, &[], &context, scratch);
                let perturbed_ranked = self.rule_top(perturbed, replacements, &context, scratch);
                [
                    exact_rank(clean),
                    exact_rank(perturbed),
                    self.ndcg(clean_ranked.into_iter(), *occupation),
                    self.ndcg(perturbed_ranked.into_iter(), *occupation),
                ]
            },
        );
        Ok(self.report(&scores, counts))
    }

    /// The top 10 vacancies of `profile` under the experimental scorer (score > 0, then by
    /// score descending and id ascending, as [`MatchSet`](crate::scoring::MatchSet) orders).
    fn rule_top(
        &self,
        profile: &[(u32, u8)],
        replacements: &[(u32, u32, usize)],
        context: &RuleContext<'_>,
        scratch: &mut RuleScratch,
    ) -> Vec<usize> {
        let graph = context.graph;
        scratch.begin();
        // Related candidates of each required skill a held competence reaches.
        if let CreditRule::Oracle = context.rule {
            for &(replaced, neighbour, _) in replacements {
                if let Ok(index) = profile.binary_search_by_key(&neighbour, |&(held, _)| held) {
                    scratch.add_candidate(replaced, neighbour, profile[index].1, 1.0);
                }
            }
        } else {
            for &(held, level) in profile {
                for &(required, _, closeness) in graph.related_to(held) {
                    scratch.add_candidate(required, held, level, closeness);
                }
            }
        }
        if let CreditRule::Coherent {
            skill_occupations, ..
        } = context.rule
        {
            scratch.count_occupations(profile, skill_occupations);
        }
        let mut candidate_vacancies: Vec<u32> = Vec::new();
        for &(held, _) in profile {
            candidate_vacancies.extend_from_slice(&context.by_skill[held as usize]);
        }
        for &required in &scratch.reached {
            candidate_vacancies.extend_from_slice(&context.by_skill[required as usize]);
        }
        candidate_vacancies.sort_unstable();
        candidate_vacancies.dedup();
        let mut scored: Vec<(usize, f32)> = Vec::new();
        for &vacancy in &candidate_vacancies {
            let value = rule_score(profile, &self.vacancies[vacancy as usize], context, scratch);
            if value > 0.0 {
                scored.push((vacancy as usize, value));
            }
        }
        scored.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| context.id_rank[a.0].cmp(&context.id_rank[b.0]))
        });
        scored
            .into_iter()
            .take(10)
            .map(|(vacancy, _)| vacancy)
            .collect()
    }
}

struct RuleContext<'a> {
    graph: &'a SkillGraph,
    config: &'a ScoringConfig,
    rule: &'a CreditRule,
    /// Vacancy positions requiring each skill.
    by_skill: &'a [Vec<u32>],
    /// Each vacancy's rank in id order (the tie-break).
    id_rank: &'a [u32],
}

/// Per-thread scratch of the experimental scorer, reset by generation stamps.
struct RuleScratch {
    generation: u32,
    /// Per skill: stamp and index into `lists`.
    slot: Vec<(u32, u32)>,
    lists: Vec<Vec<(u32, u8, f32)>>,
    reached: Vec<u32>,
    /// Per occupation: stamp and the held competences it lists.
    occupation_count: Vec<(u32, u32)>,
    /// The most held competences one occupation lists.
    best_count: u32,
    held: usize,
    /// Per skill: stamp and coherence, cached for the current profile.
    coherence: Vec<(u32, f32)>,
}

impl RuleScratch {
    fn new(skills: usize) -> Self {
        RuleScratch {
            generation: 0,
            slot: vec![(0, 0); skills],
            lists: Vec::new(),
            reached: Vec::new(),
            occupation_count: Vec::new(),
            best_count: 0,
            held: 0,
            coherence: vec![(0, 0.0); skills],
        }
    }

    fn begin(&mut self) {
        self.generation += 1;
        self.reached.clear();
        self.best_count = 0;
        self.held = 0;
    }

    fn add_candidate(&mut self, required: u32, held: u32, level: u8, closeness: f32) {
        let generation = self.generation;
        let slot = &mut self.slot[required as usize];
        if slot.0 != generation {
            let index = self.reached.len();
            if self.lists.len() <= index {
                self.lists.push(Vec::new());
            }
            self.lists[index].clear();
            *slot = (generation, index as u32);
            self.reached.push(required);
        }
        self.lists[slot.1 as usize].push((held, level, closeness));
    }

    fn candidates(&self, required: u32) -> &[(u32, u8, f32)] {
        let slot = self.slot[required as usize];
        if slot.0 != self.generation {
            return &[];
        }
        &self.lists[slot.1 as usize]
    }

    fn count_occupations(&mut self, profile: &[(u32, u8)], skill_occupations: &[Vec<u32>]) {
        self.held = profile.len();
        let generation = self.generation;
        for &(held, _) in profile {
            for &occupation in &skill_occupations[held as usize] {
                let index = occupation as usize;
                if self.occupation_count.len() <= index {
                    self.occupation_count.resize(index + 1, (0, 0));
                }
                let slot = &mut self.occupation_count[index];
                if slot.0 != generation {
                    *slot = (generation, 0);
                }
                slot.1 += 1;
                self.best_count = self.best_count.max(slot.1);
            }
        }
    }

    fn coherence(&mut self, required: u32, skill_occupations: &[Vec<u32>], sharpness: f32) -> f32 {
        let generation = self.generation;
        let cached = self.coherence[required as usize];
        if cached.0 == generation {
            return cached.1;
        }
        let best = skill_occupations[required as usize]
            .iter()
            .map(
                |&occupation| match self.occupation_count.get(occupation as usize) {
                    Some(&(stamp, count)) if stamp == generation => count,
                    _ => 0,
                },
            )
            .max()
            .unwrap_or(0);
        let value = if sharpness > 0.0 {
            (best as f32 / self.best_count.max(1) as f32).powf(sharpness)
        } else {
            best as f32 / self.held.max(1) as f32
        };
        self.coherence[required as usize] = (generation, value);
        value
    }
}

/// The experimental scorer: the default-mode formula (specificity weights, essential factor)
/// with related credit earned under `context.rule`.
fn rule_score(
    profile: &[(u32, u8)],
    requirements: &[Requirement],
    context: &RuleContext<'_>,
    scratch: &mut RuleScratch,
) -> f32 {
    let config = context.config;
    let graph = context.graph;
    let held_level = |skill: u32| -> Option<u8> {
        profile
            .binary_search_by_key(&skill, |&(held, _)| held)
            .ok()
            .map(|index| profile[index].1)
    };
    let required_by_vacancy = |skill: u32| {
        requirements
            .binary_search_by_key(&skill, |requirement| requirement.skill)
            .is_ok()
    };
    let uses_related =
        config.mode == crate::scoring::Mode::Default && config.related_discount > 0.0;
    let weights: Vec<f32> = requirements
        .iter()
        .map(|requirement| {
            let specificity = if config.mode == crate::scoring::Mode::Default && config.specificity
            {
                graph.specificity(requirement.skill).multiplier()
            } else {
                1.0
            };
            requirement.base_weight() * specificity
        })
        .collect();
    let exact: Vec<f32> = requirements
        .iter()
        .map(|requirement| {
            let required = usize::from(requirement.level.clamp(1, 4));
            held_level(requirement.skill)
                .map(|level| LEVEL_CREDIT[usize::from(level.min(4))][required])
                .unwrap_or(0.0)
        })
        .collect();
    let mut credits = exact.clone();
    if uses_related {
        // Each requirement's related candidates: (held skill, credit).
        let mut options: Vec<(usize, u32, f32)> = Vec::new();
        for (index, requirement) in requirements.iter().enumerate() {
            let required = usize::from(requirement.level.clamp(1, 4));
            let fit = match context.rule {
                CreditRule::Coherent {
                    skill_occupations,
                    sharpness,
                } => scratch.coherence(requirement.skill, skill_occupations, *sharpness),
                _ => 1.0,
            };
            for &(held, level, closeness) in scratch.candidates(requirement.skill) {
                let credit = config.related_discount
                    * closeness
                    * LEVEL_CREDIT[usize::from(level.min(4))][required];
                let credit = if fit == 1.0 { credit } else { credit * fit };
                options.push((index, held, credit));
            }
        }
        match context.rule {
            CreditRule::PerRequirement | CreditRule::Coherent { .. } | CreditRule::Oracle => {
                for &(index, _, credit) in &options {
                    if credit > credits[index] {
                        credits[index] = credit;
                    }
                }
            }
            CreditRule::NotWhenRequired => {
                for &(index, held, credit) in &options {
                    if credit > credits[index] && !required_by_vacancy(held) {
                        credits[index] = credit;
                    }
                }
            }
            CreditRule::ExactGated => {
                let total: f32 = weights.iter().sum();
                let met: f32 = weights.iter().zip(&exact).map(|(w, c)| w * c).sum();
                let gate = if total > 0.0 { met / total } else { 0.0 };
                for &(index, _, credit) in &options {
                    if credit * gate > credits[index] {
                        credits[index] = credit * gate;
                    }
                }
            }
            CreditRule::OneUse { spare_only } => {
                let mut ranked: Vec<(f32, usize, u32, f32)> = options
                    .iter()
                    .filter(|&&(index, held, credit)| {
                        credit > exact[index] && !(*spare_only && required_by_vacancy(held))
                    })
                    .map(|&(index, held, credit)| (weights[index] * credit, index, held, credit))
                    .collect();
                ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
                let mut used: Vec<u32> = Vec::new();
                let mut served = vec![false; requirements.len()];
                for (_, index, held, credit) in ranked {
                    if served[index] || used.contains(&held) {
                        continue;
                    }
                    served[index] = true;
                    used.push(held);
                    credits[index] = credit;
                }
            }
        }
    }
    let mut weighted_credit = 0.0f32;
    let mut total_weight = 0.0f32;
    let mut essential_credit = 0.0f32;
    let mut essential_count = 0u32;
    for (index, requirement) in requirements.iter().enumerate() {
        weighted_credit += weights[index] * credits[index];
        total_weight += weights[index];
        if requirement.essential {
            essential_credit += credits[index];
            essential_count += 1;
        }
    }
    let essential_coverage = if essential_count == 0 {
        1.0
    } else {
        essential_credit / essential_count as f32
    };
    if total_weight <= 0.0 {
        return 0.0;
    }
    let factor = if config.mode == crate::scoring::Mode::Default && config.essential_factor {
        0.5 + 0.5 * essential_coverage
    } else {
        1.0
    };
    (weighted_credit / total_weight * factor).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scores `profile` against `requirements` under `rule` (discount 0.5, no specificity, no
    /// essential factor, so the figures are plain means of the credits).
    fn by_rule(
        graph: &SkillGraph,
        profile: &[(u32, u8)],
        requirements: &[Requirement],
        rule: &CreditRule,
    ) -> f32 {
        let config = ScoringConfig {
            related_discount: 0.5,
            specificity: false,
            essential_factor: false,
            ..ScoringConfig::default()
        };
        let context = RuleContext {
            graph,
            config: &config,
            rule,
            by_skill: &[],
            id_rank: &[],
        };
        let mut scratch = RuleScratch::new(graph.skill_count());
        scratch.begin();
        for &(held, level) in profile {
            for &(required, _, closeness) in graph.related_to(held) {
                scratch.add_candidate(required, held, level, closeness);
            }
        }
        if let CreditRule::Coherent {
            skill_occupations, ..
        } = rule
        {
            scratch.count_occupations(profile, skill_occupations);
        }
        rule_score(profile, requirements, &context, &mut scratch)
    }

    #[test]
    fn credit_rules_by_hand() {
        // 5 is a parent skill of 1, 2 and 3 (siblings). The person holds 3 at level 2.
        let graph = SkillGraph::new(6, &[(1, 5), (2, 5), (3, 5)], &[], vec![]).unwrap();
        let person = [(3, 2)];
        let two = [
            Requirement::new(1, 2, true).unwrap(),
            Requirement::new(2, 2, true).unwrap(),
        ];
        let close = |value: f32, expected: f32| (value - expected).abs() < 1e-6;
        // One competence credits both siblings at 0.5 under the engine's rule, one of them when
        // it may stand in only once.
        assert!(close(
            by_rule(&graph, &person, &two, &CreditRule::PerRequirement),
            0.5
        ));
        let one_use = CreditRule::OneUse { spare_only: false };
        assert!(close(by_rule(&graph, &person, &two, &one_use), 0.25));
        // The vacancy also requires 3 itself: exact credit 1 for it; a spare-only or
        // not-when-required rule gives 1 and 2 nothing, one use gives one of them 0.5.
        let three = [
            Requirement::new(1, 2, true).unwrap(),
            Requirement::new(2, 2, true).unwrap(),
            Requirement::new(3, 2, true).unwrap(),
        ];
        assert!(close(
            by_rule(&graph, &person, &three, &CreditRule::PerRequirement),
            2.0 / 3.0
        ));
        assert!(close(by_rule(&graph, &person, &three, &one_use), 0.5));
        let spare = CreditRule::OneUse { spare_only: true };
        assert!(close(by_rule(&graph, &person, &three, &spare), 1.0 / 3.0));
        assert!(close(
            by_rule(&graph, &person, &three, &CreditRule::NotWhenRequired),
            1.0 / 3.0
        ));
        // Gated by exact coverage 1/3: the siblings earn 0.5 / 3 each.
        let gated = by_rule(&graph, &person, &three, &CreditRule::ExactGated);
        assert!(close(gated, (1.0 + 2.0 * 0.5 / 3.0) / 3.0), "{gated}");
        // Coherent: occupation 0 lists 1 and 3, occupation 1 lists 2. The person's one
        // competence is all of occupation 0's share: 1 earns 0.5, 2 nothing.
        let occupations = Arc::new(vec![vec![], vec![0], vec![1], vec![0], vec![], vec![]]);
        let coherent = CreditRule::Coherent {
            skill_occupations: occupations,
            sharpness: 0.0,
        };
        assert!(close(by_rule(&graph, &person, &two, &coherent), 0.25));
    }
}
