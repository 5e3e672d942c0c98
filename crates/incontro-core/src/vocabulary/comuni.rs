//! Reading a list of comuni: ISTAT's "Elenco comuni italiani" as users download it, or the
//! documented layout of `data/comuni.csv`.
//!
//! ISTAT's file is `;`-separated, in Windows-1252 (older downloads) or UTF-8, with long Italian
//! headers (one of them with a line break inside its quotes) and no coordinates. Columns are
//! found by their header, so ISTAT adding a column (it did with each NUTS revision) changes
//! nothing. The documented layout is
//! `codice_catastale;codice_istat;denominazione;sigla_provincia;lat;lon` (`,` also accepted as
//! separator; decimal comma or point in coordinates; `codice_istat`, `lat` and `lon` optional).

use std::collections::HashSet;
use std::path::Path;

use crate::input::{self, Encoding, TextOptions};
use crate::model::ComuneCode;
use crate::vocabulary::sql::StoredComune;
use crate::{Error, Problems, Result};

/// A list of comuni as read.
#[derive(Debug, Clone)]
pub struct ComuniFile {
    /// The comuni, in file order.
    pub comuni: Vec<StoredComune>,
    /// Whether the headers were ISTAT's own.
    pub istat_layout: bool,
    /// The encoding the file was read in.
    pub encoding: Encoding,
}

/// The columns a list of comuni may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Catastale,
    Istat,
    Name,
    Province,
    Lat,
    Lon,
}

/// A header without case, footnote marks, line breaks or repeated spaces.
fn normalise_header(raw: &str) -> String {
    let lower = raw.trim_start_matches('\u{feff}').to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.join(" ")
}

/// The column a header names: ours exactly, ISTAT's by its wording.
fn column_of(header: &str) -> Option<(Column, bool)> {
    let header = normalise_header(header);
    let ours = match header.as_str() {
        "codice_catastale" | "code" => Some(Column::Catastale),
        "codice_istat" => Some(Column::Istat),
        "denominazione" | "name" => Some(Column::Name),
        "sigla_provincia" | "province" => Some(Column::Province),
        "lat" | "latitudine" => Some(Column::Lat),
        "lon" | "longitudine" => Some(Column::Lon),
        _ => None,
    };
    if let Some(column) = ours {
        return Some((column, false));
    }
    let istat = if header.starts_with("codice catastale") {
        Some(Column::Catastale)
    } else if header.starts_with("codice comune formato alfanumerico") {
        Some(Column::Istat)
    } else if header == "denominazione in italiano" {
        Some(Column::Name)
    } else if header.starts_with("sigla automobilistica") {
        Some(Column::Province)
    } else {
        None
    };
    istat.map(|column| (column, true))
}

/// The encoding to read `raw` in: the one asked for, else UTF-8 when it is valid UTF-8, else
/// Windows-1252 when it reads as such.
fn detect_encoding(raw: &[u8], asked: Option<Encoding>) -> Encoding {
    if let Some(encoding) = asked {
        return encoding;
    }
    if std::str::from_utf8(raw).is_ok() || !input::looks_like_windows_1252(raw) {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    }
}

fn parse_coordinate(raw: &str, range: std::ops::RangeInclusive<f64>) -> Option<f64> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite() && range.contains(value))
}

/// Reads a list of comuni (see the module doc). Every problem is reported with file:line:
/// field; with any problem nothing is returned.
pub fn read_comuni_file(path: &Path, encoding: Option<Encoding>) -> Result<ComuniFile> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let raw = std::fs::read(path).map_err(|source| Error::io(path, source))?;
    let encoding = detect_encoding(&raw, encoding);
    let text = input::read_text(path, &name, TextOptions::with_encoding(encoding))?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() >= first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|error| {
            Error::invalid(crate::ErrorCode::InvalidInput, format!("{name}:1: {error}"))
        })?
        .clone();
    let mut columns: Vec<Option<Column>> = Vec::with_capacity(headers.len());
    let mut istat_layout = false;
    for header in &headers {
        match column_of(header) {
            Some((column, istat)) if !columns.contains(&Some(column)) => {
                istat_layout |= istat;
                columns.push(Some(column));
            }
            _ => columns.push(None),
        }
    }
    let find = |wanted: Column| columns.iter().position(|column| *column == Some(wanted));
    let mut problems = Problems::default();
    let (Some(catastale_at), Some(name_at), Some(province_at)) = (
        find(Column::Catastale),
        find(Column::Name),
        find(Column::Province),
    ) else {
        problems.push(
            &name,
            1,
            None,
            "a list of comuni needs the codice catastale, the name and the province: \
             codice_catastale;codice_istat;denominazione;sigla_provincia;lat;lon, or ISTAT's \
             \"Elenco comuni italiani\" with its headers",
        );
        problems.into_result()?;
        unreachable!("a problem was pushed");
    };
    let istat_at = find(Column::Istat);
    let lat_at = find(Column::Lat);
    let lon_at = find(Column::Lon);
    let mut comuni = Vec::new();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |position| position.line());
                problems.push(&name, line, None, format!("malformed row: {error}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |position| position.line());
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let field = |at: usize| record.get(at).unwrap_or("").trim();
        let code = match ComuneCode::parse(field(catastale_at)) {
            Ok(code) => code,
            Err(_) => {
                problems.push(
                    &name,
                    line,
                    Some("codice_catastale"),
                    format!(
                        "{:?} is not a codice catastale (a letter and three digits, e.g. B648)",
                        input::excerpt(field(catastale_at))
                    ),
                );
                continue;
            }
        };
        if !seen.insert(code.as_str().to_string()) {
            problems.push(
                &name,
                line,
                Some("codice_catastale"),
                format!("{} appears twice", code.as_str()),
            );
            continue;
        }
        let comune_name = field(name_at);
        if comune_name.is_empty() || comune_name.chars().count() > 100 {
            problems.push(
                &name,
                line,
                Some("denominazione"),
                "the name is required (at most 100 characters)",
            );
            continue;
        }
        let province = field(province_at).to_ascii_uppercase();
        if province.len() != 2 || !province.bytes().all(|b| b.is_ascii_uppercase()) {
            problems.push(
                &name,
                line,
                Some("sigla_provincia"),
                format!(
                    "{:?} is not a province (two letters, e.g. LU)",
                    input::excerpt(&province)
                ),
            );
            continue;
        }
        let istat_code = match istat_at.map(field).filter(|code| !code.is_empty()) {
            None => None,
            Some(code) if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) => {
                Some(code.to_string())
            }
            Some(code) => {
                problems.push(
                    &name,
                    line,
                    Some("codice_istat"),
                    format!(
                        "{:?} is not an ISTAT code (six digits, e.g. 046007)",
                        input::excerpt(code)
                    ),
                );
                continue;
            }
        };
        let lat = lat_at.map(field).filter(|value| !value.is_empty());
        let lon = lon_at.map(field).filter(|value| !value.is_empty());
        let coordinates = match (lat, lon) {
            (None, None) => None,
            (Some(lat), Some(lon)) => {
                match (
                    parse_coordinate(lat, 35.0..=48.0),
                    parse_coordinate(lon, 6.0..=19.0),
                ) {
                    (Some(lat), Some(lon)) => Some((lat, lon)),
                    _ => {
                        problems.push(
                            &name,
                            line,
                            Some("lat"),
                            "coordinates must be decimal degrees in Italy (lat 35–48, lon 6–19)",
                        );
                        continue;
                    }
                }
            }
            _ => {
                problems.push(
                    &name,
                    line,
                    Some("lat"),
                    "give both lat and lon, or neither",
                );
                continue;
            }
        };
        comuni.push(StoredComune {
            code: code.as_str().to_string(),
            name: comune_name.to_string(),
            province,
            istat_code,
            coordinates,
        });
    }
    if comuni.is_empty() && problems.is_empty() {
        problems.push(&name, 2, None, "the file lists no comune");
    }
    problems.into_result()?;
    Ok(ComuniFile {
        comuni,
        istat_layout,
        encoding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every problem of a refused file, one a line.
    fn problems(error: crate::Error) -> String {
        match error {
            crate::Error::InvalidInput { problems } => problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            other => other.to_string(),
        }
    }

    fn read(bytes: &[u8]) -> Result<ComuniFile> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("comuni.csv");
        std::fs::write(&path, bytes).unwrap();
        read_comuni_file(&path, None)
    }

    /// ISTAT's own headers (a line break inside a quoted header, footnote marks), `;`, in
    /// Windows-1252 as older downloads are: "Unità" and "Forlì" are single bytes.
    #[test]
    fn istats_file_reads_with_its_own_headers_in_windows_1252() {
        let text = "Codice Regione;\"Codice dell'Unit\u{e0} territoriale sovracomunale \r\n(valida a fini statistici)\";Codice Provincia (Storico)(1);Progressivo del Comune (2);Codice Comune formato alfanumerico;Denominazione (Italiana e straniera);Denominazione in italiano;Denominazione altra lingua;Sigla automobilistica;Codice Catastale del comune\r\n\
09;046;046;007;046007;Capannori;Capannori;;LU;B648\r\n\
08;040;040;012;040012;Forl\u{ec};Forl\u{ec};;FC;D704\r\n\
04;021;021;008;021008;Bolzano/Bozen;Bolzano;Bozen;BZ;A952\r\n";
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect();
        let read = read(&bytes).unwrap();
        assert!(read.istat_layout);
        assert_eq!(read.encoding, Encoding::Windows1252);
        assert_eq!(read.comuni.len(), 3);
        assert_eq!(read.comuni[0].code, "B648");
        assert_eq!(read.comuni[0].istat_code.as_deref(), Some("046007"));
        assert_eq!(read.comuni[1].name, "Forlì");
        // The Italian name, not the bilingual one.
        assert_eq!(read.comuni[2].name, "Bolzano");
        assert_eq!(read.comuni[2].province, "BZ");
        assert!(read
            .comuni
            .iter()
            .all(|comune| comune.coordinates.is_none()));
    }

    #[test]
    fn the_documented_layout_reads_in_utf8_with_decimal_commas() {
        let text = "\u{feff}codice_catastale;codice_istat;denominazione;sigla_provincia;lat;lon\n\
B648;046007;Capannori;LU;43,8425;10,5731\n\
F205;015146;Milano;MI;;\n";
        let read = read(text.as_bytes()).unwrap();
        assert!(!read.istat_layout);
        assert_eq!(read.encoding, Encoding::Utf8);
        assert_eq!(read.comuni[0].coordinates, Some((43.8425, 10.5731)));
        assert_eq!(read.comuni[1].coordinates, None);
    }

    #[test]
    fn bad_rows_are_named_by_line_and_field() {
        let text = "codice_catastale;codice_istat;denominazione;sigla_provincia;lat;lon\n\
B648;046007;Capannori;LU;43.8;10.5\n\
B64;046007;Capannori;LU;;\n\
F205;15146;Milano;MI;;\n\
E715;046017;Lucca;Lucca;;\n\
G882;046026;Porcari;LU;91;10\n\
B648;046007;Capannori;LU;;\n";
        let error = problems(read(text.as_bytes()).unwrap_err());
        for expected in [
            "comuni.csv:3: codice_catastale",
            "comuni.csv:4: codice_istat",
            "comuni.csv:5: sigla_provincia",
            "comuni.csv:6: lat",
            "comuni.csv:7: codice_catastale: B648 appears twice",
        ] {
            assert!(error.contains(expected), "{expected} in {error}");
        }
        let missing = problems(read(b"code;nome\nB648;Capannori\n").unwrap_err());
        assert!(missing.contains("comuni.csv:1"), "{missing}");
    }
}
