//! Admission tokens: the proof that a fan came through an event's waiting room.
//!
//! A token is an HS256 JWT bound to one fan, one event and one admission (the ticket the
//! fan had in line), expiring with the shopping window. It is signed with a key derived
//! from `JWT_SECRET` but distinct from the access-token key, so neither kind of token can
//! pass for the other. The signature alone does not admit: the waiting room's grant for
//! that ticket must still exist, which is how paying, cancelling or the end of the window
//! revoke it at once.

use crate::infra::redis::RedisConn;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::waiting_room::WaitingRoom;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AdmissionClaims {
    /// The fan.
    pub sub: Uuid,
    /// The event.
    pub evt: Uuid,
    /// The fan's ticket in line when admitted; names this admission.
    pub tkt: u64,
    pub jti: Uuid,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AdmissionError {
    #[error("an admission token from the waiting room is required for this event")]
    Required,
    #[error("the admission token is not valid for this fan and event, or has ended")]
    Invalid,
}

#[derive(Clone)]
pub struct Admissions {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl Admissions {
    pub fn new(jwt_secret: &str) -> Self {
        let key = format!("{jwt_secret}\u{0}admission");
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(key.as_bytes()),
            decoding: DecodingKey::from_secret(key.as_bytes()),
            validation,
        }
    }

    /// The token of an admission. Deterministic, so the sweeper's `admitted` message and
    /// every status call give the fan the same token.
    pub fn issue(
        &self,
        user: Uuid,
        event: Uuid,
        ticket: u64,
        admitted_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> String {
        let claims = AdmissionClaims {
            sub: user,
            evt: event,
            tkt: ticket,
            jti: Uuid::new_v5(&event, format!("{user}:{ticket}").as_bytes()),
            iat: admitted_at.timestamp(),
            exp: expires_at.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing of plain claims cannot fail")
    }

    /// Signature, expiry, fan and event; no Redis.
    pub fn decode(
        &self,
        token: &str,
        user: Uuid,
        event: Uuid,
    ) -> Result<AdmissionClaims, AdmissionError> {
        let claims =
            jsonwebtoken::decode::<AdmissionClaims>(token, &self.decoding, &self.validation)
                .map_err(|_| AdmissionError::Invalid)?
                .claims;
        if claims.sub != user || claims.evt != event {
            return Err(AdmissionError::Invalid);
        }
        Ok(claims)
    }

    /// A token that is signed, for this fan and event, unexpired, and whose admission the
    /// waiting room still grants.
    pub async fn verify(
        &self,
        room: &WaitingRoom,
        conn: &mut RedisConn,
        token: Option<&str>,
        user: Uuid,
        event: Uuid,
    ) -> Result<AdmissionClaims, VerifyError> {
        let token = token
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AdmissionError::Required)?;
        let claims = self.decode(token, user, event)?;
        if !room.is_admitted(conn, event, user, claims.tkt).await? {
            return Err(AdmissionError::Invalid.into());
        }
        Ok(claims)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Refused(#[from] AdmissionError),
    #[error("the waiting room is unavailable")]
    Store(#[from] redis::RedisError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_bound_to_its_fan_and_event() {
        let a = Admissions::new("secret");
        let (fan, other, event) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let now = Utc::now();
        let token = a.issue(fan, event, 7, now, now + chrono::Duration::minutes(5));
        assert_eq!(a.decode(&token, fan, event).unwrap().tkt, 7);
        assert_eq!(a.decode(&token, other, event), Err(AdmissionError::Invalid));
        assert_eq!(
            a.decode(&token, fan, Uuid::new_v4()),
            Err(AdmissionError::Invalid)
        );
        assert_eq!(
            Admissions::new("other secret").decode(&token, fan, event),
            Err(AdmissionError::Invalid)
        );
        let expired = a.issue(fan, event, 7, now, now - chrono::Duration::seconds(1));
        assert_eq!(a.decode(&expired, fan, event), Err(AdmissionError::Invalid));
    }

    #[test]
    fn access_tokens_and_admission_tokens_do_not_mix() {
        let tokens = crate::user::auth::Tokens::new(
            "secret",
            std::time::Duration::from_secs(60),
            crate::infra::redis::Keys::new("t"),
        );
        let fan = Uuid::new_v4();
        let (access, _) = tokens.issue(fan, crate::user::auth::Role::Fan).unwrap();
        let a = Admissions::new("secret");
        assert!(a.decode(&access, fan, Uuid::nil()).is_err());
        let now = Utc::now();
        let admission = a.issue(fan, Uuid::nil(), 1, now, now + chrono::Duration::minutes(5));
        assert!(tokens.decode(&admission).is_err());
    }
}
