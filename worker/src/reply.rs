//! Answering the api and settling deliveries: a reply per decided command (to its
//! `reply_to` queue, with its correlation id), then the ack; or a nack that requeues or
//! dead-letters. Replies are a convenience: the decision is recorded, so a lost reply
//! costs the fan one poll of `GET /api/seats/requests/:id`.

use lapin::{
    message::Delivery,
    options::{BasicAckOptions, BasicNackOptions, BasicPublishOptions},
    BasicProperties, Channel,
};
use tiketi_core::reservation::{
    commands::{Decision, Reply},
    wire, BatchOutcome,
};

/// Replies to each command of `outcome` whose delivery asked for a reply; `deliveries`
/// are the commands' deliveries, in the same order. A winner's reply carries its new
/// reservation when the batch read it back.
pub(crate) async fn reply(
    channel: &Channel,
    outcome: &BatchOutcome,
    deliveries: &[Delivery],
) -> anyhow::Result<()> {
    for ((cmd, decision), delivery) in outcome.decisions.iter().zip(deliveries) {
        let (Some(reply_to), Some(corr)) = (
            delivery.properties.reply_to(),
            delivery.properties.correlation_id(),
        ) else {
            continue;
        };
        let reservation = match decision {
            Decision::Reserved { reservation_id } => outcome
                .views
                .get(reservation_id)
                .cloned()
                .map(|view| Box::new(view.into())),
            Decision::Rejected(_) => None,
        };
        let reply = Reply {
            request_id: cmd.request_id,
            decision: decision.clone(),
            reservation,
        };
        let body = wire::encode(&reply)?;
        let _ = channel
            .basic_publish(
                "",
                reply_to.as_str(),
                BasicPublishOptions::default(),
                &body,
                BasicProperties::default()
                    .with_correlation_id(corr.clone())
                    .with_content_type("application/json".into()),
            )
            .await;
    }
    Ok(())
}

/// Acks `deliveries` (consecutive, in order) at once, through the last one.
pub(crate) async fn ack_all(deliveries: &[Delivery]) -> anyhow::Result<()> {
    if let Some(last) = deliveries.last() {
        last.ack(BasicAckOptions { multiple: true }).await?;
    }
    Ok(())
}

/// Puts `delivery` back in its queue to be decided again.
pub(crate) async fn requeue(delivery: &Delivery) -> anyhow::Result<()> {
    nack(delivery, true).await
}

/// Sends `delivery` to the dead-letter queue; it is never retried.
pub(crate) async fn dead_letter(delivery: &Delivery) -> anyhow::Result<()> {
    nack(delivery, false).await
}

async fn nack(delivery: &Delivery, requeue: bool) -> anyhow::Result<()> {
    delivery
        .nack(BasicNackOptions {
            requeue,
            multiple: false,
        })
        .await?;
    Ok(())
}
