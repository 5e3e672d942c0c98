//! Happy paths: the desk's questions, the validator's workflow, the system routes.

use incontro_core::access::Role;
use serde_json::json;

use crate::helpers::*;

#[test]
fn desk_asks_which_vacancies_fit_and_why() {
    let app = shared_app();
    let reply = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies?k=5&lang=it"),
        Role::Desk,
    );
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let items = reply.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 5);
    let scores: Vec<f64> = items
        .iter()
        .map(|item| item["score"].as_f64().expect("score"))
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "{scores:?}"
    );
    assert!(items[0]["explanation"]["summary_it"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    // Filters: only tirocini, and paging continues the ranking.
    let tirocini = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies?k=5&tirocinio=true"),
        Role::Desk,
    );
    for item in tirocini.body["items"].as_array().expect("items") {
        assert_eq!(item["placement"]["kind"], "tirocinio");
    }
    let second = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies?k=2&offset=2"),
        Role::Desk,
    );
    let second_ids: Vec<&str> = second.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["vacancy_id"].as_str().unwrap_or(""))
        .collect();
    let first_ids: Vec<&str> = items[2..4]
        .iter()
        .map(|i| i["vacancy_id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(second_ids, first_ids);
    let near = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies?k=10&near_km=5"),
        Role::Desk,
    );
    for item in near.body["items"].as_array().expect("items") {
        assert!(
            item["distance_km"].as_f64().is_some_and(|d| d <= 5.0),
            "{item}"
        );
    }
    let top = items[0]["vacancy_id"].as_str().expect("id");
    let explanation = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies/{top}/explanation"),
        Role::Desk,
    );
    assert_eq!(explanation.status, 200);
    assert!((explanation.body["score"].as_f64().expect("score") - scores[0]).abs() < 1e-6);
    let candidates = app.get(&format!("/v1/vacancies/{top}/candidates?k=3"), Role::Desk);
    assert_eq!(candidates.status, 200);
    assert_eq!(candidates.body["items"].as_array().expect("items").len(), 3);
    assert!(candidates.body["items"][0].get("first_name").is_none());
}

#[test]
fn profile_competences_and_work_history() {
    let app = shared_app();
    let competences = app.get(&format!("/v1/job-seekers/{PERSON}/competences"), Role::Desk);
    assert_eq!(competences.status, 200);
    let items = competences.body["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(items
        .iter()
        .all(|item| item["evidence"].is_string() && item["source"].is_string()));
    let record = app.get(&format!("/v1/job-seekers/{PERSON}"), Role::Desk);
    assert!(
        record.body.get("codice_fiscale").is_none(),
        "analytical record leaks personal data"
    );
    let personal = app.get(
        &format!("/v1/job-seekers/{PERSON}/personal-data"),
        Role::Desk,
    );
    assert_eq!(personal.body["codice_fiscale"], PERSON_CF);
    let history = app.get("/v1/job-seekers/JS0002/work-history", Role::Desk);
    assert_eq!(history.status, 200);
    assert!(!history.body["items"].as_array().expect("items").is_empty());
}

#[test]
fn taxonomy_search_detail_and_hierarchy() {
    let app = shared_app();
    let hits = app.get("/v1/skills?q=saldatura&lang=it", Role::Analyst);
    assert_eq!(hits.status, 200);
    assert!(!hits.body["items"].as_array().expect("items").is_empty());
    let typo = app.get("/v1/skills?q=saldatra", Role::Operator);
    assert!(
        !typo.body["items"].as_array().expect("items").is_empty(),
        "typo tolerance"
    );
    let detail = app.get(&format!("/v1/skills/{SKILL}"), Role::Analyst);
    assert_eq!(
        detail.body["uri"],
        format!("http://data.europa.eu/esco/skill/{SKILL}")
    );
    let occupation = app.get(&format!("/v1/occupations/{OCCUPATION}"), Role::Desk);
    assert!(!occupation.body["essential_skills"]
        .as_array()
        .expect("skills")
        .is_empty());
    let occupations = app.get("/v1/occupations?q=conduttore&limit=5", Role::Desk);
    assert!(occupations.body["total"]
        .as_u64()
        .is_some_and(|total| total >= 1));
}

#[test]
fn validator_workflow_draft_to_validated() {
    let app = spawn_app();
    let validator = app.keys[&Role::Validator].clone();
    let created = app.request(
        "POST",
        "/v1/vacancies",
        Some(&validator),
        Some(&vacancy_body("VW1")),
    );
    assert_eq!(created.status, 201, "{:?}", created.body);
    let breakdown = app.get("/v1/vacancies/VW1/requirements", Role::Validator);
    assert_eq!(
        breakdown.body["essential"]
            .as_array()
            .expect("essential")
            .len(),
        1
    );
    assert_eq!(
        breakdown.body["optional"]
            .as_array()
            .expect("optional")
            .len(),
        1
    );
    assert!(breakdown.body["essential"][0]["label"]
        .as_str()
        .is_some_and(|l| !l.is_empty()));
    let validated = app.request("POST", "/v1/vacancies/VW1/validate", Some(&validator), None);
    assert_eq!(validated.body["status"]["state"], "validated");
    // Changing the breakdown sends it back to draft.
    let changed = app.request(
        "PUT",
        "/v1/vacancies/VW1/requirements",
        Some(&validator),
        Some(&json!({"requirements": [{"skill": format!("http://data.europa.eu/esco/skill/{SKILL}"), "level": 4}]})),
    );
    assert_eq!(changed.body["status"]["state"], "draft");
    // A draft is never offered (issue 14): no candidates until it is validated again…
    let draft = app.get("/v1/vacancies/VW1/candidates?k=2", Role::Desk);
    assert_eq!(draft.status, 404, "{:?}", draft.body);
    assert_eq!(draft.body["code"], "vacancy_not_found");
    // …and then it is matchable at once.
    let validated = app.request("POST", "/v1/vacancies/VW1/validate", Some(&validator), None);
    assert_eq!(validated.body["status"]["state"], "validated");
    let candidates = app.get("/v1/vacancies/VW1/candidates?k=2", Role::Desk);
    assert_eq!(candidates.status, 200, "{:?}", candidates.body);
}

#[test]
fn system_routes() {
    let app = shared_app();
    let health = app.request("GET", "/health", None, None);
    assert_eq!(health.body["status"], "ok");
    app.get("/v1/stats", Role::Analyst);
    let metrics = app.request("GET", "/metrics", None, None);
    let text = metrics.body.as_str().expect("text");
    assert!(
        text.contains(
            "incontro_http_requests_total{route=\"/v1/stats\",method=\"GET\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(text.contains("incontro_http_request_duration_seconds_bucket"));
    assert!(
        !text.contains(PERSON),
        "metrics must carry route patterns, not ids"
    );
    let openapi = app.request("GET", "/openapi.json", None, None);
    assert!(openapi.body["paths"]["/v1/job-seekers/{id}/vacancies"]["get"].is_object());
    assert_eq!(
        openapi.body["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let docs = app.request("GET", "/docs", None, None);
    let html = docs.body.as_str().expect("html");
    assert!(html.contains("/v1/job-seekers/{id}/vacancies"));
    assert!(!html.contains("<script"));
}

#[test]
fn training_proposals_and_demand_report() {
    let app = shared_app();
    let proposal = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies/{VACANCY}/courses"),
        Role::Desk,
    );
    assert_eq!(proposal.status, 200, "{:?}", proposal.body);
    let doors = app.get(
        &format!("/v1/job-seekers/{PERSON}/course-doors?k=3"),
        Role::Desk,
    );
    assert_eq!(doors.body["job_seeker_id"], PERSON);
    let demand = app.get(
        "/v1/reports/demand?comuni=E715,B648,G882&from=2026-01-01&to=2026-12-31",
        Role::Analyst,
    );
    assert_eq!(demand.status, 200, "{:?}", demand.body);
    assert!(!demand.body.to_string().contains(PERSON_CF));
    let bad_period = app.get(
        "/v1/reports/demand?comuni=E715&from=2026-12-31&to=2026-01-01",
        Role::Analyst,
    );
    assert_eq!(
        (bad_period.status, bad_period.code()),
        (400, "invalid_period")
    );
}

#[test]
fn desk_records_proposals_and_placements_over_http() {
    let app = spawn_app();
    let path = format!("/v1/job-seekers/{PERSON}/placements");
    let proposal = json!({"vacancy_id": VACANCY, "kind": "proposal", "placement_type": "contract",
                          "note": "colloquio fissato"});
    let desk = app.keys[&Role::Desk].clone();

    // Roles that may not record, and a desk of another office, change nothing.
    for role in [Role::Validator, Role::Operator, Role::Analyst] {
        let reply = app.request("POST", &path, Some(&app.keys[&role]), Some(&proposal));
        assert_eq!(
            (reply.status, reply.code()),
            (403, "forbidden_role"),
            "{role:?}"
        );
    }
    let elsewhere = app.request("POST", &path, Some(&app.desk_elsewhere), Some(&proposal));
    assert_eq!((elsewhere.status, elsewhere.code()), (403, "other_office"));
    // Bad bodies: unknown field (mass assignment), bad kind, unknown vacancy, long note.
    let bad = [
        (
            json!({"vacancy_id": VACANCY, "kind": "proposal", "placement_type": "contract",
                "recorded_by": "someone else"}),
            400,
            "invalid_body",
        ),
        (
            json!({"vacancy_id": VACANCY, "kind": "hired", "placement_type": "contract"}),
            400,
            "invalid_placement_kind",
        ),
        (
            json!({"vacancy_id": "NOPE", "kind": "proposal", "placement_type": "contract"}),
            404,
            "vacancy_not_found",
        ),
        (
            json!({"vacancy_id": VACANCY, "kind": "proposal", "placement_type": "contract",
                "note": "x".repeat(501)}),
            400,
            "note_too_long",
        ),
    ];
    for (body, status, code) in bad {
        let reply = app.request("POST", &path, Some(&desk), Some(&body));
        assert_eq!((reply.status, reply.code()), (status, code), "{body}");
    }
    let listed = app.get(&path, Role::Desk);
    assert_eq!(listed.status, 200);
    assert_eq!(
        listed.body["items"].as_array().map(Vec::len),
        Some(0),
        "nothing recorded yet"
    );

    let created = app.request("POST", &path, Some(&desk), Some(&proposal));
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["kind"], "proposal");
    assert_eq!(created.body["recorded_by"], "test desk");
    let again = app.request("POST", &path, Some(&desk), Some(&proposal));
    assert_eq!((again.status, again.code()), (409, "proposal_exists"));
    let placed = app.request(
        "POST",
        &path,
        Some(&desk),
        Some(&json!({"vacancy_id": VACANCY, "kind": "placement", "placement_type": "contract"})),
    );
    assert_eq!(placed.status, 201, "{:?}", placed.body);

    let listed = app.get(&path, Role::Desk);
    let kinds: Vec<&str> = listed.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["placement", "proposal"], "newest first");

    let audit = app.get(
        &format!("/v1/admin/audit?person_id={PERSON}&action=record_placement"),
        Role::Admin,
    );
    assert_eq!(audit.body["items"].as_array().map(Vec::len), Some(2));
    let reads = app.get(
        &format!("/v1/admin/audit?person_id={PERSON}&action=read_placements"),
        Role::Admin,
    );
    assert_eq!(reads.body["items"].as_array().map(Vec::len), Some(2));
}

#[test]
fn operator_works_the_call_list_over_http() {
    let app = spawn_app();
    let (assigned, operator) = prepare_campaign(&app, "cob23-http");
    assert!(
        assigned >= 2,
        "the demo cohort has people to call: {assigned}"
    );
    let list = app.request(
        "GET",
        "/v1/campaigns/cob23-http/call-list",
        Some(&operator),
        None,
    );
    assert_eq!(list.status, 200, "{:?}", list.body);
    let entries = list.body["items"].as_array().expect("items").clone();
    assert_eq!(entries.len(), assigned);
    let first = &entries[0];
    let person_ref = first["person_ref"].as_str().expect("person_ref");
    assert_eq!(person_ref.len(), 12, "a 12-hex-digit pseudonym");
    let entry_no = first["entry_no"].as_u64().expect("entry_no");

    // A next-call day needs a retried result and a day after today.
    let today = super::helpers::test_today();
    let path = format!("/v1/campaigns/cob23-http/entries/{entry_no}/attempts");
    let refused = app.request(
        "POST",
        &path,
        Some(&operator),
        Some(&json!({"result": "answered", "next_call": (today + chrono::Duration::days(3)).to_string()})),
    );
    assert_eq!((refused.status, refused.code()), (400, "invalid_next_call"));
    let recorded = app.request(
        "POST",
        &path,
        Some(&operator),
        Some(&json!({"result": "no_answer", "note": "richiamare di sera",
                     "next_call": (today + chrono::Duration::days(3)).to_string()})),
    );
    assert_eq!(recorded.status, 200, "{:?}", recorded.body);
    assert_eq!(recorded.body["attempt"], 1);
    // Not due before the chosen day: gone from today's list.
    let list = app.request(
        "GET",
        "/v1/campaigns/cob23-http/call-list",
        Some(&operator),
        None,
    );
    let still: Vec<u64> = list.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|entry| entry["entry_no"].as_u64())
        .collect();
    assert!(!still.contains(&entry_no), "{still:?}");

    // The audit names the person by pseudonym, never by codice fiscale or entry number.
    let audit = app.get(
        &format!("/v1/admin/audit?person_id={person_ref}"),
        Role::Admin,
    );
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|row| row["action"].as_str())
        .collect();
    assert!(actions.contains(&"read_call_list_entry"), "{actions:?}");
    assert!(actions.contains(&"record_call_attempt"), "{actions:?}");
    let everything = app.get("/v1/admin/audit?limit=100", Role::Admin);
    assert_eq!(everything.status, 200, "{:?}", everything.body);
    for row in everything.body["items"].as_array().expect("items") {
        let person = row["person_id"].as_str().unwrap_or("");
        assert!(
            !person.contains('#'),
            "entry numbers are not person ids: {row}"
        );
        assert!(
            incontro_core::model::CodiceFiscale::parse(person).is_err(),
            "no codice fiscale in the audit log: {row}"
        );
    }
}

#[test]
fn validator_turns_suggestions_into_requirements_over_http() {
    let app = spawn_app();
    let validator = app.keys[&Role::Validator].clone();
    let ask = json!({"text": "Cerchiamo operaio per saldatura a filo", "lang": "it", "top": 5});
    for role in [Role::Operator, Role::Analyst] {
        let reply = app.request(
            "POST",
            "/v1/suggestions",
            Some(&app.keys[&role]),
            Some(&ask),
        );
        assert_eq!(
            (reply.status, reply.code()),
            (403, "forbidden_role"),
            "{role:?}"
        );
    }
    let empty = app.request(
        "POST",
        "/v1/suggestions",
        Some(&validator),
        Some(&json!({"text": "  ", "lang": "it"})),
    );
    assert_eq!((empty.status, empty.code()), (400, "empty_text"));
    let unknown_language = app.request(
        "POST",
        "/v1/suggestions",
        Some(&validator),
        Some(&json!({"text": "saldatura", "lang": "xx"})),
    );
    assert_eq!(unknown_language.status, 400, "{:?}", unknown_language.body);

    let found = app.request("POST", "/v1/suggestions", Some(&validator), Some(&ask));
    assert_eq!(found.status, 200, "{:?}", found.body);
    let first = &found.body["skills"][0];
    let uri = first["uri"]
        .as_str()
        .expect("a suggested skill")
        .to_string();
    assert_eq!(first["span"]["quote"], "saldatura", "{first}");

    let path = format!("/v1/vacancies/{VACANCY}/suggestion-feedback");
    let accept = json!({"decisions": [
        {"skill_uri": uri, "accepted": true, "level": 3, "essential": true,
         "match_kind": first["kind"]["reason"].as_str().or(first["kind"]["kind"].as_str()),
         "score": first["score"]}
    ]});
    // Refusals change nothing: another office, a skill ESCO does not have, accepting without a level.
    let elsewhere = app.request("POST", &path, Some(&app.validator_elsewhere), Some(&accept));
    assert_eq!((elsewhere.status, elsewhere.code()), (403, "other_office"));
    let unknown = app.request(
        "POST",
        &path,
        Some(&validator),
        Some(&json!({"decisions": [{"skill_uri": "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000", "accepted": false}]})),
    );
    assert_eq!((unknown.status, unknown.code()), (400, "unknown_skill"));
    let no_level = app.request(
        "POST",
        &path,
        Some(&validator),
        Some(&json!({"decisions": [{"skill_uri": uri, "accepted": true}]})),
    );
    assert_eq!((no_level.status, no_level.code()), (400, "missing_level"));
    let listed = app.get(&path, Role::Validator);
    assert_eq!(listed.body["total"], 0, "nothing stored by the refusals");

    let recorded = app.request("POST", &path, Some(&validator), Some(&accept));
    assert_eq!(recorded.status, 200, "{:?}", recorded.body);
    assert_eq!(recorded.body["accepted"], 1);
    let listed = app.get(&path, Role::Validator);
    assert_eq!(listed.body["items"][0]["decided_by"], "test validator");
    let vacancy = app.get(&format!("/v1/vacancies/{VACANCY}"), Role::Validator);
    assert_eq!(
        vacancy.body["status"]["state"], "draft",
        "back to the validator"
    );
    let requirements = app.get(
        &format!("/v1/vacancies/{VACANCY}/requirements"),
        Role::Validator,
    );
    assert!(
        requirements.body.to_string().contains(&uri),
        "accepted skill is a requirement: {}",
        requirements.body
    );

    // The desk does the same for a person: audited, and the competence is assessed.
    let person_path = format!("/v1/job-seekers/{PERSON}/suggestion-feedback");
    let denied = app.request("POST", &person_path, Some(&validator), Some(&accept));
    assert_eq!((denied.status, denied.code()), (403, "forbidden_role"));
    let desk = app.request(
        "POST",
        &person_path,
        Some(&app.keys[&Role::Desk]),
        Some(&accept),
    );
    assert_eq!(desk.status, 200, "{:?}", desk.body);
    let competences = app.get(&format!("/v1/job-seekers/{PERSON}/competences"), Role::Desk);
    assert!(competences.body.to_string().contains(&uri));
    let audit = app.get(
        &format!("/v1/admin/audit?person_id={PERSON}&action=record_competence_feedback"),
        Role::Admin,
    );
    assert_eq!(audit.body["items"].as_array().map(Vec::len), Some(1));
}
