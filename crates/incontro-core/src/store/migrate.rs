//! Moving up (issue 17, point 4): an office's embedded store, its audit file included, copied
//! into an empty PostgreSQL database in one transaction, every table's rows counted on both
//! sides before the commit.

use super::db::{params, Db, OwnedValue, Param};
use super::postgres_store::PgStore;
use super::{audit_db, Store};
use crate::{Error, Result};

/// What a move copied: each table with its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveReport {
    /// `(table, rows)`, in the order copied.
    pub tables: Vec<(String, u64)>,
}

impl MoveReport {
    /// All rows copied.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// Tables whose rows say a database is in use: the target must have none.
const IN_USE: &[&str] = &[
    "company",
    "vacancy",
    "job_seeker",
    "course",
    "cob_notice",
    "outreach_campaign",
    "api_key",
    "staff_account",
    "audit_log",
    "esco_skill",
];

/// At most this many parameters in one insert (PostgreSQL allows 65,535).
const PARAMETERS_PER_INSERT: usize = 30_000;

/// A table of the source: its name and columns.
struct Table {
    name: String,
    columns: Vec<String>,
    rowid: bool,
}

fn tables(db: &Db<'_>) -> Result<Vec<Table>> {
    let mut statement = db.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    )?;
    let listed: Vec<(String, String)> = statement
        .query_map(params![], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_>>()?;
    let mut tables = Vec::new();
    for (name, sql) in listed {
        let mut info = db.prepare(&format!("PRAGMA table_info(\"{name}\")"))?;
        let columns: Vec<String> = info
            .query_map(params![], |row| row.get(1))?
            .collect::<Result<_>>()?;
        tables.push(Table {
            rowid: !sql.to_ascii_uppercase().contains("WITHOUT ROWID"),
            name,
            columns,
        });
    }
    Ok(tables)
}

fn quoted(columns: &[String]) -> String {
    columns
        .iter()
        .map(|column| format!("\"{column}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Copies `table` from `source` into `target` (inside the target's transaction); its rows.
fn copy_table(source: &Db<'_>, target: &Db<'_>, table: &Table) -> Result<u64> {
    let columns = quoted(&table.columns);
    let order = if table.rowid { " ORDER BY rowid" } else { "" };
    let mut select = source.prepare(&format!("SELECT {columns} FROM \"{}\"{order}", table.name))?;
    let width = table.columns.len();
    let per_insert = (PARAMETERS_PER_INSERT / width.max(1)).max(1);
    let insert_sql = |rows: usize| {
        let mut sql = format!("INSERT INTO \"{}\" ({columns}) VALUES ", table.name);
        for row in 0..rows {
            if row > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for column in 0..width {
                if column > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("?{}", row * width + column + 1));
            }
            sql.push(')');
        }
        sql
    };
    // Owned values of one batch (the source's rows are borrowed only while read).
    let mut batch: Vec<OwnedValue> = Vec::with_capacity(per_insert * width);
    let mut copied = 0u64;
    let flush = |batch: &mut Vec<OwnedValue>| -> Result<u64> {
        if batch.is_empty() {
            return Ok(0);
        }
        let rows = batch.len() / width;
        let values: Vec<Param<'_>> = batch.iter().map(OwnedValue::as_param).collect();
        target.prepare(&insert_sql(rows))?.execute_values(&values)?;
        batch.clear();
        Ok(rows as u64)
    };
    let mut rows = select.query(params![])?;
    while let Some(row) = rows.next()? {
        for column in 0..width {
            batch.push(OwnedValue::from_value(row.get_ref(column)?));
        }
        if batch.len() >= per_insert * width {
            copied += flush(&mut batch)?;
        }
    }
    copied += flush(&mut batch)?;
    Ok(copied)
}

fn count(db: &Db<'_>, table: &str) -> Result<u64> {
    db.query_row(
        &format!("SELECT count(*) FROM \"{table}\""),
        params![],
        |row| row.get(0),
    )
}

/// Copies the SQLite store `source` (and its audit file) into the empty PostgreSQL database
/// `target_url`, migrated to this build's schema first. One transaction: on any failure (a
/// table not empty, a count that differs) nothing is left in the target.
pub fn move_to_postgres(source: &Store, target_url: &str) -> Result<MoveReport> {
    if source.sqlite_path().is_none() || source.is_in_memory() {
        return Err(Error::Internal(
            "the source of a move is an embedded store in a data directory".into(),
        ));
    }
    let target = Store::open_url(&super::DatabaseUrl::Postgres(target_url.to_owned()))?;
    let Some(pg) = target.postgres() else {
        return Err(Error::Internal("the target of a move is PostgreSQL".into()));
    };
    let audit = audit_db::open_audit_connection(source)?;
    copy_all(source, pg, audit.as_ref())
}

fn copy_all(
    source: &Store,
    pg: &PgStore,
    audit: Option<&audit_db::AuditConn>,
) -> Result<MoveReport> {
    source.read(|main| {
        let main_tables = tables(main)?;
        let audit_tables = match audit {
            Some(conn) => conn.read(tables)?,
            None => Vec::new(),
        };
        pg.write(|target| {
            for table in IN_USE {
                if count(target, table)? > 0 {
                    return Err(Error::invalid(
                        crate::ErrorCode::InvalidInput,
                        format!(
                            "the target database is not empty (table {table} has rows): a move goes into an empty database"
                        ),
                    ));
                }
            }
            let mut report = MoveReport::default();
            let copy = |source: &Db<'_>, table: &Table, report: &mut MoveReport| {
                // The audit file's rows, not the main file's (no longer written since the
                // log moved to its own file, and copied into it then).
                if audit.is_some() && matches!(table.name.as_str(), "audit_log" | "ranking_log")
                    && !audit_tables.iter().any(|t| std::ptr::eq(t, table))
                {
                    return Ok(());
                }
                // Rows a fresh schema starts with (the data revision) are the source's.
                if !matches!(table.name.as_str(), "audit_log" | "ranking_log") {
                    target.execute(&format!("DELETE FROM \"{}\"", table.name), params![])?;
                }
                let expected = count(source, &table.name)?;
                let copied = copy_table(source, target, table)?;
                let stored = count(target, &table.name)?;
                if copied != expected || stored != expected {
                    return Err(Error::Internal(format!(
                        "table {}: {expected} rows in the embedded store, {copied} copied, {stored} in PostgreSQL",
                        table.name
                    )));
                }
                report.tables.push((table.name.clone(), stored));
                Ok(())
            };
            for table in &main_tables {
                copy(main, table, &mut report)?;
            }
            if let Some(conn) = audit {
                conn.read(|audit_db| {
                    for table in &audit_tables {
                        copy(audit_db, table, &mut report)?;
                    }
                    Ok(())
                })?;
            }
            // Identity columns continue after the copied ids.
            let mut identities = target.prepare(
                "SELECT table_name, column_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND is_identity = 'YES'
                   AND column_name <> 'rowid'",
            )?;
            let identities: Vec<(String, String)> = identities
                .query_map(params![], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_>>()?;
            for (table, column) in identities {
                target.query_row(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'),
                                COALESCE((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)::text"
                    ),
                    params![],
                    |_| Ok(()),
                )?;
            }
            Ok(report)
        })
    })
}
