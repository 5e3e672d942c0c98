//! Outreach coverage by group (issue 18, point 2): of the people a campaign selected, how many
//! of each group were called, answered, taken in charge and placed, with rates, so that a
//! manager sees a group the priority order starves. By the groups of the bias report: sex and
//! age band (under 30, 30–54, 55 and over) from the campaign's funnel
//! ([`crate::outreach::funnel`], kept after the retention purge), citizenship (Italian / EU /
//! non-EU) and disability where recorded, from each entry's contact-book (SAP) record or, for a
//! registered job seeker, the register (COB notices carry neither).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Dimension, FOUR_FIFTHS};
use crate::model::Citizenship;
use crate::outreach::funnel::FunnelRow;
use crate::outreach::sql;
use crate::training::chart::{horizontal_bar_chart, BarRow};
use crate::{Engine, Error, Result};

/// The header of `copertura_contatti.csv`.
pub const COVERAGE_CSV_HEADER: [&str; 13] = [
    "dimensione",
    "gruppo",
    "selezionate",
    "chiamate",
    "risposto",
    "prese_in_carico",
    "inserite",
    "tasso_chiamate",
    "tasso_risposta",
    "tasso_presa_in_carico",
    "tasso_inserimento",
    "rapporto_tasso_chiamate",
    "segnale_quattro_quinti",
];

/// One group's outreach figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    /// `sesso`, `età`, `cittadinanza` or `disabilità`.
    pub dimension: String,
    /// The group.
    pub group: String,
    /// People the cohort put on the call list.
    pub selected: u64,
    /// Called at least once.
    pub called: u64,
    /// Answered at least once.
    pub answered: u64,
    /// Taken in charge.
    pub taken_in_charge: u64,
    /// Placed (reported by the operator or confirmed by a later COB notice, whichever is more).
    pub placed: u64,
    /// `called / selected`.
    pub called_rate: f64,
    /// `answered / called`.
    pub answer_rate: f64,
    /// `taken_in_charge / selected`.
    pub taken_rate: f64,
    /// `placed / selected`.
    pub placed_rate: f64,
    /// `called_rate` over the best group's of the dimension (`None` when nobody was called).
    pub called_rate_ratio: Option<f64>,
    /// The called rate or the placed rate is below four fifths of the best group's.
    pub four_fifths_flag: bool,
}

/// One person of a campaign's call list: the protected facts recorded for them (`None`: not
/// recorded) and the funnel steps they reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtectedEntry {
    /// Citizenship, when recorded.
    pub citizenship: Option<Citizenship>,
    /// Recognised disability, when recorded.
    pub disability: Option<bool>,
    /// Called at least once.
    pub called: bool,
    /// Answered (or refused) at least once.
    pub answered: bool,
    /// Taken in charge.
    pub taken_in_charge: bool,
    /// Placed, as reported by the operator.
    pub placed_reported: bool,
    /// Placed, confirmed by a COB hiring notice.
    pub placed_confirmed: bool,
}

/// The counts of one group, before rates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct GroupCounts {
    selected: u64,
    called: u64,
    answered: u64,
    taken_in_charge: u64,
    placed_reported: u64,
    placed_confirmed: u64,
}

impl GroupCounts {
    fn add_funnel_row(&mut self, row: &FunnelRow) {
        self.selected += row.people;
        self.called += row.called;
        self.answered += row.answered;
        self.taken_in_charge += row.taken_in_charge;
        self.placed_reported += row.placed_reported;
        self.placed_confirmed += row.placed_confirmed;
    }

    fn add_entry(&mut self, entry: &ProtectedEntry) {
        self.selected += 1;
        self.called += u64::from(entry.called);
        self.answered += u64::from(entry.answered);
        self.taken_in_charge += u64::from(entry.taken_in_charge);
        self.placed_reported += u64::from(entry.placed_reported);
        self.placed_confirmed += u64::from(entry.placed_confirmed);
    }

    /// Placed: the larger of reported and confirmed, as the funnel's manager table counts it.
    fn placed(&self) -> u64 {
        self.placed_reported.max(self.placed_confirmed)
    }
}

fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The bias report's age band of an outreach band (the call list keeps only the outreach's
/// finer bands, whose borders include 30 and 55); `None` for `unknown`.
fn report_age_band(outreach_band: &str) -> Option<(u8, &'static str)> {
    match outreach_band {
        "<30" => Some((0, "meno di 30")),
        "30-39" | "40-54" => Some((1, "30-54")),
        "55+" => Some((2, "55 e oltre")),
        _ => None,
    }
}

fn citizenship_group(citizenship: Citizenship) -> (u8, &'static str) {
    match citizenship {
        Citizenship::Italian => (0, "italiana"),
        Citizenship::Eu => (1, "UE"),
        Citizenship::NonEu => (2, "extra UE"),
    }
}

fn disability_group(disability: bool) -> (u8, &'static str) {
    if disability {
        (0, "con disabilità")
    } else {
        (1, "senza disabilità")
    }
}

/// The coverage rows of a campaign: sex and age band from its funnel rows, citizenship and
/// disability from its entries (people whose fact is not recorded are left out of that
/// dimension only), each group with rates, the ratio of its called rate to the best group's of
/// the dimension, and the four-fifths flag.
pub fn coverage_rows(funnel: &[FunnelRow], entries: &[ProtectedEntry]) -> Vec<CoverageRow> {
    let mut groups: BTreeMap<(Dimension, u8, &'static str), GroupCounts> = BTreeMap::new();
    for row in funnel {
        let group = match row.dimension.as_str() {
            "sex" => match row.value.as_str() {
                "F" => Some((Dimension::Sex, 0, "F")),
                "M" => Some((Dimension::Sex, 1, "M")),
                _ => None,
            },
            "age_band" => {
                report_age_band(&row.value).map(|(order, label)| (Dimension::AgeBand, order, label))
            }
            _ => None,
        };
        if let Some(key) = group {
            groups.entry(key).or_default().add_funnel_row(row);
        }
    }
    for entry in entries {
        if let Some(citizenship) = entry.citizenship {
            let (order, label) = citizenship_group(citizenship);
            groups
                .entry((Dimension::Citizenship, order, label))
                .or_default()
                .add_entry(entry);
        }
        if let Some(disability) = entry.disability {
            let (order, label) = disability_group(disability);
            groups
                .entry((Dimension::Disability, order, label))
                .or_default()
                .add_entry(entry);
        }
    }
    let mut out = Vec::new();
    for dimension in Dimension::ALL {
        let members: Vec<(&'static str, &GroupCounts)> = groups
            .iter()
            .filter(|((of, _, _), counts)| *of == dimension && counts.selected > 0)
            .map(|((_, _, label), counts)| (*label, counts))
            .collect();
        let best_called = members
            .iter()
            .map(|(_, counts)| rate(counts.called, counts.selected))
            .fold(0.0, f64::max);
        let best_placed = members
            .iter()
            .map(|(_, counts)| rate(counts.placed(), counts.selected))
            .fold(0.0, f64::max);
        for (label, counts) in members {
            let called_rate = rate(counts.called, counts.selected);
            let placed_rate = rate(counts.placed(), counts.selected);
            let below = |value: f64, best: f64| best > 0.0 && value / best < FOUR_FIFTHS;
            out.push(CoverageRow {
                dimension: dimension.label_it().to_string(),
                group: label.to_string(),
                selected: counts.selected,
                called: counts.called,
                answered: counts.answered,
                taken_in_charge: counts.taken_in_charge,
                placed: counts.placed(),
                called_rate,
                answer_rate: rate(counts.answered, counts.called),
                taken_rate: rate(counts.taken_in_charge, counts.selected),
                placed_rate,
                called_rate_ratio: (best_called > 0.0).then(|| called_rate / best_called),
                four_fifths_flag: below(called_rate, best_called)
                    || below(placed_rate, best_placed),
            });
        }
    }
    out
}

/// The coverage of one campaign, ready to write.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    /// The campaign.
    pub campaign: String,
    /// One row per group.
    pub rows: Vec<CoverageRow>,
}

impl CoverageReport {
    /// CSV records, header first.
    pub fn csv_records(&self) -> Vec<Vec<String>> {
        let mut records = vec![COVERAGE_CSV_HEADER.iter().map(|h| h.to_string()).collect()];
        for row in &self.rows {
            records.push(vec![
                row.dimension.clone(),
                row.group.clone(),
                row.selected.to_string(),
                row.called.to_string(),
                row.answered.to_string(),
                row.taken_in_charge.to_string(),
                row.placed.to_string(),
                format!("{:.4}", row.called_rate),
                format!("{:.4}", row.answer_rate),
                format!("{:.4}", row.taken_rate),
                format!("{:.4}", row.placed_rate),
                row.called_rate_ratio
                    .map(|r| format!("{r:.4}"))
                    .unwrap_or_default(),
                if row.four_fifths_flag { "sì" } else { "no" }.to_string(),
            ]);
        }
        records
    }

    /// A bar chart of the called, taken-in-charge and placed rates per group, in percent.
    pub fn chart(&self) -> String {
        let rows: Vec<BarRow> = self
            .rows
            .iter()
            .map(|row| BarRow {
                label: format!("{}: {} ({})", row.dimension, row.group, row.selected),
                values: vec![
                    row.called_rate * 100.0,
                    row.taken_rate * 100.0,
                    row.placed_rate * 100.0,
                ],
            })
            .collect();
        horizontal_bar_chart(
            &format!("Copertura dei contatti — campagna {}", self.campaign),
            "Quota delle persone selezionate di ogni gruppo (%)",
            &["chiamate", "prese in carico", "inserite"],
            &rows,
        )
    }

    /// Writes `copertura_contatti.csv` and `copertura_contatti.svg` into `dir`.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|source| Error::io(dir, source))?;
        let csv_path = dir.join("copertura_contatti.csv");
        let mut text = String::new();
        for record in self.csv_records() {
            let _ = writeln!(text, "{}", record.join(","));
        }
        std::fs::write(&csv_path, text).map_err(|source| Error::io(&csv_path, source))?;
        let svg_path = dir.join("copertura_contatti.svg");
        std::fs::write(&svg_path, self.chart()).map_err(|source| Error::io(&svg_path, source))?;
        Ok(vec![csv_path, svg_path])
    }
}

/// **Fairness**: coverage of groups in the data.
impl Engine {
    /// Outreach coverage of one campaign by sex, age band, citizenship and disability. Once the
    /// campaign's call lists are purged only sex and age band remain (kept in the funnel's
    /// aggregates).
    pub fn outreach_coverage(&self, campaign: &str) -> Result<CoverageReport> {
        let funnel = self.funnel(campaign)?;
        let entries = if self.campaign(campaign)?.purged_on.is_some() {
            Vec::new()
        } else {
            self.store()
                .read(|connection| sql::entry_protected_facts(connection, campaign))?
        };
        Ok(CoverageReport {
            campaign: campaign.to_string(),
            rows: coverage_rows(&funnel, &entries),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(dimension: &str, value: &str, people: u64, called: u64, placed: u64) -> FunnelRow {
        FunnelRow {
            dimension: dimension.into(),
            value: value.into(),
            people,
            called,
            answered: called / 2,
            taken_in_charge: called / 2,
            enrolled: 0,
            placed_reported: placed,
            placed_confirmed: 0,
            label: None,
        }
    }

    /// A campaign whose priority order reached few people of 55 and over: flagged. The
    /// outreach's bands 30-39 and 40-54 count together as the report's 30-54.
    #[test]
    fn a_starved_group_is_flagged() {
        let funnel = vec![
            row("campaign", "c1", 100, 60, 6),
            row("sex", "F", 100, 60, 6),
            row("age_band", "<30", 40, 30, 3),
            row("age_band", "30-39", 20, 14, 1),
            row("age_band", "40-54", 20, 12, 2),
            row("age_band", "55+", 20, 4, 0),
            row("age_band", "unknown", 3, 0, 0),
        ];
        let rows = coverage_rows(&funnel, &[]);
        assert_eq!(
            rows.len(),
            4,
            "campaign rows are not groups; unknown left out"
        );
        let over_55 = rows.iter().find(|r| r.group == "55 e oltre").expect("55+");
        assert_eq!(over_55.called_rate, 0.2);
        // 0.2 against 0.75: ratio 0.2667.
        assert!((over_55.called_rate_ratio.expect("ratio") - 0.2 / 0.75).abs() < 1e-12);
        assert!(over_55.four_fifths_flag);
        let under_30 = rows.iter().find(|r| r.group == "meno di 30").expect("<30");
        assert_eq!(under_30.called_rate_ratio, Some(1.0));
        assert!(!under_30.four_fifths_flag);
        // 30-54: 40 selected, 26 called (0.65 / 0.75 = 0.867), 3 placed (0.075 = best).
        let middle = rows.iter().find(|r| r.group == "30-54").expect("30-54");
        assert_eq!((middle.selected, middle.called, middle.placed), (40, 26, 3));
        assert!(!middle.four_fifths_flag);
        assert_eq!(rows[0].dimension, "sesso");
    }

    fn entry(
        citizenship: Option<Citizenship>,
        disability: Option<bool>,
        called: bool,
    ) -> ProtectedEntry {
        ProtectedEntry {
            citizenship,
            disability,
            called,
            answered: called,
            ..ProtectedEntry::default()
        }
    }

    /// Citizenship and disability from the entries; an unrecorded fact leaves the person out of
    /// that dimension only.
    #[test]
    fn citizenship_and_disability_count_only_recorded_facts() {
        let entries = vec![
            entry(Some(Citizenship::Italian), Some(false), true),
            entry(Some(Citizenship::Italian), Some(false), true),
            entry(Some(Citizenship::NonEu), Some(true), false),
            entry(Some(Citizenship::NonEu), None, true),
            entry(None, Some(true), false),
        ];
        let rows = coverage_rows(&[], &entries);
        let find = |group: &str| rows.iter().find(|r| r.group == group).expect(group);
        assert_eq!((find("italiana").selected, find("italiana").called), (2, 2));
        let non_eu = find("extra UE");
        assert_eq!((non_eu.selected, non_eu.called), (2, 1));
        assert_eq!(non_eu.called_rate_ratio, Some(0.5));
        assert!(non_eu.four_fifths_flag);
        assert!(
            rows.iter().all(|r| r.group != "UE"),
            "empty groups are not listed"
        );
        let with = find("con disabilità");
        assert_eq!(
            (with.dimension.as_str(), with.selected, with.called),
            ("disabilità", 2, 0)
        );
        assert_eq!(find("senza disabilità").selected, 2);
        assert_eq!(
            rows.iter()
                .map(|r| r.dimension.as_str())
                .collect::<Vec<_>>(),
            ["cittadinanza", "cittadinanza", "disabilità", "disabilità"]
        );
    }

    /// Where the facts come from: the contact book's SAP record first, else the job-seeker
    /// register by codice fiscale, else not recorded.
    #[test]
    fn protected_facts_come_from_the_contact_book_else_the_register() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        engine.import_demo(&crate::NoProgress).expect("demo");
        // JS0002 (BRTHMD67L06G480U) is non-EU in the register, but the contact book says EU;
        // JS0001 (BNCGLI94E52L833Q) is Italian, without a disability, in the register only;
        // the third person is in neither.
        let workers = ["BRTHMD67L06G480U", "BNCGLI94E52L833Q", "RSSMRA80A01H501U"];
        engine
            .store()
            .write(|tx| {
                tx.execute(
                    "INSERT INTO outreach_campaign(id, name, rule_json, created_on, retention_until,
                         max_attempts, retry_days, report_json) VALUES ('c', 'c', '{}', 0, 0, 1, 1, '{}')",
                    crate::store::db::params![],
                )?;
                for (number, worker) in workers.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO outreach_entry(campaign_id, entry_no, worker_cf, priority,
                             reasons_json, age_band, end_date) VALUES ('c', ?1, ?2, 1, '[]', '<30', 0)",
                        crate::store::db::params![number as i64 + 1, worker],
                    )?;
                }
                sql::update_person(
                    tx,
                    &crate::outreach::contacts::PersonUpdate {
                        worker: crate::model::CodiceFiscale::parse(workers[0]).expect("cf"),
                        display_name: None,
                        do_not_contact: None,
                        citizenship: Some(Citizenship::Eu),
                        disability: Some(true),
                    },
                )
            })
            .expect("entries");
        let facts = engine
            .store()
            .read(|c| sql::entry_protected_facts(c, "c"))
            .expect("facts");
        let found: Vec<(Option<Citizenship>, Option<bool>)> = facts
            .iter()
            .map(|entry| (entry.citizenship, entry.disability))
            .collect();
        assert_eq!(
            found,
            vec![
                (Some(Citizenship::Eu), Some(true)),
                (Some(Citizenship::Italian), Some(false)),
                (None, None),
            ]
        );
    }
}
