//! Live updates over Socket.IO at `/socket.io/`, for clients written against the plan (the
//! `socket.io-client` library). It is a second transport onto the `/ws` machinery, not a
//! second fan-out: topics are the `/ws` topics (the plan's rooms `seats:<eventId>`,
//! `event:<eventId>` and the personal `user`), subscribed through the same `Hub` with the
//! same checks, bounds and catch-up, and each socket gets the `/ws` messages as Socket.IO
//! events named by their `event` (`seat-locked`, `ticket-updated`, ...) with the `/ws`
//! object as payload (`topic`, `event`, `seq`, `data`, plus `seatId` when one seat changed).
//!
//! Limits match `/ws`: the handshake's `auth: {token}` is verified (a bad token is refused,
//! no token means public rooms only), sockets per client address share `/ws`'s cap, the
//! subscribe rate limit and subscription cap are per socket, a socket that cannot keep up is
//! disconnected, and a signed-in socket re-checks its token while open.

use std::{collections::HashMap, sync::Arc};

use axum::extract::ws::Utf8Bytes;
use governor::DefaultDirectRateLimiter;
use serde::Deserialize;
use socketioxide::{
    extract::{AckSender, Event, Extension, SocketRef, State, TryData},
    handler::ConnectHandler,
    layer::SocketIoLayer,
    SocketIo,
};
use tiketi_core::user::auth::{Claims, Tokens};
use tokio::sync::{mpsc, Mutex};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{
    control::{codes, Control},
    extract::client_ip,
    hub::ClientSlot,
    state::AppState,
    ws,
};

/// Largest message a client may send (as on `/ws`).
const MAX_PAYLOAD: u64 = 16 * 1024;

/// One socket's subscriptions and limits, made when it is admitted.
struct Conn {
    claims: Option<Claims>,
    /// Messages for the socket, in `/ws` form; the writer turns them into events.
    out: mpsc::Sender<Utf8Bytes>,
    out_rx: std::sync::Mutex<Option<mpsc::Receiver<Utf8Bytes>>>,
    /// Cancelled when the socket is slow or gone; parent of every subscription's token.
    done: CancellationToken,
    subscriptions: Mutex<HashMap<String, CancellationToken>>,
    subscribes: DefaultDirectRateLimiter,
    _slot: ClientSlot,
}

/// Why a handshake was refused; the client sees the text in its `connect_error`.
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("TOKEN_INVALID: the token is invalid or has expired")]
    Token,
    #[error("TOO_MANY_CONNECTIONS: too many sockets from this address")]
    Connections,
}

#[derive(Deserialize, Default)]
struct Handshake {
    #[serde(default)]
    token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventRef {
    event_id: Uuid,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscribe {
    topic: String,
    since_seq: Option<i64>,
}

#[derive(Deserialize)]
struct Unsubscribe {
    topic: String,
}

/// The Socket.IO layer for the router, answering under `/socket.io/`.
pub fn layer(state: AppState) -> SocketIoLayer {
    let (layer, io) = SocketIo::builder()
        .max_payload(MAX_PAYLOAD)
        .ws_max_message_size(MAX_PAYLOAD as usize)
        .ws_max_frame_size(MAX_PAYLOAD as usize)
        .max_buffer_size(ws::SEND_BUFFER)
        .with_state(state)
        .build_layer();
    io.ns("/", connected.with(admit));
    layer
}

/// Handshake check: verifies the token if one is given and takes a connection slot.
async fn admit(
    s: SocketRef,
    State(state): State<AppState>,
    TryData(auth): TryData<Handshake>,
) -> Result<(), Refused> {
    let token = auth.unwrap_or_default().token.filter(|t| !t.is_empty());
    let claims = match token {
        None => None,
        Some(token) => {
            let tokens = <Tokens as axum::extract::FromRef<AppState>>::from_ref(&state);
            let mut redis = state.redis.clone();
            Some(
                tokens
                    .verify(&token, &mut redis)
                    .await
                    .map_err(|_| Refused::Token)?,
            )
        }
    };
    let ip = client_ip(s.req_parts(), &state.config);
    let slot = state
        .ws_clients
        .take(ip, state.config.ws_max_connections_per_ip)
        .ok_or(Refused::Connections)?;
    let (out, out_rx) = mpsc::channel(ws::SEND_BUFFER);
    s.extensions.insert(Arc::new(Conn {
        claims,
        out,
        out_rx: std::sync::Mutex::new(Some(out_rx)),
        done: CancellationToken::new(),
        subscriptions: Mutex::default(),
        subscribes: ws::subscribe_limiter(),
        _slot: slot,
    }));
    Ok(())
}

async fn connected(
    s: SocketRef,
    State(state): State<AppState>,
    Extension(conn): Extension<Arc<Conn>>,
) {
    metrics::gauge!("tiketi_socketio_connections").increment(1.0);
    if let Some(rx) = conn.out_rx.lock().expect("out lock").take() {
        tokio::spawn(write(s.clone(), conn.clone(), rx));
    }
    tokio::spawn(watch(s.clone(), state.clone(), conn.clone()));
    s.on("join-seat-selection", join);
    s.on("join-event", join);
    s.on("join-queue", join);
    s.on("leave-event", leave);
    s.on("subscribe", subscribe);
    s.on("unsubscribe", unsubscribe);
    s.on_disconnect(async |Extension(conn): Extension<Arc<Conn>>| {
        conn.done.cancel();
        metrics::gauge!("tiketi_socketio_connections").decrement(1.0);
    });
    // A signed-in client joins its own room at once, as the plan's clients expect.
    if conn.claims.is_some() {
        let reply = add(&state, &conn, "user".into(), None).await;
        enqueue(&s, &conn, reply);
    }
}

/// Emits the socket's queued messages; a socket whose buffer is full is disconnected.
async fn write(s: SocketRef, conn: Arc<Conn>, mut rx: mpsc::Receiver<Utf8Bytes>) {
    loop {
        let msg = tokio::select! {
            _ = conn.done.cancelled() => break,
            m = rx.recv() => match m { Some(m) => m, None => break },
        };
        let Ok(mut v) = serde_json::from_str::<serde_json::Value>(msg.as_str()) else {
            continue;
        };
        let (name, payload) = to_event(&mut v);
        if s.emit(name, &payload).is_err() {
            metrics::counter!("tiketi_ws_dropped_clients_total").increment(1);
            conn.done.cancel();
            break;
        }
        metrics::counter!("tiketi_ws_messages_sent_total").increment(1);
    }
    let _ = s.disconnect();
}

/// A `/ws` message as a Socket.IO event: replies (`{"op": ...}`) become the event named by
/// `op` without it; topic messages keep their object and gain `seatId` for one seat.
fn to_event(v: &mut serde_json::Value) -> (String, serde_json::Value) {
    if let Some(op) = v.as_object_mut().and_then(|o| o.remove("op")) {
        return (op.as_str().unwrap_or("error").to_string(), v.take());
    }
    let name = v["event"].as_str().unwrap_or("message").to_string();
    let single = match v["data"]["seatIds"].as_array() {
        Some(ids) if ids.len() == 1 => Some(ids[0].clone()),
        _ => None,
    };
    if let (Some(seat), Some(o)) = (single, v.as_object_mut()) {
        o.insert("seatId".into(), seat);
    }
    (name, v.take())
}

/// Ends a signed-in socket when its session ends, and every socket at shutdown.
async fn watch(s: SocketRef, state: AppState, conn: Arc<Conn>) {
    let mut recheck = tokio::time::interval(state.config.ws_token_recheck);
    recheck.reset();
    loop {
        tokio::select! {
            _ = conn.done.cancelled() => return,
            _ = state.shutdown.cancelled() => break,
            _ = recheck.tick(), if conn.claims.is_some() => {
                if let Some(ended) = ws::session_ended(&state, conn.claims.as_ref()).await {
                    // Emitted directly: the writer is about to stop with the socket.
                    let (name, payload) = to_event(&mut serde_json::json!(Control::Error {
                        code: ended,
                        message: "the session has ended; sign in again",
                        topic: None,
                    }));
                    let _ = s.emit(name, &payload);
                    break;
                }
            }
        }
    }
    conn.done.cancel();
    let _ = s.disconnect();
}

/// Queues a reply; a socket too slow to take it is ended like on `/ws`.
fn enqueue(s: &SocketRef, conn: &Conn, reply: Utf8Bytes) {
    if conn.out.try_send(reply).is_err() {
        conn.done.cancel();
        let _ = s.clone().disconnect();
    }
}

/// Subscribes one topic through the `/ws` path (limits, checks, catch-up, forwarding).
async fn add(state: &AppState, conn: &Conn, topic: String, since: Option<i64>) -> Utf8Bytes {
    if conn.subscribes.check().is_err() {
        return Control::Error {
            code: "RATE_LIMITED",
            message: "subscribing too fast; wait a moment",
            topic: None,
        }
        .frame();
    }
    let mut subscriptions = conn.subscriptions.lock().await;
    ws::subscribe(
        state,
        &conn.out,
        &conn.done,
        &mut subscriptions,
        topic,
        since,
        conn.claims.as_ref().map(|c| c.sub),
    )
    .await
}

async fn remove(conn: &Conn, topic: &str) -> Utf8Bytes {
    if let Some(stop) = conn.subscriptions.lock().await.remove(topic) {
        stop.cancel();
    }
    Control::Unsubscribed { topic }.frame()
}

/// Answers a client message: with its ack callback when it gave one, and as an event.
fn answer(s: &SocketRef, conn: &Conn, ack: AckSender, replies: Vec<Utf8Bytes>) {
    let acked: Vec<serde_json::Value> = replies
        .iter()
        .filter_map(|r| serde_json::from_str::<serde_json::Value>(r.as_str()).ok())
        .map(|mut v| to_event(&mut v).1)
        .collect();
    let _ = ack.send(&acked);
    for reply in replies {
        enqueue(s, conn, reply);
    }
}

fn bad_message(expected: &str) -> Utf8Bytes {
    Control::Error {
        code: codes::BAD_MESSAGE,
        message: expected,
        topic: None,
    }
    .frame()
}

fn bad_event_ref() -> Utf8Bytes {
    bad_message("expected {\"eventId\": \"<uuid>\"}")
}

/// `join-seat-selection` → `seats:<id>`, `join-event` → `event:<id>`, `join-queue` →
/// `event:<id>` and the personal room (queue positions and admission are personal).
async fn join(
    s: SocketRef,
    Event(name): Event,
    TryData(data): TryData<EventRef>,
    ack: AckSender,
    State(state): State<AppState>,
    Extension(conn): Extension<Arc<Conn>>,
) {
    let Ok(EventRef { event_id }) = data else {
        return answer(&s, &conn, ack, vec![bad_event_ref()]);
    };
    let topics: Vec<String> = match name.as_str() {
        "join-seat-selection" => vec![format!("seats:{event_id}")],
        "join-queue" => vec![format!("event:{event_id}"), "user".into()],
        _ => vec![format!("event:{event_id}")],
    };
    let mut replies = Vec::with_capacity(topics.len());
    for topic in topics {
        replies.push(add(&state, &conn, topic, None).await);
    }
    answer(&s, &conn, ack, replies);
}

/// `leave-event` leaves both of the event's rooms.
async fn leave(
    s: SocketRef,
    TryData(data): TryData<EventRef>,
    ack: AckSender,
    Extension(conn): Extension<Arc<Conn>>,
) {
    let Ok(EventRef { event_id }) = data else {
        return answer(&s, &conn, ack, vec![bad_event_ref()]);
    };
    let replies = vec![
        remove(&conn, &format!("seats:{event_id}")).await,
        remove(&conn, &format!("event:{event_id}")).await,
    ];
    answer(&s, &conn, ack, replies);
}

/// `subscribe {topic, sinceSeq}`: any `/ws` topic, with catch-up after a reconnect.
async fn subscribe(
    s: SocketRef,
    TryData(data): TryData<Subscribe>,
    ack: AckSender,
    State(state): State<AppState>,
    Extension(conn): Extension<Arc<Conn>>,
) {
    let reply = match data {
        Ok(Subscribe { topic, since_seq }) => add(&state, &conn, topic, since_seq).await,
        Err(_) => bad_message("expected {\"topic\": \"...\", \"sinceSeq\"?: <number>}"),
    };
    answer(&s, &conn, ack, vec![reply]);
}

async fn unsubscribe(
    s: SocketRef,
    TryData(data): TryData<Unsubscribe>,
    ack: AckSender,
    Extension(conn): Extension<Arc<Conn>>,
) {
    let reply = match data {
        Ok(Unsubscribe { topic }) => remove(&conn, &topic).await,
        Err(_) => bad_message("expected {\"topic\": \"...\"}"),
    };
    answer(&s, &conn, ack, vec![reply]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_one_seat_change_gains_seat_id_and_keeps_the_ws_object() {
        let mut v = json!({"topic": "seats:e", "event": "seat-locked", "seq": 7,
                           "data": {"seatIds": ["s1"], "status": "held"}});
        let (name, payload) = to_event(&mut v);
        assert_eq!(name, "seat-locked");
        assert_eq!(payload["seatId"], "s1");
        assert_eq!(payload["seq"], 7);
        assert_eq!(payload["data"]["seatIds"], json!(["s1"]));
    }

    #[test]
    fn a_many_seat_change_has_no_seat_id_and_replies_lose_their_op() {
        let mut v = json!({"topic": "seats:e", "event": "seat-released", "seq": 8,
                           "data": {"seatIds": ["s1", "s2"], "status": "available"}});
        assert!(to_event(&mut v).1.get("seatId").is_none());
        let mut reply =
            json!({"op": "error", "code": "BAD_TOPIC", "message": "m", "topic": "user"});
        let (name, payload) = to_event(&mut reply);
        assert_eq!(name, "error");
        assert_eq!(
            payload,
            json!({"code": "BAD_TOPIC", "message": "m", "topic": "user"})
        );
    }
}
