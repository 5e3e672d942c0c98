//! Reading text input in bounded memory: the one reader every importer (records, COB, contacts,
//! ESCO) reads its files through.
//!
//! [`CheckedReader`] hands its consumer (the csv crate, a line loop) one line at a time, after
//! checking it:
//! - no line is longer than [`TextOptions::max_line_bytes`] (1 MiB by default): a longer one,
//!   or a file with no newline at all such as `/dev/zero`, is an error at its line, found after
//!   reading at most that many bytes;
//! - no NUL byte (binary data), and no compressed or archived file (gzip, zip, bzip2, xz, zstd
//!   magic numbers on line 1);
//! - the text is UTF-8 (a byte-order mark on line 1 is dropped), or, with
//!   [`Encoding::Windows1252`], is transcoded from Windows-1252 to UTF-8. Text that is not UTF-8
//!   but reads as Windows-1252 gets a hint saying so.
//!
//! A problem surfaces as an [`std::io::Error`] carrying a [`TextError`] (line and message), so
//! it travels through any reader stack; [`text_error`] finds it again, and importers report it as
//! `file:line: message` ([`TextError::problem`]).
//!
//! What it does NOT do: parse CSV or JSON, or cap the number of lines (importers keep what they
//! read; the store is the limit).

use crate::ErrorCode;
use std::fmt;
use std::io::{BufRead, Read};

/// The longest line accepted by default: 1 MiB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// The longest excerpt of input an error message may quote, in characters.
pub const EXCERPT_CHARS: usize = 80;

/// The character encoding of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 (the default; a byte-order mark is accepted).
    #[default]
    Utf8,
    /// Windows-1252 (Western European; many regional exports), transcoded to UTF-8.
    Windows1252,
}

impl Encoding {
    /// Parses `utf-8` / `utf8` or `windows-1252` / `cp1252` (any case).
    pub fn parse(raw: &str) -> crate::Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "windows-1252" | "cp1252" | "windows1252" => Ok(Encoding::Windows1252),
            other => Err(crate::Error::invalid(
                ErrorCode::InvalidEncoding,
                format!(
                    "unknown encoding {:?}; expected utf-8 or windows-1252",
                    excerpt(other)
                ),
            )),
        }
    }
}

impl std::str::FromStr for Encoding {
    type Err = crate::Error;

    fn from_str(raw: &str) -> crate::Result<Self> {
        Encoding::parse(raw)
    }
}

/// How text input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// The file's encoding.
    pub encoding: Encoding,
    /// The longest accepted line in bytes, without its line end.
    pub max_line_bytes: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            encoding: Encoding::Utf8,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
}

impl TextOptions {
    /// The defaults with `encoding`.
    pub fn with_encoding(encoding: Encoding) -> Self {
        TextOptions {
            encoding,
            ..TextOptions::default()
        }
    }
}

/// What is wrong with a line of text input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextError {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong (lowercase, no input copied beyond a short excerpt).
    pub message: String,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for TextError {}

impl TextError {
    /// The error as the problem of `file`, in the importers' `file:line: message` form.
    pub fn problem(&self, file: &str) -> crate::InputProblem {
        crate::InputProblem {
            file: file.to_string(),
            line: self.line,
            field: None,
            message: self.message.clone(),
        }
    }
}

/// The [`TextError`] inside an I/O error, if it came from a [`CheckedReader`].
pub fn text_error(error: &std::io::Error) -> Option<&TextError> {
    error.get_ref()?.downcast_ref::<TextError>()
}

/// The [`TextError`] inside a csv error, if its cause is one.
pub fn csv_text_error(error: &csv::Error) -> Option<&TextError> {
    match error.kind() {
        csv::ErrorKind::Io(io) => text_error(io),
        _ => None,
    }
}

/// An I/O error met while reading `file` (at `path`) as the importers' error: a [`TextError`]
/// becomes the one problem of an [`crate::Error::InvalidInput`] (`file:line: message`), anything
/// else an I/O error.
pub fn io_error(file: &str, path: &std::path::Path, error: std::io::Error) -> crate::Error {
    match text_error(&error) {
        Some(problem) => crate::Error::InvalidInput {
            problems: vec![problem.problem(file)],
        },
        None => crate::Error::io(path, error),
    }
}

/// A csv error met while reading `file` (at `path`) as the importers' error (see [`io_error`]);
/// a CSV syntax error becomes a problem at its line.
pub fn csv_error(file: &str, path: &std::path::Path, error: csv::Error) -> crate::Error {
    let line = error.position().map_or(0, csv::Position::line);
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(io) => io_error(file, path, io),
        _ => crate::Error::InvalidInput {
            problems: vec![crate::InputProblem {
                file: file.to_string(),
                line,
                field: None,
                message: cap_chars(
                    &format!("malformed CSV: {message}"),
                    crate::error::Problems::MESSAGE_CHARS,
                ),
            }],
        },
    }
}

/// At most [`EXCERPT_CHARS`] characters of `text`, with `…` when cut.
pub fn excerpt(text: &str) -> String {
    truncate_chars(text, EXCERPT_CHARS)
}

/// At most `max` characters of `text`, with `…` when cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// `text` in at most `max` characters in all, the `…` of a cut included (a message's length
/// limit, where [`truncate_chars`] limits the characters kept from the input).
pub fn cap_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some(_) => truncate_chars(text, max.saturating_sub(1)),
    }
}

/// Reads text line by line in bounded memory, checking each line (see the module doc).
#[derive(Debug)]
pub struct CheckedReader<R> {
    inner: R,
    options: TextOptions,
    /// The raw bytes of the line being read.
    raw: Vec<u8>,
    /// The checked (UTF-8) line being served, with its line end.
    line: Vec<u8>,
    /// Bytes of `line` already served.
    served: usize,
    /// Number of the line in `line`.
    number: u64,
    /// A problem met: every later read returns it again.
    failed: Option<TextError>,
}

impl<R: BufRead> CheckedReader<R> {
    /// Wraps a buffered reader.
    pub fn new(inner: R, options: TextOptions) -> Self {
        CheckedReader {
            inner,
            options,
            raw: Vec::new(),
            line: Vec::new(),
            served: 0,
            number: 0,
            failed: None,
        }
    }

    /// The number of the last line handed out (1-based; 0 before the first).
    pub fn line_number(&self) -> u64 {
        self.number
    }

    fn fail(&mut self, message: String) -> std::io::Error {
        let error = TextError {
            line: self.number,
            message,
        };
        self.failed = Some(error.clone());
        std::io::Error::new(std::io::ErrorKind::InvalidData, error)
    }

    /// Reads the next raw line into `raw` (at most the limit plus its line end). False at the end
    /// of the input.
    fn read_raw_line(&mut self) -> std::io::Result<bool> {
        self.raw.clear();
        let limit = self.options.max_line_bytes;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if available.is_empty() {
                return Ok(!self.raw.is_empty());
            }
            let (take, complete) = match memchr::memchr(b'\n', available) {
                Some(end) => (end + 1, true),
                None => (available.len(), false),
            };
            // Binary input is refused as soon as it is seen, not after a line's worth of it.
            let first_piece = self.number == 0 && self.raw.is_empty();
            let piece = &available[..take];
            if first_piece {
                if let Some(kind) = compressed_kind(piece) {
                    self.number += 1;
                    return Err(self.fail(format!("{kind} data, not text: unpack the file first")));
                }
            }
            if let Some(at) = memchr::memchr(0, piece) {
                let column = self.raw.len() + at + 1;
                self.number += 1;
                return Err(self.fail(format!(
                    "NUL byte at column {column}: binary data, not text (a compressed or \
                     spreadsheet file? export it as CSV)"
                )));
            }
            // The line end itself (LF, or CR LF) does not count towards the limit.
            let room = limit + 2 - self.raw.len().min(limit + 2);
            if take > room {
                self.raw.extend_from_slice(&available[..room]);
                self.inner.consume(room);
                if !line_within(&self.raw, limit) {
                    self.number += 1;
                    return Err(self.fail(format!(
                        "line longer than {limit} bytes: not a text file of this format, \
                         or a line end is missing"
                    )));
                }
                continue;
            }
            self.raw.extend_from_slice(&available[..take]);
            self.inner.consume(take);
            if !line_within(&self.raw, limit) {
                self.number += 1;
                return Err(self.fail(format!(
                    "line longer than {limit} bytes: not a text file of this format, \
                     or a line end is missing"
                )));
            }
            if complete {
                return Ok(true);
            }
        }
    }

    /// Reads, checks and decodes the next line into `line`. False at the end of the input.
    fn next_line(&mut self) -> std::io::Result<bool> {
        if !self.read_raw_line()? {
            return Ok(false);
        }
        self.number += 1;
        self.served = 0;
        self.line.clear();
        let mut raw: &[u8] = &self.raw;
        if self.number == 1 && self.options.encoding == Encoding::Utf8 {
            if let Some(rest) = raw.strip_prefix(b"\xEF\xBB\xBF") {
                raw = rest;
            }
        }
        match self.options.encoding {
            Encoding::Utf8 => match std::str::from_utf8(raw) {
                Ok(_) => self.line.extend_from_slice(raw),
                Err(error) => {
                    let column = error.valid_up_to() + 1;
                    let byte = raw[error.valid_up_to()];
                    let hint = if looks_like_windows_1252(raw) {
                        "the file looks like Windows-1252: save it as UTF-8 or pass \
                         `--encoding windows-1252`"
                    } else {
                        "save the file as UTF-8"
                    };
                    return Err(self.fail(format!(
                        "not UTF-8 text (byte 0x{byte:02X} at column {column}): {hint}"
                    )));
                }
            },
            Encoding::Windows1252 => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(raw);
                self.line.extend_from_slice(text.as_bytes());
            }
        }
        Ok(true)
    }
}

/// Whether a raw line (with its line end, if any) is within `limit` bytes without the line end.
fn line_within(raw: &[u8], limit: usize) -> bool {
    let mut content = raw.len();
    if raw.last() == Some(&b'\n') {
        content -= 1;
        if content > 0 && raw[content - 1] == b'\r' {
            content -= 1;
        }
    } else if raw.len() > limit && raw.last() == Some(&b'\r') {
        // A CR at the limit may be the first half of a CR LF still to come.
        content -= 1;
    }
    content <= limit
}

/// The kind of compressed or archive data a first line starts with, if any.
fn compressed_kind(first: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 6] = [
        (b"\x1F\x8B", "gzip-compressed"),
        (b"PK\x03\x04", "zip archive"),
        (b"BZh", "bzip2-compressed"),
        (b"\xFD7zXZ\x00", "xz-compressed"),
        (b"\x28\xB5\x2F\xFD", "zstd-compressed"),
        (b"\xD0\xCF\x11\xE0", "old Excel (OLE)"),
    ];
    MAGIC
        .iter()
        .find(|(magic, _)| first.starts_with(magic))
        .map(|(_, kind)| *kind)
        .filter(|kind| *kind != "bzip2-compressed" || first.get(3).is_some_and(u8::is_ascii_digit))
}

/// Whether bytes that are not UTF-8 read as Windows-1252 text: every byte above 0x7F is one of
/// the letters and signs of Western European text, and no control character other than tab and
/// line ends appears.
pub fn looks_like_windows_1252(raw: &[u8]) -> bool {
    raw.iter().all(|&byte| match byte {
        b'\t' | b'\n' | b'\r' => true,
        0x00..=0x1F | 0x7F => false,
        0x20..=0x7E => true,
        // Undefined in Windows-1252.
        0x81 | 0x8D | 0x8F | 0x90 | 0x9D => false,
        _ => true,
    })
}

impl<R: BufRead> Read for CheckedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(error) = &self.failed {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                error.clone(),
            ));
        }
        if self.served == self.line.len() && !self.next_line()? {
            return Ok(0);
        }
        let rest = &self.line[self.served..];
        let count = rest.len().min(buf.len());
        buf[..count].copy_from_slice(&rest[..count]);
        self.served += count;
        Ok(count)
    }
}

/// Reads all of `reader` (named `name` in errors) into memory, refusing more than `max` bytes
/// (an upload or an archive held whole: a zip needs to seek).
pub fn read_bounded(name: &str, reader: impl Read, max: u64, what: &str) -> crate::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| crate::Error::io(std::path::Path::new(name), source))?;
    if bytes.len() as u64 > max {
        return Err(crate::Error::TooLarge {
            message: format!("{name}: {what} over {max} bytes"),
        });
    }
    Ok(bytes)
}

/// Opens a file for buffered reading; a directory is an error.
pub fn open_file(path: &std::path::Path) -> crate::Result<std::io::BufReader<std::fs::File>> {
    let file = std::fs::File::open(path).map_err(|source| crate::Error::io(path, source))?;
    let metadata = file
        .metadata()
        .map_err(|source| crate::Error::io(path, source))?;
    if metadata.is_dir() {
        return Err(crate::Error::invalid(
            ErrorCode::NotAFile,
            format!("{} is a directory, not a file", path.display()),
        ));
    }
    Ok(std::io::BufReader::with_capacity(1 << 20, file))
}

/// Opens a text file for reading through a [`CheckedReader`]; a directory is an error.
pub fn open_text(
    path: &std::path::Path,
    options: TextOptions,
) -> crate::Result<CheckedReader<std::io::BufReader<std::fs::File>>> {
    Ok(CheckedReader::new(open_file(path)?, options))
}

/// Reads a whole text file through a [`CheckedReader`] into a string (for the importers that
/// hold a file in memory anyway). A problem with the text is an [`crate::Error::InvalidInput`]
/// naming `file` and the line.
pub fn read_text(
    path: &std::path::Path,
    file: &str,
    options: TextOptions,
) -> crate::Result<String> {
    let mut reader = open_text(path, options)?;
    let mut text = String::new();
    match reader.read_to_string(&mut text) {
        Ok(_) => Ok(text),
        Err(error) => Err(io_error(file, path, error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8], options: TextOptions) -> Result<String, TextError> {
        let mut reader = CheckedReader::new(input, options);
        let mut out = String::new();
        match reader.read_to_string(&mut out) {
            Ok(_) => Ok(out),
            Err(error) => Err(text_error(&error).expect("a text error").clone()),
        }
    }

    fn small(limit: usize) -> TextOptions {
        TextOptions {
            max_line_bytes: limit,
            ..TextOptions::default()
        }
    }

    #[test]
    fn utf8_passes_through_and_the_bom_is_dropped() {
        let text = "\u{feff}id,nome\r\n1,Niccolò\n2,Zoë";
        assert_eq!(
            read_all(text.as_bytes(), TextOptions::default()).unwrap(),
            "id,nome\r\n1,Niccolò\n2,Zoë"
        );
    }

    #[test]
    fn a_line_over_the_limit_is_an_error_at_its_line() {
        let error = read_all(b"ab\nabcdef\nx\n", small(5)).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("longer than 5 bytes"), "{error}");
        // Exactly at the limit is fine, with LF or CR LF.
        assert!(read_all(b"abcde\nabcde\r\nabcde", small(5)).is_ok());
        let error = read_all(b"abcdef", small(5)).unwrap_err();
        assert_eq!(error.line, 1);
    }

    #[test]
    fn endless_input_without_newlines_ends_with_an_error_in_bounded_memory() {
        let zeros = std::io::BufReader::new(std::io::repeat(b'a'));
        let mut reader = CheckedReader::new(zeros, small(4096));
        let mut sink = Vec::new();
        let error = reader.read_to_end(&mut sink).unwrap_err();
        assert_eq!(text_error(&error).expect("text error").line, 1);
        assert!(reader.raw.capacity() < 3 * 4096);
    }

    #[test]
    fn nul_bytes_and_compressed_data_are_refused() {
        let error = read_all(b"id\n1\x002\n", TextOptions::default()).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("NUL byte at column 2"), "{error}");
        let error = read_all(b"\x1f\x8b\x08\x00abc", TextOptions::default()).unwrap_err();
        assert_eq!(error.line, 1);
        assert!(error.message.contains("gzip"), "{error}");
    }

    #[test]
    fn windows_1252_gets_a_hint_and_is_read_with_the_option() {
        // "Niccolò,Forlì" in Windows-1252.
        let latin = b"nome,comune\nNiccol\xF2,Forl\xEC\n";
        let error = read_all(latin, TextOptions::default()).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("byte 0xF2 at column 7"), "{error}");
        assert!(error.message.contains("--encoding windows-1252"), "{error}");
        let text = read_all(latin, TextOptions::with_encoding(Encoding::Windows1252)).unwrap();
        assert_eq!(text, "nome,comune\nNiccolò,Forlì\n");
        // Control bytes: not text in any encoding, so no Windows-1252 hint.
        let error = read_all(b"a\x01\xff\n", TextOptions::default()).unwrap_err();
        assert!(!error.message.contains("Windows-1252"), "{error}");
    }

    /// Found by `scripts/fuzz.sh` (stop 19: a COB row whose open quote swallowed the rest of the
    /// file into its DataInvio field): a message cut to 300 characters came out as 301.
    #[test]
    fn capped_messages_keep_their_limit_with_the_ellipsis() {
        let long = "é".repeat(1_000);
        let capped = cap_chars(&long, 300);
        assert_eq!(capped.chars().count(), 300);
        assert!(capped.ends_with('…'));
        assert_eq!(cap_chars(&"x".repeat(300), 300), "x".repeat(300));
        assert_eq!(cap_chars("", 300), "");
    }

    #[test]
    fn excerpts_are_short() {
        let long = "x".repeat(10_000);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt("breve"), "breve");
    }

    #[test]
    fn encodings_parse() {
        assert_eq!(Encoding::parse("UTF-8").unwrap(), Encoding::Utf8);
        assert_eq!(Encoding::parse("cp1252").unwrap(), Encoding::Windows1252);
        assert!(Encoding::parse("latin9").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any bytes: the reader ends (no panic), and what it accepts is exactly the input (UTF-8,
        /// BOM dropped) with every line within the limit.
        #[test]
        fn any_input_is_read_faithfully_or_refused(
            input in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
            limit in 1usize..64,
        ) {
            let options = small(limit);
            match read_all(&input, options) {
                Ok(text) => {
                    let body = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&input);
                    proptest::prop_assert_eq!(text.as_bytes(), body);
                    proptest::prop_assert!(!text.contains('\0'));
                    for line in text.split('\n') {
                        proptest::prop_assert!(line.trim_end_matches('\r').len() <= limit);
                    }
                }
                Err(error) => {
                    let lines = input.split(|&b| b == b'\n').count() as u64;
                    proptest::prop_assert!(error.line >= 1 && error.line <= lines);
                    proptest::prop_assert!(error.message.len() < 200);
                }
            }
        }

        /// Windows-1252 input always decodes (no byte is refused but NUL) to the same text as
        /// encoding_rs gives for the whole file.
        #[test]
        fn windows_1252_decodes_like_encoding_rs(
            input in proptest::collection::vec(1u8..=255, 0..300),
        ) {
            let options = TextOptions::with_encoding(Encoding::Windows1252);
            let starts_compressed = compressed_kind(&input).is_some();
            match read_all(&input, options) {
                Ok(text) => {
                    let (whole, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&input);
                    proptest::prop_assert_eq!(text, whole.into_owned());
                }
                Err(error) => proptest::prop_assert!(starts_compressed, "{}", error),
            }
        }
    }
}
