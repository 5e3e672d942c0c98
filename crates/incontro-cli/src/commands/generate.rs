//! `incontro generate …`: synthetic data for tests and benchmarks.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use incontro_core::output::OutputFile;
use incontro_core::outreach::{generate_cob_with_contacts, CobGeneratorConfig};

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
            let stats = generate_cob_with_contacts(
                &CobGeneratorConfig::new(people, seed),
                &mut file,
                contacts_file.as_mut(),
            )?;
            file.commit()?;
            if let Some(contacts_file) = contacts_file {
                contacts_file.commit()?;
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
