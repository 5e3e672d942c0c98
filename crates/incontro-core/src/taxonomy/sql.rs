//! SQL of the taxonomy area: the ESCO concepts, their labels and relations.

use crate::store::db::{params, Db, Param};
use ahash::AHashMap;

use crate::progress::Progress;
use crate::taxonomy::graph::{LabelRecord, OccupationRecord, SkillRecord, TaxonomyRows};
use crate::taxonomy::import::{EscoBatch, Interner, KnownIds, OccupationRow, SkillRow};
use crate::taxonomy::{LabelKind, ReuseLevel, SkillType, TaxonomyStats};
use crate::Result;

const VERSION_KEY: &str = "esco_version";

fn uri_ids(connection: &Db<'_>, sql: &str) -> Result<AHashMap<String, u32>> {
    let mut statement = connection.prepare(sql)?;
    let mut ids = AHashMap::new();
    let mut rows = statement.query(params![])?;
    while let Some(row) = rows.next()? {
        ids.insert(row.get::<_, String>(1)?, row.get::<_, u32>(0)?);
    }
    Ok(ids)
}

/// The URI → id maps of the concepts already stored.
pub(crate) fn known_ids(connection: &Db<'_>) -> Result<KnownIds> {
    Ok(KnownIds {
        skills: Interner::from_stored(uri_ids(connection, "SELECT id, uri FROM esco_skill")?),
        occupations: Interner::from_stored(uri_ids(
            connection,
            "SELECT id, uri FROM esco_occupation",
        )?),
        isco_groups: Interner::from_stored(uri_ids(
            connection,
            "SELECT id, uri FROM esco_isco_group",
        )?),
    })
}

/// Counts progress in steps, so that the bar is not updated for every row.
struct Ticker<'a> {
    progress: &'a dyn Progress,
    pending: u64,
}

impl Ticker<'_> {
    fn add(&mut self, rows: usize) {
        self.pending += rows as u64;
        if self.pending >= 8192 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.progress.advance(self.pending);
        self.pending = 0;
    }
}

/// Writes an import batch (inside the caller's transaction).
///
/// With `merge`, nothing stored is replaced: relation rows are added to their tables, and
/// labels and descriptions are written only for (concept, language) pairs that have none.
pub(crate) fn write_batch(
    transaction: &Db<'_>,
    batch: &EscoBatch,
    merge: bool,
    progress: &dyn Progress,
) -> Result<()> {
    progress.start("writing taxonomy", Some(batch.write_units()));
    let mut ticker = Ticker {
        progress,
        pending: 0,
    };
    if let Some(version) = &batch.version {
        // A merge keeps the stored release's version.
        transaction.execute(
            if merge {
                "INSERT INTO taxonomy_meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO NOTHING"
            } else {
                "INSERT INTO taxonomy_meta(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value"
            },
            params![VERSION_KEY, version],
        )?;
    }
    let skills = merged_skills(&batch.skills);
    let mut values = Vec::with_capacity(skills.len() * 6);
    for skill in &skills {
        values.extend([
            Param::Integer(i64::from(skill.id)),
            Param::Text(skill.uri),
            Param::Integer(i64::from(skill.is_group)),
            skill
                .skill_type
                .map_or(Param::Null, |t| Param::Text(t.as_str())),
            skill
                .reuse_level
                .map_or(Param::Null, |r| Param::Text(r.as_str())),
            skill.code.map_or(Param::Null, Param::Text),
        ]);
    }
    transaction.insert_rows(
        "esco_skill",
        &["id", "uri", "is_group", "skill_type", "reuse_level", "code"],
        "ON CONFLICT(id) DO UPDATE SET
             is_group = max(esco_skill.is_group, excluded.is_group),
             skill_type = coalesce(excluded.skill_type, esco_skill.skill_type),
             reuse_level = coalesce(excluded.reuse_level, esco_skill.reuse_level),
             code = coalesce(excluded.code, esco_skill.code)",
        &values,
    )?;
    ticker.add(batch.skills.len());
    let occupations = merged_occupations(&batch.occupations);
    values.clear();
    for occupation in &occupations {
        values.extend([
            Param::Integer(i64::from(occupation.id)),
            Param::Text(occupation.uri),
            Param::Text(occupation.isco_group),
            Param::Text(occupation.code),
            Param::Integer(i64::from(occupation.listed)),
        ]);
    }
    transaction.insert_rows(
        "esco_occupation",
        &["id", "uri", "isco_group", "code", "listed"],
        "ON CONFLICT(id) DO UPDATE SET
             isco_group = CASE WHEN excluded.isco_group = '' THEN esco_occupation.isco_group
                               ELSE excluded.isco_group END,
             code = CASE WHEN excluded.code = '' THEN esco_occupation.code ELSE excluded.code END,
             listed = max(esco_occupation.listed, excluded.listed)",
        &values,
    )?;
    ticker.add(batch.occupations.len());
    // Last one wins, as one upsert after the other would leave it.
    let mut groups: Vec<(u32, &str, &str)> = Vec::with_capacity(batch.isco_groups.len());
    let mut group_index: AHashMap<u32, usize> = AHashMap::new();
    for group in &batch.isco_groups {
        match group_index.get(&group.id) {
            Some(&index) => groups[index].2 = &group.code,
            None => {
                group_index.insert(group.id, groups.len());
                groups.push((group.id, &group.uri, &group.code));
            }
        }
    }
    values.clear();
    for (id, uri, code) in &groups {
        values.extend([
            Param::Integer(i64::from(*id)),
            Param::Text(uri),
            Param::Text(code),
        ]);
    }
    transaction.insert_rows(
        "esco_isco_group",
        &["id", "uri", "code"],
        "ON CONFLICT(id) DO UPDATE SET code = excluded.code",
        &values,
    )?;
    ticker.add(batch.isco_groups.len());
    // With `merge`: the (concept, language) pairs that already had labels, left as they are.
    let mut kept: std::collections::HashSet<crate::taxonomy::import::ConceptLanguage> =
        std::collections::HashSet::new();
    {
        let mut has_labels = transaction.prepare(
            "SELECT EXISTS(SELECT 1 FROM esco_label
                           WHERE concept_kind = ?1 AND concept_id = ?2 AND lang = ?3)",
        )?;
        values.clear();
        for concept in &batch.touched {
            let language = batch.languages[concept.language as usize].as_str();
            let kind = concept.kind.to_db();
            if merge
                && has_labels.query_row(params![kind, concept.id, language], |row| {
                    row.get::<_, bool>(0)
                })?
            {
                kept.insert(*concept);
                continue;
            }
            values.extend([
                Param::Integer(kind),
                Param::Integer(i64::from(concept.id)),
                Param::Text(language),
            ]);
        }
        let keys = ["concept_kind", "concept_id", "lang"];
        transaction.delete_rows("esco_label", &keys, &values)?;
        transaction.delete_rows("esco_description", &keys, &values)?;
        ticker.add(batch.touched.len());
    }
    values.clear();
    for label in &batch.labels {
        if kept.contains(&label.concept) {
            continue;
        }
        values.extend([
            Param::Integer(label.concept.kind.to_db()),
            Param::Integer(i64::from(label.concept.id)),
            Param::Text(&batch.languages[label.concept.language as usize]),
            Param::Integer(label.kind.to_db()),
            Param::Text(&label.text),
        ]);
    }
    transaction.insert_rows(
        "esco_label",
        &["concept_kind", "concept_id", "lang", "label_kind", "label"],
        "",
        &values,
    )?;
    ticker.add(batch.labels.len());
    // Last description wins per (concept, language), as one upsert after the other.
    let mut descriptions: Vec<(crate::taxonomy::import::ConceptLanguage, &str)> = Vec::new();
    let mut description_index: AHashMap<crate::taxonomy::import::ConceptLanguage, usize> =
        AHashMap::new();
    for (concept, description) in &batch.descriptions {
        if kept.contains(concept) {
            continue;
        }
        match description_index.get(concept) {
            Some(&index) => descriptions[index].1 = description,
            None => {
                description_index.insert(*concept, descriptions.len());
                descriptions.push((*concept, description));
            }
        }
    }
    values.clear();
    for (concept, description) in &descriptions {
        values.extend([
            Param::Integer(concept.kind.to_db()),
            Param::Integer(i64::from(concept.id)),
            Param::Text(&batch.languages[concept.language as usize]),
            Param::Text(description),
        ]);
    }
    transaction.insert_rows(
        "esco_description",
        &["concept_kind", "concept_id", "lang", "description"],
        "ON CONFLICT (concept_kind, concept_id, lang) DO UPDATE SET description = excluded.description",
        &values,
    )?;
    ticker.add(batch.descriptions.len());
    if let Some(relations) = &batch.occupation_skills {
        if !merge {
            transaction.execute("DELETE FROM esco_occupation_skill", params![])?;
        }
        transaction.with_foreign_keys_checked_at_end("esco_occupation_skill", || {
            write_weighted_pairs(
                transaction,
                "esco_occupation_skill",
                ["occupation_id", "skill_id"],
                relations,
                merge,
            )
        })?;
        ticker.add(relations.len());
    }
    if let Some(relations) = &batch.broader {
        if !merge {
            transaction.execute("DELETE FROM esco_broader", params![])?;
        }
        values.clear();
        for (skill, broader) in relations {
            values.extend([
                Param::Integer(i64::from(*skill)),
                Param::Integer(i64::from(*broader)),
            ]);
        }
        transaction.with_foreign_keys_checked_at_end("esco_broader", || {
            transaction.insert_rows(
                "esco_broader",
                &["skill_id", "broader_id"],
                "ON CONFLICT DO NOTHING",
                &values,
            )
        })?;
        ticker.add(relations.len());
    }
    if let Some(relations) = &batch.skill_relations {
        if !merge {
            transaction.execute("DELETE FROM esco_skill_relation", params![])?;
        }
        transaction.with_foreign_keys_checked_at_end("esco_skill_relation", || {
            write_weighted_pairs(
                transaction,
                "esco_skill_relation",
                ["skill_id", "related_id"],
                relations,
                merge,
            )
        })?;
        ticker.add(relations.len());
    }
    ticker.flush();
    progress.finish();
    Ok(())
}

/// Writes (a, b, essential) relation rows. A merge keeps what is stored (the first row of a pair
/// wins); a replacing import lets the last row of a pair set `essential`, as one upsert after
/// the other would.
fn write_weighted_pairs(
    transaction: &Db<'_>,
    table: &str,
    [first, second]: [&str; 2],
    relations: &[(u32, u32, bool)],
    merge: bool,
) -> Result<()> {
    let rows: Vec<(u32, u32, bool)> = if merge {
        relations.to_vec()
    } else {
        let mut index: AHashMap<(u32, u32), usize> = AHashMap::with_capacity(relations.len());
        let mut rows: Vec<(u32, u32, bool)> = Vec::with_capacity(relations.len());
        for &(a, b, essential) in relations {
            match index.get(&(a, b)) {
                Some(&at) => rows[at].2 = essential,
                None => {
                    index.insert((a, b), rows.len());
                    rows.push((a, b, essential));
                }
            }
        }
        rows
    };
    let mut values = Vec::with_capacity(rows.len() * 3);
    for (a, b, essential) in &rows {
        values.extend([
            Param::Integer(i64::from(*a)),
            Param::Integer(i64::from(*b)),
            Param::Integer(i64::from(*essential)),
        ]);
    }
    let conflict = if merge {
        "ON CONFLICT DO NOTHING".to_owned()
    } else {
        format!("ON CONFLICT ({first}, {second}) DO UPDATE SET essential = excluded.essential")
    };
    transaction.insert_rows(table, &[first, second, "essential"], &conflict, &values)?;
    Ok(())
}

/// A skill row after merging every row of the batch with its id, as one upsert after the other
/// would: a group once is a group, and a later value replaces an earlier one unless it is empty.
struct MergedSkill<'a> {
    id: u32,
    uri: &'a str,
    is_group: bool,
    skill_type: Option<SkillType>,
    reuse_level: Option<ReuseLevel>,
    code: Option<&'a str>,
}

fn merged_skills(rows: &[SkillRow]) -> Vec<MergedSkill<'_>> {
    let mut index: AHashMap<u32, usize> = AHashMap::with_capacity(rows.len());
    let mut merged: Vec<MergedSkill<'_>> = Vec::with_capacity(rows.len());
    for row in rows {
        match index.get(&row.id) {
            Some(&at) => {
                let skill = &mut merged[at];
                skill.is_group |= row.is_group;
                skill.skill_type = row.skill_type.or(skill.skill_type);
                skill.reuse_level = row.reuse_level.or(skill.reuse_level);
                skill.code = row.code.as_deref().or(skill.code);
            }
            None => {
                index.insert(row.id, merged.len());
                merged.push(MergedSkill {
                    id: row.id,
                    uri: &row.uri,
                    is_group: row.is_group,
                    skill_type: row.skill_type,
                    reuse_level: row.reuse_level,
                    code: row.code.as_deref(),
                });
            }
        }
    }
    merged
}

/// An occupation row after merging every row of the batch with its id (see [`MergedSkill`]).
struct MergedOccupation<'a> {
    id: u32,
    uri: &'a str,
    isco_group: &'a str,
    code: &'a str,
    listed: bool,
}

fn merged_occupations(rows: &[OccupationRow]) -> Vec<MergedOccupation<'_>> {
    let mut index: AHashMap<u32, usize> = AHashMap::with_capacity(rows.len());
    let mut merged: Vec<MergedOccupation<'_>> = Vec::with_capacity(rows.len());
    for row in rows {
        match index.get(&row.id) {
            Some(&at) => {
                let occupation = &mut merged[at];
                if !row.isco_group.is_empty() {
                    occupation.isco_group = &row.isco_group;
                }
                if !row.code.is_empty() {
                    occupation.code = &row.code;
                }
                occupation.listed |= row.listed;
            }
            None => {
                index.insert(row.id, merged.len());
                merged.push(MergedOccupation {
                    id: row.id,
                    uri: &row.uri,
                    isco_group: &row.isco_group,
                    code: &row.code,
                    listed: row.listed,
                });
            }
        }
    }
    merged
}

const GENERATION_KEY: &str = "import_generation";

/// The taxonomy's import generation (0 before the first import that recorded one).
pub(crate) fn generation(connection: &Db<'_>) -> Result<i64> {
    let mut statement = connection.prepare("SELECT value FROM taxonomy_meta WHERE key = ?1")?;
    let mut rows = statement.query(params![GENERATION_KEY])?;
    match rows.next()? {
        Some(row) => Ok(row.get::<_, String>(0)?.parse().unwrap_or(0)),
        None => Ok(0),
    }
}

/// Moves the import generation on (inside an import's transaction).
pub(crate) fn bump_generation(connection: &Db<'_>) -> Result<()> {
    let next = generation(connection)? + 1;
    connection.execute(
        "INSERT INTO taxonomy_meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![GENERATION_KEY, next.to_string()],
    )?;
    Ok(())
}

fn count(connection: &Db<'_>, sql: &str) -> Result<u64> {
    Ok(connection.query_row(sql, params![], |row| row.get::<_, i64>(0))? as u64)
}

fn version(connection: &Db<'_>) -> Result<Option<String>> {
    let mut statement = connection.prepare("SELECT value FROM taxonomy_meta WHERE key = ?1")?;
    let mut rows = statement.query([VERSION_KEY])?;
    match rows.next()? {
        Some(row) => Ok(Some(row.get(0)?)),
        None => Ok(None),
    }
}

fn languages(connection: &Db<'_>) -> Result<Vec<String>> {
    let mut statement = connection.prepare("SELECT DISTINCT lang FROM esco_label ORDER BY lang")?;
    let languages = statement
        .query_map(params![], |row| row.get::<_, String>(0))?
        .collect::<crate::Result<Vec<_>>>()?;
    Ok(languages)
}

/// Counts of the stored taxonomy.
pub(crate) fn stats(connection: &Db<'_>) -> Result<TaxonomyStats> {
    Ok(TaxonomyStats {
        version: version(connection)?,
        languages: languages(connection)?,
        skills: count(
            connection,
            "SELECT count(*) FROM esco_skill WHERE is_group = 0",
        )?,
        skill_groups: count(
            connection,
            "SELECT count(*) FROM esco_skill WHERE is_group = 1",
        )?,
        occupations: count(
            connection,
            "SELECT count(*) FROM esco_occupation WHERE listed = 1",
        )?,
        isco_groups: count(connection, "SELECT count(*) FROM esco_isco_group")?,
        occupation_skill_relations: count(
            connection,
            "SELECT count(*) FROM esco_occupation_skill",
        )?,
        broader_relations: count(connection, "SELECT count(*) FROM esco_broader")?,
        skill_skill_relations: count(connection, "SELECT count(*) FROM esco_skill_relation")?,
    })
}

/// Everything the in-memory graph needs.
pub(crate) fn load_rows(connection: &Db<'_>) -> Result<TaxonomyRows> {
    let mut skills = Vec::new();
    {
        let mut statement = connection.prepare(
            "SELECT id, uri, is_group, skill_type, reuse_level FROM esco_skill ORDER BY id",
        )?;
        let mut rows = statement.query(params![])?;
        while let Some(row) = rows.next()? {
            skills.push(SkillRecord {
                id: row.get(0)?,
                uri: row.get(1)?,
                is_group: row.get(2)?,
                skill_type: row
                    .get::<_, Option<String>>(3)?
                    .as_deref()
                    .and_then(SkillType::parse),
                reuse_level: row
                    .get::<_, Option<String>>(4)?
                    .as_deref()
                    .and_then(ReuseLevel::parse)
                    .unwrap_or(ReuseLevel::Unknown),
            });
        }
    }
    let mut occupations = Vec::new();
    {
        let mut statement = connection
            .prepare("SELECT id, uri, isco_group, code FROM esco_occupation ORDER BY id")?;
        let mut rows = statement.query(params![])?;
        while let Some(row) = rows.next()? {
            occupations.push(OccupationRecord {
                id: row.get(0)?,
                uri: row.get(1)?,
                isco_group: row.get(2)?,
                code: row.get(3)?,
            });
        }
    }
    let mut labels = Vec::new();
    {
        let mut statement = connection.prepare(
            "SELECT concept_kind, concept_id, lang, label_kind, label FROM esco_label
             WHERE concept_kind IN (0, 1) ORDER BY rowid",
        )?;
        let mut rows = statement.query(params![])?;
        while let Some(row) = rows.next()? {
            let Some(kind) = LabelKind::from_db(row.get(3)?) else {
                continue;
            };
            labels.push(LabelRecord {
                occupation: row.get::<_, i64>(0)? == 1,
                id: row.get(1)?,
                language: row.get(2)?,
                kind,
                text: row.get(4)?,
            });
        }
    }
    let mut descriptions = Vec::new();
    {
        let mut statement = connection.prepare(
            "SELECT concept_kind, concept_id, lang, description FROM esco_description
             WHERE concept_kind IN (0, 1)",
        )?;
        let mut rows = statement.query(params![])?;
        while let Some(row) = rows.next()? {
            descriptions.push(LabelRecord {
                occupation: row.get::<_, i64>(0)? == 1,
                id: row.get(1)?,
                language: row.get(2)?,
                kind: LabelKind::Preferred,
                text: row.get(3)?,
            });
        }
    }
    let triples = |sql: &str| -> Result<Vec<(u32, u32, bool)>> {
        let mut statement = connection.prepare(sql)?;
        let triples = statement
            .query_map(params![], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<crate::Result<Vec<_>>>()?;
        Ok(triples)
    };
    let occupation_skills =
        triples("SELECT occupation_id, skill_id, essential FROM esco_occupation_skill")?;
    let skill_relations =
        triples("SELECT skill_id, related_id, essential FROM esco_skill_relation")?;
    let broader = triples("SELECT skill_id, broader_id, 0 FROM esco_broader")?
        .into_iter()
        .map(|(skill, broader, _)| (skill, broader))
        .collect();
    Ok(TaxonomyRows {
        version: version(connection)?,
        languages: languages(connection)?,
        skills,
        occupations,
        labels,
        descriptions,
        occupation_skills,
        broader,
        skill_relations,
    })
}
