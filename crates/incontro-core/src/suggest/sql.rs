//! Queries of competence-suggestion feedback.

use crate::store::db::{params, Db};

use crate::Result;

/// One stored decision on a suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackRow {
    /// `vacancy` or `job_seeker`.
    pub target_kind: String,
    /// The vacancy's or job seeker's id.
    pub target_id: String,
    /// The ESCO skill URI.
    pub skill_uri: String,
    /// Accepted (true) or rejected.
    pub accepted: bool,
    /// The level chosen (accepted only).
    pub level: Option<u8>,
    /// The essential flag chosen.
    pub essential: bool,
    /// How the suggestion had matched (`exact`, `typo`, …), if known.
    pub match_kind: Option<String>,
    /// The suggestion's score, if known.
    pub score: Option<f32>,
    /// Who decided.
    pub decided_by: String,
    /// When (RFC 3339).
    pub decided_at: String,
}

/// Inserts one decision.
pub fn insert_feedback(connection: &Db<'_>, row: &FeedbackRow) -> Result<()> {
    connection
        .prepare_cached(
            "INSERT INTO suggestion_feedback
               (target_kind, target_id, skill_uri, accepted, level, essential, match_kind, score, decided_by, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            row.target_kind,
            row.target_id,
            row.skill_uri,
            row.accepted,
            row.level,
            row.essential,
            row.match_kind,
            row.score.map(f64::from),
            row.decided_by,
            row.decided_at,
        ])?;
    Ok(())
}

/// The decisions on one vacancy or job seeker, oldest first.
pub fn list_feedback(
    connection: &Db<'_>,
    target_kind: &str,
    target_id: &str,
) -> Result<Vec<FeedbackRow>> {
    let mut statement = connection.prepare_cached(
        "SELECT target_kind, target_id, skill_uri, accepted, level, essential, match_kind, score, decided_by, decided_at
         FROM suggestion_feedback WHERE target_kind = ?1 AND target_id = ?2 ORDER BY id",
    )?;
    let rows = statement.query_map(params![target_kind, target_id], |row| {
        Ok(FeedbackRow {
            target_kind: row.get(0)?,
            target_id: row.get(1)?,
            skill_uri: row.get(2)?,
            accepted: row.get(3)?,
            level: row.get(4)?,
            essential: row.get(5)?,
            match_kind: row.get(6)?,
            score: row.get::<_, Option<f64>>(7)?.map(|score| score as f32),
            decided_by: row.get(8)?,
            decided_at: row.get(9)?,
        })
    })?;
    rows.collect::<Result<Vec<_>, _>>()
}
