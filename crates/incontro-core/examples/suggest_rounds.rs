//! Profiling aid for competence suggestions: imports the full English ESCO release, builds the
//! suggester, then suggests for the 307-word job ad of the suggestion benchmark ROUNDS times
//! (default 200) inside one function, `run_rounds`, so that a profiler can count that function
//! alone:
//!
//! ```sh
//! cargo build --release -p incontro-core --example suggest_rounds
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*run_rounds*' \
//!     target/release/examples/suggest_rounds 20 ../shared/data/esco-v1.1.1/*.zip
//! perf record -g target/release/examples/suggest_rounds 2000 ../shared/data/esco-v1.1.1/*.zip
//! ```

use std::path::PathBuf;
use std::time::Instant;

use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, NoProgress};

const JOB_AD: &str = include_str!("../../../tests/fixtures/suggest-pinned/job-ad-en.txt");

#[inline(never)]
fn run_rounds(engine: &Engine, rounds: usize) -> usize {
    let mut total = 0;
    for _ in 0..rounds {
        let suggestions = engine
            .suggest_competences(JOB_AD.trim_end(), Some("en"), 20)
            .expect("suggest");
        total += suggestions.skills.len();
    }
    total
}

fn main() -> incontro_core::Result<()> {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args
        .next()
        .map(|raw| raw.parse().expect("ROUNDS is a number"))
        .unwrap_or(200);
    let zips: Vec<PathBuf> = args.map(PathBuf::from).collect();
    assert!(
        !zips.is_empty(),
        "usage: suggest_rounds ROUNDS ESCO-ZIP… (the English release and its relations)"
    );
    let engine = Engine::open_in_memory()?;
    engine.import_esco(&zips, &EscoImportOptions::default(), &NoProgress)?;
    // the first call builds the suggester
    let first = engine.suggest_competences(JOB_AD.trim_end(), Some("en"), 20)?;
    let started = Instant::now();
    let total = run_rounds(&engine, rounds);
    let elapsed = started.elapsed();
    println!(
        "{rounds} rounds, {} skills each, {:.2} ms wall per ad",
        first.skills.len(),
        elapsed.as_secs_f64() * 1000.0 / rounds.max(1) as f64
    );
    assert_eq!(total, first.skills.len() * rounds);
    Ok(())
}
