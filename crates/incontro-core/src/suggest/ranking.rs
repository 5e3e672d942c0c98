//! Ranking the candidates: label resemblance (a TF-IDF cosine that reorders what the evidence
//! found) and the aggregation of candidates into one best per concept.

use super::{baseline, matcher, Candidate, Suggester, RESEMBLANCE_MIN, RESEMBLANCE_TOP};
use crate::index::Word;
use ahash::{AHashMap, AHashSet};

impl Suggester {
    /// Label resemblance (issue 16): per sentence, the [`RESEMBLANCE_TOP`] skills whose labels
    /// are nearest in word and character n-grams (the TF-IDF cosine of
    /// [`baseline::TfIdfBaseline`], over the sentence's words outside negation scopes), each
    /// with its best cosine over the sentences (from [`RESEMBLANCE_MIN`] up); `suggest` adds
    /// [`RESEMBLANCE_WEIGHT`] × that cosine to every candidate of such a skill. It only reorders
    /// what the evidence above found (a skill is never suggested on resemblance alone), and a
    /// single-word partial match stays under its cap. Chosen on half A of the labelled job-ad
    /// sentences (top 5/10/20/30, weight 0.1–1.0); the figures are in the README.
    pub(super) fn resemblance(
        &self,
        words: &[Word],
        info: &[matcher::WordInfo],
    ) -> AHashMap<u32, f32> {
        let mut resemblance: AHashMap<u32, f32> = AHashMap::new();
        let mut text = String::new();
        let mut scratch = baseline::RankScratch::default();
        let mut ranked = Vec::with_capacity(RESEMBLANCE_TOP);
        let mut start = 0;
        while start < words.len() {
            let sentence = info[start].sentence;
            let mut end = start;
            while end + 1 < words.len() && info[end + 1].sentence == sentence {
                end += 1;
            }
            text.clear();
            for index in start..=end {
                if !info[index].negated && !info[index].cue {
                    text.push_str(&words[index].folded);
                    text.push(' ');
                }
            }
            self.similar
                .rank_with(&text, RESEMBLANCE_TOP, &mut scratch, &mut ranked);
            for &(skill, cosine) in &ranked {
                if cosine < RESEMBLANCE_MIN {
                    break;
                }
                let best = resemblance.entry(skill).or_default();
                *best = best.max(cosine);
            }
            start = end + 1;
        }
        resemblance
    }
}

/// The best candidate of each concept with the number of distinct places evoking it, best
/// first (ties by concept), at most `top_k`. Each extra place adds `per_place` to the score (at
/// most three times; scores stay at most the candidate's cap).
pub(super) fn aggregate(
    candidates: Vec<Candidate>,
    top_k: usize,
    per_place: f32,
) -> Vec<(Candidate, u32)> {
    let mut best: AHashMap<u32, (Candidate, AHashSet<(usize, usize)>)> = AHashMap::new();
    for candidate in candidates {
        let place = (candidate.first, candidate.last);
        match best.get_mut(&candidate.concept) {
            Some((current, places)) => {
                places.insert(place);
                if candidate.score > current.score {
                    *current = candidate;
                }
            }
            None => {
                let places = AHashSet::from_iter([place]);
                best.insert(candidate.concept, (candidate, places));
            }
        }
    }
    let mut ranked: Vec<(Candidate, u32)> = best
        .into_values()
        .map(|(mut candidate, places)| {
            let extra = places.len().saturating_sub(1).min(3) as f32;
            candidate.score = (candidate.score + per_place * extra).min(candidate.cap);
            (candidate, places.len() as u32)
        })
        .collect();
    ranked.sort_by(|(a, _), (b, _)| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.concept.cmp(&b.concept))
    });
    ranked.truncate(top_k);
    ranked
}
