//! Byte-level CSV of the batch: splitting a file into line-aligned pieces parsed in parallel,
//! fields, levels and flags, and the problems found with their line numbers.

use ahash::RandomState;

use crate::scoring::parallel::{map_with_scratch, threads};
use crate::{Problems, Result};

/// A problem found while parsing, with its line.
pub(super) struct LineProblem {
    pub(super) line: u64,
    pub(super) field: Option<&'static str>,
    pub(super) message: String,
}

pub(super) fn clean(field: &[u8]) -> &[u8] {
    let field = field.trim_ascii();
    match field {
        [b'"', inner @ .., b'"'] => inner,
        other => other,
    }
}

pub(super) fn is_valid_token(value: &[u8]) -> bool {
    // A fold without early exit: the compiler vectorizes it (a URI is ~70 bytes, checked per row).
    !value.is_empty()
        && value
            .iter()
            .fold(true, |ok, &b| ok & (b > b' ') & (b != b'"') & (b != 0x7f))
}

pub(super) const MAX_FIELDS: usize = 16;

/// Splits a line at commas into at most [`MAX_FIELDS`] cleaned fields; returns how many.
pub(super) fn split_line<'a>(line: &'a [u8], fields: &mut [&'a [u8]; MAX_FIELDS]) -> usize {
    let mut count = 0;
    let mut start = 0;
    for comma in memchr::memchr_iter(b',', line) {
        if count == MAX_FIELDS {
            return count + 1;
        }
        fields[count] = clean(&line[start..comma]);
        count += 1;
        start = comma + 1;
    }
    if count < MAX_FIELDS {
        fields[count] = clean(&line[start..]);
    }
    count + 1
}

/// Finds the positions of `wanted` columns in a header line.
pub(super) fn parse_header(
    header: &[u8],
    wanted: &[&'static str],
    file: &str,
) -> Result<Vec<usize>> {
    let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
    let mut fields = [&b""[..]; MAX_FIELDS];
    let count = split_line(header, &mut fields).min(MAX_FIELDS);
    let mut problems = Problems::default();
    let mut positions = Vec::with_capacity(wanted.len());
    for &name in wanted {
        match fields[..count]
            .iter()
            .position(|f| f.eq_ignore_ascii_case(name.as_bytes()))
        {
            Some(position) => positions.push(position),
            None => problems.push(file, 1, Some(name), "missing column"),
        }
    }
    problems.into_result()?;
    Ok(positions)
}

/// Splits `body` into about `parts` pieces ending at line ends.
pub(super) fn split_at_lines(body: &[u8], parts: usize) -> Vec<&[u8]> {
    let target = (body.len() / parts.max(1)).max(1 << 16);
    let mut pieces = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        if rest.len() <= target {
            pieces.push(rest);
            break;
        }
        let cut = match memchr::memchr(b'\n', &rest[target..]) {
            Some(offset) => target + offset + 1,
            None => rest.len(),
        };
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    pieces
}

/// The lines of `piece` with their 0-based index within it and byte offset.
pub(super) fn lines_of(piece: &[u8]) -> impl Iterator<Item = (u64, usize, &[u8])> {
    let mut start = 0usize;
    let mut index = 0u64;
    std::iter::from_fn(move || {
        if start >= piece.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &piece[start..]).map_or(piece.len(), |o| start + o);
        let line = &piece[start..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let item = (index, start, line);
        start = end + 1;
        index += 1;
        Some(item)
    })
}

pub(super) fn parse_level(value: &[u8]) -> Option<u8> {
    match value {
        [digit @ b'1'..=b'4'] => Some(digit - b'0'),
        _ => None,
    }
}

/// The checks every batch row shares: the id (named `id_field` in problems), the skill URI and
/// the level; the level, or the field and message of the first problem.
pub(super) fn check_id_skill_level(
    id_field: &'static str,
    id: &[u8],
    skill: &[u8],
    level: &[u8],
) -> Result<u8, (&'static str, String)> {
    if !is_valid_token(id) {
        return Err((id_field, format!("malformed id {:?}", lossy(id))));
    }
    if !is_valid_token(skill) {
        return Err((
            "skill_uri",
            format!("malformed skill uri {:?}", lossy(skill)),
        ));
    }
    parse_level(level).ok_or_else(|| {
        (
            "level",
            format!("level {:?} is not 1, 2, 3 or 4", lossy(level)),
        )
    })
}

pub(super) fn parse_essential(value: &[u8]) -> Option<bool> {
    const TRUE: [&[u8]; 3] = [b"true", b"1", b"yes"];
    const FALSE: [&[u8]; 3] = [b"false", b"0", b"no"];
    if TRUE.iter().any(|t| value.eq_ignore_ascii_case(t)) {
        Some(true)
    } else if FALSE.iter().any(|f| value.eq_ignore_ascii_case(f)) {
        Some(false)
    } else {
        None
    }
}

pub(super) fn lossy(value: &[u8]) -> String {
    String::from_utf8_lossy(value).chars().take(80).collect()
}

pub(super) fn hash_uri(hasher: &RandomState, uri: &[u8]) -> u64 {
    hasher.hash_one(uri)
}

pub(super) fn fixed_hasher() -> RandomState {
    RandomState::with_seeds(0x1c0, 0x7e0, 0x5c0, 0x4e5)
}

/// Splits the file into header and body; fails on an empty file.
pub(super) fn header_and_body<'a>(bytes: &'a [u8], file: &str) -> Result<(&'a [u8], &'a [u8])> {
    let mut problems = Problems::default();
    let end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
    let header = &bytes[..end];
    let body = bytes.get(end + 1..).unwrap_or(&[]);
    if header.trim_ascii().is_empty() {
        problems.push(file, 0, None, "empty file");
    } else if body.trim_ascii().is_empty() {
        problems.push(file, 0, None, "no data rows after the header");
    }
    problems.into_result()?;
    Ok((header.strip_suffix(b"\r").unwrap_or(header), body))
}

/// Cuts `body` (the lines after the header) into pieces of whole lines and parses them in
/// parallel, `parse` getting each piece and the number of its first line; results in file order.
pub(super) fn parse_each_piece<'a, R: Send>(
    body: &'a [u8],
    parse: impl Fn(&'a [u8], u64) -> R + Sync + Send,
) -> Vec<R> {
    let pieces = split_at_lines(body, threads() * 4);
    let line_counts = map_with_scratch(
        &pieces,
        || (),
        |_, piece| {
            let newlines = memchr::memchr_iter(b'\n', piece).count() as u64;
            newlines + u64::from(!piece.ends_with(b"\n"))
        },
    );
    let mut first_lines = Vec::with_capacity(pieces.len());
    let mut next = 2u64; // line 1 is the header
    for count in &line_counts {
        first_lines.push(next);
        next += count;
    }
    let jobs: Vec<(&'a [u8], u64)> = pieces.into_iter().zip(first_lines).collect();
    map_with_scratch(&jobs, || (), |_, &(piece, first)| parse(piece, first))
}

/// The cleaned field at `column` of a line without its line end (None when the line has fewer
/// fields). Only the bytes up to that field are looked at.
pub(super) fn field_of_line(line: &[u8], column: usize) -> Option<&[u8]> {
    let mut start = 0usize;
    for _ in 0..column {
        start += memchr::memchr(b',', &line[start..])? + 1;
    }
    let end = memchr::memchr(b',', &line[start..]).map_or(line.len(), |o| start + o);
    Some(clean(&line[start..end]))
}

/// The line that ends just before `end` (at a line start) without its line end, and where it starts.
fn line_before(bytes: &[u8], end: usize) -> (usize, &[u8]) {
    let body_end = if end > 0 && bytes[end - 1] == b'\n' {
        end - 1
    } else {
        end
    };
    let start = memchr::memrchr(b'\n', &bytes[..body_end]).map_or(0, |p| p + 1);
    let line = &bytes[start..body_end];
    (start, line.strip_suffix(b"\r").unwrap_or(line))
}

/// Where the rows of the last worker of `region` (complete lines) start: the start of the run
/// of lines at the end whose `column` field is the same id, blank lines included. 0 when the
/// whole region is that one worker.
pub(super) fn last_worker_start(region: &[u8], column: usize) -> usize {
    let mut end = region.len();
    let mut id: Option<Option<&[u8]>> = None;
    while end > 0 {
        let (start, line) = line_before(region, end);
        if !line.trim_ascii().is_empty() {
            let field = field_of_line(line, column);
            match id {
                None => id = Some(field),
                Some(last) if last == field => {}
                Some(_) => return end,
            }
        }
        end = start;
    }
    0
}

/// Splits `body` (complete lines) into about `parts` pieces of at least about `min_piece` bytes,
/// ending at line ends, never between two rows of one worker (rows with the same `column`
/// field, blank lines between them included), so that each piece holds whole workers.
pub(super) fn split_at_workers(
    body: &[u8],
    parts: usize,
    min_piece: usize,
    column: usize,
) -> Vec<&[u8]> {
    let target = (body.len() / parts.max(1)).max(min_piece.max(1));
    let mut pieces = Vec::with_capacity(parts + 1);
    let mut rest = body;
    while !rest.is_empty() {
        if rest.len() <= target {
            pieces.push(rest);
            break;
        }
        let mut cut = match memchr::memchr(b'\n', &rest[target..]) {
            Some(offset) => target + offset + 1,
            None => rest.len(),
        };
        // The id of the last non-blank line before the cut.
        let mut back = cut;
        let mut id = None;
        while back > 0 {
            let (start, line) = line_before(rest, back);
            if !line.trim_ascii().is_empty() {
                id = Some(field_of_line(line, column));
                break;
            }
            back = start;
        }
        if let Some(id) = id {
            while cut < rest.len() {
                let next_end =
                    memchr::memchr(b'\n', &rest[cut..]).map_or(rest.len(), |o| cut + o + 1);
                let (_, line) = line_before(rest, next_end);
                if !line.trim_ascii().is_empty() && field_of_line(line, column) != id {
                    break;
                }
                cut = next_end;
            }
        }
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    pieces
}
