//! SQL of the outreach area: COB notices and code tables, contacts, campaigns, call lists,
//! outcomes and funnel aggregates. Dates are stored as days since 1970-01-01.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Statement, Transaction};

use crate::model::{CodiceFiscale, Sex};
use crate::outreach::calls::{
    CallResult, Campaign, CampaignSpec, EntryRecord, Milestone, NewEntry, Operator,
};
use crate::outreach::cob::{
    code_hash, from_days, rapporto_hash, to_days, EventType, HashSet64, Notice, RecordKind,
};
use crate::outreach::codes::{CodeEntry, CodeScheme};
use crate::outreach::cohort::SelectionReport;
use crate::outreach::contacts::{Contact, PersonUpdate};
use crate::outreach::funnel::{EntryFacts, FunnelRow};
use crate::{Error, Result};

fn days(day: Option<NaiveDate>) -> Option<i64> {
    day.map(to_days)
}

fn date(value: Option<i64>) -> Option<NaiveDate> {
    value.map(from_days)
}

/// Adds or replaces one code-table entry.
pub fn upsert_code(tx: &Transaction<'_>, entry: &CodeEntry) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO cob_code(scheme, code, label, valid_from, valid_to) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(scheme, code, valid_from) DO UPDATE SET label = excluded.label, valid_to = excluded.valid_to",
    )?
    .execute(params![
        entry.scheme.as_str(),
        entry.code,
        entry.label,
        to_days(entry.valid_from),
        days(entry.valid_to)
    ])?;
    Ok(())
}

/// Every code-table entry.
pub fn load_codes(connection: &Connection) -> Result<Vec<CodeEntry>> {
    let mut statement = connection.prepare(
        "SELECT scheme, code, label, valid_from, valid_to FROM cob_code ORDER BY 1, 2, 4",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
            row.get::<_, Option<i64>>(4)?,
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (scheme, code, label, from, to) = row?;
        entries.push(CodeEntry {
            scheme: CodeScheme::parse(&scheme)?,
            code,
            label,
            valid_from: from_days(from),
            valid_to: date(to),
        });
    }
    Ok(entries)
}

/// Hashes of the stored notice codes and of the rapporti (worker, employer, start) with a
/// hiring notice.
pub(crate) fn load_notice_keys(connection: &Connection) -> Result<(HashSet64, HashSet64)> {
    let mut codes = HashSet64::default();
    let mut hires = HashSet64::default();
    let mut statement =
        connection.prepare("SELECT code, event, worker_cf, employer_cf, start FROM cob_notice")?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let code: String = row.get(0)?;
        codes.insert(code_hash(&code));
        if row.get::<_, i64>(1)? == EventType::Assunzione.as_i64() {
            let worker: String = row.get(2)?;
            let employer: String = row.get(3)?;
            hires.insert(rapporto_hash(&worker, &employer, from_days(row.get(4)?)));
        }
    }
    Ok((codes, hires))
}

/// Inserts notices through one prepared statement; a stored code is left as it is.
pub struct NoticeInserter<'t> {
    statement: Statement<'t>,
}

impl<'t> NoticeInserter<'t> {
    /// Prepares the statement.
    pub fn new(tx: &'t Transaction<'_>) -> Result<Self> {
        let statement = tx.prepare(
            "INSERT INTO cob_notice(code, previous, kind, event, sent, worker_cf, sex, birth, domicile,
                employer_cf, start, planned_end, extension_end, transformation_date, transformation,
                termination_date, termination_reason, contract_type, qualifica, sector, workplace)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
             ON CONFLICT(code) DO NOTHING",
        )?;
        Ok(NoticeInserter { statement })
    }

    /// Inserts one notice; false when its code was already stored.
    pub fn insert(&mut self, notice: &Notice) -> Result<bool> {
        let changed = self.statement.execute(params![
            notice.code,
            notice.previous,
            notice.kind.as_i64(),
            notice.event.as_i64(),
            to_days(notice.sent),
            notice.worker.as_str(),
            notice.sex.map(Sex::as_str),
            days(notice.birth),
            notice.domicile,
            notice.employer.as_str(),
            to_days(notice.start),
            days(notice.planned_end),
            days(notice.extension_end),
            days(notice.transformation_date),
            notice.transformation,
            days(notice.termination_date),
            notice.termination_reason,
            notice.contract_type,
            notice.qualifica,
            notice.sector,
            notice.workplace,
        ])?;
        Ok(changed == 1)
    }
}

/// Deletes one notice; true when it existed.
pub fn delete_notice(tx: &Transaction<'_>, code: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM cob_notice WHERE code = ?1", [code])? == 1)
}

/// Number of stored notices.
pub fn count_notices(connection: &Connection) -> Result<i64> {
    Ok(connection.query_row("SELECT count(*) FROM cob_notice", [], |row| row.get(0))?)
}

/// Every stored notice (or those of the given workers), passed to `visit` one by one.
pub fn for_each_notice(
    connection: &Connection,
    only: Option<&std::collections::HashSet<String>>,
    mut visit: impl FnMut(Notice),
) -> Result<()> {
    let mut statement = connection.prepare(
        "SELECT code, previous, kind, event, sent, worker_cf, sex, birth, domicile, employer_cf, start,
                planned_end, extension_end, transformation_date, transformation, termination_date,
                termination_reason, contract_type, qualifica, sector, workplace
         FROM cob_notice",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let worker_text = row.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?;
        if let Some(only) = only {
            if !only.contains(worker_text) {
                continue;
            }
        }
        let worker = CodiceFiscale::from_stored(worker_text.to_string());
        let employer = CodiceFiscale::from_stored(row.get(9)?);
        let kind = RecordKind::from_i64(row.get(2)?)
            .ok_or_else(|| Error::Internal("stored notice has an unknown kind".into()))?;
        let event = EventType::from_i64(row.get(3)?)
            .ok_or_else(|| Error::Internal("stored notice has an unknown event".into()))?;
        let sex = match row
            .get_ref(6)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?
        {
            Some("F") => Some(Sex::F),
            Some("M") => Some(Sex::M),
            Some(_) => return Err(Error::Internal("stored notice has an unknown sex".into())),
            None => None,
        };
        visit(Notice {
            code: row.get(0)?,
            previous: row.get(1)?,
            kind,
            event,
            sent: from_days(row.get(4)?),
            worker,
            sex,
            birth: date(row.get(7)?),
            domicile: row.get(8)?,
            employer,
            start: from_days(row.get(10)?),
            planned_end: date(row.get(11)?),
            extension_end: date(row.get(12)?),
            transformation_date: date(row.get(13)?),
            transformation: row.get(14)?,
            termination_date: date(row.get(15)?),
            termination_reason: row.get(16)?,
            contract_type: row.get(17)?,
            qualifica: row.get(18)?,
            sector: row.get(19)?,
            workplace: row.get(20)?,
        });
    }
    Ok(())
}

/// Adds or refreshes one contact.
pub fn upsert_contact(tx: &Transaction<'_>, contact: &Contact) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO outreach_contact(worker_cf, kind, value, source, observed_on) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(worker_cf, kind, value) DO UPDATE SET source = excluded.source,
             observed_on = max(observed_on, excluded.observed_on)",
    )?
    .execute(params![
        contact.worker.as_str(),
        contact.kind.as_str(),
        contact.value,
        contact.source,
        to_days(contact.observed_on)
    ])?;
    Ok(())
}

/// Sets a person's display name and/or do-not-contact flag.
pub(crate) fn update_person(tx: &Transaction<'_>, update: &PersonUpdate) -> Result<()> {
    tx.prepare_cached("INSERT INTO outreach_person(worker_cf) VALUES (?1) ON CONFLICT DO NOTHING")?
        .execute([update.worker.as_str()])?;
    if let Some(name) = &update.display_name {
        tx.prepare_cached("UPDATE outreach_person SET display_name = ?2 WHERE worker_cf = ?1")?
            .execute(params![update.worker.as_str(), name])?;
    }
    if let Some((flag, on, source)) = &update.do_not_contact {
        tx.prepare_cached(
            "UPDATE outreach_person SET do_not_contact = ?2, dnc_since = ?3, dnc_source = ?4 WHERE worker_cf = ?1",
        )?
        .execute(params![update.worker.as_str(), *flag, to_days(*on), source])?;
    }
    Ok(())
}

/// The most recently observed mobile of each person.
pub fn load_mobiles(connection: &Connection) -> Result<HashMap<String, String>> {
    let mut statement = connection.prepare(
        "SELECT worker_cf, value FROM outreach_contact WHERE kind = 'mobile' ORDER BY observed_on",
    )?;
    let mut rows = statement.query([])?;
    let mut mobiles = HashMap::new();
    while let Some(row) = rows.next()? {
        mobiles.insert(row.get(0)?, row.get(1)?);
    }
    Ok(mobiles)
}

/// People who objected to being contacted.
pub fn load_do_not_contact(connection: &Connection) -> Result<HashSet<String>> {
    let mut statement =
        connection.prepare("SELECT worker_cf FROM outreach_person WHERE do_not_contact = 1")?;
    let rows = statement.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The most recently observed mobile of one person.
pub fn mobile_of(connection: &Connection, worker: &str) -> Result<Option<String>> {
    Ok(connection
        .query_row(
            "SELECT value FROM outreach_contact WHERE worker_cf = ?1 AND kind = 'mobile'
             ORDER BY observed_on DESC LIMIT 1",
            [worker],
            |row| row.get(0),
        )
        .optional()?)
}

/// True when the person objected.
pub fn is_do_not_contact(connection: &Connection, worker: &str) -> Result<bool> {
    Ok(connection
        .query_row(
            "SELECT do_not_contact FROM outreach_person WHERE worker_cf = ?1",
            [worker],
            |row| row.get::<_, bool>(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// A person's display name.
pub fn display_name(connection: &Connection, worker: &str) -> Result<Option<String>> {
    Ok(connection
        .query_row(
            "SELECT display_name FROM outreach_person WHERE worker_cf = ?1",
            [worker],
            |row| row.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// True when the campaign exists.
pub fn campaign_exists(connection: &Connection, id: &str) -> Result<bool> {
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
    tx: &Transaction<'_>,
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
pub(crate) fn insert_entry(tx: &Transaction<'_>, campaign: &str, entry: &NewEntry) -> Result<()> {
    let record = &entry.record;
    tx.prepare_cached(
        "INSERT INTO outreach_entry(campaign_id, entry_no, worker_cf, priority, reasons_json, operator_id,
             sex, age_band, comune, last_sector, end_date) VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8, ?9, ?10)",
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
        to_days(record.end_date)
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

fn campaign_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CampaignRow> {
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
pub(crate) fn get_campaign(connection: &Connection, id: &str) -> Result<Option<Campaign>> {
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
pub(crate) fn list_campaigns(connection: &Connection) -> Result<Vec<Campaign>> {
    let mut statement = connection.prepare(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM outreach_campaign ORDER BY created_on, id"
    ))?;
    let rows = statement.query_map([], campaign_row)?;
    let mut campaigns = Vec::new();
    for row in rows {
        campaigns.push(campaign_from(row?)?);
    }
    Ok(campaigns)
}

/// The campaign's entries by number.
pub(crate) fn list_entries(connection: &Connection, campaign: &str) -> Result<Vec<EntryRecord>> {
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
pub(crate) fn entry_numbers_by_priority(
    connection: &Connection,
    campaign: &str,
) -> Result<Vec<u32>> {
    let mut statement = connection
        .prepare("SELECT entry_no FROM outreach_entry WHERE campaign_id = ?1 ORDER BY entry_no")?;
    let rows = statement.query_map([campaign], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the campaign's operators.
pub(crate) fn replace_operators(
    tx: &Transaction<'_>,
    campaign: &str,
    operators: &[Operator],
) -> Result<()> {
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
    tx: &Transaction<'_>,
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

/// An operator's daily capacity in a campaign.
pub(crate) fn operator_capacity(
    connection: &Connection,
    campaign: &str,
    operator: &str,
) -> Result<Option<u32>> {
    Ok(connection
        .query_row(
            "SELECT daily_capacity FROM outreach_operator WHERE campaign_id = ?1 AND operator_id = ?2",
            [campaign, operator],
            |row| row.get(0),
        )
        .optional()?)
}

/// One of an operator's entries with its call state.
#[derive(Debug, Clone)]
pub(crate) struct OperatorRow {
    pub entry_no: u32,
    pub worker: String,
    pub comune: Option<String>,
    pub last_sector: Option<String>,
    pub end_date: NaiveDate,
    pub attempts: u32,
    pub last_called_on: Option<NaiveDate>,
    pub last_result: Option<CallResult>,
    pub last_next_call: Option<NaiveDate>,
    pub last_note: Option<String>,
}

/// The operator's entries by priority, with attempts so far.
pub(crate) fn operator_entries(
    connection: &Connection,
    campaign: &str,
    operator: &str,
) -> Result<Vec<OperatorRow>> {
    let mut statement = connection.prepare(
        "SELECT e.entry_no, e.worker_cf, e.comune, e.last_sector, e.end_date,
                (SELECT count(*) FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no),
                (SELECT called_on FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no ORDER BY attempt_no DESC LIMIT 1),
                (SELECT result FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no ORDER BY attempt_no DESC LIMIT 1),
                (SELECT next_call_on FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no ORDER BY attempt_no DESC LIMIT 1),
                (SELECT note FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no AND a.note IS NOT NULL ORDER BY attempt_no DESC LIMIT 1)
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
    connection: &Connection,
    campaign: &str,
    entry_no: u32,
) -> Result<Option<(String, Option<String>)>> {
    Ok(connection
        .query_row(
            "SELECT worker_cf, operator_id FROM outreach_entry WHERE campaign_id = ?1 AND entry_no = ?2",
            params![campaign, entry_no],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?)
}

/// Stores a call attempt; returns its number.
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_attempt(
    tx: &Transaction<'_>,
    campaign: &str,
    entry_no: u32,
    operator: &str,
    result: CallResult,
    day: NaiveDate,
    note: Option<&str>,
    next_call: Option<NaiveDate>,
) -> Result<u32> {
    let attempt: u32 = tx.query_row(
        "SELECT coalesce(max(attempt_no), 0) + 1 FROM outreach_attempt WHERE campaign_id = ?1 AND entry_no = ?2",
        params![campaign, entry_no],
        |row| row.get(0),
    )?;
    tx.execute(
        "INSERT INTO outreach_attempt(campaign_id, entry_no, attempt_no, called_on, operator_id, result,
             note, next_call_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            campaign,
            entry_no,
            attempt,
            to_days(day),
            operator,
            result.as_str(),
            note,
            next_call.map(to_days)
        ],
    )?;
    Ok(attempt)
}

/// Sets a milestone date of an entry.
pub(crate) fn set_milestone(
    tx: &Transaction<'_>,
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

/// Called entries without a confirmed placement: `(entry, worker, first call day)`.
pub(crate) fn unconfirmed_called(
    connection: &Connection,
    campaign: &str,
) -> Result<Vec<(u32, String, NaiveDate)>> {
    let mut statement = connection.prepare(
        "SELECT e.entry_no, e.worker_cf, min(a.called_on) FROM outreach_entry e
         JOIN outreach_attempt a ON a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no
         LEFT JOIN outreach_outcome o ON o.campaign_id = e.campaign_id AND o.entry_no = e.entry_no
         WHERE e.campaign_id = ?1 AND o.placed_confirmed_on IS NULL
         GROUP BY e.entry_no, e.worker_cf",
    )?;
    let rows = statement.query_map([campaign], |row| {
        Ok((row.get(0)?, row.get(1)?, from_days(row.get(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a placement confirmed by a COB hiring notice.
pub(crate) fn confirm_placement(
    tx: &Transaction<'_>,
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
pub(crate) fn entry_facts(connection: &Connection, campaign: &str) -> Result<Vec<EntryFacts>> {
    let mut statement = connection.prepare(
        "SELECT e.operator_id, e.sex, e.age_band, e.comune,
                EXISTS (SELECT 1 FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no),
                EXISTS (SELECT 1 FROM outreach_attempt a WHERE a.campaign_id = e.campaign_id AND a.entry_no = e.entry_no AND a.result = 'answered'),
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
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Keeps the funnel aggregates of a campaign.
pub(crate) fn store_aggregates(
    tx: &Transaction<'_>,
    campaign: &str,
    rows: &[FunnelRow],
) -> Result<()> {
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
pub(crate) fn load_aggregates(connection: &Connection, campaign: &str) -> Result<Vec<FunnelRow>> {
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
        })
    })?;
    let mut list: Vec<FunnelRow> = rows.collect::<rusqlite::Result<_>>()?;
    let order = |dimension: &str| {
        crate::outreach::funnel::DIMENSIONS
            .iter()
            .position(|d| *d == dimension)
            .unwrap_or(usize::MAX)
    };
    list.sort_by(|a, b| (order(&a.dimension), &a.value).cmp(&(order(&b.dimension), &b.value)));
    Ok(list)
}

/// Deletes a campaign's call list, attempts, outcomes and operators; marks it purged.
pub(crate) fn purge_campaign(tx: &Transaction<'_>, campaign: &str, today: NaiveDate) -> Result<()> {
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
