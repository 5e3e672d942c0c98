//! The bias report as files (CSV with Italian headers, SVG charts) and as a printed table.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{FairnessReport, FairnessRow, GroupFigures, OVERSIGHT_TOP};
use crate::training::chart::{horizontal_bar_chart, BarRow};
use crate::{Error, ErrorCode, Result};

/// The header of `equita_ranking.csv`.
pub const FAIRNESS_CSV_HEADER: [&str; 20] = [
    "dimensione",
    "gruppo",
    "persone",
    "quota_persone",
    "posti_top_k",
    "quota_esposizione",
    "rapporto_esposizione",
    "tasso_top_k",
    "rapporto_tasso_top_k",
    "punteggio_medio",
    "rapporto_punteggio_medio",
    "segnale_quattro_quinti",
    "solo_competenze_posti_top_k",
    "solo_competenze_quota_esposizione",
    "solo_competenze_rapporto_esposizione",
    "solo_competenze_tasso_top_k",
    "solo_competenze_rapporto_tasso_top_k",
    "solo_competenze_punteggio_medio",
    "solo_competenze_rapporto_punteggio_medio",
    "solo_competenze_segnale_quattro_quinti",
];

fn decimal(value: f64) -> String {
    format!("{value:.4}")
}

fn optional(value: Option<f64>) -> String {
    value.map(decimal).unwrap_or_default()
}

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "sì"
    } else {
        "no"
    }
}

fn figure_cells(figures: &GroupFigures) -> [String; 8] {
    [
        figures.slots.to_string(),
        decimal(figures.exposure_share),
        optional(figures.exposure_ratio),
        decimal(figures.top_k_rate),
        optional(figures.top_k_rate_ratio),
        decimal(figures.mean_score),
        optional(figures.mean_score_ratio),
        yes_no(figures.four_fifths_flag).to_string(),
    ]
}

fn row_cells(row: &FairnessRow) -> Vec<String> {
    let mut cells = vec![
        row.dimension.label_it().to_string(),
        row.group.clone(),
        row.people.to_string(),
        decimal(row.people_share),
    ];
    cells.extend(figure_cells(&row.served));
    cells.extend(figure_cells(&row.competences_only));
    cells
}

fn write_records(path: &Path, records: &[Vec<String>]) -> Result<()> {
    let io = |source: std::io::Error| Error::io(path, source);
    let mut writer = csv::Writer::from_path(path).map_err(|error| match error.into_kind() {
        csv::ErrorKind::Io(source) => io(source),
        other => Error::invalid(ErrorCode::CsvWrite, format!("{other:?}")),
    })?;
    for record in records {
        writer
            .write_record(record)
            .map_err(|error| Error::invalid(ErrorCode::CsvWrite, error.to_string()))?;
    }
    writer.flush().map_err(io)
}

fn percent(value: Option<f64>) -> f64 {
    value.map_or(0.0, |v| v * 100.0)
}

impl FairnessReport {
    /// The bias table as CSV records, header first.
    pub fn csv_records(&self) -> Vec<Vec<String>> {
        let mut records = vec![FAIRNESS_CSV_HEADER.iter().map(|h| h.to_string()).collect()];
        records.extend(self.rows.iter().map(row_cells));
        records
    }

    /// The oversight figures as CSV records (`indicatore,valore`), header first.
    pub fn oversight_records(&self) -> Vec<Vec<String>> {
        let o = &self.oversight;
        let pairs = [
            ("registrazioni_con_posizione", o.records.to_string()),
            ("di_cui_inserimenti", o.placements.to_string()),
            ("non_primi_in_nessuna_lista", o.not_first.to_string()),
            (
                "oltre_i_primi_10_in_entrambe_le_liste",
                o.beyond_top.to_string(),
            ),
            ("non_in_classifica", o.unranked.to_string()),
            ("quota_non_primi", decimal(o.not_first_rate())),
            ("quota_oltre_i_primi_10", decimal(o.beyond_top_rate())),
        ];
        let mut records = vec![vec!["indicatore".to_string(), "valore".to_string()]];
        records.extend(
            pairs
                .into_iter()
                .map(|(name, value)| vec![name.to_string(), value]),
        );
        records
    }

    /// A bar chart of one ratio per group, served against competences only, in percent.
    pub fn ratio_chart(&self, title: &str, ratio: fn(&GroupFigures) -> Option<f64>) -> String {
        let rows: Vec<BarRow> = self
            .rows
            .iter()
            .map(|row| BarRow {
                label: format!(
                    "{}: {} ({})",
                    row.dimension.label_it(),
                    row.group,
                    row.people
                ),
                values: vec![
                    percent(ratio(&row.served)),
                    percent(ratio(&row.competences_only)),
                ],
            })
            .collect();
        let subtitle = format!(
            "{} persone, {} offerte aperte, primi {} — {} (revisione dati {}); 100 = in proporzione, sotto 80 da guardare",
            self.people, self.vacancies, self.k, self.day, self.data_revision
        );
        horizontal_bar_chart(
            title,
            &subtitle,
            &["punteggi mostrati", "solo competenze"],
            &rows,
        )
    }

    /// Writes `equita_ranking.csv`, `supervisione_umana.csv`, `equita_esposizione.svg` and
    /// `equita_tasso_top_k.svg` into `dir` (created when missing); returns the paths.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|source| Error::io(dir, source))?;
        let table = dir.join("equita_ranking.csv");
        write_records(&table, &self.csv_records())?;
        let oversight = dir.join("supervisione_umana.csv");
        write_records(&oversight, &self.oversight_records())?;
        let charts = [
            (
                "equita_esposizione.svg",
                self.ratio_chart(
                    "Esposizione nei primi posti rispetto alla quota di persone (%)",
                    |f| f.exposure_ratio,
                ),
            ),
            (
                "equita_tasso_top_k.svg",
                self.ratio_chart(
                    "Tasso di presenza nei primi posti rispetto al gruppo migliore (%)",
                    |f| f.top_k_rate_ratio,
                ),
            ),
        ];
        let mut written = vec![table, oversight];
        for (name, svg) in charts {
            let path = dir.join(name);
            std::fs::write(&path, svg).map_err(|source| Error::io(&path, source))?;
            written.push(path);
        }
        Ok(written)
    }

    /// The report as a printed table, in Italian.
    pub fn table_it(&self) -> String {
        let mut out = String::new();
        let area = if self.area.is_empty() {
            "tutte le aree".to_string()
        } else {
            self.area.join(", ")
        };
        let _ = writeln!(
            out,
            "Equità delle classifiche — {area} — {} (revisione dati {})",
            self.day, self.data_revision
        );
        let _ = writeln!(
            out,
            "{} persone, {} offerte aperte, primi {} di ogni classifica. Il segnale dei quattro quinti \
             invita a guardare i dati, non è un verdetto.",
            self.people, self.vacancies, self.k
        );
        let _ = writeln!(
            out,
            "\n{:<13} {:<17} {:>6} {:>7} {:>7} {:>7} {:>7} {:>5} | {:>7} {:>7} {:>7} {:>5}",
            "dimensione",
            "gruppo",
            "persone",
            "espos.",
            "tasso",
            "r.tasso",
            "r.punt.",
            "4/5",
            "espos.",
            "r.tasso",
            "r.punt.",
            "4/5"
        );
        let _ = writeln!(
            out,
            "{:<47} punteggi mostrati {:>16} | solo competenze",
            "", ""
        );
        let ratio = |value: Option<f64>| value.map_or("-".to_string(), |v| format!("{v:.2}"));
        for row in &self.rows {
            let _ = writeln!(
                out,
                "{:<13} {:<17} {:>6} {:>7} {:>7.2} {:>7} {:>7} {:>5} | {:>7} {:>7} {:>7} {:>5}",
                row.dimension.label_it(),
                row.group,
                row.people,
                ratio(row.served.exposure_ratio),
                row.served.top_k_rate,
                ratio(row.served.top_k_rate_ratio),
                ratio(row.served.mean_score_ratio),
                yes_no(row.served.four_fifths_flag),
                ratio(row.competences_only.exposure_ratio),
                ratio(row.competences_only.top_k_rate_ratio),
                ratio(row.competences_only.mean_score_ratio),
                yes_no(row.competences_only.four_fifths_flag),
            );
        }
        let o = &self.oversight;
        let _ = writeln!(
            out,
            "\nSupervisione umana: {} proposte e inserimenti registrati con la posizione; {} ({:.0}%) \
             non erano primi in nessuna delle due classifiche, {} ({:.0}%) oltre i primi {OVERSIGHT_TOP} \
             di entrambe, {} fuori classifica.",
            o.records,
            o.not_first,
            o.not_first_rate() * 100.0,
            o.beyond_top,
            o.beyond_top_rate() * 100.0,
            o.unranked
        );
        out
    }
}
