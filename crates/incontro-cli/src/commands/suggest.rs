//! `incontro suggest`: ESCO competences from a text, or from every line of a file; and
//! `incontro suggest eval`: the quality figures.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use incontro_core::suggest::{
    check_text, dev_table, Lang, SuggestOptions, Suggestions, DEFAULT_MAX_BYTES, DEV_SET_FILES,
};
use incontro_core::Engine;

use crate::progress::Bar;

/// Arguments of `incontro suggest`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SuggestArgs {
    #[command(subcommand)]
    command: Option<SuggestCommand>,
    /// Language of the text(s): `it` or `en` (detected from stop words when omitted).
    #[arg(long)]
    lang: Option<String>,
    /// How many competences per text.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// One text (a job ad, notes, a CV) given on the command line.
    #[arg(long, conflicts_with_all = ["file", "lines"])]
    text: Option<String>,
    /// One text read from a file.
    #[arg(long, conflicts_with = "lines")]
    file: Option<PathBuf>,
    /// A file of texts, one per line: writes `line,rank,skill_uri,label,score` to `--out`.
    #[arg(long, requires = "out")]
    lines: Option<PathBuf>,
    /// Output CSV of `--lines`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Longest text accepted, in bytes (each line with `--lines`).
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// Print JSON instead of a table (`--text`, `--file`).
    #[arg(long)]
    json: bool,
}

/// Subcommands of `incontro suggest`.
#[derive(Debug, Subcommand)]
enum SuggestCommand {
    /// Recall@10 and MRR on queries built from the imported taxonomy, or on a fixture; with
    /// English, R-Precision@5 and MRR on labelled job-ad sentences against a TF-IDF baseline.
    Eval(EvalArgs),
}

/// Arguments of `incontro suggest eval`.
#[derive(Debug, Args)]
struct EvalArgs {
    /// The language evaluated: `it` or `en`.
    #[arg(long)]
    lang: String,
    /// At most this many queries per set.
    #[arg(long, default_value_t = 500)]
    max_queries: usize,
    /// A hand-written fixture (`text<TAB>skill URIs` per line) instead of the taxonomy sets.
    #[arg(long)]
    fixture: Option<PathBuf>,
    /// The folder of the labelled job-ad sentences (TECH and HOUSE validation sets) evaluated
    /// with `--lang en`, side by side with the TF-IDF baseline; default
    /// `../shared/data/skill-extraction-dev` when it exists.
    #[arg(long, conflicts_with = "fixture")]
    dev: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `incontro suggest`.
pub fn run(args: SuggestArgs, data_dir: &Path, quiet: bool) -> anyhow::Result<()> {
    let engine = super::open_engine(data_dir)?;
    if let Some(SuggestCommand::Eval(eval)) = args.command {
        return run_eval(&engine, eval);
    }
    let options = SuggestOptions {
        language: args.lang.as_deref().map(Lang::parse).transpose()?,
        top_k: args.top,
        max_bytes: args.max_bytes,
    };
    if let (Some(lines), Some(out)) = (&args.lines, &args.out) {
        return run_lines(&engine, &options, lines, out, quiet);
    }
    let bytes = match (&args.text, &args.file) {
        (Some(text), _) => text.clone().into_bytes(),
        (None, Some(file)) => {
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?
        }
        (None, None) => bail!("give --text TEXT, --file FILE or --lines FILE --out FILE"),
    };
    let started = Instant::now();
    let suggestions = engine.suggest_competences_with(&bytes, &options)?;
    let elapsed = started.elapsed();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&suggestions)?);
        return Ok(());
    }
    print_table(&suggestions);
    eprintln!("({:.1} ms)", elapsed.as_secs_f64() * 1000.0);
    Ok(())
}

fn print_table(suggestions: &Suggestions) {
    println!(
        "language: {}{}",
        suggestions.language.code(),
        if suggestions.detected {
            " (detected)"
        } else {
            ""
        }
    );
    if suggestions.skills.is_empty() {
        println!("no competences found");
    } else {
        println!(
            "{:>3}  {:>5}  {:<11}  {:<50}  evoked by",
            "#", "score", "match", "competence"
        );
        for (rank, skill) in suggestions.skills.iter().enumerate() {
            println!(
                "{:>3}  {:>5.2}  {:<11}  {:<50}  \"{}\"",
                rank + 1,
                skill.score,
                skill.kind.as_str(),
                shorten(&skill.label, 50),
                shorten(&skill.span.quote, 60),
            );
            println!("{:>3}  {:>5}  {:<11}  {}", "", "", "", skill.uri);
        }
    }
    for hint in &suggestions.occupations {
        println!();
        println!(
            "occupation: {} ({}), named by \"{}\" [{} {:.2}]",
            hint.label,
            hint.uri,
            shorten(&hint.span.quote, 60),
            hint.kind.as_str(),
            hint.score
        );
        println!("  essential competences ({}):", hint.essential_skills.len());
        for skill in &hint.essential_skills {
            println!("  - {}  {}", skill.label, skill.uri);
        }
    }
}

fn shorten(text: &str, width: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= width {
        flat
    } else {
        let mut short: String = flat.chars().take(width.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

fn run_lines(
    engine: &Engine,
    options: &SuggestOptions,
    input: &Path,
    out: &Path,
    quiet: bool,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let bytes = std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
    let name = input.display().to_string();
    let mut problems = Vec::new();
    let mut texts: Vec<&str> = Vec::new();
    let mut numbers: Vec<usize> = Vec::new();
    for (index, raw) in bytes.split(|&byte| byte == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue; // a blank line: no rows
        }
        match check_text(raw, options.max_bytes) {
            Ok(text) => {
                texts.push(text);
                numbers.push(index + 1);
            }
            Err(error) => problems.push(format!("{name}:{}: {error}", index + 1)),
        }
    }
    fail_on(&problems)?;
    let results = engine.suggest_many(&texts, options, &Bar::new(quiet))?;
    let mut rows = Vec::new();
    for (number, result) in numbers.iter().zip(results) {
        match result {
            Ok(suggestions) => rows.push((*number, suggestions)),
            Err(error) => problems.push(format!("{name}:{number}: {error}")),
        }
    }
    fail_on(&problems)?;
    let written = (|| -> anyhow::Result<usize> {
        let file = incontro_core::output::OutputFile::create(out)?;
        let mut writer = csv::Writer::from_writer(file);
        writer.write_record(["line", "rank", "skill_uri", "label", "score"])?;
        let mut count = 0;
        for (number, suggestions) in &rows {
            for (rank, skill) in suggestions.skills.iter().enumerate() {
                writer.write_record([
                    number.to_string(),
                    (rank + 1).to_string(),
                    skill.uri.clone(),
                    skill.label.clone(),
                    format!("{:.4}", skill.score),
                ])?;
                count += 1;
            }
        }
        writer.flush()?;
        let inner = writer
            .into_inner()
            .map_err(|error| anyhow::anyhow!("{error}"))?;
        inner.commit()?;
        Ok(count)
    })();
    let count = written.with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!(
        "suggested for {} texts in {:.2}s: {count} rows written to {}",
        texts.len(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

fn fail_on(problems: &[String]) -> anyhow::Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    for problem in problems.iter().take(20) {
        eprintln!("{problem}");
    }
    bail!(
        "{} line(s) with problems, nothing written; first: {}",
        problems.len(),
        problems[0]
    )
}

/// Where `suggest eval` looks for the labelled job-ad sentences when `--dev` is not given.
const DEFAULT_DEV_DIR: &str = "../shared/data/skill-extraction-dev";

fn run_eval(engine: &Engine, args: EvalArgs) -> anyhow::Result<()> {
    let report = match &args.fixture {
        Some(path) => {
            let fixture = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            engine.suggest_eval_fixture(&args.lang, &fixture)?
        }
        None => engine.suggest_eval_taxonomy(&args.lang, args.max_queries)?,
    };
    let english = report.language == Lang::English;
    let dev_dir = match &args.dev {
        Some(dir) if !english => bail!(
            "--dev evaluates English sentences: give --lang en (not {})",
            args.lang
        ),
        Some(dir) => Some(dir.clone()),
        None if english && args.fixture.is_none() => Some(PathBuf::from(DEFAULT_DEV_DIR))
            .filter(|dir| dir.join(DEV_SET_FILES[0].1).is_file()),
        None => None,
    };
    let dev = match &dev_dir {
        Some(dir) => engine.suggest_eval_dev_sets(dir)?,
        None => Vec::new(),
    };
    if args.json {
        let both = serde_json::json!({ "taxonomy": report, "job_ad_sentences": dev });
        println!("{}", serde_json::to_string_pretty(&both)?);
        return Ok(());
    }
    println!("language: {}", report.language.code());
    println!(
        "{:<48}  {:>7}  {:>9}  {:>6}",
        "query set", "queries", "recall@10", "MRR"
    );
    for set in &report.sets {
        println!(
            "{:<48}  {:>7}  {:>9.3}  {:>6.3}",
            set.name, set.queries, set.recall_at_10, set.mrr
        );
    }
    println!("({:.1} s)", report.elapsed_ms as f64 / 1000.0);
    match &dev_dir {
        Some(dir) => {
            println!();
            println!("labelled job-ad sentences ({}):", dir.display());
            print!("{}", dev_table(&dev));
        }
        None if english && args.fixture.is_none() => {
            println!();
            println!("labelled job-ad sentences: skipped: ../shared not found (give --dev DIR)");
        }
        None => {}
    }
    Ok(())
}
