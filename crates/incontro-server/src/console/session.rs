//! Console session cookies and CSRF tokens.
//!
//! A session is a random 256-bit token in an `HttpOnly; SameSite=Strict` cookie; the store keeps
//! only its SHA-256 with who it belongs to (a staff account or an API key), its CSRF token and
//! when it was opened and last seen ([`incontro_core::access::SessionPolicy`]: 30 minutes idle,
//! 8 hours at most, on the engine's clock), so sessions survive a restart. Every page re-reads
//! the account or key, so a disabled account or a revoked key stops at once. Every POST form
//! carries the session's CSRF token in a hidden field. Forms shown before sign-in (the sign-in
//! form, the public booking page) use a double-submit token instead: a random value both in a
//! `SameSite=Strict` cookie and in the form.

use rand::Rng;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "incontro_session";
/// The double-submit cookie of forms shown before sign-in.
pub const FORM_COOKIE: &str = "incontro_form";
/// The language cookie.
pub const LANG_COOKIE: &str = "incontro_lang";

/// A random token: 32 bytes as 64 hex digits.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
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
