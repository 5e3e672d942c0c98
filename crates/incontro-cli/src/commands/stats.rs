//! `incontro stats`

use std::path::Path;

use clap::Args;

/// Arguments of `incontro stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Prints the counts.
pub fn run(args: StatsArgs, data_dir: &Path) -> anyhow::Result<()> {
    let engine = incontro_core::Engine::open(data_dir)?;
    let _ = (args.json, engine);
    Ok(())
}
