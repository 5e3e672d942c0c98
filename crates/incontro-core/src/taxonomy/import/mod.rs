//! Reading the ESCO CSV files into one [`EscoBatch`], checked and ready to write.
//!
//! Concepts are interned to the integer ids of the store: a URI already stored keeps its id, a
//! new URI gets the next free one. Every file is read (streamed) before anything is written, so
//! that problems in any file stop the whole import.

use std::io::Read;

use ahash::{AHashMap, AHashSet};
use csv::StringRecord;

use super::source::{EscoFile, FileKind};
use super::{EscoImportOptions, EscoImportReport, LabelKind, ReuseLevel, SkillType};
use crate::error::Problems;
use crate::progress::Progress;
use crate::{Error, ErrorCode, Result};

mod csv_rows;

use csv_rows::CsvRows;

/// Which table of concepts a label or description belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ConceptKind {
    /// A skill or a skill group.
    Skill,
    /// An occupation.
    Occupation,
    /// An ISCO-08 group.
    IscoGroup,
}

impl ConceptKind {
    pub(crate) fn to_db(self) -> i64 {
        match self {
            ConceptKind::Skill => 0,
            ConceptKind::Occupation => 1,
            ConceptKind::IscoGroup => 2,
        }
    }
}

/// URI → id of the concepts of one kind, and the next free id.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    ids: AHashMap<String, u32>,
    next: u32,
}

impl Interner {
    /// An interner over ids already stored.
    pub(crate) fn from_stored(ids: AHashMap<String, u32>) -> Self {
        let next = ids.values().copied().max().map_or(1, |max| max + 1);
        Interner { ids, next }
    }

    fn intern(&mut self, uri: &str) -> u32 {
        if let Some(id) = self.ids.get(uri) {
            return *id;
        }
        let id = self.next;
        self.next += 1;
        self.ids.insert(uri.to_string(), id);
        id
    }

    fn get(&self, uri: &str) -> Option<u32> {
        self.ids.get(uri).copied()
    }
}

/// The ids already in the store.
#[derive(Debug, Default)]
pub(crate) struct KnownIds {
    pub(crate) skills: Interner,
    pub(crate) occupations: Interner,
    pub(crate) isco_groups: Interner,
}

/// A skill or skill group to insert or update.
#[derive(Debug)]
pub(crate) struct SkillRow {
    pub(crate) id: u32,
    pub(crate) uri: String,
    pub(crate) is_group: bool,
    pub(crate) skill_type: Option<SkillType>,
    pub(crate) reuse_level: Option<ReuseLevel>,
    pub(crate) code: Option<String>,
}

/// An occupation to insert or update.
#[derive(Debug)]
pub(crate) struct OccupationRow {
    pub(crate) id: u32,
    pub(crate) uri: String,
    pub(crate) isco_group: String,
    pub(crate) code: String,
    /// False for an occupation only known from the occupation pillar.
    pub(crate) listed: bool,
}

/// An ISCO group to insert or update.
#[derive(Debug)]
pub(crate) struct IscoRow {
    pub(crate) id: u32,
    pub(crate) uri: String,
    pub(crate) code: String,
}

/// One (concept, language) whose labels and description are replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ConceptLanguage {
    pub(crate) kind: ConceptKind,
    pub(crate) id: u32,
    /// Index into [`EscoBatch::languages`].
    pub(crate) language: u16,
}

/// A label of a concept in one language.
#[derive(Debug)]
pub(crate) struct LabelRow {
    pub(crate) concept: ConceptLanguage,
    pub(crate) kind: LabelKind,
    pub(crate) text: String,
}

/// Everything an import writes.
#[derive(Debug, Default)]
pub(crate) struct EscoBatch {
    pub(crate) version: Option<String>,
    pub(crate) languages: Vec<String>,
    pub(crate) skills: Vec<SkillRow>,
    pub(crate) occupations: Vec<OccupationRow>,
    pub(crate) isco_groups: Vec<IscoRow>,
    /// The (concept, language) pairs whose labels and description are replaced.
    pub(crate) touched: Vec<ConceptLanguage>,
    pub(crate) labels: Vec<LabelRow>,
    pub(crate) descriptions: Vec<(ConceptLanguage, String)>,
    /// Replaces all occupation–skill relations when a file was given: (occupation, skill, essential).
    pub(crate) occupation_skills: Option<Vec<(u32, u32, bool)>>,
    /// Replaces all broader relations when a file was given: (skill, broader).
    pub(crate) broader: Option<Vec<(u32, u32)>>,
    /// Replaces all skill–skill relations when a file was given: (skill, related, essential).
    pub(crate) skill_relations: Option<Vec<(u32, u32, bool)>>,
}

impl EscoBatch {
    /// How many rows the write phase handles (for progress).
    pub(crate) fn write_units(&self) -> u64 {
        (self.skills.len()
            + self.occupations.len()
            + self.isco_groups.len()
            + self.touched.len()
            + self.labels.len()
            + self.descriptions.len()
            + self.occupation_skills.as_ref().map_or(0, Vec::len)
            + self.broader.as_ref().map_or(0, Vec::len)
            + self.skill_relations.as_ref().map_or(0, Vec::len)) as u64
    }
}

/// The batch to write and the report so far.
#[derive(Debug)]
pub(crate) struct ReadOutcome {
    pub(crate) batch: EscoBatch,
    pub(crate) report: EscoImportReport,
}

/// Reads every file; fails with all problems found unless `skip_invalid`.
pub(crate) fn read_all(
    files: &[EscoFile],
    known: KnownIds,
    options: &EscoImportOptions,
    progress: &dyn Progress,
) -> Result<ReadOutcome> {
    let mut reader = BatchReader {
        known,
        batch: EscoBatch::default(),
        report: EscoImportReport {
            version: None,
            languages: Vec::new(),
            skills: 0,
            skill_groups: 0,
            occupations: 0,
            isco_groups: 0,
            occupation_skill_relations: 0,
            broader_relations: 0,
            skill_skill_relations: 0,
            skipped: Vec::new(),
            elapsed: std::time::Duration::ZERO,
        },
        problems: Problems::default(),
        touched: AHashSet::new(),
    };
    reader.batch.version = single_version(files)?;
    for file in files {
        reader.read_file(file, progress)?;
    }
    let BatchReader {
        batch,
        mut report,
        problems,
        ..
    } = reader;
    if !problems.is_empty() {
        if !options.skip_invalid {
            return Err(Error::InvalidInput {
                problems: problems.list,
            });
        }
        report.skipped = problems.list;
    }
    report.version = batch.version.clone();
    report.languages = batch.languages.clone();
    Ok(ReadOutcome { batch, report })
}

fn single_version(files: &[EscoFile]) -> Result<Option<String>> {
    let mut versions: Vec<&str> = files
        .iter()
        .filter_map(|file| file.version.as_deref())
        .collect();
    versions.sort_unstable();
    versions.dedup();
    match versions.as_slice() {
        [] => Ok(None),
        [version] => Ok(Some((*version).to_string())),
        several => Err(Error::invalid(
            ErrorCode::EscoVersionMismatch,
            format!("sources of different esco versions: {}", several.join(", ")),
        )),
    }
}

struct BatchReader {
    known: KnownIds,
    batch: EscoBatch,
    report: EscoImportReport,
    problems: Problems,
    touched: AHashSet<ConceptLanguage>,
}

/// Splits a multi-line label cell (one label per line; ` | ` in some collection files).
fn split_labels(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(['\n', '|'])
        .map(str::trim)
        .filter(|label| !label.is_empty())
}

fn check_uri(uri: &str) -> std::result::Result<(), String> {
    if uri.is_empty() {
        return Err("empty uri".to_string());
    }
    if !(uri.starts_with("http://") || uri.starts_with("https://"))
        || uri.contains(char::is_whitespace)
    {
        return Err(format!("not a uri: {uri:?}"));
    }
    Ok(())
}

impl BatchReader {
    fn language_index(&mut self, language: &str) -> u16 {
        if let Some(index) = self
            .batch
            .languages
            .iter()
            .position(|known| known == language)
        {
            return index as u16;
        }
        self.batch.languages.push(language.to_string());
        (self.batch.languages.len() - 1) as u16
    }

    fn read_file(&mut self, file: &EscoFile, progress: &dyn Progress) -> Result<()> {
        progress.start(
            &format!("reading {}", short_name(&file.display)),
            Some(file.size),
        );
        let language = file
            .language
            .as_deref()
            .map(|language| self.language_index(language));
        let result = file.with_reader(|stream| match (file.kind, language) {
            (FileKind::BroaderSkills, _) => self.read_broader(file, stream, progress),
            (FileKind::BroaderOccupations, _) => {
                self.read_occupation_pillar(file, stream, progress)
            }
            (FileKind::SkillSkillRelations, _) => self.read_skill_relations(file, stream, progress),
            (FileKind::OccupationSkillRelations, _) => {
                self.read_occupation_skills(file, stream, progress)
            }
            (FileKind::SkillsHierarchy, Some(language)) => {
                self.read_hierarchy(file, stream, language, progress)
            }
            (kind, Some(language)) => self.read_concepts(file, kind, stream, language, progress),
            (_, None) => Ok(()),
        });
        progress.finish();
        result
    }

    /// Records a concept's labels and description in one language, unless this import already
    /// did for that (concept, language): the first file wins, nothing is duplicated.
    fn add_texts(
        &mut self,
        concept: ConceptLanguage,
        preferred: &str,
        alternative: &str,
        hidden: &str,
        description: &str,
    ) -> bool {
        if !self.touched.insert(concept) {
            return false;
        }
        self.batch.touched.push(concept);
        if !preferred.is_empty() {
            self.batch.labels.push(LabelRow {
                concept,
                kind: LabelKind::Preferred,
                text: preferred.to_string(),
            });
        }
        for (cell, kind) in [
            (alternative, LabelKind::Alternative),
            (hidden, LabelKind::Hidden),
        ] {
            for label in split_labels(cell) {
                self.batch.labels.push(LabelRow {
                    concept,
                    kind,
                    text: label.to_string(),
                });
            }
        }
        if !description.is_empty() {
            self.batch
                .descriptions
                .push((concept, description.to_string()));
        }
        true
    }

    fn read_concepts(
        &mut self,
        file: &EscoFile,
        kind: FileKind,
        stream: &mut dyn Read,
        language: u16,
        progress: &dyn Progress,
    ) -> Result<()> {
        const COMMON: [&str; 2] = ["conceptUri", "preferredLabel"];
        const TEXTS: [&str; 3] = ["altLabels", "hiddenLabels", "description"];
        let (required, optional): (&[&str], Vec<&str>) = match kind {
            FileKind::Skills => (
                &COMMON[..],
                [&TEXTS[..], &["skillType", "reuseLevel"][..]].concat(),
            ),
            FileKind::SkillGroups => (&COMMON[..], [&TEXTS[..], &["code"][..]].concat()),
            FileKind::Occupations => (
                &["conceptUri", "preferredLabel", "iscoGroup"][..],
                [&TEXTS[..], &["code"][..]].concat(),
            ),
            _ => (
                &["conceptUri", "preferredLabel", "code"][..],
                TEXTS.to_vec(),
            ),
        };
        let mut rows = CsvRows::open(file, stream, required, &optional, progress)?;
        // Map our column numbers onto the order CsvRows uses (required, then optional).
        let position_of = |name: &str| -> usize {
            required
                .iter()
                .chain(optional.iter())
                .position(|known| *known == name)
                .unwrap_or(usize::MAX)
        };
        let uri_column = position_of("conceptUri");
        let preferred_column = position_of("preferredLabel");
        let alternative_column = position_of("altLabels");
        let hidden_column = position_of("hiddenLabels");
        let description_column = position_of("description");
        while rows.next(&mut self.problems)? {
            let line = rows.line();
            let uri = rows.get(uri_column);
            if let Err(message) = check_uri(uri) {
                self.problems
                    .push(&file.display, line, Some("conceptUri"), message);
                continue;
            }
            let (concept_kind, id) = match kind {
                FileKind::Skills | FileKind::SkillGroups => {
                    let id = self.known.skills.intern(uri);
                    let is_group = kind == FileKind::SkillGroups;
                    let (skill_type, reuse_level, code) = if is_group {
                        (None, None, non_empty(rows.get(position_of("code"))))
                    } else {
                        (
                            SkillType::parse(rows.get(position_of("skillType"))),
                            ReuseLevel::parse(rows.get(position_of("reuseLevel"))),
                            None,
                        )
                    };
                    self.batch.skills.push(SkillRow {
                        id,
                        uri: uri.to_string(),
                        is_group,
                        skill_type,
                        reuse_level,
                        code,
                    });
                    if is_group {
                        self.report.skill_groups += 1;
                    } else {
                        self.report.skills += 1;
                    }
                    (ConceptKind::Skill, id)
                }
                FileKind::Occupations => {
                    let isco_group = rows.get(position_of("iscoGroup"));
                    if isco_group.len() != 4 || !isco_group.bytes().all(|b| b.is_ascii_digit()) {
                        self.problems.push(
                            &file.display,
                            line,
                            Some("iscoGroup"),
                            format!("not a 4-digit isco-08 group: {isco_group:?}"),
                        );
                        continue;
                    }
                    let id = self.known.occupations.intern(uri);
                    self.batch.occupations.push(OccupationRow {
                        id,
                        uri: uri.to_string(),
                        isco_group: isco_group.to_string(),
                        code: rows.get(position_of("code")).to_string(),
                        listed: true,
                    });
                    self.report.occupations += 1;
                    (ConceptKind::Occupation, id)
                }
                _ => {
                    let code = rows.get(position_of("code"));
                    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                        self.problems.push(
                            &file.display,
                            line,
                            Some("code"),
                            format!("not an isco-08 code: {code:?}"),
                        );
                        continue;
                    }
                    let id = self.known.isco_groups.intern(uri);
                    self.batch.isco_groups.push(IscoRow {
                        id,
                        uri: uri.to_string(),
                        code: code.to_string(),
                    });
                    self.report.isco_groups += 1;
                    (ConceptKind::IscoGroup, id)
                }
            };
            self.add_texts(
                ConceptLanguage {
                    kind: concept_kind,
                    id,
                    language,
                },
                rows.get(preferred_column),
                rows.get(alternative_column),
                rows.get(hidden_column),
                rows.get(description_column),
            );
        }
        Ok(())
    }

    /// The skills hierarchy names skill groups level by level; it defines the groups that no
    /// skill groups file of the same language defined (a few in v1.1.1).
    fn read_hierarchy(
        &mut self,
        file: &EscoFile,
        stream: &mut dyn Read,
        language: u16,
        progress: &dyn Progress,
    ) -> Result<()> {
        const LEVELS: [(&str, &str, &str); 4] = [
            ("Level 0 URI", "Level 0 preferred term", "Level 0 code"),
            ("Level 1 URI", "Level 1 preferred term", "Level 1 code"),
            ("Level 2 URI", "Level 2 preferred term", "Level 2 code"),
            ("Level 3 URI", "Level 3 preferred term", "Level 3 code"),
        ];
        let required = ["Level 0 URI", "Level 0 preferred term"];
        let optional = [
            "Level 0 code",
            "Level 1 URI",
            "Level 1 preferred term",
            "Level 1 code",
            "Level 2 URI",
            "Level 2 preferred term",
            "Level 2 code",
            "Level 3 URI",
            "Level 3 preferred term",
            "Level 3 code",
        ];
        let position_of = |name: &str| -> usize {
            required
                .iter()
                .chain(optional.iter())
                .position(|known| *known == name)
                .unwrap_or(usize::MAX)
        };
        let mut rows = CsvRows::open(file, stream, &required, &optional, progress)?;
        // Rows of the hierarchy stop after their deepest level: fewer fields than the header.
        rows.allow_short_rows();
        while rows.next(&mut self.problems)? {
            let line = rows.line();
            for (uri_name, label_name, code_name) in LEVELS {
                let uri = rows.get(position_of(uri_name));
                if uri.is_empty() {
                    continue;
                }
                if let Err(message) = check_uri(uri) {
                    self.problems
                        .push(&file.display, line, Some(uri_name), message);
                    continue;
                }
                let id = self.known.skills.intern(uri);
                let concept = ConceptLanguage {
                    kind: ConceptKind::Skill,
                    id,
                    language,
                };
                if self.touched.contains(&concept) {
                    continue;
                }
                self.batch.skills.push(SkillRow {
                    id,
                    uri: uri.to_string(),
                    is_group: true,
                    skill_type: None,
                    reuse_level: None,
                    code: non_empty(rows.get(position_of(code_name))),
                });
                self.report.skill_groups += 1;
                self.add_texts(concept, rows.get(position_of(label_name)), "", "", "");
            }
        }
        Ok(())
    }

    /// Looks up a skill (or skill group) URI, reporting it when unknown.
    fn known_skill(&mut self, file: &EscoFile, line: u64, field: &str, uri: &str) -> Option<u32> {
        let found = self.known.skills.get(uri);
        if found.is_none() {
            self.problems.push(
                &file.display,
                line,
                Some(field),
                format!("unknown skill uri {uri:?}"),
            );
        }
        found
    }

    fn relation_type(&mut self, file: &EscoFile, line: u64, value: &str) -> Option<bool> {
        match value {
            "essential" => Some(true),
            "optional" => Some(false),
            other => {
                self.problems.push(
                    &file.display,
                    line,
                    Some("relationType"),
                    format!("expected essential or optional, got {other:?}"),
                );
                None
            }
        }
    }

    fn read_broader(
        &mut self,
        file: &EscoFile,
        stream: &mut dyn Read,
        progress: &dyn Progress,
    ) -> Result<()> {
        let mut rows = CsvRows::open(file, stream, &["conceptUri", "broaderUri"], &[], progress)?;
        let mut relations = self.batch.broader.take().unwrap_or_default();
        while rows.next(&mut self.problems)? {
            let line = rows.line();
            let narrower = self.known_skill(file, line, "conceptUri", rows.get(0));
            let broader = self.known_skill(file, line, "broaderUri", rows.get(1));
            if let (Some(narrower), Some(broader)) = (narrower, broader) {
                relations.push((narrower, broader));
                self.report.broader_relations += 1;
            }
        }
        self.batch.broader = Some(relations);
        Ok(())
    }

    /// The occupation pillar makes known the occupations that no occupations file lists but
    /// that relations point to (67 relations of v1.1.1); they are kept as unlisted occupations.
    fn read_occupation_pillar(
        &mut self,
        file: &EscoFile,
        stream: &mut dyn Read,
        progress: &dyn Progress,
    ) -> Result<()> {
        let mut rows = CsvRows::open(
            file,
            stream,
            &["conceptType", "conceptUri", "broaderType", "broaderUri"],
            &[],
            progress,
        )?;
        while rows.next(&mut self.problems)? {
            let uri = rows.get(1);
            if rows.get(0) != "Occupation" || self.known.occupations.get(uri).is_some() {
                continue;
            }
            if let Err(message) = check_uri(uri) {
                self.problems
                    .push(&file.display, rows.line(), Some("conceptUri"), message);
                continue;
            }
            let isco_group = if rows.get(2) == "ISCOGroup" {
                let broader = rows.get(3);
                broader
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches('C')
                    .to_string()
            } else {
                String::new()
            };
            let id = self.known.occupations.intern(uri);
            self.batch.occupations.push(OccupationRow {
                id,
                uri: uri.to_string(),
                isco_group,
                code: String::new(),
                listed: false,
            });
        }
        Ok(())
    }

    fn read_skill_relations(
        &mut self,
        file: &EscoFile,
        stream: &mut dyn Read,
        progress: &dyn Progress,
    ) -> Result<()> {
        let mut rows = CsvRows::open(
            file,
            stream,
            &["originalSkillUri", "relationType", "relatedSkillUri"],
            &[],
            progress,
        )?;
        let mut relations = self.batch.skill_relations.take().unwrap_or_default();
        while rows.next(&mut self.problems)? {
            let line = rows.line();
            let original = self.known_skill(file, line, "originalSkillUri", rows.get(0));
            let essential = self.relation_type(file, line, rows.get(1));
            let related = self.known_skill(file, line, "relatedSkillUri", rows.get(2));
            if let (Some(original), Some(essential), Some(related)) = (original, essential, related)
            {
                relations.push((original, related, essential));
                self.report.skill_skill_relations += 1;
            }
        }
        self.batch.skill_relations = Some(relations);
        Ok(())
    }

    fn read_occupation_skills(
        &mut self,
        file: &EscoFile,
        stream: &mut dyn Read,
        progress: &dyn Progress,
    ) -> Result<()> {
        let mut rows = CsvRows::open(
            file,
            stream,
            &["occupationUri", "relationType", "skillUri"],
            &[],
            progress,
        )?;
        let mut relations = self.batch.occupation_skills.take().unwrap_or_default();
        while rows.next(&mut self.problems)? {
            let line = rows.line();
            let occupation_uri = rows.get(0);
            let occupation = self.known.occupations.get(occupation_uri);
            if occupation.is_none() {
                self.problems.push(
                    &file.display,
                    line,
                    Some("occupationUri"),
                    format!("unknown occupation uri {occupation_uri:?}"),
                );
            }
            let essential = self.relation_type(file, line, rows.get(1));
            let skill = self.known_skill(file, line, "skillUri", rows.get(2));
            if let (Some(occupation), Some(essential), Some(skill)) = (occupation, essential, skill)
            {
                relations.push((occupation, skill, essential));
                self.report.occupation_skill_relations += 1;
            }
        }
        self.batch.occupation_skills = Some(relations);
        Ok(())
    }
}

fn non_empty(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// The file name inside a zip, for the progress bar.
fn short_name(display: &str) -> &str {
    display.rsplit('/').next().unwrap_or(display)
}
