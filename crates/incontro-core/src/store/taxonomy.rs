//! SQL of the taxonomy area: the ESCO concepts, their labels and relations.

use crate::store::db::{params, Db};
use ahash::AHashMap;

use crate::progress::Progress;
use crate::taxonomy::graph::{LabelRecord, OccupationRecord, SkillRecord, TaxonomyRows};
use crate::taxonomy::import::{EscoBatch, Interner, KnownIds};
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
    fn tick(&mut self) {
        self.pending += 1;
        if self.pending == 8192 {
            self.progress.advance(self.pending);
            self.pending = 0;
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
    {
        let mut upsert = transaction.prepare(
            "INSERT INTO esco_skill(id, uri, is_group, skill_type, reuse_level, code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET
                 is_group = max(esco_skill.is_group, excluded.is_group),
                 skill_type = coalesce(excluded.skill_type, esco_skill.skill_type),
                 reuse_level = coalesce(excluded.reuse_level, esco_skill.reuse_level),
                 code = coalesce(excluded.code, esco_skill.code)",
        )?;
        for skill in &batch.skills {
            upsert.execute(params![
                skill.id,
                skill.uri,
                skill.is_group,
                skill.skill_type.map(SkillType::as_str),
                skill.reuse_level.map(ReuseLevel::as_str),
                skill.code,
            ])?;
            ticker.tick();
        }
    }
    {
        let mut upsert = transaction.prepare(
            "INSERT INTO esco_occupation(id, uri, isco_group, code, listed)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET
                 isco_group = CASE WHEN excluded.isco_group = '' THEN esco_occupation.isco_group
                                   ELSE excluded.isco_group END,
                 code = CASE WHEN excluded.code = '' THEN esco_occupation.code ELSE excluded.code END,
                 listed = max(esco_occupation.listed, excluded.listed)",
        )?;
        for occupation in &batch.occupations {
            upsert.execute(params![
                occupation.id,
                occupation.uri,
                occupation.isco_group,
                occupation.code,
                occupation.listed,
            ])?;
            ticker.tick();
        }
    }
    {
        let mut upsert = transaction.prepare(
            "INSERT INTO esco_isco_group(id, uri, code) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET code = excluded.code",
        )?;
        for group in &batch.isco_groups {
            upsert.execute(params![group.id, group.uri, group.code])?;
            ticker.tick();
        }
    }
    // With `merge`: the (concept, language) pairs that already had labels, left as they are.
    let mut kept: std::collections::HashSet<crate::taxonomy::import::ConceptLanguage> =
        std::collections::HashSet::new();
    {
        let mut delete_labels = transaction.prepare(
            "DELETE FROM esco_label WHERE concept_kind = ?1 AND concept_id = ?2 AND lang = ?3",
        )?;
        let mut delete_description = transaction.prepare(
            "DELETE FROM esco_description
             WHERE concept_kind = ?1 AND concept_id = ?2 AND lang = ?3",
        )?;
        let mut has_labels = transaction.prepare(
            "SELECT EXISTS(SELECT 1 FROM esco_label
                           WHERE concept_kind = ?1 AND concept_id = ?2 AND lang = ?3)",
        )?;
        for concept in &batch.touched {
            let language = &batch.languages[concept.language as usize];
            let kind = concept.kind.to_db();
            if merge
                && has_labels.query_row(params![kind, concept.id, language], |row| {
                    row.get::<_, bool>(0)
                })?
            {
                kept.insert(*concept);
                ticker.tick();
                continue;
            }
            delete_labels.execute(params![kind, concept.id, language])?;
            delete_description.execute(params![kind, concept.id, language])?;
            ticker.tick();
        }
        let mut insert_label = transaction.prepare(
            "INSERT INTO esco_label(concept_kind, concept_id, lang, label_kind, label)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for label in &batch.labels {
            if kept.contains(&label.concept) {
                ticker.tick();
                continue;
            }
            insert_label.execute(params![
                label.concept.kind.to_db(),
                label.concept.id,
                batch.languages[label.concept.language as usize],
                label.kind.to_db(),
                label.text,
            ])?;
            ticker.tick();
        }
        let mut insert_description = transaction.prepare(
            "INSERT INTO esco_description (concept_kind, concept_id, lang, description)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (concept_kind, concept_id, lang) DO UPDATE SET description = excluded.description",
        )?;
        for (concept, description) in &batch.descriptions {
            if kept.contains(concept) {
                ticker.tick();
                continue;
            }
            insert_description.execute(params![
                concept.kind.to_db(),
                concept.id,
                batch.languages[concept.language as usize],
                description,
            ])?;
            ticker.tick();
        }
    }
    if let Some(relations) = &batch.occupation_skills {
        if !merge {
            transaction.execute("DELETE FROM esco_occupation_skill", params![])?;
        }
        let mut insert = transaction.prepare(if merge {
            "INSERT OR IGNORE INTO esco_occupation_skill(occupation_id, skill_id, essential)
             VALUES (?1, ?2, ?3)"
        } else {
            "INSERT INTO esco_occupation_skill (occupation_id, skill_id, essential)
             VALUES (?1, ?2, ?3) ON CONFLICT (occupation_id, skill_id) DO UPDATE SET essential = excluded.essential"
        })?;
        for (occupation, skill, essential) in relations {
            insert.execute(params![occupation, skill, essential])?;
            ticker.tick();
        }
    }
    if let Some(relations) = &batch.broader {
        if !merge {
            transaction.execute("DELETE FROM esco_broader", params![])?;
        }
        let mut insert = transaction
            .prepare("INSERT OR IGNORE INTO esco_broader(skill_id, broader_id) VALUES (?1, ?2)")?;
        for (skill, broader) in relations {
            insert.execute(params![skill, broader])?;
            ticker.tick();
        }
    }
    if let Some(relations) = &batch.skill_relations {
        if !merge {
            transaction.execute("DELETE FROM esco_skill_relation", params![])?;
        }
        let mut insert = transaction.prepare(if merge {
            "INSERT OR IGNORE INTO esco_skill_relation(skill_id, related_id, essential)
             VALUES (?1, ?2, ?3)"
        } else {
            "INSERT INTO esco_skill_relation (skill_id, related_id, essential)
             VALUES (?1, ?2, ?3) ON CONFLICT (skill_id, related_id) DO UPDATE SET essential = excluded.essential"
        })?;
        for (skill, related, essential) in relations {
            insert.execute(params![skill, related, essential])?;
            ticker.tick();
        }
    }
    ticker.flush();
    progress.finish();
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
