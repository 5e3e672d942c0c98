//! The operator's working day (issue 15, point 11): every entry of their list with its state and
//! the day's progress, the full attempt history of one entry, and the admin's reassignment of an
//! entry to another operator of the campaign.

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use super::calls::CallResult;
use crate::access::{Action, AuditEntry, Outcome, Principal};
use crate::outreach::sql;
use crate::{Engine, Error, ErrorCode, Result};

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum EntryState {
    /// Never called.
    ToCall,
    /// Not reached; call again on `on` (at `at`, when agreed).
    CallBack {
        /// The day.
        on: NaiveDate,
        /// The time, when one was agreed.
        at: Option<NaiveTime>,
    },
    /// Answered: leaves the list (taken in charge next, if they accept).
    Answered,
    /// Refused to be contacted (do-not-contact).
    Refused,
    /// The number was wrong.
    WrongNumber,
    /// The campaign's maximum attempts were made.
    MaxAttempts,
    /// Flagged do-not-contact by another source.
    DoNotContact,
}

/// One entry of the operator's day.
#[derive(Debug, Clone, Serialize)]
pub struct DayEntry {
    /// Entry number.
    pub entry_no: u32,
    /// Name, when a contact source gave one.
    pub name: Option<String>,
    /// State.
    pub state: EntryState,
    /// Attempts so far.
    pub attempts: u32,
    /// Whether a call was made on the day.
    pub called_today: bool,
    /// Whether the entry is due on the day (on the call list).
    pub due: bool,
}

/// The operator's day: every entry and the progress.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorDay {
    /// The entries, by entry number.
    pub entries: Vec<DayEntry>,
    /// Entries called on the day.
    pub called_today: usize,
    /// Entries still to call on the day.
    pub still_due: usize,
}

/// One attempt of an entry's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttemptRecord {
    /// Attempt number.
    pub attempt_no: u32,
    /// The call's day.
    pub called_on: NaiveDate,
    /// Who called.
    pub operator: String,
    /// The outcome.
    pub result: CallResult,
    /// The note (personal data: never logged).
    pub note: Option<String>,
    /// The chosen next-call day.
    pub next_call: Option<NaiveDate>,
    /// The agreed call-back time.
    pub next_call_time: Option<NaiveTime>,
}

/// **Outreach (Cob23)**: an operator's day.
impl Engine {
    /// Every entry assigned to `operator` in `campaign` with its state on `day`, and the day's
    /// progress (called today, still due today within the operator's daily capacity).
    pub fn operator_day(
        &self,
        campaign: &str,
        operator: &str,
        day: NaiveDate,
    ) -> Result<OperatorDay> {
        let stored = self.campaign(campaign)?;
        let due: std::collections::HashSet<u32> = self
            .call_list(campaign, operator, day)?
            .into_iter()
            .map(|entry| entry.entry_no)
            .collect();
        let rows = self
            .store()
            .read(|c| sql::operator_entries(c, campaign, operator))?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let (do_not_contact, name, call_back_at) = self.store().read(|c| {
                Ok((
                    sql::is_do_not_contact(c, &row.worker)?,
                    sql::display_name(c, &row.worker)?,
                    sql::latest_call_back_time(c, campaign, row.entry_no)?,
                ))
            })?;
            let state = match row.last_result {
                None if do_not_contact => EntryState::DoNotContact,
                None => EntryState::ToCall,
                Some(CallResult::Answered) => EntryState::Answered,
                Some(CallResult::Refused) => EntryState::Refused,
                Some(CallResult::WrongNumber) => EntryState::WrongNumber,
                Some(_) if row.attempts >= stored.max_attempts => EntryState::MaxAttempts,
                Some(_) if do_not_contact => EntryState::DoNotContact,
                Some(_) => {
                    let last = row.last_called_on.unwrap_or(day);
                    EntryState::CallBack {
                        on: row
                            .last_next_call
                            .unwrap_or(last + chrono::Duration::days(i64::from(stored.retry_days))),
                        at: call_back_at.filter(|_| row.last_next_call.is_some()),
                    }
                }
            };
            entries.push(DayEntry {
                entry_no: row.entry_no,
                name,
                state,
                attempts: row.attempts,
                called_today: row.last_called_on == Some(day),
                due: due.contains(&row.entry_no),
            });
        }
        let called_today = entries.iter().filter(|entry| entry.called_today).count();
        let still_due = entries.iter().filter(|entry| entry.due).count();
        Ok(OperatorDay {
            entries,
            called_today,
            still_due,
        })
    }

    /// Every attempt of an entry, oldest first (refusals undone are not attempts any more).
    pub fn entry_attempts(&self, campaign: &str, entry_no: u32) -> Result<Vec<AttemptRecord>> {
        self.store()
            .read(|c| sql::entry_attempts(c, campaign, entry_no))
    }

    /// Moves an entry to another operator of the campaign (admins); audited. The attempts
    /// stay with the entry.
    pub fn reassign_entry(
        &self,
        by: &Principal,
        campaign: &str,
        entry_no: u32,
        operator: &str,
    ) -> Result<()> {
        by.authorize(Action::ReassignCalls)?;
        let stored = self.campaign(campaign)?;
        if stored.purged_on.is_some() {
            return Err(Error::conflict(
                ErrorCode::CampaignPurged,
                "the campaign's call lists were purged",
            ));
        }
        let worker = self.store().write(|tx| {
            if sql::operator_capacity(tx, campaign, operator)?.is_none() {
                return Err(Error::not_found(
                    ErrorCode::OperatorNotFound,
                    "operator",
                    operator,
                ));
            }
            let (worker, _) = sql::entry_worker(tx, campaign, entry_no)?.ok_or_else(|| {
                Error::not_found(
                    ErrorCode::EntryNotFound,
                    "call-list entry",
                    entry_no.to_string(),
                )
            })?;
            sql::set_entry_operator(tx, campaign, entry_no, operator)?;
            Ok(worker)
        })?;
        self.audit(vec![AuditEntry::now(
            by,
            "reassign_call_entry",
            Some(&crate::model::person_pseudonym(&worker)),
            Some(campaign),
            Outcome::Ok,
        )])
    }

    /// The operators of a campaign (ids).
    pub fn campaign_operators(&self, campaign: &str) -> Result<Vec<String>> {
        self.store().read(|c| sql::campaign_operators(c, campaign))
    }
}
