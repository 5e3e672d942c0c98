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
//!   It lives in its own file (`audit.sqlite` in the data directory) so that its commits leave the
//!   main database's page cache warm.
//!   Concurrent callers share one commit (group commit on a dedicated connection), so auditing
//!   every read costs one fsync per batch, not per request.
//!
//! What it does NOT do: HTTP (the server maps [`crate::ErrorKind::Forbidden`] to 403 and a missing
//! principal to 401) or SQL (the store's `access` module).

pub(crate) mod sql;
use serde::{Deserialize, Serialize};

use crate::model::{Company, ComuneCode, EntityId, JobSeeker, Vacancy, VacancyStatus};
use crate::{Engine, Error, ErrorCode, Result};

mod accounts;
mod audit;
mod keys;
mod offices;
mod ranking_log;
mod vacancy_life;

pub use accounts::{
    ConsoleSession, OpenedSession, PersonAccess, SessionPolicy, StaffAccount, MIN_PASSWORD_CHARS,
};
pub use audit::{AuditEntry, AuditLog, AuditQuery, AuditReceipt, AuditRecord, Outcome};
pub use keys::{KeyCache, KEY_CACHE_TTL};
pub use offices::{read_offices_file, Office, OfficeDirectory};
pub use ranking_log::{
    Channel, RankedItem, RankingKind, RankingLogEntry, RankingLogRecord, RankingLogSpan,
    RankingRequest, Replay, ReplayOutcome,
};

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
                ErrorCode::InvalidRole,
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
    /// Undo a `refused` call outcome (admins: the person asked to be contacted again, or the
    /// refusal was recorded on the wrong entry).
    UndoRefusal,
    /// The audit log.
    ReadAudit,
    /// Create staff accounts, reset their passwords, disable them (admins).
    ManageAccounts,
    /// Move a call-list entry to another operator (admins).
    ReassignCalls,
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
                code: ErrorCode::ForbiddenRole,
                message: format!("role {} may not do this", self.role.as_str()),
            })
        }
    }
}

fn other_office() -> Error {
    Error::Forbidden {
        code: ErrorCode::OtherOffice,
        message: "the object belongs to another office".into(),
    }
}

/// Which results a matching scope is for ([`Engine::matching_scope`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// Vacancies ranked for a person, explained, or unlocked by a course.
    Vacancies,
    /// Job seekers ranked for a vacancy.
    People,
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

fn now_rfc3339() -> String {
    rfc3339(chrono::Utc::now())
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// SHA-256 of a token, hex.
fn check_office_code(office: &str) -> Result<String> {
    let office = office.trim().to_ascii_uppercase();
    let ok = !office.is_empty()
        && office.len() <= 8
        && office.bytes().all(|byte| byte.is_ascii_alphanumeric());
    if ok {
        Ok(office)
    } else {
        Err(Error::invalid(
            ErrorCode::InvalidOffice,
            "office must be 1-8 letters or digits (a province code such as LU)",
        ))
    }
}

/// What the office checks read, kept for one data revision (every write that changes a
/// person's comune or a comune's province moves the revision): comune → province, and the
/// (comune, office) of the people looked up. On a shared database the revision itself is reused
/// for a moment ([`crate::records::REVISION_REUSE`]), so a query makes no database round trip for
/// these.
#[derive(Debug, Default)]
pub(crate) struct OfficeCache {
    inner: std::sync::Mutex<OfficeCacheInner>,
}

#[derive(Debug, Default)]
struct OfficeCacheInner {
    revision: Option<i64>,
    provinces: Option<std::sync::Arc<std::collections::HashMap<String, String>>>,
    people: std::collections::HashMap<String, Option<(String, Option<String>)>>,
}

/// People whose offices are kept per revision, at most (the map is emptied when full).
const OFFICE_CACHE_PEOPLE: usize = 200_000;

impl OfficeCache {
    /// The cache for `revision` (emptied when the revision moved).
    fn at(&self, revision: i64) -> std::sync::MutexGuard<'_, OfficeCacheInner> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.revision != Some(revision) {
            *inner = OfficeCacheInner {
                revision: Some(revision),
                ..Default::default()
            };
        }
        inner
    }
}

impl Engine {
    /// Comune code → province code, for the current data revision.
    pub(crate) fn provinces(
        &self,
    ) -> Result<std::sync::Arc<std::collections::HashMap<String, String>>> {
        let revision = self.data_revision()?;
        if let Some(provinces) = &self.offices.at(revision).provinces {
            return Ok(provinces.clone());
        }
        let provinces = std::sync::Arc::new(self.store().read_only(sql::provinces)?);
        self.offices.at(revision).provinces = Some(provinces.clone());
        Ok(provinces)
    }

    /// A person's comune and office (province), `None` when there is no such person, for the
    /// current data revision.
    fn job_seeker_office(&self, id: &str) -> Result<Option<(String, Option<String>)>> {
        let revision = self.data_revision()?;
        if let Some(known) = self.offices.at(revision).people.get(id) {
            return Ok(known.clone());
        }
        let found = self.store().read_only(|c| sql::job_seeker_office(c, id))?;
        let mut cache = self.offices.at(revision);
        if cache.people.len() >= OFFICE_CACHE_PEOPLE {
            cache.people.clear();
        }
        cache.people.insert(id.to_owned(), found.clone());
        Ok(found)
    }
}

/// **Access**: roles, offices and what a caller may read.
impl Engine {
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
        self.check_job_seeker_access(principal, action, id)?;
        self.get_job_seeker(id)
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
        let (comune, office) = self.job_seeker_office(id.as_str())?.ok_or_else(|| {
            Error::not_found(ErrorCode::JobSeekerNotFound, "job seeker", id.as_str())
        })?;
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

    /// The comuni whose results a caller may see in matching (docs/http.md, "Roles and
    /// offices"): `None` for a caller that sees every office (admin, analyst, a key bound to no
    /// office); otherwise the comuni of the key's office. `Whose::Vacancies` adds the comuni of
    /// the offices that share their vacancies with every office
    /// ([`Engine::set_vacancy_sharing`]; none by default). People are never shared.
    pub fn matching_scope(
        &self,
        principal: &Principal,
        whose: Whose,
    ) -> Result<Option<crate::matching::ComuneScope>> {
        match self.scope_offices(principal, whose) {
            None => Ok(None),
            Some(offices) => self.scope_of_offices(&offices).map(Some),
        }
    }

    /// The offices (province codes) whose objects a caller sees in matching results: its own
    /// office, plus the offices that share their vacancies for [`Whose::Vacancies`]; `None`
    /// when it sees every office. What the ranking log records as a ranking's scope.
    pub fn scope_offices(&self, principal: &Principal, whose: Whose) -> Option<Vec<String>> {
        let office = principal.office.as_deref()?;
        if !principal.role.is_office_scoped() {
            return None;
        }
        let mut offices = vec![office.to_ascii_uppercase()];
        if whose == Whose::Vacancies {
            for shared in self.vacancy_sharing() {
                let shared = shared.to_ascii_uppercase();
                if !offices.contains(&shared) {
                    offices.push(shared);
                }
            }
        }
        Some(offices)
    }

    /// The comuni of these offices (province codes, any case).
    pub fn scope_of_offices(&self, offices: &[String]) -> Result<crate::matching::ComuneScope> {
        let provinces = self.provinces()?;
        let comuni = provinces
            .iter()
            .filter(|(_, province)| {
                offices
                    .iter()
                    .any(|office| province.eq_ignore_ascii_case(office))
            })
            .filter_map(|(code, _)| ComuneCode::parse(code).ok());
        Ok(crate::matching::ComuneScope::new(comuni))
    }

    /// The offices whose vacancies every office sees in matching (see
    /// [`Engine::set_vacancy_sharing`]).
    pub fn vacancy_sharing(&self) -> Vec<String> {
        self.vacancy_sharing
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Makes the open vacancies of `offices` (province codes) visible in the matching results
    /// of every office: the explicit per-office sharing setting (`shared_vacancy_offices` of
    /// the server's configuration). Off by default: each office sees only its own vacancies.
    /// Reads of the vacancy record itself stay office-scoped.
    pub fn set_vacancy_sharing(&self, offices: &[String]) -> Result<()> {
        let mut checked = Vec::with_capacity(offices.len());
        for office in offices {
            checked.push(check_office_code(office)?);
        }
        *self
            .vacancy_sharing
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = checked;
        Ok(())
    }

    /// Checks that a vacancy the caller names in a matching call (an explanation, a course
    /// proposal, a placement) is in their matching scope: 404 `vacancy_not_found` when it does
    /// not exist, 403 `other_office` when it is another office's and not shared.
    pub fn check_vacancy_in_scope(&self, principal: &Principal, id: &EntityId) -> Result<()> {
        let vacancy = self.get_vacancy(id)?;
        match self.matching_scope(principal, Whose::Vacancies)? {
            Some(scope) if !scope.contains(&vacancy.comune) => Err(other_office()),
            _ => Ok(()),
        }
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
        let provinces = self.provinces()?;
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
        let provinces = self.provinces()?;
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
        self.company_for(principal, Action::ReadCompany, &vacancy.company_id)
            .map_err(|error| match error.kind() {
                crate::ErrorKind::Forbidden => other_office(),
                _ => error,
            })?;
        self.check_tirocinio_rule(vacancy)?;
        let draft = Vacancy {
            status: VacancyStatus::Draft,
            ..vacancy.clone()
        };
        self.insert_vacancy(&draft)?;
        Ok(draft)
    }

    /// The tirocinio rule where a comune is: its province's region's row of
    /// `data/tirocinio_rules.csv`, or the national floor (issue 15, point 10).
    pub fn tirocinio_rule_at(
        &self,
        comune: &ComuneCode,
    ) -> Result<crate::training::placement::TirocinioRule> {
        let province = self
            .store()
            .read(|c| sql::province_of(c, comune.as_str()))?;
        let region = province
            .as_deref()
            .and_then(crate::vocabulary::province_region);
        Ok(crate::training::placement::TirocinioRules::builtin()
            .region_or_national(region)?
            .clone())
    }

    /// A tirocinio vacancy must keep to its region's duration (the general maximum: a vacancy
    /// does not know whether the person has a disability) and minimum indemnity.
    fn check_tirocinio_rule(&self, vacancy: &Vacancy) -> Result<()> {
        let crate::model::PlacementType::Tirocinio {
            months,
            monthly_indemnity_eur,
        } = &vacancy.placement
        else {
            return Ok(());
        };
        let rule = self.tirocinio_rule_at(&vacancy.comune)?;
        match rule.violation(*months, *monthly_indemnity_eur, false) {
            Some(why) => Err(Error::invalid(ErrorCode::TirocinioOutsideRules, why)),
            None => Ok(()),
        }
    }

    /// Replaces an open vacancy's content; it goes back to draft (a validator checks it again).
    pub fn update_vacancy(&self, principal: &Principal, vacancy: &Vacancy) -> Result<Vacancy> {
        let existing = self.vacancy_for(principal, Action::WriteVacancy, &vacancy.id)?;
        if matches!(existing.status, VacancyStatus::Closed) {
            return Err(Error::conflict(
                ErrorCode::VacancyClosed,
                "a closed vacancy cannot change",
            ));
        }
        self.check_comune_office(principal, &vacancy.comune)?;
        self.company_for(principal, Action::ReadCompany, &vacancy.company_id)?;
        self.check_tirocinio_rule(vacancy)?;
        let draft = Vacancy {
            status: VacancyStatus::Draft,
            ..vacancy.clone()
        };
        self.put_vacancy(&draft)?;
        Ok(draft)
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
    fn matrix_keeps_analysts_and_operators_away_from_people() {
        for action in [
            Action::ReadPerson,
            Action::ReadPersonalData,
            Action::FindPerson,
            Action::MatchForPerson,
            Action::MatchForVacancy,
            Action::ReadTraining,
            Action::RecordPlacement,
            Action::WritePersonCompetences,
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
        // Suggesting from text reads only the taxonomy: validators and desk staff.
        for role in Role::ALL {
            let expected = matches!(role, Role::Admin | Role::Validator | Role::Desk);
            assert_eq!(
                role.allows(Action::SuggestCompetences),
                expected,
                "{role:?}"
            );
        }
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
}
