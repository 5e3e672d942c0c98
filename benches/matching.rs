#![allow(missing_docs)]
//! Ranked vacancies for one person among 100,000 in-memory vacancies, with filters, in-process.
//!
//! Vacancies and people are drawn with a skewed skill popularity (a few skills required by many
//! vacancies, a long tail), 21 requirements per vacancy and 23 competences per person, over the
//! 13 comuni of the demo with real coordinates. Each query asks for the top 10 contract vacancies
//! within 30 km of the person's comune, with explanations. Besides criterion's estimate the bench
//! prints p50 and p99 over 2,000 distinct people, and asserts the results are ranked and filtered
//! and, for the first 50 people, equal (ids and scores, bit for bit) to the reference path.
//!
//! The reverse direction (`MatchSet::top_workers_for_vacancy`, behind
//! `Engine::candidates_for_vacancy`) is measured over 100,000 people drawn the same way: p50/p99
//! over 1,000 vacancies, the first 20 checked against the reference path.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use incontro_core::matching::{MatchQuery, MatchState};
use incontro_core::model::{
    ComuneCode, EntityId, Level, PlacementType, Requirement, SkillUri, Vacancy, VacancySource,
    VacancyStatus, Weight,
};
use incontro_core::scoring::{MatchSet, Requirement as ScoredRequirement, ScoringConfig};
use incontro_core::taxonomy::Taxonomy;
use rand::{RngExt, SeedableRng};

const VACANCIES: usize = 100_000;
const SKILLS: usize = 13_000;
const COMUNI: [(&str, f64, f64); 13] = [
    ("E715", 43.8429, 10.5027),
    ("B648", 43.8425, 10.5731),
    ("G882", 43.8383, 10.6167),
    ("A241", 43.8167, 10.6833),
    ("L833", 43.8667, 10.25),
    ("B455", 43.9333, 10.3),
    ("G628", 43.95, 10.2333),
    ("F035", 43.8667, 10.3333),
    ("A657", 44.0667, 10.4833),
    ("C236", 44.1, 10.4),
    ("A560", 44.0167, 10.5833),
    ("F452", 43.85, 10.6667),
    ("G480", 43.9667, 10.4167),
];

fn skewed_skill(rng: &mut rand::rngs::StdRng) -> u32 {
    // Popularity ~ 1/rank (Zipf-like): squaring a uniform number concentrates mass on low ids.
    let x: f64 = rng.random();
    ((x * x * x) * SKILLS as f64) as u32
}

fn uri(skill: u32) -> SkillUri {
    SkillUri::parse(&format!("http://data.europa.eu/esco/skill/bench-{skill}")).expect("uri")
}

/// The state, the people's interned profiles and their home comuni.
type Workload = (MatchState, Vec<Vec<(u32, u8)>>, Vec<ComuneCode>);

fn build() -> Workload {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let uris: Vec<SkillUri> = (0..SKILLS as u32).map(uri).collect();
    let comuni: Vec<ComuneCode> = COMUNI
        .iter()
        .map(|(code, _, _)| ComuneCode::parse(code).expect("comune"))
        .collect();
    let coordinates: HashMap<ComuneCode, (f64, f64)> = COMUNI
        .iter()
        .map(|(code, lat, lon)| (ComuneCode::parse(code).expect("comune"), (*lat, *lon)))
        .collect();
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).expect("day");
    let vacancies: Vec<Vacancy> = (0..VACANCIES)
        .map(|i| {
            let mut skills: Vec<u32> = (0..21).map(|_| skewed_skill(&mut rng)).collect();
            skills.sort_unstable();
            skills.dedup();
            Vacancy {
                id: EntityId::parse(&format!("V{i:07}")).expect("id"),
                company_id: EntityId::parse("C1").expect("id"),
                title: String::new(),
                description: String::new(),
                occupation: None,
                comune: comuni[i % comuni.len()].clone(),
                placement: if i % 5 == 0 {
                    PlacementType::Tirocinio {
                        months: 6,
                        monthly_indemnity_eur: 600,
                    }
                } else {
                    PlacementType::Contract {
                        contract_type: "A.02.00".into(),
                    }
                },
                positions: 1,
                opens: day,
                closes: None,
                source: VacancySource::Public,
                status: VacancyStatus::Draft,
                weekly_hours: None,
                requirements: skills
                    .iter()
                    .enumerate()
                    .map(|(k, &skill)| Requirement {
                        skill: uris[skill as usize].clone(),
                        level: Level::new(rng.random_range(1..=4)).expect("level"),
                        essential: k % 3 != 0,
                        weight: Weight::NEUTRAL,
                    })
                    .collect(),
            }
        })
        .collect();
    let state = MatchState::build(
        Arc::new(Taxonomy::empty()),
        &vacancies,
        &[],
        coordinates,
        &HashMap::new(),
        day,
        0,
    )
    .expect("state");
    // People: the same skewed draw; their interned ids equal the vacancies' (first-seen order), so
    // intern through the state.
    let people: Vec<Vec<(u32, u8)>> = (0..2_000)
        .map(|_| {
            let entries: Vec<incontro_core::profile::ProfileEntry> = (0..23)
                .map(|_| incontro_core::profile::ProfileEntry {
                    skill: uris[skewed_skill(&mut rng) as usize].clone(),
                    level: Level::new(rng.random_range(1..=4)).expect("level"),
                    evidence: incontro_core::model::Evidence::Declared,
                    confidence: 1.0,
                    source: String::new(),
                    presumed: false,
                    capped_from: None,
                })
                .collect();
            state.intern_profile(&entries)
        })
        .collect();
    let homes = (0..people.len())
        .map(|i| comuni[i % comuni.len()].clone())
        .collect();
    (state, people, homes)
}

fn bench_matching(c: &mut Criterion) {
    let (state, people, homes) = build();
    let query_for = |home: &ComuneCode| MatchQuery {
        k: 10,
        near: Some((home.clone(), 30.0)),
        tirocinio: Some(false),
        ..MatchQuery::default()
    };
    let mut latencies = Vec::with_capacity(people.len());
    for (profile, home) in people.iter().zip(&homes) {
        let started = Instant::now();
        let found = state
            .vacancies_for_profile(profile, Some(home), &query_for(home), "it")
            .expect("query");
        latencies.push(started.elapsed());
        assert!(found.windows(2).all(|pair| pair[0].score >= pair[1].score));
        assert!(found
            .iter()
            .all(|m| !m.placement.is_tirocinio() && m.distance_km.is_some_and(|d| d <= 30.0)));
    }
    for (profile, home) in people.iter().zip(&homes).take(50) {
        let query = query_for(home);
        let found: Vec<(String, u32)> = state
            .vacancies_for_profile(profile, Some(home), &query, "it")
            .expect("query")
            .into_iter()
            .map(|m| (m.vacancy_id, m.score.to_bits()))
            .collect();
        let reference: Vec<(String, u32)> = state
            .vacancies_for_profile_reference(profile, &query)
            .expect("reference")
            .into_iter()
            .map(|(id, score)| (id, score.to_bits()))
            .collect();
        assert_eq!(found.len(), 10);
        assert_eq!(found, reference);
    }
    latencies.sort_unstable();
    let p50 = latencies[latencies.len() / 2];
    let p99 = latencies[latencies.len() * 99 / 100];
    println!(
        "vacancies_for_profile over {VACANCIES} vacancies, top 10 with filters and explanations: p50 {:.3} ms, p99 {:.3} ms ({} people)",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        latencies.len()
    );
    let mut group = c.benchmark_group("matching");
    group.sample_size(50);
    let mut next = 0usize;
    group.bench_function("vacancies_for_person_100k_filtered_top10", |b| {
        b.iter(|| {
            next = (next + 1) % people.len();
            let home = &homes[next];
            state
                .vacancies_for_profile(&people[next], Some(home), &query_for(home), "it")
                .expect("query")
        })
    });
    group.finish();
}

const PEOPLE: usize = 100_000;

fn bench_candidates(c: &mut Criterion) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let mut set = MatchSet::new();
    for person in 0..PEOPLE {
        let profile: Vec<(u32, u8)> = (0..23)
            .map(|_| (skewed_skill(&mut rng), rng.random_range(1..=4u8)))
            .collect::<std::collections::BTreeMap<u32, u8>>()
            .into_iter()
            .collect();
        set.add_worker(format!("P{person:07}"), profile)
            .expect("worker");
    }
    for vacancy in 0..1_000 {
        let requirements: Vec<ScoredRequirement> = (0..21)
            .map(|k| {
                (
                    skewed_skill(&mut rng),
                    (rng.random_range(1..=4u8), k % 3 != 0),
                )
            })
            .collect::<std::collections::BTreeMap<u32, (u8, bool)>>()
            .into_iter()
            .map(|(skill, (level, essential))| {
                ScoredRequirement::new(skill, level, essential).expect("requirement")
            })
            .collect();
        set.add_vacancy(format!("V{vacancy:07}"), requirements)
            .expect("vacancy");
    }
    let config = ScoringConfig::default();
    let filter = |worker: usize| !worker.is_multiple_of(4);
    let mut latencies = Vec::with_capacity(set.vacancy_count());
    for vacancy in 0..set.vacancy_count() {
        let started = Instant::now();
        let found = set.top_workers_for_vacancy(vacancy, 10, &config, &filter);
        latencies.push(started.elapsed());
        assert_eq!(found.len(), 10);
        assert!(found.iter().all(|&(worker, _)| filter(worker)));
        if vacancy < 20 {
            let reference = set.top_workers_for_vacancy_reference(vacancy, 10, &config, &filter);
            let bits = |ranked: &[(usize, f32)]| -> Vec<(usize, u32)> {
                ranked.iter().map(|&(w, s)| (w, s.to_bits())).collect()
            };
            assert_eq!(bits(&found), bits(&reference));
        }
    }
    latencies.sort_unstable();
    println!(
        "top_workers_for_vacancy over {PEOPLE} people, top 10 filtered: p50 {:.3} ms, p99 {:.3} ms ({} vacancies)",
        latencies[latencies.len() / 2].as_secs_f64() * 1e3,
        latencies[latencies.len() * 99 / 100].as_secs_f64() * 1e3,
        latencies.len()
    );
    let mut group = c.benchmark_group("matching");
    group.sample_size(50);
    let mut next = 0usize;
    group.bench_function("candidates_for_vacancy_100k_people_top10", |b| {
        b.iter(|| {
            next = (next + 1) % set.vacancy_count();
            set.top_workers_for_vacancy(next, 10, &config, &filter)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_matching, bench_candidates);
criterion_main!(benches);
