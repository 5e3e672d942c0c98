#![allow(missing_docs)]
//! Full import of the shared ESCO v1.1.1 release (English + relations zips) into a fresh
//! on-disk store. Asserts the counts so that a broken import cannot post a fast time.
//! Prints "skipped: ../shared not found" and does nothing when the release is absent.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, NoProgress};

fn release() -> Option<Vec<PathBuf>> {
    let folder = match std::env::var("INCONTRO_SHARED") {
        Ok(shared) => PathBuf::from(shared).join("data/esco-v1.1.1"),
        Err(_) => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/esco-v1.1.1"),
    };
    let mut zips: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "zip"))
        .collect();
    zips.sort();
    (!zips.is_empty()).then_some(zips)
}

fn esco_import(c: &mut Criterion) {
    let Some(zips) = release() else {
        println!("skipped: ../shared not found");
        return;
    };
    let mut group = c.benchmark_group("esco");
    group.sample_size(10);
    group.bench_function("import_v1.1.1_en_fresh_store", |b| {
        b.iter_with_setup(
            || {
                let dir = tempfile::tempdir().expect("tempdir");
                let engine = Engine::open(dir.path()).expect("engine");
                (dir, engine)
            },
            |(dir, engine)| {
                let report = engine
                    .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
                    .expect("import");
                assert_eq!(report.skills, 13_896);
                assert_eq!(report.occupations, 3_007);
                assert_eq!(report.occupation_skill_relations, 123_855);
                drop(engine);
                drop(dir);
            },
        );
    });
    group.finish();
}

criterion_group!(benches, esco_import);
criterion_main!(benches);
