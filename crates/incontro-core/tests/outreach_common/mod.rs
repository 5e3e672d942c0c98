//! Helpers shared by the outreach integration tests: notice rows, files, an engine with the code
//! tables.
// Each test binary uses a part of these helpers and of the imports re-exported for them.
#![allow(dead_code, unused_imports)]

pub use std::collections::HashSet;
pub use std::path::{Path, PathBuf};

pub use chrono::NaiveDate;
pub use incontro_core::model::{CodiceFiscale, OccupationCode, PartitaIva};
pub use incontro_core::outreach::{
    generate_cob, AttemptDetails, CallResult, CampaignSpec, CobGeneratorConfig, CobImportOptions,
    CohortRule, ContactImportOptions, Milestone, Operator,
};
pub use incontro_core::{Engine, Error, NoProgress};

pub const HEADER: &str = "CodiceComunicazione,CodiceComunicazionePrecedente,TipoComunicazione,TipoEvento,DataInvio,CodFiscaleLavoratore,Sesso,DataNascita,ComuneDomicilio,CodFiscaleDatore,DataInizio,DataFine,DataFineProroga,DataTrasformazione,CodTrasformazione,DataCessazione,CodCausa,TipologiaContrattuale,QualificaProfessionaleIstat,Settore,ComuneSedeLavoro";

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
}

/// A valid personal codice fiscale; `female` adds 40 to the day of birth.
pub fn person(letters: &str, female: bool) -> String {
    let day = if female { 41 } else { 1 };
    CodiceFiscale::complete(&format!("{letters}80A{day:02}F205"))
        .expect("cf")
        .as_str()
        .to_string()
}

pub fn employer(n: u32) -> String {
    PartitaIva::complete(&format!("{:010}", 1_234_500_000 + n))
        .expect("piva")
        .as_str()
        .to_string()
}

/// One notice row.
#[derive(Clone, Default)]
pub struct Row {
    pub code: String,
    pub previous: String,
    pub kind: &'static str,
    pub event: &'static str,
    pub sent: &'static str,
    pub worker: String,
    pub sex: &'static str,
    pub birth: &'static str,
    pub employer: String,
    pub start: &'static str,
    pub end: &'static str,
    pub extension: &'static str,
    pub trs_date: &'static str,
    pub trs: &'static str,
    pub ces_date: &'static str,
    pub reason: &'static str,
    pub contract: &'static str,
}

impl Row {
    pub fn csv(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{},F205,{},{},{},{},{},{},{},{},{},5.1.2.2.0.1,47.11.10,F205",
            self.code,
            self.previous,
            if self.kind.is_empty() {
                "01"
            } else {
                self.kind
            },
            self.event,
            self.sent,
            self.worker,
            if self.sex.is_empty() { "F" } else { self.sex },
            if self.birth.is_empty() {
                "1980-01-01"
            } else {
                self.birth
            },
            self.employer,
            self.start,
            self.end,
            self.extension,
            self.trs_date,
            self.trs,
            self.ces_date,
            self.reason,
            self.contract,
        )
    }
}

pub fn hire(
    code: &str,
    worker: &str,
    employer: &str,
    start: &'static str,
    end: &'static str,
) -> Row {
    Row {
        code: code.into(),
        event: "ASS",
        sent: start,
        worker: worker.into(),
        employer: employer.into(),
        start,
        end,
        contract: if end.is_empty() { "A.01.00" } else { "A.02.00" },
        ..Row::default()
    }
}

pub fn cessazione(
    code: &str,
    worker: &str,
    employer: &str,
    start: &'static str,
    on: &'static str,
    reason: &'static str,
) -> Row {
    Row {
        code: code.into(),
        event: "CES",
        sent: on,
        worker: worker.into(),
        employer: employer.into(),
        start,
        ces_date: on,
        reason,
        ..Row::default()
    }
}

pub struct Files {
    pub dir: tempfile::TempDir,
}

impl Files {
    pub fn new() -> Self {
        Files {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }
    pub fn cob(&self, name: &str, rows: &[Row]) -> PathBuf {
        let mut text = format!("{HEADER}\n");
        for row in rows {
            text.push_str(&row.csv());
            text.push('\n');
        }
        self.write(name, &text)
    }
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    }
}

pub fn codes_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cob_codes.csv")
}

/// The suites' engine with the COB code tables: on a fresh PostgreSQL database when
/// `INCONTRO_TEST_POSTGRES` is set (CI runs these suites on both backends), in memory otherwise.
pub fn engine() -> Engine {
    let engine = incontro_core::testing::engine_on_day(incontro_core::records::DEMO_ANCHOR);
    engine.import_cob_codes(&codes_file()).expect("codes");
    engine
}

pub fn import(
    engine: &Engine,
    path: &Path,
) -> incontro_core::Result<incontro_core::outreach::CobImportReport> {
    engine.import_cob(path, &CobImportOptions::default(), &NoProgress)
}

pub fn problems(result: incontro_core::Result<impl std::fmt::Debug>) -> Vec<String> {
    match result {
        Err(Error::InvalidInput { problems }) => problems.iter().map(|p| p.to_string()).collect(),
        other => panic!("expected input problems, got {other:?}"),
    }
}
