//! The worker side of the batch: the worker file streamed in blocks (read ahead by
//! [`super::reader`]), each block's pieces scored in parallel, then checked and written in file
//! order.

use super::*;

impl Matcher<'_, '_, '_> {
    /// Parses the rows of `piece` into `rows`; problems go to `out` (lines from the piece's first).
    fn parse_piece(
        &self,
        piece: &[u8],
        columns: &[usize],
        rows: &mut Vec<WorkerRow>,
        out: &mut PieceOutput,
    ) {
        let hasher = fixed_hasher();
        let needed = columns.iter().copied().max().unwrap_or(0) + 1;
        let mut fields = [&b""[..]; MAX_FIELDS];
        let base = piece.as_ptr() as usize;
        let mut line_count = 0u64;
        for (line_index, _, line) in lines_of(piece) {
            line_count = line_index + 1;
            if line.trim_ascii().is_empty() {
                continue;
            }
            let count = split_line(line, &mut fields);
            if count < needed {
                out.problems.push(LineProblem {
                    line: line_index,
                    field: None,
                    message: format!("expected at least {needed} columns, found {count}"),
                });
                continue;
            }
            let (id, skill, level) = (fields[columns[0]], fields[columns[1]], fields[columns[2]]);
            let mut bad = |field: &'static str, message: String| {
                out.problems.push(LineProblem {
                    line: line_index,
                    field: Some(field),
                    message,
                })
            };
            let level = match check_id_skill_level("worker_id", id, skill, level) {
                Ok(level) => level,
                Err((field, message)) => {
                    bad(field, message);
                    continue;
                }
            };
            let interned = self.index.skill_lookup.get(skill).copied().unwrap_or(NONE);
            let node = match self.related {
                Some(_) if interned != NONE => self.index.skill_graph_node[interned as usize],
                Some(related) => std::str::from_utf8(skill)
                    .ok()
                    .and_then(|text| (related.lookup)(text))
                    .filter(|&node| (node as usize) < related.graph.skill_count())
                    .unwrap_or(NONE),
                None => NONE,
            };
            let hash_needed = interned == NONE || (self.related.is_some() && node == NONE);
            let id_start = id.as_ptr() as usize - base;
            rows.push(WorkerRow {
                id_start: id_start as u32,
                id_end: (id_start + id.len()) as u32,
                skill: interned,
                node,
                uri_hash: if hash_needed {
                    hash_uri(&hasher, skill)
                } else {
                    0
                },
                level,
                line: line_index as u32,
            });
        }
        out.lines = line_count;
    }

    /// The parallel pass over one piece of whole workers: parses its rows, groups them into
    /// workers, finds duplicate rows, and (when `score` and the piece has no problem) scores
    /// each worker, appending its result rows to `out.bytes`.
    fn process_piece(
        &self,
        scratch: &mut Scratch,
        piece: &[u8],
        columns: &[usize],
        score: bool,
        out: &mut PieceOutput,
    ) {
        out.bytes.clear();
        out.rows_written = 0;
        out.problems.clear();
        out.workers.clear();
        out.duplicates.clear();
        out.unknown.clear();
        let mut buffers = std::mem::take(&mut scratch.piece);
        let started = self.timed.then(Instant::now);
        buffers.rows.clear();
        self.parse_piece(piece, columns, &mut buffers.rows, out);
        out.parse = started.map_or(Duration::ZERO, |at| at.elapsed());
        out.group = Duration::ZERO;
        let score = score && out.problems.is_empty();
        let PieceBuffers {
            rows,
            keys,
            known,
            nodes,
        } = &mut buffers;
        let mut start = 0;
        while start < rows.len() {
            let grouping = self.timed.then(Instant::now);
            let id = rows[start].id(piece);
            let mut end = start + 1;
            while end < rows.len() && rows[end].id(piece) == id {
                end += 1;
            }
            let group = &rows[start..end];
            keys.clear();
            keys.extend(group.iter().map(|row| {
                let (unknown, key) = row.duplicate_key();
                (unknown, key, row.line)
            }));
            keys.sort_unstable();
            let first_duplicate = out.duplicates.len() as u32;
            for pair in keys.windows(2) {
                if (pair[0].0, pair[0].1) == (pair[1].0, pair[1].1) {
                    out.duplicates.push((pair[1].2, pair[0].2));
                }
            }
            if self.related.is_some() {
                out.unknown.extend(
                    group
                        .iter()
                        .filter(|row| row.node == NONE)
                        .map(|row| row.uri_hash),
                );
            }
            let duplicates = (first_duplicate, out.duplicates.len() as u32);
            out.workers.push(PieceWorker {
                id: (group[0].id_start, group[0].id_end),
                line: group[0].line,
                duplicates,
            });
            if score && duplicates.0 == duplicates.1 {
                known.clear();
                known.extend(
                    group
                        .iter()
                        .filter(|row| row.skill != NONE)
                        .map(|row| (row.skill, row.level)),
                );
                known.sort_unstable();
                nodes.clear();
                nodes.extend(
                    group
                        .iter()
                        .filter(|row| row.node != NONE)
                        .map(|row| (row.node, row.level)),
                );
                if let Some(at) = grouping {
                    out.group += at.elapsed();
                }
                let worker = WorkerJob { id, known, nodes };
                out.rows_written += self.score_worker(scratch, &worker, &mut out.bytes);
            } else if let Some(at) = grouping {
                out.group += at.elapsed();
            }
            start = end;
        }
        scratch.piece = buffers;
    }
}

struct StreamState<'p> {
    seen: HashSet<Box<[u8]>, RandomState>,
    problems: Problems,
    pool: &'p ScratchPool,
    /// What the parallel pass found in each piece, reused from block to block.
    outputs: Vec<PieceOutput>,
    times: &'p mut BatchTimings,
}

/// Processes the complete lines of `region` (starting at line `first_line`): every worker
/// except, unless `at_end`, the last one (whose rows may continue in the next block). The
/// region is split into pieces of whole workers, each parsed, grouped and scored in parallel;
/// then, on one thread and in file order, repeated workers and duplicate rows are reported
/// and the result rows written. Returns the byte offset where unprocessed input starts and
/// its line number.
#[allow(clippy::too_many_arguments)]
fn process_region(
    region: &[u8],
    first_line: u64,
    at_end: bool,
    columns: &[usize],
    matcher: &Matcher<'_, '_, '_>,
    file: &str,
    state: &mut StreamState<'_>,
    output: &mut PartialFile,
    report: &mut BatchReport,
    unknown: &mut HashSet<u64>,
) -> Result<(usize, u64)> {
    if u32::try_from(region.len()).is_err() {
        // Row positions within a piece are 32-bit; only one worker with 4 GiB of rows gets here.
        state.problems.push(
            file,
            first_line,
            Some("worker_id"),
            "one worker's rows exceed 4 GiB",
        );
        return Ok((region.len(), first_line));
    }
    let cut = if at_end {
        region.len()
    } else {
        last_worker_start(region, columns[0])
    };
    let started = Instant::now();
    let pieces = split_at_workers(&region[..cut], threads() * 4, matcher.min_piece, columns[0]);
    if state.outputs.len() < pieces.len() {
        state.outputs.resize_with(pieces.len(), Default::default);
    }
    let score = state.problems.is_empty();
    let pool = state.pool;
    let outputs = &mut state.outputs[..pieces.len()];
    zip_with_scratch(
        &pieces,
        outputs,
        || pool.take(matcher),
        |pooled, piece, out| {
            if let Some(scratch) = pooled.scratch.as_mut() {
                matcher.process_piece(scratch, piece, columns, score, out);
            }
        },
    );
    state.times.score += started.elapsed();
    let started = Instant::now();
    let mut line = first_line;
    for (piece, out) in pieces.iter().zip(outputs.iter()) {
        for problem in &out.problems {
            state.problems.push(
                file,
                line + problem.line,
                problem.field,
                problem.message.clone(),
            );
        }
        for worker in &out.workers {
            let id = &piece[worker.id.0 as usize..worker.id.1 as usize];
            if !state.seen.insert(id.into()) {
                state.problems.push(
                    file,
                    line + u64::from(worker.line),
                    Some("worker_id"),
                    format!(
                        "rows of worker {} are not consecutive (the worker appeared earlier)",
                        lossy(id)
                    ),
                );
                continue;
            }
            let (first, end) = worker.duplicates;
            for &(duplicate, earlier) in &out.duplicates[first as usize..end as usize] {
                state.problems.push(
                    file,
                    line + u64::from(duplicate),
                    Some("skill_uri"),
                    format!(
                        "duplicate row: worker {} already holds this skill (line {})",
                        lossy(id),
                        line + u64::from(earlier)
                    ),
                );
            }
        }
        report.workers += out.workers.len() as u64;
        unknown.extend(out.unknown.iter().copied());
        state.times.parse_cpu += out.parse;
        state.times.group_cpu += out.group;
        line += out.lines;
    }
    state.times.check_workers += started.elapsed();
    if state.problems.is_empty() {
        let started = Instant::now();
        for out in outputs.iter() {
            output.write(&out.bytes)?;
            report.rows_written += out.rows_written;
        }
        state.times.write_output += started.elapsed();
    }
    Ok((cut, line))
}

/// The longest line of the worker file: a file without line breaks is an error, not a buffer
/// that grows with the file.
pub(super) const MAX_LINE_BYTES: usize = 1 << 20;

#[allow(clippy::too_many_arguments)]
pub(super) fn stream_workers(
    path: &Path,
    blocks: &mut reader::BlockReader<'_>,
    matcher: &Matcher<'_, '_, '_>,
    pool: &ScratchPool,
    output: &mut PartialFile,
    report: &mut BatchReport,
    unknown: &mut HashSet<u64>,
    times: &mut BatchTimings,
    progress: &dyn Progress,
) -> Result<()> {
    const COLUMNS: [&str; 3] = ["worker_id", "skill_uri", "level"];
    let file_name = path.display().to_string();
    let total = std::fs::metadata(path).map(|m| m.len()).ok();
    progress.start("matching workers", total);
    // The unprocessed end of the previous block: the rows of a worker the block cut.
    let mut carry: Vec<u8> = Vec::new();
    let mut columns: Option<Vec<usize>> = None;
    let mut line = 1u64;
    let mut state = StreamState {
        seen: HashSet::with_hasher(fixed_hasher()),
        problems: Problems::default(),
        pool,
        outputs: Vec::new(),
        times,
    };
    let mut saw_rows = false;
    loop {
        let started = Instant::now();
        let Some(mut block) = blocks.next(path)? else {
            break;
        };
        state.times.read_workers += started.elapsed();
        let read = block.data_len();
        let at_end = read == 0;
        progress.advance(read as u64);
        // The carried rows go in front of the block's data, in its headroom when they fit.
        let mut joined = Vec::new();
        let buffer: &[u8] = if carry.len() <= reader::HEADROOM {
            let from = reader::HEADROOM - carry.len();
            block.bytes[from..reader::HEADROOM].copy_from_slice(&carry);
            &block.bytes[from..]
        } else {
            joined.reserve(carry.len() + read);
            joined.extend_from_slice(&carry);
            joined.extend_from_slice(&block.bytes[reader::HEADROOM..]);
            &joined
        };
        carry.clear();
        let mut body = buffer;
        if columns.is_none() {
            let Some(end) = memchr::memchr(b'\n', body).or(at_end.then_some(body.len())) else {
                check_line_length(body, 0, &file_name, line)?;
                carry.extend_from_slice(body);
                blocks.recycle(block);
                continue;
            };
            let (header, _) = header_and_body(body, &file_name).or_else(|error| {
                // A header without rows is reported below as "no data rows".
                if body[..end].trim_ascii().is_empty() {
                    Err(error)
                } else {
                    Ok((&body[..end], &[][..]))
                }
            })?;
            let header = header.strip_suffix(b"\r").unwrap_or(header);
            columns = Some(parse_header(header, &COLUMNS, &file_name)?);
            body = &body[(end + 1).min(body.len())..];
            line = 2;
        }
        let complete = if at_end {
            body.len()
        } else {
            match memchr::memrchr(b'\n', body) {
                Some(last) => last + 1,
                None => {
                    check_line_length(body, 0, &file_name, line)?;
                    carry.extend_from_slice(body);
                    blocks.recycle(block);
                    continue;
                }
            }
        };
        check_line_length(body, complete, &file_name, line)?;
        let Some(columns) = columns.as_deref() else {
            continue;
        };
        saw_rows |= body[..complete].iter().any(|b| !b.is_ascii_whitespace());
        let (cut, next_line) = process_region(
            &body[..complete],
            line,
            at_end,
            columns,
            matcher,
            &file_name,
            &mut state,
            output,
            report,
            unknown,
        )?;
        carry.extend_from_slice(&body[cut..]);
        line = next_line;
        blocks.recycle(block);
        if at_end {
            break;
        }
    }
    progress.finish();
    if !saw_rows && state.problems.is_empty() {
        state
            .problems
            .push(&file_name, 0, None, "no data rows after the header");
    }
    state.problems.into_result()
}

/// An unfinished line (no line break yet) longer than [`MAX_LINE_BYTES`] is an error: `text`
/// starts at line `line`, and its unfinished part at `unfinished` (past its last line break).
fn check_line_length(text: &[u8], unfinished: usize, file: &str, line: u64) -> Result<()> {
    let start = match memchr::memrchr(b'\n', &text[unfinished..]) {
        Some(last) => unfinished + last + 1,
        None => unfinished,
    };
    if text.len() - start <= MAX_LINE_BYTES {
        return Ok(());
    }
    let line = line + memchr::memchr_iter(b'\n', &text[..start]).count() as u64;
    let mut problems = Problems::default();
    problems.push(
        file,
        line,
        None,
        format!(
            "line longer than {} MiB (is this a CSV file?)",
            MAX_LINE_BYTES >> 20
        ),
    );
    problems.into_result()
}
