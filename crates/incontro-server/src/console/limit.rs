//! The per-address limit on the public booking pages (`/prenota`, `/prenota/annulla`): anyone may
//! post there without a key, so one address may not flood the desk's calendar with bookings or
//! try cancellation references by the thousand. A generic cell-rate limiter (governor) keyed by
//! the client's address: [`BURST`] posts at once, then one every `60 / PER_MINUTE` seconds.
//!
//! The address is the TCP peer's. Behind a reverse proxy every resident shares the proxy's
//! address; such deployments should limit at the proxy instead (README, Decisions).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Posts one address may make at once.
pub const BURST: u32 = 10;
/// Posts per minute after the burst.
pub const PER_MINUTE: u32 = 6;
/// Above this many remembered addresses, those back at full allowance are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// The limiter.
pub struct PublicLimit(DefaultKeyedRateLimiter<IpAddr>);

impl Default for PublicLimit {
    fn default() -> Self {
        let per_minute = NonZeroU32::new(PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(BURST).unwrap_or(NonZeroU32::MIN);
        PublicLimit(RateLimiter::keyed(
            Quota::per_minute(per_minute).allow_burst(burst),
        ))
    }
}

impl std::fmt::Debug for PublicLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicLimit")
            .field("addresses", &self.0.len())
            .finish()
    }
}

impl PublicLimit {
    /// Whether `address` may post now (and counts the post).
    pub fn allow(&self, address: IpAddr) -> bool {
        if self.0.len() > PRUNE_ABOVE {
            self.0.retain_recent();
        }
        self.0.check_key(&address).is_ok()
    }
}

/// Sign-in attempts (issue 15, point 5): keyed by the client's address and the name tried, so
/// that passwords of one account cannot be guessed in bulk from one address, while colleagues
/// behind one office address sign in undisturbed. Same allowance as the public pages.
pub struct SignInLimit(DefaultKeyedRateLimiter<String>);

impl Default for SignInLimit {
    fn default() -> Self {
        let per_minute = NonZeroU32::new(PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(BURST).unwrap_or(NonZeroU32::MIN);
        SignInLimit(RateLimiter::keyed(
            Quota::per_minute(per_minute).allow_burst(burst),
        ))
    }
}

impl std::fmt::Debug for SignInLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInLimit")
            .field("keys", &self.0.len())
            .finish()
    }
}

impl SignInLimit {
    /// Whether `address` may try to sign in as `name` now (and counts the attempt).
    pub fn allow(&self, address: IpAddr, name: &str) -> bool {
        if self.0.len() > PRUNE_ABOVE {
            self.0.retain_recent();
        }
        let name: String = name.trim().to_lowercase().chars().take(64).collect();
        self.0.check_key(&format!("{address}|{name}")).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_burst_then_waits_and_others_are_not_affected() {
        let limit = PublicLimit::default();
        let one: IpAddr = [192, 0, 2, 1].into();
        let other: IpAddr = [192, 0, 2, 2].into();
        for n in 0..BURST {
            assert!(limit.allow(one), "post {n} of the burst");
        }
        assert!(!limit.allow(one), "over the burst");
        assert!(limit.allow(other), "another address has its own allowance");
    }

    #[test]
    fn sign_in_attempts_are_limited_per_address_and_name() {
        let limit = SignInLimit::default();
        let office: IpAddr = [192, 0, 2, 1].into();
        for n in 0..BURST {
            assert!(limit.allow(office, "marta"), "attempt {n}");
        }
        assert!(
            !limit.allow(office, " MARTA "),
            "over the burst, whatever the case"
        );
        assert!(
            limit.allow(office, "bruno"),
            "a colleague behind the same address"
        );
    }
}
