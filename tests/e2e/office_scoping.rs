//! Office scoping of matching results (issue 21, point 1): a desk key of Lucca sees only Lucca
//! people among a vacancy's candidates and only Lucca vacancies among a person's matches, course
//! doors and explanations, over the API and in the console; the audit never records a read the
//! caller was not allowed to make. Offices may share their vacancies only by explicit setting.

use incontro_core::access::Role;
use incontro_core::model::{ComuneCode, EntityId, Evidence};
use serde_json::Value;

use crate::helpers::*;

/// The Milan job seeker added to the demo: every competence V001 asks for, at level 4, so that
/// they would top V001's candidates if offices were not kept apart.
const MILAN_PERSON: &str = "JS_MI_1";
/// A Milan copy of the vacancy that fits JS0001 best.
const MILAN_VACANCY: &str = "V_MI_1";

fn ids(reply: &Reply, field: &str) -> Vec<String> {
    reply.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("items in {:?}", reply.body))
        .iter()
        .map(|item| item[field].as_str().expect("id").to_string())
        .collect()
}

/// Adds the Milan person and vacancy through a second engine over the server's data directory;
/// returns the id of the Lucca vacancy the Milan one copies.
fn add_milan(app: &TestApp) -> String {
    let engine = incontro_core::Engine::open_with(
        app.data_dir(),
        &crate::helpers::database_url(app.data_dir()),
    )
    .expect("second engine");
    let best = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies?k=1"),
        Role::Admin,
    );
    assert_eq!(best.status, 200, "{:?}", best.body);
    let copied = ids(&best, "vacancy_id").remove(0);
    let milano = ComuneCode::parse("F205").expect("comune");
    let mut vacancy = engine
        .get_vacancy(&EntityId::parse(&copied).expect("id"))
        .expect("vacancy");
    vacancy.id = EntityId::parse(MILAN_VACANCY).expect("id");
    vacancy.comune = milano.clone();
    engine.put_vacancy(&vacancy).expect("milan vacancy");
    let v001 = engine
        .get_vacancy(&EntityId::parse(VACANCY).expect("id"))
        .expect("V001");
    let mut seeker = engine
        .get_job_seeker(&EntityId::parse(PERSON).expect("id"))
        .expect("JS0001");
    seeker.id = EntityId::parse(MILAN_PERSON).expect("id");
    seeker.comune = milano;
    seeker.work_history.clear();
    seeker.competences = v001
        .requirements
        .iter()
        .map(|requirement| incontro_core::model::Competence {
            skill: requirement.skill.clone(),
            level: incontro_core::model::Level::new(4).expect("level"),
            evidence: Evidence::Assessed,
            since: None,
            note: None,
        })
        .collect();
    engine.put_job_seeker(&seeker, None).expect("milan person");
    copied
}

fn audit_rows(app: &TestApp, query: &str) -> Vec<Value> {
    let reply = app.get(&format!("/v1/admin/audit?limit=100&{query}"), Role::Admin);
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["items"].as_array().expect("items").clone()
}

#[test]
fn matching_results_stay_within_the_callers_office() {
    let app = spawn_app();
    let copied = add_milan(&app);

    // Candidates for a Lucca vacancy: the admin sees the Milan person (first: every competence
    // at level 4), the Lucca desk does not, and its audit rows never name them.
    let path = format!("/v1/vacancies/{VACANCY}/candidates?k=100");
    let everyone = ids(&app.get(&path, Role::Admin), "job_seeker_id");
    assert_eq!(everyone.first().map(String::as_str), Some(MILAN_PERSON));
    let lucca = app.get(&path, Role::Desk);
    assert_eq!(lucca.status, 200, "{:?}", lucca.body);
    let lucca_ids = ids(&lucca, "job_seeker_id");
    assert!(
        !lucca_ids.contains(&MILAN_PERSON.to_string()),
        "{lucca_ids:?}"
    );
    // Only the Milan person is left out: the rest keep their order.
    let expected: Vec<String> = everyone
        .iter()
        .filter(|id| *id != MILAN_PERSON)
        .cloned()
        .collect();
    assert_eq!(lucca_ids[..expected.len()], expected[..]);
    let desk_key = &app.key_ids[&Role::Desk];
    assert!(
        audit_rows(&app, &format!("person_id={MILAN_PERSON}&key_id={desk_key}")).is_empty(),
        "the Lucca desk's audit names the Milan person"
    );

    // Vacancies for a Lucca person: the admin sees the Milan copy beside the original.
    let path = format!("/v1/job-seekers/{PERSON}/vacancies?k=100");
    let everywhere = ids(&app.get(&path, Role::Admin), "vacancy_id");
    assert!(
        everywhere.contains(&MILAN_VACANCY.to_string()),
        "{everywhere:?}"
    );
    assert!(everywhere.contains(&copied));
    let lucca = ids(&app.get(&path, Role::Desk), "vacancy_id");
    assert!(!lucca.contains(&MILAN_VACANCY.to_string()), "{lucca:?}");
    assert!(lucca.contains(&copied));

    // Explanation, gap → courses and placements on the Milan vacancy: 403, and no audit row.
    for (method, path) in [
        (
            "GET",
            format!("/v1/job-seekers/{PERSON}/vacancies/{MILAN_VACANCY}/explanation"),
        ),
        (
            "GET",
            format!("/v1/job-seekers/{PERSON}/vacancies/{MILAN_VACANCY}/courses"),
        ),
    ] {
        let reply = app.request(method, &path, Some(&app.keys[&Role::Desk]), None);
        assert_eq!(
            (reply.status, reply.code()),
            (403, "other_office"),
            "{path}"
        );
    }
    let placement = serde_json::json!({
        "vacancy_id": MILAN_VACANCY, "kind": "proposal", "placement_type": "contract"
    });
    let reply = app.request(
        "POST",
        &format!("/v1/job-seekers/{PERSON}/placements"),
        Some(&app.keys[&Role::Desk]),
        Some(&placement),
    );
    assert_eq!((reply.status, reply.code()), (403, "other_office"));
    let rows = audit_rows(&app, &format!("person_id={PERSON}&key_id={desk_key}"));
    assert!(
        rows.iter().all(|row| row["target"] != MILAN_VACANCY),
        "an audit row names a read that was refused: {rows:?}"
    );
    // The admin may explain it.
    let explained = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies/{MILAN_VACANCY}/explanation"),
        Role::Admin,
    );
    assert_eq!(explained.status, 200, "{:?}", explained.body);

    // Course doors never open a Milan vacancy to a Lucca desk.
    let doors = app.get(
        &format!("/v1/job-seekers/{PERSON}/course-doors?k=50"),
        Role::Desk,
    );
    assert_eq!(doors.status, 200, "{:?}", doors.body);
    assert!(!doors.body.to_string().contains(MILAN_VACANCY));

    // The console's person page: the same ranking, the same scope.
    let desk = console_session(&app, &app.keys[&Role::Desk]);
    let (status, page) = console_get(&app, &desk, &format!("/console/desk/people/{PERSON}"));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&copied) && !page.contains(MILAN_VACANCY));
    let admin = console_session(&app, &app.keys[&Role::Admin]);
    let (_, page) = console_get(&app, &admin, &format!("/console/desk/people/{PERSON}"));
    assert!(
        page.contains(MILAN_VACANCY),
        "the admin's page shows every office"
    );
    let (status, _) = console_get(
        &app,
        &desk,
        &format!("/console/desk/people/{PERSON}/vacancies/{MILAN_VACANCY}/training"),
    );
    assert_eq!(status, 403);

    // The Milan desk: its own vacancy's candidates are Milan people only.
    let milan = send_raw(
        &app.address,
        "GET",
        &format!("/v1/vacancies/{MILAN_VACANCY}/candidates?k=100"),
        Some(&app.desk_elsewhere),
        None,
    )
    .expect("transport");
    assert_eq!(milan.status, 200, "{:?}", milan.body);
    assert_eq!(ids(&milan, "job_seeker_id"), vec![MILAN_PERSON.to_string()]);
}

#[test]
fn offices_share_vacancies_only_by_setting_and_never_people() {
    let app = spawn_app_with(|config| config.shared_vacancy_offices = vec!["MI".into()]);
    add_milan(&app);
    let vacancies = ids(
        &app.get(
            &format!("/v1/job-seekers/{PERSON}/vacancies?k=100"),
            Role::Desk,
        ),
        "vacancy_id",
    );
    assert!(
        vacancies.contains(&MILAN_VACANCY.to_string()),
        "{vacancies:?}"
    );
    let explained = app.get(
        &format!("/v1/job-seekers/{PERSON}/vacancies/{MILAN_VACANCY}/explanation"),
        Role::Desk,
    );
    assert_eq!(explained.status, 200, "{:?}", explained.body);
    let candidates = ids(
        &app.get(
            &format!("/v1/vacancies/{VACANCY}/candidates?k=100"),
            Role::Desk,
        ),
        "job_seeker_id",
    );
    assert!(!candidates.contains(&MILAN_PERSON.to_string()));
    // The vacancy record itself stays the Milan office's.
    let record = app.get(&format!("/v1/vacancies/{MILAN_VACANCY}"), Role::Desk);
    assert_eq!((record.status, record.code()), (403, "other_office"));
}
