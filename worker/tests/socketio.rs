//! Socket.IO at `/socket.io/` driven by the official `socket.io-client` from Node
//! (`tests/socketio/client.mjs`) against two api instances sharing the Redis fan-out.

use std::{path::Path, process::Command, time::Duration};

use sqlx::PgPool;
use tiketi_testkit::{sections, Options, Stack};

/// Installs the client's locked dependencies unless they are there already.
fn npm_ci(dir: &Path) {
    if dir
        .join("node_modules/socket.io-client/package.json")
        .is_file()
    {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .expect("npm is on PATH (Node.js 18 or newer)");
    assert!(status.success(), "npm ci in {} failed", dir.display());
}

#[sqlx::test(migrations = "../migrations")]
async fn socketio_clients_on_two_instances_see_a_seat_locked_and_only_the_signed_in_one_hears_personal_events(
    pool: PgPool,
) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/socketio");
    npm_ci(&dir);
    let stack = Stack::start(
        pool,
        Options {
            apis: 2,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fan = stack.fans(1).await.remove(0);

    let run = tokio::process::Command::new("node")
        .arg("client.mjs")
        .current_dir(&dir)
        .env("API_A", stack.app(0).url(""))
        .env("API_B", stack.app(1).url(""))
        .env("EVENT_ID", event.to_string())
        .env("SEAT_ID", seats[0].to_string())
        .env("TOKEN", &fan.token)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the client finishes within a minute")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "client failed:\n{stdout}\n{stderr}");
    let seen: serde_json::Value =
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("a JSON summary");
    println!("socket.io seat-locked latency: {seen}");
    for side in ["latencyMsA", "latencyMsB"] {
        let ms = seen[side].as_i64().expect("a latency");
        assert!(ms < 1000, "{side} = {ms} ms");
    }
    stack.stop().await;
}
