//! Time is an input (issue 19): the same demo tells the same story a year apart. Two servers,
//! one on the demo's anchor day and one 52 weeks later, answer the desk's questions; with every
//! date of the later answers moved back 52 weeks, the answers are identical. The CLI's
//! `incontro demo` is compared the same way.

use std::process::Command;

use chrono::{Duration, NaiveDate};
use incontro_core::access::Role;
use serde_json::Value;

use crate::helpers::{spawn_app_on, PERSON, VACANCY};

const YEAR_IN_WEEKS: i64 = 52 * 7;

/// Moves every date in `text` (ISO `YYYY-MM-DD` and Italian `DD/MM/YYYY`) by `days`.
fn shift_dates(text: &str, days: i64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while index < text.len() {
        if let Some((day, format)) = date_at(&text[index..]) {
            out.push_str(&(day + Duration::days(days)).format(format).to_string());
            index += 10;
            continue;
        }
        let char_len = text[index..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[index..index + char_len]);
        index += char_len;
    }
    out
}

fn date_at(text: &str) -> Option<(NaiveDate, &'static str)> {
    let candidate = text.get(..10)?;
    let shape: String = candidate
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    let format = match shape.as_str() {
        "9999-99-99" => "%Y-%m-%d",
        "99/99/9999" => "%d/%m/%Y",
        _ => return None,
    };
    let day = NaiveDate::parse_from_str(candidate, format).ok()?;
    Some((day, format))
}

/// `value` with every date moved by `days`.
pub(crate) fn normalised(value: &Value, days: i64) -> Value {
    serde_json::from_str(&shift_dates(&value.to_string(), days)).expect("json")
}

/// `value` as it reads on the demo's anchor day: the demo's dates moved back by the whole weeks the
/// test day is past the anchor (so the snapshots hold on any `INCONTRO_E2E_TODAY`).
pub(crate) fn as_on_anchor(value: &Value) -> Value {
    let anchor = incontro_core::records::DEMO_ANCHOR;
    let days = (crate::helpers::test_today() - anchor).num_days();
    normalised(value, -(days.div_euclid(7) * 7))
}

#[test]
fn the_desk_gives_the_same_answers_a_year_apart() {
    let anchor = incontro_core::records::DEMO_ANCHOR;
    let later = anchor + Duration::days(YEAR_IN_WEEKS);
    let before = spawn_app_on(anchor);
    let after = spawn_app_on(later);
    let paths = [
        format!("/v1/job-seekers/{PERSON}/vacancies?k=10"),
        format!("/v1/job-seekers/{PERSON}/competences"),
        format!("/v1/vacancies/{VACANCY}/candidates?k=10"),
        format!("/v1/job-seekers/{PERSON}/course-doors"),
        "/v1/vacancies?limit=100".to_string(),
    ];
    for path in &paths {
        let first = before.get(path, Role::Admin);
        let second = after.get(path, Role::Admin);
        assert_eq!(first.status, 200, "{path}: {:?}", first.body);
        assert_eq!(second.status, 200, "{path}: {:?}", second.body);
        assert_eq!(
            first.body,
            normalised(&second.body, -YEAR_IN_WEEKS),
            "{path} differs a year later"
        );
    }
    // The desk view is not empty a year later: the vacancies moved with the calendar.
    let ranked = after.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies?k=10"),
        Role::Admin,
    );
    let listed = ranked.body.as_array().map_or_else(
        || ranked.body["items"].as_array().map_or(0, Vec::len),
        Vec::len,
    );
    assert!(listed > 0, "no vacancies a year later: {}", ranked.body);
}

#[test]
fn incontro_demo_tells_the_same_story_a_year_apart() {
    let anchor = incontro_core::records::DEMO_ANCHOR;
    let run = |day: NaiveDate| {
        let data_dir = tempfile::tempdir().expect("tempdir");
        let output = Command::new(env!("CARGO_BIN_EXE_incontro"))
            .env("INCONTRO_TODAY", day.to_string())
            .arg("--quiet")
            .arg("--data-dir")
            .arg(data_dir.path())
            .envs(crate::helpers::database_env(data_dir.path()))
            .arg("demo")
            .output()
            .expect("run incontro demo");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let path = data_dir.path().display().to_string();
        String::from_utf8(output.stdout)
            .expect("utf-8")
            .replace(&path, "DATA")
    };
    let first = run(anchor);
    let second = run(anchor + Duration::days(YEAR_IN_WEEKS));
    assert!(first.contains("V0"), "the demo lists vacancies:\n{first}");
    let first_lines: Vec<&str> = first.lines().collect();
    let moved = shift_dates(&second, -YEAR_IN_WEEKS);
    let second_lines: Vec<&str> = moved.lines().collect();
    assert_eq!(first_lines, second_lines);
}

#[test]
fn dates_are_moved_in_both_formats() {
    assert_eq!(
        shift_dates("dal 2027-01-11 al 19/03/2027, 3 posti", 7),
        "dal 2027-01-18 al 26/03/2027, 3 posti"
    );
}
