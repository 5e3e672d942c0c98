//! `incontro serve`: the HTTP service.

use std::path::{Path, PathBuf};

use clap::Args;
use incontro_server::{ConfigLayer, ServerConfig};

/// Arguments of `incontro serve` (each overrides the config file and the environment).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// TOML config file (unknown keys are refused).
    #[arg(long, env = "INCONTRO_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
    #[arg(long)]
    bind: Option<String>,
    /// actix-web worker threads.
    #[arg(long)]
    workers: Option<usize>,
    /// Engine calls running at once (the bounded CPU pool).
    #[arg(long)]
    pool_size: Option<usize>,
    /// Largest JSON body in bytes.
    #[arg(long)]
    body_limit_bytes: Option<usize>,
    /// Time allowed for one engine call, in milliseconds.
    #[arg(long)]
    request_timeout_ms: Option<u64>,
    /// Time allowed for a client to send the request head, in milliseconds.
    #[arg(long)]
    client_timeout_ms: Option<u64>,
    /// Time allowed for a client to send a request body, in milliseconds.
    #[arg(long)]
    body_timeout_ms: Option<u64>,
    /// Connections one address may hold while using the public booking pages.
    #[arg(long)]
    public_connections_per_address: Option<usize>,
    /// Offices whose vacancies every office sees in matching, comma-separated (e.g. PT,MS).
    #[arg(long)]
    shared_vacancy_offices: Option<String>,
    /// Largest page size.
    #[arg(long)]
    max_page_size: Option<usize>,
    /// Largest k of a matching query.
    #[arg(long)]
    max_k: Option<usize>,
    /// Do not load the demo dataset into an empty data directory.
    #[arg(long)]
    no_demo: bool,
}

/// The data directory counts as a flag only when it was given (`--data-dir` or
/// `INCONTRO_DATA_DIR`); the global option's default must not hide the config file's value.
fn explicit_data_dir(data_dir: &Path) -> Option<PathBuf> {
    let is_default =
        data_dir == Path::new("./incontro-data") && std::env::var_os("INCONTRO_DATA_DIR").is_none();
    (!is_default).then(|| data_dir.to_path_buf())
}

/// Starts the service and blocks until it stops.
pub fn run(args: ServeArgs, data_dir: &Path) -> anyhow::Result<()> {
    let flags = ConfigLayer {
        bind: args.bind,
        data_dir: explicit_data_dir(data_dir),
        database: super::database_url(),
        workers: args.workers,
        pool_size: args.pool_size,
        body_limit_bytes: args.body_limit_bytes,
        request_timeout_ms: args.request_timeout_ms,
        client_timeout_ms: args.client_timeout_ms,
        body_timeout_ms: args.body_timeout_ms,
        public_connections_per_address: args.public_connections_per_address,
        shared_vacancy_offices: args
            .shared_vacancy_offices
            .as_deref()
            .map(incontro_server::config::office_list),
        max_page_size: args.max_page_size,
        max_k: args.max_k,
        load_demo_if_empty: args.no_demo.then_some(false),
        ranking_log_retention_months: None,
        revision_reuse_ms: None,
    };
    let mut config = ServerConfig::load(
        args.config.as_deref(),
        &|name| std::env::var(name).ok(),
        flags,
    )?;
    config.today = super::pinned_today();
    match &config.database {
        Some(url) => eprintln!(
            "incontro: opening {} (data directory {})",
            incontro_core::DatabaseUrl::parse(url)?,
            config.data_dir.display()
        ),
        None => eprintln!("incontro: opening {}", config.data_dir.display()),
    }
    incontro_server::serve(config, |port| {
        // Parsed by scripts and tests: keep the format.
        println!("incontro: listening on port {port}");
    })?;
    Ok(())
}
