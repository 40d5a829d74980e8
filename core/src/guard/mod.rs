//! Protection against hostile clients: global rate limits that hold across api instances
//! (GCRA in Redis) and the proof-of-work challenge that prices a flood of sign-ups and
//! queue joins. Nothing here decides a sale; it decides who may ask.

pub mod limits;
pub mod pow;
