//! SQL of the per-worker COB summaries (`cob_person`, `cob_dict`, `cob_summary_state`); the
//! blobs are encoded and decoded by `outreach::summary`.

use crate::store::db::{params, Db, OptionalExtension, Param};

use crate::{Error, Result};

/// The stored dictionary's strings, in number order (number 1 first).
pub(crate) fn load_dict(connection: &Db<'_>) -> Result<Vec<String>> {
    let mut statement = connection.prepare("SELECT id, text FROM cob_dict ORDER BY id")?;
    let mut rows = statement.query(params![])?;
    let mut texts = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if id != texts.len() as i64 + 1 {
            return Err(Error::Internal(format!(
                "the COB dictionary skips from {} to {id}",
                texts.len()
            )));
        }
        texts.push(row.get(1)?);
    }
    Ok(texts)
}

/// Adds one dictionary entry.
pub(crate) fn insert_dict<'a>(
    tx: &Db<'_>,
    entries: impl IntoIterator<Item = (u32, &'a str)>,
) -> Result<()> {
    let mut values = Vec::new();
    for (id, text) in entries {
        values.extend([Param::Integer(i64::from(id)), Param::Text(text)]);
    }
    tx.insert_rows("cob_dict", &["id", "text"], "", &values)?;
    Ok(())
}

/// The meaning of the codes the summaries were built with (None: not built).
pub(crate) fn summary_state(connection: &Db<'_>) -> Result<Option<String>> {
    connection
        .query_row(
            "SELECT rules FROM cob_summary_state WHERE id = 1",
            params![],
            |row| row.get(0),
        )
        .optional()
}

/// Records the meaning of the codes the summaries are built with.
pub(crate) fn set_summary_state(tx: &Db<'_>, rules: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO cob_summary_state(id, rules) VALUES (1, ?1)
         ON CONFLICT(id) DO UPDATE SET rules = excluded.rules",
        [rules],
    )?;
    Ok(())
}

/// Drops every summary and the dictionary (before a rebuild).
pub(crate) fn clear_summaries(tx: &Db<'_>) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM cob_person; DELETE FROM cob_dict; DELETE FROM cob_summary_state;",
    )?;
    Ok(())
}

/// True when at least one worker has a summary.
pub(crate) fn has_summaries(connection: &Db<'_>) -> Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM cob_person)",
        params![],
        |row| row.get(0),
    )
}

/// A worker's stored compact notices.
pub(crate) fn stored_history(tx: &Db<'_>, worker: &str) -> Result<Option<Vec<u8>>> {
    tx.prepare_cached("SELECT history FROM cob_person WHERE worker_cf = ?1")?
        .query_row([worker], |row| row.get(0))
        .optional()
}

/// One worker's row.
pub(crate) struct PersonRow<'a> {
    pub(crate) worker: &'a str,
    pub(crate) first_sent: i64,
    pub(crate) last_sent: i64,
    pub(crate) summary: &'a [u8],
    pub(crate) history: &'a [u8],
}

/// Writes worker rows in bulk (a stored row is replaced); no two rows may share a worker.
pub(crate) fn write_persons(tx: &Db<'_>, rows: &[PersonRow<'_>]) -> Result<()> {
    let mut values = Vec::with_capacity(rows.len() * 5);
    for row in rows {
        values.extend([
            Param::Text(row.worker),
            Param::Integer(row.first_sent),
            Param::Integer(row.last_sent),
            Param::Blob(row.summary),
            Param::Blob(row.history),
        ]);
    }
    tx.insert_rows(
        "cob_person",
        &["worker_cf", "first_sent", "last_sent", "summary", "history"],
        "ON CONFLICT (worker_cf) DO UPDATE SET first_sent = excluded.first_sent, \
         last_sent = excluded.last_sent, summary = excluded.summary, history = excluded.history",
        &values,
    )?;
    Ok(())
}

/// Every worker's row with a first notice sent on or before `sent_by` (a day number), in
/// codice fiscale order, passed to `visit` one by one.
pub(crate) fn for_each_person(
    connection: &Db<'_>,
    sent_by: i64,
    mut visit: impl FnMut(PersonRow<'_>) -> Result<()>,
) -> Result<()> {
    let mut statement = connection.prepare(
        "SELECT worker_cf, first_sent, last_sent, summary, history FROM cob_person
         WHERE first_sent <= ?1",
    )?;
    let mut rows = statement.query([sent_by])?;
    while let Some(row) = rows.next()? {
        let text = |index: usize| -> Result<&str> { row.get_ref(index)?.as_str() };
        let blob = |index: usize| -> Result<&[u8]> { row.get_ref(index)?.as_blob() };
        visit(PersonRow {
            worker: text(0)?,
            first_sent: row.get(1)?,
            last_sent: row.get(2)?,
            summary: blob(3)?,
            history: blob(4)?,
        })?;
    }
    Ok(())
}

/// The most recently observed mobile of each of `workers` (one prepared query each).
pub(crate) fn mobiles_of<'w>(
    connection: &Db<'_>,
    workers: impl IntoIterator<Item = &'w str>,
) -> Result<Vec<Option<String>>> {
    let mut statement = connection.prepare_cached(
        "SELECT value FROM outreach_contact WHERE worker_cf = ?1 AND kind = 'mobile'
         ORDER BY observed_on DESC, value DESC LIMIT 1",
    )?;
    let mut found = Vec::new();
    for worker in workers {
        found.push(statement.query_row([worker], |row| row.get(0)).optional()?);
    }
    Ok(found)
}
