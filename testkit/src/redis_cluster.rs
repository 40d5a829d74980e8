//! A private Redis Cluster (3 masters, 3 replicas) for tests that fail masters over.
//!
//! Six `redis-server --cluster-enabled yes` processes on run-time ports (client and cluster
//! bus) in a temporary folder, joined with `redis-cli --cluster create`. Nodes fail over
//! fast (`cluster-node-timeout` 1 s) so a test sees a replica take over within seconds.
//! Everything is killed and removed when the handle drops.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let mut cluster = tiketi_testkit::redis_cluster::RedisCluster::start().await?;
//! let seeds = cluster.seed_urls(); // "redis://127.0.0.1:p1,redis://127.0.0.1:p2,..."
//! let master = cluster.master_of("some:{tag}:key").await?;
//! cluster.kill(master)?;
//! let new_master = cluster.wait_for_failover("some:{tag}:key", master).await?;
//! # Ok(()) }
//! ```

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context};

const MASTERS: usize = 3;
const NODES: usize = MASTERS * 2;
/// How long a silent master may stay silent before its replica takes over.
const NODE_TIMEOUT_MS: u64 = 1000;
const START_TIMEOUT: Duration = Duration::from_secs(30);
const FAILOVER_TIMEOUT: Duration = Duration::from_secs(30);

struct Node {
    port: u16,
    child: Option<Child>,
}

pub struct RedisCluster {
    nodes: Vec<Node>,
    dir: PathBuf,
}

impl RedisCluster {
    /// Starts six nodes, creates the cluster and waits until every slot is served and every
    /// replica has synchronised with its master (so a failover can happen at once).
    pub async fn start() -> anyhow::Result<Self> {
        for bin in ["redis-server", "redis-cli"] {
            Command::new(bin)
                .arg("--version")
                .output()
                .with_context(|| {
                    format!("{bin} is not on PATH (apt-get install redis-server redis-tools)")
                })?;
        }
        let ports = crate::ports::free_ports(NODES * 2)?;
        let dir = std::env::temp_dir().join(format!(
            "tiketi-redis-cluster-{}-{}",
            std::process::id(),
            ports[0]
        ));
        std::fs::create_dir_all(&dir)?;
        let mut cluster = Self {
            nodes: Vec::new(),
            dir,
        };
        for pair in ports.chunks(2) {
            let (port, bus) = (pair[0], pair[1]);
            let node_dir = cluster.dir.join(port.to_string());
            std::fs::create_dir_all(&node_dir)?;
            let child = Command::new("redis-server")
                .args(["--port", &port.to_string()])
                .args(["--cluster-port", &bus.to_string()])
                .args(["--bind", "127.0.0.1", "--protected-mode", "no"])
                .args(["--cluster-enabled", "yes"])
                .args(["--cluster-node-timeout", &NODE_TIMEOUT_MS.to_string()])
                // A replica may take over however long it was disconnected.
                .args(["--cluster-replica-validity-factor", "0"])
                .args(["--save", "", "--appendonly", "no"])
                .arg("--dir")
                .arg(&node_dir)
                .arg("--logfile")
                .arg(node_dir.join("redis.log"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .context("cannot start redis-server")?;
            cluster.nodes.push(Node {
                port,
                child: Some(child),
            });
        }
        for node in &cluster.nodes {
            wait_until(START_TIMEOUT, || async {
                cli(node.port, &["PING"]).await.is_ok_and(|r| r == "PONG")
            })
            .await
            .with_context(|| format!("redis node {} did not start", node.port))?;
        }
        let mut create = tokio::process::Command::new("redis-cli");
        create.arg("--cluster").arg("create");
        for node in &cluster.nodes {
            create.arg(format!("127.0.0.1:{}", node.port));
        }
        let out = create
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .stdin(Stdio::null())
            .output()
            .await?;
        if !out.status.success() {
            bail!(
                "redis-cli --cluster create failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let ports: Vec<u16> = cluster.ports();
        wait_until(START_TIMEOUT, || {
            let ports = ports.clone();
            async move { ready(&ports).await.unwrap_or(false) }
        })
        .await
        .context("the Redis Cluster did not become ready")?;
        Ok(cluster)
    }

    /// Every node's client port, killed ones included.
    pub fn ports(&self) -> Vec<u16> {
        self.nodes.iter().map(|n| n.port).collect()
    }

    /// The comma-separated seed list for `REDIS_URL` in `REDIS_MODE=cluster`.
    pub fn seed_urls(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("redis://127.0.0.1:{}", n.port))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The client port of the master serving `key`'s slot now.
    pub async fn master_of(&self, key: &str) -> anyhow::Result<u16> {
        let alive = self.alive_port()?;
        let slot: u16 = cli(alive, &["CLUSTER", "KEYSLOT", key]).await?.parse()?;
        master_of_slot(alive, slot)
            .await?
            .with_context(|| format!("no live master serves slot {slot}"))
    }

    /// The client ports of the masters serving slots now.
    pub async fn masters(&self) -> anyhow::Result<Vec<u16>> {
        Ok(masters(self.alive_port()?)
            .await?
            .into_iter()
            .filter(|(_, ranges)| !ranges.is_empty())
            .map(|(port, _)| port)
            .collect())
    }

    /// Moves `key`'s slot, with its keys, to the master on `to` the way resharding does
    /// (IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE), so clients meet `ASK` and `MOVED`.
    pub async fn move_slot_of(&self, key: &str, to: u16) -> anyhow::Result<()> {
        let from = self.master_of(key).await?;
        anyhow::ensure!(from != to, "{key} is served by {to} already");
        let slot = cli(from, &["CLUSTER", "KEYSLOT", key]).await?;
        let from_id = cli(from, &["CLUSTER", "MYID"]).await?;
        let to_id = cli(to, &["CLUSTER", "MYID"]).await?;
        cli(to, &["CLUSTER", "SETSLOT", &slot, "IMPORTING", &from_id]).await?;
        cli(from, &["CLUSTER", "SETSLOT", &slot, "MIGRATING", &to_id]).await?;
        loop {
            let keys = cli(from, &["CLUSTER", "GETKEYSINSLOT", &slot, "100"]).await?;
            let keys: Vec<&str> = keys.lines().filter(|k| !k.is_empty()).collect();
            if keys.is_empty() {
                break;
            }
            let to_port = to.to_string();
            let mut args = vec!["MIGRATE", "127.0.0.1", &to_port, "", "0", "5000", "KEYS"];
            args.extend(keys);
            cli(from, &args).await?;
        }
        for port in self.masters().await? {
            cli(port, &["CLUSTER", "SETSLOT", &slot, "NODE", &to_id]).await?;
        }
        Ok(())
    }

    /// Kills the node on `port` with SIGKILL: no shutdown, no goodbye to its peers.
    pub fn kill(&mut self, port: u16) -> anyhow::Result<()> {
        let node = self
            .nodes
            .iter_mut()
            .find(|n| n.port == port)
            .with_context(|| format!("no node on port {port}"))?;
        let mut child = node.child.take().context("node already killed")?;
        child.kill()?;
        child.wait()?;
        Ok(())
    }

    /// Waits until `key`'s slot is served by a master other than `old` and the cluster is
    /// healthy again; returns the new master's port.
    pub async fn wait_for_failover(&self, key: &str, old: u16) -> anyhow::Result<u16> {
        let deadline = Instant::now() + FAILOVER_TIMEOUT;
        loop {
            if let Ok(master) = self.master_of(key).await {
                let state = cli(master, &["CLUSTER", "INFO"]).await.unwrap_or_default();
                if master != old && state.contains("cluster_state:ok") {
                    return Ok(master);
                }
            }
            if Instant::now() > deadline {
                bail!("no replica took over {key}'s slot from {old} within {FAILOVER_TIMEOUT:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn alive_port(&self) -> anyhow::Result<u16> {
        self.nodes
            .iter()
            .find(|n| n.child.is_some())
            .map(|n| n.port)
            .context("every node was killed")
    }
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            if let Some(mut child) = node.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One `redis-cli` command against a node; the reply, trimmed.
async fn cli(port: u16, args: &[&str]) -> anyhow::Result<String> {
    let out = tokio::process::Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .await?;
    if !out.status.success() {
        bail!("redis-cli -p {port} {args:?} failed");
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `CLUSTER NODES` lines of masters that are not failed: (port, slot ranges).
async fn masters(port: u16) -> anyhow::Result<Vec<(u16, Vec<(u16, u16)>)>> {
    let nodes = cli(port, &["CLUSTER", "NODES"]).await?;
    Ok(nodes
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let flags = fields.get(2)?;
            if !flags.contains("master") || flags.contains("fail") {
                return None;
            }
            let port = fields
                .get(1)?
                .split(['@', ','])
                .next()?
                .rsplit(':')
                .next()?
                .parse()
                .ok()?;
            let ranges = fields
                .iter()
                .skip(8)
                .filter(|r| !r.starts_with('['))
                .filter_map(|r| match r.split_once('-') {
                    Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
                    None => r.parse().ok().map(|s| (s, s)),
                })
                .collect();
            Some((port, ranges))
        })
        .collect())
}

async fn master_of_slot(port: u16, slot: u16) -> anyhow::Result<Option<u16>> {
    Ok(masters(port)
        .await?
        .into_iter()
        .find(|(_, ranges)| ranges.iter().any(|(a, b)| (*a..=*b).contains(&slot)))
        .map(|(p, _)| p))
}

/// Every node reports `cluster_state:ok`, three masters serve slots, and every replica's
/// link to its master is up.
async fn ready(ports: &[u16]) -> anyhow::Result<bool> {
    let mut replicas_up = 0;
    for &port in ports {
        if !cli(port, &["CLUSTER", "INFO"])
            .await?
            .contains("cluster_state:ok")
        {
            return Ok(false);
        }
        let replication = cli(port, &["INFO", "replication"]).await?;
        if replication.contains("role:slave") {
            if !replication.contains("master_link_status:up") {
                return Ok(false);
            }
            replicas_up += 1;
        }
    }
    let serving = masters(ports[0])
        .await?
        .iter()
        .filter(|(_, r)| !r.is_empty())
        .count();
    Ok(serving == MASTERS && replicas_up == NODES - MASTERS)
}

async fn wait_until<F, Fut>(timeout: Duration, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    while !check().await {
        if Instant::now() > deadline {
            bail!("timed out after {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_replica_takes_over_a_killed_master() {
        let mut cluster = RedisCluster::start().await.unwrap();
        assert_eq!(cluster.seed_urls().split(',').count(), NODES);
        let key = "testkit:{failover}:k";
        let master = cluster.master_of(key).await.unwrap();
        assert_eq!(cli(master, &["SET", key, "v"]).await.unwrap(), "OK");
        // The write must reach the replica before the master dies: WAIT says how many
        // replicas acknowledged it (0 while the replica is still syncing), so ask until one has.
        let mut acked = String::new();
        for _ in 0..20 {
            acked = cli(master, &["WAIT", "1", "1000"]).await.unwrap();
            if acked.trim() != "0" {
                break;
            }
        }
        assert_eq!(acked.trim(), "1", "no replica acknowledged the write");
        cluster.kill(master).unwrap();
        let promoted = cluster.wait_for_failover(key, master).await.unwrap();
        assert_ne!(promoted, master);
        assert_eq!(cli(promoted, &["GET", key]).await.unwrap(), "v");
    }
}
