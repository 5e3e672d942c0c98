//! SQL of corrected and withdrawn proposals and placements (issue 15).

use crate::store::db::{params, Db};

use crate::Result;

/// One change of a record, as kept.
pub(crate) struct Change<'a> {
    pub record_id: i64,
    pub person: &'a str,
    /// `corrected` or `withdrawn`.
    pub action: &'a str,
    /// The record before, as JSON.
    pub before: &'a str,
    pub by: &'a str,
    pub day: chrono::NaiveDate,
    pub reason: Option<&'a str>,
}

/// Keeps what a record was before a change.
pub(crate) fn insert_change(connection: &Db<'_>, change: &Change<'_>) -> Result<()> {
    connection.execute(
        "INSERT INTO placement_change (record_id, job_seeker_id, action, before, changed_by, changed_on, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            change.record_id,
            change.person,
            change.action,
            change.before,
            change.by,
            change.day.to_string(),
            change.reason
        ],
    )?;
    Ok(())
}

/// Corrects the type, courses and note of a record.
pub(crate) fn update_record(
    connection: &Db<'_>,
    record_id: i64,
    mode: &str,
    course_ids: &str,
    note: Option<&str>,
) -> Result<usize> {
    connection.execute(
        "UPDATE placement_record SET placement_type = ?2, course_ids = ?3, note = ?4 WHERE id = ?1",
        params![record_id, mode, course_ids, note],
    )
}

/// Removes a withdrawn record.
pub(crate) fn delete_record(connection: &Db<'_>, record_id: i64) -> Result<usize> {
    connection.execute(
        "DELETE FROM placement_record WHERE id = ?1",
        params![record_id],
    )
}

/// How many records of the person were withdrawn.
pub(crate) fn withdrawn_count(connection: &Db<'_>, person: &str) -> Result<u64> {
    Ok(connection.query_row(
        "SELECT COUNT(*) FROM placement_change WHERE job_seeker_id = ?1 AND action = 'withdrawn'",
        [person],
        |row| row.get::<_, i64>(0),
    )? as u64)
}
