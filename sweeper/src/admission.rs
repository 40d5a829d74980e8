//! Waiting-room admission, once a tick for every queued event: open the line at sale
//! start, run one admission step, measure the admission rate for ETAs, and tell fans
//! where they stand (often near the front, rarely far back) and when they are in.

use std::{
    collections::{HashMap, VecDeque},
    time::Instant,
};

use serde_json::json;
use tiketi_core::{
    live::seat_events,
    waiting_room::{eta_seconds, Policy, Room, Step},
};
use uuid::Uuid;

use crate::Sweeper;

/// How far back admissions count towards the measured rate.
const RATE_WINDOW_SECS: f64 = 60.0;
/// Fewer seconds of measurement than this and the planned rate stands in.
const RATE_MIN_SPAN_SECS: f64 = 3.0;
/// Position messages: ranks below the first bound every step, below the second every
/// `MID_EVERY` steps, the rest every `FAR_EVERY` steps.
const NEAR: u64 = 100;
const MID: u64 = 1000;
const MID_EVERY: u64 = 5;
const FAR_EVERY: u64 = 30;

/// Per-event memory of the leader; a new leader starts measuring afresh.
#[derive(Default)]
pub struct Rooms {
    meters: HashMap<Uuid, Meter>,
    steps: u64,
}

/// (when, fans admitted in all) while fans were waiting: the admission rate is measured
/// only while demand exceeds what is admitted, so an idle line does not read as slow.
#[derive(Default)]
struct Meter {
    samples: VecDeque<(Instant, u64)>,
}

impl Meter {
    fn record(&mut self, step: &Step) -> Option<f64> {
        let now = Instant::now();
        if step.waiting == 0 {
            self.samples.clear();
            return None;
        }
        self.samples.push_back((now, step.served));
        while self
            .samples
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t).as_secs_f64() > RATE_WINDOW_SECS)
        {
            self.samples.pop_front();
        }
        let (first, last) = (self.samples.front()?, self.samples.back()?);
        let span = last.0.duration_since(first.0).as_secs_f64();
        (span >= RATE_MIN_SPAN_SECS).then(|| (last.1 - first.1) as f64 / span)
    }
}

impl Sweeper {
    pub(crate) async fn admit(&self, rooms: &mut Rooms) -> anyhow::Result<()> {
        let live = Room::live(&self.pool).await?;
        let mut redis = self.redis.clone();
        let policy = Policy {
            heartbeat_timeout_ms: self.config.queue_heartbeat_timeout.as_millis() as i64,
            max_per_step: self.config.queue_max_admitted_per_step,
        };
        rooms.steps += 1;
        for room in &live {
            let event = room.event_id.to_string();
            if room.open
                && self
                    .room
                    .open(&mut redis, room.event_id, room.prequeue_shuffle)
                    .await?
            {
                tracing::info!(event_id = %room.event_id, shuffle = room.prequeue_shuffle, "waiting room opened");
            }
            let step = self.room.advance(&mut redis, room, &policy).await?;
            metrics::gauge!("tiketi_queue_waiting", "event" => event.clone())
                .set(step.waiting as f64);
            metrics::gauge!("tiketi_queue_active", "event" => event.clone())
                .set(step.active as f64);
            metrics::counter!("tiketi_queue_admitted_total", "event" => event.clone())
                .increment(step.admitted.len() as u64);
            metrics::counter!("tiketi_queue_dropped_total", "event" => event.clone(), "reason" => "stale")
                .increment(step.stale);
            let measured = rooms.meters.entry(room.event_id).or_default().record(&step);
            let rate = measured.unwrap_or_else(|| room.planned_rate());
            metrics::gauge!("tiketi_queue_admission_rate", "event" => event).set(rate);
            self.room.set_rate(&mut redis, room.event_id, rate).await?;
            for (user, ticket) in &step.admitted {
                let expires_at = step.now + chrono::Duration::milliseconds(room.window_ms());
                let token =
                    self.admissions
                        .issue(*user, room.event_id, *ticket, step.now, expires_at);
                let _ = seat_events::publish(
                    &mut redis,
                    &self.keys,
                    &seat_events::user_topic(*user),
                    "admitted",
                    json!({
                        "eventId": room.event_id,
                        "admissionToken": token,
                        "expiresAt": room.format(expires_at),
                    }),
                )
                .await;
            }
            if step.waiting > 0 {
                self.tell_positions(room, rooms.steps, rate, step.waiting)
                    .await?;
            }
        }
        rooms
            .meters
            .retain(|id, _| live.iter().any(|r| r.event_id == *id));
        Ok(())
    }

    /// Sends `queue-position` to the waiting fans whose turn to hear it is this step.
    async fn tell_positions(
        &self,
        room: &Room,
        step: u64,
        rate: f64,
        waiting: u64,
    ) -> anyhow::Result<()> {
        let mut redis = self.redis.clone();
        let upto = if step.is_multiple_of(FAR_EVERY) {
            waiting
        } else if step.is_multiple_of(MID_EVERY) {
            MID.min(waiting)
        } else {
            NEAR.min(waiting)
        };
        let users = self
            .room
            .waiting_slice(&mut redis, room.event_id, 0, upto)
            .await?;
        let tickets = self
            .room
            .tickets_of(&mut redis, room.event_id, &users)
            .await?;
        let until_open = if room.open {
            0
        } else {
            (room.sale_start - chrono::Utc::now()).num_seconds().max(0) as u64
        };
        for chunk in users.iter().enumerate().collect::<Vec<_>>().chunks(500) {
            let mut messages = Vec::with_capacity(chunk.len());
            for (rank, user) in chunk {
                let Some(ticket) = tickets.get(user) else {
                    continue;
                };
                let ahead = *rank as u64;
                let msg = seat_events::WsMessage {
                    topic: seat_events::user_topic(**user),
                    event: "queue-position".into(),
                    seq: None,
                    data: json!({
                        "eventId": room.event_id,
                        "ticket": ticket,
                        "ahead": ahead,
                        "etaSeconds": eta_seconds(ahead, rate).map(|s| s + until_open),
                    }),
                };
                messages.push((
                    self.keys.ws_channel(&msg.topic),
                    serde_json::to_string(&msg).unwrap_or_default(),
                ));
            }
            tiketi_core::infra::redis::publish_all(&mut redis, &messages).await?;
        }
        Ok(())
    }
}
