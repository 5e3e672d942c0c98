//! One module per command family; each owns its clap arguments.

use std::path::Path;

use clap::Subcommand;

mod import;
mod stats;

/// The commands of `incontro`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import data: the ESCO taxonomy, the demo dataset, entities, courses, COB notices.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Counts per entity, taxonomy version and languages.
    Stats(stats::StatsArgs),
}

/// Runs one command.
pub fn run(command: Command, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    match command {
        Command::Import(import) => import::run(import, data_dir, quiet),
        Command::Stats(args) => stats::run(args, data_dir),
    }
}
