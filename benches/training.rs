#![allow(missing_docs)]
//! Training proposals, doors and the competence demand report.
//!
//! - `propose`: gap → courses for one person–vacancy pair, with 1,000 courses and 20,000 open
//!   vacancies in memory (target ≤ 10 ms);
//! - `doors`: the courses that unlock most vacancies for one person, same data (target ≤ 50 ms);
//! - `demand`: the demand report over the shared 60,000 × 20,000 workload of
//!   `/work/shared/bench/esco_workload.py`, when `INCONTRO_WORKLOAD` names its output folder
//!   (workers.csv, vacancies.csv), with 1,000 courses drawn from the vacancies' essential skills
//!   (target ≤ 30 s on 2 cores). Timed with `Instant` (median of 3) and printed; skipped when the
//!   variable is not set.
//!
//! Vacancies, people and courses draw skills with a skewed popularity over 13,000 skills, as in
//! `benches/matching.rs`. The benches assert their results.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use incontro_core::matching::MatchState;
use incontro_core::model::{
    Competence, ComuneCode, Course, EducationLevel, EntityId, Evidence, GolPath, JobSeeker, Level,
    Modality, PlacementType, Requirement, Sex, SkillUri, Vacancy, VacancySource, VacancyStatus,
    Weight,
};
use incontro_core::scoring;
use incontro_core::taxonomy::Taxonomy;
use incontro_core::training::demand::{demand_report, DemandCourse, DemandInput, DemandVacancy};
use incontro_core::training::{DoorsOptions, PersonContext, TrainingOptions, TrainingState};
use rand::{RngExt, SeedableRng};

const VACANCIES: usize = 20_000;
const COURSES: usize = 1_000;
const PEOPLE: usize = 200;
const SKILLS: usize = 13_000;
const COMUNI: [(&str, f64, f64); 5] = [
    ("E715", 43.8429, 10.5027),
    ("B648", 43.8425, 10.5731),
    ("G882", 43.8383, 10.6167),
    ("L833", 43.8667, 10.25),
    ("C236", 44.1, 10.4),
];

fn skewed_skill(rng: &mut rand::rngs::StdRng) -> u32 {
    let x: f64 = rng.random();
    ((x * x * x) * SKILLS as f64) as u32
}

fn uri(skill: u32) -> SkillUri {
    SkillUri::parse(&format!("http://data.europa.eu/esco/skill/bench-{skill}")).expect("uri")
}

fn distinct_skills(rng: &mut rand::rngs::StdRng, count: usize) -> Vec<u32> {
    let mut skills: Vec<u32> = (0..count).map(|_| skewed_skill(rng)).collect();
    skills.sort_unstable();
    skills.dedup();
    skills
}

fn build() -> TrainingState {
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
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
        .map(|i| Vacancy {
            id: EntityId::parse(&format!("V{i:07}")).expect("id"),
            company_id: EntityId::parse("C1").expect("id"),
            title: format!("Offerta {i}"),
            description: String::new(),
            occupation: None,
            comune: comuni[i % comuni.len()].clone(),
            placement: PlacementType::Contract {
                contract_type: "A.02.00".into(),
            },
            positions: 1,
            opens: day,
            closes: None,
            source: VacancySource::Public,
            status: VacancyStatus::Draft,
            weekly_hours: None,
            requirements: distinct_skills(&mut rng, 12)
                .iter()
                .enumerate()
                .map(|(k, &skill)| Requirement {
                    skill: uri(skill),
                    level: Level::new(rng.random_range(1..=3)).expect("level"),
                    essential: k % 3 != 0,
                    weight: Weight::NEUTRAL,
                })
                .collect(),
        })
        .collect();
    let people: Vec<JobSeeker> = (0..PEOPLE)
        .map(|i| JobSeeker {
            id: EntityId::parse(&format!("P{i:05}")).expect("id"),
            birth_year: 1990,
            sex: Sex::F,
            comune: comuni[i % comuni.len()].clone(),
            education: EducationLevel::UpperSecondary,
            available_from: None,
            accepts_tirocinio: true,
            disability: false,
            citizenship: None,
            conditions: Default::default(),
            competences: distinct_skills(&mut rng, 25)
                .into_iter()
                .map(|skill| Competence {
                    skill: uri(skill),
                    level: Level::new(rng.random_range(1..=4)).expect("level"),
                    evidence: Evidence::Declared,
                    since: None,
                    note: None,
                })
                .collect(),
            work_history: Vec::new(),
        })
        .collect();
    let state = MatchState::build(
        Arc::new(Taxonomy::empty()),
        &vacancies,
        &people,
        coordinates,
        &HashMap::new(),
        day,
        0,
    )
    .expect("state");
    let courses: Vec<Course> = (0..COURSES)
        .map(|i| {
            let online = i % 4 == 0;
            let start = day + chrono::Days::new(rng.random_range(0..200));
            let taught = rng.random_range(2..=6);
            Course {
                id: EntityId::parse(&format!("K{i:05}")).expect("id"),
                title: format!("Corso {i}"),
                provider: "Ente".into(),
                hours: rng.random_range(16..=200),
                start,
                end: start + chrono::Days::new(rng.random_range(10..90)),
                modality: if online {
                    Modality::Online
                } else {
                    Modality::InPresence
                },
                comune: (!online).then(|| comuni[i % comuni.len()].clone()),
                seats: rng.random_range(0..=20),
                cost_eur: rng.random_range(0..=5) * 100,
                certification: None,
                gol_path: Some(GolPath::Upskilling),
                teaches: distinct_skills(&mut rng, taught)
                    .into_iter()
                    .map(|skill| {
                        (
                            uri(skill),
                            Level::new(rng.random_range(2..=4)).expect("level"),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    TrainingState::build(Arc::new(state), courses)
}

fn bench_proposals(c: &mut Criterion) {
    let state = build();
    let today = NaiveDate::from_ymd_opt(2026, 11, 1).expect("day");
    let options = TrainingOptions::on(today);
    let person_context = PersonContext {
        accepts_tirocinio: true,
        disability: false,
    };
    // Pairs: each person with a vacancy a course unlocks for them (a "nearly fits") when there
    // is one, else a vacancy drawn at random (many gaps).
    let doors_options = DoorsOptions::on(today);
    let pairs: Vec<(String, String)> = (0..PEOPLE)
        .map(|i| {
            let person = format!("P{i:05}");
            let doors = state.doors(&person, &doors_options).expect("doors");
            let vacancy = match doors.first().and_then(|door| door.unlocks.first()) {
                Some(unlocked) if i % 2 == 0 => unlocked.vacancy_id.clone(),
                _ => format!("V{:07}", (i * 97) % VACANCIES),
            };
            (person, vacancy)
        })
        .collect();
    let mut with_courses = 0;
    for (person, vacancy) in &pairs {
        let proposal = state
            .propose(person, vacancy, person_context, true, &options)
            .expect("proposal");
        assert!(proposal.score_after + 1e-6 >= proposal.score_before);
        assert!(proposal.courses.len() + proposal.untaught.len() <= proposal.missing.len() * 2);
        with_courses += usize::from(!proposal.courses.is_empty());
    }
    assert!(with_courses > 0, "some proposals use courses");
    let mut group = c.benchmark_group("training");
    group.sample_size(50);
    let mut next = 0usize;
    group.bench_function("propose_1k_courses_20k_vacancies", |b| {
        b.iter(|| {
            next = (next + 1) % pairs.len();
            let (person, vacancy) = &pairs[next];
            state
                .propose(person, vacancy, person_context, true, &options)
                .expect("proposal")
        })
    });
    let doors = state.doors("P00000", &doors_options).expect("doors");
    for pair in doors.windows(2) {
        assert!(pair[0].unlocks.len() >= pair[1].unlocks.len());
    }
    let mut person = 0usize;
    group.bench_function("doors_1k_courses_20k_vacancies", |b| {
        b.iter(|| {
            person = (person + 1) % PEOPLE;
            state
                .doors(&format!("P{person:05}"), &doors_options)
                .expect("doors")
        })
    });
    let threshold_options = DoorsOptions {
        min_score: Some(0.7),
        ..doors_options.clone()
    };
    group.sample_size(10);
    group.bench_function("doors_with_score_threshold_0.7", |b| {
        b.iter(|| {
            person = (person + 1) % PEOPLE;
            state
                .doors(&format!("P{person:05}"), &threshold_options)
                .expect("doors")
        })
    });
    group.finish();
}

/// Reads the shared workload's CSVs into the demand report's input, with 1,000 courses drawn
/// from the vacancies' essential skill sets.
fn workload_input(dir: &std::path::Path) -> DemandInput {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut intern = |uri: &str| -> u32 {
        let next = ids.len() as u32;
        *ids.entry(uri.to_string()).or_insert(next)
    };
    let mut seekers: Vec<Vec<(u32, u8)>> = Vec::new();
    let mut last = String::new();
    let mut reader = csv::Reader::from_path(dir.join("workers.csv")).expect("workers.csv");
    for record in reader.records() {
        let record = record.expect("row");
        if record[0] != *last {
            last = record[0].to_string();
            seekers.push(Vec::new());
        }
        let level: u8 = record[2].parse().expect("level");
        seekers
            .last_mut()
            .expect("person")
            .push((intern(&record[1]), level));
    }
    for profile in &mut seekers {
        profile.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        profile.dedup_by_key(|entry| entry.0);
    }
    let mut vacancies: Vec<DemandVacancy> = Vec::new();
    let mut last = String::new();
    let mut reader = csv::Reader::from_path(dir.join("vacancies.csv")).expect("vacancies.csv");
    for record in reader.records() {
        let record = record.expect("row");
        if record[0] != *last {
            last = record[0].to_string();
            vacancies.push(DemandVacancy {
                id: last.clone(),
                positions: 1,
                requirements: Vec::new(),
            });
        }
        let requirement = scoring::Requirement::new(
            intern(&record[1]),
            record[2].parse().expect("level"),
            &record[3] == "true",
        )
        .expect("requirement");
        let requirements = &mut vacancies.last_mut().expect("vacancy").requirements;
        if !requirements.iter().any(|r| r.skill == requirement.skill) {
            requirements.push(requirement);
        }
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    let courses = (0..COURSES)
        .map(|i| {
            let source = &vacancies[rng.random_range(0..vacancies.len())];
            let essentials: Vec<u32> = source
                .requirements
                .iter()
                .filter(|r| r.essential)
                .map(|r| r.skill)
                .collect();
            let take = rng.random_range(3..=6).min(essentials.len());
            let start = rng.random_range(0..essentials.len().max(1));
            DemandCourse {
                id: format!("K{i:05}"),
                seats: rng.random_range(10..=25),
                teaches: (0..take)
                    .map(|k| {
                        (
                            essentials[(start + k) % essentials.len()],
                            rng.random_range(3..=4),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    DemandInput {
        vacancies,
        seekers,
        courses,
    }
}

fn bench_demand(_c: &mut Criterion) {
    let Some(dir) = std::env::var_os("INCONTRO_WORKLOAD") else {
        println!("demand report: skipped (set INCONTRO_WORKLOAD to the esco_workload.py output)");
        return;
    };
    let started = Instant::now();
    let input = workload_input(std::path::Path::new(&dir));
    println!(
        "demand report input: {} seekers, {} vacancies, {} courses (read in {:.1} s)",
        input.seekers.len(),
        input.vacancies.len(),
        input.courses.len(),
        started.elapsed().as_secs_f64()
    );
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        let report = demand_report(&input, true);
        times.push(started.elapsed());
        last = Some(report);
    }
    let report = last.expect("report");
    assert_eq!(report.vacancies.len(), input.vacancies.len());
    assert!(report
        .vacancies
        .iter()
        .all(|v| (v.ready_now + v.after_one_course) as usize <= input.seekers.len()));
    assert!(report
        .courses
        .iter()
        .all(|pick| pick.people <= input.courses[pick.course].seats));
    times.sort_unstable();
    let ready: u64 = report
        .vacancies
        .iter()
        .map(|v| u64::from(v.ready_now))
        .sum();
    let after: u64 = report
        .vacancies
        .iter()
        .map(|v| u64::from(v.after_one_course))
        .sum();
    println!(
        "demand report over the workload: median {:.2} s (min {:.2}, max {:.2}); {} skills, ready now {} pairs, after one course {} pairs, {} courses picked",
        times[1].as_secs_f64(),
        times[0].as_secs_f64(),
        times[2].as_secs_f64(),
        report.skills.len(),
        ready,
        after,
        report.courses.len()
    );
}

criterion_group!(benches, bench_proposals, bench_demand);
criterion_main!(benches);
