//! Versioned COB code tables: contract types, termination reasons, transformations.
//!
//! Codes change with each Ministry tracciato release, so every entry carries its validity dates
//! and a notice's code is checked against the table valid on the notice's date. Descriptions come
//! only from the imported tables (`data/cob_codes.csv`), never from the code.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Error, Problems, Result};

/// The code lists a COB notice is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CodeScheme {
    /// `TipologiaContrattuale` (`A.02.00`, `C.01.00` …).
    TipologiaContrattuale,
    /// `CodCausa`, the reason for termination.
    CausaCessazione,
    /// `CodTrasformazione`.
    Trasformazione,
}

impl CodeScheme {
    /// The scheme's name as written in code-table files.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeScheme::TipologiaContrattuale => "TipologiaContrattuale",
            CodeScheme::CausaCessazione => "CausaCessazione",
            CodeScheme::Trasformazione => "Trasformazione",
        }
    }

    /// Parses a scheme name.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim() {
            "TipologiaContrattuale" => Ok(CodeScheme::TipologiaContrattuale),
            "CausaCessazione" => Ok(CodeScheme::CausaCessazione),
            "Trasformazione" => Ok(CodeScheme::Trasformazione),
            other => Err(Error::invalid(
                "invalid_code_scheme",
                format!(
                "unknown code scheme {other:?} (TipologiaContrattuale, CausaCessazione, Trasformazione)"
            ),
            )),
        }
    }
}

/// One code with its validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeEntry {
    /// The list.
    pub scheme: CodeScheme,
    /// The Ministry code.
    pub code: String,
    /// The description, as imported.
    pub label: String,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity (None = still valid).
    pub valid_to: Option<NaiveDate>,
}

impl CodeEntry {
    /// True when the code is valid on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// Whether a code is known on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeStatus {
    /// Valid on that date.
    Valid,
    /// Known, but not valid on that date (retired or not yet introduced).
    NotValidOn,
    /// Not in the table.
    Unknown,
}

/// The code tables in memory.
#[derive(Debug, Clone, Default)]
pub struct CodeTables {
    entries: HashMap<CodeScheme, HashMap<String, Vec<CodeEntry>>>,
}

impl CodeTables {
    /// Builds the tables from entries.
    pub fn new(entries: impl IntoIterator<Item = CodeEntry>) -> Self {
        let mut tables = CodeTables::default();
        for entry in entries {
            tables
                .entries
                .entry(entry.scheme)
                .or_default()
                .entry(entry.code.clone())
                .or_default()
                .push(entry);
        }
        tables
    }

    /// True when no code is loaded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries
            .values()
            .flat_map(HashMap::values)
            .map(Vec::len)
            .sum()
    }

    fn versions(&self, scheme: CodeScheme, code: &str) -> Option<&Vec<CodeEntry>> {
        self.entries.get(&scheme)?.get(code)
    }

    /// Checks `code` of `scheme` on `day`.
    pub fn check(&self, scheme: CodeScheme, code: &str, day: NaiveDate) -> CodeStatus {
        match self.versions(scheme, code) {
            None => CodeStatus::Unknown,
            Some(versions) if versions.iter().any(|entry| entry.valid_on(day)) => CodeStatus::Valid,
            Some(_) => CodeStatus::NotValidOn,
        }
    }

    /// The description of `code` valid on `day` (or its latest description).
    pub fn label(&self, scheme: CodeScheme, code: &str, day: NaiveDate) -> Option<&str> {
        let versions = self.versions(scheme, code)?;
        versions
            .iter()
            .find(|entry| entry.valid_on(day))
            .or_else(|| versions.iter().max_by_key(|entry| entry.valid_from))
            .map(|entry| entry.label.as_str())
    }

    /// Every entry, sorted.
    pub fn entries(&self) -> Vec<CodeEntry> {
        let mut all: Vec<CodeEntry> = self
            .entries
            .values()
            .flat_map(HashMap::values)
            .flatten()
            .cloned()
            .collect();
        all.sort_by(|a, b| {
            (a.scheme, &a.code, a.valid_from).cmp(&(b.scheme, &b.code, b.valid_from))
        });
        all
    }
}

#[derive(Deserialize)]
struct CodeRow {
    scheme: String,
    code: String,
    label_it: String,
    valid_from: String,
    #[serde(default)]
    valid_to: Option<String>,
}

/// Reads a code-table CSV (`scheme,code,label_it,valid_from,valid_to`); every problem is
/// reported with its line.
pub fn read_code_file(path: &Path) -> Result<Vec<CodeEntry>> {
    let name = super::cob::file_name(path);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|error| {
            Error::invalid("unreadable_file", format!("{}: {error}", path.display()))
        })?;
    let mut problems = Problems::default();
    let mut entries = Vec::new();
    for (index, record) in reader.deserialize::<CodeRow>().enumerate() {
        let line = index as u64 + 2;
        let row = match record {
            Ok(row) => row,
            Err(error) => {
                problems.push(&name, line, None, format!("malformed row: {error}"));
                continue;
            }
        };
        let scheme = match CodeScheme::parse(&row.scheme) {
            Ok(scheme) => scheme,
            Err(error) => {
                problems.push(&name, line, Some("scheme"), error.to_string());
                continue;
            }
        };
        let Some(valid_from) = super::cob::parse_date(&row.valid_from) else {
            problems.push(&name, line, Some("valid_from"), "date must be YYYY-MM-DD");
            continue;
        };
        let valid_to = match row.valid_to.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match super::cob::parse_date(text) {
                Some(day) if day >= valid_from => Some(day),
                Some(_) => {
                    problems.push(
                        &name,
                        line,
                        Some("valid_to"),
                        "valid_to is before valid_from",
                    );
                    continue;
                }
                None => {
                    problems.push(&name, line, Some("valid_to"), "date must be YYYY-MM-DD");
                    continue;
                }
            },
        };
        if row.code.trim().is_empty() || row.label_it.trim().is_empty() {
            problems.push(&name, line, Some("code"), "code and label_it are required");
            continue;
        }
        entries.push(CodeEntry {
            scheme,
            code: row.code.trim().to_string(),
            label: row.label_it.trim().to_string(),
            valid_from,
            valid_to,
        });
    }
    problems.into_result()?;
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn validity_dates_decide() {
        let tables = CodeTables::new([CodeEntry {
            scheme: CodeScheme::TipologiaContrattuale,
            code: "B.01.00".into(),
            label: "co.co.co.".into(),
            valid_from: day("2008-01-11"),
            valid_to: Some(day("2016-01-31")),
        }]);
        let scheme = CodeScheme::TipologiaContrattuale;
        assert_eq!(
            tables.check(scheme, "B.01.00", day("2015-05-01")),
            CodeStatus::Valid
        );
        assert_eq!(
            tables.check(scheme, "B.01.00", day("2017-05-01")),
            CodeStatus::NotValidOn
        );
        assert_eq!(
            tables.check(scheme, "Z.99.99", day("2015-05-01")),
            CodeStatus::Unknown
        );
    }
}
