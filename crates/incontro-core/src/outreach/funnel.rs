//! The funnel: called → answered → taken in charge → enrolled → placed (reported / confirmed by
//! COB), by campaign, operator, sex, age band and comune; a manager's table (Italian labels by
//! default, English on request) with rates by operator and what each step counts; CSV and SVG;
//! retention purge that keeps only these aggregates.
//!
//! What the steps count (stated next to the figures by [`definitions`]):
//! - **answered**: at least one call with result `answered` *or* `refused` (a person who picks up
//!   and refuses has answered);
//! - **placed (confirmed)**: a COB hiring notice — a contract *or a tirocinio* — starting on or
//!   after the first call with result `answered`; a person who only refused is never confirmed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::outreach::sql;
use crate::{Engine, Error, ErrorCode, Result};

/// The dimensions of the funnel.
pub const DIMENSIONS: [&str; 5] = ["campaign", "operator", "sex", "age_band", "comune"];

/// One row of the funnel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FunnelRow {
    /// `campaign`, `operator`, `sex`, `age_band` or `comune`.
    pub dimension: String,
    /// The value (campaign id, operator id, `F`, `55+`, comune code …).
    pub value: String,
    /// A readable name for the value where one is known (the comune's name); not stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
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
    let none = NONE.to_string();
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
    let mut rows: Vec<FunnelRow> = rows.into_values().collect();
    sort_rows(&mut rows);
    rows
}

/// Where a value goes within its dimension: age bands in their natural order (`<30`, `30-39`,
/// `40-54`, `55+`, then `unknown`), `(none)` last, everything else alphabetically.
fn value_rank(dimension: &str, value: &str) -> usize {
    if value == NONE {
        return usize::MAX;
    }
    if dimension == "age_band" {
        return AGE_BANDS
            .iter()
            .position(|band| *band == value)
            .unwrap_or(AGE_BANDS.len());
    }
    0
}

/// The age bands in their natural order.
pub const AGE_BANDS: [&str; 5] = ["<30", "30-39", "40-54", "55+", "unknown"];

const NONE: &str = "(none)";

/// Sorts rows by dimension (in [`DIMENSIONS`] order), then by value in its natural order.
pub(crate) fn sort_rows(rows: &mut [FunnelRow]) {
    let dimension_rank = |dimension: &str| {
        DIMENSIONS
            .iter()
            .position(|d| *d == dimension)
            .unwrap_or(usize::MAX)
    };
    rows.sort_by(|a, b| {
        (
            dimension_rank(&a.dimension),
            value_rank(&a.dimension, &a.value),
            &a.value,
        )
            .cmp(&(
                dimension_rank(&b.dimension),
                value_rank(&b.dimension, &b.value),
                &b.value,
            ))
    });
}

/// The language of the manager's funnel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// Italian (the default: the funnel is read in Italian job centres).
    #[default]
    It,
    /// English.
    En,
}

impl Lang {
    /// Parses `it` or `en`.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim() {
            "it" => Ok(Lang::It),
            "en" => Ok(Lang::En),
            other => Err(Error::invalid(
                ErrorCode::InvalidLang,
                format!("language must be it or en, got {other:?}"),
            )),
        }
    }
}

/// The steps of the funnel in order, as named in the CSV.
pub const STEPS: [&str; 7] = [
    "people",
    "called",
    "answered",
    "taken_in_charge",
    "enrolled",
    "placed_reported",
    "placed_confirmed",
];

/// A step's count in a row.
pub fn step_count(row: &FunnelRow, step: &str) -> u64 {
    match step {
        "people" => row.people,
        "called" => row.called,
        "answered" => row.answered,
        "taken_in_charge" => row.taken_in_charge,
        "enrolled" => row.enrolled,
        "placed_reported" => row.placed_reported,
        "placed_confirmed" => row.placed_confirmed,
        _ => 0,
    }
}

/// A step's label in a language (a short column heading).
pub fn step_label(step: &str, lang: Lang) -> &'static str {
    match (step, lang) {
        ("people", Lang::It) => "in lista",
        ("people", Lang::En) => "listed",
        ("called", Lang::It) => "chiamati",
        ("called", Lang::En) => "called",
        ("answered", Lang::It) => "risposto",
        ("answered", Lang::En) => "answered",
        ("taken_in_charge", Lang::It) => "in carico",
        ("taken_in_charge", Lang::En) => "in charge",
        ("enrolled", Lang::It) => "iscritti",
        ("enrolled", Lang::En) => "enrolled",
        ("placed_reported", Lang::It) => "coll.dich.",
        ("placed_reported", Lang::En) => "placed rep",
        ("placed_confirmed", Lang::It) => "coll.COB",
        ("placed_confirmed", Lang::En) => "placed COB",
        _ => "?",
    }
}

/// A dimension's label in a language.
pub fn dimension_label(dimension: &str, lang: Lang) -> &'static str {
    match (dimension, lang) {
        ("campaign", Lang::It) => "campagna",
        ("operator", Lang::It) => "operatore",
        ("sex", Lang::It) => "sesso",
        ("age_band", Lang::It) => "fascia d'età",
        ("campaign", Lang::En) => "campaign",
        ("operator", Lang::En) => "operator",
        ("sex", Lang::En) => "sex",
        ("age_band", Lang::En) => "age band",
        ("comune", _) => "comune",
        _ => "?",
    }
}

/// A row's value as a manager reads it: the comune's name where known, `(none)` and `unknown`
/// in the language.
pub fn value_label(row: &FunnelRow, lang: Lang) -> String {
    match (row.value.as_str(), lang) {
        (NONE, Lang::It) => "(nessuno)".into(),
        ("unknown", Lang::It) => "non nota".into(),
        _ => match &row.label {
            Some(label) => format!("{label} ({})", row.value),
            None => row.value.clone(),
        },
    }
}

/// What the steps count, in plain words, to print next to the figures.
pub fn definitions(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::It => [
            "chiamati: almeno un tentativo di chiamata registrato",
            "risposto: ha risposto ad almeno una chiamata; chi ha risposto e rifiutato di essere ricontattato conta come risposto",
            "iscritti: iscritti a un corso o percorso (dichiarato dall'operatore, dopo una risposta)",
            "coll.COB: un'assunzione comunicata (contratto o tirocinio: i tirocini contano) che inizia il giorno della prima chiamata con risposta o dopo; chi ha solo rifiutato non conta; coll.dich.: dichiarato dall'operatore",
        ],
        Lang::En => [
            "called: at least one call attempt recorded",
            "answered: answered at least one call; a person who answered and refused further contact counts as answered",
            "enrolled: enrolled in a course or programme (reported by the operator, after an answer)",
            "placed COB: a notified hiring (contract or tirocinio: tirocini count) starting on or after the first answered call; a person who only refused does not count; placed rep: reported by the operator",
        ],
    }
}

/// One line of the rates-by-operator table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperatorRates {
    /// Operator id (`(none)` for unassigned entries).
    pub operator: String,
    /// People on the operator's list.
    pub people: u64,
    /// Called / people.
    pub called: Option<f64>,
    /// Answered / called.
    pub answered: Option<f64>,
    /// Taken in charge / answered.
    pub taken_in_charge: Option<f64>,
    /// Enrolled / answered.
    pub enrolled: Option<f64>,
    /// Placed (confirmed by COB) / answered.
    pub placed_confirmed: Option<f64>,
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The rates of each operator (the funnel's `operator` rows), in row order.
pub fn operator_rates(rows: &[FunnelRow]) -> Vec<OperatorRates> {
    rows.iter()
        .filter(|row| row.dimension == "operator")
        .map(|row| OperatorRates {
            operator: row.value.clone(),
            people: row.people,
            called: rate(row.called, row.people),
            answered: rate(row.answered, row.called),
            taken_in_charge: rate(row.taken_in_charge, row.answered),
            enrolled: rate(row.enrolled, row.answered),
            placed_confirmed: rate(row.placed_confirmed, row.answered),
        })
        .collect()
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".into(), |rate| format!("{:.1}%", 100.0 * rate))
}

/// The manager's funnel as text: the counts (only dimension `by` when given), one page of rates
/// by operator, and what the steps count.
pub fn funnel_table(rows: &[FunnelRow], by: Option<&str>, lang: Lang) -> String {
    let mut out = String::new();
    let (dimension_head, value_head) = match lang {
        Lang::It => ("dimensione", "valore"),
        Lang::En => ("dimension", "value"),
    };
    let _ = write!(out, "{dimension_head:<13} {value_head:<30}");
    for step in STEPS {
        let _ = write!(out, " {:>10}", step_label(step, lang));
    }
    out.push('\n');
    for row in rows
        .iter()
        .filter(|row| by.is_none_or(|by| row.dimension == by))
    {
        let _ = write!(
            out,
            "{:<13} {:<30}",
            dimension_label(&row.dimension, lang),
            value_label(row, lang)
        );
        for step in STEPS {
            let _ = write!(out, " {:>10}", step_count(row, step));
        }
        out.push('\n');
    }
    let rates = operator_rates(rows);
    if !rates.is_empty() {
        let (title, heads) = match lang {
            Lang::It => (
                "Tassi per operatore",
                [
                    "operatore",
                    "in lista",
                    "chiamati",
                    "risposto",
                    "in carico",
                    "iscritti",
                    "coll.COB",
                ],
            ),
            Lang::En => (
                "Rates by operator",
                [
                    "operator",
                    "listed",
                    "called",
                    "answered",
                    "in charge",
                    "enrolled",
                    "placed COB",
                ],
            ),
        };
        let _ = writeln!(out, "\n{title}");
        let _ = write!(out, "{:<20}", heads[0]);
        for head in &heads[1..] {
            let _ = write!(out, " {head:>10}");
        }
        out.push('\n');
        for line in &rates {
            let _ = writeln!(
                out,
                "{:<20} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
                value_label(
                    &FunnelRow {
                        value: line.operator.clone(),
                        ..FunnelRow::default()
                    },
                    lang
                ),
                line.people,
                percent(line.called),
                percent(line.answered),
                percent(line.taken_in_charge),
                percent(line.enrolled),
                percent(line.placed_confirmed)
            );
        }
        let note = match lang {
            Lang::It => "chiamati su in lista; risposto su chiamati; in carico, iscritti e coll.COB su risposto",
            Lang::En => "called of listed; answered of called; in charge, enrolled and placed COB of answered",
        };
        let _ = writeln!(out, "({note})");
    }
    let title = match lang {
        Lang::It => "Cosa contano i passi",
        Lang::En => "What the steps count",
    };
    let _ = writeln!(out, "\n{title}");
    for line in definitions(lang) {
        let _ = writeln!(out, "- {line}");
    }
    out
}

/// The funnel as CSV.
pub fn funnel_csv(rows: &[FunnelRow]) -> String {
    let mut out = String::from(
        "dimension,value,people,called,answered,taken_in_charge,enrolled,placed_reported,placed_confirmed,label\n",
    );
    let quote = |text: &str| {
        if text.contains([',', '"', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    };
    for row in rows {
        let value = quote(&row.value);
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            row.dimension,
            value,
            row.people,
            row.called,
            row.answered,
            row.taken_in_charge,
            row.enrolled,
            row.placed_reported,
            row.placed_confirmed,
            quote(row.label.as_deref().unwrap_or_default())
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

/// A funnel step: label, colour, step name.
type Step = (&'static str, &'static str, &'static str);

/// The funnel of one dimension as an SVG chart with English labels (see [`funnel_svg_in`]).
pub fn funnel_svg(rows: &[FunnelRow], dimension: &str, title: &str) -> String {
    funnel_svg_in(rows, dimension, title, Lang::En)
}

/// The funnel of one dimension as an SVG chart: one group of horizontal bars per value (in the
/// rows' order), one bar per step, with counts and the share of people called.
pub fn funnel_svg_in(rows: &[FunnelRow], dimension: &str, title: &str, lang: Lang) -> String {
    let colours = [
        "#1f4e79", "#2e75b6", "#70ad47", "#7030a0", "#ffc000", "#c55a11",
    ];
    let steps: Vec<Step> = STEPS[1..]
        .iter()
        .zip(colours)
        .map(|(step, colour)| (step_label(step, lang), colour, *step))
        .collect();
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
        let x = 10.0 + index as f64 * 120.0;
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
            r#"<text x="10" y="{}" font-weight="bold">{} ({} {})</text>"#,
            top + 12.0,
            escape(&value_label(row, lang)),
            row.people,
            match lang {
                Lang::It => "persone",
                Lang::En => "people",
            }
        );
        for (step, (_, colour, value)) in steps.iter().enumerate() {
            let count = step_count(row, value);
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

/// **Outreach (Cob23)**: the funnel report.
impl Engine {
    /// The funnel of a campaign by every dimension (from the kept aggregates once purged).
    /// Placements are first confirmed against the stored COB notices.
    pub fn funnel(&self, campaign: &str) -> Result<Vec<FunnelRow>> {
        let stored = self.campaign(campaign)?;
        let mut rows = if stored.purged_on.is_some() {
            self.store().read(|c| sql::load_aggregates(c, campaign))?
        } else {
            self.confirm_placements(campaign)?;
            let entries = self.store().read(|c| sql::entry_facts(c, campaign))?;
            aggregate(campaign, &entries)
        };
        let names = self.comuni_names()?;
        for row in rows.iter_mut().filter(|row| row.dimension == "comune") {
            row.label = names.get(&row.value).cloned();
        }
        Ok(rows)
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
            ErrorCode::InvalidDimension,
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
        assert!(rows.iter().all(|row| row.label.is_none()));
        let svg = funnel_svg(&rows, "campaign", "t & <t>");
        assert!(svg.contains("c&lt;1&gt;") && svg.contains("t &amp; &lt;t&gt;"));
        assert!(!svg.contains("c<1>"));
    }

    fn facts(age_band: &str, operator: Option<&str>) -> EntryFacts {
        EntryFacts {
            operator: operator.map(Into::into),
            sex: Some("M".into()),
            age_band: age_band.into(),
            comune: Some("G702".into()),
            called: true,
            answered: true,
            ..EntryFacts::default()
        }
    }

    #[test]
    fn age_bands_come_in_their_natural_order_and_none_last() {
        let rows = aggregate(
            "c",
            &[
                facts("55+", Some("b")),
                facts("unknown", None),
                facts("30-39", Some("a")),
                facts("<30", Some("a")),
                facts("40-54", Some("b")),
            ],
        );
        let bands: Vec<&str> = rows
            .iter()
            .filter(|row| row.dimension == "age_band")
            .map(|row| row.value.as_str())
            .collect();
        assert_eq!(bands, ["<30", "30-39", "40-54", "55+", "unknown"]);
        let operators: Vec<&str> = rows
            .iter()
            .filter(|row| row.dimension == "operator")
            .map(|row| row.value.as_str())
            .collect();
        assert_eq!(operators, ["a", "b", "(none)"]);
        let dimensions: Vec<&str> = rows.iter().map(|row| row.dimension.as_str()).collect();
        let mut sorted = dimensions.clone();
        sorted.sort_by_key(|d| DIMENSIONS.iter().position(|x| x == d));
        assert_eq!(dimensions, sorted);
        // The SVG draws the bands in the same order.
        let svg = funnel_svg_in(&rows, "age_band", "t", Lang::It);
        let young = svg.find("&lt;30 (").expect("<30");
        let old = svg.find("55+ (").expect("55+");
        assert!(young < old);
    }

    #[test]
    fn italian_by_default_english_on_request_with_the_enrolled_step_and_definitions() {
        let mut rows = aggregate(
            "c",
            &[
                EntryFacts {
                    enrolled: true,
                    ..facts("<30", Some("anna"))
                },
                facts("unknown", Some("anna")),
                EntryFacts {
                    called: false,
                    answered: false,
                    ..facts("<30", Some("bruno"))
                },
            ],
        );
        for row in rows.iter_mut().filter(|row| row.dimension == "comune") {
            row.label = Some("Pisa".into());
        }
        let italian = funnel_table(&rows, None, Lang::default());
        for text in [
            "fascia d'età",
            "iscritti",
            "non nota",
            "Pisa (G702)",
            "Tassi per operatore",
            "chi ha risposto e rifiutato",
            "i tirocini contano",
        ] {
            assert!(italian.contains(text), "{text} missing in\n{italian}");
        }
        assert!(!italian.contains("age band"));
        let english = funnel_table(&rows, Some("age_band"), Lang::parse("en").expect("en"));
        assert!(english.contains("age band") && english.contains("enrolled"));
        assert!(english.contains("Rates by operator") && english.contains("tirocini count"));
        assert!(!english.contains("G702"), "only the age_band rows");
        assert_eq!(Lang::parse("fr").expect_err("fr").code(), "invalid_lang");
        // anna: 2 listed, 2 called, 2 answered, 1 enrolled; bruno: never called.
        let rates = operator_rates(&rows);
        assert_eq!(rates[0].operator, "anna");
        assert_eq!(rates[0].enrolled, Some(0.5));
        assert_eq!(rates[1].answered, None);
        assert!(english.contains("50.0%") && english.contains("   -"));
        let svg = funnel_svg_in(&rows, "campaign", "t", Lang::It);
        assert!(svg.contains(">iscritti<") && svg.contains(">coll.COB<"));
        let csv = funnel_csv(&rows);
        assert!(csv.lines().next().expect("header").ends_with(",label"));
        assert!(csv.contains("comune,G702,3,2,2,0,1,0,0,Pisa"));
    }
}
