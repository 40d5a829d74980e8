//! Private PostgreSQL, Redis and RabbitMQ servers that speak ONLY TLS, with certificates from
//! a throwaway CA made at run time, so tests prove that Tiketi connects (and refuses to
//! connect) the way a managed cloud service requires.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};

use crate::{
    ports::free_ports,
    process::{binary, port_open, wait_ready, Daemon, TempDir},
};

/// A CA and one server certificate it signed for `127.0.0.1` and `localhost`, as PEM files.
pub struct Pki {
    dir: TempDir,
}

impl Pki {
    pub fn generate() -> anyhow::Result<Self> {
        let dir = TempDir::new("pki")?;
        let mut ca = CertificateParams::new(Vec::<String>::new())?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        // A name of its own: two CAs with one name would look like one CA with a bad signature.
        let name = dir.path().file_name().unwrap_or_default().to_string_lossy();
        ca.distinguished_name.push(
            DnType::CommonName,
            format!("Tiketi throwaway test CA {name}"),
        );
        let ca_key = KeyPair::generate()?;
        let ca_cert = ca.self_signed(&ca_key)?;

        let mut server = CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()])?;
        server
            .distinguished_name
            .push(DnType::CommonName, "127.0.0.1");
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate()?;
        let server_cert = server.signed_by(&server_key, &ca_cert, &ca_key)?;

        std::fs::write(dir.path().join("ca.pem"), ca_cert.pem())?;
        std::fs::write(dir.path().join("server.pem"), server_cert.pem())?;
        std::fs::write(dir.path().join("server.key"), server_key.serialize_pem())?;
        Ok(Self { dir })
    }

    /// The CA certificate: what `TLS_CA_FILE` or `sslrootcert` must name to trust the servers.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The server certificate (PEM), valid for `127.0.0.1` and `localhost`.
    pub fn server_cert(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }

    /// The server certificate's private key (PEM).
    pub fn server_key(&self) -> PathBuf {
        self.dir.path().join("server.key")
    }

    fn copy_server_files(&self, to: &Path) -> anyhow::Result<(PathBuf, PathBuf, PathBuf)> {
        let names = ["ca.pem", "server.pem", "server.key"];
        for name in names {
            std::fs::copy(self.dir.path().join(name), to.join(name))?;
        }
        Ok((
            to.join("ca.pem"),
            to.join("server.pem"),
            to.join("server.key"),
        ))
    }
}

/// A PostgreSQL server with `ssl=on` whose `pg_hba.conf` accepts only `hostssl`
/// connections (trust: the test is about transport, not passwords).
pub struct TlsPostgres {
    _daemon: Daemon,
    _dir: TempDir,
    port: u16,
}

impl TlsPostgres {
    pub async fn start(pki: &Pki) -> anyhow::Result<Self> {
        let initdb = binary("initdb", "postgresql")?;
        let postgres = binary("postgres", "postgresql")?;
        let dir = TempDir::new("tls-pg")?;
        let data = dir.path().join("data");
        let (_, cert, key) = pki.copy_server_files(dir.path())?;
        // PostgreSQL refuses to run as root; Debian's package makes the `postgres` user.
        let user = if crate::process::is_root() {
            Some("postgres")
        } else {
            None
        };
        if let Some(user) = user {
            let chown = Command::new("chown")
                .args(["-R", &format!("{user}:"), &dir.path().to_string_lossy()])
                .status()?;
            anyhow::ensure!(chown.success(), "chown of {} failed", dir.path().display());
        }
        // The server checks that its key is private to it.
        let chmod = Command::new("chmod")
            .args(["600", &key.to_string_lossy()])
            .status()?;
        anyhow::ensure!(chmod.success(), "chmod of {} failed", key.display());
        let as_user = |program: &Path| {
            let mut cmd = match user {
                Some(user) => {
                    let mut c = Command::new("runuser");
                    c.args(["-u", user, "--"]).arg(program);
                    c
                }
                None => Command::new(program),
            };
            cmd.current_dir("/");
            cmd
        };
        let init = as_user(&initdb)
            .arg("-D")
            .arg(&data)
            .args([
                "--auth=trust",
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--no-locale",
            ])
            .output()?;
        anyhow::ensure!(
            init.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        let port = free_ports(1)?[0];
        std::fs::write(
            data.join("pg_hba.conf"),
            "hostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n",
        )?;
        let conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\n\
             ssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\nfsync = off\n\
             synchronous_commit = off\nfull_page_writes = off\n",
            cert.display(),
            key.display()
        );
        let mut existing = std::fs::read_to_string(data.join("postgresql.conf"))?;
        existing.push_str(&conf);
        std::fs::write(data.join("postgresql.conf"), existing)?;
        let log = dir.path().join("postgres.log");
        let mut server = as_user(&postgres);
        server.arg("-D").arg(&data);
        // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to leave.
        let mut daemon = Daemon::spawn("postgres", server, &log, "INT")?;
        let log_path = log.clone();
        wait_ready(&mut daemon, &log, Duration::from_secs(60), || {
            let log = log_path.clone();
            async move {
                std::fs::read_to_string(&log)
                    .is_ok_and(|l| l.contains("ready to accept connections"))
            }
        })
        .await?;
        Ok(Self {
            _daemon: daemon,
            _dir: dir,
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A URL for the `postgres` database with the given libpq query (e.g. `sslmode=require`).
    pub fn url(&self, query: &str) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres?{query}",
            self.port
        )
    }
}

/// A `redis-server` listening only on a TLS port (`--port 0`).
pub struct TlsRedis {
    _daemon: Daemon,
    _dir: TempDir,
    port: u16,
}

impl TlsRedis {
    pub async fn start(pki: &Pki) -> anyhow::Result<Self> {
        let redis = binary("redis-server", "redis-server")?;
        let dir = TempDir::new("tls-redis")?;
        let (ca, cert, key) = pki.copy_server_files(dir.path())?;
        let port = free_ports(1)?[0];
        let mut cmd = Command::new(redis);
        cmd.args(["--port", "0", "--tls-port", &port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir.path())
            .arg("--tls-cert-file")
            .arg(&cert)
            .arg("--tls-key-file")
            .arg(&key)
            .arg("--tls-ca-cert-file")
            .arg(&ca)
            // Clients prove nothing: Tiketi authenticates the server, not itself.
            .args(["--tls-auth-clients", "no"]);
        let log = dir.path().join("redis.log");
        let mut daemon = Daemon::spawn("redis-server", cmd, &log, "TERM")?;
        wait_ready(&mut daemon, &log, Duration::from_secs(30), || {
            port_open(port)
        })
        .await?;
        Ok(Self {
            _daemon: daemon,
            _dir: dir,
            port,
        })
    }

    pub fn url(&self) -> String {
        format!("rediss://127.0.0.1:{}", self.port)
    }
}

/// A RabbitMQ node with only an `amqps` listener, under a private node name, Erlang port
/// mapper and data folder, so it can never meet the machine's own broker.
pub struct TlsRabbit {
    // Fields drop in order: the node, then its port mapper, then the folder.
    _node: Daemon,
    _epmd: Daemon,
    dir: TempDir,
    port: u16,
    env: Vec<(String, String)>,
}

/// Debian's /usr/sbin entries switch to the rabbitmq user and its fixed folders; the real
/// scripts beside the wrapper honour our RABBITMQ_* variables.
fn rabbit_script(name: &str) -> anyhow::Result<PathBuf> {
    let path = binary(name, "rabbitmq-server")?;
    let real = std::fs::canonicalize(&path)?;
    if real
        .file_name()
        .is_some_and(|n| n == "rabbitmq-script-wrapper")
    {
        if let Some(beside) = real.parent().map(|d| d.join(name)) {
            if beside.is_file() {
                return Ok(beside);
            }
        }
    }
    Ok(path)
}

impl TlsRabbit {
    pub async fn start(pki: &Pki) -> anyhow::Result<Self> {
        let server = rabbit_script("rabbitmq-server")?;
        let dir = TempDir::new("tls-rabbit")?;
        let base = dir.path();
        let (ca, cert, key) = pki.copy_server_files(base)?;
        let ports = free_ports(3)?;
        let (port, dist_port, epmd_port) = (ports[0], ports[1], ports[2]);
        for sub in ["home", "mnesia", "log"] {
            std::fs::create_dir_all(base.join(sub))?;
        }
        std::fs::write(base.join("rabbitmq-env.conf"), "")?;
        std::fs::write(base.join("enabled_plugins"), "[].\n")?;
        std::fs::write(
            base.join("rabbitmq.conf"),
            format!(
                "listeners.tcp = none\nlisteners.ssl.1 = 127.0.0.1:{port}\n\
                 ssl_options.cacertfile = {}\nssl_options.certfile = {}\n\
                 ssl_options.keyfile = {}\nssl_options.verify = verify_none\n\
                 ssl_options.fail_if_no_peer_cert = false\nlog.console = false\n\
                 log.file.level = info\n",
                ca.display(),
                cert.display(),
                key.display()
            ),
        )?;
        let path = |p: &str| base.join(p).to_string_lossy().into_owned();
        let env: Vec<(String, String)> = [
            ("HOME", path("home")),
            ("ERL_EPMD_PORT", epmd_port.to_string()),
            ("ERL_EPMD_ADDRESS", "127.0.0.1".into()),
            ("RABBITMQ_CONF_ENV_FILE", path("rabbitmq-env.conf")),
            ("RABBITMQ_NODENAME", format!("tiketi-tls-{port}@localhost")),
            ("RABBITMQ_DIST_PORT", dist_port.to_string()),
            ("RABBITMQ_MNESIA_BASE", path("mnesia")),
            ("RABBITMQ_LOG_BASE", path("log")),
            ("RABBITMQ_PID_FILE", path("rabbitmq.pid")),
            ("RABBITMQ_ENABLED_PLUGINS_FILE", path("enabled_plugins")),
            ("RABBITMQ_CONFIG_FILE", path("rabbitmq.conf")),
            ("RABBITMQ_ADVANCED_CONFIG_FILE", path("advanced.config")),
            (
                "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS",
                "-kernel inet_dist_use_interface {127,0,0,1}".into(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        // Our own port mapper in the foreground, so that it stops with us: the one a node
        // starts by itself daemonizes and outlives the node.
        let mut epmd_cmd = Command::new(binary("epmd", "erlang-base")?);
        epmd_cmd.args(["-port", &epmd_port.to_string(), "-address", "127.0.0.1"]);
        let epmd_log = base.join("epmd.log");
        let mut epmd = Daemon::spawn("epmd", epmd_cmd, &epmd_log, "KILL")?;
        wait_ready(&mut epmd, &epmd_log, Duration::from_secs(10), || {
            port_open(epmd_port)
        })
        .await?;
        let mut cmd = Command::new(server);
        cmd.envs(env.iter().map(|(k, v)| (k, v)));
        let log = base.join("startup.log");
        let mut node = Daemon::spawn("rabbitmq-server", cmd, &log, "KILL")?;
        wait_ready(&mut node, &log, Duration::from_secs(120), || {
            port_open(port)
        })
        .await?;
        let mut rabbit = Self {
            _node: node,
            _epmd: epmd,
            dir,
            port,
            env,
        };
        // The listener opens before every boot step has finished.
        rabbit.ctl(&["await_startup", "--timeout", "60"])?;
        Ok(rabbit)
    }

    fn ctl(&mut self, args: &[&str]) -> anyhow::Result<()> {
        let ctl = rabbit_script("rabbitmqctl")?;
        let out = Command::new(ctl)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(["-n", &format!("tiketi-tls-{}@localhost", self.port)])
            .args(args)
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "rabbitmqctl {args:?} failed: {}{}; see {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.dir.path().join("log").display()
        );
        Ok(())
    }

    /// `amqps://` URL of the node's default virtual host (guest may log in over loopback).
    pub fn url(&self) -> String {
        format!("amqps://guest:guest@127.0.0.1:{}/%2f", self.port)
    }
}
