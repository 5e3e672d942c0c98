//! Undoing a refusal: the only way an entry closed by `refused` opens again, keeping who undid
//! it, when and why (issue 13, point 9).

use chrono::NaiveDate;
use serde::Serialize;

use super::calls::refusal_source;
use crate::outreach::sql;
use crate::{Engine, Error, ErrorCode, Result};

/// An undone refusal, as kept in the undo log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusalUndo {
    /// The entry.
    pub entry_no: u32,
    /// The refused attempt's number.
    pub attempt_no: u32,
    /// The day of the refused call.
    pub called_on: NaiveDate,
    /// The operator who recorded the refusal.
    pub operator: String,
    /// Who undid it.
    pub undone_by: String,
    /// When (UTC, RFC 3339).
    pub undone_at: String,
    /// Why.
    pub reason: String,
}

/// **Outreach (Cob23)**: audited undo of outcomes.
impl Engine {
    /// Undoes the `refused` outcome of an entry, explicitly and audited: the refused attempt
    /// leaves the entry's attempts (so the entry is open again and its attempts count without it)
    /// and is kept in the undo log with `by` (who undid it, e.g. a manager's id), the time
    /// ([`Engine::now`]) and `reason`; the person's do-not-contact flag is cleared when this
    /// campaign's refusal set it (a refusal recorded elsewhere stays). Errors: `entry_not_refused`
    /// when there is nothing to undo, `invalid_undo` without `by` or a reason.
    pub fn undo_refusal(
        &self,
        campaign: &str,
        entry_no: u32,
        by: &str,
        reason: &str,
    ) -> Result<RefusalUndo> {
        let by = by.trim();
        if by.is_empty() || by.chars().count() > 64 {
            return Err(Error::invalid(
                ErrorCode::InvalidUndo,
                "say who undoes the refusal (1-64 characters)",
            ));
        }
        let Some(reason) = crate::placements::clean_note(Some(reason))? else {
            return Err(Error::invalid(
                ErrorCode::InvalidUndo,
                "say why the refusal is undone",
            ));
        };
        let stored = self.campaign(campaign)?;
        if stored.purged_on.is_some() {
            return Err(Error::conflict(
                ErrorCode::CampaignPurged,
                "the campaign's call lists were purged",
            ));
        }
        let undone_at = self
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.store().write(|tx| {
            let (worker, _) = sql::entry_worker(tx, campaign, entry_no)?.ok_or_else(|| {
                Error::not_found(
                    ErrorCode::EntryNotFound,
                    "call-list entry",
                    entry_no.to_string(),
                )
            })?;
            if sql::undo_refusal(tx, campaign, entry_no, by, &undone_at, &reason)?.is_none() {
                return Err(Error::conflict(
                    ErrorCode::EntryNotRefused,
                    format!("entry {entry_no} has no refusal to undo"),
                ));
            }
            sql::clear_do_not_contact_from(tx, &worker, &refusal_source(campaign))?;
            let undo = sql::refusal_undos(tx, campaign, entry_no)?
                .pop()
                .ok_or_else(|| Error::Internal("undo log row missing".into()))?;
            Ok(RefusalUndo {
                entry_no,
                attempt_no: undo.0,
                called_on: undo.1,
                operator: undo.2,
                undone_by: undo.3,
                undone_at: undo.4,
                reason: undo.5,
            })
        })
    }

    /// Undoes "taken in charge" recorded by mistake (issue 15, point 7): clears the entry's day
    /// so the funnel no longer counts it, and returns the day it had. The caller audits who did
    /// it. Errors: `entry_not_taken_in_charge` when there is nothing to undo, `campaign_purged`.
    pub fn undo_taken_in_charge(&self, campaign: &str, entry_no: u32) -> Result<NaiveDate> {
        let stored = self.campaign(campaign)?;
        if stored.purged_on.is_some() {
            return Err(Error::conflict(
                ErrorCode::CampaignPurged,
                "the campaign's call lists were purged",
            ));
        }
        self.store().write(|tx| {
            if sql::entry_worker(tx, campaign, entry_no)?.is_none() {
                return Err(Error::not_found(
                    ErrorCode::EntryNotFound,
                    "call-list entry",
                    entry_no.to_string(),
                ));
            }
            sql::clear_taken_in_charge(tx, campaign, entry_no)?.ok_or_else(|| {
                Error::conflict(
                    ErrorCode::EntryNotTakenInCharge,
                    format!("entry {entry_no} was not taken in charge: nothing to undo"),
                )
            })
        })
    }

    /// The day an entry was taken in charge, when it was.
    pub fn taken_in_charge_on(&self, campaign: &str, entry_no: u32) -> Result<Option<NaiveDate>> {
        self.campaign(campaign)?;
        self.store()
            .read(|c| sql::taken_in_charge_on(c, campaign, entry_no))
    }

    /// The undone refusals of an entry, oldest first.
    pub fn refusal_undos(&self, campaign: &str, entry_no: u32) -> Result<Vec<RefusalUndo>> {
        self.campaign(campaign)?;
        let rows = self
            .store()
            .read(|c| sql::refusal_undos(c, campaign, entry_no))?;
        Ok(rows
            .into_iter()
            .map(
                |(attempt_no, called_on, operator, undone_by, undone_at, reason)| RefusalUndo {
                    entry_no,
                    attempt_no,
                    called_on,
                    operator,
                    undone_by,
                    undone_at,
                    reason,
                },
            )
            .collect())
    }
}
