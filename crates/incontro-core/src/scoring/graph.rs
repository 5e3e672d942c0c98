//! [`SkillGraph`]: which skills count as related, and how specific each skill is.

use crate::{Error, ErrorCode, Result};

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

    /// The relation seen from the other skill's side.
    pub fn reversed(self) -> Self {
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
    /// `(held skill, relation, closeness)` per required skill.
    neighbours: Vec<(u32, Relation, f32)>,
    specificity: Vec<Specificity>,
    /// The broader concepts of each skill (compressed rows), to name the shared parent.
    broader_offsets: Vec<u32>,
    broader: Vec<u32>,
    /// The number of narrower concepts (kept in the graph) of each skill or group.
    family_size: Vec<u32>,
}

/// How close two related skills are, in (0, 1]: the share of the related discount a held skill
/// earns for a required one ([`SkillGraph::with_closeness`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Closeness {
    /// Two skills ESCO's skill–skill relations link.
    pub related: f32,
    /// A skill and its direct broader (or narrower) skill or group.
    pub parent_child: f32,
    /// Two children of the same broader concept with `n` children earn `min(1, siblings / (n − 1))`:
    /// one sibling among many says less about the other than one among few.
    /// `f32::INFINITY` gives every sibling closeness 1.
    pub siblings: f32,
}

impl Closeness {
    /// Closeness 1 for every relation (one discount for all).
    pub const FLAT: Closeness = Closeness {
        related: 1.0,
        parent_child: 1.0,
        siblings: f32::INFINITY,
    };

    /// The closeness of two children of a concept with `family` children.
    pub fn sibling(&self, family: usize) -> f32 {
        let others = family.saturating_sub(1).max(1) as f32;
        (self.siblings / others).min(1.0)
    }
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
        Self::with_closeness(
            skill_count,
            broader_edges,
            related_edges,
            reuse_level,
            &Closeness::FLAT,
        )
    }

    /// [`SkillGraph::new`], each relation weighted by its [`Closeness`]. When two skills are
    /// linked in several ways, the first of Related, Narrower, Broader, SameBroader names the
    /// relation and the closest of them gives the closeness.
    pub fn with_closeness(
        skill_count: usize,
        broader_edges: &[(u32, u32)],
        related_edges: &[(u32, u32)],
        reuse_level: Vec<Specificity>,
        closeness: &Closeness,
    ) -> Result<Self> {
        let bad_edge =
            |(a, b): &(u32, u32)| (*a as usize) >= skill_count || (*b as usize) >= skill_count;
        if let Some(edge) = broader_edges
            .iter()
            .chain(related_edges)
            .find(|e| bad_edge(e))
        {
            return Err(Error::invalid(
                ErrorCode::InvalidSkillGraph,
                format!("edge {edge:?} refers to a skill outside 0..{skill_count}"),
            ));
        }
        if reuse_level.len() > skill_count {
            return Err(Error::invalid(
                ErrorCode::InvalidSkillGraph,
                format!(
                    "{} reuse levels for {skill_count} skills",
                    reuse_level.len()
                ),
            ));
        }
        // pairs (required, held, relation of held to required, closeness)
        let mut pairs: Vec<(u32, u32, Relation, f32)> = Vec::new();
        for &(a, b) in related_edges {
            if a != b {
                pairs.push((a, b, Relation::Related, closeness.related));
                pairs.push((b, a, Relation::Related, closeness.related));
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
            let near = closeness.parent_child;
            pairs.push((narrower, broader, Relation::Broader, near));
            pairs.push((broader, narrower, Relation::Broader.reversed(), near));
            children[broader as usize].push(narrower);
        }
        let mut family_size = vec![0u32; skill_count];
        for (parent, group) in children.iter_mut().enumerate() {
            group.sort_unstable();
            group.dedup();
            family_size[parent] = group.len() as u32;
            let near = closeness.sibling(group.len());
            for (i, &a) in group.iter().enumerate() {
                for &b in &group[i + 1..] {
                    pairs.push((a, b, Relation::SameBroader, near));
                    pairs.push((b, a, Relation::SameBroader, near));
                }
            }
        }
        // Per pair: the first relation (Related < Narrower < Broader < SameBroader) names it, the
        // closest one gives the closeness.
        pairs.sort_unstable_by(|x, y| {
            (x.0, x.1, x.2)
                .cmp(&(y.0, y.1, y.2))
                .then(y.3.total_cmp(&x.3))
        });
        let mut deduped: Vec<(u32, u32, Relation, f32)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match deduped.last_mut() {
                Some(last) if last.0 == pair.0 && last.1 == pair.1 => {
                    last.3 = last.3.max(pair.3);
                }
                _ => deduped.push(pair),
            }
        }
        let pairs = deduped;
        let mut offsets = vec![0u32; skill_count + 1];
        for &(required, _, _, _) in &pairs {
            offsets[required as usize + 1] += 1;
        }
        for i in 0..skill_count {
            offsets[i + 1] += offsets[i];
        }
        let neighbours = pairs
            .into_iter()
            .map(|(_, held, relation, near)| (held, relation, near))
            .collect();
        let mut specificity = reuse_level;
        specificity.resize(skill_count, Specificity::Unknown);
        Ok(SkillGraph {
            offsets,
            neighbours,
            specificity,
            broader_offsets,
            broader: broader_list,
            family_size,
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

    /// The broader concept two skills share with the fewest children, the lowest id on ties (the
    /// "competenza madre" an explanation names for [`Relation::SameBroader`]: the one that made
    /// them closest).
    pub fn common_broader(&self, a: u32, b: u32) -> Option<u32> {
        let theirs = self.broader_of(b);
        self.broader_of(a)
            .iter()
            .copied()
            .filter(|parent| theirs.binary_search(parent).is_ok())
            .min_by_key(|&parent| (self.family_size(parent), parent))
    }

    /// The number of narrower concepts of a skill or group kept in the graph.
    pub fn family_size(&self, skill: u32) -> usize {
        self.family_size.get(skill as usize).copied().unwrap_or(0) as usize
    }

    /// The number of skills.
    pub fn skill_count(&self) -> usize {
        self.specificity.len()
    }

    /// The skills related to `required`, each with how it relates and how close it is, sorted by
    /// skill id. Because the relation is symmetric, these are also the requirements a held skill
    /// can earn credit for.
    pub fn related_to(&self, required: u32) -> &[(u32, Relation, f32)] {
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
                (0, Relation::Broader, 1.0),
                (2, Relation::SameBroader, 1.0),
                (3, Relation::Related, 1.0)
            ]
        );
        assert_eq!(
            graph.related_to(0),
            &[(1, Relation::Narrower, 1.0), (2, Relation::Narrower, 1.0)]
        );
        assert_eq!(graph.specificity(2), Specificity::Unknown);
        assert!(graph.related_to(99).is_empty());
        assert_eq!(graph.common_broader(1, 2), Some(0));
        assert_eq!(graph.common_broader(1, 3), None);
    }

    #[test]
    fn closeness_follows_the_relation_and_the_family_size() {
        // 0: a concept with children 1, 2, 3; 10: a group with children 1 and 11..=19 (ten);
        // 4 related to 1.
        let mut broader = vec![(1, 0), (2, 0), (3, 0), (1, 10)];
        broader.extend((11..20).map(|skill| (skill, 10)));
        let closeness = Closeness {
            related: 0.6,
            parent_child: 0.8,
            siblings: 1.5,
        };
        let graph =
            SkillGraph::with_closeness(20, &broader, &[(4, 1)], vec![], &closeness).unwrap();
        let of = |required: u32, held: u32| {
            graph
                .related_to(required)
                .iter()
                .find(|entry| entry.0 == held)
                .map(|&(_, relation, near)| (relation, near))
        };
        assert_eq!(of(1, 4), Some((Relation::Related, 0.6)));
        assert_eq!(of(1, 0), Some((Relation::Broader, 0.8)));
        assert_eq!(of(0, 1), Some((Relation::Narrower, 0.8)));
        // three children: 1.5 / 2 others; ten children: 1.5 / 9 others.
        assert_eq!(of(1, 2), Some((Relation::SameBroader, 0.75)));
        assert_eq!(of(1, 11), Some((Relation::SameBroader, 1.5 / 9.0)));
        assert_eq!(of(11, 12), Some((Relation::SameBroader, 1.5 / 9.0)));
        assert_eq!(graph.family_size(10), 10);
        // 1 and 2 share only 0; the explanation names it.
        assert_eq!(graph.common_broader(2, 1), Some(0));
        // The flat graph gives every relation closeness 1.
        let flat = SkillGraph::new(20, &broader, &[(4, 1)], vec![]).unwrap();
        assert!(flat.related_to(1).iter().all(|entry| entry.2 == 1.0));
    }

    #[test]
    fn the_closest_shared_parent_is_named() {
        // 1 and 2 share the large group 10 (children 1..=9) and the small concept 20 (1, 2).
        let mut broader: Vec<(u32, u32)> = (1..10).map(|skill| (skill, 10)).collect();
        broader.extend([(1, 20), (2, 20)]);
        let closeness = Closeness {
            siblings: 1.0,
            ..Closeness::FLAT
        };
        let graph = SkillGraph::with_closeness(21, &broader, &[], vec![], &closeness).unwrap();
        assert_eq!(graph.common_broader(1, 2), Some(20));
        let near = graph
            .related_to(1)
            .iter()
            .find(|entry| entry.0 == 2)
            .unwrap()
            .2;
        assert_eq!(near, 1.0);
        assert_eq!(graph.common_broader(1, 3), Some(10));
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
