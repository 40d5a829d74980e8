//! What every private server needs: a temporary folder that goes away, its binaries found
//! (or installed on a fresh Debian machine), and a child process whose whole process group
//! is stopped when the handle drops, so that a failing test leaves nothing running.

use std::{
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicU32, Ordering},
    time::{Duration, Instant},
};

/// A folder under the system's temporary folder, removed on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> anyhow::Result<Self> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "tiketi-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        Ok(Self(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The PostgreSQL server binaries' folder: PATH first, then Debian's versioned folders
/// (newest first), which are not on PATH.
fn postgres_bin_dir() -> Option<PathBuf> {
    if let Some(initdb) = on_path("initdb") {
        return initdb.parent().map(Path::to_path_buf);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    dirs.sort_by_key(|d| {
        d.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop()
}

fn find(name: &str) -> Option<PathBuf> {
    if matches!(name, "initdb" | "postgres" | "pg_ctl") {
        return postgres_bin_dir().map(|d| d.join(name));
    }
    on_path(name)
}

/// True when this process runs as root (CI does), which may install packages and must not
/// run PostgreSQL itself.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// The path of `name`, installing Debian `package` first when it is missing and we may
/// (root with apt-get, as in CI); otherwise an error that says what to install.
pub fn binary(name: &str, package: &str) -> anyhow::Result<PathBuf> {
    if let Some(found) = find(name) {
        return Ok(found);
    }
    if is_root() && on_path("apt-get").is_some() {
        let install = || {
            Command::new("apt-get")
                .args(["install", "-y", "-q", "--no-install-recommends", package])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .stdout(Stdio::null())
                .status()
        };
        // The package lists may never have been fetched on a fresh machine.
        if !install()?.success() {
            Command::new("apt-get")
                .args(["update", "-q"])
                .stdout(Stdio::null())
                .status()?;
            install()?;
        }
        if let Some(found) = find(name) {
            return Ok(found);
        }
    }
    anyhow::bail!("{name} not found; install it with: apt-get install -y {package}")
}

/// A running server and its process group. Dropping it sends `stop_signal` to the group,
/// waits a few seconds for a clean exit, then kills what is left.
pub struct Daemon {
    name: String,
    child: Child,
    stop_signal: &'static str,
}

impl Daemon {
    /// Starts `command` in a process group of its own, output appended to `log`.
    pub fn spawn(
        name: &str,
        mut command: Command,
        log: &Path,
        stop_signal: &'static str,
    ) -> anyhow::Result<Self> {
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .process_group(0)
            .spawn()
            .map_err(|e| anyhow::anyhow!("cannot start {name}: {e}"))?;
        Ok(Self {
            name: name.to_string(),
            child,
            stop_signal,
        })
    }

    /// Fails when the process has already exited (it could not start).
    pub fn check_alive(&mut self, log: &Path) -> anyhow::Result<()> {
        if let Some(status) = self.child.try_wait()? {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            let tail: String = tail
                .lines()
                .rev()
                .take(20)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
                .join("\n");
            anyhow::bail!("{} exited with {status}:\n{tail}", self.name);
        }
        Ok(())
    }

    /// The shell's own `kill`, because a minimal Debian has no /usr/bin/kill (procps).
    fn signal_group(&self, signal: &str) {
        let _ = Command::new("sh")
            .args(["-c", "kill -s \"$0\" -- \"-$1\"", signal])
            .arg(self.child.id().to_string())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.signal_group(self.stop_signal);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Children of the group may outlive its leader.
        self.signal_group("KILL");
        let _ = self.child.wait();
    }
}

/// Polls `ready` until it is true, failing after `within` or as soon as `daemon` exits.
pub async fn wait_ready<F, Fut>(
    daemon: &mut Daemon,
    log: &Path,
    within: Duration,
    mut ready: F,
) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while !ready().await {
        daemon.check_alive(log)?;
        if Instant::now() > deadline {
            anyhow::bail!(
                "{} not ready within {within:?}; see {}",
                daemon.name,
                log.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// True when something accepts TCP connections on the loopback `port`.
pub async fn port_open(port: u16) -> bool {
    tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_ok()
}
