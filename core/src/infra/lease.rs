//! A leader lease in Redis, so that running several sweepers is safe: one holds the lease
//! and works, the others stand by and take over within a lease period if it dies.

use std::time::Duration;

use redis::Script;

use crate::infra::redis::RedisConn;
use uuid::Uuid;

// The scripts, each documented at its top with its KEYS and ARGV.
const ACQUIRE_OR_RENEW: &str = include_str!("lease/acquire_or_renew.lua");
const RELEASE: &str = include_str!("lease/release.lua");

pub struct Lease {
    key: String,
    holder: String,
    ttl: Duration,
    acquire: Script,
    release: Script,
}

impl Lease {
    pub fn new(key: String, ttl: Duration) -> Self {
        Self {
            key,
            holder: Uuid::new_v4().to_string(),
            ttl,
            acquire: Script::new(ACQUIRE_OR_RENEW),
            release: Script::new(RELEASE),
        }
    }

    /// True when this process holds the lease for the next TTL.
    pub async fn hold(&self, conn: &mut RedisConn) -> bool {
        let held: redis::RedisResult<i64> = self
            .acquire
            .key(&self.key)
            .arg(&self.holder)
            .arg(self.ttl.as_millis() as u64)
            .invoke_async(conn)
            .await;
        matches!(held, Ok(1))
    }

    pub async fn give_up(&self, conn: &mut RedisConn) {
        let _: redis::RedisResult<i64> = self
            .release
            .key(&self.key)
            .arg(&self.holder)
            .invoke_async(conn)
            .await;
    }
}
