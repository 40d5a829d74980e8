//! Rate limits (GCRA via governor): per IP and per email for sign-in and sign-up (the
//! per-email one is what stops password guessing against one account), and per fan and per
//! IP for the waiting room's join, status and leave. Limits are per api process.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use uuid::Uuid;

use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

pub struct AuthLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_email: DefaultKeyedRateLimiter<String>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"))
}

impl AuthLimits {
    pub fn new(per_ip_per_minute: u32, per_email_per_minute: u32) -> Self {
        Self {
            per_ip: RateLimiter::keyed(per_minute(per_ip_per_minute)),
            per_email: RateLimiter::keyed(per_minute(per_email_per_minute)),
        }
    }

    /// Counts one attempt from `ip` for `email` (normalized, or the raw input when it did
    /// not parse); either limit exceeded → 429 with the wait until the next allowed try.
    pub fn check(&self, ip: IpAddr, email: &str) -> Result<(), ApiError> {
        let clock = governor::clock::DefaultClock::default();
        if let Err(not_until) = self.per_ip.check_key(&ip) {
            return Err(ApiError::RateLimited {
                retry_after: not_until.wait_time_from(clock.now()),
            });
        }
        let email = email.trim().to_lowercase();
        if let Err(not_until) = self.per_email.check_key(&email) {
            return Err(ApiError::RateLimited {
                retry_after: not_until.wait_time_from(clock.now()),
            });
        }
        Ok(())
    }

    /// Forgets keys whose limits have fully replenished, so memory stays bounded.
    pub fn shrink(&self) {
        self.per_ip.retain_recent();
        self.per_email.retain_recent();
        self.per_ip.shrink_to_fit();
        self.per_email.shrink_to_fit();
    }
}

/// Waiting-room calls: a fan polling faster than needed, or one address driving many fans,
/// is slowed down with 429 and `Retry-After`.
pub struct QueueLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_user: DefaultKeyedRateLimiter<Uuid>,
}

impl QueueLimits {
    pub fn new(per_user_per_minute: u32, per_ip_per_minute: u32) -> Self {
        Self {
            per_ip: RateLimiter::keyed(per_minute(per_ip_per_minute)),
            per_user: RateLimiter::keyed(per_minute(per_user_per_minute)),
        }
    }

    pub fn check(&self, ip: IpAddr, user: Uuid) -> Result<(), ApiError> {
        let clock = governor::clock::DefaultClock::default();
        if let Err(not_until) = self.per_user.check_key(&user) {
            return Err(ApiError::RateLimited {
                retry_after: not_until.wait_time_from(clock.now()),
            });
        }
        if let Err(not_until) = self.per_ip.check_key(&ip) {
            return Err(ApiError::RateLimited {
                retry_after: not_until.wait_time_from(clock.now()),
            });
        }
        Ok(())
    }

    pub fn shrink(&self) {
        self.per_ip.retain_recent();
        self.per_user.retain_recent();
        self.per_ip.shrink_to_fit();
        self.per_user.shrink_to_fit();
    }
}

pub const SHRINK_EVERY: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_email_limit_holds_across_addresses_and_reports_a_wait() {
        let limits = AuthLimits::new(1_000, 2);
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        assert!(limits.check(a, "Fan@x.io").is_ok());
        assert!(limits.check(b, "fan@x.io").is_ok());
        match limits.check(a, "fan@x.io") {
            Err(ApiError::RateLimited { retry_after }) => assert!(retry_after > Duration::ZERO),
            other => panic!("expected a rate limit, got {other:?}"),
        }
        assert!(limits.check(a, "other@x.io").is_ok());
    }
}
