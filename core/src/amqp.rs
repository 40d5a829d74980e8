//! The RabbitMQ connection: connected once, reconnected on demand, and checked by health.

use std::time::Duration;

use lapin::{Connection, ConnectionProperties};
use tokio::sync::RwLock;

/// A shared RabbitMQ connection that reconnects when it has been lost.
pub struct Broker {
    url: String,
    connection: RwLock<Option<Connection>>,
}

impl Broker {
    /// Does not connect yet: a process may start while RabbitMQ is down and report it.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            connection: RwLock::new(None),
        }
    }

    pub async fn connect(&self) -> anyhow::Result<()> {
        self.ensure().await.map(|_| ())
    }

    /// True when a live connection exists or can be made within `timeout`.
    pub async fn is_reachable(&self, timeout: Duration) -> bool {
        matches!(
            tokio::time::timeout(timeout, self.ensure()).await,
            Ok(Ok(_))
        )
    }

    /// Opens a channel on the live connection, reconnecting first if needed.
    pub async fn channel(&self) -> anyhow::Result<lapin::Channel> {
        self.ensure().await?;
        let guard = self.connection.read().await;
        let conn = guard
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("no connection"))?;
        Ok(conn.create_channel().await?)
    }

    async fn ensure(&self) -> anyhow::Result<()> {
        if let Some(conn) = self.connection.read().await.as_ref() {
            if conn.status().connected() {
                return Ok(());
            }
        }
        let mut guard = self.connection.write().await;
        if let Some(conn) = guard.as_ref() {
            if conn.status().connected() {
                return Ok(());
            }
        }
        let props = ConnectionProperties::default().with_connection_name("tiketi".into());
        let conn = crate::tls::amqp_connect(&self.url, props).await?;
        *guard = Some(conn);
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(conn) = self.connection.write().await.take() {
            let _ = conn.close(200, "shutdown").await;
        }
    }
}
