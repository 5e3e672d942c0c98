//! The TF-IDF baseline that suggestions are measured against (issue 16): every skill is one
//! document made of its preferred and alternative labels in one language; a text and a document
//! are compared by cosine over word 1–2-grams and character 3–5-grams (within words, padded by a
//! space on each side), each block weighted by tf × idf (idf = ln((1 + n) / (1 + df)) + 1, as
//! scikit-learn) and L2-normalised on its own, the two cosines averaged.
//!
//! It exists to be measured against; suggestions use its cosine as one more signal (see
//! `Suggester::resemble_sentences`).

use ahash::AHashMap;

use super::Lang;
use crate::taxonomy::{LabelKind, SkillIdx, Taxonomy};

/// A TF-IDF index over the labels of every skill of one language.
pub struct TfIdfBaseline {
    features: AHashMap<Box<str>, u32>,
    idf: Vec<f32>,
    /// Per feature: (document, weight in the document's normalised vector).
    postings: Vec<Vec<(u32, f32)>>,
    /// Per feature: the largest weight in its postings (what bounds its share of any cosine).
    max_weight: Vec<f32>,
    /// Per document and block (`2 × document + block`): where its (feature, weight) pairs, in
    /// feature order, start in `forward`; one more entry at the end.
    forward_start: Vec<u32>,
    forward: Vec<(u32, f32)>,
    skills: Vec<SkillIdx>,
}

impl std::fmt::Debug for TfIdfBaseline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TfIdfBaseline")
            .field("documents", &self.skills.len())
            .field("features", &self.features.len())
            .finish()
    }
}

/// The features of a text, by block, with their counts.
fn features(text: &str) -> [AHashMap<String, u32>; 2] {
    let lowered = text.to_lowercase();
    let words: Vec<&str> = lowered
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let mut word_features: AHashMap<String, u32> = AHashMap::new();
    for (index, word) in words.iter().enumerate() {
        *word_features.entry(format!("w {word}")).or_default() += 1;
        if let Some(next) = words.get(index + 1) {
            *word_features.entry(format!("w {word} {next}")).or_default() += 1;
        }
    }
    let mut character_features: AHashMap<String, u32> = AHashMap::new();
    for word in &words {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        for size in 3..=5 {
            for window in padded.windows(size) {
                let gram: String = window.iter().collect();
                *character_features.entry(format!("c{gram}")).or_default() += 1;
            }
        }
    }
    [word_features, character_features]
}

impl TfIdfBaseline {
    /// Indexes the preferred and alternative labels in `lang` of every skill (not groups).
    pub fn build(taxonomy: &Taxonomy, lang: Lang) -> Self {
        Self::build_excluding(taxonomy, lang, &|_, _| false)
    }

    /// [`TfIdfBaseline::build`] leaving out the labels `exclude` names (held-out evaluation).
    pub(crate) fn build_excluding(
        taxonomy: &Taxonomy,
        lang: Lang,
        exclude: &dyn Fn(SkillIdx, &str) -> bool,
    ) -> Self {
        let mut documents: Vec<(SkillIdx, [AHashMap<String, u32>; 2])> = Vec::new();
        for skill in 0..taxonomy.skill_count() as SkillIdx {
            if taxonomy.is_group(skill) {
                continue;
            }
            let text: Vec<&str> = taxonomy
                .labels(skill)
                .filter(|(language, kind, label)| {
                    *language == lang.code() && *kind != LabelKind::Hidden && !exclude(skill, label)
                })
                .map(|(_, _, label)| label)
                .collect();
            if text.is_empty() {
                continue;
            }
            documents.push((skill, features(&text.join("\n"))));
        }
        Self::from_documents(documents)
    }

    /// The index of `documents`: (skill, the features of its labels).
    fn from_documents(documents: Vec<(SkillIdx, [AHashMap<String, u32>; 2])>) -> Self {
        let mut feature_ids: AHashMap<Box<str>, u32> = AHashMap::new();
        let mut df: Vec<u32> = Vec::new();
        for (_, blocks) in &documents {
            for block in blocks {
                // In sorted order, so that feature ids (and float sums) are the same every run.
                let mut keys: Vec<&String> = block.keys().collect();
                keys.sort_unstable();
                for feature in keys {
                    let next = feature_ids.len() as u32;
                    let id = *feature_ids.entry(feature.as_str().into()).or_insert(next);
                    if id as usize == df.len() {
                        df.push(0);
                    }
                    df[id as usize] += 1;
                }
            }
        }
        let total = documents.len() as f32;
        let idf: Vec<f32> = df
            .iter()
            .map(|&count| ((1.0 + total) / (1.0 + count as f32)).ln() + 1.0)
            .collect();
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); feature_ids.len()];
        let mut max_weight = vec![0.0f32; feature_ids.len()];
        let mut forward_start = Vec::with_capacity(2 * documents.len() + 1);
        let mut forward = Vec::new();
        let mut skills = Vec::with_capacity(documents.len());
        for (document, (skill, blocks)) in documents.iter().enumerate() {
            skills.push(*skill);
            for block in blocks {
                forward_start.push(forward.len() as u32);
                let mut weights: Vec<(u32, f32)> = block
                    .iter()
                    .map(|(feature, &count)| {
                        let id = feature_ids[feature.as_str()];
                        (id, count as f32 * idf[id as usize])
                    })
                    .collect();
                weights.sort_unstable_by_key(|&(id, _)| id);
                let norm = weights
                    .iter()
                    .map(|(_, weight)| weight * weight)
                    .sum::<f32>()
                    .sqrt();
                if norm == 0.0 {
                    continue;
                }
                for (id, weight) in weights {
                    let weight = weight / norm;
                    postings[id as usize].push((document as u32, weight));
                    forward.push((id, weight));
                    let max = &mut max_weight[id as usize];
                    *max = max.max(weight);
                }
            }
        }
        forward_start.push(forward.len() as u32);
        TfIdfBaseline {
            features: feature_ids,
            idf,
            postings,
            max_weight,
            forward_start,
            forward,
            skills,
        }
    }

    /// The `limit` skills most similar to `text`, best first (ties by skill index), with their
    /// cosine similarity; skills with no feature in common are left out.
    pub fn rank(&self, text: &str, limit: usize) -> Vec<(SkillIdx, f32)> {
        let mut ranked = Vec::new();
        self.rank_with(text, limit, &mut RankScratch::default(), &mut ranked);
        ranked
    }

    /// [`TfIdfBaseline::rank`] into `ranked`, reusing the buffers of `scratch` between calls.
    ///
    /// The same list, to the bit, as scoring every skill (see [`TfIdfBaseline::rank_exhaustive`]),
    /// found with less work ("max-score" pruning): the text's features are gone through from
    /// the one that can add most to a cosine (its factor × the largest weight in its postings)
    /// down, adding up partial scores; once the `limit`-th best exact cosine among the skills
    /// seen so far is more than what the features not yet gone through could add together, no
    /// skill not yet seen can enter the top `limit`, and only the skills seen whose partial
    /// score plus that remainder could still reach it are scored exactly. An exact score is
    /// summed from the skill's own features in the text's feature order, block by block, as the
    /// exhaustive ranking sums it, so it is the same `f32`. Bounds are compared with a margin
    /// (0.1 %) far above the rounding of a sum of a few hundred terms, so rounding can only make
    /// more skills be scored exactly, never leave one out.
    pub fn rank_with(
        &self,
        text: &str,
        limit: usize,
        scratch: &mut RankScratch,
        ranked: &mut Vec<(SkillIdx, f32)>,
    ) {
        ranked.clear();
        if limit == 0 {
            return;
        }
        if scratch.scores.len() != self.skills.len() {
            scratch.scores = vec![0.0; self.skills.len()];
            scratch.seen = vec![false; self.skills.len()];
        }
        self.query(text, scratch);
        let RankScratch {
            query,
            order,
            scores,
            seen,
            touched,
            exact,
            ..
        } = scratch;
        // (block, index in the block's query, the most it adds to any cosine)
        order.clear();
        for (block, features) in query.iter().enumerate() {
            for (index, &(id, factor)) in features.iter().enumerate() {
                let bound = f64::from(factor) * f64::from(self.max_weight[id as usize]);
                order.push((block, index, bound));
            }
        }
        order.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        let mut remaining: f64 = order.iter().map(|&(_, _, bound)| bound).sum();
        let mut threshold: Option<f32> = None;
        let mut next_check = limit.max(1);
        touched.clear();
        for &(block, index, bound) in order.iter() {
            if threshold.is_some_and(|threshold| loose(remaining) < f64::from(threshold)) {
                break;
            }
            let (id, factor) = query[block][index];
            for &(document, document_weight) in &self.postings[id as usize] {
                let document = document as usize;
                if !seen[document] {
                    seen[document] = true;
                    touched.push(document as u32);
                }
                scores[document] += factor * document_weight;
            }
            remaining -= bound;
            if touched.len() >= next_check {
                // The `limit` best partial scores, scored exactly: a lower bound of the
                // `limit`-th best cosine of all.
                next_check = touched.len() * 2;
                exact.clear();
                exact.extend_from_slice(touched);
                let by_partial = |a: &u32, b: &u32| {
                    scores[*b as usize]
                        .total_cmp(&scores[*a as usize])
                        .then(a.cmp(b))
                };
                if limit < exact.len() {
                    exact.select_nth_unstable_by(limit - 1, by_partial);
                    exact.truncate(limit);
                }
                let lowest = exact
                    .iter()
                    .map(|&document| self.exact_score(document as usize, query))
                    .min_by(f32::total_cmp);
                if let Some(lowest) = lowest.filter(|_| exact.len() == limit) {
                    threshold = Some(threshold.map_or(lowest, |known| known.max(lowest)));
                }
            }
        }
        let remaining = remaining.max(0.0);
        for &document in touched.iter() {
            let document = document as usize;
            let partial = f64::from(scores[document]);
            scores[document] = 0.0;
            seen[document] = false;
            if threshold.is_some_and(|threshold| loose(partial + remaining) < f64::from(threshold))
            {
                continue;
            }
            let score = self.exact_score(document, query);
            if score > 0.0 {
                ranked.push((self.skills[document], score));
            }
        }
        let order =
            |a: &(SkillIdx, f32), b: &(SkillIdx, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if limit < ranked.len() {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_by(order);
    }

    /// The cosine of `document` with the text of `query`, summed as
    /// [`TfIdfBaseline::rank_exhaustive`] sums it: block by block, in feature order.
    fn exact_score(&self, document: usize, query: &[Vec<(u32, f32)>; 2]) -> f32 {
        let mut score = 0.0f32;
        for (block, features) in query.iter().enumerate() {
            let from = self.forward_start[2 * document + block] as usize;
            let to = self.forward_start[2 * document + block + 1] as usize;
            let own = &self.forward[from..to];
            let (mut i, mut j) = (0, 0);
            while i < own.len() && j < features.len() {
                let (id, document_weight) = own[i];
                let (wanted, factor) = features[j];
                match id.cmp(&wanted) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        score += factor * document_weight;
                        i += 1;
                        j += 1;
                    }
                }
            }
        }
        score
    }

    /// The features of `text` by block, in feature order, each with the factor its postings'
    /// weights are multiplied by: 0.5 × its tf-idf weight / the norm of the block, into
    /// `scratch.query`.
    fn query(&self, text: &str, scratch: &mut RankScratch) {
        self.feature_ids(text, scratch);
        for block in 0..2 {
            let ids = &mut scratch.ids[block];
            ids.sort_unstable();
            // Feature ids with their counts, in id order.
            let weights = &mut scratch.query[block];
            weights.clear();
            for &id in ids.iter() {
                match weights.last_mut() {
                    Some((last, count)) if *last == id => *count += 1.0,
                    _ => weights.push((id, 1.0)),
                }
            }
            for (id, weight) in weights.iter_mut() {
                *weight *= self.idf[*id as usize];
            }
            // As scikit-learn: features no document has are not part of the text's vector.
            let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm == 0.0 {
                weights.clear();
                continue;
            }
            for (_, weight) in weights.iter_mut() {
                *weight = 0.5 * *weight / norm;
            }
        }
    }

    /// [`TfIdfBaseline::rank`] by scoring every skill that shares a feature with the text (the
    /// reference [`TfIdfBaseline::rank_with`] is checked against).
    pub fn rank_exhaustive(&self, text: &str, limit: usize) -> Vec<(SkillIdx, f32)> {
        let mut scratch = RankScratch::default();
        let mut scores = vec![0.0f32; self.skills.len()];
        self.query(text, &mut scratch);
        // Summed in feature order: the same text always gets the same scores, to the bit.
        for features in &scratch.query {
            for &(id, factor) in features {
                for &(document, document_weight) in &self.postings[id as usize] {
                    scores[document as usize] += factor * document_weight;
                }
            }
        }
        let mut ranked: Vec<(SkillIdx, f32)> = scores
            .iter()
            .enumerate()
            .filter(|(_, score)| **score > 0.0)
            .map(|(document, &score)| (self.skills[document], score))
            .collect();
        let order =
            |a: &(SkillIdx, f32), b: &(SkillIdx, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if limit < ranked.len() {
            ranked.select_nth_unstable_by(limit, order);
            ranked.truncate(limit);
        }
        ranked.sort_by(order);
        ranked
    }

    /// The ids of the known features of `text` (as [`features`] makes them), one per
    /// occurrence, by block, into `scratch.ids`.
    fn feature_ids(&self, text: &str, scratch: &mut RankScratch) {
        let RankScratch {
            gram, padded, ids, ..
        } = scratch;
        let [word_ids, character_ids] = ids;
        word_ids.clear();
        character_ids.clear();
        let lowered = text.to_lowercase();
        let mut previous: Option<&str> = None;
        let lookup = |gram: &str, into: &mut Vec<u32>| {
            if let Some(&id) = self.features.get(gram) {
                into.push(id);
            }
        };
        for word in lowered
            .split(|character: char| !character.is_alphanumeric())
            .filter(|word| !word.is_empty())
        {
            gram.clear();
            gram.push_str("w ");
            gram.push_str(word);
            lookup(gram.as_str(), word_ids);
            if let Some(previous) = previous {
                gram.clear();
                gram.push_str("w ");
                gram.push_str(previous);
                gram.push(' ');
                gram.push_str(word);
                lookup(gram.as_str(), word_ids);
            }
            previous = Some(word);
            padded.clear();
            padded.push(' ');
            padded.extend(word.chars());
            padded.push(' ');
            for size in 3..=5 {
                for window in padded.windows(size) {
                    gram.clear();
                    gram.push('c');
                    gram.extend(window.iter());
                    lookup(gram.as_str(), character_ids);
                }
            }
        }
    }
}

/// A bound with the margin that covers rounding (see [`TfIdfBaseline::rank_with`]).
fn loose(bound: f64) -> f64 {
    bound * 1.001 + 1e-6
}

/// Buffers [`TfIdfBaseline::rank_with`] reuses from one text to the next.
#[derive(Debug, Default)]
pub struct RankScratch {
    gram: String,
    padded: Vec<char>,
    ids: [Vec<u32>; 2],
    /// Per block: (feature, factor), in feature order.
    query: [Vec<(u32, f32)>; 2],
    order: Vec<(usize, usize, f64)>,
    /// Per document: its partial score (zero outside a ranking).
    scores: Vec<f32>,
    /// Per document: already in `touched` (false outside a ranking).
    seen: Vec<bool>,
    touched: Vec<u32>,
    exact: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Skills whose labels share many word pieces, so that rankings have ties and near ties.
    fn index() -> TfIdfBaseline {
        let labels = [
            "use welding equipment\noperate welding equipment",
            "welding techniques",
            "arc welding",
            "gas metal arc welding\nMIG welding",
            "tungsten inert gas welding",
            "operate forklift\nforklift driving",
            "drive forklift",
            "maintain equipment",
            "perform minor repairs to equipment",
            "inspect quality of products",
            "quality control",
            "read standard blueprints\nread blueprints",
            "technical drawings",
            "interpret 2D plans",
            "use power tools",
            "manage time",
            "work in shifts",
            "work in a team",
            "communicate with customers",
            "solve problems",
            "accounting",
            "accountancy",
            "gestione della cassa",
            "gestire il magazzino",
            "bilancio d'esercizio",
            "usare la bilancia",
        ];
        let documents = labels
            .iter()
            .enumerate()
            .map(|(skill, text)| (skill as SkillIdx * 3, features(text)))
            .collect();
        TfIdfBaseline::from_documents(documents)
    }

    const WORDS: &[&str] = &[
        "welding", "weld", "welder", "equipment", "arc", "gas", "metal", "forklift", "drive",
        "driving", "maintain", "repairs", "quality", "control", "read", "blueprints", "drawings",
        "technical", "plans", "power", "tools", "time", "shifts", "team", "work", "customers",
        "solve", "problems", "accounting", "cassa", "magazzino", "bilancio", "bilancia", "the",
        "and", "of", "with", "in", "à", "x", "zzz",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// The pruned ranking is the exhaustive one, skill for skill and bit for bit, for any
        /// text and any limit, with the buffers reused from the text before.
        #[test]
        fn pruned_ranking_is_the_exhaustive_ranking(
            texts in proptest::collection::vec(
                proptest::collection::vec(0..WORDS.len(), 0..30), 1..4),
            limit in 0usize..30,
        ) {
            let index = index();
            let mut scratch = RankScratch::default();
            let mut ranked = Vec::new();
            for words in texts {
                let text: Vec<&str> = words.iter().map(|&word| WORDS[word]).collect();
                let text = text.join(" ");
                index.rank_with(&text, limit, &mut scratch, &mut ranked);
                let bits = |list: &[(SkillIdx, f32)]| -> Vec<(SkillIdx, u32)> {
                    list.iter().map(|&(skill, score)| (skill, score.to_bits())).collect()
                };
                prop_assert_eq!(bits(&ranked), bits(&index.rank_exhaustive(&text, limit)), "{}", text);
            }
        }
    }

    #[test]
    fn pruning_keeps_ties_at_the_limit() {
        // "forklift" alone: several skills tie, the limit cuts through them by skill index
        let index = index();
        for limit in 1..6 {
            let exhaustive = index.rank_exhaustive("forklift driving", limit);
            assert_eq!(index.rank("forklift driving", limit), exhaustive);
            assert_eq!(exhaustive.len(), limit);
        }
    }

    #[test]
    fn features_are_word_grams_and_padded_character_grams() {
        let [words, characters] = features("Java, java script");
        assert_eq!(words["w java"], 2);
        assert_eq!(words["w java java"], 1);
        assert_eq!(words["w java script"], 1);
        assert_eq!(characters["c ja"], 2);
        assert_eq!(characters["cava "], 2);
        assert_eq!(characters["c java"], 2);
        assert!(!characters.contains_key("c java "), "at most 5 characters");
        assert!(!characters.contains_key("ca j"), "grams stay within words");
    }
}
