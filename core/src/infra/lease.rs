//! A leader lease in Redis, so that running several sweepers is safe: one holds the lease
//! and works, the others stand by and take over within a lease period if it dies.

use std::time::Duration;

use redis::Script;

use crate::infra::redis::RedisConn;
use uuid::Uuid;

/// Takes the lease if free, or extends it if we hold it. KEYS[1] lease; ARGV[1] holder,
/// ARGV[2] TTL in ms. Returns 1 when we hold it afterwards.
const ACQUIRE_OR_RENEW: &str = r#"
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"#;

const RELEASE: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"#;

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
