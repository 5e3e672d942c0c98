//! Drawing the evaluation's records: occupations, vacancies, people and their neighbouring
//! records (steps 1 and 2 of the module docs).

use ahash::AHashMap;

use crate::scoring::Requirement;
use crate::seeded::SeededRng;
use crate::taxonomy::Taxonomy;
use crate::{Error, ErrorCode, Result};

use super::{neighbours, EvalPerson, NeighbourEvalData, NeighbourEvalOptions};

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
}
