//! The vacancy side of the batch: the vacancy file parsed in parallel pieces and turned into an
//! inverted index skill → postings.

use super::*;

/// A piece of the vacancy file, parsed, its ids and skills interned within the piece (in
/// order of first appearance, so that merging the pieces in file order numbers them as one pass
/// over the whole file would).
#[derive(Default)]
pub(super) struct VacancyPiece<'a> {
    pub(super) ids: Vec<&'a [u8]>,
    pub(super) skills: Vec<&'a [u8]>,
    /// (vacancy, skill) numbered within the piece, level, essential, line.
    pub(super) rows: Vec<(u32, u32, u8, bool, u64)>,
    pub(super) problems: Vec<LineProblem>,
}

/// One entry of the inverted index.
#[derive(Debug, Clone, Copy)]
pub(super) struct Posting {
    pub(super) vacancy: u32,
    /// Requirement weight divided by the vacancy's total weight.
    pub(super) weight: f32,
    /// `1 / essential count` for essential requirements, else 0.
    pub(super) essential_share: f32,
    pub(super) level: u8,
}

pub(super) struct VacancyIndex<'a> {
    /// Vacancy ids sorted ascending; positions index everything else.
    pub(super) vacancy_ids: Vec<&'a [u8]>,
    /// `,id,` of each vacancy, as written in a result row, one after the other: vacancy `v` is
    /// `labels[label_offsets[v]..label_offsets[v + 1]]`. Copied together (160 KB for 20,000
    /// vacancies) so that writing 600,000 rows does not fetch ids scattered over the file.
    pub(super) labels: Vec<u8>,
    pub(super) label_offsets: Vec<u32>,
    pub(super) has_essential: Vec<bool>,
    /// Interned skill of each vacancy skill URI. The map owns copies of the URIs, close
    /// together in memory: keys pointing into the vacancy file were scattered over it, and the
    /// 1.4 M worker-row lookups compared against them missed the cache.
    pub(super) skill_lookup: AHashMap<Box<[u8]>, u32>,
    /// Graph node of each interned skill (NONE when unknown or without taxonomy).
    pub(super) skill_graph_node: Vec<u32>,
    /// Interned skill of each graph node (NONE when no vacancy requires it).
    pub(super) graph_node_skill: Vec<u32>,
    pub(super) posting_offsets: Vec<u32>,
    pub(super) postings: Vec<Posting>,
    /// Exact mode: `(vacancy, weight / total)` grouped by `(skill, required level)`; group
    /// `skill * 4 + level - 1` spans `level_offsets[g]..level_offsets[g + 1]`.
    pub(super) level_offsets: Vec<u32>,
    pub(super) level_postings: Vec<(u32, f32)>,
    pub(super) unknown_to_taxonomy: HashSet<u64>,
}

pub(super) fn parse_vacancy_piece<'a>(
    piece: &'a [u8],
    first_line: u64,
    columns: &[usize],
) -> VacancyPiece<'a> {
    let mut out = VacancyPiece {
        rows: Vec::with_capacity(piece.len() / 80),
        ..VacancyPiece::default()
    };
    let mut vacancy_of = Interner::default();
    let mut skill_of = Interner::default();
    let needed = columns.iter().copied().max().unwrap_or(0) + 1;
    let mut fields = [&b""[..]; MAX_FIELDS];
    for (index, _, line) in lines_of(piece) {
        let line_number = first_line + index;
        if line.trim_ascii().is_empty() {
            continue;
        }
        let count = split_line(line, &mut fields);
        if count < needed {
            out.problems.push(LineProblem {
                line: line_number,
                field: None,
                message: format!("expected at least {needed} columns, found {count}"),
            });
            continue;
        }
        let (id, skill, level, essential) = (
            fields[columns[0]],
            fields[columns[1]],
            fields[columns[2]],
            fields[columns[3]],
        );
        let mut bad = |field: &'static str, message: String| {
            out.problems.push(LineProblem {
                line: line_number,
                field: Some(field),
                message,
            })
        };
        let level = match check_id_skill_level("vacancy_id", id, skill, level) {
            Ok(level) => level,
            Err((field, message)) => {
                bad(field, message);
                continue;
            }
        };
        let Some(essential) = parse_essential(essential) else {
            bad(
                "essential",
                format!("{:?} is not true or false", lossy(essential)),
            );
            continue;
        };
        let vacancy = vacancy_of.number(id);
        let skill = skill_of.number(skill);
        out.rows
            .push((vacancy, skill, level, essential, line_number));
    }
    out.ids = vacancy_of.keys;
    out.skills = skill_of.keys;
    out
}

/// Numbers byte strings in order of first appearance.
#[derive(Default)]
struct Interner<'a> {
    numbers: AHashMap<&'a [u8], u32>,
    /// The strings, by number.
    keys: Vec<&'a [u8]>,
}

impl<'a> Interner<'a> {
    fn number(&mut self, key: &'a [u8]) -> u32 {
        let keys = &mut self.keys;
        *self.numbers.entry(key).or_insert_with(|| {
            keys.push(key);
            (keys.len() - 1) as u32
        })
    }
}

impl<'a> VacancyIndex<'a> {
    pub(super) fn parse(
        bytes: &'a [u8],
        file: &str,
        config: &ScoringConfig,
        related: Option<&RelatedSkills<'_>>,
    ) -> Result<Self> {
        const COLUMNS: [&str; 4] = ["vacancy_id", "skill_uri", "level", "essential"];
        let (header, body) = header_and_body(bytes, file)?;
        let columns = parse_header(header, &COLUMNS, file)?;
        let pieces = parse_each_piece(body, |piece, first| {
            parse_vacancy_piece(piece, first, &columns)
        });
        let mut problems = Problems::default();
        for piece in &pieces {
            for problem in &piece.problems {
                problems.push(file, problem.line, problem.field, problem.message.clone());
            }
        }

        // Ids and skills numbered in file order: the pieces' own numbers, merged in order.
        let mut vacancy_of = Interner::default();
        let mut skills = Interner::default();
        let mut interned: Vec<(u32, u32, u8, bool, u64)> =
            Vec::with_capacity(pieces.iter().map(|p| p.rows.len()).sum());
        for piece in &pieces {
            let vacancy_numbers: Vec<u32> =
                piece.ids.iter().map(|&id| vacancy_of.number(id)).collect();
            let skill_numbers: Vec<u32> =
                piece.skills.iter().map(|&uri| skills.number(uri)).collect();
            interned.extend(piece.rows.iter().map(|&(v, s, level, essential, line)| {
                (
                    vacancy_numbers[v as usize],
                    skill_numbers[s as usize],
                    level,
                    essential,
                    line,
                )
            }));
        }
        drop(pieces);
        let first_seen = vacancy_of.keys;
        let (skills, skill_uris) = (skills.numbers, skills.keys);
        let mut order: Vec<u32> = (0..first_seen.len() as u32).collect();
        order.sort_unstable_by_key(|&v| first_seen[v as usize]);
        let mut position_of = vec![0u32; first_seen.len()];
        for (position, &vacancy) in order.iter().enumerate() {
            position_of[vacancy as usize] = position as u32;
        }
        let vacancy_ids: Vec<&'a [u8]> = order.iter().map(|&v| first_seen[v as usize]).collect();
        for entry in &mut interned {
            entry.0 = position_of[entry.0 as usize];
        }
        let interned = sort_by_vacancy_skill_line(interned, vacancy_ids.len());
        for pair in interned.windows(2) {
            if pair[0].0 == pair[1].0 && pair[0].1 == pair[1].1 {
                problems.push(
                    file,
                    pair[1].4,
                    Some("skill_uri"),
                    format!(
                        "duplicate row: vacancy {} already requires {} (line {})",
                        lossy(vacancy_ids[pair[1].0 as usize]),
                        lossy(skill_uris[pair[1].1 as usize]),
                        pair[0].4
                    ),
                );
            }
        }
        problems.into_result()?;

        // Taxonomy links.
        let hasher = fixed_hasher();
        let mut skill_graph_node = vec![NONE; skill_uris.len()];
        let mut graph_node_skill = Vec::new();
        let mut unknown_to_taxonomy = HashSet::new();
        if let Some(related) = related {
            graph_node_skill = vec![NONE; related.graph.skill_count()];
            for (skill, uri) in skill_uris.iter().enumerate() {
                let node = std::str::from_utf8(uri)
                    .ok()
                    .and_then(|text| (related.lookup)(text))
                    .filter(|&node| (node as usize) < graph_node_skill.len());
                match node {
                    Some(node) => {
                        skill_graph_node[skill] = node;
                        graph_node_skill[node as usize] = skill as u32;
                    }
                    None => {
                        unknown_to_taxonomy.insert(hash_uri(&hasher, uri));
                    }
                }
            }
        }
        let specificity = |skill: u32| -> f32 {
            match (related, skill_graph_node[skill as usize]) {
                (Some(related), node) if node != NONE && config.uses_specificity() => {
                    related.graph.specificity(node).multiplier()
                }
                _ => Specificity::Unknown.multiplier(),
            }
        };

        // Per-vacancy totals, then postings grouped by skill (counting sort).
        let vacancy_count = vacancy_ids.len();
        let mut total_weight = vec![0.0f32; vacancy_count];
        let mut essential_count = vec![0u32; vacancy_count];
        let mut weights = Vec::with_capacity(interned.len());
        for &(vacancy, skill, _, essential, _) in &interned {
            let base = if essential { 1.0 } else { 0.5 };
            let weight = base * specificity(skill);
            weights.push(weight);
            total_weight[vacancy as usize] += weight;
            essential_count[vacancy as usize] += u32::from(essential);
        }
        let mut posting_offsets = vec![0u32; skill_uris.len() + 1];
        for &(_, skill, _, _, _) in &interned {
            posting_offsets[skill as usize + 1] += 1;
        }
        for i in 0..skill_uris.len() {
            posting_offsets[i + 1] += posting_offsets[i];
        }
        let mut fill = posting_offsets.clone();
        let empty = Posting {
            vacancy: 0,
            weight: 0.0,
            essential_share: 0.0,
            level: 1,
        };
        let mut postings = vec![empty; interned.len()];
        for (&(vacancy, skill, level, essential, _), &weight) in interned.iter().zip(&weights) {
            let v = vacancy as usize;
            let slot = &mut fill[skill as usize];
            postings[*slot as usize] = Posting {
                vacancy,
                weight: weight / total_weight[v],
                essential_share: if essential {
                    1.0 / essential_count[v] as f32
                } else {
                    0.0
                },
                level,
            };
            *slot += 1;
        }
        let mut level_offsets = vec![0u32; skill_uris.len() * 4 + 1];
        for (skill, group) in posting_offsets.windows(2).enumerate() {
            for posting in &postings[group[0] as usize..group[1] as usize] {
                level_offsets[skill * 4 + usize::from(posting.level)] += 1;
            }
        }
        for i in 0..skill_uris.len() * 4 {
            level_offsets[i + 1] += level_offsets[i];
        }
        let mut level_fill = level_offsets.clone();
        let mut level_postings = vec![(0u32, 0.0f32); postings.len()];
        for (skill, group) in posting_offsets.windows(2).enumerate() {
            for posting in &postings[group[0] as usize..group[1] as usize] {
                let slot = &mut level_fill[skill * 4 + usize::from(posting.level) - 1];
                level_postings[*slot as usize] = (posting.vacancy, posting.weight);
                *slot += 1;
            }
        }
        let mut labels = Vec::with_capacity(vacancy_ids.iter().map(|id| id.len() + 2).sum());
        let mut label_offsets = Vec::with_capacity(vacancy_ids.len() + 1);
        label_offsets.push(0u32);
        for id in &vacancy_ids {
            labels.push(b',');
            labels.extend_from_slice(id);
            labels.push(b',');
            label_offsets.push(labels.len() as u32);
        }
        Ok(VacancyIndex {
            labels,
            label_offsets,
            level_offsets,
            level_postings,
            vacancy_ids,
            has_essential: essential_count.iter().map(|&c| c > 0).collect(),
            skill_lookup: skills
                .iter()
                .map(|(uri, &skill)| (Box::<[u8]>::from(*uri), skill))
                .collect(),
            skill_graph_node,
            graph_node_skill,
            posting_offsets,
            postings,
            unknown_to_taxonomy,
        })
    }

    pub(super) fn skill_count(&self) -> usize {
        self.posting_offsets.len() - 1
    }

    /// `,id,` of vacancy `vacancy`.
    pub(super) fn label(&self, vacancy: u32) -> &[u8] {
        let start = self.label_offsets[vacancy as usize] as usize;
        let end = self.label_offsets[vacancy as usize + 1] as usize;
        &self.labels[start..end]
    }

    pub(super) fn postings(&self, skill: u32) -> &[Posting] {
        let start = self.posting_offsets[skill as usize] as usize;
        let end = self.posting_offsets[skill as usize + 1] as usize;
        &self.postings[start..end]
    }
}

/// `rows` sorted by (vacancy, skill, line): a counting sort by vacancy (stable: lines stay in
/// file order), then each vacancy's few rows by skill. The same order as a sort of the whole
/// list by that key (lines are unique), in two passes instead of a sort of every row.
fn sort_by_vacancy_skill_line(
    rows: Vec<(u32, u32, u8, bool, u64)>,
    vacancies: usize,
) -> Vec<(u32, u32, u8, bool, u64)> {
    let mut offsets = vec![0usize; vacancies + 1];
    for row in &rows {
        offsets[row.0 as usize + 1] += 1;
    }
    for i in 0..vacancies {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut sorted = vec![(0u32, 0u32, 0u8, false, 0u64); rows.len()];
    for row in rows {
        let slot = &mut fill[row.0 as usize];
        sorted[*slot] = row;
        *slot += 1;
    }
    for group in offsets.windows(2) {
        sorted[group[0]..group[1]].sort_unstable_by_key(|&(_, skill, _, _, line)| (skill, line));
    }
    sorted
}
