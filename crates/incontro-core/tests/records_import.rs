//! Records importers, the demo dataset and matching over the store.

use std::path::{Path, PathBuf};

use incontro_core::matching::MatchQuery;
use incontro_core::model::EntityId;
use incontro_core::records::{demo_dir, ImportOptions, RecordFiles};
use incontro_core::{Engine, Error, NoProgress};

fn demo_engine() -> Engine {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    engine.import_demo(&NoProgress).expect("demo imports");
    engine
}

/// Copies the demo's record files into a temp dir so a test can damage one of them.
fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("demo");
    std::fs::create_dir_all(&target).expect("mkdir");
    for entry in std::fs::read_dir(demo_dir().join("demo")).expect("demo dir") {
        let entry = entry.expect("entry");
        // The demo's record files only; sub-folders (e.g. `outreach/`) belong to other importers.
        if !entry.file_type().expect("file type").is_file() {
            continue;
        }
        std::fs::copy(entry.path(), target.join(entry.file_name())).expect("copy");
    }
    (dir, target)
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn counts(engine: &Engine) -> Vec<(String, i64)> {
    engine
        .entity_counts()
        .expect("counts")
        .0
        .into_iter()
        .collect()
}

fn problems_of(
    result: incontro_core::Result<incontro_core::records::ImportReport>,
) -> Vec<incontro_core::InputProblem> {
    match result {
        Err(Error::InvalidInput { problems }) => problems,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn demo_loads_whole_and_is_idempotent() {
    let engine = demo_engine();
    let first = counts(&engine);
    let get = |name: &str| {
        first
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| *c)
            .expect(name)
    };
    assert_eq!(get("companies"), 15);
    assert_eq!(get("vacancies"), 60);
    assert_eq!(get("job_seekers"), 200);
    assert_eq!(get("courses"), 25);
    engine.import_demo(&NoProgress).expect("second import");
    assert_eq!(
        counts(&engine),
        first,
        "a second demo import changes nothing"
    );
    let taxonomy = engine.taxonomy().expect("taxonomy");
    assert!(taxonomy.skill_count() >= 140);
    assert!(taxonomy.languages().iter().any(|language| language == "it"));
}

#[test]
fn personal_data_is_kept_apart() {
    let engine = demo_engine();
    let id = EntityId::parse("JS0001").expect("id");
    let seeker = engine.get_job_seeker(&id).expect("seeker");
    let analytical = serde_json::to_string(&seeker).expect("json");
    let personal = engine.get_personal_data(&id).expect("pii");
    assert!(!analytical.contains(personal.codice_fiscale.as_str()));
    assert!(!analytical.contains(&personal.last_name));
    assert_eq!(
        engine
            .find_job_seeker_by_cf(&personal.codice_fiscale)
            .expect("by cf"),
        id
    );
}

#[test]
fn a_file_with_one_bad_row_changes_nothing() {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    let before = counts(&engine);
    let cases: &[(&str, &str, &str, &str)] = &[
        ("job_seekers.csv", ",F,", ",X,", "sex"),
        ("requirements.csv", ",true,", ",maybe,", "essential"),
        ("companies.csv", "C01,", "C02,", "id"),
        ("vacancies.csv", "2026-", "2026-13-", "opens"),
        ("vacancies.csv", ",C01,", ",C99,", "company_id"),
    ];
    for (file, from, to, field) in cases {
        let (_dir, copy) = demo_copy();
        replace_in(&copy.join(file), from, to);
        let problems = problems_of(
            engine.import_records(&RecordFiles::in_dir(&copy), &ImportOptions::default()),
        );
        assert!(
            problems
                .iter()
                .any(|p| p.file == *file && p.line > 1 && p.field.as_deref() == Some(*field)),
            "{file}: expected a problem on field {field}, got {problems:?}"
        );
        assert_eq!(counts(&engine), before, "{file}: nothing imported");
    }
}

#[test]
fn bad_codice_fiscale_and_level_are_reported_with_line() {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    let (_dir, copy) = demo_copy();
    let seekers = copy.join("job_seekers.csv");
    let text = std::fs::read_to_string(&seekers).expect("read");
    let second_line = text.lines().nth(1).expect("row");
    let cf = second_line.split(',').nth(1).expect("cf");
    let mut broken = cf.to_string();
    let last = broken.pop().expect("char");
    broken.push(if last == 'A' { 'B' } else { 'A' });
    replace_in(&seekers, cf, &broken);
    replace_in(&copy.join("competences.csv"), ",2,", ",5,");
    let problems =
        problems_of(engine.import_records(&RecordFiles::in_dir(&copy), &ImportOptions::default()));
    let cf_problem = problems
        .iter()
        .find(|p| p.field.as_deref() == Some("codice_fiscale"))
        .expect("cf problem");
    assert_eq!(
        (cf_problem.file.as_str(), cf_problem.line),
        ("job_seekers.csv", 2)
    );
    assert!(cf_problem.message.contains("check character"));
    assert!(
        !cf_problem.message.contains(cf),
        "the message does not echo the code"
    );
    assert!(problems
        .iter()
        .any(|p| p.file == "competences.csv" && p.field.as_deref() == Some("level")));
}

#[test]
fn wrong_header_is_reported() {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    let (_dir, copy) = demo_copy();
    replace_in(&copy.join("courses.csv"), "provider", "fornitore");
    let problems =
        problems_of(engine.import_records(&RecordFiles::in_dir(&copy), &ImportOptions::default()));
    assert!(problems
        .iter()
        .any(|p| p.file == "courses.csv" && p.line == 1 && p.message.contains("wrong header")));
}

#[test]
fn skip_invalid_imports_the_rest_and_reports() {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    let (_dir, copy) = demo_copy();
    replace_in(&copy.join("companies.csv"), "C15,", "C15 bad id!,");
    let report = engine
        .import_records(
            &RecordFiles::in_dir(&copy),
            &ImportOptions { skip_invalid: true },
        )
        .expect("imports");
    assert_eq!(report.imported["companies"], 14);
    assert!(report
        .skipped
        .iter()
        .any(|p| p.file == "companies.csv" && p.field.as_deref() == Some("id")));
    assert!(report
        .skipped
        .iter()
        .any(|p| p.file == "vacancies.csv" && p.field.as_deref() == Some("company_id")));
}

#[test]
fn demo_story_matches_with_explanations() {
    let engine = demo_engine();
    let person = EntityId::parse("JS0001").expect("id");
    let found = engine
        .vacancies_for_person(&person, &MatchQuery::default(), "it")
        .expect("matches");
    assert!(!found.is_empty());
    for pair in found.windows(2) {
        assert!(pair[0].score >= pair[1].score, "ranked by score");
    }
    let welder = found
        .iter()
        .find(|m| m.vacancy_id == "V009")
        .expect("V009 ranked");
    assert!(
        welder.score > 0.5 && welder.score < 1.0,
        "nearly fits: {}",
        welder.score
    );
    assert!(welder.explanation.items.iter().any(|item| item.essential
        && matches!(item.outcome, incontro_core::scoring::MatchOutcome::Missing)));
    let exact = MatchQuery {
        exact: true,
        ..MatchQuery::default()
    };
    let exact_found = engine
        .vacancies_for_person(&person, &exact, "it")
        .expect("exact");
    assert!(!exact_found.is_empty());
    let tirocini = MatchQuery {
        tirocinio: Some(true),
        ..MatchQuery::default()
    };
    for found in engine
        .vacancies_for_person(&person, &tirocini, "it")
        .expect("filtered")
    {
        assert!(found.placement.is_tirocinio());
    }
    let near = MatchQuery {
        near: Some((
            incontro_core::model::ComuneCode::parse("L833").expect("comune"),
            5.0,
        )),
        ..MatchQuery::default()
    };
    for found in engine
        .vacancies_for_person(&person, &near, "it")
        .expect("near")
    {
        assert!(found.distance_km.expect("distance") <= 5.0);
    }
    let vacancy = EntityId::parse("V009").expect("id");
    let candidates = engine
        .candidates_for_vacancy(&vacancy, &MatchQuery::default(), "it")
        .expect("candidates");
    assert!(candidates.iter().any(|c| c.job_seeker_id == "JS0001"));
    let missing = engine.vacancies_for_person(
        &EntityId::parse("NOPE").expect("id"),
        &MatchQuery::default(),
        "it",
    );
    assert_eq!(missing.unwrap_err().code(), "job_seeker_not_found");
    let bad_k = MatchQuery {
        k: 0,
        ..MatchQuery::default()
    };
    assert_eq!(
        engine
            .vacancies_for_person(&person, &bad_k, "it")
            .unwrap_err()
            .code(),
        "invalid_k"
    );
}

#[test]
fn validation_workflow() {
    let engine = demo_engine();
    let draft = engine
        .list_vacancies(None)
        .expect("list")
        .into_iter()
        .find(|v| matches!(v.status, incontro_core::model::VacancyStatus::Draft))
        .expect("a draft");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("day");
    let validated = engine
        .validate_vacancy(&draft.id, "Marta Lazzari", day)
        .expect("validates");
    assert!(matches!(
        validated.status,
        incontro_core::model::VacancyStatus::Validated { .. }
    ));
    assert_eq!(
        engine
            .validate_vacancy(&draft.id, "Marta Lazzari", day)
            .unwrap_err()
            .code(),
        "vacancy_already_validated"
    );
}

/// The demo's record files as a zip archive (in a sub-folder, as an export tool writes them),
/// with `replace` applied to one file's text.
fn demo_zip(replace: Option<(&str, &str, &str)>) -> Vec<u8> {
    use std::io::Write;
    let (_dir, folder) = demo_copy();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("demo copy")
        .map(|entry| entry.expect("entry").path())
        .collect();
    names.sort();
    zip.add_directory("export/", options).expect("dir");
    for path in names {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let mut text = std::fs::read_to_string(&path).expect("read");
        if let Some((file, from, to)) = replace {
            if file == name {
                assert!(text.contains(from), "{from:?} not in {name}");
                text = text.replacen(from, to, 1);
            }
        }
        zip.start_file(format!("export/{name}"), options)
            .expect("start");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

fn engine_with_demo_taxonomy() -> Engine {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    engine
        .import_esco(
            &[demo_dir().join("esco-v1.1.1-it-demo")],
            &incontro_core::taxonomy::EscoImportOptions::default(),
            &NoProgress,
        )
        .expect("demo taxonomy");
    engine
}

/// Record files uploaded as one zip import exactly as the same files from a folder, with the
/// same checks: a bad row names its file and line and nothing is written.
#[test]
fn a_zip_of_record_files_read_from_any_reader_imports_like_the_folder() {
    let (_dir, folder) = demo_copy();
    let from_folder = engine_with_demo_taxonomy();
    let folder_files = RecordFiles::from_dir(&folder).expect("folder");
    from_folder
        .import_records(&folder_files, &ImportOptions::default())
        .expect("folder import");
    let from_zip = engine_with_demo_taxonomy();
    let bytes = demo_zip(None);
    let files = RecordFiles::from_zip("upload.zip", bytes.as_slice()).expect("zip");
    let report = from_zip
        .import_records(&files, &ImportOptions::default())
        .expect("zip import");
    assert!(report.imported.get("vacancies").copied().unwrap_or(0) > 0);
    assert_eq!(counts(&from_zip), counts(&from_folder));
    let person = EntityId::parse("JS0001").expect("id");
    let ranked = |engine: &Engine| -> Vec<(String, u32)> {
        engine
            .vacancies_for_person(&person, &MatchQuery::default(), "it")
            .expect("ranked")
            .into_iter()
            .map(|m| (m.vacancy_id.to_string(), (m.score * 1e6) as u32))
            .collect()
    };
    assert_eq!(ranked(&from_zip), ranked(&from_folder));

    // A bad level in the archive: reported at its file and line, nothing written.
    let fresh = engine_with_demo_taxonomy();
    let bad = demo_zip(Some(("requirements.csv", ",3,", ",9,")));
    let files = RecordFiles::from_zip("upload.zip", bad.as_slice()).expect("zip");
    let problems = problems_of(fresh.import_records(&files, &ImportOptions::default()));
    assert!(
        problems.iter().any(|p| p.file == "requirements.csv"
            && p.line > 1
            && p.field.as_deref() == Some("level")),
        "{problems:?}"
    );
    assert!(
        counts(&fresh).iter().all(|(_, n)| *n == 0),
        "{:?}",
        counts(&fresh)
    );

    // Not a zip, or a zip without record files: clear errors.
    let error = RecordFiles::from_zip("upload.zip", &b"companies.csv"[..]).expect_err("not a zip");
    assert_eq!(error.code(), "bad_record_zip");
    let mut empty = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    empty
        .start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .expect("start");
    let empty = empty.finish().expect("finish").into_inner();
    let error = RecordFiles::from_zip("upload.zip", empty.as_slice()).expect_err("empty");
    assert_eq!(error.code(), "nothing_to_import");
}

/// Reads a `;` or `,` separated file of the demo as header → value maps.
fn demo_rows(relative: &str, delimiter: u8) -> Vec<std::collections::HashMap<String, String>> {
    let path = demo_dir().join(relative);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let headers = reader.headers().expect("headers").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("record");
            headers
                .iter()
                .zip(record.iter())
                .map(|(header, value)| (header.to_owned(), value.to_owned()))
                .collect()
        })
        .collect()
}

// See: issue 15 (CP2011 titles must be the official ones). Every CP2011 code the demo uses —
// in the work history, the COB files (their qualifica's five-level unit) and the crosswalk — has
// its official title and the source it was checked against in `data/cp2011.csv`, is a five-level
// unit (no category code such as 5.2.2.3.0), and every crosswalk row leads to an ISCO-08 unit
// group that ESCO occupations of the demo release belong to.
#[test]
fn demo_cp2011_codes_have_titles_and_the_crosswalk_real_isco_groups() {
    let titles: std::collections::HashMap<String, (String, String)> = demo_rows("cp2011.csv", b';')
        .into_iter()
        .map(|row| {
            (
                row["code"].clone(),
                (row["label"].clone(), row["source"].clone()),
            )
        })
        .collect();
    for (code, (label, source)) in &titles {
        assert_eq!(
            code.split('.').count(),
            5,
            "{code} is not a five-level unit"
        );
        assert!(!label.trim().is_empty(), "{code} has no title");
        assert!(
            source.starts_with("https://"),
            "{code} has no source: {source:?}"
        );
    }

    let mut used: Vec<(String, &str)> = Vec::new();
    for row in demo_rows("demo/work_history.csv", b',') {
        if row["scheme"] == "cp2011" {
            used.push((row["code"].clone(), "work_history.csv"));
        }
    }
    for file in ["demo/outreach_cob.csv", "demo/outreach_cob_2025.csv"] {
        for row in demo_rows(file, b',') {
            let qualifica = &row["QualificaProfessionaleIstat"];
            if qualifica.is_empty() {
                continue;
            }
            let segments: Vec<&str> = qualifica.split('.').collect();
            assert_eq!(
                segments.len(),
                6,
                "{file}: {qualifica} is not a COB qualifica"
            );
            used.push((segments[..5].join("."), file));
        }
    }
    let crosswalk = demo_rows("demo/cp2011_isco.csv", b',');
    for row in &crosswalk {
        used.push((row["cp2011"].clone(), "cp2011_isco.csv"));
    }
    assert!(used.len() > 100, "the demo uses CP2011 codes");
    for (code, file) in &used {
        assert!(
            titles.contains_key(code),
            "{file}: CP2011 {code} has no title in data/cp2011.csv"
        );
    }
    // The words the console shows are those titles, for a COB qualifica too.
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    let words = engine.vocabulary().expect("vocabulary");
    assert_eq!(
        words.cp2011("7.1.4.3.0"),
        Some("Operatori di impianti per la fabbricazione della carta")
    );
    assert_eq!(
        words.cp2011("8.1.3.1.0.1"),
        Some("Facchini, addetti allo spostamento merci ed assimilati")
    );
    assert_eq!(words.cp2011("5.2.2.3.0"), None, "a category is no unit");

    let esco_groups: std::collections::HashSet<String> =
        demo_rows("esco-v1.1.1-it-demo/occupations_it.csv", b',')
            .into_iter()
            .map(|row| row["iscoGroup"].clone())
            .collect();
    let pairs: std::collections::HashMap<&str, &str> = crosswalk
        .iter()
        .map(|row| (row["cp2011"].as_str(), row["isco08"].as_str()))
        .collect();
    assert_eq!(pairs.len(), crosswalk.len(), "one row per CP2011 unit");
    for (cp2011, isco) in &pairs {
        assert!(
            isco.len() == 4 && isco.bytes().all(|b| b.is_ascii_digit()),
            "{cp2011}: {isco} is not an ISCO-08 unit group"
        );
        assert!(
            esco_groups.contains(*isco),
            "{cp2011}: no ESCO occupation in ISCO {isco}"
        );
    }
    // The paper-mill operators read as pulp and papermaking plant operators, the machinery
    // mechanic as an industrial machinery mechanic.
    assert_eq!(pairs.get("7.1.4.3.0"), Some(&"8171"));
    assert_eq!(pairs.get("6.2.3.3.1"), Some(&"7233"));
}
