//! Rate limits that protect accounts, the waiting room and the reservation path. They are
//! global: each check is one GCRA script in Redis (`tiketi_core::guard::limits`), so two api
//! replicas share one budget instead of doubling it. Sign-in and sign-up are limited per
//! client address and per email (the per-email one stops password guessing against one
//! account from many addresses); the waiting room's join, status and leave per fan and per
//! address; reserves and ticket orders per fan. A per-process limit is kept only where the
//! process is the point (a WebSocket's own subscribe rate, in `ws`).

use std::net::IpAddr;

use tiketi_core::{
    guard::limits::{Gcra, Quota},
    infra::redis::{Keys, RedisConn},
};
use uuid::Uuid;

use crate::{config::ApiConfig, error::ApiError};

/// Every global limit of one api process, with the connection its checks run on.
pub struct Limits {
    gcra: Gcra,
    redis: RedisConn,
    keys: Keys,
    auth_per_ip: Quota,
    auth_per_email: Quota,
    queue_per_user: Quota,
    queue_per_ip: Quota,
    reserve_per_user: Quota,
}

impl Limits {
    pub fn new(config: &ApiConfig, redis: RedisConn, keys: Keys) -> Self {
        Self {
            gcra: Gcra::default(),
            redis,
            keys,
            auth_per_ip: Quota::per_minute(config.auth_rate_per_ip_per_minute),
            auth_per_email: Quota::per_minute(config.auth_rate_per_email_per_minute),
            queue_per_user: Quota::per_minute(config.queue_rate_per_user_per_minute),
            queue_per_ip: Quota::per_minute(config.queue_rate_per_ip_per_minute),
            reserve_per_user: Quota::per_minute(config.reserve_rate_per_user_per_minute),
        }
    }

    /// One sign-in or sign-up attempt from `ip` for `email` (normalized here, so case and
    /// spaces do not buy more tries).
    pub async fn auth(&self, ip: IpAddr, email: &str) -> Result<(), ApiError> {
        self.check("auth-ip", &ip.to_string(), self.auth_per_ip)
            .await?;
        let email = email.trim().to_lowercase();
        self.check("auth-email", &email, self.auth_per_email).await
    }

    /// One waiting-room call (join, status or leave) by `user` from `ip`.
    pub async fn queue(&self, ip: IpAddr, user: Uuid) -> Result<(), ApiError> {
        self.check("queue-user", &user.to_string(), self.queue_per_user)
            .await?;
        self.check("queue-ip", &ip.to_string(), self.queue_per_ip)
            .await
    }

    /// One seat reserve or ticket order by `user`: each may queue a command ahead of other
    /// fans in the event's ordered partition.
    pub async fn reserve(&self, user: Uuid) -> Result<(), ApiError> {
        self.check("reserve-user", &user.to_string(), self.reserve_per_user)
            .await
    }

    async fn check(&self, scope: &str, subject: &str, quota: Quota) -> Result<(), ApiError> {
        let key = self.keys.rate_limit(scope, subject);
        match self.gcra.check(&mut self.redis.clone(), &key, quota).await {
            Ok(None) => Ok(()),
            Ok(Some(retry_after)) => Err(ApiError::RateLimited { retry_after }),
            // Fail closed: without the shared counter a flood would be unlimited.
            Err(e) => {
                tracing::warn!(error = %e, "rate limit check failed");
                Err(ApiError::Unavailable { retry_after: 1 })
            }
        }
    }
}
