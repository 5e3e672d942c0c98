//! API keys: created with a random token shown once, stored as its SHA-256, revocable; and the
//! short-lived cache of authenticated keys.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::TryRng;
use sha2::{Digest, Sha256};

use super::{check_office_code, ApiKey, NewApiKey, Principal, Role};
use crate::access::sql;
use crate::{Engine, Error, ErrorCode, Result};

pub(super) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The hash of `token` if it has the shape of a key (`inc_` and 64 hex digits), else `None`.
fn well_formed_hash(token: &str) -> Option<String> {
    let token = token.trim();
    (token.starts_with("inc_") && token.len() == 68).then(|| token_hash(token))
}

/// How long an authenticated key is remembered: a key revoked by another process (`incontro keys
/// revoke` while the server runs) stops working within this time; one revoked through the same
/// engine stops at once.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// The key cache's time to live when replicas share a PostgreSQL store: a key revoked on one
/// replica is refused by every other within this time.
pub const SHARED_KEY_CACHE_TTL: Duration = Duration::from_millis(500);

/// At most this many keys are remembered (the cache starts over beyond it).
const KEY_CACHE_CAPACITY: usize = 4096;

/// Keys recently authenticated, by token hash, so that a request does not query the database
/// for its key.
#[derive(Default)]
pub struct KeyCache {
    entries: Mutex<HashMap<String, (Principal, Instant)>>,
    shared: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyCache").finish_non_exhaustive()
    }
}

impl KeyCache {
    /// [`KEY_CACHE_TTL`], or [`SHARED_KEY_CACHE_TTL`] when replicas share the database.
    fn ttl(&self) -> Duration {
        if self.shared.load(std::sync::atomic::Ordering::Relaxed) {
            SHARED_KEY_CACHE_TTL
        } else {
            KEY_CACHE_TTL
        }
    }

    /// Replicas share the store: a key revoked on another one must stop within a second.
    pub(crate) fn set_shared(&self) {
        self.shared
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    fn get(&self, hash: &str) -> Option<Principal> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries
            .get(hash)
            .filter(|(_, at)| at.elapsed() < self.ttl())
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

/// **Access**: API keys.
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
                ErrorCode::InvalidLabel,
                "label must be 1-200 printable characters",
            ));
        }
        let office = office.map(check_office_code).transpose()?;
        let mut secret = [0u8; 32];
        let mut id_bytes = [0u8; 6];
        let mut system = rand::rngs::SysRng;
        system
            .try_fill_bytes(&mut secret)
            .and_then(|()| system.try_fill_bytes(&mut id_bytes))
            .map_err(|error| Error::Internal(format!("system random source: {error}")))?;
        let token = format!("inc_{}", hex::encode(secret));
        let key = ApiKey {
            id: format!("key_{}", hex::encode(id_bytes)),
            role,
            office,
            label: label.to_string(),
            created_at: super::rfc3339(self.now()),
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
        let at = super::rfc3339(self.now());
        let revoked = self.store().write(|tx| sql::revoke_key(tx, id, &at))?;
        self.keys.clear();
        if revoked {
            Ok(())
        } else {
            Err(Error::not_found(
                ErrorCode::ApiKeyNotFound,
                "active api key",
                id,
            ))
        }
    }

    /// The caller holding `token`, or `None` for an unknown or revoked token.
    pub fn authenticate(&self, token: &str) -> Result<Option<Principal>> {
        let Some(hash) = well_formed_hash(token) else {
            return Ok(None);
        };
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
        self.keys.get(&well_formed_hash(token)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stored_hashed_and_revocable() {
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        let created = engine
            .create_api_key(Role::Desk, Some("lu"), "Marta, sportello")
            .expect("key");
        assert_eq!(created.key.office.as_deref(), Some("LU"));
        assert_eq!(created.token.len(), 68);
        let stored_hash: String = engine
            .store()
            .read(|c| {
                c.query_row(
                    "SELECT token_hash FROM api_key",
                    crate::store::db::params![],
                    |row| row.get(0),
                )
            })
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
        let engine = Engine::open_in_memory_on(crate::records::DEMO_ANCHOR).expect("engine");
        let error = engine.create_api_key(Role::Admin, None, "  ").unwrap_err();
        assert_eq!(error.code(), "invalid_label");
        let error = engine
            .create_api_key(Role::Desk, Some("L U"), "x")
            .unwrap_err();
        assert_eq!(error.code(), "invalid_office");
    }
}
