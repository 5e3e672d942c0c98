//! `incontro match`: the batch matcher over CSV files.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use incontro_core::scoring::batch::{run_csv, RelatedSkills};
use incontro_core::scoring::{ScoringConfig, SkillGraph, Specificity};
use incontro_core::Engine;

use crate::progress::Bar;

/// Arguments of `incontro match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// Workers CSV: `worker_id,skill_uri,level` (rows of one worker consecutive).
    #[arg(long)]
    workers: PathBuf,
    /// Vacancies CSV: `vacancy_id,skill_uri,level,essential`.
    #[arg(long)]
    vacancies: PathBuf,
    /// How many vacancies per worker.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Exact coverage only (no related credit, no specificity, no essential factor).
    #[arg(long)]
    exact: bool,
    /// Output CSV: `worker_id,rank,vacancy_id,score`.
    #[arg(long)]
    out: PathBuf,
}

/// The taxonomy graph read from the store, with a URI lookup.
struct TaxonomyGraph {
    graph: SkillGraph,
    nodes: std::collections::HashMap<String, u32>,
}

/// Reads tables `skill`, `skill_broader`, `skill_relation` when they exist and are non-empty.
/// Interim glue until the taxonomy module exposes `Engine::taxonomy()`.
fn load_taxonomy_graph(data_dir: &Path) -> anyhow::Result<Option<TaxonomyGraph>> {
    if !data_dir.exists() {
        return Ok(None);
    }
    let engine = Engine::open(data_dir)?;
    let loaded = engine.store().read(|conn| {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' \
             AND name IN ('skill', 'skill_broader', 'skill_relation')",
            [],
            |row| row.get(0),
        )?;
        if tables < 3 {
            return Ok(None);
        }
        let mut node_of_id = std::collections::HashMap::new();
        let mut nodes = std::collections::HashMap::new();
        let mut reuse = Vec::new();
        let mut statement = conn.prepare("SELECT id, uri, reuse_level FROM skill ORDER BY id")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let uri: String = row.get(1)?;
            let level: Option<String> = row.get(2).ok().flatten();
            let node = reuse.len() as u32;
            node_of_id.insert(id, node);
            nodes.insert(uri, node);
            reuse.push(Specificity::from_esco(level.as_deref().unwrap_or("")));
        }
        if reuse.is_empty() {
            return Ok(None);
        }
        let edges = |sql: &str| -> incontro_core::Result<Vec<(u32, u32)>> {
            let mut statement = conn.prepare(sql)?;
            let mut rows = statement.query([])?;
            let mut edges = Vec::new();
            while let Some(row) = rows.next()? {
                let (a, b): (i64, i64) = (row.get(0)?, row.get(1)?);
                if let (Some(&a), Some(&b)) = (node_of_id.get(&a), node_of_id.get(&b)) {
                    edges.push((a, b));
                }
            }
            Ok(edges)
        };
        let broader = edges("SELECT skill_id, broader_id FROM skill_broader")?;
        let related = edges("SELECT skill_id, related_id FROM skill_relation")?;
        let count = reuse.len();
        let graph = SkillGraph::new(count, &broader, &related, reuse)?;
        Ok(Some(TaxonomyGraph { graph, nodes }))
    })?;
    Ok(loaded)
}

/// Runs the batch matcher.
pub fn run(args: MatchArgs, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    let config = if args.exact {
        ScoringConfig::exact()
    } else {
        ScoringConfig::default()
    };
    let taxonomy = if args.exact {
        None
    } else {
        let loaded = load_taxonomy_graph(data_dir)?;
        if loaded.is_none() {
            eprintln!("no ESCO taxonomy imported: default mode without related-competence credit");
        }
        loaded
    };
    let lookup = |uri: &str| taxonomy.as_ref().and_then(|t| t.nodes.get(uri).copied());
    let related = taxonomy.as_ref().map(|t| RelatedSkills {
        lookup: &lookup,
        graph: &t.graph,
    });
    let started = std::time::Instant::now();
    let bar = Bar::new(quiet);
    let result = run_csv(
        &args.workers,
        &args.vacancies,
        args.top,
        &config,
        related.as_ref(),
        &args.out,
        &bar,
    );
    if let Err(incontro_core::Error::InvalidInput { problems }) = &result {
        for problem in problems.iter().take(50) {
            eprintln!("{problem}");
        }
    }
    let report = result.with_context(|| {
        format!(
            "matching {} against {}",
            args.workers.display(),
            args.vacancies.display()
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
    if report.related_credit {
        eprintln!(
            "{} skill uri(s) unknown to the taxonomy earned no related credit",
            report.skills_unknown_to_taxonomy
        );
    }
    Ok(())
}
