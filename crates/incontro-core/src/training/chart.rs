//! The demand report as a councillor reads it: labelled tables, CSV files and SVG bar charts
//! (hand-written SVG, labels in Italian).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Error, ErrorCode, Result};

/// One competence of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillRow {
    /// ESCO URI.
    pub skill_uri: String,
    /// Label.
    pub label: String,
    /// Σ positions × (1.0 essential, 0.5 optional).
    pub demand: f64,
    /// Vacancies requiring it.
    pub vacancies: u32,
    /// Of those, where it is essential.
    pub essential_in: u32,
    /// Positions of those vacancies.
    pub positions: u32,
    /// The level carrying most demand.
    pub required_level: u8,
    /// Local job seekers holding it at that level or above.
    pub seekers_at_level: u32,
    /// `max(0, demand − seekers_at_level)`.
    pub gap: f64,
}

/// One vacancy of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VacancyRow {
    /// Id.
    pub vacancy_id: String,
    /// Title.
    pub title: String,
    /// Comune name.
    pub comune: String,
    /// Positions.
    pub positions: u32,
    /// Essential competences considered.
    pub essentials: u32,
    /// Local job seekers ready now.
    pub ready_now: u32,
    /// Ready after one course.
    pub after_one_course: u32,
}

/// One course picked by the greedy coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseRow {
    /// Id.
    pub course_id: String,
    /// Title.
    pub title: String,
    /// Provider.
    pub provider: String,
    /// Hours.
    pub hours: u16,
    /// Seats.
    pub seats: u32,
    /// People it makes eligible (at most the seats).
    pub people: u32,
    /// (person, vacancy) eligibilities they gain.
    pub eligibilities: u64,
    /// People so far.
    pub cumulative_people: u32,
    /// Eligibilities so far.
    pub cumulative_eligibilities: u64,
}

/// The labelled demand report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandTables {
    /// Names of the comuni of the area.
    pub area: Vec<String>,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Vacancies considered.
    pub vacancy_count: usize,
    /// True when draft vacancies were counted (`--include-drafts`); validated ones only otherwise.
    pub drafts_included: bool,
    /// Draft vacancies among those considered (0 unless `drafts_included`).
    pub drafts_counted: usize,
    /// Vacancies of the area and period left out because they have no competences yet.
    pub without_competences: usize,
    /// Positions wanted.
    pub position_count: u64,
    /// Local job seekers.
    pub seeker_count: usize,
    /// Courses with seats considered.
    pub course_count: usize,
    /// Competences, largest gap first.
    pub skills: Vec<SkillRow>,
    /// Readiness per vacancy.
    pub vacancies: Vec<VacancyRow>,
    /// Greedy course coverage.
    pub courses: Vec<CourseRow>,
}

/// One bar group of a chart: a label and one value per series.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    /// The label on the left.
    pub label: String,
    /// One value per series.
    pub values: Vec<f64>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

fn number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}").replace('.', ",")
    }
}

/// A horizontal bar chart: one group of bars per row (one bar per series), values written at
/// the end of each bar, a legend and a title. Colours are distinguishable in grey scale.
pub fn horizontal_bar_chart(
    title: &str,
    subtitle: &str,
    series: &[&str],
    rows: &[BarRow],
) -> String {
    const COLOURS: [&str; 3] = ["#1f5f99", "#e08a1e", "#6a9f3a"];
    let width = 980.0;
    let label_width = 360.0;
    let bar_area = width - label_width - 90.0;
    let bar_height = 14.0;
    let group_gap = 10.0;
    let group_height = bar_height * series.len().max(1) as f64 + group_gap;
    let legend_top = 66.0;
    let top = legend_top + 20.0 * series.len() as f64 + 12.0;
    let height = top + group_height * rows.len() as f64 + 40.0;
    let max = rows
        .iter()
        .flat_map(|row| row.values.iter().copied())
        .fold(0.0f64, f64::max)
        .max(1.0);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        svg,
        r##"<text x="20" y="32" font-size="20" font-weight="bold" fill="#222">{}</text>"##,
        escape(title)
    );
    let _ = writeln!(
        svg,
        r##"<text x="20" y="54" font-size="13" fill="#555">{}</text>"##,
        escape(subtitle)
    );
    for (index, name) in series.iter().enumerate() {
        let colour = COLOURS[index % COLOURS.len()];
        let y = legend_top + 20.0 * index as f64;
        let _ = writeln!(
            svg,
            r##"<rect x="{label_width}" y="{y}" width="14" height="14" fill="{colour}"/><text x="{}" y="{}" font-size="13" fill="#222">{}</text>"##,
            label_width + 20.0,
            y + 12.0,
            escape(name)
        );
    }
    for (index, row) in rows.iter().enumerate() {
        let y = top + group_height * index as f64;
        let label_y = y + bar_height * series.len() as f64 / 2.0 + 4.0;
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{label_y}" font-size="13" text-anchor="end" fill="#222"><title>{}</title>{}</text>"##,
            label_width - 10.0,
            escape(&row.label),
            escape(&shorten(&row.label, 54))
        );
        for (serie, &value) in row.values.iter().enumerate() {
            let colour = COLOURS[serie % COLOURS.len()];
            let bar_y = y + bar_height * serie as f64;
            let length = (value / max * bar_area).max(0.0);
            let _ = writeln!(
                svg,
                r##"<rect x="{label_width}" y="{bar_y}" width="{length:.1}" height="{}" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#222">{}</text>"##,
                bar_height - 2.0,
                label_width + length + 4.0,
                bar_y + bar_height - 4.0,
                number(value)
            );
        }
    }
    let axis_y = top + group_height * rows.len() as f64;
    let _ = writeln!(
        svg,
        r##"<line x1="{label_width}" y1="{}" x2="{label_width}" y2="{axis_y}" stroke="#888"/>"##,
        top - 4.0
    );
    let _ = writeln!(svg, "</svg>");
    svg
}

fn write_csv<T: Serialize>(path: &Path, rows: &[T], header: &[&str]) -> Result<()> {
    let io = |source: std::io::Error| Error::io(path, source);
    let mut writer = csv::Writer::from_writer(crate::output::OutputFile::create(path)?);
    if rows.is_empty() {
        writer
            .write_record(header)
            .map_err(|error| Error::invalid(ErrorCode::CsvWrite, error.to_string()))?;
    }
    for row in rows {
        writer
            .serialize(row)
            .map_err(|error| Error::invalid(ErrorCode::CsvWrite, error.to_string()))?;
    }
    writer.flush().map_err(io)?;
    writer
        .into_inner()
        .map_err(|error| io(std::io::Error::other(error.to_string())))?
        .commit()
}

impl DemandTables {
    /// Which vacancies were counted, in Italian: validated only, or drafts included (and how
    /// many), and how many were left out for having no competences.
    pub fn vacancies_note(&self) -> String {
        let mut note = if self.drafts_included {
            format!(
                "offerte validate e bozze ({} bozze incluse)",
                self.drafts_counted
            )
        } else {
            "solo offerte validate (bozze escluse: --include-drafts per contarle)".to_string()
        };
        if self.without_competences > 0 {
            note.push_str(&format!(
                "; {} senza competenze escluse",
                self.without_competences
            ));
        }
        note
    }

    /// The gap chart: the top `n` competences by gap, demand beside supply.
    pub fn gap_chart(&self, n: usize) -> String {
        let rows: Vec<BarRow> = self
            .skills
            .iter()
            .filter(|row| row.gap > 0.0)
            .take(n)
            .map(|row| BarRow {
                label: format!("{} (liv. {})", shorten(&row.label, 44), row.required_level),
                values: vec![row.demand, f64::from(row.seekers_at_level), row.gap],
            })
            .collect();
        horizontal_bar_chart(
            "Competenze più richieste che mancano sul territorio",
            &format!(
                "{} · dal {} al {} · {} offerte ({}), {} posti, {} persone in cerca di lavoro",
                self.area.join(", "),
                self.from.format("%d/%m/%Y"),
                self.to.format("%d/%m/%Y"),
                self.vacancy_count,
                if self.drafts_included {
                    "bozze incluse"
                } else {
                    "validate"
                },
                self.position_count,
                self.seeker_count
            ),
            &[
                "domanda (posti, essenziali 1 · facoltative 0,5)",
                "persone con la competenza",
                "divario",
            ],
            &rows,
        )
    }

    /// The course chart: the greedy pick, people made eligible and eligibilities per course.
    pub fn course_chart(&self, n: usize) -> String {
        let rows: Vec<BarRow> = self
            .courses
            .iter()
            .take(n)
            .map(|row| BarRow {
                label: format!("{} {}", row.course_id, shorten(&row.title, 46)),
                values: vec![f64::from(row.people), row.eligibilities as f64],
            })
            .collect();
        horizontal_bar_chart(
            "Corsi che rendono idonee più persone per più offerte",
            &format!(
                "{} · scelta progressiva con i posti disponibili · {} corsi considerati",
                self.area.join(", "),
                self.course_count
            ),
            &[
                "persone rese idonee",
                "idoneità guadagnate (persona × offerta)",
            ],
            &rows,
        )
    }

    /// Writes `competenze.csv`, `offerte.csv`, `corsi.csv`, `divari.svg` and `corsi.svg` into
    /// `dir` (created if missing); returns the paths written.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|source| Error::io(dir, source))?;
        let mut written = Vec::new();
        let skills = dir.join("competenze.csv");
        write_csv(
            &skills,
            &self.skills,
            &[
                "skill_uri",
                "label",
                "demand",
                "vacancies",
                "essential_in",
                "positions",
                "required_level",
                "seekers_at_level",
                "gap",
            ],
        )?;
        written.push(skills);
        let vacancies = dir.join("offerte.csv");
        write_csv(
            &vacancies,
            &self.vacancies,
            &[
                "vacancy_id",
                "title",
                "comune",
                "positions",
                "essentials",
                "ready_now",
                "after_one_course",
            ],
        )?;
        written.push(vacancies);
        let courses = dir.join("corsi.csv");
        write_csv(
            &courses,
            &self.courses,
            &[
                "course_id",
                "title",
                "provider",
                "hours",
                "seats",
                "people",
                "eligibilities",
                "cumulative_people",
                "cumulative_eligibilities",
            ],
        )?;
        written.push(courses);
        for (name, svg) in [
            ("divari.svg", self.gap_chart(15)),
            ("corsi.svg", self.course_chart(10)),
        ] {
            let path = dir.join(name);
            crate::output::write_output(&path, svg.as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_escapes_labels_and_scales_bars() {
        let svg = horizontal_bar_chart(
            "Titolo",
            "sotto",
            &["a", "b"],
            &[
                BarRow {
                    label: "R&D <lab>".into(),
                    values: vec![10.0, 5.0],
                },
                BarRow {
                    label: "altro".into(),
                    values: vec![2.5, 0.0],
                },
            ],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("R&amp;D &lt;lab&gt;"));
        assert!(svg.contains(">2,5<"));
        // The largest value fills the bar area (980 − 360 − 90 = 530).
        assert!(svg.contains(r#"width="530.0""#));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
