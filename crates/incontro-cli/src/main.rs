//! The `incontro` command-line tool.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's allocator: the service allocates many short-lived buffers per
/// request (explanations, JSON bodies) from several threads; see the README's Performance section.
/// Built with `no_thp` (workspace Cargo.toml): mimalloc otherwise asks for transparent huge pages
/// on its segments, and the kernel then grows the resident set 2 MiB at a time (khugepaged fills
/// a huge page around a few used pages), which made the soak's RSS swing by tens of MiB (README,
/// "Why RSS grew").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod commands;
#[allow(dead_code)]
mod progress;

/// Incontro: skills-based job matching for public employment services.
#[derive(Debug, Parser)]
#[command(name = "incontro", version, about, long_about = None)]
struct Cli {
    /// Data directory (SQLite database and search indexes).
    #[arg(
        long,
        global = true,
        env = "INCONTRO_DATA_DIR",
        default_value = "./incontro-data"
    )]
    data_dir: PathBuf,

    /// The database: `sqlite:///path/to/dir` or `postgres://user@host/db` (default: SQLite in
    /// the data directory). Every command works on both; replicas share one PostgreSQL.
    #[arg(long, global = true, env = "INCONTRO_DATABASE", value_name = "URL")]
    database: Option<String>,

    /// Hide progress bars.
    #[arg(long, global = true)]
    quiet: bool,

    /// Run as if today were this day (YYYY-MM-DD): open vacancies, cohorts, course dates and the
    /// demo's dates follow it. Default: the machine's clock.
    #[arg(long, global = true, env = "INCONTRO_TODAY", value_name = "YYYY-MM-DD")]
    today: Option<chrono::NaiveDate>,

    #[command(subcommand)]
    command: commands::Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    incontro_cli_logging();
    commands::set_today(cli.today);
    commands::set_database(cli.database.clone());
    match commands::run(cli.command, &cli.data_dir, cli.quiet) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn incontro_cli_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("INCONTRO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
