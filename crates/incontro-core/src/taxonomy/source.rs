//! Finding the ESCO CSV files in zip files and folders, and telling what each one is.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{Error, ErrorCode, Result};

/// The kinds of ESCO CSV file the importer reads; other files of the release are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FileKind {
    IscoGroups,
    SkillGroups,
    SkillsHierarchy,
    Skills,
    Occupations,
    BroaderOccupations,
    BroaderSkills,
    SkillSkillRelations,
    OccupationSkillRelations,
}

impl FileKind {
    /// Recognises a file by its name without extension and optional `_xx` language suffix.
    fn from_stem(stem: &str) -> Option<Self> {
        match stem {
            "ISCOGroups" => Some(FileKind::IscoGroups),
            "skillGroups" => Some(FileKind::SkillGroups),
            "skillsHierarchy" => Some(FileKind::SkillsHierarchy),
            "skills" => Some(FileKind::Skills),
            "occupations" => Some(FileKind::Occupations),
            "broaderRelationsSkillPillar" => Some(FileKind::BroaderSkills),
            "broaderRelationsOccPillar" => Some(FileKind::BroaderOccupations),
            "skillSkillRelations" => Some(FileKind::SkillSkillRelations),
            "occupationSkillRelations" => Some(FileKind::OccupationSkillRelations),
            _ => None,
        }
    }

    /// True for the relation files, which carry no language.
    pub(crate) fn is_relation(self) -> bool {
        matches!(
            self,
            FileKind::BroaderSkills
                | FileKind::BroaderOccupations
                | FileKind::SkillSkillRelations
                | FileKind::OccupationSkillRelations
        )
    }
}

/// Where a CSV file is.
#[derive(Debug, Clone)]
enum Location {
    Plain(PathBuf),
    InZip {
        zip: PathBuf,
        index: usize,
    },
    /// An entry of a zip held in memory (a web upload, a zip read from another archive).
    InMemoryZip {
        name: String,
        bytes: Arc<[u8]>,
        index: usize,
    },
}

/// One ESCO CSV file found in the sources.
#[derive(Debug, Clone)]
pub(crate) struct EscoFile {
    pub(crate) kind: FileKind,
    /// The language of a concept file (`en`, `it`…); `None` for relation files.
    pub(crate) language: Option<String>,
    /// The version read from the zip or folder name (e.g. `v1.1.1`).
    pub(crate) version: Option<String>,
    /// The name shown in problems: the file name, prefixed by the zip name when inside one.
    pub(crate) display: String,
    /// Uncompressed size in bytes, for progress.
    pub(crate) size: u64,
    location: Location,
}

impl EscoFile {
    /// Streams the file's bytes to `work` (decompressing on the fly when inside a zip).
    pub(crate) fn with_reader<T>(
        &self,
        work: impl FnOnce(&mut dyn Read) -> Result<T>,
    ) -> Result<T> {
        match &self.location {
            Location::Plain(path) => {
                let file = File::open(path).map_err(|source| Error::io(path, source))?;
                let mut reader = BufReader::with_capacity(1 << 16, file);
                work(&mut reader)
            }
            Location::InZip { zip, index } => {
                let file = File::open(zip).map_err(|source| Error::io(zip, source))?;
                let mut archive = zip::ZipArchive::new(BufReader::with_capacity(1 << 16, file))
                    .map_err(|error| bad_zip(zip, error))?;
                let mut entry = archive
                    .by_index(*index)
                    .map_err(|error| bad_zip(zip, error))?;
                work(&mut entry)
            }
            Location::InMemoryZip { name, bytes, index } => {
                let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..]))
                    .map_err(|error| bad_zip(Path::new(name), error))?;
                let mut entry = archive
                    .by_index(*index)
                    .map_err(|error| bad_zip(Path::new(name), error))?;
                work(&mut entry)
            }
        }
    }
}

fn bad_zip(zip: &Path, error: zip::result::ZipError) -> Error {
    Error::invalid(
        ErrorCode::EscoBadZip,
        format!("{}: not a readable zip file: {error}", zip.display()),
    )
}

/// The largest ESCO zip read into memory from a reader (the official v1.1.1 zips are 20–90 MB).
pub(crate) const MAX_ZIP_BYTES: u64 = 1 << 30;

/// Finds the ESCO files in a zip read from `reader` (named `name` in problems), held in memory.
pub(crate) fn discover_zip_bytes(name: &str, reader: impl Read) -> Result<Vec<EscoFile>> {
    let bytes = crate::input::read_bounded(name, reader, MAX_ZIP_BYTES, "an ESCO zip")?;
    let bytes: Arc<[u8]> = bytes.into();
    let mut files = Vec::new();
    let shared = Arc::clone(&bytes);
    discover_archive(name, Cursor::new(&bytes[..]), &mut files, |index| {
        Location::InMemoryZip {
            name: name.to_string(),
            bytes: Arc::clone(&shared),
            index,
        }
    })?;
    if files.is_empty() {
        return Err(Error::invalid(
            ErrorCode::EscoFilesNotFound,
            format!(
                "no esco csv file (skills_xx.csv, occupations_xx.csv, occupationSkillRelations.csv…) in {name}"
            ),
        ));
    }
    files.sort_by_key(|file| file.kind);
    Ok(files)
}

/// Finds the ESCO files in the given zip files and folders (a folder may also hold the zips).
pub(crate) fn discover(sources: &[PathBuf]) -> Result<Vec<EscoFile>> {
    if sources.is_empty() {
        return Err(Error::invalid(
            ErrorCode::EscoNoSource,
            "no esco zip file or folder given",
        ));
    }
    let mut files = Vec::new();
    for source in sources {
        if !source.exists() {
            return Err(Error::not_found(
                ErrorCode::EscoSourceNotFound,
                "esco source",
                source.display().to_string(),
            ));
        }
        if source.is_dir() {
            discover_folder(source, &mut files)?;
        } else {
            discover_zip(source, &mut files)?;
        }
    }
    if files.is_empty() {
        return Err(Error::invalid(
            ErrorCode::EscoFilesNotFound,
            format!(
                "no esco csv file (skills_xx.csv, occupations_xx.csv, occupationSkillRelations.csv…) in {}",
                sources
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    files.sort_by_key(|file| file.kind);
    Ok(files)
}

fn discover_folder(folder: &Path, files: &mut Vec<EscoFile>) -> Result<()> {
    let version = detect_version(&file_name(folder));
    let entries = std::fs::read_dir(folder).map_err(|source| Error::io(folder, source))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::io(folder, source))?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        let name = file_name(&path);
        if name.to_ascii_lowercase().ends_with(".zip") && path.is_file() {
            discover_zip(&path, files)?;
            continue;
        }
        let Some((kind, language)) = classify(&name) else {
            continue;
        };
        let size = std::fs::metadata(&path)
            .map_err(|source| Error::io(&path, source))?
            .len();
        files.push(EscoFile {
            kind,
            language,
            version: version.clone(),
            display: name,
            size,
            location: Location::Plain(path),
        });
    }
    Ok(())
}

fn discover_zip(zip: &Path, files: &mut Vec<EscoFile>) -> Result<()> {
    let file = File::open(zip).map_err(|source| Error::io(zip, source))?;
    discover_archive(&file_name(zip), BufReader::new(file), files, |index| {
        Location::InZip {
            zip: zip.to_path_buf(),
            index,
        }
    })
}

/// Lists the ESCO files of one zip archive named `zip_name`, each located by `locate(index)`.
fn discover_archive(
    zip_name: &str,
    reader: impl Read + Seek,
    files: &mut Vec<EscoFile>,
    locate: impl Fn(usize) -> Location,
) -> Result<()> {
    let version = detect_version(zip_name);
    let bad = |error| bad_zip(Path::new(zip_name), error);
    let mut archive = zip::ZipArchive::new(reader).map_err(bad)?;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(bad)?;
        if entry.is_dir() {
            continue;
        }
        let entry_path = entry.name().map_err(bad)?.to_string();
        let name = entry_path
            .rsplit('/')
            .next()
            .unwrap_or(&entry_path)
            .to_string();
        let Some((kind, language)) = classify(&name) else {
            continue;
        };
        files.push(EscoFile {
            kind,
            language,
            version: version.clone(),
            display: format!("{zip_name}/{entry_path}"),
            size: entry.size(),
            location: locate(index),
        });
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Tells the kind and language of a file from its name: `skills_it.csv` → (Skills, "it"),
/// `occupationSkillRelations.csv` or `occupationSkillRelations_en.csv` → (relations, None).
pub(crate) fn classify(name: &str) -> Option<(FileKind, Option<String>)> {
    let stem = name.strip_suffix(".csv")?;
    let (base, language) = match stem.rsplit_once('_') {
        Some((base, suffix))
            if (2..=3).contains(&suffix.len())
                && suffix.bytes().all(|byte| byte.is_ascii_lowercase()) =>
        {
            (base, Some(suffix.to_string()))
        }
        _ => (stem, None),
    };
    let kind = FileKind::from_stem(base)?;
    if kind.is_relation() {
        return Some((kind, None));
    }
    // A concept file without a language suffix is taken as English.
    Some((kind, Some(language.unwrap_or_else(|| "en".to_string()))))
}

/// Finds a version like `v1.1.1` or `v1.2.0` in a zip or folder name.
pub(crate) fn detect_version(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    for (start, byte) in bytes.iter().enumerate() {
        if *byte != b'v' && *byte != b'V' {
            continue;
        }
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let rest = &name[start + 1..];
        let length = rest
            .bytes()
            .take_while(|byte| byte.is_ascii_digit() || *byte == b'.')
            .count();
        let candidate = rest[..length].trim_end_matches('.');
        let parts: Vec<&str> = candidate.split('.').collect();
        if parts.len() >= 2 && parts.iter().all(|part| !part.is_empty()) {
            return Some(format!("v{candidate}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_v11_and_v12_names() {
        assert_eq!(
            classify("skills_it.csv"),
            Some((FileKind::Skills, Some("it".into())))
        );
        assert_eq!(
            classify("ISCOGroups_en.csv"),
            Some((FileKind::IscoGroups, Some("en".into())))
        );
        assert_eq!(
            classify("broaderRelationsSkillPillar.csv"),
            Some((FileKind::BroaderSkills, None))
        );
        assert_eq!(
            classify("broaderRelationsSkillPillar_en.csv"),
            Some((FileKind::BroaderSkills, None))
        );
        assert_eq!(
            classify("occupationSkillRelations_en.csv"),
            Some((FileKind::OccupationSkillRelations, None))
        );
        assert_eq!(classify("greenSkillsCollection_en.csv"), None);
        assert_eq!(classify("skills_it.txt"), None);
    }

    #[test]
    fn detects_versions() {
        assert_eq!(
            detect_version("ESCO dataset - v1.1.1 - classification - en - csv.zip"),
            Some("v1.1.1".into())
        );
        assert_eq!(detect_version("esco-v1.2.0"), Some("v1.2.0".into()));
        assert_eq!(detect_version("esco-it"), None);
        assert_eq!(detect_version("review-v2"), None);
    }
}
