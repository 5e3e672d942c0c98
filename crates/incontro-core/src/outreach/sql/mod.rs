//! SQL of the outreach area: COB notices and code tables, contacts; campaigns, call lists,
//! outcomes and funnel aggregates are in `campaigns`. Dates are stored as days since 1970-01-01.

use std::collections::{HashMap, HashSet};

use crate::store::db::{params, Db, OptionalExtension, Param, Row};
use chrono::NaiveDate;

use crate::model::{CodiceFiscale, Sex};
use crate::outreach::calls::{
    CallResult, Campaign, CampaignSpec, EntryRecord, Milestone, NewEntry, Operator,
};
use crate::outreach::cob::{
    code_hash, from_days, rapporto_hash, to_days, EventType, HashSet64, Notice, RecordKind,
};
use crate::outreach::codes::{CodeEffect, CodeEntry, CodeScheme};
use crate::outreach::cohort::SelectionReport;
use crate::outreach::contacts::{Contact, PersonUpdate};
use crate::outreach::funnel::{EntryFacts, FunnelRow};
use crate::{Error, Result};

mod campaigns;
mod day;
pub(crate) mod summary;

pub use campaigns::*;
pub(crate) use day::*;

fn days(day: Option<NaiveDate>) -> Option<i64> {
    day.map(to_days)
}

fn date(value: Option<i64>) -> Option<NaiveDate> {
    value.map(from_days)
}

/// Adds or replaces one code-table entry.
pub fn upsert_code(tx: &Db<'_>, entry: &CodeEntry) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO cob_code(scheme, code, label, valid_from, valid_to, effect) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(scheme, code, valid_from) DO UPDATE SET label = excluded.label,
             valid_to = excluded.valid_to, effect = excluded.effect",
    )?
    .execute(params![
        entry.scheme.as_str(),
        entry.code,
        entry.label,
        to_days(entry.valid_from),
        days(entry.valid_to),
        entry.effect.map(|effect| effect.as_str())
    ])?;
    Ok(())
}

/// Every code-table entry.
pub fn load_codes(connection: &Db<'_>) -> Result<Vec<CodeEntry>> {
    let mut statement = connection.prepare(
        "SELECT scheme, code, label, valid_from, valid_to, effect FROM cob_code ORDER BY 1, 2, 4",
    )?;
    let rows = statement.query_map(params![], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
            row.get::<_, Option<i64>>(4)?,
            row.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (scheme, code, label, from, to, effect) = row?;
        let scheme = CodeScheme::parse(&scheme)?;
        // Entries stored before effects existed take the scheme's default.
        let effect = CodeEffect::parse(scheme, effect.as_deref().unwrap_or(""))
            .map_err(|message| Error::Internal(format!("stored code entry: {message}")))?;
        entries.push(CodeEntry {
            scheme,
            code,
            label,
            valid_from: from_days(from),
            valid_to: date(to),
            effect,
        });
    }
    Ok(entries)
}

/// Hashes of the stored notice codes and of the rapporti (worker, employer, start) with a
/// hiring notice.
pub(crate) fn load_notice_keys(connection: &Db<'_>) -> Result<(HashSet64, HashSet64)> {
    let mut codes = HashSet64::default();
    let mut hires = HashSet64::default();
    let mut statement =
        connection.prepare("SELECT code, event, worker_cf, employer_cf, start FROM cob_notice")?;
    let mut rows = statement.query(params![])?;
    while let Some(row) = rows.next()? {
        let code: String = row.get(0)?;
        codes.insert(code_hash(&code));
        let event = EventType::from_i64(row.get(1)?);
        if event.is_some_and(EventType::is_hiring) {
            let worker: String = row.get(2)?;
            let employer: String = row.get(3)?;
            hires.insert(rapporto_hash(&worker, &employer, from_days(row.get(4)?)));
        }
    }
    Ok((codes, hires))
}

const NOTICE_COLUMNS: [&str; 21] = [
    "code",
    "previous",
    "kind",
    "event",
    "sent",
    "worker_cf",
    "sex",
    "birth",
    "domicile",
    "employer_cf",
    "start",
    "planned_end",
    "extension_end",
    "transformation_date",
    "transformation",
    "termination_date",
    "termination_reason",
    "contract_type",
    "qualifica",
    "sector",
    "workplace",
];

/// Inserts notices in bulk ([`Db::insert_rows`]: multi-row statements on SQLite, `COPY` on
/// PostgreSQL); a stored code is left as it is.
pub struct NoticeInserter<'t, 'c> {
    tx: &'t Db<'c>,
    conflict: &'static str,
}

impl<'t, 'c> NoticeInserter<'t, 'c> {
    /// An inserter that skips the codes already stored.
    pub fn new(tx: &'t Db<'c>) -> Result<Self> {
        Ok(Self::with_conflict(tx, "ON CONFLICT(code) DO NOTHING"))
    }

    /// An inserter for a table with none of the codes to insert (a store without notices, codes
    /// checked unique by the caller): no conflict clause to evaluate per row, and a duplicate
    /// code is an error instead of being skipped.
    pub(crate) fn new_codes(tx: &'t Db<'c>) -> Result<Self> {
        Ok(Self::with_conflict(tx, ""))
    }

    fn with_conflict(tx: &'t Db<'c>, conflict: &'static str) -> Self {
        NoticeInserter { tx, conflict }
    }

    /// Inserts notices; returns how many were new (the others' codes were already stored).
    pub fn insert_all(&mut self, notices: &[Notice]) -> Result<u64> {
        let mut values = Vec::with_capacity(notices.len() * NOTICE_COLUMNS.len());
        for notice in notices {
            push_notice(&mut values, notice);
        }
        self.tx
            .insert_rows("cob_notice", &NOTICE_COLUMNS, self.conflict, &values)
    }
}

/// Appends one notice's 21 column values.
fn push_notice<'n>(values: &mut Vec<Param<'n>>, notice: &'n Notice) {
    let text = |value: &'n Option<String>| value.as_deref().map_or(Param::Null, Param::Text);
    let day = |value: Option<chrono::NaiveDate>| days(value).map_or(Param::Null, Param::Integer);
    values.extend([
        Param::Text(&notice.code),
        text(&notice.previous),
        Param::Integer(notice.kind.as_i64()),
        Param::Integer(notice.event.as_i64()),
        Param::Integer(to_days(notice.sent)),
        Param::Text(notice.worker.as_str()),
        notice.sex.map(Sex::as_str).map_or(Param::Null, Param::Text),
        day(notice.birth),
        text(&notice.domicile),
        Param::Text(notice.employer.as_str()),
        Param::Integer(to_days(notice.start)),
        day(notice.planned_end),
        day(notice.extension_end),
        day(notice.transformation_date),
        text(&notice.transformation),
        day(notice.termination_date),
        text(&notice.termination_reason),
        text(&notice.contract_type),
        text(&notice.qualifica),
        text(&notice.sector),
        text(&notice.workplace),
    ]);
}

/// Number of stored notices.
pub fn count_notices(connection: &Db<'_>) -> Result<i64> {
    connection.query_row("SELECT count(*) FROM cob_notice", params![], |row| {
        row.get(0)
    })
}

/// True when at least one notice is stored.
pub(crate) fn has_notices(connection: &Db<'_>) -> Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM cob_notice)",
        params![],
        |row| row.get(0),
    )
}

/// Every stored notice (or those of the given workers), passed to `visit` one by one.
pub fn for_each_notice(
    connection: &Db<'_>,
    only: Option<&std::collections::HashSet<String>>,
    mut visit: impl FnMut(Notice),
) -> Result<()> {
    let mut statement = connection.prepare(
        "SELECT code, previous, kind, event, sent, worker_cf, sex, birth, domicile, employer_cf, start,
                planned_end, extension_end, transformation_date, transformation, termination_date,
                termination_reason, contract_type, qualifica, sector, workplace
         FROM cob_notice",
    )?;
    let mut rows = statement.query(params![])?;
    while let Some(row) = rows.next()? {
        let worker_text = row.get_ref(5)?.as_str()?;
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
        let sex = match row.get_ref(6)?.as_str_or_null()? {
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
pub fn upsert_contact(tx: &Db<'_>, contact: &Contact) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO outreach_contact(worker_cf, kind, value, source, observed_on) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(worker_cf, kind, value) DO UPDATE SET source = excluded.source,
             observed_on = max(outreach_contact.observed_on, excluded.observed_on)",
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
pub(crate) fn update_person(tx: &Db<'_>, update: &PersonUpdate) -> Result<()> {
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
    if let Some(citizenship) = update.citizenship {
        tx.prepare_cached("UPDATE outreach_person SET citizenship = ?2 WHERE worker_cf = ?1")?
            .execute(params![update.worker.as_str(), citizenship.as_str()])?;
    }
    if let Some(disability) = update.disability {
        tx.prepare_cached("UPDATE outreach_person SET disability = ?2 WHERE worker_cf = ?1")?
            .execute(params![update.worker.as_str(), disability])?;
    }
    Ok(())
}

/// The most recently observed mobile of each person.
pub fn load_mobiles(connection: &Db<'_>) -> Result<HashMap<String, String>> {
    let mut statement = connection.prepare(
        "SELECT worker_cf, value FROM outreach_contact WHERE kind = 'mobile' ORDER BY observed_on, value",
    )?;
    let mut rows = statement.query(params![])?;
    let mut mobiles = HashMap::new();
    while let Some(row) = rows.next()? {
        mobiles.insert(row.get(0)?, row.get(1)?);
    }
    Ok(mobiles)
}

/// People who objected to being contacted.
pub fn load_do_not_contact(connection: &Db<'_>) -> Result<HashSet<String>> {
    let mut statement =
        connection.prepare("SELECT worker_cf FROM outreach_person WHERE do_not_contact = 1")?;
    let rows = statement.query_map(params![], |row| row.get(0))?;
    rows.collect::<crate::Result<_>>()
}

/// The most recently observed mobile of one person.
pub fn mobile_of(connection: &Db<'_>, worker: &str) -> Result<Option<String>> {
    connection
        .query_row(
            "SELECT value FROM outreach_contact WHERE worker_cf = ?1 AND kind = 'mobile'
             ORDER BY observed_on DESC, value DESC LIMIT 1",
            [worker],
            |row| row.get(0),
        )
        .optional()
}

/// True when the person objected.
pub fn is_do_not_contact(connection: &Db<'_>, worker: &str) -> Result<bool> {
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
pub fn display_name(connection: &Db<'_>, worker: &str) -> Result<Option<String>> {
    Ok(connection
        .query_row(
            "SELECT display_name FROM outreach_person WHERE worker_cf = ?1",
            [worker],
            |row| row.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}
