#![allow(missing_docs)]
//! Competence suggestions over the whole English ESCO v1.1.1 release: quality on the labelled
//! job-ad sentences of `../shared/data/skill-extraction-dev` (R-Precision@5 and MRR of `suggest`
//! and of the TF-IDF baseline, side by side), one 300-word job ad, and 10,000 sentences in
//! parallel. Asserts the results so a broken path cannot post a fast time. Prints "skipped:
//! ../shared not found" and does nothing when the release is absent.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use incontro_core::suggest::{dev_table, Lang, SuggestOptions, DEV_SET_FILES};
use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, NoProgress};

/// The 307-word English job ad (also pinned, suggestion by suggestion, by
/// `crates/incontro-core/tests/suggest_pinned.rs`).
const JOB_AD_FILE: &str = include_str!("../tests/fixtures/suggest-pinned/job-ad-en.txt");

fn shared(folder: &str) -> PathBuf {
    match std::env::var("INCONTRO_SHARED") {
        Ok(shared) => PathBuf::from(shared).join("data").join(folder),
        Err(_) => Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data")
            .join(folder),
    }
}

fn release() -> Option<Vec<PathBuf>> {
    let folder = shared("esco-v1.1.1");
    let mut zips: Vec<PathBuf> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "zip"))
        .collect();
    zips.sort();
    (!zips.is_empty()).then_some(zips)
}

/// 10,000 sentences built from preferred labels with a fixed-seed generator: (sentence, the URI
/// of the skill whose label it quotes first).
fn sentences(engine: &Engine, count: usize) -> Vec<(String, String)> {
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let skills: Vec<u32> = (0..taxonomy.skill_count() as u32)
        .filter(|&skill| !taxonomy.is_group(skill))
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let templates = [
        "The candidate must be able to {a}.",
        "Experience with {a} and {b} is an asset.",
        "You will {a} and support the team with {b}.",
        "Strong knowledge of {a}; no experience in {b} is required.",
        "Tasks: {a}, {b}, reporting to the shift supervisor.",
    ];
    (0..count)
        .map(|_| {
            let a = skills[next(skills.len())];
            let b = skills[next(skills.len())];
            let template = templates[next(templates.len())];
            let label = |skill| taxonomy.preferred_label(skill, "en").unwrap_or_default();
            let sentence = template.replace("{a}", label(a)).replace("{b}", label(b));
            (sentence, taxonomy.skill_uri(a).to_string())
        })
        .collect()
}

/// User + system CPU seconds of this process so far (Linux `/proc/self/stat`), if readable.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: f64 = fields.get(11)?.parse().ok()?;
    let system: f64 = fields.get(12)?.parse().ok()?;
    Some((user + system) / 100.0) // clock ticks, 100 per second on Linux
}

fn suggest(c: &mut Criterion) {
    let Some(zips) = release() else {
        println!("skipped: ../shared not found");
        return;
    };
    let engine = Engine::open_in_memory().expect("engine");
    engine
        .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
        .expect("import");
    let dev = shared("skill-extraction-dev");
    if dev.join(DEV_SET_FILES[0].1).is_file() {
        let reports = engine.suggest_eval_dev_sets(&dev).expect("dev sets");
        println!("labelled job-ad sentences ({}):", dev.display());
        print!("{}", dev_table(&reports));
        for report in &reports {
            assert!(report.suggest.all.sentences >= 50, "{report:?}");
            assert!(report.baseline.all.rp_at_5 > 0.1, "{report:?}");
            assert!(report.suggest.all.rp_at_5 > 0.1, "{report:?}");
        }
    } else {
        println!("skipped: ../shared not found (labelled job-ad sentences)");
    }

    const JOB_AD: &str = JOB_AD_FILE.trim_ascii_end();
    let words = JOB_AD.split_whitespace().count();
    assert!((290..=330).contains(&words), "the job ad has {words} words");

    // build the suggester once (cached by the engine), and check the answer
    let ad = engine
        .suggest_competences(JOB_AD, None, 20)
        .expect("suggest");
    assert_eq!(ad.language, Lang::English);
    assert!(ad
        .skills
        .iter()
        .any(|skill| skill.uri.ends_with("2ee57de4-bffd-4194-b009-0060edec77cc")));
    assert!(!ad
        .skills
        .iter()
        .any(|skill| skill.span.quote.contains("accounting")));
    assert!(ad
        .occupations
        .iter()
        .any(|hint| hint.span.quote == "welder"));

    // CPU time per ad, which a busy machine does not inflate the way it inflates wall time
    if let Some(before) = cpu_seconds() {
        let rounds = 200;
        for _ in 0..rounds {
            let result = engine
                .suggest_competences(JOB_AD, Some("en"), 20)
                .expect("suggest");
            assert_eq!(result.skills.len(), ad.skills.len());
        }
        if let Some(after) = cpu_seconds() {
            println!(
                "job ad of {words} words: {:.1} ms CPU per ad (mean of {rounds})",
                (after - before) * 1000.0 / rounds as f64
            );
        }
    }

    let mut group = c.benchmark_group("suggest");
    group.sample_size(50);
    group.bench_function("job_ad_300_words_en", |b| {
        b.iter(|| {
            let result = engine
                .suggest_competences(JOB_AD, Some("en"), 20)
                .expect("suggest");
            assert_eq!(result.skills.len(), ad.skills.len());
            result
        })
    });

    let corpus = sentences(&engine, 10_000);
    let texts: Vec<&str> = corpus.iter().map(|(text, _)| text.as_str()).collect();
    let options = SuggestOptions {
        language: Some(Lang::English),
        top_k: 10,
        ..SuggestOptions::default()
    };
    let check = |results: &[incontro_core::Result<incontro_core::suggest::Suggestions>]| {
        let mut found = 0;
        for ((_, uri), result) in corpus.iter().zip(results) {
            let suggestions = result.as_ref().expect("suggestions");
            if suggestions.skills.iter().any(|skill| &skill.uri == uri) {
                found += 1;
            }
        }
        found as f64 / corpus.len() as f64
    };
    let results = engine
        .suggest_many(&texts, &options, &NoProgress)
        .expect("many");
    let recall = check(&results);
    println!(
        "10k sentences: the quoted skill is in the top 10 for {:.1}%",
        recall * 100.0
    );
    assert!(recall >= 0.8, "recall {recall}");
    group.sample_size(10);
    group.bench_function("sentences_10k_en_parallel", |b| {
        b.iter(|| {
            let results = engine
                .suggest_many(&texts, &options, &NoProgress)
                .expect("many");
            assert_eq!(results.len(), texts.len());
            results
        })
    });
    group.finish();
}

criterion_group!(benches, suggest);
criterion_main!(benches);
