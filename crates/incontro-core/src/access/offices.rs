//! Offices in words (issue 15, point 12): the name and address a resident reads on the booking
//! confirmation and its `.ics`, and staff read instead of a province code.
//!
//! What it does: keeps one row per office code (the code of accounts, keys and slots, e.g. `LU`)
//! with its name, address and comune; while none was ever saved, the shipped
//! `data/offices.csv` (the demo's offices LU and MI) applies. The admin edits an office; the
//! first edit copies the shipped ones into the store so none is lost.
//!
//! What it does NOT do: decide who works where (accounts carry their office) or check that a
//! slot's office exists (an office without a row reads as its province name).

use std::path::Path;

use serde::Serialize;

use crate::access::sql::offices as sql;
use crate::model::ComuneCode;
use crate::{Engine, Error, ErrorCode, Result};

/// An office as the public reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Office {
    /// The office code (a province sigla such as `LU`).
    pub code: String,
    /// Its name: "Centro per l'impiego di Lucca".
    pub name: String,
    /// Street, number, postcode and town: "Via di Tiglio 2, 55100 Lucca".
    pub address: String,
    /// The comune (codice catastale).
    pub comune: String,
}

impl Office {
    /// Checks and tidies an office typed by the admin: code 1-8 letters or digits (upper-cased),
    /// name 3-120 and address 5-200 characters, the comune a codice catastale.
    pub fn new(code: &str, name: &str, address: &str, comune: &str) -> Result<Office> {
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() || code.len() > 8 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                ErrorCode::InvalidOffice,
                "office must be 1-8 letters or digits (a province code such as LU)",
            ));
        }
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if !(3..=120).contains(&name.chars().count()) {
            return Err(Error::invalid(
                ErrorCode::InvalidOfficeName,
                "the office name must be 3-120 characters",
            ));
        }
        let address = address.split_whitespace().collect::<Vec<_>>().join(" ");
        if !(5..=200).contains(&address.chars().count()) {
            return Err(Error::invalid(
                ErrorCode::InvalidOfficeAddress,
                "the office address must be 5-200 characters",
            ));
        }
        let comune = ComuneCode::parse(comune.trim())?;
        Ok(Office {
            code,
            name,
            address,
            comune: comune.as_str().to_string(),
        })
    }

    /// "Centro per l'impiego di Lucca, Via di Tiglio 2, 55100 Lucca": the `.ics` LOCATION.
    pub fn place(&self) -> String {
        format!("{}, {}", self.name, self.address)
    }

    fn from_row((code, name, address, comune): sql::OfficeRow) -> Office {
        Office {
            code,
            name,
            address,
            comune,
        }
    }
}

/// Every office in words, for a page that names several: an office with a row reads as its
/// name, one without as its province's name ("Lucca"), an unknown code as itself.
#[derive(Debug, Clone, Default)]
pub struct OfficeDirectory {
    offices: Vec<Office>,
    provinces: std::collections::HashMap<String, String>,
}

impl OfficeDirectory {
    /// A directory of `offices`, with `province_name` for offices without a row.
    pub fn new(offices: Vec<Office>, words: &crate::vocabulary::Vocabulary) -> Self {
        let provinces = words
            .labels(crate::vocabulary::CodeList::Provincia)
            .into_iter()
            .map(|(code, name)| (code.to_string(), name.to_string()))
            .collect();
        OfficeDirectory { offices, provinces }
    }

    /// The office of a code, when it has a row.
    pub fn office(&self, code: &str) -> Option<&Office> {
        let wanted = code.trim().to_ascii_uppercase();
        self.offices.iter().find(|office| office.code == wanted)
    }

    /// Every office with a row, by code.
    pub fn offices(&self) -> &[Office] {
        &self.offices
    }

    /// "Centro per l'impiego di Lucca"; "Lucca" for a province without an office row; the code
    /// when neither is known.
    pub fn name(&self, code: &str) -> String {
        if let Some(office) = self.office(code) {
            return office.name.clone();
        }
        let sigla = code.trim().to_ascii_uppercase();
        self.provinces
            .get(&sigla)
            .cloned()
            .unwrap_or_else(|| code.trim().to_string())
    }

    /// The name with the address when known: where a resident goes.
    pub fn place(&self, code: &str) -> String {
        match self.office(code) {
            Some(office) => office.place(),
            None => self.name(code),
        }
    }
}

/// Reads an offices file (`code;name;address;comune`); any bad row is reported with
/// file:line: field and nothing is returned.
pub fn read_offices_file(path: &Path) -> Result<Vec<Office>> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let text = std::fs::read_to_string(path).map_err(|source| Error::io(path, source))?;
    parse_offices(&name, &text)
}

fn parse_offices(name: &str, text: &str) -> Result<Vec<Office>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let mut problems = crate::Problems::default();
    let mut offices = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |position| position.line());
                problems.push(name, line, None, format!("malformed row: {error}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |position| position.line());
        let field = |at: usize| record.get(at).unwrap_or("");
        match Office::new(field(0), field(1), field(2), field(3)) {
            Ok(office) => offices.push(office),
            Err(error) => problems.push(name, line, Some("office"), error.to_string()),
        }
    }
    problems.into_result()?;
    Ok(offices)
}

impl Engine {
    /// Every office, by code: the saved ones, or the shipped `data/offices.csv` while none was
    /// saved.
    pub fn offices(&self) -> Result<Vec<Office>> {
        let stored = self.store().read(sql::offices)?;
        if !stored.is_empty() {
            return Ok(stored.into_iter().map(Office::from_row).collect());
        }
        let shipped = crate::records::demo_dir().join("offices.csv");
        if shipped.is_file() {
            return read_offices_file(&shipped);
        }
        Ok(Vec::new())
    }

    /// Every office in words (see [`OfficeDirectory`]).
    pub fn office_directory(&self) -> Result<OfficeDirectory> {
        Ok(OfficeDirectory::new(self.offices()?, &self.vocabulary()?))
    }

    /// The office of a code (case-insensitive), when known.
    pub fn office(&self, code: &str) -> Result<Option<Office>> {
        let wanted = code.trim().to_ascii_uppercase();
        Ok(self
            .offices()?
            .into_iter()
            .find(|office| office.code == wanted))
    }

    /// Adds or replaces an office (the admin's edit). The first save keeps the shipped offices.
    pub fn save_office(&self, office: &Office) -> Result<()> {
        let current = self.offices()?;
        self.store().write(|tx| {
            if sql::offices(tx)?.is_empty() {
                for shipped in &current {
                    sql::upsert_office(
                        tx,
                        &(
                            shipped.code.clone(),
                            shipped.name.clone(),
                            shipped.address.clone(),
                            shipped.comune.clone(),
                        ),
                    )?;
                }
            }
            sql::upsert_office(
                tx,
                &(
                    office.code.clone(),
                    office.name.clone(),
                    office.address.clone(),
                    office.comune.clone(),
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_office_is_checked_and_tidied() {
        let office = Office::new(
            " lu ",
            "Centro per  l'impiego di Lucca",
            "Via di Tiglio 2, 55100 Lucca",
            "E715",
        )
        .unwrap();
        assert_eq!(office.code, "LU");
        assert_eq!(office.name, "Centro per l'impiego di Lucca");
        assert_eq!(
            office.place(),
            "Centro per l'impiego di Lucca, Via di Tiglio 2, 55100 Lucca"
        );
        for (code, name, address, comune) in [
            ("", "Centro", "Via Roma 1", "E715"),
            ("LU", "CP", "Via Roma 1", "E715"),
            ("LU", "Centro", "Via", "E715"),
            ("LU", "Centro", "Via Roma 1", "Lucca"),
        ] {
            assert!(
                Office::new(code, name, address, comune).is_err(),
                "{code} {name}"
            );
        }
    }

    #[test]
    fn an_office_without_a_row_reads_as_its_province() {
        let mut labels = std::collections::HashMap::new();
        labels.insert(
            (crate::vocabulary::CodeList::Provincia, "PI".to_string()),
            "Pisa".to_string(),
        );
        let words = crate::vocabulary::Vocabulary::new(Vec::new(), labels, Default::default());
        let lucca = Office::new(
            "LU",
            "Centro per l'impiego di Lucca",
            "Via di Tiglio 2, 55100 Lucca",
            "E715",
        )
        .unwrap();
        let directory = OfficeDirectory::new(vec![lucca], &words);
        assert_eq!(directory.name("lu"), "Centro per l'impiego di Lucca");
        assert_eq!(
            directory.place("LU"),
            "Centro per l'impiego di Lucca, Via di Tiglio 2, 55100 Lucca"
        );
        assert_eq!(directory.name("PI"), "Pisa");
        assert_eq!(directory.place("PI"), "Pisa");
        assert_eq!(directory.name("X9"), "X9");
    }

    #[test]
    fn a_bad_row_names_its_line_and_nothing_is_read() {
        let error = parse_offices(
            "offices.csv",
            "code;name;address;comune\nLU;Centro per l'impiego di Lucca;Via di Tiglio 2;E715\nMI;;Viale Jenner 24;F205\n",
        )
        .unwrap_err();
        assert!(error.to_string().contains("offices.csv:3"), "{error}");
    }

    #[test]
    fn the_shipped_offices_read() {
        let offices = read_offices_file(&crate::records::demo_dir().join("offices.csv")).unwrap();
        let codes: Vec<&str> = offices.iter().map(|office| office.code.as_str()).collect();
        assert_eq!(codes, ["LU", "MI"]);
    }
}
