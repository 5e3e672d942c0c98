//! Quality of suggestions, measured on queries built from the taxonomy itself (rerunnable by
//! anyone who imported ESCO) or on a hand-written fixture.
//!
//! Taxonomy sets, for one language:
//! - **occupation descriptions**: the query is an occupation's description, the answers its
//!   essential skills (recall@10 counts the share of min(10, |answers|) found in the top 10);
//! - **held-out labels**: a deterministic sample of alternative labels is left out of the
//!   dictionary; the query is the label as written, with a typo (two letters swapped in its
//!   longest word) or inflected (English: gerund of the first word or plural of the last;
//!   Italian: gerund of an infinitive or another final vowel), the answer its skill.
//!
//! - **occupation hint**: for the same occupation descriptions, whether the occupation hint (at
//!   most 3) names the occupation described (recall@10 is then the share found).
//!
//! MRR is the mean reciprocal rank of the first answer in the top 10 (0 when none is there).

use std::collections::HashSet;
use std::time::Instant;

use serde::Serialize;

use super::{Lang, Suggester};
use crate::index::WordAnalyser;
use crate::taxonomy::{LabelKind, SkillIdx, Taxonomy};
use crate::{Engine, Error, ErrorCode, Result};

/// A held-out query set: its name and how a label becomes the query.
type QueryVariant<'a> = (&'a str, &'a dyn Fn(&str) -> Option<String>);

/// Ranks looked at.
const CUTOFF: usize = 10;

/// The figures of one query set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalSet {
    /// What the queries are.
    pub name: String,
    /// How many queries.
    pub queries: usize,
    /// Mean recall at 10.
    pub recall_at_10: f64,
    /// Mean reciprocal rank of the first answer (within the top 10).
    pub mrr: f64,
    /// Queries that failed (no words, …): counted as misses.
    pub failed: usize,
}

/// An evaluation run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// The language evaluated.
    pub language: Lang,
    /// One entry per query set.
    pub sets: Vec<EvalSet>,
    /// Wall-clock time of the whole run, in milliseconds.
    pub elapsed_ms: u64,
}

/// Accumulates recall@10 and reciprocal ranks.
#[derive(Default)]
struct Tally {
    queries: usize,
    recall: f64,
    reciprocal: f64,
    failed: usize,
}

impl Tally {
    fn add(&mut self, ranked: &[String], answers: &HashSet<String>) {
        self.queries += 1;
        if answers.is_empty() {
            return;
        }
        let top = &ranked[..ranked.len().min(CUTOFF)];
        let found = top.iter().filter(|uri| answers.contains(*uri)).count();
        self.recall += found as f64 / answers.len().min(CUTOFF) as f64;
        if let Some(rank) = top.iter().position(|uri| answers.contains(uri)) {
            self.reciprocal += 1.0 / (rank + 1) as f64;
        }
    }

    fn fail(&mut self) {
        self.queries += 1;
        self.failed += 1;
    }

    fn finish(self, name: &str) -> EvalSet {
        let queries = self.queries.max(1) as f64;
        EvalSet {
            name: name.to_string(),
            queries: self.queries,
            recall_at_10: self.recall / queries,
            mrr: self.reciprocal / queries,
            failed: self.failed,
        }
    }
}

/// Runs one query; adds its skills to `tally` and, when given, its occupation hints to `hints`
/// (against `occupation`).
fn run(
    suggester: &Suggester,
    taxonomy: &Taxonomy,
    analyser: &mut WordAnalyser,
    tally: &mut Tally,
    query: &str,
    answers: &HashSet<String>,
    hints: Option<(&mut Tally, &str)>,
) {
    match suggester.suggest(taxonomy, analyser, query, CUTOFF) {
        Ok((skills, occupations)) => {
            let ranked: Vec<String> = skills.into_iter().map(|skill| skill.uri).collect();
            tally.add(&ranked, answers);
            if let Some((hints, occupation)) = hints {
                let ranked: Vec<String> = occupations.into_iter().map(|hint| hint.uri).collect();
                hints.add(&ranked, &HashSet::from([occupation.to_string()]));
            }
        }
        Err(_) => {
            tally.fail();
            if let Some((hints, _)) = hints {
                hints.fail();
            }
        }
    }
}

/// Swaps two letters in the middle of the longest word (5+ letters); `None` when there is none.
pub(crate) fn with_typo(label: &str) -> Option<String> {
    let (start, word) = words_with_offsets(label)
        .into_iter()
        .filter(|(_, word)| word.len() >= 5 && word.is_ascii())
        .max_by_key(|(_, word)| word.len())?;
    let middle = start + word.len() / 2;
    let bytes = label.as_bytes();
    if bytes[middle - 1] == bytes[middle] {
        // "installing" → "instaling": drop one of a double letter instead
        let mut typo = label.to_string();
        typo.remove(middle);
        return Some(typo);
    }
    let mut typo = bytes.to_vec();
    typo.swap(middle - 1, middle);
    String::from_utf8(typo).ok()
}

/// An inflected form of a label (see the module documentation); `None` when no rule applies.
pub(crate) fn inflected(label: &str, lang: Lang) -> Option<String> {
    let words = words_with_offsets(label);
    let (first_start, first) = *words.first()?;
    let (last_start, last) = *words.last()?;
    let replace = |start: usize, old: &str, new: String| {
        let mut text = label.to_string();
        text.replace_range(start..start + old.len(), &new);
        text
    };
    match lang {
        Lang::English => {
            if words.len() >= 2 && !first.ends_with("ing") && first.len() >= 3 {
                let stem = first.strip_suffix('e').unwrap_or(first);
                return Some(replace(first_start, first, format!("{stem}ing")));
            }
            let plural = match last.strip_suffix('s') {
                Some(singular) if !last.ends_with("ss") => singular.to_string(),
                _ => format!("{last}s"),
            };
            Some(replace(last_start, last, plural))
        }
        Lang::Italian => {
            for (suffix, gerund) in [("are", "ando"), ("ere", "endo"), ("ire", "endo")] {
                if let Some(stem) = first.strip_suffix(suffix) {
                    if words.len() >= 2 {
                        return Some(replace(first_start, first, format!("{stem}{gerund}")));
                    }
                }
            }
            let flipped = match last.chars().last()? {
                'o' => 'i',
                'a' => 'e',
                'e' => 'i',
                'i' => 'o',
                _ => return None,
            };
            let mut other = last[..last.len() - 1].to_string();
            other.push(flipped);
            Some(replace(last_start, last, other))
        }
    }
}

fn words_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (offset, character) in text.char_indices() {
        match (character.is_alphanumeric(), start) {
            (true, None) => start = Some(offset),
            (false, Some(begin)) => {
                words.push((begin, &text[begin..offset]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(begin) = start {
        words.push((begin, &text[begin..]));
    }
    words
}

/// **Suggestions**: evaluation on the project's own labelled sets.
impl Engine {
    /// Evaluates suggestions in `language` on query sets built from the imported taxonomy (see
    /// the module documentation of `suggest::eval`), with at most `max_queries` per set chosen
    /// deterministically (evenly through the taxonomy).
    pub fn suggest_eval_taxonomy(&self, language: &str, max_queries: usize) -> Result<EvalReport> {
        let started = Instant::now();
        let lang = Lang::parse(language)?;
        let max_queries = max_queries.max(1);
        let (taxonomy, suggester) = self.suggester(lang)?;
        let mut analyser = WordAnalyser::new(lang);
        let mut sets = Vec::new();

        let described: Vec<(u32, &str, HashSet<String>)> = (0..taxonomy.occupation_count() as u32)
            .filter_map(|occupation| {
                let description = taxonomy
                    .occupation_descriptions(occupation)
                    .find(|(language, text)| *language == lang.code() && !text.trim().is_empty())?
                    .1;
                let answers: HashSet<String> = taxonomy
                    .occupation_skills(occupation)
                    .iter()
                    .filter(|(_, essential)| *essential)
                    .map(|&(skill, _)| taxonomy.skill_uri(skill).to_string())
                    .collect();
                (!answers.is_empty()).then_some((occupation, description, answers))
            })
            .collect();
        let mut tally = Tally::default();
        let mut hints = Tally::default();
        for (occupation, description, answers) in evenly(&described, max_queries) {
            let uri = taxonomy.occupation_uri(*occupation);
            run(
                &suggester,
                &taxonomy,
                &mut analyser,
                &mut tally,
                description,
                answers,
                Some((&mut hints, uri)),
            );
        }
        if tally.queries > 0 {
            sets.push(tally.finish("occupation descriptions → essential skills"));
            sets.push(hints.finish("occupation descriptions → the occupation (hint)"));
        }

        let mut alternatives: Vec<(SkillIdx, &str)> = Vec::new();
        for skill in 0..taxonomy.skill_count() as SkillIdx {
            if taxonomy.is_group(skill) {
                continue;
            }
            for (language, kind, text) in taxonomy.labels(skill) {
                if language == lang.code()
                    && kind == LabelKind::Alternative
                    && words_with_offsets(text).len() >= 2
                {
                    alternatives.push((skill, text));
                }
            }
        }
        let held_out: Vec<(SkillIdx, &str)> = evenly(&alternatives, max_queries)
            .into_iter()
            .copied()
            .collect();
        if !held_out.is_empty() {
            let mut excluded: std::collections::HashMap<SkillIdx, Vec<String>> =
                std::collections::HashMap::new();
            for &(skill, label) in &held_out {
                excluded.entry(skill).or_default().push(label.to_string());
            }
            let without = Suggester::build(&taxonomy, lang, &|skill, label| {
                excluded
                    .get(&skill)
                    .is_some_and(|labels| labels.iter().any(|held| *held == label))
            })?;
            let variants: [QueryVariant<'_>; 3] = [
                ("held-out alternative labels, as written", &|label| {
                    Some(label.to_string())
                }),
                ("held-out alternative labels, one typo", &with_typo),
                ("held-out alternative labels, inflected", &|label| {
                    inflected(label, lang)
                }),
            ];
            for (name, make) in variants {
                let mut tally = Tally::default();
                for &(skill, label) in &held_out {
                    let Some(query) = make(label) else {
                        continue;
                    };
                    let answers = HashSet::from([taxonomy.skill_uri(skill).to_string()]);
                    run(
                        &without,
                        &taxonomy,
                        &mut analyser,
                        &mut tally,
                        &query,
                        &answers,
                        None,
                    );
                }
                sets.push(tally.finish(name));
            }
        }
        if sets.is_empty() {
            return Err(Error::invalid(
                ErrorCode::NothingToEvaluate,
                format!(
                    "the taxonomy has no descriptions or alternative labels in {}",
                    lang.code()
                ),
            ));
        }
        Ok(EvalReport {
            language: lang,
            sets,
            elapsed_ms: started.elapsed().as_millis() as u64,
        })
    }

    /// Evaluates suggestions on a hand-written fixture: one query per line,
    /// `text<TAB>skill URI[ skill URI…]`; blank lines and lines starting with `#` are skipped.
    pub fn suggest_eval_fixture(&self, language: &str, fixture: &str) -> Result<EvalReport> {
        let started = Instant::now();
        let lang = Lang::parse(language)?;
        let (taxonomy, suggester) = self.suggester(lang)?;
        let mut analyser = WordAnalyser::new(lang);
        let mut tally = Tally::default();
        for (number, line) in fixture.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((text, expected)) = line.split_once('\t') else {
                return Err(Error::invalid(
                    ErrorCode::InvalidFixture,
                    format!("line {}: expected text<TAB>skill URIs", number + 1),
                ));
            };
            let answers: HashSet<String> =
                expected.split_whitespace().map(str::to_string).collect();
            if let Some(unknown) = answers.iter().find(|uri| taxonomy.skill_idx(uri).is_none()) {
                return Err(Error::invalid(
                    ErrorCode::UnknownSkill,
                    format!("line {}: {unknown} is not an imported skill", number + 1),
                ));
            }
            run(
                &suggester,
                &taxonomy,
                &mut analyser,
                &mut tally,
                text,
                &answers,
                None,
            );
        }
        Ok(EvalReport {
            language: lang,
            sets: vec![tally.finish("hand-written fixture")],
            elapsed_ms: started.elapsed().as_millis() as u64,
        })
    }
}

/// At most `limit` items spread evenly through `items`.
fn evenly<T>(items: &[T], limit: usize) -> Vec<&T> {
    if items.len() <= limit {
        return items.iter().collect();
    }
    (0..limit)
        .map(|index| &items[index * items.len() / limit])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_inflections() {
        assert_eq!(
            with_typo("use welding equipment").as_deref(),
            Some("use welding equpiment")
        );
        assert_eq!(with_typo("tig").as_deref(), None);
        assert_eq!(
            inflected("operate welding equipment", Lang::English).as_deref(),
            Some("operating welding equipment")
        );
        assert_eq!(
            inflected("welding techniques", Lang::English).as_deref(),
            Some("welding technique")
        );
        assert_eq!(
            inflected("usare attrezzature per la saldatura", Lang::Italian).as_deref(),
            Some("usando attrezzature per la saldatura")
        );
        assert_eq!(
            inflected("tecniche contabili", Lang::Italian).as_deref(),
            Some("tecniche contabilo")
        );
    }

    #[test]
    fn recall_and_reciprocal_rank() {
        let mut tally = Tally::default();
        let answers: HashSet<String> = ["b".to_string(), "z".to_string()].into();
        tally.add(&["a".into(), "b".into(), "c".into()], &answers);
        let set = tally.finish("t");
        assert_eq!(set.queries, 1);
        assert!((set.recall_at_10 - 0.5).abs() < 1e-9);
        assert!((set.mrr - 0.5).abs() < 1e-9);
    }
}
