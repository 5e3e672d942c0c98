//! Shards of the nightly batch (`incontro match --all --shard I/N`).

use super::*;

/// One of N shards of the job seekers for the batch (`I/N`, 1 ≤ I ≤ N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// Everyone (`1/1`).
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Parses `I/N`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(
                ErrorCode::InvalidInput,
                format!("shard {text:?} is not I/N with 1 <= I <= N <= 4096"),
            )
        };
        let (index, count) = text.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = index.trim().parse().map_err(|_| bad())?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count || count > 4096 {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// True when the job seeker `id` is in this shard: FNV-1a of the id's bytes, modulo N
    /// (stable across machines, builds and releases).
    pub fn contains(&self, id: &str) -> bool {
        if self.count == 1 {
            return true;
        }
        let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        hash % u64::from(self.count) == u64::from(self.index - 1)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod shard_tests {
    use super::*;

    #[test]
    fn the_union_of_the_shards_is_the_whole_batch_row_for_row() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        engine.import_demo(&crate::NoProgress).expect("demo");
        let dir = tempfile::tempdir().expect("tempdir");
        let whole = dir.path().join("whole.csv");
        engine
            .match_all(5, false, &whole, &crate::NoProgress)
            .expect("whole");
        let rows = |path: &Path| -> Vec<String> {
            std::fs::read_to_string(path)
                .expect("read")
                .lines()
                .skip(1)
                .map(str::to_string)
                .collect()
        };
        let mut expected = rows(&whole);
        let mut union = Vec::new();
        for index in 1..=3 {
            let shard = Shard::parse(&format!("{index}/3")).expect("shard");
            let out = dir.path().join(format!("shard{index}.csv"));
            engine
                .match_all_shard(5, false, shard, &out, &crate::NoProgress)
                .expect("shard");
            let part = rows(&out);
            assert!(!part.is_empty(), "shard {shard} has job seekers");
            union.extend(part);
        }
        expected.sort();
        union.sort();
        assert_eq!(union, expected);
        for bad in ["0/3", "4/3", "1/0", "1", "a/b", "1/5000"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
