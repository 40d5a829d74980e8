//! Live updates over plain WebSocket. Writers publish to Redis channels; every api instance
//! receives them (see `fanout`) and fans messages out to its own connections through one
//! broadcast per topic. Each connection has a bounded send buffer: a client that cannot
//! keep up is disconnected, so memory never grows with a slow reader.

use std::{collections::HashMap, sync::Mutex, time::Duration};

use axum::{
    extract::{
        ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade},
        FromRef, State,
    },
    response::Response,
};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use tiketi_core::auth::Tokens;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{error::ApiError, extract::Query, fanout::Fanout, state::AppState};

/// Messages a connection may have queued before it counts as too slow.
const SEND_BUFFER: usize = 256;
/// Messages a topic keeps for receivers that are behind.
const TOPIC_BUFFER: usize = 1024;
const MAX_SUBSCRIPTIONS: usize = 32;

pub struct Hub {
    topics: Mutex<HashMap<String, broadcast::Sender<Utf8Bytes>>>,
    /// Where topics come from (Redis pub/sub, see `fanout`).
    fanout: Fanout,
}

impl Hub {
    pub fn new(fanout: Fanout) -> Self {
        Self {
            topics: Mutex::default(),
            fanout,
        }
    }

    pub(crate) fn fanout(&self) -> Fanout {
        self.fanout.clone()
    }

    async fn subscribe(&self, topic: &str) -> broadcast::Receiver<Utf8Bytes> {
        let (rx, first) = {
            let mut topics = self.topics.lock().expect("hub lock");
            let first = !topics.contains_key(topic);
            let rx = topics
                .entry(topic.to_string())
                .or_insert_with(|| broadcast::channel(TOPIC_BUFFER).0)
                .subscribe();
            (rx, first)
        };
        if first {
            self.fanout.follow(topic).await;
        }
        rx
    }

    pub(crate) fn publish(&self, topic: &str, payload: Utf8Bytes) {
        let topics = self.topics.lock().expect("hub lock");
        if let Some(tx) = topics.get(topic) {
            let _ = tx.send(payload);
        }
    }

    /// Drops topics nobody here listens to any more.
    pub(crate) fn prune(&self) {
        let mut topics = self.topics.lock().expect("hub lock");
        topics.retain(|topic, tx| {
            let read = tx.receiver_count() > 0;
            if !read {
                self.fanout.unfollow(topic);
            }
            read
        });
    }
}

#[derive(Deserialize)]
pub struct WsParams {
    token: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum ClientMessage {
    Subscribe {
        topic: String,
        #[serde(rename = "sinceSeq")]
        since_seq: Option<i64>,
    },
    Unsubscribe {
        topic: String,
    },
    Ping,
}

/// `GET /ws[?token=<jwt>]`: upgrades to a WebSocket. An invalid token is refused before the
/// upgrade; without one, only public topics can be subscribed.
pub async fn upgrade(
    State(state): State<AppState>,
    Query(params): Query<WsParams>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let user = match params.token.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(token) => {
            let tokens = Tokens::from_ref(&state);
            let mut redis = state.redis.clone();
            match tokens.verify(token, &mut redis).await {
                Ok(claims) => Some(claims.sub),
                Err(_) => {
                    return Err(ApiError::Unauthorized {
                        code: "TOKEN_INVALID",
                        message: "the token is invalid or has expired",
                    })
                }
            }
        }
    };
    Ok(ws
        .max_message_size(16 * 1024)
        .on_upgrade(move |socket| connection(state, socket, user)))
}

fn server(op: &str, extra: serde_json::Value) -> Utf8Bytes {
    let mut v = serde_json::json!({ "op": op });
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    v.to_string().into()
}

/// Resolves a client topic to the internal one, refusing what this client may not read.
fn resolve(topic: &str, user: Option<Uuid>) -> Result<String, &'static str> {
    if topic == "user" {
        return user
            .map(tiketi_core::seat_events::user_topic)
            .ok_or("the user topic needs ?token=");
    }
    let (kind, id) = topic.split_once(':').ok_or("unknown topic")?;
    if !matches!(kind, "seats" | "event") || id.parse::<Uuid>().is_err() {
        return Err("unknown topic");
    }
    Ok(topic.to_string())
}

async fn connection(state: AppState, socket: WebSocket, user: Option<Uuid>) {
    metrics::gauge!("tiketi_ws_connections").increment(1.0);
    let (mut sink, mut stream) = socket.split();
    let (out, mut out_rx) = mpsc::channel::<Utf8Bytes>(SEND_BUFFER);
    let slow = CancellationToken::new();
    let mut subscriptions: HashMap<String, CancellationToken> = HashMap::new();
    let shutdown = state.shutdown.clone();

    let writer_slow = slow.clone();
    let writer = tokio::spawn(async move {
        while let Some(msg) = out_rx.recv().await {
            if tokio::time::timeout(Duration::from_secs(10), sink.send(Message::Text(msg)))
                .await
                .map_or(true, |r| r.is_err())
            {
                writer_slow.cancel();
                break;
            }
            metrics::counter!("tiketi_ws_messages_sent_total").increment(1);
        }
        let _ = sink.close().await;
    });

    loop {
        let incoming = tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = slow.cancelled() => {
                metrics::counter!("tiketi_ws_dropped_clients_total").increment(1);
                break;
            }
            m = stream.next() => m,
        };
        let text = match incoming {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
            Some(Ok(_)) => continue,
        };
        let reply = match serde_json::from_str::<ClientMessage>(text.as_str()) {
            Ok(ClientMessage::Ping) => server("pong", serde_json::json!({})),
            Ok(ClientMessage::Unsubscribe { topic }) => {
                if let Some(stop) = subscriptions.remove(&topic) {
                    stop.cancel();
                }
                server("unsubscribed", serde_json::json!({ "topic": topic }))
            }
            Ok(ClientMessage::Subscribe { topic, since_seq }) => match resolve(&topic, user) {
                Err(message) => server(
                    "error",
                    serde_json::json!({ "code": "BAD_TOPIC", "message": message, "topic": topic }),
                ),
                Ok(_)
                    if subscriptions.len() >= MAX_SUBSCRIPTIONS
                        && !subscriptions.contains_key(&topic) =>
                {
                    server(
                        "error",
                        serde_json::json!({ "code": "TOO_MANY_SUBSCRIPTIONS", "message": "unsubscribe first", "topic": topic }),
                    )
                }
                Ok(internal) => {
                    if !subscriptions.contains_key(&topic) {
                        let stop = slow.child_token();
                        // Subscribe before reading the log, so nothing falls in between;
                        // clients drop duplicates by seq.
                        let rx = state.hub.subscribe(&internal).await;
                        if let Some(since) = since_seq {
                            catch_up(&state, &internal, since, &out, &slow).await;
                        }
                        tokio::spawn(forward(rx, out.clone(), stop.clone(), slow.clone()));
                        subscriptions.insert(topic.clone(), stop);
                    }
                    server("subscribed", serde_json::json!({ "topic": topic }))
                }
            },
            Err(_) => server(
                "error",
                serde_json::json!({ "code": "BAD_MESSAGE", "message": "expected {\"op\": \"subscribe\" | \"unsubscribe\" | \"ping\", ...}" }),
            ),
        };
        if out.try_send(reply).is_err() {
            slow.cancel();
        }
    }
    for stop in subscriptions.values() {
        stop.cancel();
    }
    drop(out);
    let _ = writer.await;
    metrics::gauge!("tiketi_ws_connections").decrement(1.0);
}

/// Sends the seat deltas newer than `since` from the event's seat log, oldest first.
async fn catch_up(
    state: &AppState,
    topic: &str,
    since: i64,
    out: &mpsc::Sender<Utf8Bytes>,
    slow: &CancellationToken,
) {
    let Some(event_id) = topic
        .strip_prefix("seats:")
        .and_then(|id| id.parse::<Uuid>().ok())
    else {
        return;
    };
    let mut redis = state.redis.clone();
    let log: Vec<String> = redis::cmd("LRANGE")
        .arg(state.cache.keys().seat_log(event_id))
        .arg(0)
        .arg(-1)
        .query_async(&mut redis)
        .await
        .unwrap_or_default();
    let mut newer: Vec<(i64, String)> = log
        .into_iter()
        .filter_map(|m| {
            let seq = serde_json::from_str::<serde_json::Value>(&m).ok()?["seq"].as_i64()?;
            (seq > since).then_some((seq, m))
        })
        .collect();
    newer.sort_by_key(|(seq, _)| *seq);
    newer.dedup_by_key(|(seq, _)| *seq);
    for (_, m) in newer {
        if out.try_send(m.into()).is_err() {
            slow.cancel();
            return;
        }
    }
}

async fn forward(
    mut rx: broadcast::Receiver<Utf8Bytes>,
    out: mpsc::Sender<Utf8Bytes>,
    stop: CancellationToken,
    slow: CancellationToken,
) {
    loop {
        let msg = tokio::select! {
            _ = stop.cancelled() => return,
            m = rx.recv() => m,
        };
        match msg {
            Ok(m) => {
                if out.try_send(m).is_err() {
                    slow.cancel();
                    return;
                }
            }
            // Fell behind the topic buffer: this client is too slow to follow.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                slow.cancel();
                return;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}
