//! The reference kernel: one profile against one vacancy, requirement by requirement.

use super::{Relation, Requirement, ScoringConfig, SkillGraph, LEVEL_CREDIT};

/// How one requirement was met.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Credit {
    /// The person holds the required skill at `level`.
    Exact {
        /// The level held.
        level: u8,
        /// `min(1, level / required)`.
        credit: f32,
    },
    /// The person holds a related skill `via` at `level`.
    Related {
        /// The held skill that earned the credit.
        via: u32,
        /// How it relates to the required skill.
        relation: Relation,
        /// The level held.
        level: u8,
        /// `discount × closeness × min(1, level / required)`.
        credit: f32,
    },
    /// Nothing earns credit.
    Missing,
}

impl Credit {
    /// The credit in [0, 1].
    pub fn value(&self) -> f32 {
        match *self {
            Credit::Exact { credit, .. } | Credit::Related { credit, .. } => credit,
            Credit::Missing => 0.0,
        }
    }
}

fn held_level(profile: &[(u32, u8)], skill: u32) -> Option<u8> {
    debug_assert!(
        profile.windows(2).all(|w| w[0].0 < w[1].0),
        "profile must be sorted"
    );
    profile
        .binary_search_by_key(&skill, |&(held, _)| held)
        .ok()
        .map(|index| profile[index].1)
}

/// A profile's skills behind a 4,096-bit filter: most skills a credit asks about (the
/// neighbours of a required skill) are not held, and the filter says so with one load instead
/// of a binary search. A set bit only means "maybe held": the binary search decides.
pub(crate) struct Held<'a> {
    profile: &'a [(u32, u8)],
    bits: [u64; 64],
}

impl<'a> Held<'a> {
    /// The filter of `profile` (sorted by skill).
    pub(crate) fn new(profile: &'a [(u32, u8)]) -> Self {
        let mut bits = [0u64; 64];
        for &(skill, _) in profile {
            let (word, bit) = Self::slot(skill);
            bits[word] |= bit;
        }
        Held { profile, bits }
    }

    #[inline]
    fn slot(skill: u32) -> (usize, u64) {
        let hash = skill.wrapping_mul(0x9E37_79B9) >> 20;
        ((hash >> 6) as usize, 1u64 << (hash & 63))
    }

    /// The level held of `skill`, if any.
    #[inline]
    fn level(&self, skill: u32) -> Option<u8> {
        let (word, bit) = Self::slot(skill);
        if self.bits[word] & bit == 0 {
            return None;
        }
        held_level(self.profile, skill)
    }
}

/// The credit a profile earns for one requirement: the exact skill, or (default mode, with a
/// graph) the best related skill, whichever is higher. Ties between related skills go to the
/// lowest skill id.
pub fn requirement_credit(
    profile: &[(u32, u8)],
    requirement: &Requirement,
    config: &ScoringConfig,
    graph: Option<&SkillGraph>,
) -> Credit {
    credit_of(&Held::new(profile), requirement, config, graph)
}

/// [`requirement_credit`] for a profile already behind its filter.
pub(crate) fn credit_of(
    held: &Held<'_>,
    requirement: &Requirement,
    config: &ScoringConfig,
    graph: Option<&SkillGraph>,
) -> Credit {
    let required = usize::from(requirement.level.clamp(1, 4));
    let mut best = match held.level(requirement.skill) {
        Some(level) => Credit::Exact {
            level,
            credit: LEVEL_CREDIT[usize::from(level.min(4))][required],
        },
        None => Credit::Missing,
    };
    let Some(graph) = graph.filter(|_| config.uses_related()) else {
        return best;
    };
    for &(held_skill, relation, closeness) in graph.related_to(requirement.skill) {
        let Some(level) = held.level(held_skill) else {
            continue;
        };
        let credit =
            related_factor(config, closeness) * LEVEL_CREDIT[usize::from(level.min(4))][required];
        if credit > best.value() {
            best = Credit::Related {
                via: held_skill,
                relation,
                level,
                credit,
            };
        }
    }
    best
}

/// The share of a level credit a related skill earns: the discount times the relation's
/// closeness. Every scorer multiplies it by the level credit in this order, so all give the same
/// `f32` credit.
#[inline]
pub(crate) fn related_factor(config: &ScoringConfig, closeness: f32) -> f32 {
    config.related_discount * closeness
}

/// The weight of a requirement under `config`: base weight, times the specificity multiplier
/// when that is on and a graph is given.
pub(crate) fn requirement_weight(
    requirement: &Requirement,
    config: &ScoringConfig,
    graph: Option<&SkillGraph>,
) -> f32 {
    let specificity = match graph {
        Some(graph) if config.uses_specificity() => {
            graph.specificity(requirement.skill).multiplier()
        }
        _ => 1.0,
    };
    requirement.base_weight() * specificity
}

/// The score in [0, 1] of a profile (sorted by skill) against a vacancy's requirements.
///
/// Exact mode: `Σ weight·credit / Σ weight`. Default mode adds related credit, specificity
/// weights and the essential-coverage factor as configured. An empty vacancy scores 0.
pub fn score(
    profile: &[(u32, u8)],
    requirements: &[Requirement],
    config: &ScoringConfig,
    graph: Option<&SkillGraph>,
) -> f32 {
    score_parts(profile, requirements, config, graph).0
}

/// `(score, essential coverage)`.
pub(crate) fn score_parts(
    profile: &[(u32, u8)],
    requirements: &[Requirement],
    config: &ScoringConfig,
    graph: Option<&SkillGraph>,
) -> (f32, f32) {
    let held = Held::new(profile);
    let credits = requirements
        .iter()
        .map(|requirement| credit_of(&held, requirement, config, graph).value());
    score_of_credits(requirements, credits, config, graph)
}

/// [`score_parts`] from the credit of each requirement, in requirement order.
pub(crate) fn score_of_credits(
    requirements: &[Requirement],
    credits: impl Iterator<Item = f32>,
    config: &ScoringConfig,
    graph: Option<&SkillGraph>,
) -> (f32, f32) {
    let mut weighted_credit = 0.0f32;
    let mut total_weight = 0.0f32;
    let mut essential_credit = 0.0f32;
    let mut essential_count = 0u32;
    for (requirement, credit) in requirements.iter().zip(credits) {
        let weight = requirement_weight(requirement, config, graph);
        weighted_credit += weight * credit;
        total_weight += weight;
        if requirement.essential {
            essential_credit += credit;
            essential_count += 1;
        }
    }
    finish_score(
        weighted_credit,
        total_weight,
        essential_credit,
        essential_count,
        config,
    )
}

/// `(score, essential coverage)` from the sums of [`score_parts`], each accumulated in
/// requirement order. Shared with the accumulator path (`scoring/postings.rs`), which feeds it
/// the same sums in the same order, so both give bit-identical scores.
#[inline]
pub(crate) fn finish_score(
    weighted_credit: f32,
    total_weight: f32,
    essential_credit: f32,
    essential_count: u32,
    config: &ScoringConfig,
) -> (f32, f32) {
    let essential_coverage = if essential_count == 0 {
        1.0
    } else {
        essential_credit / essential_count as f32
    };
    if total_weight <= 0.0 {
        return (0.0, essential_coverage);
    }
    let coverage = weighted_credit / total_weight;
    let factor = if config.uses_essential_factor() {
        0.5 + 0.5 * essential_coverage
    } else {
        1.0
    };
    (
        (coverage * factor).clamp(0.0, 1.0),
        essential_coverage.min(1.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::{Mode, Specificity};

    fn req(skill: u32, level: u8, essential: bool) -> Requirement {
        Requirement::new(skill, level, essential).unwrap()
    }

    #[test]
    fn exact_coverage_by_hand() {
        // weights 1, 1, 0.5; credits 1 (3≥2), 2/4, 0 → (1 + 0.5) / 2.5 = 0.6
        let vacancy = [req(1, 2, true), req(2, 4, true), req(3, 1, false)];
        let profile = [(1, 3), (2, 2), (9, 4)];
        let value = score(&profile, &vacancy, &ScoringConfig::exact(), None);
        assert!((value - 0.6).abs() < 1e-6, "{value}");
    }

    #[test]
    fn empty_vacancy_and_empty_profile_score_zero() {
        assert_eq!(score(&[(1, 2)], &[], &ScoringConfig::exact(), None), 0.0);
        assert_eq!(
            score(&[], &[req(1, 1, true)], &ScoringConfig::exact(), None),
            0.0
        );
    }

    #[test]
    fn related_credit_is_discounted_by_hand() {
        // 10 = group; 1 and 2 siblings. Person holds 2 at level 2, vacancy needs 1 at level 4.
        let graph = SkillGraph::new(11, &[(1, 10), (2, 10)], &[], vec![]).unwrap();
        // The hand computation below uses a related discount of 0.5 (set explicitly, since the
        // default changed to 0.25 after the own-occupation measurement in docs/scoring.md).
        let config = ScoringConfig {
            specificity: false,
            essential_factor: false,
            related_discount: 0.5,
            ..ScoringConfig::default()
        };
        let credit = requirement_credit(&[(2, 2)], &req(1, 4, true), &config, Some(&graph));
        assert_eq!(
            credit,
            Credit::Related {
                via: 2,
                relation: Relation::SameBroader,
                level: 2,
                credit: 0.25
            }
        );
        // exact beats related
        let credit = requirement_credit(&[(1, 1), (2, 4)], &req(1, 4, true), &config, Some(&graph));
        assert_eq!(credit.value(), 0.5);
    }

    #[test]
    fn specificity_and_essential_factor_by_hand() {
        let graph = SkillGraph::new(
            3,
            &[],
            &[],
            vec![Specificity::Transversal, Specificity::OccupationSpecific],
        )
        .unwrap();
        let config = ScoringConfig::default();
        assert_eq!(config.mode, Mode::Default);
        // req 0 transversal essential (w 0.5), req 1 occupation-specific optional (w 0.625).
        // Person holds 1 only: coverage 0.625 / 1.125; essential coverage 0 → factor 0.5.
        let value = score(
            &[(1, 4)],
            &[req(0, 1, true), req(1, 1, false)],
            &config,
            Some(&graph),
        );
        assert!((value - 0.5 * 0.625 / 1.125).abs() < 1e-6, "{value}");
    }
}
