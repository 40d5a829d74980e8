//! Global rate limits: GCRA (the generic cell rate algorithm) kept in Redis, so every api
//! replica counts against the same budget. One check is one Lua script on one key, atomic
//! and on one cluster slot; the script reads Redis's clock, so replicas with drifting
//! clocks still agree.

use std::time::Duration;

use redis::Script;

use crate::infra::redis::RedisConn;

/// `n` requests per `period`, all of which may arrive at once (burst `n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub per_period: u32,
    pub period: Duration,
}

impl Quota {
    pub fn per_minute(n: u32) -> Self {
        Self {
            per_period: n.max(1),
            period: Duration::from_secs(60),
        }
    }

    /// Microseconds between two requests at the sustained rate (at least 1), fine enough
    /// for a load test's million-per-minute limits.
    fn interval_us(self) -> u64 {
        (self.period.as_micros() as u64 / u64::from(self.per_period)).max(1)
    }
}

// KEYS[1]: the theoretical arrival time (µs). ARGV: interval µs, burst.
// Allowed → 0 and the new TAT stored (expiring when fully replenished); refused → the
// microseconds until the next request would be allowed. Lua numbers are doubles: µs since
// 1970 (~1.8e15) are exact below 2^53.
const GCRA: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = interval * (tonumber(ARGV[2]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - now - tolerance
if wait > 0 then return wait end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return 0
"#;

/// Runs GCRA checks; cheap to clone.
#[derive(Clone)]
pub struct Gcra {
    script: std::sync::Arc<Script>,
}

impl Default for Gcra {
    fn default() -> Self {
        Self {
            script: std::sync::Arc::new(Script::new(GCRA)),
        }
    }
}

impl Gcra {
    /// Counts one request against `key` under `quota`: `Ok(None)` if allowed, `Ok(Some(wait))`
    /// with the time until the next allowed request if not.
    pub async fn check(
        &self,
        conn: &mut RedisConn,
        key: &str,
        quota: Quota,
    ) -> redis::RedisResult<Option<Duration>> {
        let wait_us: u64 = self
            .script
            .key(key)
            .arg(quota.interval_us())
            .arg(quota.per_period)
            .invoke_async(conn)
            .await?;
        Ok((wait_us > 0).then(|| Duration::from_micros(wait_us)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_spreads_the_period_over_the_quota() {
        assert_eq!(Quota::per_minute(60).interval_us(), 1_000_000);
        assert_eq!(Quota::per_minute(0).interval_us(), 60_000_000);
        assert_eq!(Quota::per_minute(1_000_000).interval_us(), 60);
        let fast = Quota {
            per_period: 10_000_000,
            period: Duration::from_secs(1),
        };
        assert_eq!(fast.interval_us(), 1);
    }
}
