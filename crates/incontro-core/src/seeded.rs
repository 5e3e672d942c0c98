//! Seeded sampling whose sequences do not depend on the `rand` release.
//!
//! The synthetic data the project publishes figures for — the neighbouring-records evaluation of
//! docs/scoring.md (seed 14) and `incontro generate cob --seed S` behind the COB benchmarks — must
//! draw the same values for the same seed whatever `rand` major is in the lock file. `rand` keeps
//! its generator stream stable (`StdRng` is ChaCha12, `seed_from_u64` the PCG32 expansion, both
//! unchanged from 0.8 to 0.10), but its *sampling* is free to change between majors, and did:
//! 0.9 changed how `gen_range` and `shuffle` turn the stream into numbers, so every seeded sample
//! moved. [`SeededRng`] therefore takes only the raw `u32`/`u64` stream from `rand` and does the
//! sampling itself, with the algorithms of rand 0.8 (the release the published figures were
//! measured with): widening-multiply rejection for integer ranges (modulus zone for 8-bit types,
//! the leading-zeros approximation otherwise), `u64 < p·2⁶⁴` for booleans, 53 high bits for an
//! `f64` in [0, 1), and Durstenfeld's shuffle drawing `u32` indices. The module tests pin values
//! drawn by rand 0.8.8 for fixed seeds, so a change here or in the stream fails a test.

use std::ops::{Range, RangeInclusive};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A seeded generator with release-independent sampling (module docs).
#[derive(Debug)]
pub(crate) struct SeededRng(StdRng);

impl SeededRng {
    /// The generator for `seed` (ChaCha12 seeded through PCG32, as `StdRng::seed_from_u64`).
    pub(crate) fn new(seed: u64) -> Self {
        SeededRng(StdRng::seed_from_u64(seed))
    }

    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform integer in `range` (`a..b` or `a..=b`); panics on an empty range.
    pub(crate) fn range<T: SeededInt, R: IntRange<T>>(&mut self, range: R) -> T {
        let (low, high) = range.inclusive_bounds();
        T::sample_inclusive(low, high, self)
    }

    /// `true` with probability `p` (0 ≤ p ≤ 1); `p = 1` draws nothing.
    pub(crate) fn bool(&mut self, p: f64) -> bool {
        assert!((0.0..=1.0).contains(&p), "probability {p} outside [0, 1]");
        if p == 1.0 {
            return true;
        }
        let threshold = (p * 2.0 * (1u64 << 63) as f64) as u64;
        self.next_u64() < threshold
    }

    /// A uniform `f64` in [0, 1) from the 53 high bits of one `u64`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Shuffles `items` in place (Durstenfeld, from the last position down).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let bound = i + 1;
            let j = match u32::try_from(bound) {
                Ok(bound) => self.range(0..bound) as usize,
                Err(_) => self.range(0..bound),
            };
            items.swap(i, j);
        }
    }
}

/// `a..b` and `a..=b` as inclusive bounds.
pub(crate) trait IntRange<T> {
    /// `(low, high)` with both ends included; panics when the range is empty.
    fn inclusive_bounds(self) -> (T, T);
}

impl<T: SeededInt> IntRange<T> for Range<T> {
    fn inclusive_bounds(self) -> (T, T) {
        assert!(self.start < self.end, "cannot sample an empty range");
        (self.start, self.end.minus_one())
    }
}

impl<T: SeededInt> IntRange<T> for RangeInclusive<T> {
    fn inclusive_bounds(self) -> (T, T) {
        let (low, high) = self.into_inner();
        assert!(low <= high, "cannot sample an empty range");
        (low, high)
    }
}

/// The integer types [`SeededRng::range`] draws.
pub(crate) trait SeededInt: Copy + PartialOrd {
    /// `self - 1` (never called on the type's minimum).
    fn minus_one(self) -> Self;
    /// A uniform value in `low..=high`.
    fn sample_inclusive(low: Self, high: Self, rng: &mut SeededRng) -> Self;
}

// `$ty` is sampled as `$unsigned` through draws of `$large` (`u32` or `u64`, as rand 0.8 did), with
// `$wide` holding the product of a draw and the range.
macro_rules! seeded_int {
    ($ty:ty, $unsigned:ty, $large:ty, $wide:ty, $next:ident, $small:expr) => {
        impl SeededInt for $ty {
            fn minus_one(self) -> Self {
                self - 1
            }

            fn sample_inclusive(low: Self, high: Self, rng: &mut SeededRng) -> Self {
                let range = high.wrapping_sub(low).wrapping_add(1) as $unsigned as $large;
                if range == 0 {
                    // The whole domain of the type.
                    return rng.$next() as $ty;
                }
                let zone: $large = if $small {
                    let ints_to_reject = (<$large>::MAX - range + 1) % range;
                    <$large>::MAX - ints_to_reject
                } else {
                    (range << range.leading_zeros()).wrapping_sub(1)
                };
                loop {
                    let draw: $large = rng.$next();
                    let product = draw as $wide * range as $wide;
                    let high_part = (product >> <$large>::BITS) as $large;
                    let low_part = product as $large;
                    if low_part <= zone {
                        return low.wrapping_add(high_part as $ty);
                    }
                }
            }
        }
    };
}

seeded_int!(u8, u8, u32, u64, next_u32, true);
seeded_int!(u32, u32, u32, u64, next_u32, false);
seeded_int!(i32, u32, u32, u64, next_u32, false);
seeded_int!(u64, u64, u64, u128, next_u64, false);
seeded_int!(i64, u64, u64, u128, next_u64, false);
seeded_int!(usize, u64, u64, u128, next_u64, false);

#[cfg(test)]
mod tests {
    use super::*;

    // Values drawn with rand 0.8.8 (`StdRng::seed_from_u64`, `gen_range`, `gen_bool`, `gen::<f64>`,
    // `SliceRandom::shuffle`) for the same seeds and calls, in this order.

    #[test]
    fn integer_ranges_match_rand_0_8() {
        let mut rng = SeededRng::new(14);
        let drawn: Vec<i64> = vec![
            rng.range(0..5usize) as i64,
            rng.range(1..=3i32) as i64,
            rng.range(1..=2u8) as i64,
            rng.range(-200..365i64),
            rng.range(200_000_000u32..999_999_999) as i64,
            rng.range(0..1_000_003usize) as i64,
            rng.range(1960..=2004i32) as i64,
            rng.range(0..=u8::MAX) as i64,
        ];
        assert_eq!(drawn, RAND_0_8_INTEGERS);
    }

    #[test]
    fn booleans_units_and_shuffles_match_rand_0_8() {
        let mut rng = SeededRng::new(5);
        let booleans: Vec<bool> = (0..16).map(|_| rng.bool(0.3)).collect();
        assert_eq!(booleans, RAND_0_8_BOOLEANS);
        assert!(rng.bool(1.0), "p = 1 is always true");
        assert!(!rng.bool(0.0), "p = 0 is never true");
        let unit = rng.unit();
        assert_eq!(unit.to_bits(), RAND_0_8_UNIT.to_bits());
        let mut items: Vec<u32> = (0..12).collect();
        rng.shuffle(&mut items);
        assert_eq!(items, RAND_0_8_SHUFFLED);
        // The stream continues where rand 0.8 continued after the same calls.
        assert_eq!(rng.range(0..1000u32), RAND_0_8_AFTER_SHUFFLE);
    }

    #[test]
    #[should_panic(expected = "empty range")]
    fn an_empty_range_is_refused() {
        SeededRng::new(1).range(3..3u32);
    }

    #[test]
    fn ranges_stay_inside_their_bounds() {
        let mut rng = SeededRng::new(99);
        for _ in 0..10_000 {
            let value = rng.range(-3..=4i64);
            assert!((-3..=4).contains(&value));
            let value = rng.range(7..9usize);
            assert!((7..9).contains(&value));
            let unit = rng.unit();
            assert!((0.0..1.0).contains(&unit));
        }
    }

    const RAND_0_8_INTEGERS: [i64; 8] = [4, 1, 1, 17, 525_580_086, 763_405, 1985, 67];
    const RAND_0_8_BOOLEANS: [bool; 16] = [
        false, true, false, false, false, false, true, false, false, false, false, false, false,
        false, false, false,
    ];
    const RAND_0_8_UNIT: f64 = 0.093_487_517_729_479_05;
    const RAND_0_8_SHUFFLED: [u32; 12] = [8, 3, 6, 0, 9, 7, 10, 1, 4, 2, 5, 11];
    const RAND_0_8_AFTER_SHUFFLE: u32 = 170;
}
