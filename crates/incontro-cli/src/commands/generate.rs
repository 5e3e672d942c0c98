//! `incontro generate …`: synthetic data for tests and benchmarks.

use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;
use incontro_core::output::OutputFile;
use incontro_core::outreach::{
    generate_cob_with_contacts, write_truth, CobGeneratorConfig, TruthWindow,
};

/// What to generate.
#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// Synthetic COB notices: Milan's metropolitan area over 2022–2024 (about 5 notices per
    /// person), valid codici fiscali, rettifiche and annullamenti.
    Cob {
        /// Number of people.
        #[arg(long)]
        people: usize,
        /// Output CSV file.
        #[arg(long)]
        out: PathBuf,
        /// Also write a contacts file (mobile for ~70% of people, 1% do-not-contact).
        #[arg(long)]
        contacts: Option<PathBuf>,
        /// Random seed.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Write a period extract: only the notices sent from this day (YYYY-MM-DD) to the end
        /// of the history (2024-12-31), as a region's extract cut out of a longer history.
        #[arg(long)]
        extract_from: Option<NaiveDate>,
        /// Also write the true list of people to call (computed from the true jobs, not from
        /// the notices): `codice_fiscale,reference_end,last_job_end,in_file`.
        #[arg(long)]
        truth: Option<PathBuf>,
        /// The true list's window: first day a job may have ended.
        #[arg(long, default_value = "2024-01-01")]
        ended_from: NaiveDate,
        /// The true list's window: last day a job may have ended.
        #[arg(long, default_value = "2024-06-30")]
        ended_to: NaiveDate,
        /// The true list's reference day.
        #[arg(long, default_value = "2024-12-31")]
        as_of: NaiveDate,
    },
}

/// Runs a generator.
pub fn run(command: GenerateCommand) -> anyhow::Result<()> {
    match command {
        GenerateCommand::Cob {
            people,
            out,
            contacts,
            seed,
            extract_from,
            truth,
            ended_from,
            ended_to,
            as_of,
        } => {
            let mut file =
                OutputFile::create(&out).with_context(|| format!("creating {}", out.display()))?;
            let mut contacts_file = match &contacts {
                Some(path) => Some(
                    OutputFile::create(path)
                        .with_context(|| format!("creating {}", path.display()))?,
                ),
                None => None,
            };
            let config = CobGeneratorConfig {
                extract_from,
                truth: truth.as_ref().map(|_| TruthWindow {
                    ended_from,
                    ended_to,
                    as_of,
                }),
                ..CobGeneratorConfig::new(people, seed)
            };
            let stats = generate_cob_with_contacts(&config, &mut file, contacts_file.as_mut())?;
            file.commit()?;
            if let Some(contacts_file) = contacts_file {
                contacts_file.commit()?;
            }
            if let Some(path) = &truth {
                let mut truth_file = OutputFile::create(path)
                    .with_context(|| format!("creating {}", path.display()))?;
                write_truth(&stats.truth, &mut truth_file)?;
                truth_file.commit()?;
                println!(
                    "{}: {} people to call ({} with a notice of the job that ended in the file)",
                    path.display(),
                    stats.truth.len(),
                    stats.truth.iter().filter(|entry| entry.in_file).count()
                );
            }
            println!(
                "{}: {} people, {} notices ({} rettifiche, {} annullamenti, {} tirocini)",
                out.display(),
                stats.people,
                stats.notices,
                stats.rettifiche,
                stats.annullamenti,
                stats.tirocini
            );
            Ok(())
        }
    }
}
