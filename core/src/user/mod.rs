//! Fan and admin accounts.

pub mod auth;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::user::auth::{Email, Role, UserName};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    role: Role,
    created_at: DateTime<Utc>,
    password_hash: String,
}

impl From<&UserRow> for User {
    fn from(r: &UserRow) -> Self {
        User {
            id: r.id,
            email: r.email.clone(),
            name: r.name.clone(),
            role: r.role,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("email is already registered")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub async fn create(
    pool: &PgPool,
    email: &Email,
    name: &UserName,
    password_hash: &str,
    role: Role,
) -> Result<User, CreateUserError> {
    let row = sqlx::query_as!(
        UserRow,
        r#"INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4)
         RETURNING id, email, name, role AS "role: Role", created_at, password_hash"#,
        email.as_str(),
        name.as_str(),
        password_hash,
        role as Role,
    )
    .fetch_one(pool)
    .await
    .map_err(|e| match crate::infra::db::violated_constraint(&e) {
        Some("users_email_key") => CreateUserError::EmailTaken,
        _ => CreateUserError::Db(e),
    })?;
    Ok(User::from(&row))
}

/// The user and their password hash, for login.
pub async fn find_credentials(
    pool: &PgPool,
    email: &Email,
) -> Result<Option<(User, String)>, sqlx::Error> {
    let row = sqlx::query_as!(
        UserRow,
        r#"SELECT id, email, name, role AS "role: Role", created_at, password_hash
        FROM users WHERE email = $1"#,
        email.as_str(),
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (User::from(&r), r.password_hash)))
}

pub async fn find(pool: &PgPool, id: Uuid) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query_as!(
        UserRow,
        r#"SELECT id, email, name, role AS "role: Role", created_at, password_hash
        FROM users WHERE id = $1"#,
        id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(User::from))
}
