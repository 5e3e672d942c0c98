//! Languages of suggestions: stop words (folded, as the analyser sees them), language detection
//! by stop-word counts, and negation cues.

use serde::Serialize;

use crate::{Error, ErrorCode, Result};

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
                ErrorCode::UnknownLanguage,
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

/// Words too common in job ads (or in the language) to stand alone for a skill: a label is never
/// suggested from one of these words alone. Folded, sorted.
const ITALIAN_COMMON_WORDS: &[&str] = &[
    "abilita",
    "ambiente",
    "ambito",
    "anni",
    "anno",
    "area",
    "attivita",
    "azienda",
    "aziende",
    "base",
    "buona",
    "buone",
    "buoni",
    "buono",
    "candidata",
    "candidati",
    "candidato",
    "capacita",
    "cliente",
    "clienti",
    "collaborazione",
    "competenza",
    "competenze",
    "conoscenza",
    "conoscenze",
    "contratto",
    "corso",
    "dati",
    "diploma",
    "disponibilita",
    "esperienza",
    "esperienze",
    "figura",
    "figure",
    "formazione",
    "funzione",
    "generale",
    "gestione",
    "giorno",
    "gruppo",
    "inserimento",
    "lavoro",
    "livello",
    "mansione",
    "mansioni",
    "modo",
    "nuova",
    "nuove",
    "nuovi",
    "nuovo",
    "offerta",
    "orario",
    "ore",
    "ottima",
    "ottime",
    "ottimi",
    "ottimo",
    "parte",
    "persona",
    "personale",
    "persone",
    "posizione",
    "pratica",
    "processi",
    "processo",
    "professionale",
    "professionali",
    "progetti",
    "progetto",
    "requisiti",
    "requisito",
    "responsabile",
    "ricerca",
    "ricerchiamo",
    "risorsa",
    "risorse",
    "ruolo",
    "sede",
    "servizi",
    "servizio",
    "settore",
    "sistema",
    "sistemi",
    "societa",
    "sviluppo",
    "team",
    "tempo",
    "tipo",
    "uffici",
    "ufficio",
    "uso",
    "utilizzo",
    "zona",
];

/// English counterpart of [`ITALIAN_COMMON_WORDS`]. Folded, sorted.
const ENGLISH_COMMON_WORDS: &[&str] = &[
    "ability",
    "able",
    "area",
    "based",
    "business",
    "candidate",
    "candidates",
    "client",
    "clients",
    "company",
    "customer",
    "customers",
    "data",
    "day",
    "degree",
    "development",
    "environment",
    "excellent",
    "experience",
    "experienced",
    "field",
    "general",
    "good",
    "great",
    "high",
    "job",
    "knowledge",
    "level",
    "management",
    "new",
    "office",
    "offices",
    "opportunity",
    "people",
    "person",
    "personal",
    "position",
    "practice",
    "process",
    "processes",
    "product",
    "products",
    "professional",
    "project",
    "projects",
    "quality",
    "requirements",
    "responsibilities",
    "role",
    "service",
    "services",
    "skill",
    "skills",
    "solid",
    "staff",
    "strong",
    "support",
    "system",
    "systems",
    "team",
    "teams",
    "time",
    "tools",
    "use",
    "using",
    "work",
    "working",
    "year",
    "years",
];

impl Lang {
    /// True when `folded` is a word too common in job ads to evoke a skill on its own.
    pub fn is_common_word(self, folded: &str) -> bool {
        let list = match self {
            Lang::Italian => ITALIAN_COMMON_WORDS,
            Lang::English => ENGLISH_COMMON_WORDS,
        };
        self.is_stop_word(folded) || list.binary_search(&folded).is_ok()
    }

    /// True when two folded words are forms of the same word, not merely words with the same
    /// stem: equal, or one a regular inflection of the other (English: plural, -ed, -ing;
    /// Italian: gender and number of nouns and adjectives, "ufficio"/"uffici",
    /// "tecnico"/"tecnici"), so "bilancio" (balance sheet) is not "bilancia" (scales) and
    /// "organization" is not "organ".
    pub fn same_word(self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        match self {
            Lang::English => english_base(a) == english_base(b),
            Lang::Italian => {
                const ENDINGS: &[(&str, &str)] = &[
                    ("o", "i"),
                    ("iere", "iera"),
                    ("aio", "aia"),
                    ("ario", "aria"),
                    ("a", "e"),
                    ("e", "i"),
                    ("a", "i"),
                    ("io", "i"),
                    ("co", "chi"),
                    ("go", "ghi"),
                    ("ca", "che"),
                    ("ga", "ghe"),
                    ("cia", "ce"),
                    ("gia", "ge"),
                    ("ore", "rice"),
                    ("ore", "ori"),
                    ("ice", "ici"),
                ];
                ENDINGS.iter().any(|&(one, other)| {
                    let pair = |x: &str, y: &str| match (x.strip_suffix(one), y.strip_suffix(other))
                    {
                        (Some(left), Some(right)) => left == right && left.len() >= 2,
                        _ => false,
                    };
                    pair(a, b) || pair(b, a)
                })
            }
        }
    }

    /// True when two folded words are forms of the same word ([`Lang::same_word`]) or of one
    /// family of regular derivations: English "innovative"/"innovately", "numerate"/"numeracy",
    /// "analytical"/"analytically", "organisation"/"organised", "independence"/"independently",
    /// "management"/"manage"; Italian "comunicazione"/"comunicativo", "organizzato"/
    /// "organizzazione", "preciso"/"precisione". Only whole suffixes of a closed list are
    /// undone, so words that merely share letters stay apart ("organization" is not "organ",
    /// "university" not "universe", "general" not "generate", "bilancio" not "bilancia").
    pub fn same_family(self, a: &str, b: &str) -> bool {
        if self.same_word(a, b) {
            return true;
        }
        let (left, right) = (self.family_keys(a), self.family_keys(b));
        left.iter().any(|key| right.contains(key))
    }

    /// The forms a folded word may come from by undoing at most two derivational suffixes,
    /// normalised like [`Lang::same_word`] (see [`Lang::same_family`]).
    fn family_keys(self, word: &str) -> Vec<String> {
        let (rules, min_root): (&[(&str, &str)], usize) = match self {
            Lang::English => (ENGLISH_DERIVATIONS, 4),
            Lang::Italian => (ITALIAN_DERIVATIONS, 4),
        };
        let start = match self {
            Lang::English => english_uninflected(word),
            Lang::Italian => word.to_string(),
        };
        let mut forms = vec![start];
        let mut frontier = 0;
        for _ in 0..2 {
            let end = forms.len();
            for index in frontier..end {
                for &(suffix, replacement) in rules {
                    let Some(root) = forms[index].strip_suffix(suffix) else {
                        continue;
                    };
                    if root.chars().count() < min_root {
                        continue;
                    }
                    let derived = format!("{root}{replacement}");
                    if !forms.contains(&derived) {
                        forms.push(derived);
                    }
                }
            }
            frontier = end;
        }
        match self {
            Lang::English => forms.into_iter().map(english_ending).collect(),
            Lang::Italian => forms,
        }
    }
}

/// English derivational suffixes and what they come from (applied after the inflection is
/// undone; several rules may apply, each gives one more form).
const ENGLISH_DERIVATIONS: &[(&str, &str)] = &[
    // adverbs
    ("ically", "ic"),
    ("ally", "al"),
    ("ively", "ive"),
    ("ently", "ent"),
    ("antly", "ant"),
    ("ately", "ate"),
    ("fully", "ful"),
    ("ously", "ous"),
    ("ibly", "ible"),
    ("ably", "able"),
    ("ely", "e"),
    // nouns of quality, state and action
    ("ness", ""),
    ("ence", "ent"),
    ("ency", "ent"),
    ("ance", "ant"),
    ("ancy", "ant"),
    ("acy", "ate"),
    ("ility", "le"),
    ("ivity", "ive"),
    ("isation", "ise"),
    ("ization", "ise"),
    ("ize", "ise"),
    ("iz", "is"),
    ("ation", "ate"),
    ("ation", ""),
    ("ction", "ct"),
    ("ssion", "ss"),
    ("ment", ""),
    // adjectives
    ("ative", "ate"),
    ("ive", ""),
    ("ical", "ic"),
];

/// Italian derivational suffixes and what they come from (nouns of action, adjectives and
/// adverbs to the verb or adjective).
const ITALIAN_DERIVATIONS: &[(&str, &str)] = &[
    ("azione", "are"),
    ("azioni", "are"),
    ("ativo", "are"),
    ("ativa", "are"),
    ("ativi", "are"),
    ("ative", "are"),
    ("ato", "are"),
    ("ata", "are"),
    ("ati", "are"),
    ("ate", "are"),
    ("mente", ""),
    ("ione", "o"),
    ("ioni", "o"),
    ("ita", "e"),
];

/// An English word without its regular inflection (plural, -ed, -ing), as written otherwise.
fn english_uninflected(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if word.ends_with("ss") {
        word.to_string()
    } else if let Some(stem) = word.strip_suffix("es").filter(|stem| {
        stem.ends_with(['s', 'x', 'z']) || stem.ends_with("ch") || stem.ends_with("sh")
    }) {
        stem.to_string()
    } else if let Some(stem) = word.strip_suffix('s') {
        stem.to_string()
    } else if let Some(stem) = word.strip_suffix("ing").filter(|stem| stem.len() >= 3) {
        stem.to_string()
    } else if let Some(stem) = word.strip_suffix("ed").filter(|stem| stem.len() >= 3) {
        stem.to_string()
    } else {
        word.to_string()
    }
}

/// The base [`Lang::same_word`] compares in English: the word uninflected, without a final
/// "e" or a doubled final consonant ("planning" → "plan", "manage" → "manag").
fn english_base(word: &str) -> String {
    english_ending(english_uninflected(word))
}

/// An uninflected English word without a final "e" or a doubled final consonant.
fn english_ending(word: String) -> String {
    let word = word.strip_suffix('e').map_or(word.clone(), str::to_string);
    let bytes = word.as_bytes();
    if bytes.len() >= 4 && bytes[bytes.len() - 1] == bytes[bytes.len() - 2] {
        word[..word.len() - 1].to_string()
    } else {
        word
    }
}

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
    fn common_word_lists_are_sorted() {
        for list in [ITALIAN_COMMON_WORDS, ENGLISH_COMMON_WORDS] {
            assert!(list.windows(2).all(|pair| pair[0] < pair[1]), "{list:?}");
        }
        assert!(Lang::Italian.is_common_word("ufficio"));
        assert!(Lang::Italian.is_common_word("della"));
        assert!(!Lang::Italian.is_common_word("saldatura"));
        assert!(Lang::English.is_common_word("experience"));
        assert!(!Lang::English.is_common_word("welding"));
    }

    #[test]
    fn same_word_is_an_inflection_not_a_shared_stem() {
        let italian = Lang::Italian;
        assert!(italian.same_word("saldatura", "saldature"));
        assert!(italian.same_word("ufficio", "uffici"));
        assert!(italian.same_word("tecnico", "tecnici"));
        assert!(italian.same_word("cassiere", "cassiera"));
        assert!(italian.same_word("saldatore", "saldatrice"));
        assert!(!italian.same_word("bilancio", "bilancia"));
        assert!(!italian.same_word("cassa", "cassiere"));
        assert!(italian.same_word("magazziniere", "magazziniera"));
        let english = Lang::English;
        assert!(english.same_word("welding", "weld"));
        assert!(english.same_word("welded", "welding"));
        assert!(english.same_word("pipes", "pipe"));
        assert!(english.same_word("planning", "plan"));
        assert!(english.same_word("batteries", "battery"));
        assert!(english.same_word("manage", "managing"));
        assert!(!english.same_word("organization", "organ"));
        assert!(!english.same_word("university", "universe"));
        assert!(!english.same_word("general", "generate"));
    }

    #[test]
    fn same_family_undoes_regular_derivations_only() {
        let english = Lang::English;
        for (a, b) in [
            ("innovative", "innovately"),
            ("numerate", "numeracy"),
            ("analytical", "analytically"),
            ("proactive", "proactively"),
            ("independence", "independently"),
            ("communicative", "communication"),
            ("organised", "organisation"),
            ("organized", "organise"),
            ("management", "manage"),
            ("collaborations", "collaborate"),
            ("flexibility", "flexible"),
            ("creativity", "creative"),
            ("welding", "weld"),
        ] {
            assert!(english.same_family(a, b), "{a} {b}");
            assert!(english.same_family(b, a), "{b} {a}");
        }
        for (a, b) in [
            ("organization", "organ"),
            ("university", "universe"),
            ("general", "generate"),
            ("generation", "general"),
            ("active", "act"),
        ] {
            assert!(!english.same_family(a, b), "{a} {b}");
        }
        let italian = Lang::Italian;
        assert!(italian.same_family("comunicazione", "comunicativo"));
        assert!(italian.same_family("organizzata", "organizzazione"));
        assert!(italian.same_family("precisione", "preciso"));
        assert!(!italian.same_family("bilancio", "bilancia"));
        assert!(!italian.same_family("cassa", "cassiere"));
    }

    #[test]
    fn parses_codes() {
        assert_eq!(Lang::parse("IT").expect("it"), Lang::Italian);
        assert_eq!(Lang::parse("en").expect("en").code(), "en");
        assert_eq!(Lang::parse("fr").unwrap_err().code(), "unknown_language");
    }
}
