//! `REDIS_MODE=cluster` at the connection level, on a private 3-master + 3-replica Redis
//! Cluster: commands follow a slot that moved (`ASK`/`MOVED`) on the same connection, and a
//! sharded subscription follows its channel to the slot's new owner, after a resharding and
//! after its master was killed.

use std::time::{Duration, Instant};

use tiketi_core::{
    infra::config::{Environment, Infra, LogFormat},
    infra::redis::{connect, publish, Keys, RedisConn, RedisMode},
    live::{Delivery, Standing, Subscriber},
};
use tiketi_testkit::redis_cluster::RedisCluster;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

fn infra(cluster: &RedisCluster) -> Infra {
    Infra {
        environment: Environment::Test,
        database_url: String::new(),
        database_max_connections: 1,
        redis_url: cluster.seed_urls(),
        redis_mode: RedisMode::Cluster,
        amqp_url: String::new(),
        amqp_quorum_group_size: None,
        redis_prefix: "t".into(),
        amqp_prefix: "t".into(),
        log_format: LogFormat::Pretty,
    }
}

/// Publishes `payload` every 200 ms until the subscriber delivers it (messages published
/// while a subscription moves are lost by design; what matters is that it comes back).
async fn published_until_heard(
    conn: &mut RedisConn,
    channel: &str,
    payload: &str,
    heard: &mut mpsc::UnboundedReceiver<(String, String)>,
    within: Duration,
) {
    let deadline = Instant::now() + within;
    loop {
        if let Err(e) = publish(conn, channel, payload).await {
            eprintln!("publish {payload:?}: {e}");
        }
        let wait = tokio::time::timeout(Duration::from_millis(200), async {
            while let Some((ch, p)) = heard.recv().await {
                if ch == channel && p == payload {
                    return;
                }
            }
        });
        if wait.await.is_ok() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{payload:?} not heard within {within:?}"
        );
    }
}

async fn seat(conn: &mut RedisConn, key: &str) -> Option<String> {
    redis::cmd("HGET")
        .arg(key)
        .arg("seat")
        .query_async(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn commands_and_sharded_subscriptions_follow_a_moved_slot_and_a_failover() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("tiketi_core=debug")
        .try_init();
    let mut cluster = RedisCluster::start().await.unwrap();
    let infra = infra(&cluster);
    let mut conn = connect(&infra).await.unwrap();
    let event = Uuid::new_v4();
    let keys = Keys::new("t");
    let key = keys.seat_state(event);
    let channel = keys.ws_channel(&format!("seats:{event}"));
    let _: () = redis::cmd("HSET")
        .arg(&key)
        .arg("seat")
        .arg("held:1")
        .query_async(&mut conn)
        .await
        .unwrap();

    let (tx, mut heard) = mpsc::unbounded_channel();
    let subscriber = Subscriber::new(RedisMode::Cluster);
    let shutdown = CancellationToken::new();
    tokio::spawn(subscriber.clone().run(
        infra.clone(),
        Standing::Pattern("unused in cluster mode".into()),
        move |d| {
            if let Delivery::Message { channel, payload } = d {
                let _ = tx.send((channel, payload));
            }
            std::future::ready(())
        },
        shutdown.clone(),
    ));
    assert!(subscriber.want(&channel, Duration::from_secs(5)).await);
    published_until_heard(
        &mut conn,
        &channel,
        "before",
        &mut heard,
        Duration::from_secs(2),
    )
    .await;

    // Resharding: the same connection is redirected, the subscription moves along.
    let from = cluster.master_of(&key).await.unwrap();
    let to = *cluster
        .masters()
        .await
        .unwrap()
        .iter()
        .find(|p| **p != from)
        .unwrap();
    cluster.move_slot_of(&key, to).await.unwrap();
    assert_eq!(cluster.master_of(&key).await.unwrap(), to);
    assert_eq!(seat(&mut conn, &key).await.as_deref(), Some("held:1"));
    published_until_heard(
        &mut conn,
        &channel,
        "moved",
        &mut heard,
        Duration::from_secs(10),
    )
    .await;

    // The new owner dies: its replica takes over, commands and the subscription resume.
    let _: () = redis::cmd("WAIT")
        .arg(1)
        .arg(2000)
        .query_async::<i64>(&mut conn)
        .await
        .map(|_| ())
        .unwrap_or(());
    cluster.kill(to).unwrap();
    cluster.wait_for_failover(&key, to).await.unwrap();
    published_until_heard(
        &mut conn,
        &channel,
        "failed over",
        &mut heard,
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(seat(&mut conn, &key).await.as_deref(), Some("held:1"));

    // Released channels are dropped: nothing arrives for them any more.
    // Pacing: an absence cannot be polled for, so both waits are grace periods: for what
    // was in flight before the release, then for a delivery that must not happen.
    subscriber.release(&channel);
    tokio::time::sleep(Duration::from_millis(500)).await;
    while heard.try_recv().is_ok() {}
    let _ = publish(&mut conn, &channel, "after release").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let late = heard.try_recv();
    assert!(late.is_err(), "{late:?}");
    shutdown.cancel();
}
