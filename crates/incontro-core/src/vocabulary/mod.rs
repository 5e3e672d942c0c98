//! Words for codes (issue 15): staff read "Capannori (LU)", "Lavoro a tempo determinato",
//! "Fabbricazione di carta e cartone" and "Saldatori e tagliatori a fiamma", never `B648`,
//! `A.02.00`, `17.12.00` or `6.2.1.2.0`.
//!
//! What it does: holds the comuni (codice catastale, ISTAT code, name, province, coordinates)
//! and the code lists shown in words (province names, ATECO descriptions, CP2011 titles; COB
//! contract types come from the COB code tables), finds a comune by the name staff type, and
//! imports ISTAT's list of comuni ([`comuni`]) and label lists ([`labels`]). The demo's subsets
//! are data files (`data/comuni.csv`, `data/province.csv`, `data/ateco.csv`, `data/cp2011.csv`);
//! a list never imported is read from its shipped file.
//!
//! What it does NOT do: decide anything. A code without a word is shown as the code.

pub(crate) mod sql;
use std::collections::HashMap;
use std::path::Path;

use crate::input::Encoding;
use crate::model::ComuneCode;
use crate::outreach::codes::CodeScheme;
pub use crate::vocabulary::sql::StoredComune;
use crate::{Engine, Error, ErrorCode, Result};

pub mod comuni;
pub mod labels;

/// A list of codes shown in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeList {
    /// Provinces by sigla automobilistica (`LU` → Lucca).
    Provincia,
    /// ATECO 2007 economic activities (`17.12.00` → Fabbricazione di carta e cartone).
    Ateco,
    /// CP2011 occupations (`6.2.1.2.0` → Saldatori e tagliatori a fiamma).
    Cp2011,
}

impl CodeList {
    /// Every list.
    pub const ALL: [CodeList; 3] = [CodeList::Provincia, CodeList::Ateco, CodeList::Cp2011];

    /// The list's name in files and commands.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeList::Provincia => "provincia",
            CodeList::Ateco => "ateco",
            CodeList::Cp2011 => "cp2011",
        }
    }

    /// Parses a list name (`provincia`/`province`, `ateco`, `cp2011`).
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "provincia" | "province" => Ok(CodeList::Provincia),
            "ateco" => Ok(CodeList::Ateco),
            "cp2011" => Ok(CodeList::Cp2011),
            other => Err(Error::invalid(
                ErrorCode::InvalidCodeList,
                format!(
                    "unknown code list {:?} (provincia, ateco, cp2011)",
                    crate::input::excerpt(other)
                ),
            )),
        }
    }

    /// The file shipped in `data/` with the demo's subset.
    pub fn shipped_file(self) -> &'static str {
        match self {
            CodeList::Provincia => "province.csv",
            CodeList::Ateco => "ateco.csv",
            CodeList::Cp2011 => "cp2011.csv",
        }
    }
}

/// The words for every code the console shows.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    comuni: Vec<StoredComune>,
    by_code: HashMap<String, usize>,
    labels: HashMap<(CodeList, String), String>,
    contract_types: HashMap<String, String>,
}

/// The shipped list of provinces (`sigla;nome;regione`), built in.
const PROVINCE_CSV: &str = include_str!("../../data/province.csv");

/// Sigla → region of every province of the shipped list (`LU` → Toscana).
fn province_regions() -> &'static HashMap<&'static str, &'static str> {
    static REGIONS: std::sync::OnceLock<HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    REGIONS.get_or_init(|| {
        PROVINCE_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut fields = line.split(';');
                let sigla = fields.next()?.trim();
                let region = fields.nth(1)?.trim();
                (!sigla.is_empty() && !region.is_empty()).then_some((sigla, region))
            })
            .collect()
    })
}

/// The region of a province (`LU` → Toscana), from the shipped `data/province.csv`.
pub fn province_region(sigla: &str) -> Option<&'static str> {
    province_regions()
        .get(sigla.trim().to_ascii_uppercase().as_str())
        .copied()
}

/// Lowercase, without accents or apostrophes' variants, single spaces: how names are compared.
fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for character in text.trim().chars().flat_map(char::to_lowercase) {
        let plain = match character {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            '’' | '`' | '´' => '\'',
            other => other,
        };
        if plain.is_whitespace() {
            if !folded.ends_with(' ') && !folded.is_empty() {
                folded.push(' ');
            }
        } else {
            folded.push(plain);
        }
    }
    folded.trim_end().to_string()
}

impl Vocabulary {
    /// A vocabulary from its parts (comuni in any order).
    pub fn new(
        mut comuni: Vec<StoredComune>,
        labels: HashMap<(CodeList, String), String>,
        contract_types: HashMap<String, String>,
    ) -> Self {
        comuni.sort_by(|a, b| fold(&a.name).cmp(&fold(&b.name)).then(a.code.cmp(&b.code)));
        let by_code = comuni
            .iter()
            .enumerate()
            .map(|(index, comune)| (comune.code.clone(), index))
            .collect();
        Vocabulary {
            comuni,
            by_code,
            labels,
            contract_types,
        }
    }

    /// Every comune, by name.
    pub fn comuni(&self) -> &[StoredComune] {
        &self.comuni
    }

    /// The comune of a codice catastale.
    pub fn comune(&self, code: &str) -> Option<&StoredComune> {
        self.by_code.get(code).map(|&index| &self.comuni[index])
    }

    /// The comune's name, or the code when unknown.
    pub fn comune_name(&self, code: &str) -> String {
        self.comune(code)
            .map_or_else(|| code.to_string(), |comune| comune.name.clone())
    }

    /// "Capannori (LU)": how a type-ahead offers a comune and how a filter reads it back.
    pub fn comune_label(&self, code: &str) -> String {
        match self.comune(code) {
            Some(comune) => format!("{} ({})", comune.name, comune.province),
            None => code.to_string(),
        }
    }

    /// The comune staff typed: a name ("capannori", "Capannori (LU)", accents optional) or a
    /// codice catastale. A name shared by comuni of several provinces needs the province.
    pub fn find_comune(&self, text: &str) -> Result<ComuneCode> {
        let text = text.trim();
        if let Some(comune) = self.comune(&text.to_ascii_uppercase()) {
            return ComuneCode::parse(&comune.code);
        }
        let (name, province) = match text.rsplit_once('(') {
            Some((name, rest)) if rest.trim_end().ends_with(')') => (
                name,
                Some(
                    rest.trim_end()
                        .trim_end_matches(')')
                        .trim()
                        .to_ascii_uppercase(),
                ),
            ),
            _ => (text, None),
        };
        let wanted = fold(name);
        let found: Vec<&StoredComune> = self
            .comuni
            .iter()
            .filter(|comune| fold(&comune.name) == wanted)
            .filter(|comune| province.as_deref().is_none_or(|p| comune.province == p))
            .collect();
        match found.as_slice() {
            [one] => ComuneCode::parse(&one.code),
            [] => Err(Error::invalid(
                ErrorCode::UnknownComune,
                format!(
                    "no comune is called {:?}: pick one from the list",
                    crate::input::excerpt(text)
                ),
            )),
            several => Err(Error::invalid(
                ErrorCode::AmbiguousComune,
                format!(
                    "several comuni are called {:?}: add the province, e.g. {}",
                    crate::input::excerpt(name.trim()),
                    several
                        .iter()
                        .map(|comune| format!("{} ({})", comune.name, comune.province))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// The label of `code` in `list`.
    pub fn label(&self, list: CodeList, code: &str) -> Option<&str> {
        self.labels
            .get(&(list, code.trim().to_string()))
            .map(String::as_str)
    }

    /// Every `(code, label)` of `list`, by code.
    pub fn labels(&self, list: CodeList) -> Vec<(&str, &str)> {
        let mut labels: Vec<(&str, &str)> = self
            .labels
            .iter()
            .filter(|((of, _), _)| *of == list)
            .map(|((_, code), label)| (code.as_str(), label.as_str()))
            .collect();
        labels.sort_unstable();
        labels
    }

    /// The province's name (`LU` → Lucca).
    pub fn province_name(&self, sigla: &str) -> Option<&str> {
        self.label(CodeList::Provincia, &sigla.trim().to_ascii_uppercase())
    }

    /// What staff read for a province: its name ("Lucca"), or the sigla when the list lacks it.
    pub fn province_words(&self, sigla: &str) -> String {
        self.province_name(sigla)
            .map_or_else(|| sigla.trim().to_string(), str::to_string)
    }

    /// The region of a province (`LU` → Toscana), from the shipped `data/province.csv`.
    pub fn province_region(&self, sigla: &str) -> Option<&'static str> {
        province_region(sigla)
    }

    /// The ATECO description of an activity code; a code the list lacks takes its group's
    /// (`62.01.09` → `62.01`'s).
    pub fn ateco(&self, code: &str) -> Option<&str> {
        let mut code = code.trim();
        loop {
            if let Some(label) = self.label(CodeList::Ateco, code) {
                return Some(label);
            }
            // `17.12.00` is also written `17.12`; then the group.
            let shorter = code
                .strip_suffix(".00")
                .or_else(|| code.strip_suffix(".0"))
                .or_else(|| code.rsplit_once('.').map(|(head, _)| head))?;
            code = shorter;
        }
    }

    /// The CP2011 title of an occupation code: the COB's six-segment qualifica reads as its
    /// five-segment unit (`5.1.2.2.0.1` → `5.1.2.2.0`).
    pub fn cp2011(&self, code: &str) -> Option<&str> {
        let segments: Vec<&str> = code.trim().split('.').collect();
        let unit = segments[..segments.len().min(5)].join(".");
        self.label(CodeList::Cp2011, &unit)
    }

    /// Every COB contract type valid today, `(code, words)` by code.
    pub fn contract_types(&self) -> Vec<(&str, &str)> {
        let mut types: Vec<(&str, &str)> = self
            .contract_types
            .iter()
            .map(|(code, label)| (code.as_str(), label.as_str()))
            .collect();
        types.sort_unstable();
        types
    }

    /// A provenance written with codes ("CP2011 6.2.3.3.1 → ISCO 7233, 70 mesi") with the
    /// CP2011 unit's title in their place ("Riparatori e manutentori …, 70 mesi"); a code without a
    /// title stays as it is.
    pub fn name_codes(&self, text: &str) -> String {
        const MARK: &str = "CP2011 ";
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(MARK) {
            out.push_str(&rest[..at]);
            let after = &rest[at + MARK.len()..];
            let code_len = after
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(after.len());
            let code = after[..code_len].trim_end_matches('.');
            match self.cp2011(code) {
                Some(title) if !code.is_empty() => {
                    out.push_str(title);
                    let mut tail = &after[code.len()..];
                    // The ISCO group it was read through is a detail the title replaces.
                    if let Some(isco) = tail.strip_prefix(" → ISCO ") {
                        let digits = isco
                            .find(|c: char| !c.is_ascii_digit())
                            .unwrap_or(isco.len());
                        tail = &isco[digits..];
                    }
                    rest = tail;
                }
                _ => {
                    out.push_str(MARK);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The COB contract type in words (`A.02.00` → Lavoro a tempo determinato).
    pub fn contract_type(&self, code: &str) -> Option<&str> {
        self.contract_types.get(code.trim()).map(String::as_str)
    }
}

/// What `Engine::import_comuni` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComuniImportReport {
    /// Comuni read and stored.
    pub comuni: usize,
    /// Of which with coordinates in the file.
    pub with_coordinates: usize,
    /// Whether the file was ISTAT's list (its own headers) rather than the documented layout.
    pub istat_layout: bool,
    /// The encoding the file was read in.
    pub encoding: Encoding,
}

/// **Vocabulary**: comuni, provinces and code labels shown in words.
impl Engine {
    /// The words for every code the console shows: stored comuni and lists, a list never
    /// imported read from its shipped file, contract types from the COB code tables valid today.
    pub fn vocabulary(&self) -> Result<Vocabulary> {
        let comuni = self.store().read(sql::load_comuni)?;
        let mut labels = HashMap::new();
        let mut stored_lists = std::collections::HashSet::new();
        for (list, code, label) in self.store().read(sql::load_code_labels)? {
            if let Ok(list) = CodeList::parse(&list) {
                stored_lists.insert(list);
                labels.insert((list, code), label);
            }
        }
        for list in CodeList::ALL {
            if stored_lists.contains(&list) {
                continue;
            }
            let shipped = crate::records::demo_dir().join(list.shipped_file());
            if shipped.is_file() {
                for (code, label) in labels::read_label_file(&shipped, list)? {
                    labels.insert((list, code), label);
                }
            }
        }
        let today = self.today();
        let mut contract_types = HashMap::new();
        if let Ok(tables) = self.cob_code_tables() {
            for entry in tables.entries() {
                if entry.scheme != CodeScheme::TipologiaContrattuale {
                    continue;
                }
                if let Some(label) =
                    tables.label(CodeScheme::TipologiaContrattuale, &entry.code, today)
                {
                    contract_types.insert(entry.code.clone(), label.to_string());
                }
            }
        }
        Ok(Vocabulary::new(comuni, labels, contract_types))
    }

    /// Imports a list of comuni: ISTAT's "Elenco comuni italiani" as downloaded (`;`, UTF-8 or
    /// Windows-1252, its own headers) or the documented layout (`docs/formats.md`). Adds or
    /// updates by codice catastale; coordinates the file does not give keep the stored ones.
    /// Any problem stops the import with file:line: field: message and nothing is written.
    pub fn import_comuni(
        &self,
        path: &Path,
        encoding: Option<Encoding>,
    ) -> Result<ComuniImportReport> {
        let read = comuni::read_comuni_file(path, encoding)?;
        self.store().write(|tx| {
            for comune in &read.comuni {
                sql::upsert_comune_entry(tx, comune)?;
            }
            crate::records::sql::bump_revision(tx, &[crate::records::sql::Change::Everything])?;
            Ok(())
        })?;
        Ok(ComuniImportReport {
            comuni: read.comuni.len(),
            with_coordinates: read
                .comuni
                .iter()
                .filter(|comune| comune.coordinates.is_some())
                .count(),
            istat_layout: read.istat_layout,
            encoding: read.encoding,
        })
    }

    /// Imports a label list (`code;label`, or ISTAT's ATECO / CP2011 tables by their headers):
    /// adds or replaces by code. Nothing is written when a line is wrong.
    pub fn import_code_labels(&self, list: CodeList, path: &Path) -> Result<usize> {
        let rows = labels::read_label_file(path, list)?;
        self.store().write(|tx| {
            for (code, label) in &rows {
                sql::upsert_code_label(tx, list.as_str(), code, label)?;
            }
            Ok(rows.len())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comune(code: &str, name: &str, province: &str) -> StoredComune {
        StoredComune {
            code: code.into(),
            name: name.into(),
            province: province.into(),
            istat_code: None,
            coordinates: None,
        }
    }

    fn vocabulary() -> Vocabulary {
        let mut labels = HashMap::new();
        labels.insert(
            (CodeList::Ateco, "17.12".to_string()),
            "Fabbricazione di carta e cartone".to_string(),
        );
        labels.insert(
            (CodeList::Cp2011, "5.1.2.2.0".to_string()),
            "Commessi delle vendite al minuto".to_string(),
        );
        labels.insert((CodeList::Provincia, "LU".to_string()), "Lucca".to_string());
        Vocabulary::new(
            vec![
                comune("B648", "Capannori", "LU"),
                comune("L833", "Viareggio", "LU"),
                comune("F205", "Milano", "MI"),
                // Two comuni called Samone (TO and TN).
                comune("H753", "Samone", "TO"),
                comune("H754", "Samone", "TN"),
                comune("F952", "Novellara", "RE"),
                comune("C936", "Còlico", "LC"),
            ],
            labels,
            HashMap::from([("A.02.00".into(), "Lavoro a tempo determinato".into())]),
        )
    }

    #[test]
    fn a_comune_is_found_by_the_name_staff_type() {
        let words = vocabulary();
        assert_eq!(words.find_comune("capannori").unwrap().as_str(), "B648");
        assert_eq!(
            words.find_comune(" Capannori (LU) ").unwrap().as_str(),
            "B648"
        );
        assert_eq!(words.find_comune("colico").unwrap().as_str(), "C936");
        assert_eq!(words.find_comune("l833").unwrap().as_str(), "L833");
        let ambiguous = words.find_comune("Samone").unwrap_err();
        assert_eq!(ambiguous.code(), ErrorCode::AmbiguousComune);
        assert!(ambiguous.to_string().contains("Samone (TN)"), "{ambiguous}");
        assert_eq!(words.find_comune("Samone (TN)").unwrap().as_str(), "H754");
        assert_eq!(
            words.find_comune("Capannori (MI)").unwrap_err().code(),
            ErrorCode::UnknownComune
        );
        assert_eq!(words.comune_label("B648"), "Capannori (LU)");
        assert_eq!(words.comune_label("Z999"), "Z999");
        // By name, accents folded: Capannori, Còlico, Milano, …
        assert_eq!(words.comuni()[1].name, "Còlico");
    }

    #[test]
    fn the_shipped_provinces_are_italys_107_in_its_20_regions() {
        let regions = province_regions();
        assert_eq!(regions.len(), 107);
        let distinct: std::collections::HashSet<&str> = regions.values().copied().collect();
        assert_eq!(distinct.len(), 20, "{distinct:?}");
        assert_eq!(regions["BT"], "Puglia");
        assert_eq!(regions["SU"], "Sardegna");
        assert_eq!(regions["AO"], "Valle d'Aosta");
    }

    #[test]
    fn codes_read_as_words_down_their_hierarchy() {
        let words = vocabulary();
        assert_eq!(
            words.ateco("17.12.00"),
            Some("Fabbricazione di carta e cartone")
        );
        assert_eq!(
            words.ateco("17.12.09"),
            Some("Fabbricazione di carta e cartone")
        );
        assert_eq!(words.ateco("18.12.00"), None);
        assert_eq!(
            words.cp2011("5.1.2.2.0.1"),
            Some("Commessi delle vendite al minuto")
        );
        assert_eq!(words.province_name("lu"), Some("Lucca"));
        assert_eq!(words.province_words("LU"), "Lucca");
        assert_eq!(words.province_words("ZZ"), "ZZ");
        assert_eq!(words.province_region("lu"), Some("Toscana"));
        assert_eq!(words.province_region("MI"), Some("Lombardia"));
        assert_eq!(
            words.name_codes("presunta da esperienza (CP2011 5.1.2.2.0 → ISCO 5223, 38 mesi)"),
            "presunta da esperienza (Commessi delle vendite al minuto, 38 mesi)"
        );
        assert_eq!(
            words.name_codes("CP2011 9.9.9.9.9 → ISCO 9999, 2 mesi"),
            "CP2011 9.9.9.9.9 → ISCO 9999, 2 mesi"
        );
        assert_eq!(
            words.contract_type("A.02.00"),
            Some("Lavoro a tempo determinato")
        );
        assert_eq!(words.contract_type("Z.99.99"), None);
    }
}
