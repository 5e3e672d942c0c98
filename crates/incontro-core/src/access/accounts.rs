//! Staff accounts and console sessions (issue 15, point 5).
//!
//! Staff sign in to the console with their own account: a name and a password, whose argon2id
//! hash (PHC string, random salt) is the only thing stored. The role and office come with the
//! account. An admin creates accounts, resets passwords and disables accounts (console or
//! `incontro accounts`); each of these is audited, and a reset or a disable ends the account's
//! sessions. API keys stay for programs (and may still open a console session).
//!
//! A console session is a random 256-bit token in a cookie; the store keeps only its SHA-256
//! (table `console_session`), with its owner, its CSRF token and when it was opened and last
//! seen, so sessions survive a restart of the server. A session ends after
//! [`SessionPolicy::idle`] without a request or [`SessionPolicy::max_age`] after sign-in, both
//! read on the engine's clock; every request re-reads the account or key, so a disabled account
//! or a revoked key stops at once.

use std::time::Duration;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use rand::{Rng, TryRng};
use serde::Serialize;

use super::{check_office_code, keys::token_hash, rfc3339, Action, Principal, Role};
use super::{AuditEntry, Outcome};
use crate::access::sql as key_sql;
use crate::access::sql::accounts::{self as sql, SessionOwner, SessionRow};
use crate::{Engine, Error, ErrorCode, Result};

/// A staff account of the console (never its password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffAccount {
    /// Public id, e.g. `acc_1a2b3c4d5e6f` (the audit log names it).
    pub id: String,
    /// The sign-in name (lower case letters, digits, `.`, `-`, `_`).
    pub name: String,
    /// Who holds it ("Marta Lazzari, sportello Lucca").
    pub label: String,
    /// Role.
    pub role: Role,
    /// Office (province code) of an office-scoped role.
    pub office: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// When the password was last set (RFC 3339 UTC).
    pub password_set_at: String,
    /// When disabled (RFC 3339 UTC); a disabled account cannot sign in.
    pub disabled_at: Option<String>,
}

impl StaffAccount {
    fn principal(&self) -> Principal {
        Principal {
            key_id: self.id.clone(),
            role: self.role,
            office: self.office.clone(),
            label: self.label.clone(),
        }
    }
}

/// How long console sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session ends after this long without a request.
    pub idle: Duration,
    /// A session ends this long after sign-in, used or not.
    pub max_age: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::from_secs(30 * 60),
            max_age: Duration::from_secs(8 * 60 * 60),
        }
    }
}

/// A live console session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleSession {
    /// Who, with role and office (of the account or key).
    pub principal: Principal,
    /// The CSRF token of its forms.
    pub csrf: String,
}

/// A session just opened: the token goes into the cookie and is never stored.
#[derive(Debug, Clone)]
pub struct OpenedSession {
    /// The cookie value (64 hex digits).
    pub token: String,
    /// The session.
    pub session: ConsoleSession,
}

/// A session is touched in the store at most this often (a page view is then a read only).
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// Passwords are 10 to 200 characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_CHARS: usize = 200;

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    // The thread's generator: a CSPRNG seeded from the operating system.
    rand::rng().fill_bytes(&mut buffer);
    hex::encode(buffer)
}

/// A password nobody knows: verified against when the name is unknown, so that the answer takes
/// as long for an unknown name as for a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_hex(16)).unwrap_or_default())
}

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::rngs::SysRng
        .try_fill_bytes(&mut salt)
        .map_err(|error| Error::Internal(format!("system random source: {error}")))?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| Error::Internal(format!("password hash: {error}")))
}

fn password_matches(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Checks a sign-in name: 2–64 of `a-z 0-9 . - _`, lower-cased.
fn check_name(name: &str) -> Result<String> {
    let name = name.trim().to_lowercase();
    let ok = (2..=64).contains(&name.len())
        && name.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || b".-_".contains(&byte)
        });
    if ok {
        Ok(name)
    } else {
        Err(Error::invalid(
            ErrorCode::InvalidAccountName,
            "the name must be 2-64 letters, digits, dots, hyphens or underscores",
        ))
    }
}

fn check_password(name: &str, password: &str) -> Result<()> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(Error::invalid(
            ErrorCode::WeakPassword,
            format!("the password must be {MIN_PASSWORD_CHARS}-{MAX_PASSWORD_CHARS} characters"),
        ));
    }
    if password.trim().to_lowercase().contains(name) {
        return Err(Error::invalid(
            ErrorCode::WeakPassword,
            "the password must not contain the account name",
        ));
    }
    Ok(())
}

fn parse_time(raw: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| Error::Internal(format!("stored session time {raw:?} is not RFC 3339")))
}

fn no_account(name: &str) -> Error {
    Error::not_found(ErrorCode::AccountNotFound, "staff account", name)
}

/// **Access**: staff accounts and console sessions.
impl Engine {
    /// Creates a staff account (admins: [`Action::ManageAccounts`]); audited.
    pub fn create_account(
        &self,
        by: &Principal,
        name: &str,
        label: &str,
        role: Role,
        office: Option<&str>,
        password: &str,
    ) -> Result<StaffAccount> {
        by.authorize(Action::ManageAccounts)?;
        let name = check_name(name)?;
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 200 || label.chars().any(char::is_control) {
            return Err(Error::invalid(
                ErrorCode::InvalidLabel,
                "label must be 1-200 printable characters",
            ));
        }
        let office = match office.map(str::trim).filter(|office| !office.is_empty()) {
            Some(office) => Some(check_office_code(office)?),
            None if role.is_office_scoped() => {
                return Err(Error::invalid(
                    ErrorCode::OfficeRequired,
                    format!("a {} account needs an office", role.as_str()),
                ))
            }
            None => None,
        };
        check_password(&name, password)?;
        let hash = hash_password(password)?;
        let at = rfc3339(self.now());
        let account = StaffAccount {
            id: format!("acc_{}", random_hex(6)),
            name: name.clone(),
            label: label.to_string(),
            role,
            office,
            created_at: at.clone(),
            password_set_at: at,
            disabled_at: None,
        };
        let inserted = self
            .store()
            .write(|tx| sql::insert_account(tx, &account, &hash))?;
        if !inserted {
            return Err(Error::conflict(
                ErrorCode::AccountExists,
                format!("an account named {name:?} already exists"),
            ));
        }
        self.audit(vec![AuditEntry::now(
            by,
            "account_created",
            None,
            Some(&account.id),
            Outcome::Ok,
        )])?;
        Ok(account)
    }

    /// Every staff account, by name (admins).
    pub fn list_accounts(&self, by: &Principal) -> Result<Vec<StaffAccount>> {
        by.authorize(Action::ManageAccounts)?;
        self.store().read(sql::list_accounts)
    }

    /// Sets a new password for account `name` (admins); its sessions end. Audited.
    pub fn reset_account_password(&self, by: &Principal, name: &str, password: &str) -> Result<()> {
        by.authorize(Action::ManageAccounts)?;
        let name = check_name(name)?;
        check_password(&name, password)?;
        let hash = hash_password(password)?;
        let at = rfc3339(self.now());
        let id = self.store().write(|tx| {
            let Some((account, _)) = sql::account_by_name(tx, &name)? else {
                return Err(no_account(&name));
            };
            sql::set_password(tx, &name, &hash, &at)?;
            sql::end_account_sessions(tx, &name)?;
            Ok(account.id)
        })?;
        self.audit(vec![AuditEntry::now(
            by,
            "account_password_reset",
            None,
            Some(&id),
            Outcome::Ok,
        )])
    }

    /// Disables (or enables again) account `name` (admins); disabling ends its sessions.
    /// Audited.
    pub fn set_account_disabled(&self, by: &Principal, name: &str, disabled: bool) -> Result<()> {
        by.authorize(Action::ManageAccounts)?;
        let name = check_name(name)?;
        let at = rfc3339(self.now());
        let id = self.store().write(|tx| {
            let Some((account, _)) = sql::account_by_name(tx, &name)? else {
                return Err(no_account(&name));
            };
            sql::set_disabled(tx, &name, disabled.then_some(at.as_str()))?;
            sql::end_account_sessions(tx, &name)?;
            Ok(account.id)
        })?;
        let action = if disabled {
            "account_disabled"
        } else {
            "account_enabled"
        };
        self.audit(vec![AuditEntry::now(
            by,
            action,
            None,
            Some(&id),
            Outcome::Ok,
        )])
    }

    /// Signs in with an account's name and password: a new session, or `None` for an unknown
    /// name, a wrong password or a disabled account (the caller cannot tell which).
    pub fn sign_in_with_password(
        &self,
        name: &str,
        password: &str,
    ) -> Result<Option<OpenedSession>> {
        let found = match check_name(name) {
            Ok(name) => self.store().read(|c| sql::account_by_name(c, &name))?,
            Err(_) => None,
        };
        let Some((account, hash)) = found else {
            password_matches(password, decoy_hash());
            return Ok(None);
        };
        let principal = account.principal();
        if !password_matches(password, &hash) || account.disabled_at.is_some() {
            self.audit(vec![AuditEntry::now(
                &principal,
                "console_sign_in",
                None,
                None,
                Outcome::Denied,
            )])?;
            return Ok(None);
        }
        let opened = self.open_session(principal, SessionOwner::Account(account.id))?;
        Ok(Some(opened))
    }

    /// Signs in to the console with an API key: a new session, or `None` for an unknown or
    /// revoked key.
    pub fn sign_in_with_key(&self, token: &str) -> Result<Option<OpenedSession>> {
        let Some(principal) = self.authenticate(token)? else {
            return Ok(None);
        };
        let owner = SessionOwner::Key(principal.key_id.clone());
        Ok(Some(self.open_session(principal, owner)?))
    }

    fn open_session(&self, principal: Principal, owner: SessionOwner) -> Result<OpenedSession> {
        let token = random_hex(32);
        let now = rfc3339(self.now());
        let row = SessionRow {
            owner,
            csrf: random_hex(32),
            created_at: now.clone(),
            last_seen_at: now,
        };
        self.store()
            .write(|tx| sql::insert_session(tx, &token_hash(&token), &row))?;
        self.audit(vec![AuditEntry::now(
            &principal,
            "console_sign_in",
            None,
            None,
            Outcome::Ok,
        )])?;
        Ok(OpenedSession {
            token,
            session: ConsoleSession {
                principal,
                csrf: row.csrf,
            },
        })
    }

    /// The live session of cookie value `token`, or `None` when unknown, idle or too old by
    /// the engine's clock (it is then deleted), or when its account was disabled or its key
    /// revoked. A live session is marked seen.
    pub fn console_session(
        &self,
        token: &str,
        policy: &SessionPolicy,
    ) -> Result<Option<ConsoleSession>> {
        if token.len() != 64 || !token.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = token_hash(token);
        let Some(row) = self.store().read(|c| sql::session(c, &hash))? else {
            return Ok(None);
        };
        let now = self.now();
        let idle = now - parse_time(&row.last_seen_at)?;
        let age = now - parse_time(&row.created_at)?;
        let expired = idle.to_std().is_ok_and(|idle| idle >= policy.idle)
            || age.to_std().is_ok_and(|age| age >= policy.max_age);
        let principal = if expired {
            None
        } else {
            match &row.owner {
                SessionOwner::Account(id) => self
                    .store()
                    .read(|c| sql::account_by_id(c, id))?
                    .filter(|account| account.disabled_at.is_none())
                    .map(|account| account.principal()),
                SessionOwner::Key(id) => self
                    .store()
                    .read(|c| key_sql::key_by_id(c, id))?
                    .filter(|key| key.revoked_at.is_none())
                    .map(|key| Principal {
                        key_id: key.id,
                        role: key.role,
                        office: key.office,
                        label: key.label,
                    }),
            }
        };
        let Some(principal) = principal else {
            self.store().write(|tx| sql::delete_session(tx, &hash))?;
            return Ok(None);
        };
        if idle >= TOUCH_EVERY {
            let at = rfc3339(now);
            self.store()
                .write(|tx| sql::touch_session(tx, &hash, &at))?;
        }
        Ok(Some(ConsoleSession {
            principal,
            csrf: row.csrf,
        }))
    }

    /// Ends the session of cookie value `token` (sign-out).
    pub fn end_console_session(&self, token: &str) -> Result<()> {
        let hash = token_hash(token);
        self.store().write(|tx| sql::delete_session(tx, &hash))
    }

    /// Deletes every expired session (at server start; expired sessions are refused anyway).
    pub fn purge_console_sessions(&self, policy: &SessionPolicy) -> Result<usize> {
        let now = self.now();
        let idle = chrono::TimeDelta::from_std(policy.idle).unwrap_or(chrono::TimeDelta::MAX);
        let age = chrono::TimeDelta::from_std(policy.max_age).unwrap_or(chrono::TimeDelta::MAX);
        let idle_before = rfc3339(now.checked_sub_signed(idle).unwrap_or(now));
        let created_before = rfc3339(now.checked_sub_signed(age).unwrap_or(now));
        self.store()
            .write(|tx| sql::delete_expired_sessions(tx, &idle_before, &created_before))
    }
}

/// One access to a person's data, with who did it in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonAccess {
    /// RFC 3339 UTC.
    pub at: String,
    /// The account or key id.
    pub who_id: String,
    /// The account's or key's label; `None` when neither is known (a deleted test key).
    pub who: Option<String>,
    /// Role at the time.
    pub role: String,
    /// What was done (`read_job_seeker`, `vacancies_for_person`, …).
    pub action: String,
    /// `ok` or `denied`.
    pub outcome: String,
}

/// **Access**: staff accounts and console sessions.
impl Engine {
    /// Who looked at person `person_id` ("chi ha consultato"), newest first, at most `limit`
    /// rows (admins: [`Action::ReadAudit`]). This reading is itself audited.
    pub fn person_access_log(
        &self,
        by: &Principal,
        person_id: &str,
        limit: usize,
    ) -> Result<Vec<PersonAccess>> {
        by.authorize(Action::ReadAudit)?;
        let rows = self.audit_log(&super::AuditQuery {
            person_id: Some(person_id.to_string()),
            limit,
            ..Default::default()
        })?;
        let (accounts, keys) = self.store().read(|c| {
            let accounts = sql::list_accounts(c)?;
            let keys = key_sql::list_keys(c)?;
            Ok((accounts, keys))
        })?;
        let label_of = |id: &str| {
            accounts
                .iter()
                .find(|account| account.id == id)
                .map(|account| account.label.clone())
                .or_else(|| {
                    keys.iter()
                        .find(|key| key.id == id)
                        .map(|key| key.label.clone())
                })
        };
        let accesses = rows
            .into_iter()
            .map(|row| PersonAccess {
                who: label_of(&row.key_id),
                at: row.at,
                who_id: row.key_id,
                role: row.role,
                action: row.action,
                outcome: row.outcome,
            })
            .collect();
        self.audit(vec![AuditEntry::now(
            by,
            "read_person_audit",
            Some(person_id),
            None,
            Outcome::Ok,
        )])?;
        Ok(accesses)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::clock::Clock;

    /// A clock the test moves by hand.
    #[derive(Debug)]
    struct HandClock(Mutex<DateTime<Utc>>);

    impl Clock for HandClock {
        fn now(&self) -> DateTime<Utc> {
            *self.0.lock().expect("clock")
        }
    }

    impl HandClock {
        fn advance(&self, minutes: i64) {
            *self.0.lock().expect("clock") += chrono::TimeDelta::minutes(minutes);
        }
    }

    fn admin() -> Principal {
        Principal {
            key_id: "key_admin".into(),
            role: Role::Admin,
            office: None,
            label: "admin".into(),
        }
    }

    fn engine_with_hand_clock() -> (Engine, Arc<HandClock>) {
        let start = "2026-12-01T09:00:00Z".parse().expect("instant");
        let clock = Arc::new(HandClock(Mutex::new(start)));
        let engine = Engine::open_in_memory()
            .expect("engine")
            .with_clock(clock.clone());
        (engine, clock)
    }

    /// Passwords stored before argon2 0.6 still sign in: this PHC string was written by argon2
    /// 0.5.3 (`SaltString::encode_b64(&[7; 16])`, default parameters) for "prima-luce-42".
    #[test]
    fn hashes_written_by_argon2_0_5_still_verify() {
        let stored = "$argon2id$v=19$m=19456,t=2,p=1$BwcHBwcHBwcHBwcHBwcHBw$\
                      SPziOjeo0bZWKpFOzD2+J6fsB5VgvEUj/kVm6um/h2g";
        assert!(password_matches("prima-luce-42", stored));
        assert!(!password_matches("prima-luce-43", stored));
        // A new hash of the same password has the same PHC shape and parameters, a fresh salt.
        let fresh = hash_password("prima-luce-42").expect("hash");
        assert!(
            fresh.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{fresh}"
        );
        assert_ne!(fresh, stored);
        assert!(password_matches("prima-luce-42", &fresh));
    }

    #[test]
    fn accounts_sign_in_with_a_hashed_password_and_carry_role_and_office() {
        let (engine, _) = engine_with_hand_clock();
        let account = engine
            .create_account(
                &admin(),
                "Marta.Lazzari",
                "Marta Lazzari, sportello Lucca",
                Role::Desk,
                Some("lu"),
                "prima-luce-42",
            )
            .expect("account");
        assert_eq!(account.name, "marta.lazzari");
        assert_eq!(account.office.as_deref(), Some("LU"));
        let stored: String = engine
            .store()
            .read(|c| {
                c.query_row(
                    "SELECT password_hash FROM staff_account",
                    crate::store::db::params![],
                    |row| row.get(0),
                )
            })
            .expect("hash");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("prima-luce-42"));
        assert!(engine
            .sign_in_with_password("marta.lazzari", "prima-luce-43")
            .expect("sign in")
            .is_none());
        assert!(engine
            .sign_in_with_password("nobody", "prima-luce-42")
            .expect("sign in")
            .is_none());
        let opened = engine
            .sign_in_with_password("MARTA.LAZZARI", "prima-luce-42")
            .expect("sign in")
            .expect("signed in");
        assert_eq!(opened.session.principal.role, Role::Desk);
        assert_eq!(opened.session.principal.office.as_deref(), Some("LU"));
        assert_eq!(opened.session.principal.key_id, account.id);
        let session_hash: String = engine
            .store()
            .read(|c| {
                c.query_row(
                    "SELECT token_hash FROM console_session",
                    crate::store::db::params![],
                    |row| row.get(0),
                )
            })
            .expect("session row");
        assert_eq!(session_hash, token_hash(&opened.token), "only the hash");
        let again = engine
            .create_account(
                &admin(),
                "marta.lazzari",
                "x",
                Role::Admin,
                None,
                "abcdefghijk",
            )
            .unwrap_err();
        assert_eq!(again.code(), "account_exists");
    }

    #[test]
    fn bad_account_input_is_refused_and_only_admins_manage_accounts() {
        let (engine, _) = engine_with_hand_clock();
        let cases = [
            (
                "m",
                "Marta",
                Role::Admin,
                None,
                "lunga-abbastanza",
                "invalid_account_name",
            ),
            (
                "marta",
                "Marta",
                Role::Admin,
                None,
                "corta",
                "weak_password",
            ),
            (
                "marta",
                "Marta",
                Role::Admin,
                None,
                "marta-2026-ok",
                "weak_password",
            ),
            (
                "marta",
                "",
                Role::Admin,
                None,
                "lunga-abbastanza",
                "invalid_label",
            ),
            (
                "marta",
                "Marta",
                Role::Desk,
                None,
                "lunga-abbastanza",
                "office_required",
            ),
        ];
        for (name, label, role, office, password, code) in cases {
            let error = engine
                .create_account(&admin(), name, label, role, office, password)
                .unwrap_err();
            assert_eq!(error.code(), code, "{name} {label} {password}");
        }
        let desk = Principal {
            role: Role::Desk,
            office: Some("LU".into()),
            ..admin()
        };
        let error = engine
            .create_account(
                &desk,
                "marta",
                "Marta",
                Role::Admin,
                None,
                "lunga-abbastanza",
            )
            .unwrap_err();
        assert_eq!(error.code(), "forbidden_role");
        assert!(engine.list_accounts(&desk).is_err());
    }

    #[test]
    fn sessions_expire_when_idle_and_end_on_reset_or_disable() {
        let (engine, clock) = engine_with_hand_clock();
        let policy = SessionPolicy::default();
        engine
            .create_account(
                &admin(),
                "bruno",
                "Bruno",
                Role::Operator,
                Some("MI"),
                "sole-di-marzo",
            )
            .expect("account");
        let opened = engine
            .sign_in_with_password("bruno", "sole-di-marzo")
            .expect("sign in")
            .expect("signed in");
        // Used every 20 minutes: alive for hours, until the maximum age.
        for _ in 0..6 {
            clock.advance(20);
            let session = engine
                .console_session(&opened.token, &policy)
                .expect("session");
            assert_eq!(session.map(|s| s.csrf), Some(opened.session.csrf.clone()));
        }
        // 30 minutes without a request: gone, and stays gone.
        clock.advance(30);
        assert_eq!(
            engine
                .console_session(&opened.token, &policy)
                .expect("read"),
            None
        );
        clock.advance(-30);
        assert_eq!(
            engine
                .console_session(&opened.token, &policy)
                .expect("read"),
            None
        );

        let second = engine
            .sign_in_with_password("bruno", "sole-di-marzo")
            .expect("sign in")
            .expect("signed in");
        engine
            .reset_account_password(&admin(), "bruno", "luna-di-aprile")
            .expect("reset");
        assert_eq!(
            engine
                .console_session(&second.token, &policy)
                .expect("read"),
            None
        );
        assert!(engine
            .sign_in_with_password("bruno", "sole-di-marzo")
            .expect("old password")
            .is_none());
        let third = engine
            .sign_in_with_password("bruno", "luna-di-aprile")
            .expect("sign in")
            .expect("new password works");
        engine
            .set_account_disabled(&admin(), "bruno", true)
            .expect("disable");
        assert_eq!(
            engine.console_session(&third.token, &policy).expect("read"),
            None
        );
        assert!(engine
            .sign_in_with_password("bruno", "luna-di-aprile")
            .expect("sign in")
            .is_none());
        engine
            .set_account_disabled(&admin(), "bruno", false)
            .expect("enable");
        assert!(engine
            .sign_in_with_password("bruno", "luna-di-aprile")
            .expect("sign in")
            .is_some());
        let error = engine
            .reset_account_password(&admin(), "nessuno", "luna-di-aprile")
            .unwrap_err();
        assert_eq!(error.code(), "account_not_found");
    }

    #[test]
    fn key_sessions_end_when_the_key_is_revoked_and_expire_after_the_maximum_age() {
        let (engine, clock) = engine_with_hand_clock();
        let policy = SessionPolicy::default();
        let key = engine
            .create_api_key(Role::Analyst, None, "analista")
            .expect("key");
        let opened = engine
            .sign_in_with_key(&key.token)
            .expect("sign in")
            .expect("signed in");
        for _ in 0..(8 * 3 - 1) {
            clock.advance(20);
            assert!(engine
                .console_session(&opened.token, &policy)
                .expect("read")
                .is_some());
        }
        clock.advance(20);
        assert_eq!(
            engine
                .console_session(&opened.token, &policy)
                .expect("read"),
            None,
            "eight hours after sign-in"
        );
        let second = engine
            .sign_in_with_key(&key.token)
            .expect("sign in")
            .expect("signed in");
        engine.revoke_api_key(&key.key.id).expect("revoke");
        assert_eq!(
            engine
                .console_session(&second.token, &policy)
                .expect("read"),
            None
        );
        assert!(engine
            .sign_in_with_key(&key.token)
            .expect("sign in")
            .is_none());
        assert_eq!(engine.console_session("zz", &policy).expect("read"), None);
    }
}
