//! What the taxonomy contributes to matching: the related-skill graph and the skills a past job's
//! occupation stands for.

use std::collections::HashMap;

use ahash::AHashMap;

use crate::model::{OccupationCode, SkillUri};
use crate::profile::OccupationSkills;
use crate::scoring::{Closeness, SkillGraph, Specificity};
use crate::taxonomy::{ReuseLevel, Taxonomy};
use crate::Result;

/// Which broader relations to skill groups the related-skill graph keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GraphOptions {
    /// Skills under the same skill group are siblings ("stessa competenza madre") when the group
    /// holds at most this many skills: the deepest ESCO groups (median 9 skills, e.g. "joining
    /// parts using soldering, welding or brazing techniques") name one trade's concepts, the
    /// largest (up to 221) a whole field. 0 leaves every group out; `usize::MAX` keeps all.
    pub group_siblings_up_to: usize,
    /// Whether ESCO's skill–skill relations count.
    pub skill_relations: bool,
    /// How much of the related discount each relation earns.
    pub closeness: Closeness,
}

/// The default: siblings under skill groups of at most [`GROUP_SIBLINGS_UP_TO`] skills.
pub const GROUP_SIBLINGS_UP_TO: usize = 40;

impl Default for GraphOptions {
    fn default() -> Self {
        GraphOptions {
            group_siblings_up_to: GROUP_SIBLINGS_UP_TO,
            skill_relations: true,
            closeness: Closeness::FLAT,
        }
    }
}

/// The related-skill graph of the taxonomy, for default-mode scoring.
///
/// Edges are the ESCO skill–skill relations, the broader relations between two skills (a
/// knowledge concept and its narrower concepts, whose children are siblings), and the broader
/// relations to the *small* skill groups ([`GraphOptions`]): crediting every sibling of a large
/// group as related lowered the rank of people's own occupations on the shared workload, while
/// the small groups are where a CV and a breakdown most often record neighbouring concepts (see
/// docs/scoring.md).
pub fn skill_graph(taxonomy: &Taxonomy) -> Result<SkillGraph> {
    skill_graph_for(taxonomy, &GraphOptions::default())
}

/// [`skill_graph`], with every skill group (`with_groups`) or the default small ones.
pub fn skill_graph_with(taxonomy: &Taxonomy, with_groups: bool) -> Result<SkillGraph> {
    let options = if with_groups {
        GraphOptions {
            group_siblings_up_to: usize::MAX,
            ..GraphOptions::default()
        }
    } else {
        GraphOptions::default()
    };
    skill_graph_for(taxonomy, &options)
}

/// [`skill_graph`] with explicit options.
pub fn skill_graph_for(taxonomy: &Taxonomy, options: &GraphOptions) -> Result<SkillGraph> {
    let count = taxonomy.skill_count();
    // Skills (not groups) under each group.
    let mut group_size = vec![0usize; count];
    for skill in 0..count as u32 {
        if taxonomy.is_group(skill) {
            continue;
        }
        for &parent in taxonomy.broader(skill) {
            if taxonomy.is_group(parent) {
                group_size[parent as usize] += 1;
            }
        }
    }
    let mut broader_edges = Vec::new();
    let mut related_edges = Vec::new();
    let mut specificity = Vec::with_capacity(count);
    for skill in 0..count as u32 {
        for &parent in taxonomy.broader(skill) {
            let keep = !taxonomy.is_group(parent)
                || (!taxonomy.is_group(skill)
                    && group_size[parent as usize] <= options.group_siblings_up_to);
            if keep {
                broader_edges.push((skill, parent));
            }
        }
        if options.skill_relations {
            for &(other, _) in taxonomy.related(skill) {
                related_edges.push((skill, other));
            }
        }
        specificity.push(match taxonomy.reuse_level(skill) {
            ReuseLevel::Transversal => Specificity::Transversal,
            ReuseLevel::CrossSector => Specificity::CrossSector,
            ReuseLevel::SectorSpecific => Specificity::SectorSpecific,
            ReuseLevel::OccupationSpecific => Specificity::OccupationSpecific,
            ReuseLevel::Unknown => Specificity::Unknown,
        });
    }
    SkillGraph::with_closeness(
        count,
        &broader_edges,
        &related_edges,
        specificity,
        &options.closeness,
    )
}

/// Resolves a past job's occupation code to the ESCO skills it contributes.
///
/// An ESCO occupation gives its own essential and optional skills. An ISCO-08 code (or a CP2011
/// code mapped to ISCO-08 through the crosswalk) stands for a group of ESCO occupations: a skill
/// counts as essential when it is essential in at least half of the group's occupations, optional
/// when it is essential or optional in at least a quarter; the resolution confidence is 0.75.
pub fn resolve_occupation(
    taxonomy: &Taxonomy,
    crosswalk: &HashMap<String, String>,
    code: &OccupationCode,
) -> Option<OccupationSkills> {
    let isco = match code {
        OccupationCode::Esco(uri) => {
            let occupation = taxonomy.occupation_idx(uri.as_str())?;
            let label = taxonomy
                .occupation_label(occupation, "it")
                .unwrap_or(uri.as_str())
                .to_string();
            let skills = taxonomy
                .occupation_skills(occupation)
                .iter()
                .filter_map(|&(skill, essential)| {
                    SkillUri::parse(taxonomy.skill_uri(skill))
                        .ok()
                        .map(|uri| (uri, essential))
                })
                .collect();
            return Some(OccupationSkills {
                source: format!("ESCO: {label}"),
                skills,
                resolution_confidence: 1.0,
                group_only: false,
            });
        }
        OccupationCode::Isco08(isco) => isco.clone(),
        OccupationCode::Cp2011(cp) => {
            let five: String = cp.split('.').take(5).collect::<Vec<_>>().join(".");
            crosswalk.get(&five).or_else(|| crosswalk.get(cp))?.clone()
        }
    };
    let occupations: Vec<u32> = taxonomy.occupations_in_isco(&isco).collect();
    if occupations.is_empty() {
        return None;
    }
    let mut essential_count: AHashMap<u32, usize> = AHashMap::new();
    let mut any_count: AHashMap<u32, usize> = AHashMap::new();
    for &occupation in &occupations {
        for &(skill, essential) in taxonomy.occupation_skills(occupation) {
            *any_count.entry(skill).or_default() += 1;
            if essential {
                *essential_count.entry(skill).or_default() += 1;
            }
        }
    }
    let total = occupations.len();
    let mut skills: Vec<(SkillUri, bool)> = any_count
        .iter()
        .filter_map(|(&skill, &any)| {
            let essential = essential_count.get(&skill).copied().unwrap_or(0) * 2 >= total;
            let optional = any * 4 >= total;
            if !essential && !optional {
                return None;
            }
            SkillUri::parse(taxonomy.skill_uri(skill))
                .ok()
                .map(|uri| (uri, essential))
        })
        .collect();
    skills.sort_by(|a, b| a.0.cmp(&b.0));
    let source = match code {
        OccupationCode::Cp2011(cp) => format!("CP2011 {cp} → ISCO {isco}"),
        _ => format!("ISCO {isco}"),
    };
    Some(OccupationSkills {
        source,
        skills,
        resolution_confidence: 0.75,
        group_only: true,
    })
}
