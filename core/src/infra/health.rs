//! Dependency checks behind every binary's health endpoint.

use std::time::Duration;

use serde::Serialize;

use crate::infra::amqp::Broker;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Ok,
    Down,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Checks {
    pub postgres: CheckStatus,
    pub redis: CheckStatus,
    pub rabbitmq: CheckStatus,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` when every dependency answers, `unhealthy` otherwise.
    pub status: &'static str,
    pub checks: Checks,
}

impl Health {
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

const TIMEOUT: Duration = Duration::from_secs(2);

fn status(ok: bool) -> CheckStatus {
    if ok {
        CheckStatus::Ok
    } else {
        CheckStatus::Down
    }
}

/// Checks all three dependencies concurrently, each bounded by a timeout.
pub async fn check(
    pool: &sqlx::PgPool,
    redis: &crate::infra::redis::RedisConn,
    broker: &Broker,
) -> Health {
    let pg = async {
        matches!(
            tokio::time::timeout(TIMEOUT, sqlx::query!("SELECT 1 AS one").fetch_one(pool)).await,
            Ok(Ok(_))
        )
    };
    let rd = async {
        let mut conn = redis.clone();
        matches!(
            tokio::time::timeout(TIMEOUT, redis::cmd("PING").query_async::<String>(&mut conn))
                .await,
            Ok(Ok(_))
        )
    };
    let mq = broker.is_reachable(TIMEOUT);
    let (pg, rd, mq) = tokio::join!(pg, rd, mq);
    Health {
        status: if pg && rd && mq { "ok" } else { "unhealthy" },
        checks: Checks {
            postgres: status(pg),
            redis: status(rd),
            rabbitmq: status(mq),
        },
    }
}
