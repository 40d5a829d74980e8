//! Fan and admin accounts.

pub mod auth;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    mail::Locale,
    user::auth::{Email, Role, UserName},
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The language of the fan's e-mails (`ko` or `en`).
    pub locale: Locale,
    pub created_at: DateTime<Utc>,
}

struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    role: Role,
    locale: Locale,
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
            locale: r.locale,
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
    locale: Locale,
) -> Result<User, CreateUserError> {
    let row = sqlx::query_as!(
        UserRow,
        r#"INSERT INTO users (email, name, password_hash, role, locale) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, email, name, role AS "role: Role", locale AS "locale: Locale", created_at,
                   password_hash"#,
        email.as_str(),
        name.as_str(),
        password_hash,
        role as Role,
        locale as Locale,
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
        r#"SELECT id, email, name, role AS "role: Role", locale AS "locale: Locale", created_at,
                password_hash
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
        r#"SELECT id, email, name, role AS "role: Role", locale AS "locale: Locale", created_at,
                password_hash
        FROM users WHERE id = $1"#,
        id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(User::from))
}

/// Changes the language of the user's e-mails; `None` when there is no such user.
pub async fn set_locale(
    pool: &PgPool,
    id: Uuid,
    locale: Locale,
) -> Result<Option<User>, sqlx::Error> {
    let updated = sqlx::query!(
        "UPDATE users SET locale = $2 WHERE id = $1",
        id,
        locale as Locale
    )
    .execute(pool)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(None);
    }
    find(pool, id).await
}
