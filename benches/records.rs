#![allow(missing_docs)]
//! Storing and reloading 100,000 job seekers with 20 competences each in the on-disk store.
//! Asserts the counts so that a broken path cannot post a fast time.

use criterion::{criterion_group, criterion_main, Criterion};
use incontro_core::model::{
    Competence, ComuneCode, EducationLevel, EntityId, Evidence, JobSeeker, Level, Sex, SkillUri,
};
use incontro_core::Engine;

const PEOPLE: usize = 100_000;
const COMPETENCES: usize = 20;

fn seekers() -> Vec<JobSeeker> {
    let skills: Vec<SkillUri> = (0..500)
        .map(|i| {
            SkillUri::parse(&format!("http://data.europa.eu/esco/skill/bench-{i}")).expect("uri")
        })
        .collect();
    let comune = ComuneCode::parse("E715").expect("comune");
    (0..PEOPLE)
        .map(|i| JobSeeker {
            id: EntityId::parse(&format!("P{i:07}")).expect("id"),
            birth_year: 1960 + (i % 45) as u16,
            sex: if i % 2 == 0 { Sex::F } else { Sex::M },
            comune: comune.clone(),
            education: EducationLevel::UpperSecondary,
            available_from: None,
            accepts_tirocinio: true,
            disability: false,
            citizenship: None,
            conditions: Default::default(),
            competences: (0..COMPETENCES)
                .map(|k| Competence {
                    skill: skills[(i * 7 + k * 13) % skills.len()].clone(),
                    level: Level::new((k % 4 + 1) as u8).expect("level"),
                    evidence: Evidence::Declared,
                    since: None,
                    note: None,
                })
                .collect(),
            work_history: Vec::new(),
        })
        .collect()
}

fn bench_records(c: &mut Criterion) {
    let people = seekers();
    let mut group = c.benchmark_group("records");
    group.sample_size(10);
    group.bench_function("store_and_reload_100k_job_seekers_x20", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let engine = Engine::open(dir.path()).expect("engine");
            engine.put_job_seekers(&people).expect("store");
            let loaded = engine.all_job_seekers().expect("reload");
            assert_eq!(loaded.len(), PEOPLE);
            assert_eq!(
                loaded.iter().map(|s| s.competences.len()).sum::<usize>(),
                PEOPLE * COMPETENCES
            );
        })
    });
    group.finish();
}

criterion_group!(benches, bench_records);
criterion_main!(benches);
