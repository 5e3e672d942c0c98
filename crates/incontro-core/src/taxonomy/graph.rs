//! [`Taxonomy`]: the in-memory graph of skills and occupations, loaded from the store.

use std::fmt;

use ahash::AHashMap;

use super::{LabelKind, ReuseLevel, SkillType};

/// A skill or skill group, interned: a dense index in `0..Taxonomy::skill_count()`.
pub type SkillIdx = u32;
/// An occupation, interned: a dense index in `0..Taxonomy::occupation_count()`.
pub type OccupationIdx = u32;

/// A stored skill, as loaded.
#[derive(Debug)]
pub(crate) struct SkillRecord {
    pub(crate) id: u32,
    pub(crate) uri: String,
    pub(crate) is_group: bool,
    pub(crate) skill_type: Option<SkillType>,
    pub(crate) reuse_level: ReuseLevel,
}

/// A stored occupation, as loaded.
#[derive(Debug)]
pub(crate) struct OccupationRecord {
    pub(crate) id: u32,
    pub(crate) uri: String,
    pub(crate) isco_group: String,
    pub(crate) code: String,
}

/// A stored label or description (of a skill, or of an occupation when `occupation`).
#[derive(Debug)]
pub(crate) struct LabelRecord {
    pub(crate) occupation: bool,
    pub(crate) id: u32,
    pub(crate) language: String,
    pub(crate) kind: LabelKind,
    pub(crate) text: String,
}

/// Everything read from the store to build a [`Taxonomy`]; relations use store ids.
#[derive(Debug, Default)]
pub(crate) struct TaxonomyRows {
    pub(crate) version: Option<String>,
    pub(crate) languages: Vec<String>,
    pub(crate) skills: Vec<SkillRecord>,
    pub(crate) occupations: Vec<OccupationRecord>,
    pub(crate) labels: Vec<LabelRecord>,
    pub(crate) descriptions: Vec<LabelRecord>,
    pub(crate) occupation_skills: Vec<(u32, u32, bool)>,
    pub(crate) broader: Vec<(u32, u32)>,
    pub(crate) skill_relations: Vec<(u32, u32, bool)>,
}

/// A label or description in one language.
#[derive(Debug)]
struct Text {
    language: u16,
    kind: LabelKind,
    text: Box<str>,
}

/// Adjacency lists in compressed form: the neighbours of node `n` are
/// `targets[offsets[n]..offsets[n + 1]]`.
#[derive(Debug, Default)]
struct Adjacency<T> {
    offsets: Vec<u32>,
    targets: Vec<T>,
}

impl<T: Copy + Ord> Adjacency<T> {
    fn build(node_count: usize, mut edges: Vec<(u32, T)>) -> Self {
        edges.sort_unstable();
        let mut offsets = Vec::with_capacity(node_count + 1);
        offsets.push(0);
        let mut edge = 0;
        for node in 0..node_count as u32 {
            while edge < edges.len() && edges[edge].0 == node {
                edge += 1;
            }
            offsets.push(edge as u32);
        }
        debug_assert_eq!(edge, edges.len(), "every edge starts at a known node");
        Adjacency {
            offsets,
            targets: edges.into_iter().map(|(_, target)| target).collect(),
        }
    }

    fn get(&self, node: u32) -> &[T] {
        let start = self.offsets[node as usize] as usize;
        let end = self.offsets[node as usize + 1] as usize;
        &self.targets[start..end]
    }
}

/// The ESCO taxonomy in memory: skills (and skill groups) and occupations interned as dense `u32`
/// indexes, their labels in every imported language, the hierarchy and the relations.
///
/// Obtain it with [`crate::Engine::taxonomy`]; it is immutable and shared behind an `Arc`.
/// Methods taking an index panic when it is out of range, like slice indexing.
pub struct Taxonomy {
    version: Option<String>,
    languages: Vec<String>,
    skill_uris: Vec<Box<str>>,
    skill_index: AHashMap<Box<str>, SkillIdx>,
    skill_is_group: Vec<bool>,
    skill_types: Vec<Option<SkillType>>,
    reuse_levels: Vec<ReuseLevel>,
    skill_labels: Vec<Vec<Text>>,
    skill_descriptions: Vec<Vec<Text>>,
    broader: Adjacency<SkillIdx>,
    related: Adjacency<(SkillIdx, bool)>,
    occupation_uris: Vec<Box<str>>,
    occupation_index: AHashMap<Box<str>, OccupationIdx>,
    occupation_isco_groups: Vec<Box<str>>,
    occupation_codes: Vec<Box<str>>,
    occupation_labels: Vec<Vec<Text>>,
    occupation_descriptions: Vec<Vec<Text>>,
    occupation_skills: Adjacency<(SkillIdx, bool)>,
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Taxonomy")
            .field("version", &self.version)
            .field("languages", &self.languages)
            .field("skills", &self.skill_uris.len())
            .field("occupations", &self.occupation_uris.len())
            .finish()
    }
}

/// Picks the text of `kind` in `language`, else in English, else in any language.
fn pick(
    texts: &[Text],
    kind: LabelKind,
    language: Option<u16>,
    english: Option<u16>,
) -> Option<&str> {
    let of_kind = |wanted: Option<u16>| {
        let wanted = wanted?;
        texts
            .iter()
            .find(|text| text.kind == kind && text.language == wanted)
            .map(|text| &*text.text)
    };
    of_kind(language).or_else(|| of_kind(english)).or_else(|| {
        texts
            .iter()
            .find(|text| text.kind == kind)
            .map(|text| &*text.text)
    })
}

impl Taxonomy {
    /// An empty taxonomy (nothing imported yet).
    pub fn empty() -> Self {
        Taxonomy::from_rows(TaxonomyRows::default())
    }

    pub(crate) fn from_rows(rows: TaxonomyRows) -> Self {
        let languages = rows.languages;
        let language_of = |language: &str| -> u16 {
            languages
                .iter()
                .position(|known| known == language)
                .unwrap_or(usize::from(u16::MAX)) as u16
        };

        let mut skill_of_id = AHashMap::with_capacity(rows.skills.len());
        let skill_count = rows.skills.len();
        let mut skill_uris = Vec::with_capacity(skill_count);
        let mut skill_index = AHashMap::with_capacity(skill_count);
        let mut skill_is_group = Vec::with_capacity(skill_count);
        let mut skill_types = Vec::with_capacity(skill_count);
        let mut reuse_levels = Vec::with_capacity(skill_count);
        for (index, skill) in rows.skills.into_iter().enumerate() {
            let index = index as SkillIdx;
            skill_of_id.insert(skill.id, index);
            let uri: Box<str> = skill.uri.into();
            skill_index.insert(uri.clone(), index);
            skill_uris.push(uri);
            skill_is_group.push(skill.is_group);
            skill_types.push(if skill.is_group {
                None
            } else {
                skill.skill_type
            });
            reuse_levels.push(skill.reuse_level);
        }

        let mut occupation_of_id = AHashMap::with_capacity(rows.occupations.len());
        let occupation_count = rows.occupations.len();
        let mut occupation_uris = Vec::with_capacity(occupation_count);
        let mut occupation_index = AHashMap::with_capacity(occupation_count);
        let mut occupation_isco_groups = Vec::with_capacity(occupation_count);
        let mut occupation_codes = Vec::with_capacity(occupation_count);
        for (index, occupation) in rows.occupations.into_iter().enumerate() {
            let index = index as OccupationIdx;
            occupation_of_id.insert(occupation.id, index);
            let uri: Box<str> = occupation.uri.into();
            occupation_index.insert(uri.clone(), index);
            occupation_uris.push(uri);
            occupation_isco_groups.push(occupation.isco_group.into());
            occupation_codes.push(occupation.code.into());
        }

        let mut skill_labels: Vec<Vec<Text>> = (0..skill_count).map(|_| Vec::new()).collect();
        let mut occupation_labels: Vec<Vec<Text>> =
            (0..occupation_count).map(|_| Vec::new()).collect();
        let mut skill_descriptions: Vec<Vec<Text>> = (0..skill_count).map(|_| Vec::new()).collect();
        let mut occupation_descriptions: Vec<Vec<Text>> =
            (0..occupation_count).map(|_| Vec::new()).collect();
        for (records, skill_texts, occupation_texts) in [
            (rows.labels, &mut skill_labels, &mut occupation_labels),
            (
                rows.descriptions,
                &mut skill_descriptions,
                &mut occupation_descriptions,
            ),
        ] {
            for record in records {
                let text = Text {
                    language: language_of(&record.language),
                    kind: record.kind,
                    text: record.text.into(),
                };
                let slot = if record.occupation {
                    occupation_of_id
                        .get(&record.id)
                        .map(|index| &mut occupation_texts[*index as usize])
                } else {
                    skill_of_id
                        .get(&record.id)
                        .map(|index| &mut skill_texts[*index as usize])
                };
                if let Some(slot) = slot {
                    slot.push(text);
                }
            }
        }

        let skill = |id: &u32| skill_of_id.get(id).copied();
        let occupation = |id: &u32| occupation_of_id.get(id).copied();
        let broader = rows
            .broader
            .iter()
            .filter_map(|(narrower, broader)| Some((skill(narrower)?, skill(broader)?)))
            .collect();
        let related = rows
            .skill_relations
            .iter()
            .filter_map(|(from, to, essential)| Some((skill(from)?, (skill(to)?, *essential))))
            .collect();
        let occupation_skills = rows
            .occupation_skills
            .iter()
            .filter_map(|(from, to, essential)| Some((occupation(from)?, (skill(to)?, *essential))))
            .collect();

        Taxonomy {
            version: rows.version,
            skill_uris,
            skill_index,
            skill_is_group,
            skill_types,
            reuse_levels,
            skill_labels,
            skill_descriptions,
            broader: Adjacency::build(skill_count, broader),
            related: Adjacency::build(skill_count, related),
            occupation_uris,
            occupation_index,
            occupation_isco_groups,
            occupation_codes,
            occupation_labels,
            occupation_descriptions,
            occupation_skills: Adjacency::build(occupation_count, occupation_skills),
            languages,
        }
    }

    fn language_index(&self, language: &str) -> Option<u16> {
        self.languages
            .iter()
            .position(|known| known == language)
            .map(|index| index as u16)
    }

    fn language_pair(&self, language: &str) -> (Option<u16>, Option<u16>) {
        (self.language_index(language), self.language_index("en"))
    }

    /// The ESCO version last imported, if known.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The languages that have labels.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// How many skills are interned, skill groups included (see [`Taxonomy::is_group`]).
    pub fn skill_count(&self) -> usize {
        self.skill_uris.len()
    }

    /// The index of a skill or skill group URI.
    pub fn skill_idx(&self, uri: &str) -> Option<SkillIdx> {
        self.skill_index.get(uri).copied()
    }

    /// The URI of a skill.
    pub fn skill_uri(&self, skill: SkillIdx) -> &str {
        &self.skill_uris[skill as usize]
    }

    /// True for a skill group (a node of the hierarchy, not a skill one can hold).
    pub fn is_group(&self, skill: SkillIdx) -> bool {
        self.skill_is_group[skill as usize]
    }

    /// The preferred label in `language`, else in English, else in any language.
    pub fn preferred_label(&self, skill: SkillIdx, language: &str) -> Option<&str> {
        let (wanted, english) = self.language_pair(language);
        pick(
            &self.skill_labels[skill as usize],
            LabelKind::Preferred,
            wanted,
            english,
        )
    }

    /// Every label of a skill: (language, kind, label).
    pub fn labels(&self, skill: SkillIdx) -> impl Iterator<Item = (&str, LabelKind, &str)> + '_ {
        self.texts(&self.skill_labels[skill as usize])
    }

    fn texts<'t>(
        &'t self,
        texts: &'t [Text],
    ) -> impl Iterator<Item = (&'t str, LabelKind, &'t str)> + 't {
        texts.iter().map(|text| {
            let language = self
                .languages
                .get(text.language as usize)
                .map_or("", String::as_str);
            (language, text.kind, &*text.text)
        })
    }

    /// The description in `language`, else in English, else in any language.
    pub fn description(&self, skill: SkillIdx, language: &str) -> Option<&str> {
        let (wanted, english) = self.language_pair(language);
        pick(
            &self.skill_descriptions[skill as usize],
            LabelKind::Preferred,
            wanted,
            english,
        )
    }

    /// Every description of a skill: (language, description).
    pub fn descriptions(&self, skill: SkillIdx) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.texts(&self.skill_descriptions[skill as usize])
            .map(|(language, _, text)| (language, text))
    }

    /// Knowledge or skill/competence; `None` for skill groups and when the release does not say.
    pub fn skill_type(&self, skill: SkillIdx) -> Option<SkillType> {
        self.skill_types[skill as usize]
    }

    /// The reuse level of a skill ([`ReuseLevel::Unknown`] for groups).
    pub fn reuse_level(&self, skill: SkillIdx) -> ReuseLevel {
        self.reuse_levels[skill as usize]
    }

    /// The broader skills or skill groups of a skill (its parents in the hierarchy).
    pub fn broader(&self, skill: SkillIdx) -> &[SkillIdx] {
        self.broader.get(skill)
    }

    /// The skill–skill relations starting at `skill`: (related skill, essential), as the release
    /// states them (no symmetric closure).
    pub fn related(&self, skill: SkillIdx) -> &[(SkillIdx, bool)] {
        self.related.get(skill)
    }

    /// How many occupations are interned.
    pub fn occupation_count(&self) -> usize {
        self.occupation_uris.len()
    }

    /// The index of an occupation URI.
    pub fn occupation_idx(&self, uri: &str) -> Option<OccupationIdx> {
        self.occupation_index.get(uri).copied()
    }

    /// The URI of an occupation.
    pub fn occupation_uri(&self, occupation: OccupationIdx) -> &str {
        &self.occupation_uris[occupation as usize]
    }

    /// The preferred label of an occupation in `language`, else English, else any language.
    pub fn occupation_label(&self, occupation: OccupationIdx, language: &str) -> Option<&str> {
        let (wanted, english) = self.language_pair(language);
        pick(
            &self.occupation_labels[occupation as usize],
            LabelKind::Preferred,
            wanted,
            english,
        )
    }

    /// Every label of an occupation: (language, kind, label).
    pub fn occupation_labels(
        &self,
        occupation: OccupationIdx,
    ) -> impl Iterator<Item = (&str, LabelKind, &str)> + '_ {
        self.texts(&self.occupation_labels[occupation as usize])
    }

    /// The description of an occupation in `language`, else English, else any language.
    pub fn occupation_description(
        &self,
        occupation: OccupationIdx,
        language: &str,
    ) -> Option<&str> {
        let (wanted, english) = self.language_pair(language);
        pick(
            &self.occupation_descriptions[occupation as usize],
            LabelKind::Preferred,
            wanted,
            english,
        )
    }

    /// Every description of an occupation: (language, description).
    pub fn occupation_descriptions(
        &self,
        occupation: OccupationIdx,
    ) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.texts(&self.occupation_descriptions[occupation as usize])
            .map(|(language, _, text)| (language, text))
    }

    /// The ISCO-08 unit group (4 digits) of an occupation.
    pub fn occupation_isco_group(&self, occupation: OccupationIdx) -> &str {
        &self.occupation_isco_groups[occupation as usize]
    }

    /// The ESCO code of an occupation (e.g. `2654.1.7`; empty when the release has none).
    pub fn occupation_code(&self, occupation: OccupationIdx) -> &str {
        &self.occupation_codes[occupation as usize]
    }

    /// The skills of an occupation: (skill, essential).
    pub fn occupation_skills(&self, occupation: OccupationIdx) -> &[(SkillIdx, bool)] {
        self.occupation_skills.get(occupation)
    }

    /// The occupations whose ISCO-08 group starts with `prefix` (e.g. `"26"` or `"2654"`).
    pub fn occupations_in_isco<'t>(
        &'t self,
        prefix: &'t str,
    ) -> impl Iterator<Item = OccupationIdx> + 't {
        self.occupation_isco_groups
            .iter()
            .enumerate()
            .filter(move |(_, group)| group.starts_with(prefix))
            .map(|(index, _)| index as OccupationIdx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(
        occupation: bool,
        id: u32,
        language: &str,
        kind: LabelKind,
        text: &str,
    ) -> LabelRecord {
        LabelRecord {
            occupation,
            id,
            language: language.into(),
            kind,
            text: text.into(),
        }
    }

    fn small() -> Taxonomy {
        Taxonomy::from_rows(TaxonomyRows {
            version: Some("v1.1.1".into()),
            languages: vec!["en".into(), "it".into()],
            skills: vec![
                SkillRecord {
                    id: 10,
                    uri: "http://data.europa.eu/esco/skill/a".into(),
                    is_group: false,
                    skill_type: Some(SkillType::Knowledge),
                    reuse_level: ReuseLevel::Transversal,
                },
                SkillRecord {
                    id: 20,
                    uri: "http://data.europa.eu/esco/isced-f/06".into(),
                    is_group: true,
                    skill_type: None,
                    reuse_level: ReuseLevel::Unknown,
                },
            ],
            occupations: vec![OccupationRecord {
                id: 5,
                uri: "http://data.europa.eu/esco/occupation/o".into(),
                isco_group: "2654".into(),
                code: "2654.1".into(),
            }],
            labels: vec![
                label(false, 10, "en", LabelKind::Preferred, "welding"),
                label(false, 10, "it", LabelKind::Preferred, "saldatura"),
                label(false, 10, "it", LabelKind::Alternative, "saldare"),
                label(false, 20, "it", LabelKind::Preferred, "ICT"),
                label(true, 5, "en", LabelKind::Preferred, "director"),
            ],
            descriptions: vec![],
            occupation_skills: vec![(5, 10, true), (5, 20, false)],
            broader: vec![(10, 20)],
            skill_relations: vec![],
        })
    }

    #[test]
    fn labels_fall_back_to_english_then_any() {
        let taxonomy = small();
        let welding = taxonomy
            .skill_idx("http://data.europa.eu/esco/skill/a")
            .unwrap();
        assert_eq!(taxonomy.preferred_label(welding, "it"), Some("saldatura"));
        assert_eq!(taxonomy.preferred_label(welding, "de"), Some("welding"));
        let group = taxonomy
            .skill_idx("http://data.europa.eu/esco/isced-f/06")
            .unwrap();
        assert_eq!(taxonomy.preferred_label(group, "en"), Some("ICT"));
        assert_eq!(taxonomy.labels(welding).count(), 3);
        assert!(taxonomy
            .labels(welding)
            .any(|entry| entry == ("it", LabelKind::Alternative, "saldare")));
    }

    #[test]
    fn graph_uses_dense_indexes() {
        let taxonomy = small();
        let welding = taxonomy
            .skill_idx("http://data.europa.eu/esco/skill/a")
            .unwrap();
        let group = taxonomy
            .skill_idx("http://data.europa.eu/esco/isced-f/06")
            .unwrap();
        assert_eq!((welding, group), (0, 1));
        assert!(taxonomy.is_group(group));
        assert_eq!(taxonomy.broader(welding), &[group]);
        assert!(taxonomy.broader(group).is_empty());
        let director = taxonomy
            .occupation_idx("http://data.europa.eu/esco/occupation/o")
            .unwrap();
        assert_eq!(
            taxonomy.occupation_skills(director),
            &[(welding, true), (group, false)]
        );
        assert_eq!(
            taxonomy.occupations_in_isco("26").collect::<Vec<_>>(),
            vec![director]
        );
        assert_eq!(taxonomy.occupations_in_isco("3").count(), 0);
        assert_eq!(taxonomy.occupation_isco_group(director), "2654");
        assert_eq!(taxonomy.occupation_code(director), "2654.1");
        assert_eq!(taxonomy.skill_type(welding), Some(SkillType::Knowledge));
        assert_eq!(taxonomy.reuse_level(welding), ReuseLevel::Transversal);
    }
}
