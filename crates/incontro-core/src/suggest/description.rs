//! Description matches: BM25 over the skill descriptions of the language, each hit checked
//! against the words of the skill's labels and description (its evidence).

use super::{
    matcher, Candidate, Lang, MatchKind, Suggester, DESCRIPTION_HITS, DESCRIPTION_HITS_MAX,
    DESCRIPTION_HITS_PER_CLAUSE, DESCRIPTION_MIN_BM25, DESCRIPTION_MIN_BM25_SHARED,
};
use crate::index::{Word, WordAnalyser};
use crate::taxonomy::{SkillIdx, Taxonomy};
use crate::Result;
use ahash::AHashMap;

/// The words of the labels and description of every skill in one language: what a description
/// match may point to as its evidence.
pub(super) struct SkillWords {
    stems: AHashMap<Box<str>, u32>,
    forms: Vec<Box<str>>,
    /// Per skill: (stem, written form) of each distinct word, sorted.
    per_skill: Vec<Box<[(u32, u32)]>>,
}

impl SkillWords {
    pub(super) fn build(
        taxonomy: &Taxonomy,
        lang: Lang,
        exclude: &dyn Fn(SkillIdx, &str) -> bool,
    ) -> Self {
        let mut analyser = WordAnalyser::new(lang);
        let mut stems: AHashMap<Box<str>, u32> = AHashMap::new();
        let mut form_ids: AHashMap<Box<str>, u32> = AHashMap::new();
        let mut per_skill = Vec::with_capacity(taxonomy.skill_count());
        for skill in 0..taxonomy.skill_count() as SkillIdx {
            let mut pairs: Vec<(u32, u32)> = Vec::new();
            let labels = taxonomy
                .labels(skill)
                .filter(|(language, _, label)| *language == lang.code() && !exclude(skill, label))
                .map(|(_, _, label)| label);
            let descriptions = taxonomy
                .descriptions(skill)
                .filter(|(language, _)| *language == lang.code())
                .map(|(_, body)| body);
            for text in labels.chain(descriptions) {
                for word in analyser.words(text) {
                    if lang.is_stop_word(&word.folded) {
                        continue;
                    }
                    let next = stems.len() as u32;
                    let stem = *stems.entry(word.stem.as_str().into()).or_insert(next);
                    let next = form_ids.len() as u32;
                    let form = *form_ids.entry(word.folded.as_str().into()).or_insert(next);
                    pairs.push((stem, form));
                }
            }
            pairs.sort_unstable();
            pairs.dedup();
            per_skill.push(pairs.into_boxed_slice());
        }
        let mut forms = vec![Box::<str>::from(""); form_ids.len()];
        for (form, id) in form_ids {
            forms[id as usize] = form;
        }
        SkillWords {
            stems,
            forms,
            per_skill,
        }
    }

    /// The written forms of the words of `skill` whose stem is `stem`.
    fn forms_of(&self, skill: SkillIdx, stem: &str) -> impl Iterator<Item = &str> + '_ {
        let pairs: &[(u32, u32)] = self
            .per_skill
            .get(skill as usize)
            .map_or(&[], |pairs| &pairs[..]);
        let (start, id) = match self.stems.get(stem) {
            Some(&id) => (pairs.partition_point(|&(found, _)| found < id), id),
            None => (pairs.len(), u32::MAX),
        };
        pairs[start..]
            .iter()
            .take_while(move |&&(found, _)| found == id)
            .map(|&(_, form)| &*self.forms[form as usize])
    }

    /// True when the labels or description of `skill` hold a word of stem `stem`.
    fn holds(&self, skill: SkillIdx, stem: &str) -> bool {
        self.forms_of(skill, stem).next().is_some()
    }
}

impl Suggester {
    /// Description matches for every sentence (below any label match of the same skill; measured
    /// better than describing only the sentences without a label match: held-out labels 0.920
    /// against 0.892 recall@10).
    pub(super) fn describe_sentences(
        &self,
        words: &[Word],
        info: &[matcher::WordInfo],
        top_k: usize,
        candidates: &mut Vec<Candidate>,
    ) -> Result<()> {
        if self.descriptions.is_empty() {
            return Ok(());
        }
        let sentences = info.last().map_or(1, |last| last.sentence as usize + 1);
        let per_sentence = (top_k / sentences).clamp(DESCRIPTION_HITS, DESCRIPTION_HITS_MAX);
        let mut start = 0;
        while start < words.len() {
            let sentence = info[start].sentence;
            let mut end = start;
            while end + 1 < words.len() && info[end + 1].sentence == sentence {
                end += 1;
            }
            let used: Vec<usize> = (start..=end)
                .filter(|&index| !info[index].stop && !info[index].negated && !info[index].cue)
                .collect();
            if used.len() >= 2 {
                self.describe(words, &used, per_sentence, candidates)?;
            }
            // Each clause of a sentence of several is searched too: a sentence that names several
            // skills gets the best of each part.
            let clauses = info[end].clause - info[start].clause + 1;
            if clauses > 1 {
                for clause in info[start].clause..=info[end].clause {
                    let part: Vec<usize> = used
                        .iter()
                        .copied()
                        .filter(|&index| info[index].clause == clause)
                        .collect();
                    if part.len() >= 2 && part.len() < used.len() {
                        self.describe(words, &part, DESCRIPTION_HITS_PER_CLAUSE, candidates)?;
                    }
                }
            }
            start = end + 1;
        }
        Ok(())
    }

    /// Description matches for the words `used` (content words of one sentence or clause): at
    /// most `limit`.
    fn describe(
        &self,
        words: &[Word],
        used: &[usize],
        limit: usize,
        candidates: &mut Vec<Candidate>,
    ) -> Result<()> {
        let stems: Vec<&str> = used
            .iter()
            .map(|&index| words[index].stem.as_str())
            .collect();
        let mut kept = 0;
        for (skill, bm25) in self.descriptions.search(&stems, limit * 2)? {
            if bm25 < DESCRIPTION_MIN_BM25_SHARED || kept == limit {
                break;
            }
            // The words of the sentence that the skill's labels or description hold
            // are the span; two distinct ones, or one distinctive word in a form the
            // skill's own text uses ("bilancio" is not evidence for "bilancia").
            let shared: Vec<usize> = used
                .iter()
                .copied()
                .filter(|&index| self.skill_words.holds(skill, &words[index].stem))
                .collect();
            let mut distinct: Vec<&str> = shared
                .iter()
                .map(|&index| words[index].stem.as_str())
                .collect();
            distinct.sort_unstable();
            distinct.dedup();
            let (Some(&first), Some(&last)) = (shared.first(), shared.last()) else {
                continue;
            };
            let distinctive = shared
                .iter()
                .any(|&index| !self.lang.is_common_word(&words[index].folded));
            if !distinctive {
                continue;
            }
            if distinct.len() < 2 {
                if bm25 < DESCRIPTION_MIN_BM25 {
                    continue;
                }
                let word = &words[first];
                let own_form = self
                    .skill_words
                    .forms_of(skill, &word.stem)
                    .any(|form| self.lang.same_family(&word.folded, form));
                if !own_form {
                    continue;
                }
            }
            kept += 1;
            candidates.push(Candidate {
                concept: skill,
                first,
                last,
                kind: MatchKind::Description,
                score: matcher::description_score(bm25),
                cap: 1.0,
                matched: None,
            });
        }
        Ok(())
    }
}
