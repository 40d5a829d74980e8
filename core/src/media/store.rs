//! The object store posters are written to, behind `object_store`'s one interface: a local
//! directory (served by the api under `/media/`) or an S3-compatible bucket. Names are the
//! SHA-256 of the bytes, so an object never changes once written: it can be cached forever,
//! writing it twice is harmless, and a new poster never overwrites one a reader still uses.

use std::sync::Arc;

use object_store::{
    aws::AmazonS3Builder, local::LocalFileSystem, path::Path, Attribute, Attributes, ObjectStore,
    PutOptions, PutPayload,
};
use sha2::{Digest, Sha256};

use super::{MediaConfig, StoreConfig};

/// `Cache-Control` of every stored object: content-addressed, so immutable.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[derive(Clone)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    public_base_url: String,
    /// The local filesystem keeps no per-object headers; the api sets them when serving.
    keeps_headers: bool,
}

impl MediaStore {
    pub fn new(config: &MediaConfig) -> anyhow::Result<Self> {
        let (store, keeps_headers): (Arc<dyn ObjectStore>, bool) = match &config.store {
            StoreConfig::Local { dir } => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    anyhow::anyhow!("MEDIA_DIR {} cannot be created: {e}", dir.display())
                })?;
                let fs = LocalFileSystem::new_with_prefix(dir).map_err(|e| {
                    anyhow::anyhow!("MEDIA_DIR {} cannot be used: {e}", dir.display())
                })?;
                (Arc::new(fs), false)
            }
            StoreConfig::S3 {
                bucket,
                region,
                endpoint,
                access_key_id,
                secret_access_key,
            } => {
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    .with_region(region);
                if let Some(endpoint) = endpoint {
                    // A self-hosted store (MinIO, Ceph, R2) is addressed by path, and may
                    // be plain HTTP inside the cluster.
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_virtual_hosted_style_request(false)
                        .with_allow_http(endpoint.starts_with("http://"));
                }
                if let (Some(id), Some(secret)) = (access_key_id, secret_access_key) {
                    builder = builder
                        .with_access_key_id(id)
                        .with_secret_access_key(secret);
                }
                let s3 = builder
                    .build()
                    .map_err(|e| anyhow::anyhow!("MEDIA_S3_* configuration is invalid: {e}"))?;
                (Arc::new(s3), true)
            }
        };
        Ok(Self {
            store,
            public_base_url: config.public_base_url.clone(),
            keeps_headers,
        })
    }

    /// Writes a JPEG under `posters/<sha256>.jpg` and answers its public URL.
    pub async fn put_jpeg(&self, bytes: Vec<u8>) -> object_store::Result<String> {
        let key = format!("posters/{}.jpg", hex::encode(Sha256::digest(&bytes)));
        let mut options = PutOptions::default();
        if self.keeps_headers {
            options.attributes = Attributes::from_iter([
                (Attribute::ContentType, "image/jpeg"),
                (Attribute::CacheControl, IMMUTABLE),
            ]);
        }
        self.store
            .put_opts(&Path::from(key.as_str()), PutPayload::from(bytes), options)
            .await?;
        Ok(format!("{}/{key}", self.public_base_url))
    }

    /// The store itself (tests read objects back through it).
    pub fn inner(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }
}
