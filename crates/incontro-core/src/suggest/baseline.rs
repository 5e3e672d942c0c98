//! The TF-IDF baseline that suggestions are measured against (issue 16): every skill is one
//! document made of its preferred and alternative labels in one language; a text and a document
//! are compared by cosine over word 1–2-grams and character 3–5-grams (within words, padded by a
//! space on each side), each block weighted by tf × idf (idf = ln((1 + n) / (1 + df)) + 1, as
//! scikit-learn) and L2-normalised on its own, the two cosines averaged.
//!
//! It exists to be measured against; suggestions use its cosine as one more signal (see
//! `Suggester::resemblance`).

use ahash::AHashMap;

use super::Lang;
use crate::taxonomy::{LabelKind, SkillIdx, Taxonomy};

/// A TF-IDF index over the labels of every skill of one language.
pub struct TfIdfBaseline {
    features: AHashMap<Box<str>, u32>,
    idf: Vec<f32>,
    /// Per feature: (document, weight in the document's normalised vector).
    postings: Vec<Vec<(u32, f32)>>,
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
        let mut skills = Vec::with_capacity(documents.len());
        for (document, (skill, blocks)) in documents.iter().enumerate() {
            skills.push(*skill);
            for block in blocks {
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
                    postings[id as usize].push((document as u32, weight / norm));
                }
            }
        }
        TfIdfBaseline {
            features: feature_ids,
            idf,
            postings,
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

    /// [`TfIdfBaseline::rank`] into `ranked`, reusing the buffers of `scratch` between calls:
    /// the text's n-grams are built in one reused buffer and looked up without an allocation
    /// each, the scores are summed into one reused array in the same order as a fresh
    /// computation (so they are the same to the bit), and the best `limit` are kept in one pass
    /// over that array instead of collecting and partitioning every skill with a score.
    pub fn rank_with(
        &self,
        text: &str,
        limit: usize,
        scratch: &mut RankScratch,
        ranked: &mut Vec<(SkillIdx, f32)>,
    ) {
        ranked.clear();
        self.query(text, scratch);
        let documents = self.skills.len();
        let scores: &mut [f32] = if documents <= SMALL {
            let scores = scratch.small.get_or_insert_with(|| {
                vec![0.0; SMALL]
                    .into_boxed_slice()
                    .try_into()
                    .unwrap_or_else(|_| unreachable!("SMALL floats"))
            });
            self.sum_small(&scratch.query, scores);
            &mut scores[..documents]
        } else {
            if scratch.scores.len() != documents {
                scratch.scores = vec![0.0; documents];
            }
            self.sum(&scratch.query, &mut scratch.scores);
            &mut scratch.scores
        };
        // Most skills share a character n-gram with a sentence: one pass over all of them
        // (and its reset) costs less than tracking which ones were touched. The best `limit`
        // so far are kept with the position of the worst of them, which a better one replaces.
        let better = |a: (SkillIdx, f32), b: (SkillIdx, f32)| match a.1.total_cmp(&b.1) {
            std::cmp::Ordering::Equal => a.0 < b.0,
            order => order == std::cmp::Ordering::Greater,
        };
        let mut worst = 0;
        for (document, score) in scores.iter_mut().enumerate() {
            let value = std::mem::replace(score, 0.0);
            if value <= 0.0 || limit == 0 {
                continue;
            }
            let item = (self.skills[document], value);
            if ranked.len() < limit {
                ranked.push(item);
                if ranked.len() == limit {
                    worst = worst_of(ranked, better);
                }
            } else if better(item, ranked[worst]) {
                ranked[worst] = item;
                worst = worst_of(ranked, better);
            }
        }
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }

    /// Adds the text's share of every document's cosine into `scores`, in feature order: the
    /// same text always gets the same scores, to the bit.
    fn sum(&self, query: &[Vec<(u32, f32)>; 2], scores: &mut [f32]) {
        for features in query {
            for &(id, factor) in features {
                for &(document, document_weight) in &self.postings[id as usize] {
                    scores[document as usize] += factor * document_weight;
                }
            }
        }
    }

    /// [`TfIdfBaseline::sum`] for at most [`SMALL`] documents (every ESCO release so far): an
    /// array indexed by a `u16` needs no bounds check, a third of the work per posting.
    fn sum_small(&self, query: &[Vec<(u32, f32)>; 2], scores: &mut [f32; SMALL]) {
        debug_assert!(self.skills.len() <= SMALL);
        for features in query {
            for &(id, factor) in features {
                for &(document, document_weight) in &self.postings[id as usize] {
                    scores[usize::from(document as u16)] += factor * document_weight;
                }
            }
        }
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

    /// [`TfIdfBaseline::rank`] the plain way, with fresh buffers, every skill with a score
    /// collected and partitioned (the reference [`TfIdfBaseline::rank_with`] is checked against).
    pub fn rank_exhaustive(&self, text: &str, limit: usize) -> Vec<(SkillIdx, f32)> {
        let mut scratch = RankScratch::default();
        let mut scores = vec![0.0f32; self.skills.len()];
        self.query(text, &mut scratch);
        self.sum(&scratch.query, &mut scores);
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

/// Up to this many documents, scores are summed into an array indexed by `u16`.
const SMALL: usize = 1 << 16;

/// The position of the worst of `items` by `better`.
fn worst_of(
    items: &[(SkillIdx, f32)],
    better: impl Fn((SkillIdx, f32), (SkillIdx, f32)) -> bool,
) -> usize {
    let mut worst = 0;
    for (position, &item) in items.iter().enumerate().skip(1) {
        if better(items[worst], item) {
            worst = position;
        }
    }
    worst
}

/// Buffers [`TfIdfBaseline::rank_with`] reuses from one text to the next.
#[derive(Debug, Default)]
pub struct RankScratch {
    gram: String,
    padded: Vec<char>,
    ids: [Vec<u32>; 2],
    /// Per block: (feature, factor), in feature order.
    query: [Vec<(u32, f32)>; 2],
    /// Per document: its score (zero outside a ranking), when there are more than [`SMALL`].
    scores: Vec<f32>,
    /// The same for at most [`SMALL`] documents.
    small: Option<Box<[f32; SMALL]>>,
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
            "accounting",
            "quality control",
            "accounting",
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
        "welding",
        "weld",
        "welder",
        "equipment",
        "arc",
        "gas",
        "metal",
        "forklift",
        "drive",
        "driving",
        "maintain",
        "repairs",
        "quality",
        "control",
        "read",
        "blueprints",
        "drawings",
        "technical",
        "plans",
        "power",
        "tools",
        "time",
        "shifts",
        "team",
        "work",
        "customers",
        "solve",
        "problems",
        "accounting",
        "cassa",
        "magazzino",
        "bilancio",
        "bilancia",
        "the",
        "and",
        "of",
        "with",
        "in",
        "à",
        "x",
        "zzz",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// The ranking with reused buffers and a one-pass top list is the plain one, skill for
        /// skill and bit for bit, for any text and any limit, whatever the text before.
        #[test]
        fn ranking_with_reused_buffers_is_the_plain_ranking(
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
    fn sums_for_few_and_many_documents_agree() {
        let index = index();
        let mut scratch = RankScratch::default();
        index.query(
            "welding the forklift and gas metal arc quality control",
            &mut scratch,
        );
        let mut any = vec![0.0f32; index.skills.len()];
        index.sum(&scratch.query, &mut any);
        let mut small: Box<[f32; SMALL]> = vec![0.0; SMALL].into_boxed_slice().try_into().unwrap();
        index.sum_small(&scratch.query, &mut small);
        let bits = |scores: &[f32]| scores.iter().map(|s| s.to_bits()).collect::<Vec<u32>>();
        assert_eq!(bits(&small[..any.len()]), bits(&any));
        assert!(any.iter().filter(|&&score| score > 0.0).count() > 10);
        assert!(small[any.len()..].iter().all(|&score| score == 0.0));
    }

    #[test]
    fn ties_at_the_limit_are_cut_by_skill_index() {
        // three skills labelled "accounting" score the same: the limit keeps the lowest indexes
        let index = index();
        let all = index.rank_exhaustive("accounting", 30);
        let tied: Vec<SkillIdx> = all
            .iter()
            .filter(|&&(_, score)| score == all[0].1)
            .map(|&(skill, _)| skill)
            .collect();
        assert_eq!(tied, [60, 66, 72]);
        for limit in 1..4 {
            let ranked = index.rank("accounting", limit);
            assert_eq!(ranked, all[..limit]);
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
