//! `incontro report fairness` and `incontro report system-card`: the bias figures of the
//! rankings and the generated technical documentation (issue 18).

use std::path::{Path, PathBuf};

use clap::Args;
use incontro_core::fairness::{FairnessQuery, SystemCardOptions};

/// Arguments of `incontro report fairness`.
#[derive(Debug, Args)]
pub struct FairnessArgs {
    /// Comuni of the area: Belfiore codes or names, comma-separated (default: everywhere).
    #[arg(long, value_delimiter = ',')]
    comuni: Vec<String>,
    /// Length of each ranked list.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Output folder for the CSV tables and SVG charts.
    #[arg(long)]
    out: PathBuf,
    /// Also the outreach coverage of this campaign by sex, age band, citizenship and disability
    /// (`copertura_contatti.csv` and `.svg`).
    #[arg(long)]
    campaign: Option<String>,
}

/// Runs `incontro report fairness`.
pub fn run_fairness(args: FairnessArgs, data_dir: &Path) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    let query = FairnessQuery {
        comuni: super::training::resolve_comuni(&engine, &args.comuni)?,
        k: args.k,
    };
    let report = engine.fairness_report(&query)?;
    let mut written = report.write_to(&args.out)?;
    print!("{}", report.table_it());
    if let Some(campaign) = &args.campaign {
        let coverage = engine.outreach_coverage(campaign)?;
        println!("\nCopertura dei contatti — campagna {campaign}");
        println!(
            "{:<12} {:<16} {:>11} {:>8} {:>8} {:>10} {:>8} {:>5}",
            "dim.", "gruppo", "selezionate", "chiamate", "risposto", "in carico", "inserite", "4/5"
        );
        for row in &coverage.rows {
            println!(
                "{:<12} {:<16} {:>11} {:>8} {:>8} {:>10} {:>8} {:>5}",
                row.dimension,
                row.group,
                row.selected,
                row.called,
                row.answered,
                row.taken_in_charge,
                row.placed,
                if row.four_fifths_flag { "sì" } else { "no" }
            );
        }
        written.extend(coverage.write_to(&args.out)?);
    }
    println!();
    for path in written {
        println!("scritto {}", path.display());
    }
    Ok(())
}

/// Arguments of `incontro report system-card`.
#[derive(Debug, Args)]
pub struct SystemCardArgs {
    /// The Markdown file to write.
    #[arg(long)]
    out: PathBuf,
    /// Length of each ranked list in the measured figures.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Suggestion queries drawn from the taxonomy for the measured suggestion quality (0: skip).
    #[arg(long, default_value_t = 200)]
    suggestion_queries: usize,
}

/// Runs `incontro report system-card`.
pub fn run_system_card(args: SystemCardArgs, data_dir: &Path) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    let options = SystemCardOptions {
        k: args.k,
        suggestion_queries: args.suggestion_queries,
    };
    let card = engine.system_card(&options)?;
    std::fs::write(&args.out, &card)
        .map_err(|error| anyhow::anyhow!("{}: {error}", args.out.display()))?;
    println!("scritto {}", args.out.display());
    Ok(())
}
