//! SQL of the operator's day (issue 15, point 11): attempt history, call-back times, operators.

use super::*;
use crate::outreach::day::AttemptRecord;

/// Every attempt of an entry, oldest first.
pub(crate) fn entry_attempts(
    connection: &Db<'_>,
    campaign: &str,
    entry_no: u32,
) -> Result<Vec<AttemptRecord>> {
    let mut statement = connection.prepare_cached(
        "SELECT attempt_no, called_on, operator_id, result, note, next_call_on, next_call_at
         FROM outreach_attempt WHERE campaign_id = ?1 AND entry_no = ?2 ORDER BY attempt_no",
    )?;
    let mut rows = statement.query(params![campaign, entry_no])?;
    let mut attempts = Vec::new();
    while let Some(row) = rows.next()? {
        let result: String = row.get(3)?;
        let at: Option<String> = row.get(6)?;
        attempts.push(AttemptRecord {
            attempt_no: row.get(0)?,
            called_on: from_days(row.get(1)?),
            operator: row.get(2)?,
            result: CallResult::parse(&result)?,
            note: row.get(4)?,
            next_call: date(row.get(5)?),
            next_call_time: at.and_then(|at| chrono::NaiveTime::parse_from_str(&at, "%H:%M").ok()),
        });
    }
    Ok(attempts)
}

/// The call-back time of an entry's latest attempt, if one was agreed.
pub(crate) fn latest_call_back_time(
    connection: &Db<'_>,
    campaign: &str,
    entry_no: u32,
) -> Result<Option<chrono::NaiveTime>> {
    let at: Option<Option<String>> = connection
        .prepare_cached(
            "SELECT next_call_at FROM outreach_attempt WHERE campaign_id = ?1 AND entry_no = ?2
             ORDER BY attempt_no DESC LIMIT 1",
        )?
        .query_row(params![campaign, entry_no], |row| row.get(0))
        .optional()?;
    Ok(at
        .flatten()
        .and_then(|at| chrono::NaiveTime::parse_from_str(&at, "%H:%M").ok()))
}

/// The operator ids of a campaign.
pub(crate) fn campaign_operators(connection: &Db<'_>, campaign: &str) -> Result<Vec<String>> {
    let mut statement = connection.prepare_cached(
        "SELECT operator_id FROM outreach_operator WHERE campaign_id = ?1 ORDER BY operator_id",
    )?;
    let rows = statement.query_map([campaign], |row| row.get(0))?;
    let mut operators = Vec::new();
    for row in rows {
        operators.push(row?);
    }
    Ok(operators)
}
