//! The ranking log (issue 18, point 4; EU AI Act art. 12, record-keeping): every ranking served
//! to a caller — vacancies for a person, candidates for a vacancy, the courses that open most
//! doors — is recorded with the time and day (engine clock), the caller (key id, role, office:
//! never a codice fiscale, a phone or a key's label), the channel (API or console), the data
//! revision, the request with its scoring mode and parameters, and the ids and scores returned.
//!
//! A row is one insert in the audit database, written in the audit log's group commit
//! ([`Engine::submit_audit_and_ranking`]), so logging a ranking adds no fsync of its own.
//! [`Engine::replay_ranking`] ranks again from a row and says whether the result is identical,
//! or why it cannot be reproduced (the data changed since: the revisions and what differs now).
//! [`Engine::purge_ranking_log`] deletes the rows older than the office's retention.
//!
//! What it does NOT do: keep snapshots of the data (a ranking is reproducible only while the
//! data revision it was computed on is the current one), or rank (it calls the matching).

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Principal, Role};
use crate::access::sql;
use crate::matching::{CandidateMatch, MatchQuery, VacancyMatch};
use crate::model::EntityId;
use crate::scoring::{Mode, ScoringConfig};
use crate::training::{Door, DoorsOptions};
use crate::{Engine, Error, ErrorCode, Result};

/// Where a ranking was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The HTTP API.
    Api,
    /// The staff console.
    Console,
}

impl Channel {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Api => "api",
            Channel::Console => "console",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw {
            "api" => Ok(Channel::Api),
            "console" => Ok(Channel::Console),
            other => Err(Error::invalid(
                ErrorCode::InvalidChannel,
                format!("unknown channel {other:?}; expected api or console"),
            )),
        }
    }
}

/// Which ranking was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankingKind {
    /// Open vacancies for a job seeker.
    VacanciesForPerson,
    /// Job seekers for an open vacancy.
    CandidatesForVacancy,
    /// Courses by the vacancies they open to a job seeker.
    CourseDoors,
}

impl RankingKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RankingKind::VacanciesForPerson => "vacancies_for_person",
            RankingKind::CandidatesForVacancy => "candidates_for_vacancy",
            RankingKind::CourseDoors => "course_doors",
        }
    }
}

/// A ranking request as served: its subject, every parameter, the scoring and the scope (the
/// offices whose objects the caller sees; `None`: every office). Stored as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RankingRequest {
    /// [`Engine::vacancies_for_person`].
    VacanciesForPerson {
        /// Pseudonymous job seeker id.
        person: String,
        /// Filters, paging, mode.
        query: MatchQuery,
        /// The scoring mode and its parameters.
        scoring: ScoringConfig,
        /// Offices in scope.
        scope_offices: Option<Vec<String>>,
        /// Label language.
        language: String,
    },
    /// [`Engine::candidates_for_vacancy`].
    CandidatesForVacancy {
        /// Vacancy id.
        vacancy: String,
        /// Filters, paging, mode.
        query: MatchQuery,
        /// The scoring mode and its parameters.
        scoring: ScoringConfig,
        /// Offices in scope.
        scope_offices: Option<Vec<String>>,
        /// Label language.
        language: String,
    },
    /// [`Engine::course_doors`] (score: the number of vacancies a course opens).
    CourseDoors {
        /// Pseudonymous job seeker id.
        person: String,
        /// Course availability, thresholds, k.
        options: DoorsOptions,
        /// The scoring mode and its parameters.
        scoring: ScoringConfig,
        /// Offices in scope (of the vacancies).
        scope_offices: Option<Vec<String>>,
    },
}

impl RankingRequest {
    /// Vacancies for `person` under `query` (whose scope is `scope_offices`).
    pub fn vacancies_for_person(
        person: &EntityId,
        query: &MatchQuery,
        scope_offices: Option<Vec<String>>,
        language: &str,
    ) -> Self {
        RankingRequest::VacanciesForPerson {
            person: person.as_str().to_string(),
            query: query.clone(),
            scoring: query.scoring(),
            scope_offices,
            language: language.to_string(),
        }
    }

    /// Candidates for `vacancy` under `query` (whose scope is `scope_offices`).
    pub fn candidates_for_vacancy(
        vacancy: &EntityId,
        query: &MatchQuery,
        scope_offices: Option<Vec<String>>,
        language: &str,
    ) -> Self {
        RankingRequest::CandidatesForVacancy {
            vacancy: vacancy.as_str().to_string(),
            query: query.clone(),
            scoring: query.scoring(),
            scope_offices,
            language: language.to_string(),
        }
    }

    /// Course doors for `person` under `options` (whose vacancy scope is `scope_offices`).
    pub fn course_doors(
        person: &EntityId,
        options: &DoorsOptions,
        scope_offices: Option<Vec<String>>,
    ) -> Self {
        let scoring = if options.training.exact {
            ScoringConfig::exact()
        } else {
            ScoringConfig::default()
        };
        RankingRequest::CourseDoors {
            person: person.as_str().to_string(),
            options: options.clone(),
            scoring,
            scope_offices,
        }
    }

    /// Which ranking.
    pub fn kind(&self) -> RankingKind {
        match self {
            RankingRequest::VacanciesForPerson { .. } => RankingKind::VacanciesForPerson,
            RankingRequest::CandidatesForVacancy { .. } => RankingKind::CandidatesForVacancy,
            RankingRequest::CourseDoors { .. } => RankingKind::CourseDoors,
        }
    }

    /// The person or vacancy ranked for.
    pub fn subject(&self) -> &str {
        match self {
            RankingRequest::VacanciesForPerson { person, .. }
            | RankingRequest::CourseDoors { person, .. } => person,
            RankingRequest::CandidatesForVacancy { vacancy, .. } => vacancy,
        }
    }

    /// The scoring mode and its parameters.
    pub fn scoring(&self) -> &ScoringConfig {
        match self {
            RankingRequest::VacanciesForPerson { scoring, .. }
            | RankingRequest::CandidatesForVacancy { scoring, .. }
            | RankingRequest::CourseDoors { scoring, .. } => scoring,
        }
    }

    /// `default` or `exact`.
    pub fn mode_name(&self) -> &'static str {
        match self.scoring().mode {
            Mode::Default => "default",
            Mode::Exact => "exact",
        }
    }
}

/// One id returned and its score (for course doors: the number of vacancies the course opens).
/// Stored as a two-element JSON array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "(String, f32)", into = "(String, f32)")]
pub struct RankedItem {
    /// Vacancy, job seeker (pseudonymous) or course id.
    pub id: String,
    /// The score returned.
    pub score: f32,
}

impl From<(String, f32)> for RankedItem {
    fn from((id, score): (String, f32)) -> Self {
        RankedItem { id, score }
    }
}

impl From<RankedItem> for (String, f32) {
    fn from(item: RankedItem) -> Self {
        (item.id, item.score)
    }
}

impl RankedItem {
    /// The ids and scores of ranked vacancies.
    pub fn of_vacancies(matches: &[VacancyMatch]) -> Vec<RankedItem> {
        matches
            .iter()
            .map(|found| RankedItem {
                id: found.vacancy_id.clone(),
                score: found.score,
            })
            .collect()
    }

    /// The ids and scores of ranked candidates.
    pub fn of_candidates(candidates: &[CandidateMatch]) -> Vec<RankedItem> {
        candidates
            .iter()
            .map(|found| RankedItem {
                id: found.job_seeker_id.clone(),
                score: found.score,
            })
            .collect()
    }

    /// The course ids and the number of vacancies each opens.
    pub fn of_doors(doors: &[Door]) -> Vec<RankedItem> {
        doors
            .iter()
            .map(|door| RankedItem {
                id: door.course.course_id.clone(),
                score: door.unlocks.len() as f32,
            })
            .collect()
    }
}

/// One ranking served, to append to the log.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingLogEntry {
    /// RFC 3339 UTC, stamped by the engine's clock when submitted.
    pub at: String,
    /// The engine's day (the day the matching ran on: which vacancies were open).
    pub day: NaiveDate,
    /// The caller's key id.
    pub key_id: String,
    /// The caller's role.
    pub role: Role,
    /// The caller's office (`None`: every office).
    pub office: Option<String>,
    /// API or console.
    pub channel: Channel,
    /// The data revision read before ranking.
    pub data_revision: i64,
    /// What was asked.
    pub request: RankingRequest,
    /// What was returned, in order.
    pub results: Vec<RankedItem>,
}

impl RankingLogEntry {
    /// An entry of `principal`'s ranking, on the engine's day. `data_revision` must be read
    /// ([`Engine::data_revision`]) before ranking, so that a write in between makes the entry
    /// look older, never newer, than the data it was ranked on.
    pub fn new(
        engine: &Engine,
        principal: &Principal,
        channel: Channel,
        data_revision: i64,
        request: RankingRequest,
        results: Vec<RankedItem>,
    ) -> Self {
        RankingLogEntry {
            at: super::rfc3339(engine.now()),
            day: engine.today(),
            key_id: principal.key_id.clone(),
            role: principal.role,
            office: principal.office.clone(),
            channel,
            data_revision,
            request,
            results,
        }
    }
}

/// A stored ranking log row.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingLogRecord {
    /// The log id (`incontro explain --log-id`).
    pub id: i64,
    /// The row.
    pub entry: RankingLogEntry,
}

/// What the log holds now, and what a purge removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankingLogSpan {
    /// Rows removed by this purge.
    pub purged: usize,
    /// Rows of days before this one were removed (today minus the retention).
    pub first_kept_day: NaiveDate,
    /// Rows left.
    pub rows: i64,
    /// The oldest day left.
    pub oldest_day: Option<String>,
}

/// Whether a logged ranking could be reproduced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayOutcome {
    /// Same data revision; ranked again: the same ids with the same scores, in the same order.
    Reproduced,
    /// The data changed since the ranking: it cannot be reproduced (no snapshots are kept).
    DataChanged {
        /// The revision the ranking was served on.
        logged_revision: i64,
        /// The revision now.
        current_revision: i64,
    },
    /// Same data revision, yet ranking again gives another result (the office's setup changed:
    /// the comuni of the scope's offices, or the software version).
    Differs,
}

/// The replay of a logged ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// The logged row.
    pub record: RankingLogRecord,
    /// Reproduced or why not.
    pub outcome: ReplayOutcome,
    /// The ranking computed now on the logged day with the logged parameters, or why it could
    /// not be computed (the person or the vacancy no longer exists or is closed).
    pub now: std::result::Result<Vec<RankedItem>, String>,
    /// What differs between the logged ranking and the one computed now, one line each.
    pub differences: Vec<String>,
}

/// Lines describing how `now` differs from `logged`: ids gone, ids new, moved, rescored.
pub fn ranking_differences(logged: &[RankedItem], now: &[RankedItem]) -> Vec<String> {
    let position_now: HashMap<&str, (usize, f32)> = now
        .iter()
        .enumerate()
        .map(|(index, item)| (item.id.as_str(), (index + 1, item.score)))
        .collect();
    let logged_ids: HashMap<&str, usize> = logged
        .iter()
        .enumerate()
        .map(|(index, item)| (item.id.as_str(), index + 1))
        .collect();
    let mut lines = Vec::new();
    for (index, item) in logged.iter().enumerate() {
        let rank = index + 1;
        match position_now.get(item.id.as_str()) {
            None => lines.push(format!(
                "{}: rank {rank} score {:.4} logged, not in the list now",
                item.id, item.score
            )),
            Some(&(rank_now, score_now)) => {
                if rank_now != rank || score_now.to_bits() != item.score.to_bits() {
                    lines.push(format!(
                        "{}: rank {rank} score {:.4} logged, rank {rank_now} score {score_now:.4} now",
                        item.id, item.score
                    ));
                }
            }
        }
    }
    for (index, item) in now.iter().enumerate() {
        if !logged_ids.contains_key(item.id.as_str()) {
            lines.push(format!(
                "{}: not logged, rank {} score {:.4} now",
                item.id,
                index + 1,
                item.score
            ));
        }
    }
    lines
}

/// **Oversight**: every ranking served, logged and reproducible.
impl Engine {
    /// One ranking log row; 404 `ranking_log_not_found` when there is none (never written, or
    /// purged after the retention period).
    pub fn ranking_log_entry(&self, id: i64) -> Result<RankingLogRecord> {
        self.with_audit_reader(|connection| sql::ranking_log_entry(connection, id))?
            .ok_or_else(|| {
                Error::not_found(
                    ErrorCode::RankingLogNotFound,
                    "ranking log entry (never written, or purged after the retention period)",
                    id.to_string(),
                )
            })
    }

    /// Ranks again what `request` asked, on the engine's day and the current data.
    pub fn rank_again(&self, request: &RankingRequest) -> Result<Vec<RankedItem>> {
        let scope = |offices: &Option<Vec<String>>| -> Result<_> {
            offices
                .as_deref()
                .map(|offices| self.scope_of_offices(offices))
                .transpose()
        };
        match request {
            RankingRequest::VacanciesForPerson {
                person,
                query,
                scope_offices,
                language,
                ..
            } => {
                let mut query = query.clone();
                query.scope = scope(scope_offices)?;
                let matches =
                    self.vacancies_for_person(&EntityId::parse(person)?, &query, language)?;
                Ok(RankedItem::of_vacancies(&matches))
            }
            RankingRequest::CandidatesForVacancy {
                vacancy,
                query,
                scope_offices,
                language,
                ..
            } => {
                let mut query = query.clone();
                query.scope = scope(scope_offices)?;
                let candidates =
                    self.candidates_for_vacancy(&EntityId::parse(vacancy)?, &query, language)?;
                Ok(RankedItem::of_candidates(&candidates))
            }
            RankingRequest::CourseDoors {
                person,
                options,
                scope_offices,
                ..
            } => {
                let mut options = options.clone();
                options.vacancy_scope = scope(scope_offices)?;
                let doors = self.course_doors(&EntityId::parse(person)?, &options)?;
                Ok(RankedItem::of_doors(&doors))
            }
        }
    }

    /// Reproduces logged ranking `id`: ranks again with the logged parameters and compares ids
    /// and scores. The engine's clock must be on the logged day (`incontro explain` pins it);
    /// otherwise 400 `replay_day`.
    pub fn replay_ranking(&self, id: i64) -> Result<Replay> {
        let record = self.ranking_log_entry(id)?;
        if self.today() != record.entry.day {
            return Err(Error::invalid(
                ErrorCode::ReplayDay,
                format!(
                    "ranking {id} was served on {}: replay it with the clock on that day",
                    record.entry.day
                ),
            ));
        }
        let current_revision = self.data_revision()?;
        let now = self
            .rank_again(&record.entry.request)
            .map_err(|error| error.to_string());
        let differences = match &now {
            Ok(now) => ranking_differences(&record.entry.results, now),
            Err(_) => Vec::new(),
        };
        let outcome = if current_revision != record.entry.data_revision {
            ReplayOutcome::DataChanged {
                logged_revision: record.entry.data_revision,
                current_revision,
            }
        } else if now
            .as_ref()
            .is_ok_and(|ranked| *ranked == record.entry.results)
            && differences.is_empty()
        {
            ReplayOutcome::Reproduced
        } else {
            ReplayOutcome::Differs
        };
        Ok(Replay {
            record,
            outcome,
            now,
            differences,
        })
    }

    /// Deletes the ranking log rows of days before today minus `retention_months` (the
    /// office's setting; 6 by default in the server's configuration). 400 `invalid_retention`
    /// for 0.
    pub fn purge_ranking_log(&self, retention_months: u32) -> Result<RankingLogSpan> {
        if retention_months == 0 {
            return Err(Error::invalid(
                ErrorCode::InvalidRetention,
                "the ranking log retention must be at least one month",
            ));
        }
        let first_kept_day = self
            .today()
            .checked_sub_months(Months::new(retention_months))
            .ok_or_else(|| Error::invalid(ErrorCode::InvalidRetention, "retention too long"))?;
        let cutoff = first_kept_day.to_string();
        let (purged, (rows, oldest_day, _)) = self.with_audit_writer(|connection| {
            let purged = sql::purge_ranking_log(connection, &cutoff)?;
            Ok((purged, sql::ranking_log_span(connection)?))
        })?;
        tracing::info!(purged, first_kept_day = %first_kept_day, "ranking log purged");
        Ok(RankingLogSpan {
            purged,
            first_kept_day,
            rows,
            oldest_day,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, score: f32) -> RankedItem {
        RankedItem {
            id: id.into(),
            score,
        }
    }

    #[test]
    fn results_are_stored_compactly_and_read_back_bit_for_bit() {
        let results = vec![item("V001", 0.812_345_6), item("V002", 1.0 / 3.0)];
        let json = serde_json::to_string(&results).expect("json");
        assert_eq!(json, r#"[["V001",0.8123456],["V002",0.33333334]]"#);
        let back: Vec<RankedItem> = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, results);
        assert_eq!(back[1].score.to_bits(), (1.0f32 / 3.0).to_bits());
    }

    #[test]
    fn differences_name_what_left_what_moved_and_what_is_new() {
        let logged = vec![item("V1", 0.9), item("V2", 0.8), item("V3", 0.5)];
        let now = vec![item("V2", 0.8), item("V1", 0.7), item("V4", 0.6)];
        let lines = ranking_differences(&logged, &now);
        assert_eq!(
            lines,
            vec![
                "V1: rank 1 score 0.9000 logged, rank 2 score 0.7000 now",
                "V2: rank 2 score 0.8000 logged, rank 1 score 0.8000 now",
                "V3: rank 3 score 0.5000 logged, not in the list now",
                "V4: not logged, rank 3 score 0.6000 now",
            ]
        );
        assert!(ranking_differences(&logged, &logged).is_empty());
    }
}
