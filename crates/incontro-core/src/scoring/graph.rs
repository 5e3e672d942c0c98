//! [`SkillGraph`]: which skills count as related, and how specific each skill is.

use crate::{Error, Result};

/// How specific a skill is (mirrors the ESCO reuse level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Specificity {
    /// Useful in any job (ESCO "transversal").
    Transversal,
    /// Useful across sectors.
    CrossSector,
    /// Specific to a sector.
    SectorSpecific,
    /// Specific to an occupation.
    OccupationSpecific,
    /// Not known (skills outside the taxonomy).
    Unknown,
}

impl Specificity {
    /// The weight multiplier of a requirement on a skill of this specificity.
    pub fn multiplier(self) -> f32 {
        match self {
            Specificity::Transversal => 0.5,
            Specificity::CrossSector => 0.75,
            Specificity::SectorSpecific | Specificity::Unknown => 1.0,
            Specificity::OccupationSpecific => 1.25,
        }
    }

    /// Parses the ESCO spelling (`transversal`, `cross-sector`, `sector-specific`,
    /// `occupation-specific`, also with `_`); anything else is [`Specificity::Unknown`].
    pub fn from_esco(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "transversal" => Specificity::Transversal,
            "cross-sector" | "crosssector" => Specificity::CrossSector,
            "sector-specific" | "sectorspecific" => Specificity::SectorSpecific,
            "occupation-specific" | "occupationspecific" => Specificity::OccupationSpecific,
            _ => Specificity::Unknown,
        }
    }
}

/// How a held skill relates to a required one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The held skill is linked to the required one by an ESCO skill–skill relation.
    Related,
    /// The held skill is narrower than (a specialisation of) the required one.
    Narrower,
    /// The held skill is broader than the required one.
    Broader,
    /// Both share a broader concept in the ESCO skill hierarchy.
    SameBroader,
}

impl Relation {
    /// Short English description.
    pub fn describe_en(self) -> &'static str {
        match self {
            Relation::Related => "linked in ESCO",
            Relation::Narrower => "more specific skill",
            Relation::Broader => "broader skill",
            Relation::SameBroader => "same parent skill",
        }
    }

    /// Short Italian description.
    pub fn describe_it(self) -> &'static str {
        match self {
            Relation::Related => "collegata in ESCO",
            Relation::Narrower => "competenza più specifica",
            Relation::Broader => "competenza più generale",
            Relation::SameBroader => "stessa competenza madre",
        }
    }

    fn reversed(self) -> Self {
        match self {
            Relation::Narrower => Relation::Broader,
            Relation::Broader => Relation::Narrower,
            other => other,
        }
    }
}

/// The related-skill graph over interned skills `0..skill_count`.
///
/// Held skill `t` is related to required skill `s` when an ESCO skill–skill relation links them
/// (either direction), when one is the direct broader concept of the other, or when both share a
/// broader concept. The neighbour lists are precomputed (compressed rows, sorted by skill id).
#[derive(Debug, Clone, Default)]
pub struct SkillGraph {
    offsets: Vec<u32>,
    neighbours: Vec<(u32, Relation)>,
    specificity: Vec<Specificity>,
    /// The broader concepts of each skill (compressed rows), to name the shared parent.
    broader_offsets: Vec<u32>,
    broader: Vec<u32>,
}

impl SkillGraph {
    /// Builds the graph. `broader_edges` are `(narrower, broader)` pairs, `related_edges`
    /// skill–skill relations (taken as symmetric); `reuse_level` has one entry per skill (shorter
    /// vectors are padded with [`Specificity::Unknown`]). Fails on an edge outside
    /// `0..skill_count` or a longer `reuse_level`.
    pub fn new(
        skill_count: usize,
        broader_edges: &[(u32, u32)],
        related_edges: &[(u32, u32)],
        reuse_level: Vec<Specificity>,
    ) -> Result<Self> {
        let bad_edge =
            |(a, b): &(u32, u32)| (*a as usize) >= skill_count || (*b as usize) >= skill_count;
        if let Some(edge) = broader_edges
            .iter()
            .chain(related_edges)
            .find(|e| bad_edge(e))
        {
            return Err(Error::invalid(
                "invalid_skill_graph",
                format!("edge {edge:?} refers to a skill outside 0..{skill_count}"),
            ));
        }
        if reuse_level.len() > skill_count {
            return Err(Error::invalid(
                "invalid_skill_graph",
                format!(
                    "{} reuse levels for {skill_count} skills",
                    reuse_level.len()
                ),
            ));
        }
        // pairs (required, held, relation of held to required)
        let mut pairs: Vec<(u32, u32, Relation)> = Vec::new();
        for &(a, b) in related_edges {
            if a != b {
                pairs.push((a, b, Relation::Related));
                pairs.push((b, a, Relation::Related));
            }
        }
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); skill_count];
        let mut parents: Vec<Vec<u32>> = vec![Vec::new(); skill_count];
        for &(narrower, broader) in broader_edges {
            if narrower != broader {
                parents[narrower as usize].push(broader);
            }
        }
        let mut broader_offsets = Vec::with_capacity(skill_count + 1);
        let mut broader_list = Vec::new();
        broader_offsets.push(0u32);
        for list in &mut parents {
            list.sort_unstable();
            list.dedup();
            broader_list.extend_from_slice(list);
            broader_offsets.push(broader_list.len() as u32);
        }
        for &(narrower, broader) in broader_edges {
            if narrower == broader {
                continue;
            }
            // required narrower, held broader: the held skill is broader.
            pairs.push((narrower, broader, Relation::Broader));
            pairs.push((broader, narrower, Relation::Broader.reversed()));
            children[broader as usize].push(narrower);
        }
        for group in &mut children {
            group.sort_unstable();
            group.dedup();
            for (i, &a) in group.iter().enumerate() {
                for &b in &group[i + 1..] {
                    pairs.push((a, b, Relation::SameBroader));
                    pairs.push((b, a, Relation::SameBroader));
                }
            }
        }
        // Keep the strongest relation per pair (Related < Narrower < Broader < SameBroader).
        pairs.sort_unstable();
        pairs.dedup_by(|later, earlier| later.0 == earlier.0 && later.1 == earlier.1);
        let mut offsets = vec![0u32; skill_count + 1];
        for &(required, _, _) in &pairs {
            offsets[required as usize + 1] += 1;
        }
        for i in 0..skill_count {
            offsets[i + 1] += offsets[i];
        }
        let neighbours = pairs
            .into_iter()
            .map(|(_, held, relation)| (held, relation))
            .collect();
        let mut specificity = reuse_level;
        specificity.resize(skill_count, Specificity::Unknown);
        Ok(SkillGraph {
            offsets,
            neighbours,
            specificity,
            broader_offsets,
            broader: broader_list,
        })
    }

    /// The broader concepts of a skill, sorted by id.
    pub fn broader_of(&self, skill: u32) -> &[u32] {
        let index = skill as usize;
        if index + 1 >= self.broader_offsets.len() {
            return &[];
        }
        &self.broader
            [self.broader_offsets[index] as usize..self.broader_offsets[index + 1] as usize]
    }

    /// The lowest-id broader concept two skills share (the "competenza madre" an explanation
    /// names for [`Relation::SameBroader`]).
    pub fn common_broader(&self, a: u32, b: u32) -> Option<u32> {
        let theirs = self.broader_of(b);
        self.broader_of(a)
            .iter()
            .copied()
            .find(|parent| theirs.binary_search(parent).is_ok())
    }

    /// The number of skills.
    pub fn skill_count(&self) -> usize {
        self.specificity.len()
    }

    /// The skills related to `required`, each with how it relates, sorted by skill id. Because the
    /// relation is symmetric, these are also the requirements a held skill can earn credit for.
    pub fn related_to(&self, required: u32) -> &[(u32, Relation)] {
        let index = required as usize;
        if index + 1 >= self.offsets.len() {
            return &[];
        }
        let start = self.offsets[index] as usize;
        let end = self.offsets[index + 1] as usize;
        &self.neighbours[start..end]
    }

    /// The specificity of a skill ([`Specificity::Unknown`] outside the graph).
    pub fn specificity(&self, skill: u32) -> Specificity {
        self.specificity
            .get(skill as usize)
            .copied()
            .unwrap_or(Specificity::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_parents_and_relations_are_neighbours() {
        // 0 is a group with children 1, 2; 3 related to 1.
        let graph = SkillGraph::new(4, &[(1, 0), (2, 0)], &[(3, 1)], vec![]).unwrap();
        assert_eq!(
            graph.related_to(1),
            &[
                (0, Relation::Broader),
                (2, Relation::SameBroader),
                (3, Relation::Related)
            ]
        );
        assert_eq!(
            graph.related_to(0),
            &[(1, Relation::Narrower), (2, Relation::Narrower)]
        );
        assert_eq!(graph.specificity(2), Specificity::Unknown);
        assert!(graph.related_to(99).is_empty());
        assert_eq!(graph.common_broader(1, 2), Some(0));
        assert_eq!(graph.common_broader(1, 3), None);
    }

    #[test]
    fn out_of_range_edges_are_rejected() {
        let error = SkillGraph::new(2, &[(1, 5)], &[], vec![]).unwrap_err();
        assert_eq!(error.code(), "invalid_skill_graph");
    }

    #[test]
    fn esco_reuse_levels_parse() {
        assert_eq!(
            Specificity::from_esco("cross-sector"),
            Specificity::CrossSector
        );
        assert_eq!(
            Specificity::from_esco("occupation-specific"),
            Specificity::OccupationSpecific
        );
        assert_eq!(Specificity::from_esco(""), Specificity::Unknown);
    }
}
