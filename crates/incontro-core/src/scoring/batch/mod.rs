//! The batch matcher: top-k vacancies for every worker of a CSV file, streamed to a CSV file.
//!
//! Input (`incontro match`): `workers.csv` with `worker_id,skill_uri,level` (the rows of one worker
//! consecutive) and `vacancies.csv` with `vacancy_id,skill_uri,level,essential`. Output:
//! `worker_id,rank,vacancy_id,score`, rank from 1, only scores > 0, score rounded to 6 decimals,
//! ties by vacancy id, workers in input order.
//!
//! How it runs: the vacancy file is read whole and parsed in parallel chunks, each interning its
//! ids and skills, merged in file order; skills are interned to `u32`; an inverted index skill → `(vacancy, required level, weight / total weight)` is built.
//! The worker file is streamed in blocks, read ahead on a thread of their own (while the
//! vacancy index is built and while the previous block is scored); a block is cut into pieces
//! of whole workers, and each
//! piece is parsed, grouped into workers and scored on one thread of the pool (one parallel pass,
//! buffers reused from piece to piece): each worker accumulates into a dense per-thread array
//! over vacancies, followed by a top-k selection and its result rows. Then, on one thread and in
//! file order, workers repeated across pieces are reported and the pieces' rows written to a
//! temporary file renamed at the end, so a failed run leaves nothing behind. Scores are compared
//! after rounding to 6 decimals, so equal scores tie exactly and the lowest vacancy id wins.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ahash::{AHashMap, RandomState};

use super::kernel::related_factor;
use super::parallel::{threads, zip_with_scratch};
use super::{ScoringConfig, SkillGraph, Specificity, LEVEL_CREDIT};
use crate::progress::Progress;
use crate::{Error, ErrorCode, Problems, Result};

mod lines;
mod output;
mod reader;
mod stream;
mod vacancies;

use lines::*;
use output::PartialFile;
use stream::*;
use vacancies::*;

/// Related-competence credit for the batch: how to find a skill URI in the graph, and the graph.
#[derive(Clone, Copy)]
pub struct RelatedSkills<'a> {
    /// Maps a skill URI to its node in `graph` (None: unknown to the taxonomy).
    pub lookup: &'a (dyn Fn(&str) -> Option<u32> + Sync),
    /// The related-skill graph.
    pub graph: &'a SkillGraph,
}

impl std::fmt::Debug for RelatedSkills<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelatedSkills")
            .field("skills", &self.graph.skill_count())
            .finish()
    }
}

/// What a batch run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BatchReport {
    /// Workers read.
    pub workers: u64,
    /// Vacancies read.
    pub vacancies: u64,
    /// Distinct skills required by vacancies.
    pub vacancy_skills: u64,
    /// Result rows written.
    pub rows_written: u64,
    /// True when related-competence credit was on (default mode with a taxonomy).
    pub related_credit: bool,
    /// Distinct skill URIs (of both files) unknown to the taxonomy; they earn no related credit.
    /// 0 when no taxonomy was given.
    pub skills_unknown_to_taxonomy: u64,
}

/// Where the time of a batch run went (`incontro match --timings`). Phases run one after the
/// other; within a phase the work is spread over the threads. `*_cpu` fields add up the time
/// of every thread (measured per worker, so only when asked for); the others are wall time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchTimings {
    /// Reading the vacancy file into memory.
    pub read_vacancies: Duration,
    /// Parsing vacancy rows (parallel), interning ids and skills, building the inverted index.
    pub index_vacancies: Duration,
    /// Reading the worker file (blocks).
    pub read_workers: Duration,
    /// Parsing worker rows, grouping them into workers, scoring and formatting the result rows
    /// (one parallel pass over pieces of whole workers), wall time.
    pub score: Duration,
    /// Within `score`, summed over threads: parsing worker rows and looking up their skills.
    pub parse_cpu: Duration,
    /// Within `score`, summed over threads: grouping rows into workers, duplicate rows.
    pub group_cpu: Duration,
    /// Within `score`, summed over threads: accumulating scores over the postings.
    pub kernel_cpu: Duration,
    /// Within `score`, summed over threads: selecting the top k.
    pub top_k_cpu: Duration,
    /// Within `score`, summed over threads: formatting result rows.
    pub format_cpu: Duration,
    /// Checks across pieces (a worker whose rows are not consecutive) and problems, one thread.
    pub check_workers: Duration,
    /// Writing the result rows and committing the file.
    pub write_output: Duration,
}

const NONE: u32 = u32::MAX;
/// Worker file block: small enough that the per-block buffers are reused by the allocator
/// instead of being returned to the OS and faulted in again (that cost ~20% of the CPU at 32 MB).
const BLOCK_BYTES: usize = 8 << 20;

/// The smallest piece of a block given to one thread (about 550 workers of the benchmark).
const MIN_PIECE_BYTES: usize = 1 << 16;

#[cfg(test)]
thread_local! {
    /// The block size of runs started by this test thread (many blocks on small files).
    static TEST_BLOCK_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(BLOCK_BYTES) };
    /// The smallest piece of runs started by this test thread (many pieces on small files).
    static TEST_PIECE_BYTES: std::cell::Cell<usize> =
        const { std::cell::Cell::new(MIN_PIECE_BYTES) };
}
const SCORE_SCALE: f32 = 1_000_000.0;

/// Runs the batch: for each worker the `top_k` best vacancies under `config`, written to `out`.
/// `related` enables related-competence credit and specificity weights in default mode.
pub fn run_csv(
    workers: &Path,
    vacancies: &Path,
    top_k: usize,
    config: &ScoringConfig,
    related: Option<&RelatedSkills<'_>>,
    out: &Path,
    progress: &dyn Progress,
) -> Result<BatchReport> {
    run_csv_timed(
        workers, vacancies, top_k, config, related, out, progress, None,
    )
}

/// [`run_csv`], also filling `timings` (phase by phase) when given.
#[allow(clippy::too_many_arguments)]
pub fn run_csv_timed(
    workers: &Path,
    vacancies: &Path,
    top_k: usize,
    config: &ScoringConfig,
    related: Option<&RelatedSkills<'_>>,
    out: &Path,
    progress: &dyn Progress,
    timings: Option<&mut BatchTimings>,
) -> Result<BatchReport> {
    let mut times = BatchTimings::default();
    let timed = timings.is_some();
    if top_k == 0 {
        return Err(Error::invalid(
            ErrorCode::InvalidTop,
            "top must be at least 1",
        ));
    }
    let config = config.validated()?;
    let related = related.filter(|_| config.mode == super::Mode::Default);
    #[cfg(test)]
    let block_bytes = TEST_BLOCK_BYTES.with(|b| b.get());
    #[cfg(not(test))]
    let block_bytes = BLOCK_BYTES;
    #[cfg(test)]
    let min_piece = TEST_PIECE_BYTES.with(|b| b.get());
    #[cfg(not(test))]
    let min_piece = MIN_PIECE_BYTES;
    let report = std::thread::scope(|scope| {
        // The worker file is read ahead while the vacancy index is built (one core is idle
        // while ids and skills are interned) and while each block is scored.
        let mut blocks = reader::BlockReader::start(scope, workers, block_bytes);
        let started = Instant::now();
        let vacancy_bytes = std::fs::read(vacancies).map_err(|e| Error::io(vacancies, e))?;
        times.read_vacancies = started.elapsed();
        progress.start("reading vacancies", Some(vacancy_bytes.len() as u64));
        let started = Instant::now();
        let index = VacancyIndex::parse(
            &vacancy_bytes,
            &vacancies.display().to_string(),
            &config,
            related,
        )?;
        times.index_vacancies = started.elapsed();
        progress.advance(vacancy_bytes.len() as u64);
        progress.finish();

        let mut output = PartialFile::create(out)?;
        let mut report = BatchReport {
            vacancies: index.vacancy_ids.len() as u64,
            vacancy_skills: index.skill_count() as u64,
            related_credit: related.is_some(),
            ..BatchReport::default()
        };
        let mut unknown = index.unknown_to_taxonomy.clone();
        let matcher = Matcher {
            index: &index,
            config,
            related,
            top_k,
            timed,
            min_piece,
        };
        let pool = ScratchPool::default();
        stream_workers(
            workers,
            &mut blocks,
            &matcher,
            &pool,
            &mut output,
            &mut report,
            &mut unknown,
            &mut times,
            progress,
        )?;
        finish(report, related.is_some(), unknown, output, pool, &mut times)
    })?;
    if let Some(timings) = timings {
        *timings = times;
    }
    Ok(report)
}

/// Counts what the run found, commits the output and adds up the threads' timings.
fn finish(
    mut report: BatchReport,
    related: bool,
    unknown: HashSet<u64>,
    output: PartialFile,
    pool: ScratchPool,
    times: &mut BatchTimings,
) -> Result<BatchReport> {
    report.skills_unknown_to_taxonomy = if related { unknown.len() as u64 } else { 0 };
    let started = Instant::now();
    output.commit()?;
    times.write_output += started.elapsed();
    for scratch in pool.free.into_inner().unwrap_or_default() {
        times.kernel_cpu += scratch.kernel;
        times.top_k_cpu += scratch.top_k;
        times.format_cpu += scratch.format;
    }
    Ok(report)
}

/// Scratch arrays kept for the whole run: a thread takes one (or makes one) for a parallel
/// round and puts it back after, so the dense arrays are allocated about once per thread.
#[derive(Default)]
struct ScratchPool {
    free: Mutex<Vec<Scratch>>,
}

/// A scratch taken from a [`ScratchPool`], put back when dropped.
struct Pooled<'p> {
    scratch: Option<Scratch>,
    pool: &'p ScratchPool,
}

impl ScratchPool {
    fn take<'p>(&'p self, matcher: &Matcher<'_, '_, '_>) -> Pooled<'p> {
        let reused = self.free.lock().ok().and_then(|mut free| free.pop());
        Pooled {
            scratch: Some(reused.unwrap_or_else(|| matcher.scratch())),
            pool: self,
        }
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let (Some(scratch), Ok(mut free)) = (self.scratch.take(), self.pool.free.lock()) {
            free.push(scratch);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Workers

/// A parsed worker row. The id is a byte range of its piece and the line is counted from the
/// piece's first line, so a thread's row buffer is reused from piece to piece.
struct WorkerRow {
    id_start: u32,
    id_end: u32,
    /// Interned skill (vacancy skills) or NONE.
    skill: u32,
    /// Graph node or NONE.
    node: u32,
    /// Hash of the URI, computed only when needed: a skill no vacancy requires (duplicate
    /// detection) or, with related credit, a skill unknown to the taxonomy (their count).
    uri_hash: u64,
    level: u8,
    line: u32,
}

impl WorkerRow {
    fn id<'p>(&self, piece: &'p [u8]) -> &'p [u8] {
        &piece[self.id_start as usize..self.id_end as usize]
    }

    /// What makes two rows of one worker the same skill: the interned skill when vacancies
    /// require it, else the URI hash.
    fn duplicate_key(&self) -> (bool, u64) {
        if self.skill != NONE {
            (false, u64::from(self.skill))
        } else {
            (true, self.uri_hash)
        }
    }
}

/// One worker, ready to score.
struct WorkerJob<'a> {
    id: &'a [u8],
    /// (interned skill, level), sorted, vacancy skills only.
    known: &'a [(u32, u8)],
    /// (graph node, level) of every skill found in the taxonomy.
    nodes: &'a [(u32, u8)],
}

/// A thread's buffers for one piece of the worker file, reused from piece to piece.
#[derive(Default)]
struct PieceBuffers {
    rows: Vec<WorkerRow>,
    keys: Vec<(bool, u64, u32)>,
    known: Vec<(u32, u8)>,
    nodes: Vec<(u32, u8)>,
}

/// A worker found in a piece, for the checks made across pieces (one thread, in file order).
struct PieceWorker {
    /// Byte range of the id within the piece.
    id: (u32, u32),
    /// First row's line, counted from the piece's first line.
    line: u32,
    /// Its duplicate rows: `duplicates[start..end]` of the piece.
    duplicates: (u32, u32),
}

/// What the parallel pass found and wrote for one piece of the worker file (reused per slot).
#[derive(Default)]
struct PieceOutput {
    /// Result rows, in the piece's worker order.
    bytes: Vec<u8>,
    rows_written: u64,
    /// Lines in the piece.
    lines: u64,
    /// Row problems, lines counted from the piece's first line.
    problems: Vec<LineProblem>,
    workers: Vec<PieceWorker>,
    /// (line of the duplicate row, line of the earlier row), from the piece's first line.
    duplicates: Vec<(u32, u32)>,
    /// URI hashes of skills unknown to the taxonomy (related credit only).
    unknown: Vec<u64>,
    /// Time spent parsing rows and grouping them (when timed).
    parse: Duration,
    group: Duration,
}

struct Matcher<'i, 'a, 'r> {
    index: &'i VacancyIndex<'a>,
    config: ScoringConfig,
    related: Option<&'r RelatedSkills<'r>>,
    top_k: usize,
    /// Measure kernel, top-k and formatting time per worker (`--timings`).
    timed: bool,
    /// The smallest piece of a block ([`MIN_PIECE_BYTES`]; smaller in tests).
    min_piece: usize,
}

#[derive(Default)]
struct Scratch {
    accumulated: Vec<f32>,
    essential: Vec<f32>,
    /// Vacancies touched by the current worker: `touched[..touched_len]` (room for all).
    touched: Vec<u32>,
    touched_len: usize,
    exact_level: Vec<u8>,
    /// The best related credit of each skill at required levels 1..=4 (index level − 1).
    related_credit: Vec<[f32; 4]>,
    related_seen: Vec<bool>,
    touched_skills: Vec<u32>,
    top: Vec<(u32, u32)>,
    /// Per-piece buffers (taken out while a piece is processed).
    piece: PieceBuffers,
    /// Time spent by this scratch's thread, when the matcher is timed.
    kernel: Duration,
    top_k: Duration,
    format: Duration,
}

impl Matcher<'_, '_, '_> {
    fn scratch(&self) -> Scratch {
        let vacancies = self.index.vacancy_ids.len();
        let skills = self.index.skill_count();
        Scratch {
            accumulated: vec![0.0; vacancies],
            essential: vec![0.0; vacancies],
            touched: vec![0; vacancies],
            touched_len: 0,
            exact_level: vec![0; skills],
            related_credit: vec![[0.0; 4]; skills],
            related_seen: vec![false; skills],
            touched_skills: Vec::new(),
            top: Vec::with_capacity(self.top_k + 1),
            piece: PieceBuffers::default(),
            kernel: Duration::ZERO,
            top_k: Duration::ZERO,
            format: Duration::ZERO,
        }
    }

    /// Exact coverage: dense accumulation over the postings of the worker's skills.
    fn accumulate_exact(&self, scratch: &mut Scratch, worker: &WorkerJob<'_>) {
        let Scratch {
            accumulated,
            touched,
            touched_len,
            ..
        } = scratch;
        // `touched` has room for every vacancy: store without a branch, keep it when new.
        let mut count = 0usize;
        let offsets = &self.index.level_offsets;
        for &(skill, level) in worker.known {
            let credit = &LEVEL_CREDIT[usize::from(level)];
            let first = skill as usize * 4;
            for required in 1..=4usize {
                let factor = credit[required];
                let start = offsets[first + required - 1] as usize;
                let end = offsets[first + required] as usize;
                for &(vacancy, weight) in &self.index.level_postings[start..end] {
                    let slot = &mut accumulated[vacancy as usize];
                    touched[count] = vacancy;
                    count += usize::from(*slot == 0.0);
                    *slot += weight * factor;
                }
            }
        }
        *touched_len = count;
    }

    /// Exact mode: true when the worker's postings cover a good part of the vacancies, so that
    /// scanning every score afterwards costs less than keeping the list of touched ones.
    fn dense_pays(&self, worker: &WorkerJob<'_>) -> bool {
        let offsets = &self.index.level_offsets;
        let postings: usize = worker
            .known
            .iter()
            .map(|&(skill, _)| {
                let first = skill as usize * 4;
                (offsets[first + 4] - offsets[first]) as usize
            })
            .sum();
        postings * 8 >= self.index.vacancy_ids.len()
    }

    /// [`Self::accumulate_exact`] without the touched list: the same additions in the same
    /// order (so the same sums to the bit); the top-k selection then scans every vacancy.
    fn accumulate_exact_dense(&self, scratch: &mut Scratch, worker: &WorkerJob<'_>) {
        let accumulated = &mut scratch.accumulated;
        let offsets = &self.index.level_offsets;
        for &(skill, level) in worker.known {
            let credit = &LEVEL_CREDIT[usize::from(level)];
            let first = skill as usize * 4;
            for required in 1..=4usize {
                let factor = credit[required];
                let start = offsets[first + required - 1] as usize;
                let end = offsets[first + required] as usize;
                for &(vacancy, weight) in &self.index.level_postings[start..end] {
                    accumulated[vacancy as usize] += weight * factor;
                }
            }
        }
        scratch.touched_len = 0;
    }

    /// Default mode: exact level and best related level per skill, then the postings.
    fn accumulate_default(&self, scratch: &mut Scratch, worker: &WorkerJob<'_>) {
        let Scratch {
            accumulated,
            essential,
            touched,
            touched_len,
            exact_level,
            related_credit,
            related_seen,
            touched_skills,
            ..
        } = scratch;
        let mut count = 0usize;
        for &(skill, level) in worker.known {
            if exact_level[skill as usize] == 0 && !related_seen[skill as usize] {
                touched_skills.push(skill);
            }
            exact_level[skill as usize] = level;
        }
        if let Some(related) = self.related.filter(|_| self.config.uses_related()) {
            for &(node, level) in worker.nodes {
                let held = &LEVEL_CREDIT[usize::from(level.min(4))];
                for &(neighbour, _, closeness) in related.graph.related_to(node) {
                    let skill = self.index.graph_node_skill[neighbour as usize];
                    if skill == NONE {
                        continue;
                    }
                    let slot = skill as usize;
                    if exact_level[slot] == 0 && !related_seen[slot] {
                        touched_skills.push(skill);
                    }
                    related_seen[slot] = true;
                    let factor = related_factor(&self.config, closeness);
                    for (required, best) in related_credit[slot].iter_mut().enumerate() {
                        *best = best.max(factor * held[required + 1]);
                    }
                }
            }
        }
        for &skill in touched_skills.iter() {
            let exact = &LEVEL_CREDIT[usize::from(exact_level[skill as usize])];
            let near = std::mem::take(&mut related_credit[skill as usize]);
            exact_level[skill as usize] = 0;
            related_seen[skill as usize] = false;
            for posting in self.index.postings(skill) {
                let required = usize::from(posting.level);
                let credit = exact[required].max(near[required - 1]);
                if credit <= 0.0 {
                    continue;
                }
                let v = posting.vacancy as usize;
                touched[count] = posting.vacancy;
                count += usize::from(accumulated[v] == 0.0 && essential[v] == 0.0);
                accumulated[v] += posting.weight * credit;
                essential[v] += posting.essential_share * credit;
            }
        }
        touched_skills.clear();
        *touched_len = count;
    }

    /// Scores one worker and appends its result lines to `out`; returns how many.
    fn score_worker(
        &self,
        scratch: &mut Scratch,
        worker: &WorkerJob<'_>,
        out: &mut Vec<u8>,
    ) -> u64 {
        let exact_mode = self.config.mode == super::Mode::Exact;
        let started = self.timed.then(Instant::now);
        let dense = exact_mode && self.dense_pays(worker);
        if dense {
            self.accumulate_exact_dense(scratch, worker);
        } else if exact_mode {
            self.accumulate_exact(scratch, worker);
        } else {
            self.accumulate_default(scratch, worker);
        }
        let accumulated_at = self.timed.then(Instant::now);
        let essential_factor = self.config.uses_essential_factor();
        let min_score = self.config.min_score;
        let k = self.top_k;
        let Scratch {
            accumulated,
            essential,
            touched,
            touched_len,
            top,
            kernel,
            top_k,
            format,
            ..
        } = scratch;
        top.clear();
        // Below this raw score nothing can enter the top k (with slack for rounding).
        let mut threshold = min_score.max(0.25 / SCORE_SCALE);
        if dense {
            // Every vacancy, 16 at a time: a block is looked at only if one of its scores
            // reaches the threshold (a comparison the compiler vectorizes), then cleared.
            const LANES: usize = 16;
            let first = accumulated.len() - accumulated.len() % LANES;
            let mut blocks = accumulated.chunks_exact_mut(LANES);
            for (block_index, block) in blocks.by_ref().enumerate() {
                let reaches = block.iter().fold(false, |any, &x| any | (x >= threshold));
                if reaches {
                    for (lane, &value) in block.iter().enumerate() {
                        if value >= threshold {
                            let vacancy = (block_index * LANES + lane) as u32;
                            offer(top, k, &mut threshold, min_score, value, vacancy);
                        }
                    }
                }
                block.fill(0.0);
            }
            for (lane, slot) in blocks.into_remainder().iter_mut().enumerate() {
                offer(
                    top,
                    k,
                    &mut threshold,
                    min_score,
                    *slot,
                    (first + lane) as u32,
                );
                *slot = 0.0;
            }
        }
        for &vacancy in &touched[..*touched_len] {
            let v = vacancy as usize;
            let mut value = accumulated[v];
            accumulated[v] = 0.0;
            if !exact_mode {
                if essential_factor {
                    let coverage = if self.index.has_essential[v] {
                        essential[v].min(1.0)
                    } else {
                        1.0
                    };
                    value *= 0.5 + 0.5 * coverage;
                }
                essential[v] = 0.0;
            }
            if value >= threshold {
                offer(top, k, &mut threshold, min_score, value, vacancy);
            }
        }
        *touched_len = 0;
        let selected_at = self.timed.then(Instant::now);
        for (rank, &(quantized, vacancy)) in top.iter().enumerate() {
            out.extend_from_slice(worker.id);
            out.push(b',');
            push_decimal(out, rank as u32 + 1);
            out.extend_from_slice(self.index.label(vacancy));
            push_score(out, quantized);
        }
        if let (Some(started), Some(accumulated_at), Some(selected_at)) =
            (started, accumulated_at, selected_at)
        {
            *kernel += accumulated_at - started;
            *top_k += selected_at - accumulated_at;
            *format += selected_at.elapsed();
        }
        top.len() as u64
    }
}

/// Offers a vacancy's raw score to the sorted `top` (at most `k`); once `top` is full, raises
/// `threshold` to just under the lowest kept score, so that later lower scores are skipped.
#[inline]
fn offer(
    top: &mut Vec<(u32, u32)>,
    k: usize,
    threshold: &mut f32,
    min_score: f32,
    value: f32,
    vacancy: u32,
) {
    if value < min_score || value < *threshold {
        return;
    }
    // value > 0, so adding 0.5 and truncating rounds to nearest.
    let quantized = (value.min(1.0) * SCORE_SCALE + 0.5) as u32;
    if quantized == 0 {
        return;
    }
    let candidate = (quantized, vacancy);
    if top.len() == k {
        match top.last() {
            Some(&last) if better(candidate, last) => {
                top.pop();
            }
            _ => return,
        }
    }
    // Insertion from the end (k is small; no memmove call).
    top.push(candidate);
    let mut at = top.len() - 1;
    while at > 0 && better(top[at], top[at - 1]) {
        top.swap(at, at - 1);
        at -= 1;
    }
    if top.len() == k {
        if let Some(&(lowest, _)) = top.last() {
            *threshold = threshold.max((lowest as f32 - 0.75) / SCORE_SCALE);
        }
    }
}

/// Higher score first, then the lower vacancy position (ids sorted, so the lower id).
fn better(a: (u32, u32), b: (u32, u32)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}

/// Appends `value` in decimal (what `write!(out, "{value}")` writes).
fn push_decimal(out: &mut Vec<u8>, value: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut rest = value;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Appends a score quantized to millionths as `I.FFFFFF` and a newline (what
/// `writeln!(out, "{}.{:06}", q / 1_000_000, q % 1_000_000)` writes).
fn push_score(out: &mut Vec<u8>, quantized: u32) {
    push_decimal(out, quantized / 1_000_000);
    let mut fraction = [b'0'; 8];
    fraction[0] = b'.';
    fraction[7] = b'\n';
    let mut rest = quantized % 1_000_000;
    for at in (1..7).rev() {
        fraction[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out.extend_from_slice(&fraction);
}

#[cfg(test)]
mod tests;
