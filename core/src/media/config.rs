//! Where posters are stored and how large an upload may be, read from the environment
//! (`MEDIA_*`): the local directory needs nothing, an S3-compatible store its bucket and a
//! public base URL, its credentials from the environment only.

use std::path::PathBuf;

use crate::infra::config::{optional, ranged, required, var_or, ConfigError};

#[derive(Debug, Clone)]
pub enum StoreConfig {
    /// A directory the api serves under `/media/`.
    Local { dir: PathBuf },
    /// Any S3-compatible store. Unset credentials fall back to the AWS SDK's usual
    /// environment (`AWS_ACCESS_KEY_ID`, web identity, instance metadata).
    S3 {
        bucket: String,
        region: String,
        endpoint: Option<String>,
        access_key_id: Option<String>,
        secret_access_key: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub struct MediaConfig {
    pub store: StoreConfig,
    /// What an object's key is appended to for its public URL (`/media` for the local
    /// store served by the api; the bucket's or CDN's address for S3).
    pub public_base_url: String,
    /// Largest upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Largest width × height decoded.
    pub max_pixels: u64,
}

/// The local store's default directory and URL prefix.
pub const LOCAL_PREFIX: &str = "/media";

impl MediaConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let kind: String = var_or("MEDIA_STORE", "local".to_string())?;
        let store = match kind.as_str() {
            "local" => StoreConfig::Local {
                dir: var_or("MEDIA_DIR", PathBuf::from(".tiketi/media"))?,
            },
            "s3" => StoreConfig::S3 {
                bucket: required("MEDIA_S3_BUCKET", " (MEDIA_STORE=s3)")?,
                region: var_or("MEDIA_S3_REGION", "us-east-1".to_string())?,
                endpoint: optional("MEDIA_S3_ENDPOINT")?,
                access_key_id: optional("MEDIA_S3_ACCESS_KEY_ID")?,
                secret_access_key: optional("MEDIA_S3_SECRET_ACCESS_KEY")?,
            },
            other => {
                return Err(ConfigError::Invalid {
                    name: "MEDIA_STORE",
                    value: other.to_string(),
                    reason: "must be local or s3".into(),
                })
            }
        };
        let public_base_url: String = match store {
            StoreConfig::Local { .. } => var_or("MEDIA_PUBLIC_URL", LOCAL_PREFIX.to_string())?,
            StoreConfig::S3 { .. } => required(
                "MEDIA_PUBLIC_URL",
                " (MEDIA_STORE=s3: the bucket's or CDN's public address)",
            )?,
        };
        let ok = public_base_url.starts_with("https://")
            || public_base_url.starts_with("http://")
            || (public_base_url.starts_with('/') && !public_base_url.starts_with("//"));
        if !ok {
            return Err(ConfigError::Invalid {
                name: "MEDIA_PUBLIC_URL",
                value: public_base_url,
                reason: "must be an http(s) URL or a path starting with /".into(),
            });
        }
        Ok(Self {
            store,
            public_base_url: public_base_url.trim_end_matches('/').to_string(),
            max_upload_bytes: ranged(
                "MEDIA_MAX_UPLOAD_BYTES",
                10 * 1024 * 1024,
                64 * 1024..=64 * 1024 * 1024,
            )?,
            max_pixels: ranged("MEDIA_MAX_PIXELS", 40_000_000, 1_000_000..=200_000_000)?,
        })
    }

    /// The local store in `dir`, with the default limits (tests, development).
    pub fn local(dir: PathBuf) -> Self {
        Self {
            store: StoreConfig::Local { dir },
            public_base_url: LOCAL_PREFIX.into(),
            max_upload_bytes: 10 * 1024 * 1024,
            max_pixels: 40_000_000,
        }
    }
}
