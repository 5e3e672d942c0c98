//! Versioned COB code tables: communication types, contract types, termination reasons,
//! transformations.
//!
//! Codes change with each Ministry tracciato release, so every entry carries its validity dates
//! and a notice's code is checked against the table valid on the notice's date. Descriptions come
//! only from the imported tables (`data/cob_codes.csv`), never from the code. What a code *does*
//! to a rapporto is data too: the optional `effect` column ([`CodeEffect`]) says that `DI` makes a
//! contract open-ended, that `C.01.00` is a tirocinio, that `03` replaces the notice it points to.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Error, ErrorCode, Problems, Result};

/// The code lists a COB notice is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CodeScheme {
    /// `TipoComunicazione` (`01`–`09`: ordinary, rettifica, annullamento, inserimento d'ufficio,
    /// regularisations of an urgenza …).
    TipoComunicazione,
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
            CodeScheme::TipoComunicazione => "TipoComunicazione",
            CodeScheme::TipologiaContrattuale => "TipologiaContrattuale",
            CodeScheme::CausaCessazione => "CausaCessazione",
            CodeScheme::Trasformazione => "Trasformazione",
        }
    }

    /// Parses a scheme name.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim() {
            "TipoComunicazione" => Ok(CodeScheme::TipoComunicazione),
            "TipologiaContrattuale" => Ok(CodeScheme::TipologiaContrattuale),
            "CausaCessazione" => Ok(CodeScheme::CausaCessazione),
            "Trasformazione" => Ok(CodeScheme::Trasformazione),
            other => Err(Error::invalid(
                ErrorCode::InvalidCodeScheme,
                format!(
                "unknown code scheme {other:?} (TipoComunicazione, TipologiaContrattuale, CausaCessazione, Trasformazione)"
            ),
            )),
        }
    }
}

/// What a code does to the rapporto it is part of (the `effect` column of a code table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeEffect {
    /// `TipoComunicazione`: an event of its own (the default).
    Ordinary,
    /// `TipoComunicazione`: replaces the notice it points to.
    Rettifica,
    /// `TipoComunicazione`: cancels the notice it points to and is no event itself.
    Annullamento,
    /// `TipoComunicazione`: completes (and so replaces) the urgenza it points to; without a
    /// pointer it is an event of its own.
    Regularises,
    /// `Trasformazione`: the contract becomes open-ended, whatever `DataFine` the row carries.
    ToOpenEnded,
    /// `Trasformazione`: the contract keeps its end date (part-time changes …; the default).
    KeepsEnd,
    /// `Trasformazione`: a trasferimento or distacco; the rapporto and its end date go on.
    Transfer,
    /// `TipologiaContrattuale`: a job (the default).
    Work,
    /// `TipologiaContrattuale`: a tirocinio, which is not a job (the tirocinante keeps the stato
    /// di disoccupazione) unless a cohort rule says otherwise.
    Tirocinio,
}

impl CodeEffect {
    /// The name written in code-table files.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeEffect::Ordinary => "ordinary",
            CodeEffect::Rettifica => "rettifica",
            CodeEffect::Annullamento => "annullamento",
            CodeEffect::Regularises => "regularises",
            CodeEffect::ToOpenEnded => "to_open_ended",
            CodeEffect::KeepsEnd => "keeps_end",
            CodeEffect::Transfer => "transfer",
            CodeEffect::Work => "work",
            CodeEffect::Tirocinio => "tirocinio",
        }
    }

    /// The effects a scheme's codes may have; the first is the default.
    pub fn allowed(scheme: CodeScheme) -> &'static [CodeEffect] {
        match scheme {
            CodeScheme::TipoComunicazione => &[
                CodeEffect::Ordinary,
                CodeEffect::Rettifica,
                CodeEffect::Annullamento,
                CodeEffect::Regularises,
            ],
            CodeScheme::TipologiaContrattuale => &[CodeEffect::Work, CodeEffect::Tirocinio],
            CodeScheme::Trasformazione => &[
                CodeEffect::KeepsEnd,
                CodeEffect::ToOpenEnded,
                CodeEffect::Transfer,
            ],
            CodeScheme::CausaCessazione => &[],
        }
    }

    /// Parses an effect name valid for `scheme` (empty = the scheme's default).
    pub fn parse(scheme: CodeScheme, raw: &str) -> std::result::Result<Option<Self>, String> {
        let allowed = Self::allowed(scheme);
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(allowed.first().copied());
        }
        allowed
            .iter()
            .copied()
            .find(|effect| effect.as_str() == raw)
            .map(Some)
            .ok_or_else(|| {
                let names: Vec<&str> = allowed.iter().map(|effect| effect.as_str()).collect();
                if names.is_empty() {
                    format!("{} codes take no effect", scheme.as_str())
                } else {
                    format!(
                        "unknown effect {raw:?} for {} (one of: {})",
                        scheme.as_str(),
                        names.join(", ")
                    )
                }
            })
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
    /// What the code does (None for schemes without effects).
    #[serde(default)]
    pub effect: Option<CodeEffect>,
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
    // ahash: every row of a multi-million-row import looks several codes up.
    entries: HashMap<
        CodeScheme,
        HashMap<String, Vec<CodeEntry>, ahash::RandomState>,
        ahash::RandomState,
    >,
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
            .flat_map(|codes| codes.values())
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

    /// The effect of `code` on `day` (or of its latest version); None when unknown.
    pub fn effect(&self, scheme: CodeScheme, code: &str, day: NaiveDate) -> Option<CodeEffect> {
        let versions = self.versions(scheme, code)?;
        versions
            .iter()
            .find(|entry| entry.valid_on(day))
            .or_else(|| versions.iter().max_by_key(|entry| entry.valid_from))
            .and_then(|entry| entry.effect)
    }

    /// The codes of `scheme` that have `effect` in any version.
    pub fn codes_with(&self, scheme: CodeScheme, effect: CodeEffect) -> Vec<String> {
        let mut codes: Vec<String> = self
            .entries
            .get(&scheme)
            .into_iter()
            .flat_map(|codes| codes.iter())
            .filter(|(_, versions)| versions.iter().any(|entry| entry.effect == Some(effect)))
            .map(|(code, _)| code.clone())
            .collect();
        codes.sort();
        codes
    }

    /// Every entry, sorted.
    pub fn entries(&self) -> Vec<CodeEntry> {
        let mut all: Vec<CodeEntry> = self
            .entries
            .values()
            .flat_map(|codes| codes.values())
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
    #[serde(default)]
    effect: Option<String>,
}

/// Reads a code-table CSV (`scheme,code,label_it,valid_from,valid_to[,effect]`); every problem
/// is reported with its line.
pub fn read_code_file(path: &Path) -> Result<Vec<CodeEntry>> {
    let name = super::cob::file_name(path);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|error| {
            Error::invalid(
                ErrorCode::UnreadableFile,
                format!("{}: {error}", path.display()),
            )
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
        let effect = match CodeEffect::parse(scheme, row.effect.as_deref().unwrap_or("")) {
            Ok(effect) => effect,
            Err(message) => {
                problems.push(&name, line, Some("effect"), message);
                continue;
            }
        };
        entries.push(CodeEntry {
            scheme,
            code: row.code.trim().to_string(),
            label: row.label_it.trim().to_string(),
            valid_from,
            valid_to,
            effect,
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
            effect: Some(CodeEffect::Work),
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
