//! Reports as spreadsheets for Italian offices (issue 15): Italian column headers, labels
//! before URIs and codes, decimal commas, written by [`crate::italian::excel_csv`] (`;`, UTF-8
//! byte-order mark, CRLF) so that a double click opens them cleanly in Italian Excel.
//!
//! What it does NOT do: change the machine CSV of the CLI (`incontro training demand`,
//! `outreach funnel`, `fairness`), which keeps its English column names, `,` and decimal points.

use crate::italian::{decimal, excel_csv};
use crate::outreach::funnel::{dimension_label, value_label, FunnelRow, Lang};
use crate::training::chart::SkillRow;

/// A table with Italian headers, ready for Excel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, every cell already in its Italian form.
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    /// The sheet as a CSV file for Italian Excel.
    pub fn to_excel_csv(&self) -> String {
        let headers: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        excel_csv(&headers, &self.rows)
    }
}

/// The competence demand report: the competence's label first, its ESCO URI last.
pub fn demand(skills: &[SkillRow]) -> Sheet {
    let headers = [
        "Competenza",
        "Domanda (posti pesati)",
        "Offerte",
        "Essenziale in",
        "Posti",
        "Livello richiesto",
        "Persone al livello",
        "Divario",
        "URI ESCO",
    ];
    Sheet {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: skills
            .iter()
            .map(|row| {
                vec![
                    row.label.clone(),
                    decimal(row.demand, 1),
                    row.vacancies.to_string(),
                    row.essential_in.to_string(),
                    row.positions.to_string(),
                    row.required_level.to_string(),
                    row.seekers_at_level.to_string(),
                    decimal(row.gap, 1),
                    row.skill_uri.clone(),
                ]
            })
            .collect(),
    }
}

/// The outreach funnel: dimension and value in words ("fascia d'età", "Sesto San Giovanni
/// (I690)"), the steps with their Italian names.
pub fn funnel(rows: &[FunnelRow]) -> Sheet {
    let headers = [
        "Dimensione",
        "Valore",
        "In lista",
        "Chiamate",
        "Hanno risposto",
        "Presi in carico",
        "Iscritti a un percorso",
        "Collocati (dichiarato)",
        "Collocati (da COB)",
        "Codice",
    ];
    Sheet {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    dimension_label(&row.dimension, Lang::It).to_string(),
                    value_label(row, Lang::It),
                    row.people.to_string(),
                    row.called.to_string(),
                    row.answered.to_string(),
                    row.taken_in_charge.to_string(),
                    row.enrolled.to_string(),
                    row.placed_reported.to_string(),
                    row.placed_confirmed.to_string(),
                    row.value.clone(),
                ]
            })
            .collect(),
    }
}

/// A table of `snake_case` Italian headers and `.`-decimal figures (the fairness report's
/// records) made readable: "quota_persone" → "Quota persone", "0.2500" → "0,2500".
pub fn from_records(records: &[Vec<String>]) -> Sheet {
    let Some((header, rows)) = records.split_first() else {
        return Sheet {
            headers: Vec::new(),
            rows: Vec::new(),
        };
    };
    let headers = header
        .iter()
        .map(|name| {
            let spaced = name.replace('_', " ");
            let mut characters = spaced.chars();
            match characters.next() {
                Some(first) => first.to_uppercase().chain(characters).collect(),
                None => String::new(),
            }
        })
        .collect();
    let rows = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| {
                    let numeric =
                        cell.contains('.') && cell.parse::<f64>().is_ok() && !cell.starts_with('.');
                    if numeric {
                        cell.replace('.', ",")
                    } else {
                        cell.clone()
                    }
                })
                .collect()
        })
        .collect();
    Sheet { headers, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_puts_the_label_first_and_uses_decimal_commas() {
        let sheet = demand(&[SkillRow {
            skill_uri: "http://data.europa.eu/esco/skill/x".into(),
            label: "gestire le scorte".into(),
            demand: 4.5,
            vacancies: 3,
            essential_in: 2,
            positions: 6,
            required_level: 2,
            seekers_at_level: 1,
            gap: 3.5,
        }]);
        let csv = sheet.to_excel_csv();
        assert!(
            csv.starts_with("\u{feff}Competenza;Domanda (posti pesati);"),
            "{csv}"
        );
        assert!(
            csv.contains(
                "\r\ngestire le scorte;4,5;3;2;6;2;1;3,5;http://data.europa.eu/esco/skill/x\r\n"
            ),
            "{csv}"
        );
    }

    #[test]
    fn records_get_readable_headers_and_decimal_commas() {
        let sheet = from_records(&[
            vec!["dimensione".into(), "quota_persone".into()],
            vec!["sesso".into(), "0.2500".into()],
            vec!["età".into(), "12".into()],
        ]);
        assert_eq!(sheet.headers, vec!["Dimensione", "Quota persone"]);
        assert_eq!(sheet.rows[0][1], "0,2500");
        assert_eq!(sheet.rows[1][1], "12");
    }
}
