//! Issue 14, point 7: default mode on records where a third of people's competences are written
//! as a neighbouring ESCO concept (see `incontro_core::matching::neighbours`). Needs the official
//! release in `../shared/data/esco-v1.1.1/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use incontro_core::matching::neighbours::{neighbour_eval, NeighbourEvalOptions};
use incontro_core::matching::{skill_graph, skill_graph_for, GraphOptions};
use incontro_core::scoring::{Closeness, ScoringConfig};
use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, NoProgress};

fn shared_release() -> Option<Vec<PathBuf>> {
    let mut current = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let shared = loop {
        let candidate = current.join("shared");
        if candidate.join("data").is_dir() {
            break candidate;
        }
        if !current.pop() {
            return None;
        }
    };
    let mut zips: Vec<PathBuf> = std::fs::read_dir(shared.join("data/esco-v1.1.1"))
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "zip"))
        .collect();
    zips.sort();
    (!zips.is_empty()).then_some(zips)
}

fn release_engine() -> Option<Engine> {
    let zips = shared_release()?;
    let engine = Engine::open_in_memory().expect("engine");
    engine
        .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
        .expect("import");
    Some(engine)
}

/// The figures of docs/scoring.md. Issue 14 asks default mode to win back at least three
/// quarters of what exact mode loses on neighbouring records, while staying at least as good as
/// exact mode on clean ones. Default mode as the engine's matching state runs it — the records
/// read against the ESCO occupations (`matching::reading`), then the default scoring — does both
/// (exact 0.8777 → 0.8312; default 0.8833 → 0.8703, 84% won back; 80% on the held-out half the
/// reading's constants were not chosen on). The test also pins what the scoring alone achieves
/// (21%), that it beats the previous defaults, that the experimental scorer reproduces the
/// engine's figures, and the bound: knowing what each record stands for, a 0.5 credit wins
/// back over 90%.
#[test]
fn default_mode_on_neighbouring_records() {
    use incontro_core::matching::neighbours::{CreditRule, EvalSplit, NeighbourEvalData};
    use incontro_core::matching::reading::RecordReader;
    let Some(engine) = release_engine() else {
        println!("skipped: ../shared not found");
        return;
    };
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let graph = Arc::new(skill_graph(&taxonomy).expect("graph"));
    let reader = RecordReader::new(&taxonomy).expect("reader");
    let options = NeighbourEvalOptions::default();
    let data = NeighbourEvalData::generate(&taxonomy, &options).expect("data");
    let evaluate = |split: EvalSplit| {
        data.evaluate_with_reading(
            Arc::clone(&graph),
            &ScoringConfig::default(),
            Some(&reader),
            split,
        )
        .expect("evaluate")
    };
    let report = evaluate(EvalSplit::All);
    println!("defaults: {report:?} recovered {:.3}", report.recovered());
    assert!(report.perturbed_share > 0.3, "{report:?}");
    assert!(
        report.exact_clean - report.exact_perturbed > 0.04,
        "the perturbation costs exact mode something: {report:?}"
    );
    assert!(report.default_clean >= report.exact_clean, "{report:?}");
    assert!(report.recovered() >= 0.75, "{report:?}");
    let held_out = evaluate(EvalSplit::HeldOut);
    println!(
        "held out: {held_out:?} recovered {:.3}",
        held_out.recovered()
    );
    assert!(held_out.recovered() >= 0.75, "{held_out:?}");
    assert!(
        held_out.default_clean >= held_out.exact_clean,
        "{held_out:?}"
    );
    // The one-call entry point gives the same figures.
    let same = neighbour_eval(
        &taxonomy,
        Arc::clone(&graph),
        &ScoringConfig::default(),
        &options,
    )
    .expect("eval");
    assert_eq!(same, report);
    // The scoring alone, on the records as written: related credit wins back a fifth.
    let scoring_alone = data
        .evaluate(
            Arc::clone(&graph),
            &ScoringConfig::default(),
            EvalSplit::All,
        )
        .expect("evaluate");
    println!(
        "scoring alone: {scoring_alone:?} recovered {:.3}",
        scoring_alone.recovered()
    );
    assert!(scoring_alone.recovered() >= 0.21, "{scoring_alone:?}");
    assert!(
        report.recovered() > scoring_alone.recovered() + 0.5,
        "{report:?} {scoring_alone:?}"
    );
    let report = scoring_alone;
    let previous_graph = Arc::new(
        skill_graph_for(
            &taxonomy,
            &GraphOptions {
                group_siblings_up_to: 0,
                ..GraphOptions::default()
            },
        )
        .expect("graph"),
    );
    let previous_config = ScoringConfig {
        related_discount: 0.25,
        ..ScoringConfig::default()
    };
    let previous = data
        .evaluate(previous_graph, &previous_config, EvalSplit::All)
        .expect("evaluate");
    println!(
        "previous: {previous:?} recovered {:.3}",
        previous.recovered()
    );
    assert!(
        report.recovered() > previous.recovered() + 0.05,
        "{report:?} {previous:?}"
    );
    assert!(
        report.default_clean >= previous.default_clean,
        "{report:?} {previous:?}"
    );
    // The experimental scorer behind "Credit rules tried" is the engine's under its rule.
    let held_out = data
        .evaluate(
            Arc::clone(&graph),
            &ScoringConfig::default(),
            EvalSplit::HeldOut,
        )
        .expect("evaluate");
    let rule = data
        .evaluate_rule(
            Arc::clone(&graph),
            &ScoringConfig::default(),
            &CreditRule::PerRequirement,
            EvalSplit::HeldOut,
        )
        .expect("evaluate");
    assert_eq!(rule, held_out);
    // The bound: perfect knowledge of what each record stands for.
    let oracle_config = ScoringConfig {
        related_discount: 0.5,
        ..ScoringConfig::default()
    };
    let oracle = data
        .evaluate_rule(graph, &oracle_config, &CreditRule::Oracle, EvalSplit::All)
        .expect("evaluate");
    println!("oracle 0.5: {oracle:?} recovered {:.3}", oracle.recovered());
    assert!(oracle.recovered() > 0.9, "{oracle:?}");
}

fn env_f32(name: &str, default: f32) -> f32 {
    std::env::var(name)
        .ok()
        .map(|text| text.parse().expect("number"))
        .unwrap_or(default)
}

/// A comma-separated list from the environment variable `name`, else `default`.
fn env_list<T: std::str::FromStr>(name: &str, default: Vec<T>) -> Vec<T>
where
    T::Err: std::fmt::Debug,
{
    std::env::var(name)
        .ok()
        .map(|text| text.split(',').map(|n| n.parse().expect(name)).collect())
        .unwrap_or(default)
}

/// The reading's constants (docs/scoring.md, "Reading the records"), on the two halves and on
/// other seeds: `READ_AS_IS`, `READ_OPTIONAL`, `READ_FLOOR`, `READ_PRIOR`, `READ_HELD`,
/// `READ_FROM`, `READ_CAP`, `SEEDS=14,15,16`, `GRID_GROUPS`, `GRID_DISCOUNTS`.
#[test]
#[ignore = "prints the reading grid of docs/scoring.md"]
fn reading_grid() {
    use incontro_core::matching::neighbours::{EvalSplit, NeighbourEvalData};
    use incontro_core::matching::reading::{ReadingConfig, RecordReader};
    let Some(engine) = release_engine() else {
        println!("skipped: ../shared not found");
        return;
    };
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let defaults = ReadingConfig::default();
    let config = ReadingConfig {
        as_is: env_f32("READ_AS_IS", defaults.as_is),
        optional: env_f32("READ_OPTIONAL", defaults.optional),
        floor: env_f32("READ_FLOOR", defaults.floor),
        prior_floor: env_f32("READ_PRIOR", defaults.prior_floor),
        held: env_f32("READ_HELD", defaults.held),
        presume_from: env_f32("READ_FROM", defaults.presume_from),
        cap: env_f32("READ_CAP", f32::from(defaults.cap)) as u8,
    };
    let started = std::time::Instant::now();
    let reader = RecordReader::with_config(&taxonomy, config).expect("reader");
    println!(
        "reader built in {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
    let seeds: Vec<u64> = env_list("SEEDS", vec![14]);
    let groups: Vec<usize> = env_list("GRID_GROUPS", vec![40]);
    let discounts: Vec<f32> = env_list("GRID_DISCOUNTS", vec![0.2]);
    for seed in seeds {
        let options = NeighbourEvalOptions {
            seed,
            ..NeighbourEvalOptions::default()
        };
        let data = NeighbourEvalData::generate(&taxonomy, &options).expect("data");
        let started = std::time::Instant::now();
        let (clean, perturbed) = data.mean_presumed(&reader);
        println!(
            "seed {seed}: presumed per person {clean:.2} (clean), {perturbed:.2} (neighbouring); {:.0} µs per reading",
            started.elapsed().as_secs_f64() * 1e6 / 2400.0
        );
        // Exact mode on the read records (the "default" columns), for comparison.
        let exact_read = data
            .evaluate_with_reading(
                Arc::new(skill_graph(&taxonomy).expect("graph")),
                &ScoringConfig::exact(),
                Some(&reader),
                EvalSplit::All,
            )
            .expect("evaluate");
        println!(
            "seed {seed}: exact mode on the read records {:.4} → {:.4}, recovered {:.3}",
            exact_read.default_clean,
            exact_read.default_perturbed,
            exact_read.recovered()
        );
        for &group_siblings_up_to in &groups {
            let graph = Arc::new(
                skill_graph_for(
                    &taxonomy,
                    &GraphOptions {
                        group_siblings_up_to,
                        ..GraphOptions::default()
                    },
                )
                .expect("graph"),
            );
            for &discount in &discounts {
                let scoring = ScoringConfig {
                    related_discount: discount,
                    ..ScoringConfig::default()
                };
                for split in [EvalSplit::All, EvalSplit::Development, EvalSplit::HeldOut] {
                    let report = data
                        .evaluate_with_reading(Arc::clone(&graph), &scoring, Some(&reader), split)
                        .expect("evaluate");
                    println!(
                        "seed {seed} groups<={group_siblings_up_to} discount {discount} {split:?} {config:?}: exact {:.4} → {:.4}, default {:.4} → {:.4}, recovered {:.3}",
                        report.exact_clean,
                        report.exact_perturbed,
                        report.default_clean,
                        report.default_perturbed,
                        report.recovered()
                    );
                }
            }
        }
    }
}

/// The grid behind the defaults (docs/scoring.md): `cargo test --release -p incontro-core --test
/// neighbour_eval -- --ignored --nocapture`.
#[test]
#[ignore = "prints the tuning grid of docs/scoring.md"]
fn neighbour_grid() {
    let Some(engine) = release_engine() else {
        println!("skipped: ../shared not found");
        return;
    };
    let taxonomy = engine.taxonomy().expect("taxonomy");
    use incontro_core::matching::neighbours::{EvalSplit, NeighbourEvalData};
    let data =
        NeighbourEvalData::generate(&taxonomy, &NeighbourEvalOptions::default()).expect("data");
    let groups: Vec<usize> = env_list("GRID_GROUPS", vec![0, 10, 20, 40, usize::MAX]);
    let discounts: Vec<f32> = env_list("GRID_DISCOUNTS", vec![0.25, 0.5, 0.75]);
    for &group_siblings_up_to in &groups {
        let graph = Arc::new(
            skill_graph_for(
                &taxonomy,
                &GraphOptions {
                    group_siblings_up_to,
                    skill_relations: std::env::var("GRID_NO_RELATIONS").is_err(),
                    closeness: Closeness {
                        related: env_f32("GRID_RELATED", 1.0),
                        parent_child: env_f32("GRID_PARENT", 1.0),
                        siblings: env_f32("GRID_SIBLINGS", f32::INFINITY),
                    },
                },
            )
            .expect("graph"),
        );
        for &discount in &discounts {
            let config = ScoringConfig {
                related_discount: discount,
                ..ScoringConfig::default()
            };
            // The scoring alone, on the records as written (the table of docs/scoring.md).
            let report = data
                .evaluate(Arc::clone(&graph), &config, EvalSplit::All)
                .expect("eval");
            let credited: usize = report.credited_by.iter().sum();
            let perturbed: usize = report.perturbed_by.iter().sum();
            println!(
                "groups<={group_siblings_up_to} discount {discount}: exact {:.4} → {:.4}, default {:.4} → {:.4}, recovered {:.3}, neighbours credited {credited}/{perturbed}",
                report.exact_clean,
                report.exact_perturbed,
                report.default_clean,
                report.default_perturbed,
                report.recovered()
            );
        }
    }
}

/// The credit rules of docs/scoring.md ("Credit rules tried"), each on the development and the
/// held-out half: `cargo test -p incontro-core --test neighbour_eval -- --ignored neighbour_rules
/// --nocapture`. `RULES=per,one,spare,notreq,gated,coherent`, `GRID_GROUPS`, `GRID_DISCOUNTS`.
#[test]
#[ignore = "prints the credit-rule experiments of docs/scoring.md"]
fn neighbour_rules() {
    use incontro_core::matching::neighbours::{
        skill_occupations, CreditRule, EvalSplit, NeighbourEvalData,
    };
    let Some(engine) = release_engine() else {
        println!("skipped: ../shared not found");
        return;
    };
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let data =
        NeighbourEvalData::generate(&taxonomy, &NeighbourEvalOptions::default()).expect("data");
    let occupations = Arc::new(skill_occupations(&taxonomy));
    let rules: Vec<String> = std::env::var("RULES")
        .unwrap_or_else(|_| "per,one,spare,notreq,gated,coherent".to_string())
        .split(',')
        .map(str::to_string)
        .collect();
    let groups: Vec<usize> = env_list("GRID_GROUPS", vec![40]);
    let discounts: Vec<f32> = env_list("GRID_DISCOUNTS", vec![0.2, 0.5]);
    let splits: Vec<EvalSplit> = if std::env::var("SPLITS").is_ok() {
        vec![EvalSplit::Development, EvalSplit::HeldOut]
    } else {
        vec![EvalSplit::All]
    };
    for &group_siblings_up_to in &groups {
        let graph = Arc::new(
            skill_graph_for(
                &taxonomy,
                &GraphOptions {
                    group_siblings_up_to,
                    skill_relations: std::env::var("GRID_NO_RELATIONS").is_err(),
                    closeness: Closeness {
                        related: env_f32("GRID_RELATED", 1.0),
                        parent_child: env_f32("GRID_PARENT", 1.0),
                        siblings: env_f32("GRID_SIBLINGS", f32::INFINITY),
                    },
                },
            )
            .expect("graph"),
        );
        for rule_name in &rules {
            let rule = match rule_name.as_str() {
                "per" => CreditRule::PerRequirement,
                "one" => CreditRule::OneUse { spare_only: false },
                "spare" => CreditRule::OneUse { spare_only: true },
                "notreq" => CreditRule::NotWhenRequired,
                "gated" => CreditRule::ExactGated,
                "oracle" => CreditRule::Oracle,
                "coherent" => CreditRule::Coherent {
                    skill_occupations: Arc::clone(&occupations),
                    sharpness: env_f32("SHARPNESS", 0.0),
                },
                other => panic!("unknown rule {other}"),
            };
            for &discount in &discounts {
                let config = ScoringConfig {
                    related_discount: discount,
                    ..ScoringConfig::default()
                };
                for &split in &splits {
                    let started = std::time::Instant::now();
                    let report = data
                        .evaluate_rule(Arc::clone(&graph), &config, &rule, split)
                        .expect("evaluate");
                    println!(
                        "groups<={group_siblings_up_to} rule {rule_name} discount {discount} {split:?}: exact {:.4} → {:.4}, default {:.4} → {:.4}, recovered {:.3} ({:.1}s)",
                        report.exact_clean,
                        report.exact_perturbed,
                        report.default_clean,
                        report.default_perturbed,
                        report.recovered(),
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        }
    }
}
