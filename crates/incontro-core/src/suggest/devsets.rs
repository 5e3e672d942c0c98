//! Quality on job-ad sentences labelled by others (issue 16): the TECH and HOUSE validation sets
//! of Decorte et al. (English sentences of job ads, each span labelled with an ESCO skill's
//! preferred label), for suggestions and for the TF-IDF baseline side by side.
//!
//! Per sentence with at least one ESCO label: R-Precision@5 = (gold skills in the top 5) /
//! min(5, gold skills), and the reciprocal rank of the first gold skill in the top 100 (0 when
//! none is there); both averaged over sentences. Labels that name no imported skill (ESCO v1.1.0
//! labels renamed in v1.1.1) are counted and left out of the gold; a sentence left with no gold
//! is left out. Each set is also split in two halves by a hash of the sentence, so that a change
//! tuned on one half can be checked on the other.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use ahash::AHashMap;
use serde::Serialize;

use super::baseline::TfIdfBaseline;
use super::{Lang, Suggester};
use crate::index::WordAnalyser;
use crate::taxonomy::{LabelKind, SkillIdx, Taxonomy};
use crate::{Engine, Error, ErrorCode, Result};

/// The file names of the two sets, in the order reported.
pub const DEV_SET_FILES: [(&str, &str); 2] = [
    ("TECH", "tech_validation_annotations.csv"),
    ("HOUSE", "house_validation_annotations.csv"),
];

/// Ranks looked at for MRR.
const MRR_CUTOFF: usize = 100;
/// Labels of spans with no ESCO skill.
const NO_SKILL: [&str; 2] = ["UNDERSPECIFIED", "LABEL NOT PRESENT"];

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevSentence {
    /// The sentence as written.
    pub text: String,
    /// Its gold skills.
    pub gold: Vec<SkillIdx>,
}

impl DevSentence {
    /// The half (0 or 1) the sentence falls in: FNV-1a of its text, modulo 2.
    pub fn half(&self) -> usize {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.text.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        (hash % 2) as usize
    }
}

/// A labelled set, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevSet {
    /// Its name (`TECH`, `HOUSE`).
    pub name: String,
    /// The sentences with at least one gold skill, in file order.
    pub sentences: Vec<DevSentence>,
    /// Labelled spans whose label names no imported skill.
    pub unresolved_labels: usize,
}

/// Reads a set: CSV with the columns `sentence` and `label` (others ignored); `file` names it in
/// error messages. Labels are English preferred labels, matched exactly, then ignoring case.
pub fn parse_dev_set(
    name: &str,
    file: &str,
    csv_text: &str,
    taxonomy: &Taxonomy,
) -> Result<DevSet> {
    let mut exact: AHashMap<&str, SkillIdx> = AHashMap::new();
    let mut lowered: AHashMap<String, SkillIdx> = AHashMap::new();
    for skill in 0..taxonomy.skill_count() as SkillIdx {
        for (language, kind, label) in taxonomy.labels(skill) {
            if language == "en" && kind == LabelKind::Preferred {
                exact.entry(label).or_insert(skill);
                lowered.entry(label.to_lowercase()).or_insert(skill);
            }
        }
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(csv_text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|error| Error::invalid(ErrorCode::InvalidDevSet, format!("{file}:1: {error}")))?
        .clone();
    let column = |wanted: &str| {
        headers
            .iter()
            .position(|header| header.trim() == wanted)
            .ok_or_else(|| {
                Error::invalid(
                    ErrorCode::InvalidDevSet,
                    format!("{file}:1: {wanted}: missing column (expected sentence, label)"),
                )
            })
    };
    let (sentence_column, label_column) = (column("sentence")?, column("label")?);
    let mut order: Vec<String> = Vec::new();
    let mut gold: AHashMap<String, Vec<SkillIdx>> = AHashMap::new();
    let mut unresolved = 0;
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |position| position.line());
            Error::invalid(ErrorCode::InvalidDevSet, format!("{file}:{line}: {error}"))
        })?;
        let line = record.position().map_or(0, |position| position.line());
        let sentence = record.get(sentence_column).unwrap_or_default().trim();
        let label = record.get(label_column).unwrap_or_default().trim();
        if sentence.is_empty() {
            return Err(Error::invalid(
                ErrorCode::InvalidDevSet,
                format!("{file}:{line}: sentence: empty"),
            ));
        }
        if !gold.contains_key(sentence) {
            order.push(sentence.to_string());
            gold.insert(sentence.to_string(), Vec::new());
        }
        if label.is_empty() || NO_SKILL.contains(&label) {
            continue;
        }
        let skill = exact
            .get(label)
            .copied()
            .or_else(|| lowered.get(&label.to_lowercase()).copied());
        match skill {
            Some(skill) => {
                let skills = gold.entry(sentence.to_string()).or_default();
                if !skills.contains(&skill) {
                    skills.push(skill);
                }
            }
            None => unresolved += 1,
        }
    }
    let sentences = order
        .into_iter()
        .filter_map(|text| {
            let skills = gold.remove(&text)?;
            (!skills.is_empty()).then_some(DevSentence { text, gold: skills })
        })
        .collect();
    Ok(DevSet {
        name: name.to_string(),
        sentences,
        unresolved_labels: unresolved,
    })
}

/// R-Precision@5 and MRR over some sentences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RankFigures {
    /// How many sentences.
    pub sentences: usize,
    /// Mean R-Precision at 5.
    pub rp_at_5: f64,
    /// Mean reciprocal rank of the first gold skill (top 100).
    pub mrr: f64,
}

/// One system on one set: every sentence, and each half.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SystemFigures {
    /// Every sentence.
    pub all: RankFigures,
    /// The sentences of half A (FNV-1a of the sentence even).
    pub half_a: RankFigures,
    /// The sentences of half B.
    pub half_b: RankFigures,
}

/// The figures of one labelled set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DevSetReport {
    /// `TECH` or `HOUSE`.
    pub name: String,
    /// Labelled spans whose label names no skill of the imported release.
    pub unresolved_labels: usize,
    /// `incontro suggest`.
    pub suggest: SystemFigures,
    /// The TF-IDF baseline (see `suggest::baseline`).
    pub baseline: SystemFigures,
    /// Mean wall time of one `suggest` call, in milliseconds.
    pub suggest_ms_per_sentence: f64,
}

/// Adds up reciprocal ranks and R-precisions per half.
#[derive(Default)]
struct RankTally {
    sentences: [usize; 2],
    rp: [f64; 2],
    reciprocal: [f64; 2],
}

impl RankTally {
    fn add(&mut self, half: usize, ranked: &[SkillIdx], gold: &[SkillIdx]) {
        let gold: HashSet<SkillIdx> = gold.iter().copied().collect();
        self.sentences[half] += 1;
        let hits = ranked
            .iter()
            .take(5)
            .filter(|skill| gold.contains(skill))
            .count();
        self.rp[half] += hits as f64 / gold.len().min(5) as f64;
        if let Some(rank) = ranked
            .iter()
            .take(MRR_CUTOFF)
            .position(|skill| gold.contains(skill))
        {
            self.reciprocal[half] += 1.0 / (rank + 1) as f64;
        }
    }

    fn figures(&self, halves: &[usize]) -> RankFigures {
        let sentences: usize = halves.iter().map(|&half| self.sentences[half]).sum();
        let count = sentences.max(1) as f64;
        RankFigures {
            sentences,
            rp_at_5: halves.iter().map(|&half| self.rp[half]).sum::<f64>() / count,
            mrr: halves
                .iter()
                .map(|&half| self.reciprocal[half])
                .sum::<f64>()
                / count,
        }
    }

    fn finish(&self) -> SystemFigures {
        SystemFigures {
            all: self.figures(&[0, 1]),
            half_a: self.figures(&[0]),
            half_b: self.figures(&[1]),
        }
    }
}

/// Runs suggestions and the baseline on one set.
pub(crate) fn evaluate(
    suggester: &Suggester,
    baseline: &TfIdfBaseline,
    taxonomy: &Taxonomy,
    set: &DevSet,
) -> DevSetReport {
    let mut analyser = WordAnalyser::new(Lang::English);
    let (mut ours, mut theirs) = (RankTally::default(), RankTally::default());
    let mut elapsed = std::time::Duration::ZERO;
    for sentence in &set.sentences {
        let started = Instant::now();
        let suggested = suggester.suggest(taxonomy, &mut analyser, &sentence.text, MRR_CUTOFF);
        elapsed += started.elapsed();
        let ranked: Vec<SkillIdx> = match suggested {
            Ok((skills, _)) => skills
                .iter()
                .filter_map(|skill| taxonomy.skill_idx(&skill.uri))
                .collect(),
            Err(_) => Vec::new(),
        };
        ours.add(sentence.half(), &ranked, &sentence.gold);
        let ranked: Vec<SkillIdx> = baseline
            .rank(&sentence.text, MRR_CUTOFF)
            .into_iter()
            .map(|(skill, _)| skill)
            .collect();
        theirs.add(sentence.half(), &ranked, &sentence.gold);
    }
    DevSetReport {
        name: set.name.clone(),
        unresolved_labels: set.unresolved_labels,
        suggest: ours.finish(),
        baseline: theirs.finish(),
        suggest_ms_per_sentence: elapsed.as_secs_f64() * 1000.0 / set.sentences.len().max(1) as f64,
    }
}

/// The side-by-side table of `suggest eval` and the benchmark.
pub fn dev_table(reports: &[DevSetReport]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6}  {:<10}  {:>9}  {:>8}  {:>6}  {:>11}  {:>11}  {:>9}",
        "set", "system", "sentences", "RP@5", "MRR", "RP@5 half A", "RP@5 half B", "ms/sent."
    );
    for report in reports {
        for (system, figures, time) in [
            (
                "suggest",
                &report.suggest,
                format!("{:.2}", report.suggest_ms_per_sentence),
            ),
            ("tf-idf", &report.baseline, String::new()),
        ] {
            let _ = writeln!(
                out,
                "{:<6}  {:<10}  {:>9}  {:>8.4}  {:>6.4}  {:>11.4}  {:>11.4}  {:>9}",
                report.name,
                system,
                figures.all.sentences,
                figures.all.rp_at_5,
                figures.all.mrr,
                figures.half_a.rp_at_5,
                figures.half_b.rp_at_5,
                time
            );
        }
        let _ = writeln!(
            out,
            "{:<6}  {:<10}  {:>9}  {:>+8.4}  {:>+6.4}  {:>+11.4}  {:>+11.4}  ({} labels not in the release)",
            report.name,
            "difference",
            "",
            report.suggest.all.rp_at_5 - report.baseline.all.rp_at_5,
            report.suggest.all.mrr - report.baseline.all.mrr,
            report.suggest.half_a.rp_at_5 - report.baseline.half_a.rp_at_5,
            report.suggest.half_b.rp_at_5 - report.baseline.half_b.rp_at_5,
            report.unresolved_labels

        );
    }
    out
}

/// **Suggestions**: evaluation on the public labelled development sets, beside a TF-IDF baseline.
impl Engine {
    /// Evaluates English suggestions and the TF-IDF baseline on the labelled job-ad sentences
    /// of `dir` (the files of [`DEV_SET_FILES`]; see the module documentation of
    /// `suggest::devsets`).
    pub fn suggest_eval_dev_sets(&self, dir: &Path) -> Result<Vec<DevSetReport>> {
        let (taxonomy, suggester) = self.suggester(Lang::English)?;
        let mut sets = Vec::new();
        for (name, file) in DEV_SET_FILES {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path).map_err(|error| {
                Error::invalid(
                    ErrorCode::InvalidDevSet,
                    format!("{}: cannot read: {error}", path.display()),
                )
            })?;
            sets.push(parse_dev_set(
                name,
                &path.display().to_string(),
                &text,
                &taxonomy,
            )?);
        }
        let baseline = TfIdfBaseline::build(&taxonomy, Lang::English);
        Ok(sets
            .iter()
            .map(|set| evaluate(&suggester, &baseline, &taxonomy, set))
            .collect())
    }
}
