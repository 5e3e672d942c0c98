//! The fast query path against the reference, under every filter.

use super::*;
use crate::model::{Level, Requirement as VacancyRequirement, SkillUri, VacancyStatus, Weight};
use rand::{RngExt, SeedableRng};

fn comune(code: &str) -> ComuneCode {
    ComuneCode::parse(code).unwrap()
}

/// A state of 400 vacancies over 30 skills in 5 comuni (one without coordinates), with every
/// kind of placement and source, and some repeated requirement sets (ties).
fn state(rng: &mut rand::rngs::StdRng) -> (MatchState, Vec<SkillUri>) {
    let uris: Vec<SkillUri> = (0..30)
        .map(|s| SkillUri::parse(&format!("http://data.europa.eu/esco/skill/t-{s}")).unwrap())
        .collect();
    let places = [
        ("E715", Some((43.8429, 10.5027))),
        ("B648", Some((43.8425, 10.5731))),
        ("A657", Some((44.0667, 10.4833))),
        ("F205", Some((45.4642, 9.19))),
        ("Z999", None),
    ];
    let coordinates: HashMap<ComuneCode, (f64, f64)> = places
        .iter()
        .filter_map(|(code, at)| at.map(|at| (comune(code), at)))
        .collect();
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let vacancies: Vec<Vacancy> = (0..400)
        .map(|i| {
            let mut skills: Vec<usize> = (0..rng.random_range(1..8))
                .map(|_| rng.random_range(0..30))
                .collect();
            if i % 10 == 9 {
                skills = vec![1, 2, 3];
            }
            skills.sort_unstable();
            skills.dedup();
            Vacancy {
                id: EntityId::parse(&format!("V{:04}", (i * 37) % 400)).unwrap(),
                company_id: EntityId::parse("C1").unwrap(),
                title: String::new(),
                description: String::new(),
                occupation: None,
                comune: comune(places[i % places.len()].0),
                placement: match i % 3 {
                    0 => PlacementType::Tirocinio {
                        months: 6,
                        monthly_indemnity_eur: 600,
                    },
                    1 => PlacementType::Contract {
                        contract_type: "A.02.00".into(),
                    },
                    _ => PlacementType::Contract {
                        contract_type: "A.03.00".into(),
                    },
                },
                positions: 1,
                opens: day,
                // A third close on the 3rd: gone from the state moved to a later day.
                closes: (i % 3 == 1).then(|| day + chrono::Days::new(2)),
                source: if i % 4 == 0 {
                    VacancySource::Agency { name: "Z".into() }
                } else {
                    VacancySource::Public
                },
                status: VacancyStatus::Draft,
                weekly_hours: None,
                requirements: skills
                    .iter()
                    .map(|&s| VacancyRequirement {
                        skill: uris[s].clone(),
                        level: Level::new(if i % 10 == 9 {
                            2
                        } else {
                            rng.random_range(1..=4)
                        })
                        .unwrap(),
                        essential: s % 3 != 0,
                        // Weighted requirements give the vacancies different shares (bounds).
                        weight: if i % 10 == 9 || i % 2 == 0 {
                            Weight::NEUTRAL
                        } else {
                            Weight::new(rng.random_range(0.2f32..3.0)).unwrap()
                        },
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
    .unwrap();
    (state, uris)
}

/// The engine's query path (interned filters, pruned top k) ranks exactly as the reference
/// path (filters on the stored facts, reference kernel) under every filter combination, office
/// scope, and on a later day (vacancies closed since left the state, their bounds stay).
#[test]
fn fast_query_path_equals_reference_under_filters() {
    for (seed, later) in [(3, false), (4, true), (5, true)] {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let (mut state, uris) = state(&mut rng);
        if later {
            let before = state.set.vacancy_count();
            let day = state.built_on + chrono::Days::new(5);
            state.move_to_day(day);
            assert!(state.set.vacancy_count() < before, "nothing closed");
        }
        fast_query_path_equals_reference(&state, &uris, &mut rng);
    }
}

fn fast_query_path_equals_reference(
    state: &MatchState,
    uris: &[SkillUri],
    rng: &mut rand::rngs::StdRng,
) {
    let centres = [
        None,
        Some(("E715", 10.0)),
        Some(("A657", 40.0)),
        Some(("Z999", 50.0)),
    ];
    let contract_types = [None, Some("A.02.00"), Some("X.99.99")];
    let mut non_empty = 0;
    for person in 0..30 {
        let entries: Vec<ProfileEntry> = (0..rng.random_range(1..10))
            .map(|_| ProfileEntry {
                skill: uris[rng.random_range(0..30)].clone(),
                level: Level::new(rng.random_range(1..=4)).unwrap(),
                evidence: crate::model::Evidence::Declared,
                confidence: 1.0,
                source: String::new(),
                presumed: false,
                capped_from: None,
            })
            .collect();
        let profile = state.intern_profile(&entries);
        for (index, near) in centres.iter().enumerate() {
            let query = MatchQuery {
                k: 1 + (person % 12),
                offset: person % 3,
                exact: person % 2 == 0,
                near: near.map(|(code, km)| (comune(code), km)),
                tirocinio: [None, Some(true), Some(false)][(person + index) % 3],
                contract_type: contract_types[(person / 3 + index) % 3].map(String::from),
                public_source: [None, Some(true), Some(false)][(person / 2 + index) % 3],
                min_score: [0.0, 0.3][person % 2],
                include_unsuitable: false,
                // The caller's office: none, two comuni, one comune no vacancy is in.
                scope: [
                    None,
                    Some(ComuneScope::new([comune("E715"), comune("A657")])),
                    Some(ComuneScope::new([comune("Z999")])),
                ][(person + index) % 3]
                    .clone(),
            };
            let fast: Vec<(String, u32)> = state
                .vacancies_for_profile(&profile, None, &query, "it")
                .unwrap()
                .into_iter()
                .map(|m| (m.vacancy_id, m.score.to_bits()))
                .collect();
            let reference: Vec<(String, u32)> = state
                .vacancies_for_profile_reference(&profile, &query)
                .unwrap()
                .into_iter()
                .map(|(id, score)| (id, score.to_bits()))
                .collect();
            assert_eq!(fast, reference, "{query:?}");
            non_empty += usize::from(!fast.is_empty());
        }
    }
    assert!(non_empty >= 15, "only {non_empty} queries found anything");
}
