//! `incontro match`: the batch matcher over CSV files.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use incontro_core::scoring::batch::{run_csv_timed, BatchTimings, RelatedSkills};
use incontro_core::scoring::{ScoringConfig, SkillGraph};

use crate::progress::Bar;

/// Arguments of `incontro match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Workers CSV: `worker_id,skill_uri,level` (rows of one worker consecutive).
    #[arg(long, required_unless_present = "all")]
    workers: Option<PathBuf>,
    /// Vacancies CSV: `vacancy_id,skill_uri,level,essential`.
    #[arg(long, required_unless_present = "all")]
    vacancies: Option<PathBuf>,
    /// Match every stored job seeker against every open stored vacancy instead of CSV files.
    #[arg(long, conflicts_with_all = ["workers", "vacancies"])]
    all: bool,
    /// With `--all`: only shard I of N of the job seekers (`--shard 2/4`), so that N machines
    /// share the nightly batch; the union of the N outputs is the unsharded output.
    #[arg(long, requires = "all", value_name = "I/N")]
    shard: Option<String>,
    /// How many vacancies per worker.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Exact coverage only (no related credit, no specificity, no essential factor).
    #[arg(long)]
    exact: bool,
    /// Default mode: credit factor of a related competence, in [0, 1].
    #[arg(long, default_value_t = 0.2)]
    related_discount: f32,
    /// Default mode: do not weigh requirements by ESCO reuse level.
    #[arg(long)]
    no_specificity: bool,
    /// Default mode: do not multiply by the essential-coverage factor.
    #[arg(long)]
    no_essential_factor: bool,
    /// Default mode: count skills under the same ESCO skill group as related whatever the
    /// group's size (by default only groups of at most 40 skills).
    #[arg(long)]
    with_skill_groups: bool,
    /// Output CSV: `worker_id,rank,vacancy_id,score`.
    #[arg(long)]
    out: PathBuf,
    /// Print where the time went (reading, parsing, scoring kernel, top-k, formatting, writing)
    /// to standard error. CSV files only.
    #[arg(long)]
    timings: bool,
}

/// The taxonomy graph with a URI lookup.
struct TaxonomyGraph {
    graph: SkillGraph,
    taxonomy: std::sync::Arc<incontro_core::taxonomy::Taxonomy>,
}

/// The imported taxonomy's related-skill graph, if a taxonomy is imported.
fn load_taxonomy_graph(
    data_dir: &Path,
    with_groups: bool,
) -> anyhow::Result<Option<TaxonomyGraph>> {
    let engine = super::open_engine(data_dir)?;
    let taxonomy = engine.taxonomy()?;
    if taxonomy.skill_count() == 0 {
        return Ok(None);
    }
    let graph = incontro_core::matching::skill_graph_with(&taxonomy, with_groups)?;
    Ok(Some(TaxonomyGraph { graph, taxonomy }))
}

/// Runs the batch matcher.
pub fn run(args: MatchArgs, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    let (Some(workers), Some(vacancies)) = (args.workers.clone(), args.vacancies.clone()) else {
        let engine = super::open_engine(data_dir)?;
        let started = std::time::Instant::now();
        let shard = match &args.shard {
            Some(text) => incontro_core::matching::Shard::parse(text)?,
            None => incontro_core::matching::Shard::WHOLE,
        };
        let rows =
            engine.match_all_shard(args.top, args.exact, shard, &args.out, &Bar::new(quiet))?;
        let (vacancy_count, worker_count) = engine.match_state()?.counts();
        eprintln!(
            "matched shard {shard} of {worker_count} job seekers against {vacancy_count} open vacancies in {:.2}s: {rows} rows written to {}",
            started.elapsed().as_secs_f64(),
            args.out.display()
        );
        return Ok(());
    };
    let config = if args.exact {
        ScoringConfig::exact()
    } else {
        ScoringConfig {
            related_discount: args.related_discount,
            specificity: !args.no_specificity,
            essential_factor: !args.no_essential_factor,
            ..ScoringConfig::default()
        }
        .validated()?
    };
    let taxonomy = if args.exact {
        None
    } else {
        let loaded = load_taxonomy_graph(data_dir, args.with_skill_groups)?;
        if loaded.is_none() {
            eprintln!("no ESCO taxonomy imported: default mode without related-competence credit");
        }
        loaded
    };
    let lookup = |uri: &str| taxonomy.as_ref().and_then(|t| t.taxonomy.skill_idx(uri));
    let related = taxonomy.as_ref().map(|t| RelatedSkills {
        lookup: &lookup,
        graph: &t.graph,
    });
    let started = std::time::Instant::now();
    let bar = Bar::new(quiet);
    let mut timings = BatchTimings::default();
    let result = run_csv_timed(
        &workers,
        &vacancies,
        args.top,
        &config,
        related.as_ref(),
        &args.out,
        &bar,
        args.timings.then_some(&mut timings),
    );
    if let Err(incontro_core::Error::InvalidInput { problems }) = &result {
        for problem in problems.iter().take(50) {
            eprintln!("{problem}");
        }
    }
    let report = result.with_context(|| {
        format!(
            "matching {} against {}",
            workers.display(),
            vacancies.display()
        )
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let mode = if args.exact { "exact" } else { "default" };
    eprintln!(
        "matched {} workers against {} vacancies ({} skills, {mode} mode) in {seconds:.2}s: {} rows written to {}",
        report.workers,
        report.vacancies,
        report.vacancy_skills,
        report.rows_written,
        args.out.display()
    );
    if args.timings {
        print_timings(&timings);
    }
    if report.related_credit {
        eprintln!(
            "{} skill uri(s) unknown to the taxonomy earned no related credit",
            report.skills_unknown_to_taxonomy
        );
    }
    Ok(())
}

/// The `--timings` breakdown, one phase a line.
fn print_timings(t: &BatchTimings) {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    eprintln!("timings (wall ms unless marked cpu, summed over threads):");
    for (name, value) in [
        ("read vacancies", t.read_vacancies),
        ("parse + index vacancies", t.index_vacancies),
        ("read workers", t.read_workers),
        ("workers: parse, group, score, format", t.score),
        ("  parse + skill lookup, cpu", t.parse_cpu),
        ("  group + duplicate rows, cpu", t.group_cpu),
        ("  kernel, cpu", t.kernel_cpu),
        ("  top-k, cpu", t.top_k_cpu),
        ("  format, cpu", t.format_cpu),
        ("check repeated workers", t.check_workers),
        ("write output", t.write_output),
    ] {
        eprintln!("  {name:<34} {:>9.1}", ms(value));
    }
}
