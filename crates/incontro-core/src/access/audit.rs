//! The audit log: every read or write of a person's data, append-only and durable.
//!
//! Rows go to their own SQLite file ([`crate::store::audit_db::AUDIT_FILE`]) through a dedicated
//! writer thread that commits whatever is queued in one transaction (group commit): concurrent
//! callers share one fsync. [`Engine::submit_audit`] queues and returns an [`AuditReceipt`];
//! [`Engine::audit`] also waits for the commit.

use std::sync::mpsc;
use std::sync::Mutex;

use serde::Serialize;

use super::{now_rfc3339, Principal, RankingLogEntry, Role};
use crate::access::sql;
use crate::store::db::Db;
use crate::{Engine, Error, Result};

/// Whether an audited access succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The data was read or written.
    Ok,
    /// The caller was refused.
    Denied,
}

impl Outcome {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
        }
    }
}

/// One audit row to append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// RFC 3339 UTC.
    pub at: String,
    /// Key id.
    pub key_id: String,
    /// Role of the key.
    pub role: Role,
    /// What was done (`read_job_seeker`, `vacancies_for_person`, …).
    pub action: String,
    /// The person concerned, by pseudonymous id.
    pub person_id: Option<String>,
    /// Another object concerned (a vacancy id), if any.
    pub target: Option<String>,
    /// Whether it succeeded.
    pub outcome: Outcome,
}

impl AuditEntry {
    /// An entry stamped now.
    pub fn now(
        principal: &Principal,
        action: &str,
        person_id: Option<&str>,
        target: Option<&str>,
        outcome: Outcome,
    ) -> Self {
        AuditEntry {
            at: now_rfc3339(),
            key_id: principal.key_id.clone(),
            role: principal.role,
            action: action.to_string(),
            person_id: person_id.map(str::to_string),
            target: target.map(str::to_string),
            outcome,
        }
    }
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Sequence number.
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    /// Key id.
    pub key_id: String,
    /// Role.
    pub role: String,
    /// Action.
    pub action: String,
    /// Person (pseudonymous id).
    pub person_id: Option<String>,
    /// Other object.
    pub target: Option<String>,
    /// `ok` or `denied`.
    pub outcome: String,
}

/// Filters of an audit query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this person.
    pub person_id: Option<String>,
    /// Only this key.
    pub key_id: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// From this time (RFC 3339, inclusive).
    pub since: Option<String>,
    /// Before this time (RFC 3339, exclusive).
    pub until: Option<String>,
    /// At most this many rows (capped at [`AuditQuery::MAX_LIMIT`]).
    pub limit: usize,
    /// Rows to skip.
    pub offset: usize,
}

impl AuditQuery {
    /// The largest page.
    pub const MAX_LIMIT: usize = 1000;
}

/// What a committed batch reports to its caller: the ids of its ranking log rows.
type Committed = std::result::Result<Vec<i64>, String>;

struct AuditBatch {
    entries: Vec<AuditEntry>,
    rankings: Vec<RankingLogEntry>,
    done: tokio::sync::oneshot::Sender<Committed>,
}

/// A submitted audit batch: committed once [`AuditReceipt::wait`] (blocking) or
/// [`AuditReceipt::committed`] (async) returns `Ok`. A caller must not report success for the
/// audited read or write before then.
///
/// Submitting and waiting are separate so that a server can give its CPU slot back while the
/// commit (an fsync shared by every request in the batch) is under way.
#[must_use = "the audit rows are durable only once the receipt is waited for"]
#[derive(Debug)]
pub struct AuditReceipt(Receipt);

#[derive(Debug)]
enum Receipt {
    Done(Committed),
    Pending(tokio::sync::oneshot::Receiver<Committed>),
}

impl AuditReceipt {
    fn settle(outcome: std::result::Result<Committed, impl Sized>) -> Result<Vec<i64>> {
        match outcome {
            Ok(Ok(ids)) => Ok(ids),
            Ok(Err(message)) => Err(Error::Internal(format!("audit write failed: {message}"))),
            Err(_) => Err(Error::Internal("audit writer stopped".into())),
        }
    }

    /// Blocks until the rows are committed. Must not be called on an async runtime's thread
    /// (use [`AuditReceipt::committed`] there).
    pub fn wait(self) -> Result<()> {
        self.wait_for_log_id().map(|_| ())
    }

    /// [`AuditReceipt::wait`], returning the id of the ranking logged with the rows, if any
    /// ([`Engine::submit_audit_and_ranking`]).
    pub fn wait_for_log_id(self) -> Result<Option<i64>> {
        let ids = match self.0 {
            Receipt::Done(outcome) => Self::settle(Ok::<_, ()>(outcome))?,
            Receipt::Pending(receiver) => Self::settle(receiver.blocking_recv())?,
        };
        Ok(ids.first().copied())
    }

    /// Resolves when the rows are committed (no thread is blocked meanwhile).
    pub async fn committed(self) -> Result<()> {
        self.committed_log_id().await.map(|_| ())
    }

    /// [`AuditReceipt::committed`], returning the id of the ranking logged with the rows, if
    /// any ([`Engine::submit_audit_and_ranking`]).
    pub async fn committed_log_id(self) -> Result<Option<i64>> {
        let ids = match self.0 {
            Receipt::Done(outcome) => Self::settle(Ok::<_, ()>(outcome))?,
            Receipt::Pending(receiver) => Self::settle(receiver.await)?,
        };
        Ok(ids.first().copied())
    }
}

/// The durable audit writer: a thread with its own connection that commits whatever is queued
/// in one transaction (group commit). Started on first use.
#[derive(Default)]
pub struct AuditLog {
    queue: Mutex<Option<mpsc::Sender<AuditBatch>>>,
    /// The connection that answers audit queries (opened on first query).
    reader: Mutex<Option<crate::store::audit_db::AuditConn>>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog").finish_non_exhaustive()
    }
}

/// At most this many callers share one commit.
const AUDIT_BATCH: usize = 256;

fn run_audit_writer(
    mut connection: crate::store::audit_db::AuditConn,
    receiver: mpsc::Receiver<AuditBatch>,
) {
    while let Ok(first) = receiver.recv() {
        let mut batches = vec![first];
        while batches.len() < AUDIT_BATCH {
            match receiver.try_recv() {
                Ok(batch) => batches.push(batch),
                Err(_) => break,
            }
        }
        let result = connection
            .write(|transaction| -> Result<Vec<Vec<i64>>> {
                let mut ids = Vec::with_capacity(batches.len());
                for batch in &batches {
                    sql::append_audit(transaction, &batch.entries)?;
                    ids.push(sql::append_rankings(transaction, &batch.rankings)?);
                }
                Ok(ids)
            })
            .map_err(|error| error.to_string());
        for (index, batch) in batches.into_iter().enumerate() {
            let committed = match &result {
                Ok(ids) => Ok(ids[index].clone()),
                Err(message) => Err(message.clone()),
            };
            // A caller that stopped waiting (request timed out) is not an error here.
            let _ = batch.done.send(committed);
        }
    }
}

/// **Access**: the audit log of reads and writes of personal data.
impl Engine {
    /// Appends audit entries and returns once they are committed (durable).
    pub fn audit(&self, entries: Vec<AuditEntry>) -> Result<()> {
        self.submit_audit(entries)?.wait()
    }

    /// Queues `entries` for the next group commit and returns at once; the rows are durable when
    /// the receipt says so. See [`Engine::audit`] for the blocking form.
    pub fn submit_audit(&self, entries: Vec<AuditEntry>) -> Result<AuditReceipt> {
        self.submit_audit_batch(entries, Vec::new())
    }

    /// [`Engine::submit_audit`] together with the ranking log row of the ranking served (one
    /// insert in the same group commit; see [`RankingLogEntry`]). The receipt gives the
    /// row's id ([`AuditReceipt::committed_log_id`]).
    pub fn submit_audit_and_ranking(
        &self,
        entries: Vec<AuditEntry>,
        ranking: RankingLogEntry,
    ) -> Result<AuditReceipt> {
        self.submit_audit_batch(entries, vec![ranking])
    }

    fn submit_audit_batch(
        &self,
        mut entries: Vec<AuditEntry>,
        mut rankings: Vec<RankingLogEntry>,
    ) -> Result<AuditReceipt> {
        // Stamped by the engine's clock, whoever built the entries.
        let at = super::rfc3339(self.now());
        for entry in &mut entries {
            entry.at.clone_from(&at);
        }
        for ranking in &mut rankings {
            ranking.at.clone_from(&at);
        }
        if entries.is_empty() && rankings.is_empty() {
            return Ok(AuditReceipt(Receipt::Done(Ok(Vec::new()))));
        }
        let (done, wait) = tokio::sync::oneshot::channel();
        let mut queue = self
            .audit
            .queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if queue.is_none() {
            let Some(connection) = crate::store::audit_db::open_audit_connection(self.store())?
            else {
                // In-memory store: no second connection; write through the store.
                drop(queue);
                let ids = self.store().write(|tx| {
                    sql::append_audit(tx, &entries)?;
                    tx.execute_batch(crate::store::audit_db::RANKING_LOG_SCHEMA)?;
                    sql::append_rankings(tx, &rankings)
                })?;
                return Ok(AuditReceipt(Receipt::Done(Ok(ids))));
            };
            let (sender, receiver) = mpsc::channel();
            std::thread::Builder::new()
                .name("incontro-audit".into())
                .spawn(move || run_audit_writer(connection, receiver))
                .map_err(|error| Error::Internal(format!("audit writer: {error}")))?;
            *queue = Some(sender);
        }
        let Some(sender) = queue.as_ref() else {
            return Err(Error::Internal("audit writer missing".into()));
        };
        if sender
            .send(AuditBatch {
                entries,
                rankings,
                done,
            })
            .is_err()
        {
            *queue = None;
            return Err(Error::Internal("audit writer stopped".into()));
        }
        Ok(AuditReceipt(Receipt::Pending(wait)))
    }

    /// Audit rows matching `query`, newest first.
    pub fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>> {
        let query = AuditQuery {
            limit: query.limit.clamp(1, AuditQuery::MAX_LIMIT),
            ..query.clone()
        };
        self.with_audit_reader(|connection| sql::query_audit(connection, &query))
    }

    /// Runs `read` on the audit database's reading connection (the store's, in memory).
    pub(super) fn with_audit_reader<T>(
        &self,
        read: impl FnOnce(&Db<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut reader = self
            .audit
            .reader
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if reader.is_none() {
            match crate::store::audit_db::open_audit_connection(self.store())? {
                Some(connection) => *reader = Some(connection),
                None => {
                    drop(reader);
                    return self.store().write(|tx| {
                        tx.execute_batch(crate::store::audit_db::RANKING_LOG_SCHEMA)?;
                        read(tx)
                    });
                }
            }
        }
        match reader.as_ref() {
            Some(connection) => connection.read(read),
            None => Err(Error::Internal("audit reader missing".into())),
        }
    }

    /// Runs `write` in one transaction on a connection of its own to the audit database (the
    /// store's, in memory): maintenance such as the ranking log's purge, never the hot path.
    pub(super) fn with_audit_writer<T>(
        &self,
        write: impl FnOnce(&Db<'_>) -> Result<T>,
    ) -> Result<T> {
        let Some(mut connection) = crate::store::audit_db::open_audit_connection(self.store())?
        else {
            return self.store().write(|tx| {
                tx.execute_batch(crate::store::audit_db::RANKING_LOG_SCHEMA)?;
                write(tx)
            });
        };
        connection.write(write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, office: Option<&str>) -> Principal {
        Principal {
            key_id: "key_test".into(),
            role,
            office: office.map(str::to_string),
            label: "test".into(),
        }
    }

    #[test]
    fn audit_is_append_only_and_queryable() {
        let dir = tempfile::tempdir().expect("tempdir");
        let engine = Engine::open(dir.path()).expect("engine");
        let desk = principal(Role::Desk, Some("LU"));
        std::thread::scope(|scope| {
            for thread in 0..4 {
                let engine = &engine;
                let desk = &desk;
                scope.spawn(move || {
                    for person in 0..10 {
                        let person = format!("JS{thread}{person}");
                        engine
                            .audit(vec![AuditEntry::now(
                                desk,
                                "read_job_seeker",
                                Some(&person),
                                None,
                                Outcome::Ok,
                            )])
                            .expect("audit");
                    }
                });
            }
        });
        let all = engine
            .audit_log(&AuditQuery {
                limit: 1000,
                ..Default::default()
            })
            .expect("query");
        assert_eq!(all.len(), 40);
        let one = engine
            .audit_log(&AuditQuery {
                person_id: Some("JS27".into()),
                limit: 10,
                ..Default::default()
            })
            .expect("query");
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].key_id, "key_test");
        let audit_file = dir.path().join(crate::store::audit_db::AUDIT_FILE);
        let raw = rusqlite::Connection::open(&audit_file).expect("audit file");
        assert!(raw.execute("DELETE FROM audit_log", []).is_err());
        assert!(raw
            .execute("UPDATE audit_log SET action = 'x'", [])
            .is_err());
        let in_main: i64 = engine
            .store()
            .read(|c| {
                c.query_row(
                    "SELECT count(*) FROM audit_log",
                    crate::store::db::params![],
                    |row| row.get(0),
                )
            })
            .expect("main table");
        assert_eq!(in_main, 0, "audit rows go to their own file");
        drop(raw);
        drop(engine);
        let reopened = Engine::open(dir.path()).expect("reopen");
        let all = reopened
            .audit_log(&AuditQuery {
                limit: 1000,
                ..Default::default()
            })
            .expect("query");
        assert_eq!(all.len(), 40);
    }

    #[test]
    fn audit_rows_of_an_older_data_directory_move_to_the_audit_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let desk = principal(Role::Desk, Some("LU"));
        {
            // A data directory written before the move: rows in the main database.
            let engine = Engine::open(dir.path()).expect("engine");
            let entries: Vec<AuditEntry> = (0..3)
                .map(|n| {
                    AuditEntry::now(
                        &desk,
                        "read_job_seeker",
                        Some(&format!("JS{n}")),
                        None,
                        Outcome::Ok,
                    )
                })
                .collect();
            engine
                .store()
                .write(|tx| sql::append_audit(tx, &entries))
                .expect("legacy rows");
        }
        let engine = Engine::open(dir.path()).expect("reopen");
        engine
            .audit(vec![AuditEntry::now(
                &desk,
                "read_job_seeker",
                Some("JS9"),
                None,
                Outcome::Ok,
            )])
            .expect("audit");
        let all = engine
            .audit_log(&AuditQuery {
                limit: 100,
                ..Default::default()
            })
            .expect("query");
        let people: Vec<_> = all.iter().filter_map(|r| r.person_id.clone()).collect();
        assert_eq!(people, ["JS9", "JS2", "JS1", "JS0"]);
        drop(engine);
        let again = Engine::open(dir.path()).expect("third open");
        let count = again
            .audit_log(&AuditQuery {
                limit: 100,
                ..Default::default()
            })
            .expect("query")
            .len();
        assert_eq!(count, 4, "copied once, not at every open");
    }
}
