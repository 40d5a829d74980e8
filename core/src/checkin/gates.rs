//! Gate accounts: an organizer creates them per event with a gate name. A gate account can
//! scan only its event at its gate; an admin can scan any event at any gate name.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::{CheckinError, Scanner};
use crate::{
    admin::audit_log::{self, Action},
    user::auth::{Email, NewPassword, Role, UserName},
};

pub const MAX_GATE_LEN: usize = 40;

/// A gate name: trimmed, 1..=40 characters, no control characters.
pub fn parse_gate(input: &str) -> Result<String, &'static str> {
    let gate = input.trim();
    if gate.is_empty() {
        return Err("gate is required");
    }
    if gate.chars().count() > MAX_GATE_LEN {
        return Err("gate must be at most 40 characters");
    }
    if gate.chars().any(char::is_control) {
        return Err("gate may not contain control characters");
    }
    Ok(gate.to_string())
}

/// May `user_id` scan tickets of `event_id` at `requested_gate`? A gate account scans at
/// its own gate (a missing gate means that one); an admin must name the gate.
pub async fn authorize(
    pool: &PgPool,
    user_id: Uuid,
    event_id: Uuid,
    requested_gate: Option<&str>,
) -> Result<Scanner, CheckinError> {
    let row = sqlx::query!(
        r#"SELECT u.role AS "role: Role", g.event_id AS "event_id?", g.gate AS "gate?"
           FROM users u LEFT JOIN gate_accounts g ON g.user_id = u.id
           WHERE u.id = $1"#,
        user_id
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Err(CheckinError::Forbidden {
            code: "CHECKIN_FORBIDDEN",
            message: "only gate accounts and administrators can check tickets in",
        });
    };
    let requested = requested_gate
        .map(parse_gate)
        .transpose()
        .map_err(|m| CheckinError::field("gate", m))?;
    match (row.role, row.event_id, row.gate) {
        (Role::Admin, _, _) => {
            let exists = sqlx::query_scalar!(
                r#"SELECT EXISTS (SELECT 1 FROM events WHERE id = $1) AS "exists!""#,
                event_id
            )
            .fetch_one(pool)
            .await?;
            if !exists {
                return Err(CheckinError::EventNotFound);
            }
            let gate = requested.ok_or_else(|| CheckinError::field("gate", "gate is required"))?;
            Ok(Scanner {
                user_id,
                event_id,
                gate,
            })
        }
        (Role::Gate, Some(account_event), Some(gate)) => {
            if account_event != event_id {
                return Err(CheckinError::Forbidden {
                    code: "GATE_OTHER_EVENT",
                    message: "this gate account belongs to another event",
                });
            }
            if requested.is_some_and(|r| r != gate) {
                return Err(CheckinError::Forbidden {
                    code: "GATE_MISMATCH",
                    message: "this account scans only at its own gate",
                });
            }
            Ok(Scanner {
                user_id,
                event_id,
                gate,
            })
        }
        _ => Err(CheckinError::Forbidden {
            code: "CHECKIN_FORBIDDEN",
            message: "only gate accounts and administrators can check tickets in",
        }),
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GateAccount {
    pub user_id: Uuid,
    pub email: String,
    pub name: String,
    pub event_id: Uuid,
    pub gate: String,
    pub created_at: DateTime<Utc>,
}

/// The gate account a signed-in gate user belongs to.
pub async fn of_user(pool: &PgPool, user_id: Uuid) -> Result<Option<GateAccount>, sqlx::Error> {
    sqlx::query_as!(
        GateAccount,
        "SELECT g.user_id, u.email, u.name, g.event_id, g.gate, g.created_at
         FROM gate_accounts g JOIN users u ON u.id = g.user_id WHERE g.user_id = $1",
        user_id
    )
    .fetch_optional(pool)
    .await
}

pub async fn list(pool: &PgPool, event_id: Uuid) -> Result<Vec<GateAccount>, sqlx::Error> {
    sqlx::query_as!(
        GateAccount,
        "SELECT g.user_id, u.email, u.name, g.event_id, g.gate, g.created_at
         FROM gate_accounts g JOIN users u ON u.id = g.user_id
         WHERE g.event_id = $1 ORDER BY g.gate, u.email",
        event_id
    )
    .fetch_all(pool)
    .await
}

pub struct NewGateAccount {
    pub email: Email,
    pub name: UserName,
    pub gate: String,
    /// Argon2 hash of the account's password (hash off the async threads).
    pub password_hash: String,
}

impl NewGateAccount {
    /// Checks the whole input into per-field errors; returns the password to hash.
    pub fn parse(
        email: &str,
        name: &str,
        gate: &str,
        password: &str,
    ) -> Result<(Email, UserName, String, NewPassword), CheckinError> {
        let mut errors = Vec::new();
        let email = Email::parse(email).map_err(|m| errors.push(("email".into(), m.into())));
        let name = UserName::parse(name).map_err(|m| errors.push(("name".into(), m.into())));
        let gate = parse_gate(gate).map_err(|m| errors.push(("gate".into(), m.into())));
        let password =
            NewPassword::parse(password).map_err(|m| errors.push(("password".into(), m.into())));
        match (email, name, gate, password) {
            (Ok(e), Ok(n), Ok(g), Ok(p)) => Ok((e, n, g, p)),
            _ => Err(CheckinError::Invalid(errors)),
        }
    }
}

/// Creates the user (role `gate`) and its gate account in one transaction.
pub async fn create(
    pool: &PgPool,
    event_id: Uuid,
    created_by: Uuid,
    account: NewGateAccount,
) -> Result<GateAccount, CheckinError> {
    let mut tx = pool.begin().await?;
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM events WHERE id = $1) AS "exists!""#,
        event_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if !exists {
        return Err(CheckinError::EventNotFound);
    }
    let user_id = sqlx::query_scalar!(
        "INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING id",
        account.email.as_str(),
        account.name.as_str(),
        account.password_hash,
        Role::Gate.as_str(),
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match crate::infra::db::violated_constraint(&e) {
        Some("users_email_key") => CheckinError::Conflict {
            code: "EMAIL_TAKEN",
            message: "an account with this e-mail already exists".into(),
        },
        _ => CheckinError::Db(e),
    })?;
    let created = sqlx::query_as!(
        GateAccount,
        r#"WITH g AS (
               INSERT INTO gate_accounts (user_id, event_id, gate, created_by) VALUES ($1, $2, $3, $4)
               RETURNING user_id, event_id, gate, created_at)
           SELECT g.user_id AS "user_id!", $5::text AS "email!", $6::text AS "name!",
                  g.event_id AS "event_id!", g.gate AS "gate!", g.created_at AS "created_at!"
           FROM g"#,
        user_id,
        event_id,
        account.gate,
        created_by,
        account.email.as_str(),
        account.name.as_str(),
    )
    .fetch_one(&mut *tx)
    .await?;
    // Who may scan an event's tickets is an admin decision worth a trace: same transaction.
    let changes = audit_log::diff(
        &serde_json::Value::Null,
        &serde_json::json!({
            "email": created.email,
            "name": created.name,
            "eventId": created.event_id,
            "gate": created.gate,
        }),
        &[],
    );
    audit_log::record(
        &mut tx,
        created_by,
        Action::GateAccountCreate,
        created.user_id,
        changes,
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}
