//! The offices table (issue 15, point 12).

use crate::store::db::{params, Db};

use crate::Result;

/// An office as stored: `(code, name, address, comune)`.
pub type OfficeRow = (String, String, String, String);

/// Every stored office, by code.
pub fn offices(connection: &Db<'_>) -> Result<Vec<OfficeRow>> {
    let mut statement =
        connection.prepare("SELECT code, name, address, comune FROM office ORDER BY code")?;
    let rows = statement.query_map(params![], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })?;
    rows.collect::<crate::Result<Vec<_>>>()
}

/// Adds or replaces an office.
pub fn upsert_office(connection: &Db<'_>, office: &OfficeRow) -> Result<()> {
    connection.execute(
        "INSERT INTO office (code, name, address, comune) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(code) DO UPDATE SET name = excluded.name, address = excluded.address,
           comune = excluded.comune",
        params![office.0, office.1, office.2, office.3],
    )?;
    Ok(())
}
