//! Languages of suggestions: stop words (folded, as the analyser sees them), language detection
//! by stop-word counts, and negation cues.

use serde::Serialize;

use crate::{Error, Result};

/// A language competence suggestions understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Lang {
    /// Italian (`it`).
    #[serde(rename = "it")]
    Italian,
    /// English (`en`).
    #[serde(rename = "en")]
    English,
}

impl Lang {
    /// Every supported language.
    pub const ALL: [Lang; 2] = [Lang::Italian, Lang::English];

    /// Parses an ISO 639-1 code (`it`, `en`; case-insensitive).
    pub fn parse(code: &str) -> Result<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "it" | "ita" | "italian" | "italiano" => Ok(Lang::Italian),
            "en" | "eng" | "english" | "inglese" => Ok(Lang::English),
            other => Err(Error::invalid(
                "unknown_language",
                format!("unknown language {other:?}: suggestions support it and en"),
            )),
        }
    }

    /// The ISO 639-1 code, as ESCO file names and the taxonomy use it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Italian => "it",
            Lang::English => "en",
        }
    }

    /// True when `folded` is a stop word of this language.
    pub fn is_stop_word(self, folded: &str) -> bool {
        let list = match self {
            Lang::Italian => ITALIAN_STOP_WORDS,
            Lang::English => ENGLISH_STOP_WORDS,
        };
        list.binary_search(&folded).is_ok()
    }
}

/// Italian stop words, folded (Snowball's list, abridged), sorted.
const ITALIAN_STOP_WORDS: &[&str] = &[
    "a", "ad", "agl", "agli", "ai", "al", "all", "alla", "alle", "allo", "anche", "avere", "c",
    "che", "chi", "ci", "coi", "col", "come", "con", "cui", "d", "da", "dagl", "dagli", "dai",
    "dal", "dall", "dalla", "dalle", "dallo", "degl", "degli", "dei", "del", "dell", "della",
    "delle", "dello", "di", "dov", "dove", "e", "ed", "essere", "gli", "ha", "hai", "hanno", "ho",
    "i", "il", "in", "io", "l", "la", "le", "lei", "li", "lo", "loro", "lui", "ma", "mi", "mia",
    "mie", "miei", "mio", "ne", "negl", "negli", "nei", "nel", "nell", "nella", "nelle", "nello",
    "noi", "nostra", "nostre", "nostri", "nostro", "o", "oppure", "per", "perche", "piu", "quale",
    "quali", "quella", "quelle", "quelli", "quello", "questa", "queste", "questi", "questo", "se",
    "si", "sia", "siamo", "sono", "su", "sua", "sue", "sugl", "sugli", "sui", "sul", "sull",
    "sulla", "sulle", "sullo", "suo", "suoi", "ti", "tra", "tu", "tua", "tue", "tuo", "tuoi",
    "tutti", "tutto", "un", "una", "uno", "vi", "voi",
];

/// English stop words, folded, sorted.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "being", "both", "but", "by", "can", "could", "do", "does", "each", "for", "from", "had",
    "has", "have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "me", "my",
    "of", "on", "or", "other", "our", "she", "should", "so", "some", "such", "than", "that", "the",
    "their", "them", "then", "there", "these", "they", "this", "those", "to", "up", "very", "was",
    "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your",
];

/// Italian words that tell the language apart (stop words not shared with English).
const ITALIAN_MARKERS: &[&str] = &[
    "al", "alla", "alle", "che", "con", "da", "dei", "del", "della", "delle", "di", "e", "gli",
    "ho", "il", "la", "le", "nei", "nel", "nella", "non", "per", "sono", "su", "un", "una",
];

/// English words that tell the language apart.
const ENGLISH_MARKERS: &[&str] = &[
    "and", "are", "for", "from", "have", "is", "of", "our", "the", "to", "we", "will", "with",
    "you", "your",
];

/// Counts the marker words of each language among `folded` words and picks the language with
/// more; `None` when neither has any or they tie.
pub fn detect<'w>(folded: impl Iterator<Item = &'w str>) -> Option<Lang> {
    let (mut italian, mut english) = (0usize, 0usize);
    for word in folded {
        if ITALIAN_MARKERS.contains(&word) {
            italian += 1;
        }
        if ENGLISH_MARKERS.contains(&word) {
            english += 1;
        }
    }
    match italian.cmp(&english) {
        std::cmp::Ordering::Greater => Some(Lang::Italian),
        std::cmp::Ordering::Less => Some(Lang::English),
        std::cmp::Ordering::Equal => None,
    }
}

/// How a word takes part in negation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Negation {
    /// Not a negation word.
    None,
    /// Negates what follows, to the end of the clause ("no", "without", "senza", "nessuna").
    Before,
    /// "not"/"non": negates what follows, or the whole clause when a requirement word follows
    /// ("not required", "non richiesto").
    Not,
}

/// The negation role of a folded word.
pub(crate) fn negation(lang: Lang, folded: &str) -> Negation {
    match lang {
        Lang::English => match folded {
            "not" | "don" | "doesn" | "didn" | "isn" | "aren" | "cannot" | "never" => Negation::Not,
            "no" | "without" | "lack" | "lacks" | "lacking" | "none" | "nor" | "neither" => {
                Negation::Before
            }
            _ => Negation::None,
        },
        Lang::Italian => match folded {
            "non" | "mai" => Negation::Not,
            "senza" | "nessuna" | "nessun" | "nessuno" | "neanche" | "nemmeno" | "neppure" => {
                Negation::Before
            }
            _ => Negation::None,
        },
    }
}

/// Words after "not"/"non" that make it a requirement negation: the whole clause is negated.
pub(crate) fn is_requirement_word(folded: &str) -> bool {
    folded.starts_with("requir")
        || folded.starts_with("need")
        || folded.starts_with("necessar")
        || folded.starts_with("essential")
        || folded.starts_with("mandatory")
        || folded.starts_with("richiest")
        || folded.starts_with("indispensabil")
        || folded.starts_with("obbligatori")
}

/// Words right after "not"/"non" that cancel the negation ("not only", "non solo").
pub(crate) fn cancels_negation(folded: &str) -> bool {
    matches!(
        folded,
        "only" | "just" | "merely" | "solo" | "soltanto" | "solamente"
    )
}

/// Words that start a new clause ("but", "ma"): a negation does not reach past them.
pub(crate) fn is_clause_word(lang: Lang, folded: &str) -> bool {
    match lang {
        Lang::English => matches!(folded, "but" | "however" | "although" | "while" | "whereas"),
        Lang::Italian => matches!(folded, "ma" | "pero" | "tuttavia" | "mentre" | "bensi"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_word_lists_are_sorted_for_binary_search() {
        for list in [ITALIAN_STOP_WORDS, ENGLISH_STOP_WORDS] {
            assert!(
                list.windows(2).all(|pair| pair[0] < pair[1]),
                "{pair:?}",
                pair = list
            );
        }
        assert!(Lang::Italian.is_stop_word("della"));
        assert!(!Lang::Italian.is_stop_word("saldatura"));
        assert!(Lang::English.is_stop_word("the"));
    }

    #[test]
    fn detects_by_stop_words() {
        let italian = "cerchiamo un saldatore con esperienza nella saldatura a filo";
        assert_eq!(detect(italian.split(' ')), Some(Lang::Italian));
        let english = "we are looking for a welder with experience of the job";
        assert_eq!(detect(english.split(' ')), Some(Lang::English));
        assert_eq!(detect("saldatura mig".split(' ')), None);
    }

    #[test]
    fn parses_codes() {
        assert_eq!(Lang::parse("IT").expect("it"), Lang::Italian);
        assert_eq!(Lang::parse("en").expect("en").code(), "en");
        assert_eq!(Lang::parse("fr").unwrap_err().code(), "unknown_language");
    }
}
