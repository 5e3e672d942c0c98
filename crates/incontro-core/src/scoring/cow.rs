//! Copy-on-write containers for the matching state: cloning one is cheap (it shares its parts),
//! and changing one element copies only the part that holds it.
//!
//! A write to one vacancy or one person builds the next matching state as a clone of the current
//! one with that object changed, while queries keep reading the current one (see
//! `docs/scoring.md`, "Incremental matching state"). With plain `Vec`s the clone would copy
//! every array; here [`CowVec`] shares chunks of [`CHUNK`] elements behind `Arc`s and
//! [`CowMap`] shares shards of a hash map, so a write copies a few chunks and shards.

use std::ops::Index;
use std::sync::Arc;

use ahash::AHashMap;

const CHUNK_BITS: usize = 10;
/// Elements per shared chunk of a [`CowVec`].
pub const CHUNK: usize = 1 << CHUNK_BITS;

/// A vector in shared chunks of [`CHUNK`] elements: `clone` copies only the chunk pointers,
/// changing an element copies its chunk if another clone shares it.
#[derive(Debug, Clone)]
pub struct CowVec<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

impl<T> Default for CowVec<T> {
    fn default() -> Self {
        CowVec {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> CowVec<T> {
    /// An empty vector.
    pub fn new() -> Self {
        CowVec::default()
    }

    /// Number of elements.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The element at `index`, if any.
    #[inline]
    pub fn get(&self, index: usize) -> Option<&T> {
        if index < self.len {
            Some(&self.chunks[index >> CHUNK_BITS][index & (CHUNK - 1)])
        } else {
            None
        }
    }

    /// Appends an element.
    pub fn push(&mut self, value: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Arc::new(Vec::with_capacity(CHUNK)));
        }
        let last = self.chunks.last_mut().expect("a chunk was just ensured");
        Arc::make_mut(last).push(value);
        self.len += 1;
    }

    /// The element at `index`, to change (its chunk is copied first if shared).
    ///
    /// # Panics
    /// When `index` is out of bounds, like a slice.
    pub fn get_mut(&mut self, index: usize) -> &mut T {
        assert!(
            index < self.len,
            "index {index} out of bounds ({})",
            self.len
        );
        &mut Arc::make_mut(&mut self.chunks[index >> CHUNK_BITS])[index & (CHUNK - 1)]
    }

    /// Replaces the element at `index`.
    pub fn set(&mut self, index: usize, value: T) {
        *self.get_mut(index) = value;
    }

    /// Removes and returns the last element.
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let last = self.chunks.last_mut()?;
        let value = Arc::make_mut(last).pop();
        self.len -= 1;
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.pop();
        }
        value
    }

    /// Removes the element at `index`, moving the last element into its place (like
    /// `Vec::swap_remove`), and returns it.
    pub fn swap_remove(&mut self, index: usize) -> T {
        assert!(
            index < self.len,
            "index {index} out of bounds ({})",
            self.len
        );
        let last = self.pop().expect("not empty");
        if index == self.len {
            last
        } else {
            std::mem::replace(self.get_mut(index), last)
        }
    }

    /// The elements in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.chunks.iter().flat_map(|chunk| chunk.iter())
    }
}

impl<T: Clone> Index<usize> for CowVec<T> {
    type Output = T;

    #[inline]
    fn index(&self, index: usize) -> &T {
        match self.get(index) {
            Some(value) => value,
            None => panic!("index {index} out of bounds ({})", self.len),
        }
    }
}

impl<T: Clone> FromIterator<T> for CowVec<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut vector = CowVec::new();
        for value in iter {
            vector.push(value);
        }
        vector
    }
}

const SHARDS: usize = 256;

/// A map from string keys in `SHARDS` shared shards: `clone` copies the shard pointers, an
/// insert or removal copies one shard if shared.
#[derive(Debug, Clone)]
pub struct CowMap<V> {
    shards: Vec<Arc<AHashMap<Box<str>, V>>>,
    len: usize,
}

impl<V> Default for CowMap<V> {
    fn default() -> Self {
        CowMap {
            shards: (0..SHARDS).map(|_| Arc::new(AHashMap::new())).collect(),
            len: 0,
        }
    }
}

/// FNV-1a: a fixed hash, so that every clone finds a key in the same shard.
fn shard_of(key: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in key.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    (hash as usize) % SHARDS
}

impl<V: Clone> CowMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        CowMap::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: &str) -> Option<&V> {
        self.shards[shard_of(key)].get(key)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Inserts or replaces; returns the previous value.
    pub fn insert(&mut self, key: &str, value: V) -> Option<V> {
        let shard = Arc::make_mut(&mut self.shards[shard_of(key)]);
        let previous = shard.insert(key.into(), value);
        if previous.is_none() {
            self.len += 1;
        }
        previous
    }

    /// Removes `key`; returns its value.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let index = shard_of(key);
        if !self.shards[index].contains_key(key) {
            return None;
        }
        let previous = Arc::make_mut(&mut self.shards[index]).remove(key);
        if previous.is_some() {
            self.len -= 1;
        }
        previous
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Push(u32),
        Set(usize, u32),
        SwapRemove(usize),
        Pop,
        Snapshot,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => any::<u32>().prop_map(Op::Push),
            2 => (any::<usize>(), any::<u32>()).prop_map(|(i, v)| Op::Set(i, v)),
            2 => any::<usize>().prop_map(Op::SwapRemove),
            1 => Just(Op::Pop),
            1 => Just(Op::Snapshot),
        ]
    }

    proptest! {
        /// A `CowVec` behaves as a `Vec` under every operation, and a clone taken before a
        /// change keeps its elements (copy on write), across chunk boundaries.
        #[test]
        fn cow_vec_behaves_as_a_vec(ops in proptest::collection::vec(op(), 0..3000)) {
            let mut cow = CowVec::new();
            let mut plain: Vec<u32> = Vec::new();
            let mut snapshots: Vec<(CowVec<u32>, Vec<u32>)> = Vec::new();
            for op in ops {
                match op {
                    Op::Push(value) => { cow.push(value); plain.push(value); }
                    Op::Set(index, value) if !plain.is_empty() => {
                        let index = index % plain.len();
                        cow.set(index, value);
                        plain[index] = value;
                    }
                    Op::SwapRemove(index) if !plain.is_empty() => {
                        let index = index % plain.len();
                        prop_assert_eq!(cow.swap_remove(index), plain.swap_remove(index));
                    }
                    Op::Pop => prop_assert_eq!(cow.pop(), plain.pop()),
                    Op::Snapshot => snapshots.push((cow.clone(), plain.clone())),
                    _ => {}
                }
                prop_assert_eq!(cow.len(), plain.len());
            }
            prop_assert_eq!(cow.iter().copied().collect::<Vec<_>>(), plain.clone());
            for (index, value) in plain.iter().enumerate() {
                prop_assert_eq!(cow[index], *value);
            }
            for (cow, plain) in snapshots {
                prop_assert_eq!(cow.iter().copied().collect::<Vec<_>>(), plain);
            }
        }

        /// A `CowMap` behaves as a map, and a clone keeps its entries.
        #[test]
        fn cow_map_behaves_as_a_map(
            ops in proptest::collection::vec((0u16..400, any::<bool>(), any::<u8>()), 0..800)
        ) {
            let mut cow = CowMap::new();
            let mut plain = std::collections::HashMap::new();
            let mut snapshots = Vec::new();
            for (key, insert, value) in ops {
                let key = format!("k{key}");
                if insert {
                    prop_assert_eq!(cow.insert(&key, value), plain.insert(key.clone(), value));
                } else {
                    prop_assert_eq!(cow.remove(&key), plain.remove(&key));
                }
                if value % 50 == 0 {
                    snapshots.push((cow.clone(), plain.clone()));
                }
                prop_assert_eq!(cow.len(), plain.len());
            }
            for (cow, plain) in snapshots {
                for key in 0..400 {
                    let key = format!("k{key}");
                    prop_assert_eq!(cow.get(&key), plain.get(&key));
                }
            }
        }
    }
}
