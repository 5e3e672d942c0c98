//! `incontro migrate --to postgres://…`: moving an office's embedded store up to PostgreSQL.

use std::path::Path;

use clap::Args;

/// Arguments of `incontro migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The empty PostgreSQL database to copy the data directory's store into
    /// (`postgres://user@host/db`).
    #[arg(long, value_name = "URL")]
    to: String,
}

/// Copies the embedded store of `data_dir` into the database of `--to`.
pub fn run(args: MigrateArgs, data_dir: &Path) -> anyhow::Result<()> {
    let target = incontro_core::DatabaseUrl::parse(&args.to)?;
    let incontro_core::DatabaseUrl::Postgres(url) = &target else {
        anyhow::bail!("--to takes a postgres:// URL (the embedded store is the source)");
    };
    if super::database_url().is_some() {
        anyhow::bail!(
            "the source of a move is the data directory's embedded store: drop --database"
        );
    }
    let engine = incontro_core::Engine::open(data_dir)?;
    let started = std::time::Instant::now();
    eprintln!(
        "incontro: copying {} into {target} (one transaction)",
        engine.database_location()
    );
    let report = engine.move_to_postgres(url)?;
    println!("{:<28} {:>10}", "table", "rows");
    for (table, rows) in &report.tables {
        if *rows > 0 {
            println!("{table:<28} {rows:>10}");
        }
    }
    println!("{:<28} {:>10}", "total (counts verified)", report.rows());
    eprintln!(
        "incontro: moved in {:.2}s; start the service with --database {target}",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
