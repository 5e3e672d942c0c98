//! The funnel: called → answered → taken in charge → placed (reported / confirmed by COB), by
//! campaign, operator, sex, age band and comune; CSV and SVG; retention purge that keeps only
//! these aggregates.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::store::outreach as sql;
use crate::{Engine, Error, Result};

/// The dimensions of the funnel.
pub const DIMENSIONS: [&str; 5] = ["campaign", "operator", "sex", "age_band", "comune"];

/// One row of the funnel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FunnelRow {
    /// `campaign`, `operator`, `sex`, `age_band` or `comune`.
    pub dimension: String,
    /// The value (campaign id, operator id, `F`, `50+`, comune code …).
    pub value: String,
    /// People on the call list.
    pub people: u64,
    /// Called at least once.
    pub called: u64,
    /// Answered at least once.
    pub answered: u64,
    /// Accepted to be taken in charge.
    pub taken_in_charge: u64,
    /// Enrolled in a course.
    pub enrolled: u64,
    /// Placed, as reported by the operator.
    pub placed_reported: u64,
    /// Placed, confirmed by a later COB hiring notice.
    pub placed_confirmed: u64,
}

/// The facts of one entry the funnel counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct EntryFacts {
    pub operator: Option<String>,
    pub sex: Option<String>,
    pub age_band: String,
    pub comune: Option<String>,
    pub called: bool,
    pub answered: bool,
    pub taken_in_charge: bool,
    pub enrolled: bool,
    pub placed_reported: bool,
    pub placed_confirmed: bool,
}

/// Aggregates entries by every dimension.
pub(crate) fn aggregate(campaign: &str, entries: &[EntryFacts]) -> Vec<FunnelRow> {
    let mut rows: BTreeMap<(usize, String), FunnelRow> = BTreeMap::new();
    let none = "(none)".to_string();
    for entry in entries {
        let values = [
            campaign.to_string(),
            entry.operator.clone().unwrap_or_else(|| none.clone()),
            entry.sex.clone().unwrap_or_else(|| none.clone()),
            entry.age_band.clone(),
            entry.comune.clone().unwrap_or_else(|| none.clone()),
        ];
        for (dimension, value) in values.into_iter().enumerate() {
            let row = rows
                .entry((dimension, value.clone()))
                .or_insert_with(|| FunnelRow {
                    dimension: DIMENSIONS[dimension].to_string(),
                    value,
                    ..FunnelRow::default()
                });
            row.people += 1;
            row.called += u64::from(entry.called);
            row.answered += u64::from(entry.answered);
            row.taken_in_charge += u64::from(entry.taken_in_charge);
            row.enrolled += u64::from(entry.enrolled);
            row.placed_reported += u64::from(entry.placed_reported);
            row.placed_confirmed += u64::from(entry.placed_confirmed);
        }
    }
    rows.into_values().collect()
}

/// The funnel as CSV.
pub fn funnel_csv(rows: &[FunnelRow]) -> String {
    let mut out = String::from(
        "dimension,value,people,called,answered,taken_in_charge,enrolled,placed_reported,placed_confirmed\n",
    );
    for row in rows {
        let value = if row.value.contains([',', '"']) {
            format!("\"{}\"", row.value.replace('"', "\"\""))
        } else {
            row.value.clone()
        };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            row.dimension,
            value,
            row.people,
            row.called,
            row.answered,
            row.taken_in_charge,
            row.enrolled,
            row.placed_reported,
            row.placed_confirmed
        );
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A funnel step: label, colour, count.
type Step = (&'static str, &'static str, fn(&FunnelRow) -> u64);

/// The funnel of one dimension as an SVG chart: one group of horizontal bars per value, one bar
/// per step, with counts and the share of people called.
pub fn funnel_svg(rows: &[FunnelRow], dimension: &str, title: &str) -> String {
    let steps: [Step; 5] = [
        ("called", "#1f4e79", |r| r.called),
        ("answered", "#2e75b6", |r| r.answered),
        ("taken in charge", "#70ad47", |r| r.taken_in_charge),
        ("placed (reported)", "#ffc000", |r| r.placed_reported),
        ("placed (confirmed)", "#c55a11", |r| r.placed_confirmed),
    ];
    let selected: Vec<&FunnelRow> = rows.iter().filter(|r| r.dimension == dimension).collect();
    let max = selected.iter().map(|r| r.called.max(1)).max().unwrap_or(1) as f64;
    let bar_height = 16.0;
    let group_height = bar_height * steps.len() as f64 + 18.0;
    let left = 170.0;
    let width = 760.0;
    let plot = width - left - 120.0;
    let height = 70.0 + group_height * selected.len() as f64 + 30.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="10" y="22" font-size="16" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for (index, (label, colour, _)) in steps.iter().enumerate() {
        let x = 10.0 + index as f64 * 148.0;
        let _ = writeln!(
            svg,
            r#"<rect x="{x}" y="34" width="12" height="12" fill="{colour}"/><text x="{}" y="45">{label}</text>"#,
            x + 16.0
        );
    }
    for (group, row) in selected.iter().enumerate() {
        let top = 64.0 + group as f64 * group_height;
        let _ = writeln!(
            svg,
            r#"<text x="10" y="{}" font-weight="bold">{} ({} people)</text>"#,
            top + 12.0,
            escape(&row.value),
            row.people
        );
        for (step, (_, colour, value)) in steps.iter().enumerate() {
            let count = value(row);
            let y = top + 16.0 + step as f64 * bar_height;
            let bar = plot * count as f64 / max;
            let share = if row.called > 0 {
                format!(" ({:.0}%)", 100.0 * count as f64 / row.called as f64)
            } else {
                String::new()
            };
            let _ = writeln!(
                svg,
                r#"<rect x="{left}" y="{y}" width="{bar:.1}" height="{}" fill="{colour}"/><text x="{:.1}" y="{:.1}">{count}{share}</text>"#,
                bar_height - 3.0,
                left + bar + 4.0,
                y + bar_height - 5.0
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

impl Engine {
    /// The funnel of a campaign by every dimension (from the kept aggregates once purged).
    /// Placements are first confirmed against the stored COB notices.
    pub fn funnel(&self, campaign: &str) -> Result<Vec<FunnelRow>> {
        let stored = self.campaign(campaign)?;
        if stored.purged_on.is_some() {
            return self.store().read(|c| sql::load_aggregates(c, campaign));
        }
        self.confirm_placements(campaign)?;
        let entries = self.store().read(|c| sql::entry_facts(c, campaign))?;
        Ok(aggregate(campaign, &entries))
    }

    /// Purges the call lists, attempts and outcomes of every campaign whose retention date is
    /// before `today`, keeping the funnel aggregates. Returns the purged campaigns.
    pub fn purge_outreach(&self, today: NaiveDate) -> Result<Vec<String>> {
        let mut purged = Vec::new();
        for campaign in self.campaigns()? {
            if campaign.purged_on.is_some() || campaign.retention_until >= today {
                continue;
            }
            let rows = self.funnel(&campaign.id)?;
            self.store().write(|tx| {
                sql::store_aggregates(tx, &campaign.id, &rows)?;
                sql::purge_campaign(tx, &campaign.id, today)
            })?;
            purged.push(campaign.id);
        }
        Ok(purged)
    }
}

/// Checks that a dimension name is known.
pub fn check_dimension(dimension: &str) -> Result<()> {
    if DIMENSIONS.contains(&dimension) {
        Ok(())
    } else {
        Err(Error::invalid(
            "invalid_dimension",
            format!("dimension must be one of {}", DIMENSIONS.join(", ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_every_dimension_and_escapes_svg() {
        let entry = |operator: &str, answered: bool| EntryFacts {
            operator: Some(operator.into()),
            sex: Some("F".into()),
            age_band: "<30".into(),
            comune: Some("F205".into()),
            called: true,
            answered,
            ..EntryFacts::default()
        };
        let rows = aggregate(
            "c<1>",
            &[entry("a", true), entry("b", false), entry("a", false)],
        );
        let find = |dimension: &str, value: &str| {
            rows.iter()
                .find(|r| r.dimension == dimension && r.value == value)
                .cloned()
                .expect("row")
        };
        assert_eq!(find("campaign", "c<1>").called, 3);
        assert_eq!(find("operator", "a").answered, 1);
        assert_eq!(find("sex", "F").people, 3);
        assert_eq!(rows.len(), 6);
        let svg = funnel_svg(&rows, "campaign", "t & <t>");
        assert!(svg.contains("c&lt;1&gt;") && svg.contains("t &amp; &lt;t&gt;"));
        assert!(!svg.contains("c<1>"));
    }
}
