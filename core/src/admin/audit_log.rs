//! The admin audit log: who changed what, when, with the before and after of each changed
//! field. Entries are written inside the transaction of the change itself, so a change that
//! rolls back leaves no entry and a committed one always has one. (Not `crate::reservation::audit`, which
//! checks the reservation invariants.)

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{FieldErrors, Filters, Page};
use crate::{event::time::EventZone, event::Pagination};

/// `audit_log.entity_type`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum EntityType {
    Event,
    Layout,
    /// A gate account (`users.id` of the role `gate`).
    GateAccount,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Event => "event",
            EntityType::Layout => "layout",
            EntityType::GateAccount => "gate_account",
        }
    }
}

/// What was done, as `<entity>.<verb>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    EventCreate,
    EventUpdate,
    EventCancel,
    LayoutCreate,
    GateAccountCreate,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::EventCreate,
        Action::EventUpdate,
        Action::EventCancel,
        Action::LayoutCreate,
        Action::GateAccountCreate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::EventCreate => "event.create",
            Action::EventUpdate => "event.update",
            Action::EventCancel => "event.cancel",
            Action::LayoutCreate => "layout.create",
            Action::GateAccountCreate => "gate_account.create",
        }
    }

    fn entity_type(self) -> EntityType {
        match self {
            Action::LayoutCreate => EntityType::Layout,
            Action::GateAccountCreate => EntityType::GateAccount,
            _ => EntityType::Event,
        }
    }
}

/// `{field: {"before": …, "after": …}}`.
pub type Changes = Map<String, Value>;

/// The fields that differ between two API representations of an entity; nested objects
/// are compared key by key (`queue.strategy`). Fields in `skip` are left out.
pub fn diff(before: &Value, after: &Value, skip: &[&str]) -> Changes {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    let mut out = Changes::new();
    for key in keys {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let (bv, av) = (
            b.get(key).unwrap_or(&Value::Null),
            a.get(key).unwrap_or(&Value::Null),
        );
        if bv == av {
            continue;
        }
        if bv.is_object() && av.is_object() {
            for (sub, change) in diff(bv, av, &[]) {
                out.insert(format!("{key}.{sub}"), change);
            }
        } else {
            out.insert(key.clone(), json!({ "before": bv, "after": av }));
        }
    }
    out
}

/// Records one admin write in the caller's transaction.
pub async fn record(
    conn: &mut PgConnection,
    actor: Uuid,
    action: Action,
    entity_id: Uuid,
    changes: Changes,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO audit_log (actor_id, action, entity_type, entity_id, changes)
         VALUES ($1, $2, $3, $4, $5)",
        actor,
        action.as_str(),
        action.entity_type() as EntityType,
        entity_id,
        sqlx::types::Json(Value::Object(changes)) as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The query string of `GET /api/admin/audit`, as sent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct AuditParams {
    /// The admin's email.
    pub actor: Option<String>,
    /// event | layout | gate_account
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// event.create | event.update | event.cancel | layout.create | gate_account.create
    pub action: Option<String>,
    /// An instant, or a date (whole day, Asia/Seoul) from which on.
    pub from: Option<String>,
    /// An instant, or a date (whole day, Asia/Seoul) up to which.
    pub to: Option<String>,
    pub page: Option<String>,
    pub limit: Option<String>,
}

/// A checked audit query.
#[derive(Debug, Clone)]
pub struct AuditQuery {
    pub actor_email: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<Uuid>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub page: Page,
}

impl AuditParams {
    pub fn parse(&self) -> Result<AuditQuery, FieldErrors> {
        let mut f = Filters::default();
        let actions: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        let actor_email = f.text("actor", &self.actor, 254).map(|e| e.to_lowercase());
        let entity_type = f.one_of(
            "entityType",
            &self.entity_type,
            &["event", "layout", "gate_account"],
        );
        let entity_id = f.uuid("entityId", &self.entity_id);
        let action = f.one_of("action", &self.action, &actions);
        let from = f.from("from", &self.from);
        let until = f.until("to", &self.to);
        f.range(from, until);
        let page = f.page(&self.page, &self.limit);
        f.finish(AuditQuery {
            actor_email,
            entity_type,
            entity_id,
            action,
            from,
            until,
            page,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Actor {
    pub id: Uuid,
    pub email: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub actor: Actor,
    pub action: String,
    pub entity_type: EntityType,
    pub entity_id: Uuid,
    /// `{field: {before, after}}`; instants as the API showed them.
    #[schema(value_type = Object)]
    pub changes: Value,
    /// When it happened (Asia/Seoul offset).
    pub at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub pagination: Pagination,
}

struct EntryRow {
    id: i64,
    actor_id: Uuid,
    email: String,
    action: String,
    entity_type: EntityType,
    entity_id: Uuid,
    changes: sqlx::types::Json<Value>,
    at: DateTime<Utc>,
}

/// Entries newest first.
pub async fn list(pool: &PgPool, q: &AuditQuery) -> Result<AuditPage, sqlx::Error> {
    let total = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!" FROM audit_log a JOIN users u ON u.id = a.actor_id
        WHERE ($1::text IS NULL OR u.email = $1)
          AND ($2::text IS NULL OR a.entity_type = $2)
          AND ($3::uuid IS NULL OR a.entity_id = $3)
          AND ($4::text IS NULL OR a.action = $4)
          AND ($5::timestamptz IS NULL OR a.at >= $5)
          AND ($6::timestamptz IS NULL OR a.at < $6)"#,
        q.actor_email,
        q.entity_type,
        q.entity_id,
        q.action,
        q.from,
        q.until,
    )
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query_as!(
        EntryRow,
        r#"SELECT a.id, a.actor_id, u.email, a.action, a.entity_type AS "entity_type: EntityType",
                a.entity_id, a.changes AS "changes: sqlx::types::Json<Value>", a.at
        FROM audit_log a JOIN users u ON u.id = a.actor_id
        WHERE ($1::text IS NULL OR u.email = $1)
          AND ($2::text IS NULL OR a.entity_type = $2)
          AND ($3::uuid IS NULL OR a.entity_id = $3)
          AND ($4::text IS NULL OR a.action = $4)
          AND ($5::timestamptz IS NULL OR a.at >= $5)
          AND ($6::timestamptz IS NULL OR a.at < $6)
        ORDER BY a.at DESC, a.id DESC LIMIT $7 OFFSET $8"#,
        q.actor_email,
        q.entity_type,
        q.entity_id,
        q.action,
        q.from,
        q.until,
        i64::from(q.page.limit),
        q.page.offset(),
    )
    .fetch_all(pool)
    .await?;
    Ok(AuditPage {
        entries: rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                actor: Actor {
                    id: r.actor_id,
                    email: r.email,
                },
                action: r.action,
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                changes: r.changes.0,
                at: EventZone::SEOUL.format(r.at),
            })
            .collect(),
        pagination: q.page.pagination(total),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_reports_changed_fields_and_nested_keys() {
        let before = json!({"title": "A", "venue": "V", "queue": {"enabled": false, "maxActive": 5}, "updatedAt": "x"});
        let after = json!({"title": "B", "venue": "V", "queue": {"enabled": true, "maxActive": 5}, "updatedAt": "y"});
        let d = diff(&before, &after, &["updatedAt"]);
        assert_eq!(
            Value::Object(d),
            json!({
                "title": {"before": "A", "after": "B"},
                "queue.enabled": {"before": false, "after": true},
            })
        );
        let created = diff(&Value::Null, &json!({"title": "A"}), &[]);
        assert_eq!(created["title"], json!({"before": null, "after": "A"}));
        assert!(diff(&before, &before, &[]).is_empty());
    }
}
