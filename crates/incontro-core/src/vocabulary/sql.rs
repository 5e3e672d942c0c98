//! Words for codes: comuni with their ISTAT code, and the code lists shown in words.

use crate::store::db::{params, Db};

use crate::Result;

/// A comune as stored, for the vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredComune {
    /// Codice catastale (Belfiore).
    pub code: String,
    /// Name.
    pub name: String,
    /// Province (sigla automobilistica).
    pub province: String,
    /// ISTAT code (six digits), when imported from ISTAT's list.
    pub istat_code: Option<String>,
    /// Coordinates, when known.
    pub coordinates: Option<(f64, f64)>,
}

/// Inserts or updates a comune from a list of comuni: coordinates the row does not give keep
/// the stored ones.
pub fn upsert_comune_entry(connection: &Db<'_>, comune: &StoredComune) -> Result<()> {
    let (lat, lon) = match comune.coordinates {
        Some((lat, lon)) => (Some(lat), Some(lon)),
        None => (None, None),
    };
    connection.execute(
        "INSERT INTO comune (code, name, province, lat, lon, istat_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(code) DO UPDATE SET name = excluded.name, province = excluded.province,
           lat = coalesce(excluded.lat, comune.lat), lon = coalesce(excluded.lon, comune.lon),
           istat_code = coalesce(excluded.istat_code, comune.istat_code)",
        params![
            comune.code,
            comune.name,
            comune.province,
            lat,
            lon,
            comune.istat_code
        ],
    )?;
    Ok(())
}

/// Every stored comune, by name.
pub fn load_comuni(connection: &Db<'_>) -> Result<Vec<StoredComune>> {
    let mut statement = connection.prepare(
        "SELECT code, name, province, istat_code, lat, lon FROM comune ORDER BY name, code",
    )?;
    let rows = statement.query_map(params![], |row| {
        let lat: Option<f64> = row.get(4)?;
        let lon: Option<f64> = row.get(5)?;
        Ok(StoredComune {
            code: row.get(0)?,
            name: row.get(1)?,
            province: row.get(2)?,
            istat_code: row.get(3)?,
            coordinates: lat.zip(lon),
        })
    })?;
    rows.collect::<crate::Result<Vec<_>>>()
}

/// Inserts or replaces the label of a code.
pub fn upsert_code_label(connection: &Db<'_>, list: &str, code: &str, label: &str) -> Result<()> {
    connection.execute(
        "INSERT INTO code_label (list, code, label) VALUES (?1, ?2, ?3)
         ON CONFLICT(list, code) DO UPDATE SET label = excluded.label",
        params![list, code, label],
    )?;
    Ok(())
}

/// Every stored label: `(list, code, label)`.
pub fn load_code_labels(connection: &Db<'_>) -> Result<Vec<(String, String, String)>> {
    let mut statement = connection.prepare("SELECT list, code, label FROM code_label")?;
    let rows = statement.query_map(params![], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    rows.collect::<crate::Result<Vec<_>>>()
}
