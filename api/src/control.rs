//! The control replies of `/ws` and Socket.IO (answers to subscribe, unsubscribe, ping and
//! bad input), typed and serialized here only, so both transports and the web client
//! (`web/src/live/`) agree on one wire format. Server-push messages are
//! `tiketi_core::live::Live`; these are the replies to what a client sent.
//!
//! On `/ws` a reply is `{"op": "<variant>", ...fields}`; Socket.IO emits the same object
//! without `op`, as an event named after it.

use axum::extract::ws::Utf8Bytes;
use serde::Serialize;

/// Codes only the live transports send (the HTTP envelope's are `error_codes::ERROR_CODES`;
/// a live reply may also carry one of those, e.g. `RATE_LIMITED` or `TOKEN_REVOKED`).
pub mod codes {
    /// The client's message is not one the transport understands.
    pub const BAD_MESSAGE: &str = "BAD_MESSAGE";
    /// The topic is unknown, names no event, or needs a token.
    pub const BAD_TOPIC: &str = "BAD_TOPIC";
    /// The connection holds its maximum of subscriptions.
    pub const TOO_MANY_SUBSCRIPTIONS: &str = "TOO_MANY_SUBSCRIPTIONS";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Control<'a> {
    /// The client now receives `topic` (also the answer to a repeated subscribe).
    Subscribed { topic: &'a str },
    /// The client no longer receives `topic` (also when it never did).
    Unsubscribed { topic: &'a str },
    /// The answer to `{"op": "ping"}`.
    Pong,
    /// A refused request or an ended session; `topic` is `null` when none is concerned.
    Error {
        code: &'a str,
        message: &'a str,
        topic: Option<&'a str>,
    },
}

impl Control<'_> {
    /// The reply as one text frame.
    pub fn frame(&self) -> Utf8Bytes {
        serde_json::to_string(self)
            .expect("a control reply serializes")
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::{codes, Control};

    #[test]
    fn every_reply_keeps_its_wire_format() {
        let golden = [
            (
                Control::Subscribed { topic: "seats:e" },
                r#"{"op":"subscribed","topic":"seats:e"}"#,
            ),
            (
                Control::Unsubscribed { topic: "user" },
                r#"{"op":"unsubscribed","topic":"user"}"#,
            ),
            (Control::Pong, r#"{"op":"pong"}"#),
            (
                Control::Error {
                    code: codes::BAD_TOPIC,
                    message: "unknown topic",
                    topic: Some("event:x"),
                },
                r#"{"op":"error","code":"BAD_TOPIC","message":"unknown topic","topic":"event:x"}"#,
            ),
            (
                Control::Error {
                    code: "RATE_LIMITED",
                    message: "wait",
                    topic: None,
                },
                r#"{"op":"error","code":"RATE_LIMITED","message":"wait","topic":null}"#,
            ),
        ];
        for (reply, json) in golden {
            assert_eq!(reply.frame().as_str(), json, "{reply:?}");
        }
    }
}
