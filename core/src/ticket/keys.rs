//! Per-event Ed25519 keys derived from one master secret (`TICKET_SIGNING_SECRET`) with
//! HKDF-SHA256, so nothing secret is stored per event and every api instance signs alike.
//! A leaked event key exposes that event only; rotating the master secret re-keys all.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use ed25519_dalek::{SigningKey, VerifyingKey};
use hkdf::Hkdf;
use sha2::Sha256;
use uuid::Uuid;

/// Domain separation: the same master secret must never yield the same bytes for another use.
const SALT: &[u8] = b"tiketi/ticket-signing/v1";

/// Public keys computed so far: deriving one costs a scalar multiplication, and every
/// scan needs its event's. Only events that exist are asked for; the bound is a backstop.
const MAX_CACHED_KEYS: usize = 4_096;

#[derive(Clone)]
pub struct TicketKeys {
    hkdf: Hkdf<Sha256>,
    verifying: Arc<Mutex<HashMap<Uuid, VerifyingKey>>>,
}

impl std::fmt::Debug for TicketKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TicketKeys(..)")
    }
}

impl TicketKeys {
    pub fn new(master_secret: &str) -> Self {
        Self {
            hkdf: Hkdf::<Sha256>::new(Some(SALT), master_secret.as_bytes()),
            verifying: Arc::default(),
        }
    }

    pub fn signing_key(&self, event_id: Uuid) -> SigningKey {
        let mut seed = [0u8; 32];
        self.hkdf
            .expand(event_id.as_bytes(), &mut seed)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        SigningKey::from_bytes(&seed)
    }

    pub fn verifying_key(&self, event_id: Uuid) -> VerifyingKey {
        let cached = self.cache().get(&event_id).copied();
        if let Some(key) = cached {
            return key;
        }
        let key = self.signing_key(event_id).verifying_key();
        let mut cache = self.cache();
        if cache.len() >= MAX_CACHED_KEYS {
            cache.clear();
        }
        cache.insert(event_id, key);
        key
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, VerifyingKey>> {
        // The map holds only derived values: a panic elsewhere cannot leave it wrong.
        self.verifying
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_per_event_and_differ_between_events_and_secrets() {
        let a = TicketKeys::new("a-master-secret-of-length");
        let b = TicketKeys::new("another-master-secret-xx");
        let (e1, e2) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(a.verifying_key(e1), a.verifying_key(e1));
        assert_ne!(a.verifying_key(e1), a.verifying_key(e2));
        assert_ne!(a.verifying_key(e1), b.verifying_key(e1));
    }
}
