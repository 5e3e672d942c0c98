//! Does matching survive competences recorded as *neighbouring* ESCO concepts? (issue 14)
//!
//! In real records a person's competence and a vacancy's requirement are often neighbouring ESCO
//! concepts rather than the same one: "operate welding equipment" on a CV against "use welding
//! equipment" in a breakdown (two skills of the same ESCO group), a skill and its broader skill,
//! two skills ESCO relates. This evaluation measures how much exact and default matching lose
//! when a share of people's competences is recorded that way, with the occupations as the
//! relevance truth (as `scripts/own-occupation.py` does on the shared workload):
//!
//! 1. from the taxonomy, `occupations` ESCO occupations with at least three essential skills are
//!    drawn; each gives `vacancies_per_occupation` vacancies (up to 20 of its essential skills at
//!    levels 2–4, each optional skill with probability 0.3, up to 8, at levels 1–3) and
//!    `workers_per_occupation` people (each essential skill kept with probability 0.6 at levels
//!    1–4, each optional one with 0.1; half of them also held a second job, of the same ISCO
//!    group half the time, keeping 35% of its essentials; plus 1–3 random skills of the drawn
//!    occupations);
//! 2. the *perturbed* copy of each person records a third of their competences (those with a
//!    neighbour; rounded) as a random **neighbour**: a skill ESCO relates to it, its broader or a
//!    narrower skill, or a sibling under the same broader concept (a skill or a skill group);
//! 3. each person's top 10 vacancies are scored by nDCG@10, a vacancy being relevant when it was
//!    drawn from the person's (first) occupation; the four figures are exact/default ×
//!    clean/perturbed, and `recovered` = (default perturbed − exact perturbed) / (exact clean −
//!    exact perturbed), the share of what exact matching loses that default mode wins back.
//!
//! [`NeighbourEvalData`] draws the records once; [`NeighbourEvalData::evaluate`] scores them with
//! the engine's [`MatchSet`], [`NeighbourEvalData::evaluate_rule`] with the evaluation's own
//! scorer under an experimental [`CreditRule`] (rules the engine's per-skill scorers cannot
//! compute, and the oracle bound), over every person or a development / held-out half
//! ([`EvalSplit`]).
//!
//! Deterministic for a seed. What it does NOT do: read the store (the caller passes the taxonomy
//! and the related-skill graph), or change how the engine scores.

use std::sync::Arc;

use ahash::AHashMap;
use serde::Serialize;

use crate::scoring::{MatchSet, Requirement, ScoringConfig, SkillGraph, LEVEL_CREDIT};
use crate::seeded::SeededRng;
use crate::taxonomy::Taxonomy;
use crate::{Error, ErrorCode, Result};

/// One person of the evaluation: occupation, clean profile, perturbed profile.
type EvalPerson = (u32, Vec<(u32, u8)>, Vec<(u32, u8)>);

/// The size and seed of the evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NeighbourEvalOptions {
    /// Occupations drawn.
    pub occupations: usize,
    /// Vacancies per occupation.
    pub vacancies_per_occupation: usize,
    /// People per occupation.
    pub workers_per_occupation: usize,
    /// Share of each person's competences recorded as a neighbour.
    pub share: f64,
    /// Random seed.
    pub seed: u64,
}

impl Default for NeighbourEvalOptions {
    fn default() -> Self {
        NeighbourEvalOptions {
            occupations: 600,
            vacancies_per_occupation: 5,
            workers_per_occupation: 2,
            share: 1.0 / 3.0,
            seed: 14,
        }
    }
}

/// The figures of one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NeighbourEvalReport {
    /// People scored.
    pub workers: usize,
    /// Vacancies.
    pub vacancies: usize,
    /// Competences recorded as a neighbour / competences held, over all people.
    pub perturbed_share: f64,
    /// Mean nDCG@10, exact mode, clean records.
    pub exact_clean: f64,
    /// Exact mode, neighbouring records.
    pub exact_perturbed: f64,
    /// Default mode, clean records.
    pub default_clean: f64,
    /// Default mode, neighbouring records.
    pub default_perturbed: f64,
    /// How each recorded neighbour relates to the competence it replaced (the first that applies):
    /// ESCO skill–skill relation, broader skill, narrower skill, sibling under a broader *skill*,
    /// sibling under a skill group of at most 40 skills, under a larger group.
    pub perturbed_by: [usize; 6],
    /// Of those, how many the matcher's graph credits (the replaced competence is related to the
    /// recorded one in `graph`), in the same order.
    pub credited_by: [usize; 6],
}

impl NeighbourEvalReport {
    /// The share of exact mode's loss that default mode wins back (1 when exact loses nothing).
    pub fn recovered(&self) -> f64 {
        let lost = self.exact_clean - self.exact_perturbed;
        if lost <= 0.0 {
            return 1.0;
        }
        (self.default_perturbed - self.exact_perturbed) / lost
    }
}

/// The neighbours of every skill, from the hierarchy and the skill–skill relations (groups are
/// never neighbours themselves; they make siblings).
pub fn neighbours(taxonomy: &Taxonomy) -> Vec<Vec<u32>> {
    let count = taxonomy.skill_count();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); count];
    for skill in 0..count as u32 {
        for &parent in taxonomy.broader(skill) {
            children[parent as usize].push(skill);
        }
    }
    let mut result: Vec<Vec<u32>> = vec![Vec::new(); count];
    for skill in 0..count as u32 {
        if taxonomy.is_group(skill) {
            continue;
        }
        let list = &mut result[skill as usize];
        for &(other, _) in taxonomy.related(skill) {
            list.push(other);
        }
        for &parent in taxonomy.broader(skill) {
            list.push(parent);
            list.extend_from_slice(&children[parent as usize]);
        }
        list.extend_from_slice(&children[skill as usize]);
    }
    // Relations go both ways.
    for skill in 0..count as u32 {
        for &(other, _) in taxonomy.related(skill) {
            result[other as usize].push(skill);
        }
    }
    for (skill, list) in result.iter_mut().enumerate() {
        list.retain(|&other| other as usize != skill && !taxonomy.is_group(other));
        list.sort_unstable();
        list.dedup();
    }
    result
}

/// How `neighbour` relates to `skill` (index into [`NeighbourEvalReport::perturbed_by`]).
fn relation_kind(taxonomy: &Taxonomy, group_size: &[usize], skill: u32, neighbour: u32) -> usize {
    if taxonomy
        .related(skill)
        .iter()
        .any(|&(other, _)| other == neighbour)
        || taxonomy
            .related(neighbour)
            .iter()
            .any(|&(other, _)| other == skill)
    {
        return 0;
    }
    if taxonomy.broader(skill).contains(&neighbour) {
        return 1;
    }
    if taxonomy.broader(neighbour).contains(&skill) {
        return 2;
    }
    let shared: Vec<u32> = taxonomy
        .broader(skill)
        .iter()
        .copied()
        .filter(|parent| taxonomy.broader(neighbour).contains(parent))
        .collect();
    if shared.iter().any(|&parent| !taxonomy.is_group(parent)) {
        return 3;
    }
    if shared
        .iter()
        .any(|&parent| group_size[parent as usize] <= 40)
    {
        return 4;
    }
    5
}

/// Which people a figure is taken over: all, or one of two halves split by occupation (every
/// other drawn occupation, in id order): a development half to choose settings on and a held-out
/// half to report them on, so that a setting is not chosen on the figures it is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EvalSplit {
    /// Every person.
    All,
    /// The people of the even-numbered drawn occupations.
    Development,
    /// The people of the odd-numbered drawn occupations.
    HeldOut,
}

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

/// For each skill of the taxonomy, the occupations listing it (essential or optional), sorted.
pub fn skill_occupations(taxonomy: &Taxonomy) -> Vec<Vec<u32>> {
    let mut result: Vec<Vec<u32>> = vec![Vec::new(); taxonomy.skill_count()];
    for occupation in 0..taxonomy.occupation_count() as u32 {
        for &(skill, _) in taxonomy.occupation_skills(occupation) {
            result[skill as usize].push(occupation);
        }
    }
    for list in &mut result {
        list.sort_unstable();
        list.dedup();
    }
    result
}

/// The records of one evaluation: vacancies, people (clean and with neighbouring records), and
/// how each recorded neighbour relates to the competence it replaced. Drawn once, scored under
/// as many settings as wanted.
#[derive(Debug, Clone)]
pub struct NeighbourEvalData {
    /// Requirements of each vacancy, sorted by skill.
    vacancies: Vec<Vec<Requirement>>,
    vacancy_ids: Vec<String>,
    vacancy_occupation: Vec<u32>,
    people: Vec<EvalPerson>,
    /// Per person: in the development half.
    development: Vec<bool>,
    /// Per person, per recorded neighbour: (replaced skill, neighbour, relation kind).
    replaced: Vec<Vec<(u32, u32, usize)>>,
    relevant: usize,
}

/// Runs the evaluation: `graph` and `default` are the default mode under test.
pub fn neighbour_eval(
    taxonomy: &Taxonomy,
    graph: Arc<SkillGraph>,
    default: &ScoringConfig,
    options: &NeighbourEvalOptions,
) -> Result<NeighbourEvalReport> {
    let data = NeighbourEvalData::generate(taxonomy, options)?;
    Ok(data.evaluate(graph, default, EvalSplit::All))
}

impl NeighbourEvalData {
    /// Draws the vacancies and people of the evaluation (module docs), deterministically for
    /// `options.seed`.
    pub fn generate(taxonomy: &Taxonomy, options: &NeighbourEvalOptions) -> Result<Self> {
        let mut rng = SeededRng::new(options.seed);
        let mut eligible: Vec<u32> = (0..taxonomy.occupation_count() as u32)
            .filter(|&occupation| {
                taxonomy
                    .occupation_skills(occupation)
                    .iter()
                    .filter(|(_, essential)| *essential)
                    .count()
                    >= 3
            })
            .collect();
        if eligible.len() < 10 {
            return Err(Error::invalid(
                ErrorCode::TaxonomyTooSmall,
                "the evaluation needs the ESCO occupations and their skills: import the release",
            ));
        }
        rng.shuffle(&mut eligible);
        eligible.truncate(options.occupations.max(10));
        eligible.sort_unstable();
        let essentials = |occupation: u32| -> Vec<u32> {
            taxonomy
                .occupation_skills(occupation)
                .iter()
                .filter(|(_, essential)| *essential)
                .map(|&(skill, _)| skill)
                .collect()
        };
        let optionals = |occupation: u32| -> Vec<u32> {
            taxonomy
                .occupation_skills(occupation)
                .iter()
                .filter(|(_, essential)| !*essential)
                .map(|&(skill, _)| skill)
                .collect()
        };
        let mut by_isco: AHashMap<&str, Vec<u32>> = AHashMap::new();
        for &occupation in &eligible {
            by_isco
                .entry(taxonomy.occupation_isco_group(occupation))
                .or_default()
                .push(occupation);
        }
        let mut pool: Vec<u32> = eligible
            .iter()
            .flat_map(|&occupation| {
                taxonomy
                    .occupation_skills(occupation)
                    .iter()
                    .map(|&(skill, _)| skill)
            })
            .collect();
        pool.sort_unstable();
        pool.dedup();

        let mut vacancies = Vec::new();
        let mut vacancy_ids = Vec::new();
        let mut vacancy_occupation = Vec::new();
        for &occupation in &eligible {
            for copy in 0..options.vacancies_per_occupation {
                let mut required = essentials(occupation);
                if required.len() > 20 {
                    rng.shuffle(&mut required);
                    required.truncate(20);
                }
                let mut requirements: Vec<Requirement> = Vec::new();
                for &skill in &required {
                    let level = [2, 2, 3, 3, 4][rng.range(0..5)];
                    requirements.push(Requirement::new(skill, level, true)?);
                }
                let mut optional_count = 0;
                for skill in optionals(occupation) {
                    if optional_count < 8 && rng.bool(0.3) && !required.contains(&skill) {
                        let level = [1, 2, 2, 3][rng.range(0..4)];
                        requirements.push(Requirement::new(skill, level, false)?);
                        optional_count += 1;
                    }
                }
                requirements.sort_by_key(|requirement| requirement.skill);
                vacancies.push(requirements);
                vacancy_ids.push(format!("V{occupation}-{copy}"));
                vacancy_occupation.push(occupation);
            }
        }

        let neighbours = neighbours(taxonomy);
        let mut group_size = vec![0usize; taxonomy.skill_count()];
        for skill in 0..taxonomy.skill_count() as u32 {
            if !taxonomy.is_group(skill) {
                for &parent in taxonomy.broader(skill) {
                    group_size[parent as usize] += 1;
                }
            }
        }
        let mut replaced = Vec::new();
        let mut people: Vec<EvalPerson> = Vec::new();
        let mut development = Vec::new();
        for (occupation_index, &occupation) in eligible.iter().enumerate() {
            for _ in 0..options.workers_per_occupation {
                let mut history = vec![occupation];
                if rng.bool(0.5) {
                    let peers = &by_isco[taxonomy.occupation_isco_group(occupation)];
                    history.push(if rng.bool(0.5) {
                        peers[rng.range(0..peers.len())]
                    } else {
                        eligible[rng.range(0..eligible.len())]
                    });
                }
                let mut skills: AHashMap<u32, u8> = AHashMap::new();
                for (index, &job) in history.iter().enumerate() {
                    let keep = if index == 0 { 0.6 } else { 0.35 };
                    for skill in essentials(job) {
                        if rng.bool(keep) {
                            let level = [1, 2, 3, 3, 4][rng.range(0..5)];
                            let entry = skills.entry(skill).or_insert(0);
                            *entry = (*entry).max(level);
                        }
                    }
                    for skill in optionals(job) {
                        if rng.bool(0.1) {
                            let level = [1, 2, 2, 3][rng.range(0..4)];
                            let entry = skills.entry(skill).or_insert(0);
                            *entry = (*entry).max(level);
                        }
                    }
                }
                for _ in 0..rng.range(1..=3) {
                    let skill = pool[rng.range(0..pool.len())];
                    skills.entry(skill).or_insert(rng.range(1..=2));
                }
                let mut clean: Vec<(u32, u8)> = skills.into_iter().collect();
                clean.sort_unstable();
                // The perturbed copy: a share of the competences that have a neighbour.
                let mut candidates: Vec<usize> = (0..clean.len())
                    .filter(|&index| !neighbours[clean[index].0 as usize].is_empty())
                    .collect();
                rng.shuffle(&mut candidates);
                let wanted = ((clean.len() as f64) * options.share).round() as usize;
                candidates.truncate(wanted);
                let mut perturbed: AHashMap<u32, u8> = clean.iter().copied().collect();
                let mut their_replacements = Vec::new();
                for &index in &candidates {
                    let (skill, level) = clean[index];
                    let choices = &neighbours[skill as usize];
                    let neighbour = choices[rng.range(0..choices.len())];
                    let kind = relation_kind(taxonomy, &group_size, skill, neighbour);
                    their_replacements.push((skill, neighbour, kind));
                    perturbed.remove(&skill);
                    let entry = perturbed.entry(neighbour).or_insert(0);
                    *entry = (*entry).max(level);
                }
                let mut perturbed: Vec<(u32, u8)> = perturbed.into_iter().collect();
                perturbed.sort_unstable();
                people.push((occupation, clean, perturbed));
                replaced.push(their_replacements);
                development.push(occupation_index % 2 == 0);
            }
        }
        Ok(NeighbourEvalData {
            vacancies,
            vacancy_ids,
            vacancy_occupation,
            people,
            development,
            replaced,
            relevant: options.vacancies_per_occupation.min(10),
        })
    }

    fn in_split(&self, person: usize, split: EvalSplit) -> bool {
        match split {
            EvalSplit::All => true,
            EvalSplit::Development => self.development[person],
            EvalSplit::HeldOut => !self.development[person],
        }
    }

    /// nDCG@10 of a ranking (vacancy positions, best first) for a person of `occupation`.
    fn ndcg(&self, ranked: impl Iterator<Item = usize>, occupation: u32) -> f64 {
        let ideal: f64 = (0..self.relevant)
            .map(|rank| 1.0 / ((rank + 2) as f64).log2())
            .sum();
        let gain: f64 = ranked
            .take(10)
            .enumerate()
            .filter(|(_, vacancy)| self.vacancy_occupation[*vacancy] == occupation)
            .map(|(rank, _)| 1.0 / ((rank + 2) as f64).log2())
            .sum();
        gain / ideal
    }

    fn match_set(&self, graph: Arc<SkillGraph>) -> Result<MatchSet> {
        let mut set = MatchSet::with_graph(graph);
        for (id, requirements) in self.vacancy_ids.iter().zip(&self.vacancies) {
            set.add_vacancy(id.clone(), requirements.clone())?;
        }
        Ok(set)
    }

    /// The report's counts of recorded neighbours, and of those `graph` credits.
    fn neighbour_counts(&self, graph: &SkillGraph, split: EvalSplit) -> NeighbourCounts {
        let mut counts = NeighbourCounts::default();
        for (person, replacements) in self.replaced.iter().enumerate() {
            if !self.in_split(person, split) {
                continue;
            }
            counts.held += self.people[person].1.len();
            for &(skill, neighbour, kind) in replacements {
                counts.perturbed_by[kind] += 1;
                if graph
                    .related_to(skill)
                    .binary_search_by_key(&neighbour, |&(held, _, _)| held)
                    .is_ok()
                {
                    counts.credited_by[kind] += 1;
                }
            }
        }
        counts
    }

    /// Exact and default mode (`graph`, `default`) with the engine's scorer, over `split`.
    pub fn evaluate(
        &self,
        graph: Arc<SkillGraph>,
        default: &ScoringConfig,
        split: EvalSplit,
    ) -> NeighbourEvalReport {
        let counts = self.neighbour_counts(&graph, split);
        let set = self
            .match_set(graph)
            .expect("the drawn vacancies are valid requirement lists");
        let exact = ScoringConfig::exact();
        let rank = |profile: &[(u32, u8)], occupation: u32, config: &ScoringConfig| -> f64 {
            let ranked = set.top_vacancies_for_worker(profile, 10, config, &|_| true);
            self.ndcg(ranked.iter().map(|&(vacancy, _)| vacancy), occupation)
        };
        let chosen: Vec<&EvalPerson> = self.chosen(split);
        let scores: Vec<[f64; 4]> = crate::scoring::parallel::map_with_scratch(
            &chosen,
            || (),
            |_, (occupation, clean, perturbed)| {
                [
                    rank(clean, *occupation, &exact),
                    rank(perturbed, *occupation, &exact),
                    rank(clean, *occupation, default),
                    rank(perturbed, *occupation, default),
                ]
            },
        );
        self.report(&scores, counts)
    }

    /// Exact mode with the engine's scorer and default mode (`graph`, `default`) with the
    /// experimental scorer under `rule`, over `split`. With [`CreditRule::PerRequirement`] the
    /// figures equal [`NeighbourEvalData::evaluate`]'s (a test checks it).
    pub fn evaluate_rule(
        &self,
        graph: Arc<SkillGraph>,
        default: &ScoringConfig,
        rule: &CreditRule,
        split: EvalSplit,
    ) -> NeighbourEvalReport {
        let counts = self.neighbour_counts(&graph, split);
        let set = self
            .match_set(Arc::clone(&graph))
            .expect("the drawn vacancies are valid requirement lists");
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
        self.report(&scores, counts)
    }

    fn chosen(&self, split: EvalSplit) -> Vec<&EvalPerson> {
        self.people
            .iter()
            .enumerate()
            .filter(|(person, _)| self.in_split(*person, split))
            .map(|(_, person)| person)
            .collect()
    }

    fn report(&self, scores: &[[f64; 4]], counts: NeighbourCounts) -> NeighbourEvalReport {
        let mean = |column: usize| -> f64 {
            scores.iter().map(|row| row[column]).sum::<f64>() / scores.len().max(1) as f64
        };
        let perturbed_total: usize = counts.perturbed_by.iter().sum();
        NeighbourEvalReport {
            workers: scores.len(),
            vacancies: self.vacancies.len(),
            perturbed_share: perturbed_total as f64 / counts.held.max(1) as f64,
            exact_clean: mean(0),
            exact_perturbed: mean(1),
            default_clean: mean(2),
            default_perturbed: mean(3),
            perturbed_by: counts.perturbed_by,
            credited_by: counts.credited_by,
        }
    }

    /// The top 10 vacancies of `profile` under the experimental scorer (score > 0, then by
    /// score descending and id ascending, as [`MatchSet`] orders).
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

#[derive(Debug, Default, Clone, Copy)]
struct NeighbourCounts {
    perturbed_by: [usize; 6],
    credited_by: [usize; 6],
    held: usize,
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

    #[test]
    fn recovered_is_the_share_of_the_loss_won_back() {
        let report = NeighbourEvalReport {
            workers: 1,
            vacancies: 1,
            perturbed_share: 0.33,
            exact_clean: 0.8,
            exact_perturbed: 0.6,
            default_clean: 0.82,
            default_perturbed: 0.75,
            perturbed_by: [0; 6],
            credited_by: [0; 6],
        };
        assert!((report.recovered() - 0.75).abs() < 1e-9);
        let no_loss = NeighbourEvalReport {
            exact_perturbed: 0.8,
            ..report
        };
        assert_eq!(no_loss.recovered(), 1.0);
    }
}
