//! Word analysis for competence suggestions: tantivy's tokenizer, folding and Snowball stemmers,
//! keeping each word's byte span so a suggestion can quote the words that evoked it.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

use crate::suggest::Lang;

/// One word of a text: its byte span, its folded form (lowercase, no accents) and its stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the first character.
    pub from: usize,
    /// Byte offset past the last character.
    pub to: usize,
    /// Lowercased, accent-folded form.
    pub folded: String,
    /// Snowball stem of the folded form.
    pub stem: String,
}

/// Splits text into [`Word`]s for one language. Holds two tantivy analysers (folded, stemmed)
/// that see the same tokens, so their outputs align one to one.
#[derive(Clone)]
pub struct WordAnalyser {
    folded: TextAnalyzer,
    stemmed: TextAnalyzer,
}

impl std::fmt::Debug for WordAnalyser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordAnalyser").finish_non_exhaustive()
    }
}

/// Words longer than this many bytes are dropped (identifiers, base64, URLs).
const LONGEST_WORD: usize = 40;

impl WordAnalyser {
    /// An analyser for `lang`.
    pub fn new(lang: Lang) -> Self {
        let language = match lang {
            Lang::Italian => Language::Italian,
            Lang::English => Language::English,
        };
        let folded = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST_WORD))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build();
        let stemmed = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST_WORD))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(language))
            .build();
        WordAnalyser { folded, stemmed }
    }

    /// The words of `text`, in order.
    pub fn words(&mut self, text: &str) -> Vec<Word> {
        let mut words = Vec::new();
        let mut stream = self.folded.token_stream(text);
        while let Some(token) = stream.next() {
            words.push(Word {
                from: token.offset_from,
                to: token.offset_to,
                folded: token.text.clone(),
                stem: String::new(),
            });
        }
        let mut stream = self.stemmed.token_stream(text);
        let mut position = 0;
        while let Some(token) = stream.next() {
            if let Some(word) = words.get_mut(position) {
                debug_assert_eq!(word.from, token.offset_from, "analysers align");
                word.stem.clone_from(&token.text);
            }
            position += 1;
        }
        words
    }

    /// The stem of one word (folded first).
    pub fn stem(&mut self, word: &str) -> Option<String> {
        self.words(word).into_iter().next().map(|word| word.stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_spans_fold_and_stem() {
        let mut analyser = WordAnalyser::new(Lang::Italian);
        let text = "Saldatura a filo, più città";
        let words = analyser.words(text);
        let folded: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["saldatura", "a", "filo", "piu", "citta"]);
        assert_eq!(&text[words[0].from..words[0].to], "Saldatura");
        assert_eq!(&text[words[4].from..words[4].to], "città");
        assert_eq!(words[0].stem, analyser.stem("saldature").expect("stem"));

        let mut english = WordAnalyser::new(Lang::English);
        let words = english.words("Welding and welded pipes");
        assert_eq!(words[0].stem, words[2].stem);
        assert_eq!(words[3].stem, "pipe");
    }
}
