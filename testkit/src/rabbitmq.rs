//! A private 3-node RabbitMQ cluster for tests that kill a node under load.
//!
//! The machine's broker (node `rabbit@<host>` on port 5672, registered with the shared
//! epmd on 4369) is never touched: the nodes here are named `tk-<random>-N@localhost`,
//! register with an epmd of their own on a run-time port (`ERL_EPMD_PORT`), listen on
//! run-time AMQP and distribution ports, share an Erlang cookie through a temporary `HOME`,
//! and keep their data, logs and config (an empty `rabbitmq-env.conf`, so the system one
//! is not read) in a temporary folder. They are joined with
//! `rabbitmqctl stop_app / join_cluster / start_app`. Every process runs in a process
//! group of its own; dropping the handle kills them all and removes the folder.

use std::{
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context};

const NODES: usize = 3;
const START_TIMEOUT: Duration = Duration::from_secs(90);

struct Node {
    name: String,
    amqp_port: u16,
    child: Option<Child>,
}

pub struct RabbitCluster {
    nodes: Vec<Node>,
    epmd: Option<Child>,
    epmd_port: u16,
    dir: PathBuf,
}

/// The RabbitMQ scripts: Debian's real ones (its `/usr/sbin` wrappers switch to the
/// `rabbitmq` user and its system config), else whatever is on PATH.
fn script(name: &str) -> PathBuf {
    let debian = Path::new("/usr/lib/rabbitmq/bin").join(name);
    if debian.is_file() {
        debian
    } else {
        PathBuf::from(name)
    }
}

fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

impl RabbitCluster {
    /// Starts three nodes, joins them into one cluster and waits until all three run.
    pub async fn start() -> anyhow::Result<Self> {
        ensure_installed()?;
        let ports = crate::ports::free_ports(1 + NODES * 2)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .subsec_nanos();
        let tag = format!(
            "{:x}",
            nanos ^ std::process::id() ^ (u32::from(ports[0]) << 16)
        );
        let dir = std::env::temp_dir().join(format!("tiketi-rabbit-{tag}"));
        let _ = std::fs::remove_dir_all(&dir);
        let home = dir.join("home");
        std::fs::create_dir_all(&home)?;
        let cookie = home.join(".erlang.cookie");
        std::fs::write(&cookie, format!("TIKETITEST{tag}"))?;
        std::fs::set_permissions(&cookie, std::fs::Permissions::from_mode(0o400))?;
        std::fs::write(dir.join("rabbitmq-env.conf"), "")?;
        let epmd_port = ports[0];
        let epmd = Command::new("epmd")
            .args(["-port", &epmd_port.to_string(), "-address", "127.0.0.1"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .context("cannot start epmd (apt-get install rabbitmq-server)")?;
        let mut cluster = Self {
            nodes: Vec::new(),
            epmd: Some(epmd),
            epmd_port,
            dir,
        };
        for (i, pair) in ports[1..].chunks(2).enumerate() {
            let name = format!("tk-{tag}-{}@localhost", i + 1);
            let node_dir = cluster.dir.join(format!("n{}", i + 1));
            std::fs::create_dir_all(&node_dir)?;
            std::fs::write(node_dir.join("enabled_plugins"), "[].\n")?;
            let config = node_dir.join("rabbitmq.conf");
            // A config of its own, so the machine's /etc/rabbitmq is not read.
            std::fs::write(&config, "log.console = false\n")?;
            let log = std::fs::File::create(node_dir.join("server.out"))?;
            let mut command = cluster.command(&script("rabbitmq-server"));
            command
                .env("RABBITMQ_NODENAME", &name)
                .env("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
                .env("RABBITMQ_NODE_PORT", pair[0].to_string())
                .env("RABBITMQ_DIST_PORT", pair[1].to_string())
                .env("RABBITMQ_CONFIG_FILE", &config)
                .env(
                    "RABBITMQ_ENABLED_PLUGINS_FILE",
                    node_dir.join("enabled_plugins"),
                )
                .env("RABBITMQ_MNESIA_BASE", node_dir.join("mnesia"))
                .env("RABBITMQ_LOG_BASE", node_dir.join("log"))
                .env("RABBITMQ_PID_FILE", node_dir.join("pid"))
                .stdin(Stdio::null())
                .stdout(log.try_clone()?)
                .stderr(log)
                .process_group(0);
            let child = command.spawn().context("cannot start rabbitmq-server")?;
            cluster.nodes.push(Node {
                name,
                amqp_port: pair[0],
                child: Some(child),
            });
        }
        for i in 0..NODES {
            cluster.await_startup(i).await?;
        }
        let first = cluster.nodes[0].name.clone();
        for i in 1..NODES {
            let name = cluster.nodes[i].name.clone();
            cluster.ctl(&name, &["stop_app"]).await?;
            cluster.ctl(&name, &["join_cluster", &first]).await?;
            cluster.ctl(&name, &["start_app"]).await?;
        }
        let deadline = Instant::now() + START_TIMEOUT;
        while cluster.running_nodes().await?.len() < NODES {
            if Instant::now() > deadline {
                bail!("the RabbitMQ nodes did not form one cluster");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(cluster)
    }

    /// Waits until node `i` runs. `await_startup` fails at once while the node has not
    /// registered with epmd yet, so it is asked again until the deadline.
    async fn await_startup(&mut self, i: usize) -> anyhow::Result<()> {
        let deadline = Instant::now() + START_TIMEOUT;
        let name = self.nodes[i].name.clone();
        loop {
            let last = match self.ctl(&name, &["await_startup", "--timeout", "30"]).await {
                Ok(_) => return Ok(()),
                Err(e) => e,
            };
            let log = self.dir.join(format!("n{}", i + 1)).join("server.out");
            if let Some(child) = self.nodes[i].child.as_mut() {
                if let Some(status) = child.try_wait()? {
                    let out = std::fs::read_to_string(&log).unwrap_or_default();
                    bail!("RabbitMQ node {name} exited with {status}:\n{out}");
                }
            }
            if Instant::now() > deadline {
                return Err(last.context(format!("RabbitMQ node {name} did not start")));
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// A command with the cluster's private epmd, cookie (`HOME`) and env file.
    fn command(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        c.env("HOME", self.dir.join("home"))
            .env("ERL_EPMD_PORT", self.epmd_port.to_string())
            .env("RABBITMQ_CONF_ENV_FILE", self.dir.join("rabbitmq-env.conf"))
            // No erl_crash.dump in the test's working folder when a node is killed or a CLI
            // call races the cluster's removal.
            .env("ERL_CRASH_DUMP_BYTES", "0")
            .env_remove("RABBITMQ_NODENAME")
            .env_remove("ERL_FLAGS");
        c
    }

    /// Runs `rabbitmqctl -n node args…` and returns its standard output.
    async fn ctl(&self, node: &str, args: &[&str]) -> anyhow::Result<String> {
        let mut command = tokio::process::Command::from(self.command(&script("rabbitmqctl")));
        let out = command
            .arg("-n")
            .arg(node)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .await?;
        if !out.status.success() {
            bail!(
                "rabbitmqctl -n {node} {} failed: {}{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// A node still running, to ask about the cluster.
    fn alive_node(&self) -> anyhow::Result<&Node> {
        self.nodes
            .iter()
            .find(|n| n.child.is_some())
            .context("every node of the cluster was killed")
    }

    async fn running_nodes(&self) -> anyhow::Result<Vec<String>> {
        let node = self.alive_node()?.name.clone();
        let out = self
            .ctl(&node, &["cluster_status", "--formatter", "json"])
            .await?;
        let json = json_tail(&out);
        Ok(field_list(json, "running_nodes"))
    }

    /// `AMQP_URL` listing every node (guest/guest, default vhost), first node first.
    pub fn urls(&self) -> String {
        self.nodes
            .iter()
            .map(|n| format!("amqp://guest:guest@127.0.0.1:{}/%2f", n.amqp_port))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn node_names(&self) -> Vec<String> {
        self.nodes.iter().map(|n| n.name.clone()).collect()
    }

    /// The node leading quorum queue `queue` in the default vhost.
    pub async fn leader_of(&self, queue: &str) -> anyhow::Result<String> {
        let node = self.alive_node()?.name.clone();
        let out = self
            .ctl(
                &node,
                &["list_queues", "-q", "--formatter", "json", "name", "leader"],
            )
            .await?;
        parse_leader(&out, queue).with_context(|| format!("queue {queue} has no leader"))
    }

    /// Waits until `queue` is led by a node other than `old` and returns it.
    pub async fn wait_for_new_leader(&self, queue: &str, old: &str) -> anyhow::Result<String> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(leader) = self.leader_of(queue).await {
                if leader != old {
                    return Ok(leader);
                }
            }
            if Instant::now() > deadline {
                bail!("no new leader for {queue}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Kills node `name` with SIGKILL (the whole Erlang VM and its helpers).
    pub fn kill(&mut self, name: &str) -> anyhow::Result<()> {
        let node = self
            .nodes
            .iter_mut()
            .find(|n| n.name == name)
            .with_context(|| format!("no node {name} in this cluster"))?;
        let mut child = node.child.take().context("node already killed")?;
        kill_group(&mut child);
        Ok(())
    }
}

impl Drop for RabbitCluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            if let Some(mut child) = node.child.take() {
                kill_group(&mut child);
            }
        }
        if let Some(mut epmd) = self.epmd.take() {
            kill_group(&mut epmd);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Installs RabbitMQ on a fresh Debian machine when we may (root, as in CI).
fn ensure_installed() -> anyhow::Result<()> {
    if script("rabbitmq-server").is_file() || which("rabbitmq-server") {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if root && which("apt-get") {
        let apt = |args: &[&str]| {
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdout(Stdio::null())
                .status()
        };
        apt(&["update", "-q"])?;
        apt(&[
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            "rabbitmq-server",
        ])?;
        // The package starts the machine's own broker; the cluster here never uses it.
    }
    if script("rabbitmq-server").is_file() || which("rabbitmq-server") {
        Ok(())
    } else {
        bail!("rabbitmq-server not found; install it with: apt-get install -y rabbitmq-server")
    }
}

fn which(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

/// rabbitmqctl may print a banner before its JSON.
fn json_tail(out: &str) -> &str {
    out.find(['[', '{']).map_or(out, |i| &out[i..])
}

/// The strings of `"field": ["a", "b"]` in rabbitmqctl's JSON, read without a JSON crate
/// (node names never contain quotes).
fn field_list(json: &str, field: &str) -> Vec<String> {
    let key = format!("\"{field}\"");
    let Some(start) = json.find(&key) else {
        return Vec::new();
    };
    let rest = &json[start + key.len()..];
    let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) else {
        return Vec::new();
    };
    rest[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The leader of `queue` in `list_queues name leader` JSON lines
/// (`{"name":"q","leader":"n@h"}`).
fn parse_leader(out: &str, queue: &str) -> Option<String> {
    let name = format!("\"name\":\"{queue}\"");
    let line = out.lines().find(|l| l.contains(&name))?;
    let at = line.find("\"leader\":\"")? + "\"leader\":\"".len();
    let end = line[at..].find('"')?;
    Some(line[at..at + end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_leaders_and_node_lists_from_rabbitmqctl_json() {
        let out = "[\n{\"name\":\"t.reserve.1\",\"leader\":\"tk-1@localhost\"}\n,{\"name\":\"t.reserve.10\",\"leader\":\"tk-2@localhost\"}\n]";
        assert_eq!(
            parse_leader(out, "t.reserve.1").as_deref(),
            Some("tk-1@localhost")
        );
        assert_eq!(
            parse_leader(out, "t.reserve.10").as_deref(),
            Some("tk-2@localhost")
        );
        assert_eq!(parse_leader(out, "t.reserve.2"), None);
        let status = "Cluster status\n{\"disk_nodes\":[\"a@h\",\"b@h\"],\"running_nodes\":[\"a@h\", \"b@h\"]}";
        assert_eq!(
            field_list(json_tail(status), "running_nodes"),
            ["a@h", "b@h"]
        );
    }
}
