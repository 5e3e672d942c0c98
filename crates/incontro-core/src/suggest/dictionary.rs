//! The phrase dictionary: every label of one language as a sequence of stemmed content words,
//! looked up exactly (word sequence), as a bag (any order) and by its most distinctive words.

use ahash::{AHashMap, AHashSet};

use super::lang::Lang;
use crate::index::WordAnalyser;
use crate::taxonomy::LabelKind;

/// Labels longer than this many content words are matched only by their distinctive words.
pub(crate) const MAX_PHRASE: usize = 8;
/// Words shorter than this (in bytes, folded) are never matched fuzzily.
const FUZZY_MIN_LEN: usize = 5;

/// One label of one concept.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The skill or occupation index.
    pub(crate) concept: u32,
    /// Preferred, alternative or hidden.
    pub(crate) kind: LabelKind,
    /// The label as written.
    pub(crate) label: Box<str>,
    /// Its content words' term ids, in order.
    pub(crate) terms: Box<[u32]>,
    /// Its content words' folded forms, in order (to tell an exact match from an inflection).
    pub(crate) folded: Box<[Box<str>]>,
    /// The index in `terms` of the most distinctive word (highest idf).
    pub(crate) head: usize,
    /// Sum of the idf of `terms`.
    pub(crate) mass: f32,
    /// A label of another language (English), standing in for a concept with no label in the
    /// dictionary's language: matched only word for word.
    pub(crate) fallback: bool,
}

/// How a text word was recognised as a dictionary term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    /// Its stem is a term.
    Stem,
    /// One edit away from a label word.
    Typo,
}

/// A phrase dictionary over the labels of one language.
#[derive(Debug, Default)]
pub(crate) struct Dictionary {
    terms: AHashMap<Box<str>, u32>,
    /// Folded label words → their term.
    surfaces: AHashMap<Box<str>, u32>,
    /// Single-character deletions of label words (≥ FUZZY_MIN_LEN) → those words.
    deletions: AHashMap<Box<str>, Vec<Box<str>>>,
    /// Per term: how many entries hold it, and its idf.
    df: Vec<u32>,
    idf: Vec<f32>,
    pub(crate) entries: Vec<Entry>,
    exact: AHashMap<Box<[u32]>, Vec<u32>>,
    bag: AHashMap<Box<[u32]>, Vec<u32>>,
    /// Per term: the entries holding it.
    postings: Vec<Vec<u32>>,
    /// Per entry: the term of its most distinctive word when it may match partially (two words
    /// or more, not a fallback), else `u32::MAX`: what the partial matcher checks before looking
    /// at the entry itself.
    partial_heads: Vec<u32>,
}

/// A label analysed, before its idf is known.
struct Pending {
    concept: u32,
    fallback: bool,
    kind: LabelKind,
    label: Box<str>,
    terms: Vec<u32>,
    folded: Vec<Box<str>>,
}

/// A label to put in a dictionary.
pub(crate) struct LabelInput<'t> {
    pub(crate) concept: u32,
    /// An English label standing in for a concept with no label in the language.
    pub(crate) fallback: bool,
    pub(crate) kind: LabelKind,
    pub(crate) text: std::borrow::Cow<'t, str>,
}

impl Dictionary {
    /// Builds the dictionary of `labels` (already of one language) analysed for `lang`.
    pub(crate) fn build<'t>(lang: Lang, labels: impl Iterator<Item = LabelInput<'t>>) -> Self {
        let mut analyser = WordAnalyser::new(lang);
        let mut dictionary = Dictionary::default();
        let mut seen: AHashSet<(u32, Box<[u32]>)> = AHashSet::new();
        let mut pending: Vec<Pending> = Vec::new();
        for label in labels {
            let words = analyser.words(&label.text);
            let mut terms = Vec::new();
            let mut folded = Vec::new();
            for word in words {
                if lang.is_stop_word(&word.folded) {
                    continue;
                }
                let next = dictionary.terms.len() as u32;
                let term = *dictionary
                    .terms
                    .entry(word.stem.as_str().into())
                    .or_insert(next);
                dictionary
                    .surfaces
                    .entry(word.folded.as_str().into())
                    .or_insert(term);
                terms.push(term);
                folded.push(Box::<str>::from(word.folded.as_str()));
            }
            if terms.is_empty() {
                continue;
            }
            // The same concept with the same words twice (a label repeated as alternative):
            // keep the first, which is the better kind when preferred labels come first.
            if !seen.insert((label.concept, terms.clone().into_boxed_slice())) {
                continue;
            }
            pending.push(Pending {
                concept: label.concept,
                fallback: label.fallback,
                kind: label.kind,
                label: (*label.text).into(),
                terms,
                folded,
            });
        }
        let term_count = dictionary.terms.len();
        dictionary.df = vec![0; term_count];
        dictionary.postings = vec![Vec::new(); term_count];
        for (position, label) in pending.iter().enumerate() {
            let mut unique = label.terms.clone();
            unique.sort_unstable();
            unique.dedup();
            for term in unique {
                dictionary.df[term as usize] += 1;
                dictionary.postings[term as usize].push(position as u32);
            }
        }
        let total = pending.len().max(1) as f32;
        dictionary.idf = dictionary
            .df
            .iter()
            .map(|&df| (1.0 + total / df.max(1) as f32).ln())
            .collect();
        for (position, pending_label) in pending.into_iter().enumerate() {
            let Pending {
                concept,
                fallback,
                kind,
                label,
                terms,
                folded,
            } = pending_label;
            let position = position as u32;
            // The most distinctive word: the rarest, and on a tie not a common word of job
            // ads ("ospitalità" over "team" in "lavorare in un team dell'ospitalità").
            let mut head = 0;
            let rank = |index: usize| {
                (
                    dictionary.idf[terms[index] as usize],
                    !lang.is_common_word(&folded[index]),
                )
            };
            for index in 1..terms.len() {
                let (idf, distinctive) = rank(index);
                let (best_idf, best_distinctive) = rank(head);
                if idf > best_idf || (idf == best_idf && distinctive && !best_distinctive) {
                    head = index;
                }
            }
            let mass = terms
                .iter()
                .map(|&term| dictionary.idf[term as usize])
                .sum();
            if terms.len() <= MAX_PHRASE {
                dictionary
                    .exact
                    .entry(terms.clone().into_boxed_slice())
                    .or_default()
                    .push(position);
                if terms.len() >= 2 {
                    let mut bag = terms.clone();
                    bag.sort_unstable();
                    dictionary
                        .bag
                        .entry(bag.into_boxed_slice())
                        .or_default()
                        .push(position);
                }
            }
            let partial_head = if terms.len() >= 2 && !fallback {
                terms[head]
            } else {
                u32::MAX
            };
            dictionary.partial_heads.push(partial_head);
            dictionary.entries.push(Entry {
                concept,
                kind,
                label,
                terms: terms.into_boxed_slice(),
                folded: folded.into_boxed_slice(),
                head,
                mass,
                fallback,
            });
        }
        let mut deletions: AHashMap<Box<str>, Vec<Box<str>>> = AHashMap::new();
        for surface in dictionary.surfaces.keys() {
            if surface.len() < FUZZY_MIN_LEN || !surface.is_ascii() {
                continue;
            }
            for variant in single_deletions(surface) {
                let words = deletions.entry(variant.into()).or_default();
                if !words.contains(surface) {
                    words.push(surface.clone());
                }
            }
        }
        dictionary.deletions = deletions;
        dictionary
    }

    /// The term of a text word: its stem, else a label word one edit away (for words of 5+
    /// letters, never for a word the dictionary does not know at all).
    pub(crate) fn term_of(&self, stem: &str, folded: &str) -> Option<(u32, Via)> {
        if let Some(&term) = self.terms.get(stem) {
            return Some((term, Via::Stem));
        }
        if let Some(&term) = self.surfaces.get(folded) {
            return Some((term, Via::Stem));
        }
        if folded.len() < FUZZY_MIN_LEN || !folded.is_ascii() {
            return None;
        }
        let mut best: Option<(u32, u32)> = None; // (term, df)
        let mut consider = |candidate: &str| {
            if let Some(&term) = self.surfaces.get(candidate) {
                if within_one_edit(folded, candidate) {
                    let df = self.df[term as usize];
                    if best.is_none_or(|(_, best_df)| df > best_df) {
                        best = Some((term, df));
                    }
                }
            }
        };
        if let Some(words) = self.deletions.get(folded) {
            for word in words {
                consider(word);
            }
        }
        for variant in single_deletions(folded) {
            consider(&variant);
            if let Some(words) = self.deletions.get(variant.as_str()) {
                for word in words {
                    consider(word);
                }
            }
        }
        best.map(|(term, _)| (term, Via::Typo))
    }

    /// The entries whose words are exactly `terms`, in order.
    pub(crate) fn exact(&self, terms: &[u32]) -> &[u32] {
        self.exact.get(terms).map_or(&[], Vec::as_slice)
    }

    /// The entries whose words are `sorted_terms` in any order.
    pub(crate) fn bag(&self, sorted_terms: &[u32]) -> &[u32] {
        self.bag.get(sorted_terms).map_or(&[], Vec::as_slice)
    }

    /// The entries holding `term`.
    pub(crate) fn postings(&self, term: u32) -> &[u32] {
        &self.postings[term as usize]
    }

    /// The term of the most distinctive word of entry `entry` when it may match partially (two
    /// words or more, not a fallback), else `u32::MAX` (no term).
    pub(crate) fn partial_head(&self, entry: u32) -> u32 {
        self.partial_heads[entry as usize]
    }

    /// How many entries hold `term`.
    pub(crate) fn df(&self, term: u32) -> u32 {
        self.df[term as usize]
    }

    /// The idf of `term`.
    pub(crate) fn idf(&self, term: u32) -> f32 {
        self.idf[term as usize]
    }

    /// How many entries the dictionary holds.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Every string obtained by deleting one character of an ASCII `word`.
fn single_deletions(word: &str) -> Vec<String> {
    let bytes = word.as_bytes();
    let mut variants = Vec::with_capacity(bytes.len());
    for skip in 0..bytes.len() {
        if skip > 0 && bytes[skip] == bytes[skip - 1] {
            continue; // deleting either of two equal letters gives the same string
        }
        let mut variant = String::with_capacity(bytes.len() - 1);
        variant.push_str(&word[..skip]);
        variant.push_str(&word[skip + 1..]);
        variants.push(variant);
    }
    variants
}

/// True when `a` and `b` (ASCII) differ by at most one insertion, deletion, substitution or
/// transposition of adjacent letters.
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return true;
    }
    let (shorter, longer) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if longer.len() - shorter.len() > 1 {
        return false;
    }
    let prefix = shorter
        .iter()
        .zip(longer)
        .take_while(|(x, y)| x == y)
        .count();
    if shorter.len() == longer.len() {
        let rest = prefix + 1;
        // substitution at `prefix`
        if shorter[rest..] == longer[rest..] {
            return true;
        }
        // transposition of `prefix` and `prefix + 1`
        rest < shorter.len()
            && shorter[prefix] == longer[rest]
            && shorter[rest] == longer[prefix]
            && shorter[rest + 1..] == longer[rest + 1..]
    } else {
        shorter[prefix..] == longer[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary() -> Dictionary {
        let labels = [
            (0, LabelKind::Preferred, "use welding equipment"),
            (0, LabelKind::Alternative, "operate welding equipment"),
            (1, LabelKind::Preferred, "welding techniques"),
            (2, LabelKind::Preferred, "customer service"),
        ];
        Dictionary::build(
            Lang::English,
            labels.iter().map(|&(concept, kind, text)| LabelInput {
                concept,
                fallback: false,
                kind,
                text: text.into(),
            }),
        )
    }

    #[test]
    fn edit_distance_one() {
        assert!(within_one_edit("welding", "weldng"));
        assert!(within_one_edit("welding", "weldnig"));
        assert!(within_one_edit("welding", "welting"));
        assert!(within_one_edit("welding", "weldings"));
        assert!(!within_one_edit("welding", "wedlnig"));
        assert!(!within_one_edit("abcd", "bcda"));
    }

    #[test]
    fn terms_by_stem_and_by_typo() {
        let dictionary = dictionary();
        let mut analyser = WordAnalyser::new(Lang::English);
        let welded = analyser.stem("welded").expect("stem");
        let (term, via) = dictionary.term_of(&welded, "welded").expect("stem");
        assert_eq!(via, Via::Stem);
        let (typo, via) = dictionary.term_of("weldnig", "weldnig").expect("typo");
        assert_eq!((typo, via), (term, Via::Typo));
        assert!(dictionary.term_of("cat", "cat").is_none());
        // the head of "use welding equipment" is its rarest word
        let entry = &dictionary.entries[0];
        assert_eq!(&*entry.folded[entry.head], "use");
    }
}
