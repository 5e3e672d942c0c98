//! `incontro import …`

use std::path::{Path, PathBuf};

use clap::Subcommand;
use incontro_core::input::{Encoding, TextOptions};
use incontro_core::records::{ImportOptions, ImportReport, RecordFiles};
use incontro_core::taxonomy::{EscoImportOptions, EscoImportReport};

use crate::progress::Bar;

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import the official ESCO CSV release (zip files or extracted folders), any languages.
    Esco {
        /// Zip files or folders of the ESCO release.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Import the valid rows and list the invalid ones, instead of importing nothing.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Import the bundled demo dataset (a small world around Lucca). Idempotent.
    Demo,
    /// Import COB notices (CSV, or JSON lines for .jsonl/.ndjson/.json) with UniLav or regional
    /// column names. Idempotent by CodiceComunicazione.
    Cob {
        /// The file.
        file: PathBuf,
        /// Import the valid notices and list the invalid ones, instead of importing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// Character encoding of the file: utf-8 (default) or windows-1252.
        #[arg(long, default_value = "utf-8")]
        encoding: Encoding,
    },
    /// Import COB code tables (scheme,code,label_it,valid_from,valid_to), e.g. data/cob_codes.csv.
    CobCodes {
        /// The file.
        file: PathBuf,
    },
    /// Import a list of comuni: ISTAT's "Elenco comuni italiani" as downloaded (`;`, UTF-8 or
    /// Windows-1252, its own headers) or `codice_catastale;codice_istat;denominazione;
    /// sigla_provincia;lat;lon` (docs/formats.md). Coordinates the file lacks keep the stored ones.
    Comuni {
        /// The file.
        file: PathBuf,
        /// Character encoding: utf-8 or windows-1252 (default: detected).
        #[arg(long)]
        encoding: Option<Encoding>,
    },
    /// Import a label list shown in words by the console: `provincia` (sigla;nome), `ateco` or
    /// `cp2011` (code;label, or ISTAT's tables with their headers).
    Codes {
        /// The list: provincia, ateco or cp2011.
        list: String,
        /// The file.
        file: PathBuf,
    },
    /// Import contacts (columns `codice_fiscale,kind,value,source,observed_on[,display_name][,do_not_contact]`).
    Contacts {
        /// The file.
        file: PathBuf,
        /// Import the valid rows and list the invalid ones, instead of importing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// Character encoding of the file: utf-8 (default) or windows-1252.
        #[arg(long, default_value = "utf-8")]
        encoding: Encoding,
    },
    /// Import records from a folder of CSV files, or a zip archive of them (companies.csv,
    /// vacancies.csv, requirements.csv, job_seekers.csv, competences.csv, work_history.csv,
    /// courses.csv, course_skills.csv, courses.json, comuni.csv, cp2011_isco.csv: any subset;
    /// see docs/formats.md).
    Records {
        /// The folder, or a `.zip` archive holding the files (in any of its folders).
        dir: PathBuf,
        /// Import the valid rows and list the invalid ones, instead of importing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// Character encoding of the file: utf-8 (default) or windows-1252.
        #[arg(long, default_value = "utf-8")]
        encoding: Encoding,
    },
}

/// Runs an import.
pub fn run(command: ImportCommand, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    match command {
        ImportCommand::Esco {
            paths,
            skip_invalid,
        } => {
            let engine = super::open_engine(data_dir)?;
            let options = EscoImportOptions {
                skip_invalid,
                ..Default::default()
            };
            let progress = Bar::new(quiet);
            let report = match engine.import_esco(&paths, &options, &progress) {
                Ok(report) => report,
                Err(incontro_core::Error::InvalidInput { problems }) => {
                    for problem in &problems {
                        eprintln!("{problem}");
                    }
                    anyhow::bail!(
                        "{} problem(s) in the esco files, nothing imported (use --skip-invalid to import the valid rows)",
                        problems.len()
                    );
                }
                Err(error) => return Err(error.into()),
            };
            print_esco_report(&report);
            Ok(())
        }
        ImportCommand::Demo => {
            let engine = super::open_engine(data_dir)?;
            let report = report_problems(engine.import_demo(&Bar::new(quiet)))?;
            print_records_report(&report);
            Ok(())
        }
        ImportCommand::Cob {
            file,
            skip_invalid,
            encoding,
        } => {
            let engine = super::open_engine(data_dir)?;
            let options = incontro_core::outreach::CobImportOptions {
                skip_invalid,
                text: TextOptions::with_encoding(encoding),
                ..Default::default()
            };
            let report = report_problems(engine.import_cob(&file, &options, &Bar::new(quiet)))?;
            println!("  {:<28} {:>9}", "rows", report.rows);
            println!("  {:<28} {:>9}", "notices stored", report.inserted);
            println!("  {:<28} {:>9}", "already stored", report.already_present);
            println!("  {:<28} {:>9}", "rows skipped", report.skipped_rows);
            if report.without_hiring > 0 {
                println!(
                    "  {:<28} {:>9}   (hiring before the file: a period extract)",
                    "notices without hiring", report.without_hiring
                );
            }
            if report.unresolved_references > 0 {
                println!(
                    "  {:<28} {:>9}   (rettifiche of notices before the file)",
                    "references outside", report.unresolved_references
                );
            }
            if report.placements_confirmed > 0 {
                println!(
                    "  {:<28} {:>9}",
                    "placements confirmed", report.placements_confirmed
                );
            }
            println!("  {:<28} {:>8.2}s", "elapsed", report.elapsed.as_secs_f64());
            if !report.ignored_columns.is_empty() {
                println!("  ignored columns: {}", report.ignored_columns.join(", "));
            }
            for problem in &report.skipped {
                eprintln!("skipped: {problem}");
            }
            Ok(())
        }
        ImportCommand::CobCodes { file } => {
            let engine = super::open_engine(data_dir)?;
            let count = report_problems(engine.import_cob_codes(&file))?;
            println!("  {:<28} {:>9}", "code entries", count);
            Ok(())
        }
        ImportCommand::Comuni { file, encoding } => {
            let engine = super::open_engine(data_dir)?;
            let report = report_all_or_nothing(engine.import_comuni(&file, encoding))?;
            println!("  {:<28} {:>9}", "comuni", report.comuni);
            println!(
                "  {:<28} {:>9}",
                "with coordinates", report.with_coordinates
            );
            println!(
                "  layout: {}, encoding: {}",
                if report.istat_layout {
                    "ISTAT"
                } else {
                    "incontro"
                },
                match report.encoding {
                    Encoding::Utf8 => "utf-8",
                    Encoding::Windows1252 => "windows-1252",
                }
            );
            Ok(())
        }
        ImportCommand::Codes { list, file } => {
            let engine = super::open_engine(data_dir)?;
            let list = incontro_core::vocabulary::CodeList::parse(&list)?;
            let count = report_all_or_nothing(engine.import_code_labels(list, &file))?;
            println!("  {:<28} {:>9}", list.as_str(), count);
            Ok(())
        }
        ImportCommand::Contacts {
            file,
            skip_invalid,
            encoding,
        } => {
            let engine = super::open_engine(data_dir)?;
            let options = incontro_core::outreach::ContactImportOptions {
                skip_invalid,
                text: TextOptions::with_encoding(encoding),
            };
            let report = report_problems(engine.import_contacts(&file, &options))?;
            println!("  {:<28} {:>9}", "contacts", report.contacts);
            println!("  {:<28} {:>9}", "names", report.names);
            println!("  {:<28} {:>9}", "do not contact", report.do_not_contact);
            for problem in &report.skipped {
                eprintln!("skipped: {problem}");
            }
            Ok(())
        }
        ImportCommand::Records {
            dir,
            skip_invalid,
            encoding,
        } => {
            // A folder of record files, or a zip archive of them (an export, an upload).
            let is_zip = dir.is_file()
                && dir
                    .extension()
                    .is_some_and(|extension| extension.eq_ignore_ascii_case("zip"));
            let found = if is_zip {
                let name = dir
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let file = std::fs::File::open(&dir)
                    .map_err(|error| anyhow::anyhow!("{}: {error}", dir.display()))?;
                RecordFiles::from_zip(&name, file)?
            } else {
                RecordFiles::from_dir(&dir)?
            };
            let files = RecordFiles {
                text: TextOptions::with_encoding(encoding),
                ..found
            };
            let engine = super::open_engine(data_dir)?;
            let report =
                report_problems(engine.import_records(&files, &ImportOptions { skip_invalid }))?;
            print_records_report(&report);
            Ok(())
        }
    }
}

/// Like [`report_problems`], for the imports that have no `--skip-invalid` (lists of comuni and
/// labels: a list is imported whole or not at all).
fn report_all_or_nothing<T>(result: incontro_core::Result<T>) -> anyhow::Result<T> {
    match result {
        Ok(value) => Ok(value),
        Err(incontro_core::Error::InvalidInput { problems }) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            anyhow::bail!(
                "{} problem(s) in the input, nothing imported",
                problems.len()
            )
        }
        Err(other) => Err(other.into()),
    }
}

fn report_problems<T>(result: incontro_core::Result<T>) -> anyhow::Result<T> {
    match result {
        Ok(value) => Ok(value),
        Err(incontro_core::Error::InvalidInput { problems }) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            anyhow::bail!(
                "{} problem(s) in the input, nothing imported (use --skip-invalid to import the valid rows)",
                problems.len()
            )
        }
        Err(error) => Err(error.into()),
    }
}

fn print_records_report(report: &ImportReport) {
    for (kind, count) in &report.imported {
        println!("  {kind:<28} {count:>9}");
    }
    if report.unchecked_uris > 0 {
        println!(
            "  {:<28} {:>9}",
            "skill URIs not checked", report.unchecked_uris
        );
    }
    for problem in &report.skipped {
        eprintln!("skipped: {problem}");
    }
}

fn print_esco_report(report: &EscoImportReport) {
    println!(
        "ESCO {} ({})",
        report.version.as_deref().unwrap_or("version unknown"),
        report.languages.join(", ")
    );
    let rows = [
        ("skills", report.skills),
        ("skill groups", report.skill_groups),
        ("occupations", report.occupations),
        ("ISCO groups", report.isco_groups),
        (
            "occupation-skill relations",
            report.occupation_skill_relations,
        ),
        ("broader relations", report.broader_relations),
        ("skill-skill relations", report.skill_skill_relations),
        ("skipped rows", report.skipped.len() as u64),
    ];
    for (name, count) in rows {
        println!("  {name:<28} {count:>9}");
    }
    println!("  {:<28} {:>8.2}s", "elapsed", report.elapsed.as_secs_f64());
    for problem in &report.skipped {
        eprintln!("skipped: {problem}");
    }
}
