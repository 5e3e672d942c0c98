//! One module per command family; each owns its clap arguments.

use std::path::Path;

use clap::Subcommand;

mod import;
mod keys;
mod matching;
mod serve;
mod stats;
mod tour;

/// The commands of `incontro`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import data: the ESCO taxonomy, the demo dataset, entities, courses, COB notices.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Batch matching: the top vacancies for every worker of a CSV file.
    Match(matching::MatchArgs),
    /// Counts per entity, taxonomy version and languages.
    Stats(stats::StatsArgs),
    /// The main job on the demo data: loads it into an empty data directory, then shows a job
    /// seeker's competences, best vacancies with explanations, gap courses and candidates.
    Demo(tour::TourArgs),
    /// The HTTP service (loads the demo data into an empty data directory).
    Serve(serve::ServeArgs),
    /// API keys of the HTTP service: create (token shown once), list, revoke.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
}

/// Runs one command.
pub fn run(command: Command, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    match command {
        Command::Import(import) => import::run(import, data_dir, quiet),
        Command::Match(args) => matching::run(args, data_dir, quiet),
        Command::Stats(args) => stats::run(args, data_dir),
        Command::Demo(args) => tour::run(args, data_dir, quiet),
        Command::Serve(args) => serve::run(args, data_dir),
        Command::Keys(command) => keys::run(command, data_dir),
    }
}
