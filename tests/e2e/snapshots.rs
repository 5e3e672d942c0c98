//! The HTTP contract, snapshotted with insta (ids of keys and times redacted).

use incontro_core::access::Role;

use crate::dates::as_on_anchor;
use crate::helpers::*;

#[test]
fn snapshot_responses() {
    let app = shared_app();
    let requirements = app.get(
        &format!("/v1/vacancies/{VACANCY}/requirements?lang=it"),
        Role::Validator,
    );
    insta::assert_json_snapshot!("vacancy_requirements", as_on_anchor(&requirements.body));
    let vacancy = app.get(&format!("/v1/vacancies/{VACANCY}"), Role::Validator);
    insta::assert_json_snapshot!("vacancy", as_on_anchor(&vacancy.body));
    let matches = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies?k=2"),
        Role::Desk,
    );
    insta::assert_json_snapshot!("vacancies_for_person", as_on_anchor(&matches.body));
    let record = app.get(&format!("/v1/job-seekers/{PERSON}"), Role::Desk);
    insta::assert_json_snapshot!("job_seeker", as_on_anchor(&record.body));
    let mut keys = app.get("/v1/admin/keys", Role::Admin);
    // Keys created in the same millisecond have no defined order: compare them sorted by label.
    if let Some(items) = keys.body["items"].as_array_mut() {
        items.sort_by_key(|key| key["label"].as_str().unwrap_or("").to_string());
    }
    insta::assert_json_snapshot!("admin_keys", keys.body, {
        ".items[].id" => "[key id]",
        ".items[].created_at" => "[time]",
    });
    let health = app.request("GET", "/health", None, None);
    insta::assert_json_snapshot!("health", health.body, {".data_revision" => "[revision]"});
}

#[test]
fn snapshot_errors() {
    let app = shared_app();
    let missing_key = app.request("GET", "/v1/vacancies", None, None);
    insta::assert_json_snapshot!("error_missing_key", missing_key.body);
    let not_found = app.get("/v1/vacancies/NOPE", Role::Desk);
    insta::assert_json_snapshot!("error_vacancy_not_found", not_found.body);
    let forbidden = app.get(&format!("/v1/job-seekers/{PERSON}"), Role::Analyst);
    insta::assert_json_snapshot!("error_forbidden_role", forbidden.body);
    let other_office = app.request(
        "GET",
        &format!("/v1/job-seekers/{PERSON}"),
        Some(&app.desk_elsewhere),
        None,
    );
    insta::assert_json_snapshot!("error_other_office", other_office.body);
    let bad_k = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies?k=0"),
        Role::Desk,
    );
    insta::assert_json_snapshot!("error_invalid_k", bad_k.body);
    let malformed = send_raw(
        &app.address,
        "POST",
        "/v1/companies",
        Some(&app.keys[&Role::Desk]),
        Some(("application/json", b"{\"id\": ")),
    )
    .expect("transport");
    insta::assert_json_snapshot!("error_malformed_json", malformed.body);
}
