//! Tests of the batch matcher.

use std::path::PathBuf;

use super::*;
use crate::progress::NoProgress;
use crate::scoring::{score, MatchSet, Requirement};

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new(workers: &str, vacancies: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("w.csv"), workers).unwrap();
        std::fs::write(dir.path().join("v.csv"), vacancies).unwrap();
        Files { dir }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn run(
        &self,
        k: usize,
        config: &ScoringConfig,
        related: Option<&RelatedSkills<'_>>,
    ) -> Result<(BatchReport, String)> {
        let out = self.path("out.csv");
        let report = run_csv(
            &self.path("w.csv"),
            &self.path("v.csv"),
            k,
            config,
            related,
            &out,
            &NoProgress,
        )?;
        Ok((report, std::fs::read_to_string(out).unwrap()))
    }
}

const VACANCIES: &str = "vacancy_id,skill_uri,level,essential\n\
    V2,s:a,2,true\nV2,s:b,4,true\nV2,s:c,1,false\n\
    V1,s:a,1,true\n\
    V3,s:d,2,false\n";

#[test]
fn exact_batch_by_hand() {
    let files = Files::new(
        "worker_id,skill_uri,level\nW1,s:a,3\nW1,s:b,2\nW1,s:z,4\nW2,s:q,1\n",
        VACANCIES,
    );
    let (report, out) = files.run(10, &ScoringConfig::exact(), None).unwrap();
    assert_eq!(
        out,
        "worker_id,rank,vacancy_id,score\nW1,1,V1,1.000000\nW1,2,V2,0.600000\n"
    );
    assert_eq!(report.workers, 2);
    assert_eq!(report.vacancies, 3);
    assert_eq!(report.rows_written, 2);
}

#[test]
fn ties_go_to_the_lowest_vacancy_id_and_top_k_cuts() {
    let vacancies =
        "vacancy_id,skill_uri,level,essential\nB,s:a,1,true\nA,s:a,1,true\nC,s:a,1,true\n";
    let files = Files::new("worker_id,skill_uri,level\nW,s:a,1\n", vacancies);
    let (_, out) = files.run(2, &ScoringConfig::exact(), None).unwrap();
    assert_eq!(
        out,
        "worker_id,rank,vacancy_id,score\nW,1,A,1.000000\nW,2,B,1.000000\n"
    );
}

#[test]
fn bad_input_reports_file_line_and_field_and_writes_nothing() {
    let cases = [
        ("worker_id,skill_uri,level\nW1,s:a,5\n", "level", 2),
        (
            "worker_id,skill_uri,level\nW1,s:a,1\nW1,s:a,2\n",
            "skill_uri",
            3,
        ),
        ("worker_id,skill_uri,level\nW 1,s:a,1\n", "worker_id", 2),
        (
            "worker_id,skill_uri,level\nW1,s:a,1\nW2,s:a,1\nW1,s:b,1\n",
            "worker_id",
            4,
        ),
        ("worker_id,skill_uri\nW1,s:a\n", "level", 1),
    ];
    for (workers, field, line) in cases {
        let files = Files::new(workers, VACANCIES);
        let error = files.run(3, &ScoringConfig::exact(), None).unwrap_err();
        let Error::InvalidInput { problems } = &error else {
            panic!("{error}")
        };
        assert_eq!(problems[0].field.as_deref(), Some(field), "{workers}");
        assert_eq!(problems[0].line, line, "{workers}");
        assert!(problems[0].file.ends_with("w.csv"));
        assert!(!files.path("out.csv").exists());
        let leftovers = std::fs::read_dir(files.dir.path()).unwrap().count();
        assert_eq!(leftovers, 2, "temporary file left behind");
    }
    for workers in ["", "worker_id,skill_uri,level\n"] {
        let files = Files::new(workers, VACANCIES);
        let error = files.run(3, &ScoringConfig::exact(), None).unwrap_err();
        assert_eq!(error.code(), "invalid_input");
    }
    let files = Files::new(
        "worker_id,skill_uri,level\nW1,s:a,1\n",
        "vacancy_id,skill_uri,level,essential\nV,s:a,1,maybe\nV,s:a,2,true\n",
    );
    let Error::InvalidInput { problems } = files.run(3, &ScoringConfig::exact(), None).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(problems[0].field.as_deref(), Some("essential"));
    assert_eq!(problems[0].line, 2);
}

#[test]
fn default_batch_agrees_with_the_reference_kernel() {
    // skills: s:a=0 s:b=1 s:c=2 s:d=3 s:z=4, group g=5 over a, b, z; c related to d.
    let uris = ["s:a", "s:b", "s:c", "s:d", "s:z", "s:g"];
    // Relations closer than others (closeness below 1), so the batch follows the graph's weights.
    let graph = SkillGraph::with_closeness(
        6,
        &[(0, 5), (1, 5), (4, 5)],
        &[(2, 3)],
        vec![Specificity::Transversal, Specificity::OccupationSpecific],
        &crate::scoring::Closeness {
            related: 0.6,
            parent_child: 0.8,
            siblings: 1.5,
        },
    )
    .unwrap();
    let lookup = |uri: &str| uris.iter().position(|u| *u == uri).map(|p| p as u32);
    let related = RelatedSkills {
        lookup: &lookup,
        graph: &graph,
    };
    let workers = "worker_id,skill_uri,level\nW1,s:z,3\nW1,s:c,1\nW2,s:b,4\nW2,s:x,2\n";
    let files = Files::new(workers, VACANCIES);
    let config = ScoringConfig::default();
    let (report, out) = files.run(10, &config, Some(&related)).unwrap();
    assert!(report.related_credit);
    assert_eq!(report.skills_unknown_to_taxonomy, 1);

    let mut set = MatchSet::with_graph(std::sync::Arc::new(graph.clone()));
    let req = |s: u32, l: u8, e: bool| Requirement::new(s, l, e).unwrap();
    set.add_vacancy("V1", vec![req(0, 1, true)]).unwrap();
    set.add_vacancy(
        "V2",
        vec![req(0, 2, true), req(1, 4, true), req(2, 1, false)],
    )
    .unwrap();
    set.add_vacancy("V3", vec![req(3, 2, false)]).unwrap();
    let mut expected = String::from("worker_id,rank,vacancy_id,score\n");
    for (id, profile) in [("W1", vec![(2u32, 1u8), (4, 3)]), ("W2", vec![(1, 4)])] {
        for (rank, (v, _)) in set
            .top_vacancies_for_worker(&profile, 10, &config, &|_| true)
            .iter()
            .enumerate()
        {
            let value = score(
                &profile,
                set.vacancy_requirements(*v),
                &config,
                Some(&graph),
            );
            expected.push_str(&format!(
                "{id},{},{},{:.6}\n",
                rank + 1,
                set.vacancy_id(*v),
                value
            ));
        }
    }
    assert_eq!(out, expected);
}

// ---------------------------------------------------------------------------------------------
// The optimized exact path against a brute-force reference.

/// Exact top-k by brute force: every worker against every vacancy, requirements summed in the
/// order the batch adds them (interned skill order), no posting lists, no pruning, results
/// formatted with `format!`. Shares only the vacancy parsing with the batch.
fn reference_exact(workers_csv: &str, vacancies_csv: &str, k: usize) -> String {
    let config = ScoringConfig::exact();
    let index =
        vacancies::VacancyIndex::parse(vacancies_csv.as_bytes(), "v.csv", &config, None).unwrap();
    // Per vacancy: (skill, required level, weight / total), ascending skill.
    let mut requirements: Vec<Vec<(u32, u8, f32)>> = vec![Vec::new(); index.vacancy_ids.len()];
    for skill in 0..index.skill_count() as u32 {
        for posting in index.postings(skill) {
            requirements[posting.vacancy as usize].push((skill, posting.level, posting.weight));
        }
    }
    let mut workers: Vec<(String, Vec<(String, u8)>)> = Vec::new();
    for line in workers_csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (id, uri, level) = (fields[0], fields[1], fields[2].parse::<u8>().unwrap());
        match workers.last_mut() {
            Some((last, held)) if last == id => held.push((uri.to_string(), level)),
            _ => workers.push((id.to_string(), vec![(uri.to_string(), level)])),
        }
    }
    let mut out = String::from("worker_id,rank,vacancy_id,score\n");
    for (id, held) in &workers {
        let mut level_of = std::collections::HashMap::new();
        for (uri, level) in held {
            if let Some(&skill) = index.skill_lookup.get(uri.as_bytes()) {
                level_of.insert(skill, *level);
            }
        }
        let mut scored: Vec<(u32, usize)> = Vec::new();
        for (vacancy, required) in requirements.iter().enumerate() {
            let mut value = 0.0f32;
            for &(skill, level, weight) in required {
                if let Some(&held) = level_of.get(&skill) {
                    value += weight * LEVEL_CREDIT[usize::from(held)][usize::from(level)];
                }
            }
            if value < config.min_score {
                continue;
            }
            let quantized = (value.min(1.0) * 1_000_000.0 + 0.5) as u32;
            if quantized > 0 {
                scored.push((quantized, vacancy));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (rank, (quantized, vacancy)) in scored.iter().take(k).enumerate() {
            out.push_str(&format!(
                "{id},{},{},{}.{:06}\n",
                rank + 1,
                String::from_utf8_lossy(index.vacancy_ids[*vacancy]),
                quantized / 1_000_000,
                quantized % 1_000_000
            ));
        }
    }
    out
}

/// A generated worker: id number, skill → level.
type GeneratedWorker = (u32, std::collections::BTreeMap<u8, u8>);
/// A generated vacancy: id number, skill → (required level, essential).
type GeneratedVacancy = (u32, std::collections::BTreeMap<u8, (u8, bool)>);

/// Workers CSV and vacancies CSV from generated records (skill `s:N`; 9 is unknown to vacancies).
fn csv_of(workers: &[GeneratedWorker], vacancies: &[GeneratedVacancy]) -> (String, String) {
    let mut w = String::from("worker_id,skill_uri,level\n");
    for (n, (id, held)) in workers.iter().enumerate() {
        for (skill, level) in held {
            w.push_str(&format!("W{id}x{n},s:{skill},{level}\n"));
        }
    }
    let mut v = String::from("vacancy_id,skill_uri,level,essential\n");
    let mut seen = HashSet::new();
    for (id, required) in vacancies {
        if !seen.insert(*id) {
            continue;
        }
        for (skill, (level, essential)) in required {
            v.push_str(&format!("V{id},s:{skill},{level},{essential}\n"));
        }
    }
    (w, v)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// The batch (posting lists, touched list, pruned top-k, hand-written formatting, blocks of
    /// the worker file cut into pieces of whole workers, reused scratch and output buffers) writes byte for byte what the
    /// brute-force reference writes.
    #[test]
    fn exact_batch_equals_the_brute_force_reference(
        vacancies in proptest::collection::vec(
            (0u32..40, proptest::collection::btree_map(0u8..8, (1u8..=4, proptest::bool::ANY), 1..6)),
            1..25,
        ),
        workers in proptest::collection::vec(
            (0u32..1000, proptest::collection::btree_map(0u8..10, 1u8..=4, 1..7)),
            1..40,
        ),
        k in 1usize..6,
        block in proptest::prop_oneof![proptest::strategy::Just(BLOCK_BYTES), 16usize..400],
        piece in proptest::prop_oneof![proptest::strategy::Just(MIN_PIECE_BYTES), 1usize..120],
    ) {
        let (w, v) = csv_of(&workers, &vacancies);
        let files = Files::new(&w, &v);
        TEST_BLOCK_BYTES.with(|b| b.set(block));
        TEST_PIECE_BYTES.with(|b| b.set(piece));
        let result = files.run(k, &ScoringConfig::exact(), None);
        TEST_BLOCK_BYTES.with(|b| b.set(BLOCK_BYTES));
        TEST_PIECE_BYTES.with(|b| b.set(MIN_PIECE_BYTES));
        let (report, out) = result.unwrap();
        proptest::prop_assert_eq!(&out, &reference_exact(&w, &v, k));
        proptest::prop_assert_eq!(report.workers, workers.len() as u64);
        proptest::prop_assert_eq!(report.rows_written as usize, out.lines().count() - 1);
    }
}

#[test]
fn hand_written_number_formatting_matches_format() {
    for value in [
        0u32,
        1,
        9,
        10,
        99,
        100,
        12_345,
        999_999,
        1_000_000,
        u32::MAX,
    ] {
        let mut out = Vec::new();
        push_decimal(&mut out, value);
        assert_eq!(out, value.to_string().into_bytes());
    }
    for quantized in [1u32, 10, 500_000, 999_999, 1_000_000, 123_456] {
        let mut out = Vec::new();
        push_score(&mut out, quantized);
        let expected = format!("{}.{:06}\n", quantized / 1_000_000, quantized % 1_000_000);
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}

#[test]
fn timings_are_filled_when_asked() {
    let files = Files::new(
        "worker_id,skill_uri,level\nW1,s:a,3\nW1,s:b,2\nW2,s:a,1\n",
        VACANCIES,
    );
    let mut timings = BatchTimings::default();
    let out = files.path("out.csv");
    run_csv_timed(
        &files.path("w.csv"),
        &files.path("v.csv"),
        3,
        &ScoringConfig::exact(),
        None,
        &out,
        &NoProgress,
        Some(&mut timings),
    )
    .unwrap();
    assert!(timings.score > Duration::ZERO);
    assert!(timings.kernel_cpu > Duration::ZERO);
    assert!(timings.score >= timings.kernel_cpu / 64);
}

// ---------------------------------------------------------------------------------------------
// Pieces of whole workers.

#[test]
fn the_last_worker_of_a_block_starts_after_the_last_other_id() {
    // worker_id is the second column here; blank lines inside a worker's rows stay with it.
    let region = b"s:a,W1,1\ns:b,W1,2\ns:a,W2,1\n\ns:b,W2,3\n";
    assert_eq!(lines::last_worker_start(region, 1), 18);
    assert_eq!(&region[18..], b"s:a,W2,1\n\ns:b,W2,3\n");
    // One worker only: nothing can be processed before more of the file is read.
    assert_eq!(lines::last_worker_start(b"W1,s:a,1\nW1,s:b,1\n", 0), 0);
    // A short line is an id of its own (the line is reported when parsed).
    assert_eq!(lines::last_worker_start(b"W1,s:a,1\nW1\nW2,s:a,1\n", 0), 12);
    assert_eq!(lines::field_of_line(b"a, \"W7\" ,1", 1), Some(&b"W7"[..]));
    assert_eq!(lines::field_of_line(b"a", 1), None);
}

#[test]
fn pieces_never_cut_a_worker() {
    let mut body = String::new();
    for worker in 0..300 {
        for skill in 0..(worker % 7 + 1) {
            body.push_str(&format!("W{worker},s:{skill},2\n"));
            if worker % 11 == 0 {
                body.push_str("\r\n"); // blank lines inside a worker's rows
            }
        }
    }
    for (parts, min_piece) in [(1, 1), (4, 1), (64, 1), (1000, 1), (4, 1 << 16)] {
        let pieces = lines::split_at_workers(body.as_bytes(), parts, min_piece, 0);
        assert_eq!(pieces.concat(), body.as_bytes());
        let mut owners = HashSet::new();
        for piece in &pieces {
            let ids: HashSet<&[u8]> = lines::lines_of(piece)
                .filter(|(_, _, line)| !line.trim_ascii().is_empty())
                .filter_map(|(_, _, line)| lines::field_of_line(line, 0))
                .collect();
            for id in ids {
                assert!(owners.insert(id), "worker {} in two pieces", lossy(id));
            }
        }
        if min_piece == 1 {
            assert!(
                pieces.len() >= parts.min(300) / 2,
                "{parts}: {}",
                pieces.len()
            );
        }
    }
}

#[test]
fn problems_are_found_in_every_piece_with_their_lines() {
    // Many small pieces: the repeated worker is in another piece than its first rows, the
    // duplicate row and the bad level in pieces of their own.
    let mut workers = String::from("worker_id,skill_uri,level\n");
    for n in 0..40 {
        workers.push_str(&format!("W{n},s:a,1\nW{n},s:b,2\n"));
    }
    workers.push_str("W3,s:c,1\n"); // line 82: W3 appeared at line 8
    workers.push_str("W50,s:a,1\nW50,s:a,3\n"); // line 84 repeats line 83
    workers.push_str("W51,s:a,7\n"); // line 85
    let files = Files::new(&workers, VACANCIES);
    TEST_PIECE_BYTES.with(|b| b.set(1));
    let result = files.run(3, &ScoringConfig::exact(), None);
    TEST_PIECE_BYTES.with(|b| b.set(MIN_PIECE_BYTES));
    let Err(Error::InvalidInput { problems }) = result else {
        panic!("expected problems")
    };
    let found: Vec<(u64, Option<&str>)> = problems
        .iter()
        .map(|p| (p.line, p.field.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (82, Some("worker_id")),
            (84, Some("skill_uri")),
            (85, Some("level"))
        ]
    );
    assert!(
        problems[0].message.contains("W3"),
        "{}",
        problems[0].message
    );
    assert!(
        problems[1].message.ends_with("(line 83)"),
        "{}",
        problems[1].message
    );
    assert!(!files.path("out.csv").exists());
}

#[test]
fn a_line_longer_than_the_limit_is_an_error_with_its_line_not_a_growing_buffer() {
    // A worker file whose third line never ends (say a binary file given by mistake).
    let mut workers = String::from("worker_id,skill_uri,level\nW1,s:a,3\nW2,");
    workers.push_str(&"x".repeat(MAX_LINE_BYTES + 10));
    for block in [BLOCK_BYTES, 4096] {
        TEST_BLOCK_BYTES.with(|b| b.set(block));
        let files = Files::new(&workers, VACANCIES);
        let error = files.run(3, &ScoringConfig::exact(), None).unwrap_err();
        TEST_BLOCK_BYTES.with(|b| b.set(BLOCK_BYTES));
        let Error::InvalidInput { problems } = &error else {
            panic!("{error}")
        };
        assert_eq!(problems[0].line, 3, "block {block}: {error}");
        assert!(problems[0].message.contains("longer than 1 MiB"), "{error}");
        assert!(!files.path("out.csv").exists());
    }
    // A header that never ends.
    let files = Files::new(&"h".repeat(MAX_LINE_BYTES + 1), VACANCIES);
    TEST_BLOCK_BYTES.with(|b| b.set(4096));
    let error = files.run(3, &ScoringConfig::exact(), None).unwrap_err();
    TEST_BLOCK_BYTES.with(|b| b.set(BLOCK_BYTES));
    assert!(error.to_string().contains("longer than 1 MiB"), "{error}");
}

#[test]
fn the_vacancy_files_errors_come_before_a_missing_worker_file() {
    let files = Files::new("", "vacancy_id,skill_uri,level,essential\nV,s:a,9,true\n");
    std::fs::remove_file(files.path("w.csv")).unwrap();
    let error = files.run(3, &ScoringConfig::exact(), None).unwrap_err();
    assert!(error.to_string().contains("v.csv"), "{error}");
    std::fs::write(files.path("v.csv"), VACANCIES).unwrap();
    let error = files.run(3, &ScoringConfig::exact(), None).unwrap_err();
    assert!(error.to_string().contains("w.csv"), "{error}");
}
