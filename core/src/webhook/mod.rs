//! Clerk's webhooks: the events Clerk delivers, typed ([`events`]).
//!
//! A delivery's body is read with [`events::parse_event`] into an [`events::Event`] whose
//! [`data`](events::Event::data) is an [`events::EventData`] variant per event type. Verify the
//! delivery's signature before trusting its body.
//!
//! (`crate::webhooks`, plural, is the API group of the Backend API operations tagged Webhooks.)

pub mod events;

pub use events::{EVENT_TYPES, Event, EventData, HttpRequest, parse_event};
