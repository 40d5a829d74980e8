//! Shared state of one api process. Handlers take only the parts they need via `FromRef`.

use std::sync::Arc;

use axum::extract::FromRef;
use sqlx::PgPool;
use tiketi_core::infra::redis::RedisConn;
use tiketi_core::{
    infra::amqp::Broker, infra::cache::Cache, payment::MockProvider,
    reservation::seat_state::SeatState, user::auth::Tokens, waiting_room::admission::Admissions,
    waiting_room::WaitingRoom,
};
use tokio_util::sync::CancellationToken;

use crate::{
    config::ApiConfig,
    dispatch::Dispatcher,
    hub::{ClientCounts, Hub},
    rate_limit::Limits,
    refresh::Refresher,
};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: PgPool,
    pub redis: RedisConn,
    pub cache: Cache,
    pub tokens: Tokens,
    pub broker: Arc<Broker>,
    pub config: Arc<ApiConfig>,
    /// Global (Redis) limits of sign-in, the waiting room and reserves.
    pub limits: Arc<Limits>,
    pub seats: SeatState,
    pub dispatcher: Arc<Dispatcher>,
    pub provider: MockProvider,
    pub hub: Arc<Hub>,
    pub refresher: Refresher,
    /// Cancelled when the server stops; long-lived connections (WebSockets) watch it.
    pub shutdown: CancellationToken,
    pub room: WaitingRoom,
    pub admissions: Admissions,
    pub pow: tiketi_core::guard::pow::ProofOfWork,
    pub rooms: crate::rooms::Rooms,
    /// Open WebSockets per client address in this process.
    pub ws_clients: Arc<ClientCounts>,
    /// Per-event ticket-signing keys (derived, nothing stored).
    pub ticket_keys: tiketi_core::ticket::TicketKeys,
    /// Where uploaded posters are stored.
    pub media: crate::media::Media,
    /// Pushes the gate numbers to admins after admissions, coalesced.
    pub checkin_push: crate::checkin_live::CheckinPush,
}
