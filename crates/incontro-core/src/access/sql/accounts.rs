//! SQL of staff accounts and console sessions (migration 0018).

use crate::store::db::{params, Db, OptionalExtension, Row};

use crate::access::{Role, StaffAccount};
use crate::{Error, Result};

const ACCOUNT_COLUMNS: &str =
    "id, name, label, role, office, created_at, password_set_at, disabled_at";

fn account_from_row(row: &Row<'_>) -> Result<StaffAccount> {
    let role: String = row.get(3)?;
    Ok(StaffAccount {
        id: row.get(0)?,
        name: row.get(1)?,
        label: row.get(2)?,
        role: Role::parse(&role)
            .map_err(|_| Error::Internal(format!("stored account has unknown role {role:?}")))?,
        office: row.get(4)?,
        created_at: row.get(5)?,
        password_set_at: row.get(6)?,
        disabled_at: row.get(7)?,
    })
}

/// Inserts a new account; false when the name is taken (names compare without case).
pub fn insert_account(
    connection: &Db<'_>,
    account: &StaffAccount,
    password_hash: &str,
) -> Result<bool> {
    let changed = connection.execute(
        "INSERT INTO staff_account
             (id, name, label, role, office, password_hash, created_at, password_set_at, disabled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)
         ON CONFLICT DO NOTHING",
        params![
            account.id,
            account.name,
            account.label,
            account.role.as_str(),
            account.office,
            password_hash,
            account.created_at,
            account.password_set_at,
        ],
    )?;
    Ok(changed == 1)
}

/// Every account, by name.
pub fn list_accounts(connection: &Db<'_>) -> Result<Vec<StaffAccount>> {
    let mut statement = connection.prepare(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM staff_account ORDER BY name"
    ))?;
    let mut rows = statement.query(params![])?;
    let mut accounts = Vec::new();
    while let Some(row) = rows.next()? {
        accounts.push(account_from_row(&row)?);
    }
    Ok(accounts)
}

/// The account named `name` (without case) with its password hash.
pub fn account_by_name(connection: &Db<'_>, name: &str) -> Result<Option<(StaffAccount, String)>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {ACCOUNT_COLUMNS}, password_hash FROM staff_account WHERE name = ?1"
    ))?;
    let mut rows = statement.query([name])?;
    match rows.next()? {
        Some(row) => Ok(Some((account_from_row(&row)?, row.get(8)?))),
        None => Ok(None),
    }
}

/// Replaces an account's password hash; false when there is no such account.
pub fn set_password(connection: &Db<'_>, name: &str, hash: &str, at: &str) -> Result<bool> {
    let changed = connection.execute(
        "UPDATE staff_account SET password_hash = ?2, password_set_at = ?3 WHERE name = ?1",
        params![name, hash, at],
    )?;
    Ok(changed == 1)
}

/// Disables (`Some(at)`) or enables (`None`) an account; false when there is no such account.
pub fn set_disabled(connection: &Db<'_>, name: &str, at: Option<&str>) -> Result<bool> {
    let changed = connection.execute(
        "UPDATE staff_account SET disabled_at = ?2 WHERE name = ?1",
        params![name, at],
    )?;
    Ok(changed == 1)
}

/// Ends every session of the account named `name`.
pub fn end_account_sessions(connection: &Db<'_>, name: &str) -> Result<usize> {
    connection.execute(
        "DELETE FROM console_session
         WHERE account_id = (SELECT id FROM staff_account WHERE name = ?1)",
        [name],
    )
}

/// Who a stored session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionOwner {
    /// A staff account (by id).
    Account(String),
    /// An API key (by id).
    Key(String),
}

/// A stored session row.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// Owner.
    pub owner: SessionOwner,
    /// CSRF token of its forms.
    pub csrf: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC.
    pub last_seen_at: String,
}

/// Stores a new session.
pub fn insert_session(connection: &Db<'_>, token_hash: &str, row: &SessionRow) -> Result<()> {
    let (account, key) = match &row.owner {
        SessionOwner::Account(id) => (Some(id.as_str()), None),
        SessionOwner::Key(id) => (None, Some(id.as_str())),
    };
    connection.execute(
        "INSERT INTO console_session (token_hash, account_id, key_id, csrf, created_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            token_hash,
            account,
            key,
            row.csrf,
            row.created_at,
            row.last_seen_at
        ],
    )?;
    Ok(())
}

/// The session of `token_hash`.
pub fn session(connection: &Db<'_>, token_hash: &str) -> Result<Option<SessionRow>> {
    let row = connection
        .prepare_cached(
            "SELECT account_id, key_id, csrf, created_at, last_seen_at
             FROM console_session WHERE token_hash = ?1",
        )?
        .query_row([token_hash], |row| {
            let account: Option<String> = row.get(0)?;
            let key: Option<String> = row.get(1)?;
            Ok((account, key, row.get(2)?, row.get(3)?, row.get(4)?))
        })
        .optional()?;
    let Some((account, key, csrf, created_at, last_seen_at)) = row else {
        return Ok(None);
    };
    let owner = match (account, key) {
        (Some(account), _) => SessionOwner::Account(account),
        (None, Some(key)) => SessionOwner::Key(key),
        (None, None) => return Err(Error::Internal("session without an owner".into())),
    };
    Ok(Some(SessionRow {
        owner,
        csrf,
        created_at,
        last_seen_at,
    }))
}

/// Marks a session seen at `at`.
pub fn touch_session(connection: &Db<'_>, token_hash: &str, at: &str) -> Result<()> {
    connection.execute(
        "UPDATE console_session SET last_seen_at = ?2 WHERE token_hash = ?1",
        params![token_hash, at],
    )?;
    Ok(())
}

/// Ends one session.
pub fn delete_session(connection: &Db<'_>, token_hash: &str) -> Result<()> {
    connection.execute(
        "DELETE FROM console_session WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(())
}

/// Ends every session last seen before `idle_before` or opened before `created_before`.
pub fn delete_expired_sessions(
    connection: &Db<'_>,
    idle_before: &str,
    created_before: &str,
) -> Result<usize> {
    connection.execute(
        "DELETE FROM console_session WHERE last_seen_at < ?1 OR created_at < ?2",
        params![idle_before, created_before],
    )
}

/// The account with id `id`.
pub fn account_by_id(connection: &Db<'_>, id: &str) -> Result<Option<StaffAccount>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM staff_account WHERE id = ?1"
    ))?;
    let mut rows = statement.query([id])?;
    match rows.next()? {
        Some(row) => Ok(Some(account_from_row(&row)?)),
        None => Ok(None),
    }
}
