//! One module per command family; each owns its clap arguments.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use clap::Subcommand;

mod accounts;
mod fairness;
mod generate;
mod import;
mod keys;
mod matching;
mod outreach;
mod serve;
mod stats;
mod suggest;
mod tour;
mod trace;
mod training;

/// The commands of `incontro`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import data: the ESCO taxonomy, the demo dataset, entities, courses, COB notices.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Batch matching: the top vacancies for every worker of a CSV file.
    Match(matching::MatchArgs),
    /// Cob23 outreach: cohort, call lists, outcomes, funnel, retention purge.
    #[command(subcommand)]
    Outreach(outreach::OutreachCommand),
    /// Generate synthetic data (COB notices).
    #[command(subcommand)]
    Generate(generate::GenerateCommand),
    /// Counts per entity, taxonomy version and languages.
    Stats(stats::StatsArgs),
    /// The main job on the demo data: loads it into an empty data directory, then shows a job
    /// seeker's competences, best vacancies with explanations, gap courses and candidates.
    Demo(tour::TourArgs),
    /// Suggest ESCO competences from a job ad or a CV (`--text`, `--file`), or from every line
    /// of a file (`--lines IN --out OUT.csv`); `suggest eval` measures their quality.
    Suggest(suggest::SuggestArgs),
    /// Training that closes gaps: course proposals and the courses that open most doors.
    #[command(subcommand)]
    Training(training::TrainingCommand),
    /// Reports: the competence demand of an area (CSV tables and SVG charts).
    #[command(subcommand)]
    Report(training::ReportCommand),
    /// The HTTP service (loads the demo data into an empty data directory).
    Serve(serve::ServeArgs),
    /// API keys of the HTTP service: create (token shown once), list, revoke.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Staff accounts of the console: create, list, reset-password, disable, enable (passwords
    /// from standard input).
    #[command(subcommand)]
    Accounts(accounts::AccountsCommand),
    /// Reproduce a ranking served, from the ranking log (`--log-id N`), or say why it cannot.
    Explain(trace::ExplainArgs),
    /// Delete what is past its retention: ranking log rows older than the office's retention
    /// (default 6 months) and outreach call lists past their campaign's retention date.
    Purge(trace::PurgeArgs),
}

/// The day given by `--today` / `INCONTRO_TODAY`, if any (set once by `main`).
static TODAY: OnceLock<Option<chrono::NaiveDate>> = OnceLock::new();

/// Records the global `--today` (called once, before any command runs).
pub fn set_today(day: Option<chrono::NaiveDate>) {
    let _ = TODAY.set(day);
}

/// The day given by `--today`, if any.
pub fn pinned_today() -> Option<chrono::NaiveDate> {
    TODAY.get().copied().flatten()
}

/// The database given by `--database` / `INCONTRO_DATABASE`, if any (set once by `main`).
static DATABASE: OnceLock<Option<String>> = OnceLock::new();

/// Records the global `--database` (called once, before any command runs).
pub fn set_database(url: Option<String>) {
    let _ = DATABASE.set(url);
}

/// The database given by `--database`, if any.
pub fn database_url() -> Option<String> {
    DATABASE.get().cloned().flatten()
}

/// The database the commands use: `--database`, or SQLite in `data_dir`.
pub fn database(data_dir: &Path) -> incontro_core::Result<incontro_core::DatabaseUrl> {
    match database_url() {
        Some(url) => incontro_core::DatabaseUrl::parse(&url),
        None => Ok(incontro_core::DatabaseUrl::in_dir(data_dir)),
    }
}

/// Opens the engine over `data_dir` (or `--database`), on the clock `--today` asked for.
pub fn open_engine(data_dir: &Path) -> incontro_core::Result<incontro_core::Engine> {
    let engine = incontro_core::Engine::open_with(data_dir, &database(data_dir)?)?;
    Ok(match pinned_today() {
        Some(day) => engine.with_clock(Arc::new(incontro_core::clock::ShiftedClock::to_day(day))),
        None => engine,
    })
}

/// Runs one command.
pub fn run(command: Command, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    match command {
        Command::Import(import) => import::run(import, data_dir, quiet),
        Command::Match(args) => matching::run(args, data_dir, quiet),
        Command::Outreach(command) => outreach::run(command, data_dir, quiet),
        Command::Generate(command) => generate::run(command),
        Command::Stats(args) => stats::run(args, data_dir),
        Command::Demo(args) => tour::run(args, data_dir, quiet),
        Command::Suggest(args) => suggest::run(args, data_dir, quiet),
        Command::Training(command) => training::run(command, data_dir),
        Command::Report(command) => training::run_report(command, data_dir, quiet),
        Command::Serve(args) => serve::run(args, data_dir),
        Command::Keys(command) => keys::run(command, data_dir),
        Command::Accounts(command) => accounts::run(command, data_dir),
        Command::Explain(args) => trace::explain(args, data_dir),
        Command::Purge(args) => trace::purge(args, data_dir),
    }
}
