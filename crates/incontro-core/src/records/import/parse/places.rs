//! Comuni and the CP2011 → ISCO-08 crosswalk.

use super::super::*;
use super::Parsed;

#[derive(Deserialize)]
struct ComuneRow {
    code: String,
    name: String,
    province: String,
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct CrosswalkRow {
    cp2011: String,
    isco08: String,
}

/// Comuni and the CP2011 → ISCO-08 crosswalk.
pub(super) fn parse_places(
    files: &RecordFiles,
    parsed: &mut Parsed,
    problems: &mut Problems,
) -> Result<()> {
    if let Some(path) = &files.comuni {
        let file = file_name(path);
        let mut seen = HashSet::new();
        for (line, row) in read_rows::<ComuneRow>(
            files,
            path,
            &["code", "name", "province", "lat", "lon"],
            problems,
        )? {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let code = check.field("code", ComuneCode::parse(&row.code));
            if !(-90.0..=90.0).contains(&row.lat) || !(-180.0..=180.0).contains(&row.lon) {
                check.fail("lat", "coordinates out of range");
            }
            if let Some(code) = code {
                if !seen.insert(code.clone()) {
                    check.fail("code", format!("duplicate comune {}", code.as_str()));
                } else if check.ok {
                    parsed
                        .comuni
                        .push((code, row.name, row.province, row.lat, row.lon));
                }
            }
        }
    }
    if let Some(path) = &files.crosswalk {
        let file = file_name(path);
        for (line, row) in read_rows::<CrosswalkRow>(files, path, &["cp2011", "isco08"], problems)?
        {
            let mut check = RowCheck {
                file: file.clone(),
                line,
                problems,
                ok: true,
            };
            let cp_ok = row.cp2011.split('.').count() >= 5
                && row
                    .cp2011
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if !cp_ok {
                check.fail(
                    "cp2011",
                    format!("CP2011 code must look like 5.1.2.2.0, got {:?}", row.cp2011),
                );
            }
            if row.isco08.len() != 4 || !row.isco08.bytes().all(|b| b.is_ascii_digit()) {
                check.fail(
                    "isco08",
                    format!(
                        "ISCO-08 unit group must have 4 digits, got {:?}",
                        row.isco08
                    ),
                );
            }
            if check.ok {
                parsed.crosswalk.push((row.cp2011, row.isco08));
            }
        }
    }
    Ok(())
}
