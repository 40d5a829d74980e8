//! Proof-of-work before joining a waiting room: bots that want many places in line pay CPU
//! for each, fans pay a second or two once. The scheme is ALTCHA's (v1: find `number` with
//! SHA-256(salt + number) = challenge, the challenge HMAC-signed), so its widgets and
//! solvers work against it. Verifying is stateless (the salt carries the fan, the event and
//! the expiry, all covered by the signature); only a solved challenge is remembered, until
//! it expires, so it cannot be replayed. (The `altcha-lib-rs` crate does not build against
//! this workspace's `sha2`/`hmac`; the scheme is a few lines over the same primitives.)

use std::collections::HashMap;

use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::infra::redis::{Keys, RedisConn};

/// How long a fan has to solve a challenge and join with it.
pub const CHALLENGE_TTL: chrono::Duration = chrono::Duration::minutes(5);

/// A challenge as ALTCHA clients expect it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Challenge {
    /// Always `SHA-256`.
    pub algorithm: String,
    pub challenge: String,
    /// The largest number the solver needs to try: the event's difficulty.
    pub maxnumber: u64,
    /// Random salt and signed parameters (`?expires=…&evt=…&usr=…`).
    pub salt: String,
    pub signature: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PowError {
    #[error("a solved proof-of-work challenge is required to join this waiting room")]
    Required,
    #[error("the proof-of-work solution is invalid, expired or not for this event")]
    Invalid,
    #[error("this proof-of-work solution was used already")]
    Replayed,
    #[error(transparent)]
    Store(#[from] redis::RedisError),
}

/// Issues and checks challenges with a key derived from the deployment's secret.
#[derive(Clone)]
pub struct ProofOfWork {
    hmac_key: String,
    keys: Keys,
}

impl ProofOfWork {
    pub fn new(secret: &str, keys: Keys) -> Self {
        Self {
            // Its own key: a challenge signature is never also a valid token signature.
            hmac_key: format!("tiketi-altcha-v1|{secret}"),
            keys,
        }
    }

    /// A fresh challenge for `user` to join `event`'s waiting room.
    pub fn issue(&self, user: Uuid, event: Uuid, maxnumber: u64) -> Challenge {
        let mut rng = rand::thread_rng();
        let expires = (Utc::now() + CHALLENGE_TTL).timestamp();
        let salt = format!(
            "{}?expires={expires}&evt={event}&usr={user}",
            hex::encode(rng.gen::<[u8; 12]>())
        );
        let number = rng.gen_range(0..=maxnumber);
        let challenge = sha256_hex(&format!("{salt}{number}"));
        Challenge {
            algorithm: ALGORITHM.into(),
            signature: self.sign(&challenge),
            challenge,
            maxnumber,
            salt,
        }
    }

    fn sign(&self, challenge: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.hmac_key.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(challenge.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Checks a solution (ALTCHA's base64-encoded JSON payload) for `user` joining
    /// `event`, and uses it up: the same solution never passes twice.
    pub async fn redeem(
        &self,
        redis: &mut RedisConn,
        solution: Option<&str>,
        user: Uuid,
        event: Uuid,
    ) -> Result<(), PowError> {
        let solution = solution
            .filter(|s| !s.is_empty())
            .ok_or(PowError::Required)?;
        let payload = decode(solution).ok_or(PowError::Invalid)?;
        let expires = self.check(&payload, user, event).ok_or(PowError::Invalid)?;
        let ttl_ms = (expires - Utc::now()).num_milliseconds().max(1);
        // One SET NX: the first redemption records it until the challenge expires anyway.
        let fresh: Option<String> = redis::cmd("SET")
            .arg(self.keys.pow_used(event, &payload.signature))
            .arg(user.to_string())
            .arg("NX")
            .arg("PX")
            .arg(ttl_ms)
            .query_async(redis)
            .await?;
        fresh.map(|_| ()).ok_or(PowError::Replayed)
    }

    /// The challenge's expiry when the solution is right, signed by us, unexpired and
    /// issued to this fan for this event.
    fn check(&self, payload: &Payload, user: Uuid, event: Uuid) -> Option<DateTime<Utc>> {
        if payload.algorithm != ALGORITHM
            || sha256_hex(&format!("{}{}", payload.salt, payload.number)) != payload.challenge
        {
            return None;
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(self.hmac_key.as_bytes()).ok()?;
        mac.update(payload.challenge.as_bytes());
        mac.verify_slice(&hex::decode(&payload.signature).ok()?)
            .ok()?;
        let (_, query) = payload.salt.split_once('?')?;
        let params: HashMap<&str, &str> =
            query.split('&').filter_map(|p| p.split_once('=')).collect();
        let expires = DateTime::from_timestamp(params.get("expires")?.parse().ok()?, 0)?;
        (expires > Utc::now()
            && params.get("evt")? == &event.to_string().as_str()
            && params.get("usr")? == &user.to_string().as_str())
            .then_some(expires)
    }
}

const ALGORITHM: &str = "SHA-256";

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// What an ALTCHA client sends back.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payload {
    algorithm: String,
    challenge: String,
    number: u64,
    salt: String,
    signature: String,
}

/// ALTCHA clients send the payload as base64 of its JSON; plain JSON is accepted too.
fn decode(solution: &str) -> Option<Payload> {
    let json = base64::engine::general_purpose::STANDARD
        .decode(solution.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| solution.to_string());
    serde_json::from_str(&json).ok()
}

/// Solves a challenge by brute force, as a fan's browser does (tests and tools); the
/// solution as ALTCHA clients send it.
pub fn solve(challenge: &Challenge) -> Option<String> {
    let number = (0..=challenge.maxnumber)
        .find(|n| sha256_hex(&format!("{}{n}", challenge.salt)) == challenge.challenge)?;
    let payload = Payload {
        algorithm: challenge.algorithm.clone(),
        challenge: challenge.challenge.clone(),
        number,
        salt: challenge.salt.clone(),
        signature: challenge.signature.clone(),
    };
    Some(base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&payload).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pow() -> ProofOfWork {
        ProofOfWork::new("a-test-secret-of-some-length", Keys::new("t"))
    }

    #[test]
    fn a_solution_passes_only_for_its_fan_and_event_and_with_our_signature() {
        let (user, event) = (Uuid::new_v4(), Uuid::new_v4());
        let c = pow().issue(user, event, 2_000);
        assert!(c.salt.contains(&format!("evt={event}")));
        let solved = solve(&c).unwrap();
        let payload = decode(&solved).unwrap();
        assert!(pow().check(&payload, user, event).is_some());
        assert!(pow().check(&payload, Uuid::new_v4(), event).is_none());
        assert!(pow().check(&payload, user, Uuid::new_v4()).is_none());
        let other = ProofOfWork::new("another-secret-of-some-length", Keys::new("t"));
        assert!(other.check(&payload, user, event).is_none());
        let mut wrong = decode(&solved).unwrap();
        wrong.number += 1;
        assert!(pow().check(&wrong, user, event).is_none());
        let mut retargeted = decode(&solved).unwrap();
        retargeted.salt = retargeted
            .salt
            .replace(&event.to_string(), &Uuid::new_v4().to_string());
        assert!(pow().check(&retargeted, user, event).is_none());
    }
}
