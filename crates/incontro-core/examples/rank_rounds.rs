//! Profiling aid for ranked vacancies: opens the engine on an existing data directory (for
//! instance one built by `scripts/bench-http.sh`'s steps: the full ESCO release and the 20,000
//! vacancies of `esco_workload.py`), then ranks the top 10 vacancies, with explanations, for the
//! people listed in a file (one id a line) ROUNDS times over, inside one function, `run_rounds`,
//! so that a profiler can count that function alone, and prints the mean time per query:
//!
//! ```sh
//! cargo build --release -p incontro-core --example rank_rounds
//! perf stat -e instructions target/release/examples/rank_rounds DATA_DIR PEOPLE_FILE 5
//! perf record -g target/release/examples/rank_rounds DATA_DIR PEOPLE_FILE 5
//! ```

use std::path::PathBuf;
use std::time::Instant;

use incontro_core::matching::MatchQuery;
use incontro_core::model::EntityId;
use incontro_core::Engine;

#[inline(never)]
fn run_rounds(engine: &Engine, people: &[EntityId], rounds: usize) -> usize {
    let query = MatchQuery::default();
    let mut total = 0;
    for _ in 0..rounds {
        for person in people {
            let ranked = engine
                .vacancies_for_person(person, &query, "en")
                .expect("ranked vacancies");
            total += ranked.len();
        }
    }
    total
}

fn main() -> incontro_core::Result<()> {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().expect("DATA_DIR"));
    let people_file = PathBuf::from(args.next().expect("PEOPLE_FILE"));
    let rounds: usize = args
        .next()
        .map(|raw| raw.parse().expect("ROUNDS is a number"))
        .unwrap_or(3);
    let engine = Engine::open(&data)?;
    let text = std::fs::read_to_string(&people_file)
        .map_err(|source| incontro_core::Error::io(&people_file, source))?;
    let people: Vec<EntityId> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| EntityId::parse(line.trim()).expect("a person id"))
        .collect();
    // The first query builds the match state: not timed.
    engine.vacancies_for_person(&people[0], &MatchQuery::default(), "en")?;
    let started = Instant::now();
    let cpu_before = thread_cpu_ns();
    let results = run_rounds(&engine, &people, rounds);
    let cpu = thread_cpu_ns()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let queries = people.len() * rounds;
    println!(
        "{queries} queries, {results} results, {:.1} µs per query (wall), {} on this thread's CPU",
        started.elapsed().as_secs_f64() * 1e6 / queries as f64,
        cpu.map(|ns| format!("{:.1} µs", ns as f64 / 1e3 / queries as f64))
            .unwrap_or_else(|| "unknown".into())
    );
    Ok(())
}

/// This thread's time on a CPU so far (Linux: `/proc/thread-self/schedstat`), in ns.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
