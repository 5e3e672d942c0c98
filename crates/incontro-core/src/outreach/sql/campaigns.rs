//! SQL of campaigns: call-list entries, operators, attempts and milestones, placement
//! confirmation, funnel aggregates and purge.

use super::*;

/// True when the campaign exists.
pub fn campaign_exists(connection: &Db<'_>, id: &str) -> Result<bool> {
    Ok(connection
        .query_row(
            "SELECT 1 FROM outreach_campaign WHERE id = ?1",
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|error| Error::Internal(format!("json: {error}")))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|error| Error::Internal(format!("stored json: {error}")))
}

/// Stores a new campaign.
pub(crate) fn insert_campaign(
    tx: &Db<'_>,
    spec: &CampaignSpec,
    report: &SelectionReport,
    today: NaiveDate,
) -> Result<()> {
    tx.execute(
        "INSERT INTO outreach_campaign(id, name, rule_json, created_on, retention_until, max_attempts,
             retry_days, report_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            spec.id,
            spec.name,
            json(&spec.rule)?,
            to_days(today),
            to_days(spec.retention_until),
            spec.max_attempts,
            spec.retry_days,
            json(report)?
        ],
    )?;
    Ok(())
}

/// Stores one call-list entry.
pub(crate) fn insert_entry(tx: &Db<'_>, campaign: &str, entry: &NewEntry) -> Result<()> {
    let record = &entry.record;
    tx.prepare_cached(
        "INSERT INTO outreach_entry(campaign_id, entry_no, worker_cf, priority, reasons_json, operator_id,
             sex, age_band, comune, last_sector, end_date, last_contract)
         VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        campaign,
        entry.entry_no,
        entry.worker,
        record.priority as f64,
        json(&record.reasons)?,
        record.sex,
        record.age_band,
        record.comune,
        record.last_sector,
        to_days(record.end_date),
        entry.last_contract
    ])?;
    Ok(())
}

type CampaignRow = (
    String,
    String,
    String,
    i64,
    i64,
    u32,
    u32,
    String,
    Option<i64>,
);

fn campaign_row(row: &Row<'_>) -> crate::Result<CampaignRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn campaign_from(row: CampaignRow) -> Result<Campaign> {
    let (id, name, rule, created, retention, max_attempts, retry_days, report, purged) = row;
    Ok(Campaign {
        id,
        name,
        rule: from_json(&rule)?,
        report: from_json(&report)?,
        created_on: from_days(created),
        retention_until: from_days(retention),
        max_attempts,
        retry_days,
        purged_on: date(purged),
    })
}

const CAMPAIGN_COLUMNS: &str = "id, name, rule_json, created_on, retention_until, max_attempts, retry_days, report_json, purged_on";

/// One campaign.
pub(crate) fn get_campaign(connection: &Db<'_>, id: &str) -> Result<Option<Campaign>> {
    let row = connection
        .query_row(
            &format!("SELECT {CAMPAIGN_COLUMNS} FROM outreach_campaign WHERE id = ?1"),
            [id],
            campaign_row,
        )
        .optional()?;
    row.map(campaign_from).transpose()
}

/// Every campaign.
pub(crate) fn list_campaigns(connection: &Db<'_>) -> Result<Vec<Campaign>> {
    let mut statement = connection.prepare(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM outreach_campaign ORDER BY created_on, id"
    ))?;
    let rows = statement.query_map(params![], campaign_row)?;
    let mut campaigns = Vec::new();
    for row in rows {
        campaigns.push(campaign_from(row?)?);
    }
    Ok(campaigns)
}

/// The campaign's entries by number.
pub(crate) fn list_entries(connection: &Db<'_>, campaign: &str) -> Result<Vec<EntryRecord>> {
    let mut statement = connection.prepare(
        "SELECT entry_no, priority, reasons_json, operator_id, sex, age_band, comune, last_sector, end_date
         FROM outreach_entry WHERE campaign_id = ?1 ORDER BY entry_no",
    )?;
    let mut rows = statement.query([campaign])?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next()? {
        let reasons: String = row.get(2)?;
        entries.push(EntryRecord {
            entry_no: row.get(0)?,
            priority: row.get::<_, f64>(1)? as f32,
            reasons: from_json(&reasons)?,
            operator: row.get(3)?,
            sex: row.get(4)?,
            age_band: row.get(5)?,
            comune: row.get(6)?,
            last_sector: row.get(7)?,
            end_date: from_days(row.get(8)?),
        });
    }
    Ok(entries)
}

/// Entry numbers in priority order (entry numbers are given by priority).
pub(crate) fn entry_numbers_by_priority(connection: &Db<'_>, campaign: &str) -> Result<Vec<u32>> {
    let mut statement = connection
        .prepare("SELECT entry_no FROM outreach_entry WHERE campaign_id = ?1 ORDER BY entry_no")?;
    let rows = statement.query_map([campaign], |row| row.get(0))?;
    rows.collect::<crate::Result<_>>()
}

/// Replaces the campaign's operators.
pub(crate) fn replace_operators(tx: &Db<'_>, campaign: &str, operators: &[Operator]) -> Result<()> {
    tx.execute(
        "DELETE FROM outreach_operator WHERE campaign_id = ?1",
        [campaign],
    )?;
    for operator in operators {
        tx.execute(
            "INSERT INTO outreach_operator(campaign_id, operator_id, daily_capacity) VALUES (?1, ?2, ?3)",
            params![campaign, operator.id, operator.daily_capacity],
        )?;
    }
    Ok(())
}

/// Assigns one entry.
pub(crate) fn set_entry_operator(
    tx: &Db<'_>,
    campaign: &str,
    entry_no: u32,
    operator: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE outreach_entry SET operator_id = ?3 WHERE campaign_id = ?1 AND entry_no = ?2",
    )?
    .execute(params![campaign, entry_no, operator])?;
    Ok(())
}

/// The total daily capacity of a campaign's operators (none before they are assigned).
pub(crate) fn total_capacity(connection: &Db<'_>, campaign: &str) -> Result<Option<u64>> {
    connection.query_row(
        "SELECT sum(daily_capacity) FROM outreach_operator WHERE campaign_id = ?1",
        [campaign],
        |row| row.get(0),
    )
}

/// An operator's daily capacity in a campaign.
pub(crate) fn operator_capacity(
    connection: &Db<'_>,
    campaign: &str,
    operator: &str,
) -> Result<Option<u32>> {
    connection
        .query_row(
            "SELECT daily_capacity FROM outreach_operator WHERE campaign_id = ?1 AND operator_id = ?2",
            [campaign, operator],
            |row| row.get(0),
        )
        .optional()
}

/// One of an operator's entries with its call state.
#[derive(Debug, Clone)]
pub(crate) struct OperatorRow {
    pub entry_no: u32,
    pub worker: String,
    pub comune: Option<String>,
    pub last_sector: Option<String>,
    pub last_contract: Option<String>,
    pub end_date: NaiveDate,
    pub attempts: u32,
    pub last_called_on: Option<NaiveDate>,
    pub last_result: Option<CallResult>,
    pub last_next_call: Option<NaiveDate>,
    pub last_note: Option<String>,
}

/// The operator's entries by priority, with attempts so far.
pub(crate) fn operator_entries(
    connection: &Db<'_>,
    campaign: &str,
    operator: &str,
) -> Result<Vec<OperatorRow>> {
    let mut statement = connection.prepare(
        "SELECT e.entry_no, e.worker_cf, e.comune, e.last_sector, e.end_date,
                (SELECT count(*) FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no),
                (SELECT called_on FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no ORDER BY attempt_no DESC LIMIT 1),
                (SELECT result FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no ORDER BY attempt_no DESC LIMIT 1),
                (SELECT next_call_on FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no ORDER BY attempt_no DESC LIMIT 1),
                (SELECT note FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no AND a.note IS NOT NULL ORDER BY attempt_no DESC LIMIT 1),
                e.last_contract
         FROM outreach_entry e WHERE e.campaign_id = ?1 AND e.operator_id = ?2 ORDER BY e.entry_no",
    )?;
    let mut rows = statement.query([campaign, operator])?;
    let mut list = Vec::new();
    while let Some(row) = rows.next()? {
        let last_result: Option<String> = row.get(7)?;
        list.push(OperatorRow {
            entry_no: row.get(0)?,
            worker: row.get(1)?,
            comune: row.get(2)?,
            last_sector: row.get(3)?,
            last_contract: row.get(10)?,
            end_date: from_days(row.get(4)?),
            attempts: row.get(5)?,
            last_called_on: date(row.get(6)?),
            last_result: last_result.as_deref().map(CallResult::parse).transpose()?,
            last_next_call: date(row.get(8)?),
            last_note: row.get(9)?,
        });
    }
    Ok(list)
}

/// The entry's worker and assigned operator.
pub(crate) fn entry_worker(
    connection: &Db<'_>,
    campaign: &str,
    entry_no: u32,
) -> Result<Option<(String, Option<String>)>> {
    connection
        .query_row(
            "SELECT worker_cf, operator_id FROM outreach_entry WHERE campaign_id = ?1 AND entry_no = ?2",
            params![campaign, entry_no],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
}

/// What the attempts of an entry so far say: how many, the first answered call, whether the
/// person refused, and the day of the latest attempt.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AttemptSummary {
    pub(crate) attempts: u32,
    pub(crate) first_answered: Option<NaiveDate>,
    pub(crate) refused: bool,
    pub(crate) latest: Option<NaiveDate>,
}

pub(crate) fn attempt_summary(
    connection: &Db<'_>,
    campaign: &str,
    entry_no: u32,
) -> Result<AttemptSummary> {
    connection.query_row(
        "SELECT count(*), min(CASE WHEN result = 'answered' THEN called_on END),
                coalesce(max(CASE WHEN result = 'refused' THEN 1 ELSE 0 END), 0), max(called_on)
         FROM outreach_attempt WHERE campaign_id = ?1 AND entry_no = ?2",
        params![campaign, entry_no],
        |row| {
            Ok(AttemptSummary {
                attempts: row.get(0)?,
                first_answered: row.get::<_, Option<i64>>(1)?.map(from_days),
                refused: row.get::<_, i64>(2)? != 0,
                latest: row.get::<_, Option<i64>>(3)?.map(from_days),
            })
        },
    )
}

/// Stores a call attempt; returns its number.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_attempt(
    tx: &Db<'_>,
    campaign: &str,
    entry_no: u32,
    operator: &str,
    result: CallResult,
    day: NaiveDate,
    note: Option<&str>,
    next_call: Option<NaiveDate>,
    next_call_time: Option<chrono::NaiveTime>,
) -> Result<u32> {
    let attempt: u32 = tx.query_row(
        "SELECT coalesce(max(attempt_no), 0) + 1 FROM outreach_attempt WHERE campaign_id = ?1 AND entry_no = ?2",
        params![campaign, entry_no],
        |row| row.get(0),
    )?;
    tx.execute(
        "INSERT INTO outreach_attempt(campaign_id, entry_no, attempt_no, called_on, operator_id, result,
             note, next_call_on, next_call_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            campaign,
            entry_no,
            attempt,
            to_days(day),
            operator,
            result.as_str(),
            note,
            next_call.map(to_days),
            next_call_time.map(|time| time.format("%H:%M").to_string())
        ],
    )?;
    Ok(attempt)
}

/// Sets a milestone date of an entry.
pub(crate) fn set_milestone(
    tx: &Db<'_>,
    campaign: &str,
    entry_no: u32,
    milestone: Milestone,
    day: NaiveDate,
) -> Result<()> {
    tx.execute(
        "INSERT INTO outreach_outcome(campaign_id, entry_no) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![campaign, entry_no],
    )?;
    let column = match milestone {
        Milestone::TakenInCharge => "taken_in_charge_on",
        Milestone::Enrolled => "enrolled_on",
        Milestone::Placed => "placed_reported_on",
    };
    tx.execute(
        &format!(
            "UPDATE outreach_outcome SET {column} = ?3 WHERE campaign_id = ?1 AND entry_no = ?2"
        ),
        params![campaign, entry_no, to_days(day)],
    )?;
    Ok(())
}

/// Answered entries without a confirmed placement: `(entry, worker, first answered call day)`.
pub(crate) fn unconfirmed_called(
    connection: &Db<'_>,
    campaign: &str,
) -> Result<Vec<(u32, String, NaiveDate)>> {
    let mut statement = connection.prepare(
        "SELECT e.entry_no, e.worker_cf, min(a.called_on) FROM outreach_entry e
         JOIN outreach_attempt a ON a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no
         LEFT JOIN outreach_outcome o ON o.campaign_id = e.campaign_id AND o.entry_no = e.entry_no
         WHERE e.campaign_id = ?1 AND o.placed_confirmed_on IS NULL AND a.result = 'answered'
         GROUP BY e.entry_no, e.worker_cf",
    )?;
    let rows = statement.query_map([campaign], |row| {
        Ok((row.get(0)?, row.get(1)?, from_days(row.get(2)?)))
    })?;
    rows.collect::<crate::Result<_>>()
}

/// Records a placement confirmed by a COB hiring notice.
pub(crate) fn confirm_placement(
    tx: &Db<'_>,
    campaign: &str,
    entry_no: u32,
    day: NaiveDate,
    code: &str,
    contract: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO outreach_outcome(campaign_id, entry_no) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![campaign, entry_no],
    )?;
    tx.execute(
        "UPDATE outreach_outcome SET placed_confirmed_on = ?3, confirmed_by = ?4, confirmed_contract = ?5
         WHERE campaign_id = ?1 AND entry_no = ?2",
        params![campaign, entry_no, to_days(day), code, contract],
    )?;
    Ok(())
}

/// The funnel facts of every entry.
pub(crate) fn entry_facts(connection: &Db<'_>, campaign: &str) -> Result<Vec<EntryFacts>> {
    let mut statement = connection.prepare(
        "SELECT e.operator_id, e.sex, e.age_band, e.comune,
                EXISTS (SELECT 1 FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no),
                EXISTS (SELECT 1 FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no AND a.result IN ('answered', 'refused')),
                o.taken_in_charge_on IS NOT NULL, o.enrolled_on IS NOT NULL,
                o.placed_reported_on IS NOT NULL, o.placed_confirmed_on IS NOT NULL
         FROM outreach_entry e
         LEFT JOIN outreach_outcome o ON o.campaign_id = e.campaign_id AND o.entry_no = e.entry_no
         WHERE e.campaign_id = ?1",
    )?;
    let rows = statement.query_map([campaign], |row| {
        Ok(EntryFacts {
            operator: row.get(0)?,
            sex: row.get(1)?,
            age_band: row.get(2)?,
            comune: row.get(3)?,
            called: row.get(4)?,
            answered: row.get(5)?,
            taken_in_charge: row.get(6)?,
            enrolled: row.get(7)?,
            placed_reported: row.get(8)?,
            placed_confirmed: row.get(9)?,
        })
    })?;
    rows.collect::<crate::Result<_>>()
}

/// The citizenship (`IT`, `EU`, `non_EU`) and disability of each entry of a campaign where
/// recorded — on the contact book (the SAP record), else on the job seeker with the same codice
/// fiscale — with the funnel steps it reached (issue 18, outreach coverage by group).
pub(crate) fn entry_protected_facts(
    connection: &Db<'_>,
    campaign: &str,
) -> Result<Vec<crate::fairness::ProtectedEntry>> {
    let mut statement = connection.prepare(
        "SELECT coalesce(p.citizenship, js.citizenship), coalesce(p.disability, js.disability),
                EXISTS (SELECT 1 FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no),
                EXISTS (SELECT 1 FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no AND a.result IN ('answered', 'refused')),
                o.taken_in_charge_on IS NOT NULL,
                o.placed_reported_on IS NOT NULL, o.placed_confirmed_on IS NOT NULL
         FROM outreach_entry e
         LEFT JOIN outreach_person p ON p.worker_cf = e.worker_cf
         LEFT JOIN person_pii pii ON pii.codice_fiscale = e.worker_cf
         LEFT JOIN job_seeker js ON js.id = pii.job_seeker_id
         LEFT JOIN outreach_outcome o ON o.campaign_id = e.campaign_id AND o.entry_no = e.entry_no
         WHERE e.campaign_id = ?1
         ORDER BY e.entry_no",
    )?;
    let rows = statement.query_map([campaign], |row| {
        Ok((
            row.get::<_, Option<String>>(0)?,
            crate::fairness::ProtectedEntry {
                citizenship: None,
                disability: row.get(1)?,
                called: row.get(2)?,
                answered: row.get(3)?,
                taken_in_charge: row.get(4)?,
                placed_reported: row.get(5)?,
                placed_confirmed: row.get(6)?,
            },
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (citizenship, mut entry) = row?;
        entry.citizenship = citizenship
            .map(|raw| {
                crate::model::Citizenship::parse(&raw).map_err(|_| {
                    Error::Internal(format!(
                        "stored citizenship {raw:?} is not IT, EU or non_EU"
                    ))
                })
            })
            .transpose()?;
        entries.push(entry);
    }
    Ok(entries)
}

/// Keeps the funnel aggregates of a campaign.
pub(crate) fn store_aggregates(tx: &Db<'_>, campaign: &str, rows: &[FunnelRow]) -> Result<()> {
    tx.execute(
        "DELETE FROM outreach_funnel_aggregate WHERE campaign_id = ?1",
        [campaign],
    )?;
    for row in rows {
        tx.execute(
            "INSERT INTO outreach_funnel_aggregate(campaign_id, dimension, value, people, called, answered,
                 taken_in_charge, enrolled, placed_reported, placed_confirmed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                campaign,
                row.dimension,
                row.value,
                row.people,
                row.called,
                row.answered,
                row.taken_in_charge,
                row.enrolled,
                row.placed_reported,
                row.placed_confirmed
            ],
        )?;
    }
    Ok(())
}

/// The kept aggregates of a purged campaign, in dimension order.
pub(crate) fn load_aggregates(connection: &Db<'_>, campaign: &str) -> Result<Vec<FunnelRow>> {
    let mut statement = connection.prepare(
        "SELECT dimension, value, people, called, answered, taken_in_charge, enrolled, placed_reported, placed_confirmed
         FROM outreach_funnel_aggregate WHERE campaign_id = ?1",
    )?;
    let rows = statement.query_map([campaign], |row| {
        Ok(FunnelRow {
            dimension: row.get(0)?,
            value: row.get(1)?,
            people: row.get(2)?,
            called: row.get(3)?,
            answered: row.get(4)?,
            taken_in_charge: row.get(5)?,
            enrolled: row.get(6)?,
            placed_reported: row.get(7)?,
            placed_confirmed: row.get(8)?,
            label: None,
        })
    })?;
    let mut list: Vec<FunnelRow> = rows.collect::<crate::Result<_>>()?;
    crate::outreach::funnel::sort_rows(&mut list);
    Ok(list)
}

/// Undoes the entry's `refused` attempt: moves it out of the attempts into the undo log with who
/// undid it, when and why. Returns the undone attempt's number (none when the entry has no refusal).
pub(crate) fn undo_refusal(
    tx: &Db<'_>,
    campaign: &str,
    entry_no: u32,
    undone_by: &str,
    undone_at: &str,
    reason: &str,
) -> Result<Option<u32>> {
    let refused: Option<u32> = tx
        .query_row(
            "SELECT attempt_no FROM outreach_attempt
             WHERE campaign_id = ?1 AND entry_no = ?2 AND result = 'refused'
             ORDER BY attempt_no DESC LIMIT 1",
            params![campaign, entry_no],
            |row| row.get(0),
        )
        .optional()?;
    let Some(attempt) = refused else {
        return Ok(None);
    };
    tx.execute(
        "INSERT INTO outreach_refusal_undo(campaign_id, entry_no, attempt_no, called_on, operator_id,
             undone_by, undone_at, reason)
         SELECT campaign_id, entry_no, attempt_no, called_on, operator_id, ?4, ?5, ?6
         FROM outreach_attempt WHERE campaign_id = ?1 AND entry_no = ?2 AND attempt_no = ?3",
        params![campaign, entry_no, attempt, undone_by, undone_at, reason],
    )?;
    tx.execute(
        "DELETE FROM outreach_attempt WHERE campaign_id = ?1 AND entry_no = ?2 AND attempt_no = ?3",
        params![campaign, entry_no, attempt],
    )?;
    Ok(Some(attempt))
}

/// The undone refusals of an entry: `(attempt, called on, operator, undone by, undone at, reason)`.
#[allow(clippy::type_complexity)]
pub(crate) fn refusal_undos(
    connection: &Db<'_>,
    campaign: &str,
    entry_no: u32,
) -> Result<Vec<(u32, NaiveDate, String, String, String, String)>> {
    let mut statement = connection.prepare(
        "SELECT attempt_no, called_on, operator_id, undone_by, undone_at, reason
         FROM outreach_refusal_undo WHERE campaign_id = ?1 AND entry_no = ?2 ORDER BY id",
    )?;
    let rows = statement.query_map(params![campaign, entry_no], |row| {
        Ok((
            row.get(0)?,
            from_days(row.get(1)?),
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
            row.get(5)?,
        ))
    })?;
    rows.collect::<crate::Result<_>>()
}

/// Clears the do-not-contact flag of a person when it came from `source`.
pub(crate) fn clear_do_not_contact_from(tx: &Db<'_>, worker: &str, source: &str) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE outreach_person SET do_not_contact = 0, dnc_since = NULL, dnc_source = NULL
         WHERE worker_cf = ?1 AND do_not_contact = 1 AND dnc_source = ?2",
        params![worker, source],
    )? > 0)
}

/// Deletes a campaign's call list, attempts, outcomes and operators; marks it purged.
pub(crate) fn purge_campaign(tx: &Db<'_>, campaign: &str, today: NaiveDate) -> Result<()> {
    tx.execute(
        "DELETE FROM outreach_refusal_undo WHERE campaign_id = ?1",
        [campaign],
    )?;
    tx.execute(
        "DELETE FROM outreach_attempt WHERE campaign_id = ?1",
        [campaign],
    )?;
    tx.execute(
        "DELETE FROM outreach_outcome WHERE campaign_id = ?1",
        [campaign],
    )?;
    tx.execute(
        "DELETE FROM outreach_entry WHERE campaign_id = ?1",
        [campaign],
    )?;
    tx.execute(
        "DELETE FROM outreach_operator WHERE campaign_id = ?1",
        [campaign],
    )?;
    tx.execute(
        "UPDATE outreach_campaign SET purged_on = ?2 WHERE id = ?1",
        params![campaign, to_days(today)],
    )?;
    Ok(())
}

/// Clears the "taken in charge" day of an entry; returns the day it had (none when unset).
pub(crate) fn clear_taken_in_charge(
    tx: &Db<'_>,
    campaign: &str,
    entry_no: u32,
) -> Result<Option<NaiveDate>> {
    let Some(day) = taken_in_charge_on(tx, campaign, entry_no)? else {
        return Ok(None);
    };
    tx.execute(
        "UPDATE outreach_outcome SET taken_in_charge_on = NULL WHERE campaign_id = ?1 AND entry_no = ?2",
        params![campaign, entry_no],
    )?;
    Ok(Some(day))
}

/// The "taken in charge" day of an entry, when set.
pub(crate) fn taken_in_charge_on(
    connection: &Db<'_>,
    campaign: &str,
    entry_no: u32,
) -> Result<Option<NaiveDate>> {
    let day: Option<i64> = connection
        .query_row(
            "SELECT taken_in_charge_on FROM outreach_outcome WHERE campaign_id = ?1 AND entry_no = ?2",
            params![campaign, entry_no],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    Ok(day.map(from_days))
}
