//! Faithful import (issue 21, point 8): a generated valid file is imported and what the store
//! holds is compared field by field with what the file says. Incontro has no exporter for the
//! files it imports (records, COB, contacts, ESCO), so the comparison is against the stored rows
//! read back through the engine (`get_company`, `get_job_seeker`, `get_personal_data`,
//! `get_vacancy`, `list_courses`, `contact_book`, the taxonomy) and, for COB notices, as the rows
//! of the `cob_notice` table. Values are generated with the characters a regional export
//! carries: accents, commas, quotes and apostrophes in names.
//!
//! `cargo test -p incontro-core --test faithful_import`; `INCONTRO_FUZZ_CASES` and
//! `INCONTRO_FUZZ_SEED` as in `fuzz_parsers` (scripts/fuzz.sh runs it too).

mod outreach_common;

use std::collections::{BTreeMap, HashMap, HashSet};

use incontro_core::model::{CodiceFiscale, EntityId, PartitaIva};
use incontro_core::outreach::EventType;
use incontro_core::records::{ImportOptions, RecordFiles};
use outreach_common::{codes_file, CobImportOptions, ContactImportOptions, Engine, NoProgress};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn config() -> Config {
    let cases = std::env::var("INCONTRO_FUZZ_CASES")
        .ok()
        .and_then(|raw| raw.parse().ok())
        .unwrap_or(16);
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

/// Text as offices type it: letters with accents, digits, commas, quotes, apostrophes, inner
/// spaces; never blank, no surrounding spaces (importers trim).
fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÀÈÉÌÒÙàèéìòù0-9][A-Za-zÀÈÉÌÒÙàèéìòù0-9 ,.'\"&/-]{0,38}[A-Za-zàèéìòù0-9.]"
}

/// A valid 11-digit code (company codice fiscale and partita IVA share the check digit).
fn numeric_code() -> impl Strategy<Value = String> {
    "[0-9]{10}".prop_map(|digits| {
        PartitaIva::complete(&digits)
            .expect("complete")
            .as_str()
            .to_string()
    })
}

/// A valid personal codice fiscale.
fn personal_code() -> impl Strategy<Value = String> {
    "[A-Z]{6}[0-9]{2}[ABCDEHLMPRST][0-7][0-9][A-Z][0-9]{3}".prop_map(|first15| {
        CodiceFiscale::complete(&first15)
            .expect("complete")
            .as_str()
            .to_string()
    })
}

fn day() -> impl Strategy<Value = chrono::NaiveDate> {
    (0i64..3_000).prop_map(|offset| {
        chrono::NaiveDate::from_ymd_opt(2018, 1, 1).expect("day") + chrono::Duration::days(offset)
    })
}

const COMUNI: [&str; 3] = ["E715", "B648", "G882"];

#[derive(Debug, Clone)]
struct CompanyRow {
    name: String,
    codice_fiscale: String,
    partita_iva: Option<String>,
    ateco: Option<String>,
    offers_tirocini: bool,
    comuni: Vec<&'static str>,
}

fn company_row() -> impl Strategy<Value = CompanyRow> {
    (
        name(),
        numeric_code(),
        prop::option::of(numeric_code()),
        prop::option::of("[0-9]{2}\\.[0-9]{2}(\\.[0-9]{2})?"),
        any::<bool>(),
        prop::sample::subsequence(COMUNI.to_vec(), 1..=3),
    )
        .prop_map(
            |(name, codice_fiscale, partita_iva, ateco, offers_tirocini, comuni)| CompanyRow {
                name,
                codice_fiscale,
                partita_iva,
                ateco,
                offers_tirocini,
                comuni,
            },
        )
}

fn records_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("comuni.csv"),
        "code,name,province,lat,lon\nE715,Lucca,LU,43.84,10.50\nB648,Capannori,LU,43.84,10.57\nG882,Porcari,LU,43.84,10.62\n",
    )
    .expect("comuni");
    dir
}

#[derive(Debug, Clone)]
struct ContactRow {
    codice_fiscale: String,
    mobile: String,
    observed_on: chrono::NaiveDate,
    display_name: String,
    do_not_contact: bool,
}

fn contact_row() -> impl Strategy<Value = ContactRow> {
    (
        personal_code(),
        "3[0-9]{8,9}",
        day(),
        name(),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(codice_fiscale, mobile, observed_on, display_name, do_not_contact)| ContactRow {
                codice_fiscale,
                mobile,
                observed_on,
                display_name,
                do_not_contact,
            },
        )
}

#[derive(Debug, Clone)]
struct HireRow {
    worker: String,
    employer: String,
    sex: &'static str,
    birth: chrono::NaiveDate,
    start: chrono::NaiveDate,
    days: Option<i64>,
    contract: &'static str,
    qualifica: &'static str,
    sector: &'static str,
    workplace: &'static str,
}

fn hire_row() -> impl Strategy<Value = HireRow> {
    (
        personal_code(),
        numeric_code(),
        prop::sample::select(vec!["M", "F"]),
        (0i64..15_000).prop_map(|offset| {
            chrono::NaiveDate::from_ymd_opt(1960, 1, 1).expect("day")
                + chrono::Duration::days(offset)
        }),
        day(),
        prop::option::of(1i64..700),
        prop::sample::select(vec![
            ("5.1.2.2.0.1", "47.11.10", "F205"),
            ("7.1.1.1.0.1", "17.12.00", "B648"),
            ("4.1.1.1.0.1", "62.01.00", "E715"),
        ]),
    )
        .prop_map(
            |(worker, employer, sex, birth, start, days, (qualifica, sector, workplace))| HireRow {
                worker,
                employer,
                sex,
                birth,
                start,
                days,
                contract: if days.is_some() { "A.02.00" } else { "A.01.00" },
                qualifica,
                sector,
                workplace,
            },
        )
}

proptest! {
    #![proptest_config(config())]

    /// companies.csv → `get_company`: every field as written (quoted names with commas and
    /// quotes included), the sites as a set.
    #[test]
    fn companies_are_stored_as_written(rows in prop::collection::vec(company_row(), 1..8)) {
        let dir = records_dir();
        let mut writer = csv::Writer::from_path(dir.path().join("companies.csv")).expect("csv");
        writer
            .write_record(["id", "name", "codice_fiscale", "partita_iva", "ateco", "offers_tirocini", "comuni"])
            .expect("header");
        for (index, row) in rows.iter().enumerate() {
            writer
                .write_record([
                    format!("C{index}"),
                    row.name.clone(),
                    row.codice_fiscale.clone(),
                    row.partita_iva.clone().unwrap_or_default(),
                    row.ateco.clone().unwrap_or_default(),
                    row.offers_tirocini.to_string(),
                    row.comuni.join("|"),
                ])
                .expect("row");
        }
        writer.flush().expect("flush");
        drop(writer);
        let engine = Engine::open_in_memory().expect("engine");
        let files = RecordFiles::from_dir(dir.path()).expect("files");
        engine.import_records(&files, &ImportOptions::default()).expect("a valid file is accepted");
        prop_assert_eq!(engine.list_companies(1000, 0).expect("list").len(), rows.len());
        for (index, row) in rows.iter().enumerate() {
            let id = EntityId::parse(&format!("C{index}")).expect("id");
            let stored = engine.get_company(&id).expect("stored");
            prop_assert_eq!(&stored.name, &row.name);
            prop_assert_eq!(stored.codice_fiscale.as_str(), row.codice_fiscale.as_str());
            prop_assert_eq!(
                stored.partita_iva.as_ref().map(|code| code.as_str().to_string()),
                row.partita_iva.clone()
            );
            prop_assert_eq!(&stored.ateco, &row.ateco);
            prop_assert_eq!(stored.offers_tirocini, row.offers_tirocini);
            // Sites are a set: stored in comune-code order, whatever the file's order.
            let mut sites: Vec<&str> = stored.sites.iter().map(|site| site.comune.as_str()).collect();
            let mut written = row.comuni.clone();
            sites.sort_unstable();
            written.sort_unstable();
            prop_assert_eq!(sites, written);
            prop_assert!(stored.sites.iter().all(|site| site.address.is_none()));
        }
    }

    /// A contacts file → the contact book: the most recently observed mobile of each person
    /// (as `+39…`) and every objection.
    #[test]
    fn contacts_are_stored_as_written(rows in prop::collection::vec(contact_row(), 1..12)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("contacts.csv");
        let mut writer = csv::Writer::from_path(&path).expect("csv");
        writer
            .write_record(["codice_fiscale", "kind", "value", "source", "observed_on", "display_name", "do_not_contact"])
            .expect("header");
        for row in &rows {
            writer
                .write_record([
                    row.codice_fiscale.as_str(),
                    "mobile",
                    row.mobile.as_str(),
                    "SILP",
                    &row.observed_on.to_string(),
                    row.display_name.as_str(),
                    if row.do_not_contact { "true" } else { "false" },
                ])
                .expect("row");
        }
        writer.flush().expect("flush");
        drop(writer);
        let engine = outreach_common::engine();
        engine
            .import_contacts(&path, &ContactImportOptions::default())
            .expect("a valid file is accepted");
        let book = engine.contact_book().expect("book");
        // What the file says: per person, the mobile of the latest observation (the first
        // such row on a tie, as written); objections from any row.
        let mut latest: HashMap<&str, (chrono::NaiveDate, &str)> = HashMap::new();
        let mut objections = HashSet::new();
        for row in &rows {
            let entry = latest.entry(&row.codice_fiscale).or_insert((row.observed_on, &row.mobile));
            if row.observed_on > entry.0 {
                *entry = (row.observed_on, &row.mobile);
            }
            if row.do_not_contact {
                objections.insert(row.codice_fiscale.clone());
            }
        }
        prop_assert_eq!(&book.do_not_contact, &objections);
        for (codice_fiscale, (_, mobile)) in &latest {
            let stored = book.mobiles.get(*codice_fiscale);
            // A tie between two observations on the same day may keep either number.
            let tied: Vec<String> = rows
                .iter()
                .filter(|row| row.codice_fiscale == *codice_fiscale && Some(row.observed_on) == latest.get(codice_fiscale).map(|l| l.0))
                .map(|row| format!("+39{}", row.mobile))
                .collect();
            prop_assert!(stored.is_some(), "no mobile kept for a person with one");
            prop_assert!(tied.contains(stored.expect("mobile")), "{:?} not among {:?} ({})", stored, tied, mobile);
        }
        prop_assert_eq!(book.mobiles.len(), latest.len());
    }

    /// A COB file of hirings → the stored notices, every field of each (the rows of
    /// `cob_notice`).
    #[test]
    fn cob_notices_are_stored_as_written(rows in prop::collection::vec(hire_row(), 1..10)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut text = format!("{}\n", outreach_common::HEADER);
        for (index, row) in rows.iter().enumerate() {
            let end = row.days.map(|days| (row.start + chrono::Duration::days(days)).to_string());
            text.push_str(&format!(
                "N{index},,01,ASS,{start},{worker},{sex},{birth},F205,{employer},{start},{end},,,,,,{contract},{qualifica},{sector},{workplace}\n",
                start = row.start,
                worker = row.worker,
                sex = row.sex,
                birth = row.birth,
                employer = row.employer,
                end = end.unwrap_or_default(),
                contract = row.contract,
                qualifica = row.qualifica,
                sector = row.sector,
                workplace = row.workplace,
            ));
        }
        let path = dir.path().join("cob.csv");
        std::fs::write(&path, text).expect("write");
        let data = tempfile::tempdir().expect("data dir");
        let engine = Engine::open(data.path()).expect("engine");
        engine.import_cob_codes(&codes_file()).expect("codes");
        let report = engine
            .import_cob(&path, &CobImportOptions::default(), &NoProgress)
            .expect("a valid file is accepted");
        prop_assert_eq!(report.inserted, rows.len() as u64);
        drop(engine);
        // The stored rows, as the `cob_notice` table holds them (days since 1970-01-01).
        let connection =
            rusqlite::Connection::open(data.path().join("incontro.sqlite")).expect("store");
        let day = |days: Option<i64>| {
            days.map(|days| {
                chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
                    + chrono::Duration::days(days)
            })
        };
        let mut statement = connection
            .prepare(
                "SELECT code, previous, event, sent, worker_cf, sex, birth, domicile, employer_cf,
                        start, planned_end, extension_end, transformation_date, transformation,
                        termination_date, termination_reason, contract_type, qualifica, sector,
                        workplace
                 FROM cob_notice",
            )
            .expect("select");
        type Stored = (
            Option<String>, Option<String>, Option<chrono::NaiveDate>, String, Option<String>,
            Option<chrono::NaiveDate>, Option<String>, String, Option<chrono::NaiveDate>,
            Vec<Option<chrono::NaiveDate>>, Vec<Option<String>>,
        );
        let mut stored: BTreeMap<String, Stored> = BTreeMap::new();
        let mut rows_read = statement.query([]).expect("query");
        while let Some(row) = rows_read.next().expect("row") {
            let event: i64 = row.get(2).expect("event");
            stored.insert(
                row.get(0).expect("code"),
                (
                    row.get(1).expect("previous"),
                    EventType::from_i64(event).map(|event| event.as_str().to_string()),
                    day(row.get(3).expect("sent")),
                    row.get(4).expect("worker"),
                    row.get(5).expect("sex"),
                    day(row.get(6).expect("birth")),
                    row.get(7).expect("domicile"),
                    row.get(8).expect("employer"),
                    day(row.get(9).expect("start")),
                    [10, 11, 12, 14]
                        .iter()
                        .map(|column| day(row.get(*column).expect("day")))
                        .collect(),
                    [13, 15, 16, 17, 18, 19]
                        .iter()
                        .map(|column| row.get(*column).expect("text"))
                        .collect(),
                ),
            );
        }
        prop_assert_eq!(stored.len(), rows.len());
        for (index, row) in rows.iter().enumerate() {
            let (previous, event, sent, worker, sex, birth, domicile, employer, start, days, texts) =
                &stored[&format!("N{index}")];
            prop_assert_eq!(previous, &None);
            prop_assert_eq!(event.as_deref(), Some("ASS"));
            prop_assert_eq!(*sent, Some(row.start));
            prop_assert_eq!(worker, &row.worker);
            prop_assert_eq!(sex.as_deref(), Some(row.sex));
            prop_assert_eq!(*birth, Some(row.birth));
            prop_assert_eq!(domicile.as_deref(), Some("F205"));
            prop_assert_eq!(employer, &row.employer);
            prop_assert_eq!(*start, Some(row.start));
            // planned end, extension end, transformation date, termination date
            let planned_end = row.days.map(|days| row.start + chrono::Duration::days(days));
            prop_assert_eq!(days.clone(), vec![planned_end, None, None, None]);
            // transformation, termination reason, contract, qualifica, sector, workplace
            prop_assert_eq!(
                texts.clone(),
                vec![
                    None,
                    None,
                    Some(row.contract.to_string()),
                    Some(row.qualifica.to_string()),
                    Some(row.sector.to_string()),
                    Some(row.workplace.to_string()),
                ]
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The records importer's people, vacancies and courses, and the ESCO CSV importer.
//
// Normalisations the importers document, applied to the expectation (docs/formats.md):
// - every field is trimmed (`csv::Trim::All`): names are written with spaces around them;
// - a codice fiscale is upper-cased (written in lower case here and there);
// - booleans are read from `true`/`false`, `1`/`0`, `si`/`sì`/`yes`/`no`, any case;
// - levels from `1`–`4` or `base`/`intermedio`/`avanzato`/`esperto`;
// - a modality from `presenza`/`distanza`/`fad`/`mista` too, a GOL path from `aggiornamento`,
//   `riqualificazione`, `lavoro e inclusione` too;
// - an empty optional cell is "not given" (`None`), a missing `weight` is 1;
// - lists come back in the store's order: competences, requirements and course skills by skill
//   URI, past jobs in file order;
// - ESCO: label cells hold one label per line, each trimmed; the preferred label, the
//   description and the codes are trimmed; an unknown or empty `reuseLevel` reads as unknown.

use incontro_core::model::{
    Citizenship, Competence, ComuneCode, Course, EducationLevel, Evidence, GolPath, JobSeeker,
    Level, Modality, OccupationCode, OccupationUri, PastJob, PersonalData, PlacementType,
    Requirement, Sex, SkillUri, Vacancy, VacancySource, VacancyStatus, Weight, WorkConditions,
};
use incontro_core::taxonomy::{EscoImportOptions, LabelKind, ReuseLevel, SkillIdx, SkillType};

/// The ESCO skills the generated records refer to (no taxonomy is imported: the URIs are checked
/// for their shape only).
const SKILLS: [&str; 6] = [
    "http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4",
    "http://data.europa.eu/esco/skill/0f2b5f4a-8b3c-4c1e-9c55-2e6a1b7c9d01",
    "http://data.europa.eu/esco/skill/14a2d8e9-6f0b-4b3a-8e55-93c1f7a2b6c4",
    "http://data.europa.eu/esco/skill/5c7e1a90-3d2f-4a8b-b1c6-0e9f8d7a6b54",
    "http://data.europa.eu/esco/skill/a1b2c3d4-e5f6-4711-8899-aabbccddeeff",
    "http://data.europa.eu/esco/skill/ffe0d1c2-b3a4-4958-8776-655443322110",
];
const OCCUPATIONS: [&str; 2] = [
    "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b",
    "http://data.europa.eu/esco/occupation/4b6a55a8-8ec9-4ae2-9f62-ebcea1fa93d0",
];

/// A boolean as offices write it: (value, spelling).
fn boolean() -> impl Strategy<Value = (bool, &'static str)> {
    prop::sample::select(vec![
        (true, "true"),
        (true, "TRUE"),
        (true, "1"),
        (true, "si"),
        (true, "sì"),
        (true, "yes"),
        (false, "false"),
        (false, "0"),
        (false, "no"),
    ])
}

/// A level as a number or an Italian word: (value, spelling).
fn level() -> impl Strategy<Value = (u8, &'static str)> {
    prop::sample::select(vec![
        (1, "1"),
        (1, "base"),
        (2, "2"),
        (2, "intermedio"),
        (3, "3"),
        (3, "avanzato"),
        (4, "4"),
        (4, "esperto"),
    ])
}

/// A day after `from`, up to about two years.
fn later(from: chrono::NaiveDate, days: i64) -> chrono::NaiveDate {
    from + chrono::Duration::days(days)
}

fn skill_uri(index: usize) -> SkillUri {
    SkillUri::parse(SKILLS[index]).expect("skill uri")
}

#[derive(Debug, Clone)]
struct SeekerCase {
    codice_fiscale: String,
    cf_lower: bool,
    first_name: String,
    last_name: String,
    mobile: Option<String>,
    email: Option<String>,
    birth_year: u16,
    sex: &'static str,
    comune: &'static str,
    education: (EducationLevel, &'static str),
    available_from: Option<chrono::NaiveDate>,
    accepts_tirocinio: (bool, &'static str),
    disability: (bool, &'static str),
    citizenship: Option<(Citizenship, &'static str)>,
    contract_types: Vec<&'static str>,
    min_hours: Option<u8>,
    extra_hours: Option<u8>,
    max_distance_km: Option<u16>,
    /// (skill, level, evidence, since, note), one per skill.
    competences: Vec<CompetenceCase>,
    jobs: Vec<JobCase>,
}

#[derive(Debug, Clone)]
struct CompetenceCase {
    skill: usize,
    level: (u8, &'static str),
    evidence: (Evidence, &'static str),
    since: Option<chrono::NaiveDate>,
    note: Option<String>,
}

#[derive(Debug, Clone)]
struct JobCase {
    /// (scheme, code) as written.
    code: (&'static str, String),
    start: chrono::NaiveDate,
    days: Option<i64>,
    employer: Option<String>,
}

fn competence_case(skill: usize) -> impl Strategy<Value = CompetenceCase> {
    (
        level(),
        prop::sample::select(vec![
            (Evidence::Declared, "declared"),
            (Evidence::Assessed, "assessed"),
            (Evidence::Certified, "certified"),
            (Evidence::WorkHistory, "work_history"),
            (Evidence::Course, "course"),
        ]),
        prop::option::of(day()),
        prop::option::of(name()),
    )
        .prop_map(move |(level, evidence, since, note)| CompetenceCase {
            skill,
            level,
            evidence,
            since,
            note,
        })
}

fn job_case() -> impl Strategy<Value = JobCase> {
    let code = prop_oneof![
        prop::sample::select(OCCUPATIONS.to_vec()).prop_map(|uri| ("esco", uri.to_string())),
        "[0-9]{1,4}".prop_map(|code| ("isco08", code)),
        prop::sample::select(vec!["7.1.4.3.0", "6.2.3.3.1", "5.1.2.2.0.1"])
            .prop_map(|code| ("cp2011", code.to_string())),
    ];
    (
        code,
        day(),
        prop::option::of(0i64..900),
        prop::option::of(name()),
    )
        .prop_map(|(code, start, days, employer)| JobCase {
            code,
            start,
            days,
            employer,
        })
}

fn seeker_case() -> impl Strategy<Value = SeekerCase> {
    let identity = (
        personal_code(),
        any::<bool>(),
        name(),
        name(),
        prop::option::of(
            ("(\\+39 ?)?", "3[0-9]{8,9}").prop_map(|(prefix, digits)| format!("{prefix}{digits}")),
        ),
        prop::option::of("[a-z]{1,8}\\.[a-z]{1,8}@[a-z]{2,8}\\.it"),
        1930u16..=2008,
        prop::sample::select(vec!["M", "F"]),
        prop::sample::select(COMUNI.to_vec()),
    );
    let situation = (
        prop::sample::select(vec![
            (EducationLevel::LowerSecondary, "lower_secondary"),
            (EducationLevel::Vocational, "vocational"),
            (EducationLevel::UpperSecondary, "upper_secondary"),
            (EducationLevel::Bachelor, "bachelor"),
            (EducationLevel::Master, "master"),
        ]),
        prop::option::of(day()),
        boolean(),
        boolean(),
        prop::option::of(prop::sample::select(vec![
            (Citizenship::Italian, "IT"),
            (Citizenship::Eu, "EU"),
            (Citizenship::NonEu, "non_EU"),
        ])),
        prop::sample::subsequence(vec!["A.01.00", "A.02.00", "A.03.09", "C.01.00"], 0..=3),
        prop::option::of(1u8..=40),
        prop::option::of(0u8..=20),
        prop::option::of(1u16..=1000),
    );
    let lists = (
        prop::sample::subsequence((0..SKILLS.len()).collect::<Vec<_>>(), 0..=4)
            .prop_flat_map(|skills| skills.into_iter().map(competence_case).collect::<Vec<_>>()),
        prop::collection::vec(job_case(), 0..4),
    );
    (identity, situation, lists).prop_map(
        |(
            (
                codice_fiscale,
                cf_lower,
                first_name,
                last_name,
                mobile,
                email,
                birth_year,
                sex,
                comune,
            ),
            (
                education,
                available_from,
                accepts_tirocinio,
                disability,
                citizenship,
                contract_types,
                min_hours,
                extra_hours,
                max_distance_km,
            ),
            (competences, jobs),
        )| SeekerCase {
            codice_fiscale,
            cf_lower,
            first_name,
            last_name,
            mobile,
            email,
            birth_year,
            sex,
            comune,
            education,
            available_from,
            accepts_tirocinio,
            disability,
            citizenship,
            contract_types,
            min_hours,
            extra_hours,
            max_distance_km,
            competences,
            jobs,
        },
    )
}

impl SeekerCase {
    /// The maximum weekly hours written: the minimum plus the extra, at most 60.
    fn max_hours(&self) -> Option<u8> {
        self.extra_hours
            .map(|extra| (self.min_hours.unwrap_or(1) + extra).min(60))
    }

    /// What the store should hold for this person.
    fn expected(&self, id: &str) -> (JobSeeker, PersonalData) {
        let mut competences: Vec<Competence> = self
            .competences
            .iter()
            .map(|competence| Competence {
                skill: skill_uri(competence.skill),
                level: Level::new(competence.level.0).expect("level"),
                evidence: competence.evidence.0,
                since: competence.since,
                note: competence.note.clone(),
            })
            .collect();
        competences.sort_by(|a, b| a.skill.cmp(&b.skill));
        let work_history = self
            .jobs
            .iter()
            .map(|job| PastJob {
                occupation: match job.code.0 {
                    "esco" => OccupationCode::Esco(OccupationUri::parse(&job.code.1).expect("uri")),
                    "isco08" => OccupationCode::Isco08(job.code.1.clone()),
                    _ => OccupationCode::Cp2011(job.code.1.clone()),
                },
                start: job.start,
                end: job.days.map(|days| later(job.start, days)),
                employer: job.employer.clone(),
            })
            .collect();
        let seeker = JobSeeker {
            id: EntityId::parse(id).expect("id"),
            birth_year: self.birth_year,
            sex: if self.sex == "M" { Sex::M } else { Sex::F },
            comune: ComuneCode::parse(self.comune).expect("comune"),
            education: self.education.0,
            available_from: self.available_from,
            accepts_tirocinio: self.accepts_tirocinio.0,
            disability: self.disability.0,
            citizenship: self.citizenship.map(|(citizenship, _)| citizenship),
            conditions: WorkConditions {
                contract_types: self
                    .contract_types
                    .iter()
                    .map(|code| code.to_string())
                    .collect(),
                min_weekly_hours: self.min_hours,
                max_weekly_hours: self.max_hours(),
                max_distance_km: self.max_distance_km,
            },
            competences,
            work_history,
        };
        let personal = PersonalData {
            // Upper-cased by the importer.
            codice_fiscale: CodiceFiscale::parse(&self.codice_fiscale).expect("cf"),
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            mobile: self.mobile.clone(),
            email: self.email.clone(),
        };
        (seeker, personal)
    }
}

/// Writes a CSV file of `rows` under `header`.
fn write_csv(path: &std::path::Path, header: &[&str], rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).expect("csv");
    writer.write_record(header).expect("header");
    for row in rows {
        writer.write_record(row).expect("row");
    }
    writer.flush().expect("flush");
}

/// Text written with spaces around it (the reader trims every field).
fn spaced(text: &str) -> String {
    format!("  {text} ")
}

fn option_text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// A requirement as written: (skill, level, essential, weight in halves).
type RequirementCase = (usize, (u8, &'static str), (bool, &'static str), Option<u8>);

#[derive(Debug, Clone)]
struct VacancyCase {
    title: String,
    description: Option<String>,
    occupation: Option<&'static str>,
    comune: &'static str,
    /// `Err(contract type)` or `Ok((months, indemnity))` for a tirocinio.
    placement: Result<(u8, u32), &'static str>,
    positions: u16,
    opens: chrono::NaiveDate,
    closes_after: Option<i64>,
    agency: Option<String>,
    /// 0 draft, 1 validated, 2 closed.
    status: u8,
    validator: String,
    validated_after: i64,
    weekly_hours: Option<u8>,
    requirements: Vec<RequirementCase>,
}

fn vacancy_case() -> impl Strategy<Value = VacancyCase> {
    let head = (
        name(),
        prop::option::of(name()),
        prop::option::of(prop::sample::select(OCCUPATIONS.to_vec())),
        prop::sample::select(COMUNI.to_vec()),
        prop_oneof![
            prop::sample::select(vec!["A.01.00", "A.02.00", "A.03.09"]).prop_map(Err),
            ((1u8..=24), (300u32..=1500)).prop_map(Ok),
        ],
        1u16..=30,
        day(),
        prop::option::of(0i64..400),
    );
    let tail = (
        prop::option::of(name()),
        0u8..=2,
        name(),
        0i64..60,
        prop::option::of(1u8..=60),
        prop::sample::subsequence((0..SKILLS.len()).collect::<Vec<_>>(), 0..=4).prop_flat_map(
            |skills| {
                skills
                    .into_iter()
                    .map(|skill| {
                        (level(), boolean(), prop::option::of(1u8..=20)).prop_map(
                            move |(level, essential, weight)| (skill, level, essential, weight),
                        )
                    })
                    .collect::<Vec<_>>()
            },
        ),
    );
    (head, tail).prop_map(
        |(
            (title, description, occupation, comune, placement, positions, opens, closes_after),
            (agency, status, validator, validated_after, weekly_hours, requirements),
        )| VacancyCase {
            title,
            description,
            occupation,
            comune,
            placement,
            positions,
            opens,
            closes_after,
            agency,
            // A validated vacancy needs its breakdown (else the file is refused).
            status: if status == 1 && requirements.is_empty() {
                0
            } else {
                status
            },
            validator,
            validated_after,
            weekly_hours,
            requirements,
        },
    )
}

impl VacancyCase {
    fn expected(&self, id: &str, company: &str) -> Vacancy {
        let mut requirements: Vec<Requirement> = self
            .requirements
            .iter()
            .map(|(skill, level, essential, weight)| Requirement {
                skill: skill_uri(*skill),
                level: Level::new(level.0).expect("level"),
                essential: essential.0,
                // A missing weight is 1.
                weight: Weight::new(weight.map_or(1.0, |halves| f32::from(halves) / 2.0))
                    .expect("weight"),
            })
            .collect();
        requirements.sort_by(|a, b| a.skill.cmp(&b.skill));
        Vacancy {
            id: EntityId::parse(id).expect("id"),
            company_id: EntityId::parse(company).expect("company"),
            title: self.title.clone(),
            description: option_text(&self.description),
            occupation: self
                .occupation
                .map(|uri| OccupationUri::parse(uri).expect("occupation")),
            comune: ComuneCode::parse(self.comune).expect("comune"),
            placement: match self.placement {
                Err(contract_type) => PlacementType::Contract {
                    contract_type: contract_type.to_string(),
                },
                Ok((months, monthly_indemnity_eur)) => PlacementType::Tirocinio {
                    months,
                    monthly_indemnity_eur,
                },
            },
            positions: self.positions,
            opens: self.opens,
            closes: self.closes_after.map(|days| later(self.opens, days)),
            source: match &self.agency {
                Some(name) => VacancySource::Agency { name: name.clone() },
                None => VacancySource::Public,
            },
            status: match self.status {
                1 => VacancyStatus::Validated {
                    by: self.validator.clone(),
                    on: later(self.opens, self.validated_after),
                },
                2 => VacancyStatus::Closed,
                _ => VacancyStatus::Draft,
            },
            weekly_hours: self.weekly_hours,
            requirements,
        }
    }
}

#[derive(Debug, Clone)]
struct CourseCase {
    title: String,
    provider: String,
    hours: u16,
    start: chrono::NaiveDate,
    days: i64,
    modality: (Modality, &'static str),
    comune: Option<&'static str>,
    seats: u32,
    cost_eur: u32,
    certification: Option<String>,
    gol_path: Option<(GolPath, &'static str)>,
    teaches: Vec<(usize, (u8, &'static str))>,
}

fn course_case() -> impl Strategy<Value = CourseCase> {
    (
        (name(), name(), 1u16..=900, day(), 0i64..300),
        (
            prop::sample::select(vec![
                (Modality::InPresence, "in_presence"),
                (Modality::InPresence, "presenza"),
                (Modality::Online, "online"),
                (Modality::Online, "fad"),
                (Modality::Blended, "blended"),
                (Modality::Blended, "mista"),
            ]),
            prop::option::of(prop::sample::select(COMUNI.to_vec())),
            0u32..=40,
            0u32..=5000,
            prop::option::of(name()),
            prop::option::of(prop::sample::select(vec![
                (GolPath::Reinserimento, "reinserimento"),
                (GolPath::Upskilling, "upskilling"),
                (GolPath::Upskilling, "aggiornamento"),
                (GolPath::Reskilling, "riqualificazione"),
                (GolPath::LavoroInclusione, "lavoro_inclusione"),
                (GolPath::LavoroInclusione, "lavoro e inclusione"),
            ])),
            prop::sample::subsequence((0..SKILLS.len()).collect::<Vec<_>>(), 0..=3).prop_flat_map(
                |skills| {
                    skills
                        .into_iter()
                        .map(|skill| level().prop_map(move |level| (skill, level)))
                        .collect::<Vec<_>>()
                },
            ),
        ),
    )
        .prop_map(
            |(
                (title, provider, hours, start, days),
                (modality, comune, seats, cost_eur, certification, gol_path, teaches),
            )| CourseCase {
                title,
                provider,
                hours,
                start,
                days,
                // A course in presence (or blended) needs its comune.
                comune: match (modality.0, comune) {
                    (Modality::Online, comune) => comune,
                    (_, comune) => Some(comune.unwrap_or(COMUNI[0])),
                },
                modality,
                seats,
                cost_eur,
                certification,
                gol_path,
                teaches,
            },
        )
}

impl CourseCase {
    fn expected(&self, id: &str) -> Course {
        let mut teaches: Vec<(SkillUri, Level)> = self
            .teaches
            .iter()
            .map(|(skill, level)| (skill_uri(*skill), Level::new(level.0).expect("level")))
            .collect();
        teaches.sort();
        Course {
            id: EntityId::parse(id).expect("id"),
            title: self.title.clone(),
            provider: self.provider.clone(),
            hours: self.hours,
            start: self.start,
            end: later(self.start, self.days),
            modality: self.modality.0,
            comune: self
                .comune
                .map(|code| ComuneCode::parse(code).expect("comune")),
            seats: self.seats,
            cost_eur: self.cost_eur,
            certification: self.certification.clone(),
            gol_path: self.gol_path.map(|(path, _)| path),
            teaches,
        }
    }
}

/// An engine on the demo's anchor day (the importers read no clock, but the store's writes do).
fn anchored_engine() -> Engine {
    Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine")
}

proptest! {
    #![proptest_config(config())]

    /// job_seekers.csv, competences.csv and work_history.csv → `get_job_seeker` and
    /// `get_personal_data`: every field as written, after the normalisations above.
    #[test]
    fn people_are_stored_as_written(cases in prop::collection::vec(seeker_case(), 1..6)) {
        let dir = records_dir();
        let mut seekers = Vec::new();
        let mut competences = Vec::new();
        let mut jobs = Vec::new();
        for (index, case) in cases.iter().enumerate() {
            let id = format!("P{index}");
            let cf = if case.cf_lower {
                case.codice_fiscale.to_lowercase()
            } else {
                case.codice_fiscale.clone()
            };
            seekers.push(vec![
                id.clone(),
                cf,
                spaced(&case.first_name),
                case.last_name.clone(),
                option_text(&case.mobile),
                option_text(&case.email),
                case.birth_year.to_string(),
                case.sex.to_string(),
                case.comune.to_string(),
                case.education.1.to_string(),
                case.available_from.map(|day| day.to_string()).unwrap_or_default(),
                case.accepts_tirocinio.1.to_string(),
                case.disability.1.to_string(),
                case.contract_types.join("|"),
                case.min_hours.map(|hours| hours.to_string()).unwrap_or_default(),
                case.max_hours().map(|hours| hours.to_string()).unwrap_or_default(),
                case.max_distance_km.map(|km| km.to_string()).unwrap_or_default(),
                case.citizenship.map(|(_, spelling)| spelling.to_string()).unwrap_or_default(),
            ]);
            for competence in &case.competences {
                competences.push(vec![
                    id.clone(),
                    SKILLS[competence.skill].to_string(),
                    competence.level.1.to_string(),
                    competence.evidence.1.to_string(),
                    competence.since.map(|day| day.to_string()).unwrap_or_default(),
                    option_text(&competence.note),
                ]);
            }
            for job in &case.jobs {
                jobs.push(vec![
                    id.clone(),
                    job.code.0.to_string(),
                    job.code.1.clone(),
                    job.start.to_string(),
                    job.days.map(|days| later(job.start, days).to_string()).unwrap_or_default(),
                    option_text(&job.employer),
                ]);
            }
        }
        write_csv(
            &dir.path().join("job_seekers.csv"),
            &["id", "codice_fiscale", "first_name", "last_name", "mobile", "email", "birth_year",
              "sex", "comune", "education", "available_from", "accepts_tirocinio", "disability",
              "contract_types", "min_weekly_hours", "max_weekly_hours", "max_distance_km",
              "citizenship"],
            &seekers,
        );
        write_csv(
            &dir.path().join("competences.csv"),
            &["job_seeker_id", "skill_uri", "level", "evidence", "since", "note"],
            &competences,
        );
        write_csv(
            &dir.path().join("work_history.csv"),
            &["job_seeker_id", "scheme", "code", "start", "end", "employer"],
            &jobs,
        );
        let engine = anchored_engine();
        let files = RecordFiles::from_dir(dir.path()).expect("files");
        engine.import_records(&files, &ImportOptions::default()).expect("a valid file is accepted");
        prop_assert_eq!(engine.all_job_seekers().expect("all").len(), cases.len());
        for (index, case) in cases.iter().enumerate() {
            let id = format!("P{index}");
            let (seeker, personal) = case.expected(&id);
            let entity = EntityId::parse(&id).expect("id");
            let mut stored = engine.get_job_seeker(&entity).expect("stored");
            // One competence per skill here, so the store's order by skill URI is total.
            stored.competences.sort_by(|a, b| a.skill.cmp(&b.skill));
            prop_assert_eq!(stored, seeker);
            prop_assert_eq!(engine.get_personal_data(&entity).expect("personal data"), personal);
        }
    }

    /// companies.csv, vacancies.csv and requirements.csv → `get_vacancy`: every field as
    /// written, the breakdown by skill URI.
    #[test]
    fn vacancies_are_stored_as_written(cases in prop::collection::vec(vacancy_case(), 1..6)) {
        let dir = records_dir();
        let company = CompanyRow {
            name: "Cartiera del Serchio S.p.A.".to_string(),
            codice_fiscale: "02100000046".to_string(),
            partita_iva: None,
            ateco: None,
            offers_tirocini: true,
            comuni: vec!["E715"],
        };
        let company_cf = PartitaIva::complete(&company.codice_fiscale[..10])
            .expect("complete")
            .as_str()
            .to_string();
        write_csv(
            &dir.path().join("companies.csv"),
            &["id", "name", "codice_fiscale", "partita_iva", "ateco", "offers_tirocini", "comuni"],
            &[vec!["C1".into(), company.name.clone(), company_cf, String::new(), String::new(),
                   "true".into(), company.comuni.join("|")]],
        );
        let mut vacancies = Vec::new();
        let mut requirements = Vec::new();
        for (index, case) in cases.iter().enumerate() {
            let id = format!("V{index}");
            let (placement, contract_type, months, indemnity) = match case.placement {
                Err(code) => ("contract", code.to_string(), String::new(), String::new()),
                Ok((months, indemnity)) => {
                    ("tirocinio", String::new(), months.to_string(), indemnity.to_string())
                }
            };
            let (status, by, on) = match case.status {
                1 => ("validated", case.validator.clone(),
                      later(case.opens, case.validated_after).to_string()),
                2 => ("closed", String::new(), String::new()),
                _ => ("draft", String::new(), String::new()),
            };
            vacancies.push(vec![
                id.clone(),
                "C1".to_string(),
                spaced(&case.title),
                option_text(&case.description),
                case.occupation.unwrap_or_default().to_string(),
                case.comune.to_string(),
                placement.to_string(),
                contract_type,
                months,
                indemnity,
                case.positions.to_string(),
                case.opens.to_string(),
                case.closes_after.map(|days| later(case.opens, days).to_string()).unwrap_or_default(),
                if case.agency.is_some() { "agency" } else { "public" }.to_string(),
                option_text(&case.agency),
                status.to_string(),
                by,
                on,
                case.weekly_hours.map(|hours| hours.to_string()).unwrap_or_default(),
            ]);
            for (skill, level, essential, weight) in &case.requirements {
                requirements.push(vec![
                    id.clone(),
                    SKILLS[*skill].to_string(),
                    level.1.to_string(),
                    essential.1.to_string(),
                    weight.map(|halves| (f32::from(halves) / 2.0).to_string()).unwrap_or_default(),
                ]);
            }
        }
        write_csv(
            &dir.path().join("vacancies.csv"),
            &["id", "company_id", "title", "description", "occupation_uri", "comune", "placement",
              "contract_type", "tirocinio_months", "tirocinio_indemnity_eur", "positions", "opens",
              "closes", "source", "agency", "status", "validated_by", "validated_on",
              "weekly_hours"],
            &vacancies,
        );
        write_csv(
            &dir.path().join("requirements.csv"),
            &["vacancy_id", "skill_uri", "level", "essential", "weight"],
            &requirements,
        );
        let engine = anchored_engine();
        let files = RecordFiles::from_dir(dir.path()).expect("files");
        engine.import_records(&files, &ImportOptions::default()).expect("a valid file is accepted");
        prop_assert_eq!(engine.list_vacancies(None).expect("list").len(), cases.len());
        for (index, case) in cases.iter().enumerate() {
            let id = format!("V{index}");
            let stored = engine.get_vacancy(&EntityId::parse(&id).expect("id")).expect("stored");
            prop_assert_eq!(stored, case.expected(&id, "C1"));
        }
    }

    /// courses.csv and course_skills.csv → `list_courses`: every field as written, what each
    /// course teaches by skill URI.
    #[test]
    fn courses_are_stored_as_written(cases in prop::collection::vec(course_case(), 1..6)) {
        let dir = records_dir();
        let mut courses = Vec::new();
        let mut skills = Vec::new();
        for (index, case) in cases.iter().enumerate() {
            let id = format!("K{index}");
            courses.push(vec![
                id.clone(),
                spaced(&case.title),
                case.provider.clone(),
                case.hours.to_string(),
                case.start.to_string(),
                later(case.start, case.days).to_string(),
                case.modality.1.to_string(),
                case.comune.unwrap_or_default().to_string(),
                case.seats.to_string(),
                case.cost_eur.to_string(),
                option_text(&case.certification),
                case.gol_path.map(|(_, spelling)| spelling.to_string()).unwrap_or_default(),
            ]);
            for (skill, level) in &case.teaches {
                skills.push(vec![id.clone(), SKILLS[*skill].to_string(), level.1.to_string()]);
            }
        }
        write_csv(
            &dir.path().join("courses.csv"),
            &["id", "title", "provider", "hours", "start", "end", "modality", "comune", "seats",
              "cost_eur", "certification", "gol_path"],
            &courses,
        );
        write_csv(
            &dir.path().join("course_skills.csv"),
            &["course_id", "skill_uri", "level"],
            &skills,
        );
        let engine = anchored_engine();
        let files = RecordFiles::from_dir(dir.path()).expect("files");
        engine.import_records(&files, &ImportOptions::default()).expect("a valid file is accepted");
        let stored: BTreeMap<String, Course> = engine
            .list_courses()
            .expect("courses")
            .into_iter()
            .map(|course| (course.id.to_string(), course))
            .collect();
        prop_assert_eq!(stored.len(), cases.len());
        for (index, case) in cases.iter().enumerate() {
            let id = format!("K{index}");
            prop_assert_eq!(&stored[&id], &case.expected(&id));
        }
    }
}

/// An ESCO label: letters with accents, inner spaces, apostrophes, commas, quotes, brackets and
/// slashes; never a line break or `|` (both separate labels in a label cell).
fn esco_label() -> impl Strategy<Value = String> {
    "[A-Za-zÀÈÉÌÒÙàèéìòù][A-Za-zÀÈÉÌÒÙàèéìòù0-9 ,.'\"()/-]{0,30}[A-Za-zàèéìòù0-9.)]"
}

#[derive(Debug, Clone)]
struct EscoConcept {
    /// Preferred label first, then alternative and hidden ones, all distinct.
    labels: Vec<String>,
    alternatives: usize,
    description: Option<String>,
}

fn esco_concept() -> impl Strategy<Value = EscoConcept> {
    (
        prop::collection::btree_set(esco_label(), 1..6),
        any::<prop::sample::Index>(),
        prop::option::of(name()),
    )
        .prop_map(|(labels, split, description)| {
            let labels: Vec<String> = labels.into_iter().collect();
            let alternatives = split.index(labels.len());
            EscoConcept {
                labels,
                alternatives,
                description,
            }
        })
}

impl EscoConcept {
    /// The label cells as the release writes them: one label per line.
    fn cells(&self) -> (String, String, String) {
        let others = &self.labels[1..];
        let (alternative, hidden) = others.split_at(self.alternatives.min(others.len()));
        (
            spaced(&self.labels[0]),
            alternative.join("\n"),
            hidden.join("\n"),
        )
    }

    /// (language, kind, label) of every label, sorted.
    fn expected_labels(&self) -> Vec<(String, String, String)> {
        let others = &self.labels[1..];
        let (alternative, hidden) = others.split_at(self.alternatives.min(others.len()));
        let mut labels = vec![(
            "it".to_string(),
            format!("{:?}", LabelKind::Preferred),
            self.labels[0].clone(),
        )];
        for (kind, texts) in [
            (LabelKind::Alternative, alternative),
            (LabelKind::Hidden, hidden),
        ] {
            for text in texts {
                labels.push(("it".to_string(), format!("{kind:?}"), text.clone()));
            }
        }
        labels.sort();
        labels
    }
}

fn sorted_labels<'a>(
    labels: impl Iterator<Item = (&'a str, LabelKind, &'a str)>,
) -> Vec<(String, String, String)> {
    let mut labels: Vec<(String, String, String)> = labels
        .map(|(language, kind, text)| (language.to_string(), format!("{kind:?}"), text.to_string()))
        .collect();
    labels.sort();
    labels
}

#[derive(Debug, Clone)]
struct EscoSkill {
    concept: EscoConcept,
    skill_type: (Option<SkillType>, &'static str),
    reuse_level: (ReuseLevel, &'static str),
}

#[derive(Debug, Clone)]
struct EscoOccupation {
    concept: EscoConcept,
    isco_group: String,
    code_suffix: u8,
}

#[derive(Debug, Clone)]
struct EscoRelease {
    skills: Vec<EscoSkill>,
    occupations: Vec<EscoOccupation>,
    /// (occupation, skill, essential), one per pair.
    occupation_skills: Vec<(usize, usize, bool)>,
    /// (original skill, related skill, essential), one per pair.
    skill_skills: Vec<(usize, usize, bool)>,
}

fn esco_release() -> impl Strategy<Value = EscoRelease> {
    let skill = (
        esco_concept(),
        prop::sample::select(vec![
            (Some(SkillType::Knowledge), "knowledge"),
            (Some(SkillType::SkillCompetence), "skill/competence"),
            (None, ""),
        ]),
        prop::sample::select(vec![
            (ReuseLevel::Transversal, "transversal"),
            (ReuseLevel::CrossSector, "cross-sector"),
            (ReuseLevel::SectorSpecific, "sector-specific"),
            (ReuseLevel::OccupationSpecific, "occupation-specific"),
            (ReuseLevel::Unknown, ""),
        ]),
    )
        .prop_map(|(concept, skill_type, reuse_level)| EscoSkill {
            concept,
            skill_type,
            reuse_level,
        });
    let occupation = (esco_concept(), "[1-9][0-9]{3}", 1u8..=9).prop_map(
        |(concept, isco_group, code_suffix)| EscoOccupation {
            concept,
            isco_group,
            code_suffix,
        },
    );
    (
        prop::collection::vec(skill, 1..6),
        prop::collection::vec(occupation, 1..4),
    )
        .prop_flat_map(|(skills, occupations)| {
            let pairs: Vec<(usize, usize)> = (0..occupations.len())
                .flat_map(|occupation| (0..skills.len()).map(move |skill| (occupation, skill)))
                .collect();
            let skill_pairs: Vec<(usize, usize)> = (0..skills.len())
                .flat_map(|from| {
                    (0..skills.len())
                        .filter(move |to| *to != from)
                        .map(move |to| (from, to))
                })
                .collect();
            let pair_count = pairs.len();
            let skill_pair_count = skill_pairs.len();
            (
                Just(skills),
                Just(occupations),
                prop::sample::subsequence(pairs, 0..=pair_count.min(8)),
                prop::collection::vec(any::<bool>(), 8),
                prop::sample::subsequence(skill_pairs, 0..=skill_pair_count.min(5)),
                prop::collection::vec(any::<bool>(), 5),
            )
        })
        .prop_map(
            |(skills, occupations, pairs, essential, skill_pairs, skill_essential)| EscoRelease {
                skills,
                occupations,
                occupation_skills: pairs
                    .into_iter()
                    .zip(essential)
                    .map(|((occupation, skill), essential)| (occupation, skill, essential))
                    .collect(),
                skill_skills: skill_pairs
                    .into_iter()
                    .zip(skill_essential)
                    .map(|((from, to), essential)| (from, to, essential))
                    .collect(),
            },
        )
}

fn esco_skill_uri(index: usize) -> String {
    format!("http://data.europa.eu/esco/skill/fa17-{index:04}")
}

fn esco_occupation_uri(index: usize) -> String {
    format!("http://data.europa.eu/esco/occupation/fa17-{index:04}")
}

fn relation_type(essential: bool) -> &'static str {
    if essential {
        "essential"
    } else {
        "optional"
    }
}

proptest! {
    #![proptest_config(config())]

    /// A generated ESCO release (skills, occupations, occupation–skill and skill–skill
    /// relations, in the release's CSV shape, Italian) → the taxonomy: every label, kind,
    /// description, skill type, reuse level, ISCO group, code and relation as written.
    #[test]
    fn esco_release_is_stored_as_written(release in esco_release()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join("esco-v1.2.0");
        std::fs::create_dir_all(&folder).expect("mkdir");
        let skill_type_of = |index: usize| release.skills[index].skill_type.1;
        let mut skills = Vec::new();
        for (index, skill) in release.skills.iter().enumerate() {
            let (preferred, alternative, hidden) = skill.concept.cells();
            skills.push(vec![
                "KnowledgeSkillCompetence".to_string(),
                esco_skill_uri(index),
                skill.skill_type.1.to_string(),
                skill.reuse_level.1.to_string(),
                preferred,
                alternative,
                hidden,
                "released".to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                option_text(&skill.concept.description),
            ]);
        }
        write_csv(
            &folder.join("skills_it.csv"),
            &["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel",
              "altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote", "definition",
              "inScheme", "description"],
            &skills,
        );
        let mut occupations = Vec::new();
        for (index, occupation) in release.occupations.iter().enumerate() {
            let (preferred, alternative, hidden) = occupation.concept.cells();
            occupations.push(vec![
                "Occupation".to_string(),
                esco_occupation_uri(index),
                occupation.isco_group.clone(),
                preferred,
                alternative,
                hidden,
                "released".to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                option_text(&occupation.concept.description),
                format!("{}.{}", occupation.isco_group, occupation.code_suffix),
            ]);
        }
        write_csv(
            &folder.join("occupations_it.csv"),
            &["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
              "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote", "scopeNote",
              "definition", "inScheme", "description", "code"],
            &occupations,
        );
        write_csv(
            &folder.join("occupationSkillRelations.csv"),
            &["occupationUri", "relationType", "skillType", "skillUri"],
            &release
                .occupation_skills
                .iter()
                .map(|(occupation, skill, essential)| {
                    vec![
                        esco_occupation_uri(*occupation),
                        relation_type(*essential).to_string(),
                        skill_type_of(*skill).to_string(),
                        esco_skill_uri(*skill),
                    ]
                })
                .collect::<Vec<_>>(),
        );
        write_csv(
            &folder.join("skillSkillRelations.csv"),
            &["originalSkillUri", "originalSkillType", "relationType", "relatedSkillType",
              "relatedSkillUri"],
            &release
                .skill_skills
                .iter()
                .map(|(from, to, essential)| {
                    vec![
                        esco_skill_uri(*from),
                        skill_type_of(*from).to_string(),
                        relation_type(*essential).to_string(),
                        skill_type_of(*to).to_string(),
                        esco_skill_uri(*to),
                    ]
                })
                .collect::<Vec<_>>(),
        );
        let engine = anchored_engine();
        let report = engine
            .import_esco(&[folder], &EscoImportOptions::default(), &NoProgress)
            .expect("a valid release is accepted");
        prop_assert_eq!(report.version.as_deref(), Some("v1.2.0"));
        let taxonomy = engine.taxonomy().expect("taxonomy");
        prop_assert_eq!(taxonomy.skill_count(), release.skills.len());
        prop_assert_eq!(taxonomy.occupation_count(), release.occupations.len());
        let skill_idx = |index: usize| taxonomy.skill_idx(&esco_skill_uri(index)).expect("skill");
        for (index, skill) in release.skills.iter().enumerate() {
            let idx = skill_idx(index);
            prop_assert_eq!(taxonomy.preferred_label(idx, "it"), Some(skill.concept.labels[0].as_str()));
            prop_assert_eq!(sorted_labels(taxonomy.labels(idx)), skill.concept.expected_labels());
            prop_assert_eq!(taxonomy.description(idx, "it"), skill.concept.description.as_deref());
            prop_assert_eq!(taxonomy.skill_type(idx), skill.skill_type.0);
            prop_assert_eq!(taxonomy.reuse_level(idx), skill.reuse_level.0);
            let mut related: Vec<(SkillIdx, bool)> = taxonomy
                .related(idx)
                .iter()
                .map(|(to, essential)| (*to, *essential))
                .collect();
            related.sort_unstable();
            let mut expected: Vec<(SkillIdx, bool)> = release
                .skill_skills
                .iter()
                .filter(|(from, _, _)| *from == index)
                .map(|(_, to, essential)| (skill_idx(*to), *essential))
                .collect();
            expected.sort_unstable();
            prop_assert_eq!(related, expected);
        }
        for (index, occupation) in release.occupations.iter().enumerate() {
            let idx = taxonomy
                .occupation_idx(&esco_occupation_uri(index))
                .expect("occupation");
            prop_assert_eq!(
                taxonomy.occupation_label(idx, "it"),
                Some(occupation.concept.labels[0].as_str())
            );
            prop_assert_eq!(
                sorted_labels(taxonomy.occupation_labels(idx)),
                occupation.concept.expected_labels()
            );
            prop_assert_eq!(
                taxonomy.occupation_description(idx, "it"),
                occupation.concept.description.as_deref()
            );
            prop_assert_eq!(taxonomy.occupation_isco_group(idx), occupation.isco_group.as_str());
            let code = format!("{}.{}", occupation.isco_group, occupation.code_suffix);
            prop_assert_eq!(taxonomy.occupation_code(idx), code.as_str());
            let mut skills: Vec<(SkillIdx, bool)> = taxonomy
                .occupation_skills(idx)
                .iter()
                .map(|(skill, essential)| (*skill, *essential))
                .collect();
            skills.sort_unstable();
            let mut expected: Vec<(SkillIdx, bool)> = release
                .occupation_skills
                .iter()
                .filter(|(of, _, _)| *of == index)
                .map(|(_, skill, essential)| (skill_idx(*skill), *essential))
                .collect();
            expected.sort_unstable();
            prop_assert_eq!(skills, expected);
        }
    }
}
