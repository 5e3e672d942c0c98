//! Stored forms and keys of notices: day numbers, dates, stable hashes of codes and rapporti.

use super::*;

/// Days since 1970-01-01 (the stored date form).
pub fn to_days(day: NaiveDate) -> i64 {
    day.num_days_from_ce() as i64 - 719_163
}

/// The date of a stored day number.
pub fn from_days(days: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((days + 719_163) as i32).unwrap_or_default()
}

/// Parses `YYYY-MM-DD` or `DD/MM/YYYY`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.trim().as_bytes();
    let number = |slice: &[u8]| -> Option<u32> {
        let mut value = 0u32;
        for &byte in slice {
            if !byte.is_ascii_digit() {
                return None;
            }
            value = value * 10 + (byte - b'0') as u32;
        }
        Some(value)
    };
    if bytes.len() != 10 {
        return None;
    }
    let (year, month, day) = if bytes[4] == b'-' && bytes[7] == b'-' {
        (
            number(&bytes[0..4])?,
            number(&bytes[5..7])?,
            number(&bytes[8..10])?,
        )
    } else if bytes[2] == b'/' && bytes[5] == b'/' {
        (
            number(&bytes[6..10])?,
            number(&bytes[3..5])?,
            number(&bytes[0..2])?,
        )
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A fixed-seed hasher so that hashes of codes and rapporto keys are stable within a run.
fn hash_of(parts: &[&str]) -> u64 {
    let state = ahash::RandomState::with_seeds(0x1c0b, 0x2a3b, 0x5d4e, 0x7f60);
    let mut hasher = state.build_hasher();
    for part in parts {
        hasher.write(part.as_bytes());
        hasher.write_u8(0xff);
    }
    hasher.finish()
}

/// Hash of a notice code.
pub(crate) fn code_hash(code: &str) -> u64 {
    hash_of(&[code])
}

/// Hash of a rapporto key (worker, employer, start).
pub(crate) fn rapporto_hash(worker: &str, employer: &str, start: NaiveDate) -> u64 {
    let state = ahash::RandomState::with_seeds(0x1c0b, 0x2a3b, 0x5d4e, 0x7f60);
    let mut hasher = state.build_hasher();
    for part in [worker, employer] {
        hasher.write(part.as_bytes());
        hasher.write_u8(0xff);
    }
    hasher.write_i64(to_days(start));
    hasher.finish()
}

/// A set of precomputed 64-bit hashes.
pub(crate) type HashSet64 = HashSet<u64, BuildHasherDefault<IdentityHasher>>;

/// Identity hasher for keys that already are hashes.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ byte as u64;
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}
