#![allow(missing_docs)]
//! Criterion bench of the scoring kernel and MatchSet top-k, asserting their results.

use criterion::{criterion_group, criterion_main, Criterion};
use incontro_core::scoring::{score, MatchSet, Requirement, ScoringConfig};
use std::hint::black_box;

fn requirements(seed: u32) -> Vec<Requirement> {
    (0..21u32)
        .map(|i| {
            let skill = (seed * 7 + i * 13) % 500;
            let requirement =
                Requirement::new(skill, (i % 4 + 1) as u8, i % 3 != 0).expect("valid requirement");
            (skill, requirement)
        })
        .collect::<std::collections::BTreeMap<u32, Requirement>>()
        .into_values()
        .collect()
}

fn profile(seed: u32) -> Vec<(u32, u8)> {
    let mut profile: Vec<(u32, u8)> = (0..23u32)
        .map(|i| ((seed * 11 + i * 13) % 500, (i % 4 + 1) as u8))
        .collect();
    profile.sort_unstable();
    profile.dedup_by_key(|entry| entry.0);
    profile
}

fn bench_scoring(c: &mut Criterion) {
    let vacancy = requirements(3);
    let person = profile(3);
    let exact = ScoringConfig::exact();
    let value = score(&person, &vacancy, &exact, None);
    assert!(value > 0.0 && value <= 1.0, "kernel result {value}");
    c.bench_function("score_exact_21x23", |b| {
        b.iter(|| score(black_box(&person), black_box(&vacancy), &exact, None))
    });

    let mut set = MatchSet::new();
    for v in 0..2000 {
        set.add_vacancy(format!("V{v:05}"), requirements(v))
            .expect("vacancy");
    }
    let top = set.top_vacancies_for_worker(&person, 10, &exact, &|_| true);
    assert_eq!(top.len(), 10);
    assert!(top.windows(2).all(|w| w[0].1 >= w[1].1));
    c.bench_function("matchset_top10_of_2000", |b| {
        b.iter(|| set.top_vacancies_for_worker(black_box(&person), 10, &exact, &|_| true))
    });
}

criterion_group!(benches, bench_scoring);
criterion_main!(benches);
