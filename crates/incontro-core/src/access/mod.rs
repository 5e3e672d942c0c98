//! Access: API keys, roles, offices, the authorization matrix and the audit log.
//!
//! What it does:
//! - **API keys**: a random 32-byte token shown once at creation; only its SHA-256 is stored, with
//!   the key's [`Role`], optional office (a province code such as `LU`), label and creation time.
//!   Keys can be revoked.
//! - **Authorization**: [`Role::allows`] is the one role × [`Action`] table; office scoping
//!   ([`Principal::may_see_office`]) keeps desk staff and validators to the objects of their
//!   office (the province of the object's comune).
//! - **Audit**: every read or write of a person's data is appended to `audit_log` (who, role, when,
//!   action, which person by pseudonymous id). The log is append-only (database triggers refuse
//!   updates and deletes) and durable: [`Engine::audit`] returns only after the rows are committed.
//!   It lives in its own file ([`crate::store::access::AUDIT_FILE`]) so that its commits leave the
//!   main database's page cache warm.
//!   Concurrent callers share one commit (group commit on a dedicated connection), so auditing
//!   every read costs one fsync per batch, not per request.
//!
//! What it does NOT do: HTTP (the server maps [`crate::ErrorKind::Forbidden`] to 403 and a missing
//! principal to 401) or SQL (see [`crate::store::access`]).

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Company, ComuneCode, EntityId, JobSeeker, Vacancy, VacancyStatus};
use crate::store::access as sql;
use crate::{Engine, Error, Result};

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, in every office, including the audit log.
    Admin,
    /// Competency validator: companies and vacancies of their office, and the draft → validated step.
    Validator,
    /// Desk staff (sportello): people, companies, vacancies and matching in their office.
    Desk,
    /// Outreach operator: only the call-list entries assigned to them.
    Operator,
    /// Analyst: aggregates only, never a person.
    Analyst,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Validator,
        Role::Desk,
        Role::Operator,
        Role::Analyst,
    ];

    /// Parses the snake_case name.
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "validator" => Ok(Role::Validator),
            "desk" | "sportello" => Ok(Role::Desk),
            "operator" => Ok(Role::Operator),
            "analyst" => Ok(Role::Analyst),
            other => Err(Error::invalid(
                "invalid_role",
                format!(
                    "unknown role {other:?}; expected admin, validator, desk, operator or analyst"
                ),
            )),
        }
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Validator => "validator",
            Role::Desk => "desk",
            Role::Operator => "operator",
            Role::Analyst => "analyst",
        }
    }

    /// The authorization matrix: whether this role may perform `action` at all (office scoping
    /// and "own entries only" are checked on the object afterwards).
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Validator => matches!(
                action,
                ReadTaxonomy
                    | ReadAggregates
                    | ReadCompany
                    | ReadVacancy
                    | WriteVacancy
                    | ValidateVacancy
                    | SuggestCompetences
            ),
            Role::Desk => matches!(
                action,
                ReadTaxonomy
                    | ReadAggregates
                    | ReadCompany
                    | WriteCompany
                    | ReadVacancy
                    | WriteVacancy
                    | ReadPerson
                    | ReadPersonalData
                    | FindPerson
                    | MatchForPerson
                    | MatchForVacancy
                    | ReadTraining
                    | RecordPlacement
                    | SuggestCompetences
                    | WritePersonCompetences
            ),
            Role::Operator => matches!(action, ReadTaxonomy | ReadOwnCallList | WriteOwnOutcome),
            Role::Analyst => matches!(action, ReadTaxonomy | ReadAggregates),
        }
    }

    /// Whether keys of this role are bound to one office (admins and analysts see every office).
    pub fn is_office_scoped(self) -> bool {
        matches!(self, Role::Validator | Role::Desk | Role::Operator)
    }
}

/// What a request wants to do; each route names exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Skills, occupations, hierarchy.
    ReadTaxonomy,
    /// Counts and reports with no person in them.
    ReadAggregates,
    /// A company.
    ReadCompany,
    /// Create or update a company.
    WriteCompany,
    /// A vacancy and its competence breakdown.
    ReadVacancy,
    /// Create or update a vacancy or its competence breakdown.
    WriteVacancy,
    /// Draft → validated.
    ValidateVacancy,
    /// A job seeker's analytical record, competences and work history.
    ReadPerson,
    /// A job seeker's personal data (codice fiscale, names, contacts).
    ReadPersonalData,
    /// Find a job seeker by codice fiscale or name.
    FindPerson,
    /// Vacancies for a person, explanations.
    MatchForPerson,
    /// Candidates for a vacancy.
    MatchForVacancy,
    /// Gap and training proposals for a person.
    ReadTraining,
    /// Record a proposal or placement of a person in a vacancy.
    RecordPlacement,
    /// Competences suggested from a text (a job ad, visit notes, a CV); nothing is stored.
    SuggestCompetences,
    /// Accept or reject suggested competences of a person (accepted ones become assessed
    /// competences).
    WritePersonCompetences,
    /// The call-list entries assigned to the caller.
    ReadOwnCallList,
    /// Record an outcome on an entry assigned to the caller.
    WriteOwnOutcome,
    /// The audit log.
    ReadAudit,
}

/// A stored API key (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    /// Public id, e.g. `key_1a2b3c4d5e6f` (appears in the audit log).
    pub id: String,
    /// Role.
    pub role: Role,
    /// Office (province code, e.g. `LU`) for office-scoped roles; `None` = every office.
    pub office: Option<String>,
    /// Who holds it ("Marta Lazzari, sportello Viareggio").
    pub label: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC, when revoked.
    pub revoked_at: Option<String>,
}

/// A key just created: the token is shown once and never stored.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// The stored key.
    pub key: ApiKey,
    /// The bearer token (`inc_` and 64 hex digits).
    pub token: String,
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    /// The key id.
    pub key_id: String,
    /// Its role.
    pub role: Role,
    /// Its office, if bound to one.
    pub office: Option<String>,
    /// The key's label (recorded as the validator's name on validation).
    pub label: String,
}

impl Principal {
    /// Whether the caller may see an object of `office` (`None` = the object's office is unknown).
    pub fn may_see_office(&self, office: Option<&str>) -> bool {
        if !self.role.is_office_scoped() {
            return true;
        }
        match (&self.office, office) {
            (None, _) => true,
            (Some(mine), Some(theirs)) => mine.eq_ignore_ascii_case(theirs),
            (Some(_), None) => false,
        }
    }

    /// [`Role::allows`] as a `Result` with code `forbidden_role`.
    pub fn authorize(&self, action: Action) -> Result<()> {
        if self.role.allows(action) {
            Ok(())
        } else {
            Err(Error::Forbidden {
                code: "forbidden_role",
                message: format!("role {} may not do this", self.role.as_str()),
            })
        }
    }
}

fn other_office() -> Error {
    Error::Forbidden {
        code: "other_office",
        message: "the object belongs to another office".into(),
    }
}

/// A vacancy status to filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    /// Drafts.
    Draft,
    /// Validated.
    Validated,
    /// Closed.
    Closed,
}

/// Filters of a vacancy listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VacancyFilter {
    /// Only this company.
    pub company_id: Option<EntityId>,
    /// Only this comune.
    pub comune: Option<ComuneCode>,
    /// Only this status.
    pub status: Option<StatusFilter>,
}

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

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// SHA-256 of a token, hex.
fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn check_office_code(office: &str) -> Result<String> {
    let office = office.trim().to_ascii_uppercase();
    let ok = !office.is_empty()
        && office.len() <= 8
        && office.bytes().all(|byte| byte.is_ascii_alphanumeric());
    if ok {
        Ok(office)
    } else {
        Err(Error::invalid(
            "invalid_office",
            "office must be 1-8 letters or digits (a province code such as LU)",
        ))
    }
}

struct AuditBatch {
    entries: Vec<AuditEntry>,
    done: tokio::sync::oneshot::Sender<std::result::Result<(), String>>,
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
    Done(std::result::Result<(), String>),
    Pending(tokio::sync::oneshot::Receiver<std::result::Result<(), String>>),
}

impl AuditReceipt {
    fn settle(
        outcome: std::result::Result<std::result::Result<(), String>, impl Sized>,
    ) -> Result<()> {
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(Error::Internal(format!("audit write failed: {message}"))),
            Err(_) => Err(Error::Internal("audit writer stopped".into())),
        }
    }

    /// Blocks until the rows are committed. Must not be called on an async runtime's thread
    /// (use [`AuditReceipt::committed`] there).
    pub fn wait(self) -> Result<()> {
        match self.0 {
            Receipt::Done(outcome) => Self::settle(Ok::<_, ()>(outcome)),
            Receipt::Pending(receiver) => Self::settle(receiver.blocking_recv()),
        }
    }

    /// Resolves when the rows are committed (no thread is blocked meanwhile).
    pub async fn committed(self) -> Result<()> {
        match self.0 {
            Receipt::Done(outcome) => Self::settle(Ok::<_, ()>(outcome)),
            Receipt::Pending(receiver) => Self::settle(receiver.await),
        }
    }
}

/// The durable audit writer: a thread with its own connection that commits whatever is queued
/// in one transaction (group commit). Started on first use.
#[derive(Default)]
pub struct AuditLog {
    queue: Mutex<Option<mpsc::Sender<AuditBatch>>>,
    /// The connection that answers audit queries (opened on first query).
    reader: Mutex<Option<rusqlite::Connection>>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog").finish_non_exhaustive()
    }
}

/// How long an authenticated key is remembered: a key revoked by another process (`incontro keys
/// revoke` while the server runs) stops working within this time; one revoked through the same
/// engine stops at once.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// At most this many keys are remembered (the cache starts over beyond it).
const KEY_CACHE_CAPACITY: usize = 4096;

/// Keys recently authenticated, by token hash, so that a request does not query the database
/// for its key.
#[derive(Default)]
pub struct KeyCache {
    entries: Mutex<HashMap<String, (Principal, Instant)>>,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyCache").finish_non_exhaustive()
    }
}

impl KeyCache {
    fn get(&self, hash: &str) -> Option<Principal> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries
            .get(hash)
            .filter(|(_, at)| at.elapsed() < KEY_CACHE_TTL)
            .map(|(principal, _)| principal.clone())
    }

    fn put(&self, hash: String, principal: Option<&Principal>) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match principal {
            Some(principal) => {
                if entries.len() >= KEY_CACHE_CAPACITY {
                    entries.clear();
                }
                entries.insert(hash, (principal.clone(), Instant::now()));
            }
            None => {
                entries.remove(&hash);
            }
        }
    }

    fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}

/// At most this many callers share one commit.
const AUDIT_BATCH: usize = 256;

fn run_audit_writer(mut connection: rusqlite::Connection, receiver: mpsc::Receiver<AuditBatch>) {
    while let Ok(first) = receiver.recv() {
        let mut batches = vec![first];
        while batches.len() < AUDIT_BATCH {
            match receiver.try_recv() {
                Ok(batch) => batches.push(batch),
                Err(_) => break,
            }
        }
        let result = (|| -> Result<()> {
            let transaction =
                connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            for batch in &batches {
                sql::append_audit(&transaction, &batch.entries)?;
            }
            transaction.commit()?;
            Ok(())
        })()
        .map_err(|error| error.to_string());
        for batch in batches {
            // A caller that stopped waiting (request timed out) is not an error here.
            let _ = batch.done.send(result.clone());
        }
    }
}

impl Engine {
    /// Creates an API key; the returned token is the only copy.
    pub fn create_api_key(
        &self,
        role: Role,
        office: Option<&str>,
        label: &str,
    ) -> Result<NewApiKey> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 200 || label.chars().any(char::is_control) {
            return Err(Error::invalid(
                "invalid_label",
                "label must be 1-200 printable characters",
            ));
        }
        let office = office.map(check_office_code).transpose()?;
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        let token = format!("inc_{}", hex::encode(secret));
        let mut id_bytes = [0u8; 6];
        rand::rngs::OsRng.fill_bytes(&mut id_bytes);
        let key = ApiKey {
            id: format!("key_{}", hex::encode(id_bytes)),
            role,
            office,
            label: label.to_string(),
            created_at: now_rfc3339(),
            revoked_at: None,
        };
        let hash = token_hash(&token);
        self.store().write(|tx| sql::insert_key(tx, &key, &hash))?;
        Ok(NewApiKey { key, token })
    }

    /// Every API key (without tokens).
    pub fn list_api_keys(&self) -> Result<Vec<ApiKey>> {
        self.store().read(sql::list_keys)
    }

    /// Revokes a key.
    pub fn revoke_api_key(&self, id: &str) -> Result<()> {
        let at = now_rfc3339();
        let revoked = self.store().write(|tx| sql::revoke_key(tx, id, &at))?;
        self.keys.clear();
        if revoked {
            Ok(())
        } else {
            Err(Error::not_found("api_key_not_found", "active api key", id))
        }
    }

    /// The caller holding `token`, or `None` for an unknown or revoked token.
    pub fn authenticate(&self, token: &str) -> Result<Option<Principal>> {
        let token = token.trim();
        if !token.starts_with("inc_") || token.len() != 68 {
            return Ok(None);
        }
        let hash = token_hash(token);
        let principal = self
            .store()
            .read(|c| sql::key_by_hash(c, &hash))?
            .filter(|key| key.revoked_at.is_none())
            .map(|key| Principal {
                key_id: key.id,
                role: key.role,
                office: key.office,
                label: key.label,
            });
        self.keys.put(hash, principal.as_ref());
        Ok(principal)
    }

    /// The principal of `token` if it was authenticated less than [`KEY_CACHE_TTL`] ago: memory
    /// only, no database access, so an async caller may use it before falling back to
    /// [`Engine::authenticate`].
    pub fn cached_principal(&self, token: &str) -> Option<Principal> {
        let token = token.trim();
        if !token.starts_with("inc_") || token.len() != 68 {
            return None;
        }
        self.keys.get(&token_hash(token))
    }

    /// The office (province) of a comune, if the comune is known.
    pub fn office_of_comune(&self, comune: &ComuneCode) -> Result<Option<String>> {
        self.store().read(|c| sql::province_of(c, comune.as_str()))
    }

    /// Authorizes `action` on a job seeker and loads them: role first (403 `forbidden_role`
    /// before any lookup), then existence (404), then office (403 `other_office`). A refusal on
    /// an existing person is audited.
    pub fn job_seeker_for(
        &self,
        principal: &Principal,
        action: Action,
        id: &EntityId,
    ) -> Result<JobSeeker> {
        principal.authorize(action)?;
        let seeker = self.get_job_seeker(id)?;
        let office = self.office_of_comune(&seeker.comune)?;
        if !principal.may_see_office(office.as_deref()) {
            self.audit(vec![AuditEntry::now(
                principal,
                "office_refused",
                Some(id.as_str()),
                None,
                Outcome::Denied,
            )])?;
            return Err(other_office());
        }
        Ok(seeker)
    }

    /// Authorizes `action` on a job seeker like [`Engine::job_seeker_for`] without loading the
    /// record (one indexed lookup): for calls that need only the permission, such as matching.
    /// Returns the person's comune.
    pub fn check_job_seeker_access(
        &self,
        principal: &Principal,
        action: Action,
        id: &EntityId,
    ) -> Result<ComuneCode> {
        principal.authorize(action)?;
        let (comune, office) = self
            .store()
            .read(|c| sql::job_seeker_office(c, id.as_str()))?
            .ok_or_else(|| Error::not_found("job_seeker_not_found", "job seeker", id.as_str()))?;
        if !principal.may_see_office(office.as_deref()) {
            self.audit(vec![AuditEntry::now(
                principal,
                "office_refused",
                Some(id.as_str()),
                None,
                Outcome::Denied,
            )])?;
            return Err(other_office());
        }
        ComuneCode::parse(&comune)
    }

    /// Authorizes `action` on a vacancy and loads it (role, existence, office).
    pub fn vacancy_for(
        &self,
        principal: &Principal,
        action: Action,
        id: &EntityId,
    ) -> Result<Vacancy> {
        principal.authorize(action)?;
        let vacancy = self.get_vacancy(id)?;
        let office = self.office_of_comune(&vacancy.comune)?;
        if !principal.may_see_office(office.as_deref()) {
            return Err(other_office());
        }
        Ok(vacancy)
    }

    /// Authorizes `action` on a company and loads it; a company belongs to the office of each
    /// of its sites.
    pub fn company_for(
        &self,
        principal: &Principal,
        action: Action,
        id: &EntityId,
    ) -> Result<Company> {
        principal.authorize(action)?;
        let company = self.get_company(id)?;
        self.check_company_office(principal, &company)?;
        Ok(company)
    }

    /// Whether the caller may see a company (one of its sites in their office).
    pub fn check_company_office(&self, principal: &Principal, company: &Company) -> Result<()> {
        if !principal.role.is_office_scoped() || principal.office.is_none() {
            return Ok(());
        }
        for site in &company.sites {
            let office = self.office_of_comune(&site.comune)?;
            if principal.may_see_office(office.as_deref()) {
                return Ok(());
            }
        }
        Err(other_office())
    }

    /// Whether the caller may place an object in `comune` (a write into their office).
    pub fn check_comune_office(&self, principal: &Principal, comune: &ComuneCode) -> Result<()> {
        let office = self.office_of_comune(comune)?;
        if principal.may_see_office(office.as_deref()) {
            Ok(())
        } else {
            Err(other_office())
        }
    }

    /// The companies the caller may see, ordered by id, paged; with the total visible.
    pub fn companies_visible_to(
        &self,
        principal: &Principal,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Company>, usize)> {
        principal.authorize(Action::ReadCompany)?;
        let provinces = self.store().read(sql::provinces)?;
        let visible: Vec<Company> = self
            .list_companies(usize::MAX >> 1, 0)?
            .into_iter()
            .filter(|company| {
                !principal.role.is_office_scoped()
                    || principal.office.is_none()
                    || company.sites.iter().any(|site| {
                        let office = provinces.get(site.comune.as_str()).map(String::as_str);
                        principal.may_see_office(office)
                    })
            })
            .collect();
        let total = visible.len();
        Ok((
            visible.into_iter().skip(offset).take(limit).collect(),
            total,
        ))
    }

    /// The vacancies the caller may see, with optional filters, ordered by id, paged; with the
    /// total visible.
    pub fn vacancies_visible_to(
        &self,
        principal: &Principal,
        filter: &VacancyFilter,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Vacancy>, usize)> {
        principal.authorize(Action::ReadVacancy)?;
        let provinces = self.store().read(sql::provinces)?;
        let mut visible: Vec<Vacancy> = self
            .list_vacancies(filter.company_id.as_ref())?
            .into_iter()
            .filter(|vacancy| {
                principal.may_see_office(provinces.get(vacancy.comune.as_str()).map(String::as_str))
            })
            .filter(|vacancy| {
                filter
                    .comune
                    .as_ref()
                    .is_none_or(|comune| &vacancy.comune == comune)
            })
            .filter(|vacancy| {
                filter.status.is_none_or(|status| {
                    status
                        == match vacancy.status {
                            VacancyStatus::Draft => StatusFilter::Draft,
                            VacancyStatus::Validated { .. } => StatusFilter::Validated,
                            VacancyStatus::Closed => StatusFilter::Closed,
                        }
                })
            })
            .collect();
        visible.sort_by(|a, b| a.id.cmp(&b.id));
        let total = visible.len();
        Ok((
            visible.into_iter().skip(offset).take(limit).collect(),
            total,
        ))
    }

    /// Creates a company (409 `company_exists` when the id is taken); one of its sites must be
    /// in the caller's office.
    pub fn create_company(&self, principal: &Principal, company: &Company) -> Result<()> {
        principal.authorize(Action::WriteCompany)?;
        self.check_company_office(principal, company)?;
        self.insert_company(company)
    }

    /// Replaces an existing company the caller may see.
    pub fn update_company(&self, principal: &Principal, company: &Company) -> Result<()> {
        self.company_for(principal, Action::WriteCompany, &company.id)?;
        self.check_company_office(principal, company)?;
        self.put_company(company)
    }

    /// Creates a vacancy as a draft (409 `vacancy_exists` when the id is taken); its company must
    /// be visible to the caller and its comune in the caller's office.
    pub fn create_vacancy(&self, principal: &Principal, vacancy: &Vacancy) -> Result<Vacancy> {
        principal.authorize(Action::WriteVacancy)?;
        self.check_comune_office(principal, &vacancy.comune)?;
        if self.get_vacancy(&vacancy.id).is_ok() {
            return Err(Error::conflict(
                "vacancy_exists",
                format!("vacancy {} already exists", vacancy.id),
            ));
        }
        self.company_for(principal, Action::ReadCompany, &vacancy.company_id)
            .map_err(|error| match error.kind() {
                crate::ErrorKind::Forbidden => other_office(),
                _ => error,
            })?;
        let draft = Vacancy {
            status: VacancyStatus::Draft,
            ..vacancy.clone()
        };
        self.insert_vacancy(&draft)?;
        Ok(draft)
    }

    /// Replaces an open vacancy's content; it goes back to draft (a validator checks it again).
    pub fn update_vacancy(&self, principal: &Principal, vacancy: &Vacancy) -> Result<Vacancy> {
        let existing = self.vacancy_for(principal, Action::WriteVacancy, &vacancy.id)?;
        if matches!(existing.status, VacancyStatus::Closed) {
            return Err(Error::conflict(
                "vacancy_closed",
                "a closed vacancy cannot change",
            ));
        }
        self.check_comune_office(principal, &vacancy.comune)?;
        self.company_for(principal, Action::ReadCompany, &vacancy.company_id)?;
        let draft = Vacancy {
            status: VacancyStatus::Draft,
            ..vacancy.clone()
        };
        self.put_vacancy(&draft)?;
        Ok(draft)
    }

    /// Appends audit entries and returns once they are committed (durable).
    pub fn audit(&self, entries: Vec<AuditEntry>) -> Result<()> {
        self.submit_audit(entries)?.wait()
    }

    /// Queues `entries` for the next group commit and returns at once; the rows are durable when
    /// the receipt says so. See [`Engine::audit`] for the blocking form.
    pub fn submit_audit(&self, entries: Vec<AuditEntry>) -> Result<AuditReceipt> {
        if entries.is_empty() {
            return Ok(AuditReceipt(Receipt::Done(Ok(()))));
        }
        let (done, wait) = tokio::sync::oneshot::channel();
        let mut queue = self
            .audit
            .queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if queue.is_none() {
            let Some(connection) = sql::open_audit_connection(self.store())? else {
                // In-memory store: no second connection; write through the store.
                drop(queue);
                self.store().write(|tx| sql::append_audit(tx, &entries))?;
                return Ok(AuditReceipt(Receipt::Done(Ok(()))));
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
        if sender.send(AuditBatch { entries, done }).is_err() {
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
        let mut reader = self
            .audit
            .reader
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if reader.is_none() {
            match sql::open_audit_connection(self.store())? {
                Some(connection) => *reader = Some(connection),
                None => {
                    drop(reader);
                    return self.store().read(|c| sql::query_audit(c, &query));
                }
            }
        }
        match reader.as_ref() {
            Some(connection) => sql::query_audit(connection, &query),
            None => Err(Error::Internal("audit reader missing".into())),
        }
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
    fn keys_are_stored_hashed_and_revocable() {
        let engine = Engine::open_in_memory().expect("engine");
        let created = engine
            .create_api_key(Role::Desk, Some("lu"), "Marta, sportello")
            .expect("key");
        assert_eq!(created.key.office.as_deref(), Some("LU"));
        assert_eq!(created.token.len(), 68);
        let stored_hash: String = engine
            .store()
            .read(|c| Ok(c.query_row("SELECT token_hash FROM api_key", [], |row| row.get(0))?))
            .expect("hash");
        assert_ne!(stored_hash, created.token);
        assert_eq!(stored_hash, token_hash(&created.token));
        let found = engine.authenticate(&created.token).expect("auth");
        assert_eq!(found.map(|p| p.role), Some(Role::Desk));
        assert_eq!(engine.authenticate("inc_nope").expect("auth"), None);
        assert_eq!(
            engine.cached_principal(&created.token).map(|p| p.key_id),
            Some(created.key.id.clone()),
            "an authenticated key is remembered"
        );
        assert_eq!(engine.cached_principal("inc_nope"), None);
        engine.revoke_api_key(&created.key.id).expect("revoke");
        assert_eq!(
            engine.cached_principal(&created.token),
            None,
            "revocation forgets at once"
        );
        assert_eq!(engine.authenticate(&created.token).expect("auth"), None);
        assert_eq!(engine.cached_principal(&created.token), None);
        assert_eq!(
            engine.revoke_api_key(&created.key.id).unwrap_err().code(),
            "api_key_not_found"
        );
    }

    #[test]
    fn bad_labels_and_offices_are_refused() {
        let engine = Engine::open_in_memory().expect("engine");
        let error = engine.create_api_key(Role::Admin, None, "  ").unwrap_err();
        assert_eq!(error.code(), "invalid_label");
        let error = engine
            .create_api_key(Role::Desk, Some("L U"), "x")
            .unwrap_err();
        assert_eq!(error.code(), "invalid_office");
    }

    #[test]
    fn matrix_keeps_analysts_and_operators_away_from_people() {
        for action in [
            Action::ReadPerson,
            Action::ReadPersonalData,
            Action::FindPerson,
            Action::MatchForPerson,
            Action::MatchForVacancy,
        ] {
            assert!(!Role::Analyst.allows(action), "{action:?}");
            assert!(!Role::Operator.allows(action), "{action:?}");
            assert!(!Role::Validator.allows(action), "{action:?}");
            assert!(Role::Desk.allows(action), "{action:?}");
        }
        assert!(Role::Admin.allows(Action::ReadAudit));
        for role in [Role::Validator, Role::Desk, Role::Operator, Role::Analyst] {
            assert!(!role.allows(Action::ReadAudit));
        }
        assert!(Role::Validator.allows(Action::ValidateVacancy));
        assert!(!Role::Desk.allows(Action::ValidateVacancy));
    }

    #[test]
    fn office_scoping() {
        let desk = principal(Role::Desk, Some("LU"));
        assert!(desk.may_see_office(Some("LU")));
        assert!(desk.may_see_office(Some("lu")));
        assert!(!desk.may_see_office(Some("MI")));
        assert!(!desk.may_see_office(None));
        assert!(principal(Role::Desk, None).may_see_office(Some("MI")));
        assert!(principal(Role::Admin, Some("LU")).may_see_office(Some("MI")));
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
        let audit_file = dir.path().join(crate::store::access::AUDIT_FILE);
        let raw = rusqlite::Connection::open(&audit_file).expect("audit file");
        assert!(raw.execute("DELETE FROM audit_log", []).is_err());
        assert!(raw
            .execute("UPDATE audit_log SET action = 'x'", [])
            .is_err());
        let in_main: i64 = engine
            .store()
            .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |row| row.get(0))?))
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
