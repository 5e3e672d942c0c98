//! Issue 14: answers desk staff can act on. A small hand-made world (`tests/fixtures/desk`): a
//! taxonomy of seven skills where "usare attrezzature per la saldatura" and "utilizzare
//! apparecchiature per saldatura" are two children of "saldatura"; one company; a full-time
//! welder contract, a welding tirocinio, a part-time fixed-term job in Milan, a draft with
//! competences and a draft without; three people:
//!
//! - P001 (Viareggio) does not accept tirocini, accepts only open-ended contracts (A.02.00) within
//!   60 km, and has 78 months as a machinery mechanic known only by its CP2011 code;
//! - P002 (Lucca) holds every competence of the welder contract, assessed;
//! - P003 (Capannori) wants at most 20 hours a week and declared the *neighbouring* welding skill.

use std::path::{Path, PathBuf};

use incontro_core::matching::MatchQuery;
use incontro_core::model::{EntityId, UnmetCondition, VacancyStatus};
use incontro_core::records::{ImportOptions, RecordFiles};
use incontro_core::scoring::{MatchOutcome, Relation};
use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::training::{DemandQuery, DoorsOptions, TrainingOptions};
use incontro_core::{Engine, Error, NoProgress};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/desk")
}

/// The day the tests run on (the engine's clock is pinned to it).
const DAY: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2026, 12, 1) {
    Some(day) => day,
    None => panic!("valid day"),
};

fn desk_engine() -> Engine {
    let engine = Engine::open_in_memory_on(DAY).expect("engine");
    engine
        .import_esco(
            &[fixture().join("esco")],
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect("esco");
    engine
        .import_records(
            &RecordFiles::in_dir(&fixture().join("records")),
            &ImportOptions::default(),
        )
        .expect("records");
    engine
}

fn id(text: &str) -> EntityId {
    EntityId::parse(text).expect("id")
}

fn today() -> chrono::NaiveDate {
    DAY
}

fn ids_for(engine: &Engine, person: &str, query: &MatchQuery) -> Vec<String> {
    engine
        .vacancies_for_person(&id(person), query, "it")
        .expect("vacancies")
        .into_iter()
        .map(|found| found.vacancy_id)
        .collect()
}

fn skill(name: &str) -> String {
    format!("http://data.europa.eu/esco/skill/desk-{name}")
}

/// Point 1: a draft without competences (or a vacancy whose last competence is removed) breaks
/// no query, cannot be validated, and is never offered.
#[test]
fn a_vacancy_without_competences_breaks_no_query() {
    let engine = desk_engine();
    let all = MatchQuery {
        include_unsuitable: true,
        ..MatchQuery::default()
    };
    for person in ["P001", "P002", "P003"] {
        let found = ids_for(&engine, person, &all);
        assert!(!found.contains(&"V104".to_string()), "{person}: {found:?}");
        engine
            .course_doors(&id(person), &DoorsOptions::on(today()))
            .expect("doors");
    }
    let error = engine
        .validate_vacancy(&id("V104"), "Marta Lazzari", today())
        .unwrap_err();
    assert_eq!(error.code(), "vacancy_without_competences");
    assert!(error.to_string().contains("no competences"), "{error}");

    // The validator removes the last competence of a validated vacancy: it goes back to draft,
    // and every query still answers.
    let emptied = engine
        .set_requirements(&id("V102"), Vec::new())
        .expect("set");
    assert_eq!(emptied.status, VacancyStatus::Draft);
    for person in ["P001", "P002", "P003"] {
        let found = ids_for(&engine, person, &all);
        assert!(!found.contains(&"V102".to_string()), "{person}: {found:?}");
    }
    assert_eq!(
        engine
            .candidates_for_vacancy(&id("V102"), &MatchQuery::default(), "it")
            .unwrap_err()
            .code(),
        "vacancy_not_found"
    );
    engine
        .candidates_for_vacancy(&id("V101"), &MatchQuery::default(), "it")
        .expect("candidates");
    engine
        .propose_courses(&id("P002"), &id("V101"), &TrainingOptions::on(today()))
        .expect("proposal");
    let query = DemandQuery {
        comuni: vec![incontro_core::model::ComuneCode::parse("E715").expect("code")],
        from: today(),
        to: today(),
        course_max_km: Some(50.0),
        include_drafts: true,
    };
    let report = engine
        .demand_report(&query, "it", &NoProgress)
        .expect("demand report");
    assert_eq!(report.without_competences, 2, "V102 and V104");
}

/// Point 2: drafts are not offered (ranked vacancies, candidates, course doors); the demand
/// report counts them only when asked, and says so.
#[test]
fn drafts_are_never_offered_and_counted_only_when_asked() {
    let engine = desk_engine();
    // P001's inferred "eseguire la manutenzione di macchinari" is all V103 (a draft) asks.
    let all = MatchQuery {
        include_unsuitable: true,
        ..MatchQuery::default()
    };
    for person in ["P001", "P002", "P003"] {
        assert!(!ids_for(&engine, person, &all).contains(&"V103".to_string()));
        for door in engine
            .course_doors(&id(person), &DoorsOptions::on(today()))
            .expect("doors")
        {
            assert!(door.unlocks.iter().all(|u| u.vacancy_id != "V103"));
        }
    }
    assert_eq!(
        engine
            .candidates_for_vacancy(&id("V103"), &MatchQuery::default(), "it")
            .unwrap_err()
            .code(),
        "vacancy_not_found"
    );
    let mut query = DemandQuery {
        comuni: vec![incontro_core::model::ComuneCode::parse("E715").expect("code")],
        from: today(),
        to: today(),
        course_max_km: Some(50.0),
        include_drafts: false,
    };
    let validated = engine
        .demand_report(&query, "it", &NoProgress)
        .expect("report");
    assert_eq!(validated.vacancy_count, 2, "V101 and V102");
    assert!(!validated.drafts_included);
    assert!(validated.vacancies_note().contains("solo offerte validate"));
    assert!(validated
        .skills
        .iter()
        .all(|row| row.skill_uri != skill("manutenzione")));
    query.include_drafts = true;
    let with_drafts = engine
        .demand_report(&query, "it", &NoProgress)
        .expect("report");
    assert_eq!(
        with_drafts.vacancy_count, 3,
        "V101, V102 and the draft V103"
    );
    assert_eq!(with_drafts.drafts_counted, 1);
    assert_eq!(with_drafts.without_competences, 1, "V104");
    assert!(with_drafts.vacancies_note().contains("1 bozze incluse"));
    assert!(with_drafts
        .skills
        .iter()
        .any(|row| row.skill_uri == skill("manutenzione")));
}

/// Point 5: P001's welding is presumed from 78 months as a machinery mechanic known only by its
/// CP2011 group: capped at level 2 (not the 4 of the months alone), marked in every line that
/// uses it, so the level-3 welding requirement stays a gap and the welding course stays.
#[test]
fn presumed_competences_are_capped_and_labelled() {
    let engine = desk_engine();
    let profile = engine.person_profile(&id("P001")).expect("profile");
    let welding = profile
        .iter()
        .find(|entry| entry.skill.as_str() == skill("usare-saldatrice"))
        .expect("inferred welding");
    assert_eq!(welding.level.get(), 2);
    assert!(welding.presumed);
    assert_eq!(welding.capped_from.map(|level| level.get()), Some(4));
    assert!(welding
        .provenance_it()
        .starts_with("presunta da esperienza (CP2011 6.2.3.3.1 → ISCO 7233"));
    let explanation = engine
        .explain_match(&id("P001"), &id("V101"), false, "it")
        .expect("explain");
    let line = explanation
        .items
        .iter()
        .find(|item| item.label == "usare attrezzature per la saldatura")
        .expect("welding requirement");
    assert!(line.gap);
    assert!(line
        .line_it()
        .contains("presunta da esperienza (CP2011 6.2.3.3.1"));
    assert!(
        line.line_it().ends_with("lacuna essenziale"),
        "{}",
        line.line_it()
    );
    // Assessed competences are not presumed.
    let drawings = explanation
        .items
        .iter()
        .find(|item| item.label == "leggere disegni tecnici")
        .expect("drawings");
    assert!(drawings.presumed_from.is_none());
    let proposal = engine
        .propose_courses(&id("P001"), &id("V101"), &TrainingOptions::on(today()))
        .expect("proposal");
    assert_eq!(proposal.missing.len(), 1);
    assert_eq!(proposal.courses.len(), 1, "the welding course stays");
}

/// Point 6: the person's own conditions come first.
#[test]
fn the_persons_conditions_come_first() {
    let engine = desk_engine();
    // P001: no tirocinio, only A.02.00, within 60 km of Viareggio.
    let offered = ids_for(&engine, "P001", &MatchQuery::default());
    assert_eq!(offered, vec!["V101".to_string()]);
    let all = engine
        .vacancies_for_person(
            &id("P001"),
            &MatchQuery {
                include_unsuitable: true,
                ..MatchQuery::default()
            },
            "it",
        )
        .expect("all");
    assert_eq!(all[0].vacancy_id, "V101");
    assert!(all[0].unmet_conditions.is_empty());
    let marked = |vacancy: &str| {
        all.iter()
            .find(|found| found.vacancy_id == vacancy)
            .map(|found| found.unmet_conditions.clone())
            .expect(vacancy)
    };
    assert_eq!(marked("V102"), vec![UnmetCondition::Tirocinio]);
    assert_eq!(
        marked("V105"),
        vec![UnmetCondition::ContractType, UnmetCondition::Distance]
    );
    // Unsuitable ones come after every suitable one, whatever their score.
    let first_unsuitable = all
        .iter()
        .position(|found| !found.unmet_conditions.is_empty())
        .expect("some");
    assert!(all[first_unsuitable..]
        .iter()
        .all(|found| !found.unmet_conditions.is_empty()));
    // P003 wants at most 20 hours: the 40-hour contract is not offered.
    let for_p003 = ids_for(&engine, "P003", &MatchQuery::default());
    assert!(!for_p003.contains(&"V101".to_string()), "{for_p003:?}");
    assert!(for_p003.contains(&"V102".to_string()));
    // Candidates: P001 is not offered the tirocinio, and comes last, marked, when asked.
    let candidates = |include_unsuitable: bool| {
        engine
            .candidates_for_vacancy(
                &id("V102"),
                &MatchQuery {
                    include_unsuitable,
                    ..MatchQuery::default()
                },
                "it",
            )
            .expect("candidates")
    };
    assert!(candidates(false).iter().all(|c| c.job_seeker_id != "P001"));
    let everyone = candidates(true);
    let last = everyone.last().expect("someone");
    assert_eq!(last.job_seeker_id, "P001");
    assert_eq!(last.unmet_conditions, vec![UnmetCondition::Tirocinio]);
    // The conditions round-trip through the store.
    let seeker = engine.get_job_seeker(&id("P003")).expect("seeker");
    assert_eq!(seeker.conditions.max_weekly_hours, Some(20));
    let seeker = engine.get_job_seeker(&id("P001")).expect("seeker");
    assert_eq!(
        seeker.conditions.contract_types,
        vec!["A.02.00".to_string()]
    );
    assert_eq!(seeker.conditions.max_distance_km, Some(60));
}

/// Point 7 (explanations): a neighbouring concept earns credit, and the line names it and why.
#[test]
fn a_neighbouring_concept_is_named_with_its_parent() {
    let engine = desk_engine();
    let explanation = engine
        .explain_match(&id("P003"), &id("V102"), false, "it")
        .expect("explain");
    let item = explanation
        .items
        .iter()
        .find(|item| item.label == "usare attrezzature per la saldatura")
        .expect("welding");
    // P003's record says "utilizzare apparecchiature per saldatura"; the rest of the profile
    // is a welder's, which lists "usare attrezzature per la saldatura": the record is read as
    // it (point 7, `matching::reading`), at the recorded level (within the cap of 3), and the
    // line says so, naming the record, the shared parent and the probability.
    assert!(
        matches!(item.outcome, MatchOutcome::Exact { level: 3, .. }),
        "{:?}",
        item.outcome
    );
    let read = item.read_from.as_deref().expect("presumed from the record");
    assert!(
        read.starts_with(
            "registrata come «utilizzare apparecchiature per saldatura», stessa competenza madre «saldatura»"
        ),
        "{read}"
    );
    let line = item.line_it();
    println!("{line}");
    assert!(
        line.contains(" — presunta dalla registrazione (registrata come «"),
        "{line}"
    );
    assert!(line.contains("probabilità "), "{line}");
    assert!(
        item.line_en()
            .contains(" — presumed from the record (registrata come «"),
        "{}",
        item.line_en()
    );
    // A presumed competence counts as held, as one presumed from work history does: the gap is
    // closed until someone assesses it otherwise.
    assert!(!item.gap);
    assert!(item.presumed_from.is_none());
}

/// Point 3: `import records` accepts any subset of files for records already stored.
#[test]
fn record_files_alone_update_stored_records() {
    let engine = desk_engine();
    let dir = tempfile::tempdir().expect("tempdir");
    let write =
        |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
    // competences.csv alone: P002's competences are replaced, the others kept.
    write(
        "competences.csv",
        &format!(
            "job_seeker_id,skill_uri,level,evidence,since,note\nP002,{},4,certified,2026-11-01,patentino\n",
            skill("carrello")
        ),
    );
    let only = |name: &str| {
        let mut files = RecordFiles::default();
        let path = Some(dir.path().join(name));
        match name {
            "competences.csv" => files.competences = path,
            "work_history.csv" => files.work_history = path,
            "requirements.csv" => files.requirements = path,
            "course_skills.csv" => files.course_skills = path,
            _ => unreachable!(),
        }
        files
    };
    engine
        .import_records(&only("competences.csv"), &ImportOptions::default())
        .expect("competences alone");
    let p002 = engine.get_job_seeker(&id("P002")).expect("P002");
    assert_eq!(p002.competences.len(), 1);
    assert_eq!(p002.competences[0].level.get(), 4);
    assert_eq!(
        engine
            .get_job_seeker(&id("P001"))
            .expect("P001")
            .competences
            .len(),
        2
    );
    assert!(
        engine.get_personal_data(&id("P002")).is_ok(),
        "personal data kept"
    );
    // work_history.csv alone.
    write(
        "work_history.csv",
        "job_seeker_id,scheme,code,start,end,employer\nP002,isco08,7212,2015-01-01,2019-12-31,Officine Lucchesi\n",
    );
    engine
        .import_records(&only("work_history.csv"), &ImportOptions::default())
        .expect("history alone");
    let p002 = engine.get_job_seeker(&id("P002")).expect("P002");
    assert_eq!(p002.work_history.len(), 1);
    assert_eq!(p002.competences.len(), 1, "competences kept");
    assert_eq!(
        engine
            .get_job_seeker(&id("P001"))
            .expect("P001")
            .work_history
            .len(),
        1
    );
    // requirements.csv alone: a validated vacancy whose breakdown changes goes back to draft.
    write(
        "requirements.csv",
        &format!(
            "vacancy_id,skill_uri,level,essential,weight\nV105,{},3,true,\n",
            skill("usare-saldatrice")
        ),
    );
    let report = engine
        .import_records(&only("requirements.csv"), &ImportOptions::default())
        .expect("requirements alone");
    assert_eq!(report.back_to_draft, vec!["V105".to_string()]);
    let v105 = engine.get_vacancy(&id("V105")).expect("V105");
    assert_eq!(v105.requirements.len(), 1);
    assert_eq!(v105.status, VacancyStatus::Draft);
    assert_eq!(
        v105.weekly_hours,
        Some(20),
        "the rest of the vacancy is kept"
    );
    // course_skills.csv alone.
    write(
        "course_skills.csv",
        &format!(
            "course_id,skill_uri,level\nCRS01,{},3\nCRS01,{},2\n",
            skill("usare-saldatrice"),
            skill("disegni")
        ),
    );
    engine
        .import_records(&only("course_skills.csv"), &ImportOptions::default())
        .expect("course skills alone");
    let courses = engine.list_courses().expect("courses");
    assert_eq!(courses[0].teaches.len(), 2);
    // An id neither in the file set nor stored: file, line and field.
    write(
        "competences.csv",
        &format!(
            "job_seeker_id,skill_uri,level,evidence,since,note\nP999,{},2,declared,,\n",
            skill("carrello")
        ),
    );
    match engine.import_records(&only("competences.csv"), &ImportOptions::default()) {
        Err(Error::InvalidInput { problems }) => {
            assert!(problems.iter().any(|p| p.file == "competences.csv"
                && p.line == 2
                && p.field.as_deref() == Some("job_seeker_id")
                && p.message.contains("P999")));
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// Point 1 on import: a validated vacancy without competences is refused with file and line.
#[test]
fn a_validated_vacancy_without_competences_is_refused_on_import() {
    let engine = Engine::open_in_memory_on(DAY).expect("engine");
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(fixture().join("records")).expect("fixture") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    let requirements = dir.path().join("requirements.csv");
    let text = std::fs::read_to_string(&requirements).expect("read");
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| !line.starts_with("V105,"))
        .collect();
    std::fs::write(&requirements, kept.join("\n") + "\n").expect("write");
    match engine.import_records(&RecordFiles::in_dir(dir.path()), &ImportOptions::default()) {
        Err(Error::InvalidInput { problems }) => {
            let problem = problems
                .iter()
                .find(|p| p.file == "vacancies.csv")
                .expect("vacancies.csv problem");
            assert_eq!(
                (problem.line, problem.field.as_deref()),
                (6, Some("status"))
            );
            assert!(problem.message.contains("no competences"));
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert_eq!(engine.entity_counts().expect("counts").0["vacancies"], 0);
}

/// Conditions on import: bad values are reported with line and field.
#[test]
fn bad_conditions_are_reported_with_line_and_field() {
    let engine = Engine::open_in_memory_on(DAY).expect("engine");
    let dir = tempfile::tempdir().expect("tempdir");
    let header = std::fs::read_to_string(fixture().join("records/job_seekers.csv"))
        .expect("read")
        .lines()
        .next()
        .expect("header")
        .to_string();
    std::fs::write(
        dir.path().join("job_seekers.csv"),
        format!("{header}\nP001,BNCGLI94E52L833Q,Giulia,Bianchi,,,1994,F,L833,upper_secondary,,false,false,A02,30,20,0\n"),
    )
    .expect("write");
    let files = RecordFiles {
        job_seekers: Some(dir.path().join("job_seekers.csv")),
        ..RecordFiles::default()
    };
    match engine.import_records(&files, &ImportOptions::default()) {
        Err(Error::InvalidInput { problems }) => {
            for field in ["contract_types", "max_weekly_hours", "max_distance_km"] {
                assert!(
                    problems
                        .iter()
                        .any(|p| p.line == 2 && p.field.as_deref() == Some(field)),
                    "{field}: {problems:?}"
                );
            }
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
}

/// Paging walks the suitable results, then the unsuitable ones, without gaps or repeats.
#[test]
fn paging_over_unsuitable_results_is_consistent() {
    let engine = desk_engine();
    let query = |k: usize, offset: usize| MatchQuery {
        k,
        offset,
        include_unsuitable: true,
        ..MatchQuery::default()
    };
    let whole = ids_for(&engine, "P001", &query(10, 0));
    assert_eq!(whole.len(), 3, "{whole:?}");
    let paged: Vec<String> = (0..whole.len())
        .flat_map(|offset| ids_for(&engine, "P001", &query(1, offset)))
        .collect();
    assert_eq!(paged, whole);
}

/// Point 7: a record is read as a neighbouring concept only when the rest of the profile points
/// to it (hand-made taxonomy: the welder lists "usare attrezzature per la saldatura", which
/// shares its parent with "utilizzare apparecchiature per saldatura"; the mechanic lists
/// "eseguire la manutenzione di macchinari", which ESCO relates to "leggere disegni tecnici").
#[test]
fn a_record_is_read_as_its_neighbour_only_when_the_profile_points_to_it() {
    use incontro_core::matching::reading::RecordReader;
    let engine = desk_engine();
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let reader = RecordReader::new(&taxonomy).expect("reader");
    let idx = |name: &str| {
        taxonomy
            .skill_idx(&skill(name))
            .unwrap_or_else(|| panic!("{name}"))
    };
    let sorted = |mut profile: Vec<(u32, u8)>| {
        profile.sort_unstable();
        profile
    };
    // A welder's profile with the neighbouring record: read as the welder's skill, level capped.
    let welder = sorted(vec![
        (idx("utilizzare-saldatrice"), 4),
        (idx("disegni"), 2),
        (idx("sicurezza"), 2),
    ]);
    let read = reader.read(&welder, &|_| true);
    assert_eq!(read.len(), 1, "{read:?}");
    assert_eq!(read[0].skill, idx("usare-saldatrice"));
    assert_eq!(read[0].via, idx("utilizzare-saldatrice"));
    assert_eq!(read[0].level, 3);
    assert_eq!(read[0].parent, Some(idx("saldatura")));
    assert_eq!(read[0].relation, Relation::SameBroader);
    assert!(read[0].probability >= 0.05, "{read:?}");
    // The record is not read when it is not a record (a presumption of its own).
    assert!(reader
        .read(&welder, &|skill| skill != idx("utilizzare-saldatrice"))
        .is_empty());
    // Drawings and safety alone: the welder fits far better than the mechanic, so "leggere
    // disegni tecnici" is not read as the mechanic's related maintenance skill.
    let drawings = sorted(vec![(idx("disegni"), 2), (idx("sicurezza"), 3)]);
    assert!(reader.read(&drawings, &|_| true).is_empty());
    // Someone who holds the welder's skill itself presumes nothing from it.
    let exact = sorted(vec![(idx("usare-saldatrice"), 3), (idx("sicurezza"), 2)]);
    assert!(reader.read(&exact, &|_| true).is_empty());
}
