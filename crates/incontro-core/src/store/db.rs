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

/// The PostgreSQL side: connections, SQL translation, values and errors.
pub mod pg {
    use super::*;
    use postgres::types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

    /// One PostgreSQL connection. The client lives on a thread of its own and the store's
    /// threads hand it each statement: `postgres`' blocking client drives a runtime of its own,
    /// which may not be entered from a thread that already runs an async runtime (an actix
    /// worker, an async test, an application embedding the engine), so no caller ever blocks on
    /// it directly; a caller only waits on a channel. Prepared statements are cached on that
    /// thread.
    pub struct Conn {
        jobs: std::sync::mpsc::Sender<Job>,
        closed: std::sync::Arc<std::sync::atomic::AtomicBool>,
    }

    enum Work {
        Execute,
        Query,
        Batch,
    }

    enum Reply {
        Count(u64),
        Rows(Vec<postgres::Row>),
    }

    struct Job {
        work: Work,
        sql: String,
        params: Vec<OwnedValue>,
        reply: std::sync::mpsc::SyncSender<Result<Reply>>,
    }

    impl Conn {
        /// Connects (on the connection's own thread).
        pub(crate) fn connect(config: &postgres::Config) -> Result<Self> {
            let (jobs, queue) = std::sync::mpsc::channel::<Job>();
            let (ready, connected) = std::sync::mpsc::sync_channel::<Result<()>>(1);
            let closed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let config = config.clone();
            let flag = std::sync::Arc::clone(&closed);
            std::thread::Builder::new()
                .name("incontro-pg".into())
                .spawn(move || {
                    let mut client = match config.connect(postgres::NoTls) {
                        Ok(client) => {
                            let _ = ready.send(Ok(()));
                            client
                        }
                        Err(error) => {
                            let _ = ready.send(Err(Error::from(error)));
                            return;
                        }
                    };
                    let mut statements: HashMap<String, postgres::Statement> = HashMap::new();
                    while let Ok(job) = queue.recv() {
                        let result = run(&mut client, &mut statements, &job);
                        if client.is_closed() {
                            flag.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                        let _ = job.reply.send(result);
                    }
                })
                .map_err(|error| {
                    Error::Internal(format!("PostgreSQL connection thread: {error}"))
                })?;
            connected
                .recv()
                .map_err(|_| Error::Internal("PostgreSQL connection thread stopped".into()))??;
            Ok(Conn { jobs, closed })
        }

        /// True when the server closed the connection.
        pub(crate) fn is_closed(&self) -> bool {
            self.closed.load(std::sync::atomic::Ordering::Relaxed)
        }

        fn send(&self, work: Work, sql: &str, values: &[Param<'_>]) -> Result<Reply> {
            let (reply, answer) = std::sync::mpsc::sync_channel(1);
            let job = Job {
                work,
                sql: sql.to_owned(),
                params: values.iter().map(OwnedValue::of).collect(),
                reply,
            };
            let stopped = || {
                self.closed
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                Error::Database(DatabaseError::new(
                    DbErrorKind::Unavailable,
                    "the PostgreSQL connection is closed",
                ))
            };
            self.jobs.send(job).map_err(|_| stopped())?;
            answer.recv().map_err(|_| stopped())?
        }

        pub(crate) fn execute(&mut self, sql: &str, values: &[Param<'_>]) -> Result<usize> {
            match self.send(Work::Execute, sql, values)? {
                Reply::Count(count) => Ok(count as usize),
                Reply::Rows(rows) => Ok(rows.len()),
            }
        }

        pub(crate) fn query(
            &mut self,
            sql: &str,
            values: &[Param<'_>],
        ) -> Result<Vec<postgres::Row>> {
            match self.send(Work::Query, sql, values)? {
                Reply::Rows(rows) => Ok(rows),
                Reply::Count(_) => Ok(Vec::new()),
            }
        }

        /// Runs several statements as they are (PostgreSQL's own dialect: schema, savepoints,
        /// transaction control).
        pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
            self.send(Work::Batch, sql, &[]).map(|_| ())
        }
    }

    fn run(
        client: &mut postgres::Client,
        statements: &mut HashMap<String, postgres::Statement>,
        job: &Job,
    ) -> Result<Reply> {
        if let Work::Batch = job.work {
            client.batch_execute(&job.sql)?;
            return Ok(Reply::Count(0));
        }
        let statement = match statements.get(&job.sql) {
            Some(statement) => statement.clone(),
            None => {
                let translated = translate(&job.sql);
                let statement = client.prepare(&translated).map_err(|error| {
                    Error::from(error).context(&format!("preparing `{}`", translated.trim()))
                })?;
                if statements.len() > 512 {
                    statements.clear();
                }
                statements.insert(job.sql.clone(), statement.clone());
                statement
            }
        };
        let values: Vec<Param<'_>> = job.params.iter().map(OwnedValue::as_param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        Ok(match job.work {
            Work::Execute => Reply::Count(client.execute(&statement, &refs)?),
            _ => Reply::Rows(client.query(&statement, &refs)?),
        })
    }

    /// Translates the store's SQL (SQLite's `?N` parameters, `INSERT OR IGNORE`, `LIKE`,
    /// `CAST(.. AS REAL|INTEGER)`) to PostgreSQL's. String literals are left as they are.
    pub fn translate(sql: &str) -> String {
        let mut out = String::with_capacity(sql.len() + 32);
        let mut chars = sql.char_indices().peekable();
        let mut next_positional = 0u32;
        let mut ignore = false;
        while let Some((index, c)) = chars.next() {
            match c {
                '-' if sql[index..].starts_with("--") => {
                    out.push(c);
                    for (_, c) in chars.by_ref() {
                        out.push(c);
                        if c == '\n' {
                            break;
                        }
                    }
                }
                '\'' => {
                    out.push(c);
                    for (_, c) in chars.by_ref() {
                        out.push(c);
                        if c == '\'' {
                            break;
                        }
                    }
                }
                '?' => {
                    let mut digits = String::new();
                    while let Some(&(_, d)) = chars.peek() {
                        if d.is_ascii_digit() {
                            digits.push(d);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    if digits.is_empty() {
                        next_positional += 1;
                        digits = next_positional.to_string();
                    }
                    out.push('$');
                    out.push_str(&digits);
                }
                _ if c.is_ascii_alphabetic() => {
                    let start = index;
                    let mut end = index + c.len_utf8();
                    while let Some(&(i, d)) = chars.peek() {
                        if d.is_ascii_alphanumeric() || d == '_' {
                            end = i + d.len_utf8();
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    let word = &sql[start..end];
                    let rest = &sql[end..];
                    if word.eq_ignore_ascii_case("INSERT")
                        && starts_with_words(rest, &["OR", "IGNORE"])
                    {
                        out.push_str("INSERT");
                        // Skip " OR IGNORE".
                        let skip = skip_words(rest, 2);
                        for _ in 0..skip {
                            chars.next();
                        }
                        ignore = true;
                    } else if (word.eq_ignore_ascii_case("max") || word.eq_ignore_ascii_case("min"))
                        && has_two_arguments(rest)
                    {
                        // SQLite's scalar max(a, b) / min(a, b).
                        out.push_str(if word.eq_ignore_ascii_case("max") {
                            "GREATEST"
                        } else {
                            "LEAST"
                        });
                    } else if word.eq_ignore_ascii_case("LIKE") {
                        out.push_str("ILIKE");
                    } else if word.eq_ignore_ascii_case("REAL") {
                        out.push_str("DOUBLE PRECISION");
                    } else if word.eq_ignore_ascii_case("INTEGER") {
                        out.push_str("BIGINT");
                    } else {
                        out.push_str(word);
                    }
                }
                _ => out.push(c),
            }
        }
        if ignore {
            let trimmed = out.trim_end().trim_end_matches(';').trim_end().len();
            out.truncate(trimmed);
            let upper = out.to_ascii_uppercase();
            match upper.rfind(" RETURNING ") {
                Some(at) => out.insert_str(at, " ON CONFLICT DO NOTHING"),
                None => out.push_str(" ON CONFLICT DO NOTHING"),
            }
        }
        out
    }

    /// True when `text` starts with `(` and its parenthesis holds a top-level comma.
    fn has_two_arguments(text: &str) -> bool {
        let text = text.trim_start();
        if !text.starts_with('(') {
            return false;
        }
        let mut depth = 0;
        let mut quoted = false;
        for c in text.chars() {
            match c {
                '\'' => quoted = !quoted,
                _ if quoted => {}
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return false;
                    }
                }
                ',' if depth == 1 => return true,
                _ => {}
            }
        }
        false
    }

    fn starts_with_words(text: &str, words: &[&str]) -> bool {
        let mut parts = text.split_ascii_whitespace();
        words.iter().all(|word| {
            parts
                .next()
                .is_some_and(|part| part.eq_ignore_ascii_case(word))
        })
    }

    /// How many bytes of `text` the first `n` words and the white space before them take.
    fn skip_words(text: &str, n: usize) -> usize {
        let mut count = 0;
        let mut rest = text;
        for _ in 0..n {
            let leading = rest.len() - rest.trim_start().len();
            let word = rest.trim_start();
            let len = word
                .find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(word.len());
            count += leading + len;
            rest = &word[len..];
        }
        text[..count].chars().count()
    }

    /// One column of a PostgreSQL row as the store's values: integers of any width, booleans
    /// as 0/1, doubles, `NUMERIC` (sums) as an integer or a double, bytes, anything else as text.
    pub(super) fn value_ref(row: &postgres::Row, index: usize) -> Result<ValueRef<'_>> {
        let ty = row.columns()[index].type_().clone();
        let value = match ty {
            Type::INT8 => row.try_get::<_, Option<i64>>(index)?.map(ValueRef::Integer),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(index)?
                .map(|n| ValueRef::Integer(i64::from(n))),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(index)?
                .map(|n| ValueRef::Integer(i64::from(n))),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(index)?
                .map(|b| ValueRef::Integer(i64::from(b))),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map(ValueRef::Real),
            Type::FLOAT4 => row
                .try_get::<_, Option<f32>>(index)?
                .map(|x| ValueRef::Real(f64::from(x))),
            Type::NUMERIC => match row.try_get::<_, Option<Value>>(index)? {
                Some(Value::Integer(n)) => Some(ValueRef::Integer(n)),
                Some(Value::Real(x)) => Some(ValueRef::Real(x)),
                None => None,
            },
            Type::BYTEA => row.try_get::<_, Option<&[u8]>>(index)?.map(ValueRef::Blob),
            _ => row.try_get::<_, Option<&str>>(index)?.map(ValueRef::Text),
        };
        Ok(value.unwrap_or(ValueRef::Null))
    }

    /// A `NUMERIC` value (what `sum` and `avg` of integers give), as the store reads it.
    #[derive(Debug)]
    pub(super) enum Value {
        Integer(i64),
        Real(f64),
    }

    impl<'r> FromSql<'r> for Value {
        fn from_sql(
            _: &Type,
            raw: &'r [u8],
        ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
            numeric(raw)
        }

        fn accepts(ty: &Type) -> bool {
            *ty == Type::NUMERIC
        }
    }

    /// A `NUMERIC` (what `sum` and `avg` of integers give): an integer when it has no
    /// fractional digits and fits, a double otherwise.
    fn numeric(raw: &[u8]) -> std::result::Result<Value, Box<dyn std::error::Error + Sync + Send>> {
        if raw.len() < 8 {
            return Err("short numeric".into());
        }
        let word = |i: usize| u16::from_be_bytes([raw[i], raw[i + 1]]);
        let ndigits = word(0) as usize;
        let weight = word(2) as i16;
        let sign = word(4);
        if sign == 0xC000 {
            return Ok(Value::Real(f64::NAN));
        }
        if raw.len() < 8 + 2 * ndigits {
            return Err("short numeric".into());
        }
        let mut integer: i128 = 0;
        let mut value = 0f64;
        let mut fractional = false;
        for i in 0..ndigits {
            let digit = word(8 + 2 * i);
            let power = weight as i32 - i as i32;
            value += f64::from(digit) * 10000f64.powi(power);
            if power < 0 && digit != 0 {
                fractional = true;
            }
        }
        if !fractional {
            for i in 0..=(weight.max(-1) as i32) {
                let digit = if (i as usize) < ndigits {
                    word(8 + 2 * i as usize)
                } else {
                    0
                };
                integer = integer
                    .saturating_mul(10000)
                    .saturating_add(i128::from(digit));
            }
        }
        let negative = sign == 0x4000;
        if !fractional {
            let signed = if negative { -integer } else { integer };
            if let Ok(n) = i64::try_from(signed) {
                return Ok(Value::Integer(n));
            }
        }
        Ok(Value::Real(if negative { -value } else { value }))
    }

    impl ToSql for Param<'_> {
        fn to_sql(
            &self,
            ty: &Type,
            out: &mut bytes::BytesMut,
        ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
            match *self {
                Param::Null => Ok(IsNull::Yes),
                Param::Integer(n) => match *ty {
                    Type::INT8 => n.to_sql(ty, out),
                    Type::INT4 => i32::try_from(n)?.to_sql(ty, out),
                    Type::INT2 => i16::try_from(n)?.to_sql(ty, out),
                    Type::BOOL => (n != 0).to_sql(ty, out),
                    Type::FLOAT8 => (n as f64).to_sql(ty, out),
                    Type::FLOAT4 => (n as f32).to_sql(ty, out),
                    _ => n.to_string().to_sql(ty, out),
                },
                Param::Real(x) => match *ty {
                    Type::FLOAT4 => (x as f32).to_sql(ty, out),
                    Type::FLOAT8 => x.to_sql(ty, out),
                    _ => x.to_string().to_sql(ty, out),
                },
                Param::Text(text) => text.to_sql(ty, out),
                Param::Blob(bytes) => bytes.to_sql(ty, out),
            }
        }

        fn accepts(_: &Type) -> bool {
            true
        }

        to_sql_checked!();
    }

    #[cfg(test)]
    mod tests {
        use super::translate;

        #[test]
        fn translates_parameters_and_dialect() {
            assert_eq!(
                translate("SELECT a FROM t WHERE b = ?1 AND c LIKE ?2 AND d = '?3'"),
                "SELECT a FROM t WHERE b = $1 AND c ILIKE $2 AND d = '?3'"
            );
            assert_eq!(
                translate("INSERT OR IGNORE INTO t (a, b) VALUES (?, ?);"),
                "INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            );
            assert_eq!(
                translate("SELECT max(a, b), max(c), min(f(d, e), 1) FROM t"),
                "SELECT GREATEST(a, b), max(c), LEAST(f(d, e), 1) FROM t"
            );
            assert_eq!(
                translate("SELECT CAST(x AS REAL), CAST(y AS INTEGER) FROM t"),
                "SELECT CAST(x AS DOUBLE PRECISION), CAST(y AS BIGINT) FROM t"
            );
        }
    }
}
