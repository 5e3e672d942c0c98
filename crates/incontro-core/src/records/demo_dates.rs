//! The demo dataset, dated relative to the day it is loaded.
//!
//! The demo's desk story (open vacancies, courses about to start, months in past jobs, available
//! from) was written on [`DEMO_ANCHOR`]. Loaded on another day, every date of the desk files moves
//! by the same whole number of weeks (weekdays stay weekdays), so `incontro demo` tells the same
//! story on any day. The Milan COB extract (`outreach_*`) is a historical extract with its own
//! reference date in the rule and is not moved; birth dates are never moved.

use std::path::Path;

use chrono::NaiveDate;

use crate::{Error, ErrorCode, Result};

/// The day the demo's desk story was written for.
pub const DEMO_ANCHOR: NaiveDate = match NaiveDate::from_ymd_opt(2026, 12, 1) {
    Some(day) => day,
    None => panic!("valid anchor"),
};

/// Days to add to every demo date when loading it on `today`: whole weeks, rounded down.
pub fn demo_shift_days(today: NaiveDate) -> i64 {
    let days = today.signed_duration_since(DEMO_ANCHOR).num_days();
    days.div_euclid(7) * 7
}

/// Columns that hold dates but must not move.
const FIXED_COLUMNS: [&str; 2] = ["DataNascita", "birth_date"];

/// Copies the desk files of `source` (every `*.csv` not starting with `outreach_`) into `target`
/// with every `YYYY-MM-DD` field moved by `days`.
pub fn copy_shifted(source: &Path, target: &Path, days: i64) -> Result<()> {
    let unreadable = |path: &Path, error: &dyn std::fmt::Display| {
        Error::invalid(
            ErrorCode::UnreadableFile,
            format!("{}: {error}", path.display()),
        )
    };
    let entries = std::fs::read_dir(source).map_err(|error| unreadable(source, &error))?;
    for entry in entries {
        let path = entry.map_err(|error| unreadable(source, &error))?.path();
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        if !name.ends_with(".csv") || name.starts_with("outreach_") {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(&path)
            .map_err(|error| unreadable(&path, &error))?;
        let headers = reader
            .headers()
            .map_err(|error| unreadable(&path, &error))?
            .clone();
        let fixed: Vec<bool> = headers
            .iter()
            .map(|header| FIXED_COLUMNS.contains(&header))
            .collect();
        let out = target.join(name);
        let mut writer = csv::Writer::from_path(&out).map_err(|error| unreadable(&out, &error))?;
        writer
            .write_record(&headers)
            .map_err(|error| unreadable(&out, &error))?;
        for record in reader.records() {
            let record = record.map_err(|error| unreadable(&path, &error))?;
            let shifted: Vec<String> = record
                .iter()
                .enumerate()
                .map(|(column, field)| shift_field(field, days, fixed[column]))
                .collect();
            writer
                .write_record(&shifted)
                .map_err(|error| unreadable(&out, &error))?;
        }
        writer.flush().map_err(|error| unreadable(&out, &error))?;
    }
    Ok(())
}

fn shift_field(field: &str, days: i64, fixed: bool) -> String {
    let looks_like_date =
        field.len() == 10 && field.as_bytes()[4] == b'-' && field.as_bytes()[7] == b'-';
    if fixed || days == 0 || !looks_like_date {
        return field.to_string();
    }
    match NaiveDate::parse_from_str(field, "%Y-%m-%d") {
        Ok(day) => (day + chrono::TimeDelta::days(days)).to_string(),
        Err(_) => field.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_weeks_keep_weekdays() {
        let year_later = NaiveDate::from_ymd_opt(2027, 12, 1).unwrap();
        let shift = demo_shift_days(year_later);
        assert_eq!(shift, 364);
        assert_eq!(demo_shift_days(DEMO_ANCHOR), 0);
        assert_eq!(demo_shift_days(DEMO_ANCHOR + chrono::TimeDelta::days(6)), 0);
        assert_eq!(
            demo_shift_days(DEMO_ANCHOR - chrono::TimeDelta::days(1)),
            -7
        );
    }

    #[test]
    fn dates_move_but_birth_dates_and_text_do_not() {
        assert_eq!(shift_field("2027-01-11", 7, false), "2027-01-18");
        assert_eq!(shift_field("1978-02-07", 7, true), "1978-02-07");
        assert_eq!(shift_field("Lucca", 7, false), "Lucca");
        assert_eq!(shift_field("02100000468", 7, false), "02100000468");
    }
}
