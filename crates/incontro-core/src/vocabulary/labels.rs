//! Reading a label list: `code;label` (`,` also accepted), or ISTAT's ATECO and CP2011 tables by
//! their headers (`Codice Ateco 2007` / `Titolo Ateco 2007`, `Codice` / `Nome`, …).

use std::collections::HashSet;
use std::path::Path;

use super::CodeList;
use crate::input::{self, Encoding, TextOptions};
use crate::{Error, Problems, Result};

fn normalise_header(raw: &str) -> String {
    let lower = raw.trim_start_matches('\u{feff}').to_lowercase();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `code` is well formed for `list`.
fn well_formed(list: CodeList, code: &str) -> bool {
    match list {
        CodeList::Provincia => code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()),
        // `17`, `17.1`, `17.12`, `17.12.0`, `17.12.00`; CP2011 `6`, … `6.2.1.2.0`.
        CodeList::Ateco | CodeList::Cp2011 => {
            !code.is_empty()
                && code
                    .split('.')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        }
    }
}

/// Reads a label list for `list`: `(code, label)` in file order. Every problem is reported with
/// file:line: field; with any problem nothing is returned.
pub fn read_label_file(path: &Path, list: CodeList) -> Result<Vec<(String, String)>> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let raw = std::fs::read(path).map_err(|source| Error::io(path, source))?;
    let encoding = if std::str::from_utf8(&raw).is_ok() || !input::looks_like_windows_1252(&raw) {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    };
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
    let headers: Vec<String> = headers.iter().map(normalise_header).collect();
    let code_at = headers.iter().position(|header| {
        header == "code"
            || header == "codice"
            || header.starts_with("codice ateco")
            || header == "sigla"
    });
    let label_at = headers.iter().position(|header| {
        header == "label"
            || header == "label_it"
            || header == "nome"
            || header == "denominazione"
            || header.starts_with("titolo")
            || header.starts_with("descrizione")
    });
    let mut problems = Problems::default();
    let (Some(code_at), Some(label_at)) = (code_at, label_at) else {
        problems.push(
            &name,
            1,
            None,
            "a label list needs a code and a label column: code;label (or ISTAT's headers)",
        );
        problems.into_result()?;
        unreachable!("a problem was pushed");
    };
    let mut rows = Vec::new();
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
        let code = record.get(code_at).unwrap_or("").trim();
        let label = record.get(label_at).unwrap_or("").trim();
        if code.is_empty() && label.is_empty() {
            continue;
        }
        if !well_formed(list, code) {
            problems.push(
                &name,
                line,
                Some("code"),
                format!("{:?} is not a {} code", input::excerpt(code), list.as_str()),
            );
            continue;
        }
        if label.is_empty() || label.chars().count() > 300 {
            problems.push(
                &name,
                line,
                Some("label"),
                "the label is required (at most 300 characters)",
            );
            continue;
        }
        if !seen.insert(code.to_string()) {
            problems.push(&name, line, Some("code"), format!("{code} appears twice"));
            continue;
        }
        rows.push((code.to_string(), label.to_string()));
    }
    problems.into_result()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(list: CodeList, text: &str) -> Result<Vec<(String, String)>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.csv");
        std::fs::write(&path, text).unwrap();
        read_label_file(&path, list)
    }

    #[test]
    fn ours_and_istats_headers_read() {
        let ours = read(
            CodeList::Ateco,
            "code;label\n17.12.00;Fabbricazione di carta e cartone\n",
        )
        .unwrap();
        assert_eq!(ours[0].0, "17.12.00");
        let istat = read(
            CodeList::Ateco,
            "Codice Ateco 2007;Titolo Ateco 2007 aggiornamento 2022\n62.01.00;Produzione di software non connesso all'edizione\n",
        )
        .unwrap();
        assert_eq!(
            istat[0].1,
            "Produzione di software non connesso all'edizione"
        );
        let provinces = read(CodeList::Provincia, "sigla,nome\nLU,Lucca\n").unwrap();
        assert_eq!(provinces, vec![("LU".to_string(), "Lucca".to_string())]);
    }

    #[test]
    fn wrong_codes_are_named_by_line() {
        let error = match read(
            CodeList::Cp2011,
            "code;label\n6.2.1.2.0;Saldatori\n6.2.x;Altro\n6.2.1.2.0;Di nuovo\n",
        )
        .unwrap_err()
        {
            crate::Error::InvalidInput { problems } => problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            other => other.to_string(),
        };
        assert!(error.contains("labels.csv:3: code"), "{error}");
        assert!(
            error.contains("labels.csv:4: code: 6.2.1.2.0 appears twice"),
            "{error}"
        );
    }
}
