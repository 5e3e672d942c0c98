//! The ESCO taxonomy: skills, skill groups, occupations, ISCO groups, their labels per language,
//! the skill hierarchy and the relations between them.
//!
//! What it does: imports the official ESCO CSV release exactly as users download it (the zip
//! files, or an extracted folder; v1.1.x and v1.2.x file names; any number of languages merged
//! onto the same concepts) into the store, and serves an in-memory [`Taxonomy`] graph in which
//! skills and occupations are interned as dense `u32` indexes.
//!
//! What it does NOT do: text search over labels (see `index`), or any scoring.
//!
//! Re-importing the same or a newer release, or another language, updates the concepts in place:
//! concepts are keyed by URI, the labels and descriptions of each imported (concept, language)
//! pair are replaced, and each relations file present replaces its relation set.

pub(crate) mod sql;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::InputProblem;
use crate::progress::Progress;
use crate::{Engine, ErrorCode, Result};

pub(crate) mod graph;
pub(crate) mod import;
pub(crate) mod source;
mod views;

pub use graph::{OccupationIdx, SkillIdx, Taxonomy};
pub use views::{
    ConceptRef, LabelView, OccupationDetail, OccupationHit, SkillDetail, SkillHierarchy,
};

/// Whether a skill is knowledge or a skill/competence (ESCO `skillType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillType {
    /// Knowledge ("knowledge").
    Knowledge,
    /// Skill or competence ("skill/competence").
    SkillCompetence,
}

impl SkillType {
    /// Parses the ESCO value; `None` for an empty or unknown value.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "knowledge" | "conoscenza" => Some(SkillType::Knowledge),
            "skill/competence" | "skill" | "competence" | "abilità/competenza" => {
                Some(SkillType::SkillCompetence)
            }
            _ => None,
        }
    }

    /// The ESCO spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SkillType::Knowledge => "knowledge",
            SkillType::SkillCompetence => "skill/competence",
        }
    }
}

/// How widely a skill applies (ESCO `reuseLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReuseLevel {
    /// Relevant to a broad range of occupations and sectors.
    Transversal,
    /// Relevant to occupations across several sectors.
    CrossSector,
    /// Specific to one sector.
    SectorSpecific,
    /// Specific to one or few occupations.
    OccupationSpecific,
    /// Not stated in the release.
    Unknown,
}

impl ReuseLevel {
    /// Parses the ESCO value; `None` for an empty or unknown value.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "transversal" => Some(ReuseLevel::Transversal),
            "cross-sector" => Some(ReuseLevel::CrossSector),
            "sector-specific" => Some(ReuseLevel::SectorSpecific),
            "occupation-specific" => Some(ReuseLevel::OccupationSpecific),
            _ => None,
        }
    }

    /// The ESCO spelling (`unknown` for [`ReuseLevel::Unknown`]).
    pub fn as_str(self) -> &'static str {
        match self {
            ReuseLevel::Transversal => "transversal",
            ReuseLevel::CrossSector => "cross-sector",
            ReuseLevel::SectorSpecific => "sector-specific",
            ReuseLevel::OccupationSpecific => "occupation-specific",
            ReuseLevel::Unknown => "unknown",
        }
    }
}

/// The kind of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelKind {
    /// The preferred term (one per concept and language).
    Preferred,
    /// An alternative term.
    Alternative,
    /// A hidden term (misspellings, outdated terms: searchable, never displayed).
    Hidden,
}

impl LabelKind {
    pub(crate) fn to_db(self) -> i64 {
        match self {
            LabelKind::Preferred => 0,
            LabelKind::Alternative => 1,
            LabelKind::Hidden => 2,
        }
    }

    pub(crate) fn from_db(value: i64) -> Option<Self> {
        match value {
            0 => Some(LabelKind::Preferred),
            1 => Some(LabelKind::Alternative),
            2 => Some(LabelKind::Hidden),
            _ => None,
        }
    }
}

/// Options of [`Engine::import_esco`].
#[derive(Debug, Clone, Default)]
pub struct EscoImportOptions {
    /// Import the valid rows and report the invalid ones as skipped, instead of importing nothing.
    pub skip_invalid: bool,
    /// Merge into the stored taxonomy instead of replacing what the files cover: relation rows
    /// are added (a relation file no longer replaces its table) and labels and descriptions
    /// are written only for the concepts and languages that have none yet. `import demo` uses
    /// it on a store that already holds a taxonomy, so that the demo's subset never replaces
    /// the official release's relations or labels. See: issue 14
    pub merge: bool,
}

/// What an ESCO import did.
#[derive(Debug, Clone, Serialize)]
pub struct EscoImportReport {
    /// The ESCO version found in the zip or folder names (e.g. `v1.1.1`), if any.
    pub version: Option<String>,
    /// The languages whose files were imported (e.g. `en`, `it`).
    pub languages: Vec<String>,
    /// Skill rows read (all languages).
    pub skills: u64,
    /// Skill group rows read (all languages, including groups only named in the hierarchy).
    pub skill_groups: u64,
    /// Occupation rows read (all languages).
    pub occupations: u64,
    /// ISCO group rows read (all languages).
    pub isco_groups: u64,
    /// Occupation–skill relations read.
    pub occupation_skill_relations: u64,
    /// Broader relations (skill hierarchy) read.
    pub broader_relations: u64,
    /// Skill–skill relations read.
    pub skill_skill_relations: u64,
    /// Rows left out because of a problem (only with `skip_invalid`).
    pub skipped: Vec<InputProblem>,
    /// Wall-clock duration of the import.
    pub elapsed: Duration,
}

/// Counts of what the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxonomyStats {
    /// The ESCO version last imported, if known.
    pub version: Option<String>,
    /// Languages with labels.
    pub languages: Vec<String>,
    /// Skills (knowledge and skill/competence concepts, not groups).
    pub skills: u64,
    /// Skill groups.
    pub skill_groups: u64,
    /// Occupations.
    pub occupations: u64,
    /// ISCO groups.
    pub isco_groups: u64,
    /// Occupation–skill relations.
    pub occupation_skill_relations: u64,
    /// Broader relations of the skill hierarchy.
    pub broader_relations: u64,
    /// Skill–skill relations.
    pub skill_skill_relations: u64,
}

/// The engine's in-memory copy of the taxonomy, loaded on first use and dropped after an import.
#[derive(Debug, Default)]
pub struct TaxonomyCache(Mutex<Option<CachedTaxonomy>>);

/// The loaded taxonomy, with the import generation it was loaded at and the data revision at
/// which that was last checked (replicas on a shared database).
#[derive(Debug)]
struct CachedTaxonomy {
    taxonomy: Arc<Taxonomy>,
    generation: i64,
    checked_at_revision: i64,
}

impl TaxonomyCache {
    fn clear(&self) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

/// **Taxonomy**: importing ESCO releases (English, Italian) and reading concepts.
impl Engine {
    /// Imports ESCO CSV files from zip files or folders (see the module documentation).
    ///
    /// All files are read and checked before anything is written; the write is one transaction.
    /// With problems and without `skip_invalid`, nothing is imported and the error lists them.
    pub fn import_esco(
        &self,
        sources: &[PathBuf],
        options: &EscoImportOptions,
        progress: &dyn Progress,
    ) -> Result<EscoImportReport> {
        let started = Instant::now();
        let files = source::discover(sources)?;
        self.import_esco_files(files, started, options, progress)
    }

    /// [`Engine::import_esco`] from one release zip read from `reader` (a web upload, an entry
    /// of another archive), named `name` in problems; the zip is held in memory (at most 1 GiB).
    pub fn import_esco_zip_from(
        &self,
        name: &str,
        reader: impl std::io::Read,
        options: &EscoImportOptions,
        progress: &dyn Progress,
    ) -> Result<EscoImportReport> {
        let started = Instant::now();
        let files = source::discover_zip_bytes(name, reader)?;
        self.import_esco_files(files, started, options, progress)
    }

    fn import_esco_files(
        &self,
        files: Vec<source::EscoFile>,
        started: Instant,
        options: &EscoImportOptions,
        progress: &dyn Progress,
    ) -> Result<EscoImportReport> {
        let known = self.store().read(crate::taxonomy::sql::known_ids)?;
        let outcome = import::read_all(&files, known, options, progress)?;
        let mut report = outcome.report;
        self.store().write(|transaction| {
            crate::taxonomy::sql::write_batch(
                transaction,
                &outcome.batch,
                options.merge,
                progress,
            )?;
            // Other replicas of a shared database see the new generation with the revision and
            // load the taxonomy again (docs/deploy.md).
            crate::taxonomy::sql::bump_generation(transaction)?;
            crate::records::sql::bump_revision(
                transaction,
                &[crate::records::sql::Change::Everything],
            )?;
            Ok(())
        })?;
        self.taxonomy.clear();
        report.elapsed = started.elapsed();
        tracing::info!(
            skills = report.skills,
            occupations = report.occupations,
            relations = report.occupation_skill_relations,
            elapsed_ms = report.elapsed.as_millis() as u64,
            "esco import finished"
        );
        Ok(report)
    }

    /// The in-memory taxonomy graph, loaded from the store on first use and after each import.
    /// On a shared database, when the data revision moved, the import generation is read again:
    /// an ESCO import through another replica is followed without a restart.
    pub fn taxonomy(&self) -> Result<Arc<Taxonomy>> {
        let revision = if self.is_shared_database() {
            Some(self.data_revision()?)
        } else {
            None
        };
        let mut cached = self
            .taxonomy
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(entry) = cached.as_mut() {
            match revision {
                Some(revision) if revision != entry.checked_at_revision => {
                    let generation = self.store().read_only(crate::taxonomy::sql::generation)?;
                    if generation == entry.generation {
                        entry.checked_at_revision = revision;
                        return Ok(Arc::clone(&entry.taxonomy));
                    }
                }
                _ => return Ok(Arc::clone(&entry.taxonomy)),
            }
        }
        let (generation, rows) = self.store().read_only(|db| {
            Ok((
                crate::taxonomy::sql::generation(db)?,
                crate::taxonomy::sql::load_rows(db)?,
            ))
        })?;
        let taxonomy = Arc::new(Taxonomy::from_rows(rows));
        *cached = Some(CachedTaxonomy {
            taxonomy: Arc::clone(&taxonomy),
            generation,
            checked_at_revision: revision.unwrap_or(0),
        });
        Ok(taxonomy)
    }

    /// Counts of the taxonomy in the store.
    pub fn taxonomy_stats(&self) -> Result<TaxonomyStats> {
        self.store().read(crate::taxonomy::sql::stats)
    }

    /// A label language is one the explanations are written in (`it`, `en`) or one whose
    /// labels were imported; anything else (`xx`) is `unknown_language`. See: issue 19.
    pub fn check_language(&self, language: &str) -> Result<()> {
        if matches!(language, "it" | "en") {
            return Ok(());
        }
        let languages = self.taxonomy_stats()?.languages;
        if languages.iter().any(|known| known == language) {
            Ok(())
        } else {
            Err(crate::Error::invalid(
                ErrorCode::UnknownLanguage,
                format!(
                    "no labels in language {language:?}: use it, en or an imported language ({})",
                    languages.join(", ")
                ),
            ))
        }
    }
}
