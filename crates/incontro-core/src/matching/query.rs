//! A matching query (filters, paging, mode) and its results.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use crate::model::{ComuneCode, PlacementType, UnmetCondition, VacancySource};
use crate::scoring::{Explanation, ScoringConfig};
use crate::{Error, ErrorCode, Result};

/// The largest `k` a query may ask for.
pub const MAX_K: usize = 500;

/// Filters and paging of a matching query.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    /// How many results (after `offset`); at most [`MAX_K`].
    pub k: usize,
    /// Results to skip (paging).
    #[serde(default)]
    pub offset: usize,
    /// Exact coverage instead of the default mode.
    #[serde(default)]
    pub exact: bool,
    /// Only vacancies (or people) within `km` of this comune.
    #[serde(default)]
    pub near: Option<(ComuneCode, f64)>,
    /// Only tirocini (`Some(true)`) or only contracts (`Some(false)`).
    #[serde(default)]
    pub tirocinio: Option<bool>,
    /// Only this COB contract type (e.g. `A.02.00`).
    #[serde(default)]
    pub contract_type: Option<String>,
    /// Only public job-centre vacancies (`Some(true)`) or only private agencies (`Some(false)`).
    #[serde(default)]
    pub public_source: Option<bool>,
    /// Only results scoring at least this much.
    #[serde(default)]
    pub min_score: f32,
    /// Also list what the person's own conditions rule out (a tirocinio for someone who does
    /// not accept tirocini, a contract type, hours or distance they did not accept): after every
    /// result that suits them, each marked with the conditions it does not meet. Off by
    /// default: such results are not offered. For candidates, the same from each person's side.
    #[serde(default)]
    pub include_unsuitable: bool,
    /// Only vacancies (or people) in these comuni: the caller's office (see
    /// [`crate::Engine::matching_scope`]). `None`: every office. Set by the access layer, never
    /// by a client, so it is not part of the serialized query.
    #[serde(skip)]
    pub scope: Option<ComuneScope>,
}

/// The comuni whose vacancies or people a caller may see in matching results: those of the
/// caller's office (the province of its key), plus, for vacancies, those of the offices that
/// share their vacancies (an explicit per-office setting, off by default).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComuneScope {
    comuni: Arc<BTreeSet<ComuneCode>>,
}

impl ComuneScope {
    /// A scope of exactly these comuni.
    pub fn new(comuni: impl IntoIterator<Item = ComuneCode>) -> Self {
        ComuneScope {
            comuni: Arc::new(comuni.into_iter().collect()),
        }
    }

    /// Whether an object in `comune` is in the scope.
    pub fn contains(&self, comune: &ComuneCode) -> bool {
        self.comuni.contains(comune)
    }

    /// The comuni in the scope.
    pub fn comuni(&self) -> impl Iterator<Item = &ComuneCode> {
        self.comuni.iter()
    }
}

impl Default for MatchQuery {
    fn default() -> Self {
        MatchQuery {
            k: 10,
            offset: 0,
            exact: false,
            near: None,
            tirocinio: None,
            contract_type: None,
            public_source: None,
            min_score: 0.0,
            include_unsuitable: false,
            scope: None,
        }
    }
}

impl MatchQuery {
    pub(super) fn check(&self) -> Result<()> {
        if self.k == 0 || self.k > MAX_K {
            return Err(Error::invalid(
                ErrorCode::InvalidK,
                format!("k must be 1 to {MAX_K}, got {}", self.k),
            ));
        }
        if self.offset > 10_000 {
            return Err(Error::invalid(
                ErrorCode::InvalidOffset,
                "offset must be at most 10000",
            ));
        }
        if let Some((_, km)) = &self.near {
            if !km.is_finite() || *km <= 0.0 || *km > 1000.0 {
                return Err(Error::invalid(
                    ErrorCode::InvalidDistance,
                    "distance must be in (0, 1000] km",
                ));
            }
        }
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(Error::invalid(
                ErrorCode::InvalidMinScore,
                "min_score must be in [0, 1]",
            ));
        }
        Ok(())
    }

    /// The scoring this query asks for (mode and minimum score).
    pub fn scoring(&self) -> ScoringConfig {
        let base = if self.exact {
            ScoringConfig::exact()
        } else {
            ScoringConfig::default()
        };
        ScoringConfig {
            min_score: self.min_score,
            ..base
        }
    }
}

/// One ranked vacancy for a person.
#[derive(Debug, Clone, Serialize)]
pub struct VacancyMatch {
    /// Rank from 1.
    pub rank: usize,
    /// The vacancy.
    pub vacancy_id: String,
    /// Its title.
    pub title: String,
    /// The company.
    pub company_id: String,
    /// Where.
    pub comune: String,
    /// Distance from the person's comune, when both have coordinates.
    pub distance_km: Option<f64>,
    /// Contract or tirocinio.
    pub placement: PlacementType,
    /// Who published it.
    pub source: VacancySource,
    /// The score in [0, 1].
    pub score: f32,
    /// Requirement by requirement.
    pub explanation: Explanation,
    /// The person's conditions this vacancy does not meet (only with
    /// [`MatchQuery::include_unsuitable`]; such results come after all the others).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet_conditions: Vec<UnmetCondition>,
}

/// One ranked candidate for a vacancy.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateMatch {
    /// Rank from 1.
    pub rank: usize,
    /// The job seeker's pseudonymous id.
    pub job_seeker_id: String,
    /// Comune of domicile.
    pub comune: String,
    /// Distance from the vacancy, when both have coordinates.
    pub distance_km: Option<f64>,
    /// The score in [0, 1].
    pub score: f32,
    /// Requirement by requirement.
    pub explanation: Explanation,
    /// The candidate's own conditions the vacancy does not meet (only with
    /// [`MatchQuery::include_unsuitable`]; such candidates come after all the others).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmet_conditions: Vec<UnmetCondition>,
}
