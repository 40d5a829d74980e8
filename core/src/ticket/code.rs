//! The ticket code a QR carries: `T1.<base64url(payload)>.<base64url(signature)>`.
//! The payload is compact JSON (event, ticket, seat or ticket type, holder initials,
//! issued-at) so that a gate can show the seat without asking the server; the signature is
//! Ed25519 over the payload bytes with the event's key. Ed25519 is deterministic, so the
//! code of a ticket is the same every time it is computed and nothing is stored.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::keys::TicketKeys;

pub const VERSION_PREFIX: &str = "T1";
/// Longer input is not a ticket code; refused before any decoding.
pub const MAX_CODE_LEN: usize = 1024;

/// What a ticket code says. Field names are short because they end up in a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketClaims {
    /// Event id.
    pub e: Uuid,
    /// Ticket id (`tickets.id`).
    pub t: Uuid,
    /// Seat as section, row, number; absent for general admission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s: Option<(String, String, i32)>,
    /// Ticket type name for general admission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// Holder's initials.
    pub h: String,
    /// Issued at, Unix seconds.
    pub i: i64,
}

pub fn sign(keys: &TicketKeys, claims: &TicketClaims) -> String {
    let payload = serde_json::to_vec(claims).expect("claims serialize");
    let signature = keys.signing_key(claims.e).sign(&payload);
    format!(
        "{VERSION_PREFIX}.{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
}

/// The claims of a well-formed code, before its signature is checked.
pub fn decode_unverified(code: &str) -> Option<(TicketClaims, Vec<u8>, Signature)> {
    if code.len() > MAX_CODE_LEN {
        return None;
    }
    let mut parts = code.trim().split('.');
    let (Some(VERSION_PREFIX), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let signature = Signature::from_slice(&signature).ok()?;
    let claims = serde_json::from_slice(&payload).ok()?;
    Some((claims, payload, signature))
}

/// The claims of a code signed with the key of `event_id`, or `None` for anything else
/// (malformed, altered, forged, or a ticket of another event).
pub fn verify(key: &VerifyingKey, event_id: Uuid, code: &str) -> Option<TicketClaims> {
    let (claims, payload, signature) = decode_unverified(code)?;
    if claims.e != event_id {
        return None;
    }
    key.verify(&payload, &signature).ok()?;
    Some(claims)
}

pub fn public_key_base64(key: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(key.to_bytes())
}

/// The key [`public_key_base64`] wrote, as a gate reads it from the offline bundle.
pub fn public_key_from_base64(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Up to three initials of a name ("Kim Min-ji" → "KM", "홍길동" → "홍").
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .take(3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(event: Uuid) -> TicketClaims {
        TicketClaims {
            e: event,
            t: Uuid::new_v4(),
            s: Some(("A".into(), "3".into(), 12)),
            y: None,
            h: "KM".into(),
            i: 1_800_000_000,
        }
    }

    #[test]
    fn a_signed_code_verifies_and_is_deterministic() {
        let keys = TicketKeys::new("test-master-secret-0123");
        let event = Uuid::new_v4();
        let c = claims(event);
        let code = sign(&keys, &c);
        assert_eq!(code, sign(&keys, &c));
        assert_eq!(verify(&keys.verifying_key(event), event, &code), Some(c));
    }

    #[test]
    fn altered_forged_and_foreign_codes_are_refused() {
        let keys = TicketKeys::new("test-master-secret-0123");
        let event = Uuid::new_v4();
        let key = keys.verifying_key(event);
        let c = claims(event);
        let code = sign(&keys, &c);
        // Another seat in the payload, same signature.
        let mut altered = c.clone();
        altered.s = Some(("VIP".into(), "1".into(), 1));
        let altered_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&altered).unwrap());
        let sig = code.rsplit('.').next().unwrap();
        assert_eq!(
            verify(&key, event, &format!("T1.{altered_payload}.{sig}")),
            None
        );
        // Signed with another secret.
        let forged = sign(&TicketKeys::new("attacker-secret-00000"), &c);
        assert_eq!(verify(&key, event, &forged), None);
        // A genuine ticket of another event.
        let other = Uuid::new_v4();
        let foreign = sign(&keys, &claims(other));
        assert_eq!(verify(&key, event, &foreign), None);
        assert_eq!(verify(&keys.verifying_key(other), event, &foreign), None);
        // Garbage and the old unsigned format.
        for junk in [
            "",
            "T1",
            "T1..",
            "T2.a.b",
            "TIKETI:ABC:123",
            &"x".repeat(5000),
        ] {
            assert_eq!(verify(&key, event, junk), None, "{junk}");
        }
    }

    #[test]
    fn initials_of_latin_and_hangul_names() {
        assert_eq!(initials("kim min ji"), "KMJ");
        assert_eq!(initials("홍길동"), "홍");
        assert_eq!(initials("  "), "");
    }
}
