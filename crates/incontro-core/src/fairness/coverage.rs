//! Outreach coverage by group (issue 18, point 2): of the people a campaign selected, how many
//! of each group were called, answered, taken in charge and placed, with rates, so that a
//! manager sees a group the priority order starves. Built from the campaign's funnel
//! ([`crate::outreach::funnel`]), by sex and by the outreach age bands (COB data carries
//! neither citizenship nor disability).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::FOUR_FIFTHS;
use crate::outreach::funnel::FunnelRow;
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
    /// `sesso` or `età`.
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

fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The coverage rows of a funnel: its `sex` and `age_band` rows, with rates and ratios.
pub fn coverage_rows(funnel: &[FunnelRow]) -> Vec<CoverageRow> {
    let mut out = Vec::new();
    for (dimension, label) in [("sex", "sesso"), ("age_band", "età")] {
        let rows: Vec<&FunnelRow> = funnel
            .iter()
            .filter(|row| row.dimension == dimension && row.people > 0)
            .collect();
        let placed = |row: &FunnelRow| row.placed_reported.max(row.placed_confirmed);
        let best_called = rows
            .iter()
            .map(|row| rate(row.called, row.people))
            .fold(0.0, f64::max);
        let best_placed = rows
            .iter()
            .map(|row| rate(placed(row), row.people))
            .fold(0.0, f64::max);
        for row in rows {
            let called_rate = rate(row.called, row.people);
            let placed_rate = rate(placed(row), row.people);
            let below = |value: f64, best: f64| best > 0.0 && value / best < FOUR_FIFTHS;
            out.push(CoverageRow {
                dimension: label.to_string(),
                group: row.value.clone(),
                selected: row.people,
                called: row.called,
                answered: row.answered,
                taken_in_charge: row.taken_in_charge,
                placed: placed(row),
                called_rate,
                answer_rate: rate(row.answered, row.called),
                taken_rate: rate(row.taken_in_charge, row.people),
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

impl Engine {
    /// Outreach coverage by sex and age band of one campaign.
    pub fn outreach_coverage(&self, campaign: &str) -> Result<CoverageReport> {
        let funnel = self.funnel(campaign)?;
        Ok(CoverageReport {
            campaign: campaign.to_string(),
            rows: coverage_rows(&funnel),
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

    /// A campaign whose priority order reached few people of 55 and over: flagged.
    #[test]
    fn a_starved_group_is_flagged() {
        let funnel = vec![
            row("campaign", "c1", 100, 60, 6),
            row("sex", "F", 100, 60, 6),
            row("age_band", "<30", 40, 30, 3),
            row("age_band", "30-39", 40, 26, 3),
            row("age_band", "55+", 20, 4, 0),
        ];
        let rows = coverage_rows(&funnel);
        assert_eq!(rows.len(), 4, "campaign rows are not groups");
        let over_50 = rows.iter().find(|r| r.group == "55+").expect("55+");
        assert_eq!(over_50.called_rate, 0.2);
        // 0.2 against 0.75: ratio 0.2667.
        assert!((over_50.called_rate_ratio.expect("ratio") - 0.2 / 0.75).abs() < 1e-12);
        assert!(over_50.four_fifths_flag);
        let under_30 = rows.iter().find(|r| r.group == "<30").expect("<30");
        assert_eq!(under_30.called_rate_ratio, Some(1.0));
        assert!(!under_30.four_fifths_flag);
        // 30-39: called 0.65 / 0.75 = 0.867, placed 0.075 = best: not flagged.
        assert!(
            !rows
                .iter()
                .find(|r| r.group == "30-39")
                .expect("row")
                .four_fifths_flag
        );
        assert_eq!(rows[0].dimension, "sesso");
    }
}
