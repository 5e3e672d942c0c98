//! The storage boundary: one connection type, [`Db`], over the two backends (SQLite, embedded
//! and the default; PostgreSQL, shared by replicas). Every query of the store goes through it.
//!
//! The SQL of the store is written once, in the dialect both databases share (`ON CONFLICT`,
//! `RETURNING`, `CAST(.. AS BIGINT)`, `COALESCE`, `lower(..)`), with SQLite's numbered
//! parameters `?1`. For PostgreSQL each text is translated once and kept prepared per connection:
//! `?N` becomes `$N`, `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`, `CAST(.. AS REAL)`
//! becomes `DOUBLE PRECISION` and `LIKE` becomes `ILIKE` (SQLite's `LIKE` ignores ASCII case).
//!
//! Values cross the boundary as five kinds (null, 64-bit integer, double, text, bytes), as
//! SQLite stores them: the PostgreSQL schema uses `BIGINT`, `DOUBLE PRECISION`, `TEXT` and
//! `BYTEA` only, so the same Rust types read and write the same columns on both.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use crate::error::{DatabaseError, DbErrorKind};
use crate::{Error, Result};

/// One value bound to a query parameter.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// A Rust value that can be bound to a parameter.
pub trait ToParam {
    fn to_param(&self) -> Param<'_>;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn to_param(&self) -> Param<'_> {
                Param::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_param!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl ToParam for bool {
    fn to_param(&self) -> Param<'_> {
        Param::Integer(i64::from(*self))
    }
}
impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}
impl ToParam for f32 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(f64::from(*self))
    }
}
impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for std::borrow::Cow<'_, str> {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}
impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        match self {
            Some(value) => value.to_param(),
            None => Param::Null,
        }
    }
}
impl ToParam for Param<'_> {
    fn to_param(&self) -> Param<'_> {
        *self
    }
}

/// A value owned (sent to a PostgreSQL connection's thread, or held while copying a table).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OwnedValue {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl OwnedValue {
    /// The value of a parameter.
    pub(crate) fn of(param: &Param<'_>) -> Self {
        Self::from_value(match *param {
            Param::Null => ValueRef::Null,
            Param::Integer(n) => ValueRef::Integer(n),
            Param::Real(x) => ValueRef::Real(x),
            Param::Text(text) => ValueRef::Text(text),
            Param::Blob(bytes) => ValueRef::Blob(bytes),
        })
    }

    /// The value read from a row.
    pub(crate) fn from_value(value: ValueRef<'_>) -> Self {
        match value {
            ValueRef::Null => OwnedValue::Null,
            ValueRef::Integer(n) => OwnedValue::Integer(n),
            ValueRef::Real(x) => OwnedValue::Real(x),
            ValueRef::Text(text) => OwnedValue::Text(text.to_owned()),
            ValueRef::Blob(bytes) => OwnedValue::Blob(bytes.to_vec()),
        }
    }

    /// As a parameter.
    pub(crate) fn as_param(&self) -> Param<'_> {
        match self {
            OwnedValue::Null => Param::Null,
            OwnedValue::Integer(n) => Param::Integer(*n),
            OwnedValue::Real(x) => Param::Real(*x),
            OwnedValue::Text(text) => Param::Text(text),
            OwnedValue::Blob(bytes) => Param::Blob(bytes),
        }
    }
}

/// The parameters of one query: `params![a, b]`, an array of one type, or a slice.
pub trait Params {
    fn bind<R>(&self, f: impl FnOnce(&[&dyn ToParam]) -> R) -> R;
}
impl Params for &[&dyn ToParam] {
    fn bind<R>(&self, f: impl FnOnce(&[&dyn ToParam]) -> R) -> R {
        f(self)
    }
}
impl<const N: usize> Params for &[&dyn ToParam; N] {
    fn bind<R>(&self, f: impl FnOnce(&[&dyn ToParam]) -> R) -> R {
        f(&self[..])
    }
}
impl<T: ToParam, const N: usize> Params for [T; N] {
    fn bind<R>(&self, f: impl FnOnce(&[&dyn ToParam]) -> R) -> R {
        let refs: [&dyn ToParam; N] = std::array::from_fn(|i| &self[i] as &dyn ToParam);
        f(&refs)
    }
}
impl<T: ToParam> Params for Vec<T> {
    fn bind<R>(&self, f: impl FnOnce(&[&dyn ToParam]) -> R) -> R {
        let refs: Vec<&dyn ToParam> = self.iter().map(|v| v as &dyn ToParam).collect();
        f(&refs)
    }
}

/// `params![a, b, c]`: the parameters of one query, by position (`?1`, `?2`, …).
#[macro_export]
#[doc(hidden)]
macro_rules! store_params {
    () => { &[] as &[&dyn $crate::store::db::ToParam] };
    ($($value:expr),+ $(,)?) => { &[$(&$value as &dyn $crate::store::db::ToParam),+] as &[&dyn $crate::store::db::ToParam] };
}
pub(crate) use crate::store_params as params;

/// One value read from a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl<'a> ValueRef<'a> {
    fn kind(&self) -> &'static str {
        match self {
            ValueRef::Null => "null",
            ValueRef::Integer(_) => "integer",
            ValueRef::Real(_) => "real",
            ValueRef::Text(_) => "text",
            ValueRef::Blob(_) => "blob",
        }
    }

    /// The text (an error for any other kind).
    pub fn as_str(&self) -> Result<&'a str> {
        match *self {
            ValueRef::Text(text) => Ok(text),
            other => Err(Error::Internal(wrong(other, "text"))),
        }
    }

    /// The text or null.
    pub fn as_str_or_null(&self) -> Result<Option<&'a str>> {
        match *self {
            ValueRef::Null => Ok(None),
            other => other.as_str().map(Some),
        }
    }

    /// The bytes (an error for any other kind).
    pub fn as_blob(&self) -> Result<&'a [u8]> {
        match *self {
            ValueRef::Blob(bytes) => Ok(bytes),
            other => Err(Error::Internal(wrong(other, "bytes"))),
        }
    }
}

/// A Rust value that can be read from a column.
pub trait FromValue: Sized {
    fn from_value(value: ValueRef<'_>) -> std::result::Result<Self, String>;
}

fn wrong(value: ValueRef<'_>, wanted: &str) -> String {
    format!("a {} where {wanted} was expected", value.kind())
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: ValueRef<'_>) -> std::result::Result<Self, String> {
                match value {
                    ValueRef::Integer(n) => <$t>::try_from(n)
                        .map_err(|_| format!("{n} is out of range for {}", stringify!($t))),
                    other => Err(wrong(other, "an integer")),
                }
            }
        }
    )*};
}
int_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl FromValue for bool {
    fn from_value(value: ValueRef<'_>) -> std::result::Result<Self, String> {
        match value {
            ValueRef::Integer(n) => Ok(n != 0),
            other => Err(wrong(other, "an integer")),
        }
    }
}
impl FromValue for f64 {
    fn from_value(value: ValueRef<'_>) -> std::result::Result<Self, String> {
        match value {
            ValueRef::Real(x) => Ok(x),
            ValueRef::Integer(n) => Ok(n as f64),
            other => Err(wrong(other, "a number")),
        }
    }
}
impl FromValue for f32 {
    fn from_value(value: ValueRef<'_>) -> std::result::Result<Self, String> {
        f64::from_value(value).map(|x| x as f32)
    }
}
impl FromValue for String {
    fn from_value(value: ValueRef<'_>) -> std::result::Result<Self, String> {
        match value {
            ValueRef::Text(text) => Ok(text.to_owned()),
            other => Err(wrong(other, "text")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(value: ValueRef<'_>) -> std::result::Result<Self, String> {
        match value {
            ValueRef::Blob(bytes) => Ok(bytes.to_vec()),
            ValueRef::Text(text) => Ok(text.as_bytes().to_vec()),
            other => Err(wrong(other, "bytes")),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: ValueRef<'_>) -> std::result::Result<Self, String> {
        match value {
            ValueRef::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A column, by position or by name.
pub trait ColumnIndex: Copy + fmt::Display {
    /// The column's position, given the names of the columns by position.
    fn position<'n>(self, name_of: impl Fn(usize) -> Option<&'n str>) -> Option<usize>;
}
impl ColumnIndex for usize {
    fn position<'n>(self, _: impl Fn(usize) -> Option<&'n str>) -> Option<usize> {
        Some(self)
    }
}
impl ColumnIndex for &str {
    fn position<'n>(self, name_of: impl Fn(usize) -> Option<&'n str>) -> Option<usize> {
        (0..)
            .map_while(|index| name_of(index).map(|name| (index, name)))
            .find(|(_, name)| name.eq_ignore_ascii_case(self))
            .map(|(index, _)| index)
    }
}

/// One row of a result.
#[derive(Clone, Copy)]
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

impl<'a> Row<'a> {
    /// The value of one column as `T`.
    pub fn get<I: ColumnIndex, T: FromValue>(&self, index: I) -> Result<T> {
        let value = self.get_ref(index)?;
        T::from_value(value).map_err(|message| {
            Error::Internal(format!("stored column {index} is unreadable: {message}"))
        })
    }

    /// The raw value of one column, borrowed from the row.
    pub fn get_ref<I: ColumnIndex>(&self, index: I) -> Result<ValueRef<'a>> {
        let missing = || Error::Internal(format!("no column {index} in the result"));
        match *self {
            Row::Sqlite(row) => {
                let statement = row.as_ref();
                let position = index
                    .position(|i| statement.column_name(i).ok())
                    .ok_or_else(missing)?;
                Ok(match row.get_ref(position)? {
                    rusqlite::types::ValueRef::Null => ValueRef::Null,
                    rusqlite::types::ValueRef::Integer(n) => ValueRef::Integer(n),
                    rusqlite::types::ValueRef::Real(x) => ValueRef::Real(x),
                    rusqlite::types::ValueRef::Text(bytes) => {
                        ValueRef::Text(std::str::from_utf8(bytes).map_err(|error| {
                            Error::Internal(format!("stored column {index} is not UTF-8: {error}"))
                        })?)
                    }
                    rusqlite::types::ValueRef::Blob(bytes) => ValueRef::Blob(bytes),
                })
            }
            Row::Postgres(row) => {
                let columns = row.columns();
                let position = index
                    .position(|i| columns.get(i).map(|column| column.name()))
                    .filter(|&i| i < columns.len())
                    .ok_or_else(missing)?;
                pg::value_ref(row, position)
            }
        }
    }
}

/// Rows read one at a time.
pub enum Rows<'a> {
    Sqlite(rusqlite::Rows<'a>),
    Postgres(std::vec::IntoIter<postgres::Row>, Option<postgres::Row>),
}

impl Rows<'_> {
    /// The next row, `None` at the end.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// A prepared statement (cached per connection on both backends).
pub enum Statement<'a> {
    Sqlite(rusqlite::CachedStatement<'a>),
    Postgres(&'a RefCell<pg::Conn>, String),
}

fn sqlite_params<'p>(params: &'p [&dyn ToParam]) -> impl Iterator<Item = Param<'p>> + 'p {
    params.iter().map(|param| param.to_param())
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef as Ref};
        Ok(match *self {
            Param::Null => ToSqlOutput::Owned(Value::Null),
            Param::Integer(n) => ToSqlOutput::Owned(Value::Integer(n)),
            Param::Real(x) => ToSqlOutput::Owned(Value::Real(x)),
            Param::Text(text) => ToSqlOutput::Borrowed(Ref::Text(text.as_bytes())),
            Param::Blob(bytes) => ToSqlOutput::Borrowed(Ref::Blob(bytes)),
        })
    }
}

impl Statement<'_> {
    /// Runs the statement; the number of rows it changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        match self {
            Statement::Sqlite(statement) => params.bind(|params| {
                Ok(statement.execute(rusqlite::params_from_iter(sqlite_params(params)))?)
            }),
            Statement::Postgres(conn, sql) => params.bind(|params| {
                let values: Vec<Param<'_>> = params.iter().map(|p| p.to_param()).collect();
                conn.borrow_mut().execute(sql, &values)
            }),
        }
    }

    /// Runs the statement with values already converted (bulk inserts).
    pub fn execute_values(&mut self, values: &[Param<'_>]) -> Result<usize> {
        match self {
            Statement::Sqlite(statement) => {
                Ok(statement.execute(rusqlite::params_from_iter(values.iter()))?)
            }
            Statement::Postgres(conn, sql) => conn.borrow_mut().execute(sql, values),
        }
    }

    /// Runs the query with values already converted and reads its rows one at a time.
    pub fn query_values(&mut self, values: &[Param<'_>]) -> Result<Rows<'_>> {
        match self {
            Statement::Sqlite(statement) => Ok(Rows::Sqlite(
                statement.query(rusqlite::params_from_iter(values.iter()))?,
            )),
            Statement::Postgres(conn, sql) => {
                let rows = conn.borrow_mut().query(sql, values)?;
                Ok(Rows::Postgres(rows.into_iter(), None))
            }
        }
    }

    /// Runs the query and reads its rows one at a time.
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        match self {
            Statement::Sqlite(statement) => params.bind(|params| {
                Ok(Rows::Sqlite(statement.query(
                    rusqlite::params_from_iter(sqlite_params(params)),
                )?))
            }),
            Statement::Postgres(conn, sql) => params.bind(|params| {
                let values: Vec<Param<'_>> = params.iter().map(|p| p.to_param()).collect();
                let rows = conn.borrow_mut().query(sql, &values)?;
                Ok(Rows::Postgres(rows.into_iter(), None))
            }),
        }
    }

    /// Runs the query and maps every row.
    pub fn query_map<P: Params, T>(
        &mut self,
        params: P,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut rows = self.query(params)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(f(&row));
        }
        Ok(out.into_iter())
    }

    /// Runs the query and maps its first row (`no rows` error when there is none).
    pub fn query_row<P: Params, T>(
        &mut self,
        params: P,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(no_rows()),
        }
    }
}

fn no_rows() -> Error {
    Error::Database(DatabaseError::new(
        DbErrorKind::NoRows,
        "query returned no rows",
    ))
}

/// `.optional()`: a query's "no rows" error as `None`.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::Database(error)) if error.kind() == DbErrorKind::NoRows => Ok(None),
            Err(error) => Err(error),
        }
    }
}

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One connection of the store, inside the transaction the store opened for the work.
pub enum Db<'a> {
    Sqlite(&'a rusqlite::Connection),
    Postgres(&'a RefCell<pg::Conn>),
}

impl<'a> Db<'a> {
    /// Runs one statement; the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// Runs several statements without parameters (schema, temporary tables).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(connection) => Ok(connection.execute_batch(sql)?),
            Db::Postgres(conn) => conn.borrow_mut().batch(sql),
        }
    }

    /// Prepares (or takes from the connection's cache) one statement.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'a>> {
        match *self {
            Db::Sqlite(connection) => Ok(Statement::Sqlite(connection.prepare_cached(sql)?)),
            Db::Postgres(conn) => Ok(Statement::Postgres(conn, sql.to_owned())),
        }
    }

    /// [`Db::prepare_cached`].
    pub fn prepare(&self, sql: &str) -> Result<Statement<'a>> {
        self.prepare_cached(sql)
    }

    /// Runs a query and maps its first row (`no rows` error when there is none: see
    /// [`OptionalExtension::optional`]).
    pub fn query_row<P: Params, T>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Inserts many rows into `table(columns)`: `values` holds `columns.len()` values per row,
    /// and `conflict` is the statement's conflict clause (`""`, `"ON CONFLICT DO NOTHING"`,
    /// `"ON CONFLICT (key) DO UPDATE SET …"`), the same on both backends. With a `DO UPDATE`
    /// clause no two rows may share the conflict key (PostgreSQL refuses to update a row twice in
    /// one statement): callers merge them first. Returns the rows the statement reported.
    ///
    /// SQLite runs multi-row `INSERT … VALUES` statements (one statement step for many rows).
    /// PostgreSQL, where every statement is a round trip, streams the rows with `COPY`: straight
    /// into the table without a conflict clause, else into a temporary table of the
    /// transaction and then `INSERT … SELECT … conflict` in one statement.
    pub fn insert_rows(
        &self,
        table: &str,
        columns: &[&str],
        conflict: &str,
        values: &[Param<'_>],
    ) -> Result<u64> {
        let width = columns.len();
        if width == 0 || values.is_empty() {
            return Ok(0);
        }
        debug_assert_eq!(values.len() % width, 0);
        let column_list = columns.join(", ");
        match self {
            Db::Sqlite(_) => self.insert_values(table, columns, conflict, values),
            // A few rows: one multi-row INSERT, one round trip (COPY takes two).
            Db::Postgres(_) if values.len() / width < 16 => {
                self.insert_values(table, columns, conflict, values)
            }
            Db::Postgres(conn) => {
                let data = pg::copy_text(width, values);
                let mut conn = conn.borrow_mut();
                if conflict.trim().is_empty() {
                    return conn.copy_in(&format!("COPY {table} ({column_list}) FROM STDIN"), data);
                }
                let stage = stage_rows(&mut conn, table, columns, data)?;
                let inserted = conn.execute(
                    &format!(
                        "INSERT INTO {table} ({column_list}) \
                         SELECT {column_list} FROM {stage} WHERE true {conflict}"
                    ),
                    &[],
                )?;
                Ok(inserted as u64)
            }
        }
    }

    /// [`Db::insert_rows`] through multi-row `INSERT … VALUES` statements of up to 64 rows.
    fn insert_values(
        &self,
        table: &str,
        columns: &[&str],
        conflict: &str,
        values: &[Param<'_>],
    ) -> Result<u64> {
        let width = columns.len();
        // SQLite binds at most 32,766 parameters per statement.
        let rows_per = (32_766 / width).clamp(1, 64);
        let mut total = 0u64;
        let mut chunks = values.chunks_exact(rows_per * width);
        if chunks.len() > 0 {
            let mut many =
                self.prepare_cached(&multi_row_insert(table, columns, rows_per, conflict))?;
            for chunk in &mut chunks {
                total += many.execute_values(chunk)? as u64;
            }
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let rows = rest.len() / width;
            let mut last =
                self.prepare_cached(&multi_row_insert(table, columns, rows, conflict))?;
            total += last.execute_values(rest)? as u64;
        }
        Ok(total)
    }

    /// Runs `work` (a bulk load of `table`) with `table`'s foreign keys checked once at its end
    /// instead of row by row. On PostgreSQL, whose row-by-row checks cost more than the load
    /// itself, the table's foreign-key constraints are dropped for `work` and added again in the
    /// same transaction; adding a constraint checks every row with one join, and a row that breaks
    /// it fails the whole transaction as a per-row check would. The table is locked for the
    /// transaction (a yearly ESCO import). On SQLite, whose checks are cheap, `work` just runs.
    pub fn with_foreign_keys_checked_at_end<T>(
        &self,
        table: &str,
        work: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        if let Db::Sqlite(_) = self {
            return work();
        }
        let mut constraints = Vec::new();
        {
            let mut statement = self.prepare(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = to_regclass(?1) AND contype = 'f' ORDER BY conname",
            )?;
            let mut rows = statement.query([table])?;
            while let Some(row) = rows.next()? {
                constraints.push((row.get::<_, String>(0)?, row.get::<_, String>(1)?));
            }
        }
        for (name, _) in &constraints {
            self.execute_batch(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""))?;
        }
        let value = work()?;
        for (name, definition) in &constraints {
            self.execute_batch(&format!(
                "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
            ))?;
        }
        Ok(value)
    }

    /// Deletes the rows of `table` whose `keys` columns equal those of one of the given key
    /// rows (`values` holds `keys.len()` values per row). PostgreSQL streams the keys with `COPY`
    /// into a temporary table and deletes in one statement. Returns the rows deleted.
    pub fn delete_rows(&self, table: &str, keys: &[&str], values: &[Param<'_>]) -> Result<u64> {
        let width = keys.len();
        if width == 0 || values.is_empty() {
            return Ok(0);
        }
        match self {
            Db::Sqlite(_) => {
                let condition = keys
                    .iter()
                    .enumerate()
                    .map(|(index, key)| format!("{key} = ?{}", index + 1))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                let mut statement =
                    self.prepare_cached(&format!("DELETE FROM {table} WHERE {condition}"))?;
                let mut total = 0u64;
                for row in values.chunks_exact(width) {
                    total += statement.execute_values(row)? as u64;
                }
                Ok(total)
            }
            Db::Postgres(conn) => {
                let condition = keys
                    .iter()
                    .map(|key| format!("target.{key} = stage.{key}"))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                let mut conn = conn.borrow_mut();
                let stage = stage_rows(&mut conn, table, keys, pg::copy_text(width, values))?;
                let deleted = conn.execute(
                    &format!(
                        "DELETE FROM {table} AS target USING {stage} AS stage WHERE {condition}"
                    ),
                    &[],
                )?;
                Ok(deleted as u64)
            }
        }
    }

    /// Runs `work` in a nested transaction (a savepoint): a failure undoes only its own writes.
    pub fn savepoint<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        self.execute_batch("SAVEPOINT incontro_nested")?;
        match work() {
            Ok(value) => {
                self.execute_batch("RELEASE SAVEPOINT incontro_nested")?;
                Ok(value)
            }
            Err(error) => {
                self.execute_batch(
                    "ROLLBACK TO SAVEPOINT incontro_nested; RELEASE SAVEPOINT incontro_nested",
                )?;
                Err(error)
            }
        }
    }
}

pub mod pg;

/// `INSERT INTO table (columns) VALUES (?,…),… tail` for `rows` rows (`tail`: a conflict clause,
/// `RETURNING …`, or nothing).
pub fn multi_row_insert(table: &str, columns: &[&str], rows: usize, tail: &str) -> String {
    let row = format!("({})", vec!["?"; columns.len()].join(","));
    format!(
        "INSERT INTO {table} ({}) VALUES {} {tail}",
        columns.join(", "),
        vec![row; rows].join(",")
    )
}

/// Copies rows (`data`, COPY text) of `table`'s `columns` into the transaction's temporary stage
/// table for them (created on first use, emptied before each use); returns its name.
fn stage_rows(conn: &mut pg::Conn, table: &str, columns: &[&str], data: Vec<u8>) -> Result<String> {
    let stage = stage_table(table, columns);
    let column_list = columns.join(", ");
    conn.batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS \
         SELECT {column_list} FROM {table} WITH NO DATA; TRUNCATE {stage}"
    ))?;
    conn.copy_in(&format!("COPY {stage} ({column_list}) FROM STDIN"), data)?;
    Ok(stage)
}

/// The name of the temporary table that stages rows of `table` with these columns (one per
/// table and column set, dropped at commit).
fn stage_table(table: &str, columns: &[&str]) -> String {
    // FNV-1a over the column names: two column sets of one table never share a stage.
    let mut hash: u32 = 0x811c_9dc5;
    for byte in columns.join(",").bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("incontro_stage_{table}_{hash:08x}")
}
