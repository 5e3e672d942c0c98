//! Human oversight recorded: where a proposed or placed pair stood in the rankings when staff
//! recorded it, and how often staff went beyond the top of the list.

use serde::Serialize;

use crate::matching::MatchState;
use crate::model::EntityId;
use crate::scoring::ScoringConfig;
use crate::Result;

/// "The top of the list": the first page the console and the API show by default.
pub const OVERSIGHT_TOP: u32 = 10;

/// Where a person–vacancy pair stood in the rankings at one moment (default scoring, no filters
/// beyond the person's own conditions, as the lists are offered by default). Ranks count from 1; `None` when the pair was not ranked (the vacancy was not open
/// or the pair scored nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PairRank {
    /// Rank of the vacancy among the person's vacancies.
    pub vacancy_rank: Option<u32>,
    /// Rank of the person among the vacancy's candidates.
    pub candidate_rank: Option<u32>,
    /// The pair's score (0 when not ranked).
    pub score: f32,
}

impl PairRank {
    /// Staff went beyond the top of the list: the pair was in the first [`OVERSIGHT_TOP`] of
    /// neither the person's list nor the vacancy's.
    pub fn beyond_top(&self) -> bool {
        let within = |rank: Option<u32>| rank.is_some_and(|rank| rank <= OVERSIGHT_TOP);
        !(within(self.vacancy_rank) || within(self.candidate_rank))
    }

    /// The pair was first in neither list.
    pub fn not_first(&self) -> bool {
        self.vacancy_rank != Some(1) && self.candidate_rank != Some(1)
    }
}

/// Where the pair stands in `state`'s rankings.
pub(crate) fn pair_rank(state: &MatchState, person: &EntityId, vacancy: &EntityId) -> PairRank {
    let (Some(worker), Some(position)) = (
        state.worker_index(person.as_str()),
        state.vacancy_index(vacancy.as_str()),
    ) else {
        return PairRank::default();
    };
    let set = state.match_set();
    let config = ScoringConfig::default();
    // The lists as staff see them by default: pairs that meet the person's own conditions.
    let vacancies = set.top_vacancies_for_worker(
        set.worker_profile(worker),
        set.vacancy_count(),
        &config,
        &|vacancy| state.suits(worker, vacancy),
    );
    let workers =
        set.top_workers_for_vacancy(position, set.worker_count(), &config, &|candidate| {
            state.suits(candidate, position)
        });
    let vacancy_at = vacancies.iter().position(|&(p, _)| p == position);
    let candidate_at = workers.iter().position(|&(w, _)| w == worker);
    let score = vacancy_at.map_or(0.0, |index| vacancies[index].1);
    PairRank {
        vacancy_rank: vacancy_at.map(|index| index as u32 + 1),
        candidate_rank: candidate_at.map(|index| index as u32 + 1),
        score,
    }
}

/// Override rates over the recorded proposals and placements.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OversightFigures {
    /// Records whose rank was recorded (records made before issue 18 are left out).
    pub records: usize,
    /// Of which placements (the rest are proposals).
    pub placements: usize,
    /// Records whose pair was first in neither list.
    pub not_first: usize,
    /// Records beyond the top [`OVERSIGHT_TOP`] of both lists.
    pub beyond_top: usize,
    /// Records of a pair the system did not rank at all.
    pub unranked: usize,
}

impl OversightFigures {
    /// Counts the records' ranks (`is_placement`, rank).
    pub fn count<'a>(records: impl IntoIterator<Item = (bool, &'a PairRank)>) -> Self {
        let mut figures = OversightFigures::default();
        for (is_placement, rank) in records {
            figures.records += 1;
            figures.placements += usize::from(is_placement);
            figures.not_first += usize::from(rank.not_first());
            figures.beyond_top += usize::from(rank.beyond_top());
            figures.unranked +=
                usize::from(rank.vacancy_rank.is_none() && rank.candidate_rank.is_none());
        }
        figures
    }

    /// Share of records beyond the top of the list (0 without records).
    pub fn beyond_top_rate(&self) -> f64 {
        rate(self.beyond_top, self.records)
    }

    /// Share of records first in neither list (0 without records).
    pub fn not_first_rate(&self) -> f64 {
        rate(self.not_first, self.records)
    }
}

fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl crate::Engine {
    /// Where the pair stands now in the rankings (default scoring, no filters).
    pub fn pair_rank(&self, person: &EntityId, vacancy: &EntityId) -> Result<PairRank> {
        let state = self.match_state()?;
        Ok(pair_rank(&state, person, vacancy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_top_and_not_first() {
        let rank = |v, c| PairRank {
            vacancy_rank: v,
            candidate_rank: c,
            score: 0.5,
        };
        assert!(!rank(Some(1), Some(40)).beyond_top());
        assert!(!rank(Some(1), Some(40)).not_first());
        assert!(!rank(Some(30), Some(10)).beyond_top());
        assert!(rank(Some(30), Some(10)).not_first());
        assert!(rank(Some(11), Some(11)).beyond_top());
        assert!(rank(None, None).beyond_top());
        let records = [
            (false, rank(Some(1), Some(2))),
            (true, rank(Some(3), Some(12))),
            (false, rank(Some(11), None)),
            (false, rank(None, None)),
        ];
        let figures = OversightFigures::count(records.iter().map(|(p, r)| (*p, r)));
        assert_eq!(
            figures,
            OversightFigures {
                records: 4,
                placements: 1,
                not_first: 3,
                beyond_top: 2,
                unranked: 1,
            }
        );
        assert_eq!(figures.beyond_top_rate(), 0.5);
    }
}
