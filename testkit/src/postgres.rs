//! A private PostgreSQL server for tests that restart it (or need it TLS-only).
//!
//! `initdb` into a temporary folder, `postgres` on a run-time loopback port, run as the
//! `postgres` user (through `runuser`) when the test runs as root, since PostgreSQL refuses
//! to run as root. With certificate and key paths it runs with `ssl=on` and a `pg_hba.conf`
//! of `hostssl` lines only, so a plain-text client is turned away. [`Postgres::restart`]
//! stops it (fast shutdown) and starts it again on the same port and data.

use std::{
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context};

const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Server certificate and key (PEM) for `ssl=on`.
#[derive(Debug, Clone)]
pub struct Tls {
    pub cert: PathBuf,
    pub key: PathBuf,
}

pub struct Postgres {
    port: u16,
    dir: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
    tls: bool,
    child: Option<Child>,
}

impl Postgres {
    /// Initialises and starts a server; `tls` makes it TLS-only.
    pub async fn start(tls: Option<Tls>) -> anyhow::Result<Self> {
        let bin = bin_dir()?;
        let port = crate::ports::free_port()?;
        let dir = std::env::temp_dir().join(format!("tiketi-pg-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let as_postgres_user = is_root();
        let mut pg = Self {
            port,
            dir,
            bin,
            as_postgres_user,
            tls: tls.is_some(),
            child: None,
        };
        if let Some(tls) = &tls {
            std::fs::copy(&tls.cert, pg.dir.join("server.crt")).context("server certificate")?;
            std::fs::copy(&tls.key, pg.dir.join("server.key")).context("server key")?;
            std::fs::set_permissions(
                pg.dir.join("server.key"),
                std::os::unix::fs::PermissionsExt::from_mode(0o600),
            )?;
        }
        if as_postgres_user {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&pg.dir)
                .status()?
                .success();
            if !ok {
                bail!("cannot hand {} to the postgres user", pg.dir.display());
            }
        }
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(pg.data())
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .stdin(Stdio::null())
            .output()
            .context("cannot run initdb")?;
        if !out.status.success() {
            bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let hba = if pg.tls {
            "hostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n"
        } else {
            "host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
        };
        std::fs::write(pg.data().join("pg_hba.conf"), hba)?;
        pg.spawn().await?;
        Ok(pg)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A server binary, run as the `postgres` user when we are root.
    fn command(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    async fn spawn(&mut self) -> anyhow::Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("postgres.log"))?;
        let mut command = self.command("postgres");
        command
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", self.dir.display()))
            .args(["-c", "fsync=off", "-c", "max_connections=200"]);
        if self.tls {
            command
                .args(["-c", "ssl=on"])
                .arg("-c")
                .arg(format!(
                    "ssl_cert_file={}",
                    self.dir.join("server.crt").display()
                ))
                .arg("-c")
                .arg(format!(
                    "ssl_key_file={}",
                    self.dir.join("server.key").display()
                ));
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .process_group(0)
            .spawn()
            .context("cannot start postgres")?;
        self.child = Some(child);
        let deadline = Instant::now() + START_TIMEOUT;
        while !self.accepts().await {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                bail!(
                    "postgres exited with {status}; see {}",
                    self.log().display()
                );
            }
            if Instant::now() > deadline {
                bail!("postgres did not start; see {}", self.log().display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// True once the server is up and past recovery (`pg_isready`).
    async fn accepts(&self) -> bool {
        tokio::process::Command::new(self.bin.join("pg_isready"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
            .is_ok_and(|s| s.success())
    }

    fn log(&self) -> PathBuf {
        self.dir.join("postgres.log")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://postgres@127.0.0.1:<port>/<database>`, with `query` (e.g.
    /// `sslmode=verify-full&sslrootcert=…`) appended when not empty.
    pub fn url(&self, database: &str, query: &str) -> String {
        let base = format!("postgres://postgres@127.0.0.1:{}/{database}", self.port);
        if query.is_empty() {
            base
        } else {
            format!("{base}?{query}")
        }
    }

    /// Stops the server (fast shutdown: sessions are cut, nothing committed is lost) and
    /// starts it again on the same port; returns how long it was down.
    pub async fn restart(&mut self) -> anyhow::Result<Duration> {
        let started = Instant::now();
        self.stop();
        self.spawn().await?;
        Ok(started.elapsed())
    }

    fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        signal_group(&child, "INT");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if matches!(child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        signal_group(&child, "KILL");
        let _ = child.wait();
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn signal_group(child: &Child, signal: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// The server binaries' folder: PATH first, then Debian's versioned folders (newest first).
fn bin_dir() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        if let Some(dir) = std::env::split_paths(&path).find(|d| d.join("initdb").is_file()) {
            // A symlink on PATH (/usr/local/bin/initdb) stands for the folder it points into,
            // which also holds pg_isready.
            let real = std::fs::canonicalize(dir.join("initdb"))?;
            return Ok(real.parent().map_or(dir, Path::to_path_buf));
        }
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    dirs.sort_by_key(|d| version(d));
    dirs.pop().context(
        "PostgreSQL server binaries not found; install them with: apt-get install -y postgresql-15",
    )
}

fn version(bin: &Path) -> u32 {
    bin.parent()
        .and_then(|v| v.file_name())
        .and_then(|v| v.to_str())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
