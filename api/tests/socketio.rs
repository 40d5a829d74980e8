//! Socket.IO limits shared with `/ws`, spoken at the Engine.IO/Socket.IO packet level over a
//! plain WebSocket (the Node client test in `worker/tests/socketio.rs` covers the rest).

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use sqlx::PgPool;
use tiketi_testkit::{eventually, test_config, Socket, TestApp};
use tokio_tungstenite::tungstenite::Message;

/// Opens an Engine.IO WebSocket session and sends the Socket.IO CONNECT with `auth`;
/// returns the socket and the server's answer to the CONNECT (`40{...}` or `44{...}`).
async fn handshake(app: &TestApp, auth: &str) -> (Socket, String) {
    let url = format!("ws://{}/socket.io/?EIO=4&transport=websocket", app.addr);
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("engine.io upgrade");
    let open = next_text(&mut ws).await;
    assert!(open.starts_with('0'), "engine.io open: {open}");
    ws.send(Message::Text(format!("40{auth}").into()))
        .await
        .unwrap();
    let answer = next_text(&mut ws).await;
    (ws, answer)
}

/// The next text frame that is not an engine.io ping (answered).
async fn next_text(ws: &mut Socket) -> String {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("an answer within 5 s")
            .expect("socket open")
            .expect("frame");
        if let Message::Text(t) = msg {
            if t.as_str() == "2" {
                ws.send(Message::Text("3".into())).await.unwrap();
                continue;
            }
            return t.to_string();
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn socketio_connections_count_against_the_per_address_cap_shared_with_ws(pool: PgPool) {
    let mut config = test_config();
    config.ws_max_connections_per_ip = 1;
    let app = TestApp::spawn_with(pool, config).await;

    let (plain, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", app.addr))
        .await
        .expect("the first socket is admitted");
    let (_, refused) = handshake(&app, "{}").await;
    assert!(
        refused.starts_with("44") && refused.contains("TOO_MANY_CONNECTIONS"),
        "{refused}"
    );
    drop(plain);
    // The /ws socket's slot comes back once its connection task has ended.
    let socketio = eventually(
        "a Socket.IO socket is admitted once the /ws one is gone",
        Duration::from_secs(5),
        || async {
            let (ws, answer) = handshake(&app, "{}").await;
            match answer.starts_with("40{") {
                true => Ok(ws),
                false => Err(answer),
            }
        },
    )
    .await;
    let ws_url = format!("ws://{}/ws", app.addr);
    let refused = tokio_tungstenite::connect_async(&ws_url).await;
    assert!(
        refused.is_err(),
        "the Socket.IO socket holds the address's only slot"
    );
    // Closing the Socket.IO socket gives its slot back too.
    drop(socketio);
    eventually(
        "the slot came back after the Socket.IO socket closed",
        Duration::from_secs(5),
        || async { tokio_tungstenite::connect_async(&ws_url).await.map(drop) },
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn socketio_refuses_a_bad_token_and_rate_limits_subscribing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (_, refused) = handshake(&app, r#"{"token":"forged"}"#).await;
    assert!(
        refused.starts_with("44") && refused.contains("TOKEN_INVALID"),
        "{refused}"
    );

    let (mut ws, admitted) = handshake(&app, "{}").await;
    assert!(admitted.starts_with("40{"), "{admitted}");
    // Unknown events still cost a subscribe operation; past the burst they are refused
    // before any lookup.
    for i in 0..30 {
        let topic = format!("seats:{}", uuid::Uuid::new_v4());
        let packet = format!(r#"42{i}["subscribe",{{"topic":"{topic}"}}]"#);
        ws.send(Message::Text(packet.into())).await.unwrap();
    }
    let mut codes = Vec::new();
    while codes.len() < 30 {
        let t = next_text(&mut ws).await;
        // Acks are `43<id>[[reply]]`; the same replies also arrive as `error` events.
        if let Some(rest) = t.strip_prefix("43") {
            let json = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            codes.push(v[0][0]["code"].as_str().unwrap_or_default().to_string());
        }
    }
    let limited = codes.iter().filter(|c| *c == "RATE_LIMITED").count();
    let unknown = codes.iter().filter(|c| *c == "BAD_TOPIC").count();
    assert_eq!(limited + unknown, 30, "{codes:?}");
    assert!(limited >= 9 && unknown <= 21, "{codes:?}");
}
