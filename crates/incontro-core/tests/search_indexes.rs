//! The tantivy indexes over the demo data and the shared ESCO release.

use std::path::PathBuf;

use incontro_core::index::VacancyQuery;
use incontro_core::model::EntityId;
use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, NoProgress};

fn shared_esco() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/esco-v1.1.1");
    dir.is_dir().then_some(dir)
}

#[test]
fn italian_type_ahead_with_typos_on_the_demo() {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    engine.import_demo(&NoProgress).expect("demo");
    let hits = engine.skill_search("saldatura", "it", 10).expect("search");
    assert!(
        hits.iter()
            .any(|hit| hit.preferred_label.contains("saldatura")),
        "{hits:?}"
    );
    let typo = engine.skill_search("saldatrua", "it", 10).expect("typo");
    assert!(
        typo.iter()
            .any(|hit| hit.preferred_label.contains("saldatura")),
        "{typo:?}"
    );
    let prefix = engine.skill_search("contabil", "it", 10).expect("prefix");
    assert!(
        prefix
            .iter()
            .any(|hit| hit.preferred_label.contains("contabil")),
        "{prefix:?}"
    );
    assert_eq!(
        engine.skill_search("  ", "it", 10).unwrap_err().code(),
        "empty_query"
    );
}

#[test]
fn english_type_ahead_over_the_whole_release() {
    let Some(dir) = shared_esco() else {
        eprintln!("skipped: ../shared not found");
        return;
    };
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    let zips: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "zip"))
        .collect();
    engine
        .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
        .expect("import");
    let hits = engine.skill_search("weldng", "en", 10).expect("search");
    assert!(
        hits.iter()
            .any(|hit| hit.preferred_label.to_lowercase().contains("weld")),
        "{hits:?}"
    );
}

#[test]
fn vacancy_search_with_filters_follows_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(dir.path()).expect("engine");
    engine.import_demo(&NoProgress).expect("demo");
    let (all, total) = engine
        .search_vacancies(&VacancyQuery {
            limit: Some(1000),
            ..Default::default()
        })
        .expect("all");
    assert_eq!((all.len(), total), (60, 60));
    let (welders, _) = engine
        .search_vacancies(&VacancyQuery {
            text: Some("saldatori".into()),
            ..Default::default()
        })
        .expect("text");
    assert!(
        welders.contains(&"V009".to_string()),
        "Italian stemming: saldatori finds Saldatore: {welders:?}"
    );
    let (tirocini, _) = engine
        .search_vacancies(&VacancyQuery {
            tirocinio: Some(true),
            limit: Some(1000),
            ..Default::default()
        })
        .expect("tirocini");
    assert!(!tirocini.is_empty());
    for id in &tirocini {
        let vacancy = engine
            .get_vacancy(&EntityId::parse(id).expect("id"))
            .expect("vacancy");
        assert!(vacancy.placement.is_tirocinio());
    }
    // Viareggio (43.8667, 10.25), 5 km: only vacancies in Viareggio or within 5 km.
    let (near, _) = engine
        .search_vacancies(&VacancyQuery {
            near: Some((43.8667, 10.25, 5.0)),
            limit: Some(1000),
            ..Default::default()
        })
        .expect("near");
    assert!(near.contains(&"V009".to_string()));
    for id in &near {
        let vacancy = engine
            .get_vacancy(&EntityId::parse(id).expect("id"))
            .expect("vacancy");
        assert!(
            ["L833", "F035"].contains(&vacancy.comune.as_str()),
            "{} in {}",
            id,
            vacancy.comune.as_str()
        );
    }
    // A write is followed by the index; a reopened engine finds the index current.
    let mut vacancy = engine
        .get_vacancy(&EntityId::parse("V009").expect("id"))
        .expect("v");
    vacancy.title = "Saldatore carpenteria navale".into();
    engine.put_vacancy(&vacancy).expect("put");
    let (found, _) = engine
        .search_vacancies(&VacancyQuery {
            text: Some("carpenteria".into()),
            ..Default::default()
        })
        .expect("after write");
    assert_eq!(found, vec!["V009".to_string()]);
    drop(engine);
    let reopened = Engine::open(dir.path()).expect("reopen");
    let (found, _) = reopened
        .search_vacancies(&VacancyQuery {
            text: Some("carpenteria".into()),
            ..Default::default()
        })
        .expect("reopened");
    assert_eq!(found, vec!["V009".to_string()]);
}
