//! Faithful import (issue 21): a generated valid file is imported and what the store holds is
//! compared field by field with what the file says. Incontro has no exporter for the files it
//! imports (records, COB, contacts), so the comparison is against the stored rows read back
//! through the engine (`get_company`, `contact_book`) and, for COB notices, as the rows of the
//! `cob_notice` table. Values are generated with the
//! characters a regional export carries: accents, commas, quotes and apostrophes in names.
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
