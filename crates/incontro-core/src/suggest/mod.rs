//! Competence suggestions: reads a job ad, notes from a company visit or a CV, in Italian or
//! English, and proposes the ESCO competences it mentions, each tied to the words that evoke it.
//!
//! Offline, from the imported taxonomy only. The text is split into words by tantivy's tokenizer,
//! folded and stemmed with its Snowball stemmers (see [`crate::index::WordAnalyser`]); then
//!
//! 1. **exact and near label matches**: every run of 1 to 8 content words (stop words skipped, never
//!    across a clause) is looked up in a phrase dictionary of the stemmed labels (preferred,
//!    alternative, hidden) of the language — the same words in order is an *exact* match when the
//!    written forms agree too, an *inflection* otherwise; the same words in another order, or a word
//!    one edit away from a label word (5+ letters), is a *near* match; a label whose most
//!    distinctive word and enough of the rest appear in the clause is a weaker *partial* near match;
//! 2. **description matches**: every sentence is also searched with BM25 over the skill
//!    descriptions of the language (see [`crate::index::SkillDescriptionIndex`]), scored below
//!    every label match.
//!
//! Words inside a negation scope ("no experience in …", "not required", "senza esperienza",
//! "non ho …", "nessuna esperienza …") are never matched; a scope ends at the end of its clause.
//! When the text names an ESCO occupation, the occupation and its essential skills come back as a
//! second list (the *occupation hint*).
//!
//! What it does NOT do: store anything (see [`Engine::record_suggestion_feedback`] for the
//! decisions), or search vacancies.

pub mod baseline;
mod devsets;
mod dictionary;
mod eval;
mod feedback;
mod lang;
mod matcher;
pub(crate) mod sql;

use std::sync::{Arc, Mutex};

use ahash::{AHashMap, AHashSet};
use serde::Serialize;

pub use devsets::{
    dev_table, parse_dev_set, DevSentence, DevSet, DevSetReport, RankFigures, SystemFigures,
    DEV_SET_FILES,
};
pub use eval::{EvalReport, EvalSet};
pub use feedback::{Decision, FeedbackRecord, FeedbackReport, FeedbackTarget};
pub use lang::Lang;

use crate::index::{SkillDescriptionIndex, Word, WordAnalyser};
use crate::progress::Progress;
use crate::taxonomy::{LabelKind, SkillIdx, Taxonomy};
use crate::{Engine, Error, ErrorCode, Result};
use dictionary::{Dictionary, LabelInput};
use matcher::Hit;

/// Texts longer than this many bytes are refused unless [`SuggestOptions::max_bytes`] says more.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024;
/// At most this many suggestions per text.
pub const MAX_TOP_K: usize = 200;
/// Description matches: at least this many per sentence (more when `top_k` spread over the
/// sentences is more, up to `DESCRIPTION_HITS_MAX`), from BM25 scores of at least
/// `DESCRIPTION_MIN_BM25`.
const DESCRIPTION_HITS: usize = 3;
const DESCRIPTION_HITS_MAX: usize = 20;
/// Description matches of each clause of a sentence of several clauses: at most this many.
const DESCRIPTION_HITS_PER_CLAUSE: usize = 2;
const DESCRIPTION_MIN_BM25: f32 = 4.0;
/// The BM25 floor of a description match on two distinct words or more: that evidence is checked
/// word by word, and an absolute BM25 floor would shut out small taxonomies (the BM25 of a word
/// grows with the number of skills).
const DESCRIPTION_MIN_BM25_SHARED: f32 = 1.0;
/// Label resemblance: the skills nearest to each sentence by the TF-IDF cosine of their labels
/// (at most this many, from this cosine up) add this weight × the cosine to their scores.
const RESEMBLANCE_TOP: usize = 20;
const RESEMBLANCE_MIN: f32 = 0.1;
const RESEMBLANCE_WEIGHT: f32 = 0.5;
/// Occupation hints: at most this many.
const OCCUPATION_HINTS: usize = 3;

/// How a suggestion was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "reason")]
pub enum MatchKind {
    /// The words of a label, in order, as written.
    Exact,
    /// Nearly a label: see the reason.
    Near(NearReason),
    /// The sentence resembles the skill's description.
    Description,
}

/// Why a near match is not exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NearReason {
    /// The label's words in another form ("welded pipes" for "weld pipe").
    Inflection,
    /// The label's words in another order, or with other words between them.
    WordOrder,
    /// A word one edit away from the label's.
    Typo,
    /// The label's most distinctive word and a good share of the rest.
    Partial,
}

impl MatchKind {
    /// `exact`, `inflection`, `word_order`, `typo`, `partial` or `description`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Near(NearReason::Inflection) => "inflection",
            MatchKind::Near(NearReason::WordOrder) => "word_order",
            MatchKind::Near(NearReason::Typo) => "typo",
            MatchKind::Near(NearReason::Partial) => "partial",
            MatchKind::Description => "description",
        }
    }

    /// The inverse of [`MatchKind::as_str`].
    pub fn parse(raw: &str) -> Result<Self> {
        Ok(match raw.trim() {
            "exact" => MatchKind::Exact,
            "inflection" => MatchKind::Near(NearReason::Inflection),
            "word_order" => MatchKind::Near(NearReason::WordOrder),
            "typo" => MatchKind::Near(NearReason::Typo),
            "partial" => MatchKind::Near(NearReason::Partial),
            "description" => MatchKind::Description,
            other => {
                return Err(Error::invalid(
                    ErrorCode::InvalidMatchKind,
                    format!(
                        "unknown match kind {other:?}; expected exact, inflection, word_order, \
                         typo, partial or description"
                    ),
                ))
            }
        })
    }
}

/// The words of the text that evoked a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset past the last character.
    pub end: usize,
    /// `text[start..end]`.
    pub quote: String,
}

/// One suggested competence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedSkill {
    /// The ESCO skill URI.
    pub uri: String,
    /// Its preferred label in the text's language (else English, else any).
    pub label: String,
    /// True when the skill has no label in the text's language, so `label` is another
    /// language's (English); such a skill is found only through those words, word for word.
    pub label_fallback: bool,
    /// Relevance in (0, 1]: exact label matches near 1, description matches below 0.4.
    pub score: f32,
    /// How the best evidence matched.
    pub kind: MatchKind,
    /// The label (or `description`) that matched.
    pub matched_label: String,
    /// The words that evoked it (the best evidence).
    pub span: Span,
    /// How many distinct places of the text evoke it.
    pub mentions: u32,
}

/// A skill of an occupation hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HintSkill {
    /// The ESCO skill URI.
    pub uri: String,
    /// Its preferred label in the text's language (else English, else any).
    pub label: String,
    /// True when the skill has no label in the text's language.
    pub label_fallback: bool,
}

/// An ESCO occupation named by the text, with its essential skills.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OccupationHint {
    /// The ESCO occupation URI.
    pub uri: String,
    /// Its preferred label in the text's language.
    pub label: String,
    /// Relevance in (0, 1].
    pub score: f32,
    /// How it matched.
    pub kind: MatchKind,
    /// The label that matched.
    pub matched_label: String,
    /// The words that name it.
    pub span: Span,
    /// Its essential skills, by label.
    pub essential_skills: Vec<HintSkill>,
}

/// What [`Engine::suggest_competences`] found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestions {
    /// The language the text was read in.
    pub language: Lang,
    /// True when the language was detected rather than given.
    pub detected: bool,
    /// The competences, best first (ties by URI).
    pub skills: Vec<SuggestedSkill>,
    /// Occupations the text names, best first.
    pub occupations: Vec<OccupationHint>,
}

/// Options of [`Engine::suggest_competences_with`].
#[derive(Debug, Clone)]
pub struct SuggestOptions {
    /// The language; detected from stop words when `None`.
    pub language: Option<Lang>,
    /// How many competences to return (1 to [`MAX_TOP_K`]).
    pub top_k: usize,
    /// Longer texts are refused.
    pub max_bytes: usize,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            language: None,
            top_k: 10,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Checks that `bytes` is text one can suggest from: not empty, at most `max_bytes`, valid UTF-8,
/// not binary (no NUL, few control characters).
pub fn check_text(bytes: &[u8], max_bytes: usize) -> Result<&str> {
    if bytes.len() > max_bytes {
        return Err(Error::TooLarge {
            message: format!(
                "text is {} bytes, over the limit of {max_bytes} bytes",
                bytes.len()
            ),
        });
    }
    if let Some(position) = memchr::memchr(0, bytes) {
        return Err(Error::invalid(
            ErrorCode::BinaryText,
            format!("text looks binary (NUL byte at offset {position})"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        Error::invalid(
            ErrorCode::InvalidUtf8,
            format!("text is not valid UTF-8 (at byte {})", error.valid_up_to()),
        )
    })?;
    let (mut characters, mut controls) = (0usize, 0usize);
    for character in text.chars() {
        characters += 1;
        if character.is_control() && !matches!(character, '\n' | '\r' | '\t' | '\u{c}') {
            controls += 1;
        }
    }
    if controls > 8.max(characters / 100) {
        return Err(Error::invalid(
            ErrorCode::BinaryText,
            format!("text looks binary ({controls} control characters)"),
        ));
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Err(Error::invalid(ErrorCode::EmptyText, "text has no words"));
    }
    Ok(text)
}

fn detect_language(text: &str) -> Result<Lang> {
    let lowered = text.to_lowercase();
    let words = lowered
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty());
    lang::detect(words).ok_or_else(|| {
        Error::invalid(
            ErrorCode::UnknownLanguage,
            "cannot tell the language of the text: give it (it or en)",
        )
    })
}

/// Everything needed to suggest in one language, built from the taxonomy.
pub(crate) struct Suggester {
    lang: Lang,
    /// How many labels of the language itself (not English stand-ins) the dictionary holds.
    native_labels: usize,
    skills: Dictionary,
    occupations: Dictionary,
    descriptions: SkillDescriptionIndex,
    skill_words: SkillWords,
    similar: baseline::TfIdfBaseline,
}

/// The words of the labels and description of every skill in one language: what a description
/// match may point to as its evidence.
struct SkillWords {
    stems: AHashMap<Box<str>, u32>,
    forms: Vec<Box<str>>,
    /// Per skill: (stem, written form) of each distinct word, sorted.
    per_skill: Vec<Box<[(u32, u32)]>>,
}

impl SkillWords {
    fn build(taxonomy: &Taxonomy, lang: Lang, exclude: &dyn Fn(SkillIdx, &str) -> bool) -> Self {
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

impl std::fmt::Debug for Suggester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Suggester")
            .field("lang", &self.lang)
            .field("skill_labels", &self.skills.len())
            .field("occupation_labels", &self.occupations.len())
            .field("descriptions", &self.descriptions.len())
            .finish()
    }
}

/// A candidate before aggregation: a label hit or a description hit.
struct Candidate {
    concept: u32,
    first: usize,
    last: usize,
    kind: MatchKind,
    score: f32,
    /// The most its score may grow to with repetitions.
    cap: f32,
    matched: Option<u32>,
}

impl Suggester {
    /// Builds the dictionaries and the description index of `lang`, leaving out the skill labels
    /// `exclude` names (for held-out evaluation).
    pub(crate) fn build(
        taxonomy: &Taxonomy,
        lang: Lang,
        exclude: &dyn Fn(SkillIdx, &str) -> bool,
    ) -> Result<Self> {
        let code = lang.code();
        let mut skill_labels = Vec::new();
        let mut native = 0;
        for skill in 0..taxonomy.skill_count() as SkillIdx {
            if taxonomy.is_group(skill) {
                continue;
            }
            let before = skill_labels.len();
            for (language, kind, text) in taxonomy.labels(skill) {
                if language == code && !exclude(skill, text) {
                    skill_labels.push(LabelInput {
                        concept: skill,
                        fallback: false,
                        kind,
                        text: text.into(),
                    });
                }
            }
            native += skill_labels.len() - before;
            let has_own = taxonomy
                .labels(skill)
                .any(|(language, _, _)| language == code);
            if has_own || lang == Lang::English {
                continue;
            }
            // No label in the language: its English labels stand in, word for word.
            for (language, kind, text) in taxonomy.labels(skill) {
                if language == Lang::English.code() && kind != LabelKind::Hidden {
                    skill_labels.push(LabelInput {
                        concept: skill,
                        fallback: true,
                        kind,
                        text: text.into(),
                    });
                }
            }
        }
        // Preferred labels first, so a label repeated as alternative keeps the better kind.
        skill_labels.sort_by_key(|label| (label.kind.to_db(), label.concept));
        let skills = Dictionary::build(lang, skill_labels.into_iter());
        let mut occupation_labels = Vec::new();
        for occupation in 0..taxonomy.occupation_count() as u32 {
            for (language, kind, text) in taxonomy.occupation_labels(occupation) {
                if language != code {
                    continue;
                }
                for variant in gendered_forms(text) {
                    occupation_labels.push(LabelInput {
                        concept: occupation,
                        fallback: false,
                        kind,
                        text: variant,
                    });
                }
            }
        }
        occupation_labels.sort_by_key(|label| (label.kind.to_db(), label.concept));
        let occupations = Dictionary::build(lang, occupation_labels.into_iter());
        let descriptions = SkillDescriptionIndex::build(taxonomy, lang, exclude)?;
        let skill_words = SkillWords::build(taxonomy, lang, exclude);
        let similar = baseline::TfIdfBaseline::build_excluding(taxonomy, lang, exclude);
        Ok(Suggester {
            lang,
            native_labels: native,
            skills,
            occupations,
            descriptions,
            skill_words,
            similar,
        })
    }

    /// The competences and occupations `text` (already checked) names.
    pub(crate) fn suggest(
        &self,
        taxonomy: &Taxonomy,
        analyser: &mut WordAnalyser,
        text: &str,
        top_k: usize,
    ) -> Result<(Vec<SuggestedSkill>, Vec<OccupationHint>)> {
        let words = analyser.words(text);
        if words.is_empty() {
            // Letters or digits, but no word the analyser keeps (a number 16,000 digits long):
            // nothing to suggest, like a text that names no competence. A text without any
            // letter or digit was refused by `check_text` (`empty_text`).
            return Ok((Vec::new(), Vec::new()));
        }
        let info = matcher::annotate(self.lang, text, &words);
        let segments = matcher::segments(&info);

        let hits = matcher::drop_covered(matcher::find_labels(
            self.lang,
            &self.skills,
            &words,
            &segments,
            true,
        ));
        let mut candidates: Vec<Candidate> = hits
            .iter()
            .map(|hit| self.candidate(&self.skills, hit))
            .collect();
        // The description search and the label resemblance of every sentence do not depend on
        // each other: on two cores they run side by side (same candidates, in the same order).
        let (described, resemblance) = rayon::join(
            || {
                let mut described = Vec::new();
                self.describe_sentences(&words, &info, top_k, &mut described)
                    .map(|()| described)
            },
            || self.resemblance(&words, &info),
        );
        candidates.extend(described?);
        for candidate in candidates.iter_mut() {
            if let Some(cosine) = resemblance.get(&candidate.concept) {
                candidate.score += RESEMBLANCE_WEIGHT * cosine;
            }
        }
        let skills = aggregate(candidates, top_k, 0.03)
            .into_iter()
            .map(|(best, mentions)| SuggestedSkill {
                uri: taxonomy.skill_uri(best.concept).to_string(),
                label: skill_label(taxonomy, best.concept, self.lang).0,
                label_fallback: skill_label(taxonomy, best.concept, self.lang).1,
                score: best.score,
                kind: best.kind,
                matched_label: self.matched_label(&self.skills, best.matched),
                span: span(text, &words, best.first, best.last),
                mentions,
            })
            .collect();

        let occupation_hits = matcher::drop_covered(matcher::find_labels(
            self.lang,
            &self.occupations,
            &words,
            &segments,
            false,
        ));
        let occupation_candidates = occupation_hits
            .iter()
            .map(|hit| self.candidate(&self.occupations, hit))
            .collect();
        // A title repeated in an ad ("a welder … the welder will …") weighs more than a skill.
        let occupations = aggregate(occupation_candidates, OCCUPATION_HINTS, 0.1)
            .into_iter()
            .map(|(best, _)| {
                let mut essential_skills: Vec<HintSkill> = taxonomy
                    .occupation_skills(best.concept)
                    .iter()
                    .filter(|(_, essential)| *essential)
                    .map(|&(skill, _)| {
                        let (label, label_fallback) = skill_label(taxonomy, skill, self.lang);
                        HintSkill {
                            uri: taxonomy.skill_uri(skill).to_string(),
                            label,
                            label_fallback,
                        }
                    })
                    .collect();
                essential_skills.sort_by(|a, b| a.label.cmp(&b.label).then(a.uri.cmp(&b.uri)));
                OccupationHint {
                    uri: taxonomy.occupation_uri(best.concept).to_string(),
                    label: taxonomy
                        .occupation_label(best.concept, self.lang.code())
                        .unwrap_or_default()
                        .to_string(),
                    score: best.score,
                    kind: best.kind,
                    matched_label: self.matched_label(&self.occupations, best.matched),
                    span: span(text, &words, best.first, best.last),
                    essential_skills,
                }
            })
            .collect();
        Ok((skills, occupations))
    }

    fn candidate(&self, dictionary: &Dictionary, hit: &Hit) -> Candidate {
        Candidate {
            concept: dictionary.entries[hit.entry as usize].concept,
            first: hit.first,
            last: hit.last,
            kind: hit.kind,
            score: hit.score,
            cap: if hit.single_word {
                matcher::SINGLE_WORD_CAP
            } else {
                1.0
            },
            matched: Some(hit.entry),
        }
    }

    fn matched_label(&self, dictionary: &Dictionary, entry: Option<u32>) -> String {
        match entry {
            Some(entry) => dictionary.entries[entry as usize].label.to_string(),
            None => "description".to_string(),
        }
    }

    /// Description matches for every sentence (below any label match of the same skill; measured
    /// better than describing only the sentences without a label match: held-out labels 0.920
    /// against 0.892 recall@10).
    fn describe_sentences(
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

    /// Label resemblance (issue 16): per sentence, the [`RESEMBLANCE_TOP`] skills whose labels
    /// are nearest in word and character n-grams (the TF-IDF cosine of
    /// [`baseline::TfIdfBaseline`], over the sentence's words outside negation scopes), each
    /// with its best cosine over the sentences (from [`RESEMBLANCE_MIN`] up); `suggest` adds
    /// [`RESEMBLANCE_WEIGHT`] × that cosine to every candidate of such a skill. It only reorders
    /// what the evidence above found (a skill is never suggested on resemblance alone), and a
    /// single-word partial match stays under its cap. Chosen on half A of the labelled job-ad
    /// sentences (top 5/10/20/30, weight 0.1–1.0); the figures are in the README.
    fn resemblance(&self, words: &[Word], info: &[matcher::WordInfo]) -> AHashMap<u32, f32> {
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

/// The forms of an occupation label that lists gendered forms: "saldatore/saldatrice di
/// tubazioni" gives "saldatore di tubazioni" and "saldatrice di tubazioni" (the words after the
/// last form apply to every form); a label without `/` gives itself.
fn gendered_forms(label: &str) -> Vec<std::borrow::Cow<'_, str>> {
    let forms: Vec<&str> = label
        .split('/')
        .map(str::trim)
        .filter(|form| !form.is_empty())
        .collect();
    let Some(last) = forms.last() else {
        return Vec::new();
    };
    let last_words: Vec<&str> = last.split_whitespace().collect();
    let last_position = forms.len() - 1;
    forms
        .iter()
        .enumerate()
        .map(|(position, form)| {
            let words = form.split_whitespace().count();
            if position < last_position && words < last_words.len() {
                let tail = last_words[words..].join(" ");
                std::borrow::Cow::Owned(format!("{form} {tail}"))
            } else {
                std::borrow::Cow::Borrowed(*form)
            }
        })
        .collect()
}

/// The preferred label of `skill` in `lang`, else in English (else any), and whether it is such
/// a fallback.
fn skill_label(taxonomy: &Taxonomy, skill: SkillIdx, lang: Lang) -> (String, bool) {
    let own = taxonomy
        .labels(skill)
        .any(|(language, kind, _)| language == lang.code() && kind == LabelKind::Preferred);
    let label = taxonomy
        .preferred_label(skill, lang.code())
        .unwrap_or_default()
        .to_string();
    (label, !own)
}

fn span(text: &str, words: &[Word], first: usize, last: usize) -> Span {
    let start = words[first].from;
    let end = words[last].to;
    Span {
        start,
        end,
        quote: text.get(start..end).unwrap_or_default().to_string(),
    }
}

/// The best candidate of each concept with the number of distinct places evoking it, best
/// first (ties by concept), at most `top_k`. Each extra place adds `per_place` to the score (at
/// most three times; scores stay at most the candidate's cap).
fn aggregate(candidates: Vec<Candidate>, top_k: usize, per_place: f32) -> Vec<(Candidate, u32)> {
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

/// The engine's suggesters, one per language, built on first use for the current taxonomy.
#[derive(Debug, Default)]
pub struct SuggestCache(Mutex<Vec<CachedSuggester>>);

/// A suggester with the taxonomy it was built from.
type CachedSuggester = (Arc<Taxonomy>, Lang, Arc<Suggester>);

/// **Suggestions**: competences suggested from a job ad or visit notes.
impl Engine {
    fn suggester(&self, lang: Lang) -> Result<(Arc<Taxonomy>, Arc<Suggester>)> {
        let taxonomy = self.taxonomy()?;
        let mut cached = self
            .suggest
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cached.retain(|(built_from, _, _)| Arc::ptr_eq(built_from, &taxonomy));
        if let Some((_, _, suggester)) = cached
            .iter()
            .find(|(_, cached_lang, _)| *cached_lang == lang)
        {
            return Ok((taxonomy, Arc::clone(suggester)));
        }
        let started = std::time::Instant::now();
        let suggester = Arc::new(Suggester::build(&taxonomy, lang, &|_, _| false)?);
        if suggester.native_labels == 0 {
            return Err(Error::invalid(
                ErrorCode::LanguageNotImported,
                format!(
                    "no ESCO skill labels in {} are imported: import the ESCO release of that language first",
                    lang.code()
                ),
            ));
        }
        tracing::info!(
            language = lang.code(),
            labels = suggester.skills.len(),
            descriptions = suggester.descriptions.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "suggester built"
        );
        cached.push((Arc::clone(&taxonomy), lang, Arc::clone(&suggester)));
        Ok((taxonomy, suggester))
    }

    /// Suggests ESCO competences for a job ad, visit notes or a CV (see the module documentation):
    /// `language` is `it` or `en`, or `None` to detect it; at most `top_k` competences.
    ///
    /// Errors: empty text, text over [`DEFAULT_MAX_BYTES`] (`payload_too_large`), invalid UTF-8 or
    /// binary data, an unknown or undetectable language, a language with no imported labels.
    /// Nothing is stored.
    pub fn suggest_competences(
        &self,
        text: impl AsRef<[u8]>,
        language: Option<&str>,
        top_k: usize,
    ) -> Result<Suggestions> {
        let options = SuggestOptions {
            language: language.map(Lang::parse).transpose()?,
            top_k,
            ..SuggestOptions::default()
        };
        self.suggest_competences_with(text, &options)
    }

    /// [`Engine::suggest_competences`] with every option.
    pub fn suggest_competences_with(
        &self,
        text: impl AsRef<[u8]>,
        options: &SuggestOptions,
    ) -> Result<Suggestions> {
        check_top_k(options.top_k)?;
        let text = check_text(text.as_ref(), options.max_bytes)?;
        let (language, detected) = match options.language {
            Some(language) => (language, false),
            None => (detect_language(text)?, true),
        };
        let (taxonomy, suggester) = self.suggester(language)?;
        let mut analyser = WordAnalyser::new(language);
        let (skills, occupations) =
            suggester.suggest(&taxonomy, &mut analyser, text, options.top_k)?;
        Ok(Suggestions {
            language,
            detected,
            skills,
            occupations,
        })
    }

    /// Suggests for many texts at once, in parallel, keeping their order: one result per text
    /// (a bad text fails alone). `progress` advances by one per text.
    pub fn suggest_many(
        &self,
        texts: &[&str],
        options: &SuggestOptions,
        progress: &dyn Progress,
    ) -> Result<Vec<Result<Suggestions>>> {
        check_top_k(options.top_k)?;
        let languages: Vec<Lang> = match options.language {
            Some(language) => vec![language],
            None => Lang::ALL.to_vec(),
        };
        let mut suggesters = Vec::new();
        for language in languages {
            match self.suggester(language) {
                Ok(suggester) => suggesters.push((language, suggester)),
                Err(error) if options.language.is_some() => return Err(error),
                Err(_) => {}
            }
        }
        progress.start("suggesting", Some(texts.len() as u64));
        let results = crate::scoring::parallel::map_with_scratch(
            texts,
            AHashMap::<Lang, WordAnalyser>::new,
            |analysers, text| {
                let result = (|| {
                    let text = check_text(text.as_bytes(), options.max_bytes)?;
                    let (language, detected) = match options.language {
                        Some(language) => (language, false),
                        None => (detect_language(text)?, true),
                    };
                    let Some((_, (taxonomy, suggester))) =
                        suggesters.iter().find(|(lang, _)| *lang == language)
                    else {
                        return Err(Error::invalid(
                            ErrorCode::LanguageNotImported,
                            format!("no ESCO skill labels in {} are imported", language.code()),
                        ));
                    };
                    let analyser = analysers
                        .entry(language)
                        .or_insert_with(|| WordAnalyser::new(language));
                    let (skills, occupations) =
                        suggester.suggest(taxonomy, analyser, text, options.top_k)?;
                    Ok(Suggestions {
                        language,
                        detected,
                        skills,
                        occupations,
                    })
                })();
                progress.advance(1);
                result
            },
        );
        progress.finish();
        Ok(results)
    }
}

fn check_top_k(top_k: usize) -> Result<()> {
    if top_k == 0 || top_k > MAX_TOP_K {
        return Err(Error::invalid(
            ErrorCode::InvalidTopK,
            format!("top must be between 1 and {MAX_TOP_K}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_texts_are_refused() {
        assert_eq!(check_text(b"", 100).unwrap_err().code(), "empty_text");
        assert_eq!(check_text(b"  \n ", 100).unwrap_err().code(), "empty_text");
        assert_eq!(
            check_text(b"welding", 3).unwrap_err().code(),
            "payload_too_large"
        );
        assert_eq!(
            check_text(b"weld\0ing", 100).unwrap_err().code(),
            "binary_text"
        );
        assert_eq!(
            check_text(b"weld\xffing", 100).unwrap_err().code(),
            "invalid_utf8"
        );
        let controls = "\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\u{e}\u{f} welding";
        assert_eq!(
            check_text(controls.as_bytes(), 100).unwrap_err().code(),
            "binary_text"
        );
        assert_eq!(
            check_text("saldatura\tà filo\n".as_bytes(), 100).expect("ok"),
            "saldatura\tà filo\n"
        );
    }
}
