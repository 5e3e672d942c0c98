#![allow(missing_docs)]
//! Outreach (Cob23) benchmarks, each asserting its result:
//!
//! - `import_cob`: import of a synthetic COB file into a fresh on-disk store (generation excluded);
//!   `OUTREACH_IMPORT_PEOPLE` people, default 200,000 (about 1,000,000 notices). The 5,000,000
//!   notice figure is measured with the CLI (`/usr/bin/time incontro import cob`).
//! - `cohort_select`: the cohort rule over `OUTREACH_COHORT_PEOPLE` people (default 1,000,000,
//!   about 5,000,000 notices imported and turned into spells once, outside the measurement);
//! - `cohort_from_summaries`: the same rule as `Engine::select_cohort` runs it, from the
//!   per-worker summaries kept at import (store reads included), checked against the above.
//! - `assign`: fair assignment of 60,000 entries to 20 operators, pure and through the store.

use std::path::Path;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use incontro_core::outreach::{
    assign_fairly, generate_cob_with_contacts, select, CampaignSpec, CobGeneratorConfig,
    CobImportOptions, CohortRule, ContactImportOptions, Operator,
};
use incontro_core::{Engine, NoProgress};

fn people_from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn generate(dir: &Path, people: usize) -> u64 {
    let cob = std::fs::File::create(dir.join("cob.csv")).expect("cob file");
    let contacts = std::fs::File::create(dir.join("contacts.csv")).expect("contacts file");
    generate_cob_with_contacts(&CobGeneratorConfig::new(people, 11), cob, Some(contacts))
        .expect("generate")
        .notices
}

fn rule() -> CohortRule {
    serde_json::from_str(
        r#"{"ended_from": "2023-01-01", "ended_to": "2024-06-30", "as_of": "2025-01-15",
            "ignore_short_jobs_up_to_days": 30, "age_min": 18, "age_max": 64, "sex": "F",
            "comuni": ["F205"],
            "exclude_contract_types": ["C.01.00"], "exclude_end_reasons": ["PE"]}"#,
    )
    .expect("rule")
}

fn bench_import(c: &mut Criterion) {
    let people = people_from_env("OUTREACH_IMPORT_PEOPLE", 200_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let notices = generate(dir.path(), people);
    let file = dir.path().join("cob.csv");
    let mut group = c.benchmark_group("outreach");
    group.sample_size(10);
    group.bench_function(format!("import_cob_{notices}_notices"), |b| {
        b.iter(|| {
            let data = tempfile::tempdir().expect("tempdir");
            let engine = Engine::open(data.path()).expect("engine");
            let report = engine
                .import_cob(&file, &CobImportOptions::default(), &NoProgress)
                .expect("import");
            assert_eq!(report.inserted, notices);
            assert_eq!(report.skipped_rows, 0);
        })
    });
    group.finish();
}

fn bench_cohort_and_assignment(c: &mut Criterion) {
    let people = people_from_env("OUTREACH_COHORT_PEOPLE", 1_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let notices = generate(dir.path(), people);
    let engine = Engine::open(&dir.path().join("data")).expect("engine");
    let report = engine
        .import_cob(
            &dir.path().join("cob.csv"),
            &CobImportOptions::default(),
            &NoProgress,
        )
        .expect("import");
    assert_eq!(report.inserted, notices);
    engine
        .import_contacts(
            &dir.path().join("contacts.csv"),
            &ContactImportOptions::default(),
        )
        .expect("contacts");
    let rule = rule();
    let data = engine.cob_data(rule.as_of).expect("spells");
    let book = engine.contact_book().expect("contacts");
    assert_eq!(data.people.len(), people);
    let mut group = c.benchmark_group("outreach");
    group.sample_size(10);
    group.bench_function(format!("cohort_select_{people}_people"), |b| {
        b.iter(|| {
            let (selected, report) = select(&data, &book, &rule).expect("select");
            assert!(!selected.is_empty());
            let excluded: u64 = report.excluded.iter().map(|(_, count)| count).sum();
            assert_eq!(excluded + report.selected, report.people);
        })
    });
    let (_, expected) = select(&data, &book, &rule).expect("select");
    drop(data);
    drop(book);
    // The whole selection as the command runs it: the per-worker summaries kept at import read
    // from the store, the contact rules for those left.
    group.bench_function(format!("cohort_from_summaries_{people}_people"), |b| {
        b.iter(|| {
            let (_, report) = engine.select_cohort(&rule).expect("select");
            assert_eq!(report, expected);
        })
    });

    let capacities = [30u32; 20];
    group.bench_function("assign_fairly_60000_x_20", |b| {
        b.iter(|| {
            let assignment = assign_fairly(60_000, &capacities);
            assert_eq!(assignment.len(), 60_000);
            assert_eq!(
                assignment.iter().filter(|&&operator| operator == 7).count(),
                3_000
            );
        })
    });

    // Through the store: the campaign of women living in Milan (about 60,000 of 1,000,000).
    let spec = CampaignSpec {
        id: "bench".into(),
        name: "bench".into(),
        rule: rule.clone(),
        retention_until: NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
        max_attempts: 3,
        retry_days: 2,
    };
    let summary = engine
        .create_campaign(&spec, &NoProgress)
        .expect("campaign");
    let entries = summary.report.selected;
    assert!(entries > 0);
    let operators: Vec<Operator> = (0..20)
        .map(|index| Operator {
            id: format!("op{index:02}"),
            daily_capacity: 30,
        })
        .collect();
    group.bench_function(format!("assign_operators_{entries}_entries_x_20"), |b| {
        b.iter(|| {
            let counts = engine
                .assign_operators("bench", &operators)
                .expect("assign");
            assert_eq!(counts.iter().map(|(_, count)| count).sum::<u64>(), entries);
        })
    });
    group.finish();
}

criterion_group!(benches, bench_import, bench_cohort_and_assignment);
criterion_main!(benches);
