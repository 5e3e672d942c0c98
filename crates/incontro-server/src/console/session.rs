//! Server-side sessions and CSRF tokens of the console.
//!
//! A session is a random 256-bit id in an `HttpOnly; SameSite=Strict` cookie; everything else
//! stays in server memory: the API key the user signed in with (kept so every page
//! re-authenticates it, which makes a revoked key stop working at once) and the session's CSRF
//! token, which every POST form carries in a hidden field. Sessions expire after 30 minutes
//! without a request and 8 hours after sign-in, and are lost on restart (people sign in again).
//! Forms shown before sign-in (the sign-in form, the public booking page) use a double-submit
//! token instead: a random value both in a `SameSite=Strict` cookie and in the form.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "incontro_session";
/// The double-submit cookie of forms shown before sign-in.
pub const FORM_COOKIE: &str = "incontro_form";
/// The language cookie.
pub const LANG_COOKIE: &str = "incontro_lang";

const IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const ABSOLUTE_TIMEOUT: Duration = Duration::from_secs(8 * 60 * 60);
const MAX_SESSIONS: usize = 10_000;

/// A random token: 32 bytes as 64 hex digits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(left: &str, right: &str) -> bool {
    if left.len() != right.len() || left.is_empty() {
        return false;
    }
    left.bytes()
        .zip(right.bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// What a live session holds.
#[derive(Clone)]
pub struct Session {
    /// The API key signed in with (never sent back to the browser).
    pub api_key: String,
    /// The CSRF token of every POST form of this session.
    pub csrf: String,
    created: Instant,
    last_seen: Instant,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

/// The in-memory session table, shared by every worker.
#[derive(Default)]
pub struct Sessions {
    table: Mutex<HashMap<String, Session>>,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions").finish_non_exhaustive()
    }
}

impl Sessions {
    /// Opens a session for `api_key`; returns its id.
    pub fn open(&self, api_key: String) -> String {
        let id = random_token();
        let now = Instant::now();
        let mut table = self
            .table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        table.retain(|_, session| is_live(session, now));
        if table.len() >= MAX_SESSIONS {
            // Drop the least recently used session rather than refuse a sign-in.
            if let Some(oldest) = table
                .iter()
                .min_by_key(|(_, session)| session.last_seen)
                .map(|(id, _)| id.clone())
            {
                table.remove(&oldest);
            }
        }
        table.insert(
            id.clone(),
            Session {
                api_key,
                csrf: random_token(),
                created: now,
                last_seen: now,
            },
        );
        id
    }

    /// The live session `id`, touched; `None` when unknown or expired.
    pub fn get(&self, id: &str) -> Option<Session> {
        let now = Instant::now();
        let mut table = self
            .table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let live = table.get(id).is_some_and(|session| is_live(session, now));
        if !live {
            table.remove(id);
            return None;
        }
        let session = table.get_mut(id)?;
        session.last_seen = now;
        Some(session.clone())
    }

    /// Ends session `id`.
    pub fn close(&self, id: &str) {
        let mut table = self
            .table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        table.remove(id);
    }
}

fn is_live(session: &Session, now: Instant) -> bool {
    now.duration_since(session.last_seen) < IDLE_TIMEOUT
        && now.duration_since(session.created) < ABSOLUTE_TIMEOUT
}

/// The value of cookie `name` in a `Cookie` request header.
pub fn cookie_value<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value.trim())
    })
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, `Secure` over https.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<u64>, secure: bool) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age_secs {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_open_get_close() {
        let sessions = Sessions::default();
        let id = sessions.open("inc_key".into());
        assert_eq!(id.len(), 64);
        let session = sessions.get(&id).expect("live");
        assert_eq!(session.api_key, "inc_key");
        assert_eq!(session.csrf.len(), 64);
        assert!(sessions.get("nope").is_none());
        sessions.close(&id);
        assert!(sessions.get(&id).is_none());
    }

    #[test]
    fn two_sessions_never_share_ids_or_tokens() {
        let sessions = Sessions::default();
        let first = sessions.open("a".into());
        let second = sessions.open("a".into());
        assert_ne!(first, second);
        let first_csrf = sessions.get(&first).expect("first").csrf;
        let second_csrf = sessions.get(&second).expect("second").csrf;
        assert_ne!(first_csrf, second_csrf);
    }

    #[test]
    fn cookies_parse_and_secrets_compare() {
        let header = "a=1; incontro_session=abc ; incontro_lang=en";
        assert_eq!(cookie_value(header, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value(header, LANG_COOKIE), Some("en"));
        assert_eq!(cookie_value(header, "missing"), None);
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("", ""));
        assert!(!same_secret("abc", "abcd"));
        let cookie = set_cookie(SESSION_COOKIE, "x", None, false);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert!(set_cookie(SESSION_COOKIE, "x", Some(0), true).ends_with("Max-Age=0; Secure"));
    }
}
