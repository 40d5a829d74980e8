//! Who a caller is: parsed sign-up input, argon2id password hashes, signed JWTs with expiry
//! and revocation. Types parse instead of validate, so a `Email` is always normalized.

use std::time::Duration;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHasher, PasswordVerifier, SaltString},
    Argon2, PasswordHash,
};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::infra::redis::Keys;

/// A normalized (trimmed, lower-cased) syntactically valid email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err("email is required");
        }
        if email.len() > 254 {
            return Err("email must be at most 254 characters");
        }
        match email.parse::<email_address::EmailAddress>() {
            Ok(parsed) if parsed.domain().contains('.') => Ok(Self(email)),
            _ => Err("email is not a valid address"),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A display name: 1..=50 characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserName(String);

impl UserName {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let name = input.trim();
        let len = name.chars().count();
        if len == 0 {
            return Err("name is required");
        }
        if len > 50 {
            return Err("name must be at most 50 characters");
        }
        if name.chars().any(char::is_control) {
            return Err("name must not contain control characters");
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that meets the rules: 8..=128 characters with a letter and a digit.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let len = input.chars().count();
        if len < 8 {
            return Err("password must be at least 8 characters");
        }
        if len > 128 {
            return Err("password must be at most 128 characters");
        }
        if !input.chars().any(char::is_alphabetic) || !input.chars().any(|c| c.is_ascii_digit()) {
            return Err("password must contain a letter and a digit");
        }
        Ok(Self(input.to_string()))
    }

    /// Argon2id with the crate's default (OWASP-recommended) parameters. CPU-heavy: call it
    /// from a blocking thread.
    pub fn hash(&self) -> anyhow::Result<String> {
        hash_password(&self.0)
    }
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?
        .to_string())
}

/// Verifies a password against a stored hash. With `None` it still does the work of one
/// verification, so a login for an unknown email takes as long as one for a known email.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("not-a-real-password-0").expect("hashes"));
    let (hash, known) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && known
}

/// `users.role`; an unknown value read back is a decode error, never a silent fan.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "lowercase")]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Role {
    Fan,
    Admin,
    /// Scans tickets at one gate of one event (see `checkin::gates`).
    Gate,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Fan => "fan",
            Role::Admin => "admin",
            Role::Gate => "gate",
        }
    }
}

/// The claims of a Tiketi access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    pub jti: Uuid,
    pub iat: i64,
    pub exp: i64,
    /// The user's session generation when the token was issued; "sign out everywhere"
    /// raises the stored one, ending every older token at once.
    #[serde(default)]
    pub generation: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token is invalid or expired")]
    Invalid,
    #[error("token has been revoked")]
    Revoked,
    #[error("revocation check failed")]
    Store(#[from] redis::RedisError),
}

/// Issues and verifies HS256 tokens and tracks revocations in Redis.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
    keys: Keys,
}

impl Tokens {
    pub fn new(secret: &str, ttl: Duration, keys: Keys) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            ttl,
            keys,
        }
    }

    /// A token of the user's first session generation (tests and load-test fixtures; a
    /// sign-in uses [`Tokens::start_session`]).
    pub fn issue(&self, user_id: Uuid, role: Role) -> anyhow::Result<(String, Claims)> {
        self.issue_in(user_id, role, 0)
    }

    /// A token of the user's current session generation.
    pub async fn start_session(
        &self,
        user_id: Uuid,
        role: Role,
        redis: &mut crate::infra::redis::RedisConn,
    ) -> anyhow::Result<(String, Claims)> {
        let generation: Option<u64> = redis.get(self.keys.session_generation(user_id)).await?;
        self.issue_in(user_id, role, generation.unwrap_or(0))
    }

    fn issue_in(
        &self,
        user_id: Uuid,
        role: Role,
        generation: u64,
    ) -> anyhow::Result<(String, Claims)> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            role,
            jti: Uuid::new_v4(),
            iat: now,
            exp: now + self.ttl.as_secs() as i64,
            generation,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, claims))
    }

    /// Checks signature and expiry only (no Redis); see [`Tokens::verify`].
    pub fn decode(&self, token: &str) -> Result<Claims, TokenError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|_| TokenError::Invalid)
    }

    /// Signature, expiry and revocation (this token, or every session of the user).
    pub async fn verify(
        &self,
        token: &str,
        redis: &mut crate::infra::redis::RedisConn,
    ) -> Result<Claims, TokenError> {
        let claims = self.decode(token)?;
        self.check_revocation(&claims, redis).await?;
        Ok(claims)
    }

    /// Whether decoded claims are still good: not expired, not signed out, not ended by a
    /// "sign out everywhere". Open WebSockets call it again while they live.
    pub async fn check_revocation(
        &self,
        claims: &Claims,
        redis: &mut crate::infra::redis::RedisConn,
    ) -> Result<(), TokenError> {
        if claims.exp < Utc::now().timestamp() - self.validation.leeway as i64 {
            return Err(TokenError::Invalid);
        }
        // Both keys carry the user's hash tag: one slot, one round trip.
        let (revoked, generation): (Option<u8>, Option<u64>) = redis::cmd("MGET")
            .arg(self.keys.revoked_token(claims.sub, claims.jti))
            .arg(self.keys.session_generation(claims.sub))
            .query_async(redis)
            .await?;
        if revoked.is_some() || generation.unwrap_or(0) > claims.generation {
            return Err(TokenError::Revoked);
        }
        Ok(())
    }

    /// Ends every session of the user: tokens issued before now are refused. The counter
    /// never expires (one small key per account that used it): were it to expire and
    /// restart, tokens of a later generation would be valid again after the next raise.
    pub async fn end_all_sessions(
        &self,
        user_id: Uuid,
        redis: &mut crate::infra::redis::RedisConn,
    ) -> Result<(), TokenError> {
        let _: u64 = redis
            .incr(self.keys.session_generation(user_id), 1u64)
            .await?;
        Ok(())
    }

    /// Revokes a token until it would have expired.
    pub async fn revoke(
        &self,
        claims: &Claims,
        redis: &mut crate::infra::redis::RedisConn,
    ) -> Result<(), TokenError> {
        let ttl = (claims.exp - Utc::now().timestamp()).max(1) as u64;
        let _: () = redis
            .set_ex(self.keys.revoked_token(claims.sub, claims.jti), 1u8, ttl)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(
            Email::parse("  Fan@Example.COM ").unwrap().as_str(),
            "fan@example.com"
        );
        assert!(Email::parse("no-at-sign").is_err());
        assert!(Email::parse("a@localhost").is_err());
        assert!(Email::parse("").is_err());
    }

    #[test]
    fn password_rules() {
        assert!(NewPassword::parse("short1").is_err());
        assert!(NewPassword::parse("onlyletters").is_err());
        assert!(NewPassword::parse("12345678").is_err());
        assert!(NewPassword::parse("test1234").is_ok());
    }

    #[test]
    fn hashes_verify_and_unknown_users_never_do() {
        let hash = hash_password("test1234").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("test1234", Some(&hash)));
        assert!(!verify_password("test12345", Some(&hash)));
        assert!(!verify_password("not-a-real-password-0", None));
    }

    #[test]
    fn tokens_round_trip_and_reject_tampering_and_expiry() {
        let tokens = Tokens::new("secret", Duration::from_secs(60), Keys::new("t"));
        let (token, claims) = tokens.issue(Uuid::new_v4(), Role::Admin).unwrap();
        let decoded = tokens.decode(&token).unwrap();
        assert_eq!(decoded.sub, claims.sub);
        assert_eq!(decoded.role, Role::Admin);
        let other = Tokens::new("other", Duration::from_secs(60), Keys::new("t"));
        assert!(other.decode(&token).is_err());
        let expired = Tokens::new("secret", Duration::from_secs(0), Keys::new("t"));
        let mut old = expired.issue(Uuid::new_v4(), Role::Fan).unwrap().1;
        old.exp -= 60;
        let stale = jsonwebtoken::encode(&Header::default(), &old, &expired.encoding).unwrap();
        assert!(tokens.decode(&stale).is_err());
    }
}
