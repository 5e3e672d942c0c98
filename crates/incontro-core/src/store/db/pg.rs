//! The PostgreSQL side: connections, SQL translation, values and errors.

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
    /// `COPY … FROM STDIN` with these bytes (text format).
    Copy(Vec<u8>),
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
            .map_err(|error| Error::Internal(format!("PostgreSQL connection thread: {error}")))?;
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

    pub(crate) fn query(&mut self, sql: &str, values: &[Param<'_>]) -> Result<Vec<postgres::Row>> {
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

    /// Runs `COPY table (columns) FROM STDIN` (as given, untranslated) with `data` in COPY's
    /// text format; the number of rows copied.
    pub(crate) fn copy_in(&mut self, sql: &str, data: Vec<u8>) -> Result<u64> {
        match self.send(Work::Copy(data), sql, &[])? {
            Reply::Count(count) => Ok(count),
            Reply::Rows(rows) => Ok(rows.len() as u64),
        }
    }
}

fn run(
    client: &mut postgres::Client,
    statements: &mut HashMap<String, postgres::Statement>,
    job: &Job,
) -> Result<Reply> {
    match &job.work {
        Work::Batch => {
            client.batch_execute(&job.sql)?;
            return Ok(Reply::Count(0));
        }
        Work::Copy(data) => {
            use std::io::Write;
            let mut writer = client.copy_in(job.sql.as_str())?;
            writer.write_all(data).map_err(|error| {
                Error::Database(DatabaseError::new(
                    DbErrorKind::Other,
                    &format!("COPY: {error}"),
                ))
            })?;
            return Ok(Reply::Count(writer.finish()?));
        }
        Work::Execute | Work::Query => {}
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
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
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
                if word.eq_ignore_ascii_case("INSERT") && starts_with_words(rest, &["OR", "IGNORE"])
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

/// Encodes rows (`width` values each) in `COPY`'s text format: tab between columns, `\N` for
/// null, backslash escapes for backslash, tab, newline and carriage return, `\\x…` for bytes.
pub(crate) fn copy_text(width: usize, values: &[Param<'_>]) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::with_capacity(values.len() * 12);
    for row in values.chunks(width.max(1)) {
        for (index, value) in row.iter().enumerate() {
            if index > 0 {
                out.push(b'\t');
            }
            match *value {
                Param::Null => out.extend_from_slice(b"\\N"),
                Param::Integer(n) => {
                    let _ = write!(out, "{n}");
                }
                Param::Real(x) if x.is_nan() => out.extend_from_slice(b"NaN"),
                Param::Real(x) if x.is_infinite() => {
                    out.extend_from_slice(if x > 0.0 { b"Infinity" } else { b"-Infinity" })
                }
                Param::Real(x) => {
                    let _ = write!(out, "{x:?}");
                }
                Param::Text(text) => {
                    for &byte in text.as_bytes() {
                        match byte {
                            b'\\' => out.extend_from_slice(b"\\\\"),
                            b'\t' => out.extend_from_slice(b"\\t"),
                            b'\n' => out.extend_from_slice(b"\\n"),
                            b'\r' => out.extend_from_slice(b"\\r"),
                            _ => out.push(byte),
                        }
                    }
                }
                Param::Blob(bytes) => {
                    out.extend_from_slice(b"\\\\x");
                    for byte in bytes {
                        let _ = write!(out, "{byte:02x}");
                    }
                }
            }
        }
        out.push(b'\n');
    }
    out
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
