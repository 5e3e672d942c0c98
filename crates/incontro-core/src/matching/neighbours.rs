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
//! Deterministic for a seed. What it does NOT do: read the store (the caller passes the taxonomy
//! and the related-skill graph).

use std::sync::Arc;

use ahash::AHashMap;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::scoring::{MatchSet, Requirement, ScoringConfig, SkillGraph};
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

/// Runs the evaluation: `graph` and `default` are the default mode under test.
pub fn neighbour_eval(
    taxonomy: &Taxonomy,
    graph: Arc<SkillGraph>,
    default: &ScoringConfig,
    options: &NeighbourEvalOptions,
) -> Result<NeighbourEvalReport> {
    let mut rng = StdRng::seed_from_u64(options.seed);
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
    eligible.shuffle(&mut rng);
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

    let mut set = MatchSet::with_graph(Arc::clone(&graph));
    let mut vacancy_occupation = Vec::new();
    for &occupation in &eligible {
        for copy in 0..options.vacancies_per_occupation {
            let mut required = essentials(occupation);
            if required.len() > 20 {
                required.shuffle(&mut rng);
                required.truncate(20);
            }
            let mut requirements: Vec<Requirement> = Vec::new();
            for &skill in &required {
                let level = [2, 2, 3, 3, 4][rng.gen_range(0..5)];
                requirements.push(Requirement::new(skill, level, true)?);
            }
            let mut optional_count = 0;
            for skill in optionals(occupation) {
                if optional_count < 8 && rng.gen_bool(0.3) && !required.contains(&skill) {
                    let level = [1, 2, 2, 3][rng.gen_range(0..4)];
                    requirements.push(Requirement::new(skill, level, false)?);
                    optional_count += 1;
                }
            }
            set.add_vacancy(format!("V{occupation}-{copy}"), requirements)?;
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
    let (mut perturbed_by, mut credited_by) = ([0usize; 6], [0usize; 6]);
    let mut profiles: Vec<EvalPerson> = Vec::new();
    let (mut held_total, mut perturbed_total) = (0usize, 0usize);
    for &occupation in &eligible {
        for _ in 0..options.workers_per_occupation {
            let mut history = vec![occupation];
            if rng.gen_bool(0.5) {
                let peers = &by_isco[taxonomy.occupation_isco_group(occupation)];
                history.push(if rng.gen_bool(0.5) {
                    peers[rng.gen_range(0..peers.len())]
                } else {
                    eligible[rng.gen_range(0..eligible.len())]
                });
            }
            let mut skills: AHashMap<u32, u8> = AHashMap::new();
            for (index, &job) in history.iter().enumerate() {
                let keep = if index == 0 { 0.6 } else { 0.35 };
                for skill in essentials(job) {
                    if rng.gen_bool(keep) {
                        let level = [1, 2, 3, 3, 4][rng.gen_range(0..5)];
                        let entry = skills.entry(skill).or_insert(0);
                        *entry = (*entry).max(level);
                    }
                }
                for skill in optionals(job) {
                    if rng.gen_bool(0.1) {
                        let level = [1, 2, 2, 3][rng.gen_range(0..4)];
                        let entry = skills.entry(skill).or_insert(0);
                        *entry = (*entry).max(level);
                    }
                }
            }
            for _ in 0..rng.gen_range(1..=3) {
                let skill = pool[rng.gen_range(0..pool.len())];
                skills.entry(skill).or_insert(rng.gen_range(1..=2));
            }
            let mut clean: Vec<(u32, u8)> = skills.into_iter().collect();
            clean.sort_unstable();
            // The perturbed copy: a share of the competences that have a neighbour.
            let mut candidates: Vec<usize> = (0..clean.len())
                .filter(|&index| !neighbours[clean[index].0 as usize].is_empty())
                .collect();
            candidates.shuffle(&mut rng);
            let wanted = ((clean.len() as f64) * options.share).round() as usize;
            candidates.truncate(wanted);
            let mut perturbed: AHashMap<u32, u8> = clean.iter().copied().collect();
            for &index in &candidates {
                let (skill, level) = clean[index];
                let choices = &neighbours[skill as usize];
                let neighbour = choices[rng.gen_range(0..choices.len())];
                let kind = relation_kind(taxonomy, &group_size, skill, neighbour);
                perturbed_by[kind] += 1;
                if graph
                    .related_to(skill)
                    .binary_search_by_key(&neighbour, |&(held, _, _)| held)
                    .is_ok()
                {
                    credited_by[kind] += 1;
                }
                perturbed.remove(&skill);
                let entry = perturbed.entry(neighbour).or_insert(0);
                *entry = (*entry).max(level);
                perturbed_total += 1;
            }
            held_total += clean.len();
            let mut perturbed: Vec<(u32, u8)> = perturbed.into_iter().collect();
            perturbed.sort_unstable();
            profiles.push((occupation, clean, perturbed));
        }
    }

    let relevant = options.vacancies_per_occupation.min(10);
    let ideal: f64 = (0..relevant)
        .map(|rank| 1.0 / ((rank + 2) as f64).log2())
        .sum();
    let exact = ScoringConfig::exact();
    let ndcg = |profile: &[(u32, u8)], occupation: u32, config: &ScoringConfig| -> f64 {
        let ranked = set.top_vacancies_for_worker(profile, 10, config, &|_| true);
        let gain: f64 = ranked
            .iter()
            .enumerate()
            .filter(|(_, (vacancy, _))| vacancy_occupation[*vacancy] == occupation)
            .map(|(rank, _)| 1.0 / ((rank + 2) as f64).log2())
            .sum();
        gain / ideal
    };
    let scores: Vec<[f64; 4]> = crate::scoring::parallel::map_with_scratch(
        &profiles,
        || (),
        |_, (occupation, clean, perturbed)| {
            [
                ndcg(clean, *occupation, &exact),
                ndcg(perturbed, *occupation, &exact),
                ndcg(clean, *occupation, default),
                ndcg(perturbed, *occupation, default),
            ]
        },
    );
    let mean = |column: usize| -> f64 {
        scores.iter().map(|row| row[column]).sum::<f64>() / scores.len().max(1) as f64
    };
    Ok(NeighbourEvalReport {
        workers: profiles.len(),
        vacancies: vacancy_occupation.len(),
        perturbed_share: perturbed_total as f64 / held_total.max(1) as f64,
        exact_clean: mean(0),
        exact_perturbed: mean(1),
        default_clean: mean(2),
        default_perturbed: mean(3),
        perturbed_by,
        credited_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
