//! Read views of the taxonomy for applications: a skill's detail and place in the hierarchy, and
//! occupation search and detail. Labels are given in the language asked for (else English, else
//! any).

use serde::Serialize;

use super::{LabelKind, ReuseLevel, SkillType, Taxonomy};
use crate::model::{ESCO_OCCUPATION_PREFIX, ESCO_SKILL_PREFIX};
use crate::{Engine, Error, ErrorCode, Result};

/// A skill or skill group by URI and label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ConceptRef {
    /// The ESCO URI.
    pub uri: String,
    /// The preferred label.
    pub label: String,
}

/// One label of a concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelView {
    /// Language code.
    pub language: String,
    /// `preferred` or `alternative` (hidden labels are never shown).
    pub kind: &'static str,
    /// The text.
    pub label: String,
}

/// A skill's detail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillDetail {
    /// The ESCO URI.
    pub uri: String,
    /// Preferred label in the language asked for.
    pub label: String,
    /// Description, if any.
    pub description: Option<String>,
    /// Knowledge or skill/competence.
    pub skill_type: Option<SkillType>,
    /// How widely it applies.
    pub reuse_level: ReuseLevel,
    /// True for a skill group.
    pub is_group: bool,
    /// Every displayable label in every language.
    pub labels: Vec<LabelView>,
    /// Related skills (ESCO skill–skill relations).
    pub related: Vec<ConceptRef>,
}

/// A skill's place in the hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillHierarchy {
    /// The skill.
    pub skill: ConceptRef,
    /// Paths to the top of the hierarchy, each from the direct parent upwards.
    pub ancestors: Vec<Vec<ConceptRef>>,
    /// The direct children.
    pub narrower: Vec<ConceptRef>,
}

/// An occupation in a search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccupationHit {
    /// The ESCO URI.
    pub uri: String,
    /// Preferred label.
    pub label: String,
    /// ISCO-08 unit group.
    pub isco_group: String,
    /// ESCO code.
    pub code: String,
}

/// An occupation's detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccupationDetail {
    /// Summary.
    #[serde(flatten)]
    pub occupation: OccupationHit,
    /// Description, if any.
    pub description: Option<String>,
    /// Essential skills.
    pub essential_skills: Vec<ConceptRef>,
    /// Optional skills.
    pub optional_skills: Vec<ConceptRef>,
}

/// Accepts a full ESCO URI or the identifier after the prefix.
fn full_uri(prefix: &str, id: &str) -> String {
    if id.starts_with("http://") || id.starts_with("https://") {
        id.to_string()
    } else {
        format!("{prefix}{id}")
    }
}

fn skill_ref(taxonomy: &Taxonomy, skill: u32, language: &str) -> ConceptRef {
    ConceptRef {
        uri: taxonomy.skill_uri(skill).to_string(),
        label: taxonomy
            .preferred_label(skill, language)
            .unwrap_or_default()
            .to_string(),
    }
}

fn fold(text: &str) -> String {
    crate::index::folded_words(text).join(" ")
}

/// **Taxonomy**: skill and occupation pages, hierarchy and search.
impl Engine {
    fn skill_index_of(&self, taxonomy: &Taxonomy, id: &str) -> Result<u32> {
        let uri = full_uri(ESCO_SKILL_PREFIX, id);
        taxonomy
            .skill_idx(&uri)
            .ok_or_else(|| Error::not_found(ErrorCode::SkillNotFound, "skill", id))
    }

    /// The preferred label of each skill URI in `language` (`None` for a URI the taxonomy lacks).
    pub fn skill_labels(&self, uris: &[&str], language: &str) -> Result<Vec<Option<String>>> {
        let taxonomy = self.taxonomy()?;
        Ok(uris
            .iter()
            .map(|uri| {
                taxonomy
                    .skill_idx(uri)
                    .and_then(|skill| taxonomy.preferred_label(skill, language))
                    .map(str::to_string)
            })
            .collect())
    }

    /// A skill (or skill group) by URI or by the identifier after the ESCO prefix.
    pub fn skill_detail(&self, id: &str, language: &str) -> Result<SkillDetail> {
        let taxonomy = self.taxonomy()?;
        let skill = self.skill_index_of(&taxonomy, id)?;
        let labels = taxonomy
            .labels(skill)
            .filter_map(|(language, kind, label)| {
                let kind = match kind {
                    LabelKind::Preferred => "preferred",
                    LabelKind::Alternative => "alternative",
                    LabelKind::Hidden => return None,
                };
                Some(LabelView {
                    language: language.to_string(),
                    kind,
                    label: label.to_string(),
                })
            })
            .collect();
        Ok(SkillDetail {
            uri: taxonomy.skill_uri(skill).to_string(),
            label: taxonomy
                .preferred_label(skill, language)
                .unwrap_or_default()
                .to_string(),
            description: taxonomy.description(skill, language).map(str::to_string),
            skill_type: taxonomy.skill_type(skill),
            reuse_level: taxonomy.reuse_level(skill),
            is_group: taxonomy.is_group(skill),
            labels,
            related: taxonomy
                .related(skill)
                .iter()
                .map(|&(other, _)| skill_ref(&taxonomy, other, language))
                .collect(),
        })
    }

    /// A skill's ancestors (every path to the top) and direct children.
    pub fn skill_hierarchy(&self, id: &str, language: &str) -> Result<SkillHierarchy> {
        let taxonomy = self.taxonomy()?;
        let skill = self.skill_index_of(&taxonomy, id)?;
        let mut ancestors = Vec::new();
        // Depth-first over parents; ESCO's hierarchy is shallow, paths are capped for safety.
        let mut stack: Vec<Vec<u32>> = taxonomy.broader(skill).iter().map(|&p| vec![p]).collect();
        while let Some(path) = stack.pop() {
            let Some(&top) = path.last() else { continue };
            let parents = taxonomy.broader(top);
            if parents.is_empty() || path.len() >= 12 || ancestors.len() >= 50 {
                ancestors.push(
                    path.iter()
                        .map(|&node| skill_ref(&taxonomy, node, language))
                        .collect(),
                );
                continue;
            }
            for &parent in parents {
                if path.contains(&parent) {
                    continue;
                }
                let mut longer = path.clone();
                longer.push(parent);
                stack.push(longer);
            }
        }
        ancestors.sort();
        let narrower = (0..taxonomy.skill_count() as u32)
            .filter(|&other| taxonomy.broader(other).contains(&skill))
            .map(|other| skill_ref(&taxonomy, other, language))
            .collect();
        Ok(SkillHierarchy {
            skill: skill_ref(&taxonomy, skill, language),
            ancestors,
            narrower,
        })
    }

    /// Occupations whose labels (any language) contain every word of `text`, preferred-label
    /// matches first; paged.
    pub fn occupation_search(
        &self,
        text: &str,
        language: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<OccupationHit>, usize)> {
        let words = crate::index::folded_words(text);
        if words.is_empty() {
            return Err(Error::invalid(
                ErrorCode::QueryTooShort,
                "type at least 1 letter",
            ));
        }
        let taxonomy = self.taxonomy()?;
        let mut found: Vec<(u8, String, u32)> = Vec::new();
        for occupation in 0..taxonomy.occupation_count() as u32 {
            let mut best: Option<u8> = None;
            for (_, kind, label) in taxonomy.occupation_labels(occupation) {
                let folded = fold(label);
                if words.iter().all(|word| folded.contains(word.as_str())) {
                    let rank = match kind {
                        LabelKind::Preferred => 0,
                        LabelKind::Alternative => 1,
                        LabelKind::Hidden => 2,
                    };
                    best = Some(best.map_or(rank, |b: u8| b.min(rank)));
                }
            }
            if let Some(rank) = best {
                let label = taxonomy
                    .occupation_label(occupation, language)
                    .unwrap_or_default()
                    .to_string();
                found.push((rank, label, occupation));
            }
        }
        found.sort();
        let total = found.len();
        let hits = found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(_, label, occupation)| OccupationHit {
                uri: taxonomy.occupation_uri(occupation).to_string(),
                label,
                isco_group: taxonomy.occupation_isco_group(occupation).to_string(),
                code: taxonomy.occupation_code(occupation).to_string(),
            })
            .collect();
        Ok((hits, total))
    }

    /// An occupation by URI or by the identifier after the ESCO prefix, with its skills.
    pub fn occupation_detail(&self, id: &str, language: &str) -> Result<OccupationDetail> {
        let taxonomy = self.taxonomy()?;
        let uri = full_uri(ESCO_OCCUPATION_PREFIX, id);
        let occupation = taxonomy
            .occupation_idx(&uri)
            .ok_or_else(|| Error::not_found(ErrorCode::OccupationNotFound, "occupation", id))?;
        let mut essential_skills = Vec::new();
        let mut optional_skills = Vec::new();
        for &(skill, essential) in taxonomy.occupation_skills(occupation) {
            let reference = skill_ref(&taxonomy, skill, language);
            if essential {
                essential_skills.push(reference);
            } else {
                optional_skills.push(reference);
            }
        }
        Ok(OccupationDetail {
            occupation: OccupationHit {
                uri: uri.clone(),
                label: taxonomy
                    .occupation_label(occupation, language)
                    .unwrap_or_default()
                    .to_string(),
                isco_group: taxonomy.occupation_isco_group(occupation).to_string(),
                code: taxonomy.occupation_code(occupation).to_string(),
            },
            description: taxonomy
                .occupation_description(occupation, language)
                .map(str::to_string),
            essential_skills,
            optional_skills,
        })
    }
}
