//! Outreach (Cob23): COB notices → employment spells → cohort → priority → call lists →
//! outcomes → funnel, with retention.
//!
//! - [`cob`]: the COB importer (CSV / JSON lines, UniLav and regional column names, checks,
//!   idempotent by `CodiceComunicazione`, streaming);
//! - [`codes`]: versioned code tables (contract types, termination reasons, transformations);
//! - [`spells`]: rettifiche and annullamenti applied, spells per worker, work history for matching;
//! - [`summary`]: each worker's spells and compact notices kept up to date at import, read by the
//!   cohort instead of every notice;
//! - [`contacts`]: mobiles and e-mails from a non-COB source, the do-not-contact flag;
//! - [`cohort`]: the configurable selection rule, the per-rule exclusion report, priorities;
//! - [`calls`]: campaigns, fair assignment to operators, retries, the operator view, outcomes,
//!   placements confirmed by later hiring notices;
//! - [`funnel`]: the funnel by dimension, CSV and SVG, the retention purge;
//! - [`generator`]: synthetic COB files for tests and benchmarks.
//!
//! What it does NOT do: SQL (the store's `outreach` module) or scoring (priorities ask the
//! matching engine).

pub mod calls;
pub mod cob;
pub mod codes;
pub mod cohort;
pub mod contacts;
pub mod day;
pub mod funnel;
pub mod generator;
pub mod reach;
pub mod spells;
pub(crate) mod sql;
pub mod summary;
pub mod undo;

use std::collections::HashSet;

use chrono::NaiveDate;

pub use calls::{
    assign_fairly, reach, AttemptDetails, CallResult, Campaign, CampaignSpec, Milestone, Operator,
    OperatorEntry, Reach, ReachRow, RefusalUndo,
};
pub use cob::{CobFormat, CobImportOptions, CobImportReport, EventType, Notice, RecordKind};
pub use codes::{CodeEffect, CodeEntry, CodeScheme, CodeStatus, CodeTables};
pub use cohort::{select, CohortRule, SelectionReport};
pub use contacts::{ContactImportOptions, ContactImportReport};
pub use funnel::{funnel_csv, funnel_svg, funnel_svg_in, funnel_table, FunnelRow, Lang};
pub use generator::{
    generate_cob, generate_cob_with_contacts, write_truth, CobGeneratorConfig, TruthEntry,
    TruthWindow,
};
pub use spells::{CobData, Person, Spell, SpellBuilder, SpellRules, Sym};

use crate::model::{CodiceFiscale, PastJob};
use crate::{Engine, Result};

/// **Outreach (Cob23)**: campaigns over the COB notices.
impl Engine {
    /// Every worker's spells from the stored notices, as known on `as_of`.
    pub fn cob_data(&self, as_of: NaiveDate) -> Result<CobData> {
        let rules = SpellRules::from_codes(&self.cob_code_tables()?);
        let mut builder = SpellBuilder::new(false, rules);
        self.store().read(|c| {
            builder.reserve(usize::try_from(sql::count_notices(c)?).unwrap_or(0));
            sql::for_each_notice(c, None, |notice| builder.push(&notice))
        })?;
        Ok(builder.build(as_of))
    }

    /// The spells of the given workers only, with notice codes kept.
    pub fn cob_data_for(&self, workers: &HashSet<String>, as_of: NaiveDate) -> Result<CobData> {
        let rules = SpellRules::from_codes(&self.cob_code_tables()?);
        let mut builder = SpellBuilder::new(true, rules);
        self.store()
            .read(|c| sql::for_each_notice(c, Some(workers), |notice| builder.push(&notice)))?;
        Ok(builder.build(as_of))
    }

    /// A worker's COB spells as work history (`PastJob` with the CP2011 occupation), for the
    /// matching engine's competences-from-history.
    pub fn work_history_from_cob(
        &self,
        cf: &CodiceFiscale,
        as_of: NaiveDate,
    ) -> Result<Vec<PastJob>> {
        let workers = HashSet::from([cf.as_str().to_string()]);
        let data = self.cob_data_for(&workers, as_of)?;
        Ok(data
            .person(cf)
            .map(|person| data.past_jobs(person))
            .unwrap_or_default())
    }

    /// Number of stored COB notices.
    pub fn cob_notice_count(&self) -> Result<i64> {
        self.store().read(sql::count_notices)
    }

    /// Work done after each COB import: placements confirmed by new hiring notices.
    pub(crate) fn after_cob_import(&self) -> Result<u64> {
        let mut confirmed = 0;
        for campaign in self.campaigns()? {
            if campaign.purged_on.is_none() {
                confirmed += self.confirm_placements(&campaign.id)?;
            }
        }
        Ok(confirmed)
    }
}

/// **Outreach (Cob23)**: campaigns over the COB notices.
impl Engine {
    /// The demo's outreach part (called by `import_demo`): Milan's comuni, the shipped code
    /// tables, a small COB file and its contacts (`outreach_*.csv` in `dir`).
    pub(crate) fn import_outreach_demo(
        &self,
        dir: &std::path::Path,
        report: &mut crate::records::ImportReport,
        progress: &dyn crate::Progress,
    ) -> Result<()> {
        let comuni = crate::records::RecordFiles {
            comuni: Some(dir.join("outreach_comuni.csv")),
            ..crate::records::RecordFiles::default()
        };
        let comuni_report =
            self.import_records(&comuni, &crate::records::ImportOptions::default())?;
        for (kind, count) in comuni_report.imported {
            *report.imported.entry(kind).or_default() += count;
        }
        let codes = crate::records::demo_dir().join("cob_codes.csv");
        report.imported.insert(
            "cob code entries".into(),
            self.import_cob_codes(&codes)? as u64,
        );
        let cob = self.import_cob(
            &dir.join("outreach_cob.csv"),
            &CobImportOptions::default(),
            progress,
        )?;
        report
            .imported
            .insert("cob notices".into(), cob.inserted + cob.already_present);
        let contacts = self.import_contacts(
            &dir.join("outreach_contacts.csv"),
            &contacts::ContactImportOptions::default(),
        )?;
        report.imported.insert("contacts".into(), contacts.contacts);
        Ok(())
    }
}
