//! Mutation fuzzing of every parser, as plain tests on stable (proptest): COB rows (CSV and JSON
//! lines), records CSV and JSON, ESCO CSV, contacts, codice fiscale and partita IVA, the cohort
//! rule JSON and suggestion text. A valid file is mutated (bytes flipped, deleted, inserted, lines
//! duplicated, separators and quotes added) and imported: the importer must not panic, must answer
//! either an import or problems in the `file:line: …` form, and what it accepts it must store
//! faithfully (a second import of the same file changes nothing; the ids stored are the file's).
//!
//! `cargo test -p incontro-core --test fuzz_parsers` runs a few cases per parser;
//! `scripts/fuzz.sh MINUTES` runs them for that long with fresh seeds
//! (`INCONTRO_FUZZ_CASES`, `INCONTRO_FUZZ_SEED`).

mod outreach_common;

use std::path::Path;

use incontro_core::model::{CodiceFiscale, PartitaIva};
use incontro_core::outreach::CohortRule;
use incontro_core::records::{ImportOptions, RecordFiles};
use incontro_core::taxonomy::EscoImportOptions;
use outreach_common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn config() -> Config {
    let cases = std::env::var("INCONTRO_FUZZ_CASES")
        .ok()
        .and_then(|raw| raw.parse().ok())
        .unwrap_or(24);
    let mut config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    if let Some(seed) = std::env::var("INCONTRO_FUZZ_SEED")
        .ok()
        .and_then(|raw| raw.parse().ok())
    {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    config
}

/// One mutation of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize),
    Insert(usize, u8),
    InsertText(usize, &'static str),
    DuplicateLine(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert(at, byte)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                ",",
                ";",
                "\"",
                "\n",
                "\r\n",
                "\0",
                "è",
                "\u{feff}",
                "-1",
                "9999-99-99",
                "{",
                "}",
                "null",
                "A.02.00",
                "E715",
                "\\",
            ])
        )
            .prop_map(|(at, text)| Mutation::InsertText(at, text)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(base: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for mutation in mutations {
        let len = bytes.len().max(1);
        match mutation {
            Mutation::Flip(at, byte) if !bytes.is_empty() => bytes[at % len] ^= byte | 1,
            Mutation::Delete(at) if !bytes.is_empty() => {
                bytes.remove(at % len);
            }
            Mutation::Insert(at, byte) => bytes.insert(at % (bytes.len() + 1), *byte),
            Mutation::InsertText(at, text) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, text.bytes());
            }
            Mutation::DuplicateLine(at) => {
                let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
                let line = lines[at % lines.len()].to_vec();
                bytes.extend_from_slice(b"\n");
                bytes.extend_from_slice(&line);
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
            _ => {}
        }
    }
    bytes
}

fn mutated(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(mutation(), 1..6).prop_map(move |mutations| apply(base, &mutations))
}

/// Every problem is `file:line: …` (line a number) or, with a field, `file:line: field: …`, with
/// `file` one of `files`.
fn assert_placed(result: &Result<impl std::fmt::Debug, Error>, files: &[&str]) {
    match result {
        Ok(_) => {}
        Err(Error::InvalidInput { problems }) => {
            assert!(!problems.is_empty());
            for problem in problems {
                let text = problem.to_string();
                let rest = files
                    .iter()
                    .find_map(|file| {
                        text.strip_prefix(file)
                            .and_then(|rest| rest.strip_prefix(':'))
                    })
                    .unwrap_or_else(|| panic!("not {files:?}:line: {text}"));
                let (line, _) = rest
                    .split_once(": ")
                    .unwrap_or_else(|| panic!("no message: {text}"));
                assert!(line.parse::<u64>().is_ok(), "not a line number: {text}");
                assert!(problem.message.chars().count() <= 300, "{text}");
            }
        }
        Err(error) => {
            // Other refusals are input errors with a code, never internal ones.
            assert_ne!(error.code(), "internal", "{error}");
        }
    }
}

fn cob_base() -> &'static [u8] {
    static BASE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let worker = person("BNCMRA", true);
        let rows = [
            hire("C1", &worker, &employer(1), "2024-01-10", "2024-06-30"),
            cessazione(
                "C2",
                &worker,
                &employer(1),
                "2024-01-10",
                "2024-03-31",
                "DI",
            ),
            hire(
                "C3",
                &person("VRDLCU", false),
                &employer(2),
                "2024-02-01",
                "",
            ),
        ];
        let mut text = format!("{HEADER}\n");
        for row in rows {
            text.push_str(&row.csv());
            text.push('\n');
        }
        text.into_bytes()
    })
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn cob_csv(bytes in mutated(cob_base())) {
        let engine = engine();
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "cob.csv", &bytes);
        let result = import(&engine, &path);
        assert_placed(&result, &["cob.csv"]);
        if let Ok(report) = result {
            let again = import(&engine, &path).expect("the same file again");
            prop_assert_eq!(again.inserted, 0);
            prop_assert_eq!(again.already_present, report.inserted + report.already_present);
        }
    }

    #[test]
    fn cob_json_lines(bytes in mutated(br#"{"CodiceComunicazione":"J1","TipoComunicazione":"01","TipoEvento":"ASS","DataInvio":"2024-01-10","CodFiscaleLavoratore":"BNCMRA80A41F205X","Sesso":"F","DataNascita":"1980-01-01","ComuneDomicilio":"F205","CodFiscaleDatore":"01234567890","DataInizio":"2024-01-10","TipologiaContrattuale":"A.01.00","QualificaProfessionaleIstat":"5.1.2.2.0.1","Settore":"47.11.10","ComuneSedeLavoro":"F205"}
"#)) {
        let engine = engine();
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "cob.jsonl", &bytes);
        assert_placed(&import(&engine, &path), &["cob.jsonl"]);
    }

    #[test]
    fn contacts(bytes in mutated(b"codice_fiscale,kind,value,source,observed_on,display_name,do_not_contact\nVRDLCU80A01F205X,mobile,3331234567,cpi,2024-01-01,Luca Verdi,false\n")) {
        let engine = engine();
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "contacts.csv", &bytes);
        assert_placed(
            &engine.import_contacts(&path, &ContactImportOptions::default()),
            &["contacts.csv"],
        );
    }

    #[test]
    fn records_csv(bytes in mutated(b"id,name,codice_fiscale,partita_iva,ateco,offers_tirocini,comuni\nC01,Cartiera S.p.A.,01234567890,01234567890,17.12,true,E715|B648\nC02,\"Officine, Lucca\",02100000468,02100000468,25.62,false,E715\n")) {
        let engine = Engine::open_in_memory().expect("engine");
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "comuni.csv", b"code,name,province,lat,lon\nE715,Lucca,LU,43.84,10.50\nB648,Capannori,LU,43.84,10.57\n");
        write(dir.path(), "companies.csv", &bytes);
        let files = RecordFiles::from_dir(dir.path()).expect("files");
        let result = engine.import_records(&files, &ImportOptions::default());
        assert_placed(&result, &["companies.csv", "comuni.csv"]);
        if result.is_ok() {
            // Every company stored is one the file names.
            let text = String::from_utf8_lossy(&bytes).into_owned();
            for company in engine.list_companies(1000, 0).expect("companies") {
                prop_assert!(text.contains(company.id.as_str()), "{}", company.id);
            }
        }
    }

    #[test]
    fn records_json(bytes in mutated(br#"[{"id":"K1","title":"Saldatura","provider":"Ente","hours":40,"start":"2026-01-10","end":"2026-03-01","modality":"online","seats":10,"cost_eur":0,"certification":"attestato","gol_path":"upskilling","teaches":[]}]
"#)) {
        let engine = Engine::open_in_memory().expect("engine");
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "courses.json", &bytes);
        let files = RecordFiles::from_dir(dir.path()).expect("files");
        let result = engine.import_records(&files, &ImportOptions::default());
        if let Err(Error::InvalidInput { problems }) = &result {
            for problem in problems {
                prop_assert!(problem.file.starts_with("courses.json"), "{}", problem);
            }
        }
    }

    #[test]
    fn esco_csv(bytes in mutated(include_bytes!("../../../tests/fixtures/esco-it/skills_it.csv"))) {
        let engine = Engine::open_in_memory().expect("engine");
        let dir = tempfile::tempdir().expect("tempdir");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/esco-it");
        for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
        }
        write(dir.path(), "skills_it.csv", &bytes);
        let result = engine.import_esco(
            &[dir.path().to_path_buf()],
            &EscoImportOptions::default(),
            &NoProgress,
        );
        if let Err(error) = &result {
            prop_assert_ne!(error.code(), "internal", "{}", error);
            prop_assert!(error.to_string().len() < 100_000);
        }
    }

    #[test]
    fn codice_fiscale_and_partita_iva(raw in "\\PC{0,20}", digits in "[0-9]{10}", letters in "[A-Z]{6}[0-9]{2}[A-EHLMPR-T][0-7][0-9][A-Z][0-9]{3}") {
        // Any text: an answer, never a panic; an accepted code parses again to itself.
        if let Ok(code) = CodiceFiscale::parse(&raw) {
            prop_assert_eq!(CodiceFiscale::parse(code.as_str()).expect("again"), code);
        }
        if let Ok(code) = PartitaIva::parse(&raw) {
            prop_assert_eq!(PartitaIva::parse(code.as_str()).expect("again"), code);
        }
        // A completed code (check character computed) always parses.
        let piva = PartitaIva::complete(&digits).expect("complete");
        prop_assert!(PartitaIva::parse(piva.as_str()).is_ok());
        if let Ok(cf) = CodiceFiscale::complete(&letters) {
            prop_assert!(CodiceFiscale::parse(cf.as_str()).is_ok());
        }
    }

    #[test]
    fn cohort_rule_json(bytes in mutated(include_bytes!("../data/demo/outreach_rule.json"))) {
        if let Ok(rule) = serde_json::from_slice::<CohortRule>(&bytes) {
            let _ = rule.check();
            let again: CohortRule =
                serde_json::from_str(&serde_json::to_string(&rule).expect("json")).expect("again");
            prop_assert_eq!(again, rule);
        }
    }

    #[test]
    fn suggestion_text(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let engine = demo_engine();
        if let Err(error) = engine.suggest_competences(&bytes, None, 10) {
            prop_assert_ne!(error.code(), "internal", "{}", error);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Err(error) = engine.suggest_competences(&text, Some("it"), 10) {
            prop_assert_ne!(error.code(), "internal", "{}", error);
        }
    }
}

fn demo_engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let engine = Engine::open_in_memory().expect("engine");
        engine.import_demo(&NoProgress).expect("demo");
        engine
    })
}
