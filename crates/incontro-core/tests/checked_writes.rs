//! One way in, checked the same everywhere (issue 19, point 3): every write path of the library
//! refuses what the importer refuses, and nothing is stored when it does; a label language nobody
//! imported and a distance filter without coordinates are errors, not silent empty answers.

use incontro_core::matching::MatchQuery;
use incontro_core::model::{ComuneCode, EntityId, Level, Requirement, SkillUri, Weight};
use incontro_core::{Engine, NoProgress};

/// "usare attrezzature per la saldatura", a skill of the demo taxonomy.
const WELDING: &str = "http://data.europa.eu/esco/skill/2ee57de4-bffd-4194-b009-0060edec77cc";
const NOT_IN_ESCO: &str = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000";

fn demo() -> Engine {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    engine.import_demo(&NoProgress).expect("demo");
    engine
}

fn requirement(uri: &str) -> Requirement {
    Requirement {
        skill: SkillUri::parse(uri).expect("uri"),
        level: Level::new(2).expect("level"),
        essential: true,
        weight: Weight::NEUTRAL,
    }
}

#[test]
fn put_vacancy_refuses_what_the_importer_refuses_and_stores_nothing() {
    let engine = demo();
    let original = engine
        .get_vacancy(&EntityId::parse("V001").expect("id"))
        .expect("V001");
    let new_id = EntityId::parse("V950").expect("id");

    let mut duplicate = original.clone();
    duplicate.id = new_id.clone();
    duplicate.requirements = vec![requirement(WELDING), requirement(WELDING)];
    assert_eq!(
        engine.put_vacancy(&duplicate).unwrap_err().code(),
        "duplicate_skill"
    );

    let mut unknown = original.clone();
    unknown.id = new_id.clone();
    unknown.requirements = vec![requirement(NOT_IN_ESCO)];
    assert_eq!(
        engine.insert_vacancy(&unknown).unwrap_err().code(),
        "unknown_skill"
    );

    let mut no_positions = original.clone();
    no_positions.id = new_id.clone();
    no_positions.positions = 0;
    assert_eq!(
        engine.put_vacancy(&no_positions).unwrap_err().code(),
        "invalid_positions"
    );

    let mut backwards = original.clone();
    backwards.id = new_id.clone();
    backwards.closes = Some(backwards.opens - chrono::Duration::days(1));
    assert_eq!(
        engine.put_vacancy(&backwards).unwrap_err().code(),
        "invalid_dates"
    );

    assert_eq!(
        engine.get_vacancy(&new_id).unwrap_err().code(),
        "vacancy_not_found"
    );

    let error = engine
        .set_requirements(&original.id, vec![requirement(NOT_IN_ESCO)])
        .unwrap_err();
    assert_eq!(error.code(), "unknown_skill");
    assert_eq!(engine.get_vacancy(&original.id).expect("V001"), original);
}

#[test]
fn put_job_seeker_refuses_unknown_and_duplicate_competences() {
    let engine = demo();
    let id = EntityId::parse("JS0001").expect("id");
    let before = engine.get_job_seeker(&id).expect("JS0001");
    let mut changed = before.clone();
    let mut competence = changed.competences[0].clone();
    competence.skill = SkillUri::parse(NOT_IN_ESCO).expect("uri");
    changed.competences.push(competence);
    assert_eq!(
        engine.put_job_seeker(&changed, None).unwrap_err().code(),
        "unknown_skill"
    );
    let mut doubled = before.clone();
    doubled.competences.push(before.competences[0].clone());
    assert_eq!(
        engine.put_job_seekers(&[doubled]).unwrap_err().code(),
        "duplicate_skill"
    );
    assert_eq!(engine.get_job_seeker(&id).expect("JS0001"), before);
}

#[test]
fn an_unknown_language_and_a_centre_without_coordinates_are_errors() {
    let engine = demo();
    let person = EntityId::parse("JS0001").expect("id");
    let query = MatchQuery::default();
    assert!(engine.vacancies_for_person(&person, &query, "it").is_ok());
    assert!(engine.vacancies_for_person(&person, &query, "en").is_ok());
    assert_eq!(
        engine
            .vacancies_for_person(&person, &query, "xx")
            .unwrap_err()
            .code(),
        "unknown_language"
    );
    // A real comune (Aosta) whose coordinates the demo does not hold.
    let far = MatchQuery {
        near: Some((ComuneCode::parse("A326").expect("comune"), 30.0)),
        ..MatchQuery::default()
    };
    assert_eq!(
        engine
            .vacancies_for_person(&person, &far, "it")
            .unwrap_err()
            .code(),
        "unknown_comune"
    );
    let vacancy = EntityId::parse("V001").expect("id");
    assert_eq!(
        engine
            .candidates_for_vacancy(&vacancy, &far, "it")
            .unwrap_err()
            .code(),
        "unknown_comune"
    );
    // Near the person's home (Lucca, in the demo's comuni) still works.
    let home = MatchQuery {
        near: Some((ComuneCode::parse("E715").expect("comune"), 30.0)),
        ..MatchQuery::default()
    };
    assert!(engine.vacancies_for_person(&person, &home, "it").is_ok());
}

/// A tirocinio vacancy keeps to its region's rule (data/tirocinio_rules.csv): in Lucca
/// (Toscana) at least €500 a month and 2 to 12 months; the message says which bound (issue 15,
/// point 10). Nothing is stored when it does not.
#[test]
fn a_tirocinio_vacancy_keeps_to_its_regions_rule() {
    use incontro_core::access::{Principal, Role};
    use incontro_core::model::PlacementType;
    let engine = demo();
    let admin = Principal {
        key_id: "key_test".into(),
        role: Role::Admin,
        office: None,
        label: "Test".into(),
    };
    let lucca = ComuneCode::parse("E715").expect("comune");
    let rule = engine.tirocinio_rule_at(&lucca).expect("rule");
    assert_eq!(
        (
            rule.region.as_str(),
            rule.min_monthly_indemnity_eur,
            rule.max_months
        ),
        ("toscana", 500, 12)
    );
    let original = engine
        .get_vacancy(&EntityId::parse("V001").expect("id"))
        .expect("V001");
    let tirocinio = |id: &str, months: u8, indemnity: u32| {
        let mut vacancy = original.clone();
        vacancy.id = EntityId::parse(id).expect("id");
        vacancy.comune = lucca.clone();
        vacancy.placement = PlacementType::Tirocinio {
            months,
            monthly_indemnity_eur: indemnity,
        };
        vacancy
    };
    for (id, months, indemnity, why) in [
        ("V951", 6, 400, "indennità 400"),
        ("V952", 14, 600, "oltre il massimo di 12"),
        ("V953", 1, 600, "sotto il minimo di 2"),
    ] {
        let error = engine
            .create_vacancy(&admin, &tirocinio(id, months, indemnity))
            .expect_err("outside the rule");
        assert_eq!(error.code(), "tirocinio_outside_rules");
        assert!(error.to_string().contains(why), "{error}");
        assert!(engine
            .get_vacancy(&EntityId::parse(id).expect("id"))
            .is_err());
    }
    engine
        .create_vacancy(&admin, &tirocinio("V954", 6, 500))
        .expect("at the minimum indemnity");
    // A comune the province list does not place in a region takes the national floor (€300).
    let unknown = ComuneCode::parse("Z999").expect("comune");
    assert_eq!(
        engine
            .tirocinio_rule_at(&unknown)
            .expect("national")
            .min_monthly_indemnity_eur,
        300
    );
}
