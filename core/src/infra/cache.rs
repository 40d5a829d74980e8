//! Cache-aside for the hot read paths, in two levels: a per-process copy that lives about a
//! second (so a hit costs no network at all), and Redis with the plan's TTLs (shared by
//! every api instance). A cached body is stored serialized and compressed (identity, gzip,
//! brotli) with its ETag, so a hit does no database work and no JSON encoding.
//!
//! Writers call [`Cache::invalidate_event`] (or [`Cache::invalidate`]): it deletes the Redis
//! copies and tells every api instance through pub/sub to drop its local copy.

use std::{collections::HashMap, future::Future, io::Write, sync::Arc, time::Duration};

use bytes::Bytes;
use redis::AsyncCommands;

use crate::infra::redis::RedisConn;
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{
    infra::config::Infra,
    infra::redis::Keys,
    live::{Delivery, Standing, Subscriber},
};

/// A response body ready to send in any encoding the client accepts.
#[derive(Debug)]
pub struct CachedBody {
    pub json: Bytes,
    pub gzip: Bytes,
    pub brotli: Bytes,
    /// A weak validator derived from the JSON bytes.
    pub etag: String,
}

impl CachedBody {
    /// Serializes once and compresses in both encodings. CPU-bound; fine for bodies that are
    /// built on a cache miss only.
    pub fn build(json: Vec<u8>) -> Self {
        let digest = Sha256::digest(&json);
        let etag = format!("W/\"{}\"", hex::encode(&digest[..12]));
        let mut gz = flate2::write::GzEncoder::new(
            Vec::with_capacity(json.len() / 6),
            flate2::Compression::new(6),
        );
        gz.write_all(&json).expect("writing to a Vec cannot fail");
        let gzip = gz.finish().expect("writing to a Vec cannot fail");
        let mut brotli = Vec::with_capacity(json.len() / 8);
        {
            let mut w = brotli::CompressorWriter::new(&mut brotli, 64 * 1024, 5, 22);
            w.write_all(&json).expect("writing to a Vec cannot fail");
        }
        Self {
            json: json.into(),
            gzip: gzip.into(),
            brotli: brotli.into(),
            etag,
        }
    }

    fn weight(&self) -> u32 {
        (self.json.len() + self.gzip.len() + self.brotli.len())
            .try_into()
            .unwrap_or(u32::MAX)
    }
}

/// What a cache lookup found: a body, or that the thing does not exist.
pub type Lookup = Option<Arc<CachedBody>>;

#[derive(Clone)]
pub struct Cache {
    local: moka::future::Cache<String, Lookup>,
    /// Identifies this instance's own messages on the invalidation channel.
    origin: Uuid,
    redis: RedisConn,
    keys: Keys,
}

impl Cache {
    pub fn new(redis: RedisConn, keys: Keys, local_ttl: Duration) -> Self {
        let local = moka::future::Cache::builder()
            .time_to_live(local_ttl)
            .weigher(|_k: &String, v: &Lookup| v.as_ref().map_or(1, |b| b.weight()))
            .max_capacity(256 * 1024 * 1024)
            .build();
        Self {
            local,
            origin: Uuid::new_v4(),
            redis,
            keys,
        }
    }

    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// Returns the cached body for `key`, loading it with `load` on a miss at both levels.
    /// Concurrent misses for one key in this process share one load. `load` returns `None`
    /// for "does not exist" (cached locally only, for the local TTL). With `index`, the key
    /// is recorded in that Redis set so that one invalidation can find it.
    pub async fn get_or_load<F, Fut>(
        &self,
        cache: &'static str,
        key: String,
        ttl: Duration,
        index: Option<String>,
        load: F,
    ) -> anyhow::Result<Lookup>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = anyhow::Result<Option<Vec<u8>>>>,
    {
        if let Some(hit) = self.local.get(&key).await {
            record(cache, "local_hit");
            return Ok(hit);
        }
        let this = self.clone();
        let k = key.clone();
        self.local
            .try_get_with(key, async move {
                if let Some(body) = this.read_redis(&k).await {
                    record(cache, "hit");
                    return Ok(Some(Arc::new(body)));
                }
                record(cache, "miss");
                let Some(json) = load().await? else {
                    return Ok(None);
                };
                let body = tokio::task::spawn_blocking(move || CachedBody::build(json)).await?;
                this.write_redis(&k, &body, ttl, index.as_deref()).await;
                Ok::<_, anyhow::Error>(Some(Arc::new(body)))
            })
            .await
            .map_err(|e: Arc<anyhow::Error>| anyhow::anyhow!("{e:#}"))
    }

    async fn read_redis(&self, key: &str) -> Option<CachedBody> {
        let mut conn = self.redis.clone();
        let fields: HashMap<String, Vec<u8>> = match conn.hgetall(key).await {
            Ok(f) => f,
            Err(e) => {
                // Redis down: serve from the database rather than fail the read.
                tracing::warn!(error = %e, "cache read failed");
                return None;
            }
        };
        let mut fields = fields;
        let json = fields.remove("json")?;
        Some(CachedBody {
            json: json.into(),
            gzip: fields.remove("gzip")?.into(),
            brotli: fields.remove("br")?.into(),
            etag: String::from_utf8(fields.remove("etag")?).ok()?,
        })
    }

    async fn write_redis(&self, key: &str, body: &CachedBody, ttl: Duration, index: Option<&str>) {
        let mut conn = self.redis.clone();
        let mut pipe = redis::pipe();
        pipe.atomic()
            .hset_multiple(
                key,
                &[
                    ("json", body.json.as_ref()),
                    ("gzip", body.gzip.as_ref()),
                    ("br", body.brotli.as_ref()),
                    ("etag", body.etag.as_bytes()),
                ],
            )
            .ignore()
            .expire(key, ttl.as_secs().max(1) as i64)
            .ignore();
        if let Some(index) = index {
            pipe.sadd(index, key)
                .ignore()
                .expire(index, ttl.as_secs().max(1) as i64 * 2)
                .ignore();
        }
        if let Err(e) = pipe.query_async::<()>(&mut conn).await {
            tracing::warn!(error = %e, "cache write failed");
        }
    }

    /// Replaces the body under `key` with a freshly loaded one, here and in Redis, and tells
    /// other instances to drop their local copy (their next read is a Redis hit). Writers
    /// use this so a changed seat map is a fresh cache hit, not a miss.
    pub async fn put(&self, key: &str, json: Vec<u8>, ttl: Duration) -> anyhow::Result<()> {
        let body = Arc::new(tokio::task::spawn_blocking(move || CachedBody::build(json)).await?);
        self.write_redis(key, &body, ttl, None).await;
        self.local.insert(key.to_string(), Some(body)).await;
        let mut conn = self.redis.clone();
        crate::infra::redis::publish(
            &mut conn,
            &self.keys.cache_invalidations(),
            &format!("{OTHERS_ONLY}{}{OTHERS_ONLY}{key}", self.origin),
        )
        .await?;
        Ok(())
    }

    /// Drops `keys` everywhere: in Redis, here, and (through pub/sub) in every other api
    /// instance.
    pub async fn invalidate(&self, keys: &[String]) -> anyhow::Result<()> {
        for k in keys {
            self.local.invalidate(k).await;
        }
        if keys.is_empty() {
            return Ok(());
        }
        let mut conn = self.redis.clone();
        // Two commands, not one pipeline: on a cluster the keys span slots (the client
        // splits the DEL per slot) and the channel has a slot of its own.
        let _: () = conn.del(keys).await?;
        crate::infra::redis::publish(
            &mut conn,
            &self.keys.cache_invalidations(),
            &keys.join("\n"),
        )
        .await?;
        Ok(())
    }

    /// The one invalidation every writer of an event calls: its detail, its seat map (full
    /// and in blocks), and every cached page of the event list.
    pub async fn invalidate_event(&self, event_id: Uuid) -> anyhow::Result<()> {
        let mut keys = vec![
            self.keys.event_detail(event_id),
            self.keys.seat_map(event_id),
            self.keys.block_summary(event_id),
        ];
        keys.extend(self.block_seat_keys(event_id).await?);
        keys.extend(self.list_keys().await?);
        self.invalidate(&keys).await
    }

    /// Drops the cached seats of every block of the event (they reload on the next read).
    pub async fn invalidate_block_seats(&self, event_id: Uuid) -> anyhow::Result<()> {
        let keys = self.block_seat_keys(event_id).await?;
        self.invalidate(&keys).await
    }

    async fn block_seat_keys(&self, event_id: Uuid) -> anyhow::Result<Vec<String>> {
        let mut conn = self.redis.clone();
        let index = self.keys.block_seats_index(event_id);
        let mut keys: Vec<String> = conn.smembers(&index).await?;
        keys.push(index);
        Ok(keys)
    }

    /// Drops every cached event-list page (a new event was created, say).
    pub async fn invalidate_lists(&self) -> anyhow::Result<()> {
        let keys = self.list_keys().await?;
        self.invalidate(&keys).await
    }

    async fn list_keys(&self) -> anyhow::Result<Vec<String>> {
        let mut conn = self.redis.clone();
        let index = self.keys.event_list_index();
        let mut keys: Vec<String> = conn.smembers(&index).await?;
        keys.push(index);
        Ok(keys)
    }

    /// Listens for invalidations from other instances until `shutdown`. When the
    /// subscription (re)starts, messages may have been missed, so the local level is cleared.
    pub async fn listen_for_invalidations(self, infra: Infra, shutdown: CancellationToken) {
        let channel = self.keys.cache_invalidations();
        let subscriber = Subscriber::new(infra.redis_mode);
        subscriber.add(&channel);
        let this = &self;
        subscriber
            .run(
                infra,
                Standing::Channel(channel),
                |delivery| async move {
                    match delivery {
                        Delivery::Gap => this.local.invalidate_all(),
                        Delivery::Message { payload, .. } => {
                            for key in payload.lines() {
                                let tagged = key
                                    .strip_prefix(OTHERS_ONLY)
                                    .and_then(|rest| rest.split_once(OTHERS_ONLY));
                                match tagged {
                                    // Our own fresh put: keep it.
                                    Some((origin, _)) if origin == this.origin.to_string() => {}
                                    Some((_, k)) => this.local.invalidate(k).await,
                                    None => this.local.invalidate(key).await,
                                }
                            }
                        }
                    }
                },
                shutdown,
            )
            .await
    }
}

/// Frames `~<origin>~<key>`: an invalidation for every instance but the sender, which has
/// already stored fresh data.
const OTHERS_ONLY: &str = "~";

fn record(cache: &'static str, result: &'static str) {
    metrics::counter!("tiketi_cache_requests_total", "cache" => cache, "result" => result)
        .increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn built_bodies_decompress_to_the_json_and_etag_follows_content() {
        let json = serde_json::to_vec(&serde_json::json!({"seats": vec!["a"; 1000]})).unwrap();
        let body = CachedBody::build(json.clone());
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(body.gzip.as_ref())
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, json);
        let mut out = Vec::new();
        brotli::Decompressor::new(body.brotli.as_ref(), 4096)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, json);
        assert!(body.gzip.len() < json.len() / 4);
        assert_eq!(body.etag, CachedBody::build(json).etag);
        assert_ne!(body.etag, CachedBody::build(b"{}".to_vec()).etag);
    }
}
