//! Feedback on suggestions: who accepted or rejected what. Accepted suggestions become the
//! vacancy's requirements or the person's competences, in the same transaction.

use serde::Serialize;

use super::MatchKind;
use crate::model::{
    Competence, EntityId, Evidence, Level, Requirement, SkillUri, VacancyStatus, Weight,
};
use crate::records::sql as records_sql;
use crate::suggest::sql::{self as sql, FeedbackRow};
use crate::{Engine, Error, ErrorCode, Result};

/// At most this many decisions per call.
const MAX_DECISIONS: usize = 500;

/// Whose competences the decisions are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedbackTarget {
    /// A vacancy: accepted suggestions become requirements (the vacancy goes back to draft).
    Vacancy(EntityId),
    /// A job seeker: accepted suggestions become assessed competences.
    JobSeeker(EntityId),
}

impl FeedbackTarget {
    fn kind(&self) -> &'static str {
        match self {
            FeedbackTarget::Vacancy(_) => "vacancy",
            FeedbackTarget::JobSeeker(_) => "job_seeker",
        }
    }

    fn id(&self) -> &EntityId {
        match self {
            FeedbackTarget::Vacancy(id) | FeedbackTarget::JobSeeker(id) => id,
        }
    }
}

/// One decision on a suggested competence.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The suggested ESCO skill URI.
    pub skill_uri: String,
    /// Accepted (true) or rejected.
    pub accepted: bool,
    /// The level chosen by the person deciding (required when accepted).
    pub level: Option<Level>,
    /// Essential (true) or optional, as chosen. For a job seeker it is recorded with the decision
    /// only (a person's competences have no essential flag).
    pub essential: bool,
    /// How the suggestion had matched, if known (kept for quality analysis).
    pub kind: Option<MatchKind>,
    /// The suggestion's score, if known.
    pub score: Option<f32>,
}

/// What [`Engine::record_suggestion_feedback`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedbackReport {
    /// Decisions stored.
    pub recorded: usize,
    /// Of which accepted (and written as requirements or competences).
    pub accepted: usize,
    /// Of which rejected.
    pub rejected: usize,
}

/// A stored decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackRecord {
    /// The ESCO skill URI.
    pub skill_uri: String,
    /// Accepted (true) or rejected.
    pub accepted: bool,
    /// The level chosen.
    pub level: Option<u8>,
    /// The essential flag chosen.
    pub essential: bool,
    /// How the suggestion had matched, if known.
    pub match_kind: Option<String>,
    /// The suggestion's score, if known.
    pub score: Option<f32>,
    /// Who decided.
    pub decided_by: String,
    /// When (RFC 3339, UTC).
    pub decided_at: String,
}

/// **Suggestions**: validators' accept/reject decisions, kept for evaluation.
impl Engine {
    /// Stores decisions on suggested competences for a vacancy or a job seeker, with who decided.
    /// Accepted skills become the vacancy's requirements (level, essential flag and the default
    /// weight of that flag; an existing requirement of the same skill is replaced; a validated
    /// vacancy goes back to draft) or the job seeker's assessed competences.
    ///
    /// Every URI must be a skill of the imported taxonomy; nothing is stored when any decision is
    /// invalid or the target is missing (one transaction).
    pub fn record_suggestion_feedback(
        &self,
        target: &FeedbackTarget,
        decided_by: &str,
        decisions: &[Decision],
    ) -> Result<FeedbackReport> {
        let decided_by = decided_by.trim();
        if decided_by.is_empty() || decided_by.chars().count() > 200 {
            return Err(Error::invalid(
                ErrorCode::InvalidDecidedBy,
                "who decided must be 1-200 characters",
            ));
        }
        if decisions.is_empty() || decisions.len() > MAX_DECISIONS {
            return Err(Error::invalid(
                ErrorCode::InvalidDecisions,
                format!("give 1 to {MAX_DECISIONS} decisions"),
            ));
        }
        let taxonomy = self.taxonomy()?;
        let mut seen = std::collections::HashSet::new();
        let mut checked: Vec<(SkillUri, &Decision)> = Vec::with_capacity(decisions.len());
        for decision in decisions {
            let uri = SkillUri::parse(decision.skill_uri.trim())?;
            match taxonomy.skill_idx(uri.as_str()) {
                Some(skill) if !taxonomy.is_group(skill) => {}
                _ => {
                    return Err(Error::invalid(
                        ErrorCode::UnknownSkill,
                        format!("{uri} is not a skill of the imported taxonomy"),
                    ))
                }
            }
            if !seen.insert(uri.clone()) {
                return Err(Error::invalid(
                    ErrorCode::DuplicateSkill,
                    format!("skill {uri} appears twice"),
                ));
            }
            if decision.accepted && decision.level.is_none() {
                return Err(Error::invalid(
                    ErrorCode::MissingLevel,
                    format!("accepting {uri} needs a level (1-4)"),
                ));
            }
            checked.push((uri, decision));
        }
        let now = self.now();
        let decided_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let id = target.id().as_str();
        let vacancy = self.store().write(|tx| {
            for (uri, decision) in &checked {
                sql::insert_feedback(
                    tx,
                    &FeedbackRow {
                        target_kind: target.kind().to_string(),
                        target_id: id.to_string(),
                        skill_uri: uri.to_string(),
                        accepted: decision.accepted,
                        level: decision.level.filter(|_| decision.accepted).map(Level::get),
                        essential: decision.essential,
                        match_kind: decision.kind.map(|kind| kind.as_str().to_string()),
                        score: decision.score,
                        decided_by: decided_by.to_string(),
                        decided_at: decided_at.clone(),
                    },
                )?;
            }
            let accepted = checked.iter().filter(|(_, decision)| decision.accepted);
            match target {
                FeedbackTarget::Vacancy(_) => {
                    let mut vacancy = records_sql::get_vacancy(tx, id)?.ok_or_else(|| {
                        Error::not_found(ErrorCode::VacancyNotFound, "vacancy", id)
                    })?;
                    if matches!(vacancy.status, VacancyStatus::Closed) {
                        return Err(Error::conflict(
                            ErrorCode::VacancyClosed,
                            "a closed vacancy cannot change",
                        ));
                    }
                    let mut changed = false;
                    for (uri, decision) in accepted {
                        let Some(level) = decision.level else {
                            continue;
                        };
                        let requirement = Requirement {
                            skill: uri.clone(),
                            level,
                            essential: decision.essential,
                            // The optional factor is the scorer's: no extra weight here.
                            // See: issue 19 (an accepted optional suggestion was halved twice).
                            weight: Weight::NEUTRAL,
                        };
                        vacancy
                            .requirements
                            .retain(|existing| existing.skill != *uri);
                        vacancy.requirements.push(requirement);
                        changed = true;
                    }
                    if changed {
                        vacancy.status = VacancyStatus::Draft;
                        records_sql::upsert_vacancy(tx, &vacancy)?;
                        records_sql::bump_revision(
                            tx,
                            &[records_sql::Change::Vacancy(vacancy.id.to_string())],
                        )?;
                        return Ok(Some(vacancy));
                    }
                    Ok(None)
                }
                FeedbackTarget::JobSeeker(_) => {
                    let mut seeker = records_sql::get_job_seeker(tx, id)?.ok_or_else(|| {
                        Error::not_found(ErrorCode::JobSeekerNotFound, "job seeker", id)
                    })?;
                    let mut changed = false;
                    for (uri, decision) in accepted {
                        let Some(level) = decision.level else {
                            continue;
                        };
                        seeker.competences.retain(|existing| {
                            !(existing.skill == *uri && existing.evidence == Evidence::Assessed)
                        });
                        seeker.competences.push(Competence {
                            skill: uri.clone(),
                            level,
                            evidence: Evidence::Assessed,
                            since: Some(now.date_naive()),
                            note: Some("accepted suggestion".to_string()),
                        });
                        changed = true;
                    }
                    if changed {
                        records_sql::upsert_job_seeker(tx, &seeker, None)?;
                        records_sql::bump_revision(
                            tx,
                            &[records_sql::Change::JobSeeker(seeker.id.to_string())],
                        )?;
                    }
                    Ok(None)
                }
            }
        })?;
        self.match_state_after_write();
        if let Some(vacancy) = vacancy {
            self.index_vacancy_after_commit(&vacancy)?;
        }
        let accepted = checked.iter().filter(|(_, d)| d.accepted).count();
        Ok(FeedbackReport {
            recorded: checked.len(),
            accepted,
            rejected: checked.len() - accepted,
        })
    }

    /// The decisions stored for a vacancy or job seeker, oldest first.
    pub fn suggestion_feedback(&self, target: &FeedbackTarget) -> Result<Vec<FeedbackRecord>> {
        let rows = self
            .store()
            .read(|c| sql::list_feedback(c, target.kind(), target.id().as_str()))?;
        Ok(rows
            .into_iter()
            .map(|row| FeedbackRecord {
                skill_uri: row.skill_uri,
                accepted: row.accepted,
                level: row.level,
                essential: row.essential,
                match_kind: row.match_kind,
                score: row.score,
                decided_by: row.decided_by,
                decided_at: row.decided_at,
            })
            .collect())
    }
}
