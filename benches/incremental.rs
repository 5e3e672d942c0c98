#![allow(missing_docs)]
//! Issue 20, point 2: the office at work. Full ESCO v1.1.1 (`../shared/data/esco-v1.1.1`; the
//! bench says so and stops when it is absent), on-disk store, 100,000 validated vacancies
//! (20 requirements each, skill popularity skewed like `benches/matching.rs`, drawn from the real
//! ESCO skills) and 100,000 people (20 declared competences each, one in ten with a past job
//! whose ESCO occupation gives presumed competences), in the demo's comuni.
//!
//! Measured, through the engine's own calls (what `incontro serve` calls behind HTTP):
//!
//! 1. the write of one vacancy's requirements (`put_vacancy` of a validated vacancy with a new
//!    breakdown, and `set_requirements`, which sends it back to draft): p50 / p99;
//! 2. from an acknowledged write to the first query that sees it: on the same engine, and on a
//!    second engine over the same data directory (another replica: it learns from the journal);
//! 3. ranked vacancies for a person (top 10 with explanations) from 8 client threads while a
//!    writer changes one vacancy every 100 ms: p50 / p99 of the queries, and how many full
//!    rebuilds happened (none expected).
//!
//! Sizes: `INCONTRO_BENCH_VACANCIES`, `INCONTRO_BENCH_PEOPLE` (default 100,000 each); the load
//! phase lasts `INCONTRO_BENCH_SECONDS` (default 20). The generated data directory is kept in
//! `$TMPDIR/incontro-bench-incremental-V-P` and reused by later runs.
//! Run: `cargo bench -p incontro-core --bench incremental`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use incontro_core::clock::FixedClock;
use incontro_core::matching::MatchQuery;
use incontro_core::model::{EntityId, Level, Requirement, SkillUri, Weight};
use incontro_core::records::{ImportOptions, RecordFiles};
use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, NoProgress};
use rand::{RngExt, SeedableRng};

const DAY: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2026, 12, 1) {
    Some(day) => day,
    None => panic!("valid day"),
};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn esco_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("INCONTRO_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository().join("../shared"));
    let dir = shared.join("data/esco-v1.1.1");
    dir.is_dir().then_some(dir)
}

/// A valid codice fiscale for synthetic person `index` (as `scripts/workload_to_records.py`).
fn codice_fiscale(index: usize) -> String {
    const ODD: [u32; 36] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
        6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
    ];
    let value = |c: char| -> (usize, u32) {
        match c {
            '0'..='9' => (c as usize - '0' as usize, c as u32 - '0' as u32),
            _ => (10 + c as usize - 'A' as usize, c as u32 - 'A' as u32),
        }
    };
    let consonants: Vec<char> = "BCDFGHLMNPRSTVZ".chars().collect();
    let months: Vec<char> = "ABCDEHLMPRST".chars().collect();
    let mut letters = String::new();
    let mut n = index;
    for _ in 0..6 {
        letters.push(consonants[n % 15]);
        n /= 15;
    }
    let body = format!(
        "{letters}{:02}{}{:02}E715",
        80 + index % 20,
        months[index % 12],
        1 + index % 28
    );
    let total: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let (odd_index, even) = value(c);
            if i % 2 == 0 {
                ODD[odd_index]
            } else {
                even
            }
        })
        .sum();
    format!("{body}{}", (b'A' + (total % 26) as u8) as char)
}

/// The data directory with ESCO and the records imported (built once, then reused).
fn data_dir(esco: &Path, vacancies: usize, people: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("incontro-bench-incremental-{vacancies}-{people}"));
    let done = dir.join("ready");
    if done.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.join("data");
    let records = dir.join("records");
    std::fs::create_dir_all(&records).expect("folder");
    let started = Instant::now();
    let engine = Engine::open(&data)
        .expect("engine")
        .with_clock(Arc::new(FixedClock::on(DAY)));
    let zips: Vec<PathBuf> = std::fs::read_dir(esco)
        .expect("esco folder")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "zip"))
        .collect();
    engine
        .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
        .expect("esco import");
    let taxonomy = engine.taxonomy().expect("taxonomy");
    // Skills only (the taxonomy also interns skill groups and ISCED-F fields).
    let skills: Vec<String> = (0..taxonomy.skill_count() as u32)
        .map(|skill| taxonomy.skill_uri(skill).to_string())
        .filter(|uri| uri.starts_with("http://data.europa.eu/esco/skill/"))
        .collect();
    let occupations: Vec<String> = (0..taxonomy.occupation_count() as u32)
        .map(|occupation| taxonomy.occupation_uri(occupation).to_string())
        .collect();
    let demo = repository().join("data/demo");
    for name in ["comuni.csv", "companies.csv", "cp2011_isco.csv"] {
        std::fs::copy(demo.join(name), records.join(name)).expect("demo file");
    }
    let comuni: Vec<String> = std::fs::read_to_string(demo.join("comuni.csv"))
        .expect("comuni")
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next().map(str::to_string))
        .collect();
    let companies: Vec<String> = std::fs::read_to_string(demo.join("companies.csv"))
        .expect("companies")
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next().map(str::to_string))
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(20);
    let skewed = |rng: &mut rand::rngs::StdRng| -> usize {
        let x: f64 = rng.random();
        ((x * x * x) * skills.len() as f64) as usize
    };
    let file = |name: &str| {
        std::io::BufWriter::new(std::fs::File::create(records.join(name)).expect("file"))
    };
    let mut vacancies_csv = file("vacancies.csv");
    let mut requirements_csv = file("requirements.csv");
    writeln!(vacancies_csv, "id,company_id,title,description,occupation_uri,comune,placement,contract_type,tirocinio_months,tirocinio_indemnity_eur,positions,opens,closes,source,agency,status,validated_by,validated_on").expect("write");
    writeln!(
        requirements_csv,
        "vacancy_id,skill_uri,level,essential,weight"
    )
    .expect("write");
    for index in 0..vacancies {
        let id = format!("V{index:07}");
        writeln!(
            vacancies_csv,
            "{id},{},Posizione {id},Generata dal bench.,,{},contract,A.02.00,,,1,2025-01-01,2099-12-31,public,,validated,Bench,2025-01-02",
            companies[index % companies.len()],
            comuni[index % comuni.len()]
        )
        .expect("write");
        let mut chosen: Vec<usize> = (0..20).map(|_| skewed(&mut rng)).collect();
        chosen.sort_unstable();
        chosen.dedup();
        for skill in chosen {
            writeln!(
                requirements_csv,
                "{id},{},{},{},",
                skills[skill],
                rng.random_range(1..=4),
                rng.random_bool(0.6)
            )
            .expect("write");
        }
    }
    drop((vacancies_csv, requirements_csv));
    let mut people_csv = file("job_seekers.csv");
    let mut competences_csv = file("competences.csv");
    let mut history_csv = file("work_history.csv");
    writeln!(people_csv, "id,codice_fiscale,first_name,last_name,mobile,email,birth_year,sex,comune,education,available_from,accepts_tirocinio,disability").expect("write");
    writeln!(
        competences_csv,
        "job_seeker_id,skill_uri,level,evidence,since,note"
    )
    .expect("write");
    writeln!(history_csv, "job_seeker_id,scheme,code,start,end,employer").expect("write");
    for index in 0..people {
        let id = format!("P{index:07}");
        writeln!(
            people_csv,
            "{id},{},Nome,Cognome,,,{},M,{},upper_secondary,2025-01-01,true,false",
            codice_fiscale(index),
            1980 + index % 20,
            comuni[index % comuni.len()]
        )
        .expect("write");
        let mut chosen: Vec<usize> = (0..20).map(|_| skewed(&mut rng)).collect();
        chosen.sort_unstable();
        chosen.dedup();
        for skill in chosen {
            writeln!(
                competences_csv,
                "{id},{},{},declared,2025-01-01,",
                skills[skill],
                rng.random_range(1..=4)
            )
            .expect("write");
        }
        if index % 10 == 0 {
            let occupation = &occupations[rng.random_range(0..occupations.len())];
            writeln!(history_csv, "{id},esco,{occupation},2021-03-01,,").expect("write");
        }
    }
    drop((people_csv, competences_csv, history_csv));
    let report = engine
        .import_records(&RecordFiles::in_dir(&records), &ImportOptions::default())
        .expect("records import");
    eprintln!(
        "generated and imported {:?} in {:.1} s",
        report.imported,
        started.elapsed().as_secs_f64()
    );
    std::fs::write(&done, "").expect("marker");
    dir
}

/// This thread's (ms on a CPU, ms runnable but waiting for a CPU, voluntary switches) so far,
/// from `/proc/thread-self` (Linux; zeros elsewhere): a query that waits for a lock or for I/O
/// sleeps (a voluntary switch), one that waits for a CPU sits in the run queue.
fn thread_usage() -> (f64, f64, i64) {
    let schedstat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut fields = schedstat
        .split_whitespace()
        .map(|field| field.parse::<f64>().unwrap_or(0.0));
    let on_cpu = fields.next().unwrap_or(0.0) / 1e6;
    let waiting = fields.next().unwrap_or(0.0) / 1e6;
    let status = std::fs::read_to_string("/proc/thread-self/status").unwrap_or_default();
    let voluntary = status
        .lines()
        .find_map(|line| line.strip_prefix("voluntary_ctxt_switches:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    (on_cpu, waiting, voluntary)
}

/// One query under load: (wall ms, ms on a CPU, ms waiting for a CPU, voluntary switches).
type Sample = (f64, f64, f64, i64);

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn summary(name: &str, mut millis: Vec<f64>) {
    millis.sort_by(f64::total_cmp);
    println!(
        "{name}: n={} p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        millis.len(),
        percentile(&millis, 0.5),
        percentile(&millis, 0.99),
        millis.last().copied().unwrap_or(f64::NAN)
    );
}

/// A new breakdown for vacancy `round`: five popular-ish skills at random levels.
fn breakdown(skills: &[SkillUri], rng: &mut rand::rngs::StdRng) -> Vec<Requirement> {
    let mut chosen: Vec<usize> = (0..5)
        .map(|_| rng.random_range(0..skills.len().min(3000)))
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    chosen
        .into_iter()
        .map(|skill| Requirement {
            skill: skills[skill].clone(),
            level: Level::new(rng.random_range(1..=4)).expect("level"),
            essential: true,
            weight: Weight::NEUTRAL,
        })
        .collect()
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run briefly then.
    let Some(esco) = esco_dir() else {
        println!(
            "incremental bench skipped: ../shared/data/esco-v1.1.1 (the full ESCO release) is absent \
             (set INCONTRO_SHARED to the shared folder)"
        );
        return;
    };
    let vacancies = env_usize("INCONTRO_BENCH_VACANCIES", 100_000);
    let people = env_usize("INCONTRO_BENCH_PEOPLE", 100_000);
    let seconds = env_usize("INCONTRO_BENCH_SECONDS", 20);
    let dir = data_dir(&esco, vacancies, people);
    let data = dir.join("data");
    let engine = Arc::new(
        Engine::open(&data)
            .expect("engine")
            .with_clock(Arc::new(FixedClock::on(DAY))),
    );
    let started = Instant::now();
    let state = engine.match_state().expect("state");
    println!(
        "data: {} vacancies, {} people, full ESCO; first (full) build {:.2} s",
        state.counts().0,
        state.counts().1,
        started.elapsed().as_secs_f64()
    );
    drop(state);
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let skills: Vec<SkillUri> = (0..taxonomy.skill_count() as u32)
        .filter_map(|skill| SkillUri::parse(taxonomy.skill_uri(skill)).ok())
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(99);
    let vacancy_id = |index: usize| EntityId::parse(&format!("V{index:07}")).expect("id");
    let person_id = |index: usize| EntityId::parse(&format!("P{index:07}")).expect("id");
    let builds = engine.match_state_builds();

    // 0. Ranked vacancies from one client, nobody writing (the query alone).
    let query = MatchQuery {
        k: 10,
        ..MatchQuery::default()
    };
    let mut alone = Vec::new();
    for _ in 0..400 {
        let person = person_id(rng.random_range(0..people));
        let started = Instant::now();
        let ranked = engine
            .vacancies_for_person(&person, &query, "it")
            .expect("ranked");
        alone.push(started.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(ranked);
    }
    summary(
        "ranked vacancies (top 10, explanations), 1 client, no writes",
        alone,
    );

    // 1. Writes of one vacancy's requirements.
    let mut put = Vec::new();
    let mut set = Vec::new();
    for round in 0..100 {
        let id = vacancy_id(rng.random_range(0..vacancies));
        let mut vacancy = engine.get_vacancy(&id).expect("vacancy");
        vacancy.requirements = breakdown(&skills, &mut rng);
        let started = Instant::now();
        engine.put_vacancy(&vacancy).expect("put");
        put.push(started.elapsed().as_secs_f64() * 1e3);
        if round % 2 == 0 {
            let id = vacancy_id(rng.random_range(0..vacancies));
            let started = Instant::now();
            engine
                .set_requirements(&id, breakdown(&skills, &mut rng))
                .expect("set requirements");
            set.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    summary(
        "put_vacancy (validated, new requirements), incl. commit and state update",
        put,
    );
    summary("set_requirements (back to draft: leaves the ranking)", set);

    // 2. Acknowledged write → first query that sees it: same engine, and another replica.
    let replica = Engine::open(&data)
        .expect("replica")
        .with_clock(Arc::new(FixedClock::on(DAY)));
    replica.match_state().expect("replica state");
    let mut same = Vec::new();
    let mut other = Vec::new();
    for _ in 0..30 {
        // A vacancy that asks exactly what a person holds ranks first for that person.
        let person = person_id(rng.random_range(0..people));
        let profile = engine.person_profile(&person).expect("profile");
        let id = vacancy_id(rng.random_range(0..vacancies));
        let mut vacancy = engine.get_vacancy(&id).expect("vacancy");
        vacancy.requirements = profile
            .iter()
            .take(3)
            .map(|entry| Requirement {
                skill: entry.skill.clone(),
                level: Level::new(1).expect("level"),
                essential: true,
                weight: Weight::NEUTRAL,
            })
            .collect();
        if vacancy.requirements.is_empty() {
            continue;
        }
        engine.put_vacancy(&vacancy).expect("put");
        let acknowledged = Instant::now();
        let sees = |engine: &Engine| {
            engine
                .vacancies_for_person(&person, &query, "it")
                .expect("ranked")
                .iter()
                .any(|found| found.vacancy_id == id.as_str())
        };
        while !sees(&engine) {}
        same.push(acknowledged.elapsed().as_secs_f64() * 1e3);
        while !sees(&replica) {}
        other.push(acknowledged.elapsed().as_secs_f64() * 1e3);
    }
    summary(
        "acknowledged write → first query that sees it, same engine",
        same,
    );
    summary(
        "acknowledged write → first query that sees it, other replica (journal)",
        other,
    );
    drop(replica);

    // 3. 8 clients of ranked vacancies while a writer changes one vacancy every 100 ms.
    let stop = Arc::new(AtomicBool::new(false));
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let engine = Arc::clone(&engine);
        let stop = Arc::clone(&stop);
        let skills = skills.clone();
        std::thread::spawn(move || {
            let mut rng = rand::rngs::StdRng::seed_from_u64(5);
            let mut writes = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let next = Instant::now() + Duration::from_millis(100);
                let id = EntityId::parse(&format!("V{:07}", rng.random_range(0..vacancies)))
                    .expect("id");
                let mut vacancy = engine.get_vacancy(&id).expect("vacancy");
                vacancy.requirements = breakdown(&skills, &mut rng);
                engine.put_vacancy(&vacancy).expect("put");
                writes += 1;
                std::thread::sleep(next.saturating_duration_since(Instant::now()));
            }
            writes
        })
    };
    let clients: Vec<_> = (0..8)
        .map(|client| {
            let engine = Arc::clone(&engine);
            let stop = Arc::clone(&stop);
            let latencies = Arc::clone(&latencies);
            std::thread::spawn(move || {
                let mut rng = rand::rngs::StdRng::seed_from_u64(client);
                let mut mine = Vec::new();
                let query = MatchQuery {
                    k: 10,
                    ..MatchQuery::default()
                };
                while !stop.load(Ordering::Relaxed) {
                    let person = EntityId::parse(&format!("P{:07}", rng.random_range(0..people)))
                        .expect("id");
                    let before = thread_usage();
                    let started = Instant::now();
                    let ranked = engine
                        .vacancies_for_person(&person, &query, "it")
                        .expect("ranked");
                    let after = thread_usage();
                    mine.push((
                        started.elapsed().as_secs_f64() * 1e3,
                        after.0 - before.0,
                        after.1 - before.1,
                        after.2 - before.2,
                    ));
                    std::hint::black_box(ranked);
                }
                latencies.lock().expect("latencies").extend(mine);
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds as u64));
    stop.store(true, Ordering::Relaxed);
    let writes = writer.join().expect("writer");
    for client in clients {
        client.join().expect("client");
    }
    let mut latencies = std::mem::take(&mut *latencies.lock().expect("latencies"));
    let queries = latencies.len();
    // Where the slowest 1 % spent their time: on a CPU, asleep (a lock or I/O), preempted.
    latencies.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest = &latencies[..(queries / 100).max(1)];
    let mean = |value: &dyn Fn(&Sample) -> f64| {
        slowest.iter().map(value).sum::<f64>() / slowest.len() as f64
    };
    println!(
        "slowest 1 % of the queries: mean {:.1} ms wall = {:.2} ms on a CPU + {:.1} ms waiting for a CPU + the rest asleep ({:.2} voluntary switches: lock or I/O waits)",
        mean(&|q| q.0),
        mean(&|q| q.1),
        mean(&|q| q.2),
        mean(&|q| q.3 as f64)
    );
    let latencies: Vec<f64> = latencies.iter().map(|q| q.0).collect();
    summary(
        &format!(
            "ranked vacancies (top 10, explanations), 8 clients, {writes} writes at 10/s over {seconds} s ({:.0} queries/s)",
            queries as f64 / seconds as f64
        ),
        latencies,
    );
    println!(
        "full rebuilds after the first build: {}",
        engine.match_state_builds() - builds
    );
}
