//! Every role against every route: allowed, refused by role (403 `forbidden_role`), refused by
//! office (403 `other_office`), unknown ids (404 for roles that may ask, 403 for those that may
//! not: no existence oracle), no key / unknown key (401).

use incontro_core::access::Role;
use serde_json::json;

use crate::helpers::*;

use Role::*;

const EVERYONE: &[Role] = &[Admin, Validator, Desk, Operator, Analyst];
const AGGREGATES: &[Role] = &[Admin, Validator, Desk, Analyst];
const OFFICE_STAFF: &[Role] = &[Admin, Validator, Desk];
const PEOPLE: &[Role] = &[Admin, Desk];
const ADMIN: &[Role] = &[Admin];

/// (path, roles allowed, id-free?) of every read route.
fn read_routes() -> Vec<(String, &'static [Role])> {
    vec![
        ("/v1/skills?q=saldatura".into(), EVERYONE),
        (format!("/v1/skills/{SKILL}"), EVERYONE),
        (format!("/v1/skills/{SKILL}/hierarchy"), EVERYONE),
        ("/v1/occupations?q=conduttore".into(), EVERYONE),
        (format!("/v1/occupations/{OCCUPATION}"), EVERYONE),
        ("/v1/stats".into(), AGGREGATES),
        ("/v1/companies".into(), OFFICE_STAFF),
        (format!("/v1/companies/{COMPANY}"), OFFICE_STAFF),
        ("/v1/vacancies".into(), OFFICE_STAFF),
        (format!("/v1/vacancies/{VACANCY}"), OFFICE_STAFF),
        (
            format!("/v1/vacancies/{VACANCY}/requirements"),
            OFFICE_STAFF,
        ),
        (format!("/v1/vacancies/{VACANCY}/candidates?k=3"), PEOPLE),
        (format!("/v1/job-seekers/{PERSON}"), PEOPLE),
        (format!("/v1/job-seekers/{PERSON}/competences"), PEOPLE),
        (format!("/v1/job-seekers/{PERSON}/work-history"), PEOPLE),
        (format!("/v1/job-seekers/{PERSON}/personal-data"), PEOPLE),
        (format!("/v1/job-seekers/{PERSON}/vacancies?k=3"), PEOPLE),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies/{VACANCY}/explanation"),
            PEOPLE,
        ),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies/{VACANCY}/courses"),
            PEOPLE,
        ),
        (format!("/v1/job-seekers/{PERSON}/course-doors?k=3"), PEOPLE),
        (format!("/v1/job-seekers/{PERSON}/placements"), PEOPLE),
        (
            format!("/v1/job-seekers/{PERSON}/suggestion-feedback"),
            PEOPLE,
        ),
        (
            format!("/v1/vacancies/{VACANCY}/suggestion-feedback"),
            OFFICE_STAFF,
        ),
        (
            "/v1/reports/demand?comuni=E715,B648,G882&from=2026-01-01&to=2026-12-31".into(),
            AGGREGATES,
        ),
        ("/v1/campaigns".into(), AGGREGATES),
        ("/v1/admin/audit".into(), ADMIN),
        ("/v1/admin/keys".into(), ADMIN),
    ]
}

#[test]
fn every_role_against_every_read_route() {
    let app = shared_app();
    for (path, allowed) in read_routes() {
        for role in Role::ALL {
            let reply = app.get(&path, role);
            if allowed.contains(&role) {
                assert_eq!(reply.status, 200, "{role:?} GET {path}: {:?}", reply.body);
            } else {
                assert_eq!(reply.status, 403, "{role:?} GET {path}: {:?}", reply.body);
                assert_eq!(reply.code(), "forbidden_role", "{role:?} GET {path}");
            }
        }
        let anonymous = app.request("GET", &path, None, None);
        assert_eq!(anonymous.status, 401, "GET {path}");
        assert_eq!(anonymous.code(), "missing_api_key");
        let forged = app.request("GET", &path, Some(&format!("inc_{}", "0".repeat(64))), None);
        assert_eq!(forged.status, 401, "GET {path}");
        assert_eq!(forged.code(), "invalid_api_key");
    }
}

#[test]
fn lookup_by_codice_fiscale_is_for_desk_and_admin() {
    let app = shared_app();
    let body = json!({"codice_fiscale": PERSON_CF});
    for role in Role::ALL {
        let reply = app.request(
            "POST",
            "/v1/job-seekers/lookup",
            Some(&app.keys[&role]),
            Some(&body),
        );
        if PEOPLE.contains(&role) {
            assert_eq!(reply.status, 200, "{role:?}");
            assert_eq!(reply.body["job_seeker_id"], PERSON);
        } else {
            assert_eq!(
                (reply.status, reply.code()),
                (403, "forbidden_role"),
                "{role:?}"
            );
        }
    }
    let elsewhere = app.request(
        "POST",
        "/v1/job-seekers/lookup",
        Some(&app.desk_elsewhere),
        Some(&body),
    );
    assert_eq!((elsewhere.status, elsewhere.code()), (403, "other_office"));
}

#[test]
fn unknown_ids_are_404_for_roles_that_may_ask_and_403_for_the_others() {
    let app = shared_app();
    let routes: Vec<(String, &[Role], &str)> = vec![
        (
            "/v1/skills/00000000-0000-0000-0000-000000000000".into(),
            EVERYONE,
            "skill_not_found",
        ),
        (
            "/v1/occupations/00000000-0000-0000-0000-000000000000".into(),
            EVERYONE,
            "occupation_not_found",
        ),
        (
            "/v1/companies/NOPE".into(),
            OFFICE_STAFF,
            "company_not_found",
        ),
        (
            "/v1/vacancies/NOPE".into(),
            OFFICE_STAFF,
            "vacancy_not_found",
        ),
        (
            "/v1/vacancies/NOPE/requirements".into(),
            OFFICE_STAFF,
            "vacancy_not_found",
        ),
        (
            "/v1/vacancies/NOPE/candidates".into(),
            PEOPLE,
            "vacancy_not_found",
        ),
        (
            "/v1/job-seekers/NOPE".into(),
            PEOPLE,
            "job_seeker_not_found",
        ),
        (
            "/v1/job-seekers/NOPE/competences".into(),
            PEOPLE,
            "job_seeker_not_found",
        ),
        (
            "/v1/job-seekers/NOPE/work-history".into(),
            PEOPLE,
            "job_seeker_not_found",
        ),
        (
            "/v1/job-seekers/NOPE/personal-data".into(),
            PEOPLE,
            "job_seeker_not_found",
        ),
        (
            "/v1/job-seekers/NOPE/vacancies".into(),
            PEOPLE,
            "job_seeker_not_found",
        ),
        (
            "/v1/job-seekers/NOPE/placements".into(),
            PEOPLE,
            "job_seeker_not_found",
        ),
        (
            "/v1/job-seekers/NOPE/suggestion-feedback".into(),
            PEOPLE,
            "job_seeker_not_found",
        ),
        (
            "/v1/vacancies/NOPE/suggestion-feedback".into(),
            OFFICE_STAFF,
            "vacancy_not_found",
        ),
        (
            format!("/v1/job-seekers/{PERSON}/vacancies/NOPE/explanation"),
            PEOPLE,
            "vacancy_not_found",
        ),
    ];
    for (path, allowed, code) in routes {
        for role in Role::ALL {
            let reply = app.get(&path, role);
            let expected = if allowed.contains(&role) {
                (404, code)
            } else {
                (403, "forbidden_role")
            };
            assert_eq!(
                (reply.status, reply.code()),
                expected,
                "{role:?} GET {path}"
            );
        }
    }
}

#[test]
fn objects_of_another_office_are_refused() {
    let app = shared_app();
    let routes = [
        format!("/v1/companies/{COMPANY}"),
        format!("/v1/vacancies/{VACANCY}"),
        format!("/v1/vacancies/{VACANCY}/requirements"),
        format!("/v1/vacancies/{VACANCY}/candidates"),
        format!("/v1/job-seekers/{PERSON}"),
        format!("/v1/job-seekers/{PERSON}/competences"),
        format!("/v1/job-seekers/{PERSON}/work-history"),
        format!("/v1/job-seekers/{PERSON}/personal-data"),
        format!("/v1/job-seekers/{PERSON}/vacancies"),
        format!("/v1/job-seekers/{PERSON}/vacancies/{VACANCY}/explanation"),
        format!("/v1/job-seekers/{PERSON}/placements"),
        format!("/v1/job-seekers/{PERSON}/suggestion-feedback"),
    ];
    for path in &routes {
        let reply = app.request("GET", path, Some(&app.desk_elsewhere), None);
        assert_eq!(
            (reply.status, reply.code()),
            (403, "other_office"),
            "desk MI GET {path}"
        );
    }
    for path in &routes[..3] {
        let reply = app.request("GET", path, Some(&app.validator_elsewhere), None);
        assert_eq!(
            (reply.status, reply.code()),
            (403, "other_office"),
            "validator MI GET {path}"
        );
    }
    // Listings show only the caller's office.
    let companies = app.request("GET", "/v1/companies", Some(&app.desk_elsewhere), None);
    assert_eq!(companies.status, 200);
    assert_eq!(companies.body["total"], 0);
    let vacancies = app.request("GET", "/v1/vacancies", Some(&app.desk_elsewhere), None);
    assert_eq!(vacancies.body["total"], 0);
    let mine = app.get("/v1/vacancies", Desk);
    assert_eq!(mine.body["total"], 60);
}

#[test]
fn every_role_against_every_write_route() {
    let app = spawn_app();
    let writers_company: &[Role] = &[Admin, Desk];
    let writers_vacancy: &[Role] = &[Admin, Validator, Desk];
    let validators: &[Role] = &[Admin, Validator];
    for role in Role::ALL {
        let key = app.keys[&role].clone();
        let name = role.as_str();
        let company_id = format!("CO_{name}");
        let created = app.request(
            "POST",
            "/v1/companies",
            Some(&key),
            Some(&company_body(&company_id)),
        );
        let replaced = app.request(
            "PUT",
            &format!("/v1/companies/{COMPANY}"),
            Some(&key),
            Some(
                &json!({"name": "Cartiera del Serchio S.p.A.", "codice_fiscale": "02100000468",
                         "partita_iva": "02100000468", "ateco": "17.12.00", "offers_tirocini": true,
                         "sites": [{"comune": "B648"}, {"comune": "G882"}]}),
            ),
        );
        if writers_company.contains(&role) {
            assert_eq!(
                created.status, 201,
                "{role:?} POST company: {:?}",
                created.body
            );
            assert_eq!(
                replaced.status, 200,
                "{role:?} PUT company: {:?}",
                replaced.body
            );
        } else {
            assert_eq!(
                (created.status, created.code()),
                (403, "forbidden_role"),
                "{role:?}"
            );
            assert_eq!(
                (replaced.status, replaced.code()),
                (403, "forbidden_role"),
                "{role:?}"
            );
        }
        let vacancy_id = format!("VA_{name}");
        let created = app.request(
            "POST",
            "/v1/vacancies",
            Some(&key),
            Some(&vacancy_body(&vacancy_id)),
        );
        let requirements = app.request(
            "PUT",
            &format!("/v1/vacancies/{vacancy_id}/requirements"),
            Some(&key),
            Some(&json!({"requirements": [{"skill": format!("http://data.europa.eu/esco/skill/{SKILL}"), "level": 2}]})),
        );
        if writers_vacancy.contains(&role) {
            assert_eq!(
                created.status, 201,
                "{role:?} POST vacancy: {:?}",
                created.body
            );
            assert_eq!(created.body["status"]["state"], "draft");
            assert_eq!(
                requirements.status, 200,
                "{role:?} PUT requirements: {:?}",
                requirements.body
            );
        } else {
            assert_eq!(
                (created.status, created.code()),
                (403, "forbidden_role"),
                "{role:?}"
            );
            assert_eq!(
                (requirements.status, requirements.code()),
                (403, "forbidden_role"),
                "{role:?}"
            );
        }
        // Validate a vacancy written by the admin (exists for every role).
        let admin_vacancy = format!("VV_{name}");
        let made = app.request(
            "POST",
            "/v1/vacancies",
            Some(&app.keys[&Admin]),
            Some(&vacancy_body(&admin_vacancy)),
        );
        assert_eq!(made.status, 201);
        let validated = app.request(
            "POST",
            &format!("/v1/vacancies/{admin_vacancy}/validate"),
            Some(&key),
            None,
        );
        if validators.contains(&role) {
            assert_eq!(
                validated.status, 200,
                "{role:?} validate: {:?}",
                validated.body
            );
            assert_eq!(validated.body["status"]["state"], "validated");
            assert_eq!(validated.body["status"]["by"], format!("test {name}"));
            let again = app.request(
                "POST",
                &format!("/v1/vacancies/{admin_vacancy}/validate"),
                Some(&key),
                None,
            );
            assert_eq!(
                (again.status, again.code()),
                (409, "vacancy_already_validated")
            );
        } else {
            assert_eq!(
                (validated.status, validated.code()),
                (403, "forbidden_role"),
                "{role:?}"
            );
        }
    }
    // Writes into another office.
    let elsewhere = app.request(
        "POST",
        "/v1/vacancies",
        Some(&app.desk_elsewhere),
        Some(&vacancy_body("VA_MI")),
    );
    assert_eq!((elsewhere.status, elsewhere.code()), (403, "other_office"));
    let elsewhere = app.request(
        "POST",
        "/v1/companies",
        Some(&app.desk_elsewhere),
        Some(&company_body("CO_MI")),
    );
    assert_eq!((elsewhere.status, elsewhere.code()), (403, "other_office"));
    let elsewhere = app.request(
        "POST",
        &format!("/v1/vacancies/{VACANCY}/validate"),
        Some(&app.validator_elsewhere),
        None,
    );
    assert_eq!((elsewhere.status, elsewhere.code()), (403, "other_office"));
    // Unknown ids on writes.
    let missing = app.request(
        "POST",
        "/v1/vacancies/NOPE/validate",
        Some(&app.keys[&Validator]),
        None,
    );
    assert_eq!((missing.status, missing.code()), (404, "vacancy_not_found"));
    let mut body = company_body("NOPE");
    body.as_object_mut().expect("object").remove("id");
    let missing = app.request(
        "PUT",
        "/v1/companies/NOPE",
        Some(&app.keys[&Desk]),
        Some(&body),
    );
    assert_eq!((missing.status, missing.code()), (404, "company_not_found"));
}

#[test]
fn analysts_never_see_a_person_and_reads_of_people_are_audited() {
    let app = spawn_app();
    let desk = app.key_ids[&Desk].clone();
    for path in [
        format!("/v1/job-seekers/{PERSON}"),
        format!("/v1/job-seekers/{PERSON}/personal-data"),
        format!("/v1/job-seekers/{PERSON}/vacancies?k=2"),
    ] {
        assert_eq!(app.get(&path, Desk).status, 200);
        assert_eq!(app.get(&path, Analyst).status, 403);
    }
    let candidates = app.get(&format!("/v1/vacancies/{VACANCY}/candidates?k=4"), Desk);
    assert_eq!(candidates.status, 200);
    let listed = candidates.body["items"].as_array().expect("items").len();
    let audit = app.get(&format!("/v1/admin/audit?key_id={desk}&limit=100"), Admin);
    assert_eq!(audit.status, 200);
    let rows = audit.body["items"].as_array().expect("items");
    let actions: Vec<&str> = rows
        .iter()
        .map(|row| row["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "candidates_for_vacancy")
            .count(),
        listed
    );
    for action in [
        "read_job_seeker",
        "read_personal_data",
        "vacancies_for_person",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    let person_rows = app.get(
        &format!("/v1/admin/audit?person_id={PERSON}&action=read_personal_data"),
        Admin,
    );
    let person_rows = person_rows.body["items"].as_array().expect("items").clone();
    assert_eq!(person_rows.len(), 1);
    assert_eq!(person_rows[0]["role"], "desk");
    assert_eq!(person_rows[0]["outcome"], "ok");
    // The refused desk of another office is audited as denied.
    app.request(
        "GET",
        &format!("/v1/job-seekers/{PERSON}"),
        Some(&app.desk_elsewhere),
        None,
    );
    let denied = app.get(
        &format!("/v1/admin/audit?person_id={PERSON}&action=office_refused"),
        Admin,
    );
    assert_eq!(denied.body["items"][0]["outcome"], "denied");
}

#[test]
fn operators_reach_only_their_own_call_list() {
    let app = shared_app();
    for role in Role::ALL {
        let reply = app.get("/v1/campaigns/NOPE/call-list", role);
        let expected = match role {
            Operator => (404, "campaign_not_found"),
            Admin => (400, "missing_operator"),
            _ => (403, "forbidden_role"),
        };
        assert_eq!((reply.status, reply.code()), expected, "{role:?}");
        let attempt = app.request(
            "POST",
            "/v1/campaigns/NOPE/entries/1/attempts",
            Some(&app.keys[&role]),
            Some(&json!({"result": "answered"})),
        );
        // An admin records for an operator and must name them (as for the call list).
        let expected = match role {
            Operator => (404, "campaign_not_found"),
            Admin => (400, "missing_operator"),
            _ => (403, "forbidden_role"),
        };
        assert_eq!(
            (attempt.status, attempt.code()),
            expected,
            "{role:?} attempt"
        );
    }
    let someone_else = app.get("/v1/campaigns/NOPE/call-list?operator=another", Operator);
    assert_eq!(
        (someone_else.status, someone_else.code()),
        (403, "not_your_entries")
    );
    let admin = app.get("/v1/campaigns/NOPE/call-list?operator=another", Admin);
    assert_eq!((admin.status, admin.code()), (404, "campaign_not_found"));
    let funnel = app.get("/v1/campaigns/NOPE/funnel", Analyst);
    assert_eq!((funnel.status, funnel.code()), (404, "campaign_not_found"));
}
