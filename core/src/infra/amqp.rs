//! The RabbitMQ connection: connected once, reconnected on demand, and checked by health.
//!
//! `AMQP_URL` may name several nodes of one RabbitMQ cluster, separated by commas
//! (`amqp://u:p@h1:5672/vh,amqp://u:p@h2:5672/vh`). A process connects to the first node
//! that answers; when its node fails it moves on to the next one in the list (wrapping
//! around), so a dead node is not retried first while its neighbours are up.

use std::{
    sync::atomic::{AtomicUsize, Ordering},
    time::Duration,
};

use lapin::{Connection, ConnectionProperties};
use tokio::sync::RwLock;

/// How long one node may take to accept a connection before the next one is tried; a
/// node whose host vanished would otherwise hold a reconnect for the OS's TCP timeout.
const NODE_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Splits `AMQP_URL` into its node URLs, checking each one's syntax.
pub fn node_urls(list: &str) -> Result<Vec<String>, String> {
    let urls: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if urls.is_empty() {
        return Err("no node URL given".into());
    }
    for url in &urls {
        url.parse::<lapin::uri::AMQPUri>()
            .map_err(|e| format!("node {}: {e}", redact(url)))?;
    }
    Ok(urls)
}

/// A node URL without its password, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…{}", &url[..scheme], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Opens one connection to one node. Everything that connects to RabbitMQ comes through
/// here, so transport options (TLS) are set in one place.
async fn connect_node(url: &str, name: &str) -> anyhow::Result<Connection> {
    let props = ConnectionProperties::default().with_connection_name(name.into());
    crate::infra::tls::amqp_connect(url, props).await
}

/// The nodes of one cluster and which one to try first.
#[derive(Debug)]
pub struct Nodes {
    urls: Vec<String>,
    /// Index of the node to try first: the last one that worked, or the one after the
    /// last one that failed.
    next: AtomicUsize,
}

impl Nodes {
    /// Takes `AMQP_URL`; an unreadable list is reported by the first connect.
    pub fn new(list: &str) -> Self {
        let urls = node_urls(list).unwrap_or_else(|_| vec![list.trim().to_string()]);
        Self {
            urls,
            next: AtomicUsize::new(0),
        }
    }

    pub fn len(&self) -> usize {
        self.urls.len()
    }

    pub fn is_empty(&self) -> bool {
        self.urls.is_empty()
    }

    /// Connects to the first node that answers, starting with the preferred one.
    pub async fn connect(&self, name: &str) -> anyhow::Result<Connection> {
        let start = self.next.load(Ordering::Relaxed);
        let mut errors = Vec::new();
        let mut rejected = None;
        for i in 0..self.urls.len() {
            let index = (start + i) % self.urls.len();
            let url = &self.urls[index];
            let attempt = tokio::time::timeout(NODE_CONNECT_TIMEOUT, connect_node(url, name));
            match attempt.await {
                Ok(Ok(conn)) => {
                    // A failure of this node later sends the next reconnect to its neighbour.
                    self.next
                        .store((index + 1) % self.urls.len(), Ordering::Relaxed);
                    if i > 0 || self.urls.len() > 1 {
                        tracing::info!(node = %redact(url), "connected to RabbitMQ");
                    }
                    return Ok(conn);
                }
                Ok(Err(e)) => {
                    errors.push(format!("{}: {e}", redact(url)));
                    // A refused certificate is a misconfiguration, whatever the other
                    // nodes did: keep it so the caller stops instead of retrying forever.
                    if rejected.is_none() && crate::infra::tls::is_rejected(&e) {
                        rejected = Some(e);
                    }
                }
                Err(_) => errors.push(format!("{}: timed out", redact(url))),
            }
        }
        let summary = format!("cannot connect to AMQP_URL: {}", errors.join("; "));
        match rejected {
            Some(e) => Err(e.context(summary)),
            None => Err(anyhow::anyhow!(summary)),
        }
    }
}

/// A shared RabbitMQ connection that reconnects when it has been lost.
pub struct Broker {
    nodes: Nodes,
    connection: RwLock<Option<Connection>>,
}

impl Broker {
    /// Does not connect yet: a process may start while RabbitMQ is down and report it.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            nodes: Nodes::new(&url.into()),
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
        let opened = {
            let guard = self.connection.read().await;
            let conn = guard
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("no connection"))?;
            conn.create_channel().await
        };
        match opened {
            Ok(channel) => Ok(channel),
            Err(e) => {
                // A connection that cannot open a channel is dead even if it does not know
                // yet (a node killed mid-frame): drop it so the next call reconnects.
                if let Some(conn) = self.connection.write().await.take() {
                    tokio::spawn(async move {
                        let close = conn.close(320, "channel open failed");
                        let _ = tokio::time::timeout(Duration::from_secs(5), close).await;
                    });
                }
                Err(e.into())
            }
        }
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
        *guard = Some(self.nodes.connect("tiketi").await?);
        Ok(())
    }

    pub async fn close(&self) {
        if let Some(conn) = self.connection.write().await.take() {
            let _ = conn.close(200, "shutdown").await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_lists_split_trim_and_check_each_url() {
        let urls = node_urls(" amqp://u:p@h1:5672/vh , amqp://u:p@h2:5673/vh,").unwrap();
        assert_eq!(urls, ["amqp://u:p@h1:5672/vh", "amqp://u:p@h2:5673/vh"]);
        assert!(node_urls(" , ").is_err());
        let err = node_urls("amqp://u:secret@h1/vh,http://u:secret@h2/").unwrap_err();
        assert!(err.contains("h2"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }

    #[tokio::test]
    async fn connect_moves_past_nodes_that_refuse() {
        // Two closed ports: both are tried and both named, no password in the message.
        let ports = [closed_port(), closed_port()];
        let list = format!(
            "amqp://u:secret@127.0.0.1:{}/%2f,amqp://u:secret@127.0.0.1:{}/%2f",
            ports[0], ports[1]
        );
        let nodes = Nodes::new(&list);
        assert_eq!(nodes.len(), 2);
        let err = nodes.connect("test").await.unwrap_err().to_string();
        assert!(err.contains("AMQP_URL"), "{err}");
        for p in ports {
            assert!(err.contains(&p.to_string()), "{err}");
        }
        assert!(!err.contains("secret"), "{err}");
    }

    #[tokio::test]
    async fn connect_skips_a_dead_node_and_prefers_the_next_one_after_it() {
        let live = std::env::var("AMQP_URL")
            .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into());
        let dead = format!("amqp://guest:guest@127.0.0.1:{}/%2f", closed_port());
        let nodes = Nodes::new(&format!("{dead},{live}"));
        let conn = nodes.connect("test").await.unwrap();
        assert!(conn.status().connected());
        // The live node (index 1) worked, so the next reconnect starts after it.
        assert_eq!(nodes.next.load(Ordering::Relaxed), 0);
        let _ = conn.close(200, "done").await;
    }

    fn closed_port() -> u16 {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }
}
