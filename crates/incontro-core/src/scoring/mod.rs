//! Scoring: how well a person's competences cover a vacancy's requirements.
//!
//! The kernels are pure functions over sorted slices of interned skills (`u32`):
//! a worker profile is a sorted `&[(skill, level)]`, a vacancy a sorted `&[Requirement]`.
//! See `docs/scoring.md` for the formulas.
//!
//! - [`score`] is the reference kernel (one person, one vacancy);
//! - [`explain`](explain::explain) says, requirement by requirement, why;
//! - [`MatchSet`] holds vacancies and workers in memory with an inverted index for top-k queries;
//! - [`batch::run_csv`] is the streaming CSV matcher behind `incontro match`;
//! - [`parallel`] is the only module using rayon.
//!
//! ```
//! use incontro_core::scoring::{score, Requirement, ScoringConfig};
//!
//! let vacancy = [Requirement::new(1, 2, true).unwrap(), Requirement::new(5, 4, false).unwrap()];
//! let person = [(1, 3), (5, 2)];
//! // essential skill fully covered (1.0 × 1.0), optional half covered (0.5 × 0.5): 1.25 / 1.5
//! let value = score(&person, &vacancy, &ScoringConfig::exact(), None);
//! assert!((value - 1.25 / 1.5).abs() < 1e-6);
//! ```

pub mod batch;
pub mod cow;
pub mod explain;
mod graph;
mod kernel;
mod matchset;
pub mod parallel;
mod postings;

pub use explain::{essential_gaps, Explanation, MatchOutcome, RequirementExplanation};
pub use graph::{Closeness, Relation, SkillGraph, Specificity};
pub use kernel::{requirement_credit, score, Credit};
pub use matchset::MatchSet;

use crate::{Error, ErrorCode, Result};

/// One competence required by a vacancy, over an interned skill.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Requirement {
    /// The interned skill.
    pub skill: u32,
    /// The required level, 1..=4.
    pub level: u8,
    /// Essential (weight 1.0) or optional (weight 0.5).
    pub essential: bool,
    /// A multiplier of the requirement's weight set by the employer (1.0 = none).
    pub extra_weight: f32,
}

impl Requirement {
    /// A requirement with no extra weight; fails when `level` is outside 1..=4.
    pub fn new(skill: u32, level: u8, essential: bool) -> Result<Self> {
        Self::with_weight(skill, level, essential, 1.0)
    }

    /// A requirement with an extra weight multiplier (finite, > 0).
    pub fn with_weight(skill: u32, level: u8, essential: bool, extra_weight: f32) -> Result<Self> {
        if !(1..=4).contains(&level) {
            return Err(Error::invalid(
                ErrorCode::InvalidLevel,
                format!("level {level} is outside 1..=4"),
            ));
        }
        if !extra_weight.is_finite() || extra_weight <= 0.0 {
            return Err(Error::invalid(
                ErrorCode::InvalidWeight,
                format!("extra weight {extra_weight} must be a positive number"),
            ));
        }
        Ok(Requirement {
            skill,
            level,
            essential,
            extra_weight,
        })
    }

    /// The base weight: 1.0 if essential, 0.5 if optional, times the extra weight.
    pub fn base_weight(&self) -> f32 {
        let essential_weight = if self.essential { 1.0 } else { 0.5 };
        essential_weight * self.extra_weight
    }
}

/// Which score to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Exact coverage: only the very skills required count (the baseline formula).
    Exact,
    /// Exact coverage plus discounted credit for related skills, specificity weights and the
    /// essential-coverage factor, as switched on in [`ScoringConfig`].
    Default,
}

/// How to score. [`ScoringConfig::default`] is the engine's default mode.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScoringConfig {
    /// Exact or default scoring.
    pub mode: Mode,
    /// Credit factor for a related competence, in [0, 1] (default 0.2). Default mode only.
    pub related_discount: f32,
    /// Weigh requirements by ESCO reuse level (default on). Default mode only.
    pub specificity: bool,
    /// Multiply the score by `0.5 + 0.5 × essential coverage` (default on). Default mode only.
    pub essential_factor: bool,
    /// Results below this score are left out (default 0: every score above 0 is kept).
    pub min_score: f32,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        ScoringConfig {
            mode: Mode::Default,
            related_discount: 0.2,
            specificity: true,
            essential_factor: true,
            min_score: 0.0,
        }
    }
}

impl ScoringConfig {
    /// The exact coverage score (what `incontro match --exact` computes).
    pub fn exact() -> Self {
        ScoringConfig {
            mode: Mode::Exact,
            ..ScoringConfig::default()
        }
    }

    /// Checks the numbers: discount in [0, 1], min score in [0, 1].
    pub fn validated(self) -> Result<Self> {
        if !(0.0..=1.0).contains(&self.related_discount) {
            return Err(Error::invalid(
                ErrorCode::InvalidRelatedDiscount,
                format!(
                    "related discount {} is outside [0, 1]",
                    self.related_discount
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(Error::invalid(
                ErrorCode::InvalidMinScore,
                format!("min score {} is outside [0, 1]", self.min_score),
            ));
        }
        Ok(self)
    }

    /// True when related competences earn credit.
    pub(crate) fn uses_related(&self) -> bool {
        self.mode == Mode::Default && self.related_discount > 0.0
    }

    /// True when requirement weights include the specificity multiplier.
    pub(crate) fn uses_specificity(&self) -> bool {
        self.mode == Mode::Default && self.specificity
    }

    /// True when the essential-coverage factor applies.
    pub(crate) fn uses_essential_factor(&self) -> bool {
        self.mode == Mode::Default && self.essential_factor
    }
}

/// `min(1, held / required)`, the credit of a held level against a required one; 0 for level 0
/// (not held). Indexed `[held][required]`.
pub(crate) const LEVEL_CREDIT: [[f32; 5]; 5] = {
    let mut table = [[0.0f32; 5]; 5];
    let mut held = 1;
    while held < 5 {
        let mut required = 1;
        while required < 5 {
            table[held][required] = if held >= required {
                1.0
            } else {
                held as f32 / required as f32
            };
            required += 1;
        }
        held += 1;
    }
    table
};
