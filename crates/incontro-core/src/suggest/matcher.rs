//! Finding labels in a text: clauses, negation scopes, and label matches (exact word sequence,
//! any order, typos, distinctive words).

use ahash::AHashSet;

use super::dictionary::{Dictionary, Via, MAX_PHRASE};
use super::lang::{self, Lang, Negation};
use super::{MatchKind, NearReason};
use crate::index::Word;
use crate::taxonomy::LabelKind;

/// Seed partial matches only from words held by at most this many labels.
const SEED_MAX_DF: u32 = 1500;
/// A partial match needs this share of the label's idf mass (and its most distinctive word).
const PARTIAL_MIN_COVERAGE: f32 = 0.3;
/// A partial match on one word alone needs a word held by at most this many labels.
const SINGLE_WORD_MAX_DF: u32 = 60;
/// Partial matches on two or more words score at least this much.
pub(crate) const MULTI_WORD_FLOOR: f32 = 0.25;
/// Partial matches on one word alone score at most this much, however often repeated: below
/// every match of two or more words (issue 16).
pub(crate) const SINGLE_WORD_CAP: f32 = 0.24;

/// What the matcher knows about each word of a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WordInfo {
    /// A stop word of the language.
    pub(crate) stop: bool,
    /// A negation word ("no", "senza").
    pub(crate) cue: bool,
    /// Inside a negation scope: never matched.
    pub(crate) negated: bool,
    /// The clause (a negation does not reach past its clause).
    pub(crate) clause: u32,
    /// The sentence (description matches are per sentence).
    pub(crate) sentence: u32,
}

fn breaks_sentence(gap: &str) -> bool {
    gap.contains(['.', '!', '?', '\n', '\r'])
}

fn breaks_clause(gap: &str) -> bool {
    gap.contains([
        ',', ';', ':', '(', ')', '[', ']', '•', '·', '|', '"', '“', '”', '«', '»',
    ]) || gap.contains(" - ")
        || gap.contains(" – ")
}

/// Splits the words of `text` into clauses and sentences and marks negation scopes.
pub(crate) fn annotate(lang: Lang, text: &str, words: &[Word]) -> Vec<WordInfo> {
    let mut info = vec![WordInfo::default(); words.len()];
    let (mut clause, mut sentence, mut previous_end) = (0u32, 0u32, 0usize);
    for (index, word) in words.iter().enumerate() {
        let gap = text.get(previous_end..word.from).unwrap_or("");
        if index > 0 {
            if breaks_sentence(gap) {
                sentence += 1;
                clause += 1;
            } else if breaks_clause(gap) || lang::is_clause_word(lang, &word.folded) {
                clause += 1;
            }
        }
        info[index].clause = clause;
        info[index].sentence = sentence;
        info[index].stop = lang.is_stop_word(&word.folded);
        previous_end = word.to;
    }
    let mut clause_start = 0;
    let mut negate_rest = false;
    for index in 0..words.len() {
        if index > 0 && info[index].clause != info[index - 1].clause {
            clause_start = index;
            negate_rest = false;
        }
        info[index].negated = negate_rest;
        match lang::negation(lang, &words[index].folded) {
            Negation::None => {}
            Negation::Before => {
                info[index].cue = true;
                negate_rest = true;
            }
            Negation::Not => {
                let same_clause = |next: &usize| info[*next].clause == info[index].clause;
                let following: Vec<usize> = (index + 1..words.len().min(index + 4))
                    .filter(same_clause)
                    .collect();
                if following
                    .first()
                    .is_some_and(|&next| lang::cancels_negation(&words[next].folded))
                {
                    continue;
                }
                info[index].cue = true;
                negate_rest = true;
                if following
                    .iter()
                    .any(|&next| lang::is_requirement_word(&words[next].folded))
                {
                    for earlier in &mut info[clause_start..index] {
                        earlier.negated = true;
                    }
                }
            }
        }
    }
    info
}

/// Runs of matchable content words: same clause, no negation, no negation word between them;
/// stop words are skipped (labels are stored without them).
pub(crate) fn segments(info: &[WordInfo]) -> Vec<Vec<usize>> {
    let mut segments = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut clause = u32::MAX;
    for (index, word) in info.iter().enumerate() {
        let breaks = word.cue || word.negated || word.clause != clause;
        clause = word.clause;
        if breaks && !current.is_empty() {
            segments.push(std::mem::take(&mut current));
        }
        if word.cue || word.negated || word.stop {
            continue;
        }
        current.push(index);
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// One label found in a text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hit {
    /// The dictionary entry.
    pub(crate) entry: u32,
    /// First and last word (indexes into the text's words).
    pub(crate) first: usize,
    pub(crate) last: usize,
    /// How it matched.
    pub(crate) kind: MatchKind,
    /// Its score in (0, 1].
    pub(crate) score: f32,
    /// A partial match on one word of a longer label.
    pub(crate) single_word: bool,
    /// Its words are found with other words between them.
    pub(crate) gapped: bool,
}

impl Hit {
    fn is_full(&self) -> bool {
        !matches!(
            self.kind,
            MatchKind::Description | MatchKind::Near(NearReason::Partial)
        )
    }
}

fn label_factor(kind: LabelKind) -> f32 {
    match kind {
        LabelKind::Preferred => 1.0,
        LabelKind::Alternative => 0.95,
        LabelKind::Hidden => 0.9,
    }
}

fn length_factor(terms: usize) -> f32 {
    match terms {
        1 => 0.8,
        2 => 0.9,
        _ => 1.0,
    }
}

fn kind_base(kind: MatchKind) -> f32 {
    match kind {
        MatchKind::Exact => 1.0,
        MatchKind::Near(NearReason::Inflection) => 0.95,
        MatchKind::Near(NearReason::WordOrder) => 0.85,
        MatchKind::Near(NearReason::Typo) => 0.8,
        MatchKind::Near(NearReason::Partial) => 0.6,
        MatchKind::Description => 0.4,
    }
}

/// Finds the labels of `dictionary` in the segments of a text. With `partial` (skills), labels
/// whose most distinctive word and a good share of the rest appear in a segment match too, and a
/// one-word match may be a regular derivation of the label's word ("innovative" for "think
/// innovately", [`Lang::same_family`]); without it (occupations) only the word itself or an
/// inflection of it.
pub(crate) fn find_labels(
    lang: Lang,
    dictionary: &Dictionary,
    words: &[Word],
    segments: &[Vec<usize>],
    partial: bool,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut visited: AHashSet<u32> = AHashSet::new();
    let mut key: Vec<u32> = Vec::with_capacity(MAX_PHRASE);
    let mut sorted: Vec<u32> = Vec::with_capacity(MAX_PHRASE);
    let mut present: Vec<u32> = Vec::new();
    let same = |a: &str, b: &str| {
        if partial {
            lang.same_family(a, b)
        } else {
            lang.same_word(a, b)
        }
    };
    for segment in segments {
        let terms: Vec<Option<(u32, Via)>> = segment
            .iter()
            .map(|&index| dictionary.term_of(&words[index].stem, &words[index].folded))
            .collect();
        for start in 0..segment.len() {
            key.clear();
            let mut typo = false;
            for end in start..segment.len().min(start + MAX_PHRASE) {
                let Some((term, via)) = terms[end] else {
                    break;
                };
                key.push(term);
                typo |= via == Via::Typo;
                for &entry_id in dictionary.exact(&key) {
                    let entry = &dictionary.entries[entry_id as usize];
                    let same_words = segment[start..=end]
                        .iter()
                        .zip(entry.folded.iter())
                        .all(|(&index, folded)| words[index].folded == **folded);
                    if entry.fallback && (typo || !same_words) {
                        continue; // another language's label: word for word only
                    }
                    // A one-word alternative or hidden label ("data" for statistics, "design"
                    // for thinking creatively): only a distinctive word.
                    if entry.terms.len() == 1
                        && entry.kind != LabelKind::Preferred
                        && (lang.is_common_word(&words[segment[start]].folded)
                            || dictionary.df(entry.terms[0]) > SINGLE_WORD_MAX_DF)
                    {
                        continue;
                    }
                    // A one-word label: the word itself, an inflection of it or (skills) a
                    // regular derivation, never a word that merely shares its stem ("bilancio"
                    // is not "bilancia") or a typo of a short word.
                    if entry.terms.len() == 1
                        && !same_words
                        && (typo || !same(&words[segment[start]].folded, &entry.folded[0]))
                    {
                        continue;
                    }
                    let kind = if typo {
                        MatchKind::Near(NearReason::Typo)
                    } else if same_words {
                        MatchKind::Exact
                    } else {
                        MatchKind::Near(NearReason::Inflection)
                    };
                    hits.push(hit(
                        dictionary,
                        entry_id,
                        segment[start],
                        segment[end],
                        kind,
                        1.0,
                    ));
                }
                if key.len() >= 2 {
                    sorted.clear();
                    sorted.extend_from_slice(&key);
                    sorted.sort_unstable();
                    for &entry_id in dictionary.bag(&sorted) {
                        let entry = &dictionary.entries[entry_id as usize];
                        if *entry.terms == *key || entry.fallback {
                            continue;
                        }
                        let kind = if typo {
                            MatchKind::Near(NearReason::Typo)
                        } else {
                            MatchKind::Near(NearReason::WordOrder)
                        };
                        hits.push(hit(
                            dictionary,
                            entry_id,
                            segment[start],
                            segment[end],
                            kind,
                            1.0,
                        ));
                    }
                }
            }
        }
        if !partial {
            continue;
        }
        visited.clear();
        // The terms of the segment, sorted: a label whose most distinctive word is not among
        // them cannot match partially (see `cover`), whatever the seed, so it is passed over
        // before anything else is looked up (nor marked visited, which changes nothing for it).
        present.clear();
        present.extend(terms.iter().flatten().map(|&(term, _)| term));
        present.sort_unstable();
        present.dedup();
        for (seed_position, seed) in terms.iter().enumerate() {
            let Some((seed_term, _)) = *seed else {
                continue;
            };
            if dictionary.df(seed_term) > SEED_MAX_DF {
                continue;
            }
            for &entry_id in dictionary.postings(seed_term) {
                // `u32::MAX` (one word, or a fallback) is never a term: skipped here too.
                if present
                    .binary_search(&dictionary.partial_head(entry_id))
                    .is_err()
                {
                    continue;
                }
                if !visited.insert(entry_id) {
                    continue;
                }
                let entry = &dictionary.entries[entry_id as usize];
                if entry.terms.len() < 2 || entry.fallback {
                    continue;
                }
                let Some(found) = cover(dictionary, entry, &terms, seed_position) else {
                    continue;
                };
                let window = found.last - found.first + 1;
                if found.complete && window == entry.terms.len() {
                    continue; // a contiguous match: found above
                }
                if let Some((position, label_word)) = found.single {
                    // One word alone: only a distinctive word, in the label's own form.
                    let word = &words[segment[position]];
                    let by_stem = terms[position].is_some_and(|(_, via)| via == Via::Stem);
                    let term = entry.terms[label_word];
                    if !by_stem
                        || lang.is_common_word(&word.folded)
                        || dictionary.df(term) > SINGLE_WORD_MAX_DF
                        || !same(&word.folded, &entry.folded[label_word])
                    {
                        continue;
                    }
                    let mut single = hit(
                        dictionary,
                        entry_id,
                        segment[position],
                        segment[position],
                        MatchKind::Near(NearReason::Partial),
                        found.coverage,
                    );
                    single.score = (0.1 + 0.1 * single.score).min(SINGLE_WORD_CAP);
                    single.single_word = true;
                    single.gapped = true;
                    hits.push(single);
                    continue;
                }
                // Two words or more, one of them at least not a common word of job ads.
                let distinctive = found
                    .positions
                    .iter()
                    .any(|&position| !lang.is_common_word(&words[segment[position]].folded));
                if !distinctive {
                    continue;
                }
                let kind = if found.complete && window <= entry.terms.len() + 2 {
                    MatchKind::Near(NearReason::WordOrder)
                } else {
                    MatchKind::Near(NearReason::Partial)
                };
                let share = if found.complete { 1.0 } else { found.coverage };
                let mut several = hit(
                    dictionary,
                    entry_id,
                    segment[found.first],
                    segment[found.last],
                    kind,
                    share,
                );
                several.score = several.score.max(MULTI_WORD_FLOOR);
                several.gapped = true;
                hits.push(several);
            }
        }
    }
    hits
}

/// What of a label a segment holds (see [`cover`]).
struct Cover {
    /// First and last positions in the segment.
    first: usize,
    last: usize,
    /// The share of the label's idf mass found.
    coverage: f32,
    /// Every word of the label is there.
    complete: bool,
    /// When only one word of a label of several was found: its position in the segment and
    /// its index in the label.
    single: Option<(usize, usize)>,
    /// The positions in the segment of the words found.
    positions: Vec<usize>,
}

/// How much of `entry` the segment holds: each label word is taken at its occurrence nearest to
/// the seed, if within the label's length (plus one) of it. `None` unless the label's most
/// distinctive word is there and the coverage is enough.
fn cover(
    dictionary: &Dictionary,
    entry: &super::dictionary::Entry,
    terms: &[Option<(u32, Via)>],
    seed: usize,
) -> Option<Cover> {
    let reach = entry.terms.len() + 1;
    // Without the most distinctive word within reach there is no match: checked first, before
    // the other words are looked for (the answer is the same, found sooner).
    let head = entry.terms[entry.head];
    let head_near = terms.iter().enumerate().any(|(position, candidate)| {
        candidate.is_some_and(|(found, _)| found == head) && position.abs_diff(seed) <= reach
    });
    if !head_near {
        return None;
    }
    let (mut first, mut last, mut mass, mut complete) = (seed, seed, 0.0f32, true);
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (index, &term) in entry.terms.iter().enumerate() {
        let nearest = terms
            .iter()
            .enumerate()
            .filter(|(_, candidate)| candidate.is_some_and(|(found, _)| found == term))
            .map(|(position, _)| position)
            .filter(|position| position.abs_diff(seed) <= reach)
            .min_by_key(|&position| position.abs_diff(seed));
        match nearest {
            Some(position) => {
                mass += dictionary.idf(term);
                first = first.min(position);
                last = last.max(position);
                if !found.iter().any(|&(at, _)| at == position) {
                    found.push((position, index));
                }
            }
            None if index == entry.head => return None,
            None => complete = false,
        }
    }
    let coverage = if entry.mass > 0.0 {
        mass / entry.mass
    } else {
        0.0
    };
    let single = (found.len() == 1 && !complete).then(|| found[0]);
    (complete || coverage >= PARTIAL_MIN_COVERAGE).then_some(Cover {
        first,
        last,
        coverage,
        complete,
        single,
        positions: found.iter().map(|&(position, _)| position).collect(),
    })
}

fn hit(
    dictionary: &Dictionary,
    entry_id: u32,
    first: usize,
    last: usize,
    kind: MatchKind,
    share: f32,
) -> Hit {
    let entry = &dictionary.entries[entry_id as usize];
    let score =
        kind_base(kind) * share * label_factor(entry.kind) * length_factor(entry.terms.len());
    Hit {
        entry: entry_id,
        first,
        last,
        kind,
        score,
        single_word: false,
        gapped: false,
    }
}

/// The score of a description match from its BM25 score: below every label match.
pub(crate) fn description_score(bm25: f32) -> f32 {
    kind_base(MatchKind::Description) * bm25 / (bm25 + 10.0)
}

/// Drops every hit whose words lie inside the words of a longer full match, and every partial or
/// description hit inside any full match: the full label explains those words better ("welding
/// techniques" over "welding"). Only a label found word after word covers others: one found
/// with gaps ("cooperating with colleagues in a professional" for "cooperate with
/// professionals") does not hide a label found whole inside it ("cooperate with colleagues").
pub(crate) fn drop_covered(hits: Vec<Hit>) -> Vec<Hit> {
    let full: Vec<(usize, usize)> = hits
        .iter()
        .filter(|hit| hit.is_full() && !hit.gapped)
        .map(|hit| (hit.first, hit.last))
        .collect();
    hits.into_iter()
        .filter(|hit| {
            let partial = !hit.is_full();
            !full.iter().any(|&(first, last)| {
                let inside = first <= hit.first && hit.last <= last;
                inside && (partial || last - first > hit.last - hit.first)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::WordAnalyser;

    fn negated_words(lang: Lang, text: &str) -> Vec<String> {
        let words = WordAnalyser::new(lang).words(text);
        let info = annotate(lang, text, &words);
        words
            .iter()
            .zip(&info)
            .filter(|(_, info)| info.negated)
            .map(|(word, _)| word.folded.clone())
            .collect()
    }

    #[test]
    fn negation_scopes() {
        assert_eq!(
            negated_words(
                Lang::English,
                "No experience in welding, but good at painting"
            ),
            ["experience", "in", "welding"]
        );
        assert_eq!(
            negated_words(Lang::English, "Welding is not required. Forklift driving"),
            ["welding", "is", "required"]
        );
        assert!(negated_words(Lang::English, "not only welding but also painting").is_empty());
        assert_eq!(
            negated_words(Lang::Italian, "Non ho esperienza di saldatura; so guidare"),
            ["ho", "esperienza", "di", "saldatura"]
        );
        assert_eq!(
            negated_words(Lang::Italian, "Nessuna esperienza nella saldatura"),
            ["esperienza", "nella", "saldatura"]
        );
        assert_eq!(
            negated_words(Lang::Italian, "senza esperienza. Saldatura"),
            ["esperienza"]
        );
    }

    #[test]
    fn segments_skip_stop_words_and_break_at_clauses() {
        let text = "use of welding equipment, customer service";
        let words = WordAnalyser::new(Lang::English).words(text);
        let info = annotate(Lang::English, text, &words);
        assert_eq!(segments(&info), vec![vec![0, 2, 3], vec![4, 5]]);
    }

    #[test]
    fn covered_hits_are_dropped() {
        let long = Hit {
            entry: 0,
            first: 2,
            last: 4,
            kind: MatchKind::Exact,
            score: 1.0,
            single_word: false,
            gapped: false,
        };
        let inside = Hit {
            entry: 1,
            first: 3,
            last: 3,
            kind: MatchKind::Exact,
            score: 0.8,
            single_word: false,
            gapped: false,
        };
        let outside = Hit {
            entry: 2,
            first: 5,
            last: 5,
            ..inside.clone()
        };
        let kept = drop_covered(vec![long.clone(), inside, outside.clone()]);
        assert_eq!(kept, vec![long, outside]);
    }
}
