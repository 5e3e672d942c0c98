#![allow(missing_docs)]
//! Criterion bench of the batch CSV matcher on a synthetic workload, asserting its output.

use std::fmt::Write as _;

use criterion::{criterion_group, criterion_main, Criterion};
use incontro_core::scoring::{batch::run_csv, ScoringConfig};
use incontro_core::NoProgress;

fn bench_batch(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut workers = String::from("worker_id,skill_uri,level\n");
    for w in 0..3000u32 {
        for i in 0..20u32 {
            let skill = (w * 7 + i * 31) % 800;
            let _ = writeln!(workers, "W{w:06},s:{skill},{}", i % 4 + 1);
        }
    }
    let mut vacancies = String::from("vacancy_id,skill_uri,level,essential\n");
    for v in 0..1000u32 {
        for i in 0..20u32 {
            let skill = (v * 13 + i * 37) % 800;
            let _ = writeln!(vacancies, "V{v:06},s:{skill},{},{}", i % 4 + 1, i % 3 != 0);
        }
    }
    let workers_path = dir.path().join("workers.csv");
    let vacancies_path = dir.path().join("vacancies.csv");
    let out = dir.path().join("out.csv");
    std::fs::write(&workers_path, workers).expect("write workers");
    std::fs::write(&vacancies_path, vacancies).expect("write vacancies");
    let config = ScoringConfig::exact();
    c.bench_function("batch_exact_3000x1000_top10", |b| {
        b.iter(|| {
            let report = run_csv(
                &workers_path,
                &vacancies_path,
                10,
                &config,
                None,
                &out,
                &NoProgress,
            )
            .expect("batch run");
            assert_eq!(report.workers, 3000);
            assert_eq!(report.vacancies, 1000);
            assert!(report.rows_written > 0);
        })
    });
}

criterion_group!(benches, bench_batch);
criterion_main!(benches);
