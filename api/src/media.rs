//! The poster store of one api process (local directory or S3) and the bound on how many
//! uploads it decodes at once; held in the state, used by the poster route.

use std::sync::Arc;

use tiketi_core::media::MediaStore;
use tokio::sync::Semaphore;

/// Uploads decoded at once in this process: each may hold up to `MEDIA_MAX_PIXELS` × 8
/// bytes while it is decoded.
const CONCURRENT_DECODES: usize = 2;

/// The poster store of one api process and what bounds its work.
#[derive(Clone)]
pub struct Media {
    pub store: MediaStore,
    pub max_pixels: u64,
    pub(crate) decoding: Arc<Semaphore>,
}

impl Media {
    pub fn new(store: MediaStore, max_pixels: u64) -> Self {
        Self {
            store,
            max_pixels,
            decoding: Arc::new(Semaphore::new(CONCURRENT_DECODES)),
        }
    }
}
