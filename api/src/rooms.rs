//! The waiting-room settings of each event, cached for a second in the process: read on
//! every reserve, order and queue request, so the gate costs no database round trip.

use std::time::Duration;

use tiketi_core::waiting_room::Room;
use uuid::Uuid;

/// Room settings per event, cached for a second: the gate of reserve, orders and the queue.
pub type Rooms = moka::future::Cache<Uuid, Option<Room>>;

pub fn rooms() -> Rooms {
    moka::future::Cache::builder()
        .time_to_live(Duration::from_secs(1))
        .max_capacity(10_000)
        .build()
}
