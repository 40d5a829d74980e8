//! Live updates over plain WebSocket. Writers publish to Redis channels; every api instance
//! receives them (see `fanout`) and fans messages out to its own connections through one
//! broadcast per topic (the `hub` module).
//!
//! Nothing a client sends can grow memory without bound: each connection has a bounded
//! send buffer (a client that cannot keep up is disconnected), a cap on its subscriptions
//! and a rate limit on subscribing; a topic must name an existing event (checked against a
//! bounded cache); a topic's broadcast is small, created on first subscribe and dropped
//! when its last local subscriber leaves, and the process holds at most `MAX_TOPICS`; each
//! client address may hold only so many sockets. A signed-in socket re-checks its token
//! while open, so signing out (or expiry) ends its personal messages. A client too far
//! behind, on subscribe or in a burst, is told to `resync` (refetch the snapshot) rather
//! than dropped.

use std::{collections::HashMap, num::NonZeroU32, sync::Arc, time::Duration};

use axum::{
    extract::{
        ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade},
        FromRef, State,
    },
    response::Response,
};
use futures::{SinkExt, StreamExt};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use tiketi_core::user::auth::{Claims, TokenError, Tokens};
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{
    control::{codes, Control},
    error::ApiError,
    extract::{ClientIp, Query},
    hub::{ClientSlot, Hub},
    state::AppState,
};

/// Messages a connection may have queued before it counts as too slow.
pub(crate) const SEND_BUFFER: usize = 256;
/// Seat deltas replayed on a subscribe with `sinceSeq`; further behind gets `resync`.
const CATCH_UP_MAX: usize = SEND_BUFFER / 2;
const MAX_SUBSCRIPTIONS: usize = 32;
/// Subscribe operations per connection: enough to open an event page's topics at once.
const SUBSCRIBES_PER_SECOND: u32 = 5;
const SUBSCRIBE_BURST: u32 = 20;

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

/// `GET /ws[?token=<jwt>]`: upgrades to a WebSocket. An invalid token, or a client address
/// already holding `WS_MAX_CONNECTIONS_PER_IP` sockets, is refused before the upgrade;
/// without a token, only public topics can be subscribed.
pub async fn upgrade(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(params): Query<WsParams>,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let claims = match params.token.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(token) => {
            let tokens = Tokens::from_ref(&state);
            let mut redis = state.redis.clone();
            match tokens.verify(token, &mut redis).await {
                Ok(claims) => Some(claims),
                Err(_) => {
                    return Err(ApiError::Unauthorized {
                        code: "TOKEN_INVALID",
                        message: "the token is invalid or has expired",
                    })
                }
            }
        }
    };
    let slot = state
        .ws_clients
        .take(ip, state.config.ws_max_connections_per_ip)
        .ok_or(ApiError::RateLimited {
            retry_after: Duration::from_secs(5),
        })?;
    Ok(ws
        .max_message_size(16 * 1024)
        .max_frame_size(16 * 1024)
        .on_upgrade(move |socket| connection(state, socket, claims, slot)))
}

/// Tells the client its state of `topic` cannot be caught up: refetch the snapshot.
fn resync(topic: &str) -> Utf8Bytes {
    serde_json::json!({ "topic": topic, "event": "resync", "data": {} })
        .to_string()
        .into()
}

/// Resolves a client topic to the internal one, refusing what this client may not read
/// and events that do not exist.
async fn resolve(
    state: &AppState,
    topic: &str,
    user: Option<Uuid>,
) -> Result<String, (&'static str, &'static str)> {
    if topic == "user" {
        return user
            .map(tiketi_core::live::seat_events::user_topic)
            .ok_or((codes::BAD_TOPIC, "the user topic needs ?token="));
    }
    let unknown = (codes::BAD_TOPIC, "unknown topic");
    let (kind, id) = topic.split_once(':').ok_or(unknown)?;
    let event_id = id.parse::<Uuid>().map_err(|_| unknown)?;
    if !matches!(kind, "seats" | "event" | "admin") {
        return Err(unknown);
    }
    if kind == "admin" {
        admin_only(state, user).await?;
    }
    match state.hub.event_exists(&state.pool, event_id).await {
        Ok(true) => Ok(topic.to_string()),
        Ok(false) => Err((codes::BAD_TOPIC, "no such event")),
        Err(e) => {
            tracing::warn!(error = %e, "cannot check a topic's event");
            Err(("UNAVAILABLE", "try again shortly"))
        }
    }
}

/// The organizer's topics (`admin:<event>`): for a socket signed in as an admin, the role
/// read from the database as the admin routes read it.
async fn admin_only(
    state: &AppState,
    user: Option<Uuid>,
) -> Result<(), (&'static str, &'static str)> {
    let forbidden = (
        "FORBIDDEN",
        "administrators only (connect with an admin's ?token=)",
    );
    let user = user.ok_or(forbidden)?;
    match tiketi_core::user::find(&state.pool, user).await {
        Ok(Some(u)) if u.role == tiketi_core::user::auth::Role::Admin => Ok(()),
        Ok(_) => Err(forbidden),
        Err(e) => {
            tracing::warn!(error = %e, "cannot check a socket's role");
            Err(("UNAVAILABLE", "try again shortly"))
        }
    }
}

async fn connection(state: AppState, socket: WebSocket, claims: Option<Claims>, _slot: ClientSlot) {
    metrics::gauge!("tiketi_ws_connections").increment(1.0);
    let (mut sink, mut stream) = socket.split();
    let (out, mut out_rx) = mpsc::channel::<Utf8Bytes>(SEND_BUFFER);
    let slow = CancellationToken::new();
    let mut subscriptions: HashMap<String, CancellationToken> = HashMap::new();
    let shutdown = state.shutdown.clone();
    let user = claims.as_ref().map(|c| c.sub);
    let subscribes = subscribe_limiter();
    let mut recheck = tokio::time::interval(state.config.ws_token_recheck);
    recheck.reset();

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
            _ = recheck.tick(), if claims.is_some() => {
                if let Some(ended) = session_ended(&state, claims.as_ref()).await {
                    // Personal messages stop with the session: say why, then close.
                    let _ = out.try_send(Control::Error { code: ended, message: "the session has ended; sign in again", topic: None }.frame());
                    break;
                }
                continue;
            }
            m = stream.next() => m,
        };
        let text = match incoming {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
            Some(Ok(_)) => continue,
        };
        let reply = match serde_json::from_str::<ClientMessage>(text.as_str()) {
            Ok(ClientMessage::Ping) => Control::Pong.frame(),
            Ok(ClientMessage::Unsubscribe { topic }) => {
                if let Some(stop) = subscriptions.remove(&topic) {
                    stop.cancel();
                }
                Control::Unsubscribed { topic: &topic }.frame()
            }
            Ok(ClientMessage::Subscribe { .. }) if subscribes.check().is_err() => Control::Error {
                code: "RATE_LIMITED",
                message: "subscribing too fast; wait a moment",
                topic: None,
            }
            .frame(),
            Ok(ClientMessage::Subscribe { topic, since_seq }) => {
                subscribe(
                    &state,
                    &out,
                    &slow,
                    &mut subscriptions,
                    topic,
                    since_seq,
                    user,
                )
                .await
            }
            Err(_) => Control::Error {
                code: codes::BAD_MESSAGE,
                message: "expected {\"op\": \"subscribe\" | \"unsubscribe\" | \"ping\", ...}",
                topic: None,
            }
            .frame(),
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

/// One connection's limit on subscribe operations (shared by `/ws` and Socket.IO).
pub(crate) fn subscribe_limiter() -> DefaultDirectRateLimiter {
    RateLimiter::direct(
        Quota::per_second(NonZeroU32::new(SUBSCRIBES_PER_SECOND).expect("non-zero"))
            .allow_burst(NonZeroU32::new(SUBSCRIBE_BURST).expect("non-zero")),
    )
}

/// Why a signed-in socket's session is over (signed out, ended everywhere, expired), if it is.
/// A failing revocation store keeps the socket: pub/sub depends on the same Redis anyway.
pub(crate) async fn session_ended(
    state: &AppState,
    claims: Option<&Claims>,
) -> Option<&'static str> {
    let claims = claims?;
    match state
        .tokens
        .check_revocation(claims, &mut state.redis.clone())
        .await
    {
        Ok(()) => None,
        Err(TokenError::Revoked) => Some("TOKEN_REVOKED"),
        Err(TokenError::Invalid) => Some("TOKEN_EXPIRED"),
        Err(TokenError::Store(e)) => {
            tracing::warn!(error = %e, "cannot re-check an open socket's token");
            None
        }
    }
}

/// Handles one subscribe and returns the reply.
pub(crate) async fn subscribe(
    state: &AppState,
    out: &mpsc::Sender<Utf8Bytes>,
    slow: &CancellationToken,
    subscriptions: &mut HashMap<String, CancellationToken>,
    topic: String,
    since_seq: Option<i64>,
    user: Option<Uuid>,
) -> Utf8Bytes {
    if subscriptions.contains_key(&topic) {
        return Control::Subscribed { topic: &topic }.frame();
    }
    if subscriptions.len() >= MAX_SUBSCRIPTIONS {
        return Control::Error {
            code: codes::TOO_MANY_SUBSCRIPTIONS,
            message: "unsubscribe first",
            topic: Some(&topic),
        }
        .frame();
    }
    let internal = match resolve(state, &topic, user).await {
        Ok(internal) => internal,
        Err((code, message)) => {
            return Control::Error {
                code,
                message,
                topic: Some(&topic),
            }
            .frame()
        }
    };
    // Subscribe before reading the log, so nothing falls in between; clients drop
    // duplicates by seq.
    let Some(rx) = state.hub.subscribe(&internal).await else {
        return Control::Error {
            code: "BUSY",
            message: "too many live topics; try again later",
            topic: Some(&topic),
        }
        .frame();
    };
    if let Some(since) = since_seq {
        catch_up(state, &topic, &internal, since, out, slow).await;
    }
    let stop = slow.child_token();
    tokio::spawn(forward(
        state.hub.clone(),
        internal,
        topic.clone(),
        rx,
        out.clone(),
        stop.clone(),
        slow.clone(),
    ));
    subscriptions.insert(topic.clone(), stop);
    Control::Subscribed { topic: &topic }.frame()
}

/// Sends the seat deltas newer than `since` from the event's seat log, oldest first, or a
/// `resync` when more than `CATCH_UP_MAX` are missing (or the log no longer reaches back).
async fn catch_up(
    state: &AppState,
    topic: &str,
    internal: &str,
    since: i64,
    out: &mpsc::Sender<Utf8Bytes>,
    slow: &CancellationToken,
) {
    let Some(event_id) = internal
        .strip_prefix("seats:")
        .and_then(|id| id.parse::<Uuid>().ok())
    else {
        return;
    };
    let mut redis = state.redis.clone();
    // The log is newest first: the newest CATCH_UP_MAX + 1 tell whether the client is
    // within reach without reading the whole log.
    let log: Vec<String> = redis::cmd("LRANGE")
        .arg(state.cache.keys().seat_log(event_id))
        .arg(0)
        .arg(CATCH_UP_MAX)
        .query_async(&mut redis)
        .await
        .unwrap_or_default();
    let read = log.len();
    let mut newer: Vec<(i64, String)> = log
        .into_iter()
        .filter_map(|m| {
            let seq = serde_json::from_str::<serde_json::Value>(&m).ok()?["seq"].as_i64()?;
            (seq > since).then_some((seq, m))
        })
        .collect();
    let messages = if read > CATCH_UP_MAX && newer.len() == read {
        vec![resync(topic)]
    } else {
        newer.sort_by_key(|(seq, _)| *seq);
        newer.dedup_by_key(|(seq, _)| *seq);
        newer.into_iter().map(|(_, m)| m.into()).collect()
    };
    for m in messages {
        if out.try_send(m).is_err() {
            slow.cancel();
            return;
        }
    }
}

async fn forward(
    hub: Arc<Hub>,
    internal: String,
    topic: String,
    mut rx: broadcast::Receiver<Utf8Bytes>,
    out: mpsc::Sender<Utf8Bytes>,
    stop: CancellationToken,
    slow: CancellationToken,
) {
    loop {
        let msg = tokio::select! {
            _ = stop.cancelled() => break,
            m = rx.recv() => m,
        };
        let m = match msg {
            Ok(m) => m,
            // Missed messages in a burst: the client refetches instead of being dropped.
            Err(broadcast::error::RecvError::Lagged(_)) => resync(&topic),
            Err(broadcast::error::RecvError::Closed) => break,
        };
        if out.try_send(m).is_err() {
            slow.cancel();
            break;
        }
    }
    // Prune at once: a topic nobody here listens to costs nothing.
    drop(rx);
    hub.release(&internal);
}
