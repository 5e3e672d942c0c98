//! ESCO import end to end: the shared v1.1.1 release and the Italian fixture.

use std::io::Write;
use std::path::{Path, PathBuf};

use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, Error, NoProgress};

/// `../shared` next to the repository root (or `INCONTRO_SHARED`), if present.
/// The suite's engine: on a fresh PostgreSQL database when `INCONTRO_TEST_POSTGRES` is set (CI
/// runs the suite on both backends), in memory otherwise.
fn engine() -> Engine {
    incontro_core::testing::engine_on_day(incontro_core::records::DEMO_ANCHOR)
}

fn shared_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("INCONTRO_SHARED") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    let mut current = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        let candidate = current.join("shared");
        if candidate.join("data").is_dir() {
            return Some(candidate);
        }
        if !current.pop() {
            return None;
        }
    }
}

/// The zips of the shared ESCO v1.1.1 release.
fn shared_release() -> Option<Vec<PathBuf>> {
    let folder = shared_dir()?.join("data/esco-v1.1.1");
    let mut zips: Vec<PathBuf> = std::fs::read_dir(&folder)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "zip"))
        .collect();
    zips.sort();
    (!zips.is_empty()).then_some(zips)
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/esco-it")
}

/// Builds the Italian zip, named as the official download, from the fixture CSV files.
fn italian_zip(dir: &Path) -> PathBuf {
    let path = dir.join("ESCO dataset - v1.1.1 - classification - it - csv.zip");
    let file = std::fs::File::create(&path).expect("create zip");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("fixture dir")
        .map(|entry| entry.expect("entry").path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        zip.start_file(name, options).expect("start file");
        zip.write_all(&std::fs::read(&path).expect("read fixture"))
            .expect("write");
    }
    zip.finish().expect("finish zip");
    path
}

/// A folder holding the given CSV files (name, content).
fn csv_folder(dir: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).expect("mkdir");
    for (file, content) in files {
        std::fs::write(folder.join(file), content).expect("write csv");
    }
    folder
}

const SKILLS_HEADER: &str = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,definition,inScheme,description\n";
const OCCUPATIONS_HEADER: &str = "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description,code\n";
const RELATIONS_HEADER: &str = "occupationUri,relationType,skillType,skillUri\n";

fn small_release(dir: &Path, relations: &str) -> PathBuf {
    let skills = format!(
        "{SKILLS_HEADER}KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,knowledge,transversal,welding,\"weld\nwelding metals\",,released,,,,,Joining metals.\nKnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s2,skill/competence,cross-sector,teamwork,,,released,,,,,\n"
    );
    let occupations = format!(
        "{OCCUPATIONS_HEADER}Occupation,http://data.europa.eu/esco/occupation/o1,7212,welder,,,released,,,,,,,7212.1\n"
    );
    let relations = format!("{RELATIONS_HEADER}{relations}");
    csv_folder(
        dir,
        "esco-v1.2.0",
        &[
            ("skills_en.csv", &skills),
            ("occupations_en.csv", &occupations),
            ("occupationSkillRelations_en.csv", &relations),
        ],
    )
}

const GOOD_RELATIONS: &str = "http://data.europa.eu/esco/occupation/o1,essential,knowledge,http://data.europa.eu/esco/skill/s1\nhttp://data.europa.eu/esco/occupation/o1,optional,skill/competence,http://data.europa.eu/esco/skill/s2\n";

#[test]
fn shared_release_imports_whole_and_reimports_in_place() {
    let Some(zips) = shared_release() else {
        println!("skipped: ../shared not found");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = incontro_core::testing::engine_on(dir.path(), incontro_core::records::DEMO_ANCHOR);
    let report = engine
        .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
        .expect("import");
    assert_eq!(report.version.as_deref(), Some("v1.1.1"));
    assert!(report.skipped.is_empty());
    let stats = engine.taxonomy_stats().expect("stats");
    assert_eq!(stats.skills, 13_896);
    assert_eq!(stats.occupations, 3_007);
    assert_eq!(stats.occupation_skill_relations, 123_855);
    assert_eq!(stats.skill_skill_relations, 5_899);
    assert_eq!(stats.broader_relations, 20_656);
    assert_eq!(stats.isco_groups, 619);
    assert_eq!(stats.version.as_deref(), Some("v1.1.1"));
    assert_eq!(stats.languages, vec!["en".to_string()]);

    let taxonomy = engine.taxonomy().expect("taxonomy");
    assert_eq!(
        taxonomy.skill_count() as u64,
        stats.skills + stats.skill_groups
    );
    let director = taxonomy
        .occupation_idx(
            "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34",
        )
        .expect("technical director");
    assert_eq!(
        taxonomy.occupation_label(director, "en"),
        Some("technical director")
    );
    assert_eq!(taxonomy.occupation_isco_group(director), "2654");
    assert!(!taxonomy.occupation_skills(director).is_empty());

    // Re-import: same counts, nothing duplicated.
    engine
        .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
        .expect("re-import");
    let again = engine.taxonomy_stats().expect("stats");
    assert_eq!(again, stats);
    let taxonomy_again = engine.taxonomy().expect("taxonomy");
    let labels_before = taxonomy.occupation_labels(director).count();
    assert_eq!(
        taxonomy_again.occupation_labels(director).count(),
        labels_before
    );

    // Italian, from the zip and from the folder: labels join the same concepts.
    let zip = italian_zip(dir.path());
    let report = engine
        .import_esco(&[zip], &EscoImportOptions::default(), &NoProgress)
        .expect("italian zip");
    assert_eq!(report.languages, vec!["it".to_string()]);
    engine
        .import_esco(&[fixture_dir()], &EscoImportOptions::default(), &NoProgress)
        .expect("italian folder");
    let with_italian = engine.taxonomy_stats().expect("stats");
    assert_eq!(with_italian.skills, stats.skills);
    assert_eq!(with_italian.occupations, stats.occupations);
    assert_eq!(
        with_italian.languages,
        vec!["en".to_string(), "it".to_string()]
    );
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let director = taxonomy
        .occupation_idx(
            "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34",
        )
        .expect("technical director");
    assert_eq!(
        taxonomy.occupation_label(director, "it"),
        Some("direttore tecnico/direttrice tecnica")
    );
    assert_eq!(
        taxonomy.occupation_label(director, "en"),
        Some("technical director")
    );
    let musical = taxonomy
        .skill_idx("http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab")
        .expect("skill");
    assert_eq!(
        taxonomy.preferred_label(musical, "it"),
        Some("gestire il personale musicale")
    );
    assert_eq!(
        taxonomy
            .labels(musical)
            .filter(|(language, _, _)| *language == "it")
            .count(),
        4
    );
}

#[test]
fn italian_fixture_imports_alone_from_zip_and_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine();
    let zip = italian_zip(dir.path());
    let report = engine
        .import_esco(&[zip], &EscoImportOptions::default(), &NoProgress)
        .expect("import");
    assert_eq!(report.version.as_deref(), Some("v1.1.1"));
    assert_eq!(
        (report.skills, report.occupations, report.isco_groups),
        (3, 2, 2)
    );
    let first = engine.taxonomy_stats().expect("stats");
    engine
        .import_esco(&[fixture_dir()], &EscoImportOptions::default(), &NoProgress)
        .expect("folder");
    let second = engine.taxonomy_stats().expect("stats");
    assert_eq!(first, second, "re-import changes nothing");
    assert_eq!(
        second.version.as_deref(),
        Some("v1.1.1"),
        "folder without version keeps it"
    );
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let group = taxonomy
        .skill_idx("http://data.europa.eu/esco/isced-f/00")
        .expect("group");
    assert!(taxonomy.is_group(group));
    assert_eq!(
        taxonomy.preferred_label(group, "en"),
        Some("programmi e qualifiche generici")
    );
}

/// A release uploaded over the web arrives as bytes, not a path: the same import from a reader.
#[test]
fn a_zip_read_from_any_reader_imports_like_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zip = italian_zip(dir.path());
    let from_file = engine();
    from_file
        .import_esco(
            std::slice::from_ref(&zip),
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect("file");
    let from_reader = engine();
    let bytes = std::fs::read(&zip).expect("read zip");
    let name = "ESCO dataset - v1.1.1 - classification - it - csv.zip";
    let report = from_reader
        .import_esco_zip_from(
            name,
            std::io::Cursor::new(bytes),
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect("reader");
    assert_eq!(
        report.version.as_deref(),
        Some("v1.1.1"),
        "version from the name"
    );
    assert_eq!(
        from_reader.taxonomy_stats().expect("stats"),
        from_file.taxonomy_stats().expect("stats")
    );
    // Not a zip: a clear error naming the upload, nothing imported.
    let error = from_reader
        .import_esco_zip_from(
            "upload.zip",
            &b"skills_it.csv,not a zip"[..],
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect_err("not a zip");
    assert_eq!(error.code(), "esco_bad_zip");
    assert!(error.to_string().contains("upload.zip"), "{error}");
}

#[test]
fn small_release_with_relations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine();
    let folder = small_release(dir.path(), GOOD_RELATIONS);
    let report = engine
        .import_esco(&[folder], &EscoImportOptions::default(), &NoProgress)
        .expect("import");
    assert_eq!(report.version.as_deref(), Some("v1.2.0"));
    assert_eq!(report.occupation_skill_relations, 2);
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let welder = taxonomy
        .occupation_idx("http://data.europa.eu/esco/occupation/o1")
        .expect("welder");
    let welding = taxonomy
        .skill_idx("http://data.europa.eu/esco/skill/s1")
        .expect("s1");
    assert!(taxonomy
        .occupation_skills(welder)
        .contains(&(welding, true)));
    assert_eq!(taxonomy.description(welding, "it"), Some("Joining metals."));
    assert_eq!(taxonomy.labels(welding).count(), 3);
}

#[test]
fn unknown_uri_in_relations_is_reported_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine();
    let relations = format!(
        "{GOOD_RELATIONS}http://data.europa.eu/esco/occupation/o1,essential,knowledge,http://data.europa.eu/esco/skill/missing\n"
    );
    let folder = small_release(dir.path(), &relations);
    let before = engine.taxonomy_stats().expect("stats");
    let error = engine
        .import_esco(
            std::slice::from_ref(&folder),
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect_err("unknown uri");
    let Error::InvalidInput { problems } = error else {
        panic!("expected invalid input, got {error:?}");
    };
    assert_eq!(problems.len(), 1);
    assert!(problems[0]
        .file
        .ends_with("occupationSkillRelations_en.csv"));
    assert_eq!(problems[0].line, 4);
    assert_eq!(problems[0].field.as_deref(), Some("skillUri"));
    assert_eq!(
        engine.taxonomy_stats().expect("stats"),
        before,
        "store unchanged"
    );

    // With skip_invalid, the valid rows go in and the bad one is reported.
    let report = engine
        .import_esco(
            &[folder],
            &EscoImportOptions {
                skip_invalid: true,
                ..Default::default()
            },
            &NoProgress,
        )
        .expect("skip invalid");
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.occupation_skill_relations, 2);
    assert_eq!(
        engine
            .taxonomy_stats()
            .expect("stats")
            .occupation_skill_relations,
        2
    );
}

#[test]
fn wrong_header_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine();
    let folder = csv_folder(
        dir.path(),
        "esco-v1.1.1",
        &[(
            "skills_en.csv",
            "uri,label\nhttp://data.europa.eu/esco/skill/s1,welding\n",
        )],
    );
    let error = engine
        .import_esco(
            &[folder],
            &EscoImportOptions {
                skip_invalid: true,
                ..Default::default()
            },
            &NoProgress,
        )
        .expect_err("bad header");
    assert_eq!(error.code(), "esco_bad_header");
    assert!(error.to_string().contains("skills_en.csv"), "{error}");
    assert_eq!(engine.taxonomy_stats().expect("stats").skills, 0);
}

#[test]
fn malformed_csv_is_reported_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine();
    let skills = format!(
        "{SKILLS_HEADER}KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,knowledge,transversal,welding,,,released,,,,,\nKnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s2,too,few,fields\n"
    );
    let folder = csv_folder(dir.path(), "esco-v1.1.1", &[("skills_en.csv", &skills)]);
    let error = engine
        .import_esco(
            std::slice::from_ref(&folder),
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect_err("malformed");
    let Error::InvalidInput { problems } = error else {
        panic!("expected invalid input, got {error:?}");
    };
    assert_eq!(problems[0].line, 3);
    assert!(problems[0].file.ends_with("skills_en.csv"));
    assert_eq!(engine.taxonomy_stats().expect("stats").skills, 0);

    let report = engine
        .import_esco(
            &[folder],
            &EscoImportOptions {
                skip_invalid: true,
                ..Default::default()
            },
            &NoProgress,
        )
        .expect("skip");
    assert_eq!((report.skills, report.skipped.len()), (1, 1));
}

#[test]
fn missing_source_is_an_error() {
    let engine = engine();
    let error = engine
        .import_esco(
            &[PathBuf::from("/nonexistent/esco-v1.1.1.zip")],
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect_err("missing");
    assert_eq!(error.code(), "esco_source_not_found");

    let dir = tempfile::tempdir().expect("tempdir");
    let error = engine
        .import_esco(
            &[dir.path().to_path_buf()],
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect_err("empty folder");
    assert_eq!(error.code(), "esco_files_not_found");
}

/// Issue 14, point 3: `import demo` on a store that already holds a taxonomy merges the demo's
/// subset in and replaces none of the stored relations, labels or version.
#[test]
fn demo_after_a_release_keeps_the_release() {
    let dir = tempfile::tempdir().expect("tempdir");
    let alone = engine();
    alone.import_demo(&NoProgress).expect("demo");
    let demo = alone.taxonomy_stats().expect("stats");
    let engine = engine();
    let folder = small_release(dir.path(), GOOD_RELATIONS);
    engine
        .import_esco(&[folder], &EscoImportOptions::default(), &NoProgress)
        .expect("release");
    engine.import_demo(&NoProgress).expect("demo");
    let stats = engine.taxonomy_stats().expect("stats");
    assert_eq!(
        stats.occupation_skill_relations,
        demo.occupation_skill_relations + 2,
        "the release's relations are kept, the demo's added"
    );
    assert_eq!(stats.skill_skill_relations, demo.skill_skill_relations);
    assert_eq!(stats.version.as_deref(), Some("v1.2.0"));
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let welding = taxonomy
        .skill_idx("http://data.europa.eu/esco/skill/s1")
        .expect("s1");
    assert_eq!(taxonomy.preferred_label(welding, "en"), Some("welding"));
    // A second demo import changes nothing either.
    engine.import_demo(&NoProgress).expect("demo again");
    assert_eq!(
        engine
            .taxonomy_stats()
            .expect("stats")
            .occupation_skill_relations,
        stats.occupation_skill_relations
    );
}

/// The same on the official release: before issue 14, occupation–skill relations dropped from
/// 123,855 to 331 and skill–skill relations from 5,899 to 7.
#[test]
fn demo_after_the_shared_release_keeps_its_relations() {
    let Some(zips) = shared_release() else {
        println!("skipped: ../shared not found");
        return;
    };
    let engine = engine();
    engine
        .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
        .expect("import");
    engine.import_demo(&NoProgress).expect("demo");
    let stats = engine.taxonomy_stats().expect("stats");
    assert_eq!(stats.occupation_skill_relations, 123_855);
    assert_eq!(stats.skill_skill_relations, 5_899);
    assert_eq!(stats.broader_relations, 20_656);
    assert_eq!(stats.version.as_deref(), Some("v1.1.1"));
    // The desk still answers on the merged taxonomy, and JS0001's view (issue 14, points 5
    // and 6): no tirocinio (she does not accept them), and no level reached by inference alone
    // above the cap — her CP2011 job as a machinery mechanic presumes welding at level 2 at most.
    let person = incontro_core::model::EntityId::parse("JS0001").expect("id");
    let found = engine
        .vacancies_for_person(
            &person,
            &incontro_core::matching::MatchQuery::default(),
            "it",
        )
        .expect("matches");
    assert!(!found.is_empty());
    assert!(found.iter().all(|m| !m.placement.is_tirocinio()));
    let profile = engine.person_profile(&person).expect("profile");
    let presumed: Vec<_> = profile.iter().filter(|entry| entry.presumed).collect();
    assert!(!presumed.is_empty());
    assert!(
        presumed.iter().all(|entry| entry.level.get() <= 2),
        "{presumed:?}"
    );
    assert!(presumed.iter().any(|entry| entry.capped_from.is_some()));
}
