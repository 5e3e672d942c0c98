//! Search indexes: the ONLY module that names tantivy.
//!
//! - [`SkillLabelIndex`]: every label (preferred, alternative, hidden) of every ESCO skill in
//!   every imported language, for type-ahead with typo tolerance ("saldatura" finds the welding
//!   skills once Italian labels are imported; "weldng" finds them in English);
//! - [`VacancyIndex`]: vacancies' title and description with Italian and English analysers, the
//!   required skills as terms, and the filters as fast fields (comune, coordinates for distance,
//!   contract type, tirocinio or contract, public or agency source, open dates, status). It records
//!   the store's data revision it was built from, so the engine rebuilds it when it is behind.
//! - [`WordAnalyser`] and [`SkillDescriptionIndex`]: the words of a text with their byte spans
//!   (folded and Snowball-stemmed, for competence suggestions) and BM25 over the skill
//!   descriptions of one language (see [`crate::suggest`]).
//!
//! What it does NOT do: scoring (see [`crate::scoring`]) or reading the store.

mod descriptions;
mod engine;
mod skills;
mod text;
mod vacancies;

pub use descriptions::SkillDescriptionIndex;
pub use engine::SearchCache;
pub use skills::{SkillHit, SkillLabelIndex};
pub use text::{Word, WordAnalyser};
pub use vacancies::{VacancyIndex, VacancyQuery};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// Lowercased, accent-folded words (no stemming): labels, names.
pub(crate) const FOLDED: &str = "incontro_folded";
/// Italian: folded words, Italian stop words removed, Italian Snowball stemmer.
pub(crate) const ITALIAN: &str = "incontro_it";
/// English: folded words, English stop words removed, English Snowball stemmer.
pub(crate) const ENGLISH: &str = "incontro_en";

pub(crate) fn register_analyzers(index: &tantivy::Index) {
    let manager = index.tokenizers();
    manager.register(
        FOLDED,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(60))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    for (name, language) in [(ITALIAN, Language::Italian), (ENGLISH, Language::English)] {
        let builder = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(60))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        let analyzer = match StopWordFilter::new(language) {
            Some(stop_words) => builder
                .filter(stop_words)
                .filter(Stemmer::new(language))
                .build(),
            None => builder.filter(Stemmer::new(language)).build(),
        };
        manager.register(name, analyzer);
    }
}

/// The words of `text` as the folded analyser sees them.
pub(crate) fn folded_words(text: &str) -> Vec<String> {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    words
}
