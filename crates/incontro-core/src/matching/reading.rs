//! Reading a person's records: which neighbouring ESCO competence a recorded one may stand for.
//! See: issue 14, point 7; docs/scoring.md, "Reading the records".
//!
//! In real records a competence is often written as a neighbouring ESCO concept: "operate welding
//! equipment" on a CV where a validator's breakdown says "use welding equipment", a skill for its
//! parent, two children of one skill group. Which neighbour a record stands for cannot be told
//! from the record alone (a skill has up to 220 neighbours), but it can from the rest of the
//! profile: the ESCO occupations the person's competences fit list some of those neighbours and
//! not the others.
//!
//! [`RecordReader::read`] is a small noisy-channel model over the ESCO occupation profiles:
//!
//! 1. **Which occupations fit the profile.** Each occupation `O` scores
//!    `Σ over recorded competences listed by O of ln(1 + as_is × listed(e) / floor)` plus, for
//!    every skill `O` lists, `ln(1 − held × listed(e))` (a person of `O` shows about `held` of its
//!    essential skills; `listed` is 1 for an essential skill, `optional` for an optional one).
//!    The posterior over occupations is the softmax of these scores (uniform prior).
//! 2. **How likely the person holds a skill**: `prior(s) = prior_floor + Σ_O P(O) × listed_O(s)`.
//! 3. **What a record stands for.** A recorded competence `t` is `t` itself with weight
//!    `prior(t) × as_is`, or one of its ESCO neighbours `s` with weight
//!    `prior(s) × (1 − as_is) / neighbours(s)` (a record is written as one of a skill's
//!    neighbours, any of them alike). Normalised, these are probabilities.
//! 4. **Presumed competences.** A neighbour the person does not hold whose probability reaches
//!    `presume_from` is presumed at the recorded level, capped at `cap` (3, as for a competence
//!    presumed from a past job known by its exact ESCO occupation: level 4 only by assessment),
//!    and marked as presumed from the record in every explanation line that uses it ("presunta
//!    dalla registrazione").
//!
//! The neighbours are every ESCO relation a coder may confuse: skill–skill relations, parent and
//! child skills, siblings under a parent skill or a skill group of any size. The constants are
//! documented defaults ([`ReadingConfig`]), chosen on the development half of the neighbouring
//! records evaluation (`matching::neighbours`) and reported on the held-out half and on other
//! seeds in docs/scoring.md.
//!
//! What it does NOT do: change a recorded competence, presume anything from a competence that is
//! itself presumed (work history), or read the store.

use std::sync::Arc;

use serde::Serialize;

use crate::scoring::{Relation, SkillGraph};
use crate::taxonomy::Taxonomy;
use crate::Result;

use super::{skill_graph_for, GraphOptions};

/// The constants of [`RecordReader`], with documented defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReadingConfig {
    /// Probability that a record is the competence itself (the rest: one of its neighbours).
    pub as_is: f32,
    /// Weight of an occupation's optional skill against an essential one (1).
    pub optional: f32,
    /// Likelihood of a record that an occupation does not list.
    pub floor: f32,
    /// Prior that a person holds a skill none of their likely occupations lists.
    pub prior_floor: f32,
    /// Share of an occupation's essential skills a person of it shows.
    pub held: f32,
    /// The probability from which a neighbour is presumed.
    pub presume_from: f32,
    /// The highest level a competence presumed from a record may have until someone assesses it.
    pub cap: u8,
}

impl Default for ReadingConfig {
    fn default() -> Self {
        ReadingConfig {
            as_is: 0.5,
            optional: 0.1,
            floor: 0.01,
            prior_floor: 1e-4,
            held: 0.6,
            presume_from: 0.05,
            cap: 3,
        }
    }
}

/// A competence presumed from a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Presumption {
    /// The presumed skill.
    pub skill: u32,
    /// Its level: the record's, capped.
    pub level: u8,
    /// The recorded competence it was read from.
    pub via: u32,
    /// How the recorded competence relates to the presumed one.
    pub relation: Relation,
    /// The broader concept they share, for [`Relation::SameBroader`].
    pub parent: Option<u32>,
    /// The occupation of the profile that lists the presumed skill with the most weight.
    pub occupation: Option<u32>,
    /// The probability that the record stands for the presumed skill.
    pub probability: f32,
}

/// Reads people's records against the ESCO occupation profiles (module docs). Built once per
/// taxonomy; [`RecordReader::read`] is pure and thread-safe.
#[derive(Debug)]
pub struct RecordReader {
    config: ReadingConfig,
    /// Every ESCO neighbour of each skill (all groups).
    graph: SkillGraph,
    /// Per skill: the occupations listing it, and whether as essential.
    skill_occupations: Vec<Vec<(u32, bool)>>,
    /// Per occupation: its skills, and whether essential.
    occupation_skills: Vec<Vec<(u32, bool)>>,
    /// Per occupation: `Σ ln(1 − held × listed)` over its skills.
    absence: Vec<f32>,
    /// Per skill: its number of neighbours (at least 1).
    degree: Vec<f32>,
    /// `ln(1 + as_is × listed / floor)` for an essential and an optional skill.
    evidence: (f32, f32),
}

/// One thread's scratch for [`RecordReader::read`], reset after each reading.
#[derive(Default)]
struct Scratch {
    /// Per occupation: the score (NaN: not met yet).
    score: Vec<f32>,
    touched: Vec<u32>,
    /// Per skill: (prior, occupation listing it with the most weight, that weight); the
    /// occupation is `u32::MAX` when no likely occupation lists the skill.
    prior: Vec<(f32, u32, f32)>,
    reached: Vec<u32>,
}

impl Scratch {
    /// Clears what the last reading touched, sized for `occupations` and `skills`.
    fn reset(&mut self, occupations: usize, skills: usize) {
        for &occupation in &self.touched {
            self.score[occupation as usize] = f32::NAN;
        }
        self.touched.clear();
        for &skill in &self.reached {
            self.prior[skill as usize] = (0.0, u32::MAX, 0.0);
        }
        self.reached.clear();
        if self.score.len() != occupations {
            self.score = vec![f32::NAN; occupations];
        }
        if self.prior.len() != skills {
            self.prior = vec![(0.0, u32::MAX, 0.0); skills];
        }
    }
}

/// The most occupations whose skills a reading weighs (the likeliest; see `read_with`). 64 gives
/// the same figures as no cap on the neighbouring-records evaluation (seeds 14 and 15, the two
/// measured), and bounds the work for profiles that fit hundreds of occupations alike.
const MAX_FITTING: usize = 64;

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl RecordReader {
    /// The reader of `taxonomy` with the default constants.
    pub fn new(taxonomy: &Taxonomy) -> Result<Self> {
        Self::with_config(taxonomy, ReadingConfig::default())
    }

    /// The reader of `taxonomy` with `config`.
    pub fn with_config(taxonomy: &Taxonomy, config: ReadingConfig) -> Result<Self> {
        let graph = skill_graph_for(
            taxonomy,
            &GraphOptions {
                group_siblings_up_to: usize::MAX,
                ..GraphOptions::default()
            },
        )?;
        let skills = taxonomy.skill_count();
        let occupations = taxonomy.occupation_count();
        let mut skill_occupations: Vec<Vec<(u32, bool)>> = vec![Vec::new(); skills];
        let mut occupation_skills: Vec<Vec<(u32, bool)>> = Vec::with_capacity(occupations);
        let mut absence = Vec::with_capacity(occupations);
        let essential_absent = (1.0 - config.held).max(f32::MIN_POSITIVE).ln();
        let optional_absent = (1.0 - config.held * config.optional)
            .max(f32::MIN_POSITIVE)
            .ln();
        for occupation in 0..occupations as u32 {
            let mut list: Vec<(u32, bool)> = taxonomy.occupation_skills(occupation).to_vec();
            list.sort_unstable_by_key(|&(skill, essential)| (skill, !essential));
            list.dedup_by_key(|entry| entry.0);
            let mut penalty = 0.0f32;
            for &(skill, essential) in &list {
                skill_occupations[skill as usize].push((occupation, essential));
                penalty += if essential {
                    essential_absent
                } else {
                    optional_absent
                };
            }
            occupation_skills.push(list);
            absence.push(penalty);
        }
        let degree = (0..skills as u32)
            .map(|skill| graph.related_to(skill).len().max(1) as f32)
            .collect();
        let evidence = (
            (1.0 + config.as_is / config.floor).ln(),
            (1.0 + config.as_is * config.optional / config.floor).ln(),
        );
        Ok(RecordReader {
            config,
            evidence,
            graph,
            skill_occupations,
            occupation_skills,
            absence,
            degree,
        })
    }

    /// The constants in use.
    pub fn config(&self) -> &ReadingConfig {
        &self.config
    }

    fn listed(&self, essential: bool) -> f32 {
        if essential {
            1.0
        } else {
            self.config.optional
        }
    }

    /// The competences presumed from the records of `profile` (sorted by skill, levels 1–4).
    /// `recorded(skill)` says which entries are records that may be read (not presumptions of
    /// their own); skills outside the taxonomy are ignored. Sorted by presumed skill; one
    /// presumption per skill (the most probable reading, then the lowest recorded skill id).
    pub fn read(&self, profile: &[(u32, u8)], recorded: &dyn Fn(u32) -> bool) -> Vec<Presumption> {
        // Dense per-thread scratch (occupations and skills are small integers): a reading is
        // done for every person at a full build.
        SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let scratch = &mut *scratch;
            scratch.reset(self.occupation_skills.len(), self.skill_occupations.len());
            self.read_with(profile, recorded, scratch)
        })
    }

    fn read_with(
        &self,
        profile: &[(u32, u8)],
        recorded: &dyn Fn(u32) -> bool,
        scratch: &mut Scratch,
    ) -> Vec<Presumption> {
        let config = &self.config;
        let skills = self.skill_occupations.len() as u32;
        let known = |skill: u32| skill < skills;
        // 1. The occupations that fit the profile.
        for &(held, _) in profile.iter().filter(|&&(held, _)| known(held)) {
            for &(occupation, essential) in &self.skill_occupations[held as usize] {
                let slot = &mut scratch.score[occupation as usize];
                if slot.is_nan() {
                    *slot = 0.0;
                    scratch.touched.push(occupation);
                }
                *slot += if essential {
                    self.evidence.0
                } else {
                    self.evidence.1
                };
            }
        }
        if scratch.touched.is_empty() {
            return Vec::new();
        }
        let mut fitting: Vec<(u32, f32)> = scratch
            .touched
            .iter()
            .map(|&occupation| {
                (
                    occupation,
                    scratch.score[occupation as usize] + self.absence[occupation as usize],
                )
            })
            .collect();
        // In occupation order: the sums below do not depend on the order the occupations were
        // met, so the same profile always reads the same (a probability at the threshold too).
        fitting.sort_unstable_by_key(|entry| entry.0);
        let best = fitting
            .iter()
            .map(|&(_, value)| value)
            .fold(f32::NEG_INFINITY, f32::max);
        let mut total = 0.0f32;
        for entry in &mut fitting {
            entry.1 = (entry.1 - best).exp();
            total += entry.1;
        }
        // Occupations below 1e-4 of the posterior change no prior measurably, nor do those after
        // the [`MAX_FITTING`] most likely (a profile that fits hundreds of occupations alike says
        // little about any; the cap bounds the work of a reading).
        fitting.retain(|&(_, weight)| weight >= 1e-4 * total);
        fitting.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        fitting.truncate(MAX_FITTING);
        // 2. The prior of each skill the likely occupations list, and the occupation that lists
        //    it with the most weight.
        for &(occupation, weight) in &fitting {
            let share = weight / total;
            for &(skill, essential) in &self.occupation_skills[occupation as usize] {
                let part = share * self.listed(essential);
                let entry = &mut scratch.prior[skill as usize];
                if entry.1 == u32::MAX {
                    *entry = (0.0, occupation, 0.0);
                    scratch.reached.push(skill);
                }
                entry.0 += part;
                if part > entry.2 {
                    entry.1 = occupation;
                    entry.2 = part;
                }
            }
        }
        let prior = &scratch.prior;
        let prior_of = |skill: u32| -> f32 {
            config.prior_floor
                + prior
                    .get(skill as usize)
                    .filter(|entry| entry.1 != u32::MAX)
                    .map_or(0.0, |entry| entry.0)
        };
        // 3–4. What each record stands for.
        let holds = |skill: u32| {
            profile
                .binary_search_by_key(&skill, |&(held, _)| held)
                .is_ok()
        };
        let mut presumed: Vec<Presumption> = Vec::new();
        let mut weights: Vec<(u32, Relation, f32)> = Vec::new();
        for &(held, level) in profile {
            if !known(held) || !recorded(held) {
                continue;
            }
            weights.clear();
            let mut sum = prior_of(held) * config.as_is;
            for &(source, relation, _) in self.graph.related_to(held) {
                let weight = prior_of(source) * (1.0 - config.as_is) / self.degree[source as usize];
                sum += weight;
                weights.push((source, relation, weight));
            }
            for &(source, relation, weight) in &weights {
                let probability = weight / sum;
                if probability < config.presume_from || holds(source) {
                    continue;
                }
                presumed.push(Presumption {
                    skill: source,
                    level: level.clamp(1, config.cap.clamp(1, 4)),
                    via: held,
                    // `related_to(held)` says how `source` relates to `held`; the line says how
                    // the record relates to the presumed skill.
                    relation: relation.reversed(),
                    parent: (relation == Relation::SameBroader)
                        .then(|| self.graph.common_broader(source, held))
                        .flatten(),
                    occupation: prior
                        .get(source as usize)
                        .filter(|entry| entry.1 != u32::MAX)
                        .map(|entry| entry.1),
                    probability,
                });
            }
        }
        presumed.sort_by(|a, b| {
            a.skill
                .cmp(&b.skill)
                .then(b.probability.total_cmp(&a.probability))
                .then(a.via.cmp(&b.via))
        });
        presumed.dedup_by_key(|presumption| presumption.skill);
        presumed
    }
}

/// A reader shared by the states built from one taxonomy.
pub type SharedReader = Arc<RecordReader>;
