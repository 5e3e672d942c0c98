//! The per-worker summaries kept at import give exactly the cohort that rebuilding every spell
//! from every stored notice gives (`Engine::select_cohort` vs `select_cohort_from_notices`): on
//! every hand-made COB fixture, on generated whole histories and period extracts, for reference
//! days before, inside and after the notices (so that notices sent after `as_of` are left out
//! from the summaries too), after imports in several parts, a re-import and a change of the code
//! tables.

mod outreach_common;

use outreach_common::*;

use incontro_core::outreach::generate_cob_with_contacts;
use proptest::prelude::*;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cob");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.file_name().is_some_and(|name| name != "codes.csv"))
        .collect();
    files.sort();
    files
}

fn options() -> CobImportOptions {
    CobImportOptions {
        today: Some(day("2025-06-01")),
        ..CobImportOptions::default()
    }
}

/// A rule looking at jobs ended between 18 and 6 months before `as_of`, with a variant.
fn rule(as_of: NaiveDate, variant: usize) -> CohortRule {
    let months = |n: u32| {
        as_of
            .checked_sub_months(chrono::Months::new(n))
            .expect("day")
    };
    let mut rule: CohortRule = serde_json::from_value(serde_json::json!({
        "ended_from": months(18),
        "ended_to": months(6),
        "as_of": as_of,
        "require_mobile": variant % 2 == 1,
    }))
    .expect("rule");
    match variant % 4 {
        1 => rule.tirocini_count_as_work = true,
        2 => {
            rule.ignore_short_jobs_up_to_days = Some(30);
            rule.no_new_hire_days = Some(90);
            rule.exclude_end_reasons = vec!["PE".into(), "DM".into()];
        }
        3 => {
            rule.exclude_contract_types = vec!["A.02.00".into(), "C.01.00".into()];
            rule.age_min = Some(30);
            rule.sex = Some(incontro_core::model::Sex::F);
        }
        _ => {}
    }
    rule
}

fn assert_agree(engine: &Engine, rule: &CohortRule, what: &str) -> u64 {
    let fast = engine.select_cohort(rule).expect("from summaries");
    let reference = engine
        .select_cohort_from_notices(rule)
        .expect("from notices");
    assert_eq!(fast.1, reference.1, "{what}: report, as_of {}", rule.as_of);
    assert_eq!(
        fast.0, reference.0,
        "{what}: candidates, as_of {}",
        rule.as_of
    );
    fast.1.people
}

const DAYS: [&str; 7] = [
    "2022-06-30",
    "2023-03-01",
    "2024-01-15",
    "2024-08-29",
    "2024-12-31",
    "2025-03-01",
    "2025-06-01",
];

#[test]
fn summaries_agree_with_the_notices_on_every_fixture() {
    let all = engine();
    let mut imported = 0;
    for path in fixtures() {
        let name = path.display().to_string();
        let engine = engine();
        // Some fixtures are refused on purpose (a DataInvio in the future, unknown codes).
        if engine.import_cob(&path, &options(), &NoProgress).is_err() {
            continue;
        }
        all.import_cob(&path, &options(), &NoProgress)
            .unwrap_or_else(|error| panic!("{name}: {error:?}"));
        imported += 1;
        for (index, as_of) in DAYS.iter().enumerate() {
            for variant in 0..4 {
                assert_agree(&engine, &rule(day(as_of), variant), &name);
            }
            assert_agree(&engine, &rule(day(as_of), index), &name);
        }
    }
    assert!(imported >= 6, "{imported} fixtures imported");
    let mut seen = 0;
    for as_of in DAYS {
        for variant in 0..4 {
            seen += assert_agree(&all, &rule(day(as_of), variant), "all fixtures");
        }
    }
    assert!(seen > 0);
}

fn generated(dir: &Path, people: usize, seed: u64, extract_from: Option<&str>) -> (PathBuf, u64) {
    let path = dir.join(format!("cob-{seed}.csv"));
    let contacts = dir.join(format!("contacts-{seed}.csv"));
    let config = CobGeneratorConfig {
        extract_from: extract_from.map(day),
        ..CobGeneratorConfig::new(people, seed)
    };
    let stats = generate_cob_with_contacts(
        &config,
        std::fs::File::create(&path).expect("cob"),
        Some(std::fs::File::create(&contacts).expect("contacts")),
    )
    .expect("generate");
    (path, stats.notices)
}

fn with_contacts(engine: &Engine, cob: &Path) {
    let contacts = cob.with_file_name(
        cob.file_name()
            .and_then(|name| name.to_str())
            .expect("name")
            .replace("cob-", "contacts-"),
    );
    engine
        .import_contacts(&contacts, &ContactImportOptions::default())
        .expect("contacts");
}

#[test]
fn summaries_agree_on_generated_histories_and_extracts() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (seed, extract_from) in [(3, None), (4, Some("2023-07-01"))] {
        let (path, notices) = generated(dir.path(), 1500, seed, extract_from);
        let engine = engine();
        let report = import(&engine, &path).expect("import");
        assert_eq!(report.inserted, notices);
        with_contacts(&engine, &path);
        let mut selected = 0;
        for (index, as_of) in DAYS.iter().enumerate() {
            let rule = rule(day(as_of), index);
            assert_agree(&engine, &rule, "generated");
            selected += engine.select_cohort(&rule).expect("select").1.selected;
        }
        assert!(
            selected > 50,
            "{selected} selected: the comparison would be empty"
        );
    }
}

#[test]
fn imports_in_parts_and_again_keep_the_summaries_up_to_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, notices) = generated(dir.path(), 1200, 8, None);
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.collect();
    // Three parts with every third row each: most workers are touched by every import, and
    // a proroga or cessazione can come before its hiring.
    let engine = engine();
    for part in 0..3 {
        let mut file = format!("{header}\n");
        for row in rows.iter().skip(part).step_by(3) {
            file.push_str(row);
            file.push('\n');
        }
        let part_path = dir.path().join(format!("part{part}.csv"));
        std::fs::write(&part_path, file).expect("write");
        import(&engine, &part_path).expect("part imports");
        assert_agree(&engine, &rule(day("2024-12-31"), part), "after a part");
    }
    assert_eq!(engine.cob_notice_count().expect("count"), notices as i64);
    let whole = self::engine();
    import(&whole, &path).expect("whole");
    for as_of in DAYS {
        let rule = rule(day(as_of), 0);
        assert_agree(&engine, &rule, "in parts");
        assert_eq!(
            engine.select_cohort(&rule).expect("parts"),
            whole.select_cohort(&rule).expect("whole"),
            "in parts vs whole, as_of {as_of}"
        );
    }
    // Importing the same file again changes nothing.
    let again = import(&engine, &path).expect("again");
    assert_eq!((again.inserted, again.already_present), (0, notices));
    assert_agree(&engine, &rule(day("2025-03-01"), 2), "re-import");
}

#[test]
fn a_change_of_the_code_tables_rebuilds_the_summaries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = engine();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cob/trasformazioni.csv");
    engine
        .import_cob(&path, &options(), &NoProgress)
        .expect("import");
    let rule = rule(day("2025-03-01"), 0);
    let before = engine.select_cohort(&rule).expect("before");
    // DI no longer makes the contract open-ended.
    let codes = std::fs::read_to_string(codes_file()).expect("codes");
    let changed: String = codes
        .lines()
        .map(|line| {
            if line.starts_with("Trasformazione,DI,") {
                line.replace("to_open_ended", "keeps_end")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(changed, codes.trim_end(), "the DI line was found");
    let changed_path = dir.path().join("codes.csv");
    std::fs::write(&changed_path, changed + "\n").expect("write");
    engine.import_cob_codes(&changed_path).expect("codes");
    let after = assert_agree(&engine, &rule, "after the change");
    assert!(after > 0);
    assert_ne!(
        engine.select_cohort(&rule).expect("after"),
        before,
        "the summaries follow the new meaning of DI"
    );
}

/// One store, shared by the property's cases.
fn generated_engine() -> &'static std::sync::Mutex<Engine> {
    static ENGINE: std::sync::OnceLock<std::sync::Mutex<Engine>> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let (path, _) = generated(dir.path(), 800, 21, Some("2022-09-01"));
        let engine = engine();
        import(&engine, &path).expect("import");
        with_contacts(&engine, &path);
        std::sync::Mutex::new(engine)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn summaries_agree_for_any_day_and_rule(
        offset in 0i64..1400,
        window in 1i64..500,
        gap in 0i64..400,
        variant in 0usize..4,
        months in proptest::option::of(0u32..13),
    ) {
        let engine = generated_engine().lock().expect("engine");
        let as_of = day("2022-03-01") + chrono::Duration::days(offset);
        let mut rule = rule(as_of, variant);
        rule.ended_to = as_of - chrono::Duration::days(gap);
        rule.ended_from = rule.ended_to - chrono::Duration::days(window);
        if rule.no_new_hire_days.is_none() {
            rule.no_new_hire_months = months;
        }
        assert_agree(&engine, &rule, "property");
    }
}

/// An engine on a data directory (the bulk path of an import runs on disk only).
fn engine_on_disk(dir: &Path) -> Engine {
    let engine = Engine::open(dir)
        .expect("open")
        .with_clock(std::sync::Arc::new(incontro_core::clock::FixedClock::on(
            incontro_core::records::DEMO_ANCHOR,
        )));
    engine.import_cob_codes(&codes_file()).expect("codes");
    engine
}

/// The database file in a data directory.
const DATABASE_FILE: &str = "incontro.sqlite";

type Rows = Vec<(String, i64, i64, Vec<u8>, Vec<u8>)>;

/// The stored summaries and dictionary, read through a connection of their own.
fn stored_summaries(dir: &Path) -> (Rows, Vec<(i64, String)>, String) {
    let connection = rusqlite::Connection::open(dir.join(DATABASE_FILE)).expect("open");
    let mut rows = connection
        .prepare(
            "SELECT worker_cf, first_sent, last_sent, summary, history FROM cob_person
             ORDER BY worker_cf",
        )
        .expect("prepare");
    let people: Rows = rows
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let mut dict = connection
        .prepare("SELECT id, text FROM cob_dict ORDER BY id")
        .expect("prepare");
    let dict: Vec<(i64, String)> = dict
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    let mode: String = connection
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .expect("mode");
    (people, dict, mode)
}

#[test]
fn a_bulk_import_on_disk_keeps_summaries_equal_to_a_rebuild() {
    let files = tempfile::tempdir().expect("tempdir");
    let (path, notices) = generated(files.path(), 900, 31, None);
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let rows: Vec<&str> = lines.collect();

    // Into a store without notices (the bulk path: rollback journal, then the WAL again).
    let data = tempfile::tempdir().expect("tempdir");
    let engine = engine_on_disk(data.path());
    // A file with one bad row changes nothing and leaves the store as it was.
    let mut bad = format!("{header}\n");
    for row in &rows[..50] {
        bad.push_str(row);
        bad.push('\n');
    }
    // TipoEvento (the fourth column) unknown.
    let mut fields: Vec<&str> = rows[50].split(',').collect();
    fields[3] = "XXX";
    bad.push_str(&fields.join(","));
    bad.push('\n');
    let bad_path = files.path().join("bad.csv");
    std::fs::write(&bad_path, bad).expect("write");
    assert!(import(&engine, &bad_path).is_err());
    assert_eq!(engine.cob_notice_count().expect("count"), 0);
    let (people, _, mode) = stored_summaries(data.path());
    assert!(people.is_empty());
    assert_eq!(mode.to_lowercase(), "wal");
    assert!(!data.path().join("incontro.sqlite-journal").exists());

    let report = import(&engine, &path).expect("bulk import");
    assert_eq!(report.inserted, notices);
    let (streamed, streamed_dict, mode) = stored_summaries(data.path());
    assert_eq!(mode.to_lowercase(), "wal", "the WAL is back on");
    assert!(streamed.len() > 800, "{} workers", streamed.len());
    // The generator writes codes in ascending order, so the rebuild (which reads the notices
    // in code order) numbers the dictionary as the streaming import did: byte for byte.
    engine.rebuild_cob_summaries().expect("rebuild");
    let (rebuilt, rebuilt_dict, _) = stored_summaries(data.path());
    assert!(streamed == rebuilt, "summaries differ from a rebuild");
    assert_eq!(streamed_dict, rebuilt_dict);
    for as_of in DAYS {
        assert_agree(&engine, &rule(day(as_of), 1), "bulk on disk");
    }
    // Durable: another engine on the same directory reads the same.
    drop(engine);
    let reopened = engine_on_disk(data.path());
    assert_eq!(reopened.cob_notice_count().expect("count"), notices as i64);

    // Into a store that already has notices (the WAL path), in two halves, while another
    // connection holds the database open: the same summaries and cohorts as the whole file.
    let parts = tempfile::tempdir().expect("tempdir");
    let engine = engine_on_disk(parts.path());
    let reader = rusqlite::Connection::open(parts.path().join(DATABASE_FILE)).expect("reader");
    let codes: i64 = reader
        .query_row("SELECT count(*) FROM cob_code", [], |row| row.get(0))
        .expect("read");
    assert!(codes > 0);
    for half in 0..2 {
        let mut file = format!("{header}\n");
        for row in rows.iter().skip(half).step_by(2) {
            file.push_str(row);
            file.push('\n');
        }
        let half_path = files.path().join(format!("half{half}.csv"));
        std::fs::write(&half_path, file).expect("write");
        import(&engine, &half_path).expect("half imports");
    }
    drop(reader);
    assert_eq!(engine.cob_notice_count().expect("count"), notices as i64);
    let (merged, _, mode) = stored_summaries(parts.path());
    assert_eq!(mode.to_lowercase(), "wal");
    engine.rebuild_cob_summaries().expect("rebuild");
    for as_of in DAYS {
        let rule = rule(day(as_of), 2);
        assert_agree(&engine, &rule, "in halves on disk");
        assert_eq!(
            engine.select_cohort(&rule).expect("halves"),
            reopened.select_cohort(&rule).expect("whole"),
            "halves vs whole, as_of {as_of}"
        );
    }
    assert_eq!(merged.len(), streamed.len());
}
