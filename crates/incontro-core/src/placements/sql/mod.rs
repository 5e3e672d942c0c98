//! SQL of the desk's recorded proposals and placements.

pub(crate) mod changes;

use crate::store::db::{params, Db, Row};

use crate::fairness::oversight::PairRank;
use crate::placements::{NewPlacement, Placement, PlacementKind, PlacementMode};
use crate::{Error, Result};

/// True when an identical proposal (person, vacancy, type) is already recorded.
pub(crate) fn proposal_exists(
    connection: &Db<'_>,
    person: &str,
    vacancy: &str,
    mode: PlacementMode,
) -> Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM placement_record WHERE job_seeker_id = ?1 AND vacancy_id = ?2
             AND kind = 'proposal' AND placement_type = ?3)",
        params![person, vacancy, mode.as_str()],
        |row| row.get(0),
    )
}

/// True when the course exists.
pub(crate) fn course_exists(connection: &Db<'_>, id: &str) -> Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM course WHERE id = ?1)",
        [id],
        |row| row.get(0),
    )
}

/// Stores a record; returns its id.
pub(crate) fn insert(
    tx: &Db<'_>,
    record: &NewPlacement,
    today: chrono::NaiveDate,
    rank: &PairRank,
) -> Result<i64> {
    let courses = serde_json::to_string(&record.course_ids)
        .map_err(|error| Error::Internal(format!("course ids: {error}")))?;
    tx.query_row(
        "INSERT INTO placement_record(job_seeker_id, vacancy_id, kind, placement_type, course_ids,
             note, recorded_by, recorded_on, vacancy_rank, candidate_rank, score)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             RETURNING id",
        params![
            record.job_seeker_id.as_str(),
            record.vacancy_id.as_str(),
            record.kind.as_str(),
            record.placement_type.as_str(),
            courses,
            record.note,
            record.recorded_by,
            today.format("%Y-%m-%d").to_string(),
            rank.vacancy_rank,
            rank.candidate_rank,
            f64::from(rank.score),
        ],
        |row| row.get(0),
    )
}

/// A person's records, newest first, with the vacancy title when the vacancy still exists.
pub(crate) fn for_person(connection: &Db<'_>, person: &str) -> Result<Vec<Placement>> {
    let mut statement = connection.prepare(
        "SELECT p.id, p.job_seeker_id, p.vacancy_id, v.title, p.kind, p.placement_type,
                p.course_ids, p.note, p.recorded_by, p.recorded_on,
                p.vacancy_rank, p.candidate_rank, p.score
         FROM placement_record p LEFT JOIN vacancy v ON v.id = p.vacancy_id
         WHERE p.job_seeker_id = ?1 ORDER BY p.id DESC",
    )?;
    let mut rows = statement.query([person])?;
    let mut list = Vec::new();
    while let Some(row) = rows.next()? {
        let kind: String = row.get(4)?;
        let mode: String = row.get(5)?;
        let courses: String = row.get(6)?;
        let day: String = row.get(9)?;
        list.push(Placement {
            id: row.get(0)?,
            job_seeker_id: row.get(1)?,
            vacancy_id: row.get(2)?,
            vacancy_title: row.get(3)?,
            kind: PlacementKind::parse(&kind)?,
            placement_type: PlacementMode::parse(&mode)?,
            course_ids: serde_json::from_str(&courses)
                .map_err(|error| Error::Internal(format!("stored course ids: {error}")))?,
            note: row.get(7)?,
            recorded_by: row.get(8)?,
            recorded_on: chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|error| Error::Internal(format!("stored day: {error}")))?,
            rank_when_recorded: rank_from(&row, 10)?,
        });
    }
    Ok(list)
}

/// The recorded rank from columns `first..first + 3` (vacancy rank, candidate rank, score);
/// `None` when the score is NULL (records made before ranks were kept).
fn rank_from(row: &Row<'_>, first: usize) -> Result<Option<PairRank>> {
    let score: Option<f64> = row.get(first + 2)?;
    let Some(score) = score else {
        return Ok(None);
    };
    Ok(Some(PairRank {
        vacancy_rank: row.get::<_, Option<u32>>(first)?,
        candidate_rank: row.get::<_, Option<u32>>(first + 1)?,
        score: score as f32,
    }))
}

/// Every record whose rank was kept: `(job seeker id, is a placement, rank)`, oldest first.
pub(crate) fn ranked_records(connection: &Db<'_>) -> Result<Vec<(String, bool, PairRank)>> {
    let mut statement = connection.prepare(
        "SELECT job_seeker_id, kind, vacancy_rank, candidate_rank, score FROM placement_record
         WHERE score IS NOT NULL ORDER BY id",
    )?;
    let mut rows = statement.query(params![])?;
    let mut list = Vec::new();
    while let Some(row) = rows.next()? {
        let kind: String = row.get(1)?;
        if let Some(rank) = rank_from(&row, 2)? {
            list.push((row.get(0)?, kind == "placement", rank));
        }
    }
    Ok(list)
}
