//! Cob23 on real COB extracts (issue 13): who gets called and how every notice is read, each
//! rule with a small hand-made COB file in `tests/fixtures/cob/` (valid codici fiscali, one to
//! three people each). The common rule: jobs ended in the first half of 2024, looked at on
//! 1 March 2025.

mod outreach_common;

use outreach_common::*;

use incontro_core::outreach::cohort::Candidate;
use incontro_core::outreach::{CobData, Spell};

// The people of the fixtures (women born in January 1980 in Milan).
const LAID_OFF_REHIRED_OPEN_ENDED: &str = "LCNLRA80A41F205O";
const LAID_OFF_SHORT_JOB_LATER: &str = "BRNSRA80A42F205L";
const LAID_OFF: &str = "FRRGLI80A43F205G";
const LATE_HIRING_NOTICE: &str = "DLLMRT80A44F205N";
const REHIRED_ON_28_AUGUST: &str = "MRNGPP80A45F205J";
const HIRED_ON_29_AUGUST: &str = "CSTLCU80A46F205F";
const TIROCINIO_AFTER_LOSS: &str = "GRCTRS80A47F205Q";
const TRANSFORMED_DI: &str = "TRVNNA80A48F205K";
const TRANSFORMED_TP: &str = "PLLRTA80A49F205N";
const TWO_RAPPORTI_SAME_DAY: &str = "NRDSLV80A50F205G";
const RETTIFIED_START: &str = "RCCFNC80A51F205M";
const RETTIFIED_START_NO_POINTER: &str = "SNTMRA80A52F205I";
const HIRED_BEFORE_EXTRACT: &str = "LNGLSE80A53F205K";
const PROROGA_BEFORE_EXTRACT: &str = "MNTCHR80A54F205I";
const URGENZA_VAR_TRD: &str = "NGRLCA80A55F205H";
const INSERIMENTO_UFFICIO: &str = "RSSLNE80A56F205G";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cob")
        .join(name)
}

fn options() -> CobImportOptions {
    CobImportOptions {
        today: Some(day("2025-06-01")),
        ..CobImportOptions::default()
    }
}

fn engine_with(names: &[&str]) -> Engine {
    let engine = engine();
    for name in names {
        engine
            .import_cob(&fixture(name), &options(), &NoProgress)
            .unwrap_or_else(|error| panic!("{name}: {error:?}"));
    }
    engine
}

fn rule() -> CohortRule {
    serde_json::from_str(
        r#"{"ended_from": "2024-01-01", "ended_to": "2024-06-30", "as_of": "2025-03-01",
            "require_mobile": false}"#,
    )
    .expect("rule")
}

fn selected(engine: &Engine, rule: &CohortRule) -> Vec<Candidate> {
    engine.select_cohort(rule).expect("select").0
}

fn is_selected(candidates: &[Candidate], worker: &str) -> bool {
    candidates
        .iter()
        .any(|candidate| candidate.worker == worker)
}

fn spells_of<'d>(data: &'d CobData, worker: &str) -> &'d [Spell] {
    let cf = CodiceFiscale::parse(worker).expect("cf");
    &data.person(&cf).expect("person").spells
}

fn excluded_by(engine: &Engine, rule: &CohortRule, name: &str) -> u64 {
    let (_, report) = engine.select_cohort(rule).expect("select");
    report
        .excluded
        .iter()
        .find(|(rule_name, _)| rule_name == name)
        .map(|(_, count)| *count)
        .expect("rule in the report")
}

/// Point 1: nobody who holds a job on `as_of`; time without work from the end of the last job.
#[test]
fn nobody_employed_on_as_of_is_called() {
    let engine = engine_with(&["employed_on_as_of.csv"]);
    let rule = rule();
    let chosen = selected(&engine, &rule);
    assert!(
        !is_selected(&chosen, LAID_OFF_REHIRED_OPEN_ENDED),
        "an open-ended job since December 2024 covers as_of"
    );
    assert_eq!(excluded_by(&engine, &rule, "employed_on_as_of"), 1);
    let short = chosen
        .iter()
        .find(|candidate| candidate.worker == LAID_OFF_SHORT_JOB_LATER)
        .expect("a short job after the six months is no rehire");
    assert_eq!(short.end_date, day("2024-03-15"));
    assert_eq!(short.last_job_end, day("2024-10-20"));
    assert_eq!(short.days_since_end, 132, "from the end of the last job");
    let laid_off = chosen
        .iter()
        .find(|candidate| candidate.worker == LAID_OFF)
        .expect("laid off, nothing since");
    assert_eq!(laid_off.days_since_end, 351);
    assert_eq!(chosen.len(), 2);
}

/// Point 2: only notices sent on or before `as_of`; a DataInvio in the future is an error.
#[test]
fn notices_count_from_the_day_they_were_sent() {
    let engine = engine_with(&["data_invio.csv"]);
    let early = rule();
    assert!(
        is_selected(&selected(&engine, &early), LATE_HIRING_NOTICE),
        "the hiring was sent after as_of: unknown that day"
    );
    let later = CohortRule {
        as_of: day("2025-05-01"),
        ..rule()
    };
    assert!(!is_selected(&selected(&engine, &later), LATE_HIRING_NOTICE));
    assert_eq!(excluded_by(&engine, &later, "rehired"), 1);
    let data = engine.cob_data(day("2025-03-01")).expect("data");
    assert_eq!(data.unsent_notices, 1);
    // The domicile too is as the notices sent by then give it (the late notice moved her).
    let cf = CodiceFiscale::parse(LATE_HIRING_NOTICE).expect("cf");
    let then = data.person(&cf).expect("person").domicile;
    assert_eq!(data.text(then), Some("F205"));
    let later_data = engine.cob_data(day("2025-05-01")).expect("data");
    let now = later_data.person(&cf).expect("person").domicile;
    assert_eq!(later_data.text(now), Some("E514"));

    let fresh = outreach_common::engine();
    let found = problems(fresh.import_cob(&fixture("future_sent.csv"), &options(), &NoProgress));
    assert_eq!(
        found,
        ["future_sent.csv:3: DataInvio: DataInvio 2099-01-01 is in the future (today is 2025-06-01)"]
    );
    assert_eq!(fresh.cob_notice_count().expect("count"), 0);
}

/// Point 3: six calendar months (28 February → 28 August); a rule may set days instead.
#[test]
fn six_calendar_months_or_a_number_of_days() {
    let engine = engine_with(&["six_months.csv"]);
    let months = rule();
    assert_eq!(
        months.no_new_hire_until(day("2024-02-28")),
        day("2024-08-28")
    );
    assert_eq!(
        months.no_new_hire_until(day("2024-08-31")),
        day("2025-02-28")
    );
    let chosen = selected(&engine, &months);
    assert!(!is_selected(&chosen, REHIRED_ON_28_AUGUST));
    assert!(is_selected(&chosen, HIRED_ON_29_AUGUST));
    let days: CohortRule = serde_json::from_str(
        r#"{"ended_from": "2024-01-01", "ended_to": "2024-06-30", "as_of": "2025-03-01",
            "require_mobile": false, "no_new_hire_days": 183}"#,
    )
    .expect("rule");
    let chosen = selected(&engine, &days);
    assert!(
        !is_selected(&chosen, HIRED_ON_29_AUGUST),
        "183 days after 28 February is 29 August"
    );
    let both: CohortRule = serde_json::from_str(
        r#"{"ended_from": "2024-01-01", "ended_to": "2024-06-30", "as_of": "2025-03-01",
            "no_new_hire_days": 183, "no_new_hire_months": 6}"#,
    )
    .expect("rule");
    assert_eq!(
        engine.select_cohort(&both).expect_err("refused").code(),
        "invalid_cohort_rule"
    );
}

/// Point 4: a tirocinio is neither the job that ended nor a rehire, unless the rule says so.
#[test]
fn a_tirocinio_is_not_a_job() {
    let engine = engine_with(&["tirocinio.csv"]);
    let mut demo_like = rule();
    demo_like.exclude_contract_types = vec!["C.01.00".into()];
    let chosen = selected(&engine, &demo_like);
    let candidate = chosen
        .iter()
        .find(|candidate| candidate.worker == TIROCINIO_AFTER_LOSS)
        .expect("selected despite the tirocinio");
    assert_eq!(
        candidate.end_date,
        day("2024-03-29"),
        "the job, not the tirocinio"
    );
    let data = engine.cob_data(day("2025-03-01")).expect("data");
    assert!(spells_of(&data, TIROCINIO_AFTER_LOSS)[1].tirocinio);
    let counting = CohortRule {
        tirocini_count_as_work: true,
        ..rule()
    };
    assert!(!is_selected(
        &selected(&engine, &counting),
        TIROCINIO_AFTER_LOSS
    ));
    assert_eq!(excluded_by(&engine, &counting, "rehired"), 1);
}

/// Point 5: DI makes the contract open-ended even with a DataFine on the row; TP keeps the end.
#[test]
fn trasformazioni_act_by_their_code() {
    let engine = engine_with(&["trasformazioni.csv"]);
    let data = engine.cob_data(day("2025-03-01")).expect("data");
    let open_ended = &spells_of(&data, TRANSFORMED_DI)[0];
    assert_eq!(open_ended.planned_end, None);
    assert_eq!(open_ended.effective_end, None, "still employed");
    let part_time = &spells_of(&data, TRANSFORMED_TP)[0];
    assert_eq!(part_time.planned_end, Some(day("2024-05-31")));
    assert_eq!(part_time.effective_end, Some(day("2024-05-31")));
    let chosen = selected(&engine, &rule());
    assert!(!is_selected(&chosen, TRANSFORMED_DI));
    assert!(is_selected(&chosen, TRANSFORMED_TP));
}

/// Point 6: rapporto identity by the CodiceComunicazione chain.
#[test]
fn rapporti_follow_the_notice_chain() {
    let engine = engine_with(&["identity.csv"]);
    let data = engine.cob_data(day("2025-03-01")).expect("data");
    let two = spells_of(&data, TWO_RAPPORTI_SAME_DAY);
    assert_eq!(two.len(), 2, "same employer, same day: two rapporti");
    assert_eq!(two[0].effective_end, Some(day("2024-03-31")));
    assert_eq!(
        two[1].effective_end, None,
        "the open-ended one does not vanish"
    );
    for worker in [RETTIFIED_START, RETTIFIED_START_NO_POINTER] {
        let spells = spells_of(&data, worker);
        assert_eq!(
            spells.len(),
            1,
            "the cessazione closes the rettified rapporto"
        );
        assert_eq!(spells[0].start, day("2023-10-09"), "the rettifica's start");
        assert_eq!(spells[0].effective_end, Some(day("2024-04-30")));
    }
    let chosen = selected(&engine, &rule());
    assert!(!is_selected(&chosen, TWO_RAPPORTI_SAME_DAY));
    assert!(is_selected(&chosen, RETTIFIED_START));
    assert!(is_selected(&chosen, RETTIFIED_START_NO_POINTER));
}

/// Point 7: a period extract whose cessazioni have no hiring in the file imports, and the
/// people are found.
#[test]
fn period_extracts_import_and_their_people_are_found() {
    let engine = engine();
    let report = engine
        .import_cob(&fixture("period_extract.csv"), &options(), &NoProgress)
        .expect("a period extract imports");
    assert_eq!((report.inserted, report.without_hiring), (2, 2));
    let data = engine.cob_data(day("2025-03-01")).expect("data");
    let ended = &spells_of(&data, HIRED_BEFORE_EXTRACT)[0];
    assert!(
        !ended.hiring_seen,
        "the spell says its hiring is not in the data"
    );
    assert_eq!(ended.start, day("2019-05-02"));
    assert_eq!(ended.effective_end, Some(day("2024-03-15")));
    let extended = &spells_of(&data, PROROGA_BEFORE_EXTRACT)[0];
    assert_eq!(extended.effective_end, Some(day("2024-04-30")));
    let chosen = selected(&engine, &rule());
    assert!(is_selected(&chosen, HIRED_BEFORE_EXTRACT));
    assert!(is_selected(&chosen, PROROGA_BEFORE_EXTRACT));
}

/// A regional extract that arrives as bytes (a web upload, an entry of a zip) imports as the
/// same file from disk: same report, same people, problems named by the given name.
#[test]
fn an_extract_read_from_any_reader_imports_like_the_file() {
    use incontro_core::outreach::cob::CobFormat;
    let from_reader = engine();
    let bytes = std::fs::read(fixture("period_extract.csv")).expect("fixture");
    let report = from_reader
        .import_cob_from(
            "upload.csv",
            bytes.as_slice(),
            CobFormat::Csv,
            &options(),
            &NoProgress,
        )
        .expect("a period extract imports from a reader");
    assert_eq!((report.inserted, report.without_hiring), (2, 2));
    let from_file = engine_with(&["period_extract.csv"]);
    let names = |engine: &Engine| -> Vec<String> {
        selected(engine, &rule())
            .into_iter()
            .map(|candidate| candidate.worker)
            .collect()
    };
    assert_eq!(names(&from_reader), names(&from_file));
    let bad = std::fs::read(fixture("unknown_codes.csv")).expect("fixture");
    let fresh = engine();
    let found = problems(fresh.import_cob_from(
        "upload.csv",
        bad.as_slice(),
        CobFormat::Csv,
        &options(),
        &NoProgress,
    ));
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        found[0].starts_with("upload.csv:2: TipoComunicazione"),
        "{found:?}"
    );
    assert_eq!(fresh.cob_notice_count().expect("count"), 0);
}

/// Point 8: the codes real exports carry, each with its meaning in the spells.
#[test]
fn urgenza_regularisation_var_trd_and_inserimento_d_ufficio() {
    let engine = engine_with(&["codes.csv"]);
    let data = engine.cob_data(day("2025-03-01")).expect("data");
    let spells = spells_of(&data, URGENZA_VAR_TRD);
    assert_eq!(
        spells.len(),
        1,
        "URG, its regularisation, VAR, TRD and CES: one rapporto"
    );
    let spell = &spells[0];
    assert_eq!(spell.start, day("2023-05-02"));
    assert_eq!(
        data.text(spell.employer),
        Some("01234560033"),
        "after the VAR"
    );
    let before: Vec<&str> = spell
        .previous_employers
        .iter()
        .filter_map(|sym| data.text(*sym))
        .collect();
    assert_eq!(before, ["01234560017"]);
    assert_eq!(data.text(spell.contract_type()), Some("A.04.02"));
    assert_eq!(spell.effective_end, Some(day("2024-04-30")));
    assert_eq!(
        spell.notices, 4,
        "the urgenza is replaced by its regularisation"
    );
    let chosen = selected(&engine, &rule());
    assert!(is_selected(&chosen, URGENZA_VAR_TRD));
    assert!(
        !is_selected(&chosen, INSERIMENTO_UFFICIO),
        "a hiring by inserimento d'ufficio (06) is a rehire"
    );
}

/// Point 8: a code nobody knows is an error with file and line.
#[test]
fn unknown_codes_are_errors_with_file_and_line() {
    let engine = engine();
    let found = problems(engine.import_cob(&fixture("unknown_codes.csv"), &options(), &NoProgress));
    assert_eq!(
        found,
        [
            "unknown_codes.csv:2: TipoComunicazione: unknown TipoComunicazione code \"10\"",
            "unknown_codes.csv:3: TipoEvento: unknown event type \"XYZ\" (ASS, URG, PRO, TRS, TRD, VAR, CES)",
            "unknown_codes.csv:4: CodTrasformazione: unknown Trasformazione code \"QQ\"",
            "unknown_codes.csv:5: TipologiaContrattuale: unknown TipologiaContrattuale code \"A.09.99\"",
        ]
    );
    assert_eq!(engine.cob_notice_count().expect("count"), 0);
}

/// Whether the raw notices (read here without the engine) show a job going on `as_of`: a
/// hiring not annulled, started by then, neither terminated nor expired before it, and no
/// tirocinio.
fn employed_in_raw_notices(rows: &[Vec<String>], worker: &str, as_of: NaiveDate) -> bool {
    let column = |name: &str| HEADER.split(',').position(|h| h == name).expect("column");
    let (code, previous, kind, event, sent) = (
        column("CodiceComunicazione"),
        column("CodiceComunicazionePrecedente"),
        column("TipoComunicazione"),
        column("TipoEvento"),
        column("DataInvio"),
    );
    let (cf, employer, start) = (
        column("CodFiscaleLavoratore"),
        column("CodFiscaleDatore"),
        column("DataInizio"),
    );
    let (end, extension, transformation, ended, contract) = (
        column("DataFine"),
        column("DataFineProroga"),
        column("CodTrasformazione"),
        column("DataCessazione"),
        column("TipologiaContrattuale"),
    );
    let date = |text: &str| (!text.is_empty()).then(|| day(text));
    let mine: Vec<&Vec<String>> = rows
        .iter()
        .filter(|row| row[cf] == worker && day(&row[sent]) <= as_of)
        .collect();
    let dead: HashSet<&str> = mine
        .iter()
        .filter(|row| row[kind] != "01")
        .map(|row| row[previous].as_str())
        .chain(
            mine.iter()
                .filter(|row| row[kind] == "04")
                .map(|row| row[code].as_str()),
        )
        .collect();
    let live: Vec<&Vec<String>> = mine
        .iter()
        .filter(|row| !dead.contains(row[code].as_str()))
        .copied()
        .collect();
    live.iter()
        .filter(|row| row[event] == "ASS" && row[contract] != "C.01.00")
        .any(|hiring| {
            let same = |row: &&&Vec<String>| {
                row[employer] == hiring[employer] && row[start] == hiring[start]
            };
            if day(&hiring[start]) > as_of {
                return false;
            }
            let terminated = live
                .iter()
                .filter(same)
                .filter(|row| row[event] == "CES")
                .any(|row| date(&row[ended]).is_some_and(|on| on < as_of));
            let open_ended = live
                .iter()
                .filter(same)
                .any(|row| row[event] == "TRS" && row[transformation] == "DI");
            let planned = live
                .iter()
                .filter(same)
                .filter_map(|row| date(&row[extension]).or(date(&row[end])))
                .max();
            !terminated && (open_ended || planned.is_none_or(|planned| planned >= as_of))
        })
}

/// The demo campaign selects nobody who holds a job on `as_of`.
#[test]
fn the_demo_campaign_selects_nobody_with_a_job_on_as_of() {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    engine.import_demo(&NoProgress).expect("demo");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let rule: CohortRule = serde_json::from_str(
        &std::fs::read_to_string(demo.join("outreach_rule.json")).expect("rule"),
    )
    .expect("rule");
    let chosen = selected(&engine, &rule);
    assert!(!chosen.is_empty(), "the demo calls somebody");
    let text = std::fs::read_to_string(demo.join("outreach_cob.csv")).expect("cob");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let rows: Vec<Vec<String>> = lines
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect();
    for candidate in &chosen {
        assert!(
            !employed_in_raw_notices(&rows, &candidate.worker, rule.as_of),
            "entry with end {} holds a job on as_of",
            candidate.end_date
        );
    }
    // And the check itself finds the employed among those the rule excluded.
    let (_, report) = engine.select_cohort(&rule).expect("select");
    let employed = report
        .excluded
        .iter()
        .find(|(name, _)| name == "employed_on_as_of")
        .map(|(_, count)| *count)
        .expect("rule");
    assert!(employed > 0, "{report:?}");
}

fn truth_rule() -> CohortRule {
    serde_json::from_str(
        r#"{"ended_from": "2024-01-01", "ended_to": "2024-06-30", "as_of": "2024-12-31",
            "require_mobile": false}"#,
    )
    .expect("rule")
}

/// The cohort against the generator's true list, on the whole history and on a period extract
/// cut out of it (whose cessazioni have no hiring in the file).
#[test]
fn the_cohort_is_the_true_list_on_a_history_and_on_a_period_extract() {
    use incontro_core::outreach::{generate_cob, CobGeneratorConfig, TruthWindow};
    let window = TruthWindow {
        ended_from: day("2024-01-01"),
        ended_to: day("2024-06-30"),
        as_of: day("2024-12-31"),
    };
    let seeds = [
        (None, 21),
        (Some(day("2023-07-01")), 21),
        (Some(day("2024-01-01")), 4),
    ];
    for (extract_from, seed) in seeds {
        let files = Files::new();
        let path = files.dir.path().join("gen.csv");
        let config = CobGeneratorConfig {
            extract_from,
            truth: Some(window),
            ..CobGeneratorConfig::new(3000, seed)
        };
        let stats =
            generate_cob(&config, std::fs::File::create(&path).expect("file")).expect("generate");
        let engine = engine();
        let report = import(&engine, &path).expect("the file imports");
        assert_eq!(report.inserted, stats.notices);
        if extract_from.is_some() {
            assert!(report.without_hiring > 100, "{report:?}");
        }
        let truth: HashSet<&str> = stats
            .truth
            .iter()
            .filter(|entry| entry.in_file)
            .map(|entry| entry.worker.as_str())
            .collect();
        assert!(truth.len() > 100, "{}", truth.len());
        let (chosen, _) = engine.select_cohort(&truth_rule()).expect("select");
        let found: HashSet<&str> = chosen.iter().map(|c| c.worker.as_str()).collect();
        let missed: Vec<&&str> = truth.difference(&found).collect();
        let wrong: Vec<&&str> = found.difference(&truth).collect();
        assert!(
            missed.is_empty() && wrong.is_empty(),
            "extract {extract_from:?}: {} missed, {} wrongly selected, of {}",
            missed.len(),
            wrong.len(),
            truth.len()
        );
        // Time without work from the end of the last job, as the true list says.
        for candidate in &chosen {
            let entry = stats
                .truth
                .iter()
                .find(|entry| entry.worker == candidate.worker)
                .expect("in the true list");
            assert_eq!(candidate.end_date, entry.reference_end);
            assert_eq!(candidate.last_job_end, entry.last_job_end);
        }
        if extract_from.is_none() {
            assert_eq!(
                truth.len(),
                stats.truth.len(),
                "the whole history shows every job"
            );
        }
    }
}

/// Point 10: fitting vacancies are those within `fitting_vacancy_km` (default 50) of the
/// domicile. Giulia (demo job seeker JS0001, whose competences fit open vacancies in the province
/// of Lucca) lost her job in March 2026; the hand-made COB file puts her domicile in Milan,
/// about 200 km away.
#[test]
fn fitting_vacancies_are_those_near_the_domicile() {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    engine.import_demo(&NoProgress).expect("demo");
    let files = Files::new();
    let giulia = "BNCGLI94E52L833Q";
    let cob = |domicile: &str, code: &str| {
        format!(
            "{HEADER}\n\
             {code}1,,01,ASS,2025-04-01,{giulia},F,1994-05-12,{domicile},{employer},2025-04-01,2026-03-31,,,,,,A.02.00,5.1.2.2.0.1,47.11.10,{domicile}\n",
            employer = employer(40)
        )
    };
    let rule = |km: Option<u32>| -> CohortRule {
        let km = km
            .map(|km| format!(r#", "fitting_vacancy_km": {km}"#))
            .unwrap_or_default();
        serde_json::from_str(&format!(
            r#"{{"ended_from": "2026-03-01", "ended_to": "2026-04-30", "no_new_hire_days": 30,
                "require_mobile": false, "as_of": "2026-11-30"{km}}}"#
        ))
        .expect("rule")
    };
    let fitting = |campaign: &str, rule: CohortRule| -> (usize, usize) {
        let spec = CampaignSpec {
            id: campaign.into(),
            name: campaign.into(),
            rule,
            retention_until: day("2027-11-30"),
            max_attempts: 3,
            retry_days: 2,
        };
        engine
            .create_campaign(&spec, &NoProgress)
            .expect("campaign");
        let entries = engine.campaign_entries(campaign).expect("entries");
        assert_eq!(entries.len(), 1, "only Giulia ended a job in the window");
        let reason = entries[0]
            .reasons
            .iter()
            .find(|reason| reason.factor == "fitting_vacancies")
            .expect("reason");
        let operators = [Operator {
            id: "anna".into(),
            daily_capacity: 5,
        }];
        engine
            .assign_operators(campaign, &operators)
            .expect("assign");
        let list = engine
            .call_list(campaign, "anna", day("2026-12-01"))
            .expect("calls");
        (
            reason.value.parse().expect("count"),
            list[0].vacancies.len(),
        )
    };
    import(
        &engine,
        &files.write("milan.csv", &cob("F205", "900000000000")),
    )
    .expect("import");
    let (far, on_list) = fitting("far", rule(None));
    assert_eq!((far, on_list), (0, 0), "Lucca is not within 50 km of Milan");
    let (wide, on_list) = fitting("wide", rule(Some(300)));
    assert!(
        wide > 0 && on_list > 0,
        "within 300 km they fit: {wide}, {on_list}"
    );
    // A rettifica puts her domicile in Viareggio: now they fit at the default 50 km.
    let moved = format!(
        "{HEADER}\n\
         9000000000002,9000000000001,03,ASS,2025-05-02,{giulia},F,1994-05-12,L833,{employer},2025-04-01,2026-03-31,,,,,,A.02.00,5.1.2.2.0.1,47.11.10,L833\n",
        employer = employer(40)
    );
    import(&engine, &files.write("viareggio.csv", &moved)).expect("import");
    let (near, on_list) = fitting("near", rule(None));
    assert_eq!(near, wide, "the same vacancies, now near");
    assert!(on_list > 0);
}
