//! The nightly batch: the best vacancies for every job seeker of a data directory, written as CSV.
//!
//! ```sh
//! cargo run --release -p incontro-core --example nightly_batch -- [DATA_DIR] [OUT.csv]
//! ```
//! With no data directory, the demo dataset is loaded into memory first.

use std::path::PathBuf;

use incontro_core::{Engine, NoProgress};

fn main() -> incontro_core::Result<()> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let engine = match args.next() {
        Some(dir) => Engine::open(&dir)?,
        None => {
            let engine = Engine::open_in_memory()?;
            engine.import_demo(&NoProgress)?;
            engine
        }
    };
    let out = args
        .next()
        .unwrap_or_else(|| std::env::temp_dir().join("incontro-nightly.csv"));
    let (vacancies, people) = engine.match_state()?.counts();
    // Top 10 per person, default (related-credit) mode, written atomically.
    let rows = engine.match_all(10, false, &out, &NoProgress)?;
    println!(
        "{rows} rows for {people} people over {vacancies} open vacancies → {}",
        out.display()
    );
    Ok(())
}
