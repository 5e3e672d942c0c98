//! Bias figures of the rankings (issue 18): how the top of the lists is shared between groups.
//!
//! Ranking people for jobs is a high-risk use under the EU AI Act (Annex III). This module turns
//! ranked lists into the figures an office needs to show that no group is disadvantaged, by sex,
//! age band (under 30, 30–54, 55 and over), citizenship (Italian / EU / non-EU, when recorded) and
//! disability:
//!
//! - **exposure**: the share of the top-k slots of the vacancies' candidate lists held by the
//!   group, against the group's share of the people (ratio 1 = exposure in proportion);
//! - **top-k rate**: the share of the group's members who appear in at least one vacancy's top k,
//!   and its ratio to the best-placed group of the same dimension;
//! - **mean score**: the mean, over the group's members, of the mean score of their own top-k
//!   vacancies, and its ratio to the best group;
//! - the **four-fifths flag** when a ratio is below 0.8 — a signal to look closer, not a verdict;
//! - every figure twice: on the scores staff see (default mode) and on **competences only**
//!   (exact coverage of the competences held, no related credit nor specificity weighting), so
//!   that a gap present in both comes from the competences people hold, not from the scorer.
//!
//! Protected attributes are never inputs to the score: this module only reads them to group
//! people after the ranking. `engine` builds the inputs from the matching state; `table` writes
//! the CSV, SVG and printed table. See docs/fairness.md.
//!
//! What it does NOT do: rank (it receives the ranked lists), SQL, or judge: a flag asks a person
//! to look at the data.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::{Citizenship, Sex};

mod card;
mod coverage;
mod engine;
pub mod oversight;
mod table;

pub use card::{OwnOccupationFigures, SystemCardOptions};
pub use coverage::{
    coverage_rows, CoverageReport, CoverageRow, ProtectedEntry, COVERAGE_CSV_HEADER,
};
pub use engine::FairnessQuery;
pub use oversight::{OversightFigures, PairRank, OVERSIGHT_TOP};
pub use table::FAIRNESS_CSV_HEADER;

/// The four-fifths rule: a ratio below this is flagged.
pub const FOUR_FIFTHS: f64 = 0.8;

/// The protected facts of one person, read only to group people after ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFacts {
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: u16,
    /// Citizenship, when recorded.
    pub citizenship: Option<Citizenship>,
    /// Recognised disability.
    pub disability: bool,
}

/// A way of splitting people into groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// F / M.
    Sex,
    /// Under 30, 30–54, 55 and over.
    AgeBand,
    /// Italian, EU, non-EU (people without it recorded are left out of this dimension).
    Citizenship,
    /// With or without a recognised disability.
    Disability,
}

impl Dimension {
    /// Every dimension, in report order.
    pub const ALL: [Dimension; 4] = [
        Dimension::Sex,
        Dimension::AgeBand,
        Dimension::Citizenship,
        Dimension::Disability,
    ];

    /// The Italian name used in the CSV and the tables.
    pub fn label_it(self) -> &'static str {
        match self {
            Dimension::Sex => "sesso",
            Dimension::AgeBand => "età",
            Dimension::Citizenship => "cittadinanza",
            Dimension::Disability => "disabilità",
        }
    }

    /// The group of a person in this dimension, as `(order, Italian label)`; `None` when the
    /// fact is not recorded.
    pub fn group_of(self, facts: &GroupFacts, today: NaiveDate) -> Option<(u8, &'static str)> {
        match self {
            Dimension::Sex => Some(match facts.sex {
                Sex::F => (0, "F"),
                Sex::M => (1, "M"),
            }),
            Dimension::AgeBand => Some(age_band(facts.birth_year, today)),
            Dimension::Citizenship => facts.citizenship.map(|citizenship| match citizenship {
                Citizenship::Italian => (0, "italiana"),
                Citizenship::Eu => (1, "UE"),
                Citizenship::NonEu => (2, "extra UE"),
            }),
            Dimension::Disability => Some(if facts.disability {
                (0, "con disabilità")
            } else {
                (1, "senza disabilità")
            }),
        }
    }
}

/// The age band of someone born in `birth_year`, on `today`: the age reached this calendar year
/// (birth dates are recorded as years only).
pub fn age_band(birth_year: u16, today: NaiveDate) -> (u8, &'static str) {
    let age = today.year() - i32::from(birth_year);
    if age < 30 {
        (0, "meno di 30")
    } else if age < 55 {
        (1, "30-54")
    } else {
        (2, "55 e oltre")
    }
}

/// One direction and one scoring of the ranked lists, as indices into the people.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rankings {
    /// For each vacancy, its top-k candidates (indices into the people), best first.
    pub candidates: Vec<Vec<usize>>,
    /// For each person, the scores of their own top-k vacancies, best first.
    pub vacancy_scores: Vec<Vec<f32>>,
}

/// The figures of one group under one scoring.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFigures {
    /// Top-k slots of the vacancies' candidate lists held by the group.
    pub slots: usize,
    /// `slots` over all slots held by people of the dimension.
    pub exposure_share: f64,
    /// `exposure_share` over the group's share of people (1 = in proportion); `None` when no
    /// slot was given at all.
    pub exposure_ratio: Option<f64>,
    /// Members in at least one vacancy's top k, over members.
    pub top_k_rate: f64,
    /// `top_k_rate` over the highest rate of the dimension; `None` when that is 0.
    pub top_k_rate_ratio: Option<f64>,
    /// Mean over members of the mean score of their top-k vacancies (0 for an empty list).
    pub mean_score: f64,
    /// `mean_score` over the highest mean of the dimension; `None` when that is 0.
    pub mean_score_ratio: Option<f64>,
    /// A ratio (top-k rate or mean score) below [`FOUR_FIFTHS`].
    pub four_fifths_flag: bool,
}

/// One group of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FairnessRow {
    /// The dimension.
    pub dimension: Dimension,
    /// The group's Italian label.
    pub group: String,
    /// Members (people of the area with this fact).
    pub people: usize,
    /// Members over the people of the dimension.
    pub people_share: f64,
    /// On the scores staff see.
    pub served: GroupFigures,
    /// On competences only (exact coverage).
    pub competences_only: GroupFigures,
}

/// The bias report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FairnessReport {
    /// The day the rankings were computed on.
    pub day: NaiveDate,
    /// The data revision they were computed from.
    pub data_revision: i64,
    /// The area's comuni (empty: everywhere).
    pub area: Vec<String>,
    /// Length of each ranked list.
    pub k: usize,
    /// People of the area.
    pub people: usize,
    /// Open vacancies of the area.
    pub vacancies: usize,
    /// One row per group.
    pub rows: Vec<FairnessRow>,
    /// How often staff went beyond the top of the list.
    pub oversight: OversightFigures,
}

impl FairnessReport {
    /// Rows flagged by the four-fifths rule on the scores staff see.
    pub fn flagged(&self) -> impl Iterator<Item = &FairnessRow> {
        self.rows.iter().filter(|row| row.served.four_fifths_flag)
    }
}

/// The per-group figures of one scoring: `(dimension, group order, label, members, figures)`.
fn group_figures(
    people: &[GroupFacts],
    today: NaiveDate,
    rankings: &Rankings,
) -> Vec<(Dimension, u8, &'static str, usize, GroupFigures)> {
    debug_assert_eq!(rankings.vacancy_scores.len(), people.len());
    let mut slots_of_person = vec![0usize; people.len()];
    for list in &rankings.candidates {
        for &person in list {
            slots_of_person[person] += 1;
        }
    }
    let mean_of_person: Vec<f64> = rankings
        .vacancy_scores
        .iter()
        .map(|scores| {
            if scores.is_empty() {
                0.0
            } else {
                scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64
            }
        })
        .collect();
    let mut out = Vec::new();
    for dimension in Dimension::ALL {
        // group order → (label, members, slots, members in a top k, sum of person means)
        let mut groups: BTreeMap<u8, (&'static str, usize, usize, usize, f64)> = BTreeMap::new();
        for (person, facts) in people.iter().enumerate() {
            let Some((order, label)) = dimension.group_of(facts, today) else {
                continue;
            };
            let group = groups.entry(order).or_insert((label, 0, 0, 0, 0.0));
            group.1 += 1;
            group.2 += slots_of_person[person];
            group.3 += usize::from(slots_of_person[person] > 0);
            group.4 += mean_of_person[person];
        }
        let members: usize = groups.values().map(|g| g.1).sum();
        let slots: usize = groups.values().map(|g| g.2).sum();
        let rate = |g: &(&str, usize, usize, usize, f64)| g.3 as f64 / g.1 as f64;
        let mean = |g: &(&str, usize, usize, usize, f64)| g.4 / g.1 as f64;
        let best_rate = groups.values().map(rate).fold(0.0, f64::max);
        let best_mean = groups.values().map(mean).fold(0.0, f64::max);
        for (order, group) in &groups {
            let people_share = group.1 as f64 / members as f64;
            let exposure_share = if slots == 0 {
                0.0
            } else {
                group.2 as f64 / slots as f64
            };
            let ratio = |value: f64, best: f64| (best > 0.0).then(|| value / best);
            let top_k_rate_ratio = ratio(rate(group), best_rate);
            let mean_score_ratio = ratio(mean(group), best_mean);
            let below = |ratio: Option<f64>| ratio.is_some_and(|r| r < FOUR_FIFTHS);
            out.push((
                dimension,
                *order,
                group.0,
                group.1,
                GroupFigures {
                    slots: group.2,
                    exposure_share,
                    exposure_ratio: (slots > 0).then(|| exposure_share / people_share),
                    top_k_rate: rate(group),
                    top_k_rate_ratio,
                    mean_score: mean(group),
                    mean_score_ratio,
                    four_fifths_flag: below(top_k_rate_ratio) || below(mean_score_ratio),
                },
            ));
        }
    }
    out
}

/// The bias rows: every group of every dimension, on the served scores and on competences
/// only. `people[i]` is the person whose index appears in the rankings.
pub fn fairness_rows(
    people: &[GroupFacts],
    today: NaiveDate,
    served: &Rankings,
    competences_only: &Rankings,
) -> Vec<FairnessRow> {
    let served_figures = group_figures(people, today, served);
    let exact_figures = group_figures(people, today, competences_only);
    let mut members_of_dimension: BTreeMap<Dimension, usize> = BTreeMap::new();
    for (dimension, _, _, members, _) in &served_figures {
        *members_of_dimension.entry(*dimension).or_default() += members;
    }
    served_figures
        .into_iter()
        .zip(exact_figures)
        .map(|(served, exact)| {
            debug_assert_eq!((served.0, served.1), (exact.0, exact.1));
            FairnessRow {
                dimension: served.0,
                group: served.2.to_string(),
                people: served.3,
                people_share: served.3 as f64 / members_of_dimension[&served.0] as f64,
                served: served.4,
                competences_only: exact.4,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(sex: Sex, birth_year: u16, citizenship: Option<Citizenship>) -> GroupFacts {
        GroupFacts {
            sex,
            birth_year,
            citizenship,
            disability: false,
        }
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("day")
    }

    #[test]
    fn age_bands_by_year_reached() {
        assert_eq!(age_band(1997, day()).1, "meno di 30"); // 29 this year
        assert_eq!(age_band(1996, day()).1, "30-54"); // 30
        assert_eq!(age_band(1972, day()).1, "30-54"); // 54
        assert_eq!(age_band(1971, day()).1, "55 e oltre"); // 55
    }

    /// Four people, two vacancies with k = 2, worked out by hand.
    #[test]
    fn figures_of_a_hand_made_ranking() {
        let people = vec![
            person(Sex::F, 1990, Some(Citizenship::Italian)), // 0
            person(Sex::F, 1960, None),                       // 1
            person(Sex::M, 1990, Some(Citizenship::NonEu)),   // 2
            person(Sex::M, 2000, Some(Citizenship::Italian)), // 3
        ];
        // Vacancy A ranks 2, 3; vacancy B ranks 2, 0. Women hold 1 of 4 slots.
        let served = Rankings {
            candidates: vec![vec![2, 3], vec![2, 0]],
            vacancy_scores: vec![vec![0.5, 0.3], vec![], vec![0.9, 0.7], vec![0.6]],
        };
        // On competences only the two lists are 0, 1 and 2, 3.
        let exact = Rankings {
            candidates: vec![vec![0, 1], vec![2, 3]],
            vacancy_scores: vec![vec![0.4], vec![0.2], vec![0.4], vec![0.4]],
        };
        let rows = fairness_rows(&people, day(), &served, &exact);
        let row = |dimension, group: &str| {
            rows.iter()
                .find(|r| r.dimension == dimension && r.group == group)
                .unwrap_or_else(|| panic!("row {group}"))
                .clone()
        };
        let women = row(Dimension::Sex, "F");
        assert_eq!((women.people, women.served.slots), (2, 1));
        assert!((women.people_share - 0.5).abs() < 1e-12);
        assert!((women.served.exposure_share - 0.25).abs() < 1e-12);
        assert_eq!(women.served.exposure_ratio, Some(0.5));
        // Women: 1 of 2 in a top k; men: 2 of 2.
        assert_eq!(women.served.top_k_rate, 0.5);
        assert_eq!(women.served.top_k_rate_ratio, Some(0.5));
        // Means: women (0.4 + 0) / 2 = 0.2; men (0.8 + 0.6) / 2 = 0.7.
        assert!((women.served.mean_score - 0.2).abs() < 1e-6);
        assert!((women.served.mean_score_ratio.expect("ratio") - 0.2 / 0.7).abs() < 1e-6);
        assert!(women.served.four_fifths_flag);
        // On competences only women hold half the slots and everybody is in a list.
        assert_eq!(women.competences_only.exposure_ratio, Some(1.0));
        assert_eq!(women.competences_only.top_k_rate_ratio, Some(1.0));
        // Means: women 0.3, men 0.4: ratio 0.75, still flagged.
        assert!(women.competences_only.four_fifths_flag);
        let men = row(Dimension::Sex, "M");
        assert!(!men.served.four_fifths_flag);
        assert_eq!(men.served.top_k_rate_ratio, Some(1.0));
        // Citizenship leaves person 1 out: 3 people, 4 slots among them.
        let italians = row(Dimension::Citizenship, "italiana");
        assert_eq!(italians.people, 2);
        assert!((italians.people_share - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(italians.served.slots, 2);
        let non_eu = row(Dimension::Citizenship, "extra UE");
        assert_eq!(non_eu.served.slots, 2);
        assert!((non_eu.served.exposure_ratio.expect("ratio") - 1.5).abs() < 1e-12);
        assert!(
            rows.iter().all(|r| r.group != "UE"),
            "empty groups are left out"
        );
        // Age: 1960 is 66 (55+), 1990 is 36, 2000 is 26.
        assert_eq!(row(Dimension::AgeBand, "55 e oltre").served.slots, 0);
        assert_eq!(row(Dimension::AgeBand, "meno di 30").served.slots, 1);
        assert_eq!(row(Dimension::Disability, "senza disabilità").people, 4);
    }

    #[test]
    fn nothing_ranked_gives_no_ratio_and_no_flag() {
        let people = vec![person(Sex::F, 1990, None), person(Sex::M, 1990, None)];
        let empty = Rankings {
            candidates: vec![vec![]],
            vacancy_scores: vec![vec![], vec![]],
        };
        let rows = fairness_rows(&people, day(), &empty, &empty);
        for row in &rows {
            assert_eq!(row.served.exposure_ratio, None);
            assert_eq!(row.served.top_k_rate_ratio, None);
            assert!(!row.served.four_fifths_flag);
        }
    }
}
