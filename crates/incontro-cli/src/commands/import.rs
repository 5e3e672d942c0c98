//! `incontro import …`

use std::path::{Path, PathBuf};

use clap::Subcommand;

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import the official ESCO CSV release (zip files or extracted folders), any languages.
    Esco {
        /// Zip files or folders of the ESCO release.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// Runs an import.
pub fn run(command: ImportCommand, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    let _ = (data_dir, quiet);
    match command {
        ImportCommand::Esco { paths } => {
            anyhow::bail!("esco import of {} path(s) is not wired yet", paths.len())
        }
    }
}
