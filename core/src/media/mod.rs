//! Event posters uploaded by organizers: checked by their content, decoded under limits
//! (a small file must not be able to claim gigabytes of pixels), re-encoded without their
//! metadata at a few widths, stored under content-addressed names in a pluggable object
//! store (a local directory by default, any S3-compatible bucket in production), and then
//! pointed at by the event row in one statement, so readers see the old poster or the new
//! one, never a half-written one.

mod config;
mod poster;
mod record;
mod store;

pub use config::{MediaConfig, StoreConfig};
pub use poster::{render, PosterError, Rendition, WIDTHS};
pub use record::{set_poster, PosterImage, PosterImages};
pub use store::{MediaStore, IMMUTABLE};
