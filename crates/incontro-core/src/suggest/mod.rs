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
mod description;
mod devsets;
mod dictionary;
mod eval;
mod feedback;
mod finding;
mod lang;
mod matcher;
mod ranking;
pub(crate) mod sql;

use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use serde::Serialize;

pub use devsets::{
    dev_table, parse_dev_set, DevSentence, DevSet, DevSetReport, RankFigures, SystemFigures,
    DEV_SET_FILES,
};
pub use eval::{EvalReport, EvalSet};
pub use feedback::{Decision, FeedbackRecord, FeedbackReport, FeedbackTarget};
pub use lang::Lang;

use crate::index::{SkillDescriptionIndex, WordAnalyser};
use crate::progress::Progress;
use crate::taxonomy::Taxonomy;
use crate::{Engine, Error, ErrorCode, Result};
use description::SkillWords;
use dictionary::Dictionary;

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
