//! Issue 18, point 4 (AI Act art. 12): every ranking served over HTTP and in the console is in
//! the ranking log; `incontro explain --log-id N` reproduces it until the data changes;
//! `incontro purge` removes the rankings older than the office's retention.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use incontro_core::access::Role;
use serde_json::Value;

use crate::helpers::{
    body_text, console_get, console_session, header, spawn_app, test_today, vacancy_body, TestApp,
};

fn incontro(data_dir: &Path, today: chrono::NaiveDate, args: &[&str]) -> Output {
    let binary = match std::env::var_os("INCONTRO_BIN") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_BIN_EXE_incontro")),
    };
    Command::new(binary)
        .env("INCONTRO_TODAY", today.to_string())
        .env_remove("INCONTRO_CONFIG")
        .env_remove("INCONTRO_RANKING_LOG_RETENTION_MONTHS")
        .arg("--quiet")
        .arg("--data-dir")
        .arg(data_dir)
        .envs(crate::helpers::database_env(data_dir))
        .args(args)
        .output()
        .expect("run incontro")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// A ranked list over the real socket: its body and its ranking log id.
fn ranked(app: &TestApp, path: &str) -> (Value, i64) {
    let response = ureq::get(format!("{}{path}", app.address))
        .header("Authorization", format!("Bearer {}", app.keys[&Role::Desk]))
        .call()
        .expect("ranked list");
    let log_id = header(&response, "x-ranking-log-id")
        .expect("a ranking log id header")
        .parse()
        .expect("a number");
    let body = serde_json::from_str(&body_text(response)).expect("json");
    (body, log_id)
}

fn explain(app: &TestApp, log_id: i64) -> (bool, String, String) {
    let output = incontro(
        app.data_dir(),
        test_today(),
        &["explain", "--log-id", &log_id.to_string()],
    );
    let (stdout, stderr) = text(&output);
    (output.status.success(), stdout, stderr)
}

#[test]
fn rankings_served_are_logged_reproduced_and_purged() {
    let app = spawn_app();
    let (vacancies, vacancies_log) = ranked(&app, "/v1/job-seekers/JS0001/vacancies?k=5");
    let (candidates, candidates_log) = ranked(&app, "/v1/vacancies/V001/candidates?k=4&exact=true");
    let (_doors, doors_log) = ranked(&app, "/v1/job-seekers/JS0001/course-doors?k=3");
    assert!(candidates_log > vacancies_log && doors_log > candidates_log);
    let session = console_session(&app, &app.keys[&Role::Desk]);
    let (status, page) = console_get(&app, &session, "/console/desk/people/JS0001");
    assert_eq!(status, 200);
    let console_log: i64 = page
        .split("data-log-id=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the console names the ranking's log id")
        .parse()
        .expect("a number");
    assert!(console_log > doors_log);

    // Each is reproduced from the log: the same ids with the same scores.
    let (ok, stdout, stderr) = explain(&app, vacancies_log);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("vacancies_for_person JS0001"), "{stdout}");
    assert!(stdout.contains("through the api"), "{stdout}");
    assert!(stdout.contains("role desk, office LU"), "{stdout}");
    assert!(stdout.contains("scoring: default"), "{stdout}");
    assert!(stdout.contains("reproduced: ranked again"), "{stdout}");
    let items = vacancies["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for item in items {
        let line = format!(
            "{:<12} {:.4}",
            item["vacancy_id"].as_str().expect("id"),
            item["score"].as_f64().expect("score")
        );
        assert!(stdout.contains(&line), "{line} in\n{stdout}");
    }
    assert!(!stdout.contains("BNCGLI94E52L833Q"), "no codice fiscale");
    let (ok, stdout, stderr) = explain(&app, candidates_log);
    assert!(ok, "{stdout}\n{stderr}");
    assert!(stdout.contains("scoring: exact"), "{stdout}");
    for item in candidates["items"].as_array().expect("items") {
        assert!(stdout.contains(item["job_seeker_id"].as_str().expect("id")));
    }
    for log_id in [doors_log, console_log] {
        let (ok, stdout, stderr) = explain(&app, log_id);
        assert!(ok, "{log_id}: {stdout}\n{stderr}");
    }
    let (_, stdout, _) = explain(&app, console_log);
    assert!(stdout.contains("through the console"), "{stdout}");

    // A write (a new draft vacancy): the data changed since, so the ranking cannot be
    // reproduced; explain says which revision it was served on.
    let health = app.request("GET", "/health", None, None);
    let logged_revision = health.body["data_revision"].as_i64().expect("revision");
    let created = app.request(
        "POST",
        "/v1/vacancies",
        Some(&app.keys[&Role::Validator]),
        Some(&vacancy_body("VT18")),
    );
    assert_eq!(created.status, 201, "{:?}", created.body);
    let (ok, stdout, stderr) = explain(&app, vacancies_log);
    assert!(!ok, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "cannot reproduce: the data changed since the ranking (revision {logged_revision} then, {} now",
            logged_revision + 1
        )),
        "{stdout}"
    );
    // A draft is not offered: the list itself is the same today.
    assert!(
        stdout.contains("ranking again on the current data gives the same ids and scores"),
        "{stdout}"
    );
    assert!(stderr.contains("cannot be reproduced"), "{stderr}");

    // Retention: 12 months keeps everything; 6 months, seven months later, removes them all.
    let later = test_today()
        .checked_add_months(chrono::Months::new(7))
        .expect("day");
    let output = incontro(
        app.data_dir(),
        later,
        &["purge", "--ranking-log-retention-months", "12"],
    );
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("purged 0 ranking(s)"), "{stdout}");
    let output = incontro(app.data_dir(), later, &["purge"]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("purged 4 ranking(s)") && stdout.contains("retention 6 months"),
        "{stdout}"
    );
    let (ok, _, stderr) = explain(&app, vacancies_log);
    assert!(!ok);
    assert!(stderr.contains("ranking log entry"), "{stderr}");
}
