//! Bad inputs: each answered with the right 4xx and code, and nothing changed.

use incontro_core::access::Role;
use serde_json::json;

use crate::helpers::*;

/// method, path, body, content type, expected status, expected code
type Case = (
    &'static str,
    String,
    Vec<u8>,
    &'static str,
    u16,
    &'static str,
);

#[test]
fn bad_bodies_are_refused_and_change_nothing() {
    let app = spawn_app();
    let desk = app.keys[&Role::Desk].clone();
    let before = app.snapshot_of_state();
    let cases: Vec<Case> = vec![
        (
            "POST",
            "/v1/companies".into(),
            b"{\"id\": \"X1\", ".to_vec(),
            "application/json",
            400,
            "malformed_json",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            b"not json at all".to_vec(),
            "application/json",
            400,
            "malformed_json",
        ),
        (
            "POST",
            "/v1/companies".into(),
            serde_json::to_vec(&company_body("X2")).unwrap_or_default(),
            "text/plain",
            415,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            {
                let mut body = vacancy_body("X3");
                body["positions"] = json!("three");
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            400,
            "invalid_body",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            {
                // Mass assignment: a client may not set the workflow status.
                let mut body = vacancy_body("X4");
                body["status"] = json!({"state": "validated", "by": "me", "on": "2026-01-01"});
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            400,
            "invalid_body",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            {
                let mut body = vacancy_body("X5");
                body["placement"] =
                    json!({"kind": "contract", "contract_type": "A.02.00", "salary": 1});
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            400,
            "invalid_body",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            {
                let mut body = vacancy_body("X6");
                body["requirements"][0]["level"] = json!(7);
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            400,
            "invalid_level",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            {
                let mut body = vacancy_body("X7");
                body["requirements"][0]["skill"] = json!("http://example.org/not-esco");
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            400,
            "invalid_skill_uri",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            {
                let mut body = vacancy_body("X8");
                body["company_id"] = json!("NOPE");
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            404,
            "company_not_found",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            {
                let mut body = vacancy_body("bad id!");
                body["title"] = json!("x");
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            400,
            "invalid_id",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            serde_json::to_vec(&vacancy_body(VACANCY)).unwrap_or_default(),
            "application/json",
            409,
            "vacancy_exists",
        ),
        (
            "POST",
            "/v1/companies".into(),
            serde_json::to_vec(&company_body(COMPANY)).unwrap_or_default(),
            "application/json",
            409,
            "company_exists",
        ),
        (
            "POST",
            "/v1/companies".into(),
            {
                let mut body = company_body("X9");
                body["codice_fiscale"] = json!("02100000469");
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            400,
            "invalid_codice_fiscale",
        ),
        (
            "POST",
            "/v1/vacancies".into(),
            {
                let mut body = vacancy_body("X10");
                body["description"] = json!("x".repeat(BODY_LIMIT + 1));
                serde_json::to_vec(&body).unwrap_or_default()
            },
            "application/json",
            413,
            "payload_too_large",
        ),
        (
            "PUT",
            format!("/v1/vacancies/{VACANCY}/requirements"),
            {
                let skill = format!("http://data.europa.eu/esco/skill/{SKILL}");
                serde_json::to_vec(&json!({"requirements": [{"skill": skill, "level": 2}, {"skill": skill, "level": 3}]})).unwrap_or_default()
            },
            "application/json",
            400,
            "duplicate_skill",
        ),
        (
            "PUT",
            "/v1/vacancies/NOPE/requirements".into(),
            b"{\"requirements\": []}".to_vec(),
            "application/json",
            404,
            "vacancy_not_found",
        ),
        (
            "PUT",
            format!("/v1/vacancies/{VACANCY}"),
            serde_json::to_vec(&vacancy_body("OTHER")).unwrap_or_default(),
            "application/json",
            400,
            "id_mismatch",
        ),
        (
            "POST",
            "/v1/job-seekers/lookup".into(),
            b"{\"codice_fiscale\": \"RSSMRA80A01H501X\"}".to_vec(),
            "application/json",
            400,
            "invalid_codice_fiscale",
        ),
        (
            "POST",
            "/v1/job-seekers/lookup".into(),
            b"{\"codice_fiscale\": \"RSSMRA80A01H501U\"}".to_vec(),
            "application/json",
            404,
            "job_seeker_not_found",
        ),
        (
            "POST",
            "/v1/job-seekers/lookup".into(),
            b"{\"cf\": \"RSSMRA80A01H501U\"}".to_vec(),
            "application/json",
            400,
            "invalid_body",
        ),
    ];
    for (method, path, body, content_type, status, code) in cases {
        let reply = send_raw(
            &app.address,
            method,
            &path,
            Some(&desk),
            Some((content_type, &body)),
        )
        .expect("transport");
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "{method} {path}: {:?}",
            reply.body
        );
        assert!(reply.body["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(
        app.snapshot_of_state(),
        before,
        "a refused write changed the store"
    );
}

#[test]
fn bad_parameters_are_refused() {
    let app = shared_app();
    let cases = [
        (
            format!("/v1/job-seekers/{PERSON}/vacancies?k=0"),
            400,
            "invalid_k",
        ),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies?k=100000"),
            400,
            "invalid_k",
        ),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies?k=ten"),
            400,
            "invalid_query",
        ),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies?colour=red"),
            400,
            "invalid_query",
        ),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies?near_km=-3"),
            400,
            "invalid_distance",
        ),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies?min_score=2"),
            400,
            "invalid_min_score",
        ),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies?lang=italiano"),
            400,
            "invalid_language",
        ),
        (
            format!("/v1/vacancies/{VACANCY}/candidates?near=ZZZZ&near_km=10"),
            400,
            "invalid_comune",
        ),
        ("/v1/vacancies?limit=0".to_string(), 400, "invalid_limit"),
        (
            "/v1/vacancies?limit=100000".to_string(),
            400,
            "invalid_limit",
        ),
        (
            "/v1/vacancies?status=open".to_string(),
            400,
            "invalid_query",
        ),
        ("/v1/skills?q=".to_string(), 400, "invalid_query"),
        (
            "/v1/skills?q=saldatura&limit=500".to_string(),
            400,
            "invalid_limit",
        ),
        ("/v1/job-seekers/bad%20id".to_string(), 400, "invalid_id"),
        ("/v1/no-such-route".to_string(), 404, "route_not_found"),
    ];
    for (path, status, code) in cases {
        let reply = app.get(&path, Role::Desk);
        assert_eq!(
            (reply.status, reply.code()),
            (status, code),
            "GET {path}: {:?}",
            reply.body
        );
    }
}

#[test]
fn a_known_route_under_another_method_is_405_and_changes_nothing() {
    let app = spawn_app();
    let before = app.snapshot_of_state();
    let key = app.keys[&Role::Admin].clone();
    for (method, path) in [
        ("DELETE", "/v1/job-seekers/JS0001"),
        ("PUT", "/v1/job-seekers/JS0001/vacancies"),
        ("POST", "/health"),
        ("PATCH", "/v1/companies"),
        ("POST", "/openapi.json"),
        ("DELETE", "/v1/job-seekers/JS0001/placements"),
    ] {
        let reply = app.request(method, path, Some(&key), None);
        assert_eq!(
            (reply.status, reply.code()),
            (405, "method_not_allowed"),
            "{method} {path}: {:?}",
            reply.body
        );
    }
    let reply = app.request("DELETE", "/v1/no-such-route", Some(&key), None);
    assert_eq!((reply.status, reply.code()), (404, "route_not_found"));
    assert_eq!(app.snapshot_of_state(), before, "nothing changed");
}

#[test]
fn simultaneous_creates_of_one_id_give_one_201_and_409s() {
    let app = &spawn_app();
    let key = app.keys[&Role::Admin].clone();
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let key = key.clone();
                scope.spawn(move || {
                    app.request(
                        "POST",
                        "/v1/companies",
                        Some(&key),
                        Some(&company_body("CRACE1")),
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("thread"))
            .collect()
    });
    let created = replies.iter().filter(|reply| reply.status == 201).count();
    let refused = replies
        .iter()
        .filter(|reply| (reply.status, reply.code()) == (409, "company_exists"))
        .count();
    assert_eq!((created, refused), (1, 7), "{replies:?}");
}
