//! Who the first calls of a campaign reach, by age band and sex, so a manager sees a group the
//! priority order starves before anyone is called (issue 13, point 10).

use serde::Serialize;

use super::calls::EntryRecord;
use crate::outreach::sql;
use crate::{Engine, Result};

/// How many people of one age band and sex the first calls reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReachRow {
    /// Age band (`<30`, `30-39`, `40-54`, `55+`, `unknown`).
    pub age_band: String,
    /// `F`, `M` or `(none)`.
    pub sex: String,
    /// People of the group on the call list.
    pub selected: u64,
    /// Of them, among the first calls.
    pub reached: u64,
}

/// Who the first calls of a campaign reach, by age band and sex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// How many first calls were counted.
    pub first: usize,
    /// Where that number came from: `asked`, `rule` (`first_calls`), `operator_capacity` or
    /// `whole_list` (no operators yet).
    pub basis: &'static str,
    /// One row per group, bands in their natural order, then by sex.
    pub rows: Vec<ReachRow>,
}

/// Counts, per age band and sex, the entries (in priority order) and those among the first
/// `first`.
pub fn reach(entries: &[EntryRecord], first: usize) -> Vec<ReachRow> {
    let mut groups: std::collections::BTreeMap<(usize, String), ReachRow> = Default::default();
    for (index, entry) in entries.iter().enumerate() {
        let band = super::funnel::AGE_BANDS
            .iter()
            .position(|band| *band == entry.age_band)
            .unwrap_or(super::funnel::AGE_BANDS.len());
        let sex = entry.sex.clone().unwrap_or_else(|| "(none)".into());
        let row = groups
            .entry((band, sex.clone()))
            .or_insert_with(|| ReachRow {
                age_band: entry.age_band.clone(),
                sex,
                selected: 0,
                reached: 0,
            });
        row.selected += 1;
        row.reached += u64::from(index < first);
    }
    groups.into_values().collect()
}

/// **Outreach (Cob23)**: who the first N calls reach, by age band and sex.
impl Engine {
    /// Who the first calls of a campaign reach, by age band and sex, so a manager sees a starved
    /// group before calling. The number of first calls is `first` when given, else the rule's
    /// `first_calls`, else the campaign's total daily operator capacity, else the whole list.
    pub fn campaign_reach(&self, campaign: &str, first: Option<usize>) -> Result<Reach> {
        let stored = self.campaign(campaign)?;
        let entries = self.store().read(|c| sql::list_entries(c, campaign))?;
        let capacity = self.store().read(|c| sql::total_capacity(c, campaign))?;
        let (first, basis) = match (first, stored.rule.first_calls, capacity) {
            (Some(first), _, _) => (first, "asked"),
            (None, Some(first), _) => (first as usize, "rule"),
            (None, None, Some(capacity)) => (capacity as usize, "operator_capacity"),
            (None, None, None) => (entries.len(), "whole_list"),
        };
        Ok(Reach {
            first,
            basis,
            rows: reach(&entries, first),
        })
    }
}
