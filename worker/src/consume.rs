//! Connections and partitions: one connection per worker, one channel and consumer per
//! partition queue, and batches of what has arrived, handed to [`decide`](crate::decide).

use std::sync::Arc;

use futures::StreamExt;
use lapin::{
    options::{BasicConsumeOptions, BasicQosOptions},
    types::FieldTable,
    Channel,
};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use uuid::Uuid;

use crate::{decide, Shared, WorkerConfig};

/// One connection's life: declare, subscribe to every partition, decide until shutdown or
/// until anything fails (then the caller reconnects).
pub(crate) async fn consume(
    shared: Arc<Shared>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let conn = shared.nodes.connect("tiketi-worker").await?;
    let setup = conn.create_channel().await?;
    shared.topology.declare(&setup).await?;
    let failed = CancellationToken::new();
    let tasks = TaskTracker::new();
    for p in 0..shared.topology.partitions() {
        let channel = conn.create_channel().await?;
        let shared = shared.clone();
        let stop = shutdown.child_token();
        let failed = failed.clone();
        let fail_stop = failed.clone();
        tasks.spawn(async move {
            let result = tokio::select! {
                r = partition(shared, channel, p, stop.clone()) => r,
                _ = fail_stop.cancelled() => Ok(()),
            };
            if let Err(e) = result {
                tracing::error!(partition = p, error = %e, "partition consumer failed");
                failed.cancel();
            }
        });
    }
    tasks.close();
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = failed.cancelled() => {}
    }
    // Let every partition finish the batch in hand before the connection closes; what was
    // delivered but not acked is redelivered to the next consumer.
    tasks.wait().await;
    let _ = conn.close(200, "worker stopping").await;
    if failed.is_cancelled() && !shutdown.is_cancelled() {
        anyhow::bail!("a partition consumer ended");
    }
    Ok(())
}

/// Whether `partition` is this worker's share (the others it only stands by for).
fn preferred(config: &WorkerConfig, partition: u16) -> bool {
    partition % config.worker_count == config.worker_index
}

/// Consumes one partition queue: waits for a message, takes whatever else arrives within
/// the batch window (up to the batch size) and decides them together, in order.
async fn partition(
    shared: Arc<Shared>,
    channel: Channel,
    p: u16,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let config = &shared.config;
    if !preferred(config, p) {
        // Single active consumer goes to whoever subscribes first: let the worker whose
        // share this is take it, and stand by.
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
        }
    }
    channel
        .basic_qos(
            (config.batch_max * 2).min(u16::MAX as usize) as u16,
            BasicQosOptions::default(),
        )
        .await?;
    let queue = shared.topology.queue(p);
    let mut consumer = channel
        .basic_consume(
            &queue,
            &format!("worker-{}-{p}", Uuid::new_v4()),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    tracing::info!(partition = p, queue, "consuming");
    loop {
        let first = tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            next = consumer.next() => match next {
                Some(d) => d?,
                None => anyhow::bail!("consumer of {queue} ended"),
            }
        };
        let mut batch = vec![first];
        let deadline = tokio::time::Instant::now() + config.batch_wait;
        while batch.len() < config.batch_max {
            match tokio::time::timeout_at(deadline, consumer.next()).await {
                Ok(Some(d)) => batch.push(d?),
                Ok(None) => break,
                Err(_) => break,
            }
        }
        decide::batch(&shared, &channel, p, batch).await?;
    }
}
