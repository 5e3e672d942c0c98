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
//! the engine's [`MatchSet`] as written, [`NeighbourEvalData::evaluate_with_reading`] as the
//! matching state holds them (default mode on the records read by
//! `matching::reading::RecordReader` first: the engine's figure),
//! [`NeighbourEvalData::evaluate_rule`] with the evaluation's own
//! scorer under an experimental [`CreditRule`] (rules the engine's per-skill scorers cannot
//! compute, and the oracle bound), over every person or a development / held-out half
//! ([`EvalSplit`]).
//!
//! Deterministic for a seed. What it does NOT do: read the store (the caller passes the taxonomy
//! and the related-skill graph), or change how the engine scores.

mod credit;
mod generate;

pub use credit::CreditRule;

use std::sync::Arc;

use serde::Serialize;

use crate::matching::reading::RecordReader;
use crate::scoring::{MatchSet, Requirement, ScoringConfig, SkillGraph};
use crate::taxonomy::Taxonomy;
use crate::Result;

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
    let reader = RecordReader::new(taxonomy)?;
    data.evaluate_with_reading(graph, default, Some(&reader), EvalSplit::All)
}

impl NeighbourEvalData {
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

    /// Exact and default mode (`graph`, `default`) with the engine's scorer, over `split`, on the
    /// records as written (no reading: the scoring alone).
    ///
    /// Errs (`empty_requirements`, `duplicate_requirement`) only if a drawn vacancy is not a valid
    /// requirement list, which [`NeighbourEvalData::generate`] never draws.
    pub fn evaluate(
        &self,
        graph: Arc<SkillGraph>,
        default: &ScoringConfig,
        split: EvalSplit,
    ) -> Result<NeighbourEvalReport> {
        self.evaluate_with_reading(graph, default, None, split)
    }

    /// [`NeighbourEvalData::evaluate`], with default mode scoring each profile as the engine's
    /// matching state holds it: the records plus the competences `reader` presumes from them
    /// (`matching::reading`). Exact mode always scores the records as written: the loss to win
    /// back is what exact matching of the records loses.
    pub fn evaluate_with_reading(
        &self,
        graph: Arc<SkillGraph>,
        default: &ScoringConfig,
        reader: Option<&RecordReader>,
        split: EvalSplit,
    ) -> Result<NeighbourEvalReport> {
        let counts = self.neighbour_counts(&graph, split);
        let set = self.match_set(graph)?;
        let exact = ScoringConfig::exact();
        let rank = |profile: &[(u32, u8)], occupation: u32, config: &ScoringConfig| -> f64 {
            let ranked = set.top_vacancies_for_worker(profile, 10, config, &|_| true);
            self.ndcg(ranked.iter().map(|&(vacancy, _)| vacancy), occupation)
        };
        let read = |profile: &[(u32, u8)]| -> Vec<(u32, u8)> {
            let mut read = profile.to_vec();
            if let Some(reader) = reader {
                read.extend(
                    reader
                        .read(profile, &|_| true)
                        .into_iter()
                        .map(|presumed| (presumed.skill, presumed.level)),
                );
                read.sort_unstable();
            }
            read
        };
        let chosen: Vec<&EvalPerson> = self.chosen(split);
        let scores: Vec<[f64; 4]> = crate::scoring::parallel::map_with_scratch(
            &chosen,
            || (),
            |_, (occupation, clean, perturbed)| {
                [
                    rank(clean, *occupation, &exact),
                    rank(perturbed, *occupation, &exact),
                    rank(&read(clean), *occupation, default),
                    rank(&read(perturbed), *occupation, default),
                ]
            },
        );
        Ok(self.report(&scores, counts))
    }

    /// The mean number of competences `reader` presumes per person: clean, neighbouring records.
    pub fn mean_presumed(&self, reader: &RecordReader) -> (f64, f64) {
        let count = |profile: &[(u32, u8)]| reader.read(profile, &|_| true).len() as f64;
        let people = self.people.len().max(1) as f64;
        let clean: f64 = self.people.iter().map(|person| count(&person.1)).sum();
        let perturbed: f64 = self.people.iter().map(|person| count(&person.2)).sum();
        (clean / people, perturbed / people)
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
}

#[derive(Debug, Default, Clone, Copy)]
struct NeighbourCounts {
    perturbed_by: [usize; 6],
    credited_by: [usize; 6],
    held: usize,
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
