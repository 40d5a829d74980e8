//! Starts the private clusters a benchmark runs against (a 3-node RabbitMQ cluster and a
//! 3-master + 3-replica Redis Cluster), prints the environment that points Tiketi at them
//! and keeps them up until interrupted, then removes them. `BENCH_CLUSTER=1 make
//! bench-reserve` uses it; by hand:
//!
//! ```text
//! cargo run -p tiketi-testkit --bin tiketi-clusters -- .tiketi/clusters.env &
//! source .tiketi/clusters.env     # once the file exists
//! ```

use tiketi_testkit::{rabbitmq::RabbitCluster, redis_cluster::RedisCluster};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let env_file = std::env::args().nth(1);
    let (rabbit, redis) = tokio::join!(RabbitCluster::start(), RedisCluster::start());
    let (rabbit, redis) = (rabbit?, redis?);
    let env = format!(
        "export AMQP_URL='{}'\nexport REDIS_MODE=cluster\nexport REDIS_URL='{}'\n",
        rabbit.urls(),
        redis.seed_urls()
    );
    print!("{env}");
    if let Some(path) = &env_file {
        // Written whole under another name first, so a reader never sees half of it.
        let partial = format!("{path}.partial");
        std::fs::write(&partial, &env)?;
        std::fs::rename(&partial, path)?;
    }
    eprintln!(
        "RabbitMQ nodes {:?} and a 3+3 Redis Cluster are up; Ctrl-C (or SIGTERM) stops them",
        rabbit.node_names()
    );
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    if let Some(path) = &env_file {
        let _ = std::fs::remove_file(path);
    }
    drop((rabbit, redis));
    Ok(())
}
